// sentir patch 3 (see PATCHES.md): a Linear layer that can switch to int8 dynamic
// quantization, as `torch.quantization.quantize_dynamic` does for `nn.Linear`.
// Licensed under the Apache License, Version 2.0, like the rest of this crate.

//! A `Linear` layer with an optional int8 dynamic-quantization mode: weights int8 per output
//! channel, activations int8 per token (each row scaled by its own absolute maximum), an exact
//! int8 × int8 → int32 product (libtorch's `_int_mm`, oneDNN on x86), and the scales applied
//! to the int32 result: `W x ≈ s_w ⊙ s_x ⊙ (q_w q_x)`. BERT activations have a few tokens with
//! huge values; per-tensor scales would flatten every other token to a handful of levels.
//! Every row is quantized on its own and the product is exact, so a row's result does not
//! depend on the other rows in the batch.

use tch::nn::{self, Module};
use tch::{Kind, Tensor};

/// Quantized weights.
#[derive(Debug)]
struct Int8Weight {
    /// `[in, out]` int8 (a transposed view of the `[out, in]` quantized rows).
    weight_t: Tensor,
    /// Per output channel: the row's largest adjacent-pair magnitude / [`PAIR_QMAX`].
    row_scale: Tensor,
    bias: Tensor,
}

/// `nn::Linear` that can run with int8 weights (CPU only).
#[derive(Debug)]
pub struct QLinear {
    /// The float layer (its variables stay in the `VarStore`).
    pub linear: nn::Linear,
    int8: Option<Int8Weight>,
}

/// Layers that can switch their Linear layers to int8 dynamic quantization.
pub trait QuantizeDynamic {
    /// Quantizes every Linear layer's weights to int8 (inference on CPU only).
    fn quantize_dynamic(&mut self);
}

/// Largest |q| of a pair of adjacent int8 weights. oneDNN's AVX2 int8 kernels shift the
/// activations to uint8 and multiply them by the int8 weights with `vpmaddubsw`, which adds
/// the products of adjacent pairs (k, k+1) into an int16 and saturates at 32767;
/// 255 × 127 = 32385 keeps every pair exact. (libtorch's `quantize_dynamic` avoids the
/// overflow with 7-bit activations instead.)
pub const PAIR_QMAX: f64 = 127.0;

/// Largest |q| of an activation (symmetric, per token).
const ACT_QMAX: f64 = 127.0;

impl QLinear {
    /// Wraps a float layer.
    pub fn new(linear: nn::Linear) -> QLinear {
        QLinear { linear, int8: None }
    }

    /// Whether the layer runs with int8 weights.
    pub fn is_quantized(&self) -> bool {
        self.int8.is_some()
    }
}

impl QuantizeDynamic for QLinear {
    fn quantize_dynamic(&mut self) {
        let _guard = tch::no_grad_guard();
        let w = self.linear.ws.detach().to_kind(Kind::Float);
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
        let bias = match &self.linear.bs {
            Some(b) => b.detach().to_kind(Kind::Float).contiguous(),
            None => Tensor::zeros([out_dim], (Kind::Float, w.device())),
        };
        self.int8 = Some(Int8Weight {
            weight_t: weight.tr(),
            row_scale: row_scale / PAIR_QMAX,
            bias,
        });
    }
}

impl Module for QLinear {
    fn forward(&self, xs: &Tensor) -> Tensor {
        match &self.int8 {
            None => self.linear.forward(xs),
            Some(q) => {
                let size = xs.size();
                let k = *size.last().expect("linear input has a last dimension");
                let x = xs.reshape([-1, k]);
                let token_scale = x.abs().amax([-1i64].as_slice(), true).clamp_min(1e-12) / ACT_QMAX;
                // |x / token_scale| <= 127 by construction.
                let xq = (&x / &token_scale).round_().to_kind(Kind::Int8);
                let y = xq.internal_int_mm(&q.weight_t) * &token_scale;
                // y = bias + y ⊙ row_scale, in place.
                let _ = q.bias.addcmul_out(&y, &y, &q.row_scale);
                let mut out_size = size.clone();
                *out_size.last_mut().expect("non-empty") = q.bias.size()[0];
                y.view(out_size.as_slice())
            }
        }
    }
}
