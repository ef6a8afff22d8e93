//! The command line (clap): `check`, `rules`, `explain`, `server` (→ [`crate::lsp::run`]),
//! `serve` (→ [`crate::serve::run`]).
//! Thin: it finds config and ignore
//! files ([`crate::config`], [`crate::suppress`]), loads files, calls [`crate::check`],
//! applies fixes ([`crate::fix`]) and hands the results to [`crate::render`].
//!
//! Exit codes: 0 nothing at or above `--fail-on`; 1 diagnostics; 2 usage, rule, config
//! or I/O error.

#![allow(clippy::print_stdout, clippy::print_stderr)]

mod annotate;
mod check;
mod help;

use check::check_command;
pub use check::Checked;

use crate::config::{self, Config};
use crate::diagnostic::{Category, Diagnostic, Severity};
use crate::document::{Document, Profile};
use crate::explain::{explain, explain_category, rules_table_text};
use crate::fix::{self, FixMode};
use crate::load::{self, Input, LoadProblem};
use crate::render::{self, Report};
use crate::rules::{RuleMeta, RuleSet, Settings};
use crate::source::TextEncoding;
use crate::suppress::{self, IgnoreFile};
use clap::{Parser, Subcommand, ValueEnum};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The Word workflow, shown by `gwlint --help` and `gwlint check --help`.
const ANNOTATE_HELP: &str = "Word/WPS 中审阅（批注与修订）:
  gwlint check --annotate 通知.docx                  写出 通知.gwlint.docx，每个问题一条批注（原文件不动）
  gwlint check --annotate --track-changes 通知.docx  安全修复同时作为修订（作者 gwlint）
  gwlint check --annotate --annotate-dir 审阅稿/ 文件夹/
检查后在 Word/WPS 中逐条查看批注、接受或拒绝修订。";

use crate::app::workspace::{load_rule_dirs, report_spec_error};
pub use crate::app::workspace::{load_rules, RuleSourceArgs};
pub use crate::app::{EXIT_CLEAN, EXIT_DIAGNOSTICS, EXIT_ERROR};

#[derive(Debug, Parser)]
#[command(
    name = "gwlint",
    version,
    about = "gwlint 公文草稿检查工具：广告残留、占位符、漏掉的 %、标点、错别字、日期和序号等",
    after_help = ANNOTATE_HELP
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// 检查草稿（文件；文件夹里的 .txt、.md、.docx；`-` 表示从标准输入读）
    #[command(after_help = ANNOTATE_HELP)]
    Check(CheckArgs),
    /// 列出全部规则：编号、类别、级别、能否自动修复、标题
    Rules(RulesArgs),
    /// 显示某条规则的说明，或某个类别的全部规则
    Explain {
        /// 规则编号（如 percent-sign-missing）或类别（如 punctuation）
        rule: String,
        #[command(flatten)]
        rules: RuleSourceArgs,
    },
    /// 显示 gwlint 从文件里识别出的结构（gwlint debug structure 文件）
    #[command(subcommand)]
    Debug(DebugCommand),
    /// 在标准输入输出上运行语言服务器（供编辑器使用）
    Server,
    /// 在本机（仅 127.0.0.1）打开一个网页，粘贴或拖入草稿即可检查
    Serve(crate::serve::ServeArgs),
}

#[derive(Debug, Subcommand)]
pub enum DebugCommand {
    /// 版头要素、所含文件、大纲层次和各日期的作用
    Structure {
        /// 要分析的文件（`-` 表示标准输入）
        path: PathBuf,
        /// 按这个编码读取，不自动识别
        #[arg(long, value_name = "ENCODING")]
        encoding: Option<String>,
    },
}

/// Output format of `gwlint check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// 逐条显示问题所在的原文片段并标出位置（默认）
    #[value(alias = "full")]
    Human,
    /// 每个问题一行：`文件:行:列: 级别[规则] 说明`
    Concise,
    /// 一个 JSON 数组（README 中约定的格式）
    Json,
    /// 每行一个 JSON 对象，字段同 json
    Jsonl,
    /// SARIF 2.1.0（GitHub 代码扫描）
    Sarif,
    /// GitHub Actions 工作流命令（`::error file=…`）
    Github,
    /// JUnit XML
    Junit,
}

/// `--color`: when the human and concise reports are coloured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// 输出到终端时着色（设置了 NO_COLOR 环境变量时不着色）
    Auto,
    /// 总是着色
    Always,
    /// 不着色
    Never,
}

impl ColorChoice {
    /// Whether to colour a report written to a terminal (`is_terminal`) or not, with the
    /// given `NO_COLOR` value.
    pub fn resolve(self, is_terminal: bool, no_color: Option<&std::ffi::OsStr>) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => is_terminal && no_color.is_none_or(|v| v.is_empty()),
        }
    }
}

/// Output format of `gwlint rules`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    /// 表格
    Human,
    /// JSON
    Json,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// 要检查的文件或文件夹；`-` 表示从标准输入读
    #[arg(value_name = "PATH", default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// 报告格式（--output-format 与之相同）
    #[arg(long, alias = "output-format", value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// 报告是否着色（auto：输出到终端时着色，设置了 NO_COLOR 时除外）
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// 把报告写进这个文件，不输出到终端
    #[arg(long, value_name = "FILE")]
    pub output_file: Option<PathBuf>,
    /// 只运行这些规则或类别（逗号分隔或重复使用），取代配置文件的 select
    #[arg(long, value_delimiter = ',', value_name = "RULE|CATEGORY")]
    pub select: Vec<String>,
    /// 不运行这些规则或类别，加在配置文件的 ignore 之上
    #[arg(long, value_delimiter = ',', value_name = "RULE|CATEGORY")]
    pub ignore: Vec<String>,
    /// 达到这个级别的问题才使退出码为 1
    #[arg(long, value_name = "SEVERITY", default_value = "info", value_parser = ["info", "warning", "error"])]
    pub fail_on: String,
    /// 按这个编码读取所有文件（utf-8、utf-8-bom、gbk/gb18030、utf-16le、utf-16be）
    #[arg(long, value_name = "ENCODING")]
    pub encoding: Option<String>,
    #[command(flatten)]
    pub rules: RuleSourceArgs,
    /// 不显示汇总行和跳过文件的提示
    #[arg(long, short)]
    pub quiet: bool,
    /// 应用安全修复，直接改写文件（编码、换行符和 BOM 不变；读标准输入时修复结果写到标准输出）
    #[arg(long)]
    pub fix: bool,
    /// 与 --fix 或 --diff 一起用：也应用需人工确认的修复（可能改变意思，请校对）
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// 显示 --fix 会做的修改（统一差异格式），不写文件；有修改时退出码为 1
    #[arg(long)]
    pub diff: bool,
    /// 使用这个配置文件，不再查找 gwlint.yaml / .gwlint.yaml
    #[arg(long, value_name = "FILE", conflicts_with = "isolated")]
    pub config: Option<PathBuf>,
    /// 不读任何配置文件和 .gwlint-ignore.yaml
    #[arg(long)]
    pub isolated: bool,
    /// 显示每个文件实际生效的设置，然后退出
    #[arg(long)]
    pub show_settings: bool,
    /// 把当前的问题记为“已接受”写进 .gwlint-ignore.yaml（同时删除过期记录）
    #[arg(long, conflicts_with_all = ["fix", "diff"])]
    pub add_ignore: bool,
    /// 只显示每条规则发现了多少处问题
    #[arg(long)]
    pub statistics: bool,
    /// 发现问题时退出码也为 0（出错时仍为 2）
    #[arg(long)]
    pub exit_zero: bool,
    /// 为每个 .docx 写出 名称.gwlint.docx，每个问题一条 Word 批注；原文件不动
    #[arg(long, conflicts_with_all = ["fix", "diff", "add_ignore", "show_settings"])]
    pub annotate: bool,
    /// 与 --annotate 一起用：批注副本写进这个文件夹（保留子文件夹结构）
    #[arg(long, value_name = "DIR", requires = "annotate")]
    pub annotate_dir: Option<PathBuf>,
    /// 与 --annotate 一起用：安全修复同时作为修订，可在 Word/WPS 中接受或拒绝
    #[arg(long, requires = "annotate")]
    pub track_changes: bool,
}

#[derive(Debug, clap::Args)]
pub struct RulesArgs {
    /// 列表格式
    #[arg(long, value_enum, default_value_t = ListFormat::Human)]
    pub format: ListFormat,
    #[command(flatten)]
    pub rules: RuleSourceArgs,
}

/// Parse arguments from the process and run. Returns the exit code.
pub fn run() -> i32 {
    let command = help::localized(<Cli as clap::CommandFactory>::command());
    let matches = match command.clone().try_get_matches() {
        Ok(m) => m,
        Err(e) => return report_usage_error(&e),
    };
    if let Some(("help", sub)) = matches.subcommand() {
        let path: Vec<String> = sub
            .get_many::<String>("command")
            .map(|v| v.cloned().collect())
            .unwrap_or_default();
        return match help::help_of(command, &path) {
            Ok(text) => {
                print_out(&text);
                EXIT_CLEAN
            }
            Err(message) => {
                stderr_line!("gwlint：错误：{message}");
                EXIT_ERROR
            }
        };
    }
    match <Cli as clap::FromArgMatches>::from_arg_matches(&matches) {
        Ok(cli) => run_command(cli.command),
        Err(e) => report_usage_error(&e),
    }
}

/// A usage error in Chinese (exit 2); help and version as clap prints them.
fn report_usage_error(e: &clap::Error) -> i32 {
    match help::error_message(e) {
        Some(text) => {
            eprint!("{text}");
            EXIT_ERROR
        }
        None => {
            let text = help::chinese_usage(&e.render().to_string());
            if e.use_stderr() {
                eprint!("{text}");
                EXIT_ERROR
            } else {
                print_out(&text);
                EXIT_CLEAN
            }
        }
    }
}

pub fn run_command(command: Command) -> i32 {
    match command {
        Command::Check(args) => check_command(&args),
        Command::Rules(args) => match load_rules(&args.rules) {
            Ok(rules) => {
                print_out(&rules_table(&rules, args.format));
                EXIT_CLEAN
            }
            Err(code) => code,
        },
        Command::Explain { rule, rules } => match load_rules(&rules) {
            Ok(set) => explain_command(&rule, &set),
            Err(code) => code,
        },
        Command::Debug(DebugCommand::Structure { path, encoding }) => {
            debug_structure(&path, encoding.as_deref())
        }
        Command::Server => crate::lsp::run(),
        Command::Serve(args) => crate::serve::run(&args),
    }
}

/// `gwlint explain NAME`: a rule's documentation, or the rules of a category.
fn explain_command(name: &str, set: &RuleSet) -> i32 {
    if let Some(r) = set.get(name) {
        print_out(&explain(&r.meta));
        return EXIT_CLEAN;
    }
    if let Some(category) = Category::from_name(name) {
        print_out(&explain_category(category, set));
        return EXIT_CLEAN;
    }
    let hint = set
        .closest_selector(name)
        .map_or(String::new(), |c| format!("是不是想用「{c}」？"));
    stderr_line!("gwlint：错误：没有「{name}」这条规则或这个类别。{hint}（见 gwlint rules）");
    EXIT_ERROR
}

fn debug_structure(path: &std::path::Path, encoding: Option<&str>) -> i32 {
    let forced = match encoding.map(|n| (n, TextEncoding::from_name(n))) {
        None => None,
        Some((_, Some(e))) => Some(e),
        Some((name, None)) => {
            stderr_line!("gwlint：错误：不认识的编码「{name}」（可用 utf-8、utf-8-bom、gbk、gb18030、utf-16le、utf-16be）");
            return EXIT_ERROR;
        }
    };
    let (inputs, problems) = load::collect_inputs(std::slice::from_ref(&path.to_path_buf()));
    for p in &problems {
        match p {
            LoadProblem::Error(m) | LoadProblem::Skipped(m) => {
                stderr_line!("gwlint：错误：{}", render::escape_controls(m))
            }
        }
    }
    if !problems.is_empty() || inputs.is_empty() {
        return EXIT_ERROR;
    }
    let mut code = EXIT_CLEAN;
    for input in &inputs {
        match load::load(input, forced) {
            Ok(doc) => print_out(&render::escape_controls(&format!(
                "# {}\n{}",
                doc.path,
                crate::document::debug::render(&doc)
            ))),
            Err(LoadProblem::Error(m) | LoadProblem::Skipped(m)) => {
                stderr_line!("gwlint：错误：{}", render::escape_controls(&m));
                code = EXIT_ERROR;
            }
        }
    }
    code
}

/// Built-in rules plus `--rules` folders; errors are printed, the exit code returned.
fn print_out(s: &str) {
    let mut out = std::io::stdout().lock();
    // A closed pipe (`gwlint rules | head`) is not an error worth reporting.
    let _ = out.write_all(s.as_bytes());
    let _ = out.flush();
}

fn rules_table(rules: &RuleSet, format: ListFormat) -> String {
    if format == ListFormat::Json {
        let v: Vec<serde_json::Value> = rules
            .rules()
            .iter()
            .map(|r| {
                serde_json::json!({
                    "id": r.meta.id, "category": r.meta.category.as_str(),
                    "severity": r.meta.severity.as_str(), "fixable": r.meta.fixable,
                    "title": r.meta.title,
                })
            })
            .collect();
        return serde_json::to_string_pretty(&v).unwrap_or_default() + "\n";
    }
    let metas: Vec<&RuleMeta> = rules.rules().iter().map(|r| &r.meta).collect();
    rules_table_text(&metas)
}
