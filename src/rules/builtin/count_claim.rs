//! `count-claim-mismatch`: a stated count (「以下五方面16项」「三个方面」「四大行动」「以下N项」)
//! in the paragraph before a document's outline, against the outline that follows.
//!
//! Sections are the headings of the top level, items those of the next level; a count of
//! items alone may mean either. A count of a noun (「四大行动」) is compared with the top-level
//! headings that contain that noun, and only when at least one does. The words are `params`.

use crate::diagnostic::{Applicability, Edit, Findings, Fix};
use crate::document::numerals::{cn_string, count_value};
use crate::document::Document;
use crate::rules::kinds::pattern::compile_regex;
use crate::rules::{Check, RuleMeta};
use regex::Regex;
use serde::Deserialize;
use std::ops::Range;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Params {
    /// Nouns that count top-level sections (方面, 部分).
    section_units: Vec<String>,
    /// Nouns that count items (项).
    item_units: Vec<String>,
    /// Words that introduce a count of items without sections (以下, 重点).
    #[serde(default)]
    item_cues: Vec<String>,
    /// Nouns counted among the top-level headings that contain them (行动, 主线).
    #[serde(default)]
    keyword_nouns: Vec<String>,
    /// Words that introduce a list inside a section (以下, 如下); the count is compared
    /// with the headings directly under that section when the line ends in ：.
    #[serde(default)]
    list_cues: Vec<String>,
}

pub struct CountClaim {
    section: Regex,
    items: Option<Regex>,
    keyword: Option<Regex>,
    /// 「主要做好以下三项工作：」 inside a section, against the heading's children.
    list: Option<Regex>,
}

const NUM: &str = "[一二三四五六七八九十两0-9]{1,3}";

fn alternation(words: &[String]) -> String {
    words
        .iter()
        .map(|w| regex::escape(w))
        .collect::<Vec<_>>()
        .join("|")
}

pub fn build(value: &serde_yaml::Value) -> Result<Box<dyn Check>, String> {
    let p: Params = super::params(value)?;
    if p.section_units.is_empty() || p.item_units.is_empty() {
        return Err("params.section_units and params.item_units must not be empty".into());
    }
    let items = alternation(&p.item_units);
    let compile = |re: &str| compile_regex("params", re).map_err(|(_, _, m)| m);
    let section = compile(&format!(
        "(?P<s>{NUM})(?:个|大)?(?:{})(?:(?:共|的)?(?P<i>{NUM})个?(?:{items}))?",
        alternation(&p.section_units)
    ))?;
    let item_re = if p.item_cues.is_empty() {
        None
    } else {
        Some(compile(&format!(
            "(?:{})(?P<i>{NUM})个?(?:{items})",
            alternation(&p.item_cues)
        ))?)
    };
    let keyword = if p.keyword_nouns.is_empty() {
        None
    } else {
        Some(compile(&format!(
            "(?P<k>{NUM})(?:大|条|个|项)(?P<noun>{})",
            alternation(&p.keyword_nouns)
        ))?)
    };
    let list = if p.list_cues.is_empty() {
        None
    } else {
        let units: Vec<String> = p
            .section_units
            .iter()
            .chain(&p.item_units)
            .cloned()
            .collect();
        Some(compile(&format!(
            "(?:{})(?P<n>{NUM})(?:个|条)?(?:{})",
            alternation(&p.list_cues),
            alternation(&units)
        ))?)
    };
    Ok(Box::new(CountClaim {
        section,
        items: item_re,
        keyword,
        list,
    }))
}

/// A number of the claim: value, normalised range, written in Arabic digits.
fn number(m: Option<regex::Match<'_>>) -> Option<(u32, Range<usize>, bool)> {
    let m = m?;
    let v = count_value(m.as_str())?;
    Some((
        v,
        m.range(),
        m.as_str().starts_with(|c: char| c.is_ascii_digit()),
    ))
}

fn render(v: u32, arabic: bool) -> String {
    if arabic {
        v.to_string()
    } else {
        cn_string(v)
    }
}

impl Check for CountClaim {
    fn check(&self, doc: &Document, meta: &RuleMeta, out: &mut Findings) {
        let st = doc.structure();
        let norm = doc.normalized.as_str();
        for g in &st.segments {
            let hs = &st.headings[g.headings.clone()];
            let Some(top) = hs.iter().map(|h| h.level()).min() else {
                continue;
            };
            let tops: Vec<_> = hs.iter().filter(|h| h.level() == top).collect();
            let second = hs.iter().map(|h| h.level()).filter(|&l| l > top).min();
            let n_sections = tops.len() as u32;
            let n_items = second.map(|l| hs.iter().filter(|h| h.level() == l).count() as u32);
            let first_top = tops.first().map_or(g.lines.end, |h| h.line());
            let from = g.title.as_ref().map_or(g.lines.start, |t| t.line + 1);
            if let Some(re) = &self.list {
                self.section_lists(doc, meta, re, g.headings.clone(), g.lines.end, out);
            }
            let mut noun_counts: std::collections::HashMap<&str, u32> = Default::default();
            for li in from..first_top {
                let Some(l) = st.lines.get(li) else { continue };
                let line = &norm[l.norm()];
                if line.is_empty() {
                    continue;
                }
                let base = l.norm().start;
                let mut claimed: Vec<Range<usize>> = Vec::new();
                for c in self.section.captures_iter(line) {
                    let Some(whole) = c.get(0) else { continue };
                    if line[whole.end()..].starts_with('目') {
                        continue; // 项目
                    }
                    claimed.push(whole.range());
                    let s = number(c.name("s"));
                    let i = number(c.name("i"));
                    let mut edits = Vec::new();
                    let mut wrong = false;
                    if let Some((v, r, arabic)) = &s {
                        if *v != n_sections {
                            wrong = true;
                            edits.push((r.clone(), render(n_sections, *arabic)));
                        }
                    }
                    if let (Some((v, r, arabic)), Some(actual)) = (&i, n_items) {
                        if *v != actual {
                            wrong = true;
                            edits.push((r.clone(), render(actual, *arabic)));
                        }
                    }
                    if wrong {
                        let actual = match (i.is_some(), n_items) {
                            (true, Some(ni)) => format!("正文为{n_sections}个部分、{ni}项"),
                            _ => format!("正文为{n_sections}个部分"),
                        };
                        self.report(doc, meta, base, whole.range(), &edits, &actual, out);
                    }
                }
                if let Some(re) = &self.items {
                    // both in text order: skip the claims that end before this match
                    let mut claims = claimed.iter().peekable();
                    for c in re.captures_iter(line) {
                        let Some(whole) = c.get(0) else { continue };
                        while claims.next_if(|r| r.end <= whole.start()).is_some() {}
                        if claims.peek().is_some_and(|r| r.start < whole.end())
                            || line[whole.end()..].starts_with('目')
                        {
                            continue;
                        }
                        let Some((v, r, arabic)) = number(c.name("i")) else {
                            continue;
                        };
                        if v == n_sections || Some(v) == n_items {
                            continue;
                        }
                        let actual_n = n_items.unwrap_or(n_sections);
                        let actual = format!("正文为{actual_n}项");
                        let edits = vec![(r, render(actual_n, arabic))];
                        self.report(doc, meta, base, whole.range(), &edits, &actual, out);
                    }
                }
                if let Some(re) = &self.keyword {
                    for c in re.captures_iter(line) {
                        let (Some(whole), Some(noun)) = (c.get(0), c.name("noun")) else {
                            continue;
                        };
                        let Some((v, r, arabic)) = number(c.name("k")) else {
                            continue;
                        };
                        // counted once per noun and segment (not once per claim)
                        let count = *noun_counts.entry(noun.as_str()).or_insert_with(|| {
                            tops.iter()
                                .filter(|h| {
                                    doc.text
                                        .get(h.line_span())
                                        .is_some_and(|t| t.contains(noun.as_str()))
                                })
                                .count() as u32
                        });
                        if count == 0 || count == v {
                            continue;
                        }
                        let actual = format!("正文中含「{}」的部分有{count}个", noun.as_str());
                        let edits = vec![(r, render(count, arabic))];
                        self.report(doc, meta, base, whole.range(), &edits, &actual, out);
                    }
                }
            }
        }
    }
}

impl CountClaim {
    /// Claims in a heading's line or its intro lines (up to the next heading) that end in
    /// ：, against the number of headings whose parent is that heading.
    fn section_lists(
        &self,
        doc: &Document,
        meta: &RuleMeta,
        re: &Regex,
        headings: Range<usize>,
        segment_end: usize,
        out: &mut Findings,
    ) {
        let st = doc.structure();
        let norm = doc.normalized.as_str();
        // children per heading, counted in one pass (not a scan of the rest per heading)
        let mut children_of = vec![0u32; headings.len()];
        for c in &st.headings[headings.clone()] {
            if let Some(p) = c.parent().and_then(|p| p.checked_sub(headings.start)) {
                if let Some(n) = children_of.get_mut(p) {
                    *n += 1;
                }
            }
        }
        for hi in headings.clone() {
            let h = &st.headings[hi];
            let children = children_of[hi - headings.start];
            if children == 0 {
                continue;
            }
            let next_line = st
                .headings
                .get(hi + 1)
                .filter(|n| n.segment() == h.segment())
                .map_or(segment_end, |n| n.line());
            for li in h.line()..next_line.min(h.line() + 4) {
                let Some(l) = st.lines.get(li) else { continue };
                let line = &norm[l.norm()];
                if !(line.ends_with(':') || line.ends_with('：')) {
                    continue;
                }
                for c in re.captures_iter(line) {
                    let (Some(whole), Some((v, r, arabic))) = (c.get(0), number(c.name("n")))
                    else {
                        continue;
                    };
                    if v == children {
                        continue;
                    }
                    let actual = format!("下面列了{children}条");
                    let edits = vec![(r, render(children, arabic))];
                    self.report(
                        doc,
                        meta,
                        l.norm().start,
                        whole.range(),
                        &edits,
                        &actual,
                        out,
                    );
                }
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn report(
        &self,
        doc: &Document,
        meta: &RuleMeta,
        base: usize,
        whole: Range<usize>,
        edits: &[(Range<usize>, String)],
        actual: &str,
        out: &mut Findings,
    ) {
        let map = |r: &Range<usize>| {
            doc.normalized
                .to_original(&doc.text, base + r.start..base + r.end)
        };
        let span = map(&whole);
        let matched = doc.text.get(span.clone()).unwrap_or("");
        let fix = Fix {
            applicability: Applicability::Unsafe,
            message: actual.to_owned().into(),
            edits: edits
                .iter()
                .map(|(r, rep)| Edit {
                    range: map(r),
                    replacement: rep.clone().into(),
                })
                .collect(),
        };
        out.push(meta.diagnostic(span, matched, Some(actual), Some(fix)));
    }
}
