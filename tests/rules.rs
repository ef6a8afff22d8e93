//! Runs every rule's embedded examples: a `bad` example fires that rule, a `good` one
//! does not, and `fixed` equals the text after applying the rule's fixes until stable.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use gwlint::fix::{apply_fixes, FixMode};
use gwlint::{Document, RuleSet, Settings};

fn only(id: &str) -> Settings {
    Settings {
        select: vec![id.to_owned()],
        ..Settings::default()
    }
}

#[test]
fn every_rule_example_behaves_as_documented() {
    let rules = RuleSet::builtin().unwrap();
    let mut failures = Vec::new();
    for rule in rules.rules() {
        let id = &rule.meta.id;
        let settings = only(id);
        for ex in &rule.meta.examples {
            if let Some(bad) = &ex.bad {
                let doc = Document::from_text("example.txt", bad.as_str());
                let diags = gwlint::check(&doc, &rules, &settings);
                if diags.is_empty() {
                    failures.push(format!("{id}: bad example not flagged: {bad:?}"));
                }
                if let Some(want) = &ex.fixed {
                    let mut text = bad.clone();
                    for _ in 0..10 {
                        let doc = Document::from_text("example.txt", text.as_str());
                        let diags = gwlint::check(&doc, &rules, &settings);
                        let (next, n) = apply_fixes(&text, &diags, FixMode::SafeAndUnsafe);
                        if n == 0 {
                            break;
                        }
                        text = next;
                    }
                    if &text != want {
                        failures.push(format!("{id}: fixing {bad:?} gave {text:?}, want {want:?}"));
                    }
                }
            }
            if let Some(good) = &ex.good {
                let doc = Document::from_text("example.txt", good.as_str());
                let diags = gwlint::check(&doc, &rules, &settings);
                if !diags.is_empty() {
                    failures.push(format!(
                        "{id}: good example flagged: {good:?}: {}",
                        diags[0].message
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
