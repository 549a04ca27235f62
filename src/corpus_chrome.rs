//! Corpus mode: lines that repeat across many documents are page chrome (site footers,
//! navigation, slogans) even when no phrase list knows them.
//!
//! A first pass counts, for every normalized line (lower case, whitespace collapsed), in how
//! many documents it occurs; lines found in at least `min_docs` documents form a
//! [`CorpusChrome`] set. Handed to the cleaner, the rule `structure/repeated-line` removes them.
//!
//! ```
//! use textmend::corpus_chrome::{CorpusChrome, CorpusChromeCounter};
//! use textmend::{Cleaner, Config};
//!
//! let docs = [
//!     "First story\n\nBody one.\n\nFollow us on Weibo\n",
//!     "Second story\n\nBody two.\n\nFollow us on Weibo\n",
//!     "Third story\n\nBody three.\n\nfollow us  on weibo\n",
//! ];
//! // One pass over the corpus (streaming; merge counters built on several threads with `merge`).
//! let mut counter = CorpusChromeCounter::new(3);
//! for d in &docs {
//!     counter.add_document(d);
//! }
//! let set: CorpusChrome = counter.finish();
//! assert!(set.contains_line("Follow us on Weibo"));
//!
//! let cleaner = Cleaner::new(Config::default())?.with_corpus_chrome(set);
//! assert_eq!(cleaner.clean(docs[0]).text, "First story\n\nBody one.\n");
//! # Ok::<(), textmend::BuildError>(())
//! ```
//!
//! Memory is bounded: the counter keeps at most `capacity` distinct lines (default 1,000,000,
//! about 16 bytes each plus the map's overhead). When it is full, the lines seen in the fewest
//! documents are dropped (and counted from zero if they come back), so counts are never too
//! high: a line is reported only if it really occurs in at least `min_docs` documents (up to
//! 64-bit hash collisions); under memory pressure a rare chrome line may be missed, never the
//! reverse. Lines longer than [`MAX_LINE_BYTES`] are article paragraphs and are not counted.

use std::collections::{HashMap, HashSet};
use std::hash::Hasher;

/// Lines longer than this (bytes) are never corpus chrome.
pub const MAX_LINE_BYTES: usize = 300;

/// Default cap on distinct lines held while counting.
pub const DEFAULT_CAPACITY: usize = 1_000_000;

/// The hash of a line's normalized form (lower case, whitespace runs collapsed, trimmed), or
/// `None` for a blank line or one longer than [`MAX_LINE_BYTES`].
pub fn line_hash(line: &str) -> Option<u64> {
    if line.len() > MAX_LINE_BYTES {
        return None;
    }
    let mut h = std::collections::hash_map::DefaultHasher::new();
    let mut any = false;
    for w in line.split_whitespace() {
        if any {
            h.write_u8(b' ');
        }
        any = true;
        for c in w.chars().flat_map(char::to_lowercase) {
            h.write_u32(c as u32);
        }
    }
    any.then(|| h.finish())
}

/// The set of lines repeated across a corpus.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CorpusChrome {
    hashes: HashSet<u64>,
}

impl CorpusChrome {
    /// Counts lines over `docs` and keeps those found in at least `min_docs` documents.
    pub fn from_documents<'a>(
        docs: impl IntoIterator<Item = &'a str>,
        min_docs: usize,
    ) -> CorpusChrome {
        let mut c = CorpusChromeCounter::new(min_docs);
        for d in docs {
            c.add_document(d);
        }
        c.finish()
    }

    /// True when `line` (any case or spacing) is in the set.
    pub fn contains_line(&self, line: &str) -> bool {
        line_hash(line).is_some_and(|h| self.hashes.contains(&h))
    }

    /// Number of distinct lines in the set.
    pub fn len(&self) -> usize {
        self.hashes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.hashes.is_empty()
    }
}

/// Counts, per normalized line, the documents it occurs in, in bounded memory.
#[derive(Debug, Clone)]
pub struct CorpusChromeCounter {
    counts: HashMap<u64, u32>,
    min_docs: usize,
    capacity: usize,
    seen: HashSet<u64>,
    docs: u64,
}

impl CorpusChromeCounter {
    /// A counter reporting lines found in at least `min_docs` documents (at least 2).
    pub fn new(min_docs: usize) -> Self {
        Self::with_capacity(min_docs, DEFAULT_CAPACITY)
    }

    /// Like [`CorpusChromeCounter::new`], holding at most `capacity` distinct lines.
    pub fn with_capacity(min_docs: usize, capacity: usize) -> Self {
        CorpusChromeCounter {
            counts: HashMap::new(),
            min_docs: min_docs.max(2),
            capacity: capacity.max(16),
            seen: HashSet::new(),
            docs: 0,
        }
    }

    /// Documents counted so far.
    pub fn documents(&self) -> u64 {
        self.docs
    }

    /// Counts the distinct lines of one document.
    pub fn add_document(&mut self, text: &str) {
        self.docs += 1;
        self.seen.clear();
        for line in text.lines() {
            if let Some(h) = line_hash(line) {
                if self.seen.insert(h) {
                    *self.counts.entry(h).or_insert(0) += 1;
                }
            }
        }
        if self.counts.len() > self.capacity {
            self.prune();
        }
    }

    /// Adds another counter's counts (for counting chunks of a corpus on several threads).
    pub fn merge(&mut self, other: CorpusChromeCounter) {
        self.docs += other.docs;
        for (h, n) in other.counts {
            *self.counts.entry(h).or_insert(0) += n;
        }
        if self.counts.len() > self.capacity {
            self.prune();
        }
    }

    /// Drops the least frequent lines until at most 3/4 of the capacity is used.
    fn prune(&mut self) {
        let target = self.capacity * 3 / 4;
        let mut floor = 1;
        while self.counts.len() > target {
            self.counts.retain(|_, n| *n > floor);
            floor += 1;
        }
    }

    /// The lines found in at least `min_docs` documents.
    pub fn finish(self) -> CorpusChrome {
        let min = self.min_docs as u32;
        CorpusChrome {
            hashes: self
                .counts
                .into_iter()
                .filter(|(_, n)| *n >= min)
                .map(|(h, _)| h)
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_documents_not_occurrences() {
        let mut c = CorpusChromeCounter::new(2);
        c.add_document("Footer\nFooter\nFooter\n");
        c.add_document("Other\n");
        assert!(!c.clone().finish().contains_line("Footer"));
        c.add_document("  FOOTER  \n");
        let s = c.finish();
        assert!(s.contains_line("footer"));
        assert!(!s.contains_line("Other"));
        assert_eq!(s.len(), 1);
    }

    #[test]
    fn memory_stays_bounded_and_frequent_lines_survive() {
        let mut c = CorpusChromeCounter::with_capacity(5, 100);
        for i in 0..2000 {
            c.add_document(&format!(
                "unique line {i}\nanother unique {i}\nSite footer\n"
            ));
            assert!(c.counts.len() <= 101 + 3);
        }
        let s = c.finish();
        assert!(s.contains_line("site footer"));
        assert!(!s.contains_line("unique line 7"));
    }

    #[test]
    fn merge_adds_counts() {
        let mut a = CorpusChromeCounter::new(3);
        let mut b = CorpusChromeCounter::new(3);
        a.add_document("X\n");
        a.add_document("X\n");
        b.add_document("X\n");
        a.merge(b);
        assert_eq!(a.documents(), 3);
        assert!(a.finish().contains_line("x"));
        assert_eq!(line_hash(&"a".repeat(400)), None);
        assert_eq!(line_hash("   "), None);
    }
}
