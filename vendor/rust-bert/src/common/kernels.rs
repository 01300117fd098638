// sentir patches 7, 8 and 9 (see PATCHES.md): the element-wise passes around int8 products,
// MKL's packed sgemm (its rows split over libtorch's threads), and MKL's bf16 products, for
// `QLinear`'s inference modes.
// Licensed under the Apache License, Version 2.0, like the rest of this crate.

//! Kernels of [`super::qlinear::QLinear`]'s inference modes: per-row int8 quantization and the
//! scaling of int32 products back to float (one pass each, vectorized with AVX2 where the CPU
//! has it, detected at run time), fp32 products with weights packed once by MKL (each product's
//! rows split in equal parts over libtorch's OpenMP threads, MKL sequential in each), and bf16 ×
//! bf16 → fp32 products (MKL's `gemm_bf16bf16f32`) with the rounding of fp32 rows to bf16.

use std::convert::TryFrom;
use std::ffi::{c_int, c_uint, c_void};
use std::sync::{Mutex, OnceLock};

/// Largest |q| of an activation (symmetric, per token).
pub const ACT_QMAX: f32 = 127.0;

/// Quantizes each `k`-wide row of `src` to int8 in `dst` with its own scale
/// (`max |x| / 127`, at least 1e-12 / 127), written to `scales`; values are rounded half to
/// even, as libtorch's `round`. Rows are split over libtorch's OpenMP threads (see
/// [`for_each_part`]).
pub fn quantize_rows(src: &[f32], k: usize, dst: &mut [i8], scales: &mut [f32]) {
    assert_eq!(src.len(), dst.len());
    assert_eq!(src.len(), k * scales.len());
    let rows = scales.len();
    let per = rows_per_part(rows, k);
    if per == 0 {
        return;
    }
    let parts: Vec<_> = src
        .chunks(per * k)
        .zip(dst.chunks_mut(per * k))
        .zip(scales.chunks_mut(per))
        .collect();
    for_each_part(parts, &|((src, dst), scales)| {
        quantize_part(src, k, dst, scales)
    });
}

/// [`quantize_rows`] on the calling thread.
fn quantize_part(src: &[f32], k: usize, dst: &mut [i8], scales: &mut [f32]) {
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
    use std::arch::x86_64::*;
    let abs_mask = _mm256_castsi256_ps(_mm256_set1_epi32(i32::MAX));
    // packs_epi32 / packs_epi16 interleave 128-bit lanes; this puts the 32 bytes back in order.
    let order = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7);
    for ((row, out), scale) in src.chunks_exact(k).zip(dst.chunks_exact_mut(k)).zip(scales) {
        let mut chunks = row.chunks_exact(8);
        let mut m = _mm256_setzero_ps();
        for c in &mut chunks {
            m = _mm256_max_ps(m, _mm256_and_ps(abs_mask, _mm256_loadu_ps(c.as_ptr())));
        }
        let mut lanes = [0f32; 8];
        _mm256_storeu_ps(lanes.as_mut_ptr(), m);
        let mut max = chunks.remainder().iter().fold(0f32, |m, v| m.max(v.abs()));
        for l in lanes {
            max = max.max(l);
        }
        let s = max.max(1e-12) / ACT_QMAX;
        *scale = s;
        let sv = _mm256_set1_ps(s);
        // v / s, rounded half to even (|v / s| <= 127 by construction), 32 at a time.
        let q = |p: *const f32| {
            let v = _mm256_div_ps(_mm256_loadu_ps(p), sv);
            _mm256_cvtps_epi32(_mm256_round_ps::<
                { _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC },
            >(v))
        };
        let wide = k / 32 * 32;
        for j in (0..wide).step_by(32) {
            let p = row.as_ptr().add(j);
            let ab = _mm256_packs_epi32(q(p), q(p.add(8)));
            let cd = _mm256_packs_epi32(q(p.add(16)), q(p.add(24)));
            let bytes = _mm256_permutevar8x32_epi32(_mm256_packs_epi16(ab, cd), order);
            _mm256_storeu_si256(out.as_mut_ptr().add(j) as *mut __m256i, bytes);
        }
        for (q, v) in out[wide..].iter_mut().zip(&row[wide..]) {
            *q = (v / s).round_ties_even() as i8;
        }
    }
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

/// `out[i][j] = bias[j] + (acc[i][j] · row_scale[i]) · col_scale[j]`, plus `residual[i][j]`
/// when given: int32 products of quantized rows back to float (the scaling's last step fused,
/// as libtorch's `addcmul` on x86 is, then the residual added, so that the results are the
/// same to the bit as those ops one after the other).
pub fn dequantize_rows(
    acc: &[i32],
    row_scale: &[f32],
    col_scale: &[f32],
    bias: &[f32],
    residual: Option<&[f32]>,
    out: &mut [f32],
) {
    let n = bias.len();
    assert_eq!(col_scale.len(), n);
    assert_eq!(acc.len(), out.len());
    assert_eq!(acc.len(), n * row_scale.len());
    if let Some(r) = residual {
        assert_eq!(r.len(), out.len());
    }
    let per = rows_per_part(row_scale.len(), n);
    if per == 0 {
        return;
    }
    let residual_parts: Box<dyn Iterator<Item = Option<&[f32]>>> = match residual {
        Some(r) => Box::new(r.chunks(per * n).map(Some)),
        None => Box::new(std::iter::repeat(None)),
    };
    let parts: Vec<_> = acc
        .chunks(per * n)
        .zip(out.chunks_mut(per * n))
        .zip(row_scale.chunks(per))
        .zip(residual_parts)
        .collect();
    let scales = ColScales { col_scale, bias };
    for_each_part(parts, &|(((acc, out), row_scale), residual)| {
        dequantize_part(acc, row_scale, scales, residual, out)
    });
}

/// The per-column factors of [`dequantize_rows`].
#[derive(Clone, Copy)]
struct ColScales<'a> {
    col_scale: &'a [f32],
    bias: &'a [f32],
}

/// [`dequantize_rows`] on the calling thread.
fn dequantize_part(
    acc: &[i32],
    row_scale: &[f32],
    c: ColScales,
    residual: Option<&[f32]>,
    out: &mut [f32],
) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU has AVX2.
        return unsafe { dequantize_rows_avx2(acc, row_scale, c, residual, out) };
    }
    dequantize_rows_generic(acc, row_scale, c, residual, out)
}

/// Fewest values a part gets: below that, waking the other threads costs more than it saves.
const MIN_PART_VALUES: usize = 16 * 1024;

/// Rows per part, so that each of libtorch's threads gets one part of at least
/// [`MIN_PART_VALUES`] values (0 for no rows).
fn rows_per_part(rows: usize, width: usize) -> usize {
    if rows == 0 {
        return 0;
    }
    let threads = team_size();
    let by_size = (rows * width.max(1) / MIN_PART_VALUES).max(1);
    rows.div_ceil(threads.min(by_size))
}

/// The rows of a product `c[m, n] += a[m, k] · B`, split into one part per thread of
/// libtorch's OpenMP team (see [`for_each_part`]), for products that each part computes on
/// its own thread.
fn row_parts<'a, A>(
    a: &'a [A],
    k: usize,
    c: &'a mut [f32],
    n: usize,
    m: usize,
) -> Vec<(&'a [A], &'a mut [f32])> {
    let per = m.div_ceil(team_size().min(m).max(1)).max(1);
    a.chunks(per * k).zip(c.chunks_mut(per * n)).collect()
}

/// Most parts one pass is split into.
const MAX_PARTS: usize = 64;

/// Threads of libtorch's OpenMP team, at most [`MAX_PARTS`]: how many parts a pass is cut into.
fn team_size() -> usize {
    (tch::get_num_threads().max(1) as usize).min(MAX_PARTS)
}

// libgomp's entry points, as libtorch's OpenMP build loads them.
type GompParallel = unsafe extern "C" fn(extern "C" fn(*mut c_void), *mut c_void, c_uint, c_uint);
type OmpQuery = unsafe extern "C" fn() -> c_int;

#[derive(Clone, Copy)]
struct OmpFns {
    parallel: GompParallel,
    thread_num: OmpQuery,
    num_threads: OmpQuery,
}

/// libgomp's functions, if the process has them (`SENTIR_NO_OMP_KERNELS=1`: never).
fn omp() -> Option<OmpFns> {
    static FNS: OnceLock<Option<OmpFns>> = OnceLock::new();
    *FNS.get_or_init(|| {
        if std::env::var_os("SENTIR_NO_OMP_KERNELS").is_some() {
            return None;
        }
        // SAFETY: dlsym on the process's global symbols with NUL-terminated names; each
        // symbol found has libgomp's signature declared above.
        unsafe {
            let parallel = dlsym(b"GOMP_parallel\0")?;
            let thread_num = dlsym(b"omp_get_thread_num\0")?;
            let num_threads = dlsym(b"omp_get_num_threads\0")?;
            Some(OmpFns {
                parallel: std::mem::transmute::<*mut c_void, GompParallel>(parallel),
                thread_num: std::mem::transmute::<*mut c_void, OmpQuery>(thread_num),
                num_threads: std::mem::transmute::<*mut c_void, OmpQuery>(num_threads),
            })
        }
    })
}

/// Runs `f` on every part: one part per thread of libtorch's OpenMP team (the threads that
/// run its products, already awake between them), so that these passes do not leave the
/// other cores spinning. Parts a smaller team did not reach run on the calling thread.
fn for_each_part<T: Send>(parts: Vec<T>, f: &(dyn Fn(T) + Sync)) {
    let omp = match omp() {
        Some(omp) if parts.len() > 1 => omp,
        _ => return parts.into_iter().for_each(f),
    };
    struct Job<'a, T> {
        parts: Vec<Mutex<Option<T>>>,
        f: &'a (dyn Fn(T) + Sync),
        omp: OmpFns,
    }
    extern "C" fn run<T>(data: *mut c_void) {
        // SAFETY: `data` is the `Job` below, alive until GOMP_parallel returns.
        let job = unsafe { &*(data as *const Job<'_, T>) };
        // SAFETY: libgomp's queries, inside its parallel region.
        let (mut t, n) = unsafe {
            (
                (job.omp.thread_num)() as usize,
                (job.omp.num_threads)() as usize,
            )
        };
        while t < job.parts.len() {
            let part = job.parts[t].lock().map(|mut p| p.take()).unwrap_or(None);
            if let Some(part) = part {
                (job.f)(part);
            }
            t += n.max(1);
        }
    }
    let threads = parts.len() as c_uint;
    let job = Job {
        parts: parts.into_iter().map(|p| Mutex::new(Some(p))).collect(),
        f,
        omp,
    };
    // SAFETY: libgomp's parallel region; `run::<T>` reads `job` only, which outlives it.
    unsafe {
        (omp.parallel)(
            run::<T>,
            &job as *const Job<'_, T> as *mut c_void,
            threads,
            0,
        )
    };
    for p in job.parts {
        if let Some(part) = p.into_inner().unwrap_or(None) {
            f(part);
        }
    }
}

/// A global symbol of the process, if loaded.
unsafe fn dlsym(name: &[u8]) -> Option<*mut c_void> {
    let p = libc::dlsym(libc::RTLD_DEFAULT, name.as_ptr().cast());
    (!p.is_null()).then_some(p)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn dequantize_rows_avx2(
    acc: &[i32],
    row_scale: &[f32],
    c: ColScales,
    residual: Option<&[f32]>,
    out: &mut [f32],
) {
    use std::arch::x86_64::*;
    let n = c.bias.len();
    let wide = n / 8 * 8;
    for (i, (a, o)) in acc.chunks_exact(n).zip(out.chunks_exact_mut(n)).enumerate() {
        let s = row_scale[i];
        let sv = _mm256_set1_ps(s);
        let r = residual.map(|r| &r[i * n..(i + 1) * n]);
        for j in (0..wide).step_by(8) {
            let x = _mm256_cvtepi32_ps(_mm256_loadu_si256(a.as_ptr().add(j) as *const __m256i));
            let mut y = _mm256_fmadd_ps(
                _mm256_mul_ps(x, sv),
                _mm256_loadu_ps(c.col_scale.as_ptr().add(j)),
                _mm256_loadu_ps(c.bias.as_ptr().add(j)),
            );
            if let Some(r) = r {
                y = _mm256_add_ps(y, _mm256_loadu_ps(r.as_ptr().add(j)));
            }
            _mm256_storeu_ps(o.as_mut_ptr().add(j), y);
        }
        for j in wide..n {
            let y = (a[j] as f32 * s).mul_add(c.col_scale[j], c.bias[j]);
            o[j] = r.map_or(y, |r| y + r[j]);
        }
    }
}

#[inline(always)]
fn dequantize_rows_generic(
    acc: &[i32],
    row_scale: &[f32],
    c: ColScales,
    residual: Option<&[f32]>,
    out: &mut [f32],
) {
    let n = c.bias.len();
    for (i, (a, o)) in acc.chunks_exact(n).zip(out.chunks_exact_mut(n)).enumerate() {
        let s = row_scale[i];
        for j in 0..n {
            let y = (a[j] as f32 * s).mul_add(c.col_scale[j], c.bias[j]);
            o[j] = match residual {
                Some(r) => y + r[i * n + j],
                None => y,
            };
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
type Pack = unsafe extern "C" fn(
    c_int,
    c_int,
    c_int,
    c_int,
    c_int,
    c_int,
    f32,
    *const f32,
    c_int,
    *mut f32,
);
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
            let get_size = dlsym(b"cblas_sgemm_pack_get_size\0")?;
            let pack = dlsym(b"cblas_sgemm_pack\0")?;
            let compute = dlsym(b"cblas_sgemm_compute\0")?;
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
    /// the bias rows into it). The rows are split in equal parts, one per thread of
    /// libtorch's OpenMP team: MKL's own split of these products between two threads left one
    /// of them waiting at the end of each for about a third of its time.
    pub fn accumulate(&self, a: &[f32], m: usize, c: &mut [f32]) {
        assert_eq!(a.len(), m * self.k);
        assert_eq!(c.len(), m * self.n);
        if m == 0 {
            return;
        }
        let parts = row_parts(a, self.k, c, self.n, m);
        for_each_part(parts, &|(a, c)| self.accumulate_part(a, c));
    }

    /// [`MklPacked::accumulate`] of some rows on the calling thread (MKL runs sequentially
    /// inside an OpenMP region).
    fn accumulate_part(&self, a: &[f32], c: &mut [f32]) {
        let m = a.len() / self.k;
        let mi = c_int::try_from(m).expect("rows fit a C int");
        let (ni, ki) = (self.n as c_int, self.k as c_int);
        // SAFETY: `a` is `[m, k]` and `c` `[m, n]` (split by `row_parts`); the packed buffer
        // was made for (n, k).
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

// MKL's bf16 × bf16 → fp32 product (AMX or AVX512-BF16 kernels where the CPU has them).
type GemmBf16 = unsafe extern "C" fn(
    c_int,
    c_int,
    c_int,
    c_int,
    c_int,
    c_int,
    f32,
    *const u16,
    c_int,
    *const u16,
    c_int,
    f32,
    *mut f32,
    c_int,
);

/// MKL's `cblas_gemm_bf16bf16f32`, if the loaded libtorch exports it (`SENTIR_NO_MKL_BF16=1`:
/// never).
fn mkl_bf16() -> Option<GemmBf16> {
    static FN: OnceLock<Option<GemmBf16>> = OnceLock::new();
    *FN.get_or_init(|| {
        if std::env::var_os("SENTIR_NO_MKL_BF16").is_some() {
            return None;
        }
        // SAFETY: dlsym on the process's global symbols with a NUL-terminated name; the symbol
        // has the CBLAS signature declared above.
        unsafe {
            let gemm = dlsym(b"cblas_gemm_bf16bf16f32\0")?;
            Some(std::mem::transmute::<*mut c_void, GemmBf16>(gemm))
        }
    })
}

/// Whether bf16 layers can run here (libtorch exports MKL's bf16 product).
pub fn mkl_bf16_available() -> bool {
    mkl_bf16().is_some()
}

/// `x` rounded to the nearest bfloat16 (ties to even; NaN stays a quiet NaN), as its bits.
#[inline(always)]
pub fn bf16_bits(x: f32) -> u16 {
    let u = x.to_bits();
    let rounded = (u.wrapping_add(0x7fff + ((u >> 16) & 1)) >> 16) as u16;
    let nan = ((u >> 16) | 0x40) as u16;
    if u & 0x7fff_ffff > 0x7f80_0000 {
        nan
    } else {
        rounded
    }
}

/// Rounds `src` to bfloat16 bits in `dst` ([`bf16_bits`]); rows of `k` values are split over
/// libtorch's OpenMP threads (see [`for_each_part`]).
pub fn to_bf16_rows(src: &[f32], k: usize, dst: &mut [u16]) {
    assert_eq!(src.len(), dst.len());
    let rows = if k == 0 { 0 } else { src.len() / k };
    assert_eq!(rows * k, src.len());
    let per = rows_per_part(rows, k);
    if per == 0 {
        return;
    }
    let parts: Vec<_> = src.chunks(per * k).zip(dst.chunks_mut(per * k)).collect();
    for_each_part(parts, &|(src, dst)| to_bf16_part(src, dst));
}

/// [`to_bf16_rows`] on the calling thread.
fn to_bf16_part(src: &[f32], dst: &mut [u16]) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU has AVX2.
        return unsafe { to_bf16_avx2(src, dst) };
    }
    to_bf16_generic(src, dst)
}

/// The same loop as [`to_bf16_generic`], compiled for AVX2 (the compiler vectorizes it).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn to_bf16_avx2(src: &[f32], dst: &mut [u16]) {
    to_bf16_generic(src, dst)
}

#[inline(always)]
fn to_bf16_generic(src: &[f32], dst: &mut [u16]) {
    for (d, s) in dst.iter_mut().zip(src) {
        *d = bf16_bits(*s);
    }
}

/// A Linear layer's weight `[n, k]` in bfloat16, for `c += a · Wᵀ` with MKL's bf16 × bf16 →
/// fp32 product (fp32 accumulation and output).
pub struct Bf16Weight {
    gemm: GemmBf16,
    w: Vec<u16>,
    n: usize,
    k: usize,
}

impl std::fmt::Debug for Bf16Weight {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Bf16Weight({}x{})", self.n, self.k)
    }
}

impl Bf16Weight {
    /// Rounds row-major `w` (`[n, k]`) to bf16; `None` without MKL's bf16 product or for sizes
    /// beyond `c_int`.
    pub fn new(w: &[f32], n: usize, k: usize) -> Option<Bf16Weight> {
        let gemm = mkl_bf16()?;
        assert_eq!(w.len(), n * k);
        c_int::try_from(n).ok()?;
        c_int::try_from(k).ok()?;
        let mut bits = vec![0u16; n * k];
        to_bf16_generic(w, &mut bits);
        Some(Bf16Weight {
            gemm,
            w: bits,
            n,
            k,
        })
    }

    /// Input width.
    pub fn k(&self) -> usize {
        self.k
    }

    /// Output width.
    pub fn n(&self) -> usize {
        self.n
    }

    /// `c += a · Wᵀ` for row-major bf16 `a` (`[m, k]`) and fp32 `c` (`[m, n]`; the caller has
    /// written the bias rows into it).
    pub fn accumulate(&self, a: &[u16], m: usize, c: &mut [f32]) {
        assert_eq!(a.len(), m * self.k);
        assert_eq!(c.len(), m * self.n);
        if m == 0 {
            return;
        }
        let mi = c_int::try_from(m).expect("rows fit a C int");
        let (ni, ki) = (self.n as c_int, self.k as c_int);
        // SAFETY: sizes checked above; `w` is `[n, k]` row-major, read transposed.
        unsafe {
            (self.gemm)(
                ROW_MAJOR,
                NO_TRANS,
                TRANS,
                mi,
                ni,
                ki,
                1.0,
                a.as_ptr(),
                ki,
                self.w.as_ptr(),
                ki,
                1.0,
                c.as_mut_ptr(),
                ni,
            );
        }
    }
}
