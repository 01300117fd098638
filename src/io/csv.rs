//! CSV input (header row; BOM and CRLF tolerated) and output (input columns unchanged, label
//! columns added or overwritten in place).

use super::{
    check_text, text_column_and_name, Commit, Input, Payload, Row, RowError, RowErrorKind, RowPos,
    RowSink, RowSource,
};
use crate::error::{Result, SentirError};
use crate::prediction::{Outcome, OUTPUT_COLUMNS};
use ::csv::{ByteRecord, ReaderBuilder, Writer, WriterBuilder};
use std::io::{BufReader, Read, Write};

/// Reads CSV rows; ragged rows and bad text become row errors, never fatal ones.
pub struct CsvSource {
    reader: ::csv::Reader<BufReader<Box<dyn Read + Send>>>,
    header: Vec<Vec<u8>>,
    text_col: usize,
    text_name: String,
}

impl CsvSource {
    /// Reads the header and finds the text column.
    pub fn new(input: Input, delimiter: u8, text_column: Option<&str>) -> Result<CsvSource> {
        let name = input.name.clone();
        let mut reader = ReaderBuilder::new()
            .has_headers(true)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(input.reader);
        let header: Vec<Vec<u8>> = reader
            .byte_headers()
            .map_err(|e| SentirError::Input(format!("{name}: cannot read the CSV header: {e}")))?
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let f = if i == 0 {
                    f.strip_prefix(b"\xef\xbb\xbf").unwrap_or(f)
                } else {
                    f
                };
                f.to_vec()
            })
            .collect();
        if header.is_empty() || header.iter().all(|h| h.is_empty()) {
            return Err(SentirError::Input(format!(
                "{name}: empty input, no CSV header"
            )));
        }
        let names: Vec<String> = header
            .iter()
            .map(|h| String::from_utf8_lossy(h).into_owned())
            .collect();
        let (text_col, text_name) = text_column_and_name(&names, text_column)?;
        Ok(CsvSource {
            reader,
            text_name,
            header,
            text_col,
        })
    }
}

impl RowSource for CsvSource {
    fn next_row(&mut self) -> Result<Option<Row>> {
        let mut rec = ByteRecord::new();
        let more = self
            .reader
            .read_byte_record(&mut rec)
            .map_err(|e| SentirError::Input(format!("cannot read CSV: {e}")))?;
        if !more {
            return Ok(None);
        }
        let line = rec.position().map(|p| p.line()).unwrap_or(0);
        let width = self.header.len();
        let mut text = if rec.len() != width {
            let extra = rec
                .iter()
                .skip(width)
                .map(|f| format!("{:?}", String::from_utf8_lossy(f)))
                .collect();
            Err(RowError::new(
                RowPos::Line(line),
                RowErrorKind::FieldCount {
                    found: rec.len(),
                    expected: width,
                    extra,
                },
            ))
        } else {
            check_text(&rec[self.text_col], line, &self.text_name)
        };
        if rec.len() != width {
            // Keep the output rectangular; extra fields are quoted in the error above.
            let mut fixed = ByteRecord::new();
            for i in 0..width {
                fixed.push_field(rec.get(i).unwrap_or_default());
            }
            rec = fixed;
        } else if text.is_ok() && rec[self.text_col].contains(&0) {
            text = Err(RowError::new(
                RowPos::Line(line),
                RowErrorKind::NulByte {
                    what: self.text_name.clone(),
                },
            ));
        }
        Ok(Some(Row {
            at: RowPos::Line(line),
            text,
            payload: Payload::Fields(rec),
        }))
    }

    fn position(&self) -> u64 {
        self.reader.position().byte()
    }

    fn columns(&self) -> Option<Vec<Vec<u8>>> {
        Some(self.header.clone())
    }
}

/// A CSV write error on the output `name`, keeping the I/O error's kind.
pub(crate) fn csv_write_err(name: impl Into<std::path::PathBuf>, e: ::csv::Error) -> SentirError {
    let kind = match e.kind() {
        ::csv::ErrorKind::Io(io) => Some(io.kind()),
        _ => None,
    };
    SentirError::write_kind(name, "CSV", e, kind)
}

/// Writes CSV: the input header plus the label columns (an input column with the same name
/// as a label column is overwritten in place, so re-labelling a file is idempotent).
pub struct CsvSink<W: Write + Send> {
    writer: Writer<W>,
    /// For each of OUTPUT_COLUMNS, the index in the output row.
    slots: [usize; OUTPUT_COLUMNS.len()],
    width: usize,
    name: String,
    commit: Commit<W>,
}

impl<W: Write + Send> CsvSink<W> {
    /// Writes the header at once to `out` (`name` for messages).
    pub fn new(
        out: W,
        name: &str,
        columns: &[Vec<u8>],
        delimiter: u8,
        commit: Commit<W>,
    ) -> Result<CsvSink<W>> {
        let mut header: Vec<Vec<u8>> = columns.to_vec();
        let mut slots = [0usize; OUTPUT_COLUMNS.len()];
        for (slot, name) in slots.iter_mut().zip(OUTPUT_COLUMNS) {
            *slot = match header.iter().position(|h| h == name.as_bytes()) {
                Some(i) => i,
                None => {
                    header.push(name.as_bytes().to_vec());
                    header.len() - 1
                }
            };
        }
        let mut writer = WriterBuilder::new().delimiter(delimiter).from_writer(out);
        writer
            .write_record(&header)
            .map_err(|e| csv_write_err(name, e))?;
        Ok(CsvSink {
            writer,
            slots,
            width: header.len(),
            name: name.to_string(),
            commit,
        })
    }
}

impl<W: Write + Send> RowSink for CsvSink<W> {
    fn write_row(&mut self, row: &Row, outcome: &Outcome) -> Result<()> {
        let rec =
            match &row.payload {
                Payload::Fields(rec) => rec,
                Payload::Arrow { .. } => return Err(SentirError::Usage(
                    "CSV output needs CSV or text input; write Parquet input to a .parquet output"
                        .into(),
                )),
                Payload::Object(_) | Payload::Raw(_) => {
                    return Err(SentirError::Usage(
                        "CSV output needs CSV or text input; write JSONL input to a .jsonl output"
                            .into(),
                    ))
                }
            };
        let values = outcome.values();
        let mut out: Vec<&[u8]> = rec.iter().collect();
        out.resize(self.width, b"");
        for (slot, v) in self.slots.iter().zip(values.iter()) {
            out[*slot] = v.as_bytes();
        }
        self.writer
            .write_record(&out)
            .map_err(|e| csv_write_err(&self.name, e))
    }

    fn finish(self: Box<Self>) -> Result<()> {
        let me = *self;
        let inner = me
            .writer
            .into_inner()
            .map_err(|e| SentirError::write(&me.name, "CSV", e.error()))?;
        (me.commit)(inner)
    }
}
