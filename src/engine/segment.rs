//! Word segmentation: the only user of jieba-rs. One dictionary, loaded once per process.
//!
//! Segmenting whole documents is far slower than the rest of the engine, so rules
//! segment only the clause around a candidate match.

use jieba_rs::Jieba;
use std::ops::Range;
use std::sync::LazyLock;

static JIEBA: LazyLock<Jieba> = LazyLock::new(Jieba::new);

/// A word with its byte range in the segmented text and its part-of-speech tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word<'a> {
    pub text: &'a str,
    pub range: Range<usize>,
    pub tag: &'a str,
}

/// Dictionary-only segmentation (no HMM guessing of new words), with byte ranges.
pub fn words(text: &str) -> Vec<Range<usize>> {
    JIEBA
        .cut(text, false)
        .into_iter()
        .map(|t| t.byte_start..t.byte_end)
        .collect()
}

/// Segmentation with part-of-speech tags (`m` numeral, `q` measure word, …).
pub fn tagged(text: &str) -> Vec<Word<'_>> {
    let mut out = Vec::new();
    let mut byte = 0;
    for tag in JIEBA.tag(text, false) {
        // Tags carry character positions; words are contiguous, so walk bytes.
        let start = byte;
        byte += tag.word.len();
        out.push(Word {
            text: &text[start..byte.min(text.len())],
            range: start..byte.min(text.len()),
            tag: tag.tag,
        });
    }
    out
}

/// Whether `word` is in the dictionary.
pub fn is_dictionary_word(word: &str) -> bool {
    JIEBA.has_word(word)
}

/// How often the dictionary has seen `word` (0 when it is not a dictionary word). jieba-rs
/// does not expose the count itself; `suggest_freq` of a word the dictionary reads whole
/// is that count plus one.
pub fn word_frequency(word: &str) -> usize {
    if JIEBA.has_word(word) {
        JIEBA.suggest_freq(word)
    } else {
        0
    }
}
