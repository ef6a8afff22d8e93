//! Out-of-band suppression: `--add-ignore` writes `.gwlint-ignore.yaml`; later runs stay
//! quiet about exactly those findings even when the rest of the file changes; an entry
//! whose finding is gone is reported as stale; Markdown disable/enable comments.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Output, Stdio};

fn gwlint_in(dir: &Path, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_gwlint"));
    cmd.args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd.output().unwrap()
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn rules(dir: &Path, path: &str) -> Vec<String> {
    let o = gwlint_in(dir, &["check", "--format", "json", path]);
    let v: serde_json::Value = serde_json::from_str(&out(&o)).unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn accepted_findings_stay_accepted_until_they_change() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("稿件")).unwrap();
    let draft = root.join("稿件/通知.txt");
    std::fs::write(&draft, "开展劳动竟赛活动。\n各单位要做好准备。\n").unwrap();
    assert_eq!(rules(root, "稿件/通知.txt"), ["common-typo"]);

    let o = gwlint_in(root, &["check", "--add-ignore", "稿件/通知.txt"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let ignore = std::fs::read_to_string(root.join(".gwlint-ignore.yaml")).unwrap();
    assert!(ignore.contains("file: 稿件/通知.txt"), "{ignore}");
    assert!(ignore.contains("rule: common-typo"), "{ignore}");
    assert!(ignore.contains("text: 竟赛"), "{ignore}");
    let o = gwlint_in(root, &["check", "稿件/通知.txt"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", out(&o), err(&o));
    // also when checked from another folder, by another path
    let o = gwlint_in(&root.join("稿件"), &["check", "通知.txt"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", out(&o), err(&o));

    // the rest of the file changes: still accepted; a new finding is reported
    std::fs::write(
        &draft,
        "以下是补充说明。\n\n开展劳动竟赛活动。\n请于周五前报送,逾期不候。\n",
    )
    .unwrap();
    let now = rules(root, "稿件/通知.txt");
    assert!(
        now.contains(&"half-width-punctuation".to_string()),
        "{now:?}"
    );
    assert!(!now.contains(&"common-typo".to_string()), "{now:?}");
    let o = gwlint_in(root, &["check", "稿件/通知.txt"]);
    assert!(!err(&o).contains("过期"), "{}", err(&o));

    // the accepted text itself is edited: the entry is stale and the finding returns
    std::fs::write(&draft, "开展技能竟赛活动。\n").unwrap();
    let o = gwlint_in(root, &["check", "稿件/通知.txt"]);
    assert!(out(&o).contains("common-typo"), "{}", out(&o));
    let e = err(&o);
    assert!(
        e.contains(".gwlint-ignore.yaml:")
            && e.contains("过期的忽略记录：稿件/通知.txt [common-typo]"),
        "{e}"
    );
    // an entry for a rule that did not run is not stale
    let o = gwlint_in(root, &["check", "--select", "punctuation", "稿件/通知.txt"]);
    assert!(!err(&o).contains("过期"), "{}", err(&o));
    // --add-ignore again replaces the stale entry with the current finding
    let o = gwlint_in(root, &["check", "--add-ignore", "稿件/通知.txt"]);
    assert!(err(&o).contains("1 条"), "{}", err(&o));
    let o = gwlint_in(root, &["check", "稿件/通知.txt"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", out(&o), err(&o));
    assert!(err(&o).is_empty(), "{}", err(&o));
    // --isolated ignores the ignore file
    let o = gwlint_in(root, &["check", "--isolated", "稿件/通知.txt"]);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn ignore_file_goes_beside_the_config_and_bad_ones_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("a/b")).unwrap();
    std::fs::write(root.join("a/gwlint.yaml"), "select: [typo]\n").unwrap();
    std::fs::write(root.join("a/b/x.txt"), "劳动竟赛\n").unwrap();
    let o = gwlint_in(&root.join("a/b"), &["check", "--add-ignore", "x.txt"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let text = std::fs::read_to_string(root.join("a/.gwlint-ignore.yaml")).unwrap();
    assert!(text.contains("file: b/x.txt"), "{text}");
    std::fs::write(
        root.join("a/.gwlint-ignore.yaml"),
        "ignores:\n  - file: b/x.txt\n    rule: common-typo\n    hsh: 1\n",
    )
    .unwrap();
    let o = gwlint_in(root, &["check", "a/b/x.txt"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains(".gwlint-ignore.yaml:4:5"), "{}", err(&o));
}

#[test]
fn markdown_comments_disable_rules_but_not_in_txt() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let text = "开展劳动竟赛。\n<!-- gwlint-disable common-typo -->\n开展劳动竟赛,做好准备。\n<!-- gwlint-enable -->\n开展劳动竟赛。\n";
    std::fs::write(root.join("说明.md"), text).unwrap();
    std::fs::write(root.join("说明.txt"), text).unwrap();
    let md = rules(root, "说明.md");
    assert_eq!(
        md.iter().filter(|r| *r == "common-typo").count(),
        2,
        "{md:?}"
    );
    assert!(md.contains(&"half-width-punctuation".to_string()), "{md:?}");
    let txt = rules(root, "说明.txt");
    assert_eq!(
        txt.iter().filter(|r| *r == "common-typo").count(),
        3,
        "{txt:?}"
    );
}

#[test]
fn add_ignore_keeps_entries_of_rules_that_did_not_run_and_of_other_files() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join("a.txt"), "开展劳动竟赛,做好准备。\n").unwrap();
    std::fs::write(root.join("b.txt"), "开展劳动竟赛,做好准备。\n").unwrap();
    let o = gwlint_in(root, &["check", "--add-ignore", "a.txt", "b.txt"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let text = std::fs::read_to_string(root.join(".gwlint-ignore.yaml")).unwrap();
    assert_eq!(text.matches("- file:").count(), 4, "{text}");
    // a partial run (one rule, one file) drops nothing
    std::fs::write(root.join("a.txt"), "开展劳动竟赛，做好准备。\n").unwrap();
    let o = gwlint_in(
        root,
        &["check", "--add-ignore", "--select", "typo", "a.txt"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let text = std::fs::read_to_string(root.join(".gwlint-ignore.yaml")).unwrap();
    assert_eq!(text.matches("- file:").count(), 4, "{text}");
    // a full run of a.txt drops its stale punctuation entry only
    let o = gwlint_in(root, &["check", "--add-ignore", "a.txt"]);
    assert!(err(&o).contains("移除了 1 条"), "{}", err(&o));
    let text = std::fs::read_to_string(root.join(".gwlint-ignore.yaml")).unwrap();
    assert_eq!(text.matches("- file:").count(), 3, "{text}");
    assert_eq!(text.matches("file: b.txt").count(), 2, "{text}");
    let o = gwlint_in(root, &["check", "a.txt", "b.txt"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", out(&o), err(&o));
    // deleting a file makes its entries stale
    std::fs::remove_file(root.join("b.txt")).unwrap();
    let o = gwlint_in(root, &["check", "a.txt"]);
    assert_eq!(
        err(&o).matches("过期的忽略记录：b.txt").count(),
        2,
        "{}",
        err(&o)
    );
}
