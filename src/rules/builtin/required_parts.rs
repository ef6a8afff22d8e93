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
    /// At least this many top-level headings (a plan, not a fragment of one).
    #[serde(default)]
    min_sections: usize,
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

fn has(st: &Structure, g: &Segment, part: &str) -> bool {
    let h = &st.header;
    match part {
        "agency-mark" => h.agency_mark.is_some(),
        "doc-number" => h.doc_number.is_some(),
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
        let red_header = st.header.agency_mark.is_some() || st.header.doc_number.is_some();
        let main = st.main_segment();
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
            let Some(title) = &g.title else { continue };
            if g.attachment.is_some() {
                continue; // an attachment has only a title and a body
            }
            let is_main = Some(k) == main;
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
                        return p.when.header.is_none_or(|want| want == red_header);
                    }
                }
                let type_ok = p.when.doc_types.is_empty()
                    || g.doc_type
                        .as_ref()
                        .is_some_and(|t| p.when.doc_types.contains(t));
                let header_ok = p
                    .when
                    .header
                    .is_none_or(|want| want == (is_main && red_header));
                let signed_ok = p
                    .when
                    .signed
                    .is_none_or(|want| want == g.signing_date.is_some());
                let sections = st.headings[g.headings.clone()]
                    .iter()
                    .filter(|h| h.is_section())
                    .count();
                type_ok && header_ok && signed_ok && sections >= p.when.min_sections
            };
            let mut missing: Vec<&str> = Vec::new();
            for prof in self.profiles.iter().filter(|p| applies(p)) {
                let colophon = if st.header.drafter.is_some() && is_main {
                    prof.with_colophon.as_slice()
                } else {
                    &[]
                };
                for part in prof.requires.iter().chain(colophon) {
                    if !has(&st, g, part) {
                        if let Some((_, name)) = PARTS.iter().find(|(id, _)| id == part) {
                            if !missing.contains(name) {
                                missing.push(name);
                            }
                        }
                    }
                }
            }
            if !missing.is_empty() {
                let sugg = missing.join("、");
                out.push(meta.diagnostic(
                    title.span.clone(),
                    &doc.text[title.span.clone()],
                    Some(&sugg),
                    None,
                ));
            }
        }
    }
}
