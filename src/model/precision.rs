//! Inference precision: fp32, bf16 products (the encoder's Linear layers on bf16 inputs with
//! fp32 accumulation), or int8 dynamic quantization of those layers. `--precision auto`
//! chooses among them per model and CPU ([`super::auto`]).

use super::error::ModelError;
use super::Model;
use crate::error::{Result, SentirError};
use std::path::Path;
use tch::{Device, Kind, Tensor};

/// Numeric precision for inference.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Precision {
    /// Float32 weights and activations (exact parity with transformers).
    #[default]
    Fp32,
    /// int8 dynamic quantization of the encoder's Linear layers (CPU only; faster, slightly
    /// different scores).
    Int8,
    /// bfloat16 products: on the CPU the encoder's Linear weights and their inputs rounded
    /// to bf16, MKL's bf16 × bf16 → fp32 product, everything else fp32 (fast on CPUs with AMX
    /// or AVX512-BF16); elsewhere (CUDA, or a model without that path) every variable in bf16.
    Bf16,
}

impl Precision {
    /// Parses `fp32`, `int8` or `bf16`.
    pub fn parse(s: &str) -> Result<Precision> {
        match s.to_ascii_lowercase().as_str() {
            "fp32" | "float32" => Ok(Precision::Fp32),
            "int8" => Ok(Precision::Int8),
            "bf16" | "bfloat16" => Ok(Precision::Bf16),
            _ => Err(SentirError::Usage(format!(
                "unknown precision {s:?} (fp32, int8, bf16)"
            ))),
        }
    }

    /// `fp32`, `int8` or `bf16`.
    pub fn as_str(self) -> &'static str {
        match self {
            Precision::Fp32 => "fp32",
            Precision::Int8 => "int8",
            Precision::Bf16 => "bf16",
        }
    }
}

impl Model {
    /// Loads `dir` for inference at `precision`.
    pub fn load_with_precision(dir: &Path, device: Device, precision: Precision) -> Result<Model> {
        let mut model = Model::load(dir, device)?;
        match precision {
            // Same products, prepacked (inference only: the packed weights are a snapshot).
            Precision::Fp32 if model.device() == Device::Cpu => model.net.pack_fp32(),
            Precision::Fp32 => {}
            Precision::Int8 => model.quantize_int8()?,
            // On the CPU: bf16 products inside an fp32 model (MKL's bf16 × bf16 → fp32).
            Precision::Bf16 if model.device() == Device::Cpu && model.net.bf16_products() => {}
            // Elsewhere, every float variable (embeddings, encoder, heads); the logits are
            // read back as fp32 (`probability_rows`).
            Precision::Bf16 => {
                model.vs.bfloat16();
                if let Some(words) = &mut model.words {
                    words.set_kind(tch::Kind::BFloat16);
                }
            }
        }
        Ok(model)
    }

    /// Switches the encoder to int8 dynamic quantization (CPU only, inference only).
    fn quantize_int8(&mut self) -> Result<()> {
        if self.device() != Device::Cpu {
            return Err(SentirError::Usage(
                "--precision int8 runs on the CPU only (use --device cpu)".into(),
            ));
        }
        let int8 = |shape: [i64; 2]| Tensor::f_zeros(shape, (Kind::Int8, Device::Cpu));
        let has_int_mm = int8([1, 8])
            .and_then(|a| a.f_internal_int_mm(&int8([8, 8])?))
            .is_ok();
        if !has_int_mm {
            let e = ModelError::NoInt8("this libtorch has no int8 matrix product (_int_mm)");
            return Err(e.in_dir(&self.dir));
        }
        self.net.quantize_int8().map_err(|e| e.in_dir(&self.dir))
    }
}
