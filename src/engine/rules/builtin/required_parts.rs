//! `missing-required-part`: a contained document lacks a part its kind requires.
//!
//! The kinds are profiles in `params` (data, not code): each says when it applies (the
//! title's document type, whether the file has a red header) and which parts it requires.
//! Profiles are detected automatically per contained document; the config's `profile`
//! (notice / plan) selects the profiles of that `kind` for the main document, and
//! `params.profile` forces one by name. One diagnostic per document lists everything missing.

use crate::diagnostic::Findings;
use crate::document::parts::Segment;
use crate::document::{Document, Structure};
use crate::rules::{Check, RuleMeta};
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct When {
    /// The title ends with one of these document types.
    #[serde(default)]
    doc_types: Vec<String>,
    /// The file has a red header (发文机关标志 or 发文字号) and this is its main document.
    #[serde(default)]
    header: Option<bool>,
    /// The document has (true) or lacks (false) a 成文日期: `signed: true` limits a
    /// profile to finished documents, not fragments and drafts in progress.
    #[serde(default)]
    signed: Option<bool>,
    /// The document has (true) or lacks (false) a 署名 at its end.
    #[serde(default)]
    signature: Option<bool>,
    /// At least this many top-level headings (a plan, not a fragment of one).
    #[serde(default)]
    min_sections: usize,
    /// The title is (true) or is not (false) in the 公文 form 「…关于…的通知」: a title such
    /// as 「2019年度体能测评通知」 heads a notice to the public, which may have no 主送.
    #[serde(default)]
    title_about: Option<bool>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Profile {
    name: String,
    /// The config `profile` (notice, plan, compilation) this profile belongs to.
    #[serde(default)]
    kind: Option<String>,
    when: When,
    requires: Vec<String>,
    /// Required only when the file has a 版记 (a 拟稿 / 校对 line).
    #[serde(default)]
    with_colophon: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Params {
    /// `auto`, or the name of a profile to apply to the main document.
    #[serde(default)]
    profile: Option<String>,
    profiles: Vec<Profile>,
}

/// The parts a profile may require, with their Chinese names.
const PARTS: &[(&str, &str)] = &[
    ("agency-mark", "发文机关标志"),
    ("doc-number", "发文字号"),
    ("signer", "签发人"),
    ("title", "标题"),
    ("title-year", "标题中的年份"),
    ("addressee", "主送机关"),
    ("body", "正文"),
    ("preamble", "一、之前的导语段"),
    ("signature", "发文机关署名"),
    ("signing-date", "成文日期"),
    ("issue-line", "印发机关和印发日期"),
];

pub struct RequiredParts {
    forced: Option<String>,
    profiles: Vec<Profile>,
}

pub fn build(value: &serde_yaml::Value) -> Result<Box<dyn Check>, String> {
    let p: Params = super::params(value)?;
    for prof in &p.profiles {
        for part in prof.requires.iter().chain(&prof.with_colophon) {
            if !PARTS.iter().any(|(id, _)| id == part) {
                return Err(format!(
                    "profile `{}`: unknown part `{part}` (known: {})",
                    prof.name,
                    PARTS.iter().map(|p| p.0).collect::<Vec<_>>().join(", ")
                ));
            }
        }
    }
    let forced = p.profile.filter(|n| n != "auto");
    if let Some(name) = &forced {
        if !p.profiles.iter().any(|prof| &prof.name == name) {
            return Err(format!("params.profile `{name}` is not a defined profile"));
        }
    }
    Ok(Box::new(RequiredParts {
        forced,
        profiles: p.profiles,
    }))
}

/// Parts read at the end of a document; a finding about them points there.
const CLOSING_PARTS: &[&str] = &["signature", "signing-date", "issue-line"];

fn has(st: &Structure, g: &Segment, part: &str) -> bool {
    let h = &st.header;
    match part {
        "agency-mark" => h.agency_mark.is_some(),
        "doc-number" => g.doc_number.is_some(),
        "signer" => h.signer.is_some(),
        "title" => g.title.is_some(),
        "title-year" => g.plan_year.is_some(),
        "addressee" => g.addressee.is_some(),
        "body" => g.body_lines > 0 || !g.headings.is_empty(),
        "preamble" => g.preamble.is_some() || g.headings.is_empty(),
        "signature" => g.signature.is_some(),
        "signing-date" => g.signing_date.is_some(),
        "issue-line" => h.issue_line.is_some(),
        _ => true,
    }
}

impl Check for RequiredParts {
    fn check(&self, doc: &Document, meta: &RuleMeta, out: &mut Findings) {
        let st = doc.structure();
        let main = st.main_segment();
        let red_header = st.header.agency_mark.is_some() || st.header.doc_number.is_some();
        if main.is_none() && red_header {
            if let Some(p) = st
                .header
                .doc_number
                .as_ref()
                .map(|d| &d.part)
                .or(st.header.agency_mark.as_ref())
            {
                out.push(meta.diagnostic(
                    p.span.clone(),
                    &doc.text[p.span.clone()],
                    Some("标题"),
                    None,
                ));
            }
            return;
        }
        for (k, g) in st.segments.iter().enumerate() {
            if g.title.is_none() || g.attachment.is_some() {
                continue; // an attachment has only a title and a body
            }
            let is_main = Some(k) == main;
            // a document with a 版头 of its own: the main one under a red header, or any
            // contained document with its own 发文字号
            let headed = (is_main && red_header) || g.doc_number.is_some();
            let missing = self.missing_parts(doc, &st, g, is_main, headed);
            self.report(doc, &st, g, &missing, meta, out);
        }
    }
}

impl RequiredParts {
    /// The parts that the profiles applying to `g` require and it lacks, in profile order.
    fn missing_parts(
        &self,
        doc: &Document,
        st: &Structure,
        g: &Segment,
        is_main: bool,
        headed: bool,
    ) -> Vec<&'static str> {
        let configured = match doc.profile {
            crate::document::Profile::Auto => None,
            other => Some(other.as_str()),
        };
        let applies = |p: &Profile| {
            if is_main {
                if let Some(name) = &self.forced {
                    return &p.name == name;
                }
                if let Some(kind) = configured {
                    if p.kind.as_deref() != Some(kind) {
                        return false;
                    }
                    return p.when.header.is_none_or(|want| want == headed);
                }
            }
            let type_ok = p.when.doc_types.is_empty()
                || g.doc_type
                    .as_ref()
                    .is_some_and(|t| p.when.doc_types.contains(t));
            let sections = st.headings[g.headings.clone()]
                .iter()
                .filter(|h| h.is_section())
                .count();
            type_ok
                && p.when.header.is_none_or(|want| want == headed)
                && p.when
                    .signed
                    .is_none_or(|want| want == g.signing_date.is_some())
                && p.when
                    .signature
                    .is_none_or(|want| want == g.signature.is_some())
                && sections >= p.when.min_sections
                && p.when
                    .title_about
                    .is_none_or(|want| want == title_has_about(doc, g))
        };
        let mut missing: Vec<&'static str> = Vec::new();
        for prof in self.profiles.iter().filter(|p| applies(p)) {
            let colophon = if st.header.drafter.is_some() && is_main {
                prof.with_colophon.as_slice()
            } else {
                &[]
            };
            for part in prof.requires.iter().chain(colophon) {
                if !has(st, g, part) {
                    if let Some((id, _)) = PARTS.iter().find(|(id, _)| id == part) {
                        if !missing.contains(id) {
                            missing.push(id);
                        }
                    }
                }
            }
        }
        missing
    }

    /// One finding for the missing head parts (at the title) and one for the missing
    /// closing parts (at the 署名, else at the last line of the body, where they belong).
    fn report(
        &self,
        doc: &Document,
        st: &Structure,
        g: &Segment,
        missing: &[&str],
        meta: &RuleMeta,
        out: &mut Findings,
    ) {
        let name = |id: &&str| PARTS.iter().find(|(p, _)| p == id).map_or("", |p| p.1);
        let (closing, head): (Vec<&str>, Vec<&str>) =
            missing.iter().partition(|id| CLOSING_PARTS.contains(id));
        if let (false, Some(title)) = (head.is_empty(), &g.title) {
            let sugg = head.iter().map(name).collect::<Vec<_>>().join("、");
            out.push(meta.diagnostic(
                title.span.clone(),
                &doc.text[title.span.clone()],
                Some(&sugg),
                None,
            ));
        }
        if closing.is_empty() {
            return;
        }
        let anchor = g.signature.as_ref().map(|p| p.span.clone()).or_else(|| {
            (g.body.start..g.body.end)
                .rev()
                .find(|&i| st.kind(i).is_text())
                .map(|i| last_sentence(doc, &st.lines[i].range()))
        });
        if let Some(span) = anchor {
            let sugg = closing.iter().map(name).collect::<Vec<_>>().join("、");
            out.push(meta.diagnostic(span.clone(), &doc.text[span], Some(&sugg), None));
        }
    }
}

/// The last sentence of a line (where a missing 署名 would follow), without spaces.
fn last_sentence(doc: &Document, line: &std::ops::Range<usize>) -> std::ops::Range<usize> {
    let text = &doc.text[line.clone()];
    let body = text.trim_end();
    let inner = body.strip_suffix(['。', '！', '；']).unwrap_or(body);
    let start = inner.rfind(['。', '！', '；']).map_or_else(
        || text.len() - text.trim_start().len(),
        |i| i + '。'.len_utf8(),
    );
    line.start + start..line.start + body.len()
}

/// Whether the segment's title contains 「关于」 (发文机关 + 关于 + 事由 + 文种).
fn title_has_about(doc: &Document, g: &Segment) -> bool {
    g.title
        .as_ref()
        .and_then(|t| doc.text.get(t.span.clone()))
        .is_some_and(|t| t.contains("关于"))
}
