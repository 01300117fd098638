//! The page's sections between the key figures and the errors: sentiment per period, the
//! trend table, per product and language, contacts, response times, the most negative
//! messages.

use super::super::format::{duration, esc, pct};
use super::super::schema::{NegativeMessage, Report, SentimentFigures};
use super::charts::{contacts_chart, legend, response_chart, sentiment_chart};
use super::groups::groups_chart;
use std::fmt::Write;

/// Buyer sentiment per period.
pub fn sentiment(h: &mut String, r: &Report) {
    let _ = write!(
        h,
        r#"<section id="sentiment"><h2>Buyer sentiment per {}</h2><p class="note">Share of {}. {}</p>{}{}</section>"#,
        r.period.as_str(),
        esc(&r.sentiment.scope),
        r.trend
            .as_ref()
            .map(|t| format!("Shaded: the last 4 weeks ({} to {}).", t.from, t.to))
            .unwrap_or_default(),
        legend(),
        if r.sentiment.by_period.is_empty() {
            r#"<p class="empty-note">No buyer messages.</p>"#.to_string()
        } else {
            sentiment_chart(r)
        }
    );
}

/// The 4-week trend table.
pub fn trend(h: &mut String, r: &Report) {
    if let Some(t) = &r.trend {
        h.push_str(r#"<section id="trend"><h2>4-week trend</h2><p class="note">The 4 ISO weeks ending with the week of the latest buyer message, against the 4 weeks before.</p><table><thead><tr><th>Week of</th><th class="num">Messages</th><th class="num">Negative</th><th class="num">Neutral</th><th class="num">Positive</th><th class="num">Negative share</th><th class="num">Contacts</th><th class="num">Median response</th></tr></thead><tbody>"#);
        for w in &t.weeks {
            let _ = write!(
                h,
                r#"<tr class="trend"><td>{}</td>{}<td class="num">{}</td><td class="num">{}</td></tr>"#,
                w.week,
                sentiment_cells(&w.sentiment).replace("<td>", r#"<td class="num">"#),
                w.buyer_messages,
                esc(&duration(w.median_response_seconds))
            );
        }
        for (name, s) in [
            ("Last 4 weeks", &t.last_4_weeks),
            ("Previous 4 weeks", &t.previous_4_weeks),
        ] {
            let _ = write!(
                h,
                r#"<tr><th>{name}</th>{}<td></td><td></td></tr>"#,
                sentiment_cells(s).replace("<td>", r#"<td class="num">"#)
            );
        }
        h.push_str("</tbody></table></section>");
    }
}

/// Sentiment by product (with a product column) and by language.
pub fn groups(h: &mut String, r: &Report) {
    if let Some(p) = &r.sentiment.by_product {
        let _ = write!(
            h,
            r#"<section id="products"><h2>Buyer sentiment by product</h2><p class="note">Share per product; the number is the labelled buyer messages.</p>{}{}</section>"#,
            legend(),
            groups_chart("chart-products", "Buyer sentiment by product", p)
        );
    }
    let _ = write!(
        h,
        r#"<section id="languages"><h2>Buyer sentiment by language</h2><p class="note">Language of each message (<code>und</code>: not sure; <code>unknown</code>: none given).</p>{}</section>"#,
        groups_chart(
            "chart-languages",
            "Buyer sentiment by language",
            &r.sentiment.by_language
        )
    );
}

/// Contacts per period and per product.
pub fn contacts(h: &mut String, r: &Report) {
    let _ = write!(
        h,
        r#"<section id="contacts"><h2>Contacts per {}</h2><p class="note">Buyer messages (bars, rows with errors included){}.</p>{}"#,
        r.period.as_str(),
        if r.contacts.counts.threads.is_some() {
            " and threads with a buyer message (line)"
        } else {
            ""
        },
        if r.contacts.by_period.is_empty() {
            String::new()
        } else {
            contacts_chart(r)
        }
    );
    if let Some(ps) = &r.contacts.by_product {
        h.push_str(r#"<table><thead><tr><th>Product</th><th class="num">Buyer messages</th><th class="num">Threads</th></tr></thead><tbody>"#);
        for p in ps {
            let _ = write!(
                h,
                r#"<tr><td>{}</td><td class="num">{}</td><td class="num">{}</td></tr>"#,
                esc(&p.product),
                p.counts.buyer_messages,
                p.counts
                    .threads
                    .map(|t| t.to_string())
                    .unwrap_or_else(|| "–".into())
            );
        }
        h.push_str("</tbody></table>");
    }
    h.push_str("</section>");
}

/// Response times per period.
pub fn response(h: &mut String, r: &Report) {
    if let Some(rt) = &r.response_time {
        let _ = write!(
            h,
            r#"<section id="response"><h2>Response time per {}</h2><p class="note">Median (dark) and 90th percentile (light) per {} of the buyer message. Response time: {}. Percentiles: {}.</p>{}"#,
            r.period.as_str(),
            r.period.as_str(),
            esc(&rt.definition),
            esc(&rt.percentile_method),
            response_chart(r)
        );
        h.push_str(r#"<table><thead><tr><th>Period</th><th class="num">Buyer messages</th><th class="num">Answered</th><th class="num">Unanswered</th><th class="num">Median</th><th class="num">p90</th></tr></thead><tbody>"#);
        for p in &rt.by_period {
            let _ = write!(
                h,
                r#"<tr{}><td>{}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td></tr>"#,
                if p.at.in_trend {
                    r#" class="trend""#
                } else {
                    ""
                },
                p.at.period,
                p.stats.buyer_messages,
                p.stats.answered,
                p.stats.unanswered,
                esc(&duration(p.stats.median_seconds)),
                esc(&duration(p.stats.p90_seconds))
            );
        }
        let _ = write!(
            h,
            r#"<tr><th>All</th><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td></tr></tbody></table></section>"#,
            rt.overall.buyer_messages,
            rt.overall.answered,
            rt.overall.unanswered,
            esc(&duration(rt.overall.median_seconds)),
            esc(&duration(rt.overall.p90_seconds))
        );
    }
}

/// The most negative buyer messages.
pub fn negative(h: &mut String, r: &Report) {
    h.push_str(r#"<section id="negative"><h2>Most negative buyer messages</h2>"#);
    if r.sentiment.top_negative.is_empty() {
        h.push_str(r#"<p class="empty-note">No negative buyer messages.</p>"#);
    } else {
        negative_table(h, "negative-table", &r.line_unit, &r.sentiment.top_negative);
    }
    h.push_str("</section>");
}

/// A table of quoted negative messages (line, date, product, p(neg), text).
pub fn negative_table(h: &mut String, id: &str, unit: &str, rows: &[NegativeMessage]) {
    let _ = write!(
        h,
        r#"<table id="{id}"><thead><tr><th>{}</th><th>Date</th><th>Product</th><th class="num">p(neg)</th><th>Message</th></tr></thead><tbody>"#,
        esc(unit)
    );
    for m in rows {
        let _ = write!(
            h,
            r#"<tr><td class="num">{}</td><td class="nowrap">{}</td><td>{}</td><td class="num">{}</td><td>{}</td></tr>"#,
            m.line,
            esc(&m.date),
            esc(m.product.as_deref().unwrap_or("")),
            m.p_negative.map(|p| format!("{p:.2}")).unwrap_or_default(),
            esc(m.text.as_deref().unwrap_or(""))
        );
    }
    h.push_str("</tbody></table>");
}

fn sentiment_cells(s: &SentimentFigures) -> String {
    format!(
        "<td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>",
        s.messages,
        s.negative,
        s.neutral,
        s.positive,
        pct(s.negative_share)
    )
}
