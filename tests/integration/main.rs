//! The integration tests, one binary (one link, one process whose test threads share the
//! work): each `tests/<name>.rs` is a module here. Run one file's tests with
//! `cargo test --test integration <name>::`. Snapshot tests (insta) are binaries of their
//! own (`fixtures`, `report`, `structure`: their snapshot names follow the binary), so is
//! `linear` (its CPU-time ratios must not count other tests' threads), and the tests that
//! drive outside tools are `tests/e2e/main.rs`.

// helpers shared by lsp, lsp_resilience and serve (`use crate::common;` there)
#[path = "../common/mod.rs"]
mod common;

#[path = "../annotate.rs"]
mod annotate;
#[path = "../cli.rs"]
mod cli;
#[path = "../config.rs"]
mod config;
#[path = "../corpus.rs"]
mod corpus;
#[path = "../docx.rs"]
mod docx;
#[path = "../fix.rs"]
mod fix;
#[path = "../fix_props.rs"]
mod fix_props;
#[path = "../formats.rs"]
mod formats;
#[path = "../hostile.rs"]
mod hostile;
#[path = "../lsp.rs"]
mod lsp;
#[path = "../lsp_resilience.rs"]
mod lsp_resilience;
#[path = "../nothing_lost.rs"]
mod nothing_lost;
#[path = "../props.rs"]
mod props;
#[path = "../rules.rs"]
mod rules;
#[path = "../serve.rs"]
mod serve;
#[path = "../suppress.rs"]
mod suppress;
#[path = "../surprises.rs"]
mod surprises;
#[path = "../tidy.rs"]
mod tidy;
