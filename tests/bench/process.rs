//! Whole-process speed benchmark (`cargo bench --bench process`), the figures of issue 14 side
//! by side in one run: the `gwlint check --format json` binary with every default rule on a
//! 10 MB draft and on 1,000 drafts of 20 KB (one rayon thread, then two), the raw baseline on
//! the same 10 MB file (read it, then run a `RegexSet` of 32 of the rule set's patterns over
//! each line), gwlint's share of that baseline, and the child's peak memory; then the linear
//! series: one long line and many tiny lines of growing size (each size should take twice
//! the time of the one before).
//!
//! The drafts are the fixture documents (and `../shared/corpus/dev` when present) repeated,
//! defects included. Each figure is the best of `GWLINT_BENCH_RUNS` runs (default 3; the
//! machine may be shared); CPU is the child's user + system time. `GWLINT_BENCH_MAX_MB`
//! (default 100) bounds the series; `GWLINT_BENCH_BIN` measures another gwlint binary. Not a test: it prints figures and asserts nothing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use regex::RegexSet;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[path = "../common/mod.rs"]
mod common;

/// One run of the binary: wall time, CPU time (user + system) and peak RSS in MiB.
#[derive(Clone, Copy)]
struct Run {
    wall: Duration,
    cpu: Duration,
    peak_mib: f64,
}

#[cfg(unix)]
#[allow(clippy::zombie_processes)] // reaped by `wait4`, which also reports its resources
fn run_once(args: &[&str], threads: usize) -> Run {
    let start = Instant::now();
    let child = Command::new(binary())
        .args(args)
        .env("RAYON_NUM_THREADS", threads.to_string())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let pid = i32::try_from(child.id()).unwrap();
    let mut status = 0;
    // SAFETY: an all-zero `rusage` is a valid value; wait4 fills it for our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `pid` is our child, not yet waited for; the pointers are valid.
    let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(reaped, pid);
    let wall = start.elapsed();
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    Run {
        wall,
        cpu: tv(usage.ru_utime) + tv(usage.ru_stime),
        peak_mib: usage.ru_maxrss as f64 / 1024.0,
    }
}

#[cfg(not(unix))]
fn run_once(args: &[&str], threads: usize) -> Run {
    let start = Instant::now();
    Command::new(binary())
        .args(args)
        .env("RAYON_NUM_THREADS", threads.to_string())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap();
    let wall = start.elapsed();
    Run {
        wall,
        cpu: wall,
        peak_mib: f64::NAN,
    }
}

/// The binary measured: this build's, or `GWLINT_BENCH_BIN` (an earlier build, to compare).
fn binary() -> String {
    std::env::var("GWLINT_BENCH_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_gwlint").to_owned())
}

fn runs() -> usize {
    std::env::var("GWLINT_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3)
        .max(1)
}

/// The best (least wall time) of [`runs`] runs; the peak is the largest seen.
fn best(args: &[&str], threads: usize) -> Run {
    let all: Vec<Run> = (0..runs()).map(|_| run_once(args, threads)).collect();
    let peak = all.iter().map(|r| r.peak_mib).fold(0.0, f64::max);
    let mut best = *all.iter().min_by_key(|r| r.wall).unwrap();
    best.peak_mib = peak;
    best
}

fn check_args(path: &str) -> Vec<&str> {
    vec!["check", "--quiet", "--isolated", "--format", "json", path]
}

fn sample_text() -> String {
    let mut text = common::samples::joined(&common::samples::fixture_documents(), None);
    if let Some(corpus) = common::samples::dev_corpus() {
        text.push_str(&common::samples::joined(&corpus, None));
    }
    text
}

fn write_repeated(path: &Path, unit: &str, bytes: usize) -> usize {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let mut written = 0;
    while written < bytes {
        f.write_all(unit.as_bytes()).unwrap();
        written += unit.len();
    }
    f.flush().unwrap();
    written
}

/// The longest prefix of `s` of at most `n` bytes that ends on a character boundary.
fn prefix(s: &str, mut n: usize) -> &str {
    n = n.min(s.len());
    while !s.is_char_boundary(n) {
        n -= 1;
    }
    &s[..n]
}

/// The first 32 `patterns` of the bundled rule files that compile alone (as the rules
/// compile them: `^`/`$` at line ends).
fn rule_patterns() -> Vec<String> {
    let mut files = Vec::new();
    let mut dirs = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("rules")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
                files.push(path);
            }
        }
    }
    files.sort();
    let mut patterns = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let Ok(yaml) = serde_yaml::from_str::<serde_yaml::Value>(&text) else {
            continue;
        };
        for p in yaml["patterns"].as_sequence().into_iter().flatten() {
            if let Some(p) = p.as_str() {
                let p = format!("(?m){p}");
                if regex::Regex::new(&p).is_ok() && patterns.len() < 32 {
                    patterns.push(p);
                }
            }
        }
    }
    patterns
}

/// The baseline: read `path` and run `set` over every line. Best of [`runs`] runs.
fn raw_scan(path: &Path, set: &RegexSet) -> (Duration, usize) {
    let mut best = Duration::MAX;
    let mut hits = 0;
    for _ in 0..runs() {
        let start = Instant::now();
        let text = std::fs::read_to_string(path).unwrap();
        hits = text.lines().filter(|l| set.is_match(l)).count();
        best = best.min(start.elapsed());
    }
    (best, hits)
}

fn mb_per_s(bytes: usize, t: Duration) -> f64 {
    bytes as f64 / 1e6 / t.as_secs_f64()
}

fn main() {
    let sample = sample_text();
    let dir = tempfile::tempdir().unwrap();

    // one 10 MB draft
    let big = dir.path().join("big.txt");
    let big_bytes = write_repeated(&big, &sample, 10 << 20);
    let big_path = big.to_str().unwrap();
    let one = best(&check_args(big_path), 1);
    let two = best(&check_args(big_path), 2);

    // 1,000 drafts of 20 KB, each starting at another place of the sample
    let many = dir.path().join("many");
    std::fs::create_dir(&many).unwrap();
    let mut many_bytes = 0;
    for i in 0..1000 {
        let at = (i * 7919) % sample.len();
        let at = prefix(&sample, at).len();
        let rotated = format!("{}{}", &sample[at..], &sample[..at]);
        let mut draft = String::new();
        while draft.len() < 20 << 10 {
            draft.push_str(&rotated);
        }
        let draft = prefix(&draft, 20 << 10);
        std::fs::write(many.join(format!("{i:04}.txt")), draft).unwrap();
        many_bytes += draft.len();
    }
    let many_path = many.to_str().unwrap();
    let many_one = best(&check_args(many_path), 1);
    let many_two = best(&check_args(many_path), 2);

    let patterns = rule_patterns();
    let set = RegexSet::new(&patterns).unwrap();
    let (raw, hits) = raw_scan(&big, &set);
    let raw_mbs = mb_per_s(big_bytes, raw);

    println!("gwlint check --format json, every default rule (best of {} runs; MB/s by wall time, CPU = user + system)", runs());
    println!(
        "{:<34} {:>9} {:>9} {:>9} {:>10} {:>9}",
        "case", "MB/s", "wall s", "CPU s", "vs raw", "peak MiB"
    );
    let row = |label: &str, bytes: usize, r: Run| {
        let mbs = mb_per_s(bytes, r.wall);
        println!(
            "{label:<34} {mbs:>9.1} {:>9.2} {:>9.2} {:>9.2}x {:>9.0}",
            r.wall.as_secs_f64(),
            r.cpu.as_secs_f64(),
            mbs / raw_mbs,
            r.peak_mib
        );
    };
    row("10 MB draft, 1 thread", big_bytes, one);
    row("10 MB draft, 2 threads", big_bytes, two);
    row("1,000 x 20 KB, 1 thread", many_bytes, many_one);
    row("1,000 x 20 KB, 2 threads", many_bytes, many_two);
    println!(
        "{:<34} {raw_mbs:>9.1} {:>9.2} {:>9} {:>9.2}x  ({} patterns, {hits} matching lines)",
        "raw read + RegexSet per line",
        raw.as_secs_f64(),
        "",
        1.0,
        patterns.len()
    );
    println!(
        "two threads / one: 10 MB draft {:.2}x, 1,000 files {:.2}x",
        one.wall.as_secs_f64() / two.wall.as_secs_f64(),
        many_one.wall.as_secs_f64() / many_two.wall.as_secs_f64()
    );

    one_process_per_draft(&many);
    linear_series(dir.path(), &sample);
}

/// What one `gwlint check` of one draft costs (a pre-commit hook, a check from the
/// command line): start-up, the rules' compilation and the first check, over 20 processes
/// (2 threads). Once on drafts of the bench text, whose typo candidates load the
/// segmentation dictionary, once on the clean fixture draft, which settles its candidates
/// without it (as most issued documents do).
fn one_process_per_draft(many: &Path) {
    let clean = common::samples::fixture_documents().join("clean-draft.txt");
    let clean = clean.to_str().unwrap().to_owned();
    let drafts: Vec<String> = (0..20)
        .map(|i| {
            many.join(format!("{i:04}.txt"))
                .to_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    let median = |mut runs: Vec<Run>| {
        runs.sort_by_key(|r| r.wall);
        let wall = runs[runs.len() / 2].wall;
        runs.sort_by_key(|r| r.cpu);
        (wall, runs[runs.len() / 2].cpu)
    };
    println!("one draft per process, median of 20 processes (2 threads):");
    for (label, paths) in [
        ("20 KB drafts of the bench text", drafts.clone()),
        ("the clean fixture draft (3.6 KB)", vec![clean; 20]),
    ] {
        let (wall, cpu) = median(paths.iter().map(|p| run_once(&check_args(p), 2)).collect());
        println!(
            "  {label:<34} {:>6.0} ms wall {:>6.0} ms CPU",
            wall.as_secs_f64() * 1000.0,
            cpu.as_secs_f64() * 1000.0
        );
    }
}

/// Time against size for one long line (the sample without its line breaks) and for many
/// tiny lines (the sample cut into lines of four characters), doubling up to
/// `GWLINT_BENCH_MAX_MB`.
fn linear_series(dir: &Path, sample: &str) {
    let max_mb: usize = std::env::var("GWLINT_BENCH_MAX_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100);
    let long_line: String = sample
        .chars()
        .filter(|c| *c != '\n' && *c != '\r')
        .collect();
    let mut tiny = String::new();
    for line in sample.lines() {
        let chars: Vec<char> = line.chars().collect();
        for piece in chars.chunks(4) {
            tiny.extend(piece);
            tiny.push('\n');
        }
    }
    let tiny_line_bytes = tiny.len() as f64 / tiny.lines().count() as f64;
    println!("linear series, 1 thread (time should double with the size):");
    for (label, unit) in [("one long line", &long_line), ("tiny lines", &tiny)] {
        let mut sizes = vec![max_mb as f64];
        while sizes.len() < 5 {
            sizes.push(sizes[sizes.len() - 1] / 2.0);
        }
        sizes.reverse();
        let mut previous: Option<Duration> = None;
        for mb in sizes {
            let path = dir.join("series.txt");
            let bytes = write_repeated(&path, unit, (mb * 1e6) as usize);
            let r = run_once(&check_args(path.to_str().unwrap()), 1);
            let lines = if label == "tiny lines" {
                format!(", {:.2} M lines", bytes as f64 / tiny_line_bytes / 1e6)
            } else {
                String::new()
            };
            println!(
                "  {label:<14} {:>6.1} MB{lines}: {:>7.2} s  {:>6.1} MB/s  peak {:>5.0} MiB{}",
                bytes as f64 / 1e6,
                r.wall.as_secs_f64(),
                mb_per_s(bytes, r.wall),
                r.peak_mib,
                previous.map_or(String::new(), |p| format!(
                    "  ({:.2}x the previous)",
                    r.wall.as_secs_f64() / p.as_secs_f64()
                ))
            );
            previous = Some(r.wall);
        }
    }
}
