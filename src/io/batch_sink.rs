//! Labelled rows as Arrow record batches: the input columns with their types (or all-text
//! columns for CSV/text input) plus the label columns, handed to a [`BatchWriter`] (Parquet
//! file, Arrow IPC stream).

use super::{Payload, Row, RowSink};
use crate::error::{Result, SentirError};
use crate::prediction::{Outcome, OUTPUT_COLUMNS};
use arrow_array::builder::{BooleanBuilder, Float32Builder, StringBuilder};
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use std::sync::Arc;

/// Rows buffered before they go to the writer as one batch (unless batches follow the input's).
const WRITE_BATCH_ROWS: usize = 4096;

/// Where the sink's record batches go.
pub trait BatchWriter: Send {
    /// Writes one batch (of the schema the writer was opened with).
    fn write(&mut self, batch: &RecordBatch) -> Result<()>;
    /// Ends the output (footer or end-of-stream) and commits it.
    fn finish(self: Box<Self>) -> Result<()>;
}

/// Opens a [`BatchWriter`] for an output schema.
pub type OpenWriter<'a> = Box<dyn FnOnce(SchemaRef) -> Result<Box<dyn BatchWriter>> + 'a>;

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
/// label column replaced in place by it, the other label columns appended; and where each
/// output column comes from.
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

/// What the rows given to a [`BatchSink`] look like.
enum Rows {
    /// Parquet input: the rows' record batches (distinct, in order) and (batch, row) pairs.
    Arrow {
        batches: Vec<Arc<RecordBatch>>,
        picks: Vec<(usize, usize)>,
    },
    /// CSV or text input: one string column per input column.
    Fields { columns: Vec<StringBuilder> },
}

/// Builds labelled record batches and hands them to a [`BatchWriter`].
pub struct BatchSink {
    writer: Box<dyn BatchWriter>,
    /// One output batch per input batch (Arrow streams) instead of [`WRITE_BATCH_ROWS`].
    follow_input: bool,
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
}

fn build_err(e: impl std::fmt::Display) -> SentirError {
    SentirError::Other(format!("cannot build an output batch: {e}"))
}

impl BatchSink {
    /// A sink for rows read from record batches of this schema (their payloads are
    /// [`Payload::Arrow`]); with `follow_input`, each input batch becomes one output batch,
    /// written as soon as its last row is labelled.
    pub fn for_arrow(open: OpenWriter, input: SchemaRef, follow_input: bool) -> Result<Self> {
        let rows = Rows::Arrow {
            batches: Vec::new(),
            picks: Vec::new(),
        };
        Self::new(open, &input, rows, follow_input)
    }

    /// A sink for CSV or text rows with these column names: every input column becomes a
    /// nullable Utf8 column (invalid UTF-8 is replaced with U+FFFD).
    pub fn for_fields(open: OpenWriter, columns: &[Vec<u8>]) -> Result<Self> {
        let mut seen = std::collections::HashSet::new();
        let fields: Vec<Field> = columns
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let mut name = String::from_utf8_lossy(c).into_owned();
                if name.is_empty() || seen.contains(&name) {
                    // column_N, or column_N_2, … when a later header already uses that name.
                    name = format!("column_{}", i + 1);
                    let base = name.clone();
                    let mut k = 1;
                    while seen.contains(&name) || columns.iter().any(|c| c == name.as_bytes()) {
                        k += 1;
                        name = format!("{base}_{k}");
                    }
                }
                seen.insert(name.clone());
                Field::new(name, DataType::Utf8, true)
            })
            .collect();
        let rows = Rows::Fields {
            columns: (0..fields.len()).map(|_| StringBuilder::new()).collect(),
        };
        Self::new(open, &Schema::new(fields), rows, false)
    }

    fn new(open: OpenWriter, input: &Schema, rows: Rows, follow_input: bool) -> Result<Self> {
        let (schema, slots) = output_layout(input);
        let writer = open(schema.clone())?;
        Ok(BatchSink {
            writer,
            follow_input,
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
                        arrow_select::interleave::interleave(&arrays, picks).map_err(build_err)?,
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
        let batch = RecordBatch::try_new(self.schema.clone(), columns).map_err(build_err)?;
        self.writer.write(&batch)?;
        self.pending = 0;
        Ok(())
    }
}

impl RowSink for BatchSink {
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
                    "Parquet and Arrow output need CSV, text, Parquet or Arrow input; write JSONL input to a .jsonl output".into(),
                ));
            }
            _ => {
                return Err(SentirError::Other(
                    "internal: Arrow sink got rows of another input format".into(),
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
                self.error.append_value(e.to_string());
            }
        }
        self.pending += 1;
        let full = match (&row.payload, self.follow_input) {
            (Payload::Arrow { batch, row }, true) => *row + 1 == batch.num_rows(),
            _ => self.pending >= WRITE_BATCH_ROWS,
        };
        if full {
            self.flush()?;
        }
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> Result<()> {
        self.flush()?;
        self.writer.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_and_repeated_header_names_get_unique_names() {
        struct Nothing;
        impl BatchWriter for Nothing {
            fn write(&mut self, _: &RecordBatch) -> Result<()> {
                Ok(())
            }
            fn finish(self: Box<Self>) -> Result<()> {
                Ok(())
            }
        }
        let open: OpenWriter = Box::new(|_| Ok(Box::new(Nothing) as Box<dyn BatchWriter>));
        let cols: Vec<Vec<u8>> = ["column_2", "", "text", "text"]
            .iter()
            .map(|c| c.as_bytes().to_vec())
            .collect();
        let sink = BatchSink::for_fields(open, &cols).unwrap();
        let names: Vec<&str> = sink
            .schema
            .fields()
            .iter()
            .map(|f| f.name().as_str())
            .collect();
        assert_eq!(&names[..4], ["column_2", "column_2_2", "text", "column_4"]);
    }

    #[test]
    fn label_columns_replace_in_place_and_append() {
        let input = Schema::new(vec![
            Field::new("id", DataType::Int64, false),
            Field::new("sentiment", DataType::Int64, true),
            Field::new("text", DataType::Utf8, true),
        ]);
        let (schema, slots) = output_layout(&input);
        let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
        // `sentiment` replaced in place, the other label columns appended in order.
        let mut expected = vec!["id", "sentiment", "text"];
        expected.extend(&OUTPUT_COLUMNS[1..]);
        assert_eq!(names, expected);
        assert_eq!(schema.field(1).data_type(), &DataType::Utf8);
        assert_eq!(schema.field(3).data_type(), &DataType::Float32);
        assert_eq!(schema.field(7).data_type(), &DataType::Boolean);
        assert_eq!(schema.field(8).data_type(), &DataType::Utf8);
        assert_eq!(schema.field(9).data_type(), &DataType::Float32);
        assert_eq!(slots[0], Slot::Input(0));
        assert_eq!(slots[1], Slot::Label(0));
        assert_eq!(slots[2], Slot::Input(2));
    }
}
