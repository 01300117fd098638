//! The commands: each turns its flags into the library's configuration, runs it and prints
//! what it did. Errors go back to `main` as `anyhow` errors (a [`SentirError`] inside keeps
//! its exit code).

use super::flags::{
    BenchArgs, CalibrateArgs, ClassifyArgs, Cli, Command, EvalArgs, EvalLanguageArgs, ReportArgs,
    TrainArgs,
};
use super::options::{delimiter_byte, FormatArg, PrecisionArg};
use anyhow::Context;
use sentir::bench::{self, BenchConfig};
use sentir::calibrate;
use sentir::classify::{self, ClassifyConfig};
use sentir::eval::evaluate;
use sentir::io::examples::{
    read_examples, read_umsab, write_examples_csv, Example, ExampleColumns, UMSAB_LANGUAGES,
};
use sentir::langid::{self, LanguageSource};
use sentir::load;
use sentir::model::{self, e5};
use sentir::pipeline::Summary;
use sentir::report::columns::ReportColumns;
use sentir::report::{self, ReportConfig};
use sentir::sysinfo::default_threads;
use sentir::train::{self, TrainConfig};
use sentir::SentirError;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Runs the command the line names.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Classify(a) => classify_cmd(a),
        Command::Train(a) => train_cmd(a),
        Command::Eval(a) => eval_cmd(a),
        Command::EvalLanguage(a) => eval_language_cmd(a),
        Command::Report(a) => report_cmd(a),
        Command::Bench(a) => bench_cmd(a),
        Command::Calibrate(a) => calibrate_cmd(a),
        Command::ImportUmsab {
            dir,
            split,
            languages,
            output,
        } => import_umsab(&dir, &split, languages, &output),
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

fn classify_cmd(a: ClassifyArgs) -> anyhow::Result<ExitCode> {
    let read = a.read.spec()?;
    sentir::signals::install().context("cannot catch SIGINT/SIGTERM")?;
    let mut cfg = ClassifyConfig {
        input: a.input,
        output: a.output,
        read,
        output_format: a.output_format.and_then(FormatArg::format),
        run: a.model.run_config(match a.language_column {
            Some(c) => LanguageSource::Column(c),
            None => a.language.source()?,
        })?,
        progress: !a.quiet,
        resume: a.resume,
    };
    cfg.run.pipeline.chunk_rows = a.chunk_rows as usize;
    if let (Some(why), false) = (&cfg.run.precision_choice, a.quiet) {
        eprintln!("sentir: precision {why}");
    }
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

fn train_cmd(a: TrainArgs) -> anyhow::Result<ExitCode> {
    load::set_threads(a.threads.unwrap_or_else(default_threads));
    let cols = a.columns.columns(None);
    let val_cols = a.columns.columns(Some("language".into()));
    let train = read_example_files(&a.train, &cols)?;
    // Validation is scored per language when the files have a language column.
    let val =
        read_example_files(&a.val, &val_cols).or_else(|_| read_example_files(&a.val, &cols))?;
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
    load::set_threads(a.model.threads());
    let cols = a.columns.columns(a.group_column.clone());
    let examples = read_example_files(&a.data, &cols)?;
    let run = a.model.run_config(LanguageSource::Off)?;
    if let Some(why) = &run.precision_choice {
        eprintln!("sentir: precision {why}");
    }
    let (m, enc) = run.load()?;
    let report = evaluate(&m, &enc, &examples, run.pipeline.limits, run.pipeline.long)?;
    print_result(&report, a.json, report.to_table())
}

fn eval_language_cmd(a: EvalLanguageArgs) -> anyhow::Result<ExitCode> {
    load::set_threads(a.threads.unwrap_or_else(default_threads));
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
    print_result(&r, a.json, r.to_table())
}

fn bench_cmd(a: BenchArgs) -> anyhow::Result<ExitCode> {
    let cfg = BenchConfig {
        inputs: a.inputs,
        read: a.read.spec()?,
        run: a.model.run_config(a.language.source()?)?,
    };
    let r = bench::bench(&cfg)?;
    print_result(&r, a.json, r.to_table())
}

fn calibrate_cmd(mut a: CalibrateArgs) -> anyhow::Result<ExitCode> {
    // Every mode runs; fixed here so that a broken precision.json cannot stop its rewrite.
    a.model.precision = PrecisionArg::Fp32;
    let cfg = BenchConfig {
        inputs: a.inputs,
        read: a.read.spec()?,
        run: a.model.run_config(LanguageSource::Off)?,
    };
    let (cal, skipped) = calibrate::calibrate(&cfg)?;
    if !a.no_write {
        let path = a
            .output
            .unwrap_or_else(|| cfg.run.model_dir.join(model::auto::CALIBRATION_FILE));
        calibrate::write(&cal, &path)?;
        eprintln!("sentir: wrote {}", path.display());
    }
    let table = calibrate::to_table(&cal, &skipped);
    print_result(&cal, a.json, table)
}

fn report_cmd(a: ReportArgs) -> anyhow::Result<ExitCode> {
    let delimiter = delimiter_byte(a.delimiter)?;
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
        period: a.period.period(),
        delimiter,
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

fn import_umsab(
    dir: &Path,
    split: &str,
    languages: Option<String>,
    output: &Path,
) -> anyhow::Result<ExitCode> {
    let langs: Vec<String> = match languages {
        Some(l) => l.split(',').map(|s| s.trim().to_string()).collect(),
        None => UMSAB_LANGUAGES.iter().map(|s| s.to_string()).collect(),
    };
    let mut all = Vec::new();
    for l in &langs {
        all.extend(read_umsab(dir, l, split)?);
    }
    write_examples_csv(output, &all)?;
    eprintln!(
        "sentir: wrote {} examples ({} languages) to {}",
        all.len(),
        langs.len(),
        output.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// The labelled examples of every file, in order.
fn read_example_files(files: &[PathBuf], cols: &ExampleColumns) -> anyhow::Result<Vec<Example>> {
    let mut out = Vec::new();
    for f in files {
        out.extend(read_examples(f, cols)?);
    }
    Ok(out)
}

/// Prints a command's result as pretty JSON, or as its text table.
fn print_result(result: &impl Serialize, json: bool, table: String) -> anyhow::Result<ExitCode> {
    if json {
        println!("{}", serde_json::to_string_pretty(result)?);
    } else {
        print!("{table}");
    }
    Ok(ExitCode::SUCCESS)
}
