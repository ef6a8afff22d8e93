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

/// One contained document: the file, one document of a compilation, or an attachment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Segment {
    /// Line indices `[start, end)`.
    pub lines: Range<usize>,
    /// 标题 (1–3 lines), if the segment has one.
    pub title: Option<Part>,
    /// The title's last line (the segment's first line when there is no title).
    pub title_end: usize,
    /// A year the title names (「2025年…」), whatever the document type.
    pub title_year: Option<i32>,
    /// The year of a plan named in the title (「2018年工会工作要点」, 「…《2018年…计划》的通知」).
    pub plan_year: Option<i32>,
    /// The year a summary or report of a year reviews (「2024年工作总结」).
    pub summary_year: Option<i32>,
    /// The title's document type: 通知, 要点, 请示 … (the last word).
    pub doc_type: Option<String>,
    /// `Some(n)` for an attachment (附件n; 0 when unnumbered): the segment starts at its label.
    pub attachment: Option<u32>,
    /// The segment's own 发文字号 (under its title, or in the 版头 for the main document).
    pub doc_number: Option<DocNumber>,
    /// 主送机关 (a line ending in ：right after the title).
    pub addressee: Option<Part>,
    /// 附件说明 (「附件：…」 and its numbered continuation lines).
    pub attachment_note: Option<Part>,
    /// The attachment names the 附件说明 lists, as original byte ranges.
    pub attachment_items: Vec<Range<usize>>,
    /// 发文机关署名 (the lines above the 成文日期).
    pub signature: Option<Part>,
    /// Index into [`super::Structure::dates`] of the 成文日期.
    pub signing_date: Option<usize>,
    /// 附注 after the 成文日期 (the first line of them).
    pub annotation: Option<Part>,
    /// The 正文 lines `[start, end)`: after the title and addressee, before the signature.
    pub body: Range<usize>,
    /// Non-blank 正文 lines.
    pub body_lines: usize,
    /// A paragraph between the title and the first heading (a plan's guiding paragraph).
    pub preamble: Option<Part>,
    /// Indices into [`super::Structure::headings`].
    pub headings: Range<usize>,
}

/// Document types a title ends with, longest first where one ends another, each with the
/// 文种 it is (「指导意见」 is an 意见): the 15 of the 党政机关公文处理工作条例 and the usual
/// non-statutory ones.
pub const DOC_TYPES: &[(&str, &str)] = &[
    ("请示报告", "请示报告"),
    ("汇报", "汇报"),
    ("函件", "函件"),
    ("指导意见", "意见"),
    ("实施意见", "意见"),
    ("实施方案", "方案"),
    ("工作方案", "方案"),
    ("工作要点", "要点"),
    ("工作计划", "计划"),
    ("工作总结", "总结"),
    ("管理办法", "办法"),
    ("实施细则", "细则"),
    ("会议纪要", "纪要"),
    ("复函", "函"),
    ("通知", "通知"),
    ("通报", "通报"),
    ("意见", "意见"),
    ("决定", "决定"),
    ("报告", "报告"),
    ("请示", "请示"),
    ("批复", "批复"),
    ("函", "函"),
    ("方案", "方案"),
    ("办法", "办法"),
    ("规定", "规定"),
    ("细则", "细则"),
    ("纪要", "纪要"),
    ("决议", "决议"),
    ("公告", "公告"),
    ("通告", "通告"),
    ("公报", "公报"),
    ("计划", "计划"),
    ("要点", "要点"),
    ("总结", "总结"),
    ("规划", "规划"),
    ("安排", "安排"),
    ("命令", "命令"),
    ("议案", "议案"),
    ("汇编", "汇编"),
    ("简报", "简报"),
    ("公示", "公示"),
    ("说明", "说明"),
    ("指南", "指南"),
    ("标准", "标准"),
    ("大纲", "大纲"),
    ("条例", "条例"),
    ("规则", "规则"),
    ("章程", "章程"),
    ("纲要", "纲要"),
    ("制度", "制度"),
    ("预案", "预案"),
    ("答复", "答复"),
    ("讲话", "讲话"),
];

/// Types that name the document itself only in a title, never as the last word of an
/// ordinary line: a title at a title position may end with any [`DOC_TYPES`] entry,
/// a line elsewhere only when it starts with 关于 or names a year and a plan.
pub const STATUTORY_TYPES: &[&str] = &[
    "决议", "决定", "命令", "公报", "公告", "通告", "意见", "通知", "通报", "报告", "请示", "批复",
    "议案", "函", "纪要",
];

/// Plan-like types whose title year is the year the plan is for.
pub const PLAN_TYPES: &[&str] = &["要点", "计划", "方案", "安排", "规划"];

/// Types whose title year is the year reviewed.
pub const SUMMARY_TYPES: &[&str] = &["总结"];

static DOC_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    static_regex(
        r"(?P<code>[\p{Han}A-Za-z]{1,16}?)[〔\[【(﹝〖{〘](?P<y>[0-9]{4})[〕\]】)﹞〗}〙]第?(?P<n>[0-9]{1,5})号",
    )
});
static SIGNER: LazyLock<Regex> =
    LazyLock::new(|| static_regex(r"签发人[:：]?(?P<name>[\p{Han}·]{2,8})"));
static OWN_DOC_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    static_regex(
        r"^(?P<code>[\p{Han}A-Za-z]{1,16}?)[〔\[【(﹝〖{〘](?P<y>[0-9]{4})[〕\]】)﹞〗}〙]第?(?P<n>[0-9]{1,5})号(?:签发人[:：]?[\p{Han}·]{2,8}(?:[,，、][\p{Han}·]{2,8})*)?$",
    )
});
static ATTACHMENT_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    static_regex(r"^附(?:件|表)(?P<n>[0-9]{1,2}|[一二三四五六七八九十]{1,3})?[:：.．]?$")
});
static TITLE_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    static_regex(
        r"(?P<y>[0-9]{4}|[〇○零O0一二三四五六七八九]{4})(?:年度|年)(?P<rest>[^,，。;；]{0,30})",
    )
});

/// Whether `line` has a number of characters in `range`. A character is one to four bytes,
/// so a line's length in bytes already settles most lines (a paragraph is never a title,
/// whatever it says) and only the rest are counted: the structure passes ask this of every
/// line, several times.
pub fn char_count_in(line: &str, range: std::ops::RangeInclusive<usize>) -> bool {
    let (min, max) = (*range.start(), *range.end());
    if line.len() < min || line.len() / 4 > max {
        return false;
    }
    range.contains(&line.chars().count())
}

/// A year as a title writes it: 「2025」 or 「二〇二五」 (also with ○ or 零 for 〇).
fn year_value(y: &str) -> Option<i32> {
    if y.bytes().all(|b| b.is_ascii_digit()) {
        return y.parse().ok();
    }
    let folded = y.replace(super::dates::is_odd_zero, "〇");
    super::numerals::cn_value(&folded).and_then(|v| i32::try_from(v).ok())
}

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

/// The document's own 发文字号: a normalised line that is only a 发文字号 (and the 签发人),
/// not one cited in a sentence.
pub fn find_own_doc_number(line: &str) -> Option<FoundDocNumber> {
    if !OWN_DOC_NUMBER.is_match(line) {
        return None;
    }
    find_doc_number(line)
}

/// 「附件」「附件2」「附表1」 on a line of its own: the label above an attachment.
pub fn is_attachment_label(line: &str) -> bool {
    // asked of most lines: those not starting with 附 skip the regex
    line.starts_with('附') && ATTACHMENT_LABEL.is_match(line)
}

/// The number of an attachment label (0 when it has none).
pub fn attachment_number(line: &str) -> u32 {
    ATTACHMENT_LABEL
        .captures(line)
        .and_then(|c| c.name("n"))
        .and_then(|m| super::numerals::count_value(m.as_str()))
        .unwrap_or(0)
}

/// 发文机关标志: 「…文件」 at the top of the file.
pub fn is_agency_mark(line: &str) -> bool {
    line.ends_with("文件") && char_count_in(line, 4..=40) && !ends_with_terminal(line)
}

/// 份号 (six digits), 密级 (绝密/机密/秘密, with ★ and a term), 紧急程度 (特急/加急).
pub fn is_header_mark(line: &str) -> bool {
    (line.len() == 6 && line.bytes().all(|b| b.is_ascii_digit()))
        || ["绝密", "机密", "秘密"]
            .iter()
            .any(|m| line == *m || line.starts_with(&format!("{m}★")))
        || matches!(line, "特急" | "加急" | "特提" | "平急")
}

/// A line that belongs to a 版头: agency mark, marks, the 发文字号 or the 签发人.
pub fn is_header_line(line: &str) -> bool {
    is_agency_mark(line)
        || is_header_mark(line)
        || find_own_doc_number(line).is_some()
        || (line.starts_with("签发人") && line.chars().count() <= 30)
        || line
            .chars()
            .all(|c| matches!(c, '━' | '─' | '—' | '-' | '＝' | '=' | '_' | '★'))
}

/// 拟稿 / 校对 / 核稿 line of the 版记.
pub fn is_drafter_line(line: &str) -> bool {
    (line.starts_with("拟稿")
        || line.contains("校对:")
        || line.starts_with("校对")
        || line.starts_with("核稿"))
        && line.chars().count() <= 60
}

/// 抄送 / 抄报 / 分送 / 发送 lines of the 版记, and 「共印N份」.
pub fn is_copy_to_line(line: &str) -> bool {
    [
        "抄送:",
        "抄报:",
        "报:",
        "送:",
        "报送:",
        "分送:",
        "发送:",
        "主送:",
        "抄送：",
        "抄报：",
        "分送：",
    ]
    .iter()
    .any(|p| line.starts_with(p))
        || (line.starts_with("(共印") || line.starts_with("共印")) && line.ends_with(['份', ')'])
}

/// 主送机关: a line ending in a colon, naming recipients, not a sentence.
pub fn is_addressee(line: &str) -> bool {
    line.ends_with([':', '：'])
        && char_count_in(line, 2..=120)
        && !line.contains(['。', ';', '；'])
        && !line.starts_with("附件")
        && !is_attachment_note(line)
        && !introduces_what_follows(line)
}

/// The body's first sentence, not a list of recipients: 「现就有关事项通告如下：」
/// 「为进一步规范管理，特制定以下规定：」.
fn introduces_what_follows(line: &str) -> bool {
    const OPENERS: [&str; 9] = [
        "根据",
        "按照",
        "依据",
        "依照",
        "为了",
        "现将",
        "现就",
        "经研究",
        "经审议",
    ];
    const PURPOSE: [&str; 12] = [
        "进一步",
        "加强",
        "切实",
        "深入",
        "贯彻",
        "做好",
        "推进",
        "规范",
        "保障",
        "促进",
        "全面",
        "落实",
    ];
    let body = line.trim_end_matches([':', '：']);
    OPENERS.iter().any(|o| line.starts_with(o))
        || line
            .strip_prefix('为')
            .is_some_and(|r| PURPOSE.iter().any(|p| r.starts_with(p)))
        || body.ends_with("如下")
        || ["以下", "下列", "特制定", "特作出", "特此"]
            .iter()
            .any(|w| body.contains(w))
}

/// 附件说明: 「附件：…」 (also 「附件1.…」 right after the body).
pub fn is_attachment_note(line: &str) -> bool {
    let Some(rest) = line.strip_prefix("附件") else {
        return false;
    };
    let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let after = &rest[digits..];
    let sep = if digits > 0 {
        [':', '：', '.', '．'].as_slice()
    } else {
        [':', '：'].as_slice()
    };
    after.starts_with(sep) && after.chars().count() > 1
}

/// The attachment name of a 附件说明 line (「附件：1.培训日程」 → 「培训日程」), as an original
/// byte range inside `part`.
pub fn attachment_item(text: &str, part: &Part, first: bool) -> Option<Range<usize>> {
    let line = text.get(part.span.clone())?;
    let mut rest = line;
    if first {
        // 「附件：…」「附件1：…」「附件1.…」
        rest = rest.strip_prefix("附件")?;
        rest = rest.trim_start_matches(|c: char| c.is_ascii_digit());
        rest = rest.strip_prefix([':', '：', '.', '．'])?;
    }
    rest = rest.trim_start();
    if let Some(m) = super::outline::parse_marker(rest) {
        rest = rest[m.len..].trim_start();
    }
    let name = rest.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '。' | '；' | ';'));
    if name.is_empty() {
        return None;
    }
    // `rest` (and `name`, its prefix) is a suffix of `line`
    let start = part.span.start + (line.len() - rest.len());
    Some(start..start + name.len())
}

/// A note after the 成文日期: 「（此件公开发布）」「（联系人：…）」, a 附注.
pub fn is_annotation(line: &str) -> bool {
    let bracketed = (line.starts_with('(') || line.starts_with('（'))
        && (line.ends_with(')') || line.ends_with('）'));
    // 「（三）」 is an outline marker or a table cell, not a note
    (bracketed && char_count_in(line, 6..=120) && super::outline::parse_marker(line).is_none())
        || (line.starts_with("附注") && char_count_in(line, 0..=120))
}

/// An organisation's name, as a 署名 is: it ends with what organisations are called.
pub fn is_organisation(line: &str) -> bool {
    const ENDINGS: &[&str] = &[
        "委员会",
        "办事处",
        "办公室",
        "办公厅",
        "中心",
        "公司",
        "集团",
        "学校",
        "支部",
        "协会",
        "小组",
        "工会",
        "政府",
        "局",
        "委",
        "会",
        "院",
        "办",
        "部",
        "厅",
        "处",
        "室",
        "府",
        "司",
        "队",
        "所",
        "站",
        "馆",
        "社",
        "校",
        "党组",
        "总支",
        "团",
    ];
    char_count_in(line, 3..=40)
        && ENDINGS.iter().any(|e| line.ends_with(e))
        && is_signature_like(line)
}

/// Document types that are signed (署名 and 成文日期 expected).
pub fn is_signed_type(t: &str) -> bool {
    matches!(
        t,
        "通知" | "通报" | "意见" | "决定" | "请示" | "报告" | "函" | "批复" | "复函"
    )
}

/// The signer's name range in a normalised line.
pub fn find_signer(line: &str) -> Option<Range<usize>> {
    SIGNER.captures(line)?.name("name").map(|m| m.range())
}

/// The document type a (normalised) title ends with.
pub fn title_doc_type(title: &str) -> Option<&'static str> {
    let t = title.trim_end_matches(['》', '”', '"', ')', '）']);
    let t = strip_title_suffix(t);
    doc_type_suffix(t).map(|(_, kind)| *kind)
}

/// The first [`DOC_TYPES`] entry `t` ends with. Asked of most lines of a draft: the entries
/// whose last character is not `t`'s are passed over without comparing their bytes.
fn doc_type_suffix(t: &str) -> Option<&'static (&'static str, &'static str)> {
    static LAST_CHARS: LazyLock<Vec<Option<char>>> = LazyLock::new(|| {
        DOC_TYPES
            .iter()
            .map(|(s, _)| s.chars().next_back())
            .collect()
    });
    let last = t.chars().next_back()?;
    DOC_TYPES
        .iter()
        .zip(LAST_CHARS.iter())
        .find(|((suffix, _), &c)| c == Some(last) && t.ends_with(suffix))
        .map(|(entry, _)| entry)
}

/// 「…的通知（试行）」「…办法(2024年修订)」: a bracketed qualifier after the type.
fn strip_title_suffix(t: &str) -> &str {
    for (open, close) in [('（', '）'), ('(', ')')] {
        if let Some(inner) = t.strip_suffix(close) {
            if let Some(at) = inner.rfind(open) {
                if inner[at..].chars().count() <= 12 {
                    return &inner[..at];
                }
            }
        }
    }
    t
}

/// The title a 印发/转发/发布 notice issues: 「关于印发《车辆使用管理办法》的通知」 →
/// 「车辆使用管理办法」.
pub fn issued_title(title: &str) -> Option<&str> {
    if !["印发", "转发", "发布", "颁布", "公布"]
        .iter()
        .any(|w| title.contains(w))
    {
        return None;
    }
    let open = title.find('《')?;
    let inner = &title[open + '《'.len_utf8()..];
    let close = inner.find('》')?;
    let t = &inner[..close];
    (t.chars().count() >= 4).then_some(t)
}

/// Kinds dated under their title, not at their end: 纪要 and 简报 (issuer and date under
/// the title), 公报 (issuer and date on lines of their own), 决议 and 决定 (a 题注
/// 「（2024年1月12日…会议通过）」).
pub fn is_dated_in_head(doc_type: &str) -> bool {
    matches!(doc_type, "纪要" | "简报" | "公报" | "决议" | "决定")
}

/// A 题注: 「（2024年1月12日梅岭区第六届人民代表大会第三次会议通过）」, a bracketed line that
/// ends with what was done to the document on that date.
pub fn is_headnote(line: &str) -> bool {
    let inner = line
        .strip_prefix(['(', '（'])
        .and_then(|l| l.strip_suffix([')', '）']));
    inner.is_some_and(|t| {
        ["通过", "批准", "发布", "公布", "修正", "修订"]
            .iter()
            .any(|w| t.ends_with(w))
            && t.chars().count() <= 80
    })
}

/// A notice that issues documents it names without 《》: 「关于印发…两个规定的通知」.
pub fn is_issuing_title(title: &str) -> bool {
    ["印发", "转发", "发布", "颁布"]
        .iter()
        .any(|w| title.contains(w))
        && !title.contains('《')
        && title_doc_type(title) == Some("通知")
}

/// Whether `line` (a title's joined lines) names one of the documents a notice issues
/// without 《》: 「关于印发甲地区考核办法和乙项目管理规定的通知」 issues 「甲地区考核办法」
/// and 「乙项目管理规定」. The text before the line's type (at least six characters, 的
/// dropped) must stand in the notice's title.
pub fn named_in_issuing_title(line: &str, notice_title: &str) -> bool {
    let t = strip_title_suffix(line);
    let Some((suffix, _)) = doc_type_suffix(t) else {
        return false;
    };
    let stem = t[..t.len() - suffix.len()].trim_end_matches('的');
    stem.chars().count() >= 6 && notice_title.contains(stem)
}

/// Whether a normalised line is the title of the document a notice issues (the line may
/// add the issuer before it: 「远航集团有限公司车辆使用管理办法」 for 《车辆使用管理办法》).
pub fn names_issued(line: &str, issued: &str) -> bool {
    let line = line.trim_start_matches('《').trim_end_matches('》');
    line.ends_with(issued)
        && line.chars().count() <= issued.chars().count() + 20
        && is_title_fragment(line)
        || (line.chars().count() > 40 && line == issued)
}

/// One line of a title: short, no sentence punctuation inside.
pub fn is_title_fragment(line: &str) -> bool {
    if line.len() < 2 || line.len() / 4 > 40 {
        return false; // fewer than 2 or more than 40 characters
    }
    // one walk over the characters (asked of most lines of a draft): 2 to 40 of them, no
    // sentence end, and no colon among the first six (「拟稿：…」「附件：…」: a label)
    let mut count = 0;
    for c in line.chars() {
        let colon = c == ':' || c == '：';
        if (colon && count < 6) || matches!(c, '。' | ';' | '；' | '!' | '！' | '?' | '？') {
            return false;
        }
        count += 1;
        if count > 40 {
            return false;
        }
    }
    count >= 2 && !line.ends_with(['，', ',', '、'])
}

/// Whether a normalised line reads like a document title wherever it stands.
pub fn is_title_like(line: &str) -> bool {
    if !char_count_in(line, 5..=80) || ends_with_terminal(line) {
        return false;
    }
    let Some(kind) = title_doc_type(line) else {
        return false;
    };
    if line.starts_with("关于")
        || (line.contains("关于") && STATUTORY_TYPES.iter().any(|t| kind.ends_with(t)))
    {
        return true;
    }
    // 「2018年工会工作要点」「…2024年安全生产工作计划」: a year and a plan-like type
    let has_year = TITLE_YEAR.is_match(line);
    has_year
        && (PLAN_TYPES.iter().any(|t| kind.ends_with(t))
            || SUMMARY_TYPES.iter().any(|t| kind.ends_with(t))
            || kind.ends_with("意见")
            || kind == "汇编")
}

/// Whether a normalised line (or lines joined) reads like a title at a title position:
/// the top of the file, under the 版头, after a 目录.
pub fn is_title_at_start(line: &str) -> bool {
    char_count_in(line, 4..=80) && !ends_with_terminal(line) && title_doc_type(line).is_some()
}

/// The years a title names, from one search of it ([`TITLE_YEAR`]).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct NamedYears {
    /// The first year named: 「2025年…」「2024年度…」.
    pub title: Option<i32>,
    /// The year of the plan it names: 「2018年工会工作要点」, 「关于印发《2018年…计划》的通知」.
    pub plan: Option<i32>,
    /// The year a summary reviews: 「2024年工作总结」「2024年度…总结」 (not half-year ones).
    pub summary: Option<i32>,
}

/// The years `title` names. Most titles name none: those without a 年 skip the regex.
pub fn named_years(title: &str) -> NamedYears {
    let mut years = NamedYears::default();
    if !title.contains('年') {
        return years;
    }
    for (k, c) in TITLE_YEAR.captures_iter(title).enumerate() {
        let year = c.name("y").and_then(|y| year_value(y.as_str()));
        let rest = c.name("rest").map_or("", |m| m.as_str());
        if k == 0 {
            years.title = year;
            let half = ["上半年", "下半年", "季度", "月"]
                .iter()
                .any(|w| rest.contains(w));
            if SUMMARY_TYPES.iter().any(|t| rest.ends_with(t)) && !half {
                years.summary = year;
            }
        }
        let named = rest.split(['》', '”', '"']).next().unwrap_or(rest);
        let named = named.strip_suffix("的通知").unwrap_or(named);
        if PLAN_TYPES.iter().any(|p| named.ends_with(p)) {
            years.plan = year;
            break;
        }
    }
    years
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
    // 「国务院办公厅&sp;」: a web page's entity after the name is residue, not text
    let line = strip_html_entities(line);
    char_count_in(line, 2..=60)
        && !ends_with_terminal(line)
        && !line.contains(['。', ',', ';', '，', '；'])
        && !line.starts_with(|c: char| c.is_ascii_digit())
}

/// The line without trailing HTML entities (「&nbsp;」「&sp;」), which web pages leave after
/// names (reported by `html-entity-residue`).
fn strip_html_entities(line: &str) -> &str {
    let mut t = line.trim_end();
    while let Some(body) = t.strip_suffix(';') {
        match body.rfind('&') {
            Some(at)
                if body.len() - at <= 8
                    && body[at + 1..]
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '#') =>
            {
                t = body[..at].trim_end();
            }
            _ => break,
        }
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_with_web_residue_after_it_is_still_a_signature() {
        assert!(is_signature_like("东湖区人民政府办公室&nbsp;&nbsp;"));
        assert!(is_signature_like("东湖区人民政府办公室&sp;"));
        assert!(!is_signature_like("东湖区人民政府办公室；"));
    }

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
            named_years("关于印发《2018年工会工作要点》的通知").plan,
            Some(2018)
        );
        assert_eq!(named_years("南湖县2024年安全生产工作计划").plan, Some(2024));
        assert_eq!(
            named_years("关于开展2020年“安康杯”竞赛活动的通知").plan,
            None
        );
        assert_eq!(find_signer("签发人:周立新").map(|r| r.len()), Some(9));
    }

    /// The three years come from one search: the first year named, the year of a plan
    /// type after any year, the year of a summary after the first (not half a year).
    #[test]
    fn named_years_of_titles() {
        let years = |title: &str| {
            let y = named_years(title);
            (y.title, y.plan, y.summary)
        };
        assert_eq!(
            years("某县2025年度安全生产工作总结"),
            (Some(2025), None, Some(2025))
        );
        assert_eq!(years("某局2023年上半年工作总结"), (Some(2023), None, None));
        assert_eq!(years("二〇二四年工作要点"), (Some(2024), Some(2024), None));
        assert_eq!(
            years("2019年度工作回顾，2020年工作安排"),
            (Some(2019), Some(2020), None)
        );
        assert_eq!(years("关于做好防汛工作的通知"), (None, None, None));
    }
}
