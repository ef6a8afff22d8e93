//! [`Document`]: one decoded text with the views rules need, built once per file.
//!
//! The normalised view is built eagerly (every text rule needs it); the structure
//! (header block, outline, dates) is parsed lazily the first time a rule asks, and can be
//! released again ([`Document::release_structure`]) when a huge document no longer needs it.

pub mod dates;
pub mod debug;
pub mod layout;
pub mod lines;
pub mod numbering;
pub mod numerals;
pub mod outline;
pub mod parts;
pub mod structure;
pub mod toc;

pub use parts::Part;
pub use structure::Structure;

use crate::normalize::NormalizedView;
use crate::source::{LineIndex, TextEncoding};
use std::any::Any;
use std::ops::Range;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

/// One fact of [`Document::derived`]: computed once, shared by whoever asks.
type DerivedSlot = Arc<OnceLock<Arc<dyn Any + Send + Sync>>>;

pub struct Document {
    /// Path as shown to the user (`-` for stdin, the URI path in the server).
    pub path: String,
    pub text: String,
    pub encoding: TextEncoding,
    pub lines: LineIndex,
    pub normalized: NormalizedView,
    /// Byte ranges that are not prose (Markdown code, link targets, HTML, front matter;
    /// see [`crate::markdown`]), sorted and disjoint; empty for other files. No finding
    /// or fix touches them.
    pub masked: Vec<Range<usize>>,
    structure: Mutex<Option<Arc<Structure>>>,
    /// Facts other parts of the engine derive from the text once per document, by key
    /// ([`Document::derived`]).
    derived: Mutex<Vec<(u64, DerivedSlot)>>,
    /// The document kind forced by the config (`profile:`); [`Profile::Auto`] = detect it.
    pub profile: Profile,
}

/// What kind of 公文 a document is, for rules whose expectations depend on it
/// (required parts, numbering). Set from the config file's `profile` key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Profile {
    /// Recognise the kind from the text.
    #[default]
    Auto,
    /// A (red-header) notice: 通知, 通报, 决定 ….
    Notice,
    /// A work plan or summary: 工作要点, 计划, 总结.
    Plan,
    /// A compilation of documents with a table of contents (汇编).
    Compilation,
}

impl Profile {
    pub const ALL: [Profile; 4] = [
        Profile::Auto,
        Profile::Notice,
        Profile::Plan,
        Profile::Compilation,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Profile::Auto => "auto",
            Profile::Notice => "notice",
            Profile::Plan => "plan",
            Profile::Compilation => "compilation",
        }
    }
}

impl Document {
    pub fn new(path: impl Into<String>, text: String, encoding: TextEncoding) -> Document {
        let lines = LineIndex::new(&text);
        let normalized = NormalizedView::new(&text);
        let path = path.into();
        let masked = if crate::markdown::is_markdown(&path) {
            crate::markdown::masked_ranges(&text)
        } else {
            Vec::new()
        };
        Document {
            path,
            text,
            encoding,
            lines,
            normalized,
            masked,
            structure: Mutex::new(None),
            derived: Mutex::new(Vec::new()),
            profile: Profile::Auto,
        }
    }

    /// The fact `key` stands for, computed by `compute` the first time it is asked for and
    /// kept with the document: the rules that share it (on several threads at once, the
    /// others waiting for the first) compute it once. `key` is unique to the computing
    /// object (e.g. one rule set's shared line scan); `None` if that key already holds a
    /// fact of another type.
    pub fn derived<T: Any + Send + Sync>(
        &self,
        key: u64,
        compute: impl FnOnce() -> T,
    ) -> Option<Arc<T>> {
        let slot = {
            let mut slots = self.derived.lock().unwrap_or_else(PoisonError::into_inner);
            match slots.iter().find(|(k, _)| *k == key) {
                Some((_, slot)) => slot.clone(),
                None => {
                    let slot = DerivedSlot::default();
                    slots.push((key, slot.clone()));
                    slot
                }
            }
        };
        let fact = slot.get_or_init(|| Arc::new(compute()) as Arc<dyn Any + Send + Sync>);
        fact.clone().downcast::<T>().ok()
    }

    /// The parsed structure (header, segments, outline, dates, TOC), built on first use
    /// and kept until [`Document::release_structure`]. Rules running in parallel share
    /// one parse: the others wait for it.
    pub fn structure(&self) -> Arc<Structure> {
        let mut slot = self
            .structure
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        slot.get_or_insert_with(|| {
            Arc::new(Structure::parse(
                &self.text,
                &self.normalized,
                &self.lines,
                self.is_markdown(),
            ))
        })
        .clone()
    }

    /// Drop the cached structure unless someone else still holds it (then dropping it
    /// here would free nothing and only cost a parse later); the next
    /// [`Document::structure`] parses again. The check of a huge document calls this once
    /// the rules that read the structure have run, so the findings of the text rules do
    /// not pile up on top of it.
    pub fn release_structure(&self) {
        let mut slot = self
            .structure
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if slot.as_ref().is_some_and(|s| Arc::strong_count(s) == 1) {
            *slot = None;
        }
    }

    /// Whether the document is Markdown (by its path: `.md`, `.markdown`).
    pub fn is_markdown(&self) -> bool {
        let p = self.path.to_ascii_lowercase();
        p.ends_with(".md") || p.ends_with(".markdown")
    }

    /// A UTF-8 document (tests, the language server).
    pub fn from_text(path: impl Into<String>, text: impl Into<String>) -> Document {
        Document::new(path, text.into(), TextEncoding::Utf8)
    }

    /// The lines of the document: byte range without the line break, and the text
    /// (a trailing `\r` is excluded too).
    pub fn lines(&self) -> impl Iterator<Item = (Range<usize>, &str)> + '_ {
        (0..self.lines.line_count()).map(move |i| {
            let mut r = self.lines.line_range(&self.text, i);
            if self.text[r.clone()].ends_with('\r') {
                r.end -= 1;
            }
            (r.clone(), &self.text[r])
        })
    }
}

/// The byte range of the line of `text` containing `offset`, without its line break
/// (lines end at `\n`, `\r\n` or a lone `\r`).
pub fn line_around(text: &str, offset: usize) -> Range<usize> {
    let offset = offset.min(text.len());
    let b = text.as_bytes();
    let start = b[..offset]
        .iter()
        .rposition(|&c| c == b'\n' || c == b'\r')
        .map_or(0, |i| i + 1);
    // an offset between the `\r` and `\n` of a pair belongs to the line before
    if start == offset && offset > 0 && b[offset - 1] == b'\r' && b.get(offset) == Some(&b'\n') {
        return line_around(text, offset - 1);
    }
    let end = b[offset..]
        .iter()
        .position(|&c| c == b'\n' || c == b'\r')
        .map_or(b.len(), |i| offset + i);
    start..end
}

/// Where the line break that starts at `end` (the end of a line) ends.
pub fn after_line_break(text: &str, end: usize) -> usize {
    end + crate::source::line_break_len(text.as_bytes(), end)
}

/// The byte range of the paragraph (lines up to a blank line) containing `offset`,
/// without the line break after its last line. Lines end at `\n`, `\r\n` or a lone
/// `\r`; a blank line is an empty one. Work is in proportion to the paragraph's length,
/// not the text's.
pub fn paragraph_around(text: &str, offset: usize) -> Range<usize> {
    let b = text.as_bytes();
    let line = line_around(text, offset);
    if line.is_empty() {
        return line;
    }
    let mut start = line.start;
    // the line before `start` (which follows a break) is empty when another break ends
    // right before that break
    while start > 0 {
        let break_start = if start >= 2 && &b[start - 2..start] == b"\r\n" {
            start - 2
        } else {
            start - 1
        };
        let prev = line_around(text, break_start);
        if prev.is_empty() {
            break;
        }
        start = prev.start;
    }
    let mut end = line.end;
    while end < b.len() {
        let next = after_line_break(text, end);
        let following = line_around(text, next);
        if following.is_empty() || next >= b.len() {
            break;
        }
        end = following.end;
    }
    start..end
}

/// Compile a regex written in the source code. The patterns are constants covered by unit
/// tests, so failure is a programming error; it still yields a never-matching regex rather
/// than a panic.
pub(crate) fn static_regex(pattern: &str) -> regex::Regex {
    regex::Regex::new(pattern).unwrap_or_else(|_| {
        debug_assert!(false, "invalid built-in regex: {pattern}");
        never_matching()
    })
}

#[allow(clippy::expect_used)]
fn never_matching() -> regex::Regex {
    // `[^\s\S]` is a valid pattern that matches nothing.
    regex::Regex::new(r"[^\s\S]").expect("constant regex")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_split_at_blank_lines_of_every_ending() {
        let text = "甲\n乙\n\n丙\r\n\r\n丁\n\n戊\r己\r\r庚";
        let at = |s: &str| paragraph_around(text, text.find(s).unwrap());
        assert_eq!(&text[at("乙")], "甲\n乙");
        assert_eq!(&text[at("丙")], "丙");
        assert_eq!(&text[at("丁")], "丁");
        assert_eq!(&text[at("己")], "戊\r己");
        assert_eq!(&text[at("庚")], "庚");
        assert_eq!(paragraph_around("甲\n\n", 5), 5..5);
        assert_eq!(&text[line_around(text, text.find("乙").unwrap())], "乙");
        let crlf = "甲\r\n乙";
        assert_eq!(&crlf[line_around(crlf, 4)], "甲", "between \\r and \\n");
        assert_eq!(&crlf[line_around(crlf, 3)], "甲");
    }

    #[test]
    fn structure_is_parsed_once_and_again_after_release() {
        let doc = Document::from_text(
            "t.txt",
            "2023年工会工作要点\n\n一、总体要求\n二、重点工作\n",
        );
        let held = doc.structure();
        assert!(Arc::ptr_eq(&held, &doc.structure()), "cached");
        doc.release_structure();
        assert!(
            Arc::ptr_eq(&held, &doc.structure()),
            "kept while held elsewhere"
        );
        let copy = (*held).clone();
        let weak = Arc::downgrade(&held);
        drop(held);
        doc.release_structure();
        assert!(weak.upgrade().is_none(), "released");
        let again = doc.structure();
        assert_eq!(copy, *again, "parsed again, the same");
        assert_eq!(again.headings.len(), 2);
    }
}
