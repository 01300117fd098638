//! The "why buyers write" section: contacts and sentiment per reason (the `reason` column of
//! `sentir classify` with a model that has a reason head), each reason's 4-week trend,
//! reasons per product, and the most negative messages of the fastest-growing reason.

use super::data::Record;
use super::format::{day, key_or};
use super::schema::{NegativeMessage, SentimentFigures};
use super::sentiment::most_negative;
use super::stats::{most_first, round4, share, week_start};
use super::Basis;
use crate::model::heads::REASONS;
use crate::sentiment::{Sentiment, SentimentCounts};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;

/// Messages and their negative share over some weeks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct WindowFigures {
    /// Labelled buyer messages with this reason.
    pub messages: u64,
    /// Of them, negative.
    pub negative: u64,
    /// negative / messages (4 decimals; null without messages).
    pub negative_share: Option<f64>,
}

impl WindowFigures {
    fn add(&mut self, s: Sentiment) {
        self.messages += 1;
        if s == Sentiment::Negative {
            self.negative += 1;
        }
        self.negative_share = share(self.negative, self.messages);
    }
}

/// One week of a reason's trend.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReasonWeek {
    /// The Monday.
    pub week: String,
    /// The figures.
    #[serde(flatten)]
    pub figures: WindowFigures,
}

/// One reason.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReasonFigures {
    /// The reason (the fixed list, in its order).
    pub reason: String,
    /// Share of the section's messages with this reason (4 decimals).
    pub share: Option<f64>,
    /// Sentiment of its messages.
    pub sentiment: SentimentFigures,
    /// The 4 trend weeks, oldest first.
    pub weeks: Vec<ReasonWeek>,
    /// Over the 4 trend weeks.
    pub last_4_weeks: WindowFigures,
    /// Over the 4 weeks before.
    pub previous_4_weeks: WindowFigures,
    /// last_4_weeks.messages − previous_4_weeks.messages.
    pub messages_change: i64,
    /// last_4_weeks.negative_share − previous_4_weeks.negative_share (null if either is).
    pub negative_share_change: Option<f64>,
}

/// Reasons about one product.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ProductReasons {
    /// The product (`(none)` when empty).
    pub product: String,
    /// Its labelled buyer messages with a reason.
    pub messages: u64,
    /// Messages per reason (every reason of the list, zeros included).
    pub reasons: BTreeMap<String, u64>,
    /// The reason with the most messages (ties: first in the list).
    pub top_reason: String,
}

/// The reason whose messages grew most in the last 4 weeks.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FastestGrowing {
    /// The reason.
    pub reason: String,
    /// Its messages_change (> 0).
    pub messages_change: i64,
    /// Its most negative messages in the last 4 weeks (highest p_negative first).
    pub top_negative: Vec<NegativeMessage>,
}

/// Why buyers write.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReasonsSection {
    /// Which rows count.
    pub scope: String,
    /// Labelled buyer messages with a reason.
    pub messages: u64,
    /// Every reason of the list, in its order.
    pub by_reason: Vec<ReasonFigures>,
    /// Per product, most messages first (null without a product column).
    pub by_product: Option<Vec<ProductReasons>>,
    /// Null when no reason grew.
    pub fastest_growing: Option<FastestGrowing>,
}

/// A labelled buyer message with a reason: record, day, sentiment, index into [`REASONS`].
type ReasonRow<'a> = (&'a Record, NaiveDate, Sentiment, usize);

/// The section from the labelled buyer messages and the trend weeks; `None` when no
/// message has a reason.
pub fn build(b: &Basis) -> Option<ReasonsSection> {
    let rows: Vec<ReasonRow> = b
        .labelled
        .iter()
        .filter_map(|&(r, d, s)| {
            let i = REASONS
                .iter()
                .position(|x| Some(*x) == r.reason.as_deref())?;
            Some((r, d, s, i))
        })
        .collect();
    if rows.is_empty() {
        return None;
    }
    let (window, previous): (&[NaiveDate], &[NaiveDate]) = match &b.window {
        Some((w, p)) => (w, p),
        None => (&[], &[]),
    };
    let by_reason: Vec<ReasonFigures> = (0..REASONS.len())
        .map(|i| reason_figures(i, &rows, window, previous))
        .collect();
    let fastest_growing = fastest_growing(&by_reason, &rows, window);
    Some(ReasonsSection {
        scope: "labelled buyer messages with a reason (errors and empty reasons left out)".into(),
        messages: rows.len() as u64,
        by_product: b.has_product().then(|| by_product(&rows)),
        by_reason,
        fastest_growing,
    })
}

fn in_weeks(d: NaiveDate, weeks: &[NaiveDate]) -> bool {
    weeks.contains(&week_start(d))
}

/// The figures of reason `i` (of [`REASONS`]) over `rows`.
fn reason_figures(
    i: usize,
    rows: &[ReasonRow],
    window: &[NaiveDate],
    previous: &[NaiveDate],
) -> ReasonFigures {
    let mine: Vec<&ReasonRow> = rows.iter().filter(|r| r.3 == i).collect();
    let mut counts = SentimentCounts::default();
    let (mut last, mut prev) = (WindowFigures::default(), WindowFigures::default());
    let mut per_week: BTreeMap<NaiveDate, WindowFigures> = window
        .iter()
        .map(|w| (*w, WindowFigures::default()))
        .collect();
    for &&(_, d, s, _) in &mine {
        counts.add(s);
        if in_weeks(d, window) {
            last.add(s);
            if let Some(w) = per_week.get_mut(&week_start(d)) {
                w.add(s);
            }
        } else if in_weeks(d, previous) {
            prev.add(s);
        }
    }
    ReasonFigures {
        reason: REASONS[i].to_string(),
        share: share(mine.len() as u64, rows.len() as u64),
        sentiment: counts.into(),
        weeks: per_week
            .into_iter()
            .map(|(w, figures)| ReasonWeek {
                week: day(w),
                figures,
            })
            .collect(),
        last_4_weeks: last,
        previous_4_weeks: prev,
        messages_change: last.messages as i64 - prev.messages as i64,
        negative_share_change: match (last.negative_share, prev.negative_share) {
            (Some(a), Some(b)) => Some(round4(a - b)),
            _ => None,
        },
    }
}

/// Messages per reason for each product, most messages first.
fn by_product(rows: &[ReasonRow]) -> Vec<ProductReasons> {
    let mut m: BTreeMap<String, [u64; REASONS.len()]> = BTreeMap::new();
    for &(r, _, _, i) in rows {
        m.entry(key_or(&r.product, "(none)")).or_default()[i] += 1;
    }
    let mut v: Vec<ProductReasons> = m
        .into_iter()
        .map(|(product, counts)| {
            let top = (0..counts.len()).fold(0, |b, k| if counts[k] > counts[b] { k } else { b });
            ProductReasons {
                product,
                messages: counts.iter().sum(),
                reasons: REASONS
                    .iter()
                    .zip(counts)
                    .map(|(r, n)| (r.to_string(), n))
                    .collect(),
                top_reason: REASONS[top].to_string(),
            }
        })
        .collect();
    most_first(&mut v, |p| (p.messages, &p.product));
    v
}

/// The reason that grew most (ties: first in the list) with its most negative messages of
/// the last 4 weeks; `None` when none grew.
fn fastest_growing(
    by_reason: &[ReasonFigures],
    rows: &[ReasonRow],
    window: &[NaiveDate],
) -> Option<FastestGrowing> {
    let (i, f) = by_reason
        .iter()
        .enumerate()
        .filter(|(_, f)| f.messages_change > 0)
        .max_by(|a, b| {
            a.1.messages_change
                .cmp(&b.1.messages_change)
                .then(b.0.cmp(&a.0))
        })?;
    let negative = rows
        .iter()
        .filter(|r| r.3 == i && r.2 == Sentiment::Negative && in_weeks(r.1, window))
        .map(|r| r.0);
    Some(FastestGrowing {
        reason: f.reason.clone(),
        messages_change: f.messages_change,
        top_negative: most_negative(negative),
    })
}
