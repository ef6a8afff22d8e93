//! Language-server resilience: `gwlint server` over real stdio gets 1,000 random or
//! truncated JSON-RPC messages and random edits (a fixed-seed generator, so a failure
//! reproduces), and must still answer every well-formed request, publish the right
//! diagnostics for the final text (the same as `gwlint check`), answer a final hover
//! correctly, and exit cleanly after shutdown + exit.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::io::{BufReader, Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const URI: &str = "file:///tmp/%E8%8D%89%E7%A8%BF.txt";
/// No characters outside the BMP, so UTF-16 columns are character columns minus one.
const FINAL: &str =
    "关于开展劳动竟赛的通知\n各基层工会:\n全面贯彻党的XX大精神，职工入会率不低于 80。\n";

/// xorshift64*: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

const PIECES: &[&str] = &[
    "工作",
    "，",
    ",",
    "竟赛",
    "党的XX大",
    "\n",
    "\r\n",
    " ",
    "𠮷",
    "80",
    "（",
    "）",
    "【更多",
    "】",
    "\u{FEFF}",
    "\u{0}",
    "\"",
    "\\",
    "é",
    "",
];

fn random_text(rng: &mut Rng) -> String {
    (0..rng.below(6)).map(|_| *rng.pick(PIECES)).collect()
}

fn random_json(rng: &mut Rng, depth: u32) -> Value {
    match rng.below(if depth > 3 { 5 } else { 7 }) {
        0 => Value::Null,
        1 => json!(rng.below(2) == 0),
        2 => json!(rng.next() as i64),
        3 => json!(random_text(rng)),
        4 => json!(-1.5e300),
        5 => Value::Array(
            (0..rng.below(4))
                .map(|_| random_json(rng, depth + 1))
                .collect(),
        ),
        _ => {
            let keys = [
                "textDocument",
                "position",
                "range",
                "uri",
                "line",
                "character",
                "id",
                "x",
            ];
            Value::Object(
                (0..rng.below(4))
                    .map(|_| (rng.pick(&keys).to_string(), random_json(rng, depth + 1)))
                    .collect(),
            )
        }
    }
}

fn random_position(rng: &mut Rng) -> Value {
    let big = [0, 1, 2, 3, 5, 40, 1_000, u32::MAX as u64];
    json!({"line": *rng.pick(&big), "character": *rng.pick(&big)})
}

const METHODS: &[&str] = &[
    "textDocument/hover",
    "textDocument/codeAction",
    "textDocument/completion",
    "textDocument/diagnostic",
    "workspace/executeCommand",
    "$/cancelRequest",
    "textDocument/didChange",
    "textDocument/didOpen",
    "textDocument/didClose",
    "workspace/didChangeConfiguration",
    "no/such/method",
    "",
];

/// One random message body; `Some(id)` when it is a well-formed request that must be
/// answered.
fn random_message(rng: &mut Rng, next_id: &mut i64, version: &mut i64) -> (String, Option<i64>) {
    match rng.below(10) {
        // a random edit of the open document (ranges may be out of bounds or inverted)
        0..=3 => {
            *version += 1;
            let changes: Vec<Value> = (0..1 + rng.below(3))
                .map(|_| {
                    if rng.below(8) == 0 {
                        json!({"text": random_text(rng)})
                    } else {
                        json!({"range": {"start": random_position(rng), "end": random_position(rng)},
                               "text": random_text(rng)})
                    }
                })
                .collect();
            let m = json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
                "textDocument": {"uri": URI, "version": *version}, "contentChanges": changes}});
            (m.to_string(), None)
        }
        // a request with a random method and junk params
        4 | 5 => {
            *next_id += 1;
            let params = if rng.below(2) == 0 {
                json!({"textDocument": {"uri": URI}, "position": random_position(rng),
                       "range": {"start": random_position(rng), "end": random_position(rng)},
                       "context": {"diagnostics": random_json(rng, 0)}})
            } else {
                random_json(rng, 0)
            };
            let method = *rng.pick(METHODS);
            let m = json!({"jsonrpc": "2.0", "id": *next_id, "method": method, "params": params});
            (m.to_string(), Some(*next_id))
        }
        // a notification with junk params
        6 => {
            let m = json!({"jsonrpc": "2.0", "method": rng.pick(METHODS), "params": random_json(rng, 0)});
            (m.to_string(), None)
        }
        // a truncated message (possibly cut inside a UTF-8 character)
        7 | 8 => {
            let full = json!({"jsonrpc": "2.0", "id": 99_999, "method": "textDocument/hover",
                "params": {"textDocument": {"uri": URI}, "position": random_position(rng), "x": "草稿"}})
            .to_string();
            let cut = rng.below(full.len() as u64) as usize;
            (
                String::from_utf8_lossy(&full.as_bytes()[..cut]).into_owned(),
                None,
            )
        }
        // random JSON that is not a message, or a response nobody asked for
        _ => {
            let m = if rng.below(2) == 0 {
                random_json(rng, 0)
            } else {
                json!({"jsonrpc": "2.0", "id": rng.below(50), "result": random_json(rng, 0)})
            };
            (m.to_string(), None)
        }
    }
}

fn frame(body: &str) -> Vec<u8> {
    let mut f = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    f.extend_from_slice(body.as_bytes());
    f
}

/// The frames that initialize the server and open [`URI`] with `text`.
fn initialize_and_open(text: &str, version: i64) -> Vec<u8> {
    let mut input = frame(
        &json!({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {"capabilities": {}}})
            .to_string(),
    );
    input.extend(frame(
        r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#,
    ));
    input.extend(frame(
        &json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
        "textDocument": {"uri": URI, "languageId": "plaintext", "version": version, "text": text}}})
        .to_string(),
    ));
    input
}

/// (rule, start line, start UTF-16 column) of `gwlint check` on the final text.
fn cli_findings(text: &str) -> BTreeSet<(String, u64, u64)> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("草稿.txt");
    std::fs::write(&path, text).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_gwlint"))
        .args(["check", "--isolated", "--format", "json"])
        .arg(&path)
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_owned(),
                d["start"]["line"].as_u64().unwrap() - 1,
                d["start"]["column"].as_u64().unwrap() - 1,
            )
        })
        .collect()
}

#[test]
fn server_survives_a_thousand_hostile_messages() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_gwlint"))
        .arg("server")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let stdout = BufReader::new(child.stdout.take().unwrap());
    let mut stderr = child.stderr.take().unwrap();
    let err_thread = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });
    let rx = common::lsp_frames::spawn_frame_reader(stdout);

    let mut input = initialize_and_open(FINAL, 0);
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let (mut next_id, mut version) = (0i64, 0i64);
    let mut expected_ids = BTreeSet::new();
    for _ in 0..1000 {
        let (body, id) = random_message(&mut rng, &mut next_id, &mut version);
        input.extend(frame(&body));
        expected_ids.extend(id);
    }
    // the final text, in full, then a hover on the typo
    version += 1;
    input.extend(frame(
        &json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
        "textDocument": {"uri": URI, "version": version}, "contentChanges": [{"text": FINAL}]}})
        .to_string(),
    ));
    let hover_id = next_id + 1;
    input.extend(frame(
        &json!({"jsonrpc": "2.0", "id": hover_id, "method": "textDocument/hover",
        "params": {"textDocument": {"uri": URI}, "position": {"line": 0, "character": 7}}})
        .to_string(),
    ));
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
        let _ = stdin.flush();
        stdin
    });

    let deadline = Instant::now() + Duration::from_secs(120);
    let mut answered = BTreeSet::new();
    let mut hover = None;
    let mut published = None;
    while hover.is_none() || published.is_none() {
        let left = deadline.saturating_duration_since(Instant::now());
        let msg = rx
            .recv_timeout(left)
            .expect("the server keeps answering (timed out)");
        if let Some(id) = msg["id"].as_i64() {
            if msg.get("method").is_none() {
                answered.insert(id);
            }
            if id == hover_id {
                hover = Some(msg.clone());
            }
        }
        if msg["method"] == "textDocument/publishDiagnostics"
            && msg["params"]["version"] == json!(version)
        {
            published = Some(msg["params"]["diagnostics"].clone());
        }
    }
    // every well-formed request got its answer (before the hover, which came last)
    assert!(expected_ids.len() > 100, "{} requests", expected_ids.len());
    eprintln!(
        "{} requests answered, {} random edits",
        expected_ids.len(),
        version - 1
    );
    let missing: Vec<_> = expected_ids.difference(&answered).collect();
    assert!(missing.is_empty(), "requests never answered: {missing:?}");

    let got: BTreeSet<(String, u64, u64)> = published
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_owned(),
                d["range"]["start"]["line"].as_u64().unwrap(),
                d["range"]["start"]["character"].as_u64().unwrap(),
            )
        })
        .collect();
    let want = cli_findings(FINAL);
    assert!(want.len() >= 3, "{want:?}");
    assert_eq!(got, want);

    let hover = hover.unwrap();
    assert!(hover["error"].is_null(), "{hover}");
    let contents = hover["result"]["contents"].to_string();
    assert!(contents.contains("common-typo"), "{contents}");

    // shutdown + exit end it with status 0
    let mut stdin = writer.join().unwrap();
    stdin
        .write_all(&frame(
            r#"{"jsonrpc":"2.0","id":"bye","method":"shutdown"}"#,
        ))
        .unwrap();
    stdin
        .write_all(&frame(r#"{"jsonrpc":"2.0","method":"exit"}"#))
        .unwrap();
    stdin.flush().unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("gwlint server did not exit after shutdown + exit");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let err = err_thread.join().unwrap();
    assert!(status.success(), "{status:?}\n{err}");
    assert!(!err.contains("panicked"), "{err}");
}

/// The peak memory (VmHWM, KiB) of `gwlint server` once it has published the diagnostics
/// of `text`, and how many it published. `None` without /proc.
fn server_peak_after_publishing(text: &str) -> Option<(u64, usize)> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_gwlint"))
        .arg("server")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let rx = common::lsp_frames::spawn_frame_reader(BufReader::new(child.stdout.take().unwrap()));
    stdin.write_all(&initialize_and_open(text, 1)).unwrap();
    let published = loop {
        let msg = rx.recv_timeout(Duration::from_secs(120)).unwrap();
        if msg["method"] == "textDocument/publishDiagnostics" {
            break msg["params"]["diagnostics"].as_array().unwrap().len();
        }
    };
    let status = std::fs::read_to_string(format!("/proc/{}/status", child.id())).ok();
    drop(stdin);
    let _ = child.wait();
    let peak = status?
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some((peak, published))
}

/// The server keeps findings compactly: publishing 20,000 findings costs little more
/// memory than a text of the same size without findings (it was about 11 KB a finding,
/// 1.86 GB for a 10 MB draft).
#[test]
fn publishing_many_findings_costs_little_memory() {
    let n = 20_000;
    let with: String = (0..n)
        .map(|i| format!("第{i:05}项工作,推进落实\n"))
        .collect();
    let without = with.replace(',', "，");
    let (Some((peak_with, published)), Some((peak_without, none))) = (
        server_peak_after_publishing(&with),
        server_peak_after_publishing(&without),
    ) else {
        eprintln!("skipped: no /proc/PID/status here");
        return;
    };
    assert_eq!((published, none), (n, 0));
    let per_finding = peak_with.saturating_sub(peak_without) * 1024 / n as u64;
    eprintln!("server: {peak_without} KiB without findings, {peak_with} KiB with {n}: {per_finding} bytes a finding");
    assert!(per_finding < 2048, "{per_finding} bytes a finding");
}
