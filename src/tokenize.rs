//! Tokenization with Hugging Face `tokenizers`: truncated to the model's limit, or cut into
//! overlapping chunks on sentence boundaries for long texts.

use crate::error::{Result, SentirError};
use std::ops::Range;
use std::path::Path;
use tokenizers::Tokenizer;

/// How a text longer than the limit is read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LongText {
    /// Overlapping chunks of at most the limit, cut on sentence boundaries where possible;
    /// their probabilities are averaged, weighted by their tokens.
    #[default]
    Chunk,
    /// Only the first tokens, up to the limit.
    Truncate,
}

impl LongText {
    /// Parses `chunk` or `truncate`.
    pub fn parse(s: &str) -> Result<LongText> {
        match s {
            "chunk" => Ok(LongText::Chunk),
            "truncate" => Ok(LongText::Truncate),
            _ => Err(SentirError::Usage(format!(
                "unknown --long {s:?} (chunk, truncate)"
            ))),
        }
    }
}

/// Turns text into model input ids (special tokens included, not padded).
///
/// `encode` takes `&self` and is safe to call from many rayon workers at once; the
/// tokenizer's own batch parallelism is not used, so pools are never nested.
pub struct TextEncoder {
    tokenizer: Tokenizer,
    max_len: usize,
}

/// A tokenized text: special tokens around the content, and where sentences start.
struct Full {
    prefix: Vec<i64>,
    content: Vec<i64>,
    suffix: Vec<i64>,
    /// `starts[k]`: content token `k` begins a sentence (after `.`, `!`, `?`, `…` or a
    /// line break); empty when the content fits the limit (no chunks).
    starts: Vec<bool>,
}

impl Full {
    fn window(&self, max_len: usize) -> usize {
        max_len
            .saturating_sub(self.prefix.len() + self.suffix.len())
            .max(1)
    }

    fn with_content(&self, parts: &[&[i64]]) -> Vec<i64> {
        let n: usize = parts.iter().map(|p| p.len()).sum();
        let mut ids = Vec::with_capacity(self.prefix.len() + n + self.suffix.len());
        ids.extend_from_slice(&self.prefix);
        for p in parts {
            ids.extend_from_slice(p);
        }
        ids.extend_from_slice(&self.suffix);
        ids
    }
}

impl TextEncoder {
    /// Ids the tokenizer can produce: its vocabulary, or up to its highest added token
    /// (without building the whole vocabulary map, as `get_vocab_size(true)` does).
    pub fn vocab_size(&self) -> usize {
        let added = self.tokenizer.get_added_tokens_decoder();
        let past_added = added.keys().max().map_or(0, |&id| id as usize + 1);
        self.tokenizer.get_vocab_size(false).max(past_added)
    }

    /// Loads `tokenizer.json`; inputs are limited to `max_len` tokens.
    pub fn from_file(path: &Path, max_len: usize) -> Result<TextEncoder> {
        let mut tokenizer = Tokenizer::from_file(path)
            .map_err(|e| SentirError::model(path, format!("cannot load tokenizer: {e}")))?;
        tokenizer.with_padding(None);
        tokenizer
            .with_truncation(None)
            .map_err(|e| SentirError::model(path, format!("truncation: {e}")))?;
        Ok(TextEncoder {
            tokenizer,
            max_len: max_len.max(3),
        })
    }

    /// The longest sequence `encode` returns.
    pub fn max_len(&self) -> usize {
        self.max_len
    }

    fn full(&self, text: &str) -> std::result::Result<Full, String> {
        let enc = self
            .tokenizer
            .encode(text, true)
            .map_err(|e| format!("tokenizer: {e}"))?;
        let special = enc.get_special_tokens_mask();
        let ids = enc.get_ids();
        let offsets = enc.get_offsets();
        let lead = special.iter().take_while(|&&s| s == 1).count();
        let trail = special[lead..]
            .iter()
            .rev()
            .take_while(|&&s| s == 1)
            .count();
        let body = lead..ids.len() - trail;
        // Sentence starts only matter for texts that will be cut into chunks.
        let window = self.max_len.saturating_sub(lead + trail).max(1);
        let mut starts = Vec::new();
        for k in body.clone().take_while(|_| body.len() > window) {
            let start = k == body.start || {
                let (prev, this) = (offsets[k - 1], offsets[k]);
                let gap = text.get(prev.1..this.0.max(prev.1)).unwrap_or("");
                let prev_text = text.get(prev.0..prev.1).unwrap_or("");
                gap.contains('\n') || prev_text.ends_with(['.', '!', '?', '…'])
            };
            starts.push(start);
        }
        let to_i64 = |s: &[u32]| s.iter().map(|&i| i as i64).collect::<Vec<_>>();
        Ok(Full {
            prefix: to_i64(&ids[..lead]),
            content: to_i64(&ids[body.clone()]),
            suffix: to_i64(&ids[body.end..]),
            starts,
        })
    }

    /// Token ids for one text, keeping the first tokens up to the limit (what the
    /// `tokenizers` library's own right truncation gives).
    pub fn encode(&self, text: &str) -> std::result::Result<Vec<i64>, String> {
        let f = self.full(text)?;
        let w = f.window(self.max_len).min(f.content.len());
        Ok(f.with_content(&[&f.content[..w]]))
    }

    /// Token ids for training: a text over the limit keeps its first quarter and its end
    /// (where reviews give their verdict).
    pub fn encode_head_tail(&self, text: &str) -> std::result::Result<Vec<i64>, String> {
        let f = self.full(text)?;
        let w = f.window(self.max_len);
        if f.content.len() <= w {
            return Ok(f.with_content(&[&f.content]));
        }
        let head = w / 4;
        let tail = w - head;
        let n = f.content.len();
        Ok(f.with_content(&[&f.content[..head], &f.content[n - tail..]]))
    }

    /// Token ids of one text as it is read with `long`: one sequence, or for a text over the
    /// limit with [`LongText::Chunk`], overlapping chunks (see [`chunk_ranges`]).
    pub fn encode_long(
        &self,
        text: &str,
        long: LongText,
    ) -> std::result::Result<Vec<Vec<i64>>, String> {
        let f = self.full(text)?;
        let w = f.window(self.max_len);
        if long == LongText::Truncate || f.content.len() <= w {
            let w = w.min(f.content.len());
            return Ok(vec![f.with_content(&[&f.content[..w]])]);
        }
        Ok(chunk_ranges(&f.starts, w)
            .into_iter()
            .map(|r| f.with_content(&[&f.content[r]]))
            .collect())
    }

    /// The underlying tokenizer (saved next to trained models).
    pub fn tokenizer(&self) -> &Tokenizer {
        &self.tokenizer
    }
}

/// Cuts `starts.len()` tokens into windows of at most `window` tokens that overlap by about
/// a quarter of a window. A window ends before a sentence start when one falls in its last
/// third, and the next begins at a sentence start inside the overlap when there is one.
pub fn chunk_ranges(starts: &[bool], window: usize) -> Vec<Range<usize>> {
    let n = starts.len();
    let window = window.max(1);
    if n <= window {
        return std::iter::once(0..n).collect();
    }
    let overlap = window / 4;
    let mut out = Vec::new();
    let mut a = 0;
    loop {
        let mut b = (a + window).min(n);
        if b < n {
            let lo = a + (2 * window) / 3;
            if let Some(s) = (lo.max(a + 1)..=b).rev().find(|&k| starts[k]) {
                b = s;
            }
        }
        out.push(a..b);
        if b == n {
            return out;
        }
        let mut next = b.saturating_sub(overlap).max(a + 1);
        if let Some(s) = (next..b).find(|&k| starts[k]) {
            next = s;
        }
        a = next;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_cover_everything_overlap_and_respect_the_window() {
        for (n, w) in [(10, 10), (11, 10), (100, 16), (1000, 254), (7, 1)] {
            let starts: Vec<bool> = (0..n).map(|k| k % 9 == 0).collect();
            let r = chunk_ranges(&starts, w);
            assert_eq!(r[0].start, 0);
            assert_eq!(r.last().unwrap().end, n);
            for c in &r {
                assert!(!c.is_empty() && c.len() <= w, "{c:?} of window {w}");
            }
            for pair in r.windows(2) {
                assert!(pair[1].start > pair[0].start && pair[1].start <= pair[0].end);
            }
        }
    }

    #[test]
    fn chunks_end_before_sentence_starts() {
        // Sentences of 30 tokens, window 40: every chunk but the last ends at a sentence.
        let starts: Vec<bool> = (0..200).map(|k| k % 30 == 0).collect();
        let r = chunk_ranges(&starts, 40);
        for c in &r[..r.len() - 1] {
            assert_eq!(c.end % 30, 0, "{r:?}");
        }
    }
}
