//! `kind: substitution` — wrong → right literal pairs (inline `swap` or a `swap_file`).
//!
//! All wrong forms are matched at once with Aho-Corasick (leftmost-longest). A match is
//! dropped when the dictionary segmentation of its clause puts it inside a longer word, or
//! a word reaches into the characters the correction changes, so a correction never fires
//! inside a correct word.

use crate::diagnostic::{Applicability, Edit, Findings, Fix};
use crate::document::Document;
use crate::rules::kinds::literal_set::LiteralSet;
use crate::rules::spec::FixSpec;
use crate::rules::{fill_message, Check, RuleMeta};
use std::ops::Range;

pub struct SubstitutionCheck {
    matcher: LiteralSet,
    pairs: Vec<(String, String)>,
    fix: Option<FixSpec>,
    /// [`Check::is_line_local`]: no wrong form is empty or holds a line break.
    line_local: bool,
}

/// Parse `wrong<TAB>right[<TAB>note]` lines; `#` starts a comment line.
/// Errors carry the 1-based line number.
pub fn parse_swap_file(text: &str) -> Result<Vec<(String, String)>, (usize, String)> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let mut cols = line.split('\t');
        let wrong = cols.next().unwrap_or("").trim();
        let right = cols.next().unwrap_or("").trim();
        if wrong.is_empty() || right.is_empty() {
            return Err((i + 1, "expected `wrong<TAB>right`".into()));
        }
        if wrong == right {
            return Err((i + 1, format!("`{wrong}` maps to itself")));
        }
        out.push((wrong.to_owned(), right.to_owned()));
    }
    Ok(out)
}

impl SubstitutionCheck {
    pub fn new(
        mut pairs: Vec<(String, String)>,
        fix: Option<FixSpec>,
    ) -> Result<SubstitutionCheck, String> {
        pairs.sort();
        pairs.dedup();
        for w in pairs.windows(2) {
            if w[0].0 == w[1].0 {
                return Err(format!(
                    "`{}` has two corrections: `{}` and `{}`",
                    w[0].0, w[0].1, w[1].1
                ));
            }
        }
        let matcher = LiteralSet::new(pairs.iter().map(|(w, _)| w.as_str()))?;
        let line_local = pairs
            .iter()
            .all(|(wrong, _)| !wrong.is_empty() && !wrong.contains(['\n', '\r']));
        Ok(SubstitutionCheck {
            matcher,
            pairs,
            fix,
            line_local,
        })
    }
}

/// The clause around `span`: up to the nearest punctuation or line break, at most ~16
/// characters each side.
fn clause_around(text: &str, span: &Range<usize>) -> Range<usize> {
    let is_stop = |c: char| {
        c.is_whitespace()
            || (c.is_ascii_punctuation())
            || "，。；：！？、（）《》“”‘’【】".contains(c)
    };
    let mut start = span.start;
    for (n, (i, c)) in text[..span.start].char_indices().rev().enumerate() {
        if n >= 16 || is_stop(c) {
            break;
        }
        start = i;
    }
    let mut end = span.end;
    for (n, (i, c)) in text[span.end..].char_indices().enumerate() {
        if n >= 16 || is_stop(c) {
            break;
        }
        end = span.end + i + c.len_utf8();
    }
    start..end
}

/// True when the dictionary segmentation of the clause disagrees with the span: the span
/// lies inside a longer word, or a dictionary word straddles one of its ends
/// (「毕竟赛程」 is 毕竟/赛程, so 竟赛 is not a word there).
pub fn inside_longer_word(text: &str, span: &Range<usize>) -> bool {
    let clause = clause_around(text, span);
    let rel = (span.start - clause.start)..(span.end - clause.start);
    let sentence = &text[clause];
    crate::segment::words(sentence).into_iter().any(|w| {
        let contains = w.start <= rel.start && w.end >= rel.end && w.len() > rel.len();
        let straddles = |b: usize| w.start < b && b < w.end;
        let is_word = sentence[w.clone()].chars().count() > 1;
        contains || (is_word && (straddles(rel.start) || straddles(rel.end)))
    })
}

/// Like [`inside_longer_word`], but a dictionary word that overlaps only the unchanged
/// start or end of a collocation entry is tolerated when that overlap is itself a word of
/// two or more characters: 「协同工作机智」 is 协同工作/机智, and the entry 工作机智 → 工作机制
/// still applies (its 工作 is the context, 智 the typo). A word reaching into a changed
/// character, or sharing only one character (「各案件」 for 各案 → 备案), still drops it.
fn misread_in_context(text: &str, span: &Range<usize>, wrong: &str, right: &str) -> bool {
    let clause = clause_around(text, span);
    let rel = (span.start - clause.start)..(span.end - clause.start);
    let sentence = &text[clause];
    let changed = changed_bytes(wrong, right);
    crate::segment::words(sentence).into_iter().any(|w| {
        let contains = w.start <= rel.start && w.end >= rel.end && w.len() > rel.len();
        let is_word = sentence[w.clone()].chars().count() > 1;
        let straddles = |b: usize| w.start < b && b < w.end;
        if contains || !is_word || !(straddles(rel.start) || straddles(rel.end)) {
            return contains;
        }
        // the part of the straddling word inside the entry, relative to the entry
        let inside = w.start.max(rel.start) - rel.start..w.end.min(rel.end) - rel.start;
        let touches_change = changed
            .iter()
            .any(|c| c.start < inside.end && inside.start < c.end);
        let context_word = wrong.get(inside.clone()).is_some_and(|part| {
            part.chars().count() >= 2 && crate::segment::is_dictionary_word(part)
        });
        touches_change || !context_word
    })
}

/// The byte ranges of `wrong` whose characters differ from `right` (all of it when the
/// two differ in length).
fn changed_bytes(wrong: &str, right: &str) -> Vec<Range<usize>> {
    if wrong.chars().count() != right.chars().count() {
        let whole = 0..wrong.len();
        return vec![whole];
    }
    wrong
        .char_indices()
        .zip(right.chars())
        .filter(|((_, a), b)| a != b)
        .map(|((i, a), _)| i..i + a.len_utf8())
        .collect()
}

impl Check for SubstitutionCheck {
    fn reads_structure(&self) -> bool {
        false
    }

    /// The clause a match is judged in ends at a line break; so do the wrong forms, which
    /// hold none (nor are empty).
    fn is_line_local(&self) -> bool {
        self.line_local
    }

    fn check(&self, doc: &Document, meta: &RuleMeta, out: &mut Findings) {
        self.matcher.for_each_match(&doc.text, |m| {
            let span = m.start()..m.end();
            let (wrong, right) = &self.pairs[m.pattern().as_usize()];
            if misread_in_context(&doc.text, &span, wrong, right) {
                return;
            }
            let applicability = self
                .fix
                .as_ref()
                .map_or(Applicability::Unsafe, |f| f.applicability);
            let message = self
                .fix
                .as_ref()
                .and_then(|f| f.message.as_deref())
                .map(|t| fill_message(t, wrong, right))
                .unwrap_or_else(|| format!("改为「{right}」"));
            let fix = Fix {
                applicability,
                message: message.into(),
                edits: vec![Edit {
                    range: span.clone(),
                    replacement: right.clone().into(),
                }],
            };
            out.push(meta.diagnostic(span, wrong, Some(right), Some(fix)));
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn misread(text: &str, wrong: &str, right: &str) -> bool {
        let start = text.find(wrong).unwrap();
        misread_in_context(text, &(start..start + wrong.len()), wrong, right)
    }

    #[test]
    fn a_word_reaching_into_the_changed_characters_drops_the_match() {
        assert!(misread("毕竟赛程紧张", "竟赛", "竞赛"));
        assert!(misread("加大人才政策支持", "才政", "财政"));
        assert!(misread("对各案件逐一复核", "各案", "备案"));
        assert!(!misread("开展劳动竟赛活动", "竟赛", "竞赛"));
    }

    #[test]
    fn a_word_sharing_only_the_unchanged_context_is_tolerated() {
        assert!(!misread(
            "完善与技术支撑协同工作机智",
            "工作机智",
            "工作机制"
        ));
        assert!(!misread("建立健全工作机智", "工作机智", "工作机制"));
    }
}
