//! The pre-commit hook for real: a scratch git repository whose `.pre-commit-config.yaml`
//! points at this repository (`.pre-commit-hooks.yaml`, `language: rust`), then a commit of
//! a clean draft (accepted) and of a draft with ad residue (rejected, diagnostic printed,
//! file left as it was).
//!
//! pre-commit clones the hook repository at `rev`, so the test commits a snapshot of the
//! working tree (tracked and untracked-but-not-ignored files) into a scratch repository
//! under target/ with fixed author and dates: the same tree gives the same commit, and
//! pre-commit reuses the hook environment it built for it.
//!
//! pre-commit comes from `$GWLINT_PRE_COMMIT`, `target/precommit-venv` (both set up by
//! `.ci/run`) or `PATH`. Without it the test skips with a message on stderr; with `CI`
//! set it fails instead.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

#[path = "common/docx_package.rs"]
mod docx_package;

fn pre_commit() -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let candidates = [
        std::env::var_os("GWLINT_PRE_COMMIT").map(PathBuf::from),
        Some(root.join("target/precommit-venv/bin/pre-commit")),
        Some(PathBuf::from("pre-commit")),
    ];
    candidates.into_iter().flatten().find(|p| {
        Command::new(p)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

/// pre-commit, or `None` after saying the test is skipped (a failure when `CI` is set).
fn pre_commit_or_skip() -> Option<PathBuf> {
    let found = pre_commit();
    if found.is_none() {
        if std::env::var_os("CI").is_some() {
            panic!("pre-commit not found but CI is set: .ci/run installs it into target/precommit-venv");
        }
        // written to stderr directly, so the skip shows even though the test passes
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED tests/precommit.rs: pre-commit not found (run .ci/run, or set GWLINT_PRE_COMMIT)"
        );
    }
    found
}

fn run(cmd: &mut Command) -> Output {
    cmd.output().unwrap()
}

fn ok(cmd: &mut Command) -> String {
    let o = run(cmd);
    assert!(
        o.status.success(),
        "{cmd:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).trim().to_owned()
}

/// git with no user or system configuration, a fixed identity and fixed dates.
fn git(dir: &Path) -> Command {
    let mut c = Command::new("git");
    c.current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "gwlint test")
        .env("GIT_AUTHOR_EMAIL", "test@example.invalid")
        .env("GIT_COMMITTER_NAME", "gwlint test")
        .env("GIT_COMMITTER_EMAIL", "test@example.invalid")
        .env("GIT_AUTHOR_DATE", "2000-01-01T00:00:00Z")
        .env("GIT_COMMITTER_DATE", "2000-01-01T00:00:00Z");
    c
}

/// The files of the working tree: tracked and untracked-but-not-ignored (git), or
/// everything outside target/, .git/ and node_modules/ when git cannot list them.
fn tree_files(root: &Path) -> Vec<PathBuf> {
    let listed = git(root)
        .args([
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
        ])
        .output()
        .ok()
        .filter(|o| o.status.success());
    if let Some(o) = listed {
        return o
            .stdout
            .split(|&b| b == 0)
            .filter(|s| !s.is_empty())
            .map(|s| PathBuf::from(String::from_utf8_lossy(s).into_owned()))
            .filter(|p| root.join(p).is_file())
            .collect();
    }
    let mut out = Vec::new();
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        for e in std::fs::read_dir(root.join(&rel)).unwrap() {
            let e = e.unwrap();
            let name = e.file_name();
            if (rel.as_os_str().is_empty() && (name == "target" || name == ".git"))
                || name == "node_modules"
            {
                continue;
            }
            let p = rel.join(&name);
            if e.file_type().unwrap().is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out
}

/// Commit a snapshot of the working tree; returns (repository path, commit id).
fn snapshot_repo(work: &Path) -> (PathBuf, String) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let repo = work.join("hook-repo");
    if repo.exists() {
        std::fs::remove_dir_all(&repo).unwrap();
    }
    std::fs::create_dir_all(&repo).unwrap();
    let mut files = tree_files(root);
    files.sort();
    for rel in &files {
        let to = repo.join(rel);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(root.join(rel), &to).unwrap();
    }
    assert!(repo.join(".pre-commit-hooks.yaml").is_file());
    ok(git(&repo).args(["init", "-q", "-b", "main"]));
    ok(git(&repo).args(["add", "-A"]));
    ok(git(&repo).args(["commit", "-q", "-m", "snapshot of the working tree"]));
    let rev = ok(git(&repo).args(["rev-parse", "HEAD"]));
    (repo, rev)
}

const AD: &str = "关于开展安全生产检查的通知\n【更多范文资料，请关注微信公众号：abcwk2024】\n各部门：\n请于本月底前完成自查。\n";

#[test]
fn pre_commit_hook_accepts_clean_drafts_and_rejects_ad_residue() {
    let Some(pre_commit) = pre_commit_or_skip() else {
        return;
    };
    let work = Path::new(env!("CARGO_TARGET_TMPDIR")).join("precommit");
    std::fs::create_dir_all(&work).unwrap();
    let (hook_repo, rev) = snapshot_repo(&work);

    let scratch = tempfile::tempdir().unwrap();
    let dir = scratch.path();
    ok(git(dir).args(["init", "-q", "-b", "main"]));
    std::fs::write(
        dir.join(".pre-commit-config.yaml"),
        format!(
            "repos:\n  - repo: {}\n    rev: {rev}\n    hooks:\n      - id: gwlint\n",
            hook_repo.display()
        ),
    )
    .unwrap();
    // the hook environment (a `cargo install` of gwlint) is cached under target/; a quick
    // unoptimised build is enough for the test
    let env = |c: &mut Command| {
        c.env("PRE_COMMIT_HOME", work.join("home"))
            .env("CARGO_TARGET_DIR", work.join("cargo-target"))
            .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "0")
            .env("CARGO_PROFILE_RELEASE_DEBUG", "false")
            .env("CARGO_PROFILE_RELEASE_INCREMENTAL", "true");
    };
    let mut install = Command::new(&pre_commit);
    install.current_dir(dir).args(["install"]);
    env(&mut install);
    ok(install
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null"));
    let commit = |message: &str| {
        let mut c = git(dir);
        c.args(["commit", "-m", message]);
        env(&mut c);
        run(&mut c)
    };

    // the project's clean example document (tests/fixtures.rs keeps it free of findings)
    let clean =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/documents/clean-draft.txt");
    std::fs::copy(clean, dir.join("通知.txt")).unwrap();
    ok(git(dir).args(["add", ".pre-commit-config.yaml", "通知.txt"]));
    let o = commit("a clean draft");
    let log = format!(
        "{}\n{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(o.status.success(), "the clean draft was rejected:\n{log}");
    assert!(log.contains("gwlint") && log.contains("Passed"), "{log}");

    std::fs::write(dir.join("广告.txt"), AD).unwrap();
    let word = ad_docx();
    std::fs::write(dir.join("广告.docx"), &word).unwrap();
    ok(git(dir).args(["add", "广告.txt", "广告.docx"]));
    let o = commit("a draft with ad residue");
    let log = format!(
        "{}\n{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(!o.status.success(), "the ad residue was committed:\n{log}");
    assert!(log.contains("Failed"), "{log}");
    assert!(log.contains("错误[ad-solicitation]"), "{log}");
    assert!(log.contains("广告.txt:2:1"), "{log}");
    assert!(
        log.contains("广告.docx:2:1"),
        "the hook skipped the .docx:\n{log}"
    );
    // report-only: the drafts are untouched and the commit did not happen
    assert_eq!(std::fs::read_to_string(dir.join("广告.txt")).unwrap(), AD);
    assert_eq!(std::fs::read(dir.join("广告.docx")).unwrap(), word);
    let count = ok(git(dir).args(["rev-list", "--count", "HEAD"]));
    assert_eq!(count, "1");
}

/// [`AD`] as a Word document, one paragraph per line.
fn ad_docx() -> Vec<u8> {
    let body: String = AD.lines().map(docx_package::plain).collect();
    docx_package::docx(&body, &docx_package::Extras::default())
}

/// The hook's file filter takes Word documents as well as text and Markdown.
#[test]
fn hook_definition_covers_docx() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let hooks: serde_yaml::Value = serde_yaml::from_str(
        &std::fs::read_to_string(root.join(".pre-commit-hooks.yaml")).unwrap(),
    )
    .unwrap();
    let files = hooks[0]["files"].as_str().unwrap();
    let re = regex::Regex::new(files).unwrap();
    for name in ["通知.docx", "草稿.txt", "说明.md", "大写.DOCX"] {
        assert!(re.is_match(name), "{files} does not take {name}");
    }
    for name in ["图.png", "旧.doc", "a.docx.bak"] {
        assert!(!re.is_match(name), "{files} takes {name}");
    }
}

/// The `.pre-commit-config.yaml` of README.md's pre-commit section, as written, with the
/// gwlint under test on `PATH`: a draft with ad residue (text and Word) is refused.
#[test]
fn readme_pre_commit_snippet_works_as_written() {
    let Some(pre_commit) = pre_commit_or_skip() else {
        return;
    };
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let section = &readme[readme.find("### With pre-commit").unwrap()..];
    let block = section.split("```yaml\n").nth(1).unwrap();
    let config = &block[..block.find("```").unwrap()];
    assert!(config.contains("repo: local"), "{config}");

    let scratch = tempfile::tempdir().unwrap();
    let dir = scratch.path();
    ok(git(dir).args(["init", "-q", "-b", "main"]));
    std::fs::write(dir.join(".pre-commit-config.yaml"), config).unwrap();
    std::fs::write(dir.join("广告.txt"), AD).unwrap();
    std::fs::write(dir.join("广告.docx"), ad_docx()).unwrap();
    ok(git(dir).args(["add", "-A"]));
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_gwlint")).parent().unwrap();
    let path = std::env::join_paths(std::iter::once(bin_dir.to_path_buf()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .unwrap();
    let work = Path::new(env!("CARGO_TARGET_TMPDIR")).join("precommit");
    let o = run(Command::new(&pre_commit)
        .current_dir(dir)
        .args(["run", "--all-files"])
        .env("PATH", path)
        .env("PRE_COMMIT_HOME", work.join("home-local"))
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null"));
    let log = format!(
        "{}\n{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(!o.status.success(), "the ad residue passed:\n{log}");
    assert!(
        log.contains("广告.txt:2:1") && log.contains("广告.docx:2:1"),
        "{log}"
    );
}
