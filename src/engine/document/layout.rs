//! Layout labels: what each line of a 公文 is, decided before any rule runs.
//!
//! The first pass ([`shapes`]) labels what can be told from the shape of the lines alone:
//! blank lines, tables (cells separated by tabs or runs of spaces, and tables flattened to
//! one cell per line), name and role lists, page furniture (「— 3 —」「第3页」), Markdown
//! structure and newspaper bylines. The parts pass of [`super::structure`] then labels the
//! 版头, titles, 主送, 附件说明, 署名, 成文日期, 附注, attachments and 版记 among the lines
//! still labelled [`LineKind::Prose`]. Rules read the labels instead of guessing from raw
//! lines: a hard wrap is only ever looked for in prose, an outline only in prose and headings.

/// What a line is. One byte a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[repr(u8)]
pub enum LineKind {
    #[default]
    Blank,
    /// Running text (a paragraph, or one line of a paragraph).
    Prose,
    /// An outline heading: a prose line that starts with 一、 （一） 1. （1） ① 第X条 ….
    Heading,
    /// 版头: 发文机关标志 (「…文件」).
    AgencyMark,
    /// 版头: 份号, 密级和保密期限, 紧急程度.
    HeaderMark,
    /// 版头: 发文字号 (with or without the 签发人 on the same line).
    DocNumber,
    /// 版头: 签发人 on a line of its own.
    Signer,
    /// 标题 (1–3 lines), of the document, a contained document or an attachment.
    Title,
    /// 主送机关.
    Addressee,
    /// 附件说明 (「附件：1.…」 and its continuation lines).
    AttachmentNote,
    /// 发文机关署名.
    Signature,
    /// 成文日期.
    SigningDate,
    /// 附注 and notes after the date: （此件公开发布） （联系人：…）.
    Annotation,
    /// 「附件」「附件2」: the label above an attachment.
    AttachmentLabel,
    /// 版记: 抄送, 印发机关和印发日期, 拟稿 / 校对, 分送.
    Colophon,
    /// A table row: cells separated by tabs or by runs of spaces.
    TableRow,
    /// One cell of a table flattened to one cell per line.
    TableCell,
    /// Name and role lists: 「出席：…」「组　长：…」 and the aligned names under them.
    NameList,
    /// Page numbers and running heads left by PDF extraction: 「— 3 —」「第3页 共5页」.
    PageFurniture,
    /// The 「目录」 line.
    TocHeading,
    /// An entry of a 目录.
    TocEntry,
    /// Markdown heading (`# …`).
    MdHeading,
    /// Markdown bullet list item (`- …`, `* …`).
    MdListItem,
    /// Markdown fenced code block (fences included), table row, block quote or rule.
    MdBlock,
    /// Newspaper furniture: byline (本报记者 …), photo credit, 「（新华社…电）」.
    Byline,
    /// Text that is not part of the document: an AI assistant's preamble or closing offer
    /// (「以下是为您起草的通知：」), the controls of a web page (「【返回顶部】」).
    Residue,
}

impl LineKind {
    pub const ALL: [LineKind; 26] = [
        LineKind::Blank,
        LineKind::Prose,
        LineKind::Heading,
        LineKind::AgencyMark,
        LineKind::HeaderMark,
        LineKind::DocNumber,
        LineKind::Signer,
        LineKind::Title,
        LineKind::Addressee,
        LineKind::AttachmentNote,
        LineKind::Signature,
        LineKind::SigningDate,
        LineKind::Annotation,
        LineKind::AttachmentLabel,
        LineKind::Colophon,
        LineKind::TableRow,
        LineKind::TableCell,
        LineKind::NameList,
        LineKind::PageFurniture,
        LineKind::TocHeading,
        LineKind::TocEntry,
        LineKind::MdHeading,
        LineKind::MdListItem,
        LineKind::MdBlock,
        LineKind::Byline,
        LineKind::Residue,
    ];

    /// The id rule files use (`skip_lines: [table-row, name-list]`).
    pub fn id(self) -> &'static str {
        match self {
            LineKind::Blank => "blank",
            LineKind::Prose => "prose",
            LineKind::Heading => "heading",
            LineKind::AgencyMark => "agency-mark",
            LineKind::HeaderMark => "header-mark",
            LineKind::DocNumber => "doc-number",
            LineKind::Signer => "signer",
            LineKind::Title => "title",
            LineKind::Addressee => "addressee",
            LineKind::AttachmentNote => "attachment-note",
            LineKind::Signature => "signature",
            LineKind::SigningDate => "signing-date",
            LineKind::Annotation => "annotation",
            LineKind::AttachmentLabel => "attachment-label",
            LineKind::Colophon => "colophon",
            LineKind::TableRow => "table-row",
            LineKind::TableCell => "table-cell",
            LineKind::NameList => "name-list",
            LineKind::PageFurniture => "page-furniture",
            LineKind::TocHeading => "toc-heading",
            LineKind::TocEntry => "toc-entry",
            LineKind::MdHeading => "md-heading",
            LineKind::MdListItem => "md-list",
            LineKind::MdBlock => "md-block",
            LineKind::Byline => "byline",
            LineKind::Residue => "residue",
        }
    }

    pub fn from_id(id: &str) -> Option<LineKind> {
        LineKind::ALL.iter().copied().find(|k| k.id() == id)
    }

    /// The label `gwlint debug structure` prints.
    pub fn as_str(self) -> &'static str {
        match self {
            LineKind::Blank => "blank",
            LineKind::Prose => "prose",
            LineKind::Heading => "heading",
            LineKind::AgencyMark => "发文机关标志",
            LineKind::HeaderMark => "份号/密级/紧急程度",
            LineKind::DocNumber => "发文字号",
            LineKind::Signer => "签发人",
            LineKind::Title => "标题",
            LineKind::Addressee => "主送",
            LineKind::AttachmentNote => "附件说明",
            LineKind::Signature => "署名",
            LineKind::SigningDate => "成文日期",
            LineKind::Annotation => "附注",
            LineKind::AttachmentLabel => "附件",
            LineKind::Colophon => "版记",
            LineKind::TableRow => "table-row",
            LineKind::TableCell => "table-cell",
            LineKind::NameList => "name-list",
            LineKind::PageFurniture => "page-furniture",
            LineKind::TocHeading => "目录",
            LineKind::TocEntry => "toc-entry",
            LineKind::MdHeading => "md-heading",
            LineKind::MdListItem => "md-list",
            LineKind::MdBlock => "md-block",
            LineKind::Byline => "byline",
            LineKind::Residue => "残留",
        }
    }

    /// Running text a sentence can continue across: prose and headings.
    pub fn is_text(self) -> bool {
        matches!(self, LineKind::Prose | LineKind::Heading)
    }

    /// Tables, lists and furniture: text laid out in cells, not sentences.
    pub fn is_tabular(self) -> bool {
        matches!(
            self,
            LineKind::TableRow | LineKind::TableCell | LineKind::NameList
        )
    }
}

/// One line as the shape pass sees it: the original text (without the line break) and the
/// normalised text (spaces removed, full-width ASCII folded).
pub struct ShapeLine<'a> {
    pub original: &'a str,
    pub compact: &'a str,
}

/// Label every line by its shape; lines that are none of the shapes are [`LineKind::Prose`].
pub fn shapes(lines: &[ShapeLine<'_>], markdown: bool) -> Vec<LineKind> {
    let mut kinds: Vec<LineKind> = lines
        .iter()
        .map(|l| {
            if l.compact.is_empty() {
                LineKind::Blank
            } else {
                LineKind::Prose
            }
        })
        .collect();
    if markdown {
        markdown_blocks(lines, &mut kinds);
    }
    for (i, l) in lines.iter().enumerate() {
        if kinds[i] != LineKind::Prose {
            continue;
        }
        if is_page_furniture(l.compact) {
            kinds[i] = LineKind::PageFurniture;
        } else if is_residue(l.compact) {
            kinds[i] = LineKind::Residue;
        } else if is_byline(l.compact) {
            kinds[i] = LineKind::Byline;
        } else if has_tab_cells(l.original) {
            kinds[i] = LineKind::TableRow;
        }
    }
    aligned_rows(lines, &mut kinds);
    name_lists(lines, &mut kinds);
    flattened_tables(lines, &mut kinds);
    kinds
}

fn markdown_blocks(lines: &[ShapeLine<'_>], kinds: &mut [LineKind]) {
    let mut fence: Option<&str> = None;
    for (i, l) in lines.iter().enumerate() {
        let t = l.original.trim_start();
        if let Some(f) = fence {
            kinds[i] = LineKind::MdBlock;
            if t.starts_with(f) {
                fence = None;
            }
            continue;
        }
        if t.starts_with("```") || t.starts_with("~~~") {
            fence = Some(&t[..3]);
            kinds[i] = LineKind::MdBlock;
        } else if kinds[i] == LineKind::Blank {
            continue;
        } else if t.starts_with('#') && t.trim_start_matches('#').starts_with([' ', '\t']) {
            kinds[i] = LineKind::MdHeading;
        } else if t.starts_with(['|', '>']) || is_md_rule(t) {
            kinds[i] = LineKind::MdBlock;
        } else if (t.starts_with("- ") || t.starts_with("* ") || t.starts_with("+ "))
            && !is_md_rule(t)
        {
            kinds[i] = LineKind::MdListItem;
        }
    }
}

fn is_md_rule(t: &str) -> bool {
    let t = t.trim();
    t.len() >= 3
        && ['-', '*', '_']
            .iter()
            .any(|&c| t.chars().all(|x| x == c || x == ' ') && t.starts_with(c))
}

/// 「— 3 —」「- 12 -」「第3页」「第 3 页 共 12 页」「3/12」: a page number on a line of its own.
pub fn is_page_furniture(compact: &str) -> bool {
    let dashes = |c: char| matches!(c, '-' | '—' | '–' | '－' | '─' | '―');
    let core = compact.trim_matches(dashes);
    let digits = |s: &str| !s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit());
    if core.len() < compact.len() && digits(core) {
        return true; // dashes on both sides or one: 「—3—」「-3」
    }
    if let Some(rest) = compact.strip_prefix('第') {
        if let Some((n, tail)) = rest.split_once('页') {
            let tail = tail.trim_start_matches([',', '，', '/']);
            return digits(n)
                && (tail.is_empty()
                    || tail
                        .strip_prefix('共')
                        .and_then(|t| t.strip_suffix('页'))
                        .is_some_and(digits));
        }
    }
    if compact.len() <= 9 {
        if let Some((a, b)) = compact.split_once('/') {
            return digits(a) && digits(b);
        }
    }
    false
}

/// Text around a draft that is not part of it: an AI assistant's preamble or closing offer
/// (「以下是为您起草的…：」「如需我根据实际情况调整…，请随时告诉我。」) and the controls of
/// the web page it was copied from (「扫一扫在手机打开当前页」「【返回顶部】【关闭本页】」).
fn is_residue(compact: &str) -> bool {
    const WEB: &[&str] = &[
        "扫一扫在手机打开当前页",
        "【返回顶部】",
        "【关闭本页】",
        "【打印本页】",
        "【关闭窗口】",
        "【打印】",
        "关联稿件:",
        "相关链接:",
    ];
    // at most 80 characters (bounded in bytes first: the searches below never run over a
    // paragraph)
    compact.len() <= 4 * 80
        && (WEB.iter().any(|w| compact.starts_with(w))
            || (compact.starts_with("以下是")
                && (compact.contains("为您") || compact.contains("为你")))
            || compact.contains("随时告诉我")
            || compact.starts_with("如需我")
            || compact.starts_with("希望对您有")
            || compact.starts_with("希望以上")
            || compact.starts_with("如果您需要")
            || compact.starts_with("如您需要"))
        && compact.chars().count() <= 80
}

/// Newspaper furniture: 「本报记者 王某」「（记者 张某）」「图为…（摄）」「新华社北京3月5日电」.
fn is_byline(compact: &str) -> bool {
    compact.len() <= 4 * 40
        && (compact.starts_with("本报记者")
            || compact.starts_with("本报讯")
            || ((compact.starts_with('(') || compact.starts_with('（'))
                && (compact.contains("记者")
                    || compact.ends_with("摄)")
                    || compact.ends_with("摄）")))
            || (compact.contains("新华社")
                && compact.trim_end_matches([')', '）']).ends_with('电'))
            || (compact.starts_with("图为")
                && (compact.ends_with("摄") || compact.contains("摄影"))))
        && compact.chars().count() <= 40
}

/// The cells of a line: the text between interior gaps (a tab, two or more spaces, or a
/// full-width space). Leading indentation is not a gap.
pub fn cells(original: &str) -> Vec<&str> {
    let t = original.trim_matches(|c: char| c.is_whitespace() || c == '\u{FEFF}');
    if !has_interior_gap(t) {
        return vec![t]; // most lines: one cell, found without decoding a character
    }
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = t.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if !c.is_whitespace() {
            continue;
        }
        let mut end = i + c.len_utf8();
        let mut wide = c != ' ';
        while let Some(&(j, d)) = chars.peek() {
            if !d.is_whitespace() {
                break;
            }
            wide = true;
            end = j + d.len_utf8();
            chars.next();
        }
        if wide {
            out.push(&t[start..i]);
            start = end;
        }
    }
    out.push(&t[start..]);
    out
}

/// A tab, two spaces in a row, or a full-width or no-break space inside a trimmed line
/// (each found by a memchr-backed search: most lines have none).
fn has_interior_gap(t: &str) -> bool {
    static IDEOGRAPHIC_SPACE: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new("\u{3000}"));
    let b = t.as_bytes();
    // a tab, or the lead byte of U+00A0 (rare in Chinese text) followed by its second
    memchr::memchr2_iter(b'\t', 0xC2, b).any(|p| b[p] == b'\t' || b.get(p + 1) == Some(&0xA0))
        || memchr::memchr_iter(b' ', b).any(|p| b.get(p + 1) == Some(&b' '))
        || IDEOGRAPHIC_SPACE.find(b).is_some()
}

fn has_tab_cells(original: &str) -> bool {
    let t = original.trim();
    memchr::memchr(b'\t', t.as_bytes()).is_some() && cells(original).len() >= 2
}

fn ends_sentence(s: &str) -> bool {
    s.ends_with(['。', '；', ';', '！', '？', '!', '?'])
}

/// A cell of a table or an aligned list: short, not a sentence.
fn is_cell(s: &str) -> bool {
    super::parts::char_count_in(s, 1..=24) && !s.contains('。') && !ends_sentence(s)
}

/// Two or more consecutive lines whose interior gaps split them into short cells: a table
/// typed with spaces, or an aligned list (「控制项目      控制指标」).
fn aligned_rows(lines: &[ShapeLine<'_>], kinds: &mut [LineKind]) {
    let rows: Vec<bool> = lines
        .iter()
        .zip(kinds.iter())
        .map(|(l, k)| {
            *k == LineKind::Prose && has_interior_gap(l.original.trim()) && {
                let c = cells(l.original);
                // 「第一章　总则」「一、　总体要求」: a heading spaced after its marker
                let heading = c.first().is_some_and(|first| {
                    crate::document::outline::parse_marker(first)
                        .is_some_and(|m| m.len == first.len())
                });
                c.len() >= 2 && !heading && c.iter().all(|s| is_cell(s))
            }
        })
        .collect();
    let row = |i: usize, _: &[LineKind]| rows[i];
    let mut i = 0;
    while i < lines.len() {
        if !row(i, kinds) {
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i + 1;
        // rows may be separated by single blank lines (one paragraph per row in Word)
        loop {
            let next = (end..lines.len().min(end + 2)).find(|&j| kinds[j] != LineKind::Blank);
            match next {
                Some(j) if row(j, kinds) || kinds[j] == LineKind::TableRow => end = j + 1,
                _ => break,
            }
        }
        let rows = (start..end)
            .filter(|&j| kinds[j] != LineKind::Blank)
            .count();
        if rows >= 2 {
            for k in kinds.iter_mut().take(end).skip(start) {
                if *k == LineKind::Prose {
                    *k = LineKind::TableRow;
                }
            }
        }
        i = end;
    }
}

/// Role labels that open a name list (纪要 attendance, 领导小组 membership, contacts).
const ROLE_LABELS: &[&str] = &[
    "出席",
    "列席",
    "请假",
    "缺席",
    "主持",
    "记录",
    "参加",
    "参会",
    "出席人员",
    "列席人员",
    "参加人员",
    "参会人员",
    "组长",
    "副组长",
    "成员",
    "主任",
    "副主任",
    "委员",
    "顾问",
    "召集人",
    "联络员",
    "秘书长",
    "副秘书长",
    "办公室主任",
];

/// The role label that opens `compact` (「出席：」): the text before its first colon, when
/// that is one of [`ROLE_LABELS`]. Only the first few bytes are looked at.
fn role_label(compact: &str) -> Option<&'static str> {
    let longest = ROLE_LABELS.iter().map(|a| a.len()).max().unwrap_or(0);
    // room for the longest label and a full-width colon, cut back to a char boundary
    let mut head = compact.len().min(longest + '：'.len_utf8());
    while !compact.is_char_boundary(head) {
        head -= 1;
    }
    let colon = compact[..head].find([':', '：'])?;
    let label = &compact[..colon];
    ROLE_LABELS.iter().copied().find(|a| *a == label)
}

/// 「出席：张某、李某」「组　长：王某　局长」 and the lines of names aligned under them.
fn name_lists(lines: &[ShapeLine<'_>], kinds: &mut [LineKind]) {
    let mut in_list = false;
    for (i, l) in lines.iter().enumerate() {
        if !matches!(kinds[i], LineKind::Prose | LineKind::TableRow) {
            in_list = in_list && kinds[i] == LineKind::Blank;
            continue;
        }
        let c = l.compact;
        // the text before the first colon is a role label (labels hold no colon)
        let opens = role_label(c).is_some() && !c.contains('。');
        let names_only = || {
            cells(l.original)
                .iter()
                .all(|s| (2..=12).contains(&s.chars().count()) && !s.contains(['。', '，', ',']))
        };
        if opens || (in_list && !ends_sentence(c) && names_only()) {
            kinds[i] = LineKind::NameList;
            in_list = true;
        } else {
            in_list = false;
        }
    }
}

/// A table flattened to one cell per line (HTML tables converted to text): a run of at least
/// eight short lines that are not sentences, in which some cell values repeat or bare
/// numbers count the rows. Headings inside the run (「1.门诊人次数」) belong to the table;
/// a long cell (a sentence in a 说明 column) may interrupt the run up to three lines at a
/// time. The parts of a document around a table (附件说明, 署名, 成文日期, 附注, an
/// attachment's label and title) are never cells.
fn flattened_tables(lines: &[ShapeLine<'_>], kinds: &mut [LineKind]) {
    const MAX_LONG: usize = 3;
    let part_like = parts_of_a_document(lines);
    let cells: Vec<bool> = (0..lines.len())
        .map(|i| {
            kinds[i] == LineKind::Prose && {
                let c = lines[i].compact;
                c.len() <= 4 * 30
                    && c.chars().count() <= 30
                    && !c.contains('。')
                    && !ends_sentence(c)
                    && !c.ends_with([':', '：'])
                    && !part_like[i]
            }
        })
        .collect();
    let part_like = |i: usize| part_like[i];
    let cellish = |i: usize, _: &[LineKind]| cells[i];
    let mut i = 0;
    while i < lines.len() {
        if !cellish(i, kinds) {
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i;
        let mut long_run = 0;
        while end < lines.len() && kinds[end] != LineKind::Blank {
            if cellish(end, kinds) {
                long_run = 0;
            } else if kinds[end] == LineKind::Prose && long_run < MAX_LONG && !part_like(end) {
                long_run += 1;
            } else {
                break;
            }
            end += 1;
        }
        let end = end - long_run;
        for part in dense_parts(lines, start..end) {
            if part.len() >= 8 && looks_tabular(&lines[part.clone()]) {
                for k in &mut kinds[part] {
                    if *k == LineKind::Prose {
                        *k = LineKind::TableCell;
                    }
                }
            }
        }
        i = end.max(start + 1);
    }
}

/// The parts of a run where short cells (at most eight characters, not an outline heading:
/// 「定量」「通过」「12」) come at least every [`MAX_ANCHOR_GAP`] lines. Paragraphs of a
/// statistical bulletin between short headings run on too, but have no such cells.
fn dense_parts(
    lines: &[ShapeLine<'_>],
    run: std::ops::Range<usize>,
) -> Vec<std::ops::Range<usize>> {
    const MAX_ANCHOR_GAP: usize = 6;
    let anchor = |i: usize| {
        let c = lines[i].compact;
        c.chars().count() <= 8 && crate::document::outline::parse_marker(c).is_none()
    };
    let mut parts = Vec::new();
    let mut current: Option<(usize, usize)> = None; // first and last anchor
    for i in run.clone().filter(|&i| anchor(i)) {
        current = match current {
            Some((first, last)) if i - last <= MAX_ANCHOR_GAP => Some((first, i)),
            Some((first, last)) => {
                parts.push(first..last + 1);
                Some((i, i))
            }
            None => Some((i, i)),
        };
    }
    if let Some((first, last)) = current {
        parts.push(first..last + 1);
    }
    // up to two cells after the last anchor of a part (a row's 说明 cells) belong to it,
    // but not a heading or a paragraph
    for p in &mut parts {
        let limit = (p.end + 2).min(run.end);
        while p.end < limit {
            let c = lines[p.end].compact;
            if c.chars().count() > 80 || crate::document::outline::parse_marker(c).is_some() {
                break;
            }
            p.end += 1;
        }
    }
    parts
}

/// Lines that the parts pass claims (附件说明, an attachment's label and the line after it,
/// 附注, 成文日期 and the 署名 line above it), one pass each way.
fn parts_of_a_document(lines: &[ShapeLine<'_>]) -> Vec<bool> {
    let n = lines.len();
    let mut marks = vec![false; n];
    let mut prev_label = false;
    for (i, l) in lines.iter().enumerate() {
        let c = l.compact;
        if c.is_empty() {
            continue;
        }
        let label = super::parts::is_attachment_label(c);
        marks[i] = label
            || prev_label
            || super::parts::is_attachment_note(c)
            || super::parts::is_annotation(c)
            || is_date_line(c);
        prev_label = label;
    }
    let mut next_is_date = false;
    for i in (0..n).rev() {
        let c = lines[i].compact;
        if c.is_empty() {
            continue;
        }
        marks[i] |= next_is_date;
        next_is_date = is_date_line(c);
    }
    marks
}

/// A line that is only a date: 「2019年1月16日」「二〇一九年一月十六日」.
fn is_date_line(compact: &str) -> bool {
    let Some(body) = compact.strip_suffix('日') else {
        return false;
    };
    body.contains('年')
        && body.contains('月')
        && body.chars().count() <= 12
        && body
            .chars()
            .all(|c| c.is_ascii_digit() || "年月〇○零一二三四五六七八九十".contains(c))
}

/// Repeated short values (「通过」「定量」) or bare row numbers: the marks of a table.
fn looks_tabular(run: &[ShapeLine<'_>]) -> bool {
    let short: Vec<&str> = run
        .iter()
        .map(|l| l.compact)
        .filter(|c| c.chars().count() <= 8)
        .collect();
    let numbers = short
        .iter()
        .filter(|c| !c.is_empty() && c.bytes().all(|b| b.is_ascii_digit()))
        .count();
    let mut sorted = short.clone();
    sorted.sort_unstable();
    let repeats = sorted.windows(2).filter(|w| w[0] == w[1]).count();
    numbers >= 2 || repeats >= 2 || short.len() * 2 >= run.len() + 4
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str, markdown: bool) -> Vec<LineKind> {
        let compact: Vec<String> = text
            .lines()
            .map(|l| {
                l.chars()
                    .filter(|c| !crate::normalize::is_removed_space(*c))
                    .map(crate::normalize::fold_char)
                    .collect()
            })
            .collect();
        let lines: Vec<ShapeLine<'_>> = text
            .lines()
            .zip(&compact)
            .map(|(o, c)| ShapeLine {
                original: o,
                compact: c,
            })
            .collect();
        shapes(&lines, markdown)
    }

    #[test]
    fn page_furniture() {
        for yes in ["—3—", "-12-", "－4－", "第3页", "第3页共12页", "3/12", "—2"] {
            assert!(is_page_furniture(yes), "{yes}");
        }
        for no in ["2024年", "3", "第三条", "—", "1—2月", "第3页内容"] {
            assert!(!is_page_furniture(no), "{no}");
        }
    }

    #[test]
    fn cells_split_at_tabs_and_wide_gaps_only() {
        assert_eq!(cells("序号\t项目\t时限"), vec!["序号", "项目", "时限"]);
        assert_eq!(
            cells("　　控制项目      控制指标"),
            vec!["控制项目", "控制指标"]
        );
        assert_eq!(
            cells("中共某某县委 某某县人民政府"),
            vec!["中共某某县委 某某县人民政府"]
        );
        assert_eq!(
            cells("组　长：王某某　局长"),
            vec!["组", "长：王某某", "局长"]
        );
    }

    #[test]
    fn tables_lists_and_prose() {
        use LineKind::*;
        let text = "各科室：\n序号\t事项\t完成时间\n1\t修订制度\t3月\n\
                    一、工作安排\n领导小组组成如下：\n组　长：王某某　局长\n成　员：李某　张某\n　　　　　赵某某　钱某\n\
                    请各单位按时报送。\n";
        assert_eq!(
            kinds(text, false),
            vec![Prose, TableRow, TableRow, Prose, Prose, NameList, NameList, NameList, Prose]
        );
    }

    #[test]
    fn flattened_table_needs_repeats_or_row_numbers() {
        let table =
            "序号\n姓名\n单位\n结果\n1\n周某\n东区水务公司\n通过\n2\n吴某\n西区设计院\n通过\n";
        assert!(kinds(table, false)
            .iter()
            .all(|k| *k == LineKind::TableCell));
        // an outline of short headings is not a table
        let outline = "一、总体要求\n二、重点任务\n三、保障措施\n四、工作要求\n五、时间安排\n六、其他\n七、附则\n八、解释\n";
        assert!(kinds(outline, false).iter().all(|k| *k == LineKind::Prose));
    }

    #[test]
    fn markdown_only_in_markdown_files() {
        use LineKind::*;
        let text = "## 一、活动安排\n- 时间：周六\n```\n代码, 不查\n```\n> 引文\n正文。\n";
        assert_eq!(
            kinds(text, true),
            vec![MdHeading, MdListItem, MdBlock, MdBlock, MdBlock, MdBlock, Prose]
        );
        assert_eq!(kinds(text, false)[0], Prose);
    }
}
