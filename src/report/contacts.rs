//! The contacts section: buyer messages and threads per period and per product.

use super::data::Record;
use super::format::key_or;
use super::schema::{ContactCounts, ContactsSection, PeriodContacts, ProductContacts};
use super::stats::most_first;
use super::Basis;
use std::collections::{BTreeMap, BTreeSet};

/// Buyer messages and their distinct threads under one key.
type Tally<'a> = (u64, BTreeSet<&'a str>);

/// The section from the buyer messages (errors included).
pub fn build(b: &Basis) -> ContactsSection {
    let has_thread = b.has_thread();
    let none = Tally::default();
    let per_period = tally(b.buyer.iter().map(|&(r, d)| (b.period.start(d), r)));
    let by_period = b
        .periods
        .iter()
        .map(|&p| PeriodContacts {
            at: b.key(p),
            counts: counts(per_period.get(&p).unwrap_or(&none), has_thread),
        })
        .collect();
    let by_product = b.has_product().then(|| {
        let per = tally(
            b.buyer
                .iter()
                .map(|&(r, _)| (key_or(&r.product, "(none)"), r)),
        );
        let mut v: Vec<ProductContacts> = per
            .into_iter()
            .map(|(product, t)| ProductContacts {
                product,
                counts: counts(&t, has_thread),
            })
            .collect();
        most_first(&mut v, |p| (p.counts.buyer_messages, &p.product));
        v
    });
    let all = tally(b.buyer.iter().map(|&(r, _)| ((), r)));
    ContactsSection {
        // With no buyer message: 0 threads (not null) when there is a thread column.
        counts: counts(all.get(&()).unwrap_or(&none), has_thread),
        by_period,
        by_product,
    }
}

/// A tally as the report's counts (threads only with a thread column).
fn counts(t: &Tally, has_thread: bool) -> ContactCounts {
    ContactCounts {
        buyer_messages: t.0,
        threads: has_thread.then_some(t.1.len() as u64),
    }
}

/// Messages and distinct threads per key.
fn tally<'a, K: Ord>(rows: impl Iterator<Item = (K, &'a Record)>) -> BTreeMap<K, Tally<'a>> {
    let mut m: BTreeMap<K, Tally> = BTreeMap::new();
    for (k, r) in rows {
        let e = m.entry(k).or_default();
        e.0 += 1;
        if let Some(t) = r.thread.as_deref() {
            e.1.insert(t);
        }
    }
    m
}
