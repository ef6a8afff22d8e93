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
mod help;

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

/// The rules and config that apply to a group of files (one per config file in effect).
struct Context {
    config: Option<Config>,
    rules: RuleSet,
}

impl Context {
    /// Config settings for `input`, then the command line: `--select` replaces the
    /// config's `select` and `ignore` (per-file ignores still apply), `--ignore` adds.
    fn settings_for(&self, input: &Input, args: &CheckArgs) -> Settings {
        let path = match input {
            Input::File(p) => p.as_path(),
            Input::Stdin => Path::new("-"),
        };
        crate::config::settings_with_overrides(
            self.config.as_ref(),
            path,
            &args.select,
            &args.ignore,
        )
    }

    fn profile(&self) -> Profile {
        self.config
            .as_ref()
            .and_then(|c| c.file.profile)
            .unwrap_or_default()
    }
}

/// Load a config (if any) and the rule set it implies; errors are printed.
fn build_context(config_path: Option<&Path>, args: &CheckArgs) -> Result<Context, i32> {
    let config = match config_path {
        None => None,
        Some(p) => Some(Config::load(p).map_err(|e| report_spec_error(&e))?),
    };
    let dirs: Vec<&Path> = config
        .iter()
        .flat_map(|c| c.rule_dirs.iter().map(PathBuf::as_path))
        .chain(args.rules.rule_dirs.iter().map(PathBuf::as_path))
        .collect();
    let rules = load_rule_dirs(dirs)?;
    if let Some(c) = &config {
        c.validate(&rules).map_err(|e| report_spec_error(&e))?;
    }
    let cli = Settings {
        select: args.select.clone(),
        ignore: args.ignore.clone(),
        ..Settings::default()
    };
    let unknown = cli.unknown_selectors(&rules);
    if !unknown.is_empty() {
        stderr_line!(
            "gwlint：错误：没有这些规则或类别：{}（见 gwlint rules；类别有 {}）",
            rules.describe_unknown(&unknown),
            Category::ALL.map(|c| c.as_str()).join("、")
        );
        return Err(EXIT_ERROR);
    }
    Ok(Context { config, rules })
}

/// The folder a config or ignore file is looked for from.
fn search_start(input: &Input) -> PathBuf {
    match input {
        Input::File(p) => p.clone(),
        Input::Stdin => PathBuf::from("."),
    }
}

/// The result of checking one input.
pub struct Checked {
    /// Position of the input in the command line's expanded list.
    pub index: usize,
    pub input: Input,
    /// The document as it is now (after fixing, when fixes were applied).
    pub doc: Document,
    pub diagnostics: Vec<Diagnostic>,
    /// The text before fixing, when `--fix` / `--diff` changed it.
    pub original: Option<String>,
    /// Where the fixed text differs from `original`.
    pub changes: Vec<fix::Change>,
    /// What the file looked like when read; what stdin held (see [`load::Loaded`]).
    pub snapshot: Option<load::FileSnapshot>,
    pub stdin_bytes: Option<Vec<u8>>,
    /// How the input was read, when the user should know (see [`load::Decoding`]).
    pub notice: Option<String>,
    /// Fixes applied, per rule.
    pub fixed: BTreeMap<String, usize>,
    /// Entries of the file's ignore file that matched a diagnostic.
    pub used_entries: BTreeSet<usize>,
    pub settings: Settings,
    /// Why `--fix` left this input alone although it had fixes (a `.docx`); the
    /// diagnostics are then those of the unfixed text.
    pub refused: Option<String>,
}

impl Checked {
    fn fixes(&self) -> usize {
        self.fixed.values().sum()
    }
}

/// One input with everything needed to check it.
struct Job<'a> {
    index: usize,
    input: &'a Input,
    ctx: &'a Context,
    settings: Settings,
    decoding: load::Decoding,
    ignore: Option<(&'a IgnoreFile, Vec<usize>)>,
}

impl Job<'_> {
    /// Lint with suppressions applied: what the user sees and what --fix fixes.
    fn lint(&self, doc: &Document) -> (Vec<Diagnostic>, BTreeSet<usize>) {
        crate::app::workspace::lint(
            doc,
            &self.ctx.rules,
            &self.settings,
            self.ignore.as_ref().map(|(f, e)| (*f, e.as_slice())),
        )
    }

    /// `writes`: the fixed text would be written back (`--fix`, not `--diff`).
    fn run(&self, fix_mode: Option<FixMode>, writes: bool) -> Result<Checked, LoadProblem> {
        let loaded = load::load_input(self.input, self.decoding)?;
        let mut doc = loaded.doc;
        doc.profile = self.ctx.profile();
        let mut original = None;
        let mut changes = Vec::new();
        let mut fixed = BTreeMap::new();
        let mut refused = None;
        if let Some(mode) = fix_mode {
            let remake = |text: &str| {
                let mut d = Document::new(doc.path.clone(), text.to_owned(), doc.encoding);
                d.profile = doc.profile;
                d
            };
            let outcome = fix::fix_until_stable(&doc.text, mode, |text| self.lint(&remake(text)).0)
                .map_err(|e| LoadProblem::Error(format!("{}：{e}", doc.path)))?;
            if outcome.text != doc.text && writes && load::fix_refusal(self.input).is_some() {
                refused = load::fix_refusal(self.input);
            } else if outcome.text != doc.text {
                let next = remake(&outcome.text);
                original = Some(std::mem::replace(&mut doc, next).text);
                fixed = outcome.per_rule;
                changes = outcome.changes;
            }
        }
        let (diagnostics, used_entries) = self.lint(&doc);
        Ok(Checked {
            index: self.index,
            input: self.input.clone(),
            doc,
            diagnostics,
            original,
            changes,
            snapshot: loaded.snapshot,
            stdin_bytes: loaded.stdin_bytes,
            notice: loaded.notice,
            fixed,
            used_entries,
            settings: self.settings.clone(),
            refused,
        })
    }
}

fn check_command(args: &CheckArgs) -> i32 {
    let cli_encoding = match args
        .encoding
        .as_deref()
        .map(|n| (n, TextEncoding::from_name(n)))
    {
        None => None,
        Some((_, Some(e))) => Some(e),
        Some((name, None)) => {
            stderr_line!("gwlint：错误：不认识的编码「{name}」（可用 utf-8、utf-8-bom、gbk、gb18030、utf-16le、utf-16be）");
            return EXIT_ERROR;
        }
    };
    if args.statistics
        && !matches!(
            args.format,
            Format::Human | Format::Concise | Format::Json | Format::Jsonl
        )
    {
        let name = args
            .format
            .to_possible_value()
            .map_or(String::new(), |v| v.get_name().to_owned());
        stderr_line!(
            "gwlint：错误：--statistics 只能与 --format human、concise、json 或 jsonl 一起用，不能与 {name} 一起用"
        );
        return EXIT_ERROR;
    }
    let (inputs, mut problems) = load::collect_inputs(&args.paths);

    // The config in effect for each input, each config loaded once.
    let mut contexts: Vec<Context> = Vec::new();
    let mut context_of_path: HashMap<Option<PathBuf>, usize> = HashMap::new();
    let mut input_context: Vec<usize> = Vec::new();
    // Discovery walks up from each file's folder; folders repeat, so remember the answers.
    let mut found_in: HashMap<(PathBuf, bool), Option<PathBuf>> = HashMap::new();
    let mut discover_cached = |input: &Input, ignore_file: bool| -> Option<PathBuf> {
        let start = search_start(input);
        let dir = start
            .parent()
            .filter(|_| !start.is_dir())
            .map_or_else(|| start.clone(), Path::to_path_buf);
        found_in
            .entry((dir, ignore_file))
            .or_insert_with(|| {
                if ignore_file {
                    IgnoreFile::discover(&start)
                } else {
                    config::discover(&start)
                }
            })
            .clone()
    };
    let mut config_for = |input: &Input| -> Option<PathBuf> {
        if args.isolated {
            None
        } else if let Some(c) = &args.config {
            Some(c.clone())
        } else {
            discover_cached(input, false)
        }
    };
    if inputs.is_empty() {
        // still load the config so that its errors are reported
        let path = config_for(&Input::Stdin).filter(|_| args.config.is_some());
        if let Err(code) = build_context(path.as_deref(), args) {
            return code;
        }
    }
    for input in &inputs {
        let path = config_for(input);
        let index = match context_of_path.get(&path) {
            Some(&i) => i,
            None => match build_context(path.as_deref(), args) {
                Ok(ctx) => {
                    contexts.push(ctx);
                    context_of_path.insert(path, contexts.len() - 1);
                    contexts.len() - 1
                }
                Err(code) => return code,
            },
        };
        input_context.push(index);
    }

    // The ignore file in effect for each input.
    let mut ignore_files: Vec<IgnoreFile> = Vec::new();
    let mut ignore_of_path: HashMap<PathBuf, usize> = HashMap::new();
    let mut input_ignore: Vec<Option<usize>> = Vec::new();
    for input in &inputs {
        let found = match input {
            Input::File(_) if !args.isolated => discover_cached(input, true),
            _ => None,
        };
        let index = match found {
            None => None,
            Some(path) => match ignore_of_path.get(&path) {
                Some(&i) => Some(i),
                None => match IgnoreFile::load(&path) {
                    Ok(f) => {
                        ignore_files.push(f);
                        ignore_of_path.insert(path, ignore_files.len() - 1);
                        Some(ignore_files.len() - 1)
                    }
                    Err(e) => return report_spec_error(&e),
                },
            },
        };
        input_ignore.push(index);
    }

    let jobs: Vec<Job<'_>> = inputs
        .iter()
        .enumerate()
        .map(|(i, input)| {
            let ctx = &contexts[input_context[i]];
            let ignore = input_ignore[i].map(|f| {
                let file = &ignore_files[f];
                let entries = match input {
                    Input::File(p) => file.entries_for(&file.key_for(p)),
                    Input::Stdin => Vec::new(),
                };
                (file, entries)
            });
            Job {
                index: i,
                input,
                ctx,
                settings: ctx.settings_for(input, args),
                decoding: load::Decoding {
                    forced: cli_encoding,
                    fallback: ctx.config.as_ref().and_then(|c| c.encoding),
                },
                ignore,
            }
        })
        .collect();

    if args.show_settings {
        let mut s = String::new();
        for (i, job) in jobs.iter().enumerate() {
            s.push_str(&describe_settings(
                job,
                input_ignore[i].map(|f| &ignore_files[f]),
                args,
            ));
        }
        print_out(&s);
        return EXIT_CLEAN;
    }

    // Opened before anything is fixed, so that a report that cannot be written stops
    // gwlint before it changes a file.
    let output_file = match &args.output_file {
        None => None,
        Some(path) => match std::fs::File::create(path) {
            Ok(f) => Some(f),
            Err(e) => {
                stderr_line!(
                    "gwlint：错误：{}：无法写入报告：{}",
                    path.display(),
                    load::io_message(&e)
                );
                return EXIT_ERROR;
            }
        },
    };
    if args.unsafe_fixes && !(args.fix || args.diff) && !args.quiet {
        stderr_line!("gwlint：提示：--unsafe-fixes 要与 --fix 或 --diff 一起用才起作用");
    }
    let fix_mode = (args.fix || args.diff).then_some(if args.unsafe_fixes {
        FixMode::SafeAndUnsafe
    } else {
        FixMode::SafeOnly
    });
    let results: Vec<Result<Checked, LoadProblem>> = jobs
        .par_iter()
        .map(|job| job.run(fix_mode, args.fix && !args.diff))
        .collect();
    let mut checked = Vec::new();
    for (r, job) in results.into_iter().zip(&jobs) {
        match r {
            Ok(c) => {
                problems.extend(c.notice.clone().map(LoadProblem::Skipped));
                checked.push(c);
            }
            Err(p) if args.annotate => problems.push(annotate::escalate(job.input, p)),
            Err(p) => problems.push(p),
        }
    }
    if args.annotate {
        annotate::write_annotated(&checked, args, &mut problems);
    }

    // Write fixes (or print diffs); with stdin the fixed text goes to stdout.
    let stdin_fix = args.fix && !args.diff && checked.iter().any(|c| c.input == Input::Stdin);
    let mut diffs = String::new();
    let mut unwritten = Vec::new();
    for (k, c) in checked.iter().enumerate() {
        if args.diff {
            if let Some(old) = &c.original {
                diffs.push_str(&fix::unified_diff(
                    &c.doc.path,
                    old,
                    &c.doc.text,
                    &c.changes,
                ));
            }
            continue;
        }
        if !args.fix {
            continue;
        }
        if let Some(why) = &c.refused {
            problems.push(LoadProblem::Error(why.clone()));
            continue;
        }
        let written = match &c.input {
            Input::Stdin => fixed_stdin_bytes(c).map(|b| print_bytes(&b)),
            Input::File(path) => match (&c.original, &c.snapshot) {
                (Some(original), Some(snapshot)) => load::write_fixed(
                    path,
                    snapshot,
                    original,
                    &c.doc.text,
                    c.doc.encoding,
                    &c.changes,
                )
                .map_err(|e| e.to_string()),
                _ => Ok(()),
            },
        };
        if let Err(why) = written {
            problems.push(LoadProblem::Error(format!(
                "{}：{why}，未写入任何内容",
                c.doc.path
            )));
            unwritten.push(k);
        }
    }
    // A file that could not be written is reported as it is on disk, unfixed.
    for k in unwritten {
        if let Ok(c) = jobs[checked[k].index].run(None, false) {
            checked[k] = c;
        }
    }

    let mut had_error = false;
    let errors = problems
        .iter()
        .filter(|p| matches!(p, LoadProblem::Error(_)))
        .count();
    for p in &problems {
        match p {
            LoadProblem::Error(m) => {
                had_error = true;
                stderr_line!("gwlint：错误：{}", render::escape_controls(m));
            }
            LoadProblem::Skipped(m) => {
                if !args.quiet {
                    stderr_line!("gwlint：提示：{}", render::escape_controls(m));
                }
            }
        }
    }

    if args.add_ignore {
        return match add_ignores(
            &checked,
            &contexts,
            &input_context,
            &mut ignore_files,
            &input_ignore,
            args.quiet,
        ) {
            Ok(()) if had_error => EXIT_ERROR,
            Ok(()) => EXIT_CLEAN,
            Err(code) => code,
        };
    }
    if !args.quiet {
        report_stale(
            &checked,
            &contexts,
            &input_context,
            &ignore_files,
            &input_ignore,
        );
    }

    if args.diff {
        print_out(&diffs);
        return if had_error {
            EXIT_ERROR
        } else if diffs.is_empty() || args.exit_zero {
            EXIT_CLEAN
        } else {
            EXIT_DIAGNOSTICS
        };
    }

    let reports: Vec<Report<'_>> = checked
        .iter()
        .map(|c| Report {
            doc: &c.doc,
            diagnostics: &c.diagnostics,
        })
        .collect();
    // The report goes to --output-file, else stdout (stderr when stdin's fixed text took
    // stdout). JSON and human reports are written as they are rendered, so a file with a
    // million findings is never held as one report string (see tests/bench/memory.rs).
    let (mut sink, is_terminal): (Box<dyn Write>, bool) = match output_file {
        Some(file) => (Box::new(std::io::BufWriter::new(file)), false),
        None if stdin_fix => {
            let err = std::io::stderr();
            let tty = std::io::IsTerminal::is_terminal(&err);
            (Box::new(err.lock()), tty)
        }
        None => {
            let out = std::io::stdout();
            let tty = std::io::IsTerminal::is_terminal(&out);
            (Box::new(out.lock()), tty)
        }
    };
    let human = render::human::HumanOptions {
        color: args
            .color
            .resolve(is_terminal, std::env::var_os("NO_COLOR").as_deref()),
    };
    // A closed pipe (`gwlint check | head`) is not an error worth reporting.
    let written = if args.statistics {
        let out = match args.format {
            Format::Json => render::statistics::render_json(&reports),
            Format::Jsonl => render::statistics::render_jsonl(&reports),
            _ => render::statistics::render_table(&reports),
        };
        sink.write_all(out.as_bytes())
    } else {
        match args.format {
            Format::Json => render::json::write(&reports, &mut sink),
            Format::Jsonl => render::jsonl::write(&reports, &mut sink),
            Format::Github => render::github::write(&reports, &mut sink),
            Format::Junit => render::junit::write(&reports, &mut sink),
            Format::Human | Format::Concise => {
                write_human_report(&checked, &reports, args, human, errors, &mut sink)
            }
            Format::Sarif => {
                let mut metas: BTreeMap<&str, &RuleMeta> = BTreeMap::new();
                for ctx in &contexts {
                    for r in ctx.rules.rules() {
                        metas.entry(r.meta.id.as_str()).or_insert(&r.meta);
                    }
                }
                let metas: Vec<&RuleMeta> = metas.into_values().collect();
                render::sarif::write(&reports, &metas, &mut sink)
            }
        }
    };
    let written = written.and_then(|()| sink.flush());
    drop(sink);
    if let (Err(e), Some(path)) = (written, &args.output_file) {
        stderr_line!(
            "gwlint：错误：{}：无法写入报告：{}",
            path.display(),
            load::io_message(&e)
        );
        return EXIT_ERROR;
    }
    if had_error {
        return EXIT_ERROR;
    }
    let threshold = Severity::from_name(&args.fail_on).unwrap_or(Severity::Info);
    let failing = checked
        .iter()
        .flat_map(|c| &c.diagnostics)
        .any(|d| d.severity >= threshold);
    if failing && !args.exit_zero {
        EXIT_DIAGNOSTICS
    } else {
        EXIT_CLEAN
    }
}

fn write_human_report(
    checked: &[Checked],
    reports: &[Report<'_>],
    args: &CheckArgs,
    options: render::human::HumanOptions,
    errors: usize,
    w: &mut dyn Write,
) -> std::io::Result<()> {
    for r in reports {
        if args.format == Format::Concise {
            render::human::render_concise_each(r, options, |s| w.write_all(s.as_bytes()))?;
        } else {
            render::human::render_each(r, options, |s| w.write_all(s.as_bytes()))?;
        }
    }
    // Nothing checked because of errors (a missing file): the errors said it all; never
    // 「未发现问题」.
    if args.quiet || (checked.is_empty() && errors > 0) {
        return Ok(());
    }
    let mut s = String::new();
    let fixed: usize = checked.iter().map(Checked::fixes).sum();
    if fixed > 0 {
        let files = checked.iter().filter(|c| c.fixes() > 0).count();
        s.push_str(&format!(
            "已自动修复 {fixed} 处问题，涉及 {files} 个文件。\n"
        ));
    }
    let total: usize = checked.iter().map(|c| c.diagnostics.len()).sum();
    let fixable = |kind: crate::Applicability| {
        checked
            .iter()
            .flat_map(|c| &c.diagnostics)
            .filter(|d| d.fix.as_ref().is_some_and(|f| f.applicability == kind))
            .count()
    };
    let files = checked.iter().filter(|c| !c.diagnostics.is_empty()).count();
    s.push_str(&render::human::summary(
        total,
        if total == 0 { checked.len() } else { files },
        fixable(crate::Applicability::Safe),
        fixable(crate::Applicability::Unsafe),
    ));
    if errors > 0 {
        s.push_str(&format!(
            "另有 {errors} 处出错，未能检查（见上方的错误）。\n"
        ));
    }
    w.write_all(s.as_bytes())
}

/// `--show-settings`: what applies to one file, as YAML-like text.
fn describe_settings(job: &Job<'_>, ignore: Option<&IgnoreFile>, args: &CheckArgs) -> String {
    let ctx = job.ctx;
    let list = |v: &[String]| format!("[{}]", v.join(", "));
    let config = match &ctx.config {
        Some(c) => c.path.display().to_string(),
        None if args.isolated => "none (--isolated)".into(),
        None => "none (defaults)".into(),
    };
    let encoding = match job.decoding {
        load::Decoding {
            forced: Some(e), ..
        } => e.name().to_string(),
        load::Decoding {
            fallback: Some(e), ..
        } => format!("{} (config; valid UTF-8 is read as UTF-8)", e.name()),
        _ => "detect".to_string(),
    };
    let rule_dirs: Vec<String> = ctx
        .config
        .iter()
        .flat_map(|c| c.rule_dirs.iter())
        .chain(args.rules.rule_dirs.iter())
        .map(|p| p.display().to_string())
        .collect();
    let per_file: Vec<String> = match (&ctx.config, job.input) {
        (Some(c), Input::File(p)) => c
            .matching_ignores(p)
            .iter()
            .map(|m| format!("{} → {}", m.pattern, m.rules.join(", ")))
            .collect(),
        _ => Vec::new(),
    };
    let severity: Vec<String> = job
        .settings
        .severity
        .iter()
        .map(|(k, v)| format!("{k}: {v}"))
        .collect();
    let enabled: Vec<String> = ctx
        .rules
        .rules()
        .iter()
        .filter(|r| job.settings.is_enabled(&r.meta))
        .map(|r| format!("{} ({})", r.meta.id, job.settings.severity_of(&r.meta)))
        .collect();
    let mut s = format!("file: {}\n", job.input.display());
    s.push_str(&format!("config: {config}\n"));
    s.push_str(&format!(
        "ignore_file: {}\n",
        ignore.map_or("none".to_string(), |f| f.path.display().to_string())
    ));
    s.push_str(&format!("profile: {}\n", ctx.profile().as_str()));
    s.push_str(&format!("encoding: {encoding}\n"));
    s.push_str(&format!(
        "select: {}\n",
        if job.settings.select.is_empty() {
            "[all]".to_string()
        } else {
            list(&job.settings.select)
        }
    ));
    s.push_str(&format!("ignore: {}\n", list(&job.settings.ignore)));
    s.push_str(&format!("per_file_ignores_matched: {}\n", list(&per_file)));
    s.push_str(&format!("severity: {{{}}}\n", severity.join(", ")));
    s.push_str(&format!("rules: {}\n", list(&rule_dirs)));
    s.push_str(&format!("enabled_rules: # {}\n", enabled.len()));
    for r in enabled {
        s.push_str(&format!("  - {r}\n"));
    }
    s.push('\n');
    s
}

/// Per ignore file (index into `ignore_files`), the entries that no longer match: for a
/// checked file whose rule ran and found nothing with that hash, or for a file that no
/// longer exists.
fn stale_entries(
    checked: &[Checked],
    contexts: &[Context],
    input_context: &[usize],
    ignore_files: &[IgnoreFile],
    input_ignore: &[Option<usize>],
) -> BTreeMap<usize, BTreeSet<usize>> {
    let mut stale: BTreeMap<usize, BTreeSet<usize>> = BTreeMap::new();
    for c in checked {
        let (Input::File(path), Some(f)) = (&c.input, input_ignore[c.index]) else {
            continue;
        };
        let file = &ignore_files[f];
        let rules = &contexts[input_context[c.index]].rules;
        for e in file.entries_for(&file.key_for(path)) {
            let entry = &file.entries[e];
            let ran = rules
                .get(&entry.rule)
                .is_none_or(|r| c.settings.is_enabled(&r.meta));
            if ran && !c.used_entries.contains(&e) {
                stale.entry(f).or_default().insert(e);
            }
        }
    }
    for (f, file) in ignore_files.iter().enumerate() {
        // one look at the disk per file named, not per entry
        let mut exists: HashMap<&str, bool> = HashMap::new();
        for (e, entry) in file.entries.iter().enumerate() {
            if !*exists
                .entry(&entry.file)
                .or_insert_with(|| file.dir.join(&entry.file).exists())
            {
                stale.entry(f).or_default().insert(e);
            }
        }
    }
    stale
}

/// Where `--add-ignore` records the findings of `path` when no ignore file exists yet:
/// beside the config file in effect; else the current folder if it contains the file;
/// else the file's own folder.
fn new_ignore_path(path: &Path, ctx: &Context) -> PathBuf {
    if let Some(c) = &ctx.config {
        return c.dir.join(suppress::IGNORE_FILE_NAME);
    }
    let abs = config::absolute(path);
    if let Ok(cwd) = std::env::current_dir() {
        if abs.starts_with(&cwd) {
            return PathBuf::from(suppress::IGNORE_FILE_NAME);
        }
    }
    abs.parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
        .join(suppress::IGNORE_FILE_NAME)
}

/// `--add-ignore`: stale entries are dropped, and every remaining diagnostic of the checked
/// files gets an entry; entries of other files stay.
fn add_ignores(
    checked: &[Checked],
    contexts: &[Context],
    input_context: &[usize],
    ignore_files: &mut Vec<IgnoreFile>,
    input_ignore: &[Option<usize>],
    quiet: bool,
) -> Result<(), i32> {
    // ignore file index → (added, removed)
    let mut touched: BTreeMap<usize, (usize, usize)> = BTreeMap::new();
    let stale = stale_entries(checked, contexts, input_context, ignore_files, input_ignore);
    for (&f, indices) in &stale {
        ignore_files[f].remove(indices);
        touched.entry(f).or_default().1 += indices.len();
    }
    let mut new_files: HashMap<PathBuf, usize> = HashMap::new();
    for c in checked {
        let Input::File(path) = &c.input else {
            stderr_line!("gwlint：提示：-：标准输入没有文件名，它的问题不做记录");
            continue;
        };
        let index = match input_ignore[c.index] {
            Some(f) => f,
            None => {
                let target = new_ignore_path(path, &contexts[input_context[c.index]]);
                *new_files.entry(target.clone()).or_insert_with(|| {
                    ignore_files.push(IgnoreFile::new(&target));
                    ignore_files.len() - 1
                })
            }
        };
        let file = &mut ignore_files[index];
        let key = file.key_for(path);
        let added = file.add(
            c.diagnostics
                .iter()
                .map(|d| suppress::entry_for(&c.doc, &key, d)),
        );
        touched.entry(index).or_default().0 += added;
    }
    for (index, (added, removed)) in touched {
        let file = &ignore_files[index];
        if added == 0 && removed == 0 {
            continue;
        }
        let text = file.render();
        // what later runs could not read back is not written
        if text.len() as u64 > load::MAX_SETTINGS_FILE_BYTES {
            stderr_line!(
                "gwlint：错误：{}：忽略文件将有 {} MiB，超过 gwlint 读取的上限 {} MiB，未写入任何内容（请少接受一些问题，例如用 --select）",
                render::escape_controls(&file.path.display().to_string()),
                text.len() >> 20,
                load::MAX_SETTINGS_FILE_BYTES >> 20
            );
            return Err(EXIT_ERROR);
        }
        if let Err(e) = load::write_new_atomic(&file.path, text.as_bytes()) {
            stderr_line!(
                "gwlint：错误：{}：无法写入：{}",
                file.path.display(),
                load::io_message(&e)
            );
            return Err(EXIT_ERROR);
        }
        if !quiet {
            stderr_line!(
                "gwlint：{}：记录了 {added} 条已接受的问题，移除了 {removed} 条过期记录。",
                file.path.display()
            );
        }
    }
    Ok(())
}

/// Warn about ignore-file entries that no longer match.
fn report_stale(
    checked: &[Checked],
    contexts: &[Context],
    input_context: &[usize],
    ignore_files: &[IgnoreFile],
    input_ignore: &[Option<usize>],
) {
    let stale = stale_entries(checked, contexts, input_context, ignore_files, input_ignore);
    for (f, indices) in stale {
        let file = &ignore_files[f];
        for e in indices {
            let entry = &file.entries[e];
            stderr_line!(
                "gwlint：警告：{}:{}：过期的忽略记录：{} [{}]「{}」已经对不上任何问题，请删除它，或重新运行 --add-ignore",
                file.path.display(),
                file.line_of(e),
                entry.file,
                entry.rule,
                entry.text
            );
        }
    }
}

/// The bytes of a fixed stdin text, in its encoding, the input's bytes kept outside the
/// fixes (see [`crate::source::splice`]).
fn fixed_stdin_bytes(c: &Checked) -> Result<Vec<u8>, String> {
    let (original, bytes) = match (&c.original, &c.stdin_bytes) {
        (Some(original), Some(bytes)) => (original, bytes),
        (None, Some(bytes)) => return Ok(bytes.clone()),
        _ => {
            return c
                .doc
                .encoding
                .encode(&c.doc.text)
                .ok_or_else(|| format!("修复后的文本无法用 {} 编码保存", c.doc.encoding))
        }
    };
    let pairs: Vec<_> = c
        .changes
        .iter()
        .map(|ch| (ch.original.clone(), ch.fixed.clone()))
        .collect();
    crate::source::splice(bytes, original, &c.doc.text, c.doc.encoding, &pairs)
        .map_err(|e| e.to_string())
}

fn print_bytes(bytes: &[u8]) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(bytes);
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
