//! `kind: pattern` — regular expressions over the original or the normalised view.
//!
//! The `regex` crate runs in linear time but has no look-around, so a rule states its
//! context separately: `preceded_by` / `followed_by` (must match right before / after the
//! span) and `not_preceded_by` / `not_followed_by` (must not), each checked by an
//! anchored regex on at most [`CONTEXT_BYTES`] of the scope unit. `exceptions` cancel a
//! match when one of them matches text overlapping it in the same unit. A named group
//! `m` narrows the diagnostic's span to part of the match.
//!
//! The built-in rules search each line-local pattern only in the lines that the one pass
//! they share marks for it (`line_set.rs`); a user's rule searches the text itself.

use crate::diagnostic::{Edit, Findings, Fix};
use crate::document::{line_around, paragraph_around, Document};
use crate::rules::kinds::exceptions::ExceptionWindow;
use crate::rules::kinds::lazy_regex::LazyRegex;
use crate::rules::kinds::line_filter::{self, LineFilter};
use crate::rules::kinds::line_set::SharedLineSet;
use crate::rules::spec::{FixSpec, RuleFile, Scope, SpanMode, Transform, View};
use crate::rules::{fill_message, Check, RuleMeta};
use regex::{Captures, Regex, RegexBuilder};
use std::ops::Range;
use std::sync::Arc;

/// How far context conditions and exceptions look around a match.
pub const CONTEXT_BYTES: usize = 240;
/// Upper bound on a compiled regex (rule files from users are untrusted).
pub const REGEX_SIZE_LIMIT: usize = 1 << 20;
/// Cache for the lazy DFA: classes such as `\p{Han}` need many states; a small cache
/// makes the engine fall back to slower matching on long texts.
pub const DFA_CACHE_LIMIT: usize = 16 << 20;

pub struct PatternCheck {
    view: View,
    scope: Scope,
    span: SpanMode,
    patterns: Vec<LazyRegex>,
    /// For each pattern, its line prefilter when it has one ([`LineFilter`]).
    pattern_filters: Vec<Option<LineFilter>>,
    /// For each pattern, whether it is line-local (see `line_filter.rs`).
    pattern_local: Vec<bool>,
    /// The one pass over the lines this rule shares with others, when it has joined one.
    shared: Option<SharedPatterns>,
    exceptions: Vec<LazyRegex>,
    exception_filters: Vec<Option<LineFilter>>,
    preceded_by: Option<LazyRegex>,
    followed_by: Option<LazyRegex>,
    not_preceded_by: Option<LazyRegex>,
    not_followed_by: Option<LazyRegex>,
    skip_markdown: bool,
    fix: Option<FixSpec>,
    /// [`Check::is_line_local`], worked out from the scope, the fix and the regexes.
    line_local: bool,
}

/// Where a rule's patterns are in a [`SharedLineSet`].
struct SharedPatterns {
    set: Arc<SharedLineSet>,
    /// For each pattern, its index in the set of the rule's view (`None`: not in the set,
    /// searched alone).
    indices: Vec<Option<usize>>,
}

/// (key, text to point at, message)
pub type CompileError = (&'static str, Option<String>, String);

pub fn compile_regex(key: &'static str, source: &str) -> Result<Regex, CompileError> {
    build_regex(key, source, false)
}

/// Compile a regex; with `lines`, `^`/`$` match at line boundaries (CRLF-aware).
pub fn build_regex(key: &'static str, source: &str, lines: bool) -> Result<Regex, CompileError> {
    RegexBuilder::new(source)
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(DFA_CACHE_LIMIT)
        .multi_line(lines)
        .crlf(lines)
        .build()
        .map_err(|e| {
            let msg = match e {
                regex::Error::CompiledTooBig(limit) => {
                    format!("正则表达式太大（编译后超过 {limit} 字节）")
                }
                other => format!(
                    "invalid regex: {}",
                    other.to_string().lines().last().unwrap_or("")
                ),
            };
            (key, Some(source.to_owned()), msg)
        })
}

impl PatternCheck {
    /// The check of a pattern rule. With `on_first_use`, each regex is compiled when a check
    /// first needs it ([`LazyRegex`]: the built-in rules, whose regexes the tests compile);
    /// without, all are compiled now and the first error is returned.
    pub fn compile(file: &RuleFile, on_first_use: bool) -> Result<PatternCheck, CompileError> {
        let patterns = file.patterns.clone().unwrap_or_default();
        if patterns.is_empty() {
            return Err((
                "kind",
                None,
                "a pattern rule needs a non-empty `patterns` list".into(),
            ));
        }
        let compile_all =
            |key: &'static str, list: &[String]| -> Result<Vec<LazyRegex>, CompileError> {
                list.iter()
                    .map(|p| LazyRegex::new(key, p.clone(), true, on_first_use))
                    .collect()
            };
        let anchored = |key: &'static str,
                        p: &Option<String>,
                        prefix: bool|
         -> Result<Option<LazyRegex>, CompileError> {
            let Some(p) = p else {
                return Ok(None);
            };
            let wrapped = if prefix {
                format!("^(?:{p})")
            } else {
                format!("(?:{p})$")
            };
            // an error is reported on the rule's own text, not on the wrapped one
            LazyRegex::new(key, wrapped, false, on_first_use)
                .map_err(|wrapped_error| compile_regex(key, p).err().unwrap_or(wrapped_error))
                .map(Some)
        };
        let exceptions = file.exceptions.as_deref().unwrap_or(&[]);
        // each pattern parsed once: whether it is line-local, and its line prefilter
        let analysed = |list: &[String]| -> (Vec<bool>, Vec<Option<LineFilter>>) {
            list.iter().map(|p| line_filter::analyse(p)).unzip()
        };
        let (pattern_local, pattern_filters) = analysed(&patterns);
        let (exception_local, exception_filters) = analysed(exceptions);
        let patterns_local = pattern_local.iter().all(|&l| l);
        let exceptions_local = exception_local.iter().all(|&l| l);
        // a deletion takes the line break with a line it leaves blank, unless a context
        // condition keeps a character beside it; context conditions are searched within the
        // scope unit, so they need no other check
        let deletes_within_line = file
            .fix
            .as_ref()
            .is_none_or(|f| f.replace.is_some() || f.transform != Some(Transform::Delete))
            || [&file.preceded_by, &file.followed_by]
                .into_iter()
                .flatten()
                .any(|condition| is_one_non_space_character(condition));
        let line_local = file.scope.unwrap_or_default() == Scope::Line
            && deletes_within_line
            && patterns_local
            && exceptions_local;
        Ok(PatternCheck {
            view: file.view.unwrap_or_default(),
            span: file.span.unwrap_or_default(),
            scope: file.scope.unwrap_or_default(),
            patterns: compile_all("patterns", &patterns)?,
            pattern_filters,
            pattern_local,
            shared: None,
            exceptions: compile_all("exceptions", exceptions)?,
            exception_filters,
            preceded_by: anchored("preceded_by", &file.preceded_by, false)?,
            followed_by: anchored("followed_by", &file.followed_by, true)?,
            not_preceded_by: anchored("not_preceded_by", &file.not_preceded_by, false)?,
            not_followed_by: anchored("not_followed_by", &file.not_followed_by, true)?,
            skip_markdown: file.skip_markdown.unwrap_or(false),
            fix: file.fix.clone(),
            line_local,
        })
    }

    fn unit(&self, text: &str, span: &Range<usize>, cache: &mut UnitCache) -> Range<usize> {
        cache.get(span.start, || match self.scope {
            Scope::Line => line_around(text, span.start),
            Scope::Paragraph => paragraph_around(text, span.start),
            Scope::Document => 0..text.len(),
        })
    }

    fn context_ok(&self, text: &str, unit: &Range<usize>, span: &Range<usize>) -> bool {
        let before = &text[floor_boundary(
            text,
            span.start.saturating_sub(CONTEXT_BYTES).max(unit.start),
        )..span.start];
        let after = &text[span.end..ceil_boundary(text, (span.end + CONTEXT_BYTES).min(unit.end))];
        let ok = |re: &Option<LazyRegex>, hay: &str, want: bool| {
            re.as_ref()
                .and_then(LazyRegex::get)
                .is_none_or(|re| re.is_match(hay) == want)
        };
        ok(&self.preceded_by, before, true)
            && ok(&self.followed_by, after, true)
            && ok(&self.not_preceded_by, before, false)
            && ok(&self.not_followed_by, after, false)
    }

    fn make_fix(
        &self,
        doc: &Document,
        caps: &Captures<'_>,
        span: &Range<usize>,
        lines: &mut UnitCache,
    ) -> Option<(Fix, String)> {
        let spec = self.fix.as_ref()?;
        let original = &doc.text[span.clone()];
        let (range, replacement) = if let Some(template) = &spec.replace {
            let mut out = String::new();
            caps.expand(template, &mut out);
            (span.clone(), out)
        } else {
            match spec.transform? {
                Transform::Delete => {
                    let line = lines.get(span.start, || line_around(&doc.text, span.start));
                    (deletion_range_in(&doc.text, span, line), String::new())
                }
                Transform::FullwidthPunctuation => (span.clone(), fullwidth_punctuation(original)),
            }
        };
        if replacement == doc.text[range.clone()] {
            return None;
        }
        let message = spec
            .message
            .as_deref()
            .map(|m| fill_message(m, original, &replacement))
            .unwrap_or_else(|| {
                if replacement.is_empty() {
                    "删除".to_owned()
                } else {
                    format!("改为「{replacement}」")
                }
            });
        Some((
            Fix {
                applicability: spec.applicability,
                message: message.into(),
                edits: vec![Edit {
                    range,
                    replacement: replacement.clone().into(),
                }],
            },
            replacement,
        ))
    }
}

impl Check for PatternCheck {
    fn reads_structure(&self) -> bool {
        false
    }

    /// Its line-local patterns join the set; the others are still searched alone.
    fn join_line_set(&mut self, set: &Arc<SharedLineSet>) {
        let indices = self
            .patterns
            .iter()
            .zip(&self.pattern_local)
            .map(|(re, &local)| local.then(|| set.add(self.view, re.source())).flatten())
            .collect();
        self.shared = Some(SharedPatterns {
            set: set.clone(),
            indices,
        });
    }

    fn is_line_local(&self) -> bool {
        self.line_local
    }

    fn check(&self, doc: &Document, meta: &RuleMeta, out: &mut Findings) {
        if self.skip_markdown && crate::suppress::is_markdown(&doc.path) {
            return;
        }
        let text = match self.view {
            View::Original => doc.text.as_str(),
            View::Normalized => doc.normalized.as_str(),
        };
        let mut units = UnitCache::default();
        let mut exceptions = ExceptionWindow::new(&self.exceptions, &self.exception_filters, text);
        let mut lines = UnitCache::default();
        // `span: line` asks for the line of every match: looked up once per line, not once
        // per match (one long line with many matches was quadratic)
        let mut span_lines = UnitCache::default();
        let mut last_reported: Option<Range<usize>> = None;
        // the lines of each pattern in the set shared with other rules, when it is in one
        let shared = self
            .shared
            .as_ref()
            .and_then(|s| Some((s.set.hits(doc, self.view)?, &s.indices)));
        // The patterns' matches are merged in text order (longer first at the same start),
        // so a span that two patterns both match (「思想,强化」: a comma after and before a
        // Han character) is reported once, here, instead of twice and removed by the final
        // dedup (on a finding-dense 200 MB file those duplicates were a third of all
        // findings held in memory); and a span inside the one just reported (「VIP专享」
        // inside 「内容为VIP专享」) is not reported again.
        // each match carries what it reports (the `m` group by its index, else the whole
        // match), worked out once, not by name at every comparison of the merge
        let mut streams: Vec<_> = self
            .patterns
            .iter()
            .zip(&self.pattern_filters)
            .enumerate()
            .map(|(i, (re, filter))| {
                // the `m` group's index, once the regex is compiled (a match means it is)
                let m_group = std::cell::OnceCell::new();
                let in_set = shared.as_ref().and_then(|(hits, indices)| {
                    Some(hits.lines((*indices).get(i).copied().flatten()?))
                });
                match in_set {
                    Some(lines) => line_filter::captures_in_lines(re, lines, text),
                    None => line_filter::captures(re, filter.as_ref(), text),
                }
                .map(move |caps| {
                    let m_group = *m_group.get_or_init(|| {
                        re.get()
                            .and_then(|re| re.capture_names().position(|n| n == Some("m")))
                    });
                    let reported = m_group.and_then(|g| caps.get(g)).or_else(|| caps.get(0));
                    (reported.map(|m| m.range()), caps)
                })
                .peekable()
            })
            .collect();
        loop {
            let next = streams
                .iter_mut()
                .enumerate()
                .filter_map(|(i, s)| s.peek().map(|(r, _)| (merge_order(r.as_ref()), i)))
                .min();
            let Some((reported, caps)) = next.and_then(|(_, i)| streams.get_mut(i)?.next()) else {
                break;
            };
            let Some(m) = reported else {
                continue;
            };
            let mut span = m;
            if span.is_empty() {
                continue;
            }
            if self.span == SpanMode::Line {
                let line = span_lines.get(span.start, || line_around(text, span.start));
                span = trimmed(text, line);
            }
            let unit = self.unit(text, &span, &mut units);
            let whole = caps.get(0).map_or(span.clone(), |w| w.range());
            if whole.start < unit.start || whole.end > unit.end {
                continue;
            }
            if !self.context_ok(text, &unit, &span) {
                continue;
            }
            if exceptions.excepts(&unit, &span) {
                continue;
            }
            let original_span = match self.view {
                View::Original => span.clone(),
                View::Normalized => doc.normalized.to_original(&doc.text, span.clone()),
            };
            if last_reported
                .as_ref()
                .is_some_and(|r| r.start <= original_span.start && original_span.end <= r.end)
            {
                continue;
            }
            last_reported = Some(original_span.clone());

            let matched = &doc.text[original_span.clone()];
            let (fix, suggestion) = match self.make_fix(doc, &caps, &original_span, &mut lines) {
                Some((fix, s)) => (Some(fix), Some(s)),
                None => (None, None),
            };
            out.push(meta.diagnostic(original_span, matched, suggestion.as_deref(), fix));
        }
    }
}

/// The order in which the patterns' matches are merged: by the start of what a match
/// reports (its `m` group, else the whole match), the longer first.
fn merge_order(reported: Option<&Range<usize>>) -> (usize, std::cmp::Reverse<usize>) {
    reported.map_or((usize::MAX, std::cmp::Reverse(0)), |m| {
        (m.start, std::cmp::Reverse(m.end))
    })
}

/// The last scope unit (line or paragraph) looked up. Matches come in text order and
/// usually share a unit, so a 10 MB line with thousands of matches is scanned once, not
/// once per match (which would be quadratic). A unit `start..end` is the answer for every
/// offset in `start..=end`, so reusing it never changes a result.
#[derive(Default)]
pub struct UnitCache(Option<Range<usize>>);

impl UnitCache {
    pub fn get(&mut self, offset: usize, find: impl FnOnce() -> Range<usize>) -> Range<usize> {
        match &self.0 {
            Some(r) if r.start <= offset && offset <= r.end => r.clone(),
            _ => {
                let r = find();
                self.0 = Some(r.clone());
                r
            }
        }
    }
}

/// The range to delete for `span`: the span itself, or the whole line with its line
/// break when nothing but spaces would remain on the line.
pub fn deletion_range(text: &str, span: &Range<usize>) -> Range<usize> {
    deletion_range_in(text, span, line_around(text, span.start))
}

/// [`deletion_range`] with the line around `span.start` already known.
pub fn deletion_range_in(text: &str, span: &Range<usize>, line: Range<usize>) -> Range<usize> {
    let rest_blank = text[line.start..span.start]
        .chars()
        .all(crate::normalize::is_removed_space)
        && text[span.end.min(line.end)..line.end]
            .chars()
            .all(crate::normalize::is_removed_space);
    if rest_blank && span.end <= line.end {
        line.start..crate::document::after_line_break(text, line.end)
    } else {
        span.clone()
    }
}

/// Whether a context condition matches exactly one character, never a space or a line
/// break (a character class or a one-character literal without one). A `preceded_by` or
/// `followed_by` of that kind keeps a character beside the match on its line, so deleting
/// the match never leaves the line blank ([`deletion_range_in`]).
fn is_one_non_space_character(condition: &str) -> bool {
    use regex_syntax::hir::{Class, HirKind};
    let Ok(hir) = regex_syntax::parse(condition) else {
        return false;
    };
    match hir.kind() {
        HirKind::Class(Class::Unicode(class)) => {
            !class.ranges().is_empty()
                && class.ranges().iter().all(|r| {
                    !SPACE_CHARACTERS
                        .iter()
                        .any(|&c| r.start() <= c && c <= r.end())
                })
        }
        HirKind::Literal(literal) => std::str::from_utf8(&literal.0)
            .is_ok_and(|s| s.chars().count() == 1 && !s.contains(SPACE_CHARACTERS)),
        _ => false,
    }
}

/// Every character [`crate::normalize::is_removed_space`] accepts, and the line break.
const SPACE_CHARACTERS: [char; 17] = [
    '\n', '\t', '\r', ' ', '\u{A0}', '\u{2002}', '\u{2003}', '\u{2004}', '\u{2005}', '\u{2006}',
    '\u{2007}', '\u{2008}', '\u{2009}', '\u{200A}', '\u{200B}', '\u{3000}', '\u{FEFF}',
];

/// The line `line` (a range of `text`), without leading and trailing spaces.
fn trimmed(text: &str, line: Range<usize>) -> Range<usize> {
    let body = &text[line.clone()];
    let start = line.start
        + (body.len()
            - body
                .trim_start_matches(crate::normalize::is_removed_space)
                .len());
    let end = line.start
        + body
            .trim_end_matches(crate::normalize::is_removed_space)
            .len();
    start..end.max(start)
}

/// `, ; : ? ! ( )` to their full-width forms; everything else unchanged.
pub fn fullwidth_punctuation(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            ',' | ';' | ':' | '?' | '!' | '(' | ')' => crate::normalize::to_fullwidth(c),
            _ => c,
        })
        .collect()
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_boundary(text: &str, mut i: usize) -> usize {
    while i < text.len() && !text.is_char_boundary(i) {
        i += 1;
    }
    i.min(text.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn space_characters_are_the_removed_spaces_and_the_line_break() {
        let spaces: Vec<char> = (0..=0x10FFFF_u32)
            .filter_map(char::from_u32)
            .filter(|&c| c == '\n' || crate::normalize::is_removed_space(c))
            .collect();
        let mut listed = SPACE_CHARACTERS.to_vec();
        listed.sort();
        assert_eq!(spaces, listed);
    }

    #[test]
    fn one_non_space_character_is_a_class_or_literal_without_spaces() {
        for yes in [
            r"[\p{Han}0-9０-９〕\]]",
            "年",
            "[a-z]",
            r"[^\s\x{200B}\x{FEFF}]",
        ] {
            assert!(is_one_non_space_character(yes), "{yes}");
        }
        for no in [
            r"[\p{Han} ]",
            r"\s",
            "[^a]",
            ".",
            "年度",
            "",
            r"[\p{Han}　]",
            "(?:年)?",
            "年*",
            // U+200B and U+FEFF are not white space to \s, but are removed as spaces
            r"[^\s]",
        ] {
            assert!(!is_one_non_space_character(no), "{no}");
        }
    }
}
