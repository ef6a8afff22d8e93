//! Property tests of fixing (proptest), over drafts assembled from fragments that the
//! rules care about (half-width punctuation, doc-number brackets, ads, placeholders,
//! spaces, LF and CRLF line breaks):
//! - fixing twice equals fixing once;
//! - after fixing, no diagnostic with a safe fix remains;
//! - a pass changes no byte outside the edits it applied, and never splits a CRLF, even
//!   for arbitrary (overlapping, out-of-range, mid-character) edits;
//! - on disk, in every encoding (GB18030 with 0x80 bytes too) and with `\n`, `\r\n` and
//!   lone `\r` line ends mixed, `--fix` (load, fix, `write_fixed`) changes exactly the
//!   bytes of the fixes it applied, re-encoded, and a second run changes nothing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use gwlint::fix::{apply_fixes_pass, fix_until_stable, FixMode, FixOutcome};
use gwlint::load::{load_input, write_fixed, Decoding, Input, LoadProblem};
use gwlint::source::TextEncoding;
use gwlint::{
    Applicability, Category, Diagnostic, Document, Edit, Fix, RuleSet, Settings, Severity,
};
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;
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

/// A draft of lines, each ended by `\n`, `\r\n` or a lone `\r` (the last maybe by none),
/// with `€` here and there (written as the single byte 0x80 in GB18030 files, as CP936
/// does, which no encoder writes back).
fn draft_with_line_ends() -> impl Strategy<Value = String> {
    let in_line: Vec<&str> = FRAGMENTS
        .iter()
        .copied()
        .filter(|f| !f.contains(['\n', '\r']))
        .collect();
    let piece = prop::sample::select(in_line);
    let line = (
        prop::collection::vec(prop_oneof![9 => piece, 1 => Just("€")], 0..12),
        prop::sample::select(&["\n", "\r\n", "\r", ""][..]),
    )
        .prop_map(|(parts, end)| parts.concat() + end);
    prop::collection::vec(line, 1..8).prop_map(|v| v.concat())
}

/// The bytes of `text` in `enc` (a GB18030 `€` as 0x80), and the byte offset of every
/// char boundary of `text`, computed character by character (independently of
/// `source::splice`).
fn encode_tracking(text: &str, enc: TextEncoding) -> (Vec<u8>, BTreeMap<usize, usize>) {
    let mut bytes = enc.bom().to_vec();
    let mut at = BTreeMap::new();
    let bare = enc.with_bom(false);
    for (i, c) in text.char_indices() {
        at.insert(i, bytes.len());
        if c == '€' && enc == TextEncoding::Gb18030 {
            bytes.push(0x80);
        } else {
            bytes.extend(bare.encode(c.encode_utf8(&mut [0; 4])).unwrap());
        }
    }
    at.insert(text.len(), bytes.len());
    (bytes, at)
}

/// Load `path` in `enc`, fix it like `gwlint check --fix`, write it back. Returns the text
/// read and the outcome (`None` when there was nothing to fix, so nothing was written;
/// a file left empty or blank by the first run is not checked, as by the CLI).
fn fix_file(path: &Path, enc: TextEncoding, mode: FixMode) -> (String, Option<FixOutcome>) {
    let decoding = Decoding {
        forced: Some(enc),
        fallback: None,
    };
    let loaded = match load_input(&Input::File(path.to_owned()), decoding) {
        Ok(loaded) => loaded,
        Err(LoadProblem::Skipped(why)) if why.contains("没有可检查的内容") => {
            let bytes = std::fs::read(path).unwrap();
            let text = gwlint::source::decode(&bytes, Some(enc)).unwrap().text;
            return (text, None);
        }
        Err(e) => panic!("{e:?}"),
    };
    let lint = |t: &str| {
        let doc = Document::new("prop.txt", t.to_owned(), enc);
        gwlint::check(&doc, rules(), &Settings::default())
    };
    let original = loaded.doc.text.clone();
    let outcome = fix_until_stable(&original, mode, lint).unwrap();
    if outcome.changes.is_empty() {
        return (original, None);
    }
    let snapshot = loaded.snapshot.unwrap();
    write_fixed(
        path,
        &snapshot,
        &original,
        &outcome.text,
        enc,
        &outcome.changes,
    )
    .unwrap();
    (original, Some(outcome))
}

proptest! {
    #![proptest_config(config())]

    /// `--fix` on a file in any encoding with any line ends changes exactly the bytes of
    /// the fixes it applied (re-encoded) and nothing else, and a second run changes
    /// nothing.
    #[test]
    fn fix_on_disk_changes_only_the_fixed_bytes(
        text in draft_with_line_ends(),
        enc in prop::sample::select(&TextEncoding::ALL[..]),
        unsafe_too in any::<bool>(),
    ) {
        prop_assume!(!text.trim().is_empty());
        let mode = if unsafe_too { FixMode::SafeAndUnsafe } else { FixMode::SafeOnly };
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("稿.txt");
        let (before, at) = encode_tracking(&text, enc);
        std::fs::write(&path, &before).unwrap();
        let (original, outcome) = fix_file(&path, enc, mode);
        prop_assert_eq!(&original, &text);
        let after = std::fs::read(&path).unwrap();
        let Some(outcome) = outcome else {
            prop_assert_eq!(&after, &before);
            return Ok(());
        };
        // the original bytes between the changes, each change encoded
        let bare = enc.with_bom(false);
        let mut want = before[..at[&0]].to_vec();
        let mut copied = 0;
        let mut rebuilt = String::new();
        for c in &outcome.changes {
            want.extend_from_slice(&before[at[&copied]..at[&c.original.start]]);
            want.extend(bare.encode(&outcome.text[c.fixed.clone()]).unwrap());
            rebuilt.push_str(&text[copied..c.original.start]);
            rebuilt.push_str(&outcome.text[c.fixed.clone()]);
            copied = c.original.end;
        }
        want.extend_from_slice(&before[at[&copied]..]);
        rebuilt.push_str(&text[copied..]);
        prop_assert_eq!(&rebuilt, &outcome.text, "the changes rebuild the fixed text");
        prop_assert!(after == want, "bytes outside the fixes changed:\n{:?}\n{:?}", after, want);
        // a second run finds nothing to fix and writes nothing
        let (again, second) = fix_file(&path, enc, mode);
        prop_assert_eq!(&again, &outcome.text);
        prop_assert!(second.is_none(), "second run fixed {:?}", second.map(|o| o.per_rule));
        prop_assert_eq!(std::fs::read(&path).unwrap(), after);
    }
}

/// Apply a unified diff to `old` (a minimal `patch`): context and removed lines must
/// match `old`, hunks in order.
fn apply_unified_diff(old: &str, diff: &str) -> Result<String, String> {
    let old_lines: Vec<&str> = old.split_inclusive('\n').collect();
    let mut out = String::new();
    let mut at = 0; // next old line to copy
    let mut lines = diff.split_inclusive('\n').skip(2).peekable();
    while let Some(header) = lines.next() {
        let old_start: usize = header
            .strip_prefix("@@ -")
            .and_then(|h| h.split([',', ' ']).next())
            .and_then(|n| n.parse().ok())
            .ok_or(format!("bad hunk header {header:?}"))?;
        let first = old_start.saturating_sub(1);
        let first = if header.contains(&format!("-{old_start},0 ")) {
            old_start
        } else {
            first
        };
        while at < first {
            out.push_str(old_lines[at]);
            at += 1;
        }
        while let Some(line) = lines.next_if(|l| !l.starts_with("@@")) {
            let (mark, body) = line.split_at(1);
            let no_newline = lines.next_if(|l| l.starts_with('\\')).is_some();
            let body = if no_newline {
                body.strip_suffix('\n').unwrap_or(body)
            } else {
                body
            };
            match mark {
                " " | "-" => {
                    if old_lines.get(at) != Some(&body) {
                        return Err(format!(
                            "line {at} is {:?}, diff says {body:?}",
                            old_lines.get(at)
                        ));
                    }
                    if mark == " " {
                        out.push_str(body);
                    }
                    at += 1;
                }
                "+" => out.push_str(body),
                _ => return Err(format!("bad diff line {line:?}")),
            }
        }
    }
    out.extend(old_lines[at..].iter().copied());
    Ok(out)
}

proptest! {
    #![proptest_config(config())]

    /// `--diff` (built from the fix's changes) is a diff that turns the text into the
    /// fixed text.
    #[test]
    fn the_diff_turns_the_text_into_the_fixed_text(text in draft_with_line_ends()) {
        let out = fix_until_stable(&text, FixMode::SafeAndUnsafe, lint).unwrap();
        let diff = gwlint::fix::unified_diff("稿.txt", &text, &out.text, &out.changes);
        prop_assert_eq!(diff.is_empty(), out.text == text);
        if !diff.is_empty() {
            prop_assert_eq!(apply_unified_diff(&text, &diff), Ok(out.text.clone()), "{}", diff);
        }
    }
}

#[test]
fn the_fragments_do_exercise_fixes() {
    let all = FRAGMENTS.concat();
    let out = fix_until_stable(&all, FixMode::SafeOnly, lint).unwrap();
    assert!(out.fixes() >= 5, "{:?}", out.per_rule);
    assert!(out.per_rule.len() >= 4, "{:?}", out.per_rule);
}
