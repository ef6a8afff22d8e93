//! The shells: everything that touches the outside world. [`workspace`] answers "what
//! applies to this file" (rule folders, config, ignore file); [`load`] and [`docx`] read
//! files; [`cli`], [`lsp`] and [`serve`] are the front ends.

pub mod cli;
pub mod config;
pub mod docx;
pub mod load;
pub mod lsp;
pub mod serve;
pub mod workspace;

/// Exit code: nothing at or above `--fail-on`.
pub const EXIT_CLEAN: i32 = 0;
/// Exit code: diagnostics at or above `--fail-on`.
pub const EXIT_DIAGNOSTICS: i32 = 1;
/// Exit code: usage, rule, config or I/O error.
pub const EXIT_ERROR: i32 = 2;
