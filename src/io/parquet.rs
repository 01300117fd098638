//! Parquet input (record batches; the text column found by name as in CSV) and output (the
//! input schema unchanged plus the label columns, or all-text columns for CSV/text input).
//!
//! Rows carry their record batch ([`Payload::Arrow`]), so the sink copies every input value
//! with its original Arrow type. Reading needs the whole file (Parquet keeps its index at
//! the end): stdin is read into memory first. Compression: snappy or none.

use super::{find_text_column, Input, Payload, Row, RowSink, RowSource};
use crate::error::{Result, SentirError};
use crate::prediction::{Outcome, OUTPUT_COLUMNS};
use arrow_array::builder::{BooleanBuilder, Float32Builder, StringBuilder};
use arrow_array::cast::AsArray;
use arrow_array::types::{
    Date64Type, Float32Type, Float64Type, Int16Type, Int32Type, Int64Type, Int8Type,
    TimestampMicrosecondType, TimestampMillisecondType, TimestampNanosecondType,
    TimestampSecondType, UInt16Type, UInt32Type, UInt64Type, UInt8Type,
};
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, SchemaRef, TimeUnit};
use parquet::arrow::arrow_reader::{ParquetRecordBatchReader, ParquetRecordBatchReaderBuilder};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;
use parquet::file::reader::ChunkReader;
use std::io::{Read, Write};
use std::sync::Arc;

/// Rows per record batch when reading.
const READ_BATCH_ROWS: usize = 1024;
/// Rows buffered by the sink before they go to the Parquet writer as one batch.
const WRITE_BATCH_ROWS: usize = 4096;

/// Reads a Parquet file batch by batch; every row keeps a reference to its batch.
pub struct ParquetSource {
    reader: ParquetRecordBatchReader,
    name: String,
    schema: SchemaRef,
    text_col: usize,
    text_name: String,
    batch: Option<Arc<RecordBatch>>,
    texts: Vec<std::result::Result<String, String>>,
    index: usize,
    rows_read: u64,
    total_rows: u64,
    size: u64,
}

impl ParquetSource {
    /// Opens the Parquet file behind `input` (stdin is read into memory) and finds the text
    /// column among the top-level fields.
    pub fn new(input: Input, text_column: Option<&str>) -> Result<ParquetSource> {
        let name = input.name.clone();
        let (reader, size) = if name == "-" {
            let mut buf = Vec::new();
            let mut r = input.reader;
            r.read_to_end(&mut buf)
                .map_err(|e| SentirError::io("-", e))?;
            let size = buf.len() as u64;
            (open_reader(bytes::Bytes::from(buf), &name)?, size)
        } else {
            drop(input);
            let f = std::fs::File::open(&name).map_err(|e| SentirError::io(&name, e))?;
            let size = f.metadata().map(|m| m.len()).unwrap_or(0);
            (open_reader(f, &name)?, size)
        };
        let (reader, schema, total_rows) = reader;
        let names: Vec<String> = schema.fields().iter().map(|f| f.name().clone()).collect();
        let text_col = find_text_column(&names, text_column)?;
        Ok(ParquetSource {
            reader,
            text_name: format!("column {:?}", names[text_col]),
            name,
            schema,
            text_col,
            batch: None,
            texts: Vec::new(),
            index: 0,
            rows_read: 0,
            total_rows,
            size,
        })
    }
}

type Opened = (ParquetRecordBatchReader, SchemaRef, u64);

fn open_reader<T: ChunkReader + 'static>(file: T, name: &str) -> Result<Opened> {
    let bad = |e: parquet::errors::ParquetError| {
        SentirError::Input(format!("{name}: cannot read Parquet: {e}"))
    };
    let builder = ParquetRecordBatchReaderBuilder::try_new(file).map_err(bad)?;
    let schema = builder.schema().clone();
    let total = builder.metadata().file_metadata().num_rows().max(0) as u64;
    let reader = builder
        .with_batch_size(READ_BATCH_ROWS)
        .build()
        .map_err(bad)?;
    Ok((reader, schema, total))
}

impl RowSource for ParquetSource {
    fn next_row(&mut self) -> Result<Option<Row>> {
        while self
            .batch
            .as_ref()
            .is_none_or(|b| self.index >= b.num_rows())
        {
            match self.reader.next() {
                None => return Ok(None),
                Some(Err(e)) => {
                    return Err(SentirError::Input(format!(
                        "{}: cannot read Parquet: {e}",
                        self.name
                    )));
                }
                Some(Ok(b)) => {
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
        let text = std::mem::replace(&mut self.texts[row], Err(String::new()));
        Ok(Some(Row {
            line: self.rows_read,
            text,
            payload: Payload::Arrow { batch, row },
        }))
    }

    /// An estimate: the file size times the share of rows read.
    fn position(&self) -> u64 {
        if self.total_rows == 0 {
            return self.size;
        }
        (self.size as f64 * self.rows_read as f64 / self.total_rows as f64) as u64
    }

    fn columns(&self) -> Option<Vec<Vec<u8>>> {
        None
    }

    fn arrow_schema(&self) -> Option<SchemaRef> {
        Some(self.schema.clone())
    }
}

/// The message of each row of a batch; `first_row` rows came before it. Rows are numbered
/// from 1 in messages ("row N").
fn batch_texts(
    col: &dyn Array,
    first_row: u64,
    what: &str,
) -> Vec<std::result::Result<String, String>> {
    let n = col.len();
    if !is_text_type(col.data_type()) {
        let dt = col.data_type().to_string();
        return (0..n)
            .map(|i| {
                Err(format!(
                    "row {}: {what} has type {dt}, not a string",
                    first_row + i as u64 + 1
                ))
            })
            .collect();
    }
    let values = column_strings(col).unwrap_or_else(|_| vec![None; n]);
    values
        .into_iter()
        .enumerate()
        .map(|(i, v)| {
            let r = first_row + i as u64 + 1;
            match v {
                None => Err(format!("row {r}: {what} is null")),
                Some(s) if s.trim().is_empty() => Err(format!("row {r}: {what} is empty")),
                Some(s) if s.contains('\0') => Err(format!("row {r}: {what} contains a NUL byte")),
                Some(s) => Ok(s),
            }
        })
        .collect()
}

/// Whether a column holds strings (plain, large, view or dictionary-encoded).
pub fn is_text_type(dt: &DataType) -> bool {
    match dt {
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => true,
        DataType::Dictionary(_, v) => is_text_type(v),
        _ => false,
    }
}

/// Every value of a column as text (`None` for null): strings as they are, numbers and
/// booleans as written by Rust, dates as `YYYY-MM-DD`, timestamps as RFC 3339 (`…Z` when the
/// column has a time zone, since Arrow stores those in UTC; without one, the wall-clock time
/// and no offset). The error names an unsupported type.
pub fn column_strings(col: &dyn Array) -> std::result::Result<Vec<Option<String>>, String> {
    fn prim<T: arrow_array::ArrowPrimitiveType>(col: &dyn Array) -> Vec<Option<String>>
    where
        T::Native: ToString,
    {
        col.as_primitive::<T>()
            .iter()
            .map(|v| v.map(|x| x.to_string()))
            .collect()
    }
    fn ts<T: arrow_array::ArrowPrimitiveType<Native = i64>>(
        col: &dyn Array,
        utc: bool,
    ) -> Vec<Option<String>> {
        let fmt = if utc {
            "%Y-%m-%dT%H:%M:%S%.fZ"
        } else {
            "%Y-%m-%dT%H:%M:%S%.f"
        };
        col.as_primitive::<T>()
            .iter()
            .map(|v| {
                v.and_then(arrow_array::temporal_conversions::as_datetime::<T>)
                    .map(|d| d.format(fmt).to_string())
            })
            .collect()
    }
    let dt = col.data_type();
    Ok(match dt {
        DataType::Null => vec![None; col.len()],
        DataType::Utf8 => col
            .as_string::<i32>()
            .iter()
            .map(|v| v.map(str::to_string))
            .collect(),
        DataType::LargeUtf8 => col
            .as_string::<i64>()
            .iter()
            .map(|v| v.map(str::to_string))
            .collect(),
        DataType::Utf8View => col
            .as_string_view()
            .iter()
            .map(|v| v.map(str::to_string))
            .collect(),
        DataType::Boolean => col
            .as_boolean()
            .iter()
            .map(|v| v.map(|b| b.to_string()))
            .collect(),
        DataType::Int8 => prim::<Int8Type>(col),
        DataType::Int16 => prim::<Int16Type>(col),
        DataType::Int32 => prim::<Int32Type>(col),
        DataType::Int64 => prim::<Int64Type>(col),
        DataType::UInt8 => prim::<UInt8Type>(col),
        DataType::UInt16 => prim::<UInt16Type>(col),
        DataType::UInt32 => prim::<UInt32Type>(col),
        DataType::UInt64 => prim::<UInt64Type>(col),
        DataType::Float32 => prim::<Float32Type>(col),
        DataType::Float64 => prim::<Float64Type>(col),
        DataType::Date32 => col
            .as_primitive::<arrow_array::types::Date32Type>()
            .iter()
            .map(|v| {
                v.and_then(arrow_array::temporal_conversions::date32_to_datetime)
                    .map(|d| d.format("%Y-%m-%d").to_string())
            })
            .collect(),
        DataType::Date64 => col
            .as_primitive::<Date64Type>()
            .iter()
            .map(|v| {
                v.and_then(arrow_array::temporal_conversions::date64_to_datetime)
                    .map(|d| d.format("%Y-%m-%d").to_string())
            })
            .collect(),
        DataType::Timestamp(unit, tz) => {
            let utc = tz.is_some();
            match unit {
                TimeUnit::Second => ts::<TimestampSecondType>(col, utc),
                TimeUnit::Millisecond => ts::<TimestampMillisecondType>(col, utc),
                TimeUnit::Microsecond => ts::<TimestampMicrosecondType>(col, utc),
                TimeUnit::Nanosecond => ts::<TimestampNanosecondType>(col, utc),
            }
        }
        DataType::Dictionary(_, _) => {
            let dict = col.as_any_dictionary();
            let values = column_strings(dict.values().as_ref())?;
            if values.is_empty() {
                vec![None; col.len()]
            } else {
                let keys = dict.normalized_keys();
                (0..col.len())
                    .map(|i| {
                        if col.is_null(i) {
                            None
                        } else {
                            values.get(keys[i]).cloned().flatten()
                        }
                    })
                    .collect()
            }
        }
        other => return Err(other.to_string()),
    })
}

/// One value of a batch as text, formatted like [`column_strings`] (`None` for null).
pub fn value_string(
    batch: &RecordBatch,
    col: usize,
    row: usize,
) -> std::result::Result<Option<String>, String> {
    let one = batch.column(col).slice(row, 1);
    Ok(column_strings(one.as_ref())?.pop().flatten())
}

/// Where each output column comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Slot {
    /// The input column with this index.
    Input(usize),
    /// The label column with this index in [`OUTPUT_COLUMNS`].
    Label(usize),
}

/// The Arrow field of a label column: `score`, `p_*` and `reason_score` are Float32,
/// `mixed` Boolean, the others Utf8; all nullable.
pub fn label_field(name: &str) -> Field {
    let dt = match name {
        "score" | "p_negative" | "p_neutral" | "p_positive" | "reason_score" => DataType::Float32,
        "mixed" => DataType::Boolean,
        _ => DataType::Utf8,
    };
    Field::new(name, dt, true)
}

/// The output schema for an input schema: the input fields in order, a field named like a
/// label column replaced in place by it, the other label columns appended.
pub fn output_schema(input: &Schema) -> SchemaRef {
    output_layout(input).0
}

fn output_layout(input: &Schema) -> (SchemaRef, Vec<Slot>) {
    let mut fields: Vec<Field> = input.fields().iter().map(|f| f.as_ref().clone()).collect();
    let mut slots: Vec<Slot> = (0..fields.len()).map(Slot::Input).collect();
    for (m, name) in OUTPUT_COLUMNS.iter().enumerate() {
        match fields.iter().position(|f| f.name() == name) {
            Some(i) => {
                fields[i] = label_field(name);
                slots[i] = Slot::Label(m);
            }
            None => {
                fields.push(label_field(name));
                slots.push(Slot::Label(m));
            }
        }
    }
    let mut metadata = input.metadata().clone();
    metadata.remove("ARROW:schema");
    (Arc::new(Schema::new_with_metadata(fields, metadata)), slots)
}

/// What the rows given to a [`ParquetSink`] look like.
enum Rows {
    /// Parquet input: the rows' record batches (distinct, in order) and (batch, row) pairs.
    Arrow {
        batches: Vec<Arc<RecordBatch>>,
        picks: Vec<(usize, usize)>,
    },
    /// CSV or text input: one string column per input column.
    Fields { columns: Vec<StringBuilder> },
}

/// Writes Parquet (snappy): the input columns with their types, plus the label columns.
pub struct ParquetSink<W: Write + Send> {
    writer: ArrowWriter<W>,
    schema: SchemaRef,
    slots: Vec<Slot>,
    input_width: usize,
    rows: Rows,
    pending: usize,
    sentiment: StringBuilder,
    /// score, p_negative, p_neutral, p_positive.
    floats: [Float32Builder; 4],
    mixed: BooleanBuilder,
    reason: StringBuilder,
    reason_score: Float32Builder,
    language: StringBuilder,
    error: StringBuilder,
    commit: Box<dyn FnOnce(W) -> Result<()> + Send>,
}

fn write_err(e: impl std::fmt::Display) -> SentirError {
    SentirError::Other(format!("cannot write Parquet: {e}"))
}

impl<W: Write + Send> ParquetSink<W> {
    /// A sink for rows read from Parquet with this schema (their payloads are
    /// [`Payload::Arrow`]).
    pub fn for_arrow(
        out: W,
        input: SchemaRef,
        commit: Box<dyn FnOnce(W) -> Result<()> + Send>,
    ) -> Result<Self> {
        let rows = Rows::Arrow {
            batches: Vec::new(),
            picks: Vec::new(),
        };
        Self::new(out, &input, rows, commit)
    }

    /// A sink for CSV or text rows with these column names: every input column becomes a
    /// nullable Utf8 column (invalid UTF-8 is replaced with U+FFFD).
    pub fn for_fields(
        out: W,
        columns: &[Vec<u8>],
        commit: Box<dyn FnOnce(W) -> Result<()> + Send>,
    ) -> Result<Self> {
        let mut seen = std::collections::HashSet::new();
        let fields: Vec<Field> = columns
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let mut name = String::from_utf8_lossy(c).into_owned();
                if name.is_empty() || !seen.insert(name.clone()) {
                    name = format!("column_{}", i + 1);
                    seen.insert(name.clone());
                }
                Field::new(name, DataType::Utf8, true)
            })
            .collect();
        let rows = Rows::Fields {
            columns: (0..fields.len()).map(|_| StringBuilder::new()).collect(),
        };
        Self::new(out, &Schema::new(fields), rows, commit)
    }

    fn new(
        out: W,
        input: &Schema,
        rows: Rows,
        commit: Box<dyn FnOnce(W) -> Result<()> + Send>,
    ) -> Result<Self> {
        let (schema, slots) = output_layout(input);
        let props = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .build();
        let writer = ArrowWriter::try_new(out, schema.clone(), Some(props)).map_err(write_err)?;
        Ok(ParquetSink {
            writer,
            schema,
            slots,
            input_width: input.fields().len(),
            rows,
            pending: 0,
            sentiment: StringBuilder::new(),
            floats: std::array::from_fn(|_| Float32Builder::new()),
            mixed: BooleanBuilder::new(),
            reason: StringBuilder::new(),
            reason_score: Float32Builder::new(),
            language: StringBuilder::new(),
            error: StringBuilder::new(),
            commit,
        })
    }

    fn flush(&mut self) -> Result<()> {
        if self.pending == 0 {
            return Ok(());
        }
        let mut label_cols: Vec<Option<ArrayRef>> = vec![
            Some(Arc::new(self.sentiment.finish())),
            Some(Arc::new(self.floats[0].finish())),
            Some(Arc::new(self.floats[1].finish())),
            Some(Arc::new(self.floats[2].finish())),
            Some(Arc::new(self.floats[3].finish())),
            Some(Arc::new(self.mixed.finish())),
            Some(Arc::new(self.reason.finish())),
            Some(Arc::new(self.reason_score.finish())),
            Some(Arc::new(self.language.finish())),
            Some(Arc::new(self.error.finish())),
        ];
        let mut input_cols: Vec<Option<ArrayRef>> = vec![None; self.input_width];
        match &mut self.rows {
            Rows::Arrow { batches, picks } => {
                for (i, slot) in input_cols.iter_mut().enumerate() {
                    if !self.slots.contains(&Slot::Input(i)) {
                        continue;
                    }
                    let arrays: Vec<&dyn Array> =
                        batches.iter().map(|b| b.column(i).as_ref()).collect();
                    *slot = Some(
                        arrow_select::interleave::interleave(&arrays, picks).map_err(write_err)?,
                    );
                }
                // Keep the batch the next rows may still come from.
                let last = batches.last().cloned();
                batches.clear();
                batches.extend(last);
                picks.clear();
            }
            Rows::Fields { columns } => {
                for (slot, b) in input_cols.iter_mut().zip(columns.iter_mut()) {
                    *slot = Some(Arc::new(b.finish()));
                }
            }
        }
        let columns: Vec<ArrayRef> = self
            .slots
            .iter()
            .map(|s| match *s {
                Slot::Input(i) => input_cols[i].take().expect("built above"),
                Slot::Label(m) => label_cols[m].take().expect("built above"),
            })
            .collect();
        let batch = RecordBatch::try_new(self.schema.clone(), columns).map_err(write_err)?;
        self.writer.write(&batch).map_err(write_err)?;
        self.pending = 0;
        Ok(())
    }
}

impl<W: Write + Send> RowSink for ParquetSink<W> {
    fn write_row(&mut self, row: &Row, outcome: &Outcome) -> Result<()> {
        match (&mut self.rows, &row.payload) {
            (Rows::Arrow { batches, picks }, Payload::Arrow { batch, row: r }) => {
                if !batches.last().is_some_and(|b| Arc::ptr_eq(b, batch)) {
                    batches.push(batch.clone());
                }
                picks.push((batches.len() - 1, *r));
            }
            (Rows::Fields { columns }, Payload::Fields(rec)) => {
                for (i, b) in columns.iter_mut().enumerate() {
                    b.append_value(String::from_utf8_lossy(rec.get(i).unwrap_or_default()));
                }
            }
            (_, Payload::Object(_) | Payload::Raw(_)) => {
                return Err(SentirError::Usage(
                    "Parquet output needs CSV, text or Parquet input; write JSONL input to a .jsonl output".into(),
                ));
            }
            _ => {
                return Err(SentirError::Other(
                    "internal: Parquet sink got rows of another input format".into(),
                ));
            }
        }
        match outcome {
            Outcome::Labelled(p, lang) => {
                self.sentiment.append_value(p.sentiment.as_str());
                self.floats[0].append_value(p.score);
                for k in 0..3 {
                    self.floats[k + 1].append_value(p.probs[k]);
                }
                self.mixed.append_option(p.mixed());
                self.reason.append_option(p.reason_name());
                self.reason_score.append_option(p.reason.map(|r| r.1));
                self.language.append_option(lang.as_deref());
                self.error.append_null();
            }
            Outcome::Failed(e) => {
                self.sentiment.append_null();
                for b in &mut self.floats {
                    b.append_null();
                }
                self.mixed.append_null();
                self.reason.append_null();
                self.reason_score.append_null();
                self.language.append_null();
                self.error.append_value(e);
            }
        }
        self.pending += 1;
        if self.pending >= WRITE_BATCH_ROWS {
            self.flush()?;
        }
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> Result<()> {
        self.flush()?;
        let me = *self;
        let inner = me.writer.into_inner().map_err(write_err)?;
        (me.commit)(inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::{Int64Array, StringArray, TimestampMillisecondArray};

    #[test]
    fn label_columns_replace_in_place_and_append() {
        let input = Schema::new(vec![
            Field::new("id", DataType::Int64, false),
            Field::new("sentiment", DataType::Int64, true),
            Field::new("text", DataType::Utf8, true),
        ]);
        let (schema, slots) = output_layout(&input);
        let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
        assert_eq!(
            names,
            [
                "id",
                "sentiment",
                "text",
                "score",
                "p_negative",
                "p_neutral",
                "p_positive",
                "mixed",
                "reason",
                "reason_score",
                "language",
                "error"
            ]
        );
        assert_eq!(schema.field(1).data_type(), &DataType::Utf8);
        assert_eq!(schema.field(3).data_type(), &DataType::Float32);
        assert_eq!(schema.field(7).data_type(), &DataType::Boolean);
        assert_eq!(schema.field(8).data_type(), &DataType::Utf8);
        assert_eq!(schema.field(9).data_type(), &DataType::Float32);
        assert_eq!(slots[0], Slot::Input(0));
        assert_eq!(slots[1], Slot::Label(0));
        assert_eq!(slots[2], Slot::Input(2));
    }

    #[test]
    fn texts_name_the_row_and_reason() {
        let col = StringArray::from(vec![Some("hola"), None, Some("  ")]);
        let t = batch_texts(&col, 10, "column \"text\"");
        let err = |s: &str| Err::<String, String>(s.to_string());
        assert_eq!(t[0], Ok("hola".to_string()));
        assert_eq!(t[1], err("row 12: column \"text\" is null"));
        assert_eq!(t[2], err("row 13: column \"text\" is empty"));
        let ints = Int64Array::from(vec![1]);
        assert_eq!(
            batch_texts(&ints, 0, "column \"text\"")[0],
            err("row 1: column \"text\" has type Int64, not a string")
        );
    }

    #[test]
    fn values_as_strings() {
        let ts = TimestampMillisecondArray::from(vec![Some(1_790_000_000_000), None])
            .with_timezone("UTC");
        assert_eq!(
            column_strings(&ts).unwrap(),
            [Some("2026-09-21T14:13:20Z".to_string()), None]
        );
        let naive = TimestampMillisecondArray::from(vec![1_790_000_000_500]);
        assert_eq!(
            column_strings(&naive).unwrap(),
            [Some("2026-09-21T14:13:20.500".to_string())]
        );
    }
}
