//! Reading a labelled export (the output of `sentir classify`, as CSV, JSONL or Parquet)
//! into typed records for the report.
//!
//! Rows are read with the classify readers ([`crate::io::open_source`]). A row whose
//! `error` is set is kept as an error row; every other row must have a readable date, a
//! sentiment and (when those columns are used) a sender and a thread id, or the report
//! stops with an error listing the first bad lines.

use crate::error::{Result, SentirError};
use crate::io::arrow_values::column_strings;
use crate::io::open_source;
use crate::io::{Format, Payload, Row};
use crate::sentiment::Sentiment;
use arrow_array::RecordBatch;
use chrono::{DateTime, NaiveDate, NaiveDateTime};
use std::collections::HashMap;
use std::sync::Arc;

/// Date column names tried, case-insensitively and in this order, without `--date-column`.
pub const DATE_COLUMN_CANDIDATES: [&str; 4] = ["date", "sent_at", "created_at", "timestamp"];

/// The accepted date formats, for error messages.
pub const DATE_FORMATS: &str =
    "RFC 3339 (2026-10-05T09:14:00Z), YYYY-MM-DD HH:MM[:SS] or YYYY-MM-DD";

/// How many bad rows an error message lists.
const MAX_LISTED: usize = 10;

/// The columns the report reads (names as given on the command line).
#[derive(Clone, Debug, Default)]
pub struct ReportColumns {
    /// Date column; `None` tries [`DATE_COLUMN_CANDIDATES`].
    pub date: Option<String>,
    /// Product column (per-product sections are left out without it).
    pub product: Option<String>,
    /// Thread / conversation id column (threads and response times need it).
    pub thread: Option<String>,
    /// Sender column (without it every row counts as a buyer message).
    pub sender: Option<String>,
    /// The sender value that marks buyer messages (compared case-insensitively).
    pub buyer_value: String,
    /// Text column, for quoting messages (auto-detected like `classify` does).
    pub text: Option<String>,
    /// Language column the sentiment is split by [default: `language`, classify's].
    pub language: Option<String>,
}

/// The columns actually used, as named in the file.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ResolvedColumns {
    /// The date column.
    pub date: String,
    /// The product column, if any.
    pub product: Option<String>,
    /// The thread column, if any.
    pub thread: Option<String>,
    /// The sender column, if any.
    pub sender: Option<String>,
    /// The sender value of buyer messages (only with a sender column).
    pub buyer_value: Option<String>,
    /// The column quoted in the report as the message text, if found.
    pub text: Option<String>,
    /// The column the sentiment is split by language with, if any.
    pub language: Option<String>,
}

/// One row of the labelled export.
#[derive(Clone, Debug, PartialEq)]
pub struct Record {
    /// Where the row is: its line (CSV, JSONL) or 1-based row number (Parquet).
    pub line: u64,
    /// When the message was sent (UTC; naive dates and times are taken as UTC). `None` only
    /// for error rows whose date cannot be read.
    pub time: Option<NaiveDateTime>,
    /// Product, when there is a product column (`None` for an empty value).
    pub product: Option<String>,
    /// Thread id, when there is a thread column.
    pub thread: Option<String>,
    /// A buyer message (every row is one without a sender column).
    pub buyer: bool,
    /// The label; `None` for error rows.
    pub sentiment: Option<Sentiment>,
    /// Probability of `negative`, when the file has it.
    pub p_negative: Option<f32>,
    /// The language (detected, or from `--language-column`; two-letter codes and English
    /// names as ISO 639-1, see [`crate::langid::normalize_given`]), when known.
    pub language: Option<String>,
    /// The reason (from a model with a reason head), when known.
    pub reason: Option<String>,
    /// The message text, when there is a text column.
    pub text: Option<String>,
    /// The row's `error` value, when set.
    pub error: Option<String>,
}

/// A labelled export, read.
#[derive(Clone, Debug)]
pub struct Labelled {
    /// Input path (or `-`).
    pub input: String,
    /// Its format.
    pub format: Format,
    /// What [`Record::line`] counts: `"line"` or `"row"` (Parquet).
    pub unit: &'static str,
    /// The columns used.
    pub columns: ResolvedColumns,
    /// Every row, in input order.
    pub records: Vec<Record>,
}

/// Parses a date: an RFC 3339 date-time (converted to UTC), `YYYY-MM-DD HH:MM[:SS[.f]]` or
/// with a `T` (taken as UTC), or a plain `YYYY-MM-DD` (midnight).
pub fn parse_date(s: &str) -> Option<NaiveDateTime> {
    let s = s.trim();
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d.naive_utc());
    }
    for f in [
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(d) = NaiveDateTime::parse_from_str(s, f) {
            return Some(d);
        }
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
}

/// How to find a column in a row.
#[derive(Clone, Debug)]
enum Getter {
    /// By position (CSV fields, Parquet columns).
    Index(usize),
    /// By key (JSONL objects).
    Key(String),
}

/// Finds `wanted` among `names`: exact, else case-insensitive.
fn position(names: &[String], wanted: &str) -> Option<usize> {
    names
        .iter()
        .position(|c| c == wanted)
        .or_else(|| names.iter().position(|c| c.eq_ignore_ascii_case(wanted)))
}

/// The getters for every column the report uses, resolved against the file's column names.
struct Getters {
    resolved: ResolvedColumns,
    date: Getter,
    product: Option<Getter>,
    thread: Option<Getter>,
    sender: Option<Getter>,
    text: Option<Getter>,
    sentiment: Getter,
    p_negative: Option<Getter>,
    language: Option<Getter>,
    reason: Option<Getter>,
    error: Option<Getter>,
}

impl Getters {
    fn resolve(names: &[String], cols: &ReportColumns, by_key: bool) -> Result<Getters> {
        let listing = || names.join(", ");
        let make = |i: usize| {
            if by_key {
                Getter::Key(names[i].clone())
            } else {
                Getter::Index(i)
            }
        };
        let required = |name: &str, flag: &str| -> Result<usize> {
            position(names, name).ok_or_else(|| {
                SentirError::Usage(format!(
                    "column {name:?} ({flag}) not found; the columns are: {}",
                    listing()
                ))
            })
        };
        let date = match &cols.date {
            Some(d) => required(d, "--date-column")?,
            None => DATE_COLUMN_CANDIDATES
                .iter()
                .find_map(|c| position(names, c))
                .ok_or_else(|| {
                    SentirError::Usage(format!(
                        "no date column found (tried {}; use --date-column NAME); the columns are: {}",
                        DATE_COLUMN_CANDIDATES.join(", "),
                        listing()
                    ))
                })?,
        };
        let optional = |c: &Option<String>, flag: &str| -> Result<Option<usize>> {
            c.as_deref().map(|name| required(name, flag)).transpose()
        };
        let product = optional(&cols.product, "--product-column")?;
        let thread = optional(&cols.thread, "--thread-column")?;
        let sender = optional(&cols.sender, "--sender-column")?;
        let sentiment = position(names, "sentiment").ok_or_else(|| {
            SentirError::Usage(format!(
                "column \"sentiment\" not found: report reads the output of `sentir classify`; the columns are: {}",
                listing()
            ))
        })?;
        let text = match &cols.text {
            Some(t) => Some(required(t, "--text-column")?),
            None => crate::io::find_text_column(names, None).ok(),
        };
        let label = |n: &str| position(names, n);
        let language = match &cols.language {
            Some(l) => Some(required(l, "--language-column")?),
            None => label("language"),
        };
        Ok(Getters {
            resolved: ResolvedColumns {
                date: names[date].clone(),
                product: product.map(|i| names[i].clone()),
                thread: thread.map(|i| names[i].clone()),
                sender: sender.map(|i| names[i].clone()),
                buyer_value: sender.map(|_| cols.buyer_value.clone()),
                text: text.map(|i| names[i].clone()),
                language: language.map(|i| names[i].clone()),
            },
            date: make(date),
            product: product.map(make),
            thread: thread.map(make),
            sender: sender.map(make),
            text: text.map(make),
            sentiment: make(sentiment),
            p_negative: label("p_negative").map(make),
            language: language.map(make),
            reason: label("reason").map(make),
            error: label("error").map(make),
        })
    }
}

/// Column values of Parquet batches as text, computed once per batch and column.
#[derive(Default)]
struct ArrowCells {
    batch: Option<Arc<RecordBatch>>,
    columns: HashMap<usize, Vec<Option<String>>>,
}

impl ArrowCells {
    fn get(&mut self, batch: &Arc<RecordBatch>, col: usize, row: usize) -> Result<Option<String>> {
        if !self.batch.as_ref().is_some_and(|b| Arc::ptr_eq(b, batch)) {
            self.batch = Some(batch.clone());
            self.columns.clear();
        }
        let values = match self.columns.entry(col) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(column_strings(batch.column(col).as_ref()).map_err(|t| {
                    SentirError::Usage(format!(
                        "column {:?} has type {t}, which sentir report cannot read",
                        batch.schema().field(col).name()
                    ))
                })?)
            }
        };
        Ok(values[row].clone())
    }
}

/// A trimmed, non-empty cell value.
fn cell(row: &Row, g: &Getter, arrow: &mut ArrowCells) -> Result<Option<String>> {
    let v = match (&row.payload, g) {
        (Payload::Fields(rec), Getter::Index(i)) => {
            rec.get(*i).map(|b| String::from_utf8_lossy(b).into_owned())
        }
        (Payload::Object(o), Getter::Key(k)) => match o.get(k) {
            None | Some(serde_json::Value::Null) => None,
            Some(serde_json::Value::String(s)) => Some(s.clone()),
            Some(v) => Some(v.to_string()),
        },
        (Payload::Arrow { batch, row }, Getter::Index(i)) => arrow.get(batch, *i, *row)?,
        _ => None,
    };
    Ok(v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty()))
}

/// Bad rows found while reading: counted, the first few kept for the error message.
#[derive(Default)]
struct Problems {
    count: usize,
    listed: Vec<String>,
}

impl Problems {
    fn add(&mut self, msg: String) {
        self.count += 1;
        if self.listed.len() < MAX_LISTED {
            self.listed.push(msg);
        }
    }
}

/// Reads a labelled export. Missing columns, unreadable dates and rows with neither a
/// label nor an error are usage errors (exit code 2) naming the column or the lines.
pub fn read_labelled(input: &str, cols: &ReportColumns, delimiter: u8) -> Result<Labelled> {
    let (mut source, format, _) = open_source(input, None, cols.text.as_deref(), delimiter)?;
    if format == Format::Text {
        return Err(SentirError::Usage(format!(
            "{input}: not a labelled export (a CSV with a header, JSONL or Parquet file written by `sentir classify`)"
        )));
    }
    let unit = if format.is_columnar() { "row" } else { "line" };
    let header: Option<Vec<String>> = match (source.columns(), source.arrow_schema()) {
        (Some(c), _) => Some(
            c.iter()
                .map(|h| String::from_utf8_lossy(h).into_owned())
                .collect(),
        ),
        (None, Some(s)) => Some(s.fields().iter().map(|f| f.name().clone()).collect()),
        (None, None) => None,
    };
    let mut getters = header
        .as_ref()
        .map(|h| Getters::resolve(h, cols, false))
        .transpose()?;
    let mut arrow = ArrowCells::default();
    let mut problems = Problems::default();
    let mut records = Vec::new();
    let mut sender_values: Vec<String> = Vec::new();
    while let Some(row) = source.next_row()? {
        if getters.is_none() {
            // JSONL: the first object's keys are the columns.
            if let Payload::Object(o) = &row.payload {
                let keys: Vec<String> = o.keys().cloned().collect();
                getters = Some(Getters::resolve(&keys, cols, true)?);
            }
        }
        let line = row.at.number();
        let Some(g) = getters.as_ref() else {
            problems.add(format!("{unit} {line}: not a JSON object"));
            continue;
        };
        let get = |x: &Getter, arrow: &mut ArrowCells| cell(&row, x, arrow);
        let opt = |x: &Option<Getter>, arrow: &mut ArrowCells| -> Result<Option<String>> {
            match x {
                Some(x) => cell(&row, x, arrow),
                None => Ok(None),
            }
        };
        let error = match (&row.payload, opt(&g.error, &mut arrow)?) {
            (Payload::Raw(_), _) => Some(
                row.text
                    .as_ref()
                    .err()
                    .map(|e| e.to_string())
                    .unwrap_or_else(|| format!("{unit} {line}: not a JSON object")),
            ),
            (_, e) => e,
        };
        let date_raw = get(&g.date, &mut arrow)?;
        let time = date_raw.as_deref().and_then(parse_date);
        let sender = opt(&g.sender, &mut arrow)?;
        let thread = opt(&g.thread, &mut arrow)?;
        let sentiment_raw = get(&g.sentiment, &mut arrow)?;
        let sentiment = sentiment_raw.as_deref().and_then(Sentiment::parse);
        if error.is_none() {
            let date_col = &g.resolved.date;
            match (&date_raw, time) {
                (None, _) => {
                    problems.add(format!("{unit} {line}: empty date in column {date_col:?}"))
                }
                (Some(d), None) => problems.add(format!(
                    "{unit} {line}: bad date {d:?} in column {date_col:?} (expected {DATE_FORMATS})"
                )),
                _ => {}
            }
            match (&sentiment_raw, sentiment) {
                (None, _) => problems.add(format!(
                    "{unit} {line}: no sentiment and no error (is this the output of `sentir classify`?)"
                )),
                (Some(s), None) => problems.add(format!(
                    "{unit} {line}: sentiment {s:?} is not negative, neutral or positive"
                )),
                _ => {}
            }
            if let (Some(c), None) = (&g.resolved.sender, &sender) {
                problems.add(format!("{unit} {line}: empty sender in column {c:?}"));
            }
            if let (Some(c), None) = (&g.resolved.thread, &thread) {
                problems.add(format!("{unit} {line}: empty thread id in column {c:?}"));
            }
        }
        let buyer = match (&sender, &g.resolved.buyer_value) {
            (Some(s), Some(b)) => s.eq_ignore_ascii_case(b),
            (None, Some(_)) => false,
            (_, None) => true,
        };
        if let Some(s) = &sender {
            if sender_values.len() < 20 && !sender_values.contains(s) {
                sender_values.push(s.clone());
            }
        }
        records.push(Record {
            line,
            time,
            product: opt(&g.product, &mut arrow)?,
            thread,
            buyer,
            sentiment: if error.is_none() { sentiment } else { None },
            p_negative: opt(&g.p_negative, &mut arrow)?.and_then(|v| v.parse().ok()),
            language: opt(&g.language, &mut arrow)?
                .map(|l| crate::langid::normalize_given(&l).into_owned())
                .filter(|l| !l.is_empty()),
            reason: opt(&g.reason, &mut arrow)?.filter(|r| !r.is_empty()),
            text: match (&row.text, &g.text) {
                (Ok(t), _) => Some(t.clone()),
                (Err(_), Some(t)) => cell(&row, t, &mut arrow)?,
                (Err(_), None) => None,
            },
            error,
        });
    }
    if problems.count > 0 {
        let mut msg = format!(
            "{input}: {} problem{} in the rows:",
            problems.count,
            if problems.count == 1 { "" } else { "s" }
        );
        for p in &problems.listed {
            msg.push_str("\n  ");
            msg.push_str(p);
        }
        if problems.count > problems.listed.len() {
            msg.push_str(&format!(
                "\n  … and {} more",
                problems.count - problems.listed.len()
            ));
        }
        return Err(SentirError::Usage(msg));
    }
    let Some(g) = getters else {
        return Err(SentirError::Usage(format!(
            "{input}: no rows (no JSON object to take the columns from)"
        )));
    };
    if let (Some(col), Some(b)) = (&g.resolved.sender, &g.resolved.buyer_value) {
        if !records.is_empty() && !records.iter().any(|r| r.buyer) {
            return Err(SentirError::Usage(format!(
                "no row has sender {b:?} in column {col:?} (values seen: {}); use --buyer-value",
                sender_values.join(", ")
            )));
        }
    }
    Ok(Labelled {
        input: input.to_string(),
        format,
        unit,
        columns: g.resolved,
        records,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dt(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
    }

    #[test]
    fn date_formats() {
        assert_eq!(
            parse_date("2026-10-05T09:14:00Z"),
            Some(dt("2026-10-05 09:14:00"))
        );
        assert_eq!(
            parse_date("2026-10-05T11:14:00+02:00"),
            Some(dt("2026-10-05 09:14:00"))
        );
        assert_eq!(
            parse_date("2026-10-05 09:14"),
            Some(dt("2026-10-05 09:14:00"))
        );
        assert_eq!(
            parse_date("2026-10-05 09:14:30"),
            Some(dt("2026-10-05 09:14:30"))
        );
        assert_eq!(
            parse_date("2026-10-05T09:14:30.250"),
            Some(dt("2026-10-05 09:14:30") + chrono::Duration::milliseconds(250))
        );
        assert_eq!(parse_date(" 2026-10-05 "), Some(dt("2026-10-05 00:00:00")));
        for bad in [
            "2026-13-01",
            "05/10/2026",
            "yesterday",
            "",
            "2026-10-05 25:00",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn missing_columns_are_named() {
        let names: Vec<String> = ["id", "sent_at", "text", "sentiment"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let cols = ReportColumns {
            product: Some("product".into()),
            buyer_value: "buyer".into(),
            ..Default::default()
        };
        let e = Getters::resolve(&names, &cols, false).err().unwrap();
        assert_eq!(e.exit_code(), 2);
        assert!(
            e.to_string()
                .contains("\"product\" (--product-column) not found"),
            "{e}"
        );
        assert!(
            e.to_string().contains("id, sent_at, text, sentiment"),
            "{e}"
        );
        let cols = ReportColumns {
            buyer_value: "buyer".into(),
            ..Default::default()
        };
        let g = Getters::resolve(&names, &cols, false).unwrap();
        assert_eq!(g.resolved.date, "sent_at");
        assert_eq!(g.resolved.text.as_deref(), Some("text"));
    }
}
