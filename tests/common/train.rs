//! What the model-making tests share: rows of the team's data as small training files,
//! training the fixture model, reading a safetensors header.

use super::{fixture_arg, ok, root, run};
use serde_json::Value;
use std::path::Path;

pub fn safetensors_header(path: &Path) -> Value {
    let bytes = std::fs::read(path).unwrap();
    let n = u64::from_le_bytes(bytes[..8].try_into().unwrap()) as usize;
    serde_json::from_slice(&bytes[8..8 + n]).unwrap()
}

/// The first `n` rows of the CSV file `rel` (relative to the checkout), written to `dir/name`.
pub fn first_rows(rel: &str, n: usize, dir: &Path, name: &str) -> String {
    let mut r = csv::Reader::from_path(root().join(rel)).unwrap();
    let mut w = csv::Writer::from_path(dir.join(name)).unwrap();
    w.write_record(r.headers().unwrap()).unwrap();
    for rec in r.records().take(n) {
        w.write_record(&rec.unwrap()).unwrap();
    }
    w.flush().unwrap();
    dir.join(name).display().to_string()
}

/// The first `n` rows of a file of the team's buyer messages, written to `dir/name`.
pub fn buyer_rows(split: &str, n: usize, dir: &Path, name: &str) -> String {
    first_rows(&format!("data/buyer_messages/{split}.csv"), n, dir, name)
}

/// Trains the bert-3class fixture for 2 epochs on 48 buyer messages; `extra` goes after the
/// fixed flags. Returns the output directory.
pub fn train(dir: &Path, out: &str, seed: &str, extra: &[&str]) -> String {
    train_from("bert-3class", dir, out, seed, extra).0
}

/// [`train`] from any fixture model; returns the output directory and what sentir printed.
pub fn train_from(
    base_model: &str,
    dir: &Path,
    out: &str,
    seed: &str,
    extra: &[&str],
) -> (String, String) {
    let tr = buyer_rows("train", 48, dir, "train.csv");
    let val = buyer_rows("val", 24, dir, "val.csv");
    let out = dir.join(out).display().to_string();
    let base = fixture_arg(base_model);
    let mut args = vec![
        "train",
        "--train",
        &tr,
        "--val",
        &val,
        "--base",
        &base,
        "--out",
        &out,
        "--epochs",
        "2",
        "--batch-size",
        "8",
        "--lr",
        "1e-3",
        "--seed",
        seed,
        "--threads",
        "1",
    ];
    args.extend_from_slice(extra);
    let printed = ok(&run(&args));
    (out, printed)
}

/// The first `n` rows of a corpus split (text, sentiment, mixed, reason, language, kind…).
pub fn corpus_rows(split: &str, n: usize, dir: &Path, name: &str) -> String {
    first_rows(&format!("data/corpus/{split}.csv"), n, dir, name)
}
