//! Rows of a stream of Arrow record batches (Parquet files, directories of Parquet parts,
//! Arrow IPC). Every row keeps a reference to its batch ([`Payload::Arrow`]), so the sinks
//! copy each input value with its original Arrow type.

use super::arrow_values::{column_strings, is_text_type};
use super::{text_column_and_name, Payload, Row, RowError, RowErrorKind, RowPos, RowSource};
use crate::error::{Result, SentirError};
use arrow_array::{Array, RecordBatch};
use arrow_schema::SchemaRef;
use std::sync::Arc;

/// Record batches in input order; an error is a fatal read error, already naming the input.
pub type Batches = Box<dyn Iterator<Item = std::result::Result<RecordBatch, String>> + Send>;

/// `batches` with a panic of the reader under them turned into a read error (`what` names the
/// input and format): the arrow and parquet crates panic on some malformed files instead of
/// returning an error. Nothing is read after it.
pub(crate) fn catch_panics(mut batches: Batches, what: String) -> Batches {
    let mut failed = false;
    Box::new(std::iter::from_fn(move || {
        if failed {
            return None;
        }
        let next = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| batches.next()));
        next.unwrap_or_else(|p| {
            failed = true;
            let why = crate::model::panic_text(p.as_ref());
            Some(Err(format!("{what}: malformed input ({why})")))
        })
    }))
}

/// A [`RowSource`] over record batches; the text column is found by name as in CSV.
pub struct BatchSource {
    batches: Batches,
    schema: SchemaRef,
    text_col: usize,
    text_name: String,
    batch: Option<Arc<RecordBatch>>,
    texts: Vec<std::result::Result<String, RowError>>,
    index: usize,
    rows_read: u64,
    total_rows: Option<u64>,
    size: u64,
    streaming: bool,
}

impl BatchSource {
    /// Rows of `batches`, which all have `schema`. `total_rows` and `size` (bytes) give
    /// progress; `streaming` ends pipeline chunks at batch ends (see
    /// [`RowSource::at_batch_end`]).
    pub fn new(
        batches: Batches,
        schema: SchemaRef,
        text_column: Option<&str>,
        total_rows: Option<u64>,
        size: u64,
        streaming: bool,
    ) -> Result<BatchSource> {
        let names: Vec<String> = schema.fields().iter().map(|f| f.name().clone()).collect();
        let (text_col, text_name) = text_column_and_name(&names, text_column)?;
        Ok(BatchSource {
            batches,
            text_name,
            schema,
            text_col,
            batch: None,
            texts: Vec::new(),
            index: 0,
            rows_read: 0,
            total_rows,
            size,
            streaming,
        })
    }
}

impl RowSource for BatchSource {
    fn next_row(&mut self) -> Result<Option<Row>> {
        while self
            .batch
            .as_ref()
            .is_none_or(|b| self.index >= b.num_rows())
        {
            match self.batches.next() {
                None => return Ok(None),
                Some(Err(e)) => return Err(SentirError::Input(e)),
                Some(Ok(b)) => {
                    if b.num_columns() != self.schema.fields().len() {
                        return Err(SentirError::Input(format!(
                            "a record batch after row {} has {} columns, the schema {}",
                            self.rows_read,
                            b.num_columns(),
                            self.schema.fields().len()
                        )));
                    }
                    self.texts = batch_texts(
                        b.column(self.text_col).as_ref(),
                        self.rows_read,
                        &self.text_name,
                    );
                    self.batch = Some(Arc::new(b));
                    self.index = 0;
                }
            }
        }
        let batch = self.batch.clone().expect("checked above");
        let row = self.index;
        self.index += 1;
        self.rows_read += 1;
        let at = RowPos::Row(self.rows_read);
        let text = std::mem::replace(
            &mut self.texts[row],
            Err(RowError::new(at, RowErrorKind::EmptyLine)),
        );
        Ok(Some(Row {
            at,
            text,
            payload: Payload::Arrow { batch, row },
        }))
    }

    /// An estimate: the input size times the share of rows read (0 for streams).
    fn position(&self) -> u64 {
        match self.total_rows {
            Some(0) => self.size,
            Some(total) => (self.size as f64 * self.rows_read as f64 / total as f64) as u64,
            None => 0,
        }
    }

    fn columns(&self) -> Option<Vec<Vec<u8>>> {
        None
    }

    fn arrow_schema(&self) -> Option<SchemaRef> {
        Some(self.schema.clone())
    }

    fn at_batch_end(&self) -> bool {
        self.streaming
            && self
                .batch
                .as_ref()
                .is_some_and(|b| self.index >= b.num_rows())
    }
}

/// The message of each row of a batch; `first_row` rows came before it. Rows are numbered
/// from 1 in messages ("row N").
pub(crate) fn batch_texts(
    col: &dyn Array,
    first_row: u64,
    what: &str,
) -> Vec<std::result::Result<String, RowError>> {
    let n = col.len();
    let what = || what.to_string();
    let err = |i: usize, kind| Err(RowError::new(RowPos::Row(first_row + i as u64 + 1), kind));
    if !is_text_type(col.data_type()) {
        let data_type = col.data_type().to_string();
        return (0..n)
            .map(|i| {
                err(
                    i,
                    RowErrorKind::ColumnNotText {
                        what: what(),
                        data_type: data_type.clone(),
                    },
                )
            })
            .collect();
    }
    let values = column_strings(col).unwrap_or_else(|_| vec![None; n]);
    values
        .into_iter()
        .enumerate()
        .map(|(i, v)| match v {
            None => err(i, RowErrorKind::Null { what: what() }),
            Some(s) if s.trim().is_empty() => err(i, RowErrorKind::Empty { what: what() }),
            Some(s) if s.contains('\0') => err(i, RowErrorKind::NulByte { what: what() }),
            Some(s) => Ok(s),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::{Int64Array, StringArray};
    use arrow_schema::{DataType, Field, Schema};

    #[test]
    fn texts_name_the_row_and_reason() {
        let col = StringArray::from(vec![Some("hola"), None, Some("  ")]);
        let t = batch_texts(&col, 10, "column \"text\"");
        let t: Vec<_> = t
            .into_iter()
            .map(|r| r.map_err(|e| e.to_string()))
            .collect();
        let err = |s: &str| Err::<String, String>(s.to_string());
        assert_eq!(t[0], Ok("hola".to_string()));
        assert_eq!(t[1], err("row 12: column \"text\" is null"));
        assert_eq!(t[2], err("row 13: column \"text\" is empty"));
        let ints = Int64Array::from(vec![1]);
        assert_eq!(
            batch_texts(&ints, 0, "column \"text\"")[0]
                .clone()
                .map_err(|e| e.to_string()),
            err("row 1: column \"text\" has type Int64, not a string")
        );
    }

    fn batch(texts: &[&str]) -> RecordBatch {
        let schema = Arc::new(Schema::new(vec![Field::new("text", DataType::Utf8, true)]));
        let col = Arc::new(StringArray::from(texts.to_vec()));
        RecordBatch::try_new(schema, vec![col]).unwrap()
    }

    #[test]
    fn a_panicking_reader_is_a_read_error() {
        let batches: Batches = Box::new(
            [Ok(batch(&["a"]))]
                .into_iter()
                .chain(std::iter::from_fn(|| panic!("slice offset out of range"))),
        );
        let schema = batch(&[]).schema();
        let batches = catch_panics(batches, "in.arrow: cannot read Arrow IPC".into());
        let mut s = BatchSource::new(batches, schema, None, None, 0, false).unwrap();
        assert_eq!(s.next_row().unwrap().unwrap().at, RowPos::Row(1));
        let e = s.next_row().unwrap_err();
        assert_eq!(e.exit_code(), 1);
        assert_eq!(
            e.to_string(),
            "in.arrow: cannot read Arrow IPC: malformed input (slice offset out of range)"
        );
    }

    #[test]
    fn streams_end_chunks_at_batch_ends_and_number_rows_across_batches() {
        let batches = vec![Ok(batch(&["a", "b"])), Ok(batch(&[])), Ok(batch(&["c"]))];
        let schema = batches[0].as_ref().unwrap().schema();
        let mut s =
            BatchSource::new(Box::new(batches.into_iter()), schema, None, None, 0, true).unwrap();
        assert!(!s.at_batch_end());
        assert_eq!(s.next_row().unwrap().unwrap().at, RowPos::Row(1));
        assert!(!s.at_batch_end());
        assert_eq!(s.next_row().unwrap().unwrap().at, RowPos::Row(2));
        assert!(s.at_batch_end());
        let third = s.next_row().unwrap().unwrap();
        assert_eq!(
            (third.at, third.text),
            (RowPos::Row(3), Ok("c".to_string()))
        );
        assert!(s.at_batch_end());
        assert!(s.next_row().unwrap().is_none());
    }
}
