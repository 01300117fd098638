//! The contacts section: buyer messages and threads per period and per product.

use super::data::Record;
use super::format::{day, key_or};
use super::schema::{ContactsSection, PeriodContacts, ProductContacts};
use super::Basis;
use std::collections::{BTreeMap, BTreeSet};

/// Buyer messages and their distinct threads under one key.
type Tally<'a> = (u64, BTreeSet<&'a str>);

/// The section from the buyer messages (errors included).
pub fn build(b: &Basis) -> ContactsSection {
    let has_thread = b.has_thread();
    let per_period = tally(b.buyer.iter().map(|&(r, d)| (b.period.start(d), r)));
    let by_period = b
        .periods
        .iter()
        .map(|&p| {
            let (n, t) = per_period.get(&p).cloned().unwrap_or_default();
            PeriodContacts {
                period: day(p),
                in_trend: b.in_trend(p),
                buyer_messages: n,
                threads: has_thread.then_some(t.len() as u64),
            }
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
            .map(|(product, (n, t))| ProductContacts {
                product,
                buyer_messages: n,
                threads: has_thread.then_some(t.len() as u64),
            })
            .collect();
        v.sort_by(|a, b| {
            b.buyer_messages
                .cmp(&a.buyer_messages)
                .then(a.product.cmp(&b.product))
        });
        v
    });
    let threads = b
        .buyer
        .iter()
        .filter_map(|&(r, _)| r.thread.as_deref())
        .collect::<BTreeSet<_>>()
        .len() as u64;
    ContactsSection {
        buyer_messages: b.buyer.len() as u64,
        threads: has_thread.then_some(threads),
        by_period,
        by_product,
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
