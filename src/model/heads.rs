//! Extra heads beside the sentiment classifier: `reason` (why the buyer writes) and `mixed`
//! (real praise and a real complaint in one text). Both read [`FEATURES`] of the same
//! forward pass as the sentiment classifier.
//!
//! They are stored beside the Hugging Face checkpoint, which stays a plain
//! sequence-classification model for transformers: `heads.safetensors` (`reason.weight`
//! `[9, 2 × hidden]`, `reason.bias`, `mixed.weight` `[2, 2 × hidden]`, `mixed.bias`) and `heads.json`
//! (the label list of each head). A model directory without them has no extra heads.

use super::error::{Context, ModelError};
use super::weights;
use serde::{Deserialize, Serialize};
use std::path::Path;
use tch::{nn, TchError, Tensor};

/// The reasons, in head order: the same names in the corpus, the output and the report.
pub const REASONS: [&str; 9] = [
    "delivery",
    "damaged",
    "wrong_item",
    "return_refund",
    "fit_description",
    "billing",
    "product_question",
    "praise",
    "other",
];

/// The `mixed` head's classes.
const MIXED_LABELS: [&str; 2] = ["false", "true"];

/// Tensor file of the extra heads.
pub const HEADS_WEIGHTS: &str = "heads.safetensors";
/// Label lists of the extra heads.
pub const HEADS_CONFIG: &str = "heads.json";
/// Variable-store path of the heads (kept out of `model.safetensors`).
pub const VAR_PREFIX: &str = "sentir_heads";
const FORMAT: &str = "sentir-heads/1";
/// The heads' input: the BERT pooler output (what the sentiment classifier reads) and the
/// masked mean over the tokens of the last layer's input, concatenated (`2 × hidden`).
pub const FEATURES: &str = "pooler_output+mean_penultimate";
/// Optimizer parameter group of the heads' variables (training gives them their own rate).
pub const GROUP: usize = 1;

/// The index of a reason name (exact, lower case).
pub fn reason_index(name: &str) -> Option<usize> {
    REASONS.iter().position(|r| *r == name)
}

#[derive(Debug, Serialize, Deserialize)]
struct HeadsFile {
    format: String,
    /// What the heads read: [`FEATURES`].
    features: String,
    reason: Option<HeadSpec>,
    mixed: Option<HeadSpec>,
}

#[derive(Debug, Serialize, Deserialize)]
struct HeadSpec {
    labels: Vec<String>,
}

/// Which extra heads a model has.
pub struct Heads {
    /// `[features] → 9` reason logits.
    pub reason: Option<nn::Linear>,
    /// `[features] → 2` mixed logits (false, true).
    pub mixed: Option<nn::Linear>,
}

impl Heads {
    /// No extra heads.
    pub fn none() -> Heads {
        Heads {
            reason: None,
            mixed: None,
        }
    }

    /// Whether any head is present.
    pub fn any(&self) -> bool {
        self.reason.is_some() || self.mixed.is_some()
    }

    /// Adds the heads asked for that are missing, randomly initialised, under [`VAR_PREFIX`];
    /// `width` is the features' size.
    pub fn add_missing(
        &mut self,
        vs: &nn::VarStore,
        width: i64,
        reason: bool,
        mixed: bool,
    ) -> Result<(), TchError> {
        let p = (vs.root() / VAR_PREFIX).set_group(GROUP);
        if reason && self.reason.is_none() {
            self.reason = Some(linear(&(&p / "reason"), width, REASONS.len() as i64)?);
        }
        if mixed && self.mixed.is_none() {
            self.mixed = Some(linear(&(&p / "mixed"), width, 2)?);
        }
        Ok(())
    }

    /// Loads the heads of `dir` into `vs` when `heads.json` is there; none otherwise.
    pub fn load(dir: &Path, vs: &nn::VarStore, width: i64) -> Result<Heads, ModelError> {
        let cfg_path = dir.join(HEADS_CONFIG);
        if !cfg_path.is_file() {
            return Ok(Heads::none());
        }
        let text =
            std::fs::read_to_string(&cfg_path).map_err(|e| ModelError::io(HEADS_CONFIG, e))?;
        let cfg = parse_heads_file(&text).context(HEADS_CONFIG)?;
        let mut heads = Heads::none();
        heads.add_missing(vs, width, cfg.reason.is_some(), cfg.mixed.is_some())?;
        let file = dir.join(HEADS_WEIGHTS);
        let header = weights::read_header(&file).context(HEADS_WEIGHTS)?;
        let vars: Vec<(String, Tensor)> = vs
            .variables()
            .into_iter()
            .filter(|(n, _)| n.starts_with(VAR_PREFIX))
            .collect();
        weights::load_vars(vars, &file, &header, VAR_PREFIX, false).context(HEADS_WEIGHTS)?;
        Ok(heads)
    }

    /// Writes `heads.safetensors` and `heads.json` into `dir` (nothing without heads).
    pub fn save(&self, vs: &nn::VarStore, dir: &Path) -> Result<(), ModelError> {
        if !self.any() {
            return Ok(());
        }
        let strip = format!("{VAR_PREFIX}.");
        let mut tensors = Vec::new();
        for (n, t) in vs.variables() {
            if let Some(s) = n.strip_prefix(&strip) {
                tensors.push((s.to_string(), t.f_detach()?));
            }
        }
        weights::save(&mut tensors, &dir.join(HEADS_WEIGHTS))?;
        let spec = |labels: &[&str]| HeadSpec {
            labels: labels.iter().map(|s| s.to_string()).collect(),
        };
        let cfg = HeadsFile {
            format: FORMAT.into(),
            features: FEATURES.into(),
            reason: self.reason.as_ref().map(|_| spec(&REASONS)),
            mixed: self.mixed.as_ref().map(|_| spec(&MIXED_LABELS)),
        };
        let text = serde_json::to_string_pretty(&cfg).expect("heads config serializes") + "\n";
        std::fs::write(dir.join(HEADS_CONFIG), text).map_err(|e| ModelError::io(HEADS_CONFIG, e))
    }
}

/// `nn::linear` with its default initialisation (bias drawn first, as there), failing with
/// libtorch's error instead of panicking.
fn linear(p: &nn::Path, in_dim: i64, out_dim: i64) -> Result<nn::Linear, TchError> {
    let bound = 1.0 / (in_dim as f64).sqrt();
    let uniform = nn::Init::Uniform {
        lo: -bound,
        up: bound,
    };
    let bs = p.f_var("bias", &[out_dim], uniform)?;
    let ws = p.f_var(
        "weight",
        &[out_dim, in_dim],
        nn::init::DEFAULT_KAIMING_UNIFORM,
    )?;
    Ok(nn::Linear { ws, bs: Some(bs) })
}

/// Parses and checks the text of `heads.json`.
fn parse_heads_file(text: &str) -> Result<HeadsFile, ModelError> {
    let cfg: HeadsFile =
        serde_json::from_str(text).map_err(|e| ModelError::Config(e.to_string()))?;
    if cfg.format != FORMAT || cfg.features != FEATURES {
        return Err(ModelError::Config(format!(
            "format {:?} with features {:?} is not {FORMAT:?} on {FEATURES}",
            cfg.format, cfg.features
        )));
    }
    check_labels("reason", cfg.reason.as_ref(), &REASONS)?;
    check_labels("mixed", cfg.mixed.as_ref(), &MIXED_LABELS)?;
    Ok(cfg)
}

fn check_labels(name: &str, spec: Option<&HeadSpec>, want: &[&str]) -> Result<(), ModelError> {
    match spec {
        Some(s) if s.labels.iter().map(String::as_str).ne(want.iter().copied()) => {
            Err(ModelError::Config(format!(
                "the {name} labels are {:?}, sentir knows {want:?}",
                s.labels
            )))
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tch::Device;

    #[test]
    fn heads_round_trip_through_their_files() {
        let dir = tempfile::tempdir().unwrap();
        let vs = nn::VarStore::new(Device::Cpu);
        let mut h = Heads::none();
        h.add_missing(&vs, 8, true, true).unwrap();
        h.save(&vs, dir.path()).unwrap();
        let vs2 = nn::VarStore::new(Device::Cpu);
        let h2 = Heads::load(dir.path(), &vs2, 8).unwrap();
        assert!(h2.reason.is_some() && h2.mixed.is_some());
        let a = &h.reason.as_ref().unwrap().ws;
        let b = &h2.reason.as_ref().unwrap().ws;
        assert!(a.allclose(b, 0.0, 0.0, false));
        // Another label list is refused with both lists in the message.
        let text = std::fs::read_to_string(dir.path().join(HEADS_CONFIG)).unwrap();
        std::fs::write(
            dir.path().join(HEADS_CONFIG),
            text.replace("\"billing\"", "\"invoices\""),
        )
        .unwrap();
        let vs3 = nn::VarStore::new(Device::Cpu);
        let e = Heads::load(dir.path(), &vs3, 8).err().unwrap().to_string();
        assert!(e.contains("invoices") && e.contains("billing"), "{e}");
    }

    #[test]
    fn a_directory_without_heads_has_none() {
        let dir = tempfile::tempdir().unwrap();
        let vs = nn::VarStore::new(Device::Cpu);
        assert!(!Heads::load(dir.path(), &vs, 8).unwrap().any());
        assert_eq!(reason_index("billing"), Some(5));
        assert_eq!(reason_index("Billing"), None);
    }
}
