//! One trait over rust-bert's sequence-classification models.

use rust_bert::bert::BertForSequenceClassification;
use rust_bert::distilbert::DistilBertModelClassifier;
use rust_bert::qlinear::QuantizeDynamic;
use rust_bert::roberta::RobertaForSequenceClassification;
use tch::Tensor;

/// A sequence classifier: token ids and attention mask in, one logit per class out.
///
/// Implementations call the model's `forward_t` with the attention mask built by
/// [`crate::batch`], so a message's logits do not depend on its batch-mates.
pub trait SequenceClassifier: Send {
    /// `input_ids` and `mask` are `[batch, seq]` int64; returns `[batch, classes]` logits.
    fn logits(&self, input_ids: &Tensor, mask: &Tensor, train: bool) -> Tensor;

    /// Makes [`SequenceClassifier::forward`] return head features (costs a little memory).
    fn set_head_features(&mut self, _on: bool) {}

    /// The logits and, where the architecture exposes them, the `[batch, 2 × hidden]`
    /// features of the extra heads ([`super::heads`]): the pooled output the classifier
    /// reads, and the masked mean of the last layer's input over the tokens.
    fn forward(
        &self,
        input_ids: &Tensor,
        mask: &Tensor,
        train: bool,
    ) -> Result<(Tensor, Option<Tensor>), String> {
        Ok((self.logits(input_ids, mask, train), None))
    }

    /// Switches the encoder's Linear layers to int8 dynamic quantization (CPU inference).
    fn quantize_int8(&mut self) -> Result<(), String> {
        Err("int8 is available for bert, roberta and xlm-roberta models".into())
    }
}

impl SequenceClassifier for BertForSequenceClassification {
    fn logits(&self, input_ids: &Tensor, mask: &Tensor, train: bool) -> Tensor {
        self.forward_t(Some(input_ids), Some(mask), None, None, None, train)
            .logits
    }

    fn forward(
        &self,
        input_ids: &Tensor,
        mask: &Tensor,
        train: bool,
    ) -> Result<(Tensor, Option<Tensor>), String> {
        let (logits, pooled, states) = self
            .forward_with_pooled_t(Some(input_ids), Some(mask), train)
            .map_err(|e| e.to_string())?;
        let Some(states) = states else {
            return Ok((logits, None));
        };
        let features = masked_mean(&states, mask)
            .and_then(|mean| Tensor::f_cat(&[pooled, mean], 1))
            .map_err(|e| e.to_string())?;
        Ok((logits, Some(features)))
    }

    fn set_head_features(&mut self, on: bool) {
        self.set_keep_penultimate(on);
    }

    fn quantize_int8(&mut self) -> Result<(), String> {
        self.quantize_dynamic();
        Ok(())
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
    fn logits(&self, input_ids: &Tensor, mask: &Tensor, train: bool) -> Tensor {
        let positions = mask.cumsum(1, tch::Kind::Int64) * mask + self.pad;
        self.net
            .forward_t(
                Some(input_ids),
                Some(mask),
                None,
                Some(&positions),
                None,
                train,
            )
            .logits
    }

    fn quantize_int8(&mut self) -> Result<(), String> {
        self.net.quantize_dynamic();
        Ok(())
    }
}

impl SequenceClassifier for DistilBertModelClassifier {
    fn logits(&self, input_ids: &Tensor, mask: &Tensor, train: bool) -> Tensor {
        // Only fails when neither ids nor embeddings are given; ids are always given here.
        self.forward_t(Some(input_ids), Some(mask), None, train)
            .expect("DistilBERT forward with input ids")
            .logits
    }
}
