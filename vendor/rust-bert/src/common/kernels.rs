// sentir patch 7 (see PATCHES.md): the element-wise passes around int8 products, and MKL's
// packed sgemm, for `QLinear`'s inference modes.
// Licensed under the Apache License, Version 2.0, like the rest of this crate.

//! Kernels of [`super::qlinear::QLinear`]'s inference modes: per-row int8 quantization and the
//! scaling of int32 products back to float (one pass each, vectorized with AVX2 where the CPU
//! has it, detected at run time), and fp32 products with weights packed once by MKL.

use std::convert::TryFrom;
use std::ffi::{c_int, c_void};
use std::sync::OnceLock;

/// Largest |q| of an activation (symmetric, per token).
pub const ACT_QMAX: f32 = 127.0;

/// Quantizes each `k`-wide row of `src` to int8 in `dst` with its own scale
/// (`max |x| / 127`, at least 1e-12 / 127), written to `scales`; values are rounded half to
/// even, as libtorch's `round`. On the calling thread: split over threads, the pass was
/// slower (libtorch's OpenMP workers spin on the other core between products).
pub fn quantize_rows(src: &[f32], k: usize, dst: &mut [i8], scales: &mut [f32]) {
    assert_eq!(src.len(), dst.len());
    assert_eq!(src.len(), k * scales.len());
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU has AVX2.
        return unsafe { quantize_rows_avx2(src, k, dst, scales) };
    }
    quantize_rows_generic(src, k, dst, scales)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn quantize_rows_avx2(src: &[f32], k: usize, dst: &mut [i8], scales: &mut [f32]) {
    quantize_rows_generic(src, k, dst, scales)
}

#[inline(always)]
fn quantize_rows_generic(src: &[f32], k: usize, dst: &mut [i8], scales: &mut [f32]) {
    for ((row, out), scale) in src.chunks_exact(k).zip(dst.chunks_exact_mut(k)).zip(scales) {
        let mut lanes = [0f32; 16];
        let mut chunks = row.chunks_exact(16);
        for c in &mut chunks {
            for (m, v) in lanes.iter_mut().zip(c) {
                let a = v.abs();
                *m = if a > *m { a } else { *m };
            }
        }
        let mut max = chunks.remainder().iter().fold(0f32, |m, v| m.max(v.abs()));
        for m in lanes {
            max = max.max(m);
        }
        let s = max.max(1e-12) / ACT_QMAX;
        *scale = s;
        // |v / s| <= 127 by construction.
        for (q, v) in out.iter_mut().zip(row) {
            *q = (v / s).round_ties_even() as i8;
        }
    }
}

/// `out[i][j] = bias[j] + (acc[i][j] · row_scale[i]) · col_scale[j]`: int32 products of
/// quantized rows back to float (the last step fused, as libtorch's `addcmul` on x86 is, so
/// that the results are the same to the bit).
pub fn dequantize_rows(
    acc: &[i32],
    row_scale: &[f32],
    col_scale: &[f32],
    bias: &[f32],
    out: &mut [f32],
) {
    let n = bias.len();
    assert_eq!(col_scale.len(), n);
    assert_eq!(acc.len(), out.len());
    assert_eq!(acc.len(), n * row_scale.len());
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU has AVX2.
        return unsafe { dequantize_rows_avx2(acc, row_scale, col_scale, bias, out) };
    }
    dequantize_rows_generic(acc, row_scale, col_scale, bias, out)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn dequantize_rows_avx2(
    acc: &[i32],
    row_scale: &[f32],
    col_scale: &[f32],
    bias: &[f32],
    out: &mut [f32],
) {
    dequantize_rows_generic(acc, row_scale, col_scale, bias, out)
}

#[inline(always)]
fn dequantize_rows_generic(
    acc: &[i32],
    row_scale: &[f32],
    col_scale: &[f32],
    bias: &[f32],
    out: &mut [f32],
) {
    let n = bias.len();
    for ((a, o), &s) in acc.chunks_exact(n).zip(out.chunks_exact_mut(n)).zip(row_scale) {
        for (((o, &a), &c), &b) in o.iter_mut().zip(a).zip(col_scale).zip(bias) {
            *o = (a as f32 * s).mul_add(c, b);
        }
    }
}

// MKL's packed sgemm, as libtorch's MKL build exports it (CBLAS enum values).
const ROW_MAJOR: c_int = 101;
const TRANS: c_int = 112;
const NO_TRANS: c_int = 111;
const PACKED: c_int = 151;
const B_MATRIX: c_int = 162;

type PackGetSize = unsafe extern "C" fn(c_int, c_int, c_int, c_int) -> usize;
type Pack = unsafe extern "C" fn(c_int, c_int, c_int, c_int, c_int, c_int, f32, *const f32, c_int, *mut f32);
type Compute = unsafe extern "C" fn(
    c_int,
    c_int,
    c_int,
    c_int,
    c_int,
    c_int,
    *const f32,
    c_int,
    *const f32,
    c_int,
    f32,
    *mut f32,
    c_int,
);

#[derive(Clone, Copy)]
struct MklFns {
    get_size: PackGetSize,
    pack: Pack,
    compute: Compute,
}

/// The packed-sgemm functions, if the loaded libtorch exports them (its x86 builds link MKL).
fn mkl() -> Option<MklFns> {
    static FNS: OnceLock<Option<MklFns>> = OnceLock::new();
    *FNS.get_or_init(|| {
        if std::env::var_os("SENTIR_NO_MKL_PACK").is_some() {
            return None;
        }
        // SAFETY: dlsym on the process's global symbols with NUL-terminated names; each
        // symbol found has the CBLAS signature declared above.
        unsafe {
            let find = |name: &[u8]| {
                let p = libc::dlsym(libc::RTLD_DEFAULT, name.as_ptr().cast());
                (!p.is_null()).then_some(p)
            };
            let get_size = find(b"cblas_sgemm_pack_get_size\0")?;
            let pack = find(b"cblas_sgemm_pack\0")?;
            let compute = find(b"cblas_sgemm_compute\0")?;
            Some(MklFns {
                get_size: std::mem::transmute::<*mut c_void, PackGetSize>(get_size),
                pack: std::mem::transmute::<*mut c_void, Pack>(pack),
                compute: std::mem::transmute::<*mut c_void, Compute>(compute),
            })
        }
    })
}

/// Whether fp32 layers can be packed on this machine.
pub fn mkl_packing_available() -> bool {
    mkl().is_some()
}

/// A Linear layer's fp32 weight `[n, k]` packed by MKL for `x · Wᵀ`.
pub struct MklPacked {
    fns: MklFns,
    /// The packed weight, from `offset` (64-byte aligned).
    buf: Vec<f32>,
    offset: usize,
    n: usize,
    k: usize,
}

impl std::fmt::Debug for MklPacked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "MklPacked({}x{})", self.n, self.k)
    }
}

/// Rows the packing is sized for (MKL's packed B does not depend on it).
const PACK_ROWS: c_int = 256;

impl MklPacked {
    /// Packs row-major `w` (`[n, k]`); `None` without MKL or for sizes beyond `c_int`.
    pub fn new(w: &[f32], n: usize, k: usize) -> Option<MklPacked> {
        let fns = mkl()?;
        assert_eq!(w.len(), n * k);
        let (ni, ki) = (c_int::try_from(n).ok()?, c_int::try_from(k).ok()?);
        // SAFETY: MKL's documented size query and packing; `buf` holds `bytes` from `offset`.
        unsafe {
            let bytes = (fns.get_size)(B_MATRIX, PACK_ROWS, ni, ki);
            let mut buf = vec![0f32; bytes.div_ceil(4) + 16];
            let offset = buf.as_ptr().align_offset(64);
            (fns.pack)(
                ROW_MAJOR,
                B_MATRIX,
                TRANS,
                PACK_ROWS,
                ni,
                ki,
                1.0,
                w.as_ptr(),
                ki,
                buf.as_mut_ptr().add(offset),
            );
            Some(MklPacked {
                fns,
                buf,
                offset,
                n,
                k,
            })
        }
    }

    /// Output width.
    pub fn n(&self) -> usize {
        self.n
    }

    /// `c += a · Wᵀ` for row-major `a` (`[m, k]`) and `c` (`[m, n]`; the caller has written
    /// the bias rows into it).
    pub fn accumulate(&self, a: &[f32], m: usize, c: &mut [f32]) {
        assert_eq!(a.len(), m * self.k);
        assert_eq!(c.len(), m * self.n);
        if m == 0 {
            return;
        }
        let mi = c_int::try_from(m).expect("rows fit a C int");
        let (ni, ki) = (self.n as c_int, self.k as c_int);
        // SAFETY: sizes checked above; the packed buffer was made for (n, k).
        unsafe {
            (self.fns.compute)(
                ROW_MAJOR,
                NO_TRANS,
                PACKED,
                mi,
                ni,
                ki,
                a.as_ptr(),
                ki,
                self.buf.as_ptr().add(self.offset),
                ni,
                1.0,
                c.as_mut_ptr(),
                ni,
            );
        }
    }
}
