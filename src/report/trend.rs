//! The 4-week trend: the last 4 ISO weeks against the 4 before (always weekly).

use super::format::day;
use super::response::WeekMedians;
use super::schema::{SentimentFigures, Trend, TrendWeek};
use super::stats::{count_by, round4, week_start};
use super::Basis;
use crate::sentiment::SentimentCounts;
use chrono::{Duration, NaiveDate};
use std::collections::HashMap;

/// The trend (`None` without buyer messages), with each week's median response time.
pub fn build(b: &Basis, week_medians: &WeekMedians) -> Option<Trend> {
    let (weeks, previous) = b.window.as_ref()?;
    let weekly = count_by(b.labelled.iter().map(|&(_, d, s)| (week_start(d), s)));
    let mut weekly_contacts: HashMap<NaiveDate, u64> = HashMap::new();
    for &(_, d) in &b.buyer {
        *weekly_contacts.entry(week_start(d)).or_default() += 1;
    }
    let sum = |ws: &[NaiveDate]| {
        let mut c = SentimentCounts::default();
        for w in ws {
            if let Some(x) = weekly.get(w) {
                c.merge(x);
            }
        }
        SentimentFigures::from(c)
    };
    let last_4_weeks = sum(weeks);
    let previous_4_weeks = sum(previous);
    Some(Trend {
        from: day(weeks[0]),
        to: day(weeks[3] + Duration::days(6)),
        weeks: weeks
            .iter()
            .map(|w| TrendWeek {
                week: day(*w),
                sentiment: weekly.get(w).copied().unwrap_or_default().into(),
                buyer_messages: weekly_contacts.get(w).copied().unwrap_or(0),
                median_response_seconds: week_medians.get(w).copied().flatten(),
            })
            .collect(),
        negative_share_change: match (last_4_weeks.negative_share, previous_4_weeks.negative_share)
        {
            (Some(a), Some(b)) => Some(round4(a - b)),
            _ => None,
        },
        last_4_weeks,
        previous_4_weeks,
    })
}
