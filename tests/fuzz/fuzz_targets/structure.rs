//! Fuzz the structure parser (header, segments, outline, dates, TOC): any UTF-8 text.
//! Never panics; its lines are the text's lines; every recorded span lies inside the
//! text on char boundaries; the
//! `gwlint debug structure` rendering works.
#![no_main]

use gwlint::Document;
use libfuzzer_sys::fuzz_target;
use std::ops::Range;

fn ok(text: &str, r: &Range<usize>) -> bool {
    r.start <= r.end
        && r.end <= text.len()
        && text.is_char_boundary(r.start)
        && text.is_char_boundary(r.end)
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let doc = Document::from_text("fuzz", text);
    let s = doc.structure();
    let t = doc.text.as_str();
    // one line of the structure per line of the text (`\n`, `\r\n`, lone `\r`)
    assert_eq!(s.lines.len(), doc.lines.line_count());
    for (i, l) in s.lines.iter().enumerate() {
        assert!(ok(t, &l.range()), "{l:?}");
        assert_eq!(l.range(), doc.lines.line_range(t, i), "line {i}");
    }
    for h in &s.headings {
        assert!(ok(t, &h.marker_span()) && ok(t, &h.line_span()), "{h:?}");
    }
    for i in &s.inline_items {
        assert!(ok(t, &i.span), "{i:?}");
    }
    for d in &s.dates {
        assert!(ok(t, &d.span), "{d:?}");
        if let Some((_, w)) = &d.weekday {
            assert!(ok(t, w), "{d:?}");
        }
    }
    let _ = gwlint::document::debug::render(&doc);
});
