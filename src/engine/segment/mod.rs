//! Word segmentation: the only user of jieba-rs. One dictionary, loaded once per process,
//! on first use (about 0.15 s of CPU and 35 MB: more than the rest of a check of a small
//! draft costs) or ahead of it by [`load_in_background`]. Whether two or three Han characters
//! make a word, the question most checks ask, is answered from word lists embedded in the
//! binary (`short_words.rs`) without loading it.
//!
//! Segmenting whole documents is far slower than the rest of the engine, so rules
//! segment only the clause around a candidate match.

mod short_words;

use jieba_rs::Jieba;
use std::cell::Cell;
use std::ops::Range;
use std::sync::LazyLock;

static JIEBA: LazyLock<Jieba> = LazyLock::new(Jieba::new);

thread_local! {
    /// Dictionary queries made on this thread (see [`queries_on_this_thread`]).
    static QUERIES: Cell<u64> = const { Cell::new(0) };
}

/// The dictionary, counting the query.
fn jieba() -> &'static Jieba {
    QUERIES.with(|q| q.set(q.get() + 1));
    &JIEBA
}

/// How many questions this thread has put to the loaded dictionary (those the embedded
/// word lists answer do not count): lets a test hold a check to not needing it.
pub fn queries_on_this_thread() -> u64 {
    QUERIES.with(Cell::get)
}

/// Start loading the dictionary on a thread of its own, so that the check that follows
/// finds it loaded, or waits less. A query made meanwhile waits for the load; a process
/// that ends first simply ends. For long-lived shells (the language server, `gwlint serve`),
/// whose drafts will need it sooner or later; a single `gwlint check` loads it only if a
/// draft needs it (most do not: see `short_words.rs`). Only the first call starts a thread.
pub fn load_in_background() {
    static STARTED: std::sync::Once = std::sync::Once::new();
    STARTED.call_once(|| drop(std::thread::spawn(|| LazyLock::force(&JIEBA))));
}

/// A word with its byte range in the segmented text and its part-of-speech tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word<'a> {
    pub text: &'a str,
    pub range: Range<usize>,
    pub tag: &'a str,
}

/// Dictionary-only segmentation (no HMM guessing of new words), with byte ranges.
pub fn words(text: &str) -> Vec<Range<usize>> {
    jieba()
        .cut(text, false)
        .into_iter()
        .map(|t| t.byte_start..t.byte_end)
        .collect()
}

/// Segmentation with part-of-speech tags (`m` numeral, `q` measure word, …).
pub fn tagged(text: &str) -> Vec<Word<'_>> {
    let mut out = Vec::new();
    let mut byte = 0;
    for tag in jieba().tag(text, false) {
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
    short_words::contains(word).unwrap_or_else(|| jieba().has_word(word))
}

/// How often the dictionary has seen `word` (0 when it is not a dictionary word). jieba-rs
/// does not expose the count itself; `suggest_freq` of a word the dictionary reads whole
/// is that count plus one.
pub fn word_frequency(word: &str) -> usize {
    if short_words::contains(word) == Some(false) {
        return 0;
    }
    let jieba = jieba();
    if jieba.has_word(word) {
        jieba.suggest_freq(word)
    } else {
        0
    }
}
