//! Hostile input, table-driven: every case sets up files, runs `gwlint`, and expects an
//! exit code and a one-line message on stderr (or no stderr at all). Nothing may panic,
//! hang or print a backtrace (a case still running after five minutes is killed and
//! fails). Cases run in parallel; the big ones (5 MB line, 8 MB
//! file, 10,000 rules) dominate the time.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::ffi::OsString;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// What a case runs: arguments after `gwlint`, and stdin.
struct Run {
    args: Vec<OsString>,
    stdin: Vec<u8>,
    /// Run as an unprivileged user (through `setpriv`) when the tests run as root, for
    /// whom permissions do not apply.
    unprivileged: bool,
}

/// Expected stderr: a substring of one line, or nothing at all.
enum Stderr {
    Line(&'static str),
    Silent,
}

struct Case {
    name: &'static str,
    /// Creates files under the case's own directory; `Err(reason)` skips the case.
    setup: fn(&Path) -> Result<Run, String>,
    code: i32,
    stderr: Stderr,
}

fn check(args: &[&dyn AsRef<std::ffi::OsStr>]) -> Run {
    let mut v = vec![OsString::from("check")];
    v.extend(args.iter().map(|a| a.as_ref().to_owned()));
    Run {
        args: v,
        stdin: Vec::new(),
        unprivileged: false,
    }
}

fn file(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

const CLEAN: &str = "关于开展劳动竞赛的通知\n各基层工会：\n全面贯彻党的二十大精神。\n";
const DIRTY: &str = "开展劳动竟赛，全面贯彻党的XX大精神。\n";

/// A YAML rule file with the required keys; `extra` adds kind-specific ones.
/// A named pipe made with `mkfifo` (coreutils); `Err` skips the case where it is missing.
fn fifo(dir: &Path, name: &str) -> Result<std::path::PathBuf, String> {
    let p = dir.join(name);
    match Command::new("mkfifo").arg(&p).status() {
        Ok(s) if s.success() => Ok(p),
        other => Err(format!("mkfifo failed: {other:?}")),
    }
}

fn rule_yaml(id: &str, kind: &str, extra: &str) -> String {
    format!(
        "id: {id}\ntitle: 测试规则\ncategory: other\nseverity: warning\nkind: {kind}\n\
         message: 测试\ndocs: 测试\nexamples: []\n{extra}"
    )
}

fn rules_dir(dir: &Path, files: &[(&str, String)]) -> std::path::PathBuf {
    let rules = dir.join("rules");
    std::fs::create_dir_all(&rules).unwrap();
    for (name, text) in files {
        std::fs::write(rules.join(name), text).unwrap();
    }
    rules
}

fn docx(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in entries {
        zip.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

fn cases() -> Vec<Case> {
    vec![
        // ---- paths -------------------------------------------------------------------
        Case {
            name: "missing file",
            setup: |d| Ok(check(&[&d.join("不存在.txt")])),
            code: 2,
            stderr: Stderr::Line("不存在.txt：找不到这个文件或文件夹"),
        },
        Case {
            name: "folder with no drafts",
            setup: |d| {
                file(d, "图片.png", b"\x89PNG\r\n\x1a\n\0\0");
                Ok(check(&[&d]))
            },
            code: 0,
            stderr: Stderr::Line("这个文件夹里没有 .txt、.md 或 .docx 草稿"),
        },
        Case {
            name: "unreadable file",
            setup: |d| {
                let p = file(d, "secret.txt", CLEAN);
                use std::os::unix::fs::PermissionsExt;
                std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o000)).unwrap();
                if std::fs::read(&p).is_ok() {
                    return Err("running as root: permissions do not apply".into());
                }
                Ok(check(&[&p]))
            },
            code: 2,
            stderr: Stderr::Line("secret.txt：没有权限"),
        },
        Case {
            name: "unreadable subfolder in a walked folder",
            setup: |d| {
                let sub = d.join("drafts").join("secret");
                std::fs::create_dir_all(&sub).unwrap();
                file(&d.join("drafts"), "a.txt", CLEAN);
                file(&sub, "b.txt", DIRTY);
                use std::os::unix::fs::PermissionsExt;
                std::fs::set_permissions(&sub, std::fs::Permissions::from_mode(0o000)).unwrap();
                let mut run = check(&[&d.join("drafts")]);
                run.unprivileged = true;
                Ok(run)
            },
            code: 2,
            stderr: Stderr::Line("secret：没有权限"),
        },
        Case {
            name: "path through a file",
            setup: |d| {
                let p = file(d, "a.txt", CLEAN);
                Ok(check(&[&p.join("b.txt")]))
            },
            code: 2,
            stderr: Stderr::Line("a.txt/b.txt：路径中间有一段不是文件夹"),
        },
        Case {
            name: "symlink loop given directly",
            setup: |d| {
                std::os::unix::fs::symlink("loop.txt", d.join("loop.txt")).unwrap();
                Ok(check(&[&d.join("loop.txt")]))
            },
            code: 2,
            stderr: Stderr::Line("loop.txt：符号链接绕成了环"),
        },
        Case {
            name: "symlink loop and dangling link in a walked folder",
            setup: |d| {
                let sub = d.join("drafts");
                std::fs::create_dir(&sub).unwrap();
                file(&sub, "a.txt", DIRTY);
                std::os::unix::fs::symlink(&sub, sub.join("self")).unwrap();
                std::os::unix::fs::symlink("loop.txt", sub.join("loop.txt")).unwrap();
                std::os::unix::fs::symlink("gone.txt", sub.join("dangling.txt")).unwrap();
                Ok(check(&[&sub]))
            },
            code: 1,
            stderr: Stderr::Silent,
        },
        Case {
            name: "non-UTF-8 file name in a walked folder",
            setup: |d| {
                use std::os::unix::ffi::OsStrExt;
                let name = std::ffi::OsStr::from_bytes(b"\xb9\xd8\xd3\xda\xff.txt");
                std::fs::write(d.join(name), DIRTY).unwrap();
                Ok(check(&[&"--format", &"json", &d]))
            },
            code: 1,
            stderr: Stderr::Silent,
        },
        Case {
            name: "non-UTF-8 file name given directly",
            setup: |d| {
                use std::os::unix::ffi::OsStrExt;
                let name = std::ffi::OsStr::from_bytes(b"\xff\xfe\xfd.txt");
                std::fs::write(d.join(name), DIRTY).unwrap();
                Ok(check(&[&d.join(name)]))
            },
            code: 1,
            stderr: Stderr::Silent,
        },
        Case {
            name: "character device /dev/null",
            setup: |_| Ok(check(&[&"/dev/null"])),
            code: 2,
            stderr: Stderr::Line(
                "/dev/null：不是普通文件（字符设备），请用 `gwlint check -` 从管道送入文本",
            ),
        },
        Case {
            name: "named pipe (FIFO) given directly",
            setup: |d| Ok(check(&[&fifo(d, "管道.txt")?])),
            code: 2,
            stderr: Stderr::Line("管道.txt：不是普通文件（命名管道），请用 `gwlint check -` 从管道送入文本"),
        },
        Case {
            name: "named pipe (FIFO) with --fix",
            setup: |d| Ok(check(&[&"--fix", &fifo(d, "p.txt")?])),
            code: 2,
            stderr: Stderr::Line("p.txt：不是普通文件（命名管道）"),
        },
        Case {
            name: "named pipe (FIFO) and a socket in a walked folder",
            setup: |d| {
                let sub = d.join("drafts");
                std::fs::create_dir(&sub).unwrap();
                file(&sub, "a.txt", DIRTY);
                fifo(&sub, "pipe.txt")?;
                // a socket file stays after the listener is dropped
                drop(std::os::unix::net::UnixListener::bind(sub.join("sock.txt")).unwrap());
                Ok(check(&[&sub]))
            },
            code: 1,
            stderr: Stderr::Silent,
        },
        Case {
            name: "socket given directly",
            setup: |d| {
                let p = d.join("sock.txt");
                drop(std::os::unix::net::UnixListener::bind(&p).unwrap());
                Ok(check(&[&p]))
            },
            code: 2,
            stderr: Stderr::Line("sock.txt：不是普通文件（套接字）"),
        },
        // ---- contents ----------------------------------------------------------------
        Case {
            name: "0-byte file",
            setup: |d| Ok(check(&[&file(d, "empty.txt", b"")])),
            code: 0,
            stderr: Stderr::Line("empty.txt：空文件，没有可检查的内容"),
        },
        Case {
            name: "whitespace only",
            setup: |d| Ok(check(&[&file(d, "blank.txt", " \n\u{3000}\r\n\t")])),
            code: 0,
            stderr: Stderr::Line("blank.txt：只有空白字符，没有可检查的内容"),
        },
        Case {
            name: "binary file",
            setup: |d| {
                let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
                png.extend((0..4096u32).map(|i| (i * 7 % 256) as u8));
                Ok(check(&[&file(d, "scan.txt", png)]))
            },
            code: 0,
            stderr: Stderr::Line("scan.txt：二进制文件"),
        },
        Case {
            name: "NUL byte after the first 64 KiB",
            setup: |d| {
                let mut t = CLEAN.repeat(2000).into_bytes();
                t.extend_from_slice(b"\0tail");
                Ok(check(&[&file(d, "late-nul.txt", t)]))
            },
            code: 0,
            stderr: Stderr::Line("late-nul.txt：二进制文件"),
        },
        Case {
            name: "neither UTF-8 nor GB18030",
            setup: |d| {
                let bytes: Vec<u8> = [0xFFu8, 0x30, 0x81, 0xFF, 0xFF, 0x20].repeat(100);
                Ok(check(&[&file(d, "garbage.txt", bytes)]))
            },
            code: 0,
            stderr: Stderr::Line("不是 UTF-8、UTF-16（带 BOM）或 GB18030 编码的文本，已跳过"),
        },
        Case {
            name: "UTF-16 without BOM",
            setup: |d| {
                let t: Vec<u8> = CLEAN.encode_utf16().flat_map(u16::to_le_bytes).collect();
                Ok(check(&[&file(d, "utf16.txt", t)]))
            },
            code: 0,
            stderr: Stderr::Line(
                "utf16.txt：像是不带字节顺序标记（BOM）的 UTF-16，已跳过（请加 --encoding utf-16le）",
            ),
        },
        Case {
            name: "UTF-16 without BOM read with --encoding",
            setup: |d| {
                let t: Vec<u8> = DIRTY.encode_utf16().flat_map(u16::to_be_bytes).collect();
                Ok(check(&[&"--encoding", &"utf-16be", &file(d, "utf16.txt", t)]))
            },
            code: 1,
            stderr: Stderr::Silent,
        },
        Case {
            name: "UTF-16 with BOM and an odd byte count",
            setup: |d| {
                let mut t = vec![0xFF, 0xFE];
                t.extend(CLEAN.encode_utf16().flat_map(u16::to_le_bytes));
                t.push(0x41);
                Ok(check(&[&file(d, "odd.txt", t)]))
            },
            code: 0,
            stderr: Stderr::Line("odd.txt：内容不是有效的 utf-16le 编码，已跳过"),
        },
        Case {
            name: "UTF-8 with one bad byte",
            setup: |d| {
                let mut t = CLEAN.repeat(5).into_bytes();
                t.insert(9, 0xFF);
                Ok(check(&[&file(d, "broken.txt", t)]))
            },
            code: 0,
            stderr: Stderr::Line("broken.txt：UTF-8 文本在第 9 字节处损坏"),
        },
        Case {
            name: "GBK forced as UTF-8",
            setup: |d| {
                let (gbk, _, _) = encoding_rs::GB18030.encode(CLEAN);
                Ok(check(&[&"--encoding", &"utf-8", &file(d, "gbk.txt", gbk)]))
            },
            code: 0,
            stderr: Stderr::Line("gbk.txt：内容不是有效的 utf-8 编码，已跳过"),
        },
        Case {
            name: "old Mac CR-only line ends",
            setup: |d| Ok(check(&[&file(d, "cr.txt", DIRTY.replace('\n', "\r").repeat(3))])),
            code: 1,
            stderr: Stderr::Silent,
        },
        Case {
            name: "CR-only line ends are lines to the structure rules",
            setup: |d| {
                let outline = "一、总体要求\r（一）加强检查\r二、工作安排\r四、其他\r";
                Ok(check(&[
                    &"--select",
                    &"skipped-outline-number",
                    &file(d, "cr.txt", outline),
                ]))
            },
            code: 1,
            stderr: Stderr::Silent,
        },
        Case {
            name: "5 MB line without a newline",
            setup: |d| {
                let unit = format!("{}开展劳动竟赛,", "全面落实工作要求，推进各项任务。".repeat(40));
                let line = unit.repeat(5 * 1024 * 1024 / unit.len() + 1);
                Ok(check(&[&file(d, "long-line.txt", line)]))
            },
            code: 1,
            stderr: Stderr::Silent,
        },
        Case {
            name: "50,000 nested brackets",
            setup: |d| {
                let t = format!("{}内容{}\n", "（".repeat(50_000), "）".repeat(49_999));
                Ok(check(&[&file(d, "brackets.txt", t)]))
            },
            code: 1,
            stderr: Stderr::Silent,
        },
        Case {
            name: "8 MB file",
            setup: |d| {
                // a large file: its structure rules and its text rules run side by side; distinct paragraphs: one paragraph repeated 80,000 times is a real
                // duplicate (and 「一、」 repeated a numbering fault), not a clean file
                let mut t = String::with_capacity(9 * 1024 * 1024);
                let mut i = 0u64;
                while t.len() < 8 * 1024 * 1024 {
                    i += 1;
                    t.push_str(&format!(
                        "全面贯彻落实上级部署，切实做好第{i}项工作，确保任务按期完成。\n\n"
                    ));
                }
                Ok(check(&[&"--quiet", &file(d, "big.txt", t)]))
            },
            code: 0,
            stderr: Stderr::Silent,
        },
        // ---- stdin -------------------------------------------------------------------
        Case {
            name: "binary on stdin",
            setup: |_| {
                let mut r = check(&[&"-"]);
                r.stdin = b"\x7fELF\x02\x01\x01\0\0\0\0\0".to_vec();
                Ok(r)
            },
            code: 0,
            stderr: Stderr::Line("-：二进制文件"),
        },
        Case {
            name: "text on stdin (a pipe, still read)",
            setup: |_| {
                let mut r = check(&[&"-"]);
                r.stdin = DIRTY.as_bytes().to_vec();
                Ok(r)
            },
            code: 1,
            stderr: Stderr::Silent,
        },
        Case {
            name: "empty stdin",
            setup: |_| Ok(check(&[&"-"])),
            code: 0,
            stderr: Stderr::Line("-：空文件，没有可检查的内容"),
        },
        // ---- .docx -------------------------------------------------------------------
        Case {
            name: ".docx that is not a zip",
            setup: |d| Ok(check(&[&file(d, "fake.docx", CLEAN)])),
            code: 0,
            stderr: Stderr::Line("fake.docx：不是有效的 .docx（zip）文件"),
        },
        Case {
            name: ".docx without word/document.xml",
            setup: |d| {
                let z = docx(&[("word/styles.xml", b"<w:styles/>")]);
                Ok(check(&[&file(d, "nodoc.docx", z)]))
            },
            code: 0,
            stderr: Stderr::Line("nodoc.docx：不是 Word 文档（.docx 里没有 word/document.xml）"),
        },
        Case {
            name: ".docx with malformed XML",
            setup: |d| {
                let z = docx(&[("word/document.xml", b"<w:p><w:t>a</w:x></w:p>")]);
                Ok(check(&[&file(d, "bad.docx", z)]))
            },
            code: 0,
            stderr: Stderr::Line("bad.docx：.docx 已损坏（word/document.xml："),
        },
        Case {
            name: ".docx with 100,000 nested paragraphs and an unknown entity",
            setup: |d| {
                let xml = format!(
                    "{}<w:t>劳动竟赛&bogus;</w:t>{}",
                    "<w:p>".repeat(100_000),
                    "</w:p>".repeat(100_000)
                );
                let z = docx(&[("word/document.xml", xml.as_bytes())]);
                Ok(check(&[&"--quiet", &file(d, "deep.docx", z)]))
            },
            code: 1,
            stderr: Stderr::Silent,
        },
        // ---- rule files --------------------------------------------------------------
        Case {
            name: "rule id `all` is refused",
            setup: |d| {
                let rules = rules_dir(d, &[("all.yaml", rule_yaml("all", "pattern", "patterns: ['x']\n"))]);
                Ok(check(&[&"--rules", &rules, &file(d, "a.txt", CLEAN)]))
            },
            code: 2,
            stderr: Stderr::Line("rule id `all` is reserved"),
        },
        Case {
            name: "rule id that is a category name is refused",
            setup: |d| {
                let rules = rules_dir(d, &[("typo.yaml", rule_yaml("typo", "pattern", "patterns: ['x']\n"))]);
                Ok(check(&[&"--rules", &rules, &file(d, "a.txt", CLEAN)]))
            },
            code: 2,
            stderr: Stderr::Line("rule id `typo` is reserved"),
        },
        Case {
            name: "--add-ignore would write more than gwlint reads back",
            setup: |d| {
                // long name, many distinct findings: entries of about 320 bytes
                let text: String = (0..60_000).map(|i| format!("第{i}项工作,推进落实\n")).collect();
                let name = format!("{}.txt", "很长的文件名".repeat(13));
                Ok(check(&[&"--add-ignore", &"--select", &"half-width-punctuation", &file(d, &name, text)]))
            },
            code: 2,
            stderr: Stderr::Line("MiB，超过 gwlint 读取的上限 16 MiB，未写入任何内容"),
        },
        Case {
            name: "regex over the size limit",
            setup: |d| {
                let r = rules_dir(d, &[("huge.yaml", rule_yaml("huge", "pattern", "patterns: ['\\w{1000}\\w{1000}']\n"))]);
                Ok(check(&[&"--rules", &r, &file(d, "a.txt", CLEAN)]))
            },
            code: 2,
            stderr: Stderr::Line("正则表达式太大（编译后超过"),
        },
        Case {
            name: "YAML alias bomb (billion laughs)",
            setup: |d| {
                let mut params = String::from("params:\n  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
                for i in 1..10 {
                    let refs = vec![format!("*a{}", i - 1); 9].join(", ");
                    params.push_str(&format!("  a{i}: &a{i} [{refs}]\n"));
                }
                let r = rules_dir(d, &[("unbalanced-pairs.yaml", rule_yaml("unbalanced-pairs", "builtin", &params))]);
                Ok(check(&[&"--rules", &r, &file(d, "a.txt", CLEAN)]))
            },
            code: 2,
            stderr: Stderr::Line("unbalanced-pairs.yaml:1:1: repetition limit exceeded"),
        },
        Case {
            name: "YAML nested 100,000 brackets deep",
            setup: |d| {
                let params = format!("params: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
                let r = rules_dir(d, &[("deep.yaml", rule_yaml("deep", "builtin", &params))]);
                Ok(check(&[&"--rules", &r, &file(d, "a.txt", CLEAN)]))
            },
            code: 2,
            stderr: Stderr::Line("deep.yaml:9:265: 括号嵌套超过 256 层"),
        },
        Case {
            name: "rule file that is not YAML",
            setup: |d| {
                let r = rules_dir(d, &[("broken.yaml", "id: broken\ntitle: \"unclosed\n".into())]);
                Ok(check(&[&"--rules", &r, &file(d, "a.txt", CLEAN)]))
            },
            code: 2,
            stderr: Stderr::Line("broken.yaml:3:1: found unexpected end of stream"),
        },
        Case {
            name: "rule file that is not UTF-8",
            setup: |d| {
                let r = rules_dir(d, &[]);
                std::fs::write(r.join("gbk.yaml"), b"id: \xb9\xd8\n").unwrap();
                Ok(check(&[&"--rules", &r, &file(d, "a.txt", CLEAN)]))
            },
            code: 2,
            stderr: Stderr::Line("gbk.yaml:1:1: 规则文件不是有效的 UTF-8 文本"),
        },
        Case {
            name: "rule folder that does not exist",
            setup: |d| Ok(check(&[&"--rules", &d.join("没有"), &file(d, "a.txt", CLEAN)])),
            code: 2,
            stderr: Stderr::Line("无法读取规则文件夹"),
        },
        Case {
            name: "rule id clashing with a built-in rule",
            setup: |d| {
                let r = rules_dir(d, &[("common-typo.yaml", rule_yaml("common-typo", "pattern", "patterns: [x]\n"))]);
                Ok(check(&[&"--rules", &r, &file(d, "a.txt", CLEAN)]))
            },
            code: 2,
            stderr: Stderr::Line("规则编号「common-typo」重复"),
        },
        Case {
            name: "pattern that matches the empty string everywhere",
            setup: |d| {
                let r = rules_dir(d, &[("empty-match.yaml", rule_yaml("empty-match", "pattern", "patterns: ['x*', '^', '$']\n"))]);
                Ok(check(&[&"--rules", &r, &file(d, "a.txt", CLEAN)]))
            },
            code: 0,
            stderr: Stderr::Silent,
        },
        Case {
            name: "10,000 rules",
            setup: |d| {
                let r = rules_dir(d, &[]);
                for i in 0..10_000 {
                    let id = format!("generated-{i}");
                    let extra = format!("patterns: ['测试词{i}号']\n");
                    std::fs::write(r.join(format!("{id}.yaml")), rule_yaml(&id, "pattern", &extra)).unwrap();
                }
                Ok(check(&[&"--rules", &r, &"--select", &"generated-9999", &file(d, "a.txt", "这里有测试词9999号。\n")]))
            },
            code: 1,
            stderr: Stderr::Silent,
        },
        // ---- config files --------------------------------------------------------------
        Case {
            name: "config file that is a directory",
            setup: |d| {
                std::fs::create_dir(d.join("conf.yaml")).unwrap();
                Ok(check(&[&"--config", &d.join("conf.yaml"), &file(d, "a.txt", CLEAN)]))
            },
            code: 2,
            stderr: Stderr::Line("conf.yaml:1:1: 无法读取配置文件：是一个文件夹"),
        },
        Case {
            name: "config file that is a named pipe (FIFO)",
            setup: |d| Ok(check(&[&"--config", &fifo(d, "conf.yaml")?, &file(d, "a.txt", CLEAN)])),
            code: 2,
            stderr: Stderr::Line(
                "conf.yaml:1:1: 无法读取配置文件：不是普通文件（命名管道）",
            ),
        },
        Case {
            name: "discovered gwlint.yaml and .gwlint-ignore.yaml that are named pipes",
            setup: |d| {
                fifo(d, "gwlint.yaml")?;
                fifo(d, ".gwlint-ignore.yaml")?;
                Ok(check(&[&file(d, "a.txt", DIRTY)]))
            },
            code: 1,
            stderr: Stderr::Silent,
        },
        Case {
            name: "rule folder with a named pipe among the rule files",
            setup: |d| {
                let rules = rules_dir(d, &[]);
                fifo(&rules, "pipe.yaml")?;
                Ok(check(&[&"--rules", &rules, &file(d, "a.txt", DIRTY)]))
            },
            code: 1,
            stderr: Stderr::Silent,
        },
        Case {
            name: "discovered gwlint.yaml that is a directory",
            setup: |d| {
                std::fs::create_dir(d.join("gwlint.yaml")).unwrap();
                Ok(check(&[&file(d, "a.txt", DIRTY)]))
            },
            code: 1,
            stderr: Stderr::Silent,
        },
        Case {
            name: "config with an alias bomb",
            setup: |d| {
                let mut y = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
                for i in 1..10 {
                    let refs = vec![format!("*a{}", i - 1); 9].join(", ");
                    y.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
                }
                let c = file(d, "gwlint.yaml", y);
                Ok(check(&[&"--config", &c, &file(d, "a.txt", CLEAN)]))
            },
            code: 2,
            stderr: Stderr::Line("gwlint.yaml:1:1: unknown field `a0`"),
        },
        Case {
            name: "config nested 100,000 brackets deep",
            setup: |d| {
                let y = format!("select: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
                file(d, "gwlint.yaml", y);
                Ok(check(&[&file(d, "a.txt", CLEAN)]))
            },
            code: 2,
            stderr: Stderr::Line("gwlint.yaml:1:265: 括号嵌套超过 256 层"),
        },
        Case {
            name: ".docx with --fix",
            setup: |d| {
                let xml = "<w:p><w:r><w:t>各基层工会:</w:t></w:r></w:p>";
                let z = docx(&[("word/document.xml", xml.as_bytes())]);
                Ok(check(&[&"--fix", &file(d, "通知.docx", z)]))
            },
            code: 2,
            stderr: Stderr::Line("通知.docx：--fix 不改写 .docx 文件"),
        },
        // ---- options -----------------------------------------------------------------
        Case {
            name: "conflicting options: --format given twice",
            setup: |d| Ok(check(&[&"--format", &"json", &"--format", &"human", &file(d, "a.txt", CLEAN)])),
            code: 2,
            stderr: Stderr::Line("--format <FORMAT> 只能用一次"),
        },
        Case {
            name: "conflicting options: --config with --isolated",
            setup: |d| {
                let c = file(d, "gwlint.yaml", "select: [typo]\n");
                Ok(check(&[&"--config", &c, &"--isolated", &file(d, "a.txt", CLEAN)]))
            },
            code: 2,
            stderr: Stderr::Line("--config <FILE> 不能与 --isolated 一起使用"),
        },
        Case {
            name: "conflicting options: --fix with --add-ignore",
            setup: |d| Ok(check(&[&"--fix", &"--add-ignore", &file(d, "a.txt", CLEAN)])),
            code: 2,
            stderr: Stderr::Line("--fix 不能与 --add-ignore 一起使用"),
        },
        Case {
            name: "unknown rule in --select",
            setup: |d| Ok(check(&[&"--select", &"no-such-rule", &file(d, "a.txt", CLEAN)])),
            code: 2,
            stderr: Stderr::Line("没有这些规则或类别：no-such-rule"),
        },
        Case {
            name: "unknown encoding",
            setup: |d| Ok(check(&[&"--encoding", &"latin-9", &file(d, "a.txt", CLEAN)])),
            code: 2,
            stderr: Stderr::Line("不认识的编码「latin-9」"),
        },
        Case {
            name: "invalid --fail-on",
            setup: |d| Ok(check(&[&"--fail-on", &"fatal", &file(d, "a.txt", CLEAN)])),
            code: 2,
            stderr: Stderr::Line("--fail-on <SEVERITY> 不接受「fatal」，可选：info、warning、error"),
        },
    ]
}

struct Outcome {
    name: &'static str,
    problem: Option<String>,
    skipped: Option<String>,
}

fn run_case(case: &Case) -> Outcome {
    let dir = tempfile::tempdir().unwrap();
    let run = match (case.setup)(dir.path()) {
        Ok(r) => r,
        Err(reason) => {
            return Outcome {
                name: case.name,
                problem: None,
                skipped: Some(reason),
            }
        }
    };
    let mut command = Command::new(env!("CARGO_BIN_EXE_gwlint"));
    if run.unprivileged && running_as_root() {
        // `nobody` must be able to reach the case's files
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        command = Command::new("setpriv");
        command.args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"]);
        command.arg(env!("CARGO_BIN_EXE_gwlint"));
    }
    let mut child = command
        .args(&run.args)
        .current_dir(dir.path())
        .env("RUST_BACKTRACE", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut pipe = child.stdin.take().unwrap();
    let stdin = run.stdin.clone();
    let feeder = std::thread::spawn(move || {
        let _ = pipe.write_all(&stdin);
    });
    let out = wait_or_kill(child);
    feeder.join().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let mut problems = Vec::new();
    if out.status.code() != Some(case.code) {
        problems.push(format!(
            "exit code {:?}, expected {}",
            out.status.code(),
            case.code
        ));
    }
    if stderr.contains("panicked") || stderr.contains("RUST_BACKTRACE") {
        problems.push("it panicked".into());
    }
    match &case.stderr {
        Stderr::Line(want) => {
            if !stderr.lines().any(|l| l.contains(want)) {
                problems.push(format!("no stderr line contains {want:?}"));
            }
        }
        Stderr::Silent => {
            if !stderr.is_empty() {
                problems.push("expected no stderr".into());
            }
        }
    }
    // make the chmod-000 file removable again
    restore_permissions(dir.path());
    Outcome {
        name: case.name,
        problem: (!problems.is_empty()).then(|| {
            let head: String = stderr.chars().take(600).collect();
            format!("{}\n    stderr: {head}", problems.join("; "))
        }),
        skipped: None,
    }
}

/// How long a case may run before it counts as hanging (generous: the big cases run
/// side by side in a debug build on a shared machine). A guard, not a speed test.
const HANG_AFTER: Duration = Duration::from_secs(300);

/// `wait_with_output`, but a child still running after [`HANG_AFTER`] is killed and
/// reported (exit code `None`, stderr saying so) instead of hanging the test run.
fn wait_or_kill(mut child: std::process::Child) -> std::process::Output {
    let read = |mut r: Box<dyn std::io::Read + Send>| {
        std::thread::spawn(move || {
            let mut v = Vec::new();
            let _ = r.read_to_end(&mut v);
            v
        })
    };
    let out = read(Box::new(child.stdout.take().unwrap()));
    let err = read(Box::new(child.stderr.take().unwrap()));
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > HANG_AFTER {
            child.kill().unwrap();
            let status = child.wait().unwrap();
            let mut stderr = err.join().unwrap();
            stderr.extend_from_slice(b"\n(killed: still running after the time limit, it hangs)");
            return std::process::Output {
                status,
                stdout: out.join().unwrap(),
                stderr,
            };
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    std::process::Output {
        status,
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
    }
}

/// Permissions do not apply (root): a file made unreadable can still be read.
fn running_as_root() -> bool {
    let dir = tempfile::tempdir().unwrap();
    let p = file(dir.path(), "probe", "x");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o000)).unwrap();
    std::fs::read(&p).is_ok()
}

fn restore_permissions(dir: &Path) {
    use std::os::unix::fs::PermissionsExt;
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        if e.file_type().is_ok_and(|t| t.is_file()) {
            let _ = std::fs::set_permissions(e.path(), std::fs::Permissions::from_mode(0o644));
        } else if e.file_type().is_ok_and(|t| t.is_dir()) {
            let _ = std::fs::set_permissions(e.path(), std::fs::Permissions::from_mode(0o755));
            restore_permissions(&e.path());
        }
    }
}

/// The cases that take most of the time, each run by a test of its own so that no test
/// runs long and the harness spreads them over its threads.
const BIG_CASES: [&str; 4] = [
    "5 MB line without a newline",
    "8 MB file",
    "10,000 rules",
    ".docx with 100,000 nested paragraphs and an unknown entity",
];

/// Run the cases of the table that `pick` chooses, in parallel; fail with every problem.
fn run_cases(pick: impl Fn(&Case) -> bool) {
    let cases: Vec<Case> = cases().into_iter().filter(|c| pick(c)).collect();
    assert!(!cases.is_empty(), "no such case in the table");
    let outcomes: Vec<Outcome> = std::thread::scope(|s| {
        let handles: Vec<_> = cases.iter().map(|c| s.spawn(|| run_case(c))).collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut failures = Vec::new();
    for o in &outcomes {
        if let Some(reason) = &o.skipped {
            eprintln!("skipped case `{}`: {reason}", o.name);
        }
        if let Some(p) = &o.problem {
            failures.push(format!("case `{}`: {p}", o.name));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn hostile_inputs_get_a_clear_answer() {
    let cases = cases();
    assert!(cases.len() >= 25, "the table should have at least 25 cases");
    for big in BIG_CASES {
        assert!(cases.iter().any(|c| c.name == big), "no case `{big}`");
    }
    run_cases(|c| !BIG_CASES.contains(&c.name));
}

#[test]
fn a_5_mb_line_gets_a_clear_answer() {
    run_cases(|c| c.name == BIG_CASES[0]);
}

#[test]
fn an_8_mb_file_gets_a_clear_answer() {
    run_cases(|c| c.name == BIG_CASES[1]);
}

#[test]
fn ten_thousand_rules_get_a_clear_answer() {
    run_cases(|c| c.name == BIG_CASES[2]);
}

#[test]
fn a_deeply_nested_docx_gets_a_clear_answer() {
    run_cases(|c| c.name == BIG_CASES[3]);
}

/// stdout and stderr are pipes whose reading ends are already closed (`gwlint check … |
/// head` after head exits, or a closed terminal): every write fails with EPIPE. gwlint
/// still exits with its usual code instead of panicking (exit 101).
#[test]
fn closed_stdout_and_stderr_do_not_panic() {
    let dir = tempfile::tempdir().unwrap();
    let draft = file(dir.path(), "a.txt", DIRTY);
    let missing = dir.path().join("missing.txt");
    for (args, code) in [
        (
            vec![draft.as_os_str(), "--format".as_ref(), "json".as_ref()],
            1,
        ),
        (vec![draft.as_os_str()], 1),
        (vec![missing.as_os_str()], 2),
        (vec!["--fix".as_ref(), "-".as_ref()], 1),
    ] {
        let closed = || {
            let (reader, writer) = std::io::pipe().unwrap();
            drop(reader);
            Stdio::from(writer)
        };
        let status = Command::new(env!("CARGO_BIN_EXE_gwlint"))
            .arg("check")
            .args(&args)
            .stdin(std::fs::File::open(&draft).unwrap())
            .stdout(closed())
            .stderr(closed())
            .status()
            .unwrap();
        assert_eq!(status.code(), Some(code), "{args:?}");
    }
}

/// Escape sequences in a draft, a finding's message or a file name never reach the
/// terminal raw (`\x1b[2J` would clear the screen): human and GitHub reports, notices,
/// `debug structure`.
#[test]
fn escape_sequences_are_shown_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let draft = file(
        dir.path(),
        "稿\x1b[31m.txt",
        "开展劳动竟赛\x1b[2J，贯彻\u{202e}党的XX大精神。\r\n",
    );
    let empty = file(dir.path(), "空\x1b]0;title\x07.txt", "");
    let runs: [&[&std::ffi::OsStr]; 4] = [
        &["check".as_ref(), draft.as_os_str(), empty.as_os_str()],
        &[
            "check".as_ref(),
            "--format".as_ref(),
            "github".as_ref(),
            draft.as_os_str(),
        ],
        &[
            "check".as_ref(),
            "--fix".as_ref(),
            "--diff".as_ref(),
            empty.as_os_str(),
        ],
        &["debug".as_ref(), "structure".as_ref(), draft.as_os_str()],
    ];
    for args in runs {
        let out = Command::new(env!("CARGO_BIN_EXE_gwlint"))
            .args(args)
            .output()
            .unwrap();
        for (name, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
            let text = String::from_utf8_lossy(bytes);
            assert!(
                !text.contains(['\x1b', '\x07', '\u{202e}']),
                "{args:?} {name}: {text}"
            );
        }
        assert!(!out.stdout.is_empty() || !out.stderr.is_empty(), "{args:?}");
    }
}
