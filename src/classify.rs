//! `sentir classify`: an export in, the same rows out with labels.

use crate::error::{Result, SentirError};
use crate::io::atomic::Output;
use crate::io::{open_sink, open_source, output_format, Format, InputSpec};
use crate::langid::LanguageSource;
use crate::load::{set_threads, RunConfig};
use crate::pipeline::{self, Summary};
use crate::progress::Progress;
use crate::resume::{self, Fingerprint, Journal};
use std::collections::BTreeMap;
use std::path::Path;

/// Everything `classify` needs.
#[derive(Clone, Debug)]
pub struct ClassifyConfig {
    /// Input path or `-`.
    pub input: String,
    /// Output path or `-`.
    pub output: String,
    /// How to read the input (the CSV delimiter is also the output's).
    pub read: InputSpec,
    /// Output format; `None` follows the output extension, else the input format.
    pub output_format: Option<Format>,
    /// Model, threads, precision, batching.
    pub run: RunConfig,
    /// Show a progress bar (if stderr is a terminal).
    pub progress: bool,
    /// Continue the interrupted run to the same output (see [`crate::resume`]).
    pub resume: bool,
}

/// Runs the whole command. Usage problems (unknown column, missing model, a journal that
/// belongs to another run) are found before any output is created.
pub fn classify(cfg: &ClassifyConfig) -> Result<Summary> {
    set_threads(cfg.run.threads);
    let resumable = cfg.input != "-" && cfg.output != "-";
    if cfg.resume && !resumable {
        return Err(SentirError::Usage(
            "--resume needs an input file and an output file (-o FILE): a stream cannot be read again".into(),
        ));
    }
    let (source, in_format, size) = open_source(&cfg.input, &cfg.read)?;
    let out_format = output_format(cfg.output_format, &cfg.output, in_format)?;
    cfg.run.pipeline.language.resolve(source.as_ref())?; // --language-column exists
    let (model, encoder) = cfg.run.load()?;
    let journal = if resumable {
        let fp = Fingerprint::of(
            &cfg.input,
            &cfg.run.model_dir,
            options(cfg, in_format, out_format),
        )?;
        Some(Journal::open(Path::new(&cfg.output), &fp, cfg.resume)?)
    } else {
        None
    };
    let journal_path = journal.as_ref().map(|j| j.path().to_path_buf());
    let out = if resumable {
        Output::open_partial(&cfg.output)?
    } else {
        Output::open(&cfg.output)?
    };
    let sink = open_sink(out, out_format, source.as_ref(), cfg.read.delimiter)?;
    let progress = Progress::new(cfg.progress, size);
    let opts = &cfg.run.pipeline;
    let run = pipeline::run(&model, &encoder, source, sink, opts, &progress, journal);
    match (run, journal_path) {
        (Ok(summary), _) => {
            if resumable {
                resume::remove(Path::new(&cfg.output))?;
            }
            Ok(summary)
        }
        (Err(e), Some(path)) if !matches!(e, SentirError::Usage(_)) => {
            Err(SentirError::resumable(e, path))
        }
        (Err(e), _) => Err(e),
    }
}

/// The settings an interrupted run must share with the run that resumes it: all that
/// changes a label, a score's last digit or the output's bytes.
fn options(cfg: &ClassifyConfig, input: Format, output: Format) -> BTreeMap<String, String> {
    let r = &cfg.run;
    let p = &r.pipeline;
    let language = match &p.language {
        LanguageSource::Off => "none".to_string(),
        LanguageSource::Detect(d) => format!("detect {}", d.codes().join(",")),
        LanguageSource::Column(c) => format!("column {c}"),
    };
    [
        ("--format", format!("{input:?}")),
        ("--output-format", format!("{output:?}")),
        ("--text-column", format!("{:?}", cfg.read.text_column)),
        ("--delimiter", (cfg.read.delimiter as char).to_string()),
        ("--device", format!("{:?}", r.device)),
        ("--threads", r.threads.to_string()),
        ("--precision", format!("{:?}", r.precision)),
        ("--max-length", r.max_length.to_string()),
        ("--batch-size", p.limits.max_rows.to_string()),
        ("--max-batch-tokens", p.limits.max_tokens.to_string()),
        ("--chunk-rows", p.chunk_rows.to_string()),
        ("--long", format!("{:?}", p.long)),
        ("--no-reason", (!p.reason).to_string()),
        ("language", language),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}
