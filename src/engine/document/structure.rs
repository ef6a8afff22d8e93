//! [`Structure`]: what gwlint recognises of a 公文 — a layout label for every line, the 版头
//! and 版记, the contained documents (segments: the documents of a compilation and each
//! attachment) with their titles, addressees, signatures and signing dates, the outline,
//! every date with its role, and a compilation's 目录.
//!
//! Parsing never fails: it records what it recognised and leaves the rest. It works line by
//! line on the normalised view (spaces removed, full-width folded) so PDF residue such as
//! `2017 年 3 月 23 日` does not hide anything, and maps every span back to the original.
//! It runs as a sequence of passes, each linear in the text (see [`Structure::parse`]).

use super::dates::{self, DateForm, DateRole, RawDate};
use super::layout::{self, LineKind, ShapeLine};
pub use super::lines::LineInfo;
use super::outline::{parse_marker, Heading, InlineItem, Marker, MarkerStyle};
use super::parts::{self, DocNumber, Header, Part, Segment};
use super::static_regex;
use super::toc::{self, Toc};
use crate::normalize::NormalizedView;
use crate::source::LineIndex;
use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

/// A date mention with its role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateMention {
    pub line: usize,
    /// Original byte range of the date (without the weekday).
    pub span: Range<usize>,
    pub year: Option<i32>,
    pub month: u32,
    pub day: Option<u32>,
    pub form: DateForm,
    pub zero_padded: bool,
    /// The stated weekday (0 = Monday) and its original byte range.
    pub weekday: Option<(u32, Range<usize>)>,
    pub role: DateRole,
    pub segment: usize,
}

impl DateMention {
    /// Days since 1970-01-01 when the date is complete and valid.
    pub fn days(&self) -> Option<i64> {
        let (y, d) = (self.year?, self.day?);
        dates::is_valid(Some(y), self.month, Some(d))
            .then(|| dates::days_from_civil(y, self.month, d))
    }

    pub fn describe(&self) -> String {
        match (self.year, self.day) {
            (Some(y), Some(d)) => format!("{y}年{}月{d}日", self.month),
            (Some(y), None) => format!("{y}年{}月", self.month),
            (None, Some(d)) => format!("{}月{d}日", self.month),
            (None, None) => format!("{}月", self.month),
        }
    }
}

/// Two dates joined by 至 / 到 / a dash (indices into [`Structure::dates`]), two years
/// (「2021—2025年」: start, end and the original span), or two months of one year
/// (「2025年3月—5月」: year, start month, end month, original span).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateRange {
    Dates(usize, usize),
    Years(i32, i32, Range<usize>),
    Months(i32, u32, u32, Range<usize>),
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Structure {
    pub lines: Vec<LineInfo>,
    /// What each line is ([`LineKind`]), one per line.
    pub kinds: Vec<LineKind>,
    pub header: Header,
    /// Contained documents and attachments; segment 0 is whatever precedes the first title
    /// (it may be empty).
    pub segments: Vec<Segment>,
    pub headings: Vec<Heading>,
    pub inline_items: Vec<InlineItem>,
    /// Outline markers glued to the previous sentence (「…工作。2.加强…」), in line order;
    /// `parent` and `segment` are not set.
    pub glued: Vec<Heading>,
    /// What looked like a part but could not be read (line, note), for `debug structure`.
    pub unrecognised: Vec<(usize, String)>,
    pub dates: Vec<DateMention>,
    pub ranges: Vec<DateRange>,
    pub toc: Option<Toc>,
    /// Numbering faults, computed on first use ([`Structure::numbering`]).
    numbering: std::sync::OnceLock<Vec<super::numbering::Finding>>,
}

static INLINE_ITEM: LazyLock<Regex> =
    LazyLock::new(|| static_regex(r"(?:^|[,;:。、!?])(?P<n>[一二三四五六七八九十]{1,3})是"));
/// Every match starts with an ASCII digit or a bracket ([`odd_marker`] asks it only of
/// lines that do).
static ODD_MARKER: LazyLock<Regex> = LazyLock::new(|| {
    static_regex(
        r"^(?:[0-9]{1,2}[)）]|[(（][0-9一二三四五六七八九十]{1,3}[^0-9一二三四五六七八九十)）])",
    )
});
static PLACEHOLDER_DATE: LazyLock<Regex> = LazyLock::new(|| {
    static_regex(r"(?:[0-9]{4}|[0-9Xx×]{2,4})年[0-9Xx×]{0,2}[Xx×]月|[Xx×]{1,2}月[Xx×0-9]{0,2}日")
});
static YEAR_RANGE: LazyLock<Regex> =
    LazyLock::new(|| static_regex(r"(?P<a>[0-9]{4})[—–\-~～至到](?P<b>[0-9]{4})年"));
static MONTH_RANGE: LazyLock<Regex> = LazyLock::new(|| {
    static_regex(
        r"(?P<y>[0-9]{4})年(?P<a>[0-9]{1,2})月(?:份)?(?:—|——|–|-|~|～|至|到)(?P<b>[0-9]{1,2})月",
    )
});

/// The dates found on each line, stored flat: most lines have none, and a `Vec` per line
/// cost 24 bytes a line (a quarter of the structure of a clean 200 MB file).
#[derive(Default)]
struct DatesByLine {
    dates: Vec<RawDate>,
    /// (line, index of its first date in `dates`), for lines with dates, in line order.
    starts: Vec<(usize, usize)>,
}

impl DatesByLine {
    fn add(&mut self, line: usize, found: Vec<RawDate>) {
        if !found.is_empty() {
            self.starts.push((line, self.dates.len()));
            self.dates.extend(found);
        }
    }

    fn get(&self, line: usize) -> &[RawDate] {
        let Ok(k) = self.starts.binary_search_by_key(&line, |s| s.0) else {
            return &[];
        };
        let end = self.starts.get(k + 1).map_or(self.dates.len(), |s| s.1);
        self.dates.get(self.starts[k].1..end).unwrap_or(&[])
    }
}

fn trim_start_len(s: &str) -> usize {
    s.len()
        - s.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{FEFF}')
            .len()
}

/// The line's content without leading and trailing whitespace, as an original range.
fn content_span(text: &str, range: &Range<usize>) -> Range<usize> {
    let line = &text[range.clone()];
    let lead = trim_start_len(line);
    let end = line.trim_end().len().max(lead);
    range.start + lead..range.start + end
}

/// The parser's working state: the text, its lines, their dates and labels, and the
/// structure being filled in. Each pass is one method.
struct Parser<'a> {
    text: &'a str,
    norm: &'a str,
    normalized: &'a NormalizedView,
    lines: Vec<LineInfo>,
    kinds: Vec<LineKind>,
    raw_dates: DatesByLine,
    /// Title blocks: first and last line (inclusive) of each title.
    titles: Vec<(usize, usize)>,
    /// Per segment: the line of its 成文日期.
    signing_at: Vec<Option<usize>>,
    /// The 印发日期: (line, index among the line's dates).
    issue_date_at: Option<(usize, usize)>,
    /// [`parts::is_title_fragment`] of each line, worked out when the titles pass starts
    /// (its windows of up to three lines asked it of most lines several times).
    title_fragments: Vec<bool>,
    s: Structure,
}

impl Structure {
    /// Parse `text` (whose normalised view and line index are given). `markdown` turns on
    /// the Markdown labels (headings, lists, code blocks, tables, quotes).
    ///
    /// The passes, in order: lines → dates per line → layout shapes (tables, lists, page
    /// furniture, Markdown) → 目录 → outline markers → 版记 → titles and attachment labels →
    /// segments → 版头 → the parts of each segment (主送, 附件说明, 署名, 成文日期, 附注) →
    /// outline tree → date roles, ranges and inline enumerations. (The 版记 is read before
    /// the titles, so that a 拟稿 line is never taken for the first line of a title.)
    pub fn parse(
        text: &str,
        normalized: &NormalizedView,
        index: &LineIndex,
        markdown: bool,
    ) -> Structure {
        if u32::try_from(text.len().max(normalized.as_str().len())).is_err() {
            return Structure::default(); // offsets would not fit `LineInfo` and `Heading`
        }
        let mut p = Parser::new(text, normalized, index);
        p.shapes(markdown);
        p.table_of_contents();
        p.outline_markers();
        p.colophon();
        p.titles();
        p.segments();
        p.header();
        for k in 0..p.s.segments.len() {
            p.segment_parts(k);
        }
        p.outline_tree();
        p.date_roles();
        p.finish()
    }

    /// Numbering faults of the outline (gaps, repeats, wrong starts, mixed delimiters and
    /// styles, misplaced levels), analysed once.
    pub fn numbering(&self) -> &[super::numbering::Finding] {
        self.numbering
            .get_or_init(|| super::numbering::analyse(self))
    }

    /// The label of line `line` ([`LineKind::Blank`] past the end).
    pub fn kind(&self, line: usize) -> LineKind {
        self.kinds.get(line).copied().unwrap_or_default()
    }

    /// The segment (contained document) containing line `line`.
    pub fn segment_of_line(&self, line: usize) -> usize {
        self.segments
            .partition_point(|g| g.lines.start <= line)
            .saturating_sub(1)
    }

    /// The main document: the first segment with a title that is not an attachment (the
    /// notice of a red-header file).
    pub fn main_segment(&self) -> Option<usize> {
        self.segments
            .iter()
            .position(|g| g.title.is_some() && g.attachment.is_none())
    }

    /// The 成文日期 of the main document, if any segment has one: the first one.
    pub fn signing_date(&self) -> Option<&DateMention> {
        self.segments
            .iter()
            .find_map(|g| g.signing_date)
            .and_then(|i| self.dates.get(i))
    }

    pub fn issue_date(&self) -> Option<&DateMention> {
        self.header.issue_date.and_then(|i| self.dates.get(i))
    }

    /// The year the document is dated in: its 成文日期, else its 印发日期, else the year of
    /// its 发文字号, else the year its title names.
    pub fn document_year(&self) -> Option<i32> {
        self.signing_date()
            .and_then(|d| d.year)
            .or_else(|| self.issue_date().and_then(|d| d.year))
            .or_else(|| self.header.doc_number.as_ref().map(|n| n.year))
            .or_else(|| self.segments.iter().find_map(|g| g.title_year))
    }
}

impl<'a> Parser<'a> {
    fn new(text: &'a str, normalized: &'a NormalizedView, index: &LineIndex) -> Parser<'a> {
        let norm = normalized.as_str();
        let mut lines: Vec<LineInfo> = Vec::with_capacity(index.line_count());
        // lines of both views: every line break of the original (`\n`, `\r\n`, a lone
        // `\r`) is one `\n` in the normalised view, so they pair up
        let mut n = 0usize;
        for (orig, nl) in crate::source::line_ranges(text).zip(split_at_line_breaks(norm)) {
            lines.push(LineInfo::new(orig, n..n + nl.len()));
            n += nl.len() + 1;
        }
        let mut raw_dates = DatesByLine::default();
        // most lines hold no possible date, found in one search of the whole text
        let mut evidence = dates::DateEvidence::new(norm);
        for (i, l) in lines.iter().enumerate() {
            if evidence.may_hold_date(&l.norm()) {
                let line = &norm[l.norm()];
                raw_dates.add(i, dates::scan_line(line, l.norm().start));
            }
        }
        Parser {
            text,
            norm,
            normalized,
            kinds: Vec::new(),
            lines,
            raw_dates,
            titles: Vec::new(),
            signing_at: Vec::new(),
            issue_date_at: None,
            title_fragments: Vec::new(),
            s: Structure::default(),
        }
    }

    fn compact(&self, i: usize) -> &'a str {
        let norm: &'a str = self.norm;
        self.lines.get(i).map_or("", |l| &norm[l.norm()])
    }

    fn original(&self, i: usize) -> &'a str {
        let text: &'a str = self.text;
        self.lines.get(i).map_or("", |l| &text[l.range()])
    }

    fn part(&self, i: usize) -> Part {
        Part {
            line: i,
            span: content_span(self.text, &self.lines[i].range()),
        }
    }

    /// Part covering lines `first..=last`.
    fn part_lines(&self, first: usize, last: usize) -> Part {
        Part {
            line: first,
            span: content_span(self.text, &self.lines[first].range()).start
                ..content_span(self.text, &self.lines[last].range()).end,
        }
    }

    fn map(&self, r: Range<usize>) -> Range<usize> {
        self.normalized.to_original(self.text, r)
    }

    /// Whether line `i` may be (part of) a title: [`parts::is_title_fragment`].
    fn is_title_fragment(&self, i: usize) -> bool {
        match self.title_fragments.get(i) {
            Some(&known) => known,
            None => parts::is_title_fragment(self.compact(i)),
        }
    }

    /// The next non-blank line at or after `from`, before `end`.
    fn next_content(&self, from: usize, end: usize) -> Option<usize> {
        (from..end.min(self.lines.len())).find(|&j| self.kinds[j] != LineKind::Blank)
    }

    /// Pass: layout shapes (tables, lists, page furniture, Markdown).
    fn shapes(&mut self, markdown: bool) {
        let shape_lines: Vec<ShapeLine<'_>> = (0..self.lines.len())
            .map(|i| ShapeLine {
                original: self.original(i),
                compact: self.compact(i),
            })
            .collect();
        self.kinds = layout::shapes(&shape_lines, markdown);
    }

    /// Pass: the 目录 and its entries.
    fn table_of_contents(&mut self) {
        let toc = toc::find(self.text, &self.lines, self.norm, &self.kinds);
        if let Some(t) = &toc {
            if let Some(h) = &t.heading {
                self.kinds[h.line] = LineKind::TocHeading;
            }
            for e in &t.entries {
                self.kinds[e.part.line] = LineKind::TocEntry;
            }
        }
        self.s.toc = toc;
    }

    /// Pass: outline markers at the start of prose lines (tables, lists and 目录 are not
    /// outline), label lines (「注：」) that open a list of their own, and markers glued to
    /// the end of a sentence.
    fn outline_markers(&mut self) {
        for i in 0..self.lines.len() {
            let kind = self.kinds[i];
            if !matches!(kind, LineKind::Prose | LineKind::MdHeading) {
                continue;
            }
            let orig = self.original(i);
            let lead = trim_start_len(orig);
            let mut body = &orig[lead..];
            let mut at = self.lines[i].range().start + lead;
            if kind == LineKind::MdHeading {
                let hashes = body.len() - body.trim_start_matches('#').len();
                let rest = &body[hashes..];
                let spaces = trim_start_len(rest);
                at += hashes + spaces;
                body = &rest[spaces..];
            }
            let line_end = self.lines[i].range().start + orig.trim_end().len();
            if kind == LineKind::Prose {
                find_glued(orig, self.lines[i].range().start, i, &mut self.s.glued);
            }
            if let Some(rest) = label_then_item(body) {
                // 「注：1、坐标系统…」: the label and the first item on one line
                let m = Marker {
                    style: MarkerStyle::Label,
                    number: 0,
                    delimiter: "",
                    len: 0,
                };
                self.s.headings.push(Heading::new(i, at, &m, line_end));
                if let Some(item) = parse_marker(rest) {
                    let item_at = at + (body.len() - rest.len());
                    self.s
                        .headings
                        .push(Heading::new(i, item_at, &item, line_end));
                }
                self.kinds[i] = LineKind::Heading;
            } else if let Some(m) = parse_marker(body) {
                if kind == LineKind::Prose {
                    self.kinds[i] = LineKind::Heading;
                }
                self.s.headings.push(Heading::new(i, at, &m, line_end));
            } else if kind == LineKind::Prose && is_list_label(self.compact(i)) {
                let m = Marker {
                    style: MarkerStyle::Label,
                    number: 0,
                    delimiter: "",
                    len: 0,
                };
                self.s.headings.push(Heading::new(i, at, &m, line_end));
            } else if let Some(m) = odd_marker(self.compact(i)) {
                self.s.unrecognised.push((
                    i,
                    format!("「{}」像序号但不是标准写法，未计入大纲", m.as_str()),
                ));
            }
        }
    }

    /// Pass: titles (1–3 lines, above or below the 发文字号, of each contained document and
    /// attachment) and the 「附件N」 labels above attachments.
    fn titles(&mut self) {
        let mut at_start = true; // a title position: the file's start, after a 目录 or a label
        let mut after_label = false;
        // 「关于印发《车辆使用管理办法》的通知」: the document it issues is printed after it
        let mut issued: Option<String> = None;
        // 「关于印发甲办法和乙规定的通知」 (no 《》): its title, to find the documents it issues
        let mut issuing: Option<String> = None;
        let listed = self.toc_titles();
        self.title_fragments = (0..self.lines.len())
            .map(|i| parts::is_title_fragment(self.compact(i)))
            .collect();
        let mut i = 0;
        while i < self.lines.len() {
            let kind = self.kinds[i];
            if kind == LineKind::Blank {
                i += 1;
                continue;
            }
            if matches!(kind, LineKind::TocHeading | LineKind::TocEntry) {
                at_start = true;
                i += 1;
                continue;
            }
            let c = self.compact(i);
            if kind == LineKind::MdHeading && at_start && self.titles.is_empty() {
                // 「# 2025年党建工作要点」: a Markdown draft's first heading is its title
                let text = c.trim_start_matches('#');
                if parts::is_title_at_start(text) {
                    self.kinds[i] = LineKind::Title;
                    self.titles.push((i, i));
                }
                at_start = false;
                i += 1;
                continue;
            }
            if kind == LineKind::Prose && i > 0 && parts::is_attachment_label(c) {
                self.kinds[i] = LineKind::AttachmentLabel;
                self.titles.push((i, i)); // placeholder: an attachment starts here
                at_start = true;
                after_label = true;
                i += 1;
                continue;
            }
            if kind == LineKind::Prose && at_start && parts::is_header_line(c) {
                i += 1; // 版头 lines before the title keep the title position open
                continue;
            }
            if kind == LineKind::Prose && self.ends_a_document(i) {
                // a document printed after the one that issues it has its title next
                // (附注 lines such as 「（此件公开发布）」 may come first)
                i += 1;
                while i < self.lines.len()
                    && (self.kinds[i] == LineKind::Blank || parts::is_annotation(self.compact(i)))
                {
                    i += 1;
                }
                at_start = true;
                after_label = false;
                continue;
            }
            let found = if after_label {
                self.attachment_title(i)
            } else if issued.as_deref().is_some_and(|t| parts::names_issued(c, t)) {
                issued = None;
                Some(i)
            } else if let Some(last) = issuing.as_deref().and_then(|t| self.issued_block(i, t)) {
                Some(last)
            } else if let Some(last) = self.listed_block(i, &listed) {
                Some(last)
            } else if let Some(last) = self.headnoted_block(i) {
                Some(last)
            } else {
                self.title_block(i, at_start)
            };
            if let Some(last) = found {
                for k in i..=last {
                    self.kinds[k] = LineKind::Title;
                }
                let joined: String = (i..=last).map(|k| self.compact(k)).collect();
                if let Some(t) = parts::issued_title(&joined) {
                    issued = Some(t.to_owned());
                } else if issuing.is_none() && parts::is_issuing_title(&joined) {
                    issuing = Some(joined.clone());
                }
                if after_label {
                    if let Some(t) = self.titles.last_mut() {
                        t.1 = last; // the attachment's title belongs to its label
                    }
                } else {
                    self.titles.push((i, last));
                }
                i = last + 1;
            } else {
                i += 1;
            }
            at_start = false;
            after_label = false;
        }
    }

    /// A title starting at line `i`: 1–3 consecutive lines whose joined text reads as a
    /// title. At a title position any document type will do; elsewhere only a title that
    /// cannot be a sentence (「关于…的通知」, 「2025年…工作计划」).
    /// The longest block that fits wins: 「…关于全面推行」「…记录制度」「…的指导意见」 is one
    /// title, though its second line already ends with a type.
    fn title_block(&self, i: usize, at_start: bool) -> Option<usize> {
        let mut joined = String::new();
        let mut found = None;
        for last in i..(i + 3).min(self.lines.len()) {
            let c = self.compact(last);
            if self.kinds[last] != LineKind::Prose
                || !self.is_title_fragment(last)
                || c.starts_with("附件")
                || self.raw_dates.get(last).iter().any(|d| d.day.is_some())
            {
                break;
            }
            joined.push_str(c);
            let fits = if at_start {
                parts::is_title_at_start(&joined)
            } else {
                parts::is_title_like(&joined) && !joined.starts_with('《')
            };
            if fits {
                found = Some(last);
            }
            if parts::ends_with_terminal(c) {
                break;
            }
        }
        found
    }

    /// The titles the 目录 lists, compact (spaces removed, full-width folded, no leading
    /// 「1.」).
    fn toc_titles(&self) -> std::collections::HashSet<String> {
        let Some(toc) = &self.s.toc else {
            return Default::default();
        };
        toc.entries
            .iter()
            .filter_map(|e| self.text.get(e.title_span.clone()))
            .map(|t| {
                let t: String = t
                    .chars()
                    .filter(|&c| !crate::normalize::is_removed_space(c))
                    .map(crate::normalize::fold_char)
                    .collect();
                match parse_marker(&t) {
                    Some(m) => t[m.len..].to_owned(),
                    None => t,
                }
            })
            .filter(|t| t.chars().count() >= 4)
            .collect()
    }

    /// A title of 1–3 lines that the 目录 lists (a contained document whose title has no
    /// 「关于」: 「…实施细则」, 「…会议公告」).
    fn listed_block(&self, i: usize, listed: &std::collections::HashSet<String>) -> Option<usize> {
        if listed.is_empty() {
            return None;
        }
        self.title_lines(i, 3, |joined, _| listed.contains(joined))
    }

    /// A title of 1–2 lines with a type (「…全体会议公报」) right above a 题注
    /// 「（2024年3月9日…通过）」.
    fn headnoted_block(&self, i: usize) -> Option<usize> {
        self.title_lines(i, 2, |joined, last| {
            parts::title_doc_type(joined).is_some()
                && self
                    .next_content(last + 1, self.lines.len())
                    .is_some_and(|n| parts::is_headnote(self.compact(n)))
        })
    }

    /// A title of 1–2 lines naming a document the notice titled `notice` issues
    /// ([`parts::named_in_issuing_title`]).
    fn issued_block(&self, i: usize, notice: &str) -> Option<usize> {
        self.title_lines(i, 2, |joined, _| {
            parts::named_in_issuing_title(joined, notice)
        })
    }

    /// The last line of the shortest block of up to `max` title-like prose lines from `i`
    /// whose joined text `fits` (given that text and the block's last line).
    fn title_lines(
        &self,
        i: usize,
        max: usize,
        fits: impl Fn(&str, usize) -> bool,
    ) -> Option<usize> {
        let mut joined = String::new();
        for last in i..(i + max).min(self.lines.len()) {
            let c = self.compact(last);
            if self.kinds[last] != LineKind::Prose || !self.is_title_fragment(last) {
                break;
            }
            joined.push_str(c);
            if fits(&joined, last) {
                return Some(last);
            }
        }
        None
    }

    /// A 成文日期 under a 署名: the line is only a date, the line above reads as a signature.
    fn ends_a_document(&self, i: usize) -> bool {
        let c = self.compact(i);
        let base = self.lines[i].norm().start;
        parts::is_date_only(c, self.raw_dates.get(i), base)
            && (0..i)
                .rev()
                .find(|&j| self.kinds[j] != LineKind::Blank)
                .is_some_and(|j| {
                    matches!(self.kinds[j], LineKind::Prose | LineKind::TableRow)
                        && parts::is_signature_like(self.compact(j))
                        && self.raw_dates.get(j).is_empty()
                })
    }

    /// The title of an attachment: the 1–3 short lines after its label.
    fn attachment_title(&self, i: usize) -> Option<usize> {
        let mut last = None;
        for k in i..(i + 3).min(self.lines.len()) {
            let c = self.compact(k);
            if self.kinds[k] != LineKind::Prose
                || !self.is_title_fragment(k)
                || parse_marker(c).is_some()
            {
                break;
            }
            last = Some(k);
            if parts::title_doc_type(c).is_some() {
                break;
            }
        }
        last
    }

    /// Pass: segments — [0, first title), then one per title block and per attachment.
    fn segments(&mut self) {
        let mut bounds = vec![(0usize, None)];
        for &(first, last) in &self.titles {
            if first > 0 {
                bounds.push((first, Some(last)));
            } else {
                bounds[0].1 = Some(last);
            }
        }
        for (k, &(start, title_last)) in bounds.iter().enumerate() {
            let end = bounds.get(k + 1).map_or(self.lines.len(), |b| b.0);
            let label = self.kinds[start] == LineKind::AttachmentLabel;
            let attachment = label.then(|| parts::attachment_number(self.compact(start)));
            let title_first = if label { start + 1 } else { start };
            let title = title_last
                .filter(|&l| l >= title_first)
                .and_then(|l| self.next_content(title_first, l + 1).map(|f| (f, l)))
                .map(|(f, l)| self.part_lines(f, l));
            let joined: String = title_last.map_or(String::new(), |l| {
                (title_first..=l).map(|j| self.compact(j)).collect()
            });
            let has_title = title.is_some();
            let years = if has_title {
                parts::named_years(&joined)
            } else {
                parts::NamedYears::default()
            };
            self.s.segments.push(Segment {
                lines: start..end,
                title,
                title_end: title_last.unwrap_or(start),
                title_year: years.title,
                plan_year: years.plan,
                summary_year: years.summary,
                doc_type: has_title
                    .then(|| parts::title_doc_type(&joined).map(str::to_owned))
                    .flatten(),
                attachment,
                ..Segment::default()
            });
        }
        self.signing_at = vec![None; self.s.segments.len()];
    }

    /// Pass: the 版头 — 发文机关标志, 份号, 密级, 紧急程度, 发文字号 and 签发人 — before the
    /// main title, or (the layout of published documents) right under a title at the top.
    fn header(&mut self) {
        let main = self.s.main_segment();
        let title_at = main.and_then(|k| self.s.segments[k].title.as_ref().map(|t| t.line));
        let head_end = title_at.unwrap_or(self.lines.len().min(12));
        let mut zone: Vec<usize> = (0..head_end).collect();
        if let Some(k) = main {
            // 「国办发〔2019〕6号」 on the line under a title at the top of the file
            let g = &self.s.segments[k];
            let after = g.title_end + 1;
            zone.extend(
                (after..g.lines.end)
                    .filter(|&j| self.kinds[j] != LineKind::Blank)
                    .take(2),
            );
        }
        let mut nonblank = 0;
        for i in zone {
            let c = self.compact(i);
            if c.is_empty() || !matches!(self.kinds[i], LineKind::Prose | LineKind::TableRow) {
                continue;
            }
            nonblank += 1;
            let part = self.part(i);
            if let Some(number) = self.own_doc_number(i) {
                if self.s.header.doc_number.is_none() {
                    self.s.header.doc_number = Some(number);
                    self.kinds[i] = LineKind::DocNumber;
                }
            } else if i < head_end && nonblank <= 6 && parts::is_agency_mark(c) {
                self.s.header.agency_mark.get_or_insert(part);
                self.kinds[i] = LineKind::AgencyMark;
            } else if i < head_end && parts::is_header_mark(c) {
                self.kinds[i] = LineKind::HeaderMark;
            }
            if let Some(r) = parts::find_signer(c) {
                if self.s.header.signer.is_none() {
                    let base = self.lines[i].norm().start;
                    self.s.header.signer = Some(Part {
                        line: i,
                        span: self.map(base + r.start..base + r.end),
                    });
                    if self.kinds[i] != LineKind::DocNumber {
                        self.kinds[i] = LineKind::Signer;
                    }
                }
            }
        }
    }

    /// Pass: the 版记 — 抄送, the 印发 line with its date, 拟稿 / 校对.
    fn colophon(&mut self) {
        for i in 0..self.lines.len() {
            if !matches!(self.kinds[i], LineKind::Prose | LineKind::TableRow) {
                continue;
            }
            let c = self.compact(i);
            if c.ends_with("印发") {
                if let Some(k) = self
                    .raw_dates
                    .get(i)
                    .iter()
                    .rposition(|d| d.day.is_some() && d.year.is_some())
                {
                    if self.s.header.issue_line.is_none() {
                        self.s.header.issue_line = Some(self.part(i));
                        self.issue_date_at = Some((i, k));
                    }
                    self.kinds[i] = LineKind::Colophon;
                    continue;
                }
            }
            if parts::is_drafter_line(c) {
                self.s.header.drafter.get_or_insert(self.part(i));
                self.kinds[i] = LineKind::Colophon;
            } else if parts::is_copy_to_line(c) {
                self.kinds[i] = LineKind::Colophon;
            }
        }
    }

    /// Pass: the parts of segment `k` — 主送, 附件说明, 署名, 成文日期, 附注 — and its body.
    fn segment_parts(&mut self, k: usize) {
        let g = &self.s.segments[k];
        let (start, end) = (g.lines.start, g.lines.end);
        let has_title = g.title.is_some();
        let is_attachment = g.attachment.is_some();
        let mut body_start = if has_title { g.title_end + 1 } else { start };
        if has_title && !is_attachment {
            self.segment_doc_number(k, body_start, end);
        }
        // the 发文字号 or 签发人 under a title at the top
        while body_start < end
            && matches!(
                self.kinds[body_start],
                LineKind::Blank | LineKind::DocNumber | LineKind::Signer | LineKind::Title
            )
        {
            body_start += 1;
        }
        if has_title && !is_attachment {
            if let Some(i) = self.next_content(body_start, end) {
                let c = self.compact(i);
                if self.kinds[i] == LineKind::Prose && parts::is_addressee(c) {
                    self.kinds[i] = LineKind::Addressee;
                    self.s.segments[k].addressee = Some(self.part(i));
                    body_start = i + 1;
                }
            }
        }
        let body_end = if has_title {
            self.closing(k, body_start, end)
        } else {
            end
        };
        let head_dated = self.s.segments[k]
            .doc_type
            .as_deref()
            .is_some_and(parts::is_dated_in_head);
        if self.signing_at[k].is_none() && head_dated {
            body_start = self.minutes_header(k, body_start, body_end);
        }
        self.attachment_note(k, body_start, body_end);
        let g = &mut self.s.segments[k];
        g.body_lines = (body_start..body_end)
            .filter(|&i| self.kinds[i].is_text() || self.kinds[i].is_tabular())
            .count();
        g.body = body_start..body_end;
        if has_title && !is_attachment && self.signing_at[k].is_none() {
            let signed_type = g.doc_type.as_deref().is_some_and(parts::is_signed_type);
            if signed_type {
                let line = g.title.as_ref().map_or(start, |t| t.line);
                self.s.unrecognised.push((
                    line,
                    "这份文件没有找到成文日期（署名下一行的日期）".to_owned(),
                ));
            }
        }
    }

    /// The segment's own 发文字号: the 版头's for the main document, else a number on the first
    /// line under the title (each document of a compilation has its own).
    fn segment_doc_number(&mut self, k: usize, after_title: usize, end: usize) {
        if Some(k) == self.s.main_segment() && self.s.header.doc_number.is_some() {
            self.s.segments[k].doc_number = self.s.header.doc_number.clone();
            return;
        }
        let Some(i) = self.next_content(after_title, end) else {
            return;
        };
        if !matches!(
            self.kinds[i],
            LineKind::Prose | LineKind::TableRow | LineKind::DocNumber
        ) {
            return;
        }
        if let Some(number) = self.own_doc_number(i) {
            self.s.segments[k].doc_number = Some(number);
            self.kinds[i] = LineKind::DocNumber;
        }
    }

    /// The document's own 发文字号 on line `i` (not one cited in a sentence), with its
    /// spans mapped to the original text.
    fn own_doc_number(&self, i: usize) -> Option<DocNumber> {
        let (code, year, number, whole, year_r) = parts::find_own_doc_number(self.compact(i))?;
        let base = self.lines[i].norm().start;
        Some(DocNumber {
            part: Part {
                line: i,
                span: self.map(base + whole.start..base + whole.end),
            },
            code,
            year,
            year_span: self.map(base + year_r.start..base + year_r.end),
            number,
        })
    }

    /// A 纪要, 简报, 公报, 决议 or 决定 is dated in its head, not at its end
    /// ([`parts::is_dated_in_head`]): under the title, 「（第5期）」 and
    /// 「某某办公室　　2025年5月22日」 (GB/T 9704 纪要格式), the issuer and the date on lines of
    /// their own, or a 题注 「（2024年1月12日…会议通过）」. Returns where the body starts.
    fn minutes_header(&mut self, k: usize, from: usize, to: usize) -> usize {
        let head: Vec<usize> = (from..to)
            .filter(|&i| self.kinds[i] != LineKind::Blank)
            .take(3)
            .collect();
        for (n, &i) in head.iter().enumerate() {
            let c = self.compact(i);
            let base = self.lines[i].norm().start;
            let [d] = self.raw_dates.get(i) else { continue };
            if d.day.is_none() || d.year.is_none() || self.kinds[i] != LineKind::Prose {
                continue;
            }
            let name = c.get(..d.span.start.saturating_sub(base)).unwrap_or("");
            let ends_with_date = d.span.end == base + c.len();
            let issuer_above = n > 0
                && name.is_empty()
                && head[n - 1] + 2 >= i
                && self.raw_dates.get(head[n - 1]).is_empty()
                && parts::is_organisation(self.compact(head[n - 1]));
            if ends_with_date && issuer_above {
                self.set_signing(k, i, head[n - 1], &[]);
                return i + 1;
            }
            if (ends_with_date && (name.is_empty() || parts::is_organisation(name)))
                || parts::is_headnote(c)
            {
                self.signing_at[k] = Some(i);
                self.kinds[i] = LineKind::SigningDate;
                return i + 1;
            }
        }
        from
    }

    /// The closing of a document, read from its end: 附注 lines, the 成文日期 and the 署名
    /// above it (or beside it on one line). Returns where the body ends.
    fn closing(&mut self, k: usize, body_start: usize, end: usize) -> usize {
        let mut i = end;
        let mut annotations = Vec::new();
        // skip what follows the date: blanks, page furniture, 版记, 附注
        while i > body_start {
            let j = i - 1;
            let kind = self.kinds[j];
            if matches!(
                kind,
                LineKind::Blank | LineKind::PageFurniture | LineKind::Colophon | LineKind::Residue
            ) {
                i = j;
            } else if kind == LineKind::Prose && parts::is_annotation(self.compact(j)) {
                annotations.push(j);
                i = j;
            } else {
                break;
            }
        }
        let Some(date_line) = i.checked_sub(1).filter(|&j| j >= body_start) else {
            return end;
        };
        let c = self.compact(date_line);
        let dates = self.raw_dates.get(date_line);
        let base = self.lines[date_line].norm().start;
        if parts::is_date_only(c, dates, base) {
            // the 署名: up to three lines right above (joint issuers), with no dates
            let mut first_sig = date_line;
            let mut j = date_line;
            while let Some(p) = (body_start..j)
                .rev()
                .find(|&p| self.kinds[p] != LineKind::Blank)
            {
                if date_line - p > 4
                    || !matches!(self.kinds[p], LineKind::Prose | LineKind::TableRow)
                    || !parts::is_signature_like(self.compact(p))
                    || parts::is_attachment_note(self.compact(p))
                    || !self.raw_dates.get(p).is_empty()
                    || parse_marker(self.compact(p)).is_some()
                    || first_sig - p > 2
                    || date_line - first_sig >= 3 * 2
                {
                    break;
                }
                first_sig = p;
                j = p;
                if self.compact(p).chars().count() > 30 {
                    break;
                }
            }
            self.set_signing(k, date_line, first_sig, &annotations);
            return if first_sig < date_line {
                first_sig
            } else {
                date_line
            };
        }
        // a 署名 with no date under it (a draft not yet dated): an organisation's name after
        // the last sentence
        if dates.is_empty()
            && self.kinds[date_line] == LineKind::Prose
            && parts::is_organisation(c)
            && parse_marker(c).is_none()
            && (body_start..date_line)
                .rev()
                .find(|&p| self.kinds[p] != LineKind::Blank)
                .is_some_and(|p| {
                    self.compact(p).ends_with(['。', '！', ':', '：']) || p + 1 < date_line
                })
        {
            self.kinds[date_line] = LineKind::Signature;
            self.s.segments[k].signature = Some(self.part(date_line));
            self.label_annotations(k, &annotations);
            return date_line;
        }
        // 「东山区民政局　　2018年4月9日」: signature and date on one line
        if let [d] = dates {
            let split = d.span.start.saturating_sub(base);
            let name = c.get(..split).unwrap_or("");
            let orig_gap = self.normalized.original_offset(d.span.start);
            let spaced = self.text[..orig_gap].ends_with([' ', '\u{3000}', '\t']);
            if d.day.is_some()
                && d.year.is_some()
                && d.span.end == base + c.len()
                && spaced
                && name.chars().count() >= 2
                && parts::is_signature_like(name)
                && parse_marker(c).is_none()
            {
                let sig_start = content_span(self.text, &self.lines[date_line].range()).start;
                let sig = sig_start..self.text[..orig_gap].trim_end().len();
                self.s.segments[k].signature = Some(Part {
                    line: date_line,
                    span: sig,
                });
                self.signing_at[k] = Some(date_line);
                self.kinds[date_line] = LineKind::SigningDate;
                self.label_annotations(k, &annotations);
                return date_line;
            }
        }
        end
    }

    fn set_signing(&mut self, k: usize, date_line: usize, first_sig: usize, annotations: &[usize]) {
        self.signing_at[k] = Some(date_line);
        self.kinds[date_line] = LineKind::SigningDate;
        if first_sig < date_line {
            let last_sig = (first_sig..date_line)
                .rev()
                .find(|&j| self.kinds[j] != LineKind::Blank)
                .unwrap_or(first_sig);
            for j in first_sig..=last_sig {
                if self.kinds[j] != LineKind::Blank {
                    self.kinds[j] = LineKind::Signature;
                }
            }
            self.s.segments[k].signature = Some(self.part_lines(first_sig, last_sig));
        }
        self.label_annotations(k, annotations);
    }

    fn label_annotations(&mut self, k: usize, annotations: &[usize]) {
        for &j in annotations {
            self.kinds[j] = LineKind::Annotation;
        }
        if let Some(&first) = annotations.last() {
            self.s.segments[k].annotation = Some(self.part(first));
        }
    }

    /// The 附件说明 of a segment: 「附件：1.…」 and the numbered lines under it.
    fn attachment_note(&mut self, k: usize, from: usize, to: usize) {
        let Some(first) = (from..to).find(|&i| {
            matches!(self.kinds[i], LineKind::Prose | LineKind::Heading)
                && parts::is_attachment_note(self.compact(i))
        }) else {
            return;
        };
        let mut last = first;
        let mut items = vec![parts::attachment_item(self.text, &self.part(first), true)];
        for i in first + 1..to {
            match self.kinds[i] {
                LineKind::Blank => break,
                LineKind::Prose | LineKind::Heading
                    if parse_marker(self.compact(i))
                        .is_some_and(|m| m.style == MarkerStyle::Arabic) =>
                {
                    last = i;
                    items.push(parts::attachment_item(self.text, &self.part(i), false));
                }
                _ => break,
            }
        }
        // the markers of its items leave the outline with the rest of the non-prose lines
        // in `outline_tree` (one pass; a pass per segment was quadratic)
        for i in first..=last {
            self.kinds[i] = LineKind::AttachmentNote;
        }
        let g = &mut self.s.segments[k];
        g.attachment_note = Some(Part {
            line: first,
            span: content_span(self.text, &self.lines[first].range()).start
                ..content_span(self.text, &self.lines[last].range()).end,
        });
        g.attachment_items = items.into_iter().flatten().collect();
    }

    /// Pass: heading parents and segments, then each segment's headings and preamble.
    fn outline_tree(&mut self) {
        let s = &mut self.s;
        // headings that are no longer prose (titles, signatures …) are not outline
        let kinds = &self.kinds;
        s.headings.retain(|h| {
            matches!(
                kinds.get(h.line()),
                Some(LineKind::Heading | LineKind::Prose | LineKind::MdHeading)
            )
        });
        let mut stack: Vec<usize> = Vec::new();
        let mut seg = 0usize;
        for h in 0..s.headings.len() {
            let line = s.headings[h].line();
            while seg + 1 < s.segments.len() && s.segments[seg + 1].lines.start <= line {
                seg += 1;
                stack.clear();
            }
            let level = s.headings[h].level();
            while stack
                .last()
                .is_some_and(|&p| s.headings[p].level() >= level)
            {
                stack.pop();
            }
            s.headings[h].set_parent(stack.last().copied());
            s.headings[h].set_segment(seg);
            stack.push(h);
        }
        let mut next = 0;
        for (k, segment) in s.segments.iter_mut().enumerate() {
            let first = next;
            while next < s.headings.len() && s.headings[next].segment() <= k {
                next += 1;
            }
            segment.headings = first..next;
        }
        for k in 0..self.s.segments.len() {
            self.preamble(k);
        }
    }

    /// A paragraph between the title (and 主送) and the first section heading.
    fn preamble(&mut self, k: usize) {
        let g = &self.s.segments[k];
        let first_top = self.s.headings[g.headings.clone()]
            .iter()
            .find(|h| h.is_section())
            .map(|h| h.line());
        let Some(top) = first_top else { return };
        let found = (g.body.start..top).find(|&i| {
            let c = self.compact(i);
            self.kinds[i] == LineKind::Prose
                && c.chars().count() >= 15
                && c.contains(['。', ',', ':', '，', '：'])
        });
        self.s.segments[k].preamble = found.map(|i| self.part(i));
    }

    /// Pass: every date with its role, ranges between dates, inline enumerations 一是…二是….
    fn date_roles(&mut self) {
        let mut seg = 0usize;
        let mut next_dated = 0; // index into `raw_dates.starts`: lines in order
        for i in 0..self.lines.len() {
            while seg + 1 < self.s.segments.len() && self.s.segments[seg + 1].lines.start <= i {
                seg += 1;
            }
            let c = self.compact(i);
            let first_index = self.s.dates.len();
            let dated = self
                .raw_dates
                .starts
                .get(next_dated)
                .is_some_and(|s| s.0 == i);
            next_dated += usize::from(dated);
            let found = if dated { self.raw_dates.get(i) } else { &[] };
            for (k, d) in found.iter().enumerate() {
                let role = if self.issue_date_at == Some((i, k)) {
                    DateRole::Issue
                } else if self.signing_at[seg] == Some(i) {
                    DateRole::Signing
                } else if c.starts_with("时间:") || c.starts_with("日期:") {
                    DateRole::TimeLine
                } else if dates::is_deadline(
                    c,
                    d.span.start - self.lines[i].norm().start,
                    d.span.end - self.lines[i].norm().start,
                ) {
                    DateRole::Deadline
                } else {
                    DateRole::Body
                };
                let index = self.s.dates.len();
                match role {
                    DateRole::Issue => self.s.header.issue_date = Some(index),
                    DateRole::Signing => self.s.segments[seg].signing_date = Some(index),
                    _ => {}
                }
                let mention = DateMention {
                    line: i,
                    span: self.map(d.span.clone()),
                    year: d.year,
                    month: d.month,
                    day: d.day,
                    form: d.form,
                    zero_padded: d.zero_padded,
                    weekday: d.weekday.clone().map(|(w, r)| (w, self.map(r))),
                    role,
                    segment: seg,
                };
                self.s.dates.push(mention);
            }
            self.ranges(i, first_index);
            self.inline_items(i);
        }
    }

    fn ranges(&mut self, i: usize, first_index: usize) {
        let c = self.compact(i);
        let base = self.lines[i].norm().start;
        for a in first_index..self.s.dates.len().saturating_sub(1) {
            let b = a + 1;
            let between = self
                .text
                .get(self.s.dates[a].span.end..self.s.dates[b].span.start)
                .unwrap_or("")
                .trim();
            if dates::is_range_connector(between) {
                self.s.ranges.push(DateRange::Dates(a, b));
            }
        }
        let connector = || {
            memchr::memchr2(b'-', b'~', c.as_bytes()).is_some()
                || ["—", "–", "～", "至", "到"].iter().any(|p| c.contains(p))
        };
        if c.len() >= 9 && year_after_digits(c) && connector() {
            for m in YEAR_RANGE.captures_iter(c) {
                let (Some(a), Some(b)) = (m.name("a"), m.name("b")) else {
                    continue;
                };
                let (Ok(ya), Ok(yb)) = (a.as_str().parse(), b.as_str().parse()) else {
                    continue;
                };
                let r = self.map(base + a.start()..base + b.end());
                self.s.ranges.push(DateRange::Years(ya, yb, r));
            }
            for m in MONTH_RANGE.captures_iter(c) {
                let (Some(y), Some(a), Some(b), Some(whole)) =
                    (m.name("y"), m.name("a"), m.name("b"), m.get(0))
                else {
                    continue;
                };
                if c[whole.end()..].starts_with(|ch: char| ch.is_ascii_digit()) {
                    continue; // 「2025年3月—4月5日」: a range of dates, read above
                }
                let (Ok(y), Ok(a), Ok(b)) =
                    (y.as_str().parse(), a.as_str().parse(), b.as_str().parse())
                else {
                    continue;
                };
                let r = self.map(base + whole.start()..base + whole.end());
                self.s.ranges.push(DateRange::Months(y, a, b, r));
            }
        }
        // X, x and × (C3 97) each hold one of three bytes rare in Chinese text
        let may_hold_placeholder = memchr::memchr3(b'X', b'x', 0xC3, c.as_bytes()).is_some();
        if may_hold_placeholder
            && (c.contains('X') || c.contains('x') || c.contains('×'))
            && c.contains('月')
        {
            if let Some(m) = PLACEHOLDER_DATE.find(c) {
                self.s
                    .unrecognised
                    .push((i, format!("「{}」含占位符，未识别为日期", m.as_str())));
            }
        }
    }

    /// 一是…二是… inside a paragraph.
    fn inline_items(&mut self, i: usize) {
        let c = self.compact(i);
        if !self.kinds[i].is_text() || !c.contains('是') {
            return;
        }
        let base = self.lines[i].norm().start;
        for m in INLINE_ITEM.captures_iter(c) {
            let Some(nm) = m.name("n") else { continue };
            let Some(number) = super::numerals::cn_value(nm.as_str()) else {
                continue;
            };
            let span = self.map(base + nm.start()..base + nm.end() + '是'.len_utf8());
            self.s.inline_items.push(InlineItem {
                line: i,
                span,
                number,
            });
        }
    }

    fn finish(mut self) -> Structure {
        self.s.unrecognised.sort();
        self.s.lines = self.lines;
        self.s.kinds = self.kinds;
        self.s
    }
}

/// Whether a 年 in `compact` follows an ASCII digit: both [`YEAR_RANGE`] and
/// [`MONTH_RANGE`] need one (2018—2020年, 2025年3月—4月), and most lines that mention a
/// year in words or none at all skip the two regexes.
fn year_after_digits(compact: &str) -> bool {
    // memchr's searcher, built once (`str::match_indices('年')` runs core's byte-at-a-time
    // search for its last byte, a continuation byte common in Chinese text)
    static YEAR: LazyLock<memchr::memmem::Finder<'static>> =
        LazyLock::new(|| memchr::memmem::Finder::new("年"));
    let bytes = compact.as_bytes();
    YEAR.find_iter(bytes)
        .any(|at| at > 0 && bytes[at - 1].is_ascii_digit())
}

/// `text.split('\n')`, with memchr's search for the breaks.
fn split_at_line_breaks(text: &str) -> impl Iterator<Item = &str> {
    let mut from = 0;
    memchr::memchr_iter(b'\n', text.as_bytes())
        .map(Some)
        .chain([None])
        .map(move |at| {
            let end = at.unwrap_or(text.len());
            let line = &text[from..end];
            from = end + 1;
            line
        })
}

/// 「注：」「说明：」「备注：」 on a line of its own: the numbered lines under it are a list of
/// their own, numbered from 1.
fn is_list_label(compact: &str) -> bool {
    let Some(label) = compact.strip_suffix([':', '：']) else {
        return false;
    };
    LIST_LABELS.contains(&label)
}

const LIST_LABELS: &[&str] = &["注", "说明", "备注", "注释", "附注", "填表说明", "有关说明"];

/// The length in bytes of the longest of [`LIST_LABELS`].
const LONGEST_LIST_LABEL: usize = "填表说明".len();

/// 「注：1、…」: a list label followed on the same line by the list's first item; the text
/// after the label.
fn label_then_item(line: &str) -> Option<&str> {
    // the text before the first colon; given up once it holds more than the longest label
    // (most lines have no label, and were decoded to their end)
    let mut visible = 0;
    let (colon, width) = line.char_indices().find_map(|(i, c)| {
        if c == ':' || c == '：' {
            return Some(Some((i, c.len_utf8())));
        }
        if !c.is_whitespace() {
            visible += c.len_utf8();
        }
        (visible > LONGEST_LIST_LABEL).then_some(None)
    })??;
    let (label, rest) = (&line[..colon], &line[colon + width..]);
    let rest = rest.trim_start();
    (is_list_label(&format!("{}：", label.trim())) && parse_marker(rest).is_some()).then_some(rest)
}

/// A start of a line that looks like an outline marker in no standard form ([`ODD_MARKER`]);
/// asked of most lines, so those not starting as its matches must skip the regex.
fn odd_marker(line: &str) -> Option<regex::Match<'_>> {
    line.starts_with(|c: char| c.is_ascii_digit() || c == '(' || c == '（')
        .then(|| ODD_MARKER.find(line))
        .flatten()
}

/// 「。」 and 「；」 in UTF-8.
const FULL_STOP: [u8; 3] = [0xE3, 0x80, 0x82];
const FULL_WIDTH_SEMICOLON: [u8; 3] = [0xEF, 0xBC, 0x9B];

/// Whether the three bytes ending at `p` are `mark`, compared as an array (comparing
/// slices calls `memcmp`, once for each sentence end of a draft).
fn three_bytes_end_at(bytes: &[u8], p: usize, mark: [u8; 3]) -> bool {
    p >= 2 && [bytes[p - 2], bytes[p - 1], bytes[p]] == mark
}

/// Markers right after a sentence end inside a line: 「…落实到位。2.加强…」.
fn find_glued(line: &str, start: usize, index: usize, out: &mut Vec<Heading>) {
    // sentence ends (after 。, ；, ;), in order: the last bytes of the three marks found
    // with one SIMD scan, the two wide ones confirmed by the bytes before
    let bytes = line.as_bytes();
    let ends: Vec<(usize, bool)> = memchr::memchr3_iter(0x82, 0x9B, b';', bytes)
        .filter_map(|p| match bytes[p] {
            b';' => Some((p + 1, true)),
            0x82 => three_bytes_end_at(bytes, p, FULL_STOP).then_some((p + 1, false)),
            _ => three_bytes_end_at(bytes, p, FULL_WIDTH_SEMICOLON).then_some((p + 1, true)),
        })
        .collect();
    if ends.is_empty() {
        return;
    }
    // 「（1）…；（2）…；（3）…」: items of the lowest outline level separated by semicolons
    // on a line that opens with the first of them are one sentence's enumeration (GB/T 15834
    // 分号 between 分项列举), not glued headings
    let opening = parse_marker(line.trim_start()).map(|m| m.style);
    for (after, semicolon) in ends {
        let rest = &line[after..];
        let lead = rest.len() - rest.trim_start().len();
        let rest = &rest[lead..];
        if rest.is_empty() {
            continue;
        }
        if let Some(m) = parse_marker(rest) {
            if matches!(
                m.style,
                MarkerStyle::Ordinal | MarkerStyle::Circled | MarkerStyle::Decimal
            ) || (semicolon && m.style == MarkerStyle::ArabicParen && opening == Some(m.style))
            {
                continue;
            }
            let at = start + after + lead;
            out.push(Heading::new(index, at, &m, start + line.trim_end().len()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sentence_end_bytes_are_the_marks() {
        assert_eq!(FULL_STOP, *"。".as_bytes());
        assert_eq!(FULL_WIDTH_SEMICOLON, *"；".as_bytes());
    }

    #[test]
    fn the_line_break_split_is_str_split() {
        for text in ["", "\n", "一\n二", "一\n\n二\n", "\r\n末", "无换行"] {
            let ours: Vec<&str> = split_at_line_breaks(text).collect();
            let std: Vec<&str> = text.split('\n').collect();
            assert_eq!(ours, std, "{text:?}");
        }
    }

    #[test]
    fn a_year_after_digits_is_found_where_any_year_is() {
        assert!(year_after_digits("2018—2020年"));
        assert!(year_after_digits("二〇二〇年至2021年"));
        assert!(!year_after_digits("年度2021"));
        assert!(!year_after_digits("二〇二〇年"));
        assert!(!year_after_digits("年"));
    }

    #[test]
    fn no_list_label_is_longer_than_the_bound_the_search_gives_up_at() {
        assert!(LIST_LABELS.iter().all(|l| l.len() <= LONGEST_LIST_LABEL));
    }

    #[test]
    fn a_list_label_and_its_first_item_on_one_line() {
        assert_eq!(
            label_then_item("注：1.数据截至上月底"),
            Some("1.数据截至上月底")
        );
        assert_eq!(
            label_then_item(" 填表说明 : （1）按季度填报"),
            Some("（1）按季度填报")
        );
        assert_eq!(label_then_item("说明：本表按季度填报"), None);
        assert_eq!(label_then_item("关于填报工作的说明：1.按季度填报"), None);
        assert_eq!(label_then_item("没有冒号的一行"), None);
    }
}
