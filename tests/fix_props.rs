//! Property tests of fixing (proptest), over drafts assembled from fragments that the
//! rules care about (half-width punctuation, doc-number brackets, ads, placeholders,
//! spaces, LF and CRLF line breaks):
//! - fixing twice equals fixing once;
//! - after fixing, no diagnostic with a safe fix remains;
//! - a pass changes no byte outside the edits it applied, and never splits a CRLF, even
//!   for arbitrary (overlapping, out-of-range, mid-character) edits.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use gwlint::fix::{apply_fixes_pass, fix_until_stable, FixMode};
use gwlint::{
    Applicability, Category, Diagnostic, Document, Edit, Fix, RuleSet, Settings, Severity,
};
use proptest::prelude::*;
use std::sync::OnceLock;

fn rules() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| RuleSet::builtin().unwrap())
}

fn lint(text: &str) -> Vec<Diagnostic> {
    let doc = Document::from_text("prop.txt", text);
    gwlint::check(&doc, rules(), &Settings::default())
}

const FRAGMENTS: &[&str] = &[
    "工作",
    "职工",
    "活动",
    "会议",
    "通知",
    "，",
    ",",
    "：",
    ":",
    ";",
    "。",
    "?",
    "!",
    "（",
    "(",
    ")",
    "）",
    "《",
    "》",
    "“",
    "”",
    "、、",
    "，，",
    " ",
    "　",
    "  ",
    "\n",
    "\r\n",
    "\n\n",
    "\r\n\r\n",
    "发[2019]",
    "〔2019〕",
    "号",
    "(2020)",
    "党的XX大",
    "20××年",
    "不低于 80",
    "达到９０",
    "%",
    "竟赛",
    "中国梦?劳动美",
    "【更多资料请关注微信：abc12345】",
    "温馨提示:\n",
    "本文档由用户上传,请放心下载。\n",
    "网站客服:12345678\n",
    "##paidbegin##",
    "一、",
    "1.",
    "12",
    "ab",
    "·",
    "\t",
];

fn draft() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(FRAGMENTS), 0..40).prop_map(|v| v.concat())
}

/// Apply edits by an independent method: splice from the last to the first.
fn splice(text: &str, edits: &[Edit]) -> String {
    let mut out = text.to_owned();
    for e in edits.iter().rev() {
        out.replace_range(e.range.clone(), &e.replacement);
    }
    out
}

fn check_pass_invariants(
    text: &str,
    diags: &[Diagnostic],
    mode: FixMode,
) -> Result<(), TestCaseError> {
    let pass = apply_fixes_pass(text, diags, mode);
    let mut prev_end = 0;
    for (i, e) in pass.edits.iter().enumerate() {
        prop_assert!(e.range.start <= e.range.end && e.range.end <= text.len());
        prop_assert!(text.is_char_boundary(e.range.start) && text.is_char_boundary(e.range.end));
        prop_assert!(i == 0 || e.range.start >= prev_end, "edits overlap");
        for at in [e.range.start, e.range.end] {
            let b = text.as_bytes();
            prop_assert!(
                !(at > 0 && at < b.len() && b[at - 1] == b'\r' && b[at] == b'\n'),
                "edit splits CRLF"
            );
        }
        prev_end = e.range.end;
    }
    // the output is the input with exactly these edits: nothing else changed
    prop_assert_eq!(&pass.text, &splice(text, &pass.edits));
    Ok(())
}

fn config() -> ProptestConfig {
    ProptestConfig {
        // PROPTEST_CASES=5000 for a longer hunt
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(48),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn fixing_twice_equals_fixing_once(text in draft()) {
        let once = fix_until_stable(&text, FixMode::SafeOnly, lint).unwrap();
        let twice = fix_until_stable(&once.text, FixMode::SafeOnly, lint).unwrap();
        prop_assert_eq!(&twice.text, &once.text);
        prop_assert_eq!(twice.passes, 0);
        let with_unsafe = fix_until_stable(&text, FixMode::SafeAndUnsafe, lint).unwrap();
        let again = fix_until_stable(&with_unsafe.text, FixMode::SafeAndUnsafe, lint).unwrap();
        prop_assert_eq!(&again.text, &with_unsafe.text);
    }

    #[test]
    fn no_safe_fix_remains_after_fixing(text in draft()) {
        let fixed = fix_until_stable(&text, FixMode::SafeOnly, lint).unwrap().text;
        let left: Vec<String> = lint(&fixed)
            .into_iter()
            .filter(|d| d.fix.as_ref().is_some_and(|f| f.applicability == Applicability::Safe))
            .map(|d| format!("{} {:?} {:?}", d.rule, &fixed[d.span.clone()], d.fix))
            .collect();
        prop_assert!(left.is_empty(), "{:?} in {:?}", left, fixed);
        // line endings: no CRLF was split, no bare CR appeared
        prop_assert_eq!(fixed.matches('\r').count(), fixed.matches("\r\n").count());
    }

    #[test]
    fn a_pass_changes_only_its_edits(text in draft()) {
        let diags = lint(&text);
        check_pass_invariants(&text, &diags, FixMode::SafeOnly)?;
        check_pass_invariants(&text, &diags, FixMode::SafeAndUnsafe)?;
    }

    #[test]
    fn arbitrary_edits_never_panic_or_leak(
        text in draft(),
        raw in prop::collection::vec((0usize..200, 0usize..20, prop::sample::select(&["", "，", "x", "\r\n", "〔"][..])), 0..12),
    ) {
        let diags: Vec<Diagnostic> = raw
            .iter()
            .map(|&(start, len, rep)| Diagnostic {
                rule: "r".into(),
                category: Category::Other,
                severity: Severity::Info,
                message: "".into(),
                span: start..start + len,
                fix: Some(Fix {
                    applicability: Applicability::Safe,
                    message: "".into(),
                    edits: vec![Edit { range: start..start + len, replacement: rep.into() }],
                }),
            })
            .collect();
        check_pass_invariants(&text, &diags, FixMode::SafeOnly)?;
    }
}

#[test]
fn the_fragments_do_exercise_fixes() {
    let all = FRAGMENTS.concat();
    let out = fix_until_stable(&all, FixMode::SafeOnly, lint).unwrap();
    assert!(out.fixes() >= 5, "{:?}", out.per_rule);
    assert!(out.per_rule.len() >= 4, "{:?}", out.per_rule);
}
