//! CSV reader: after the header, every record comes out as a row of exactly the header's
//! width (short rows padded, long ones cut with an error), in order; its text is the text
//! field when that is valid, non-blank UTF-8 without NUL, else an error naming the line.
//! Without any quote in the input the records are simply the non-empty lines (split on CR
//! and LF), which is what the rows are checked against. (Writing the rows with labels and
//! reading them back is `csv_writer`.)
#![no_main]

use csv::ByteRecord;
use libfuzzer_sys::fuzz_target;
use sentir::io::csv::CsvSource;
use sentir::io::{Payload, RowSource};
use sentir_fuzz::{input, row_error, strip_bom};

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
    let mut rows = 0;
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
            let line = lines.get(rows).expect("more rows than records");
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
        rows += 1;
    }
    if let Some(lines) = &simple {
        assert_eq!(rows, lines.len(), "a record was lost");
    }
});
