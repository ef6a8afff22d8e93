//! No surprises for a new user: a missing path is an error with its reason (never
//! 「未发现问题」), mistyped rule ids and categories get a suggestion, `explain CATEGORY`
//! lists its rules, `--statistics` refuses formats it cannot print, `rules` is aligned,
//! the README's first command lints only the example drafts, and an unsafe fix never
//! rewrites a count claim. (The pre-commit points are in tests/precommit.rs.)
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Output};

fn gwlint(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gwlint"))
        .current_dir(dir)
        .args(args)
        .env_remove("NO_COLOR")
        .output()
        .unwrap()
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn a_missing_path_is_an_error_with_its_reason_not_a_clean_report() {
    let dir = tempfile::tempdir().unwrap();
    let o = gwlint(dir.path(), &["check", "草稿.txt"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        err(&o).trim(),
        "gwlint：错误：草稿.txt：找不到这个文件或文件夹"
    );
    assert!(!out(&o).contains("未发现问题"), "{}", out(&o));
    assert_eq!(out(&o), "");
    // beside a clean file: the clean file is reported as such, the error is counted
    std::fs::write(dir.path().join("通知.txt"), "全面贯彻党的二十大精神。\n").unwrap();
    let o = gwlint(dir.path(), &["check", "草稿.txt", "通知.txt"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(out(&o).contains("另有 1 处出错，未能检查"), "{}", out(&o));
}

#[test]
fn an_unreadable_file_is_an_error_with_its_reason() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("锁住.txt");
    std::fs::write(&p, "全面贯彻党的二十大精神。\n").unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o000)).unwrap();
    // a path through a file cannot be read by anyone, root included
    let through = gwlint(dir.path(), &["check", "锁住.txt/草稿.txt"]);
    assert_eq!(through.status.code(), Some(2));
    assert!(
        err(&through).contains("锁住.txt/草稿.txt：路径中间有一段不是文件夹"),
        "{}",
        err(&through)
    );
    assert!(!out(&through).contains("未发现问题"), "{}", out(&through));
    if std::fs::read(&p).is_ok() {
        eprintln!("skipped the permission case: running as root, permissions do not apply");
        return;
    }
    let o = gwlint(dir.path(), &["check", "锁住.txt"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("锁住.txt：没有权限"), "{}", err(&o));
    assert!(!out(&o).contains("未发现问题"), "{}", out(&o));
}

#[test]
fn mistyped_rules_and_categories_get_a_suggestion() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), "全面贯彻党的二十大精神。\n").unwrap();
    let o = gwlint(dir.path(), &["check", "--select", "comon-typo", "a.txt"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err(&o).contains("comon-typo（是不是想用「common-typo」？）"),
        "{}",
        err(&o)
    );
    let o = gwlint(dir.path(), &["check", "--ignore", "punctuaton", "a.txt"]);
    assert!(
        err(&o).contains("punctuaton（是不是想用「punctuation」？）"),
        "{}",
        err(&o)
    );
    let o = gwlint(dir.path(), &["explain", "percent-sign"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err(&o).contains("是不是想用「percent-sign-missing」？"),
        "{}",
        err(&o)
    );
    // in a config file too
    std::fs::write(dir.path().join("gwlint.yaml"), "ignore: [spacng]\n").unwrap();
    let o = gwlint(dir.path(), &["check", "a.txt"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("是不是想用「spacing」？"), "{}", err(&o));
}

#[test]
fn explain_a_category_lists_its_rules() {
    let o = gwlint(root(), &["explain", "punctuation"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let text = out(&o);
    let rules = gwlint(root(), &["rules", "--format", "json"]);
    let all: serde_json::Value = serde_json::from_slice(&rules.stdout).unwrap();
    let mut n = 0;
    for r in all.as_array().unwrap() {
        let id = r["id"].as_str().unwrap();
        let listed = text.lines().any(|l| l.starts_with(&format!("{id} ")));
        assert_eq!(r["category"] == "punctuation", listed, "{id}:\n{text}");
        n += usize::from(listed);
    }
    assert!(
        text.starts_with(&format!("# punctuation 类（{n} 条规则）")),
        "{text}"
    );
}

#[test]
fn statistics_refuses_formats_it_cannot_print() {
    let docs = "tests/fixtures/documents";
    for format in ["sarif", "github", "junit"] {
        let o = gwlint(root(), &["check", "--statistics", "--format", format, docs]);
        assert_eq!(o.status.code(), Some(2), "{format}");
        assert!(err(&o).contains("--statistics 只能与"), "{}", err(&o));
        assert_eq!(out(&o), "", "{format}");
    }
    let o = gwlint(
        root(),
        &["check", "--statistics", "--format", "jsonl", docs],
    );
    assert_eq!(o.status.code(), Some(1));
    for line in out(&o).lines() {
        let row: serde_json::Value = serde_json::from_str(line).unwrap();
        assert!(row["count"].as_u64().unwrap() > 0, "{line}");
    }
}

#[test]
fn the_rules_table_is_aligned() {
    let o = gwlint(root(), &["rules"]);
    let text = out(&o);
    let width = |s: &str| unicode_width::UnicodeWidthStr::width(s);
    // the display column where each field starts, for every line
    let starts: Vec<Vec<usize>> = text
        .lines()
        .map(|line| {
            let mut cols = Vec::new();
            let mut prev_space = 0;
            for (i, ch) in line.char_indices() {
                if ch != ' ' && prev_space >= 2 {
                    cols.push(width(&line[..i]));
                }
                prev_space = if ch == ' ' { prev_space + 1 } else { 0 };
            }
            cols
        })
        .collect();
    for (line, cols) in text.lines().zip(&starts) {
        assert_eq!(&cols[..4], &starts[0][..4], "misaligned: {line}\n{text}");
    }
}

#[test]
fn the_readme_first_command_lints_only_the_example_drafts() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let block = readme.split("```sh\n").nth(1).unwrap();
    let first = block.lines().next().unwrap();
    let args: Vec<&str> = first
        .split('#')
        .next()
        .unwrap()
        .split_whitespace()
        .collect();
    let check = args.iter().position(|a| *a == "check").unwrap();
    let mut run: Vec<&str> = args[check..].to_vec();
    run.extend(["--format", "json"]);
    let o = gwlint(root(), &run);
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    let findings: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let paths: std::collections::BTreeSet<&str> = findings
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["path"].as_str().unwrap())
        .collect();
    assert!(!paths.is_empty());
    for p in paths {
        assert!(
            p.ends_with(".txt") || p.ends_with(".docx"),
            "the first command lints {p}, not an example draft"
        );
    }
}

const COUNT_CLAIM: &str = "2023年工会工作要点
重点做好以下四方面12项工作：
一、思想引领
（一）理论学习
（二）主题宣传
（三）阵地建设
二、建功立业
（四）劳动竞赛
（五）技术创新
（六）职工创新
三、维权服务
（七）集体协商
（八）困难帮扶
（九）法律援助
四、自身建设
（十）组织建设
（十一）作风建设
";

#[test]
fn an_unsafe_fix_never_rewrites_a_count_claim() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("要点.txt");
    std::fs::write(&p, COUNT_CLAIM).unwrap();
    let o = gwlint(
        dir.path(),
        &[
            "check",
            "--isolated",
            "--fix",
            "--unsafe-fixes",
            "--select",
            "count-claim",
            "--format",
            "json",
            "要点.txt",
        ],
    );
    assert_eq!(std::fs::read_to_string(&p).unwrap(), COUNT_CLAIM);
    let findings: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let d = &findings[0];
    assert_eq!(d["rule"], "count-claim-mismatch");
    assert!(d["fix"].is_null(), "{d}");
    let message = d["message"].as_str().unwrap();
    assert!(
        message.contains("正文为4个部分、11项")
            && message.contains("到「（十一）作风建设」为止，比所说的少1项"),
        "{message}"
    );
    // one item too many: the message names where the surplus starts
    let extra = COUNT_CLAIM.replace("12项", "10项");
    std::fs::write(&p, &extra).unwrap();
    let o = gwlint(
        dir.path(),
        &[
            "check",
            "--isolated",
            "--select",
            "count-claim",
            "--format",
            "json",
            "要点.txt",
        ],
    );
    let findings: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let message = findings[0]["message"].as_str().unwrap();
    assert!(
        message.contains("比所说的多1项") && message.contains("从「（十一）作风建设」起"),
        "{message}"
    );
}
