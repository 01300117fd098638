//! `sentir classify` on columnar input: Arrow IPC streams through pipes, batch by batch,
//! and directories of Parquet parts.

mod common;

use arrow_array::Array;
use common::{model, run, sentir, stderr};
use std::process::Stdio;

fn text_batch(ids: &[i64], texts: &[Option<&str>]) -> arrow_array::RecordBatch {
    use arrow_schema::{DataType, Field, Schema};
    let schema = std::sync::Arc::new(Schema::new(vec![
        Field::new("id", DataType::Int64, false),
        Field::new("text", DataType::Utf8, true),
    ]));
    arrow_array::RecordBatch::try_new(
        schema,
        vec![
            std::sync::Arc::new(arrow_array::Int64Array::from(ids.to_vec())),
            std::sync::Arc::new(arrow_array::StringArray::from(texts.to_vec())),
        ],
    )
    .unwrap()
}

/// Arrow IPC through pipes: a producer that sends the next batch only once it has read the
/// previous one's output gets every batch back (no deadlock), one output batch per input
/// batch, input columns unchanged, label columns typed, row errors in `error`.
#[test]
// Longer than 80 lines: one producer/consumer exchange over pipes, checked batch by batch.
fn arrow_stream_flows_batch_by_batch_through_pipes() {
    use arrow_array::cast::AsArray;
    use arrow_ipc::reader::StreamReader;
    use arrow_ipc::writer::StreamWriter;
    let mut child = sentir()
        .args([
            "classify",
            "-",
            "-o",
            "-",
            "--format",
            "arrow",
            "--output-format",
            "arrow",
        ])
        .args(["--model", &model(), "--quiet"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdin = child.stdin.take().unwrap();
    let stdout = child.stdout.take().unwrap();
    let first = text_batch(
        &[1, 2, 3],
        &[Some("Todo perfecto"), None, Some("Llegó roto")],
    );
    let mut w = StreamWriter::try_new(stdin, &first.schema()).unwrap();
    w.write(&first).unwrap();
    w.flush().unwrap();
    // The reader runs beside: if sentir waited for more input before answering, recv times out.
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for b in StreamReader::try_new(stdout, None).unwrap() {
            tx.send(b.unwrap()).unwrap();
        }
    });
    let wait = std::time::Duration::from_secs(60);
    let out1 = rx
        .recv_timeout(wait)
        .expect("first batch back before the second is sent");
    assert_eq!(out1.num_rows(), 3);
    let names: Vec<String> = out1
        .schema()
        .fields()
        .iter()
        .map(|f| f.name().clone())
        .collect();
    assert_eq!(names[..2], ["id", "text"]);
    assert_eq!(names.len(), 12);
    assert_eq!(
        out1.schema().field(3).data_type(),
        &arrow_schema::DataType::Float32
    );
    assert_eq!(
        out1.schema().field(7).data_type(),
        &arrow_schema::DataType::Boolean
    );
    let ids = out1
        .column(0)
        .as_primitive::<arrow_array::types::Int64Type>();
    assert_eq!(ids.values(), &[1, 2, 3]);
    let errors = out1.column(11).as_string::<i32>();
    assert!(errors.is_null(0) && errors.is_valid(1) && errors.is_null(2));
    assert!(errors.value(1).contains("is null"), "{}", errors.value(1));

    w.write(&text_batch(&[4, 5], &[Some("ok"), Some("gracias")]))
        .unwrap();
    w.write(&text_batch(&[6], &[Some("no funciona")])).unwrap();
    w.finish().unwrap();
    drop(w);
    let out2 = rx.recv_timeout(wait).unwrap();
    let out3 = rx.recv_timeout(wait).unwrap();
    assert_eq!((out2.num_rows(), out3.num_rows()), (2, 1));
    assert!(
        rx.recv_timeout(wait).is_err(),
        "the stream ends after the last batch"
    );
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(3)); // row 2 carries an error
}

/// Parquet parts as Spark writes them (`part-*.parquet`, `_SUCCESS`, `.crc` files) are read
/// as one input in name order; other files are refused by name.
#[test]
fn directory_of_parquet_parts_is_one_input() {
    let dir = tempfile::tempdir().unwrap();
    let parts = dir.path().join("parts");
    std::fs::create_dir(&parts).unwrap();
    let write = |name: &str, b: arrow_array::RecordBatch| {
        let f = std::fs::File::create(parts.join(name)).unwrap();
        let mut w = parquet::arrow::ArrowWriter::try_new(f, b.schema(), None).unwrap();
        w.write(&b).unwrap();
        w.close().unwrap();
    };
    write(
        "part-00001-x.snappy.parquet",
        text_batch(&[3], &[Some("tercero")]),
    );
    write(
        "part-00000-x.snappy.parquet",
        text_batch(&[1, 2], &[Some("uno"), None]),
    );
    std::fs::write(parts.join("_SUCCESS"), b"").unwrap();
    std::fs::write(parts.join(".part-00000-x.snappy.parquet.crc"), b"junk").unwrap();
    let out = dir.path().join("out.parquet");
    let o = run(&[
        "classify",
        parts.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--model",
        &model(),
        "-q",
    ]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let reader = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(
        std::fs::File::open(&out).unwrap(),
    )
    .unwrap()
    .build()
    .unwrap();
    let mut ids = Vec::new();
    let mut errors = Vec::new();
    for b in reader {
        use arrow_array::cast::AsArray;
        let b = b.unwrap();
        ids.extend(
            b.column(0)
                .as_primitive::<arrow_array::types::Int64Type>()
                .values()
                .iter()
                .copied(),
        );
        let e = b.column(b.num_columns() - 1).as_string::<i32>();
        errors.extend((0..b.num_rows()).map(|i| e.is_valid(i).then(|| e.value(i).to_string())));
    }
    assert_eq!(ids, [1, 2, 3]);
    assert_eq!(errors[1].as_deref(), Some("row 2: column \"text\" is null"));
    std::fs::write(parts.join("notes.txt"), b"").unwrap();
    let o = run(&[
        "classify",
        parts.to_str().unwrap(),
        "--model",
        &model(),
        "-q",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("notes.txt"), "{}", stderr(&o));
}
