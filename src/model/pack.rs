//! Shipping a model fine-tuned with frozen word embeddings: commit only what training
//! changed (`trained.safetensors`, fp16) and rebuild the full checkpoint from the pinned base.

use crate::error::{Result, SentirError};
use crate::model::weights;
use std::collections::HashMap;
use std::path::Path;
use tch::{Kind, Tensor};

/// The word-embedding tensor name in a BERT sequence classifier and in the base encoder.
pub const WORD_EMBEDDINGS: (&str, &str) = (
    "bert.embeddings.word_embeddings.weight",
    "embeddings.word_embeddings.weight",
);

fn read_all(path: &Path) -> Result<HashMap<String, Tensor>> {
    Ok(Tensor::read_safetensors(path)
        .map_err(|e| SentirError::Other(format!("{}: {e}", path.display())))?
        .into_iter()
        .collect())
}

fn base_word_embeddings(base: &Path) -> Result<Tensor> {
    let mut t = read_all(&base.join("model.safetensors"))?;
    t.remove(WORD_EMBEDDINGS.1)
        .or_else(|| t.remove(WORD_EMBEDDINGS.0))
        .ok_or_else(|| SentirError::model(base, "no word embeddings in model.safetensors"))
}

/// Writes `out/trained.safetensors` (every tensor of `model` but the word embeddings, fp16)
/// and `out/config.json`, after checking the embeddings equal the base's (they were frozen).
pub fn pack(model: &Path, base: &Path, out: &Path) -> Result<usize> {
    let mut t = read_all(&model.join("model.safetensors"))?;
    let emb = t
        .remove(WORD_EMBEDDINGS.0)
        .ok_or_else(|| SentirError::model(model, "no word embeddings in model.safetensors"))?;
    let base_emb = base_word_embeddings(base)?;
    if emb.size() != base_emb.size() || !emb.equal(&base_emb) {
        return Err(SentirError::model(
            model,
            "its word embeddings differ from the base's: train with --freeze-embeddings to pack",
        ));
    }
    std::fs::create_dir_all(out).map_err(|e| SentirError::io(out, e))?;
    let mut tensors: Vec<(String, Tensor)> = t
        .into_iter()
        .map(|(k, v)| (k, v.to_kind(Kind::Half)))
        .collect();
    let n = tensors.len();
    let tmp = out.join(".trained.safetensors.tmp");
    weights::save(&mut tensors, &tmp).map_err(SentirError::Other)?;
    std::fs::rename(&tmp, out.join("trained.safetensors")).map_err(|e| SentirError::io(out, e))?;
    for f in ["config.json", "training.json"] {
        let src = model.join(f);
        if src.exists() {
            std::fs::copy(&src, out.join(f)).map_err(|e| SentirError::io(&src, e))?;
        }
    }
    assemble(base, &out.join("trained.safetensors"), out)?;
    Ok(n)
}

/// Builds `out/model.safetensors` (fp16) from `trained` plus the base's word embeddings, and copies
/// the base's tokenizer.json. Both files are written atomically.
pub fn assemble(base: &Path, trained: &Path, out: &Path) -> Result<()> {
    let mut tensors: Vec<(String, Tensor)> = read_all(trained)?.into_iter().collect();
    if tensors.iter().any(|(k, _)| k == WORD_EMBEDDINGS.0) {
        return Err(SentirError::Other(format!(
            "{} already holds word embeddings",
            trained.display()
        )));
    }
    // fp16 like the trained tensors: sentir keeps fp16 word embeddings as they are in
    // memory (see `Model::load`), and transformers widens them to fp32 on load.
    tensors.push((
        WORD_EMBEDDINGS.0.to_string(),
        base_word_embeddings(base)?.to_kind(Kind::Half),
    ));
    let tmp = out.join(".model.safetensors.tmp");
    weights::save(&mut tensors, &tmp).map_err(SentirError::Other)?;
    std::fs::rename(&tmp, out.join("model.safetensors")).map_err(|e| SentirError::io(out, e))?;
    let tok_tmp = out.join(".tokenizer.json.tmp");
    std::fs::copy(base.join("tokenizer.json"), &tok_tmp)
        .map_err(|e| SentirError::io(base.join("tokenizer.json"), e))?;
    std::fs::rename(&tok_tmp, out.join("tokenizer.json")).map_err(|e| SentirError::io(out, e))
}
