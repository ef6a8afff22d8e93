//! `unbalanced-pairs`: an opening （ “ 《 〈 【 〔 ‘ without its closing mark, or the reverse.
//!
//! Marks are matched across hard-wrapped lines; the stacks are settled at the end of a
//! sentence (a line ending in 。！？；) and at the end of the document. Only the first
//! unmatched mark of each kind per sentence is reported, so hostile input (thousands of
//! nested brackets) yields a handful of diagnostics, not thousands.

use crate::diagnostic::Findings;
use crate::document::Document;
use crate::rules::{Check, RuleMeta};

/// The marks; each one's UTF-8 begins with a byte the scan looks for (E2, E3 or EF).
const PAIRS: &[(char, char)] = &[
    ('（', '）'),
    ('“', '”'),
    ('‘', '’'),
    ('《', '》'),
    ('〈', '〉'),
    ('【', '】'),
    ('〔', '〕'),
];

pub struct UnbalancedPairs;

pub fn build(_params: &serde_yaml::Value) -> Result<Box<dyn Check>, String> {
    Ok(Box::new(UnbalancedPairs))
}

impl Check for UnbalancedPairs {
    fn reads_structure(&self) -> bool {
        false
    }

    fn check(&self, doc: &Document, meta: &RuleMeta, out: &mut Findings) {
        let mut stacks: Vec<Vec<usize>> = vec![Vec::new(); PAIRS.len()];
        let mut stray: Vec<Option<usize>> = vec![None; PAIRS.len()];
        let settle = |stacks: &mut Vec<Vec<usize>>,
                      stray: &mut Vec<Option<usize>>,
                      out: &mut Findings| {
            for (k, stack) in stacks.iter_mut().enumerate() {
                let first = stray[k]
                    .take()
                    .into_iter()
                    .chain(stack.first().copied())
                    .min();
                if let Some(at) = first {
                    let c = doc.text[at..].chars().next().unwrap_or(PAIRS[k].0);
                    out.push(meta.diagnostic(at..at + c.len_utf8(), &c.to_string(), None, None));
                }
                stack.clear();
            }
        };
        for (range, line) in doc.lines() {
            // every mark is three bytes led by E2, E3 or EF, which are never continuation
            // bytes: memchr finds them without decoding the Han characters between
            for i in memchr::memchr3_iter(0xE2, 0xE3, 0xEF, line.as_bytes()) {
                let Some(c) = line.get(i..).and_then(|rest| rest.chars().next()) else {
                    continue;
                };
                let at = range.start + i;
                if let Some(k) = PAIRS.iter().position(|p| p.0 == c) {
                    stacks[k].push(at);
                } else if let Some(k) = PAIRS.iter().position(|p| p.1 == c) {
                    if stacks[k].pop().is_none() && stray[k].is_none() {
                        stray[k] = Some(at);
                    }
                }
            }
            if line.trim_end().ends_with(['。', '！', '？', '；']) {
                settle(&mut stacks, &mut stray, out);
            }
        }
        settle(&mut stacks, &mut stray, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The scan finds a mark by its first byte: a mark added to [`PAIRS`] that begins
    /// with another byte would never be seen.
    #[test]
    fn every_mark_begins_with_a_scanned_byte() {
        for &(open, close) in PAIRS {
            for mark in [open, close] {
                let mut buf = [0; 4];
                let first = mark.encode_utf8(&mut buf).as_bytes()[0];
                assert!(matches!(first, 0xE2 | 0xE3 | 0xEF), "{mark}");
            }
        }
    }
}
