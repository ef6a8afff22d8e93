//! `hard-wrapped-paragraph`: a paragraph broken mid-sentence on every line, as PDF
//! extraction leaves it (often with a blank line between the pieces).
//!
//! A file is hard-wrapped when many lines have the same display width (the page width) and
//! do not end a sentence. A paragraph is a run of such full-width lines plus the line that
//! ends it; one diagnostic per paragraph, with an unsafe fix that joins the pieces.

use crate::diagnostic::{Applicability, Edit, Findings, Fix};
use crate::document::layout::LineKind;
use crate::document::outline::parse_marker;
use crate::document::Document;
use crate::rules::{Check, RuleMeta};
use serde::Deserialize;
use std::collections::HashMap;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Params {
    /// At least this many lines of the page width before the file counts as hard-wrapped.
    min_lines: usize,
    /// Narrowest page width, in characters.
    min_width: usize,
    /// How many characters shorter than the page width a wrapped line may be.
    tolerance: usize,
    /// Blank lines allowed between two pieces of one paragraph.
    max_blank_between: usize,
    /// Share of the long lines that must be wrapped before the file counts as hard-wrapped.
    min_share: f64,
    /// Largest share of the long lines that may be wider than the page: a page has a width,
    /// a file with one paragraph per line has no such limit.
    #[serde(default = "default_max_over_share")]
    max_over_share: f64,
}

fn default_max_over_share() -> f64 {
    0.1
}

impl Default for Params {
    fn default() -> Params {
        Params {
            min_lines: 5,
            min_width: 16,
            tolerance: 3,
            max_blank_between: 1,
            min_share: 0.3,
            max_over_share: default_max_over_share(),
        }
    }
}

pub struct HardWrap {
    p: Params,
}

pub fn build(value: &serde_yaml::Value) -> Result<Box<dyn Check>, String> {
    Ok(Box::new(HardWrap {
        p: super::params(value)?,
    }))
}

/// Display width in half-character units (ASCII 1, everything else 2).
fn units(s: &str) -> usize {
    s.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}

fn ends_sentence(s: &str) -> bool {
    s.ends_with([
        '。', '!', '?', ';', ':', '！', '？', '；', '：', '”', '"', '…', '）', ')',
    ]) && !s.ends_with("，”")
}

impl Check for HardWrap {
    fn offers_fixes(&self) -> bool {
        true
    }

    fn check(&self, doc: &Document, meta: &RuleMeta, out: &mut Findings) {
        if doc.is_markdown() {
            return; // a Markdown paragraph may be wrapped anywhere: it is joined when rendered
        }
        let st = doc.structure();
        let norm = doc.normalized.as_str();
        let compact = |i: usize| &norm[st.lines[i].norm()];
        // prose only: titles, tables, lists and the 版头/版记 are laid out in lines
        let text_line = |i: usize| st.kind(i).is_text();
        // 4 bytes a line: a huge file has millions of lines
        let widths: Vec<u32> = (0..st.lines.len())
            .map(|i| {
                if text_line(i) {
                    crate::source::saturating_u32(units(compact(i)))
                } else {
                    0
                }
            })
            .collect();
        let Some(page) = self.page_width(&widths, &compact) else {
            return;
        };
        let tol = 2 * self.p.tolerance;
        let wrapped = |i: usize| {
            let u = widths[i] as usize;
            u + tol >= page && u <= page + tol && !ends_sentence(compact(i))
        };
        let mut i = 0;
        while i < st.lines.len() {
            if !wrapped(i) {
                i += 1;
                continue;
            }
            let pieces = self.pieces(doc, &st, i, &wrapped);
            i = pieces.last().map_or(i, |l| l + 1).max(i + 1);
            if pieces.len() >= 2 {
                self.report(doc, &st, &pieces, meta, out);
            }
        }
    }
}

impl HardWrap {
    /// The page width in half-character units: the most common width of prose lines that
    /// do not end a sentence, when enough lines have it and few are wider.
    fn page_width<'t>(&self, widths: &[u32], compact: &dyn Fn(usize) -> &'t str) -> Option<usize> {
        let min_units = 2 * self.p.min_width;
        let mut hist: HashMap<usize, usize> = HashMap::new();
        for (i, &u) in widths.iter().enumerate() {
            let u = u as usize;
            if u >= min_units && !ends_sentence(compact(i)) {
                *hist.entry(u).or_default() += 1;
            }
        }
        let (&page, _) = hist.iter().max_by_key(|(w, n)| (**n, **w))?;
        let tol = 2 * self.p.tolerance;
        let long = widths.iter().filter(|&&u| u as usize >= min_units).count();
        let full = (0..widths.len())
            .filter(|&i| {
                let u = widths[i] as usize;
                u + tol >= page && u <= page + tol && !ends_sentence(compact(i))
            })
            .count();
        let over = widths.iter().filter(|&&u| u as usize > page + tol).count();
        let enough = full >= self.p.min_lines && (full as f64) >= self.p.min_share * long as f64;
        let bounded = (over as f64) <= self.p.max_over_share * long as f64;
        (enough && bounded).then_some(page)
    }

    /// The lines of one broken paragraph starting at the wrapped line `first`: each wrapped
    /// line is continued by the next prose line (blank lines and page numbers between are
    /// skipped), up to a line that is not page-wide.
    fn pieces(
        &self,
        doc: &Document,
        st: &crate::document::Structure,
        first: usize,
        wrapped: &dyn Fn(usize) -> bool,
    ) -> Vec<usize> {
        let mut pieces = vec![first];
        let mut cur = first;
        loop {
            let mut next = cur + 1;
            let mut blanks = 0;
            while next < st.lines.len()
                && matches!(st.kind(next), LineKind::Blank | LineKind::PageFurniture)
            {
                blanks += usize::from(st.kind(next) == LineKind::Blank);
                next += 1;
            }
            if next >= st.lines.len()
                || blanks > self.p.max_blank_between
                || st.kind(next) != LineKind::Prose
                || parse_marker(doc.text[st.lines[next].range()].trim_start()).is_some()
            {
                break;
            }
            pieces.push(next);
            cur = next;
            if !wrapped(next) {
                break;
            }
        }
        pieces
    }

    fn report(
        &self,
        doc: &Document,
        st: &crate::document::Structure,
        pieces: &[usize],
        meta: &RuleMeta,
        out: &mut Findings,
    ) {
        let content = |k: usize| {
            let r = &st.lines[k].range();
            let line = &doc.text[r.clone()];
            let lead = line.len() - line.trim_start().len();
            r.start + lead..r.start + line.trim_end().len().max(lead)
        };
        let mut edits = Vec::new();
        for w in pieces.windows(2) {
            let (a, b) = (content(w[0]), content(w[1]));
            let left = doc.text[..a.end].chars().next_back();
            let right = doc.text[b.start..].chars().next();
            let ascii_join = left.is_some_and(|c| c.is_ascii_alphanumeric())
                && right.is_some_and(|c| c.is_ascii_alphanumeric());
            edits.push(Edit {
                range: a.end..b.start,
                replacement: if ascii_join { " ".into() } else { "".into() },
            });
        }
        let (Some(&first), Some(&last)) = (pieces.first(), pieces.last()) else {
            return;
        };
        let span = content(first).start..content(last).end;
        let sugg = format!("{}行", pieces.len());
        let fix = Fix {
            applicability: Applicability::Unsafe,
            message: "把断开的行接成一段".into(),
            edits,
        };
        let head: String = doc.text[content(first)].chars().take(12).collect();
        out.push(meta.diagnostic(span, &head, Some(&sugg), Some(fix)));
    }
}
