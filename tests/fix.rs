//! `gwlint check --fix / --unsafe-fixes / --diff` as users run it: files keep their
//! encoding, line endings, BOM and permissions; a second --fix changes nothing; stdin
//! fixes go to stdout; --diff writes nothing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn gwlint_in(dir: Option<&Path>, args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_gwlint"));
    cmd.args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(d) = dir {
        cmd.current_dir(d);
    }
    let mut child = cmd.spawn().unwrap();
    let mut pipe = child.stdin.take().unwrap();
    pipe.write_all(stdin.unwrap_or(b"")).unwrap();
    drop(pipe);
    child.wait_with_output().unwrap()
}

fn gwlint(args: &[&str], stdin: Option<&[u8]>) -> Output {
    gwlint_in(None, args, stdin)
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn json_diags(path: &Path) -> Vec<serde_json::Value> {
    let o = gwlint(&["check", "--format", "json", path.to_str().unwrap()], None);
    serde_json::from_slice::<serde_json::Value>(&o.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

fn count(diags: &[serde_json::Value], rule_or_category: &str) -> usize {
    diags
        .iter()
        .filter(|d| d["rule"] == rule_or_category || d["category"] == rule_or_category)
        .count()
}

fn safe_fixable(diags: &[serde_json::Value]) -> Vec<String> {
    diags
        .iter()
        .filter(|d| d["fix"]["applicability"] == "safe")
        .map(|d| format!("{} {}", d["rule"], d["message"]))
        .collect()
}

fn gbk_crlf(utf8_lf: &str) -> Vec<u8> {
    let crlf = utf8_lf.replace("\r\n", "\n").replace('\n', "\r\n");
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(&crlf);
    assert!(!unmappable);
    bytes.into_owned()
}

/// Decode as GBK, failing if the bytes are UTF-8 (the file must have stayed GBK).
fn decode_gbk(bytes: &[u8]) -> String {
    assert!(
        std::str::from_utf8(bytes).is_err(),
        "the file is no longer GBK"
    );
    let (t, _, errors) = encoding_rs::GBK.decode(bytes);
    assert!(!errors, "not valid GBK after fixing");
    t.into_owned()
}

fn assert_crlf_only(t: &str, what: &str) {
    let lf = t.matches('\n').count();
    let crlf = t.matches("\r\n").count();
    assert!(lf > 0, "{what}: no lines");
    assert_eq!(lf, crlf, "{what}: a bare LF appeared");
    assert_eq!(t.matches('\r').count(), crlf, "{what}: a lone CR appeared");
}

/// Copy `source` as GBK + CRLF into a temp folder, --fix it twice, check the result.
/// Returns the fixed text.
fn fix_gbk_crlf_copy(source: &str, name: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, gbk_crlf(source)).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
    }
    let before = json_diags(&path);
    let has_safe_fixes = !safe_fixable(&before).is_empty();
    let o = gwlint(&["check", "--fix", path.to_str().unwrap()], None);
    assert_ne!(o.status.code(), Some(2), "{}", text(&o.stderr));
    assert_eq!(
        text(&o.stdout).contains("已自动修复"),
        has_safe_fixes,
        "{name}: {}",
        text(&o.stdout)
    );
    let fixed_bytes = std::fs::read(&path).unwrap();
    let fixed = decode_gbk(&fixed_bytes);
    assert_crlf_only(&fixed, name);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o640, "{name}: permissions changed");
    }
    let after = json_diags(&path);
    assert!(
        safe_fixable(&after).is_empty(),
        "{name}: safe fixes left after --fix: {:?}",
        safe_fixable(&after)
    );
    for rule in [
        "doc-number-bracket",
        "half-width-punctuation",
        "ad-solicitation",
    ] {
        assert_eq!(count(&after, rule), 0, "{name}: {rule} left");
    }
    if has_safe_fixes {
        assert!(after.len() < before.len(), "{name}: nothing was fixed");
    } else {
        assert_eq!(
            fixed_bytes,
            gbk_crlf(source),
            "{name}: changed without a fix"
        );
    }
    // a second --fix changes nothing
    let o = gwlint(&["check", "--fix", path.to_str().unwrap()], None);
    assert!(
        !text(&o.stdout).contains("已自动修复"),
        "{}",
        text(&o.stdout)
    );
    assert_eq!(
        std::fs::read(&path).unwrap(),
        fixed_bytes,
        "{name}: second --fix changed the file"
    );
    // and only our file is in the folder (no temporary files left)
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    fixed
}

#[test]
fn fixture_as_gbk_crlf_is_fixed_and_keeps_its_encoding() {
    let source = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fix/downloaded-notice.txt"),
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let probe = dir.path().join("probe.txt");
    std::fs::write(&probe, gbk_crlf(&source)).unwrap();
    let before = json_diags(&probe);
    for rule in [
        "download-disclaimer",
        "ad-solicitation",
        "doc-number-bracket",
        "half-width-punctuation",
    ] {
        assert!(count(&before, rule) > 0, "the fixture should show {rule}");
    }
    let fixed = fix_gbk_crlf_copy(&source, "下载的通知.txt");
    assert_eq!(count(&json_diags_of_text(&fixed), "ad-text"), 0);
    assert!(fixed.starts_with("青山县交通运输局文件\r\n"), "{fixed}");
    assert!(fixed.contains("青交发〔2021〕15号\r\n"), "{fixed}");
    assert!(fixed.contains("各乡镇交管站，局属各单位：\r\n"), "{fixed}");
    assert!(fixed.contains("（重点检查消防设施），"), "{fixed}");
    assert!(fixed.contains("落实安全责任。\r\n"), "{fixed}");
}

fn json_diags_of_text(t: &str) -> Vec<serde_json::Value> {
    let o = gwlint(&["check", "--format", "json", "-"], Some(t.as_bytes()));
    serde_json::from_slice::<serde_json::Value>(&o.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

fn corpus_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/dev");
    dir.is_dir().then_some(dir)
}

/// The dev corpus drafts, sorted (empty when ../shared is absent: the tests skip).
fn corpus_drafts() -> Vec<PathBuf> {
    let Some(dir) = corpus_dir() else {
        println!("SKIPPED: ../shared/corpus/dev not present");
        return Vec::new();
    };
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    names.sort();
    assert!(!names.is_empty());
    names
}

/// How many tests share the corpus (each takes every `CORPUS_PARTS`-th draft), so that no
/// test runs long and the harness runs them side by side.
const CORPUS_PARTS: usize = 8;

/// Every `CORPUS_PARTS`-th dev corpus draft from `part`, as GBK + CRLF, is fixed (see
/// [`fix_gbk_crlf_copy`]: no safe fix, so no safely removable ad residue, is left).
fn corpus_part_is_fixed(part: usize) {
    for p in corpus_drafts().into_iter().skip(part).step_by(CORPUS_PARTS) {
        let source = gwlint::source::decode(&std::fs::read(&p).unwrap(), None)
            .unwrap()
            .text;
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        fix_gbk_crlf_copy(&source, &name);
    }
}

/// One test per part of the corpus.
macro_rules! corpus_part_tests {
    ($($name:ident = $part:expr),* $(,)?) => {
        const _: () = assert!([$($part),*].len() == CORPUS_PARTS, "one test per part");
        $(
            #[test]
            fn $name() {
                corpus_part_is_fixed($part);
            }
        )*
    };
}

corpus_part_tests! {
    dev_corpus_drafts_as_gbk_crlf_are_fixed_0 = 0,
    dev_corpus_drafts_as_gbk_crlf_are_fixed_1 = 1,
    dev_corpus_drafts_as_gbk_crlf_are_fixed_2 = 2,
    dev_corpus_drafts_as_gbk_crlf_are_fixed_3 = 3,
    dev_corpus_drafts_as_gbk_crlf_are_fixed_4 = 4,
    dev_corpus_drafts_as_gbk_crlf_are_fixed_5 = 5,
    dev_corpus_drafts_as_gbk_crlf_are_fixed_6 = 6,
    dev_corpus_drafts_as_gbk_crlf_are_fixed_7 = 7,
}

/// The corpus tests above are not vacuous: the drafts, checked in one run, have ad residue
/// that a safe fix removes.
#[test]
fn dev_corpus_has_ad_residue_to_remove() {
    let drafts = corpus_drafts();
    if drafts.is_empty() {
        return;
    }
    let mut args = vec!["check", "--format", "json"];
    args.extend(drafts.iter().map(|p| p.to_str().unwrap()));
    let o = gwlint(&args, None);
    let all: Vec<serde_json::Value> = serde_json::from_slice(&o.stdout).unwrap();
    let safe_ads = all
        .iter()
        .filter(|d| d["category"] == "ad-text" && d["fix"]["applicability"] == "safe")
        .count();
    assert!(safe_ads > 0, "the dev corpus has ad residue to remove");
}

#[test]
fn stdin_fix_goes_to_stdout_and_the_report_to_stderr() {
    let input = "关于召开会议的通知\n各部门:\n请于周五前报送材料,逾期不候。党的XX大精神\n";
    let o = gwlint(&["check", "--fix", "-"], Some(input.as_bytes()));
    assert_eq!(
        text(&o.stdout),
        "关于召开会议的通知\n各部门：\n请于周五前报送材料，逾期不候。党的XX大精神\n"
    );
    let err = text(&o.stderr);
    assert!(err.contains("template-placeholder"), "{err}");
    assert_eq!(o.status.code(), Some(1), "the placeholder remains");
    // GBK on stdin comes back as GBK
    let gbk = gbk_crlf(input);
    let o = gwlint(&["check", "--fix", "-q", "-"], Some(&gbk));
    let back = decode_gbk(&o.stdout);
    assert!(back.contains("各部门：\r\n"), "{back}");
}

#[test]
fn diff_prints_a_unified_diff_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("稿.txt");
    let original = "各单位:\n做好准备。\n";
    std::fs::write(&path, original).unwrap();
    let o = gwlint_in(Some(dir.path()), &["check", "--diff", "稿.txt"], None);
    let out = text(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert_eq!(
        out,
        "--- a/稿.txt\n+++ b/稿.txt\n@@ -1,2 +1,2 @@\n-各单位:\n+各单位：\n 做好准备。\n"
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), original);
    // nothing to change: empty output, exit 0
    std::fs::write(&path, "各单位：\n做好准备。\n").unwrap();
    let o = gwlint_in(Some(dir.path()), &["check", "--diff", "稿.txt"], None);
    assert_eq!((o.status.code(), text(&o.stdout)), (Some(0), String::new()));
}

#[test]
fn unsafe_fixes_only_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.txt");
    std::fs::write(&path, "开展劳动竟赛活动。\n").unwrap();
    let p = path.to_str().unwrap();
    let o = gwlint(&["check", "--select", "typo", "--fix", p], None);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "开展劳动竟赛活动。\n"
    );
    let o = gwlint(
        &["check", "--select", "typo", "--fix", "--unsafe-fixes", p],
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stdout));
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "开展劳动竞赛活动。\n"
    );
}

#[test]
fn bom_and_utf16_survive_fixing() {
    let dir = tempfile::tempdir().unwrap();
    let body = "各单位:\r\n请做好准备,按时报送。\r\n";
    let want = "各单位：\r\n请做好准备，按时报送。\r\n";
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend_from_slice(body.as_bytes());
    std::fs::write(dir.path().join("bom.txt"), &bom).unwrap();
    let mut utf16 = vec![0xFF, 0xFE];
    for u in body.encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    std::fs::write(dir.path().join("utf16.txt"), &utf16).unwrap();
    let o = gwlint(
        &[
            "check",
            "--select",
            "punctuation",
            "--fix",
            dir.path().to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stdout));
    let b = std::fs::read(dir.path().join("bom.txt")).unwrap();
    assert_eq!(&b[..3], &[0xEF, 0xBB, 0xBF]);
    assert_eq!(std::str::from_utf8(&b[3..]).unwrap(), want);
    let u = std::fs::read(dir.path().join("utf16.txt")).unwrap();
    assert_eq!(&u[..2], &[0xFF, 0xFE]);
    let units: Vec<u16> = u[2..]
        .chunks(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    assert_eq!(String::from_utf16(&units).unwrap(), want);
}

#[test]
fn forced_utf16_without_bom_is_fixed_without_adding_one() {
    // regression: `--encoding utf-16le --fix` on a BOM-less file wrote a BOM
    let dir = tempfile::tempdir().unwrap();
    let body = "各单位:\r\n请做好准备,按时报送𠮷。\r\n";
    let want = "各单位：\r\n请做好准备，按时报送𠮷。\r\n";
    for (name, le) in [("le.txt", true), ("be.txt", false)] {
        let units = |t: &str| -> Vec<u8> {
            t.encode_utf16()
                .flat_map(|u| if le { u.to_le_bytes() } else { u.to_be_bytes() })
                .collect()
        };
        let path = dir.path().join(name);
        std::fs::write(&path, units(body)).unwrap();
        let encoding = if le { "utf-16le" } else { "utf-16be" };
        let o = gwlint(
            &[
                "check",
                "--select",
                "punctuation",
                "--encoding",
                encoding,
                "--fix",
                path.to_str().unwrap(),
            ],
            None,
        );
        assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
        assert_eq!(std::fs::read(&path).unwrap(), units(want), "{name}");
    }
}

#[test]
fn read_only_files_are_not_rewritten() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("只读.txt");
    std::fs::write(&path, "各单位:\n").unwrap();
    let mut p = std::fs::metadata(&path).unwrap().permissions();
    p.set_readonly(true);
    std::fs::set_permissions(&path, p).unwrap();
    let o = gwlint(&["check", "--fix", path.to_str().unwrap()], None);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains("文件是只读的"),
        "{}",
        text(&o.stderr)
    );
    // the report shows the file as it is, not as it would have been
    assert!(
        text(&o.stdout).contains("half-width-punctuation"),
        "{}",
        text(&o.stdout)
    );
    assert!(
        !text(&o.stdout).contains("已自动修复"),
        "{}",
        text(&o.stdout)
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "各单位:\n");
}

#[test]
fn fixes_that_never_settle_are_an_error_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("规则");
    std::fs::create_dir_all(&rules).unwrap();
    let rule = |id: &str, from: &str, to: &str| {
        format!(
            "id: {id}\ntitle: 来回改\ncategory: other\nseverity: info\nkind: pattern\nmessage: m\ndocs: d\nexamples: []\npatterns: ['{from}']\nfix:\n  replace: '{to}'\n  applicability: safe\n"
        )
    };
    std::fs::write(rules.join("flip.yaml"), rule("flip", "甲方", "乙方")).unwrap();
    std::fs::write(rules.join("flop.yaml"), rule("flop", "乙方", "甲方")).unwrap();
    let path = dir.path().join("合同.txt");
    std::fs::write(&path, "甲方负责。\n").unwrap();
    let o = gwlint(
        &[
            "check",
            "--fix",
            "--rules",
            rules.to_str().unwrap(),
            path.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(err.contains("修复了 10 轮仍在变化"), "{err}");
    assert!(err.contains("flip") || err.contains("flop"), "{err}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "甲方负责。\n");
}
