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
            // a folder that cannot be read is an error like a file that cannot be read
            Err(e) => problems.push(match e.io_error() {
                Some(io) => LoadProblem::Error(format!(
                    "{}：{}",
                    error_path(&e).unwrap_or(dir).display(),
                    io_message(&std::io::Error::from(io.kind()))
                )),
                None => LoadProblem::Skipped(format!("{}：{}", dir.display(), e)),
            }),
        }
    }
    found.sort();
    inputs.extend(found.into_iter().map(Input::File));
}

/// The path a walk error is about.
fn error_path(e: &ignore::Error) -> Option<&Path> {
    match e {
        ignore::Error::WithPath { path, .. } => Some(path),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        ignore::Error::Partial(errs) => errs.iter().find_map(error_path),
        _ => None,
    }
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
    read_bytes_with_snapshot(input).map(|(bytes, _)| bytes)
}

/// [`read_bytes`], with what the file looked like when it was opened (`None` for stdin).
fn read_bytes_with_snapshot(input: &Input) -> Result<(Vec<u8>, Option<FileSnapshot>), LoadProblem> {
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
            Ok((buf, None))
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
            Ok((buf, Some(FileSnapshot::of(&meta))))
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

/// How to decode: `forced` (`--encoding`) applies to every file; `fallback` (the config's
/// `encoding`) to every file whose bytes are not valid UTF-8 with non-ASCII text: such a
/// file is read as UTF-8 and a notice says so (a UTF-8 draft with an even run of Han
/// characters also decodes as GB18030, to garbage that `--fix` would then write back).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Decoding {
    pub forced: Option<TextEncoding>,
    pub fallback: Option<TextEncoding>,
}

/// An input read and decoded.
pub struct Loaded {
    pub doc: Document,
    /// What the file looked like when read (`None` for stdin and `.docx`): `--fix` writes
    /// only over exactly that.
    pub snapshot: Option<FileSnapshot>,
    /// The bytes read from stdin (the fixed text is written back to stdout from them).
    pub stdin_bytes: Option<Vec<u8>>,
    /// Something the user should know about how the input was read.
    pub notice: Option<String>,
}

/// Read and decode an input into a [`Document`].
pub fn load(input: &Input, encoding: Option<TextEncoding>) -> Result<Document, LoadProblem> {
    let decoding = Decoding {
        forced: encoding,
        fallback: None,
    };
    load_input(input, decoding).map(|l| l.doc)
}

/// Read and decode an input, keeping what `--fix` needs to write it back safely.
pub fn load_input(input: &Input, decoding: Decoding) -> Result<Loaded, LoadProblem> {
    let name = input.display();
    if input.is_old_word() {
        return Err(LoadProblem::Skipped(format!(
            "{name}：{}，已跳过",
            crate::docx::DocxError::OldBinaryFormat.reason()
        )));
    }
    let (bytes, snapshot) = read_bytes_with_snapshot(input)?;
    let stdin_bytes = (*input == Input::Stdin).then(|| bytes.clone());
    let (decoded, notice) = decode_with(&name, bytes, input.is_docx(), decoding)?;
    Ok(Loaded {
        doc: Document::new(name, decoded.text, decoded.encoding),
        snapshot: snapshot.filter(|_| !input.is_docx()),
        stdin_bytes,
        notice,
    })
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
    let decoding = Decoding {
        forced: encoding,
        fallback: None,
    };
    decode_with(name, bytes, is_docx, decoding).map(|(d, _)| d)
}

/// [`decode_draft`] with a configured fallback encoding, which is not applied to bytes that
/// are valid UTF-8 (the notice says so).
fn decode_with(
    name: &str,
    bytes: Vec<u8>,
    is_docx: bool,
    decoding: Decoding,
) -> Result<(crate::source::Decoded, Option<String>), LoadProblem> {
    if bytes.is_empty() {
        return Err(LoadProblem::Skipped(format!(
            "{name}：空文件，没有可检查的内容"
        )));
    }
    let mut notice = None;
    let decoded = if is_docx {
        let text = crate::docx::extract_text(&bytes)
            .map_err(|e| LoadProblem::Skipped(format!("{name}：{e}")))?;
        drop(bytes);
        crate::source::Decoded {
            text,
            encoding: TextEncoding::Utf8,
        }
    } else {
        let forced = match (decoding.forced, decoding.fallback) {
            (Some(e), _) => Some(e),
            (None, Some(e)) if is_utf8_family(e) => Some(e),
            (None, Some(e)) if is_non_ascii_utf8(&bytes) => {
                notice = Some(format!(
                    "{name}：内容是有效的 UTF-8，已按 UTF-8 读取，虽然配置写的是 `encoding: {e}`\
                     （要强制按 {e} 读取，请用 --encoding {e}）"
                ));
                None
            }
            (None, fallback) => fallback,
        };
        decode_owned(bytes, forced).map_err(|e| LoadProblem::Skipped(format!("{name}：{e}")))?
    };
    if decoded.text.trim().is_empty() {
        return Err(LoadProblem::Skipped(format!(
            "{name}：只有空白字符，没有可检查的内容"
        )));
    }
    Ok((decoded, notice))
}

fn is_utf8_family(e: TextEncoding) -> bool {
    matches!(e, TextEncoding::Utf8 | TextEncoding::Utf8Bom)
}

/// Valid UTF-8 (a BOM allowed) with at least one non-ASCII character.
fn is_non_ascii_utf8(bytes: &[u8]) -> bool {
    let body = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    !body.is_ascii() && std::str::from_utf8(body).is_ok()
}

/// What a file looked like when it was read: size, modification time and identity. A fix
/// is written only over a file that still looks like this (and still holds the text that
/// was checked), so an edit saved in the meantime is never overwritten.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileSnapshot {
    len: u64,
    modified: Option<std::time::SystemTime>,
    /// Device and inode (Unix).
    identity: Option<(u64, u64)>,
}

impl FileSnapshot {
    pub fn of(meta: &std::fs::Metadata) -> FileSnapshot {
        #[cfg(unix)]
        let identity = {
            use std::os::unix::fs::MetadataExt;
            Some((meta.dev(), meta.ino()))
        };
        #[cfg(not(unix))]
        let identity = None;
        FileSnapshot {
            len: meta.len(),
            modified: meta.modified().ok(),
            identity,
        }
    }

    /// Read the snapshot of the file at `path` now.
    pub fn read(path: &Path) -> std::io::Result<FileSnapshot> {
        std::fs::metadata(path).map(|m| FileSnapshot::of(&m))
    }
}

/// Why a fixed file was not written.
#[derive(Debug)]
pub enum WriteError {
    /// The file changed after it was read (another program saved it).
    Changed,
    /// The fixed text cannot be written in the file's encoding without loss.
    Lossy(crate::source::SpliceError),
    Io(std::io::Error),
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::Changed => {
                f.write_str("gwlint 修复期间文件在磁盘上被改动过，请重新运行 gwlint")
            }
            WriteError::Lossy(e) => write!(f, "{e}"),
            WriteError::Io(e) => write!(f, "无法写入修复后的文件：{}", io_message(e)),
        }
    }
}

impl From<std::io::Error> for WriteError {
    fn from(e: std::io::Error) -> WriteError {
        WriteError::Io(e)
    }
}

/// Write the fixed text of a file back: only if the file still is what was read
/// (`snapshot`, and its bytes still decode to `original`), with the original bytes kept
/// outside `changes` ([`crate::source::splice`], verified to read back as `fixed`). A
/// file with more than one hard link is rewritten in place (its other names see the fix);
/// otherwise a temporary file with the original's permissions, owner and extended
/// attributes replaces it by a rename (or, when an attribute cannot be copied, the file
/// is rewritten in place). A symlink is followed. On any error nothing is written.
pub fn write_fixed(
    path: &Path,
    snapshot: &FileSnapshot,
    original: &str,
    fixed: &str,
    encoding: TextEncoding,
    changes: &[crate::fix::Change],
) -> Result<(), WriteError> {
    let target = std::fs::canonicalize(path)?;
    let mut file = std::fs::File::open(&target)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(std::io::Error::other("不是普通文件").into());
    }
    if FileSnapshot::of(&meta) != *snapshot {
        return Err(WriteError::Changed);
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    (&mut file)
        .take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)?;
    drop(file);
    let pairs: Vec<_> = changes
        .iter()
        .map(|c| (c.original.clone(), c.fixed.clone()))
        .collect();
    let new =
        crate::source::splice(&bytes, original, fixed, encoding, &pairs).map_err(|e| match e {
            crate::source::SpliceError::NotTheOriginal => WriteError::Changed,
            other => WriteError::Lossy(other),
        })?;
    drop(bytes);
    if meta.permissions().readonly() {
        return Err(
            std::io::Error::new(std::io::ErrorKind::PermissionDenied, "文件是只读的").into(),
        );
    }
    if link_count(&meta) > 1 {
        return write_in_place(&target, &new, snapshot);
    }
    replace_by_rename(&target, &new, &meta, snapshot)
}

#[cfg(unix)]
fn link_count(meta: &std::fs::Metadata) -> u64 {
    use std::os::unix::fs::MetadataExt;
    meta.nlink()
}

#[cfg(not(unix))]
fn link_count(_: &std::fs::Metadata) -> u64 {
    1
}

/// Overwrite the file through its own inode (hard links and attributes stay), after
/// checking once more that it is the file that was read.
fn write_in_place(target: &Path, bytes: &[u8], snapshot: &FileSnapshot) -> Result<(), WriteError> {
    let mut file = std::fs::OpenOptions::new().write(true).open(target)?;
    if FileSnapshot::of(&file.metadata()?) != *snapshot {
        return Err(WriteError::Changed);
    }
    file.write_all(bytes)?;
    file.set_len(bytes.len() as u64)?;
    file.sync_all()?;
    Ok(())
}

/// A temporary file with the new bytes, the original's permissions, owner and extended
/// attributes, renamed over the original once it is checked to be unchanged.
fn replace_by_rename(
    target: &Path,
    bytes: &[u8],
    meta: &std::fs::Metadata,
    snapshot: &FileSnapshot,
) -> Result<(), WriteError> {
    let dir = target.parent().unwrap_or_else(|| Path::new("."));
    let tmp = synced_temp_file(dir, bytes)?;
    std::fs::set_permissions(tmp.path(), meta.permissions())?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        // best effort: only root (or the owner, for the group) may do this
        let _ = std::os::unix::fs::chown(tmp.path(), Some(meta.uid()), Some(meta.gid()));
    }
    if !copy_xattrs(target, tmp.path()) {
        drop(tmp);
        return write_in_place(target, bytes, snapshot);
    }
    if FileSnapshot::read(target)? != *snapshot {
        return Err(WriteError::Changed);
    }
    tmp.persist(target).map_err(|e| e.error)?;
    Ok(())
}

/// Copy every extended attribute of `from` to `to`; `false` when one could not be read
/// or set (a file system without them has none, which is `true`).
#[cfg(unix)]
fn copy_xattrs(from: &Path, to: &Path) -> bool {
    let Ok(names) = xattr::list(from) else {
        return true;
    };
    names.into_iter().all(|name| match xattr::get(from, &name) {
        Ok(Some(value)) => xattr::set(to, &name, &value).is_ok(),
        Ok(None) => true,
        Err(_) => false,
    })
}

#[cfg(not(unix))]
fn copy_xattrs(_: &Path, _: &Path) -> bool {
    true
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
    let tmp = synced_temp_file(dir, bytes)?;
    // a new file gets the usual permissions (0666 less the umask), not the temporary
    // file's 0600
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let probe = tempfile::Builder::new()
            .prefix(".gwlint-")
            .permissions(std::fs::Permissions::from_mode(0o666))
            .tempfile_in(dir)?;
        std::fs::set_permissions(tmp.path(), probe.as_file().metadata()?.permissions())?;
    }
    tmp.persist(path).map_err(|e| e.error)?;
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
