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
use crate::langid::LanguageSource;
use crate::model::{Model, Scores};
use crate::prediction::{Outcome, Prediction};
use crate::progress::Progress;
use crate::tokenize::{LongText, TextEncoder};
use crossbeam_channel::bounded;
use rayon::prelude::*;
use std::borrow::Cow;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Pipeline settings.
#[derive(Clone, Debug)]
pub struct PipelineOptions {
    /// Batch limits for the model.
    pub limits: BatchLimits,
    /// Rows per chunk (the unit of overlap and of length sorting).
    pub chunk_rows: usize,
    /// Where the `language` column comes from: detection (the default), an input column,
    /// or nothing.
    pub language: LanguageSource,
    /// How texts over the length limit are read.
    pub long: LongText,
    /// Run the reason head (when the model has one).
    pub reason: bool,
}

impl Default for PipelineOptions {
    fn default() -> Self {
        PipelineOptions {
            limits: BatchLimits::default(),
            chunk_rows: 2048,
            language: LanguageSource::default(),
            long: LongText::Chunk,
            reason: true,
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

/// A row's token sequences: one, or several chunks of a long text.
type RowIds = std::result::Result<Vec<Vec<i64>>, String>;

struct Tokenized {
    rows: Vec<Row>,
    ids: Vec<RowIds>,
    langs: Vec<Option<Cow<'static, str>>>,
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
    let language = opts.language.resolve(source.as_ref())?;
    let language = &language;
    let long = opts.long;

    // Set by the model stage when every chunk went through: only then is the output committed.
    let completed = AtomicBool::new(false);
    let (summary, write_result, read_result) = std::thread::scope(|scope| {
        // Stage 1: read and tokenize.
        let reader = scope.spawn(move || -> Result<()> {
            loop {
                if let Some(sig) = crate::signals::received() {
                    let _ = tok_tx.send(Err(SentirError::Interrupted(sig)));
                    return Ok(()); // the model stage reports it
                }
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
                    // A stream's producer may wait for this batch's output before sending more.
                    if source.at_batch_end() {
                        break;
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
                                .encode_long(t, long)
                                .map_err(|e| format!("line {}: {e}", r.line));
                            (ids, language.of(r, t))
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
        let completed = &completed;
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
            if !completed.load(Ordering::SeqCst) {
                // The model stage failed or was interrupted: dropping the sink discards the
                // partial output (the previous file stays); the model stage reports why.
                return (s, Ok(()));
            }
            let r = sink.finish();
            (s, r)
        });

        // Stage 2 (this thread): the model.
        let mut stats = InferStats::default();
        let mut model_result: Result<()> = Ok(());
        for chunk in tok_rx.iter() {
            let labelled = chunk.and_then(|c| infer_chunk(model, c, opts.limits, &mut stats));
            match labelled {
                Ok(l) => {
                    if out_tx.send(l).is_err() {
                        break; // the writer failed; it reports why
                    }
                }
                Err(e) => {
                    model_result = Err(e);
                    break;
                }
            }
        }
        if model_result.is_ok() {
            if let Some(sig) = crate::signals::received() {
                model_result = Err(SentirError::Interrupted(sig));
            }
        }
        completed.store(model_result.is_ok(), Ordering::SeqCst);
        drop(out_tx);
        drop(tok_rx);
        let (mut summary, write_result) = writer.join().expect("writer thread panicked");
        let read_result = reader.join().expect("reader thread panicked");
        summary.tokens = stats.tokens;
        summary.padded_tokens = stats.padded;
        summary.batch_latencies = stats.latencies;
        (summary, write_result.and(model_result), read_result)
    });
    progress.finish();
    read_result?;
    write_result?;
    let mut summary = summary;
    summary.elapsed = start.elapsed();
    Ok(summary)
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
        let c = collate(&seqs, pad, model.device());
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
/// error.
fn infer_chunk(
    model: &Model,
    chunk: Tokenized,
    limits: BatchLimits,
    stats: &mut InferStats,
) -> Result<Labelled> {
    let valid: Vec<usize> = (0..chunk.rows.len())
        .filter(|&i| chunk.ids[i].is_ok())
        .collect();
    let seqs: Vec<&[Vec<i64>]> = valid
        .iter()
        .map(|&i| chunk.ids[i].as_deref().unwrap_or_default())
        .collect();
    let mut scores = infer(model, &seqs, limits, stats)?.into_iter();
    let outcomes = chunk
        .ids
        .iter()
        .zip(chunk.langs)
        .map(|(ids, lang)| match ids {
            Err(e) => Outcome::Failed(e.clone()),
            Ok(_) => match scores.next() {
                Some(s) => Outcome::Labelled(Prediction::from_scores(&s), lang),
                None => Outcome::Failed("internal: row was not labelled".into()),
            },
        })
        .collect();
    Ok(Labelled {
        rows: chunk.rows,
        outcomes,
        position: chunk.position,
    })
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
    let ids: Vec<RowIds> = texts
        .par_iter()
        .map(|t| encoder.encode_long(t, long))
        .collect();
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
