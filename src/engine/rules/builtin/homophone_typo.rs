//! `homophone-typo`: two characters jieba cannot read as a word that become a common 公文
//! word when one of them is swapped for a character with the same pinyin — the pinyin input
//! method picked the wrong character (才政 → 财政, 监官 → 监管, 演炼 → 演练).
//!
//! The words a typo may be corrected to are data (`params.vocabulary`); pinyin comes from
//! the `pinyin` crate (each character's main reading, tones ignored, as typed). The index of
//! suspicious pairs is built once, on first use, without the dictionary; the text is scanned
//! pair by pair with one table lookup each. A hit is first looked up in the dictionary's
//! short-word lists (is the pair, or a character with its neighbours, a word?), which need
//! no loading; only a hit that survives that loads jieba and is segmented (its clause, a
//! few characters each side).

use crate::diagnostic::{Applicability, Edit, Findings, Fix};
use crate::document::Document;
use crate::rules::builtin::params;
use crate::rules::{Check, RuleMeta};
use crate::segment;
use pinyin::ToPinyin;
use serde::Deserialize;
use std::ops::Range;
use std::sync::OnceLock;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct Params {
    /// The 公文 words (two characters each, separated by spaces) a typo is corrected to.
    vocabulary: String,
    /// Characters that often stand alone as words (jieba dictionary frequency over 5,000):
    /// the character that stays must not be one of them — 政 in 才政 cannot stand alone,
    /// 人 in 万人 can, so 万人 is not read as a typo of 无人.
    free_characters: String,
    /// Characters that begin a name; a pair right after one, or a swap of one, is skipped.
    surnames: String,
    /// Words jieba's dictionary lacks (abbreviations, newer terms: 卫健委, 可研, 即征即退),
    /// separated by spaces; a pair inside one of them is not a typo.
    known_words: String,
    /// How many characters each side of a pair are segmented with it.
    reach: usize,
}

impl Default for Params {
    fn default() -> Params {
        Params {
            vocabulary: String::new(),
            free_characters: String::new(),
            surnames: String::new(),
            known_words: String::new(),
            reach: 8,
        }
    }
}

pub fn build(value: &serde_yaml::Value) -> Result<Box<dyn Check>, String> {
    let params: Params = params(value)?;
    if words(&params.vocabulary).next().is_none() {
        return Err("params.vocabulary lists no two-character words".into());
    }
    Ok(Box::new(HomophoneTypo {
        params,
        index: OnceLock::new(),
    }))
}

fn words(vocabulary: &str) -> impl Iterator<Item = [char; 2]> + '_ {
    vocabulary.split_whitespace().filter_map(|w| {
        let mut it = w.chars();
        match (it.next(), it.next(), it.next()) {
            (Some(a), Some(b), None) if is_han(a) && is_han(b) => Some([a, b]),
            _ => None,
        }
    })
}

struct HomophoneTypo {
    params: Params,
    index: OnceLock<PairIndex>,
}

/// Which word a suspicious pair may be a typo of, and which of its two characters is the
/// wrong one.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Candidate {
    word: [char; 2],
    /// 0 or 1
    wrong_at: u8,
}

/// The suspicious pairs, grouped by their first character (U+4E00..U+9FFF): the pairs
/// beginning with the character at offset `k` are `starts[k]..starts[k + 1]` of `seconds`
/// (the second characters' offsets) and `candidates`. A lookup reads one entry of `starts`
/// (84 KB) and a few adjacent `seconds` — cache-friendly, unlike a hash table of 70,000
/// pairs probed for every pair of Han characters in the text.
struct PairIndex {
    starts: Vec<u32>,
    /// One bit per hash of a suspicious pair ([`pair_bit`]): a pair whose bit is clear is
    /// not one, which settles almost every pair of a text with one read of this 128 KB
    /// table instead of a search among the pairs of its first character.
    pair_bits: Box<[u64]>,
    seconds: Vec<u16>,
    /// `None`: two vocabulary words claim the pair, so it is not reported.
    candidates: Vec<Option<Candidate>>,
    surnames: Vec<char>,
    known_words: Vec<String>,
}

impl PairIndex {
    fn build(params: &Params) -> PairIndex {
        // keyed by the pinyin crate's own syllables, not by anything from the text
        let mut by_pinyin: foldhash::HashMap<&'static str, Vec<char>> = Default::default();
        for c in '\u{4E00}'..='\u{9FA5}' {
            if let Some(p) = c.to_pinyin() {
                by_pinyin.entry(p.plain()).or_default().push(c);
            }
        }
        let free: Vec<char> = params.free_characters.chars().collect();
        // (first << 16 | second, candidate): 16 bytes to move while sorting
        let mut pairs: Vec<(u32, Candidate)> = Vec::new();
        for word in words(&params.vocabulary) {
            for wrong_at in 0..2u8 {
                let wrong_at_index = usize::from(wrong_at);
                if free.contains(&word[1 - wrong_at_index]) {
                    continue;
                }
                let Some(p) = word[wrong_at_index].to_pinyin() else {
                    continue;
                };
                for &h in by_pinyin.get(p.plain()).into_iter().flatten() {
                    if h == word[wrong_at_index] {
                        continue;
                    }
                    let mut pair = word;
                    pair[wrong_at_index] = h;
                    let first = han_offset(u32::from(pair[0])).and_then(|f| u32::try_from(f).ok());
                    let second = han_offset(u32::from(pair[1])).and_then(|s| u32::try_from(s).ok());
                    if let (Some(first), Some(second)) = (first, second) {
                        pairs.push((first << 16 | second, Candidate { word, wrong_at }));
                    }
                }
            }
        }
        // in pair order, each pair once: a pair that two different words can be a typo of
        // has no candidate
        let mut sorted: Vec<(u32, Option<Candidate>)> = Vec::with_capacity(pairs.len());
        for (key, candidate) in sorted_by_key(pairs) {
            match sorted.last_mut() {
                Some((last, kept)) if *last == key => {
                    if kept.is_some_and(|c| c.word != candidate.word) {
                        *kept = None;
                    }
                }
                _ => sorted.push((key, Some(candidate))),
            }
        }
        let mut pair_bits = vec![0u64; PAIR_BITS / 64].into_boxed_slice();
        for (key, _) in &sorted {
            let bit = pair_bit(key >> 16, key & 0xFFFF);
            pair_bits[bit / 64] |= 1 << (bit % 64);
        }
        let mut starts = vec![0u32; HAN_SPAN + 1];
        for (key, _) in &sorted {
            starts[(key >> 16) as usize + 1] += 1;
        }
        for k in 1..starts.len() {
            starts[k] += starts[k - 1];
        }
        PairIndex {
            starts,
            pair_bits,
            seconds: sorted.iter().map(|(key, _)| *key as u16).collect(),
            candidates: sorted.iter().map(|(_, c)| *c).collect(),
            surnames: params.surnames.chars().filter(|c| is_han(*c)).collect(),
            known_words: params
                .known_words
                .split_whitespace()
                .map(str::to_owned)
                .collect(),
        }
    }
}

/// `pairs` in key order: placed into buckets by first character (a counting sort over
/// [`HAN_SPAN`]), then each small bucket sorted by its key — cheaper than one comparison
/// sort of 70,000+ entries.
fn sorted_by_key(pairs: Vec<(u32, Candidate)>) -> Vec<(u32, Candidate)> {
    let mut starts = vec![0usize; HAN_SPAN + 1];
    for (key, _) in &pairs {
        starts[(key >> 16) as usize + 1] += 1;
    }
    for k in 1..starts.len() {
        starts[k] += starts[k - 1];
    }
    let Some(&first) = pairs.first() else {
        return pairs;
    };
    // each pair written once, straight to its place (no slots to fill and then compact)
    let mut next = starts.clone();
    let mut sorted = vec![first; pairs.len()];
    for pair in pairs {
        let bucket = (pair.0 >> 16) as usize;
        sorted[next[bucket]] = pair;
        next[bucket] += 1;
    }
    for bucket in starts.windows(2) {
        sorted[bucket[0]..bucket[1]].sort_unstable_by_key(|(key, _)| *key);
    }
    sorted
}

const HAN_START: u32 = 0x4E00;
const HAN_SPAN: usize = 0xA000 - 0x4E00;

/// The size of [`PairIndex::pair_bits`]: about 70,000 pairs set one bit in 16.
const PAIR_BITS: usize = 1 << 20;

/// The bit of the pair of Han offsets (`first`, `second`) in [`PairIndex::pair_bits`].
fn pair_bit(first: u32, second: u32) -> usize {
    let key = (first << 16 | (second & 0xFFFF)).wrapping_mul(0x9E37_79B1);
    (key >> (32 - PAIR_BITS.trailing_zeros())) as usize
}

fn is_han(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c)
}

/// The position of a code point in U+4E00..U+9FFF.
fn han_offset(cp: u32) -> Option<usize> {
    cp.checked_sub(HAN_START)
        .map(|o| o as usize)
        .filter(|o| *o < HAN_SPAN)
}

impl PairIndex {
    /// The candidate of the pair (first, second), when it is a suspicious pair.
    #[inline]
    fn lookup(&self, first: u32, second: u32) -> Option<Candidate> {
        let (f, s) = (
            first.wrapping_sub(HAN_START),
            second.wrapping_sub(HAN_START),
        );
        let bit = pair_bit(f, s);
        if self
            .pair_bits
            .get(bit / 64)
            .is_none_or(|w| w & (1 << (bit % 64)) == 0)
        {
            return None;
        }
        let f = han_offset(first)?;
        let range = self.starts[f] as usize..self.starts[f + 1] as usize;
        if range.is_empty() {
            return None;
        }
        let s = u16::try_from(han_offset(second)?).ok()?;
        let at = self.seconds[range.clone()].binary_search(&s).ok()?;
        self.candidates[range.start + at]
    }

    /// The suspicious pairs of `text` in order: (byte range, candidate). Walks the bytes:
    /// every character of U+4E00..U+9FFF is three bytes led by 0xE4..=0xE9.
    fn hits<'a>(&'a self, text: &'a str) -> impl Iterator<Item = (Range<usize>, Candidate)> + 'a {
        let b = text.as_bytes();
        let han_at = move |i: usize| -> Option<u32> {
            let (b0, b1, b2) = (*b.get(i)?, *b.get(i + 1)?, *b.get(i + 2)?);
            (0xE4..=0xE9).contains(&b0).then(|| {
                (u32::from(b0 & 0x0F) << 12) | (u32::from(b1 & 0x3F) << 6) | u32::from(b2 & 0x3F)
            })
        };
        let mut i = 0;
        // the Han character at `i` when it was decoded as the second of the last pair
        let mut carried: Option<u32> = None;
        std::iter::from_fn(move || {
            while i < b.len() {
                let Some(first) = carried.take().or_else(|| han_at(i)) else {
                    // the next character: `i` stays on character boundaries
                    i += crate::source::utf8_len(b[i]);
                    continue;
                };
                let at = i;
                i += 3;
                let Some(second) = han_at(i) else {
                    continue;
                };
                carried = Some(second);
                if let Some(c) = self.lookup(first, second) {
                    return Some((at..at + 6, c));
                }
            }
            None
        })
    }
}

impl Check for HomophoneTypo {
    fn offers_fixes(&self) -> bool {
        true
    }

    fn reads_structure(&self) -> bool {
        false
    }

    /// A pair is two adjacent Han characters, and everything asked about it lies in the run
    /// of Han characters around it.
    fn is_line_local(&self) -> bool {
        true
    }

    fn check(&self, doc: &Document, meta: &RuleMeta, out: &mut Findings) {
        let text = doc.text.as_str();
        let index = self.index.get_or_init(|| PairIndex::build(&self.params));
        for (span, candidate) in index.hits(text) {
            if let Some(word) = self.confirm(text, &span, candidate, index) {
                let fix = Fix {
                    applicability: Applicability::Unsafe,
                    message: format!("改为「{word}」").into(),
                    edits: vec![Edit {
                        range: span.clone(),
                        replacement: word.clone().into(),
                    }],
                };
                out.push(meta.diagnostic(span.clone(), &text[span], Some(&word), Some(fix)));
            }
        }
    }
}

impl HomophoneTypo {
    /// The corrected word when the pair at `span` reads as a typo in its clause: the pair
    /// is no dictionary word, jieba reads both characters as single-character words there,
    /// no name is involved, and with the swap jieba reads the candidate as a word.
    fn confirm(
        &self,
        text: &str,
        span: &Range<usize>,
        candidate: Candidate,
        index: &PairIndex,
    ) -> Option<String> {
        if segment::is_dictionary_word(&text[span.clone()]) || joins_a_neighbour(text, span) {
            return None; // the pair is itself a word, or part of one with a neighbour
        }
        let clause = han_clause(text, span, self.params.reach);
        let rel = (span.start - clause.start)..(span.end - clause.start);
        let sentence = &text[clause.clone()];
        if index
            .known_words
            .iter()
            .any(|w| overlaps_occurrence(sentence, w, &rel))
        {
            return None;
        }
        let tokens = segment::words(sentence);
        let single = |at: usize| tokens.iter().any(|t| t.start == at && t.len() == 3);
        let second = rel.start + 3;
        if !single(rel.start) || !single(second) {
            return None;
        }
        let before = sentence[..rel.start].chars().next_back();
        let wrong = sentence[rel.clone()]
            .chars()
            .nth(usize::from(candidate.wrong_at))?;
        let after_surname =
            before.is_some_and(|b| index.surnames.contains(&b) && single(rel.start - b.len_utf8()));
        if after_surname || (candidate.wrong_at == 0 && index.surnames.contains(&wrong)) {
            return None;
        }
        let word: String = candidate.word.iter().collect();
        let fixed = format!("{}{}{}", &sentence[..rel.start], word, &sentence[rel.end..]);
        let reads_as_word = segment::words(&fixed)
            .iter()
            .any(|t| t.start <= rel.start && t.end >= rel.start + word.len() && t.len() > 3);
        reads_as_word.then_some(word)
    }
}

/// A dictionary word of two or three characters made of one character of the pair and the
/// one or two next to it (人才 in 人才政策 for the pair 才政): the pair is then part of a
/// word and not a typo. A few dictionary lookups, before the dearer segmentation.
fn joins_a_neighbour(text: &str, span: &Range<usize>) -> bool {
    let before: Vec<(usize, char)> = text[..span.start].char_indices().rev().take(2).collect();
    let after: Vec<(usize, char)> = text[span.end..].char_indices().take(2).collect();
    let first_end = span.start + 3;
    let han_before = before.iter().take_while(|(_, c)| is_han(*c)).count();
    let han_after = after.iter().take_while(|(_, c)| is_han(*c)).count();
    (1..=han_before).any(|n| segment::is_dictionary_word(&text[before[n - 1].0..first_end]))
        || (1..=han_after).any(|n| {
            let (i, c) = after[n - 1];
            segment::is_dictionary_word(&text[span.start + 3..span.end + i + c.len_utf8()])
        })
}

/// Whether an occurrence of `word` in `text` overlaps `range`.
fn overlaps_occurrence(text: &str, word: &str, range: &Range<usize>) -> bool {
    text.match_indices(word)
        .any(|(at, w)| at < range.end && at + w.len() > range.start)
}

/// The run of Han characters around `span`, at most `reach` characters each side.
fn han_clause(text: &str, span: &Range<usize>, reach: usize) -> Range<usize> {
    let mut start = span.start;
    for (i, c) in text[..span.start].char_indices().rev().take(reach) {
        if !is_han(c) {
            break;
        }
        start = i;
    }
    let mut end = span.end;
    for (i, c) in text[span.end..].char_indices().take(reach) {
        if !is_han(c) {
            break;
        }
        end = span.end + i + c.len_utf8();
    }
    start..end
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The pair table of the bundled rule, built as a check builds it.
    fn bundled_index() -> PairIndex {
        let yaml: serde_yaml::Value =
            serde_yaml::from_str(include_str!("../../../../rules/typo/homophone-typo.yaml"))
                .unwrap();
        let params: Params = params(&yaml["params"]).unwrap();
        PairIndex::build(&params)
    }

    /// The bucket sort orders pairs exactly as one sort of the keys does, keys that
    /// share a first character and keys at both ends of the range included.
    #[test]
    fn bucket_sort_orders_like_a_plain_sort() {
        let candidate = |word: [char; 2]| Candidate { word, wrong_at: 0 };
        let last = (HAN_SPAN as u32 - 1) << 16;
        let keys = [5 << 16 | 9, 0, last | 3, 5 << 16 | 2, 7, last, 5 << 16 | 9];
        let pairs: Vec<(u32, Candidate)> =
            keys.iter().map(|&k| (k, candidate(['甲', '乙']))).collect();
        let sorted: Vec<u32> = sorted_by_key(pairs).iter().map(|(k, _)| *k).collect();
        let mut expected = keys.to_vec();
        expected.sort_unstable();
        assert_eq!(sorted, expected);
    }

    /// The bit filter in front of the lookup never turns a suspicious pair away, and it
    /// does turn most pairs of Han characters away before the search.
    #[test]
    fn the_pair_filter_keeps_every_pair_and_few_others() {
        let index = bundled_index();
        assert!(
            index.seconds.len() > 10_000,
            "{} pairs",
            index.seconds.len()
        );
        let mut checked = 0;
        for f in 0..HAN_SPAN {
            let (start, end) = (index.starts[f] as usize, index.starts[f + 1] as usize);
            for k in start..end {
                let (first, second) = (
                    HAN_START + f as u32,
                    HAN_START + u32::from(index.seconds[k]),
                );
                assert!(
                    index.lookup(first, second) == index.candidates[k],
                    "{first:x} {second:x}"
                );
                checked += 1;
            }
        }
        assert_eq!(checked, index.seconds.len());
        let set = index.pair_bits.iter().map(|w| w.count_ones()).sum::<u32>();
        assert!(
            set as usize * 8 < PAIR_BITS,
            "{set} of {PAIR_BITS} bits set"
        );
    }

    /// The byte walk yields every pair of adjacent characters that the lookup knows, in
    /// order, overlapping pairs included, over text that mixes those characters with
    /// ASCII, full-width punctuation, a character just below U+4E00 and a 4-byte one.
    #[test]
    fn the_byte_walk_finds_every_adjacent_pair_the_lookup_knows() {
        let index = bundled_index();
        let mut alphabet: Vec<char> = "a 1。，\n\u{4DFF}𠀀".chars().collect();
        let known = (0..HAN_SPAN).flat_map(|f| {
            let (start, end) = (index.starts[f] as usize, index.starts[f + 1] as usize);
            (start..end).map(move |k| (f, k))
        });
        for (f, k) in known.step_by(997).take(8) {
            let first = char::from_u32(HAN_START + f as u32).unwrap();
            let second = char::from_u32(HAN_START + u32::from(index.seconds[k])).unwrap();
            alphabet.extend([first, second]);
        }
        let naive = |text: &str| -> Vec<(Range<usize>, [char; 2])> {
            let chars: Vec<(usize, char)> = text.char_indices().collect();
            chars
                .windows(2)
                .filter_map(|w| {
                    let (a, b) = (u32::from(w[0].1), u32::from(w[1].1));
                    let c = index.lookup(a, b)?;
                    Some((w[0].0..w[1].0 + w[1].1.len_utf8(), c.word))
                })
                .collect()
        };
        proptest::proptest!(|(picks in proptest::collection::vec(0..alphabet.len(), 0..40))| {
            let text: String = picks.iter().map(|&i| alphabet[i]).collect();
            let walked: Vec<(Range<usize>, [char; 2])> =
                index.hits(&text).map(|(r, c)| (r, c.word)).collect();
            proptest::prop_assert_eq!(walked, naive(&text));
        });
    }
}
