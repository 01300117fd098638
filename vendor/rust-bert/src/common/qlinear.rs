// sentir patches 3, 7, 8 and 10 (see PATCHES.md): a Linear layer that can switch to int8
// dynamic quantization, as `torch.quantization.quantize_dynamic` does for `nn.Linear`, to fp32
// weights prepacked once for MKL's sgemm, or to bf16 products (MKL's bf16 x bf16 -> fp32, or
// libtorch's bf16 matmul).
// Licensed under the Apache License, Version 2.0, like the rest of this crate.

//! A `Linear` layer with two inference modes besides the float layer:
//!
//! - int8 dynamic quantization: weights int8 per output channel, activations int8 per token
//!   (each row scaled by its own absolute maximum), an exact int8 × int8 → int32 product
//!   (libtorch's `_int_mm`, oneDNN on x86), and the scales applied to the int32 result:
//!   `W x ≈ s_w ⊙ s_x ⊙ (q_w q_x)`. BERT activations have a few tokens with huge values;
//!   per-tensor scales would flatten every other token to a handful of levels. Every row is
//!   quantized on its own and the product is exact, so a row's result does not depend on the
//!   other rows in the batch. Quantizing a row and scaling the int32 result back are one pass
//!   each over the data ([`super::kernels`]), not seven passes of libtorch ops.
//! - fp32 with the weight packed once (MKL's `cblas_sgemm_pack`) instead of by every call, and
//!   the bias written into the output before the product (`beta = 1`). Same products as the
//!   float layer, up to the summation order inside the kernel.
//! - bf16 products in an fp32 model: the weight rounded to bfloat16 once, the input rows
//!   rounded to bfloat16 at each call, and MKL's bf16 × bf16 → fp32 product (AMX or
//!   AVX512-BF16 where the CPU has them) accumulated in fp32 onto the bias rows. Everything
//!   around the products (residuals, LayerNorm, attention, GELU) stays fp32.
//! - the same with libtorch's bf16 matmul (oneDNN, which runs AVX512-BF16 on any CPU that has
//!   it, where MKL converts bf16 to fp32 on non-Intel CPUs): the product's output is rounded
//!   to bf16 before the bias and residual are added in fp32.

use super::kernels::{self, Bf16Weight, MklPacked};
use std::convert::TryFrom;
use tch::nn::{self, Module};
use tch::{Device, Kind, Tensor};

/// Quantized weights.
#[derive(Debug)]
struct Int8Weight {
    /// `[in, out]` int8 (a transposed view of the `[out, in]` quantized rows).
    weight_t: Tensor,
    /// Per output channel: the row's largest adjacent-pair magnitude / [`PAIR_QMAX`].
    row_scale: Vec<f32>,
    bias: Vec<f32>,
}

/// Whether fp32 layers can be packed here (libtorch exports MKL's packed sgemm).
pub fn fp32_packing_available() -> bool {
    kernels::mkl_packing_available()
}

/// Whether bf16 layers can run here (libtorch exports MKL's bf16 × bf16 → fp32 product).
pub fn bf16_products_available() -> bool {
    kernels::mkl_bf16_available()
}

/// What a layer runs at inference.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinearMode {
    /// libtorch's `linear` on the float weights (training, and every device).
    Float,
    /// fp32 with MKL-prepacked weights (CPU; falls back to `Float` where libtorch has no MKL).
    PackedFp32,
    /// int8 dynamic quantization (CPU).
    Int8,
    /// bf16 weights and inputs of the products, fp32 accumulation and everything else fp32
    /// (CPU; falls back to `Float` where libtorch has no MKL bf16 product).
    Bf16,
    /// bf16 weights and inputs of the products through libtorch's bf16 matmul (oneDNN), the
    /// output rounded to bf16, bias, residual and everything else fp32 (CPU).
    Bf16Matmul,
}

/// `nn::Linear` that can run with int8 or prepacked fp32 weights (CPU only).
#[derive(Debug)]
pub struct QLinear {
    /// The float layer (its variables stay in the `VarStore`).
    pub linear: nn::Linear,
    int8: Option<Int8Weight>,
    /// The packed weight and its bias as a `[1, out]` tensor.
    packed: Option<(MklPacked, Tensor)>,
    /// The bf16 weight and its bias as a `[1, out]` tensor.
    bf16: Option<(Bf16Weight, Tensor)>,
    /// [`LinearMode::Bf16Matmul`]: the `[in, out]` bf16 weight and the `[1, out]` fp32 bias.
    bf16_matmul: Option<(Tensor, Tensor)>,
}

/// Layers that can switch their Linear layers' inference mode.
pub trait QuantizeDynamic {
    /// Switches every Linear layer to `mode` (inference on CPU only for the non-float modes).
    fn set_linear_mode(&mut self, mode: LinearMode);

    /// Quantizes every Linear layer's weights to int8 (inference on CPU only).
    fn quantize_dynamic(&mut self) {
        self.set_linear_mode(LinearMode::Int8)
    }
}

/// Largest |q| of a pair of adjacent int8 weights. oneDNN's AVX2 int8 kernels shift the
/// activations to uint8 and multiply them by the int8 weights with `vpmaddubsw`, which adds
/// the products of adjacent pairs (k, k+1) into an int16 and saturates at 32767;
/// 255 × 127 = 32385 keeps every pair exact. (libtorch's `quantize_dynamic` avoids the
/// overflow with 7-bit activations instead.)
pub const PAIR_QMAX: f64 = 127.0;

impl QLinear {
    /// Wraps a float layer.
    pub fn new(linear: nn::Linear) -> QLinear {
        QLinear {
            linear,
            int8: None,
            packed: None,
            bf16: None,
            bf16_matmul: None,
        }
    }

    /// One layer computing the outputs of `parts` side by side (their weights stacked), in
    /// `mode`: `[.., a + b + …]` for inputs shared by all of them (query, key and value).
    pub fn fused(parts: &[&QLinear], mode: LinearMode) -> QLinear {
        let _guard = tch::no_grad_guard();
        let ws: Vec<Tensor> = parts.iter().map(|p| p.linear.ws.detach()).collect();
        let bs: Vec<Tensor> = parts
            .iter()
            .map(|p| match &p.linear.bs {
                Some(b) => b.detach(),
                None => Tensor::zeros(
                    [p.linear.ws.size()[0]],
                    (p.linear.ws.kind(), p.linear.ws.device()),
                ),
            })
            .collect();
        let mut q = QLinear::new(nn::Linear {
            ws: Tensor::cat(&ws, 0),
            bs: Some(Tensor::cat(&bs, 0)),
        });
        q.set_linear_mode(mode);
        q
    }

    /// Whether the layer runs with int8 weights.
    pub fn is_quantized(&self) -> bool {
        self.int8.is_some()
    }

    /// Whether the layer runs with MKL-prepacked fp32 weights.
    pub fn is_packed(&self) -> bool {
        self.packed.is_some()
    }

    /// Whether the layer runs bf16 products (either kind).
    pub fn is_bf16(&self) -> bool {
        self.bf16.is_some() || self.bf16_matmul.is_some()
    }

    fn float_parts(&self) -> (Tensor, Vec<f32>) {
        let w = self.linear.ws.detach().to_kind(Kind::Float).contiguous();
        let bias = match &self.linear.bs {
            Some(b) => Vec::<f32>::try_from(b.detach().to_kind(Kind::Float).contiguous())
                .expect("a float bias"),
            None => vec![0.0; w.size()[0] as usize],
        };
        (w, bias)
    }

    /// The float weight as row-major values with its `(n, k)`, and the bias as a `[1, n]`
    /// tensor: what the packed and bf16 modes build their weights from.
    fn float_rows(&self) -> (Vec<f32>, usize, usize, Tensor) {
        let (w, bias) = self.float_parts();
        let (n, k) = (w.size()[0] as usize, w.size()[1] as usize);
        let w = Vec::<f32>::try_from(w.flatten(0, -1)).expect("float weights");
        (w, n, k, Tensor::from_slice(&bias).view([1, n as i64]))
    }

    fn quantize(&mut self) {
        let (w, bias) = self.float_parts();
        let (out_dim, in_dim) = (w.size()[0], w.size()[1]);
        // Per output row, the largest |w_k| + |w_k+1| over adjacent pairs: rows are divided
        // by it (per-channel scales) and quantized symmetrically so that every pair of int8
        // values sums to at most PAIR_QMAX in magnitude (no int16 saturation in the kernel).
        let abs = w.abs();
        let abs = if in_dim % 2 == 1 {
            Tensor::cat(&[&abs, &abs.zeros_like().narrow(1, 0, 1)], 1)
        } else {
            abs
        };
        let row_scale = abs
            .view([out_dim, -1, 2])
            .sum_dim_intlist([2i64].as_slice(), false, Kind::Float)
            .amax([1i64].as_slice(), false)
            .clamp_min(1e-12)
            .contiguous();
        let weight = (&w / row_scale.unsqueeze(1) * PAIR_QMAX)
            .round()
            .clamp(-128.0, 127.0)
            .to_kind(Kind::Int8)
            .contiguous();
        self.int8 = Some(Int8Weight {
            weight_t: weight.tr(),
            row_scale: Vec::<f32>::try_from(row_scale / PAIR_QMAX).expect("float scales"),
            bias,
        });
    }

    fn forward_int8(&self, q: &Int8Weight, xs: &Tensor, residual: Option<&Tensor>) -> Tensor {
        let size = xs.size();
        let k = *size.last().expect("linear input has a last dimension");
        let x = xs.to_kind(Kind::Float).reshape([-1, k]).contiguous();
        let rows = x.size()[0];
        let n = q.bias.len() as i64;
        let xq = Tensor::empty([rows, k], (Kind::Int8, Device::Cpu));
        let mut token_scale = vec![0f32; rows as usize];
        // SAFETY: `x` is a contiguous `[rows, k]` float tensor and `xq` a fresh contiguous
        // `[rows, k]` int8 one; both outlive the slices.
        unsafe {
            let src = std::slice::from_raw_parts(x.data_ptr() as *const f32, (rows * k) as usize);
            let dst = std::slice::from_raw_parts_mut(xq.data_ptr() as *mut i8, (rows * k) as usize);
            kernels::quantize_rows(src, k as usize, dst, &mut token_scale);
        }
        let acc = xq.internal_int_mm(&q.weight_t).contiguous();
        let y = Tensor::empty([rows, n], (Kind::Float, Device::Cpu));
        let residual = residual.map(|r| r.to_kind(Kind::Float).reshape([rows, n]).contiguous());
        // SAFETY: `acc` is a contiguous `[rows, n]` int32 tensor, `y` a fresh contiguous
        // `[rows, n]` float one, `residual` a contiguous `[rows, n]` float one.
        unsafe {
            let len = (rows * n) as usize;
            let acc = std::slice::from_raw_parts(acc.data_ptr() as *const i32, len);
            let out = std::slice::from_raw_parts_mut(y.data_ptr() as *mut f32, len);
            let residual = residual
                .as_ref()
                .map(|r| std::slice::from_raw_parts(r.data_ptr() as *const f32, len));
            kernels::dequantize_rows(acc, &token_scale, &q.row_scale, &q.bias, residual, out);
        }
        let mut out_size = size;
        *out_size.last_mut().expect("non-empty") = n;
        y.view(out_size.as_slice())
    }

    fn forward_packed(
        &self,
        p: &MklPacked,
        bias: &Tensor,
        xs: &Tensor,
        residual: Option<&Tensor>,
    ) -> Tensor {
        let size = xs.size();
        let k = *size.last().expect("linear input has a last dimension");
        let x = xs.reshape([-1, k]).contiguous();
        let rows = x.size()[0];
        let y = bias_rows(bias, residual, rows, p.n() as i64);
        // SAFETY: `x` is a contiguous `[rows, k]` float tensor, `y` a fresh contiguous
        // `[rows, n]` one.
        unsafe {
            let a = std::slice::from_raw_parts(x.data_ptr() as *const f32, (rows * k) as usize);
            let c = std::slice::from_raw_parts_mut(y.data_ptr() as *mut f32, rows as usize * p.n());
            p.accumulate(a, rows as usize, c);
        }
        let mut out_size = size;
        *out_size.last_mut().expect("non-empty") = p.n() as i64;
        y.view(out_size.as_slice())
    }

    fn forward_bf16(
        &self,
        w: &Bf16Weight,
        bias: &Tensor,
        xs: &Tensor,
        residual: Option<&Tensor>,
    ) -> Tensor {
        let size = xs.size();
        let k = w.k();
        let x = xs.reshape([-1, k as i64]).contiguous();
        let rows = x.size()[0] as usize;
        // Written whole by the rounding pass below (no zero fill first).
        let a = Tensor::empty([rows as i64, k as i64], (Kind::BFloat16, Device::Cpu));
        let y = bias_rows(bias, residual, rows as i64, w.n() as i64);
        // SAFETY: `x` is a contiguous `[rows, k]` float tensor, `a` a fresh contiguous
        // `[rows, k]` 16-bit one, `y` a fresh contiguous `[rows, n]` float one.
        unsafe {
            let x = std::slice::from_raw_parts(x.data_ptr() as *const f32, rows * k);
            let a16 = std::slice::from_raw_parts_mut(a.data_ptr() as *mut u16, rows * k);
            kernels::to_bf16_rows(x, k, a16);
            let c = std::slice::from_raw_parts_mut(y.data_ptr() as *mut f32, rows * w.n());
            w.accumulate(a16, rows, c);
        }
        let mut out_size = size;
        *out_size.last_mut().expect("non-empty") = w.n() as i64;
        y.view(out_size.as_slice())
    }

    fn forward_bf16_matmul(
        &self,
        w_t: &Tensor,
        bias: &Tensor,
        xs: &Tensor,
        residual: Option<&Tensor>,
    ) -> Tensor {
        let size = xs.size();
        let k = *size.last().expect("linear input has a last dimension");
        let n = w_t.size()[1];
        let x = xs.reshape([-1, k]).to_kind(Kind::BFloat16);
        let product = x.matmul(w_t);
        // The bias rows (plus the residual), then the bf16 product added in one pass that
        // reads it as fp32.
        let mut y = bias_rows(bias, residual, x.size()[0], n);
        let _ = y.g_add_(&product);
        let mut out_size = size;
        *out_size.last_mut().expect("non-empty") = n;
        y.view(out_size.as_slice())
    }
}

/// A fresh `[rows, n]` fp32 tensor holding the bias rows, plus the residual when given, that
/// a product is then added to. Written with libtorch's broadcasting ops on its threads; fresh:
/// `expand(..).contiguous()` would be the bias itself for one row.
fn bias_rows(bias: &Tensor, residual: Option<&Tensor>, rows: i64, n: i64) -> Tensor {
    match residual {
        Some(r) => r.reshape([rows, n]) + bias,
        None => {
            let mut y = Tensor::empty([rows, n], (Kind::Float, Device::Cpu));
            y.copy_(bias);
            y
        }
    }
}

impl QuantizeDynamic for QLinear {
    /// One way for the inference modes: once the int8 or packed weights are made, the float
    /// weights are released (their `VarStore` variables become empty), so that a model
    /// holds its Linear weights once. A layer that cannot pack (no MKL, not fp32 on the CPU)
    /// keeps its float weights and runs them.
    fn set_linear_mode(&mut self, mode: LinearMode) {
        let _guard = tch::no_grad_guard();
        let on_cpu = self.linear.ws.device() == Device::Cpu;
        match mode {
            LinearMode::Float => {
                self.int8 = None;
                self.packed = None;
                self.bf16 = None;
                self.bf16_matmul = None;
            }
            LinearMode::Int8 => {
                self.quantize();
                self.release_float();
            }
            LinearMode::PackedFp32 if on_cpu && self.linear.ws.kind() == Kind::Float => {
                let (w, n, k, bias) = self.float_rows();
                self.packed = MklPacked::new(&w, n, k).map(|p| (p, bias));
                if self.packed.is_some() {
                    self.release_float();
                }
            }
            LinearMode::Bf16 if on_cpu && self.linear.ws.kind() == Kind::Float => {
                let (w, n, k, bias) = self.float_rows();
                self.bf16 = Bf16Weight::new(&w, n, k).map(|b| (b, bias));
                if self.bf16.is_some() {
                    self.release_float();
                }
            }
            LinearMode::Bf16Matmul if on_cpu && self.linear.ws.kind() == Kind::Float => {
                let (w, bias) = self.float_parts();
                let n = w.size()[0];
                let w_t = w.to_kind(Kind::BFloat16).tr().contiguous();
                self.bf16_matmul = Some((w_t, Tensor::from_slice(&bias).view([1, n])));
                self.release_float();
            }
            LinearMode::PackedFp32 | LinearMode::Bf16 | LinearMode::Bf16Matmul => {}
        }
    }
}

impl QLinear {
    /// Empties the float weight and bias (in the `VarStore` too): for layers whose work is
    /// done by inference weights (their own, or a fused layer's).
    pub fn release_float(&mut self) {
        let _guard = tch::no_grad_guard();
        let empty = Tensor::empty([0], (self.linear.ws.kind(), self.linear.ws.device()));
        self.linear.ws.set_data(&empty);
        if let Some(b) = &mut self.linear.bs {
            b.set_data(&empty);
        }
    }
}

impl QLinear {
    /// `residual + self.forward(xs)` (the residual connections after attention and after
    /// the feed-forward layer, at inference): the inference modes add it in the pass that
    /// writes the output, instead of in one more pass over it.
    pub fn forward_add(&self, xs: &Tensor, residual: &Tensor) -> Tensor {
        self.forward_with(xs, Some(residual))
    }

    fn forward_with(&self, xs: &Tensor, residual: Option<&Tensor>) -> Tensor {
        // The packed weights are a snapshot for inference: an input that needs gradients
        // (training), or one not in fp32 on the CPU, goes through the float layer.
        let cpu = xs.device() == Device::Cpu;
        let residual_fits =
            residual.map_or(true, |r| r.device() == Device::Cpu && !r.requires_grad());
        let float_fits = cpu
            && residual_fits
            && xs.kind() == Kind::Float
            && residual.map_or(true, |r| r.kind() == Kind::Float)
            && !xs.requires_grad();
        match (&self.int8, &self.packed, &self.bf16, &self.bf16_matmul) {
            (Some(q), ..) if cpu && residual_fits => self.forward_int8(q, xs, residual),
            (None, Some((p, bias)), ..) if float_fits => self.forward_packed(p, bias, xs, residual),
            (None, None, Some((w, bias)), _) if float_fits => {
                self.forward_bf16(w, bias, xs, residual)
            }
            (None, None, None, Some((w_t, bias))) if float_fits => {
                self.forward_bf16_matmul(w_t, bias, xs, residual)
            }
            _ => match residual {
                Some(r) => r + self.linear.forward(xs),
                None => self.linear.forward(xs),
            },
        }
    }
}

impl Module for QLinear {
    fn forward(&self, xs: &Tensor) -> Tensor {
        self.forward_with(xs, None)
    }
}
