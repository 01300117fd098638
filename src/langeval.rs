//! `sentir eval-language`: the language detector scored on texts with a known language, per
//! language: accuracy, share of `und`, the most frequent wrong answers.

use crate::error::{Result, SentirError};
use crate::io::{open_source, InputSpec};
use crate::langid::{Detector, LanguageSource, UNDETERMINED};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Scores of one language (or of all texts).
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct LanguageScore {
    /// The known language (normalised: `spanish` → `es`), or `all`.
    pub language: String,
    /// Texts.
    pub n: u64,
    /// Texts given the right code.
    pub correct: u64,
    /// Texts given `und`.
    pub und: u64,
    /// correct / n (`und` counts as wrong).
    pub accuracy: f64,
    /// und / n.
    pub und_share: f64,
    /// Wrong codes given (not `und`), most frequent first.
    pub confusions: Vec<(String, u64)>,
    /// The first texts given a wrong code or `und` (as many as asked for), each after the
    /// most probable language and its confidence, with the answer.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub wrong: Vec<(String, String)>,
}

/// What `eval-language` measured.
#[derive(Clone, Debug, Serialize)]
pub struct LanguageEval {
    /// Files read.
    pub inputs: Vec<String>,
    /// The languages the detector could answer.
    pub languages: Vec<String>,
    /// The confidence below which it answers `und`.
    pub min_confidence: f64,
    /// Per known language, in the order of the detector's languages, then the others.
    pub per_language: Vec<LanguageScore>,
    /// Every text.
    pub all: LanguageScore,
    /// Share of Spanish texts called Portuguese.
    pub es_as_pt: Option<f64>,
    /// Share of Portuguese texts called Spanish.
    pub pt_as_es: Option<f64>,
}

/// Texts, right answers, `und`, and the count of each wrong answer.
type Tally<'a> = (u64, u64, u64, BTreeMap<&'a str, u64>);

/// Counts (known, answered) pairs into per-language scores.
pub fn score(
    pairs: &[(String, &'static str)],
    detector_languages: &[&str],
    min_confidence: f64,
    inputs: Vec<String>,
) -> LanguageEval {
    score_with_examples(pairs, None, 0, detector_languages, min_confidence, inputs)
}

/// [`score`], keeping the first `show_wrong` wrong answers of each language with their
/// text (`texts` beside `pairs`).
pub fn score_with_examples(
    pairs: &[(String, &'static str)],
    texts: Option<&[String]>,
    show_wrong: usize,
    detector_languages: &[&str],
    min_confidence: f64,
    inputs: Vec<String>,
) -> LanguageEval {
    let mut wrong: BTreeMap<&str, Vec<(String, String)>> = BTreeMap::new();
    if let Some(texts) = texts {
        for ((known, got), text) in pairs.iter().zip(texts) {
            let w = wrong.entry(known.as_str()).or_default();
            if *got != known.as_str() && w.len() < show_wrong {
                w.push((text.clone(), got.to_string()));
            }
        }
    }
    let mut by: BTreeMap<&str, Tally> = BTreeMap::new();
    for (known, got) in pairs {
        let e = by.entry(known.as_str()).or_default();
        e.0 += 1;
        if *got == known.as_str() {
            e.1 += 1;
        } else if *got == UNDETERMINED {
            e.2 += 1;
        } else {
            *e.3.entry(got).or_default() += 1;
        }
    }
    let make = |language: &str, n: u64, correct: u64, und: u64, conf: &BTreeMap<&str, u64>| {
        let mut confusions: Vec<(String, u64)> =
            conf.iter().map(|(k, v)| (k.to_string(), *v)).collect();
        confusions.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let share = |x: u64| if n == 0 { 0.0 } else { x as f64 / n as f64 };
        LanguageScore {
            language: language.to_string(),
            n,
            correct,
            und,
            accuracy: share(correct),
            und_share: share(und),
            confusions,
            wrong: wrong.get(language).cloned().unwrap_or_default(),
        }
    };
    let mut order: Vec<&str> = detector_languages
        .iter()
        .copied()
        .filter(|l| by.contains_key(l))
        .collect();
    order.extend(by.keys().filter(|k| !detector_languages.contains(k)));
    let per_language: Vec<LanguageScore> = order
        .iter()
        .map(|l| {
            let e = &by[l];
            make(l, e.0, e.1, e.2, &e.3)
        })
        .collect();
    let mut all_conf: BTreeMap<&str, u64> = BTreeMap::new();
    for e in by.values() {
        for (k, v) in &e.3 {
            *all_conf.entry(k).or_default() += v;
        }
    }
    let sum = |f: fn(&Tally) -> u64| by.values().map(f).sum();
    let all = make("all", sum(|e| e.0), sum(|e| e.1), sum(|e| e.2), &all_conf);
    let cross = |from: &str, to: &str| {
        by.get(from)
            .map(|e| e.3.get(to).copied().unwrap_or(0) as f64 / e.0 as f64)
    };
    LanguageEval {
        inputs,
        languages: detector_languages.iter().map(|s| s.to_string()).collect(),
        min_confidence,
        per_language,
        all,
        es_as_pt: cross("es", "pt"),
        pt_as_es: cross("pt", "es"),
    }
}

/// Reads every file (CSV, JSONL, Parquet; the text column as in classify, the known
/// language from `label_column`, normalised like `--language-column`), detects each text's
/// language on the rayon pool and scores it. Rows without text or without a known
/// language are skipped.
pub fn eval_language(
    inputs: &[String],
    text_column: Option<&str>,
    label_column: &str,
    detector: &Detector,
    show_wrong: usize,
) -> Result<LanguageEval> {
    let mut known: Vec<(String, String)> = Vec::new();
    for input in inputs {
        let (mut source, _, _) = open_source(input, &InputSpec::with_text_column(text_column))?;
        let label = LanguageSource::Column(label_column.to_string()).resolve(source.as_ref())?;
        while let Some(row) = source.next_row()? {
            if let Ok(text) = row.text.as_ref() {
                if let Some(l) = label.of(&row, text) {
                    known.push((l.into_owned(), text.to_string()));
                }
            }
        }
    }
    if known.is_empty() {
        return Err(SentirError::Usage(format!(
            "no rows with both a text and a {label_column:?} value in {}",
            inputs.join(", ")
        )));
    }
    let (pairs, texts): (Vec<(String, &'static str)>, Vec<String>) = known
        .into_par_iter()
        .map(|(l, t)| {
            let best = detector.best(&t);
            let got = match best {
                Some((code, conf)) if conf >= detector.min_confidence() => code,
                _ => UNDETERMINED,
            };
            let conf = best.map_or(0.0, |b| b.1);
            (
                (l, got),
                format!("({}, {conf:.2}) {t}", best.map_or("-", |b| b.0)),
            )
        })
        .unzip();
    Ok(score_with_examples(
        &pairs,
        Some(&texts),
        show_wrong,
        detector.codes(),
        detector.min_confidence(),
        inputs.to_vec(),
    ))
}

impl LanguageEval {
    /// A plain-text table: one row per known language, then all, then es↔pt.
    pub fn to_table(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "{} (detector: {}; und below confidence {})",
            self.inputs.join(", "),
            self.languages.join(","),
            self.min_confidence
        );
        let _ = writeln!(
            s,
            "{:<10} {:>6} {:>9} {:>6}  wrong answers (most frequent)",
            "language", "n", "accuracy", "und"
        );
        for l in self.per_language.iter().chain([&self.all]) {
            let conf: Vec<String> = l
                .confusions
                .iter()
                .take(4)
                .map(|(k, v)| format!("{k} {v}"))
                .collect();
            let _ = writeln!(
                s,
                "{:<10} {:>6} {:>8.1}% {:>5.1}%  {}",
                l.language,
                l.n,
                100.0 * l.accuracy,
                100.0 * l.und_share,
                conf.join(", ")
            );
        }
        for l in &self.per_language {
            for (text, got) in &l.wrong {
                let _ = writeln!(s, "  {} → {got}: {}", l.language, text.replace('\n', " "));
            }
        }
        let pct = |x: Option<f64>| x.map_or("-".to_string(), |v| format!("{:.1}%", 100.0 * v));
        let _ = writeln!(
            s,
            "es called pt: {}   pt called es: {}",
            pct(self.es_as_pt),
            pct(self.pt_as_es)
        );
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_count_right_und_and_wrong_answers_per_language() {
        let pairs: Vec<(String, &'static str)> = vec![
            ("es".into(), "es"),
            ("es".into(), "es"),
            ("es".into(), "pt"),
            ("es".into(), "und"),
            ("pt".into(), "pt"),
            ("xx".into(), "en"),
        ];
        let e = score(&pairs, &["pt", "es", "en"], 0.5, vec![]);
        let langs: Vec<&str> = e.per_language.iter().map(|l| l.language.as_str()).collect();
        assert_eq!(langs, ["pt", "es", "xx"]);
        let es = &e.per_language[1];
        assert_eq!((es.n, es.correct, es.und), (4, 2, 1));
        assert_eq!(es.accuracy, 0.5);
        assert_eq!(es.und_share, 0.25);
        assert_eq!(es.confusions, [("pt".to_string(), 1)]);
        assert_eq!(e.es_as_pt, Some(0.25));
        assert_eq!(e.pt_as_es, Some(0.0));
        assert_eq!((e.all.n, e.all.correct, e.all.und), (6, 3, 1));
        let table = e.to_table();
        assert!(table.contains("es called pt: 25.0%"), "{table}");
    }
}
