//! Applying fixes to text. Pure: takes text and diagnostics, returns new text.
//!
//! Edits of different fixes that overlap are never applied together: the later fix
//! waits for the next pass (callers re-lint and call again until nothing changes).

use crate::diagnostic::{Applicability, Diagnostic, Edit};

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

/// Apply the fixes of `diagnostics` allowed by `mode`, skipping any fix whose edits
/// overlap an already accepted one. Returns the new text and how many fixes were applied.
pub fn apply_fixes(text: &str, diagnostics: &[Diagnostic], mode: FixMode) -> (String, usize) {
    let mut accepted: Vec<&Edit> = Vec::new();
    let mut applied = 0;
    for fix in diagnostics.iter().filter_map(|d| d.fix.as_ref()) {
        if !mode.allows(fix.applicability) {
            continue;
        }
        let valid = fix.edits.iter().all(|e| {
            e.range.start <= e.range.end
                && e.range.end <= text.len()
                && text.is_char_boundary(e.range.start)
                && text.is_char_boundary(e.range.end)
        });
        let clashes = fix
            .edits
            .iter()
            .any(|e| accepted.iter().any(|a| overlaps(&a.range, &e.range)));
        if !valid || clashes {
            continue;
        }
        accepted.extend(fix.edits.iter());
        applied += 1;
    }
    accepted.sort_by_key(|e| (e.range.start, e.range.end));
    (apply_edits(text, &accepted), applied)
}

/// Two ranges overlap, or are the same insertion point.
fn overlaps(a: &std::ops::Range<usize>, b: &std::ops::Range<usize>) -> bool {
    (a.start < b.end && b.start < a.end) || (a.start == b.start)
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
