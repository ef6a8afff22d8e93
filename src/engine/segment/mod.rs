//! Word segmentation with jieba-rs's dictionary. The dictionary is embedded in a form
//! searched in place (`dictionary.rs`) and jieba-rs's dictionary-only segmentation is
//! computed over it (`cut.rs`), so that no process loads jieba-rs's own copy (about 0.15 s of
//! CPU and 35 MB, more than the rest of a check of a small draft costs). jieba-rs itself
//! guesses the tag of a word the dictionary lacks, with its dictionary left empty, and is
//! the reference the unit tests hold both to.
//!
//! Segmenting whole documents is slower than the rest of the engine, so rules segment only
//! the clause around a candidate match.

mod cut;
mod dictionary;

use jieba_rs::Jieba;
use std::cell::Cell;
use std::ops::Range;
use std::sync::LazyLock;

/// jieba-rs with no dictionary: what it tags a word the dictionary lacks with (a guess from
/// its part-of-speech model) does not depend on the dictionary.
static UNTRAINED: LazyLock<Jieba> = LazyLock::new(Jieba::empty);

/// jieba-rs with its own dictionary, loaded by the tests that compare with it.
#[cfg(test)]
static JIEBA: std::sync::OnceLock<Jieba> = std::sync::OnceLock::new();

thread_local! {
    /// Segmentations made on this thread (see [`segmentations_on_this_thread`]).
    static SEGMENTATIONS: Cell<u64> = const { Cell::new(0) };
}

/// How many texts this thread has segmented ([`words`], [`tagged`]; dictionary lookups do
/// not count): lets a test hold a check to settling its questions with lookups alone.
pub fn segmentations_on_this_thread() -> u64 {
    SEGMENTATIONS.with(Cell::get)
}

fn count_segmentation() {
    SEGMENTATIONS.with(|n| n.set(n.get() + 1));
}

/// A word with its byte range in the segmented text and its part-of-speech tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word<'a> {
    pub text: &'a str,
    pub range: Range<usize>,
    pub tag: &'a str,
}

/// Dictionary-only segmentation (no HMM guessing of new words), with byte ranges: what
/// jieba-rs's `cut(text, false)` gives.
pub fn words(text: &str) -> Vec<Range<usize>> {
    count_segmentation();
    cut::words(text)
}

/// Segmentation with part-of-speech tags (`m` numeral, `q` measure word, …): what
/// jieba-rs's `tag(text, false)` gives.
pub fn tagged(text: &str) -> Vec<Word<'_>> {
    count_segmentation();
    let dict = dictionary::get();
    cut::words(text)
        .into_iter()
        .map(|range| {
            let word = &text[range.clone()];
            let tag = match dict.find(word) {
                Some(entry) => entry.tag,
                None => UNTRAINED.tag(word, false).first().map_or("x", |t| t.tag),
            };
            Word {
                text: word,
                range,
                tag,
            }
        })
        .collect()
}

/// Whether `word` is in the dictionary.
pub fn is_dictionary_word(word: &str) -> bool {
    dictionary::get().find(word).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jieba() -> &'static Jieba {
        JIEBA.get_or_init(Jieba::new)
    }

    /// Tags, and whether each window of one to four characters is a word, as jieba-rs has
    /// them, on every line of the fixture drafts.
    #[test]
    fn tags_and_words_agree_with_jieba_on_the_fixture_drafts() {
        let dir =
            std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/documents");
        let mut windows = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap_or_default();
            for line in text.lines() {
                let theirs: Vec<(&str, &str)> = jieba()
                    .tag(line, false)
                    .into_iter()
                    .map(|t| (t.word, t.tag))
                    .collect();
                let ours: Vec<(&str, &str)> =
                    tagged(line).into_iter().map(|w| (w.text, w.tag)).collect();
                assert_eq!(ours, theirs, "{line}");
                let chars: Vec<(usize, char)> = line.char_indices().collect();
                for n in 1..=4 {
                    for w in chars.windows(n) {
                        let end = w[n - 1].0 + w[n - 1].1.len_utf8();
                        let word = &line[w[0].0..end];
                        assert_eq!(is_dictionary_word(word), jieba().has_word(word), "{word}");
                        windows += 1;
                    }
                }
            }
        }
        assert!(windows > 10_000, "{windows}");
    }

    #[test]
    fn a_word_the_dictionary_lacks_is_tagged_as_jieba_guesses() {
        for text in [
            "12个",
            "abc",
            "ab12",
            "％",
            "\r\n",
            "\u{20000}",
            "㐀",
            "5G网络",
        ] {
            let theirs: Vec<&str> = jieba().tag(text, false).iter().map(|t| t.tag).collect();
            let ours: Vec<&str> = tagged(text).iter().map(|w| w.tag).collect();
            assert_eq!(ours, theirs, "{text:?}");
        }
    }
}
