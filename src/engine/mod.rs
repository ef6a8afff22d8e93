//! The engine: from decoded text to diagnostics, fixes and rendered reports. No file,
//! terminal, network or process I/O (renderers write to a `Write` they are given); nothing
//! from [`crate::app`]. tests/tidy.rs fails when either creeps in.

pub mod diagnostic;
pub mod document;
pub mod explain;
pub mod fix;
pub mod markdown;
pub mod normalize;
pub mod render;
pub mod rules;
pub mod segment;
pub mod source;
pub mod suppress;
