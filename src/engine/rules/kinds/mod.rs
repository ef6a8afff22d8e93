//! The generic rule kinds that YAML rule files configure.

pub mod dated;
pub mod exceptions;
pub mod lazy_regex;
pub mod line_filter;
pub mod line_set;
pub mod literal_set;
pub mod pattern;
pub mod substitution;
