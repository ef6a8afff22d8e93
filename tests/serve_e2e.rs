//! End to end in a real browser: `gwlint serve` and headless Chromium driven by
//! `tests/web/e2e.mjs` (playwright-core from npm, Debian's `chromium`; `.ci/run` installs
//! both, playwright-core into `target/web-e2e`). The script pastes a draft with known
//! defects, checks the highlighted spans and the grouped list, opens a finding's
//! explanation (the text `gwlint explain` prints), applies one fix and then all safe ones,
//! downloads the text, uploads a `.docx` (its list must be `gwlint check --format json`'s
//! findings), times a 100 KB draft, and saves a screenshot under `target/` that it checks
//! is not blank.
//!
//! Without Chromium, Node.js or playwright-core the test skips with a message, unless `CI`
//! is set: then it fails. `GWLINT_UPDATE_SCREENSHOT=1` also copies the screenshot to
//! `tests/web/screenshot.png` (the picture in README.md).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use common::serve::Server;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Five known defects; 𠮷 (outside the BMP: 4 UTF-8 bytes, 2 UTF-16 units) comes before
/// all of them, so every highlight depends on the page's byte-offset conversion.
const DRAFT: &str = "关于印发《2024年度𠮷祥工作要点》的通知\n区政发[2024]3号\n各科室:\n今年任务完成率不低于 95。\n学习贯彻党的XX大精神，请于2024年2月30日前报送。\n区政府办公室\n2024年1月5日\n";

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn runs(program: &Path, arg: &str) -> bool {
    Command::new(program)
        .arg(arg)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Chromium: `$GWLINT_CHROMIUM`, else Debian's `/usr/bin/chromium`, else `chromium` on PATH.
fn chromium() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("GWLINT_CHROMIUM").map(PathBuf::from),
        Some(PathBuf::from("/usr/bin/chromium")),
        Some(PathBuf::from("chromium")),
    ];
    candidates
        .into_iter()
        .flatten()
        .find(|p| runs(p, "--version"))
}

/// playwright-core: `$GWLINT_PLAYWRIGHT_CORE`, else where `.ci/run` puts it.
fn playwright_core() -> Option<PathBuf> {
    let dir = std::env::var_os("GWLINT_PLAYWRIGHT_CORE")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("target/web-e2e/node_modules/playwright-core"));
    dir.join("package.json").is_file().then_some(dir)
}

fn skip_or_fail(missing: &str) {
    assert!(
        std::env::var_os("CI").is_none(),
        "CI is set but {missing} (.ci/run installs Debian's chromium and playwright-core into target/web-e2e)"
    );
    // Written past the test harness's capture so that the skip is visible.
    let _ = writeln!(
        std::io::stderr(),
        "SKIPPED serve_e2e: {missing} (run .ci/run's install steps to run this test)"
    );
}

/// About 100 KB of drafts: the fixture documents, repeated.
fn big_draft() -> String {
    let one = common::samples::joined(&common::samples::fixture_documents(), None);
    one.repeat(100_000usize.div_ceil(one.len()))
}

#[test]
fn the_page_checks_fixes_and_uploads_in_headless_chromium() {
    let Some(chromium) = chromium() else {
        return skip_or_fail("Chromium is not installed");
    };
    if !runs(Path::new("node"), "--version") {
        return skip_or_fail("Node.js is not installed");
    }
    let Some(playwright) = playwright_core() else {
        return skip_or_fail("playwright-core is not in target/web-e2e");
    };
    let server = Server::start();
    let work = tempfile::tempdir().unwrap();
    let draft = work.path().join("draft.txt");
    std::fs::write(&draft, DRAFT).unwrap();
    let big = work.path().join("big.txt");
    std::fs::write(&big, big_draft()).unwrap();
    let docx = repo().join("tests/fixtures/docx/draft-libreoffice.docx");
    let gwlint = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_gwlint"))
            .args(args)
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let docx_json = work.path().join("docx.json");
    let annotated = work.path().join("annotated.docx");
    let docx_arg = docx.to_str().unwrap();
    std::fs::write(
        &docx_json,
        gwlint(&["check", "--isolated", "--format", "json", docx_arg]),
    )
    .unwrap();
    let shots = repo().join("target/serve-e2e");
    std::fs::create_dir_all(&shots).unwrap();
    let screenshot = shots.join("page.png");
    let _ = std::fs::remove_file(&screenshot);

    let mut child = Command::new("node")
        .arg(repo().join("tests/web/e2e.mjs"))
        .env("GWLINT_URL", &server.url)
        .env("GWLINT_PLAYWRIGHT_CORE", &playwright)
        .env("GWLINT_CHROMIUM", &chromium)
        .env("GWLINT_DRAFT", &draft)
        .env(
            "GWLINT_EXPLAIN",
            gwlint(&["explain", "template-placeholder"]),
        )
        .env("GWLINT_DOCX", &docx)
        .env("GWLINT_DOCX_JSON", &docx_json)
        .env("GWLINT_ANNOTATED", &annotated)
        .env("GWLINT_BIG", &big)
        .env("GWLINT_SCREENSHOT", &screenshot)
        // Chromium's profile and crash reports stay in the temporary folder.
        .env("HOME", work.path())
        .env("XDG_CONFIG_HOME", work.path().join("config"))
        .env("XDG_CACHE_HOME", work.path().join("cache"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(180);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stdout.lines().any(|l| l == "OK"),
        "the browser test failed ({:?})\n--- stdout\n{stdout}\n--- stderr\n{stderr}",
        out.status
    );
    let result: serde_json::Value = stdout
        .lines()
        .find_map(|l| l.strip_prefix("RESULT "))
        .map(|j| serde_json::from_str(j).unwrap())
        .unwrap();
    let _ = writeln!(std::io::stderr(), "serve_e2e: {result}");

    // The screenshot on disk is a PNG of the whole viewport, judged not blank by the script.
    let png = std::fs::read(&screenshot).unwrap();
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    let shot = &result["screenshot"];
    assert_eq!(
        (shot["width"].as_u64(), shot["height"].as_u64()),
        (Some(1360), Some(820))
    );
    assert!(shot["colors"].as_u64().unwrap() > 50, "{shot}");
    assert!(result["big_bytes"].as_u64().unwrap() >= 100_000);
    assert!(result["big_findings"].as_u64().unwrap() > 100);
    // The annotated copy the page saved: one Word comment per finding the list showed, and
    // the text of the original.
    let docx_findings = result["docx_findings"].as_u64().unwrap() as usize;
    assert!(docx_findings > 0);
    let saved = std::fs::read(&annotated).unwrap();
    assert_eq!(
        comments_in(&saved),
        docx_findings,
        "{}",
        result["annotated_status"]
    );
    assert_eq!(
        gwlint::docx::extract_text(&saved).unwrap(),
        gwlint::docx::extract_text(&std::fs::read(&docx).unwrap()).unwrap()
    );
    assert!(result["annotated_status"]
        .as_str()
        .unwrap()
        .contains(&format!("{docx_findings} 条批注")));
    if std::env::var_os("GWLINT_UPDATE_SCREENSHOT").is_some() {
        std::fs::copy(&screenshot, repo().join("tests/web/screenshot.png")).unwrap();
    }
    // The browser wrote nothing into the server's folders either.
    assert_eq!(server.files_written(), Vec::<PathBuf>::new());
}

/// The `w:comment` elements in the package's comments part(s).
fn comments_in(docx: &[u8]) -> usize {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
    let names: Vec<String> = archive
        .file_names()
        .map(|n| n.unwrap().into_owned())
        .collect();
    let mut count = 0;
    for name in names.iter().filter(|n| n.starts_with("word/comments")) {
        let mut xml = String::new();
        std::io::Read::read_to_string(&mut archive.by_name(name).unwrap(), &mut xml).unwrap();
        count += xml.matches("<w:comment ").count();
    }
    count
}
