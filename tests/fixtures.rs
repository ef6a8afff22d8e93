//! Snapshot tests: the human report for every fixture document, as users read it.
//! Review changes with `cargo insta review`; never hand-edit a `.snap`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use gwlint::render::{human, Report};
use gwlint::{Document, RuleSet, Settings};
use std::path::Path;

fn report_for(path: &Path, rules: &RuleSet) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let name = format!("documents/{}", path.file_name().unwrap().to_string_lossy());
    let doc = Document::from_text(name, text);
    let diagnostics = gwlint::check(&doc, rules, &Settings::default());
    human::render(&Report {
        doc: &doc,
        diagnostics: &diagnostics,
    })
}

#[test]
fn document_reports() {
    let rules = RuleSet::builtin().unwrap();
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    insta::glob!(base, "documents/*.txt", |path| {
        insta::assert_snapshot!(report_for(path, &rules));
    });
}

#[test]
fn clean_draft_is_clean() {
    let rules = RuleSet::builtin().unwrap();
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/documents/clean-draft.txt");
    assert_eq!(
        report_for(&path, &rules),
        "",
        "the clean draft must raise nothing"
    );
}
