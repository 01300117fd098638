// sentir patch 1 (see PATCHES.md): a compact trie. Upstream keeps one hash map per node;
// for a 250k-piece SentencePiece vocabulary (XLM-R, multilingual-e5) that is about a million
// maps, ≈300 MB and most of the tokenizer's load time. Here every node lives in one arena,
// a node's children are contiguous and sorted by label, and lookups are binary searches.
// Same API and the same results as upstream.

/// Collects the elements, then builds the [`Trie`] in one pass over them, sorted.
pub struct TrieBuilder<Label> {
    elements: Vec<Vec<Label>>,
}

impl<Label> Default for TrieBuilder<Label> {
    fn default() -> Self {
        Self {
            elements: Vec::new(),
        }
    }
}

impl<Label: Ord + Copy> TrieBuilder<Label> {
    pub fn push(&mut self, element: &[Label]) {
        self.elements.push(element.to_vec());
    }

    pub fn build(mut self) -> Trie<Label> {
        self.elements.sort_unstable();
        self.elements.dedup();
        let mut trie = Trie::default();
        trie.fill(0, &self.elements, 0);
        trie.nodes.shrink_to_fit();
        trie.labels.shrink_to_fit();
        trie
    }
}

#[derive(Clone, Copy, Default)]
struct Node {
    /// Index of the first child in `Trie::nodes` (children are contiguous).
    first_child: u32,
    children: u32,
    is_leaf: bool,
}

#[derive(Clone)]
pub struct Trie<Label> {
    /// Node 0 is the root.
    nodes: Vec<Node>,
    /// `labels[i - 1]` is the label of the edge into node `i`.
    labels: Vec<Label>,
}

impl<Label> Default for Trie<Label> {
    fn default() -> Self {
        Self {
            nodes: vec![Node::default()],
            labels: Vec::new(),
        }
    }
}

impl<Label: Ord + Copy> Trie<Label> {
    /// Makes `node` the root of `elements` (sorted, distinct, sharing their first `depth`
    /// labels).
    fn fill(&mut self, node: usize, elements: &[Vec<Label>], depth: usize) {
        let mut rest = elements;
        if rest.first().is_some_and(|e| e.len() == depth) {
            self.nodes[node].is_leaf = true;
            rest = &rest[1..];
        }
        let mut groups: Vec<(usize, usize)> = Vec::new();
        let mut start = 0;
        for i in 1..=rest.len() {
            if i == rest.len() || rest[i][depth] != rest[start][depth] {
                groups.push((start, i));
                start = i;
            }
        }
        let first = self.nodes.len();
        self.nodes[node].first_child = first as u32;
        self.nodes[node].children = groups.len() as u32;
        for &(s, _) in &groups {
            self.nodes.push(Node::default());
            self.labels.push(rest[s][depth]);
        }
        for (i, &(s, e)) in groups.iter().enumerate() {
            self.fill(first + i, &rest[s..e], depth + 1);
        }
    }

    fn child(&self, node: usize, label: Label) -> Option<usize> {
        let n = &self.nodes[node];
        let first = n.first_child as usize;
        let labels = &self.labels[first - 1..first - 1 + n.children as usize];
        labels.binary_search(&label).ok().map(|i| first + i)
    }

    pub fn common_prefix_search<T>(&self, iterator: T) -> TrieIterator<'_, Label, T>
    where
        T: Iterator<Item = Label>,
    {
        TrieIterator {
            trie: self,
            node: 0,
            prefix: vec![],
            iterator,
        }
    }
}

pub struct TrieIterator<'a, Label, T> {
    trie: &'a Trie<Label>,
    node: usize,
    prefix: Vec<Label>,
    iterator: T,
}

impl<Label, T> Iterator for TrieIterator<'_, Label, T>
where
    Label: Ord + Copy,
    T: Iterator<Item = Label>,
{
    type Item = Vec<Label>;
    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let label = self.iterator.next()?;
            self.prefix.push(label);
            self.node = self.trie.child(self.node, label)?;
            if self.trie.nodes[self.node].is_leaf {
                return Some(self.prefix.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trie(words: &[&str]) -> Trie<u8> {
        let mut b = TrieBuilder::default();
        for w in words {
            b.push(w.as_bytes());
        }
        b.build()
    }

    fn search(t: &Trie<u8>, s: &str) -> Vec<String> {
        t.common_prefix_search(s.bytes())
            .map(|v| String::from_utf8(v).unwrap())
            .collect()
    }

    #[test]
    fn prefixes_in_length_order() {
        let t = trie(&["a", "abc", "ab", "b", "abd", "abc"]);
        assert_eq!(search(&t, "abcd"), ["a", "ab", "abc"]);
        assert_eq!(search(&t, "abd"), ["a", "ab", "abd"]);
        assert_eq!(search(&t, "b"), ["b"]);
        assert!(search(&t, "c").is_empty());
        assert!(search(&t, "").is_empty());
    }

    #[test]
    fn empty_trie() {
        let t = trie(&[]);
        assert!(search(&t, "abc").is_empty());
    }

    #[test]
    fn multibyte() {
        let t = trie(&["▁", "▁día", "▁dí", "▁di", "ñ"]);
        assert_eq!(search(&t, "▁días"), ["▁", "▁dí", "▁día"]);
        assert_eq!(search(&t, "▁dime"), ["▁", "▁di"]);
        assert_eq!(search(&t, "ñu"), ["ñ"]);
    }
}
