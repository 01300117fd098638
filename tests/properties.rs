//! Property tests (proptest): random bytes and random well-formed exports (CSV with quotes,
//! line breaks, a BOM, CRLF; JSONL with bad lines; plain text) through the real `sentir
//! classify` with the tiny bert-3class fixture model. Every input row comes out once, in
//! order, carrying its id, text or line unchanged, and the output is read again by sentir
//! (classified a second time) with the same rows. Then the readers alone, on many more
//! random inputs.

use proptest::prelude::*;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Cases of the properties that run the binary (two runs each, about a second per run).
const BINARY_CASES: u32 = 5;

fn model() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/models/bert-3class")
        .display()
        .to_string()
}

/// `sentir classify IN -o OUT ARGS…`: the exit code must say every row came out (0, or 3
/// when some rows carry an error).
fn classify(input: &Path, output: &Path, args: &[&str]) {
    let o = Command::new(env!("CARGO_BIN_EXE_sentir"))
        .env_remove("SENTIR_MODEL")
        .arg("classify")
        .arg(input)
        .arg("-o")
        .arg(output)
        .args(["--model", &model(), "--quiet", "--threads", "1"])
        .args(args)
        .output()
        .expect("sentir runs");
    let code = o.status.code();
    assert!(
        matches!(code, Some(0 | 3)),
        "exit {code:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// The header and byte records of a CSV file.
fn read_csv(path: &Path) -> (Vec<String>, Vec<csv::ByteRecord>) {
    let mut r = csv::ReaderBuilder::new().from_path(path).unwrap();
    let header = r.headers().unwrap().iter().map(str::to_string).collect();
    let rows = r.byte_records().map(Result::unwrap).collect();
    (header, rows)
}

fn column(header: &[String], name: &str) -> usize {
    header.iter().position(|h| h == name).unwrap()
}

/// The objects of a JSONL file, one per line.
fn read_jsonl(path: &Path) -> Vec<serde_json::Map<String, serde_json::Value>> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("every output line is an object"))
        .collect()
}

/// A message with what breaks naive CSV handling: quotes, commas, line breaks (LF and CRLF),
/// accents and emoji, and blank ones.
fn message() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[a-zA-Z ñáéíóú¿?¡!,;\"'\r\n\t😀€-]{1,60}",
        1 => Just(String::new()),
        1 => Just("   ".to_string()),
        1 => "\"[^\"\x00]{0,20}\"\r\n[a-z ]{0,10}",
    ]
}

/// A JSONL line: an object with a message, or one of [`BAD_LINES`].
#[derive(Clone, Debug)]
enum Line {
    Message(String),
    Bad(&'static str),
}

/// Lines that are not a labelled object: blank, invalid JSON, not an object, no text, a text
/// that is not a string.
const BAD_LINES: [&str; 6] = [
    "",
    "{\"id\": 1, \"text\": ",
    "[1, 2]",
    "42",
    "{\"id\": \"x\"}",
    "{\"text\": 7}",
];

fn blank(s: &str) -> bool {
    s.trim().is_empty()
}

fn work_dir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

fn path(dir: &tempfile::TempDir, name: &str) -> PathBuf {
    dir.path().join(name)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: BINARY_CASES, ..ProptestConfig::default() })]

    /// A CSV export (BOM or not, LF or CRLF, quoted fields with line breaks) → CSV: one row
    /// per record, in order, id and text unchanged, an error exactly on blank texts; the
    /// output classified again → JSONL: the same ids and texts, in order.
    #[test]
    fn csv_export_round_trips(
        texts in prop::collection::vec(message(), 1..40),
        bom in any::<bool>(),
        crlf in any::<bool>(),
    ) {
        let dir = work_dir();
        let mut w = csv::WriterBuilder::new()
            .terminator(if crlf { csv::Terminator::CRLF } else { csv::Terminator::Any(b'\n') })
            .from_writer(Vec::new());
        w.write_record(["id", "text", "channel"]).unwrap();
        for (i, t) in texts.iter().enumerate() {
            w.write_record([format!("m{i}"), t.clone(), "web".into()]).unwrap();
        }
        let mut bytes = if bom { b"\xef\xbb\xbf".to_vec() } else { Vec::new() };
        bytes.extend(w.into_inner().unwrap());
        let (input, out, again) = (path(&dir, "in.csv"), path(&dir, "out.csv"), path(&dir, "again.jsonl"));
        std::fs::write(&input, &bytes).unwrap();

        classify(&input, &out, &["--no-language"]);
        let (header, rows) = read_csv(&out);
        prop_assert_eq!(&header[..3], ["id", "text", "channel"]);
        prop_assert_eq!(rows.len(), texts.len());
        let (sentiment, error) = (column(&header, "sentiment"), column(&header, "error"));
        for (i, (row, t)) in rows.iter().zip(&texts).enumerate() {
            let id = format!("m{i}");
            prop_assert_eq!(&row[0], id.as_bytes());
            prop_assert_eq!(&row[1], t.as_bytes());
            prop_assert_eq!(row[error].is_empty(), !blank(t), "row {}: {:?}", i, row);
            prop_assert_eq!(row[sentiment].is_empty(), blank(t));
        }

        classify(&out, &again, &[]);
        let objects = read_jsonl(&again);
        prop_assert_eq!(objects.len(), texts.len());
        for (i, (o, t)) in objects.iter().zip(&texts).enumerate() {
            let id = format!("m{i}");
            prop_assert_eq!(o["id"].as_str(), Some(id.as_str()));
            prop_assert_eq!(o["text"].as_str(), Some(t.as_str()));
            prop_assert_eq!(o["error"].is_null(), !blank(t));
        }
    }

    /// A JSONL export with bad lines among the objects (invalid JSON, arrays, numbers, blank
    /// lines, objects without text) → JSONL: one object per line, in order; objects keep
    /// their keys and values, the other lines come back under `raw`; the output classified
    /// again gives the same objects.
    #[test]
    fn jsonl_export_round_trips(
        lines in prop::collection::vec(prop_oneof![
            4 => message().prop_map(Line::Message),
            1 => prop::sample::select(BAD_LINES.to_vec()).prop_map(Line::Bad),
        ], 1..30),
        crlf in any::<bool>(),
    ) {
        let dir = work_dir();
        let mut bytes = Vec::new();
        let mut want = Vec::new();
        for (i, l) in lines.iter().enumerate() {
            let (bad, line) = match l {
                Line::Bad(s) => (true, s.to_string()),
                Line::Message(m) => {
                    (false, serde_json::json!({"id": i, "text": m, "meta": {"n": i}}).to_string())
                }
            };
            bytes.extend(line.as_bytes());
            bytes.extend(if crlf { &b"\r\n"[..] } else { b"\n" });
            want.push((bad, line));
        }
        let (input, out, again) = (path(&dir, "in.jsonl"), path(&dir, "out.jsonl"), path(&dir, "again.jsonl"));
        std::fs::write(&input, &bytes).unwrap();
        classify(&input, &out, &["--text-column", "text", "--no-language"]);
        let objects = read_jsonl(&out);
        prop_assert_eq!(objects.len(), want.len());
        for (o, (bad, line)) in objects.iter().zip(&want) {
            let orig: serde_json::Value = serde_json::from_str(line).unwrap_or(serde_json::Value::Null);
            match orig.as_object() {
                Some(m) => {
                    for (k, v) in m {
                        prop_assert_eq!(&o[k], v);
                    }
                }
                None => prop_assert_eq!(o["raw"].as_str(), Some(line.as_str())),
            }
            let labelled = !bad && !blank(orig["text"].as_str().unwrap_or(""));
            prop_assert_eq!(o["error"].is_null(), labelled, "{:?} → {:?}", line, o);
        }
        classify(&out, &again, &["--text-column", "text"]);
        let again = read_jsonl(&again);
        prop_assert_eq!(again.len(), objects.len());
        for (a, o) in again.iter().zip(&objects) {
            for (k, v) in o {
                if !sentir::prediction::OUTPUT_COLUMNS.contains(&k.as_str()) {
                    prop_assert_eq!(&a[k], v);
                }
            }
        }
    }

    /// Random bytes as plain text → CSV: one row per line, each line's bytes unchanged in
    /// `text` (invalid UTF-8 too); the output classified again keeps every row and text.
    #[test]
    fn random_bytes_as_text(bytes in prop::collection::vec(prop_oneof![
        6 => any::<u8>(),
        1 => Just(b'\n'),
        1 => Just(b'\r'),
        1 => Just(b'"'),
        1 => Just(b','),
    ], 0..600)) {
        let dir = work_dir();
        let (input, out, again) = (path(&dir, "in.txt"), path(&dir, "out.csv"), path(&dir, "again.csv"));
        std::fs::write(&input, &bytes).unwrap();
        classify(&input, &out, &["--format", "text", "--no-language"]);
        let lines: Vec<&[u8]> = bytes.split_inclusive(|&b| b == b'\n').collect();
        let (header, rows) = read_csv(&out);
        prop_assert_eq!(&header[0], "text");
        prop_assert_eq!(rows.len(), lines.len());
        for (i, (row, line)) in rows.iter().zip(&lines).enumerate() {
            let mut want = line.strip_suffix(b"\n").unwrap_or(line);
            want = want.strip_suffix(b"\r").unwrap_or(want);
            if i == 0 {
                want = want.strip_prefix(b"\xef\xbb\xbf").unwrap_or(want);
            }
            prop_assert_eq!(&row[0], want, "line {}", i + 1);
        }
        classify(&out, &again, &["--text-column", "text", "--no-language"]);
        let (header2, rows2) = read_csv(&again);
        prop_assert_eq!(header2, header);
        prop_assert_eq!(rows2.len(), rows.len());
        for (a, b) in rows2.iter().zip(&rows) {
            prop_assert_eq!(&a[0], &b[0]);
        }
    }
}

/// Rows read by sentir's own readers from an export in memory.
mod readers {
    use super::*;
    use sentir::io::{Input, Payload, RowSource};
    use std::io::{BufReader, Cursor};

    fn input(bytes: Vec<u8>, capacity: usize) -> Input {
        Input {
            reader: BufReader::with_capacity(capacity, Box::new(Cursor::new(bytes))),
            name: "-".into(),
            size: None,
        }
    }

    fn fields(row: &sentir::io::Row) -> Vec<Vec<u8>> {
        match &row.payload {
            Payload::Fields(rec) => rec.iter().map(<[u8]>::to_vec).collect(),
            p => panic!("not fields: {p:?}"),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

        /// Any records the csv crate writes (any bytes, any widths) are read back exactly,
        /// padded or cut to the header's width, ragged rows with an error, whatever the
        /// read buffer's size.
        #[test]
        fn csv_reader_reads_back_what_was_written(
            records in prop::collection::vec(
                prop::collection::vec(prop::collection::vec(any::<u8>(), 0..12), 1..5), 1..20),
            capacity in 1usize..64,
        ) {
            let header = ["id", "text", "x"];
            let mut w = csv::WriterBuilder::new().flexible(true).from_writer(Vec::new());
            w.write_record(header).unwrap();
            for r in &records {
                w.write_record(r).unwrap();
            }
            let bytes = w.into_inner().unwrap();
            let mut source =
                sentir::io::csv::CsvSource::new(input(bytes, capacity), b',', None).unwrap();
            for r in &records {
                let row = source.next_row().unwrap().expect("a record is missing");
                let mut want = r.clone();
                want.resize(header.len(), Vec::new());
                prop_assert_eq!(fields(&row), want);
                if r.len() != header.len() {
                    prop_assert!(row.text.is_err());
                }
            }
            prop_assert!(source.next_row().unwrap().is_none());
        }

        /// Any bytes read as plain text: one row per line, numbered from 1, bytes unchanged.
        #[test]
        fn text_reader_keeps_every_line(
            bytes in prop::collection::vec(prop_oneof![6 => any::<u8>(), 1 => Just(b'\n')], 0..400),
            capacity in 1usize..64,
        ) {
            let lines: Vec<&[u8]> = bytes.split_inclusive(|&b| b == b'\n').collect();
            let mut source = sentir::io::text::TextSource::new(input(bytes.clone(), capacity));
            for (i, line) in lines.iter().enumerate() {
                let row = source.next_row().unwrap().expect("a line is missing");
                prop_assert_eq!(row.at.number(), i as u64 + 1);
                let mut want = line.strip_suffix(b"\n").unwrap_or(line);
                want = want.strip_suffix(b"\r").unwrap_or(want);
                if i == 0 {
                    want = want.strip_prefix(b"\xef\xbb\xbf").unwrap_or(want);
                }
                prop_assert_eq!(fields(&row), vec![want.to_vec()]);
            }
            prop_assert!(source.next_row().unwrap().is_none());
        }
    }
}
