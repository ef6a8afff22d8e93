//! `gwlint check --annotate`: the file side of [`crate::docx::annotate`]. For each checked
//! `.docx`, read it again, annotate it with the findings shown, and write
//! `NAME.gwlint.docx` beside it (or under `--annotate-dir`) atomically. The original is
//! never written; a `NAME.gwlint.docx` given as input is updated in place (its earlier
//! gwlint comments are replaced).

use super::{CheckArgs, Checked};
use crate::docx::annotate::{annotate_docx, revision_date_now, AnnotateOptions};
use crate::load::{self, Input, LoadProblem};
use std::path::{Path, PathBuf};

/// The suffix of annotated copies (`通知.docx` → `通知.gwlint.docx`).
pub const SUFFIX: &str = ".gwlint.docx";

/// In `--annotate` mode a Word file that cannot be read is an error (exit 2), not a notice.
pub(super) fn escalate(input: &Input, problem: LoadProblem) -> LoadProblem {
    match problem {
        LoadProblem::Skipped(m) if input.is_docx() || input.is_old_word() => {
            LoadProblem::Error(format!(
                "{}，未写入任何内容",
                m.strip_suffix("，已跳过").unwrap_or(&m)
            ))
        }
        p => p,
    }
}

/// Where the annotated copy of `input` goes: beside it, or under `dir` at the same place
/// relative to the folder argument it was found in.
pub fn annotated_path(input: &Path, roots: &[PathBuf], dir: Option<&Path>) -> PathBuf {
    let name = input
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let cut = name.len().saturating_sub(SUFFIX.len());
    let stem = if name
        .get(cut..)
        .is_some_and(|t| t.eq_ignore_ascii_case(SUFFIX))
    {
        &name[..cut]
    } else {
        name.get(..name.len().saturating_sub(".docx".len()))
            .unwrap_or(&name)
    };
    let file = format!("{stem}{SUFFIX}");
    let Some(dir) = dir else {
        return input.with_file_name(file);
    };
    let relative = roots
        .iter()
        .filter(|r| r.is_dir())
        .find_map(|r| input.strip_prefix(r).ok())
        .and_then(Path::parent)
        .unwrap_or(Path::new(""));
    dir.join(relative).join(file)
}

/// Annotate every checked `.docx`; problems are collected, successes reported on stderr.
pub(super) fn write_annotated(
    checked: &[Checked],
    args: &CheckArgs,
    problems: &mut Vec<LoadProblem>,
) {
    let options = AnnotateOptions {
        track_changes: args.track_changes,
        date: revision_date_now(),
    };
    for c in checked {
        let Input::File(path) = &c.input else {
            problems.push(LoadProblem::Skipped(
                "-：标准输入不能加批注（只有 .docx 文件可以）".into(),
            ));
            continue;
        };
        if !c.input.is_docx() {
            if !args.quiet {
                problems.push(LoadProblem::Skipped(format!(
                    "{}：不是 .docx 文件，只报告问题，不加批注",
                    c.doc.path
                )));
            }
            continue;
        }
        let target = annotated_path(path, &args.paths, args.annotate_dir.as_deref());
        match annotate_one(c, path, &target, &options) {
            Ok(summary) if !args.quiet => stderr_line!("gwlint：{summary}"),
            Ok(_) => {}
            Err(m) => problems.push(LoadProblem::Error(format!(
                "{}：{m}，未写入任何内容",
                c.doc.path
            ))),
        }
    }
}

fn annotate_one(
    c: &Checked,
    path: &Path,
    target: &Path,
    options: &AnnotateOptions,
) -> Result<String, String> {
    let bytes = load::read_bytes(&c.input).map_err(|p| match p {
        LoadProblem::Error(m) | LoadProblem::Skipped(m) => m,
    })?;
    // The findings are offsets into the text that was checked: the file must still hold it.
    match crate::docx::extract_text(&bytes) {
        Ok(text) if text == c.doc.text => {}
        Ok(_) => return Err("检查期间文件被改动了".into()),
        Err(e) => return Err(e.reason()),
    }
    let annotated = annotate_docx(&bytes, &c.diagnostics, options).map_err(|e| e.to_string())?;
    if let Some(parent) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .map_err(|e| format!("无法创建 {}：{}", parent.display(), load::io_message(&e)))?;
    }
    load::write_new_atomic_like(target, &annotated.bytes, path)
        .map_err(|e| format!("无法写入 {}：{}", target.display(), load::io_message(&e)))?;
    let mut summary = format!("已写入 {}：{} 条批注", target.display(), annotated.comments);
    if options.track_changes {
        summary.push_str(&format!("，{} 处修订", annotated.tracked_fixes));
        if annotated.untracked_fixes > 0 {
            summary.push_str(&format!(
                "（{} 处安全修复无法作为修订，见批注）",
                annotated.untracked_fixes
            ));
        }
    }
    if annotated.replaced_comments > 0 {
        summary.push_str(&format!(
            "，替换了上次的 {} 条 gwlint 批注",
            annotated.replaced_comments
        ));
    }
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn annotated_paths() {
        let p = |s: &str| PathBuf::from(s);
        assert_eq!(
            annotated_path(&p("稿/通知.docx"), &[], None),
            p("稿/通知.gwlint.docx")
        );
        assert_eq!(
            annotated_path(&p("通知.GWLINT.DOCX"), &[], None),
            p("通知.gwlint.docx")
        );
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("in");
        std::fs::create_dir_all(root.join("a")).unwrap();
        assert_eq!(
            annotated_path(
                &root.join("a/x.docx"),
                std::slice::from_ref(&root),
                Some(&p("out"))
            ),
            p("out/a/x.gwlint.docx")
        );
        assert_eq!(
            annotated_path(&p("y.docx"), &[p("y.docx")], Some(&p("out"))),
            p("out/y.gwlint.docx")
        );
    }
}
