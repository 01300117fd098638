//! Arrow IPC input (the streaming format on stdin or in a file, or the file format) and output
//! (the streaming format). Batches flow through as they come: each input batch is labelled
//! and written, and stdout flushed, before sentir waits for the next one, so a producer can
//! feed sentir through a pipe and read its output back without deadlock.

use super::batch_sink::BatchWriter;
use super::batches::{catch_panics, BatchSource, Batches};
use super::Input;
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
        let f = std::fs::File::open(&name).map_err(|e| SentirError::io(&name, e))?;
        let size = f.metadata().map(|m| m.len()).unwrap_or(0);
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
    commit: Box<dyn FnOnce(W) -> Result<()> + Send>,
}

impl<W: Write + Send> IpcWriter<W> {
    /// Starts a stream with `schema` on `out` (`name` for messages).
    pub fn new(
        out: W,
        name: &str,
        schema: SchemaRef,
        commit: Box<dyn FnOnce(W) -> Result<()> + Send>,
    ) -> Result<Self> {
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
}
