//! One pass over the lines of a document for the line-local patterns of all the built-in
//! pattern rules together, instead of one pass per pattern.
//!
//! Each pattern rule used to scan the whole text for each of its patterns (behind a
//! [`LineFilter`](super::line_filter::LineFilter) where it had one): some seventy scans of
//! every document. A [`SharedLineSet`] holds those patterns in one `RegexSet` per view; the
//! first rule that needs it runs the set over each line once ([`LineHits`], kept with the
//! document), and each rule then searches its pattern only in the lines where the set
//! says it matches.
//!
//! Only line-local patterns join (see `line_filter.rs`): they cannot match a line break
//! nor the empty string, and have no whole-text anchor. Such a pattern matches somewhere
//! in the text iff it matches in one line searched alone, and the set sees each line with
//! the same context as the search of the whole text: a line break (or nothing) before it,
//! its own line break after it. So the lines it marks are exactly the lines that hold a
//! match, and the rule's search of them finds the same matches as a search of the text.
//! A proptest in `rules/mod.rs` holds the built-in rules to the same findings with and
//! without the shared set.

use crate::document::Document;
use crate::rules::spec::View;
use regex::{RegexSet, RegexSetBuilder};
use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

/// The patterns of one view, and their set once built.
#[derive(Default)]
struct ViewSet {
    /// The patterns, and whether the list is closed: the set is built from it (a pattern
    /// added later would not be in it).
    sources: Mutex<(Vec<String>, bool)>,
    /// `None` inside when the set could not be built (the rules then scan alone).
    set: OnceLock<Option<RegexSet>>,
}

/// The line-local patterns of several pattern rules, searched in one pass per line.
pub struct SharedLineSet {
    /// Unique to this set: its facts in [`Document::derived`] (each view's [`LineHits`], and
    /// whether to search alone) are kept under keys made from it.
    id: u64,
    /// Indexed by [`slot`].
    views: [ViewSet; 2],
}

/// Whether the rules search a document alone ([`SharedLineSet::search_alone_in`]).
struct SearchAlone(bool);

/// For each pattern of one view's set, the lines (`start..end`, without the `\n`) of one
/// document where it matches, in order.
pub struct LineHits {
    lines: Vec<Vec<Range<usize>>>,
}

impl LineHits {
    /// The lines where pattern `index` of the set matches.
    pub fn lines(&self, index: usize) -> &[Range<usize>] {
        self.lines.get(index).map_or(&[], Vec::as_slice)
    }
}

fn slot(view: View) -> usize {
    match view {
        View::Original => 0,
        View::Normalized => 1,
    }
}

impl SharedLineSet {
    pub fn new() -> Arc<SharedLineSet> {
        static NEXT_ID: AtomicU64 = AtomicU64::new(1);
        Arc::new(SharedLineSet {
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            views: Default::default(),
        })
    }

    /// Add a pattern searched in `view`: its index in that view's set, or `None` once the
    /// set has been built (the caller then searches for it alone).
    pub fn add(&self, view: View, source: &str) -> Option<usize> {
        let views = &self.views[slot(view)];
        let mut sources = views.sources.lock().unwrap_or_else(PoisonError::into_inner);
        let (list, closed) = &mut *sources;
        if *closed {
            return None;
        }
        list.push(source.to_owned());
        Some(list.len() - 1)
    }

    /// Let the rules search `doc` alone, each pattern in its own pass: asked before a check
    /// that runs only a few of the rules on the whole text (a re-check after an edit, the
    /// line-local rules checking the edited lines apart), where a pass of the whole set
    /// costs more than their own searches. The findings are the same either way.
    pub fn search_alone_in(&self, doc: &Document) {
        doc.derived(self.alone_key(), || SearchAlone(true));
    }

    /// [`Document::derived`]'s key for [`SharedLineSet::search_alone_in`]: after the two
    /// views' keys of this set, before those of the next.
    fn alone_key(&self) -> u64 {
        self.id * 3 + 2
    }

    /// The lines of `doc` where each pattern of `view` matches, scanned on first use and
    /// kept with the document; `None` when the set cannot be built, or the rules are to
    /// search `doc` alone ([`SharedLineSet::search_alone_in`]).
    pub fn hits(&self, doc: &Document, view: View) -> Option<Arc<LineHits>> {
        if doc
            .derived(self.alone_key(), || SearchAlone(false))
            .is_some_and(|alone| alone.0)
        {
            return None;
        }
        let views = &self.views[slot(view)];
        let set = views
            .set
            .get_or_init(|| {
                let mut sources = views.sources.lock().unwrap_or_else(PoisonError::into_inner);
                sources.1 = true;
                build(&sources.0)
            })
            .as_ref()?;
        let text = match view {
            View::Original => doc.text.as_str(),
            View::Normalized => doc.normalized.as_str(),
        };
        let key = self.id * 3 + slot(view) as u64;
        doc.derived(key, || scan(set, text))
    }
}

/// The set of `sources`, compiled as the pattern rules compile each (`^`/`$` at line ends,
/// CRLF-aware); `None` if it cannot be built (e.g. too large).
fn build(sources: &[String]) -> Option<RegexSet> {
    if sources.is_empty() {
        return None;
    }
    RegexSetBuilder::new(sources)
        .size_limit(sources.len() * super::pattern::REGEX_SIZE_LIMIT)
        .dfa_size_limit(super::pattern::DFA_CACHE_LIMIT)
        .multi_line(true)
        .crlf(true)
        .build()
        .ok()
}

/// Texts longer than this are scanned in pieces of about this size, in parallel.
const PIECE_BYTES: usize = 1 << 20;

/// Run `set` over each line of `text`: in pieces of whole lines, spread over the cores,
/// when it is long.
fn scan(set: &RegexSet, text: &str) -> LineHits {
    scan_in_pieces(set, text, PIECE_BYTES)
}

fn scan_in_pieces(set: &RegexSet, text: &str, piece_bytes: usize) -> LineHits {
    use rayon::prelude::*;
    let mut cuts: Vec<usize> = vec![0];
    while let Some(&last) = cuts.last() {
        let ahead = last.saturating_add(piece_bytes);
        if ahead >= text.len() {
            break;
        }
        // the piece ends after the first line break at or past `ahead`
        match memchr::memchr(b'\n', &text.as_bytes()[ahead..]) {
            Some(i) if ahead + i + 1 < text.len() => cuts.push(ahead + i + 1),
            _ => break,
        }
    }
    cuts.push(text.len());
    let pieces: Vec<Vec<Vec<Range<usize>>>> = cuts
        .par_windows(2)
        .map(|w| scan_lines(set, text, w[0]..w[1]))
        .collect();
    let mut lines = vec![Vec::new(); set.len()];
    for piece in pieces {
        for (all, found) in lines.iter_mut().zip(piece) {
            all.extend(found);
        }
    }
    LineHits { lines }
}

/// Run `set` over each line of `text` in `piece` (whole lines), each with its line break
/// (so that `$` sees what it sees in the whole text): for each pattern, the lines where it
/// matches.
fn scan_lines(set: &RegexSet, text: &str, piece: Range<usize>) -> Vec<Vec<Range<usize>>> {
    let mut lines = vec![Vec::new(); set.len()];
    let mut matched = vec![false; set.len()];
    let bytes = &text.as_bytes()[..piece.end];
    let mut start = piece.start;
    while start < bytes.len() {
        let end = memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |i| start + i);
        let with_break = &text[start..(end + 1).min(piece.end)];
        if set.is_match(with_break) {
            matched.fill(false);
            set.matches_read_at(&mut matched, with_break, 0);
            for (index, _) in matched.iter().enumerate().filter(|(_, m)| **m) {
                lines[index].push(start..end);
            }
        }
        start = end + 1;
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_the_lines_where_each_pattern_matches() {
        let set = SharedLineSet::new();
        let colon = set.add(View::Original, "[\\p{Han}](?P<m>[,:])").unwrap();
        let trailing = set.add(View::Original, "[ ]$").unwrap();
        let doc = Document::from_text("a.txt", "甲,乙\r\n丙丁 \n\n戊:己 \n 庚");
        let hits = set.hits(&doc, View::Original).unwrap();
        let text = &doc.text;
        let lines =
            |i: usize| -> Vec<&str> { hits.lines(i).iter().map(|r| &text[r.clone()]).collect() };
        assert_eq!(lines(colon), ["甲,乙\r", "戊:己 "]);
        assert_eq!(lines(trailing), ["丙丁 ", "戊:己 "]);
        assert!(
            set.hits(&doc, View::Normalized).is_none(),
            "no pattern of that view"
        );
        assert_eq!(
            set.add(View::Original, "y"),
            None,
            "the set is built: closed"
        );
    }

    #[test]
    fn a_document_searched_alone_has_no_hits_and_others_keep_theirs() {
        let set = SharedLineSet::new();
        set.add(View::Original, "甲").unwrap();
        let (alone, shared) = (
            Document::from_text("a.txt", "甲\n"),
            Document::from_text("b.txt", "甲\n"),
        );
        set.search_alone_in(&alone);
        assert!(set.hits(&alone, View::Original).is_none());
        let hits = set.hits(&shared, View::Original).unwrap();
        assert_eq!(hits.lines(0).iter().collect::<Vec<_>>(), [&(0..3)]);
        // another set's facts are kept apart: it still scans the first document
        let other = SharedLineSet::new();
        other.add(View::Original, "甲").unwrap();
        assert!(other.hits(&alone, View::Original).is_some());
    }

    /// A long text is scanned in pieces of whole lines: the same lines as in one piece.
    #[test]
    fn pieces_find_the_lines_one_pass_finds() {
        let set = RegexSetBuilder::new(["[ ]$", "甲", "^乙"])
            .multi_line(true)
            .crlf(true)
            .build()
            .unwrap();
        let text = "甲 \n乙\r\n\n丙甲\n 乙 \n甲乙\n\n".repeat(5);
        let whole = scan_in_pieces(&set, &text, usize::MAX).lines;
        assert!(whole.iter().all(|l| !l.is_empty()));
        for piece_bytes in [1, 2, 5, 7, 13, 64] {
            assert_eq!(
                scan_in_pieces(&set, &text, piece_bytes).lines,
                whole,
                "{piece_bytes}"
            );
        }
    }

    #[test]
    fn one_scan_per_document_however_many_rules_ask() {
        let set = SharedLineSet::new();
        set.add(View::Original, "x");
        let doc = Document::from_text("a.txt", "x\ny");
        let first = set.hits(&doc, View::Original).unwrap();
        let second = set.hits(&doc, View::Original).unwrap();
        assert!(Arc::ptr_eq(&first, &second));
        let other = Document::from_text("b.txt", "y\nx");
        assert_eq!(
            set.hits(&other, View::Original).unwrap().lines(0),
            &[Range { start: 2, end: 3 }]
        );
    }
}
