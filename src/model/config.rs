//! Reading a Hugging Face `config.json` into what sentir needs and what rust-bert accepts.

use super::error::ModelError;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::path::Path;

/// The encoder families sentir runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Architecture {
    /// `bert` (also multilingual-e5, which is a BERT).
    Bert,
    /// `distilbert`.
    DistilBert,
    /// `roberta`, `xlm-roberta`, `camembert`.
    Roberta,
}

impl Architecture {
    /// The architecture for a config's `model_type`.
    fn from_model_type(t: &str) -> Option<Architecture> {
        match t {
            "bert" => Some(Architecture::Bert),
            "distilbert" => Some(Architecture::DistilBert),
            "roberta" | "xlm-roberta" | "camembert" => Some(Architecture::Roberta),
            _ => None,
        }
    }

    /// Prefix of the encoder weights in an HF sequence-classification checkpoint.
    pub fn base_prefix(self) -> &'static str {
        match self {
            Architecture::Bert => "bert",
            Architecture::DistilBert => "distilbert",
            Architecture::Roberta => "roberta",
        }
    }
}

/// The parts of `config.json` sentir uses, plus the raw JSON for rust-bert.
#[derive(Clone, Debug)]
pub struct ModelConfig {
    /// `model_type` as written.
    pub model_type: String,
    /// Encoder family.
    pub arch: Architecture,
    /// Class index → label name.
    pub id2label: BTreeMap<usize, String>,
    /// Token id used for padding.
    pub pad_token_id: i64,
    /// Longest input (in tokens, special tokens included) the position table allows.
    pub max_input_tokens: usize,
    /// The full JSON, with the defaults rust-bert requires filled in.
    pub raw: Value,
}

impl ModelConfig {
    /// Reads and checks `config.json`.
    pub fn from_file(path: &Path) -> Result<ModelConfig, ModelError> {
        ModelConfig::from_value(read_json(path)?)
    }

    /// Checks a parsed `config.json`.
    pub fn from_value(mut value: Value) -> Result<ModelConfig, ModelError> {
        let obj = as_object(&mut value)?;
        let model_type = obj
            .get("model_type")
            .and_then(Value::as_str)
            .ok_or_else(|| config("config.json has no model_type"))?
            .to_string();
        let arch = Architecture::from_model_type(&model_type)
            .ok_or_else(|| ModelError::UnsupportedArchitecture(model_type.clone()))?;
        let id2label = parse_id2label(obj)?;
        let pad_token_id = obj
            .get("pad_token_id")
            .and_then(Value::as_i64)
            .unwrap_or(match arch {
                Architecture::Roberta => 1,
                _ => 0,
            });
        let max_pos = obj
            .get("max_position_embeddings")
            .and_then(Value::as_u64)
            .unwrap_or(512) as usize;
        // RoBERTa-style positions start at padding_idx + 1, so 514 positions hold 512 tokens.
        let max_input_tokens = match arch {
            Architecture::Roberta => max_pos.saturating_sub(pad_token_id as usize + 1),
            _ => max_pos,
        };
        if max_input_tokens < 3 {
            return Err(config(format!(
                "max_position_embeddings {max_pos} is too small"
            )));
        }
        check_attention_heads(obj, arch)?;
        if arch == Architecture::DistilBert {
            fill_distilbert_defaults(obj);
        }
        // rust-bert wants id2label keyed by integers; keep the canonical form.
        let canonical: Map<String, Value> = id2label
            .iter()
            .map(|(k, v)| (k.to_string(), Value::String(v.clone())))
            .collect();
        obj.insert("id2label".into(), Value::Object(canonical));
        obj.remove("label2id");
        Ok(ModelConfig {
            model_type,
            arch,
            id2label,
            pad_token_id,
            max_input_tokens,
            raw: value,
        })
    }

    /// The config as a rust-bert config struct.
    pub fn to_rust_bert<T: serde::de::DeserializeOwned>(&self) -> Result<T, ModelError> {
        serde_json::from_value(self.raw.clone()).map_err(ModelError::RustBertConfig)
    }
}

/// Reads a JSON file (`config.json`).
pub(super) fn read_json(path: &Path) -> Result<Value, ModelError> {
    let text = std::fs::read_to_string(path).map_err(|e| ModelError::io(path, e))?;
    serde_json::from_str(&text).map_err(|source| ModelError::Json {
        path: path.to_path_buf(),
        source,
    })
}

/// The top-level object of a parsed `config.json`.
pub(super) fn as_object(value: &mut Value) -> Result<&mut Map<String, Value>, ModelError> {
    value
        .as_object_mut()
        .ok_or_else(|| config("config.json is not a JSON object"))
}

fn config(reason: impl Into<String>) -> ModelError {
    ModelError::Config(reason.into())
}

fn parse_id2label(obj: &Map<String, Value>) -> Result<BTreeMap<usize, String>, ModelError> {
    let mut out = BTreeMap::new();
    match obj.get("id2label") {
        Some(Value::Object(m)) => {
            for (k, v) in m {
                let i: usize = k
                    .parse()
                    .map_err(|_| config(format!("id2label key {k:?} is not a class index")))?;
                let name = v
                    .as_str()
                    .ok_or_else(|| config(format!("id2label[{k}] is not a string")))?;
                out.insert(i, name.to_string());
            }
        }
        Some(_) => return Err(config("id2label is not an object")),
        None => {
            let n = obj
                .get("num_labels")
                .and_then(Value::as_u64)
                .ok_or_else(|| {
                    config(
                        "config.json has neither id2label nor num_labels: not a classification model",
                    )
                })?;
            for i in 0..n as usize {
                out.insert(i, format!("LABEL_{i}"));
            }
        }
    }
    Ok(out)
}

/// The hidden size must split evenly over the attention heads (rust-bert asserts it, which
/// would be a panic).
fn check_attention_heads(obj: &Map<String, Value>, arch: Architecture) -> Result<(), ModelError> {
    let (hidden, heads) = match arch {
        Architecture::DistilBert => ("dim", "n_heads"),
        _ => ("hidden_size", "num_attention_heads"),
    };
    let get = |k: &str| obj.get(k).and_then(Value::as_i64);
    match (get(hidden), get(heads)) {
        (Some(h), Some(n)) if n <= 0 || h % n != 0 => Err(config(format!(
            "{hidden} {h} is not a multiple of {heads} {n}"
        ))),
        _ => Ok(()),
    }
}

/// rust-bert's `DistilBertConfig` requires fields that current HF config files no longer have.
fn fill_distilbert_defaults(obj: &mut Map<String, Value>) {
    let defaults = [
        ("activation", Value::from("gelu")),
        ("attention_dropout", Value::from(0.1)),
        ("dropout", Value::from(0.1)),
        ("initializer_range", Value::from(0.02)),
        ("max_position_embeddings", Value::from(512)),
        ("qa_dropout", Value::from(0.1)),
        ("seq_classif_dropout", Value::from(0.2)),
        ("sinusoidal_pos_embds", Value::from(false)),
        ("tie_weights_", Value::from(true)),
    ];
    for (k, v) in defaults {
        obj.entry(k).or_insert(v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn xlmr_positions_are_capped_at_512() {
        let c = ModelConfig::from_value(json!({
            "model_type": "xlm-roberta", "max_position_embeddings": 514, "pad_token_id": 1,
            "id2label": {"0": "negative", "1": "neutral", "2": "positive"}
        }))
        .unwrap();
        assert_eq!(c.arch, Architecture::Roberta);
        assert_eq!(c.max_input_tokens, 512);
        assert_eq!(c.pad_token_id, 1);
    }

    #[test]
    fn num_labels_without_id2label() {
        let c = ModelConfig::from_value(json!({"model_type": "bert", "num_labels": 2})).unwrap();
        assert_eq!(c.id2label.get(&1).unwrap(), "LABEL_1");
        assert_eq!(c.max_input_tokens, 512);
    }

    #[test]
    fn unsupported_and_unlabelled_models_are_rejected() {
        assert!(ModelConfig::from_value(json!({"model_type": "gpt2", "num_labels": 2})).is_err());
        let e = ModelConfig::from_value(json!({"model_type": "bert"}))
            .unwrap_err()
            .to_string();
        assert!(e.contains("not a classification model"), "{e}");
    }

    #[test]
    fn hidden_size_must_split_over_the_heads() {
        let e = ModelConfig::from_value(json!({
            "model_type": "bert", "num_labels": 3, "hidden_size": 256, "num_attention_heads": 12
        }))
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "hidden_size 256 is not a multiple of num_attention_heads 12"
        );
    }

    #[test]
    fn distilbert_gets_rust_bert_defaults() {
        let c = ModelConfig::from_value(json!({
            "model_type": "distilbert", "dim": 32, "hidden_dim": 64, "n_heads": 4, "n_layers": 2,
            "vocab_size": 100, "id2label": {"0": "NEGATIVE", "1": "POSITIVE"}
        }))
        .unwrap();
        let r: rust_bert::distilbert::DistilBertConfig = c.to_rust_bert().unwrap();
        assert_eq!(r.dim, 32);
    }
}
