//! A compilation's table of contents: the 「目录」 line and the entries under it
//! (title, leader dots or spaces, page number).

use super::Part;
use std::ops::Range;

/// One TOC entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TocEntry {
    pub part: Part,
    /// The title as written (original byte range, without leaders and page number).
    pub title_span: Range<usize>,
    /// The page number and its original byte range.
    pub page: Option<(u32, Range<usize>)>,
}

/// The 目录 block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Toc {
    /// The 「目录」 line.
    pub heading: Part,
    pub entries: Vec<TocEntry>,
    /// Line index after the last entry.
    pub end_line: usize,
}

fn is_leader(c: char) -> bool {
    matches!(
        c,
        '.' | '·' | '…' | '．' | '-' | '—' | '_' | ' ' | '\t' | '\u{3000}' | '⋯' | '•'
    )
}

/// Parse one line as a TOC entry: title, then leaders (dots or at least one space), then
/// a page number. `start` is the line's original offset.
pub fn parse_entry(line: &str, start: usize, index: usize) -> Option<TocEntry> {
    let trimmed_end = line.trim_end_matches(|c: char| c.is_whitespace());
    let content_start = line.len() - line.trim_start_matches(|c: char| c.is_whitespace()).len();
    let digits_start = trimmed_end
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_ascii_digit() || ('０'..='９').contains(c))
        .last()
        .map(|(i, _)| i)?;
    let page_text = &trimmed_end[digits_start..];
    let page: u32 = page_text
        .chars()
        .map(|c| {
            if c.is_ascii_digit() {
                c
            } else {
                char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or('0')
            }
        })
        .collect::<String>()
        .parse()
        .ok()?;
    let before = &trimmed_end[..digits_start];
    let title_end = before.trim_end_matches(is_leader).len();
    if title_end == before.len() || title_end <= content_start {
        return None; // no leaders: 「…2020」 is a title ending in a year, not an entry
    }
    Some(TocEntry {
        part: Part {
            line: index,
            span: start + content_start..start + trimmed_end.len(),
        },
        title_span: start + content_start..start + title_end,
        page: Some((page, start + digits_start..start + trimmed_end.len())),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries() {
        let e = parse_entry("关于开展竞赛的通知……………6", 10, 3).unwrap();
        assert_eq!(e.page.as_ref().map(|p| p.0), Some(6));
        let line = "关于开展竞赛的通知……………6";
        assert_eq!(
            &line[e.title_span.start - 10..e.title_span.end - 10],
            "关于开展竞赛的通知"
        );
        assert!(parse_entry("工作要点  12", 0, 0).is_some());
        assert!(parse_entry("2020年工作要点2020", 0, 0).is_none());
        assert!(parse_entry("……12", 0, 0).is_none());
    }
}
