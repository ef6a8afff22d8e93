//! The command line (clap): `check`, `rules`, `explain`. Thin: it loads files, calls
//! [`crate::check`], and hands the results to [`crate::render`].
//!
//! Exit codes: 0 nothing at or above `--fail-on`; 1 diagnostics; 2 usage, rule, config
//! or I/O error.

#![allow(clippy::print_stdout, clippy::print_stderr)]

use crate::diagnostic::{Category, Diagnostic, Severity};
use crate::document::Document;
use crate::load::{self, Input, LoadProblem};
use crate::render::{self, Report};
use crate::rules::{RuleSet, Settings};
use crate::source::TextEncoding;
use clap::{Parser, Subcommand, ValueEnum};
use rayon::prelude::*;
use std::io::Write;
use std::path::PathBuf;

pub const EXIT_CLEAN: i32 = 0;
pub const EXIT_DIAGNOSTICS: i32 = 1;
pub const EXIT_ERROR: i32 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "gwlint",
    version,
    about = "公文草稿检查工具 — a linter for Chinese official-document drafts"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check drafts (files, folders walked for .txt/.md, or `-` for stdin).
    Check(CheckArgs),
    /// List the rules: id, category, severity, fixable, title.
    Rules(RulesArgs),
    /// Print a rule's documentation.
    Explain {
        /// Rule id, e.g. `percent-sign-missing`.
        rule: String,
        #[command(flatten)]
        rules: RuleSourceArgs,
    },
    /// Show what gwlint sees in a file (e.g. `gwlint debug structure FILE`).
    #[command(subcommand)]
    Debug(DebugCommand),
}

#[derive(Debug, Subcommand)]
pub enum DebugCommand {
    /// Header elements, contained documents, outline tree and dates with their roles.
    Structure {
        /// The file to parse (`-` for stdin).
        path: PathBuf,
        /// Decode with this encoding instead of detecting it.
        #[arg(long, value_name = "ENCODING")]
        encoding: Option<String>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct RuleSourceArgs {
    /// Extra rule folder (repeatable); its rules are added to the built-in ones.
    #[arg(long = "rules", value_name = "DIR")]
    pub rule_dirs: Vec<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Files or folders to check; `-` reads stdin.
    #[arg(value_name = "PATH", default_value = ".")]
    pub paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Only these rules or categories (comma-separated or repeated).
    #[arg(long, value_delimiter = ',', value_name = "RULE|CATEGORY")]
    pub select: Vec<String>,
    /// Skip these rules or categories.
    #[arg(long, value_delimiter = ',', value_name = "RULE|CATEGORY")]
    pub ignore: Vec<String>,
    /// Lowest severity that makes the exit code 1.
    #[arg(long, value_name = "SEVERITY", default_value = "info", value_parser = ["info", "warning", "error"])]
    pub fail_on: String,
    /// Decode every file with this encoding (utf-8, utf-8-bom, gbk/gb18030, utf-16le, utf-16be).
    #[arg(long, value_name = "ENCODING")]
    pub encoding: Option<String>,
    #[command(flatten)]
    pub rules: RuleSourceArgs,
    /// Print no summary line and no notices about skipped files.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, clap::Args)]
pub struct RulesArgs {
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    #[command(flatten)]
    pub rules: RuleSourceArgs,
}

/// Parse arguments from the process and run. Returns the exit code.
pub fn run() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() {
                EXIT_ERROR
            } else {
                EXIT_CLEAN
            };
            let _ = e.print();
            return code;
        }
    };
    run_command(cli.command)
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
            Ok(set) => match set.get(&rule) {
                Some(r) => {
                    print_out(&explain(&r.meta));
                    EXIT_CLEAN
                }
                None => {
                    eprintln!("gwlint: unknown rule `{rule}` (see `gwlint rules`)");
                    EXIT_ERROR
                }
            },
            Err(code) => code,
        },
        Command::Debug(DebugCommand::Structure { path, encoding }) => {
            debug_structure(&path, encoding.as_deref())
        }
    }
}

fn debug_structure(path: &std::path::Path, encoding: Option<&str>) -> i32 {
    let forced = match encoding.map(|n| (n, TextEncoding::from_name(n))) {
        None => None,
        Some((_, Some(e))) => Some(e),
        Some((name, None)) => {
            eprintln!("gwlint: unknown encoding `{name}`");
            return EXIT_ERROR;
        }
    };
    let (inputs, problems) = load::collect_inputs(std::slice::from_ref(&path.to_path_buf()));
    for p in &problems {
        match p {
            LoadProblem::Error(m) | LoadProblem::Skipped(m) => eprintln!("gwlint: {m}"),
        }
    }
    if !problems.is_empty() || inputs.is_empty() {
        return EXIT_ERROR;
    }
    let mut code = EXIT_CLEAN;
    for input in &inputs {
        match load::load(input, forced) {
            Ok(doc) => print_out(&format!(
                "# {}\n{}",
                doc.path,
                crate::document::debug::render(&doc)
            )),
            Err(LoadProblem::Error(m) | LoadProblem::Skipped(m)) => {
                eprintln!("gwlint: {m}");
                code = EXIT_ERROR;
            }
        }
    }
    code
}

/// Built-in rules plus `--rules` folders; errors are printed, the exit code returned.
pub fn load_rules(args: &RuleSourceArgs) -> Result<RuleSet, i32> {
    let report = |e: &crate::rules::spec::SpecError| {
        eprint!("{}", render::human::render_spec_error(e));
        EXIT_ERROR
    };
    let mut set = RuleSet::builtin().map_err(|e| report(&e))?;
    for dir in &args.rule_dirs {
        set.load_dir(dir).map_err(|e| report(&e))?;
    }
    Ok(set)
}

fn print_out(s: &str) {
    let mut out = std::io::stdout().lock();
    // A closed pipe (`gwlint rules | head`) is not an error worth reporting.
    let _ = out.write_all(s.as_bytes());
    let _ = out.flush();
}

/// The result of checking one input.
pub struct Checked {
    pub doc: Document,
    pub diagnostics: Vec<Diagnostic>,
}

fn check_command(args: &CheckArgs) -> i32 {
    let rules = match load_rules(&args.rules) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let encoding = match args
        .encoding
        .as_deref()
        .map(|n| (n, TextEncoding::from_name(n)))
    {
        None => None,
        Some((_, Some(e))) => Some(e),
        Some((name, None)) => {
            eprintln!("gwlint: unknown encoding `{name}` (utf-8, utf-8-bom, gbk, gb18030, utf-16le, utf-16be)");
            return EXIT_ERROR;
        }
    };
    let settings = Settings {
        select: args.select.clone(),
        ignore: args.ignore.clone(),
        ..Settings::default()
    };
    let unknown = settings.unknown_selectors(&rules);
    if !unknown.is_empty() {
        eprintln!(
            "gwlint: unknown rule or category: {} (see `gwlint rules`; categories: {})",
            unknown.join(", "),
            Category::ALL.map(|c| c.as_str()).join(", ")
        );
        return EXIT_ERROR;
    }
    let (inputs, mut problems) = load::collect_inputs(&args.paths);
    let results: Vec<Result<Checked, LoadProblem>> = inputs
        .par_iter()
        .map(|input: &Input| {
            let doc = load::load(input, encoding)?;
            let diagnostics = crate::check(&doc, &rules, &settings);
            Ok(Checked { doc, diagnostics })
        })
        .collect();
    let mut checked = Vec::new();
    for r in results {
        match r {
            Ok(c) => checked.push(c),
            Err(p) => problems.push(p),
        }
    }
    let mut had_error = false;
    for p in &problems {
        match p {
            LoadProblem::Error(m) => {
                had_error = true;
                eprintln!("gwlint: error: {m}");
            }
            LoadProblem::Skipped(m) => {
                if !args.quiet {
                    eprintln!("gwlint: notice: {m}");
                }
            }
        }
    }
    let reports: Vec<Report<'_>> = checked
        .iter()
        .map(|c| Report {
            doc: &c.doc,
            diagnostics: &c.diagnostics,
        })
        .collect();
    match args.format {
        Format::Json => print_out(&render::json::render(&reports)),
        Format::Human => {
            let mut s = String::new();
            for r in &reports {
                s.push_str(&render::human::render(r));
            }
            let total: usize = checked.iter().map(|c| c.diagnostics.len()).sum();
            let fixable = checked
                .iter()
                .flat_map(|c| &c.diagnostics)
                .filter(|d| {
                    d.fix
                        .as_ref()
                        .is_some_and(|f| f.applicability == crate::Applicability::Safe)
                })
                .count();
            let files = checked.iter().filter(|c| !c.diagnostics.is_empty()).count();
            if !args.quiet {
                s.push_str(&render::human::summary(
                    total,
                    if total == 0 { checked.len() } else { files },
                    fixable,
                ));
            }
            print_out(&s);
        }
    }
    if had_error {
        return EXIT_ERROR;
    }
    let threshold = Severity::from_name(&args.fail_on).unwrap_or(Severity::Info);
    let failing = checked
        .iter()
        .flat_map(|c| &c.diagnostics)
        .any(|d| d.severity >= threshold);
    if failing {
        EXIT_DIAGNOSTICS
    } else {
        EXIT_CLEAN
    }
}

fn rules_table(rules: &RuleSet, format: Format) -> String {
    if format == Format::Json {
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
    let width = rules
        .rules()
        .iter()
        .map(|r| r.meta.id.len())
        .max()
        .unwrap_or(2)
        .max(2);
    let mut s = format!(
        "{:<width$}  {:<16}  {:<8}  {:<7}  TITLE\n",
        "ID", "CATEGORY", "SEVERITY", "FIXABLE"
    );
    for r in rules.rules() {
        s.push_str(&format!(
            "{:<width$}  {:<16}  {:<8}  {:<7}  {}\n",
            r.meta.id,
            r.meta.category.as_str(),
            r.meta.severity.as_str(),
            if r.meta.fixable { "yes" } else { "no" },
            r.meta.title
        ));
    }
    s
}

/// The documentation of a rule, as `gwlint explain` prints it (also the hover text).
pub fn explain(meta: &crate::rules::RuleMeta) -> String {
    let mut s = format!(
        "# {} — {}\n\n类别: {}  默认级别: {}  可自动修复: {}\n\n{}\n",
        meta.id,
        meta.title,
        meta.category,
        meta.severity,
        if meta.fixable { "是" } else { "否" },
        meta.docs.trim_end()
    );
    s.push('\n');
    s
}
