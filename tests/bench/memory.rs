//! Peak-memory benchmark (`cargo bench --bench memory`): writes 200 MB drafts
//! (`GWLINT_BENCH_MB` changes the size) — the fixture documents repeated, defects included
//! (about one finding per 180 bytes), the clean fixture repeated (no findings) and, when
//! `../shared/corpus/dev` is present, the dev corpus repeated (one per ~100 bytes) — and
//! runs the `gwlint check` binary on each, once per output format. It reports the child's
//! peak resident memory as a multiple of the file size; the goal (issue 6) is below 4×.
//! The clean file shows what the text itself costs (decoded text, normalised view, line
//! index, structure); the difference is the findings (about 150 bytes each).
//! Measured with `/usr/bin/time -f %M` when present, else by polling VmHWM in /proc.
//! Not a test: it prints figures and asserts nothing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[path = "../common/mod.rs"]
mod common;

/// Peak RSS in KiB of `gwlint args…`, and the wall time.
fn peak_kib(args: &[&str]) -> (u64, Duration) {
    let bin = env!("CARGO_BIN_EXE_gwlint");
    let start = Instant::now();
    if Path::new("/usr/bin/time").exists() {
        let out = Command::new("/usr/bin/time")
            .args(["-f", "%M"])
            .arg(bin)
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        let kib = err.lines().last().and_then(|l| l.trim().parse().ok());
        return (kib.unwrap_or(0), start.elapsed());
    }
    let mut child = Command::new(bin)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let status = format!("/proc/{}/status", child.id());
    let mut peak = 0;
    while child.try_wait().unwrap().is_none() {
        if let Ok(s) = std::fs::read_to_string(&status) {
            for l in s.lines().filter(|l| l.starts_with("VmHWM:")) {
                let kib: u64 = l
                    .split_whitespace()
                    .nth(1)
                    .and_then(|n| n.parse().ok())
                    .unwrap_or(0);
                peak = peak.max(kib);
            }
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    (peak, start.elapsed())
}

fn main() {
    let mb: usize = std::env::var("GWLINT_BENCH_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let dir = tempfile::tempdir().unwrap();
    let fixtures = common::samples::fixture_documents();
    let mut cases = vec![
        ("fixture documents repeated", fixtures.clone(), None),
        (
            "clean-draft.txt repeated",
            fixtures,
            Some("clean-draft.txt"),
        ),
    ];
    if let Some(corpus) = common::samples::dev_corpus() {
        // drafts pasted from PDFs: a finding every ~100 bytes, the densest case
        cases.push(("dev corpus repeated", corpus, None));
    }
    for (label, source, only) in cases {
        let path = dir.path().join("big.txt");
        {
            let sample = common::samples::joined(&source, only);
            let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
            let mut written = 0;
            while written < mb << 20 {
                f.write_all(sample.as_bytes()).unwrap();
                written += sample.len();
            }
            f.flush().unwrap();
        }
        let size = std::fs::metadata(&path).unwrap().len();
        let p = path.to_str().unwrap();
        println!("file: {:.1} MiB ({label})", size as f64 / 1048576.0);
        for (format, args) in [
            (
                "check --statistics",
                vec!["check", "--quiet", "--isolated", "--statistics", p],
            ),
            (
                "check --format json",
                vec!["check", "--quiet", "--isolated", "--format", "json", p],
            ),
            ("check (human)", vec!["check", "--quiet", "--isolated", p]),
            (
                "check --format sarif",
                vec!["check", "--quiet", "--isolated", "--format", "sarif", p],
            ),
            (
                "check --format jsonl",
                vec!["check", "--quiet", "--isolated", "--format", "jsonl", p],
            ),
        ] {
            let (kib, took) = peak_kib(&args);
            println!(
                "  {format:<22} peak {:>7.1} MiB = {:.2}× the file  ({:.1} s)",
                kib as f64 / 1024.0,
                (kib * 1024) as f64 / size as f64,
                took.as_secs_f64()
            );
        }
    }
}
