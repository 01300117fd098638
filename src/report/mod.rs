//! `sentir report`: a dashboard of a labelled export (the output of `sentir classify`) as
//! `report.json` (the figures) and a self-contained `report.html` (inline SVG charts, no
//! network).
//!
//! Sections: buyer sentiment (overall, per period with the last 4 weeks as a trend, per
//! language, per product, the most negative messages), contacts (buyer messages and
//! threads per period and per product), response time (median and p90 per period,
//! unanswered messages) and the rows with errors. Sections whose column was not given are
//! left out, and `omitted` in the JSON says why. The figures are defined in [`stats`].

pub mod data;
pub mod html;
pub mod reasons;
pub mod stats;

use crate::error::{Result, SentirError};
use crate::io::atomic::write_file;
use crate::sentiment::Sentiment;
use chrono::{Duration, NaiveDate};
use data::{read_labelled, Labelled, Record, ReportColumns, ResolvedColumns};
use serde::Serialize;
use stats::{
    count_by, periods, response_stats, response_times, trend_weeks, Counts, Message, Period,
    ResponseStats,
};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;

/// How many of the most negative messages the report quotes.
pub const TOP_NEGATIVE: usize = 10;
/// Longest quoted message, in characters.
const QUOTE_CHARS: usize = 280;

/// Everything `report` needs.
#[derive(Clone, Debug)]
pub struct ReportConfig {
    /// The labelled export (CSV, JSONL or Parquet), or `-` for stdin.
    pub input: String,
    /// Output directory (created if missing; `report.json` and `report.html` in it are
    /// replaced atomically, other files are left alone).
    pub out_dir: PathBuf,
    /// Which columns to read.
    pub columns: ReportColumns,
    /// Day or week periods.
    pub period: Period,
    /// CSV delimiter.
    pub delimiter: u8,
}

/// What `report` wrote.
#[derive(Clone, Debug)]
pub struct ReportSummary {
    /// Path of report.json.
    pub json: PathBuf,
    /// Path of report.html.
    pub html: PathBuf,
    /// Rows read.
    pub rows: u64,
    /// Buyer messages counted in the sentiment figures.
    pub labelled_buyer_messages: u64,
    /// Rows with an error.
    pub errors: u64,
}

/// Sentiment counts and shares, as written to the JSON.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct SentimentFigures {
    /// Labelled messages counted.
    pub messages: u64,
    /// Negative messages.
    pub negative: u64,
    /// Neutral messages.
    pub neutral: u64,
    /// Positive messages.
    pub positive: u64,
    /// negative / messages (4 decimals; null when there are no messages).
    pub negative_share: Option<f64>,
    /// neutral / messages.
    pub neutral_share: Option<f64>,
    /// positive / messages.
    pub positive_share: Option<f64>,
}

impl From<Counts> for SentimentFigures {
    fn from(c: Counts) -> Self {
        SentimentFigures {
            messages: c.total(),
            negative: c.negative,
            neutral: c.neutral,
            positive: c.positive,
            negative_share: c.share(Sentiment::Negative),
            neutral_share: c.share(Sentiment::Neutral),
            positive_share: c.share(Sentiment::Positive),
        }
    }
}

impl SentimentFigures {
    /// The count of one sentiment.
    pub fn count(&self, s: Sentiment) -> u64 {
        match s {
            Sentiment::Negative => self.negative,
            Sentiment::Neutral => self.neutral,
            Sentiment::Positive => self.positive,
        }
    }
}

/// Row counts.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct RowCounts {
    /// Rows in the file.
    pub total: u64,
    /// Buyer rows (all rows without a sender column), errors included.
    pub buyer: u64,
    /// Other rows (the seller side).
    pub seller: u64,
    /// Rows with a label.
    pub labelled: u64,
    /// Rows with an error.
    pub errors: u64,
}

/// Sentiment of one period.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PeriodSentiment {
    /// First day of the period (YYYY-MM-DD; the Monday for weeks).
    pub period: String,
    /// Inside the 4-week trend window.
    pub in_trend: bool,
    /// The figures.
    #[serde(flatten)]
    pub sentiment: SentimentFigures,
}

/// Sentiment of one group (language or product).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GroupSentiment {
    /// The language code (`unknown` when not detected) or the product (`(none)` when empty).
    pub key: String,
    /// The figures.
    #[serde(flatten)]
    pub sentiment: SentimentFigures,
}

/// One of the most negative buyer messages.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NegativeMessage {
    /// Line (row for Parquet) in the labelled file.
    pub line: u64,
    /// When it was sent (UTC, YYYY-MM-DD HH:MM).
    pub date: String,
    /// Probability of negative, if the file has it.
    pub p_negative: Option<f32>,
    /// Product, if known.
    pub product: Option<String>,
    /// Thread, if known.
    pub thread: Option<String>,
    /// The message (cut at 280 characters).
    pub text: Option<String>,
}

/// Buyer sentiment.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SentimentSection {
    /// Which rows count as buyer messages.
    pub scope: String,
    /// All labelled buyer messages.
    pub overall: SentimentFigures,
    /// Per period, every period from the first to the last buyer message.
    pub by_period: Vec<PeriodSentiment>,
    /// Per detected language, most messages first.
    pub by_language: Vec<GroupSentiment>,
    /// Per product, most messages first (null without a product column).
    pub by_product: Option<Vec<GroupSentiment>>,
    /// The most negative messages (highest p_negative first).
    pub top_negative: Vec<NegativeMessage>,
}

/// One week of the trend.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TrendWeek {
    /// The Monday.
    pub week: String,
    /// Buyer sentiment that week.
    #[serde(flatten)]
    pub sentiment: SentimentFigures,
    /// Buyer messages that week (errors included).
    pub buyer_messages: u64,
    /// Median response time that week (null without response times or answers).
    pub median_response_seconds: Option<i64>,
}

/// The last 4 ISO weeks (ending with the week of the latest buyer message) against the 4
/// before.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Trend {
    /// Monday of the first week of the window.
    pub from: String,
    /// Sunday of the last week.
    pub to: String,
    /// The 4 weeks, oldest first.
    pub weeks: Vec<TrendWeek>,
    /// Sentiment over the window.
    pub last_4_weeks: SentimentFigures,
    /// Sentiment over the 4 weeks before.
    pub previous_4_weeks: SentimentFigures,
    /// last_4_weeks.negative_share − previous_4_weeks.negative_share (null if either is).
    pub negative_share_change: Option<f64>,
}

/// Contacts in one period.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PeriodContacts {
    /// First day of the period.
    pub period: String,
    /// Inside the trend window.
    pub in_trend: bool,
    /// Buyer messages sent in the period (errors included).
    pub buyer_messages: u64,
    /// Threads with a buyer message in the period (null without a thread column).
    pub threads: Option<u64>,
}

/// Contacts about one product.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ProductContacts {
    /// The product (`(none)` when empty).
    pub product: String,
    /// Buyer messages about it.
    pub buyer_messages: u64,
    /// Threads with a buyer message about it (null without a thread column).
    pub threads: Option<u64>,
}

/// Buyer contacts.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ContactsSection {
    /// Buyer messages with a date (errors included).
    pub buyer_messages: u64,
    /// Threads with at least one buyer message (null without a thread column).
    pub threads: Option<u64>,
    /// Per period.
    pub by_period: Vec<PeriodContacts>,
    /// Per product, most messages first (null without a product column).
    pub by_product: Option<Vec<ProductContacts>>,
}

/// Response times in one period (of the buyer message).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PeriodResponse {
    /// First day of the period.
    pub period: String,
    /// Inside the trend window.
    pub in_trend: bool,
    /// The figures.
    #[serde(flatten)]
    pub stats: ResponseStats,
}

/// Seller response times.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ResponseSection {
    /// How a response time is measured.
    pub definition: String,
    /// How median and p90 are computed.
    pub percentile_method: String,
    /// All buyer messages.
    pub overall: ResponseStats,
    /// Per period of the buyer message.
    pub by_period: Vec<PeriodResponse>,
}

/// One row with an error.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ErrorRow {
    /// Line (row for Parquet) in the labelled file.
    pub line: u64,
    /// The row's error.
    pub error: String,
}

/// Rows with errors: all of them, never dropped.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ErrorsSection {
    /// How many.
    pub count: u64,
    /// Every one, in file order.
    pub rows: Vec<ErrorRow>,
}

/// The first and last message.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DateRange {
    /// Earliest message (UTC).
    pub first: String,
    /// Latest message (UTC).
    pub last: String,
}

/// Everything in report.json (and shown by report.html).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    /// The sentir version that made it.
    pub sentir_version: String,
    /// The labelled file.
    pub input: String,
    /// `line` (CSV, JSONL) or `row` (Parquet): what `line` fields count.
    pub line_unit: String,
    /// `day` or `week`.
    pub period: Period,
    /// The columns used.
    pub columns: ResolvedColumns,
    /// Row counts.
    pub rows: RowCounts,
    /// First and last message (null for no dated rows).
    pub date_range: Option<DateRange>,
    /// Buyer sentiment.
    pub sentiment: SentimentSection,
    /// The 4-week trend (null for no buyer messages).
    pub trend: Option<Trend>,
    /// Buyer contacts.
    pub contacts: ContactsSection,
    /// Response times (null without thread and sender columns).
    pub response_time: Option<ResponseSection>,
    /// Why buyers write (null without a `reason` column or without reasons).
    pub reasons: Option<reasons::ReasonsSection>,
    /// Rows with errors.
    pub errors: ErrorsSection,
    /// Sections left out, and why.
    pub omitted: BTreeMap<String, String>,
}

/// What a response time is, as written to the JSON and the page.
pub const RESPONSE_DEFINITION: &str = "for each buyer message, the time until the next seller message in the same thread that comes after it (messages ordered by time, then by file position); consecutive buyer messages before one reply each get their own time to that reply; a buyer message with no later seller message is unanswered";
/// The percentile method, as written to the JSON and the page.
pub const PERCENTILE_METHOD: &str = "nearest-rank over answered buyer messages: the p-th percentile of n sorted times is the value at rank ceil(p*n/100)";

fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn key_or(v: &Option<String>, none: &str) -> String {
    v.clone().unwrap_or_else(|| none.to_string())
}

impl NegativeMessage {
    /// The quoted form of a row.
    fn of(r: &Record) -> NegativeMessage {
        NegativeMessage {
            line: r.line,
            date: r
                .time
                .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
                .unwrap_or_default(),
            p_negative: r.p_negative,
            product: r.product.clone(),
            thread: r.thread.clone(),
            text: quote(&r.text),
        }
    }
}

/// Highest `p_negative` first, then latest, then file order.
fn most_negative_first(a: &Record, b: &Record) -> std::cmp::Ordering {
    let pa = a.p_negative.unwrap_or(f32::NEG_INFINITY);
    let pb = b.p_negative.unwrap_or(f32::NEG_INFINITY);
    pb.total_cmp(&pa)
        .then(b.time.cmp(&a.time))
        .then(a.line.cmp(&b.line))
}

fn quote(text: &Option<String>) -> Option<String> {
    text.as_ref().map(|t| {
        let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
        if t.chars().count() > QUOTE_CHARS {
            let mut s: String = t.chars().take(QUOTE_CHARS - 1).collect();
            s.push('…');
            s
        } else {
            t
        }
    })
}

/// Groups counts per key, most messages first (ties by key).
fn groups<'a>(items: impl IntoIterator<Item = (String, Sentiment)> + 'a) -> Vec<GroupSentiment> {
    let mut v: Vec<GroupSentiment> = count_by(items)
        .into_iter()
        .map(|(key, c)| GroupSentiment {
            key,
            sentiment: c.into(),
        })
        .collect();
    v.sort_by(|a, b| {
        b.sentiment
            .messages
            .cmp(&a.sentiment.messages)
            .then(a.key.cmp(&b.key))
    });
    v
}

/// Computes every figure of the report from the labelled rows (no I/O).
pub fn build(data: &Labelled, period: Period) -> Report {
    let recs = &data.records;
    let cols = &data.columns;
    let has_sender = cols.sender.is_some();
    let has_thread = cols.thread.is_some();
    let has_product = cols.product.is_some();

    let rows = RowCounts {
        total: recs.len() as u64,
        buyer: recs.iter().filter(|r| r.buyer).count() as u64,
        seller: recs.iter().filter(|r| !r.buyer).count() as u64,
        labelled: recs.iter().filter(|r| r.sentiment.is_some()).count() as u64,
        errors: recs.iter().filter(|r| r.error.is_some()).count() as u64,
    };
    let dated = || recs.iter().filter_map(|r| r.time.map(|t| (r, t)));
    let date_range = match (dated().map(|(_, t)| t).min(), dated().map(|(_, t)| t).max()) {
        (Some(a), Some(b)) => Some(DateRange {
            first: a.format("%Y-%m-%d %H:%M").to_string(),
            last: b.format("%Y-%m-%d %H:%M").to_string(),
        }),
        _ => None,
    };
    // Buyer messages with a date (errors included) and labelled buyer messages.
    let buyer: Vec<(&Record, NaiveDate)> = dated()
        .filter(|(r, _)| r.buyer)
        .map(|(r, t)| (r, t.date()))
        .collect();
    let labelled: Vec<(&Record, NaiveDate, Sentiment)> = buyer
        .iter()
        .filter_map(|&(r, d)| r.sentiment.map(|s| (r, d, s)))
        .collect();

    let first = buyer.iter().map(|&(_, d)| d).min();
    let last = buyer.iter().map(|&(_, d)| d).max();
    let period_list = match (first, last) {
        (Some(a), Some(b)) => periods(a, b, period),
        _ => Vec::new(),
    };
    let window = last.map(trend_weeks);
    let (win_from, win_to) = match &window {
        Some((w, _)) => (Some(w[0]), Some(w[3] + Duration::days(6))),
        None => (None, None),
    };
    let in_trend = |p: NaiveDate| match (win_from, win_to) {
        (Some(a), Some(b)) => p >= a && p <= b,
        _ => false,
    };

    // Sentiment.
    let mut overall = Counts::default();
    for &(_, _, s) in &labelled {
        overall.add(s);
    }
    let per_period = count_by(labelled.iter().map(|&(_, d, s)| (period.start(d), s)));
    let by_period = period_list
        .iter()
        .map(|&p| PeriodSentiment {
            period: day(p),
            in_trend: in_trend(p),
            sentiment: per_period.get(&p).copied().unwrap_or_default().into(),
        })
        .collect();
    let by_language = groups(
        labelled
            .iter()
            .map(|&(r, _, s)| (key_or(&r.language, "unknown"), s)),
    );
    let by_product = has_product.then(|| {
        groups(
            labelled
                .iter()
                .map(|&(r, _, s)| (key_or(&r.product, "(none)"), s)),
        )
    });
    let mut negatives: Vec<&(&Record, NaiveDate, Sentiment)> = labelled
        .iter()
        .filter(|(_, _, s)| *s == Sentiment::Negative)
        .collect();
    negatives.sort_by(|a, b| most_negative_first(a.0, b.0));
    let top_negative = negatives
        .iter()
        .take(TOP_NEGATIVE)
        .map(|(r, _, _)| NegativeMessage::of(r))
        .collect();
    let scope = match (&cols.sender, &cols.buyer_value) {
        (Some(c), Some(b)) => format!("buyer messages ({c} = {b}), without errors"),
        _ => "all rows without errors (no sender column: every row counts as a buyer message)"
            .to_string(),
    };

    // Contacts.
    let threads_of = |it: &mut dyn Iterator<Item = &Record>| -> u64 {
        it.filter_map(|r| r.thread.as_deref())
            .collect::<BTreeSet<_>>()
            .len() as u64
    };
    let mut contacts_period: BTreeMap<NaiveDate, (u64, BTreeSet<&str>)> = BTreeMap::new();
    for &(r, d) in &buyer {
        let e = contacts_period.entry(period.start(d)).or_default();
        e.0 += 1;
        if let Some(t) = r.thread.as_deref() {
            e.1.insert(t);
        }
    }
    let contacts_by_period = period_list
        .iter()
        .map(|&p| {
            let (n, t) = contacts_period.get(&p).cloned().unwrap_or_default();
            PeriodContacts {
                period: day(p),
                in_trend: in_trend(p),
                buyer_messages: n,
                threads: has_thread.then_some(t.len() as u64),
            }
        })
        .collect();
    let contacts_by_product = has_product.then(|| {
        let mut m: BTreeMap<String, (u64, BTreeSet<&str>)> = BTreeMap::new();
        for &(r, _) in &buyer {
            let e = m.entry(key_or(&r.product, "(none)")).or_default();
            e.0 += 1;
            if let Some(t) = r.thread.as_deref() {
                e.1.insert(t);
            }
        }
        let mut v: Vec<ProductContacts> = m
            .into_iter()
            .map(|(product, (n, t))| ProductContacts {
                product,
                buyer_messages: n,
                threads: has_thread.then_some(t.len() as u64),
            })
            .collect();
        v.sort_by(|a, b| {
            b.buyer_messages
                .cmp(&a.buyer_messages)
                .then(a.product.cmp(&b.product))
        });
        v
    });
    let contacts = ContactsSection {
        buyer_messages: buyer.len() as u64,
        threads: has_thread.then(|| threads_of(&mut buyer.iter().map(|&(r, _)| r))),
        by_period: contacts_by_period,
        by_product: contacts_by_product,
    };

    // Response times: every dated message with a thread takes part.
    let mut week_medians: HashMap<NaiveDate, Option<i64>> = HashMap::new();
    let response_time = (has_thread && has_sender).then(|| {
        let msgs: Vec<(&Record, Message)> = dated()
            .filter_map(|(r, t)| {
                r.thread.as_deref().map(|th| {
                    (
                        r,
                        Message {
                            thread: th,
                            time: t,
                            order: r.line,
                            buyer: r.buyer,
                        },
                    )
                })
            })
            .collect();
        let plain: Vec<Message> = msgs.iter().map(|(_, m)| m.clone()).collect();
        let times = response_times(&plain);
        let buyer_times: Vec<(NaiveDate, Option<i64>)> = msgs
            .iter()
            .zip(&times)
            .filter_map(|((_, m), t)| t.map(|t| (m.time.date(), t)))
            .collect();
        let mut per: BTreeMap<NaiveDate, Vec<Option<i64>>> = BTreeMap::new();
        let mut per_week: BTreeMap<NaiveDate, Vec<Option<i64>>> = BTreeMap::new();
        for &(d, t) in &buyer_times {
            per.entry(period.start(d)).or_default().push(t);
            per_week.entry(stats::week_start(d)).or_default().push(t);
        }
        for (w, ts) in &per_week {
            week_medians.insert(*w, response_stats(ts).median_seconds);
        }
        let all: Vec<Option<i64>> = buyer_times.iter().map(|&(_, t)| t).collect();
        ResponseSection {
            definition: RESPONSE_DEFINITION.to_string(),
            percentile_method: PERCENTILE_METHOD.to_string(),
            overall: response_stats(&all),
            by_period: period_list
                .iter()
                .map(|&p| PeriodResponse {
                    period: day(p),
                    in_trend: in_trend(p),
                    stats: response_stats(per.get(&p).map(Vec::as_slice).unwrap_or_default()),
                })
                .collect(),
        }
    });

    let reasons = reasons::build(&labelled, window.as_ref(), has_product);

    // Trend (always weekly).
    let trend = window.map(|(weeks, previous)| {
        let weekly = count_by(labelled.iter().map(|&(_, d, s)| (stats::week_start(d), s)));
        let mut weekly_contacts: HashMap<NaiveDate, u64> = HashMap::new();
        for &(_, d) in &buyer {
            *weekly_contacts.entry(stats::week_start(d)).or_default() += 1;
        }
        let sum = |ws: &[NaiveDate]| {
            let mut c = Counts::default();
            for w in ws {
                if let Some(x) = weekly.get(w) {
                    c.merge(x);
                }
            }
            SentimentFigures::from(c)
        };
        let last_4_weeks = sum(&weeks);
        let previous_4_weeks = sum(&previous);
        Trend {
            from: day(weeks[0]),
            to: day(weeks[3] + Duration::days(6)),
            weeks: weeks
                .iter()
                .map(|w| TrendWeek {
                    week: day(*w),
                    sentiment: weekly.get(w).copied().unwrap_or_default().into(),
                    buyer_messages: weekly_contacts.get(w).copied().unwrap_or(0),
                    median_response_seconds: week_medians.get(w).copied().flatten(),
                })
                .collect(),
            negative_share_change: match (
                last_4_weeks.negative_share,
                previous_4_weeks.negative_share,
            ) {
                (Some(a), Some(b)) => Some(stats::round4(a - b)),
                _ => None,
            },
            last_4_weeks,
            previous_4_weeks,
        }
    });

    let errors = ErrorsSection {
        count: rows.errors,
        rows: recs
            .iter()
            .filter_map(|r| {
                r.error.as_ref().map(|e| ErrorRow {
                    line: r.line,
                    error: e.clone(),
                })
            })
            .collect(),
    };

    let mut omitted = BTreeMap::new();
    if reasons.is_none() {
        omitted.insert(
            "reasons".to_string(),
            "no reasons: the labelled file has no reason values (a model without a reason head, or --no-reason)".to_string(),
        );
    }
    if !has_product {
        let why = "no product column (use --product-column)".to_string();
        omitted.insert("sentiment.by_product".to_string(), why.clone());
        omitted.insert("contacts.by_product".to_string(), why);
    }
    if !has_thread {
        omitted.insert(
            "contacts.threads".to_string(),
            "no thread column (use --thread-column)".to_string(),
        );
    }
    if !(has_thread && has_sender) {
        let missing: Vec<&str> = [
            (!has_thread).then_some("--thread-column"),
            (!has_sender).then_some("--sender-column"),
        ]
        .into_iter()
        .flatten()
        .collect();
        omitted.insert(
            "response_time".to_string(),
            format!(
                "needs thread and sender columns (use {})",
                missing.join(" and ")
            ),
        );
    }

    Report {
        sentir_version: env!("CARGO_PKG_VERSION").to_string(),
        input: data.input.clone(),
        line_unit: data.unit.to_string(),
        period,
        columns: cols.clone(),
        rows,
        date_range,
        sentiment: SentimentSection {
            scope,
            overall: overall.into(),
            by_period,
            by_language,
            by_product,
            top_negative,
        },
        trend,
        contacts,
        response_time,
        reasons,
        errors,
        omitted,
    }
}

/// Runs the command: reads the labelled export, computes the figures and writes
/// `report.json` and `report.html` into the output directory (each atomically).
pub fn report(cfg: &ReportConfig) -> Result<ReportSummary> {
    let data = read_labelled(&cfg.input, &cfg.columns, cfg.delimiter)?;
    let report = build(&data, cfg.period);
    let json = serde_json::to_string_pretty(&report)
        .map_err(|e| SentirError::Other(format!("cannot serialise the report: {e}")))?;
    let page = html::render(&report);
    std::fs::create_dir_all(&cfg.out_dir).map_err(|e| SentirError::io(&cfg.out_dir, e))?;
    let json_path = cfg.out_dir.join("report.json");
    let html_path = cfg.out_dir.join("report.html");
    write_file(&json_path, format!("{json}\n").as_bytes())?;
    write_file(&html_path, page.as_bytes())?;
    Ok(ReportSummary {
        json: json_path,
        html: html_path,
        rows: report.rows.total,
        labelled_buyer_messages: report.sentiment.overall.messages,
        errors: report.errors.count,
    })
}
