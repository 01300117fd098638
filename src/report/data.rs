//! Reading a labelled export (the output of `sentir classify`, as CSV, JSONL or Parquet)
//! into typed records for the report.
//!
//! Rows are read with the classify readers ([`crate::io::open_source`]). A row whose
//! `error` is set is kept as an error row; every other row must have a readable date, a
//! sentiment and (when those columns are used) a sender and a thread id, or the report
//! stops with an error listing the first bad lines.

use super::columns::{Getters, ReportColumns, ResolvedColumns};
use crate::error::{Result, SentirError};
use crate::io::arrow_values::column_strings;
use crate::io::cell::{cell, column_names, Column};
use crate::io::{open_source, Format, InputSpec, Payload, Row};
use crate::sentiment::Sentiment;
use arrow_array::RecordBatch;
use chrono::{DateTime, NaiveDate, NaiveDateTime};
use std::collections::HashMap;
use std::sync::Arc;

/// The accepted date formats, for error messages.
const DATE_FORMATS: &str = "RFC 3339 (2026-10-05T09:14:00Z), YYYY-MM-DD HH:MM[:SS] or YYYY-MM-DD";

/// How many bad rows an error message lists.
const MAX_LISTED: usize = 10;

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

/// A labelled export (the output of `sentir classify`), read for the report.
#[derive(Clone, Debug)]
pub struct LabelledExport {
    /// Input path (or `-`).
    pub input: String,
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

    /// A trimmed, non-empty cell value (Arrow columns converted once per batch).
    fn cell(&mut self, row: &Row, column: &Column) -> Result<Option<String>> {
        let v = match (&row.payload, column) {
            (Payload::Arrow { batch, row }, Column::Index(i)) => self.get(batch, *i, *row)?,
            _ => cell(row, column).map_err(SentirError::Usage)?,
        };
        Ok(v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty()))
    }

    /// As [`ArrowCells::cell`], `None` for a column the file does not have.
    fn opt(&mut self, row: &Row, column: &Option<Column>) -> Result<Option<String>> {
        match column {
            Some(c) => self.cell(row, c),
            None => Ok(None),
        }
    }
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

    /// The usage error listing the problems of `input`, if there are any.
    fn check(&self, input: &str) -> Result<()> {
        if self.count == 0 {
            return Ok(());
        }
        let mut msg = format!(
            "{input}: {} problem{} in the rows:",
            self.count,
            if self.count == 1 { "" } else { "s" }
        );
        for p in &self.listed {
            msg.push_str("\n  ");
            msg.push_str(p);
        }
        if self.count > self.listed.len() {
            msg.push_str(&format!(
                "\n  … and {} more",
                self.count - self.listed.len()
            ));
        }
        Err(SentirError::Usage(msg))
    }
}

/// Reads a labelled export. Missing columns, unreadable dates and rows with neither a
/// label nor an error are usage errors (exit code 2) naming the column or the lines.
pub fn read_export(input: &str, cols: &ReportColumns, delimiter: u8) -> Result<LabelledExport> {
    let how = InputSpec {
        delimiter,
        ..InputSpec::with_text_column(cols.text.as_deref())
    };
    let (mut source, format, _) = open_source(input, &how)?;
    if format == Format::Text {
        return Err(SentirError::Usage(format!(
            "{input}: not a labelled export (a CSV with a header, JSONL or Parquet file written by `sentir classify`)"
        )));
    }
    let unit = if format.is_columnar() { "row" } else { "line" };
    let mut getters = column_names(source.as_ref())
        .map(|h| Getters::resolve(&h, cols, false))
        .transpose()?;
    let mut reader = RowReader {
        unit,
        arrow: ArrowCells::default(),
        problems: Problems::default(),
        sender_values: Vec::new(),
    };
    let mut records = Vec::new();
    while let Some(row) = source.next_row()? {
        if getters.is_none() {
            // JSONL: the first object's keys are the columns.
            if let Payload::Object(o) = &row.payload {
                let keys: Vec<String> = o.keys().cloned().collect();
                getters = Some(Getters::resolve(&keys, cols, true)?);
            }
        }
        match getters.as_ref() {
            Some(g) => records.push(reader.record(&row, g)?),
            None => reader
                .problems
                .add(format!("{unit} {}: not a JSON object", row.at.number())),
        }
    }
    reader.problems.check(input)?;
    let Some(g) = getters else {
        return Err(SentirError::Usage(format!(
            "{input}: no rows (no JSON object to take the columns from)"
        )));
    };
    if let (Some(col), Some(b)) = (&g.resolved.sender, &g.resolved.buyer_value) {
        if !records.is_empty() && !records.iter().any(|r| r.buyer) {
            return Err(SentirError::Usage(format!(
                "no row has sender {b:?} in column {col:?} (values seen: {}); use --buyer-value",
                reader.sender_values.join(", ")
            )));
        }
    }
    Ok(LabelledExport {
        input: input.to_string(),
        unit,
        columns: g.resolved,
        records,
    })
}

/// Turns rows into records, noting the bad ones.
struct RowReader {
    unit: &'static str,
    arrow: ArrowCells,
    problems: Problems,
    /// The first distinct sender values, for the message when none is the buyer's.
    sender_values: Vec<String>,
}

impl RowReader {
    /// The record of one row.
    fn record(&mut self, row: &Row, g: &Getters) -> Result<Record> {
        let error = match (&row.payload, self.arrow.opt(row, &g.error)?) {
            (Payload::Raw(_), _) => Some(
                row.text
                    .as_ref()
                    .err()
                    .map(|e| e.to_string())
                    .unwrap_or_else(|| {
                        format!("{} {}: not a JSON object", self.unit, row.at.number())
                    }),
            ),
            (_, e) => e,
        };
        let date_raw = self.arrow.cell(row, &g.date)?;
        let time = date_raw.as_deref().and_then(parse_date);
        let sender = self.arrow.opt(row, &g.sender)?;
        let thread = self.arrow.opt(row, &g.thread)?;
        let sentiment_raw = self.arrow.cell(row, &g.sentiment)?;
        let sentiment = sentiment_raw.as_deref().and_then(Sentiment::parse);
        if error.is_none() {
            let found = Found {
                date: (&date_raw, time.is_some()),
                sentiment: (&sentiment_raw, sentiment.is_some()),
                sender: &sender,
                thread: &thread,
            };
            self.check(row.at.number(), g, found);
        }
        let buyer = match (&sender, &g.resolved.buyer_value) {
            (Some(s), Some(b)) => s.eq_ignore_ascii_case(b),
            (None, Some(_)) => false,
            (_, None) => true,
        };
        if let Some(s) = &sender {
            if self.sender_values.len() < 20 && !self.sender_values.contains(s) {
                self.sender_values.push(s.clone());
            }
        }
        Ok(Record {
            line: row.at.number(),
            time,
            product: self.arrow.opt(row, &g.product)?,
            thread,
            buyer,
            sentiment: if error.is_none() { sentiment } else { None },
            p_negative: self
                .arrow
                .opt(row, &g.p_negative)?
                .and_then(|v| v.parse().ok()),
            language: self
                .arrow
                .opt(row, &g.language)?
                .map(|l| crate::langid::normalize_given(&l).into_owned())
                .filter(|l| !l.is_empty()),
            reason: self.arrow.opt(row, &g.reason)?.filter(|r| !r.is_empty()),
            text: match (&row.text, &g.text) {
                (Ok(t), _) => Some(t.clone()),
                (Err(_), Some(t)) => self.arrow.cell(row, t)?,
                (Err(_), None) => None,
            },
            error,
        })
    }

    /// Notes what a row without an error lacks: a readable date, a sentiment, a sender or
    /// thread id where those columns are used.
    fn check(&mut self, line: u64, g: &Getters, found: Found) {
        let unit = self.unit;
        let date_col = &g.resolved.date;
        match found.date {
            (None, _) => self
                .problems
                .add(format!("{unit} {line}: empty date in column {date_col:?}")),
            (Some(d), false) => self.problems.add(format!(
                "{unit} {line}: bad date {d:?} in column {date_col:?} (expected {DATE_FORMATS})"
            )),
            _ => {}
        }
        match found.sentiment {
            (None, _) => self.problems.add(format!(
                "{unit} {line}: no sentiment and no error (is this the output of `sentir classify`?)"
            )),
            (Some(s), false) => self.problems.add(format!(
                "{unit} {line}: sentiment {s:?} is not negative, neutral or positive"
            )),
            _ => {}
        }
        if let (Some(c), None) = (&g.resolved.sender, found.sender) {
            self.problems
                .add(format!("{unit} {line}: empty sender in column {c:?}"));
        }
        if let (Some(c), None) = (&g.resolved.thread, found.thread) {
            self.problems
                .add(format!("{unit} {line}: empty thread id in column {c:?}"));
        }
    }
}

/// What a row holds of the values every labelled row needs: the raw date and sentiment
/// with whether they parse, the sender and the thread id.
struct Found<'a> {
    date: (&'a Option<String>, bool),
    sentiment: (&'a Option<String>, bool),
    sender: &'a Option<String>,
    thread: &'a Option<String>,
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
}
