//! The Spark integration end to end (`integrations/spark`): pyspark `local[2]` in the pinned
//! environment of `make spark-setup`, the bundle of `make dist` shipped as Spark ships it
//! (`spark.archives`), the default model. Spark's output must hold every input row exactly
//! once, with the labels, scores (to 1e-6) and errors of one `sentir classify` process over the
//! same rows, and `sentir report` must give the same figures on both outputs.
//!
//! Needs `make spark-setup` and `make dist` (run by `make test`); `SENTIR_SKIP_SPARK=1` skips.

use arrow_array::builder::{Int64Builder, StringBuilder};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::arrow::ArrowWriter;
use sentir::io::arrow_values::column_strings;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};

mod common;

use common::{root, sentir, spark_python_or_skip as python_or_skip};

/// One Spark at a time: each one starts a JVM and keeps both cores busy.
static SPARK: Mutex<()> = Mutex::new(());

fn bundle() -> PathBuf {
    let version = env!("CARGO_PKG_VERSION");
    let b = root().join(format!("dist/sentir-{version}-linux-x86_64.tar.gz"));
    assert!(b.exists(), "no {}: run `make dist`", b.display());
    b
}

fn run_ok(cmd: &mut Command) -> String {
    let out = cmd.output().expect("command runs");
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        matches!(out.status.code(), Some(0) | Some(3)),
        "{cmd:?} failed ({:?}):\n{err}",
        out.status
    );
    err
}

/// Runs the job script with `args` after the common ones.
fn spark_job(py: &Path, input: &Path, output: &Path, args: &[&str]) {
    let mut cmd = Command::new(py);
    cmd.arg(root().join("integrations/spark/classify.py"))
        .arg("--input")
        .arg(input)
        .arg("--output")
        .arg(output)
        .args(["--master", "local[2]"])
        .args(args)
        .env_remove("SENTIR_MODEL")
        .env_remove("SENTIR_BIN");
    run_ok(&mut cmd);
}

/// Every row of a Parquet file or directory of parts: column name → value as text.
fn read_rows(path: &Path) -> Vec<HashMap<String, Option<String>>> {
    let files: Vec<PathBuf> = if path.is_dir() {
        let mut v: Vec<PathBuf> = std::fs::read_dir(path)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "parquet"))
            .collect();
        v.sort();
        v
    } else {
        vec![path.to_path_buf()]
    };
    let mut rows = Vec::new();
    for f in files {
        let reader = ParquetRecordBatchReaderBuilder::try_new(std::fs::File::open(&f).unwrap())
            .unwrap()
            .build()
            .unwrap();
        for batch in reader {
            let batch = batch.unwrap();
            let cols: Vec<Vec<Option<String>>> = batch
                .columns()
                .iter()
                .map(|c| column_strings(c.as_ref()).unwrap())
                .collect();
            for r in 0..batch.num_rows() {
                let schema = batch.schema();
                rows.push(
                    schema
                        .fields()
                        .iter()
                        .zip(&cols)
                        .map(|(f, c)| (f.name().clone(), c[r].clone()))
                        .collect(),
                );
            }
        }
    }
    rows
}

/// Rows by `id`, asserting that no id comes twice.
fn by_id(
    rows: Vec<HashMap<String, Option<String>>>,
) -> HashMap<String, HashMap<String, Option<String>>> {
    let mut m = HashMap::new();
    for r in rows {
        let id = r["id"].clone().expect("id");
        assert!(m.insert(id.clone(), r).is_none(), "id {id} comes out twice");
    }
    m
}

/// An error without its `row N: ` prefix (a Spark task numbers the rows of its partition).
fn reason(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(
        |s| match s.strip_prefix("row ").and_then(|r| r.split_once(": ")) {
            Some((n, rest)) if n.chars().all(|c| c.is_ascii_digit()) => rest,
            _ => s,
        },
    )
}

const FLOATS: [&str; 5] = [
    "score",
    "p_negative",
    "p_neutral",
    "p_positive",
    "reason_score",
];
const EXACT: [&str; 5] = ["sentiment", "mixed", "reason", "language", "error"];

/// Asserts that `got` has the rows of `want` (by id), equal labels, errors and input
/// columns, and scores within 1e-6.
fn assert_same_labels(
    got: &HashMap<String, HashMap<String, Option<String>>>,
    want: &HashMap<String, HashMap<String, Option<String>>>,
    input_columns: &[&str],
) {
    assert_eq!(got.len(), want.len(), "row count");
    for (id, w) in want {
        let g = got.get(id).unwrap_or_else(|| panic!("id {id} is missing"));
        for c in EXACT.iter().chain(input_columns) {
            assert_eq!(reason(&g[*c]), reason(&w[*c]), "id {id}, column {c}");
        }
        for c in FLOATS {
            match (&g[c], &w[c]) {
                (Some(a), Some(b)) => {
                    let (a, b): (f64, f64) = (a.parse().unwrap(), b.parse().unwrap());
                    assert!((a - b).abs() <= 1e-6, "id {id}, {c}: {a} vs {b}");
                }
                (a, b) => assert_eq!(a, b, "id {id}, column {c}"),
            }
        }
    }
}

/// ≥ 5 000 buyer messages with ids, dates and products, and hostile rows among them: empty,
/// blank, null, very long (a 30 000-character message), text as a reader that replaces
/// invalid UTF-8 gives it (U+FFFD), and a NUL byte.
fn write_export(path: &Path) -> usize {
    let mut texts: Vec<String> = Vec::new();
    let mut r = csv::Reader::from_path(root().join("data/buyer_messages/train.csv")).unwrap();
    for rec in r.records() {
        texts.push(rec.unwrap()[0].to_string());
    }
    let long = "El pedido llegó tarde y la caja venía abierta. ".repeat(640);
    let hostile: [Option<&str>; 6] = [
        Some(""),
        Some("   "),
        None,
        Some(&long),
        Some("Recib\u{FFFD}\u{FFFD} el paquete pero est\u{FFFD} roto"),
        Some("hola\0mundo"),
    ];
    let n = 5_040;
    let (mut ids, mut dates, mut products, mut text) = (
        Int64Builder::new(),
        StringBuilder::new(),
        StringBuilder::new(),
        StringBuilder::new(),
    );
    for i in 0..n {
        ids.append_value(i as i64 + 1);
        dates.append_value(format!("2026-{:02}-{:02}", 9 + i % 3, 1 + i % 28));
        products.append_value(format!("P{}", i % 7));
        if i % 840 == 7 {
            text.append_option(hostile[(i / 840) % hostile.len()]);
        } else {
            text.append_value(&texts[i % texts.len()]);
        }
    }
    let schema = Arc::new(Schema::new(vec![
        Field::new("id", DataType::Int64, false),
        Field::new("sent_at", DataType::Utf8, true),
        Field::new("product", DataType::Utf8, true),
        Field::new("text", DataType::Utf8, true),
    ]));
    let cols: Vec<ArrayRef> = vec![
        Arc::new(ids.finish()),
        Arc::new(dates.finish()),
        Arc::new(products.finish()),
        Arc::new(text.finish()),
    ];
    let batch = RecordBatch::try_new(schema.clone(), cols).unwrap();
    let mut w = ArrowWriter::try_new(std::fs::File::create(path).unwrap(), schema, None).unwrap();
    w.write(&batch).unwrap();
    w.close().unwrap();
    n
}

/// report.json without what names the input or a row's position in it.
fn report_figures(labelled: &Path, out: &Path) -> serde_json::Value {
    run_ok(
        sentir()
            .arg("report")
            .arg(labelled)
            .arg("-o")
            .arg(out)
            .args([
                "--date-column",
                "sent_at",
                "--product-column",
                "product",
                "--quiet",
            ]),
    );
    let mut v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("report.json")).unwrap()).unwrap();
    fn strip(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Object(o) => {
                o.remove("line");
                o.remove("input");
                o.values_mut().for_each(strip);
            }
            serde_json::Value::Array(a) => a.iter_mut().for_each(strip),
            _ => {}
        }
    }
    strip(&mut v);
    v
}

#[test]
fn spark_job_labels_every_row_once_as_one_process_does() {
    let Some(py) = python_or_skip() else { return };
    let _one = SPARK.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("export.parquet");
    let n = write_export(&input);
    let spark_out = dir.path().join("spark-out");
    let bundle = bundle();
    let bundle = bundle.to_str().unwrap();
    spark_job(
        &py,
        &input,
        &spark_out,
        &["--partitions", "4", "--archive", bundle],
    );
    let parts = std::fs::read_dir(&spark_out)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with("part-")
        })
        .count();
    assert!(parts >= 4, "{parts} parts");

    // One sentir process over the same rows: each part holds one task's rows in the order the
    // task read them, so the process sees the same batches as the task did (fp32 GEMMs over
    // other batch shapes or thread counts move scores by up to ~3e-6; README). Relabelling
    // overwrites the label columns in place. The Spark integration runs fp32 unless told
    // otherwise (`--precision auto` could differ between executors); so does this process.
    let single = dir.path().join("single");
    std::fs::create_dir(&single).unwrap();
    for part in sentir::io::parquet::parts(&spark_out).unwrap() {
        let out = single.join(part.file_name().unwrap());
        run_ok(
            sentir()
                .arg("classify")
                .arg(&part)
                .arg("-o")
                .arg(&out)
                .args(["--threads", "1", "--precision", "fp32", "--quiet"]),
        );
    }
    let got = by_id(read_rows(&spark_out));
    let want = by_id(read_rows(&single));
    assert_eq!(want.len(), n);
    assert_same_labels(&got, &want, &["sent_at", "product", "text"]);
    let input_ids = by_id(read_rows(&input));
    assert!(
        input_ids.keys().all(|id| got.contains_key(id)),
        "a row of the input is missing"
    );
    let errors: Vec<&str> = got.values().filter_map(|r| r["error"].as_deref()).collect();
    assert_eq!(errors.len(), 4, "{errors:?}"); // empty, blank, null, NUL; the U+FFFD row is labelled
    assert!(errors.iter().any(|e| e.contains("is null")), "{errors:?}");

    let a = report_figures(&spark_out, &dir.path().join("report-spark"));
    let b = report_figures(&single, &dir.path().join("report-single"));
    assert_eq!(a, b, "report.json figures differ");
}

#[test]
fn spark_job_reads_exports_as_they_are() {
    let Some(py) = python_or_skip() else { return };
    let _one = SPARK.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let bin = env!("CARGO_BIN_EXE_sentir");

    // CSV as exported: a BOM, CRLF, quoted fields with newlines and "" escapes, invalid UTF-8.
    let csv_path = dir.path().join("export.csv");
    let mut csv = b"\xef\xbb\xbfid,text\r\n".to_vec();
    csv.extend_from_slice(b"1,\"Hola, \"\"gracias\"\"\nlleg\xc3\xb3 todo bien\"\r\n");
    csv.extend_from_slice(b"2,Nunca lleg\xf3 mi pedido\r\n"); // Latin-1 byte: invalid UTF-8
    csv.extend_from_slice(b"3,\r\n");
    for i in 4..=40 {
        csv.extend_from_slice(format!("{i},El producto {i} funciona perfecto\r\n").as_bytes());
    }
    std::fs::write(&csv_path, &csv).unwrap();
    let out = dir.path().join("csv-out");
    spark_job(
        &py,
        &csv_path,
        &out,
        &["--partitions", "3", "--binary", bin],
    );
    let rows = by_id(read_rows(&out));
    assert_eq!(rows.len(), 40);
    let one = &rows["1"];
    assert_eq!(
        one["text"].as_deref(),
        Some("Hola, \"gracias\"\nllegó todo bien")
    );
    assert!(
        one["sentiment"].is_some() && one["error"].is_none(),
        "{one:?}"
    );
    // Spark's reader replaced the invalid byte; the row is labelled, not lost.
    let two = &rows["2"];
    assert!(
        two["text"].as_deref().unwrap().contains('\u{FFFD}'),
        "{two:?}"
    );
    assert!(two["sentiment"].is_some(), "{two:?}");
    // Spark reads an empty CSV field as null: a row error, kept.
    assert!(
        rows["3"]["error"].as_deref().unwrap().contains("null"),
        "{:?}",
        rows["3"]
    );

    // JSONL: a number where the text should be (Spark reads the column as strings).
    let jsonl = dir.path().join("export.jsonl");
    std::fs::write(
        &jsonl,
        "{\"id\": 1, \"text\": \"Excelente atención\"}\n{\"id\": 2, \"text\": 12345}\n{\"id\": 3}\n",
    )
    .unwrap();
    let out = dir.path().join("jsonl-out");
    spark_job(&py, &jsonl, &out, &["--binary", bin]);
    let rows = by_id(read_rows(&out));
    assert_eq!(rows.len(), 3);
    assert_eq!(rows["1"]["sentiment"].as_deref(), Some("positive"));
    assert_eq!(rows["2"]["text"].as_deref(), Some("12345"));
    assert!(rows["3"]["error"].is_some());
}
