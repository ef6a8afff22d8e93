//! The normalised view: the text with spaces removed and full-width ASCII folded,
//! plus a compact map from normalised byte offsets back to the original.
//!
//! A rule written once against the normalised view (`【更多公文素材,微信:`) matches
//! `【更 多公文素材，微信 ：`; [`NormalizedView::to_original`] turns the match back
//! into the exact original span.
//!
//! The map stores only break points (where the offset difference changes), so it
//! costs memory in proportion to the number of removed spaces and folded characters,
//! not to the text length.

use std::ops::Range;

/// Characters removed from the normalised view.
pub fn is_removed_space(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\r' | '\u{3000}' | '\u{00A0}' | '\u{2002}'..='\u{200B}' | '\u{FEFF}'
    )
}

/// A letter or digit ([`char::is_alphanumeric`]), with ASCII and the CJK Unified
/// Ideographs answered first: the standard library looks every non-ASCII character up in
/// its tables, and in Chinese text that lookup was a few percent of a check.
pub fn is_letter_or_digit(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || ('\u{4E00}'..='\u{9FFF}').contains(&c)
        || (!c.is_ascii() && c.is_alphanumeric())
}

/// Full-width ASCII (U+FF01..=U+FF5E) folded to half-width; other characters unchanged.
pub fn fold_char(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFF01 + 0x21).unwrap_or(c),
        _ => c,
    }
}

/// Half-width ASCII punctuation/letters/digits (U+0021..=U+007E) to full-width.
pub fn to_fullwidth(c: char) -> char {
    match c {
        '\u{21}'..='\u{7E}' => char::from_u32(c as u32 - 0x21 + 0xFF01).unwrap_or(c),
        _ => c,
    }
}

/// The bytes that start a character the view removes, folds or rewrites: space, tab,
/// CR, and the lead bytes of U+0080..U+00BF (no-break space), U+2000..U+2FFF (the thin
/// spaces), U+3000..U+3FFF (the ideographic space) and U+F000..U+FFFF (full-width ASCII,
/// the BOM). Every other byte is copied as it is.
static MAY_CHANGE: [bool; 256] = {
    let mut table = [false; 256];
    let mut k = 0;
    let bytes = [b' ', b'\t', b'\r', 0xC2, 0xE2, 0xE3, 0xEF];
    while k < bytes.len() {
        table[bytes[k] as usize] = true;
        k += 1;
    }
    table
};

/// Whether the view removes, folds or rewrites the character at `i` (a character
/// boundary): [`is_removed_space`], [`fold_char`], or `\r`. Read from its bytes, so that
/// the common marks that share a lead byte with those characters (。、《》「」 with the
/// ideographic space, the curly quotes with the thin spaces) are copied in runs.
fn changes_at(bytes: &[u8], i: usize) -> bool {
    let next = |k: usize| bytes.get(i + k).copied().unwrap_or(0);
    match bytes[i] {
        b' ' | b'\t' | b'\r' => true,
        0xC2 => next(1) == 0xA0, // U+00A0
        0xE2 => next(1) == 0x80 && (0x82..=0x8B).contains(&next(2)), // U+2002..U+200B
        0xE3 => next(1) == 0x80 && next(2) == 0x80, // U+3000
        0xEF => match next(1) {
            0xBB => next(2) == 0xBF,                  // U+FEFF
            0xBC => (0x81..=0xBF).contains(&next(2)), // U+FF01..U+FF3F
            0xBD => (0x80..=0x9E).contains(&next(2)), // U+FF40..U+FF5E
            _ => false,
        },
        _ => false,
    }
}

/// The end of the run of characters from `i` that the view keeps as they are.
fn kept_run_end(bytes: &[u8], i: usize) -> usize {
    let mut end = i;
    loop {
        let Some(k) = bytes[end..]
            .iter()
            .position(|&b| MAY_CHANGE[usize::from(b)])
        else {
            return bytes.len();
        };
        let at = end + k;
        if changes_at(bytes, at) {
            return at;
        }
        end = at + crate::source::utf8_len(bytes[at]);
    }
}

/// Record that normalised offset `norm` maps to original offset `orig`; a later break at
/// the same normalised offset (a folded comma followed by spaces) replaces the earlier.
fn add_break(breaks: &mut Vec<[u32; 2]>, norm: u32, orig: u32) {
    match breaks.last_mut() {
        Some(last) if last[0] == norm => last[1] = orig,
        _ => breaks.push([norm, orig]),
    }
}

#[derive(Debug, Clone)]
pub struct NormalizedView {
    text: String,
    /// `[normalised offset, original offset]` break points, sorted, starting at [0, 0].
    /// 32-bit: Chinese text folds a full-width comma every few characters, so a 200 MB
    /// file has millions of break points.
    breaks: Vec<[u32; 2]>,
    original_len: usize,
}

impl NormalizedView {
    /// The view of `original`. A text of 4 GiB or more (never loaded from a file: the
    /// loader refuses files over 512 MiB) gets the identity view, so offsets always fit.
    pub fn new(original: &str) -> NormalizedView {
        let narrow = crate::source::saturating_u32;
        let mut breaks = vec![[0u32, 0u32]];
        if u32::try_from(original.len()).is_err() {
            return NormalizedView {
                text: original.to_owned(),
                breaks,
                original_len: original.len(),
            };
        }
        let mut text = String::with_capacity(original.len());
        // the last break point: normalised and original offset
        let mut last = (0usize, 0usize);
        // a break where the offsets stop running in step
        let keep_in_step =
            |text: &String, breaks: &mut Vec<[u32; 2]>, last: &mut (usize, usize), i: usize| {
                if last.1 + (text.len() - last.0) != i {
                    *last = (text.len(), i);
                    add_break(breaks, narrow(last.0), narrow(last.1));
                }
            };
        let bytes = original.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            // a run of characters the view keeps as they are, copied whole: every byte
            // that may start a removed, folded or rewritten character is in `MAY_CHANGE`
            let run_end = kept_run_end(bytes, i);
            if run_end > i {
                keep_in_step(&text, &mut breaks, &mut last, i);
                text.push_str(&original[i..run_end]);
                i = run_end;
                continue;
            }
            let Some(c) = original[i..].chars().next() else {
                break;
            };
            let len = c.len_utf8();
            // a lone `\r` ends a line (`source::line_break_len`): it stays, as `\n`, so
            // the view has the original's lines; the `\r` of `\r\n` goes like a space
            let kept = match c {
                '\r' if bytes.get(i + 1) != Some(&b'\n') => '\n',
                c if is_removed_space(c) => {
                    i += len;
                    continue;
                }
                c => c,
            };
            keep_in_step(&text, &mut breaks, &mut last, i);
            let folded = fold_char(kept);
            text.push(folded);
            if folded.len_utf8() != len {
                last = (text.len(), i + len);
                add_break(&mut breaks, narrow(last.0), narrow(last.1));
            }
            i += len;
        }
        NormalizedView {
            text,
            breaks,
            original_len: original.len(),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Original offset of the character starting at normalised offset `pos`
    /// (`pos == len` maps to the original end).
    pub fn original_offset(&self, pos: usize) -> usize {
        if pos >= self.text.len() {
            return self.original_len;
        }
        let i = self
            .breaks
            .partition_point(|&[n, _]| n as usize <= pos)
            .saturating_sub(1);
        let [bn, bo] = self.breaks.get(i).copied().unwrap_or([0, 0]);
        bo as usize + (pos - bn as usize)
    }

    /// Map a normalised byte range to the original byte range it was made from:
    /// from the first matched character's start to the last matched character's end
    /// (spaces inside the range are included, spaces around it are not).
    pub fn to_original(&self, original: &str, range: Range<usize>) -> Range<usize> {
        let start = self.original_offset(range.start);
        if range.end <= range.start {
            return start..start;
        }
        let mut last = range.end.min(self.text.len()).saturating_sub(1);
        while last > 0 && !self.text.is_char_boundary(last) {
            last -= 1;
        }
        let last_orig = self.original_offset(last);
        let len = original[last_orig.min(original.len())..]
            .chars()
            .next()
            .map_or(0, char::len_utf8);
        start..(last_orig + len).max(start)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte test of the runs agrees, for every character, with the character tests of
    /// the slow path: a character is copied in a run exactly when the view keeps it.
    #[test]
    fn a_character_is_copied_in_a_run_exactly_when_the_view_keeps_it() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let mut buf = [0u8; 4];
            let bytes = c.encode_utf8(&mut buf).as_bytes();
            let changes = c == '\r' || is_removed_space(c) || fold_char(c) != c;
            let in_run = !MAY_CHANGE[usize::from(bytes[0])] || !changes_at(bytes, 0);
            assert_eq!(in_run, !changes, "U+{:04X}", u32::from(c));
        }
    }

    #[test]
    fn maps_spaced_fullwidth_text_back() {
        let orig = "前言\n【更 多公文素材，微信 ：d adawk01】后";
        let view = NormalizedView::new(orig);
        assert_eq!(view.as_str(), "前言\n【更多公文素材,微信:dadawk01】后");
        let s = view.as_str().find('【').unwrap();
        let e = view.as_str().find('】').unwrap() + '】'.len_utf8();
        let r = view.to_original(orig, s..e);
        assert_eq!(&orig[r], "【更 多公文素材，微信 ：d adawk01】");
    }

    #[test]
    fn fullwidth_digits_and_trailing_spaces() {
        let orig = "入会率保持在　９８ 以上";
        let view = NormalizedView::new(orig);
        assert_eq!(view.as_str(), "入会率保持在98以上");
        let s = view.as_str().find("98").unwrap();
        assert_eq!(&orig[view.to_original(orig, s..s + 2)], "９８");
        assert_eq!(&orig[view.to_original(orig, s..s + 1)], "９");
    }

    #[test]
    fn a_lone_cr_is_a_line_break_in_the_view() {
        let orig = "甲\r乙\r\n丙\n";
        let view = NormalizedView::new(orig);
        assert_eq!(view.as_str(), "甲\n乙\n丙\n");
        let p = view.as_str().find('丙').unwrap();
        assert_eq!(&orig[view.to_original(orig, p..p + 3)], "丙");
    }

    /// The view as it was first written, one character at a time: the run-copying
    /// [`NormalizedView::new`] must give the same text and the same break points.
    fn reference(original: &str) -> (String, Vec<[u32; 2]>) {
        let mut breaks = vec![[0u32, 0u32]];
        let mut text = String::new();
        let mut last = (0usize, 0usize);
        let bytes = original.as_bytes();
        for (i, c) in original.char_indices() {
            let c = match c {
                '\r' if bytes.get(i + 1) != Some(&b'\n') => '\n',
                c if is_removed_space(c) => continue,
                c => c,
            };
            if last.1 + (text.len() - last.0) != i {
                last = (text.len(), i);
                add_break(&mut breaks, last.0 as u32, last.1 as u32);
            }
            let folded = fold_char(c);
            text.push(folded);
            if folded.len_utf8() != c.len_utf8() {
                last = (text.len(), i + c.len_utf8());
                add_break(&mut breaks, last.0 as u32, last.1 as u32);
            }
        }
        (text, breaks)
    }

    proptest::proptest! {
        #[test]
        fn copying_runs_gives_the_characterwise_view(
            pieces in proptest::collection::vec(proptest::sample::select(vec![
                "a", " ", "\t", "\r", "\n", "\r\n", "，", "：", "（", "Ａ", "９", "\u{3000}",
                "\u{A0}", "\u{2003}", "\u{200B}", "\u{2010}", "—", "\u{FEFF}", "\u{FF5F}",
                "、", "。", "「", "中", "文", "𠮷", "é", "·", "\u{2028}",
            ]), 0..60)
        ) {
            let original: String = pieces.concat();
            let view = NormalizedView::new(&original);
            let (text, breaks) = reference(&original);
            proptest::prop_assert_eq!(view.as_str(), text.as_str());
            proptest::prop_assert_eq!(&view.breaks, &breaks);
        }
    }

    #[test]
    fn letter_or_digit_is_is_alphanumeric() {
        for c in (0..0x11_0000).filter_map(char::from_u32) {
            assert_eq!(is_letter_or_digit(c), c.is_alphanumeric(), "{c:?}");
        }
    }

    #[test]
    fn every_char_round_trips() {
        let orig = " a，Ｂ 𠮷\t中 ３\r\n";
        let view = NormalizedView::new(orig);
        for (p, c) in view.as_str().char_indices() {
            let r = view.to_original(orig, p..p + c.len_utf8());
            let oc = orig[r].chars().next().unwrap();
            assert_eq!(fold_char(oc), c);
        }
    }
}
