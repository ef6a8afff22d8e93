//! `attachment-mismatch`: the 附件说明 against the attachments that follow the document
//! (GB/T 9704-2012 7.3.6 and 8.2): an attachment listed but not attached, attached but
//! not listed, attached without any 附件说明, or attached under another name.
//!
//! Attachments are often sent as separate files: when none follows the document, the
//! 附件说明 is not checked at all.

use crate::diagnostic::Findings;
use crate::document::parts::Segment;
use crate::document::Document;
use crate::rules::{Check, RuleMeta};
use std::ops::Range;

pub struct AttachmentMismatch;

pub fn build(v: &serde_yaml::Value) -> Result<Box<dyn Check>, String> {
    if v.is_null() {
        Ok(Box::new(AttachmentMismatch))
    } else {
        Err("this rule takes no params".into())
    }
}

/// Letters, digits and Han only: 「2025年“双随机”清单」 and 「2025年双随机清单」 are one name.
fn key(text: &str) -> String {
    text.chars()
        .filter(|&c| crate::normalize::is_letter_or_digit(c))
        .map(crate::normalize::fold_char)
        .collect()
}

/// An attachment that follows the document: its number (0 unnumbered), its label's span,
/// its title's span.
struct Attached {
    number: u32,
    label: Range<usize>,
    title: Option<Range<usize>>,
}

impl Check for AttachmentMismatch {
    fn check(&self, doc: &Document, meta: &RuleMeta, out: &mut Findings) {
        let st = doc.structure();
        // the document whose 附件说明 the attachments answer: the last one before them that
        // has a 附件说明 (a notice that issues a plan lists the plan's attachments), else the
        // one right before them
        let mut noted: Option<usize> = None;
        let mut k = 0;
        while k < st.segments.len() {
            let here = k;
            let g = &st.segments[k];
            k += 1;
            if g.attachment.is_some() || g.title.is_none() {
                continue;
            }
            if g.attachment_note.is_some() {
                noted = Some(here);
            }
            if st.segments.get(k).is_none_or(|a| a.attachment.is_none()) {
                continue;
            }
            let g = &st.segments[noted.take().unwrap_or(here)];
            let attached: Vec<Attached> = st.segments[k..]
                .iter()
                .take_while(|a| a.attachment.is_some())
                .map(|a| Attached {
                    number: a.attachment.unwrap_or(0),
                    label: label_span(doc, &st.lines[a.lines.start].range()),
                    title: a.title.as_ref().map(|t| t.span.clone()),
                })
                .collect();
            if attached.is_empty() {
                continue;
            }
            self.compare(doc, g, &attached, meta, out);
        }
    }
}

impl AttachmentMismatch {
    fn compare(
        &self,
        doc: &Document,
        g: &Segment,
        attached: &[Attached],
        meta: &RuleMeta,
        out: &mut Findings,
    ) {
        let text = |r: &Range<usize>| doc.text.get(r.clone()).unwrap_or("");
        let mut push = |span: Range<usize>, sugg: String| {
            let matched = text(&span).to_owned();
            out.push(meta.diagnostic(span, &matched, Some(&sugg), None));
        };
        if g.attachment_items.is_empty() {
            // an attachment with a title (a bare 「附件：」 left by a web page is not one)
            if let (None, Some(first)) = (
                &g.attachment_note,
                attached.iter().find(|a| a.title.is_some()),
            ) {
                push(
                    first.label.clone(),
                    "文后附有附件，正文后却没有附件说明（「附件：…」）".into(),
                );
            }
            return;
        }
        let single = g.attachment_items.len() == 1 && attached.len() == 1;
        let numbers: Vec<String> = attached.iter().map(|a| a.number.to_string()).collect();
        for (i, item) in g.attachment_items.iter().enumerate() {
            let n = i as u32 + 1;
            let found = attached.iter().find(|a| a.number == n || single);
            match found {
                None => push(
                    item.clone(),
                    format!(
                        "附件说明列了附件{n}，文后没有（文后的附件：{}）",
                        numbers.join("、")
                    ),
                ),
                Some(a) => {
                    let Some(t) = &a.title else { continue };
                    if !same_name(&key(text(item)), &key(text(t))) {
                        push(
                            item.clone(),
                            format!("文后附件的标题为「{}」", text(t).replace('\n', "")),
                        );
                    }
                }
            }
        }
        let listed = g.attachment_items.len() as u32;
        for a in attached.iter().filter(|a| a.number > listed && !single) {
            push(
                a.label.clone(),
                format!("附件说明只列了{listed}个附件，没有附件{}", a.number),
            );
        }
    }
}

/// Two names of one attachment: equal, one inside the other (the note names the issuer, or
/// the title was read from its first line only), or differing in a word or two.
fn same_name(a: &str, b: &str) -> bool {
    a == b
        || (!a.is_empty() && !b.is_empty() && (a.contains(b) || b.contains(a)))
        || super::toc_mismatch::similarity(a, b) >= 0.8
}

/// The label's text without spaces around it.
fn label_span(doc: &Document, line: &Range<usize>) -> Range<usize> {
    let t = doc.text.get(line.clone()).unwrap_or("");
    let lead = t.len() - t.trim_start().len();
    line.start + lead..line.start + t.trim_end().len().max(lead)
}
