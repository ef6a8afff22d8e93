//! Accepting a finding from the editor: a code action whose command
//! (`workspace/executeCommand` [`ACCEPT_COMMAND`]) records the finding in the nearest
//! `.gwlint-ignore.yaml`, exactly the entry `gwlint check --add-ignore` writes for it (file,
//! rule, text, context hash), then re-lints the document so the finding goes away.

use super::convert::{self, PositionEncoding};
use super::{OpenDoc, Server};
use crate::document::Document;
use crate::suppress::{self, IgnoreFile};
use lsp_server::ErrorCode;
use lsp_types::{CodeAction, CodeActionKind, Command, NumberOrString};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// The command the accept action runs.
pub const ACCEPT_COMMAND: &str = "gwlint.acceptFinding";

/// Which finding to accept: the stored diagnostic with this rule and byte span (the
/// server's own coordinates: some clients send diagnostics back with converted ranges).
#[derive(Debug, Serialize, Deserialize)]
struct AcceptArgs {
    uri: String,
    rule: String,
    start: usize,
    end: usize,
}

/// The stored diagnostic a client's diagnostic stands for: the same rule and range, else
/// (a client that converted the range, like Neovim 0.7) the only one with the same rule,
/// message and line.
fn stored<'a>(
    doc: &'a OpenDoc,
    wanted: &lsp_types::Diagnostic,
    encoding: PositionEncoding,
) -> Option<&'a crate::Diagnostic> {
    let rule = match &wanted.code {
        Some(NumberOrString::String(s)) => s.as_str(),
        _ => return None,
    };
    let same = |d: &&crate::Diagnostic| d.rule.as_str() == rule;
    let ranged = |d: &crate::Diagnostic| doc.lines.range(&doc.text, &d.span, encoding);
    if let Some(d) = doc
        .diagnostics
        .iter()
        .filter(same)
        .find(|d| ranged(d) == wanted.range)
    {
        return Some(d);
    }
    let mut alike = doc.diagnostics.iter().filter(same).filter(|d| {
        *d.message == wanted.message && ranged(d).start.line == wanted.range.start.line
    });
    match (alike.next(), alike.next()) {
        (Some(d), None) => Some(d),
        _ => None,
    }
}

/// The accept action for a published gwlint diagnostic of a document saved as a file.
pub fn action(
    key: &str,
    doc: &OpenDoc,
    d: &lsp_types::Diagnostic,
    encoding: PositionEncoding,
) -> Option<CodeAction> {
    convert::uri_to_path(key)?;
    let finding = stored(doc, d, encoding)?;
    let rule = finding.rule.to_string();
    let title = format!("接受这个问题，不再提示（记入 .gwlint-ignore.yaml）（{rule}）");
    let args = AcceptArgs {
        uri: key.to_owned(),
        rule,
        start: finding.span.start,
        end: finding.span.end,
    };
    Some(CodeAction {
        title: title.clone(),
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![d.clone()]),
        command: Some(Command {
            title,
            command: ACCEPT_COMMAND.into(),
            arguments: Some(vec![serde_json::to_value(args).unwrap_or_default()]),
        }),
        ..CodeAction::default()
    })
}

impl Server {
    /// `workspace/executeCommand`: only [`ACCEPT_COMMAND`].
    pub(super) fn execute_command(
        &mut self,
        p: lsp_types::ExecuteCommandParams,
    ) -> Result<Value, (ErrorCode, String)> {
        if p.command != ACCEPT_COMMAND {
            return Err((
                ErrorCode::InvalidParams,
                format!("gwlint 没有「{}」这个命令", p.command),
            ));
        }
        let args = p
            .arguments
            .first()
            .and_then(|v| AcceptArgs::deserialize(v).ok())
            .ok_or((ErrorCode::InvalidParams, "缺少要接受的问题".to_owned()))?;
        let doc = self
            .fresh(&args.uri)
            .ok_or((ErrorCode::InvalidParams, format!("{} 没有打开", args.uri)))?;
        let path = convert::uri_to_path(&args.uri).ok_or((
            ErrorCode::InvalidParams,
            "未保存的文档不能接受问题".to_owned(),
        ))?;
        let finding = doc
            .diagnostics
            .iter()
            .find(|d| d.rule.as_str() == args.rule && d.span == (args.start..args.end))
            .ok_or((
                ErrorCode::ContentModified,
                "这个问题已经不在了（文档改动过），请重新检查".to_owned(),
            ))?;
        let written = record(&path, doc, finding).map_err(|m| (ErrorCode::InternalError, m))?;
        self.project.forget_configs();
        if let Some(doc) = self.docs.get_mut(&args.uri) {
            doc.dirty = true;
        }
        self.show(
            lsp_types::MessageType::INFO,
            format!("gwlint：已接受 {}，记入 {}", args.rule, written.display()),
        );
        Ok(Value::Null)
    }
}

/// Add the entry for `finding` to the `.gwlint-ignore.yaml` in effect for `path` (read
/// afresh from disk), or to a new one beside the config file in effect, else beside the
/// document. Returns the file written.
fn record(path: &Path, doc: &OpenDoc, finding: &crate::Diagnostic) -> Result<PathBuf, String> {
    let mut file = match IgnoreFile::discover(path) {
        Some(existing) => IgnoreFile::load(&existing).map_err(|e| e.to_string())?,
        None => IgnoreFile::new(&new_ignore_path(path)),
    };
    let document = Document::from_text(path.display().to_string(), doc.text.clone());
    let key = file.key_for(path);
    file.add([suppress::entry_for(&document, &key, finding)]);
    crate::load::write_new_atomic(&file.path, file.render().as_bytes()).map_err(|e| {
        format!(
            "{}：无法写入：{}",
            file.path.display(),
            crate::load::io_message(&e)
        )
    })?;
    Ok(file.path)
}

/// Where a new ignore file goes: beside the config file in effect, else in the
/// document's folder (as `--add-ignore` does for a file outside the current folder).
fn new_ignore_path(path: &Path) -> PathBuf {
    let folder = crate::config::absolute(path)
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let dir = crate::config::discover(&folder)
        .and_then(|c| c.parent().map(Path::to_path_buf))
        .unwrap_or(folder);
    dir.join(suppress::IGNORE_FILE_NAME)
}
