//! End-to-end tests of `sentir report` (and Parquet in `classify`), running the real binary.
//!
//! The figures in report.json are checked against counts computed here, independently, from
//! the fixture rows (tests/fixtures/report/labelled.csv: 22 rows over 3 ISO weeks, 2
//! products, 6 threads), and the response times against numbers worked out by hand.

mod common;

use common::report::*;
use common::root;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

#[test]
// Longer than 80 lines: a flat list of report.json figures, each against counts from the rows.
fn figures_equal_counts_from_the_rows() {
    let dir = tempfile::tempdir().unwrap();
    let j = report(&root().join(FIXTURE), dir.path(), &ALL_COLUMNS);
    let rows = fixture_rows();
    let buyer: Vec<&Row> = rows.iter().filter(|r| r.buyer).collect();
    let labelled: Vec<&Row> = buyer
        .iter()
        .copied()
        .filter(|r| r.error.is_empty())
        .collect();

    // Totals.
    assert_eq!(u(&j["rows"]["total"]), rows.len() as u64);
    assert_eq!(u(&j["rows"]["buyer"]), buyer.len() as u64);
    assert_eq!(u(&j["rows"]["seller"]), (rows.len() - buyer.len()) as u64);
    assert_eq!(
        u(&j["rows"]["errors"]),
        rows.iter().filter(|r| !r.error.is_empty()).count() as u64
    );
    let overall = &j["sentiment"]["overall"];
    assert_eq!(u(&overall["messages"]), labelled.len() as u64);
    assert_eq!(nnp(overall), tally(&labelled));
    let (neg, _, _) = tally(&labelled);
    let share = overall["negative_share"].as_f64().unwrap();
    assert!(
        (share - neg as f64 / labelled.len() as f64).abs() < 1e-4,
        "{share}"
    );

    // Per week: every ISO week from the first to the last buyer message.
    let weeks: BTreeSet<String> = buyer.iter().map(|r| monday(r.date)).collect();
    let by_period = j["sentiment"]["by_period"].as_array().unwrap();
    assert_eq!(
        by_period
            .iter()
            .map(|p| p["period"].as_str().unwrap().to_string())
            .collect::<Vec<_>>(),
        ["2026-10-05", "2026-10-12", "2026-10-19"]
    );
    assert_eq!(weeks.len(), 3);
    for p in by_period {
        let w = p["period"].as_str().unwrap();
        let in_week: Vec<&Row> = labelled
            .iter()
            .copied()
            .filter(|r| monday(r.date) == w)
            .collect();
        assert_eq!(nnp(p), tally(&in_week), "week {w}");
        assert_eq!(u(&p["messages"]), in_week.len() as u64, "week {w}");
        // All three weeks are inside the 4-week window.
        assert_eq!(p["in_trend"], Value::Bool(true));
    }
    // The hand count: week 1: IN01 neg, IN03 pos, IN04 neu, IN06 neg, IN08 neg → 3/1/1;
    // week 2: IN09 neu, IN13 pos (IN11 has an error) → 0/1/1; week 3: IN15 neg, IN17 pos,
    // IN18 neu, IN20 neg, IN22 pos → 2/1/2.
    assert_eq!(nnp(&by_period[0]), (3, 1, 1));
    assert_eq!(nnp(&by_period[1]), (0, 1, 1));
    assert_eq!(nnp(&by_period[2]), (2, 1, 2));

    // Per language and per product.
    let mut langs: BTreeMap<String, Vec<&Row>> = BTreeMap::new();
    let mut products: BTreeMap<String, Vec<&Row>> = BTreeMap::new();
    for r in &labelled {
        let l = if r.language.is_empty() {
            "unknown"
        } else {
            &r.language
        };
        langs.entry(l.to_string()).or_default().push(r);
        products.entry(r.product.clone()).or_default().push(r);
    }
    let by_lang = j["sentiment"]["by_language"].as_array().unwrap();
    assert_eq!(by_lang.len(), langs.len());
    for g in by_lang {
        let rows = &langs[g["key"].as_str().unwrap()];
        assert_eq!(nnp(g), tally(rows), "{g}");
    }
    let by_product = j["sentiment"]["by_product"].as_array().unwrap();
    assert_eq!(by_product.len(), 2);
    for g in by_product {
        assert_eq!(nnp(g), tally(&products[g["key"].as_str().unwrap()]), "{g}");
    }

    // Top negatives: highest p_negative first (IN06 0.95, IN15 0.88, IN01 0.80, IN08 0.70,
    // IN20 0.60), given by line.
    let top: Vec<u64> = j["sentiment"]["top_negative"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| u(&m["line"]))
        .collect();
    assert_eq!(top, [7, 16, 2, 9, 21]);

    // Contacts: buyer messages (the error row included) and threads, per week and product.
    let c = &j["contacts"];
    assert_eq!(u(&c["buyer_messages"]), buyer.len() as u64);
    assert_eq!(
        u(&c["threads"]),
        buyer
            .iter()
            .map(|r| &r.thread)
            .collect::<BTreeSet<_>>()
            .len() as u64
    );
    for p in c["by_period"].as_array().unwrap() {
        let w = p["period"].as_str().unwrap();
        let in_week: Vec<&Row> = buyer
            .iter()
            .copied()
            .filter(|r| monday(r.date) == w)
            .collect();
        assert_eq!(u(&p["buyer_messages"]), in_week.len() as u64, "week {w}");
        assert_eq!(
            u(&p["threads"]),
            in_week
                .iter()
                .map(|r| &r.thread)
                .collect::<BTreeSet<_>>()
                .len() as u64
        );
    }
    for p in c["by_product"].as_array().unwrap() {
        let name = p["product"].as_str().unwrap();
        let rows: Vec<&Row> = buyer
            .iter()
            .copied()
            .filter(|r| r.product == name)
            .collect();
        assert_eq!(u(&p["buyer_messages"]), rows.len() as u64, "{name}");
        assert_eq!(
            u(&p["threads"]),
            rows.iter()
                .map(|r| &r.thread)
                .collect::<BTreeSet<_>>()
                .len() as u64
        );
    }

    // Errors: counted and listed with their line.
    assert_eq!(u(&j["errors"]["count"]), 1);
    let error_line = rows.iter().find(|r| !r.error.is_empty()).unwrap().line;
    assert_eq!(error_line, 12);
    assert_eq!(u(&j["errors"]["rows"][0]["line"]), error_line);
    assert!(j["errors"]["rows"][0]["error"]
        .as_str()
        .unwrap()
        .contains("is empty"));

    // Response times, worked out by hand (seconds; buyer message → next later seller
    // message in its thread):
    //   week of 10-05: IN01 09:00→IN02 10:30 = 5400; IN03 08:00→IN05 09:00 = 3600;
    //                  IN04 08:20→IN05 09:00 = 2400; IN06 10-07 14:00→IN07 10-08 14:00 = 86400;
    //                  IN08 unanswered (no seller message after it in T2).
    //     sorted [2400, 3600, 5400, 86400], n = 4: median rank ⌈0.5·4⌉ = 2 → 3600,
    //     p90 rank ⌈0.9·4⌉ = 4 → 86400.
    //   week of 10-12: IN09 09:00→IN10 09:10 = 600; IN11 (error row, still a buyer message)
    //                  16:00→IN12 18:00 = 7200; IN13 11:00→IN14 11:45 = 2700.
    //     sorted [600, 2700, 7200]: median rank 2 → 2700, p90 rank ⌈2.7⌉ = 3 → 7200.
    //   week of 10-19: IN15 10:00+02:00 = 08:00Z→IN16 20:00Z = 43200; IN17 unanswered;
    //                  IN18 10:00→IN19 10:05 = 300; IN20 12:00→IN21 15:00 = 10800;
    //                  IN22 (2026-10-23, midnight) unanswered.
    //     sorted [300, 10800, 43200]: median rank 2 → 10800, p90 rank 3 → 43200.
    //   overall: sorted [300, 600, 2400, 2700, 3600, 5400, 7200, 10800, 43200, 86400],
    //     n = 10: median rank 5 → 3600, p90 rank 9 → 43200; 13 buyer messages, 3 unanswered.
    let rt = &j["response_time"];
    let stats = |v: &Value| {
        (
            u(&v["buyer_messages"]),
            u(&v["answered"]),
            u(&v["unanswered"]),
            v["median_seconds"].as_i64(),
            v["p90_seconds"].as_i64(),
        )
    };
    assert_eq!(stats(&rt["overall"]), (13, 10, 3, Some(3600), Some(43200)));
    let per: Vec<_> = rt["by_period"]
        .as_array()
        .unwrap()
        .iter()
        .map(stats)
        .collect();
    assert_eq!(
        per,
        [
            (5, 4, 1, Some(3600), Some(86400)),
            (3, 3, 0, Some(2700), Some(7200)),
            (5, 3, 2, Some(10800), Some(43200)),
        ]
    );
    assert!(rt["percentile_method"]
        .as_str()
        .unwrap()
        .starts_with("nearest-rank"));

    // Trend: the 4 weeks ending with the week of the last buyer message (10-19), against
    // 4 earlier weeks without data.
    let t = &j["trend"];
    assert_eq!(t["from"], "2026-09-28");
    assert_eq!(t["to"], "2026-10-25");
    assert_eq!(u(&t["last_4_weeks"]["messages"]), labelled.len() as u64);
    assert_eq!(u(&t["previous_4_weeks"]["messages"]), 0);
    assert!(t["negative_share_change"].is_null());
    let tw: Vec<u64> = t["weeks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| u(&w["buyer_messages"]))
        .collect();
    assert_eq!(tw, [0, 5, 3, 5]);
    // Every section is there but the reasons one: the fixture has no reason column.
    let omitted: Vec<&String> = j["omitted"].as_object().unwrap().keys().collect();
    assert_eq!(omitted, ["reasons"]);
}

#[test]
fn days_add_up_to_weeks() {
    let dir = tempfile::tempdir().unwrap();
    let mut args = ALL_COLUMNS.to_vec();
    args.extend(["--period", "day"]);
    let j = report(&root().join(FIXTURE), dir.path(), &args);
    let days = j["sentiment"]["by_period"].as_array().unwrap();
    // 2026-10-05 … 2026-10-23, empty days included.
    assert_eq!(days.len(), 19);
    let sum: u64 = days.iter().map(|d| u(&d["messages"])).sum();
    assert_eq!(sum, u(&j["sentiment"]["overall"]["messages"]));
    let contacts: u64 = j["contacts"]["by_period"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| u(&d["buyer_messages"]))
        .sum();
    assert_eq!(contacts, 13);
}
