//! Helpers shared by integration tests (`mod common;` in a test file).

pub mod lsp_frames;
