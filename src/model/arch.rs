//! One trait over rust-bert's sequence-classification models, and building the one a config
//! names.

use super::config::{Architecture, ModelConfig};
use super::error::ModelError;
use crate::sysinfo::CpuFeatures;
use rust_bert::bert::BertForSequenceClassification;
use rust_bert::distilbert::DistilBertModelClassifier;
use rust_bert::qlinear::{bf16_products_available, LinearMode, QuantizeDynamic};
use rust_bert::roberta::RobertaForSequenceClassification;
use tch::{nn, Kind, Tensor};

/// What [`SequenceClassifier::forward`] gives: the logits and, when the heads need them,
/// their features.
pub type Forward = Result<(Tensor, Option<Tensor>), ModelError>;

/// A batch's tokens as the network takes them: ids, looked up in its own embedding table,
/// or their word-embedding rows, looked up by the caller ([`super::words`]).
#[derive(Clone, Copy)]
pub enum Tokens<'a> {
    /// `[batch, seq]` int64 token ids.
    Ids(&'a Tensor),
    /// `[batch, seq, hidden]` word embeddings.
    Embeds(&'a Tensor),
}

impl<'a> Tokens<'a> {
    /// The ids, if given as ids.
    fn ids(self) -> Option<&'a Tensor> {
        match self {
            Tokens::Ids(t) => Some(t),
            Tokens::Embeds(_) => None,
        }
    }

    /// The word embeddings, if given as rows.
    fn embeds(self) -> Option<&'a Tensor> {
        match self {
            Tokens::Ids(_) => None,
            Tokens::Embeds(t) => Some(t),
        }
    }
}

/// A sequence classifier: token ids and attention mask in, one logit per class out.
///
/// Implementations call the model's `forward_t` with the attention mask built by
/// [`super::collate()`], so a message's logits do not depend on its batch-mates.
pub trait SequenceClassifier: Send {
    /// `mask` is `[batch, seq]` int64; returns `[batch, classes]` logits.
    fn logits(&self, tokens: Tokens, mask: &Tensor, train: bool) -> Result<Tensor, ModelError>;

    /// Makes [`SequenceClassifier::forward`] return head features (costs a little memory).
    fn set_head_features(&mut self, _on: bool) {}

    /// The logits and, where the architecture exposes them, the `[batch, 2 × hidden]`
    /// features of the extra heads ([`super::heads`]): the pooled output the classifier
    /// reads, and the masked mean of the last layer's input over the tokens.
    fn forward(&self, tokens: Tokens, mask: &Tensor, train: bool) -> Forward {
        Ok((self.logits(tokens, mask, train)?, None))
    }

    /// Switches the encoder's Linear layers to int8 dynamic quantization (CPU inference).
    fn quantize_int8(&mut self) -> Result<(), ModelError> {
        Err(ModelError::NoInt8(
            "int8 is available for bert, roberta and xlm-roberta models",
        ))
    }

    /// Prepares the encoder's fp32 Linear layers for CPU inference: weights packed once for
    /// MKL, query, key and value as one product (vendored patch 7), each product's rows split
    /// over libtorch's threads (patch 9). Where an architecture
    /// or libtorch has no such path, nothing changes.
    fn pack_fp32(&mut self) {}

    /// Switches the encoder's Linear layers to bf16 products in an fp32 model (weights and
    /// product inputs rounded to bf16, fp32 accumulation; vendored patch 8). `false` where an
    /// architecture or libtorch has no such path (nothing changes then).
    fn bf16_products(&mut self) -> bool {
        false
    }
}

impl SequenceClassifier for BertForSequenceClassification {
    fn logits(&self, tokens: Tokens, mask: &Tensor, train: bool) -> Result<Tensor, ModelError> {
        let (ids, embeds) = (tokens.ids(), tokens.embeds());
        Ok(self
            .forward_t(ids, Some(mask), None, None, embeds, train)
            .logits)
    }

    fn forward(&self, tokens: Tokens, mask: &Tensor, train: bool) -> Forward {
        let (ids, embeds) = (tokens.ids(), tokens.embeds());
        let (logits, pooled, states) =
            self.forward_with_pooled_t(ids, Some(mask), embeds, train)?;
        let Some(states) = states else {
            return Ok((logits, None));
        };
        let mean = masked_mean(&states, mask)?;
        Ok((logits, Some(Tensor::f_cat(&[pooled, mean], 1)?)))
    }

    fn set_head_features(&mut self, on: bool) {
        self.set_keep_penultimate(on);
    }

    fn quantize_int8(&mut self) -> Result<(), ModelError> {
        self.quantize_dynamic();
        Ok(())
    }

    fn pack_fp32(&mut self) {
        self.set_linear_mode(LinearMode::PackedFp32);
    }

    fn bf16_products(&mut self) -> bool {
        bf16_mode(&CpuFeatures::detect()).is_some_and(|mode| {
            self.set_linear_mode(mode);
            true
        })
    }
}

/// The Linear mode of the bert family's bf16 products on a CPU with `features`
/// ([`CpuFeatures::bf16_matmul`]: vendored patch 10's libtorch matmul, or patch 8's MKL
/// product where libtorch exports it); `None`: the whole model runs in bf16 instead.
pub(crate) fn bf16_mode(features: &CpuFeatures) -> Option<LinearMode> {
    if features.bf16_matmul() {
        Some(LinearMode::Bf16Matmul)
    } else {
        bf16_products_available().then_some(LinearMode::Bf16)
    }
}

/// Mean over the real tokens of `[batch, seq, hidden]` states (`mask` is `[batch, seq]`).
fn masked_mean(states: &Tensor, mask: &Tensor) -> Result<Tensor, tch::TchError> {
    let m = mask.f_unsqueeze(-1)?.f_to_kind(states.kind())?;
    let sum = states
        .f_mul(&m)?
        .f_sum_dim_intlist(1, false, states.kind())?;
    let n = m
        .f_sum_dim_intlist(1, false, states.kind())?
        .f_clamp_min(1.0)?;
    sum.f_div(&n)
}

/// RoBERTa / XLM-R with the config's padding id: rust-bert derives position ids with a
/// hardcoded padding index of 1, so they are computed here as in transformers
/// (`pad + cumsum(mask) * mask`).
pub struct Roberta {
    /// The rust-bert model.
    pub net: RobertaForSequenceClassification,
    /// `pad_token_id` from the config.
    pub pad: i64,
}

impl SequenceClassifier for Roberta {
    fn logits(&self, tokens: Tokens, mask: &Tensor, train: bool) -> Result<Tensor, ModelError> {
        let positions = mask
            .f_cumsum(1, Kind::Int64)?
            .f_mul(mask)?
            .f_add_scalar(self.pad)?;
        Ok(self
            .net
            .forward_t(
                tokens.ids(),
                Some(mask),
                None,
                Some(&positions),
                tokens.embeds(),
                train,
            )
            .logits)
    }

    fn quantize_int8(&mut self) -> Result<(), ModelError> {
        self.net.quantize_dynamic();
        Ok(())
    }

    fn pack_fp32(&mut self) {
        self.net.set_linear_mode(LinearMode::PackedFp32);
    }

    fn bf16_products(&mut self) -> bool {
        bf16_mode(&CpuFeatures::detect()).is_some_and(|mode| {
            self.net.set_linear_mode(mode);
            true
        })
    }
}

impl SequenceClassifier for DistilBertModelClassifier {
    fn logits(&self, tokens: Tokens, mask: &Tensor, train: bool) -> Result<Tensor, ModelError> {
        Ok(self
            .forward_t(tokens.ids(), Some(mask), tokens.embeds(), train)?
            .logits)
    }
}

/// The network `config` describes, under `p`, with its weights initialised (not loaded).
pub fn build(
    p: &nn::Path,
    config: &ModelConfig,
) -> Result<Box<dyn SequenceClassifier>, ModelError> {
    Ok(match config.arch {
        // The heads read the first position only, so at inference the last layer computes
        // just that position (vendored patch 5: same logits, fewer FLOPs; see the README).
        Architecture::Bert => {
            let mut net = BertForSequenceClassification::new(p, &config.to_rust_bert()?)?;
            net.set_first_token_only(true);
            Box::new(net)
        }
        Architecture::Roberta => {
            let mut net = RobertaForSequenceClassification::new(p, &config.to_rust_bert()?)?;
            net.set_first_token_only(true);
            Box::new(Roberta {
                net,
                pad: config.pad_token_id,
            })
        }
        Architecture::DistilBert => {
            Box::new(DistilBertModelClassifier::new(p, &config.to_rust_bert()?)?)
        }
    })
}
