//! `sentir import-umsab`: UMSAB text/label pairs as one labelled CSV, bad lines named.

mod common;

use common::{ok, run};

#[test]
fn import_umsab_reads_pairs_without_trailing_newlines_and_names_bad_lines() {
    let dir = tempfile::tempdir().unwrap();
    let put = |lang: &str, texts: &str, labels: &str| {
        let d = dir.path().join(lang);
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(d.join("val_text.txt"), texts).unwrap();
        std::fs::write(d.join("val_labels.txt"), labels).unwrap();
    };
    put("spanish", "qué bien\nfatal, \"todo\" mal\nvale", "2\n0\n1");
    put("english", "great\nmeh", "2\n1");
    let out = dir.path().join("val.csv");
    let d = dir.path().to_str().unwrap();
    let o = out.to_str().unwrap();
    ok(&run(&[
        "import-umsab",
        "--dir",
        d,
        "--split",
        "val",
        "--languages",
        "spanish,english",
        "-o",
        o,
    ]));
    let rows: Vec<csv::StringRecord> = csv::Reader::from_path(&out)
        .unwrap()
        .records()
        .map(Result::unwrap)
        .collect();
    assert_eq!(rows.len(), 5);
    assert_eq!(&rows[1][0], "fatal, \"todo\" mal");
    assert_eq!(&rows[1][1], "negative");
    assert_eq!(&rows[2][1], "neutral");
    assert_eq!(&rows[4][2], "english");

    let import_spanish = || {
        run(&[
            "import-umsab",
            "--dir",
            d,
            "--split",
            "val",
            "--languages",
            "spanish",
            "-o",
            o,
        ])
    };
    put("spanish", "uno\ndos\ntres", "2\n0");
    let r = import_spanish();
    assert_eq!(r.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&r.stderr).contains("3 texts but 2 labels"));

    put("spanish", "uno\ndos", "2\n7");
    let r = import_spanish();
    assert_eq!(r.status.code(), Some(1));
    let err = String::from_utf8_lossy(&r.stderr);
    assert!(err.contains("line 2") && err.contains("\"7\""), "{err}");
    // The earlier output is kept whole.
    assert_eq!(csv::Reader::from_path(&out).unwrap().records().count(), 5);
}
