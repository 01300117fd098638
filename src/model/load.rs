//! Loading a model directory: config, label map, network, weights and extra heads.

use super::arch;
use super::config::{self, Architecture, ModelConfig};
use super::error::{Context, ModelError};
use super::heads::Heads;
use super::labels::LabelMap;
use super::weights::{self, Header};
use super::words::{is_word_table, WordTable};
use super::{Coverage, Model};
use crate::error::Result;
use std::path::Path;
use tch::{nn, Device};

/// Files an HF sequence-classification directory must hold.
const REQUIRED_FILES: [&str; 3] = ["config.json", "tokenizer.json", "model.safetensors"];

impl Model {
    /// Loads `dir` (config.json, tokenizer.json, model.safetensors) for inference: the word
    /// embeddings stay in the file and are read per batch ([`super::words`]), in their
    /// stored kind (fp16 stays fp16).
    pub fn load(dir: &Path, device: Device) -> Result<Model> {
        Ok(Model::load_with(dir, device, Coverage::Complete, None)?.0)
    }

    /// Loads `dir`, optionally replacing `id2label` (for fine-tuning a base encoder), and
    /// returns the names of variables that were not in the checkpoint.
    pub fn load_with(
        dir: &Path,
        device: Device,
        coverage: Coverage,
        id2label: Option<&LabelMap>,
    ) -> Result<(Model, Vec<String>)> {
        load_dir(dir, device, coverage, id2label).map_err(|e| e.in_dir(dir))
    }
}

/// [`Model::load_with`], failing with the reason alone.
fn load_dir(
    dir: &Path,
    device: Device,
    coverage: Coverage,
    id2label: Option<&LabelMap>,
) -> Result<(Model, Vec<String>), ModelError> {
    if !dir.is_dir() {
        return Err(ModelError::NoDirectory);
    }
    if let Some(f) = REQUIRED_FILES.into_iter().find(|f| !dir.join(f).is_file()) {
        return Err(ModelError::MissingFile(f));
    }
    let config = read_config(&dir.join("config.json"), id2label)?;
    let labels = LabelMap::from_id2label(&config.id2label)?;
    let vs = nn::VarStore::new(device);
    let prefix = config.arch.base_prefix();
    let file = dir.join("model.safetensors");
    let header = weights::read_header(&file).context("model.safetensors")?;
    let (mut net, words) = if coverage == Coverage::Complete {
        let net = arch::build(&vs.root(), &placeholder_vocab(&config))?;
        let words = word_table(&vs, &file, &header, prefix).context("model.safetensors")?;
        (net, Some(words))
    } else {
        (arch::build(&vs.root(), &config)?, None)
    };
    let allow_missing = coverage == Coverage::AllowMissing;
    let vars = vs
        .variables()
        .into_iter()
        .filter(|(name, _)| words.is_none() || !is_word_table(name))
        .collect();
    let missing = weights::load_vars(vars, &file, &header, prefix, allow_missing)
        .context("model.safetensors")?;
    let heads = if config.arch == Architecture::Bert {
        Heads::load(dir, &vs, head_width(&config))?
    } else {
        Heads::none()
    };
    net.set_head_features(heads.any());
    let model = Model {
        net,
        heads,
        vs,
        words,
        config,
        labels,
        dir: dir.to_path_buf(),
    };
    Ok((model, missing))
}

/// The extra heads' input width: `2 × hidden` (see [`super::heads::FEATURES`]).
pub(super) fn head_width(config: &ModelConfig) -> i64 {
    2 * config.raw["hidden_size"].as_i64().unwrap_or(768)
}

/// The file's word-embedding table, read per batch at inference. The network is built with
/// a one-row placeholder table (see [`placeholder_vocab`]), so the full table is never
/// allocated or randomly initialised.
fn word_table(
    vs: &nn::VarStore,
    file: &Path,
    header: &Header,
    prefix: &str,
) -> Result<WordTable, ModelError> {
    let vars = vs.variables();
    let Some((name, var)) = vars.iter().find(|(name, _)| is_word_table(name)) else {
        return Err(ModelError::Config(
            "the network has no word embeddings".into(),
        ));
    };
    let Some(info) = weights::lookup(header, name, prefix) else {
        return Err(ModelError::Missing {
            file: None,
            names: vec![name.clone()],
        });
    };
    let width = var.size().last().copied().unwrap_or(0);
    WordTable::open(file, info, width, var.device())
}

/// `config` with a one-token vocabulary: the network is built with a placeholder word-embedding
/// table; the real one is read from the file ([`word_table`]).
fn placeholder_vocab(config: &ModelConfig) -> ModelConfig {
    let mut c = config.clone();
    if let Some(obj) = c.raw.as_object_mut() {
        obj.insert("vocab_size".into(), 1.into());
    }
    c
}

/// Reads config.json; with `labels`, its classes become `labels`' sentiments (for training
/// a new head on a base encoder).
fn read_config(path: &Path, labels: Option<&LabelMap>) -> Result<ModelConfig, ModelError> {
    let Some(map) = labels else {
        return ModelConfig::from_file(path);
    };
    let mut raw = config::read_json(path)?;
    let obj = config::as_object(&mut raw)?;
    let id2label: serde_json::Map<String, serde_json::Value> = map
        .classes()
        .iter()
        .enumerate()
        .map(|(i, s)| (i.to_string(), s.as_str().into()))
        .collect();
    obj.insert("id2label".into(), id2label.into());
    obj.remove("label2id");
    obj.remove("num_labels");
    ModelConfig::from_value(raw)
}
