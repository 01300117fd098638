//! Opens report.html in headless Chromium (Debian package `chromium`) and checks that the
//! charts rendered: the DOM after scripts ran, and a screenshot that is not blank.
//!
//! Without /usr/bin/chromium (or `$SENTIR_CHROMIUM`) the test fails, unless
//! `SENTIR_SKIP_BROWSER=1` is set.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

mod common;

use common::root;

/// The browser: `$SENTIR_CHROMIUM`, else /usr/bin/chromium.
fn chromium_path() -> PathBuf {
    std::env::var_os("SENTIR_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"))
}

/// Runs headless Chromium with `args` after the usual flags; kills it after 90 s.
fn run_chromium(bin: &Path, profile: &Path, args: &[&str]) -> (String, String) {
    let mut child = Command::new(bin)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start chromium");
    // Read the pipes on threads so a large DOM cannot block the browser.
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out_t = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut out, &mut s).ok();
        s
    });
    let err_t = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut err, &mut s).ok();
        s
    });
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let (o, e) = (out_t.join().unwrap(), err_t.join().unwrap());
            assert!(status.success(), "chromium failed ({status}): {e}");
            return (o, e);
        }
        if start.elapsed() > Duration::from_secs(90) {
            child.kill().ok();
            child.wait().ok();
            panic!("chromium did not finish in 90 s: {}", err_t.join().unwrap());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Counts occurrences of `needle`.
fn count(hay: &str, needle: &str) -> usize {
    hay.matches(needle).count()
}

/// The browser, or `None` (test skipped) when it is missing and SENTIR_SKIP_BROWSER=1;
/// missing otherwise is a failure.
fn chromium_or_skip() -> Option<PathBuf> {
    let bin = chromium_path();
    if !bin.is_file() {
        if std::env::var("SENTIR_SKIP_BROWSER").as_deref() == Ok("1") {
            eprintln!("skipped: no {} and SENTIR_SKIP_BROWSER=1", bin.display());
            return None;
        }
        panic!(
            "{} not found: install Debian's chromium (apt-get install -y chromium) or set \
             SENTIR_SKIP_BROWSER=1 to skip this test",
            bin.display()
        );
    }
    Some(bin)
}

#[test]
// Longer than 80 lines: one browser run, then a flat list of checks on what it drew.
fn charts_render_in_headless_chromium() {
    let Some(bin) = chromium_or_skip() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report");
    let o = Command::new(env!("CARGO_BIN_EXE_sentir"))
        .args(["report", "tests/fixtures/report/labelled.csv", "-o"])
        .arg(&out)
        .args([
            "--date-column",
            "sent_at",
            "--product-column",
            "product",
            "--thread-column",
            "thread_id",
            "--sender-column",
            "sender",
            "--quiet",
        ])
        .current_dir(root())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let html = out.join("report.html");
    let url = format!("file://{}", html.canonicalize().unwrap().display());

    // The DOM after the page's script ran.
    let profile = dir.path().join("profile");
    let (dom, _) = run_chromium(&bin, &profile, &["--dump-dom", &url]);
    assert!(
        dom.contains("data-rendered=\"1\""),
        "the inline script did not run:\n{dom}"
    );
    assert!(dom.contains("data-charts=\"5\""), "expected 5 charts");
    // One bar per non-zero sentiment per week: week 1 3/1/1, week 2 0/1/1, week 3 2/1/2.
    let sentiment_chart = &dom[dom.find("id=\"chart-sentiment\"").unwrap()..];
    let sentiment_chart = &sentiment_chart[..sentiment_chart.find("</svg>").unwrap()];
    assert_eq!(count(sentiment_chart, "data-series=\"negative\""), 2);
    assert_eq!(count(sentiment_chart, "data-series=\"neutral\""), 3);
    assert_eq!(count(sentiment_chart, "data-series=\"positive\""), 3);
    assert!(sentiment_chart.contains("class=\"trend-band\""));
    assert!(
        dom.contains("data-series=\"buyer_messages\" data-period=\"2026-10-05\" data-count=\"5\"")
    );
    assert!(dom.contains("data-series=\"median\" data-period=\"2026-10-05\" data-seconds=\"3600\""));
    assert!(dom.contains("data-series=\"p90\" data-period=\"2026-10-05\" data-seconds=\"86400\""));

    // A screenshot that is not blank: many distinct colours and real variance.
    let png_path = dir.path().join("shot.png");
    let shot = format!("--screenshot={}", png_path.display());
    run_chromium(&bin, &profile, &[&shot, "--window-size=1280,2000", &url]);
    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(&png_path).unwrap(),
    ));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    assert!(
        channels >= 3,
        "unexpected PNG colour type {:?}",
        info.color_type
    );
    assert_eq!((info.width, info.height), (1280, 2000));
    let pixels: Vec<[u8; 3]> = buf[..info.buffer_size()]
        .chunks(channels)
        .map(|p| [p[0], p[1], p[2]])
        .collect();
    let n = pixels.len() as f64;
    let mean: f64 = pixels
        .iter()
        .map(|p| p.iter().map(|&c| c as f64).sum::<f64>() / 3.0)
        .sum::<f64>()
        / n;
    let var: f64 = pixels
        .iter()
        .map(|p| (p.iter().map(|&c| c as f64).sum::<f64>() / 3.0 - mean).powi(2))
        .sum::<f64>()
        / n;
    assert!(var > 100.0, "screenshot looks blank (variance {var:.1})");
    // The chart colours are on the page: red (negative) and green (positive) pixels.
    let near = |p: &[u8; 3], c: [u8; 3]| {
        p.iter()
            .zip(c)
            .all(|(&a, b)| (a as i32 - b as i32).abs() <= 6)
    };
    let red = pixels
        .iter()
        .filter(|p| near(p, [0xd6, 0x45, 0x45]))
        .count();
    let green = pixels
        .iter()
        .filter(|p| near(p, [0x2f, 0x9e, 0x61]))
        .count();
    assert!(
        red > 500 && green > 500,
        "chart colours missing (red {red}, green {green} pixels)"
    );
}

/// The reasons section of a file labelled with reasons: its chart renders in the browser with
/// one bar per reason and sentiment that has messages.
#[test]
fn reason_chart_renders_in_headless_chromium() {
    let Some(bin) = chromium_or_skip() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report");
    let o = Command::new(env!("CARGO_BIN_EXE_sentir"))
        .args(["report", "tests/fixtures/report/reasons.csv", "-o"])
        .arg(&out)
        .args([
            "--product-column",
            "product",
            "--sender-column",
            "sender",
            "--quiet",
        ])
        .current_dir(root())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("report.json")).unwrap()).unwrap();
    let url = format!(
        "file://{}",
        out.join("report.html").canonicalize().unwrap().display()
    );
    let (dom, _) = run_chromium(&bin, &dir.path().join("profile"), &["--dump-dom", &url]);
    assert!(
        dom.contains("data-rendered=\"1\""),
        "the inline script did not run"
    );
    // Sentiment, contacts, products, languages and reasons (no response-time chart: no thread).
    assert!(dom.contains("data-charts=\"5\""), "expected 5 charts");
    let chart = &dom[dom.find("id=\"chart-reasons\"").unwrap()..];
    let chart = &chart[..chart.find("</svg>").unwrap()];
    let mut bars = 0;
    for f in json["reasons"]["by_reason"].as_array().unwrap() {
        for s in ["negative", "neutral", "positive"] {
            let n = f["sentiment"][s].as_u64().unwrap();
            if n > 0 {
                bars += 1;
                let needle = format!(
                    "data-series=\"{s}\" data-group=\"{}\" data-count=\"{n}\"",
                    f["reason"].as_str().unwrap()
                );
                assert!(chart.contains(&needle), "missing bar {needle}");
            }
        }
    }
    assert_eq!(count(chart, "class=\"bar\""), bars);
}
