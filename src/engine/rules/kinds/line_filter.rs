//! A line prefilter for pattern regexes, so that a pattern's cost does not depend on how
//! its regex happens to be written.
//!
//! The regex engine skips ahead by itself only when a match must begin with a few literals;
//! a pattern such as `[，、；：。！？](?P<m>[ \u00A0]+)…` or `^[ \t]*[0-9]…` makes it walk
//! the whole text through its lazy DFA (10–15 ms per 10 MB each). Yet every match of such a
//! pattern contains one of a few rare bytes (a space, a tab, a digit). [`LineFilter`] finds
//! those bytes with `memchr` and runs the regex only on the lines that hold one.
//!
//! It is used only where the result is provably the same as one pass over the whole text:
//! the regex cannot match a line break (so no match spans two lines), cannot match the
//! empty string (so the iteration from each line start finds the same matches), and has
//! no whole-text anchor (`\A`, `\z`). Each search keeps the text before the line as
//! context (`captures_at`), and ends at the line break, where `$` and `\b` answer as they
//! would before it.

use regex::{Captures, Regex};
use regex_syntax::hir::{Class, Hir, HirKind, Look};

/// Up to three bytes of which every match of a regex contains at least one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineFilter {
    bytes: Vec<u8>,
}

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
                if set.len() > 3 {
                    return None;
                }
            }
            set
        }
        HirKind::Class(Class::Bytes(class)) => {
            let mut set = Vec::new();
            for r in class.ranges() {
                set.extend(r.start()..=r.end());
                if set.len() > 3 {
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
    (set.len() <= 3).then_some(set)
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

impl LineFilter {
    /// The filter for `source` compiled as the pattern rules compile it (`^`/`$` at line
    /// ends, CRLF-aware), when one is both safe and worth it.
    pub fn for_pattern(source: &str) -> Option<LineFilter> {
        let hir = regex_syntax::ParserBuilder::new()
            .multi_line(true)
            .crlf(true)
            .build()
            .parse(source)
            .ok()?;
        let props = hir.properties();
        let looks = props.look_set();
        if props.minimum_len().is_none_or(|n| n == 0)
            || looks.contains(Look::Start)
            || looks.contains(Look::End)
            || may_cross_lines(&hir)
        {
            return None;
        }
        let bytes = required(&hir)?;
        (bytes.iter().all(|&b| commonness(b) < COMMON)).then_some(LineFilter { bytes })
    }

    /// The next position at or after `from` holding one of the filter's bytes.
    fn next_hit(&self, hay: &[u8], from: usize) -> Option<usize> {
        let rest = hay.get(from..)?;
        let at = match self.bytes[..] {
            [a] => memchr::memchr(a, rest),
            [a, b] => memchr::memchr2(a, b, rest),
            [a, b, c] => memchr::memchr3(a, b, c, rest),
            _ => Some(0),
        };
        at.map(|i| from + i)
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
/// lines `filter` lets through are searched.
pub fn captures<'t>(
    re: &'t Regex,
    filter: Option<&'t LineFilter>,
    text: &'t str,
) -> Box<dyn Iterator<Item = Captures<'t>> + 't> {
    let Some(filter) = filter else {
        return Box::new(re.captures_iter(text));
    };
    Box::new(filter.lines(text).flat_map(move |(start, end)| {
        let hay = &text[..end];
        let mut at = start;
        std::iter::from_fn(move || {
            let caps = re.captures_at(hay, at)?;
            at = caps.get(0)?.end();
            Some(caps)
        })
    }))
}

/// [`captures`] without the groups: the ranges of the matches.
pub fn matches<'t>(
    re: &'t Regex,
    filter: Option<&'t LineFilter>,
    text: &'t str,
) -> Box<dyn Iterator<Item = std::ops::Range<usize>> + 't> {
    let Some(filter) = filter else {
        return Box::new(re.find_iter(text).map(|m| m.range()));
    };
    Box::new(filter.lines(text).flat_map(move |(start, end)| {
        let hay = &text[..end];
        let mut at = start;
        std::iter::from_fn(move || {
            let m = re.find_at(hay, at)?;
            at = m.end();
            Some(m.range())
        })
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filter(p: &str) -> Option<Vec<u8>> {
        LineFilter::for_pattern(p).map(|f| f.bytes)
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
        let text = "一、 甲：乙\r\n\n 丙 丁\n\n戊：己 \n：\n x: y :z";
        for p in [
            "[ \\t]+",
            "(?P<m>[ ]+)[^ \\r\\n]",
            ":(?P<m>[^\\r\\n]?)",
            "[ :]$",
            "^ ",
            "\\b:",
        ] {
            let re = regex::RegexBuilder::new(p)
                .multi_line(true)
                .crlf(true)
                .build()
                .unwrap();
            let f = LineFilter::for_pattern(p);
            assert!(f.is_some(), "{p}");
            let want: Vec<_> = re.find_iter(text).map(|m| m.range()).collect();
            assert_eq!(
                matches(&re, f.as_ref(), text).collect::<Vec<_>>(),
                want,
                "{p}"
            );
            let groups =
                |c: Captures<'_>| c.iter().map(|g| g.map(|g| g.range())).collect::<Vec<_>>();
            let want: Vec<_> = re.captures_iter(text).map(groups).collect();
            let got: Vec<_> = captures(&re, f.as_ref(), text).map(groups).collect();
            assert_eq!(got, want, "{p}");
        }
    }
}
