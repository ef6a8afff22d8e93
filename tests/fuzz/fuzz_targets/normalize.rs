//! Fuzz the normalised view's offset map: every normalised character maps back to an
//! original range on char boundaries whose first character folds to it (a lone `\r`, a
//! line break, is `\n` in the view), and arbitrary
//! (even out-of-range) normalised ranges map to valid, ordered original ranges.
#![no_main]

use gwlint::normalize::{fold_char, NormalizedView};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(orig) = std::str::from_utf8(data) else {
        return;
    };
    let view = NormalizedView::new(orig);
    let norm = view.as_str();
    let mut last = 0;
    for (p, c) in norm.char_indices() {
        let r = view.to_original(orig, p..p + c.len_utf8());
        assert!(r.start <= r.end && r.end <= orig.len());
        assert!(orig.is_char_boundary(r.start) && orig.is_char_boundary(r.end));
        assert!(r.start >= last, "map must be monotonic");
        last = r.start;
        let oc = orig[r].chars().next().expect("non-empty");
        let folded = if oc == '\r' { '\n' } else { fold_char(oc) };
        assert_eq!(folded, c);
    }
    // arbitrary ranges, including ones off char boundaries or past the end
    let n = norm.len() + 3;
    for (a, b) in [(0, n), (n / 3, n / 2), (n / 2, n / 3), (1, 2)] {
        let r = view.to_original(orig, a..b);
        assert!(r.start <= r.end && r.end <= orig.len());
    }
});
