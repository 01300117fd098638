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

    /// Shorthand for a model loading error.
    pub fn model(dir: impl Into<PathBuf>, reason: impl std::fmt::Display) -> Self {
        SentirError::Model {
            dir: dir.into(),
            reason: reason.to_string(),
        }
    }
}

/// Result alias for the library.
pub type Result<T, E = SentirError> = std::result::Result<T, E>;
