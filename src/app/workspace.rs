//! The one answer to "what applies to this file" that touches the disk: rule folders
//! ([`RuleSet::load_dir`]), ignore files ([`IgnoreFile::load`], [`IgnoreFile::discover`]),
//! and the absolute paths they are keyed by. The engine's [`RuleSet`] and [`IgnoreFile`]
//! only parse text; reading it is done here, for the CLI, the server and the web page.

use crate::app::EXIT_ERROR;
use crate::diagnostic::Diagnostic;
use crate::document::Document;
use crate::render;
use crate::rules::spec::SpecError;
use crate::rules::Settings;
use crate::rules::{RuleSet, RuleSource};
use crate::suppress::{IgnoreFile, IGNORE_FILE_NAME};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

impl RuleSet {
    /// Add the rules of a folder on disk (`--rules DIR`, config `rules:`).
    pub fn load_dir(&mut self, dir: &Path) -> Result<(), SpecError> {
        let io_err = |path: &Path, e: std::io::Error| SpecError {
            path: path.display().to_string(),
            line: 1,
            column: 1,
            message: format!("无法读取规则文件夹：{e}"),
            source: String::new(),
        };
        let mut paths = Vec::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            let entries = std::fs::read_dir(&d).map_err(|e| io_err(&d, e))?;
            for entry in entries {
                let entry = entry.map_err(|e| io_err(&d, e))?;
                let path = entry.path();
                let ft = entry.file_type().map_err(|e| io_err(&path, e))?;
                if ft.is_dir() {
                    stack.push(path);
                } else if ft.is_file()
                    // a link to a rule file counts; links to folders are not followed
                    // (no loops), nor are links to pipes or devices
                    || (ft.is_symlink() && std::fs::metadata(&path).is_ok_and(|m| m.is_file()))
                {
                    paths.push(path);
                }
            }
        }
        paths.sort();
        let mut texts = Vec::new();
        for path in paths {
            let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
            if !matches!(ext, "yaml" | "yml" | "tsv") {
                continue;
            }
            let bytes = crate::load::read_settings_file(&path).map_err(|e| io_err(&path, e))?;
            let text = String::from_utf8(bytes).map_err(|_| SpecError {
                path: path.display().to_string(),
                line: 1,
                column: 1,
                message: "规则文件不是有效的 UTF-8 文本".into(),
                source: String::new(),
            })?;
            let relative = path
                .strip_prefix(dir)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            texts.push((path.display().to_string(), relative, text));
        }
        let sources: Vec<RuleSource<'_>> = texts
            .iter()
            .map(|(display, relative, text)| RuleSource {
                display: display.clone(),
                relative: relative.clone(),
                text,
                compile_on_first_use: false,
            })
            .collect();
        self.add_sources(&sources)
    }
}

impl IgnoreFile {
    /// An empty ignore file at `path` (not yet written).
    pub fn new(path: &Path) -> IgnoreFile {
        let abs = crate::config::absolute(path);
        IgnoreFile {
            dir: abs.parent().map(Path::to_path_buf).unwrap_or_default(),
            path: path.to_path_buf(),
            source: String::new(),
            entries: Vec::new(),
            by_file: OnceLock::new(),
            entry_lines: OnceLock::new(),
        }
    }

    /// The nearest ignore file for `path` (a file or folder), walking up.
    pub fn discover(path: &Path) -> Option<PathBuf> {
        crate::config::find_upwards(path, &[IGNORE_FILE_NAME])
    }

    pub fn load(path: &Path) -> Result<IgnoreFile, SpecError> {
        let display = path.display().to_string();
        let err = |message: String| SpecError {
            path: display.clone(),
            line: 1,
            column: 1,
            message,
            source: String::new(),
        };
        let bytes = crate::load::read_settings_file(path)
            .map_err(|e| err(format!("无法读取忽略文件：{}", crate::load::io_message(&e))))?;
        let source =
            String::from_utf8(bytes).map_err(|_| err("忽略文件不是有效的 UTF-8 文本".into()))?;
        let mut file = IgnoreFile::new(path);
        file.entries = IgnoreFile::parse(&display, &source)?;
        file.source = source;
        Ok(file)
    }

    /// The key of `file` in this ignore file: its path relative to [`IgnoreFile::dir`],
    /// with `/` separators (the path as given when it is outside that folder).
    pub fn key_for(&self, file: &Path) -> String {
        let abs = crate::config::absolute(file);
        let rel = abs.strip_prefix(&self.dir).unwrap_or(file);
        rel.to_string_lossy().replace('\\', "/")
    }
}

/// Lint `doc` with its suppressions (see [`crate::suppress::lint_with_suppressions`]), saying
/// on stderr which rules panicked. The CLI, the server and the web page all lint through
/// here; the server keeps a memo per document (see [`RuleSet::check_remembering`]).
pub fn lint(
    doc: &Document,
    rules: &RuleSet,
    settings: &Settings,
    ignore: Option<(&IgnoreFile, &[usize])>,
    memo: Option<&mut crate::rules::LineLocalMemo>,
) -> (Vec<Diagnostic>, BTreeSet<usize>) {
    let linted = crate::suppress::lint_with_suppressions(doc, rules, settings, ignore, memo);
    for rule in &linted.crashed {
        stderr_line!("{}", crate::rules::crash_notice(rule, &doc.path));
    }
    (linted.diagnostics, linted.used_entries)
}

#[derive(Debug, clap::Args)]
pub struct RuleSourceArgs {
    /// 另加一个规则文件夹（可多次使用），其中的规则与内置规则一起生效
    #[arg(long = "rules", value_name = "DIR")]
    pub rule_dirs: Vec<PathBuf>,
}

pub fn load_rules(args: &RuleSourceArgs) -> Result<RuleSet, i32> {
    load_rule_dirs(args.rule_dirs.iter().map(PathBuf::as_path))
}

pub fn report_spec_error(e: &SpecError) -> i32 {
    stderr_text!("{}", render::human::render_spec_error(e));
    EXIT_ERROR
}

/// Built-in rules plus the given folders; errors are printed, the exit code returned.
pub fn load_rule_dirs<'a>(dirs: impl IntoIterator<Item = &'a Path>) -> Result<RuleSet, i32> {
    let mut set = RuleSet::builtin().map_err(|e| report_spec_error(&e))?;
    for dir in dirs {
        set.load_dir(dir).map_err(|e| report_spec_error(&e))?;
    }
    Ok(set)
}
