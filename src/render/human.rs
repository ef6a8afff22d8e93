//! The human report: codespan-reporting snippets (file:line:col, the line, carets under
//! the span — aligned under double-width characters — and the fix as a note).

use super::Report;
use crate::diagnostic::{Applicability, Severity};
use crate::rules::spec::SpecError;
use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, Config};

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
    let file = SimpleFile::new(report.doc.path.as_str(), report.doc.text.as_str());
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
            notes.push(format!("help（{kind}）: {}", fix.message));
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
                    doc.path, p.line, p.column
                ),
            );
            Vec::new()
        };
        let cs = head
            .with_code(d.rule.as_str())
            .with_message(&*d.message)
            .with_labels(labels)
            .with_notes(notes);
        match term::emit_into_string(&config, &file, &cs) {
            Ok(s) => emit(&s)?,
            Err(_) => emit(&format!(
                "{}: {}[{}]: {}\n",
                report.doc.path, d.severity, d.rule, d.message
            ))?,
        }
    }
    Ok(())
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
