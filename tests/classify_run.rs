//! How a `sentir classify` run ends: a closed stdout, a write error, a signal, a libtorch
//! failure or a tokenizer of another model, each with its exit code and the previous output
//! kept.

mod common;

use common::{model, run, sentir, stderr};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// `big.csv` in `dir`: `rows` buyer messages `id,text` ("mensaje número N del comprador",
/// then `tail` after a comma when given).
fn big_export(dir: &Path, rows: usize, tail: &str) -> PathBuf {
    let big = dir.join("big.csv");
    let mut csv = String::from("id,text\n");
    for i in 0..rows {
        csv.push_str(&format!("{i},\"mensaje número {i} del comprador"));
        if !tail.is_empty() {
            csv.push_str(", ");
            csv.push_str(tail);
        }
        csv.push_str("\"\n");
    }
    std::fs::write(&big, csv).unwrap();
    big
}

/// `sentir classify big.csv | head` ends quietly with exit 0: a closed stdout is the reader
/// having what it wanted, not an error.
#[test]
fn closed_stdout_ends_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let big = big_export(dir.path(), 20_000, "");
    let mut child = sentir()
        .args(["classify", big.to_str().unwrap(), "--model", &model()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut head = [0u8; 100];
    std::io::Read::read_exact(&mut stdout, &mut head).unwrap();
    drop(stdout); // what `head` does once it has its lines
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(!err.contains("error"), "{err}");
}

/// A write error names the output path (here a file-size limit: the disk is "full").
#[test]
fn write_errors_name_the_output() {
    let dir = tempfile::tempdir().unwrap();
    let big = big_export(dir.path(), 5_000, "");
    let out_path = dir.path().join("out.csv");
    std::fs::write(&out_path, "previous\n").unwrap();
    // ulimit -f counts 512-byte blocks; SIGXFSZ is ignored so the write fails with EFBIG.
    let script = format!(
        "trap '' XFSZ; ulimit -f 64; exec {} classify {} -o {} --model {} -q",
        env!("CARGO_BIN_EXE_sentir"),
        big.display(),
        out_path.display(),
        model()
    );
    let out = Command::new("bash").args(["-c", &script]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains(out_path.to_str().unwrap()), "{err}");
    assert_eq!(std::fs::read_to_string(&out_path).unwrap(), "previous\n");
}

/// SIGINT and SIGTERM stop a run cleanly: exit 128 + signal, the previous output unchanged,
/// no temporary file left beside it, the reason on stderr, and the journal kept for
/// `--resume` (tests/resume.rs resumes such runs).
#[test]
fn signals_stop_a_run_and_keep_the_previous_output() {
    let dir = tempfile::tempdir().unwrap();
    let big = big_export(dir.path(), 400_000, "todo bien");
    for (sig, code) in [("INT", 130), ("TERM", 143)] {
        let out_path = dir.path().join("out.csv");
        std::fs::write(&out_path, "previous\n").unwrap();
        let child = sentir()
            .args([
                "classify",
                big.to_str().unwrap(),
                "-o",
                out_path.to_str().unwrap(),
            ])
            .args(["--model", &model(), "-q"])
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Let it start labelling (the temporary output exists), then signal it.
        let start = std::time::Instant::now();
        while !dir.path().join(".out.csv.sentir-partial").exists() {
            assert!(
                start.elapsed().as_secs() < 60,
                "no temporary output appeared"
            );
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        std::thread::sleep(std::time::Duration::from_millis(300));
        let out = common::signal_and_wait(child, sig);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(code), "SIG{sig}: {err}");
        assert!(err.contains(&format!("stopped by SIG{sig}")), "{err}");
        assert_eq!(std::fs::read_to_string(&out_path).unwrap(), "previous\n");
        let left: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".tmp"))
            .collect();
        assert!(left.is_empty(), "temporary files left: {left:?}");
        assert!(!dir.path().join(".out.csv.sentir-partial").exists());
        assert!(
            err.contains("run the same command with --resume to continue"),
            "{err}"
        );
        assert!(dir.path().join(".out.csv.sentir-resume").exists());
    }
}

/// A copy of the fixture model whose tokenizer.json is changed by `edit`.
fn model_with_tokenizer(dir: &Path, edit: impl Fn(&mut serde_json::Value)) -> String {
    let m = dir.join("model");
    std::fs::create_dir(&m).unwrap();
    for e in std::fs::read_dir(model()).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, m.join(p.file_name().unwrap())).unwrap();
    }
    let tp = m.join("tokenizer.json");
    let mut tok: serde_json::Value = serde_json::from_slice(&std::fs::read(&tp).unwrap()).unwrap();
    edit(&mut tok);
    std::fs::write(&tp, serde_json::to_vec(&tok).unwrap()).unwrap();
    m.display().to_string()
}

/// Without its token-type rows (`type_vocab_size` 0, an empty table in the file), a model
/// loads and fails in its first forward pass, inside rust-bert's layers.
fn model_without_token_types(dir: &Path) -> String {
    std::fs::create_dir_all(dir).unwrap();
    let m = model_with_tokenizer(dir, |_| {});
    let weights = Path::new(&m).join("model.safetensors");
    let tensors: Vec<(String, tch::Tensor)> = tch::Tensor::read_safetensors(&weights)
        .unwrap()
        .into_iter()
        .map(|(name, t)| {
            if !name.ends_with("token_type_embeddings.weight") {
                return (name, t);
            }
            let empty = tch::Tensor::zeros([0, t.size()[1]], (t.kind(), tch::Device::Cpu));
            (name, empty)
        })
        .collect();
    tch::Tensor::write_safetensors(&tensors, &weights).unwrap();
    let cp = Path::new(&m).join("config.json");
    let mut config: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&cp).unwrap()).unwrap();
    config["type_vocab_size"] = 0.into();
    std::fs::write(&cp, serde_json::to_vec(&config).unwrap()).unwrap();
    m
}

/// A libtorch failure during inference is an error with libtorch's reason (exit 1), not a
/// crash (exit 101), and the output is not written; a token id past the model's
/// word-embedding table is refused (exit 2), and a tokenizer larger than the model's
/// vocabulary at load (exit 2).
#[test]
fn libtorch_failures_are_errors_not_crashes() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.csv");
    std::fs::write(&input, "text\nhola\nz z z\n").unwrap();
    let out_path = dir.path().join("out.csv");
    let classify = |m: &str| {
        run(&[
            "classify",
            input.to_str().unwrap(),
            "-o",
            out_path.to_str().unwrap(),
            "--model",
            m,
            "-q",
        ])
    };
    let m = model_without_token_types(&dir.path().join("no-token-types"));
    let o = classify(&m);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("libtorch failed: index_select()"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(!out_path.exists());

    // "z" gets an id past the model's 200-row embedding table: the rows are read from the
    // file, and the id is refused before any read, as a tokenizer that does not fit the
    // model (exit 2, like the check at load below).
    let m = model_with_tokenizer(dir.path(), |t| t["model"]["vocab"]["z"] = 5000.into());
    let o = classify(&m);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("token id 5000 is outside the vocabulary (200 rows)"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    assert!(!out_path.exists());

    let dir2 = tempfile::tempdir().unwrap();
    let m = model_with_tokenizer(dir2.path(), |t| {
        for i in 0..10 {
            t["model"]["vocab"][format!("extra{i}")] = (200 + i).into();
        }
    });
    let o = run(&["classify", input.to_str().unwrap(), "--model", &m, "-q"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("tokenizer.json has 210 tokens"),
        "{}",
        stderr(&o)
    );
}
