//! A line prefilter for pattern regexes, so that a pattern's cost does not depend on how
//! its regex happens to be written.
//!
//! The regex engine skips ahead by itself only when a match must begin with a few literals;
//! a pattern such as `[，、；：。！？](?P<m>[ \u00A0]+)…` or `^[ \t]*[0-9]…` makes it walk
//! the whole text through its lazy DFA (10–15 ms per 10 MB each). Yet every match of such a
//! pattern contains one of a few rare bytes (a space, a tab, a digit). [`LineFilter`] finds
//! those bytes with `memchr` (or a byte table, for four to eight of them) and runs the regex
//! only on the lines that hold one.
//!
//! It is used only where the result is provably the same as one pass over the whole text:
//! the regex cannot match a line break (so no match spans two lines), cannot match the
//! empty string (so the iteration from each line start finds the same matches), and has
//! no whole-text anchor (`\A`, `\z`). Each search keeps the text before the line as
//! context (`captures_at`), and ends at the line break, where `$` and `\b` answer as they
//! would before it.

use super::lazy_regex::LazyRegex;
use regex::Captures;
use regex_syntax::hir::{Class, Hir, HirKind, Look};

/// Something every match of a regex contains, found without the regex.
#[derive(Debug, Clone)]
pub struct LineFilter {
    finder: Finder,
}

#[derive(Debug, Clone)]
enum Finder {
    /// Up to three bytes of which every match contains at least one (found with memchr).
    Bytes(Vec<u8>),
    /// Four to [`MAX_BYTES`] such bytes (`[,;:!]`): found with a table lookup per byte,
    /// still several times faster than the regex's lazy DFA.
    ByteTable(Box<[bool; 256]>),
    /// Words (two characters or more) of which every match contains at least one, for
    /// patterns whose every byte is common in Chinese text (`中全会`, `以下是`, `客服`):
    /// found with Aho-Corasick.
    Literals(aho_corasick::AhoCorasick),
}

/// Most bytes a [`Finder::ByteTable`] holds.
const MAX_BYTES: usize = 8;

/// Bytes as common as this in Chinese text (UTF-8 continuation bytes, the lead bytes of
/// Han characters and full-width punctuation) make a prefilter useless.
const COMMON: u32 = 50;

fn commonness(b: u8) -> u32 {
    match b {
        b'0'..=b'9' => 4,
        0x00..=0x7F => 1,
        0x80..=0xBF => 100,
        0xE3..=0xE9 | 0xEF => 100,
        0xE2 => 30,
        _ => 5,
    }
}

fn cost(set: &[u8]) -> u32 {
    set.iter().map(|&b| commonness(b)).sum()
}

/// The lead byte of `c` in UTF-8.
fn lead(c: char) -> u8 {
    let mut buf = [0; 4];
    c.encode_utf8(&mut buf).as_bytes()[0]
}

/// A set of bytes every match of `hir` contains one of, as small and rare as can be found
/// (`None`: no such set, e.g. for something that may match empty).
fn required(hir: &Hir) -> Option<Vec<u8>> {
    let set = match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => return None,
        HirKind::Literal(lit) => {
            let rarest = lit.0.iter().copied().min_by_key(|&b| commonness(b))?;
            vec![rarest]
        }
        HirKind::Class(Class::Unicode(class)) => {
            let mut set = Vec::new();
            for r in class.ranges() {
                set.extend(lead(r.start())..=lead(r.end()));
                if set.len() > MAX_BYTES {
                    return None;
                }
            }
            set
        }
        HirKind::Class(Class::Bytes(class)) => {
            let mut set = Vec::new();
            for r in class.ranges() {
                set.extend(r.start()..=r.end());
                if set.len() > MAX_BYTES {
                    return None;
                }
            }
            set
        }
        HirKind::Repetition(rep) if rep.min >= 1 => return required(&rep.sub),
        HirKind::Repetition(_) => return None,
        HirKind::Capture(cap) => return required(&cap.sub),
        HirKind::Concat(parts) => return parts.iter().filter_map(required).min_by_key(|s| cost(s)),
        HirKind::Alternation(branches) => {
            let mut set = Vec::new();
            for b in branches {
                set.extend(required(b)?);
            }
            set
        }
    };
    let mut set = set;
    set.sort_unstable();
    set.dedup();
    (set.len() <= MAX_BYTES).then_some(set)
}

/// Most literal strings a requirement may list ([`Finder::Literals`]).
const MAX_LITERALS: usize = 16;

/// How selective a set of literals is, the lower the better: a word (two characters or
/// more) little, the longer the less; one character much (see [`LineFilter::for_pattern`]).
fn literals_cost(set: &[Vec<u8>]) -> u32 {
    set.iter()
        .map(
            |s| match std::str::from_utf8(s).map(|w| w.chars().nth(1).is_some()) {
                Ok(true) => 12 / u32::try_from(s.len()).unwrap_or(u32::MAX).max(2),
                _ => 20,
            },
        )
        .sum()
}

/// A set of literal strings every match of `hir` contains one of (`None`: no small set).
fn required_literals(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    let mut set = match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => return None,
        HirKind::Literal(lit) => vec![lit.0.to_vec()],
        HirKind::Class(Class::Unicode(class)) => {
            let mut set = Vec::new();
            for c in class.ranges().iter().flat_map(|r| r.start()..=r.end()) {
                if set.len() == MAX_LITERALS {
                    return None;
                }
                set.push(c.to_string().into_bytes());
            }
            set
        }
        HirKind::Class(Class::Bytes(class)) => {
            let mut set = Vec::new();
            for b in class.ranges().iter().flat_map(|r| r.start()..=r.end()) {
                if set.len() == MAX_LITERALS {
                    return None;
                }
                set.push(vec![b]);
            }
            set
        }
        HirKind::Repetition(rep) if rep.min >= 1 => return required_literals(&rep.sub),
        HirKind::Repetition(_) => return None,
        HirKind::Capture(cap) => return required_literals(&cap.sub),
        HirKind::Concat(parts) => {
            return parts
                .iter()
                .filter_map(required_literals)
                .min_by_key(|s| literals_cost(s))
        }
        HirKind::Alternation(branches) => {
            let mut set = Vec::new();
            for b in branches {
                set.extend(required_literals(b)?);
            }
            set
        }
    };
    set.sort_unstable();
    set.dedup();
    (set.len() <= MAX_LITERALS).then_some(set)
}

/// Whether every match of `hir` begins with one of a few words (two characters or more),
/// which the regex engine then looks for by itself.
fn starts_with_words(hir: &Hir) -> bool {
    let prefixes = regex_syntax::hir::literal::Extractor::new().extract(hir);
    prefixes.literals().is_some_and(|l| {
        !l.is_empty()
            && l.iter().all(|w| {
                std::str::from_utf8(w.as_bytes()).is_ok_and(|w| w.chars().nth(1).is_some())
            })
    })
}

/// Whether `hir` can match `\n` or `\r`.
fn may_cross_lines(hir: &Hir) -> bool {
    let breaks = |lo: u32, hi: u32| {
        [b'\n', b'\r']
            .iter()
            .any(|&b| (lo..=hi).contains(&u32::from(b)))
    };
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => false,
        HirKind::Literal(lit) => lit.0.iter().any(|&b| b == b'\n' || b == b'\r'),
        HirKind::Class(Class::Unicode(class)) => class
            .ranges()
            .iter()
            .any(|r| breaks(u32::from(r.start()), u32::from(r.end()))),
        HirKind::Class(Class::Bytes(class)) => class
            .ranges()
            .iter()
            .any(|r| breaks(u32::from(r.start()), u32::from(r.end()))),
        HirKind::Repetition(rep) => may_cross_lines(&rep.sub),
        HirKind::Capture(cap) => may_cross_lines(&cap.sub),
        HirKind::Concat(parts) | HirKind::Alternation(parts) => parts.iter().any(may_cross_lines),
    }
}

/// The parsed `source` when it is line-local: every match of it (compiled as the pattern
/// rules compile it: `^`/`$` at line ends, CRLF-aware) lies inside one line and is found the
/// same by a search of that line alone: it cannot match a line break or the empty string,
/// and has no whole-text anchor (`\A`, `\z`).
fn line_local_hir(source: &str) -> Option<Hir> {
    let hir = regex_syntax::ParserBuilder::new()
        .multi_line(true)
        .crlf(true)
        .build()
        .parse(source)
        .ok()?;
    let props = hir.properties();
    let looks = props.look_set();
    let line_local = props.minimum_len().is_some_and(|n| n > 0)
        && !looks.contains(Look::Start)
        && !looks.contains(Look::End)
        && !may_cross_lines(&hir);
    line_local.then_some(hir)
}

/// Whether `source` is line-local ([`line_local_hir`]) and its filter
/// ([`LineFilter::for_pattern`]), from one parse of it.
pub fn analyse(source: &str) -> (bool, Option<LineFilter>) {
    match line_local_hir(source) {
        Some(hir) => (true, LineFilter::from_hir(&hir)),
        None => (false, None),
    }
}

impl LineFilter {
    /// The filter for `source` compiled as the pattern rules compile it (`^`/`$` at line
    /// ends, CRLF-aware), when one is both safe and worth it.
    pub fn for_pattern(source: &str) -> Option<LineFilter> {
        LineFilter::from_hir(&line_local_hir(source)?)
    }

    /// The filter for a line-local pattern, parsed.
    fn from_hir(hir: &Hir) -> Option<LineFilter> {
        if let Some(bytes) = required(hir).filter(|b| b.iter().all(|&b| commonness(b) < COMMON)) {
            let finder = if bytes.len() <= 3 {
                Finder::Bytes(bytes)
            } else {
                let mut table = Box::new([false; 256]);
                for &b in &bytes {
                    table[usize::from(b)] = true;
                }
                Finder::ByteTable(table)
            };
            return Some(LineFilter { finder });
        }
        // Words only: one character, even a whole Han one (的, 、, 为, a digit), is in most
        // lines of a draft, and then the search costs more than it saves. And only where the
        // regex cannot skip ahead by itself: where every match begins with a word (以下是,
        // 客服热线), its own prefilter finds that word faster than the lines around it.
        if starts_with_words(hir) {
            return None;
        }
        let literals = required_literals(hir)?;
        let word = |s: &Vec<u8>| std::str::from_utf8(s).is_ok_and(|s| s.chars().nth(1).is_some());
        if !literals.iter().all(word) {
            return None;
        }
        let finder = aho_corasick::AhoCorasick::new(&literals).ok()?;
        Some(LineFilter {
            finder: Finder::Literals(finder),
        })
    }

    /// The next position at or after `from` where what the filter looks for starts.
    fn next_hit(&self, hay: &[u8], from: usize) -> Option<usize> {
        let rest = hay.get(from..)?;
        let at = match &self.finder {
            Finder::Bytes(bytes) => match bytes[..] {
                [a] => memchr::memchr(a, rest),
                [a, b] => memchr::memchr2(a, b, rest),
                [a, b, c] => memchr::memchr3(a, b, c, rest),
                _ => Some(0),
            },
            Finder::ByteTable(table) => rest.iter().position(|&b| table[usize::from(b)]),
            Finder::Literals(finder) => finder.find(rest).map(|m| m.start()),
        };
        at.map(|i| from + i)
    }

    /// Whether the line `start..end` of `hay` holds what the filter looks for.
    pub fn holds_in(&self, hay: &[u8], start: usize, end: usize) -> bool {
        hay.get(..end)
            .and_then(|line| self.next_hit(line, start))
            .is_some()
    }

    /// The lines (`start..end`, without the `\n`) that hold one of the filter's bytes.
    fn lines<'t>(&'t self, text: &'t str) -> impl Iterator<Item = (usize, usize)> + 't {
        let hay = text.as_bytes();
        let mut from = 0;
        std::iter::from_fn(move || {
            let hit = self.next_hit(hay, from)?;
            let start = memchr::memrchr(b'\n', &hay[..hit]).map_or(0, |i| i + 1);
            let end = memchr::memchr(b'\n', &hay[hit..]).map_or(hay.len(), |i| hit + i);
            from = end + 1;
            Some((start, end))
        })
    }
}

/// The matches of `re` in `text` with their groups, in order: the same as
/// `re.captures_iter(text)` (empty matches aside, which `filter` rules out), but only the
/// lines `filter` lets through are searched, and `re` is compiled only when there is one.
pub fn captures<'t>(
    re: &'t LazyRegex,
    filter: Option<&'t LineFilter>,
    text: &'t str,
) -> Box<dyn Iterator<Item = Captures<'t>> + 't> {
    let Some(filter) = filter else {
        return match re.get() {
            Some(re) => Box::new(re.captures_iter(text)),
            None => Box::new(std::iter::empty()),
        };
    };
    Box::new(
        filter
            .lines(text)
            .flat_map(move |(start, end)| captures_in_line(re, text, start, end)),
    )
}

/// [`captures`] where the lines that may hold a match (`start..end`, without the `\n`, in
/// order) are already known (see `line_set.rs`).
pub fn captures_in_lines<'t>(
    re: &'t LazyRegex,
    lines: &'t [std::ops::Range<usize>],
    text: &'t str,
) -> Box<dyn Iterator<Item = Captures<'t>> + 't> {
    Box::new(
        lines
            .iter()
            .flat_map(move |line| captures_in_line(re, text, line.start, line.end)),
    )
}

/// The matches of `re` in the line `start..end` of `text`, the text before it as context.
fn captures_in_line<'t>(
    re: &'t LazyRegex,
    text: &'t str,
    start: usize,
    end: usize,
) -> impl Iterator<Item = Captures<'t>> + 't {
    let hay = &text[..end];
    let mut at = start;
    std::iter::from_fn(move || {
        let caps = re.get()?.captures_at(hay, at)?;
        at = caps.get(0)?.end();
        Some(caps)
    })
}

/// [`captures`] without the groups: the ranges of the matches.
pub fn matches<'t>(
    re: &'t LazyRegex,
    filter: Option<&'t LineFilter>,
    text: &'t str,
) -> Box<dyn Iterator<Item = std::ops::Range<usize>> + 't> {
    let Some(filter) = filter else {
        return match re.get() {
            Some(re) => Box::new(re.find_iter(text).map(|m| m.range())),
            None => Box::new(std::iter::empty()),
        };
    };
    Box::new(
        filter
            .lines(text)
            .flat_map(move |(start, end)| matches_in_line(re, text, start, end)),
    )
}

/// The matches of `re` in the line `start..end` of `text` (without its `\n`), the text
/// before it as context: for a regex a filter was made for, the whole text's matches that
/// lie in that line.
pub fn matches_in_line<'t>(
    re: &'t LazyRegex,
    text: &'t str,
    start: usize,
    end: usize,
) -> impl Iterator<Item = std::ops::Range<usize>> + 't {
    let hay = &text[..end];
    let mut at = start;
    std::iter::from_fn(move || {
        let m = re.get()?.find_at(hay, at)?;
        at = m.end();
        Some(m.range())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filter(p: &str) -> Option<Vec<u8>> {
        match LineFilter::for_pattern(p)?.finder {
            Finder::Bytes(bytes) => Some(bytes),
            Finder::ByteTable(table) => {
                Some((0..=255).filter(|&b| table[usize::from(b)]).collect())
            }
            Finder::Literals(_) => None,
        }
    }

    fn literals(p: &str) -> Option<Vec<String>> {
        let hir = regex_syntax::ParserBuilder::new()
            .multi_line(true)
            .build()
            .parse(p)
            .ok()?;
        if let Finder::Bytes(_) | Finder::ByteTable(..) = LineFilter::for_pattern(p)?.finder {
            return None;
        }
        let set = required_literals(&hir)?;
        Some(
            set.into_iter()
                .map(|s| String::from_utf8_lossy(&s).into_owned())
                .collect(),
        )
    }

    #[test]
    fn finds_required_words_where_no_byte_is_rare() {
        assert_eq!(
            literals(
                "[十XＸ×]{0,2}[XＸ×]{1,2}届[XＸ×一二]{1,2}中全会|[十一二]{1,3}届[XＸ×]{1,2}中全会"
            ),
            Some(vec!["中全会".to_owned()])
        );
        assert_eq!(
            literals("\\d+(?:网站客服|在线客服|客服热线)[:：]"),
            Some(vec![
                "在线客服".to_owned(),
                "客服热线".to_owned(),
                "网站客服".to_owned()
            ])
        );
        assert_eq!(
            literals("^以下是(?:为您|为你)"),
            None,
            "begins with a word: the regex skips ahead by itself"
        );
        assert_eq!(
            literals("(?P<m>的)(?:很|非常)"),
            None,
            "one character: in most lines"
        );
        assert_eq!(
            literals("[0-9]+[．。]"),
            None,
            "one character: in most lines"
        );
        assert_eq!(literals("[\\p{Han}]{2}"), None, "too many characters");
    }

    #[test]
    fn finds_rare_required_bytes() {
        assert_eq!(filter("[ \\t]+"), Some(vec![b'\t', b' ']));
        assert_eq!(
            filter("[，、；：。！？](?P<m>[ \\u00A0]+)[^ \\u00A0\\r\\n]"),
            Some(vec![b' ', 0xC2])
        );
        assert_eq!(
            filter("(?P<m>的)(?:很|非常)"),
            None,
            "Han only: no rare byte"
        );
        assert_eq!(filter("^[ \\t]*[0-9]"), None, "ten digits: too many bytes");
        assert_eq!(filter("\\d:\\d"), Some(vec![b':']));
        assert_eq!(
            filter("[\\p{Han}）》”](?P<m>[,;:!])"),
            Some(vec![b'!', b',', b':', b';']),
            "four bytes: a table"
        );
    }

    #[test]
    fn refuses_what_could_differ_from_one_pass() {
        assert_eq!(filter("a\\nb"), None, "crosses a line");
        assert_eq!(filter("[^x]:"), None, "a negated class includes \\n");
        assert_eq!(filter(" *"), None, "matches empty");
        assert_eq!(filter("\\A :"), None, "whole-text anchor");
        assert_eq!(filter(": \\z"), None, "whole-text anchor");
    }

    #[test]
    fn same_matches_as_one_pass() {
        let text = "一、 甲：乙\r\n\n 丙 丁\n\n戊：己 \n：\n x: y :z\n十九届X中全会 2×3\r\n在线客服：\n1网站客服";
        for p in [
            "[ \\t]+",
            "(?P<m>[ ]+)[^ \\r\\n]",
            ":(?P<m>[^\\r\\n]?)",
            "[ :]$",
            "[,;:!？] ",
            "^ ",
            "\\b:",
            "[十X]{0,2}届[X一二]{1,2}中全会",
            "^\\d+(?:网站|在线)客服[:：]?",
        ] {
            let re = regex::RegexBuilder::new(p)
                .multi_line(true)
                .crlf(true)
                .build()
                .unwrap();
            let lazy = LazyRegex::new("patterns", p.to_owned(), true, true).unwrap();
            let f = LineFilter::for_pattern(p);
            assert!(f.is_some(), "{p}");
            let want: Vec<_> = re.find_iter(text).map(|m| m.range()).collect();
            assert_eq!(
                matches(&lazy, f.as_ref(), text).collect::<Vec<_>>(),
                want,
                "{p}"
            );
            let groups =
                |c: Captures<'_>| c.iter().map(|g| g.map(|g| g.range())).collect::<Vec<_>>();
            let want: Vec<_> = re.captures_iter(text).map(groups).collect();
            let got: Vec<_> = captures(&lazy, f.as_ref(), text).map(groups).collect();
            assert_eq!(got, want, "{p}");
        }
    }
}
