//! The report's reason and language figures against counts from the rows
//! (tests/fixtures/report/reasons.csv and the labelled fixture with a given language
//! column).

mod common;

use chrono::{Datelike, NaiveDate};
use common::report::*;
use common::{root, run, stderr};
use std::collections::{BTreeMap, BTreeSet};

/// The reasons section of report.json against counts made here from the rows of
/// tests/fixtures/report/reasons.csv (63 rows over 9 ISO weeks, 2 error rows, seller rows).
#[test]
// Longer than 80 lines: a flat list of reason figures, each against counts from the rows.
fn reason_figures_equal_counts_from_the_rows() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = root().join("tests/fixtures/report/reasons.csv");
    let j = report(
        &fixture,
        dir.path(),
        &["--product-column", "product", "--sender-column", "sender"],
    );
    let mut r = csv::Reader::from_path(&fixture).unwrap();
    // (date, product, sentiment, reason, p_negative, line) of labelled buyer rows.
    let mut rows = Vec::new();
    for (i, rec) in r.records().enumerate() {
        let rec = rec.unwrap();
        if &rec[2] != "buyer" || rec[5].is_empty() || !rec[9].is_empty() {
            continue;
        }
        let date = NaiveDate::parse_from_str(&rec[1][..10], "%Y-%m-%d").unwrap();
        let p: f64 = rec[6].parse().unwrap();
        rows.push((
            date,
            rec[3].to_string(),
            rec[5].to_string(),
            rec[7].to_string(),
            p,
            i as u64 + 2,
        ));
    }
    let s = &j["reasons"];
    assert_eq!(u(&s["messages"]), rows.len() as u64);
    let last = rows.iter().map(|r| r.0).max().unwrap();
    let week = |d: NaiveDate| d - chrono::Duration::days(d.weekday().num_days_from_monday() as i64);
    let end = week(last);
    let window: Vec<NaiveDate> = (0..4)
        .rev()
        .map(|k| end - chrono::Duration::weeks(k))
        .collect();
    let previous: Vec<NaiveDate> = (4..8)
        .rev()
        .map(|k| end - chrono::Duration::weeks(k))
        .collect();
    let round4 = |x: f64| (x * 10_000.0).round() / 10_000.0;
    let by_reason = s["by_reason"].as_array().unwrap();
    let names: Vec<&str> = by_reason
        .iter()
        .map(|f| f["reason"].as_str().unwrap())
        .collect();
    assert_eq!(names, sentir::model::heads::REASONS);
    let mut best: Option<(i64, &str)> = None;
    for f in by_reason {
        let name = f["reason"].as_str().unwrap();
        let mine: Vec<_> = rows.iter().filter(|r| r.3 == name).collect();
        let count = |sent: &str| mine.iter().filter(|r| r.2 == sent).count() as u64;
        assert_eq!(u(&f["sentiment"]["messages"]), mine.len() as u64, "{name}");
        assert_eq!(u(&f["sentiment"]["negative"]), count("negative"), "{name}");
        assert_eq!(u(&f["sentiment"]["neutral"]), count("neutral"), "{name}");
        assert_eq!(u(&f["sentiment"]["positive"]), count("positive"), "{name}");
        let share = round4(mine.len() as f64 / rows.len() as f64);
        assert_eq!(f["share"].as_f64().unwrap(), share, "{name}");
        let in_w = |ws: &[NaiveDate]| -> (u64, u64) {
            let m: Vec<_> = mine.iter().filter(|r| ws.contains(&week(r.0))).collect();
            (
                m.len() as u64,
                m.iter().filter(|r| r.2 == "negative").count() as u64,
            )
        };
        let (ln, lneg) = in_w(&window);
        let (pn, pneg) = in_w(&previous);
        assert_eq!(u(&f["last_4_weeks"]["messages"]), ln, "{name}");
        assert_eq!(u(&f["last_4_weeks"]["negative"]), lneg, "{name}");
        assert_eq!(u(&f["previous_4_weeks"]["messages"]), pn, "{name}");
        assert_eq!(u(&f["previous_4_weeks"]["negative"]), pneg, "{name}");
        let change = ln as i64 - pn as i64;
        assert_eq!(f["messages_change"].as_i64().unwrap(), change, "{name}");
        if ln > 0 && pn > 0 {
            let c = round4(round4(lneg as f64 / ln as f64) - round4(pneg as f64 / pn as f64));
            assert_eq!(f["negative_share_change"].as_f64().unwrap(), c, "{name}");
        } else {
            assert!(f["negative_share_change"].is_null(), "{name}");
        }
        let weeks = f["weeks"].as_array().unwrap();
        assert_eq!(weeks.len(), 4);
        for (w, monday) in weeks.iter().zip(&window) {
            assert_eq!(w["week"], monday.format("%Y-%m-%d").to_string());
            let n = mine.iter().filter(|r| week(r.0) == *monday).count() as u64;
            assert_eq!(u(&w["messages"]), n, "{name} {monday}");
        }
        if change > 0 && best.is_none_or(|b| change > b.0) {
            best = Some((change, name));
        }
    }
    // The fastest-growing reason (the first of the list on ties) and its negative messages.
    let (_, fastest) = best.expect("a reason grew in the fixture");
    let g = &s["fastest_growing"];
    assert_eq!(g["reason"], fastest);
    let mut neg: Vec<_> = rows
        .iter()
        .filter(|r| r.3 == fastest && r.2 == "negative" && window.contains(&week(r.0)))
        .collect();
    neg.sort_by(|a, b| b.4.partial_cmp(&a.4).unwrap());
    let lines: Vec<u64> = g["top_negative"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| u(&m["line"]))
        .collect();
    let want: Vec<u64> = neg.iter().take(10).map(|r| r.5).collect();
    assert_eq!(lines, want);
    // Per product: counts per reason, most messages first.
    let products = s["by_product"].as_array().unwrap();
    let mut per: BTreeMap<&str, BTreeMap<&str, u64>> = BTreeMap::new();
    for r in &rows {
        *per.entry(r.1.as_str())
            .or_default()
            .entry(r.3.as_str())
            .or_default() += 1;
    }
    assert_eq!(products.len(), per.len());
    let mut last_total = u64::MAX;
    for p in products {
        let name = p["product"].as_str().unwrap();
        let total: u64 = per[name].values().sum();
        assert_eq!(u(&p["messages"]), total, "{name}");
        assert!(total <= last_total, "products sorted by messages");
        last_total = total;
        for (reason, n) in p["reasons"].as_object().unwrap() {
            assert_eq!(
                u(n),
                per[name].get(reason.as_str()).copied().unwrap_or(0),
                "{name} {reason}"
            );
        }
    }
    assert!(j["omitted"].get("reasons").is_none());
    // The page has the section with its chart, and a file without reasons omits it.
    let html = std::fs::read_to_string(dir.path().join("report.html")).unwrap();
    assert!(html.contains("id=\"reasons\"") && html.contains("id=\"chart-reasons\""));
    let plain = tempfile::tempdir().unwrap();
    let j = report(&root().join(FIXTURE), plain.path(), &[]);
    assert!(j["reasons"].is_null());
    assert!(j["omitted"]["reasons"].as_str().unwrap().contains("reason"));
}

#[test]
fn language_column_splits_sentiment_by_the_given_column() {
    // The fixture with one more column: the language as a CRM would give it (es rows as
    // "Spanish", the others as "EN"), unlike the detected `language` column.
    let mut r = csv::Reader::from_path(root().join(FIXTURE)).unwrap();
    let mut header: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    let lang = header.iter().position(|h| h == "language").unwrap();
    header.push("crm_language".into());
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("with_crm.csv");
    let mut w = csv::Writer::from_path(&input).unwrap();
    w.write_record(&header).unwrap();
    for rec in r.records() {
        let mut rec: Vec<String> = rec.unwrap().iter().map(str::to_string).collect();
        let given = if rec[lang] == "es" { "Spanish" } else { "EN" };
        rec.push(given.into());
        w.write_record(&rec).unwrap();
    }
    w.flush().unwrap();
    drop(w);

    let out = dir.path().join("report");
    let j = report(&input, &out, &["--language-column", "crm_language"]);
    assert_eq!(j["columns"]["language"], "crm_language");
    let rows = fixture_rows();
    let mut want: BTreeMap<&str, Vec<&Row>> = BTreeMap::new();
    for r in rows.iter().filter(|r| r.error.is_empty()) {
        let key = if r.language == "es" { "es" } else { "en" };
        want.entry(key).or_default().push(r);
    }
    let by_lang = j["sentiment"]["by_language"].as_array().unwrap();
    let keys: BTreeSet<&str> = by_lang.iter().map(|g| g["key"].as_str().unwrap()).collect();
    assert_eq!(keys, want.keys().copied().collect::<BTreeSet<_>>());
    for g in by_lang {
        assert_eq!(nnp(g), tally(&want[g["key"].as_str().unwrap()]), "{g}");
    }

    // Without the flag the detected column is used, as before.
    let j = report(&input, &dir.path().join("r2"), &[]);
    assert_eq!(j["columns"]["language"], "language");

    // A column that is not there is a usage error naming the columns.
    let o = run(&[
        "report",
        input.to_str().unwrap(),
        "-o",
        dir.path().join("r3").to_str().unwrap(),
        "--language-column",
        "idioma",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("\"idioma\" (--language-column) not found"),
        "{}",
        stderr(&o)
    );
}
