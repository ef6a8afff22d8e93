//! House rules for the rule set and the source tree: every rule documented, with enough
//! examples, filed under its category; every module starts with a `//!` doc line.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use gwlint::RuleSet;
use std::path::Path;

const DOC_SECTIONS: &[&str] = &["## 检查内容", "## 为什么", "## 示例", "## 修复"];

#[test]
fn every_rule_is_documented_with_examples() {
    let rules = RuleSet::builtin().unwrap();
    assert!(
        rules.len() >= 10,
        "expected the shipped rule set, got {}",
        rules.len()
    );
    let mut problems = Vec::new();
    for r in rules.rules() {
        let m = &r.meta;
        for s in DOC_SECTIONS {
            if !m.docs.contains(s) {
                problems.push(format!("{}: docs lack section {s}", m.id));
            }
        }
        let bad = m.examples.iter().filter(|e| e.bad.is_some()).count();
        let good = m.examples.iter().filter(|e| e.good.is_some()).count();
        if bad < 3 || good < 3 {
            problems.push(format!(
                "{}: needs >= 3 bad and >= 3 good examples (has {bad}/{good})",
                m.id
            ));
        }
        let expected = format!("rules/{}/{}.yaml", m.category.as_str(), m.id);
        if m.origin != expected {
            problems.push(format!(
                "{}: should live at {expected}, found {}",
                m.id, m.origin
            ));
        }
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(m.id.as_str());
        let has = |prefix: &str| {
            std::fs::read_dir(&fixtures).is_ok_and(|rd| {
                rd.filter_map(Result::ok)
                    .any(|e| e.file_name().to_string_lossy().starts_with(prefix))
            })
        };
        if !has("flags") || !has("clean") {
            problems.push(format!(
                "{}: needs tests/fixtures/{}/flags*.txt and clean*.txt (cases separated by `---` lines; \
                 every flags case must raise the rule, no clean case may)",
                m.id, m.id
            ));
        }
        if m.title.is_empty() || m.title.is_ascii() {
            problems.push(format!("{}: title should be a short Chinese title", m.id));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_source_file_starts_with_a_module_doc() {
    let mut missing = Vec::new();
    let mut stack = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                if !text.trim_start().starts_with("//!") {
                    missing.push(path.display().to_string());
                }
            }
        }
    }
    assert!(
        missing.is_empty(),
        "files without a //! header: {missing:?}"
    );
}

/// The `.rs` files under `src/<dir>`, with their text.
fn rust_files(dir: &str) -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    let mut stack = vec![if dir.is_empty() {
        root.clone()
    } else {
        root.join(dir)
    }];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                let name = path.strip_prefix(&root).unwrap().display().to_string();
                files.push((name, text));
            }
        }
    }
    files.sort();
    files
}

/// The numbered code lines of a file, without comment lines and without its
/// `#[cfg(test)] mod tests` (tests may use files and print).
fn code_outside_tests(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let end = text.find("#[cfg(test)]\nmod tests").unwrap_or(text.len());
    text[..end]
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l))
        .filter(|(_, l)| !l.trim_start().starts_with("//"))
}

#[test]
fn the_engine_does_no_io_and_imports_no_shell() {
    // file, terminal, process and environment access; the shells' modules
    let forbidden = [
        "std::fs",
        "fs::",
        "std::io::stdout",
        "std::io::stderr",
        "stdin()",
        "stdout()",
        "stderr()",
        "println!",
        "print!(",
        "eprintln!",
        "eprint!(",
        "stderr_line!",
        "stderr_text!",
        "std::process",
        "std::env",
        "std::net",
        "crate::app",
        "crate::cli",
        "crate::config",
        "crate::docx",
        "crate::load",
        "crate::lsp",
        "crate::serve",
        "crate::workspace",
    ];
    let mut problems = Vec::new();
    let files = rust_files("engine");
    assert!(
        files.len() > 20,
        "src/engine has only {} files",
        files.len()
    );
    for (name, text) in files {
        for (n, line) in code_outside_tests(&text) {
            for f in forbidden.iter().filter(|f| line.contains(*f)) {
                problems.push(format!("src/{name}:{n}: `{f}` in {line:?}"));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "the engine must not do I/O or import the shells (src/app):\n{}",
        problems.join("\n")
    );
}

/// How long a function may be, in lines, outside tests: about two screens.
const MAX_FUNCTION_LINES: usize = 120;

#[test]
fn no_function_is_longer_than_two_screens() {
    let mut long = Vec::new();
    for (name, text) in rust_files("") {
        let lines: Vec<&str> = text.lines().collect();
        let end = lines
            .windows(2)
            .position(|w| w[0] == "#[cfg(test)]" && w[1].starts_with("mod tests"))
            .unwrap_or(lines.len());
        for (i, line) in lines[..end].iter().enumerate() {
            let code = line.trim_start();
            let indent = &line[..line.len() - code.len()];
            let is_fn = ["fn ", "pub fn ", "pub(crate) fn ", "pub(super) fn "]
                .iter()
                .any(|p| code.starts_with(p));
            if !is_fn || code.ends_with(';') {
                continue;
            }
            // the function ends at the first `}` with the same indentation
            let close = format!("{indent}}}");
            if let Some(len) = lines[i + 1..end].iter().position(|l| *l == close) {
                if len + 2 > MAX_FUNCTION_LINES {
                    long.push(format!("src/{name}:{}: {} lines", i + 1, len + 2));
                }
            }
        }
    }
    assert!(
        long.is_empty(),
        "functions over {MAX_FUNCTION_LINES} lines (split them):\n{}",
        long.join("\n")
    );
}

#[test]
fn every_registered_builtin_has_its_yaml_file() {
    // (the other direction, a YAML file naming an unregistered builtin, fails to load)
    let set = RuleSet::builtin().unwrap();
    let mut missing = Vec::new();
    for id in gwlint::rules::builtin::registered_ids() {
        match set.get(id) {
            Some(rule) if rule.meta.kind == gwlint::rules::spec::Kind::Builtin => {}
            _ => missing.push(id),
        }
    }
    assert!(
        missing.is_empty(),
        "builtins registered in BUILTINS without a `kind: builtin` rule file: {missing:?}"
    );
}

/// With `autotests = false`, a new `tests/<name>.rs` runs only once a test binary takes it
/// in: a `#[path]` module of tests/integration or tests/e2e, or a `[[test]]` of its own.
#[test]
fn every_test_file_belongs_to_a_test_binary() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let read = |p: &str| std::fs::read_to_string(root.join(p)).unwrap();
    let taken = [
        read("tests/integration/main.rs"),
        read("tests/e2e/main.rs"),
        read("Cargo.toml"),
    ]
    .join("\n");
    let mut orphans = Vec::new();
    for entry in std::fs::read_dir(root.join("tests")).unwrap() {
        let path = entry.unwrap().path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        if path.is_file() && name.ends_with(".rs") {
            let as_module = format!("#[path = \"../{name}\"]");
            let as_binary = format!("path = \"tests/{name}\"");
            if !taken.contains(&as_module) && !taken.contains(&as_binary) {
                orphans.push(name.to_owned());
            }
        }
    }
    assert!(
        orphans.is_empty(),
        "test files no binary runs (add them to tests/integration/main.rs): {orphans:?}"
    );
}
