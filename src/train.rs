//! `sentir train`: fine-tune a sequence classifier with tch autograd (AdamW, linear
//! warm-up then linear decay, dropout on), score macro-F1 on the validation set after each
//! epoch and keep the best epoch as an HF-format directory.

use crate::batch::BatchLimits;
use crate::error::{Result, SentirError};
use crate::eval::{evaluate, Metrics};
use crate::io::atomic::TempDir;
use crate::io::labelled::Example;
use crate::model::labels::LabelMap;
use crate::model::{collate, heads, weights, Coverage, Model};
use crate::sentiment::Sentiment;
use crate::tokenize::{LongText, TextEncoder};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use serde::Serialize;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Instant;
use tch::nn::OptimizerConfig;
use tch::{nn, Device, Kind, Tensor};

/// Training settings.
#[derive(Clone, Debug)]
pub struct TrainConfig {
    /// Base model directory (an encoder, with or without a classification head).
    pub base: PathBuf,
    /// Output directory (replaced atomically by the best epoch).
    pub out: PathBuf,
    /// Passes over the training data (the learning-rate schedule spans them all).
    pub epochs: usize,
    /// Stop after this many epochs, on the schedule of `epochs` (a time-boxed run).
    pub stop_after: Option<usize>,
    /// Peak learning rate.
    pub lr: f64,
    /// Share of steps spent warming up.
    pub warmup: f64,
    /// AdamW weight decay.
    pub weight_decay: f64,
    /// Rows per step.
    pub batch_size: usize,
    /// Longest input in tokens.
    pub max_length: usize,
    /// Seed for initialisation, dropout and shuffling.
    pub seed: u64,
    /// Keep the word embeddings fixed (faster, less memory; the default model does this).
    pub freeze_embeddings: bool,
    /// Gradient norm clip.
    pub clip_norm: f64,
    /// Weight of the reason head's loss (examples with a reason only).
    pub reason_weight: f64,
    /// Weight of the mixed head's loss (examples with a mixed flag only).
    pub mixed_weight: f64,
    /// Learning rate of the extra heads, as a multiple of `lr` (they start from scratch).
    pub head_lr_mult: f64,
    /// Show a progress bar.
    pub progress: bool,
    /// Device.
    pub device: Device,
}

/// One epoch's record in `training.json`.
#[derive(Clone, Debug, Serialize)]
pub struct EpochLog {
    /// 1-based epoch.
    pub epoch: usize,
    /// Mean training loss (sentiment plus the weighted head losses).
    pub train_loss: f64,
    /// Validation macro-F1.
    pub val_macro_f1: f64,
    /// Validation accuracy.
    pub val_accuracy: f64,
    /// Mean macro-F1 over validation groups, when the data has groups.
    pub val_mean_group_macro_f1: Option<f64>,
    /// Seconds spent in the epoch (training and validation).
    pub seconds: f64,
}

/// What a training run produced.
#[derive(Clone, Debug, Serialize)]
pub struct TrainLog {
    /// Settings, as text.
    pub command: String,
    /// Training rows.
    pub train_rows: usize,
    /// Validation rows.
    pub val_rows: usize,
    /// Per-epoch scores.
    pub epochs: Vec<EpochLog>,
    /// The epoch that was kept.
    pub best_epoch: usize,
    /// Its validation macro-F1.
    pub best_val_macro_f1: f64,
}

/// SplitMix64: a small, seedable generator for shuffling.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            v.swap(i, j);
        }
    }
}

/// Batches for one epoch: shuffle, sort pools of 50 batches by length (little padding),
/// cut, then shuffle the batch order.
fn epoch_batches(lengths: &[usize], batch_size: usize, rng: &mut Rng) -> Vec<Vec<usize>> {
    let mut idx: Vec<usize> = (0..lengths.len()).collect();
    rng.shuffle(&mut idx);
    let mut batches = Vec::new();
    for pool in idx.chunks_mut(batch_size * 50) {
        pool.sort_by_key(|&i| lengths[i]);
        batches.extend(pool.chunks(batch_size).map(<[usize]>::to_vec));
    }
    rng.shuffle(&mut batches);
    batches
}

/// Learning rate at `step` of `total`: linear warm-up to `peak`, then linear decay to 0.
pub fn lr_at(step: usize, total: usize, warmup: usize, peak: f64) -> f64 {
    if step < warmup {
        peak * (step + 1) as f64 / warmup as f64
    } else {
        peak * (total - step) as f64 / (total - warmup).max(1) as f64
    }
}

/// Fine-tunes `cfg.base` on `train`, keeps the epoch with the best validation macro-F1.
pub fn train(
    cfg: &TrainConfig,
    train: &[Example],
    val: &[Example],
    command: &str,
) -> Result<TrainLog> {
    if train.is_empty() || val.is_empty() {
        return Err(SentirError::Usage(
            "training and validation sets must not be empty".into(),
        ));
    }
    if cfg.epochs == 0 || cfg.batch_size == 0 || cfg.lr.is_nan() || cfg.lr <= 0.0 {
        return Err(SentirError::Usage(
            "--epochs, --batch-size and --lr must be positive".into(),
        ));
    }
    tch::manual_seed(cfg.seed as i64);
    let (mut model, missing) = Model::load_with(
        &cfg.base,
        cfg.device,
        Coverage::AllowMissing,
        Some(&LabelMap::three_class()),
    )?;
    let prefix = model.config().arch.base_prefix();
    let encoder_missing: Vec<&String> = missing
        .iter()
        .filter(|m| {
            m.starts_with(&format!("{prefix}.embeddings"))
                || m.starts_with(&format!("{prefix}.encoder"))
        })
        .collect();
    if !encoder_missing.is_empty() {
        return Err(SentirError::model(
            &cfg.base,
            format!("encoder weights missing or of another shape: {encoder_missing:?}"),
        ));
    }
    if !missing.is_empty() && cfg.progress {
        eprintln!(
            "sentir: new (randomly initialised) weights: {}",
            missing.join(", ")
        );
    }
    let want_reason = cfg.reason_weight > 0.0 && train.iter().any(|e| e.reason.is_some());
    let want_mixed = cfg.mixed_weight > 0.0 && train.iter().any(|e| e.mixed.is_some());
    let had = (
        model.heads().reason.is_some(),
        model.heads().mixed.is_some(),
    );
    model.add_heads(want_reason, want_mixed)?;
    if cfg.progress && ((want_reason && !had.0) || (want_mixed && !had.1)) {
        eprintln!(
            "sentir: new (randomly initialised) heads:{}{}",
            if want_reason && !had.0 { " reason" } else { "" },
            if want_mixed && !had.1 { " mixed" } else { "" }
        );
    }
    let max_len = cfg.max_length.min(model.config().max_input_tokens);
    let encoder = TextEncoder::from_file(&cfg.base.join("tokenizer.json"), max_len)?;
    let vs = model.var_store();
    if cfg.freeze_embeddings {
        for (name, t) in vs.variables() {
            if name.ends_with("word_embeddings.weight") {
                let _ = t.set_requires_grad(false);
            }
        }
    }
    let (mut trainable, mut frozen) = (0i64, 0i64);
    for t in vs.trainable_variables() {
        if t.requires_grad() {
            trainable += t.numel() as i64;
        } else {
            frozen += t.numel() as i64;
        }
    }
    eprintln!("sentir: {trainable} trainable parameters, {frozen} frozen");
    let mut opt = nn::AdamW {
        wd: cfg.weight_decay,
        ..Default::default()
    }
    .build(vs, cfg.lr)?;

    let ids: Vec<Vec<i64>> = train
        .par_iter()
        .enumerate()
        .map(|(i, e)| {
            encoder
                .encode_head_tail(&e.text)
                .map_err(|m| format!("training example {}: {m}", i + 1))
        })
        .collect::<std::result::Result<_, _>>()
        .map_err(SentirError::Input)?;
    let lengths: Vec<usize> = ids.iter().map(Vec::len).collect();
    let labels: Vec<i64> = train.iter().map(|e| e.label.index() as i64).collect();
    let steps_per_epoch = train.len().div_ceil(cfg.batch_size);
    let total = steps_per_epoch * cfg.epochs;
    let warmup = ((total as f64 * cfg.warmup) as usize).max(1);
    let pad = model.config().pad_token_id;
    let mut rng = Rng(cfg.seed);
    let bar = progress_bar(cfg.progress, total as u64);
    let mut log = TrainLog {
        command: command.to_string(),
        train_rows: train.len(),
        val_rows: val.len(),
        epochs: Vec::new(),
        best_epoch: 0,
        best_val_macro_f1: -1.0,
    };
    let mut step = 0;
    let last_epoch = cfg.stop_after.unwrap_or(cfg.epochs).clamp(1, cfg.epochs);
    for epoch in 1..=last_epoch {
        let t0 = Instant::now();
        let mut loss_sum = 0.0;
        let mut loss_n = 0usize;
        for batch in epoch_batches(&lengths, cfg.batch_size, &mut rng) {
            let seqs: Vec<&[i64]> = batch.iter().map(|&i| ids[i].as_slice()).collect();
            let c = collate(&seqs, pad, cfg.device)?;
            let y = Tensor::from_slice(&batch.iter().map(|&i| labels[i]).collect::<Vec<_>>())
                .to_device(cfg.device);
            let out = model.forward(&c.input_ids, &c.mask, true)?;
            let mut loss = out.sentiment.cross_entropy_for_logits(&y);
            let reasons: Vec<i64> = batch
                .iter()
                .map(|&i| train[i].reason.map_or(IGNORE, |r| r as i64))
                .collect();
            if let (Some(r), true) = (&out.reason, reasons.iter().any(|&t| t != IGNORE)) {
                loss = loss.f_add(&(head_loss(r, &reasons, cfg.device)? * cfg.reason_weight))?;
            }
            let mixed: Vec<i64> = batch
                .iter()
                .map(|&i| train[i].mixed.map_or(IGNORE, i64::from))
                .collect();
            if let (Some(m), true) = (&out.mixed, mixed.iter().any(|&t| t != IGNORE)) {
                loss = loss.f_add(&(head_loss(m, &mixed, cfg.device)? * cfg.mixed_weight))?;
            }
            let lr = lr_at(step, total, warmup, cfg.lr);
            opt.set_lr(lr);
            if model.heads().any() {
                opt.set_lr_group(heads::GROUP, lr * cfg.head_lr_mult);
            }
            opt.backward_step_clip_norm(&loss, cfg.clip_norm);
            let l = f64::try_from(loss.to_kind(Kind::Double))?;
            if !l.is_finite() {
                return Err(SentirError::Other(format!(
                    "training diverged at step {step} (loss {l}); lower --lr"
                )));
            }
            loss_sum += l;
            loss_n += 1;
            step += 1;
            if let Some(b) = &bar {
                b.set_message(format!(
                    "epoch {epoch}/{} loss {:.4}",
                    cfg.epochs,
                    loss_sum / loss_n as f64
                ));
                b.inc(1);
            } else if cfg.progress && step % 100 == 0 {
                eprintln!(
                    "sentir: step {step}/{total}, epoch {epoch}, mean loss {:.4}, {:.1} rows/s",
                    loss_sum / loss_n as f64,
                    (loss_n * cfg.batch_size) as f64 / t0.elapsed().as_secs_f64()
                );
            }
        }
        let report = evaluate(
            &model,
            &encoder,
            val,
            BatchLimits::default(),
            LongText::Chunk,
        )?;
        let entry = EpochLog {
            epoch,
            train_loss: loss_sum / loss_n.max(1) as f64,
            val_macro_f1: report.overall.macro_f1,
            val_accuracy: report.overall.accuracy,
            val_mean_group_macro_f1: report.mean_group_macro_f1,
            seconds: t0.elapsed().as_secs_f64(),
        };
        let line = format!(
            "sentir: epoch {epoch}/{}: train loss {:.4}, val macro-F1 {:.4}, accuracy {:.4}{} ({:.0} s)",
            cfg.epochs,
            entry.train_loss,
            entry.val_macro_f1,
            entry.val_accuracy,
            entry.val_mean_group_macro_f1.map(|m| format!(", mean group macro-F1 {m:.4}")).unwrap_or_default(),
            entry.seconds
        );
        match &bar {
            Some(b) => b.println(&line),
            None => eprintln!("{line}"),
        }
        let better = entry.val_macro_f1 > log.best_val_macro_f1;
        log.epochs.push(entry);
        if better {
            log.best_epoch = epoch;
            log.best_val_macro_f1 = report.overall.macro_f1;
            save_model(&model, &encoder, &cfg.out, &log, &report.overall)?;
        }
    }
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    // Rewrite the log with every epoch (the model files are those of the best epoch).
    let log_json = serde_json::to_vec_pretty(&log).expect("log serializes");
    crate::io::atomic::write_file(&cfg.out.join("training.json"), &log_json)?;
    Ok(log)
}

/// Target of rows without a gold value for a head (left out of its loss).
const IGNORE: i64 = -100;

/// Mean cross-entropy over the rows whose target is not [`IGNORE`].
fn head_loss(logits: &Tensor, targets: &[i64], device: Device) -> Result<Tensor> {
    let t = Tensor::from_slice(targets).to_device(device);
    logits
        .f_cross_entropy_loss::<Tensor>(&t, None, tch::Reduction::Mean, IGNORE, 0.0)
        .map_err(|e| SentirError::Other(format!("head loss: {e}")))
}

fn progress_bar(enabled: bool, total: u64) -> Option<ProgressBar> {
    (enabled && std::io::stderr().is_terminal()).then(|| {
        ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr()).with_style(
            ProgressStyle::with_template("{bar:30} {pos}/{len} steps {msg} {per_sec} ETA {eta}")
                .expect("valid template"),
        )
    })
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedule_warms_up_then_decays_to_zero() {
        let lr: Vec<f64> = (0..10).map(|s| lr_at(s, 10, 2, 1.0)).collect();
        assert_eq!(lr[0], 0.5);
        assert_eq!(lr[1], 1.0);
        assert_eq!(lr[2], 1.0);
        assert!(lr[9] > 0.0 && lr[9] < 0.2);
        assert!(lr.windows(2).skip(2).all(|w| w[1] < w[0]));
    }

    #[test]
    fn epoch_batches_cover_everything_and_depend_on_seed() {
        let lengths: Vec<usize> = (0..1000).map(|i| (i * 7919) % 97).collect();
        let a = epoch_batches(&lengths, 16, &mut Rng(1));
        let mut all: Vec<usize> = a.iter().flatten().copied().collect();
        all.sort();
        assert_eq!(all, (0..1000).collect::<Vec<_>>());
        assert_eq!(a, epoch_batches(&lengths, 16, &mut Rng(1)));
        assert_ne!(a, epoch_batches(&lengths, 16, &mut Rng(2)));
    }
}
