//! SARIF 2.1.0, for GitHub code scanning and other SARIF viewers. One run; the rules that
//! fired are described in `tool.driver.rules` (title, docs, default level, category).
//! Columns are Unicode characters (`columnKind: unicodeCodePoints`), which is what
//! gwlint's columns are. Each result carries a `partialFingerprints` entry (the same
//! context hash the ignore file uses) so a viewer can track a finding across edits, and
//! its fix as a SARIF `fix`. A test validates the output against the official schema.

use super::Report;
use crate::diagnostic::Severity;
use crate::document::Document;
use crate::rules::RuleMeta;
use serde_json::{json, Value};
use std::collections::BTreeMap;

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A path as a relative URI reference: `/` separators, `./` dropped, and everything but
/// unreserved characters and `/` percent-encoded (Chinese file names become `%E9%80%9A…`).
/// Absolute paths become `file://` URIs.
pub fn path_to_uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let path = path.strip_prefix("./").unwrap_or(&path);
    let mut out = String::new();
    let absolute = path.starts_with('/');
    if absolute {
        out.push_str("file://");
    }
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn region(doc: &Document, range: &std::ops::Range<usize>) -> Value {
    let s = doc.lines.position(&doc.text, range.start);
    let e = doc.lines.position(&doc.text, range.end);
    json!({
        "startLine": s.line, "startColumn": s.column,
        "endLine": e.line, "endColumn": e.column,
    })
}

/// Render all reports as one SARIF log. `rules` supplies the metadata of the rules that
/// fired (rules not found there are still reported, just without a description).
pub fn render(reports: &[Report<'_>], rules: &[&RuleMeta]) -> String {
    let mut out = Vec::new();
    let _ = write(reports, rules, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// [`render`], written to `w` as it is produced: each result is built and serialised in
/// turn, never the whole log as one tree of values (that took about 23 KB per finding).
pub fn write(
    reports: &[Report<'_>],
    rules: &[&RuleMeta],
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let by_id: BTreeMap<&str, &RuleMeta> = rules.iter().map(|m| (m.id.as_str(), *m)).collect();
    let mut fired: Vec<&str> = reports
        .iter()
        .flat_map(|r| r.diagnostics.iter().map(|d| d.rule.as_str()))
        .collect();
    fired.sort_unstable();
    fired.dedup();
    let index: BTreeMap<&str, usize> = fired.iter().enumerate().map(|(i, r)| (*r, i)).collect();
    let descriptors: Vec<Value> = fired
        .iter()
        .map(|id| match by_id.get(id) {
            Some(m) => json!({
                "id": m.id,
                "shortDescription": {"text": m.title},
                "fullDescription": {"text": m.title},
                "help": {"text": m.docs, "markdown": m.docs},
                "defaultConfiguration": {"level": level(m.severity)},
                "properties": {"category": m.category.as_str(), "tags": [m.category.as_str()]},
            }),
            None => json!({"id": id}),
        })
        .collect();
    // keys in the order a JSON object map sorts them, as before streaming
    let log = Log {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        runs: [Run {
            column_kind: "unicodeCodePoints",
            results: Results {
                reports,
                index: &index,
            },
            tool: json!({"driver": {
                "name": "gwlint",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": descriptors,
            }}),
        }],
        version: "2.1.0",
    };
    let mut buf = std::io::BufWriter::new(w);
    serde_json::to_writer_pretty(&mut buf, &log).map_err(std::io::Error::other)?;
    std::io::Write::write_all(&mut buf, b"\n")?;
    std::io::Write::flush(&mut buf)
}

#[derive(serde::Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    runs: [Run<'a>; 1],
    version: &'static str,
}

#[derive(serde::Serialize)]
struct Run<'a> {
    #[serde(rename = "columnKind")]
    column_kind: &'static str,
    results: Results<'a>,
    tool: Value,
}

/// The results, serialised one at a time.
struct Results<'a> {
    reports: &'a [Report<'a>],
    index: &'a BTreeMap<&'a str, usize>,
}

impl serde::Serialize for Results<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.reports.iter().flat_map(|r| {
            let uri = path_to_uri(&r.doc.path);
            r.diagnostics
                .iter()
                .map(move |d| result(r.doc, &uri, d, self.index))
        }))
    }
}

fn result(
    doc: &Document,
    uri: &str,
    d: &crate::diagnostic::Diagnostic,
    index: &BTreeMap<&str, usize>,
) -> Value {
    let mut result = json!({
        "ruleId": d.rule,
        "ruleIndex": index.get(d.rule.as_str()).copied().unwrap_or(0),
        "level": level(d.severity),
        "message": {"text": d.message},
        "locations": [{
            "physicalLocation": {
                "artifactLocation": {"uri": uri},
                "region": region(doc, &d.span),
            }
        }],
        "partialFingerprints": {
            "gwlintContextHash/v1": crate::suppress::context_hash(&doc.text, &d.rule, &d.span),
        },
    });
    if let (Some(fix), Some(obj)) = (&d.fix, result.as_object_mut()) {
        let replacements: Vec<Value> = fix
            .edits
            .iter()
            .map(|e| {
                json!({
                    "deletedRegion": region(doc, &e.range),
                    "insertedContent": {"text": e.replacement},
                })
            })
            .collect();
        obj.insert(
            "fixes".into(),
            json!([{
                "description": {"text": fix.message},
                "artifactChanges": [{
                    "artifactLocation": {"uri": uri},
                    "replacements": replacements,
                }],
                "properties": {"applicability": fix.applicability.as_str()},
            }]),
        );
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_percent_encoded_and_relative() {
        assert_eq!(path_to_uri("./稿/a b.txt"), "%E7%A8%BF/a%20b.txt");
        assert_eq!(path_to_uri("/tmp/x.txt"), "file:///tmp/x.txt");
        assert_eq!(path_to_uri("dir\\x.md"), "dir/x.md");
    }
}
