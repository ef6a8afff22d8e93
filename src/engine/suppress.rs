//! Out-of-band suppression. A 公文 cannot carry lint comments, so accepted findings are
//! recorded beside the drafts, in `.gwlint-ignore.yaml` ([`IgnoreFile`]), keyed by file,
//! rule and a hash of the matched text with a few characters around it
//! ([`context_hash`]): the entry keeps matching when the rest of the file changes, and
//! stops matching (becomes stale) when the finding itself is edited away.
//!
//! In Markdown files only, `<!-- gwlint-disable RULE … -->` / `<!-- gwlint-enable -->`
//! comments switch rules off for a stretch of text ([`markdown_disabled`]).
//!
//! Pure except [`IgnoreFile::load`] (reads the file). Named `suppress` so as not to clash
//! with the `ignore` crate.

use crate::diagnostic::Diagnostic;
use crate::document::Document;
use crate::rules::spec::{locate, SpecError};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};
use std::ops::Range;
use std::path::PathBuf;
use std::sync::OnceLock;

/// The ignore file's name; found by walking up from each checked file.
pub const IGNORE_FILE_NAME: &str = ".gwlint-ignore.yaml";

/// Characters of context hashed on each side of the matched text.
pub const CONTEXT_CHARS: usize = 8;

/// One accepted finding.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IgnoreEntry {
    /// The draft, relative to the ignore file's folder, with `/` separators.
    pub file: String,
    pub rule: String,
    /// [`context_hash`] of the finding.
    pub hash: String,
    /// The matched text, for people reading the file; not used for matching.
    #[serde(default)]
    pub text: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct IgnoreData {
    #[serde(default)]
    ignores: Vec<IgnoreEntry>,
}

/// A loaded `.gwlint-ignore.yaml`.
#[derive(Debug, Clone)]
pub struct IgnoreFile {
    pub path: PathBuf,
    /// The folder holding the file (absolute); entry paths are relative to it.
    pub dir: PathBuf,
    pub source: String,
    pub entries: Vec<IgnoreEntry>,
    /// Entry indices per file key, built on first use (entries are not changed after).
    pub(crate) by_file: OnceLock<HashMap<String, Vec<usize>>>,
    /// The line of each entry in `source`, built on first use.
    pub(crate) entry_lines: OnceLock<Vec<usize>>,
}

const HEADER: &str =
    "# gwlint: accepted findings (`gwlint check --add-ignore` writes this file).\n\
# Each entry silences one finding: file, rule, and a hash of the matched text with a few\n\
# characters around it. Delete an entry to see its finding again.\n";

impl IgnoreFile {
    /// Parse the entries of an ignore file's text.
    pub fn parse(display: &str, source: &str) -> Result<Vec<IgnoreEntry>, SpecError> {
        let only_comments = source
            .lines()
            .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'));
        if only_comments {
            return Ok(Vec::new());
        }
        let data: IgnoreData = crate::rules::spec::from_yaml_guarded(display, source)?;
        Ok(data.ignores)
    }

    /// Indices of the entries for `key`. The entries are indexed by file on first use
    /// (one lookup per checked file, not a scan of every entry).
    pub fn entries_for(&self, key: &str) -> Vec<usize> {
        let by_file = self.by_file.get_or_init(|| {
            let mut map: HashMap<String, Vec<usize>> = HashMap::new();
            for (i, e) in self.entries.iter().enumerate() {
                map.entry(e.file.clone()).or_default().push(i);
            }
            map
        });
        by_file.get(key).cloned().unwrap_or_default()
    }

    /// 1-based line of entry `index` in the file as loaded (1 when unknown).
    pub fn line_of(&self, index: usize) -> usize {
        self.lines_of_entries()
            .get(index)
            .copied()
            .unwrap_or_else(|| locate(&self.source, "ignores", None).0)
    }

    /// The 1-based line of every entry in the file as loaded, found in one pass: entry `i`
    /// is on the n-th line holding its hash, where n counts the entries before it with
    /// the same hash (asking per entry scanned the whole file each time: 68 s for 40,000
    /// stale entries).
    fn lines_of_entries(&self) -> &[usize] {
        self.entry_lines.get_or_init(|| {
            let mut lines_with: HashMap<&str, Vec<usize>> = HashMap::new();
            let hashes: std::collections::HashSet<&str> =
                self.entries.iter().map(|e| e.hash.as_str()).collect();
            for (i, line) in self.source.lines().enumerate() {
                // an entry's line reads `hash: <16 hex digits>` (maybe quoted)
                let Some(at) = line.find("hash:") else {
                    continue;
                };
                let value = line[at + 5..].trim().trim_start_matches(['"', '\'']);
                let value = &value[..value
                    .find(|c: char| !c.is_ascii_alphanumeric())
                    .unwrap_or(value.len())];
                if let Some(&h) = hashes.get(value) {
                    lines_with.entry(h).or_default().push(i + 1);
                }
            }
            let fallback = locate(&self.source, "ignores", None).0;
            let mut seen: HashMap<&str, usize> = HashMap::new();
            self.entries
                .iter()
                .map(|e| {
                    let nth = seen.entry(e.hash.as_str()).or_default();
                    let line = lines_with
                        .get(e.hash.as_str())
                        .and_then(|v| v.get(*nth))
                        .copied()
                        .unwrap_or(fallback);
                    *nth += 1;
                    line
                })
                .collect()
        })
    }

    /// Drop the entries whose index `drop` says (`--add-ignore` removing stale ones).
    pub fn remove(&mut self, drop: &BTreeSet<usize>) {
        let mut i = 0;
        self.entries.retain(|_| {
            let keep = !drop.contains(&i);
            i += 1;
            keep
        });
        self.by_file = OnceLock::new();
    }

    /// Add entries (skipping duplicates) and keep them sorted.
    pub fn add(&mut self, new: impl IntoIterator<Item = IgnoreEntry>) -> usize {
        self.by_file = OnceLock::new();
        let mut set: BTreeSet<IgnoreEntry> = self.entries.drain(..).collect();
        let before = set.len();
        let mut seen: BTreeSet<(String, String, String)> = set
            .iter()
            .map(|e| (e.file.clone(), e.rule.clone(), e.hash.clone()))
            .collect();
        for e in new {
            if seen.insert((e.file.clone(), e.rule.clone(), e.hash.clone())) {
                set.insert(e);
            }
        }
        let added = set.len() - before;
        self.entries = set.into_iter().collect();
        added
    }

    /// The file's text, as `--add-ignore` writes it.
    pub fn render(&self) -> String {
        let data = IgnoreData {
            ignores: self.entries.clone(),
        };
        let body = serde_yaml::to_string(&data).unwrap_or_else(|_| "ignores: []\n".into());
        format!("{HEADER}{body}")
    }
}

/// The entry that would accept diagnostic `d` of `doc`, for the file key `file`.
pub fn entry_for(doc: &Document, file: &str, d: &Diagnostic) -> IgnoreEntry {
    let text = doc.text.get(d.span.clone()).unwrap_or("");
    let short: String = text.chars().take(40).collect();
    IgnoreEntry {
        file: file.to_owned(),
        rule: d.rule.to_string(),
        hash: context_hash(&doc.text, &d.rule, &d.span),
        text: short.replace(['\r', '\n'], " "),
    }
}

/// A hash of the rule, the matched text and up to [`CONTEXT_CHARS`] characters on each
/// side within its line (lines end at `\n`, `\r\n` or a lone `\r`). `\r` is left out of
/// the matched text, so converting line endings does not unsettle entries; other lines
/// never matter.
/// FNV-1a (64 bit), written as 16 hex digits: stable across gwlint versions and platforms.
pub fn context_hash(text: &str, rule: &str, span: &Range<usize>) -> String {
    let start = floor_boundary(text, span.start);
    let end = floor_boundary(text, span.end.max(start));
    let before: String = {
        let mut v: Vec<char> = text[..start]
            .chars()
            .rev()
            .take_while(|&c| c != '\n' && c != '\r')
            .take(CONTEXT_CHARS)
            .collect();
        v.reverse();
        v.into_iter().collect()
    };
    let after: String = text[end..]
        .chars()
        .take_while(|&c| c != '\n' && c != '\r')
        .take(CONTEXT_CHARS)
        .collect();
    let matched: String = text[start..end].chars().filter(|&c| c != '\r').collect();
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in [rule, "\u{0}", &before, "\u{0}", &matched, "\u{0}", &after] {
        for b in part.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

fn floor_boundary(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Drop the diagnostics accepted by `entries` (indices into `file.entries`). Returns the
/// diagnostics kept and the indices of the entries that matched something.
pub fn apply_ignore_file(
    doc: &Document,
    file: &IgnoreFile,
    entries: &[usize],
    diagnostics: Vec<Diagnostic>,
) -> (Vec<Diagnostic>, BTreeSet<usize>) {
    let mut used = BTreeSet::new();
    if entries.is_empty() {
        return (diagnostics, used);
    }
    // entries by (rule, hash): one lookup per diagnostic, not a scan of every entry
    let mut by_key: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
    for &i in entries {
        if let Some(e) = file.entries.get(i) {
            by_key.entry((&e.rule, &e.hash)).or_default().push(i);
        }
    }
    let kept = diagnostics
        .into_iter()
        .filter(|d| {
            let hash = context_hash(&doc.text, &d.rule, &d.span);
            match by_key.get(&(&*d.rule, hash.as_str())) {
                Some(hit) => {
                    used.extend(hit.iter().copied());
                    false
                }
                None => true,
            }
        })
        .collect();
    (kept, used)
}

/// Lint `doc` and apply the suppressions: Markdown comments, then the ignore file's
/// `entries` (indices into `file.entries`, see [`IgnoreFile::entries_for`]). Returns the
/// diagnostics to show (and to fix) and the entries that matched. The CLI and the
/// language server both call this, so they agree on what is suppressed.
pub fn check_with_suppressions(
    doc: &Document,
    rules: &crate::rules::RuleSet,
    settings: &crate::rules::Settings,
    ignore: Option<(&IgnoreFile, &[usize])>,
) -> (Vec<Diagnostic>, BTreeSet<usize>) {
    let linted = lint_with_suppressions(doc, rules, settings, ignore, None);
    (linted.diagnostics, linted.used_entries)
}

/// What [`lint_with_suppressions`] found.
#[derive(Debug)]
pub struct Linted {
    /// The diagnostics to show (and to fix).
    pub diagnostics: Vec<Diagnostic>,
    /// The ignore-file entries that matched a finding.
    pub used_entries: BTreeSet<usize>,
    /// Rules that panicked on this document (their findings are dropped); the shells say so.
    pub crashed: Vec<crate::RuleId>,
}

/// [`check_with_suppressions`], also telling which rules panicked.
pub fn lint_with_suppressions(
    doc: &Document,
    rules: &crate::rules::RuleSet,
    settings: &crate::rules::Settings,
    ignore: Option<(&IgnoreFile, &[usize])>,
    memo: Option<&mut crate::rules::LineLocalMemo>,
) -> Linted {
    let (found, crashed) = rules.check_remembering(doc, settings, memo);
    let found = apply_markdown_comments(doc, found);
    let (diagnostics, used_entries) = match ignore {
        Some((file, entries)) => apply_ignore_file(doc, file, entries, found),
        None => (found, BTreeSet::new()),
    };
    Linted {
        diagnostics,
        used_entries,
        crashed,
    }
}

pub use crate::markdown::is_markdown;

/// A stretch of a Markdown text where rules are off: `rules` empty means all rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisabledRange {
    pub range: Range<usize>,
    pub rules: Vec<String>,
}

/// The ranges switched off by `<!-- gwlint-disable [RULE …] -->` … `<!-- gwlint-enable
/// [RULE …] -->` comments (rules separated by spaces or commas; ids or categories). A
/// disable without a matching enable lasts to the end of the text.
pub fn markdown_disabled(text: &str) -> Vec<DisabledRange> {
    // open: selector ("" = all) → start offset
    let mut open: Vec<(String, usize)> = Vec::new();
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(rel) = text[at..].find("<!--") {
        let start = at + rel;
        let Some(close_rel) = text[start..].find("-->") else {
            break;
        };
        let end = start + close_rel + 3;
        let body = text[start + 4..start + close_rel].trim();
        at = end;
        let (enable, rest) = if let Some(r) = body.strip_prefix("gwlint-disable") {
            (false, r)
        } else if let Some(r) = body.strip_prefix("gwlint-enable") {
            (true, r)
        } else {
            continue;
        };
        if !(rest.is_empty() || rest.starts_with(char::is_whitespace)) {
            continue;
        }
        let names: Vec<String> = rest
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect();
        if enable {
            let closes_all = names.is_empty();
            open.retain(|(sel, from)| {
                if closes_all || names.contains(sel) {
                    out.push(DisabledRange {
                        range: *from..start,
                        rules: if sel.is_empty() {
                            vec![]
                        } else {
                            vec![sel.clone()]
                        },
                    });
                    false
                } else {
                    true
                }
            });
        } else if names.is_empty() {
            open.push((String::new(), end));
        } else {
            open.extend(names.into_iter().map(|n| (n, end)));
        }
    }
    for (sel, from) in open {
        out.push(DisabledRange {
            range: from..text.len(),
            rules: if sel.is_empty() { vec![] } else { vec![sel] },
        });
    }
    out
}

/// Drop diagnostics that start inside a disabled range of a Markdown document.
/// Other documents are returned unchanged. One sweep over the diagnostics (sorted by
/// start, as [`crate::check`] returns them) with the ranges open at each point counted
/// per selector: a scan of every range per diagnostic was quadratic.
pub fn apply_markdown_comments(doc: &Document, diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    if !is_markdown(&doc.path) || !doc.text.contains("gwlint-") {
        return diagnostics;
    }
    let mut ranges = markdown_disabled(&doc.text);
    ranges.sort_by_key(|r| r.range.start);
    let mut diagnostics = diagnostics;
    diagnostics.sort_by_key(|d| d.span.start);
    // open ranges: how many per selector ("" = all rules), and their ends
    let mut open: HashMap<String, usize> = HashMap::new();
    let mut ends: std::collections::BinaryHeap<std::cmp::Reverse<(usize, usize)>> =
        std::collections::BinaryHeap::new();
    let mut next = 0;
    diagnostics.retain(|d| {
        let at = d.span.start;
        while let Some(r) = ranges.get(next).filter(|r| r.range.start <= at) {
            for sel in selectors(r) {
                *open.entry(sel.to_owned()).or_default() += 1;
            }
            ends.push(std::cmp::Reverse((r.range.end, next)));
            next += 1;
        }
        while let Some(&std::cmp::Reverse((end, i))) = ends.peek() {
            if end > at {
                break;
            }
            ends.pop();
            for sel in selectors(&ranges[i]) {
                if let Some(n) = open.get_mut(sel) {
                    *n -= 1;
                }
            }
        }
        let is_open = |sel: &str| open.get(sel).is_some_and(|&n| n > 0);
        !(is_open("") || is_open("all") || is_open(&d.rule) || is_open(d.category.as_str()))
    });
    diagnostics
}

/// The selectors a disabled range names (`""` for all rules).
fn selectors(r: &DisabledRange) -> impl Iterator<Item = &str> {
    let all = r.rules.is_empty().then_some("");
    all.into_iter().chain(r.rules.iter().map(String::as_str))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_depends_on_nearby_text_only() {
        let a = "第一段很长很长的内容。\n开展劳动竟赛活动，提高质量。\n";
        let b = "完全不同的开头。\n\n开展劳动竟赛活动，提高质量。\n结尾也变了\n";
        let span = |t: &str| {
            let i = t.find("竟赛").unwrap();
            i..i + "竟赛".len()
        };
        assert_eq!(
            context_hash(a, "common-typo", &span(a)),
            context_hash(b, "common-typo", &span(b))
        );
        let c = a.replace("劳动竟赛活动", "技能竟赛活动");
        assert_ne!(
            context_hash(a, "common-typo", &span(a)),
            context_hash(&c, "common-typo", &span(&c))
        );
        assert_ne!(
            context_hash(a, "common-typo", &span(a)),
            context_hash(a, "other-rule", &span(a))
        );
        // CRLF does not change the hash
        let crlf = a.replace('\n', "\r\n");
        assert_eq!(
            context_hash(a, "r", &span(a)),
            context_hash(&crlf, "r", &span(&crlf))
        );
    }

    #[test]
    fn markdown_ranges() {
        let t = "甲\n<!-- gwlint-disable common-typo, spacing -->\n乙\n<!-- gwlint-enable spacing -->\n丙\n<!--gwlint-disable-->\n丁";
        let r = markdown_disabled(t);
        let b = t.find('乙').unwrap();
        let c = t.find('丙').unwrap();
        let d = t.find('丁').unwrap();
        let covers = |off: usize, rule: &str| {
            r.iter().any(|x| {
                x.range.contains(&off) && (x.rules.is_empty() || x.rules.iter().any(|s| s == rule))
            })
        };
        assert!(covers(b, "common-typo") && covers(b, "spacing"));
        assert!(covers(c, "common-typo") && !covers(c, "spacing"));
        assert!(covers(d, "anything"));
        assert!(!covers(0, "common-typo"));
        // an unrelated comment or a longer word is not a directive
        assert!(markdown_disabled("<!-- note --> <!-- gwlint-disabled x -->").is_empty());
    }

    #[test]
    fn ignore_file_round_trip() {
        let mut f = IgnoreFile::new(std::path::Path::new("/p/.gwlint-ignore.yaml"));
        let e = IgnoreEntry {
            file: "通知.txt".into(),
            rule: "common-typo".into(),
            hash: "00ff00ff00ff00ff".into(),
            text: "竟赛".into(),
        };
        assert_eq!(f.add([e.clone(), e.clone()]), 1);
        let text = f.render();
        assert!(text.starts_with("# gwlint"));
        assert_eq!(IgnoreFile::parse("x", &text).unwrap(), vec![e]);
        let bad = IgnoreFile::parse("x", "ignores:\n  - file: a\n    rul: b\n").unwrap_err();
        assert_eq!(bad.line, 3, "{bad}");
        assert_eq!(f.key_for(std::path::Path::new("/p/子/a.txt")), "子/a.txt");
    }
}
