//! Applying fixes to text. Pure: takes text and diagnostics, returns new text; no I/O,
//! no knowledge of the CLI (the language server uses the same functions).
//!
//! - [`apply_fixes_pass`]: one pass. Edits of different fixes that overlap are never
//!   applied together: the later fix waits for the next pass. Edits that are out of range,
//!   not on a character boundary, or that would split a `\r\n` pair are never applied.
//! - [`fix_until_stable`]: re-lint and apply passes until nothing changes, at most
//!   [`MAX_FIX_PASSES`] times; more is an error ([`NotConverged`]), not a silent stop.
//! - [`unified_diff`]: what `--diff` prints.

use crate::diagnostic::{Applicability, Diagnostic, Edit};
use std::collections::BTreeMap;

/// How many lint-and-fix passes [`fix_until_stable`] makes before giving up.
pub const MAX_FIX_PASSES: usize = 10;

/// Which fixes to apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FixMode {
    SafeOnly,
    SafeAndUnsafe,
}

impl FixMode {
    pub fn allows(self, a: Applicability) -> bool {
        a == Applicability::Safe || self == FixMode::SafeAndUnsafe
    }
}

/// The result of one pass: the new text and the edits that made it (sorted, disjoint,
/// as byte ranges into the text the pass started from).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixPass {
    pub text: String,
    pub edits: Vec<Edit>,
    /// Fixes applied, per rule id.
    pub per_rule: BTreeMap<String, usize>,
}

impl FixPass {
    pub fn fixes(&self) -> usize {
        self.per_rule.values().sum()
    }
}

/// Apply the fixes of `diagnostics` allowed by `mode`, skipping any fix whose edits
/// overlap an already accepted one. Returns the new text and how many fixes were applied.
pub fn apply_fixes(text: &str, diagnostics: &[Diagnostic], mode: FixMode) -> (String, usize) {
    let pass = apply_fixes_pass(text, diagnostics, mode);
    let n = pass.fixes();
    (pass.text, n)
}

/// One pass of [`apply_fixes`], with the applied edits and per-rule counts.
pub fn apply_fixes_pass(text: &str, diagnostics: &[Diagnostic], mode: FixMode) -> FixPass {
    let mut accepted: Vec<&Edit> = Vec::new();
    let mut per_rule: BTreeMap<String, usize> = BTreeMap::new();
    for d in diagnostics {
        let Some(fix) = &d.fix else { continue };
        if !mode.allows(fix.applicability) || fix.edits.is_empty() {
            continue;
        }
        let valid = fix.edits.iter().all(|e| edit_is_valid(text, e));
        // The edits of one fix must not overlap each other either.
        let self_clash = fix.edits.iter().enumerate().any(|(i, a)| {
            fix.edits[i + 1..]
                .iter()
                .any(|b| overlaps(&a.range, &b.range))
        });
        let clashes = fix
            .edits
            .iter()
            .any(|e| accepted.iter().any(|a| overlaps(&a.range, &e.range)));
        // A fix that changes nothing is not a fix (it would make passes look productive).
        let changes = fix
            .edits
            .iter()
            .any(|e| text.get(e.range.clone()) != Some(&*e.replacement));
        if !valid || self_clash || clashes || !changes {
            continue;
        }
        accepted.extend(fix.edits.iter());
        *per_rule.entry(d.rule.to_string()).or_default() += 1;
    }
    accepted.sort_by_key(|e| (e.range.start, e.range.end));
    FixPass {
        text: apply_edits(text, &accepted),
        edits: accepted.into_iter().cloned().collect(),
        per_rule,
    }
}

/// In range, on char boundaries, and not splitting a `\r\n` pair at either end.
pub fn edit_is_valid(text: &str, e: &Edit) -> bool {
    e.range.start <= e.range.end
        && e.range.end <= text.len()
        && text.is_char_boundary(e.range.start)
        && text.is_char_boundary(e.range.end)
        && !splits_crlf(text, e.range.start)
        && !splits_crlf(text, e.range.end)
}

/// `offset` lies between a `\r` and the `\n` after it.
pub fn splits_crlf(text: &str, offset: usize) -> bool {
    let b = text.as_bytes();
    offset > 0 && offset < b.len() && b[offset - 1] == b'\r' && b[offset] == b'\n'
}

/// Two ranges overlap, or are the same insertion point, or one is an insertion at the
/// other's start (the order of the two results would be ambiguous).
fn overlaps(a: &std::ops::Range<usize>, b: &std::ops::Range<usize>) -> bool {
    (a.start < b.end && b.start < a.end) || a.start == b.start
}

/// Apply sorted, non-overlapping edits.
pub fn apply_edits(text: &str, edits: &[&Edit]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for e in edits {
        if e.range.start < at {
            continue;
        }
        out.push_str(&text[at..e.range.start]);
        out.push_str(&e.replacement);
        at = e.range.end;
    }
    out.push_str(&text[at..]);
    out
}

/// What [`fix_until_stable`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixOutcome {
    pub text: String,
    /// Passes that changed the text.
    pub passes: usize,
    /// Fixes applied over all passes, per rule id.
    pub per_rule: BTreeMap<String, usize>,
}

impl FixOutcome {
    pub fn fixes(&self) -> usize {
        self.per_rule.values().sum()
    }
}

/// The fixes kept producing changes after [`MAX_FIX_PASSES`] passes (two fixes undoing
/// each other, or a fix whose result it flags again). Carries the rules still fixing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotConverged {
    pub passes: usize,
    pub rules: Vec<String>,
}

impl std::fmt::Display for NotConverged {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "修复了 {} 轮仍在变化（仍在改动的规则：{}），未写入任何内容",
            self.passes,
            self.rules.join(", ")
        )
    }
}

impl std::error::Error for NotConverged {}

/// Lint `text` with `lint`, apply the allowed fixes, and repeat until a pass changes
/// nothing. `lint` must be the same check that reports to the user (same rules, same
/// settings, same suppressions), so that what is fixed is what was shown.
pub fn fix_until_stable<F>(
    text: &str,
    mode: FixMode,
    mut lint: F,
) -> Result<FixOutcome, NotConverged>
where
    F: FnMut(&str) -> Vec<Diagnostic>,
{
    let mut current = text.to_owned();
    let mut per_rule: BTreeMap<String, usize> = BTreeMap::new();
    let mut passes = 0;
    loop {
        let diagnostics = lint(&current);
        let pass = apply_fixes_pass(&current, &diagnostics, mode);
        if pass.edits.is_empty() || pass.text == current {
            return Ok(FixOutcome {
                text: current,
                passes,
                per_rule,
            });
        }
        if passes == MAX_FIX_PASSES {
            return Err(NotConverged {
                passes,
                rules: pass.per_rule.into_keys().collect(),
            });
        }
        for (rule, n) in pass.per_rule {
            *per_rule.entry(rule).or_default() += n;
        }
        current = pass.text;
        passes += 1;
    }
}

/// A unified diff of `old` → `new` (3 lines of context), headed `--- a/PATH` / `+++ b/PATH`.
/// Empty when the texts are equal.
pub fn unified_diff(path: &str, old: &str, new: &str) -> String {
    if old == new {
        return String::new();
    }
    let diff = similar::TextDiff::from_lines(old, new);
    diff.unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Category, Fix, Severity};

    fn diag(rule: &str, range: std::ops::Range<usize>, replacement: &str) -> Diagnostic {
        Diagnostic {
            rule: rule.into(),
            category: Category::Other,
            severity: Severity::Warning,
            message: "".into(),
            span: range.clone(),
            fix: Some(Fix {
                applicability: Applicability::Safe,
                message: "".into(),
                edits: vec![Edit {
                    range,
                    replacement: replacement.into(),
                }],
            }),
        }
    }

    #[test]
    fn overlapping_fix_waits_for_next_pass() {
        let text = "abcdef";
        let d = vec![
            diag("a", 1..3, "X"),
            diag("b", 2..4, "Y"),
            diag("c", 4..5, "Z"),
        ];
        let pass = apply_fixes_pass(text, &d, FixMode::SafeOnly);
        assert_eq!(pass.text, "aXdZf");
        assert_eq!(pass.fixes(), 2);
    }

    #[test]
    fn never_splits_crlf() {
        let text = "甲\r\n乙";
        // deleting only the \n would leave a lone \r
        let d = vec![diag("a", 4..5, "")];
        assert_eq!(apply_fixes_pass(text, &d, FixMode::SafeOnly).text, text);
        // deleting the whole pair is fine
        let d = vec![diag("a", 3..5, "")];
        assert_eq!(apply_fixes_pass(text, &d, FixMode::SafeOnly).text, "甲乙");
    }

    #[test]
    fn rejects_bad_ranges_without_panicking() {
        let text = "甲乙";
        let d = vec![
            diag("a", 1..2, "x"),
            diag("b", 5..9, "y"),
            diag("c", 3..3, "z"),
        ];
        let pass = apply_fixes_pass(text, &d, FixMode::SafeOnly);
        assert_eq!(pass.text, "甲z乙");
    }

    #[test]
    fn loop_converges_and_detects_ping_pong() {
        // each pass replaces one 'a' with 'b'
        let lint = |t: &str| {
            t.find('a')
                .map(|i| vec![diag("ab", i..i + 1, "b")])
                .unwrap_or_default()
        };
        let out = fix_until_stable("aaa", FixMode::SafeOnly, lint).unwrap();
        assert_eq!((out.text.as_str(), out.passes, out.fixes()), ("bbb", 3, 3));
        // a fix that flips back and forth never converges
        let flip = |t: &str| {
            let r = if t == "x" { "y" } else { "x" };
            vec![diag("flip", 0..t.len(), r)]
        };
        let err = fix_until_stable("x", FixMode::SafeOnly, flip).unwrap_err();
        assert_eq!(err.passes, MAX_FIX_PASSES);
        assert_eq!(err.rules, vec!["flip".to_string()]);
    }

    #[test]
    fn diff_has_headers_and_hunks() {
        let d = unified_diff("草稿.txt", "一\n二\n", "一\n三\n");
        assert!(d.starts_with("--- a/草稿.txt\n+++ b/草稿.txt\n@@"), "{d}");
        assert!(d.contains("-二\n+三\n"), "{d}");
        assert_eq!(unified_diff("x", "same", "same"), "");
    }
}
