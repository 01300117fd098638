//! What the pipeline decides for each row.

use crate::sentiment::Sentiment;

/// Columns (CSV) or keys (JSONL) sentir adds to every row, in this order.
pub const OUTPUT_COLUMNS: [&str; 7] = [
    "sentiment",
    "score",
    "p_negative",
    "p_neutral",
    "p_positive",
    "language",
    "error",
];

/// A label and its probabilities.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Prediction {
    /// The most probable sentiment.
    pub sentiment: Sentiment,
    /// Its probability.
    pub score: f32,
    /// [p_negative, p_neutral, p_positive].
    pub probs: [f32; 3],
}

impl Prediction {
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
        }
    }
}

/// The result for one input row.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// Labelled, with the detected language (ISO 639-1 where it has one).
    Labelled(Prediction, Option<&'static str>),
    /// Could not be labelled; the message names the line and the reason.
    Failed(String),
}

impl Outcome {
    /// The added values, as strings, in [`OUTPUT_COLUMNS`] order (empty when absent).
    pub fn values(&self) -> [String; 7] {
        match self {
            Outcome::Labelled(p, lang) => [
                p.sentiment.as_str().to_string(),
                format!("{:.6}", p.score),
                format!("{:.6}", p.probs[0]),
                format!("{:.6}", p.probs[1]),
                format!("{:.6}", p.probs[2]),
                lang.unwrap_or("").to_string(),
                String::new(),
            ],
            Outcome::Failed(e) => [
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                e.clone(),
            ],
        }
    }

    /// The added values as JSON (`null` when absent), in [`OUTPUT_COLUMNS`] order.
    pub fn json_values(&self) -> [serde_json::Value; 7] {
        use serde_json::Value;
        let num = |x: f32| Value::from((x as f64 * 1e6).round() / 1e6);
        match self {
            Outcome::Labelled(p, lang) => [
                p.sentiment.as_str().into(),
                num(p.score),
                num(p.probs[0]),
                num(p.probs[1]),
                num(p.probs[2]),
                lang.map(Value::from).unwrap_or(Value::Null),
                Value::Null,
            ],
            Outcome::Failed(e) => [
                Value::Null,
                Value::Null,
                Value::Null,
                Value::Null,
                Value::Null,
                Value::Null,
                e.as_str().into(),
            ],
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
        let v = Outcome::Labelled(p, Some("es")).values();
        assert_eq!(v[0], "positive");
        assert_eq!(v[5], "es");
        assert_eq!(v[6], "");
    }
}
