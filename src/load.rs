//! File I/O for the CLI: finding drafts under the given paths, reading them into
//! [`Document`]s, and writing fixed drafts back ([`write_atomic`]). Directories are walked
//! with the `ignore` crate (honours .gitignore). `.docx` files (by extension) go through
//! [`crate::docx`] instead of [`crate::source::decode`]; they are read-only: [`fix_refusal`] says why
//! `--fix` does not touch them.
//!
//! Only regular files are read: a named pipe, socket or device given as a path is refused
//! before it is opened (reading a FIFO would wait for a writer forever; pipe text in with
//! `-` instead), and the walk skips them.

use crate::document::Document;
use crate::source::{decode_owned, TextEncoding};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// Files larger than this are skipped with a notice.
pub const MAX_FILE_BYTES: u64 = 512 * 1024 * 1024;

/// The file extensions checked when walking a directory.
pub const DRAFT_EXTENSIONS: &[&str] = &["txt", "md", "docx"];

/// A path to check, or stdin (`-`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Stdin,
    File(PathBuf),
}

impl Input {
    pub fn display(&self) -> String {
        match self {
            Input::Stdin => "-".into(),
            Input::File(p) => p.display().to_string(),
        }
    }

    /// An old binary Word or WPS file (`.doc`, `.wps`, any case), which gwlint cannot read.
    pub fn is_old_word(&self) -> bool {
        match self {
            Input::Stdin => false,
            Input::File(p) => p
                .extension()
                .and_then(|x| x.to_str())
                .is_some_and(|x| x.eq_ignore_ascii_case("doc") || x.eq_ignore_ascii_case("wps")),
        }
    }

    /// A Word document (`.docx`, any case): text comes from [`crate::docx`].
    pub fn is_docx(&self) -> bool {
        match self {
            Input::Stdin => false,
            Input::File(p) => p
                .extension()
                .and_then(|x| x.to_str())
                .is_some_and(|x| x.eq_ignore_ascii_case("docx")),
        }
    }
}

/// Why `--fix` must not rewrite this input, or `None` when it may. A `.docx` is never
/// rewritten (gwlint would have to rebuild the Word file from plain text).
pub fn fix_refusal(input: &Input) -> Option<String> {
    input.is_docx().then(|| {
        format!(
            "{}：--fix 不改写 .docx 文件，请在 Word/WPS 里修改（或用 --annotate --track-changes 生成带修订的副本）",
            input.display()
        )
    })
}

/// Why an input was not checked. `Error` makes the run fail (exit 2); `Skipped` is a notice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadProblem {
    Error(String),
    Skipped(String),
}

/// Expand paths: files as given, directories walked for drafts. Missing paths are errors.
pub fn collect_inputs(paths: &[PathBuf]) -> (Vec<Input>, Vec<LoadProblem>) {
    let mut inputs = Vec::new();
    let mut problems = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            inputs.push(Input::Stdin);
            continue;
        }
        match std::fs::metadata(path) {
            Err(e) => problems.push(LoadProblem::Error(format!(
                "{}：{}",
                path.display(),
                io_message(&e)
            ))),
            Ok(meta) if meta.is_dir() => {
                let before = inputs.len();
                walk_dir(path, &mut inputs, &mut problems);
                if inputs.len() == before {
                    problems.push(LoadProblem::Skipped(format!(
                        "{}：这个文件夹里没有 .txt、.md 或 .docx 草稿",
                        path.display()
                    )));
                }
            }
            Ok(_) => inputs.push(Input::File(path.clone())),
        }
    }
    (inputs, problems)
}

fn walk_dir(dir: &Path, inputs: &mut Vec<Input>, problems: &mut Vec<LoadProblem>) {
    let mut found = Vec::new();
    for entry in ignore::WalkBuilder::new(dir).follow_links(false).build() {
        match entry {
            Ok(e) => {
                // (not followed: symlinks, FIFOs, sockets and devices are not files here)
                let is_file = e.file_type().is_some_and(|t| t.is_file());
                let ext_ok = e
                    .path()
                    .extension()
                    .and_then(|x| x.to_str())
                    .is_some_and(|x| DRAFT_EXTENSIONS.contains(&x.to_ascii_lowercase().as_str()));
                // annotated copies (`通知.gwlint.docx`) are gwlint's own output
                let annotated = e
                    .file_name()
                    .to_str()
                    .is_some_and(|n| n.to_ascii_lowercase().ends_with(".gwlint.docx"));
                if is_file && ext_ok && !annotated {
                    found.push(e.into_path());
                }
            }
            Err(e) => problems.push(LoadProblem::Skipped(format!("{}：{}", dir.display(), e))),
        }
    }
    found.sort();
    inputs.extend(found.into_iter().map(Input::File));
}

pub fn io_message(e: &std::io::Error) -> String {
    if let Some(inner) = e.get_ref() {
        return inner.to_string();
    }
    match e.kind() {
        std::io::ErrorKind::NotFound => "找不到这个文件或文件夹".into(),
        std::io::ErrorKind::PermissionDenied => "没有权限".into(),
        std::io::ErrorKind::IsADirectory => "是一个文件夹".into(),
        std::io::ErrorKind::NotADirectory => "路径中间有一段不是文件夹".into(),
        std::io::ErrorKind::ReadOnlyFilesystem => "所在的磁盘是只读的".into(),
        std::io::ErrorKind::StorageFull => "磁盘已满".into(),
        // (`ErrorKind::FilesystemLoop` cannot be named on stable Rust yet)
        kind if format!("{kind:?}") == "FilesystemLoop" => "符号链接绕成了环".into(),
        _ => e.to_string(),
    }
}

/// Read an input's bytes (stdin or file), refusing files over [`MAX_FILE_BYTES`].
pub fn read_bytes(input: &Input) -> Result<Vec<u8>, LoadProblem> {
    let name = input.display();
    match input {
        Input::Stdin => {
            let mut buf = Vec::new();
            std::io::stdin()
                .take(MAX_FILE_BYTES + 1)
                .read_to_end(&mut buf)
                .map_err(|e| LoadProblem::Error(format!("{name}：{}", io_message(&e))))?;
            if buf.len() as u64 > MAX_FILE_BYTES {
                return Err(LoadProblem::Skipped(format!(
                    "{name}：超过 {} MiB，已跳过",
                    MAX_FILE_BYTES >> 20
                )));
            }
            Ok(buf)
        }
        Input::File(path) => {
            let io = |e: std::io::Error| LoadProblem::Error(format!("{name}：{}", io_message(&e)));
            // metadata first: opening a FIFO for reading blocks until a writer appears
            let meta = std::fs::metadata(path).map_err(io)?;
            regular_file(&name, &meta)?;
            let mut file = std::fs::File::open(path).map_err(io)?;
            // the path may have been replaced between the two calls: check what was opened
            let meta = file.metadata().map_err(io)?;
            regular_file(&name, &meta)?;
            if meta.len() > MAX_FILE_BYTES {
                return Err(LoadProblem::Skipped(format!(
                    "{name}：超过 {} MiB，已跳过",
                    MAX_FILE_BYTES >> 20
                )));
            }
            let mut buf = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
            (&mut file)
                .take(MAX_FILE_BYTES + 1)
                .read_to_end(&mut buf)
                .map_err(io)?;
            if buf.len() as u64 > MAX_FILE_BYTES {
                return Err(LoadProblem::Skipped(format!(
                    "{name}：超过 {} MiB，已跳过",
                    MAX_FILE_BYTES >> 20
                )));
            }
            Ok(buf)
        }
    }
}

/// Settings files (config, ignore file, rule files) are small; a bigger one is refused.
pub const MAX_SETTINGS_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// Read a settings file (config, ignore or rule file): only a regular file (a named pipe
/// would block the read) of at most [`MAX_SETTINGS_FILE_BYTES`]. The error's text says why
/// ([`io_message`] shows it).
pub fn read_settings_file(path: &Path) -> std::io::Result<Vec<u8>> {
    let check = |meta: &std::fs::Metadata| -> std::io::Result<()> {
        let kind = meta.file_type();
        if kind.is_dir() {
            return Err(std::io::Error::other("是一个文件夹"));
        }
        if !kind.is_file() {
            let what = special_file_kind(&kind).unwrap_or("特殊文件");
            return Err(std::io::Error::other(format!("不是普通文件（{what}）")));
        }
        if meta.len() > MAX_SETTINGS_FILE_BYTES {
            return Err(std::io::Error::other(format!(
                "超过 {} MiB",
                MAX_SETTINGS_FILE_BYTES >> 20
            )));
        }
        Ok(())
    };
    check(&std::fs::metadata(path)?)?;
    let mut file = std::fs::File::open(path)?;
    check(&file.metadata()?)?;
    let mut buf = Vec::new();
    (&mut file)
        .take(MAX_SETTINGS_FILE_BYTES + 1)
        .read_to_end(&mut buf)?;
    if buf.len() as u64 > MAX_SETTINGS_FILE_BYTES {
        return Err(std::io::Error::other(format!(
            "超过 {} MiB",
            MAX_SETTINGS_FILE_BYTES >> 20
        )));
    }
    Ok(buf)
}

/// `Ok` for a regular file; a directory, named pipe, socket or device is an error (exit 2)
/// with one line saying what it is.
fn regular_file(name: &str, meta: &std::fs::Metadata) -> Result<(), LoadProblem> {
    let kind = meta.file_type();
    if kind.is_file() {
        return Ok(());
    }
    if kind.is_dir() {
        return Err(LoadProblem::Error(format!("{name}：是一个文件夹")));
    }
    let what = special_file_kind(&kind).unwrap_or("特殊文件");
    Err(LoadProblem::Error(format!(
        "{name}：不是普通文件（{what}），请用 `gwlint check -` 从管道送入文本"
    )))
}

#[cfg(unix)]
fn special_file_kind(kind: &std::fs::FileType) -> Option<&'static str> {
    use std::os::unix::fs::FileTypeExt;
    if kind.is_fifo() {
        Some("命名管道")
    } else if kind.is_socket() {
        Some("套接字")
    } else if kind.is_char_device() {
        Some("字符设备")
    } else if kind.is_block_device() {
        Some("块设备")
    } else {
        None
    }
}

#[cfg(not(unix))]
fn special_file_kind(_: &std::fs::FileType) -> Option<&'static str> {
    None
}

/// Read and decode an input into a [`Document`].
pub fn load(input: &Input, encoding: Option<TextEncoding>) -> Result<Document, LoadProblem> {
    let name = input.display();
    if input.is_old_word() {
        return Err(LoadProblem::Skipped(format!(
            "{name}：{}，已跳过",
            crate::docx::DocxError::OldBinaryFormat.reason()
        )));
    }
    let bytes = read_bytes(input)?;
    let decoded = decode_draft(&name, bytes, input.is_docx(), encoding)?;
    Ok(Document::new(name, decoded.text, decoded.encoding))
}

/// Decode a draft's bytes the way [`load`] does (a `.docx` through [`crate::docx`], other
/// files through [`decode_owned`]); empty and whitespace-only drafts are skipped with a
/// notice naming `name`. Pure: `gwlint serve` calls it on uploaded bytes.
pub fn decode_draft(
    name: &str,
    bytes: Vec<u8>,
    is_docx: bool,
    encoding: Option<TextEncoding>,
) -> Result<crate::source::Decoded, LoadProblem> {
    if bytes.is_empty() {
        return Err(LoadProblem::Skipped(format!(
            "{name}：空文件，没有可检查的内容"
        )));
    }
    let decoded = if is_docx {
        let text = crate::docx::extract_text(&bytes)
            .map_err(|e| LoadProblem::Skipped(format!("{name}：{e}")))?;
        drop(bytes);
        crate::source::Decoded {
            text,
            encoding: TextEncoding::Utf8,
        }
    } else {
        decode_owned(bytes, encoding).map_err(|e| LoadProblem::Skipped(format!("{name}：{e}")))?
    };
    if decoded.text.trim().is_empty() {
        return Err(LoadProblem::Skipped(format!(
            "{name}：只有空白字符，没有可检查的内容"
        )));
    }
    Ok(decoded)
}

/// Replace a file's contents atomically: write a temporary file in the same folder, give
/// it the original's permissions, flush it to disk, and rename it over the original. A
/// symlink is followed (the file it points to is replaced, the link stays). Readers see
/// the old or the new contents, never a mix; on error the original is untouched.
///
/// A read-only file is refused (a rename would replace it regardless). On Unix the owner
/// and group are carried over when the process may set them.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let target = std::fs::canonicalize(path)?;
    let dir = target.parent().unwrap_or_else(|| Path::new("."));
    let meta = std::fs::metadata(&target)?;
    if !meta.is_file() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "不是普通文件",
        ));
    }
    let permissions = meta.permissions();
    if permissions.readonly() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::PermissionDenied,
            "文件是只读的",
        ));
    }
    let tmp = synced_temp_file(dir, bytes)?;
    std::fs::set_permissions(tmp.path(), permissions)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        // best effort: only root (or the owner, for the group) may do this
        let _ = std::os::unix::fs::chown(tmp.path(), Some(meta.uid()), Some(meta.gid()));
    }
    tmp.persist(&target).map_err(|e| e.error)?;
    Ok(())
}

/// Write a new file (or replace one) atomically; used for `.gwlint-ignore.yaml`.
pub fn write_new_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if path.exists() {
        return write_atomic(path, bytes);
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    synced_temp_file(dir, bytes)?
        .persist(path)
        .map_err(|e| e.error)?;
    Ok(())
}

/// Write `path` atomically (a new file or a replacement) with the permissions of `model`
/// (a new file would otherwise get the temporary file's owner-only mode); used for the
/// annotated copy of a `.docx` beside its original.
pub fn write_new_atomic_like(path: &Path, bytes: &[u8], model: &Path) -> std::io::Result<()> {
    if path.exists() {
        return write_atomic(path, bytes);
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let tmp = synced_temp_file(dir, bytes)?;
    if let Ok(meta) = std::fs::metadata(model) {
        #[allow(unused_mut)]
        let mut permissions = meta.permissions();
        #[cfg(unix)]
        {
            // the copy is the user's to edit, even when the original is read-only
            use std::os::unix::fs::PermissionsExt;
            permissions.set_mode(permissions.mode() | 0o200);
        }
        std::fs::set_permissions(tmp.path(), permissions)?;
    }
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// A temporary file in `dir` (so the final rename stays on one file system) holding
/// `bytes`, flushed to disk.
fn synced_temp_file(dir: &Path, bytes: &[u8]) -> std::io::Result<tempfile::NamedTempFile> {
    let mut tmp = tempfile::Builder::new()
        .prefix(".gwlint-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    Ok(tmp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_keeps_permissions_and_follows_symlinks() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("稿.txt");
        std::fs::write(&file, "old").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o640)).unwrap();
            let link = dir.path().join("link.txt");
            std::os::unix::fs::symlink(&file, &link).unwrap();
            write_atomic(&link, b"new").unwrap();
            assert!(std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink());
            let mode = std::fs::metadata(&file).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o640);
        }
        #[cfg(not(unix))]
        write_atomic(&file, b"new").unwrap();
        assert_eq!(std::fs::read(&file).unwrap(), b"new");
        // no temporary file is left behind
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert!(names.len() <= 2);
        // a read-only file is refused and left alone
        let mut ro = std::fs::metadata(&file).unwrap().permissions();
        ro.set_readonly(true);
        std::fs::set_permissions(&file, ro).unwrap();
        let e = write_atomic(&file, b"newer").unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::PermissionDenied);
        assert_eq!(std::fs::read(&file).unwrap(), b"new");
    }
}
