//! The Parquet and Arrow IPC label-column writers: random rows (CSV-like fields under random
//! column names, or rows of typed record batches) with random labels are written, read back
//! with sentir's readers, and compared: the same rows in the same order, every input value
//! unchanged (fields as UTF-8, invalid bytes replaced), every label value (floats bit for
//! bit), distinct column names.
#![no_main]

use arrow_array::cast::AsArray;
use arrow_array::types::{Float32Type, Int64Type};
use arrow_array::{Array, ArrayRef, Int64Array, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};
use csv::ByteRecord;
use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;
use sentir::io::arrow_ipc::IpcWriter;
use sentir::io::batch_sink::{BatchSink, BatchWriter, OpenWriter};
use sentir::io::parquet::ParquetWriter;
use sentir::io::{Payload, Row, RowError, RowErrorKind, RowPos, RowSink, RowSource};
use sentir::model::heads::REASONS;
use sentir::prediction::{Outcome, Prediction, OUTPUT_COLUMNS};
use sentir_fuzz::{commit_to, input, Committed};
use std::sync::Arc;

#[derive(Arbitrary, Debug)]
enum Label {
    Failed(String),
    Labelled {
        probs: [f32; 3],
        mixed: Option<f32>,
        reason: Option<(u8, f32)>,
        language: Option<String>,
    },
}

impl Label {
    fn outcome(&self) -> Outcome {
        match self {
            Label::Failed(e) => Outcome::Failed(RowError::new(
                RowPos::Line(1),
                RowErrorKind::InvalidJson(e.clone()),
            )),
            Label::Labelled {
                probs,
                mixed,
                reason,
                language,
            } => {
                let mut p = Prediction::from_probs(*probs);
                p.p_mixed = *mixed;
                p.reason = reason.map(|(i, s)| (i as usize % REASONS.len(), s));
                Outcome::Labelled(p, language.clone().map(Into::into))
            }
        }
    }
}

#[derive(Arbitrary, Debug)]
struct Case {
    /// Arrow IPC output, else Parquet.
    arrow_output: bool,
    /// Column names of field rows (CSV or text input).
    columns: Vec<Vec<u8>>,
    /// Field rows (used when `typed` is empty).
    rows: Vec<(Vec<Vec<u8>>, Label)>,
    /// Rows of record batches: id, text, whether a new input batch starts here, label.
    typed: Vec<(i64, Option<String>, bool, Label)>,
    /// The typed input also has an Int64 `sentiment` column (replaced in place by the label).
    sentiment_column: bool,
}

fn open(arrow: bool, slot: &Committed) -> OpenWriter<'static> {
    let slot = slot.clone();
    Box::new(move |schema| {
        let commit = commit_to(&slot);
        Ok(if arrow {
            Box::new(IpcWriter::new(Vec::new(), "out", schema, commit)?) as Box<dyn BatchWriter>
        } else {
            Box::new(ParquetWriter::new(Vec::new(), "out", schema, commit)?)
        })
    })
}

/// The label columns of output row `i` of `batch` are those of `outcome`.
fn check_labels(batch: &RecordBatch, i: usize, outcome: &Outcome) {
    let col = |name: &str| batch.column_by_name(name).expect("label column").clone();
    let text = |name: &str| {
        let c = col(name);
        let c = c.as_string::<i32>();
        c.is_valid(i).then(|| c.value(i).to_string())
    };
    let float = |name: &str| {
        let c = col(name);
        let c = c.as_primitive::<Float32Type>();
        c.is_valid(i).then(|| c.value(i).to_bits())
    };
    let mixed = {
        let c = col("mixed");
        let c = c.as_boolean();
        c.is_valid(i).then(|| c.value(i))
    };
    match outcome {
        Outcome::Labelled(p, lang) => {
            assert_eq!(text("sentiment").as_deref(), Some(p.sentiment.as_str()));
            assert_eq!(float("score"), Some(p.score.to_bits()));
            for (k, name) in ["p_negative", "p_neutral", "p_positive"].iter().enumerate() {
                assert_eq!(float(name), Some(p.probs[k].to_bits()));
            }
            assert_eq!(mixed, p.mixed());
            assert_eq!(text("reason").as_deref(), p.reason_name());
            assert_eq!(float("reason_score"), p.reason.map(|r| r.1.to_bits()));
            assert_eq!(text("language").as_deref(), lang.as_deref());
            assert_eq!(text("error"), None);
        }
        Outcome::Failed(e) => {
            assert_eq!(text("sentiment"), None);
            assert_eq!(float("score"), None);
            assert_eq!(mixed, None);
            assert_eq!(text("reason"), None);
            assert_eq!(text("language"), None);
            assert_eq!(text("error"), Some(e.to_string()));
        }
    }
}

/// The output rows read back: (batch, row in batch), in order; and the output schema's names.
fn read_back(bytes: &[u8], arrow: bool) -> (Vec<(Arc<RecordBatch>, usize)>, Vec<String>) {
    let first = if arrow {
        let r = arrow_ipc_schema(bytes);
        r.field(0).name().clone()
    } else {
        let r = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(
            bytes::Bytes::copy_from_slice(bytes),
        )
        .expect("the output is a Parquet file");
        r.schema().field(0).name().clone()
    };
    let mut source = if arrow {
        sentir::io::arrow_ipc::open(input(bytes), Some(&first))
    } else {
        sentir::io::parquet::open(input(bytes), Some(&first))
    }
    .expect("the output re-reads");
    let schema = source.arrow_schema().unwrap();
    let names = schema.fields().iter().map(|f| f.name().clone()).collect();
    let mut rows = Vec::new();
    while let Some(row) = source.next_row().expect("the output reads to the end") {
        let Payload::Arrow { batch, row } = row.payload else {
            unreachable!()
        };
        rows.push((batch, row));
    }
    (rows, names)
}

fn arrow_ipc_schema(bytes: &[u8]) -> arrow_schema::SchemaRef {
    arrow_ipc_reader(bytes).schema()
}

fn arrow_ipc_reader(bytes: &[u8]) -> arrow_ipc::reader::StreamReader<std::io::Cursor<Vec<u8>>> {
    arrow_ipc::reader::StreamReader::try_new(std::io::Cursor::new(bytes.to_vec()), None)
        .expect("the output is an Arrow IPC stream")
}

fn unique(names: &[String]) {
    let mut seen = std::collections::HashSet::new();
    for n in names {
        assert!(seen.insert(n), "two output columns named {n:?}: {names:?}");
    }
}

fn fields_case(case: &Case) {
    let width = case.columns.len();
    if width == 0 || width > 8 || case.rows.len() > 300 {
        return;
    }
    let slot = Committed::default();
    let mut sink: Box<dyn RowSink> =
        Box::new(BatchSink::for_fields(open(case.arrow_output, &slot), &case.columns).unwrap());
    let mut written = Vec::new();
    for (i, (fields, label)) in case.rows.iter().enumerate() {
        // Readers give rows exactly as wide as the header.
        let mut rec = ByteRecord::new();
        for k in 0..width {
            rec.push_field(fields.get(k).map(Vec::as_slice).unwrap_or_default());
        }
        let row = Row {
            at: RowPos::Line(i as u64 + 2),
            text: Ok(String::new()),
            payload: Payload::Fields(rec),
        };
        let outcome = label.outcome();
        sink.write_row(&row, &outcome).unwrap();
        written.push((row, outcome));
    }
    sink.finish().unwrap();
    let bytes = slot.lock().unwrap().take().unwrap();
    let (rows, names) = read_back(&bytes, case.arrow_output);
    unique(&names);
    let labels_in_place = names[..width]
        .iter()
        .filter(|n| OUTPUT_COLUMNS.contains(&n.as_str()))
        .count();
    assert_eq!(names.len(), width + OUTPUT_COLUMNS.len() - labels_in_place);
    let mut seen = std::collections::HashSet::new();
    for (j, c) in case.columns.iter().enumerate() {
        let c = String::from_utf8_lossy(c);
        if !c.is_empty() && seen.insert(c.clone()) {
            assert_eq!(names[j], c, "a column was renamed");
        }
    }
    assert_eq!(rows.len(), written.len(), "rows lost or added");
    for ((batch, i), (row, outcome)) in rows.iter().zip(&written) {
        let Payload::Fields(rec) = &row.payload else {
            unreachable!()
        };
        for (j, name) in names[..width].iter().enumerate() {
            if OUTPUT_COLUMNS.contains(&name.as_str()) {
                continue;
            }
            let c = batch.column(j).as_string::<i32>();
            assert!(c.is_valid(*i));
            assert_eq!(c.value(*i), String::from_utf8_lossy(&rec[j]));
        }
        check_labels(batch, *i, outcome);
    }
}

fn typed_case(case: &Case) {
    if case.typed.len() > 300 {
        return;
    }
    let mut fields = vec![
        Field::new("id", DataType::Int64, false),
        Field::new("text", DataType::Utf8, true),
    ];
    if case.sentiment_column {
        fields.push(Field::new("sentiment", DataType::Int64, true));
    }
    let schema = Arc::new(Schema::new(fields));
    // Cut the rows into input batches where a row says so.
    let mut cuts: Vec<usize> = (1..case.typed.len()).filter(|&i| case.typed[i].2).collect();
    cuts.insert(0, 0);
    cuts.push(case.typed.len());
    let slot = Committed::default();
    let mut sink: Box<dyn RowSink> = Box::new(
        BatchSink::for_arrow(
            open(case.arrow_output, &slot),
            schema.clone(),
            case.arrow_output,
        )
        .unwrap(),
    );
    let mut written = Vec::new();
    for w in cuts.windows(2) {
        let part = &case.typed[w[0]..w[1]];
        let mut cols: Vec<ArrayRef> = vec![
            Arc::new(Int64Array::from_iter_values(part.iter().map(|r| r.0))),
            Arc::new(StringArray::from_iter(part.iter().map(|r| r.1.clone()))),
        ];
        if case.sentiment_column {
            cols.push(Arc::new(Int64Array::from_iter(
                part.iter().map(|r| Some(r.0)),
            )));
        }
        let batch = Arc::new(RecordBatch::try_new(schema.clone(), cols).unwrap());
        for (k, r) in part.iter().enumerate() {
            let row = Row {
                at: RowPos::Row((w[0] + k) as u64 + 1),
                text: Ok(String::new()),
                payload: Payload::Arrow {
                    batch: batch.clone(),
                    row: k,
                },
            };
            let outcome = r.3.outcome();
            sink.write_row(&row, &outcome).unwrap();
            written.push((r.0, r.1.clone(), outcome));
        }
    }
    sink.finish().unwrap();
    let bytes = slot.lock().unwrap().take().unwrap();
    let (rows, names) = read_back(&bytes, case.arrow_output);
    unique(&names);
    assert_eq!(&names[..3], ["id", "text", "sentiment"]);
    assert_eq!(names.len(), 2 + OUTPUT_COLUMNS.len());
    assert_eq!(rows.len(), written.len(), "rows lost or added");
    for ((batch, i), (id, text, outcome)) in rows.iter().zip(&written) {
        assert_eq!(batch.column(0).as_primitive::<Int64Type>().value(*i), *id);
        let t = batch.column(1).as_string::<i32>();
        assert_eq!(t.is_valid(*i).then(|| t.value(*i)), text.as_deref());
        check_labels(batch, *i, outcome);
    }
}

fuzz_target!(|case: Case| {
    sentir_fuzz::allow_caught_panics();
    if case.typed.is_empty() {
        fields_case(&case);
    } else {
        typed_case(&case);
    }
});
