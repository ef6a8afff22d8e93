//! `hard-wrapped-paragraph`: a paragraph broken mid-sentence on every line, as PDF
//! extraction leaves it (often with a blank line between the pieces).
//!
//! A file is hard-wrapped when many lines have the same display width (the page width) and
//! do not end a sentence. A paragraph is a run of such full-width lines plus the line that
//! ends it; one diagnostic per paragraph, with an unsafe fix that joins the pieces.

use crate::diagnostic::{Applicability, Edit, Findings, Fix};
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
}

impl Default for Params {
    fn default() -> Params {
        Params {
            min_lines: 5,
            min_width: 12,
            tolerance: 3,
            max_blank_between: 1,
            min_share: 0.3,
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
    fn check(&self, doc: &Document, meta: &RuleMeta, out: &mut Findings) {
        let st = doc.structure();
        let norm = doc.normalized.as_str();
        let compact = |i: usize| &norm[st.lines[i].norm()];
        // 4 bytes a line: a huge file has millions of lines
        let widths: Vec<u32> = (0..st.lines.len())
            .map(|i| crate::source::saturating_u32(units(compact(i))))
            .collect();
        let min_units = 2 * self.p.min_width;
        // the page width: the most common width of lines that do not end a sentence
        let mut hist: HashMap<usize, usize> = HashMap::new();
        for (i, &u) in widths.iter().enumerate() {
            let u = u as usize;
            if u >= min_units && !ends_sentence(compact(i)) {
                *hist.entry(u).or_default() += 1;
            }
        }
        let Some((&page, _)) = hist.iter().max_by_key(|(w, n)| (**n, **w)) else {
            return;
        };
        let tol = 2 * self.p.tolerance;
        let wrapped = |i: usize| {
            let u = widths[i] as usize;
            u + tol >= page && u <= page + tol && !ends_sentence(compact(i))
        };
        let full: usize = (0..st.lines.len()).filter(|&i| wrapped(i)).count();
        let long = (0..st.lines.len())
            .filter(|&i| widths[i] as usize >= min_units)
            .count();
        if full < self.p.min_lines || (full as f64) < self.p.min_share * long as f64 {
            return;
        }
        let starts_item = |i: usize| {
            let line = &doc.text[st.lines[i].range()];
            parse_marker(line.trim_start()).is_some()
        };
        let mut i = 0;
        while i < st.lines.len() {
            if !wrapped(i) {
                i += 1;
                continue;
            }
            // collect the pieces
            let mut pieces = vec![i];
            let mut cur = i;
            loop {
                let mut next = cur + 1;
                let mut blanks = 0;
                while next < st.lines.len() && compact(next).is_empty() {
                    next += 1;
                    blanks += 1;
                }
                if next >= st.lines.len() || blanks > self.p.max_blank_between || starts_item(next)
                {
                    break;
                }
                pieces.push(next);
                cur = next;
                if !wrapped(next) {
                    break;
                }
            }
            i = cur + 1;
            if pieces.len() < 2 {
                continue;
            }
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
                continue;
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
}
