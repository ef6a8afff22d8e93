//! Fuzz the full check: decode any bytes, run every built-in rule. No panic (a panicking
//! rule is caught by `RuleSet::check`, so that is turned into a failure here), spans and
//! edits inside the text and on char boundaries. The text is also checked as Markdown:
//! the masked ranges are sorted, disjoint, on char boundaries, and no finding or fix
//! touches one.
#![no_main]

use gwlint::{check, source::decode, Document, RuleSet, Settings};
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

static RULES: LazyLock<RuleSet> = LazyLock::new(|| RuleSet::builtin().expect("built-in rules"));

fuzz_target!(|data: &[u8]| {
    let Ok(d) = decode(data, None) else {
        return;
    };
    let markdown = Document::new("fuzz.md", d.text.clone(), d.encoding);
    let doc = Document::new("fuzz", d.text, d.encoding);
    let mut last_end = 0;
    for m in &markdown.masked {
        assert!(last_end <= m.start && m.start < m.end && m.end <= doc.text.len(), "{m:?}");
        assert!(doc.text.is_char_boundary(m.start) && doc.text.is_char_boundary(m.end));
        last_end = m.end;
    }
    for diag in check(&markdown, &RULES, &Settings::default()) {
        let ranges = std::iter::once(&diag.span).chain(diag.fix.iter().flat_map(|f| &f.edits).map(|e| &e.range));
        for r in ranges {
            assert!(!gwlint::markdown::touches(&markdown.masked, r), "{diag:?} {:?}", markdown.masked);
        }
    }
    let out = check(&doc, &RULES, &Settings::default());
    let t = &doc.text;
    for diag in &out {
        let s = &diag.span;
        assert!(s.start <= s.end && s.end <= t.len(), "{diag:?}");
        assert!(t.is_char_boundary(s.start) && t.is_char_boundary(s.end), "{diag:?}");
        for e in diag.fix.iter().flat_map(|f| &f.edits) {
            let r = &e.range;
            assert!(r.start <= r.end && r.end <= t.len(), "{diag:?}");
            assert!(t.is_char_boundary(r.start) && t.is_char_boundary(r.end), "{diag:?}");
        }
    }
});
