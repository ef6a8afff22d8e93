//! gwlint: a linter for Chinese official-document drafts (公文).
//!
//! Data flow: bytes → [`source::decode`] → [`document::Document`] (original text, line
//! index, normalised view, structure) → [`rules::RuleSet::check`] → [`diagnostic::Diagnostic`]s
//! → rendered by [`render`] (CLI) or converted by the language server.
//!
//! The engine (`source`, `normalize`, `document`, `rules`, `segment`) does no I/O and
//! never panics on input. [`check`] is the one entry point the CLI and the server call.

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

pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod document;
pub mod docx;
pub mod fix;
pub mod load;
pub mod lsp;
pub mod markdown;
pub mod normalize;
pub mod render;
pub mod rules;
pub mod segment;
pub mod serve;
pub mod source;
pub mod suppress;

pub use diagnostic::{Applicability, Category, Diagnostic, Edit, Findings, Fix, RuleId, Severity};
pub use document::Document;
pub use rules::{RuleSet, Settings};

/// Lint one document with the enabled rules of `rules`.
pub fn check(doc: &Document, rules: &RuleSet, settings: &Settings) -> Vec<Diagnostic> {
    rules.check(doc, settings)
}
