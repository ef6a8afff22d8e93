//! `count-claim-mismatch`: a stated count against the list it introduces, and nothing else.
//!
//! Four kinds of claim, each with its own list:
//! - in the paragraph before a document's outline: 「以下五方面16项」「三个方面」 against the
//!   top-level headings (and the items of the next level); 「四大行动」 against the
//!   top-level headings that contain the noun; a summary's closing sections (问题, 打算 …)
//!   are not among the sections its work claim counts;
//! - in a clause that ends with a colon: 「分三个阶段推进：」「包括以下三项内容：」 against the
//!   headings that follow it under the same parent, or the 一是…二是… that follow the colon;
//! - on a compilation's cover: 「（6篇）」 against the documents its 目录 lists (or, without
//!   one, the documents in the body).
//!
//! No fix: the count may be right and an item missing. The message says what was counted.

use crate::diagnostic::Findings;
use crate::document::numerals::count_value;
use crate::document::outline::Heading;
use crate::document::parts::Segment;
use crate::document::{Document, Structure};
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
    /// Classifiers and nouns of a count that ends in a colon (个, 项, 阶段 …).
    #[serde(default)]
    list_units: Vec<String>,
    /// Words in a top-level heading that make it not a work section of a summary (问题, 打算).
    #[serde(default)]
    closing_sections: Vec<String>,
    /// Nouns that count the documents of a compilation (篇, 个文件).
    #[serde(default)]
    document_units: Vec<String>,
}

pub struct CountClaim {
    section: Regex,
    items: Option<Regex>,
    keyword: Option<Regex>,
    list: Option<Regex>,
    documents: Option<Regex>,
    closing_sections: Vec<String>,
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
    let optional = |words: &[String], re: &dyn Fn(&str) -> String| {
        (!words.is_empty())
            .then(|| compile(&re(&alternation(words))))
            .transpose()
    };
    Ok(Box::new(CountClaim {
        section: compile(&format!(
            "(?P<s>{NUM})(?:个|大)?(?:{})(?:(?:共|的)?(?P<i>{NUM})个?(?:{items}))?",
            alternation(&p.section_units)
        ))?,
        items: optional(&p.item_cues, &|cues| {
            format!("(?:{cues})(?P<i>{NUM})个?(?:{items})")
        })?,
        keyword: optional(&p.keyword_nouns, &|nouns| {
            format!("(?P<k>{NUM})(?:大|条|个|项)(?P<noun>{nouns})")
        })?,
        list: optional(&p.list_units, &|units| format!("(?P<n>{NUM})(?:{units})"))?,
        documents: optional(&p.document_units, &|units| {
            format!("(?P<n>{NUM})(?:{units})")
        })?,
        closing_sections: p.closing_sections,
    }))
}

/// A number of a claim: its value, read from Chinese or Arabic numerals.
fn number(m: Option<regex::Match<'_>>) -> Option<u32> {
    count_value(m?.as_str())
}

/// One line of a document as the claims see it: normalised text and where it starts.
struct Line<'a> {
    index: usize,
    text: &'a str,
    base: usize,
}

impl Check for CountClaim {
    fn check(&self, doc: &Document, meta: &RuleMeta, out: &mut Findings) {
        let st = doc.structure();
        let norm = doc.normalized.as_str();
        let line = |i: usize| {
            st.lines.get(i).map(|l| Line {
                index: i,
                text: &norm[l.norm()],
                base: l.norm().start,
            })
        };
        let mut reported: Vec<Range<usize>> = Vec::new();
        let mut report = |span: Range<usize>, actual: String| {
            if reported
                .iter()
                .any(|r| r.start < span.end && span.start < r.end)
            {
                return;
            }
            reported.push(span.clone());
            let original = doc.normalized.to_original(&doc.text, span);
            let matched = doc.text.get(original.clone()).unwrap_or("");
            out.push(meta.diagnostic(original, matched, Some(&actual), None));
        };
        for (k, g) in st.segments.iter().enumerate() {
            self.compilation(&st, k, &line, &mut report);
            self.preamble(doc, &st, g, &line, &mut report);
            self.colon_lists(&st, g, &line, &mut report);
        }
    }
}

impl CountClaim {
    /// 「（6篇）」 on a compilation's cover against its 目录 or its documents.
    fn compilation<'a>(
        &self,
        st: &Structure,
        k: usize,
        line: &dyn Fn(usize) -> Option<Line<'a>>,
        report: &mut dyn FnMut(Range<usize>, String),
    ) {
        let (Some(re), Some(g)) = (&self.documents, st.segments.get(k)) else {
            return;
        };
        if g.doc_type.as_deref() != Some("汇编") {
            return;
        }
        let listed = st.toc.as_ref().map(|t| t.entries.len()).unwrap_or_else(|| {
            st.segments[k + 1..]
                .iter()
                .filter(|s| s.title.is_some() && s.attachment.is_none())
                .count()
        }) as u32;
        let cover_end = g.title_end + 3;
        for l in (g.lines.start..cover_end.min(g.lines.end)).filter_map(line) {
            for c in re.captures_iter(l.text) {
                let (Some(whole), Some(n)) = (c.get(0), number(c.name("n"))) else {
                    continue;
                };
                if listed > 0 && n != listed {
                    let what = if st.toc.is_some() {
                        "目录列出"
                    } else {
                        "正文收录"
                    };
                    report(
                        l.base + whole.start()..l.base + whole.end(),
                        format!("{what}{listed}篇"),
                    );
                }
            }
        }
    }

    /// A count in the clause before a colon, against the list that follows.
    fn colon_lists<'a>(
        &self,
        st: &Structure,
        g: &Segment,
        line: &dyn Fn(usize) -> Option<Line<'a>>,
        report: &mut dyn FnMut(Range<usize>, String),
    ) {
        let Some(re) = &self.list else { return };
        let hs = &st.headings[g.headings.clone()];
        // the preamble ends at the first heading of the top level (as in `preamble`)
        let top = hs.iter().map(Heading::level).min();
        let first_section = hs
            .iter()
            .find(|h| Some(h.level()) == top)
            .map_or(g.lines.end, Heading::line);
        let mut runs: Option<SiblingRuns> = None;
        let full_width_colon = memchr::memmem::FinderRev::new("：");
        for l in (g.body.start..g.body.end).filter_map(line) {
            // one byte search per colon (memchr's, vectorised) rather than one over both,
            // which decodes every character of every line
            let bytes = l.text.as_bytes();
            let full_width = full_width_colon.rfind(bytes);
            let Some(colon) = memchr::memrchr(b':', bytes).max(full_width) else {
                continue;
            };
            let clause_start = l.text[..colon]
                .rfind([',', '，', '。', ';', '；', ':', '：'])
                .map_or(0, |i| {
                    i + l.text[i..].chars().next().map_or(1, char::len_utf8)
                });
            let clause = &l.text[clause_start..colon];
            if l.index < first_section && self.section.is_match(clause) {
                continue; // 「以下四方面12项：」 before the outline: a preamble claim, compared there
            }
            // 「第二十六条」 is an ordinal, not a count
            let Some(c) = re
                .captures_iter(clause)
                .filter(|c| {
                    c.get(0)
                        .is_some_and(|m| !clause[..m.start()].ends_with('第'))
                })
                .last()
            else {
                continue;
            };
            let (Some(whole), Some(n)) = (c.get(0), number(c.name("n"))) else {
                continue;
            };
            let span = l.base + clause_start + whole.start()..l.base + clause_start + whole.end();
            let after = &l.text[colon..];
            let actual = if after.chars().count() > 4 {
                inline_count(st, l.index).map(|m| (m, format!("冒号后列了{m}条（一是…）")))
            } else {
                // 「以下16项」 may count the items under the listed sections
                let runs = runs.get_or_insert_with(|| SiblingRuns::new(hs, g.headings.start));
                following_headings(hs, runs, l.index).and_then(|(m, items, first, last)| {
                    (n != items).then(|| (m, format!("下面列了{m}条（{first}至{last}）")))
                })
            };
            if let Some((m, actual)) = actual {
                if m != n {
                    report(span, actual);
                }
            }
        }
    }

    /// Claims in the paragraph before a document's outline, against its sections and items.
    fn preamble<'a>(
        &self,
        doc: &Document,
        st: &Structure,
        g: &Segment,
        line: &dyn Fn(usize) -> Option<Line<'a>>,
        report: &mut dyn FnMut(Range<usize>, String),
    ) {
        let hs = &st.headings[g.headings.clone()];
        let Some(top) = hs.iter().map(Heading::level).min() else {
            return;
        };
        let tops: Vec<&Heading> = hs.iter().filter(|h| h.level() == top).collect();
        let second = hs.iter().map(Heading::level).filter(|&l| l > top).min();
        let n_sections = tops.len() as u32;
        // a summary's 存在的问题 / 下一步打算 are sections, but not of the work it counts
        let n_work = tops
            .iter()
            .filter(|h| {
                let t = doc.text.get(h.line_span()).unwrap_or("");
                !self.closing_sections.iter().any(|w| t.contains(w.as_str()))
            })
            .count() as u32;
        let items: Vec<&Heading> = second
            .map(|l| hs.iter().filter(|h| h.level() == l).collect())
            .unwrap_or_default();
        let n_items = second.map(|_| items.len() as u32);
        let first_top = tops.first().map_or(g.lines.end, |h| h.line());
        let from = g.title.as_ref().map_or(g.lines.start, |_| g.title_end + 1);
        for l in (from..first_top).filter_map(line) {
            let mut claimed: Vec<Range<usize>> = Vec::new();
            for c in self.section.captures_iter(l.text) {
                let Some(whole) = c.get(0) else { continue };
                if l.text[whole.end()..].starts_with('目') {
                    continue; // 项目
                }
                claimed.push(whole.range());
                let (s, i) = (number(c.name("s")), number(c.name("i")));
                let sections_ok = s.is_none_or(|v| v == n_sections || v == n_work);
                let items_ok = i.is_none_or(|v| n_items.is_none_or(|ni| v == ni));
                if !(sections_ok && items_ok) {
                    let mut actual = match (i.is_some(), n_items) {
                        (true, Some(ni)) => format!("正文为{n_sections}个部分、{ni}项"),
                        _ => format!("正文为{n_sections}个部分"),
                    };
                    match (sections_ok, s, i) {
                        (false, Some(v), _) => actual.push_str(&extent(doc, v, &tops, "个部分")),
                        (true, _, Some(v)) => actual.push_str(&extent(doc, v, &items, "项")),
                        _ => {}
                    }
                    report(l.base + whole.start()..l.base + whole.end(), actual);
                }
            }
            let listed = if second.is_some() { &items } else { &tops };
            self.item_claims(doc, &l, &claimed, n_sections, listed, report);
            self.keyword_claims(doc, &l, &tops, report);
        }
    }

    /// 「以下16项」 alone: either level may be meant.
    fn item_claims(
        &self,
        doc: &Document,
        l: &Line<'_>,
        claimed: &[Range<usize>],
        n_sections: u32,
        listed: &[&Heading],
        report: &mut dyn FnMut(Range<usize>, String),
    ) {
        let n_listed = listed.len() as u32;
        let Some(re) = &self.items else { return };
        for c in re.captures_iter(l.text) {
            let Some(whole) = c.get(0) else { continue };
            if claimed
                .iter()
                .any(|r| r.start < whole.end() && whole.start() < r.end)
                || l.text[whole.end()..].starts_with('目')
            {
                continue;
            }
            let Some(v) = number(c.name("i")) else {
                continue;
            };
            if v == n_sections || v == n_listed {
                continue;
            }
            let actual = format!("正文为{n_listed}项{}", extent(doc, v, listed, "项"));
            report(l.base + whole.start()..l.base + whole.end(), actual);
        }
    }

    /// 「四大行动」: the top-level headings that contain 行动.
    fn keyword_claims(
        &self,
        doc: &Document,
        l: &Line<'_>,
        tops: &[&Heading],
        report: &mut dyn FnMut(Range<usize>, String),
    ) {
        let Some(re) = &self.keyword else { return };
        for c in re.captures_iter(l.text) {
            let (Some(whole), Some(noun)) = (c.get(0), c.name("noun")) else {
                continue;
            };
            let Some(v) = number(c.name("k")) else {
                continue;
            };
            let count = tops
                .iter()
                .filter(|h| {
                    doc.text
                        .get(h.line_span())
                        .is_some_and(|t| t.contains(noun.as_str()))
                })
                .count() as u32;
            if count == 0 || count == v {
                continue;
            }
            let actual = format!("正文中含「{}」的部分有{count}个", noun.as_str());
            report(l.base + whole.start()..l.base + whole.end(), actual);
        }
    }
}

/// Where the listed headings part from the number claimed: 「，到「（十一）…」为止，比所说的少1项」
/// when some are missing, 「，比所说的多1项，从「（十一）…」起超出」 when there are more.
fn extent(doc: &Document, claimed: u32, listed: &[&Heading], unit: &str) -> String {
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
            "{end}，比所说的少{}{unit}（是漏了内容，还是数目写错了？）",
            claimed - actual
        )
    } else {
        let surplus = listed
            .get(claimed as usize)
            .map_or(String::new(), |h| format!("，从「{}」起超出", quote(h)));
        format!(
            "，比所说的多{}{unit}{surplus}（是多列了，还是数目写错了？）",
            actual - claimed
        )
    }
}

/// For each heading of a segment, the sibling group it starts: how many siblings (same
/// parent and level) follow from it, how many headings sit directly under those siblings,
/// and the last sibling. Built in one pass from the end, so looking up the list a claim
/// introduces costs nothing however many claims and headings there are.
struct SiblingRuns {
    count: Vec<u32>,
    children: Vec<u32>,
    last: Vec<usize>,
}

impl SiblingRuns {
    fn new(hs: &[Heading], first_index: usize) -> SiblingRuns {
        let n = hs.len();
        let mut direct = vec![0u32; n];
        for h in hs {
            if let Some(p) = h.parent().and_then(|p| p.checked_sub(first_index)) {
                if let Some(c) = direct.get_mut(p) {
                    *c += 1;
                }
            }
        }
        let (mut count, mut children, mut last) =
            (vec![1u32; n], direct.clone(), (0..n).collect::<Vec<_>>());
        let mut next_of: std::collections::HashMap<(Option<usize>, u8), usize> = Default::default();
        for i in (0..n).rev() {
            let key = (hs[i].parent(), hs[i].level());
            if let Some(&j) = next_of.get(&key) {
                count[i] = count[j] + 1;
                children[i] = direct[i] + children[j];
                last[i] = last[j];
            }
            // a heading of a smaller level ends the sibling groups below it
            next_of.retain(|&(_, l), _| l < hs[i].level());
            next_of.insert(key, i);
        }
        SiblingRuns {
            count,
            children,
            last,
        }
    }
}

/// The headings a line introduces: the sibling group of the first heading after it.
/// Returns their number, the number of headings directly under them, and the first and
/// last marker.
fn following_headings(
    hs: &[Heading],
    runs: &SiblingRuns,
    after_line: usize,
) -> Option<(u32, u32, String, String)> {
    let at = hs.partition_point(|h| h.line() <= after_line);
    let first = hs.get(at)?;
    let last = hs.get(*runs.last.get(at)?)?;
    Some((
        runs.count[at],
        runs.children[at],
        first.marker(),
        last.marker(),
    ))
}

/// The first 一是…二是… enumeration on line `line`: its length.
fn inline_count(st: &Structure, line: usize) -> Option<u32> {
    let items: Vec<u32> = st
        .inline_items
        .iter()
        .filter(|it| it.line == line)
        .map(|it| it.number)
        .collect();
    let start = items.iter().position(|&n| n == 1)?;
    let run = items[start..]
        .iter()
        .skip(1)
        .take_while(|&&n| n != 1)
        .count();
    Some(run as u32 + 1)
}
