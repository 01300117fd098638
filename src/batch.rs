//! Dynamic batching: which rows go together in one forward pass (sorted by length, under a
//! row and token budget and a padding limit). The model pads them ([`crate::model::collate()`]).

/// Limits for one forward pass.
#[derive(Clone, Copy, Debug)]
pub struct BatchLimits {
    /// Most rows in a batch.
    pub max_rows: usize,
    /// Most padded tokens (rows × longest row) in a batch.
    pub max_tokens: usize,
}

impl Default for BatchLimits {
    fn default() -> Self {
        BatchLimits {
            max_rows: 32,
            max_tokens: 8192,
        }
    }
}

/// Most padding a batch may hold, as a share of its positions.
pub const MAX_PADDING_SHARE: f64 = 0.05;

/// Groups sequence indices into batches of similar length.
///
/// Indices are sorted by length, longest first (a memory problem shows on the first batch),
/// then cut whenever adding a row would pass `max_rows` or `max_tokens`, or would make more
/// than [`MAX_PADDING_SHARE`] of the batch padding (the sparse tail of long messages). Every
/// index appears in exactly one batch; a row longer than `max_tokens` gets a batch of its own.
pub fn plan(lengths: &[usize], limits: BatchLimits) -> Vec<Vec<usize>> {
    let mut order: Vec<usize> = (0..lengths.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(lengths[i]));
    let mut batches = Vec::new();
    let mut current: Vec<usize> = Vec::new();
    let mut longest = 0;
    let mut real = 0;
    for i in order {
        let len = lengths[i];
        let new_longest = longest.max(len);
        let padded = (current.len() + 1) * new_longest;
        let over_rows = current.len() + 1 > limits.max_rows.max(1);
        let over_tokens = padded > limits.max_tokens;
        let over_padding = (padded - real - len) as f64 > MAX_PADDING_SHARE * padded as f64;
        if !current.is_empty() && (over_rows || over_tokens || over_padding) {
            batches.push(std::mem::take(&mut current));
            longest = 0;
            real = 0;
        }
        longest = longest.max(len);
        real += len;
        current.push(i);
    }
    if !current.is_empty() {
        batches.push(current);
    }
    batches
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plan_covers_every_index_once_and_respects_limits() {
        let lengths = [5, 30, 7, 7, 120, 3, 64, 64, 9, 2];
        let limits = BatchLimits {
            max_rows: 3,
            max_tokens: 130,
        };
        let batches = plan(&lengths, limits);
        let mut seen: Vec<usize> = batches.iter().flatten().copied().collect();
        seen.sort();
        assert_eq!(seen, (0..lengths.len()).collect::<Vec<_>>());
        for b in &batches {
            assert!(b.len() <= 3);
            let longest = b.iter().map(|&i| lengths[i]).max().unwrap();
            assert!(b.len() == 1 || b.len() * longest <= 130, "{b:?}");
        }
        // Longest first, and the 120-token row fits alone.
        assert_eq!(batches[0], vec![4]);
    }

    #[test]
    fn plan_cuts_batches_that_would_be_mostly_padding() {
        let lengths = [100, 10, 10, 10, 98, 9];
        let batches = plan(&lengths, BatchLimits::default());
        assert_eq!(batches, vec![vec![0, 4], vec![1, 2, 3, 5]]);
        for b in &batches {
            let longest = b.iter().map(|&i| lengths[i]).max().unwrap();
            let real: usize = b.iter().map(|&i| lengths[i]).sum();
            assert!(
                (b.len() * longest - real) as f64
                    <= MAX_PADDING_SHARE * (b.len() * longest) as f64 + 1.0
            );
        }
    }
}
