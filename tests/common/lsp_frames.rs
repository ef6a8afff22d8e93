//! Test helper shared by the stdio language-server tests: reads `Content-Length` framed
//! JSON-RPC messages from the server's stdout on a thread, so that a hung server makes the
//! test fail on a receive timeout instead of hanging it.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use serde_json::Value;
use std::io::BufRead;
use std::sync::mpsc::Receiver;

/// Spawn a thread that parses frames from `stdout` and sends each message's JSON.
pub fn spawn_frame_reader<R: BufRead + Send + 'static>(mut stdout: R) -> Receiver<Value> {
    let (tx, rx) = std::sync::mpsc::channel::<Value>();
    std::thread::spawn(move || loop {
        let mut length = None;
        loop {
            let mut line = String::new();
            if stdout.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(v) = line.strip_prefix("Content-Length: ") {
                length = v.parse().ok();
            }
        }
        let mut body = vec![0; length.unwrap()];
        stdout.read_exact(&mut body).unwrap();
        if tx.send(serde_json::from_slice(&body).unwrap()).is_err() {
            return;
        }
    });
    rx
}
