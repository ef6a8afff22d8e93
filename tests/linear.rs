//! Linear time for the paths that were quadratic (issue 10). Each test runs one path at
//! two input sizes in the same process and fails when twice the input takes more than
//! 2.5 times as long (the best of three runs of each size, interleaved, so a busy machine
//! slows both alike). A ratio, never an absolute time: a quadratic path shows about 4×.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use gwlint::diagnostic::{Applicability, Category, Diagnostic, Edit, Fix, Severity};
use gwlint::fix::{apply_fixes_pass, FixMode};
use gwlint::{Document, RuleSet, Settings};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The most that twice the input may cost, relative to the input.
const MAX_RATIO: f64 = 2.5;

fn rules() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| RuleSet::builtin().unwrap())
}

/// Run `work(n)` and `work(2n)` three times each (after a warm-up of each)
/// and fail when the best large run takes more than [`MAX_RATIO`] times the best small
/// one. `prepare` builds the input outside the timing.
fn assert_linear<T>(name: &str, n: usize, prepare: impl Fn(usize) -> T, work: impl Fn(T)) {
    let time = |k: usize| {
        let input = prepare(k);
        let start = Instant::now();
        work(input);
        start.elapsed()
    };
    time(n);
    time(2 * n);
    let (mut small, mut large) = (Duration::MAX, Duration::MAX);
    for _ in 0..3 {
        small = small.min(time(n));
        large = large.min(time(2 * n));
    }
    let ratio = large.as_secs_f64() / small.as_secs_f64().max(1e-9);
    eprintln!("{name}: n={n} {small:?}, 2n {large:?}: {ratio:.2}×");
    assert!(
        ratio <= MAX_RATIO,
        "{name}: twice the input took {ratio:.2}× as long ({small:?} → {large:?})"
    );
}

fn only(rule: &str) -> Settings {
    Settings {
        select: vec![rule.to_owned()],
        ..Settings::default()
    }
}

#[test]
fn pattern_exceptions_on_one_long_line() {
    // every candidate `,` has an exception match (10:30) before it on the same line
    assert_linear(
        "exceptions on a long line",
        4_000,
        |n| Document::from_text("long.txt", "上午10:30开会,推进工作".repeat(n)),
        |doc| {
            let found = gwlint::check(&doc, rules(), &only("half-width-punctuation"));
            assert!(!found.is_empty());
        },
    );
}

#[test]
fn applying_many_fixes() {
    let diagnostic = |at: usize| Diagnostic {
        rule: "r".into(),
        category: Category::Other,
        severity: Severity::Warning,
        message: "".into(),
        span: at..at + 1,
        fix: Some(Fix {
            applicability: Applicability::Safe,
            message: "".into(),
            edits: vec![Edit {
                range: at..at + 1,
                replacement: "，".into(),
            }],
        }),
    };
    assert_linear(
        "fixes in one pass",
        50_000,
        |n| {
            let text = "工作,".repeat(n);
            let diags: Vec<Diagnostic> = (0..n).map(|i| diagnostic(i * 7 + 6)).collect();
            (text, diags)
        },
        |(text, diags)| {
            let pass = apply_fixes_pass(&text, &diags, FixMode::SafeOnly);
            assert_eq!(pass.fixes(), diags.len());
        },
    );
}
