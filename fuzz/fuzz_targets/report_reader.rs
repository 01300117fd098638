//! Reading a labelled export for the report (and the training-data reader on the same file):
//! bytes written to a `.csv`, a `.jsonl` or an extension-less file (format detected). Either
//! a usage or input error (exit code 2 or 1), or one record per row that classify's reader
//! gives, in the same order, each with a sentiment or an error (never both), and a date
//! unless it is an error row.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sentir::io::examples::{read_examples, ExampleColumns};
use sentir::io::{open_source, InputSpec};
use sentir::report::columns::ReportColumns;
use sentir::report::data::read_export;
use sentir_fuzz::temp_path;

/// The line numbers of the rows classify's reader gives, or `None` on a fatal error.
fn row_lines(path: &str) -> Option<Vec<u64>> {
    let (mut source, _, _) = open_source(path, &InputSpec::default()).ok()?;
    let mut lines = Vec::new();
    while let Some(row) = source.next_row().ok()? {
        lines.push(row.at.number());
    }
    Some(lines)
}

fuzz_target!(|data: &[u8]| {
    sentir_fuzz::allow_caught_panics();
    let ext = [".csv", ".jsonl", ""][data.len() % 3];
    let path = temp_path(ext);
    std::fs::write(&path, data).unwrap();
    let path = path.to_str().unwrap();
    let cols = ReportColumns {
        buyer_value: "buyer".into(),
        ..Default::default()
    };
    match read_export(path, &cols, b',') {
        Err(e) => assert!(matches!(e.exit_code(), 1 | 2), "{e}"),
        Ok(l) => {
            let lines: Vec<u64> = l.records.iter().map(|r| r.line).collect();
            assert_eq!(Some(lines), row_lines(path), "records lost, added or moved");
            for r in &l.records {
                assert!(r.error.is_some() != r.sentiment.is_some(), "{r:?}");
                assert!(r.error.is_some() || r.time.is_some(), "{r:?}");
            }
        }
    }
    match read_examples(std::path::Path::new(path), &ExampleColumns::default()) {
        Err(e) => assert!(matches!(e.exit_code(), 1 | 2), "{e}"),
        Ok(ex) => assert_eq!(
            Some(ex.len()),
            row_lines(path).map(|l| l.len()),
            "examples lost or added"
        ),
    }
});
