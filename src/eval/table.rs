//! `sentir eval`'s text table.

use super::metrics::{BinaryMetrics, Metrics};
use super::{EvalReport, MixedReport, ReasonReport};
use crate::sentiment::Sentiment;
use std::fmt::Write;

impl EvalReport {
    /// A text table: one line per group and overall, then per-class scores and the
    /// confusion matrix of the whole set.
    pub fn to_table(&self) -> String {
        let mut s = String::new();
        self.groups_table(&mut s);
        self.classes_table(&mut s);
        if let Some(r) = &self.reason {
            reason_table(&mut s, r);
        }
        if let Some(m) = &self.mixed {
            mixed_table(&mut s, m);
        }
        s
    }

    /// One line per group and overall, and the mean over the groups.
    fn groups_table(&self, s: &mut String) {
        let _ = writeln!(s, "model: {}", self.model);
        let _ = writeln!(
            s,
            "{:<16} {:>6} {:>9} {:>9} {:>7} {:>7} {:>7}",
            "group", "n", "accuracy", "macro-F1", "F1 neg", "F1 neu", "F1 pos"
        );
        let line = |s: &mut String, name: &str, m: &Metrics| {
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
            line(s, g, m);
        }
        line(s, "ALL", &self.overall);
        if let Some(mean) = self.mean_group_macro_f1 {
            let _ = writeln!(
                s,
                "mean macro-F1 over {} groups: {mean:.4}",
                self.groups.len()
            );
        }
    }

    /// Per-class scores and the confusion matrix of the whole set.
    fn classes_table(&self, s: &mut String) {
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
    }
}

/// The mixed head and the chunk-disagreement rule against the gold `mixed`.
fn mixed_table(s: &mut String, m: &MixedReport) {
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

/// Reason scores per group, per reason and their confusion matrix.
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
