//! Shipping a model fine-tuned with frozen word embeddings: commit only what training
//! changed (`trained.safetensors`, fp16) and rebuild the full checkpoint from the pinned base.

use super::error::ModelError;
use super::heads::{HEADS_CONFIG, HEADS_WEIGHTS};
use super::weights;
use crate::error::{Result, SentirError};
use crate::io::atomic;
use std::collections::HashMap;
use std::path::Path;
use tch::{Kind, TchError, Tensor};

/// The word-embedding tensor name in a BERT sequence classifier and in the base encoder.
const WORD_EMBEDDINGS: (&str, &str) = (
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
const DELTA_ROWS: &str = "sentir.word_embeddings_delta.rows";
/// The int8 changes, one row per moved token (see [`DELTA_ROWS`]).
const DELTA_Q: &str = "sentir.word_embeddings_delta.q";
/// One scale per moved row (see [`DELTA_ROWS`]).
const DELTA_SCALE: &str = "sentir.word_embeddings_delta.scale";

/// When (nearly) every row moved, weight decay was on and a delta would hold the whole
/// table: refuse to pack. Without decay, rows of tokens absent from the training data stay
/// bit for bit (the README gives the share that moved for the default model).
const MAX_MOVED_SHARE: f64 = 0.99;

/// A tensor delta: the moved rows' ids, their int8 changes and one fp32 scale per row.
type Delta = (Tensor, Tensor, Tensor);

/// The rows where `emb` differs from `base`, as (token ids, int8 change, per-row scale).
fn embedding_delta(emb: &Tensor, base: &Tensor) -> Result<Option<Delta>, TchError> {
    let rows = emb
        .f_ne_tensor(base)?
        .f_any_dim(1, false)?
        .f_nonzero()?
        .f_squeeze_dim(1)?;
    if rows.numel() == 0 {
        return Ok(None);
    }
    let moved = |t: &Tensor| t.f_index_select(0, &rows)?.f_to_kind(Kind::Float);
    let delta = moved(emb)?.f_sub(&moved(base)?)?;
    let scale = delta
        .f_abs()?
        .f_amax([1].as_slice(), true)?
        .f_clamp_min(1e-12)?
        .f_div_scalar(127.0)?;
    let q = delta
        .f_div(&scale)?
        .f_round()?
        .f_clamp(-127, 127)?
        .f_to_kind(Kind::Int8)?;
    Ok(Some((rows, q, scale.f_squeeze_dim(1)?)))
}

/// `emb` with the moved rows of a delta (see [`embedding_delta`]) applied.
fn apply_delta(
    emb: &Tensor,
    rows: &Tensor,
    q: &Tensor,
    scale: &Tensor,
) -> Result<Tensor, ModelError> {
    let (vocab, dim) = emb.size2()?;
    let n = rows.size().first().copied().unwrap_or(0);
    let in_vocab = match n {
        0 => true,
        _ => rows.f_min()?.f_int64_value(&[])? >= 0 && rows.f_max()?.f_int64_value(&[])? < vocab,
    };
    let fits = rows.kind() == Kind::Int64
        && rows.dim() == 1
        && q.size() == [n, dim]
        && scale.size() == [n]
        && in_vocab;
    if !fits {
        return Err(ModelError::Format(format!(
            "the word-embedding delta does not fit the base ({vocab} x {dim})"
        )));
    }
    let change = q
        .f_to_kind(Kind::Float)?
        .f_mul(&scale.f_to_kind(Kind::Float)?.f_unsqueeze(1)?)?;
    let moved = emb
        .f_index_select(0, rows)?
        .f_to_kind(Kind::Float)?
        .f_add(&change)?;
    Ok(emb.f_to_kind(Kind::Float)?.f_index_copy(0, rows, &moved)?)
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
    let mut tensors = Vec::with_capacity(t.len() + 3);
    for (k, v) in t {
        tensors.push((k, v.f_to_kind(Kind::Half)?));
    }
    // Compared at fp16, the type the table is assembled in: a model fine-tuned from an
    // fp16-packed model (the default) carries the base's rows widened to fp32, equal at fp16.
    let (emb, base_emb) = (emb.f_to_kind(Kind::Half)?, base_emb.f_to_kind(Kind::Half)?);
    if let Some((rows, q, scale)) = embedding_delta(&emb, &base_emb)? {
        let (moved, vocab) = (rows.numel(), emb.size().first().copied().unwrap_or(0));
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
    let trained = out.join("trained.safetensors");
    atomic::write_with(&trained, |tmp| Ok(weights::save(&mut tensors, tmp)?))?;
    for f in ["config.json", "training.json", HEADS_WEIGHTS, HEADS_CONFIG] {
        let src = model.join(f);
        if src.exists() {
            std::fs::copy(&src, out.join(f)).map_err(|e| SentirError::io(&src, e))?;
        } else if f.starts_with("heads") && out.join(f).exists() {
            // A model without extra heads must not keep an earlier model's.
            std::fs::remove_file(out.join(f)).map_err(|e| SentirError::io(out.join(f), e))?;
        }
    }
    assemble(base, &trained, out)?;
    Ok(n)
}

/// Builds `out/model.safetensors` (fp16) from `trained` plus the base's word embeddings (with
/// the moved rows applied, when `trained` holds a delta), and copies the base's
/// tokenizer.json. Both files are written atomically.
pub fn assemble(base: &Path, trained: &Path, out: &Path) -> Result<()> {
    let in_trained =
        |e: &dyn std::fmt::Display| SentirError::Other(format!("{}: {e}", trained.display()));
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
            emb = apply_delta(&emb, &rows, &q, &scale).map_err(|e| in_trained(&e))?;
        }
        _ => return Err(in_trained(&"incomplete word-embedding delta")),
    }
    let mut tensors: Vec<(String, Tensor)> = t.into_iter().collect();
    // fp16 like the trained tensors: sentir's inference reads fp16 word-embedding rows as
    // they are stored (see `Model::load`), and transformers widens them to fp32 on load.
    tensors.push((WORD_EMBEDDINGS.0.to_string(), emb.f_to_kind(Kind::Half)?));
    atomic::write_with(&out.join("model.safetensors"), |tmp| {
        Ok(weights::save(&mut tensors, tmp)?)
    })?;
    let tokenizer = base.join("tokenizer.json");
    atomic::write_with(&out.join("tokenizer.json"), |tmp| {
        std::fs::copy(&tokenizer, tmp).map_err(|e| SentirError::io(&tokenizer, e))?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedding_delta_keeps_only_moved_rows_and_applies_back() {
        let base = Tensor::randn([10, 8], (Kind::Float, tch::Device::Cpu));
        assert!(embedding_delta(&base, &base.copy()).unwrap().is_none());
        let mut emb = base.copy();
        let change = Tensor::randn([2, 8], (Kind::Float, tch::Device::Cpu)) * 0.01;
        let rows = Tensor::from_slice(&[2i64, 7]);
        emb = emb.index_copy(0, &rows, &(base.index_select(0, &rows) + &change));
        let (r, q, scale) = embedding_delta(&emb, &base).unwrap().unwrap();
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
