//! CSV reader: after the header, every record comes out as a row of exactly the header's
//! width (short rows padded, long ones cut with an error), in order; its text is the text
//! field when that is valid, non-blank UTF-8 without NUL, else an error naming the line.
//! Without any quote in the input the records are simply the non-empty lines (split on CR
//! and LF), which is what the rows are checked against. The rows then go through the CSV
//! writer and are read back: same rows, label columns set.
#![no_main]

use csv::ByteRecord;
use libfuzzer_sys::fuzz_target;
use sentir::io::csv::{CsvSink, CsvSource};
use sentir::io::{Payload, Row, RowError, RowErrorKind, RowPos, RowSink, RowSource};
use sentir::prediction::{Outcome, Prediction, OUTPUT_COLUMNS};
use sentir_fuzz::{commit_to, input, row_error, strip_bom, Committed};

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
        return; // no header, or no text column: a fatal error, before any row
    };
    let header = source.columns().expect("CSV has columns");
    let width = header.len();
    let simple: Option<Vec<&[u8]>> = (!data.contains(&b'"')).then(|| {
        // The csv crate drops a leading BOM (a BOM-only first line is an empty line).
        strip_bom(data)
            .split(|&b| b == b'\n' || b == b'\r')
            .filter(|l| !l.is_empty())
            .skip(1)
            .collect()
    });
    let mut rows: Vec<Row> = Vec::new();
    let mut last_line = 0;
    while let Some(row) = source
        .next_row()
        .expect("a CSV in memory with flexible rows always reads")
    {
        assert!(row.at.number() >= last_line, "rows out of order");
        last_line = row.at.number();
        let Payload::Fields(rec) = &row.payload else {
            panic!("a CSV row is fields")
        };
        assert_eq!(rec.len(), width, "row not as wide as the header");
        if let Ok(t) = &row.text {
            assert!(!t.trim().is_empty() && !t.contains('\0'));
            assert!(rec.iter().any(|f| f == t.as_bytes()));
        } else {
            let e = row_error(&row.text).unwrap();
            assert!(e.starts_with(&format!("line {}: ", row.at.number())), "{e}");
        }
        if let Some(lines) = &simple {
            let line = lines.get(rows.len()).expect("more rows than records");
            let fields: Vec<&[u8]> = line.split(|&b| b == b',').collect();
            let mut want = ByteRecord::new();
            for i in 0..width {
                want.push_field(fields.get(i).copied().unwrap_or_default());
            }
            assert_eq!(rec, &want);
            if fields.len() != width {
                assert!(row.text.is_err(), "a ragged row taken as text");
            }
        }
        rows.push(row);
    }
    if let Some(lines) = &simple {
        assert_eq!(rows.len(), lines.len(), "a record was lost");
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
