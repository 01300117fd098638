//! The buyer sentiment section: overall, per period, per language, per product and the most
//! negative messages.

use super::data::Record;
use super::format::{key_or, quote};
use super::schema::{GroupSentiment, NegativeMessage, PeriodSentiment, SentimentSection};
use super::stats::{count_by, most_first};
use super::Basis;
use crate::sentiment::{Sentiment, SentimentCounts};

/// How many of the most negative messages the report quotes.
pub const TOP_NEGATIVE: usize = 10;

/// The section from the labelled buyer messages.
pub fn build(b: &Basis) -> SentimentSection {
    let mut overall = SentimentCounts::default();
    for &(_, _, s) in &b.labelled {
        overall.add(s);
    }
    let per_period = count_by(b.labelled.iter().map(|&(_, d, s)| (b.period.start(d), s)));
    let by_period = b
        .periods
        .iter()
        .map(|&p| PeriodSentiment {
            at: b.key(p),
            sentiment: per_period.get(&p).copied().unwrap_or_default().into(),
        })
        .collect();
    let by_language = groups(
        b.labelled
            .iter()
            .map(|&(r, _, s)| (key_or(&r.language, "unknown"), s)),
    );
    let by_product = b.has_product().then(|| {
        groups(
            b.labelled
                .iter()
                .map(|&(r, _, s)| (key_or(&r.product, "(none)"), s)),
        )
    });
    let negatives = b
        .labelled
        .iter()
        .filter(|(_, _, s)| *s == Sentiment::Negative)
        .map(|(r, _, _)| *r);
    let scope = match (&b.columns.sender, &b.columns.buyer_value) {
        (Some(c), Some(v)) => format!("buyer messages ({c} = {v}), without errors"),
        _ => "all rows without errors (no sender column: every row counts as a buyer message)"
            .to_string(),
    };
    SentimentSection {
        scope,
        overall: overall.into(),
        by_period,
        by_language,
        by_product,
        top_negative: most_negative(negatives),
    }
}

/// The [`TOP_NEGATIVE`] most negative of `rows`, quoted: highest `p_negative` first, then
/// latest, then file order.
pub fn most_negative<'a>(rows: impl Iterator<Item = &'a Record>) -> Vec<NegativeMessage> {
    let mut rows: Vec<&Record> = rows.collect();
    rows.sort_by(|a, b| {
        let pa = a.p_negative.unwrap_or(f32::NEG_INFINITY);
        let pb = b.p_negative.unwrap_or(f32::NEG_INFINITY);
        pb.total_cmp(&pa)
            .then(b.time.cmp(&a.time))
            .then(a.line.cmp(&b.line))
    });
    rows.iter().take(TOP_NEGATIVE).map(|r| quoted(r)).collect()
}

/// The quoted form of a row.
fn quoted(r: &Record) -> NegativeMessage {
    NegativeMessage {
        line: r.line,
        date: r
            .time
            .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
            .unwrap_or_default(),
        p_negative: r.p_negative,
        product: r.product.clone(),
        thread: r.thread.clone(),
        text: quote(&r.text),
    }
}

/// Groups counts per key, most messages first (ties by key).
fn groups(items: impl IntoIterator<Item = (String, Sentiment)>) -> Vec<GroupSentiment> {
    let mut v: Vec<GroupSentiment> = count_by(items)
        .into_iter()
        .map(|(key, c)| GroupSentiment {
            key,
            sentiment: c.into(),
        })
        .collect();
    most_first(&mut v, |g| (g.sentiment.messages, &g.key));
    v
}
