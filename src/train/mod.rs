//! `sentir train`: fine-tune a sequence classifier with tch autograd (AdamW, linear
//! warm-up then linear decay, dropout on), score macro-F1 on the validation set after each
//! epoch and keep the best epoch as an HF-format directory ([`save`]); batches and the
//! learning rate follow [`schedule`].

mod save;
mod schedule;

use crate::batch::BatchLimits;
use crate::error::{Result, SentirError};
use crate::eval::evaluate;
use crate::io::examples::Example;
use crate::model::labels::LabelMap;
use crate::model::{collate, heads, Coverage, Model};
use crate::progress::step_bar;
use crate::tokenize::{LongText, TextEncoder};
use indicatif::ProgressBar;
use rayon::prelude::*;
use schedule::{epoch_batches, lr_at, Rng};
use serde::Serialize;
use std::path::PathBuf;
use std::time::Instant;
use tch::nn::OptimizerConfig;
use tch::{nn, Device, Kind, Tensor};

/// Training settings.
#[derive(Clone, Debug)]
pub struct TrainConfig {
    /// Base model directory (a transformer, with or without a classification head).
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

/// Fine-tunes `cfg.base` on `train`, keeps the epoch with the best validation macro-F1.
pub fn train(
    cfg: &TrainConfig,
    train: &[Example],
    val: &[Example],
    command: &str,
) -> Result<TrainLog> {
    check_settings(cfg, train, val)?;
    tch::manual_seed(cfg.seed as i64);
    let mut model = load_base(cfg)?;
    add_heads(&mut model, cfg, train)?;
    let max_len = cfg.max_length.min(model.config().max_input_tokens);
    let encoder = TextEncoder::from_file(&cfg.base.join("tokenizer.json"), max_len)?;
    let opt = optimizer(&model, cfg)?;
    let ids = encode_examples(&encoder, train)?;
    let steps_per_epoch = train.len().div_ceil(cfg.batch_size);
    let total = steps_per_epoch * cfg.epochs;
    let mut run = Run {
        lengths: ids.iter().map(Vec::len).collect(),
        labels: train.iter().map(|e| e.label.index() as i64).collect(),
        ids,
        examples: train,
        warmup: ((total as f64 * cfg.warmup) as usize).max(1),
        total,
        step: 0,
        rng: Rng(cfg.seed),
        bar: step_bar(cfg.progress, total as u64),
        model,
        opt,
        cfg,
    };
    let mut log = TrainLog {
        command: command.to_string(),
        train_rows: train.len(),
        val_rows: val.len(),
        epochs: Vec::new(),
        best_epoch: 0,
        best_val_macro_f1: -1.0,
    };
    let last_epoch = cfg.stop_after.unwrap_or(cfg.epochs).clamp(1, cfg.epochs);
    for epoch in 1..=last_epoch {
        let t0 = Instant::now();
        let train_loss = run.epoch(epoch, t0)?;
        let report = evaluate(
            &run.model,
            &encoder,
            val,
            BatchLimits::default(),
            LongText::Chunk,
        )?;
        let entry = EpochLog {
            epoch,
            train_loss,
            val_macro_f1: report.overall.macro_f1,
            val_accuracy: report.overall.accuracy,
            val_mean_group_macro_f1: report.mean_group_macro_f1,
            seconds: t0.elapsed().as_secs_f64(),
        };
        run.say(&epoch_line(&entry, cfg.epochs));
        let better = entry.val_macro_f1 > log.best_val_macro_f1;
        log.epochs.push(entry);
        if better {
            log.best_epoch = epoch;
            log.best_val_macro_f1 = report.overall.macro_f1;
            save::save_model(&run.model, &encoder, &cfg.out, &log, &report.overall)?;
        }
    }
    if let Some(b) = run.bar {
        b.finish_and_clear();
    }
    // Rewrite the log with every epoch (the model files are those of the best epoch).
    let log_json = serde_json::to_vec_pretty(&log).expect("log serializes");
    crate::io::atomic::write_file(&cfg.out.join("training.json"), &log_json)?;
    Ok(log)
}

fn check_settings(cfg: &TrainConfig, train: &[Example], val: &[Example]) -> Result<()> {
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
    Ok(())
}

/// The base model with a 3-class head; its transformer weights (embeddings and layers)
/// must all be there, only the classification head may be new.
fn load_base(cfg: &TrainConfig) -> Result<Model> {
    let (model, missing) = Model::load_with(
        &cfg.base,
        cfg.device,
        Coverage::AllowMissing,
        Some(&LabelMap::three_class()),
    )?;
    let prefix = model.config().arch.base_prefix();
    let transformer_missing: Vec<&String> = missing
        .iter()
        .filter(|m| {
            m.starts_with(&format!("{prefix}.embeddings"))
                || m.starts_with(&format!("{prefix}.encoder"))
        })
        .collect();
    if !transformer_missing.is_empty() {
        return Err(SentirError::model(
            &cfg.base,
            format!("encoder weights missing or of another shape: {transformer_missing:?}"),
        ));
    }
    if !missing.is_empty() && cfg.progress {
        eprintln!(
            "sentir: new (randomly initialised) weights: {}",
            missing.join(", ")
        );
    }
    Ok(model)
}

/// Adds the reason and mixed heads the data has targets for (and a weight).
fn add_heads(model: &mut Model, cfg: &TrainConfig, train: &[Example]) -> Result<()> {
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
    Ok(())
}

/// AdamW over the trainable weights (word embeddings frozen on request).
fn optimizer(model: &Model, cfg: &TrainConfig) -> Result<nn::Optimizer> {
    let vs = model.var_store();
    if cfg.freeze_embeddings {
        for (name, t) in vs.variables() {
            if crate::model::is_word_table(&name) {
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
    Ok(nn::AdamW {
        wd: cfg.weight_decay,
        ..Default::default()
    }
    .build(vs, cfg.lr)?)
}

/// Token ids of every training text (head and tail of long ones).
fn encode_examples(encoder: &TextEncoder, train: &[Example]) -> Result<Vec<Vec<i64>>> {
    train
        .par_iter()
        .enumerate()
        .map(|(i, e)| {
            encoder
                .encode_head_tail(&e.text)
                .map_err(|m| format!("training example {}: {m}", i + 1))
        })
        .collect::<std::result::Result<_, _>>()
        .map_err(SentirError::Input)
}

/// The line printed after each epoch.
fn epoch_line(e: &EpochLog, epochs: usize) -> String {
    format!(
        "sentir: epoch {}/{epochs}: train loss {:.4}, val macro-F1 {:.4}, accuracy {:.4}{} ({:.0} s)",
        e.epoch,
        e.train_loss,
        e.val_macro_f1,
        e.val_accuracy,
        e.val_mean_group_macro_f1
            .map(|m| format!(", mean group macro-F1 {m:.4}"))
            .unwrap_or_default(),
        e.seconds
    )
}

/// A training run in progress: the model, its optimizer, the encoded examples and where the
/// schedule is.
struct Run<'a> {
    cfg: &'a TrainConfig,
    model: Model,
    opt: nn::Optimizer,
    examples: &'a [Example],
    ids: Vec<Vec<i64>>,
    lengths: Vec<usize>,
    labels: Vec<i64>,
    rng: Rng,
    step: usize,
    total: usize,
    warmup: usize,
    bar: Option<ProgressBar>,
}

impl Run<'_> {
    /// One pass over the training data; returns the mean loss.
    fn epoch(&mut self, epoch: usize, t0: Instant) -> Result<f64> {
        let (mut loss_sum, mut loss_n) = (0.0, 0usize);
        for batch in epoch_batches(&self.lengths, self.cfg.batch_size, &mut self.rng) {
            loss_sum += self.step(&batch)?;
            loss_n += 1;
            let mean = loss_sum / loss_n as f64;
            if let Some(b) = &self.bar {
                b.set_message(format!("epoch {epoch}/{} loss {mean:.4}", self.cfg.epochs));
                b.inc(1);
            } else if self.cfg.progress && self.step.is_multiple_of(100) {
                eprintln!(
                    "sentir: step {}/{}, epoch {epoch}, mean loss {mean:.4}, {:.1} rows/s",
                    self.step,
                    self.total,
                    (loss_n * self.cfg.batch_size) as f64 / t0.elapsed().as_secs_f64()
                );
            }
        }
        Ok(loss_sum / loss_n.max(1) as f64)
    }

    /// One optimizer step on the rows `batch`; returns its loss.
    fn step(&mut self, batch: &[usize]) -> Result<f64> {
        let (cfg, device) = (self.cfg, self.cfg.device);
        let seqs: Vec<&[i64]> = batch.iter().map(|&i| self.ids[i].as_slice()).collect();
        let c = collate(&seqs, self.model.config().pad_token_id, device)?;
        let y = Tensor::from_slice(&batch.iter().map(|&i| self.labels[i]).collect::<Vec<_>>())
            .to_device(device);
        let out = self.model.forward(&c.input_ids, &c.mask, true)?;
        let mut loss = out.sentiment.cross_entropy_for_logits(&y);
        let reasons: Vec<i64> = batch
            .iter()
            .map(|&i| self.examples[i].reason.map_or(IGNORE, |r| r as i64))
            .collect();
        if let (Some(r), true) = (&out.reason, reasons.iter().any(|&t| t != IGNORE)) {
            loss = loss.f_add(&(head_loss(r, &reasons, device)? * cfg.reason_weight))?;
        }
        let mixed: Vec<i64> = batch
            .iter()
            .map(|&i| self.examples[i].mixed.map_or(IGNORE, i64::from))
            .collect();
        if let (Some(m), true) = (&out.mixed, mixed.iter().any(|&t| t != IGNORE)) {
            loss = loss.f_add(&(head_loss(m, &mixed, device)? * cfg.mixed_weight))?;
        }
        let lr = lr_at(self.step, self.total, self.warmup, cfg.lr);
        self.opt.set_lr(lr);
        if self.model.heads().any() {
            self.opt.set_lr_group(heads::GROUP, lr * cfg.head_lr_mult);
        }
        self.opt.backward_step_clip_norm(&loss, cfg.clip_norm);
        let l = f64::try_from(loss.to_kind(Kind::Double))?;
        if !l.is_finite() {
            return Err(SentirError::Other(format!(
                "training diverged at step {} (loss {l}); lower --lr",
                self.step
            )));
        }
        self.step += 1;
        Ok(l)
    }

    /// Prints a line above the bar (or on stderr without one).
    fn say(&self, line: &str) {
        match &self.bar {
            Some(b) => b.println(line),
            None => eprintln!("{line}"),
        }
    }
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
