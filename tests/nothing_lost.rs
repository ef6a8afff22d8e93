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

fn gbk(s: &str) -> Vec<u8> {
    encoding_rs::GB18030.encode(s).0.into_owned()
}

fn utf16le(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(u16::to_le_bytes).collect()
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

fn stderr_has(out: &Output, want: &str) -> Result<(), String> {
    let err = String::from_utf8_lossy(&out.stderr);
    if err.contains(want) {
        Ok(())
    } else {
        Err(format!("stderr lacks {want:?}: {err}"))
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
        Case {
            name: "config `encoding: gbk` is not applied to a valid UTF-8 draft",
            setup: |d| {
                file(d, "gwlint.yaml", "encoding: gbk\n");
                file(d, "u.txt", "贯彻落实,推进工作\n");
                Ok(vec!["check".into(), "--fix".into(), arg(d)])
            },
            verify: |d, out| {
                expect_bytes(&d.join("u.txt"), "贯彻落实，推进工作\n".as_bytes())?;
                stderr_has(out, "UTF-8")
            },
        },
        Case {
            name: "GBK file with a 0x80 (€) byte outside the edit",
            setup: |d| {
                let mut bytes = gbk("价格100");
                bytes.push(0x80);
                bytes.extend(gbk("推进,工作\n"));
                let p = file(d, "eur.txt", bytes);
                Ok(vec!["check".into(), "--fix".into(), arg(&p)])
            },
            verify: |d, _| {
                let mut want = gbk("价格100");
                want.push(0x80);
                want.extend(gbk("推进，工作\n"));
                expect_bytes(&d.join("eur.txt"), &want)
            },
        },
        Case {
            name: "UTF-16LE without BOM, Han only (no NUL bytes), is not read as GB18030",
            setup: |d| {
                let p = file(d, "u16.txt", utf16le("关于本年度工作要点关于本单位"));
                Ok(vec!["check".into(), "--fix".into(), arg(&p)])
            },
            verify: |d, out| {
                expect_bytes(&d.join("u16.txt"), &utf16le("关于本年度工作要点关于本单位"))?;
                stderr_has(out, "像是不带字节顺序标记（BOM）的 UTF-16")
            },
        },
        Case {
            name: "CRLF and CR-only files: the glued-list-item fix inserts the file's line break",
            setup: |d| {
                let mut args: Vec<String> =
                    ["check", "--fix", "--unsafe-fixes"].map(Into::into).into();
                args.extend(["--select".into(), "glued-list-item".into()]);
                for (name, end) in [("crlf.txt", "\r\n"), ("cr.txt", "\r")] {
                    let text = format!("（一）加强检查{end}1．开展排查。2．组织整改。{end}");
                    args.push(arg(&file(d, name, text)));
                }
                Ok(args)
            },
            verify: |d, _| {
                for (name, end) in [("crlf.txt", "\r\n"), ("cr.txt", "\r")] {
                    let want = format!("（一）加强检查{end}1．开展排查。{end}2．组织整改。{end}");
                    expect_bytes(&d.join(name), want.as_bytes())?;
                }
                Ok(())
            },
        },
        Case {
            name: "a trailing half-width ? is judged alike with LF, CRLF, CR and at the end",
            setup: |d| {
                for (name, end) in [("lf", "\n"), ("crlf", "\r\n"), ("cr", "\r"), ("eof", "")] {
                    file(d, &format!("{name}.txt"), format!("这是为什么?{end}"));
                }
                Ok(vec![
                    "check".into(),
                    "--format".into(),
                    "json".into(),
                    arg(d),
                ])
            },
            verify: |_, out| {
                let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
                let mut per_file = std::collections::BTreeMap::<String, Vec<String>>::new();
                for d in v.as_array().unwrap() {
                    let path = d["path"].as_str().unwrap();
                    let name = Path::new(path).file_name().unwrap().to_str().unwrap();
                    per_file
                        .entry(name.to_owned())
                        .or_default()
                        .push(d["rule"].as_str().unwrap().to_owned());
                }
                let all: Vec<_> = per_file.values().collect();
                if per_file.len() == 4 && all.windows(2).all(|w| w[0] == w[1]) {
                    Ok(())
                } else {
                    Err(format!("findings differ by line ending: {per_file:?}"))
                }
            },
        },
        Case {
            name: "a hard link keeps sharing the fixed text",
            setup: |d| {
                let p = file(d, "a.txt", "统一思想,强化担当\n");
                std::fs::hard_link(&p, d.join("b.txt")).unwrap();
                Ok(vec!["check".into(), "--fix".into(), arg(&p)])
            },
            verify: |d, _| {
                use std::os::unix::fs::MetadataExt;
                expect_bytes(&d.join("b.txt"), "统一思想，强化担当\n".as_bytes())?;
                let (a, b) = (
                    std::fs::metadata(d.join("a.txt")).unwrap(),
                    std::fs::metadata(d.join("b.txt")).unwrap(),
                );
                if a.ino() == b.ino() && a.nlink() == 2 {
                    Ok(())
                } else {
                    Err("the hard link was split".into())
                }
            },
        },
        Case {
            name: "extended attributes survive --fix",
            setup: |d| {
                let p = file(d, "x.txt", "统一思想,强化担当\n");
                xattr::set(&p, "user.gwlint-test", b"kept")
                    .map_err(|e| format!("no user xattrs here: {e}"))?;
                Ok(vec!["check".into(), "--fix".into(), arg(&p)])
            },
            verify: |d, _| {
                let p = d.join("x.txt");
                expect_bytes(&p, "统一思想，强化担当\n".as_bytes())?;
                match xattr::get(&p, "user.gwlint-test") {
                    Ok(Some(v)) if v == b"kept" => Ok(()),
                    other => Err(format!("xattr lost: {other:?}")),
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

/// Load `p`, run `meanwhile` (another program at work), then write the fix of its comma.
fn fix_comma_after(p: &Path, meanwhile: impl FnOnce()) -> Result<(), gwlint::load::WriteError> {
    use gwlint::load::{load_input, write_fixed, Decoding, Input};
    let loaded = load_input(&Input::File(p.to_owned()), Decoding::default()).unwrap();
    let original = loaded.doc.text.clone();
    let at = original.find(',').unwrap();
    let fixed = original.replace(',', "，");
    let change = gwlint::fix::Change {
        original: at..at + 1,
        fixed: at..at + 3,
    };
    meanwhile();
    write_fixed(
        p,
        loaded.snapshot.as_ref().unwrap(),
        &original,
        &fixed,
        loaded.doc.encoding,
        &[change],
    )
}

/// A lost update: another program saved the file after gwlint read it. `write_fixed`
/// refuses and leaves the new contents alone, also when the size and modification time
/// came out the same.
#[test]
fn a_file_changed_after_reading_is_not_overwritten() {
    use gwlint::load::WriteError;
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let p = file(dir.path(), "a.txt", "统一思想,强化担当\n");
    let append = || {
        let mut f = std::fs::OpenOptions::new().append(true).open(&p).unwrap();
        f.write_all("新增一行。\n".as_bytes()).unwrap();
    };
    assert!(matches!(
        fix_comma_after(&p, append),
        Err(WriteError::Changed)
    ));
    expect_bytes(&p, "统一思想,强化担当\n新增一行。\n".as_bytes()).unwrap();
    // rewritten with the same length and the old modification time
    std::fs::write(&p, "统一思想,强化担当\n").unwrap();
    let same_size = || {
        let mtime = std::fs::metadata(&p).unwrap().modified().unwrap();
        std::fs::write(&p, "统一认识,强化担当\n").unwrap();
        let f = std::fs::File::options().write(true).open(&p).unwrap();
        f.set_modified(mtime).unwrap();
    };
    assert!(matches!(
        fix_comma_after(&p, same_size),
        Err(WriteError::Changed)
    ));
    expect_bytes(&p, "统一认识,强化担当\n".as_bytes()).unwrap();
    // unchanged: written
    fix_comma_after(&p, || ()).unwrap();
    expect_bytes(&p, "统一认识，强化担当\n".as_bytes()).unwrap();
}
