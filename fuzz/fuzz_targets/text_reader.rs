//! Plain text reader: one row per line (`read_until` count), numbered 1, 2, …; each row keeps
//! its line's bytes (without the line end, and a BOM on line 1); its text is the line when
//! it is valid, non-blank UTF-8, else an error naming the line.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sentir::io::text::TextSource;
use sentir::io::{Payload, RowSource};
use sentir_fuzz::{chomp, input, lines, row_error, strip_bom};

fuzz_target!(|data: &[u8]| {
    let expected = lines(data);
    let mut source = TextSource::new(input(data));
    let mut n = 0usize;
    let mut consumed = 0u64;
    while let Some(row) = source.next_row().expect("reading memory cannot fail") {
        let line = *expected.get(n).expect("more rows than lines");
        n += 1;
        consumed += line.len() as u64;
        assert_eq!(row.at.number(), n as u64);
        assert_eq!(source.position(), consumed);
        let want = if n == 1 {
            strip_bom(chomp(line))
        } else {
            chomp(line)
        };
        let Payload::Fields(rec) = &row.payload else {
            panic!("a text row is one field")
        };
        assert_eq!(rec.len(), 1);
        assert_eq!(&rec[0], want);
        match (&row.text, std::str::from_utf8(want)) {
            (Ok(t), Ok(s)) => {
                assert_eq!(t, s);
                assert!(!s.trim().is_empty());
            }
            (Ok(_), Err(_)) => panic!("invalid UTF-8 taken as text"),
            (Err(_), s) => {
                assert!(s.map_or(true, |s| s.trim().is_empty()), "good line refused");
                let e = row_error(&row.text).unwrap();
                assert!(e.starts_with(&format!("line {n}: ")), "{e}");
            }
        }
    }
    assert_eq!(n, expected.len(), "a line was lost");
});
