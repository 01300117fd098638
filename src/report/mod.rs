//! `sentir report`: a dashboard of a labelled export (the output of `sentir classify`) as
//! `report.json` (the figures) and a self-contained `report.html` (inline SVG charts, no
//! network).
//!
//! Sections: buyer sentiment (overall, per period with the last 4 weeks as a trend, per
//! language, per product, the most negative messages), contacts (buyer messages and
//! threads per period and per product), response time (median and p90 per period,
//! unanswered messages) and the rows with errors. Sections whose column was not given are
//! left out, and `omitted` in the JSON says why. The figures are defined in [`stats`].
//!
//! Reading: [`data`] (the columns resolved by [`columns`]). The JSON: [`schema`], built by
//! one module per section ([`sentiment`], [`trend`], [`contacts`], [`response`],
//! [`reasons`], [`errors`]) over the [`Basis`] they share. The page: [`html`].

pub mod columns;
pub mod contacts;
pub mod data;
pub mod errors;
pub mod format;
pub mod html;
pub mod reasons;
pub mod response;
pub mod schema;
pub mod sentiment;
pub mod stats;
pub mod trend;

use crate::error::{Result, SentirError};
use crate::io::atomic::write_file;
use crate::sentiment::Sentiment;
use chrono::{Duration, NaiveDate, NaiveDateTime};
use columns::{ReportColumns, ResolvedColumns};
use data::{read_export, LabelledExport, Record};
use schema::{DateRange, Report, RowCounts};
use stats::{periods, trend_weeks, Period};
use std::path::PathBuf;

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

/// What every section builder reads: the rows, the buyer messages and the periods.
pub struct Basis<'a> {
    /// Every row, in file order.
    pub records: &'a [Record],
    /// The columns used.
    pub columns: &'a ResolvedColumns,
    /// Day or week periods.
    pub period: Period,
    /// Buyer messages with a date (errors included), with their day.
    pub buyer: Vec<(&'a Record, NaiveDate)>,
    /// Labelled buyer messages, with their day and sentiment.
    pub labelled: Vec<(&'a Record, NaiveDate, Sentiment)>,
    /// Every period from the first to the last buyer message.
    pub periods: Vec<NaiveDate>,
    /// The trend weeks (window, previous: Mondays, oldest first); `None` without buyer
    /// messages.
    pub window: Option<(Vec<NaiveDate>, Vec<NaiveDate>)>,
}

impl<'a> Basis<'a> {
    /// The buyer messages and periods of `data`.
    pub fn new(data: &'a LabelledExport, period: Period) -> Basis<'a> {
        let records = data.records.as_slice();
        let buyer: Vec<(&Record, NaiveDate)> = records
            .iter()
            .filter(|r| r.buyer)
            .filter_map(|r| r.time.map(|t| (r, t.date())))
            .collect();
        let labelled = buyer
            .iter()
            .filter_map(|&(r, d)| r.sentiment.map(|s| (r, d, s)))
            .collect();
        let first = buyer.iter().map(|&(_, d)| d).min();
        let last = buyer.iter().map(|&(_, d)| d).max();
        let periods = match (first, last) {
            (Some(a), Some(b)) => periods(a, b, period),
            _ => Vec::new(),
        };
        Basis {
            records,
            columns: &data.columns,
            period,
            buyer,
            labelled,
            periods,
            window: last.map(trend_weeks),
        }
    }

    /// Every row with a date, with it.
    pub fn dated(&self) -> impl Iterator<Item = (&'a Record, NaiveDateTime)> + '_ {
        self.records.iter().filter_map(|r| r.time.map(|t| (r, t)))
    }

    /// The period starting `p`, as the report names it.
    pub fn key(&self, p: NaiveDate) -> schema::PeriodKey {
        schema::PeriodKey {
            period: format::day(p),
            in_trend: self.in_trend(p),
        }
    }

    /// Whether the period starting `p` lies inside the trend window.
    pub fn in_trend(&self, p: NaiveDate) -> bool {
        match &self.window {
            Some((w, _)) => p >= w[0] && p <= w[3] + Duration::days(6),
            None => false,
        }
    }

    /// There is a product column.
    pub fn has_product(&self) -> bool {
        self.columns.product.is_some()
    }

    /// There is a thread column.
    pub fn has_thread(&self) -> bool {
        self.columns.thread.is_some()
    }

    /// There is a sender column.
    pub fn has_sender(&self) -> bool {
        self.columns.sender.is_some()
    }
}

/// Computes every figure of the report from the labelled rows (no I/O).
pub fn build(data: &LabelledExport, period: Period) -> Report {
    let b = Basis::new(data, period);
    let (response_time, week_medians) = response::build(&b);
    let reasons = reasons::build(&b);
    let rows = row_counts(b.records);
    Report {
        sentir_version: env!("CARGO_PKG_VERSION").to_string(),
        input: data.input.clone(),
        line_unit: data.unit.to_string(),
        period,
        columns: b.columns.clone(),
        date_range: date_range(&b),
        sentiment: sentiment::build(&b),
        trend: trend::build(&b, &week_medians),
        contacts: contacts::build(&b),
        omitted: errors::omitted(&b, reasons.is_none()),
        errors: errors::build(b.records, rows.errors),
        rows,
        response_time,
        reasons,
    }
}

fn row_counts(recs: &[Record]) -> RowCounts {
    RowCounts {
        total: recs.len() as u64,
        buyer: recs.iter().filter(|r| r.buyer).count() as u64,
        seller: recs.iter().filter(|r| !r.buyer).count() as u64,
        labelled: recs.iter().filter(|r| r.sentiment.is_some()).count() as u64,
        errors: recs.iter().filter(|r| r.error.is_some()).count() as u64,
    }
}

fn date_range(b: &Basis) -> Option<DateRange> {
    let first = b.dated().map(|(_, t)| t).min()?;
    let last = b.dated().map(|(_, t)| t).max()?;
    Some(DateRange {
        first: first.format("%Y-%m-%d %H:%M").to_string(),
        last: last.format("%Y-%m-%d %H:%M").to_string(),
    })
}

/// Runs the command: reads the labelled export, computes the figures and writes
/// `report.json` and `report.html` into the output directory (each atomically).
pub fn report(cfg: &ReportConfig) -> Result<ReportSummary> {
    let data = read_export(&cfg.input, &cfg.columns, cfg.delimiter)?;
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
