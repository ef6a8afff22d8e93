//! The outline: headings at the levels 第一部分 / 一、 / （一） / 1. / （1） / ①, and inline
//! enumerations 一是…二是…, each with number, delimiter, level and parent.
//!
//! Markers are read from the original line (after leading spaces), so a full-width
//! 「1．」 and a half-width 「1.」 stay distinguishable; numbers are parsed from Chinese
//! numerals, full- or half-width digits and circled numbers.

use super::numerals::{circled_char, circled_value, cn_string, cn_value, is_cn_numeral_char};
use crate::source::saturating_u32;
use std::ops::Range;

/// The kind of outline marker. The level follows from it (GB/T 9704: 一、 （一） 1. （1）;
/// 章条式 documents: 第X章 > 第X节 > 第X条).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MarkerStyle {
    /// 第一部分, 第一方面, 第一章, 第一条 (the noun is the delimiter).
    Ordinal,
    /// 一、
    Chinese,
    /// （一）
    ChineseParen,
    /// 1. 1、 1．
    Arabic,
    /// （1）
    ArabicParen,
    /// ①
    Circled,
    /// A decimal section number 「1.1」「2.3.1」: opens a section; the lists under it restart.
    Decimal,
    /// A label line that introduces a list of its own: 「注：」「说明：」「备注：」.
    Label,
}

/// Levels, outermost first (gaps leave room). 第X条 sits above 一、 (the items of an article restart), a
/// label above the Arabic lists it introduces and below the sections around it.
const LEVEL_PART: u8 = 0;
const LEVEL_SECTION: u8 = 2;
const LEVEL_ARTICLE: u8 = 3;
/// The level of 一、: headings at this level or above are a document's sections.
pub const LEVEL_CHINESE: u8 = 4;

impl MarkerStyle {
    /// Nominal level of the style (for 第X markers, of 第X部分; see [`Heading::level`]).
    pub fn level(self) -> u8 {
        match self {
            MarkerStyle::Ordinal => LEVEL_PART,
            MarkerStyle::Decimal => LEVEL_ARTICLE,
            MarkerStyle::Chinese => LEVEL_CHINESE,
            MarkerStyle::ChineseParen => 6,
            MarkerStyle::Label => 7,
            MarkerStyle::Arabic => 8,
            MarkerStyle::ArabicParen => 10,
            MarkerStyle::Circled => 12,
        }
    }

    /// Whether the number is written in Chinese numerals.
    pub fn is_chinese(self) -> bool {
        matches!(
            self,
            MarkerStyle::Ordinal | MarkerStyle::Chinese | MarkerStyle::ChineseParen
        )
    }

    /// Whether headings of this style form numbered sequences the numbering rules check.
    pub fn is_numbered(self) -> bool {
        !matches!(self, MarkerStyle::Decimal | MarkerStyle::Label)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            MarkerStyle::Ordinal => "第X",
            MarkerStyle::Chinese => "一、",
            MarkerStyle::ChineseParen => "（一）",
            MarkerStyle::Arabic => "1.",
            MarkerStyle::ArabicParen => "（1）",
            MarkerStyle::Circled => "①",
            MarkerStyle::Decimal => "1.1",
            MarkerStyle::Label => "注：",
        }
    }
}

/// The level of a 第X marker by its noun: 部分/篇/编/方面/章 (alternatives for the top
/// level: mixing them is a fault) > 节 > 条.
fn ordinal_level(noun: &str) -> u8 {
    match noun {
        "节" => LEVEL_SECTION,
        "条" => LEVEL_ARTICLE,
        _ => LEVEL_PART,
    }
}

/// An outline marker at the start of a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marker {
    pub style: MarkerStyle,
    pub number: u32,
    /// As written: 「、」「.」「．」 for 一、/1.; 「（）」「()」 for bracketed markers;
    /// the noun (方面, 部分, 章) for 第X; empty for ①.
    pub delimiter: &'static str,
    /// Byte length of the marker in the line.
    pub len: usize,
}

impl Marker {
    /// The marker text for another number in the same style and delimiter.
    pub fn render(style: MarkerStyle, number: u32, delimiter: &str) -> String {
        let (open, close) = paren_pair(delimiter);
        match style {
            MarkerStyle::Ordinal => format!("第{}{delimiter}", cn_string(number)),
            MarkerStyle::Chinese => format!("{}{delimiter}", cn_string(number)),
            MarkerStyle::ChineseParen => format!("{open}{}{close}", cn_string(number)),
            MarkerStyle::Arabic => format!("{number}{delimiter}"),
            MarkerStyle::ArabicParen => format!("{open}{number}{close}"),
            MarkerStyle::Circled => circled_char(number).map_or(number.to_string(), String::from),
            MarkerStyle::Decimal | MarkerStyle::Label => String::new(),
        }
    }
}

fn paren_pair(delimiter: &str) -> (char, char) {
    let mut cs = delimiter.chars();
    (cs.next().unwrap_or('（'), cs.next().unwrap_or('）'))
}

/// Every delimiter a marker can have ([`Marker::delimiter`]); a [`Heading`] stores an index
/// into this table. The nouns of 第X markers come last.
const DELIMITERS: &[&str] = &[
    "",
    "、",
    ".",
    "．",
    "，",
    "（）",
    "()",
    "（)",
    "(）",
    "（）、",
    "()、",
    "方面",
    "部分",
    "板块",
    "章",
    "篇",
    "编",
    "节",
    "条",
];
const ORDINAL_NOUNS: &[&str] = match DELIMITERS.split_at_checked(11) {
    Some((_, nouns)) => nouns,
    None => &[],
};

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

fn digit_value(c: char) -> u32 {
    if c.is_ascii_digit() {
        c as u32 - '0' as u32
    } else {
        c as u32 - '０' as u32
    }
}

/// Read an outline marker at the start of `s` (leading spaces already skipped).
pub fn parse_marker(s: &str) -> Option<Marker> {
    let first = s.chars().next()?;
    if let Some(n) = circled_value(first) {
        return Some(Marker {
            style: MarkerStyle::Circled,
            number: n,
            delimiter: "",
            len: first.len_utf8(),
        });
    }
    if first == '第' {
        let rest = &s[first.len_utf8()..];
        let num_len = prefix_len(rest, is_cn_numeral_char, 4);
        let number = cn_value(&rest[..num_len])?;
        let after = &rest[num_len..];
        let noun = ORDINAL_NOUNS.iter().find(|n| after.starts_with(**n))?;
        return Some(Marker {
            style: MarkerStyle::Ordinal,
            number,
            delimiter: noun,
            len: first.len_utf8() + num_len + noun.len(),
        });
    }
    if first == '（' || first == '(' {
        let rest = &s[first.len_utf8()..];
        let (style, num_len, number) = if rest.starts_with(is_digit) {
            let n = prefix_len(rest, is_digit, 3);
            let v = rest[..n].chars().fold(0, |v, c| v * 10 + digit_value(c));
            (MarkerStyle::ArabicParen, n, v)
        } else {
            let n = prefix_len(rest, is_cn_numeral_char, 4);
            (MarkerStyle::ChineseParen, n, cn_value(&rest[..n])?)
        };
        let close = rest[num_len..].chars().next()?;
        if close != '）' && close != ')' || number == 0 {
            return None;
        }
        // 「（二）、」: a 、 after the brackets (nonstandard, reported by the numbering rules)
        let comma = rest[num_len + close.len_utf8()..].starts_with('、');
        return Some(Marker {
            style,
            number,
            delimiter: match (first, close, comma) {
                ('（', '）', true) => "（）、",
                ('(', ')', true) => "()、",
                ('（', '）', _) => "（）",
                ('(', ')', _) => "()",
                ('（', _, _) => "（)",
                _ => "(）",
            },
            len: first.len_utf8()
                + num_len
                + close.len_utf8()
                + if comma { '、'.len_utf8() } else { 0 },
        });
    }
    let (style, num_len, number) = if is_digit(first) {
        let n = prefix_len(s, is_digit, 4);
        if n > 3 * 3 || s[..n].chars().count() > 3 {
            return None; // a year, not an item number
        }
        let v = s[..n].chars().fold(0, |v, c| v * 10 + digit_value(c));
        (MarkerStyle::Arabic, n, v)
    } else if is_cn_numeral_char(first) {
        let n = prefix_len(s, is_cn_numeral_char, 4);
        (MarkerStyle::Chinese, n, cn_value(&s[..n])?)
    } else {
        return None;
    };
    let delim = s[num_len..].chars().next()?;
    // 「二，」 is a heading with the wrong mark (reported by the numbering rules); 「1，」 is
    // more often a number in a sentence
    let ok = match style {
        MarkerStyle::Arabic => matches!(delim, '.' | '．' | '、'),
        _ => matches!(delim, '、' | '．' | '.' | '，'),
    };
    if !ok || number == 0 {
        return None;
    }
    let after = s[num_len + delim.len_utf8()..].chars().next();
    // 1.5万 and 3..: a decimal, not an item marker; 2.3 总则: a section number
    if after.is_some_and(|c| is_digit(c) || c == '.' || c == '．') {
        let rest = &s[num_len + delim.len_utf8()..];
        let year = rest.len() > 4
            && rest.as_bytes()[..4].iter().all(u8::is_ascii_digit)
            && rest[4..].starts_with('年');
        // 「1.2025年工作计划」: an item whose text starts with a year
        if !year {
            return (style == MarkerStyle::Arabic && delim != '、')
                .then(|| decimal_section(s))
                .flatten();
        }
    }
    Some(Marker {
        style,
        number,
        delimiter: match delim {
            '.' => ".",
            '．' => "．",
            '，' => "，",
            _ => "、",
        },
        len: num_len + delim.len_utf8(),
    })
}

/// 「1.1 总则」「2.3.1 适用范围」: up to four numbers of at most two digits joined by dots,
/// then a space or a Han character that is not a unit (「1.5万」「2.5倍」 are numbers).
fn decimal_section(s: &str) -> Option<Marker> {
    let mut len = 0;
    let mut parts = 0;
    let b = s.as_bytes();
    loop {
        let digits = b[len..].iter().take_while(|c| c.is_ascii_digit()).count();
        if !(1..=2).contains(&digits) {
            return None;
        }
        len += digits;
        parts += 1;
        if b.get(len) == Some(&b'.') && b.get(len + 1).is_some_and(u8::is_ascii_digit) {
            len += 1;
            continue;
        }
        break;
    }
    let next = s[len..].chars().next()?;
    let spaced = next == ' ' || next == '\u{3000}' || next == '\t';
    let han = ('\u{4E00}'..='\u{9FFF}').contains(&next)
        && !"万亿元倍个人次年月日米吨亩项条家所".contains(next);
    if !(2..=4).contains(&parts) || !(spaced || han) {
        return None;
    }
    Some(Marker {
        style: MarkerStyle::Decimal,
        number: 0,
        delimiter: "",
        len,
    })
}

/// Byte length of the longest prefix of at most `max` chars satisfying `pred`.
fn prefix_len(s: &str, pred: impl Fn(char) -> bool, max: usize) -> usize {
    s.char_indices()
        .take(max)
        .take_while(|(_, c)| pred(*c))
        .last()
        .map_or(0, |(i, c)| i + c.len_utf8())
}

/// A heading: a line that starts with an outline marker.
///
/// Stored in 32 bytes, with 32-bit offsets (a work plan is mostly headings, and a 200 MB
/// file has millions; [`super::structure::Structure::parse`] only runs on texts under
/// 4 GiB). Read it through the accessors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    line: u32,
    /// Original byte range of the marker; the line's content starts there too.
    marker: [u32; 2],
    line_end: u32,
    /// [`NO_PARENT`] when there is none.
    parent: u32,
    segment: u32,
    pub number: u32,
    pub style: MarkerStyle,
    /// Index into [`DELIMITERS`].
    delimiter: u8,
}

const NO_PARENT: u32 = u32::MAX;

impl Heading {
    /// A heading on 0-based line `line` whose marker `m` starts at original byte `at` and
    /// whose content ends at `line_end`; no parent, segment 0.
    pub fn new(line: usize, at: usize, m: &Marker, line_end: usize) -> Heading {
        Heading {
            line: saturating_u32(line),
            marker: [saturating_u32(at), saturating_u32(at + m.len)],
            line_end: saturating_u32(line_end.max(at + m.len)),
            parent: NO_PARENT,
            segment: 0,
            number: m.number,
            style: m.style,
            delimiter: DELIMITERS
                .iter()
                .position(|d| *d == m.delimiter)
                .and_then(|i| u8::try_from(i).ok())
                .unwrap_or(0),
        }
    }

    /// 0-based line index.
    pub fn line(&self) -> usize {
        self.line as usize
    }

    /// Original byte range of the marker.
    pub fn marker_span(&self) -> Range<usize> {
        self.marker[0] as usize..self.marker[1] as usize
    }

    /// Original byte range of the line's content (leading and trailing spaces excluded).
    pub fn line_span(&self) -> Range<usize> {
        self.marker[0] as usize..self.line_end as usize
    }

    /// As written: see [`Marker::delimiter`].
    pub fn delimiter(&self) -> &'static str {
        DELIMITERS
            .get(usize::from(self.delimiter))
            .copied()
            .unwrap_or("")
    }

    /// Index of the parent heading (nearest earlier heading of a smaller level in the
    /// same contained document).
    pub fn parent(&self) -> Option<usize> {
        (self.parent != NO_PARENT).then_some(self.parent as usize)
    }

    pub fn set_parent(&mut self, parent: Option<usize>) {
        self.parent = parent.map_or(NO_PARENT, |p| saturating_u32(p).min(NO_PARENT - 1));
    }

    /// Index of the contained document (segment) the heading belongs to.
    pub fn segment(&self) -> usize {
        self.segment as usize
    }

    pub fn set_segment(&mut self, segment: usize) {
        self.segment = saturating_u32(segment);
    }

    /// Nesting level: smaller is outer (see [`MarkerStyle::level`]; 第X章 > 第X节 > 第X条).
    pub fn level(&self) -> u8 {
        match self.style {
            MarkerStyle::Ordinal => ordinal_level(self.delimiter()),
            style => style.level(),
        }
    }

    /// A section of the document: 第X部分/章/条 or 一、, not an item inside one.
    pub fn is_section(&self) -> bool {
        self.level() <= LEVEL_CHINESE
    }

    /// The marker as written, normalised (e.g. 「（三）」, 「4.」).
    pub fn marker(&self) -> String {
        Marker::render(self.style, self.number, self.delimiter())
    }
}

/// An inline enumeration item: 「一是」「二是」 inside a paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InlineItem {
    pub line: usize,
    /// Original byte range of 「一是」.
    pub span: Range<usize>,
    pub number: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(s: &str) -> Option<(MarkerStyle, u32, String)> {
        parse_marker(s).map(|m| (m.style, m.number, m.delimiter.to_owned()))
    }

    #[test]
    fn headings_keep_every_delimiter_in_32_bytes() {
        assert_eq!(std::mem::size_of::<Heading>(), 32);
        for text in [
            "一、总体",
            "1.加强",
            "1．加强",
            "3、加强",
            "（二）深化",
            "(2)深化",
            "（2)深化",
            "(二）深化",
            "①开展",
            "第一方面",
            "第二部分",
            "第三板块",
            "第四章",
            "第五篇",
        ] {
            let m = parse_marker(text).unwrap();
            let h = Heading::new(7, 100, &m, 100 + text.len());
            assert_eq!(h.delimiter(), m.delimiter, "{text}");
            assert_eq!((h.line(), h.number, h.style), (7, m.number, m.style));
            assert_eq!(h.marker_span(), 100..100 + m.len);
            assert_eq!(h.line_span(), 100..100 + text.len());
            assert!(text.starts_with(&h.marker()), "{text}");
        }
        let mut h = Heading::new(0, 0, &parse_marker("一、").unwrap(), 3);
        assert_eq!((h.parent(), h.segment()), (None, 0));
        h.set_parent(Some(5));
        h.set_segment(2);
        assert_eq!((h.parent(), h.segment()), (Some(5), 2));
        h.set_parent(None);
        assert_eq!(h.parent(), None);
    }

    #[test]
    fn markers() {
        use MarkerStyle::*;
        assert_eq!(m("一、总体要求"), Some((Chinese, 1, "、".into())));
        assert_eq!(m("十二、其他"), Some((Chinese, 12, "、".into())));
        assert_eq!(m("（十五）筑牢"), Some((ChineseParen, 15, "（）".into())));
        assert_eq!(m("(八)优化"), Some((ChineseParen, 8, "()".into())));
        assert_eq!(m("3．开展"), Some((Arabic, 3, "．".into())));
        assert_eq!(m("１２、开展"), Some((Arabic, 12, "、".into())));
        assert_eq!(m("（2）3月底前"), Some((ArabicParen, 2, "（）".into())));
        assert_eq!(m("②落实"), Some((Circled, 2, String::new())));
        assert_eq!(m("第三部分 保障"), Some((Ordinal, 3, "部分".into())));
        assert_eq!(m("1.5万人次"), None);
        assert_eq!(m("1.1 总则"), Some((Decimal, 0, String::new())));
        assert_eq!(m("2.3.1适用范围"), Some((Decimal, 0, String::new())));
        assert_eq!(m("2.5倍"), None);
        assert_eq!(m("2.2025年工作计划"), Some((Arabic, 2, ".".into())));
        assert_eq!(m("第三条 本办法"), Some((Ordinal, 3, "条".into())));
        assert_eq!(m("2018.2.25"), None);
        assert_eq!(m("2018年"), None);
        assert_eq!(m("一是加强"), None);
        assert_eq!(m("十九大"), None);
        assert_eq!(m("第一次会议"), None);
        assert_eq!(m("（2021—2025年）"), None);
        assert_eq!(Marker::render(ChineseParen, 4, "（）"), "（四）");
        assert_eq!(Marker::render(Arabic, 4, "."), "4.");
    }
}
