//! Parquet reader (bytes → file, read as from stdin): a file that does not open is one fatal
//! error; one that opens gives rows numbered 1, 2, … in batch order (each row the next of
//! its batch), then either ends or stops on one fatal read error. When it ends, the rows
//! are as many as the footer's row groups hold (unless one claims a negative count). No
//! panic, no unbounded allocation (`-rss_limit_mb`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use parquet::file::reader::{FileReader, SerializedFileReader};
use sentir::io::RowSource;
use sentir_fuzz::input;

fuzz_target!(|data: &[u8]| {
    sentir_fuzz::allow_caught_panics();
    let text_column = (data.len() % 3 == 0).then_some("text");
    let Ok(mut source) = sentir::io::parquet::open(input(data), text_column) else {
        return;
    };
    assert!(source.columns().is_none() && source.arrow_schema().is_some());
    let Some(n) = sentir_fuzz::read_batch_rows(&mut source) else {
        return;
    };
    let reader =
        SerializedFileReader::new(bytes::Bytes::copy_from_slice(data)).expect("it opened above");
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
});
