//! The three labels sentir writes.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A buyer message's sentiment. The discriminant is the class index used everywhere in
/// sentir (0 negative, 1 neutral, 2 positive), as in UMSAB and cardiffnlp models.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sentiment {
    /// Complaint, anger, disappointment.
    Negative = 0,
    /// Plain question or information.
    Neutral = 1,
    /// Thanks, praise, satisfaction.
    Positive = 2,
}

impl Sentiment {
    /// All labels in class-index order.
    pub const ALL: [Sentiment; 3] = [Sentiment::Negative, Sentiment::Neutral, Sentiment::Positive];

    /// The lowercase name written to outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            Sentiment::Negative => "negative",
            Sentiment::Neutral => "neutral",
            Sentiment::Positive => "positive",
        }
    }

    /// The class index (0, 1, 2).
    pub fn index(self) -> usize {
        self as usize
    }

    /// The label for a class index.
    pub fn from_index(i: usize) -> Option<Sentiment> {
        Sentiment::ALL.get(i).copied()
    }

    /// Parses a label as found in labelled data: a name (`negative`, `Neutral`, `POS`…) or
    /// a class index `0`/`1`/`2`.
    pub fn parse(s: &str) -> Option<Sentiment> {
        let t = s.trim().to_ascii_lowercase();
        match t.as_str() {
            "0" | "negative" | "neg" => Some(Sentiment::Negative),
            "1" | "neutral" | "neu" => Some(Sentiment::Neutral),
            "2" | "positive" | "pos" => Some(Sentiment::Positive),
            _ => None,
        }
    }
}

impl fmt::Display for Sentiment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_names_and_indices() {
        assert_eq!(Sentiment::parse(" Positive "), Some(Sentiment::Positive));
        assert_eq!(Sentiment::parse("0"), Some(Sentiment::Negative));
        assert_eq!(Sentiment::parse("NEU"), Some(Sentiment::Neutral));
        assert_eq!(Sentiment::parse("3"), None);
        assert_eq!(Sentiment::from_index(2), Some(Sentiment::Positive));
        assert_eq!(Sentiment::Neutral.to_string(), "neutral");
    }
}
