//! The end-to-end tests that drive outside tools (Neovim, pre-commit, Chromium), one
//! binary; each skips with a message when its tool is missing, and fails instead when
//! `CI` is set (`.ci/run` installs the tools). `cargo test --test e2e precommit::` runs one.

// helpers shared with the integration tests (`use crate::common;` in serve_e2e)
#[path = "../common/mod.rs"]
mod common;

#[path = "../nvim_e2e.rs"]
mod nvim_e2e;
#[path = "../precommit.rs"]
mod precommit;
#[path = "../serve_e2e.rs"]
mod serve_e2e;
