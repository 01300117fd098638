//! The page's inline SVG charts per period: stacked sentiment bars, contacts, response
//! times (the bars per group are in [`super::groups`]). Marks carry `data-*` attributes with the values drawn.

use super::super::format::{duration, esc, short_date};
use super::super::schema::{PeriodKey, Report};
use crate::sentiment::Sentiment;
use std::fmt::Write;

/// Bar colours per sentiment.
pub fn colour(s: Sentiment) -> &'static str {
    match s {
        Sentiment::Negative => "#d64545",
        Sentiment::Neutral => "#a3acb9",
        Sentiment::Positive => "#2f9e61",
    }
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

/// The width of every chart.
pub const W: f64 = 960.0;

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
fn period_axis(svg: &mut String, f: &Frame, periods: &[&PeriodKey], sub: &[String]) {
    let first = periods.iter().position(|p| p.in_trend);
    let last = periods.iter().rposition(|p| p.in_trend);
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
    for (i, key) in periods.iter().enumerate() {
        if i % every != 0 && i + 1 != periods.len() {
            continue;
        }
        let cx = f.left + (i as f64 + 0.5) * f.step();
        let weight = if key.in_trend {
            " font-weight=\"600\""
        } else {
            ""
        };
        let _ = write!(
            svg,
            r#"<text x="{cx:.1}" y="{:.1}" text-anchor="middle" class="axis"{weight}>{}</text>"#,
            f.bottom() + 16.0,
            esc(&short_date(&key.period))
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

/// An open per-period chart: the frame's `<svg>` with the trend band and the x axis drawn.
fn period_svg<'a>(
    id: &str,
    label: &str,
    f: &Frame,
    periods: impl Iterator<Item = &'a PeriodKey>,
    sub: &[String],
) -> String {
    let periods: Vec<&PeriodKey> = periods.collect();
    let mut svg = svg_open(id, f.total_height(), label);
    period_axis(&mut svg, f, &periods, sub);
    svg
}

pub fn svg_open(id: &str, height: f64, label: &str) -> String {
    format!(
        r#"<svg class="chart" id="{id}" viewBox="0 0 {W} {height:.0}" width="100%" role="img" aria-label="{}">"#,
        esc(label)
    )
}

/// The colour key of the sentiment charts.
pub fn legend() -> String {
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
pub fn sentiment_chart(r: &Report) -> String {
    let ps = &r.sentiment.by_period;
    let f = Frame::new(ps.len(), 200.0);
    let subs: Vec<String> = ps
        .iter()
        .map(|p| format!("n={}", p.sentiment.messages))
        .collect();
    let periods = ps.iter().map(|p| &p.at);
    let label = "Buyer sentiment share per period";
    let mut svg = period_svg("chart-sentiment", label, &f, periods, &subs);
    grid(&mut svg, &f, 100.0, 4, |v| format!("{v:.0}%"));
    for (i, p) in ps.iter().enumerate() {
        let x = f.bar_x(i);
        let total = p.sentiment.messages;
        if total == 0 {
            let _ = write!(
                svg,
                r##"<rect class="empty" data-series="none" data-period="{}" data-count="0" x="{x:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="none" stroke="#c9d0da" stroke-dasharray="3 3"><title>{}: no labelled buyer messages</title></rect>"##,
                p.at.period,
                f.top,
                f.bar_width(),
                f.height,
                esc(&p.at.period)
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
                p.at.period,
                p.at.in_trend,
                f.bar_width(),
                colour(s),
                r.period.as_str(),
                esc(&p.at.period),
                100.0 * n as f64 / total as f64
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

/// Buyer messages per period as bars, threads as a line.
pub fn contacts_chart(r: &Report) -> String {
    let ps = &r.contacts.by_period;
    let f = Frame::new(ps.len(), 170.0);
    let (max, ticks) = nice_axis(
        ps.iter()
            .map(|p| p.counts.buyer_messages)
            .max()
            .unwrap_or(0) as f64,
    );
    let periods = ps.iter().map(|p| &p.at);
    let label = "Buyer messages per period";
    let mut svg = period_svg("chart-contacts", label, &f, periods, &[]);
    grid(&mut svg, &f, max, ticks, |v| format!("{v:.0}"));
    let mut line = Vec::new();
    for (i, p) in ps.iter().enumerate() {
        let h = f.height * p.counts.buyer_messages as f64 / max;
        let x = f.bar_x(i);
        let _ = write!(
            svg,
            r##"<rect class="bar" data-series="buyer_messages" data-period="{}" data-count="{}" x="{x:.1}" y="{:.1}" width="{:.1}" height="{h:.1}" fill="#3b6fd6"><title>{}: {} buyer messages{}</title></rect>"##,
            p.at.period,
            p.counts.buyer_messages,
            f.bottom() - h,
            f.bar_width(),
            esc(&p.at.period),
            p.counts.buyer_messages,
            p.counts
                .threads
                .map(|t| format!(", {t} threads"))
                .unwrap_or_default()
        );
        if let Some(t) = p.counts.threads {
            let cx = f.left + (i as f64 + 0.5) * f.step();
            let cy = f.bottom() - f.height * t as f64 / max;
            line.push(format!("{cx:.1},{cy:.1}"));
            let _ = write!(
                svg,
                r##"<circle class="dot" data-series="threads" data-period="{}" data-count="{t}" cx="{cx:.1}" cy="{cy:.1}" r="3.5" fill="#f0a020"><title>{}: {t} threads</title></circle>"##,
                p.at.period,
                esc(&p.at.period)
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
pub fn response_chart(r: &Report) -> String {
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
    let subs: Vec<String> = ps
        .iter()
        .map(|p| match p.stats.unanswered {
            0 => String::new(),
            n => format!("{n} unanswered"),
        })
        .collect();
    let periods = ps.iter().map(|p| &p.at);
    let label = "Response time per period";
    let mut svg = period_svg("chart-response", label, &f, periods, &subs);
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
                p.at.period,
                x + (f.bar_width() - w) / 2.0,
                f.bottom() - h,
                esc(&p.at.period),
                duration(Some(v))
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axes_end_on_round_numbers() {
        assert_eq!(nice_axis(5.0), (5.0, 5));
        assert_eq!(nice_axis(7.0), (8.0, 4));
        assert_eq!(nice_axis(13.0), (15.0, 3));
        assert_eq!(nice_axis(0.0), (1.0, 1));
        assert_eq!(nice_axis(240.0), (250.0, 5));
    }
}
