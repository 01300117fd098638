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

/// Messages per sentiment: the one tally of labels (report figures, bench counts).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct SentimentCounts {
    /// Negative messages.
    pub negative: u64,
    /// Neutral messages.
    pub neutral: u64,
    /// Positive messages.
    pub positive: u64,
}

impl SentimentCounts {
    /// Counts one message.
    pub fn add(&mut self, s: Sentiment) {
        *self.get_mut(s) += 1;
    }

    /// Adds another set of counts.
    pub fn merge(&mut self, o: &SentimentCounts) {
        for s in Sentiment::ALL {
            *self.get_mut(s) += o.get(s);
        }
    }

    /// All messages counted.
    pub fn total(&self) -> u64 {
        self.negative + self.neutral + self.positive
    }

    /// The count of one sentiment.
    pub fn get(&self, s: Sentiment) -> u64 {
        match s {
            Sentiment::Negative => self.negative,
            Sentiment::Neutral => self.neutral,
            Sentiment::Positive => self.positive,
        }
    }

    fn get_mut(&mut self, s: Sentiment) -> &mut u64 {
        match s {
            Sentiment::Negative => &mut self.negative,
            Sentiment::Neutral => &mut self.neutral,
            Sentiment::Positive => &mut self.positive,
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
