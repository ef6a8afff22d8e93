//! [`Structure`]: what gwlint recognises of a 公文 — 版头 and 版记, the contained
//! documents (segments) with their titles, addressees, signatures and signing dates, the
//! outline, every date with its role, and a compilation's 目录.
//!
//! Parsing never fails: it records what it recognised and leaves the rest. It works line by
//! line on the normalised view (spaces removed, full-width folded) so PDF residue such as
//! `2017 年 3 月 23 日` or a leading space before 「三、」 does not hide anything, and maps
//! every span back to the original text. One pass per concern; linear in the text.

use super::dates::{self, DateForm, DateRole, RawDate};
use super::outline::{parse_marker, Heading, InlineItem};
use super::parts::{self, DocNumber, Header, Part, Segment};
use super::static_regex;
use super::toc::{self, Toc};
use crate::normalize::NormalizedView;
use crate::source::LineIndex;
use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

/// One line: original byte range (without `\r\n`) and normalised byte range. Stored as
/// 32-bit offsets (16 bytes a line instead of 32: a 200 MB file has millions of lines);
/// [`Structure::parse`] only builds lines for texts under 4 GiB.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineInfo {
    range: [u32; 2],
    norm: [u32; 2],
}

impl LineInfo {
    /// The caller guarantees every offset fits in `u32` (see [`Structure::parse`]).
    fn new(range: Range<usize>, norm: Range<usize>) -> LineInfo {
        let w = crate::source::saturating_u32;
        LineInfo {
            range: [w(range.start), w(range.end)],
            norm: [w(norm.start), w(norm.end)],
        }
    }

    /// Byte range of the line in the original text, without its line break.
    pub fn range(&self) -> Range<usize> {
        self.range[0] as usize..self.range[1] as usize
    }

    /// Byte range of the line in the normalised view.
    pub fn norm(&self) -> Range<usize> {
        self.norm[0] as usize..self.norm[1] as usize
    }
}

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

/// Two dates joined by 至 / 到 / a dash (indices into [`Structure::dates`]), or two years
/// (「2021—2025年」: start, end and the original span).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateRange {
    Dates(usize, usize),
    Years(i32, i32, Range<usize>),
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Structure {
    pub lines: Vec<LineInfo>,
    pub header: Header,
    /// Contained documents; segment 0 is whatever precedes the first title (it may be empty).
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

impl Structure {
    /// Parse `text` (whose normalised view and line index are given).
    pub fn parse(text: &str, normalized: &NormalizedView, index: &LineIndex) -> Structure {
        let norm = normalized.as_str();
        let mut s = Structure::default();
        if u32::try_from(text.len().max(norm.len())).is_err() {
            return s; // offsets would not fit `LineInfo` and `Heading`; the loader refuses such files
        }
        let mut lines: Vec<LineInfo> = Vec::with_capacity(index.line_count());
        // lines of both views: every line break of the original (`\n`, `\r\n`, a lone
        // `\r`) is one `\n` in the normalised view, so they pair up
        let mut n = 0usize;
        for (orig, nl) in crate::source::line_ranges(text).zip(norm.split('\n')) {
            lines.push(LineInfo::new(orig, n..n + nl.len()));
            n += nl.len() + 1;
        }
        let compact = |i: usize| -> &str { lines.get(i).map_or("", |l| &norm[l.norm()]) };
        let map = |r: Range<usize>| normalized.to_original(text, r);

        // dates, per line
        let mut raw_by_line = DatesByLine::default();
        for (i, l) in lines.iter().enumerate() {
            let line = &norm[l.norm()];
            if line.bytes().any(|b| b.is_ascii_digit()) || line.contains('年') {
                raw_by_line.add(i, dates::scan_line(line, l.norm().start));
            }
        }

        // table of contents
        s.toc = find_toc(text, &lines, norm);
        let in_toc = |i: usize, toc: &Option<Toc>| {
            toc.as_ref()
                .is_some_and(|t| i >= t.heading.line && i < t.end_line)
        };

        // headings and titles
        let mut marker_lines = vec![false; lines.len()];
        let mut title_lines = Vec::new();
        let mut prev_nonblank_title = false;
        let mut seen_content = false;
        // first line of a two-line title → its second line
        let mut title_end: std::collections::HashMap<usize, usize> =
            std::collections::HashMap::new();
        let mut continued_title_until = 0usize;
        for (i, l) in lines.iter().enumerate() {
            let c = &norm[l.norm()];
            if c.is_empty() {
                continue;
            }
            let first_content = !seen_content;
            seen_content = true;
            if in_toc(i, &s.toc) {
                prev_nonblank_title = false;
                continue;
            }
            let orig = &text[l.range()];
            let lead = trim_start_len(orig);
            find_glued(orig, l.range().start, i, &mut s.glued);
            if let Some(m) = parse_marker(&orig[lead..]) {
                marker_lines[i] = true;
                let content_end = l.range().start + orig.trim_end().len();
                s.headings
                    .push(Heading::new(i, l.range().start + lead, &m, content_end));
                prev_nonblank_title = false;
                continue;
            }
            // the first line of the file is a title when it ends with a document type
            // (「宣传思想工作要点」 has no year but is still the title)
            let first_line_title = first_content
                && parts::title_doc_type(c).is_some()
                && !parts::ends_with_terminal(c)
                && (4..=60).contains(&c.chars().count());
            if let Some(m) = ODD_MARKER.find(c) {
                s.unrecognised.push((
                    i,
                    format!("「{}」像序号但不是标准写法，未计入大纲", m.as_str()),
                ));
            }
            if i < continued_title_until {
                prev_nonblank_title = true;
                continue; // the second line of a title over two lines
            }
            let mut title = first_line_title || parts::is_title_like(c);
            // a title broken over two lines: 「关于印发《2018年工会」 + 「工作要点》的通知」
            if !title
                && c.chars().count() <= 40
                && !parts::ends_with_terminal(c)
                && !c.contains('。')
            {
                if let Some(j) = (i + 1..lines.len().min(i + 4)).find(|&j| !compact(j).is_empty()) {
                    let next = compact(j);
                    if parts::title_doc_type(next).is_some()
                        && !parts::is_title_like(next)
                        && !c.contains(':')
                        && raw_by_line.get(i).iter().all(|d| d.day.is_none())
                        && next.chars().count() <= 40
                        && parts::is_title_like(&format!("{c}{next}"))
                    {
                        title = true;
                        title_end.insert(i, j);
                        continued_title_until = j + 1;
                    }
                }
            }
            if title && !prev_nonblank_title {
                title_lines.push(i);
            }
            prev_nonblank_title = title;
        }

        // segments: [0, first title), then one per title
        let mut bounds = vec![0usize];
        bounds.extend(title_lines.iter().copied().filter(|&t| t > 0));
        for (k, &start) in bounds.iter().enumerate() {
            let end = bounds.get(k + 1).copied().unwrap_or(lines.len());
            let last = title_end.get(&start).copied().unwrap_or(start);
            let title = title_lines.binary_search(&start).is_ok().then(|| Part {
                line: start,
                span: content_span(text, &lines[start].range()).start
                    ..content_span(text, &lines[last].range()).end,
            });
            let (plan_year, doc_type) = match &title {
                Some(_) => {
                    let joined = if last == start {
                        compact(start).to_owned()
                    } else {
                        format!("{}{}", compact(start), compact(last))
                    };
                    (
                        parts::plan_year(&joined),
                        parts::title_doc_type(&joined).map(str::to_owned),
                    )
                }
                None => (None, None),
            };
            s.segments.push(Segment {
                lines: start..end,
                title,
                plan_year,
                doc_type,
                ..Segment::default()
            });
        }

        // heading parents and segments
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
        // headings are in line order, so each segment's headings are one range
        let mut next = 0;
        for (k, segment) in s.segments.iter_mut().enumerate() {
            let first = next;
            while next < s.headings.len() && s.headings[next].segment() <= k {
                next += 1;
            }
            segment.headings = first..next;
        }

        // 版头: agency mark, document number, signer — before the first title
        let head_end = s
            .segments
            .iter()
            .find_map(|g| g.title.as_ref().map(|t| t.line))
            .unwrap_or(lines.len().min(12));
        let mut nonblank = 0;
        for (i, l) in lines.iter().enumerate().take(head_end) {
            let c = compact(i);
            if c.is_empty() {
                continue;
            }
            nonblank += 1;
            if s.header.agency_mark.is_none()
                && nonblank <= 5
                && c.ends_with("文件")
                && c.chars().count() <= 40
            {
                s.header.agency_mark = Some(Part {
                    line: i,
                    span: content_span(text, &l.range()),
                });
            }
            if s.header.doc_number.is_none() {
                if let Some((code, year, number, whole, year_r)) = parts::find_doc_number(c) {
                    s.header.doc_number = Some(DocNumber {
                        part: Part {
                            line: i,
                            span: map(l.norm().start + whole.start..l.norm().start + whole.end),
                        },
                        code,
                        year,
                        year_span: map(l.norm().start + year_r.start..l.norm().start + year_r.end),
                        number,
                    });
                }
            }
            if s.header.signer.is_none() {
                if let Some(r) = parts::find_signer(c) {
                    s.header.signer = Some(Part {
                        line: i,
                        span: map(l.norm().start + r.start..l.norm().start + r.end),
                    });
                }
            }
        }

        // 版记: issue line, drafter / proofreader line
        let mut issue_date_at: Option<(usize, usize)> = None; // (line, index among the line's dates)
        for (i, l) in lines.iter().enumerate() {
            let c = &norm[l.norm()];
            if s.header.issue_line.is_none() && c.ends_with("印发") {
                if let Some(k) = raw_by_line
                    .get(i)
                    .iter()
                    .rposition(|d| d.day.is_some() && d.year.is_some())
                {
                    s.header.issue_line = Some(Part {
                        line: i,
                        span: content_span(text, &l.range()),
                    });
                    issue_date_at = Some((i, k));
                }
            }
            if s.header.drafter.is_none()
                && (c.starts_with("拟稿") || c.contains("校对:") || c.starts_with("校对"))
                && c.chars().count() <= 60
            {
                s.header.drafter = Some(Part {
                    line: i,
                    span: content_span(text, &l.range()),
                });
            }
        }

        // per segment: addressee, attachment note, signature + signing date, body, preamble
        let mut signing_at: Vec<Option<usize>> = vec![None; s.segments.len()];
        let mut unrecognised_late = Vec::new();
        for (k, segment) in s.segments.iter_mut().enumerate() {
            let title_line = segment.title.as_ref().map(|t| t.line);
            let mut after_title = match title_line {
                Some(t) => title_end.get(&t).copied().unwrap_or(t) + 1,
                None => segment.lines.start,
            };
            // skip further title lines (a title printed twice, a title over two lines)
            while after_title < segment.lines.end
                && (compact(after_title).is_empty() || parts::is_title_like(compact(after_title)))
            {
                after_title += 1;
            }
            let mut body_start = after_title;
            let mut seen = if title_line.is_some() {
                0
            } else {
                usize::MAX - 1
            };
            for i in after_title..segment.lines.end {
                let c = compact(i);
                if c.is_empty() {
                    continue;
                }
                seen += 1;
                if seen > 1 || marker_lines[i] {
                    break;
                }
                if (c.ends_with(':') || c.ends_with('：'))
                    && c.chars().count() <= 60
                    && !c.starts_with("附件")
                    && !c.contains('。')
                {
                    segment.addressee = Some(Part {
                        line: i,
                        span: content_span(text, &lines[i].range()),
                    });
                    body_start = i + 1;
                    break;
                }
            }
            // signing date: the first date-only line under a signature-like line
            let mut prev: Option<usize> = None;
            for i in body_start..segment.lines.end {
                let c = compact(i);
                if c.is_empty() {
                    continue;
                }
                if !marker_lines[i]
                    && parts::is_date_only(c, raw_by_line.get(i), lines[i].norm().start)
                {
                    if let Some(p) = prev.filter(|&p| {
                        !marker_lines[p]
                            && parts::is_signature_like(compact(p))
                            && raw_by_line.get(p).is_empty()
                    }) {
                        segment.signature = Some(Part {
                            line: p,
                            span: content_span(text, &lines[p].range()),
                        });
                        signing_at[k] = Some(i);
                        break;
                    }
                }
                // 「东山区民政局　　2018年4月9日」: signature and date on one line
                if let [d] = raw_by_line.get(i) {
                    let base = lines[i].norm().start;
                    let split = d.span.start.saturating_sub(base);
                    let name = c.get(..split).unwrap_or("");
                    let orig_gap = normalized.original_offset(d.span.start);
                    let spaced = text[..orig_gap].ends_with([' ', '\u{3000}', '\t']);
                    if !marker_lines[i]
                        && d.day.is_some()
                        && d.year.is_some()
                        && d.span.end == base + c.len()
                        && spaced
                        && name.chars().count() >= 2
                        && parts::is_signature_like(name)
                    {
                        let sig = content_span(text, &lines[i].range());
                        segment.signature = Some(Part {
                            line: i,
                            span: sig.start..text[..orig_gap].trim_end().len(),
                        });
                        signing_at[k] = Some(i);
                        break;
                    }
                }
                prev = Some(i);
            }
            let signed_type = segment.doc_type.as_deref().is_some_and(|t| {
                matches!(
                    t,
                    "通知" | "通报" | "意见" | "决定" | "请示" | "报告" | "函" | "批复"
                )
            });
            if signing_at[k].is_none() && signed_type {
                unrecognised_late.push((
                    title_line.unwrap_or(segment.lines.start),
                    "这份文件没有找到成文日期（署名下一行的日期）".to_owned(),
                ));
            }
            let body_end = segment
                .signature
                .as_ref()
                .map_or(segment.lines.end, |p| p.line);
            for (i, l) in lines.iter().enumerate().take(body_end).skip(body_start) {
                let c = compact(i);
                if c.is_empty() {
                    continue;
                }
                if c.starts_with("附件:") && segment.attachment_note.is_none() {
                    segment.attachment_note = Some(Part {
                        line: i,
                        span: content_span(text, &l.range()),
                    });
                    continue;
                }
                segment.body_lines += 1;
            }
            // preamble: a paragraph before the first 一、 / 第一部分
            let first_top = s.headings[segment.headings.clone()]
                .iter()
                .find(|h| h.level() <= 1)
                .map(|h| h.line());
            if let Some(top) = first_top {
                segment.preamble = (body_start..top)
                    .find(|&i| {
                        let c = compact(i);
                        !marker_lines[i]
                            && c.chars().count() >= 15
                            && c.contains(['。', ',', ':', '，', '：'])
                    })
                    .map(|i| Part {
                        line: i,
                        span: content_span(text, &lines[i].range()),
                    });
            }
        }

        // dates with roles
        let mut seg = 0usize;
        for (i, l) in lines.iter().enumerate() {
            let raws = raw_by_line.get(i);
            while seg + 1 < s.segments.len() && s.segments[seg + 1].lines.start <= i {
                seg += 1;
            }
            let c = compact(i);
            let first_index = s.dates.len();
            for (k, d) in raws.iter().enumerate() {
                let role = if issue_date_at == Some((i, k)) {
                    DateRole::Issue
                } else if signing_at[seg] == Some(i) {
                    DateRole::Signing
                } else if c.starts_with("时间:") || c.starts_with("日期:") {
                    DateRole::TimeLine
                } else {
                    DateRole::Body
                };
                let index = s.dates.len();
                match role {
                    DateRole::Issue => s.header.issue_date = Some(index),
                    DateRole::Signing => s.segments[seg].signing_date = Some(index),
                    _ => {}
                }
                s.dates.push(DateMention {
                    line: i,
                    span: map(d.span.clone()),
                    year: d.year,
                    month: d.month,
                    day: d.day,
                    form: d.form,
                    zero_padded: d.zero_padded,
                    weekday: d.weekday.clone().map(|(w, r)| (w, map(r))),
                    role,
                    segment: seg,
                });
            }
            // ranges between consecutive dates of this line
            for a in first_index..s.dates.len().saturating_sub(1) {
                let b = a + 1;
                let between = text
                    .get(s.dates[a].span.end..s.dates[b].span.start)
                    .unwrap_or("")
                    .trim();
                if dates::is_range_connector(between) {
                    s.ranges.push(DateRange::Dates(a, b));
                }
            }
            if c.len() >= 9
                && c.contains('年')
                && c.contains(['—', '–', '-', '~', '～', '至', '到'])
            {
                for m in YEAR_RANGE.captures_iter(c) {
                    let (Some(a), Some(b)) = (m.name("a"), m.name("b")) else {
                        continue;
                    };
                    let (Ok(ya), Ok(yb)) = (a.as_str().parse(), b.as_str().parse()) else {
                        continue;
                    };
                    let r = map(l.norm().start + a.start()..l.norm().start + b.end());
                    s.ranges.push(DateRange::Years(ya, yb, r));
                }
            }
            if (c.contains('X') || c.contains('x') || c.contains('×')) && c.contains('月') {
                if let Some(m) = PLACEHOLDER_DATE.find(c) {
                    s.unrecognised
                        .push((i, format!("「{}」含占位符，未识别为日期", m.as_str())));
                }
            }
            // inline enumerations 一是…二是…
            if c.contains('是') {
                for m in INLINE_ITEM.captures_iter(c) {
                    let Some(nm) = m.name("n") else { continue };
                    let Some(number) = super::numerals::cn_value(nm.as_str()) else {
                        continue;
                    };
                    let span =
                        map(l.norm().start + nm.start()
                            ..l.norm().start + nm.end() + '是'.len_utf8());
                    s.inline_items.push(InlineItem {
                        line: i,
                        span,
                        number,
                    });
                }
            }
        }
        s.unrecognised.extend(unrecognised_late);
        s.unrecognised.sort();
        s.lines = lines;
        s
    }

    /// Numbering faults of the outline (gaps, repeats, wrong starts, mixed delimiters and
    /// styles, misplaced levels), analysed once.
    pub fn numbering(&self) -> &[super::numbering::Finding] {
        self.numbering
            .get_or_init(|| super::numbering::analyse(self))
    }

    /// The segment (contained document) containing line `line`.
    pub fn segment_of_line(&self, line: usize) -> usize {
        self.segments
            .partition_point(|g| g.lines.start <= line)
            .saturating_sub(1)
    }

    /// The main document: the first segment with a title (the notice of a red-header file).
    pub fn main_segment(&self) -> Option<usize> {
        self.segments.iter().position(|g| g.title.is_some())
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
}

/// Markers right after a sentence end inside a line: 「…落实到位。2.加强…」.
fn find_glued(line: &str, start: usize, index: usize, out: &mut Vec<Heading>) {
    // sentence ends, found with memchr-backed `find` rather than decoding every char
    let mut ends: Vec<usize> = Vec::new();
    for mark in ['。', '；', ';'] {
        let mut from = 0;
        while let Some(p) = line[from..].find(mark) {
            ends.push(from + p + mark.len_utf8());
            from += p + mark.len_utf8();
        }
    }
    if ends.is_empty() {
        return;
    }
    ends.sort_unstable();
    for after in ends {
        let rest = &line[after..];
        let lead = rest.len() - rest.trim_start().len();
        let rest = &rest[lead..];
        if rest.is_empty() {
            continue;
        }
        if let Some(m) = parse_marker(rest) {
            if m.style == super::outline::MarkerStyle::Ordinal
                || m.style == super::outline::MarkerStyle::Circled
            {
                continue;
            }
            let at = start + after + lead;
            out.push(Heading::new(index, at, &m, start + line.trim_end().len()));
        }
    }
}

/// The line's content without leading and trailing whitespace, as an original range.
fn content_span(text: &str, range: &Range<usize>) -> Range<usize> {
    let line = &text[range.clone()];
    let lead = trim_start_len(line);
    let end = line.trim_end().len().max(lead);
    range.start + lead..range.start + end
}

fn find_toc(text: &str, lines: &[LineInfo], norm: &str) -> Option<Toc> {
    let at = lines
        .iter()
        .position(|l| matches!(&norm[l.norm()], "目录" | "目次"))?;
    let mut entries = Vec::new();
    let mut end_line = at + 1;
    for (i, l) in lines.iter().enumerate().skip(at + 1) {
        if norm[l.norm()].is_empty() {
            continue;
        }
        match toc::parse_entry(&text[l.range()], l.range().start, i) {
            Some(e) => {
                entries.push(e);
                end_line = i + 1;
            }
            None => break,
        }
    }
    Some(Toc {
        heading: Part {
            line: at,
            span: content_span(text, &lines[at].range()),
        },
        entries,
        end_line,
    })
}
