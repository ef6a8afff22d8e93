//! The human report: codespan-reporting snippets (file:line:col, the line, carets under
//! the span — aligned under double-width characters — and the fix as a note).

use super::Report;
use crate::diagnostic::{Applicability, Severity};
use crate::rules::spec::SpecError;
use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label};
use codespan_reporting::files::{Error as FilesError, Files, SimpleFile};
use codespan_reporting::term::{self, Config};
use std::ops::Range;

/// Lines longer than this (in bytes) are not printed under a diagnostic: the location
/// alone is shown, so a 10 MB line with many findings does not print 10 MB per finding.
pub const MAX_SNIPPET_LINE_BYTES: usize = 2000;

/// Render one document's diagnostics (plain text, no colour).
pub fn render(report: &Report<'_>) -> String {
    let mut out = String::new();
    let _ = render_each(report, |s| {
        out.push_str(s);
        Ok::<(), std::convert::Infallible>(())
    });
    out
}

/// Render one document's diagnostics one at a time, handing each to `emit` (the CLI
/// writes them straight to stdout). Stops at the first error `emit` returns.
pub fn render_each<E>(
    report: &Report<'_>,
    mut emit: impl FnMut(&str) -> Result<(), E>,
) -> Result<(), E> {
    let file = DocumentFile::new(report.doc);
    let config = Config::default();
    for d in report.diagnostics {
        let head = match d.severity {
            Severity::Error => CsDiagnostic::error(),
            Severity::Warning => CsDiagnostic::warning(),
            Severity::Info => CsDiagnostic::note(),
        };
        let mut notes = Vec::new();
        if let Some(fix) = &d.fix {
            let kind = match fix.applicability {
                Applicability::Safe => "可自动修复",
                Applicability::Unsafe => "需人工确认的修复",
            };
            notes.push(format!(
                "help（{kind}）: {}",
                super::escape_controls(&fix.message)
            ));
        }
        let doc = report.doc;
        let first = doc.lines.line_of(d.span.start);
        let last = doc.lines.line_of(d.span.end);
        let widest = (first..=last)
            .map(|l| doc.lines.line_range(&doc.text, l).len())
            .max()
            .unwrap_or(0);
        let labels = if widest <= MAX_SNIPPET_LINE_BYTES {
            vec![Label::primary((), d.span.clone())]
        } else {
            let p = doc.lines.position(&doc.text, d.span.start);
            notes.insert(
                0,
                format!(
                    "at {}:{}:{} (line too long to show)",
                    file.name, p.line, p.column
                ),
            );
            Vec::new()
        };
        let cs = head
            .with_code(d.rule.as_str())
            .with_message(super::escape_controls(&d.message))
            .with_labels(labels)
            .with_notes(notes);
        match term::emit_into_string(&config, &file, &cs) {
            Ok(s) => emit(&s)?,
            Err(_) => emit(&format!(
                "{}: {}[{}]: {}\n",
                file.name,
                d.severity,
                d.rule,
                super::escape_controls(&d.message)
            ))?,
        }
    }
    Ok(())
}

/// codespan-reporting's view of a document, answered from the document's own
/// [`crate::source::LineIndex`] (a `SimpleFile` would build a second index of every line:
/// 17 MB for a 200 MB file). Terminal controls in the name and the text are shown as
/// escapes / masked (the text keeps its byte offsets; it is copied only when it has any).
struct DocumentFile<'a> {
    doc: &'a crate::document::Document,
    name: std::borrow::Cow<'a, str>,
    source: std::borrow::Cow<'a, str>,
}

impl<'a> DocumentFile<'a> {
    fn new(doc: &'a crate::document::Document) -> DocumentFile<'a> {
        DocumentFile {
            doc,
            name: super::escape_controls(&doc.path),
            source: super::mask_controls(&doc.text),
        }
    }
}

impl DocumentFile<'_> {
    /// Like `SimpleFile`: the start of line `line`; the end of the text for the line after
    /// the last.
    fn line_start(&self, line: usize) -> Result<usize, FilesError> {
        let count = self.doc.lines.line_count();
        match line.cmp(&count) {
            std::cmp::Ordering::Less => Ok(self.doc.lines.line_range(&self.doc.text, line).start),
            std::cmp::Ordering::Equal => Ok(self.doc.text.len()),
            std::cmp::Ordering::Greater => Err(FilesError::LineTooLarge {
                given: line,
                max: count.saturating_sub(1),
            }),
        }
    }
}

impl<'a> Files<'a> for DocumentFile<'a> {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, (): ()) -> Result<&'a str, FilesError> {
        Ok(&self.name)
    }

    fn source(&'a self, (): ()) -> Result<&'a str, FilesError> {
        Ok(&self.source)
    }

    fn line_index(&'a self, (): (), byte_index: usize) -> Result<usize, FilesError> {
        Ok(self.doc.lines.line_of(byte_index))
    }

    fn line_range(&'a self, (): (), line_index: usize) -> Result<Range<usize>, FilesError> {
        Ok(self.line_start(line_index)?..self.line_start(line_index + 1)?)
    }
}

/// The closing summary line.
pub fn summary(problems: usize, files: usize, fixable: usize) -> String {
    if problems == 0 {
        return format!("未发现问题（检查了 {files} 个文件）。\n");
    }
    let mut s = format!("共 {problems} 处问题，涉及 {files} 个文件");
    if fixable > 0 {
        s.push_str(&format!("（其中 {fixable} 处可用 --fix 自动修复）"));
    }
    s.push_str("。\n");
    s
}

/// A rule-file or config-file error, pointing at its line and column.
pub fn render_spec_error(err: &SpecError) -> String {
    if err.source.is_empty() {
        return format!("error: {err}\n");
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
    term::emit_into_string(&Config::default(), &file, &cs)
        .unwrap_or_else(|_| format!("error: {err}\n"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Document;

    #[test]
    fn document_file_renders_like_simple_file() {
        let text = "关于印发《工作要点》的通知\r\n\r\n一、总体要求,加强学习\n二、重点工作\n最后一行没有换行";
        let doc = Document::from_text("t.txt", text);
        let simple = SimpleFile::new("t.txt", text);
        let ours = DocumentFile::new(&doc);
        let at = |s: &str| text.find(s).unwrap();
        let spans = [
            0..3,
            at(",")..at(",") + 1,
            at("加强")..at("二、") + 3, // over a line break
            at("最后")..text.len(),
            text.len()..text.len(),
            at("\r\n")..at("\r\n") + 2,
        ];
        for span in spans {
            let cs = CsDiagnostic::warning()
                .with_message("m")
                .with_labels(vec![Label::primary((), span.clone())]);
            let config = Config::default();
            let want = term::emit_into_string(&config, &simple, &cs).unwrap();
            let got = term::emit_into_string(&config, &ours, &cs).unwrap();
            assert_eq!(got, want, "{span:?}");
        }
        assert!(ours.line_range((), doc.lines.line_count() + 1).is_err());
    }
}
