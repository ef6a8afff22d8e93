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

/// The method of a notification that carries a whole message already serialised (its
/// `params` is the JSON text): the writer sends the text as it is. The server uses it for
/// `publishDiagnostics` over stdio, so a million findings are never a tree of JSON values
/// (about 11 KB each) but text written one finding at a time.
pub const RAW_FRAME_METHOD: &str = "$/gwlint/rawFrame";

fn write_loop(rx: &Receiver<Message>) -> io::Result<()> {
    for msg in rx {
        // One lock per message, so a raw error written by the reader never interleaves.
        let mut out = io::stdout().lock();
        match &msg {
            Message::Notification(n) if n.method == RAW_FRAME_METHOD => {
                if let serde_json::Value::String(body) = &n.params {
                    write_frame(&mut out, body)?;
                }
            }
            _ => msg.write(&mut out)?,
        }
    }
    Ok(())
}

fn write_frame(out: &mut impl Write, body: &str) -> io::Result<()> {
    write!(out, "Content-Length: {}\r\n\r\n{body}", body.len())?;
    out.flush()
}

/// Read framed messages from `input` and send them on; answer malformed ones through
/// `reply` (a complete JSON-RPC response body). Returns at end of input or after `exit`.
///
/// After a malformed frame the reader resynchronises on the next `Content-Length`
/// header, wherever it starts: a bad or missing length, a body shorter than its length
/// (the rest of it is then glued to the next header) or longer (it swallowed the next
/// header, which is taken back) costs that one frame, never the ones after it.
pub fn read_loop(
    input: &mut impl BufRead,
    to_server: &Sender<Message>,
    reply: &mut dyn FnMut(&str) -> io::Result<()>,
) -> io::Result<()> {
    let mut framer = Framer {
        input,
        pending: Vec::new(),
        at: 0,
    };
    loop {
        let body = match framer.read_frame()? {
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
            Err(error) => {
                // a body that ran into the next frame: read that frame again
                if let Some(k) = find_content_length(&body) {
                    framer.unread(&body[k..]);
                }
                reply(&error)?;
            }
        }
    }
}

enum Frame {
    Eof,
    Bad(String),
    Body(Vec<u8>),
}

/// A header line longer than this is read in pieces (each searched for a header).
const MAX_HEADER_LINE: u64 = 64 * 1024;

/// The byte offset of `Content-Length:` (any case) in `bytes`.
fn find_content_length(bytes: &[u8]) -> Option<usize> {
    const NEEDLE: &[u8] = b"content-length:";
    bytes
        .windows(NEEDLE.len())
        .position(|w| w.eq_ignore_ascii_case(NEEDLE))
}

/// The input with bytes taken back (`unread`) in front of it.
struct Framer<'a, R: BufRead> {
    input: &'a mut R,
    pending: Vec<u8>,
    at: usize,
}

impl<R: BufRead> Framer<'_, R> {
    fn unread(&mut self, bytes: &[u8]) {
        let mut v = bytes.to_vec();
        v.extend_from_slice(&self.pending[self.at..]);
        self.pending = v;
        self.at = 0;
    }

    /// One line (with its `\n`, if any) of at most about [`MAX_HEADER_LINE`] bytes;
    /// empty at end of input.
    fn read_line(&mut self) -> io::Result<Vec<u8>> {
        let mut line = Vec::new();
        if self.at < self.pending.len() {
            let rest = &self.pending[self.at..];
            let n = rest
                .iter()
                .position(|&b| b == b'\n')
                .map_or(rest.len(), |i| i + 1);
            line.extend_from_slice(&rest[..n]);
            self.at += n;
            if line.ends_with(b"\n") {
                return Ok(line);
            }
        }
        let n = (&mut *self.input)
            .take(MAX_HEADER_LINE)
            .read_until(b'\n', &mut line)?;
        // a piece of an overlong line: its last bytes are read again with the next
        // piece, so a `Content-Length:` across the cut is still found
        let keep = b"content-length:".len() - 1;
        if n as u64 == MAX_HEADER_LINE && !line.ends_with(b"\n") && line.len() > keep {
            let cut = line.len() - keep;
            self.unread(&line[cut..]);
            line.truncate(cut);
        }
        Ok(line)
    }

    fn read_body(&mut self, length: usize) -> io::Result<Vec<u8>> {
        let mut body = Vec::with_capacity(length.min(1 << 20));
        let from_pending = (self.pending.len() - self.at).min(length);
        body.extend_from_slice(&self.pending[self.at..self.at + from_pending]);
        self.at += from_pending;
        (&mut *self.input)
            .take((length - from_pending) as u64)
            .read_to_end(&mut body)?;
        if body.len() < length {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        Ok(body)
    }

    fn read_frame(&mut self) -> io::Result<Frame> {
        let mut length: Option<usize> = None;
        let mut bad_header: Option<String> = None;
        let mut saw_header = false;
        loop {
            let mut raw = self.read_line()?;
            if raw.is_empty() {
                return Ok(Frame::Eof);
            }
            if let Some(k) = find_content_length(&raw) {
                // a header block starts here; what came before it was no frame (the rest
                // of a body shorter than its length, a block without a usable length)
                let garbage = !raw[..k].iter().all(u8::is_ascii_whitespace);
                if garbage || bad_header.is_some() || length.is_some() {
                    self.unread(&raw[k..]);
                    return Ok(Frame::Bad(bad_header.unwrap_or_else(|| {
                        "bytes that are not a message before a Content-Length header".into()
                    })));
                }
                raw.drain(..k);
            }
            let line = String::from_utf8_lossy(&raw);
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
                Some((name, _)) if is_token(name) => {}
                _ => {
                    bad_header.get_or_insert_with(|| format!("malformed header line: {line:?}"));
                }
            }
        }
        if let Some(why) = bad_header {
            return Ok(Frame::Bad(why));
        }
        let Some(length) = length else {
            return Ok(Frame::Bad("missing Content-Length header".into()));
        };
        if length > MAX_BODY_BYTES {
            let buffered = (self.pending.len() - self.at).min(length);
            self.at += buffered;
            io::copy(
                &mut (&mut *self.input).take((length - buffered) as u64),
                &mut io::sink(),
            )?;
            return Ok(Frame::Bad(format!(
                "message of {length} bytes is larger than the limit of {MAX_BODY_BYTES}"
            )));
        }
        match self.read_body(length) {
            Ok(body) => Ok(Frame::Body(body)),
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => Ok(Frame::Eof),
            Err(e) => Err(e),
        }
    }
}

/// A header name: letters, digits and `-`.
fn is_token(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
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

    /// The notifications received after feeding `input`, and how many errors were sent.
    fn read_all(input: &[u8]) -> (Vec<String>, usize) {
        let (tx, rx) = crossbeam_channel::unbounded();
        let mut errors = 0;
        read_loop(&mut &input[..], &tx, &mut |_: &str| {
            errors += 1;
            Ok(())
        })
        .unwrap();
        let methods = rx
            .try_iter()
            .map(|m| match m {
                Message::Notification(n) => n.method,
                other => format!("{other:?}"),
            })
            .collect();
        (methods, errors)
    }

    #[test]
    fn reading_resynchronises_after_any_malformed_frame() {
        let ok = |m: &str| frame(&format!(r#"{{"jsonrpc":"2.0","method":"{m}"}}"#));
        let body = r#"{"jsonrpc":"2.0","method":"lost"}"#;
        let cases: Vec<(&str, String)> = vec![
            (
                "length not a number",
                format!("Content-Length: abc\r\n\r\n{body}"),
            ),
            (
                "length too short",
                format!("Content-Length: 10\r\n\r\n{body}"),
            ),
            (
                "length too long",
                format!("Content-Length: 60\r\n\r\n{body}"),
            ),
            ("no length", format!("Content-Type: x\r\n\r\n{body}")),
            ("garbage line", "hello world\r\n".to_owned()),
            ("garbage without a newline", "{\"partial\":".to_owned()),
            (
                "pretty JSON cut short",
                "Content-Length: 9\r\n\r\n{\n  \"a\": 1,\n  \"b\": 2\n}".to_owned(),
            ),
        ];
        let long = format!(
            "{}Content-Length: 10\r\n\r\n{body}",
            "x".repeat(3 * 65536 - 7)
        );
        let cases = cases.into_iter().chain([("overlong line", long)]);
        for (name, bad) in cases {
            let input = [ok("first"), bad, ok("second"), ok("third")].concat();
            let (methods, errors) = read_all(input.as_bytes());
            assert_eq!(methods, ["first", "second", "third"], "{name}");
            assert!(errors >= 1, "{name}: the bad frame is answered");
        }
    }
}
