//! `sentir bench`: the classify pipeline on an export (or on the messages in `data/`), output
//! discarded, measured: messages/s, tokens/s, padding waste, batch latency, peak memory and
//! model load time.

use crate::error::Result;
use crate::io::{open_source, InputSpec};
use crate::io::{Row, RowSink, RowSource};
use crate::load::{set_threads, RunConfig};
use crate::pipeline;
use crate::prediction::Outcome;
use crate::progress::Progress;
use crate::report::stats::nearest_rank;
use crate::sentiment::{Sentiment, SentimentCounts};
use crate::sysinfo::{peak_rss_bytes, Machine};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The team's messages in `data/`, used when no input is given.
pub const DEFAULT_INPUTS: [&str; 4] = [
    "data/sample_messages.csv",
    "data/inbox_sample.csv",
    "data/buyer_messages/train.csv",
    "data/buyer_messages/val.csv",
];

/// Everything `bench` needs.
#[derive(Clone, Debug)]
pub struct BenchConfig {
    /// Input files (CSV, JSONL, text or Parquet); empty means [`DEFAULT_INPUTS`].
    pub inputs: Vec<PathBuf>,
    /// How to read them (the format is detected per file unless given).
    pub read: InputSpec,
    /// Model, threads, precision, batching.
    pub run: RunConfig,
}

/// What a bench run measured.
#[derive(Clone, Debug, Serialize)]
pub struct BenchReport {
    /// Model directory.
    pub model: String,
    /// Its architecture (`model_type`).
    pub model_type: String,
    /// fp32, int8 or bf16.
    pub precision: &'static str,
    /// Why `--precision auto` chose it (`null` when it was given).
    pub precision_choice: Option<String>,
    /// cpu or cuda:N.
    pub device: String,
    /// Threads for tokenization and libtorch.
    pub threads: usize,
    /// Most messages per forward pass.
    pub batch_size: usize,
    /// Most padded tokens per forward pass.
    pub max_batch_tokens: usize,
    /// Longest message in tokens.
    pub max_length: usize,
    /// Files read.
    pub inputs: Vec<String>,
    /// Rows read.
    pub messages: u64,
    /// Rows labelled.
    pub labelled: u64,
    /// Rows with an error.
    pub failed: u64,
    /// Labels given.
    pub labels: SentimentCounts,
    /// Real tokens sent to the model.
    pub tokens: u64,
    /// Tokens including padding.
    pub padded_tokens: u64,
    /// Share of padded positions that were padding.
    pub padding_waste: f64,
    /// Forward passes.
    pub batches: usize,
    /// Median forward-pass time.
    pub batch_p50_ms: f64,
    /// 95th-percentile forward-pass time.
    pub batch_p95_ms: f64,
    /// Time spent in forward passes (the rest of `run_seconds` is reading, tokenizing,
    /// waiting and writing that did not overlap).
    pub forward_seconds: f64,
    /// Time to load the model and tokenizer (and quantize, for int8).
    pub load_seconds: f64,
    /// Time from the first row read to the last row labelled.
    pub run_seconds: f64,
    /// Messages per second over `run_seconds`.
    pub messages_per_second: f64,
    /// Real tokens per second over `run_seconds`.
    pub tokens_per_second: f64,
    /// Peak resident memory of the process, in MiB.
    pub peak_rss_mib: f64,
    /// The machine.
    pub machine: Machine,
}

/// Resolves [`DEFAULT_INPUTS`] against the working directory, else the checkout the binary
/// was built in.
pub fn default_inputs() -> Vec<PathBuf> {
    let local = Path::new("data/sample_messages.csv").is_file();
    let base = if local {
        PathBuf::new()
    } else {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
    };
    DEFAULT_INPUTS.iter().map(|p| base.join(p)).collect()
}

/// Runs the benchmark.
pub fn bench(cfg: &BenchConfig) -> Result<BenchReport> {
    Ok(bench_labels(cfg, false)?.0)
}

/// Runs the benchmark and, with `keep_labels`, returns every row's label in input order
/// (`None` for a row with an error), for comparing precisions (`sentir calibrate`).
pub fn bench_labels(
    cfg: &BenchConfig,
    keep_labels: bool,
) -> Result<(BenchReport, Vec<Option<Sentiment>>)> {
    set_threads(cfg.run.threads);
    let inputs = if cfg.inputs.is_empty() {
        default_inputs()
    } else {
        cfg.inputs.clone()
    };
    let mut sources = Vec::with_capacity(inputs.len());
    for p in &inputs {
        let spec = p.to_string_lossy();
        let (source, _, _) = open_source(&spec, &cfg.read)?;
        sources.push(source);
    }

    let t0 = Instant::now();
    let (model, encoder) = cfg.run.load()?;
    let max_len = encoder.max_len();
    let load = t0.elapsed();

    let counts = Arc::new(CountingSink {
        keep_labels,
        ..CountingSink::default()
    });
    let sink = Box::new(SharedSink(counts.clone()));
    let source = Box::new(ChainSource {
        sources,
        done: 0,
        position_before: 0,
    });
    let s = pipeline::run(
        &model,
        &encoder,
        source,
        sink,
        &cfg.run.pipeline,
        &Progress::new(false, None),
        None,
    )?;
    let secs = s.elapsed.as_secs_f64().max(1e-9);
    let mut lat: Vec<Duration> = s.batch_latencies.clone();
    lat.sort();
    let labels = std::mem::take(&mut *counts.labels.lock().unwrap_or_else(|e| e.into_inner()));
    let report = BenchReport {
        model: cfg.run.model_dir.display().to_string(),
        model_type: model.config().model_type.clone(),
        precision: cfg.run.precision.as_str(),
        precision_choice: cfg.run.precision_choice.clone(),
        device: format!("{:?}", cfg.run.device).to_lowercase(),
        threads: cfg.run.threads,
        batch_size: cfg.run.pipeline.limits.max_rows,
        max_batch_tokens: cfg.run.pipeline.limits.max_tokens,
        max_length: max_len,
        inputs: inputs.iter().map(|p| p.display().to_string()).collect(),
        messages: s.rows,
        labelled: s.labelled,
        failed: s.failed,
        labels: counts.counts(),
        tokens: s.tokens,
        padded_tokens: s.padded_tokens,
        padding_waste: s.padding_waste(),
        batches: lat.len(),
        batch_p50_ms: percentile(&lat, 50) * 1e3,
        batch_p95_ms: percentile(&lat, 95) * 1e3,
        forward_seconds: lat.iter().map(Duration::as_secs_f64).sum(),
        load_seconds: load.as_secs_f64(),
        run_seconds: secs,
        messages_per_second: s.rows as f64 / secs,
        tokens_per_second: s.tokens as f64 / secs,
        peak_rss_mib: peak_rss_bytes().map_or(0.0, |b| b as f64 / (1024.0 * 1024.0)),
        machine: Machine::current(),
    };
    Ok((report, labels))
}

/// The nearest-rank percentile `p` (0–100) of sorted durations, in seconds (0 when empty).
pub fn percentile(sorted: &[Duration], p: u32) -> f64 {
    nearest_rank(sorted, p).map_or(0.0, |d| d.as_secs_f64())
}

impl BenchReport {
    /// Which kernels the products and the other ops run on, for this precision and CPU.
    fn kernels(&self) -> String {
        let f = &self.machine.features;
        let linear = match self.precision {
            "int8" => format!("oneDNN int8 _int_mm ({})", f.int8_kernels()),
            // Vendored rust-bert patches 8 and 10, for the bert family only.
            "bf16" if crate::model::bf16_mode(f).is_some() => {
                format!("{} (bert, roberta, xlm-roberta)", f.bf16_kernels())
            }
            "bf16" if f.avx512_bf16 || f.amx => "oneDNN bf16 gemm (native)".to_string(),
            "bf16" => "oneDNN bf16 gemm (emulated: no AVX512-BF16 or AMX)".to_string(),
            // Vendored rust-bert patches 7 and 9, for the bert family only (not DistilBERT).
            _ if rust_bert::qlinear::fp32_packing_available() => {
                "MKL sgemm, weights packed once, rows split over the threads (bert, roberta, \
                 xlm-roberta)"
                    .to_string()
            }
            _ => "MKL sgemm".to_string(),
        };
        if self.device == "cpu" {
            format!("Linear: {linear}; other ops: ATen {}", f.aten_kernels())
        } else {
            "libtorch CUDA".to_string()
        }
    }

    /// The human table.
    pub fn to_table(&self) -> String {
        let mut t = String::new();
        let mut line = |k: &str, v: String| t.push_str(&format!("{k:<22}{v}\n"));
        line("model", format!("{} ({})", self.model, self.model_type));
        line(
            "precision / device",
            format!("{} / {}", self.precision, self.device),
        );
        if let Some(why) = &self.precision_choice {
            line("precision choice", why.clone());
        }
        line(
            "threads / batch",
            format!(
                "{} / {} rows, {} tokens",
                self.threads, self.batch_size, self.max_batch_tokens
            ),
        );
        line(
            "machine",
            format!(
                "{}, {} cores, {:.0} GiB",
                self.machine.cpu, self.machine.cores, self.machine.memory_gib
            ),
        );
        line("cpu features", self.machine.features.names());
        line("kernels", self.kernels());
        line(
            "messages",
            format!(
                "{} ({} labelled, {} errors; neg {} / neu {} / pos {})",
                self.messages,
                self.labelled,
                self.failed,
                self.labels.negative,
                self.labels.neutral,
                self.labels.positive
            ),
        );
        line("model load", format!("{:.2} s", self.load_seconds));
        line(
            "run",
            format!(
                "{:.2} s ({:.2} s in forward passes)",
                self.run_seconds, self.forward_seconds
            ),
        );
        line(
            "throughput",
            format!(
                "{:.1} messages/s, {:.0} tokens/s",
                self.messages_per_second, self.tokens_per_second
            ),
        );
        line(
            "padding waste",
            format!(
                "{:.1}% ({} of {} positions)",
                self.padding_waste * 100.0,
                self.padded_tokens - self.tokens,
                self.padded_tokens
            ),
        );
        line(
            "batch latency",
            format!(
                "p50 {:.1} ms, p95 {:.1} ms ({} batches)",
                self.batch_p50_ms, self.batch_p95_ms, self.batches
            ),
        );
        line("peak RSS", format!("{:.0} MiB", self.peak_rss_mib));
        t
    }
}

/// Reads several sources one after the other.
struct ChainSource {
    sources: Vec<Box<dyn RowSource>>,
    done: usize,
    position_before: u64,
}

impl RowSource for ChainSource {
    fn next_row(&mut self) -> Result<Option<Row>> {
        while let Some(src) = self.sources.get_mut(self.done) {
            if let Some(row) = src.next_row()? {
                return Ok(Some(row));
            }
            self.position_before += src.position();
            self.done += 1;
        }
        Ok(None)
    }

    fn position(&self) -> u64 {
        self.position_before + self.sources.get(self.done).map_or(0, |s| s.position())
    }

    fn columns(&self) -> Option<Vec<Vec<u8>>> {
        None
    }
}

/// Counts labels (and keeps them, in row order, when asked); writes nothing.
#[derive(Default)]
struct CountingSink {
    counts: [AtomicU64; 3],
    keep_labels: bool,
    labels: Mutex<Vec<Option<Sentiment>>>,
}

impl CountingSink {
    fn counts(&self) -> SentimentCounts {
        let get = |s: Sentiment| self.counts[s.index()].load(Ordering::Relaxed);
        SentimentCounts {
            negative: get(Sentiment::Negative),
            neutral: get(Sentiment::Neutral),
            positive: get(Sentiment::Positive),
        }
    }
}

struct SharedSink(Arc<CountingSink>);

impl RowSink for SharedSink {
    fn write_row(&mut self, _row: &Row, outcome: &Outcome) -> Result<()> {
        let label = match outcome {
            Outcome::Labelled(p, _) => Some(p.sentiment),
            _ => None,
        };
        if let Some(s) = label {
            self.0.counts[s.index()].fetch_add(1, Ordering::Relaxed);
        }
        if self.0.keep_labels {
            self.0
                .labels
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(label);
        }
        Ok(())
    }

    fn finish(self: Box<Self>) -> Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let ms = |v: u64| Duration::from_millis(v);
        let lat: Vec<Duration> = (1..=20).map(ms).collect();
        assert_eq!(percentile(&lat, 50), 0.010);
        assert_eq!(percentile(&lat, 95), 0.019);
        assert_eq!(percentile(&lat[..1], 95), 0.001);
        assert_eq!(percentile(&[], 50), 0.0);
    }

    #[test]
    fn default_inputs_exist_in_the_checkout() {
        for p in default_inputs() {
            assert!(p.is_file(), "{}", p.display());
        }
    }
}
