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
    let mut taken = TakenRanges::default();
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
        let clashes = fix.edits.iter().any(|e| taken.clashes(&e.range));
        // A fix that changes nothing is not a fix (it would make passes look productive).
        let changes = fix
            .edits
            .iter()
            .any(|e| text.get(e.range.clone()) != Some(&*e.replacement));
        if !valid || self_clash || clashes || !changes {
            continue;
        }
        accepted.extend(fix.edits.iter());
        for e in &fix.edits {
            taken.insert(&e.range);
        }
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

/// The ranges of the edits accepted so far in a pass, by start (no two [`overlaps`], so
/// no two share a start): whether a new range clashes is two lookups, not a scan of
/// every accepted edit (200,000 fixes in one pass took 16 s).
#[derive(Default)]
struct TakenRanges(BTreeMap<usize, usize>);

impl TakenRanges {
    fn insert(&mut self, r: &std::ops::Range<usize>) {
        self.0.insert(r.start, r.end);
    }

    /// Whether `r` [`overlaps`] a taken range: one starting in `r` (or at its start),
    /// or the last one starting before it reaching past its start.
    fn clashes(&self, r: &std::ops::Range<usize>) -> bool {
        let starts_inside = self
            .0
            .range(r.start..r.end.max(r.start + 1))
            .next()
            .is_some();
        let before = self.0.range(..r.start).next_back();
        starts_inside || before.is_some_and(|(&s, &e)| overlaps(&(s..e), r))
    }
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

/// A changed stretch: `original` in the text fixing started from, `fixed` in the text
/// it ended with. Outside its changes the two texts are identical, gap for gap, so a
/// writer can keep the original bytes there ([`crate::source::splice`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub original: std::ops::Range<usize>,
    pub fixed: std::ops::Range<usize>,
}

/// The changes from the original text after `edits` (sorted, disjoint, as ranges in the
/// text that `changes` lead to) are applied on top of `changes`. Overlapping or touching
/// stretches become one change. Linear in the number of changes and edits.
pub fn compose(changes: &[Change], edits: &[Edit]) -> Vec<Change> {
    let (mut i, mut j) = (0, 0);
    // length differences (new − old) of the changes and edits before the current group
    let (mut changes_delta, mut edits_delta) = (0isize, 0isize);
    let mut out = Vec::with_capacity(changes.len() + edits.len());
    let grow = |r: &std::ops::Range<usize>, new_len: usize| new_len as isize - r.len() as isize;
    loop {
        let (start, mut end) = match (changes.get(i), edits.get(j)) {
            (None, None) => break,
            (Some(c), e) if e.is_none_or(|e| c.fixed.start <= e.range.start) => {
                (c.fixed.start, c.fixed.end)
            }
            (_, Some(e)) => (e.range.start, e.range.end),
            (Some(c), None) => (c.fixed.start, c.fixed.end),
        };
        let (mut group_changes, mut group_edits) = (0isize, 0isize);
        loop {
            if let Some(c) = changes.get(i).filter(|c| c.fixed.start <= end) {
                end = end.max(c.fixed.end);
                group_changes += grow(&c.original, c.fixed.len());
                i += 1;
            } else if let Some(e) = edits.get(j).filter(|e| e.range.start <= end) {
                end = end.max(e.range.end);
                group_edits += grow(&e.range, e.replacement.len());
                j += 1;
            } else {
                break;
            }
        }
        let at = |x: usize, d: isize| (x as isize + d) as usize;
        out.push(Change {
            original: at(start, -changes_delta)..at(end, -changes_delta - group_changes),
            fixed: at(start, edits_delta)..at(end, edits_delta + group_edits),
        });
        changes_delta += group_changes;
        edits_delta += group_edits;
    }
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
    /// Where the result differs from the input ([`compose`]d over the passes).
    pub changes: Vec<Change>,
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
            "fixes did not converge after {} passes (still changing: {}); nothing was written",
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
    let mut changes = Vec::new();
    let mut passes = 0;
    loop {
        let diagnostics = lint(&current);
        let pass = apply_fixes_pass(&current, &diagnostics, mode);
        if pass.edits.is_empty() || pass.text == current {
            return Ok(FixOutcome {
                text: current,
                passes,
                per_rule,
                changes,
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
        changes = compose(&changes, &pass.edits);
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
    fn composed_changes_map_the_original_onto_the_result() {
        let edit = |r: std::ops::Range<usize>, s: &str| Edit {
            range: r,
            replacement: s.into(),
        };
        // "abcdef" → "aXYcdef" → "aXZdef"
        let first = compose(&[], &[edit(1..2, "XY")]);
        assert_eq!(
            first,
            [Change {
                original: 1..2,
                fixed: 1..3
            }]
        );
        let second = compose(&first, &[edit(2..4, "Z"), edit(7..7, "!")]);
        assert_eq!(
            second,
            [
                Change {
                    original: 1..3,
                    fixed: 1..3
                },
                Change {
                    original: 6..6,
                    fixed: 6..7
                }
            ]
        );
        // the loop reports the same: "aaa" → "bbb" in three passes, one change each
        let lint = |t: &str| {
            t.find('a')
                .map(|i| vec![diag("ab", i..i + 1, "bb")])
                .unwrap_or_default()
        };
        let out = fix_until_stable("xaxaxa", FixMode::SafeOnly, lint).unwrap();
        assert_eq!(out.text, "xbbxbbxbb");
        let fixed: Vec<_> = out.changes.iter().map(|c| c.fixed.clone()).collect();
        let original: Vec<_> = out.changes.iter().map(|c| c.original.clone()).collect();
        assert_eq!(
            (original, fixed),
            (vec![1..2, 3..4, 5..6], vec![1..3, 4..6, 7..9])
        );
    }

    #[test]
    fn diff_has_headers_and_hunks() {
        let d = unified_diff("草稿.txt", "一\n二\n", "一\n三\n");
        assert!(d.starts_with("--- a/草稿.txt\n+++ b/草稿.txt\n@@"), "{d}");
        assert!(d.contains("-二\n+三\n"), "{d}");
        assert_eq!(unified_diff("x", "same", "same"), "");
    }
}
