//! The parts of a 公文 (GB/T 9704): 版头 (发文机关标志, 发文字号, 签发人), 标题, 主送机关,
//! 正文, 附件说明, 发文机关署名, 成文日期, and the 版记 (印发机关和印发日期, 拟稿 / 校对).
//!
//! Each contained document (a [`Segment`]: the whole file, or one document of a
//! compilation) has its own title, addressee, signature and signing date; the 版头 and
//! 版记 belong to the file.

use super::dates::RawDate;
use super::static_regex;
use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

/// A recognised part: its line (0-based) and original byte range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub line: usize,
    pub span: Range<usize>,
}

/// 发文字号: 机关代字 + 〔year〕 + number + 号, in any bracket variant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocNumber {
    pub part: Part,
    pub code: String,
    pub year: i32,
    /// The bracketed year as written (「[2018]」), original byte range.
    pub year_span: Range<usize>,
    pub number: u32,
}

/// The 版头 and 版记 of the file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Header {
    /// 发文机关标志 (「…文件」).
    pub agency_mark: Option<Part>,
    pub doc_number: Option<DocNumber>,
    /// 签发人 (the name).
    pub signer: Option<Part>,
    /// 印发机关和印发日期 line.
    pub issue_line: Option<Part>,
    /// Index into [`super::Structure::dates`] of the 印发日期.
    pub issue_date: Option<usize>,
    /// 拟稿 / 校对 line (part of the 版记).
    pub drafter: Option<Part>,
}

/// One contained document: the file, or one document of a compilation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Segment {
    /// Line indices `[start, end)`.
    pub lines: Range<usize>,
    /// 标题 (the segment's first line when it is a title).
    pub title: Option<Part>,
    /// The year of a plan named in the title (「2018年工会工作要点」, 「…《2018年…计划》的通知」).
    pub plan_year: Option<i32>,
    /// The title's document type: 通知, 要点, 请示 … (the last word).
    pub doc_type: Option<String>,
    /// 主送机关 (a line ending in ：right after the title).
    pub addressee: Option<Part>,
    /// 附件说明 (「附件：…」).
    pub attachment_note: Option<Part>,
    /// 发文机关署名 (the line above the 成文日期).
    pub signature: Option<Part>,
    /// Index into [`super::Structure::dates`] of the 成文日期.
    pub signing_date: Option<usize>,
    /// Non-blank 正文 lines (after the title and addressee, before the signature).
    pub body_lines: usize,
    /// A paragraph between the title and the first heading (a plan's guiding paragraph).
    pub preamble: Option<Part>,
    /// Indices into [`super::Structure::headings`].
    pub headings: Range<usize>,
}

/// Document types a title ends with.
pub const DOC_TYPES: &[&str] = &[
    "通知", "通报", "意见", "决定", "报告", "请示", "批复", "函", "方案", "办法", "规定", "细则",
    "纪要", "决议", "公告", "通告", "计划", "要点", "总结", "规划", "安排", "命令", "议案",
];

/// Plan-like types whose title year is the year the plan is for.
pub const PLAN_TYPES: &[&str] = &["要点", "计划", "方案", "安排", "规划"];

static DOC_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    static_regex(
        r"(?P<code>[\p{Han}A-Za-z]{1,16}?)[〔\[【(﹝〖{〘](?P<y>[0-9]{4})[〕\]】)﹞〗}〙]第?(?P<n>[0-9]{1,5})号",
    )
});
static SIGNER: LazyLock<Regex> =
    LazyLock::new(|| static_regex(r"签发人[:：]?(?P<name>[\p{Han}·]{2,8})"));
static TITLE_YEAR: LazyLock<Regex> =
    LazyLock::new(|| static_regex(r"(?P<y>[0-9]{4})(?:年度|年)(?P<rest>[^,，。;；]{0,30})"));

/// A 发文字号 found in a normalised line: (code, year, number, normalised range of the
/// whole number, normalised range of the bracketed year).
pub type FoundDocNumber = (String, i32, u32, Range<usize>, Range<usize>);

/// Find a 发文字号 in a normalised line.
pub fn find_doc_number(line: &str) -> Option<FoundDocNumber> {
    let c = DOC_NUMBER.captures(line)?;
    let whole = c.get(0)?;
    let y = c.name("y")?;
    let code = c.name("code")?.as_str();
    let year = y.as_str().parse().ok()?;
    let n = c.name("n")?.as_str().parse().ok()?;
    // the bracketed year: one char before and after the digits
    let open = line[..y.start()]
        .chars()
        .next_back()
        .map_or(0, char::len_utf8);
    let close = line[y.end()..].chars().next().map_or(0, char::len_utf8);
    Some((
        code.to_owned(),
        year,
        n,
        whole.range(),
        y.start() - open..y.end() + close,
    ))
}

/// The signer's name range in a normalised line.
pub fn find_signer(line: &str) -> Option<Range<usize>> {
    SIGNER.captures(line)?.name("name").map(|m| m.range())
}

/// The document type a (normalised) title ends with.
pub fn title_doc_type(title: &str) -> Option<&'static str> {
    let t = title.trim_end_matches(['》', '”', '"', ')', '）']);
    DOC_TYPES.iter().copied().find(|d| t.ends_with(d))
}

/// Whether a normalised line reads like a document title.
pub fn is_title_like(line: &str) -> bool {
    let n = line.chars().count();
    if !(5..=60).contains(&n) || ends_with_terminal(line) {
        return false;
    }
    let Some(kind) = title_doc_type(line) else {
        return false;
    };
    if line.starts_with("关于") {
        return true;
    }
    // 「2018年工会工作要点」「…2024年安全生产工作计划」: a year and a plan-like type
    let has_year = TITLE_YEAR.is_match(line);
    has_year && (PLAN_TYPES.contains(&kind) || kind == "总结" || kind == "意见")
}

/// The year of the plan a title names: 「2018年工会工作要点」, 「关于印发《2018年…计划》的通知」.
pub fn plan_year(title: &str) -> Option<i32> {
    for c in TITLE_YEAR.captures_iter(title) {
        let rest = c.name("rest").map_or("", |m| m.as_str());
        let rest = rest.split(['》', '”', '"']).next().unwrap_or(rest);
        let rest = rest.strip_suffix("的通知").unwrap_or(rest);
        if PLAN_TYPES.iter().any(|p| rest.ends_with(p)) {
            return c.name("y")?.as_str().parse().ok();
        }
    }
    None
}

/// Ends with sentence punctuation (normalised view: full-width ，：；！？ are folded).
pub fn ends_with_terminal(line: &str) -> bool {
    line.ends_with([
        '。', ',', ':', ';', '!', '?', '，', '：', '；', '！', '？', '、',
    ])
}

/// Whether the whole normalised line is one date (a 成文日期 candidate).
pub fn is_date_only(line: &str, dates: &[RawDate], line_base: usize) -> bool {
    match dates {
        [d] => d.day.is_some() && d.span.start == line_base && d.span.end == line_base + line.len(),
        _ => false,
    }
}

/// A signature line: an organisation name (or several), no sentence punctuation.
pub fn is_signature_like(line: &str) -> bool {
    let n = line.chars().count();
    (2..=60).contains(&n)
        && !ends_with_terminal(line)
        && !line.contains(['。', ',', ';', '，', '；'])
        && !line.starts_with(|c: char| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doc_numbers_and_titles() {
        let (code, y, n, _, ys) = find_doc_number("太极工发[2018]7号签发人:陈建国").unwrap();
        assert_eq!((code.as_str(), y, n), ("太极工发", 2018, 7));
        assert_eq!(&"太极工发[2018]7号"[ys], "[2018]");
        assert!(find_doc_number("嘉建工发【2022】5号").is_some());
        assert!(find_doc_number("临港城发工〔2023〕3号").is_some());
        assert!(is_title_like("关于印发《2018年工会工作要点》的通知"));
        assert!(is_title_like("2023年工会工作要点"));
        assert!(!is_title_like("一季度"));
        assert!(!is_title_like("现将有关事项通知如下。"));
        assert_eq!(
            plan_year("关于印发《2018年工会工作要点》的通知"),
            Some(2018)
        );
        assert_eq!(plan_year("南湖县2024年安全生产工作计划"), Some(2024));
        assert_eq!(plan_year("关于开展2020年“安康杯”竞赛活动的通知"), None);
        assert_eq!(find_signer("签发人:周立新").map(|r| r.len()), Some(9));
    }
}
