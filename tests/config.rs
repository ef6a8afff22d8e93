//! Config files as users meet them: discovery from each checked file, `--config`,
//! `--isolated`, `--show-settings`, per-file ignores, severities, extra rule folders,
//! errors at file:line:col; and the README's reference table matching the code.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn gwlint_in(dir: &Path, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_gwlint"));
    cmd.args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let mut f = std::fs::File::create(path).unwrap();
    f.write_all(text.as_bytes()).unwrap();
}

fn rules_fired(dir: &Path, args: &[&str]) -> Vec<(String, String, String)> {
    let mut full = vec!["check", "--format", "json"];
    full.extend_from_slice(args);
    let o = gwlint_in(dir, &full);
    assert_ne!(o.status.code(), Some(2), "{}", err(&o));
    let v: serde_json::Value = serde_json::from_str(&out(&o)).unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_owned(),
                d["rule"].as_str().unwrap().to_owned(),
                d["severity"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

const DRAFT: &str = "开展劳动竟赛活动,提高质量。\n";

#[test]
fn nearest_config_applies_per_file() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        &root.join("gwlint.yaml"),
        "ignore: [typo]\nseverity:\n  punctuation: error\n",
    );
    write(&root.join("a.txt"), DRAFT);
    // a nested .gwlint.yaml wins for its folder (configs are not merged)
    write(&root.join("sub/.gwlint.yaml"), "select: [typo]\n");
    write(&root.join("sub/b.txt"), DRAFT);
    let fired = rules_fired(root, &["."]);
    let a: Vec<_> = fired.iter().filter(|f| f.0.ends_with("a.txt")).collect();
    let b: Vec<_> = fired.iter().filter(|f| f.0.ends_with("b.txt")).collect();
    assert!(a.iter().all(|f| f.1 != "common-typo"), "{a:?}");
    assert!(
        a.iter()
            .any(|f| f.1 == "half-width-punctuation" && f.2 == "error"),
        "{a:?}"
    );
    assert_eq!(
        b.iter().map(|f| f.1.as_str()).collect::<Vec<_>>(),
        ["common-typo"]
    );
    // --isolated ignores both
    let fired = rules_fired(root, &["--isolated", "."]);
    assert!(fired.iter().filter(|f| f.0.ends_with("b.txt")).count() >= 2);
    assert!(fired
        .iter()
        .any(|f| f.0.ends_with("a.txt") && f.1 == "common-typo"));
    // --config names one file for everything
    write(&root.join("other.yaml"), "select: [punctuation]\n");
    let fired = rules_fired(root, &["--config", "other.yaml", "."]);
    assert!(
        fired.iter().all(|f| f.1 == "half-width-punctuation"),
        "{fired:?}"
    );
    assert_eq!(fired.len(), 2);
    // the command line's --select replaces the config's, --ignore adds to it
    let fired = rules_fired(root, &["--select", "typo,punctuation", "a.txt"]);
    assert_eq!(fired.len(), 2, "{fired:?}");
    let fired = rules_fired(root, &["--ignore", "punctuation", "a.txt"]);
    assert!(fired.is_empty(), "{fired:?}");
}

#[test]
fn per_file_ignores_rule_folders_profile_and_encoding() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        &root.join("gwlint.yaml"),
        "rules: [我的规则]\nper_file_ignores:\n  \"附件/*.txt\": [punctuation]\n  \"*.md\": [typo]\nprofile: notice\nencoding: gbk\n",
    );
    write(
        &root.join("我的规则/no-foo.yaml"),
        "id: no-foo\ntitle: 不用某词\ncategory: other\nseverity: info\nkind: pattern\nmessage: m\ndocs: d\nexamples: []\npatterns: ['质量']\n",
    );
    let (gbk, _, _) = encoding_rs::GBK.encode(DRAFT);
    std::fs::create_dir_all(root.join("附件")).unwrap();
    std::fs::write(root.join("附件/一.txt"), &gbk).unwrap();
    std::fs::write(root.join("说明.md"), &gbk).unwrap();
    let fired = rules_fired(root, &["."]);
    let of = |name: &str| -> Vec<String> {
        let mut v: Vec<String> = fired
            .iter()
            .filter(|f| f.0.ends_with(name))
            .map(|f| f.1.clone())
            .collect();
        v.sort();
        v
    };
    assert_eq!(of("一.txt"), ["common-typo", "no-foo"]);
    assert_eq!(of("说明.md"), ["half-width-punctuation", "no-foo"]);
    let o = gwlint_in(root, &["check", "--show-settings", "附件/一.txt"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let s = out(&o);
    for want in [
        "file: 附件/一.txt",
        "config: ",
        "gwlint.yaml",
        "profile: notice",
        "encoding: gb18030",
        "ignore: [punctuation]",
        "per_file_ignores_matched: [附件/*.txt → punctuation]",
        "  - no-foo (info)",
        "  - common-typo (",
    ] {
        assert!(s.contains(want), "missing {want:?} in\n{s}");
    }
    assert!(!s.contains("half-width-punctuation"), "{s}");
}

#[test]
fn config_errors_point_at_file_line_and_column() {
    let cases: &[(&str, &str)] = &[
        ("select: [typo]\nignor: [spacing]\n", "gwlint.yaml:2:1"),
        ("select:\n  - typo\n  - no-such-rule\n", "gwlint.yaml:3:5"),
        ("profile: memo\n", "gwlint.yaml:1:10"),
        ("severity:\n  typo: loud\n", "gwlint.yaml:2:9"),
        ("encoding: latin-1\n", "gwlint.yaml:1:11"),
        ("select: [typo\n", "gwlint.yaml:"),
    ];
    for (text, want) in cases {
        let dir = tempfile::tempdir().unwrap();
        write(&dir.path().join("gwlint.yaml"), text);
        write(&dir.path().join("a.txt"), DRAFT);
        let o = gwlint_in(dir.path(), &["check", "a.txt"]);
        assert_eq!(o.status.code(), Some(2), "{text}: {}", err(&o));
        assert!(err(&o).contains(want), "{text}: want {want} in {}", err(&o));
    }
    // a missing --config file is an error too
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("a.txt"), DRAFT);
    let o = gwlint_in(dir.path(), &["check", "--config", "nope.yaml", "a.txt"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("nope.yaml"), "{}", err(&o));
}

/// `GWLINT_UPDATE_README=1 cargo test --test integration config::` rewrites the table from the code.
#[test]
fn readme_config_reference_is_generated_from_the_code() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let start = "<!-- config-reference:start -->\n";
    let end = "<!-- config-reference:end -->";
    let a = readme
        .find(start)
        .expect("README has the config reference markers")
        + start.len();
    let b = readme[a..].find(end).unwrap() + a;
    let want = gwlint::config::reference_markdown();
    if std::env::var_os("GWLINT_UPDATE_README").is_some() {
        std::fs::write(&path, format!("{}{want}{}", &readme[..a], &readme[b..])).unwrap();
        return;
    }
    assert_eq!(
        &readme[a..b],
        want,
        "README's config reference is stale: run GWLINT_UPDATE_README=1 cargo test --test integration config::"
    );
}

#[test]
fn readme_config_example_parses() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let a = readme.find("```yaml\n# gwlint.yaml\n").unwrap() + "```yaml\n".len();
    let b = readme[a..].find("```").unwrap() + a;
    let file: gwlint::config::ConfigFile = serde_yaml::from_str(&readme[a..b]).unwrap();
    assert_eq!(file.profile, Some(gwlint::document::Profile::Notice));
    assert_eq!(file.per_file_ignores.len(), 2);
}
