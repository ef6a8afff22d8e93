//! Sample drafts for the benchmarks: the `.txt` files of the fixture documents and, when
//! `../shared/corpus/dev` is present, of the dev corpus.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use std::path::{Path, PathBuf};

pub fn fixture_documents() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/documents")
}

/// The dev corpus beside the repository, if present.
pub fn dev_corpus() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/dev");
    dir.is_dir().then_some(dir)
}

/// The texts of the `.txt` files in `dir` (only the one named `only`, when given), in
/// file-name order, decoded as gwlint decodes them (the dev corpus has a GBK draft).
pub fn drafts(dir: &Path, only: Option<&str>) -> Vec<String> {
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .filter(|p| only.is_none_or(|name| p.ends_with(name)))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| {
            gwlint::source::decode(&std::fs::read(p).unwrap(), None)
                .unwrap()
                .text
        })
        .collect()
}

/// [`drafts`] joined, each followed by a line break.
pub fn joined(dir: &Path, only: Option<&str>) -> String {
    drafts(dir, only).iter().map(|t| format!("{t}\n")).collect()
}
