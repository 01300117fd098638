//! Labelled examples for `train` and `eval`: CSV/JSONL with a text and a label column, and the
//! UMSAB text/label file pairs.

use super::cell::{cell, column_names, find_column, Column};
use super::Row;
use crate::error::{Result, SentirError};
use crate::io::{open_source, InputSpec};
use crate::model::heads::{reason_index, REASONS};
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
    /// Gold reason, an index into [`REASONS`] (files with a `reason` column).
    pub reason: Option<usize>,
    /// Gold mixed flag (files with a `mixed` column).
    pub mixed: Option<bool>,
}

impl Example {
    /// An example with a label only.
    pub fn new(text: impl Into<String>, label: Sentiment, group: Option<String>) -> Example {
        Example {
            text: text.into(),
            label,
            group,
            reason: None,
            mixed: None,
        }
    }
}

/// Column names for labelled data.
#[derive(Clone, Debug, Default)]
pub struct ExampleColumns {
    /// Text column (auto-detected when `None`).
    pub text: Option<String>,
    /// Label column: names (negative/neutral/positive) or 0/1/2; when `None`, `label`,
    /// else `sentiment`.
    pub label: Option<String>,
    /// Optional group column.
    pub group: Option<String>,
}

/// Label column names tried in order when none is given.
const LABEL_CANDIDATES: [&str; 2] = ["label", "sentiment"];

/// Reads every example of a CSV or JSONL file. Any bad row is an error naming its line:
/// training on silently skipped rows would hide data problems. A `reason` column (the fixed
/// list of [`REASONS`]) and a `mixed` column (`true`/`false`) are read when present; an
/// empty value there means unknown.
pub fn read_examples(path: &Path, cols: &ExampleColumns) -> Result<Vec<Example>> {
    let spec = path
        .to_str()
        .ok_or_else(|| SentirError::Usage(format!("{}: path is not UTF-8", path.display())))?;
    let (mut source, _, _) = open_source(spec, &InputSpec::with_text_column(cols.text.as_deref()))?;
    let names = column_names(source.as_ref());
    let columns = ExampleFields::resolve(names.as_deref(), cols).map_err(|missing| {
        SentirError::Usage(format!(
            "{}: no column {missing:?}; the columns are: {}",
            path.display(),
            names.as_deref().unwrap_or_default().join(", ")
        ))
    })?;
    let mut out = Vec::new();
    while let Some(row) = source.next_row()? {
        let example = columns
            .example(&row)
            .map_err(|msg| SentirError::Input(format!("{}: {msg}", path.display())))?;
        out.push(example);
    }
    Ok(out)
}

/// Where each value of an example is: by position with a header or schema, by key in JSONL
/// objects (whose label key is then chosen per row, in the order of [`LABEL_CANDIDATES`]).
struct ExampleFields {
    label: Vec<(String, Column)>,
    group: Option<(String, Column)>,
    reason: Option<Column>,
    mixed: Option<Column>,
}

impl ExampleFields {
    /// Resolves the columns against `names` (`None` for JSONL); the error is the name of a
    /// column that is not there.
    fn resolve(
        names: Option<&[String]>,
        cols: &ExampleColumns,
    ) -> std::result::Result<Self, String> {
        let at = |name: &str| -> Option<Column> {
            match names {
                Some(n) => find_column(n, name).map(Column::Index),
                None => Some(Column::Key(name.to_string())),
            }
        };
        let required = |name: &str| {
            at(name)
                .map(|c| (name.to_string(), c))
                .ok_or(name.to_string())
        };
        let label = match &cols.label {
            Some(l) => vec![required(l)?],
            None if names.is_some() => {
                let found = LABEL_CANDIDATES.iter().find(|c| at(c).is_some());
                vec![required(found.unwrap_or(&"label"))?]
            }
            None => LABEL_CANDIDATES
                .iter()
                .map(|c| required(c))
                .collect::<std::result::Result<_, _>>()?,
        };
        let group = cols.group.as_deref().map(required).transpose()?;
        Ok(ExampleFields {
            label,
            group,
            reason: at("reason"),
            mixed: at("mixed"),
        })
    }

    /// The example in `row`, or what is wrong with it (naming its line).
    fn example(&self, row: &Row) -> std::result::Result<Example, String> {
        let at = row.at;
        let text = row.text.clone().map_err(|e| e.to_string())?;
        let get = |c: &Column| cell(row, c).ok().flatten();
        let (label_key, label_raw) = self
            .label
            .iter()
            .find_map(|(k, c)| get(c).map(|v| (k, v)))
            .ok_or_else(|| format!("{at}: no {:?} value", self.label[0].0))?;
        let label = Sentiment::parse(&label_raw).ok_or_else(|| {
            format!("{at}: {label_key} {label_raw:?} is not negative/neutral/positive or 0/1/2")
        })?;
        let group = match &self.group {
            Some((g, c)) => Some(get(c).ok_or_else(|| format!("{at}: no {g:?} value"))?),
            None => None,
        };
        let value = |c: &Option<Column>| {
            c.as_ref()
                .and_then(get)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let reason = match value(&self.reason) {
            Some(r) => Some(reason_index(&r).ok_or_else(|| {
                format!("{at}: reason {r:?} is not one of {}", REASONS.join(", "))
            })?),
            None => None,
        };
        let mixed = match value(&self.mixed).as_deref() {
            Some("true") => Some(true),
            Some("false") => Some(false),
            Some(m) => return Err(format!("{at}: mixed {m:?} is not true or false")),
            None => None,
        };
        Ok(Example {
            text,
            label,
            group,
            reason,
            mixed,
        })
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
            Ok(Example::new(*t, label, Some(language.to_string())))
        })
        .collect()
}

/// Writes examples as CSV `text,label,language` (label names), atomically.
pub fn write_examples_csv(path: &Path, examples: &[Example]) -> Result<()> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let csv_err = |e: ::csv::Error| super::csv::csv_write_err(path, e);
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

    /// The error of reading `text` as a CSV of examples with the default columns.
    /// Writes `text` to `p` and reads it with the default columns.
    fn written_examples(p: &Path, text: &str) -> Vec<Example> {
        std::fs::write(p, text).unwrap();
        read_examples(p, &ExampleColumns::default()).unwrap()
    }

    fn csv_error(p: &Path, text: &str) -> String {
        std::fs::write(p, text).unwrap();
        read_examples(p, &ExampleColumns::default())
            .unwrap_err()
            .to_string()
    }

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
            Example::new(
                "Todo perfecto, gracias",
                Sentiment::Positive,
                Some("es".into()),
            ),
            Example::new("¿Tienen talla 42?", Sentiment::Neutral, Some("es".into())),
        ];
        write_examples_csv(&p, &ex).unwrap();
        let cols = ExampleColumns {
            group: Some("language".into()),
            ..Default::default()
        };
        assert_eq!(read_examples(&p, &cols).unwrap(), ex);
        let e = csv_error(&p, "text,label\nhola,positive\nadios,happy\n");
        assert!(e.contains("line 3") && e.contains("happy"), "{e}");
    }

    #[test]
    fn sentiment_reason_and_mixed_columns() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("c.csv");
        let ex = written_examples(
            &p,
            "text,sentiment,mixed,reason\nllegó roto,negative,false,damaged\nok,neutral,,\n",
        );
        assert_eq!(ex[0].label, Sentiment::Negative);
        assert_eq!((ex[0].reason, ex[0].mixed), (Some(1), Some(false)));
        assert_eq!((ex[1].reason, ex[1].mixed), (None, None));
        let e = csv_error(&p, "text,sentiment,reason\na,negative,late\n");
        assert!(
            e.contains("line 2") && e.contains("\"late\"") && e.contains("delivery"),
            "{e}"
        );
        let e = csv_error(&p, "text,sentiment,mixed\na,negative,yes\n");
        assert!(e.contains("line 2") && e.contains("\"yes\""), "{e}");
        // JSONL: the label key may be `sentiment`.
        let j = dir.path().join("c.jsonl");
        let line = r#"{"text":"hola","sentiment":"positive","reason":"praise"}"#;
        let ex = written_examples(&j, &format!("{line}\n"));
        assert_eq!((ex[0].label, ex[0].reason), (Sentiment::Positive, Some(7)));
    }
}
