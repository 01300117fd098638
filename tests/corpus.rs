//! The team's corpus (`data/corpus/`) is checked, not assumed: schema, size, proportions
//! (language, kind, length, sentiment, reasons), no near-duplicates inside or across splits,
//! and no dominant template. See data/corpus/GUIDE.md and data/corpus/README.md.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

const KINDS: [&str; 5] = [
    "buyer_message",
    "product_review",
    "service_review",
    "social",
    "mixed",
];
const LANGS: [&str; 6] = ["es", "en", "pt", "fr", "de", "it"];

#[derive(Debug)]
struct Rec {
    split: &'static str,
    line: usize,
    text: String,
    sentiment: String,
    mixed: bool,
    reason: String,
    language: String,
    kind: String,
}

fn read(split: &'static str) -> Vec<Rec> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("data/corpus/{split}.csv"));
    let mut r = csv::Reader::from_path(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header,
        [
            "id",
            "text",
            "sentiment",
            "mixed",
            "reason",
            "language",
            "kind",
            "region"
        ],
        "{split}: columns"
    );
    r.records()
        .enumerate()
        .map(|(i, rec)| {
            let rec = rec.unwrap_or_else(|e| panic!("{split}: record {}: {e}", i + 1));
            let line = rec.position().map_or(0, |p| p.line() as usize);
            let f = |k: usize| rec.get(k).unwrap().to_string();
            let mixed = match f(3).as_str() {
                "true" => true,
                "false" => false,
                m => panic!("{split} line {line}: mixed {m:?}"),
            };
            Rec {
                split,
                line,
                text: f(1),
                sentiment: f(2),
                mixed,
                reason: f(4),
                language: f(5),
                kind: f(6),
            }
        })
        .collect()
}

fn words(t: &str) -> Vec<String> {
    t.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn grams(t: &str) -> HashSet<String> {
    let w = words(t);
    if w.len() < 6 {
        return HashSet::from([w.join(" ")]);
    }
    w.windows(6).map(|g| g.join(" ")).collect()
}

fn share(recs: &[&Rec], f: impl Fn(&Rec) -> bool) -> f64 {
    recs.iter().filter(|r| f(r)).count() as f64 / recs.len() as f64
}

fn all() -> Vec<Rec> {
    let mut v = read("train");
    v.extend(read("val"));
    v.extend(read("test"));
    v
}

#[test]
fn every_record_follows_the_guide() {
    let reasons: Vec<&str> = sentir::model::heads::REASONS.to_vec();
    for r in all() {
        let at = format!("{} line {}", r.split, r.line);
        assert!(!r.text.trim().is_empty(), "{at}: empty text");
        assert!(
            ["negative", "neutral", "positive"].contains(&r.sentiment.as_str()),
            "{at}: sentiment {:?}",
            r.sentiment
        );
        assert!(
            reasons.contains(&r.reason.as_str()),
            "{at}: reason {:?}",
            r.reason
        );
        assert!(LANGS.contains(&r.language.as_str()), "{at}: language");
        assert!(KINDS.contains(&r.kind.as_str()), "{at}: kind {:?}", r.kind);
        assert!(
            r.kind != "mixed" || r.mixed,
            "{at}: kind mixed needs mixed=true"
        );
        assert!(
            r.reason != "praise" || r.sentiment == "positive",
            "{at}: praise must be positive"
        );
    }
}

#[test]
fn sizes_and_proportions() {
    let recs = all();
    let trainval: Vec<&Rec> = recs.iter().filter(|r| r.split != "test").collect();
    let test: Vec<&Rec> = recs.iter().filter(|r| r.split == "test").collect();
    assert!(trainval.len() >= 6000, "train + val: {}", trainval.len());
    assert!(test.len() >= 1500, "test: {}", test.len());
    for (name, set) in [("train+val", &trainval), ("test", &test)] {
        let es = share(set, |r| r.language == "es");
        assert!(es >= 0.5, "{name}: Spanish {es:.3}");
        for l in LANGS {
            assert!(share(set, |r| r.language == l) >= 0.05, "{name}: {l}");
        }
        for k in KINDS {
            let s = share(set, |r| r.kind == k);
            assert!(s >= 0.10, "{name}: kind {k} {s:.3}");
        }
        let long = share(set, |r| r.text.chars().count() > 800);
        assert!(long >= 0.15, "{name}: over 800 characters {long:.3}");
        assert!(
            set.iter().filter(|r| r.text.chars().count() > 2000).count() >= 20,
            "{name}: texts over 2 000 characters"
        );
        for s in ["negative", "neutral", "positive"] {
            assert!(share(set, |r| r.sentiment == s) >= 0.2, "{name}: {s}");
        }
        assert!(share(set, |r| r.mixed) >= 0.15, "{name}: mixed");
        for reason in sentir::model::heads::REASONS {
            assert!(
                share(set, |r| r.reason == reason) >= 0.02,
                "{name}: {reason}"
            );
        }
    }
    // Spanish from at least five regions: checked on the region column.
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/corpus/train.csv");
    let mut r = csv::Reader::from_path(path).unwrap();
    let regions: HashSet<String> = r
        .records()
        .map(|x| x.unwrap())
        .filter(|x| &x[5] == "es")
        .map(|x| x[7].to_string())
        .collect();
    for reg in ["ES", "MX", "AR", "CO", "CL"] {
        assert!(regions.contains(reg), "Spanish from {reg}");
    }
}

/// No two texts (inside a split or across splits) share most of their word 6-grams.
#[test]
fn no_near_duplicates() {
    let recs = all();
    let sets: Vec<HashSet<String>> = recs.iter().map(|r| grams(&r.text)).collect();
    let mut index: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, s) in sets.iter().enumerate() {
        for g in s {
            index.entry(g.as_str()).or_default().push(i);
        }
    }
    let mut bad = Vec::new();
    for (i, s) in sets.iter().enumerate() {
        let mut shared: HashMap<usize, usize> = HashMap::new();
        for g in s {
            for &j in &index[g.as_str()] {
                if j > i {
                    *shared.entry(j).or_default() += 1;
                }
            }
        }
        for (j, inter) in shared {
            let union = s.len() + sets[j].len() - inter;
            if inter as f64 / union as f64 >= 0.5 {
                bad.push(format!(
                    "{} line {} ~ {} line {}",
                    recs[i].split, recs[i].line, recs[j].split, recs[j].line
                ));
            }
        }
    }
    assert!(
        bad.is_empty(),
        "{} near-duplicate pairs: {:?}",
        bad.len(),
        &bad[..bad.len().min(10)]
    );
}

/// No template dominates: no opening of three words starts more than 1% of the texts, and no
/// word 6-gram is in more than 1% of them.
#[test]
fn no_dominant_template() {
    let recs = all();
    let n = recs.len() as f64;
    let mut openings: HashMap<String, usize> = HashMap::new();
    let mut gram_docs: HashMap<String, usize> = HashMap::new();
    for r in &recs {
        let w = words(&r.text);
        *openings.entry(w[..w.len().min(3)].join(" ")).or_default() += 1;
        if w.len() >= 6 {
            for g in grams(&r.text) {
                *gram_docs.entry(g).or_default() += 1;
            }
        }
    }
    let top_open = openings.iter().max_by_key(|(_, c)| **c).unwrap();
    assert!(
        (*top_open.1 as f64) <= 0.01 * n,
        "opening {:?} starts {} of {n} texts",
        top_open.0,
        top_open.1
    );
    let top_gram = gram_docs.iter().max_by_key(|(_, c)| **c).unwrap();
    assert!(
        (*top_gram.1 as f64) <= 0.01 * n,
        "6-gram {:?} is in {} of {n} texts",
        top_gram.0,
        top_gram.1
    );
}
