//! End-to-end tests of `sentir classify`: the real binary on real files, with the tiny
//! bert-3class fixture model (its labels are arbitrary; what is tested is that every row
//! comes out, in order, unchanged, with valid scores or a clear error).

mod common;

use arrow_array::Array;
use common::{
    fixture_model, input, model, read_csv, run, run_stdin, sentir, stderr, LABEL_COLUMNS,
};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn check_labelled(cols: &[String], row: &[String]) {
    let get = |name: &str| &row[cols.iter().position(|c| c == name).unwrap()];
    assert!(
        ["negative", "neutral", "positive"].contains(&get("sentiment").as_str()),
        "{row:?}"
    );
    let p: Vec<f64> = ["p_negative", "p_neutral", "p_positive"]
        .iter()
        .map(|c| get(c).parse().unwrap())
        .collect();
    assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-4, "{p:?}");
    let score: f64 = get("score").parse().unwrap();
    assert!((score - p.iter().cloned().fold(0.0, f64::max)).abs() < 1e-6);
    assert_eq!(get("error"), "");
}

#[test]
fn csv_with_bom_crlf_and_quotes_keeps_every_column_and_row() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.csv");
    let o = run(&[
        "classify",
        &input("bom_crlf.csv"),
        "-o",
        out.to_str().unwrap(),
        "--model",
        &model(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let (cols, rows) = read_csv(&out);
    let mut want: Vec<String> = ["id", "text", "channel"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    want.extend(LABEL_COLUMNS.iter().map(|s| s.to_string()));
    assert_eq!(cols, want);
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0][1], "Llegó roto, quiero la devolución");
    assert_eq!(rows[1][1], "Gracias, todo perfecto \"de verdad\"");
    assert_eq!(rows[2][1], "Hola,\r\n¿tienen talla 42?");
    for r in &rows {
        check_labelled(&cols, r);
    }
    assert_eq!(
        rows[0][cols.iter().position(|c| c == "language").unwrap()],
        "es"
    );
}

#[test]
fn bad_csv_rows_come_out_with_errors_naming_line_and_reason() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.csv");
    let o = run(&[
        "classify",
        &input("bad_rows.csv"),
        "-o",
        out.to_str().unwrap(),
        "--model",
        &model(),
    ]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("7 rows, 2 labelled, 5 with errors"), "{err}");
    let (cols, rows) = read_csv(&out);
    assert_eq!(rows.len(), 7, "every input row comes out once");
    let e = cols.iter().position(|c| c == "error").unwrap();
    let ids: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(ids, ["1", "2", "3", "4", "5", "6", "7"], "input order");
    check_labelled(&cols, &rows[0]);
    check_labelled(&cols, &rows[6]);
    assert_eq!(rows[1][e], "line 3: column \"text\" is empty");
    assert_eq!(rows[2][e], "line 4: column \"text\" is empty");
    assert_eq!(
        rows[3][e],
        "line 5: row has 5 fields, the header has 3 (extra fields: \"extra1\", \"extra2\")"
    );
    assert_eq!(rows[4][e], "line 6: row has 1 fields, the header has 3");
    assert!(
        rows[5][e].starts_with("line 7: column \"text\" is not valid UTF-8"),
        "{}",
        rows[5][e]
    );
    for r in &rows[1..6] {
        assert_eq!(r[cols.iter().position(|c| c == "sentiment").unwrap()], "");
    }
    // The invalid bytes are written back unchanged.
    let raw = std::fs::read(&out).unwrap();
    assert!(raw.windows(2).any(|w| w == b"\xff\xfe"));
}

#[test]
fn bad_jsonl_lines_come_out_with_errors_and_keys_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.jsonl");
    let o = run(&[
        "classify",
        &input("bad_rows.jsonl"),
        "-o",
        out.to_str().unwrap(),
        "--model",
        &model(),
    ]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let text = std::fs::read_to_string(&out).unwrap();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 9, "every input line comes out once");
    let keys: Vec<&str> = lines[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "id",
            "text",
            "meta",
            "sentiment",
            "score",
            "p_negative",
            "p_neutral",
            "p_positive",
            "mixed",
            "reason",
            "reason_score",
            "language",
            "error"
        ]
    );
    assert_eq!(lines[0]["meta"], serde_json::json!({"a": 1}));
    assert!(lines[0]["error"].is_null() && lines[0]["sentiment"].is_string());
    let err = |i: usize| lines[i]["error"].as_str().unwrap_or_default().to_string();
    assert!(err(1).starts_with("line 2: invalid JSON"), "{}", err(1));
    assert_eq!(lines[1]["raw"], "{\"id\":2,\"text\":");
    assert_eq!(err(2), "line 3: empty line");
    assert_eq!(err(3), "line 4: no \"text\" field");
    assert_eq!(lines[3]["body"], "sin campo text");
    assert_eq!(err(4), "line 5: field \"text\" is a number, not a string");
    assert_eq!(err(5), "line 6: the JSON value is an array, not an object");
    assert!(err(6).starts_with("line 7: not valid UTF-8"), "{}", err(6));
    assert_eq!(err(7), "line 8: field \"text\" is empty");
    // A label key already in the input is overwritten in place, not duplicated.
    assert_ne!(lines[8]["sentiment"], "old");
    assert!(lines[8]["error"].is_null());
    for l in &lines[1..8] {
        assert!(l["sentiment"].is_null() && l["score"].is_null());
    }
}

#[test]
fn stdin_text_to_stdout_csv() {
    let o = run_stdin(
        &[
            "classify",
            "-",
            "--format",
            "text",
            "--model",
            &model(),
            "--quiet",
        ],
        b"Muchas gracias, todo perfecto\n\nwhere is my order?\n",
    );
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(
        stderr(&o).is_empty(),
        "--quiet prints nothing: {}",
        stderr(&o)
    );
    let mut r = csv::Reader::from_reader(o.stdout.as_slice());
    let cols: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    assert_eq!(cols[0], "text");
    let rows: Vec<Vec<String>> = r
        .records()
        .map(|x| x.unwrap().iter().map(str::to_string).collect())
        .collect();
    assert_eq!(rows.len(), 3);
    check_labelled(&cols, &rows[0]);
    let error = cols.iter().position(|c| c == "error").unwrap();
    assert_eq!(rows[1][error], "line 2: text is empty");
    check_labelled(&cols, &rows[2]);
}

#[test]
fn stdin_format_is_detected_from_content() {
    let o = run_stdin(
        &["classify", "--model", &model(), "-q"],
        b"{\"msg\":\"hola\",\"text\":\"Gracias!\"}\n",
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["msg"], "hola");
    let o = run_stdin(
        &["classify", "--model", &model(), "-q"],
        b"id,mensaje\n1,Gracias\n",
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).starts_with("id,mensaje,sentiment,"));
}

#[test]
fn labels_do_not_depend_on_batching_or_threads() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("in.csv");
    let mut w = csv::Writer::from_path(&src).unwrap();
    w.write_record(["n", "text"]).unwrap();
    let words = [
        "pedido",
        "roto",
        "gracias",
        "talla",
        "devolución",
        "factura",
        "rápido",
        "nunca",
    ];
    for i in 0..150 {
        let text: Vec<&str> = (0..(1 + i * 7 % 40))
            .map(|k| words[(i + k) % words.len()])
            .collect();
        w.write_record([i.to_string(), text.join(" ")]).unwrap();
    }
    w.flush().unwrap();
    let a = dir.path().join("a.csv");
    let b = dir.path().join("b.csv");
    let m = model();
    let o = run(&[
        "classify",
        src.to_str().unwrap(),
        "-o",
        a.to_str().unwrap(),
        "--model",
        &m,
        "--batch-size",
        "1",
        "--threads",
        "1",
        "-q",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = run(&[
        "classify",
        src.to_str().unwrap(),
        "-o",
        b.to_str().unwrap(),
        "--model",
        &m,
        "--batch-size",
        "64",
        "--threads",
        "2",
        "-q",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let (cols, ra) = read_csv(&a);
    let (_, rb) = read_csv(&b);
    assert_eq!(ra.len(), 150);
    for (x, y) in ra.iter().zip(&rb) {
        assert_eq!(x[0], y[0], "row order");
        assert_eq!(x[2], y[2], "label of row {}", x[0]);
        for c in 3..6 {
            let (p, q): (f64, f64) = (x[c].parse().unwrap(), y[c].parse().unwrap());
            assert!((p - q).abs() < 1e-5, "{} {}: {p} vs {q}", x[0], cols[c]);
        }
    }
}

#[test]
fn long_messages_are_truncated_not_failed() {
    let long = "el paquete llegó tarde y roto ".repeat(200);
    let o = run_stdin(
        &[
            "classify",
            "--format",
            "text",
            "--model",
            &model(),
            "--max-length",
            "16",
            "-q",
        ],
        long.as_bytes(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn unknown_text_column_is_a_usage_error_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.csv");
    let o = run(&[
        "classify",
        &input("bom_crlf.csv"),
        "-o",
        out.to_str().unwrap(),
        "--model",
        &model(),
        "--text-column",
        "body",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("text column \"body\" not found; the columns are: id, text, channel"),
        "{}",
        stderr(&o)
    );
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn missing_model_is_a_usage_error_and_keeps_the_old_output() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.csv");
    std::fs::write(&out, "previous run\n").unwrap();
    let o = run(&[
        "classify",
        &input("bom_crlf.csv"),
        "-o",
        out.to_str().unwrap(),
        "--model",
        "/nonexistent/model",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("model /nonexistent/model: no such directory"),
        "{}",
        stderr(&o)
    );
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "previous run\n");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temp file left"
    );
}

#[test]
fn model_dir_without_weights_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = fixture_model("bert-3class");
    for f in ["config.json", "tokenizer.json"] {
        std::fs::copy(fixture.join(f), dir.path().join(f)).unwrap();
    }
    let o = run(&[
        "classify",
        &input("bom_crlf.csv"),
        "--model",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("model.safetensors is missing"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn missing_input_is_a_fatal_error() {
    let o = run(&["classify", "/nonexistent/in.csv", "--model", &model()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("/nonexistent/in.csv"), "{}", stderr(&o));
}

#[test]
fn jsonl_to_csv_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.csv");
    let o = run(&[
        "classify",
        &input("bad_rows.jsonl"),
        "-o",
        out.to_str().unwrap(),
        "--model",
        &model(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("JSONL input can only be written as JSONL"),
        "{}",
        stderr(&o)
    );
    assert!(!out.exists());
}

#[test]
fn csv_can_be_written_as_jsonl() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.jsonl");
    let o = run(&[
        "classify",
        &input("bom_crlf.csv"),
        "-o",
        out.to_str().unwrap(),
        "--model",
        &model(),
        "-q",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let first: serde_json::Value = serde_json::from_str(
        std::fs::read_to_string(&out)
            .unwrap()
            .lines()
            .next()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(first["id"], "1");
    assert_eq!(first["channel"], "amazon");
}

#[test]
fn empty_csv_is_a_clear_error() {
    let o = run_stdin(&["classify", "--format", "csv", "--model", &model()], b"");
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("empty input"), "{}", stderr(&o));
}

#[test]
fn two_class_model_never_says_neutral() {
    let m = fixture_model("distilbert-2class");
    let o = run_stdin(
        &[
            "classify",
            "--format",
            "text",
            "--model",
            m.to_str().unwrap(),
            "-q",
        ],
        b"gracias\nroto\nok\n",
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let mut r = csv::Reader::from_reader(o.stdout.as_slice());
    for rec in r.records() {
        let rec = rec.unwrap();
        assert_ne!(&rec[1], "neutral");
        assert_eq!(&rec[4], "0.000000");
    }
}

#[test]
fn int8_on_an_architecture_without_it_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let out_path = dir.path().join("out.csv");
    let distil = fixture_model("distilbert-2class");
    let out = run(&[
        "classify",
        &input("bom_crlf.csv"),
        "-o",
        out_path.to_str().unwrap(),
        "--model",
        distil.to_str().unwrap(),
        "--precision",
        "int8",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("int8"), "{}", stderr(&out));
    assert!(!out_path.exists());
}

/// A long message is read in overlapping chunks (with `--max-length 16` every long text here
/// has many): its scores are the same alone, in a batch of one, or in a full batch with
/// other messages and two threads; `--long truncate` reads only its first tokens.
#[test]
fn chunked_rows_do_not_depend_on_batch_mates() {
    let dir = tempfile::tempdir().unwrap();
    let long = "El pedido llegó tarde. La caja venía rota, pero el producto funciona bien. \
                Nadie contesta mis mensajes. ¡Gracias por nada!\nLo volvería a comprar igual. "
        .repeat(6);
    let write = |name: &str, texts: &[String]| {
        let p = dir.path().join(name);
        let mut w = csv::Writer::from_path(&p).unwrap();
        w.write_record(["n", "text"]).unwrap();
        for (i, t) in texts.iter().enumerate() {
            w.write_record([i.to_string(), t.clone()]).unwrap();
        }
        w.flush().unwrap();
        p
    };
    let mut many: Vec<String> = (0..40)
        .map(|i| format!("mensaje corto {i} gracias"))
        .collect();
    many.insert(17, long.clone());
    many.push(long.repeat(3));
    let alone = write("alone.csv", std::slice::from_ref(&long));
    let mixed = write("mixed.csv", &many);
    let m = model();
    let classify = |input: &Path, out: &str, extra: &[&str]| {
        let out = dir.path().join(out);
        let mut args = vec![
            "classify",
            input.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--model",
            &m,
            "--max-length",
            "16",
            "-q",
        ];
        args.extend_from_slice(extra);
        let o = run(&args);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        read_csv(&out)
    };
    let (cols, a) = classify(&alone, "a.csv", &["--batch-size", "1", "--threads", "1"]);
    let (_, b) = classify(&mixed, "b.csv", &["--batch-size", "64", "--threads", "2"]);
    let (_, c) = classify(&mixed, "c.csv", &["--long", "truncate"]);
    let p = |row: &[String]| -> Vec<f64> {
        ["p_negative", "p_neutral", "p_positive"]
            .iter()
            .map(|n| {
                row[cols.iter().position(|c| c == n).unwrap()]
                    .parse()
                    .unwrap()
            })
            .collect()
    };
    let (pa, pb, pc) = (p(&a[0]), p(&b[17]), p(&c[17]));
    for k in 0..3 {
        assert!(
            (pa[k] - pb[k]).abs() < 1e-5,
            "alone {pa:?} vs in a batch {pb:?}"
        );
    }
    assert!(
        (0..3).any(|k| (pa[k] - pc[k]).abs() > 1e-4),
        "chunked {pa:?} equals truncated {pc:?}"
    );
    // Short rows are read whole either way.
    let (sb, sc) = (p(&b[3]), p(&c[3]));
    assert!(
        (0..3).all(|k| (sb[k] - sc[k]).abs() < 1e-5),
        "{sb:?} vs {sc:?}"
    );
    assert_eq!(b.len(), 42);
}

/// A 1 MB message is labelled (in chunks), not failed or truncated away.
#[test]
fn one_megabyte_message_is_labelled() {
    let text =
        "La entrega fue rápida y el vendedor amable, pero la talla no coincide. ".repeat(15_000);
    assert!(text.len() > 1_000_000);
    let o = run_stdin(
        &["classify", "--format", "text", "--model", &model(), "-q"],
        text.as_bytes(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = String::from_utf8(o.stdout).unwrap();
    let row = out.lines().nth(1).unwrap();
    assert!(
        row.contains(",negative,") || row.contains(",neutral,") || row.contains(",positive,"),
        "{}",
        &row[row.len() - 200..]
    );
}

fn text_batch(ids: &[i64], texts: &[Option<&str>]) -> arrow_array::RecordBatch {
    use arrow_schema::{DataType, Field, Schema};
    let schema = std::sync::Arc::new(Schema::new(vec![
        Field::new("id", DataType::Int64, false),
        Field::new("text", DataType::Utf8, true),
    ]));
    arrow_array::RecordBatch::try_new(
        schema,
        vec![
            std::sync::Arc::new(arrow_array::Int64Array::from(ids.to_vec())),
            std::sync::Arc::new(arrow_array::StringArray::from(texts.to_vec())),
        ],
    )
    .unwrap()
}

/// Arrow IPC through pipes: a producer that sends the next batch only once it has read the
/// previous one's output gets every batch back (no deadlock), one output batch per input
/// batch, input columns unchanged, label columns typed, row errors in `error`.
#[test]
fn arrow_stream_flows_batch_by_batch_through_pipes() {
    use arrow_array::cast::AsArray;
    use arrow_ipc::reader::StreamReader;
    use arrow_ipc::writer::StreamWriter;
    let mut child = sentir()
        .args([
            "classify",
            "-",
            "-o",
            "-",
            "--format",
            "arrow",
            "--output-format",
            "arrow",
        ])
        .args(["--model", &model(), "--quiet"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdin = child.stdin.take().unwrap();
    let stdout = child.stdout.take().unwrap();
    let first = text_batch(
        &[1, 2, 3],
        &[Some("Todo perfecto"), None, Some("Llegó roto")],
    );
    let mut w = StreamWriter::try_new(stdin, &first.schema()).unwrap();
    w.write(&first).unwrap();
    w.flush().unwrap();
    // The reader runs beside: if sentir waited for more input before answering, recv times out.
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for b in StreamReader::try_new(stdout, None).unwrap() {
            tx.send(b.unwrap()).unwrap();
        }
    });
    let wait = std::time::Duration::from_secs(60);
    let out1 = rx
        .recv_timeout(wait)
        .expect("first batch back before the second is sent");
    assert_eq!(out1.num_rows(), 3);
    let names: Vec<String> = out1
        .schema()
        .fields()
        .iter()
        .map(|f| f.name().clone())
        .collect();
    assert_eq!(names[..2], ["id", "text"]);
    assert_eq!(names.len(), 12);
    assert_eq!(
        out1.schema().field(3).data_type(),
        &arrow_schema::DataType::Float32
    );
    assert_eq!(
        out1.schema().field(7).data_type(),
        &arrow_schema::DataType::Boolean
    );
    let ids = out1
        .column(0)
        .as_primitive::<arrow_array::types::Int64Type>();
    assert_eq!(ids.values(), &[1, 2, 3]);
    let errors = out1.column(11).as_string::<i32>();
    assert!(errors.is_null(0) && errors.is_valid(1) && errors.is_null(2));
    assert!(errors.value(1).contains("is null"), "{}", errors.value(1));

    w.write(&text_batch(&[4, 5], &[Some("ok"), Some("gracias")]))
        .unwrap();
    w.write(&text_batch(&[6], &[Some("no funciona")])).unwrap();
    w.finish().unwrap();
    drop(w);
    let out2 = rx.recv_timeout(wait).unwrap();
    let out3 = rx.recv_timeout(wait).unwrap();
    assert_eq!((out2.num_rows(), out3.num_rows()), (2, 1));
    assert!(
        rx.recv_timeout(wait).is_err(),
        "the stream ends after the last batch"
    );
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(3)); // row 2 carries an error
}

/// Parquet parts as Spark writes them (`part-*.parquet`, `_SUCCESS`, `.crc` files) are read
/// as one input in name order; other files are refused by name.
#[test]
fn directory_of_parquet_parts_is_one_input() {
    let dir = tempfile::tempdir().unwrap();
    let parts = dir.path().join("parts");
    std::fs::create_dir(&parts).unwrap();
    let write = |name: &str, b: arrow_array::RecordBatch| {
        let f = std::fs::File::create(parts.join(name)).unwrap();
        let mut w = parquet::arrow::ArrowWriter::try_new(f, b.schema(), None).unwrap();
        w.write(&b).unwrap();
        w.close().unwrap();
    };
    write(
        "part-00001-x.snappy.parquet",
        text_batch(&[3], &[Some("tercero")]),
    );
    write(
        "part-00000-x.snappy.parquet",
        text_batch(&[1, 2], &[Some("uno"), None]),
    );
    std::fs::write(parts.join("_SUCCESS"), b"").unwrap();
    std::fs::write(parts.join(".part-00000-x.snappy.parquet.crc"), b"junk").unwrap();
    let out = dir.path().join("out.parquet");
    let o = run(&[
        "classify",
        parts.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--model",
        &model(),
        "-q",
    ]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let reader = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(
        std::fs::File::open(&out).unwrap(),
    )
    .unwrap()
    .build()
    .unwrap();
    let mut ids = Vec::new();
    let mut errors = Vec::new();
    for b in reader {
        use arrow_array::cast::AsArray;
        let b = b.unwrap();
        ids.extend(
            b.column(0)
                .as_primitive::<arrow_array::types::Int64Type>()
                .values()
                .iter()
                .copied(),
        );
        let e = b.column(b.num_columns() - 1).as_string::<i32>();
        errors.extend((0..b.num_rows()).map(|i| e.is_valid(i).then(|| e.value(i).to_string())));
    }
    assert_eq!(ids, [1, 2, 3]);
    assert_eq!(errors[1].as_deref(), Some("row 2: column \"text\" is null"));
    std::fs::write(parts.join("notes.txt"), b"").unwrap();
    let o = run(&[
        "classify",
        parts.to_str().unwrap(),
        "--model",
        &model(),
        "-q",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("notes.txt"), "{}", stderr(&o));
}

/// `big.csv` in `dir`: `rows` buyer messages `id,text` ("mensaje número N del comprador",
/// then `tail` after a comma when given).
fn big_export(dir: &Path, rows: usize, tail: &str) -> PathBuf {
    let big = dir.join("big.csv");
    let mut csv = String::from("id,text\n");
    for i in 0..rows {
        csv.push_str(&format!("{i},\"mensaje número {i} del comprador"));
        if !tail.is_empty() {
            csv.push_str(", ");
            csv.push_str(tail);
        }
        csv.push_str("\"\n");
    }
    std::fs::write(&big, csv).unwrap();
    big
}

/// `sentir classify big.csv | head` ends quietly with exit 0: a closed stdout is the reader
/// having what it wanted, not an error.
#[test]
fn closed_stdout_ends_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let big = big_export(dir.path(), 20_000, "");
    let mut child = sentir()
        .args(["classify", big.to_str().unwrap(), "--model", &model()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut head = [0u8; 100];
    std::io::Read::read_exact(&mut stdout, &mut head).unwrap();
    drop(stdout); // what `head` does once it has its lines
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(!err.contains("error"), "{err}");
}

/// A write error names the output path (here a file-size limit: the disk is "full").
#[test]
fn write_errors_name_the_output() {
    let dir = tempfile::tempdir().unwrap();
    let big = big_export(dir.path(), 5_000, "");
    let out_path = dir.path().join("out.csv");
    std::fs::write(&out_path, "previous\n").unwrap();
    // ulimit -f counts 512-byte blocks; SIGXFSZ is ignored so the write fails with EFBIG.
    let script = format!(
        "trap '' XFSZ; ulimit -f 64; exec {} classify {} -o {} --model {} -q",
        env!("CARGO_BIN_EXE_sentir"),
        big.display(),
        out_path.display(),
        model()
    );
    let out = Command::new("bash").args(["-c", &script]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains(out_path.to_str().unwrap()), "{err}");
    assert_eq!(std::fs::read_to_string(&out_path).unwrap(), "previous\n");
}

/// SIGINT and SIGTERM stop a run cleanly: exit 128 + signal, the previous output unchanged,
/// no temporary file left beside it, the reason on stderr.
#[test]
fn signals_stop_a_run_and_keep_the_previous_output() {
    let dir = tempfile::tempdir().unwrap();
    let big = big_export(dir.path(), 400_000, "todo bien");
    for (sig, code) in [("INT", 130), ("TERM", 143)] {
        let out_path = dir.path().join("out.csv");
        std::fs::write(&out_path, "previous\n").unwrap();
        let child = sentir()
            .args([
                "classify",
                big.to_str().unwrap(),
                "-o",
                out_path.to_str().unwrap(),
            ])
            .args(["--model", &model(), "-q"])
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Let it start labelling (the temporary output exists), then signal it.
        let start = std::time::Instant::now();
        while std::fs::read_dir(dir.path()).unwrap().count() < 3 {
            assert!(
                start.elapsed().as_secs() < 60,
                "no temporary output appeared"
            );
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        std::thread::sleep(std::time::Duration::from_millis(300));
        let st = Command::new("kill")
            .args([&format!("-{sig}"), &child.id().to_string()])
            .status()
            .unwrap();
        assert!(st.success());
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(code), "SIG{sig}: {err}");
        assert!(err.contains(&format!("stopped by SIG{sig}")), "{err}");
        assert_eq!(std::fs::read_to_string(&out_path).unwrap(), "previous\n");
        let left: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".tmp"))
            .collect();
        assert!(left.is_empty(), "temporary files left: {left:?}");
    }
}

/// A copy of the fixture model whose tokenizer.json is changed by `edit`.
fn model_with_tokenizer(dir: &Path, edit: impl Fn(&mut serde_json::Value)) -> String {
    let m = dir.join("model");
    std::fs::create_dir(&m).unwrap();
    for e in std::fs::read_dir(model()).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, m.join(p.file_name().unwrap())).unwrap();
    }
    let tp = m.join("tokenizer.json");
    let mut tok: serde_json::Value = serde_json::from_slice(&std::fs::read(&tp).unwrap()).unwrap();
    edit(&mut tok);
    std::fs::write(&tp, serde_json::to_vec(&tok).unwrap()).unwrap();
    m.display().to_string()
}

/// A libtorch failure during inference is an error with libtorch's reason (exit 1), not a
/// crash (exit 101), and the output is not written; a tokenizer larger than the model's
/// vocabulary is refused at load (exit 2).
#[test]
fn libtorch_failures_are_errors_not_crashes() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.csv");
    std::fs::write(&input, "text\nhola\nz z z\n").unwrap();
    // "z" gets an id past the model's 200-row embedding table.
    let m = model_with_tokenizer(dir.path(), |t| t["model"]["vocab"]["z"] = 5000.into());
    let out_path = dir.path().join("out.csv");
    let o = run(&[
        "classify",
        input.to_str().unwrap(),
        "-o",
        out_path.to_str().unwrap(),
        "--model",
        &m,
        "-q",
    ]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("libtorch failed: index out of range"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(!out_path.exists());

    let dir2 = tempfile::tempdir().unwrap();
    let m = model_with_tokenizer(dir2.path(), |t| {
        for i in 0..10 {
            t["model"]["vocab"][format!("extra{i}")] = (200 + i).into();
        }
    });
    let o = run(&["classify", input.to_str().unwrap(), "--model", &m, "-q"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("tokenizer.json has 210 tokens"),
        "{}",
        stderr(&o)
    );
}

/// Writes `csv` to `in.csv` in `dir`, classifies it with `extra` flags into `out.csv`, and
/// returns the run, the output's header and its `language` column (empty without output).
fn classify_languages(dir: &Path, csv: &str, extra: &[&str]) -> (Output, Vec<String>, Vec<String>) {
    let src = dir.join("in.csv");
    let out = dir.join("out.csv");
    std::fs::write(&src, csv).unwrap();
    let model = model();
    let mut args = vec![
        "classify",
        src.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--model",
        &model,
        "-q",
    ];
    args.extend_from_slice(extra);
    let o = run(&args);
    if !out.exists() {
        return (o, vec![], vec![]);
    }
    let (cols, rows) = read_csv(&out);
    let lang = cols.iter().position(|c| c == "language").unwrap();
    let langs = rows.iter().map(|r| r[lang].clone()).collect();
    (o, cols, langs)
}

const LANGUAGE_ROWS: &str = "id,text\n\
    1,El pedido llegó roto y nadie me responde\n\
    2,odio esto\n\
    3,The parcel arrived damaged and nobody answers my messages\n\
    4,A encomenda chegou danificada e ninguém responde\n\
    5,ok 123\n\
    6,😀👍\n";

#[test]
fn languages_are_iso_639_1_or_und() {
    let dir = tempfile::tempdir().unwrap();
    let (o, _, langs) = classify_languages(dir.path(), LANGUAGE_ROWS, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(langs, ["es", "es", "en", "pt", "und", "und"]);
}

#[test]
fn languages_restricts_detection_and_no_language_leaves_it_empty() {
    let dir = tempfile::tempdir().unwrap();
    let (o, _, langs) = classify_languages(dir.path(), LANGUAGE_ROWS, &["--languages", "es,PT"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(langs[..2], ["es", "es"]);
    assert!(
        ["es", "pt", "und"].contains(&langs[2].as_str()),
        "{langs:?}"
    );
    assert_eq!(langs[3], "pt");
    let (o, _, langs) = classify_languages(dir.path(), LANGUAGE_ROWS, &["--no-language"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(langs.iter().all(String::is_empty), "{langs:?}");
}

#[test]
fn an_unknown_language_code_is_a_usage_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let (o, _, _) = classify_languages(dir.path(), LANGUAGE_ROWS, &["--languages", "es,xx"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("\"xx\""), "{}", stderr(&o));
    assert!(!dir.path().join("out.csv").exists());
    let (o, _, _) = classify_languages(
        dir.path(),
        LANGUAGE_ROWS,
        &["--languages", "es", "--no-language"],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

#[test]
fn a_given_language_column_is_kept_and_used_instead_of_detection() {
    let dir = tempfile::tempdir().unwrap();
    let csv = "id,lang,text\n\
        1,ES,The parcel arrived damaged\n\
        2,pt-BR,El pedido llegó roto\n\
        3,,odio esto\n\
        4,Spanish,ok\n\
        5,sv,Tack så mycket\n";
    let (o, cols, langs) = classify_languages(dir.path(), csv, &["--language-column", "lang"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(langs, ["es", "pt", "", "es", "sv"]);
    // The input column itself is written back unchanged.
    let (_, rows) = read_csv(&dir.path().join("out.csv"));
    let lang = cols.iter().position(|c| c == "lang").unwrap();
    let given: Vec<&str> = rows.iter().map(|r| r[lang].as_str()).collect();
    assert_eq!(given, ["ES", "pt-BR", "", "Spanish", "sv"]);

    // JSONL: the key, row by row (a missing key gives no language).
    let src = dir.path().join("in.jsonl");
    std::fs::write(
        &src,
        "{\"text\":\"The parcel arrived damaged\",\"idioma\":\"fr\"}\n{\"text\":\"hola amigos\"}\n",
    )
    .unwrap();
    let o = run(&[
        "classify",
        src.to_str().unwrap(),
        "--model",
        &model(),
        "-q",
        "--language-column",
        "idioma",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines[0]["language"], "fr");
    assert_eq!(lines[1]["language"], serde_json::Value::Null);
}

#[test]
fn a_missing_language_column_is_a_usage_error_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (o, _, _) = classify_languages(dir.path(), LANGUAGE_ROWS, &["--language-column", "lang"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("language column \"lang\" not found; the columns are: id, text"),
        "{}",
        stderr(&o)
    );
    assert!(!dir.path().join("out.csv").exists());
}

#[test]
fn eval_language_prints_accuracy_und_and_confusions_per_language() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("known.csv");
    std::fs::write(
        &src,
        "text,language\n\
         El pedido llegó roto y nadie me responde,spanish\n\
         odio esto,es\n\
         A encomenda chegou danificada e ninguém responde,pt\n\
         The parcel arrived damaged and nobody answers,es\n\
         ok,en\n",
    )
    .unwrap();
    let o = run(&["eval-language", src.to_str().unwrap(), "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let es = &v["per_language"][0];
    assert_eq!(es["language"], "es");
    assert_eq!(
        (es["n"].as_u64(), es["correct"].as_u64()),
        (Some(3), Some(2))
    );
    assert_eq!(es["confusions"][0][0], "en");
    let en = &v["per_language"][2];
    assert_eq!(
        (en["language"].as_str(), en["und"].as_u64()),
        (Some("en"), Some(1))
    );
    assert_eq!(v["es_as_pt"], 0.0);
    let o = run(&["eval-language", src.to_str().unwrap()]);
    let table = String::from_utf8_lossy(&o.stdout);
    assert!(table.contains("es called pt: 0.0%"), "{table}");
}
