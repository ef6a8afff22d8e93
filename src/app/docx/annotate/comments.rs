//! The comments part (`word/comments.xml`): what a gwlint comment says, and taking out the
//! comments an earlier run of gwlint left (in the comments part and their range marks and
//! references in the document), so that annotating again replaces them.

use super::AUTHOR;
use crate::docx::DocxError;
use crate::{Applicability, Diagnostic, Severity};
use quick_xml::escape::{escape, partial_escape};
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use std::collections::BTreeSet;
use std::ops::Range;

pub(super) const COMMENTS_NAMESPACE: &str =
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// What became of a finding's fix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum FixStatus {
    /// No fix.
    None,
    /// Shown as tracked changes.
    Tracked,
    /// A safe fix, not applied (no `--track-changes`).
    Safe,
    /// A safe fix that could not be shown as tracked changes.
    Untrackable,
    /// Needs a person to check it.
    Unsafe,
}

impl FixStatus {
    pub fn of(d: &Diagnostic, tracked: bool, tracking: bool) -> FixStatus {
        match &d.fix {
            None => FixStatus::None,
            Some(_) if tracked => FixStatus::Tracked,
            Some(f) if f.applicability == Applicability::Unsafe => FixStatus::Unsafe,
            Some(_) if tracking => FixStatus::Untrackable,
            Some(_) => FixStatus::Safe,
        }
    }
}

fn severity_name(s: Severity) -> &'static str {
    match s {
        Severity::Error => "错误",
        Severity::Warning => "警告",
        Severity::Info => "提示",
    }
}

/// The paragraphs of a finding's comment: the message; the rule and severity; the
/// suggested fix and what became of it; for a finding over several paragraphs (lines
/// `lines`), that it is anchored on the first one.
pub(super) fn comment_lines(
    d: &Diagnostic,
    status: FixStatus,
    lines: Option<(usize, usize)>,
) -> Vec<String> {
    let mut out = vec![d.message.to_string()];
    out.push(format!("规则：{}（{}）", d.rule, severity_name(d.severity)));
    if let Some(fix) = &d.fix {
        let what = match status {
            FixStatus::Tracked => "已作为修订标出，可接受或拒绝",
            FixStatus::Safe => "可安全修改；加 --track-changes 可作为修订标出",
            FixStatus::Untrackable => "未能作为修订标出，请手动修改",
            FixStatus::Unsafe | FixStatus::None => "请核对后手动修改",
        };
        out.push(format!("建议：{}（{what}）", fix.message));
    }
    if let Some((first, last)) = lines {
        out.push(format!("此问题跨越第 {first}–{last} 段，批注标在第一段。"));
    }
    out
}

/// One `w:comment` element.
pub(super) fn comment_element(id: u64, date: &str, lines: &[String]) -> String {
    let mut s = format!(
        r#"<w:comment w:id="{id}" w:author="{}" w:date="{}" w:initials="GW">"#,
        escape(AUTHOR),
        escape(date)
    );
    for (i, line) in lines.iter().enumerate() {
        let clean: String = line.chars().filter(|c| !c.is_control()).collect();
        s.push_str("<w:p>");
        if i == 0 {
            s.push_str("<w:r><w:annotationRef/></w:r>");
        }
        s.push_str(&format!(
            r#"<w:r><w:t xml:space="preserve">{}</w:t></w:r></w:p>"#,
            partial_escape(clean.as_str())
        ));
    }
    s.push_str("</w:comment>");
    s
}

/// A new comments part holding `comments`.
pub(super) fn new_part(comments: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:comments xmlns:w=\"{COMMENTS_NAMESPACE}\">{comments}</w:comments>"
    )
}

/// An existing comments part: its gwlint comments and where new ones go.
pub(super) struct ExistingComments {
    /// `w:id`s of the comments gwlint wrote earlier.
    pub earlier: BTreeSet<String>,
    /// Their elements.
    earlier_xml: Vec<Range<usize>>,
    /// The largest numeric `w:id` of the comments that stay.
    pub max_id: u64,
    /// `</w:comments>`, or the empty `<w:comments/>` element.
    end: Range<usize>,
    empty_root: bool,
}

fn attribute(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.try_get_attribute(name).ok().flatten().and_then(|a| {
        a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .ok()
            .map(|v| v.into_owned())
    })
}

fn bad(part: &str, e: impl std::fmt::Display, at: u64) -> DocxError {
    DocxError::BadXml(format!("{part}: {e} at byte {at}"))
}

impl ExistingComments {
    pub fn parse(part: &str, xml: &str) -> Result<ExistingComments, DocxError> {
        let mut reader = Reader::from_str(xml);
        let mut found = ExistingComments {
            earlier: BTreeSet::new(),
            earlier_xml: Vec::new(),
            max_id: 0,
            end: xml.len()..xml.len(),
            empty_root: false,
        };
        let mut open: Option<(usize, bool)> = None; // start of the current comment, by gwlint?
        let mut depth = 0usize;
        loop {
            let before = reader.buffer_position() as usize;
            let event = reader
                .read_event()
                .map_err(|e| bad(part, e, reader.error_position()))?;
            let after = reader.buffer_position() as usize;
            match event {
                Event::Start(e) | Event::Empty(e) if e.name().as_ref() == "w:comment" => {
                    let ours = attribute(&e, "w:author").as_deref() == Some(AUTHOR);
                    let id = attribute(&e, "w:id").unwrap_or_default();
                    if ours {
                        found.earlier.insert(id);
                    } else if let Ok(n) = id.parse::<u64>() {
                        found.max_id = found.max_id.max(n);
                    }
                    if after - before >= 2 && xml.get(after - 2..after) == Some("/>") {
                        if ours {
                            found.earlier_xml.push(before..after);
                        }
                    } else {
                        depth += 1;
                        open = Some((before, ours));
                    }
                }
                Event::Empty(e) if e.name().as_ref() == "w:comments" => {
                    found.end = before..after;
                    found.empty_root = true;
                }
                Event::Start(_) => depth += 1,
                Event::End(e) => {
                    depth = depth.saturating_sub(1);
                    match e.name().as_ref() {
                        "w:comment" => {
                            if let Some((start, true)) = open.take() {
                                found.earlier_xml.push(start..after);
                            }
                        }
                        "w:comments" => found.end = before..after,
                        _ => {}
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
        if depth != 0 {
            return Err(bad(
                part,
                "the XML ends before all its elements are closed",
                0,
            ));
        }
        Ok(found)
    }

    /// The part without gwlint's earlier comments and with `comments` added.
    pub fn rewrite(&self, xml: &str, comments: &str) -> String {
        let mut cuts = self.earlier_xml.clone();
        let insert = if self.empty_root {
            let tag = xml.get(self.end.clone()).unwrap_or("<w:comments/>");
            let open = tag.trim_end_matches('>').trim_end_matches('/').trim_end();
            format!("{open}>{comments}</w:comments>")
        } else {
            format!("{comments}{}", xml.get(self.end.clone()).unwrap_or(""))
        };
        cuts.push(self.end.clone());
        let mut out = String::with_capacity(xml.len() + comments.len());
        let mut cursor = 0;
        for cut in &cuts {
            out.push_str(xml.get(cursor..cut.start).unwrap_or(""));
            cursor = cut.end;
        }
        out.push_str(&insert);
        out.push_str(xml.get(cursor..).unwrap_or(""));
        out
    }
}

/// `document_xml` without the range marks and references of the comments `ids` (a run
/// that held only such a reference goes too).
pub(super) fn strip_marks(document_xml: &str, ids: &BTreeSet<String>) -> Result<String, DocxError> {
    if ids.is_empty() {
        return Ok(document_xml.to_owned());
    }
    struct OpenRun {
        start: usize,
        references: Vec<Range<usize>>,
        other: bool,
    }
    let mut reader = Reader::from_str(document_xml);
    let mut cuts: Vec<Range<usize>> = Vec::new();
    // open elements: Some(run) for a w:r
    let mut stack: Vec<Option<OpenRun>> = Vec::new();
    let ours = |e: &BytesStart<'_>| {
        matches!(
            e.name().as_ref(),
            "w:commentRangeStart" | "w:commentRangeEnd" | "w:commentReference"
        ) && attribute(e, "w:id").is_some_and(|id| ids.contains(&id))
    };
    loop {
        let before = reader.buffer_position() as usize;
        let event = reader
            .read_event()
            .map_err(|e| bad("word/document.xml", e, reader.error_position()))?;
        let range = before..reader.buffer_position() as usize;
        match event {
            Event::Start(e) | Event::Empty(e) => {
                let empty = matches!(document_xml.get(range.end - 2..range.end), Some("/>"));
                let name = e.name();
                let parent_run = stack.last_mut().and_then(Option::as_mut);
                if ours(&e) && empty {
                    match (name.as_ref(), parent_run) {
                        ("w:commentReference", Some(run)) => run.references.push(range.clone()),
                        _ => cuts.push(range.clone()),
                    }
                } else if let Some(run) = parent_run {
                    if name.as_ref() != "w:rPr" {
                        run.other = true;
                    }
                }
                if !empty {
                    stack.push((name.as_ref() == "w:r").then_some(OpenRun {
                        start: range.start,
                        references: Vec::new(),
                        other: false,
                    }));
                }
            }
            Event::End(_) => {
                if let Some(Some(run)) = stack.pop() {
                    if !run.references.is_empty() && !run.other {
                        cuts.push(run.start..range.end);
                    } else {
                        cuts.extend(run.references);
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    cuts.sort_by_key(|c| c.start);
    let mut out = String::with_capacity(document_xml.len());
    let mut cursor = 0;
    for cut in cuts {
        if cut.start >= cursor {
            out.push_str(document_xml.get(cursor..cut.start).unwrap_or(""));
            cursor = cut.end;
        }
    }
    out.push_str(document_xml.get(cursor..).unwrap_or(""));
    Ok(out)
}
