//! The page's "why buyers write" section.

use super::super::format::{esc, pct};
use super::super::reasons::{ProductReasons, ReasonsSection};
use super::super::schema::GroupSentiment;
use super::super::stats::most_first;
use super::charts::legend;
use super::groups::{groups_chart, MAX_GROUPS};
use super::sections::negative_table;
use std::fmt::Write;

/// "Why buyers write": sentiment per reason (chart), the 4-week trend per reason, reasons
/// per product and the most negative messages of the fastest-growing reason.
pub fn section(h: &mut String, rs: &ReasonsSection, unit: &str) {
    let groups: Vec<GroupSentiment> = rs
        .by_reason
        .iter()
        .filter(|f| f.sentiment.messages > 0)
        .map(|f| GroupSentiment {
            key: f.reason.clone(),
            sentiment: f.sentiment,
        })
        .collect();
    let signed = |x: i64| {
        if x > 0 {
            format!("+{x}")
        } else {
            x.to_string()
        }
    };
    let _ = write!(
        h,
        r#"<section id="reasons"><h2>Why buyers write</h2><p class="note">Reason of each labelled buyer message ({} messages), with its sentiment; the trend compares the last 4 weeks with the 4 before.</p>{}{}"#,
        rs.messages,
        legend(),
        groups_chart("chart-reasons", "Buyer sentiment by reason", &groups)
    );
    h.push_str(r#"<table id="reason-table"><thead><tr><th>Reason</th><th class="num">Messages</th><th class="num">Share</th><th class="num">Negative share</th><th class="num">Last 4 weeks</th><th class="num">Change</th><th class="num">Negative share change</th></tr></thead><tbody>"#);
    for f in &rs.by_reason {
        let _ = write!(
            h,
            r#"<tr data-reason="{}"><td>{}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td></tr>"#,
            esc(&f.reason),
            esc(&f.reason),
            f.sentiment.messages,
            pct(f.share),
            pct(f.sentiment.negative_share),
            f.last_4_weeks.messages,
            signed(f.messages_change),
            f.negative_share_change
                .map(|c| format!("{:+.1} pts", c * 100.0))
                .unwrap_or_else(|| "–".into())
        );
    }
    h.push_str("</tbody></table>");
    if let Some(products) = &rs.by_product {
        product_table(h, products);
    }
    match &rs.fastest_growing {
        Some(g) => {
            let _ = write!(
                h,
                r#"<h3>Fastest-growing reason: <code>{}</code> ({} messages)</h3>"#,
                esc(&g.reason),
                signed(g.messages_change)
            );
            if g.top_negative.is_empty() {
                h.push_str(r#"<p class="empty-note">No negative messages with this reason in the last 4 weeks.</p>"#);
            } else {
                negative_table(h, "reason-negative", unit, &g.top_negative);
            }
        }
        None => h.push_str(r#"<p class="empty-note">No reason grew in the last 4 weeks.</p>"#),
    }
    h.push_str("</section>");
}

/// The reasons of each product (the first [`MAX_GROUPS`]), most frequent first.
fn product_table(h: &mut String, products: &[ProductReasons]) {
    h.push_str(r#"<h3>Reasons per product</h3><table id="reason-products"><thead><tr><th>Product</th><th class="num">Messages</th><th>Top reason</th><th>Reasons</th></tr></thead><tbody>"#);
    for p in products.iter().take(MAX_GROUPS) {
        let mut parts: Vec<(&String, &u64)> = p.reasons.iter().filter(|(_, n)| **n > 0).collect();
        most_first(&mut parts, |&(r, &n)| (n, r));
        let list: Vec<String> = parts
            .iter()
            .map(|(r, n)| format!("{} {n}", esc(r)))
            .collect();
        let _ = write!(
            h,
            r#"<tr><td>{}</td><td class="num">{}</td><td>{}</td><td>{}</td></tr>"#,
            esc(&p.product),
            p.messages,
            esc(&p.top_reason),
            list.join(", ")
        );
    }
    h.push_str("</tbody></table>");
}
