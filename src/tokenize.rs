//! Tokenization with Hugging Face `tokenizers`, truncated to the model's limit.

use crate::error::{Result, SentirError};
use std::path::Path;
use tokenizers::{Tokenizer, TruncationParams};

/// Turns text into model input ids (special tokens included, truncated, not padded).
///
/// `encode` takes `&self` and is safe to call from many rayon workers at once; the
/// tokenizer's own batch parallelism is not used, so pools are never nested.
pub struct TextEncoder {
    tokenizer: Tokenizer,
    max_len: usize,
}

impl TextEncoder {
    /// Loads `tokenizer.json`; inputs are truncated to `max_len` tokens.
    pub fn from_file(path: &Path, max_len: usize) -> Result<TextEncoder> {
        let mut tokenizer = Tokenizer::from_file(path)
            .map_err(|e| SentirError::model(path, format!("cannot load tokenizer: {e}")))?;
        tokenizer.with_padding(None);
        tokenizer
            .with_truncation(Some(TruncationParams {
                max_length: max_len,
                ..Default::default()
            }))
            .map_err(|e| SentirError::model(path, format!("truncation: {e}")))?;
        Ok(TextEncoder { tokenizer, max_len })
    }

    /// The longest sequence `encode` returns.
    pub fn max_len(&self) -> usize {
        self.max_len
    }

    /// Token ids for one text.
    pub fn encode(&self, text: &str) -> Result<Vec<i64>, String> {
        let enc = self
            .tokenizer
            .encode(text, true)
            .map_err(|e| format!("tokenizer: {e}"))?;
        Ok(enc.get_ids().iter().map(|&i| i as i64).collect())
    }

    /// The underlying tokenizer (saved next to trained models).
    pub fn tokenizer(&self) -> &Tokenizer {
        &self.tokenizer
    }
}
