//! Numbering analysis of the outline: one walk over the headings of each contained document
//! checks every heading against its siblings (same parent and level). Continuous numbering
//! across sections (1–17 under 一、–五、) is recognised at the second group of a level and
//! then expected; a restart at 1 inside such a sequence is a wrong start. A heading that fits
//! neither its own level but continues an enclosing level written in the same kind of
//! numerals (（3） after 1. 2.) is misplaced and then treated as that level. Inline
//! enumerations 一是…二是… are checked for gaps per line.
//!
//! Computed once per document ([`super::Structure::numbering`]); the numbering rules filter it.

use super::outline::{Heading, Marker, MarkerStyle};
use super::Structure;
use foldhash::{HashMap, HashMapExt};
use std::ops::Range;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    Skipped,
    Repeated,
    WrongStart,
    MixedDelimiter,
    MixedStyle,
    Misplaced,
    /// A marker glued to the end of the previous item's line.
    Glued,
}

/// One finding: the marker's span, the marker as written and the expected marker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub fault: Fault,
    pub span: Range<usize>,
    pub expected: String,
    /// The other markers of the same fault that one fix rewrites together (a level written
    /// 「1、」 throughout is reported once, at its first marker): span and expected marker.
    pub also: Vec<(Range<usize>, String)>,
}

#[derive(Default)]
struct LevelState {
    /// Last number at this level in the document (across groups).
    running: Option<u32>,
    /// Whether numbering continues across groups; decided at the second group.
    continuous: Option<bool>,
}

/// Check the numbering of every contained document.
pub fn analyse(st: &Structure) -> Vec<Finding> {
    let mut out = Vec::new();
    // glued markers that continue the numbering take part in the sequence, so that the
    // next heading is not reported as a gap
    let glued_items = glued(st, &mut out);
    let mut gi = 0;
    for g in &st.segments {
        let own = &st.headings[g.headings.clone()];
        let first_glued = gi;
        while gi < glued_items.len() && glued_items[gi].line() < g.lines.end {
            gi += 1;
        }
        if first_glued == gi {
            analyse_segment(own, &mut out);
            mixed(own, &mut out);
        } else {
            let mut merged: Vec<Heading> = own.to_vec();
            merged.extend(glued_items[first_glued..gi].iter().map(|h| (*h).clone()));
            merged.sort_by_key(|h| h.marker_span().start);
            analyse_segment(&merged, &mut out);
            mixed(&merged, &mut out);
        }
    }
    inline_gaps(st, &mut out);
    out
}

/// 「1.开展检查。2.组织整改。」: a marker after a sentence end that continues the numbering of
/// the last heading of the same style (or of the marker glued before it on the same line).
fn glued<'a>(st: &'a Structure, out: &mut Vec<Finding>) -> Vec<&'a Heading> {
    let mut accepted = Vec::new();
    let mut last_line = usize::MAX;
    let mut chained: Option<(MarkerStyle, u32)> = None;
    for g in &st.glued {
        if g.line() != last_line {
            last_line = g.line();
            chained = None;
        }
        // the nearest heading of this style at or above this line, in the same segment
        let upto = st.headings.partition_point(|h| h.line() <= g.line());
        let segment = st.segment_of_line(g.line());
        let prev = st.headings[..upto]
            .iter()
            .rev()
            .take_while(|h| st.segment_of_line(h.line()) == segment)
            .find(|h| h.style == g.style)
            .map(|h| h.number);
        let prev = match chained {
            Some((style, n)) if style == g.style => Some(n),
            _ => prev,
        };
        if prev.is_some_and(|p| g.number == p + 1) {
            out.push(Finding {
                fault: Fault::Glued,
                span: g.marker_span(),
                expected: g.marker(),
                also: Vec::new(),
            });
            chained = Some((g.style, g.number));
            accepted.push(g);
        }
    }
    accepted
}

fn analyse_segment(hs: &[Heading], out: &mut Vec<Finding>) {
    // effective (level, style, number, delimiter) of the open ancestors, innermost last;
    // the first field is an id for the sibling groups
    let mut stack: Vec<(u8, usize, MarkerStyle, u32, &str)> = Vec::new();
    let mut last_in_group: HashMap<(Option<usize>, u8), u32> = HashMap::new();
    // the number a repeated marker should have had, per group: 「一、二、二、四」 is one
    // fault (the second 二 is 三), so the 四 after it is not reported as skipped
    let mut corrected: HashMap<(Option<usize>, u8), u32> = HashMap::new();
    let mut levels: HashMap<u8, LevelState> = HashMap::new();
    for (i, h) in hs.iter().enumerate() {
        let level = h.level();
        while stack.last().is_some_and(|s| s.0 >= level) {
            stack.pop();
        }
        if !h.style.is_numbered() {
            // 「1.2 范围」「注：」: opens a scope; the lists under it start again
            levels.retain(|l, _| *l < level);
            stack.push((level, i, h.style, h.number, h.delimiter()));
            continue;
        }
        let parent = stack.last().map(|s| s.1);
        let key = (parent, level);
        let prev = last_in_group.get(&key).copied();
        let state = levels.entry(level).or_default();
        let n = h.number;
        let render = |num: u32| Marker::render(h.style, num, h.delimiter());
        let after_repeat = corrected.remove(&key);
        let fault: Option<(Fault, u32)> = match prev {
            Some(p) if n == p + 1 => None,
            Some(_) if after_repeat.is_some_and(|e| n == e + 1) => None,
            Some(p) if n > p + 1 => Some((Fault::Skipped, p + 1)),
            Some(p) => Some((Fault::Repeated, p + 1)),
            None => match (state.running, state.continuous) {
                (None, _) => (n != 1).then_some((Fault::WrongStart, 1)),
                (Some(r), Some(true)) if n == r + 1 => None,
                (Some(r), Some(true)) if n > r + 1 => Some((Fault::Skipped, r + 1)),
                (Some(r), Some(true)) => Some((Fault::WrongStart, r + 1)),
                (Some(_), Some(false)) => (n != 1).then_some((Fault::WrongStart, 1)),
                (Some(r), None) => (n != 1 && n != r + 1).then_some((Fault::WrongStart, 1)),
            },
        };
        if fault.is_some() {
            // does it continue an enclosing level written in the same kind of numerals?
            // (a target numbered 1 is ambiguous: 「一、（二）」 is more likely a wrong start)
            let target = stack.iter().rposition(|s| {
                s.2 != h.style
                    && s.2.is_chinese() == h.style.is_chinese()
                    && n == s.3 + 1
                    && (s.3 >= 2 || s.2 == MarkerStyle::Ordinal)
            });
            if let Some(t) = target {
                let (t_level, _, t_style, _, t_delim) = stack[t];
                let expected = Marker::render(t_style, n, t_delim);
                let kind = if t_style == MarkerStyle::Ordinal {
                    Fault::MixedStyle
                } else {
                    Fault::Misplaced
                };
                out.push(Finding {
                    fault: kind,
                    span: h.marker_span(),
                    expected,
                    also: Vec::new(),
                });
                stack.truncate(t);
                let t_parent = stack.last().map(|s| s.1);
                last_in_group.insert((t_parent, t_level), n);
                levels.entry(t_level).or_default().running = Some(n);
                stack.push((t_level, i, t_style, n, t_delim));
                continue;
            }
        }
        if let Some((kind, expected)) = fault {
            if kind == Fault::Repeated {
                corrected.insert(key, expected);
            }
            out.push(Finding {
                fault: kind,
                span: h.marker_span(),
                expected: render(expected),
                also: Vec::new(),
            });
        }
        let state = levels.entry(level).or_default();
        if prev.is_none() {
            if let Some(r) = state.running {
                if state.continuous.is_none() {
                    state.continuous = Some(n != 1 && n == r + 1);
                }
            }
        }
        state.running = Some(n);
        last_in_group.insert(key, n);
        stack.push((level, i, h.style, n, h.delimiter()));
    }
}

/// Delimiters GB/T 9704-2012 prescribes: 一、 （一） 1. （1）. Any other is reported
/// wherever it stands (「二，」「三．」「1、」「（一）、」), whatever the rest of the document
/// uses; among the acceptable ones (「1.」 and 「1．」, 「（一）」 and 「(一)」) the minority
/// is reported. 第X markers of one level with different nouns are mixed styles.
fn mixed(hs: &[Heading], out: &mut Vec<Finding>) {
    let mut by_level: HashMap<(MarkerStyle, u8), Vec<&Heading>> = HashMap::new();
    for h in hs {
        if h.style != MarkerStyle::Circled && h.style.is_numbered() {
            by_level.entry((h.style, h.level())).or_default().push(h);
        }
    }
    let mut styles: Vec<_> = by_level.keys().copied().collect();
    styles.sort();
    for key in styles {
        let style = key.0;
        let list = &by_level[&key];
        let standard: Vec<&&Heading> = list
            .iter()
            .filter(|h| is_standard_delimiter(style, h.delimiter()))
            .collect();
        let nonstandard: Vec<&&Heading> = list
            .iter()
            .filter(|h| !is_standard_delimiter(style, h.delimiter()))
            .collect();
        let expected =
            |h: &Heading| Marker::render(style, h.number, standard_delimiter(style, &standard));
        if standard.is_empty() && nonstandard.len() > 1 {
            // the whole level is written one nonstandard way: one finding, one fix for all
            let (first, rest) = (nonstandard[0], &nonstandard[1..]);
            out.push(Finding {
                fault: Fault::MixedDelimiter,
                span: first.marker_span(),
                expected: expected(first),
                also: rest
                    .iter()
                    .map(|h| (h.marker_span(), expected(h)))
                    .collect(),
            });
        } else {
            for h in nonstandard {
                out.push(Finding {
                    fault: Fault::MixedDelimiter,
                    span: h.marker_span(),
                    expected: expected(h),
                    also: Vec::new(),
                });
            }
        }
        let mut counts: Vec<(&str, usize)> = Vec::new();
        for h in &standard {
            match counts.iter_mut().find(|c| c.0 == h.delimiter()) {
                Some(c) => c.1 += 1,
                None => counts.push((h.delimiter(), 1)),
            }
        }
        if counts.len() < 2 {
            continue;
        }
        // majority; ties go to the first written
        let mut best = counts[0];
        for c in &counts[1..] {
            if c.1 > best.1 {
                best = *c;
            }
        }
        for h in standard.iter().filter(|h| h.delimiter() != best.0) {
            out.push(Finding {
                fault: if style == MarkerStyle::Ordinal {
                    Fault::MixedStyle
                } else {
                    Fault::MixedDelimiter
                },
                span: h.marker_span(),
                expected: Marker::render(style, h.number, best.0),
                also: Vec::new(),
            });
        }
    }
}

/// Whether a delimiter is one GB/T 9704-2012 allows for the style (full- and half-width
/// forms of the same mark both pass; they are compared by majority).
fn is_standard_delimiter(style: MarkerStyle, delimiter: &str) -> bool {
    match style {
        MarkerStyle::Chinese => delimiter == "、",
        MarkerStyle::Arabic => matches!(delimiter, "." | "．"),
        MarkerStyle::ChineseParen | MarkerStyle::ArabicParen => !delimiter.ends_with('、'),
        _ => true,
    }
}

/// The delimiter a nonstandard marker should have: the standard one the document uses
/// most, else the standard form.
fn standard_delimiter(style: MarkerStyle, standard: &[&&Heading]) -> &'static str {
    let most = |a: &'static str, b: &'static str| {
        let ca = standard.iter().filter(|h| h.delimiter() == a).count();
        let cb = standard.iter().filter(|h| h.delimiter() == b).count();
        if cb > ca {
            b
        } else {
            a
        }
    };
    match style {
        MarkerStyle::Chinese => "、",
        MarkerStyle::Arabic => most(".", "．"),
        MarkerStyle::ChineseParen | MarkerStyle::ArabicParen => most("（）", "()"),
        _ => "",
    }
}

/// 一是、二是、四是: a gap in an inline enumeration on one line.
fn inline_gaps(st: &Structure, out: &mut Vec<Finding>) {
    let mut i = 0;
    let items = &st.inline_items;
    while i < items.len() {
        let line = items[i].line;
        let mut j = i;
        while j < items.len() && items[j].line == line {
            j += 1;
        }
        if items[i].number == 1 && j - i >= 2 {
            let mut prev = 1;
            for it in &items[i + 1..j] {
                if it.number > prev + 1 {
                    out.push(Finding {
                        fault: Fault::Skipped,
                        span: it.span.clone(),
                        expected: format!("{}是", super::numerals::cn_string(prev + 1)),
                        also: Vec::new(),
                    });
                } else if it.number == 1 {
                    // a second enumeration on the same line starts again at 一是
                } else if it.number <= prev {
                    out.push(Finding {
                        fault: Fault::Repeated,
                        span: it.span.clone(),
                        expected: format!("{}是", super::numerals::cn_string(prev + 1)),
                        also: Vec::new(),
                    });
                }
                prev = it.number;
            }
        }
        i = j;
    }
}
