//! The one reading of `word/document.xml`: which characters make up the text and in what
//! order. [`crate::docx::document_xml_text`] (the text gwlint checks) and the layout the
//! annotator works from ([`super::layout`]) both come from [`walk`], so a diagnostic's
//! byte offsets always mean the same characters in the XML.
//!
//! Paragraphs (`w:p`) become lines; only `w:t` text counts; `w:tab` is a tab and
//! `w:br`/`w:cr` (not page or column breaks) a `\n`; the `mc:Fallback` copy of a text box
//! is skipped. A text box's paragraphs sit inside a run of another paragraph, so the open
//! paragraphs form a stack and the innermost one receives the text; each paragraph is
//! written out when it ends. Control characters other than tab and line breaks are dropped.

use super::DocxError;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use std::ops::Range;

/// What a caller of [`walk`] learns besides the text. `len` is always the length so far of
/// the innermost open paragraph's text (0 outside paragraphs). Elements inside
/// `mc:Fallback` are not reported.
pub(crate) trait Sink {
    /// An element starts; `tag` is the byte range of its start tag (the whole tag for an
    /// `empty` element, which is closed right after its effect on the text).
    fn open(&mut self, _e: &BytesStart<'_>, _tag: Range<usize>, _empty: bool, _len: usize) {}
    /// An element ends; `tag` is its end tag (the start tag again for an empty element).
    fn close(&mut self, _tag: Range<usize>, _len: usize) {}
    /// The innermost paragraph ended; `text` is where its characters are in the output.
    fn paragraph_done(&mut self, _text: Range<usize>) {}
}

/// A [`Sink`] that wants nothing but the text.
pub(crate) struct TextOnly;

impl Sink for TextOnly {}

/// The text, and whether every element was closed (a truncated part is not).
pub(crate) struct Walked {
    pub text: String,
    pub balanced: bool,
}

fn keep(c: char) -> bool {
    !c.is_control() || c == '\t' || c == '\n'
}

fn push_text(paragraphs: &mut [String], s: &str) {
    if let Some(p) = paragraphs.last_mut() {
        p.extend(s.chars().filter(|&c| keep(c)));
    }
}

/// `w:tab`, `w:br` and `w:cr` inside an open paragraph.
fn push_break(e: &BytesStart<'_>, paragraphs: &mut [String]) {
    let Some(p) = paragraphs.last_mut() else {
        return;
    };
    match e.name().as_ref() {
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

/// Walk `xml`, telling `sink` about elements and paragraphs, and return the text: one
/// line per paragraph, each ended by `\n`.
pub(crate) fn walk<S: Sink>(xml: &str, sink: &mut S) -> Result<Walked, DocxError> {
    let mut reader = Reader::from_str(xml);
    let mut out = String::with_capacity(xml.len() / 4);
    // Open paragraphs, innermost last (a text box paragraph sits inside a run of another).
    let mut paragraphs: Vec<String> = Vec::new();
    let mut in_text = 0usize; // depth of open <w:t>
    let mut skip = 0usize; // depth of open <mc:Fallback>
    let mut depth = 0usize;
    let len = |paragraphs: &[String]| paragraphs.last().map_or(0, String::len);
    let end_paragraph = |p: String, out: &mut String, sink: &mut S| {
        sink.paragraph_done(out.len()..out.len() + p.len());
        out.push_str(&p);
        out.push('\n');
    };
    loop {
        let before = reader.buffer_position() as usize;
        let event = reader.read_event().map_err(|e| {
            DocxError::BadXml(format!(
                "{e} at byte {}",
                reader.error_position().min(xml.len() as u64)
            ))
        })?;
        let tag = before..reader.buffer_position() as usize;
        match event {
            Event::Start(e) => {
                depth += 1;
                match e.name().as_ref() {
                    "mc:Fallback" => skip += 1,
                    _ if skip > 0 => {}
                    name => {
                        sink.open(&e, tag, false, len(&paragraphs));
                        match name {
                            "w:p" => paragraphs.push(String::new()),
                            "w:t" => in_text += 1,
                            _ => push_break(&e, &mut paragraphs),
                        }
                    }
                }
            }
            Event::Empty(e) if skip == 0 => {
                sink.open(&e, tag.clone(), true, len(&paragraphs));
                if e.name().as_ref() == "w:p" {
                    // An empty paragraph is an empty line.
                    end_paragraph(String::new(), &mut out, sink);
                } else {
                    push_break(&e, &mut paragraphs);
                }
                sink.close(tag, len(&paragraphs));
            }
            Event::End(e) => {
                depth = depth.saturating_sub(1);
                match e.name().as_ref() {
                    "mc:Fallback" => skip = skip.saturating_sub(1),
                    _ if skip > 0 => {}
                    name => {
                        if name == "w:p" {
                            if let Some(p) = paragraphs.pop() {
                                end_paragraph(p, &mut out, sink);
                            }
                        } else if name == "w:t" {
                            in_text = in_text.saturating_sub(1);
                        }
                        sink.close(tag, len(&paragraphs));
                    }
                }
            }
            Event::Text(t) if in_text > 0 && skip == 0 => {
                push_text(&mut paragraphs, &t.xml10_content());
            }
            Event::CData(t) if in_text > 0 && skip == 0 => {
                push_text(&mut paragraphs, &t);
            }
            Event::GeneralRef(r) if in_text > 0 && skip == 0 => {
                let c = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c),
                    Ok(None) => predefined_entity(&r),
                    Err(_) => None,
                };
                if let Some(c) = c {
                    push_text(&mut paragraphs, c.encode_utf8(&mut [0; 4]));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    // Unclosed paragraphs of a truncated document still count.
    while let Some(p) = paragraphs.pop() {
        end_paragraph(p, &mut out, sink);
    }
    Ok(Walked {
        text: out,
        balanced: depth == 0,
    })
}
