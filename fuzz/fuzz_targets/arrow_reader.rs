//! Arrow IPC reader: the streaming format read as from stdin, the file format (`ARROW1`…)
//! from a file. A stream or file that does not open is one fatal error; one that opens
//! gives rows numbered 1, 2, … in batch order (each row the next of its batch), then ends
//! or stops on one fatal read error. No panic, no unbounded allocation (`-rss_limit_mb`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use sentir::io::arrow_ipc::{self, FILE_MAGIC};
use sentir::io::{Input, RowSource};
use sentir_fuzz::{input, temp_path};

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
    sentir_fuzz::read_batch_rows(&mut source);
});
