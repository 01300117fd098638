//! What the pipeline decides for each row.

use crate::io::RowError;
use crate::model::heads::REASONS;
use crate::model::Scores;
use crate::sentiment::Sentiment;
use std::borrow::Cow;

/// Columns (CSV) or keys (JSONL) sentir adds to every row, in this order.
pub const OUTPUT_COLUMNS: [&str; 10] = [
    "sentiment",
    "score",
    "p_negative",
    "p_neutral",
    "p_positive",
    "mixed",
    "reason",
    "reason_score",
    "language",
    "error",
];

/// `mixed` is true when the mixed head's probability reaches this.
pub const MIXED_THRESHOLD: f32 = 0.5;

/// A label and its probabilities.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Prediction {
    /// The most probable sentiment.
    pub sentiment: Sentiment,
    /// Its probability.
    pub score: f32,
    /// [p_negative, p_neutral, p_positive].
    pub probs: [f32; 3],
    /// Probability of praise and complaint in one text (models with a mixed head).
    pub p_mixed: Option<f32>,
    /// The most probable reason (index into [`REASONS`]) and its probability (models with a
    /// reason head).
    pub reason: Option<(usize, f32)>,
}

impl Prediction {
    /// The prediction for every head's scores.
    pub fn from_scores(s: &Scores) -> Prediction {
        let mut p = Prediction::from_probs(s.probs);
        p.p_mixed = s.mixed;
        p.reason = s.reason.map(|r| {
            let best = (0..r.len()).fold(0, |b, i| if r[i] > r[b] { i } else { b });
            (best, r[best])
        });
        p
    }

    /// Praise and complaint in one text (models with a mixed head).
    pub fn mixed(&self) -> Option<bool> {
        self.p_mixed.map(|p| p >= MIXED_THRESHOLD)
    }

    /// The reason's name (models with a reason head).
    pub fn reason_name(&self) -> Option<&'static str> {
        self.reason.map(|(i, _)| REASONS[i])
    }

    /// The prediction for aggregated probabilities (ties go to the lower class index).
    pub fn from_probs(probs: [f32; 3]) -> Prediction {
        let mut best = 0;
        for i in 1..3 {
            if probs[i] > probs[best] {
                best = i;
            }
        }
        Prediction {
            sentiment: Sentiment::from_index(best).expect("index < 3"),
            score: probs[best],
            probs,
            p_mixed: None,
            reason: None,
        }
    }
}

/// The result for one input row.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// Labelled, with the language: detected (an ISO 639-1 code, or `und`) or given in the
    /// input (`--language-column`); `None` with `--no-language`.
    Labelled(Prediction, Option<Cow<'static, str>>),
    /// Could not be labelled: where the row is and why.
    Failed(RowError),
}

impl Outcome {
    /// The added values, as strings, in [`OUTPUT_COLUMNS`] order (empty when absent).
    pub fn values(&self) -> [String; 10] {
        match self {
            Outcome::Labelled(p, lang) => [
                p.sentiment.as_str().to_string(),
                format!("{:.6}", p.score),
                format!("{:.6}", p.probs[0]),
                format!("{:.6}", p.probs[1]),
                format!("{:.6}", p.probs[2]),
                p.mixed().map(|m| m.to_string()).unwrap_or_default(),
                p.reason_name().unwrap_or("").to_string(),
                p.reason.map(|r| format!("{:.6}", r.1)).unwrap_or_default(),
                lang.as_deref().unwrap_or("").to_string(),
                String::new(),
            ],
            Outcome::Failed(e) => {
                let mut v: [String; 10] = Default::default();
                v[9] = e.to_string();
                v
            }
        }
    }

    /// The added values as JSON (`null` when absent), in [`OUTPUT_COLUMNS`] order.
    pub fn json_values(&self) -> [serde_json::Value; 10] {
        use serde_json::Value;
        let num = |x: f32| Value::from((x as f64 * 1e6).round() / 1e6);
        match self {
            Outcome::Labelled(p, lang) => [
                p.sentiment.as_str().into(),
                num(p.score),
                num(p.probs[0]),
                num(p.probs[1]),
                num(p.probs[2]),
                p.mixed().map(Value::from).unwrap_or(Value::Null),
                p.reason_name().map(Value::from).unwrap_or(Value::Null),
                p.reason.map(|r| num(r.1)).unwrap_or(Value::Null),
                lang.as_deref().map(Value::from).unwrap_or(Value::Null),
                Value::Null,
            ],
            Outcome::Failed(e) => {
                let mut v: [Value; 10] = Default::default();
                v[9] = e.to_string().into();
                v
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argmax_and_score() {
        let p = Prediction::from_probs([0.2, 0.1, 0.7]);
        assert_eq!(p.sentiment, Sentiment::Positive);
        assert_eq!(p.score, 0.7);
        let v = Outcome::Labelled(p, Some("es".into())).values();
        assert_eq!(v[0], "positive");
        assert_eq!(v[8], "es");
        assert_eq!(v[9], "");
        // No extra heads: mixed and reason are empty.
        assert_eq!((v[5].as_str(), v[6].as_str(), v[7].as_str()), ("", "", ""));
    }

    #[test]
    fn heads_fill_mixed_and_reason() {
        let mut reason = [0.01f32; 9];
        reason[5] = 0.92;
        let s = Scores {
            probs: [0.7, 0.2, 0.1],
            reason: Some(reason),
            mixed: Some(0.81),
            chunks_disagree: false,
        };
        let v = Outcome::Labelled(Prediction::from_scores(&s), None).values();
        assert_eq!(v[0], "negative");
        assert_eq!(
            (v[5].as_str(), v[6].as_str(), v[7].as_str()),
            ("true", "billing", "0.920000")
        );
        let e = RowError::new(
            crate::io::RowPos::Line(3),
            crate::io::RowErrorKind::Empty {
                what: "text".into(),
            },
        );
        let j = Outcome::Failed(e).json_values();
        assert!(j[5].is_null() && j[6].is_null() && j[7].is_null());
        assert_eq!(j[9], "line 3: text is empty");
    }
}
