//! Plain text input: one message per line (a blank line is a row with an error).

use super::lines::Lines;
use super::{check_text, Input, Payload, Row, RowPos, RowSource};
use crate::error::Result;
use ::csv::ByteRecord;

/// Reads lines; each becomes a row with a single field `text`.
pub struct TextSource {
    lines: Lines,
}

impl TextSource {
    /// Wraps an opened input.
    pub fn new(input: Input) -> TextSource {
        TextSource {
            lines: Lines::new(input),
        }
    }
}

impl RowSource for TextSource {
    fn next_row(&mut self) -> Result<Option<Row>> {
        let Some((line, bytes)) = self.lines.next_line()? else {
            return Ok(None);
        };
        let mut rec = ByteRecord::new();
        rec.push_field(bytes);
        Ok(Some(Row {
            at: RowPos::Line(line),
            text: check_text(bytes, line, "text"),
            payload: Payload::Fields(rec),
        }))
    }

    fn position(&self) -> u64 {
        self.lines.position()
    }

    fn columns(&self) -> Option<Vec<Vec<u8>>> {
        Some(vec![b"text".to_vec()])
    }
}
