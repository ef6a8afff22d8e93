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
                if let Some(problem) = span_and_message(bad, &diags, ex) {
                    failures.push(format!("{id}: {bad:?}: {problem}"));
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

/// `fixable` (derived: a pattern's `fix`, a substitution, a builtin's `offers_fixes`) is
/// true exactly for the rules whose bad examples get a fix.
#[test]
fn fixable_matches_the_fixes_rules_offer() {
    let rules = RuleSet::builtin().unwrap();
    let mut failures = Vec::new();
    for rule in rules.rules() {
        let id = &rule.meta.id;
        let settings = only(id);
        let fixes = rule
            .meta
            .examples
            .iter()
            .filter_map(|ex| ex.bad.as_deref())
            .flat_map(|bad| {
                gwlint::check(&Document::from_text("example.txt", bad), &rules, &settings)
            })
            .filter(|d| d.fix.is_some())
            .count();
        if rule.meta.fixable != (fixes > 0) {
            failures.push(format!(
                "{id}: fixable={} but its bad examples get {fixes} fixes",
                rule.meta.fixable
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A `bad` example's `span` (the text a finding underlines) and `message` (that finding's
/// message): what is wrong, or `None`.
fn span_and_message(
    text: &str,
    diags: &[gwlint::Diagnostic],
    ex: &gwlint::rules::spec::Example,
) -> Option<String> {
    let underlined = |d: &gwlint::Diagnostic| text.get(d.span.clone()).unwrap_or("");
    let candidates: Vec<&gwlint::Diagnostic> = match &ex.span {
        Some(want) => diags.iter().filter(|d| underlined(d) == want).collect(),
        None => diags.iter().collect(),
    };
    if let (Some(want), true) = (&ex.span, candidates.is_empty()) {
        let got: Vec<&str> = diags.iter().map(underlined).collect();
        return Some(format!("no finding underlines {want:?} (got {got:?})"));
    }
    let want = ex.message.as_ref()?;
    if candidates.iter().any(|d| &*d.message == want.as_str()) {
        return None;
    }
    let got: Vec<&str> = candidates.iter().map(|d| d.message.as_ref()).collect();
    Some(format!("no finding says {want:?} (got {got:?})"))
}

/// Every entry of the typo list fires inside a sentence, and its correction does not.
#[test]
fn every_typo_entry_fires_in_context_and_its_correction_is_clean() {
    let rules = RuleSet::builtin().unwrap();
    let settings = only("common-typo");
    let tsv = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/rules/typo/common-typo.tsv"
    ))
    .unwrap();
    let mut entries = 0;
    let mut failures = Vec::new();
    for line in tsv
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
    {
        let mut cols = line.split('\t');
        let (wrong, right) = (cols.next().unwrap(), cols.next().unwrap());
        entries += 1;
        for (text, want) in [
            (format!("各单位：{wrong}，确保实效。"), true),
            (format!("各单位：{right}，确保实效。"), false),
        ] {
            let doc = Document::from_text("t.txt", text.as_str());
            let found = !gwlint::check(&doc, &rules, &settings).is_empty();
            if found != want {
                failures.push(format!("{text:?}: flagged={found}, want {want}"));
            }
        }
    }
    assert!(
        entries >= 300,
        "the list must keep at least 300 entries, has {entries}"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `tests/fixtures/<rule-id>/flags*.txt` and `clean*.txt`: cases separated by lines `---`.
/// Every case of a flags file must raise that rule; no case of a clean file may.
#[test]
fn per_rule_fixture_cases() {
    let rules = RuleSet::builtin().unwrap();
    let base = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut failures = Vec::new();
    let mut cases = 0;
    for entry in std::fs::read_dir(&base).unwrap() {
        let dir = entry.unwrap().path();
        let id = dir.file_name().unwrap().to_string_lossy().into_owned();
        if !dir.is_dir() || rules.get(&id).is_none() {
            continue;
        }
        let settings = only(&id);
        for file in std::fs::read_dir(&dir).unwrap() {
            let path = file.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let want = if name.starts_with("flags") {
                true
            } else if name.starts_with("clean") {
                false
            } else {
                continue;
            };
            let text = std::fs::read_to_string(&path).unwrap();
            for case in text.split("\n---\n") {
                cases += 1;
                let doc = Document::from_text(format!("{id}/{name}"), case);
                let found = gwlint::check(&doc, &rules, &settings);
                if found.is_empty() == want {
                    failures.push(format!(
                        "{id}/{name}: {case:?} flagged={}",
                        !found.is_empty()
                    ));
                }
            }
        }
    }
    assert!(cases > 50, "expected fixture cases, found {cases}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A pattern rule reports a span once however many of its patterns match it, and not
/// again inside a span it has just reported; a separate occurrence is still reported.
#[test]
fn pattern_rule_reports_a_span_once_and_not_inside_itself() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("overlap.yaml"),
        "id: overlap\ntitle: 测试\ncategory: other\nseverity: warning\nkind: pattern\n\
         message: 「{match}」\ndocs: d\nexamples: []\n\
         patterns: ['付费内容', 'VIP专享', '内容为VIP专享', '付费内容']\n",
    )
    .unwrap();
    let mut rules = RuleSet::builtin().unwrap();
    rules.load_dir(dir.path()).unwrap();
    let doc = Document::from_text("t.txt", "本内容为VIP专享付费内容。另见VIP专享区。");
    let found: Vec<String> = gwlint::check(&doc, &rules, &only("overlap"))
        .iter()
        .map(|d| doc.text[d.span.clone()].to_owned())
        .collect();
    assert_eq!(found, ["内容为VIP专享", "付费内容", "VIP专享"]);
}

/// A defect that the typo list and the homophone check both find (隐患排插 in the list,
/// 排插 by pinyin) is reported once, by the finding that shows more context.
#[test]
fn a_typo_found_by_two_rules_with_the_same_correction_is_reported_once() {
    let rules = RuleSet::builtin().unwrap();
    let settings = Settings {
        select: vec!["typo".to_owned()],
        ..Settings::default()
    };
    for (text, want) in [
        ("全面开展隐患排插工作。", "隐患排插"),
        ("请按规定报我局备按。", "备按"),
    ] {
        let doc = Document::from_text("t.txt", text);
        let found = gwlint::check(&doc, &rules, &settings);
        assert_eq!(found.len(), 1, "{text}: {found:?}");
        assert_eq!(&text[found[0].span.clone()], want);
    }
}

/// Which rules the server re-checks line by line after an edit (`Check::is_line_local`):
/// the typo lists and the line-scoped pattern rules do; a rule whose unit is a paragraph,
/// whose fix may delete whole lines (with their breaks), or whose regex can match a line
/// break does not. `tests/props.rs` checks that re-checking such rules line by line finds what a
/// full check finds.
#[test]
fn line_local_rules_are_the_ones_that_read_one_line() {
    let rules = RuleSet::builtin().unwrap();
    let local = |id: &str| {
        rules
            .rules()
            .iter()
            .find(|r| r.meta.id == id)
            .map(|r| r.check.is_line_local())
            .unwrap_or_else(|| panic!("no rule {id}"))
    };
    for id in [
        "common-typo",
        "homophone-typo",
        "half-width-punctuation",
        "doc-number-bracket",
        "template-placeholder",
        // its fix deletes, but `preceded_by` keeps a character before the match on its line
        "space-between-han",
    ] {
        assert!(local(id), "{id} should be line-local");
    }
    for id in [
        // paragraph scope
        "han-ordinal-punctuation",
        // a fix that deletes the line with its break
        "ad-contact-number",
        // reads the document structure
        "duplicate-line",
        "count-claim-mismatch",
    ] {
        assert!(!local(id), "{id} should not be line-local");
    }
    let mut custom = RuleSet::default();
    custom
        .add_yaml(
            "across-lines.yaml",
            "id: across-lines\ntitle: t\ncategory: other\nseverity: info\nkind: pattern\n\
             message: m\npatterns: ['甲\\s乙']\ndocs: d\nexamples: []\n",
        )
        .unwrap();
    assert!(
        !custom.rules()[0].check.is_line_local(),
        "\\s matches a line break"
    );
}

/// The questions homophone-typo asks of every suspicious pair (is it a word, does it make
/// one with a neighbour) are answered by dictionary lookups: a draft whose pairs all turn
/// out to be words segments nothing. Counted per thread, so the rule runs on a pool of one
/// thread of its own.
#[test]
fn pairs_that_are_words_are_settled_without_segmenting() {
    let rules = RuleSet::builtin().unwrap();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    // 监测/检测, 事业, 负责人: pairs of the homophone table that are words or parts of words
    let text = "各事业单位负责人要加强水质监测，做好产品质量检测。\n";
    let (queries, found) = pool.install(|| {
        let before = gwlint::segment::segmentations_on_this_thread();
        let doc = Document::from_text("draft.txt", text);
        let found = gwlint::check(&doc, &rules, &only("homophone-typo")).len();
        (
            gwlint::segment::segmentations_on_this_thread() - before,
            found,
        )
    });
    assert_eq!((queries, found), (0, 0));
    // a typo still reaches the segmentation of its clause
    let rule = rules.get("homophone-typo").unwrap();
    let bad = rule
        .meta
        .examples
        .iter()
        .find_map(|e| e.bad.as_deref())
        .unwrap();
    let queries = pool.install(|| {
        let before = gwlint::segment::segmentations_on_this_thread();
        let doc = Document::from_text("draft.txt", bad);
        assert!(!gwlint::check(&doc, &rules, &only("homophone-typo")).is_empty());
        gwlint::segment::segmentations_on_this_thread() - before
    });
    assert!(queries > 0);
}
