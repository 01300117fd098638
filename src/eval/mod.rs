//! `sentir eval`: accuracy, macro-F1, per-class scores and the confusion matrix, overall
//! and per group ([`metrics`]), printed as a table ([`EvalReport::to_table`]) or JSON.

mod metrics;
mod table;

pub use metrics::{BinaryMetrics, ClassMetrics, ClassScores, Metrics};

use crate::batch::BatchLimits;
use crate::error::{Result, SentirError};
use crate::io::examples::Example;
use crate::model::heads::REASONS;
use crate::model::{Model, Scores};
use crate::pipeline::predict_texts;
use crate::prediction::Prediction;
use crate::sentiment::Sentiment;
use crate::tokenize::{LongText, TextEncoder};
use serde::Serialize;
use std::collections::BTreeMap;

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
