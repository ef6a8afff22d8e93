//! jieba-rs's dictionary-only segmentation (`Jieba::cut(text, false)`), computed the same
//! way over the embedded dictionary (`dictionary.rs`), so that no process has to load
//! jieba-rs's own. The text is split into runs of Han characters, ASCII letters, digits and
//! `+#&._%-` (each segmented) and the characters between them (each a word, `\r\n` one);
//! a run's segmentation is the route of greatest probability through the dictionary words
//! it contains (each word's probability its frequency over the dictionary's total, a
//! character no word covers counting as frequency 1; equal routes go to the longer first
//! word), and what the route leaves as single ASCII letters and digits in a row is one word.
//! A unit test holds the result equal to jieba-rs's on every line of the fixture drafts.

use super::dictionary::{self, Dictionary};
use std::ops::Range;

/// jieba-rs's `RE_HAN_DEFAULT` class: what a segmented run is made of.
fn is_run_char(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}')
        || c.is_ascii_alphanumeric()
        || matches!(c, '+' | '#' | '&' | '.' | '_' | '%' | '-')
        || matches!(c,
            '\u{3400}'..='\u{4DBF}'
            | '\u{F900}'..='\u{FAFF}'
            | '\u{20000}'..='\u{2A6DF}'
            | '\u{2A700}'..='\u{2B73F}'
            | '\u{2B740}'..='\u{2B81F}'
            | '\u{2B820}'..='\u{2CEAF}'
            | '\u{2CEB0}'..='\u{2EBEF}'
            | '\u{2F800}'..='\u{2FA1F}')
}

/// The byte ranges of the words of `text`, in order; together they cover it.
pub fn words(text: &str) -> Vec<Range<usize>> {
    let dict = dictionary::get();
    let mut out = Vec::new();
    let mut run: Vec<(usize, char)> = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if is_run_char(c) {
            run.clear();
            run.push((at, c));
            while let Some(&(at, c)) = chars.peek() {
                if !is_run_char(c) {
                    break;
                }
                run.push((at, c));
                chars.next();
            }
            let end = chars.peek().map_or(text.len(), |&(at, _)| at);
            segment_run(dict, &run, end, &mut out);
        } else if c == '\r' && chars.peek().is_some_and(|&(_, n)| n == '\n') {
            chars.next();
            out.push(at..at + 2);
        } else {
            out.push(at..at + c.len_utf8());
        }
    }
    out
}

/// One step of the best route: where the word from here ends and the route's log
/// probability from here on.
#[derive(Clone, Copy)]
struct Step {
    end: usize,
    prob: f64,
}

/// Segment one run (`run`: byte offset and character of each; `end`: its end byte).
fn segment_run(dict: &Dictionary, run: &[(usize, char)], end: usize, out: &mut Vec<Range<usize>>) {
    let codes: Vec<u32> = run.iter().map(|&(_, c)| u32::from(c)).collect();
    let route = best_route(dict, &codes);
    let byte_at = |i: usize| run.get(i).map_or(end, |&(at, _)| at);
    let n = run.len();
    let mut x = 0;
    let mut letters: Option<usize> = None;
    while x < n {
        let y = route[x].end;
        if y - x == 1 && run[x].1.is_ascii_alphanumeric() {
            letters.get_or_insert(x);
        } else {
            if let Some(start) = letters.take() {
                out.push(byte_at(start)..byte_at(x));
            }
            out.push(byte_at(x)..byte_at(y));
        }
        x = y;
    }
    if let Some(start) = letters {
        out.push(byte_at(start)..end);
    }
}

/// The route of greatest log probability from every character to the end (jieba-rs's
/// `calc`, in the same floating-point operations in the same order).
fn best_route(dict: &Dictionary, codes: &[u32]) -> Vec<Step> {
    let n = codes.len();
    let log_total = (dict.total() as f64).ln();
    let mut route = vec![Step { end: n, prob: 0.0 }; n + 1];
    for at in (0..n).rev() {
        let mut best: Option<Step> = None;
        dict.for_each_word_at(codes, at, |end, id| {
            let prob = (dict.freq(id) as f64).ln() - log_total + route[end].prob;
            if best.is_none_or(|b| prob > b.prob || (prob == b.prob && end > b.end)) {
                best = Some(Step { end, prob });
            }
        });
        route[at] = best.unwrap_or(Step {
            end: at + 1,
            prob: (0.0 - log_total) + route[at + 1].prob,
        });
    }
    route
}

#[cfg(test)]
mod tests {
    use super::*;

    /// jieba-rs's own segmentation, as byte ranges.
    fn jiebas(text: &str) -> Vec<Range<usize>> {
        super::super::JIEBA
            .get_or_init(jieba_rs::Jieba::new)
            .cut(text, false)
            .into_iter()
            .map(|t| t.byte_start..t.byte_end)
            .collect()
    }

    #[test]
    fn segments_like_jieba_on_awkward_text() {
        for text in [
            "",
            "中华人民共和国",
            "各事业单位负责人要加强水质监测",
            "C++和C#是编程语言，IP地址在U盘里",
            "ABC123测试abc，4S店与4s店",
            "第1.2.3条，50%的人，a-b_c&d",
            "一\r\n二\n\r三\r",
            "\u{20000}\u{20001}中文\u{2A700}",
            "  空格\t制表 ",
            "江南Style和江南style",
            "ＡＢＣ全角１２３",
        ] {
            assert_eq!(words(text), jiebas(text), "{text:?}");
        }
    }

    /// Every line and every clause of the fixture drafts (and of the development corpus
    /// beside the repository, when it is there).
    #[test]
    fn segments_like_jieba_on_the_fixture_drafts() {
        let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        let mut lines = 0;
        for dir in [
            root.join("tests/fixtures/documents"),
            root.join("../shared/corpus/dev"),
        ] {
            let Ok(entries) = std::fs::read_dir(dir) else {
                continue;
            };
            for entry in entries {
                let text = std::fs::read_to_string(entry.unwrap().path()).unwrap_or_default();
                for line in text.lines().chain(text.split(['，', '。', '；', '、'])) {
                    assert_eq!(words(line), jiebas(line), "{line}");
                    lines += 1;
                }
            }
        }
        assert!(lines > 500, "{lines}");
    }

    proptest::proptest! {
        /// Random text of common Han characters (so that dictionary words form), ASCII
        /// letters, digits, the run's punctuation and line breaks.
        #[test]
        fn segments_like_jieba_on_random_text(
            text in "[中华人民共和国发展改革委员会关于加强工作的通知一二三不是了在有和B超T恤aZ09+#.%\\-，。 \r\n]{0,40}"
        ) {
            proptest::prop_assert_eq!(words(&text), jiebas(&text));
        }
    }
}
