//! report.html: one self-contained page (inline CSS, inline SVG charts drawn in
//! [`charts`], a few lines of inline script), with every figure embedded. It loads nothing:
//! no network, no CDN, no fonts or images from elsewhere, so it opens from disk in any
//! browser.
//!
//! Chart elements carry `data-*` attributes (`data-series`, `data-period`, `data-count`…)
//! so tests and scripts can read the drawn values back; the inline script marks the page
//! with `data-rendered="1"` and the number of charts once it has run.

pub mod charts;
pub mod groups;
mod reasons;
mod sections;

use super::format::{duration, esc, pct};
use super::schema::Report;
use std::fmt::Write;

/// Most error rows listed in the page; all are in report.json.
const MAX_ERRORS_SHOWN: usize = 200;

/// The page's style sheet (the leading line break keeps the page as it was written).
const STYLE: &str = concat!("\n", include_str!("report.css"));

/// The inline script: marks the page rendered, with the number of charts and marks.
const SCRIPT: &str = r#"
(function () {
  var charts = document.querySelectorAll('svg.chart');
  var bars = document.querySelectorAll('svg.chart [data-series]');
  document.body.setAttribute('data-charts', String(charts.length));
  document.body.setAttribute('data-chart-marks', String(bars.length));
  document.body.setAttribute('data-rendered', '1');
})();
"#;

/// Renders the whole page.
pub fn render(r: &Report) -> String {
    let mut h = String::with_capacity(64 * 1024);
    header(&mut h, r);
    key_figures(&mut h, r);
    sections::sentiment(&mut h, r);
    sections::trend(&mut h, r);
    sections::groups(&mut h, r);
    if let Some(rs) = &r.reasons {
        reasons::section(&mut h, rs, &r.line_unit);
    }
    sections::contacts(&mut h, r);
    sections::response(&mut h, r);
    sections::negative(&mut h, r);
    errors(&mut h, r);
    omitted(&mut h, r);
    footer(&mut h, r);
    h
}

/// The document head and the page header (input, date range, period, rows).
fn header(h: &mut String, r: &Report) {
    let title = format!("Buyer inbox report — {}", r.input);
    let _ = write!(
        h,
        r#"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="sentir {}"><title>{}</title><style>{STYLE}</style></head>
<body data-rendered="0"><header><h1>Buyer inbox report</h1><p class="meta">"#,
        esc(&r.sentir_version),
        esc(&title)
    );
    let range = r
        .date_range
        .as_ref()
        .map(|d| format!("{} → {} UTC", d.first, d.last))
        .unwrap_or_else(|| "no dated messages".into());
    let _ = write!(
        h,
        "{} · {} · per {} · {} rows</p></header><main>",
        esc(&r.input),
        esc(&range),
        r.period.as_str(),
        r.rows.total
    );
}

/// The key figures: one card each.
fn key_figures(h: &mut String, r: &Report) {
    h.push_str(r#"<section class="kpis">"#);
    let o = &r.sentiment.overall;
    kpi(
        h,
        "buyer",
        "Labelled buyer messages",
        &o.messages.to_string(),
        &format!(
            "{} negative · {} neutral · {} positive",
            pct(o.negative_share),
            pct(o.neutral_share),
            pct(o.positive_share)
        ),
    );
    if let Some(t) = &r.trend {
        let change = match t.negative_share_change {
            Some(c) if c > 0.0 => format!(
                r#"<span class="up">▲ {:+.1} pts</span> vs previous 4 weeks"#,
                c * 100.0
            ),
            Some(c) if c < 0.0 => format!(
                r#"<span class="down">▼ {:+.1} pts</span> vs previous 4 weeks"#,
                c * 100.0
            ),
            Some(_) => "no change vs previous 4 weeks".to_string(),
            None => "no data for the previous 4 weeks".to_string(),
        };
        kpi(
            h,
            "trend",
            "Negative, last 4 weeks",
            &pct(t.last_4_weeks.negative_share),
            &change,
        );
    }
    if let Some(rt) = &r.response_time {
        kpi(
            h,
            "response",
            "Median response",
            &duration(rt.overall.median_seconds),
            &format!("p90 {}", esc(&duration(rt.overall.p90_seconds))),
        );
        kpi(
            h,
            "unanswered",
            "Unanswered",
            &rt.overall.unanswered.to_string(),
            &format!("of {} buyer messages", rt.overall.buyer_messages),
        );
    }
    if let Some(t) = r.contacts.counts.threads {
        kpi(
            h,
            "threads",
            "Threads",
            &t.to_string(),
            &format!("{} buyer messages", r.contacts.counts.buyer_messages),
        );
    }
    kpi(
        h,
        "errors",
        "Rows with errors",
        &r.errors.count.to_string(),
        "not labelled; listed below",
    );
    h.push_str("</section>");
}

/// The rows with errors (the first [`MAX_ERRORS_SHOWN`]).
fn errors(h: &mut String, r: &Report) {
    let _ = write!(
        h,
        r#"<section id="errors"><h2>Rows with errors ({})</h2><p class="note">Rows that could not be labelled: left out of the sentiment figures, counted in contacts and response times when their date is readable.</p>"#,
        r.errors.count
    );
    if r.errors.rows.is_empty() {
        h.push_str(r#"<p class="empty-note">None.</p>"#);
    } else {
        let _ = write!(
            h,
            r#"<table><thead><tr><th class="num">{}</th><th>Error</th></tr></thead><tbody>"#,
            esc(&r.line_unit)
        );
        for e in r.errors.rows.iter().take(MAX_ERRORS_SHOWN) {
            let _ = write!(
                h,
                r#"<tr><td class="num">{}</td><td>{}</td></tr>"#,
                e.line,
                esc(&e.error)
            );
        }
        h.push_str("</tbody></table>");
        if r.errors.rows.len() > MAX_ERRORS_SHOWN {
            let _ = write!(
                h,
                r#"<p class="note">… and {} more in report.json.</p>"#,
                r.errors.rows.len() - MAX_ERRORS_SHOWN
            );
        }
    }
    h.push_str("</section>");
}

/// The sections left out, and why.
fn omitted(h: &mut String, r: &Report) {
    if !r.omitted.is_empty() {
        h.push_str(r#"<section id="omitted"><h2>Not shown</h2><ul>"#);
        for (k, v) in &r.omitted {
            let _ = write!(h, "<li><code>{}</code>: {}</li>", esc(k), esc(v));
        }
        h.push_str("</ul></section>");
    }
}

/// The footer and the inline script.
fn footer(h: &mut String, r: &Report) {
    let _ = writeln!(
        h,
        r#"</main><footer>Made by sentir {} from {}. Every figure is in report.json; this page loads nothing from the network.</footer><script>{SCRIPT}</script></body></html>"#,
        esc(&r.sentir_version),
        esc(&r.input)
    );
}

/// One key-figure card.
fn kpi(out: &mut String, id: &str, title: &str, value: &str, sub: &str) {
    let _ = write!(
        out,
        r#"<div class="kpi" id="kpi-{id}"><div class="kpi-title">{}</div><div class="kpi-value">{}</div><div class="kpi-sub">{}</div></div>"#,
        esc(title),
        esc(value),
        sub
    );
}
