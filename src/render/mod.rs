//! Turning diagnostics into text for people (`human`) and programs (`json`).

pub mod human;
pub mod json;

use crate::diagnostic::Diagnostic;
use crate::document::Document;

/// One checked document with its diagnostics, as the renderers receive it.
pub struct Report<'a> {
    pub doc: &'a Document,
    pub diagnostics: &'a [Diagnostic],
}
