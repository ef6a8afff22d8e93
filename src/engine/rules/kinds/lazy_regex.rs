//! A pattern rule's regex, compiled when a line first needs it.
//!
//! Compiling the regexes of the built-in rules was most of what one `gwlint check` of a
//! small draft cost, and most of them never meet a line their prefilter lets through in a
//! given draft. A built-in rule's regexes are compiled by the test suite
//! (`rules::tests::every_builtin_regex_compiles`), so they may wait; a user's rule is
//! compiled as it loads, so that an error in one of its regexes shows then, with its file
//! and line, as before.

use super::pattern::{build_regex, CompileError};
use regex::Regex;
use std::sync::OnceLock;

pub struct LazyRegex {
    source: String,
    /// `^`/`$` at line ends (the patterns and exceptions) or at the text's ends (context).
    lines: bool,
    compiled: OnceLock<Option<Regex>>,
}

impl LazyRegex {
    /// The regex of `source`; compiled now unless `on_first_use`. `key` names the field in
    /// a compile error.
    pub fn new(
        key: &'static str,
        source: String,
        lines: bool,
        on_first_use: bool,
    ) -> Result<LazyRegex, CompileError> {
        let lazy = LazyRegex {
            source,
            lines,
            compiled: OnceLock::new(),
        };
        if !on_first_use {
            let regex = build_regex(key, &lazy.source, lines)?;
            let _ = lazy.compiled.set(Some(regex));
        }
        Ok(lazy)
    }

    /// The pattern as written.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The compiled regex (compiled by the first caller). `None` only for a regex that
    /// does not compile, which loading has ruled out for a rule not compiled at load.
    pub fn get(&self) -> Option<&Regex> {
        self.compiled
            .get_or_init(|| build_regex("patterns", &self.source, self.lines).ok())
            .as_ref()
    }
}
