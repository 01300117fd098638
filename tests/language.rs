//! The `language` column end to end: ISO 639-1 or `und`, `--languages`, `--no-language`,
//! `--language-column`, and `sentir eval-language`.

mod common;

use common::{model, read_csv, run, stderr, temp_file};
use std::path::Path;
use std::process::Output;

/// Writes `csv` to `in.csv` in `dir`, classifies it with `extra` flags into `out.csv`, and
/// returns the run, the output's header and its `language` column (empty without output).
fn classify_languages(dir: &Path, csv: &str, extra: &[&str]) -> (Output, Vec<String>, Vec<String>) {
    let src = dir.join("in.csv");
    let out = dir.join("out.csv");
    std::fs::write(&src, csv).unwrap();
    let model = model();
    let mut args = vec![
        "classify",
        src.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--model",
        &model,
        "-q",
    ];
    args.extend_from_slice(extra);
    let o = run(&args);
    if !out.exists() {
        return (o, vec![], vec![]);
    }
    let (cols, rows) = read_csv(&out);
    let lang = cols.iter().position(|c| c == "language").unwrap();
    let langs = rows.iter().map(|r| r[lang].clone()).collect();
    (o, cols, langs)
}

const LANGUAGE_ROWS: &str = "id,text\n\
    1,El pedido llegó roto y nadie me responde\n\
    2,odio esto\n\
    3,The parcel arrived damaged and nobody answers my messages\n\
    4,A encomenda chegou danificada e ninguém responde\n\
    5,ok 123\n\
    6,😀👍\n";

#[test]
fn languages_are_iso_639_1_or_und() {
    let dir = tempfile::tempdir().unwrap();
    let (o, _, langs) = classify_languages(dir.path(), LANGUAGE_ROWS, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(langs, ["es", "es", "en", "pt", "und", "und"]);
}

#[test]
fn languages_restricts_detection_and_no_language_leaves_it_empty() {
    let dir = tempfile::tempdir().unwrap();
    let (o, _, langs) = classify_languages(dir.path(), LANGUAGE_ROWS, &["--languages", "es,PT"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(langs[..2], ["es", "es"]);
    assert!(
        ["es", "pt", "und"].contains(&langs[2].as_str()),
        "{langs:?}"
    );
    assert_eq!(langs[3], "pt");
    let (o, _, langs) = classify_languages(dir.path(), LANGUAGE_ROWS, &["--no-language"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(langs.iter().all(String::is_empty), "{langs:?}");
}

#[test]
fn an_unknown_language_code_is_a_usage_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let (o, _, _) = classify_languages(dir.path(), LANGUAGE_ROWS, &["--languages", "es,xx"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("\"xx\""), "{}", stderr(&o));
    assert!(!dir.path().join("out.csv").exists());
    let (o, _, _) = classify_languages(
        dir.path(),
        LANGUAGE_ROWS,
        &["--languages", "es", "--no-language"],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

#[test]
fn a_given_language_column_is_kept_and_used_instead_of_detection() {
    let dir = tempfile::tempdir().unwrap();
    let csv = "id,lang,text\n\
        1,ES,The parcel arrived damaged\n\
        2,pt-BR,El pedido llegó roto\n\
        3,,odio esto\n\
        4,Spanish,ok\n\
        5,sv,Tack så mycket\n";
    let (o, cols, langs) = classify_languages(dir.path(), csv, &["--language-column", "lang"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(langs, ["es", "pt", "", "es", "sv"]);
    // The input column itself is written back unchanged.
    let (_, rows) = read_csv(&dir.path().join("out.csv"));
    let lang = cols.iter().position(|c| c == "lang").unwrap();
    let given: Vec<&str> = rows.iter().map(|r| r[lang].as_str()).collect();
    assert_eq!(given, ["ES", "pt-BR", "", "Spanish", "sv"]);

    // JSONL: the key, row by row (a missing key gives no language).
    let src = dir.path().join("in.jsonl");
    std::fs::write(
        &src,
        "{\"text\":\"The parcel arrived damaged\",\"idioma\":\"fr\"}\n{\"text\":\"hola amigos\"}\n",
    )
    .unwrap();
    let o = run(&[
        "classify",
        src.to_str().unwrap(),
        "--model",
        &model(),
        "-q",
        "--language-column",
        "idioma",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines[0]["language"], "fr");
    assert_eq!(lines[1]["language"], serde_json::Value::Null);
}

#[test]
fn a_missing_language_column_is_a_usage_error_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (o, _, _) = classify_languages(dir.path(), LANGUAGE_ROWS, &["--language-column", "lang"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("language column \"lang\" not found; the columns are: id, text"),
        "{}",
        stderr(&o)
    );
    assert!(!dir.path().join("out.csv").exists());
}

#[test]
fn eval_language_prints_accuracy_und_and_confusions_per_language() {
    let (_dir, src) = temp_file(
        "known.csv",
        "text,language\n\
         El pedido llegó roto y nadie me responde,spanish\n\
         odio esto,es\n\
         A encomenda chegou danificada e ninguém responde,pt\n\
         The parcel arrived damaged and nobody answers,es\n\
         ok,en\n",
    );
    let o = run(&["eval-language", src.to_str().unwrap(), "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let es = &v["per_language"][0];
    assert_eq!(es["language"], "es");
    assert_eq!(
        (es["n"].as_u64(), es["correct"].as_u64()),
        (Some(3), Some(2))
    );
    assert_eq!(es["confusions"][0][0], "en");
    let en = &v["per_language"][2];
    assert_eq!(
        (en["language"].as_str(), en["und"].as_u64()),
        (Some("en"), Some(1))
    );
    assert_eq!(v["es_as_pt"], 0.0);
    let o = run(&["eval-language", src.to_str().unwrap()]);
    let table = String::from_utf8_lossy(&o.stdout);
    assert!(table.contains("es called pt: 0.0%"), "{table}");
}
