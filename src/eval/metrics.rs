//! Scores of predictions against gold labels: precision, recall and F1 per class,
//! accuracy, macro-F1 and the confusion matrix.

use crate::sentiment::Sentiment;
use serde::Serialize;
use std::collections::BTreeMap;

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
