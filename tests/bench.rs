//! End-to-end tests of `sentir bench`: what it measures, as JSON and as a table, with the
//! tiny bert-3class fixture model.

mod common;

use common::{input, model, run, stderr, temp_file};

#[test]
fn bench_reports_what_it_measured_as_json() {
    let out = run(&[
        "bench",
        &input("bom_crlf.csv"),
        &input("bad_rows.csv"),
        "--model",
        &model(),
        "--threads",
        "2",
        "--json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows_in = |name: &str| {
        csv::ReaderBuilder::new()
            .flexible(true)
            .from_path(input(name))
            .unwrap()
            .byte_records()
            .count() as u64
    };
    let n = rows_in("bom_crlf.csv") + rows_in("bad_rows.csv");
    assert_eq!(r["messages"].as_u64().unwrap(), n);
    let labelled = r["labelled"].as_u64().unwrap();
    assert_eq!(labelled + r["failed"].as_u64().unwrap(), n);
    assert!(
        r["failed"].as_u64().unwrap() > 0,
        "bad_rows.csv has bad rows"
    );
    let l = &r["labels"];
    let sum: u64 = ["negative", "neutral", "positive"]
        .iter()
        .map(|k| l[k].as_u64().unwrap())
        .sum();
    assert_eq!(sum, labelled);
    let waste = r["padding_waste"].as_f64().unwrap();
    assert!((0.0..1.0).contains(&waste));
    assert!(r["tokens"].as_u64().unwrap() <= r["padded_tokens"].as_u64().unwrap());
    assert!(r["batch_p50_ms"].as_f64().unwrap() <= r["batch_p95_ms"].as_f64().unwrap());
    assert!(r["messages_per_second"].as_f64().unwrap() > 0.0);
    assert!(r["peak_rss_mib"].as_f64().unwrap() > 0.0);
    assert_eq!(r["precision"], "fp32");
}

#[test]
fn bench_prints_a_table_and_int8_runs() {
    let out = run(&[
        "bench",
        &input("bom_crlf.csv"),
        "--model",
        &model(),
        "--precision",
        "int8",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let table = String::from_utf8_lossy(&out.stdout);
    for k in [
        "throughput",
        "padding waste",
        "batch latency",
        "peak RSS",
        "model load",
    ] {
        assert!(table.contains(k), "no {k} in:\n{table}");
    }
    assert!(table.contains("int8 / cpu"), "{table}");
}

#[test]
fn bench_reads_csv_with_another_delimiter_and_a_named_column() {
    let (_dir, p) = temp_file(
        "semicolon.txt",
        "id;mensaje_cliente\n1;llegó roto, quiero la devolución\n2;todo perfecto, gracias\n",
    );
    let (p, m) = (p.to_str().unwrap(), model());
    let bench = ["bench", p, "--model", &m, "--format", "csv"];
    let col = ["--text-column", "mensaje_cliente"];
    let ok = run(&[&bench[..], &col, &["--delimiter", ";", "--json"]].concat());
    assert!(ok.status.success(), "{}", stderr(&ok));
    let r: serde_json::Value = serde_json::from_slice(&ok.stdout).unwrap();
    assert_eq!(
        (r["messages"].as_u64(), r["labelled"].as_u64()),
        (Some(2), Some(2))
    );
    // With the default delimiter the header is one column: the text column is not found.
    let bad = run(&[&bench[..], &col].concat());
    assert!(!bad.status.success());
    assert!(stderr(&bad).contains("mensaje_cliente"), "{}", stderr(&bad));
}
