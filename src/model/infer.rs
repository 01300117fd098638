//! Inference: one forward pass through the network and the extra heads, and the
//! probabilities of every head per row.

use super::arch::Tokens;
use super::error::ModelError;
use super::heads::REASONS;
use super::panic::panic_message;
use super::{Model, Scores};
use crate::error::Result;
use tch::{nn, Device, Kind, Tensor};

/// Dropout on the pooled features before the extra heads (as before the classifier).
const HEAD_DROPOUT: f64 = 0.1;

/// What one forward pass gives: `[batch, classes]` logits of each head the model has.
pub struct Outputs {
    /// Sentiment classifier logits (the model's own classes).
    pub sentiment: Tensor,
    /// Reason logits, in [`REASONS`] order.
    pub reason: Option<Tensor>,
    /// Mixed logits (false, true).
    pub mixed: Option<Tensor>,
}

impl Model {
    /// Raw logits `[batch, classes]` for a padded batch with its attention mask.
    pub fn logits(&self, input_ids: &Tensor, mask: &Tensor, train: bool) -> Result<Tensor> {
        self.embedded(input_ids, |tokens| self.net.logits(tokens, mask, train))
            .map_err(|e| e.in_dir(&self.dir))
    }

    /// Runs `f` on the batch's tokens: their rows of the word table where the model reads
    /// them from the file ([`super::words`]), else the ids.
    fn embedded<T>(
        &self,
        input_ids: &Tensor,
        f: impl FnOnce(Tokens) -> Result<T, ModelError>,
    ) -> Result<T, ModelError> {
        match &self.words {
            Some(words) => f(Tokens::Embeds(&words.lookup(input_ids)?)),
            None => f(Tokens::Ids(input_ids)),
        }
    }

    /// Sentiment logits and the extra heads' logits in one forward pass.
    pub fn forward(&self, input_ids: &Tensor, mask: &Tensor, train: bool) -> Result<Outputs> {
        self.outputs(input_ids, mask, train)
            .map_err(|e| e.in_dir(&self.dir))
    }

    fn outputs(
        &self,
        input_ids: &Tensor,
        mask: &Tensor,
        train: bool,
    ) -> Result<Outputs, ModelError> {
        let (sentiment, features) =
            self.embedded(input_ids, |tokens| self.net.forward(tokens, mask, train))?;
        if !self.heads.any() {
            return Ok(Outputs {
                sentiment,
                reason: None,
                mixed: None,
            });
        }
        let features = features
            .ok_or(ModelError::NoHeadFeatures)?
            .f_dropout(HEAD_DROPOUT, train)?;
        let apply = |h: &Option<nn::Linear>| {
            h.as_ref()
                .map(|l| features.f_linear(&l.ws, l.bs.as_ref()))
                .transpose()
        };
        Ok(Outputs {
            sentiment,
            reason: apply(&self.heads.reason)?,
            mixed: apply(&self.heads.mixed)?,
        })
    }

    /// Every head's probabilities per row, in inference mode (sentiment aggregated to
    /// [p_negative, p_neutral, p_positive]).
    pub fn predict(&self, input_ids: &Tensor, mask: &Tensor) -> Result<Vec<Scores>> {
        self.scores(input_ids, mask)
            .map_err(|e| e.in_dir(&self.dir))
    }

    fn scores(&self, input_ids: &Tensor, mask: &Tensor) -> Result<Vec<Scores>, ModelError> {
        // rust-bert's layers use tch's panicking methods: a libtorch error inside them is a
        // panic, turned here into an error (exit 1 with libtorch's reason, not a crash).
        let forward =
            std::panic::AssertUnwindSafe(|| tch::no_grad(|| self.outputs(input_ids, mask, false)));
        let out = std::panic::catch_unwind(forward)
            .map_err(|payload| ModelError::Panicked(panic_message(payload.as_ref())))??;
        let sentiment = probability_rows(&out.sentiment)?;
        let reason = out.reason.as_ref().map(probability_rows).transpose()?;
        let mixed = out.mixed.as_ref().map(probability_rows).transpose()?;
        Ok(sentiment
            .iter()
            .enumerate()
            .map(|(i, p)| Scores {
                probs: self.labels.aggregate(p),
                reason: reason.as_ref().map(|r| {
                    let mut a = [0f32; REASONS.len()];
                    a.copy_from_slice(&r[i][..REASONS.len()]);
                    a
                }),
                mixed: mixed.as_ref().map(|m| m[i][1]),
                chunks_disagree: false,
            })
            .collect())
    }

    /// Aggregated [p_negative, p_neutral, p_positive] per row, in inference mode.
    pub fn predict_probs(&self, input_ids: &Tensor, mask: &Tensor) -> Result<Vec<[f32; 3]>> {
        Ok(self
            .predict(input_ids, mask)?
            .into_iter()
            .map(|s| s.probs)
            .collect())
    }
}

/// Softmax of `[batch, classes]` logits, one `Vec` per row, on the CPU.
fn probability_rows(logits: &Tensor) -> Result<Vec<Vec<f32>>, tch::TchError> {
    let p = logits
        .f_to_kind(Kind::Float)?
        .f_softmax(-1, Kind::Float)?
        .f_to_device(Device::Cpu)?;
    let n = p.size().last().copied().unwrap_or(1).max(1) as usize;
    let flat = Vec::<f32>::try_from(p.f_flatten(0, -1)?)?;
    Ok(flat.chunks(n).map(<[f32]>::to_vec).collect())
}
