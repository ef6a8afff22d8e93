//! The command line in Chinese: clap's help headings, the help and version flags and its
//! usage errors, for a reader who drafts 公文 (flags and values stay as typed).

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command};

/// How `--help` is laid out (clap's default with Chinese headings).
const TEMPLATE: &str = "{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}";

/// `command` (and its subcommands) with Chinese headings, help and version flags, and a
/// `help [命令]` subcommand (answered by [`help_of`]).
pub fn localized(command: Command) -> Command {
    let top = command
        .disable_version_flag(true)
        .arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("显示版本号"),
        )
        .disable_help_subcommand(true)
        .subcommand(
            Command::new("help")
                .about("显示帮助（gwlint help check：某个命令的帮助）")
                .arg(Arg::new("command").value_name("命令").num_args(0..)),
        );
    localize_one(top)
}

fn localize_one(command: Command) -> Command {
    command
        .help_template(TEMPLATE)
        .subcommand_help_heading("命令")
        .subcommand_value_name("命令")
        .disable_help_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("显示帮助"),
        )
        .mut_args(|arg| {
            let heading = if arg.is_positional() {
                "参数"
            } else {
                "选项"
            };
            values_in_chinese(arg).help_heading(heading)
        })
        .mut_subcommands(localize_one)
}

/// clap's `[default: …]`, `[possible values: …]` and `[alias: …]` said in Chinese, in the
/// argument's own help text.
fn values_in_chinese(arg: Arg) -> Arg {
    let Some(help) = arg.get_help().map(ToString::to_string) else {
        return arg;
    };
    if !arg.get_action().takes_values() {
        return arg;
    }
    let values: Vec<_> = arg
        .get_possible_values()
        .into_iter()
        .filter(|v| !v.is_hide_set())
        .collect();
    let defaults: Vec<String> = arg
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    let mut short = help.clone();
    let mut long = help;
    let mut notes = Vec::new();
    let names: Vec<&str> = values.iter().map(|v| v.get_name()).collect();
    if !names.is_empty() {
        notes.push(format!("可选：{}", names.join("、")));
        long.push_str("\n可选：");
        for v in &values {
            match v.get_help() {
                Some(h) => long.push_str(&format!("\n  {}：{h}", v.get_name())),
                None => long.push_str(&format!("\n  {}", v.get_name())),
            }
        }
    }
    if !defaults.is_empty() {
        notes.push(format!("默认：{}", defaults.join("、")));
        long.push_str(&format!("\n默认：{}", defaults.join("、")));
    }
    if !notes.is_empty() {
        short.push_str(&format!("（{}）", notes.join("；")));
    }
    arg.hide_default_value(true)
        .hide_possible_values(true)
        .help(short)
        .long_help(long)
}

/// The help text of `gwlint help [命令…]`: of the named subcommand, else of gwlint.
pub fn help_of(mut command: Command, path: &[String]) -> Result<String, String> {
    for name in path {
        match command.find_subcommand(name).cloned() {
            Some(sub) => command = sub.bin_name(format!("gwlint {name}")),
            None => return Err(format!("没有「{name}」这个命令（见 gwlint --help）")),
        }
    }
    Ok(chinese_usage(&command.render_long_help().to_string()))
}

fn value(e: &clap::Error, kind: ContextKind) -> Option<String> {
    match e.get(kind)? {
        ContextValue::String(s) => Some(s.clone()),
        ContextValue::Strings(v) => Some(v.join("、")),
        ContextValue::StyledStr(s) => Some(s.to_string()),
        ContextValue::StyledStrs(v) => Some(
            v.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("、"),
        ),
        ContextValue::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// clap's `[OPTIONS]` placeholder in a usage line, in Chinese.
pub fn chinese_usage(text: &str) -> String {
    text.replace("[OPTIONS]", "[选项]")
}

/// A usage error in Chinese: what is wrong, a suggestion when clap has one, the usage
/// line and where to read more. `None` for kinds that are not errors (help, version).
pub fn error_message(e: &clap::Error) -> Option<String> {
    let arg = value(e, ContextKind::InvalidArg).unwrap_or_default();
    let what = match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => return None,
        ErrorKind::InvalidValue => {
            let given = value(e, ContextKind::InvalidValue).unwrap_or_default();
            let mut s = if given.is_empty() {
                format!("{arg} 需要一个值")
            } else {
                format!("{arg} 不接受「{given}」")
            };
            if let Some(valid) = value(e, ContextKind::ValidValue) {
                s.push_str(&format!("，可选：{valid}"));
            }
            s
        }
        ErrorKind::UnknownArgument => format!("没有 {arg} 这个选项"),
        ErrorKind::InvalidSubcommand => {
            let name = value(e, ContextKind::InvalidSubcommand).unwrap_or_default();
            format!("没有「{name}」这个命令")
        }
        ErrorKind::ArgumentConflict => match value(e, ContextKind::PriorArg) {
            Some(other) if other != arg => format!("{arg} 不能与 {other} 一起使用"),
            _ => format!("{arg} 只能用一次"),
        },
        ErrorKind::MissingRequiredArgument => format!("缺少 {arg}"),
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => return None,
        ErrorKind::MissingSubcommand => "请给出一个命令，例如 gwlint check 草稿.txt".to_string(),
        ErrorKind::ValueValidation => {
            let given = value(e, ContextKind::InvalidValue).unwrap_or_default();
            format!("{arg} 的值「{given}」无效")
        }
        ErrorKind::NoEquals => format!("{arg} 的值要用 = 连写（{arg}=值）"),
        ErrorKind::TooManyValues | ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("{arg} 的值的个数不对")
        }
        _ => {
            // anything else: clap's own words, without its `error: ` prefix
            let text = e.render().to_string();
            let first = text.lines().next().unwrap_or_default();
            first.strip_prefix("error: ").unwrap_or(first).to_string()
        }
    };
    let suggestion = value(e, ContextKind::SuggestedArg)
        .or_else(|| value(e, ContextKind::SuggestedSubcommand))
        .or_else(|| value(e, ContextKind::SuggestedValue));
    let mut s = format!("gwlint：错误：{what}");
    match suggestion {
        Some(x) => s.push_str(&format!("。是不是想用「{x}」？\n")),
        None => s.push_str("。\n"),
    }
    if let Some(usage) = value(e, ContextKind::Usage) {
        let usage = usage.trim();
        let usage = usage.strip_prefix("Usage:").unwrap_or(usage).trim();
        s.push_str(&format!("\n用法：{}\n", chinese_usage(usage)));
        let command: Vec<&str> = usage
            .split_whitespace()
            .take_while(|w| !w.starts_with(['[', '<', '-']))
            .collect();
        s.push_str(&format!("详细说明：{} --help\n", command.join(" ")));
    } else {
        s.push_str("\n详细说明：gwlint --help\n");
    }
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::Cli;
    use clap::CommandFactory;

    fn parse_error(args: &[&str]) -> String {
        let e = localized(Cli::command())
            .try_get_matches_from(args)
            .unwrap_err();
        error_message(&e).unwrap()
    }

    #[test]
    fn help_is_chinese() {
        let help = localized(Cli::command()).render_help().to_string();
        assert!(help.contains("用法：gwlint"), "{help}");
        assert!(help.contains("命令：") || help.contains("命令:"), "{help}");
        assert!(
            !help.contains("Usage") && !help.contains("Print help"),
            "{help}"
        );
        let check = help_of(localized(Cli::command()), &["check".into()]).unwrap();
        assert!(check.contains("选项") && check.contains("--fix"), "{check}");
        assert!(
            !check.contains("Options:") && !check.contains("Print"),
            "{check}"
        );
    }

    #[test]
    fn usage_errors_are_chinese_with_suggestions() {
        let e = parse_error(&["gwlint", "chek"]);
        assert!(
            e.starts_with("gwlint：错误：没有「chek」这个命令。是不是想用「check」？"),
            "{e}"
        );
        let e = parse_error(&["gwlint", "check", "--format", "bogus"]);
        assert!(
            e.contains("--format <FORMAT> 不接受「bogus」，可选："),
            "{e}"
        );
        assert!(e.contains("详细说明："), "{e}");
        let e = parse_error(&["gwlint", "check", "--fixx"]);
        assert!(
            e.contains("没有 --fixx 这个选项。是不是想用「--fix」？"),
            "{e}"
        );
        let e = parse_error(&["gwlint", "check", "--fix", "--add-ignore", "a.txt"]);
        assert!(e.contains("不能与"), "{e}");
    }
}
