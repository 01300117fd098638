//! Arrow IPC input (the streaming format on stdin or in a file, or the file format) and output
//! (the streaming format). Batches flow through as they come: each input batch is labelled
//! and written, and stdout flushed, before sentir waits for the next one, so a producer can
//! feed sentir through a pipe and read its output back without deadlock.

use super::batch_sink::BatchWriter;
use super::batches::{catch_panics, BatchSource, Batches};
use super::{Commit, Input};
use crate::error::{Result, SentirError};
use arrow_array::RecordBatch;
use arrow_ipc::reader::{FileReader, StreamReader};
use arrow_ipc::writer::StreamWriter;
use arrow_schema::SchemaRef;
use std::io::{BufRead, Write};

/// The first bytes of an Arrow IPC file (the random-access format).
pub const FILE_MAGIC: &[u8] = b"ARROW1";
/// The first bytes of an Arrow IPC stream (a continuation marker before the schema).
pub const STREAM_MARKER: &[u8] = &[0xff, 0xff, 0xff, 0xff];

/// Opens an Arrow IPC stream or file. Stream rows are numbered from 1 across its batches.
pub fn open(mut input: Input, text_column: Option<&str>) -> Result<BatchSource> {
    let name = input.name.clone();
    let bad = |e: arrow_schema::ArrowError| {
        SentirError::Input(format!("{name}: cannot read Arrow IPC: {e}"))
    };
    let head = input
        .reader
        .fill_buf()
        .map_err(|e| SentirError::io(&name, e))?;
    if head.starts_with(FILE_MAGIC) && name != "-" {
        drop(input);
        let mut f = std::fs::File::open(&name).map_err(|e| SentirError::io(&name, e))?;
        let size = f.metadata().map(|m| m.len()).unwrap_or(0);
        check_blocks(&mut f, size).map_err(|why| {
            SentirError::Input(format!(
                "{name}: cannot read Arrow IPC: malformed file ({why})"
            ))
        })?;
        let reader = FileReader::try_new(f, None).map_err(bad)?;
        let schema = reader.schema();
        let batches = named(reader, &name);
        return BatchSource::new(batches, schema, text_column, None, size, false);
    }
    if head.starts_with(FILE_MAGIC) {
        return Err(SentirError::Input(format!(
            "{name}: an Arrow IPC file (random-access format) on stdin; pipe the streaming format, or pass the file's path"
        )));
    }
    let size = input.size.unwrap_or(0);
    let reader = StreamReader::try_new(input.reader, None).map_err(bad)?;
    let schema = reader.schema();
    let batches = named(reader, &name);
    BatchSource::new(batches, schema, text_column, None, size, true)
}

/// Checks that the footer of an Arrow IPC file of `size` bytes, and the record batches and
/// dictionaries it lists, lie within the file: arrow-ipc allocates (zeroed) what a block
/// claims before reading it, so a few bytes claiming terabytes would exhaust memory. A file
/// without the `ARROW1` trailer, or whose footer does not parse, is left to arrow-ipc to report.
fn check_blocks(f: &mut std::fs::File, size: u64) -> std::result::Result<(), String> {
    use std::io::{Read, Seek, SeekFrom};
    let io = |e: std::io::Error| e.to_string();
    if size < 10 {
        return Ok(());
    }
    let mut tail = [0u8; 10];
    f.seek(SeekFrom::End(-10)).map_err(io)?;
    f.read_exact(&mut tail).map_err(io)?;
    let Ok(footer_len) = arrow_ipc::reader::read_footer_length(tail) else {
        return Ok(());
    };
    if footer_len as u64 + 10 > size {
        return Err(format!("a footer of {footer_len} bytes in {size}"));
    }
    let mut footer = vec![0; footer_len];
    f.seek(SeekFrom::End(-10 - footer_len as i64)).map_err(io)?;
    f.read_exact(&mut footer).map_err(io)?;
    f.rewind().map_err(io)?;
    let Ok(footer) = arrow_ipc::root_as_footer(&footer) else {
        return Ok(());
    };
    let blocks = footer.recordBatches().into_iter().flatten();
    for b in blocks.chain(footer.dictionaries().into_iter().flatten()) {
        let (at, meta, body) = (b.offset(), b.metaDataLength(), b.bodyLength());
        if at < 0 || meta < 0 || body < 0 || at as i128 + meta as i128 + body as i128 > size as i128
        {
            return Err(format!(
                "a block of {meta} + {body} bytes at offset {at} in {size}"
            ));
        }
    }
    Ok(())
}

fn named<I>(reader: I, name: &str) -> Batches
where
    I: Iterator<Item = std::result::Result<RecordBatch, arrow_schema::ArrowError>> + Send + 'static,
{
    let what = format!("{name}: cannot read Arrow IPC");
    let batches = {
        let what = what.clone();
        reader.map(move |b| b.map_err(|e| format!("{what}: {e}")))
    };
    catch_panics(Box::new(batches), what)
}

/// A [`BatchWriter`] of an Arrow IPC stream; every batch is flushed through to the output.
pub struct IpcWriter<W: Write + Send> {
    writer: StreamWriter<W>,
    name: String,
    commit: Commit<W>,
}

impl<W: Write + Send> IpcWriter<W> {
    /// Starts a stream with `schema` on `out` (`name` for messages).
    pub fn new(out: W, name: &str, schema: SchemaRef, commit: Commit<W>) -> Result<Self> {
        let mut me = IpcWriter {
            writer: StreamWriter::try_new(out, &schema).map_err(|e| write_err(name, e))?,
            name: name.to_string(),
            commit,
        };
        // The schema goes out at once: a reader can open the stream before the first batch.
        me.writer.flush().map_err(|e| write_err(name, e))?;
        Ok(me)
    }
}

fn write_err(name: &str, e: arrow_schema::ArrowError) -> SentirError {
    SentirError::write(name, "Arrow IPC", &e)
}

impl<W: Write + Send> BatchWriter for IpcWriter<W> {
    fn write(&mut self, batch: &RecordBatch) -> Result<()> {
        self.writer
            .write(batch)
            .and_then(|_| self.writer.flush())
            .map_err(|e| write_err(&self.name, e))
    }

    fn finish(self: Box<Self>) -> Result<()> {
        let mut me = *self;
        me.writer.finish().map_err(|e| write_err(&me.name, e))?;
        let inner = me.writer.into_inner().map_err(|e| write_err(&me.name, e))?;
        (me.commit)(inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::RowSource;
    use std::io::BufReader;

    /// A stream found by the fuzzer (fuzz/corpus/arrow_reader): a buffer that claims to go far
    /// past the message's end made arrow-buffer panic while decoding the first batch.
    #[test]
    fn a_malformed_stream_is_a_read_error() {
        let bytes: &'static [u8] = include_bytes!(
            "../../fuzz/corpus/arrow_reader/crash-d27dac8452a6322aa7f316789be54e7f59456334"
        );
        let input = Input {
            reader: BufReader::new(Box::new(bytes)),
            name: "-".into(),
            size: None,
        };
        let mut source = open(input, None).unwrap();
        let e = loop {
            match source.next_row() {
                Ok(Some(_)) => {}
                Ok(None) => panic!("a malformed stream read to its end"),
                Err(e) => break e,
            }
        };
        assert_eq!(e.exit_code(), 1);
        let e = e.to_string();
        assert!(
            e.starts_with("-: cannot read Arrow IPC: malformed input ("),
            "{e}"
        );
    }

    /// A file found by the fuzzer (fuzz/corpus/arrow_reader): 3.8 KB whose footer lists a
    /// block of gigabytes, which arrow-ipc allocated before reading (8.5 GB resident).
    #[test]
    fn a_file_whose_blocks_run_past_its_end_is_refused() {
        let bytes = include_bytes!(
            "../../fuzz/corpus/arrow_reader/oom-05faa7974cd2018e14fb52900c7df6df53953765"
        );
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("in.arrow");
        std::fs::write(&path, bytes).unwrap();
        let e = open(Input::open(path.to_str().unwrap()).unwrap(), None)
            .err()
            .expect("refused");
        assert_eq!(e.exit_code(), 1);
        let e = e.to_string();
        assert!(
            e.contains("cannot read Arrow IPC: malformed file (a block of"),
            "{e}"
        );
    }
}
