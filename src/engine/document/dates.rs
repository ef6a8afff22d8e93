//! Date mentions: 2018年3月5日, 2018年3月, 3月5日, 2018.3.5, 2018-03-05, 二〇一八年三月五日,
//! each with an optional （星期X）, plus ranges (A至B) between two of them.
//!
//! Scanning works on one line of the normalised view (spaces removed, full-width digits
//! folded), so `2017 年 3 月 23 日` is one date; spans are normalised byte ranges that the
//! caller maps back to the original text.

use super::numerals::cn_value;
use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

/// How a date is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateForm {
    /// 2018年3月5日 / 2018年3月
    Arabic,
    /// 2018.3.5
    Dotted,
    /// 2018-03-05
    Dashed,
    /// 二〇一八年三月五日
    Chinese,
    /// 3月5日 (no year)
    MonthDay,
}

impl DateForm {
    pub fn as_str(self) -> &'static str {
        match self {
            DateForm::Arabic => "arabic",
            DateForm::Dotted => "dotted",
            DateForm::Dashed => "dashed",
            DateForm::Chinese => "chinese",
            DateForm::MonthDay => "month-day",
        }
    }
}

/// What a date is in the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateRole {
    /// 成文日期: the date under the 署名.
    Signing,
    /// 印发日期: the date on the 「…年…月…日印发」 line of the 版记.
    Issue,
    /// A 「时间：…」 line of a meeting or training handout.
    TimeLine,
    /// A deadline set for the readers: 「请于4月3日前报送」.
    Deadline,
    /// Anywhere else.
    Body,
}

impl DateRole {
    pub fn as_str(self) -> &'static str {
        match self {
            DateRole::Signing => "成文",
            DateRole::Issue => "印发",
            DateRole::TimeLine => "时间",
            DateRole::Deadline => "期限",
            DateRole::Body => "正文",
        }
    }
}

/// One date as found on a line of the normalised view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawDate {
    /// Normalised byte range of the date (without the weekday).
    pub span: Range<usize>,
    pub year: Option<i32>,
    pub month: u32,
    pub day: Option<u32>,
    pub form: DateForm,
    /// Month or day written with a leading zero (03月, 05日).
    pub zero_padded: bool,
    /// The stated weekday (0 = Monday … 6 = Sunday) and its normalised span.
    pub weekday: Option<(u32, Range<usize>)>,
}

static DATE: LazyLock<Regex> = LazyLock::new(|| {
    super::static_regex(concat!(
        r"(?P<y>[0-9]{4})年(?P<m>[0-9]{1,2})月(?:(?P<d>[0-9]{1,2})[日号])?",
        r"|(?P<y2>[0-9]{4})\.(?P<m2>[0-9]{1,2})\.(?P<d2>[0-9]{1,2})",
        r"|(?P<y3>[0-9]{4})[-/](?P<m3>[0-9]{1,2})[-/](?P<d3>[0-9]{1,2})",
        r"|(?P<y4>[〇○零ＯO0一二三四五六七八九]{4})年(?P<m4>[一二三四五六七八九十]{1,2})月(?:(?P<d4>[一二三四五六七八九十]{1,3})日)?",
        r"|(?P<m5>[0-9]{1,2})月(?P<d5>[0-9]{1,2})[日号]",
    ))
});

static WEEKDAY: LazyLock<Regex> = LazyLock::new(|| {
    super::static_regex(r"^[(（]?(?:星期|礼拜|周)(?P<w>[一二三四五六日天])[)）]?")
});

/// 月, searched with memchr's searcher built once (`memmem::find` builds one per call).
static MONTH: LazyLock<memchr::memmem::Finder<'static>> =
    LazyLock::new(|| memchr::memmem::Finder::new("月"));

/// Whether [`DATE`] can match somewhere in `line`: each of its forms has a 月, or four ASCII
/// digits followed by `.`, `-` or `/` (2018.2.25, 2018-02-25). A byte scan that lets most
/// lines of a draft skip the regex.
pub fn may_hold_date(line: &str) -> bool {
    if MONTH.find(line.as_bytes()).is_some() {
        return true;
    }
    let mut digits = 0;
    for &b in line.as_bytes() {
        if b.is_ascii_digit() {
            digits += 1;
        } else {
            if digits >= 4 && matches!(b, b'.' | b'-' | b'/') {
                return true;
            }
            digits = 0;
        }
    }
    false
}

/// What [`may_hold_date`] looks for, found in a whole text at once (one search per text
/// instead of one per line): the positions of each 月 and of each `.`, `-` or `/` after four
/// ASCII digits (which no line break separates), in order.
pub struct DateEvidence {
    months: Vec<usize>,
    separators: Vec<usize>,
    /// How many of each lie before the lines asked about so far.
    passed: (usize, usize),
}

impl DateEvidence {
    pub fn new(text: &str) -> DateEvidence {
        let bytes = text.as_bytes();
        let after_year = |at: usize| at >= 4 && bytes[at - 4..at].iter().all(u8::is_ascii_digit);
        DateEvidence {
            months: MONTH.find_iter(bytes).collect(),
            separators: memchr::memchr3_iter(b'.', b'-', b'/', bytes)
                .filter(|&at| after_year(at))
                .collect(),
            passed: (0, 0),
        }
    }

    /// [`may_hold_date`] of the line `line` of the text (lines asked in order).
    pub fn may_hold_date(&mut self, line: &Range<usize>) -> bool {
        let in_line = |list: &[usize], passed: &mut usize| {
            while list.get(*passed).is_some_and(|&at| at < line.start) {
                *passed += 1;
            }
            list.get(*passed).is_some_and(|&at| at < line.end)
        };
        let month = in_line(&self.months, &mut self.passed.0);
        let separator = in_line(&self.separators, &mut self.passed.1);
        month || separator
    }
}

/// Dates on one normalised line that [`DateEvidence`] lets through (on another line the
/// regex finds none: [`may_hold_date`]); `base` is the line's offset in the normalised text.
pub fn scan_line(line: &str, base: usize) -> Vec<RawDate> {
    let mut out = Vec::new();
    for caps in DATE.captures_iter(line) {
        let Some(whole) = caps.get(0) else { continue };
        let num = |name: &str| caps.name(name).and_then(|m| m.as_str().parse::<u32>().ok());
        let text = |name: &str| caps.name(name).map(|m| m.as_str());
        let before = line[..whole.start()].chars().next_back();
        let after = line[whole.end()..].chars().next();
        let (year, month, day, form) = if let Some(y) = num("y") {
            if before.is_some_and(|c| c.is_ascii_digit()) {
                continue;
            }
            (Some(y as i32), num("m"), num("d"), DateForm::Arabic)
        } else if let Some(y) = num("y2") {
            // 2018.2.25 but not 12018.2.25, 2018.2.25.1 or a decimal
            if before.is_some_and(|c| c.is_ascii_digit() || c == '.')
                || after.is_some_and(|c| c.is_ascii_digit() || c == '.')
            {
                continue;
            }
            (Some(y as i32), num("m2"), num("d2"), DateForm::Dotted)
        } else if let Some(y) = num("y3") {
            if before.is_some_and(|c| c.is_ascii_digit() || c == '-')
                || after.is_some_and(|c| c.is_ascii_digit() || c == '-')
            {
                continue; // phone numbers 0573-8221-6045
            }
            (Some(y as i32), num("m3"), num("d3"), DateForm::Dashed)
        } else if let Some(y) = text("y4") {
            (
                cn_value(&y.replace(is_odd_zero, "〇")).map(|v| v as i32),
                text("m4").and_then(cn_value),
                text("d4").and_then(cn_value),
                DateForm::Chinese,
            )
        } else {
            if before.is_some_and(|c| c.is_ascii_digit() || c == '.') {
                continue;
            }
            (None, num("m5"), num("d5"), DateForm::MonthDay)
        };
        let Some(month) = month else { continue };
        let zero_padded = form != DateForm::Chinese
            && [("m", "d"), ("m2", "d2"), ("m3", "d3"), ("m5", "d5")]
                .iter()
                .any(|(m, d)| {
                    text(m).is_some_and(|s| s.len() == 2 && s.starts_with('0'))
                        || text(d).is_some_and(|s| s.len() == 2 && s.starts_with('0'))
                });
        let weekday = if day.is_some() {
            WEEKDAY.captures(&line[whole.end()..]).and_then(|w| {
                let all = w.get(0)?;
                let n = match w.name("w")?.as_str() {
                    "一" => 0,
                    "二" => 1,
                    "三" => 2,
                    "四" => 3,
                    "五" => 4,
                    "六" => 5,
                    _ => 6,
                };
                Some((
                    n,
                    base + whole.end() + all.start()..base + whole.end() + all.end(),
                ))
            })
        } else {
            None
        };
        out.push(RawDate {
            span: base + whole.start()..base + whole.end(),
            year,
            month,
            day,
            form,
            zero_padded,
            weekday,
        });
    }
    out
}

/// A character written for 〇 in a Chinese-numeral year that is not 〇 (U+3007): the circle
/// ○ (U+25CB), the letter O, full-width Ｏ, the digit 0. 零 is correct too.
pub fn is_odd_zero(c: char) -> bool {
    matches!(c, '○' | 'Ｏ' | 'O' | '0' | '０')
}

/// Whether the date at `start..end` of a normalised line is a deadline the document sets:
/// 「请于2025年4月3日前报送」「务必在…之前」「请你局…，并于…前报送」 — a request word in the
/// same sentence, then 于/在 right before the date and 前 right after it. 「截至…」,
/// 「于…前完成了」 without a request and 「…以前的」 are not deadlines.
pub fn is_deadline(line: &str, start: usize, end: usize) -> bool {
    let (Some(before), Some(after)) = (line.get(..start), line.get(end..)) else {
        return false;
    };
    // a weekday between the date and 前: 「3月1日（星期五）前」
    let after = after
        .strip_prefix(['(', '（'])
        .map_or(after, |a| a.split_once([')', '）']).map_or(a, |(_, r)| r));
    let ends = after.starts_with('前') || after.starts_with("之前") || after.starts_with("以前");
    let at = before.ends_with('于') || before.ends_with('在');
    let sentence = before
        .rsplit(['。', ';', '；', '!', '?'])
        .next()
        .unwrap_or(before);
    let asks = ["请", "务必", "须", "需", "应", "要", "务请"]
        .iter()
        .any(|w| sentence.contains(w));
    // 「于6月30日前将…报…」: what is due follows in the same clause
    let clause = after
        .split([',', '，', '。', ';', '；'])
        .next()
        .unwrap_or(after);
    let due = ["报送", "上报", "报", "提交", "反馈", "交", "完成"]
        .iter()
        .any(|w| clause.contains(w))
        && !clause.contains('了');
    ends && at && (asks || due) && !after.starts_with("以前的") && !after.starts_with("前的")
}

/// Whether the date exists in the calendar (month 1–12, day within the month; leap years
/// when the year is known, 29 February allowed when it is not).
pub fn is_valid(year: Option<i32>, month: u32, day: Option<u32>) -> bool {
    if !(1..=12).contains(&month) {
        return false;
    }
    let Some(day) = day else { return true };
    let max = match month {
        2 => match year {
            Some(y) if !is_leap(y) => 28,
            _ => 29,
        },
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    (1..=max).contains(&day)
}

pub fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

/// Days since 1970-01-01 (proleptic Gregorian; Howard Hinnant's algorithm).
pub fn days_from_civil(y: i32, m: u32, d: u32) -> i64 {
    let y = i64::from(y) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Weekday of a date: 0 = Monday … 6 = Sunday.
pub fn weekday(y: i32, m: u32, d: u32) -> u32 {
    // 1970-01-01 was a Thursday (3).
    (days_from_civil(y, m, d) + 3).rem_euclid(7) as u32
}

pub const WEEKDAY_NAMES: [&str; 7] = ["一", "二", "三", "四", "五", "六", "日"];

/// Range connectors between two dates (至, 到, dashes, tildes).
pub fn is_range_connector(between: &str) -> bool {
    matches!(
        between,
        "至" | "到" | "—" | "——" | "–" | "-" | "－" | "~" | "～" | "—至"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The prefilter never hides a date: where it says no, the regex finds nothing.
        #[test]
        fn the_prefilter_passes_every_line_with_a_date(
            line in "[0-9年月日号.\\-/〇一二三四五十 ]{0,24}"
        ) {
            if !may_hold_date(&line) {
                proptest::prop_assert!(DATE.find(&line).is_none(), "{line}");
            }
        }
    }

    proptest::proptest! {
        /// The evidence found in the whole text says of each line what the prefilter says.
        #[test]
        fn the_evidence_of_a_text_is_the_prefilter_of_each_line(
            text in "[0-9年月.\\-/一\n]{0,60}"
        ) {
            let mut evidence = DateEvidence::new(&text);
            let mut start = 0;
            for line in text.split('\n') {
                let range = start..start + line.len();
                proptest::prop_assert_eq!(evidence.may_hold_date(&range), may_hold_date(line));
                start = range.end + 1;
            }
        }
    }

    #[test]
    fn the_prefilter_skips_lines_without_a_month_or_a_dotted_year() {
        assert!(!may_hold_date("共有123人参加，占1.5%"));
        assert!(!may_hold_date("电话573-8221，第3.2节"));
        assert!(may_hold_date("电话2023-8221"));
        assert!(may_hold_date("二〇一八年三月"));
        assert!(may_hold_date("2018.2.25"));
    }

    #[test]
    fn finds_dates_in_all_forms() {
        let line = "定于2022年4月15日(星期四)召开,2018.2.25和2018-03-05,二〇一八年三月五日,6月31日前,1.5万";
        let d = scan_line(line, 0);
        let forms: Vec<_> = d.iter().map(|x| (x.year, x.month, x.day, x.form)).collect();
        assert_eq!(
            forms,
            vec![
                (Some(2022), 4, Some(15), DateForm::Arabic),
                (Some(2018), 2, Some(25), DateForm::Dotted),
                (Some(2018), 3, Some(5), DateForm::Dashed),
                (Some(2018), 3, Some(5), DateForm::Chinese),
                (None, 6, Some(31), DateForm::MonthDay),
            ]
        );
        assert_eq!(d[0].weekday.as_ref().map(|w| w.0), Some(3));
        assert!(d[2].zero_padded);
        assert!(!d[0].zero_padded);
    }

    #[test]
    fn calendar() {
        assert_eq!(weekday(2022, 4, 15), 4); // Friday
        assert_eq!(weekday(2023, 3, 3), 4);
        assert_eq!(weekday(1970, 1, 1), 3);
        assert!(!is_valid(Some(2022), 6, Some(31)));
        assert!(!is_valid(Some(2023), 2, Some(29)));
        assert!(is_valid(Some(2024), 2, Some(29)));
        assert!(!is_valid(None, 13, None));
        assert!(days_from_civil(2018, 5, 7) > days_from_civil(2017, 3, 23));
    }
}
