//! Property tests (proptest) of the text plumbing, over drafts mixed from fragments the
//! rules react to and arbitrary Unicode:
//! - the normalised view's offset map round-trips every character, is monotonic, and maps
//!   any range (even out of bounds or mid-character) to a valid original range;
//! - every diagnostic span and fix edit of every built-in rule lies on char boundaries;
//! - decoding what an encoding wrote gives the text back, and writing it again gives the
//!   same bytes (BOM only where there was one, also with a forced encoding);
//! - line/column lookups (the CLI's `LineIndex`, the server's `LineMap` in UTF-8 and
//!   UTF-16, both with checkpoints inside long lines) agree with a naive count, for any
//!   offset (mid-character, past the end) and any LSP position;
//! - `.docx` paragraphs come back as the lines they were made from;
//! - `paragraph_around` agrees with a naive reference (lines end at `\n`, `\r\n` or a
//!   lone `\r` everywhere);
//! - a check that re-checks only the lines edited since the last one (the line-local rules
//!   with a `LineLocalMemo`, as the server checks) finds exactly what a check from scratch
//!   finds, over chains of random edits.
//!
//! Fix application (never panics, never touches text outside its edits) is property-tested
//! in `tests/fix_props.rs`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use gwlint::lsp::convert::{LineMap, PositionEncoding};
use gwlint::normalize::{fold_char, NormalizedView};
use gwlint::rules::LineLocalMemo;
use gwlint::source::{decode, LineIndex, TextEncoding};
use gwlint::{Document, RuleSet, Settings};
use lsp_types::Position;
use proptest::prelude::*;
use std::sync::OnceLock;

fn rules() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| RuleSet::builtin().unwrap())
}

const FRAGMENTS: &[&str] = &[
    "工作",
    "职工",
    "竟赛",
    "心里疏导",
    "才政",
    "监官",
    "演炼",
    "收支",
    "党的XX大",
    "不低于",
    "80",
    "９８",
    "%",
    "，",
    ",",
    "：",
    ":",
    "。",
    "（",
    "）",
    "“",
    "”",
    "《",
    "》",
    "〔2018〕",
    "[2018]",
    " ",
    "\u{3000}",
    "\u{00A0}",
    "\t",
    "\n",
    "\r\n",
    "\r",
    "\n\n",
    "【更多",
    "微信",
    "】",
    "一、",
    "（一）",
    "1.",
    "Ａ",
    "𠮷",
    "\u{FEFF}",
    "\u{200B}",
    "\r",
];

fn draft() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            4 => prop::sample::select(FRAGMENTS).prop_map(str::to_owned),
            1 => any::<char>().prop_map(String::from),
        ],
        0..60,
    )
    .prop_map(|v| v.concat())
}

/// Edits of a text: where (any number, taken modulo the characters), how many characters
/// to delete there, and what to insert.
fn edits() -> impl Strategy<Value = Vec<(usize, usize, String)>> {
    let insert =
        prop::collection::vec(prop::sample::select(FRAGMENTS), 0..4).prop_map(|v| v.concat());
    prop::collection::vec((any::<usize>(), 0usize..8, insert), 1..6)
}

/// `text` with one of [`edits`] applied at character boundaries.
fn apply_edit(text: &mut String, (at, delete, insert): &(usize, usize, String)) {
    let bounds: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain([text.len()])
        .collect();
    let first = at % bounds.len();
    let last = (first + delete).min(bounds.len() - 1);
    text.replace_range(bounds[first]..bounds[last], insert);
}

fn config() -> ProptestConfig {
    ProptestConfig {
        // PROPTEST_CASES=5000 for a longer hunt
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(64),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Texts with long lines: pieces of 1–3000 characters (ASCII, Han, 𠮷, line breaks of
/// every kind), so lines run past the 2 KiB checkpoint stride.
fn long_lines() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => (1usize..3000, prop::sample::select(&["a", "工", "𠮷", "，", "é"][..]))
            .prop_map(|(n, s)| s.repeat(n)),
        2 => draft(),
        1 => prop::sample::select(&["\n", "\r\n", "\r"][..]).prop_map(str::to_owned),
    ];
    prop::collection::vec(piece, 0..12).prop_map(|v| v.concat())
}

/// 1-based line and column in characters of `offset` (clamped, moved back to a char
/// boundary), counted from the start.
fn naive_position(text: &str, offset: usize) -> (usize, usize, usize) {
    let mut o = offset.min(text.len());
    while !text.is_char_boundary(o) {
        o -= 1;
    }
    // lines end at `\n`, `\r\n` or a lone `\r`, as for the server
    let lines = naive_lsp_lines(text);
    let line = lines.iter().rposition(|&(s, _)| s <= o).unwrap();
    let line_start = lines[line].0;
    (line + 1, text[line_start..o].chars().count() + 1, o)
}

/// LSP lines (ending at `\n`, `\r\n` or `\r`) as (start, end without the break).
fn naive_lsp_lines(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let (mut lines, mut start, mut i) = (Vec::new(), 0, 0);
    while i < b.len() {
        let brk = match b[i] {
            b'\n' => 1,
            b'\r' if b.get(i + 1) == Some(&b'\n') => 2,
            b'\r' => 1,
            _ => 0,
        };
        if brk > 0 {
            lines.push((start, i));
            start = i + brk;
            i += brk;
        } else {
            i += 1;
        }
    }
    lines.push((start, b.len()));
    lines
}

fn width(s: &str, enc: PositionEncoding) -> usize {
    match enc {
        PositionEncoding::Utf8 => s.len(),
        PositionEncoding::Utf16 => s.encode_utf16().count(),
    }
}

/// The paragraph around `offset` by splitting the whole text at blank lines.
/// The lines (ending at `\n`, `\r\n` or a lone `\r`) around `offset` up to an empty line.
fn naive_paragraph(text: &str, offset: usize) -> std::ops::Range<usize> {
    let lines = naive_lsp_lines(text);
    let here = lines.iter().rposition(|&(s, _)| s <= offset).unwrap();
    if lines[here].0 == lines[here].1 {
        return lines[here].0..lines[here].1;
    }
    let first = (0..=here)
        .rev()
        .take_while(|&i| lines[i].0 < lines[i].1)
        .last()
        .unwrap();
    let last = (here..lines.len())
        .take_while(|&i| lines[i].0 < lines[i].1)
        .last()
        .unwrap();
    lines[first].0..lines[last].1
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn offset_map_round_trips(text in draft()) {
        let view = NormalizedView::new(&text);
        let norm = view.as_str();
        let mut last = 0;
        for (p, c) in norm.char_indices() {
            let r = view.to_original(&text, p..p + c.len_utf8());
            prop_assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
            prop_assert!(r.start >= last);
            last = r.start;
            let oc = text[r.clone()].chars().next().unwrap();
            // a lone `\r` is a line break, `\n` in the view
            prop_assert_eq!(if oc == '\r' { '\n' } else { fold_char(oc) }, c);
            prop_assert_eq!(r.len(), oc.len_utf8());
        }
        // a whole-view range covers exactly the original from first to last kept char
        if let (Some(first), Some(last_c)) = (norm.chars().next(), norm.chars().last()) {
            let r = view.to_original(&text, 0..norm.len());
            let fold = |c: char| if c == '\r' { '\n' } else { fold_char(c) };
            prop_assert_eq!(fold(text[r.clone()].chars().next().unwrap()), first);
            prop_assert_eq!(fold(text[r].chars().last().unwrap()), last_c);
        }
        for (a, b) in [(0, norm.len() + 5), (norm.len() / 2, norm.len() / 3), (1, 2)] {
            let r = view.to_original(&text, a..b);
            prop_assert!(r.start <= r.end && r.end <= text.len());
        }
    }

    #[test]
    fn rechecking_the_edited_lines_finds_what_a_full_check_finds(
        text in draft(),
        edits in edits(),
    ) {
        let settings = Settings::default();
        let mut memo = LineLocalMemo::default();
        let mut text = text;
        let doc = Document::from_text("prop.txt", text.clone());
        rules().check_remembering(&doc, &settings, Some(&mut memo));
        for edit in &edits {
            apply_edit(&mut text, edit);
            let doc = Document::from_text("prop.txt", text.clone());
            let again = rules().check_remembering(&doc, &settings, Some(&mut memo));
            let fresh = rules().check_noting_crashes(&doc, &settings);
            prop_assert_eq!(again, fresh, "after {:?} the text is {:?}", edit, text);
        }
    }

    #[test]
    fn spans_and_edits_are_on_char_boundaries(text in draft()) {
        let doc = Document::from_text("prop.txt", text.clone());
        for d in gwlint::check(&doc, rules(), &Settings::default()) {
            let ranges = std::iter::once(d.span.clone())
                .chain(d.fix.iter().flat_map(|f| f.edits.iter().map(|e| e.range.clone())));
            for r in ranges {
                prop_assert!(r.start <= r.end && r.end <= text.len(), "{:?}", d);
                prop_assert!(
                    text.is_char_boundary(r.start) && text.is_char_boundary(r.end),
                    "{:?}", d
                );
            }
        }
    }

    #[test]
    fn decoding_what_was_encoded_gives_the_text_back(text in draft()) {
        // a text with something to read and no NUL (binary), made so rather than filtered:
        // rejecting cases can abort the run ("too many global rejects")
        let text = format!("甲{}", text.replace('\0', ""));
        for enc in [TextEncoding::Utf8Bom, TextEncoding::Utf16LeBom, TextEncoding::Utf16BeBom] {
            let bytes = enc.encode(&text).unwrap();
            let d = decode(&bytes, None).unwrap();
            prop_assert_eq!(&d.text, &text);
            prop_assert_eq!(d.encoding, enc);
        }
        // (GB18030 is checked for binary-looking control bytes, so only for plain text)
        let plain = !text.chars().any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'));
        if let (true, Some(bytes)) = (plain, TextEncoding::Gb18030.encode(&text)) {
            let d = decode(&bytes, Some(TextEncoding::Gb18030)).unwrap();
            prop_assert_eq!(&d.text, &text);
        }
    }

    #[test]
    fn writing_back_gives_the_bytes_that_were_read(text in draft()) {
        for enc in TextEncoding::ALL {
            let Some(bytes) = enc.encode(&text) else { continue };
            // forced in the family without a BOM, as `--encoding utf-16le` is
            let Ok(d) = decode(&bytes, Some(enc.with_bom(false))) else { continue };
            prop_assert_eq!(d.encoding.encode(&d.text), Some(bytes.clone()), "{}", enc);
            prop_assert_eq!(d.encoding.bom(), &bytes[..d.encoding.bom().len()]);
        }
    }

    #[test]
    fn line_index_positions_match_a_naive_count(
        text in long_lines(),
        offsets in prop::collection::vec(any::<prop::sample::Index>(), 1..40),
    ) {
        let idx = LineIndex::new(&text);
        for i in offsets {
            // anywhere, including mid-character and up to 8 bytes past the end
            let offset = i.index(text.len() + 9);
            let p = idx.position(&text, offset);
            prop_assert_eq!((p.line, p.column, p.offset), naive_position(&text, offset));
        }
    }

    #[test]
    fn lsp_positions_match_a_naive_count(
        text in long_lines(),
        picks in prop::collection::vec(
            (any::<prop::sample::Index>(), any::<prop::sample::Index>(), 0usize..40), 1..30),
    ) {
        let map = LineMap::new(&text);
        let lines = naive_lsp_lines(&text);
        for enc in [PositionEncoding::Utf8, PositionEncoding::Utf16] {
            for (off, line, extra) in &picks {
                // byte offset → position
                let offset = off.index(text.len() + 9);
                let mut o = offset.min(text.len());
                while !text.is_char_boundary(o) {
                    o -= 1;
                }
                let l = lines.iter().rposition(|&(s, _)| s <= o).unwrap();
                let want = Position::new(l as u32, width(&text[lines[l].0..o], enc) as u32);
                prop_assert_eq!(map.position(&text, offset, enc), want);
                // position → byte offset: any character up to past the line's end
                let l = line.index(lines.len() + 1);
                let character = if l < lines.len() {
                    let (s, e) = lines[l];
                    let total = width(&text[s..e], enc);
                    (*extra * total / 37 + extra % 3) as u32
                } else {
                    *extra as u32
                };
                let got = map.offset(&text, Position::new(l as u32, character), enc);
                let expected = if l >= lines.len() {
                    text.len()
                } else {
                    let (s, e) = lines[l];
                    let mut units = 0;
                    let mut at = e;
                    for (i, c) in text[s..e].char_indices() {
                        let w = width(&c.to_string(), enc);
                        if units + w > character as usize {
                            at = s + i;
                            break;
                        }
                        units += w;
                    }
                    at
                };
                prop_assert_eq!(got, expected, "{:?} line {} char {}", enc, l, character);
            }
        }
    }

    #[test]
    fn docx_paragraphs_come_back_as_lines(lines in prop::collection::vec(
        "[^\u{0}-\u{1F}\u{7F}-\u{9F}<>&\u{FFFE}\u{FFFF}]{0,12}", 0..8)) {
        let body: String = lines
            .iter()
            .map(|l| format!(r#"<w:p><w:r><w:t xml:space="preserve">{l}</w:t></w:r></w:p>"#))
            .collect();
        let xml = format!("<w:document><w:body>{body}</w:body></w:document>");
        let text = gwlint::docx::document_xml_text(&xml).unwrap();
        let expected: String = lines.iter().map(|l| format!("{l}\n")).collect();
        prop_assert_eq!(text, expected);
    }

    #[test]
    fn the_structure_has_the_lines_of_the_text(text in long_lines()) {
        let doc = Document::from_text("prop.txt", text.clone());
        let st = doc.structure();
        prop_assert_eq!(st.lines.len(), doc.lines.line_count());
        for (i, l) in st.lines.iter().enumerate() {
            prop_assert_eq!(l.range(), doc.lines.line_range(&text, i));
        }
    }

    #[test]
    fn paragraph_around_matches_a_naive_split(text in draft(), at in 0usize..400) {
        let offset = at.min(text.len());
        prop_assert_eq!(
            gwlint::document::paragraph_around(&text, offset),
            naive_paragraph(&text, offset)
        );
    }
}
