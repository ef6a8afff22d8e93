//! The command line as users meet it: exit codes, the JSON contract, stdin, encodings,
//! skipped files and rule-file errors pointing at file:line:col.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn gwlint(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_gwlint"));
    cmd.args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    let mut pipe = child.stdin.take().unwrap();
    pipe.write_all(stdin.unwrap_or(b"")).unwrap();
    drop(pipe);
    child.wait_with_output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

const DIRTY: &str = "关于开展劳动竟赛的通知\n各基层工会:\n职工入会率不低于 80，全面贯彻党的XX大精神。\n于2023年2月30日前报名。\n";
const CLEAN: &str = "关于开展劳动竞赛的通知\n各基层工会：\n全面贯彻党的二十大精神。\n";

#[test]
fn exit_codes_follow_findings() {
    let dir = tempfile::tempdir().unwrap();
    let clean = dir.path().join("clean.txt");
    std::fs::write(&clean, CLEAN).unwrap();
    let dirty = dir.path().join("dirty.txt");
    std::fs::write(&dirty, DIRTY).unwrap();
    assert_eq!(
        gwlint(&["check", clean.to_str().unwrap()], None)
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        gwlint(&["check", dirty.to_str().unwrap()], None)
            .status
            .code(),
        Some(1)
    );
    // the threshold: only errors fail; the dirty file has an impossible date (an error)
    assert_eq!(
        gwlint(
            &["check", "--fail-on", "error", dirty.to_str().unwrap()],
            None
        )
        .status
        .code(),
        Some(1)
    );
    let warn_only = dir.path().join("warn.txt");
    std::fs::write(&warn_only, "开展劳动竟赛。\n").unwrap();
    assert_eq!(
        gwlint(
            &["check", "--fail-on", "error", warn_only.to_str().unwrap()],
            None
        )
        .status
        .code(),
        Some(0)
    );
    // usage errors and missing files are exit 2
    assert_eq!(
        gwlint(&["check", "--no-such-flag"], None).status.code(),
        Some(2)
    );
    let missing = gwlint(
        &["check", dir.path().join("nope.txt").to_str().unwrap()],
        None,
    );
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        stderr(&missing).contains("找不到这个文件或文件夹"),
        "{}",
        stderr(&missing)
    );
    assert_eq!(
        gwlint(
            &["check", "--select", "no-such-rule", clean.to_str().unwrap()],
            None
        )
        .status
        .code(),
        Some(2)
    );
}

#[test]
fn json_output_has_the_documented_shape() {
    let o = gwlint(&["check", "--format", "json", "-"], Some(DIRTY.as_bytes()));
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let items = v.as_array().unwrap();
    assert!(items.len() >= 4, "{items:?}");
    for d in items {
        let keys: Vec<&str> = d.as_object().unwrap().keys().map(String::as_str).collect();
        let mut keys = keys.clone();
        keys.sort();
        assert_eq!(
            keys,
            ["category", "end", "fix", "message", "path", "rule", "severity", "start"]
        );
        assert_eq!(d["path"], "-");
        for end in ["start", "end"] {
            let p = d[end].as_object().unwrap();
            assert!(p["line"].as_u64().unwrap() >= 1 && p["column"].as_u64().unwrap() >= 1);
        }
        // offsets and columns agree with the text
        let (s, e) = (
            d["start"]["offset"].as_u64().unwrap() as usize,
            d["end"]["offset"].as_u64().unwrap() as usize,
        );
        assert!(s < e && DIRTY.is_char_boundary(s) && DIRTY.is_char_boundary(e));
        let line_start = DIRTY[..s].rfind('\n').map_or(0, |i| i + 1);
        assert_eq!(
            d["start"]["column"].as_u64().unwrap() as usize,
            DIRTY[line_start..s].chars().count() + 1
        );
    }
    let typo = items.iter().find(|d| d["rule"] == "common-typo").unwrap();
    assert_eq!(typo["start"]["line"], 1);
    assert_eq!(typo["start"]["column"], 7);
    assert_eq!(typo["fix"]["edits"][0]["replacement"], "竞赛");
    let colon = items
        .iter()
        .find(|d| d["rule"] == "half-width-punctuation")
        .unwrap();
    assert_eq!(colon["fix"]["applicability"], "safe");
    let pct = items
        .iter()
        .find(|d| d["rule"] == "percent-sign-missing")
        .unwrap();
    assert_eq!(
        &DIRTY[pct["start"]["offset"].as_u64().unwrap() as usize
            ..pct["end"]["offset"].as_u64().unwrap() as usize],
        "80"
    );
}

#[test]
fn gbk_bom_crlf_and_utf16_files_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let crlf = DIRTY.replace('\n', "\r\n");
    let (gbk, _, _) = encoding_rs::GBK.encode(&crlf);
    std::fs::write(dir.path().join("gbk.txt"), &gbk).unwrap();
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend_from_slice(DIRTY.as_bytes());
    std::fs::write(dir.path().join("bom.txt"), &bom).unwrap();
    let mut utf16 = vec![0xFF, 0xFE];
    for u in DIRTY.encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    std::fs::write(dir.path().join("utf16.txt"), &utf16).unwrap();
    let o = gwlint(
        &["check", "--format", "json", dir.path().to_str().unwrap()],
        None,
    );
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    for name in ["gbk.txt", "bom.txt", "utf16.txt"] {
        let typos: Vec<_> = v
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["path"].as_str().unwrap().ends_with(name) && d["rule"] == "common-typo")
            .collect();
        assert_eq!(typos.len(), 1, "{name}: {}", stdout(&o));
        assert_eq!(typos[0]["start"]["column"], 7, "{name}");
    }
    // a forced wrong encoding is reported, not crashed on
    let gbk_path = dir.path().join("gbk.txt");
    let o = gwlint(
        &["check", "--encoding", "utf-8", gbk_path.to_str().unwrap()],
        None,
    );
    assert!(
        stderr(&o).contains("不是有效的 utf-8 编码"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        gwlint(
            &["check", "--encoding", "klingon", gbk_path.to_str().unwrap()],
            None
        )
        .status
        .code(),
        Some(2)
    );
}

#[test]
fn binary_empty_and_undecodable_files_are_skipped_with_a_notice() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
    std::fs::write(dir.path().join("b.txt"), b"").unwrap();
    std::fs::write(
        dir.path().join("c.txt"),
        [0xFF, 0x30, 0x81, 0xFF, 0xFF, 0x20],
    )
    .unwrap();
    std::fs::write(dir.path().join("d.txt"), CLEAN).unwrap();
    let o = gwlint(&["check", dir.path().to_str().unwrap()], None);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(err.contains("a.txt：二进制文件"), "{err}");
    assert!(err.contains("b.txt：空文件"), "{err}");
    assert!(err.contains("c.txt：不是 UTF-8"), "{err}");
    assert_eq!(err.lines().count(), 3, "one line per skipped file: {err}");
}

#[test]
fn bad_rule_files_point_at_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let base = "id: my-rule\ntitle: 测试\ncategory: typo\nseverity: warning\nkind: pattern\nmessage: m\ndocs: d\nexamples: []\n";
    let cases: &[(&str, &str, &str)] = &[
        ("unknown key", "patterns: ['a']\nfrobnicate: 1\n", ":10:1"),
        ("bad regex", "patterns:\n  - '(unclosed'\n", ":10:6"),
        ("bad category", "patterns: ['a']\n", ":3:11"),
        ("malformed yaml", "patterns: ['a'\n", ":"),
    ];
    for (what, tail, want) in cases {
        let text = if *what == "bad category" {
            format!(
                "{}{tail}",
                base.replace("category: typo", "category: typos")
            )
        } else {
            format!("{base}{tail}")
        };
        std::fs::write(dir.path().join("my-rule.yaml"), text).unwrap();
        let o = gwlint(
            &["check", "--rules", dir.path().to_str().unwrap(), "-"],
            Some(CLEAN.as_bytes()),
        );
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{what}: {err}");
        assert!(
            err.contains(&format!("my-rule.yaml{want}")),
            "{what}: want {want} in {err}"
        );
    }
}

#[cfg(unix)]
#[test]
fn linked_rule_files_are_read_and_linked_folders_are_not_followed() {
    let dir = tempfile::tempdir().unwrap();
    let shared = dir.path().join("shared");
    let rules = dir.path().join("rules");
    std::fs::create_dir_all(&shared).unwrap();
    std::fs::create_dir_all(&rules).unwrap();
    std::fs::write(
        shared.join("linked-rule.yaml"),
        "id: linked-rule\ntitle: 测试\ncategory: other\nseverity: warning\nkind: pattern\n\
         message: 出现了测试词\ndocs: d\nexamples: []\npatterns: ['劳动竞赛']\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(
        shared.join("linked-rule.yaml"),
        rules.join("linked-rule.yaml"),
    )
    .unwrap();
    // a link back to the folder itself and a dangling link: neither hangs nor fails
    std::os::unix::fs::symlink(&rules, rules.join("loop")).unwrap();
    std::os::unix::fs::symlink("gone.yaml", rules.join("dangling.yaml")).unwrap();
    let o = gwlint(
        &[
            "check",
            "--isolated",
            "--select",
            "linked-rule",
            "--rules",
            rules.to_str().unwrap(),
            "-",
        ],
        Some(CLEAN.as_bytes()),
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stdout(&o).contains("linked-rule"), "{}", stdout(&o));
}

#[test]
fn rules_and_explain() {
    let o = gwlint(&["rules"], None);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(out.starts_with("编号"));
    assert!(out.contains("percent-sign-missing") && out.contains("ad-solicitation"));
    let o = gwlint(&["explain", "percent-sign-missing"], None);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("## 检查内容"));
    assert_eq!(gwlint(&["explain", "nope"], None).status.code(), Some(2));
}
