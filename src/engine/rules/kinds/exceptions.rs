//! A pattern rule's exceptions, asked of each candidate in text order: does an exception
//! match lying inside the candidate's scope unit overlap it?
//!
//! Each exception's matches are found only as far as the candidates need them, and held
//! only while a later candidate can still overlap them, so the work is in proportion to
//! the text and the matches (all of a text's exception matches used to be collected up
//! front, and every candidate on a long line scanned all of them before it).
//!
//! An exception with a line prefilter (`line_filter.rs`: it cannot match a line break, so
//! each of its matches lies in one line, and a search of that line alone finds it) is
//! searched only in the lines the candidates touch: the only lines where a match could
//! overlap one. Most candidates of a rule sit on a few lines of the text, so the others
//! are never searched. Any other exception is searched through the whole text.

use super::lazy_regex::LazyRegex;
use super::line_filter::{self, LineFilter};
use std::collections::VecDeque;
use std::ops::Range;

/// The exceptions of one rule over one text, asked candidate by candidate.
pub struct ExceptionWindow<'t> {
    text: &'t str,
    exceptions: Vec<Exception<'t>>,
}

struct Exception<'t> {
    source: Source<'t>,
    /// Matches found and not yet passed by the candidates, in text order.
    near: VecDeque<Range<usize>>,
}

type MatchStream<'t> = std::iter::Peekable<Box<dyn Iterator<Item = Range<usize>> + 't>>;

enum Source<'t> {
    /// The whole text's matches, pulled as far as the candidates reach.
    Stream(MatchStream<'t>),
    /// An exception searched line by line, only in the lines a candidate touches; every
    /// line before `searched_to` has been searched or passed.
    ByLine {
        re: &'t LazyRegex,
        filter: &'t LineFilter,
        searched_to: usize,
    },
}

impl<'t> ExceptionWindow<'t> {
    pub fn new(
        exceptions: &'t [LazyRegex],
        filters: &'t [Option<LineFilter>],
        text: &'t str,
    ) -> ExceptionWindow<'t> {
        let exceptions = exceptions
            .iter()
            .zip(filters)
            .map(|(re, filter)| {
                let source = match filter {
                    Some(filter) => Source::ByLine {
                        re,
                        filter,
                        searched_to: 0,
                    },
                    None => Source::Stream(line_filter::matches(re, None, text).peekable()),
                };
                Exception {
                    source,
                    near: VecDeque::new(),
                }
            })
            .collect();
        ExceptionWindow { text, exceptions }
    }

    /// Whether an exception match lying inside `unit` overlaps `span` (asked for non-empty
    /// spans in text order: their starts never decrease).
    pub fn excepts(&mut self, unit: &Range<usize>, span: &Range<usize>) -> bool {
        let mut hit = false;
        for e in &mut self.exceptions {
            match &mut e.source {
                Source::Stream(matches) => {
                    while let Some(m) = matches.next_if(|m| m.start < span.end) {
                        e.near.push_back(m);
                    }
                }
                Source::ByLine {
                    re,
                    filter,
                    searched_to,
                } => search_touched_lines(self.text, re, filter, searched_to, span, &mut e.near),
            }
            while e.near.front().is_some_and(|r| r.end <= span.start) {
                e.near.pop_front();
            }
            // all of `near` overlaps the span, or starts after it; of those starting inside
            // the unit, the first ends first (one regex's matches do not overlap)
            let first = e.near.partition_point(|r| r.start < unit.start);
            hit |= e
                .near
                .get(first)
                .is_some_and(|r| r.start < span.end && r.end <= unit.end);
        }
        hit
    }
}

/// Search the lines that `span` touches and that are not searched yet, adding their
/// matches to `near`. The lines between the last searched one and the span's are passed
/// over: no candidate touches them. Each byte is looked at a bounded number of times.
fn search_touched_lines(
    text: &str,
    re: &LazyRegex,
    filter: &LineFilter,
    searched_to: &mut usize,
    span: &Range<usize>,
    near: &mut VecDeque<Range<usize>>,
) {
    let bytes = text.as_bytes();
    if *searched_to <= span.start {
        // the start of the span's line: no line break lies between it and the span
        *searched_to = memchr::memrchr(b'\n', &bytes[*searched_to..span.start])
            .map_or(*searched_to, |i| *searched_to + i + 1);
    }
    while *searched_to < span.end {
        let start = *searched_to;
        let from = start.max(span.start);
        let end = memchr::memchr(b'\n', &bytes[from..]).map_or(bytes.len(), |i| from + i);
        if filter.holds_in(bytes, start, end) {
            near.extend(line_filter::matches_in_line(re, text, start, end));
        }
        *searched_to = end + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn window_answers(exception: &str, text: &str, candidates: &[Range<usize>]) -> Vec<bool> {
        let re = [LazyRegex::new("exceptions", exception.into(), true, false).unwrap()];
        let (_, filter) = line_filter::analyse(exception);
        let filters = [filter];
        let mut window = ExceptionWindow::new(&re, &filters, text);
        candidates
            .iter()
            .map(|span| {
                let unit = crate::document::line_around(text, span.start);
                window.excepts(&unit, span)
            })
            .collect()
    }

    /// What the window must answer: any whole-text match inside the unit overlapping the
    /// span.
    fn plain_answers(exception: &str, text: &str, candidates: &[Range<usize>]) -> Vec<bool> {
        let re = regex::RegexBuilder::new(exception)
            .multi_line(true)
            .crlf(true)
            .build()
            .unwrap();
        candidates
            .iter()
            .map(|span| {
                let unit = crate::document::line_around(text, span.start);
                re.find_iter(text).any(|m| {
                    m.start() >= unit.start
                        && m.end() <= unit.end
                        && m.start() < span.end
                        && m.end() > span.start
                })
            })
            .collect()
    }

    #[test]
    fn a_filtered_exception_is_searched_in_the_candidates_lines_with_the_same_answers() {
        // the exception has a line filter (a space or a tab is in every match)
        assert!(line_filter::analyse("[0-9][ \t]+[0-9]").1.is_some());
        let text = "甲 乙\n1 2 3\n丙丁\n\n4 5\n戊 6 7\n";
        let spaces: Vec<Range<usize>> = text
            .match_indices(' ')
            .map(|(i, s)| i..i + s.len())
            .collect();
        assert_eq!(
            window_answers("[0-9][ \t]+[0-9]", text, &spaces),
            plain_answers("[0-9][ \t]+[0-9]", text, &spaces)
        );
        assert_eq!(
            window_answers("[0-9][ \t]+[0-9]", text, &spaces),
            // 「1 2 3」: the matches do not overlap, so 「1 2」 is one and the second space
            // is in none
            [false, true, false, true, false, true]
        );
    }

    #[test]
    fn candidates_skipping_lines_and_spanning_a_line_break_find_the_matches_they_overlap() {
        let text = "1 2\n3 4\n5 6\n7 8\n";
        // the second candidate spans the break between the third and fourth lines
        let candidates = [1..2, 9..13, 13..14];
        assert_eq!(
            window_answers("[0-9] [0-9]", text, &candidates),
            plain_answers("[0-9] [0-9]", text, &candidates)
        );
    }

    #[test]
    fn an_exception_without_a_filter_is_streamed_with_the_same_answers() {
        assert!(line_filter::analyse("^甲").1.is_none());
        let text = "甲乙\n乙甲\n甲\n";
        let candidates = [0..3, 7..10, 14..17];
        assert_eq!(
            window_answers("^甲", text, &candidates),
            plain_answers("^甲", text, &candidates)
        );
        assert_eq!(
            window_answers("^甲", text, &candidates),
            [true, false, true]
        );
    }

    proptest::proptest! {
        /// Any text of digits, Han characters, spaces, tabs and line breaks (CRLF too), and
        /// any candidates in text order (some spanning line breaks, some lines with none):
        /// the window answers as the whole-text matches do.
        #[test]
        fn the_window_answers_as_the_whole_text_matches_do(
            text in "[12甲乙 \t\n\r]{0,40}",
            picks in proptest::collection::vec((0usize..48, 1usize..8), 0..12),
        ) {
            let mut starts: Vec<(usize, usize)> = picks
                .iter()
                .filter_map(|&(at, len)| {
                    let start = (0..=at.min(text.len())).rev().find(|&i| text.is_char_boundary(i))?;
                    let end = (start + len..=text.len()).find(|&i| text.is_char_boundary(i))?;
                    Some((start, end))
                })
                .collect();
            starts.sort();
            let candidates: Vec<Range<usize>> = starts.into_iter().map(|(s, e)| s..e).collect();
            for exception in ["[0-9][ \t]+[0-9]", "甲[ \t]*乙", "[ \t]+$", "^[ \t]+"] {
                proptest::prop_assert_eq!(
                    window_answers(exception, &text, &candidates),
                    plain_answers(exception, &text, &candidates),
                    "{}", exception
                );
            }
        }
    }
}
