//! The serde schema of report.json: every section as written (and read back by the page).

use super::columns::ResolvedColumns;
use super::reasons::ReasonsSection;
use super::stats::{share, Period, ResponseStats};
use crate::sentiment::{Sentiment, SentimentCounts};
use serde::Serialize;
use std::collections::BTreeMap;

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

impl From<SentimentCounts> for SentimentFigures {
    fn from(c: SentimentCounts) -> Self {
        SentimentFigures {
            messages: c.total(),
            negative: c.negative,
            neutral: c.neutral,
            positive: c.positive,
            negative_share: share(c.get(Sentiment::Negative), c.total()),
            neutral_share: share(c.get(Sentiment::Neutral), c.total()),
            positive_share: share(c.get(Sentiment::Positive), c.total()),
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

/// One period of a time series.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PeriodKey {
    /// First day of the period (YYYY-MM-DD; the Monday for weeks).
    pub period: String,
    /// Inside the 4-week trend window.
    pub in_trend: bool,
}

/// Sentiment of one period.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PeriodSentiment {
    /// Which period.
    #[serde(flatten)]
    pub at: PeriodKey,
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

/// Buyer messages and the threads they belong to, under one key (or overall).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ContactCounts {
    /// Buyer messages (errors included).
    pub buyer_messages: u64,
    /// Distinct threads with one of those messages (null without a thread column).
    pub threads: Option<u64>,
}

/// Contacts in one period.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PeriodContacts {
    /// Which period.
    #[serde(flatten)]
    pub at: PeriodKey,
    /// Buyer messages sent in the period (errors included), and their threads.
    #[serde(flatten)]
    pub counts: ContactCounts,
}

/// Contacts about one product.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ProductContacts {
    /// The product (`(none)` when empty).
    pub product: String,
    /// Buyer messages about it, and their threads.
    #[serde(flatten)]
    pub counts: ContactCounts,
}

/// Buyer contacts.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ContactsSection {
    /// Buyer messages with a date (errors included), and their threads.
    #[serde(flatten)]
    pub counts: ContactCounts,
    /// Per period.
    pub by_period: Vec<PeriodContacts>,
    /// Per product, most messages first (null without a product column).
    pub by_product: Option<Vec<ProductContacts>>,
}

/// Response times in one period (of the buyer message).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PeriodResponse {
    /// Which period.
    #[serde(flatten)]
    pub at: PeriodKey,
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
    pub reasons: Option<ReasonsSection>,
    /// Rows with errors.
    pub errors: ErrorsSection,
    /// Sections left out, and why.
    pub omitted: BTreeMap<String, String>,
}

/// What a response time is, as written to the JSON and the page.
pub const RESPONSE_DEFINITION: &str = "for each buyer message, the time until the next seller message in the same thread that comes after it (messages ordered by time, then by file position); consecutive buyer messages before one reply each get their own time to that reply; a buyer message with no later seller message is unanswered";
/// The percentile method, as written to the JSON and the page.
pub const PERCENTILE_METHOD: &str = "nearest-rank over answered buyer messages: the p-th percentile of n sorted times is the value at rank ceil(p*n/100)";
