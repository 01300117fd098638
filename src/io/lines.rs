//! Line-by-line reading for JSONL and plain text: 1-based line numbers, bytes consumed, line
//! ends stripped, a UTF-8 BOM dropped from the first line.

use super::{chomp, Input};
use crate::error::{Result, SentirError};
use std::io::BufRead;

/// An input read one line at a time.
pub(crate) struct Lines {
    input: Input,
    line: u64,
    pos: u64,
    buf: Vec<u8>,
}

impl Lines {
    /// Wraps an opened input.
    pub fn new(input: Input) -> Lines {
        Lines {
            input,
            line: 0,
            pos: 0,
            buf: Vec::new(),
        }
    }

    /// The next line's number and bytes (without `\n` / `\r\n`), `None` at the end.
    pub fn next_line(&mut self) -> Result<Option<(u64, &[u8])>> {
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
        Ok(Some((self.line, bytes)))
    }

    /// Input bytes consumed so far.
    pub fn position(&self) -> u64 {
        self.pos
    }
}
