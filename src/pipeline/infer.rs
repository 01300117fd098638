//! Stage 2, the model: batches of token sequences through the model, and chunks of rows
//! from tokenized to labelled. `eval` and training use the same functions.

use super::read::{encode_all, ReadChunk, RowIds, Work};
use crate::batch::{plan, BatchLimits};
use crate::error::{Result, SentirError};
use crate::io::Row;
use crate::model::{collate, Model, Scores};
use crate::prediction::{Outcome, Prediction};
use crate::tokenize::{LongText, TextEncoder};
use std::time::{Duration, Instant};

/// A chunk with every row's outcome, ready to write.
pub(super) struct LabelledChunk {
    pub rows: Vec<Row>,
    pub outcomes: Vec<Outcome>,
    /// Rows before the chunk.
    pub first_row: u64,
    /// Digest of the rows, for the resume journal.
    pub digest: [u8; 32],
    /// Input bytes read once the chunk was read (for progress).
    pub position: u64,
    /// The outcomes came from the journal of an interrupted run.
    pub restored: bool,
}

/// Work counters of [`infer`].
#[derive(Default)]
pub struct InferStats {
    /// Real tokens sent to the model.
    pub tokens: u64,
    /// Padded positions sent to the model.
    pub padded: u64,
    /// Wall time of each forward pass.
    pub latencies: Vec<Duration>,
}

/// Runs the model over each text's token sequences (one, or the chunks of a long text),
/// batched by length across texts, and returns each text's scores, chunks combined
/// ([`Scores::combine`]). A sequence's scores do not depend on its batch-mates.
pub fn infer(
    model: &Model,
    texts: &[&[Vec<i64>]],
    limits: BatchLimits,
    stats: &mut InferStats,
) -> Result<Vec<Scores>> {
    let owners: Vec<(usize, &[i64])> = texts
        .iter()
        .enumerate()
        .flat_map(|(t, seqs)| seqs.iter().map(move |s| (t, s.as_slice())))
        .collect();
    let lengths: Vec<usize> = owners.iter().map(|(_, s)| s.len()).collect();
    let pad = model.config().pad_token_id;
    let mut per_seq: Vec<Option<Scores>> = vec![None; owners.len()];
    for batch in plan(&lengths, limits) {
        if let Some(sig) = crate::signals::received() {
            return Err(SentirError::Interrupted(sig));
        }
        let seqs: Vec<&[i64]> = batch.iter().map(|&j| owners[j].1).collect();
        let c = collate(&seqs, pad, model.device())?;
        let t0 = Instant::now();
        let scores = model.predict(&c.input_ids, &c.mask)?;
        stats.latencies.push(t0.elapsed());
        stats.tokens += c.tokens as u64;
        stats.padded += c.padded as u64;
        for (&j, sc) in batch.iter().zip(scores) {
            per_seq[j] = Some(sc);
        }
    }
    let mut parts: Vec<Vec<(Scores, usize)>> = vec![Vec::new(); texts.len()];
    for ((t, seq), sc) in owners.iter().zip(per_seq) {
        let sc = sc.ok_or_else(|| SentirError::Other("internal: sequence not scored".into()))?;
        parts[*t].push((sc, seq.len()));
    }
    parts
        .iter()
        .map(|p| {
            if p.is_empty() {
                Err(SentirError::Other("internal: text without tokens".into()))
            } else {
                Ok(Scores::combine(p))
            }
        })
        .collect()
}

/// Stage 2 for one chunk of rows: rows that tokenized are labelled, the others keep their
/// error; a chunk restored from a journal passes through.
pub(super) fn infer_chunk(
    model: &Model,
    chunk: ReadChunk,
    limits: BatchLimits,
    stats: &mut InferStats,
) -> Result<LabelledChunk> {
    let (outcomes, restored) = match chunk.work {
        Work::Restored(outcomes) => (outcomes, true),
        Work::Tokenized { ids, langs } => (label(model, &ids, langs, limits, stats)?, false),
    };
    Ok(LabelledChunk {
        rows: chunk.rows,
        outcomes,
        first_row: chunk.first_row,
        digest: chunk.digest,
        position: chunk.position,
        restored,
    })
}

/// The outcome of each row from its token ids (or its error) and its language.
fn label(
    model: &Model,
    ids: &[RowIds<crate::io::RowError>],
    langs: Vec<Option<std::borrow::Cow<'static, str>>>,
    limits: BatchLimits,
    stats: &mut InferStats,
) -> Result<Vec<Outcome>> {
    let seqs: Vec<&[Vec<i64>]> = ids.iter().filter_map(|r| r.as_deref().ok()).collect();
    let mut scores = infer(model, &seqs, limits, stats)?.into_iter();
    ids.iter()
        .zip(langs)
        .map(|(ids, lang)| match ids {
            Err(e) => Ok(Outcome::Failed(e.clone())),
            Ok(_) => match scores.next() {
                Some(s) => Ok(Outcome::Labelled(Prediction::from_scores(&s), lang)),
                None => Err(SentirError::Other("internal: row was not labelled".into())),
            },
        })
        .collect()
}

/// Labels in-memory texts (for `eval` and training validation) the way `classify` does:
/// tokenized on the rayon pool, long texts read as `long` says, batched by length; results
/// in input order.
pub fn predict_texts(
    model: &Model,
    encoder: &TextEncoder,
    texts: &[&str],
    limits: BatchLimits,
    long: LongText,
) -> Result<Vec<std::result::Result<Scores, String>>> {
    let ids = encode_all(encoder, texts, long);
    let valid: Vec<&[Vec<i64>]> = ids.iter().filter_map(|r| r.as_deref().ok()).collect();
    let mut scores = infer(model, &valid, limits, &mut InferStats::default())?.into_iter();
    Ok(ids
        .into_iter()
        .map(|r| match r {
            Ok(_) => scores
                .next()
                .ok_or_else(|| "internal: not labelled".to_string()),
            Err(e) => Err(e),
        })
        .collect())
}
