//! The outline: headings at the levels 第一部分 / 一、 / （一） / 1. / （1） / ①, and inline
//! enumerations 一是…二是…, each with number, delimiter, level and parent.
//!
//! Markers are read from the original line (after leading spaces), so a full-width
//! 「1．」 and a half-width 「1.」 stay distinguishable; numbers are parsed from Chinese
//! numerals, full- or half-width digits and circled numbers.

use super::numerals::{circled_char, circled_value, cn_string, cn_value, is_cn_numeral_char};
use std::ops::Range;

/// The kind of outline marker. The level follows from it (GB/T 9704: 一、 （一） 1. （1）).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MarkerStyle {
    /// 第一部分, 第一方面, 第一章 (the noun is the delimiter).
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
}

impl MarkerStyle {
    /// Nominal level: 0 for 第X部分, 1 for 一、 … 5 for ①.
    pub fn level(self) -> u8 {
        match self {
            MarkerStyle::Ordinal => 0,
            MarkerStyle::Chinese => 1,
            MarkerStyle::ChineseParen => 2,
            MarkerStyle::Arabic => 3,
            MarkerStyle::ArabicParen => 4,
            MarkerStyle::Circled => 5,
        }
    }

    /// Whether the number is written in Chinese numerals.
    pub fn is_chinese(self) -> bool {
        matches!(
            self,
            MarkerStyle::Ordinal | MarkerStyle::Chinese | MarkerStyle::ChineseParen
        )
    }

    pub fn as_str(self) -> &'static str {
        match self {
            MarkerStyle::Ordinal => "第X",
            MarkerStyle::Chinese => "一、",
            MarkerStyle::ChineseParen => "（一）",
            MarkerStyle::Arabic => "1.",
            MarkerStyle::ArabicParen => "（1）",
            MarkerStyle::Circled => "①",
        }
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
        }
    }
}

fn paren_pair(delimiter: &str) -> (char, char) {
    let mut cs = delimiter.chars();
    (cs.next().unwrap_or('（'), cs.next().unwrap_or('）'))
}

const ORDINAL_NOUNS: &[&str] = &["方面", "部分", "板块", "章", "篇"];

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
        return Some(Marker {
            style,
            number,
            delimiter: match (first, close) {
                ('（', '）') => "（）",
                ('(', ')') => "()",
                ('（', _) => "（)",
                _ => "(）",
            },
            len: first.len_utf8() + num_len + close.len_utf8(),
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
    let ok = match style {
        MarkerStyle::Arabic => matches!(delim, '.' | '．' | '、'),
        _ => matches!(delim, '、' | '．' | '.'),
    };
    if !ok || number == 0 {
        return None;
    }
    let after = s[num_len + delim.len_utf8()..].chars().next();
    // 1.5万, 2.3.1 and 3..: a decimal or a section number, not an item marker.
    if after.is_some_and(|c| is_digit(c) || c == '.' || c == '．') {
        return None;
    }
    Some(Marker {
        style,
        number,
        delimiter: match delim {
            '.' => ".",
            '．' => "．",
            _ => "、",
        },
        len: num_len + delim.len_utf8(),
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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// 0-based line index.
    pub line: usize,
    /// Original byte range of the marker.
    pub marker_span: Range<usize>,
    /// Original byte range of the line's content (leading and trailing spaces excluded).
    pub line_span: Range<usize>,
    pub style: MarkerStyle,
    pub number: u32,
    pub delimiter: &'static str,
    /// Index of the parent heading (nearest earlier heading of a smaller level in the
    /// same contained document).
    pub parent: Option<usize>,
    /// Index of the contained document (segment) the heading belongs to.
    pub segment: usize,
}

impl Heading {
    pub fn level(&self) -> u8 {
        self.style.level()
    }

    /// The marker as written, normalised (e.g. 「（三）」, 「4.」).
    pub fn marker(&self) -> String {
        Marker::render(self.style, self.number, self.delimiter)
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
