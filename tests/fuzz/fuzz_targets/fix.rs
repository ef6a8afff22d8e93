//! Fuzz fix application: lint any text, apply all fixes (safe and unsafe) pass by pass.
//! Never panics; the applied edits are sorted, disjoint, on char boundaries, never split
//! a CRLF, and the new text is exactly the old one with those edits spliced in (nothing
//! outside them changes). Also feeds arbitrary edits built from the input bytes.
#![no_main]

use gwlint::fix::{apply_fixes_pass, splits_crlf, FixMode};
use gwlint::{check, Applicability, Category, Diagnostic, Document, Edit, Fix, RuleSet};
use gwlint::{Settings, Severity};
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

static RULES: LazyLock<RuleSet> = LazyLock::new(|| RuleSet::builtin().expect("built-in rules"));

fn splice(text: &str, edits: &[Edit]) -> String {
    let mut out = text.to_owned();
    for e in edits.iter().rev() {
        out.replace_range(e.range.clone(), &e.replacement);
    }
    out
}

fn check_pass(text: &str, diags: &[Diagnostic]) -> String {
    let pass = apply_fixes_pass(text, diags, FixMode::SafeAndUnsafe);
    let mut prev_end = 0;
    for e in &pass.edits {
        assert!(e.range.start >= prev_end && e.range.start <= e.range.end);
        assert!(e.range.end <= text.len());
        assert!(text.is_char_boundary(e.range.start) && text.is_char_boundary(e.range.end));
        assert!(!splits_crlf(text, e.range.start) && !splits_crlf(text, e.range.end));
        prev_end = e.range.end;
    }
    assert_eq!(pass.text, splice(text, &pass.edits));
    pass.text
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // 1. the real rules, up to three passes
    let mut current = text.to_owned();
    for _ in 0..3 {
        let doc = Document::from_text("fuzz", current.clone());
        let diags = check(&doc, &RULES, &Settings::default());
        let next = check_pass(&current, &diags);
        if next == current {
            break;
        }
        current = next;
    }
    // 2. arbitrary (overlapping, out-of-range, mid-character) edits made from the bytes
    let edits: Vec<Diagnostic> = data
        .chunks(3)
        .map(|c| {
            let start = usize::from(c[0]) * text.len() / 255;
            let end = start + usize::from(*c.get(1).unwrap_or(&0) % 16);
            let replacement = if c.get(2).is_some_and(|b| b % 2 == 0) { "，" } else { "" };
            Diagnostic {
                rule: "fuzz".into(),
                category: Category::Other,
                severity: Severity::Warning,
                message: "".into(),
                span: start..end,
                fix: Some(Fix {
                    applicability: Applicability::Safe,
                    message: "".into(),
                    edits: vec![Edit { range: start..end, replacement: replacement.into() }],
                }),
            }
        })
        .collect();
    check_pass(text, &edits);
});
