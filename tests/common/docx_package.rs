//! Small but complete `.docx` packages for the annotation tests, built with the `zip`
//! writer (content types, relationships, styles), so that python-docx and LibreOffice open
//! them. The wording is invented for the tests.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use std::io::Write;

pub const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// One run: `<w:r>` with optional run properties and text (`\t` becomes `w:tab`).
pub fn run(props: &str, text: &str) -> String {
    let mut inner = String::new();
    for (i, part) in text.split('\t').enumerate() {
        if i > 0 {
            inner.push_str("<w:tab/>");
        }
        if !part.is_empty() {
            let escaped = part
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;");
            inner.push_str(&format!(r#"<w:t xml:space="preserve">{escaped}</w:t>"#));
        }
    }
    let rpr = if props.is_empty() {
        String::new()
    } else {
        format!("<w:rPr>{props}</w:rPr>")
    };
    format!("<w:r>{rpr}{inner}</w:r>")
}

/// A paragraph of runs, each `(properties, text)`.
pub fn para(runs: &[(&str, &str)]) -> String {
    let runs: String = runs.iter().map(|(p, t)| run(p, t)).collect();
    format!("<w:p>{runs}</w:p>")
}

/// A paragraph of one unformatted run.
pub fn plain(text: &str) -> String {
    para(&[("", text)])
}

/// A one-row table of paragraphs.
pub fn table(cells: &[String]) -> String {
    let cells: String = cells
        .iter()
        .map(|c| format!(r#"<w:tc><w:tcPr><w:tcW w:w="3000" w:type="dxa"/></w:tcPr>{c}</w:tc>"#))
        .collect();
    format!(
        r#"<w:tbl><w:tblPr><w:tblW w:w="6000" w:type="dxa"/></w:tblPr><w:tblGrid><w:gridCol w:w="3000"/><w:gridCol w:w="3000"/></w:tblGrid><w:tr>{cells}</w:tr></w:tbl>"#
    )
}

/// A paragraph holding `anchor` text and a text box (DrawingML with a VML fallback copy,
/// as Word saves it) containing `inner` paragraphs.
pub fn text_box_paragraph(anchor: &str, inner: &str) -> String {
    format!(
        r#"<w:p>{}<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor distT="0" distB="0" distL="114300" distR="114300" simplePos="0" relativeHeight="2" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="column"><wp:posOffset>0</wp:posOffset></wp:positionH><wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV><wp:extent cx="2400000" cy="600000"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapSquare wrapText="bothSides"/><wp:docPr id="1" name="文本框 1"/><wp:cNvGraphicFramePr/><a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="2400000" cy="600000"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></wps:spPr><wps:txbx><w:txbxContent>{inner}</w:txbxContent></wps:txbx><wps:bodyPr/></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict><v:rect style="width:189pt;height:47pt"><v:textbox><w:txbxContent>{inner}</w:txbxContent></v:textbox></v:rect></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>"#,
        run("", anchor)
    )
}

/// Extra parts of a package.
#[derive(Default)]
pub struct Extras<'a> {
    /// `word/comments.xml` content inside `<w:comments>`.
    pub comments: Option<&'a str>,
    /// `word/header1.xml` paragraphs.
    pub header: Option<&'a str>,
}

/// A `.docx` whose body is `body` (paragraphs and tables).
pub fn docx(body: &str, extras: &Extras<'_>) -> Vec<u8> {
    let mut types = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>"#,
    );
    let mut rels = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>"#,
    );
    let mut sect = String::new();
    let mut parts: Vec<(String, String)> = Vec::new();
    if let Some(h) = extras.header {
        types.push_str(r#"<Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>"#);
        rels.push_str(r#"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/>"#);
        sect.push_str(r#"<w:headerReference w:type="default" r:id="rId2"/>"#);
        parts.push((
            "word/header1.xml".into(),
            format!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:hdr xmlns:w="{W_NS}">{h}</w:hdr>"#
            ),
        ));
    }
    if let Some(c) = extras.comments {
        types.push_str(r#"<Override PartName="/word/comments.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"/>"#);
        rels.push_str(r#"<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments" Target="comments.xml"/>"#);
        parts.push((
            "word/comments.xml".into(),
            format!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:comments xmlns:w="{W_NS}">{c}</w:comments>"#
            ),
        ));
    }
    types.push_str("</Types>");
    rels.push_str("</Relationships>");
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="{W_NS}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" xmlns:v="urn:schemas-microsoft-com:vml" mc:Ignorable=""><w:body>{body}<w:sectPr>{sect}<w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1588" w:header="851" w:footer="992" w:gutter="0"/></w:sectPr></w:body></w:document>"#
    );
    let styles = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="{W_NS}"><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:rPr><w:rFonts w:eastAsia="仿宋"/><w:sz w:val="32"/></w:rPr></w:style></w:styles>"#
    );
    let mut all: Vec<(String, String)> = vec![
        ("[Content_Types].xml".into(), types),
        ("_rels/.rels".into(), r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#.into()),
        ("word/document.xml".into(), document),
        ("word/_rels/document.xml.rels".into(), rels),
        ("word/styles.xml".into(), styles),
    ];
    all.extend(parts);
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, text) in all {
        zip.start_file(name, options).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// Every part of a package: name → unpacked bytes, in archive order.
pub fn parts(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut f = archive.by_index(i).unwrap();
            let mut data = Vec::new();
            f.read_to_end(&mut data).unwrap();
            (f.name().unwrap().into_owned(), data)
        })
        .collect()
}

/// One part's text.
pub fn part(bytes: &[u8], name: &str) -> Option<String> {
    parts(bytes)
        .into_iter()
        .find(|(n, _)| n == name)
        .map(|(_, b)| String::from_utf8(b).unwrap())
}

/// A notice with the usual places findings hide: runs split inside words, a table, a text
/// box, a download-site line to delete, someone else's comment and tracked insertion.
pub fn sample_notice() -> Vec<u8> {
    let bold = "<w:b/>";
    let red = r#"<w:color w:val="C00000"/>"#;
    let body = [
        para(&[
            (bold, "关于举办"),
            (bold, "2025"),
            (bold, "年度青年读书分享会的通知"),
        ]),
        plain("本资料来源于网络，如有侵权请联系删除。"),
        plain("各团支部:"),
        para(&[
            ("", "为推动学习型机关建设，请各支部认真按"),
            (red, "排"),
            ("", "时间，参与率力争达到 80 以上。"),
        ]),
        // someone else's comment and tracked insertion stay as they are
        r#"<w:p><w:commentRangeStart w:id="0"/><w:r><w:t>分享会地点另行通知。</w:t></w:r><w:commentRangeEnd w:id="0"/><w:r><w:commentReference w:id="0"/></w:r><w:ins w:id="1" w:author="李秘书" w:date="2025-04-01T09:00:00Z"><w:r><w:t>（请留意）</w:t></w:r></w:ins></w:p>"#.to_owned(),
        table(&[plain("活动时间"), plain("2025年5月10日,上午九时")]),
        text_box_paragraph("附注", &plain("学习贯彻党的XX大精神")),
        plain("团委办公室"),
        plain("2025年4月18日"),
    ]
    .concat();
    docx(
        &body,
        &Extras {
            comments: Some(
                r#"<w:comment w:id="0" w:author="张科长" w:date="2025-04-02T10:00:00Z" w:initials="ZK"><w:p><w:r><w:t>地点请尽快确定。</w:t></w:r></w:p></w:comment>"#,
            ),
            header: Some("<w:p><w:r><w:t>团委文件</w:t></w:r></w:p>"),
        },
    )
}
