//! `.docx` input end to end: a document saved by LibreOffice gets the same diagnostics as
//! its plain-text source; generated documents show tables and text boxes are read, headers
//! and footers are not; folders are walked for .docx; damaged files are skipped cleanly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output};

fn gwlint(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gwlint"))
        .args(args)
        .output()
        .unwrap()
}

/// (rule, line, column) of every diagnostic, from the JSON report.
fn findings(path: &Path) -> Vec<(String, u64, u64)> {
    let out = gwlint(&["check", "--format", "json", path.to_str().unwrap()]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_owned(),
                d["start"]["line"].as_u64().unwrap(),
                d["start"]["column"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// A minimal .docx package: document.xml body plus any extra parts.
fn write_docx(path: &Path, body: &str, extra: &[(&str, &str)]) {
    let file = std::fs::File::create(path).unwrap();
    let mut zip = zip::ZipWriter::new(file);
    let opts = zip::write::SimpleFileOptions::default();
    let doc = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><w:body>{body}<w:sectPr><w:headerReference r:id="rId1"/></w:sectPr></w:body></w:document>"#
    );
    zip.start_file("[Content_Types].xml", opts).unwrap();
    zip.write_all(br#"<?xml version="1.0"?><Types/>"#).unwrap();
    zip.start_file("word/document.xml", opts).unwrap();
    zip.write_all(doc.as_bytes()).unwrap();
    for (name, text) in extra {
        zip.start_file(*name, opts).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap();
}

fn para(text: &str) -> String {
    // one run per character: the worst case of run splitting
    let runs: String = text
        .chars()
        .map(|c| format!(r#"<w:r><w:t xml:space="preserve">{c}</w:t></w:r>"#))
        .collect();
    format!("<w:p>{runs}</w:p>")
}

#[test]
fn libreoffice_docx_matches_its_plain_text() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/docx");
    let txt = findings(&dir.join("draft.txt"));
    let docx = findings(&dir.join("draft-libreoffice.docx"));
    assert!(txt.len() >= 5, "the fixture should have defects: {txt:?}");
    assert_eq!(docx, txt);
}

#[test]
fn tables_and_text_boxes_are_read_headers_are_not() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("通知.docx");
    let body = format!(
        r#"{}<w:tbl><w:tr><w:tc>{}</w:tc><w:tc>{}</w:tc></w:tr></w:tbl><w:p><w:r><w:t>锚点</w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><w:txbxContent>{}</w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent>{}</w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>"#,
        para("关于开展劳动竞赛的通知"),
        para("单位名称"),
        para("开展劳动竟赛"),
        para("贯彻党的XX大精神"),
        para("贯彻党的XX大精神"),
    );
    let header = r#"<w:hdr xmlns:w="x"><w:p><w:r><w:t>页眉里的劳动竟赛</w:t></w:r></w:p></w:hdr>"#;
    write_docx(&path, &body, &[("word/header1.xml", header)]);
    let got = findings(&path);
    // line 1 title, 2–3 table cells, 4 text box (before its anchor line 5); the text box
    // is reported once although Word stores a fallback copy; the header is not read.
    assert_eq!(
        got,
        vec![
            ("common-typo".to_owned(), 3, 5),
            ("template-placeholder".to_owned(), 4, 3),
        ]
    );
}

#[test]
fn folders_are_walked_for_docx_and_damaged_files_are_skipped() {
    let dir = tempfile::tempdir().unwrap();
    write_docx(&dir.path().join("a.DOCX"), &para("开展劳动竟赛。"), &[]);
    std::fs::write(dir.path().join("b.docx"), b"PK\x03\x04 not really a zip").unwrap();
    let out = gwlint(&["check", "--format", "json", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let paths: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["path"].as_str().unwrap())
        .collect();
    assert!(!paths.is_empty() && paths.iter().all(|p| p.ends_with("a.DOCX")));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("b.docx：不是有效的 .docx（zip）文件"), "{err}");
    assert!(!err.contains("panicked"));
}

#[test]
fn docx_is_never_a_fix_target() {
    use gwlint::load::{fix_refusal, Input};
    let refusal = fix_refusal(&Input::File("草稿.docx".into())).unwrap();
    assert!(refusal.contains("--fix 不改写 .docx"), "{refusal}");
    assert_eq!(fix_refusal(&Input::File("草稿.txt".into())), None);
    assert_eq!(fix_refusal(&Input::Stdin), None);
}

#[test]
fn fix_refuses_docx_and_leaves_it_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("通知.docx");
    write_docx(&path, &para("各基层工会:"), &[]);
    let before = std::fs::read(&path).unwrap();
    let out = gwlint(&["check", "--fix", "--format", "json", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--fix 不改写 .docx 文件"), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), before);
    // the findings are those of the unfixed text
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["rule"] == "half-width-punctuation"));
    // --diff writes nothing and may show what would change
    let out = gwlint(&["check", "--diff", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(std::fs::read(&path).unwrap(), before);
}
