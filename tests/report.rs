//! The report as a person reads it: windows of long lines instead of whole paragraphs, the
//! concise format, colour on and off (`--color`, `NO_COLOR`, a terminal), Chinese labels,
//! the summary and `--output-file`. Snapshots are reviewed with `cargo insta review`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Output};

/// A notice whose body is one paragraph of 1,103 characters with 18 findings.
const LONG: &str = "tests/fixtures/report/long-paragraph.txt";

fn gwlint(args: &[&str], envs: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_gwlint"));
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .env_remove("NO_COLOR");
    for (k, v) in envs {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

#[test]
fn a_long_paragraph_prints_windows_not_the_whole_line() {
    let paragraph = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(LONG))
        .unwrap()
        .lines()
        .map(|l| l.chars().count())
        .max()
        .unwrap();
    assert!(
        paragraph > 1000,
        "the fixture paragraph is {paragraph} chars"
    );
    let out = gwlint(&["check", "--isolated", "--color", "never", LONG], &[]);
    assert_eq!(out.status.code(), Some(1));
    let report = stdout(&out);
    let findings = report.matches("\n  ┌─ ").count() + report.matches("\n   ┌─ ").count();
    assert!(findings >= 15, "{findings} findings\n{report}");
    // every source line shown is a window: 40 characters each side of the span at most
    for line in report
        .lines()
        .filter(|l| l.contains(" │ ") && !l.trim_start().starts_with('│'))
    {
        let shown = line.split_once(" │ ").unwrap().1;
        assert!(shown.chars().count() <= 2 * 40 + 20, "too long: {line}");
        if shown.chars().count() > 80 {
            assert!(shown.starts_with('…') || shown.ends_with('…'), "{line}");
        }
    }
    // the whole line reprinted under each finding would be > 20,000 characters
    assert!(report.chars().count() < 8_000, "{}", report.chars().count());
    insta::assert_snapshot!("long_paragraph_human", report);
}

#[test]
fn concise_is_one_line_per_finding() {
    let out = gwlint(
        &["check", "--isolated", "--output-format", "concise", LONG],
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    let report = stdout(&out);
    let (findings, summary) = report.trim_end().rsplit_once('\n').unwrap();
    for line in findings.lines() {
        let (location, rest) = line.split_once(": ").unwrap();
        assert!(location.starts_with(LONG), "{line}");
        assert_eq!(location[LONG.len()..].split(':').count(), 3, "{line}");
        assert!(
            ["错误[", "警告[", "提示["]
                .iter()
                .any(|l| rest.starts_with(l)),
            "{line}"
        );
    }
    assert!(summary.starts_with("共 "), "{summary}");
    // --format concise is the same thing
    let same = gwlint(&["check", "--isolated", "--format", "concise", LONG], &[]);
    assert_eq!(stdout(&same), report);
    insta::assert_snapshot!("long_paragraph_concise", report);
}

#[test]
fn labels_are_chinese() {
    let out = gwlint(&["check", "--isolated", "--color", "never", LONG], &[]);
    let report = stdout(&out);
    for label in [
        "错误[",
        "警告[",
        "提示[",
        "= 建议（可自动修复）：",
        "= 建议（需人工确认的修复）：",
    ] {
        assert!(report.contains(label), "{label} missing:\n{report}");
    }
    for english in ["error[", "warning[", "note[", "help"] {
        assert!(!report.contains(english), "{english} in:\n{report}");
    }
}

#[test]
fn colour_follows_color_and_no_color() {
    let escape = |o: &Output| o.stdout.contains(&0x1b);
    let args = |color: &'static str| ["check", "--isolated", "--color", color, LONG];
    // not a terminal: auto is plain, NO_COLOR or not
    assert!(!escape(&gwlint(&args("auto"), &[])));
    assert!(!escape(&gwlint(&args("never"), &[])));
    let always = gwlint(&args("always"), &[("NO_COLOR", "1")]);
    assert!(escape(&always), "the flag wins over NO_COLOR");
    let report = stdout(&always);
    assert!(report.contains("\x1b[1;31m错误[invalid-date]"));
    assert!(report.contains("\x1b[1;33m警告[template-placeholder]"));
    assert!(report.contains("\x1b[1;33m警告[common-typo]"));
    assert!(report.contains("\x1b[1;36m提示[leading-space]"));
    let concise = gwlint(
        &[
            "check",
            "--isolated",
            "--color",
            "always",
            "--output-format",
            "concise",
            LONG,
        ],
        &[],
    );
    assert!(escape(&concise));
    insta::assert_snapshot!("long_paragraph_colour", report);
}

/// `--color auto` on a terminal: `script` (util-linux) runs gwlint on a pseudo-terminal.
#[test]
fn colour_on_a_terminal_unless_no_color() {
    if Command::new("script").arg("--version").output().is_err() {
        assert!(
            std::env::var_os("CI").is_none(),
            "`script` (util-linux) is needed for the terminal test"
        );
        eprintln!("skipped: no `script` to make a pseudo-terminal");
        return;
    }
    let on_terminal = |no_color: Option<&str>| {
        let command = format!("{} check --isolated {LONG}", env!("CARGO_BIN_EXE_gwlint"));
        let mut cmd = Command::new("script");
        cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(["-qec", &command, "/dev/null"])
            .env_remove("NO_COLOR")
            .env("TERM", "xterm");
        if let Some(v) = no_color {
            cmd.env("NO_COLOR", v);
        }
        let out = cmd.output().unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let plain_terminal = on_terminal(Some("1"));
    assert!(
        plain_terminal.contains("警告[common-typo]"),
        "{plain_terminal}"
    );
    assert!(!plain_terminal.contains("\x1b[1;33m"), "{plain_terminal:?}");
    assert!(on_terminal(None).contains("\x1b[1;33m警告[common-typo]"));
    // an empty NO_COLOR does not count
    assert!(on_terminal(Some("")).contains("\x1b[1;33m"));
}

#[test]
fn the_summary_counts_the_fixes_that_need_unsafe_fixes() {
    let out = gwlint(&["check", "--isolated", LONG], &[]);
    let report = stdout(&out);
    let summary = report.lines().last().unwrap();
    assert_eq!(
        summary,
        "共 19 处问题，涉及 1 个文件（其中 13 处可用 --fix 自动修复，另有 3 处可加 --unsafe-fixes 修复，修复后需人工校对）。"
    );
}

#[test]
fn output_file_takes_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("报告.txt");
    let out = gwlint(
        &[
            "check",
            "--isolated",
            "--output-format",
            "concise",
            "--output-file",
            target.to_str().unwrap(),
            LONG,
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out), "");
    let written = std::fs::read_to_string(&target).unwrap();
    let direct = gwlint(
        &["check", "--isolated", "--output-format", "concise", LONG],
        &[],
    );
    assert_eq!(written, stdout(&direct));
    // a report that cannot be written is an error before anything else happens
    let missing = dir.path().join("没有的文件夹/报告.txt");
    let out = gwlint(
        &["check", "--output-file", missing.to_str().unwrap(), LONG],
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("报告.txt"));
}
