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

    fn quantize_int8(&mut self) -> Result<(), String> {
        self.quantize_dynamic();
        Ok(())
    }
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
