//! The model: loading an HF checkpoint directory, label mapping, inference.

pub mod arch;
pub mod config;
pub mod e5;
pub mod heads;
pub mod labels;
pub mod pack;
pub mod weights;

use crate::error::{Result, SentirError};
use arch::SequenceClassifier;
use config::{Architecture, ModelConfig};
use heads::Heads;
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
    heads: Heads,
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
    /// Missing variables, and variables whose stored shape differs (a classifier head with
    /// another label count), keep their random initialisation; their names are returned.
    AllowMissing,
}

impl Model {
    /// Loads `dir` (config.json, tokenizer.json, model.safetensors) for inference; word
    /// embeddings stored as fp16 stay fp16 (see `allocate_word_embeddings`).
    pub fn load(dir: &Path, device: Device) -> Result<Model> {
        Ok(Model::load_with(dir, device, Weights::Complete, None)?.0)
    }

    /// Gives the word-embedding table its real storage, uninitialised, in the file's kind
    /// (fp16 stays fp16: a lookup table needs no fp32 arithmetic, and for a 250k-token
    /// vocabulary that saves 190 MB). The network is built with a one-row placeholder table
    /// (see [`placeholder_vocab`]), so the full table is never randomly initialised.
    fn allocate_word_embeddings(
        vs: &nn::VarStore,
        header: &std::collections::HashMap<String, weights::TensorInfo>,
        prefix: &str,
    ) -> Result<(), String> {
        for (name, mut var) in vs.variables() {
            if !name.ends_with("word_embeddings.weight") {
                continue;
            }
            let info = weights::lookup(header, &name, prefix)
                .ok_or_else(|| format!("weights missing: {name}"))?;
            let width = var.size().last().copied();
            if info.shape.len() != 2 || info.shape.last().copied() != width {
                return Err(format!(
                    "{name}: shape {:?} in the file, [vocab, {}] in the model",
                    info.shape,
                    width.unwrap_or(0)
                ));
            }
            let kind = if info.kind == Kind::Half {
                Kind::Half
            } else {
                var.kind()
            };
            tch::no_grad(|| {
                var.set_data(&Tensor::empty(info.shape.as_slice(), (kind, var.device())))
            });
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
        let prefix = config.arch.base_prefix(&config.model_type);
        let file = dir.join("model.safetensors");
        let in_file = |e: String| SentirError::model(dir, format!("model.safetensors: {e}"));
        let header = weights::read_header(&file).map_err(in_file)?;
        let net = if weights == Weights::Complete {
            let net = build(&vs.root(), &placeholder_vocab(&config))
                .map_err(|e| SentirError::model(dir, e))?;
            Model::allocate_word_embeddings(&vs, &header, prefix).map_err(in_file)?;
            net
        } else {
            build(&vs.root(), &config).map_err(|e| SentirError::model(dir, e))?
        };
        let allow_missing = weights == Weights::AllowMissing;
        let missing = weights::load(&vs, &file, &header, prefix, allow_missing).map_err(in_file)?;
        let heads = if config.arch == Architecture::Bert {
            Heads::load(dir, &vs, 2 * hidden_size(&config))
                .map_err(|e| SentirError::model(dir, e))?
        } else {
            Heads::none()
        };
        let mut net = net;
        net.set_head_features(heads.any());
        Ok((
            Model {
                net,
                heads,
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

    /// Switches the encoder to int8 dynamic quantization (CPU only, inference only).
    pub fn quantize_int8(&mut self) -> Result<()> {
        if self.device() != Device::Cpu {
            return Err(SentirError::Usage(
                "--precision int8 runs on the CPU only (use --device cpu)".into(),
            ));
        }
        let probe = Tensor::zeros([1, 8], (Kind::Int8, Device::Cpu));
        if probe
            .f_internal_int_mm(&Tensor::zeros([8, 8], (Kind::Int8, Device::Cpu)))
            .is_err()
        {
            return Err(SentirError::model(
                &self.dir,
                "this libtorch has no int8 matrix product (_int_mm)",
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

    /// Sentiment logits and the extra heads' logits in one forward pass.
    pub fn forward(&self, input_ids: &Tensor, mask: &Tensor, train: bool) -> Result<Outputs> {
        let fail = |e: String| SentirError::model(&self.dir, e);
        if !self.heads.any() {
            let (sentiment, _) = self.net.forward(input_ids, mask, train).map_err(fail)?;
            return Ok(Outputs {
                sentiment,
                reason: None,
                mixed: None,
            });
        }
        let (sentiment, features) = self.net.forward(input_ids, mask, train).map_err(fail)?;
        let features = features.ok_or_else(|| fail("no pooled features for the heads".into()))?;
        let features = features
            .f_dropout(HEAD_DROPOUT, train)
            .map_err(|e| fail(e.to_string()))?;
        let apply = |h: &Option<nn::Linear>| h.as_ref().map(|l| features.apply(l));
        Ok(Outputs {
            sentiment,
            reason: apply(&self.heads.reason),
            mixed: apply(&self.heads.mixed),
        })
    }

    /// Every head's probabilities per row, in inference mode (sentiment aggregated to
    /// [p_negative, p_neutral, p_positive]).
    pub fn predict(&self, input_ids: &Tensor, mask: &Tensor) -> Result<Vec<Scores>> {
        // rust-bert's layers use tch's panicking methods: a libtorch error inside them is a
        // panic, turned here into an error (exit 1 with libtorch's reason, not a crash).
        let forward =
            std::panic::AssertUnwindSafe(|| tch::no_grad(|| self.forward(input_ids, mask, false)));
        let out = std::panic::catch_unwind(forward).map_err(|payload| {
            SentirError::Other(format!(
                "model {}: libtorch failed: {}",
                self.dir.display(),
                panic_message(payload.as_ref())
            ))
        })??;
        let fail = |e: tch::TchError| SentirError::model(&self.dir, e.to_string());
        let rows = |t: &Tensor| -> Result<Vec<Vec<f32>>> {
            let p = t
                .f_to_kind(Kind::Float)
                .and_then(|t| t.f_softmax(-1, Kind::Float))
                .and_then(|t| t.f_to_device(Device::Cpu))
                .map_err(fail)?;
            let n = p.size().last().copied().unwrap_or(1).max(1) as usize;
            let flat = Vec::<f32>::try_from(p.flatten(0, -1)).map_err(fail)?;
            Ok(flat.chunks(n).map(<[f32]>::to_vec).collect())
        };
        let sentiment = rows(&out.sentiment)?;
        let reason = out.reason.as_ref().map(rows).transpose()?;
        let mixed = out.mixed.as_ref().map(rows).transpose()?;
        Ok(sentiment
            .iter()
            .enumerate()
            .map(|(i, p)| Scores {
                probs: self.labels.aggregate(p),
                reason: reason.as_ref().map(|r| {
                    let mut a = [0f32; heads::REASONS.len()];
                    a.copy_from_slice(&r[i][..heads::REASONS.len()]);
                    a
                }),
                mixed: mixed.as_ref().map(|m| m[i][1]),
                chunks_disagree: false,
            })
            .collect())
    }

    /// Aggregated [p_negative, p_neutral, p_positive] per row, in inference mode.
    pub fn predict_probs(&self, input_ids: &Tensor, mask: &Tensor) -> Result<Vec<[f32; 3]>> {
        Ok(self
            .predict(input_ids, mask)?
            .into_iter()
            .map(|s| s.probs)
            .collect())
    }

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
        let width = 2 * hidden_size(&self.config);
        self.heads.add_missing(&self.vs, width, reason, mixed);
        self.net.set_head_features(self.heads.any());
        Ok(())
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

/// Dropout on the pooled features before the extra heads (as before the classifier).
const HEAD_DROPOUT: f64 = 0.1;

/// What one forward pass gives: `[batch, classes]` logits of each head the model has.
pub struct Outputs {
    /// Sentiment classifier logits (the model's own classes).
    pub sentiment: Tensor,
    /// Reason logits, in [`heads::REASONS`] order.
    pub reason: Option<Tensor>,
    /// Mixed logits (false, true).
    pub mixed: Option<Tensor>,
}

/// One row's probabilities from every head.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Scores {
    /// [p_negative, p_neutral, p_positive].
    pub probs: [f32; 3],
    /// Reason probabilities, in [`heads::REASONS`] order (models with a reason head).
    pub reason: Option<[f32; heads::REASONS.len()]>,
    /// Probability that the text is mixed (models with a mixed head).
    pub mixed: Option<f32>,
    /// A text read in chunks whose chunks disagree: one says negative, another positive.
    pub chunks_disagree: bool,
}

impl Scores {
    /// One text's scores from its chunks' scores, each weighted by its token count.
    pub fn combine(parts: &[(Scores, usize)]) -> Scores {
        if let [(one, _)] = parts {
            return *one;
        }
        let total: f32 = parts.iter().map(|(_, n)| *n as f32).sum::<f32>().max(1.0);
        let mut out = Scores {
            probs: [0.0; 3],
            reason: parts[0].0.reason.map(|_| [0.0; heads::REASONS.len()]),
            mixed: parts[0].0.mixed.map(|_| 0.0),
            chunks_disagree: false,
        };
        let (mut neg, mut pos) = (false, false);
        for (s, n) in parts {
            let w = *n as f32 / total;
            for k in 0..3 {
                out.probs[k] += w * s.probs[k];
            }
            if let (Some(o), Some(r)) = (out.reason.as_mut(), s.reason) {
                for k in 0..o.len() {
                    o[k] += w * r[k];
                }
            }
            if let (Some(o), Some(m)) = (out.mixed.as_mut(), s.mixed) {
                *o += w * m;
            }
            let best = (0..3).fold(0, |b, k| if s.probs[k] > s.probs[b] { k } else { b });
            neg |= best == 0;
            pos |= best == 2;
        }
        out.chunks_disagree = neg && pos;
        out
    }
}

fn hidden_size(config: &ModelConfig) -> i64 {
    config.raw["hidden_size"].as_i64().unwrap_or(768)
}

fn build(p: &nn::Path, config: &ModelConfig) -> Result<Box<dyn SequenceClassifier>, String> {
    let err = |e: rust_bert::RustBertError| e.to_string();
    Ok(match config.arch {
        // The heads read the first position only, so at inference the last layer computes
        // just that position (vendored patch 5: same logits, ≈7% fewer FLOPs for 12 layers).
        Architecture::Bert => {
            let c = config.to_rust_bert()?;
            let mut net =
                rust_bert::bert::BertForSequenceClassification::new(p, &c).map_err(err)?;
            net.set_first_token_only(true);
            Box::new(net)
        }
        Architecture::Roberta => {
            let c = config.to_rust_bert()?;
            let mut net =
                rust_bert::roberta::RobertaForSequenceClassification::new(p, &c).map_err(err)?;
            net.set_first_token_only(true);
            Box::new(arch::Roberta {
                net,
                pad: config.pad_token_id,
            })
        }
        Architecture::DistilBert => {
            let c = config.to_rust_bert()?;
            Box::new(rust_bert::distilbert::DistilBertModelClassifier::new(p, &c).map_err(err)?)
        }
    })
}

/// `config` with a one-token vocabulary: the network is built with a placeholder word-embedding
/// table that [`Model::allocate_word_embeddings`] replaces before the weights are copied in.
fn placeholder_vocab(config: &ModelConfig) -> ModelConfig {
    let mut c = config.clone();
    if let Some(obj) = c.raw.as_object_mut() {
        obj.insert("vocab_size".into(), 1.into());
    }
    c
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

/// The text a panic was raised with (`""` when it is not a string).
pub fn panic_text(payload: &(dyn std::any::Any + Send)) -> &str {
    payload
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| payload.downcast_ref::<&str>().copied())
        .unwrap_or("")
}

/// Whether a panic is tch's report of a libtorch error (which inference turns into an error).
pub fn is_libtorch_panic(payload: &(dyn std::any::Any + Send)) -> bool {
    panic_text(payload).contains("Torch(\"")
}

/// The message of a caught panic (for tch's panics, libtorch's message).
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    let text = match panic_text(payload) {
        "" => "unknown panic",
        t => t,
    };
    // tch panics with `…: Torch("<libtorch's message>\nException raised from … <C++ frames>")`
    // (escaped): keep libtorch's message.
    if let Some((_, rest)) = text.split_once("Torch(\"") {
        let end = [rest.find("\\n"), rest.find("\")")]
            .into_iter()
            .flatten()
            .min()
            .unwrap_or(rest.len());
        return rest[..end].to_string();
    }
    text.lines().next().unwrap_or(text).to_string()
}
