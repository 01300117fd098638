//! Stage 3, writing: labelled chunks to the sink in input order, each newly labelled chunk
//! then recorded in the resume journal; the sink is committed only when the model stage
//! finished every chunk.

use super::infer::LabelledChunk;
use super::Summary;
use crate::error::Result;
use crate::io::RowSink;
use crate::prediction::Outcome;
use crate::progress::Progress;
use crate::resume::Appender;
use crossbeam_channel::Receiver;
use std::sync::atomic::{AtomicBool, Ordering};

/// Row errors kept for the stderr summary.
const MAX_KEPT_ERRORS: usize = 20;

/// Writes every chunk of `rx`; commits the sink if `completed` is set once `rx` ends (the
/// model stage sets it when every chunk went through), else drops it (the previous output
/// stays).
pub(super) fn write_stage(
    mut sink: Box<dyn RowSink>,
    rx: Receiver<LabelledChunk>,
    mut journal: Option<Appender>,
    completed: &AtomicBool,
    progress: &Progress,
) -> (Summary, Result<()>) {
    let mut s = Summary::default();
    for chunk in rx.iter() {
        if let Err(e) = write_chunk(sink.as_mut(), &chunk, &mut s) {
            return (s, Err(e));
        }
        if let (Some(j), false) = (journal.as_mut(), chunk.restored) {
            if let Err(e) = j.append(chunk.first_row, chunk.digest, &chunk.outcomes) {
                return (s, Err(e));
            }
        }
        if chunk.restored {
            s.resumed += chunk.rows.len() as u64;
        }
        progress.update(s.rows, chunk.position);
    }
    if !completed.load(Ordering::SeqCst) {
        // The model stage failed or was interrupted; it reports why.
        return (s, Ok(()));
    }
    let r = sink.finish();
    (s, r)
}

fn write_chunk(sink: &mut dyn RowSink, chunk: &LabelledChunk, s: &mut Summary) -> Result<()> {
    for (row, outcome) in chunk.rows.iter().zip(&chunk.outcomes) {
        sink.write_row(row, outcome)?;
        s.rows += 1;
        match outcome {
            Outcome::Labelled(..) => s.labelled += 1,
            Outcome::Failed(e) => {
                s.failed += 1;
                if s.first_errors.len() < MAX_KEPT_ERRORS {
                    s.first_errors.push(e.to_string());
                }
            }
        }
    }
    Ok(())
}
