//! `sentir classify` on long messages and across batching: labels do not depend on batch
//! size, threads or batch-mates; long messages are truncated or read in chunks; a 1 MB
//! message is labelled.

mod common;

use common::{model, read_csv, run, run_stdin, stderr};
use std::path::Path;

#[test]
fn labels_do_not_depend_on_batching_or_threads() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("in.csv");
    let mut w = csv::Writer::from_path(&src).unwrap();
    w.write_record(["n", "text"]).unwrap();
    let words = [
        "pedido",
        "roto",
        "gracias",
        "talla",
        "devolución",
        "factura",
        "rápido",
        "nunca",
    ];
    for i in 0..150 {
        let text: Vec<&str> = (0..(1 + i * 7 % 40))
            .map(|k| words[(i + k) % words.len()])
            .collect();
        w.write_record([i.to_string(), text.join(" ")]).unwrap();
    }
    w.flush().unwrap();
    let a = dir.path().join("a.csv");
    let b = dir.path().join("b.csv");
    let m = model();
    let o = run(&[
        "classify",
        src.to_str().unwrap(),
        "-o",
        a.to_str().unwrap(),
        "--model",
        &m,
        "--batch-size",
        "1",
        "--threads",
        "1",
        "-q",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = run(&[
        "classify",
        src.to_str().unwrap(),
        "-o",
        b.to_str().unwrap(),
        "--model",
        &m,
        "--batch-size",
        "64",
        "--threads",
        "2",
        "-q",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let (cols, ra) = read_csv(&a);
    let (_, rb) = read_csv(&b);
    assert_eq!(ra.len(), 150);
    for (x, y) in ra.iter().zip(&rb) {
        assert_eq!(x[0], y[0], "row order");
        assert_eq!(x[2], y[2], "label of row {}", x[0]);
        for c in 3..6 {
            let (p, q): (f64, f64) = (x[c].parse().unwrap(), y[c].parse().unwrap());
            assert!((p - q).abs() < 1e-5, "{} {}: {p} vs {q}", x[0], cols[c]);
        }
    }
}

#[test]
fn long_messages_are_truncated_not_failed() {
    let long = "el paquete llegó tarde y roto ".repeat(200);
    let o = run_stdin(
        &[
            "classify",
            "--format",
            "text",
            "--model",
            &model(),
            "--max-length",
            "16",
            "-q",
        ],
        long.as_bytes(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

/// A long message is read in overlapping chunks (with `--max-length 16` every long text here
/// has many): its scores are the same alone, in a batch of one, or in a full batch with
/// other messages and two threads; `--long truncate` reads only its first tokens.
#[test]
fn chunked_rows_do_not_depend_on_batch_mates() {
    let dir = tempfile::tempdir().unwrap();
    let long = "El pedido llegó tarde. La caja venía rota, pero el producto funciona bien. \
                Nadie contesta mis mensajes. ¡Gracias por nada!\nLo volvería a comprar igual. "
        .repeat(6);
    let write = |name: &str, texts: &[String]| {
        let p = dir.path().join(name);
        let mut w = csv::Writer::from_path(&p).unwrap();
        w.write_record(["n", "text"]).unwrap();
        for (i, t) in texts.iter().enumerate() {
            w.write_record([i.to_string(), t.clone()]).unwrap();
        }
        w.flush().unwrap();
        p
    };
    let mut many: Vec<String> = (0..40)
        .map(|i| format!("mensaje corto {i} gracias"))
        .collect();
    many.insert(17, long.clone());
    many.push(long.repeat(3));
    let alone = write("alone.csv", std::slice::from_ref(&long));
    let mixed = write("mixed.csv", &many);
    let m = model();
    let classify = |input: &Path, out: &str, extra: &[&str]| {
        let out = dir.path().join(out);
        let mut args = vec![
            "classify",
            input.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--model",
            &m,
            "--max-length",
            "16",
            "-q",
        ];
        args.extend_from_slice(extra);
        let o = run(&args);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        read_csv(&out)
    };
    let (cols, a) = classify(&alone, "a.csv", &["--batch-size", "1", "--threads", "1"]);
    let (_, b) = classify(&mixed, "b.csv", &["--batch-size", "64", "--threads", "2"]);
    let (_, c) = classify(&mixed, "c.csv", &["--long", "truncate"]);
    let p = |row: &[String]| -> Vec<f64> {
        ["p_negative", "p_neutral", "p_positive"]
            .iter()
            .map(|n| {
                row[cols.iter().position(|c| c == n).unwrap()]
                    .parse()
                    .unwrap()
            })
            .collect()
    };
    let (pa, pb, pc) = (p(&a[0]), p(&b[17]), p(&c[17]));
    for k in 0..3 {
        assert!(
            (pa[k] - pb[k]).abs() < 1e-5,
            "alone {pa:?} vs in a batch {pb:?}"
        );
    }
    assert!(
        (0..3).any(|k| (pa[k] - pc[k]).abs() > 1e-4),
        "chunked {pa:?} equals truncated {pc:?}"
    );
    // Short rows are read whole either way.
    let (sb, sc) = (p(&b[3]), p(&c[3]));
    assert!(
        (0..3).all(|k| (sb[k] - sc[k]).abs() < 1e-5),
        "{sb:?} vs {sc:?}"
    );
    assert_eq!(b.len(), 42);
}

/// A 1 MB message is labelled (in chunks), not failed or truncated away.
#[test]
fn one_megabyte_message_is_labelled() {
    let text =
        "La entrega fue rápida y el vendedor amable, pero la talla no coincide. ".repeat(15_000);
    assert!(text.len() > 1_000_000);
    let o = run_stdin(
        &["classify", "--format", "text", "--model", &model(), "-q"],
        text.as_bytes(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = String::from_utf8(o.stdout).unwrap();
    let row = out.lines().nth(1).unwrap();
    assert!(
        row.contains(",negative,") || row.contains(",neutral,") || row.contains(",positive,"),
        "{}",
        &row[row.len() - 200..]
    );
}
