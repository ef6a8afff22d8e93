//! Column-lookup benchmark (`cargo bench --bench long_line`): one 10 MB line without a
//! line break carrying about 20,000 findings (a half-width comma between Han characters
//! every ~500 bytes), rendered as JSON, plus the same spans converted to LSP positions
//! (UTF-16 and UTF-8) and back. Each finding needs a line/column for its start and end;
//! before the sparse column checkpoints (`source::ColumnIndex`) every lookup counted the
//! characters from the start of the line. Not a test: it prints figures and asserts
//! nothing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use gwlint::lsp::convert::{LineMap, PositionEncoding};
use gwlint::render::Report;
use gwlint::{Document, RuleSet, Settings};
use std::time::{Duration, Instant};

/// The fastest of `runs` runs of `f` (the machine is shared; the minimum is the least noisy).
fn best<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut last = None;
    for _ in 0..runs {
        let start = Instant::now();
        let v = f();
        best = best.min(start.elapsed());
        last = Some(v);
    }
    (best, last.unwrap())
}

fn main() {
    let rules = RuleSet::builtin().unwrap();
    let only = Settings {
        select: vec!["half-width-punctuation".into()],
        ..Settings::default()
    };
    // ~500 bytes of Han text with one half-width comma, 𠮷 (two UTF-16 units) included
    let unit = format!(
        "{}开展劳动竞赛,",
        "全面落实工作要求𠮷推进各项任务。".repeat(10)
    );
    let line = unit.repeat(10 * 1024 * 1024 / unit.len() + 1);
    let mb = line.len() as f64 / 1e6;

    let (build, doc) = best(3, || Document::from_text("long-line.txt", line.clone()));
    let diagnostics = gwlint::check(&doc, &rules, &only);
    println!(
        "one {mb:.1} MB line, {} findings; Document::new {:.1} ms",
        diagnostics.len(),
        build.as_secs_f64() * 1e3
    );

    let reports = [Report {
        doc: &doc,
        diagnostics: &diagnostics,
    }];
    let (json, bytes) = best(3, || {
        let mut out = Vec::new();
        gwlint::render::json::write(&reports, &mut out).unwrap();
        out.len()
    });
    println!(
        "  JSON report ({:.1} MB): {:.1} ms",
        bytes as f64 / 1e6,
        json.as_secs_f64() * 1e3
    );

    let (columns, sum) = best(3, || {
        diagnostics
            .iter()
            .map(|d| {
                doc.lines.position(&doc.text, d.span.start).column
                    + doc.lines.position(&doc.text, d.span.end).column
            })
            .sum::<usize>()
    });
    println!(
        "  LineIndex::position for every start and end: {:.1} ms (checksum {sum})",
        columns.as_secs_f64() * 1e3
    );

    let (map_build, map) = best(3, || LineMap::new(&doc.text));
    println!("  LSP LineMap::new {:.1} ms", map_build.as_secs_f64() * 1e3);
    for enc in [PositionEncoding::Utf16, PositionEncoding::Utf8] {
        let (t, round_trips) = best(3, || {
            diagnostics
                .iter()
                .filter(|d| {
                    let r = map.range(&doc.text, &d.span, enc);
                    map.byte_range(&doc.text, r, enc) == d.span
                })
                .count()
        });
        println!(
            "  LSP range and back ({enc:?}) for every finding: {:.1} ms ({round_trips} round trips)",
            t.as_secs_f64() * 1e3
        );
    }
}
