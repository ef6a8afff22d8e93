//! JSON Lines: one diagnostic per line, each exactly the object of the JSON contract
//! ([`super::json::DiagnosticJson`]). Streams well into `jq`, log shippers and CI.

use super::Report;
use std::io::Write;

pub fn render(reports: &[Report<'_>]) -> String {
    let mut out = Vec::new();
    let _ = write(reports, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// [`render`], written to `w` line by line as it is produced.
pub fn write(reports: &[Report<'_>], w: &mut dyn Write) -> std::io::Result<()> {
    let mut buf = std::io::BufWriter::new(w);
    for r in reports {
        for d in r.diagnostics {
            serde_json::to_writer(&mut buf, &super::json::DiagnosticJson::new(r.doc, d))?;
            buf.write_all(b"\n")?;
        }
    }
    buf.flush()
}
