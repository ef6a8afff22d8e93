//! `mixed-percent-sign`: one document writes the percent sign both half-width (%) and
//! full-width (％). The less frequent form is reported wherever it follows a number, with
//! the count of each form; a tie reports the full-width signs (GB/T 15835 examples use %).

use crate::diagnostic::{Applicability, Edit, Findings, Fix};
use crate::document::Document;
use crate::rules::{Check, RuleMeta};

pub struct MixedPercentSign;

pub fn build(_params: &serde_yaml::Value) -> Result<Box<dyn Check>, String> {
    Ok(Box::new(MixedPercentSign))
}

const HALF: char = '%';
const FULL: char = '％';

/// Byte offsets of `sign` right after a digit (optionally one space between): the percent
/// signs of numbers, not `%20` in an address.
fn signs_after_numbers(text: &str, sign: char) -> Vec<usize> {
    text.match_indices(sign)
        .filter(|(at, _)| {
            let before = text[..*at].trim_end_matches(' ');
            before.ends_with(|c: char| c.is_ascii_digit() || ('０'..='９').contains(&c))
        })
        .map(|(at, _)| at)
        .collect()
}

impl Check for MixedPercentSign {
    fn offers_fixes(&self) -> bool {
        true
    }

    fn reads_structure(&self) -> bool {
        false
    }

    fn check(&self, doc: &Document, meta: &RuleMeta, out: &mut Findings) {
        let text = doc.text.as_str();
        if !text.contains(FULL) || !text.contains(HALF) {
            return;
        }
        let half = signs_after_numbers(text, HALF);
        let full = signs_after_numbers(text, FULL);
        if half.is_empty() || full.is_empty() {
            return;
        }
        let (minority, wrong, right) = if full.len() <= half.len() {
            (&full, FULL, HALF)
        } else {
            (&half, HALF, FULL)
        };
        let counts = format!(
            "半角「%」{}处、全角「％」{}处，宜统一用「{right}」",
            half.len(),
            full.len()
        );
        for &at in minority {
            let span = at..at + wrong.len_utf8();
            let fix = Fix {
                applicability: Applicability::Safe,
                message: format!("改为「{right}」").into(),
                edits: vec![Edit {
                    range: span.clone(),
                    replacement: right.to_string().into(),
                }],
            };
            out.push(meta.diagnostic(span, &wrong.to_string(), Some(&counts), Some(fix)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_signs_after_numbers_count() {
        let text = "增长5%，下降3 %，网址a%20b";
        assert_eq!(signs_after_numbers(text, HALF).len(), 2);
        assert_eq!(signs_after_numbers("９８％", FULL), vec!["９８".len()]);
    }
}
