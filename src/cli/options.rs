//! Option groups and values shared by several commands (model and batching, language
//! detection, labelled-file columns, formats and periods) and what they turn into.

use clap::{Args, ValueEnum};
use sentir::batch::BatchLimits;
use sentir::io::examples::ExampleColumns;
use sentir::io::{Format, InputSpec};
use sentir::langid::{self, LanguageSource};
use sentir::load::{self, RunConfig};
use sentir::model::{self, Precision};
use sentir::pipeline::PipelineOptions;
use sentir::report::stats::Period;
use sentir::sysinfo::default_threads;
use sentir::tokenize::LongText;
use sentir::SentirError;
use std::path::PathBuf;

#[derive(Clone, Copy, ValueEnum)]
pub enum FormatArg {
    Auto,
    Csv,
    Jsonl,
    Text,
    Parquet,
    /// Arrow IPC stream
    Arrow,
}

impl FormatArg {
    pub fn format(self) -> Option<Format> {
        match self {
            FormatArg::Auto => None,
            FormatArg::Csv => Some(Format::Csv),
            FormatArg::Jsonl => Some(Format::Jsonl),
            FormatArg::Text => Some(Format::Text),
            FormatArg::Parquet => Some(Format::Parquet),
            FormatArg::Arrow => Some(Format::Arrow),
        }
    }
}

/// How to read the input export: format, message column, CSV delimiter.
#[derive(Args)]
pub struct InputArgs {
    /// Input format
    #[arg(long, value_enum, default_value = "auto")]
    pub format: FormatArg,
    /// Column (CSV) or key (JSONL) holding the message [default: text, message, mensaje, …]
    #[arg(long)]
    pub text_column: Option<String>,
    /// CSV delimiter (one byte)
    #[arg(long, default_value = ",")]
    pub delimiter: char,
}

impl InputArgs {
    /// The library's reading of these flags (`--delimiter` checked to be one byte).
    pub fn spec(&self) -> Result<InputSpec, SentirError> {
        Ok(InputSpec {
            format: self.format.format(),
            text_column: self.text_column.clone(),
            delimiter: delimiter_byte(self.delimiter)?,
        })
    }
}

/// `--delimiter` as a byte: one ASCII character, else a usage error.
pub fn delimiter_byte(c: char) -> Result<u8, SentirError> {
    if !c.is_ascii() {
        return Err(SentirError::Usage(
            "--delimiter must be one ASCII character".into(),
        ));
    }
    Ok(c as u8)
}

#[derive(Args)]
pub struct ModelArgs {
    /// Model directory (config.json, tokenizer.json, model.safetensors) [default: $SENTIR_MODEL or models/default]
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// cpu, cuda or cuda:N (CUDA needs a CUDA build of libtorch 2.4)
    #[arg(long, default_value = "cpu")]
    pub device: String,
    /// Threads for tokenization and libtorch [default: all cores]
    #[arg(long)]
    pub threads: Option<usize>,
    /// Most messages per forward pass
    #[arg(long, default_value_t = 32)]
    pub batch_size: usize,
    /// Most padded tokens per forward pass
    #[arg(long, default_value_t = 8192)]
    pub max_batch_tokens: usize,
    /// Longest message in tokens; longer ones are truncated (capped at the model's limit)
    #[arg(long, default_value_t = 256)]
    pub max_length: usize,
    /// auto (the fastest mode that agrees with fp32 on ≥ 99.5% of the model's calibration
    /// messages, see `sentir calibrate`), fp32 (exact), bf16 (bf16 products, fp32 elsewhere;
    /// fast on CPUs with AMX or AVX512-BF16), or int8 (dynamic quantization of the encoder,
    /// CPU only)
    #[arg(long, value_enum, default_value = "auto")]
    pub precision: PrecisionArg,
    /// Messages over --max-length: overlapping chunks whose probabilities are averaged, or
    /// only their first tokens
    #[arg(long, value_enum, default_value = "chunk")]
    pub long: LongArg,
    /// Leave the reason and reason_score columns empty (and skip the reason head)
    #[arg(long)]
    pub no_reason: bool,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum LongArg {
    Chunk,
    Truncate,
}

impl LongArg {
    pub fn long(self) -> LongText {
        match self {
            LongArg::Chunk => LongText::Chunk,
            LongArg::Truncate => LongText::Truncate,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
pub enum PrecisionArg {
    Auto,
    Fp32,
    Int8,
    Bf16,
}

impl PrecisionArg {
    /// The mode asked for; `None` for auto.
    pub fn fixed(self) -> Option<Precision> {
        match self {
            PrecisionArg::Auto => None,
            PrecisionArg::Fp32 => Some(Precision::Fp32),
            PrecisionArg::Int8 => Some(Precision::Int8),
            PrecisionArg::Bf16 => Some(Precision::Bf16),
        }
    }
}

impl ModelArgs {
    pub fn model_dir(&self) -> PathBuf {
        self.model.clone().unwrap_or_else(load::default_model_dir)
    }
    pub fn threads(&self) -> usize {
        self.threads.unwrap_or_else(default_threads)
    }
    pub fn run_config(&self, language: LanguageSource) -> Result<RunConfig, SentirError> {
        let model_dir = self.model_dir();
        let device = model::parse_device(&self.device)?;
        let (precision, precision_choice) = match self.precision.fixed() {
            Some(p) => (p, None),
            None => {
                let c = load::choose_precision(&model_dir, device)?;
                (c.precision, Some(c.why))
            }
        };
        Ok(RunConfig {
            model_dir,
            device,
            threads: self.threads(),
            max_length: self.max_length,
            precision,
            precision_choice,
            pipeline: PipelineOptions {
                limits: self.limits()?,
                language,
                long: self.long.long(),
                reason: !self.no_reason,
                ..Default::default()
            },
        })
    }
    pub fn limits(&self) -> Result<BatchLimits, SentirError> {
        if self.batch_size == 0 || self.max_batch_tokens == 0 {
            return Err(SentirError::Usage(
                "--batch-size and --max-batch-tokens must be positive".into(),
            ));
        }
        Ok(BatchLimits {
            max_rows: self.batch_size,
            max_tokens: self.max_batch_tokens,
        })
    }
}

#[derive(Args)]
pub struct LanguageArgs {
    /// Do not detect languages (the language column stays empty)
    #[arg(long)]
    pub no_language: bool,
    /// Detect only these languages, ISO 639-1 codes, comma-separated [default: es,pt,en,fr,de,it,nl,ca,pl,ar,tr,ru,zh,ja,ko,hi]
    #[arg(long, value_name = "CODES", conflicts_with = "no_language")]
    pub languages: Option<String>,
}

impl LanguageArgs {
    /// Detection over --languages (validated), or nothing with --no-language.
    pub fn source(&self) -> Result<LanguageSource, SentirError> {
        if self.no_language {
            return Ok(LanguageSource::Off);
        }
        let detector = match &self.languages {
            Some(spec) => langid::Detector::new(&langid::parse_languages(spec)?),
            None => langid::Detector::default_set(),
        };
        Ok(LanguageSource::Detect(std::sync::Arc::new(detector)))
    }
}

#[derive(Clone, Copy, ValueEnum)]
pub enum PeriodArg {
    Day,
    Week,
}

impl PeriodArg {
    pub fn period(self) -> Period {
        match self {
            PeriodArg::Day => Period::Day,
            PeriodArg::Week => Period::Week,
        }
    }
}

#[derive(Args)]
pub struct ExampleColumnArgs {
    /// Column (CSV) or key (JSONL) holding the message [default: text, message, …]
    #[arg(long)]
    pub text_column: Option<String>,
    /// Column holding the label (negative/neutral/positive or 0/1/2) [default: label, else sentiment]
    #[arg(long)]
    pub label_column: Option<String>,
}

impl ExampleColumnArgs {
    /// The columns to read, with `group` scored separately.
    pub fn columns(&self, group: Option<String>) -> ExampleColumns {
        ExampleColumns {
            text: self.text_column.clone(),
            label: self.label_column.clone(),
            group,
        }
    }
}
