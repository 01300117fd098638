//! Parquet reader (bytes → file, read as from stdin): a file that does not open is one fatal
//! error; one that opens gives rows numbered 1, 2, … in batch order (each row the next of
//! its batch), then either ends or stops on one fatal read error. When it ends, the rows
//! are as many as the footer's row groups hold (unless one claims a negative count). No
//! panic, no unbounded allocation (`-rss_limit_mb`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use parquet::file::reader::{FileReader, SerializedFileReader};
use sentir::io::{Payload, RowSource};
use sentir_fuzz::{input, row_error};

fuzz_target!(|data: &[u8]| {
    sentir_fuzz::allow_caught_panics();
    let text_column = (data.len() % 3 == 0).then_some("text");
    let Ok(mut source) = sentir::io::parquet::open(input(data), text_column) else {
        return;
    };
    assert!(source.columns().is_none() && source.arrow_schema().is_some());
    let mut n = 0u64;
    // The previous row's batch stays alive, so that a new batch cannot reuse its address.
    let mut last: Option<(std::sync::Arc<arrow_array::RecordBatch>, usize)> = None;
    loop {
        match source.next_row() {
            Ok(Some(row)) => {
                n += 1;
                assert_eq!(row.at.number(), n);
                let Payload::Arrow { batch, row: r } = &row.payload else {
                    panic!("a Parquet row points into its batch")
                };
                assert!(*r < batch.num_rows());
                match &last {
                    Some((b, prev)) if std::sync::Arc::ptr_eq(b, batch) => assert_eq!(*r, prev + 1),
                    _ => assert_eq!(*r, 0),
                }
                last = Some((batch.clone(), *r));
                match &row.text {
                    Ok(t) => assert!(!t.trim().is_empty() && !t.contains('\0')),
                    Err(_) => {
                        let e = row_error(&row.text).unwrap();
                        assert!(e.starts_with(&format!("row {n}: ")), "{e}");
                    }
                }
            }
            Ok(None) => {
                let reader = SerializedFileReader::new(bytes::Bytes::copy_from_slice(data))
                    .expect("it opened above");
                let counts: Vec<i64> = reader
                    .metadata()
                    .row_groups()
                    .iter()
                    .map(|g| g.num_rows())
                    .collect();
                // A negative count is a corrupt footer, which says nothing of the rows.
                if counts.iter().all(|&c| c >= 0) {
                    assert_eq!(n as i64, counts.iter().sum::<i64>(), "rows lost or added");
                }
                return;
            }
            Err(e) => {
                assert_eq!(e.exit_code(), 1, "{e}");
                return;
            }
        }
    }
});
