//! `sentir pack-model` and `assemble-model`: only the trained weights are kept, and the
//! assembled model is the trained one.

mod common;

use common::train::*;
use common::{fixture_arg, ok, run};
use serde_json::Value;
use std::path::Path;

#[test]
// Longer than 80 lines: one train → pack → assemble → classify chain, checked at each step.
fn pack_keeps_only_trained_weights_and_assembles_the_same_model() {
    let dir = tempfile::tempdir().unwrap();
    let base = fixture_arg("bert-3class");
    let val = dir.path().join("val.csv").display().to_string();
    let pack = |model: &str, out: &Path| {
        run(&[
            "pack-model",
            "--model",
            model,
            "--base",
            &base,
            "--out",
            out.to_str().unwrap(),
        ])
    };
    let probs = |model: &str| -> Vec<f64> {
        let out = dir.path().join("p.csv");
        ok(&run(&[
            "classify",
            &val,
            "-o",
            out.to_str().unwrap(),
            "--model",
            model,
            "--quiet",
        ]));
        let mut r = csv::Reader::from_path(&out).unwrap();
        let h = r.headers().unwrap().clone();
        let i = h.iter().position(|c| c == "p_negative").unwrap();
        r.records()
            .flat_map(|x| {
                let x = x.unwrap();
                (i..i + 3)
                    .map(|j| x[j].parse::<f64>().unwrap())
                    .collect::<Vec<_>>()
            })
            .collect()
    };
    // Packs `model` into `out` and checks the assembled model scores like the original.
    let packs_to_the_same = |model: &str, out: &Path| -> Value {
        ok(&pack(model, out));
        let (p_model, p_packed) = (probs(model), probs(out.to_str().unwrap()));
        assert_eq!(p_model.len(), 72);
        let worst = p_model
            .iter()
            .zip(&p_packed)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max);
        assert!(
            worst < 5e-3,
            "packing {model} moved a probability by {worst}"
        );
        safetensors_header(&out.join("trained.safetensors"))
    };

    // Frozen embeddings: the packed file holds no embedding rows at all.
    let full = train(dir.path(), "full", "3", &["--freeze-embeddings"]);
    let frozen = packs_to_the_same(&full, &dir.path().join("packed"));
    assert!(frozen.get("sentir.word_embeddings_delta.rows").is_none());

    // Embeddings trained without weight decay move only on the training data's tokens:
    // those rows are packed as an int8 delta and applied back at assembly (200-token
    // vocabulary; 48 messages do not use every token).
    let sparse = train(dir.path(), "sparse", "3", &["--weight-decay", "0"]);
    let header = packs_to_the_same(&sparse, &dir.path().join("packed2"));
    let moved_rows = header["sentir.word_embeddings_delta.rows"]["shape"][0]
        .as_u64()
        .unwrap();
    assert!(
        moved_rows > 0 && moved_rows < 200,
        "{moved_rows} rows moved"
    );
    assert_eq!(header["sentir.word_embeddings_delta.q"]["dtype"], "I8");

    // With weight decay every row moves: no delta worth storing, a clear refusal.
    let moved = train(dir.path(), "moved", "3", &[]);
    let o = pack(&moved, &dir.path().join("p3"));
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("--freeze-embeddings") && err.contains("--weight-decay 0"),
        "{err}"
    );
}
