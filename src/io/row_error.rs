//! Why a row cannot be labelled, and where it is: the reasons as variants, formatted here
//! and nowhere else (the `error` column and the stderr summary show this text).

use serde::{Deserialize, Serialize};
use std::fmt;

/// Where a row is in its input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RowPos {
    /// 1-based line where the row starts (CSV, JSONL, plain text).
    Line(u64),
    /// 1-based row number (Parquet, Arrow).
    Row(u64),
}

impl RowPos {
    /// The line or row number.
    pub fn number(self) -> u64 {
        match self {
            RowPos::Line(n) | RowPos::Row(n) => n,
        }
    }
}

impl fmt::Display for RowPos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RowPos::Line(n) => write!(f, "line {n}"),
            RowPos::Row(n) => write!(f, "row {n}"),
        }
    }
}

/// Why a row has no label. `what` names the message's place (`text`, `column "body"`,
/// `field "text"`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum RowErrorKind {
    /// The message is not valid UTF-8; `byte` is where the valid prefix ends.
    NotUtf8 {
        /// The message's place, or `None` for a whole line (JSONL).
        what: Option<String>,
        /// Length of the valid prefix.
        byte: usize,
    },
    /// The message is empty or only white space.
    Empty {
        /// The message's place.
        what: String,
    },
    /// A JSONL line with nothing on it.
    EmptyLine,
    /// The message is null (Parquet, Arrow).
    Null {
        /// The message's place.
        what: String,
    },
    /// The message contains a NUL byte.
    NulByte {
        /// The message's place.
        what: String,
    },
    /// A JSON object without the message's key.
    MissingField {
        /// The key.
        key: String,
    },
    /// The message's JSON value is not a string.
    JsonNotString {
        /// The message's place.
        what: String,
        /// What it is instead ("a number", "null", …).
        found: String,
    },
    /// The message's column does not hold text (Parquet, Arrow).
    ColumnNotText {
        /// The message's place.
        what: String,
        /// The column's Arrow type.
        data_type: String,
    },
    /// A JSONL line that is not JSON.
    InvalidJson(String),
    /// A JSONL line whose value is not an object.
    NotObject {
        /// What it is instead.
        found: String,
    },
    /// A CSV record with another number of fields than the header.
    FieldCount {
        /// Fields in the record.
        found: usize,
        /// Fields in the header.
        expected: usize,
        /// The fields past the header's width, quoted.
        extra: Vec<String>,
    },
    /// The tokenizer refused the text (its message, which starts with `tokenizer:`).
    Tokenizer(String),
}

impl fmt::Display for RowErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use RowErrorKind::*;
        match self {
            NotUtf8 {
                what: Some(w),
                byte,
            } => write!(f, "{w} is not valid UTF-8 (byte {byte})"),
            NotUtf8 { what: None, byte } => write!(f, "not valid UTF-8 (byte {byte})"),
            Empty { what } => write!(f, "{what} is empty"),
            EmptyLine => write!(f, "empty line"),
            Null { what } => write!(f, "{what} is null"),
            NulByte { what } => write!(f, "{what} contains a NUL byte"),
            MissingField { key } => write!(f, "no {key:?} field"),
            JsonNotString { what, found } => write!(f, "{what} is {found}, not a string"),
            ColumnNotText { what, data_type } => {
                write!(f, "{what} has type {data_type}, not a string")
            }
            InvalidJson(e) => write!(f, "invalid JSON: {e}"),
            NotObject { found } => write!(f, "the JSON value is {found}, not an object"),
            FieldCount {
                found,
                expected,
                extra,
            } => {
                write!(f, "row has {found} fields, the header has {expected}")?;
                if !extra.is_empty() {
                    write!(f, " (extra fields: {})", extra.join(", "))?;
                }
                Ok(())
            }
            Tokenizer(e) => write!(f, "{e}"),
        }
    }
}

/// A row that cannot be labelled: where it is and why.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RowError {
    /// The row's place in the input.
    pub at: RowPos,
    /// The reason.
    pub kind: RowErrorKind,
}

impl RowError {
    /// The error `kind` for the row at `at`.
    pub fn new(at: RowPos, kind: RowErrorKind) -> RowError {
        RowError { at, kind }
    }
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.at, self.kind)
    }
}

impl std::error::Error for RowError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_place_and_the_reason() {
        let e = |at, kind| RowError::new(at, kind).to_string();
        assert_eq!(
            e(
                RowPos::Line(4),
                RowErrorKind::Empty {
                    what: "text".into()
                }
            ),
            "line 4: text is empty"
        );
        assert_eq!(
            e(
                RowPos::Row(12),
                RowErrorKind::Null {
                    what: "column \"text\"".into()
                }
            ),
            "row 12: column \"text\" is null"
        );
        assert_eq!(
            e(
                RowPos::Line(3),
                RowErrorKind::FieldCount {
                    found: 3,
                    expected: 2,
                    extra: vec!["\"x\"".into()]
                }
            ),
            "line 3: row has 3 fields, the header has 2 (extra fields: \"x\")"
        );
        assert_eq!(
            e(
                RowPos::Line(2),
                RowErrorKind::NotUtf8 {
                    what: None,
                    byte: 5
                }
            ),
            "line 2: not valid UTF-8 (byte 5)"
        );
    }

    #[test]
    fn round_trips_through_json() {
        let r = RowError::new(
            RowPos::Row(7),
            RowErrorKind::ColumnNotText {
                what: "column \"t\"".into(),
                data_type: "Int64".into(),
            },
        );
        let back: RowError = serde_json::from_str(&serde_json::to_string(&r).unwrap()).unwrap();
        assert_eq!(back, r);
    }
}
