//! Helpers shared by integration tests (declared once in tests/integration/main.rs and
//! tests/e2e/main.rs, `use crate::common;` in a test file) and benchmarks
//! (`#[path = "../common/mod.rs"] mod common;`).

pub mod lsp_frames;
pub mod samples;
pub mod serve;
