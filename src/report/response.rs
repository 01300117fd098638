//! The response time section: how long buyers wait for the seller, per period.

use super::schema::{PeriodResponse, ResponseSection, PERCENTILE_METHOD, RESPONSE_DEFINITION};
use super::stats::{response_stats, response_times, week_start, Message};
use super::Basis;
use chrono::NaiveDate;
use std::collections::{BTreeMap, HashMap};

/// Median response time per ISO week (by its Monday), for the trend.
pub type WeekMedians = HashMap<NaiveDate, Option<i64>>;

/// The section (`None` without thread and sender columns) and the weekly medians the trend
/// shows. Every dated message with a thread takes part.
pub fn build(b: &Basis) -> (Option<ResponseSection>, WeekMedians) {
    let mut week_medians = WeekMedians::new();
    if !(b.has_thread() && b.has_sender()) {
        return (None, week_medians);
    }
    let msgs: Vec<Message> = b
        .dated()
        .filter_map(|(r, t)| {
            r.thread.as_deref().map(|th| Message {
                thread: th,
                time: t,
                order: r.line,
                buyer: r.buyer,
            })
        })
        .collect();
    let times = response_times(&msgs);
    let buyer_times: Vec<(NaiveDate, Option<i64>)> = msgs
        .iter()
        .zip(&times)
        .filter_map(|(m, t)| t.map(|t| (m.time.date(), t)))
        .collect();
    let mut per: BTreeMap<NaiveDate, Vec<Option<i64>>> = BTreeMap::new();
    let mut per_week: BTreeMap<NaiveDate, Vec<Option<i64>>> = BTreeMap::new();
    for &(d, t) in &buyer_times {
        per.entry(b.period.start(d)).or_default().push(t);
        per_week.entry(week_start(d)).or_default().push(t);
    }
    for (w, ts) in &per_week {
        week_medians.insert(*w, response_stats(ts).median_seconds);
    }
    let all: Vec<Option<i64>> = buyer_times.iter().map(|&(_, t)| t).collect();
    let section = ResponseSection {
        definition: RESPONSE_DEFINITION.to_string(),
        percentile_method: PERCENTILE_METHOD.to_string(),
        overall: response_stats(&all),
        by_period: b
            .periods
            .iter()
            .map(|&p| PeriodResponse {
                at: b.key(p),
                stats: response_stats(per.get(&p).map(Vec::as_slice).unwrap_or_default()),
            })
            .collect(),
    };
    (Some(section), week_medians)
}
