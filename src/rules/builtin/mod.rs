//! Rules implemented in Rust (`kind: builtin`). Each file's `//!` header names the ids it
//! implements; its YAML file carries the docs, examples and `params`.
//!
//! To add one: write `rules/<category>/<id>.yaml` with `kind: builtin`, implement
//! [`crate::rules::Check`] in a file here, and add one line to [`BUILTINS`].

pub mod percent_missing;
pub mod unbalanced_pairs;

use crate::rules::Check;

type Builder = fn(&serde_yaml::Value) -> Result<Box<dyn Check>, String>;

/// The one registration table: id, whether it offers fixes, constructor.
const BUILTINS: &[(&str, bool, Builder)] = &[
    ("percent-sign-missing", true, percent_missing::build),
    ("unbalanced-pairs", false, unbalanced_pairs::build),
];

pub fn build(id: &str, params: &serde_yaml::Value) -> Result<Box<dyn Check>, String> {
    match BUILTINS.iter().find(|(name, _, _)| *name == id) {
        Some((_, _, builder)) => builder(params),
        None => Err(format!(
            "no built-in implementation named `{id}` (known: {})",
            BUILTINS.iter().map(|b| b.0).collect::<Vec<_>>().join(", ")
        )),
    }
}

pub fn is_fixable(id: &str) -> bool {
    BUILTINS
        .iter()
        .any(|(name, fixable, _)| *name == id && *fixable)
}

/// Deserialize a rule's `params` into `T`, with a readable error.
pub fn params<T: serde::de::DeserializeOwned + Default>(
    value: &serde_yaml::Value,
) -> Result<T, String> {
    if value.is_null() {
        return Ok(T::default());
    }
    serde_yaml::from_value(value.clone()).map_err(|e| format!("invalid params: {e}"))
}
