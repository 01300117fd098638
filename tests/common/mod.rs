//! What the end-to-end test files share: the checkout and its fixtures, the binary and
//! running it, the label columns (from the library) and the one gate for tests that need
//! what `make setup` downloads.

// Each test file is its own crate and uses only some of these.
#![allow(dead_code)]

pub mod report;
pub mod train;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The columns `sentir classify` adds, from the library (one list for every test).
pub const LABEL_COLUMNS: [&str; 10] = sentir::prediction::OUTPUT_COLUMNS;

/// The checkout.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture model directory (`tests/fixtures/models/NAME`).
pub fn fixture_model(name: &str) -> PathBuf {
    root().join("tests/fixtures/models").join(name)
}

/// A fixture model directory, as an argument.
pub fn fixture_arg(name: &str) -> String {
    fixture_model(name).display().to_string()
}

/// The tiny bert-3class fixture model, as an argument.
pub fn model() -> String {
    fixture_arg("bert-3class")
}

/// A fixture input file (`tests/fixtures/inputs/NAME`), as an argument.
pub fn input(name: &str) -> String {
    root()
        .join("tests/fixtures/inputs")
        .join(name)
        .display()
        .to_string()
}

/// The sentir binary, run from the checkout, without `$SENTIR_MODEL`.
pub fn sentir() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_sentir"));
    c.env_remove("SENTIR_MODEL").current_dir(root());
    c
}

/// A new temporary directory holding one file `name` with `contents` (the directory
/// goes when the returned guard drops).
pub fn temp_file(name: &str, contents: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, contents).unwrap();
    (dir, path)
}

/// Runs sentir with `args`.
pub fn run(args: &[&str]) -> Output {
    sentir().args(args).output().expect("sentir runs")
}

/// Runs sentir with `args` and `stdin` on its standard input.
pub fn run_stdin(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = sentir()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    child.wait_with_output().unwrap()
}

/// What a run printed on stderr.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Asserts that a run succeeded; returns its stderr.
pub fn ok(o: &Output) -> String {
    let err = stderr(o);
    assert!(o.status.success(), "sentir failed: {err}");
    err
}

/// A JSON file.
pub fn json(path: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// A CSV file's header and rows (fields as lossy UTF-8), read with the csv crate.
pub fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_path(path).unwrap();
    let header = r.headers().unwrap().iter().map(str::to_string).collect();
    let rows = r
        .byte_records()
        .map(|rec| {
            rec.unwrap()
                .iter()
                .map(|f| String::from_utf8_lossy(f).into_owned())
                .collect()
        })
        .collect();
    (header, rows)
}

/// The gate of tests that need what `make setup` makes (the default model in
/// `models/default`): `true` when it is there; without it, `false` (the test returns early)
/// with `SENTIR_SKIP_SETUP=1`, else the test fails saying to run `make setup`.
pub fn setup_done() -> bool {
    let model = root().join("models/default");
    let there = ["model.safetensors", "tokenizer.json", "config.json"]
        .iter()
        .all(|f| model.join(f).is_file());
    if !there && std::env::var("SENTIR_SKIP_SETUP").as_deref() == Ok("1") {
        eprintln!("skipped: no {} and SENTIR_SKIP_SETUP=1", model.display());
        return false;
    }
    assert!(there, "no {}: run `make setup`", model.display());
    true
}

/// The Python of `make spark-setup`'s environment, or `None` (the test returns early) with
/// `SENTIR_SKIP_SPARK=1`; without both the test fails saying to run `make spark-setup`.
pub fn spark_python_or_skip() -> Option<PathBuf> {
    let py = root().join(".venv-spark/bin/python");
    if py.exists() {
        return Some(py);
    }
    if std::env::var("SENTIR_SKIP_SPARK").as_deref() == Ok("1") {
        eprintln!("skipped: no .venv-spark and SENTIR_SKIP_SPARK=1");
        return None;
    }
    panic!(
        "no {}: run `make spark-setup` (or set SENTIR_SKIP_SPARK=1)",
        py.display()
    );
}

/// Sends `SIG<sig>` (`INT`, `TERM`, `KILL`) to a running sentir and waits for it.
pub fn signal_and_wait(child: std::process::Child, sig: &str) -> Output {
    let st = Command::new("kill")
        .args([&format!("-{sig}"), &child.id().to_string()])
        .status()
        .unwrap();
    assert!(st.success());
    child.wait_with_output().unwrap()
}
