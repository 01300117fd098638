//! `sentir eval`: accuracy, macro-F1, per-class scores and the confusion matrix, overall
//! and per group.

use crate::batch::BatchLimits;
use crate::error::{Result, SentirError};
use crate::io::labelled::Example;
use crate::model::heads::REASONS;
use crate::model::{Model, Scores};
use crate::pipeline::predict_texts;
use crate::prediction::Prediction;
use crate::sentiment::Sentiment;
use crate::tokenize::{LongText, TextEncoder};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write;

/// Precision, recall and F1 of one class.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct ClassScores {
    /// Of the rows predicted as this class, the share that are.
    pub precision: f64,
    /// Of the rows of this class, the share found.
    pub recall: f64,
    /// Harmonic mean of precision and recall (0 when both are 0).
    pub f1: f64,
    /// Rows of this class in the gold labels.
    pub support: u64,
}

/// Scores of a set of predictions.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Metrics {
    /// Rows scored.
    pub n: u64,
    /// Share of rows predicted right.
    pub accuracy: f64,
    /// Mean F1 over the three classes.
    pub macro_f1: f64,
    /// Scores by class: negative, neutral, positive.
    pub classes: BTreeMap<Sentiment, ClassScores>,
    /// `confusion[gold][predicted]`, classes in index order.
    pub confusion: [[u64; 3]; 3],
}

impl Metrics {
    /// Scores `pred` against `gold` (same length).
    pub fn from_pairs(gold: &[Sentiment], pred: &[Sentiment]) -> Metrics {
        let mut confusion = [[0u64; 3]; 3];
        for (g, p) in gold.iter().zip(pred) {
            confusion[g.index()][p.index()] += 1;
        }
        let n: u64 = confusion.iter().flatten().sum();
        let correct: u64 = (0..3).map(|i| confusion[i][i]).sum();
        let mut classes = BTreeMap::new();
        for s in Sentiment::ALL {
            let i = s.index();
            let predicted: u64 = (0..3).map(|g| confusion[g][i]).sum();
            let support: u64 = confusion[i].iter().sum();
            classes.insert(s, class_scores(confusion[i][i], predicted, support));
        }
        let macro_f1 = classes.values().map(|c| c.f1).sum::<f64>() / 3.0;
        Metrics {
            n,
            accuracy: ratio(correct, n),
            macro_f1,
            classes,
            confusion,
        }
    }
}

/// Scores of a classifier with any named classes (the reason head).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ClassMetrics {
    /// Rows scored.
    pub n: u64,
    /// Share of rows predicted right.
    pub accuracy: f64,
    /// Mean F1 over the classes present in the gold labels or the predictions.
    pub macro_f1: f64,
    /// Scores by class name.
    pub classes: BTreeMap<String, ClassScores>,
    /// Class names, in the order of `confusion`'s rows and columns.
    pub labels: Vec<String>,
    /// `confusion[gold][predicted]`.
    pub confusion: Vec<Vec<u64>>,
}

impl ClassMetrics {
    /// Scores `pred` against `gold`, both indices into `labels`.
    pub fn from_pairs(labels: &[&str], gold: &[usize], pred: &[usize]) -> ClassMetrics {
        let k = labels.len();
        let mut confusion = vec![vec![0u64; k]; k];
        for (&g, &p) in gold.iter().zip(pred) {
            confusion[g][p] += 1;
        }
        let n: u64 = confusion.iter().flatten().sum();
        let correct: u64 = (0..k).map(|i| confusion[i][i]).sum();
        let mut classes = BTreeMap::new();
        let mut f1s = Vec::new();
        for (i, name) in labels.iter().enumerate() {
            let predicted: u64 = (0..k).map(|g| confusion[g][i]).sum();
            let support: u64 = confusion[i].iter().sum();
            let c = class_scores(confusion[i][i], predicted, support);
            if support + predicted > 0 {
                f1s.push(c.f1);
            }
            classes.insert(name.to_string(), c);
        }
        ClassMetrics {
            n,
            accuracy: ratio(correct, n),
            macro_f1: f1s.iter().sum::<f64>() / f1s.len().max(1) as f64,
            classes,
            labels: labels.iter().map(|s| s.to_string()).collect(),
            confusion,
        }
    }
}

/// Precision, recall and F1 of the `true` class of a yes/no label (`mixed`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BinaryMetrics {
    /// Rows scored.
    pub n: u64,
    /// Share of rows predicted right.
    pub accuracy: f64,
    /// Scores of the `true` class.
    pub positive: ClassScores,
}

impl BinaryMetrics {
    /// Scores `pred` against `gold`.
    pub fn from_pairs(gold: &[bool], pred: &[bool]) -> BinaryMetrics {
        let n = gold.len() as u64;
        let tp = gold.iter().zip(pred).filter(|(g, p)| **g && **p).count() as u64;
        let correct = gold.iter().zip(pred).filter(|(g, p)| g == p).count() as u64;
        let predicted = pred.iter().filter(|p| **p).count() as u64;
        let support = gold.iter().filter(|g| **g).count() as u64;
        BinaryMetrics {
            n,
            accuracy: ratio(correct, n),
            positive: class_scores(tp, predicted, support),
        }
    }
}

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

fn class_scores(tp: u64, predicted: u64, support: u64) -> ClassScores {
    let precision = ratio(tp, predicted);
    let recall = ratio(tp, support);
    let f1 = if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    };
    ClassScores {
        precision,
        recall,
        f1,
        support,
    }
}

/// Reason scores overall and per group (rows with a gold reason, models with a reason head).
#[derive(Clone, Debug, Serialize)]
pub struct ReasonReport {
    /// All rows with a gold reason.
    pub overall: ClassMetrics,
    /// Per group.
    pub groups: BTreeMap<String, ClassMetrics>,
}

/// Mixed scores (rows with a gold `mixed`): the mixed head, and the chunk-disagreement rule
/// (a text read in chunks where one chunk says negative and another positive) for comparison.
#[derive(Clone, Debug, Serialize)]
pub struct MixedReport {
    /// The mixed head (absent without one).
    pub head: Option<BinaryMetrics>,
    /// Chunks that disagree.
    pub chunk_disagreement: BinaryMetrics,
    /// The head per group.
    pub groups: BTreeMap<String, BinaryMetrics>,
}

/// Scores overall and per group.
#[derive(Clone, Debug, Serialize)]
pub struct EvalReport {
    /// Model directory.
    pub model: String,
    /// All rows.
    pub overall: Metrics,
    /// Per group (e.g. language), when the data has groups.
    pub groups: BTreeMap<String, Metrics>,
    /// Mean of the groups' macro-F1 (when there are groups).
    pub mean_group_macro_f1: Option<f64>,
    /// Reason scores, when the data has reasons and the model a reason head.
    pub reason: Option<ReasonReport>,
    /// Mixed scores, when the data has a `mixed` column.
    pub mixed: Option<MixedReport>,
}

/// Predicts every example and scores the predictions.
pub fn evaluate(
    model: &Model,
    encoder: &TextEncoder,
    examples: &[Example],
    limits: BatchLimits,
    long: LongText,
) -> Result<EvalReport> {
    if examples.is_empty() {
        return Err(SentirError::Input("no examples to evaluate".into()));
    }
    let texts: Vec<&str> = examples.iter().map(|e| e.text.as_str()).collect();
    let mut scores = Vec::with_capacity(examples.len());
    for (i, r) in predict_texts(model, encoder, &texts, limits, long)?
        .into_iter()
        .enumerate()
    {
        scores.push(r.map_err(|e| SentirError::Input(format!("example {}: {e}", i + 1)))?);
    }
    let preds: Vec<Prediction> = scores.iter().map(Prediction::from_scores).collect();
    let pred: Vec<Sentiment> = preds.iter().map(|p| p.sentiment).collect();
    let gold: Vec<Sentiment> = examples.iter().map(|e| e.label).collect();
    let mut by_group: BTreeMap<String, (Vec<Sentiment>, Vec<Sentiment>)> = BTreeMap::new();
    for (e, p) in examples.iter().zip(&pred) {
        if let Some(g) = &e.group {
            let entry = by_group.entry(g.clone()).or_default();
            entry.0.push(e.label);
            entry.1.push(*p);
        }
    }
    let groups: BTreeMap<String, Metrics> = by_group
        .into_iter()
        .map(|(g, (gold, pred))| (g, Metrics::from_pairs(&gold, &pred)))
        .collect();
    let mean_group_macro_f1 = (!groups.is_empty())
        .then(|| groups.values().map(|m| m.macro_f1).sum::<f64>() / groups.len() as f64);
    Ok(EvalReport {
        model: model.dir().display().to_string(),
        overall: Metrics::from_pairs(&gold, &pred),
        groups,
        mean_group_macro_f1,
        reason: reason_report(examples, &preds),
        mixed: mixed_report(examples, &preds, &scores),
    })
}

fn reason_report(examples: &[Example], preds: &[Prediction]) -> Option<ReasonReport> {
    let pairs: Vec<(&Example, usize, usize)> = examples
        .iter()
        .zip(preds)
        .filter_map(|(e, p)| Some((e, e.reason?, p.reason?.0)))
        .collect();
    if pairs.is_empty() {
        return None;
    }
    let score = |rows: &[&(&Example, usize, usize)]| {
        let gold: Vec<usize> = rows.iter().map(|r| r.1).collect();
        let pred: Vec<usize> = rows.iter().map(|r| r.2).collect();
        ClassMetrics::from_pairs(&REASONS, &gold, &pred)
    };
    let mut by_group: BTreeMap<String, Vec<&(&Example, usize, usize)>> = BTreeMap::new();
    for r in &pairs {
        if let Some(g) = &r.0.group {
            by_group.entry(g.clone()).or_default().push(r);
        }
    }
    Some(ReasonReport {
        overall: score(&pairs.iter().collect::<Vec<_>>()),
        groups: by_group
            .iter()
            .map(|(g, rows)| (g.clone(), score(rows)))
            .collect(),
    })
}

fn mixed_report(
    examples: &[Example],
    preds: &[Prediction],
    scores: &[Scores],
) -> Option<MixedReport> {
    let idx: Vec<usize> = (0..examples.len())
        .filter(|&i| examples[i].mixed.is_some())
        .collect();
    if idx.is_empty() {
        return None;
    }
    let gold: Vec<bool> = idx
        .iter()
        .map(|&i| examples[i].mixed == Some(true))
        .collect();
    let head = preds[idx[0]].mixed().is_some().then(|| {
        let pred: Vec<bool> = idx
            .iter()
            .map(|&i| preds[i].mixed() == Some(true))
            .collect();
        BinaryMetrics::from_pairs(&gold, &pred)
    });
    let chunks: Vec<bool> = idx.iter().map(|&i| scores[i].chunks_disagree).collect();
    let mut groups: BTreeMap<String, (Vec<bool>, Vec<bool>)> = BTreeMap::new();
    if head.is_some() {
        for &i in &idx {
            if let Some(g) = &examples[i].group {
                let e = groups.entry(g.clone()).or_default();
                e.0.push(examples[i].mixed == Some(true));
                e.1.push(preds[i].mixed() == Some(true));
            }
        }
    }
    Some(MixedReport {
        head,
        chunk_disagreement: BinaryMetrics::from_pairs(&gold, &chunks),
        groups: groups
            .into_iter()
            .map(|(g, (a, b))| (g, BinaryMetrics::from_pairs(&a, &b)))
            .collect(),
    })
}

impl EvalReport {
    /// A text table: one line per group and overall, then per-class scores and the
    /// confusion matrix of the whole set.
    pub fn to_table(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "model: {}", self.model);
        let _ = writeln!(
            s,
            "{:<16} {:>6} {:>9} {:>9} {:>7} {:>7} {:>7}",
            "group", "n", "accuracy", "macro-F1", "F1 neg", "F1 neu", "F1 pos"
        );
        let mut line = |name: &str, m: &Metrics| {
            let f = |c: Sentiment| m.classes[&c].f1;
            let _ = writeln!(
                s,
                "{:<16} {:>6} {:>9.4} {:>9.4} {:>7.4} {:>7.4} {:>7.4}",
                name,
                m.n,
                m.accuracy,
                m.macro_f1,
                f(Sentiment::Negative),
                f(Sentiment::Neutral),
                f(Sentiment::Positive)
            );
        };
        for (g, m) in &self.groups {
            line(g, m);
        }
        line("ALL", &self.overall);
        if let Some(mean) = self.mean_group_macro_f1 {
            let _ = writeln!(
                s,
                "mean macro-F1 over {} groups: {mean:.4}",
                self.groups.len()
            );
        }
        let _ = writeln!(
            s,
            "\n{:<10} {:>9} {:>9} {:>9} {:>8}",
            "class", "precision", "recall", "F1", "support"
        );
        for (c, v) in &self.overall.classes {
            let _ = writeln!(
                s,
                "{:<10} {:>9.4} {:>9.4} {:>9.4} {:>8}",
                c.as_str(),
                v.precision,
                v.recall,
                v.f1,
                v.support
            );
        }
        let _ = writeln!(s, "\nconfusion (rows gold, columns predicted)");
        let _ = writeln!(
            s,
            "{:<10} {:>9} {:>9} {:>9}",
            "", "negative", "neutral", "positive"
        );
        for c in Sentiment::ALL {
            let r = self.overall.confusion[c.index()];
            let _ = writeln!(s, "{:<10} {:>9} {:>9} {:>9}", c.as_str(), r[0], r[1], r[2]);
        }
        if let Some(r) = &self.reason {
            reason_table(&mut s, r);
        }
        if let Some(m) = &self.mixed {
            let _ = writeln!(
                s,
                "\nmixed (true class)  {:>9} {:>9} {:>9} {:>8}",
                "precision", "recall", "F1", "support"
            );
            let mut line = |name: &str, b: &BinaryMetrics| {
                let p = &b.positive;
                let _ = writeln!(
                    s,
                    "{:<19} {:>9.4} {:>9.4} {:>9.4} {:>8}",
                    name, p.precision, p.recall, p.f1, p.support
                );
            };
            if let Some(h) = &m.head {
                line("head", h);
            }
            line("chunk disagreement", &m.chunk_disagreement);
        }
        s
    }
}

fn reason_table(s: &mut String, r: &ReasonReport) {
    let _ = writeln!(
        s,
        "\nreason\n{:<16} {:>6} {:>9} {:>9}",
        "group", "n", "accuracy", "macro-F1"
    );
    for (g, m) in r.groups.iter().chain([(&"ALL".to_string(), &r.overall)]) {
        let _ = writeln!(
            s,
            "{:<16} {:>6} {:>9.4} {:>9.4}",
            g, m.n, m.accuracy, m.macro_f1
        );
    }
    let _ = writeln!(
        s,
        "\n{:<17} {:>9} {:>9} {:>9} {:>8}",
        "reason", "precision", "recall", "F1", "support"
    );
    for name in &r.overall.labels {
        let c = &r.overall.classes[name];
        let _ = writeln!(
            s,
            "{:<17} {:>9.4} {:>9.4} {:>9.4} {:>8}",
            name, c.precision, c.recall, c.f1, c.support
        );
    }
    let _ = writeln!(
        s,
        "\nreason confusion (rows gold, columns predicted, in the order above)"
    );
    for (name, row) in r.overall.labels.iter().zip(&r.overall.confusion) {
        let cells: Vec<String> = row.iter().map(|c| format!("{c:>5}")).collect();
        let _ = writeln!(s, "{:<17}{}", name, cells.join(""));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Sentiment::*;

    #[test]
    fn metrics_match_hand_computation() {
        let gold = [Negative, Negative, Neutral, Positive, Positive, Positive];
        let pred = [Negative, Neutral, Neutral, Positive, Negative, Positive];
        let m = Metrics::from_pairs(&gold, &pred);
        assert_eq!(m.n, 6);
        assert!((m.accuracy - 4.0 / 6.0).abs() < 1e-12);
        // negative: P 1/2, R 1/2, F1 .5; neutral: P 1/2, R 1, F1 2/3; positive: P 1, R 2/3, F1 .8
        assert!((m.classes[&Negative].f1 - 0.5).abs() < 1e-12);
        assert!((m.classes[&Neutral].f1 - 2.0 / 3.0).abs() < 1e-12);
        assert!((m.classes[&Positive].f1 - 0.8).abs() < 1e-12);
        assert!((m.macro_f1 - (0.5 + 2.0 / 3.0 + 0.8) / 3.0).abs() < 1e-12);
        assert_eq!(m.confusion[2], [1, 0, 2]);
    }

    #[test]
    fn class_metrics_average_over_present_classes() {
        let labels = ["a", "b", "c"];
        // c never occurs: macro-F1 is the mean of a (2/3) and b (0.8).
        let m = ClassMetrics::from_pairs(&labels, &[0, 0, 1, 1, 1], &[0, 1, 1, 1, 0]);
        assert!((m.accuracy - 0.6).abs() < 1e-12);
        assert!((m.classes["a"].f1 - 0.5).abs() < 1e-12);
        assert!((m.classes["b"].f1 - 2.0 / 3.0).abs() < 1e-12);
        assert!((m.macro_f1 - (0.5 + 2.0 / 3.0) / 2.0).abs() < 1e-12);
        assert_eq!(m.confusion[1], vec![1, 2, 0]);
        let b = BinaryMetrics::from_pairs(&[true, true, false, false], &[true, false, true, false]);
        assert!((b.positive.f1 - 0.5).abs() < 1e-12 && (b.accuracy - 0.5).abs() < 1e-12);
    }

    #[test]
    fn absent_class_scores_zero_not_nan() {
        let m = Metrics::from_pairs(&[Positive, Positive], &[Positive, Positive]);
        assert_eq!(m.classes[&Neutral].f1, 0.0);
        assert!(m.macro_f1.is_finite());
    }
}
