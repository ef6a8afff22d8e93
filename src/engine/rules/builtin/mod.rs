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
const BUILTINS: &[(&str, bool, Builder)] = &[
    ("percent-sign-missing", true, percent_missing::build),
    ("unbalanced-pairs", false, unbalanced_pairs::build),
    ("homophone-typo", true, homophone_typo::build),
    ("mixed-percent-sign", true, mixed_percent_sign::build),
    // date-consistency
    (
        "signing-after-issue",
        false,
        date_consistency::build_signing_after_issue,
    ),
    (
        "doc-number-year-mismatch",
        false,
        date_consistency::build_doc_number_year,
    ),
    (
        "plan-year-mismatch",
        false,
        date_consistency::build_plan_year,
    ),
    (
        "summary-year-mismatch",
        false,
        date_consistency::build_summary_year,
    ),
    (
        "deadline-before-signing",
        false,
        date_consistency::build_deadline_before_signing,
    ),
    (
        "weekday-mismatch-assumed-year",
        true,
        date_consistency::build_weekday_assumed_year,
    ),
    ("invalid-date", false, date_consistency::build_invalid_date),
    ("weekday-mismatch", true, date_consistency::build_weekday),
    (
        "reversed-date-range",
        false,
        date_consistency::build_reversed_range,
    ),
    (
        "nonstandard-signing-date",
        true,
        date_consistency::build_nonstandard,
    ),
    // numbering
    (
        "skipped-outline-number",
        false,
        outline_numbering::build_skipped,
    ),
    (
        "repeated-outline-number",
        false,
        outline_numbering::build_repeated,
    ),
    (
        "wrong-outline-start",
        false,
        outline_numbering::build_wrong_start,
    ),
    (
        "mixed-outline-delimiter",
        true,
        outline_numbering::build_mixed_delimiter,
    ),
    (
        "mixed-outline-style",
        false,
        outline_numbering::build_mixed_style,
    ),
    (
        "misplaced-outline-level",
        true,
        outline_numbering::build_misplaced,
    ),
    ("glued-list-item", true, outline_numbering::build_glued),
    // structure
    ("missing-required-part", false, required_parts::build),
    ("attachment-mismatch", false, attachments::build),
    // doc-kind
    ("invalid-doc-kind", false, doc_kind::build_invalid),
    (
        "report-asks-for-approval",
        false,
        doc_kind::build_report_asks,
    ),
    (
        "request-several-matters",
        false,
        doc_kind::build_several_matters,
    ),
    (
        "request-without-closing",
        false,
        doc_kind::build_without_closing,
    ),
    (
        "letter-asks-for-instructions",
        false,
        doc_kind::build_letter_asks,
    ),
    ("count-claim-mismatch", false, count_claim::build),
    ("toc-mismatch", false, toc_mismatch::build),
    ("duplicate-line", false, duplicate_line::build),
    ("hard-wrapped-paragraph", true, hard_wrap::build),
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

/// The ids in [`BUILTINS`] (tests/tidy.rs checks each has its YAML file).
pub fn registered_ids() -> impl Iterator<Item = &'static str> {
    BUILTINS.iter().map(|(id, _, _)| *id)
}

/// Whether the builtin `id` offers fixes.
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
