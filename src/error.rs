//! Error types at the library boundary.

use std::path::PathBuf;
use thiserror::Error;

/// Anything that stops a command. Row-level problems are not errors: they are reported in the
/// row's `error` field (see [`crate::pipeline::Outcome`]).
#[derive(Debug, Error)]
pub enum SentirError {
    /// Wrong usage or configuration: unknown column, missing model, bad option value.
    #[error("{0}")]
    Usage(String),
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file concerned ("-" for stdin/stdout).
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// Writing the output failed (the path is `-` for stdout).
    #[error("{path}: cannot write {format}: {reason}")]
    Write {
        /// The output.
        path: PathBuf,
        /// CSV, JSONL, Parquet, Arrow IPC.
        format: &'static str,
        /// What failed.
        reason: String,
        /// The kind of the underlying I/O error, if there is one.
        kind: Option<std::io::ErrorKind>,
    },
    /// The input cannot be read at all (not a row-level problem), e.g. a broken CSV header.
    #[error("{0}")]
    Input(String),
    /// The model directory could not be loaded.
    #[error("model {dir}: {reason}")]
    Model {
        /// The model directory.
        dir: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// SIGINT or SIGTERM stopped the run (nothing was committed).
    #[error("stopped by {}: no output written (a previous output file is unchanged)", crate::signals::name(*.0))]
    Interrupted(i32),
    /// A run to a file that stopped part-way: its journal keeps the chunks it finished.
    #[error("{stopped}; the rows labelled so far are kept in {}: run the same command with --resume to continue", journal.display())]
    Resumable {
        /// Why the run stopped.
        stopped: Box<SentirError>,
        /// The journal (see [`crate::resume`]).
        journal: PathBuf,
    },
    /// libtorch failed.
    #[error("libtorch: {0}")]
    Torch(#[from] tch::TchError),
    /// Any other failure with a message.
    #[error("{0}")]
    Other(String),
}

impl SentirError {
    /// Process exit code for this error: 2 for usage/configuration errors, 1 otherwise.
    pub fn exit_code(&self) -> i32 {
        match self {
            SentirError::Usage(_) => 2,
            SentirError::Model { .. } => 2,
            SentirError::Interrupted(sig) => 128 + sig,
            SentirError::Resumable { stopped, .. } => stopped.exit_code(),
            _ => 1,
        }
    }

    /// Shorthand for an I/O error on a path.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        SentirError::Io {
            path: path.into(),
            source,
        }
    }

    /// A failed write of `format` to `path`; the I/O error kind is found in `e`'s sources.
    pub fn write(
        path: impl Into<PathBuf>,
        format: &'static str,
        e: &(dyn std::error::Error + 'static),
    ) -> Self {
        let mut kind = None;
        let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e);
        while let Some(err) = cur {
            if let Some(io) = err.downcast_ref::<std::io::Error>() {
                kind = Some(io.kind());
                break;
            }
            cur = err.source();
        }
        Self::write_kind(path, format, e, kind)
    }

    /// A failed write whose I/O error kind (if any) the caller knows (csv and serde_json
    /// errors do not expose their I/O error as a source).
    pub fn write_kind(
        path: impl Into<PathBuf>,
        format: &'static str,
        reason: impl std::fmt::Display,
        kind: Option<std::io::ErrorKind>,
    ) -> Self {
        SentirError::Write {
            path: path.into(),
            format,
            reason: reason.to_string(),
            kind,
        }
    }

    /// Whether the reader of the output went away (`sentir classify … | head`): not a
    /// failure of sentir's.
    pub fn is_broken_pipe(&self) -> bool {
        let pipe = Some(std::io::ErrorKind::BrokenPipe);
        match self {
            SentirError::Io { source, .. } => Some(source.kind()) == pipe,
            SentirError::Write { kind, .. } => *kind == pipe,
            _ => false,
        }
    }

    /// `e`, with the hint that the journal at `journal` lets `--resume` continue the run.
    pub fn resumable(e: SentirError, journal: PathBuf) -> Self {
        SentirError::Resumable {
            stopped: Box::new(e),
            journal,
        }
    }

    /// Shorthand for a model loading error.
    pub fn model(dir: impl Into<PathBuf>, reason: impl std::fmt::Display) -> Self {
        SentirError::Model {
            dir: dir.into(),
            reason: reason.to_string(),
        }
    }
}

/// A model-file error outside a model directory (writing weights, heads): its message alone.
/// Errors of a model directory go through [`crate::model::ModelError::in_dir`] instead.
impl From<crate::model::ModelError> for SentirError {
    fn from(e: crate::model::ModelError) -> Self {
        SentirError::Other(e.to_string())
    }
}

/// Result alias for the library.
pub type Result<T, E = SentirError> = std::result::Result<T, E>;
