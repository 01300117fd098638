//! The parallel pipeline: read → tokenize (rayon) → batched inference → write, in three
//! stages joined by bounded channels, so memory stays flat however large the input is.
//!
//! Rows travel in chunks. A chunk is tokenized on the rayon pool while the model (owned by
//! the calling thread: tch tensors are not `Sync`) works on the previous one and the writer
//! thread writes the one before. Inside a chunk, rows are sorted by length into batches
//! (see [`crate::batch`]); results go back to input order before writing.

use crate::batch::{collate, plan, BatchLimits};
use crate::error::{Result, SentirError};
use crate::io::{Row, RowSink, RowSource};
use crate::model::Model;
use crate::prediction::{Outcome, Prediction};
use crate::progress::Progress;
use crate::tokenize::TextEncoder;
use crossbeam_channel::bounded;
use rayon::prelude::*;
use std::time::{Duration, Instant};

/// Pipeline settings.
#[derive(Clone, Copy, Debug)]
pub struct PipelineOptions {
    /// Batch limits for the model.
    pub limits: BatchLimits,
    /// Rows per chunk (the unit of overlap and of length sorting).
    pub chunk_rows: usize,
    /// Detect each message's language.
    pub detect_language: bool,
}

impl Default for PipelineOptions {
    fn default() -> Self {
        PipelineOptions {
            limits: BatchLimits::default(),
            chunk_rows: 2048,
            detect_language: true,
        }
    }
}

/// What a run did.
#[derive(Clone, Debug, Default)]
pub struct Summary {
    /// Rows read and written.
    pub rows: u64,
    /// Rows labelled.
    pub labelled: u64,
    /// Rows written with an error.
    pub failed: u64,
    /// The first few row errors, for the stderr summary.
    pub first_errors: Vec<String>,
    /// Real tokens sent to the model.
    pub tokens: u64,
    /// Padded tokens sent to the model (tokens + padding).
    pub padded_tokens: u64,
    /// Wall time of each forward pass.
    pub batch_latencies: Vec<Duration>,
    /// Wall time of the whole run.
    pub elapsed: Duration,
}

impl Summary {
    /// Share of padded positions that were padding.
    pub fn padding_waste(&self) -> f64 {
        if self.padded_tokens == 0 {
            0.0
        } else {
            1.0 - self.tokens as f64 / self.padded_tokens as f64
        }
    }
}

struct Tokenized {
    rows: Vec<Row>,
    ids: Vec<std::result::Result<Vec<i64>, String>>,
    langs: Vec<Option<&'static str>>,
    position: u64,
}

struct Labelled {
    rows: Vec<Row>,
    outcomes: Vec<Outcome>,
    position: u64,
}

const MAX_KEPT_ERRORS: usize = 20;

/// Labels every row of `source` into `sink`, in input order. Row problems become `error`
/// values; only I/O and libtorch failures stop the run.
pub fn run(
    model: &Model,
    encoder: &TextEncoder,
    mut source: Box<dyn RowSource>,
    mut sink: Box<dyn RowSink>,
    opts: &PipelineOptions,
    progress: &Progress,
) -> Result<Summary> {
    let start = Instant::now();
    let (tok_tx, tok_rx) = bounded::<Result<Tokenized>>(2);
    let (out_tx, out_rx) = bounded::<Labelled>(2);
    let chunk_rows = opts.chunk_rows.max(1);
    let detect = opts.detect_language;

    let (summary, write_result, read_result) = std::thread::scope(|scope| {
        // Stage 1: read and tokenize.
        let reader = scope.spawn(move || -> Result<()> {
            loop {
                let mut rows = Vec::with_capacity(chunk_rows);
                while rows.len() < chunk_rows {
                    match source.next_row() {
                        Ok(Some(r)) => rows.push(r),
                        Ok(None) => break,
                        Err(e) => {
                            let _ = tok_tx.send(Err(SentirError::Other(e.to_string())));
                            return Err(e);
                        }
                    }
                }
                if rows.is_empty() {
                    return Ok(());
                }
                let (ids, langs): (Vec<_>, Vec<_>) = rows
                    .par_iter()
                    .map(|r| match &r.text {
                        Ok(t) => {
                            let ids = encoder
                                .encode(t)
                                .map_err(|e| format!("line {}: {e}", r.line));
                            let lang = if detect {
                                crate::langid::detect(t)
                            } else {
                                None
                            };
                            (ids, lang)
                        }
                        Err(e) => (Err(e.clone()), None),
                    })
                    .unzip();
                let chunk = Tokenized {
                    rows,
                    ids,
                    langs,
                    position: source.position(),
                };
                if tok_tx.send(Ok(chunk)).is_err() {
                    return Ok(()); // the model stage stopped; it reports why
                }
            }
        });

        // Stage 3: write in input order.
        let writer = scope.spawn(move || -> (Summary, Result<()>) {
            let mut s = Summary::default();
            for chunk in out_rx.iter() {
                for (row, outcome) in chunk.rows.iter().zip(&chunk.outcomes) {
                    if let Err(e) = sink.write_row(row, outcome) {
                        return (s, Err(e));
                    }
                    s.rows += 1;
                    match outcome {
                        Outcome::Labelled(..) => s.labelled += 1,
                        Outcome::Failed(msg) => {
                            s.failed += 1;
                            if s.first_errors.len() < MAX_KEPT_ERRORS {
                                s.first_errors.push(msg.clone());
                            }
                        }
                    }
                }
                progress.update(s.rows, chunk.position);
            }
            let r = sink.finish();
            (s, r)
        });

        // Stage 2 (this thread): the model.
        let mut tokens = 0u64;
        let mut padded = 0u64;
        let mut latencies = Vec::new();
        let mut model_result: Result<()> = Ok(());
        let device = model.device();
        let pad = model.config().pad_token_id;
        for chunk in tok_rx.iter() {
            let chunk = match chunk {
                Ok(c) => c,
                Err(e) => {
                    model_result = Err(e);
                    break;
                }
            };
            let mut outcomes: Vec<Option<Outcome>> = vec![None; chunk.rows.len()];
            let valid: Vec<usize> = (0..chunk.rows.len())
                .filter(|&i| chunk.ids[i].is_ok())
                .collect();
            for (slot, ids) in outcomes.iter_mut().zip(&chunk.ids) {
                if let Err(e) = ids {
                    *slot = Some(Outcome::Failed(e.clone()));
                }
            }
            let seqs: Vec<&[i64]> = valid
                .iter()
                .map(|&i| chunk.ids[i].as_ref().map(Vec::as_slice).unwrap_or_default())
                .collect();
            let lengths: Vec<usize> = seqs.iter().map(|s| s.len()).collect();
            for batch in plan(&lengths, opts.limits) {
                let batch_seqs: Vec<&[i64]> = batch.iter().map(|&j| seqs[j]).collect();
                let c = collate(&batch_seqs, pad, device);
                let t0 = Instant::now();
                let probs = model.predict_probs(&c.input_ids, &c.mask);
                latencies.push(t0.elapsed());
                tokens += c.tokens as u64;
                padded += c.padded as u64;
                for (&j, p) in batch.iter().zip(probs) {
                    let i = valid[j];
                    outcomes[i] =
                        Some(Outcome::Labelled(Prediction::from_probs(p), chunk.langs[i]));
                }
            }
            let outcomes: Vec<Outcome> = outcomes
                .into_iter()
                .map(|o| {
                    o.unwrap_or_else(|| Outcome::Failed("internal: row was not labelled".into()))
                })
                .collect();
            let labelled = Labelled {
                rows: chunk.rows,
                outcomes,
                position: chunk.position,
            };
            if out_tx.send(labelled).is_err() {
                break; // the writer failed; it reports why
            }
        }
        drop(out_tx);
        drop(tok_rx);
        let (mut summary, write_result) = writer.join().expect("writer thread panicked");
        let read_result = reader.join().expect("reader thread panicked");
        summary.tokens = tokens;
        summary.padded_tokens = padded;
        summary.batch_latencies = latencies;
        (summary, write_result.and(model_result), read_result)
    });
    progress.finish();
    read_result?;
    write_result?;
    let mut summary = summary;
    summary.elapsed = start.elapsed();
    Ok(summary)
}

/// Labels in-memory texts (for `eval` and training validation): tokenized on the rayon
/// pool, batched by length like the streaming pipeline, results in input order.
pub fn predict_texts(
    model: &Model,
    encoder: &TextEncoder,
    texts: &[&str],
    limits: BatchLimits,
) -> Vec<std::result::Result<[f32; 3], String>> {
    let ids: Vec<std::result::Result<Vec<i64>, String>> =
        texts.par_iter().map(|t| encoder.encode(t)).collect();
    let mut out: Vec<std::result::Result<[f32; 3], String>> = ids
        .iter()
        .map(|r| match r {
            Ok(_) => Err("internal: not labelled".to_string()),
            Err(e) => Err(e.clone()),
        })
        .collect();
    let valid: Vec<usize> = (0..ids.len()).filter(|&i| ids[i].is_ok()).collect();
    let seqs: Vec<&[i64]> = valid
        .iter()
        .map(|&i| ids[i].as_ref().map(Vec::as_slice).unwrap_or_default())
        .collect();
    let lengths: Vec<usize> = seqs.iter().map(|s| s.len()).collect();
    let pad = model.config().pad_token_id;
    for batch in plan(&lengths, limits) {
        let b: Vec<&[i64]> = batch.iter().map(|&j| seqs[j]).collect();
        let c = collate(&b, pad, model.device());
        for (&j, p) in batch.iter().zip(model.predict_probs(&c.input_ids, &c.mask)) {
            out[valid[j]] = Ok(p);
        }
    }
    out
}
