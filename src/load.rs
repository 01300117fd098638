//! Loading a model and its tokenizer for a run: the run settings, libtorch's and rayon's
//! threads, the default model directory, and the checks done at load (length limit,
//! tokenizer against the model's vocabulary).

use crate::error::{Result, SentirError};
use crate::model::auto::{self, AutoChoice, Calibration};
use crate::model::{Model, Precision};
use crate::pipeline::PipelineOptions;
use crate::sysinfo::Machine;
use crate::tokenize::TextEncoder;
use std::path::{Path, PathBuf};
use tch::Device;

/// The model and run settings `classify` and `bench` share.
#[derive(Clone, Debug)]
pub struct RunConfig {
    /// Model directory.
    pub model_dir: PathBuf,
    /// Where the model runs.
    pub device: Device,
    /// Threads for tokenization and for libtorch.
    pub threads: usize,
    /// Longest input in tokens (capped at what the model allows).
    pub max_length: usize,
    /// fp32, int8 or bf16.
    pub precision: Precision,
    /// Why `--precision auto` chose `precision` (`None` when it was given).
    pub precision_choice: Option<String>,
    /// Batching and chunking.
    pub pipeline: PipelineOptions,
}

impl RunConfig {
    /// Loads the model and its tokenizer (after [`set_threads`]).
    pub fn load(&self) -> Result<(Model, TextEncoder)> {
        let (mut model, encoder) = load_model_and_encoder(
            &self.model_dir,
            self.device,
            self.precision,
            self.max_length,
        )?;
        if !self.pipeline.reason {
            model.drop_reason_head();
        }
        Ok((model, encoder))
    }
}

/// Resolves `--precision auto` for the model in `dir` on this machine
/// ([`crate::model::auto::choose`], from the model's `precision.json`).
pub fn choose_precision(dir: &Path, device: Device) -> Result<AutoChoice> {
    let cal = Calibration::read(dir).map_err(|e| SentirError::model(dir, e))?;
    let machine = Machine::current();
    Ok(auto::choose(
        cal.as_ref(),
        &machine.cpu,
        &machine.features,
        device,
    ))
}

/// Sets libtorch's intra-op threads and the rayon pool size (once per process).
pub fn set_threads(threads: usize) {
    let n = threads.max(1);
    tch::set_num_threads(n as i32);
    let _ = rayon::ThreadPoolBuilder::new()
        .num_threads(n)
        .build_global();
}

/// Loads the model and its tokenizer side by side (two threads: each takes about a second
/// for the default model); inputs are truncated to `max_length` or the model's limit.
pub fn load_model_and_encoder(
    dir: &Path,
    device: Device,
    precision: Precision,
    max_length: usize,
) -> Result<(Model, TextEncoder)> {
    let config_path = dir.join("config.json");
    let limit = if config_path.is_file() {
        crate::model::config::ModelConfig::from_file(&config_path)
            .map_err(|e| SentirError::model(dir, e))?
            .max_input_tokens
    } else {
        max_length
    };
    let max_len = max_length.min(limit);
    if max_len < 3 {
        return Err(SentirError::Usage(format!(
            "--max-length {max_length} is too small"
        )));
    }
    // The model loads on one libtorch thread while the tokenizer loads beside it: a second
    // intra-op thread would mostly spin-wait between the many small copy ops (measured:
    // load 1.6 s with both, 1.2 s this way, on 2 cores).
    let threads = tch::get_num_threads();
    tch::set_num_threads(1);
    let loaded: Result<(Model, TextEncoder)> = std::thread::scope(|s| {
        let tok = s.spawn(|| TextEncoder::from_file(&dir.join("tokenizer.json"), max_len));
        let model = Model::load_with_precision(dir, device, precision);
        let encoder = tok.join().expect("tokenizer thread panicked");
        Ok((model?, encoder?))
    });
    tch::set_num_threads(threads);
    let (model, encoder) = loaded?;
    check_vocab(dir, &model, &encoder)?;
    Ok((model, encoder))
}

/// A tokenizer with more tokens than the model's embedding table (another model's
/// tokenizer.json) would make libtorch fail on the first unknown id: refuse it at load.
fn check_vocab(dir: &Path, model: &Model, encoder: &TextEncoder) -> Result<()> {
    let Some(model_vocab) = model
        .config()
        .raw
        .get("vocab_size")
        .and_then(|v| v.as_u64())
    else {
        return Ok(());
    };
    let tok_vocab = encoder.vocab_size() as u64;
    if tok_vocab > model_vocab {
        return Err(SentirError::model(
            dir,
            format!(
                "tokenizer.json has {tok_vocab} tokens but the model's vocabulary (vocab_size in config.json) has {model_vocab}: the tokenizer belongs to another model"
            ),
        ));
    }
    Ok(())
}

/// The model used when `--model` is not given: `$SENTIR_MODEL`, else `models/default` beside
/// the binary (the `make dist` bundle), else in the working directory, else that of the
/// checkout the binary was built in.
pub fn default_model_dir() -> PathBuf {
    if let Some(p) = std::env::var_os("SENTIR_MODEL") {
        return PathBuf::from(p);
    }
    let beside = std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.parent()?.join("models/default")));
    if let Some(b) = beside.filter(|b| b.is_dir()) {
        return b;
    }
    let local = PathBuf::from("models/default");
    if local.is_dir() {
        return local;
    }
    let built = Path::new(env!("CARGO_MANIFEST_DIR")).join("models/default");
    if built.is_dir() {
        return built;
    }
    local
}
