//! `gwlint serve` over real HTTP (no browser; tests/serve_e2e.rs drives the page): the page's
//! findings are exactly `gwlint check --format json`'s for the same input, its fixes are
//! `--fix`'s, and the safety rules hold (foreign Host or Origin refused, oversized bodies
//! refused with a message, loopback only, nothing written to disk).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use common::serve::{chunked_request, raw_request, Server};
use serde_json::{json, Value};
use std::path::Path;
use std::process::{Command, Stdio};

const DRAFT: &str = "关于印发《2024年度工作要点》的通知\n区政发[2024]3号\n各科室:\n今年任务完成率不低于 95 。\n学习贯彻党的XX大精神。\n";

/// The 32 MiB limit of `gwlint serve` (src/app/serve/guard.rs).
const LIMIT: usize = 32 * 1024 * 1024;

fn gwlint(dir: &Path, args: &[&str], stdin: Option<&str>) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_gwlint"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    if let Some(text) = stdin {
        std::io::Write::write_all(&mut input, text.as_bytes()).unwrap();
    }
    drop(input);
    child.wait_with_output().unwrap()
}

/// `gwlint check --format json` on `name` in `dir`, with extra flags.
fn cli_json(dir: &Path, name: &str, flags: &[&str]) -> Value {
    let mut args = vec!["check", "--format", "json"];
    args.extend_from_slice(flags);
    args.push(name);
    let out = gwlint(dir, &args, None);
    assert!(
        out.status.code() == Some(0) || out.status.code() == Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn page_check(server: &Server, text: &str, name: &str, settings: Value) -> Value {
    let reply = server.post_json(
        "/api/check",
        &json!({"text": text, "name": name, "settings": settings}),
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply.json()["diagnostics"].clone()
}

#[test]
fn page_findings_are_the_cli_json_for_the_same_input() {
    let server = Server::start();
    let dir = tempfile::tempdir().unwrap();
    let mut cases: Vec<(String, String)> = vec![
        ("通知.txt".into(), DRAFT.into()),
        ("crlf.txt".into(), DRAFT.replace('\n', "\r\n")),
        (
            "说明.md".into(),
            format!(
                "<!-- gwlint-disable placeholder -->\n{DRAFT}<!-- gwlint-enable -->\n党的XX大\n"
            ),
        ),
    ];
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/documents");
    for entry in std::fs::read_dir(&fixtures).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "txt") {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            cases.push((name, std::fs::read_to_string(&path).unwrap()));
        }
    }
    let mut compared = 0;
    for (name, text) in &cases {
        std::fs::write(dir.path().join(name), text).unwrap();
        let cli = cli_json(dir.path(), name, &["--isolated"]);
        let page = page_check(&server, text, name, json!({}));
        assert_eq!(page, cli, "{name}: page and CLI disagree");
        compared += cli.as_array().unwrap().len();
    }
    assert!(compared > 50, "too few findings compared: {compared}");
}

#[test]
fn page_settings_act_like_the_cli_flags_and_the_config_profile() {
    let server = Server::start();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("gwlint.yaml"), "profile: notice\n").unwrap();
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/documents/notice-red-header.txt"),
    )
    .unwrap();
    std::fs::write(dir.path().join("draft.txt"), &text).unwrap();
    let flags = [
        "--config",
        "gwlint.yaml",
        "--select",
        "punctuation,required-section,placeholder",
        "--ignore",
        "doc-number-bracket",
    ];
    let cli = cli_json(dir.path(), "draft.txt", &flags);
    let page = page_check(
        &server,
        &text,
        "draft.txt",
        json!({
            "select": ["punctuation", "required-section", "placeholder"],
            "ignore": ["doc-number-bracket"],
            "profile": "notice",
        }),
    );
    assert_eq!(page, cli);
    let rules: Vec<&str> = page
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap())
        .collect();
    assert!(!rules.is_empty());
    assert!(!rules.contains(&"doc-number-bracket"), "{rules:?}");

    let reply = server.post_json(
        "/api/check",
        &json!({"text": text, "settings": {"select": ["typos"]}}),
    );
    assert_eq!(reply.status, 400);
    assert!(reply.json()["error"].as_str().unwrap().contains("typos"));
}

#[test]
fn an_uploaded_docx_gets_the_findings_of_gwlint_check_on_the_file() {
    let server = Server::start();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/docx");
    let name = "draft-libreoffice.docx";
    let bytes = std::fs::read(dir.join(name)).unwrap();
    let reply = server.request(
        "POST",
        "/api/decode?kind=docx",
        &[("Content-Type", "application/octet-stream")],
        &bytes,
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    let text = reply.json()["text"].as_str().unwrap().to_string();
    let page = page_check(&server, &text, name, json!({}));
    assert_eq!(page, cli_json(&dir, name, &["--isolated"]));
    assert!(page.as_array().unwrap().len() >= 3);

    let reply = server.request("POST", "/api/decode?kind=docx", &[], b"PK\x03\x04 broken");
    assert_eq!(reply.status, 422);
    assert!(reply.json()["error"].as_str().unwrap().contains(".docx"));
}

#[test]
fn an_uploaded_docx_comes_back_with_a_word_comment_per_finding() {
    let server = Server::start();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/docx");
    let name = "draft-libreoffice.docx";
    let bytes = std::fs::read(dir.join(name)).unwrap();
    let expected = cli_json(&dir, name, &["--isolated"]);
    let findings = expected.as_array().unwrap().len();
    let post = |query: &str, body: &[u8]| {
        server.request(
            "POST",
            &format!("/api/annotate{query}"),
            &[("Content-Type", "application/octet-stream")],
            body,
        )
    };

    let reply = post("", &bytes);
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert!(reply
        .header("content-type")
        .unwrap()
        .contains("wordprocessingml.document"));
    assert_eq!(
        reply.header("x-gwlint-comments"),
        Some(&*findings.to_string())
    );
    // the annotated copy holds the original text and one comment per finding
    let text = gwlint::docx::extract_text(&reply.body).unwrap();
    assert_eq!(text, gwlint::docx::extract_text(&bytes).unwrap());
    let xml = String::from_utf8_lossy(&reply.body).to_string();
    assert!(xml.contains("word/comments"), "no comments part");

    // the page's settings apply: only the typo rule → fewer comments
    let typos = expected
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "common-typo")
        .count();
    assert!(typos > 0 && typos < findings);
    let settings = "%7B%22select%22%3A%5B%22common-typo%22%5D%7D"; // {"select":["common-typo"]}
    let reply = post(&format!("?settings={settings}&track_changes=1"), &bytes);
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.header("x-gwlint-comments"), Some(&*typos.to_string()));
    assert!(reply.header("x-gwlint-tracked-changes").is_some());

    // refusals a person can act on
    let reply = post("?color=red", &bytes);
    assert_eq!(reply.status, 400);
    assert!(reply.json()["error"].as_str().unwrap().contains("color"));
    let reply = post("", b"PK\x03\x04 broken");
    assert_eq!(reply.status, 422);
    assert!(reply.json()["error"].as_str().unwrap().contains(".docx"));
}

#[test]
fn fix_all_is_what_gwlint_check_fix_writes() {
    let server = Server::start();
    let dir = tempfile::tempdir().unwrap();
    let out = gwlint(
        dir.path(),
        &["check", "--isolated", "--fix", "-"],
        Some(DRAFT),
    );
    let cli_fixed = String::from_utf8(out.stdout).unwrap();
    let reply = server.post_json("/api/fix", &json!({"text": DRAFT}));
    assert_eq!(reply.status, 200, "{}", reply.text());
    let page = reply.json();
    assert_eq!(page["text"].as_str().unwrap(), cli_fixed);
    assert_ne!(cli_fixed, DRAFT);
    assert_eq!(
        page["diagnostics"],
        page_check(&server, &cli_fixed, "-", json!({}))
    );
}

#[test]
fn a_foreign_host_is_refused() {
    let server = Server::start();
    for host in [
        "evil.example".to_string(),
        format!("evil.example:{}", server.port),
        format!("127.0.0.1:{}", server.port.wrapping_add(1)),
    ] {
        let reply = raw_request(server.port, "GET", "/", &[("Host", &host)], b"");
        assert_eq!(reply.status, 403, "{host}");
        assert!(reply.text().contains("Host"), "{}", reply.text());
        let reply = raw_request(
            server.port,
            "POST",
            "/api/check",
            &[("Host", &host), ("Content-Type", "application/json")],
            json!({"text": DRAFT}).to_string().as_bytes(),
        );
        assert_eq!(reply.status, 403, "{host}");
    }
    let reply = raw_request(server.port, "GET", "/", &[], b"");
    assert!(
        reply.status >= 400,
        "a request without Host: {}",
        reply.status
    );
    let local = format!("localhost:{}", server.port);
    let reply = raw_request(server.port, "GET", "/", &[("Host", &local)], b"");
    assert_eq!(reply.status, 200);
    assert!(reply.text().contains("公文草稿检查"));
}

#[test]
fn a_foreign_origin_is_refused() {
    let server = Server::start();
    let body = json!({"text": DRAFT}).to_string();
    for (name, value) in [
        ("Origin", "http://evil.example"),
        ("Origin", "null"),
        ("Sec-Fetch-Site", "cross-site"),
    ] {
        let reply = server.request(
            "POST",
            "/api/check",
            &[(name, value), ("Content-Type", "application/json")],
            body.as_bytes(),
        );
        assert_eq!(reply.status, 403, "{name}: {value}");
        assert!(reply.text().contains("拒绝"), "{}", reply.text());
    }
    let own = server.url.trim_end_matches('/').to_string();
    let reply = server.request(
        "POST",
        "/api/check",
        &[
            ("Origin", &own),
            ("Sec-Fetch-Site", "same-origin"),
            ("Content-Type", "application/json"),
        ],
        body.as_bytes(),
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
}

#[test]
fn an_oversized_body_is_refused_with_a_clear_message() {
    let server = Server::start();
    // declared too large: refused before any of it is read
    let declared = (LIMIT + 1).to_string();
    let reply = server.request("POST", "/api/check", &[("Content-Length", &declared)], b"");
    assert_eq!(reply.status, 413);
    let message = reply.json()["error"].as_str().unwrap().to_string();
    assert!(
        message.contains("32 MiB") && message.contains("太大"),
        "{message}"
    );
    // no length given: refused once the limit is passed
    let reply = chunked_request(server.port, "/api/check", LIMIT + (1 << 20));
    assert_eq!(reply.status, 413, "{}", reply.text());
    assert!(reply.json()["error"].as_str().unwrap().contains("32 MiB"));
    // and the server still answers
    assert_eq!(server.request("GET", "/api/rules", &[], b"").status, 200);
}

#[test]
fn the_server_listens_on_loopback_only() {
    let server = Server::start();
    assert!(
        server.url.starts_with("http://127.0.0.1:"),
        "{}",
        server.url
    );
    // On Linux: every listening socket the server process holds (its descriptors name
    // socket inodes; /proc/net/tcp and tcp6 give each inode's local address) is bound to
    // 127.0.0.1 (7F000001, written little-endian as 0100007F), none to 0.0.0.0 or IPv6.
    let fd_dir = format!("/proc/{}/fd", server.pid());
    if let Ok(fds) = std::fs::read_dir(&fd_dir) {
        let inodes: Vec<String> = fds
            .filter_map(|e| std::fs::read_link(e.ok()?.path()).ok())
            .filter_map(|link| {
                let link = link.to_string_lossy().into_owned();
                Some(
                    link.strip_prefix("socket:[")?
                        .strip_suffix(']')?
                        .to_string(),
                )
            })
            .collect();
        let mut listening = Vec::new();
        for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
            let text = std::fs::read_to_string(table).unwrap_or_default();
            for line in text.lines().skip(1) {
                let fields: Vec<&str> = line.split_whitespace().collect();
                let (local, state, inode) = (fields[1], fields[3], fields[9]);
                if state == "0A" && inodes.iter().any(|i| i == inode) {
                    listening.push(format!("{table} {local}"));
                }
            }
        }
        let expected = format!("/proc/net/tcp 0100007F:{:04X}", server.port);
        assert_eq!(listening, vec![expected]);
    }
    // there is no option to listen elsewhere
    for args in [
        &["serve", "--host", "0.0.0.0"][..],
        &["serve", "--bind", "0.0.0.0:8707"],
        &["serve", "--port", "70000"],
    ] {
        let out = gwlint(Path::new("."), args, None);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
}

#[test]
fn a_busy_port_is_an_error_naming_it() {
    let server = Server::start();
    let port = server.port.to_string();
    let out = gwlint(Path::new("."), &["serve", "--port", &port], None);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("127.0.0.1:{port}")) && err.contains("--port"),
        "{err}"
    );
}

#[test]
fn the_page_and_its_assets_come_from_the_binary_and_nothing_is_written() {
    let server = Server::start();
    let page = server.request("GET", "/", &[], b"");
    assert_eq!(page.status, 200);
    let csp = page.header("content-security-policy").unwrap();
    assert!(csp.contains("default-src 'none'") && csp.contains("connect-src 'self'"));
    let html = page.text();
    // nothing is loaded from elsewhere: every src/href is a local path or data:
    for attr in ["src=\"", "href=\""] {
        for value in html.split(attr).skip(1) {
            let value = value.split('"').next().unwrap();
            assert!(
                value.starts_with('/') || value.starts_with("data:"),
                "{attr}{value}"
            );
        }
    }
    for (path, kind) in [("/app.js", "javascript"), ("/app.css", "css")] {
        let reply = server.request("GET", path, &[], b"");
        assert_eq!(reply.status, 200);
        assert!(reply.header("content-type").unwrap().contains(kind));
        assert!(!reply.text().contains("http://") && !reply.text().contains("https://"));
    }
    assert_eq!(
        server.request("GET", "/../Cargo.toml", &[], b"").status,
        404
    );
    // every route once, uploads included
    let docx = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/docx/draft-libreoffice.docx"),
    )
    .unwrap();
    assert_eq!(
        server
            .request("POST", "/api/decode?kind=docx", &[], &docx)
            .status,
        200
    );
    assert_eq!(
        server
            .request("POST", "/api/decode?kind=text", &[], DRAFT.as_bytes())
            .status,
        200
    );
    assert_eq!(
        server
            .post_json("/api/check", &json!({"text": DRAFT}))
            .status,
        200
    );
    assert_eq!(
        server.post_json("/api/fix", &json!({"text": DRAFT})).status,
        200
    );
    let rules = server.request("GET", "/api/rules", &[], b"").json();
    let first = &rules["rules"][0];
    let explain = gwlint(
        Path::new("."),
        &["explain", first["id"].as_str().unwrap()],
        None,
    );
    assert_eq!(
        first["explain"].as_str().unwrap(),
        String::from_utf8(explain.stdout).unwrap()
    );
    assert_eq!(server.files_written(), Vec::<std::path::PathBuf>::new());
}
