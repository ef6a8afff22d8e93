//! The corpus measurement of `../shared/tools/score.py`, as a test (skipped when `../shared` is
//! absent). It runs the built binary with `--isolated --format json` on `corpus/dev` and
//! `corpus/real`, matches findings to the gold marks the way the scorer does, prints recall and
//! precision per category and asserts the floors below.
//!
//! The floors are the issues' targets where they are met (#11: recall ≥ 0.90, precision ≥ 0.95
//! for the structural categories; #12: ≥ 0.85 / ≥ 0.95 for the wording ones) and otherwise what
//! the current rules reach, so that a change that loses ground fails here. Raise a floor when a
//! rule improves; never lower one to make a change pass.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use serde_json::Value;
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::Command;

/// (category, minimum recall, minimum precision) on corpus/dev.
const FLOORS: &[(&str, f64, f64)] = &[
    // issue #11's targets: recall ≥ 0.90 and precision ≥ 0.95 for the structural categories
    ("date-consistency", 0.90, 0.95),
    // numbering precision: the one "false" alarm is a level written 「1、」 throughout in
    // the one draft whose gold is sampled (GB/T 9704 7.3.3 wants 「1.」; the proofreader
    // lists the same pattern on corpus/real as a miss)
    ("numbering", 0.90, 0.90),
    ("required-section", 0.90, 0.95),
    ("count-claim", 0.90, 0.95),
    ("toc-mismatch", 0.90, 0.95),
    ("duplicate", 0.90, 0.95),
    // issue #12's targets: recall ≥ 0.85 and precision ≥ 0.95
    ("typo", 0.85, 0.95),
    ("punctuation", 0.85, 0.95),
    ("era", 0.85, 0.95),
    ("doc-kind", 0.85, 0.95),
    ("attachment", 0.85, 0.95),
    // the rest: where they stand now, so that a regression fails
    ("percent-missing", 0.95, 0.95),
    ("ad-text", 0.95, 0.95),
    ("placeholder", 0.90, 0.95),
    ("spacing", 0.95, 0.95),
];
/// At most this many near-misses (negatives.jsonl) may be flagged (issues #11 and #12).
const MAX_NEAR_MISSES: usize = 2;
/// At most this many of the proofreader's known false alarms on corpus/real may still be
/// reported (issue #11: at most 15 of the 308).
const MAX_KNOWN_FALSE_ALARMS: usize = 15;

/// Categories matched at document level: same file and category within this many lines.
fn doc_level_window(category: &str) -> Option<usize> {
    match category {
        "date-consistency" => Some(usize::MAX),
        "required-section" | "doc-kind" | "attachment" => Some(3),
        "count-claim" | "toc-mismatch" => Some(2),
        _ => None,
    }
}

const SCORED: &[&str] = &[
    "date-consistency",
    "numbering",
    "percent-missing",
    "ad-text",
    "placeholder",
    "required-section",
    "count-claim",
    "toc-mismatch",
    "punctuation",
    "typo",
    "spacing",
    "duplicate",
    "era",
    "doc-kind",
    "attachment",
];

fn shared_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    dir.join("dev/gold.jsonl").is_file().then_some(dir)
}

#[derive(Debug)]
struct Finding {
    file: String,
    category: String,
    rule: String,
    l0: usize,
    c0: usize,
    l1: usize,
    c1: usize,
}

fn run_gwlint(files: &[PathBuf]) -> Vec<Finding> {
    let out = Command::new(env!("CARGO_BIN_EXE_gwlint"))
        .args(["check", "--isolated", "--format", "json"])
        .args(files)
        .output()
        .unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "gwlint failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let data: Value = serde_json::from_slice(&out.stdout).unwrap();
    let pos = |d: &Value, k: &str, f: &str| d[k][f].as_u64().unwrap() as usize;
    data.as_array()
        .unwrap()
        .iter()
        .map(|d| Finding {
            file: Path::new(d["path"].as_str().unwrap())
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned(),
            category: d["category"].as_str().unwrap().to_owned(),
            rule: d["rule"].as_str().unwrap().to_owned(),
            l0: pos(d, "start", "line"),
            c0: pos(d, "start", "column"),
            l1: pos(d, "end", "line"),
            c1: pos(d, "end", "column"),
        })
        .collect()
}

fn jsonl(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .map(|t| {
            t.lines()
                .filter(|l| !l.trim().is_empty())
                .map(|l| serde_json::from_str(l).unwrap())
                .collect()
        })
        .unwrap_or_default()
}

fn span_overlap(d: &Finding, line: usize, col: usize, len: usize, tol: usize) -> bool {
    if !(d.l0 <= line && line <= d.l1) {
        return false;
    }
    let start = if d.l0 == line { d.c0 } else { 1 };
    let mut end = if d.l1 == line { d.c1 } else { usize::MAX / 2 };
    if end <= start {
        end = start + 1;
    }
    start < col + len + tol && end + tol > col
}

struct Mark {
    file: String,
    category: String,
    line: usize,
    col: usize,
    len: usize,
}

fn mark(v: &Value) -> Mark {
    Mark {
        file: v["file"].as_str().unwrap().to_owned(),
        category: v["category"].as_str().unwrap().to_owned(),
        line: v["line"].as_u64().unwrap() as usize,
        col: v["col"].as_u64().unwrap() as usize,
        len: v["text"].as_str().map_or(1, |t| t.chars().count().max(1)),
    }
}

fn matches(d: &Finding, g: &Mark) -> bool {
    if d.file != g.file || d.category != g.category {
        return false;
    }
    match doc_level_window(&g.category) {
        Some(w) => d.l0.abs_diff(g.line) <= w || (d.l0 <= g.line && g.line <= d.l1),
        None => span_overlap(d, g.line, g.col, g.len, 2),
    }
}

/// Sampled positions: (file, category, line, col) behind each `[sample]` gold mark.
fn sampled(dev: &Path) -> Vec<Mark> {
    let Ok(t) = std::fs::read_to_string(dev.join("sampled-positions.json")) else {
        return Vec::new();
    };
    let v: Value = serde_json::from_str(&t).unwrap();
    let mut out = Vec::new();
    for (file, cats) in v["positions"].as_object().unwrap() {
        for (cat, ps) in cats.as_object().unwrap() {
            for p in ps.as_array().unwrap() {
                out.push(Mark {
                    file: file.clone(),
                    category: cat.clone(),
                    line: p[0].as_u64().unwrap() as usize,
                    col: p[1].as_u64().unwrap() as usize,
                    len: 1,
                });
            }
        }
    }
    out
}

fn inputs(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.extension()
                .is_some_and(|e| e == "txt" || e == "md" || e == "docx")
                && p.file_name().is_some_and(|n| n != "README.md")
        })
        .collect();
    files.sort();
    files
}

#[derive(Default)]
struct Tally {
    recall: (usize, usize),
    precision: (usize, usize),
}

fn score_dev(dev: &Path) -> (BTreeMap<&'static str, Tally>, usize, Vec<String>) {
    let diags = run_gwlint(&inputs(dev));
    let gold: Vec<Mark> = jsonl(&dev.join("gold.jsonl")).iter().map(mark).collect();
    let negatives: Vec<Mark> = jsonl(&dev.join("negatives.jsonl"))
        .iter()
        .map(mark)
        .collect();
    let samples = sampled(dev);
    let mut tally: BTreeMap<&'static str, Tally> = BTreeMap::new();
    let mut used = HashSet::new();
    let mut report = Vec::new();
    for cat in SCORED {
        let t = tally.entry(cat).or_default();
        for g in gold.iter().filter(|g| g.category == *cat) {
            t.recall.1 += 1;
            let mut cands: Vec<usize> = (0..diags.len())
                .filter(|&i| matches(&diags[i], g))
                .collect();
            if doc_level_window(cat).is_some() {
                cands.retain(|i| !used.contains(i));
                cands.sort_by_key(|&i| diags[i].l0.abs_diff(g.line));
            }
            if let Some(&i) = cands.first() {
                t.recall.0 += 1;
                used.insert(i);
            } else {
                report.push(format!("MISSED {}:{}:{} [{cat}]", g.file, g.line, g.col));
            }
        }
        for d in diags.iter().filter(|d| d.category == *cat) {
            t.precision.1 += 1;
            let ok = gold.iter().any(|g| matches(d, g))
                || samples.iter().any(|s| {
                    s.file == d.file
                        && s.category == d.category
                        && span_overlap(d, s.line, s.col, 1, 1)
                });
            if ok {
                t.precision.0 += 1;
            } else {
                report.push(format!("FALSE+ {}:{}:{} [{}]", d.file, d.l0, d.c0, d.rule));
            }
        }
    }
    let near = negatives
        .iter()
        .flat_map(|n| {
            diags.iter().filter(move |d| {
                d.file == n.file
                    && d.category == n.category
                    && span_overlap(d, n.line, n.col, n.len, 0)
            })
        })
        .count();
    (tally, near, report)
}

fn ratio((hit, all): (usize, usize)) -> f64 {
    if all == 0 {
        1.0
    } else {
        hit as f64 / all as f64
    }
}

#[test]
fn dev_corpus_recall_and_precision_per_category() {
    let Some(corpus) = shared_dir() else {
        println!("SKIPPED: ../shared/corpus not present");
        return;
    };
    let (tally, near, report) = score_dev(&corpus.join("dev"));
    println!("{}", report.join("\n"));
    println!("category           recall     precision");
    for (cat, t) in &tally {
        println!(
            "{cat:18} {:>4}/{:<5} {:>5}/{:<5}",
            t.recall.0, t.recall.1, t.precision.0, t.precision.1
        );
    }
    println!("near-misses flagged: {near}");
    let mut failures = Vec::new();
    for (cat, min_recall, min_precision) in FLOORS {
        let t = &tally[cat];
        if ratio(t.recall) < *min_recall {
            failures.push(format!("{cat}: recall {:?} < {min_recall}", t.recall));
        }
        if ratio(t.precision) < *min_precision {
            failures.push(format!(
                "{cat}: precision {:?} < {min_precision}",
                t.precision
            ));
        }
    }
    if near > MAX_NEAR_MISSES {
        failures.push(format!("{near} near-misses flagged (> {MAX_NEAR_MISSES})"));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn real_corpus_known_false_alarms_stay_below_the_ceiling() {
    let Some(corpus) = shared_dir() else {
        println!("SKIPPED: ../shared/corpus not present");
        return;
    };
    let real = corpus.join("real");
    if !real.join("docs").is_dir() {
        println!("SKIPPED: ../shared/corpus/real not present");
        return;
    }
    let diags = run_gwlint(&inputs(&real.join("docs")));
    let verdicts: BTreeMap<(String, usize, String), String> = jsonl(&real.join("verdicts.jsonl"))
        .iter()
        .map(|v| {
            (
                (
                    v["file"].as_str().unwrap().to_owned(),
                    v["line"].as_u64().unwrap() as usize,
                    v["rule"].as_str().unwrap().to_owned(),
                ),
                v["verdict"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let mut known_fp = Vec::new();
    for d in &diags {
        if verdicts
            .get(&(d.file.clone(), d.l0, d.rule.clone()))
            .is_some_and(|v| v == "FP")
        {
            known_fp.push(format!("{}:{}:{} [{}]", d.file, d.l0, d.c0, d.rule));
        }
    }
    println!(
        "{} findings; known false alarms still reported: {}",
        diags.len(),
        known_fp.len()
    );
    assert!(
        known_fp.len() <= MAX_KNOWN_FALSE_ALARMS,
        "{} known false alarms (> {MAX_KNOWN_FALSE_ALARMS}):\n{}",
        known_fp.len(),
        known_fp.join("\n")
    );
}
