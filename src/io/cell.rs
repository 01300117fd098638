//! Columns by name and one cell of a row: the one lookup and reading of a named value that
//! `report` and `--language-column` share.

use super::arrow_values::value_string;
use super::{Payload, Row, RowSource};

/// The column names of a source: its CSV header (or `text`), or its Arrow schema's fields;
/// `None` for JSONL, whose keys come with each row.
pub fn column_names(source: &dyn RowSource) -> Option<Vec<String>> {
    if let Some(schema) = source.arrow_schema() {
        return Some(schema.fields().iter().map(|f| f.name().clone()).collect());
    }
    source.columns().map(|cols| {
        cols.iter()
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect()
    })
}

/// Finds `wanted` among `names`: the exact name, else a case-insensitive match.
pub fn find_column(names: &[String], wanted: &str) -> Option<usize> {
    names
        .iter()
        .position(|c| c == wanted)
        .or_else(|| names.iter().position(|c| c.eq_ignore_ascii_case(wanted)))
}

/// Where a column is in a row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Column {
    /// By position (CSV and text fields, Parquet and Arrow columns).
    Index(usize),
    /// By key (JSONL objects).
    Key(String),
}

/// The text of one cell: a field as (lossy) UTF-8, a JSON string as it is and any other
/// JSON value as JSON, an Arrow value as [`value_string`] writes it. `Ok(None)` for a
/// missing or null value (or a column of the other kind); `Err` names an Arrow type that
/// has no text form.
pub fn cell(row: &Row, column: &Column) -> Result<Option<String>, String> {
    Ok(match (&row.payload, column) {
        (Payload::Fields(rec), Column::Index(i)) => {
            rec.get(*i).map(|b| String::from_utf8_lossy(b).into_owned())
        }
        (Payload::Object(o), Column::Key(k)) => match o.get(k) {
            None | Some(serde_json::Value::Null) => None,
            Some(serde_json::Value::String(s)) => Some(s.clone()),
            Some(v) => Some(v.to_string()),
        },
        (Payload::Arrow { batch, row }, Column::Index(i)) if *i < batch.num_columns() => {
            value_string(batch, *i, *row)?
        }
        _ => None,
    })
}
