//! `toc-mismatch`: a compilation's 目录 against the documents it contains — entries with no
//! document in the body, body documents missing from the 目录, titles that differ after
//! normalisation (spaces, punctuation and quotes ignored), entry numbers that skip or repeat,
//! and page numbers that go back.
//!
//! An entry matches a body line with the same normalised text; entries and body titles left
//! over are paired when their character-bigram similarity reaches `params.similar`.

use crate::diagnostic::Findings;
use crate::document::outline::parse_marker;
use crate::document::toc::Toc;
use crate::document::Document;
use crate::rules::{Check, RuleMeta};
use serde::Deserialize;
use std::collections::HashSet;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Params {
    /// Dice similarity of character bigrams above which two titles are the same document
    /// written differently (0–1).
    similar: f64,
}

impl Default for Params {
    fn default() -> Params {
        Params { similar: 0.6 }
    }
}

pub struct TocMismatch {
    similar: f64,
}

pub fn build(value: &serde_yaml::Value) -> Result<Box<dyn Check>, String> {
    let p: Params = super::params(value)?;
    if !(0.0..=1.0).contains(&p.similar) {
        return Err("params.similar must be between 0 and 1".into());
    }
    Ok(Box::new(TocMismatch { similar: p.similar }))
}

/// Title text for comparison: letters, digits and Han only, marker removed.
fn key(title: &str) -> String {
    let t = title.trim_start();
    let t = parse_marker(t).map_or(t, |m| &t[m.len..]);
    t.chars()
        .filter(|&c| crate::normalize::is_letter_or_digit(c))
        .map(crate::normalize::fold_char)
        .collect()
}

fn bigrams(s: &str) -> Vec<(char, char)> {
    let cs: Vec<char> = s.chars().collect();
    cs.windows(2).map(|w| (w[0], w[1])).collect()
}

/// Dice coefficient of character bigrams.
pub fn similarity(a: &str, b: &str) -> f64 {
    let (ba, bb) = (bigrams(a), bigrams(b));
    if ba.is_empty() || bb.is_empty() {
        return 0.0;
    }
    let mut pool = bb.clone();
    let mut common = 0;
    for g in &ba {
        if let Some(p) = pool.iter().position(|x| x == g) {
            pool.swap_remove(p);
            common += 1;
        }
    }
    2.0 * common as f64 / (ba.len() + bb.len()) as f64
}

impl Check for TocMismatch {
    fn check(&self, doc: &Document, meta: &RuleMeta, out: &mut Findings) {
        let st = doc.structure();
        let Some(toc) = &st.toc else { return };
        if toc.entries.is_empty() {
            return;
        }
        let text = |r: &std::ops::Range<usize>| doc.text.get(r.clone()).unwrap_or("");
        // body lines after the TOC, by key
        // candidate lines: title-sized, no sentence punctuation (a cheap test on the
        // normalised line before building a comparison key)
        let norm = doc.normalized.as_str();
        let max_len = toc
            .entries
            .iter()
            .map(|e| e.title_span.len())
            .max()
            .unwrap_or(0)
            * 2
            + 16;
        // the last character of each entry's title (通知, 意见 …): a line ending otherwise
        // cannot match, whatever its punctuation
        let last_chars: HashSet<char> = toc
            .entries
            .iter()
            .filter_map(|e| key(text(&e.title_span)).chars().next_back())
            .collect();
        let mut body: Vec<(usize, String)> = Vec::new();
        for (i, l) in st.lines.iter().enumerate().skip(toc.end_line) {
            let c = &norm[l.norm()];
            if c.len() < 8 || c.len() > max_len || c.contains(['。', ';', '；']) {
                continue;
            }
            let last = c
                .trim_end_matches(|ch: char| !crate::normalize::is_letter_or_digit(ch))
                .chars()
                .next_back();
            if !last.is_some_and(|ch| last_chars.contains(&crate::normalize::fold_char(ch))) {
                continue;
            }
            let k = key(text(&l.range()));
            if k.chars().count() >= 4 {
                body.push((i, k));
            }
        }
        let mut matched_lines: HashSet<usize> = HashSet::new();
        let mut unmatched_entries = Vec::new();
        for e in &toc.entries {
            let k = key(text(&e.title_span));
            match body
                .iter()
                .find(|(i, bk)| *bk == k && !matched_lines.contains(i))
            {
                Some((i, _)) => {
                    matched_lines.insert(*i);
                }
                None => unmatched_entries.push((e, k)),
            }
        }
        // titles of contained documents not matched by an entry
        let mut orphan_titles: Vec<(usize, String)> = st
            .segments
            .iter()
            .filter_map(|g| g.title.as_ref())
            .filter(|t| t.line >= toc.end_line && !matched_lines.contains(&t.line))
            .map(|t| (t.line, key(text(&t.span))))
            .collect();
        for (e, k) in unmatched_entries {
            let best = orphan_titles
                .iter()
                .enumerate()
                .map(|(n, (_, tk))| (n, similarity(&k, tk)))
                .filter(|(_, s)| *s >= self.similar)
                .max_by(|a, b| a.1.total_cmp(&b.1));
            let title = text(&e.title_span);
            match best {
                Some((n, _)) => {
                    let (line, _) = orphan_titles.remove(n);
                    let body_title = st.lines.get(line).map_or("", |l| text(&l.range()).trim());
                    let sugg = format!("正文第{}行为「{}」", line + 1, body_title);
                    out.push(meta.diagnostic(e.title_span.clone(), title, Some(&sugg), None));
                }
                None => {
                    out.push(meta.diagnostic(
                        e.title_span.clone(),
                        title,
                        Some("正文中没有这份文件"),
                        None,
                    ));
                }
            }
        }
        for (line, _) in orphan_titles {
            if let Some(g) = st
                .segments
                .iter()
                .find(|g| g.title.as_ref().is_some_and(|t| t.line == line))
            {
                if let Some(t) = &g.title {
                    out.push(meta.diagnostic(
                        t.span.clone(),
                        text(&t.span),
                        Some("目录中没有列出"),
                        None,
                    ));
                }
            }
        }
        entry_numbers_in_order(doc, toc, meta, out);
        pages_in_order(doc, toc, meta, out);
    }
}

/// Entry numbers (「1.」「2.」 or 「一、」 before the titles) that skip or repeat.
fn entry_numbers_in_order(doc: &Document, toc: &Toc, meta: &RuleMeta, out: &mut Findings) {
    let text = |r: &std::ops::Range<usize>| doc.text.get(r.clone()).unwrap_or("");
    let mut prev: Option<u32> = None;
    for e in &toc.entries {
        let title = text(&e.title_span);
        let Some(m) = parse_marker(title) else {
            prev = None;
            continue;
        };
        let expected = prev.map_or(1, |p| p + 1);
        if m.number != expected {
            let marker = &title[..m.len];
            let sugg = format!(
                "目录序号应为「{}」",
                crate::document::outline::Marker::render(m.style, expected, m.delimiter)
            );
            let span = e.title_span.start..e.title_span.start + m.len;
            out.push(meta.diagnostic(span, marker, Some(&sugg), None));
        }
        prev = Some(m.number);
    }
}

/// Page numbers that go back.
fn pages_in_order(doc: &Document, toc: &Toc, meta: &RuleMeta, out: &mut Findings) {
    let text = |r: &std::ops::Range<usize>| doc.text.get(r.clone()).unwrap_or("");
    let mut last: Option<u32> = None;
    for e in &toc.entries {
        if let Some((p, span)) = &e.page {
            if let Some(prev) = last.filter(|prev| p < prev) {
                let sugg = format!("页码{p}小于上一条目的页码{prev}");
                out.push(meta.diagnostic(span.clone(), text(span), Some(&sugg), None));
            }
            last = Some(*p);
        }
    }
}
