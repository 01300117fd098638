//! End-to-end tests of `sentir train` and `eval` with the real binary on real files.
//! Training uses the tiny bert-3class fixture (seconds per run); one test scores the shipped
//! default model against its target.

mod common;

use common::train::*;
use common::{fixture_arg, json, ok, run, setup_done, temp_file};
use serde_json::Value;
use std::path::Path;

#[test]
fn train_writes_a_loadable_hf_directory_reproducibly_and_eval_agrees() {
    let dir = tempfile::tempdir().unwrap();
    let a = train(dir.path(), "a", "7", &[]);
    let b = train(dir.path(), "b", "7", &[]);
    let c = train(dir.path(), "c", "8", &[]);
    let (a, b, c) = (Path::new(&a), Path::new(&b), Path::new(&c));
    for f in [
        "config.json",
        "tokenizer.json",
        "model.safetensors",
        "training.json",
    ] {
        assert!(a.join(f).is_file(), "{f} missing");
    }
    let config = json(&a.join("config.json"));
    assert_eq!(config["architectures"][0], "BertForSequenceClassification");
    assert_eq!(
        config["id2label"],
        serde_json::json!({"0": "negative", "1": "neutral", "2": "positive"})
    );
    // Same seed, same bytes; another seed, other weights.
    let weights = |d: &Path| std::fs::read(d.join("model.safetensors")).unwrap();
    assert!(weights(a) == weights(b), "same seed gave different weights");
    assert!(weights(a) != weights(c), "the seed changed nothing");

    // The log keeps every epoch and names the best one.
    let log = json(&a.join("training.json"));
    let epochs = log["epochs"].as_array().unwrap();
    assert_eq!(epochs.len(), 2);
    assert_eq!(log["train_rows"], 48);
    let f1s: Vec<f64> = epochs
        .iter()
        .map(|e| e["val_macro_f1"].as_f64().unwrap())
        .collect();
    let best = if f1s[1] > f1s[0] { 2 } else { 1 };
    assert_eq!(log["best_epoch"], best);
    let best_f1 = log["best_val_macro_f1"].as_f64().unwrap();
    assert_eq!(best_f1, f1s[best - 1]);

    // `sentir eval` on the saved model reproduces the score training kept.
    let val = dir.path().join("val.csv").display().to_string();
    let o = run(&[
        "eval",
        "--data",
        &val,
        "--model",
        a.to_str().unwrap(),
        "--json",
    ]);
    ok(&o);
    let report: Value = serde_json::from_slice(&o.stdout).unwrap();
    let macro_f1 = report["overall"]["macro_f1"].as_f64().unwrap();
    assert!((macro_f1 - best_f1).abs() < 1e-9, "{macro_f1} vs {best_f1}");

    // And `sentir classify` with it agrees with eval's accuracy.
    let labelled = dir.path().join("val.labelled.csv");
    ok(&run(&[
        "classify",
        &val,
        "-o",
        labelled.to_str().unwrap(),
        "--model",
        a.to_str().unwrap(),
        "--quiet",
    ]));
    let mut r = csv::Reader::from_path(&labelled).unwrap();
    let h = r.headers().unwrap().clone();
    let (gold, pred) = (
        h.iter().position(|c| c == "label").unwrap(),
        h.iter().position(|c| c == "sentiment").unwrap(),
    );
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 24);
    let right = rows.iter().filter(|x| x[gold] == x[pred]).count();
    let accuracy = report["overall"]["accuracy"].as_f64().unwrap();
    assert!((accuracy - right as f64 / 24.0).abs() < 1e-9);
}

#[test]
fn a_head_with_another_label_count_is_reinitialised_for_three_classes() {
    let dir = tempfile::tempdir().unwrap();
    let (out, err) = train_from("bert-5star", dir.path(), "out", "42", &[]);
    let out = Path::new(&out);
    assert!(
        err.contains("classifier.weight (shape [5, 32] in the file)"),
        "{err}"
    );
    let config = json(&out.join("config.json"));
    assert_eq!(config["id2label"].as_object().unwrap().len(), 3);
}

#[test]
fn a_bad_training_label_names_its_line_and_writes_nothing() {
    let (dir, tr) = temp_file(
        "train.csv",
        "text,label\nllegó roto,negative\ngracias,2\n\"multi\nline\",neutral\ngenial,great\n",
    );
    let val = buyer_rows("val", 8, dir.path(), "val.csv");
    let out = dir.path().join("out");
    let o = run(&[
        "train",
        "--train",
        tr.to_str().unwrap(),
        "--val",
        &val,
        "--base",
        &fixture_arg("bert-3class"),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("line 6") && err.contains("label \"great\""),
        "{err}"
    );
    assert!(!out.exists());
}

#[test]
fn eval_scores_overall_and_per_group() {
    let dir = tempfile::tempdir().unwrap();
    let val = buyer_rows("val", 40, dir.path(), "val.csv");
    let model = fixture_arg("bert-3class");
    let eval = |extra: &[&str]| {
        let mut args = vec![
            "eval",
            "--data",
            &val,
            "--model",
            &model,
            "--group-column",
            "language",
        ];
        args.extend_from_slice(extra);
        run(&args)
    };
    let o = eval(&["--json"]);
    ok(&o);
    let r: Value = serde_json::from_slice(&o.stdout).unwrap();
    let overall = &r["overall"];
    assert_eq!(overall["n"], 40);
    let cells: u64 = overall["confusion"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|row| row.as_array().unwrap().iter().map(|v| v.as_u64().unwrap()))
        .sum();
    assert_eq!(cells, 40);
    let groups = r["groups"].as_object().unwrap();
    assert!(groups.len() >= 2, "{groups:?}");
    let in_groups: u64 = groups.values().map(|g| g["n"].as_u64().unwrap()).sum();
    assert_eq!(in_groups, 40);
    let mean = groups
        .values()
        .map(|g| g["macro_f1"].as_f64().unwrap())
        .sum::<f64>()
        / groups.len() as f64;
    assert!((r["mean_group_macro_f1"].as_f64().unwrap() - mean).abs() < 1e-9);

    let o = eval(&[]);
    let table = String::from_utf8_lossy(&o.stdout).into_owned();
    ok(&o);
    for word in ["macro-F1", "negative", "neutral", "positive", "es"] {
        assert!(table.contains(word), "{word} not in:\n{table}");
    }
}

/// The shipped model against issue 3's buyer-message target (accuracy ≥ 0.90), run the way
/// a user would: no `--model`, from the repository.
#[test]
fn default_model_meets_the_buyer_message_target() {
    if !setup_done() {
        return;
    }
    let o = run(&[
        "eval",
        "--data",
        "data/buyer_messages/val.csv",
        "--group-column",
        "language",
        "--json",
    ]);
    ok(&o);
    let r: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(r["overall"]["n"], 144);
    let acc = r["overall"]["accuracy"].as_f64().unwrap();
    assert!(acc >= 0.90, "buyer val accuracy {acc}");
}
