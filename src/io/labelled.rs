//! Labelled data for `train` and `eval`: CSV/JSONL with a text and a label column, and the
//! UMSAB text/label file pairs.

use super::{Payload, Row};
use crate::classify::open_source;
use crate::error::{Result, SentirError};
use crate::sentiment::Sentiment;
use std::path::Path;

/// One labelled message.
#[derive(Clone, Debug, PartialEq)]
pub struct Example {
    /// The message.
    pub text: String,
    /// Its gold label.
    pub label: Sentiment,
    /// Optional group (language, product…) for per-group scores.
    pub group: Option<String>,
}

/// Column names for labelled data.
#[derive(Clone, Debug)]
pub struct LabelledColumns {
    /// Text column (auto-detected when `None`).
    pub text: Option<String>,
    /// Label column: names (negative/neutral/positive) or 0/1/2.
    pub label: String,
    /// Optional group column.
    pub group: Option<String>,
}

impl Default for LabelledColumns {
    fn default() -> Self {
        LabelledColumns {
            text: None,
            label: "label".into(),
            group: None,
        }
    }
}

/// Reads every example of a CSV or JSONL file. Any bad row is an error naming its line:
/// training on silently skipped rows would hide data problems.
pub fn read_examples(path: &Path, cols: &LabelledColumns) -> Result<Vec<Example>> {
    let spec = path
        .to_str()
        .ok_or_else(|| SentirError::Usage(format!("{}: path is not UTF-8", path.display())))?;
    let (mut source, _, _) = open_source(spec, None, cols.text.as_deref(), b',')?;
    let header: Option<Vec<String>> = source.columns().map(|c| {
        c.iter()
            .map(|h| String::from_utf8_lossy(h).into_owned())
            .collect()
    });
    let col_index = |name: &str| -> Result<Option<usize>> {
        Ok(match &header {
            Some(h) => Some(super::find_text_column(h, Some(name)).map_err(|_| {
                SentirError::Usage(format!(
                    "{}: no column {name:?}; the columns are: {}",
                    path.display(),
                    h.join(", ")
                ))
            })?),
            None => None,
        })
    };
    let label_idx = col_index(&cols.label)?;
    let group_idx = match &cols.group {
        Some(g) => col_index(g)?,
        None => None,
    };
    let mut out = Vec::new();
    while let Some(row) = source.next_row()? {
        let bad = |msg: String| SentirError::Input(format!("{}: {msg}", path.display()));
        let text = row.text.clone().map_err(bad)?;
        let label_raw = field(&row, label_idx, &cols.label)
            .ok_or_else(|| bad(format!("line {}: no {:?} value", row.line, cols.label)))?;
        let label = Sentiment::parse(&label_raw).ok_or_else(|| {
            bad(format!(
                "line {}: label {label_raw:?} is not negative/neutral/positive or 0/1/2",
                row.line
            ))
        })?;
        let group = match &cols.group {
            Some(g) => Some(
                field(&row, group_idx, g)
                    .ok_or_else(|| bad(format!("line {}: no {g:?} value", row.line)))?,
            ),
            None => None,
        };
        out.push(Example { text, label, group });
    }
    Ok(out)
}

fn field(row: &Row, idx: Option<usize>, key: &str) -> Option<String> {
    match &row.payload {
        Payload::Fields(rec) => rec
            .get(idx?)
            .map(|b| String::from_utf8_lossy(b).into_owned()),
        Payload::Object(o) => match o.get(key)? {
            serde_json::Value::String(s) => Some(s.clone()),
            serde_json::Value::Null => None,
            v => Some(v.to_string()),
        },
        Payload::Raw(_) => None,
        Payload::Arrow { batch, row } => {
            let i = batch.schema().index_of(key).ok()?;
            crate::io::parquet::value_string(batch, i, *row)
                .ok()
                .flatten()
        }
    }
}

/// The UMSAB languages, in the benchmark's order.
pub const UMSAB_LANGUAGES: [&str; 8] = [
    "arabic",
    "english",
    "french",
    "german",
    "hindi",
    "italian",
    "portuguese",
    "spanish",
];

/// Reads `DIR/<language>/<split>_{text,labels}.txt` (labels 0/1/2; the files have no
/// trailing newline). The group is the language name.
pub fn read_umsab(dir: &Path, language: &str, split: &str) -> Result<Vec<Example>> {
    let base = dir.join(language);
    let read = |name: String| -> Result<String> {
        let p = base.join(&name);
        std::fs::read_to_string(&p).map_err(|e| SentirError::io(p, e))
    };
    let texts = read(format!("{split}_text.txt"))?;
    let labels = read(format!("{split}_labels.txt"))?;
    let texts: Vec<&str> = texts.lines().collect();
    let labels: Vec<&str> = labels.lines().collect();
    if texts.len() != labels.len() {
        return Err(SentirError::Input(format!(
            "{}: {} texts but {} labels for split {split}",
            base.display(),
            texts.len(),
            labels.len()
        )));
    }
    texts
        .iter()
        .zip(&labels)
        .enumerate()
        .map(|(i, (t, l))| {
            let label = Sentiment::parse(l).ok_or_else(|| {
                SentirError::Input(format!(
                    "{}: line {}: label {l:?} is not 0/1/2",
                    base.join(format!("{split}_labels.txt")).display(),
                    i + 1
                ))
            })?;
            Ok(Example {
                text: t.to_string(),
                label,
                group: Some(language.to_string()),
            })
        })
        .collect()
}

/// Writes examples as CSV `text,label,language` (label names), atomically.
pub fn write_examples_csv(path: &Path, examples: &[Example]) -> Result<()> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let csv_err = |e: ::csv::Error| SentirError::Other(format!("cannot write CSV: {e}"));
    w.write_record(["text", "label", "language"])
        .map_err(csv_err)?;
    for e in examples {
        w.write_record([
            e.text.as_str(),
            e.label.as_str(),
            e.group.as_deref().unwrap_or(""),
        ])
        .map_err(csv_err)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| SentirError::Other(e.to_string()))?;
    super::atomic::write_file(path, &bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn umsab_pairs_without_trailing_newline() {
        let dir = tempfile::tempdir().unwrap();
        let es = dir.path().join("spanish");
        std::fs::create_dir(&es).unwrap();
        std::fs::write(es.join("val_text.txt"), "hola, qué tal\nfatal todo\nok").unwrap();
        std::fs::write(es.join("val_labels.txt"), "2\n0\n1").unwrap();
        let ex = read_umsab(dir.path(), "spanish", "val").unwrap();
        assert_eq!(ex.len(), 3);
        assert_eq!(ex[1].label, Sentiment::Negative);
        assert_eq!(ex[2].group.as_deref(), Some("spanish"));
        std::fs::write(es.join("val_labels.txt"), "2\n7\n1").unwrap();
        let e = read_umsab(dir.path(), "spanish", "val")
            .unwrap_err()
            .to_string();
        assert!(e.contains("line 2") && e.contains("\"7\""), "{e}");
    }

    #[test]
    fn csv_round_trip_and_bad_label_line() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("l.csv");
        let ex = vec![
            Example {
                text: "Todo perfecto, gracias".into(),
                label: Sentiment::Positive,
                group: Some("es".into()),
            },
            Example {
                text: "¿Tienen talla 42?".into(),
                label: Sentiment::Neutral,
                group: Some("es".into()),
            },
        ];
        write_examples_csv(&p, &ex).unwrap();
        let cols = LabelledColumns {
            group: Some("language".into()),
            ..Default::default()
        };
        assert_eq!(read_examples(&p, &cols).unwrap(), ex);
        std::fs::write(&p, "text,label\nhola,positive\nadios,happy\n").unwrap();
        let e = read_examples(&p, &LabelledColumns::default())
            .unwrap_err()
            .to_string();
        assert!(e.contains("line 3") && e.contains("happy"), "{e}");
    }
}
