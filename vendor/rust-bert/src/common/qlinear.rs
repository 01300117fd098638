// sentir patch 3 (see PATCHES.md): a Linear layer that can switch to int8 dynamic
// quantization, as `torch.quantization.quantize_dynamic` does for `nn.Linear`.
// Licensed under the Apache License, Version 2.0, like the rest of this crate.

//! A `Linear` layer with an optional int8 dynamic-quantization mode (libtorch's fbgemm
//! kernels). fbgemm's legacy kernel quantizes per tensor; sentir gets per-channel weights and
//! per-token activations out of it by scaling: weight rows and input rows are divided by
//! their own maxima before quantization and the int32-accumulated outputs multiplied back
//! (`W x = s_w ⊙ s_x ⊙ (W/s_w)(x/s_x)`). BERT activations have a few tokens with huge
//! values; per-tensor scales would flatten every other token to a handful of levels.

use tch::nn::{self, Module};
use tch::{Kind, Tensor};

/// Quantized weights in the layout libtorch's fbgemm kernels expect.
#[derive(Debug)]
struct Int8Weight {
    weight: Tensor,
    packed: Tensor,
    col_offsets: Tensor,
    scale: f64,
    zero_point: i64,
    /// Per output channel: the row's largest adjacent-pair magnitude (see [`PAIR_QMAX`]).
    row_scale: Tensor,
    zero_bias: Tensor,
    bias: Tensor,
    /// The extra input row `[-1, 1, 0, …]` that pins the activation range.
    pin: Tensor,
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

/// Largest |q| of a pair of adjacent int8 weights. fbgemm's AVX2 kernels multiply uint8
/// activations by int8 weights with `vpmaddubsw`, which adds the products of adjacent pairs
/// (k, k+1) into an int16 and saturates at 32767; 255 × 128 = 32640 keeps every pair exact.
/// (libtorch's `quantize_dynamic` avoids the overflow with 7-bit activations instead.)
pub const PAIR_QMAX: f64 = 127.0;

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
        // values sums to at most PAIR_QMAX in magnitude (no int16 saturation in fbgemm).
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
        let (scale, zero_point) = (1.0 / PAIR_QMAX, 0i64);
        let weight = (&w / row_scale.unsqueeze(1) * PAIR_QMAX)
            .round()
            .clamp(-128.0, 127.0)
            .to_kind(Kind::Int8)
            .contiguous();
        // fbgemm wants, per output row, the sum of its int8 weights minus zero_point * K.
        let col_offsets = weight
            .sum_dim_intlist([1i64].as_slice(), false, Kind::Int)
            .contiguous();
        let packed = weight.fbgemm_pack_quantized_matrix();
        let pin = Tensor::zeros([1, in_dim], (Kind::Float, w.device()));
        let ends = Tensor::from_slice(&[-1f32, 1.0][..in_dim.min(2) as usize]);
        let _ = pin.narrow(1, 0, in_dim.min(2)).copy_(&ends.unsqueeze(0));
        let bias = match &self.linear.bs {
            Some(b) => b.detach().to_kind(Kind::Float).contiguous(),
            None => Tensor::zeros([out_dim], (Kind::Float, w.device())),
        };
        self.int8 = Some(Int8Weight {
            weight,
            packed,
            col_offsets,
            scale,
            zero_point,
            row_scale,
            zero_bias: Tensor::zeros([out_dim], (Kind::Float, w.device())),
            bias,
            pin,
        });
    }
}

impl Module for QLinear {
    fn forward(&self, xs: &Tensor) -> Tensor {
        match &self.int8 {
            None => self.linear.forward(xs),
            Some(q) => {
                // Per-token activations on a per-tensor kernel: each row of the input is
                // divided by its absolute maximum, and the outputs are multiplied back. One
                // extra row holding -1 and 1 pins fbgemm's activation range to exactly
                // [-1, 1], so a row's result does not depend on the other rows in the batch.
                let size = xs.size();
                let k = *size.last().expect("linear input has a last dimension");
                let x = xs.reshape([-1, k]);
                let m = x.size()[0];
                let token_scale = x.abs().amax([-1i64].as_slice(), true).clamp_min(1e-12);
                let buf = Tensor::empty([m + 1, k], (x.kind(), x.device()));
                let _ = x.div_out(&buf.narrow(0, 0, m), &token_scale);
                let _ = buf.narrow(0, m, 1).copy_(&q.pin);
                let mut y = buf
                    .fbgemm_linear_int8_weight_fp32_activation(
                        &q.weight,
                        &q.packed,
                        &q.col_offsets,
                        tch::Scalar::float(q.scale),
                        tch::Scalar::int(q.zero_point),
                        &q.zero_bias,
                    )
                    .narrow(0, 0, m);
                y *= &token_scale;
                let mut out_size = size.clone();
                *out_size.last_mut().expect("non-empty") = q.bias.size()[0];
                q.bias.addcmul(&y, &q.row_scale).view(out_size.as_slice())
            }
        }
    }
}
