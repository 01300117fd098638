//! The precisions other than fp32: int8 dynamic quantization close to the fp32 logits of the
//! same model (transformers' logits from the fixtures), independent of batch-mates, and
//! refused where it cannot run; bf16 close to them too.

use rust_bert::kernels;
use sentir::model::{collate, Model, Precision};
use sentir::tokenize::TextEncoder;
use tch::{Device, Tensor};

mod common;

use common::fixture_model;

#[derive(serde::Deserialize)]
struct Expected {
    texts: Vec<String>,
    max_length: usize,
    logits_batch: Vec<Vec<f32>>,
}

fn logits(model: &Model, ids: &[Vec<i64>]) -> Vec<Vec<f32>> {
    let seqs: Vec<&[i64]> = ids.iter().map(Vec::as_slice).collect();
    let c = collate(&seqs, model.config().pad_token_id, Device::Cpu).unwrap();
    let t = tch::no_grad(|| model.logits(&c.input_ids, &c.mask, false).unwrap());
    let n = t.size()[1] as usize;
    let flat: Vec<f32> = Vec::try_from(t.flatten(0, -1)).unwrap();
    flat.chunks(n).map(<[f32]>::to_vec).collect()
}

/// The fixture's texts as token ids, the model at `precision`, its logits, and the largest
/// difference from transformers' fp32 logits.
fn run(name: &str, precision: Precision) -> (Model, Vec<Vec<i64>>, Vec<Vec<f32>>, f32) {
    let d = fixture_model(name);
    let exp: Expected =
        serde_json::from_str(&std::fs::read_to_string(d.join("expected.json")).unwrap()).unwrap();
    let enc = TextEncoder::from_file(&d.join("tokenizer.json"), exp.max_length).unwrap();
    let ids: Vec<Vec<i64>> = exp.texts.iter().map(|t| enc.encode(t).unwrap()).collect();
    let model = Model::load_with_precision(&d, Device::Cpu, precision).unwrap();
    let got = logits(&model, &ids);
    let mut worst = 0f32;
    for (g, w) in got.iter().zip(&exp.logits_batch) {
        for (a, b) in g.iter().zip(w) {
            worst = worst.max((a - b).abs());
        }
    }
    assert!(
        worst > 0.0,
        "{name}: {precision:?} gave fp32's exact logits: not applied?"
    );
    (model, ids, got, worst)
}

fn check(name: &str) {
    let (int8, ids, got, worst) = run(name, Precision::Int8);
    // These random models are tiny (hidden 32), so quantization noise is a few hundredths;
    // an arithmetic error (int16 saturation in the int8 kernel, wrong offsets) gave 0.3 to 0.7.
    assert!(
        worst < 0.1,
        "{name}: int8 logits differ from fp32 by {worst}"
    );
    // Per-token scaling keeps a message's logits independent of its batch-mates.
    for (i, s) in ids.iter().enumerate() {
        let alone = logits(&int8, std::slice::from_ref(s));
        for (a, b) in alone[0].iter().zip(&got[i]) {
            assert!(
                (a - b).abs() < 1e-4,
                "{name} text {i}: {a} alone, {b} in a batch"
            );
        }
    }
}

/// One Linear layer of the default model's size: int8 output within quantization noise of
/// fp32 (relative error ≈ 1%; wrong zero points or offsets give errors of order 1).
#[test]
fn quantized_linear_matches_fp32_within_noise() {
    use rust_bert::qlinear::{QLinear, QuantizeDynamic};
    use tch::nn::Module;
    tch::manual_seed(7);
    let vs = tch::nn::VarStore::new(Device::Cpu);
    let lin = tch::nn::linear(vs.root() / "l", 384, 1536, Default::default());
    let mut q = QLinear::new(lin);
    // Activations with a few outlier tokens, as in BERT.
    let x = Tensor::randn([2, 40, 384], (tch::Kind::Float, Device::Cpu));
    let x = x.index_put(
        &[
            Some(Tensor::from_slice(&[0i64])),
            Some(Tensor::from_slice(&[0i64])),
        ],
        &(Tensor::randn([384], (tch::Kind::Float, Device::Cpu)) * 50.0),
        false,
    );
    let want = tch::no_grad(|| q.forward(&x));
    q.quantize_dynamic();
    assert!(q.is_quantized());
    let got = tch::no_grad(|| q.forward(&x));
    assert_eq!(got.size(), want.size());
    for t in 0..40 {
        let (g, w) = (got.get(1).get(t), want.get(1).get(t));
        let rel = (&g - &w).norm().double_value(&[]) / w.norm().double_value(&[]);
        assert!(rel < 0.02, "token {t}: relative error {rel}");
    }
}

#[test]
fn bert_int8_is_close_to_fp32() {
    check("bert-3class");
}

#[test]
fn xlmr_int8_is_close_to_fp32() {
    check("xlmr-3class");
}

#[test]
fn distilbert_int8_is_refused_with_a_reason() {
    let err = Model::load_with_precision(
        &fixture_model("distilbert-2class"),
        Device::Cpu,
        Precision::Int8,
    )
    .err()
    .expect("distilbert has no int8 mode");
    assert!(err.to_string().contains("int8"), "{err}");
}

/// bf16 keeps 8 significant bits: the tiny fixtures' logits move by a few hundredths at most
/// (a layer left in another type fails to run; a wrong cast gives errors of order 1).
#[test]
fn bf16_is_close_to_fp32() {
    for name in [
        "bert-3class",
        "xlmr-3class",
        "distilbert-2class",
        "roberta-3class",
    ] {
        let (_, _, _, worst) = run(name, Precision::Bf16);
        assert!(
            worst < 0.1,
            "{name}: bf16 logits differ from fp32 by {worst}"
        );
    }
}

#[test]
fn precision_names_parse() {
    assert_eq!(Precision::parse("bfloat16").unwrap(), Precision::Bf16);
    assert_eq!(Precision::parse("bf16").unwrap().as_str(), "bf16");
    assert_eq!(Precision::parse("INT8").unwrap(), Precision::Int8);
    assert_eq!(Precision::parse("fp32").unwrap().as_str(), "fp32");
    assert!(Precision::parse("fp8").is_err());
}

// The kernels of the inference modes (vendored rust-bert patches 7 and 8).

/// A `[37, 29]` weight and its bias, for the product tests.
fn weight_and_bias() -> (usize, usize, Vec<f32>, Vec<f32>) {
    let (n, k) = (37, 29);
    let w = (0..n * k)
        .map(|i| ((i * 7919) % 23) as f32 / 7.3 - 1.5)
        .collect();
    let bias = (0..n).map(|j| j as f32 * 0.5).collect();
    (n, k, w, bias)
}

/// Checks `product(a, m, c)`, which adds `a · Wᵀ` to `c` (the bias rows), against plain sums
/// of the values as `round` leaves them, for 1 to 300 rows.
fn check_product(
    (n, k, w, bias): &(usize, usize, Vec<f32>, Vec<f32>),
    round: impl Fn(f32) -> f64,
    product: impl Fn(&[f32], usize, &mut [f32]),
) {
    let (n, k) = (*n, *k);
    for m in [1, 3, 64, 300] {
        let a: Vec<f32> = (0..m * k)
            .map(|i| ((i * 104729) % 17) as f32 / 3.1 - 2.0)
            .collect();
        let mut c: Vec<f32> = bias.iter().cycle().take(m * n).copied().collect();
        product(&a, m, &mut c);
        for (i, row) in c.chunks(n).enumerate() {
            for (j, got) in row.iter().enumerate() {
                let dot: f64 = (0..k)
                    .map(|t| round(a[i * k + t]) * round(w[j * k + t]))
                    .sum();
                let want = bias[j] as f64 + dot;
                assert!((*got as f64 - want).abs() < 1e-3, "m={m} ({i},{j})");
            }
        }
    }
}

#[test]
fn packed_sgemm_matches_a_plain_product_for_any_row_count() {
    let wb = weight_and_bias();
    // libtorch's x86-64 builds (the pinned one) link MKL, whose packed sgemm fp32 uses.
    let p = kernels::MklPacked::new(&wb.2, wb.0, wb.1);
    if cfg!(not(target_arch = "x86_64")) && p.is_none() {
        return;
    }
    let p = p.expect("libtorch exports MKL's packed sgemm");
    check_product(&wb, |v| v as f64, |a, m, c| p.accumulate(a, m, c));
}

/// bf16 bits of `v` as libtorch rounds them (`to_kind(BFloat16)`).
fn libtorch_bf16(v: &[f32]) -> Vec<u16> {
    let t = tch::Tensor::from_slice(v).to_kind(tch::Kind::BFloat16);
    let bits = Vec::<i16>::try_from(t.view_dtype(tch::Kind::Int16)).unwrap();
    bits.into_iter().map(|b| b as u16).collect()
}

#[test]
fn rows_round_to_bf16_as_libtorch_does_at_every_width() {
    // Ties both ways (1 + 2^-8 and 1 + 3 · 2^-8 lie half-way), subnormals, infinities, NaN.
    let special = [
        1.0 + 1.0 / 256.0,
        1.0 + 3.0 / 256.0,
        -(1.0 + 1.0 / 256.0),
        1e-40,
        -3e-39,
        f32::MAX,
        f32::INFINITY,
        f32::NEG_INFINITY,
        0.0,
        -0.0,
    ];
    for width in [1, 5, 31, 32, 37, 384, 1537] {
        let rows = if width == 1537 { 64 } else { 3 };
        let mut src: Vec<f32> = (0..rows * width)
            .map(|i| ((i * 2654435761usize) % 100003) as f32 / 77.0 - 600.0)
            .collect();
        let len = src.len();
        for (i, v) in special.iter().enumerate() {
            src[(i * 13) % len] = *v;
        }
        let mut got = vec![0u16; src.len()];
        kernels::to_bf16_rows(&src, width, &mut got);
        assert_eq!(got, libtorch_bf16(&src), "width {width}");
    }
    let mut nan = [0u16; 1];
    kernels::to_bf16_rows(&[f32::NAN], 1, &mut nan);
    assert!(f32::from_bits(u32::from(nan[0]) << 16).is_nan());
}

#[test]
fn bf16_products_are_plain_products_of_the_rounded_values() {
    let wb = weight_and_bias();
    let b = kernels::Bf16Weight::new(&wb.2, wb.0, wb.1);
    if cfg!(not(target_arch = "x86_64")) && b.is_none() {
        return;
    }
    let b = b.expect("libtorch exports MKL's bf16 product");
    let round = |v: f32| f32::from_bits(u32::from(kernels::bf16_bits(v)) << 16) as f64;
    check_product(&wb, round, |a, m, c| {
        let mut a16 = vec![0u16; a.len()];
        kernels::to_bf16_rows(a, wb.1, &mut a16);
        b.accumulate(&a16, m, c);
    });
}

#[test]
fn bf16_matmul_layers_are_products_of_the_rounded_values_rounded_once() {
    // LinearMode::Bf16Matmul (libtorch's bf16 matmul, oneDNN): inputs and weights rounded to
    // bf16, the product's output rounded to bf16 once, then the bias and the residual added
    // in fp32.
    use rust_bert::qlinear::{LinearMode, QLinear, QuantizeDynamic};
    use tch::nn::Module;
    let _guard = tch::no_grad_guard();
    let (n, k, w, bias) = weight_and_bias();
    let mut layer = QLinear::new(tch::nn::Linear {
        ws: Tensor::from_slice(&w).view([n as i64, k as i64]),
        bs: Some(Tensor::from_slice(&bias)),
    });
    layer.set_linear_mode(LinearMode::Bf16Matmul);
    assert!(layer.is_bf16());
    let round = |v: f32| f32::from_bits(u32::from(kernels::bf16_bits(v)) << 16) as f64;
    for m in [1usize, 3, 64, 300] {
        let a: Vec<f32> = (0..m * k)
            .map(|i| ((i * 104729) % 17) as f32 / 3.1 - 2.0)
            .collect();
        let residual: Vec<f32> = (0..m * n).map(|i| (i as f32 * 0.37).sin()).collect();
        let x = Tensor::from_slice(&a).view([m as i64, k as i64]);
        let r = Tensor::from_slice(&residual).view([m as i64, n as i64]);
        let plain = Vec::<f32>::try_from(layer.forward(&x).flatten(0, -1)).unwrap();
        let added = Vec::<f32>::try_from(layer.forward_add(&x, &r).flatten(0, -1)).unwrap();
        for i in 0..m {
            for j in 0..n {
                let dot: f64 = (0..k)
                    .map(|t| round(a[i * k + t]) * round(w[j * k + t]))
                    .sum();
                // One bf16 rounding of the product: within 2^-8 of its magnitude.
                let tol = 1e-4 + dot.abs() / 256.0;
                let want = bias[j] as f64 + dot;
                let got = plain[i * n + j] as f64;
                assert!((got - want).abs() <= tol, "m={m} ({i},{j}) {got} vs {want}");
                let got = added[i * n + j] as f64;
                let want = want + residual[i * n + j] as f64;
                assert!(
                    (got - want).abs() <= tol + 1e-5,
                    "m={m} ({i},{j}) + residual"
                );
            }
        }
    }
}

#[test]
fn rows_quantize_with_their_own_scale_and_round_half_to_even() {
    let src = [127.0f32, 0.5, -63.5, 254.0, 5.0, -3.0, 0.0, -0.0, 0.0];
    let mut q = [0i8; 9];
    let mut s = [0f32; 3];
    kernels::quantize_rows(&src, 3, &mut q, &mut s);
    assert_eq!(s, [1.0, 2.0, 1e-12 / 127.0]);
    // 0.5 → 0, -63.5 → -64, 2.5 → 2, -1.5 → -2.
    assert_eq!(q, [127, 0, -64, 127, 2, -2, 0, 0, 0]);
    let mut out = [0f32; 6];
    kernels::dequantize_rows(
        &[2, -4, 1, 0, 0, 3],
        &[0.5, 2.0],
        &[1.0, 0.5, 2.0],
        &[1.0, 0.0, -1.0],
        None,
        &mut out,
    );
    assert_eq!(out, [2.0, -1.0, 0.0, 1.0, 0.0, 11.0]);
}

#[test]
fn rows_quantize_like_a_plain_division_at_every_width() {
    // The vectorized pass (32 values at a time, then the rest) against v / s rounded half to
    // even, for widths below, at and beyond one vector, and the model's.
    let mut state = 0x2545_f491_u32;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        (state as f32 / u32::MAX as f32 - 0.5) * 7.0
    };
    for k in [1, 5, 31, 32, 37, 64, 384, 1536] {
        // 64 rows of 1536: enough values to be split over libtorch's threads.
        let rows = if k == 1536 { 64 } else { 3 };
        let mut src: Vec<f32> = (0..rows * k).map(|_| next()).collect();
        // Exact halves after scaling: a row whose max is 127 has scale 1.
        src[0] = 127.0;
        if k > 2 {
            src[1] = 2.5;
            src[2] = -3.5;
        }
        let mut q = vec![0i8; rows * k];
        let mut s = vec![0f32; rows];
        kernels::quantize_rows(&src, k, &mut q, &mut s);
        for (r, row) in src.chunks(k).enumerate() {
            let max = row.iter().fold(0f32, |m, v| m.max(v.abs()));
            let scale = max.max(1e-12) / 127.0;
            assert_eq!(s[r], scale, "k={k} row {r}");
            for (j, v) in row.iter().enumerate() {
                let want = (v / scale).round_ties_even() as i8;
                assert_eq!(q[r * k + j], want, "k={k} ({r},{j}) {v}");
            }
        }
    }
}

#[test]
fn int32_products_scale_back_like_one_fused_multiply_add_at_every_width() {
    for n in [1, 7, 8, 9, 384, 1537] {
        // 64 rows of 1537: enough values to be split over libtorch's threads.
        let rows = if n == 1537 { 64 } else { 3 };
        let acc: Vec<i32> = (0..rows * n)
            .map(|i| (i as i32 * 7919) % 40_001 - 20_000)
            .collect();
        let row_scale: Vec<f32> = (0..rows).map(|i| [0.013f32, 1.7, 3.1e-5][i % 3]).collect();
        let col_scale: Vec<f32> = (0..n).map(|j| 1e-3 + j as f32 * 1.3e-4).collect();
        let bias: Vec<f32> = (0..n).map(|j| (j as f32 * 0.37).sin()).collect();
        let residual: Vec<f32> = (0..rows * n)
            .map(|i| (i as f32 * 0.11).cos() * 3.0)
            .collect();
        let mut out = vec![0f32; rows * n];
        let mut added = vec![0f32; rows * n];
        kernels::dequantize_rows(&acc, &row_scale, &col_scale, &bias, None, &mut out);
        kernels::dequantize_rows(
            &acc,
            &row_scale,
            &col_scale,
            &bias,
            Some(&residual),
            &mut added,
        );
        for i in 0..rows {
            for j in 0..n {
                let want = (acc[i * n + j] as f32 * row_scale[i]).mul_add(col_scale[j], bias[j]);
                assert_eq!(out[i * n + j], want, "n={n} ({i},{j})");
                assert_eq!(
                    added[i * n + j],
                    want + residual[i * n + j],
                    "n={n} ({i},{j}) + residual"
                );
            }
        }
    }
}
