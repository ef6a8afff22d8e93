//! Benchmark: time from `textDocument/didChange` to the `publishDiagnostics` it causes,
//! for a ~100 KB draft (the fixture documents repeated), one-character incremental edits.
//! Measured in process (`Connection::memory`) and over stdio with the `gwlint server`
//! binary (the time the publish frame has been read whole, before the client parses its
//! JSON). Run with `cargo bench --bench lsp_latency`; prints the medians.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use lsp_server::{Connection, Message, Notification, Request, RequestId};
use serde_json::{json, Value};
use std::io::{BufReader, Write};
use std::time::{Duration, Instant};

const TARGET_BYTES: usize = 100 * 1024;
const WARMUP: usize = 5;
const RUNS: usize = 100;
const URI: &str = "file:///bench/%E8%8D%89%E7%A8%BF.txt";

#[path = "../common/mod.rs"]
mod common;

fn draft() -> String {
    let texts = common::samples::drafts(&common::samples::fixture_documents(), None);
    let mut out = String::new();
    'fill: loop {
        for t in &texts {
            out.push_str(t);
            out.push('\n');
            if out.len() >= TARGET_BYTES {
                break 'fill;
            }
        }
    }
    out
}

/// The edit of run `i`: insert a character in the middle, then delete it again.
fn change(i: usize, middle_line: usize) -> Value {
    let version = i as i32 + 2;
    let change = if i.is_multiple_of(2) {
        json!({"range": {"start": {"line": middle_line, "character": 0}, "end": {"line": middle_line, "character": 0}}, "text": "改"})
    } else {
        json!({"range": {"start": {"line": middle_line, "character": 0}, "end": {"line": middle_line, "character": 1}}, "text": ""})
    };
    json!({"textDocument": {"uri": URI, "version": version}, "contentChanges": [change]})
}

fn is_publish_of(msg: &Value, version: i32) -> bool {
    msg["method"] == "textDocument/publishDiagnostics" && msg["params"]["version"] == version
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn summary(name: &str, times: Vec<Duration>, diags: usize) {
    let mut sorted = times.clone();
    sorted.sort();
    println!(
        "{name}: median {:.2} ms, min {:.2} ms, p90 {:.2} ms over {} edits ({diags} diagnostics)",
        median(times).as_secs_f64() * 1e3,
        sorted[0].as_secs_f64() * 1e3,
        sorted[sorted.len() * 9 / 10].as_secs_f64() * 1e3,
        sorted.len()
    );
}

fn in_process(text: &str, middle_line: usize) {
    let (server_conn, conn) = Connection::memory();
    let server = std::thread::spawn(move || gwlint::lsp::serve(server_conn));
    let send = |m: Message| conn.sender.send(m).unwrap();
    // Only the fields looked at are turned into JSON values (the client's cost is not
    // the server's latency).
    let recv_value = || -> Value {
        match conn.receiver.recv_timeout(Duration::from_secs(60)).unwrap() {
            Message::Notification(n) => json!({"method": n.method, "params": n.params}),
            Message::Response(r) => json!({"id": r.id}),
            Message::Request(r) => json!({"method": r.method}),
        }
    };
    send(Message::Request(Request::new(
        RequestId::from(1),
        "initialize".into(),
        json!({"capabilities": {}}),
    )));
    while recv_value()["id"] != 1 {}
    send(Message::Notification(Notification::new(
        "initialized".into(),
        json!({}),
    )));
    send(Message::Notification(Notification::new(
        "textDocument/didOpen".into(),
        json!({"textDocument": {"uri": URI, "languageId": "plaintext", "version": 1, "text": text}}),
    )));
    let count = loop {
        let m = recv_value();
        if is_publish_of(&m, 1) {
            break m["params"]["diagnostics"].as_array().unwrap().len();
        }
    };
    let mut times = Vec::new();
    for i in 0..WARMUP + RUNS {
        let params = change(i, middle_line);
        let version = params["textDocument"]["version"].as_i64().unwrap() as i32;
        let start = Instant::now();
        send(Message::Notification(Notification::new(
            "textDocument/didChange".into(),
            params,
        )));
        while !is_publish_of(&recv_value(), version) {}
        if i >= WARMUP {
            times.push(start.elapsed());
        }
    }
    send(Message::Request(Request::new(
        RequestId::from(2),
        "shutdown".into(),
        Value::Null,
    )));
    send(Message::Notification(Notification::new(
        "exit".into(),
        Value::Null,
    )));
    server.join().unwrap();
    summary("in process (Connection::memory)", times, count);
}

fn over_stdio(text: &str, middle_line: usize) {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_gwlint"))
        .arg("server")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    // the instant a publish has been read whole: the time to parse a publish of hundreds of
    // diagnostics is the editor's, not the server's latency (as in `in_process`, which
    // looks at a few fields only)
    let frames =
        common::lsp_frames::spawn_timed_frame_reader(BufReader::new(child.stdout.take().unwrap()));
    let mut send = |v: Value| {
        let body = v.to_string();
        write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        stdin.flush().unwrap();
    };
    let recv = || -> (Instant, Value) { frames.recv().unwrap() };
    send(
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}),
    );
    while recv().1["id"] != 1 {}
    send(json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}));
    send(
        json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params":
        {"textDocument": {"uri": URI, "languageId": "plaintext", "version": 1, "text": text}}}),
    );
    let count = loop {
        let (_, m) = recv();
        if is_publish_of(&m, 1) {
            break m["params"]["diagnostics"].as_array().unwrap().len();
        }
    };
    let mut times = Vec::new();
    for i in 0..WARMUP + RUNS {
        let params = change(i, middle_line);
        let version = params["textDocument"]["version"].as_i64().unwrap() as i32;
        let start = Instant::now();
        send(json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": params}));
        let arrived = loop {
            let (arrived, m) = recv();
            if is_publish_of(&m, version) {
                break arrived;
            }
        };
        if i >= WARMUP {
            times.push(arrived - start);
        }
    }
    send(json!({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}));
    send(json!({"jsonrpc": "2.0", "method": "exit"}));
    child.wait().unwrap();
    summary("over stdio (gwlint server)", times, count);
}

/// The texts the edits of [`change`] make: even runs insert 改 at the start of the middle
/// line, odd runs take it out again.
fn edited_texts(text: &str, middle_line: usize) -> [String; 2] {
    let at: usize = text
        .split_inclusive('\n')
        .take(middle_line)
        .map(str::len)
        .sum();
    [format!("{}改{}", &text[..at], &text[at..]), text.to_owned()]
}

/// The engine alone on the same edits: `Document::from_text` + a check, from scratch
/// (`gwlint::check`, what the CLI does) or re-checking only the edited lines for the
/// line-local rules (`check_remembering` with the document's memo, what the server does).
fn engine_only(text: &str, middle_line: usize) {
    let rules = gwlint::RuleSet::builtin().unwrap();
    let settings = gwlint::Settings::default();
    let texts = edited_texts(text, middle_line);
    let mut memo = gwlint::rules::LineLocalMemo::default();
    for remembering in [false, true] {
        let mut times = Vec::new();
        let mut count = 0;
        for i in 0..WARMUP + RUNS {
            let start = Instant::now();
            let doc = gwlint::Document::from_text("bench.txt", texts[i % 2].clone());
            count = if remembering {
                rules
                    .check_remembering(&doc, &settings, Some(&mut memo))
                    .0
                    .len()
            } else {
                gwlint::check(&doc, &rules, &settings).len()
            };
            if i >= WARMUP {
                times.push(start.elapsed());
            }
        }
        let name = if remembering {
            "engine only, edited lines re-checked (Document::from_text + check_remembering)"
        } else {
            "engine only, from scratch (Document::from_text + check)"
        };
        summary(name, times, count);
    }
}

fn main() {
    // `cargo test --benches` runs this too; keep that quick.
    if std::env::args().any(|a| a == "--test") {
        return;
    }
    let text = draft();
    let middle_line = text.lines().count() / 2;
    println!(
        "didChange → publishDiagnostics, {} KB draft, {} lines",
        text.len() / 1024,
        text.lines().count()
    );
    engine_only(&text, middle_line);
    in_process(&text, middle_line);
    over_stdio(&text, middle_line);
}
