//! Rules implemented in Rust (`kind: builtin`). Each file's `//!` header names the ids it
//! implements; its YAML file carries the docs, examples and `params`.
//!
//! To add one: write `rules/<category>/<id>.yaml` with `kind: builtin`, implement
//! [`crate::rules::Check`] in a file here, and add one line to [`BUILTINS`].

pub mod attachments;
pub mod count_claim;
pub mod date_consistency;
pub mod doc_kind;
pub mod duplicate_line;
pub mod hard_wrap;
pub mod homophone_typo;
pub mod mixed_percent_sign;
pub mod outline_numbering;
pub mod percent_missing;
pub mod required_parts;
pub mod toc_mismatch;
pub mod unbalanced_pairs;

use crate::rules::Check;

type Builder = fn(&serde_yaml::Value) -> Result<Box<dyn Check>, String>;

/// The one registration table: id, whether it offers fixes, constructor.
const BUILTINS: &[(&str, Builder)] = &[
    ("percent-sign-missing", percent_missing::build),
    ("unbalanced-pairs", unbalanced_pairs::build),
    ("homophone-typo", homophone_typo::build),
    ("mixed-percent-sign", mixed_percent_sign::build),
    // date-consistency
    (
        "signing-after-issue",
        date_consistency::build_signing_after_issue,
    ),
    (
        "doc-number-year-mismatch",
        date_consistency::build_doc_number_year,
    ),
    ("plan-year-mismatch", date_consistency::build_plan_year),
    (
        "summary-year-mismatch",
        date_consistency::build_summary_year,
    ),
    (
        "deadline-before-signing",
        date_consistency::build_deadline_before_signing,
    ),
    (
        "weekday-mismatch-assumed-year",
        date_consistency::build_weekday_assumed_year,
    ),
    ("invalid-date", date_consistency::build_invalid_date),
    ("weekday-mismatch", date_consistency::build_weekday),
    (
        "reversed-date-range",
        date_consistency::build_reversed_range,
    ),
    (
        "nonstandard-signing-date",
        date_consistency::build_nonstandard,
    ),
    // numbering
    ("skipped-outline-number", outline_numbering::build_skipped),
    ("repeated-outline-number", outline_numbering::build_repeated),
    ("wrong-outline-start", outline_numbering::build_wrong_start),
    (
        "mixed-outline-delimiter",
        outline_numbering::build_mixed_delimiter,
    ),
    ("mixed-outline-style", outline_numbering::build_mixed_style),
    (
        "misplaced-outline-level",
        outline_numbering::build_misplaced,
    ),
    ("glued-list-item", outline_numbering::build_glued),
    // structure
    ("missing-required-part", required_parts::build),
    ("attachment-mismatch", attachments::build),
    // doc-kind
    ("invalid-doc-kind", doc_kind::build_invalid),
    ("report-asks-for-approval", doc_kind::build_report_asks),
    ("request-several-matters", doc_kind::build_several_matters),
    ("request-without-closing", doc_kind::build_without_closing),
    ("letter-asks-for-instructions", doc_kind::build_letter_asks),
    ("count-claim-mismatch", count_claim::build),
    ("toc-mismatch", toc_mismatch::build),
    ("duplicate-line", duplicate_line::build),
    ("hard-wrapped-paragraph", hard_wrap::build),
];

pub fn build(id: &str, params: &serde_yaml::Value) -> Result<Box<dyn Check>, String> {
    match BUILTINS.iter().find(|(name, _)| *name == id) {
        Some((_, builder)) => builder(params),
        None => Err(format!(
            "no built-in implementation named `{id}` (known: {})",
            BUILTINS.iter().map(|b| b.0).collect::<Vec<_>>().join(", ")
        )),
    }
}

/// The ids in [`BUILTINS`] (tests/tidy.rs checks each has its YAML file).
pub fn registered_ids() -> impl Iterator<Item = &'static str> {
    BUILTINS.iter().map(|(id, _)| *id)
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
