//! `sentir eval`: accuracy, macro-F1, per-class scores and the confusion matrix, overall
//! and per group.

use crate::batch::BatchLimits;
use crate::error::{Result, SentirError};
use crate::io::labelled::Example;
use crate::model::Model;
use crate::pipeline::predict_texts;
use crate::prediction::Prediction;
use crate::sentiment::Sentiment;
use crate::tokenize::TextEncoder;
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
        let ratio = |a: u64, b: u64| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        let mut classes = BTreeMap::new();
        for s in Sentiment::ALL {
            let i = s.index();
            let tp = confusion[i][i];
            let predicted: u64 = (0..3).map(|g| confusion[g][i]).sum();
            let support: u64 = confusion[i].iter().sum();
            let precision = ratio(tp, predicted);
            let recall = ratio(tp, support);
            let f1 = if precision + recall == 0.0 {
                0.0
            } else {
                2.0 * precision * recall / (precision + recall)
            };
            classes.insert(
                s,
                ClassScores {
                    precision,
                    recall,
                    f1,
                    support,
                },
            );
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
}

/// Predicts every example and scores the predictions.
pub fn evaluate(
    model: &Model,
    encoder: &TextEncoder,
    examples: &[Example],
    limits: BatchLimits,
) -> Result<EvalReport> {
    if examples.is_empty() {
        return Err(SentirError::Input("no examples to evaluate".into()));
    }
    let texts: Vec<&str> = examples.iter().map(|e| e.text.as_str()).collect();
    let mut pred = Vec::with_capacity(examples.len());
    for (i, r) in predict_texts(model, encoder, &texts, limits)
        .into_iter()
        .enumerate()
    {
        let p = r.map_err(|e| SentirError::Input(format!("example {}: {e}", i + 1)))?;
        pred.push(Prediction::from_probs(p).sentiment);
    }
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
        s
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
    fn absent_class_scores_zero_not_nan() {
        let m = Metrics::from_pairs(&[Positive, Positive], &[Positive, Positive]);
        assert_eq!(m.classes[&Neutral].f1, 0.0);
        assert!(m.macro_f1.is_finite());
    }
}
