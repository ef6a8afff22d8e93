//! `duplicate-line`: a non-trivial line printed twice — the same line right after itself (a
//! title or caption repeated), a long line or paragraph repeated within one contained
//! document, or a title broken into short fragments on the lines next to the full title
//! (cover residue: 「2023 / 工会工作 / 要点」 beside 「2023年工会工作要点」).
//!
//! A paragraph repeated under another outline marker (「（三）X」 … 「（四）X」) is compared
//! without its marker; a sentence pasted twice inside one paragraph (「经核查，A。A。」) is
//! found too.
//!
//! Lines are compared on the normalised view (spaces removed, full-width folded). Short
//! lines such as table cells (「一季度」) are never duplicates; nor are the repeated fields of
//! a flattened form (a line starting with a label such as 「来源：」 that heads at least
//! `record_label_min_lines` lines). The lengths are `params`.

use crate::diagnostic::Findings;
use crate::document::layout::LineKind;
use crate::document::Document;
use crate::rules::{Check, RuleMeta};
use serde::Deserialize;
use std::collections::HashMap;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Params {
    /// A line repeated right after itself counts from this many characters.
    adjacent_min_chars: usize,
    /// A line repeated anywhere in the same document counts from this many characters.
    anywhere_min_chars: usize,
    /// Cover fragments: lines of at most this many characters…
    fragment_max_chars: usize,
    /// …that together make at least this share of the neighbouring title.
    fragment_min_share: f64,
    /// A sentence repeated within one paragraph counts from this many characters.
    #[serde(default = "sentence_min_chars")]
    sentence_min_chars: usize,
    /// A field label (「指标来源：」) on at least this many lines marks a flattened form or
    /// table whose repeated fields are not duplicates.
    #[serde(default = "record_label_min_lines")]
    record_label_min_lines: usize,
}

fn sentence_min_chars() -> usize {
    8
}

fn record_label_min_lines() -> usize {
    3
}

impl Default for Params {
    fn default() -> Params {
        Params {
            adjacent_min_chars: 6,
            anywhere_min_chars: 20,
            fragment_max_chars: 8,
            fragment_min_share: 0.7,
            sentence_min_chars: sentence_min_chars(),
            record_label_min_lines: record_label_min_lines(),
        }
    }
}

pub struct DuplicateLine {
    p: Params,
}

pub fn build(value: &serde_yaml::Value) -> Result<Box<dyn Check>, String> {
    Ok(Box::new(DuplicateLine {
        p: super::params(value)?,
    }))
}

fn is_subsequence(needle: &str, hay: &str) -> bool {
    let mut it = hay.chars();
    needle.chars().all(|c| it.any(|h| h == c))
}

impl Check for DuplicateLine {
    fn check(&self, doc: &Document, meta: &RuleMeta, out: &mut Findings) {
        let st = doc.structure();
        let norm = doc.normalized.as_str();
        let nonblank: Vec<usize> = (0..st.lines.len())
            .filter(|&i| !st.lines[i].norm().is_empty())
            .collect();
        let compact = |i: usize| &norm[st.lines[i].norm()];
        // letters, digits and Han only: 「|---|---|」 and 「……」 are not content
        let chars = |i: usize| {
            compact(i)
                .chars()
                .filter(|&c| crate::normalize::is_letter_or_digit(c))
                .count()
        };
        let markup = |i: usize| compact(i).starts_with(['#', '|', '>', '-', '*']);
        let content = |i: usize| {
            let r = &st.lines[i].range();
            let line = &doc.text[r.clone()];
            let lead = line.len() - line.trim_start().len();
            r.start + lead..r.start + line.trim_end().len().max(lead)
        };
        // a line repeated right after itself, or a long line repeated in the same document
        // lines are visited in order, so one map per contained document suffices; keyed by
        // a fast hash of the line (verified on a hit), not by the string
        let mut seen: HashMap<u64, usize, BuildNoHash> = HashMap::default();
        let marker_chars = heading_marker_chars(doc);
        // the line without its outline marker, for the comparison of long lines
        let body = |i: usize| {
            let c = compact(i);
            match marker_chars.get(&i) {
                Some(&n) => c.char_indices().nth(n).map_or("", |(b, _)| &c[b..]),
                None => c,
            }
        };
        let labels = RecordLabels::count(nonblank.iter().map(|&i| compact(i)));
        let mut segment = 0;
        for (k, &i) in nonblank.iter().enumerate() {
            while segment + 1 < st.segments.len() && st.segments[segment + 1].lines.start <= i {
                segment += 1;
                seen.clear();
            }
            let c = compact(i);
            if c.len() < self.p.adjacent_min_chars.min(self.p.anywhere_min_chars) || markup(i) {
                continue; // too short (bytes ≥ chars), or Markdown headings, tables, lists
            }
            let adjacent = k > 0 && compact(nonblank[k - 1]) == c;
            let long = c.len() >= self.p.anywhere_min_chars;
            if !adjacent && !long {
                continue;
            }
            let key = body(i);
            let hash =
                (long && key.len() >= self.p.anywhere_min_chars).then(|| fx_hash(key.as_bytes()));
            let earlier = hash
                .and_then(|h| seen.get(&h).copied())
                .filter(|&e| body(e) == key)
                .filter(|_| !labels.is_record_field(c, self.p.record_label_min_lines));
            if !adjacent && earlier.is_none() {
                if let Some(h) = hash {
                    seen.entry(h).or_insert(i);
                }
                continue;
            }
            let n = chars(i);
            let adjacent = adjacent && n >= self.p.adjacent_min_chars;
            let long = n >= self.p.anywhere_min_chars;
            let earlier = earlier.filter(|_| long);
            if adjacent || earlier.is_some() {
                let first = if adjacent {
                    nonblank[k - 1]
                } else {
                    earlier.unwrap_or(i)
                };
                let span = content(i);
                let sugg = format!("与第{}行重复", first + 1);
                out.push(meta.diagnostic(span.clone(), &doc.text[span], Some(&sugg), None));
            } else if let Some(h) = hash {
                seen.entry(h).or_insert(i);
            }
        }
        self.repeated_sentences(doc, &nonblank, meta, out);
        self.cover_fragments(doc, &nonblank, meta, out);
    }
}

impl DuplicateLine {
    /// Cover fragments next to the full title: a run of short lines whose letters, read
    /// together, are the line before or after.
    fn cover_fragments(
        &self,
        doc: &Document,
        nonblank: &[usize],
        meta: &RuleMeta,
        out: &mut Findings,
    ) {
        let st = doc.structure();
        let norm = doc.normalized.as_str();
        let compact = |i: usize| &norm[st.lines[i].norm()];
        let content = |i: usize| {
            let r = &st.lines[i].range();
            let line = &doc.text[r.clone()];
            let lead = line.len() - line.trim_start().len();
            r.start + lead..r.start + line.trim_end().len().max(lead)
        };
        let short = |i: usize| {
            let c = compact(i);
            if c.len() > 4 * self.p.fragment_max_chars {
                return false;
            }
            let n = c.chars().count();
            n > 0
                && n <= self.p.fragment_max_chars
                && c.chars().all(crate::normalize::is_letter_or_digit)
        };
        let mut k = 0;
        while k < nonblank.len() {
            if !short(nonblank[k]) {
                k += 1;
                continue;
            }
            let start = k;
            while k < nonblank.len() && short(nonblank[k]) {
                k += 1;
            }
            let run = &nonblank[start..k];
            if run.len() < 2 {
                continue;
            }
            let joined: String = run.iter().map(|&i| compact(i)).collect();
            let neighbours = [
                start.checked_sub(1),
                Some(k).filter(|&n| n < nonblank.len()),
            ];
            for nb in neighbours.into_iter().flatten() {
                let line = nonblank[nb];
                let whole = compact(line);
                let share = joined.chars().count() as f64 / whole.chars().count().max(1) as f64;
                if share >= self.p.fragment_min_share && is_subsequence(&joined, whole) {
                    let (Some(&first), Some(&last)) = (run.first(), run.last()) else {
                        break;
                    };
                    let span = content(first).start..content(last).end;
                    let sugg = format!(
                        "第{}—{}行拆开的文字与第{}行重复",
                        first + 1,
                        last + 1,
                        line + 1
                    );
                    out.push(meta.diagnostic(span.clone(), &doc.text[span], Some(&sugg), None));
                    break;
                }
            }
        }
    }

    /// A sentence that occurs twice in one paragraph (line): the same sentence again, or a
    /// sentence that repeats the end of the one before it (「经核查，A。A。」).
    fn repeated_sentences(
        &self,
        doc: &Document,
        nonblank: &[usize],
        meta: &RuleMeta,
        out: &mut Findings,
    ) {
        let st = doc.structure();
        for &i in nonblank {
            if !matches!(st.kind(i), LineKind::Prose | LineKind::Heading) {
                continue;
            }
            let range = st.lines[i].range();
            let line = &doc.text[range.clone()];
            // sentences long enough to count, by hash (a hit is compared as text)
            let mut earlier: HashMap<u64, &str, BuildNoHash> = HashMap::default();
            let mut previous: Option<&str> = None;
            let mut start = 0;
            for end in sentence_ends(line) {
                let sentence = line[start..end].trim_start();
                let from = end - sentence.len();
                start = end;
                let before = previous.replace(sentence);
                // bytes ≥ characters: a short sentence is never decoded
                let min = self.p.sentence_min_chars;
                let long_enough = sentence.len() >= min
                    && sentence
                        .chars()
                        .filter(|&c| crate::normalize::is_letter_or_digit(c))
                        .take(min)
                        .count()
                        >= min;
                if !long_enough {
                    continue;
                }
                let seen_before = match earlier.entry(fx_hash(sentence.as_bytes())) {
                    std::collections::hash_map::Entry::Occupied(e) => *e.get() == sentence,
                    std::collections::hash_map::Entry::Vacant(e) => {
                        e.insert(sentence);
                        false
                    }
                };
                let repeated = seen_before
                    || before.is_some_and(|prev| {
                        prev.len() > sentence.len() && prev.ends_with(sentence)
                    });
                if repeated {
                    let span = range.start + from..range.start + end;
                    let sugg = "同一段中重复出现";
                    out.push(meta.diagnostic(span.clone(), &doc.text[span], Some(sugg), None));
                }
            }
        }
    }
}

/// The byte offsets right after each 。, ！ and ？ of `line`, in order: their last bytes
/// found with one SIMD scan, each confirmed by the bytes before it.
fn sentence_ends(line: &str) -> impl Iterator<Item = usize> + '_ {
    let bytes = line.as_bytes();
    memchr::memchr3_iter(0x82, 0x81, 0x9F, bytes).filter_map(move |p| {
        let mark: &str = match bytes[p] {
            0x82 => "。",
            0x81 => "！",
            _ => "？",
        };
        bytes[..=p].ends_with(mark.as_bytes()).then_some(p + 1)
    })
}

/// For each heading line, the number of non-space characters of its marker as written.
fn heading_marker_chars(doc: &Document) -> HashMap<usize, usize> {
    doc.structure()
        .headings
        .iter()
        .map(|h| {
            let marker = &doc.text[h.marker_span()];
            (
                h.line(),
                marker.chars().filter(|c| !c.is_whitespace()).count(),
            )
        })
        .collect()
}

/// How many lines start with each field label (「来源：」, at most six characters before a
/// colon): the fields of a flattened form repeat by design.
struct RecordLabels<'a>(HashMap<&'a str, usize>);

impl<'a> RecordLabels<'a> {
    fn count(lines: impl Iterator<Item = &'a str>) -> RecordLabels<'a> {
        let mut map = HashMap::new();
        for line in lines {
            if let Some(label) = field_label(line) {
                *map.entry(label).or_insert(0) += 1;
            }
        }
        RecordLabels(map)
    }

    fn is_record_field(&self, line: &str, min_lines: usize) -> bool {
        field_label(line).is_some_and(|l| self.0.get(l).is_some_and(|&n| n >= min_lines))
    }
}

/// 「指标来源：…」 → 「指标来源」: a label of 2–6 letters before a colon at the start.
fn field_label(line: &str) -> Option<&str> {
    let (at, _) = line
        .char_indices()
        .take(7)
        .find(|&(_, c)| matches!(c, '：' | ':'))?;
    let label = &line[..at];
    let n = label.chars().count();
    ((2..=6).contains(&n) && label.chars().all(crate::normalize::is_letter_or_digit))
        .then_some(label)
}

/// FxHash-style hash of bytes, 8 at a time (collisions are checked by the caller).
fn fx_hash(bytes: &[u8]) -> u64 {
    const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
    let mut h: u64 = bytes.len() as u64;
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
    }
    for &b in chunks.remainder() {
        h = (h.rotate_left(5) ^ u64::from(b)).wrapping_mul(K);
    }
    h
}

/// The keys are already hashes: use them as they are.
#[derive(Default, Clone, Copy)]
struct NoHash(u64);

impl std::hash::Hasher for NoHash {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

type BuildNoHash = std::hash::BuildHasherDefault<NoHash>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentence_ends_are_found_after_each_full_stop_and_only_there() {
        // 「」 and 【】 share last bytes with 。！？ in other characters: 「 is E3 80 8C,
        // 】 E3 80 91; 丂 (E4 B8 82) ends in 0x82 too
        let line = "甲乙。丂丙！丁？「戊」";
        let ends: Vec<usize> = sentence_ends(line).collect();
        let expected: Vec<usize> = line
            .char_indices()
            .filter(|(_, c)| matches!(c, '。' | '！' | '？'))
            .map(|(i, c)| i + c.len_utf8())
            .collect();
        assert_eq!(ends, expected);
        assert_eq!(ends.len(), 3);
    }
}
