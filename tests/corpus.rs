//! Recall against the proofreaders' gold marks in `../shared/corpus/dev` (skipped when the
//! folder is absent). A gold mark counts as found when a diagnostic of the same category
//! overlaps its text. Prints recall per category; asserts it where a rule set claims it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use gwlint::{Category, Document, RuleSet, Settings};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Categories whose every gold mark must be found (`other` is judgement, not asserted).
const FULL_RECALL: &[&str] = &[
    "ad-text",
    "placeholder",
    "typo",
    "punctuation",
    "date-consistency",
    "count-claim",
    "duplicate",
];
/// Categories with a floor below 100 % (samples of many occurrences, layout calls).
const MIN_RECALL: &[(&str, f64)] = &[("spacing", 0.8)];

fn corpus_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/dev");
    dir.join("gold.jsonl").is_file().then_some(dir)
}

#[test]
fn dev_corpus_recall_per_category() {
    let Some(dir) = corpus_dir() else {
        println!("SKIPPED: ../shared/corpus/dev not present");
        return;
    };
    let rules = RuleSet::builtin().unwrap();
    let settings = Settings::default();
    let gold = std::fs::read_to_string(dir.join("gold.jsonl")).unwrap();
    let mut docs: BTreeMap<String, (Document, Vec<gwlint::Diagnostic>)> = BTreeMap::new();
    let mut tally: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut missed = Vec::new();
    for line in gold.lines().filter(|l| !l.trim().is_empty()) {
        let g: serde_json::Value = serde_json::from_str(line).unwrap();
        let file = g["file"].as_str().unwrap().to_owned();
        let (doc, diags) = docs.entry(file.clone()).or_insert_with(|| {
            let bytes = std::fs::read(dir.join(&file)).unwrap();
            let d = gwlint::source::decode(&bytes, None).unwrap();
            let doc = Document::new(file.clone(), d.text, d.encoding);
            let diags = gwlint::check(&doc, &rules, &settings);
            (doc, diags)
        });
        let category = g["category"].as_str().unwrap().to_owned();
        let (line_no, col) = (
            g["line"].as_u64().unwrap() as usize,
            g["col"].as_u64().unwrap() as usize,
        );
        let text = g["text"].as_str().unwrap();
        let line_start = doc.lines.line_start(line_no - 1).unwrap();
        let start = line_start
            + doc.text[line_start..]
                .chars()
                .take(col - 1)
                .map(char::len_utf8)
                .sum::<usize>();
        let end = start + text.len();
        assert_eq!(
            &doc.text[start..end],
            text,
            "gold position of {text:?} in {file}"
        );
        let cat = Category::from_name(&category).unwrap();
        let hit = diags
            .iter()
            .any(|d| d.category == cat && d.span.start < end && start < d.span.end);
        let t = tally.entry(category.clone()).or_default();
        t.0 += 1;
        if hit {
            t.1 += 1;
        } else {
            missed.push(format!("{category:>16}  {file}:{line_no}:{col}  {text}"));
        }
    }
    println!("dev-corpus recall per category:");
    for (cat, (total, hits)) in &tally {
        println!(
            "  {cat:>16}: {hits}/{total} ({:.0}%)",
            100.0 * *hits as f64 / *total as f64
        );
    }
    println!("missed:\n{}", missed.join("\n"));
    for cat in FULL_RECALL {
        if let Some((total, hits)) = tally.get(*cat) {
            assert_eq!(
                hits,
                total,
                "{cat}: every gold mark must be found; missed:\n{}",
                missed.join("\n")
            );
        }
    }
    for (cat, floor) in MIN_RECALL {
        if let Some((total, hits)) = tally.get(*cat) {
            assert!(
                *hits as f64 / *total as f64 >= *floor,
                "{cat}: recall below {floor}"
            );
        }
    }
}

/// Structural claims of the issue on the dev corpus: the 2017 成文日期 of the taiji notice is
/// flagged against its [2018] number, title year (and the 2018 印发 date); the 五方面16项
/// claim is flagged; continuous 1–17 / 1–13 numbering raises no numbering diagnostic.
#[test]
fn dev_corpus_structure_findings() {
    let Some(dir) = corpus_dir() else {
        println!("SKIPPED: ../shared/corpus/dev not present");
        return;
    };
    let rules = RuleSet::builtin().unwrap();
    let run = |file: &str| {
        let bytes = std::fs::read(dir.join(file)).unwrap();
        let d = gwlint::source::decode(&bytes, None).unwrap();
        let doc = Document::new(file, d.text, d.encoding);
        let diags = gwlint::check(&doc, &rules, &Settings::default());
        diags
            .into_iter()
            .map(|d| {
                let line = doc.lines.position(&doc.text, d.span.start).line;
                (d.rule, d.category, line, doc.text[d.span].to_owned())
            })
            .collect::<Vec<_>>()
    };
    let taiji = run("taiji-2018-notice.txt");
    for rule in ["doc-number-year-mismatch", "plan-year-mismatch"] {
        assert!(
            taiji.iter().any(|d| d.0 == rule && d.2 == 18),
            "{rule} on the 2017 成文日期: {taiji:?}"
        );
    }
    let st_doc = {
        let bytes = std::fs::read(dir.join("taiji-2018-notice.txt")).unwrap();
        let d = gwlint::source::decode(&bytes, None).unwrap();
        Document::new("taiji", d.text, d.encoding)
    };
    let st = st_doc.structure();
    let (sign, issue) = (st.signing_date().unwrap(), st.issue_date().unwrap());
    assert!(
        sign.days().unwrap() + 365 < issue.days().unwrap(),
        "signed over a year before issue"
    );
    let company = run("company-2023-plan.txt");
    assert!(
        company
            .iter()
            .any(|d| d.0 == "count-claim-mismatch" && d.3.contains("16")),
        "{company:?}"
    );
    for file in ["wujin-2018-plan.txt", "taiji-2018-notice.txt"] {
        let numbering: Vec<_> = run(file)
            .into_iter()
            .filter(|d| d.1 == Category::Numbering)
            .collect();
        assert!(numbering.is_empty(), "{file}: {numbering:?}");
    }
}
