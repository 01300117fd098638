//! Arrow IPC reader: the streaming format read as from stdin, the file format (`ARROW1`…)
//! from a file. A stream or file that does not open is one fatal error; one that opens
//! gives rows numbered 1, 2, … in batch order (each row the next of its batch), then ends
//! or stops on one fatal read error. No panic, no unbounded allocation (`-rss_limit_mb`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use sentir::io::arrow_ipc::{self, FILE_MAGIC};
use sentir::io::{Input, Payload, RowSource};
use sentir_fuzz::{input, row_error, temp_path};

fuzz_target!(|data: &[u8]| {
    sentir_fuzz::allow_caught_panics();
    let text_column = (data.len() % 3 == 0).then_some("text");
    let opened = if data.starts_with(FILE_MAGIC) {
        let path = temp_path(".arrow");
        std::fs::write(&path, data).unwrap();
        arrow_ipc::open(Input::open(path.to_str().unwrap()).unwrap(), text_column)
    } else {
        arrow_ipc::open(input(data), text_column)
    };
    let Ok(mut source) = opened else {
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
                    panic!("an Arrow row points into its batch")
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
            Ok(None) => return,
            Err(e) => {
                assert_eq!(e.exit_code(), 1, "{e}");
                return;
            }
        }
    }
});
