//! Turning diagnostics into text for people (`human`), programs (`json`, `jsonl`) and CI
//! (`sarif`, `github`, `junit`), plus `--statistics` counts (`statistics`).

pub mod github;
pub mod human;
pub mod json;
pub mod jsonl;
pub mod junit;
pub mod sarif;
pub mod statistics;

use crate::diagnostic::Diagnostic;
use crate::document::Document;

/// One checked document with its diagnostics, as the renderers receive it.
pub struct Report<'a> {
    pub doc: &'a Document,
    pub diagnostics: &'a [Diagnostic],
}
