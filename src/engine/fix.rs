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

/// Lines of context around each change in [`unified_diff`].
const DIFF_CONTEXT: usize = 3;

/// A unified diff of `old` → `new` (3 lines of context), headed `--- a/PATH` / `+++ b/PATH`,
/// built from `changes` (where the two texts differ, as [`fix_until_stable`] reports
/// them): linear in the texts, where a general diff of two texts with many changes is
/// quadratic (100,000 changed lines took 53 s). Lines end at `\n`, as `patch` reads them.
/// Empty when the texts are equal.
pub fn unified_diff(path: &str, old: &str, new: &str, changes: &[Change]) -> String {
    if old == new {
        return String::new();
    }
    let (old_lines, new_lines) = (LineStarts::of(old), LineStarts::of(new));
    let regions = line_regions(
        &old_lines,
        &new_lines,
        &changed_stretches(old, new, changes),
    );
    let mut out = format!("--- a/{path}\n+++ b/{path}\n");
    let mut k = 0;
    while k < regions.len() {
        // regions up to 2 × context lines apart share a hunk
        let mut last = k;
        while regions
            .get(last + 1)
            .is_some_and(|r| r.0.start - regions[last].0.end <= 2 * DIFF_CONTEXT)
        {
            last += 1;
        }
        let before = regions[k].0.start.min(DIFF_CONTEXT);
        let after = (old_lines.count() - regions[last].0.end).min(DIFF_CONTEXT);
        let old_range = regions[k].0.start - before..regions[last].0.end + after;
        let new_range = regions[k].1.start - before..regions[last].1.end + after;
        out.push_str(&format!(
            "@@ -{} +{} @@\n",
            hunk_range(&old_range),
            hunk_range(&new_range)
        ));
        let mut at = old_range.start;
        for (o, n) in &regions[k..=last] {
            for line in at..o.start {
                push_line(&mut out, ' ', old_lines.line(old, line));
            }
            for line in o.clone() {
                push_line(&mut out, '-', old_lines.line(old, line));
            }
            for line in n.clone() {
                push_line(&mut out, '+', new_lines.line(new, line));
            }
            at = o.end;
        }
        for line in at..old_range.end {
            push_line(&mut out, ' ', old_lines.line(old, line));
        }
        k = last + 1;
    }
    out
}

type Stretch = (std::ops::Range<usize>, std::ops::Range<usize>);

/// The changed stretches widened to whole lines, (old bytes, new bytes), in order. Each
/// search for a line start or end begins where the one before it stopped, so many changes
/// on one long line cost one walk of it.
fn changed_stretches(old: &str, new: &str, changes: &[Change]) -> Vec<Stretch> {
    let mut stretches: Vec<Stretch> = Vec::new();
    // how far the text has been searched for line starts, and the start of the line there
    let (mut searched_to, mut line_start) = (0, 0);
    let mut next_line_end = LineEnd::new(old);
    for c in changes {
        if c.original.start < searched_to {
            // not in order, as no caller gives them: search again from the text's start
            (searched_to, line_start) = (0, 0);
        }
        if let Some(i) = old[searched_to..c.original.start].rfind('\n') {
            line_start = searched_to + i + 1;
        }
        searched_to = c.original.start;
        let start = line_start;
        match stretches.last_mut() {
            // on a line the stretch before already takes: it grows to this change's end
            Some(last) if start < last.0.end || (start == last.0.end && start > 0) => {
                let end = line_end(
                    old,
                    new,
                    c,
                    (last.0.start, last.1.start),
                    &mut next_line_end,
                );
                (last.0.end, last.1.end) = end;
            }
            _ => {
                // the text from the line start to the change is the same in both
                let new_start = c.fixed.start - (c.original.start - start);
                let (old_end, new_end) =
                    line_end(old, new, c, (start, new_start), &mut next_line_end);
                stretches.push((start..old_end, new_start..new_end));
            }
        }
    }
    stretches
}

/// The stretches as line ranges of the old and the new text, found by walking each line
/// index forward once.
fn line_regions(
    old_lines: &LineStarts,
    new_lines: &LineStarts,
    stretches: &[Stretch],
) -> Vec<Stretch> {
    let (mut old_at, mut new_at) = (LineCursor::default(), LineCursor::default());
    let (mut old_end, mut new_end) = (LineCursor::default(), LineCursor::default());
    stretches
        .iter()
        .map(|(o, n)| {
            (
                old_at.line_of(old_lines, o.start)..old_end.line_of_end(old_lines, o.end),
                new_at.line_of(new_lines, n.start)..new_end.line_of_end(new_lines, n.end),
            )
        })
        .collect()
}

/// The first `\n` at or after an offset, for offsets that only grow: a search begins
/// where the last one ended when the offset is still before the line end it found.
struct LineEnd<'t> {
    text: &'t str,
    /// the offset searched from and the end found (just past the `\n`, or the text's end)
    last: Option<(usize, usize)>,
}

impl<'t> LineEnd<'t> {
    fn new(text: &'t str) -> Self {
        LineEnd { text, last: None }
    }

    fn after(&mut self, from: usize) -> usize {
        if let Some((searched, end)) = self.last {
            if searched <= from && from < end {
                return end;
            }
        }
        let end = self.text[from..]
            .find('\n')
            .map_or(self.text.len(), |i| from + i + 1);
        self.last = Some((from, end));
        end
    }
}

/// Where the lines change `c` touches end, in `old` and in `new` (its stretch starts at
/// `starts`, old and new). The text after a change is the same in both texts, so a
/// line end after it is one in both at the same distance; when both sides already end
/// on a line boundary, no line after the change is involved.
fn line_end(
    old: &str,
    new: &str,
    c: &Change,
    (old_start, new_start): (usize, usize),
    next_line_end: &mut LineEnd,
) -> (usize, usize) {
    let at_boundary = |text: &str, end: usize, from: usize| {
        end == from || text.as_bytes().get(end.wrapping_sub(1)) == Some(&b'\n')
    };
    if at_boundary(old, c.original.end, old_start) && at_boundary(new, c.fixed.end, new_start) {
        return (c.original.end, c.fixed.end);
    }
    let end = next_line_end.after(c.original.end);
    (end, c.fixed.end + (end - c.original.end))
}

/// `start,count` of a hunk side (1-based; for an empty side the line before it).
fn hunk_range(lines: &std::ops::Range<usize>) -> String {
    let first = if lines.is_empty() {
        lines.start
    } else {
        lines.start + 1
    };
    format!("{first},{}", lines.len())
}

fn push_line(out: &mut String, mark: char, line: &str) {
    out.push(mark);
    out.push_str(line);
    if !line.ends_with('\n') {
        out.push_str("\n\\ No newline at end of file\n");
    }
}

/// Where the `\n`-ended lines of a text start.
struct LineStarts(Vec<usize>);

impl LineStarts {
    fn of(text: &str) -> LineStarts {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        if starts.last() == Some(&text.len()) && !text.is_empty() {
            starts.pop(); // no empty line after a final `\n`
        }
        if text.is_empty() {
            starts.clear();
        }
        starts.push(text.len());
        LineStarts(starts)
    }

    fn count(&self) -> usize {
        self.0.len() - 1
    }

    fn line<'t>(&self, text: &'t str, line: usize) -> &'t str {
        &text[self.0[line]..self.0[line + 1]]
    }
}

/// A position in a [`LineStarts`] for offsets that only grow: each lookup walks on from
/// the last, so a run of lookups in order is linear in the lines.
#[derive(Default)]
struct LineCursor(usize);

impl LineCursor {
    /// The line containing byte `offset` (a line start gives that line).
    fn line_of(&mut self, lines: &LineStarts, offset: usize) -> usize {
        self.walk(lines, |s| s <= offset)
            .saturating_sub(1)
            .min(lines.count())
    }

    /// The number of lines before byte `offset`, a line boundary.
    fn line_of_end(&mut self, lines: &LineStarts, offset: usize) -> usize {
        self.walk(lines, |s| s < offset).min(lines.count())
    }

    /// How many line starts from the first satisfy `before` (which holds for a prefix),
    /// walking on from where the last lookup stopped.
    fn walk(&mut self, lines: &LineStarts, before: impl Fn(usize) -> bool) -> usize {
        while lines.0.get(self.0).is_some_and(|&s| before(s)) {
            self.0 += 1;
        }
        self.0
    }
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
        let change = |o: std::ops::Range<usize>, f: std::ops::Range<usize>| Change {
            original: o,
            fixed: f,
        };
        let d = unified_diff("草稿.txt", "一\n二\n", "一\n三\n", &[change(4..7, 4..7)]);
        assert_eq!(
            d,
            "--- a/草稿.txt\n+++ b/草稿.txt\n@@ -1,2 +1,2 @@\n 一\n-二\n+三\n"
        );
        assert_eq!(unified_diff("x", "same", "same", &[]), "");
        // a deleted line, an inserted line break, a change in a last line without `\n`
        let old = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\nab";
        let new = "1\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\na\nb";
        let d = unified_diff("f", old, new, &[change(2..4, 2..2), change(27..27, 25..26)]);
        assert_eq!(
            d,
            "--- a/f\n+++ b/f\n@@ -1,5 +1,4 @@\n 1\n-2\n 3\n 4\n 5\n\
             @@ -10,4 +9,5 @@\n 10\n 11\n 12\n-ab\n\\ No newline at end of file\n+a\n+b\n\
             \\ No newline at end of file\n"
        );
        // three changes on one line and one on the next: one hunk, each line once
        let old = "x\na,b,c\nd,e\n";
        let new = "x\na，b，c。\nd，e\n";
        let changes = [
            change(3..4, 3..6),
            change(5..6, 7..10),
            change(7..7, 11..14),
            change(9..10, 16..19),
        ];
        assert_eq!(
            unified_diff("f", old, new, &changes),
            "--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n x\n-a,b,c\n-d,e\n+a，b，c。\n+d，e\n"
        );
    }
}
