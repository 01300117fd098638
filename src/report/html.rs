//! report.html: one self-contained page (inline CSS, inline SVG charts drawn here, a few
//! lines of inline script), with every figure embedded. It loads nothing: no network, no
//! CDN, no fonts or images from elsewhere, so it opens from disk in any browser.
//!
//! Chart elements carry `data-*` attributes (`data-series`, `data-period`, `data-count`…)
//! so tests and scripts can read the drawn values back; the inline script marks the page
//! with `data-rendered="1"` and the number of charts once it has run.

use super::reasons::ReasonsSection;
use super::{GroupSentiment, NegativeMessage, Report, SentimentFigures};
use crate::sentiment::Sentiment;
use chrono::NaiveDate;
use std::fmt::Write;

/// Bar colours per sentiment.
fn colour(s: Sentiment) -> &'static str {
    match s {
        Sentiment::Negative => "#d64545",
        Sentiment::Neutral => "#a3acb9",
        Sentiment::Positive => "#2f9e61",
    }
}

/// Most groups (products, languages) drawn in a chart; all are in report.json.
const MAX_GROUPS: usize = 12;
/// Most error rows listed in the page; all are in report.json.
const MAX_ERRORS_SHOWN: usize = 200;

/// Escapes text for HTML content and attribute values.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

fn pct(x: Option<f64>) -> String {
    match x {
        Some(v) => format!("{:.1} %", v * 100.0),
        None => "–".to_string(),
    }
}

/// A duration in seconds for people: `45 s`, `12 min`, `3.5 h`, `2.1 d`.
pub fn duration(secs: Option<i64>) -> String {
    let Some(s) = secs else {
        return "–".to_string();
    };
    let s = s as f64;
    if s < 60.0 {
        format!("{s:.0} s")
    } else if s < 3600.0 {
        format!("{:.0} min", s / 60.0)
    } else if s < 86400.0 * 2.0 {
        format!("{:.1} h", s / 3600.0)
    } else {
        format!("{:.1} d", s / 86400.0)
    }
}

/// `2026-10-05` → `Oct 5`.
fn short_date(d: &str) -> String {
    NaiveDate::parse_from_str(d, "%Y-%m-%d")
        .map(|d| d.format("%b %-d").to_string())
        .unwrap_or_else(|_| d.to_string())
}

/// A value axis from 0 for values up to `v`: the top and the number of steps, the step
/// being 1, 2 or 5 × 10^k (at least 1) and at most 5 steps.
fn nice_axis(v: f64) -> (f64, usize) {
    let v = v.max(1.0);
    let mut mag = 1.0;
    loop {
        for m in [1.0, 2.0, 5.0] {
            let step = m * mag;
            let steps = (v / step).ceil();
            if steps <= 5.0 {
                return (step * steps, steps as usize);
            }
        }
        mag *= 10.0;
    }
}

const W: f64 = 960.0;

/// Plot geometry shared by the per-period charts.
struct Frame {
    left: f64,
    top: f64,
    width: f64,
    height: f64,
    n: usize,
}

impl Frame {
    fn new(n: usize, height: f64) -> Frame {
        Frame {
            left: 56.0,
            top: 22.0,
            width: W - 56.0 - 16.0,
            height,
            n: n.max(1),
        }
    }
    fn step(&self) -> f64 {
        self.width / self.n as f64
    }
    fn bar_width(&self) -> f64 {
        (self.step() * 0.7).min(56.0)
    }
    fn bar_x(&self, i: usize) -> f64 {
        self.left + i as f64 * self.step() + (self.step() - self.bar_width()) / 2.0
    }
    fn bottom(&self) -> f64 {
        self.top + self.height
    }
    fn total_height(&self) -> f64 {
        self.bottom() + 42.0
    }
}

/// The shaded band behind the periods of the trend window, and x-axis labels.
fn period_axis(svg: &mut String, f: &Frame, periods: &[(String, bool)], sub: &[String]) {
    let first = periods.iter().position(|p| p.1);
    let last = periods.iter().rposition(|p| p.1);
    if let (Some(a), Some(b)) = (first, last) {
        let x = f.left + a as f64 * f.step();
        let w = (b - a + 1) as f64 * f.step();
        let _ = write!(
            svg,
            r##"<rect class="trend-band" data-trend-periods="{}" x="{x:.1}" y="{:.1}" width="{w:.1}" height="{:.1}" fill="#fff3cd"/><text x="{:.1}" y="{:.1}" class="band-label" text-anchor="middle">last 4 weeks</text>"##,
            b - a + 1,
            f.top - 18.0,
            f.height + 18.0,
            x + w / 2.0,
            f.top - 6.0
        );
    }
    let every = periods.len().div_ceil(16).max(1);
    for (i, (p, trend)) in periods.iter().enumerate() {
        if i % every != 0 && i + 1 != periods.len() {
            continue;
        }
        let cx = f.left + (i as f64 + 0.5) * f.step();
        let weight = if *trend { " font-weight=\"600\"" } else { "" };
        let _ = write!(
            svg,
            r#"<text x="{cx:.1}" y="{:.1}" text-anchor="middle" class="axis"{weight}>{}</text>"#,
            f.bottom() + 16.0,
            esc(&short_date(p))
        );
        if let Some(s) = sub.get(i) {
            let _ = write!(
                svg,
                r#"<text x="{cx:.1}" y="{:.1}" text-anchor="middle" class="axis sub">{}</text>"#,
                f.bottom() + 30.0,
                esc(s)
            );
        }
    }
}

/// Horizontal grid lines with labels from 0 to `max` in `ticks` steps.
fn grid(svg: &mut String, f: &Frame, max: f64, ticks: usize, label: impl Fn(f64) -> String) {
    for k in 0..=ticks {
        let v = max * k as f64 / ticks as f64;
        let y = f.bottom() - f.height * k as f64 / ticks as f64;
        let _ = write!(
            svg,
            r##"<line x1="{:.1}" x2="{:.1}" y1="{y:.1}" y2="{y:.1}" stroke="#e3e7ed"/><text x="{:.1}" y="{:.1}" text-anchor="end" class="axis">{}</text>"##,
            f.left,
            f.left + f.width,
            f.left - 6.0,
            y + 4.0,
            esc(&label(v))
        );
    }
}

fn svg_open(id: &str, height: f64, label: &str) -> String {
    format!(
        r#"<svg class="chart" id="{id}" viewBox="0 0 {W} {height:.0}" width="100%" role="img" aria-label="{}">"#,
        esc(label)
    )
}

fn legend() -> String {
    let mut s = String::from(r#"<div class="legend">"#);
    for x in Sentiment::ALL {
        let _ = write!(
            s,
            r#"<span><i style="background:{}"></i>{}</span>"#,
            colour(x),
            x.as_str()
        );
    }
    s.push_str("</div>");
    s
}

/// Stacked bars of sentiment shares per period, the trend window shaded.
fn sentiment_chart(r: &Report) -> String {
    let ps = &r.sentiment.by_period;
    let f = Frame::new(ps.len(), 200.0);
    let mut svg = svg_open(
        "chart-sentiment",
        f.total_height(),
        "Buyer sentiment share per period",
    );
    let periods: Vec<(String, bool)> = ps.iter().map(|p| (p.period.clone(), p.in_trend)).collect();
    let subs: Vec<String> = ps
        .iter()
        .map(|p| format!("n={}", p.sentiment.messages))
        .collect();
    period_axis(&mut svg, &f, &periods, &subs);
    grid(&mut svg, &f, 100.0, 4, |v| format!("{v:.0}%"));
    for (i, p) in ps.iter().enumerate() {
        let x = f.bar_x(i);
        let total = p.sentiment.messages;
        if total == 0 {
            let _ = write!(
                svg,
                r##"<rect class="empty" data-series="none" data-period="{}" data-count="0" x="{x:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="none" stroke="#c9d0da" stroke-dasharray="3 3"><title>{}: no labelled buyer messages</title></rect>"##,
                p.period,
                f.top,
                f.bar_width(),
                f.height,
                esc(&p.period)
            );
            continue;
        }
        let mut y = f.bottom();
        for s in Sentiment::ALL {
            let n = p.sentiment.count(s);
            let h = f.height * n as f64 / total as f64;
            y -= h;
            if n == 0 {
                continue;
            }
            let _ = write!(
                svg,
                r#"<rect class="bar" data-series="{s}" data-period="{}" data-count="{n}" data-total="{total}" data-in-trend="{}" x="{x:.1}" y="{y:.1}" width="{:.1}" height="{h:.1}" fill="{}"><title>{} {}: {n} of {total} {s} ({:.1} %)</title></rect>"#,
                p.period,
                p.in_trend,
                f.bar_width(),
                colour(s),
                r.period.as_str(),
                esc(&p.period),
                100.0 * n as f64 / total as f64
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

/// Buyer messages per period as bars, threads as a line.
fn contacts_chart(r: &Report) -> String {
    let ps = &r.contacts.by_period;
    let f = Frame::new(ps.len(), 170.0);
    let (max, ticks) = nice_axis(ps.iter().map(|p| p.buyer_messages).max().unwrap_or(0) as f64);
    let mut svg = svg_open(
        "chart-contacts",
        f.total_height(),
        "Buyer messages per period",
    );
    let periods: Vec<(String, bool)> = ps.iter().map(|p| (p.period.clone(), p.in_trend)).collect();
    period_axis(&mut svg, &f, &periods, &[]);
    grid(&mut svg, &f, max, ticks, |v| format!("{v:.0}"));
    let mut line = Vec::new();
    for (i, p) in ps.iter().enumerate() {
        let h = f.height * p.buyer_messages as f64 / max;
        let x = f.bar_x(i);
        let _ = write!(
            svg,
            r##"<rect class="bar" data-series="buyer_messages" data-period="{}" data-count="{}" x="{x:.1}" y="{:.1}" width="{:.1}" height="{h:.1}" fill="#3b6fd6"><title>{}: {} buyer messages{}</title></rect>"##,
            p.period,
            p.buyer_messages,
            f.bottom() - h,
            f.bar_width(),
            esc(&p.period),
            p.buyer_messages,
            p.threads
                .map(|t| format!(", {t} threads"))
                .unwrap_or_default()
        );
        if let Some(t) = p.threads {
            let cx = f.left + (i as f64 + 0.5) * f.step();
            let cy = f.bottom() - f.height * t as f64 / max;
            line.push(format!("{cx:.1},{cy:.1}"));
            let _ = write!(
                svg,
                r##"<circle class="dot" data-series="threads" data-period="{}" data-count="{t}" cx="{cx:.1}" cy="{cy:.1}" r="3.5" fill="#f0a020"><title>{}: {t} threads</title></circle>"##,
                p.period,
                esc(&p.period)
            );
        }
    }
    if line.len() > 1 {
        let _ = write!(
            svg,
            r##"<polyline points="{}" fill="none" stroke="#f0a020" stroke-width="2"/>"##,
            line.join(" ")
        );
    }
    svg.push_str("</svg>");
    svg
}

/// Median (dark) and p90 (light) response time per period.
fn response_chart(r: &Report) -> String {
    let Some(rt) = &r.response_time else {
        return String::new();
    };
    let ps = &rt.by_period;
    let f = Frame::new(ps.len(), 170.0);
    let top = ps
        .iter()
        .filter_map(|p| p.stats.p90_seconds)
        .max()
        .unwrap_or(0) as f64;
    let (unit, div) = if top >= 2.0 * 3600.0 {
        ("h", 3600.0)
    } else {
        ("min", 60.0)
    };
    let (max, ticks) = nice_axis(top / div);
    let mut svg = svg_open(
        "chart-response",
        f.total_height(),
        "Response time per period",
    );
    let periods: Vec<(String, bool)> = ps.iter().map(|p| (p.period.clone(), p.in_trend)).collect();
    let subs: Vec<String> = ps
        .iter()
        .map(|p| {
            if p.stats.unanswered > 0 {
                format!("{} unanswered", p.stats.unanswered)
            } else {
                String::new()
            }
        })
        .collect();
    period_axis(&mut svg, &f, &periods, &subs);
    grid(&mut svg, &f, max, ticks, |v| format!("{v:.0} {unit}"));
    for (i, p) in ps.iter().enumerate() {
        let x = f.bar_x(i);
        for (series, v, fill, shrink) in [
            ("p90", p.stats.p90_seconds, "#b9cdf3", 0.0),
            ("median", p.stats.median_seconds, "#2952a3", 0.25),
        ] {
            let Some(v) = v else { continue };
            let h = f.height * (v as f64 / div) / max;
            let w = f.bar_width() * (1.0 - shrink);
            let _ = write!(
                svg,
                r#"<rect class="bar" data-series="{series}" data-period="{}" data-seconds="{v}" x="{:.1}" y="{:.1}" width="{w:.1}" height="{h:.1}" fill="{fill}"><title>{}: {series} {}</title></rect>"#,
                p.period,
                x + (f.bar_width() - w) / 2.0,
                f.bottom() - h,
                esc(&p.period),
                duration(Some(v))
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

/// One horizontal 100 % bar per group (product or language).
fn groups_chart(id: &str, label: &str, groups: &[GroupSentiment]) -> String {
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

/// "Why buyers write": sentiment per reason (chart), the 4-week trend per reason, reasons
/// per product and the most negative messages of the fastest-growing reason.
fn reasons_section(h: &mut String, rs: &ReasonsSection, unit: &str) {
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
        h.push_str(r#"<h3>Reasons per product</h3><table id="reason-products"><thead><tr><th>Product</th><th class="num">Messages</th><th>Top reason</th><th>Reasons</th></tr></thead><tbody>"#);
        for p in products.iter().take(MAX_GROUPS) {
            let mut parts: Vec<(&String, &u64)> =
                p.reasons.iter().filter(|(_, n)| **n > 0).collect();
            parts.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
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

/// A table of quoted negative messages (line, date, product, p(neg), text).
fn negative_table(h: &mut String, id: &str, unit: &str, rows: &[NegativeMessage]) {
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

fn kpi(out: &mut String, id: &str, title: &str, value: &str, sub: &str) {
    let _ = write!(
        out,
        r#"<div class="kpi" id="kpi-{id}"><div class="kpi-title">{}</div><div class="kpi-value">{}</div><div class="kpi-sub">{}</div></div>"#,
        esc(title),
        esc(value),
        sub
    );
}

const STYLE: &str = r#"
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #f4f6f9; color: #1f2933; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Liberation Sans", Arial, sans-serif; }
header { background: #1f2d44; color: #fff; padding: 22px 32px 18px; }
header h1 { margin: 0 0 4px; font-size: 22px; font-weight: 600; }
header .meta { margin: 0; color: #c8d3e6; }
main { max-width: 1040px; margin: 0 auto; padding: 20px 24px 40px; }
section { background: #fff; border-radius: 10px; box-shadow: 0 1px 3px rgba(15, 23, 42, .08); padding: 18px 22px; margin: 0 0 18px; }
h2 { font-size: 16px; margin: 0 0 4px; }
.note { color: #616e7c; margin: 2px 0 10px; font-size: 13px; }
.kpis { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px; background: none; box-shadow: none; padding: 0; }
.kpi { background: #fff; border-radius: 10px; box-shadow: 0 1px 3px rgba(15, 23, 42, .08); padding: 12px 14px; }
.kpi-title { color: #616e7c; font-size: 12px; text-transform: uppercase; letter-spacing: .03em; }
.kpi-value { font-size: 24px; font-weight: 650; margin: 2px 0; }
.kpi-sub { color: #616e7c; font-size: 12px; }
.up { color: #c23030; } .down { color: #1f8a4c; }
.legend { display: flex; gap: 16px; margin: 4px 0 6px; font-size: 13px; }
.legend i { display: inline-block; width: 12px; height: 12px; border-radius: 2px; margin-right: 5px; vertical-align: -1px; }
svg.chart { display: block; overflow: visible; }
svg .axis { font-size: 11px; fill: #616e7c; } svg .axis.sub { font-size: 10px; fill: #9aa5b1; }
svg .label { font-size: 12px; fill: #323f4b; } svg .label.sub { fill: #7b8794; }
svg .band-label { font-size: 11px; fill: #8a6d1d; font-weight: 600; }
svg rect.bar:hover, svg circle.dot:hover { opacity: .8; }
table { border-collapse: collapse; width: 100%; font-size: 13px; margin-top: 6px; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid #e6e9ee; vertical-align: top; }
th { color: #52606d; font-weight: 600; background: #f8f9fb; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.nowrap { white-space: nowrap; }
tr.trend td { background: #fffaeb; }
.grid2 { display: grid; grid-template-columns: 1fr; gap: 0; }
footer { color: #7b8794; font-size: 12px; text-align: center; padding: 8px 0 24px; }
.empty-note { color: #7b8794; font-style: italic; }
"#;

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

    // Key figures.
    h.push_str(r#"<section class="kpis">"#);
    let o = &r.sentiment.overall;
    kpi(
        &mut h,
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
            &mut h,
            "trend",
            "Negative, last 4 weeks",
            &pct(t.last_4_weeks.negative_share),
            &change,
        );
    }
    if let Some(rt) = &r.response_time {
        kpi(
            &mut h,
            "response",
            "Median response",
            &duration(rt.overall.median_seconds),
            &format!("p90 {}", esc(&duration(rt.overall.p90_seconds))),
        );
        kpi(
            &mut h,
            "unanswered",
            "Unanswered",
            &rt.overall.unanswered.to_string(),
            &format!("of {} buyer messages", rt.overall.buyer_messages),
        );
    }
    if let Some(t) = r.contacts.threads {
        kpi(
            &mut h,
            "threads",
            "Threads",
            &t.to_string(),
            &format!("{} buyer messages", r.contacts.buyer_messages),
        );
    }
    kpi(
        &mut h,
        "errors",
        "Rows with errors",
        &r.errors.count.to_string(),
        "not labelled; listed below",
    );
    h.push_str("</section>");

    // Sentiment per period.
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

    // Trend table.
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

    // Per product and language.
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

    if let Some(rs) = &r.reasons {
        reasons_section(&mut h, rs, &r.line_unit);
    }

    // Contacts.
    let _ = write!(
        h,
        r#"<section id="contacts"><h2>Contacts per {}</h2><p class="note">Buyer messages (bars, rows with errors included){}.</p>{}"#,
        r.period.as_str(),
        if r.contacts.threads.is_some() {
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
                p.buyer_messages,
                p.threads
                    .map(|t| t.to_string())
                    .unwrap_or_else(|| "–".into())
            );
        }
        h.push_str("</tbody></table>");
    }
    h.push_str("</section>");

    // Response time.
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
                if p.in_trend { r#" class="trend""# } else { "" },
                p.period,
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

    // Most negative messages.
    h.push_str(r#"<section id="negative"><h2>Most negative buyer messages</h2>"#);
    if r.sentiment.top_negative.is_empty() {
        h.push_str(r#"<p class="empty-note">No negative buyer messages.</p>"#);
    } else {
        negative_table(
            &mut h,
            "negative-table",
            &r.line_unit,
            &r.sentiment.top_negative,
        );
    }
    h.push_str("</section>");

    // Errors.
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

    if !r.omitted.is_empty() {
        h.push_str(r#"<section id="omitted"><h2>Not shown</h2><ul>"#);
        for (k, v) in &r.omitted {
            let _ = write!(h, "<li><code>{}</code>: {}</li>", esc(k), esc(v));
        }
        h.push_str("</ul></section>");
    }

    let _ = writeln!(
        h,
        r#"</main><footer>Made by sentir {} from {}. Every figure is in report.json; this page loads nothing from the network.</footer><script>{SCRIPT}</script></body></html>"#,
        esc(&r.sentir_version),
        esc(&r.input)
    );
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_formats() {
        assert_eq!(
            esc(r#"<a href="x">&'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;"
        );
        assert_eq!(duration(Some(30)), "30 s");
        assert_eq!(duration(Some(1500)), "25 min");
        assert_eq!(duration(Some(5400)), "1.5 h");
        assert_eq!(duration(Some(3 * 86400)), "3.0 d");
        assert_eq!(duration(None), "–");
        assert_eq!(nice_axis(5.0), (5.0, 5));
        assert_eq!(nice_axis(7.0), (8.0, 4));
        assert_eq!(nice_axis(13.0), (15.0, 3));
        assert_eq!(nice_axis(0.0), (1.0, 1));
        assert_eq!(nice_axis(240.0), (250.0, 5));
        assert_eq!(short_date("2026-10-05"), "Oct 5");
    }
}
