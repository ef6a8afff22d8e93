//! JUnit XML, for CI systems that show test reports: one `<testsuite>` per file, one
//! failing `<testcase>` per diagnostic, and one passing test case for a clean file.

use super::Report;

/// Escape text for XML attributes and content (also drops characters XML 1.0 forbids).
pub fn escape_xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

pub fn render(reports: &[Report<'_>]) -> String {
    let mut out = Vec::new();
    let _ = write(reports, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// [`render`], written to `w` test case by test case.
pub fn write(reports: &[Report<'_>], w: &mut dyn std::io::Write) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut buf = std::io::BufWriter::new(w);
    let total: usize = reports.iter().map(|r| r.diagnostics.len().max(1)).sum();
    let failures: usize = reports.iter().map(|r| r.diagnostics.len()).sum();
    write!(
        buf,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"gwlint\" tests=\"{total}\" failures=\"{failures}\" errors=\"0\">\n"
    )?;
    for r in reports {
        let path = escape_xml(&r.doc.path);
        writeln!(
            buf,
            "  <testsuite name=\"{path}\" tests=\"{}\" failures=\"{}\" errors=\"0\">",
            r.diagnostics.len().max(1),
            r.diagnostics.len()
        )?;
        if r.diagnostics.is_empty() {
            writeln!(
                buf,
                "    <testcase name=\"gwlint\" classname=\"{path}\" file=\"{path}\"/>"
            )?;
        }
        for d in r.diagnostics {
            let p = r.doc.lines.position(&r.doc.text, d.span.start);
            let message = escape_xml(&d.message);
            write!(
                buf,
                "    <testcase name=\"{rule} {line}:{col}\" classname=\"{path}\" file=\"{path}\" line=\"{line}\">\n      <failure message=\"{message}\" type=\"{rule}\">{path}:{line}:{col}: {sev}[{rule}] {message}</failure>\n    </testcase>\n",
                rule = escape_xml(&d.rule),
                line = p.line,
                col = p.column,
                sev = d.severity,
            )?;
        }
        buf.write_all(b"  </testsuite>\n")?;
    }
    buf.write_all(b"</testsuites>\n")?;
    buf.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_control_characters() {
        assert_eq!(
            escape_xml("<a & \"b\">\u{1}"),
            "&lt;a &amp; &quot;b&quot;&gt;"
        );
    }
}
