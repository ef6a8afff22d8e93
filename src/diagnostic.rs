//! What a rule reports: [`Diagnostic`] with an optional [`Fix`] made of [`Edit`]s.
//! Spans and edits are byte ranges into the original decoded text.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::ops::Range;

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
    Other,
}

impl Category {
    pub const ALL: [Category; 13] = [
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
    pub replacement: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Fix {
    pub applicability: Applicability,
    /// Short description shown as help, e.g. 「改为“〔2018〕”」.
    pub message: String,
    pub edits: Vec<Edit>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    pub rule: String,
    pub category: Category,
    pub severity: Severity,
    pub message: String,
    /// Byte range in the original decoded text.
    pub span: Range<usize>,
    pub fix: Option<Fix>,
}
