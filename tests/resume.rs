//! `sentir classify --resume`: runs killed at random moments (SIGKILL, SIGINT, SIGTERM) and
//! resumed give the same bytes as one uninterrupted run, in CSV, JSONL and Parquet; a journal
//! that belongs to another input, model or options is refused. The tiny bert-3class fixture
//! model, one thread (scores are then independent of the machine's load).

mod common;

use common::{model, sentir as bin};
use std::path::{Path, PathBuf};
use std::process::{Child, Output, Stdio};
use std::time::{Duration, Instant};

/// A small deterministic generator (the test must not depend on a seed-less RNG).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const WORDS: [&str; 14] = [
    "el",
    "pedido",
    "llegó",
    "tarde",
    "muy",
    "bien",
    "gracias",
    "roto",
    "quiero",
    "devolución",
    "excelente",
    "nunca",
    "envío",
    "rápido",
];

/// `rows` buyer messages of 1–12 words (every 500th empty: a row error), as CSV or JSONL.
fn export(dir: &Path, rows: usize, jsonl: bool) -> PathBuf {
    let mut rng = Lcg(7);
    let mut out = String::from(if jsonl { "" } else { "id,text\n" });
    for i in 0..rows {
        let n = 1 + rng.below(12) as usize;
        let words: Vec<&str> = (0..n)
            .map(|_| WORDS[rng.below(WORDS.len() as u64) as usize])
            .collect();
        let text = if i % 500 == 499 {
            String::new()
        } else {
            words.join(" ")
        };
        if jsonl {
            out.push_str(&format!("{{\"id\":{i},\"text\":\"{text}\"}}\n"));
        } else {
            out.push_str(&format!("{i},\"{text}\"\n"));
        }
    }
    let path = dir.join(if jsonl { "in.jsonl" } else { "in.csv" });
    std::fs::write(&path, out).unwrap();
    path
}

fn classify_args(input: &Path, output: &Path) -> Vec<String> {
    [
        "classify",
        input.to_str().unwrap(),
        "-o",
        output.to_str().unwrap(),
        "--model",
        &model(),
        "--threads",
        "1",
        "--chunk-rows",
        "256",
        "-q",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

fn spawn(args: &[String], resume: bool) -> Child {
    let mut c = bin();
    c.args(args);
    if resume {
        c.arg("--resume");
    }
    c.stderr(Stdio::piped()).spawn().unwrap()
}

fn journal(output: &Path) -> PathBuf {
    let name = output.file_name().unwrap().to_str().unwrap();
    output.with_file_name(format!(".{name}.sentir-resume"))
}

fn size(p: &Path) -> u64 {
    std::fs::metadata(p).map(|m| m.len()).unwrap_or(0)
}

/// Kills runs `kills` times at random moments after each has labelled something new, then
/// resumes to the end; returns the final output's bytes.
fn killed_and_resumed(input: &Path, output: &Path, kills: usize, rng: &mut Lcg) -> Vec<u8> {
    let args = classify_args(input, output);
    let mut done = 0;
    while done < kills {
        let before = size(&journal(output));
        let mut child = spawn(&args, done > 0);
        // Wait until this run has journaled a chunk, then a random moment more.
        let start = Instant::now();
        let mut exited = None;
        while size(&journal(output)) <= before {
            if let Some(st) = child.try_wait().unwrap() {
                exited = Some(st);
                break;
            }
            assert!(start.elapsed() < Duration::from_secs(120), "no progress");
            std::thread::sleep(Duration::from_millis(2));
        }
        assert!(
            exited.is_none(),
            "run {done} ended before it was killed: {exited:?} (the export is too small)"
        );
        std::thread::sleep(Duration::from_millis(rng.below(80)));
        let sig = match done % 5 {
            3 => "INT",
            4 => "TERM",
            _ => "KILL",
        };
        let out = common::signal_and_wait(child, sig);
        let err = String::from_utf8_lossy(&out.stderr);
        match (sig, out.status.code()) {
            ("KILL", None) => {}
            ("INT", Some(130)) | ("TERM", Some(143)) => {
                assert!(err.contains("--resume to continue"), "{err}");
            }
            // The signal came as the run was committing: it finished.
            (_, Some(0 | 3)) => {}
            other => panic!("SIG{sig}: {other:?} {err}"),
        }
        assert!(journal(output).exists() || out.status.success());
        done += 1;
    }
    let out = spawn(&args, true).wait_with_output().unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 3)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::read(output).unwrap()
}

/// Nothing but the inputs and the committed outputs is left in `dir`.
fn assert_clean(dir: &Path) {
    let left: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}

fn uninterrupted(input: &Path, output: &Path) -> Vec<u8> {
    let out: Output = bin().args(classify_args(input, output)).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::read(output).unwrap()
}

#[test]
fn twenty_kills_then_resume_give_the_uninterrupted_csv() {
    let dir = tempfile::tempdir().unwrap();
    let input = export(dir.path(), 20_000, false);
    let expected = uninterrupted(&input, &dir.path().join("expected.csv"));
    let out = dir.path().join("out.csv");
    let got = killed_and_resumed(&input, &out, 20, &mut Lcg(42));
    assert!(
        got == expected,
        "resumed output differs from the uninterrupted one"
    );
    assert_clean(dir.path());
}

#[test]
fn resumed_jsonl_and_parquet_are_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let csv = export(dir.path(), 6_000, false);
    let jsonl = export(dir.path(), 6_000, true);
    for (input, name) in [(&jsonl, "out.jsonl"), (&csv, "out.parquet")] {
        let expected = uninterrupted(input, &dir.path().join(format!("expected-{name}")));
        let got = killed_and_resumed(input, &dir.path().join(name), 4, &mut Lcg(9));
        assert!(got == expected, "{name}: resumed output differs");
    }
    assert_clean(dir.path());
}

/// Starts a run and kills it once its journal holds `records` chunks: a journal to resume.
fn interrupted(args: &[String], output: &Path, records: u64) {
    let mut child = spawn(args, false);
    let mut wait_for = |done: &dyn Fn(u64) -> bool| loop {
        let n = size(&journal(output));
        if done(n) {
            return n;
        }
        assert!(child.try_wait().unwrap().is_none(), "ended too soon");
        std::thread::sleep(Duration::from_millis(1));
    };
    let header = wait_for(&|n| n > 0);
    let first = wait_for(&|n| n > header) - header; // all records have the same size here
    wait_for(&|n| n >= header + records * first);
    child.kill().unwrap();
    child.wait().unwrap();
}

fn resume_with(args: &[String]) -> (Option<i32>, String) {
    let out = spawn(args, true).wait_with_output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// 600 messages of about 4 KB: 2.4 MB, so that row 280 lies outside the first and the last
/// MiB that the input's fingerprint samples.
fn long_export(dir: &Path) -> PathBuf {
    let mut out = String::from("id,text\n");
    for i in 0..600 {
        out.push_str(&format!("{i},\"{}\"\n", "muy bien gracias ".repeat(240)));
    }
    let path = dir.join("long.csv");
    std::fs::write(&path, out).unwrap();
    path
}

#[test]
fn another_input_model_or_option_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let input = long_export(dir.path());
    let out = dir.path().join("out.csv");
    std::fs::write(&out, "previous\n").unwrap();
    let mut args = classify_args(&input, &out);
    args[9] = "64".into(); // --chunk-rows
    args.extend(["--long".to_string(), "truncate".to_string()]);
    // Six chunks of 64 rows journaled: row 280 is among them.
    interrupted(&args, &out, 6);

    // Another option.
    let mut other = args.clone();
    other[9] = "128".into();
    let (code, err) = resume_with(&other);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("options differ (--chunk-rows was 64, now 128)"),
        "{err}"
    );

    // Another model: a copy of the fixture with its config.json changed.
    let m = dir.path().join("model");
    std::fs::create_dir(&m).unwrap();
    for e in std::fs::read_dir(model()).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, m.join(p.file_name().unwrap())).unwrap();
    }
    let mut cfg = std::fs::read_to_string(m.join("config.json")).unwrap();
    cfg.push('\n');
    std::fs::write(m.join("config.json"), cfg).unwrap();
    let mut other = args.clone();
    other[5] = m.display().to_string(); // --model
    let (code, err) = resume_with(&other);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("the model is not the one"), "{err}");

    // Another input: one more row.
    let mut bytes = std::fs::read(&input).unwrap();
    bytes.extend_from_slice(b"99999,\"otro mensaje\"\n");
    let other_input = dir.path().join("other.csv");
    std::fs::write(&other_input, &bytes).unwrap();
    let mut other = args.clone();
    other[1] = other_input.display().to_string();
    let (code, err) = resume_with(&other);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("the input is not the one"), "{err}");

    // The same size and ends, but row 280 changed: found when it is read again.
    let mut bytes = std::fs::read(&input).unwrap();
    let row = "\n280,\"";
    let at = bytes
        .windows(row.len())
        .position(|w| w == row.as_bytes())
        .unwrap()
        + row.len();
    bytes[at] = b'M';
    std::fs::write(&input, &bytes).unwrap();
    let (code, err) = resume_with(&args);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("rows 257–320 of the input differ from those the interrupted run read"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "previous\n");

    // Streams cannot be resumed.
    let mut stdin_args = args.clone();
    stdin_args[1] = "-".into();
    let (code, err) = resume_with(&stdin_args);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("--resume needs an input file"), "{err}");
}

#[test]
fn resume_without_a_journal_starts_from_the_beginning() {
    let dir = tempfile::tempdir().unwrap();
    let input = export(dir.path(), 1_000, false);
    let expected = uninterrupted(&input, &dir.path().join("expected.csv"));
    let out = dir.path().join("out.csv");
    let (code, err) = resume_with(&classify_args(&input, &out));
    assert_eq!(code, Some(3), "{err}");
    assert!(std::fs::read(&out).unwrap() == expected);
    assert_clean(dir.path());
}
