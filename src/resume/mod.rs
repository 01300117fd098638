//! Resumable runs. A `classify` run to a file keeps a journal beside its output
//! (`.NAME.sentir-resume`): the fingerprint of its input, model and options, then the outcome
//! of every finished chunk. A run that is killed (SIGKILL included) or stopped leaves the
//! journal; `--resume` checks the fingerprint, re-reads the input, takes the journaled chunks'
//! outcomes instead of running the model on them (their rows must digest the same), and
//! labels the rest. The output is written again from its first row, so it is byte-identical to
//! an uninterrupted run's. The journal is removed once the output is committed.

pub mod journal;

use crate::error::{Result, SentirError};
use crate::io::{Payload, Row};
use crate::prediction::Outcome;
use journal::{ChunkRecord, JournalError, Records};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

/// What a journal belongs to: the input, the model and the options that decide the labels.
#[derive(Clone, Debug, PartialEq)]
pub struct Fingerprint {
    /// Size and sampled content digest of the input file (or of each part of a directory).
    pub input: Value,
    /// Size and sampled content digest of each file of the model directory.
    pub model: Value,
    /// The options that change labels or output bytes, by flag name.
    pub options: BTreeMap<String, String>,
}

impl Fingerprint {
    /// The fingerprint of a run of `model_dir` over `input` with `options`.
    pub fn of(input: &str, model_dir: &Path, options: BTreeMap<String, String>) -> Result<Self> {
        Ok(Fingerprint {
            input: input_digest(Path::new(input))?,
            model: dir_digest(model_dir)?,
            options,
        })
    }

    fn header(&self) -> String {
        json!({"input": self.input, "model": self.model, "options": self.options}).to_string()
    }

    fn from_header(h: &str) -> Option<Fingerprint> {
        let v: Value = serde_json::from_str(h).ok()?;
        Some(Fingerprint {
            input: v.get("input")?.clone(),
            model: v.get("model")?.clone(),
            options: serde_json::from_value(v.get("options")?.clone()).ok()?,
        })
    }

    /// Why a journal with fingerprint `old` cannot be resumed by this run, if it cannot.
    fn mismatch(&self, old: &Fingerprint) -> Option<String> {
        if self.input != old.input {
            return Some("the input is not the one the interrupted run read".into());
        }
        if self.model != old.model {
            return Some("the model is not the one the interrupted run used".into());
        }
        let flags: Vec<String> = old
            .options
            .iter()
            .filter(|(k, v)| self.options.get(*k) != Some(v))
            .map(|(k, v)| {
                let now = self.options.get(k).map_or("unset", String::as_str);
                format!("{k} was {v}, now {now}")
            })
            .collect();
        (!flags.is_empty()).then(|| format!("options differ ({})", flags.join("; ")))
    }
}

/// Where the journal of an output file lives: `.NAME.sentir-resume` beside it.
pub fn journal_path(output: &Path) -> PathBuf {
    let name = output
        .file_name()
        .map_or_else(|| "output".into(), |n| n.to_string_lossy().into_owned());
    output.with_file_name(format!(".{name}.sentir-resume"))
}

/// An open journal: the chunks an interrupted run finished (read back by the pipeline's
/// reader) and the file new chunks are appended to (by its writer).
pub struct Journal {
    path: PathBuf,
    file: File,
    restored: Option<Restored>,
}

/// The finished chunks of the interrupted run, in order.
pub struct Restored {
    records: Records<BufReader<File>>,
    path: PathBuf,
    /// Rows they cover.
    pub rows: u64,
}

impl Restored {
    /// The next finished chunk, `None` past the last.
    pub fn next_chunk(&mut self) -> Result<Option<ChunkRecord>> {
        self.records
            .next_record()
            .map_err(|e| journal_err(&self.path, e))
    }
}

/// Appends finished chunks to the journal.
pub struct Appender {
    file: File,
    path: PathBuf,
}

impl Appender {
    /// Records that the `outcomes` of the chunk starting after `first_row` rows, whose rows
    /// digest to `digest`, are final.
    pub fn append(&mut self, first_row: u64, digest: [u8; 32], outcomes: &[Outcome]) -> Result<()> {
        let rec = ChunkRecord {
            first_row,
            digest,
            outcomes: outcomes.to_vec(),
        };
        journal::append(&mut self.file, &rec).map_err(|e| journal_err(&self.path, e))
    }
}

impl Journal {
    /// Opens the journal of `output`: with `resume`, continues the one an interrupted run
    /// left (refused if its fingerprint differs), else starts a new one.
    pub fn open(output: &Path, fp: &Fingerprint, resume: bool) -> Result<Journal> {
        let path = journal_path(output);
        drop(lock(&path, output)?); // refuse at once if another run holds it
        if resume && path.exists() {
            let opened = journal::scan(&path).map_err(|e| journal_err(&path, e))?;
            let old = Fingerprint::from_header(&opened.header)
                .ok_or_else(|| journal_err(&path, JournalError::NotAJournal))?;
            if let Some(why) = fp.mismatch(&old) {
                return Err(SentirError::Usage(format!(
                    "cannot resume {}: {why}; run without --resume to start again",
                    output.display()
                )));
            }
            let file =
                journal::reopen_for_append(&path, &opened).map_err(|e| journal_err(&path, e))?;
            let records = journal::records(&path, &opened).map_err(|e| journal_err(&path, e))?;
            let restored = Restored {
                records,
                path: path.clone(),
                rows: opened.rows,
            };
            lock_file(&file, &path, output)?;
            return Ok(Journal {
                path,
                file,
                restored: Some(restored),
            });
        }
        let file = journal::create(&path, &fp.header()).map_err(|e| journal_err(&path, e))?;
        lock_file(&file, &path, output)?;
        Ok(Journal {
            path,
            file,
            restored: None,
        })
    }

    /// The journal's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Rows an interrupted run already labelled (0 for a new journal).
    pub fn restored_rows(&self) -> u64 {
        self.restored.as_ref().map_or(0, |r| r.rows)
    }

    /// The reader's and the writer's halves.
    pub fn split(self) -> (Option<Restored>, Appender) {
        let appender = Appender {
            file: self.file,
            path: self.path,
        };
        (self.restored, appender)
    }
}

/// Holds the existing journal at `path` locked while it is read, if there is one.
fn lock(path: &Path, output: &Path) -> Result<Option<File>> {
    match File::open(path) {
        Ok(f) => {
            lock_file(&f, path, output)?;
            Ok(Some(f))
        }
        Err(_) => Ok(None),
    }
}

/// Two runs writing one output would mix their journals: the journal is locked while a run
/// holds it.
fn lock_file(f: &File, path: &Path, output: &Path) -> Result<()> {
    match f.try_lock() {
        Ok(()) => Ok(()),
        Err(std::fs::TryLockError::WouldBlock) => Err(SentirError::Usage(format!(
            "another sentir run is writing {} (its journal {} is locked)",
            output.display(),
            path.display()
        ))),
        Err(std::fs::TryLockError::Error(e)) => Err(SentirError::io(path, e)),
    }
}

/// Removes the journal of `output` once the output is committed.
pub fn remove(output: &Path) -> Result<()> {
    let path = journal_path(output);
    match std::fs::remove_file(&path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(SentirError::io(path, e)),
        _ => Ok(()),
    }
}

fn journal_err(path: &Path, e: JournalError) -> SentirError {
    match e {
        JournalError::Io(e) => SentirError::io(path, e),
        other => SentirError::Input(format!("{}: {other}", path.display())),
    }
}

/// A digest of a chunk's rows (their texts or errors, and their fields for CSV and text), to
/// check on resume that the input still holds the same rows.
pub fn rows_digest(rows: &[Row]) -> [u8; 32] {
    let mut h = Sha256::new();
    for r in rows {
        h.update(r.at.number().to_le_bytes());
        match &r.text {
            Ok(t) => h.update(t.as_bytes()),
            Err(e) => h.update(e.to_string().as_bytes()),
        }
        h.update([0xff]);
        if let Payload::Fields(rec) = &r.payload {
            for f in rec.iter() {
                h.update((f.len() as u64).to_le_bytes());
                h.update(f);
            }
        }
    }
    h.finalize().into()
}

/// Bytes read from each end of a file for its digest: a changed export almost always changes
/// its size or its first or last MiB (hashing all of a 10 GB input would take a minute).
const SAMPLE: u64 = 1 << 20;

fn file_digest(path: &Path) -> Result<Value> {
    let mut f = File::open(path).map_err(|e| SentirError::io(path, e))?;
    let size = f.metadata().map_err(|e| SentirError::io(path, e))?.len();
    let mut h = Sha256::new();
    let mut buf = Vec::new();
    let io = |e| SentirError::io(path, e);
    (&mut f).take(SAMPLE).read_to_end(&mut buf).map_err(io)?;
    if size > SAMPLE {
        f.seek(SeekFrom::Start(size.saturating_sub(SAMPLE).max(SAMPLE)))
            .map_err(io)?;
        f.read_to_end(&mut buf).map_err(io)?;
    }
    h.update(&buf);
    let hex: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
    Ok(json!({"size": size, "sha256_of_ends": hex}))
}

fn dir_digest(dir: &Path) -> Result<Value> {
    let mut files = BTreeMap::new();
    let entries = std::fs::read_dir(dir).map_err(|e| SentirError::io(dir, e))?;
    for e in entries {
        let p = e.map_err(|e| SentirError::io(dir, e))?.path();
        if p.is_file() {
            let name = p
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            files.insert(name, file_digest(&p)?);
        }
    }
    Ok(json!(files))
}

fn input_digest(input: &Path) -> Result<Value> {
    if input.is_dir() {
        dir_digest(input)
    } else {
        file_digest(input)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fp(input: &str, threads: &str) -> Fingerprint {
        Fingerprint {
            input: json!({"size": input.len()}),
            model: json!({"config.json": 1}),
            options: [("threads".to_string(), threads.to_string())].into(),
        }
    }

    #[test]
    fn journal_lives_beside_the_output() {
        assert_eq!(
            journal_path(Path::new("out/labelled.csv")),
            Path::new("out/.labelled.csv.sentir-resume")
        );
    }

    #[test]
    fn a_different_input_model_or_option_is_named() {
        let a = fp("abc", "2");
        assert_eq!(a.mismatch(&a.clone()), None);
        assert!(fp("abcd", "2").mismatch(&a).unwrap().contains("input"));
        let mut m = a.clone();
        m.model = json!({"config.json": 2});
        assert!(m.mismatch(&a).unwrap().contains("model"));
        assert_eq!(
            fp("abc", "1").mismatch(&a).unwrap(),
            "options differ (threads was 2, now 1)"
        );
        assert_eq!(Fingerprint::from_header(&a.header()), Some(a));
    }

    #[test]
    fn resume_refuses_another_input_and_continues_the_same() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out.csv");
        let a = fp("abc", "2");
        let j = Journal::open(&out, &a, false).unwrap();
        let (_, mut app) = j.split();
        app.append(0, [1; 32], &[]).unwrap();
        let e = Journal::open(&out, &a, true).err().unwrap();
        assert!(e.to_string().contains("is locked"), "{e}");
        drop(app);
        let e = Journal::open(&out, &fp("x", "2"), true).err().unwrap();
        assert!(e.to_string().starts_with("cannot resume"), "{e}");
        assert_eq!(e.exit_code(), 2);
        let j = Journal::open(&out, &a, true).unwrap();
        let (restored, _) = j.split();
        let mut r = restored.unwrap();
        assert_eq!(r.next_chunk().unwrap().unwrap().digest, [1; 32]);
        assert!(r.next_chunk().unwrap().is_none());
        remove(&out).unwrap();
        assert!(!journal_path(&out).exists());
    }
}
