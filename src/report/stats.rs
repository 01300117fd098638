//! The report's figures: pure functions over plain values (no I/O), unit-tested here.
//!
//! Conventions:
//! - Periods are UTC days, or ISO weeks (Monday to Sunday) named by their Monday.
//! - Shares are fractions of the messages counted (0.25 = 25 %), rounded to 4 decimals.
//! - Response time of a buyer message: the time until the next seller message in the same
//!   thread that comes after it (messages ordered by time, then by position in the file);
//!   a buyer message with no later seller message is unanswered.
//! - Percentiles use the nearest-rank method: the p-th percentile of n sorted values is the
//!   value at 1-based rank ⌈p·n/100⌉ (so the median of 4 values is the 2nd, and p90 of 10
//!   values is the 9th). Every reported percentile is one of the observed values.

use crate::sentiment::{Sentiment, SentimentCounts};
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// The length of a report period.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Period {
    /// A UTC day.
    Day,
    /// An ISO week, Monday to Sunday, named by its Monday.
    Week,
}

impl Period {
    /// The first day of the period holding `d`.
    pub fn start(self, d: NaiveDate) -> NaiveDate {
        match self {
            Period::Day => d,
            Period::Week => week_start(d),
        }
    }

    /// The first day of the next period (for a period start `d`).
    pub fn next(self, d: NaiveDate) -> NaiveDate {
        match self {
            Period::Day => d + Duration::days(1),
            Period::Week => d + Duration::days(7),
        }
    }

    /// `day` or `week`.
    pub fn as_str(self) -> &'static str {
        match self {
            Period::Day => "day",
            Period::Week => "week",
        }
    }
}

/// The Monday of the ISO week holding `d`.
pub fn week_start(d: NaiveDate) -> NaiveDate {
    d - Duration::days(d.weekday().num_days_from_monday() as i64)
}

/// Every period from the one holding `first` to the one holding `last`, empty ones included
/// (so gaps show in trends).
pub fn periods(first: NaiveDate, last: NaiveDate, period: Period) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    let end = period.start(last);
    let mut p = period.start(first);
    while p <= end {
        out.push(p);
        p = period.next(p);
    }
    out
}

/// `part / whole` rounded to 4 decimals; `None` when `whole` is 0.
pub fn share(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| round4(part as f64 / whole as f64))
}

/// Rounds to 4 decimals.
pub fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// Counts sentiments per key.
pub fn count_by<K: Ord>(
    items: impl IntoIterator<Item = (K, Sentiment)>,
) -> BTreeMap<K, SentimentCounts> {
    let mut out: BTreeMap<K, SentimentCounts> = BTreeMap::new();
    for (k, s) in items {
        out.entry(k).or_default().add(s);
    }
    out
}

/// One message, as response times need it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message<'a> {
    /// Thread id.
    pub thread: &'a str,
    /// When it was sent.
    pub time: NaiveDateTime,
    /// Position in the file (breaks ties between equal times).
    pub order: u64,
    /// Sent by the buyer (else by the seller side).
    pub buyer: bool,
}

/// For each message, in input order: for a buyer message, `Some(Some(seconds))` until the
/// next later seller message in its thread or `Some(None)` if there is none (unanswered);
/// `None` for seller messages. Consecutive buyer messages before one reply each get their
/// own time to that reply.
pub fn response_times(msgs: &[Message]) -> Vec<Option<Option<i64>>> {
    let mut threads: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, m) in msgs.iter().enumerate() {
        threads.entry(m.thread).or_default().push(i);
    }
    let mut out = vec![None; msgs.len()];
    for idx in threads.values_mut() {
        idx.sort_by_key(|&i| (msgs[i].time, msgs[i].order));
        let mut next_reply: Option<NaiveDateTime> = None;
        for &i in idx.iter().rev() {
            let m = &msgs[i];
            if m.buyer {
                out[i] = Some(next_reply.map(|t| (t - m.time).num_seconds()));
            } else {
                next_reply = Some(m.time);
            }
        }
    }
    out
}

/// Sorts groups most messages first, ties by key: the order of every per-group table.
pub fn most_first<T>(v: &mut [T], count_and_key: impl Fn(&T) -> (u64, &str)) {
    v.sort_by(|a, b| {
        let ((na, ka), (nb, kb)) = (count_and_key(a), count_and_key(b));
        nb.cmp(&na).then(ka.cmp(kb))
    });
}

/// The nearest-rank percentile `p` (0–100) of `sorted` (ascending): the value at 1-based
/// rank ⌈p·n/100⌉, at least 1. `None` for no values.
pub fn nearest_rank<T: Copy>(sorted: &[T], p: u32) -> Option<T> {
    let n = sorted.len() as u64;
    if n == 0 {
        return None;
    }
    let rank = (p as u64 * n).div_ceil(100).clamp(1, n);
    Some(sorted[(rank - 1) as usize])
}

/// Response-time figures for a set of buyer messages.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ResponseStats {
    /// Buyer messages considered.
    pub buyer_messages: u64,
    /// Those with a later seller reply in their thread.
    pub answered: u64,
    /// Those without.
    pub unanswered: u64,
    /// Nearest-rank median of the answered ones, in seconds.
    pub median_seconds: Option<i64>,
    /// Nearest-rank 90th percentile of the answered ones, in seconds.
    pub p90_seconds: Option<i64>,
}

/// Summarises the response times of some buyer messages (`None` = unanswered).
pub fn response_stats(times: &[Option<i64>]) -> ResponseStats {
    let mut answered: Vec<i64> = times.iter().flatten().copied().collect();
    answered.sort_unstable();
    ResponseStats {
        buyer_messages: times.len() as u64,
        answered: answered.len() as u64,
        unanswered: (times.len() - answered.len()) as u64,
        median_seconds: nearest_rank(&answered, 50),
        p90_seconds: nearest_rank(&answered, 90),
    }
}

/// The weeks of the trend window: the 4 ISO weeks ending with the week holding `last`, and
/// the 4 weeks before them. Returns (window weeks, previous weeks), oldest first.
pub fn trend_weeks(last: NaiveDate) -> (Vec<NaiveDate>, Vec<NaiveDate>) {
    let end = week_start(last);
    let window = (0..4).rev().map(|k| end - Duration::weeks(k)).collect();
    let previous = (4..8).rev().map(|k| end - Duration::weeks(k)).collect();
    (window, previous)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }
    fn t(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn weeks_start_on_monday() {
        // 2026-10-05 is a Monday.
        assert_eq!(week_start(d("2026-10-05")), d("2026-10-05"));
        assert_eq!(week_start(d("2026-10-11")), d("2026-10-05"));
        assert_eq!(week_start(d("2026-10-12")), d("2026-10-12"));
        assert_eq!(week_start(d("2027-01-01")), d("2026-12-28"));
        assert_eq!(
            periods(d("2026-10-07"), d("2026-10-20"), Period::Week),
            [d("2026-10-05"), d("2026-10-12"), d("2026-10-19")]
        );
        assert_eq!(
            periods(d("2026-10-07"), d("2026-10-09"), Period::Day).len(),
            3
        );
    }

    #[test]
    fn counts_and_shares() {
        use Sentiment::*;
        let by = count_by([
            ("a", Negative),
            ("b", Positive),
            ("a", Neutral),
            ("a", Negative),
        ]);
        assert_eq!(
            by["a"],
            SentimentCounts {
                negative: 2,
                neutral: 1,
                positive: 0
            }
        );
        let share_of = |c: &SentimentCounts, s| share(c.get(s), c.total());
        assert_eq!(share_of(&by["a"], Negative), Some(0.6667));
        assert_eq!(share_of(&by["b"], Positive), Some(1.0));
        assert_eq!(share_of(&SentimentCounts::default(), Negative), None);
    }

    #[test]
    fn nearest_rank_percentiles() {
        let v: Vec<i64> = (1..=10).collect();
        assert_eq!(nearest_rank(&v, 50), Some(5));
        assert_eq!(nearest_rank(&v, 90), Some(9));
        assert_eq!(nearest_rank(&v, 100), Some(10));
        assert_eq!(nearest_rank(&v, 0), Some(1));
        assert_eq!(nearest_rank(&[7], 90), Some(7));
        assert_eq!(nearest_rank(&[1, 2, 3, 4], 50), Some(2));
        assert_eq!(nearest_rank(&[10, 20, 30], 90), Some(30));
        assert_eq!(nearest_rank::<i64>(&[], 50), None);
    }

    #[test]
    fn response_times_per_thread() {
        let m = |thread, time, order, buyer| Message {
            thread,
            time: t(time),
            order,
            buyer,
        };
        let msgs = vec![
            m("A", "2026-10-05 09:00", 1, true),  // -> seller 10:30: 5400 s
            m("B", "2026-10-05 09:10", 2, true),  // never answered
            m("A", "2026-10-05 09:20", 3, true),  // -> seller 10:30: 4200 s
            m("A", "2026-10-05 10:30", 4, false), // reply
            m("A", "2026-10-05 11:00", 5, true),  // -> seller 11:00 (same time, later line): 0 s
            m("A", "2026-10-05 11:00", 6, false),
            m("A", "2026-10-05 12:00", 7, true), // unanswered (no later seller message)
            m("C", "2026-10-06 08:00", 9, false), // seller before the buyer: does not count
            m("C", "2026-10-05 23:00", 8, true), // -> seller next day 08:00: 32400 s
        ];
        let r = response_times(&msgs);
        assert_eq!(
            r,
            [
                Some(Some(5400)),
                Some(None),
                Some(Some(4200)),
                None,
                Some(Some(0)),
                None,
                Some(None),
                None,
                Some(Some(32400)),
            ]
        );
        let times: Vec<Option<i64>> = r.into_iter().flatten().collect();
        let s = response_stats(&times);
        assert_eq!(s.buyer_messages, 6);
        assert_eq!((s.answered, s.unanswered), (4, 2));
        // Sorted answered: [0, 4200, 5400, 32400]; median rank ⌈0.5·4⌉ = 2, p90 rank ⌈0.9·4⌉ = 4.
        assert_eq!(s.median_seconds, Some(4200));
        assert_eq!(s.p90_seconds, Some(32400));
    }

    #[test]
    fn trend_window_is_four_weeks_back_from_the_last() {
        let (w, p) = trend_weeks(d("2026-11-04")); // a Wednesday
        assert_eq!(
            w,
            [
                d("2026-10-12"),
                d("2026-10-19"),
                d("2026-10-26"),
                d("2026-11-02")
            ]
        );
        assert_eq!(p[0], d("2026-09-14"));
        assert_eq!(p[3], d("2026-10-05"));
    }
}
