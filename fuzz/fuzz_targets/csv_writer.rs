//! CSV writer: the rows of any bytes read as CSV (what they are is `csv_reader`'s check) are
//! written with labels (every third row an error whose message needs quoting), then read
//! back with the CSV reader: the same rows in the same order, every input field unchanged,
//! the label columns set (appended, or in place where the input already had them).
#![no_main]

use libfuzzer_sys::fuzz_target;
use sentir::io::csv::{CsvSink, CsvSource};
use sentir::io::{Payload, Row, RowError, RowErrorKind, RowPos, RowSink, RowSource};
use sentir::prediction::{Outcome, Prediction, OUTPUT_COLUMNS};
use sentir_fuzz::{commit_to, input, strip_bom, Committed};

/// The outcome written for row `i`: every third row fails, the others are labelled.
fn outcome(i: usize) -> Outcome {
    if i % 3 == 2 {
        // A message with a quote and a line break, which the CSV writer must quote.
        Outcome::Failed(RowError::new(
            RowPos::Line(i as u64),
            RowErrorKind::InvalidJson("failed, \"quoted\"\r\nand two lines".into()),
        ))
    } else {
        let p = Prediction::from_probs([0.25, 0.5, 0.25]);
        Outcome::Labelled(p, Some("es".into()))
    }
}

fuzz_target!(|data: &[u8]| {
    let text_column = (data.len() % 3 == 0).then_some("text");
    let Ok(mut source) = CsvSource::new(input(data), b',', text_column) else {
        return;
    };
    let header = source.columns().expect("CSV has columns");
    let mut rows: Vec<Row> = Vec::new();
    while let Some(row) = source
        .next_row()
        .expect("a CSV in memory with flexible rows always reads")
    {
        rows.push(row);
    }

    // Write the rows with labels, read them back.
    let slot = Committed::default();
    let mut sink: Box<dyn RowSink> =
        Box::new(CsvSink::new(Vec::new(), "out", &header, b',', commit_to(&slot)).unwrap());
    for (i, row) in rows.iter().enumerate() {
        sink.write_row(row, &outcome(i)).unwrap();
    }
    sink.finish().unwrap();
    let out = slot.lock().unwrap().take().unwrap();
    let mut out_header = header.clone();
    let slots: Vec<usize> = OUTPUT_COLUMNS
        .iter()
        .map(
            |c| match out_header.iter().position(|h| h == c.as_bytes()) {
                Some(i) => i,
                None => {
                    out_header.push(c.as_bytes().to_vec());
                    out_header.len() - 1
                }
            },
        )
        .collect();
    // Read back by the first column's name (as the reader will see it: without a BOM).
    let first = String::from_utf8_lossy(strip_bom(&out_header[0])).into_owned();
    let mut back = CsvSource::new(input(&out), b',', Some(&first)).expect("output re-reads");
    assert_eq!(back.columns().unwrap().len(), out_header.len());
    for (i, row) in rows.iter().enumerate() {
        let got = back.next_row().unwrap().expect("a written row is missing");
        let (Payload::Fields(rec), Payload::Fields(orig)) = (&got.payload, &row.payload) else {
            unreachable!()
        };
        let mut want: Vec<Vec<u8>> = orig.iter().map(<[u8]>::to_vec).collect();
        want.resize(out_header.len(), Vec::new());
        for (s, v) in slots.iter().zip(outcome(i).values()) {
            want[*s] = v.into_bytes();
        }
        let got: Vec<Vec<u8>> = rec.iter().map(<[u8]>::to_vec).collect();
        assert_eq!(got, want, "row {i} changed on the way out and back");
    }
    assert!(back.next_row().unwrap().is_none(), "more rows read back");
});
