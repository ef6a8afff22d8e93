//! Test helper shared by the stdio language-server tests: reads `Content-Length` framed
//! JSON-RPC messages from the server's stdout on a thread, so that a hung server makes the
//! test fail on a receive timeout instead of hanging it.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use serde_json::Value;
use std::io::BufRead;
use std::sync::mpsc::Receiver;
use std::time::Instant;

/// The body of the next frame, `None` at the end of the stream.
fn read_frame<R: BufRead>(stdout: &mut R) -> Option<Vec<u8>> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if stdout.read_line(&mut line).unwrap_or(0) == 0 {
            return None;
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
    Some(body)
}

/// Spawn a thread that parses frames from `stdout` and sends each message's JSON.
pub fn spawn_frame_reader<R: BufRead + Send + 'static>(mut stdout: R) -> Receiver<Value> {
    let (tx, rx) = std::sync::mpsc::channel::<Value>();
    std::thread::spawn(move || {
        while let Some(body) = read_frame(&mut stdout) {
            if tx.send(serde_json::from_slice(&body).unwrap()).is_err() {
                return;
            }
        }
    });
    rx
}

/// Like [`spawn_frame_reader`], with the instant each frame had been read whole, before
/// its JSON is parsed (a latency benchmark leaves the client's parsing out).
pub fn spawn_timed_frame_reader<R: BufRead + Send + 'static>(
    mut stdout: R,
) -> Receiver<(Instant, Value)> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        while let Some(body) = read_frame(&mut stdout) {
            let arrived = Instant::now();
            if tx
                .send((arrived, serde_json::from_slice(&body).unwrap()))
                .is_err()
            {
                return;
            }
        }
    });
    rx
}
