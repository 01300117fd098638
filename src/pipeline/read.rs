//! Stage 1, reading: rows in chunks, each tokenized on the rayon pool with its language, or,
//! when an interrupted run's journal already holds the chunk, checked against it and passed
//! on with its outcomes.

use crate::error::{Result, SentirError};
use crate::io::{Row, RowError, RowErrorKind, RowSource};
use crate::langid::RowLanguage;
use crate::prediction::Outcome;
use crate::resume::{rows_digest, Restored};
use crate::tokenize::{LongText, TextEncoder};
use crossbeam_channel::Sender;
use rayon::prelude::*;
use std::borrow::Cow;

/// A text's token sequences (one, or the chunks of a long text), or why it has none.
pub type RowIds<E = String> = std::result::Result<Vec<Vec<i64>>, E>;

/// What stage 2 has to do for a chunk.
pub(super) enum Work {
    /// Label the rows that tokenized; the others keep their error.
    Tokenized {
        ids: Vec<RowIds<RowError>>,
        langs: Vec<Option<Cow<'static, str>>>,
    },
    /// Nothing: an interrupted run labelled these rows.
    Restored(Vec<Outcome>),
}

/// One chunk of input rows on its way to the model.
pub(super) struct ReadChunk {
    pub rows: Vec<Row>,
    pub work: Work,
    /// Rows before the chunk.
    pub first_row: u64,
    /// Digest of the rows (see [`rows_digest`]).
    pub digest: [u8; 32],
    /// Input bytes read so far.
    pub position: u64,
}

/// How stage 1 reads.
pub(super) struct ReadPlan<'a> {
    pub encoder: &'a TextEncoder,
    pub language: &'a RowLanguage,
    pub long: LongText,
    pub chunk_rows: usize,
    /// Chunks are recorded in (or restored from) a journal: only then are their rows digested.
    pub journaled: bool,
}

/// Token ids of each text as `long` says, on the rayon pool.
pub(super) fn encode_all(encoder: &TextEncoder, texts: &[&str], long: LongText) -> Vec<RowIds> {
    texts
        .par_iter()
        .map(|t| encoder.encode_long(t, long))
        .collect()
}

/// Reads `source` to its end in chunks sent to `tx`. A read error or a signal is sent on as
/// the chunk's error (the model stage reports it); a closed channel means the model stage
/// stopped.
pub(super) fn read_stage(
    mut source: Box<dyn RowSource>,
    plan: ReadPlan,
    mut restored: Option<Restored>,
    tx: Sender<Result<ReadChunk>>,
) -> Result<()> {
    let mut first_row = 0u64;
    loop {
        if let Some(sig) = crate::signals::received() {
            let _ = tx.send(Err(SentirError::Interrupted(sig)));
            return Ok(());
        }
        let rows = match read_rows(source.as_mut(), plan.chunk_rows) {
            Ok(rows) => rows,
            Err(e) => {
                let _ = tx.send(Err(SentirError::Other(e.to_string())));
                return Err(e);
            }
        };
        if rows.is_empty() {
            return Ok(());
        }
        let digest = if plan.journaled {
            rows_digest(&rows)
        } else {
            [0; 32]
        };
        let from_journal = match restored.as_mut() {
            Some(r) => r.next_chunk()?,
            None => None,
        };
        let work = match from_journal {
            Some(rec) => {
                if rec.first_row != first_row
                    || rec.outcomes.len() != rows.len()
                    || rec.digest != digest
                {
                    let e = SentirError::Usage(format!(
                        "cannot resume: rows {}–{} of the input differ from those the interrupted run read; run without --resume to start again",
                        first_row + 1,
                        first_row + rows.len() as u64
                    ));
                    let _ = tx.send(Err(SentirError::Usage(e.to_string())));
                    return Err(e);
                }
                Work::Restored(rec.outcomes)
            }
            None => {
                restored = None;
                tokenize(&rows, &plan)
            }
        };
        let chunk = ReadChunk {
            first_row,
            digest,
            position: source.position(),
            work,
            rows,
        };
        first_row += chunk.rows.len() as u64;
        if tx.send(Ok(chunk)).is_err() {
            return Ok(());
        }
    }
}

/// Up to `n` rows, fewer at the end of the input or of a stream's batch (its producer may
/// wait for that batch's output before sending more).
fn read_rows(source: &mut dyn RowSource, n: usize) -> Result<Vec<Row>> {
    let mut rows = Vec::with_capacity(n);
    while rows.len() < n {
        match source.next_row()? {
            Some(r) => rows.push(r),
            None => break,
        }
        if source.at_batch_end() {
            break;
        }
    }
    Ok(rows)
}

/// Token ids and language of each row with a text, on the rayon pool.
fn tokenize(rows: &[Row], plan: &ReadPlan) -> Work {
    let (ids, langs) = rows
        .par_iter()
        .map(|r| match &r.text {
            Ok(t) => {
                let ids = plan
                    .encoder
                    .encode_long(t, plan.long)
                    .map_err(|e| RowError::new(r.at, RowErrorKind::Tokenizer(e)));
                (ids, plan.language.of(r, t))
            }
            Err(e) => (Err(e.clone()), None),
        })
        .unzip();
    Work::Tokenized { ids, langs }
}
