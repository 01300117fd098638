//! JSONL reader: one row per line (`read_until` count), numbered 1, 2, …; a line that is a
//! JSON object comes out as that object (keys in order), anything else (invalid UTF-8 or
//! JSON, another JSON value, a blank line) as a raw row with an error naming the line. The
//! text is the text field when it is a non-blank string. The only fatal error: without
//! `--text-column`, a first object with none of the usual text keys.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sentir::io::jsonl::JsonlSource;
use sentir::io::{Payload, RowSource, TEXT_COLUMN_CANDIDATES};
use sentir_fuzz::{chomp, input, lines, row_error, strip_bom};
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let explicit = data.len() % 3 == 0;
    let mut key: Option<String> = explicit.then(|| "text".to_string());
    let expected = lines(data);
    let mut source = JsonlSource::new(input(data), key.as_deref());
    let mut n = 0usize;
    loop {
        let row = match source.next_row() {
            Ok(Some(row)) => row,
            Ok(None) => break,
            Err(e) => {
                // Only the first object can lack a text key, and only without --text-column.
                assert!(!explicit && key.is_none(), "fatal error {e}");
                assert_eq!(e.exit_code(), 2, "{e}");
                let line = chomp(expected[n]);
                let line = if n == 0 { strip_bom(line) } else { line };
                let obj: serde_json::Map<String, Value> =
                    serde_json::from_slice(line).expect("the line is an object");
                assert!(!obj.keys().any(|k| TEXT_COLUMN_CANDIDATES
                    .iter()
                    .any(|c| k.eq_ignore_ascii_case(c))));
                return;
            }
        };
        let line = *expected.get(n).expect("more rows than lines");
        n += 1;
        assert_eq!(row.at.number(), n as u64);
        let bytes = if n == 1 {
            strip_bom(chomp(line))
        } else {
            chomp(line)
        };
        let parsed = std::str::from_utf8(bytes)
            .ok()
            .filter(|s| !s.trim().is_empty())
            .and_then(|s| serde_json::from_str::<Value>(s).ok());
        match (parsed, &row.payload) {
            (Some(Value::Object(want)), Payload::Object(got)) => {
                assert_eq!(&want, got);
                assert!(want.keys().eq(got.keys()), "key order changed");
                if key.is_none() {
                    key = TEXT_COLUMN_CANDIDATES
                        .iter()
                        .find_map(|c| want.keys().find(|k| k.eq_ignore_ascii_case(c)).cloned());
                }
                let k = key
                    .as_deref()
                    .expect("a first object without a text key is fatal");
                match (want.get(k), &row.text) {
                    (Some(Value::String(s)), Ok(t)) => {
                        assert_eq!(s, t);
                        assert!(!s.trim().is_empty());
                    }
                    (Some(Value::String(s)), Err(_)) => assert!(s.trim().is_empty()),
                    (_, Ok(_)) => panic!("a missing or non-string text field taken as text"),
                    (_, Err(_)) => {}
                }
            }
            (Some(Value::Object(_)), p) => panic!("an object came out as {p:?}"),
            (_, Payload::Raw(raw)) => {
                assert!(row.text.is_err());
                if let Ok(s) = std::str::from_utf8(bytes) {
                    if !s.trim().is_empty() {
                        assert_eq!(raw, s, "a raw line changed");
                    }
                }
            }
            (_, p) => panic!("a line that is no object came out as {p:?}"),
        }
        if let Some(e) = row_error(&row.text) {
            assert!(e.starts_with(&format!("line {n}: ")), "{e}");
        }
    }
    assert_eq!(n, expected.len(), "a line was lost");
});
