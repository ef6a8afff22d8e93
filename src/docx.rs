//! `.docx` input: the text of `word/document.xml`, one line per paragraph.
//!
//! Pure (bytes in, text out). Paragraphs (`w:p`) become lines and their runs are joined;
//! `w:tab` is a tab, `w:br`/`w:cr` (not page or column breaks) start a new line. Table
//! cells and text boxes are paragraphs like any other: a text box's paragraphs come out
//! before the line of the paragraph that anchors it. Only `w:t` text counts, so deleted
//! revisions (`w:delText`) and field codes (`w:instrText`) are left out, and the `mc:Fallback`
//! copy of a text box is skipped. Headers, footers, footnotes and comments live in other
//! parts of the package and are not read.
//!
//! Diagnostics therefore point at paragraph (line) and character column. A `.docx` is
//! never rewritten: `--fix` refuses it (see [`crate::load::fix_refusal`]).

use quick_xml::events::Event;
use quick_xml::Reader;
use std::fmt;
use std::io::Read;

/// The largest `word/document.xml` (uncompressed) that is read; guards against zip bombs.
pub const MAX_XML_BYTES: u64 = 128 * 1024 * 1024;

/// Why a `.docx` file gave no text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocxError {
    /// Not a zip archive, or a damaged one.
    NotZip(String),
    /// The archive has no `word/document.xml`.
    NoDocument,
    /// `word/document.xml` unpacks to more than the limit.
    TooLarge(u64),
    /// `word/document.xml` is not well-formed UTF-8 XML.
    BadXml(String),
}

impl fmt::Display for DocxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DocxError::NotZip(e) => write!(f, "not a valid .docx (zip) file: {e}, skipped"),
            DocxError::NoDocument => {
                f.write_str("not a Word document (no word/document.xml in the .docx), skipped")
            }
            DocxError::TooLarge(limit) => write!(
                f,
                ".docx text part unpacks to more than {} MiB, skipped",
                limit >> 20
            ),
            DocxError::BadXml(e) => write!(f, "damaged .docx (word/document.xml: {e}), skipped"),
        }
    }
}

/// Extract the text of a `.docx` file's bytes.
pub fn extract_text(bytes: &[u8]) -> Result<String, DocxError> {
    extract_text_limited(bytes, MAX_XML_BYTES)
}

/// [`extract_text`] with an explicit limit on the unpacked size of `word/document.xml`.
pub fn extract_text_limited(bytes: &[u8], limit: u64) -> Result<String, DocxError> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| DocxError::NotZip(e.to_string()))?;
    let file = match archive.by_name("word/document.xml") {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) => return Err(DocxError::NoDocument),
        Err(e) => return Err(DocxError::NotZip(e.to_string())),
    };
    if file.size() > limit {
        return Err(DocxError::TooLarge(limit));
    }
    let mut xml = Vec::new();
    // The declared size may lie: read at most one byte past the limit.
    file.take(limit + 1)
        .read_to_end(&mut xml)
        .map_err(|e| DocxError::NotZip(e.to_string()))?;
    if xml.len() as u64 > limit {
        return Err(DocxError::TooLarge(limit));
    }
    let xml = String::from_utf8(xml)
        .map_err(|_| DocxError::BadXml("not UTF-8 (only UTF-8 Word XML is supported)".into()))?;
    document_xml_text(&xml)
}

/// The text of a `word/document.xml`: one line per paragraph, each ended by `\n`.
pub fn document_xml_text(xml: &str) -> Result<String, DocxError> {
    let mut reader = Reader::from_str(xml);
    let mut out = String::with_capacity(xml.len() / 4);
    // Open paragraphs, innermost last (a text box paragraph sits inside a run of another).
    let mut paragraphs: Vec<String> = Vec::new();
    let mut in_text = 0usize; // depth of open <w:t>
    let mut skip = 0usize; // depth of open <mc:Fallback>
    loop {
        let event = reader.read_event().map_err(|e| {
            DocxError::BadXml(format!(
                "{e} at byte {}",
                reader.error_position().min(xml.len() as u64)
            ))
        })?;
        match event {
            Event::Start(e) => match e.name().as_ref() {
                "mc:Fallback" => skip += 1,
                _ if skip > 0 => {}
                "w:p" => paragraphs.push(String::new()),
                "w:t" => in_text += 1,
                name => push_break(name, &e, &mut paragraphs),
            },
            Event::Empty(e) => match e.name().as_ref() {
                _ if skip > 0 => {}
                // An empty paragraph is an empty line.
                "w:p" => end_paragraph(String::new(), &mut out),
                name => push_break(name, &e, &mut paragraphs),
            },
            Event::End(e) => match e.name().as_ref() {
                "mc:Fallback" => skip = skip.saturating_sub(1),
                _ if skip > 0 => {}
                "w:p" => {
                    if let Some(p) = paragraphs.pop() {
                        end_paragraph(p, &mut out);
                    }
                }
                "w:t" => in_text = in_text.saturating_sub(1),
                _ => {}
            },
            Event::Text(t) if in_text > 0 && skip == 0 => {
                if let Some(p) = paragraphs.last_mut() {
                    p.push_str(&t.xml10_content());
                }
            }
            Event::CData(t) if in_text > 0 && skip == 0 => {
                if let Some(p) = paragraphs.last_mut() {
                    p.push_str(&t);
                }
            }
            Event::GeneralRef(r) if in_text > 0 && skip == 0 => {
                let c = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c),
                    Ok(None) => predefined_entity(&r),
                    Err(_) => None,
                };
                if let (Some(c), Some(p)) = (c, paragraphs.last_mut()) {
                    p.push(c);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    // Unclosed paragraphs of a truncated document still count.
    while let Some(p) = paragraphs.pop() {
        end_paragraph(p, &mut out);
    }
    Ok(out)
}

/// `w:tab`, `w:br` and `w:cr` inside an open paragraph.
fn push_break(name: &str, e: &quick_xml::events::BytesStart<'_>, paragraphs: &mut [String]) {
    let Some(p) = paragraphs.last_mut() else {
        return;
    };
    match name {
        "w:tab" => p.push('\t'),
        "w:cr" => p.push('\n'),
        "w:br" => {
            let kind = e.try_get_attribute("w:type").ok().flatten();
            if kind.is_none_or(|a| a.value == "textWrapping") {
                p.push('\n');
            }
        }
        _ => {}
    }
}

/// A finished paragraph becomes a line. Control characters other than tab and line
/// breaks (which Word never stores as text) are dropped so the text stays lintable.
fn end_paragraph(p: String, out: &mut String) {
    out.extend(
        p.chars()
            .filter(|&c| !c.is_control() || c == '\t' || c == '\n'),
    );
    out.push('\n');
}

fn predefined_entity(name: &str) -> Option<char> {
    match name {
        "lt" => Some('<'),
        "gt" => Some('>'),
        "amp" => Some('&'),
        "apos" => Some('\''),
        "quot" => Some('"'),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(inner: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><w:body>{inner}<w:sectPr/></w:body></w:document>"#
        )
    }

    #[test]
    fn paragraphs_runs_tabs_and_breaks() {
        let xml = body(
            r#"<w:p><w:r><w:t>关于</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">开展 </w:t></w:r><w:r><w:t>竞赛&amp;评比</w:t></w:r></w:p><w:p/><w:p><w:r><w:tab/><w:t>一、</w:t><w:br/><w:t>二</w:t><w:br w:type="page"/></w:r></w:p>"#,
        );
        assert_eq!(
            document_xml_text(&xml).unwrap(),
            "关于开展 竞赛&评比\n\n\t一、\n二\n"
        );
    }

    #[test]
    fn tables_text_boxes_and_revisions() {
        let xml = body(
            r#"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>单元格一</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>单元格二</w:t></w:r></w:p></w:tc></w:tr></w:tbl><w:p><w:r><w:t>锚点</w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><w:txbxContent><w:p><w:r><w:t>文本框</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>文本框</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r><w:del><w:r><w:delText>删掉的</w:delText></w:r></w:del><w:r><w:instrText>PAGE</w:instrText><w:t>后</w:t></w:r></w:p>"#,
        );
        assert_eq!(
            document_xml_text(&xml).unwrap(),
            "单元格一\n单元格二\n文本框\n锚点后\n"
        );
    }

    #[test]
    fn unpacked_size_is_limited() {
        use std::io::Write;
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        zip.start_file(
            "word/document.xml",
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        let xml = body(&"<w:p><w:r><w:t>内容</w:t></w:r></w:p>".repeat(100));
        zip.write_all(xml.as_bytes()).unwrap();
        let bytes = zip.finish().unwrap().into_inner();
        assert!(bytes.len() < xml.len(), "compressed");
        assert_eq!(
            extract_text_limited(&bytes, 1000),
            Err(DocxError::TooLarge(1000))
        );
        assert_eq!(
            extract_text_limited(&bytes, 1 << 20).unwrap(),
            "内容\n".repeat(100)
        );
    }

    #[test]
    fn damaged_input_is_an_error_not_a_panic() {
        assert!(matches!(
            extract_text(b"PK\x03\x04garbage"),
            Err(DocxError::NotZip(_))
        ));
        assert!(matches!(
            document_xml_text("<w:p><w:t>a</w:x></w:p>"),
            Err(DocxError::BadXml(_))
        ));
        // truncated XML keeps what was read
        assert_eq!(document_xml_text("<w:p><w:t>半截").unwrap(), "半截\n");
        assert_eq!(document_xml_text("").unwrap(), "");
    }
}
