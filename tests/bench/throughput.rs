//! Throughput benchmark (`cargo bench --bench throughput`): MB/s and peak memory for the
//! full rule set on one 10 MB document (one core) and on 1,000 files of 20 KB (one core,
//! then all cores). The text is built from the fixture documents (and the dev corpus when
//! present), repeated with its defects. Not a test: it prints figures and asserts nothing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use gwlint::{Document, RuleSet, Settings};
use rayon::prelude::*;
use std::time::Instant;

#[path = "../common/mod.rs"]
mod common;

/// The fixture documents and the dev corpus when present, each draft once.
fn sample_text() -> String {
    let mut text = common::samples::joined(&common::samples::fixture_documents(), None);
    if let Some(corpus) = common::samples::dev_corpus() {
        text.push_str(&common::samples::joined(&corpus, None));
    }
    text
}

fn repeat_to(sample: &str, bytes: usize) -> String {
    let mut out = String::with_capacity(bytes + sample.len());
    while out.len() < bytes {
        out.push_str(sample);
    }
    out
}

/// Peak resident memory of this process so far (Linux `VmHWM`), in MiB.
fn peak_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| {
                l.split_whitespace()
                    .nth(1)
                    .and_then(|kb| kb.parse::<f64>().ok())
            })
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

fn main() {
    let rules = RuleSet::builtin().unwrap();
    let settings = Settings::default();
    let sample = sample_text();
    // warm up: load jieba's dictionary and the regex caches
    let warm = Document::from_text("warm.txt", sample.clone());
    let _ = gwlint::check(&warm, &rules, &settings);

    // one 10 MB document, one thread
    let big = repeat_to(&sample, 10 * 1024 * 1024);
    let mb = big.len() as f64 / 1e6;
    let start = Instant::now();
    let doc = Document::from_text("big.txt", big);
    let n = gwlint::check(&doc, &rules, &settings).len();
    let secs = start.elapsed().as_secs_f64();
    println!(
        "10 MB document, 1 core: {:.1} MB in {:.2} s = {:.1} MB/s ({n} diagnostics), peak RSS {:.0} MiB",
        mb,
        secs,
        mb / secs,
        peak_mib()
    );
    drop(doc);

    // where the time goes: each rule alone on the same text (structure parsed beforehand)
    let big = repeat_to(&sample, 10 * 1024 * 1024);
    let doc = Document::from_text("big.txt", big);
    let start = Instant::now();
    // held here, so the check does not release it after each structural rule
    let structure = doc.structure();
    let mut costs = vec![(
        "(structure parse)".to_owned(),
        start.elapsed().as_secs_f64(),
    )];
    for rule in rules.rules() {
        let only = Settings {
            select: vec![rule.meta.id.to_string()],
            ..Settings::default()
        };
        let start = Instant::now();
        let _ = gwlint::check(&doc, &rules, &only);
        costs.push((rule.meta.id.to_string(), start.elapsed().as_secs_f64()));
    }
    costs.sort_by(|a, b| b.1.total_cmp(&a.1));
    println!("cost per rule on the 10 MB document (top 16):");
    for (id, secs) in costs.iter().take(16) {
        println!("  {id:<28} {:>7.1} ms", secs * 1000.0);
    }
    drop(structure);
    drop(doc);

    // 1,000 files of 20 KB
    let files: Vec<String> = (0..1000)
        .map(|i| {
            let offset = (i * 7919) % sample.len().max(1);
            let start = (0..=offset)
                .rev()
                .find(|&o| sample.is_char_boundary(o))
                .unwrap_or(0);
            let rotated = format!("{}{}", &sample[start..], &sample[..start]);
            let mut s = repeat_to(&rotated, 20 * 1024);
            let mut cut = 20 * 1024;
            while !s.is_char_boundary(cut) {
                cut -= 1;
            }
            s.truncate(cut);
            s
        })
        .collect();
    let total_mb = files.iter().map(String::len).sum::<usize>() as f64 / 1e6;
    let run = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        let start = Instant::now();
        let n: usize = pool.install(|| {
            files
                .par_iter()
                .enumerate()
                .map(|(i, t)| {
                    let doc = Document::from_text(format!("f{i}.txt"), t.clone());
                    gwlint::check(&doc, &rules, &settings).len()
                })
                .sum()
        });
        let secs = start.elapsed().as_secs_f64();
        println!(
            "1,000 files x 20 KB, {threads} thread(s): {:.1} MB in {:.2} s = {:.1} MB/s ({n} diagnostics)",
            total_mb,
            secs,
            total_mb / secs
        );
        secs
    };
    let one = run(1);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    if cores > 1 {
        let all = run(cores);
        println!("scaling: {:.2}x on {cores} cores", one / all);
    }
    println!("peak RSS overall: {:.0} MiB", peak_mib());
}
