//! End-to-end tests of `sentir classify`: the real binary on real files, with the tiny
//! bert-3class fixture model (its labels are arbitrary; what is tested is that every row
//! comes out, in order, unchanged, with valid scores or a clear error).

mod common;

use common::{fixture_model, input, model, read_csv, run, run_stdin, stderr, LABEL_COLUMNS};

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
        ["id", "text", "meta"]
            .into_iter()
            .chain(LABEL_COLUMNS)
            .collect::<Vec<_>>()
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
