//! One row's probabilities from every head, and combining a chunked text's rows.

use super::heads::REASONS;

/// One row's probabilities from every head.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Scores {
    /// [p_negative, p_neutral, p_positive].
    pub probs: [f32; 3],
    /// Reason probabilities, in [`REASONS`] order (models with a reason head).
    pub reason: Option<[f32; REASONS.len()]>,
    /// Probability that the text is mixed (models with a mixed head).
    pub mixed: Option<f32>,
    /// A text read in chunks whose chunks disagree: one says negative, another positive.
    pub chunks_disagree: bool,
}

impl Scores {
    /// One text's scores from its chunks' scores, each weighted by its token count.
    pub fn combine(parts: &[(Scores, usize)]) -> Scores {
        if let [(one, _)] = parts {
            return *one;
        }
        let total: f32 = parts.iter().map(|(_, n)| *n as f32).sum::<f32>().max(1.0);
        let mut out = Scores {
            probs: [0.0; 3],
            reason: parts[0].0.reason.map(|_| [0.0; REASONS.len()]),
            mixed: parts[0].0.mixed.map(|_| 0.0),
            chunks_disagree: false,
        };
        let (mut neg, mut pos) = (false, false);
        for (s, n) in parts {
            let w = *n as f32 / total;
            for k in 0..3 {
                out.probs[k] += w * s.probs[k];
            }
            if let (Some(o), Some(r)) = (out.reason.as_mut(), s.reason) {
                for k in 0..o.len() {
                    o[k] += w * r[k];
                }
            }
            if let (Some(o), Some(m)) = (out.mixed.as_mut(), s.mixed) {
                *o += w * m;
            }
            let best = (0..3).fold(0, |b, k| if s.probs[k] > s.probs[b] { k } else { b });
            neg |= best == 0;
            pos |= best == 2;
        }
        out.chunks_disagree = neg && pos;
        out
    }
}
