//! stdio framing for the server: `Content-Length` headers and JSON bodies, on a reader
//! and a writer thread, feeding an `lsp_server::Connection`.
//!
//! lsp-server's own stdio transport stops reading at the first malformed message, which
//! ends the server. This one answers a malformed message with a JSON-RPC error (`-32700`
//! parse error, `-32600` invalid request; `id` null when it cannot be known) and keeps
//! reading. Only end of input, an I/O error or the `exit` notification stop it.

use crossbeam_channel::{unbounded, Receiver, Sender};
use lsp_server::{Connection, ErrorCode, Message};
use std::io::{self, BufRead, Read, Write};
use std::thread;

/// Bodies larger than this are skipped and answered with an error.
const MAX_BODY_BYTES: usize = 256 * 1024 * 1024;

/// The reader and writer threads; join after the connection is dropped.
pub struct IoThreads {
    reader: thread::JoinHandle<io::Result<()>>,
    writer: thread::JoinHandle<io::Result<()>>,
}

impl IoThreads {
    pub fn join(self) -> io::Result<()> {
        // The reader may be blocked on stdin after `exit`; it was detached in spirit.
        drop(self.reader);
        self.writer
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("writer thread panicked")))
    }
}

/// A connection over stdin/stdout.
pub fn stdio() -> io::Result<(Connection, IoThreads)> {
    let (writer_tx, writer_rx) = unbounded::<Message>();
    let writer = thread::Builder::new()
        .name("gwlint-lsp-writer".into())
        .spawn(move || write_loop(&writer_rx))?;
    // Unbounded: the reader runs ahead of the main loop, so a burst of edits is already
    // queued when the main loop drains it (one lint per burst).
    let (reader_tx, reader_rx) = unbounded::<Message>();
    let reader = thread::Builder::new()
        .name("gwlint-lsp-reader".into())
        .spawn(move || {
            let stdin = io::stdin();
            let mut input = stdin.lock();
            read_loop(&mut input, &reader_tx, &mut |raw: &str| {
                let mut out = io::stdout().lock();
                write_frame(&mut out, raw)
            })
        })?;
    Ok((
        Connection {
            sender: writer_tx,
            receiver: reader_rx,
        },
        IoThreads { reader, writer },
    ))
}

fn write_loop(rx: &Receiver<Message>) -> io::Result<()> {
    for msg in rx {
        // One lock per message, so a raw error written by the reader never interleaves.
        let mut out = io::stdout().lock();
        msg.write(&mut out)?;
    }
    Ok(())
}

fn write_frame(out: &mut impl Write, body: &str) -> io::Result<()> {
    write!(out, "Content-Length: {}\r\n\r\n{body}", body.len())?;
    out.flush()
}

/// Read framed messages from `input` and send them on; answer malformed ones through
/// `reply` (a complete JSON-RPC response body). Returns at end of input or after `exit`.
pub fn read_loop(
    input: &mut impl BufRead,
    to_server: &Sender<Message>,
    reply: &mut dyn FnMut(&str) -> io::Result<()>,
) -> io::Result<()> {
    loop {
        let body = match read_frame(input)? {
            Frame::Eof => return Ok(()),
            Frame::Bad(why) => {
                reply(&error_body(None, ErrorCode::ParseError, &why))?;
                continue;
            }
            Frame::Body(body) => body,
        };
        match parse(&body) {
            Ok(msg) => {
                let is_exit = matches!(&msg, Message::Notification(n) if n.method == "exit");
                if to_server.send(msg).is_err() || is_exit {
                    return Ok(());
                }
            }
            Err(error) => reply(&error)?,
        }
    }
}

enum Frame {
    Eof,
    Bad(String),
    Body(Vec<u8>),
}

fn read_frame(input: &mut impl BufRead) -> io::Result<Frame> {
    let mut length: Option<usize> = None;
    let mut bad_header = None;
    let mut saw_header = false;
    loop {
        let mut line = Vec::new();
        if input.read_until(b'\n', &mut line)? == 0 {
            return Ok(Frame::Eof);
        }
        let line = String::from_utf8_lossy(&line);
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            if saw_header {
                break;
            }
            continue;
        }
        saw_header = true;
        match line.split_once(':') {
            Some((name, value)) if name.trim().eq_ignore_ascii_case("content-length") => {
                match value.trim().parse::<usize>() {
                    Ok(n) => length = Some(n),
                    Err(_) => bad_header = Some(format!("bad Content-Length header: {line:?}")),
                }
            }
            Some(_) => {}
            None => bad_header = Some(format!("malformed header line: {line:?}")),
        }
    }
    if let Some(why) = bad_header {
        // Without a trustworthy length the body cannot be skipped; resynchronise on the
        // next header block.
        return Ok(Frame::Bad(why));
    }
    let Some(length) = length else {
        return Ok(Frame::Bad("missing Content-Length header".into()));
    };
    if length > MAX_BODY_BYTES {
        io::copy(&mut input.take(length as u64), &mut io::sink())?;
        return Ok(Frame::Bad(format!(
            "message of {length} bytes is larger than the limit of {MAX_BODY_BYTES}"
        )));
    }
    let mut body = vec![0; length];
    input.read_exact(&mut body)?;
    Ok(Frame::Body(body))
}

/// A message, or the body of the error response to send back.
fn parse(body: &[u8]) -> Result<Message, String> {
    let value: serde_json::Value = serde_json::from_slice(body)
        .map_err(|e| error_body(None, ErrorCode::ParseError, &format!("malformed JSON: {e}")))?;
    let id = value
        .get("id")
        .filter(|id| id.is_string() || id.is_number())
        .cloned();
    let invalid = |why: String| {
        error_body(
            id.clone(),
            ErrorCode::InvalidRequest,
            &format!("not a JSON-RPC request, response or notification: {why}"),
        )
    };
    match serde_json::from_value::<Message>(value) {
        // `{"id": …}` alone deserialises as a response; a real one has a result or an error.
        Ok(Message::Response(r)) if r.result.is_none() && r.error.is_none() => {
            Err(invalid("no method, result or error".into()))
        }
        Ok(msg) => Ok(msg),
        Err(e) => Err(invalid(e.to_string())),
    }
}

fn error_body(id: Option<serde_json::Value>, code: ErrorCode, message: &str) -> String {
    serde_json::json!({
        "jsonrpc": "2.0",
        "id": id.unwrap_or(serde_json::Value::Null),
        "error": {"code": code as i32, "message": message},
    })
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    #[test]
    fn malformed_messages_are_answered_and_reading_goes_on() {
        let input = [
            frame("{not json"),
            frame(r#"{"jsonrpc":"2.0","id":7,"params":{}}"#),
            "Content-Length: zwölf\r\n\r\n".to_owned(),
            frame(r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#),
            frame(r#"{"jsonrpc":"2.0","method":"exit"}"#),
            frame(r#"{"jsonrpc":"2.0","method":"never-read"}"#),
        ]
        .concat();
        let (tx, rx) = crossbeam_channel::unbounded();
        let mut replies = Vec::new();
        read_loop(&mut input.as_bytes(), &tx, &mut |r: &str| {
            replies.push(serde_json::from_str::<serde_json::Value>(r).unwrap());
            Ok(())
        })
        .unwrap();
        let codes: Vec<_> = replies
            .iter()
            .map(|r| (r["id"].clone(), r["error"]["code"].as_i64().unwrap()))
            .collect();
        assert_eq!(
            codes,
            vec![
                (serde_json::Value::Null, -32700),
                (serde_json::json!(7), -32600),
                (serde_json::Value::Null, -32700),
            ]
        );
        let methods: Vec<String> = rx
            .try_iter()
            .map(|m| match m {
                Message::Notification(n) => n.method,
                other => format!("{other:?}"),
            })
            .collect();
        assert_eq!(methods, ["initialized", "exit"]);
    }
}
