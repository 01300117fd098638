//! The model: loading an HF checkpoint directory, label mapping, inference.

pub mod arch;
pub mod config;
pub mod e5;
pub mod labels;
pub mod pack;
pub mod weights;

use crate::error::{Result, SentirError};
use arch::SequenceClassifier;
use config::{Architecture, ModelConfig};
use labels::LabelMap;
use std::path::{Path, PathBuf};
use tch::{nn, Device, Kind, Tensor};

/// Files an HF sequence-classification directory must hold.
pub const REQUIRED_FILES: [&str; 3] = ["config.json", "tokenizer.json", "model.safetensors"];

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

/// Numeric precision for inference.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Precision {
    /// Float32 weights and activations (exact parity with transformers).
    #[default]
    Fp32,
    /// int8 dynamic quantization of the encoder's Linear layers (CPU only; faster, slightly
    /// different scores).
    Int8,
}

impl Precision {
    /// Parses `fp32` or `int8`.
    pub fn parse(s: &str) -> Result<Precision> {
        match s.to_ascii_lowercase().as_str() {
            "fp32" | "float32" => Ok(Precision::Fp32),
            "int8" => Ok(Precision::Int8),
            _ => Err(SentirError::Usage(format!(
                "unknown precision {s:?} (fp32, int8)"
            ))),
        }
    }

    /// `fp32` or `int8`.
    pub fn as_str(self) -> &'static str {
        match self {
            Precision::Fp32 => "fp32",
            Precision::Int8 => "int8",
        }
    }
}

/// A loaded sentiment model: rust-bert network, its weights, and its label map.
pub struct Model {
    net: Box<dyn SequenceClassifier>,
    vs: nn::VarStore,
    config: ModelConfig,
    labels: LabelMap,
    dir: PathBuf,
}

/// How to treat weights missing from `model.safetensors` (training starts from an encoder
/// without a classification head; inference must have everything).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Weights {
    /// Every variable must be in the file.
    Complete,
    /// Missing variables keep their random initialisation; their names are returned.
    AllowMissing,
}

impl Model {
    /// Loads `dir` (config.json, tokenizer.json, model.safetensors) for inference.
    ///
    /// Word embeddings stored as fp16 stay fp16 in memory (a lookup table needs no fp32
    /// arithmetic; the rows are widened to fp32 when added to the position embeddings). For
    /// a 250k-token vocabulary this saves 190 MB.
    pub fn load(dir: &Path, device: Device) -> Result<Model> {
        Ok(Model::load_with(dir, device, Weights::Complete, None)?.0)
    }

    /// Makes fp16-stored word embeddings fp16 variables (before their data is copied in, so
    /// the fp32 table never holds real data).
    fn keep_half_word_embeddings(
        vs: &nn::VarStore,
        file: &Path,
        prefix: &str,
    ) -> Result<(), String> {
        let header = weights::read_header(file)?;
        for (name, mut var) in vs.variables() {
            if !name.ends_with("word_embeddings.weight") {
                continue;
            }
            let stored = weights::lookup(&header, &name, prefix).map(|i| i.kind);
            if stored == Some(Kind::Half) && var.kind() == Kind::Float {
                tch::no_grad(|| {
                    var.set_data(&Tensor::empty(var.size(), (Kind::Half, var.device())))
                });
            }
        }
        Ok(())
    }

    /// Loads `dir`, optionally replacing `id2label` (for fine-tuning a base encoder), and
    /// returns the names of variables that were not in the checkpoint.
    pub fn load_with(
        dir: &Path,
        device: Device,
        weights: Weights,
        id2label: Option<&LabelMap>,
    ) -> Result<(Model, Vec<String>)> {
        if !dir.is_dir() {
            return Err(SentirError::model(dir, "no such directory"));
        }
        for f in REQUIRED_FILES {
            if !dir.join(f).is_file() {
                return Err(SentirError::model(dir, format!("{f} is missing")));
            }
        }
        let config = read_config(&dir.join("config.json"), id2label)
            .map_err(|e| SentirError::model(dir, e))?;
        let labels =
            LabelMap::from_id2label(&config.id2label).map_err(|e| SentirError::model(dir, e))?;
        let vs = nn::VarStore::new(device);
        let net = build(&vs.root(), &config).map_err(|e| SentirError::model(dir, e))?;
        let prefix = config.arch.base_prefix(&config.model_type);
        if weights == Weights::Complete {
            Model::keep_half_word_embeddings(&vs, &dir.join("model.safetensors"), prefix)
                .map_err(|e| SentirError::model(dir, format!("model.safetensors: {e}")))?;
        }
        let missing = weights::load(
            &vs,
            &dir.join("model.safetensors"),
            prefix,
            weights == Weights::AllowMissing,
        )
        .map_err(|e| SentirError::model(dir, format!("model.safetensors: {e}")))?;
        Ok((
            Model {
                net,
                vs,
                config,
                labels,
                dir: dir.to_path_buf(),
            },
            missing,
        ))
    }

    /// Loads `dir` for inference at `precision`.
    pub fn load_with_precision(dir: &Path, device: Device, precision: Precision) -> Result<Model> {
        let mut model = Model::load(dir, device)?;
        if precision == Precision::Int8 {
            model.quantize_int8()?;
        }
        Ok(model)
    }

    /// Switches the encoder to int8 dynamic quantization (fbgemm; CPU only, inference only).
    pub fn quantize_int8(&mut self) -> Result<()> {
        if self.device() != Device::Cpu {
            return Err(SentirError::Usage(
                "--precision int8 runs on the CPU only (use --device cpu)".into(),
            ));
        }
        let probe = Tensor::zeros([8, 8], (Kind::Int8, Device::Cpu));
        if probe.f_fbgemm_pack_quantized_matrix().is_err() {
            return Err(SentirError::model(
                &self.dir,
                "int8 needs libtorch built with FBGEMM (x86-64 CPUs with AVX2)",
            ));
        }
        self.net
            .quantize_int8()
            .map_err(|e| SentirError::model(&self.dir, e))
    }

    /// Raw logits `[batch, classes]` for a padded batch with its attention mask.
    pub fn logits(&self, input_ids: &Tensor, mask: &Tensor, train: bool) -> Tensor {
        self.net.logits(input_ids, mask, train)
    }

    /// Aggregated [p_negative, p_neutral, p_positive] per row, in inference mode.
    pub fn predict_probs(&self, input_ids: &Tensor, mask: &Tensor) -> Vec<[f32; 3]> {
        let probs = tch::no_grad(|| {
            self.logits(input_ids, mask, false)
                .to_kind(Kind::Float)
                .softmax(-1, Kind::Float)
                .to_device(Device::Cpu)
        });
        let n = self.labels.len();
        let flat: Vec<f32> = Vec::<f32>::try_from(probs.flatten(0, -1)).unwrap_or_default();
        flat.chunks(n).map(|p| self.labels.aggregate(p)).collect()
    }

    /// The model's config.
    pub fn config(&self) -> &ModelConfig {
        &self.config
    }

    /// How model classes map to sentiments.
    pub fn labels(&self) -> &LabelMap {
        &self.labels
    }

    /// The weights (for training and saving).
    pub fn var_store(&self) -> &nn::VarStore {
        &self.vs
    }

    /// Mutable weights (for freezing, dtype changes).
    pub fn var_store_mut(&mut self) -> &mut nn::VarStore {
        &mut self.vs
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

fn build(p: &nn::Path, config: &ModelConfig) -> Result<Box<dyn SequenceClassifier>, String> {
    let err = |e: rust_bert::RustBertError| e.to_string();
    Ok(match config.arch {
        Architecture::Bert => {
            let c = config.to_rust_bert()?;
            Box::new(rust_bert::bert::BertForSequenceClassification::new(p, &c).map_err(err)?)
        }
        Architecture::Roberta => {
            let c = config.to_rust_bert()?;
            Box::new(arch::Roberta {
                net: rust_bert::roberta::RobertaForSequenceClassification::new(p, &c)
                    .map_err(err)?,
                pad: config.pad_token_id,
            })
        }
        Architecture::DistilBert => {
            let c = config.to_rust_bert()?;
            Box::new(rust_bert::distilbert::DistilBertModelClassifier::new(p, &c).map_err(err)?)
        }
    })
}

/// Reads config.json; with `labels`, its classes become `labels`' sentiments (for training
/// a new head on a base encoder).
fn read_config(path: &Path, labels: Option<&LabelMap>) -> Result<ModelConfig, String> {
    let Some(map) = labels else {
        return ModelConfig::from_file(path);
    };
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut raw: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| format!("{}: invalid JSON: {e}", path.display()))?;
    let obj = raw
        .as_object_mut()
        .ok_or("config.json is not a JSON object")?;
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
