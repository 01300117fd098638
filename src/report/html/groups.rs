//! One horizontal 100 % sentiment bar per group (product, language, reason).

use super::super::format::esc;
use super::super::schema::GroupSentiment;
use super::charts::{colour, svg_open, W};
use crate::sentiment::Sentiment;
use std::fmt::Write;

/// Most groups (products, languages) drawn in a chart; all are in report.json.
pub const MAX_GROUPS: usize = 12;

/// One horizontal 100 % bar per group (product or language).
pub fn groups_chart(id: &str, label: &str, groups: &[GroupSentiment]) -> String {
    let shown = &groups[..groups.len().min(MAX_GROUPS)];
    let row = 26.0;
    let (left, right) = (200.0, 60.0);
    let width = W - left - right;
    let height = row * shown.len().max(1) as f64 + 8.0;
    let mut svg = svg_open(id, height, label);
    for (i, g) in shown.iter().enumerate() {
        let y = 4.0 + i as f64 * row;
        let name: String = if g.key.chars().count() > 30 {
            g.key.chars().take(29).chain(['…']).collect()
        } else {
            g.key.clone()
        };
        let _ = write!(
            svg,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="end" class="label">{}</text>"#,
            left - 8.0,
            y + row / 2.0 + 4.0,
            esc(&name)
        );
        let total = g.sentiment.messages.max(1);
        let mut x = left;
        for s in Sentiment::ALL {
            let n = g.sentiment.count(s);
            if n == 0 {
                continue;
            }
            let w = width * n as f64 / total as f64;
            let _ = write!(
                svg,
                r#"<rect class="bar" data-series="{s}" data-group="{}" data-count="{n}" x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{:.1}" fill="{}"><title>{}: {n} of {} {s}</title></rect>"#,
                esc(&g.key),
                row - 8.0,
                colour(s),
                esc(&g.key),
                g.sentiment.messages
            );
            x += w;
        }
        let _ = write!(
            svg,
            r#"<text x="{:.1}" y="{:.1}" class="label sub">{}</text>"#,
            left + width + 6.0,
            y + row / 2.0 + 4.0,
            g.sentiment.messages
        );
    }
    svg.push_str("</svg>");
    if groups.len() > shown.len() {
        let _ = write!(
            svg,
            r#"<p class="note">Showing the {} largest of {}; all are in report.json.</p>"#,
            shown.len(),
            groups.len()
        );
    }
    svg
}
