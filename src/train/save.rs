//! Writing a trained model as an HF-format directory.

use super::TrainLog;
use crate::error::{Result, SentirError};
use crate::eval::Metrics;
use crate::io::atomic::TempDir;
use crate::model::{heads, weights, Model};
use crate::sentiment::Sentiment;
use crate::tokenize::TextEncoder;
use std::path::Path;
use tch::{Device, Tensor};

/// Writes an HF-format directory: config.json (with id2label), tokenizer.json,
/// model.safetensors (fp32, transformers names), training.json.
pub fn save_model(
    model: &Model,
    encoder: &TextEncoder,
    out: &Path,
    log: &TrainLog,
    val: &Metrics,
) -> Result<()> {
    let tmp = TempDir::beside(out)?;
    let mut tensors: Vec<(String, Tensor)> = model
        .var_store()
        .variables()
        .into_iter()
        .filter(|(k, _)| !k.starts_with(heads::VAR_PREFIX))
        .map(|(k, v)| (k, v.detach().to_device(Device::Cpu)))
        .collect();
    weights::save(&mut tensors, &tmp.path().join("model.safetensors"))?;
    model.heads().save(model.var_store(), tmp.path())?;
    write_config(model, tmp.path())?;
    encoder
        .tokenizer()
        .save(tmp.path().join("tokenizer.json"), false)
        .map_err(|e| SentirError::Other(format!("cannot save tokenizer: {e}")))?;
    let mut log = log.clone();
    log.best_val_macro_f1 = val.macro_f1;
    let json = serde_json::to_vec_pretty(&log).expect("log serializes");
    std::fs::write(tmp.path().join("training.json"), json)
        .map_err(|e| SentirError::io(tmp.path(), e))?;
    tmp.persist(out)
}

/// Writes config.json for a 3-class sequence classifier built from `model`'s config.
pub fn write_config(model: &Model, dir: &Path) -> Result<()> {
    let mut raw = model.config().raw.clone();
    let arch = match model.config().arch {
        crate::model::config::Architecture::Bert => "BertForSequenceClassification",
        crate::model::config::Architecture::DistilBert => "DistilBertForSequenceClassification",
        crate::model::config::Architecture::Roberta => match model.config().model_type.as_str() {
            "xlm-roberta" => "XLMRobertaForSequenceClassification",
            _ => "RobertaForSequenceClassification",
        },
    };
    let obj = raw.as_object_mut().expect("config is an object");
    obj.insert("architectures".into(), serde_json::json!([arch]));
    let label2id: serde_json::Map<String, serde_json::Value> = Sentiment::ALL
        .iter()
        .map(|s| (s.as_str().to_string(), (s.index() as u64).into()))
        .collect();
    obj.insert("label2id".into(), label2id.into());
    obj.insert("problem_type".into(), "single_label_classification".into());
    obj.remove("num_labels");
    let text = serde_json::to_string_pretty(&raw).expect("config serializes") + "\n";
    std::fs::write(dir.join("config.json"), text)
        .map_err(|e| SentirError::io(dir.join("config.json"), e))
}
