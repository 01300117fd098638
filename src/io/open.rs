//! Opening an input as rows and an output as a sink, and which output formats an input can
//! be written as (one rule, used by classify and everything that reads exports).

use super::arrow_ipc::{self, IpcWriter};
use super::atomic::Output;
use super::batch_sink::{BatchSink, BatchWriter, OpenWriter};
use super::csv::{CsvSink, CsvSource};
use super::jsonl::{JsonlSink, JsonlSource};
use super::parquet::{self, ParquetWriter};
use super::text::TextSource;
use super::{Commit, Format, Input, RowSink, RowSource};
use crate::error::{Result, SentirError};
use std::path::Path;

/// How to read an input: its format, the message column, the CSV delimiter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputSpec {
    /// Input format; `None` detects it.
    pub format: Option<Format>,
    /// CSV column / JSON key holding the message; `None` looks for the usual names.
    pub text_column: Option<String>,
    /// CSV delimiter.
    pub delimiter: u8,
}

impl Default for InputSpec {
    /// Detected format, the usual message column names, commas.
    fn default() -> InputSpec {
        InputSpec {
            format: None,
            text_column: None,
            delimiter: b',',
        }
    }
}

impl InputSpec {
    /// The default reading with this message column.
    pub fn with_text_column(text_column: Option<&str>) -> InputSpec {
        InputSpec {
            text_column: text_column.map(str::to_string),
            ..InputSpec::default()
        }
    }
}

/// Opens `spec` (a path, `-` for stdin, or a directory of Parquet parts) as a row source read
/// as `how` says; also returns the format (detected unless given) and the input size in bytes.
pub fn open_source(
    spec: &str,
    how: &InputSpec,
) -> Result<(Box<dyn RowSource>, Format, Option<u64>)> {
    let text_column = how.text_column.as_deref();
    let delimiter = how.delimiter;
    let mut input = Input::open(spec)?;
    let format = match how.format {
        Some(f) => f,
        None => input.detect_format(text_column)?,
    };
    if spec != "-" && Path::new(spec).is_dir() && format != Format::Parquet {
        return Err(SentirError::Usage(format!(
            "{spec} is a directory: only Parquet is read from directories (their part files)"
        )));
    }
    let size = input.size;
    let source: Box<dyn RowSource> = match format {
        Format::Csv => Box::new(CsvSource::new(input, delimiter, text_column)?),
        Format::Jsonl => Box::new(JsonlSource::new(input, text_column)),
        Format::Text => Box::new(TextSource::new(input)),
        Format::Parquet => Box::new(parquet::open(input, text_column)?),
        Format::Arrow => Box::new(arrow_ipc::open(input, text_column)?),
    };
    Ok((source, format, size))
}

/// Chooses the output format: explicit, else the output extension, else the input's
/// (plain text comes out as CSV with a `text` column), and checks that the input can be
/// written so: JSONL only as JSONL (its objects have no fixed columns), Parquet and Arrow
/// only as Parquet or Arrow (typed columns), CSV and text as anything but text.
pub fn output_format(cfg_format: Option<Format>, output: &str, input: Format) -> Result<Format> {
    let f = cfg_format
        .or_else(|| {
            (output != "-")
                .then(|| Format::from_path(Path::new(output)))
                .flatten()
        })
        .unwrap_or(match input {
            Format::Text => Format::Csv,
            other => other,
        });
    match (input, f) {
        (_, Format::Text) => Err(SentirError::Usage(
            "text is an input format only; write CSV, JSONL, Parquet or Arrow".into(),
        )),
        (Format::Parquet | Format::Arrow, Format::Csv | Format::Jsonl) => {
            let name = if input == Format::Parquet {
                "Parquet"
            } else {
                "Arrow"
            };
            Err(SentirError::Usage(format!(
                "{name} input can only be written as Parquet or Arrow (use a .parquet or .arrow output, or --output-format)"
            )))
        }
        (Format::Jsonl, g) if g != Format::Jsonl => Err(SentirError::Usage(
            "JSONL input can only be written as JSONL (use a .jsonl output)".into(),
        )),
        _ => Ok(f),
    }
}

/// Opens a sink writing `format` to `out` for rows of `source` (its columns or its schema).
pub fn open_sink(
    out: Output,
    format: Format,
    source: &dyn RowSource,
    delimiter: u8,
) -> Result<Box<dyn RowSink>> {
    let columns = source.columns();
    let name = out.name();
    if format.is_columnar() {
        let open = batch_writer(out, format);
        return Ok(match (source.arrow_schema(), columns) {
            (Some(schema), _) => {
                Box::new(BatchSink::for_arrow(open, schema, format == Format::Arrow)?)
            }
            (None, Some(cols)) => Box::new(BatchSink::for_fields(open, &cols)?),
            (None, None) => {
                return Err(SentirError::Usage(
                    "Parquet and Arrow output need CSV, text, Parquet or Arrow input".into(),
                ))
            }
        });
    }
    let commit: Commit<Output> = Box::new(|o: Output| o.commit());
    Ok(match format {
        Format::Jsonl => Box::new(JsonlSink::new(out, &name, columns.as_deref(), commit)),
        _ => {
            let cols = columns
                .ok_or_else(|| SentirError::Usage("CSV output needs CSV or text input".into()))?;
            Box::new(CsvSink::new(out, &name, &cols, delimiter, commit)?)
        }
    })
}

/// The writer of a Parquet or Arrow output, opened once the output schema is known.
fn batch_writer(out: Output, format: Format) -> OpenWriter<'static> {
    Box::new(move |schema| {
        let name = out.name();
        let commit: Commit<Output> = Box::new(|o: Output| o.commit());
        Ok(if format == Format::Arrow {
            Box::new(IpcWriter::new(out, &name, schema, commit)?) as Box<dyn BatchWriter>
        } else {
            Box::new(ParquetWriter::new(out, &name, schema, commit)?)
        })
    })
}
