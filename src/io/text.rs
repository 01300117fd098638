//! Plain text input: one message per line (a blank line is a row with an error).

use super::{check_text, chomp, Input, Payload, Row, RowPos, RowSource};
use crate::error::{Result, SentirError};
use ::csv::ByteRecord;
use std::io::BufRead;

/// Reads lines; each becomes a row with a single field `text`.
pub struct TextSource {
    input: Input,
    line: u64,
    pos: u64,
    buf: Vec<u8>,
}

impl TextSource {
    /// Wraps an opened input.
    pub fn new(input: Input) -> TextSource {
        TextSource {
            input,
            line: 0,
            pos: 0,
            buf: Vec::new(),
        }
    }
}

impl RowSource for TextSource {
    fn next_row(&mut self) -> Result<Option<Row>> {
        self.buf.clear();
        let n = self
            .input
            .reader
            .read_until(b'\n', &mut self.buf)
            .map_err(|e| SentirError::io(&self.input.name, e))?;
        if n == 0 {
            return Ok(None);
        }
        self.pos += n as u64;
        self.line += 1;
        let mut bytes = chomp(&self.buf);
        if self.line == 1 {
            bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
        }
        let mut rec = ByteRecord::new();
        rec.push_field(bytes);
        Ok(Some(Row {
            at: RowPos::Line(self.line),
            text: check_text(bytes, self.line, "text"),
            payload: Payload::Fields(rec),
        }))
    }

    fn position(&self) -> u64 {
        self.pos
    }

    fn columns(&self) -> Option<Vec<Vec<u8>>> {
        Some(vec![b"text".to_vec()])
    }
}
