//! Markdown input: the byte ranges that are not prose. Code spans, fenced and indented
//! code blocks, link and image targets (`](…)`), link reference definitions, autolinks
//! (`<https://…>`, bare `https://…`), HTML tags and comments, and front matter are never
//! linted or fixed: [`crate::Document::masked`] holds these ranges for a `.md` file and
//! [`crate::rules::RuleSet::check`] drops every finding whose span or fix touches one.
//!
//! A small, linear-time reader of the CommonMark constructs that matter here, not a full
//! parser: blocks line by line, then per paragraph code spans (backtick runs matched by
//! length) and links (brackets and parentheses matched with stacks). Pure, no I/O.

use crate::source::{line_break_len, line_ranges};
use std::collections::HashMap;
use std::ops::Range;

/// Whether a path names a Markdown file (`.md`, `.markdown`, any case).
pub fn is_markdown(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.ends_with(".md") || lower.ends_with(".markdown")
}

/// An HTML tag longer than this is not taken for one (keeps the scan linear).
const MAX_TAG_BYTES: usize = 1024;

/// The byte ranges of `text` that are not prose, sorted and disjoint.
pub fn masked_ranges(text: &str) -> Vec<Range<usize>> {
    let mut blocks = BlockReader::new(text);
    let mut masks = Vec::new();
    let mut lines = line_ranges(text).peekable();
    if let Some(end) = front_matter_end(text) {
        masks.push(0..end);
        while lines.next_if(|l| l.start < end).is_some() {}
    }
    for line in lines {
        blocks.line(line, &mut masks);
    }
    blocks.flush(&mut masks);
    merge(masks)
}

/// The end of a YAML (`---`) or TOML (`+++`) front matter block at the very start.
fn front_matter_end(text: &str) -> Option<usize> {
    let mut lines = line_ranges(text);
    let first = lines.next()?;
    let fence = text[first].trim_end();
    if fence != "---" && fence != "+++" {
        return None;
    }
    lines
        .find(|l| {
            let t = text[l.clone()].trim_end();
            t == fence || (fence == "---" && t == "...")
        })
        .map(|l| l.end)
}

/// Block-level state while reading lines.
struct BlockReader<'a> {
    text: &'a str,
    /// An open fence: its character and length.
    fence: Option<(u8, usize)>,
    /// Inside an HTML comment block, up to this offset.
    comment_until: usize,
    /// The current paragraph (lines that are neither blank nor a block of their own).
    paragraph: Option<Range<usize>>,
    prev_blank: bool,
    prev_code: bool,
    in_list: bool,
}

impl<'a> BlockReader<'a> {
    fn new(text: &'a str) -> BlockReader<'a> {
        BlockReader {
            text,
            fence: None,
            comment_until: 0,
            paragraph: None,
            prev_blank: true,
            prev_code: false,
            in_list: false,
        }
    }

    fn flush(&mut self, masks: &mut Vec<Range<usize>>) {
        if let Some(p) = self.paragraph.take() {
            inline_masks(self.text, p, masks);
        }
    }

    /// Line `r` (without its break) with its break: masked block lines join up.
    fn with_break(&self, r: &Range<usize>) -> Range<usize> {
        r.start..r.end + line_break_len(self.text.as_bytes(), r.end)
    }

    fn line(&mut self, r: Range<usize>, masks: &mut Vec<Range<usize>>) {
        let line = &self.text[r.clone()];
        if r.start < self.comment_until {
            masks.push(self.with_break(&r));
            return;
        }
        if let Some((ch, len)) = self.fence {
            if closes_fence(line, ch, len) {
                self.fence = None;
            }
            masks.push(self.with_break(&r));
            return;
        }
        let (indent, body) = indentation(line);
        if body.is_empty() {
            self.flush(masks);
            self.prev_blank = true;
            return;
        }
        let was_blank = std::mem::replace(&mut self.prev_blank, false);
        if indent >= 4 && (was_blank || self.prev_code) && self.paragraph.is_none() && !self.in_list
        {
            self.prev_code = true;
            masks.push(self.with_break(&r));
            return;
        }
        self.prev_code = false;
        if indent < 4 {
            if let Some(fence) = opens_fence(body) {
                self.flush(masks);
                self.fence = Some(fence);
                masks.push(self.with_break(&r));
                return;
            }
            if body.starts_with("<!--") {
                self.flush(masks);
                let end = match self.text[r.start..].find("-->") {
                    Some(k) => line_end_after(self.text, r.start + k + 3),
                    None => self.text.len(),
                };
                self.comment_until = end;
                masks.push(r.start..end);
                return;
            }
            if is_link_definition(body) {
                self.flush(masks);
                masks.push(r);
                return;
            }
            if is_list_item(body) {
                self.in_list = true;
            } else if indent == 0 && was_blank {
                self.in_list = false;
            }
        }
        match &mut self.paragraph {
            Some(p) => p.end = r.end,
            None => self.paragraph = Some(r),
        }
    }
}

/// The end of the line containing `offset` (before its break).
fn line_end_after(text: &str, offset: usize) -> usize {
    text[offset..]
        .find(['\n', '\r'])
        .map_or(text.len(), |i| offset + i)
}

/// Columns of leading spaces and tabs (a tab to the next multiple of 4) and the rest.
fn indentation(line: &str) -> (usize, &str) {
    let mut cols = 0;
    for (i, b) in line.bytes().enumerate() {
        match b {
            b' ' => cols += 1,
            b'\t' => cols += 4 - cols % 4,
            _ => return (cols, line[i..].trim_end_matches([' ', '\t'])),
        }
    }
    (cols, "")
}

/// A fence opener: three or more backticks (no backtick in the info string) or tildes.
fn opens_fence(body: &str) -> Option<(u8, usize)> {
    let ch = *body.as_bytes().first()?;
    if ch != b'`' && ch != b'~' {
        return None;
    }
    let len = body.bytes().take_while(|&b| b == ch).count();
    if len < 3 || (ch == b'`' && body[len..].contains('`')) {
        return None;
    }
    Some((ch, len))
}

fn closes_fence(line: &str, ch: u8, len: usize) -> bool {
    let (indent, body) = indentation(line);
    let run = body.bytes().take_while(|&b| b == ch).count();
    indent < 4 && run >= len && run == body.len()
}

/// `[label]: destination` at the start of a line.
fn is_link_definition(body: &str) -> bool {
    let Some(rest) = body.strip_prefix('[') else {
        return false;
    };
    match rest.find("]:") {
        Some(i) => i > 0 && !rest[..i].contains(['[', ']']),
        None => false,
    }
}

/// `- `, `* `, `+ `, `1. `, `1) ` at the start of a line.
fn is_list_item(body: &str) -> bool {
    let b = body.as_bytes();
    let spaced = |i: usize| matches!(b.get(i), None | Some(b' ' | b'\t'));
    if matches!(b.first(), Some(b'-' | b'*' | b'+')) {
        return spaced(1);
    }
    let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    (1..=9).contains(&digits) && matches!(b.get(digits), Some(b'.' | b')')) && spaced(digits + 1)
}

/// Masks inside one paragraph: code spans, then links, autolinks, HTML, bare URLs.
fn inline_masks(text: &str, para: Range<usize>, masks: &mut Vec<Range<usize>>) {
    let code = code_spans(text, para.clone());
    let b = text.as_bytes();
    let mut code_iter = code.iter().peekable();
    let mut brackets: Vec<usize> = Vec::new();
    // (position of `(`, the `[` of the link when it opens a link destination)
    let mut parens: Vec<(usize, Option<usize>)> = Vec::new();
    let mut comments = true;
    let mut i = para.start;
    while i < para.end {
        if let Some(c) = code_iter.peek() {
            if c.start <= i {
                i = i.max(c.end);
                code_iter.next();
                continue;
            }
        }
        match b[i] {
            b'\\' if b.get(i + 1).is_some_and(u8::is_ascii_punctuation) => {
                i += 2;
                continue;
            }
            b'[' => brackets.push(i),
            b']' => {
                if let Some(open) = brackets.pop() {
                    if b.get(i + 1) == Some(&b'(') && i + 1 < para.end {
                        parens.push((i + 1, Some(open)));
                        i += 2;
                        continue;
                    }
                }
            }
            b'(' => parens.push((i, None)),
            b')' => {
                if let Some((open, Some(bracket))) = parens.pop() {
                    let start = if bracket > 0 && b[bracket - 1] == b'!' {
                        bracket - 1
                    } else {
                        bracket
                    };
                    masks.push(start..bracket + 1);
                    masks.push(open - 1..i + 1);
                }
            }
            b'<' => {
                if comments && text[i..para.end].starts_with("<!--") {
                    match text[i + 4..para.end].find("-->") {
                        Some(k) => {
                            let end = i + 4 + k + 3;
                            masks.push(i..end);
                            i = end;
                            continue;
                        }
                        None => comments = false,
                    }
                }
                if let Some(end) = angle_end(text, i, para.end) {
                    masks.push(i..end);
                    i = end;
                    continue;
                }
            }
            b'h' | b'w' if starts_url(text, i) => {
                let end = url_end(text, i, para.end);
                masks.push(i..end);
                i = end;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    masks.extend(code);
}

/// Code spans in `para`: a backtick run up to the next run of the same length.
fn code_spans(text: &str, para: Range<usize>) -> Vec<Range<usize>> {
    let b = text.as_bytes();
    // (start, length, escaped)
    let mut runs: Vec<(usize, usize, bool)> = Vec::new();
    let mut i = para.start;
    while i < para.end {
        if b[i] == b'\\' && b.get(i + 1).is_some_and(u8::is_ascii_punctuation) {
            if b[i + 1] == b'`' {
                let len = b[i + 1..para.end]
                    .iter()
                    .take_while(|&&c| c == b'`')
                    .count();
                runs.push((i + 1, len, true));
                i += 1 + len;
            } else {
                i += 2;
            }
            continue;
        }
        if b[i] == b'`' {
            let len = b[i..para.end].iter().take_while(|&&c| c == b'`').count();
            runs.push((i, len, false));
            i += len;
            continue;
        }
        i += 1;
    }
    // per run length: the indices of runs of that length, and how far they were used
    let mut by_len: HashMap<usize, (Vec<usize>, usize)> = HashMap::new();
    for (k, &(_, len, _)) in runs.iter().enumerate() {
        by_len.entry(len).or_default().0.push(k);
    }
    let mut out = Vec::new();
    let mut k = 0;
    while k < runs.len() {
        let (start, len, escaped) = runs[k];
        // an escaped backtick is literal; the rest of its run can still open a span
        let (start, len) = if escaped {
            (start + 1, len - 1)
        } else {
            (start, len)
        };
        let close = by_len.get_mut(&len).and_then(|(list, used)| {
            while *used < list.len() && list[*used] <= k {
                *used += 1;
            }
            list.get(*used).copied()
        });
        match close.filter(|_| len > 0) {
            Some(j) => {
                out.push(start..runs[j].0 + runs[j].1);
                k = j + 1;
            }
            None => k += 1,
        }
    }
    out
}

/// `<scheme:…>`, `<user@host>` or an HTML tag starting at `i`: where it ends.
fn angle_end(text: &str, i: usize, limit: usize) -> Option<usize> {
    let b = text.as_bytes();
    let limit = limit.min(i + MAX_TAG_BYTES);
    let next = *b.get(i + 1)?;
    // autolink: no spaces, no angle brackets
    if next.is_ascii_alphabetic() {
        let mut j = i + 1;
        while j < limit && !matches!(b[j], b' ' | b'\t' | b'\n' | b'\r' | b'<' | b'>') {
            j += 1;
        }
        let inner = &text[i + 1..j.min(text.len())];
        if j < limit && b[j] == b'>' && (is_scheme_uri(inner) || inner.contains('@')) {
            return Some(j + 1);
        }
    }
    html_tag_end(b, i, limit)
}

fn is_scheme_uri(s: &str) -> bool {
    match s.find(':') {
        Some(k) => {
            (2..=32).contains(&k)
                && s[..k]
                    .bytes()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'.' | b'-'))
        }
        None => false,
    }
}

/// `<tag attr="…">` or `</tag>` starting at `i`, within `limit`.
fn html_tag_end(b: &[u8], i: usize, limit: usize) -> Option<usize> {
    let mut j = i + 1;
    if b.get(j) == Some(&b'/') {
        j += 1;
    }
    if !b.get(j)?.is_ascii_alphabetic() {
        return None;
    }
    while j < limit && (b[j].is_ascii_alphanumeric() || b[j] == b'-') {
        j += 1;
    }
    let mut quote: Option<u8> = None;
    while j < limit {
        let c = b[j];
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                b'>' => return Some(j + 1),
                b'<' => return None,
                b'"' | b'\'' => quote = Some(c),
                _ => {}
            },
        }
        j += 1;
    }
    None
}

/// A bare `http://`, `https://` or `www.` URL starts at `i` (not inside a word).
fn starts_url(text: &str, i: usize) -> bool {
    let rest = &text[i..];
    let starts =
        rest.starts_with("http://") || rest.starts_with("https://") || rest.starts_with("www.");
    starts && (i == 0 || !text.as_bytes()[i - 1].is_ascii_alphanumeric())
}

/// Where a bare URL starting at `i` ends: at a space, a non-ASCII character or `<`,
/// without trailing punctuation (GFM's extended autolinks).
fn url_end(text: &str, i: usize, limit: usize) -> usize {
    let b = text.as_bytes();
    let mut j = i;
    while j < limit && b[j].is_ascii_graphic() && b[j] != b'<' {
        j += 1;
    }
    while j > i
        && matches!(
            b[j - 1],
            b'.' | b',' | b':' | b';' | b'!' | b'?' | b')' | b'"' | b'\''
        )
    {
        j -= 1;
    }
    j
}

/// Sort and merge overlapping or touching ranges.
fn merge(mut ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    ranges.retain(|r| r.start < r.end);
    ranges.sort_by_key(|r| (r.start, r.end));
    let mut out: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for r in ranges {
        match out.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    out.shrink_to_fit();
    out
}

/// Whether `range` touches a masked range: overlaps one, or (empty) lies strictly
/// inside one. `masks` sorted and disjoint.
pub fn touches(masks: &[Range<usize>], range: &Range<usize>) -> bool {
    // the first mask ending after the range's start
    let k = masks.partition_point(|m| m.end <= range.start);
    masks.get(k).is_some_and(|m| {
        if range.is_empty() {
            m.start < range.start
        } else {
            m.start < range.end
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn masked(text: &str) -> Vec<&str> {
        masked_ranges(text).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn code_links_html_and_front_matter_are_masked() {
        let text = "---\ntitle: 甲,乙\n---\n详见[全文](附件/通知(一).pdf)，![图](a.png)。\n\
                    用`print(工作)`和``a`b``，<https://例子.cn/x> 与 <b title=\"x>y\">粗</b>。\n\
                    见 https://example.com/a,b. 完\n";
        assert_eq!(
            masked(text),
            [
                "---\ntitle: 甲,乙\n---",
                "[",
                "](附件/通知(一).pdf)",
                "![",
                "](a.png)",
                "`print(工作)`",
                "``a`b``",
                "<https://例子.cn/x>",
                "<b title=\"x>y\">",
                "</b>",
                "https://example.com/a,b",
            ]
        );
    }

    #[test]
    fn code_blocks_are_masked_lists_are_not() {
        let text = "正文,一\n\n```py\nx(工作,学习)\n```\n\n    缩进代码(一)\n\n- 列表\n\n    列表续行(一)\n\n~~~\n未闭合";
        assert_eq!(
            masked(text),
            [
                "```py\nx(工作,学习)\n```\n",
                "    缩进代码(一)\n",
                "~~~\n未闭合"
            ]
        );
        // an indented line right after a paragraph line continues the paragraph
        assert!(masked("正文\n    续行(一)\n").is_empty());
    }

    #[test]
    fn unmatched_markers_mask_nothing() {
        assert!(masked("只有`一个反引号，[没有链接](，<不是标签 和 ](半个\n").is_empty());
        assert_eq!(masked("转义\\`不是代码` 但`这是`"), ["` 但`"]);
        assert_eq!(
            masked("<!-- 注释\n\n仍是注释 -->尾\n正文"),
            ["<!-- 注释\n\n仍是注释 -->尾\n"]
        );
        assert_eq!(
            masked("[标签]: https://a.cn \"标题\"\n正文"),
            ["[标签]: https://a.cn \"标题\""]
        );
    }

    #[test]
    fn touching_is_overlap_or_strictly_inside() {
        let masks = vec![2..5, 8..9];
        assert!(touches(&masks, &(4..6)));
        assert!(touches(&masks, &(3..3)));
        assert!(!touches(&masks, &(5..8)));
        assert!(!touches(&masks, &(2..2)));
        assert!(!touches(&masks, &(5..5)));
        assert!(touches(&masks, &(0..10)));
    }
}
