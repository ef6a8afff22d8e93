//! The JSON contract (stable; editors, CI and tests rely on it): one array, each element
//! `{"path","rule","category","severity","message","start","end","fix"}` where `start`/`end`
//! are `{"line","column","offset"}` (1-based line, 1-based column in characters, byte
//! offset in the decoded UTF-8 text, end exclusive) and `fix` is null or
//! `{"applicability","message","edits":[{"start","end","replacement"}]}` (byte offsets).

use super::Report;
use crate::diagnostic::Diagnostic;
use crate::document::Document;
use serde::Serialize;
use serde_json::Value;
use std::io::Write;

// The JSON element as derived `Serialize` types, fields in the order the contract has
// always printed them (alphabetical: the earlier `serde_json::Value` maps sorted their
// keys). Serialising these borrows from the diagnostic and allocates nothing per finding;
// building a `Value` and a map per finding was a quarter of a 10 MB run.

/// One finding as it appears in the JSON report.
#[derive(Serialize)]
pub struct DiagnosticJson<'a> {
    category: &'a str,
    end: PositionJson,
    fix: Option<FixJson<'a>>,
    message: &'a str,
    path: &'a str,
    rule: &'a str,
    severity: &'a str,
    start: PositionJson,
}

#[derive(Serialize)]
struct PositionJson {
    column: usize,
    line: usize,
    offset: usize,
}

#[derive(Serialize)]
struct FixJson<'a> {
    applicability: &'a str,
    edits: Vec<EditJson<'a>>,
    message: &'a str,
}

#[derive(Serialize)]
struct EditJson<'a> {
    end: usize,
    replacement: &'a str,
    start: usize,
}

impl<'a> DiagnosticJson<'a> {
    pub fn new(doc: &'a Document, d: &'a Diagnostic) -> DiagnosticJson<'a> {
        let pos = |offset: usize| {
            let p = doc.lines.position(&doc.text, offset);
            PositionJson {
                column: p.column,
                line: p.line,
                offset: p.offset,
            }
        };
        DiagnosticJson {
            category: d.category.as_str(),
            end: pos(d.span.end),
            fix: d.fix.as_ref().map(|f| FixJson {
                applicability: f.applicability.as_str(),
                edits: f
                    .edits
                    .iter()
                    .map(|e| EditJson {
                        end: e.range.end,
                        replacement: &e.replacement,
                        start: e.range.start,
                    })
                    .collect(),
                message: &f.message,
            }),
            message: &d.message,
            path: &doc.path,
            rule: d.rule.as_str(),
            severity: d.severity.as_str(),
            start: pos(d.span.start),
        }
    }
}

/// One finding as a JSON value (for the local web page's API, which wraps findings in a
/// larger object); the same fields as [`DiagnosticJson`].
pub fn diagnostic_value(doc: &Document, d: &Diagnostic) -> Value {
    serde_json::to_value(DiagnosticJson::new(doc, d)).unwrap_or(Value::Null)
}

/// All diagnostics as one lazily serialised array: each element is built and dropped in
/// turn (`collect_seq`), so a million diagnostics never exist at once.
/// The findings of `reports` in order, each with its document.
fn elements<'a>(reports: &'a [Report<'a>]) -> Vec<(&'a Document, &'a Diagnostic)> {
    reports
        .iter()
        .flat_map(|r| r.diagnostics.iter().map(|d| (r.doc, d)))
        .collect()
}

pub fn render(reports: &[Report<'_>]) -> String {
    let all = elements(reports);
    let mut s = serde_json::to_string_pretty(&Elements(&all)).unwrap_or_else(|_| "[]".into());
    s.push('\n');
    s
}

/// Findings rendered at a time: each batch is serialised in parallel, written, and dropped,
/// so the report is never held in memory whole.
const BATCH: usize = 8192;

/// Findings one worker serialises in turn.
const CHUNK: usize = 512;

/// Write the report: the same text as [`render`] (`serde_json`'s pretty printing of the
/// array), its elements serialised in parallel, a chunk of them by each worker
/// ([`push_element`]).
pub fn write(reports: &[Report<'_>], w: &mut dyn std::io::Write) -> std::io::Result<()> {
    use rayon::prelude::*;
    let mut buf = std::io::BufWriter::new(w);
    let all = elements(reports);
    if all.is_empty() {
        return buf.write_all(b"[]\n").and_then(|()| buf.flush());
    }
    buf.write_all(b"[")?;
    for (b, batch) in all.chunks(BATCH).enumerate() {
        let parts: Vec<Vec<u8>> = batch
            .par_chunks(CHUNK)
            .map(|chunk| {
                let mut part = Vec::with_capacity(chunk.len() * 512);
                for (k, (doc, d)) in chunk.iter().enumerate() {
                    if k > 0 {
                        part.push(b',');
                    }
                    push_element(&mut part, &DiagnosticJson::new(doc, d));
                }
                part
            })
            .collect();
        for (c, part) in parts.into_iter().enumerate() {
            if b > 0 || c > 0 {
                buf.write_all(b",")?;
            }
            buf.write_all(&part)?;
        }
    }
    buf.write_all(b"\n]\n")?;
    buf.flush()
}

/// One element of the array as serde_json's pretty printer prints it there (`\n  {` …
/// `\n  }`), written directly: the printer went through its indentation machinery for each
/// of the element's twenty-odd keys, most of the time of a large report. The strings and
/// numbers are still serde_json's; `render` (serde_json whole) is the oracle of the tests.
fn push_element(out: &mut Vec<u8>, e: &DiagnosticJson<'_>) {
    out.extend_from_slice(b"\n  {\n    \"category\": ");
    push_json(out, e.category);
    out.extend_from_slice(b",\n    \"end\": ");
    push_position(out, &e.end);
    out.extend_from_slice(b",\n    \"fix\": ");
    match &e.fix {
        None => out.extend_from_slice(b"null"),
        Some(fix) => push_fix(out, fix),
    }
    out.extend_from_slice(b",\n    \"message\": ");
    push_json(out, e.message);
    out.extend_from_slice(b",\n    \"path\": ");
    push_json(out, e.path);
    out.extend_from_slice(b",\n    \"rule\": ");
    push_json(out, e.rule);
    out.extend_from_slice(b",\n    \"severity\": ");
    push_json(out, e.severity);
    out.extend_from_slice(b",\n    \"start\": ");
    push_position(out, &e.start);
    out.extend_from_slice(b"\n  }");
}

fn push_position(out: &mut Vec<u8>, p: &PositionJson) {
    out.extend_from_slice(b"{\n      \"column\": ");
    push_json(out, &p.column);
    out.extend_from_slice(b",\n      \"line\": ");
    push_json(out, &p.line);
    out.extend_from_slice(b",\n      \"offset\": ");
    push_json(out, &p.offset);
    out.extend_from_slice(b"\n    }");
}

fn push_fix(out: &mut Vec<u8>, fix: &FixJson<'_>) {
    out.extend_from_slice(b"{\n      \"applicability\": ");
    push_json(out, fix.applicability);
    out.extend_from_slice(b",\n      \"edits\": ");
    if fix.edits.is_empty() {
        out.extend_from_slice(b"[]");
    } else {
        out.push(b'[');
        for (k, edit) in fix.edits.iter().enumerate() {
            if k > 0 {
                out.push(b',');
            }
            out.extend_from_slice(b"\n        {\n          \"end\": ");
            push_json(out, &edit.end);
            out.extend_from_slice(b",\n          \"replacement\": ");
            push_json(out, edit.replacement);
            out.extend_from_slice(b",\n          \"start\": ");
            push_json(out, &edit.start);
            out.extend_from_slice(b"\n        }");
        }
        out.extend_from_slice(b"\n      ]");
    }
    out.extend_from_slice(b",\n      \"message\": ");
    push_json(out, fix.message);
    out.extend_from_slice(b"\n    }");
}

/// A string or number as serde_json writes it (escapes, digits). Writing into a `Vec` does
/// not fail, nor does serialising a string or an integer.
fn push_json<T: Serialize + ?Sized>(out: &mut Vec<u8>, value: &T) {
    let _ = serde_json::to_writer(&mut *out, value);
}

/// Some of the report's elements, serialised as an array.
struct Elements<'a>(&'a [(&'a Document, &'a Diagnostic)]);

impl serde::Serialize for Elements<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(|(doc, d)| DiagnosticJson::new(doc, d)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Applicability, Category, Edit, Fix, Severity};

    #[test]
    fn every_shape_of_element_is_written_as_serde_json_prints_it() {
        let doc = Document::from_text(
            "目录/\"引号\"\\草稿.txt",
            "第一行\n\t第二行\r\n末行".to_owned(),
        );
        let diagnostic = |message: &str, fix: Option<Fix>| Diagnostic {
            rule: "some-rule".into(),
            category: Category::Punctuation,
            severity: Severity::Warning,
            message: message.into(),
            span: 3..10,
            fix,
        };
        let fix = |edits: Vec<Edit>| Fix {
            applicability: Applicability::Unsafe,
            message: "改为「\u{7}」".into(),
            edits,
        };
        let edit = |range: std::ops::Range<usize>, replacement: &str| Edit {
            range,
            replacement: replacement.into(),
        };
        let found = vec![
            diagnostic("没有修复", None),
            diagnostic("引号\"、反斜杠\\、换行\n与制表\t", Some(fix(Vec::new()))),
            diagnostic(
                "",
                Some(fix(vec![edit(0..1, ""), edit(4..6, "\u{1}\u{7f}😀")])),
            ),
        ];
        let reports = [Report {
            doc: &doc,
            diagnostics: &found,
        }];
        let mut written = Vec::new();
        write(&reports, &mut written).unwrap();
        assert_eq!(String::from_utf8(written).unwrap(), render(&reports));
    }

    #[test]
    fn written_in_parallel_as_serde_json_prints_it() {
        let rules = crate::rules::RuleSet::builtin().unwrap();
        let settings = crate::rules::Settings::default();
        let text =
            "关于做好防汛工作的通知\n各单位:\n　　请于2024年5月底前,上报\"情况\"。\n".repeat(3000);
        let doc = Document::from_text("甲.txt", text);
        let found = rules.check(&doc, &settings);
        assert!(found.len() > BATCH + CHUNK, "{} findings", found.len());
        let empty = Document::from_text("乙.txt", "通知".to_owned());
        for reports in [
            vec![Report {
                doc: &doc,
                diagnostics: &found,
            }],
            vec![
                Report {
                    doc: &empty,
                    diagnostics: &[],
                },
                Report {
                    doc: &doc,
                    diagnostics: &found[..3],
                },
            ],
            vec![Report {
                doc: &empty,
                diagnostics: &[],
            }],
            vec![],
        ] {
            let mut written = Vec::new();
            write(&reports, &mut written).unwrap();
            assert_eq!(String::from_utf8(written).unwrap(), render(&reports));
        }
    }
}
