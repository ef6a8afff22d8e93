//! Many literal strings found at once (a substitution rule's wrong forms, a dated rule's
//! terms), leftmost-longest: the first position where some literal starts, its longest
//! literal there, and the next search after its end.
//!
//! When every literal is at least four bytes long (two Chinese characters of a typo list),
//! no automaton runs. The first bytes of each literal (as many as the shortest has, up to
//! eight) are hashed into a 65,536-bit table (8 KB); the scan hashes as many bytes at each
//! character start, and only where the table has the bit looks the literals with those
//! first bytes up (sorted, longest first) and compares them there. Otherwise (a literal of
//! one to three bytes) Aho-Corasick searches: a contiguous NFA, then a DFA once the set has
//! searched a megabyte.
//!
//! A DFA of thousands of Chinese words has no byte it can skip to (every character of a
//! line starts with one of a few lead bytes), so it walked every byte through a table far
//! larger than the caches; the head table answers most characters from the cache, and a
//! lookup replaces the automaton entered at each of the others (on Chinese text most of
//! those are a literal's first two characters not followed by the rest, so the entry cost
//! more than the comparison).

use aho_corasick::{AhoCorasick, AhoCorasickKind, Match, MatchKind};
use std::ops::ControlFlow;

/// Up to this many literals a large text is searched with a DFA.
const DFA_MAX_PATTERNS: usize = 5_000;

/// Once a set has searched this many bytes (one large text, or many small ones in one
/// process), it searches with the DFA: that takes longer to build than the contiguous NFA
/// and scans about twice as fast.
const DFA_FROM_BYTES: usize = 1 << 20;

/// Bits of the hash of a literal's first bytes.
const HEAD_BITS: u32 = 16;

/// The table of the literals' head hashes: one bit per hash.
type HeadBits = [u64; (1 << HEAD_BITS) / 64];

/// The length of a UTF-8 character by the high four bits of its first byte (as
/// `source::utf8_len`, read from a table in the scan's inner loop).
const UTF8_LEN_BY_HIGH_BITS: [usize; 16] = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 3, 4];

pub struct LiteralSet {
    literals: Vec<Box<str>>,
    search: Search,
}

enum Search {
    /// Every literal has at least four bytes.
    Heads(HeadIndex),
    /// Some literal is shorter.
    Automaton(Automaton),
}

/// The literals by their first `len` bytes.
struct HeadIndex {
    /// One bit per hash of a literal's first `len` bytes.
    bits: Box<HeadBits>,
    /// 4 to 8: the length of the shortest literal, at most 8.
    len: usize,
    /// (first `len` bytes as a little-endian word, literal index), sorted by the word, then
    /// the longest literal first, then the lowest index: the first of a word's entries that
    /// the text at a position starts with is the leftmost-longest match there.
    entries: Vec<(u64, u32)>,
}

struct Automaton {
    /// The contiguous NFA, built at once (so that a bad list fails as it loads).
    nfa: AhoCorasick,
    /// The DFA for large texts, built when one is first searched; `None` inside when it
    /// cannot be built (the NFA serves then).
    dfa: std::sync::OnceLock<Option<AhoCorasick>>,
    /// Bytes searched so far (counting the text about to be).
    searched: std::sync::atomic::AtomicUsize,
}

/// Whether `heads` has the bit of hash `h` (under 2^HEAD_BITS).
fn has_head(heads: &HeadBits, h: usize) -> bool {
    heads[h / 64 % heads.len()] & (1 << (h % 64)) != 0
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

impl LiteralSet {
    pub fn new<'p>(literals: impl IntoIterator<Item = &'p str>) -> Result<Self, String> {
        let literals: Vec<Box<str>> = literals.into_iter().map(Box::from).collect();
        let shortest = literals.iter().map(|l| l.len()).min().unwrap_or(0);
        let search = if shortest >= 4 {
            Search::Heads(HeadIndex::new(&literals, shortest.min(8)))
        } else {
            Search::Automaton(Automaton::new(&literals)?)
        };
        Ok(LiteralSet { literals, search })
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
        let heads = match &self.search {
            Search::Heads(heads) => heads,
            Search::Automaton(automaton) => {
                for m in automaton
                    .for_text(&self.literals, text.len())
                    .find_iter(text)
                {
                    if found(m).is_break() {
                        return;
                    }
                }
                return;
            }
        };
        let bytes = text.as_bytes();
        let mut at = 0;
        while let Some(p) = heads.next_head(bytes, at) {
            match heads.longest_at(&self.literals, bytes, p) {
                Some(m) => {
                    at = m.end();
                    if found(m).is_break() {
                        return;
                    }
                }
                None => at = p + crate::source::utf8_len(bytes[p]),
            }
        }
    }
}

impl HeadIndex {
    fn new(literals: &[Box<str>], len: usize) -> HeadIndex {
        let mask = head_mask(len);
        let mut bits: Box<HeadBits> = Box::new([0; (1 << HEAD_BITS) / 64]);
        let mut entries: Vec<(u64, u32)> = Vec::with_capacity(literals.len());
        for (i, literal) in literals.iter().enumerate() {
            let head = first_word(literal.as_bytes()) & mask;
            let h = hash_head(head);
            bits[h / 64] |= 1 << (h % 64);
            entries.push((head, crate::source::saturating_u32(i)));
        }
        let length = |i: u32| literals.get(i as usize).map_or(0, |l| l.len());
        entries.sort_unstable_by_key(|&(head, i)| (head, std::cmp::Reverse(length(i)), i));
        HeadIndex { bits, len, entries }
    }

    /// The first character start at or after `at` (itself one) where a literal fits and
    /// the first `len` bytes hash into the table. A literal starts on a character: the
    /// scan steps from character to character, reading eight bytes at once while eight
    /// remain.
    fn next_head(&self, bytes: &[u8], mut at: usize) -> Option<usize> {
        let mask = head_mask(self.len);
        while let Some(word) = bytes.get(at..).and_then(|rest| rest.first_chunk::<8>()) {
            let word = u64::from_le_bytes(*word);
            if has_head(&self.bits, hash_head(word & mask)) {
                return Some(at);
            }
            // the first byte is the word's lowest
            at += UTF8_LEN_BY_HIGH_BITS[usize::from((word as u8) >> 4)];
        }
        while at + self.len <= bytes.len() {
            if has_head(&self.bits, hash_head(first_word(&bytes[at..]) & mask)) {
                return Some(at);
            }
            at += crate::source::utf8_len(bytes[at]);
        }
        None
    }

    /// The longest literal that `bytes` has at `p`.
    fn longest_at(&self, literals: &[Box<str>], bytes: &[u8], p: usize) -> Option<Match> {
        let rest = bytes.get(p..)?;
        let head = first_word(rest) & head_mask(self.len);
        let from = self.entries.partition_point(|&(h, _)| h < head);
        self.entries[from..]
            .iter()
            .take_while(|&&(h, _)| h == head)
            .find_map(|&(_, i)| {
                let literal = literals.get(i as usize)?;
                rest.starts_with(literal.as_bytes())
                    .then(|| Match::must(i as usize, p..p + literal.len()))
            })
    }
}

impl Automaton {
    fn new(literals: &[Box<str>]) -> Result<Automaton, String> {
        Ok(Automaton {
            nfa: build(literals, AhoCorasickKind::ContiguousNFA)
                .map_err(|e| format!("cannot build matcher: {e}"))?,
            dfa: std::sync::OnceLock::new(),
            searched: std::sync::atomic::AtomicUsize::new(0),
        })
    }

    /// The automaton for the next text, of `len` bytes: the DFA once DFA_FROM_BYTES have
    /// been searched (beyond DFA_MAX_PATTERNS its memory is not worth it), else the NFA.
    /// Both find the same matches.
    fn for_text(&self, literals: &[Box<str>], len: usize) -> &AhoCorasick {
        let searched = self
            .searched
            .fetch_add(len, std::sync::atomic::Ordering::Relaxed)
            .saturating_add(len);
        if searched < DFA_FROM_BYTES || self.nfa.patterns_len() > DFA_MAX_PATTERNS {
            return &self.nfa;
        }
        self.dfa
            .get_or_init(|| build(literals, AhoCorasickKind::DFA).ok())
            .as_ref()
            .unwrap_or(&self.nfa)
    }
}

fn build(
    literals: &[Box<str>],
    kind: AhoCorasickKind,
) -> Result<AhoCorasick, aho_corasick::BuildError> {
    AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostLongest)
        .kind(Some(kind))
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
    fn the_head_index_is_used_only_when_every_literal_has_four_bytes() {
        let heads = |literals: &[&str]| {
            let set = LiteralSet::new(literals.iter().copied()).unwrap();
            matches!(set.search, Search::Heads(_))
        };
        assert!(heads(&["工作机智", "竟赛"]));
        assert!(!heads(&["工作机智", "竟"]));
        assert!(!heads(&["工作机智", "abc"]));
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
            // two literals with the same first bytes (劳动, 劳动竟赛), one listed twice
            let literals =
                ["竟赛", "劳动竟赛", "竟赛活动", "工作机智", "机智", "a竟赛", "展开", "劳动", "机智"];
            proptest::prop_assert_eq!(filtered(&literals, &text), plain(&literals, &text));
        }
    }

    /// A set with a short literal searches with Aho-Corasick, with the DFA once a
    /// megabyte has been searched: the same matches.
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
            "竟",
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
        let Search::Automaton(automaton) = &set.search else {
            panic!("a set with a literal of three bytes has no head index");
        };
        assert!(automaton.dfa.get().is_none());
        automaton.for_text(&set.literals, text.len());
        assert!(automaton.dfa.get().is_some_and(Option::is_some));
        let found = filtered(&literals, &text);
        assert!(found.len() > 1_000, "{}", found.len());
        assert_eq!(found, plain(&literals, &text));
    }
}
