//! Mapping a model's `id2label` onto negative / neutral / positive.

use super::error::ModelError;
use crate::sentiment::Sentiment;
use std::collections::BTreeMap;

/// For each output class of a model, the sentiment it counts towards.
///
/// Rules, applied to each label (case-insensitive):
/// - a name containing `neg` / `neu` / `pos` maps to that sentiment;
/// - star ratings (`1 star` … `5 stars`): 1–2 negative, 3 neutral, 4–5 positive;
/// - generic `LABEL_k`: with 3 classes k = 0/1/2 is negative/neutral/positive (the cardiffnlp
///   convention), with 2 classes 0/1 is negative/positive, with 5 classes k is `k+1` stars.
///
/// Probabilities of classes that map to the same sentiment are added up, so a 5-star model's
/// `p_negative` is P(1 star) + P(2 stars). A 2-class model never outputs neutral.
#[derive(Clone, Debug, PartialEq)]
pub struct LabelMap {
    classes: Vec<Sentiment>,
}

impl LabelMap {
    /// Builds the map from `id2label` (class index → name). Indices must be 0..n.
    pub fn from_id2label(id2label: &BTreeMap<usize, String>) -> Result<LabelMap, ModelError> {
        let n = id2label.len();
        if n < 2 {
            return Err(ModelError::Labels(format!(
                "id2label has {n} classes, at least 2 are needed"
            )));
        }
        let mut classes = Vec::with_capacity(n);
        for i in 0..n {
            let name = id2label.get(&i).ok_or_else(|| {
                ModelError::Labels(format!(
                    "id2label has no class {i} (indices must be 0..{n})"
                ))
            })?;
            let s = map_label(name, i, n).ok_or_else(|| {
                ModelError::Labels(format!(
                    "cannot map label {name:?} (class {i} of {n}) to negative/neutral/positive"
                ))
            })?;
            classes.push(s);
        }
        for s in [Sentiment::Negative, Sentiment::Positive] {
            if !classes.contains(&s) {
                let names: Vec<&String> = id2label.values().collect();
                return Err(ModelError::Labels(format!(
                    "no class maps to {s}: labels are {names:?}"
                )));
            }
        }
        Ok(LabelMap { classes })
    }

    /// The standard 3-class map (negative, neutral, positive).
    pub fn three_class() -> LabelMap {
        LabelMap {
            classes: Sentiment::ALL.to_vec(),
        }
    }

    /// The sentiment of each model class, by class index.
    pub fn classes(&self) -> &[Sentiment] {
        &self.classes
    }

    /// Adds up class probabilities into [p_negative, p_neutral, p_positive].
    pub fn aggregate(&self, probs: &[f32]) -> [f32; 3] {
        let mut out = [0f32; 3];
        for (p, s) in probs.iter().zip(&self.classes) {
            out[s.index()] += p;
        }
        out
    }
}

fn map_label(name: &str, index: usize, n: usize) -> Option<Sentiment> {
    let l = name.trim().to_ascii_lowercase();
    if l.contains("neg") {
        return Some(Sentiment::Negative);
    }
    if l.contains("neu") {
        return Some(Sentiment::Neutral);
    }
    if l.contains("pos") {
        return Some(Sentiment::Positive);
    }
    if let Some(stars) = leading_number(&l).filter(|_| l.contains("star")) {
        return stars_to_sentiment(stars);
    }
    if let Some(k) = l
        .strip_prefix("label_")
        .and_then(|k| k.parse::<usize>().ok())
    {
        if k != index {
            return None;
        }
        return match n {
            2 => Some(if k == 0 {
                Sentiment::Negative
            } else {
                Sentiment::Positive
            }),
            3 => Sentiment::from_index(k),
            5 => stars_to_sentiment(k + 1),
            _ => None,
        };
    }
    None
}

fn leading_number(s: &str) -> Option<usize> {
    let digits: String = s.chars().take_while(|c| c.is_ascii_digit()).collect();
    digits.parse().ok()
}

fn stars_to_sentiment(stars: usize) -> Option<Sentiment> {
    match stars {
        1 | 2 => Some(Sentiment::Negative),
        3 => Some(Sentiment::Neutral),
        4 | 5 => Some(Sentiment::Positive),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(labels: &[&str]) -> Result<LabelMap, ModelError> {
        let m: BTreeMap<usize, String> = labels
            .iter()
            .enumerate()
            .map(|(i, s)| (i, s.to_string()))
            .collect();
        LabelMap::from_id2label(&m)
    }

    #[test]
    fn three_class_names_any_case() {
        let m = map(&["Negative", "Neutral", "Positive"]).unwrap();
        assert_eq!(m.classes(), &Sentiment::ALL);
        let m = map(&["positive", "negative", "neutral"]).unwrap();
        assert_eq!(
            m.classes(),
            &[Sentiment::Positive, Sentiment::Negative, Sentiment::Neutral]
        );
    }

    #[test]
    fn generic_labels_follow_cardiffnlp_order() {
        let m = map(&["LABEL_0", "LABEL_1", "LABEL_2"]).unwrap();
        assert_eq!(m.classes(), &Sentiment::ALL);
        let m = map(&["LABEL_0", "LABEL_1"]).unwrap();
        assert_eq!(m.classes(), &[Sentiment::Negative, Sentiment::Positive]);
    }

    #[test]
    fn stars_are_bucketed_and_summed() {
        let m = map(&["1 star", "2 stars", "3 stars", "4 stars", "5 stars"]).unwrap();
        let p = m.aggregate(&[0.1, 0.2, 0.3, 0.15, 0.25]);
        assert!((p[0] - 0.3).abs() < 1e-6);
        assert!((p[1] - 0.3).abs() < 1e-6);
        assert!((p[2] - 0.4).abs() < 1e-6);
    }

    #[test]
    fn binary_model_has_no_neutral_mass() {
        let m = map(&["NEGATIVE", "POSITIVE"]).unwrap();
        assert_eq!(m.aggregate(&[0.25, 0.75]), [0.25, 0.0, 0.75]);
    }

    #[test]
    fn unknown_labels_are_rejected() {
        assert!(map(&["joy", "anger", "fear"]).is_err());
        assert!(map(&["LABEL_0", "LABEL_1", "LABEL_2", "LABEL_3"]).is_err());
        assert!(map(&["neutral", "positive"]).is_err());
    }
}
