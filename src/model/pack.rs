//! Shipping a model fine-tuned with frozen word embeddings: commit only what training
//! changed (`trained.safetensors`, fp16) and rebuild the full checkpoint from the pinned base.

use crate::error::{Result, SentirError};
use crate::model::heads::{HEADS_CONFIG, HEADS_WEIGHTS};
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

/// The sparse word-embedding change in `trained.safetensors`, for a model trained with
/// unfrozen embeddings and no weight decay (only the rows of tokens in the training data move):
/// the moved rows' token ids, and each row's change from the base as int8 times an fp32 scale.
pub const DELTA_ROWS: &str = "sentir.word_embeddings_delta.rows";
/// The int8 changes, one row per moved token (see [`DELTA_ROWS`]).
pub const DELTA_Q: &str = "sentir.word_embeddings_delta.q";
/// One scale per moved row (see [`DELTA_ROWS`]).
pub const DELTA_SCALE: &str = "sentir.word_embeddings_delta.scale";

/// When (nearly) every row moved, weight decay was on and a delta would hold the whole
/// table: refuse to pack. Without decay, rows of tokens absent from the training data stay
/// bit for bit (a 250k-token vocabulary: ≈13% of rows moved for the default model's data).
const MAX_MOVED_SHARE: f64 = 0.99;

/// The rows where `emb` differs from `base`, as (token ids, int8 change, per-row scale).
fn embedding_delta(emb: &Tensor, base: &Tensor) -> Option<(Tensor, Tensor, Tensor)> {
    let rows = emb
        .ne_tensor(base)
        .any_dim(1, false)
        .nonzero()
        .squeeze_dim(1);
    if rows.numel() == 0 {
        return None;
    }
    let delta = emb.index_select(0, &rows).to_kind(Kind::Float)
        - base.index_select(0, &rows).to_kind(Kind::Float);
    let scale = delta.abs().amax([1].as_slice(), true).clamp_min(1e-12) / 127.0;
    let q = (&delta / &scale)
        .round()
        .clamp(-127, 127)
        .to_kind(Kind::Int8);
    Some((rows, q, scale.squeeze_dim(1)))
}

/// `emb` with the moved rows of a delta (see [`embedding_delta`]) applied.
fn apply_delta(emb: &Tensor, rows: &Tensor, q: &Tensor, scale: &Tensor) -> Result<Tensor, String> {
    let (vocab, dim) = (emb.size()[0], emb.size()[1]);
    let n = rows.size()[0];
    let fits = rows.kind() == Kind::Int64
        && q.size() == [n, dim]
        && scale.size() == [n]
        && (n == 0 || (rows.min().int64_value(&[]) >= 0 && rows.max().int64_value(&[]) < vocab));
    if !fits {
        return Err(format!(
            "the word-embedding delta does not fit the base ({vocab} x {dim})"
        ));
    }
    let moved = emb.index_select(0, rows).to_kind(Kind::Float)
        + q.to_kind(Kind::Float) * scale.to_kind(Kind::Float).unsqueeze(1);
    Ok(emb.to_kind(Kind::Float).index_copy(0, rows, &moved))
}

/// Writes `out/trained.safetensors` (every tensor of `model` but the word embeddings, fp16,
/// plus the embedding rows training moved, if any; see [`DELTA_ROWS`]) and `out/config.json`.
pub fn pack(model: &Path, base: &Path, out: &Path) -> Result<usize> {
    let mut t = read_all(&model.join("model.safetensors"))?;
    let emb = t
        .remove(WORD_EMBEDDINGS.0)
        .ok_or_else(|| SentirError::model(model, "no word embeddings in model.safetensors"))?;
    let base_emb = base_word_embeddings(base)?;
    if emb.size() != base_emb.size() {
        return Err(SentirError::model(
            model,
            format!(
                "its word embeddings are {:?}, the base's {:?}: not trained from this base",
                emb.size(),
                base_emb.size()
            ),
        ));
    }
    let mut tensors: Vec<(String, Tensor)> = t
        .into_iter()
        .map(|(k, v)| (k, v.to_kind(Kind::Half)))
        .collect();
    // Compared at fp16, the type the table is assembled in: a model fine-tuned from an
    // fp16-packed model (the default) carries the base's rows widened to fp32, equal at fp16.
    let (emb, base_emb) = (emb.to_kind(Kind::Half), base_emb.to_kind(Kind::Half));
    if let Some((rows, q, scale)) = embedding_delta(&emb, &base_emb) {
        let (moved, vocab) = (rows.size()[0], emb.size()[0]);
        if moved as f64 > vocab as f64 * MAX_MOVED_SHARE {
            return Err(SentirError::model(
                model,
                format!(
                    "its word embeddings moved on {moved} of {vocab} rows: train with \
                     --freeze-embeddings, or with --weight-decay 0 so that only the rows of \
                     tokens in the training data move"
                ),
            ));
        }
        tensors.push((DELTA_ROWS.into(), rows));
        tensors.push((DELTA_Q.into(), q));
        tensors.push((DELTA_SCALE.into(), scale));
    }
    std::fs::create_dir_all(out).map_err(|e| SentirError::io(out, e))?;
    let n = tensors.len();
    let tmp = out.join(".trained.safetensors.tmp");
    weights::save(&mut tensors, &tmp).map_err(SentirError::Other)?;
    std::fs::rename(&tmp, out.join("trained.safetensors")).map_err(|e| SentirError::io(out, e))?;
    for f in ["config.json", "training.json", HEADS_WEIGHTS, HEADS_CONFIG] {
        let src = model.join(f);
        if src.exists() {
            std::fs::copy(&src, out.join(f)).map_err(|e| SentirError::io(&src, e))?;
        } else if f.starts_with("heads") && out.join(f).exists() {
            // A model without extra heads must not keep an earlier model's.
            std::fs::remove_file(out.join(f)).map_err(|e| SentirError::io(out.join(f), e))?;
        }
    }
    assemble(base, &out.join("trained.safetensors"), out)?;
    Ok(n)
}

/// Builds `out/model.safetensors` (fp16) from `trained` plus the base's word embeddings (with
/// the moved rows applied, when `trained` holds a delta), and copies the base's
/// tokenizer.json. Both files are written atomically.
pub fn assemble(base: &Path, trained: &Path, out: &Path) -> Result<()> {
    let mut t = read_all(trained)?;
    if t.contains_key(WORD_EMBEDDINGS.0) {
        return Err(SentirError::Other(format!(
            "{} already holds word embeddings",
            trained.display()
        )));
    }
    let mut emb = base_word_embeddings(base)?;
    match (
        t.remove(DELTA_ROWS),
        t.remove(DELTA_Q),
        t.remove(DELTA_SCALE),
    ) {
        (None, None, None) => {}
        (Some(rows), Some(q), Some(scale)) => {
            emb = apply_delta(&emb, &rows, &q, &scale)
                .map_err(|e| SentirError::Other(format!("{}: {e}", trained.display())))?;
        }
        _ => {
            return Err(SentirError::Other(format!(
                "{}: incomplete word-embedding delta",
                trained.display()
            )))
        }
    }
    let mut tensors: Vec<(String, Tensor)> = t.into_iter().collect();
    // fp16 like the trained tensors: sentir keeps fp16 word embeddings as they are in
    // memory (see `Model::load`), and transformers widens them to fp32 on load.
    tensors.push((WORD_EMBEDDINGS.0.to_string(), emb.to_kind(Kind::Half)));
    let tmp = out.join(".model.safetensors.tmp");
    weights::save(&mut tensors, &tmp).map_err(SentirError::Other)?;
    std::fs::rename(&tmp, out.join("model.safetensors")).map_err(|e| SentirError::io(out, e))?;
    let tok_tmp = out.join(".tokenizer.json.tmp");
    std::fs::copy(base.join("tokenizer.json"), &tok_tmp)
        .map_err(|e| SentirError::io(base.join("tokenizer.json"), e))?;
    std::fs::rename(&tok_tmp, out.join("tokenizer.json")).map_err(|e| SentirError::io(out, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedding_delta_keeps_only_moved_rows_and_applies_back() {
        let base = Tensor::randn([10, 8], (Kind::Float, tch::Device::Cpu));
        assert!(embedding_delta(&base, &base.copy()).is_none());
        let mut emb = base.copy();
        let change = Tensor::randn([2, 8], (Kind::Float, tch::Device::Cpu)) * 0.01;
        let rows = Tensor::from_slice(&[2i64, 7]);
        emb = emb.index_copy(0, &rows, &(base.index_select(0, &rows) + &change));
        let (r, q, scale) = embedding_delta(&emb, &base).unwrap();
        assert_eq!(Vec::<i64>::try_from(&r).unwrap(), vec![2, 7]);
        assert_eq!(q.kind(), Kind::Int8);
        let back = apply_delta(&base, &r, &q, &scale).unwrap();
        let err = f64::try_from((&back - &emb).abs().max()).unwrap();
        // Rounding to int8 costs at most half a step of the row's scale.
        let half_step = f64::try_from(scale.max()).unwrap() / 2.0;
        assert!(err <= half_step + 1e-7, "{err} > {half_step}");
        assert!(err > 0.0 || half_step == 0.0);
        // Unmoved rows are the base's, bit for bit.
        let other = Tensor::from_slice(&[0i64, 1, 3, 4, 5, 6, 8, 9]);
        assert!(back
            .index_select(0, &other)
            .equal(&base.index_select(0, &other)));
        // A delta for another vocabulary is refused.
        let small = base.narrow(0, 0, 5);
        assert!(apply_delta(&small, &r, &q, &scale).is_err());
    }
}
