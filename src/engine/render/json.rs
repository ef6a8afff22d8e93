//! The JSON contract (stable; editors, CI and tests rely on it): one array, each element
//! `{"path","rule","category","severity","message","start","end","fix"}` where `start`/`end`
//! are `{"line","column","offset"}` (1-based line, 1-based column in characters, byte
//! offset in the decoded UTF-8 text, end exclusive) and `fix` is null or
//! `{"applicability","message","edits":[{"start","end","replacement"}]}` (byte offsets).

use super::Report;
use crate::diagnostic::Diagnostic;
use crate::document::Document;
use serde_json::{json, Value};
use std::io::Write;

pub fn diagnostic_value(doc: &Document, d: &Diagnostic) -> Value {
    let pos = |offset: usize| {
        let p = doc.lines.position(&doc.text, offset);
        json!({"line": p.line, "column": p.column, "offset": p.offset})
    };
    let fix = d.fix.as_ref().map_or(Value::Null, |f| {
        json!({
            "applicability": f.applicability.as_str(),
            "message": f.message,
            "edits": f.edits.iter().map(|e| json!({
                "start": e.range.start, "end": e.range.end, "replacement": e.replacement
            })).collect::<Vec<_>>(),
        })
    });
    json!({
        "path": doc.path,
        "rule": d.rule,
        "category": d.category.as_str(),
        "severity": d.severity.as_str(),
        "message": d.message,
        "start": pos(d.span.start),
        "end": pos(d.span.end),
        "fix": fix,
    })
}

/// All diagnostics as one lazily serialised array: each element's `Value` is built and
/// dropped in turn (`collect_seq`), so a million diagnostics never exist as a tree of
/// `Value`s at once (that tree took about 5 KB per diagnostic).
struct All<'a>(&'a [Report<'a>]);

impl serde::Serialize for All<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(
            self.0
                .iter()
                .flat_map(|r| r.diagnostics.iter().map(|d| diagnostic_value(r.doc, d))),
        )
    }
}

/// The report as a pretty-printed JSON array (with a final newline).
pub fn render(reports: &[Report<'_>]) -> String {
    let mut s = serde_json::to_string_pretty(&All(reports)).unwrap_or_else(|_| "[]".into());
    s.push('\n');
    s
}

/// [`render`], written to `w` as it is produced.
pub fn write(reports: &[Report<'_>], w: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut buf = std::io::BufWriter::new(w);
    serde_json::to_writer_pretty(&mut buf, &All(reports)).map_err(std::io::Error::other)?;
    buf.write_all(b"\n")?;
    buf.flush()
}
