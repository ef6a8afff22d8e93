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

/// Up to this many literals the matcher is a DFA (the built-in typo list has about 1,600).
const DFA_MAX_PATTERNS: usize = 5_000;

/// Bits of the hash of a literal's first bytes.
const HEAD_BITS: u32 = 16;

pub struct LiteralSet {
    matcher: AhoCorasick,
    /// One bit per hash of the first `head_len` bytes of a literal; `None` when a literal
    /// is shorter than four bytes (then the automaton scans alone).
    heads: Option<Box<[u64]>>,
    /// 4 to 8: the length of the shortest literal, at most 8.
    head_len: usize,
}

/// The hash of the first `len` (1–8) bytes of `bytes` (which has at least `len`).
fn head_hash(bytes: &[u8], len: usize) -> usize {
    let mut word = [0u8; 8];
    match bytes.get(..8) {
        Some(eight) => word.copy_from_slice(eight),
        None => word[..bytes.len()].copy_from_slice(bytes),
    }
    let mask = u64::MAX >> (64 - 8 * len as u32);
    let x = u64::from_le_bytes(word) & mask;
    (x.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - HEAD_BITS)) as usize
}

impl LiteralSet {
    pub fn new<'p>(literals: impl IntoIterator<Item = &'p str> + Clone) -> Result<Self, String> {
        let count = literals.clone().into_iter().count();
        let shortest = literals
            .clone()
            .into_iter()
            .map(str::len)
            .min()
            .unwrap_or(0);
        let filtered = shortest >= 4;
        let head_len = shortest.clamp(4, 8);
        // A DFA scans several times faster than the default NFA once the list has grown
        // to thousands of entries; beyond DFA_MAX_PATTERNS its memory is not worth it.
        let kind = (count <= DFA_MAX_PATTERNS).then_some(AhoCorasickKind::DFA);
        let start = if filtered {
            StartKind::Anchored
        } else {
            StartKind::Unanchored
        };
        let matcher = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .kind(kind)
            .start_kind(start)
            .build(literals.clone())
            .map_err(|e| format!("cannot build matcher: {e}"))?;
        let heads = filtered.then(|| {
            let mut bits = vec![0u64; (1 << HEAD_BITS) / 64].into_boxed_slice();
            for literal in literals {
                let h = head_hash(literal.as_bytes(), head_len);
                bits[h / 64] |= 1 << (h % 64);
            }
            bits
        });
        Ok(LiteralSet {
            matcher,
            heads,
            head_len,
        })
    }

    /// Each match in `text`, in order, as the unanchored leftmost-longest search finds
    /// them; `pattern()` is the literal's index.
    pub fn for_each_match(&self, text: &str, mut found: impl FnMut(Match)) {
        let Some(heads) = &self.heads else {
            self.matcher.find_iter(text).for_each(found);
            return;
        };
        let bytes = text.as_bytes();
        let mut at = 0;
        while at + self.head_len <= bytes.len() {
            let p = at;
            at += 1;
            // a literal starts on a character: never on a continuation byte
            if (bytes[p] as i8) < -0x40 {
                continue;
            }
            let h = head_hash(&bytes[p..], self.head_len);
            if heads[h / 64] & (1 << (h % 64)) == 0 {
                continue;
            }
            let input = Input::new(bytes)
                .span(p..bytes.len())
                .anchored(Anchored::Yes);
            if let Ok(Some(m)) = self.matcher.try_find(input) {
                at = m.end().max(p + 1);
                found(m);
            }
        }
    }
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

    proptest::proptest! {
        /// Any text over the literals' characters: the same matches as the plain search.
        #[test]
        fn the_filtered_search_finds_what_the_plain_one_finds(
            text in "[竟赛劳动活开展工作机智制a ]{0,40}"
        ) {
            let literals = ["竟赛", "劳动竟赛", "竟赛活动", "工作机智", "机智", "a竟赛", "展开"];
            proptest::prop_assert_eq!(filtered(&literals, &text), plain(&literals, &text));
        }
    }
}
