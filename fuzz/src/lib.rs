//! Helpers shared by the fuzz targets: inputs in memory, the independent line count the
//! readers are checked against, and the outputs written to memory.

use sentir::io::Input;
use std::io::{BufReader, Cursor};
use std::sync::{Arc, Mutex};

/// `bytes` as an input read from stdin (`-`). Odd lengths get a tiny read buffer (1 to 13
/// bytes), so that records cross buffer boundaries; even lengths get the 64 KiB buffer
/// `Input::open` uses.
pub fn input(bytes: &[u8]) -> Input {
    let capacity = if bytes.len() % 2 == 1 {
        1 + bytes.len() % 13
    } else {
        1 << 16
    };
    Input {
        reader: BufReader::with_capacity(capacity, Box::new(Cursor::new(bytes.to_vec()))),
        name: "-".to_string(),
        size: Some(bytes.len() as u64),
    }
}

/// The lines of `bytes` as `read_until(b'\n')` returns them (each with its `\n`, the last one
/// possibly without).
pub fn lines(bytes: &[u8]) -> Vec<&[u8]> {
    bytes.split_inclusive(|&b| b == b'\n').collect()
}

/// A line without its `\n` or `\r\n`.
pub fn chomp(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// `line` without a leading UTF-8 byte order mark.
pub fn strip_bom(line: &[u8]) -> &[u8] {
    line.strip_prefix(b"\xef\xbb\xbf").unwrap_or(line)
}

/// The message of a row that has no text (generic over the error type rows carry).
pub fn row_error<E: std::fmt::Display>(text: &Result<String, E>) -> Option<String> {
    text.as_ref().err().map(|e| e.to_string())
}

/// Where a sink's `commit` puts the finished output bytes.
pub type Committed = Arc<Mutex<Option<Vec<u8>>>>;

/// A commit closure that keeps the bytes in `slot`.
pub fn commit_to(slot: &Committed) -> Box<dyn FnOnce(Vec<u8>) -> sentir::Result<()> + Send> {
    let slot = slot.clone();
    Box::new(move |bytes| {
        *slot.lock().unwrap() = Some(bytes);
        Ok(())
    })
}

/// A path in the temporary directory, one per process, for targets whose API reads files.
pub fn temp_path(ext: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("sentir-fuzz-{}{ext}", std::process::id()))
}

/// Lets sentir catch the panics it turns into read errors (malformed Parquet or Arrow input):
/// libFuzzer's hook aborts on every panic, caught or not; the default hook only prints, and a
/// panic that nothing catches still aborts the run (libfuzzer-sys does that).
pub fn allow_caught_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let _ = std::panic::take_hook();
        std::panic::set_hook(Box::new(|info| eprintln!("{info}")));
    });
}

/// Reads every row of an Arrow or Parquet source and checks each one: numbered 1, 2, … in
/// batch order, each the next row of its batch, its text non-blank without NUL or else an
/// error naming the row. Returns the row count when the source ended, `None` when it stopped
/// on a fatal read error (which must exit 1).
pub fn read_batch_rows(source: &mut dyn sentir::io::RowSource) -> Option<u64> {
    use sentir::io::Payload;
    let mut n = 0u64;
    // The previous row's batch stays alive, so that a new batch cannot reuse its address.
    let mut last: Option<(Arc<arrow_array::RecordBatch>, usize)> = None;
    loop {
        match source.next_row() {
            Ok(Some(row)) => {
                n += 1;
                assert_eq!(row.at.number(), n);
                let Payload::Arrow { batch, row: r } = &row.payload else {
                    panic!("a batch row points into its batch")
                };
                assert!(*r < batch.num_rows());
                match &last {
                    Some((b, prev)) if Arc::ptr_eq(b, batch) => assert_eq!(*r, prev + 1),
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
            Ok(None) => return Some(n),
            Err(e) => {
                assert_eq!(e.exit_code(), 1, "{e}");
                return None;
            }
        }
    }
}
