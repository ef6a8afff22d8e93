//! Findings back into Word: a copy of a `.docx` with every finding as a comment (批注)
//! anchored on exactly its characters, and, on request, the safe fixes as tracked changes
//! (修订) to accept or reject.
//!
//! Pure: [`annotate_docx`] takes the bytes of a `.docx` and the diagnostics of its text
//! ([`crate::docx::extract_text`] → [`crate::Document`] → [`crate::check`]) and returns the
//! bytes of the new `.docx`; the CLI writes the file, the web page offers it for download.
//!
//! What changes: `word/document.xml` (runs split where a comment or change starts or
//! ends, each part keeping the run's formatting; comment marks; `w:del`/`w:ins`), the
//! comments part (gwlint's earlier comments are replaced, others kept), and, when the
//! document had no comments part, its relationship and content type. Every other part is
//! copied as it was, compressed bytes included.

mod comments;
mod emit;
mod plan;

use crate::docx::layout::Layout;
use crate::docx::{open_package, read_part_limited, DocxError, MAX_XML_BYTES};
use crate::Diagnostic;
use comments::{comment_element, comment_lines, ExistingComments, FixStatus};
use plan::{can_cut, Anchor, Plan};
use quick_xml::escape::{escape, partial_escape};
use quick_xml::events::Event;
use quick_xml::Reader;
use std::collections::BTreeMap;
use std::fmt;
use std::io::Write;
use std::ops::Range;

/// The author of every comment and revision gwlint writes; also how its earlier comments
/// are recognised.
pub const AUTHOR: &str = "gwlint";

const DOCUMENT: &str = "word/document.xml";
const DOCUMENT_RELS: &str = "word/_rels/document.xml.rels";
const CONTENT_TYPES: &str = "[Content_Types].xml";
const COMMENTS_TYPE: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments";
const COMMENTS_CONTENT_TYPE: &str =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnnotateOptions {
    /// Also apply the safe fixes as tracked changes.
    pub track_changes: bool,
    /// The date written on comments and revisions (ISO 8601, e.g. `2024-05-01T08:00:00Z`).
    pub date: String,
}

/// The annotated copy and what went into it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Annotated {
    pub bytes: Vec<u8>,
    /// Comments written (one per finding).
    pub comments: usize,
    /// Fixes shown as tracked changes.
    pub tracked_fixes: usize,
    /// Safe fixes that could not be shown as tracked changes (with `track_changes`).
    pub untracked_fixes: usize,
    /// gwlint comments of an earlier run that were taken out.
    pub replaced_comments: usize,
}

/// Why a `.docx` could not be annotated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnnotateError {
    /// It cannot be read (not a zip, encrypted, damaged XML…).
    Read(DocxError),
    /// A part other than the document's text does not parse.
    BadPart(String),
    /// Writing the new package failed.
    Write(String),
}

impl fmt::Display for AnnotateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AnnotateError::Read(e) => f.write_str(&e.reason()),
            AnnotateError::BadPart(e) => write!(f, ".docx 已损坏（{e}）"),
            AnnotateError::Write(e) => write!(f, "无法生成带批注的 .docx：{e}"),
        }
    }
}

impl From<DocxError> for AnnotateError {
    fn from(e: DocxError) -> AnnotateError {
        match e {
            DocxError::BadXml(m) if !m.starts_with(DOCUMENT) && m.contains(".xml") => {
                AnnotateError::BadPart(m)
            }
            e => AnnotateError::Read(e),
        }
    }
}

impl From<zip::result::ZipError> for AnnotateError {
    fn from(e: zip::result::ZipError) -> AnnotateError {
        AnnotateError::Write(e.to_string())
    }
}

/// Now in UTC as `YYYY-MM-DDThh:mm:ssZ` (Word's revision dates); `SOURCE_DATE_EPOCH`
/// (seconds) fixes it for reproducible output.
pub fn revision_date_now() -> String {
    let secs = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs())
        });
    let (days, rest) = (secs / 86_400, secs % 86_400);
    let (y, m, d) = civil_from_days(days as i64);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// Days since 1970-01-01 → (year, month, day) in the proleptic Gregorian calendar
/// (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// Revision and comment ids (one counter: Word wants them unique) and revision markup.
pub(crate) struct Revision {
    next_id: u64,
    date: String,
}

impl Revision {
    fn id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id - 1
    }

    fn attributes(&mut self) -> String {
        format!(
            r#"w:id="{}" w:author="{}" w:date="{}""#,
            self.id(),
            escape(AUTHOR),
            escape(self.date.as_str())
        )
    }

    /// The start tag of a `w:del` or `w:ins` around runs.
    fn open(&mut self, kind: &str) -> String {
        format!("<{kind} {}>", self.attributes())
    }

    /// The `w:del` of a paragraph mark.
    fn mark_deletion(&mut self) -> String {
        format!("<w:del {}/>", self.attributes())
    }

    /// Inserted text in a run formatted by `rpr`.
    fn insertion(&mut self, rpr: &str, text: &str) -> String {
        format!(
            r#"{}<w:r>{rpr}<w:t xml:space="preserve">{}</w:t></w:r></w:ins>"#,
            self.open("w:ins"),
            partial_escape(text)
        )
    }
}

fn read_xml(
    archive: &mut zip::ZipArchive<std::io::Cursor<&[u8]>>,
    name: &str,
) -> Result<Option<String>, DocxError> {
    match read_part_limited(archive, name, MAX_XML_BYTES)? {
        None => Ok(None),
        Some(bytes) => String::from_utf8(bytes)
            .map(Some)
            .map_err(|_| DocxError::BadXml(format!("{name}: not UTF-8"))),
    }
}

/// Annotate the `.docx` `docx` with `diagnostics`, whose spans are byte ranges of
/// [`crate::docx::extract_text`]`(docx)`.
pub fn annotate_docx(
    docx: &[u8],
    diagnostics: &[Diagnostic],
    options: &AnnotateOptions,
) -> Result<Annotated, AnnotateError> {
    let mut archive = open_package(docx)?;
    let document = read_xml(&mut archive, DOCUMENT)?.ok_or(DocxError::NoDocument)?;
    let rels = read_xml(&mut archive, DOCUMENT_RELS)?;
    let comments_name = rels.as_deref().map(comments_part_name).transpose()?;
    let comments_name = comments_name.flatten();
    let existing = match &comments_name {
        Some(name) => match read_xml(&mut archive, name)? {
            Some(xml) => Some((ExistingComments::parse(name, &xml)?, xml)),
            None => None,
        },
        None => None,
    };
    let earlier = existing
        .as_ref()
        .map(|(e, _)| e.earlier.clone())
        .unwrap_or_default();
    let document = comments::strip_marks(&document, &earlier)?;
    let layout = Layout::parse(&document)?;
    let mut revision = Revision {
        next_id: layout
            .max_id
            .max(existing.as_ref().map_or(0, |(e, _)| e.max_id))
            + 1,
        date: options.date.clone(),
    };
    let planned = plan_findings(&layout, &document, diagnostics, options, &mut revision);
    let new_document = emit::emit(&document, &layout, &planned.plan, &mut revision);

    let mut replace: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut add: Vec<(String, Vec<u8>)> = Vec::new();
    replace.insert(DOCUMENT.into(), new_document.into_bytes());
    match (&comments_name, &existing) {
        (Some(name), Some((parsed, xml)))
            if !parsed.earlier.is_empty() || !planned.comments.is_empty() =>
        {
            replace.insert(name.clone(), parsed.rewrite(xml, &planned.comments).into());
        }
        (Some(name), None) if !planned.comments.is_empty() => {
            add.push((name.clone(), comments::new_part(&planned.comments).into()));
        }
        (None, _) if !planned.comments.is_empty() => {
            let name = free_part_name(&archive);
            add.push((name.clone(), comments::new_part(&planned.comments).into()));
            register_part(&mut archive, &name, rels.as_deref(), &mut replace, &mut add)?;
        }
        _ => {}
    }
    let bytes = write_package(&mut archive, replace, add)?;
    Ok(Annotated {
        bytes,
        comments: planned.count,
        tracked_fixes: planned.tracked,
        untracked_fixes: planned.untracked,
        replaced_comments: earlier.len(),
    })
}

/// The plan for `word/document.xml` and the new `w:comment` elements.
struct Planned {
    plan: Plan,
    comments: String,
    count: usize,
    tracked: usize,
    untracked: usize,
}

fn plan_findings(
    layout: &Layout,
    xml: &str,
    diagnostics: &[Diagnostic],
    options: &AnnotateOptions,
    revision: &mut Revision,
) -> Planned {
    let mut planned = Planned {
        plan: Plan::default(),
        comments: String::new(),
        count: 0,
        tracked: 0,
        untracked: 0,
    };
    let line_ends: Vec<usize> = layout.text.match_indices('\n').map(|(i, _)| i).collect();
    let mut order: Vec<&Diagnostic> = diagnostics.iter().collect();
    order.sort_by_key(|d| (d.span.start, d.span.end));
    for d in order {
        let Some((anchor, lines)) = anchor_of(layout, &line_ends, d.span.clone()) else {
            continue;
        };
        let safe = d
            .fix
            .as_ref()
            .filter(|f| f.applicability == crate::Applicability::Safe);
        let tracked = match safe {
            Some(fix) if options.track_changes => {
                let ok = planned.plan.track(layout, xml, fix, revision);
                if ok {
                    planned.tracked += 1;
                } else {
                    planned.untracked += 1;
                }
                ok
            }
            _ => false,
        };
        let id = revision.id();
        let status = FixStatus::of(d, tracked, options.track_changes);
        planned.plan.comment(
            layout,
            &anchor,
            format!(r#"<w:commentRangeStart w:id="{id}"/>"#),
            format!(
                r#"<w:commentRangeEnd w:id="{id}"/><w:r><w:commentReference w:id="{id}"/></w:r>"#
            ),
        );
        planned.comments.push_str(&comment_element(
            id,
            &revision.date,
            &comment_lines(d, status, lines),
        ));
        planned.count += 1;
    }
    planned
}

/// Where a finding's comment goes, and the lines (1-based paragraphs) it spans when that
/// is more than one. A span over several paragraphs is cut to its first; an empty one
/// grows to the character after it (or before it, at a paragraph's end).
fn anchor_of(
    layout: &Layout,
    line_ends: &[usize],
    span: Range<usize>,
) -> Option<(Anchor, Option<(usize, usize)>)> {
    let text = &layout.text;
    if span.start >= text.len() {
        return None;
    }
    let floor = |mut i: usize| {
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let start = floor(span.start);
    let end = floor(span.end.min(text.len())).max(start);
    let p = layout.paragraph_at(start)?;
    let para = &layout.paragraphs[p];
    let line = |offset: usize| line_ends.partition_point(|&e| e < offset) + 1;
    let lines = (end > para.text.end + 1).then(|| (line(start), line(end - 1)));
    let mut range = start.min(para.text.end)..end.min(para.text.end);
    if range.is_empty() {
        let next = |i: usize| i + text[i..].chars().next().map_or(0, char::len_utf8);
        let prev = |i: usize| floor(i.saturating_sub(1));
        range = if range.start < para.text.end {
            range.start..next(range.start)
        } else if para.text.start < para.text.end {
            prev(para.text.end)..para.text.end
        } else {
            return Some((Anchor::Paragraph(p), lines));
        };
    }
    let exact = layout.pieces_in(range.clone()).next().is_some()
        && layout.piece_at(range.start).is_some()
        && layout.piece_at(range.end - 1).is_some()
        && can_cut(layout, range.start)
        && can_cut(layout, range.end);
    Some(if exact {
        (Anchor::Characters(range), lines)
    } else {
        (Anchor::Paragraph(p), lines)
    })
}

/// The part name of the comments part named in the document's relationships.
fn comments_part_name(rels: &str) -> Result<Option<String>, DocxError> {
    let mut reader = Reader::from_str(rels);
    loop {
        let event = reader.read_event().map_err(|e| {
            DocxError::BadXml(format!(
                "{DOCUMENT_RELS}: {e} at byte {}",
                reader.error_position()
            ))
        })?;
        match event {
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == "Relationship" => {
                let get = |n: &str| {
                    e.try_get_attribute(n).ok().flatten().and_then(|a| {
                        a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                            .ok()
                            .map(|v| v.into_owned())
                    })
                };
                let external = get("TargetMode").is_some_and(|m| m == "External");
                if get("Type").as_deref() == Some(COMMENTS_TYPE) && !external {
                    return Ok(get("Target").map(|t| match t.strip_prefix('/') {
                        Some(absolute) => absolute.to_owned(),
                        None => format!("word/{}", t.trim_start_matches("./")),
                    }));
                }
            }
            Event::Eof => return Ok(None),
            _ => {}
        }
    }
}

/// A name for a new comments part that no entry has yet.
fn free_part_name(archive: &zip::ZipArchive<std::io::Cursor<&[u8]>>) -> String {
    let taken = |n: &str| archive.index_for_name(n).is_some();
    let mut name = "word/comments.xml".to_owned();
    let mut k = 1;
    while taken(&name) {
        name = format!("word/comments-gwlint{k}.xml");
        k += 1;
    }
    name
}

/// Insert `content` just before the end of the root element `root` (or into an empty one).
fn append_to_root(xml: &str, root: &str, content: &str) -> Option<String> {
    let mut reader = Reader::from_str(xml);
    loop {
        let before = reader.buffer_position() as usize;
        let event = reader.read_event().ok()?;
        let after = reader.buffer_position() as usize;
        match event {
            Event::End(e) if e.name().as_ref() == root => {
                return Some(format!("{}{content}{}", &xml[..before], &xml[before..]));
            }
            Event::Empty(e) if e.name().as_ref() == root => {
                let tag = &xml[before..after];
                let open = tag.trim_end_matches('>').trim_end_matches('/').trim_end();
                return Some(format!(
                    "{}{open}>{content}</{root}>{}",
                    &xml[..before],
                    &xml[after..]
                ));
            }
            Event::Eof => return None,
            _ => {}
        }
    }
}

/// Name a new comments part in the document's relationships and the content types.
fn register_part(
    archive: &mut zip::ZipArchive<std::io::Cursor<&[u8]>>,
    name: &str,
    rels: Option<&str>,
    replace: &mut BTreeMap<String, Vec<u8>>,
    add: &mut Vec<(String, Vec<u8>)>,
) -> Result<(), AnnotateError> {
    let target = name.trim_start_matches("word/");
    let mut k = 1;
    while rels.is_some_and(|r| r.contains(&format!("\"rIdGwlint{k}\""))) {
        k += 1;
    }
    let relationship =
        format!(r#"<Relationship Id="rIdGwlint{k}" Type="{COMMENTS_TYPE}" Target="{target}"/>"#);
    match rels {
        Some(rels) => {
            let new = append_to_root(rels, "Relationships", &relationship).ok_or_else(|| {
                AnnotateError::BadPart(format!("{DOCUMENT_RELS}: no Relationships element"))
            })?;
            replace.insert(DOCUMENT_RELS.into(), new.into_bytes());
        }
        None => add.push((
            DOCUMENT_RELS.into(),
            format!("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">{relationship}</Relationships>").into_bytes(),
        )),
    }
    let types = read_xml(archive, CONTENT_TYPES)?
        .ok_or_else(|| AnnotateError::BadPart(format!("{CONTENT_TYPES} is missing")))?;
    let mut entries =
        format!(r#"<Override PartName="/{name}" ContentType="{COMMENTS_CONTENT_TYPE}"/>"#);
    if rels.is_none() && !types.contains("Extension=\"rels\"") {
        entries.push_str(r#"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#);
    }
    let new = append_to_root(&types, "Types", &entries)
        .ok_or_else(|| AnnotateError::BadPart(format!("{CONTENT_TYPES}: no Types element")))?;
    replace.insert(CONTENT_TYPES.into(), new.into_bytes());
    Ok(())
}

/// The package again, in its order: `replace`d parts rewritten with their old options,
/// others copied raw (compressed bytes unchanged), `add`ed parts at the end.
fn write_package(
    archive: &mut zip::ZipArchive<std::io::Cursor<&[u8]>>,
    mut replace: BTreeMap<String, Vec<u8>>,
    add: Vec<(String, Vec<u8>)>,
) -> Result<Vec<u8>, AnnotateError> {
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let io = |e: std::io::Error| AnnotateError::Write(e.to_string());
    for i in 0..archive.len() {
        let name = match archive.name_for_index(i) {
            Some(Ok(n)) => n.into_owned(),
            _ => {
                return Err(AnnotateError::Read(DocxError::NotZip(
                    "bad entry name".into(),
                )))
            }
        };
        match replace.remove(&name) {
            Some(bytes) => {
                let options = archive
                    .by_index(i)
                    .map_err(|e| AnnotateError::Read(DocxError::NotZip(e.to_string())))?
                    .options();
                out.start_file(name, options)?;
                out.write_all(&bytes).map_err(io)?;
            }
            None => {
                let file = archive
                    .by_index_raw(i)
                    .map_err(|e| AnnotateError::Read(DocxError::NotZip(e.to_string())))?;
                out.raw_copy_file(file)?;
            }
        }
    }
    // new parts are dated like the document part
    let mut options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    if let Some(time) = archive
        .by_name(DOCUMENT)
        .ok()
        .and_then(|f| f.last_modified())
    {
        options = options.last_modified_time(time);
    }
    for (name, bytes) in add {
        out.start_file(name, options)?;
        out.write_all(&bytes).map_err(io)?;
    }
    Ok(out.finish()?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_civil() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
        assert_eq!(civil_from_days(20_089), (2025, 1, 1));
    }
}
