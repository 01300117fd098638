//! `--precision auto`: the fastest precision that agrees with fp32 on at least
//! [`AUTO_MIN_AGREEMENT`] of the messages a model was calibrated on (`sentir calibrate`, which
//! writes `precision.json` beside the weights).
//!
//! Agreement is a property of the model (the kernels of one mode differ between CPUs only in
//! their summation order), so it is read from the file whatever the machine. Speed is not:
//! the file's measured speeds rank the modes only on a CPU with the same model name and
//! extensions; elsewhere the ranking follows the CPU's extensions ([`expected_order`]).

use super::error::ModelError;
use super::Precision;
use crate::sysinfo::CpuFeatures;
use serde::{Deserialize, Serialize};
use std::path::Path;
use tch::Device;

/// Least share of labels equal to fp32's for `auto` to choose a faster mode.
pub const AUTO_MIN_AGREEMENT: f64 = 0.995;

/// The file `sentir calibrate` writes into a model directory.
pub const CALIBRATION_FILE: &str = "precision.json";

/// What `sentir calibrate` measured for one model on one machine.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Calibration {
    /// `sentir-precision/1`.
    pub format: String,
    /// The inputs measured on.
    pub inputs: Vec<String>,
    /// Messages labelled in every mode.
    pub messages: u64,
    /// CPU model name.
    pub cpu: String,
    /// Its extensions ([`CpuFeatures::names`]).
    pub cpu_features: String,
    /// Threads used.
    pub threads: usize,
    /// One entry per precision measured, fp32 first.
    pub modes: Vec<ModeMeasure>,
}

/// One precision's figures in a [`Calibration`].
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct ModeMeasure {
    /// fp32, bf16 or int8.
    pub precision: String,
    /// Share of the messages whose label equals fp32's (1 for fp32).
    pub agreement_with_fp32: f64,
    /// Messages per second in the forward passes.
    pub messages_per_second: f64,
}

/// The format tag of [`Calibration`].
pub const CALIBRATION_FORMAT: &str = "sentir-precision/1";

impl Calibration {
    /// Reads `dir/precision.json`; `None` when the file is absent.
    pub fn read(dir: &Path) -> Result<Option<Calibration>, ModelError> {
        let path = dir.join(CALIBRATION_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => return Err(ModelError::Io { path, source }),
        };
        let cal: Calibration = serde_json::from_str(&text).map_err(|source| ModelError::Json {
            path: path.clone(),
            source,
        })?;
        if cal.format != CALIBRATION_FORMAT {
            return Err(ModelError::Config(format!(
                "{}: format {:?}, expected {CALIBRATION_FORMAT:?}",
                path.display(),
                cal.format
            )));
        }
        Ok(Some(cal))
    }

    /// The figures of `p`, if measured.
    pub fn mode(&self, p: Precision) -> Option<&ModeMeasure> {
        self.modes.iter().find(|m| m.precision == p.as_str())
    }
}

/// The precision `auto` resolved to, and why (one line for stderr and `sentir bench`).
#[derive(Clone, Debug, PartialEq)]
pub struct AutoChoice {
    /// The mode chosen.
    pub precision: Precision,
    /// Why it was chosen.
    pub why: String,
}

/// The modes from fastest to slowest that this CPU's extensions lead one to expect, from
/// the README's measurements: with AMX, bf16 products first, int8 next; on an AMD CPU with
/// AVX512-BF16, int8 (VNNI) first, bf16 (on oneDNN, [`CpuFeatures::bf16_kernels`]) next;
/// with VNNI alone int8 (bf16 is emulated there, slower than fp32); AVX2 alone: fp32 only
/// (nothing else measured there). An Intel CPU with AVX512-BF16 and no AMX ranks as VNNI
/// alone: bf16 ran at 0.6× fp32's speed there, on MKL and on oneDNN alike.
pub fn expected_order(f: &CpuFeatures) -> Vec<Precision> {
    let vnni = f.avx512_vnni || f.avx_vnni || f.amx;
    let mut order = Vec::new();
    if f.amx {
        order.extend([Precision::Bf16, Precision::Int8]);
    } else if f.avx512_bf16 && !f.intel {
        order.extend([Precision::Int8, Precision::Bf16]);
    } else if vnni {
        order.push(Precision::Int8);
    }
    order.push(Precision::Fp32);
    order
}

/// Resolves `auto` for a model calibrated as `cal` (if at all), on a CPU named `cpu` with
/// extensions `features`, running on `device`.
pub fn choose(
    cal: Option<&Calibration>,
    cpu: &str,
    features: &CpuFeatures,
    device: Device,
) -> AutoChoice {
    let fp32 = |why: String| AutoChoice {
        precision: Precision::Fp32,
        why,
    };
    if device != Device::Cpu {
        return fp32("auto: fp32 off the CPU (int8 is CPU-only, bf16 there is untested)".into());
    }
    let Some(cal) = cal else {
        return fp32(format!(
            "auto: fp32 (the model has no {CALIBRATION_FILE}: run `sentir calibrate`)"
        ));
    };
    let agrees = |p: Precision| {
        p == Precision::Fp32
            || cal
                .mode(p)
                .is_some_and(|m| m.agreement_with_fp32 >= AUTO_MIN_AGREEMENT)
    };
    let same_cpu = cal.cpu == cpu && cal.cpu_features == features.names();
    let (chosen, basis) = if same_cpu {
        let best = cal
            .modes
            .iter()
            .filter_map(|m| Some((Precision::parse(&m.precision).ok()?, m)))
            .filter(|(p, _)| agrees(*p))
            .max_by(|a, b| a.1.messages_per_second.total_cmp(&b.1.messages_per_second))
            .map_or(Precision::Fp32, |(p, _)| p);
        (best, "measured on this CPU")
    } else {
        let best = expected_order(features)
            .into_iter()
            .find(|p| agrees(*p))
            .unwrap_or(Precision::Fp32);
        (best, "ranked by this CPU's extensions")
    };
    let agreement = cal
        .mode(chosen)
        .map_or(1.0, |m| m.agreement_with_fp32)
        .min(1.0);
    AutoChoice {
        precision: chosen,
        why: format!(
            "auto: {} (the fastest mode {basis} that agrees with fp32 on ≥ {:.1}% of {} calibration messages: {:.2}%)",
            chosen.as_str(),
            AUTO_MIN_AGREEMENT * 100.0,
            cal.messages,
            agreement * 100.0
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cal(bf16: f64, int8: f64) -> Calibration {
        let m = |p: &str, a: f64, s: f64| ModeMeasure {
            precision: p.into(),
            agreement_with_fp32: a,
            messages_per_second: s,
        };
        Calibration {
            format: CALIBRATION_FORMAT.into(),
            inputs: vec!["val.csv".into()],
            messages: 1000,
            cpu: "Test CPU".into(),
            cpu_features: "AVX2 AVX-512 AVX512-VNNI AVX512-BF16 AMX".into(),
            threads: 2,
            modes: vec![
                m("fp32", 1.0, 100.0),
                m("bf16", bf16, 250.0),
                m("int8", int8, 300.0),
            ],
        }
    }

    fn amx() -> CpuFeatures {
        CpuFeatures {
            avx2: true,
            avx512: true,
            avx512_vnni: true,
            avx_vnni: false,
            avx512_bf16: true,
            amx: true,
            intel: true,
        }
    }

    #[test]
    fn measured_speed_decides_on_the_same_cpu() {
        let c = cal(0.998, 0.999);
        let got = choose(Some(&c), "Test CPU", &amx(), Device::Cpu);
        assert_eq!(got.precision, Precision::Int8, "{}", got.why);
        assert!(got.why.contains("measured on this CPU"), "{}", got.why);
        // int8 disagrees too often: the next fastest that agrees.
        let c = cal(0.998, 0.978);
        let got = choose(Some(&c), "Test CPU", &amx(), Device::Cpu);
        assert_eq!(got.precision, Precision::Bf16);
        assert!(got.why.contains("99.80%"), "{}", got.why);
    }

    #[test]
    fn extensions_rank_the_modes_on_another_cpu() {
        let c = cal(0.998, 0.978);
        let vnni_only = CpuFeatures {
            avx512_bf16: false,
            amx: false,
            ..amx()
        };
        let got = choose(Some(&c), "Other CPU", &vnni_only, Device::Cpu);
        assert_eq!(got.precision, Precision::Fp32, "{}", got.why);
        let got = choose(Some(&c), "Other CPU", &amx(), Device::Cpu);
        assert_eq!(got.precision, Precision::Bf16, "{}", got.why);
        assert!(got.why.contains("extensions"), "{}", got.why);
        let avx2 = CpuFeatures {
            avx2: true,
            ..CpuFeatures::default()
        };
        assert_eq!(expected_order(&avx2), vec![Precision::Fp32]);
    }

    #[test]
    fn bf16_ranks_where_it_was_measured_fast() {
        // An AMD CPU with AVX512-BF16 (no AMX): MKL converts bf16 to fp32 there, oneDNN
        // runs it, faster than fp32. An Intel CPU with the same extensions ran bf16 slower
        // than fp32 on both libraries: not a candidate there.
        let amd = CpuFeatures {
            amx: false,
            intel: false,
            ..amx()
        };
        let intel = CpuFeatures { intel: true, ..amd };
        assert_eq!(
            expected_order(&amd),
            vec![Precision::Int8, Precision::Bf16, Precision::Fp32]
        );
        assert_eq!(
            expected_order(&intel),
            vec![Precision::Int8, Precision::Fp32]
        );
        let got = choose(Some(&cal(0.998, 0.978)), "Other CPU", &amd, Device::Cpu);
        assert_eq!(got.precision, Precision::Bf16, "{}", got.why);
        let got = choose(Some(&cal(0.998, 0.978)), "Other CPU", &intel, Device::Cpu);
        assert_eq!(got.precision, Precision::Fp32, "{}", got.why);
        if std::env::var_os("SENTIR_BF16_KERNEL").is_none() {
            assert!(amd.bf16_matmul() && !intel.bf16_matmul() && !amx().bf16_matmul());
            assert!(
                amd.bf16_kernels().contains("oneDNN"),
                "{}",
                amd.bf16_kernels()
            );
            assert!(
                amx().bf16_kernels().contains("MKL"),
                "{}",
                amx().bf16_kernels()
            );
        }
    }

    #[test]
    fn below_the_bound_or_uncalibrated_is_fp32() {
        let c = cal(0.994, 0.99);
        assert_eq!(
            choose(Some(&c), "Test CPU", &amx(), Device::Cpu).precision,
            Precision::Fp32
        );
        let none = choose(None, "Test CPU", &amx(), Device::Cpu);
        assert_eq!(none.precision, Precision::Fp32);
        assert!(none.why.contains("sentir calibrate"), "{}", none.why);
        let gpu = choose(Some(&cal(1.0, 1.0)), "Test CPU", &amx(), Device::Cuda(0));
        assert_eq!(gpu.precision, Precision::Fp32);
    }
}
