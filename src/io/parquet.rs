//! Parquet input (a file, stdin, or a directory of part files as Spark writes them) and output
//! (snappy). Reading needs the whole file (Parquet keeps its index at the end): stdin is read
//! into memory first. Compression: snappy or none.

use super::batch_sink::BatchWriter;
use super::batches::{catch_panics, BatchSource, Batches};
use super::{Commit, Input};
use crate::error::{Result, SentirError};
use arrow_array::RecordBatch;
use arrow_schema::SchemaRef;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;
use parquet::file::reader::ChunkReader;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// Rows per record batch when reading.
const READ_BATCH_ROWS: usize = 1024;

/// Opens the Parquet file behind `input` (stdin is read into memory), or every part of a
/// directory ([`parts`]), as one source whose rows are numbered across the parts.
pub fn open(input: Input, text_column: Option<&str>) -> Result<BatchSource> {
    let name = input.name.clone();
    if name != "-" && Path::new(&name).is_dir() {
        drop(input);
        return open_dir(Path::new(&name), text_column);
    }
    let (batches, schema, total, size) = if name == "-" {
        let mut buf = Vec::new();
        let mut r = input.reader;
        r.read_to_end(&mut buf)
            .map_err(|e| SentirError::io("-", e))?;
        let size = buf.len() as u64;
        let (b, s, t) = open_reader(bytes::Bytes::from(buf), &name)?;
        (b, s, t, size)
    } else {
        drop(input);
        let f = std::fs::File::open(&name).map_err(|e| SentirError::io(&name, e))?;
        let size = f.metadata().map(|m| m.len()).unwrap_or(0);
        let (b, s, t) = open_reader(f, &name)?;
        (b, s, t, size)
    };
    BatchSource::new(batches, schema, text_column, Some(total), size, false)
}

/// The Parquet parts of a directory in name order: `*.parquet` files, skipping hidden and
/// `_`-prefixed entries (`_SUCCESS`, `.crc` files). Other files and subdirectories
/// (partitioned datasets) are refused, so that no rows are silently left out.
pub fn parts(dir: &Path) -> Result<Vec<PathBuf>> {
    let entries = std::fs::read_dir(dir).map_err(|e| SentirError::io(dir, e))?;
    let mut parts = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| SentirError::io(dir, e))?;
        let file_name = entry.file_name();
        let name = file_name.to_string_lossy();
        if name.starts_with('.') || name.starts_with('_') {
            continue;
        }
        let path = entry.path();
        if path.is_dir() {
            return Err(SentirError::Usage(format!(
                "{}: a subdirectory (partitioned dataset?); sentir reads a directory of Parquet part files",
                path.display()
            )));
        }
        if !name.ends_with(".parquet") {
            return Err(SentirError::Usage(format!(
                "{}: not a Parquet part (a directory input holds *.parquet files; hidden and _-prefixed files are skipped)",
                path.display()
            )));
        }
        parts.push(path);
    }
    if parts.is_empty() {
        return Err(SentirError::Usage(format!(
            "{}: no Parquet parts (*.parquet) in this directory",
            dir.display()
        )));
    }
    parts.sort();
    Ok(parts)
}

fn open_dir(dir: &Path, text_column: Option<&str>) -> Result<BatchSource> {
    let parts = parts(dir)?;
    let mut schema: Option<SchemaRef> = None;
    let (mut total, mut size) = (0u64, 0u64);
    for p in &parts {
        let name = p.display().to_string();
        let f = std::fs::File::open(p).map_err(|e| SentirError::io(p, e))?;
        size += f.metadata().map(|m| m.len()).unwrap_or(0);
        let builder = ParquetRecordBatchReaderBuilder::try_new(f).map_err(|e| bad(&name, e))?;
        total += builder.metadata().file_metadata().num_rows().max(0) as u64;
        match &schema {
            None => schema = Some(builder.schema().clone()),
            Some(s) if s.fields() != builder.schema().fields() => {
                return Err(SentirError::Input(format!(
                    "{name}: its columns differ from those of {} (all parts of a directory need one schema)",
                    parts[0].display()
                )));
            }
            Some(_) => {}
        }
    }
    let schema = schema.expect("parts() is never empty");
    // Parts are opened one after the other as the rows are read.
    let batches: Batches = Box::new(parts.into_iter().flat_map(|p| {
        let name = p.display().to_string();
        let opened = std::fs::File::open(&p)
            .map_err(|e| format!("{name}: {e}"))
            .and_then(|f| open_reader(f, &name).map_err(|e| e.to_string()));
        let it: Batches = match opened {
            Ok((b, _, _)) => b,
            Err(e) => Box::new(std::iter::once(Err(e))),
        };
        it
    }));
    BatchSource::new(batches, schema, text_column, Some(total), size, false)
}

fn bad(name: &str, e: parquet::errors::ParquetError) -> SentirError {
    SentirError::Input(format!("{name}: cannot read Parquet: {e}"))
}

fn open_reader<T: ChunkReader + 'static>(file: T, name: &str) -> Result<(Batches, SchemaRef, u64)> {
    let builder = ParquetRecordBatchReaderBuilder::try_new(file).map_err(|e| bad(name, e))?;
    let schema = builder.schema().clone();
    let total = builder.metadata().file_metadata().num_rows().max(0) as u64;
    let groups = builder
        .metadata()
        .row_groups()
        .iter()
        .try_fold(0u64, |sum, g| {
            u64::try_from(g.num_rows())
                .ok()
                .map(|n| sum.saturating_add(n))
        });
    let reader = builder
        .with_batch_size(READ_BATCH_ROWS)
        .build()
        .map_err(|e| bad(name, e))?;
    let what = format!("{name}: cannot read Parquet");
    let batches = {
        let what = what.clone();
        reader.map(move |b| b.map_err(|e| format!("{what}: {e}")))
    };
    let batches = counted(catch_panics(Box::new(batches), what.clone()), groups, what);
    Ok((batches, schema, total))
}

/// `batches` followed by a read error when they ended with another number of rows than the
/// row groups of the footer hold (`expected`; `None` when a count is negative): in a corrupt
/// file the footer and the column data can disagree, and the parquet crate then yields what
/// the data holds without an error. No row is silently lost or added.
fn counted(mut batches: Batches, expected: Option<u64>, what: String) -> Batches {
    let mut read = 0u64;
    let mut done = false;
    Box::new(std::iter::from_fn(move || {
        if done {
            return None;
        }
        match batches.next() {
            Some(Ok(b)) => {
                read += b.num_rows() as u64;
                Some(Ok(b))
            }
            Some(Err(e)) => {
                done = true;
                Some(Err(e))
            }
            None => {
                done = true;
                match expected {
                    Some(n) if n != read => Some(Err(format!(
                        "{what}: its footer declares {n} rows, its column data held {read}"
                    ))),
                    _ => None,
                }
            }
        }
    }))
}

/// Rows per row group. The writer holds the current row group's encoded pages in memory, so
/// this bounds its memory (with parquet's default of 1 Mi rows, peak RSS grew with the export
/// up to a million rows; see the README's memory figures).
const ROW_GROUP_ROWS: usize = 65_536;

/// A [`BatchWriter`] to a Parquet file (snappy); `commit` runs on the finished bytes' writer.
pub struct ParquetWriter<W: Write + Send> {
    writer: ArrowWriter<W>,
    name: String,
    commit: Commit<W>,
}

impl<W: Write + Send> ParquetWriter<W> {
    /// Starts a Parquet file with `schema` on `out` (`name` for messages).
    pub fn new(out: W, name: &str, schema: SchemaRef, commit: Commit<W>) -> Result<Self> {
        let props = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_max_row_group_row_count(Some(ROW_GROUP_ROWS))
            .build();
        let writer = ArrowWriter::try_new(out, schema, Some(props))
            .map_err(|e| SentirError::write(name, "Parquet", &e))?;
        Ok(ParquetWriter {
            writer,
            name: name.to_string(),
            commit,
        })
    }
}

impl<W: Write + Send> BatchWriter for ParquetWriter<W> {
    fn write(&mut self, batch: &RecordBatch) -> Result<()> {
        self.writer
            .write(batch)
            .map_err(|e| SentirError::write(&self.name, "Parquet", &e))
    }

    fn finish(self: Box<Self>) -> Result<()> {
        let me = *self;
        let name = me.name;
        let inner = me
            .writer
            .into_inner()
            .map_err(|e| SentirError::write(&name, "Parquet", &e))?;
        (me.commit)(inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn batches(rows: &[usize]) -> Batches {
        let batches: Vec<_> = rows
            .iter()
            .map(|&n| {
                let texts = arrow_array::StringArray::from(vec!["x"; n]);
                Ok(
                    RecordBatch::try_from_iter([("text", std::sync::Arc::new(texts) as _)])
                        .unwrap(),
                )
            })
            .collect();
        Box::new(batches.into_iter())
    }

    #[test]
    fn fewer_rows_than_the_footer_declares_is_a_read_error() {
        let read = |rows: &[usize], expected| -> Vec<std::result::Result<usize, String>> {
            counted(
                batches(rows),
                expected,
                "f.parquet: cannot read Parquet".into(),
            )
            .map(|b| b.map(|b| b.num_rows()))
            .collect()
        };
        assert_eq!(read(&[2, 1], Some(3)), [Ok(2), Ok(1)]);
        assert_eq!(read(&[2, 1], None), [Ok(2), Ok(1)]);
        assert_eq!(
            read(&[2, 1], Some(7)),
            [
                Ok(2),
                Ok(1),
                Err("f.parquet: cannot read Parquet: its footer declares 7 rows, its column data held 3".into())
            ]
        );
        assert_eq!(read(&[], Some(0)), []);
    }

    /// The first read error of the Parquet bytes `bytes` (read as from stdin), after the rows
    /// before it.
    fn read_error(bytes: &'static [u8]) -> SentirError {
        use crate::io::RowSource;
        let input = Input {
            reader: std::io::BufReader::new(Box::new(bytes)),
            name: "-".into(),
            size: None,
        };
        let mut source = match open(input, None) {
            Ok(s) => s,
            Err(e) => return e,
        };
        loop {
            match source.next_row() {
                Ok(Some(_)) => {}
                Ok(None) => panic!("a corrupt file read to its end"),
                Err(e) => break e,
            }
        }
    }

    /// Files found by the fuzzer (fuzz/corpus/parquet_reader/), each a read error (exit 1)
    /// with its reason: a footer declaring 6 rows over data holding 7 (the parquet crate
    /// returned the 7 without an error); a page header with a huge list of skipped values
    /// (the crate spun forever; vendor/parquet patch 2); a 1.1 KB file whose dictionary page
    /// declares about 2^31 values (the crate allocated 16 GB; patch 3).
    #[test]
    fn files_found_by_fuzzing_are_read_errors() {
        let found: [(&'static [u8], &str); 3] = [
            (
                include_bytes!(
                    "../../fuzz/corpus/parquet_reader/footer-declares-6-rows-data-holds-7.parquet"
                ),
                "-: cannot read Parquet: its footer declares 6 rows, its column data held 7",
            ),
            (
                include_bytes!(
                    "../../fuzz/corpus/parquet_reader/page-header-huge-skipped-list.parquet"
                ),
                "EOF",
            ),
            (
                include_bytes!(
                    "../../fuzz/corpus/parquet_reader/dictionary-declares-2e31-values.parquet"
                ),
                "dictionary page declares",
            ),
        ];
        for (bytes, reason) in found {
            let e = read_error(bytes);
            assert_eq!(e.exit_code(), 1, "{e}");
            assert!(e.to_string().contains(reason), "{e}");
        }
    }

    #[test]
    fn parts_skip_hidden_and_refuse_other_files() {
        let dir = tempfile::tempdir().unwrap();
        for n in [
            "part-00001.parquet",
            "part-00000.parquet",
            "_SUCCESS",
            ".part-0.crc",
        ] {
            std::fs::write(dir.path().join(n), b"").unwrap();
        }
        let got: Vec<String> = parts(dir.path())
            .unwrap()
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(got, ["part-00000.parquet", "part-00001.parquet"]);
        std::fs::write(dir.path().join("notes.txt"), b"").unwrap();
        let e = parts(dir.path()).unwrap_err().to_string();
        assert!(
            e.contains("notes.txt") && e.contains("not a Parquet part"),
            "{e}"
        );
        let empty = tempfile::tempdir().unwrap();
        assert!(parts(empty.path())
            .unwrap_err()
            .to_string()
            .contains("no Parquet parts"));
    }
}
