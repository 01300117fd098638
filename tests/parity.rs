//! Logits parity with Python transformers on tiny random fixture models (see
//! tests/fixtures/README.md): token ids must be identical, logits within 1e-4, and a
//! message's logits must not depend on its batch-mates. Each model is checked as training
//! loads it (word-embedding table in memory), as `Model::load` does (the table read from the
//! file per batch) and as inference does (`--precision fp32`: that, plus prepacked weights
//! and fused query-key-value).

use sentir::model::{collate, Coverage, Model, Precision};
use sentir::tokenize::TextEncoder;
use std::path::PathBuf;
use tch::Device;

mod common;

use common::{fixture_model, root, setup_done};

const TOLERANCE: f32 = 1e-4;

#[derive(serde::Deserialize)]
struct Expected {
    texts: Vec<String>,
    max_length: usize,
    input_ids: Vec<Vec<i64>>,
    logits_single: Vec<Vec<f32>>,
    logits_batch: Vec<Vec<f32>>,
}

fn fixture(name: &str) -> (PathBuf, Expected) {
    let dir = fixture_model(name);
    let text = std::fs::read_to_string(dir.join("expected.json")).unwrap();
    (dir, serde_json::from_str(&text).unwrap())
}

fn rows(t: &tch::Tensor) -> Vec<Vec<f32>> {
    let n = t.size()[1] as usize;
    let flat: Vec<f32> = Vec::try_from(t.flatten(0, -1)).unwrap();
    flat.chunks(n).map(<[f32]>::to_vec).collect()
}

fn assert_close(name: &str, what: &str, got: &[Vec<f32>], want: &[Vec<f32>]) {
    assert_eq!(got.len(), want.len());
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        for (a, b) in g.iter().zip(w) {
            assert!(
                (a - b).abs() <= TOLERANCE,
                "{name} {what} text {i}: got {g:?}, transformers {w:?}"
            );
        }
    }
}

fn check(name: &str) {
    let (dir, _) = fixture(name);
    let (training, _) = Model::load_with(&dir, Device::Cpu, Coverage::AllowMissing, None).unwrap();
    assert!(word_table_rows(&training) > 1);
    check_model(&format!("{name} (as training loads it)"), training);
    let model = Model::load(&dir, Device::Cpu).unwrap();
    // The network's own table is a one-row placeholder: the rows come from the file.
    assert_eq!(word_table_rows(&model), 1, "{name}");
    check_model(name, model);
    let inference = Model::load_with_precision(&dir, Device::Cpu, Precision::Fp32).unwrap();
    check_model(&format!("{name} (inference fp32)"), inference);
}

fn word_table_rows(model: &Model) -> i64 {
    let vars = model.var_store().variables();
    let (_, table) = vars
        .iter()
        .find(|(n, _)| n.ends_with("word_embeddings.weight"))
        .expect("a word-embedding variable");
    table.size()[0]
}

fn check_model(name: &str, model: Model) {
    let (dir, exp) = fixture(name.split(' ').next().unwrap());
    let enc = TextEncoder::from_file(&dir.join("tokenizer.json"), exp.max_length).unwrap();
    let ids: Vec<Vec<i64>> = exp.texts.iter().map(|t| enc.encode(t).unwrap()).collect();
    assert_eq!(
        ids, exp.input_ids,
        "{name}: token ids differ from Python tokenizers"
    );
    let pad = model.config().pad_token_id;

    let single: Vec<Vec<f32>> = ids
        .iter()
        .map(|s| {
            let c = collate(&[s.as_slice()], pad, Device::Cpu).unwrap();
            rows(&tch::no_grad(|| {
                model.logits(&c.input_ids, &c.mask, false).unwrap()
            }))[0]
                .clone()
        })
        .collect();
    assert_close(name, "single", &single, &exp.logits_single);

    let seqs: Vec<&[i64]> = ids.iter().map(Vec::as_slice).collect();
    let c = collate(&seqs, pad, Device::Cpu).unwrap();
    let batch = rows(&tch::no_grad(|| {
        model.logits(&c.input_ids, &c.mask, false).unwrap()
    }));
    assert_close(name, "batch", &batch, &exp.logits_batch);
}

#[test]
fn bert_3class_matches_transformers() {
    check("bert-3class");
}

#[test]
fn bert_5star_matches_transformers() {
    check("bert-5star");
}

#[test]
fn distilbert_2class_matches_transformers() {
    check("distilbert-2class");
}

#[test]
fn roberta_3class_matches_transformers() {
    check("roberta-3class");
}

#[test]
fn xlmr_3class_matches_transformers() {
    check("xlmr-3class");
}

#[test]
fn layer_norm_eps_is_read_from_config() {
    // The XLM-R fixture uses eps 1e-5; with rust-bert's hardcoded 1e-12 the logits move by
    // eps_sensitivity (> 1e-3, recorded by the generator), so this fails without the patch.
    let (dir, exp) = fixture("xlmr-3class");
    let tmp = tempfile::tempdir().unwrap();
    for f in ["tokenizer.json", "model.safetensors"] {
        std::fs::copy(dir.join(f), tmp.path().join(f)).unwrap();
    }
    let mut cfg: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("config.json")).unwrap()).unwrap();
    cfg["layer_norm_eps"] = 1e-12.into();
    std::fs::write(tmp.path().join("config.json"), cfg.to_string()).unwrap();
    let model = Model::load(tmp.path(), Device::Cpu).unwrap();
    let c = collate(&[exp.input_ids[0].as_slice()], 1, Device::Cpu).unwrap();
    let got = rows(&tch::no_grad(|| {
        model.logits(&c.input_ids, &c.mask, false).unwrap()
    }))[0]
        .clone();
    let diff = got
        .iter()
        .zip(&exp.logits_single[0])
        .map(|(a, b)| (a - b).abs())
        .fold(0.0, f32::max);
    assert!(
        diff > 10.0 * TOLERANCE,
        "eps change had no visible effect ({diff})"
    );
}

#[derive(serde::Deserialize)]
struct TokenizerIds {
    texts: Vec<String>,
    ids: Vec<Vec<i64>>,
}

/// The default model's 250k-piece Unigram tokenizer (vendored `tokenizers` with sentir's
/// compact trie) gives the ids Python `tokenizers` gives, on the messages in `data/` and a
/// few edge cases (fixture written by Python tokenizers 0.19.1; needs `make setup`).
#[test]
fn default_tokenizer_ids_match_python_tokenizers() {
    if !setup_done() {
        return;
    }
    let root = root();
    let text =
        std::fs::read_to_string(root.join("tests/fixtures/default_tokenizer_ids.json")).unwrap();
    let want: TokenizerIds = serde_json::from_str(&text).unwrap();
    let enc = TextEncoder::from_file(&root.join("models/default/tokenizer.json"), 512).unwrap();
    assert_eq!(want.texts.len(), want.ids.len());
    for (text, ids) in want.texts.iter().zip(&want.ids) {
        assert_eq!(&enc.encode(text).unwrap(), ids, "token ids of {text:?}");
    }
}
