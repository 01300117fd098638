//! What the report tests share: the fixture export, its rows read independently of
//! sentir, and running `report` and `classify` on it.

use super::{root, run, stderr};
use chrono::{Datelike, NaiveDate};
use serde_json::Value;
use std::path::Path;

pub const FIXTURE: &str = "tests/fixtures/report/labelled.csv";
pub const MODEL: &str = "tests/fixtures/models/bert-3class";
pub const ALL_COLUMNS: [&str; 8] = [
    "--date-column",
    "sent_at",
    "--product-column",
    "product",
    "--thread-column",
    "thread_id",
    "--sender-column",
    "sender",
];

/// Runs `sentir report INPUT -o DIR EXTRA…` and returns report.json.
pub fn report(input: &Path, dir: &Path, extra: &[&str]) -> Value {
    let mut args = vec![
        "report",
        input.to_str().unwrap(),
        "-o",
        dir.to_str().unwrap(),
        "--quiet",
    ];
    args.extend_from_slice(extra);
    let o = run(&args);
    assert!(o.status.success(), "report failed: {}", stderr(&o));
    assert!(dir.join("report.html").is_file());
    serde_json::from_slice(&std::fs::read(dir.join("report.json")).unwrap()).unwrap()
}

/// One fixture row, read with the csv crate (not with sentir's reader).
pub struct Row {
    pub line: u64,
    pub thread: String,
    pub date: NaiveDate,
    pub buyer: bool,
    pub product: String,
    pub sentiment: String,
    pub language: String,
    pub error: String,
}

pub fn fixture_rows() -> Vec<Row> {
    let mut r = csv::Reader::from_path(root().join(FIXTURE)).unwrap();
    let h = r.headers().unwrap().clone();
    let col = |n: &str| h.iter().position(|c| c == n).unwrap();
    let (t, d, s, p, sen, lang, err) = (
        col("thread_id"),
        col("sent_at"),
        col("sender"),
        col("product"),
        col("sentiment"),
        col("language"),
        col("error"),
    );
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            // The first 10 characters of every date here are the UTC day (the one date with
            // an offset, 10:00+02:00, is 08:00 UTC the same day).
            let date = NaiveDate::parse_from_str(&rec[d][..10], "%Y-%m-%d").unwrap();
            Row {
                line: rec.position().unwrap().line(),
                thread: rec[t].to_string(),
                date,
                buyer: &rec[s] == "buyer",
                product: rec[p].to_string(),
                sentiment: rec[sen].to_string(),
                language: rec[lang].to_string(),
                error: rec[err].to_string(),
            }
        })
        .collect()
}

pub fn monday(d: NaiveDate) -> String {
    let w = d.iso_week();
    NaiveDate::from_isoywd_opt(w.year(), w.week(), chrono::Weekday::Mon)
        .unwrap()
        .format("%Y-%m-%d")
        .to_string()
}

pub fn u(v: &Value) -> u64 {
    v.as_u64().unwrap_or_else(|| panic!("not a count: {v}"))
}

/// (negative, neutral, positive) of a JSON sentiment object.
pub fn nnp(v: &Value) -> (u64, u64, u64) {
    (u(&v["negative"]), u(&v["neutral"]), u(&v["positive"]))
}

pub fn tally(rows: &[&Row]) -> (u64, u64, u64) {
    let c = |s: &str| rows.iter().filter(|r| r.sentiment == s).count() as u64;
    (c("negative"), c("neutral"), c("positive"))
}

/// Reads a Parquet file with the parquet crate: (column names and types, rows).
pub fn parquet_schema_and_rows(path: &Path) -> (Vec<(String, arrow_schema::DataType)>, usize) {
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    let b = ParquetRecordBatchReaderBuilder::try_new(std::fs::File::open(path).unwrap()).unwrap();
    let fields = b
        .schema()
        .fields()
        .iter()
        .map(|f| (f.name().clone(), f.data_type().clone()))
        .collect();
    let rows = b.build().unwrap().map(|b| b.unwrap().num_rows()).sum();
    (fields, rows)
}

pub fn classify(input: &Path, output: &Path) {
    let o = run(&[
        "classify",
        input.to_str().unwrap(),
        "-o",
        output.to_str().unwrap(),
        "--model",
        MODEL,
        "--quiet",
    ]);
    // 3: some rows have errors (the empty message), which is expected here.
    assert!(
        matches!(o.status.code(), Some(0) | Some(3)),
        "classify failed: {}",
        stderr(&o)
    );
}
