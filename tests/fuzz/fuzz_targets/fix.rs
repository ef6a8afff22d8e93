//! Fuzz fix application: lint any text, apply all fixes (safe and unsafe), lint the result
//! again and apply once more. Never panics; text before the first and after the last
//! applied edit is unchanged.
#![no_main]

use gwlint::fix::{apply_fixes, FixMode};
use gwlint::{check, Document, RuleSet, Settings};
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

static RULES: LazyLock<RuleSet> = LazyLock::new(|| RuleSet::builtin().expect("built-in rules"));

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut current = text.to_owned();
    for _ in 0..2 {
        let doc = Document::from_text("fuzz", current.clone());
        let diags = check(&doc, &RULES, &Settings::default());
        let (fixed, applied) = apply_fixes(&current, &diags, FixMode::SafeAndUnsafe);
        if applied == 0 {
            assert_eq!(fixed, current);
            break;
        }
        let edits: Vec<_> = diags
            .iter()
            .filter_map(|d| d.fix.as_ref())
            .flat_map(|f| &f.edits)
            .collect();
        let first = edits.iter().map(|e| e.range.start).min().unwrap_or(0);
        let last = edits.iter().map(|e| e.range.end).max().unwrap_or(current.len());
        assert!(fixed.starts_with(&current[..first]));
        assert!(fixed.ends_with(&current[last..]));
        current = fixed;
    }
});
