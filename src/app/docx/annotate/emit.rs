//! Writing the new `word/document.xml`: the original bytes, with the runs that need it
//! split (each part keeping the run's attributes and `w:rPr`), comment ranges and tracked
//! changes put between the parts, and paragraph marks deleted. Everything not touched is
//! copied byte for byte.

use super::plan::Plan;
use super::Revision;
use crate::docx::layout::{Layout, Run};
use quick_xml::escape::partial_escape;
use std::collections::BTreeSet;
use std::ops::Range;

/// A change to the XML: replace `range` (empty: insert at its start).
struct Splice {
    range: Range<usize>,
    /// Order among splices at the same position (paragraph properties first).
    order: u8,
    patch: Patch,
}

enum Patch {
    Text(String),
    /// Rewrite this run (index into `Layout::runs`).
    Run(usize),
}

struct Emitter<'a> {
    xml: &'a str,
    layout: &'a Layout,
    plan: &'a Plan,
    revision: &'a mut Revision,
    splices: Vec<Splice>,
    next: usize,
    out: String,
}

/// The new `word/document.xml`.
pub(super) fn emit(xml: &str, layout: &Layout, plan: &Plan, revision: &mut Revision) -> String {
    let mut splices = paragraph_splices(xml, layout, plan, revision);
    splices.extend(plan.runs().map(|r| Splice {
        range: layout.runs[r].xml.clone(),
        order: 2,
        patch: Patch::Run(r),
    }));
    splices.sort_by_key(|s| (s.range.start, s.order));
    let mut e = Emitter {
        xml,
        layout,
        plan,
        revision,
        splices,
        next: 0,
        out: String::with_capacity(xml.len() + xml.len() / 8),
    };
    e.copy(0..xml.len());
    e.out
}

/// Comment marks at the start or end of whole paragraphs, and deleted paragraph marks.
fn paragraph_splices(
    xml: &str,
    layout: &Layout,
    plan: &Plan,
    revision: &mut Revision,
) -> Vec<Splice> {
    let mut splices = Vec::new();
    let text = |range: Range<usize>, order: u8, s: String| Splice {
        range,
        order,
        patch: Patch::Text(s),
    };
    for (&p, marks) in &plan.paragraphs {
        let Some(para) = layout.paragraphs.get(p) else {
            continue;
        };
        let del = if marks.delete_mark {
            revision.mark_deletion()
        } else {
            String::new()
        };
        if para.empty_element {
            let tag = xml.get(para.start_tag.clone()).unwrap_or("<w:p/>");
            let open = tag.trim_end_matches('>').trim_end_matches('/').trim_end();
            let ppr = if del.is_empty() {
                String::new()
            } else {
                format!("<w:pPr><w:rPr>{del}</w:rPr></w:pPr>")
            };
            let s = format!("{open}>{ppr}{}{}</w:p>", marks.start, marks.end);
            splices.push(text(para.start_tag.clone(), 0, s));
            continue;
        }
        if !del.is_empty() {
            splices.push(match &para.ppr {
                None => text(
                    para.start_tag.end..para.start_tag.end,
                    0,
                    format!("<w:pPr><w:rPr>{del}</w:rPr></w:pPr>"),
                ),
                Some(ppr) if ppr.empty_element => text(
                    ppr.start_tag.clone(),
                    0,
                    format!("<w:pPr><w:rPr>{del}</w:rPr></w:pPr>"),
                ),
                Some(ppr) => match &ppr.rpr {
                    None => {
                        let at = ppr.rpr_slot.unwrap_or(para.after_ppr);
                        text(at..at, 0, format!("<w:rPr>{del}</w:rPr>"))
                    }
                    Some(rpr) if rpr.empty_element => {
                        text(rpr.start_tag.clone(), 0, format!("<w:rPr>{del}</w:rPr>"))
                    }
                    Some(rpr) => text(rpr.del_slot..rpr.del_slot, 0, del),
                },
            });
        }
        if !marks.start.is_empty() {
            splices.push(text(para.after_ppr..para.after_ppr, 1, marks.start.clone()));
        }
        if !marks.end.is_empty() {
            splices.push(text(para.end_tag..para.end_tag, 3, marks.end.clone()));
        }
    }
    splices
}

impl Emitter<'_> {
    /// Copy `range` of the original, applying the splices that start inside it.
    fn copy(&mut self, range: Range<usize>) {
        let mut cursor = range.start;
        while let Some(s) = self.splices.get(self.next) {
            if s.range.start >= range.end || s.range.start < cursor {
                break;
            }
            let (start, end) = (s.range.start, s.range.end);
            self.next += 1;
            self.out.push_str(self.xml.get(cursor..start).unwrap_or(""));
            match &self.splices[self.next - 1].patch {
                Patch::Text(t) => {
                    let t = t.clone();
                    self.out.push_str(&t);
                }
                Patch::Run(r) => self.run(*r),
            }
            cursor = end.max(cursor);
        }
        self.out
            .push_str(self.xml.get(cursor..range.end).unwrap_or(""));
    }

    /// A run cut at every mark and deletion boundary inside it, the marks in between.
    fn run(&mut self, r: usize) {
        let layout = self.layout;
        let run = &layout.runs[r];
        let span = run.text.clone();
        let marks = self.plan.marks_of(r);
        let mut bounds: BTreeSet<usize> = marks.iter().map(|m| m.offset).collect();
        for d in self.plan.deletions_in(span.clone()) {
            bounds.insert(d.start);
            bounds.insert(d.end);
        }
        bounds.retain(|&b| b > span.start && b < span.end);
        let mut cuts: Vec<usize> = vec![span.start];
        cuts.extend(bounds);
        cuts.push(span.end);
        let mut m = 0;
        let last = cuts.len() - 2;
        for k in 0..=last {
            let (a, b) = (cuts[k], cuts[k + 1]);
            while let Some(mark) = marks.get(m).filter(|x| x.offset <= a) {
                self.out.push_str(&mark.markup);
                m += 1;
            }
            self.segment(run, a..b, k == 0, k == last);
        }
        for mark in &marks[m..] {
            self.out.push_str(&mark.markup);
        }
    }

    /// The items of `run` in `seg` (cut where needed) as one or more runs.
    fn segment(&mut self, run: &Run, seg: Range<usize>, first: bool, last: bool) {
        let deleted = self.plan.is_deleted(seg.start);
        // (item, part of its text); runs of consecutive items that are deleted together
        let mut group: Vec<(usize, Range<usize>)> = Vec::new();
        let mut group_deleted = false;
        for (i, item) in run.items.iter().enumerate() {
            let t = &item.text;
            let inside = if t.is_empty() {
                (t.start >= seg.start || first) && (t.start < seg.end || last)
            } else {
                t.start < seg.end && t.end > seg.start
            };
            if !inside {
                continue;
            }
            let part = t.start.max(seg.start)..t.end.min(seg.end);
            // only characters are deleted; drawings, field characters… stay
            let item_deleted = deleted && !t.is_empty();
            if !group.is_empty() && item_deleted != group_deleted {
                self.write_run(run, &std::mem::take(&mut group), group_deleted);
            }
            group_deleted = item_deleted;
            group.push((i, part));
        }
        if !group.is_empty() {
            self.write_run(run, &group, group_deleted);
        }
    }

    fn write_run(&mut self, run: &Run, items: &[(usize, Range<usize>)], deleted: bool) {
        if deleted {
            let open = self.revision.open("w:del");
            self.out.push_str(&open);
        }
        self.out
            .push_str(self.xml.get(run.start_tag.clone()).unwrap_or("<w:r>"));
        if let Some(rpr) = &run.rpr {
            self.out.push_str(self.xml.get(rpr.clone()).unwrap_or(""));
        }
        for (i, part) in items {
            let item = &run.items[*i];
            let text = self.layout.text.get(part.clone()).unwrap_or("");
            if item.is_text && deleted {
                self.out.push_str(&format!(
                    "<w:delText xml:space=\"preserve\">{}</w:delText>",
                    partial_escape(text)
                ));
            } else if item.is_text && *part != item.text {
                self.out.push_str(&format!(
                    "<w:t xml:space=\"preserve\">{}</w:t>",
                    partial_escape(text)
                ));
            } else {
                self.copy(item.xml.clone());
            }
        }
        self.out.push_str("</w:r>");
        if deleted {
            self.out.push_str("</w:del>");
        }
    }
}
