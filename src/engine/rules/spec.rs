//! The schema of a rule file (`rules/<category>/<id>.yaml`) and its validation.
//!
//! Parsing uses serde with `deny_unknown_fields`, so unknown keys, missing fields,
//! unknown categories and wrong types come back from serde_yaml with a line and
//! column. Checks serde cannot do (a regex that does not compile, keys that do not
//! belong to the rule's kind) are located by [`locate`] and reported the same way.

use crate::diagnostic::{Applicability, Category, Severity};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Regular expressions with exceptions and context conditions (`kinds/pattern.rs`).
    Pattern,
    /// Wrong → right literal pairs checked against word boundaries (`kinds/substitution.rs`).
    Substitution,
    /// Logic in Rust (`builtin/`), parameters in `params`.
    Builtin,
    /// Terms wrong for the document's date, from a terms file (`kinds/dated.rs`).
    Dated,
}

/// Which text a pattern is matched against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum View {
    /// The decoded text as it is.
    #[default]
    Original,
    /// Spaces removed, full-width ASCII folded (see `normalize.rs`).
    Normalized,
}

/// The unit a match may not cross, and that exceptions and context are looked for in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    #[default]
    Line,
    Paragraph,
    Document,
}

/// What a pattern diagnostic covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum SpanMode {
    /// The match (or its group `m`).
    #[default]
    Match,
    /// The whole line containing the match, without surrounding spaces. Lets a rule find a
    /// line by a literal phrase (fast: the regex prefilter applies) instead of `^.*(…).*$`.
    Line,
}

/// How a fix rewrites the diagnostic's span.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Transform {
    /// Remove the span; when nothing but spaces would be left on the line, remove the line.
    Delete,
    /// Half-width punctuation `, ; : ? ! ( )` in the span to full-width.
    FullwidthPunctuation,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FixSpec {
    /// Replacement template (`$name` / `${name}` expand capture groups); mutually
    /// exclusive with `transform`.
    #[serde(default)]
    pub replace: Option<String>,
    #[serde(default)]
    pub transform: Option<Transform>,
    pub applicability: Applicability,
    /// Help text; `{suggestion}` is replaced by the replacement.
    #[serde(default)]
    pub message: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    #[serde(default)]
    pub bad: Option<String>,
    #[serde(default)]
    pub good: Option<String>,
    /// For a `bad` example: the text after applying all its fixes (safe and unsafe).
    #[serde(default)]
    pub fixed: Option<String>,
    /// For a `bad` example: the text one of its findings underlines (its span).
    #[serde(default)]
    pub span: Option<String>,
    /// For a `bad` example: that finding's message, in full (with `span`: the finding
    /// with that span).
    #[serde(default)]
    pub message: Option<String>,
}

/// One rule file, as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleFile {
    pub id: String,
    pub title: String,
    pub category: Category,
    pub severity: Severity,
    pub kind: Kind,
    /// `{match}` is the matched text, `{suggestion}` the fix's replacement.
    pub message: String,
    pub docs: String,
    pub examples: Vec<Example>,
    #[serde(default)]
    pub fix: Option<FixSpec>,
    /// Layout labels of lines the rule does not report on (`table-row`, `name-list` …).
    #[serde(default)]
    pub skip_lines: Option<Vec<String>>,

    // kind: pattern
    #[serde(default)]
    pub view: Option<View>,
    #[serde(default)]
    pub scope: Option<Scope>,
    #[serde(default)]
    pub patterns: Option<Vec<String>>,
    #[serde(default)]
    pub exceptions: Option<Vec<String>>,
    #[serde(default)]
    pub span: Option<SpanMode>,
    #[serde(default)]
    pub preceded_by: Option<String>,
    #[serde(default)]
    pub followed_by: Option<String>,
    #[serde(default)]
    pub not_preceded_by: Option<String>,
    #[serde(default)]
    pub not_followed_by: Option<String>,
    /// The rule does not run on Markdown files (`.md`, `.markdown`), where what it looks
    /// for is the markup itself (`**`, `##`).
    #[serde(default)]
    pub skip_markdown: Option<bool>,

    // kind: substitution
    #[serde(default)]
    pub swap: Option<BTreeMap<String, String>>,
    #[serde(default)]
    pub swap_file: Option<String>,

    // kind: builtin
    #[serde(default)]
    pub params: Option<serde_yaml::Value>,

    // kind: dated
    #[serde(default)]
    pub terms_file: Option<String>,
    #[serde(default)]
    pub wrong_when: Option<crate::rules::kinds::dated::WrongWhen>,
}

impl RuleFile {
    /// The keys that are set but belong to another kind, with the kind they belong to.
    pub fn foreign_keys(&self) -> Vec<&'static str> {
        let pattern_keys = [
            ("view", self.view.is_some()),
            ("scope", self.scope.is_some()),
            ("patterns", self.patterns.is_some()),
            ("exceptions", self.exceptions.is_some()),
            ("span", self.span.is_some()),
            ("preceded_by", self.preceded_by.is_some()),
            ("followed_by", self.followed_by.is_some()),
            ("not_preceded_by", self.not_preceded_by.is_some()),
            ("not_followed_by", self.not_followed_by.is_some()),
            ("skip_markdown", self.skip_markdown.is_some()),
        ];
        let substitution_keys = [
            ("swap", self.swap.is_some()),
            ("swap_file", self.swap_file.is_some()),
        ];
        let builtin_keys = [("params", self.params.is_some())];
        let dated_keys = [
            ("terms_file", self.terms_file.is_some()),
            ("wrong_when", self.wrong_when.is_some()),
        ];
        let mut out = Vec::new();
        let mut check = |keys: &[(&'static str, bool)], allowed: bool| {
            if !allowed {
                out.extend(keys.iter().filter(|(_, set)| *set).map(|(k, _)| *k));
            }
        };
        check(&pattern_keys, self.kind == Kind::Pattern);
        check(&substitution_keys, self.kind == Kind::Substitution);
        check(&builtin_keys, self.kind == Kind::Builtin);
        check(&dated_keys, self.kind == Kind::Dated);
        out
    }
}

/// An error in a rule file (or config file), with its 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecError {
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
    /// The file's text, for rendering a snippet; empty when unavailable.
    pub source: String,
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.path, self.line, self.column, self.message
        )
    }
}

impl std::error::Error for SpecError {}

impl SpecError {
    pub fn from_yaml(path: &str, source: &str, err: &serde_yaml::Error) -> SpecError {
        let (line, column) = err
            .location()
            .map(|l| (l.line(), l.column()))
            .unwrap_or((1, 1));
        // serde_yaml appends " at line X column Y" to the message; drop it, we print our own.
        let mut message = err.to_string();
        if let Some(cut) = message.find(" at line ") {
            message.truncate(cut);
        }
        SpecError {
            path: path.to_owned(),
            line,
            column,
            message,
            source: source.to_owned(),
        }
    }

    pub fn at(
        path: &str,
        source: &str,
        (line, column): (usize, usize),
        message: String,
    ) -> SpecError {
        SpecError {
            path: path.to_owned(),
            line,
            column,
            message,
            source: source.to_owned(),
        }
    }

    /// Byte offset of the error position in `source`.
    pub fn offset(&self) -> usize {
        let mut offset = 0;
        for (i, line) in self.source.split_inclusive('\n').enumerate() {
            if i + 1 == self.line {
                let col: usize = line
                    .chars()
                    .take(self.column.saturating_sub(1))
                    .map(char::len_utf8)
                    .sum();
                return offset + col;
            }
            offset += line.len();
        }
        offset.min(self.source.len())
    }
}

/// Find where `needle` (a key's value, e.g. a regex) is written in the YAML source,
/// searching after the line of `key:`. Falls back to the key, then to 1:1.
/// Deepest flow nesting (`[` / `{`) accepted in a rule file; serde_yaml stops at 128 levels
/// of structure anyway, this leaves room for brackets inside quoted regexes.
pub const MAX_FLOW_DEPTH: usize = 256;

/// The (line, column) where flow brackets nest deeper than [`MAX_FLOW_DEPTH`], if they do.
///
/// libyaml's parser takes time quadratic in that depth: a hostile file of 100,000 `[`
/// runs for minutes before serde_yaml's recursion limit is reached, so it is refused
/// before parsing. Brackets are counted everywhere (also inside strings), which only
/// matters for a string with hundreds more `[` than `]`.
pub fn flow_nesting_too_deep(source: &str) -> Option<(usize, usize)> {
    let mut depth = 0usize;
    let (mut line, mut column) = (1, 0);
    for c in source.chars() {
        column += 1;
        match c {
            '\n' => (line, column) = (line + 1, 0),
            '[' | '{' => {
                depth += 1;
                if depth > MAX_FLOW_DEPTH {
                    return Some((line, column));
                }
            }
            ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// Parse YAML text with serde_yaml after the [`flow_nesting_too_deep`] guard; errors
/// point at file:line:col. Rule, config and ignore files all go through here.
pub fn from_yaml_guarded<T: serde::de::DeserializeOwned>(
    display: &str,
    source: &str,
) -> Result<T, SpecError> {
    if let Some(pos) = flow_nesting_too_deep(source) {
        return Err(SpecError::at(
            display,
            source,
            pos,
            format!("括号嵌套超过 {MAX_FLOW_DEPTH} 层"),
        ));
    }
    serde_yaml::from_str(source).map_err(|e| SpecError::from_yaml(display, source, &e))
}

pub fn locate(source: &str, key: &str, needle: Option<&str>) -> (usize, usize) {
    let key_line = source.lines().position(|l| {
        let t = l.trim_start();
        t.starts_with(key) && t[key.len()..].trim_start().starts_with(':')
    });
    if let Some(needle) = needle.filter(|n| !n.is_empty()) {
        let from = key_line.unwrap_or(0);
        for (i, line) in source.lines().enumerate().skip(from) {
            if let Some(byte) = line.find(needle) {
                return (i + 1, line[..byte].chars().count() + 1);
            }
        }
    }
    match key_line {
        Some(i) => {
            let line = source.lines().nth(i).unwrap_or("");
            let indent = line.chars().take_while(|c| c.is_whitespace()).count();
            (i + 1, indent + 1)
        }
        None => (1, 1),
    }
}
