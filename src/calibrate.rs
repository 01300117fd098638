//! `sentir calibrate`: the same messages in each precision, their labels compared with
//! fp32's and their speed measured (the bench pipeline), written as the model's
//! `precision.json`, which `--precision auto` reads ([`crate::model::auto`]).

use crate::bench::{bench_labels, BenchConfig, BenchReport};
use crate::error::{Result, SentirError};
use crate::io::atomic;
use crate::model::auto::{Calibration, ModeMeasure, AUTO_MIN_AGREEMENT, CALIBRATION_FORMAT};
use crate::model::Precision;
use crate::sentiment::Sentiment;
use std::path::Path;

/// The precisions measured, fp32 (the reference) first.
pub const MODES: [Precision; 3] = [Precision::Fp32, Precision::Bf16, Precision::Int8];

/// Below this many messages the table warns that its figures are rough.
pub const FEW_MESSAGES: u64 = 1000;

/// One mode that could not run on this model or machine, and why.
#[derive(Clone, Debug)]
pub struct Skipped {
    /// The mode.
    pub precision: Precision,
    /// The error it gave.
    pub reason: String,
}

/// Runs every mode of [`MODES`] on `cfg`'s inputs (its precision is ignored) and compares
/// their labels with fp32's. A mode that fails to load (int8 on DistilBERT) is skipped.
pub fn calibrate(cfg: &BenchConfig) -> Result<(Calibration, Vec<Skipped>)> {
    let mut reference: Option<Vec<Option<Sentiment>>> = None;
    let mut modes = Vec::new();
    let mut skipped = Vec::new();
    let mut first: Option<BenchReport> = None;
    let mut messages = 0;
    for precision in MODES {
        let mut c = cfg.clone();
        c.run.precision = precision;
        let (report, labels) = match bench_labels(&c, true) {
            Ok(r) => r,
            Err(e) if precision != Precision::Fp32 => {
                skipped.push(Skipped {
                    precision,
                    reason: e.to_string(),
                });
                continue;
            }
            Err(e) => return Err(e),
        };
        let agreement = match &reference {
            None => {
                messages = labels.iter().filter(|l| l.is_some()).count() as u64;
                if messages == 0 {
                    return Err(SentirError::Usage(
                        "calibrate: no message of the inputs could be labelled".into(),
                    ));
                }
                reference = Some(labels);
                1.0
            }
            Some(r) => agreement(r, &labels),
        };
        modes.push(ModeMeasure {
            precision: precision.as_str().into(),
            agreement_with_fp32: agreement,
            messages_per_second: report.messages_per_second,
        });
        first.get_or_insert(report);
    }
    // fp32 ran (or the function returned): its report names the inputs and the machine.
    let fp32 = first.expect("fp32 ran first");
    let cal = Calibration {
        format: CALIBRATION_FORMAT.into(),
        inputs: fp32.inputs,
        messages,
        cpu: fp32.machine.cpu,
        cpu_features: fp32.machine.features.names(),
        threads: fp32.threads,
        modes,
    };
    Ok((cal, skipped))
}

/// Share of the rows labelled by the reference whose label `other` repeats (a row `other`
/// could not label counts as a disagreement).
pub fn agreement(reference: &[Option<Sentiment>], other: &[Option<Sentiment>]) -> f64 {
    let mut total = 0u64;
    let mut same = 0u64;
    for (i, r) in reference.iter().enumerate() {
        if let Some(r) = r {
            total += 1;
            same += u64::from(other.get(i).copied().flatten() == Some(*r));
        }
    }
    if total == 0 {
        0.0
    } else {
        same as f64 / total as f64
    }
}

/// Writes `cal` as pretty JSON to `path`, atomically.
pub fn write(cal: &Calibration, path: &Path) -> Result<()> {
    let mut json = serde_json::to_string_pretty(cal).expect("a calibration serializes");
    json.push('\n');
    atomic::write_file(path, json.as_bytes())
}

/// The human table.
pub fn to_table(cal: &Calibration, skipped: &[Skipped]) -> String {
    let mut t = format!(
        "{} messages, {} ({}), {} threads\n{:<8}{:>12}{:>14}\n",
        cal.messages, cal.cpu, cal.cpu_features, cal.threads, "mode", "messages/s", "agreement"
    );
    for m in &cal.modes {
        t.push_str(&format!(
            "{:<8}{:>12.1}{:>13.2}%\n",
            m.precision,
            m.messages_per_second,
            m.agreement_with_fp32 * 100.0
        ));
    }
    for s in skipped {
        t.push_str(&format!(
            "{:<8}skipped: {}\n",
            s.precision.as_str(),
            s.reason
        ));
    }
    if cal.messages < FEW_MESSAGES {
        t.push_str(&format!(
            "note: only {} messages; agreement and speed are rough below {FEW_MESSAGES} (UMSAB val has 2 592)\n",
            cal.messages
        ));
    }
    t.push_str(&format!(
        "--precision auto takes the fastest mode agreeing with fp32 on ≥ {:.1}% of the messages\n",
        AUTO_MIN_AGREEMENT * 100.0
    ));
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agreement_counts_the_reference_rows() {
        use Sentiment::*;
        let r = [Some(Negative), Some(Positive), None, Some(Neutral)];
        let o = [Some(Negative), Some(Neutral), Some(Neutral), None];
        assert!((agreement(&r, &o) - 1.0 / 3.0).abs() < 1e-12);
        assert_eq!(agreement(&r, &r), 1.0);
        assert_eq!(agreement(&[None], &[None]), 0.0);
    }
}
