//! Why a model directory, one of its files or a forward pass failed: [`ModelError`], formatted
//! here and nowhere else, and turned into a [`SentirError`] where the model directory is known.

use crate::error::SentirError;
use std::fmt::Display;
use std::path::{Path, PathBuf};
use thiserror::Error;

/// What went wrong in `model/`. [`ModelError::in_dir`] gives the user-facing error.
#[derive(Debug, Error)]
pub enum ModelError {
    /// The model directory does not exist.
    #[error("no such directory")]
    NoDirectory,
    /// A file the directory must hold is absent.
    #[error("{0} is missing")]
    MissingFile(&'static str),
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file, as named in the message.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A JSON file does not parse.
    #[error("{}: invalid JSON: {source}", path.display())]
    Json {
        /// The file.
        path: PathBuf,
        /// The parser's error.
        source: serde_json::Error,
    },
    /// A `config.json` or `heads.json` value sentir cannot use.
    #[error("{0}")]
    Config(String),
    /// rust-bert does not accept the config.
    #[error("config.json: {0}")]
    RustBertConfig(serde_json::Error),
    /// A `model_type` sentir does not run.
    #[error("model_type {0:?} is not supported (bert, distilbert, roberta, xlm-roberta)")]
    UnsupportedArchitecture(String),
    /// The `id2label` classes cannot be mapped onto negative / neutral / positive.
    #[error("{0}")]
    Labels(String),
    /// A file or tensor in a form sentir does not handle (safetensors header, dtype, blob).
    #[error("{0}")]
    Format(String),
    /// A stored tensor's shape differs from the model variable's.
    #[error("{name}: shape {file:?} in the file, {model} in the model")]
    Shape {
        /// The variable.
        name: String,
        /// The shape in the file.
        file: Vec<i64>,
        /// The shape the model wants, as written in the message.
        model: String,
    },
    /// Variables the checkpoint does not hold.
    #[error("weights missing{}: {}", from_file(file), names.join(", "))]
    Missing {
        /// The checkpoint, when the message names it.
        file: Option<PathBuf>,
        /// The variables.
        names: Vec<String>,
    },
    /// A token id the word-embedding table has no row for.
    #[error("token id {id} is outside the vocabulary ({vocab} rows)")]
    TokenId {
        /// The id.
        id: i64,
        /// The table's rows.
        vocab: i64,
    },
    /// int8 inference is not available (architecture or libtorch build).
    #[error("{0}")]
    NoInt8(&'static str),
    /// The extra heads found no pooled features to read.
    #[error("no pooled features for the heads")]
    NoHeadFeatures,
    /// A libtorch call returned an error.
    #[error("{0}")]
    Torch(#[from] tch::TchError),
    /// libtorch failed inside a rust-bert layer (which panics; the panic is caught).
    #[error("libtorch failed: {0}")]
    Panicked(String),
    /// rust-bert refused to build or run the network.
    #[error("{0}")]
    RustBert(#[from] rust_bert::RustBertError),
    /// The safetensors crate refused a tensor or a file.
    #[error("{0}")]
    Safetensors(#[from] safetensors::SafeTensorError),
    /// An error about one file of the directory or one tensor, named first.
    #[error("{context}: {source}")]
    In {
        /// The file or tensor.
        context: String,
        /// What is wrong with it.
        source: Box<ModelError>,
    },
}

fn from_file(file: &Option<PathBuf>) -> String {
    file.as_ref()
        .map(|f| format!(" from {}", f.display()))
        .unwrap_or_default()
}

impl ModelError {
    /// An I/O error on `path`.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> ModelError {
        ModelError::Io {
            path: path.into(),
            source,
        }
    }

    /// The error as the user sees it: `model <dir>: <reason>` (exit 2), except a libtorch
    /// failure during inference, which is not the directory's fault (exit 1).
    pub fn in_dir(self, dir: &Path) -> SentirError {
        match self {
            ModelError::Panicked(_) => {
                SentirError::Other(format!("model {}: {self}", dir.display()))
            }
            e => SentirError::model(dir, e),
        }
    }
}

/// Names the file or tensor an error is about (`model.safetensors: …`).
pub trait Context<T> {
    /// Prefixes the error with `context: `.
    fn context(self, context: impl Display) -> Result<T, ModelError>;
}

impl<T, E: Into<ModelError>> Context<T> for Result<T, E> {
    fn context(self, context: impl Display) -> Result<T, ModelError> {
        self.map_err(|e| ModelError::In {
            context: context.to_string(),
            source: Box::new(e.into()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_read_as_before() {
        let e = Err::<(), _>(ModelError::Shape {
            name: "w".into(),
            file: vec![2, 2],
            model: format!("{:?}", [3, 2]),
        })
        .context("model.safetensors")
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "model.safetensors: w: shape [2, 2] in the file, [3, 2] in the model"
        );
        let missing = ModelError::Missing {
            file: Some("m.safetensors".into()),
            names: vec!["a".into(), "b".into()],
        };
        assert_eq!(
            missing.to_string(),
            "weights missing from m.safetensors: a, b"
        );
        let dir = Path::new("/m");
        let e = ModelError::MissingFile("config.json").in_dir(dir);
        assert_eq!(e.to_string(), "model /m: config.json is missing");
        assert_eq!(e.exit_code(), 2);
        let e = ModelError::Panicked("index out of range".into()).in_dir(dir);
        assert_eq!(
            e.to_string(),
            "model /m: libtorch failed: index out of range"
        );
        assert_eq!(e.exit_code(), 1);
    }
}
