//! GitHub Actions workflow commands: one `::error file=…,line=…,col=…::message` line per
//! diagnostic (`warning` and `notice` for the other severities), which GitHub shows as
//! annotations on the pull request. Values are escaped as the Actions toolkit does.

use super::Report;
use crate::diagnostic::Severity;

/// `%`, `\r`, `\n` in a message; other terminal controls as `\u{…}` escapes (the Actions
/// log is shown in a terminal-like view).
fn escape_data(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c if super::is_terminal_control(c) => out.push_str(&c.escape_unicode().to_string()),
            c => out.push(c),
        }
    }
    out
}

/// Also `:` and `,` in a property value.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn render(reports: &[Report<'_>]) -> String {
    let mut out = Vec::new();
    let _ = write(reports, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// [`render`], written to `w` annotation by annotation.
pub fn write(reports: &[Report<'_>], w: &mut dyn std::io::Write) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut buf = std::io::BufWriter::new(w);
    for r in reports {
        let file = escape_property(r.doc.path.strip_prefix("./").unwrap_or(&r.doc.path));
        for d in r.diagnostics {
            let start = r.doc.lines.position(&r.doc.text, d.span.start);
            let end = r.doc.lines.position(&r.doc.text, d.span.end);
            let level = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            buf.write_all(
                format!(
                    "::{level} file={file},line={},endLine={},col={},endColumn={},title={}::{}\n",
                    start.line,
                    end.line,
                    start.column,
                    end.column,
                    escape_property(&format!("gwlint {}", d.rule)),
                    escape_data(&format!("{} [{}]", d.message, d.rule)),
                )
                .as_bytes(),
            )?;
        }
    }
    buf.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_the_toolkit() {
        assert_eq!(escape_data("50%\r\nx"), "50%25%0D%0Ax");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }
}
