//! Fuzz `source::decode`: any bytes, auto-detected or forced encoding. Never panics;
//! decoded text has no NUL; UTF-8 input decodes to itself; line/column lookups stay in range.
#![no_main]

use gwlint::source::{decode, LineIndex, TextEncoding};
use libfuzzer_sys::fuzz_target;

const FORCED: [Option<TextEncoding>; 6] = [
    None,
    Some(TextEncoding::Utf8),
    Some(TextEncoding::Utf8Bom),
    Some(TextEncoding::Utf16Le),
    Some(TextEncoding::Utf16Be),
    Some(TextEncoding::Gb18030),
];

fuzz_target!(|data: &[u8]| {
    let Some((&first, bytes)) = data.split_first() else {
        return;
    };
    let forced = FORCED[usize::from(first) % FORCED.len()];
    if let Ok(d) = decode(bytes, forced) {
        assert!(!d.text.contains('\0'));
        if d.encoding == TextEncoding::Utf8 {
            assert_eq!(d.text.as_bytes(), bytes);
        }
        let idx = LineIndex::new(&d.text);
        for off in [0, d.text.len() / 2, d.text.len()] {
            let p = idx.position(&d.text, off);
            assert!(p.line >= 1 && p.line <= idx.line_count() && p.column >= 1);
            assert!(d.text.is_char_boundary(p.offset));
        }
    }
});
