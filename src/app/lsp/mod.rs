//! `gwlint server`: a language server over stdio (lsp-server + lsp-types).
//!
//! A plain synchronous loop: read a message, handle it, and when no message is waiting,
//! lint the documents that changed and publish their diagnostics (so a burst of
//! keystrokes costs one lint). Linting calls [`crate::check`] exactly like the CLI.
//! Handlers are in `handlers.rs`; every LSP ↔ byte-offset and URI conversion is in
//! `convert.rs`; the stdio framing (which survives malformed input) is in `transport.rs`.
//!
//! Settings come from `initializationOptions` and `workspace/didChangeConfiguration`
//! (the VS Code extension's shape): `{select, ignore, rules: {<id>: {severity}},
//! extraRuleFolders}`; severity is error | warning | info | hint | off. They combine with
//! the document's `gwlint.yaml` and `.gwlint-ignore.yaml` as command-line flags do
//! (`project.rs`).

mod accept;
pub mod convert;
mod handlers;
mod project;
pub mod transport;

use crate::diagnostic::Severity;
use crate::rules::spec::SpecError;
use crate::rules::{RuleSet, Settings};
use convert::{LineMap, PositionEncoding};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use project::Project;
use serde::Deserialize;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;

/// Run the server on stdin/stdout until `exit`. Returns the process exit code: 0 after
/// `shutdown` + `exit`, 1 when the client went away or sent `exit` without `shutdown`.
pub fn run() -> i32 {
    let (connection, io_threads) = match transport::stdio() {
        Ok(c) => c,
        Err(e) => {
            stderr_line!("gwlint server: cannot start the stdio threads: {e}");
            return 1;
        }
    };
    let code = serve_on(connection, RuleSet::builtin, true);
    if let Err(e) = io_threads.join() {
        stderr_line!("gwlint server: {e}");
    }
    code
}

/// Serve one client on `connection` (stdio, or `Connection::memory()` in tests) with the
/// built-in rules. Returns the exit code as [`run`] does.
pub fn serve(connection: Connection) -> i32 {
    serve_with(connection, RuleSet::builtin)
}

/// Like [`serve`], with the base rule set made by `base_rules` (called again whenever the
/// extra rule folders change). Tests use it to add a rule that panics.
pub fn serve_with(connection: Connection, base_rules: fn() -> Result<RuleSet, SpecError>) -> i32 {
    serve_on(connection, base_rules, false)
}

/// `raw_frames`: the connection is [`transport::stdio`], whose writer sends
/// [`transport::RAW_FRAME_METHOD`] notifications as the text they carry.
fn serve_on(
    connection: Connection,
    base_rules: fn() -> Result<RuleSet, SpecError>,
    raw_frames: bool,
) -> i32 {
    let Some((id, params)) = wait_for_initialize(&connection) else {
        return 1;
    };
    let mut server = Server::new(connection, base_rules, &params);
    server.raw_frames = raw_frames;
    server.respond(Response::new_ok(id, server.initialize_result()));
    server.main_loop()
}

/// Wait for `initialize`, answering other requests with `ServerNotInitialized` and
/// dropping notifications and responses (lsp-server's `initialize_start` gives up on
/// those). `None` when the client leaves or sends `exit` first.
fn wait_for_initialize(conn: &Connection) -> Option<(RequestId, Value)> {
    loop {
        match conn.receiver.recv().ok()? {
            Message::Request(req) if req.method == "initialize" => {
                return Some((req.id, req.params))
            }
            Message::Request(req) => {
                let refuse = Response::new_err(
                    req.id,
                    ErrorCode::ServerNotInitialized as i32,
                    format!("`{}` before `initialize`", req.method),
                );
                conn.sender.send(Message::Response(refuse)).ok()?;
            }
            Message::Notification(n) if n.method == "exit" => return None,
            Message::Notification(_) | Message::Response(_) => {}
        }
    }
}

/// The client settings (`initializationOptions`, `didChangeConfiguration`). Unknown keys
/// are ignored: clients send more than gwlint reads.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ClientOptions {
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    pub rules: BTreeMap<String, RuleOptions>,
    pub extra_rule_folders: Vec<PathBuf>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct RuleOptions {
    pub severity: Option<String>,
}

impl ClientOptions {
    /// Read options from a settings value; `{"gwlint": {...}}` (Neovim's `settings`) is
    /// unwrapped. `Err` carries a message for the client.
    pub fn from_value(value: &Value) -> Result<Option<ClientOptions>, String> {
        let value = match value.get("gwlint") {
            Some(inner) if inner.is_object() => inner,
            _ => value,
        };
        if value.is_null() {
            return Ok(None);
        }
        ClientOptions::deserialize(value)
            .map(Some)
            .map_err(|e| format!("gwlint：设置有误，已忽略：{e}"))
    }

    /// The engine settings, the rules shown as hints, and problems to report.
    fn to_settings(&self) -> (Settings, BTreeSet<String>, Vec<String>) {
        let mut settings = Settings {
            select: self.select.clone(),
            ignore: self.ignore.clone(),
            ..Settings::default()
        };
        let mut hints = BTreeSet::new();
        let mut problems = Vec::new();
        for (id, opts) in &self.rules {
            let Some(sev) = opts.severity.as_deref() else {
                continue;
            };
            match sev {
                "off" => settings.ignore.push(id.clone()),
                "hint" => {
                    hints.insert(id.clone());
                    settings.severity.insert(id.clone(), Severity::Info);
                }
                "information" => {
                    settings.severity.insert(id.clone(), Severity::Info);
                }
                other => match Severity::from_name(other) {
                    Some(s) => {
                        settings.severity.insert(id.clone(), s);
                    }
                    None => problems.push(format!(
                        "gwlint：「{id}」的级别「{other}」无效（可用 error、warning、info、hint、off）"
                    )),
                },
            }
        }
        (settings, hints, problems)
    }
}

/// An open document: its text and what was last published for it.
struct OpenDoc {
    uri: lsp_types::Uri,
    version: Option<i32>,
    text: String,
    lines: LineMap,
    /// The diagnostics of the current text (valid when `dirty` is false).
    diagnostics: Vec<crate::Diagnostic>,
    /// The rule folders of the rule set that produced `diagnostics` (for hover).
    rule_dirs: Vec<PathBuf>,
    dirty: bool,
    /// The last check's line-local findings: the next check re-checks only the lines
    /// edited since (for those rules).
    memo: crate::rules::LineLocalMemo,
}

impl OpenDoc {
    fn new(uri: lsp_types::Uri, version: Option<i32>, text: String) -> OpenDoc {
        OpenDoc {
            uri,
            version,
            lines: LineMap::new(&text),
            text,
            diagnostics: Vec::new(),
            rule_dirs: Vec::new(),
            dirty: true,
            memo: crate::rules::LineLocalMemo::default(),
        }
    }
}

enum Flow {
    Continue,
    Exit,
}

pub(crate) struct Server {
    conn: Connection,
    encoding: PositionEncoding,
    project: Project,
    options: ClientOptions,
    /// The client's settings, before combining with a config file.
    settings: Settings,
    hints: BTreeSet<String>,
    /// Open documents keyed by their URI string.
    docs: HashMap<String, OpenDoc>,
    shutdown: bool,
    can_register_watchers: bool,
    /// `initialized` arrived; before it, user messages are queued.
    initialized: bool,
    /// Messages for the client produced before it was initialized.
    pending_messages: Vec<(lsp_types::MessageType, String)>,
    /// Diagnostics are published as text serialised finding by finding (stdio).
    raw_frames: bool,
}

impl Server {
    fn new(
        conn: Connection,
        base_rules: fn() -> Result<RuleSet, SpecError>,
        params: &Value,
    ) -> Server {
        let offered: Vec<lsp_types::PositionEncodingKind> = params
            .pointer("/capabilities/general/positionEncodings")
            .and_then(|v| Vec::<String>::deserialize(v).ok())
            .unwrap_or_default()
            .into_iter()
            .map(lsp_types::PositionEncodingKind::from)
            .collect();
        let can_register_watchers = params
            .pointer("/capabilities/workspace/didChangeWatchedFiles/dynamicRegistration")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let mut server = Server {
            conn,
            encoding: PositionEncoding::negotiate(&offered),
            project: Project::new(base_rules),
            options: ClientOptions::default(),
            settings: Settings::default(),
            hints: BTreeSet::new(),
            docs: HashMap::new(),
            shutdown: false,
            can_register_watchers,
            initialized: false,
            pending_messages: Vec::new(),
            raw_frames: false,
        };
        let options = match params
            .get("initializationOptions")
            .map(ClientOptions::from_value)
        {
            Some(Ok(Some(o))) => o,
            Some(Err(msg)) => {
                server
                    .pending_messages
                    .push((lsp_types::MessageType::WARNING, msg));
                ClientOptions::default()
            }
            _ => ClientOptions::default(),
        };
        server.apply_options(options);
        server
    }

    fn initialize_result(&self) -> lsp_types::InitializeResult {
        use lsp_types::*;
        InitializeResult {
            capabilities: ServerCapabilities {
                position_encoding: Some(self.encoding.kind()),
                text_document_sync: Some(TextDocumentSyncCapability::Options(
                    TextDocumentSyncOptions {
                        open_close: Some(true),
                        change: Some(TextDocumentSyncKind::INCREMENTAL),
                        ..TextDocumentSyncOptions::default()
                    },
                )),
                code_action_provider: Some(CodeActionProviderCapability::Options(
                    CodeActionOptions {
                        code_action_kinds: Some(vec![
                            CodeActionKind::QUICKFIX,
                            CodeActionKind::new(handlers::FIX_ALL_KIND),
                        ]),
                        ..CodeActionOptions::default()
                    },
                )),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                execute_command_provider: Some(ExecuteCommandOptions {
                    commands: vec![accept::ACCEPT_COMMAND.into()],
                    ..ExecuteCommandOptions::default()
                }),
                ..ServerCapabilities::default()
            },
            server_info: Some(ServerInfo {
                name: "gwlint".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
        }
    }

    fn main_loop(&mut self) -> i32 {
        loop {
            let Ok(msg) = self.conn.receiver.recv() else {
                return self.exit_code();
            };
            if let Flow::Exit = self.dispatch(msg) {
                return self.exit_code();
            }
            // Handle everything already queued before linting: one lint per burst.
            while let Ok(msg) = self.conn.receiver.try_recv() {
                if let Flow::Exit = self.dispatch(msg) {
                    return self.exit_code();
                }
            }
            self.publish_dirty();
        }
    }

    fn exit_code(&self) -> i32 {
        if self.shutdown {
            0
        } else {
            1
        }
    }

    /// Handle one message; a panic in a handler becomes an error response (for a
    /// request) or a log message, never the end of the server.
    fn dispatch(&mut self, msg: Message) -> Flow {
        let request_id = match &msg {
            Message::Request(r) => Some(r.id.clone()),
            _ => None,
        };
        let method = match &msg {
            Message::Request(r) => r.method.clone(),
            Message::Notification(n) => n.method.clone(),
            Message::Response(_) => String::new(),
        };
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match msg {
            Message::Request(req) => {
                self.on_request(req);
                Flow::Continue
            }
            Message::Notification(n) => self.on_notification(n),
            // Answers to our client/registerCapability requests: nothing to do.
            Message::Response(_) => Flow::Continue,
        }));
        outcome.unwrap_or_else(|_| {
            let text = format!("gwlint: internal error while handling `{method}`");
            stderr_line!("{text}");
            match request_id {
                Some(id) => {
                    self.respond(Response::new_err(id, ErrorCode::InternalError as i32, text))
                }
                None => self.log(lsp_types::MessageType::ERROR, text),
            }
            Flow::Continue
        })
    }

    fn on_request(&mut self, req: Request) {
        if self.shutdown {
            return self.respond(Response::new_err(
                req.id,
                ErrorCode::InvalidRequest as i32,
                "the server is shutting down".into(),
            ));
        }
        let id = req.id.clone();
        let result: Result<Value, (ErrorCode, String)> = match req.method.as_str() {
            "shutdown" => {
                self.shutdown = true;
                Ok(Value::Null)
            }
            "initialize" => Err((
                ErrorCode::InvalidRequest,
                "the server is already initialized".into(),
            )),
            "textDocument/codeAction" => params(req.params).map(|p| to_value(self.code_action(p))),
            "textDocument/hover" => params(req.params).map(|p| to_value(self.hover(p))),
            "workspace/executeCommand" => params(req.params).and_then(|p| self.execute_command(p)),
            other => Err((
                ErrorCode::MethodNotFound,
                format!("gwlint does not handle `{other}`"),
            )),
        };
        let response = match result {
            Ok(value) => Response {
                id,
                result: Some(value),
                error: None,
            },
            Err((code, message)) => Response::new_err(id, code as i32, message),
        };
        self.respond(response);
    }

    fn on_notification(&mut self, n: Notification) -> Flow {
        let outcome: Result<(), (ErrorCode, String)> = match n.method.as_str() {
            "exit" => return Flow::Exit,
            "initialized" => {
                self.on_initialized();
                Ok(())
            }
            "textDocument/didOpen" => params(n.params).map(|p| self.did_open(p)),
            "textDocument/didChange" => params(n.params).map(|p| self.did_change(p)),
            "textDocument/didClose" => params(n.params).map(|p| self.did_close(p)),
            "workspace/didChangeConfiguration" => {
                params(n.params).map(|p| self.did_change_configuration(p))
            }
            "workspace/didChangeWatchedFiles" => {
                params(n.params).map(|p| self.did_change_watched_files(p))
            }
            // Everything else ($/cancelRequest, $/setTrace, didSave, …) needs no action.
            _ => Ok(()),
        };
        if let Err((_, message)) = outcome {
            self.log(
                lsp_types::MessageType::WARNING,
                format!("gwlint: ignored `{}`: {message}", n.method),
            );
        }
        Flow::Continue
    }

    fn on_initialized(&mut self) {
        self.initialized = true;
        for (typ, message) in std::mem::take(&mut self.pending_messages) {
            self.notify::<lsp_types::notification::ShowMessage>(lsp_types::ShowMessageParams {
                typ,
                message,
            });
        }
        if self.can_register_watchers {
            let watchers: Vec<Value> = [
                "**/gwlint.yaml",
                "**/.gwlint.yaml",
                "**/.gwlint-ignore.yaml",
                "**/*.{yaml,yml,tsv}",
            ]
            .iter()
            .map(|g| serde_json::json!({ "globPattern": g }))
            .collect();
            let params = serde_json::json!({ "registrations": [{
                "id": "gwlint-watch-config-and-rules",
                "method": "workspace/didChangeWatchedFiles",
                "registerOptions": { "watchers": watchers },
            }]});
            self.send(Message::Request(Request {
                id: RequestId::from("gwlint-register-watchers".to_owned()),
                method: "client/registerCapability".into(),
                params,
            }));
        }
    }

    /// Take new client options: drop the rule sets if the folders changed, recompute the
    /// settings, and mark every document for re-linting.
    fn apply_options(&mut self, options: ClientOptions) {
        if options.extra_rule_folders != self.options.extra_rule_folders {
            self.project.forget_rules();
        }
        let (settings, hints, problems) = options.to_settings();
        for p in problems {
            self.show(lsp_types::MessageType::WARNING, p);
        }
        let unknown =
            settings.unknown_selectors(self.project.rule_set(&options.extra_rule_folders));
        self.show_problems();
        if !unknown.is_empty() {
            let rules = self.project.rule_set(&options.extra_rule_folders);
            let text = format!(
                "gwlint：设置里有不存在的规则或类别：{}",
                rules.describe_unknown(&unknown)
            );
            self.show(lsp_types::MessageType::WARNING, text);
        }
        self.settings = settings;
        self.hints = hints;
        self.options = options;
        self.mark_all_dirty();
    }

    /// Show what loading config, ignore and rule files reported.
    fn show_problems(&mut self) {
        for p in std::mem::take(&mut self.project.problems) {
            self.show(lsp_types::MessageType::ERROR, p);
        }
    }

    fn mark_all_dirty(&mut self) {
        for doc in self.docs.values_mut() {
            doc.dirty = true;
        }
    }

    fn send(&self, msg: Message) {
        // A closed channel means the client is gone; the main loop notices on recv.
        let _ = self.conn.sender.send(msg);
    }

    fn respond(&self, response: Response) {
        self.send(Message::Response(response));
    }

    fn notify<N: lsp_types::notification::Notification>(&self, params: N::Params) {
        self.send(Message::Notification(Notification::new(
            N::METHOD.to_owned(),
            params,
        )));
    }

    /// window/logMessage (the client's log).
    fn log(&self, typ: lsp_types::MessageType, message: String) {
        self.notify::<lsp_types::notification::LogMessage>(lsp_types::LogMessageParams {
            typ,
            message,
        });
    }

    /// window/showMessage (a notification the user sees); queued until `initialized`.
    fn show(&mut self, typ: lsp_types::MessageType, message: String) {
        stderr_line!("{message}");
        if !self.initialized {
            self.pending_messages.push((typ, message));
            return;
        }
        self.notify::<lsp_types::notification::ShowMessage>(lsp_types::ShowMessageParams {
            typ,
            message,
        });
    }
}

fn params<P: serde::de::DeserializeOwned>(value: Value) -> Result<P, (ErrorCode, String)> {
    serde_json::from_value(value)
        .map_err(|e| (ErrorCode::InvalidParams, format!("invalid params: {e}")))
}

fn to_value<T: serde::Serialize>(v: T) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}
