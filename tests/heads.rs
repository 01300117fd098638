//! The reason and mixed heads end to end: trained beside the sentiment classifier, filled
//! by classify, scored by eval, carried by pack-model.

mod common;

use common::train::*;
use common::{fixture_arg, json, ok, run};
use serde_json::Value;
use std::path::Path;

/// Data with `reason` and `mixed` columns trains both heads beside the sentiment classifier:
/// the directory gains heads.safetensors + heads.json (model.safetensors keeps only the HF
/// classifier's tensors), classify fills `mixed`, `reason`, `reason_score` from the same pass
/// (empty with --no-reason), eval scores them, pack-model carries the heads, and
/// --stop-after keeps the schedule of --epochs but stops early.
#[test]
// Longer than 80 lines: one train → classify → eval → pack chain, checked at each step.
fn reason_and_mixed_heads_train_classify_eval_and_pack() {
    let dir = tempfile::tempdir().unwrap();
    let tr = corpus_rows("train", 64, dir.path(), "train.csv");
    let val = corpus_rows("val", 24, dir.path(), "val.csv");
    let out = dir.path().join("m").display().to_string();
    let base = fixture_arg("bert-3class");
    ok(&run(&[
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
        "3",
        "--stop-after",
        "1",
        "--max-length",
        "32",
        "--threads",
        "1",
        "--freeze-embeddings",
        "--quiet",
    ]));
    let m = Path::new(&out);
    let log = json(&m.join("training.json"));
    assert_eq!(log["epochs"].as_array().unwrap().len(), 1, "{log}");
    let heads = json(&m.join("heads.json"));
    let reasons: Vec<&str> = heads["reason"]["labels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(reasons, sentir::model::heads::REASONS);
    assert_eq!(
        heads["mixed"]["labels"],
        serde_json::json!(["false", "true"])
    );
    let h = safetensors_header(&m.join("heads.safetensors"));
    assert_eq!(h["reason.weight"]["shape"], serde_json::json!([9, 64]));
    assert_eq!(h["mixed.weight"]["shape"], serde_json::json!([2, 64]));
    let main = safetensors_header(&m.join("model.safetensors"));
    assert!(main
        .as_object()
        .unwrap()
        .keys()
        .all(|k| !k.contains("sentir_heads")));

    // classify: the columns are filled from the heads, and --no-reason empties reason.
    let labelled = dir.path().join("out.csv");
    ok(&run(&[
        "classify",
        &val,
        "-o",
        labelled.to_str().unwrap(),
        "--model",
        &out,
        "-q",
    ]));
    let mut r = csv::Reader::from_path(&labelled).unwrap();
    let cols: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    let at = |n: &str| cols.iter().position(|c| c == n).unwrap();
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
    assert_eq!(rows.len(), 24);
    for row in &rows {
        assert!(reasons.contains(&&row[at("reason")]), "{row:?}");
        assert!(["true", "false"].contains(&&row[at("mixed")]), "{row:?}");
        let s: f64 = row[at("reason_score")].parse().unwrap();
        assert!(s > 0.0 && s <= 1.0);
    }
    let plain = dir.path().join("plain.csv");
    ok(&run(&[
        "classify",
        &val,
        "-o",
        plain.to_str().unwrap(),
        "--model",
        &out,
        "--no-reason",
        "-q",
    ]));
    let mut r = csv::Reader::from_path(&plain).unwrap();
    for (row, with) in r.records().map(|x| x.unwrap()).zip(&rows) {
        assert_eq!((&row[at("reason")], &row[at("reason_score")]), ("", ""));
        assert_eq!(
            &row[at("p_negative")],
            &with[at("p_negative")],
            "same sentiment"
        );
        assert_eq!(&row[at("mixed")], &with[at("mixed")]);
    }

    // eval: reason and mixed sections, per group too.
    let o = run(&[
        "eval",
        "--data",
        &val,
        "--model",
        &out,
        "--group-column",
        "language",
        "--json",
    ]);
    ok(&o);
    let e: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(e["reason"]["overall"]["n"], 24);
    assert_eq!(
        e["reason"]["overall"]["confusion"]
            .as_array()
            .unwrap()
            .len(),
        9
    );
    let in_groups: u64 = e["reason"]["groups"]
        .as_object()
        .unwrap()
        .values()
        .map(|g| g["n"].as_u64().unwrap())
        .sum();
    assert_eq!(in_groups, 24);
    assert_eq!(e["mixed"]["head"]["n"], 24);

    // pack-model carries the heads beside trained.safetensors.
    let packed = dir.path().join("packed");
    ok(&run(&[
        "pack-model",
        "--model",
        &out,
        "--base",
        &base,
        "--out",
        packed.to_str().unwrap(),
    ]));
    for f in [
        "heads.safetensors",
        "heads.json",
        "trained.safetensors",
        "model.safetensors",
    ] {
        assert!(packed.join(f).is_file(), "{f}");
    }
}
