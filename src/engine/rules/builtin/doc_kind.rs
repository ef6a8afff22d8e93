//! The 文种 (党政机关公文处理工作条例, 第八条 and 第十五条): one type per rule.
//! - `invalid-doc-kind`: a title that ends with a kind that does not exist (「请示报告」
//!   「申请报告」);
//! - `report-asks-for-approval`: a 报告 that asks for approval (报告不得夹带请示事项);
//! - `request-several-matters`: a 请示 that asks for more than one thing (一文一事);
//! - `request-without-closing`: a 请示 that does not end with its request (妥否，请批示);
//! - `letter-asks-for-instructions`: a 函 that ends 「请批示」, the wording of a 请示.
//!
//! Each reads the segments of the document model (title, kind, body lines) and the phrases in
//! its YAML `params`.

use crate::diagnostic::Findings;
use crate::document::parts::Segment;
use crate::document::{Document, Structure};
use crate::rules::kinds::pattern::compile_regex;
use crate::rules::{Check, RuleMeta};
use regex::Regex;
use serde::Deserialize;
use std::ops::Range;

fn regex_param(value: &serde_yaml::Value, key: &str) -> Result<Regex, String> {
    let re = value
        .get(key)
        .and_then(serde_yaml::Value::as_str)
        .ok_or_else(|| format!("params.{key} (a regex) is required"))?;
    compile_regex("params", re).map_err(|(_, _, m)| m)
}

/// The segments of a kind (the main title's kind, or a contained document's), not attachments.
fn of_kind<'s>(st: &'s Structure, kinds: &'s [&str]) -> impl Iterator<Item = &'s Segment> + 's {
    st.segments.iter().filter(move |g| {
        g.attachment.is_none() && g.doc_type.as_deref().is_some_and(|t| kinds.contains(&t))
    })
}

/// Matches of `re` in the body lines of `g` (normalised view), as original spans.
fn body_matches(
    doc: &Document,
    st: &Structure,
    g: &Segment,
    re: &Regex,
) -> Vec<(usize, Range<usize>)> {
    let norm = doc.normalized.as_str();
    let mut out = Vec::new();
    for i in g.body.clone() {
        if !st.kind(i).is_text() {
            continue;
        }
        let Some(l) = st.lines.get(i) else { continue };
        for m in re.find_iter(&norm[l.norm()]) {
            let r = l.norm().start + m.start()..l.norm().start + m.end();
            out.push((i, doc.normalized.to_original(&doc.text, r)));
        }
    }
    out
}

/// Where the text of line `l` starts (after its indentation).
fn line_content_start(doc: &Document, st: &Structure, l: usize) -> usize {
    st.lines.get(l).map_or(0, |info| {
        let r = info.range();
        let t = doc.text.get(r.clone()).unwrap_or("");
        r.start + (t.len() - t.trim_start().len())
    })
}

fn push(doc: &Document, meta: &RuleMeta, span: Range<usize>, sugg: &str, out: &mut Findings) {
    let matched = doc.text.get(span.clone()).unwrap_or("");
    out.push(meta.diagnostic(span, matched, Some(sugg), None));
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct InvalidParams {
    /// Title endings that are no 文种, with what to write instead.
    wrong: std::collections::BTreeMap<String, String>,
}

/// `invalid-doc-kind`.
pub struct InvalidDocKind {
    wrong: Vec<(String, String)>,
}

pub fn build_invalid(v: &serde_yaml::Value) -> Result<Box<dyn Check>, String> {
    let p: InvalidParams =
        serde_yaml::from_value(v.clone()).map_err(|e| format!("invalid params: {e}"))?;
    let mut wrong: Vec<(String, String)> = p.wrong.into_iter().collect();
    wrong.sort_by_key(|(w, _)| std::cmp::Reverse(w.chars().count()));
    Ok(Box::new(InvalidDocKind { wrong }))
}

impl Check for InvalidDocKind {
    fn check(&self, doc: &Document, meta: &RuleMeta, out: &mut Findings) {
        let st = doc.structure();
        for g in st.segments.iter().filter(|g| g.attachment.is_none()) {
            let Some(title) = &g.title else { continue };
            let text = doc.text.get(title.span.clone()).unwrap_or("");
            let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
            let bare = compact.trim_end_matches(['》', '”', ')', '）']);
            if let Some((w, right)) = self.wrong.iter().find(|(w, _)| bare.ends_with(w.as_str())) {
                let sugg = format!("「{w}」不是文种，应为{right}");
                push(doc, meta, title.span.clone(), &sugg, out);
            }
        }
    }
}

/// `report-asks-for-approval`: request phrases in a 报告.
pub struct ReportAsks {
    request: Regex,
    /// Titles already wrong as a kind (「申请报告」: `invalid-doc-kind` reports them).
    except_titles: Vec<String>,
}

pub fn build_report_asks(v: &serde_yaml::Value) -> Result<Box<dyn Check>, String> {
    let except_titles = v
        .get("except_titles")
        .and_then(serde_yaml::Value::as_sequence)
        .map(|s| {
            s.iter()
                .filter_map(|x| x.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    Ok(Box::new(ReportAsks {
        request: regex_param(v, "request")?,
        except_titles,
    }))
}

impl Check for ReportAsks {
    fn check(&self, doc: &Document, meta: &RuleMeta, out: &mut Findings) {
        let st = doc.structure();
        for g in of_kind(&st, &["报告"]) {
            let title = g
                .title
                .as_ref()
                .and_then(|t| doc.text.get(t.span.clone()))
                .unwrap_or("");
            if self
                .except_titles
                .iter()
                .any(|e| title.trim_end().ends_with(e.as_str()))
            {
                continue;
            }
            if let Some((_, span)) = body_matches(doc, &st, g, &self.request).into_iter().next() {
                push(
                    doc,
                    meta,
                    span,
                    "报告中不得夹带请示事项，需要批准的应另行请示",
                    out,
                );
            }
        }
    }
}

/// `request-several-matters`: two or more paragraphs of a 请示 each asking for approval.
pub struct SeveralMatters {
    request: Regex,
}

pub fn build_several_matters(v: &serde_yaml::Value) -> Result<Box<dyn Check>, String> {
    Ok(Box::new(SeveralMatters {
        request: regex_param(v, "request")?,
    }))
}

impl Check for SeveralMatters {
    fn check(&self, doc: &Document, meta: &RuleMeta, out: &mut Findings) {
        let st = doc.structure();
        for g in of_kind(&st, &["请示"]) {
            let found = body_matches(doc, &st, g, &self.request);
            // requests in different items of one list (（一）…（二）…): two matters; requests
            // in running paragraphs may all serve one
            let mut lines: Vec<usize> = found
                .iter()
                .map(|(l, _)| *l)
                .filter(|&l| {
                    st.kind(l) == crate::document::layout::LineKind::Heading
                        || st.inline_items.iter().any(|it| {
                            it.line == l && it.span.start == line_content_start(doc, &st, l)
                        })
                })
                .collect();
            lines.dedup();
            if lines.len() < 2 {
                continue;
            }
            // the second paragraph that asks: its whole line
            let Some(l) = st.lines.get(lines[1]) else {
                continue;
            };
            let r = l.range();
            let text = &doc.text[r.clone()];
            let lead = text.len() - text.trim_start().len();
            let span = r.start + lead..r.start + text.trim_end().len();
            let sugg = format!(
                "第{}行和第{}行各请求批准一件事，请示应一文一事",
                lines[0] + 1,
                lines[1] + 1
            );
            push(doc, meta, span, &sugg, out);
        }
    }
}

/// `request-without-closing`: a signed 请示 whose last paragraphs do not ask.
pub struct WithoutClosing {
    closing: Regex,
}

pub fn build_without_closing(v: &serde_yaml::Value) -> Result<Box<dyn Check>, String> {
    Ok(Box::new(WithoutClosing {
        closing: regex_param(v, "closing")?,
    }))
}

impl Check for WithoutClosing {
    fn check(&self, doc: &Document, meta: &RuleMeta, out: &mut Findings) {
        let st = doc.structure();
        let norm = doc.normalized.as_str();
        for g in of_kind(&st, &["请示"]) {
            // only a finished 请示 (signed), and one with a body to read
            if g.signing_date.is_none() || g.body_lines == 0 {
                continue;
            }
            let last_text: Vec<usize> = g
                .body
                .clone()
                .rev()
                .filter(|&i| st.kind(i).is_text())
                .take(3)
                .collect();
            let asks = last_text.iter().any(|&i| {
                st.lines
                    .get(i)
                    .is_some_and(|l| self.closing.is_match(&norm[l.norm()]))
            });
            if let (false, Some(title)) = (asks, &g.title) {
                push(
                    doc,
                    meta,
                    title.span.clone(),
                    "结尾没有「妥否，请批示」「请予批准」等请示语",
                    out,
                );
            }
        }
    }
}

/// `letter-asks-for-instructions`: 「请批示」 in a 函.
pub struct LetterAsks {
    instruction: Regex,
}

pub fn build_letter_asks(v: &serde_yaml::Value) -> Result<Box<dyn Check>, String> {
    Ok(Box::new(LetterAsks {
        instruction: regex_param(v, "instruction")?,
    }))
}

impl Check for LetterAsks {
    fn check(&self, doc: &Document, meta: &RuleMeta, out: &mut Findings) {
        let st = doc.structure();
        for g in of_kind(&st, &["函"]) {
            for (_, span) in body_matches(doc, &st, g, &self.instruction) {
                push(
                    doc,
                    meta,
                    span,
                    "函用于不相隶属机关之间，应以「请予函复」「特此函告」等结尾",
                    out,
                );
            }
        }
    }
}
