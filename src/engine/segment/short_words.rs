//! The dictionary's words of two and three characters of U+4E00..U+9FFF, answered without
//! loading the dictionary: most questions a check asks it are about such words (is this pair
//! of characters, or a character with its neighbours, a word?), and the dictionary takes
//! longer to load than the rest of a small check takes.
//!
//! `words-2.txt` and `words-3.txt` list them (245,000 words, from the dictionary that
//! jieba-rs embeds, MIT), one per line in code-point order, every line the same length: the
//! embedded text is searched in place, with nothing to build. A unit test holds the lists
//! equal to jieba-rs's dictionary and regenerates them on request.

use std::cmp::Ordering;

const TWO: &str = include_str!("words-2.txt");
const THREE: &str = include_str!("words-3.txt");

fn is_basic_han(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c)
}

/// Whether `word` is a dictionary word, when it is two or three characters of
/// U+4E00..U+9FFF (each three bytes in UTF-8); `None` for any other word.
pub fn contains(word: &str) -> Option<bool> {
    let list = match word.len() {
        6 => TWO,
        9 => THREE,
        _ => return None,
    };
    if !word.chars().all(is_basic_han) {
        return None;
    }
    Some(search(list.as_bytes(), word.as_bytes()))
}

/// Binary search of the sorted lines of `list`, each `word.len()` bytes and a line break.
fn search(list: &[u8], word: &[u8]) -> bool {
    let size = word.len() + 1;
    let (mut low, mut high) = (0, list.len() / size);
    while low < high {
        let mid = low + (high - low) / 2;
        let Some(line) = list.get(mid * size..mid * size + word.len()) else {
            return false;
        };
        match line.cmp(word) {
            Ordering::Less => low = mid + 1,
            Ordering::Greater => high = mid,
            Ordering::Equal => return true,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    /// The dictionary jieba-rs embeds, found through `cargo metadata` (for this host only:
    /// other platforms' dependencies are not downloaded).
    fn jieba_dictionary() -> String {
        let rustc = std::process::Command::new("rustc")
            .arg("-vV")
            .output()
            .unwrap();
        let rustc = String::from_utf8(rustc.stdout).unwrap();
        let host = rustc
            .lines()
            .find_map(|l| l.strip_prefix("host: "))
            .unwrap();
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
        let out = std::process::Command::new(cargo)
            .args(["metadata", "--format-version", "1", "--offline"])
            .args(["--filter-platform", host])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let meta: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let manifest = meta["packages"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == "jieba-rs")
            .and_then(|p| p["manifest_path"].as_str())
            .unwrap();
        let dict = PathBuf::from(manifest).with_file_name("src/data/dict.txt");
        std::fs::read_to_string(&dict).unwrap()
    }

    /// The lists as they should be: the dictionary's words of `n` basic Han characters.
    fn expected(dictionary: &str, n: usize) -> String {
        let mut words: Vec<&str> = dictionary
            .lines()
            .filter_map(|l| l.split_whitespace().next())
            .filter(|w| w.chars().count() == n && w.chars().all(is_basic_han))
            .collect();
        words.sort_unstable();
        words.dedup();
        words.iter().map(|w| format!("{w}\n")).collect()
    }

    /// `GWLINT_UPDATE_WORD_LISTS=1 cargo test --lib short_words` rewrites the lists (after
    /// an update of jieba-rs).
    #[test]
    fn the_lists_are_the_dictionarys_short_words() {
        let dictionary = jieba_dictionary();
        for (n, list) in [(2, TWO), (3, THREE)] {
            let want = expected(&dictionary, n);
            if std::env::var_os("GWLINT_UPDATE_WORD_LISTS").is_some() {
                let path = format!(
                    "{}/src/engine/segment/words-{n}.txt",
                    env!("CARGO_MANIFEST_DIR")
                );
                std::fs::write(path, &want).unwrap();
            } else {
                assert!(
                    list == want,
                    "words-{n}.txt differs from jieba-rs's dictionary"
                );
            }
        }
    }

    #[test]
    fn every_line_is_one_word_of_the_same_length_in_order() {
        for (n, list) in [(2, TWO), (3, THREE)] {
            let lines: Vec<&str> = list.lines().collect();
            assert_eq!(list.len(), lines.len() * (3 * n + 1));
            assert!(lines
                .iter()
                .all(|l| l.chars().count() == n && l.chars().all(is_basic_han)));
            assert!(lines.windows(2).all(|w| w[0] < w[1]));
        }
    }

    #[test]
    fn answers_for_short_han_words_only() {
        assert_eq!(contains("监测"), Some(true));
        assert_eq!(contains("负责人"), Some(true));
        assert_eq!(contains("测监"), Some(false));
        assert_eq!(contains("一一"), Some(true)); // the first line
        assert_eq!(contains("齐齐哈尔"), None); // four characters
        assert_eq!(contains("3D"), None);
        assert_eq!(contains("ＡＢ"), None); // two three-byte characters, not Han
        assert_eq!(contains(""), None);
    }

    /// The lists and jieba agree on every window of two and three Han characters of the
    /// fixture drafts.
    #[test]
    fn the_lists_and_jieba_agree_on_the_fixture_drafts() {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/documents");
        let mut windows = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap_or_default();
            let chars: Vec<char> = text.chars().collect();
            for n in [2, 3] {
                for w in chars
                    .windows(n)
                    .filter(|w| w.iter().all(|c| is_basic_han(*c)))
                {
                    let word: String = w.iter().collect();
                    assert_eq!(
                        contains(&word),
                        Some(super::super::JIEBA.has_word(&word)),
                        "{word}"
                    );
                    windows += 1;
                }
            }
        }
        assert!(windows > 1000);
    }
}
