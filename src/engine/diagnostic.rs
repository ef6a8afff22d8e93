//! What a rule reports: [`Diagnostic`] with an optional [`Fix`] made of [`Edit`]s.
//! Spans and edits are byte ranges into the original decoded text.
//!
//! A finding-dense draft (text pasted from a PDF) has a finding every hundred bytes or so,
//! so a diagnostic is kept small: its strings are shared [`Text`]s, and [`Findings`] stores
//! each distinct message, fix description and replacement once per check (thousands of
//! 「半角逗号」 findings share one message).

use serde::{Deserialize, Serialize};
use std::fmt;
use std::ops::{Deref, Range};
use std::sync::Arc;

/// An immutable, cheaply cloned string: messages, fix descriptions, replacements.
pub type Text = Arc<str>;

/// A rule's id (`half-width-punctuation`), shared by the rule and all its diagnostics.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct RuleId(Text);

impl RuleId {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Deref for RuleId {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for RuleId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl std::borrow::Borrow<str> for RuleId {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl From<&str> for RuleId {
    fn from(id: &str) -> RuleId {
        RuleId(id.into())
    }
}

impl From<String> for RuleId {
    fn from(id: String) -> RuleId {
        RuleId(id.into())
    }
}

impl PartialEq<str> for RuleId {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<&str> for RuleId {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

impl PartialEq<String> for RuleId {
    fn eq(&self, other: &String) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<RuleId> for str {
    fn eq(&self, other: &RuleId) -> bool {
        self == &*other.0
    }
}

impl PartialEq<RuleId> for &str {
    fn eq(&self, other: &RuleId) -> bool {
        *self == &*other.0
    }
}

impl PartialEq<RuleId> for String {
    fn eq(&self, other: &RuleId) -> bool {
        **self == *other.0
    }
}

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl Serialize for RuleId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn from_name(name: &str) -> Option<Severity> {
        match name {
            "info" => Some(Severity::Info),
            "warning" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The defect categories (the same list the proofreaders' gold data uses).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    DateConsistency,
    Numbering,
    PercentMissing,
    AdText,
    Placeholder,
    RequiredSection,
    CountClaim,
    TocMismatch,
    Punctuation,
    Typo,
    Spacing,
    Duplicate,
    Era,
    DocKind,
    Attachment,
    Other,
}

impl Category {
    pub const ALL: [Category; 16] = [
        Category::DateConsistency,
        Category::Numbering,
        Category::PercentMissing,
        Category::AdText,
        Category::Placeholder,
        Category::RequiredSection,
        Category::CountClaim,
        Category::TocMismatch,
        Category::Punctuation,
        Category::Typo,
        Category::Spacing,
        Category::Duplicate,
        Category::Era,
        Category::DocKind,
        Category::Attachment,
        Category::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::DateConsistency => "date-consistency",
            Category::Numbering => "numbering",
            Category::PercentMissing => "percent-missing",
            Category::AdText => "ad-text",
            Category::Placeholder => "placeholder",
            Category::RequiredSection => "required-section",
            Category::CountClaim => "count-claim",
            Category::TocMismatch => "toc-mismatch",
            Category::Punctuation => "punctuation",
            Category::Typo => "typo",
            Category::Spacing => "spacing",
            Category::Duplicate => "duplicate",
            Category::Era => "era",
            Category::DocKind => "doc-kind",
            Category::Attachment => "attachment",
            Category::Other => "other",
        }
    }

    pub fn from_name(name: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.as_str() == name)
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether a fix may be applied without a person reading it (ruff's model).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// Keeps the meaning; applied by `--fix`.
    Safe,
    /// May change meaning; applied only with `--unsafe-fixes`.
    Unsafe,
}

impl Applicability {
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
        }
    }
}

/// Replace the bytes `range` of the original text with `replacement`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Edit {
    pub range: Range<usize>,
    pub replacement: Text,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Fix {
    pub applicability: Applicability,
    /// Short description shown as help, e.g. 「改为“〔2018〕”」.
    pub message: Text,
    pub edits: Vec<Edit>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    pub rule: RuleId,
    pub category: Category,
    pub severity: Severity,
    pub message: Text,
    /// Byte range in the original decoded text.
    pub span: Range<usize>,
    pub fix: Option<Fix>,
}

/// Where rules put their diagnostics during one check. Identical messages, fix
/// descriptions and replacements are stored once: a diagnostic then costs its fixed size
/// plus its edit list, not four string allocations.
#[derive(Debug, Default)]
pub struct Findings {
    list: Vec<Diagnostic>,
    texts: foldhash::HashSet<Text>,
}

impl Findings {
    pub fn new() -> Findings {
        Findings::default()
    }

    /// Add a diagnostic, sharing its strings with earlier identical ones.
    pub fn push(&mut self, mut d: Diagnostic) {
        d.message = self.intern(d.message);
        if let Some(fix) = &mut d.fix {
            fix.message = self.intern(std::mem::take(&mut fix.message));
            for e in &mut fix.edits {
                e.replacement = self.intern(std::mem::take(&mut e.replacement));
            }
        }
        self.list.push(d);
    }

    fn intern(&mut self, text: Text) -> Text {
        match self.texts.get(&text) {
            Some(shared) => shared.clone(),
            None => {
                self.texts.insert(text.clone());
                text
            }
        }
    }

    pub fn len(&self) -> usize {
        self.list.len()
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// Drop the diagnostics from index `len` on (a rule that panicked).
    pub fn truncate(&mut self, len: usize) {
        self.list.truncate(len);
    }

    /// Keep only the diagnostics from index `start` on for which `keep` holds.
    pub fn retain_since(&mut self, start: usize, keep: impl FnMut(&Diagnostic) -> bool) {
        if start < self.list.len() {
            let kept: Vec<Diagnostic> = self.list.drain(start..).filter(keep).collect();
            self.list.extend(kept);
        }
    }

    /// The diagnostics from index `start` on, to adjust (e.g. the configured severity).
    pub fn since(&mut self, start: usize) -> &mut [Diagnostic] {
        self.list.get_mut(start..).unwrap_or(&mut [])
    }

    pub fn as_slice(&self) -> &[Diagnostic] {
        &self.list
    }

    /// Move another check's diagnostics in (their strings stay shared among themselves).
    pub fn append(&mut self, other: Findings) {
        self.list.extend(other.list);
    }

    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.list
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(message: &str, replacement: &str, at: usize) -> Diagnostic {
        Diagnostic {
            rule: "half-width-punctuation".into(),
            category: Category::Punctuation,
            severity: Severity::Warning,
            message: message.into(),
            span: at..at + 1,
            fix: Some(Fix {
                applicability: Applicability::Safe,
                message: format!("改为“{replacement}”").into(),
                edits: vec![Edit {
                    range: at..at + 1,
                    replacement: replacement.into(),
                }],
            }),
        }
    }

    #[test]
    fn findings_store_identical_strings_once() {
        let mut out = Findings::new();
        out.push(finding("半角逗号", "，", 0));
        out.push(finding("半角逗号", "，", 9));
        out.push(finding("半角分号", "；", 20));
        let d = out.as_slice();
        assert_eq!(d.len(), 3);
        assert!(Arc::ptr_eq(&d[0].message, &d[1].message));
        assert!(!Arc::ptr_eq(&d[0].message, &d[2].message));
        let (f0, f1) = (d[0].fix.as_ref().unwrap(), d[1].fix.as_ref().unwrap());
        assert!(Arc::ptr_eq(&f0.message, &f1.message));
        assert!(Arc::ptr_eq(
            &f0.edits[0].replacement,
            &f1.edits[0].replacement
        ));
        // sharing never changes what a diagnostic says or where
        assert_eq!(d[1], finding("半角逗号", "，", 9));
        assert_eq!(&*d[2].message, "半角分号");
    }

    #[test]
    fn rule_ids_compare_with_strings_both_ways() {
        let id = RuleId::from("common-typo");
        let owned = String::from("common-typo");
        assert!(id == "common-typo");
        assert!("common-typo" == id);
        assert!(id == owned);
        assert!(owned == id);
        assert!(id != "common");
        assert_eq!(id.to_string(), "common-typo");
        assert_eq!(format!("{id:?}"), "\"common-typo\"");
        assert_eq!(serde_json::to_string(&id).unwrap(), "\"common-typo\"");
    }
}
