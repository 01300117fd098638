//! Input formats (CSV, JSONL, plain text, Parquet, Arrow IPC) and writing rows back out with
//! their labels.

pub mod arrow_ipc;
pub mod arrow_values;
pub mod atomic;
pub mod batch_sink;
pub mod batches;
pub mod cell;
pub mod csv;
pub mod examples;
pub mod jsonl;
mod lines;
mod open;
pub mod parquet;
mod row_error;
pub mod text;

pub use open::{open_sink, open_source, output_format, InputSpec};
pub use row_error::{RowError, RowErrorKind, RowPos};

use crate::error::{Result, SentirError};
use crate::prediction::Outcome;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

/// Column names tried, case-insensitively, when `--text-column` is not given.
pub const TEXT_COLUMN_CANDIDATES: [&str; 12] = [
    "text",
    "message",
    "mensaje",
    "texto",
    "mensagem",
    "body",
    "content",
    "comment",
    "review",
    "nachricht",
    "messaggio",
    "message_text",
];

/// An input or output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// CSV with a header row.
    Csv,
    /// One JSON object per line.
    Jsonl,
    /// One message per line.
    Text,
    /// Apache Parquet (columns keep their types; labels are added as columns).
    Parquet,
    /// Arrow IPC (streaming format; columns keep their types, one output batch per input batch).
    Arrow,
}

impl Format {
    /// Parses `csv`, `jsonl` (or `ndjson`, `json`), `text` (or `txt`), `parquet` (or `pq`),
    /// `arrow` (or `arrows`, `ipc`).
    pub fn parse(s: &str) -> Option<Format> {
        match s.to_ascii_lowercase().as_str() {
            "csv" => Some(Format::Csv),
            "jsonl" | "ndjson" | "json" => Some(Format::Jsonl),
            "text" | "txt" => Some(Format::Text),
            "parquet" | "pq" => Some(Format::Parquet),
            "arrow" | "arrows" | "ipc" => Some(Format::Arrow),
            _ => None,
        }
    }

    /// Whether rows of this format are record batches (typed columns).
    pub fn is_columnar(self) -> bool {
        matches!(self, Format::Parquet | Format::Arrow)
    }

    /// The format a file extension implies.
    pub fn from_path(path: &Path) -> Option<Format> {
        Format::parse(path.extension()?.to_str()?)
    }
}

/// One input row: where it came from, the text to label (or why there is none), and the
/// original content to write back unchanged.
#[derive(Clone, Debug)]
pub struct Row {
    /// Where the row is: the line it starts on, or its row number (Parquet, Arrow).
    pub at: RowPos,
    /// The message, or the reason it cannot be labelled.
    pub text: std::result::Result<String, RowError>,
    /// The original row.
    pub payload: Payload,
}

/// The original content of a row.
#[derive(Clone, Debug)]
pub enum Payload {
    /// CSV fields (or the single field of a text line), as raw bytes.
    Fields(::csv::ByteRecord),
    /// A JSON object, keys in input order.
    Object(serde_json::Map<String, serde_json::Value>),
    /// A JSONL line that is not a JSON object (kept as text under the key `raw`).
    Raw(String),
    /// A row of a Parquet record batch (shared by the rows of the batch).
    Arrow {
        /// The batch the row belongs to.
        batch: std::sync::Arc<arrow_array::RecordBatch>,
        /// The row's index in the batch.
        row: usize,
    },
}

/// A stream of input rows.
pub trait RowSource: Send {
    /// The next row, `None` at the end. Errors here are fatal (I/O), not row problems.
    fn next_row(&mut self) -> Result<Option<Row>>;
    /// Input bytes consumed so far (for progress).
    fn position(&self) -> u64;
    /// Column names for field rows (CSV header, or `["text"]` for plain text).
    fn columns(&self) -> Option<Vec<Vec<u8>>>;
    /// The Arrow schema of Parquet or Arrow input (`None` for the other formats).
    fn arrow_schema(&self) -> Option<arrow_schema::SchemaRef> {
        None
    }
    /// Whether the rows read so far end an input batch of a stream whose producer may wait
    /// for that batch's output: the pipeline then labels them before reading on.
    fn at_batch_end(&self) -> bool {
        false
    }
}

/// What a writer does with its output once the last row is written (for files: flush, sync,
/// rename onto the target).
pub type Commit<W> = Box<dyn FnOnce(W) -> Result<()> + Send>;

/// Where labelled rows are written.
pub trait RowSink: Send {
    /// Writes one row with what was decided for it.
    fn write_row(&mut self, row: &Row, outcome: &Outcome) -> Result<()>;
    /// Flushes and commits the output (atomic rename for files).
    fn finish(self: Box<Self>) -> Result<()>;
}

/// An opened input: a buffered reader, its name for messages, and its size when known.
pub struct Input {
    /// Buffered reader over the file or stdin.
    pub reader: BufReader<Box<dyn Read + Send>>,
    /// Path or `-`.
    pub name: String,
    /// Size in bytes, for files.
    pub size: Option<u64>,
}

impl Input {
    /// Opens a path, or stdin for `-`. A directory opens with no bytes to read (only
    /// Parquet reads directories, by their parts).
    pub fn open(spec: &str) -> Result<Input> {
        let (inner, size): (Box<dyn Read + Send>, Option<u64>) = if spec == "-" {
            (Box::new(std::io::stdin()), None)
        } else if Path::new(spec).is_dir() {
            (Box::new(std::io::empty()), None)
        } else {
            let f = std::fs::File::open(spec).map_err(|e| SentirError::io(spec, e))?;
            let size = f.metadata().ok().map(|m| m.len());
            (Box::new(f), size)
        };
        Ok(Input {
            reader: BufReader::with_capacity(1 << 16, inner),
            name: spec.to_string(),
            size,
        })
    }

    /// Picks the format from the extension (a directory is Parquet parts), else from the
    /// first bytes: `PAR1` means Parquet, `ARROW1` or a continuation marker Arrow IPC, a `{`
    /// JSONL, a first line whose comma-separated fields include a text column name CSV,
    /// anything else is plain text.
    pub fn detect_format(&mut self, text_column: Option<&str>) -> Result<Format> {
        if self.name != "-" {
            if Path::new(&self.name).is_dir() {
                return Ok(Format::Parquet);
            }
            if let Some(f) = Format::from_path(Path::new(&self.name)) {
                return Ok(f);
            }
        }
        let head = self
            .reader
            .fill_buf()
            .map_err(|e| SentirError::io(&self.name, e))?;
        let head = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
        let first_line = head.split(|&b| b == b'\n').next().unwrap_or_default();
        if head.starts_with(b"PAR1") {
            return Ok(Format::Parquet);
        }
        if head.starts_with(arrow_ipc::FILE_MAGIC) || head.starts_with(arrow_ipc::STREAM_MARKER) {
            return Ok(Format::Arrow);
        }
        let first_line = String::from_utf8_lossy(first_line);
        if first_line.trim_start().starts_with('{') {
            return Ok(Format::Jsonl);
        }
        let is_header = first_line.split(',').any(|f| {
            let f = f.trim().trim_matches('"');
            match text_column {
                Some(c) => f == c,
                None => TEXT_COLUMN_CANDIDATES
                    .iter()
                    .any(|c| f.eq_ignore_ascii_case(c)),
            }
        });
        Ok(if is_header { Format::Csv } else { Format::Text })
    }
}

/// Finds the text column: the exact name, else a case-insensitive match, else (without a
/// name) the first candidate from [`TEXT_COLUMN_CANDIDATES`], else the only column.
pub fn find_text_column(columns: &[String], wanted: Option<&str>) -> Result<usize> {
    let pos = |name: &str| {
        columns
            .iter()
            .position(|c| c == name)
            .or_else(|| columns.iter().position(|c| c.eq_ignore_ascii_case(name)))
    };
    let found = match wanted {
        Some(name) => pos(name),
        None => TEXT_COLUMN_CANDIDATES
            .iter()
            .find_map(|c| pos(c))
            .or(if columns.len() == 1 { Some(0) } else { None }),
    };
    found.ok_or_else(|| {
        let what = match wanted {
            Some(name) => format!("text column {name:?} not found"),
            None => "no text column found (use --text-column NAME)".to_string(),
        };
        SentirError::Usage(format!("{what}; the columns are: {}", columns.join(", ")))
    })
}

/// [`find_text_column`], with the column's place as messages name it (`column "text"`).
pub(crate) fn text_column_and_name(
    columns: &[String],
    wanted: Option<&str>,
) -> Result<(usize, String)> {
    let i = find_text_column(columns, wanted)?;
    Ok((i, format!("column {:?}", columns[i])))
}

/// Strips one trailing `\n` or `\r\n`.
pub(crate) fn chomp(mut line: &[u8]) -> &[u8] {
    if let Some(l) = line.strip_suffix(b"\n") {
        line = l;
    }
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// Checks a message: valid UTF-8 and not blank.
pub(crate) fn check_text(
    bytes: &[u8],
    line: u64,
    what: &str,
) -> std::result::Result<String, RowError> {
    let err = |kind| Err(RowError::new(RowPos::Line(line), kind));
    match std::str::from_utf8(bytes) {
        Err(e) => err(RowErrorKind::NotUtf8 {
            what: Some(what.to_string()),
            byte: e.valid_up_to(),
        }),
        Ok(s) if s.trim().is_empty() => err(RowErrorKind::Empty {
            what: what.to_string(),
        }),
        Ok(s) => Ok(s.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_column_lookup() {
        let cols: Vec<String> = ["id", "Mensaje", "date"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(find_text_column(&cols, None).unwrap(), 1);
        assert_eq!(find_text_column(&cols, Some("date")).unwrap(), 2);
        let e = find_text_column(&cols, Some("body")).unwrap_err();
        assert!(e.to_string().contains("id, Mensaje, date"), "{e}");
        assert_eq!(e.exit_code(), 2);
    }

    #[test]
    fn text_checks_name_line_and_reason() {
        assert_eq!(check_text(b"hola", 3, "text").unwrap(), "hola");
        assert_eq!(
            check_text(b"  \t", 4, "text").unwrap_err().to_string(),
            "line 4: text is empty"
        );
        let e = check_text(b"ab\xff", 5, "text").unwrap_err().to_string();
        assert!(e.starts_with("line 5: text is not valid UTF-8"), "{e}");
    }
}
