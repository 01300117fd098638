//! The journal file of a resumable run: a header (the run's fingerprint as one JSON line),
//! then one record per finished chunk: its first row, its row count, a digest of its rows and
//! every row's outcome (scores as exact f32 bits). Records are length-prefixed and
//! checksummed, so a run killed in the middle of a record leaves a journal whose complete
//! records are still read (the torn tail is cut off on resume).

use crate::io::RowError;
use crate::prediction::{Outcome, Prediction};
use crate::sentiment::Sentiment;
use std::borrow::Cow;
use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::path::Path;

/// First bytes of every journal.
const MAGIC: &[u8] = b"sentir-resume 1\n";

/// One finished chunk.
#[derive(Clone, Debug, PartialEq)]
pub struct ChunkRecord {
    /// Rows before the chunk.
    pub first_row: u64,
    /// Digest of the chunk's rows (see [`super::rows_digest`]).
    pub digest: [u8; 32],
    /// Each row's outcome, in input order.
    pub outcomes: Vec<Outcome>,
}

/// What is wrong with a journal file.
#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    /// Reading or writing the file failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// The file is not a journal of this version.
    #[error("not a sentir resume journal (or of another version)")]
    NotAJournal,
    /// A record decodes to nonsense although its checksum is right.
    #[error("record {0} is malformed")]
    Malformed(usize),
}

type Result<T> = std::result::Result<T, JournalError>;

/// Writes a new journal with `header` (one JSON line), replacing any file at `path`.
pub fn create(path: &Path, header: &str) -> Result<File> {
    let mut f = File::create(path)?;
    f.write_all(MAGIC)?;
    f.write_all(header.as_bytes())?;
    f.write_all(b"\n")?;
    f.sync_data()?;
    Ok(f)
}

/// An opened journal: its header and where its records are.
pub struct Opened {
    /// The header line (without its newline).
    pub header: String,
    /// Offset of the first record.
    pub records_start: u64,
    /// Offset just past the last complete record.
    pub records_end: u64,
    /// Rows covered by the complete records.
    pub rows: u64,
    /// Complete records.
    pub records: usize,
}

/// Reads the header and scans the records of the journal at `path` (without keeping them).
pub fn scan(path: &Path) -> Result<Opened> {
    let mut r = BufReader::new(File::open(path)?);
    let mut magic = vec![0u8; MAGIC.len()];
    if r.read_exact(&mut magic).is_err() || magic != MAGIC {
        return Err(JournalError::NotAJournal);
    }
    let mut header = String::new();
    r.read_line(&mut header)?;
    if !header.ends_with('\n') {
        return Err(JournalError::NotAJournal);
    }
    header.pop();
    let records_start = (MAGIC.len() + header.len() + 1) as u64;
    let mut records = Records::new(r, records_start);
    let (mut rows, mut count) = (0u64, 0usize);
    while let Some(rec) = records.next_record()? {
        if rec.first_row != rows {
            return Err(JournalError::Malformed(count));
        }
        rows += rec.outcomes.len() as u64;
        count += 1;
    }
    Ok(Opened {
        header,
        records_start,
        records_end: records.offset,
        rows,
        records: count,
    })
}

/// Cuts a torn last record off and opens the journal for appending.
pub fn reopen_for_append(path: &Path, opened: &Opened) -> Result<File> {
    let f = std::fs::OpenOptions::new().write(true).open(path)?;
    f.set_len(opened.records_end)?;
    let mut f = f;
    f.seek(SeekFrom::End(0))?;
    Ok(f)
}

/// The complete records of the journal at `path`, read one at a time.
pub fn records(path: &Path, opened: &Opened) -> Result<Records<BufReader<File>>> {
    let mut f = File::open(path)?;
    f.seek(SeekFrom::Start(opened.records_start))?;
    let mut r = Records::new(BufReader::new(f), opened.records_start);
    r.limit = Some(opened.records_end);
    Ok(r)
}

/// Appends one record and makes it durable.
pub fn append(f: &mut File, rec: &ChunkRecord) -> Result<()> {
    let payload = encode(rec);
    let mut buf = Vec::with_capacity(payload.len() + 8);
    buf.extend_from_slice(&(payload.len() as u32).to_le_bytes());
    buf.extend_from_slice(&crc32fast::hash(&payload).to_le_bytes());
    buf.extend_from_slice(&payload);
    f.write_all(&buf)?;
    f.sync_data()?;
    Ok(())
}

/// Records read in order; a short or corrupt record ends the list (a torn write).
pub struct Records<R: Read> {
    reader: R,
    offset: u64,
    limit: Option<u64>,
    index: usize,
}

impl<R: Read> Records<R> {
    fn new(reader: R, offset: u64) -> Self {
        Records {
            reader,
            offset,
            limit: None,
            index: 0,
        }
    }

    /// The next complete record, `None` at the end or at a torn record.
    pub fn next_record(&mut self) -> Result<Option<ChunkRecord>> {
        if self.limit.is_some_and(|l| self.offset >= l) {
            return Ok(None);
        }
        let mut head = [0u8; 8];
        if !read_full(&mut self.reader, &mut head)? {
            return Ok(None);
        }
        let len = u32::from_le_bytes(head[..4].try_into().expect("4 bytes")) as usize;
        let crc = u32::from_le_bytes(head[4..].try_into().expect("4 bytes"));
        let mut payload = Vec::new();
        let got = (&mut self.reader)
            .take(len as u64)
            .read_to_end(&mut payload)?;
        if got < len || crc32fast::hash(&payload) != crc {
            return Ok(None);
        }
        let rec = decode(&payload).ok_or(JournalError::Malformed(self.index))?;
        self.offset += 8 + len as u64;
        self.index += 1;
        Ok(Some(rec))
    }
}

/// Fills `buf`; `false` if the reader ended first.
fn read_full(r: &mut impl Read, buf: &mut [u8]) -> Result<bool> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..])? {
            0 => return Ok(false),
            k => n += k,
        }
    }
    Ok(true)
}

fn encode(rec: &ChunkRecord) -> Vec<u8> {
    let mut b = Vec::with_capacity(48 + rec.outcomes.len() * 40);
    b.extend_from_slice(&rec.first_row.to_le_bytes());
    b.extend_from_slice(&(rec.outcomes.len() as u32).to_le_bytes());
    b.extend_from_slice(&rec.digest);
    for o in &rec.outcomes {
        match o {
            Outcome::Failed(e) => {
                b.push(0);
                let json = serde_json::to_vec(e).expect("a row error serializes");
                b.extend_from_slice(&(json.len() as u32).to_le_bytes());
                b.extend_from_slice(&json);
            }
            Outcome::Labelled(p, lang) => {
                b.push(1);
                b.push(p.sentiment.index() as u8);
                for x in [p.score, p.probs[0], p.probs[1], p.probs[2]] {
                    b.extend_from_slice(&x.to_bits().to_le_bytes());
                }
                opt_f32(&mut b, p.p_mixed);
                match p.reason {
                    Some((i, s)) => {
                        b.push(1 + i as u8);
                        b.extend_from_slice(&s.to_bits().to_le_bytes());
                    }
                    None => b.push(0),
                }
                match lang {
                    Some(l) => {
                        b.push(l.len() as u8);
                        b.extend_from_slice(l.as_bytes());
                    }
                    None => b.push(u8::MAX),
                }
            }
        }
    }
    b
}

fn opt_f32(b: &mut Vec<u8>, x: Option<f32>) {
    match x {
        Some(x) => {
            b.push(1);
            b.extend_from_slice(&x.to_bits().to_le_bytes());
        }
        None => b.push(0),
    }
}

/// A cursor over a record's bytes.
struct Cursor<'a>(&'a [u8]);

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.0.len() < n {
            return None;
        }
        let (a, rest) = self.0.split_at(n);
        self.0 = rest;
        Some(a)
    }
    fn u8(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }
    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }
    fn f32(&mut self) -> Option<f32> {
        Some(f32::from_bits(self.u32()?))
    }
    fn opt_f32(&mut self) -> Option<Option<f32>> {
        match self.u8()? {
            0 => Some(None),
            _ => Some(Some(self.f32()?)),
        }
    }
}

fn decode(payload: &[u8]) -> Option<ChunkRecord> {
    let mut c = Cursor(payload);
    let first_row = u64::from_le_bytes(c.take(8)?.try_into().ok()?);
    let n = c.u32()? as usize;
    let digest: [u8; 32] = c.take(32)?.try_into().ok()?;
    let mut outcomes = Vec::with_capacity(n.min(payload.len()));
    for _ in 0..n {
        outcomes.push(match c.u8()? {
            0 => {
                let len = c.u32()? as usize;
                let e: RowError = serde_json::from_slice(c.take(len)?).ok()?;
                Outcome::Failed(e)
            }
            1 => {
                let sentiment = Sentiment::from_index(c.u8()? as usize)?;
                let score = c.f32()?;
                let probs = [c.f32()?, c.f32()?, c.f32()?];
                let p_mixed = c.opt_f32()?;
                let reason = match c.u8()? {
                    0 => None,
                    i => Some((i as usize - 1, c.f32()?)),
                };
                let lang = match c.u8()? {
                    u8::MAX => None,
                    len => Some(Cow::Owned(
                        String::from_utf8(c.take(len as usize)?.to_vec()).ok()?,
                    )),
                };
                let p = Prediction {
                    sentiment,
                    score,
                    probs,
                    p_mixed,
                    reason,
                };
                Outcome::Labelled(p, lang)
            }
            _ => return None,
        });
    }
    c.0.is_empty().then_some(ChunkRecord {
        first_row,
        digest,
        outcomes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::{RowErrorKind, RowPos};

    fn record(first_row: u64) -> ChunkRecord {
        let mut p = Prediction::from_probs([0.1, 0.2, 0.7]);
        p.p_mixed = Some(0.25);
        p.reason = Some((3, 0.5));
        let e = RowError::new(
            RowPos::Line(first_row + 2),
            RowErrorKind::Empty {
                what: "text".into(),
            },
        );
        ChunkRecord {
            first_row,
            digest: [7; 32],
            outcomes: vec![
                Outcome::Labelled(p, Some("es".into())),
                Outcome::Failed(e),
                Outcome::Labelled(Prediction::from_probs([0.5, 0.3, 0.2]), None),
            ],
        }
    }

    #[test]
    fn records_round_trip_exactly() {
        let r = record(6);
        assert_eq!(decode(&encode(&r)), Some(r));
    }

    #[test]
    fn a_torn_last_record_is_cut_off() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j");
        let mut f = create(&path, "{\"a\":1}").unwrap();
        append(&mut f, &record(0)).unwrap();
        append(&mut f, &record(3)).unwrap();
        let full = std::fs::metadata(&path).unwrap().len();
        drop(f);
        // Kill in the middle of the second record.
        let f = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
        f.set_len(full - 5).unwrap();
        let o = scan(&path).unwrap();
        assert_eq!((o.header.as_str(), o.records, o.rows), ("{\"a\":1}", 1, 3));
        let mut f = reopen_for_append(&path, &o).unwrap();
        append(&mut f, &record(3)).unwrap();
        let o = scan(&path).unwrap();
        assert_eq!((o.records, o.rows), (2, 6));
        let mut rs = records(&path, &o).unwrap();
        assert_eq!(rs.next_record().unwrap(), Some(record(0)));
        assert_eq!(rs.next_record().unwrap(), Some(record(3)));
        assert_eq!(rs.next_record().unwrap(), None);
    }

    #[test]
    fn other_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j");
        std::fs::write(&path, "id,text\n1,hola\n").unwrap();
        assert!(matches!(scan(&path), Err(JournalError::NotAJournal)));
    }
}
