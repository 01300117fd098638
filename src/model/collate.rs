//! Turning a planned batch ([`crate::batch::plan`]) into the model's input tensors.

use tch::{Device, TchError, Tensor};

/// A padded batch ready for the model.
pub struct Collated {
    /// `[rows, seq]` int64 token ids, right-padded with the pad id.
    pub input_ids: Tensor,
    /// `[rows, seq]` int64, 1 for real tokens and 0 for padding.
    pub mask: Tensor,
    /// Real tokens in the batch.
    pub tokens: usize,
    /// Padded size (rows × seq).
    pub padded: usize,
}

/// Pads `seqs` to the longest and builds the attention mask, on `device`.
pub fn collate(seqs: &[&[i64]], pad_id: i64, device: Device) -> Result<Collated, TchError> {
    let rows = seqs.len();
    let width = seqs.iter().map(|s| s.len()).max().unwrap_or(0).max(1);
    let mut ids = vec![pad_id; rows * width];
    let mut mask = vec![0i64; rows * width];
    let mut tokens = 0;
    for (r, s) in seqs.iter().enumerate() {
        let row = r * width;
        ids[row..row + s.len()].copy_from_slice(s);
        mask[row..row + s.len()].fill(1);
        tokens += s.len();
    }
    let shape = [rows as i64, width as i64];
    let tensor = |v: &[i64]| Tensor::f_from_slice(v)?.f_view(shape)?.f_to_device(device);
    Ok(Collated {
        input_ids: tensor(&ids)?,
        mask: tensor(&mask)?,
        tokens,
        padded: rows * width,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collate_pads_and_masks() {
        let a = [101i64, 7, 102];
        let b = [101i64, 102];
        let c = collate(&[&a, &b], 1, Device::Cpu).unwrap();
        assert_eq!(c.input_ids.size(), vec![2, 3]);
        let ids: Vec<i64> = Vec::try_from(c.input_ids.flatten(0, -1)).unwrap();
        let mask: Vec<i64> = Vec::try_from(c.mask.flatten(0, -1)).unwrap();
        assert_eq!(ids, vec![101, 7, 102, 101, 102, 1]);
        assert_eq!(mask, vec![1, 1, 1, 1, 1, 0]);
        assert_eq!((c.tokens, c.padded), (5, 6));
    }
}
