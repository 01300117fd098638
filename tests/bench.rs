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
    // The fixture model has no precision.json: auto is fp32, and says why.
    assert_eq!(r["precision"], "fp32");
    let why = r["precision_choice"].as_str().unwrap();
    assert!(why.contains("precision.json"), "{why}");
}

/// The fixture model copied into a temporary directory (calibrate writes into it).
fn model_copy() -> tempfile::TempDir {
    copy_of(std::path::Path::new(&model()))
}

fn copy_of(model: &std::path::Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for f in std::fs::read_dir(model).unwrap() {
        let f = f.unwrap();
        std::fs::copy(f.path(), dir.path().join(f.file_name())).unwrap();
    }
    dir
}

#[test]
fn calibrate_writes_what_auto_then_reads() {
    use sentir::model::auto::{self, Calibration};
    use sentir::sysinfo::Machine;
    let m = model_copy();
    let dir = m.path().to_str().unwrap();
    let out = run(&[
        "calibrate",
        &input("bom_crlf.csv"),
        "--model",
        dir,
        "--json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let printed: Calibration = serde_json::from_slice(&out.stdout).unwrap();
    let cal = Calibration::read(m.path())
        .unwrap()
        .expect("precision.json written");
    assert_eq!(printed, cal);
    let modes: Vec<&str> = cal.modes.iter().map(|m| m.precision.as_str()).collect();
    assert_eq!(modes, ["fp32", "bf16", "int8"]);
    assert_eq!(cal.modes[0].agreement_with_fp32, 1.0);
    for m in &cal.modes {
        assert!((0.0..=1.0).contains(&m.agreement_with_fp32), "{m:?}");
        assert!(m.messages_per_second > 0.0, "{m:?}");
    }
    let bench = run(&["bench", &input("bom_crlf.csv"), "--model", dir, "--json"]);
    assert!(bench.status.success(), "{}", stderr(&bench));
    let r: serde_json::Value = serde_json::from_slice(&bench.stdout).unwrap();
    assert_eq!(cal.messages, r["labelled"].as_u64().unwrap());
    let here = Machine::current();
    let want = auto::choose(Some(&cal), &here.cpu, &here.features, tch::Device::Cpu);
    assert_eq!(r["precision"], want.precision.as_str(), "{}", want.why);
    assert_eq!(r["precision_choice"].as_str(), Some(want.why.as_str()));
    // A mode given on the command line is used as given.
    let fixed = run(&[
        "bench",
        &input("bom_crlf.csv"),
        "--model",
        dir,
        "--json",
        "--precision",
        "int8",
    ]);
    let r: serde_json::Value = serde_json::from_slice(&fixed.stdout).unwrap();
    assert_eq!(
        (r["precision"].as_str(), r["precision_choice"].as_str()),
        (Some("int8"), None)
    );
}

#[test]
fn a_broken_precision_json_is_an_error_naming_it_and_calibrate_rewrites_it() {
    let m = model_copy();
    let dir = m.path().to_str().unwrap();
    std::fs::write(m.path().join("precision.json"), "{\"format\": 1").unwrap();
    let bad = run(&["bench", &input("bom_crlf.csv"), "--model", dir]);
    assert!(!bad.status.success());
    assert!(stderr(&bad).contains("precision.json"), "{}", stderr(&bad));
    // A given precision does not read it.
    let fixed = run(&[
        "bench",
        &input("bom_crlf.csv"),
        "--model",
        dir,
        "--precision",
        "fp32",
    ]);
    assert!(fixed.status.success(), "{}", stderr(&fixed));
    let again = run(&["calibrate", &input("bom_crlf.csv"), "--model", dir]);
    assert!(again.status.success(), "{}", stderr(&again));
    let ok = run(&["bench", &input("bom_crlf.csv"), "--model", dir]);
    assert!(ok.status.success(), "{}", stderr(&ok));
    assert!(String::from_utf8_lossy(&ok.stdout).contains("precision choice"));
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

#[test]
fn calibrate_skips_a_mode_the_model_cannot_run_and_warns_of_few_messages() {
    use sentir::model::auto::Calibration;
    let m = copy_of(&common::fixture_model("distilbert-2class"));
    let dir = m.path().to_str().unwrap();
    let out = run(&["calibrate", &input("bom_crlf.csv"), "--model", dir]);
    assert!(out.status.success(), "{}", stderr(&out));
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(table.contains("int8    skipped"), "{table}");
    assert!(table.contains("rough below 1000"), "{table}");
    let cal = Calibration::read(m.path()).unwrap().unwrap();
    let modes: Vec<&str> = cal.modes.iter().map(|m| m.precision.as_str()).collect();
    assert_eq!(modes, ["fp32", "bf16"]);
}
