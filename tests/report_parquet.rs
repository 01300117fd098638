//! Parquet through `classify` and `report`: a round trip keeps the schema and the rows, and
//! typed columns keep their types.

mod common;

use common::report::*;
use common::{root, run, stderr, LABEL_COLUMNS};

#[test]
fn parquet_round_trip_and_report() {
    use arrow_schema::DataType;
    let dir = tempfile::tempdir().unwrap();
    // The fixture's input columns only (what an export looks like before classify).
    let mut r = csv::Reader::from_path(root().join(FIXTURE)).unwrap();
    let mut w = csv::Writer::from_path(dir.path().join("inbox.csv")).unwrap();
    w.write_record(r.headers().unwrap().iter().take(6)).unwrap();
    for rec in r.records() {
        w.write_record(rec.unwrap().iter().take(6)).unwrap();
    }
    w.flush().unwrap();
    drop(w);

    // CSV → Parquet: the input columns (as text) plus the label columns.
    let pq = dir.path().join("inbox.labelled.parquet");
    classify(&dir.path().join("inbox.csv"), &pq);
    let (fields, rows) = parquet_schema_and_rows(&pq);
    let names: Vec<&str> = fields.iter().map(|(n, _)| n.as_str()).collect();
    let mut expected = vec![
        "message_id",
        "thread_id",
        "sent_at",
        "sender",
        "product",
        "text",
    ];
    expected.extend(LABEL_COLUMNS);
    assert_eq!(names, expected);
    assert_eq!(rows, 22);
    for (n, t) in &fields {
        let want = match n.as_str() {
            "score" | "p_negative" | "p_neutral" | "p_positive" | "reason_score" => {
                DataType::Float32
            }
            "mixed" => DataType::Boolean,
            _ => DataType::Utf8,
        };
        assert_eq!(t, &want, "{n}");
    }

    // Parquet → Parquet: the label columns are replaced in place, the schema is unchanged.
    let again = dir.path().join("again.parquet");
    classify(&pq, &again);
    assert_eq!(parquet_schema_and_rows(&again), (fields.clone(), 22));

    // report reads Parquet: the label-independent figures equal the hand-checked ones.
    let j = report(&pq, &dir.path().join("report"), &ALL_COLUMNS);
    assert_eq!(j["line_unit"], "row");
    assert_eq!(u(&j["rows"]["total"]), 22);
    assert_eq!(u(&j["rows"]["buyer"]), 13);
    assert_eq!(u(&j["contacts"]["buyer_messages"]), 13);
    assert_eq!(u(&j["contacts"]["threads"]), 6);
    assert_eq!(j["response_time"]["overall"]["median_seconds"], 3600);
    assert_eq!(j["response_time"]["overall"]["p90_seconds"], 43200);
    assert_eq!(u(&j["errors"]["count"]), 1);
    let o = &j["sentiment"]["overall"];
    assert_eq!(u(&o["messages"]), 12);
    assert_eq!(u(&o["negative"]) + u(&o["neutral"]) + u(&o["positive"]), 12);
}

#[test]
// Longer than 80 lines: one typed export through classify and report, a flat list of checks.
fn typed_parquet_keeps_its_types() {
    use arrow_array::{ArrayRef, Int64Array, RecordBatch, StringArray, TimestampMillisecondArray};
    use arrow_schema::{DataType, Field, Schema, TimeUnit};
    use std::sync::Arc;
    let dir = tempfile::tempdir().unwrap();
    let ts = |s: &str| {
        chrono::DateTime::parse_from_rfc3339(s)
            .unwrap()
            .timestamp_millis()
    };
    let schema = Arc::new(Schema::new(vec![
        Field::new("id", DataType::Int64, false),
        Field::new(
            "sent_at",
            DataType::Timestamp(TimeUnit::Millisecond, Some("UTC".into())),
            false,
        ),
        Field::new("sender", DataType::Utf8, false),
        Field::new("thread", DataType::Utf8, false),
        Field::new("message", DataType::Utf8, true),
    ]));
    let cols: Vec<ArrayRef> = vec![
        Arc::new(Int64Array::from(vec![1, 2, 3, 4])),
        Arc::new(
            TimestampMillisecondArray::from(vec![
                ts("2026-10-05T09:00:00Z"),
                ts("2026-10-05T09:30:00Z"),
                ts("2026-10-06T10:00:00Z"),
                ts("2026-10-06T12:00:00Z"),
            ])
            .with_timezone("UTC"),
        ),
        Arc::new(StringArray::from(vec!["buyer", "seller", "buyer", "buyer"])),
        Arc::new(StringArray::from(vec!["A", "A", "B", "B"])),
        Arc::new(StringArray::from(vec![
            Some("¿Cuándo llega mi pedido?"),
            Some("Mañana."),
            None,
            Some("gracias"),
        ])),
    ];
    let input = dir.path().join("typed.parquet");
    let mut w = parquet::arrow::ArrowWriter::try_new(
        std::fs::File::create(&input).unwrap(),
        schema.clone(),
        None,
    )
    .unwrap();
    w.write(&RecordBatch::try_new(schema, cols).unwrap())
        .unwrap();
    w.close().unwrap();

    let out = dir.path().join("typed.labelled.parquet");
    let o = run(&[
        "classify",
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--model",
        MODEL,
        "--quiet",
    ]);
    assert_eq!(
        o.status.code(),
        Some(3),
        "row 3 has a null message: {}",
        stderr(&o)
    );
    let (fields, rows) = parquet_schema_and_rows(&out);
    assert_eq!(rows, 4);
    assert_eq!(fields[0], ("id".to_string(), DataType::Int64));
    assert_eq!(
        fields[1].1,
        DataType::Timestamp(TimeUnit::Millisecond, Some("UTC".into()))
    );
    assert_eq!(fields.len(), 5 + LABEL_COLUMNS.len());

    let j = report(
        &out,
        &dir.path().join("r"),
        &["--thread-column", "thread", "--sender-column", "sender"],
    );
    assert_eq!(j["columns"]["date"], "sent_at");
    assert_eq!(j["columns"]["text"], "message");
    assert_eq!(u(&j["errors"]["count"]), 1);
    assert_eq!(u(&j["errors"]["rows"][0]["line"]), 3);
    assert_eq!(
        j["errors"]["rows"][0]["error"],
        "row 3: column \"message\" is null"
    );
    // Buyer 09:00 → seller 09:30 = 1800 s; rows 3 and 4 have no seller reply.
    assert_eq!(j["response_time"]["overall"]["median_seconds"], 1800);
    assert_eq!(u(&j["response_time"]["overall"]["unanswered"]), 2);

    // Parquet cannot be written as CSV: a usage error before any model is loaded.
    let o = run(&[
        "classify",
        input.to_str().unwrap(),
        "-o",
        dir.path().join("x.csv").to_str().unwrap(),
        "--model",
        MODEL,
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("Parquet input can only be written as Parquet"),
        "{}",
        stderr(&o)
    );
}
