//! Config files: `gwlint.yaml` (or `.gwlint.yaml`), found by walking up from a checked
//! file ([`discover`]) or named explicitly, parsed with serde `deny_unknown_fields`
//! ([`Config::parse`]). Every error is a [`SpecError`] at the config file's line and column,
//! rendered like a rule-file error.
//!
//! No CLI assumptions: the language server resolves a document's settings the same way
//! ([`discover`] → [`Config::load`] → [`Config::validate`] → [`Config::settings_for`]).
//! The only I/O is reading the config file and checking that its rule folders exist.
//!
//! The nearest config file wins; config files are not merged. Relative paths inside a
//! config file (rule folders, per-file globs) are relative to the folder that holds it.

use crate::diagnostic::{Category, Severity};
use crate::document::Profile;
use crate::rules::spec::{locate, SpecError};
use crate::rules::{RuleSet, Settings};
use crate::source::TextEncoding;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The file names looked for in each folder, in order of precedence.
pub const CONFIG_FILE_NAMES: [&str; 2] = ["gwlint.yaml", ".gwlint.yaml"];

/// A config file as written.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    #[serde(default)]
    pub select: Option<Vec<String>>,
    #[serde(default)]
    pub ignore: Vec<String>,
    #[serde(default)]
    pub severity: BTreeMap<String, Severity>,
    #[serde(default)]
    pub rules: Vec<String>,
    #[serde(default)]
    pub per_file_ignores: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    pub profile: Option<Profile>,
    #[serde(default)]
    pub encoding: Option<String>,
}

/// One documented config key (the README's reference table is generated from these,
/// and a test checks that they are exactly the keys serde accepts).
pub struct ConfigKey {
    pub key: &'static str,
    pub value: &'static str,
    pub default: &'static str,
    pub meaning: &'static str,
}

/// The config file reference.
pub const REFERENCE: &[ConfigKey] = &[
    ConfigKey {
        key: "select",
        value: "list of rule ids or categories (`all`)",
        default: "all rules",
        meaning: "only these rules run; `--select` on the command line replaces it (and `ignore`)",
    },
    ConfigKey {
        key: "ignore",
        value: "list of rule ids or categories",
        default: "`[]`",
        meaning: "these rules do not run; `--ignore` adds to it",
    },
    ConfigKey {
        key: "severity",
        value: "map rule id or category → `error` / `warning` / `info`",
        default: "each rule's own",
        meaning: "change a rule's severity (a rule id wins over its category)",
    },
    ConfigKey {
        key: "rules",
        value: "list of folders",
        default: "`[]`",
        meaning: "extra rule folders (YAML rules), relative to the config file; `--rules` adds more",
    },
    ConfigKey {
        key: "per_file_ignores",
        value: "map glob → list of rule ids or categories",
        default: "`{}`",
        meaning: "rules switched off for matching files; globs are relative to the config file's folder, a glob without `/` also matches the file name alone",
    },
    ConfigKey {
        key: "profile",
        value: "`auto` / `notice` / `plan` / `compilation`",
        default: "`auto`",
        meaning: "the document kind, for rules that depend on it; `auto` recognises it from the text",
    },
    ConfigKey {
        key: "encoding",
        value: "`utf-8` / `utf-8-bom` / `gbk` / `gb18030` / `utf-16le` / `utf-16be`",
        default: "detected",
        meaning: "decode every file with this encoding, except files whose bytes are valid UTF-8 with Chinese text (read as UTF-8, with a notice); `--encoding` wins and applies to every file",
    },
];

/// The reference table as Markdown (what README.md shows between its markers).
pub fn reference_markdown() -> String {
    let mut s = String::from("| key | value | default | meaning |\n|---|---|---|---|\n");
    for k in REFERENCE {
        s.push_str(&format!(
            "| `{}` | {} | {} | {} |\n",
            k.key, k.value, k.default, k.meaning
        ));
    }
    s
}

/// A per-file ignore: a compiled glob and the selectors it switches off.
#[derive(Debug, Clone)]
pub struct PerFileIgnore {
    pub pattern: String,
    matcher: globset::GlobMatcher,
    /// The pattern has no `/`: it is also tried against the file name alone.
    by_name: bool,
    pub rules: Vec<String>,
}

/// A parsed and checked config file.
#[derive(Debug, Clone)]
pub struct Config {
    /// The path as found or given.
    pub path: PathBuf,
    /// The folder holding the config file (absolute); relative paths resolve against it.
    pub dir: PathBuf,
    pub source: String,
    pub file: ConfigFile,
    /// `rules:` resolved against [`Config::dir`].
    pub rule_dirs: Vec<PathBuf>,
    pub encoding: Option<TextEncoding>,
    pub per_file_ignores: Vec<PerFileIgnore>,
}

/// Absolute form of `path` without touching the file system (no symlink resolution).
pub fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// The nearest config file for `path` (a file or folder): its own folder first, then
/// each parent up to the root. In one folder `gwlint.yaml` wins over `.gwlint.yaml`.
pub fn discover(path: &Path) -> Option<PathBuf> {
    find_upwards(path, &CONFIG_FILE_NAMES)
}

/// The nearest file named one of `names`, walking up from `path` (a file or folder).
pub fn find_upwards(path: &Path, names: &[&str]) -> Option<PathBuf> {
    let abs = absolute(path);
    let start = if abs.is_dir() {
        abs.as_path()
    } else {
        abs.parent()?
    };
    for dir in start.ancestors() {
        for name in names {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    None
}

impl Config {
    /// The config in effect for `path` (a file or folder): the nearest config file, loaded;
    /// `None` when there is none. (`validate` it against the rule set built from
    /// [`Config::rule_dirs`].)
    pub fn for_path(path: &Path) -> Result<Option<Config>, SpecError> {
        discover(path).map(|p| Config::load(&p)).transpose()
    }

    /// Read and parse a config file.
    pub fn load(path: &Path) -> Result<Config, SpecError> {
        let display = path.display().to_string();
        let bytes = crate::load::read_settings_file(path).map_err(|e| SpecError {
            path: display.clone(),
            line: 1,
            column: 1,
            message: format!("无法读取配置文件：{}", crate::load::io_message(&e)),
            source: String::new(),
        })?;
        let source = String::from_utf8(bytes).map_err(|_| SpecError {
            path: display.clone(),
            line: 1,
            column: 1,
            message: "配置文件不是有效的 UTF-8 文本".into(),
            source: String::new(),
        })?;
        let dir = absolute(path)
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        Config::parse(&display, &dir, &source)
    }

    /// Parse config text. `dir` is the folder relative paths resolve against.
    pub fn parse(display: &str, dir: &Path, source: &str) -> Result<Config, SpecError> {
        let only_comments = source
            .lines()
            .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'));
        let file: ConfigFile = if only_comments {
            ConfigFile::default()
        } else {
            crate::rules::spec::from_yaml_guarded(display, source)?
        };
        let at = |key: &str, needle: Option<&str>, message: String| {
            SpecError::at(display, source, locate(source, key, needle), message)
        };
        let encoding = match &file.encoding {
            None => None,
            Some(name) => Some(TextEncoding::from_name(name).ok_or_else(|| {
                at(
                    "encoding",
                    Some(name),
                    format!("不认识的编码「{name}」（可用 utf-8、utf-8-bom、gbk、gb18030、utf-16le、utf-16be）"),
                )
            })?),
        };
        let mut rule_dirs = Vec::new();
        for folder in &file.rules {
            let p = dir.join(folder);
            if !p.is_dir() {
                return Err(at(
                    "rules",
                    Some(folder),
                    format!("规则文件夹「{folder}」不存在（相对于本配置文件所在的文件夹）"),
                ));
            }
            rule_dirs.push(p);
        }
        let mut per_file_ignores = Vec::new();
        for (pattern, rules) in &file.per_file_ignores {
            let glob = globset::GlobBuilder::new(pattern)
                .literal_separator(true)
                .build()
                .map_err(|e| {
                    at(
                        "per_file_ignores",
                        Some(pattern),
                        format!("无效的通配模式「{pattern}」：{}", e.kind()),
                    )
                })?;
            per_file_ignores.push(PerFileIgnore {
                pattern: pattern.clone(),
                matcher: glob.compile_matcher(),
                by_name: !pattern.contains('/'),
                rules: rules.clone(),
            });
        }
        Ok(Config {
            path: PathBuf::from(display),
            dir: dir.to_path_buf(),
            source: source.to_owned(),
            file,
            rule_dirs,
            encoding,
            per_file_ignores,
        })
    }

    /// Check that every selector names a rule of `rules` or a category; the error points
    /// at the unknown name in the config file.
    pub fn validate(&self, rules: &RuleSet) -> Result<(), SpecError> {
        let display = self.path.display().to_string();
        let known =
            |s: &str| s == "all" || Category::from_name(s).is_some() || rules.get(s).is_some();
        let mut lists: Vec<(&str, Vec<&String>)> = vec![
            ("select", self.file.select.iter().flatten().collect()),
            ("ignore", self.file.ignore.iter().collect()),
            ("severity", self.file.severity.keys().collect()),
        ];
        for rules_of in self.file.per_file_ignores.values() {
            lists.push(("per_file_ignores", rules_of.iter().collect()));
        }
        for (key, names) in lists {
            if let Some(bad) = names.into_iter().find(|s| !known(s)) {
                return Err(SpecError::at(
                    &display,
                    &self.source,
                    locate(&self.source, key, Some(bad)),
                    format!(
                        "{key} 里的「{}」不是规则也不是类别（见 gwlint rules；类别有 {}）",
                        rules.describe_unknown(&[bad.as_str()]),
                        Category::ALL.map(|c| c.as_str()).join("、")
                    ),
                ));
            }
        }
        Ok(())
    }

    /// The settings for one file: `select`, `ignore`, `severity`, plus the ignores of every
    /// matching `per_file_ignores` glob.
    pub fn settings_for(&self, file: &Path) -> Settings {
        let mut settings = Settings {
            select: self.file.select.clone().unwrap_or_default(),
            ignore: self.file.ignore.clone(),
            severity: self.file.severity.clone(),
        };
        for p in self.matching_ignores(file) {
            settings.ignore.extend(p.rules.iter().cloned());
        }
        settings
    }

    /// The per-file ignores whose glob matches `file`.
    pub fn matching_ignores(&self, file: &Path) -> Vec<&PerFileIgnore> {
        let abs = absolute(file);
        let relative = abs.strip_prefix(&self.dir).unwrap_or(file);
        let name = file.file_name().map(Path::new);
        self.per_file_ignores
            .iter()
            .filter(|p| {
                p.matcher.is_match(relative)
                    || (p.by_name && name.is_some_and(|n| p.matcher.is_match(n)))
            })
            .collect()
    }
}

/// The settings for `file`: the config's (if any), then overrides from the command line or
/// the editor. A non-empty `select` replaces the config's `select` and `ignore` (its
/// per-file ignores still apply); `ignore` adds to whatever is ignored. The CLI and the
/// language server both call this, so they agree on precedence.
pub fn settings_with_overrides(
    config: Option<&Config>,
    file: &Path,
    select: &[String],
    ignore: &[String],
) -> Settings {
    let mut settings = match config {
        Some(c) if !select.is_empty() => {
            let mut s = c.settings_for(file);
            s.select = select.to_vec();
            s.ignore = c
                .matching_ignores(file)
                .iter()
                .flat_map(|p| p.rules.iter().cloned())
                .collect();
            s
        }
        Some(c) => c.settings_for(file),
        None => Settings {
            select: select.to_vec(),
            ..Settings::default()
        },
    };
    settings.ignore.extend(ignore.iter().cloned());
    settings
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(src: &str) -> Result<Config, SpecError> {
        Config::parse("gwlint.yaml", Path::new("/project"), src)
    }

    #[test]
    fn parses_every_key() {
        let c = parse(
            "select: [ad-text, typo]\nignore: [leading-space]\nseverity:\n  common-typo: error\n\
             per_file_ignores:\n  \"附件/*.txt\": [spacing]\n  \"*.md\": [punctuation]\nprofile: plan\nencoding: gbk\n",
        )
        .unwrap();
        assert_eq!(c.file.profile, Some(Profile::Plan));
        assert_eq!(c.encoding, Some(TextEncoding::Gb18030));
        let s = c.settings_for(Path::new("/project/附件/一.txt"));
        assert_eq!(s.select, vec!["ad-text", "typo"]);
        assert_eq!(s.ignore, vec!["leading-space", "spacing"]);
        assert_eq!(s.severity.get("common-typo"), Some(&Severity::Error));
        // `*` does not cross folders; a glob without `/` matches the file name anywhere
        let s = c.settings_for(Path::new("/project/附件/子/二.txt"));
        assert_eq!(s.ignore, vec!["leading-space"]);
        let s = c.settings_for(Path::new("/project/deep/说明.md"));
        assert_eq!(s.ignore, vec!["leading-space", "punctuation"]);
    }

    #[test]
    fn empty_and_comment_only_files_are_defaults() {
        assert_eq!(parse("").unwrap().file, ConfigFile::default());
        assert_eq!(parse("# nothing\n\n").unwrap().file, ConfigFile::default());
    }

    #[test]
    fn errors_point_at_line_and_column() {
        let e = parse("select: [typo]\nslect: [typo]\n").unwrap_err();
        assert_eq!((e.line, e.column), (2, 1), "{e}");
        assert!(e.message.contains("unknown field `slect`"), "{e}");
        let e = parse("profile: memo\n").unwrap_err();
        assert_eq!(e.line, 1, "{e}");
        assert!(e.message.contains("memo"), "{e}");
        let e = parse("severity:\n  typo: fatal\n").unwrap_err();
        assert_eq!(e.line, 2, "{e}");
        let e = parse("# c\nencoding: latin-1\n").unwrap_err();
        assert_eq!((e.line, e.column), (2, 11), "{e}");
        let e = parse("per_file_ignores:\n  \"a/[b.txt\": [typo]\n").unwrap_err();
        assert_eq!(e.line, 2, "{e}");
        let e = parse("rules: [no-such-folder-here]\n").unwrap_err();
        assert!(e.message.contains("no-such-folder-here"), "{e}");
    }

    #[test]
    fn unknown_selectors_are_located() {
        let rules = RuleSet::builtin().unwrap();
        let c = parse("select: [typo]\nignore:\n  - spacing\n  - no-such-rule\n").unwrap();
        let e = c.validate(&rules).unwrap_err();
        assert_eq!((e.line, e.column), (4, 5), "{e}");
        let c = parse("per_file_ignores:\n  \"*.md\": [typoo]\n").unwrap();
        assert_eq!(c.validate(&rules).unwrap_err().line, 2);
        assert!(parse("select: [all]\nseverity: {spacing: info}\n")
            .unwrap()
            .validate(&rules)
            .is_ok());
    }

    #[test]
    fn reference_lists_exactly_the_accepted_keys() {
        // serde's error for an unknown key lists every field it accepts
        let e = parse("no_such_key: 1\n").unwrap_err();
        let mut accepted: Vec<String> = e
            .message
            .split('`')
            .skip(3)
            .step_by(2)
            .map(str::to_owned)
            .collect();
        accepted.sort();
        let mut documented: Vec<String> = REFERENCE.iter().map(|k| k.key.to_owned()).collect();
        documented.sort();
        assert_eq!(accepted, documented, "{}", e.message);
    }
}
