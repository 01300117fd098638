//! `sentir report` on other inputs and bad ones: the page is self-contained, sections
//! without their columns are omitted, JSONL gives the same figures, bad dates and missing
//! columns are clear errors.

mod common;

use common::report::*;
use common::{root, run, stderr};
use serde_json::Value;

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
