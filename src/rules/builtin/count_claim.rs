//! `count-claim-mismatch`: a stated count (「以下五方面16项」「三个方面」「四大行动」「以下N项」)
//! in the paragraph before a document's outline, against the outline that follows.
//!
//! Sections are the headings of the top level, items those of the next level; a count of
//! items alone may mean either. A count of a noun (「四大行动」) is compared with the top-level
//! headings that contain that noun, and only when at least one does. The words are `params`.

use crate::diagnostic::Findings;
use crate::document::numerals::count_value;
use crate::document::outline::Heading;
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

/// The value of a number of the claim (Chinese or Arabic digits).
fn number(m: Option<regex::Match<'_>>) -> Option<u32> {
    count_value(m?.as_str())
}

/// How the headings listed differ from the number claimed: where the list ends when
/// items are missing, where the surplus starts when there are more.
fn difference(doc: &Document, claimed: u32, listed: &[&Heading], unit: &str) -> String {
    let actual = listed.len() as u32;
    let quote = |h: &Heading| {
        let text = doc.text.get(h.line_span()).unwrap_or("");
        match text.char_indices().nth(16) {
            Some((cut, _)) => format!("{}…", &text[..cut]),
            None => text.to_owned(),
        }
    };
    if claimed > actual {
        let end = listed
            .last()
            .map_or(String::new(), |h| format!("，到「{}」为止", quote(h)));
        format!(
            "正文只列了{actual}{unit}{end}，比所说的少{}{unit}（是漏了内容，还是数目写错了？）",
            claimed - actual
        )
    } else {
        let first_extra = listed.get(claimed as usize).map_or(String::new(), |h| {
            format!("，从「{}」起超出所说的数目", quote(h))
        });
        format!(
            "正文列了{actual}{unit}，比所说的多{}{unit}{first_extra}（是多列了，还是数目写错了？）",
            actual - claimed
        )
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
            let items: Vec<_> = second
                .map(|l| hs.iter().filter(|h| h.level() == l).collect())
                .unwrap_or_default();
            let n_items = second.map(|_| items.len() as u32);
            let first_top = tops.first().map_or(g.lines.end, |h| h.line());
            let from = g.title.as_ref().map_or(g.lines.start, |t| t.line + 1);
            if let Some(re) = &self.list {
                self.section_lists(doc, meta, re, g.headings.clone(), g.lines.end, out);
            }
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
                    let mut differences = Vec::new();
                    if let Some(v) = number(c.name("s")) {
                        if v != n_sections {
                            differences.push(difference(doc, v, &tops, "个部分"));
                        }
                    }
                    if let (Some(v), Some(actual)) = (number(c.name("i")), n_items) {
                        if v != actual {
                            differences.push(difference(doc, v, &items, "项"));
                        }
                    }
                    if !differences.is_empty() {
                        let actual = differences.join("；");
                        self.report(doc, meta, base, whole.range(), &actual, out);
                    }
                }
                if let Some(re) = &self.items {
                    for c in re.captures_iter(line) {
                        let Some(whole) = c.get(0) else { continue };
                        if claimed
                            .iter()
                            .any(|r| r.start < whole.end() && whole.start() < r.end)
                            || line[whole.end()..].starts_with('目')
                        {
                            continue;
                        }
                        let Some(v) = number(c.name("i")) else {
                            continue;
                        };
                        if v == n_sections || Some(v) == n_items {
                            continue;
                        }
                        let listed = if n_items.is_some() { &items } else { &tops };
                        let actual = difference(doc, v, listed, "项");
                        self.report(doc, meta, base, whole.range(), &actual, out);
                    }
                }
                if let Some(re) = &self.keyword {
                    for c in re.captures_iter(line) {
                        let (Some(whole), Some(noun)) = (c.get(0), c.name("noun")) else {
                            continue;
                        };
                        let Some(v) = number(c.name("k")) else {
                            continue;
                        };
                        let named: Vec<_> = tops
                            .iter()
                            .copied()
                            .filter(|h| {
                                doc.text
                                    .get(h.line_span())
                                    .is_some_and(|t| t.contains(noun.as_str()))
                            })
                            .collect();
                        let count = named.len() as u32;
                        if count == 0 || count == v {
                            continue;
                        }
                        let unit = format!("个含「{}」的部分", noun.as_str());
                        let actual = difference(doc, v, &named, &unit);
                        self.report(doc, meta, base, whole.range(), &actual, out);
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
        for hi in headings.clone() {
            let h = &st.headings[hi];
            let listed: Vec<_> = st.headings[hi + 1..headings.end]
                .iter()
                .filter(|c| c.parent() == Some(hi))
                .collect();
            let children = listed.len() as u32;
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
                    let (Some(whole), Some(v)) = (c.get(0), number(c.name("n"))) else {
                        continue;
                    };
                    if v == children {
                        continue;
                    }
                    let actual = difference(doc, v, &listed, "条");
                    self.report(doc, meta, l.norm().start, whole.range(), &actual, out);
                }
            }
        }
    }

    /// No fix: a count that disagrees with the text may be a wrong number or a missing
    /// (or extra) item, and only a person can tell; the message says where they differ.
    fn report(
        &self,
        doc: &Document,
        meta: &RuleMeta,
        base: usize,
        whole: Range<usize>,
        actual: &str,
        out: &mut Findings,
    ) {
        let span = doc
            .normalized
            .to_original(&doc.text, base + whole.start..base + whole.end);
        let matched = doc.text.get(span.clone()).unwrap_or("");
        out.push(meta.diagnostic(span, matched, Some(actual), None));
    }
}
