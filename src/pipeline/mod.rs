//! The parallel pipeline: read → tokenize (rayon) → batched inference → write, in three
//! stages joined by bounded channels, so memory stays flat however large the input is.
//!
//! Rows travel in chunks. A chunk is tokenized on the rayon pool while the model (owned by
//! the calling thread: tch tensors are not `Sync`) works on the previous one and the writer
//! thread writes the one before. Inside a chunk, rows are sorted by length into batches
//! (see [`crate::batch`]); results go back to input order before writing.

mod infer;
mod read;
mod write;

pub use infer::{infer, predict_texts, InferStats};

use crate::batch::BatchLimits;
use crate::error::{Result, SentirError};
use crate::io::{RowSink, RowSource};
use crate::langid::LanguageSource;
use crate::model::Model;
use crate::progress::Progress;
use crate::resume::Journal;
use crate::tokenize::{LongText, TextEncoder};
use crossbeam_channel::bounded;
use read::{read_stage, ReadChunk, ReadPlan};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Pipeline settings.
#[derive(Clone, Debug)]
pub struct PipelineOptions {
    /// Batch limits for the model.
    pub limits: BatchLimits,
    /// Rows per chunk (the unit of overlap, of length sorting and of resume progress).
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
    /// Rows whose outcome came from an interrupted run's journal (`--resume`).
    pub resumed: u64,
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

/// Labels every row of `source` into `sink`, in input order. Row problems become `error`
/// values; only I/O and libtorch failures (and signals) stop the run. With a `journal`, each
/// finished chunk is recorded in it, and the chunks an interrupted run finished are taken
/// from it.
pub fn run(
    model: &Model,
    encoder: &TextEncoder,
    source: Box<dyn RowSource>,
    sink: Box<dyn RowSink>,
    opts: &PipelineOptions,
    progress: &Progress,
    journal: Option<Journal>,
) -> Result<Summary> {
    let start = Instant::now();
    let (restored, appender) = match journal {
        Some(j) => {
            let (r, a) = j.split();
            (r, Some(a))
        }
        None => (None, None),
    };
    let (read_tx, read_rx) = bounded::<Result<ReadChunk>>(2);
    let (out_tx, out_rx) = bounded(2);
    let language = opts.language.resolve(source.as_ref())?;
    let plan = ReadPlan {
        encoder,
        language: &language,
        long: opts.long,
        chunk_rows: opts.chunk_rows.max(1),
        journaled: appender.is_some(),
    };
    // Set by the model stage when every chunk went through: only then is the output committed.
    let completed = AtomicBool::new(false);
    let (summary, write_result, read_result) = std::thread::scope(|scope| {
        let reader = scope.spawn(move || read_stage(source, plan, restored, read_tx));
        let completed = &completed;
        let writer =
            scope.spawn(move || write::write_stage(sink, out_rx, appender, completed, progress));

        // Stage 2 (this thread, which owns the model): chunk by chunk until the reader ends.
        let mut stats = InferStats::default();
        let mut model_result: Result<()> = Ok(());
        for chunk in read_rx.iter() {
            match chunk.and_then(|c| infer::infer_chunk(model, c, opts.limits, &mut stats)) {
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
        drop(read_rx);
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
