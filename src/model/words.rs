//! The word-embedding table at inference, read from `model.safetensors` batch by batch: each
//! token's row is read from the file when a batch needs it (the kernel's page cache keeps the
//! rows in use, shared with other processes and reclaimable), so the table, most of a
//! multilingual model's bytes, is not held in the process's memory. The rows are the file's
//! values in the file's kind, as the embedding layer would have given them.

use super::error::ModelError;
use super::weights::TensorInfo;
use std::collections::hash_map::{Entry, HashMap};
use std::fs::File;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use tch::{Device, Kind, Tensor};

/// Whether a variable is the network's word-embedding table (one per architecture).
pub fn is_word_table(name: &str) -> bool {
    name.ends_with("word_embeddings.weight")
}

/// A `[vocab, width]` table stored in a safetensors file.
#[derive(Debug)]
pub struct WordTable {
    file: File,
    path: PathBuf,
    /// Where row 0 starts in the file.
    start: u64,
    rows: i64,
    width: i64,
    /// The stored element type.
    stored: Kind,
    /// The element type handed to the network (the stored one unless [`Self::set_kind`]).
    kind: Kind,
    device: Device,
}

impl WordTable {
    /// The table `info` describes in `path`, which must be `[rows, width]`.
    pub fn open(
        path: &Path,
        info: &TensorInfo,
        width: i64,
        device: Device,
    ) -> Result<WordTable, ModelError> {
        let [rows, w] = info.shape[..] else {
            return Err(ModelError::Format(format!(
                "word embeddings: shape {:?}, not [vocab, {width}]",
                info.shape
            )));
        };
        if w != width || rows < 1 {
            return Err(ModelError::Shape {
                name: "word_embeddings.weight".into(),
                file: info.shape.clone(),
                model: format!("[vocab, {width}]"),
            });
        }
        let bytes = rows
            .checked_mul(width)
            .and_then(|n| n.checked_mul(info.kind.elt_size_in_bytes() as i64));
        if bytes.is_none() || info.end.checked_sub(info.start) != bytes.map(|b| b as u64) {
            return Err(ModelError::Format(
                "word embeddings: byte range does not match shape".into(),
            ));
        }
        let file = File::open(path).map_err(|e| ModelError::io(path, e))?;
        Ok(WordTable {
            file,
            path: path.to_path_buf(),
            start: info.start,
            rows,
            width,
            stored: info.kind,
            kind: info.kind,
            device,
        })
    }

    /// Hands the rows to the network as `kind` (a model converted to bf16 as a whole).
    pub fn set_kind(&mut self, kind: Kind) {
        self.kind = kind;
    }

    /// The rows of `ids` (`[batch, seq]` int64): `[batch, seq, width]` on the model's device.
    pub fn lookup(&self, ids: &Tensor) -> Result<Tensor, ModelError> {
        let mut shape = ids.size();
        let ids = Vec::<i64>::try_from(ids.f_to_device(Device::Cpu)?.f_flatten(0, -1)?)?;
        let row = self.width as usize * self.stored.elt_size_in_bytes();
        let mut buf = vec![0u8; ids.len() * row];
        let mut first = HashMap::with_capacity(ids.len());
        for (i, &id) in ids.iter().enumerate() {
            if !(0..self.rows).contains(&id) {
                return Err(ModelError::TokenId {
                    id,
                    vocab: self.rows,
                });
            }
            match first.entry(id) {
                Entry::Occupied(e) => {
                    let j: usize = *e.get();
                    buf.copy_within(j * row..(j + 1) * row, i * row);
                }
                Entry::Vacant(e) => {
                    e.insert(i);
                    let at = self.start + id as u64 * row as u64;
                    self.file
                        .read_exact_at(&mut buf[i * row..(i + 1) * row], at)
                        .map_err(|e| ModelError::io(&self.path, e))?;
                }
            }
        }
        shape.push(self.width);
        let t = Tensor::f_from_data_size(&buf, &shape, self.stored)?;
        let t = if self.kind == self.stored {
            t
        } else {
            t.f_to_kind(self.kind)?
        };
        Ok(t.f_to_device(self.device)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::weights;

    fn table(kind: Kind) -> (tempfile::TempDir, PathBuf, Tensor) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("model.safetensors");
        let t = Tensor::randn([50, 8], (Kind::Float, Device::Cpu)).to_kind(kind);
        let other = Tensor::randn([3], (Kind::Float, Device::Cpu));
        let mut ts = vec![
            ("a.bias".to_string(), other),
            ("emb.word_embeddings.weight".to_string(), t.copy()),
        ];
        weights::save(&mut ts, &path).unwrap();
        (dir, path, t)
    }

    fn open(path: &Path, width: i64) -> Result<WordTable, ModelError> {
        let header = weights::read_header(path).unwrap();
        WordTable::open(
            path,
            &header["emb.word_embeddings.weight"],
            width,
            Device::Cpu,
        )
    }

    #[test]
    fn rows_are_the_tables_to_the_bit_in_its_kind() {
        for kind in [Kind::Half, Kind::Float] {
            let (_d, path, t) = table(kind);
            let words = open(&path, 8).unwrap();
            let ids = Tensor::from_slice(&[3i64, 49, 0, 3, 7, 1]).view([2, 3]);
            let got = words.lookup(&ids).unwrap();
            assert_eq!(got.size(), vec![2, 3, 8]);
            assert_eq!(got.kind(), kind);
            assert!(got.equal(&Tensor::embedding(&t, &ids, -1, false, false)));
        }
    }

    #[test]
    fn a_set_kind_converts_the_rows_as_the_table_would_be() {
        let (_d, path, t) = table(Kind::Half);
        let mut words = open(&path, 8).unwrap();
        words.set_kind(Kind::BFloat16);
        let ids = Tensor::from_slice(&[5i64, 6]).view([1, 2]);
        let want = Tensor::embedding(&t.to_kind(Kind::BFloat16), &ids, -1, false, false);
        assert!(words.lookup(&ids).unwrap().equal(&want));
    }

    #[test]
    fn ids_outside_the_table_and_wrong_widths_are_errors() {
        let (_d, path, _t) = table(Kind::Half);
        let words = open(&path, 8).unwrap();
        for bad in [50i64, -1] {
            let err = words.lookup(&Tensor::from_slice(&[1i64, bad]).view([1, 2]));
            assert_eq!(
                err.unwrap_err().to_string(),
                format!("token id {bad} is outside the vocabulary (50 rows)")
            );
        }
        let err = open(&path, 16).unwrap_err().to_string();
        assert!(err.contains("[50, 8] in the file"), "{err}");
    }
}
