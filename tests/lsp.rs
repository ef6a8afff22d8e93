//! The language server, in process over `Connection::memory()`: every item of the
//! server's contract (sync, diagnostics, code actions, hover, settings, encodings, URIs,
//! shutdown, bad input, a panicking rule), and CLI JSON == LSP diagnostics.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use gwlint::rules::{Check, Rule, RuleSet};
use lsp_server::{Connection, Message, Notification, Request, RequestId, Response};
use serde_json::{json, Value};
use std::collections::VecDeque;
use std::path::Path;
use std::time::Duration;

/// A fragment (no 主送, 署名 or 成文日期 to check): the number is cited in a sentence, not a 版头.
const DRAFT: &str = "关于印发《2018年工作要点》的通知\n根据太极工发[2018]7号文件要求\n𠮷野家,今年完成率不低于 80。\r\n（一）全年目标：党的XX大精神\n";

struct Client {
    conn: Connection,
    server: Option<std::thread::JoinHandle<i32>>,
    next_id: i32,
    /// Notifications received while waiting for something else.
    inbox: VecDeque<Notification>,
    init: Value,
}

impl Client {
    fn start(options: Value, encodings: &[&str]) -> Client {
        Client::start_with(options, encodings, RuleSet::builtin)
    }

    fn start_with(
        options: Value,
        encodings: &[&str],
        rules: fn() -> Result<RuleSet, gwlint::rules::spec::SpecError>,
    ) -> Client {
        let (server_conn, conn) = Connection::memory();
        let server = std::thread::spawn(move || gwlint::lsp::serve_with(server_conn, rules));
        let mut client = Client {
            conn,
            server: Some(server),
            next_id: 0,
            inbox: VecDeque::new(),
            init: Value::Null,
        };
        let result = client.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": null,
                "capabilities": {
                    "general": {"positionEncodings": encodings},
                    "workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}},
                },
                "initializationOptions": options,
            }),
        );
        client.init = result.result.unwrap();
        client.notify("initialized", json!({}));
        client
    }

    fn encoding(&self) -> &str {
        self.init["capabilities"]["positionEncoding"]
            .as_str()
            .unwrap()
    }

    fn recv(&self) -> Message {
        self.conn
            .receiver
            .recv_timeout(Duration::from_secs(30))
            .expect("the server answers")
    }

    fn request(&mut self, method: &str, params: Value) -> Response {
        self.next_id += 1;
        let id = RequestId::from(self.next_id);
        self.conn
            .sender
            .send(Message::Request(Request::new(
                id.clone(),
                method.into(),
                params,
            )))
            .unwrap();
        loop {
            match self.recv() {
                Message::Response(r) if r.id == id => return r,
                Message::Notification(n) => self.inbox.push_back(n),
                Message::Request(_) | Message::Response(_) => {}
            }
        }
    }

    fn notify(&self, method: &str, params: Value) {
        self.conn
            .sender
            .send(Message::Notification(Notification::new(
                method.into(),
                params,
            )))
            .unwrap();
    }

    /// The next notification with this method.
    fn wait_for(&mut self, method: &str) -> Value {
        if let Some(i) = self.inbox.iter().position(|n| n.method == method) {
            return self.inbox.remove(i).unwrap().params;
        }
        loop {
            match self.recv() {
                Message::Notification(n) if n.method == method => return n.params,
                Message::Notification(n) => self.inbox.push_back(n),
                _ => {}
            }
        }
    }

    /// The next publishDiagnostics for `uri`.
    fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        loop {
            let p = self.wait_for("textDocument/publishDiagnostics");
            if p["uri"] == uri {
                return p["diagnostics"].as_array().unwrap().clone();
            }
        }
    }

    fn open(&mut self, uri: &str, text: &str) -> Vec<Value> {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "plaintext", "version": 1, "text": text}}),
        );
        self.diagnostics(uri)
    }

    fn shutdown(mut self) -> i32 {
        let r = self.request("shutdown", Value::Null);
        assert!(r.error.is_none());
        self.notify("exit", Value::Null);
        self.server.take().unwrap().join().unwrap()
    }
}

fn rules_of(diags: &[Value]) -> Vec<(u64, String)> {
    diags
        .iter()
        .map(|d| {
            (
                d["range"]["start"]["line"].as_u64().unwrap(),
                d["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// The defects [`DRAFT`] has on purpose, as (line, rule): the tests check these, so that a
/// rule added or changed elsewhere does not break them by changing a count.
const DRAFT_DEFECTS: [(u64, &str); 3] = [
    (1, "doc-number-bracket"),
    (2, "half-width-punctuation"),
    (3, "template-placeholder"),
];

/// `diags` hold the findings of [`DRAFT_DEFECTS`].
fn assert_draft_findings(diags: &[Value]) {
    let found = rules_of(diags);
    for (line, rule) in DRAFT_DEFECTS {
        assert!(
            found.contains(&(line, rule.to_owned())),
            "no {rule} on line {line}: {found:?}"
        );
    }
}

fn find<'a>(diags: &'a [Value], rule: &str) -> &'a Value {
    diags
        .iter()
        .find(|d| d["code"] == rule)
        .unwrap_or_else(|| panic!("no {rule} in {diags:#?}"))
}

fn range(sl: u32, sc: u32, el: u32, ec: u32) -> Value {
    json!({"start": {"line": sl, "character": sc}, "end": {"line": el, "character": ec}})
}

/// Apply LSP text edits (UTF-16 positions, LF/CRLF lines) to a text: the client's job.
fn apply_edits(text: &str, edits: &[Value]) -> String {
    let offset = |p: &Value| {
        let line = p["line"].as_u64().unwrap() as usize;
        let ch = p["character"].as_u64().unwrap() as usize;
        let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        let mut units = 0;
        for (i, c) in text[start..].char_indices() {
            if units >= ch {
                return start + i;
            }
            units += c.len_utf16();
        }
        text.len()
    };
    let mut spans: Vec<(usize, usize, &str)> = edits
        .iter()
        .map(|e| {
            (
                offset(&e["range"]["start"]),
                offset(&e["range"]["end"]),
                e["newText"].as_str().unwrap(),
            )
        })
        .collect();
    spans.sort();
    let mut out = text.to_owned();
    for (a, b, s) in spans.into_iter().rev() {
        out.replace_range(a..b, s);
    }
    out
}

#[test]
fn diagnostics_carry_rule_source_severity_message_and_fix() {
    let mut c = Client::start(json!({}), &["utf-16"]);
    assert_eq!(c.encoding(), "utf-16");
    let diags = c.open("file:///drafts/a.txt", DRAFT);
    assert_eq!(
        rules_of(&diags),
        [
            (1, "doc-number-bracket".to_owned()),
            (2, "half-width-punctuation".to_owned()),
            (2, "space-between-han".to_owned()),
            (2, "percent-sign-missing".to_owned()),
            (3, "template-placeholder".to_owned()),
        ]
    );
    let d = find(&diags, "doc-number-bracket");
    assert_eq!(d["source"], "gwlint");
    assert_eq!(d["severity"], 2);
    assert_eq!(d["range"], range(1, 6, 1, 12));
    assert!(d["message"].as_str().unwrap().contains("六角括号"));
    assert_eq!(d["data"]["applicability"], "safe");
    assert_eq!(
        d["data"]["edits"],
        json!([{"range": range(1, 6, 1, 12), "newText": "〔2018〕"}])
    );
    assert_eq!(find(&diags, "template-placeholder")["severity"], 2); // a warning
    assert_eq!(find(&diags, "template-placeholder")["data"], Value::Null);
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn positions_count_utf16_units_by_default_and_bytes_when_utf8_is_offered() {
    // 𠮷 is two UTF-16 units and four bytes; the line before ends with CRLF; （）： are
    // full-width (one unit, three bytes).
    let mut c16 = Client::start(json!({}), &[]);
    assert_eq!(c16.encoding(), "utf-16");
    let d16 = c16.open("untitled:Untitled-1", DRAFT);
    assert_eq!(
        find(&d16, "half-width-punctuation")["range"],
        range(2, 4, 2, 5)
    );
    assert_eq!(
        find(&d16, "template-placeholder")["range"],
        range(3, 8, 3, 13)
    );

    let mut c8 = Client::start(json!({}), &["utf-32", "utf-8", "utf-16"]);
    assert_eq!(c8.encoding(), "utf-8");
    let d8 = c8.open("untitled:Untitled-1", DRAFT);
    assert_eq!(
        find(&d8, "half-width-punctuation")["range"],
        range(2, 10, 2, 11)
    );
    assert_eq!(
        find(&d8, "template-placeholder")["range"],
        range(3, 24, 3, 35)
    );
    assert_eq!(c16.shutdown(), 0);
    assert_eq!(c8.shutdown(), 0);
}

#[test]
fn incremental_changes_are_applied_and_republished() {
    let mut c = Client::start(json!({}), &["utf-16"]);
    let uri = "file:///drafts/b.txt";
    let diags = c.open(uri, "𠮷年度工作要点\r\n一、总体要求\r\n");
    assert!(diags.is_empty(), "{diags:#?}");
    // Two changes in one notification, the second relative to the first's result:
    // insert a half-width comma after 𠮷 (character 2), then a placeholder on line 1.
    c.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": uri, "version": 2},
            "contentChanges": [
                {"range": range(0, 2, 0, 2), "text": ","},
                {"range": range(1, 6, 1, 6), "text": "：学习党的XX大精神"},
            ],
        }),
    );
    let diags = c.diagnostics(uri);
    assert_eq!(
        find(&diags, "half-width-punctuation")["range"],
        range(0, 2, 0, 3)
    );
    assert_eq!(
        find(&diags, "template-placeholder")["range"],
        range(1, 9, 1, 14)
    );
    // Delete the comma again.
    c.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": uri, "version": 3},
            "contentChanges": [{"range": range(0, 2, 0, 3), "text": ""}],
        }),
    );
    let diags = c.diagnostics(uri);
    assert_eq!(rules_of(&diags), [(1, "template-placeholder".to_owned())]);
    // A full-text change.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 4}, "contentChanges": [{"text": "干净的正文。\n"}]}),
    );
    assert!(c.diagnostics(uri).is_empty());
    c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri}}),
    );
    assert!(c.diagnostics(uri).is_empty());
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn publish_carries_the_document_version() {
    let mut c = Client::start(json!({}), &[]);
    let uri = "file:///drafts/v.txt";
    c.open(uri, DRAFT);
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 7}, "contentChanges": [{"text": "无误。"}]}),
    );
    let p = c.wait_for("textDocument/publishDiagnostics");
    assert_eq!(p["version"], 7);
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn quick_fix_comes_from_data_and_fix_all_applies_every_safe_fix() {
    let mut c = Client::start(json!({}), &["utf-16"]);
    let uri = "file:///drafts/c.txt";
    let diags = c.open(uri, DRAFT);
    let bracket = find(&diags, "doc-number-bracket").clone();
    let r = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": bracket["range"],
               "context": {"diagnostics": [bracket]}}),
    );
    let actions = r.result.unwrap();
    let quick: Vec<&Value> = actions
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["kind"] == "quickfix" && a.get("edit").is_some())
        .collect();
    assert_eq!(quick.len(), 1);
    assert_eq!(quick[0]["isPreferred"], true);
    assert!(quick[0]["title"].as_str().unwrap().contains("〔2018〕"));
    let edits = quick[0]["edit"]["changes"][uri].as_array().unwrap();
    let fixed = apply_edits(DRAFT, edits);
    assert!(fixed.contains("太极工发〔2018〕7号"));

    // The fix is read from `data`: a doctored data is what comes back (no re-lint).
    let mut doctored = find(&diags, "doc-number-bracket").clone();
    doctored["data"]["edits"][0]["newText"] = json!("〔二〇一八〕");
    let r = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": doctored["range"],
               "context": {"diagnostics": [doctored], "only": ["quickfix"]}}),
    );
    let actions = r.result.unwrap();
    // the fix, and accepting the finding
    assert_eq!(actions.as_array().unwrap().len(), 2);
    assert_eq!(
        actions[0]["edit"]["changes"][uri][0]["newText"],
        "〔二〇一八〕"
    );
    assert_eq!(actions[1]["command"]["command"], "gwlint.acceptFinding");

    // A client that drops `data` still gets the published fix.
    let mut bare = find(&diags, "half-width-punctuation").clone();
    bare.as_object_mut().unwrap().remove("data");
    let r = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": bare["range"],
               "context": {"diagnostics": [bare], "only": ["quickfix"]}}),
    );
    assert_eq!(
        r.result.unwrap()[0]["edit"]["changes"][uri][0]["newText"],
        "，"
    );

    // source.fixAll.gwlint: every safe fix, no unsafe one (the missing %).
    let r = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": range(0, 0, 0, 0),
               "context": {"diagnostics": [], "only": ["source.fixAll"]}}),
    );
    let actions = r.result.unwrap();
    assert_eq!(actions.as_array().unwrap().len(), 1);
    assert_eq!(actions[0]["kind"], "source.fixAll.gwlint");
    let fixed = apply_edits(
        DRAFT,
        actions[0]["edit"]["changes"][uri].as_array().unwrap(),
    );
    let doc = gwlint::Document::from_text("x", DRAFT);
    let engine = gwlint::check(&doc, &RuleSet::builtin().unwrap(), &Default::default());
    let (expected, n) = gwlint::fix::apply_fixes(DRAFT, &engine, gwlint::fix::FixMode::SafeOnly);
    assert_eq!(n, 3);
    assert_eq!(fixed, expected);
    assert!(fixed.contains("𠮷野家，今年完成率不低于80。"));

    // Only other kinds asked for: nothing.
    let r = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": range(0, 0, 0, 0),
               "context": {"diagnostics": [], "only": ["refactor"]}}),
    );
    assert_eq!(r.result.unwrap(), json!([]));
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn hover_on_a_diagnostic_shows_the_rule_docs() {
    let mut c = Client::start(json!({}), &[]);
    let uri = "file:///drafts/h.txt";
    c.open(uri, DRAFT);
    let r = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 3, "character": 10}}),
    );
    let hover = r.result.unwrap();
    assert_eq!(hover["contents"]["kind"], "markdown");
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(text.starts_with("# template-placeholder"), "{text}");
    assert!(text.contains("## 为什么"));
    assert_eq!(hover["range"], range(3, 8, 3, 13));
    let r = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 2}}),
    );
    assert_eq!(r.result.unwrap(), Value::Null);
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn settings_select_ignore_and_severities_apply_and_change() {
    let mut c = Client::start(
        json!({"select": ["punctuation", "placeholder"], "ignore": ["half-width-punctuation"],
               "rules": {"doc-number-bracket": {"severity": "error"},
                         "template-placeholder": {"severity": "hint"}}}),
        &[],
    );
    let uri = "file:///drafts/s.txt";
    let diags = c.open(uri, DRAFT);
    assert_eq!(
        rules_of(&diags),
        [
            (1, "doc-number-bracket".to_owned()),
            (3, "template-placeholder".to_owned())
        ]
    );
    assert_eq!(find(&diags, "doc-number-bracket")["severity"], 1);
    assert_eq!(find(&diags, "template-placeholder")["severity"], 4);

    // didChangeConfiguration, in Neovim's nested shape: re-published at once.
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"gwlint": {"rules": {"template-placeholder": {"severity": "off"},
                                                  "space-between-han": {"severity": "info"}}}}}),
    );
    let diags = c.diagnostics(uri);
    assert_eq!(
        rules_of(&diags),
        [
            (1, "doc-number-bracket".to_owned()),
            (2, "half-width-punctuation".to_owned()),
            (2, "space-between-han".to_owned()),
            (2, "percent-sign-missing".to_owned()),
        ]
    );
    assert_eq!(find(&diags, "space-between-han")["severity"], 3);

    // Bad settings: reported to the user, old settings kept.
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"select": "not-a-list"}}),
    );
    let msg = c.wait_for("window/showMessage");
    assert!(msg["message"].as_str().unwrap().contains("设置有误"));
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"select": ["no-such-rule"]}}),
    );
    let msg = c.wait_for("window/showMessage");
    assert!(msg["message"].as_str().unwrap().contains("no-such-rule"));
    assert!(c.diagnostics(uri).is_empty());
    assert_eq!(c.shutdown(), 0);
}

const EXTRA_RULE: &str = r#"id: banned-word
title: 禁用词
category: other
severity: warning
kind: pattern
patterns: ["WORD"]
message: "禁用词「{match}」"
docs: |
  ## 检查内容
  x
  ## 为什么
  x
  ## 示例
  x
  ## 修复
  x
examples: []
"#;

#[test]
fn extra_rule_folders_load_and_reload_when_a_rule_file_changes() {
    let tmp = tempfile::tempdir().unwrap();
    // A Chinese folder name: the watched-file URI arrives percent-encoded.
    let folder = tmp.path().join("本单位规则");
    std::fs::create_dir_all(folder.join("other")).unwrap();
    let rule_path = folder.join("other/banned-word.yaml");
    std::fs::write(&rule_path, EXTRA_RULE.replace("WORD", "务虚")).unwrap();
    let mut c = Client::start(
        json!({"extraRuleFolders": [folder], "select": ["banned-word"]}),
        &[],
    );
    // The server asks to watch config and rule files.
    let uri = "untitled:Untitled-2";
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": "会议务虚。\n务实。\n"}}),
    );
    let diags = c.diagnostics(uri);
    assert_eq!(rules_of(&diags), [(0, "banned-word".to_owned())]);

    std::fs::write(&rule_path, EXTRA_RULE.replace("WORD", "务实")).unwrap();
    let encoded = gwlint::lsp::convert::path_to_uri(&rule_path);
    assert!(encoded.contains("%E6%9C%AC"), "{encoded}");
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": encoded, "type": 2}]}),
    );
    assert_eq!(
        rules_of(&c.diagnostics(uri)),
        [(1, "banned-word".to_owned())]
    );

    // A broken rule file: the user is told, the built-in rules keep working.
    std::fs::write(&rule_path, "id: banned-word\nkind: nonsense\n").unwrap();
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"extraRuleFolders": [folder]}}),
    );
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": encoded, "type": 2}]}),
    );
    let msg = c.wait_for("window/showMessage");
    assert!(msg["message"]
        .as_str()
        .unwrap()
        .contains("banned-word.yaml"));
    let diags = c.open("file:///drafts/%E8%8D%89%E7%A8%BF.txt", DRAFT);
    assert_draft_findings(&diags);
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn watchers_are_registered_with_the_client() {
    let (server_conn, conn) = Connection::memory();
    let server = std::thread::spawn(move || gwlint::lsp::serve(server_conn));
    let init = json!({"capabilities": {"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}}});
    conn.sender
        .send(Message::Request(Request::new(
            1.into(),
            "initialize".into(),
            init,
        )))
        .unwrap();
    let Message::Response(_) = conn.receiver.recv().unwrap() else {
        panic!("expected the initialize response")
    };
    conn.sender
        .send(Message::Notification(Notification::new(
            "initialized".into(),
            json!({}),
        )))
        .unwrap();
    let Message::Request(req) = conn.receiver.recv().unwrap() else {
        panic!("expected client/registerCapability")
    };
    assert_eq!(req.method, "client/registerCapability");
    let globs = req.params["registrations"][0]["registerOptions"]["watchers"].to_string();
    assert!(globs.contains("gwlint.yaml") && globs.contains("yaml,yml,tsv"));
    conn.sender
        .send(Message::Response(Response::new_ok(req.id, Value::Null)))
        .unwrap();
    conn.sender
        .send(Message::Notification(Notification::new(
            "exit".into(),
            Value::Null,
        )))
        .unwrap();
    assert_eq!(server.join().unwrap(), 1, "exit without shutdown is code 1");
}

#[test]
fn percent_encoded_chinese_uri_is_kept_for_publishing() {
    let mut c = Client::start(json!({}), &[]);
    let uri = "file:///%E5%8A%9E%E5%85%AC%E5%AE%A4/%E5%85%B3%E4%BA%8E%E5%8D%B0%E5%8F%91%E8%A6%81%E7%82%B9%E7%9A%84%E9%80%9A%E7%9F%A5.txt";
    let diags = c.open(uri, DRAFT);
    assert_draft_findings(&diags);
    assert_eq!(
        gwlint::lsp::convert::uri_to_path(uri).unwrap(),
        Path::new("/办公室/关于印发要点的通知.txt")
    );
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn unknown_and_malformed_messages_get_errors_and_the_server_goes_on() {
    let mut c = Client::start(json!({}), &[]);
    let r = c.request("gwlint/noSuchMethod", json!({}));
    assert_eq!(r.error.unwrap().code, -32601);
    let r = c.request("textDocument/hover", json!({"textDocument": 42}));
    assert_eq!(r.error.unwrap().code, -32602);
    let r = c.request("initialize", json!({"capabilities": {}}));
    assert_eq!(r.error.unwrap().code, -32600);
    // Unknown and malformed notifications: a log line, no crash.
    c.notify("gwlint/whatever", json!([1, 2]));
    c.notify("textDocument/didOpen", json!({"textDocument": "nope"}));
    let log = c.wait_for("window/logMessage");
    assert!(log["message"].as_str().unwrap().contains("didOpen"));
    // A change to a document that is not open is ignored.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": "file:///x.txt", "version": 2}, "contentChanges": [{"text": "x"}]}),
    );
    // Still serving.
    assert_draft_findings(&c.open("untitled:Untitled-3", DRAFT));
    // After shutdown, requests are refused; exit ends the loop with code 0.
    let r = c.request("shutdown", Value::Null);
    assert_eq!(r.result, Some(Value::Null));
    let r = c.request("textDocument/hover", json!({}));
    assert_eq!(r.error.unwrap().code, -32600);
    c.notify("exit", Value::Null);
    assert_eq!(c.server.take().unwrap().join().unwrap(), 0);
}

struct Panics;
impl Check for Panics {
    fn check(&self, _: &gwlint::Document, _: &gwlint::rules::RuleMeta, _: &mut gwlint::Findings) {
        panic!("a bug in a rule");
    }
}

fn rules_with_a_panicking_one() -> Result<RuleSet, gwlint::rules::spec::SpecError> {
    let mut set = RuleSet::builtin()?;
    let mut meta = set.get("common-typo").unwrap().meta.clone();
    meta.id = "aaa-panics".into();
    set.insert(Rule {
        meta,
        check: Box::new(Panics),
    });
    Ok(set)
}

#[test]
fn a_panicking_rule_does_not_stop_the_others() {
    let mut c = Client::start_with(json!({}), &[], rules_with_a_panicking_one);
    let diags = c.open("file:///drafts/p.txt", DRAFT);
    assert_draft_findings(&diags);
    assert!(diags.iter().all(|d| d["code"] != "aaa-panics"));
    assert_eq!(c.shutdown(), 0);
}

/// CLI `--format json` and the server agree on rule, range, severity, message and fix for
/// every fixture document (positions converted independently here).
#[test]
fn cli_json_equals_lsp_diagnostics() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/documents");
    let mut c = Client::start(json!({}), &["utf-16"]);
    let mut compared = 0;
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_gwlint"))
            .args(["check", "--format", "json"])
            .arg(&path)
            .output()
            .unwrap();
        let cli: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
        let uri = gwlint::lsp::convert::path_to_uri(&path);
        let lsp = c.open(&uri, &text);
        assert_eq!(cli.len(), lsp.len(), "{}", path.display());
        let pos = |offset: u64| {
            let offset = offset as usize;
            let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
            let line = text[..line_start].matches('\n').count();
            let ch: usize = text[line_start..offset].encode_utf16().count();
            json!({"line": line, "character": ch})
        };
        for (j, l) in cli.iter().zip(&lsp) {
            assert_eq!(l["code"], j["rule"]);
            assert_eq!(l["message"], j["message"]);
            let sev = match j["severity"].as_str().unwrap() {
                "error" => 1,
                "warning" => 2,
                _ => 3,
            };
            assert_eq!(l["severity"], sev);
            assert_eq!(
                l["range"],
                json!({"start": pos(j["start"]["offset"].as_u64().unwrap()),
                       "end": pos(j["end"]["offset"].as_u64().unwrap())})
            );
            // CLI columns are characters; on these BMP texts they equal UTF-16 units.
            assert_eq!(
                l["range"]["start"]["character"].as_u64().unwrap() + 1,
                j["start"]["column"].as_u64().unwrap()
            );
            match &j["fix"] {
                Value::Null => assert!(l.get("data").is_none_or(Value::is_null)),
                fix => {
                    assert_eq!(l["data"]["applicability"], fix["applicability"]);
                    assert_eq!(l["data"]["message"], fix["message"]);
                    let edits: Vec<Value> = fix["edits"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|e| {
                            json!({"range": {"start": pos(e["start"].as_u64().unwrap()),
                                             "end": pos(e["end"].as_u64().unwrap())},
                                   "newText": e["replacement"]})
                        })
                        .collect();
                    assert_eq!(l["data"]["edits"], json!(edits));
                }
            }
            compared += 1;
        }
    }
    assert!(compared > 20, "only {compared} diagnostics compared");
    assert_eq!(c.shutdown(), 0);
}

/// `gwlint server` over real stdio: malformed frames get JSON-RPC errors, the server goes
/// on, and shutdown + exit end it with status 0.
#[test]
fn stdio_server_survives_malformed_input_and_exits_cleanly() {
    use std::io::{BufReader, Write};
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_gwlint"))
        .arg("server")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let stdout = BufReader::new(child.stdout.take().unwrap());
    let frame = |body: &str| format!("Content-Length: {}\r\n\r\n{body}", body.len());
    // Frames are read on a thread so that a hung server fails the test instead of hanging it.
    let rx = common::lsp_frames::spawn_frame_reader(stdout);
    let read = || -> Value {
        rx.recv_timeout(Duration::from_secs(30))
            .expect("a message from gwlint server")
    };
    let input = [
        frame("{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\""),
        frame(r#"{"jsonrpc":"2.0","id":"x","params":[]}"#),
        frame(r#"{"jsonrpc":"2.0","id":9,"method":"textDocument/hover","params":{}}"#),
        frame(r#"{"jsonrpc":"2.0","id":2,"method":"initialize","params":{"capabilities":{}}}"#),
        frame(r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#),
        frame(
            &json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument":
                {"uri": "file:///%E8%8D%89%E7%A8%BF.txt", "languageId": "plaintext", "version": 1, "text": DRAFT}}})
            .to_string(),
        ),
    ]
    .concat();
    stdin.write_all(input.as_bytes()).unwrap();
    stdin.flush().unwrap();
    let first = read();
    assert_eq!(
        (first["id"].clone(), first["error"]["code"].clone()),
        (Value::Null, json!(-32700))
    );
    let second = read();
    assert_eq!(
        (second["id"].clone(), second["error"]["code"].clone()),
        (json!("x"), json!(-32600))
    );
    let early = read();
    assert_eq!(
        (early["id"].clone(), early["error"]["code"].clone()),
        (json!(9), json!(-32002))
    );
    let init = read();
    assert_eq!(init["id"], 2);
    assert_eq!(init["result"]["capabilities"]["positionEncoding"], "utf-16");
    assert_eq!(init["result"]["serverInfo"]["name"], "gwlint");
    let published = read();
    assert_eq!(published["method"], "textDocument/publishDiagnostics");
    assert_eq!(
        published["params"]["diagnostics"].as_array().unwrap().len(),
        5
    );
    let tail = [
        frame(r#"{"jsonrpc":"2.0","id":3,"method":"shutdown"}"#),
        frame(r#"{"jsonrpc":"2.0","method":"exit"}"#),
    ]
    .concat();
    stdin.write_all(tail.as_bytes()).unwrap();
    stdin.flush().unwrap();
    let bye = read();
    assert_eq!(
        (bye["id"].clone(), bye["result"].clone()),
        (json!(3), Value::Null)
    );
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("gwlint server did not exit after shutdown + exit");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{status:?}");
}

/// The document's `gwlint.yaml` and `.gwlint-ignore.yaml` apply as in `gwlint check`, and
/// a change to either re-publishes.
#[test]
fn config_and_ignore_files_apply_and_changes_republish() {
    let tmp = tempfile::tempdir().unwrap();
    let project = tmp.path().join("项目");
    std::fs::create_dir_all(project.join("二〇二四")).unwrap();
    let config = project.join("gwlint.yaml");
    std::fs::write(
        &config,
        "ignore: [half-width-punctuation]\nseverity:\n  doc-number-bracket: error\n",
    )
    .unwrap();
    let draft = project.join("二〇二四/草稿.txt");
    std::fs::write(&draft, DRAFT).unwrap();
    let uri = gwlint::lsp::convert::path_to_uri(&draft);
    let mut c = Client::start(json!({}), &[]);
    let diags = c.open(&uri, DRAFT);
    assert!(diags.iter().all(|d| d["code"] != "half-width-punctuation"));
    find(&diags, "template-placeholder");
    assert_eq!(find(&diags, "doc-number-bracket")["severity"], 1);

    // Client settings act like flags: select replaces the config's select and ignore.
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"select": ["punctuation"]}}),
    );
    let diags = c.diagnostics(&uri);
    assert_eq!(
        rules_of(&diags),
        [
            (1, "doc-number-bracket".to_owned()),
            (2, "half-width-punctuation".to_owned())
        ]
    );
    assert_eq!(find(&diags, "doc-number-bracket")["severity"], 1);
    c.notify("workspace/didChangeConfiguration", json!({"settings": {}}));
    let diags = c.diagnostics(&uri);
    assert!(diags.iter().all(|d| d["code"] != "half-width-punctuation"));
    find(&diags, "template-placeholder");

    // Accept the current findings with the CLI; the server honours the ignore file.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gwlint"))
        .args(["check", "--add-ignore"])
        .arg(&draft)
        .output()
        .unwrap();
    let ignore_file = project.join(".gwlint-ignore.yaml");
    assert!(ignore_file.is_file(), "{out:?}");
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": gwlint::lsp::convert::path_to_uri(&ignore_file), "type": 1}]}),
    );
    assert!(c.diagnostics(&uri).is_empty());

    // A broken config is reported and then treated as absent.
    std::fs::remove_file(&ignore_file).unwrap();
    std::fs::write(&config, "ignore: [half-width-punctuation\nnot: yaml: [").unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": gwlint::lsp::convert::path_to_uri(&config), "type": 2}]}),
    );
    let msg = c.wait_for("window/showMessage");
    assert!(
        msg["message"].as_str().unwrap().contains("gwlint.yaml"),
        "{msg}"
    );
    assert_draft_findings(&c.diagnostics(&uri));
    assert_eq!(c.shutdown(), 0);
}

/// Messages already queued are all handled before linting: a burst of edits is one lint
/// and one publication, for the last version.
#[test]
fn a_burst_of_changes_is_linted_once() {
    let (server_conn, conn) = Connection::memory();
    let send = |m: Message| conn.sender.send(m).unwrap();
    let note = |method: &str, params: Value| {
        Message::Notification(Notification::new(method.into(), params))
    };
    send(Message::Request(Request::new(
        1.into(),
        "initialize".into(),
        json!({"capabilities": {}}),
    )));
    send(note("initialized", json!({})));
    let uri = "untitled:Untitled-9";
    send(note(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "plaintext", "version": 1, "text": ""}}),
    ));
    // Type 党的XX大 one character at a time, then a half-width comma after 𠮷.
    let typed = ["党", "的", "X", "X", "大", "𠮷", ","];
    let mut character = 0;
    for (i, piece) in typed.iter().enumerate() {
        send(note(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": i + 2},
                   "contentChanges": [{"range": range(0, character, 0, character), "text": piece}]}),
        ));
        character += piece.encode_utf16().count() as u32;
    }
    // Everything is queued before the server starts.
    let server = std::thread::spawn(move || gwlint::lsp::serve(server_conn));
    let mut published = Vec::new();
    while published.is_empty() {
        match conn.receiver.recv_timeout(Duration::from_secs(30)).unwrap() {
            Message::Notification(n) if n.method == "textDocument/publishDiagnostics" => {
                published.push(n.params)
            }
            _ => {}
        }
    }
    send(Message::Request(Request::new(
        2.into(),
        "shutdown".into(),
        Value::Null,
    )));
    send(note("exit", Value::Null));
    assert_eq!(server.join().unwrap(), 0);
    published.extend(conn.receiver.try_iter().filter_map(|m| match m {
        Message::Notification(n) if n.method == "textDocument/publishDiagnostics" => Some(n.params),
        _ => None,
    }));
    assert_eq!(published.len(), 1, "{published:#?}");
    assert_eq!(published[0]["version"], typed.len() + 1);
    let diags = published[0]["diagnostics"].as_array().unwrap();
    assert_eq!(
        find(diags, "template-placeholder")["range"],
        range(0, 0, 0, 5)
    );
    assert_eq!(
        find(diags, "half-width-punctuation")["range"],
        range(0, 7, 0, 8)
    );
}

/// The accept action: its command writes the finding to `.gwlint-ignore.yaml` beside the
/// draft (the entry `--add-ignore` writes), the finding is no longer published, and
/// `gwlint check` stays quiet about it too.
#[test]
fn accepting_a_finding_writes_the_ignore_file_and_republishes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("accept.txt");
    std::fs::write(&path, DRAFT).unwrap();
    let uri = format!("file://{}", path.display());
    let mut c = Client::start(json!({}), &["utf-16"]);
    let diags = c.open(&uri, DRAFT);
    let placeholder = find(&diags, "template-placeholder").clone();
    let r = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": placeholder["range"],
               "context": {"diagnostics": [placeholder]}}),
    );
    let actions = r.result.unwrap();
    let accept = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["command"]["command"] == "gwlint.acceptFinding")
        .unwrap()
        .clone();
    assert!(
        accept["title"].as_str().unwrap().contains("接受"),
        "{accept}"
    );
    let r = c.request("workspace/executeCommand", accept["command"].clone());
    assert!(r.error.is_none(), "{:?}", r.error);
    let after = c.diagnostics(&uri);
    assert!(
        after.iter().all(|d| d["code"] != "template-placeholder"),
        "{after:?}"
    );
    assert_eq!(after.len(), diags.len() - 1);
    let ignore = std::fs::read_to_string(dir.path().join(".gwlint-ignore.yaml")).unwrap();
    assert!(ignore.contains("file: accept.txt") && ignore.contains("rule: template-placeholder"));
    let check = std::process::Command::new(env!("CARGO_BIN_EXE_gwlint"))
        .args(["check", "--format", "json"])
        .arg(&path)
        .output()
        .unwrap();
    let findings: Value = serde_json::from_slice(&check.stdout).unwrap();
    assert_eq!(findings.as_array().unwrap().len(), diags.len() - 1);
    // the same command again: the finding is gone, so it is refused, nothing written
    let again = c.request("workspace/executeCommand", accept["command"].clone());
    assert!(again.error.is_some());
    assert_eq!(c.shutdown(), 0);
}
