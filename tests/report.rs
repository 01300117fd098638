//! End-to-end tests of `sentir report` (and Parquet in `classify`), running the real binary.
//!
//! The figures in report.json are checked against counts computed here, independently, from
//! the fixture rows (tests/fixtures/report/labelled.csv: 22 rows over 3 ISO weeks, 2
//! products, 6 threads), and the response times against numbers worked out by hand.

use chrono::{Datelike, NaiveDate};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

mod common;

use common::{root, run, stderr, LABEL_COLUMNS};

const FIXTURE: &str = "tests/fixtures/report/labelled.csv";
const MODEL: &str = "tests/fixtures/models/bert-3class";
const ALL_COLUMNS: [&str; 8] = [
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
fn report(input: &Path, dir: &Path, extra: &[&str]) -> Value {
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
struct Row {
    line: u64,
    thread: String,
    date: NaiveDate,
    buyer: bool,
    product: String,
    sentiment: String,
    language: String,
    error: String,
}

fn fixture_rows() -> Vec<Row> {
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

fn monday(d: NaiveDate) -> String {
    let w = d.iso_week();
    NaiveDate::from_isoywd_opt(w.year(), w.week(), chrono::Weekday::Mon)
        .unwrap()
        .format("%Y-%m-%d")
        .to_string()
}

fn u(v: &Value) -> u64 {
    v.as_u64().unwrap_or_else(|| panic!("not a count: {v}"))
}

/// (negative, neutral, positive) of a JSON sentiment object.
fn nnp(v: &Value) -> (u64, u64, u64) {
    (u(&v["negative"]), u(&v["neutral"]), u(&v["positive"]))
}

fn tally(rows: &[&Row]) -> (u64, u64, u64) {
    let c = |s: &str| rows.iter().filter(|r| r.sentiment == s).count() as u64;
    (c("negative"), c("neutral"), c("positive"))
}

#[test]
fn figures_equal_counts_from_the_rows() {
    let dir = tempfile::tempdir().unwrap();
    let j = report(&root().join(FIXTURE), dir.path(), &ALL_COLUMNS);
    let rows = fixture_rows();
    let buyer: Vec<&Row> = rows.iter().filter(|r| r.buyer).collect();
    let labelled: Vec<&Row> = buyer
        .iter()
        .copied()
        .filter(|r| r.error.is_empty())
        .collect();

    // Totals.
    assert_eq!(u(&j["rows"]["total"]), rows.len() as u64);
    assert_eq!(u(&j["rows"]["buyer"]), buyer.len() as u64);
    assert_eq!(u(&j["rows"]["seller"]), (rows.len() - buyer.len()) as u64);
    assert_eq!(
        u(&j["rows"]["errors"]),
        rows.iter().filter(|r| !r.error.is_empty()).count() as u64
    );
    let overall = &j["sentiment"]["overall"];
    assert_eq!(u(&overall["messages"]), labelled.len() as u64);
    assert_eq!(nnp(overall), tally(&labelled));
    let (neg, _, _) = tally(&labelled);
    let share = overall["negative_share"].as_f64().unwrap();
    assert!(
        (share - neg as f64 / labelled.len() as f64).abs() < 1e-4,
        "{share}"
    );

    // Per week: every ISO week from the first to the last buyer message.
    let weeks: BTreeSet<String> = buyer.iter().map(|r| monday(r.date)).collect();
    let by_period = j["sentiment"]["by_period"].as_array().unwrap();
    assert_eq!(
        by_period
            .iter()
            .map(|p| p["period"].as_str().unwrap().to_string())
            .collect::<Vec<_>>(),
        ["2026-10-05", "2026-10-12", "2026-10-19"]
    );
    assert_eq!(weeks.len(), 3);
    for p in by_period {
        let w = p["period"].as_str().unwrap();
        let in_week: Vec<&Row> = labelled
            .iter()
            .copied()
            .filter(|r| monday(r.date) == w)
            .collect();
        assert_eq!(nnp(p), tally(&in_week), "week {w}");
        assert_eq!(u(&p["messages"]), in_week.len() as u64, "week {w}");
        // All three weeks are inside the 4-week window.
        assert_eq!(p["in_trend"], Value::Bool(true));
    }
    // The hand count: week 1: IN01 neg, IN03 pos, IN04 neu, IN06 neg, IN08 neg → 3/1/1;
    // week 2: IN09 neu, IN13 pos (IN11 has an error) → 0/1/1; week 3: IN15 neg, IN17 pos,
    // IN18 neu, IN20 neg, IN22 pos → 2/1/2.
    assert_eq!(nnp(&by_period[0]), (3, 1, 1));
    assert_eq!(nnp(&by_period[1]), (0, 1, 1));
    assert_eq!(nnp(&by_period[2]), (2, 1, 2));

    // Per language and per product.
    let mut langs: BTreeMap<String, Vec<&Row>> = BTreeMap::new();
    let mut products: BTreeMap<String, Vec<&Row>> = BTreeMap::new();
    for r in &labelled {
        let l = if r.language.is_empty() {
            "unknown"
        } else {
            &r.language
        };
        langs.entry(l.to_string()).or_default().push(r);
        products.entry(r.product.clone()).or_default().push(r);
    }
    let by_lang = j["sentiment"]["by_language"].as_array().unwrap();
    assert_eq!(by_lang.len(), langs.len());
    for g in by_lang {
        let rows = &langs[g["key"].as_str().unwrap()];
        assert_eq!(nnp(g), tally(rows), "{g}");
    }
    let by_product = j["sentiment"]["by_product"].as_array().unwrap();
    assert_eq!(by_product.len(), 2);
    for g in by_product {
        assert_eq!(nnp(g), tally(&products[g["key"].as_str().unwrap()]), "{g}");
    }

    // Top negatives: highest p_negative first (IN06 0.95, IN15 0.88, IN01 0.80, IN08 0.70,
    // IN20 0.60), given by line.
    let top: Vec<u64> = j["sentiment"]["top_negative"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| u(&m["line"]))
        .collect();
    assert_eq!(top, [7, 16, 2, 9, 21]);

    // Contacts: buyer messages (the error row included) and threads, per week and product.
    let c = &j["contacts"];
    assert_eq!(u(&c["buyer_messages"]), buyer.len() as u64);
    assert_eq!(
        u(&c["threads"]),
        buyer
            .iter()
            .map(|r| &r.thread)
            .collect::<BTreeSet<_>>()
            .len() as u64
    );
    for p in c["by_period"].as_array().unwrap() {
        let w = p["period"].as_str().unwrap();
        let in_week: Vec<&Row> = buyer
            .iter()
            .copied()
            .filter(|r| monday(r.date) == w)
            .collect();
        assert_eq!(u(&p["buyer_messages"]), in_week.len() as u64, "week {w}");
        assert_eq!(
            u(&p["threads"]),
            in_week
                .iter()
                .map(|r| &r.thread)
                .collect::<BTreeSet<_>>()
                .len() as u64
        );
    }
    for p in c["by_product"].as_array().unwrap() {
        let name = p["product"].as_str().unwrap();
        let rows: Vec<&Row> = buyer
            .iter()
            .copied()
            .filter(|r| r.product == name)
            .collect();
        assert_eq!(u(&p["buyer_messages"]), rows.len() as u64, "{name}");
        assert_eq!(
            u(&p["threads"]),
            rows.iter()
                .map(|r| &r.thread)
                .collect::<BTreeSet<_>>()
                .len() as u64
        );
    }

    // Errors: counted and listed with their line.
    assert_eq!(u(&j["errors"]["count"]), 1);
    let error_line = rows.iter().find(|r| !r.error.is_empty()).unwrap().line;
    assert_eq!(error_line, 12);
    assert_eq!(u(&j["errors"]["rows"][0]["line"]), error_line);
    assert!(j["errors"]["rows"][0]["error"]
        .as_str()
        .unwrap()
        .contains("is empty"));

    // Response times, worked out by hand (seconds; buyer message → next later seller
    // message in its thread):
    //   week of 10-05: IN01 09:00→IN02 10:30 = 5400; IN03 08:00→IN05 09:00 = 3600;
    //                  IN04 08:20→IN05 09:00 = 2400; IN06 10-07 14:00→IN07 10-08 14:00 = 86400;
    //                  IN08 unanswered (no seller message after it in T2).
    //     sorted [2400, 3600, 5400, 86400], n = 4: median rank ⌈0.5·4⌉ = 2 → 3600,
    //     p90 rank ⌈0.9·4⌉ = 4 → 86400.
    //   week of 10-12: IN09 09:00→IN10 09:10 = 600; IN11 (error row, still a buyer message)
    //                  16:00→IN12 18:00 = 7200; IN13 11:00→IN14 11:45 = 2700.
    //     sorted [600, 2700, 7200]: median rank 2 → 2700, p90 rank ⌈2.7⌉ = 3 → 7200.
    //   week of 10-19: IN15 10:00+02:00 = 08:00Z→IN16 20:00Z = 43200; IN17 unanswered;
    //                  IN18 10:00→IN19 10:05 = 300; IN20 12:00→IN21 15:00 = 10800;
    //                  IN22 (2026-10-23, midnight) unanswered.
    //     sorted [300, 10800, 43200]: median rank 2 → 10800, p90 rank 3 → 43200.
    //   overall: sorted [300, 600, 2400, 2700, 3600, 5400, 7200, 10800, 43200, 86400],
    //     n = 10: median rank 5 → 3600, p90 rank 9 → 43200; 13 buyer messages, 3 unanswered.
    let rt = &j["response_time"];
    let stats = |v: &Value| {
        (
            u(&v["buyer_messages"]),
            u(&v["answered"]),
            u(&v["unanswered"]),
            v["median_seconds"].as_i64(),
            v["p90_seconds"].as_i64(),
        )
    };
    assert_eq!(stats(&rt["overall"]), (13, 10, 3, Some(3600), Some(43200)));
    let per: Vec<_> = rt["by_period"]
        .as_array()
        .unwrap()
        .iter()
        .map(stats)
        .collect();
    assert_eq!(
        per,
        [
            (5, 4, 1, Some(3600), Some(86400)),
            (3, 3, 0, Some(2700), Some(7200)),
            (5, 3, 2, Some(10800), Some(43200)),
        ]
    );
    assert!(rt["percentile_method"]
        .as_str()
        .unwrap()
        .starts_with("nearest-rank"));

    // Trend: the 4 weeks ending with the week of the last buyer message (10-19), against
    // 4 earlier weeks without data.
    let t = &j["trend"];
    assert_eq!(t["from"], "2026-09-28");
    assert_eq!(t["to"], "2026-10-25");
    assert_eq!(u(&t["last_4_weeks"]["messages"]), labelled.len() as u64);
    assert_eq!(u(&t["previous_4_weeks"]["messages"]), 0);
    assert!(t["negative_share_change"].is_null());
    let tw: Vec<u64> = t["weeks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| u(&w["buyer_messages"]))
        .collect();
    assert_eq!(tw, [0, 5, 3, 5]);
    // Every section is there but the reasons one: the fixture has no reason column.
    let omitted: Vec<&String> = j["omitted"].as_object().unwrap().keys().collect();
    assert_eq!(omitted, ["reasons"]);
}

#[test]
fn html_is_self_contained() {
    let dir = tempfile::tempdir().unwrap();
    report(&root().join(FIXTURE), dir.path(), &ALL_COLUMNS);
    let html = std::fs::read_to_string(dir.path().join("report.html")).unwrap();
    for needle in ["http://", "https://", "//cdn", "src=\"", "@import", "url("] {
        assert!(!html.contains(needle), "report.html contains {needle:?}");
    }
    for id in [
        "chart-sentiment",
        "chart-contacts",
        "chart-response",
        "chart-products",
        "chart-languages",
    ] {
        assert!(html.contains(&format!("id=\"{id}\"")), "no {id}");
    }
    // The most negative messages are quoted.
    assert!(html.contains("La cafetera llegó con el depósito roto, quiero una solución."));
    assert!(!html.contains("<script src"));
}

#[test]
fn days_add_up_to_weeks() {
    let dir = tempfile::tempdir().unwrap();
    let mut args = ALL_COLUMNS.to_vec();
    args.extend(["--period", "day"]);
    let j = report(&root().join(FIXTURE), dir.path(), &args);
    let days = j["sentiment"]["by_period"].as_array().unwrap();
    // 2026-10-05 … 2026-10-23, empty days included.
    assert_eq!(days.len(), 19);
    let sum: u64 = days.iter().map(|d| u(&d["messages"])).sum();
    assert_eq!(sum, u(&j["sentiment"]["overall"]["messages"]));
    let contacts: u64 = j["contacts"]["by_period"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| u(&d["buyer_messages"]))
        .sum();
    assert_eq!(contacts, 13);
}

#[test]
fn without_optional_columns_sections_are_omitted() {
    let dir = tempfile::tempdir().unwrap();
    // No --date-column: sent_at is found among the usual names.
    let j = report(&root().join(FIXTURE), dir.path(), &[]);
    assert_eq!(j["columns"]["date"], "sent_at");
    assert!(j["response_time"].is_null());
    assert!(j["sentiment"]["by_product"].is_null());
    assert!(j["contacts"]["threads"].is_null());
    let omitted = j["omitted"].as_object().unwrap();
    for k in [
        "response_time",
        "sentiment.by_product",
        "contacts.by_product",
        "contacts.threads",
    ] {
        assert!(omitted.contains_key(k), "{k} not in omitted: {omitted:?}");
    }
    // Without a sender column every labelled row is counted.
    let rows = fixture_rows();
    let labelled = rows.iter().filter(|r| r.error.is_empty()).count() as u64;
    assert_eq!(u(&j["sentiment"]["overall"]["messages"]), labelled);
}

#[test]
fn jsonl_gives_the_same_figures() {
    let dir = tempfile::tempdir().unwrap();
    let csv_json = report(&root().join(FIXTURE), &dir.path().join("csv"), &ALL_COLUMNS);
    // The same rows as JSONL, as classify writes it: empty label values are null.
    let mut r = csv::Reader::from_path(root().join(FIXTURE)).unwrap();
    let h = r.headers().unwrap().clone();
    let mut out = String::new();
    for rec in r.records() {
        let rec = rec.unwrap();
        let obj: serde_json::Map<String, Value> = h
            .iter()
            .zip(rec.iter())
            .map(|(k, v)| {
                let v = if v.is_empty() {
                    Value::Null
                } else {
                    Value::String(v.to_string())
                };
                (k.to_string(), v)
            })
            .collect();
        out.push_str(&serde_json::to_string(&obj).unwrap());
        out.push('\n');
    }
    let jsonl = dir.path().join("labelled.jsonl");
    std::fs::write(&jsonl, out).unwrap();
    let j = report(&jsonl, &dir.path().join("jsonl"), &ALL_COLUMNS);
    // The figures are equal; only the line numbers differ (JSONL has no header line).
    fn without_lines(v: &Value) -> Value {
        match v {
            Value::Object(o) => Value::Object(
                o.iter()
                    .filter(|(k, _)| *k != "line")
                    .map(|(k, v)| (k.clone(), without_lines(v)))
                    .collect(),
            ),
            Value::Array(a) => Value::Array(a.iter().map(without_lines).collect()),
            v => v.clone(),
        }
    }
    for k in [
        "rows",
        "sentiment",
        "trend",
        "contacts",
        "response_time",
        "errors",
    ] {
        assert_eq!(without_lines(&j[k]), without_lines(&csv_json[k]), "{k}");
    }
    assert_eq!(j["errors"]["rows"][0]["line"], 11);
}

#[test]
fn bad_date_names_line_and_value() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(root().join(FIXTURE)).unwrap();
    let bad = text
        .replace(
            "IN03,T1,2026-10-06T08:00:00Z",
            "IN03,T1,2026-13-06T08:00:00Z",
        )
        .replace("IN09,T3,2026-10-12T09:00:00Z", "IN09,T3,12/10/2026");
    let input = dir.path().join("bad.csv");
    std::fs::write(&input, bad).unwrap();
    let out = dir.path().join("out");
    let o = run(&[
        "report",
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(
        e.contains("line 4: bad date \"2026-13-06T08:00:00Z\" in column \"sent_at\""),
        "{e}"
    );
    assert!(e.contains("line 10: bad date \"12/10/2026\""), "{e}");
    assert!(e.contains("YYYY-MM-DD"), "{e}");
    assert!(
        !out.join("report.json").exists(),
        "no report is written on error"
    );
}

#[test]
fn missing_columns_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = run(&[
        "report",
        FIXTURE,
        "-o",
        out.to_str().unwrap(),
        "--product-column",
        "sku",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(
        e.contains("column \"sku\" (--product-column) not found"),
        "{e}"
    );
    assert!(
        e.contains("message_id, thread_id, sent_at, sender, product, text, sentiment"),
        "{e}"
    );

    // No date column under any usual name.
    let input = dir.path().join("nodate.csv");
    std::fs::write(&input, "id,text,sentiment,error\n1,hola,neutral,\n").unwrap();
    let o = run(&[
        "report",
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("no date column found"),
        "{}",
        stderr(&o)
    );

    // Not labelled: no sentiment column.
    let o = run(&[
        "report",
        "data/inbox_sample.csv",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("column \"sentiment\" not found"),
        "{}",
        stderr(&o)
    );

    // A buyer value no row has.
    let o = run(&[
        "report",
        FIXTURE,
        "-o",
        out.to_str().unwrap(),
        "--sender-column",
        "sender",
        "--buyer-value",
        "customer",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("no row has sender \"customer\""),
        "{}",
        stderr(&o)
    );
}

/// Reads a Parquet file with the parquet crate: (column names and types, rows).
fn parquet_schema_and_rows(path: &Path) -> (Vec<(String, arrow_schema::DataType)>, usize) {
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

fn classify(input: &Path, output: &Path) {
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

#[test]
fn parquet_round_trip_and_report() {
    use arrow_schema::DataType;
    let dir = tempfile::tempdir().unwrap();
    // The fixture's input columns only (what an export looks like before classify).
    let mut r = csv::Reader::from_path(root().join(FIXTURE)).unwrap();
    let mut w = csv::Writer::from_path(dir.path().join("inbox.csv")).unwrap();
    w.write_record(r.headers().unwrap().iter().take(6)).unwrap();
    for rec in r.records() {
        w.write_record(rec.unwrap().iter().take(6)).unwrap();
    }
    w.flush().unwrap();
    drop(w);

    // CSV → Parquet: the input columns (as text) plus the label columns.
    let pq = dir.path().join("inbox.labelled.parquet");
    classify(&dir.path().join("inbox.csv"), &pq);
    let (fields, rows) = parquet_schema_and_rows(&pq);
    let names: Vec<&str> = fields.iter().map(|(n, _)| n.as_str()).collect();
    let mut expected = vec![
        "message_id",
        "thread_id",
        "sent_at",
        "sender",
        "product",
        "text",
    ];
    expected.extend(LABEL_COLUMNS);
    assert_eq!(names, expected);
    assert_eq!(rows, 22);
    for (n, t) in &fields {
        let want = match n.as_str() {
            "score" | "p_negative" | "p_neutral" | "p_positive" | "reason_score" => {
                DataType::Float32
            }
            "mixed" => DataType::Boolean,
            _ => DataType::Utf8,
        };
        assert_eq!(t, &want, "{n}");
    }

    // Parquet → Parquet: the label columns are replaced in place, the schema is unchanged.
    let again = dir.path().join("again.parquet");
    classify(&pq, &again);
    assert_eq!(parquet_schema_and_rows(&again), (fields.clone(), 22));

    // report reads Parquet: the label-independent figures equal the hand-checked ones.
    let j = report(&pq, &dir.path().join("report"), &ALL_COLUMNS);
    assert_eq!(j["line_unit"], "row");
    assert_eq!(u(&j["rows"]["total"]), 22);
    assert_eq!(u(&j["rows"]["buyer"]), 13);
    assert_eq!(u(&j["contacts"]["buyer_messages"]), 13);
    assert_eq!(u(&j["contacts"]["threads"]), 6);
    assert_eq!(j["response_time"]["overall"]["median_seconds"], 3600);
    assert_eq!(j["response_time"]["overall"]["p90_seconds"], 43200);
    assert_eq!(u(&j["errors"]["count"]), 1);
    let o = &j["sentiment"]["overall"];
    assert_eq!(u(&o["messages"]), 12);
    assert_eq!(u(&o["negative"]) + u(&o["neutral"]) + u(&o["positive"]), 12);
}

#[test]
fn typed_parquet_keeps_its_types() {
    use arrow_array::{ArrayRef, Int64Array, RecordBatch, StringArray, TimestampMillisecondArray};
    use arrow_schema::{DataType, Field, Schema, TimeUnit};
    use std::sync::Arc;
    let dir = tempfile::tempdir().unwrap();
    let ts = |s: &str| {
        chrono::DateTime::parse_from_rfc3339(s)
            .unwrap()
            .timestamp_millis()
    };
    let schema = Arc::new(Schema::new(vec![
        Field::new("id", DataType::Int64, false),
        Field::new(
            "sent_at",
            DataType::Timestamp(TimeUnit::Millisecond, Some("UTC".into())),
            false,
        ),
        Field::new("sender", DataType::Utf8, false),
        Field::new("thread", DataType::Utf8, false),
        Field::new("message", DataType::Utf8, true),
    ]));
    let cols: Vec<ArrayRef> = vec![
        Arc::new(Int64Array::from(vec![1, 2, 3, 4])),
        Arc::new(
            TimestampMillisecondArray::from(vec![
                ts("2026-10-05T09:00:00Z"),
                ts("2026-10-05T09:30:00Z"),
                ts("2026-10-06T10:00:00Z"),
                ts("2026-10-06T12:00:00Z"),
            ])
            .with_timezone("UTC"),
        ),
        Arc::new(StringArray::from(vec!["buyer", "seller", "buyer", "buyer"])),
        Arc::new(StringArray::from(vec!["A", "A", "B", "B"])),
        Arc::new(StringArray::from(vec![
            Some("¿Cuándo llega mi pedido?"),
            Some("Mañana."),
            None,
            Some("gracias"),
        ])),
    ];
    let input = dir.path().join("typed.parquet");
    let mut w = parquet::arrow::ArrowWriter::try_new(
        std::fs::File::create(&input).unwrap(),
        schema.clone(),
        None,
    )
    .unwrap();
    w.write(&RecordBatch::try_new(schema, cols).unwrap())
        .unwrap();
    w.close().unwrap();

    let out = dir.path().join("typed.labelled.parquet");
    let o = run(&[
        "classify",
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--model",
        MODEL,
        "--quiet",
    ]);
    assert_eq!(
        o.status.code(),
        Some(3),
        "row 3 has a null message: {}",
        stderr(&o)
    );
    let (fields, rows) = parquet_schema_and_rows(&out);
    assert_eq!(rows, 4);
    assert_eq!(fields[0], ("id".to_string(), DataType::Int64));
    assert_eq!(
        fields[1].1,
        DataType::Timestamp(TimeUnit::Millisecond, Some("UTC".into()))
    );
    assert_eq!(fields.len(), 5 + LABEL_COLUMNS.len());

    let j = report(
        &out,
        &dir.path().join("r"),
        &["--thread-column", "thread", "--sender-column", "sender"],
    );
    assert_eq!(j["columns"]["date"], "sent_at");
    assert_eq!(j["columns"]["text"], "message");
    assert_eq!(u(&j["errors"]["count"]), 1);
    assert_eq!(u(&j["errors"]["rows"][0]["line"]), 3);
    assert_eq!(
        j["errors"]["rows"][0]["error"],
        "row 3: column \"message\" is null"
    );
    // Buyer 09:00 → seller 09:30 = 1800 s; rows 3 and 4 have no seller reply.
    assert_eq!(j["response_time"]["overall"]["median_seconds"], 1800);
    assert_eq!(u(&j["response_time"]["overall"]["unanswered"]), 2);

    // Parquet cannot be written as CSV: a usage error before any model is loaded.
    let o = run(&[
        "classify",
        input.to_str().unwrap(),
        "-o",
        dir.path().join("x.csv").to_str().unwrap(),
        "--model",
        MODEL,
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("Parquet input can only be written as Parquet"),
        "{}",
        stderr(&o)
    );
}

/// The reasons section of report.json against counts made here from the rows of
/// tests/fixtures/report/reasons.csv (63 rows over 9 ISO weeks, 2 error rows, seller rows).
#[test]
fn reason_figures_equal_counts_from_the_rows() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = root().join("tests/fixtures/report/reasons.csv");
    let j = report(
        &fixture,
        dir.path(),
        &["--product-column", "product", "--sender-column", "sender"],
    );
    let mut r = csv::Reader::from_path(&fixture).unwrap();
    // (date, product, sentiment, reason, p_negative, line) of labelled buyer rows.
    let mut rows = Vec::new();
    for (i, rec) in r.records().enumerate() {
        let rec = rec.unwrap();
        if &rec[2] != "buyer" || rec[5].is_empty() || !rec[9].is_empty() {
            continue;
        }
        let date = NaiveDate::parse_from_str(&rec[1][..10], "%Y-%m-%d").unwrap();
        let p: f64 = rec[6].parse().unwrap();
        rows.push((
            date,
            rec[3].to_string(),
            rec[5].to_string(),
            rec[7].to_string(),
            p,
            i as u64 + 2,
        ));
    }
    let s = &j["reasons"];
    assert_eq!(u(&s["messages"]), rows.len() as u64);
    let last = rows.iter().map(|r| r.0).max().unwrap();
    let week = |d: NaiveDate| d - chrono::Duration::days(d.weekday().num_days_from_monday() as i64);
    let end = week(last);
    let window: Vec<NaiveDate> = (0..4)
        .rev()
        .map(|k| end - chrono::Duration::weeks(k))
        .collect();
    let previous: Vec<NaiveDate> = (4..8)
        .rev()
        .map(|k| end - chrono::Duration::weeks(k))
        .collect();
    let round4 = |x: f64| (x * 10_000.0).round() / 10_000.0;
    let by_reason = s["by_reason"].as_array().unwrap();
    let names: Vec<&str> = by_reason
        .iter()
        .map(|f| f["reason"].as_str().unwrap())
        .collect();
    assert_eq!(names, sentir::model::heads::REASONS);
    let mut best: Option<(i64, &str)> = None;
    for f in by_reason {
        let name = f["reason"].as_str().unwrap();
        let mine: Vec<_> = rows.iter().filter(|r| r.3 == name).collect();
        let count = |sent: &str| mine.iter().filter(|r| r.2 == sent).count() as u64;
        assert_eq!(u(&f["sentiment"]["messages"]), mine.len() as u64, "{name}");
        assert_eq!(u(&f["sentiment"]["negative"]), count("negative"), "{name}");
        assert_eq!(u(&f["sentiment"]["neutral"]), count("neutral"), "{name}");
        assert_eq!(u(&f["sentiment"]["positive"]), count("positive"), "{name}");
        let share = round4(mine.len() as f64 / rows.len() as f64);
        assert_eq!(f["share"].as_f64().unwrap(), share, "{name}");
        let in_w = |ws: &[NaiveDate]| -> (u64, u64) {
            let m: Vec<_> = mine.iter().filter(|r| ws.contains(&week(r.0))).collect();
            (
                m.len() as u64,
                m.iter().filter(|r| r.2 == "negative").count() as u64,
            )
        };
        let (ln, lneg) = in_w(&window);
        let (pn, pneg) = in_w(&previous);
        assert_eq!(u(&f["last_4_weeks"]["messages"]), ln, "{name}");
        assert_eq!(u(&f["last_4_weeks"]["negative"]), lneg, "{name}");
        assert_eq!(u(&f["previous_4_weeks"]["messages"]), pn, "{name}");
        assert_eq!(u(&f["previous_4_weeks"]["negative"]), pneg, "{name}");
        let change = ln as i64 - pn as i64;
        assert_eq!(f["messages_change"].as_i64().unwrap(), change, "{name}");
        if ln > 0 && pn > 0 {
            let c = round4(round4(lneg as f64 / ln as f64) - round4(pneg as f64 / pn as f64));
            assert_eq!(f["negative_share_change"].as_f64().unwrap(), c, "{name}");
        } else {
            assert!(f["negative_share_change"].is_null(), "{name}");
        }
        let weeks = f["weeks"].as_array().unwrap();
        assert_eq!(weeks.len(), 4);
        for (w, monday) in weeks.iter().zip(&window) {
            assert_eq!(w["week"], monday.format("%Y-%m-%d").to_string());
            let n = mine.iter().filter(|r| week(r.0) == *monday).count() as u64;
            assert_eq!(u(&w["messages"]), n, "{name} {monday}");
        }
        if change > 0 && best.is_none_or(|b| change > b.0) {
            best = Some((change, name));
        }
    }
    // The fastest-growing reason (the first of the list on ties) and its negative messages.
    let (_, fastest) = best.expect("a reason grew in the fixture");
    let g = &s["fastest_growing"];
    assert_eq!(g["reason"], fastest);
    let mut neg: Vec<_> = rows
        .iter()
        .filter(|r| r.3 == fastest && r.2 == "negative" && window.contains(&week(r.0)))
        .collect();
    neg.sort_by(|a, b| b.4.partial_cmp(&a.4).unwrap());
    let lines: Vec<u64> = g["top_negative"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| u(&m["line"]))
        .collect();
    let want: Vec<u64> = neg.iter().take(10).map(|r| r.5).collect();
    assert_eq!(lines, want);
    // Per product: counts per reason, most messages first.
    let products = s["by_product"].as_array().unwrap();
    let mut per: BTreeMap<&str, BTreeMap<&str, u64>> = BTreeMap::new();
    for r in &rows {
        *per.entry(r.1.as_str())
            .or_default()
            .entry(r.3.as_str())
            .or_default() += 1;
    }
    assert_eq!(products.len(), per.len());
    let mut last_total = u64::MAX;
    for p in products {
        let name = p["product"].as_str().unwrap();
        let total: u64 = per[name].values().sum();
        assert_eq!(u(&p["messages"]), total, "{name}");
        assert!(total <= last_total, "products sorted by messages");
        last_total = total;
        for (reason, n) in p["reasons"].as_object().unwrap() {
            assert_eq!(
                u(n),
                per[name].get(reason.as_str()).copied().unwrap_or(0),
                "{name} {reason}"
            );
        }
    }
    assert!(j["omitted"].get("reasons").is_none());
    // The page has the section with its chart, and a file without reasons omits it.
    let html = std::fs::read_to_string(dir.path().join("report.html")).unwrap();
    assert!(html.contains("id=\"reasons\"") && html.contains("id=\"chart-reasons\""));
    let plain = tempfile::tempdir().unwrap();
    let j = report(&root().join(FIXTURE), plain.path(), &[]);
    assert!(j["reasons"].is_null());
    assert!(j["omitted"]["reasons"].as_str().unwrap().contains("reason"));
}

#[test]
fn language_column_splits_sentiment_by_the_given_column() {
    // The fixture with one more column: the language as a CRM would give it (es rows as
    // "Spanish", the others as "EN"), unlike the detected `language` column.
    let mut r = csv::Reader::from_path(root().join(FIXTURE)).unwrap();
    let mut header: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    let lang = header.iter().position(|h| h == "language").unwrap();
    header.push("crm_language".into());
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("with_crm.csv");
    let mut w = csv::Writer::from_path(&input).unwrap();
    w.write_record(&header).unwrap();
    for rec in r.records() {
        let mut rec: Vec<String> = rec.unwrap().iter().map(str::to_string).collect();
        let given = if rec[lang] == "es" { "Spanish" } else { "EN" };
        rec.push(given.into());
        w.write_record(&rec).unwrap();
    }
    w.flush().unwrap();
    drop(w);

    let out = dir.path().join("report");
    let j = report(&input, &out, &["--language-column", "crm_language"]);
    assert_eq!(j["columns"]["language"], "crm_language");
    let rows = fixture_rows();
    let mut want: BTreeMap<&str, Vec<&Row>> = BTreeMap::new();
    for r in rows.iter().filter(|r| r.error.is_empty()) {
        let key = if r.language == "es" { "es" } else { "en" };
        want.entry(key).or_default().push(r);
    }
    let by_lang = j["sentiment"]["by_language"].as_array().unwrap();
    let keys: BTreeSet<&str> = by_lang.iter().map(|g| g["key"].as_str().unwrap()).collect();
    assert_eq!(keys, want.keys().copied().collect::<BTreeSet<_>>());
    for g in by_lang {
        assert_eq!(nnp(g), tally(&want[g["key"].as_str().unwrap()]), "{g}");
    }

    // Without the flag the detected column is used, as before.
    let j = report(&input, &dir.path().join("r2"), &[]);
    assert_eq!(j["columns"]["language"], "language");

    // A column that is not there is a usage error naming the columns.
    let o = run(&[
        "report",
        input.to_str().unwrap(),
        "-o",
        dir.path().join("r3").to_str().unwrap(),
        "--language-column",
        "idioma",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("\"idioma\" (--language-column) not found"),
        "{}",
        stderr(&o)
    );
}
