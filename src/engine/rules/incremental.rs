//! Checking an edited text again: the line-local rules ([`Check::is_line_local`]) check
//! only the lines the edit touched, and their findings on the other lines are kept from the
//! check before (moved by the edit's change in length). Every other rule, and everything
//! after the rules (sorting, merging, suppressions), runs on the whole text as always, so
//! the result is the same as a check from scratch; `tests/props.rs` checks that over
//! random edits.
//!
//! [`Check::is_line_local`]: super::Check::is_line_local

use super::{run_in_parallel, run_rule, Rule, RuleId, Settings};
use crate::diagnostic::{Diagnostic, Findings};
use crate::document::Document;
use std::ops::Range;

/// What a check leaves for the next check of an edited version of the same text: that
/// text, and the findings of its line-local rules. A caller that checks one text again and
/// again (the language server) keeps one per document; a new memo remembers nothing.
#[derive(Debug, Default)]
pub struct LineLocalMemo {
    last: Option<LastCheck>,
}

#[derive(Debug)]
struct LastCheck {
    /// [`super::RuleSet`]'s version: the same rules, compiled the same way.
    rule_set: u64,
    settings: Settings,
    path: String,
    text: String,
    /// The line-local rules' findings, with their severities, before merging.
    findings: Vec<Diagnostic>,
}

impl LineLocalMemo {
    /// Whether a check of `doc` under these rules and settings re-checks only the lines
    /// edited since the last one.
    pub(super) fn rechecks(&self, rule_set: u64, settings: &Settings, doc: &Document) -> bool {
        self.usable(rule_set, settings, doc).is_some()
    }

    /// The last check, when it can stand for `doc` under these rules and settings.
    fn usable(&self, rule_set: u64, settings: &Settings, doc: &Document) -> Option<&LastCheck> {
        self.last
            .as_ref()
            .filter(|l| l.rule_set == rule_set && l.settings == *settings && l.path == doc.path)
    }
}

/// Run the line-local `rules` on `doc` into `out`, reusing `memo`'s findings outside the
/// lines that changed since its check, and leave this check in `memo`. Returns the rules
/// that crashed; after a crash the memo is cleared, so the next check runs them on every
/// line again.
pub(super) fn check_line_local(
    rules: &[&Rule],
    doc: &Document,
    settings: &Settings,
    rule_set: u64,
    memo: &mut LineLocalMemo,
    out: &mut Findings,
) -> Vec<RuleId> {
    let from = out.len();
    let crashed = match memo.usable(rule_set, settings, doc) {
        Some(last) => recheck(last, rules, doc, settings, out),
        None => {
            // the whole text: spread over the cores like the other text rules
            let (found, crashed) = run_in_parallel(rules, doc, settings);
            out.append(found);
            crashed
        }
    };
    memo.last = crashed.is_empty().then(|| LastCheck {
        rule_set,
        settings: settings.clone(),
        path: doc.path.clone(),
        text: doc.text.clone(),
        findings: out.as_slice()[from..].to_vec(),
    });
    crashed
}

/// The findings of `last` before and after the lines that changed, and those of the
/// changed lines checked alone.
fn recheck(
    last: &LastCheck,
    rules: &[&Rule],
    doc: &Document,
    settings: &Settings,
    out: &mut Findings,
) -> Vec<RuleId> {
    let (old, new) = (last.text.as_str(), doc.text.as_str());
    let touched = touched_lines(old, new);
    for d in last.findings.iter().filter(|d| d.span.end <= touched.start) {
        out.push(d.clone());
    }
    let lines = Document::from_text(doc.path.clone(), &new[touched.clone()]);
    let from = out.len();
    let crashed = rules
        .iter()
        .filter_map(|rule| run_rule(rule, &lines, settings, out))
        .collect();
    for d in out.since(from) {
        shift(d, |at| at + touched.start);
    }
    let old_end = touched.end + old.len() - new.len();
    for d in last.findings.iter().filter(|d| d.span.start >= old_end) {
        let mut d = d.clone();
        shift(&mut d, |at| at + new.len() - old.len());
        out.push(d);
    }
    crashed
}

/// Move a finding and its fix.
fn shift(d: &mut Diagnostic, to: impl Fn(usize) -> usize) {
    d.span = to(d.span.start)..to(d.span.end);
    for e in d.fix.iter_mut().flat_map(|f| f.edits.iter_mut()) {
        e.range = to(e.range.start)..to(e.range.end);
    }
}

/// The whole lines of `new` that differ from `old`, with one line more on each side: a
/// range of `new` starting at a line start and ending at a line break (or the end). The
/// text before it is the same in both, and so is the text after it (which starts
/// `new.len() - old.len()` bytes later in `new`).
pub fn touched_lines(old: &str, new: &str) -> Range<usize> {
    let (a, b) = (old.as_bytes(), new.as_bytes());
    let prefix = common_prefix(a, b);
    let suffix = common_suffix(&a[prefix..], &b[prefix..]);
    let start = previous_line_start(b, line_start(b, prefix));
    let end = next_line_end(b, line_end(b, b.len() - suffix));
    start..end
}

/// Bytes `a` and `b` have in common at the start (compared a block at a time).
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    const BLOCK: usize = 64;
    let n = a.len().min(b.len());
    let mut i = 0;
    while i + BLOCK <= n && a[i..i + BLOCK] == b[i..i + BLOCK] {
        i += BLOCK;
    }
    i + a[i..n]
        .iter()
        .zip(&b[i..n])
        .take_while(|(x, y)| x == y)
        .count()
}

/// Bytes `a` and `b` have in common at the end.
fn common_suffix(a: &[u8], b: &[u8]) -> usize {
    const BLOCK: usize = 64;
    let n = a.len().min(b.len());
    let (a_end, b_end) = (a.len(), b.len());
    let mut i = 0;
    while i + BLOCK <= n && a[a_end - i - BLOCK..a_end - i] == b[b_end - i - BLOCK..b_end - i] {
        i += BLOCK;
    }
    i + a[..a_end - i]
        .iter()
        .rev()
        .zip(b[..b_end - i].iter().rev())
        .take_while(|(x, y)| x == y)
        .count()
}

/// The start of the line that holds position `at` (`at` itself when a line starts there).
fn line_start(b: &[u8], at: usize) -> usize {
    memchr::memrchr2(b'\n', b'\r', &b[..at.min(b.len())]).map_or(0, |i| i + 1)
}

/// The start of the line before the one starting at `start` (0 for the first line); a
/// `\r\n` is one break.
fn previous_line_start(b: &[u8], start: usize) -> usize {
    let mut at = start.min(b.len());
    if at > 0 && matches!(b[at - 1], b'\n' | b'\r') {
        at -= 1;
        if at > 0 && b[at] == b'\n' && b[at - 1] == b'\r' {
            at -= 1;
        }
    }
    line_start(b, at)
}

/// The line break (or the end of the text) that ends the line holding position `at`.
fn line_end(b: &[u8], at: usize) -> usize {
    let at = at.min(b.len());
    memchr::memchr2(b'\n', b'\r', &b[at..]).map_or(b.len(), |i| at + i)
}

/// The end of the line after the one ending at `end` (the end of the text for the last).
fn next_line_end(b: &[u8], end: usize) -> usize {
    if end >= b.len() {
        return b.len();
    }
    line_end(b, end + crate::source::line_break_len(b, end).max(1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Settings;

    fn touched<'a>(old: &str, new: &'a str) -> &'a str {
        &new[touched_lines(old, new)]
    }

    #[test]
    fn the_changed_line_and_one_line_each_side() {
        let old = "一\n二\n三\n四\n五";
        assert_eq!(touched(old, "一\n二\n三x\n四\n五"), "二\n三x\n四");
        assert_eq!(touched(old, "一x\n二\n三\n四\n五"), "一x\n二");
        assert_eq!(touched(old, "一\n二\n三\n四\n五x"), "四\n五x");
        // a line break inserted: the new empty line and its neighbours
        assert_eq!(touched(old, "一\n二\n\n三\n四\n五"), "二\n\n三\n四");
        // nothing changed: the last line and the one before
        assert_eq!(touched(old, old), "四\n五");
    }

    #[test]
    fn crlf_and_lone_cr_are_single_breaks() {
        let old = "甲\r\n乙\r\n丙\r\n丁";
        assert_eq!(touched(old, "甲\r\n乙\r\n丙丙\r\n丁"), "乙\r\n丙丙\r\n丁");
        let old = "甲\r乙\r丙\r丁";
        assert_eq!(touched(old, "甲\r乙乙\r丙\r丁"), "甲\r乙乙\r丙");
        // a \n added after a lone \r joins it into one break
        assert_eq!(touched("甲\r乙\r丙", "甲\r\n乙\r丙"), "甲\r\n乙\r丙");
    }

    #[test]
    fn a_memo_of_other_settings_or_rules_is_not_reused() {
        let rules = crate::RuleSet::builtin().expect("built-in rules");
        let text = "各单位,请于3月底前上报。\n开展劳动竟赛,加强职工心里疏导。\n末行,结束。";
        let edited = text.replace("末行", "最后一行");
        let doc = |t: &str| Document::from_text("memo.txt", t);
        let full = rules.check(&doc(&edited), &Settings::default());
        // made with one rule selected: the others' findings are not in it
        let mut memo = LineLocalMemo::default();
        let one = Settings {
            select: vec!["half-width-punctuation".into()],
            ..Settings::default()
        };
        rules.check_remembering(&doc(text), &one, Some(&mut memo));
        let again = rules.check_remembering(&doc(&edited), &Settings::default(), Some(&mut memo));
        assert_eq!(again.0, full);
        assert!(full.iter().any(|d| d.rule == "common-typo"), "{full:?}");
        // made with another rule set
        let mut memo = LineLocalMemo::default();
        let mut fewer = crate::RuleSet::default();
        fewer
            .add_yaml(
                "only.yaml",
                "id: only\ntitle: t\ncategory: other\nseverity: info\nkind: pattern\n\
                 message: m\npatterns: ['单位']\ndocs: d\nexamples: []\n",
            )
            .expect("a rule");
        fewer.check_remembering(&doc(text), &Settings::default(), Some(&mut memo));
        let again = rules.check_remembering(&doc(&edited), &Settings::default(), Some(&mut memo));
        assert_eq!(again.0, full);
    }

    #[test]
    fn prefix_and_suffix_do_not_overlap() {
        // 「ab」→「abab」: the common ends would overlap without the bound
        let r = touched_lines("x\nab\ny", "x\nabab\ny");
        assert_eq!(&"x\nabab\ny"[r], "x\nabab\ny");
        assert_eq!(common_prefix(b"abc", b"abd"), 2);
        assert_eq!(common_suffix(b"xbc", b"ybc"), 2);
        let long = "字".repeat(100);
        assert_eq!(common_prefix(long.as_bytes(), long.as_bytes()), long.len());
        assert_eq!(
            common_suffix(long.as_bytes(), format!("甲{long}").as_bytes()),
            long.len()
        );
    }
}
