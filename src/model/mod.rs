//! The model: loading an HF checkpoint directory ([`load`](Model::load)), padding batches for
//! it ([`collate()`]), inference ([`Model::predict`]), int8 ([`Precision`]), label mapping and
//! the extra heads. Failures are [`ModelError`]s, shown as `model <dir>: <reason>`.

mod arch;
pub mod auto;
mod collate;
pub mod config;
pub mod e5;
mod error;
pub mod heads;
mod infer;
pub mod labels;
mod load;
pub mod pack;
mod panic;
mod precision;
mod scores;
pub mod weights;
mod words;

pub(crate) use arch::bf16_mode;
pub use collate::{collate, Collated};
pub use error::ModelError;
pub use infer::Outputs;
pub use panic::{is_libtorch_panic, panic_text};
pub use precision::Precision;
pub use scores::Scores;
pub use words::is_word_table;

use crate::error::{Result, SentirError};
use arch::SequenceClassifier;
use config::{Architecture, ModelConfig};
use heads::Heads;
use labels::LabelMap;
use std::path::{Path, PathBuf};
use tch::{nn, Device};
use words::WordTable;

/// Parses `cpu`, `cuda` or `cuda:N`.
pub fn parse_device(s: &str) -> Result<Device> {
    match s {
        "cpu" => Ok(Device::Cpu),
        "cuda" => Ok(Device::Cuda(0)),
        _ => s
            .strip_prefix("cuda:")
            .and_then(|n| n.parse().ok())
            .map(Device::Cuda)
            .ok_or_else(|| SentirError::Usage(format!("unknown device {s:?} (cpu, cuda, cuda:N)"))),
    }
}

/// A loaded sentiment model: rust-bert network, its weights, and its label map.
pub struct Model {
    net: Box<dyn SequenceClassifier>,
    heads: Heads,
    vs: nn::VarStore,
    /// At inference, the word-embedding table read from the file per batch (the network's
    /// own table is then a one-row placeholder); `None` for training, which holds it.
    words: Option<WordTable>,
    config: ModelConfig,
    labels: LabelMap,
    dir: PathBuf,
}

/// How much of the model `model.safetensors` must hold (training starts from an encoder
/// without a classification head; inference must have everything).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Coverage {
    /// Every variable must be in the file.
    Complete,
    /// Missing variables, and variables whose stored shape differs (a classifier head with
    /// another label count), keep their random initialisation; their names are returned.
    AllowMissing,
}

impl Model {
    /// The extra heads (reason, mixed) this model has.
    pub fn heads(&self) -> &Heads {
        &self.heads
    }

    /// Skips the reason head from now on (`--no-reason`: empty reason columns, less work).
    pub fn drop_reason_head(&mut self) {
        self.heads.reason = None;
        self.net.set_head_features(self.heads.any());
    }

    /// Adds randomly initialised reason / mixed heads where missing (training).
    pub fn add_heads(&mut self, reason: bool, mixed: bool) -> Result<()> {
        if (reason || mixed) && self.config.arch != Architecture::Bert {
            return Err(SentirError::Usage(format!(
                "reason and mixed heads need a BERT model; {} is {}",
                self.dir.display(),
                self.config.model_type
            )));
        }
        let width = load::head_width(&self.config);
        self.heads
            .add_missing(&self.vs, width, reason, mixed)
            .map_err(|e| ModelError::from(e).in_dir(&self.dir))?;
        self.net.set_head_features(self.heads.any());
        Ok(())
    }

    /// The model's config.
    pub fn config(&self) -> &ModelConfig {
        &self.config
    }

    /// The weights (for training and saving).
    pub fn var_store(&self) -> &nn::VarStore {
        &self.vs
    }

    /// Directory the model was loaded from.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The device the weights live on.
    pub fn device(&self) -> Device {
        self.vs.device()
    }
}
