//! The rows with errors (every one, never dropped) and the list of sections left out.

use super::data::Record;
use super::schema::{ErrorRow, ErrorsSection};
use super::Basis;
use std::collections::BTreeMap;

/// Every row with an error, in file order (`count` of them).
pub fn build(recs: &[Record], count: u64) -> ErrorsSection {
    ErrorsSection {
        count,
        rows: recs
            .iter()
            .filter_map(|r| {
                r.error.as_ref().map(|e| ErrorRow {
                    line: r.line,
                    error: e.clone(),
                })
            })
            .collect(),
    }
}

/// The sections left out, and why (the flags that would enable them).
pub fn omitted(b: &Basis, no_reasons: bool) -> BTreeMap<String, String> {
    let (has_thread, has_sender) = (b.has_thread(), b.has_sender());
    let mut omitted = BTreeMap::new();
    if no_reasons {
        omitted.insert(
            "reasons".to_string(),
            "no reasons: the labelled file has no reason values (a model without a reason head, or --no-reason)".to_string(),
        );
    }
    if !b.has_product() {
        let why = "no product column (use --product-column)".to_string();
        omitted.insert("sentiment.by_product".to_string(), why.clone());
        omitted.insert("contacts.by_product".to_string(), why);
    }
    if !has_thread {
        omitted.insert(
            "contacts.threads".to_string(),
            "no thread column (use --thread-column)".to_string(),
        );
    }
    if !(has_thread && has_sender) {
        let missing: Vec<&str> = [
            (!has_thread).then_some("--thread-column"),
            (!has_sender).then_some("--sender-column"),
        ]
        .into_iter()
        .flatten()
        .collect();
        omitted.insert(
            "response_time".to_string(),
            format!(
                "needs thread and sender columns (use {})",
                missing.join(" and ")
            ),
        );
    }
    omitted
}
