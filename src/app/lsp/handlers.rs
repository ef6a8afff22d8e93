//! The server's handlers: document sync → lint → `publishDiagnostics`; code actions read
//! from the fix carried in `Diagnostic.data` (never a re-lint); `source.fixAll.gwlint`;
//! hover with the rule's docs; configuration and watched-file changes.

use super::convert::{self, LineMap, PositionEncoding};
use super::{ClientOptions, OpenDoc, Server};
use crate::diagnostic::{Applicability, Severity};
use crate::document::Document;
use crate::fix::{apply_fixes, FixMode};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, DiagnosticSeverity,
    DidChangeConfigurationParams, DidChangeTextDocumentParams, DidChangeWatchedFilesParams,
    DidCloseTextDocumentParams, DidOpenTextDocumentParams, Hover, HoverContents, HoverParams,
    MarkupContent, MarkupKind, NumberOrString, PublishDiagnosticsParams, TextEdit, Uri,
    WorkspaceEdit,
};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// The code action kind of "apply every safe fix of this file".
pub const FIX_ALL_KIND: &str = "source.fixAll.gwlint";

/// What `Diagnostic.data` carries: the rule's fix with its edits already in LSP ranges of
/// the text that was linted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FixData {
    pub applicability: Applicability,
    pub message: String,
    pub edits: Vec<TextEdit>,
}

impl Server {
    pub(super) fn did_open(&mut self, p: DidOpenTextDocumentParams) {
        let doc = p.text_document;
        let key = doc.uri.as_str().to_owned();
        self.docs
            .insert(key, OpenDoc::new(doc.uri, Some(doc.version), doc.text));
    }

    pub(super) fn did_change(&mut self, p: DidChangeTextDocumentParams) {
        let encoding = self.encoding;
        let Some(doc) = self.docs.get_mut(p.text_document.uri.as_str()) else {
            return;
        };
        let changes: Vec<_> = p
            .content_changes
            .into_iter()
            .map(|c| (c.range, c.text))
            .collect();
        convert::apply_changes(&mut doc.text, &doc.lines, &changes, encoding);
        doc.lines = LineMap::new(&doc.text);
        doc.version = Some(p.text_document.version);
        doc.dirty = true;
    }

    pub(super) fn did_close(&mut self, p: DidCloseTextDocumentParams) {
        if self.docs.remove(p.text_document.uri.as_str()).is_some() {
            self.notify::<lsp_types::notification::PublishDiagnostics>(PublishDiagnosticsParams {
                uri: p.text_document.uri,
                diagnostics: Vec::new(),
                version: None,
            });
        }
    }

    pub(super) fn did_change_configuration(&mut self, p: DidChangeConfigurationParams) {
        match ClientOptions::from_value(&p.settings) {
            Ok(Some(options)) => self.apply_options(options),
            Ok(None) => {}
            Err(msg) => self.show(lsp_types::MessageType::WARNING, msg),
        }
    }

    /// A config or ignore file changed: forget the loaded ones. A rule file in a rule
    /// folder in use changed: forget the rule sets. Either way every open document is
    /// re-linted and re-published.
    pub(super) fn did_change_watched_files(&mut self, p: DidChangeWatchedFilesParams) {
        let mut configs = false;
        let mut rules = false;
        for change in &p.changes {
            let Some(path) = convert::uri_to_path(change.uri.as_str()) else {
                continue;
            };
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if crate::config::CONFIG_FILE_NAMES.contains(&name)
                || name == crate::suppress::IGNORE_FILE_NAME
            {
                configs = true;
                continue;
            }
            let is_rule_file = path
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| matches!(e, "yaml" | "yml" | "tsv"));
            if is_rule_file
                && (self.project.rule_folders().any(|dir| path.starts_with(dir))
                    || self
                        .options
                        .extra_rule_folders
                        .iter()
                        .any(|dir| path.starts_with(dir)))
            {
                rules = true;
            }
        }
        if configs {
            self.project.forget_configs();
            // A config's `rules:` folders may have changed too.
            self.project.forget_rules();
        }
        if rules {
            self.project.forget_rules();
        }
        if configs || rules {
            self.mark_all_dirty();
        }
    }

    /// Lint and publish every document changed since its last publication.
    pub(super) fn publish_dirty(&mut self) {
        let dirty: Vec<String> = self
            .docs
            .iter()
            .filter(|(_, d)| d.dirty)
            .map(|(k, _)| k.clone())
            .collect();
        for key in dirty {
            let linted = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                self.lint_and_publish(&key);
            }));
            if linted.is_err() {
                // Not retried until the document changes again.
                if let Some(doc) = self.docs.get_mut(&key) {
                    doc.dirty = false;
                }
                let text = format!("gwlint: internal error while linting {key}");
                stderr_line!("{text}");
                self.log(lsp_types::MessageType::ERROR, text);
            }
        }
    }

    fn lint_and_publish(&mut self, key: &str) {
        if !self.docs.contains_key(key) {
            return;
        }
        let path = convert::uri_to_path(key);
        let resolved = self.project.resolve(
            path.as_deref(),
            &self.settings,
            &self.options.extra_rule_folders,
        );
        self.project.rule_set(&resolved.rule_dirs);
        self.show_problems();
        let (Some(doc), Some(rules)) = (
            self.docs.get_mut(key),
            self.project.built_rule_set(&resolved.rule_dirs),
        ) else {
            return;
        };
        let mut document = Document::from_text(convert::display_name(key), doc.text.clone());
        document.profile = resolved.profile;
        let ignore = resolved
            .ignore
            .as_ref()
            .map(|(file, entries)| (file.as_ref(), entries.as_slice()));
        doc.diagnostics = crate::app::workspace::lint(
            &document,
            rules,
            &resolved.settings,
            ignore,
            Some(&mut doc.memo),
        )
        .0;
        doc.rule_dirs = resolved.rule_dirs;
        doc.dirty = false;
        let doc: &OpenDoc = doc;
        let (encoding, hints) = (self.encoding, &self.hints);
        let lsp = |d| published(d, doc, encoding, hints);
        if self.raw_frames {
            let body = publish_text(doc, lsp);
            self.send(lsp_server::Message::Notification(
                lsp_server::Notification {
                    method: super::transport::RAW_FRAME_METHOD.to_owned(),
                    params: serde_json::Value::String(body),
                },
            ));
            return;
        }
        let diagnostics: Vec<PublishedDiagnostic<'_>> = doc.diagnostics.iter().map(lsp).collect();
        let mut params = serde_json::json!({
            "uri": doc.uri.as_str(),
            "diagnostics": diagnostics,
        });
        if let Some(version) = doc.version {
            params["version"] = version.into();
        }
        self.send(lsp_server::Message::Notification(
            lsp_server::Notification {
                method: <lsp_types::notification::PublishDiagnostics as lsp_types::notification::Notification>::METHOD.to_owned(),
                params,
            },
        ));
    }

    /// Make sure the stored diagnostics describe the current text (a request can arrive
    /// in the same burst as the change it refers to).
    pub(super) fn fresh(&mut self, key: &str) -> Option<&OpenDoc> {
        if self.docs.get(key).is_some_and(|d| d.dirty) {
            self.lint_and_publish(key);
        }
        self.docs.get(key)
    }

    pub(super) fn code_action(&mut self, p: CodeActionParams) -> Vec<CodeActionOrCommand> {
        let key = p.text_document.uri.as_str().to_owned();
        let encoding = self.encoding;
        let Some(doc) = self.fresh(&key) else {
            return Vec::new();
        };
        let wants = |kind: &str| {
            p.context.only.as_ref().is_none_or(|only| {
                only.iter()
                    .any(|k| kind == k.as_str() || kind.starts_with(&format!("{}.", k.as_str())))
            })
        };
        let mut actions = Vec::new();
        if wants(CodeActionKind::QUICKFIX.as_str()) {
            for d in &p.context.diagnostics {
                if d.source.as_deref() != Some("gwlint") {
                    continue;
                }
                let fix = d
                    .data
                    .as_ref()
                    .and_then(|v| FixData::deserialize(v).ok())
                    .or_else(|| stored_fix(doc, d, encoding));
                let accept = super::accept::action(&key, doc, d, encoding);
                let Some(fix) = fix else {
                    actions.extend(accept.map(CodeActionOrCommand::CodeAction));
                    continue;
                };
                let rule = match &d.code {
                    Some(NumberOrString::String(s)) => s.clone(),
                    _ => String::new(),
                };
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: format!("{} ({rule})", fix.message),
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![d.clone()]),
                    edit: Some(workspace_edit(&doc.uri, fix.edits)),
                    is_preferred: Some(fix.applicability == Applicability::Safe),
                    ..CodeAction::default()
                }));
                actions.extend(accept.map(CodeActionOrCommand::CodeAction));
            }
        }
        if wants(FIX_ALL_KIND) {
            let (fixed, count) = apply_fixes(&doc.text, &doc.diagnostics, FixMode::SafeOnly);
            if count > 0 {
                let (span, replacement) = convert::minimal_edit(&doc.text, &fixed);
                let edit = TextEdit {
                    range: doc.lines.range(&doc.text, &span, encoding),
                    new_text: replacement.to_owned(),
                };
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: format!("gwlint: 修复全部可安全修复的问题（{count} 处）"),
                    kind: Some(CodeActionKind::new(FIX_ALL_KIND)),
                    edit: Some(workspace_edit(&doc.uri, vec![edit])),
                    ..CodeAction::default()
                }));
            }
        }
        actions
    }

    pub(super) fn hover(&mut self, p: HoverParams) -> Option<Hover> {
        let key = p
            .text_document_position_params
            .text_document
            .uri
            .as_str()
            .to_owned();
        let encoding = self.encoding;
        self.fresh(&key)?;
        let doc = self.docs.get(&key)?;
        let offset = doc.lines.offset(
            &doc.text,
            p.text_document_position_params.position,
            encoding,
        );
        let hits: Vec<&crate::Diagnostic> = doc
            .diagnostics
            .iter()
            .filter(|d| {
                (d.span.start <= offset && offset < d.span.end)
                    || (d.span.is_empty() && d.span.start == offset)
            })
            .collect();
        let first = hits.first()?;
        let mut range = first.span.clone();
        let mut text = String::new();
        let mut shown: Vec<&str> = Vec::new();
        for d in &hits {
            range.start = range.start.max(d.span.start);
            range.end = range.end.min(d.span.end).max(range.start);
            if shown.contains(&d.rule.as_str()) {
                continue;
            }
            shown.push(&d.rule);
            let rule = self
                .project
                .built_rule_set(&doc.rule_dirs)
                .and_then(|set| set.get(&d.rule));
            if let Some(rule) = rule {
                if !text.is_empty() {
                    text.push_str("\n---\n\n");
                }
                text.push_str(&crate::explain::explain(&rule.meta));
            }
        }
        Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: text,
            }),
            range: Some(doc.lines.range(&doc.text, &range, encoding)),
        })
    }
}

/// Diagnostics serialised per task by [`publish_text`].
const PUBLISH_CHUNK: usize = 128;

/// The whole `textDocument/publishDiagnostics` message for `doc` as JSON text, each
/// diagnostic converted by `lsp` and serialised straight into it (the text costs a few
/// hundred bytes per finding).
fn publish_text<'d>(
    doc: &'d OpenDoc,
    lsp: impl Fn(&'d crate::Diagnostic) -> PublishedDiagnostic<'d> + Sync,
) -> String {
    let mut out = Vec::with_capacity(64 + 320 * doc.diagnostics.len());
    out.extend_from_slice(
        br#"{"jsonrpc":"2.0","method":"textDocument/publishDiagnostics","params":{"uri":"#,
    );
    let _ = serde_json::to_writer(&mut out, doc.uri.as_str());
    if let Some(version) = doc.version {
        out.extend_from_slice(format!(r#","version":{version}"#).as_bytes());
    }
    out.extend_from_slice(br#","diagnostics":["#);
    // the elements are serialised in chunks on the pool's threads (idle once the lint is
    // done): half the time of a long list on two cores
    let parts: Vec<Vec<u8>> = doc
        .diagnostics
        .par_chunks(PUBLISH_CHUNK)
        .enumerate()
        .map(|(k, chunk)| {
            let mut part = Vec::with_capacity(320 * chunk.len());
            for (i, d) in chunk.iter().enumerate() {
                if k > 0 || i > 0 {
                    part.push(b',');
                }
                let _ = serde_json::to_writer(&mut part, &lsp(d));
            }
            part
        })
        .collect();
    for part in &parts {
        out.extend_from_slice(part);
    }
    out.extend_from_slice(b"]}}");
    // serde_json writes UTF-8 only
    String::from_utf8(out).unwrap_or_default()
}

/// A finding in the shape of an LSP `Diagnostic` (the fields gwlint fills: `code` = rule
/// id, `source` = "gwlint", the fix in `data`), serialised as it is: no
/// `lsp_types::Diagnostic` and no JSON value tree per finding.
#[derive(Debug, Serialize)]
pub(super) struct PublishedDiagnostic<'a> {
    range: lsp_types::Range,
    severity: DiagnosticSeverity,
    code: &'a str,
    source: &'static str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    data: Option<FixData>,
}

/// The published form of `d` (a rule in `hints` is shown as a hint).
fn published<'a>(
    d: &'a crate::Diagnostic,
    doc: &OpenDoc,
    encoding: PositionEncoding,
    hints: &std::collections::BTreeSet<String>,
) -> PublishedDiagnostic<'a> {
    let severity = match d.severity {
        _ if hints.contains(d.rule.as_str()) => DiagnosticSeverity::HINT,
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    };
    PublishedDiagnostic {
        range: doc.lines.range(&doc.text, &d.span, encoding),
        severity,
        code: d.rule.as_str(),
        source: "gwlint",
        message: &d.message,
        data: fix_data(d, doc, encoding),
    }
}

/// What `Diagnostic.data` carries for `d`: its fix in LSP ranges of the linted text.
fn fix_data(d: &crate::Diagnostic, doc: &OpenDoc, encoding: PositionEncoding) -> Option<FixData> {
    d.fix.as_ref().map(|f| FixData {
        applicability: f.applicability,
        message: f.message.to_string(),
        edits: f
            .edits
            .iter()
            .map(|e| TextEdit {
                range: doc.lines.range(&doc.text, &e.range, encoding),
                new_text: e.replacement.to_string(),
            })
            .collect(),
    })
}

/// For clients that drop `data`: the fix of the published diagnostic with the same rule
/// and range (a lookup in what was published, not a re-lint).
fn stored_fix(
    doc: &OpenDoc,
    wanted: &lsp_types::Diagnostic,
    encoding: PositionEncoding,
) -> Option<FixData> {
    let code = match &wanted.code {
        Some(NumberOrString::String(s)) => s.as_str(),
        _ => return None,
    };
    doc.diagnostics
        .iter()
        .find(|d| {
            d.rule.as_str() == code && doc.lines.range(&doc.text, &d.span, encoding) == wanted.range
        })
        .and_then(|d| fix_data(d, doc, encoding))
}

fn workspace_edit(uri: &Uri, edits: Vec<TextEdit>) -> WorkspaceEdit {
    WorkspaceEdit::new(std::iter::once((uri.clone(), edits)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text written finding by finding (in parallel chunks) is the JSON of the whole
    /// message, elements in order, whatever the number of chunks.
    #[test]
    fn publish_text_is_the_message_in_order_for_any_number_of_findings() {
        let rules = crate::RuleSet::builtin().expect("built-in rules");
        let hints = std::collections::BTreeSet::new();
        for lines in [
            0,
            1,
            3,
            PUBLISH_CHUNK / 2,
            PUBLISH_CHUNK + 1,
            3 * PUBLISH_CHUNK,
        ] {
            let text: String = (0..lines)
                .map(|i| format!("第{i}项,落实“责任”\n"))
                .collect();
            let uri: Uri = "file:///tmp/draft.txt".parse().expect("uri");
            let mut doc = OpenDoc::new(uri, Some(7), text.clone());
            let document = Document::from_text("draft.txt", text);
            doc.diagnostics = crate::check(&document, &rules, &crate::Settings::default());
            assert!(doc.diagnostics.len() >= lines, "{lines} lines");
            let lsp = |d| published(d, &doc, PositionEncoding::Utf16, &hints);
            let body: serde_json::Value =
                serde_json::from_str(&publish_text(&doc, lsp)).expect("valid JSON");
            let each: Vec<serde_json::Value> = doc
                .diagnostics
                .iter()
                .map(|d| serde_json::to_value(lsp(d)).expect("a diagnostic"))
                .collect();
            let expected = serde_json::json!({
                "jsonrpc": "2.0",
                "method": "textDocument/publishDiagnostics",
                "params": {"uri": "file:///tmp/draft.txt", "version": 7, "diagnostics": each},
            });
            assert_eq!(body, expected, "{lines} lines");
        }
    }
}
