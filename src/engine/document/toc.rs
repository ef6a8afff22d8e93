//! A compilation's table of contents: the 「目录」 line and the entries under it
//! (title, leader dots or spaces, page number).

use super::layout::LineKind;
use super::lines::LineInfo;
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
    /// The 「目录」 line, when the block has one.
    pub heading: Option<Part>,
    pub entries: Vec<TocEntry>,
    /// Line index of the first line of the block (the heading or the first entry).
    pub start_line: usize,
    /// Line index after the last entry.
    pub end_line: usize,
}

impl Toc {
    /// Whether line `i` is part of the block.
    pub fn contains_line(&self, i: usize) -> bool {
        (self.start_line..self.end_line).contains(&i)
    }
}

/// Find the 目录 of a compilation: the entries under a 「目录」 line (with page numbers or
/// without, numbered or not), or, without that line, a run of at least three entries with
/// leaders and page numbers. `kinds` are the shape labels (tables are not a 目录).
pub fn find(text: &str, lines: &[LineInfo], norm: &str, kinds: &[LineKind]) -> Option<Toc> {
    let compact = |i: usize| &norm[lines[i].norm()];
    let content = |i: usize| {
        let r = lines[i].range();
        let line = &text[r.clone()];
        let lead = line.len() - line.trim_start().len();
        Part {
            line: i,
            span: r.start + lead..r.start + line.trim_end().len().max(lead),
        }
    };
    let heading = (0..lines.len()).find(|&i| matches!(compact(i), "目录" | "目次"));
    let (start, first_entry) = match heading {
        Some(h) => (h, h + 1),
        None => {
            // three entries in a row whose titles are words, not numbers or codes
            let titled = |j: usize| {
                kinds[j] == LineKind::Prose
                    && parse_entry(&text[lines[j].range()], lines[j].range().start, j).is_some_and(
                        |e| {
                            text.get(e.title_span.clone()).is_some_and(|t| {
                                t.chars()
                                    .filter(|c| ('\u{4E00}'..='\u{9FFF}').contains(c))
                                    .count()
                                    >= 4
                            })
                        },
                    )
            };
            // or, aligned with spaces (so shaped as table rows), three entries whose titles
            // end with a document type and whose page numbers do not decrease
            let aligned = |i: usize| -> bool {
                let pages: Option<Vec<u32>> = (i..i + 3)
                    .map(|j| {
                        let e = matches!(kinds[j], LineKind::TableRow | LineKind::Prose)
                            .then(|| {
                                parse_entry(&text[lines[j].range()], lines[j].range().start, j)
                            })
                            .flatten()?;
                        let title = text.get(e.title_span.clone())?;
                        let title =
                            super::outline::parse_marker(title).map_or(title, |m| &title[m.len..]);
                        super::parts::title_doc_type(title.trim())?;
                        e.page.map(|(p, _)| p)
                    })
                    .collect();
                pages.is_some_and(|p| p.windows(2).all(|w| w[0] <= w[1]))
            };
            let run = (0..lines.len().saturating_sub(2))
                .find(|&i| (i..i + 3).all(titled) || aligned(i))?;
            (run, run)
        }
    };
    let mut entries: Vec<TocEntry> = Vec::new();
    let mut end_line = first_entry;
    for (i, line) in lines.iter().enumerate().skip(first_entry) {
        let c = compact(i);
        if c.is_empty() {
            continue;
        }
        let r = line.range();
        let entry = parse_entry(&text[r.clone()], r.start, i).or_else(|| {
            // without a page number: a short line that is not a sentence, under a 目录 line
            let n = c.chars().count();
            let plain = heading.is_some()
                && (4..=60).contains(&n)
                && !c.contains(['。', ';', '；', ':', '：'])
                && !c.starts_with(['(', '（'])
                && entries
                    .first()
                    .is_none_or(|f| !same_title(text, f, &content(i)));
            plain.then(|| {
                let p = content(i);
                TocEntry {
                    title_span: p.span.clone(),
                    part: p,
                    page: None,
                }
            })
        });
        match entry {
            Some(e) => {
                entries.push(e);
                end_line = i + 1;
            }
            None => break,
        }
    }
    if heading.is_none() && entries.len() < 3 {
        return None;
    }
    Some(Toc {
        heading: heading.map(content),
        entries,
        start_line: start,
        end_line,
    })
}

/// The body has begun when a line repeats the first entry's title (without its number).
fn same_title(text: &str, first: &TocEntry, line: &Part) -> bool {
    let key = |r: &Range<usize>| -> String {
        let t = text.get(r.clone()).unwrap_or("").trim_start();
        let t = super::outline::parse_marker(t).map_or(t, |m| &t[m.len..]);
        t.chars()
            .filter(|&c| crate::normalize::is_letter_or_digit(c))
            .collect()
    };
    key(&first.title_span) == key(&line.span)
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
