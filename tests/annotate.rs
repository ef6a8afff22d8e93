//! `gwlint check --annotate`: findings as Word comments (批注), safe fixes as tracked
//! changes (修订), in a copy of the `.docx`.
//!
//! The copy is opened by real readers: python-docx (`tests/docx_readers/read_docx.py`,
//! run with `GWLINT_DOCX_PYTHON`, else `target/docx-venv/bin/python`, else `python3`) and
//! LibreOffice (`soffice --headless --convert-to fodt`, read by `read_fodt.py`). Without
//! them those tests skip with a message, unless `CI` is set: then they fail (`.ci/run`
//! installs both). The other tests read the XML themselves: one comment per finding on
//! exactly its characters, everything else kept, and (a property) rejecting gwlint's
//! revisions and removing its comments gives back the original text and formatting.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "common/docx_package.rs"]
mod docx_package;

use docx_package::*;
use gwlint::docx::annotate::{annotate_docx, AnnotateOptions, Annotated};
use gwlint::docx::{document_xml_text, extract_text};
use gwlint::{Applicability, Diagnostic, Document, RuleSet, Settings};
use proptest::prelude::*;
use quick_xml::events::{BytesStart, BytesText, Event};
use quick_xml::{Reader, Writer};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::LazyLock;

static RULES: LazyLock<RuleSet> = LazyLock::new(|| RuleSet::builtin().unwrap());

const DATE: &str = "2025-04-20T08:30:00Z";

fn gwlint(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gwlint"))
        .args(args)
        .current_dir(dir)
        .env("SOURCE_DATE_EPOCH", "1745137800")
        .output()
        .unwrap()
}

fn diagnostics(docx: &[u8]) -> (String, Vec<Diagnostic>) {
    let text = extract_text(docx).unwrap();
    let doc = Document::new("t.docx", text.clone(), gwlint::source::TextEncoding::Utf8);
    (text, gwlint::check(&doc, &RULES, &Settings::default()))
}

fn annotate(docx: &[u8], track_changes: bool) -> (Vec<Diagnostic>, Annotated) {
    let (_, diags) = diagnostics(docx);
    let options = AnnotateOptions {
        track_changes,
        date: DATE.into(),
    };
    let out = annotate_docx(docx, &diags, &options).unwrap();
    (diags, out)
}

fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.try_get_attribute(name)
        .ok()
        .flatten()
        .map(|a| a.value.into_owned())
}

/// The comments of a comments part: id → (author, text of its paragraphs joined by `\n`).
fn comments_of(xml: &str) -> BTreeMap<String, (String, String)> {
    let mut reader = Reader::from_str(xml);
    let mut out = BTreeMap::new();
    let mut current: Option<(String, String, String)> = None;
    let mut in_t = false;
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) if e.name().as_ref() == "w:comment" => {
                current = Some((
                    attr(&e, "w:id").unwrap(),
                    attr(&e, "w:author").unwrap_or_default(),
                    String::new(),
                ));
            }
            Event::Start(e) if e.name().as_ref() == "w:p" => {
                if let Some(c) = current.as_mut().filter(|c| !c.2.is_empty()) {
                    c.2.push('\n');
                }
            }
            Event::Start(e) if e.name().as_ref() == "w:t" => in_t = true,
            Event::End(e) if e.name().as_ref() == "w:t" => in_t = false,
            Event::Text(t) if in_t => {
                if let Some(c) = current.as_mut() {
                    c.2.push_str(&t.xml10_content());
                }
            }
            Event::End(e) if e.name().as_ref() == "w:comment" => {
                let (id, author, text) = current.take().unwrap();
                out.insert(id, (author, text));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

/// Comment id → the text between its range marks (`w:t` and `w:delText`, outside the
/// `mc:Fallback` copies), read from `word/document.xml`.
fn anchors_of(xml: &str) -> BTreeMap<String, String> {
    let mut reader = Reader::from_str(xml);
    let mut out: BTreeMap<String, String> = BTreeMap::new();
    let mut open: BTreeSet<String> = BTreeSet::new();
    let (mut in_t, mut fallback) = (false, 0);
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) if e.name().as_ref() == "mc:Fallback" => fallback += 1,
            Event::End(e) if e.name().as_ref() == "mc:Fallback" => fallback -= 1,
            Event::Empty(e) if e.name().as_ref() == "w:commentRangeStart" && fallback == 0 => {
                let id = attr(&e, "w:id").unwrap();
                out.entry(id.clone()).or_default();
                open.insert(id);
            }
            Event::Empty(e) if e.name().as_ref() == "w:commentRangeEnd" => {
                open.remove(&attr(&e, "w:id").unwrap());
            }
            Event::Start(e) if matches!(e.name().as_ref(), "w:t" | "w:delText") => in_t = true,
            Event::End(e) if matches!(e.name().as_ref(), "w:t" | "w:delText") => in_t = false,
            Event::Text(t) if in_t && fallback == 0 => {
                for id in &open {
                    out.get_mut(id).unwrap().push_str(&t.xml10_content());
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

/// The characters a finding's comment should be anchored on: its span, cut to its first
/// paragraph (an empty span grows to the next character).
fn expected_anchor(text: &str, d: &Diagnostic) -> String {
    let start = d.span.start;
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let end = d.span.end.min(line_end);
    if end > start {
        text[start..end].to_owned()
    } else {
        text[start..]
            .chars()
            .next()
            .map(String::from)
            .unwrap_or_default()
    }
}

fn gwlint_comments(out: &[u8]) -> BTreeMap<String, (String, String)> {
    comments_of(&part(out, "word/comments.xml").unwrap_or_default())
        .into_iter()
        .filter(|(_, (author, _))| author == "gwlint")
        .collect()
}

#[test]
fn every_finding_is_one_comment_on_exactly_its_characters() {
    let input = sample_notice();
    let (text, _) = diagnostics(&input);
    let (diags, out) = annotate(&input, false);
    assert!(
        diags.len() >= 8,
        "the sample should have findings: {diags:?}"
    );
    assert_eq!(out.comments, diags.len());
    let comments = gwlint_comments(&out.bytes);
    assert_eq!(comments.len(), diags.len());
    let anchors = anchors_of(&part(&out.bytes, "word/document.xml").unwrap());
    let mut expected: Vec<(String, String)> = diags
        .iter()
        .map(|d| (expected_anchor(&text, d), d.message.to_string()))
        .collect();
    let mut got: Vec<(String, String)> = comments
        .iter()
        .map(|(id, (_, body))| (anchors[id].clone(), body.lines().next().unwrap().to_owned()))
        .collect();
    expected.sort();
    got.sort();
    assert_eq!(got, expected);
    // the comment names the rule and the suggested fix
    for d in &diags {
        let body = &comments
            .values()
            .find(|(_, b)| b.starts_with(&*d.message))
            .unwrap()
            .1;
        assert!(body.contains(&format!("规则：{}", d.rule)), "{body}");
        if let Some(fix) = &d.fix {
            assert!(body.contains(&format!("建议：{}", fix.message)), "{body}");
        }
    }
    // the text box is annotated once (not its fallback copy), the table cell too
    assert!(anchors.values().any(|a| a == "党的XX大"));
    assert!(anchors.values().any(|a| a == ","));
}

#[test]
fn a_finding_split_across_runs_keeps_each_runs_formatting() {
    // 「按排」: 按 in a plain run, 排 in a red one
    let input = sample_notice();
    let (_, out) = annotate(&input, false);
    let xml = part(&out.bytes, "word/document.xml").unwrap();
    let red = r#"<w:rPr><w:color w:val="C00000"/></w:rPr>"#;
    let typo = xml.find("按</w:t>").unwrap();
    let start = xml[..typo].rfind("<w:commentRangeStart").unwrap();
    let end = typo + xml[typo..].find("<w:commentRangeEnd").unwrap();
    let inside = &xml[start..end];
    assert!(inside.contains(&format!(
        "<w:r>{red}<w:t xml:space=\"preserve\">排</w:t></w:r>"
    )));
    // the plain run was cut before 按: both halves are plain runs
    assert!(xml[..start].ends_with(
        "<w:r><w:t xml:space=\"preserve\">为推动学习型机关建设，请各支部认真</w:t></w:r>"
    ));
}

#[test]
fn other_parts_comments_and_revisions_are_kept() {
    let input = sample_notice();
    let (_, out) = annotate(&input, true);
    let before = parts(&input);
    let after = parts(&out.bytes);
    let names = |p: &[(String, Vec<u8>)]| p.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(
        names(&after),
        names(&before),
        "same parts in the same order"
    );
    for ((name, old), (_, new)) in before.iter().zip(&after) {
        if name != "word/document.xml" && name != "word/comments.xml" {
            assert_eq!(old, new, "{name} changed");
        }
    }
    // raw copies: the compressed bytes of untouched parts are the same too
    let raw = |bytes: &[u8], name: &str| {
        let mut a = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let f = a.by_name(name).unwrap();
        (f.compressed_size(), f.crc32())
    };
    assert_eq!(
        raw(&input, "word/styles.xml"),
        raw(&out.bytes, "word/styles.xml")
    );
    let comments = part(&out.bytes, "word/comments.xml").unwrap();
    assert!(comments.contains(r#"<w:comment w:id="0" w:author="张科长" w:date="2025-04-02T10:00:00Z" w:initials="ZK"><w:p><w:r><w:t>地点请尽快确定。</w:t></w:r></w:p></w:comment>"#));
    let xml = part(&out.bytes, "word/document.xml").unwrap();
    assert!(xml.contains(r#"<w:commentRangeStart w:id="0"/><w:r><w:t>分享会地点另行通知。</w:t></w:r><w:commentRangeEnd w:id="0"/><w:r><w:commentReference w:id="0"/></w:r><w:ins w:id="1" w:author="李秘书" w:date="2025-04-01T09:00:00Z"><w:r><w:t>（请留意）</w:t></w:r></w:ins>"#));
    // ids are unique across comments and revisions
    let mut ids = Vec::new();
    let mut reader = Reader::from_str(&xml);
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) | Event::Empty(e)
                if matches!(e.name().as_ref(), "w:ins" | "w:del" | "w:commentRangeStart") =>
            {
                ids.push(attr(&e, "w:id").unwrap());
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let unique: BTreeSet<_> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "{ids:?}");
}

#[test]
fn a_document_without_comments_gets_a_comments_part() {
    let input = docx(&plain("各科室:请按时报送。"), &Extras::default());
    let (diags, out) = annotate(&input, false);
    assert_eq!(diags.len(), 1);
    assert_eq!(gwlint_comments(&out.bytes).len(), 1);
    let types = part(&out.bytes, "[Content_Types].xml").unwrap();
    assert!(types.contains(r#"<Override PartName="/word/comments.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"/></Types>"#));
    let rels = part(&out.bytes, "word/_rels/document.xml.rels").unwrap();
    assert!(rels.contains(r#"Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments" Target="comments.xml"/></Relationships>"#));
}

#[test]
fn annotating_again_replaces_gwlint_comments() {
    let input = sample_notice();
    let (diags, first) = annotate(&input, false);
    let (_, second) = annotate(&first.bytes, false);
    assert_eq!(second.replaced_comments, diags.len());
    assert_eq!(gwlint_comments(&second.bytes).len(), diags.len());
    assert_eq!(
        part(&second.bytes, "word/document.xml")
            .unwrap()
            .matches("<w:commentRangeStart")
            .count(),
        diags.len() + 1,
        "gwlint's comments once each, 张科长's kept"
    );
    assert!(part(&second.bytes, "word/comments.xml")
        .unwrap()
        .contains("张科长"));
    // and the text is still the original text
    assert_eq!(
        extract_text(&second.bytes).unwrap(),
        extract_text(&input).unwrap()
    );
}

#[test]
fn a_finding_over_several_paragraphs_is_a_comment_on_the_first() {
    let input = docx(
        &[plain("第一段文字"), plain("第二段文字"), plain("第三段")].concat(),
        &Extras::default(),
    );
    let text = extract_text(&input).unwrap();
    let d = Diagnostic {
        rule: "duplicate-line".into(),
        category: gwlint::Category::Duplicate,
        severity: gwlint::Severity::Warning,
        message: "重复的段落".into(),
        span: 3..text.find("第三").unwrap(),
        fix: None,
    };
    let options = AnnotateOptions {
        track_changes: false,
        date: DATE.into(),
    };
    let out = annotate_docx(&input, &[d], &options).unwrap();
    let comments = gwlint_comments(&out.bytes);
    let (id, (_, body)) = comments.iter().next().unwrap();
    assert!(
        body.contains("此问题跨越第 1–2 段，批注标在第一段。"),
        "{body}"
    );
    let anchors = anchors_of(&part(&out.bytes, "word/document.xml").unwrap());
    assert_eq!(anchors[id], "一段文字");
}

// ---------------------------------------------------------------- tracked changes

/// Remove gwlint's comment marks and reject its revisions: `w:ins` by gwlint goes with
/// its content, `w:del` by gwlint gives its runs back (`w:delText` → `w:t`), a deleted
/// paragraph mark comes back.
fn reject_gwlint(xml: &str, ids: &BTreeSet<String>) -> String {
    rewrite_revisions(xml, ids, false)
}

/// Accept gwlint's revisions: deletions go, insertions stay, a paragraph whose mark was
/// deleted ends with U+E000 (the test joins it to the next line).
fn accept_gwlint(xml: &str, ids: &BTreeSet<String>) -> String {
    rewrite_revisions(xml, ids, true)
}

fn rewrite_revisions(xml: &str, comment_ids: &BTreeSet<String>, accept: bool) -> String {
    let mut reader = Reader::from_str(xml);
    let mut writer = Writer::new(Vec::new());
    let ours = |e: &BytesStart<'_>| attr(e, "w:author").as_deref() == Some("gwlint");
    let comment_mark = |e: &BytesStart<'_>| {
        matches!(
            e.name().as_ref(),
            "w:commentRangeStart" | "w:commentRangeEnd" | "w:commentReference"
        ) && attr(e, "w:id").is_some_and(|id| comment_ids.contains(&id))
    };
    let mut drop_depth = 0usize; // inside content to drop
    let mut unwrap_stack: Vec<bool> = Vec::new(); // per open element: its tags are dropped
    let mut mark_deleted = false;
    loop {
        let event = reader.read_event().unwrap();
        match &event {
            Event::Eof => break,
            Event::Start(e) => {
                if drop_depth > 0 {
                    drop_depth += 1;
                    continue;
                }
                let name = e.name();
                let ins = name.as_ref() == "w:ins" && ours(e);
                let del = name.as_ref() == "w:del" && ours(e);
                if (ins && !accept) || (del && accept) {
                    drop_depth = 1;
                    continue;
                }
                unwrap_stack.push(ins || del);
                if ins || del {
                    continue;
                }
                if name.as_ref() == "w:delText" && !accept {
                    writer
                        .write_event(Event::Start(BytesStart::new("w:t")))
                        .unwrap();
                    continue;
                }
                writer.write_event(event.borrow()).unwrap();
            }
            Event::End(e) => {
                if drop_depth > 0 {
                    drop_depth -= 1;
                    continue;
                }
                if unwrap_stack.pop() == Some(true) {
                    continue;
                }
                if e.name().as_ref() == "w:delText" && !accept {
                    writer
                        .write_event(Event::End(quick_xml::events::BytesEnd::new("w:t")))
                        .unwrap();
                    continue;
                }
                if e.name().as_ref() == "w:p" && mark_deleted {
                    writer
                        .write_event(Event::Start(BytesStart::new("w:r")))
                        .unwrap();
                    writer
                        .write_event(Event::Start(BytesStart::new("w:t")))
                        .unwrap();
                    writer
                        .write_event(Event::Text(BytesText::new("\u{E000}")))
                        .unwrap();
                    writer
                        .write_event(Event::End(quick_xml::events::BytesEnd::new("w:t")))
                        .unwrap();
                    writer
                        .write_event(Event::End(quick_xml::events::BytesEnd::new("w:r")))
                        .unwrap();
                    mark_deleted = false;
                }
                writer.write_event(event.borrow()).unwrap();
            }
            Event::Empty(e) => {
                if drop_depth > 0 || comment_mark(e) {
                    continue;
                }
                if e.name().as_ref() == "w:del" && ours(e) {
                    // a deleted paragraph mark
                    mark_deleted = accept;
                    continue;
                }
                writer.write_event(event.borrow()).unwrap();
            }
            _ if drop_depth > 0 => {}
            _ => writer.write_event(event.borrow()).unwrap(),
        }
    }
    String::from_utf8(writer.into_inner()).unwrap()
}

/// Each character of the text with the run properties it is shown with.
fn formatted_text(xml: &str) -> Vec<(char, String)> {
    let mut reader = Reader::from_str(xml);
    let mut out = Vec::new();
    let mut rpr = String::new();
    let (mut in_rpr, mut in_t, mut fallback, mut run_depth) = (0, false, 0, 0);
    let mut current = String::new();
    loop {
        let start = reader.buffer_position() as usize;
        let event = reader.read_event().unwrap();
        let end = reader.buffer_position() as usize;
        match event {
            Event::Start(e) if e.name().as_ref() == "mc:Fallback" => fallback += 1,
            Event::End(e) if e.name().as_ref() == "mc:Fallback" => fallback -= 1,
            Event::Start(e) if e.name().as_ref() == "w:r" => {
                run_depth += 1;
                current.clear();
            }
            Event::Start(e) if e.name().as_ref() == "w:rPr" && run_depth > 0 => {
                in_rpr += 1;
                current.push_str(&xml[start..end]);
            }
            Event::End(e) if e.name().as_ref() == "w:rPr" && in_rpr > 0 => {
                in_rpr -= 1;
                current.push_str(&xml[start..end]);
                rpr = current.clone();
            }
            _ if in_rpr > 0 => current.push_str(&xml[start..end]),
            Event::End(e) if e.name().as_ref() == "w:r" => {
                run_depth -= 1;
                rpr.clear();
            }
            Event::Start(e) if e.name().as_ref() == "w:t" => in_t = true,
            Event::End(e) if e.name().as_ref() == "w:t" => in_t = false,
            Event::Text(t) if in_t && fallback == 0 => {
                for c in t.xml10_content().chars() {
                    out.push((c, rpr.clone()));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

fn gwlint_comment_ids(out: &[u8]) -> BTreeSet<String> {
    gwlint_comments(out).into_keys().collect()
}

#[test]
fn safe_fixes_become_tracked_changes_unsafe_ones_stay_comments() {
    let input = sample_notice();
    let (text, _) = diagnostics(&input);
    let (diags, out) = annotate(&input, true);
    let safe: Vec<&Diagnostic> = diags
        .iter()
        .filter(|d| {
            d.fix
                .as_ref()
                .is_some_and(|f| f.applicability == Applicability::Safe)
        })
        .collect();
    assert!(safe.len() >= 4, "{diags:?}");
    assert_eq!(out.tracked_fixes, safe.len());
    assert_eq!(out.untracked_fixes, 0);
    let xml = part(&out.bytes, "word/document.xml").unwrap();
    let ids = gwlint_comment_ids(&out.bytes);
    assert!(xml.contains(&format!(r#"w:author="gwlint" w:date="{DATE}""#)));
    // the typo (an unsafe fix) is not a revision
    assert!(!xml.contains("安排"));
    let comments = gwlint_comments(&out.bytes);
    assert!(comments
        .values()
        .any(|(_, b)| b.contains("改为「安排」（请核对后手动修改）")));
    // accepting everything gives the safely fixed text; rejecting gives the original
    let accepted = document_xml_text(&accept_gwlint(&xml, &ids))
        .unwrap()
        .replace("\u{E000}\n", "");
    let (fixed, n) = gwlint::fix::apply_fixes(&text, &diags, gwlint::fix::FixMode::SafeOnly);
    assert_eq!(n, safe.len());
    assert_eq!(accepted, fixed);
    let rejected = reject_gwlint(&xml, &ids);
    let original = part(&input, "word/document.xml").unwrap();
    assert_eq!(document_xml_text(&rejected).unwrap(), text);
    assert_eq!(formatted_text(&rejected), formatted_text(&original));
}

// ---------------------------------------------------------------- property

/// Pieces of draft text, several with defects gwlint fixes or comments on.
const FRAGMENTS: &[&str] = &[
    "各科室:",
    "请按时报送",
    "完成率不低于 90 以上",
    "党的XX大",
    "开展劳动竟赛",
    "时间为2025年5月6日,地点另行通知。",
    "本资料来源于网络，如有侵权请联系删除。",
    "数据 12 项",
    "（一）",
    "安全&质量<第一>",
    "\t",
];

const PROPS: &[&str] = &[
    "",
    "<w:b/>",
    r#"<w:color w:val="C00000"/>"#,
    "<w:i/><w:sz w:val=\"28\"/>",
];

/// A paragraph from fragments, its text cut into runs at the given points.
fn arb_paragraph() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(0..FRAGMENTS.len(), 0..4),
        prop::collection::vec((0usize..40, 0..PROPS.len()), 1..5),
    )
        .prop_map(|(fragments, cuts)| {
            let text: String = fragments.iter().map(|&i| FRAGMENTS[i]).collect();
            let chars: Vec<char> = text.chars().collect();
            let mut points: Vec<usize> = cuts.iter().map(|(c, _)| c % (chars.len() + 1)).collect();
            points.push(0);
            points.push(chars.len());
            points.sort();
            points.dedup();
            let mut runs = Vec::new();
            for (k, w) in points.windows(2).enumerate() {
                let part: String = chars[w[0]..w[1]].iter().collect();
                runs.push(run(PROPS[cuts[k % cuts.len()].1], &part));
            }
            if chars.is_empty() && fragments.len() % 2 == 0 {
                "<w:p/>".to_owned()
            } else {
                format!("<w:p>{}</w:p>", runs.concat())
            }
        })
}

fn arb_body() -> impl Strategy<Value = String> {
    let block = prop_oneof![
        4 => arb_paragraph(),
        1 => (arb_paragraph(), arb_paragraph()).prop_map(|(a, b)| table(&[a, b])),
        1 => (arb_paragraph(), arb_paragraph()).prop_map(|(a, b)| {
            // a text box inside a paragraph
            let inner = b;
            let outer = a.replace("<w:p/>", "<w:p></w:p>");
            text_box_paragraph("框", &inner) + &outer
        }),
    ];
    prop::collection::vec(block, 1..8).prop_map(|b| b.concat())
}

fn config() -> ProptestConfig {
    ProptestConfig {
        // PROPTEST_CASES=5000 for a longer hunt (1,000 passed when this was written)
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(64),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    /// Removing gwlint's comments and rejecting its revisions gives back the original
    /// `word/document.xml` text, each character with its formatting; accepting them gives
    /// the text `--fix` would write (when every safe fix could be shown as a revision).
    #[test]
    fn rejecting_gwlint_gives_back_the_original(body in arb_body(), track in any::<bool>()) {
        let input = docx(&body, &Extras::default());
        let (text, diags) = diagnostics(&input);
        let options = AnnotateOptions { track_changes: track, date: DATE.into() };
        let out = annotate_docx(&input, &diags, &options).unwrap();
        prop_assert_eq!(out.comments, diags.len());
        let xml = part(&out.bytes, "word/document.xml").unwrap();
        let ids = gwlint_comment_ids(&out.bytes);
        prop_assert_eq!(ids.len(), diags.len());
        let rejected = reject_gwlint(&xml, &ids);
        let original = part(&input, "word/document.xml").unwrap();
        prop_assert_eq!(document_xml_text(&rejected).unwrap(), text.clone());
        prop_assert_eq!(formatted_text(&rejected), formatted_text(&original));
        prop_assert!(!rejected.contains("gwlint"));
        if track && out.untracked_fixes == 0 {
            let accepted = document_xml_text(&accept_gwlint(&xml, &ids))
                .unwrap()
                .replace("\u{E000}\n", "");
            let (fixed, _) = gwlint::fix::apply_fixes(&text, &diags, gwlint::fix::FixMode::SafeOnly);
            prop_assert_eq!(accepted, fixed);
        }
    }
}

// ---------------------------------------------------------------- the command line

fn stderr_lines(out: &Output) -> Vec<String> {
    String::from_utf8_lossy(&out.stderr)
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn cli_writes_the_copy_beside_the_original_and_never_the_original() {
    let dir = tempfile::tempdir().unwrap();
    let original = sample_notice();
    std::fs::write(dir.path().join("通知.docx"), &original).unwrap();
    let out = gwlint(
        dir.path(),
        &["check", "--annotate", "--track-changes", "通知.docx"],
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        std::fs::read(dir.path().join("通知.docx")).unwrap(),
        original
    );
    let copy = std::fs::read(dir.path().join("通知.gwlint.docx")).unwrap();
    let (diags, _) = annotate(&original, true);
    assert_eq!(gwlint_comments(&copy).len(), diags.len());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!(
            "已写入 通知.gwlint.docx：{} 条批注，",
            diags.len()
        )),
        "{err}"
    );
    // the revisions carry the date of SOURCE_DATE_EPOCH
    assert!(part(&copy, "word/document.xml")
        .unwrap()
        .contains(r#"w:date="2025-04-20T08:30:00Z""#));
    // a folder walk skips the annotated copy; --annotate-dir mirrors the folders
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    std::fs::write(dir.path().join("sub/函.docx"), &original).unwrap();
    let out = gwlint(
        dir.path(),
        &["check", "--annotate", "--annotate-dir", "审阅", "."],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(dir.path().join("审阅/通知.gwlint.docx").is_file());
    assert!(dir.path().join("审阅/sub/函.gwlint.docx").is_file());
    assert!(!dir.path().join("审阅/通知.gwlint.gwlint.docx").exists());
}

#[test]
fn cli_bad_input_is_one_line_exit_2_and_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("坏.docx"), b"PK\x03\x04 this is not a zip archive").unwrap();
    // a well-formed zip whose document.xml does not parse
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file(
        "word/document.xml",
        zip::write::SimpleFileOptions::default(),
    )
    .unwrap();
    zip.write_all(
        format!(r#"<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>半截</w:r></w:p>"#)
            .as_bytes(),
    )
    .unwrap();
    std::fs::write(d.join("乱.docx"), zip.finish().unwrap().into_inner()).unwrap();
    // truncated: the text reads, but an unfinished part is not rewritten
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file(
        "word/document.xml",
        zip::write::SimpleFileOptions::default(),
    )
    .unwrap();
    zip.write_all(
        format!(
            r#"<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>各科室:请按时报送</w:t></w:r>"#
        )
        .as_bytes(),
    )
    .unwrap();
    std::fs::write(d.join("断.docx"), zip.finish().unwrap().into_inner()).unwrap();
    // an encrypted Word file is an OLE container holding an EncryptedPackage stream
    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    ole.resize(1024, 0);
    ole.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
    ole.resize(2048, 0);
    std::fs::write(d.join("密.docx"), &ole).unwrap();
    let mut old = ole[..8].to_vec();
    old.resize(2048, 0);
    std::fs::write(d.join("旧.doc"), &old).unwrap();
    std::fs::write(d.join("旧.wps"), &old).unwrap();
    for (file, says) in [
        ("坏.docx", "不是有效的 .docx（zip）文件"),
        ("乱.docx", ".docx 已损坏（word/document.xml"),
        ("断.docx", "the XML ends before all its elements are closed"),
        ("密.docx", "设置了密码（已加密）的 Word 文件"),
        ("旧.doc", "请另存为 Word 文档（.docx）"),
        ("旧.wps", "请另存为 Word 文档（.docx）"),
    ] {
        let out = gwlint(d, &["check", "--annotate", file]);
        let lines = stderr_lines(&out);
        assert_eq!(out.status.code(), Some(2), "{file}: {lines:?}");
        assert_eq!(lines.len(), 1, "{file}: {lines:?}");
        assert!(
            lines[0].starts_with(&format!("gwlint：错误：{file}：")),
            "{lines:?}"
        );
        assert!(lines[0].contains(says), "{file}: {lines:?}");
        assert!(lines[0].ends_with("未写入任何内容"), "{lines:?}");
    }
    let left: Vec<_> = std::fs::read_dir(d)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("gwlint"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
    // without --annotate, an encrypted file is still named for what it is
    let out = gwlint(d, &["check", "密.docx"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("设置了密码"));
}

#[test]
fn help_shows_the_word_workflow_in_chinese() {
    for args in [&["--help"][..], &["check", "--help"][..]] {
        let out = gwlint(Path::new("."), args);
        let help = String::from_utf8_lossy(&out.stdout);
        assert!(
            help.contains("检查后在 Word/WPS 中逐条查看批注、接受或拒绝修订"),
            "{help}"
        );
        assert!(
            help.contains("gwlint check --annotate --track-changes 通知.docx"),
            "{help}"
        );
    }
}

// ---------------------------------------------------------------- real readers

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A Python that has python-docx, or `None`.
fn docx_python() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("GWLINT_DOCX_PYTHON").map(PathBuf::from),
        Some(repo().join("target/docx-venv/bin/python")),
        Some(PathBuf::from("python3")),
    ];
    candidates.into_iter().flatten().find(|p| {
        Command::new(p)
            .args(["-c", "import docx; docx.Document().comments"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    })
}

fn skip_unless_ci(what: &str, why: &str) {
    assert!(
        std::env::var_os("CI").is_none(),
        "CI is set but {why} (.ci/run installs it)"
    );
    let _ = writeln!(std::io::stderr(), "SKIPPED {what}: {why}");
}

fn json_of(out: Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn python_docx_finds_one_comment_per_finding_at_its_text() {
    let Some(python) = docx_python() else {
        return skip_unless_ci("python_docx", "no Python with python-docx found");
    };
    let saved_by_libreoffice =
        std::fs::read(repo().join("tests/fixtures/docx/draft-libreoffice.docx")).unwrap();
    for (input, track) in [
        (sample_notice(), false),
        (sample_notice(), true),
        (saved_by_libreoffice.clone(), false),
        (saved_by_libreoffice, true),
    ] {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("通知.docx"), &input).unwrap();
        let mut args = vec!["check", "--annotate", "通知.docx"];
        if track {
            args.push("--track-changes");
        }
        gwlint(dir.path(), &args);
        let read = Command::new(&python)
            .arg(repo().join("tests/docx_readers/read_docx.py"))
            .arg(dir.path().join("通知.gwlint.docx"))
            .output()
            .unwrap();
        let v = json_of(read);
        let (text, diags) = diagnostics(&input);
        let ours: Vec<&serde_json::Value> = v["comments"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["author"] == "gwlint")
            .collect();
        assert_eq!(ours.len(), diags.len());
        let key = if track {
            "anchor_before_revisions"
        } else {
            "anchor"
        };
        let mut got: Vec<(String, String)> = ours
            .iter()
            .map(|c| {
                let body = c["text"].as_str().unwrap();
                (
                    c[key].as_str().unwrap().to_owned(),
                    body.lines().next().unwrap().to_owned(),
                )
            })
            .collect();
        let mut expected: Vec<(String, String)> = diags
            .iter()
            .map(|d| (expected_anchor(&text, d), d.message.to_string()))
            .collect();
        got.sort();
        expected.sort();
        assert_eq!(got, expected, "track changes: {track}");
        if !text.starts_with("关于举办") {
            // the document LibreOffice saved: revisions only when asked for
            let revisions = v["revisions"].as_array().unwrap();
            assert_eq!(revisions.is_empty(), !track);
            continue;
        }
        assert!(v["comments"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["author"] == "张科长"));
        let revisions: Vec<&serde_json::Value> = v["revisions"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["author"] == "gwlint")
            .collect();
        if track {
            assert!(revisions
                .iter()
                .all(|r| r["date"] == "2025-04-20T08:30:00Z"));
            let deleted: Vec<&str> = revisions
                .iter()
                .filter(|r| r["kind"] == "del")
                .map(|r| r["text"].as_str().unwrap())
                .collect();
            let inserted: Vec<&str> = revisions
                .iter()
                .filter(|r| r["kind"] == "ins")
                .map(|r| r["text"].as_str().unwrap())
                .collect();
            assert!(
                deleted.contains(&"本资料来源于网络，如有侵权请联系删除。"),
                "{deleted:?}"
            );
            assert!(
                deleted.contains(&"\n"),
                "the ad line's paragraph mark: {deleted:?}"
            );
            assert_eq!(inserted, ["：", "，"]);
        } else {
            assert!(revisions.is_empty());
        }
    }
}

#[test]
fn libreoffice_shows_the_comments_and_the_tracked_changes() {
    if Command::new("soffice")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_err()
    {
        return skip_unless_ci("libreoffice", "`soffice` not found on PATH");
    }
    let dir = tempfile::tempdir().unwrap();
    let input = sample_notice();
    std::fs::write(dir.path().join("通知.docx"), &input).unwrap();
    gwlint(
        dir.path(),
        &["check", "--annotate", "--track-changes", "通知.docx"],
    );
    let profile = format!("file://{}", dir.path().join("lo-profile").display());
    let out = Command::new("soffice")
        .arg(format!("-env:UserInstallation={profile}"))
        .args(["--headless", "--convert-to", "fodt", "--outdir"])
        .arg(dir.path().join("lo"))
        .arg(dir.path().join("通知.gwlint.docx"))
        .output()
        .unwrap();
    let fodt = dir.path().join("lo/通知.gwlint.fodt");
    assert!(fodt.is_file(), "{}", String::from_utf8_lossy(&out.stderr));
    let read = Command::new("python3")
        .arg(repo().join("tests/docx_readers/read_fodt.py"))
        .arg(&fodt)
        .output()
        .unwrap();
    let v = json_of(read);
    let (text, diags) = diagnostics(&input);
    let ours: Vec<&serde_json::Value> = v["annotations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["author"] == "gwlint")
        .collect();
    assert_eq!(ours.len(), diags.len());
    for d in &diags {
        let a = ours
            .iter()
            .find(|a| a["paragraphs"][0] == *d.message)
            .unwrap_or_else(|| panic!("no annotation says {}", d.message));
        let paragraphs: Vec<&str> = a["paragraphs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_str().unwrap())
            .collect();
        assert!(
            paragraphs.contains(
                &format!(
                    "规则：{}（{}）",
                    d.rule,
                    match d.severity {
                        gwlint::Severity::Error => "错误",
                        gwlint::Severity::Warning => "警告",
                        gwlint::Severity::Info => "提示",
                    }
                )
                .as_str()
            ),
            "{paragraphs:?}"
        );
        // LibreOffice shows deleted and inserted text inside the range
        let anchor = a["anchor"].as_str().unwrap();
        assert!(
            anchor.starts_with(&expected_anchor(&text, d)),
            "{anchor:?} for {}",
            d.message
        );
    }
    let changes: Vec<(String, String)> = v["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["author"] == "gwlint")
        .map(|c| {
            (
                c["kind"].as_str().unwrap().to_owned(),
                c["text"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let has = |kind: &str, t: &str| changes.contains(&(kind.to_owned(), t.to_owned()));
    assert!(
        has("deletion", "本资料来源于网络，如有侵权请联系删除。"),
        "{changes:?}"
    );
    assert!(
        has("deletion", ":") && has("insertion", "："),
        "{changes:?}"
    );
    assert!(
        has("deletion", ",") && has("insertion", "，"),
        "{changes:?}"
    );
    assert!(has("deletion", " "), "{changes:?}");
    assert!(v["changes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["author"] == "李秘书"));
}
