//! Nothing lost, ever: `--fix` changes exactly the bytes of the edits it applies, or
//! writes nothing. Table-driven like `tests/hostile.rs`, but each case also checks what
//! is on disk afterwards (the bytes of the fixed file, a hard link's other name, an
//! extended attribute). Every case here changed a user's file in a way the user did
//! not ask for before issue 10.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

struct Case {
    name: &'static str,
    /// Creates files under the case's directory and returns the arguments after
    /// `gwlint`; `Err(reason)` skips the case (a file system without xattrs).
    setup: fn(&Path) -> Result<Vec<String>, String>,
    /// What must hold afterwards; `Err` describes the loss.
    verify: fn(&Path, &Output) -> Result<(), String>,
}

fn file(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn arg(p: &Path) -> String {
    p.to_str().unwrap().to_owned()
}

fn expect_bytes(path: &Path, want: &[u8]) -> Result<(), String> {
    let got = std::fs::read(path).unwrap();
    if got == want {
        Ok(())
    } else {
        Err(format!(
            "{}: got {:?}\n    want {:?}",
            path.display(),
            String::from_utf8_lossy(&got),
            String::from_utf8_lossy(want)
        ))
    }
}

/// A Markdown draft whose only half-width punctuation outside prose is in a link and
/// image target, a code span, a fenced and an indented code block, an autolink, an HTML
/// attribute and the front matter.
const MARKDOWN: &str = "---\ntitle: 通知,草稿(二稿)\n---\n\n\
详见[全文](附件/通知,说明(全文).pdf)。![图](图片/一,二(甲).png)\n\
调用`print(工作,学习)`即可,注意。\n\
<https://例子.cn/甲,乙> <span title=\"甲,乙(丙)\">正文</span>\n\n\
```\ndef f(工作,学习):\n```\n\n    缩进代码(工作,学习)\n\n末尾,结束。\n";

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "safe --fix on Markdown leaves links, images, code, HTML and front matter alone",
            setup: |d| {
                let p = file(d, "a.md", MARKDOWN);
                Ok(vec!["check".into(), "--fix".into(), arg(&p)])
            },
            verify: |d, _| {
                let want = MARKDOWN
                    .replace("即可,注意", "即可，注意")
                    .replace("末尾,结束", "末尾，结束");
                expect_bytes(&d.join("a.md"), want.as_bytes())
            },
        },
        Case {
            name: "Markdown: nothing inside code or link targets is reported",
            setup: |d| {
                let p = file(
                    d,
                    "a.md",
                    MARKDOWN
                        .replace(",注意", "，注意")
                        .replace(",结束", "，结束"),
                );
                Ok(vec![
                    "check".into(),
                    "--format".into(),
                    "json".into(),
                    arg(&p),
                ])
            },
            verify: |_, out| {
                let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
                match v.as_array() {
                    Some(a) if a.is_empty() => Ok(()),
                    _ => Err(format!("findings: {v}")),
                }
            },
        },
    ]
}

fn run_case(case: &Case) -> Option<String> {
    let dir = tempfile::tempdir().unwrap();
    let args = match (case.setup)(dir.path()) {
        Ok(a) => a,
        Err(reason) => {
            eprintln!("skipped case `{}`: {reason}", case.name);
            return None;
        }
    };
    let out = Command::new(env!("CARGO_BIN_EXE_gwlint"))
        .args(&args)
        .current_dir(dir.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    if stderr.contains("panicked") {
        return Some(format!("case `{}`: it panicked: {stderr}", case.name));
    }
    (case.verify)(dir.path(), &out)
        .err()
        .map(|e| format!("case `{}`: {e}\n    stderr: {stderr}", case.name))
}

#[test]
fn fix_loses_nothing() {
    let cases = cases();
    let failures: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = cases.iter().map(|c| s.spawn(|| run_case(c))).collect();
        handles
            .into_iter()
            .filter_map(|h| h.join().unwrap())
            .collect()
    });
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}
