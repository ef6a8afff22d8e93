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
//! never rewritten: `--fix` refuses it (see [`crate::load::fix_refusal`]); [`annotate`]
//! makes an annotated copy instead (findings as comments, safe fixes as tracked changes).
//! Which characters the text holds is decided once, in `walk.rs`, for both.

use std::fmt;
use std::io::Read;

pub mod annotate;
mod layout;
mod walk;

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
    /// An encrypted (password-protected) Word file: an OLE container, not a zip.
    Encrypted,
    /// An OLE container without encryption: an old binary `.doc` / `.wps` file.
    OldBinaryFormat,
}

impl DocxError {
    /// What is wrong, in one line (without what happens to the file).
    pub fn reason(&self) -> String {
        match self {
            DocxError::NotZip(e) => format!("不是有效的 .docx（zip）文件：{e}"),
            DocxError::NoDocument => "不是 Word 文档（.docx 里没有 word/document.xml）".into(),
            DocxError::TooLarge(limit) => {
                format!(".docx 的正文部分解压后超过 {} MiB", limit >> 20)
            }
            DocxError::BadXml(e) => format!(".docx 已损坏（word/document.xml：{e}）"),
            DocxError::Encrypted => "设置了密码（已加密）的 Word 文件，gwlint 打不开；\
                                     请另存一份不带密码的副本"
                .into(),
            DocxError::OldBinaryFormat => "这是旧版 Word/WPS 文件（.doc/.wps 格式），不是 .docx：\
                 请另存为 Word 文档（.docx）后再检查"
                .into(),
        }
    }
}

impl fmt::Display for DocxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}，已跳过", self.reason())
    }
}

/// The signature of an OLE compound file: old `.doc`/`.wps` files and encrypted `.docx`.
const OLE_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// An error for bytes that are an OLE container rather than a zip: encrypted when the
/// container holds an `EncryptedPackage` stream (its name is stored in UTF-16LE).
pub fn ole_container_error(bytes: &[u8]) -> Option<DocxError> {
    if !bytes.starts_with(&OLE_MAGIC) {
        return None;
    }
    let name: Vec<u8> = "EncryptedPackage"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    let encrypted = bytes.windows(name.len()).any(|w| w == name.as_slice());
    Some(if encrypted {
        DocxError::Encrypted
    } else {
        DocxError::OldBinaryFormat
    })
}

/// Open a `.docx` package (a zip), naming OLE containers for what they are.
pub(crate) fn open_package(
    bytes: &[u8],
) -> Result<zip::ZipArchive<std::io::Cursor<&[u8]>>, DocxError> {
    if let Some(e) = ole_container_error(bytes) {
        return Err(e);
    }
    zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| DocxError::NotZip(e.to_string()))
}

/// Extract the text of a `.docx` file's bytes.
pub fn extract_text(bytes: &[u8]) -> Result<String, DocxError> {
    extract_text_limited(bytes, MAX_XML_BYTES)
}

/// [`extract_text`] with an explicit limit on the unpacked size of `word/document.xml`.
pub fn extract_text_limited(bytes: &[u8], limit: u64) -> Result<String, DocxError> {
    let mut archive = open_package(bytes)?;
    read_part_limited(&mut archive, "word/document.xml", limit)?
        .ok_or(DocxError::NoDocument)
        .and_then(|xml| {
            let xml = String::from_utf8(xml)
                .map_err(|_| DocxError::BadXml("不是 UTF-8（只支持 UTF-8 的 Word XML）".into()))?;
            document_xml_text(&xml)
        })
}

/// The unpacked bytes of one part, `None` when the package has no such part; at most
/// `limit` bytes (the declared size may lie, so at most one byte past it is read).
pub(crate) fn read_part_limited(
    archive: &mut zip::ZipArchive<std::io::Cursor<&[u8]>>,
    name: &str,
    limit: u64,
) -> Result<Option<Vec<u8>>, DocxError> {
    let file = match archive.by_name(name) {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
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
    Ok(Some(xml))
}

/// The text of a `word/document.xml`: one line per paragraph, each ended by `\n`.
pub fn document_xml_text(xml: &str) -> Result<String, DocxError> {
    walk::walk(xml, &mut walk::TextOnly).map(|w| w.text)
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
