//! The one place that knows LSP coordinates: byte offsets ↔ LSP `Position`s in the
//! negotiated encoding (UTF-8 or UTF-16 code units), applying incremental edits, and
//! file URIs ↔ paths (percent-decoding, so `关于印发….txt` works).
//!
//! LSP lines end at `\n`, `\r\n` or a lone `\r` (the spec's definition); a character
//! offset past the end of a line means the end of that line. Positions that fall inside a
//! character (the middle of a UTF-16 surrogate pair, or of a UTF-8 sequence) are moved to
//! the start of that character, so every offset returned here is a char boundary.
//!
//! Conversions inside a line use [`crate::source::ColumnIndex`] checkpoints, so each one
//! scans at most about 2 KiB even on a 10 MB line.

use crate::source::{saturating_u32, ColumnIndex, ColumnUnit, LineStarts};
use lsp_types::{Position, Range};
use std::path::PathBuf;

/// How the `character` of an LSP position counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PositionEncoding {
    /// UTF-8 code units (bytes).
    Utf8,
    /// UTF-16 code units, the LSP default.
    Utf16,
}

impl PositionEncoding {
    /// The encoding to use given the client's `general.positionEncodings` offer:
    /// UTF-8 when offered, otherwise the mandatory UTF-16.
    pub fn negotiate(offered: &[lsp_types::PositionEncodingKind]) -> PositionEncoding {
        if offered.contains(&lsp_types::PositionEncodingKind::UTF8) {
            PositionEncoding::Utf8
        } else {
            PositionEncoding::Utf16
        }
    }

    pub fn kind(self) -> lsp_types::PositionEncodingKind {
        match self {
            PositionEncoding::Utf8 => lsp_types::PositionEncodingKind::UTF8,
            PositionEncoding::Utf16 => lsp_types::PositionEncodingKind::UTF16,
        }
    }

    fn unit(self) -> ColumnUnit {
        match self {
            PositionEncoding::Utf8 => ColumnUnit::Bytes,
            PositionEncoding::Utf16 => ColumnUnit::Utf16,
        }
    }
}

/// Byte offsets where LSP lines start, for one version of a text, and column
/// checkpoints inside its long lines.
#[derive(Debug, Clone)]
pub struct LineMap {
    starts: LineStarts,
    columns: ColumnIndex,
}

impl LineMap {
    pub fn new(text: &str) -> LineMap {
        // the engine's one line-end rule (\n, \r\n, a lone \r), found by a SIMD search
        let mut starts = LineStarts::with_capacity(text.len() / 32 + 1, text.len());
        for line in crate::source::line_ranges(text) {
            starts.push(line.start);
        }
        let columns = ColumnIndex::new(text, starts.ranges(text.len()));
        LineMap { starts, columns }
    }

    /// Byte range of line `line` without its line break, or `None` past the last line.
    fn line_content(&self, text: &str, line: usize) -> Option<(usize, usize)> {
        let start = self.starts.get(line)?;
        let mut end = self.starts.get(line + 1).unwrap_or(text.len());
        let bytes = text.as_bytes();
        if end > start && bytes.get(end - 1) == Some(&b'\n') {
            end -= 1;
        }
        if end > start && bytes.get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        Some((start, end))
    }

    /// The LSP position of byte `offset` (clamped to the text and moved to a char boundary).
    pub fn position(&self, text: &str, offset: usize, enc: PositionEncoding) -> Position {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.starts.count_up_to(offset).saturating_sub(1);
        let start = self.starts.get(line).unwrap_or(0).min(offset);
        let character = self.columns.width(text, start, offset, enc.unit());
        Position::new(saturating_u32(line), saturating_u32(character))
    }

    pub fn range(&self, text: &str, span: &std::ops::Range<usize>, enc: PositionEncoding) -> Range {
        Range::new(
            self.position(text, span.start, enc),
            self.position(text, span.end, enc),
        )
    }

    /// The byte offset of an LSP position. A line past the end means the end of the text;
    /// a character past the end of its line means the end of the line.
    pub fn offset(&self, text: &str, pos: Position, enc: PositionEncoding) -> usize {
        let Some((start, end)) = self.line_content(text, pos.line as usize) else {
            return text.len();
        };
        self.columns
            .offset(text, start, end, pos.character as usize, enc.unit())
    }

    /// Byte range of an LSP range, with `start <= end`.
    pub fn byte_range(
        &self,
        text: &str,
        range: Range,
        enc: PositionEncoding,
    ) -> std::ops::Range<usize> {
        let a = self.offset(text, range.start, enc);
        let b = self.offset(text, range.end, enc);
        a.min(b)..a.max(b)
    }
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Apply one `textDocument/didChange` content change: replace `range` (or everything,
/// when `range` is `None`) with `new_text`. `lines` is the line map of `text` as it is.
pub fn apply_change(
    text: &mut String,
    lines: &LineMap,
    range: Option<Range>,
    new_text: &str,
    enc: PositionEncoding,
) {
    match range {
        None => new_text.clone_into(text),
        Some(range) => {
            let span = lines.byte_range(text, range, enc);
            text.replace_range(span, new_text);
        }
    }
}

/// Apply the content changes of one `textDocument/didChange`, in order (`lines` is the line
/// map of `text` before them; one change is located with it). With more than
/// one, the text is held as a rope meanwhile: each change is located and applied in
/// O(log n), where a new line map and a move of the text's tail per change made a burst
/// quadratic (5,000 changes took 16 s). Positions mean what [`LineMap::offset`] says.
pub fn apply_changes(
    text: &mut String,
    lines: &LineMap,
    changes: &[(Option<Range>, String)],
    enc: PositionEncoding,
) {
    if let [(range, new_text)] = changes {
        apply_change(text, lines, *range, new_text, enc);
        return;
    }
    let mut rope = ropey::Rope::from_str(text);
    for (range, new_text) in changes {
        match range {
            None => rope = ropey::Rope::from_str(new_text),
            Some(range) => {
                let a = rope_char(&rope, range.start, enc);
                let b = if range.end == range.start {
                    a // typing: one lookup, nothing to remove
                } else {
                    rope_char(&rope, range.end, enc)
                };
                let (a, b) = (a.min(b), a.max(b));
                if a < b {
                    rope.remove(a..b);
                }
                rope.insert(a, new_text);
            }
        }
    }
    *text = rope.to_string();
}

/// The char index of an LSP position in a rope, as [`LineMap::offset`] finds the byte
/// offset: a line past the end is the end of the text, a character past the end of its
/// line the end of the line, a position inside a character that character's start.
fn rope_char(rope: &ropey::Rope, pos: Position, enc: PositionEncoding) -> usize {
    let line = pos.line as usize;
    if line >= rope.len_lines() {
        return rope.len_chars();
    }
    let start = rope.line_to_char(line);
    let mut content = rope.line(line);
    for ending in ['\n', '\r'] {
        let len = content.len_chars();
        if len > 0 && content.char(len - 1) == ending {
            content = content.slice(..len - 1);
        }
    }
    let character = pos.character as usize;
    // the line's own slice answers: one descent of the rope per position, not five
    start
        + match enc {
            PositionEncoding::Utf8 if character < content.len_bytes() => {
                content.byte_to_char(character)
            }
            PositionEncoding::Utf16 if character < content.len_utf16_cu() => {
                content.utf16_cu_to_char(character)
            }
            _ => content.len_chars(),
        }
}

/// The smallest single edit turning `old` into `new`: the byte range of `old` to replace
/// and the replacement (common prefix and suffix kept, on char boundaries).
pub fn minimal_edit<'a>(old: &str, new: &'a str) -> (std::ops::Range<usize>, &'a str) {
    let prefix = old
        .char_indices()
        .zip(new.chars())
        .find(|((_, a), b)| a != b)
        .map_or(old.len().min(new.len()), |((i, _), _)| i);
    let suffix: usize = old[prefix..]
        .chars()
        .rev()
        .zip(new[prefix..].chars().rev())
        .take_while(|(a, b)| a == b)
        .map(|(a, _)| a.len_utf8())
        .sum();
    (prefix..old.len() - suffix, &new[prefix..new.len() - suffix])
}

/// The local path of a `file:` URI, percent-decoded; `None` for other schemes
/// (`untitled:`) or URIs that do not decode to UTF-8.
pub fn uri_to_path(uri: &str) -> Option<PathBuf> {
    let scheme_end = uri.find(':')?;
    if !uri[..scheme_end].eq_ignore_ascii_case("file") {
        return None;
    }
    let rest = &uri[scheme_end + 1..];
    let rest = rest.split(['?', '#']).next().unwrap_or("");
    let (authority, path) = match rest.strip_prefix("//") {
        Some(after) => match after.find('/') {
            Some(i) => (&after[..i], &after[i..]),
            None => (after, "/"),
        },
        None => ("", rest),
    };
    let path = percent_decode(path)?;
    let authority = percent_decode(authority)?;
    if !authority.is_empty() && !authority.eq_ignore_ascii_case("localhost") {
        // A UNC path: file://server/share/x → //server/share/x
        return Some(PathBuf::from(format!("//{authority}{path}")));
    }
    if cfg!(windows) {
        // file:///C:/x → C:/x
        let b = path.as_bytes();
        if b.len() >= 3 && b[0] == b'/' && b[1].is_ascii_alphabetic() && b[2] == b':' {
            return Some(PathBuf::from(&path[1..]));
        }
    }
    Some(PathBuf::from(path))
}

/// What to call a document in messages: its decoded path, or the URI itself.
pub fn display_name(uri: &str) -> String {
    uri_to_path(uri).map_or_else(|| uri.to_owned(), |p| p.display().to_string())
}

/// Decode `%XX` escapes; `None` when the result is not UTF-8 or an escape is malformed.
pub fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = b.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// A `file:` URI for a path, percent-encoding everything but unreserved characters and `/`.
pub fn path_to_uri(path: &std::path::Path) -> String {
    let s = path.to_string_lossy().replace('\\', "/");
    let mut out = String::from("file://");
    if !s.starts_with('/') {
        out.push('/');
    }
    for byte in s.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/:".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use PositionEncoding::{Utf16, Utf8};

    fn pos(line: u32, character: u32) -> Position {
        Position::new(line, character)
    }

    #[test]
    fn han_text_counts_one_utf16_unit_three_bytes() {
        let text = "关于印发《要点》的通知\n第二行";
        let map = LineMap::new(text);
        let off = text.find("《").unwrap();
        assert_eq!(map.position(text, off, Utf16), pos(0, 4));
        assert_eq!(map.position(text, off, Utf8), pos(0, 12));
        assert_eq!(map.offset(text, pos(0, 4), Utf16), off);
        assert_eq!(map.offset(text, pos(0, 12), Utf8), off);
        let second = text.find("第二行").unwrap();
        assert_eq!(map.position(text, second + 3, Utf16), pos(1, 1));
    }

    #[test]
    fn non_bmp_takes_two_utf16_units() {
        let text = "𠮷野家，吉野家";
        let map = LineMap::new(text);
        let comma = text.find('，').unwrap();
        assert_eq!(map.position(text, comma, Utf16), pos(0, 4));
        assert_eq!(map.position(text, comma, Utf8), pos(0, 10));
        assert_eq!(map.offset(text, pos(0, 4), Utf16), comma);
        // The middle of the surrogate pair snaps to the start of 𠮷.
        assert_eq!(map.offset(text, pos(0, 1), Utf16), 0);
        assert_eq!(map.offset(text, pos(0, 2), Utf16), 4);
        // The middle of a UTF-8 sequence snaps back too.
        assert_eq!(map.offset(text, pos(0, 2), Utf8), 0);
        assert_eq!(map.position(text, 2, Utf16), pos(0, 0));
    }

    #[test]
    fn crlf_and_lone_cr_end_lines() {
        let text = "一、总体要求\r\n（一）指导思想\r二\n";
        let map = LineMap::new(text);
        let second = text.find("（一）").unwrap();
        assert_eq!(map.position(text, second, Utf16), pos(1, 0));
        let third = text.find('二').unwrap();
        assert_eq!(map.position(text, third, Utf16), pos(2, 0));
        // Past the end of line 0 means before its \r\n.
        assert_eq!(
            map.offset(text, pos(0, 99), Utf16),
            text.find('\r').unwrap()
        );
        assert_eq!(map.position(text, text.len(), Utf16), pos(3, 0));
        assert_eq!(map.offset(text, pos(9, 0), Utf16), text.len());
    }

    #[test]
    fn full_width_punctuation_is_one_unit() {
        let text = "比例不低于８０，（见附件）：";
        let map = LineMap::new(text);
        for (i, (b, _)) in text.char_indices().enumerate() {
            assert_eq!(map.position(text, b, Utf16), pos(0, i as u32));
            assert_eq!(map.offset(text, pos(0, i as u32), Utf16), b);
        }
    }

    #[test]
    fn incremental_changes_apply_in_both_encodings() {
        let change = |text: &mut String, range, new_text, enc| {
            let lines = LineMap::new(text);
            apply_change(text, &lines, range, new_text, enc);
        };
        let mut text = String::from("𠮷年度工作\r\n要点");
        change(
            &mut text,
            Some(Range::new(pos(0, 2), pos(0, 4))),
            "财政",
            Utf16,
        );
        assert_eq!(text, "𠮷财政工作\r\n要点");
        change(
            &mut text,
            Some(Range::new(pos(1, 0), pos(1, 6))),
            "计划",
            Utf8,
        );
        assert_eq!(text, "𠮷财政工作\r\n计划");
        change(&mut text, None, "全文", Utf16);
        assert_eq!(text, "全文");
    }

    #[test]
    fn a_burst_of_changes_applies_like_one_change_at_a_time() {
        let start = "一、总体要求\r\n（一）指导思想𠮷,学习\r二、重点\n\n末行é";
        // a small deterministic generator of positions and texts
        let mut seed = 7u64;
        let mut next = |m: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((seed >> 33) % m) as u32
        };
        for enc in [Utf8, Utf16] {
            for _ in 0..50 {
                let changes: Vec<(Option<Range>, String)> = (0..6)
                    .map(|_| {
                        let texts = ["", "，", "x\r\n", "𠮷", "\r", "新文字"];
                        let range = Range::new(pos(next(7), next(14)), pos(next(7), next(14)));
                        let range = (next(9) > 0).then_some(range);
                        (range, texts[next(6) as usize].to_owned())
                    })
                    .collect();
                let mut one_by_one = start.to_owned();
                for (range, t) in &changes {
                    let lines = LineMap::new(&one_by_one);
                    apply_change(&mut one_by_one, &lines, *range, t, enc);
                }
                let mut burst = start.to_owned();
                apply_changes(&mut burst, &LineMap::new(start), &changes, enc);
                assert_eq!(burst, one_by_one, "{enc:?} {changes:?}");
            }
        }
    }

    #[test]
    fn minimal_edit_keeps_common_ends() {
        let (r, s) = minimal_edit("见附件[2018]号", "见附件〔2018〕号");
        assert_eq!((r, s), (9..15, "〔2018〕"));
        assert_eq!(minimal_edit("同样", "同样"), (6..6, ""));
        assert_eq!(minimal_edit("甲乙乙", "甲乙"), (6..9, ""));
        assert_eq!(minimal_edit("", "新"), (0..0, "新"));
    }

    #[test]
    fn file_uris_with_chinese_names_are_decoded() {
        let uri =
            "file:///home/%E5%8A%9E%E5%85%AC%E5%AE%A4/%E5%85%B3%E4%BA%8E%E5%8D%B0%E5%8F%91.txt";
        assert_eq!(
            uri_to_path(uri).unwrap(),
            PathBuf::from("/home/办公室/关于印发.txt")
        );
        assert_eq!(uri_to_path("untitled:Untitled-1"), None);
        assert_eq!(uri_to_path("file:///a%2"), None);
        assert_eq!(display_name("untitled:Untitled-1"), "untitled:Untitled-1");
        let path = PathBuf::from("/tmp/草稿 1.txt");
        assert_eq!(uri_to_path(&path_to_uri(&path)).unwrap(), path);
        assert!(path_to_uri(&path).is_ascii());
    }
}
