//! Many literal strings found at once (a substitution rule's wrong forms): Aho-Corasick,
//! leftmost-longest, behind a filter that lets most positions of a text pass without
//! entering the automaton.
//!
//! A DFA of thousands of Chinese words has no byte it can skip to (every character of a
//! line starts with one of a few lead bytes), so it walks every byte through a table far
//! larger than the caches. When every literal is at least four bytes long, the first bytes
//! of each (as many as the shortest has, up to eight: two Chinese characters of a typo list)
//! are hashed into a 65,536-bit table (8 KB); the scan hashes as many bytes at each
//! character start and enters the automaton, anchored there, only where the table has the
//! bit. The matches are those of the unanchored leftmost-longest search: the first
//! position where some literal starts, its longest literal there, and the next search
//! after its end.

use aho_corasick::{AhoCorasick, AhoCorasickKind, Anchored, Input, Match, MatchKind, StartKind};
use std::ops::ControlFlow;

/// Up to this many literals a large text is searched with a DFA (the built-in typo list has
/// about 1,600).
const DFA_MAX_PATTERNS: usize = 5_000;

/// Once a set has searched this many bytes (one large text, or many small ones in one
/// process), it searches with the DFA: that takes longer to build than the contiguous NFA
/// (about a fifth of a check of a small draft, for the typo list) and scans about twice as
/// fast.
const DFA_FROM_BYTES: usize = 1 << 20;

/// Bits of the hash of a literal's first bytes.
const HEAD_BITS: u32 = 16;

/// The table of the literals' head hashes: one bit per hash.
type HeadBits = [u64; (1 << HEAD_BITS) / 64];

/// The length of a UTF-8 character by the high four bits of its first byte (as
/// `source::utf8_len`, read from a table in the scan's inner loop).
const UTF8_LEN_BY_HIGH_BITS: [usize; 16] = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 3, 4];

/// Whether `heads` has the bit of hash `h` (under 2^HEAD_BITS).
fn has_head(heads: &HeadBits, h: usize) -> bool {
    heads[h / 64 % heads.len()] & (1 << (h % 64)) != 0
}

pub struct LiteralSet {
    /// The contiguous NFA, built at once (so that a bad list fails as it loads).
    matcher: AhoCorasick,
    /// The DFA for large texts, built when one is first searched; `None` inside when it
    /// cannot be built (the NFA serves then).
    dfa: std::sync::OnceLock<Option<AhoCorasick>>,
    /// Bytes searched so far (counting the text about to be).
    searched: std::sync::atomic::AtomicUsize,
    literals: Vec<Box<str>>,
    start: StartKind,
    /// One bit per hash of the first `head_len` bytes of a literal; `None` when a literal
    /// is shorter than four bytes (then the automaton scans alone).
    heads: Option<Box<HeadBits>>,
    /// 4 to 8: the length of the shortest literal, at most 8.
    head_len: usize,
}

/// The first eight bytes of `bytes` as a little-endian word, zero-padded when shorter.
fn first_word(bytes: &[u8]) -> u64 {
    match bytes.first_chunk::<8>() {
        Some(eight) => u64::from_le_bytes(*eight),
        None => {
            let mut word = [0u8; 8];
            word[..bytes.len()].copy_from_slice(bytes);
            u64::from_le_bytes(word)
        }
    }
}

/// The mask of a word's first `len` (1–8) bytes.
fn head_mask(len: usize) -> u64 {
    u64::MAX >> (64 - 8 * len as u32)
}

/// The hash of a word's first bytes, masked with [`head_mask`].
fn hash_head(head: u64) -> usize {
    (head.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - HEAD_BITS)) as usize
}

/// The hash of the first `len` (1–8) bytes of `bytes` (which has at least `len`).
fn head_hash(bytes: &[u8], len: usize) -> usize {
    hash_head(first_word(bytes) & head_mask(len))
}

impl LiteralSet {
    pub fn new<'p>(literals: impl IntoIterator<Item = &'p str> + Clone) -> Result<Self, String> {
        let shortest = literals
            .clone()
            .into_iter()
            .map(str::len)
            .min()
            .unwrap_or(0);
        let filtered = shortest >= 4;
        let head_len = shortest.clamp(4, 8);
        let start = if filtered {
            StartKind::Anchored
        } else {
            StartKind::Unanchored
        };
        let literals: Vec<Box<str>> = literals.into_iter().map(Box::from).collect();
        let matcher = build(&literals, start, AhoCorasickKind::ContiguousNFA)
            .map_err(|e| format!("cannot build matcher: {e}"))?;
        let heads = filtered.then(|| {
            let mut bits: Box<HeadBits> = Box::new([0; (1 << HEAD_BITS) / 64]);
            for literal in &literals {
                let h = head_hash(literal.as_bytes(), head_len);
                bits[h / 64] |= 1 << (h % 64);
            }
            bits
        });
        Ok(LiteralSet {
            matcher,
            dfa: std::sync::OnceLock::new(),
            searched: std::sync::atomic::AtomicUsize::new(0),
            literals,
            start,
            heads,
            head_len,
        })
    }

    /// The automaton for the next text, of `len` bytes: the DFA once DFA_FROM_BYTES have
    /// been searched (a DFA scans several times faster than an NFA once the list has grown
    /// to thousands of entries; beyond DFA_MAX_PATTERNS its memory is not worth it), else
    /// the NFA. Both find the same matches.
    fn matcher_for(&self, len: usize) -> &AhoCorasick {
        let searched = self
            .searched
            .fetch_add(len, std::sync::atomic::Ordering::Relaxed)
            .saturating_add(len);
        if searched < DFA_FROM_BYTES || self.literals.len() > DFA_MAX_PATTERNS {
            return &self.matcher;
        }
        self.dfa
            .get_or_init(|| build(&self.literals, self.start, AhoCorasickKind::DFA).ok())
            .as_ref()
            .unwrap_or(&self.matcher)
    }

    /// Each match in `text`, in order, as the unanchored leftmost-longest search finds
    /// them; `pattern()` is the literal's index.
    pub fn for_each_match(&self, text: &str, mut found: impl FnMut(Match)) {
        self.try_for_each_match(text, |m| {
            found(m);
            ControlFlow::Continue(())
        });
    }

    /// [`LiteralSet::for_each_match`], stopping where `found` breaks.
    pub fn try_for_each_match(&self, text: &str, mut found: impl FnMut(Match) -> ControlFlow<()>) {
        let matcher = self.matcher_for(text.len());
        let Some(heads) = &self.heads else {
            for m in matcher.find_iter(text) {
                if found(m).is_break() {
                    return;
                }
            }
            return;
        };
        let bytes = text.as_bytes();
        let mut at = 0;
        while let Some(p) = next_head(heads, bytes, at, self.head_len) {
            let input = Input::new(bytes)
                .span(p..bytes.len())
                .anchored(Anchored::Yes);
            match matcher.try_find(input) {
                Ok(Some(m)) => {
                    at = m.end();
                    if found(m).is_break() {
                        return;
                    }
                }
                _ => at = p + crate::source::utf8_len(bytes[p]),
            }
        }
    }
}

/// The first character start at or after `at` (itself one) where a literal fits and the
/// first `head_len` bytes hash into `heads`. A literal starts on a character: the scan steps
/// from character to character, reading eight bytes at once while eight remain.
fn next_head(heads: &HeadBits, bytes: &[u8], mut at: usize, head_len: usize) -> Option<usize> {
    let mask = head_mask(head_len);
    while let Some(word) = bytes.get(at..).and_then(|rest| rest.first_chunk::<8>()) {
        let word = u64::from_le_bytes(*word);
        if has_head(heads, hash_head(word & mask)) {
            return Some(at);
        }
        // the first byte is the word's lowest
        at += UTF8_LEN_BY_HIGH_BITS[usize::from((word as u8) >> 4)];
    }
    while at + head_len <= bytes.len() {
        if has_head(heads, head_hash(&bytes[at..], head_len)) {
            return Some(at);
        }
        at += crate::source::utf8_len(bytes[at]);
    }
    None
}

fn build(
    literals: &[Box<str>],
    start: StartKind,
    kind: AhoCorasickKind,
) -> Result<AhoCorasick, aho_corasick::BuildError> {
    AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostLongest)
        .kind(Some(kind))
        .start_kind(start)
        .build(literals.iter().map(|l| l.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filtered(literals: &[&str], text: &str) -> Vec<(usize, usize, usize)> {
        let set = LiteralSet::new(literals.iter().copied()).unwrap();
        let mut out = Vec::new();
        set.for_each_match(text, |m| {
            out.push((m.start(), m.end(), m.pattern().as_usize()))
        });
        out
    }

    fn plain(literals: &[&str], text: &str) -> Vec<(usize, usize, usize)> {
        AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(literals)
            .unwrap()
            .find_iter(text)
            .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
            .collect()
    }

    #[test]
    fn the_filter_is_used_only_when_every_literal_has_four_bytes() {
        assert!(LiteralSet::new(["工作机智", "竟赛"])
            .unwrap()
            .heads
            .is_some());
        assert!(LiteralSet::new(["工作机智", "竟"]).unwrap().heads.is_none());
    }

    #[test]
    fn overlapping_and_nested_literals_match_as_the_plain_search_does() {
        let literals = ["竟赛", "劳动竟赛", "竟赛活动", "动竟"];
        for text in ["开展劳动竟赛活动", "竟赛竟赛活动", "劳动竟", "x竟赛"] {
            assert_eq!(filtered(&literals, text), plain(&literals, text), "{text}");
        }
    }

    #[test]
    fn the_length_table_agrees_with_utf8_len_for_every_byte() {
        for b in 0..=255u8 {
            assert_eq!(
                UTF8_LEN_BY_HIGH_BITS[usize::from(b >> 4)],
                crate::source::utf8_len(b),
                "{b:#x}"
            );
        }
    }

    proptest::proptest! {
        /// Any text over the literals' characters (and characters of two and four bytes): the
        /// same matches as the plain search.
        #[test]
        fn the_filtered_search_finds_what_the_plain_one_finds(
            text in "[竟赛劳动活开展工作机智制a é𠀀]{0,40}"
        ) {
            let literals = ["竟赛", "劳动竟赛", "竟赛活动", "工作机智", "机智", "a竟赛", "展开"];
            proptest::prop_assert_eq!(filtered(&literals, &text), plain(&literals, &text));
        }
    }

    /// Once a megabyte has been searched, the DFA searches: the same matches.
    #[test]
    fn a_large_text_is_searched_with_the_dfa_to_the_same_matches() {
        let literals = [
            "竟赛",
            "劳动竟赛",
            "竟赛活动",
            "工作机智",
            "机智",
            "a竟赛",
            "展开",
        ];
        let alphabet: Vec<char> = "竟赛劳动活开展工作机智制a ".chars().collect();
        let mut seed = 12345u64;
        let mut text = String::new();
        while text.len() < DFA_FROM_BYTES + 1000 {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            text.push(alphabet[(seed >> 33) as usize % alphabet.len()]);
        }
        let set = LiteralSet::new(literals.iter().copied()).unwrap();
        assert!(set.dfa.get().is_none());
        set.matcher_for(text.len());
        assert!(set.dfa.get().is_some_and(Option::is_some));
        let found = filtered(&literals, &text);
        assert!(found.len() > 1_000, "{}", found.len());
        assert_eq!(found, plain(&literals, &text));
    }
}
