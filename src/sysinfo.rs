//! What the machine is and what the process used (Linux `/proc`), for benchmark reports.

use serde::Serialize;

/// The machine a benchmark ran on.
#[derive(Clone, Debug, Serialize)]
pub struct Machine {
    /// CPU model name.
    pub cpu: String,
    /// Logical cores available to this process.
    pub cores: usize,
    /// Total memory in GiB.
    pub memory_gib: f64,
    /// Operating system and architecture.
    pub os: String,
    /// The CPU's vector and matrix extensions, detected at run time.
    pub features: CpuFeatures,
}

/// The x86 extensions that decide which kernels libtorch runs (all false elsewhere).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct CpuFeatures {
    /// AVX2 with FMA.
    pub avx2: bool,
    /// AVX-512 F, BW, VL and DQ (what ATen's AVX-512 kernels need).
    pub avx512: bool,
    /// AVX-512 VNNI (int8 dot products).
    pub avx512_vnni: bool,
    /// AVX-VNNI (int8 dot products on 256-bit registers).
    pub avx_vnni: bool,
    /// AVX-512 BF16.
    pub avx512_bf16: bool,
    /// AMX tiles with int8 and bf16 (Linux `/proc/cpuinfo` flags).
    pub amx: bool,
    /// An Intel CPU (`vendor_id` GenuineIntel): MKL runs its bf16 kernels only there and
    /// converts bf16 to fp32 elsewhere (seen on an AMD EPYC with AVX512-BF16).
    pub intel: bool,
}

impl CpuFeatures {
    /// Detects this CPU's extensions (and the operating system's support for them).
    pub fn detect() -> CpuFeatures {
        #[cfg(target_arch = "x86_64")]
        {
            use std::arch::is_x86_feature_detected as has;
            let info = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
            // Whether the first `key` line (of the first CPU) has the word `word`.
            let has_word = |key: &str, word: &str| {
                info.lines()
                    .find(|l| l.starts_with(key))
                    .is_some_and(|l| l.split_whitespace().any(|w| w == word))
            };
            let flag = |f: &str| has_word("flags", f);
            CpuFeatures {
                avx2: has!("avx2") && has!("fma"),
                avx512: has!("avx512f") && has!("avx512bw") && has!("avx512vl") && has!("avx512dq"),
                avx512_vnni: has!("avx512vnni"),
                avx_vnni: has!("avxvnni"),
                avx512_bf16: has!("avx512bf16"),
                amx: flag("amx_tile") && flag("amx_int8") && flag("amx_bf16"),
                intel: has_word("vendor_id", "GenuineIntel"),
            }
        }
        #[cfg(not(target_arch = "x86_64"))]
        CpuFeatures::default()
    }

    /// The extensions present, by their usual names (`none` without any).
    pub fn names(&self) -> String {
        let all = [
            (self.avx2, "AVX2"),
            (self.avx512, "AVX-512"),
            (self.avx512_vnni, "AVX512-VNNI"),
            (self.avx_vnni, "AVX-VNNI"),
            (self.avx512_bf16, "AVX512-BF16"),
            (self.amx, "AMX"),
        ];
        let present: Vec<&str> = all.iter().filter(|(on, _)| *on).map(|(_, n)| *n).collect();
        if present.is_empty() {
            "none".into()
        } else {
            present.join(" ")
        }
    }

    /// The instruction set of ATen's vectorised CPU kernels (GELU, softmax, LayerNorm, adds):
    /// the best it supports on this CPU, unless `ATEN_CPU_CAPABILITY` lowers it.
    pub fn aten_kernels(&self) -> String {
        let best = if self.avx512 {
            "avx512"
        } else if self.avx2 {
            "avx2"
        } else {
            "default"
        };
        with_override(best, "ATEN_CPU_CAPABILITY")
    }

    /// Whether MKL's bf16 product runs bf16 instructions here (AMX or AVX512-BF16 on an
    /// Intel CPU) rather than converting to fp32 first.
    pub fn mkl_bf16_native(&self) -> bool {
        self.intel && (self.amx || self.avx512_bf16)
    }

    /// Which library sentir's bf16 products run on here: MKL's bf16 × bf16 → fp32 product
    /// where MKL runs bf16 instructions, or where the CPU has none (MKL's emulation was the
    /// faster one measured there); libtorch's bf16 matmul (oneDNN) on a CPU with AVX512-BF16
    /// that MKL does not use it on. `SENTIR_BF16_KERNEL=mkl` or `=matmul` overrides it.
    pub fn bf16_matmul(&self) -> bool {
        match std::env::var("SENTIR_BF16_KERNEL").as_deref() {
            Ok("mkl") => false,
            Ok("matmul") => true,
            _ => self.avx512_bf16 && !self.mkl_bf16_native(),
        }
    }

    /// What the bf16 products run on here: MKL on AMX or AVX512-BF16, oneDNN (libtorch's
    /// bf16 matmul) on AVX512-BF16, or MKL's emulation, unless `MKL_ENABLE_INSTRUCTIONS` or
    /// `ONEDNN_MAX_CPU_ISA` caps it.
    pub fn bf16_kernels(&self) -> String {
        if self.bf16_matmul() {
            let best = if self.avx512_bf16 {
                "oneDNN bf16 matmul, AVX512-BF16 (MKL converts bf16 to fp32 on a non-Intel CPU)"
            } else {
                "oneDNN bf16 matmul, emulated: no AVX512-BF16"
            };
            return with_override(best, "ONEDNN_MAX_CPU_ISA");
        }
        let best = match (self.mkl_bf16_native(), self.amx, self.avx512_bf16) {
            (true, true, _) => "MKL bf16 x bf16 -> fp32 gemm, AMX",
            (true, false, _) => "MKL bf16 x bf16 -> fp32 gemm, AVX512-BF16",
            (false, _, _) => "MKL bf16 x bf16 -> fp32 gemm, emulated: converted to fp32",
        };
        with_override(best, "MKL_ENABLE_INSTRUCTIONS")
    }

    /// The instruction set oneDNN's int8 matrix product (`_int_mm`) dispatches to on this
    /// CPU, unless `ONEDNN_MAX_CPU_ISA` caps it.
    pub fn int8_kernels(&self) -> String {
        let best = if self.amx {
            "avx512_core_amx"
        } else if self.avx512 && self.avx512_vnni {
            "avx512_core_vnni"
        } else if self.avx_vnni {
            "avx2_vnni"
        } else if self.avx512 {
            "avx512_core"
        } else if self.avx2 {
            "avx2"
        } else {
            "sse41"
        };
        with_override(best, "ONEDNN_MAX_CPU_ISA")
    }
}

/// `best`, followed by the environment variable that overrides or caps it when that is set.
fn with_override(best: &str, var: &str) -> String {
    match std::env::var(var) {
        Ok(v) if !v.is_empty() => format!("{best}, but {var}={v}"),
        _ => best.into(),
    }
}

impl Machine {
    /// Reads the current machine.
    pub fn current() -> Machine {
        let cpu = std::fs::read_to_string("/proc/cpuinfo")
            .ok()
            .and_then(|s| {
                s.lines()
                    .find(|l| l.starts_with("model name"))
                    .and_then(|l| l.split(':').nth(1))
                    .map(|v| v.trim().to_string())
            })
            .unwrap_or_else(|| "unknown".into());
        let memory_gib = proc_kib("/proc/meminfo", "MemTotal:")
            .map(|k| k as f64 / (1024.0 * 1024.0))
            .unwrap_or(0.0);
        Machine {
            cpu,
            cores: default_threads(),
            memory_gib,
            os: format!("{}-{}", std::env::consts::OS, std::env::consts::ARCH),
            features: CpuFeatures::detect(),
        }
    }
}

/// The logical cores available to this process (1 when unknown): the default thread count
/// of every command.
pub fn default_threads() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
}

/// Peak resident memory of this process so far (`VmHWM`), in bytes; `None` off Linux.
pub fn peak_rss_bytes() -> Option<u64> {
    proc_kib("/proc/self/status", "VmHWM:").map(|k| k * 1024)
}

/// Current resident memory of this process (`VmRSS`), in bytes; `None` off Linux.
#[cfg(test)]
fn rss_bytes() -> Option<u64> {
    proc_kib("/proc/self/status", "VmRSS:").map(|k| k * 1024)
}

fn proc_kib(path: &str, key: &str) -> Option<u64> {
    let text = std::fs::read_to_string(path).ok()?;
    parse_kib(&text, key)
}

fn parse_kib(text: &str, key: &str) -> Option<u64> {
    text.lines()
        .find_map(|l| l.strip_prefix(key))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|n| n.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn features_name_what_is_present() {
        let none = CpuFeatures::default();
        assert_eq!(none.names(), "none");
        assert_eq!(none.int8_kernels(), "sse41");
        let vnni = CpuFeatures {
            avx2: true,
            avx512: true,
            avx512_vnni: true,
            ..none
        };
        assert_eq!(vnni.names(), "AVX2 AVX-512 AVX512-VNNI");
        assert_eq!(vnni.int8_kernels(), "avx512_core_vnni");
    }

    #[test]
    #[cfg(all(target_arch = "x86_64", target_os = "linux"))]
    fn detection_agrees_with_the_kernel_flags() {
        let info = std::fs::read_to_string("/proc/cpuinfo").unwrap();
        let flags: Vec<&str> = info
            .lines()
            .find(|l| l.starts_with("flags"))
            .unwrap()
            .split_whitespace()
            .collect();
        let here = CpuFeatures::detect();
        let has = |f| flags.contains(&f);
        assert_eq!(here.avx2, has("avx2") && has("fma"));
        assert_eq!(here.avx512_vnni, has("avx512_vnni"));
        assert_eq!(here.avx512_bf16, has("avx512_bf16"));
        let vendor = info.lines().find(|l| l.starts_with("vendor_id")).unwrap();
        assert_eq!(here.intel, vendor.ends_with("GenuineIntel"), "{vendor}");
    }

    #[test]
    fn parses_proc_status_lines() {
        let status = "Name:\tsentir\nVmPeak:\t  900 kB\nVmHWM:\t  123456 kB\nVmRSS:\t 1000 kB\n";
        assert_eq!(parse_kib(status, "VmHWM:"), Some(123456));
        assert_eq!(parse_kib(status, "VmRSS:"), Some(1000));
        assert_eq!(parse_kib(status, "VmSwap:"), None);
    }

    #[test]
    fn this_process_has_a_peak_at_least_its_current_size() {
        // Current first: the high-water mark read afterwards can only be larger.
        let now = rss_bytes();
        let peak = peak_rss_bytes();
        if let (Some(now), Some(peak)) = (now, peak) {
            assert!(peak >= now && now > 0, "peak {peak}, now {now}");
        }
    }
}
