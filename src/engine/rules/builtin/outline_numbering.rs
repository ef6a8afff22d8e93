//! Outline numbering: `skipped-outline-number`, `repeated-outline-number`,
//! `wrong-outline-start`, `mixed-outline-delimiter`, `mixed-outline-style`,
//! `misplaced-outline-level`, `glued-list-item`. The analysis is `document::numbering` (run once per
//! document); each rule reports the findings of its kind.

use crate::diagnostic::{Applicability, Edit, Findings, Fix};
use crate::document::numbering::Fault;
use crate::document::Document;
use crate::rules::{Check, RuleMeta};

pub struct OutlineCheck {
    fault: Fault,
}

fn build(fault: Fault, value: &serde_yaml::Value) -> Result<Box<dyn Check>, String> {
    if !value.is_null() {
        return Err("this rule takes no params".into());
    }
    Ok(Box::new(OutlineCheck { fault }))
}

pub fn build_skipped(v: &serde_yaml::Value) -> Result<Box<dyn Check>, String> {
    build(Fault::Skipped, v)
}
pub fn build_repeated(v: &serde_yaml::Value) -> Result<Box<dyn Check>, String> {
    build(Fault::Repeated, v)
}
pub fn build_wrong_start(v: &serde_yaml::Value) -> Result<Box<dyn Check>, String> {
    build(Fault::WrongStart, v)
}
pub fn build_mixed_delimiter(v: &serde_yaml::Value) -> Result<Box<dyn Check>, String> {
    build(Fault::MixedDelimiter, v)
}
pub fn build_mixed_style(v: &serde_yaml::Value) -> Result<Box<dyn Check>, String> {
    build(Fault::MixedStyle, v)
}
pub fn build_glued(v: &serde_yaml::Value) -> Result<Box<dyn Check>, String> {
    build(Fault::Glued, v)
}
pub fn build_misplaced(v: &serde_yaml::Value) -> Result<Box<dyn Check>, String> {
    build(Fault::Misplaced, v)
}

impl Check for OutlineCheck {
    fn offers_fixes(&self) -> bool {
        matches!(
            self.fault,
            Fault::MixedDelimiter | Fault::Misplaced | Fault::Glued
        )
    }

    fn check(&self, doc: &Document, meta: &RuleMeta, out: &mut Findings) {
        // a glued item moves to a line of its own, ended like the document's lines
        let line_break = crate::source::line_ending(&doc.text);
        for f in doc.structure().numbering() {
            if f.fault == self.fault {
                let matched = doc.text.get(f.span.clone()).unwrap_or("");
                // renumbering one heading of a gap or a repeat would shift the problem to
                // the next one; a delimiter or a level is fixed by rewriting the marker
                let fix = match self.fault {
                    Fault::MixedDelimiter | Fault::Misplaced => Some(Fix {
                        applicability: Applicability::Unsafe,
                        message: if f.also.is_empty() {
                            format!("改为「{}」", f.expected).into()
                        } else {
                            format!("本层{}个序号一并改为「{}」式", f.also.len() + 1, f.expected)
                                .into()
                        },
                        edits: std::iter::once((&f.span, &f.expected))
                            .chain(f.also.iter().map(|(r, e)| (r, e)))
                            .map(|(range, e)| Edit {
                                range: range.clone(),
                                replacement: e.clone().into(),
                            })
                            .collect(),
                    }),
                    // a line break before the marker (spaces between are dropped)
                    Fault::Glued => {
                        let before = &doc.text[..f.span.start];
                        let start = before.trim_end_matches([' ', '\u{3000}', '\t']).len();
                        Some(Fix {
                            applicability: Applicability::Unsafe,
                            message: format!("在「{}」前换行", f.expected).into(),
                            edits: vec![Edit {
                                range: start..f.span.start,
                                replacement: line_break.into(),
                            }],
                        })
                    }
                    _ => None,
                };
                out.push(meta.diagnostic(f.span.clone(), matched, Some(&f.expected), fix));
            }
        }
    }
}
