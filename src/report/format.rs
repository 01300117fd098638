//! Text formatting shared by the report's builders (dates, quotes, group keys) and its page
//! (HTML escaping, percentages, durations).

use chrono::NaiveDate;

/// Longest quoted message, in characters.
const QUOTE_CHARS: usize = 280;

/// A date as report.json writes it: `YYYY-MM-DD`.
pub fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// A group key, or `none` for rows without one.
pub fn key_or(v: &Option<String>, none: &str) -> String {
    v.clone().unwrap_or_else(|| none.to_string())
}

/// A message as quoted: whitespace runs as one space, cut at 280 characters (with `…`).
pub fn quote(text: &Option<String>) -> Option<String> {
    text.as_ref().map(|t| {
        let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
        if t.chars().count() > QUOTE_CHARS {
            let mut s: String = t.chars().take(QUOTE_CHARS - 1).collect();
            s.push('…');
            s
        } else {
            t
        }
    })
}

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

/// A share as a percentage with one decimal (`12.5 %`), `–` for none.
pub fn pct(x: Option<f64>) -> String {
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
pub fn short_date(d: &str) -> String {
    NaiveDate::parse_from_str(d, "%Y-%m-%d")
        .map(|d| d.format("%b %-d").to_string())
        .unwrap_or_else(|_| d.to_string())
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
        assert_eq!(short_date("2026-10-05"), "Oct 5");
    }
}
