//! Where each finding goes: comment ranges on the runs that hold its first and last
//! character (or around its whole paragraph when its characters are not in runs), and,
//! for tracked fixes, the characters to delete, the paragraph marks to delete and the
//! text to insert. Nothing is written here; [`super::emit`] writes it.

use super::Revision;
use crate::docx::layout::Layout;
use crate::Fix;
use std::collections::BTreeMap;
use std::ops::Range;

/// The order of marks at one text offset: what closes the text before it, then what opens
/// the text after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Rank {
    /// Inserted text after deleted or preceding characters.
    InsertAfter,
    CommentEnd,
    CommentStart,
    /// Inserted text at the start of a paragraph, before its first character.
    InsertBefore,
}

/// Markup placed between the parts of a run, at a text offset.
#[derive(Debug, Clone)]
pub(super) struct Mark {
    pub offset: usize,
    pub rank: Rank,
    pub markup: String,
}

/// Markup at the edges of a whole paragraph, and whether its mark is deleted.
#[derive(Debug, Clone, Default)]
pub(super) struct ParagraphMarks {
    pub start: String,
    pub end: String,
    pub delete_mark: bool,
}

/// Everything to change in `word/document.xml`.
#[derive(Debug, Default)]
pub(super) struct Plan {
    marks: BTreeMap<usize, Vec<Mark>>,
    /// Deleted characters, each range inside one paragraph; disjoint, sorted.
    deletions: Vec<Range<usize>>,
    /// Text ranges of the edits applied (start → end), to refuse an overlapping one.
    fixed: BTreeMap<usize, usize>,
    pub paragraphs: BTreeMap<usize, ParagraphMarks>,
}

/// Where a comment goes.
pub(super) enum Anchor {
    /// Exactly these characters.
    Characters(Range<usize>),
    /// The whole paragraph (its characters are not all in runs).
    Paragraph(usize),
}

impl Plan {
    /// The runs that need rewriting, in index order.
    pub fn runs(&self) -> impl Iterator<Item = usize> + '_ {
        self.marks.keys().copied()
    }

    /// The marks of a run, in text order.
    pub fn marks_of(&self, run: usize) -> &[Mark] {
        self.marks.get(&run).map_or(&[], Vec::as_slice)
    }

    pub fn deletions_in(&self, span: Range<usize>) -> impl Iterator<Item = &Range<usize>> {
        let i = self.deletions.partition_point(|d| d.end <= span.start);
        self.deletions[i..]
            .iter()
            .take_while(move |d| d.start < span.end)
    }

    pub fn is_deleted(&self, offset: usize) -> bool {
        self.deletions_in(offset..offset + 1)
            .any(|d| d.contains(&offset))
    }

    fn add_mark(&mut self, run: usize, offset: usize, rank: Rank, markup: String) {
        let marks = self.marks.entry(run).or_default();
        let at = marks.partition_point(|m| (m.offset, m.rank) <= (offset, rank));
        marks.insert(
            at,
            Mark {
                offset,
                rank,
                markup,
            },
        );
    }

    /// Whether `r` overlaps (or starts where) an edit already applied starts.
    fn overlaps_fixed(&self, r: &Range<usize>) -> bool {
        let before = self.fixed.range(..=r.start).next_back();
        let after = self.fixed.range(r.start..).next();
        before.is_some_and(|(&s, &e)| s == r.start || e > r.start)
            || after.is_some_and(|(&s, _)| s < r.end || s == r.start)
    }

    /// Make sure `run` is rewritten even without marks (it holds deleted characters).
    fn touch(&mut self, run: usize) {
        self.marks.entry(run).or_default();
    }

    /// Put a comment's range marks around `anchor`.
    pub fn comment(&mut self, layout: &Layout, anchor: &Anchor, start: String, end: String) {
        match anchor {
            Anchor::Characters(range) => {
                if let (Some(first), Some(last)) = (
                    layout.piece_at(range.start),
                    layout.piece_at(range.end.saturating_sub(1)),
                ) {
                    let (first, last) = (first.run, last.run);
                    self.add_mark(first, range.start, Rank::CommentStart, start);
                    self.add_mark(last, range.end, Rank::CommentEnd, end);
                }
            }
            Anchor::Paragraph(p) => {
                let marks = self.paragraphs.entry(*p).or_default();
                marks.start.push_str(&start);
                marks.end.insert_str(0, &end);
            }
        }
    }

    /// Apply `fix` as tracked changes, all its edits or none. `false` when it cannot be
    /// shown as revisions (it overlaps another fix, inserts a paragraph break, or touches
    /// characters that are not in runs or paragraph marks that cannot be deleted).
    pub fn track(
        &mut self,
        layout: &Layout,
        xml: &str,
        fix: &Fix,
        revision: &mut Revision,
    ) -> bool {
        let mut steps = Vec::new();
        for edit in &fix.edits {
            let r = edit.range.clone();
            let overlaps = self.overlaps_fixed(&r)
                || fix
                    .edits
                    .iter()
                    .map(|e| &e.range)
                    .filter(|e| **e != r)
                    .any(|f| f.start < r.end && r.start < f.end || f.start == r.start);
            let bad_text = edit.replacement.contains(['\n', '\r']);
            match (
                overlaps || bad_text,
                edit_steps(layout, xml, r.clone(), &edit.replacement),
            ) {
                (false, Some(s)) => steps.push(s),
                _ => return false,
            }
        }
        for (edit, s) in fix.edits.iter().zip(steps) {
            self.fixed.insert(edit.range.start, edit.range.end);
            for d in s.deletions {
                for piece in layout.pieces_in(d.clone()) {
                    self.touch(piece.run);
                }
                let at = self.deletions.partition_point(|x| x.start < d.start);
                self.deletions.insert(at, d);
            }
            for p in s.marks {
                self.paragraphs.entry(p).or_default().delete_mark = true;
            }
            if let Some((run, offset, rank, rpr)) = s.insert {
                let rpr = rpr.unwrap_or_default();
                let markup = revision.insertion(&rpr, &edit.replacement);
                self.add_mark(run, offset, rank, markup);
            }
        }
        true
    }
}

/// What one edit becomes.
struct Steps {
    deletions: Vec<Range<usize>>,
    /// Paragraphs whose mark is deleted.
    marks: Vec<usize>,
    /// (run, offset, rank, the `w:rPr` to copy) of the inserted text.
    insert: Option<(usize, usize, Rank, Option<String>)>,
}

/// Whether a run can be cut at `offset`: between two pieces or inside a `w:t`.
pub(super) fn can_cut(layout: &Layout, offset: usize) -> bool {
    if !layout.text.is_char_boundary(offset) {
        return false;
    }
    match layout.piece_at(offset) {
        None => true,
        Some(p) if p.text.start == offset => true,
        Some(p) => layout.runs[p.run].items[p.item].is_text,
    }
}

/// Whether every character of `range` is held by a run.
fn in_runs(layout: &Layout, range: Range<usize>) -> bool {
    let mut at = range.start;
    for piece in layout.pieces_in(range.clone()) {
        if piece.text.start > at {
            return false;
        }
        at = piece.text.end;
    }
    at >= range.end
}

fn edit_steps(layout: &Layout, xml: &str, range: Range<usize>, replacement: &str) -> Option<Steps> {
    let text = &layout.text;
    if range.end > text.len() || !can_cut(layout, range.start) || !can_cut(layout, range.end) {
        return None;
    }
    let mut steps = Steps {
        deletions: Vec::new(),
        marks: Vec::new(),
        insert: None,
    };
    // split at the paragraph ends inside the range
    let mut at = range.start;
    while at < range.end {
        let p = layout.paragraph_at(at)?;
        let para = &layout.paragraphs[p];
        let end = para.text.end.min(range.end);
        if end > at {
            if !in_runs(layout, at..end) {
                return None;
            }
            steps.deletions.push(at..end);
        }
        if range.end > para.text.end {
            // the paragraph's own `\n` is deleted: only when the next paragraph follows it
            // in the XML as in the text
            let next = layout.next_in_text(p)?;
            if para.next_sibling != Some(next) {
                return None;
            }
            steps.marks.push(p);
            at = para.text.end + 1;
        } else {
            at = end;
        }
    }
    if !replacement.is_empty() {
        steps.insert = Some(insertion_point(layout, xml, &range, &steps)?);
    }
    Some(steps)
}

/// Where inserted text goes, with the run properties it takes: after the last deleted
/// character (formatted like the first deleted one), else after the character before it,
/// else before the first character of its paragraph. `None` in an empty paragraph.
fn insertion_point(
    layout: &Layout,
    xml: &str,
    range: &Range<usize>,
    steps: &Steps,
) -> Option<(usize, usize, Rank, Option<String>)> {
    let rpr_of = |run: usize| {
        let rpr = layout.runs[run].rpr.clone()?;
        xml.get(rpr).map(str::to_owned)
    };
    if let (Some(first), Some(last)) = (steps.deletions.first(), steps.deletions.last()) {
        if last.end == range.end {
            let run = layout.piece_at(last.end - 1)?.run;
            let model = layout.piece_at(first.start)?.run;
            return Some((run, last.end, Rank::InsertAfter, rpr_of(model)));
        }
    }
    let at = range.end;
    let para = &layout.paragraphs[layout.paragraph_at(at)?];
    if at > para.text.start {
        let run = layout.piece_at(at - 1)?.run;
        Some((run, at, Rank::InsertAfter, rpr_of(run)))
    } else {
        let run = layout.piece_at(at).filter(|_| at < para.text.end)?.run;
        Some((run, at, Rank::InsertBefore, rpr_of(run)))
    }
}
