//! JSONL input (one object per line) and output (input keys unchanged, label keys added).

use super::lines::Lines;
use super::{
    Commit, Input, Payload, Row, RowError, RowErrorKind, RowPos, RowSink, RowSource,
    TEXT_COLUMN_CANDIDATES,
};
use crate::error::{Result, SentirError};
use crate::prediction::{Outcome, OUTPUT_COLUMNS};
use serde_json::{Map, Value};
use std::io::Write;

/// Reads JSONL rows; every line (blank ones too) is a row.
pub struct JsonlSource {
    lines: Lines,
    text_field: Option<String>,
}

impl JsonlSource {
    /// `text_field` is the key holding the message; without it the first object's keys are
    /// matched against the usual names.
    pub fn new(input: Input, text_field: Option<&str>) -> JsonlSource {
        JsonlSource {
            lines: Lines::new(input),
            text_field: text_field.map(str::to_string),
        }
    }

    fn text_of(
        &mut self,
        obj: &Map<String, Value>,
        line: u64,
    ) -> Result<std::result::Result<String, RowError>> {
        if self.text_field.is_none() {
            let found = TEXT_COLUMN_CANDIDATES
                .iter()
                .find_map(|c| obj.keys().find(|k| k.eq_ignore_ascii_case(c)).cloned());
            match found {
                Some(k) => self.text_field = Some(k),
                None => {
                    let keys: Vec<&str> = obj.keys().map(String::as_str).collect();
                    return Err(SentirError::Usage(format!(
                        "line {line}: no text field found (use --text-column NAME); the keys are: {}",
                        keys.join(", ")
                    )));
                }
            }
        }
        let key = self.text_field.as_deref().expect("set above");
        let what = || format!("field {key:?}");
        let kind = match obj.get(key) {
            None => RowErrorKind::MissingField {
                key: key.to_string(),
            },
            Some(Value::String(s)) if s.trim().is_empty() => RowErrorKind::Empty { what: what() },
            Some(Value::String(s)) => return Ok(Ok(s.clone())),
            Some(v) => RowErrorKind::JsonNotString {
                what: what(),
                found: kind(v).to_string(),
            },
        };
        Ok(Err(RowError::new(RowPos::Line(line), kind)))
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

impl RowSource for JsonlSource {
    fn next_row(&mut self) -> Result<Option<Row>> {
        let Some((line, bytes)) = self.lines.next_line()? else {
            return Ok(None);
        };
        let at = RowPos::Line(line);
        let failed = |kind, raw: String| Row {
            at,
            text: Err(RowError::new(at, kind)),
            payload: Payload::Raw(raw),
        };
        let row = match std::str::from_utf8(bytes) {
            Err(e) => failed(
                RowErrorKind::NotUtf8 {
                    what: None,
                    byte: e.valid_up_to(),
                },
                String::from_utf8_lossy(bytes).into_owned(),
            ),
            Ok(s) if s.trim().is_empty() => failed(RowErrorKind::EmptyLine, String::new()),
            Ok(s) => match serde_json::from_str::<Value>(s) {
                Err(e) => failed(RowErrorKind::InvalidJson(e.to_string()), s.to_string()),
                Ok(Value::Object(obj)) => {
                    let text = self.text_of(&obj, line)?;
                    Row {
                        at,
                        text,
                        payload: Payload::Object(obj),
                    }
                }
                Ok(v) => failed(
                    RowErrorKind::NotObject {
                        found: kind(&v).to_string(),
                    },
                    s.to_string(),
                ),
            },
        };
        Ok(Some(row))
    }

    fn position(&self) -> u64 {
        self.lines.position()
    }

    fn columns(&self) -> Option<Vec<Vec<u8>>> {
        None
    }
}

/// Writes one JSON object per row: the input object with the label keys set.
pub struct JsonlSink<W: Write + Send> {
    out: W,
    columns: Option<Vec<String>>,
    name: String,
    commit: Commit<W>,
}

impl<W: Write + Send> JsonlSink<W> {
    /// Writes to `out` (`name` for messages); `columns` names the fields of CSV/text rows.
    pub fn new(out: W, name: &str, columns: Option<&[Vec<u8>]>, commit: Commit<W>) -> JsonlSink<W> {
        JsonlSink {
            out,
            columns: columns.map(|c| {
                c.iter()
                    .map(|h| String::from_utf8_lossy(h).into_owned())
                    .collect()
            }),
            name: name.to_string(),
            commit,
        }
    }
}

impl<W: Write + Send> RowSink for JsonlSink<W> {
    fn write_row(&mut self, row: &Row, outcome: &Outcome) -> Result<()> {
        let mut obj = match &row.payload {
            Payload::Object(o) => o.clone(),
            Payload::Raw(s) => {
                let mut o = Map::new();
                o.insert("raw".into(), Value::String(s.clone()));
                o
            }
            Payload::Arrow { .. } => {
                return Err(SentirError::Usage(
                    "JSONL output needs CSV, text or JSONL input; write Parquet input to a .parquet output".into(),
                ))
            }
            Payload::Fields(rec) => {
                let cols = self.columns.as_deref().unwrap_or_default();
                rec.iter()
                    .enumerate()
                    .map(|(i, f)| {
                        let k = cols.get(i).cloned().unwrap_or_else(|| format!("field_{i}"));
                        (k, Value::String(String::from_utf8_lossy(f).into_owned()))
                    })
                    .collect()
            }
        };
        for (k, v) in OUTPUT_COLUMNS.iter().zip(outcome.json_values()) {
            obj.insert((*k).to_string(), v);
        }
        serde_json::to_writer(&mut self.out, &Value::Object(obj)).map_err(|e| {
            let kind = e.io_error_kind();
            SentirError::write_kind(&self.name, "JSONL", e, kind)
        })?;
        self.out
            .write_all(b"\n")
            .map_err(|e| SentirError::write(&self.name, "JSONL", &e))
    }

    fn finish(self: Box<Self>) -> Result<()> {
        let me = *self;
        (me.commit)(me.out)
    }
}
