//! `percent-sign-missing`: a number that is a ratio by its context but has no %.
//!
//! The contexts (不低于 N, 占…的 N, …率达到 N) are regexes in the rule's `params`, matched
//! on the normalised view (spaces removed, full-width digits folded), each with a group
//! `n` for the number. What follows the number decides: a percent sign or 个百分点 /
//! 成 (listed in `params.ratio_words`) means nothing is lost; a measure word or numeral
//! (jieba POS tag `q` or `m`, or one of `params.units`) means it is a count, not a ratio.

use crate::diagnostic::{Applicability, Edit, Findings, Fix};
use crate::document::Document;
use crate::rules::kinds::pattern::compile_regex;
use crate::rules::{Check, RuleMeta};
use regex::Regex;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Params {
    contexts: Vec<String>,
    #[serde(default)]
    ratio_words: Vec<String>,
    #[serde(default)]
    units: Vec<String>,
    #[serde(default)]
    max: Option<f64>,
}

pub struct PercentMissing {
    contexts: Vec<Regex>,
    ratio_words: Vec<String>,
    units: Vec<String>,
    max: f64,
}

pub fn build(value: &serde_yaml::Value) -> Result<Box<dyn Check>, String> {
    let p: Params = super::params(value)?;
    if p.contexts.is_empty() {
        return Err("params.contexts must list at least one regex".into());
    }
    let mut contexts = Vec::new();
    for c in &p.contexts {
        let re = compile_regex("params", c).map_err(|(_, _, m)| format!("{m} in `{c}`"))?;
        if !re.capture_names().any(|n| n == Some("n")) {
            return Err(format!(
                "context `{c}` needs a named group `n` for the number"
            ));
        }
        contexts.push(re);
    }
    Ok(Box::new(PercentMissing {
        contexts,
        ratio_words: p.ratio_words,
        units: p.units,
        max: p.max.unwrap_or(100.0),
    }))
}

/// The text after the number up to the next punctuation or line break (≤ 8 chars).
fn follower(rest: &str) -> &str {
    let mut end = 0;
    for (i, c) in rest.char_indices().take(8) {
        if !crate::normalize::is_letter_or_digit(c) {
            break;
        }
        end = i + c.len_utf8();
    }
    &rest[..end]
}

/// `12.9：56.9：30.2` — a ratio written with colons (比例), not a percentage.
fn is_ratio_notation(rest: &str) -> bool {
    let mut chars = rest.chars();
    matches!(chars.next(), Some(':' | '：' | '∶'))
        && chars.next().is_some_and(|c| c.is_ascii_digit())
}

impl PercentMissing {
    fn is_count_or_ratio(&self, rest: &str) -> bool {
        if self
            .ratio_words
            .iter()
            .any(|w| rest.starts_with(w.as_str()))
        {
            return true;
        }
        if is_ratio_notation(rest) {
            return true;
        }
        let next = follower(rest);
        if next.is_empty() {
            return false;
        }
        if next.starts_with(|c: char| c.is_ascii_alphanumeric()) {
            return true; // 80km, 5G, a longer number
        }
        if self.units.iter().any(|u| next.starts_with(u.as_str())) {
            return true;
        }
        crate::segment::tagged(next)
            .first()
            .is_some_and(|w| w.tag.starts_with('q') || w.tag.starts_with('m'))
    }
}

impl Check for PercentMissing {
    fn offers_fixes(&self) -> bool {
        true
    }

    fn reads_structure(&self) -> bool {
        false
    }

    fn check(&self, doc: &Document, meta: &RuleMeta, out: &mut Findings) {
        let text = doc.normalized.as_str();
        let mut seen = std::collections::HashSet::new();
        for re in &self.contexts {
            for caps in re.captures_iter(text) {
                let Some(n) = caps.name("n") else { continue };
                let value: f64 = n.as_str().parse().unwrap_or(f64::MAX);
                if value > self.max || !seen.insert(n.start()) {
                    continue;
                }
                if text[..n.start()].ends_with(|c: char| c.is_ascii_digit() || c == '.') {
                    continue;
                }
                if self.is_count_or_ratio(&text[n.end()..]) {
                    continue;
                }
                let span = doc.normalized.to_original(&doc.text, n.range());
                let number = &doc.text[span.clone()];
                let suggestion = format!("{number}%");
                let fix = Fix {
                    applicability: Applicability::Unsafe,
                    message: format!("在「{number}」后补上 %").into(),
                    edits: vec![Edit {
                        range: span.end..span.end,
                        replacement: "%".into(),
                    }],
                };
                out.push(meta.diagnostic(span, number, Some(&suggestion), Some(fix)));
            }
        }
    }
}
