//! Helpers shared by integration tests (`mod common;` in a test file) and benchmarks
//! (`#[path = "../common/mod.rs"] mod common;`).

pub mod lsp_frames;
pub mod samples;
pub mod serve;
