//! gwlint: a linter for Chinese official-document drafts (公文).
//!
//! Data flow: bytes → [`source::decode`] → [`document::Document`] (original text, line
//! index, normalised view, structure) → [`rules::RuleSet::check`] → [`diagnostic::Diagnostic`]s
//! → rendered by [`render`] (CLI) or converted by the language server.
//!
//! Two halves: [`engine`] (text, document model, rules, diagnostics, fixes, suppression,
//! explain, render) does no file, terminal or process I/O, never panics on input and imports
//! nothing from [`app`] (tests/tidy.rs enforces it); [`app`] holds the shells (workspace
//! discovery, file loading and `.docx`, the CLI, the language server, the web page).
//! [`check`] is the one entry point the CLI and the server call.

#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

/// `eprintln!` that ignores a closed or failing stderr: `eprintln!` panics there (exit
/// 101), and a message nobody can read is no reason to fail.
macro_rules! stderr_line {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr().lock(), $($arg)*);
    }};
}

/// `eprint!` that ignores a closed or failing stderr (see `stderr_line!`).
macro_rules! stderr_text {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stderr().lock(), $($arg)*);
    }};
}

pub mod app;
pub mod engine;

// The modules under their old short names, so `crate::rules`, `gwlint::document`, … keep working.
pub use app::{cli, config, docx, load, lsp, serve};
pub use engine::{
    diagnostic, document, explain, fix, markdown, normalize, render, rules, segment, source,
    suppress,
};

pub use diagnostic::{Applicability, Category, Diagnostic, Edit, Findings, Fix, RuleId, Severity};
pub use document::Document;
pub use rules::{RuleSet, Settings};

/// Lint one document with the enabled rules of `rules`.
pub fn check(doc: &Document, rules: &RuleSet, settings: &Settings) -> Vec<Diagnostic> {
    rules.check(doc, settings)
}
