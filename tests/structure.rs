//! The structure parser as users see it through `gwlint debug structure`: one insta snapshot
//! per fixture document, plus assertions on what must be recognised (and what must not be
//! flagged) in documents with PDF residue, continuous numbering and compilations.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use gwlint::document::dates::DateRole;
use gwlint::document::debug;
use gwlint::{Document, RuleSet, Settings};
use std::path::Path;

#[test]
fn debug_structure_of_fixture_documents() {
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    insta::glob!(base, "documents/*.txt", |path| {
        let text = std::fs::read_to_string(path).unwrap();
        let doc = Document::from_text("fixture.txt", text);
        insta::assert_snapshot!(debug::render(&doc));
    });
}

/// One document per layout and per kind (`tests/fixtures/layouts.md` lists them), read
/// with the file's own name so that `.md` drafts get the Markdown labels.
fn layout_fixtures() -> Vec<(String, Document)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/layouts");
    let mut docs: Vec<(String, Document)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt" || x == "md"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&p).unwrap();
            let doc = Document::from_text(name.clone(), text);
            (name, doc)
        })
        .collect();
    docs.sort_by(|a, b| a.0.cmp(&b.0));
    docs
}

#[test]
fn debug_structure_of_layout_fixtures() {
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    insta::glob!(base, "layouts/*.{txt,md}", |path| {
        let text = std::fs::read_to_string(path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let doc = Document::from_text(name, text);
        assert_eq!(
            doc.is_markdown(),
            path.extension().is_some_and(|x| x == "md")
        );
        insta::assert_snapshot!(debug::render(&doc));
    });
}

/// The 文种 of issue #11: the 15 of the 党政机关公文处理工作条例 and the usual non-statutory ones.
const KINDS: &[&str] = &[
    "决议", "决定", "命令", "公报", "公告", "通告", "意见", "通知", "通报", "报告", "请示", "批复",
    "议案", "函", "纪要", "方案", "计划", "要点", "总结", "规划", "办法", "细则", "汇编", "简报",
];

#[test]
fn layout_fixtures_cover_every_line_label_and_every_kind() {
    use gwlint::document::layout::LineKind;
    use std::collections::BTreeSet;
    let docs = layout_fixtures();
    assert!(docs.len() >= 10, "{} fixtures", docs.len());
    let mut labels = BTreeSet::new();
    let mut kinds = BTreeSet::new();
    for (_, doc) in &docs {
        let st = doc.structure();
        labels.extend(st.kinds.iter().map(|k| k.id()));
        kinds.extend(st.segments.iter().filter_map(|g| g.doc_type.clone()));
    }
    let missing_labels: Vec<&str> = LineKind::ALL
        .iter()
        .filter(|k| **k != LineKind::Blank && !labels.contains(k.id()))
        .map(|k| k.id())
        .collect();
    assert!(
        missing_labels.is_empty(),
        "no layout fixture has a line labelled {missing_labels:?}"
    );
    let missing_kinds: Vec<&str> = KINDS
        .iter()
        .copied()
        .filter(|k| !kinds.contains(*k))
        .collect();
    assert!(
        missing_kinds.is_empty(),
        "no layout fixture has a segment of kind {missing_kinds:?} (found {kinds:?})"
    );
}

/// `tests/fixtures/layouts.md` describes every layout fixture and lists, one `# known:` line
/// each, the lines the model still labels wrongly. Each listed line must still carry the
/// wrong label (once fixed, the line is deleted and the snapshot updated), so the list
/// cannot go stale.
#[test]
fn layout_fixtures_are_described_and_known_mislabels_are_current() {
    use gwlint::document::layout::LineKind;
    let list = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/layouts.md"),
    )
    .unwrap();
    let docs = layout_fixtures();
    for (name, _) in &docs {
        assert!(
            list.contains(&format!("| `{name}` |")),
            "{name} is not described in layouts.md"
        );
    }
    let mut known = 0;
    for line in list.lines().filter_map(|l| l.strip_prefix("# known: ")) {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let [file, lines, "expected", expected, "got", got, ..] = fields[..] else {
            panic!("malformed known line: {line}");
        };
        let expected = LineKind::from_id(expected.trim_end_matches(','));
        let got = LineKind::from_id(got).unwrap_or_else(|| panic!("unknown label in {line}"));
        assert!(
            expected.is_some_and(|e| e != got),
            "expected label missing or same as got: {line}"
        );
        let (_, doc) = docs
            .iter()
            .find(|(n, _)| n == file)
            .unwrap_or_else(|| panic!("no fixture {file}"));
        let number = |s: &str| {
            s.trim_start_matches('L')
                .parse::<usize>()
                .unwrap_or_else(|e| panic!("{s:?}: {e}"))
        };
        let (first, last) = match lines.split_once('-') {
            Some((a, b)) => (number(a), number(b)),
            None => (number(lines), number(lines)),
        };
        let st = doc.structure();
        for n in first..=last {
            assert_eq!(
                st.kind(n - 1),
                got,
                "{file} L{n} is no longer {}: fixed? delete the known line and review the snapshot",
                got.id()
            );
        }
        known += 1;
    }
    assert!(known > 0, "no known lines parsed");
}

fn ids(text: &str, select: &str) -> Vec<String> {
    let rules = RuleSet::builtin().unwrap();
    let settings = Settings {
        select: vec![select.to_owned()],
        ..Settings::default()
    };
    let doc = Document::from_text("t.txt", text);
    gwlint::check(&doc, &rules, &settings)
        .into_iter()
        .map(|d| {
            format!(
                "{}@{}",
                d.rule,
                doc.lines.position(&doc.text, d.span.start).line
            )
        })
        .collect()
}

/// PDF residue: blank lines between pieces, spaces inside dates and numbers, a leading space.
const PDF_NOTICE: &str = "\
 青山区
交通运输局文件

青交发[2021] 9 号 签发人：林 涛

关于印发《2021 年安全生产工作要点》的通知

各科室、各直属单位：

现将《2021 年安全生产工作要点》印发给你们，请认真

贯彻执行。

青山区交通运输局

2020 年 2 月 14 日

青山区交通运输局办公室 2021 年 1 月 8 日印发

拟稿：陈 晓 校对：王芳
 2021 年安全生产工作要点

2021 年，全局安全生产工作的总体要求是：坚持安全第一。

一、强化责任落实
1、落实主体责任。
2、落实监管责任。
 二、深化隐患治理
3、开展隐患排查。
4、推进专项整治。
";

#[test]
fn header_parts_and_dates_survive_pdf_residue() {
    let doc = Document::from_text("t.txt", PDF_NOTICE);
    let st = doc.structure();
    let number = st.header.doc_number.as_ref().unwrap();
    assert_eq!((number.year, number.number), (2021, 9));
    assert_eq!(&doc.text[number.year_span.clone()], "[2021]");
    let signing = st.signing_date().unwrap();
    assert_eq!(signing.role, DateRole::Signing);
    assert_eq!(&doc.text[signing.span.clone()], "2020 年 2 月 14 日");
    let issue = st.issue_date().unwrap();
    assert_eq!(
        (issue.year, issue.month, issue.day),
        (Some(2021), 1, Some(8))
    );
    assert!(st.header.signer.is_some() && st.header.drafter.is_some());
    let main = &st.segments[st.main_segment().unwrap()];
    assert_eq!(main.plan_year, Some(2021));
    assert!(main.addressee.is_some() && main.signature.is_some());
    // the heading with a leading space is still a level-1 heading
    assert_eq!(
        st.headings
            .iter()
            .filter(|h| h.style == gwlint::document::outline::MarkerStyle::Chinese)
            .count(),
        2
    );
}

#[test]
fn date_rules_compare_signing_date_with_number_title_and_issue() {
    let found = ids(PDF_NOTICE, "date-consistency");
    assert!(
        found.contains(&"doc-number-year-mismatch@16".to_owned()),
        "{found:?}"
    );
    assert!(
        found.contains(&"plan-year-mismatch@16".to_owned()),
        "{found:?}"
    );
    // signed 2020-02-14, issued 2021-01-08: consistent order, no signing-after-issue
    assert!(
        !found.iter().any(|f| f.starts_with("signing-after-issue")),
        "{found:?}"
    );
}

#[test]
fn continuous_numbering_with_comma_delimiters_is_valid() {
    // 1、–4、 run on across 一、 and 二、: no gap or restart; the 「、」 itself is nonstandard
    // (GB/T 9704: 「1.」) and reported once for the whole level
    assert_eq!(
        ids(PDF_NOTICE, "numbering"),
        vec!["mixed-outline-delimiter@26".to_owned()]
    );
}

#[test]
fn restart_inside_continuous_numbering_is_flagged_with_the_expected_number() {
    let text = "一、甲\n1.子一\n2.子二\n二、乙\n3.子三\n4.子四\n三、丙\n1.子五\n";
    let rules = RuleSet::builtin().unwrap();
    let doc = Document::from_text("t.txt", text);
    let settings = Settings {
        select: vec!["numbering".into()],
        ..Settings::default()
    };
    let diags = gwlint::check(&doc, &rules, &settings);
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0].rule, "wrong-outline-start");
    assert!(diags[0].message.contains("5."), "{}", diags[0].message);
}

#[test]
fn full_width_digits_and_spaces_in_dates() {
    let found = ids(
        "定于２０２２年４月１５日（星期四）召开，于6 月 31 日前报送。",
        "date-consistency",
    );
    assert_eq!(found, vec!["weekday-mismatch@1", "invalid-date@1"]);
}

#[test]
fn compilations_are_split_into_contained_documents() {
    let text = "目录\n关于开展安全月活动的通知……1\n关于加强经费管理的通知……3\n\n\
                关于开展安全月活动的通知\n各单位：\n一、活动时间\n二、活动内容\n东湖区总工会\n2020年3月2日\n\n\
                关于加强经费管理的通知\n各单位：\n一、严格预算\n二、规范支出\n东湖区总工会\n2020年5月6日\n";
    let doc = Document::from_text("t.txt", text);
    let st = doc.structure();
    assert_eq!(st.toc.as_ref().unwrap().entries.len(), 2);
    let titled: Vec<_> = st.segments.iter().filter(|g| g.title.is_some()).collect();
    assert_eq!(titled.len(), 2);
    assert!(titled
        .iter()
        .all(|g| g.signing_date.is_some() && g.addressee.is_some()));
    // each contained document restarts at 一、: no numbering or duplicate findings
    assert_eq!(ids(text, "numbering"), Vec::<String>::new());
    assert_eq!(ids(text, "duplicate"), Vec::<String>::new());
    assert_eq!(ids(text, "toc-mismatch"), Vec::<String>::new());
    assert_eq!(ids(text, "required-section"), Vec::<String>::new());
}

#[test]
fn a_notice_issuing_two_documents_without_book_title_marks_gets_both_as_segments() {
    let text = "湖滨县人民政府办公室关于印发湖滨县河道保洁考核办法\n\
                和村级河长巡查管理规定的通知\n湖政办发〔2021〕9号\n各乡镇人民政府，县直各单位：\n\
                现将两个文件印发给你们，请认真贯彻执行。\n湖滨县人民政府办公室\n2021年4月2日\n\
                湖滨县河道保洁考核办法\n一、考核对象\n二、考核内容\n三、考核结果运用\n\
                村级河长巡查管理规定\n一、巡查频次\n二、巡查内容\n";
    let doc = Document::from_text("t.txt", text);
    let st = doc.structure();
    let kinds: Vec<_> = st.segments.iter().map(|g| g.doc_type.as_deref()).collect();
    assert_eq!(
        kinds,
        [Some("通知"), Some("办法"), Some("规定")],
        "{kinds:?}"
    );
    // the second issued document restarts at 一、: no numbering finding
    assert_eq!(ids(text, "numbering"), Vec::<String>::new());
    // a line that is not named in the notice's title stays body text
    let other = text.replace("村级河长巡查管理规定\n", "防汛值班管理规定\n");
    assert!(!ids(&other, "numbering").is_empty());
}

#[test]
fn a_table_of_figures_aligned_with_spaces_is_not_a_table_of_contents() {
    let rows =
        "城镇新增就业人数　　　　12\n农村劳动力转移就业　　　15\n职业技能培训人次　　　　18\n";
    let doc = Document::from_text("t.txt", rows);
    assert!(doc.structure().toc.is_none());
    // the same layout listing documents by their titles is one
    let toc = "1.关于开展安全检查的通知　　　　1\n2.关于调整值班安排的通知　　　3\n3.关于表彰先进集体的决定　　　5\n";
    let doc = Document::from_text("t.txt", toc);
    assert_eq!(
        doc.structure().toc.as_ref().map(|t| t.entries.len()),
        Some(3)
    );
}

#[test]
fn hostile_input_does_not_panic() {
    let mut s = String::new();
    for i in 0..2000 {
        s.push_str(&format!(
            "（{i}）一、第九十九部分（（（1.{i}年13月99日目录\n"
        ));
    }
    s.push_str("目录\n……1\n9999年99月99日印发\n〔〕号签发人：\n");
    let doc = Document::from_text("t.txt", s);
    let _ = debug::render(&doc);
    let rules = RuleSet::builtin().unwrap();
    let _ = gwlint::check(&doc, &rules, &Settings::default());
}

#[test]
fn two_line_titles_and_signature_with_date_on_one_line() {
    let text =
        "东山区民政局文件\n\n东民发〔2019〕6号\n\n关于印发《2019年社会救助\n工作要点》的通知\n\n\
                各街道民政办：\n\n现将要点印发给你们。\n\n东山区民政局　　2018年4月9日\n\n\
                东山区民政局办公室　　2019年4月10日印发\n";
    let doc = Document::from_text("t.txt", text);
    let st = doc.structure();
    let main = &st.segments[st.main_segment().unwrap()];
    assert_eq!(main.plan_year, Some(2019));
    assert_eq!(main.doc_type.as_deref(), Some("通知"));
    assert!(main.addressee.is_some());
    assert_eq!(
        &doc.text[main.signature.as_ref().unwrap().span.clone()],
        "东山区民政局"
    );
    assert_eq!(st.signing_date().unwrap().year, Some(2018));
    let found = ids(text, "date-consistency");
    assert_eq!(
        found,
        vec!["doc-number-year-mismatch@12", "plan-year-mismatch@12"],
        "{found:?}"
    );
}
