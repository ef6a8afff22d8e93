//! The human report: codespan-reporting snippets (file:line:col, a window of the line
//! around the span, carets under the span — aligned under double-width characters — and
//! the fix as a note), the one-line `concise` format, and the closing summary. Labels are
//! Chinese (错误 / 警告 / 提示 / 建议); colour is optional ANSI.

use super::Report;
use crate::diagnostic::{Applicability, Diagnostic, Severity};
use crate::document::Document;
use crate::rules::spec::SpecError;
use codespan_reporting::diagnostic::{
    Diagnostic as CsDiagnostic, Label, LabelStyle, Severity as CsSeverity,
};
use codespan_reporting::files::{Error as FilesError, Files, Location, SimpleFile};
use codespan_reporting::term::{self, Config, GeneralWriteResult, WriteStyle};
use std::ops::Range;

/// How many characters of the line are shown on each side of a finding's span (and at
/// each end of a span longer than twice this); the cut is marked with `…`.
pub const CONTEXT_CHARS: usize = 40;

/// At most this many lines of a span over several lines are shown; a note says where
/// the span ends.
pub const MAX_SNIPPET_LINES: usize = 4;

/// How the human and concise reports are drawn.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HumanOptions {
    /// ANSI colours (a terminal; `--color`).
    pub color: bool,
}

/// The label a reader sees for a severity.
pub fn severity_label(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "错误",
        Severity::Warning => "警告",
        Severity::Info => "提示",
    }
}

/// Render one document's diagnostics (plain text, no colour).
pub fn render(report: &Report<'_>) -> String {
    render_with(report, HumanOptions::default())
}

/// Render one document's diagnostics with `options`.
pub fn render_with(report: &Report<'_>, options: HumanOptions) -> String {
    let mut out = String::new();
    let _ = render_each(report, options, |s| {
        out.push_str(s);
        Ok::<(), std::convert::Infallible>(())
    });
    out
}

/// Render one document's diagnostics one at a time, handing each to `emit` (the CLI
/// writes them straight to its output). Stops at the first error `emit` returns.
pub fn render_each<E>(
    report: &Report<'_>,
    options: HumanOptions,
    mut emit: impl FnMut(&str) -> Result<(), E>,
) -> Result<(), E> {
    let config = Config::default();
    for d in report.diagnostics {
        let window = Window::new(report.doc, d.span.clone());
        let mut notes = Vec::new();
        if let Some(fix) = &d.fix {
            let kind = match fix.applicability {
                Applicability::Safe => "可自动修复",
                Applicability::Unsafe => "需人工确认的修复",
            };
            notes.push(format!(
                "建议（{kind}）：{}",
                super::escape_controls(&fix.message)
            ));
        }
        if let Some(line) = window.continues_to {
            notes.push(format!("（问题范围一直延续到第 {line} 行）"));
        }
        let head = match d.severity {
            Severity::Error => CsDiagnostic::error(),
            Severity::Warning => CsDiagnostic::warning(),
            Severity::Info => CsDiagnostic::note(),
        };
        let cs = head
            .with_code(d.rule.as_str())
            .with_message(super::escape_controls(&d.message))
            .with_labels(vec![Label::primary((), window.label.clone())])
            .with_notes(notes);
        let mut writer = StyledWriter::new(options.color);
        match term::emit_to_write_style(&mut writer, &config, &window, &cs) {
            Ok(()) => emit(&writer.into_string())?,
            Err(_) => emit(&concise_line(report.doc, d, options))?,
        }
    }
    Ok(())
}

/// `--output-format concise`: one line per finding,
/// `path:line:col: 级别[rule] message`.
pub fn render_concise_each<E>(
    report: &Report<'_>,
    options: HumanOptions,
    mut emit: impl FnMut(&str) -> Result<(), E>,
) -> Result<(), E> {
    for d in report.diagnostics {
        emit(&concise_line(report.doc, d, options))?;
    }
    Ok(())
}

/// All of one document's findings in the concise format.
pub fn render_concise(report: &Report<'_>, options: HumanOptions) -> String {
    let mut out = String::new();
    let _ = render_concise_each(report, options, |s| {
        out.push_str(s);
        Ok::<(), std::convert::Infallible>(())
    });
    out
}

fn concise_line(doc: &Document, d: &Diagnostic, options: HumanOptions) -> String {
    let p = doc.lines.position(&doc.text, d.span.start);
    let label = severity_label(d.severity);
    if options.color {
        format!(
            "{BOLD}{}:{}:{}:{RESET} {}{label}[{}]{RESET} {}\n",
            super::escape_controls(&doc.path),
            p.line,
            p.column,
            ansi_of(d.severity),
            d.rule,
            super::escape_controls(&d.message)
        )
    } else {
        format!(
            "{}:{}:{}: {label}[{}] {}\n",
            super::escape_controls(&doc.path),
            p.line,
            p.column,
            d.rule,
            super::escape_controls(&d.message)
        )
    }
}

/// What codespan-reporting is shown of a document for one finding: the lines of the
/// span, each cut to a window around the span (see [`CONTEXT_CHARS`]), with the real line
/// numbers and the real position of the span's start. Building it reads only the
/// characters it keeps, so a 10 MB line costs no more than a short one.
struct Window<'a> {
    path: std::borrow::Cow<'a, str>,
    /// The shown lines, joined with `\n`.
    text: String,
    /// Where each shown line starts in `text`.
    line_starts: Vec<usize>,
    /// The 0-based document line of the first shown line.
    first_line: usize,
    /// The span's start in the document (line and column, 1-based).
    start: Location,
    /// The span in `text`.
    label: Range<usize>,
    /// The 1-based line where the span ends, when it goes past the last shown line.
    continues_to: Option<usize>,
}

impl<'a> Window<'a> {
    fn new(doc: &'a Document, span: Range<usize>) -> Window<'a> {
        let text = doc.text.as_str();
        let start = floor_boundary(text, span.start);
        let end = floor_boundary(text, span.end).max(start);
        let first = doc.lines.line_of(start);
        let last_real = doc.lines.line_of(end);
        let last = last_real.min(first + MAX_SNIPPET_LINES - 1);
        let position = doc.lines.position(text, start);
        let mut out = String::new();
        let mut line_starts = Vec::new();
        let mut label = 0..0;
        for line in first..=last {
            if line > first {
                out.push('\n');
            }
            line_starts.push(out.len());
            let content = content_range(doc, line);
            let cover_start = if line == first {
                start.clamp(content.start, content.end)
            } else {
                content.start
            };
            let cover_end = if line == last_real {
                end.clamp(cover_start, content.end)
            } else {
                content.end
            };
            let left = if line == first {
                chars_back(text, cover_start, CONTEXT_CHARS, content.start)
            } else {
                content.start
            };
            let right = if line == last_real {
                chars_forward(text, cover_end, CONTEXT_CHARS, content.end)
            } else if line == last {
                cover_end
            } else {
                content.end
            };
            if left > content.start {
                out.push('…');
            }
            out.push_str(&text[left..cover_start]);
            if line == first {
                label.start = out.len();
            }
            push_elided(&mut out, &text[cover_start..cover_end]);
            if line == last {
                label.end = out.len();
            }
            out.push_str(&text[cover_end..right]);
            if right < content.end {
                out.push('…');
            }
        }
        // terminal controls in the text are masked in place (byte offsets stay), in the name
        // shown as escapes
        let text = match super::mask_controls(&out) {
            std::borrow::Cow::Borrowed(_) => out,
            std::borrow::Cow::Owned(masked) => masked,
        };
        Window {
            path: super::escape_controls(&doc.path),
            text,
            line_starts,
            first_line: first,
            start: Location {
                line_number: position.line,
                column_number: position.column,
            },
            label,
            continues_to: (last_real > last).then_some(last_real + 1),
        }
    }

    fn line_start(&self, line: usize) -> Result<usize, FilesError> {
        match line.cmp(&self.line_starts.len()) {
            std::cmp::Ordering::Less => Ok(self.line_starts[line]),
            std::cmp::Ordering::Equal => Ok(self.text.len()),
            std::cmp::Ordering::Greater => Err(FilesError::LineTooLarge {
                given: line,
                max: self.line_starts.len().saturating_sub(1),
            }),
        }
    }
}

impl<'a> Files<'a> for Window<'a> {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, (): ()) -> Result<&'a str, FilesError> {
        Ok(&self.path)
    }

    fn source(&'a self, (): ()) -> Result<&'a str, FilesError> {
        Ok(&self.text)
    }

    fn line_index(&'a self, (): (), byte_index: usize) -> Result<usize, FilesError> {
        Ok(self
            .line_starts
            .partition_point(|&s| s <= byte_index)
            .saturating_sub(1))
    }

    fn line_range(&'a self, (): (), line_index: usize) -> Result<Range<usize>, FilesError> {
        Ok(self.line_start(line_index)?..self.line_start(line_index + 1)?)
    }

    fn line_number(&'a self, (): (), line_index: usize) -> Result<usize, FilesError> {
        Ok(self.first_line + line_index + 1)
    }

    /// The window holds one label, so every location asked for is its start, in the
    /// document's own lines and columns.
    fn location(&'a self, (): (), _byte_index: usize) -> Result<Location, FilesError> {
        Ok(self.start)
    }
}

/// The byte range of 0-based `line` without its line break (`\n` or `\r\n`).
fn content_range(doc: &Document, line: usize) -> Range<usize> {
    let range = doc.lines.line_range(&doc.text, line);
    let end = if doc.text[range.clone()].ends_with('\r') {
        range.end - 1
    } else {
        range.end
    };
    range.start..end
}

/// `at` moved back to a char boundary (and into the text).
fn floor_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The offset `n` characters before `from`, not before `floor`.
fn chars_back(text: &str, from: usize, n: usize, floor: usize) -> usize {
    text[floor..from]
        .char_indices()
        .rev()
        .take(n)
        .last()
        .map_or(from, |(i, _)| floor + i)
}

/// The offset `n` characters after `from`, not after `ceiling`.
fn chars_forward(text: &str, from: usize, n: usize, ceiling: usize) -> usize {
    text[from..ceiling]
        .char_indices()
        .nth(n)
        .map_or(ceiling, |(i, _)| from + i)
}

/// `covered` (the text under the carets), its middle replaced by `…` when it is longer
/// than twice [`CONTEXT_CHARS`].
fn push_elided(out: &mut String, covered: &str) {
    let head_end = chars_forward(covered, 0, CONTEXT_CHARS, covered.len());
    let tail_start = chars_back(covered, covered.len(), CONTEXT_CHARS, head_end);
    if tail_start > head_end && chars_forward(covered, head_end, 1, covered.len()) < tail_start {
        out.push_str(&covered[..head_end]);
        out.push('…');
        out.push_str(&covered[tail_start..]);
    } else {
        out.push_str(covered);
    }
}

const RESET: &str = "\x1b[0m";
const BOLD: &str = "\x1b[1m";
const BLUE: &str = "\x1b[1;34m";

fn ansi_of(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "\x1b[1;31m",
        Severity::Warning => "\x1b[1;33m",
        Severity::Info => "\x1b[1;36m",
    }
}

/// codespan-reporting's output with Chinese severity words and, when asked, ANSI colours.
/// The renderer writes the severity word right after `set_header`; that write is replaced.
struct StyledWriter {
    out: Vec<u8>,
    color: bool,
    header: Option<CsSeverity>,
}

impl StyledWriter {
    fn new(color: bool) -> StyledWriter {
        StyledWriter {
            out: Vec::new(),
            color,
            header: None,
        }
    }

    fn into_string(self) -> String {
        String::from_utf8_lossy(&self.out).into_owned()
    }

    fn style(&mut self, code: &str) -> GeneralWriteResult {
        if self.color {
            self.out.extend_from_slice(RESET.as_bytes());
            self.out.extend_from_slice(code.as_bytes());
        }
        Ok(())
    }
}

fn cs_ansi(severity: CsSeverity) -> &'static str {
    match severity {
        CsSeverity::Bug | CsSeverity::Error => ansi_of(Severity::Error),
        CsSeverity::Warning => ansi_of(Severity::Warning),
        CsSeverity::Note => ansi_of(Severity::Info),
        CsSeverity::Help => "\x1b[1;32m",
    }
}

impl std::io::Write for StyledWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let word = match self.header.take() {
            Some(CsSeverity::Bug | CsSeverity::Error) if buf == b"error" || buf == b"bug" => {
                Some(severity_label(Severity::Error))
            }
            Some(CsSeverity::Warning) if buf == b"warning" => {
                Some(severity_label(Severity::Warning))
            }
            Some(CsSeverity::Note) if buf == b"note" => Some(severity_label(Severity::Info)),
            Some(CsSeverity::Help) if buf == b"help" => Some("建议"),
            _ => None,
        };
        self.out
            .extend_from_slice(word.map_or(buf, |w| w.as_bytes()));
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl WriteStyle for StyledWriter {
    fn set_header(&mut self, severity: CsSeverity) -> GeneralWriteResult {
        self.header = Some(severity);
        self.style(cs_ansi(severity))
    }

    fn set_header_message(&mut self) -> GeneralWriteResult {
        self.style(BOLD)
    }

    fn set_line_number(&mut self) -> GeneralWriteResult {
        self.style(BLUE)
    }

    fn set_note_bullet(&mut self) -> GeneralWriteResult {
        self.style(BLUE)
    }

    fn set_source_border(&mut self) -> GeneralWriteResult {
        self.style(BLUE)
    }

    fn set_label(&mut self, severity: CsSeverity, style: LabelStyle) -> GeneralWriteResult {
        match style {
            LabelStyle::Primary => self.style(cs_ansi(severity)),
            LabelStyle::Secondary => self.style(BLUE),
        }
    }

    fn reset(&mut self) -> GeneralWriteResult {
        if self.color {
            self.out.extend_from_slice(RESET.as_bytes());
        }
        Ok(())
    }
}

/// The closing summary line: how many findings, how many `--fix` would fix, and how many
/// more `--fix --unsafe-fixes` would (those need proofreading).
pub fn summary(problems: usize, files: usize, safe: usize, unsafe_only: usize) -> String {
    if problems == 0 {
        return format!("未发现问题（检查了 {files} 个文件）。\n");
    }
    let mut s = format!("共 {problems} 处问题，涉及 {files} 个文件");
    match (safe, unsafe_only) {
        (0, 0) => {}
        (safe, 0) => s.push_str(&format!("（其中 {safe} 处可用 --fix 自动修复）")),
        (0, more) => s.push_str(&format!(
            "（其中 {more} 处可加 --fix --unsafe-fixes 修复，修复后需人工校对）"
        )),
        (safe, more) => s.push_str(&format!(
            "（其中 {safe} 处可用 --fix 自动修复，另有 {more} 处可加 --unsafe-fixes 修复，修复后需人工校对）"
        )),
    }
    s.push_str("。\n");
    s
}

/// A rule-file or config-file error, pointing at its line and column.
pub fn render_spec_error(err: &SpecError) -> String {
    if err.source.is_empty() {
        return format!("错误：{err}\n");
    }
    let file = SimpleFile::new(err.path.as_str(), err.source.as_str());
    let offset = err.offset();
    let end = err.source[offset..]
        .chars()
        .next()
        .map_or(offset, |c| offset + c.len_utf8());
    let cs = CsDiagnostic::error()
        .with_message(format!(
            "{}:{}:{}: {}",
            err.path, err.line, err.column, err.message
        ))
        .with_labels(vec![Label::primary((), offset..end)]);
    let mut writer = StyledWriter::new(false);
    match term::emit_to_write_style(&mut writer, &Config::default(), &file, &cs) {
        Ok(()) => writer.into_string(),
        Err(_) => format!("错误：{err}\n"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn window_text(text: &str, span: Range<usize>) -> (String, String, Option<usize>) {
        let doc = Document::from_text("t.txt", text);
        let w = Window::new(&doc, span);
        let under = w.text[w.label.clone()].to_string();
        (w.text, under, w.continues_to)
    }

    #[test]
    fn a_short_line_is_shown_whole() {
        let text = "一、总体要求,加强学习\r\n二、重点工作\n";
        let at = text.find(',').unwrap();
        let (shown, under, more) = window_text(text, at..at + 1);
        assert_eq!(shown, "一、总体要求,加强学习");
        assert_eq!(under, ",");
        assert_eq!(more, None);
    }

    #[test]
    fn a_long_line_is_cut_to_forty_characters_each_side() {
        let before = "甲".repeat(100);
        let after = "乙".repeat(100);
        let text = format!("{before}错字{after}\n");
        let at = before.len();
        let (shown, under, _) = window_text(&text, at..at + "错字".len());
        assert_eq!(under, "错字");
        assert_eq!(
            shown,
            format!("…{}错字{}…", "甲".repeat(40), "乙".repeat(40))
        );
    }

    #[test]
    fn a_long_span_keeps_its_ends() {
        let text = format!("前{}后\n", "字".repeat(200));
        let start = "前".len();
        let end = text.len() - "后\n".len();
        let (shown, under, _) = window_text(&text, start..end);
        assert_eq!(under, format!("{}…{}", "字".repeat(40), "字".repeat(40)));
        assert_eq!(shown, format!("前{under}后"));
    }

    #[test]
    fn a_span_over_many_lines_shows_the_first_ones_and_says_where_it_ends() {
        let text = "第一行\n第二行\n第三行\n第四行\n第五行\n第六行\n";
        let end = text.find("第六行").unwrap() + 3;
        let (shown, under, more) = window_text(text, 0..end);
        assert_eq!(shown, "第一行\n第二行\n第三行\n第四行");
        assert_eq!(under, shown);
        assert_eq!(more, Some(6));
    }

    #[test]
    fn a_span_over_a_line_break_is_kept_across_it() {
        let text = "上一行的末尾\r\n下一行开头\n";
        let start = text.find('\r').unwrap();
        let end = text.find('下').unwrap();
        let (shown, under, _) = window_text(text, start..end);
        assert_eq!(shown, "上一行的末尾\n下一行开头");
        assert_eq!(under, "\n");
    }

    #[test]
    fn labels_are_chinese_and_colour_is_optional() {
        let doc = Document::from_text("t.txt", "开展劳动竟赛。\n");
        let rules = crate::RuleSet::builtin().unwrap();
        let diagnostics = crate::check(&doc, &rules, &crate::Settings::default());
        let report = Report {
            doc: &doc,
            diagnostics: &diagnostics,
        };
        let plain = render(&report);
        assert!(plain.starts_with("警告[common-typo]"), "{plain}");
        assert!(!plain.contains('\x1b'));
        let colored = render_with(&report, HumanOptions { color: true });
        assert!(
            colored.contains("\x1b[1;33m警告[common-typo]"),
            "{colored:?}"
        );
        assert!(render_concise(&report, HumanOptions::default())
            .starts_with("t.txt:1:5: 警告[common-typo] "));
    }
}
