//! Fuzz the language server's stdio framing (`lsp::transport::read_loop`) with any
//! bytes: it never panics, answers with well-formed JSON-RPC errors, and stops at the end
//! of the input. Then the same bytes followed by a valid frame: when they hold no
//! `Content-Length` header (so they cannot begin a frame that swallows it), that frame is
//! received — the reader resynchronised after whatever came before.
#![no_main]

use gwlint::lsp::transport::read_loop;
use libfuzzer_sys::fuzz_target;
use lsp_server::Message;

const PROBE: &str = r#"{"jsonrpc":"2.0","method":"gwlint/fuzz-probe"}"#;

fn read(input: &[u8]) -> Vec<Message> {
    let (tx, rx) = crossbeam_channel::unbounded();
    read_loop(&mut &input[..], &tx, &mut |reply: &str| {
        let v: serde_json::Value = serde_json::from_str(reply).expect("replies are JSON");
        assert!(v["error"]["code"].is_i64(), "{reply}");
        Ok(())
    })
    .expect("reading a slice does not fail");
    rx.try_iter().collect()
}

fuzz_target!(|data: &[u8]| {
    read(data);
    let mut input = data.to_vec();
    input.extend_from_slice(format!("Content-Length: {}\r\n\r\n{PROBE}", PROBE.len()).as_bytes());
    let received = read(&input);
    let has_header = data
        .windows(14)
        .any(|w| w.eq_ignore_ascii_case(b"content-length"));
    if !has_header {
        match received.last() {
            Some(Message::Notification(n)) if n.method == "gwlint/fuzz-probe" => {}
            other => panic!("the frame after the bytes was lost: {other:?}"),
        }
    }
});
