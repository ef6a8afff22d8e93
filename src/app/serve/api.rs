//! What the page asks and what it gets back, answered by the engine the CLI uses. Pure:
//! no I/O, no HTTP (the routes in [`super::http`] only move bytes in and out of these
//! functions), so every answer is testable without a server.
//!
//! - [`check`]: the findings of a text, each exactly the object `gwlint check --format json`
//!   prints ([`crate::render::json::diagnostic_value`]);
//! - [`fix`]: one finding's fix, or every safe fix ([`crate::fix::fix_until_stable`], as
//!   `--fix` does it), and the findings of the result;
//! - [`decode`]: an uploaded `.txt` / `.md` / `.docx` turned into text
//!   ([`crate::load::decode_draft`], as `gwlint check` reads files);
//! - [`annotate`]: an uploaded `.docx` with a Word comment per finding
//!   ([`crate::docx::annotate::annotate_docx`], as `gwlint check --annotate` writes it);
//! - [`rules_info`]: every rule with the text `gwlint explain` prints.
//!
//! The page's settings act like `gwlint check --isolated --select … --ignore …` with a
//! config holding only `profile:` (no config or ignore file is read: nothing on disk is
//! consulted); [`crate::config::settings_with_overrides`] combines them as for the CLI.

use crate::diagnostic::{Category, Diagnostic};
use crate::document::{Document, Profile};
use crate::fix::{self, FixMode};
use crate::load::LoadProblem;
use crate::rules::{RuleSet, Settings};
use crate::source::TextEncoding;
use serde::Deserialize;
use serde_json::{json, Value};
use std::path::Path;

/// The name a pasted text is checked under (as `gwlint check -` names stdin).
pub const PASTED_NAME: &str = "-";

/// Why a request was not answered: an HTTP status and a message for the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: u16,
    pub message: String,
}

impl ApiError {
    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError {
            status: 400,
            message: message.into(),
        }
    }

    /// The body of the error response: `{"error": message}`.
    pub fn body(&self) -> Value {
        json!({ "error": self.message })
    }
}

/// The settings a person can change on the page.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageSettings {
    /// Only these rules or categories (like `--select`); empty = all.
    #[serde(default)]
    pub select: Vec<String>,
    /// Skip these rules or categories (like `--ignore`).
    #[serde(default)]
    pub ignore: Vec<String>,
    /// The document kind (the config's `profile:`).
    #[serde(default)]
    pub profile: Profile,
}

/// A text to check, under a name (the uploaded file's, or [`PASTED_NAME`]).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckRequest {
    pub text: String,
    #[serde(default = "pasted_name")]
    pub name: String,
    #[serde(default)]
    pub settings: PageSettings,
}

fn pasted_name() -> String {
    PASTED_NAME.to_string()
}

/// One finding to fix, named by rule and byte span as the JSON reports it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FixTarget {
    pub rule: String,
    pub start: usize,
    pub end: usize,
}

/// Fix one finding (`target`), or every safe fix when `target` is absent.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FixRequest {
    pub text: String,
    #[serde(default = "pasted_name")]
    pub name: String,
    #[serde(default)]
    pub settings: PageSettings,
    #[serde(default)]
    pub target: Option<FixTarget>,
}

/// Parse a JSON request body, with a message a person can act on.
pub fn parse<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(body)
        .map_err(|e| ApiError::bad_request(format!("请求格式不正确（invalid request）：{e}")))
}

/// What applies to a text called `name`: the page's select/ignore combined as the CLI
/// combines flags; unknown rule ids or categories are refused as the CLI refuses them.
fn resolve(rules: &RuleSet, name: &str, page: &PageSettings) -> Result<Settings, ApiError> {
    let settings =
        crate::config::settings_with_overrides(None, Path::new(name), &page.select, &page.ignore);
    let unknown = settings.unknown_selectors(rules);
    if !unknown.is_empty() {
        return Err(ApiError::bad_request(format!(
            "没有这些规则或类别：{}（类别有 {}）",
            rules.describe_unknown(&unknown),
            Category::ALL.map(|c| c.as_str()).join("、")
        )));
    }
    Ok(settings)
}

fn document(name: &str, text: String, profile: Profile) -> Document {
    let mut doc = Document::new(name, text, TextEncoding::Utf8);
    doc.profile = profile;
    doc
}

/// The findings shown and fixed: the CLI's check with its suppressions (Markdown
/// `gwlint-disable` comments; no ignore file is read).
fn lint(doc: &Document, rules: &RuleSet, settings: &Settings) -> Vec<Diagnostic> {
    crate::app::workspace::lint(doc, rules, settings, None, None).0
}

fn findings_json(doc: &Document, diagnostics: &[Diagnostic]) -> Value {
    Value::Array(
        diagnostics
            .iter()
            .map(|d| crate::render::json::diagnostic_value(doc, d))
            .collect(),
    )
}

/// `{"diagnostics": [...]}`: the findings of the text, as `--format json` reports them.
pub fn check(rules: &RuleSet, req: CheckRequest) -> Result<Value, ApiError> {
    let settings = resolve(rules, &req.name, &req.settings)?;
    let doc = document(&req.name, req.text, req.settings.profile);
    let diagnostics = lint(&doc, rules, &settings);
    Ok(json!({ "diagnostics": findings_json(&doc, &diagnostics) }))
}

/// `{"text", "fixed", "diagnostics"}`: the text after the fix(es), how many fixes were
/// applied, and its findings. One target: that finding's fix (safe or unsafe: the person
/// chose it), refused when the text no longer has that finding. No target: every safe
/// fix, re-checking until nothing changes, as `gwlint check --fix` does.
pub fn fix(rules: &RuleSet, req: FixRequest) -> Result<Value, ApiError> {
    let settings = resolve(rules, &req.name, &req.settings)?;
    let profile = req.settings.profile;
    let remake = |text: &str| document(&req.name, text.to_owned(), profile);
    let (text, fixed) = match &req.target {
        Some(target) => {
            let diagnostics = lint(&remake(&req.text), rules, &settings);
            let chosen = diagnostics.iter().find(|d| {
                d.rule.as_str() == target.rule
                    && d.span == (target.start..target.end)
                    && d.fix.is_some()
            });
            let Some(chosen) = chosen else {
                return Err(ApiError {
                    status: 409,
                    message: "这处问题已经不在了（文本已改动），请重新检查后再修复。".into(),
                });
            };
            let pass = fix::apply_fixes_pass(
                &req.text,
                std::slice::from_ref(chosen),
                FixMode::SafeAndUnsafe,
            );
            let n = pass.fixes();
            (pass.text, n)
        }
        None => {
            let outcome = fix::fix_until_stable(&req.text, FixMode::SafeOnly, |text| {
                lint(&remake(text), rules, &settings)
            })
            .map_err(|e| ApiError {
                status: 422,
                message: format!("修复没有收敛，文本未改动（{e}）"),
            })?;
            let n = outcome.fixes();
            (outcome.text, n)
        }
    };
    let doc = remake(&text);
    let diagnostics = lint(&doc, rules, &settings);
    Ok(json!({
        "text": doc.text,
        "fixed": fixed,
        "diagnostics": findings_json(&doc, &diagnostics),
    }))
}

/// `{"text", "encoding", "crlf"}`: an uploaded file's text, decoded as `gwlint check`
/// decodes files (a `.docx`: one line per paragraph). `crlf`: the text has Windows line
/// endings (the page writes them back when it saves the text).
pub fn decode(bytes: Vec<u8>, is_docx: bool) -> Result<Value, ApiError> {
    let name = if is_docx {
        "上传的 .docx"
    } else {
        "上传的文件"
    };
    let decoded = crate::load::decode_draft(name, bytes, is_docx, None).map_err(|p| {
        let (LoadProblem::Error(m) | LoadProblem::Skipped(m)) = p;
        ApiError {
            status: 422,
            message: format!("无法读取这个文件：{}", m.trim_end_matches("，已跳过")),
        }
    })?;
    Ok(json!({
        "text": decoded.text,
        "encoding": decoded.encoding.name(),
        "crlf": decoded.text.contains("\r\n"),
    }))
}

/// The query of `POST /api/annotate`: the page's settings (JSON) and whether the safe
/// fixes are also written as tracked changes.
#[derive(Debug, Clone, Default)]
pub struct AnnotateRequest {
    pub settings: PageSettings,
    pub track_changes: bool,
}

impl AnnotateRequest {
    /// Read `settings=<JSON, percent-encoded>&track_changes=1` (both optional).
    pub fn from_query(query: Option<&str>) -> Result<AnnotateRequest, ApiError> {
        let mut req = AnnotateRequest::default();
        for pair in query.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let value = percent_encoding::percent_decode_str(value)
                .decode_utf8()
                .map_err(|_| ApiError::bad_request("请求参数不是 UTF-8（invalid query）"))?;
            match key {
                "settings" => req.settings = parse(value.as_bytes())?,
                "track_changes" => req.track_changes = matches!(&*value, "1" | "true"),
                _ => {
                    return Err(ApiError::bad_request(format!(
                        "未知的请求参数：{key}（expected settings, track_changes）"
                    )))
                }
            }
        }
        Ok(req)
    }
}

/// The annotated `.docx` and how many comments and tracked changes went into it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnnotateAnswer {
    pub bytes: Vec<u8>,
    pub comments: usize,
    pub tracked_fixes: usize,
}

/// The uploaded `.docx` with one Word comment per finding (and, with `track_changes`,
/// each safe fix as a tracked change), as `gwlint check --annotate` writes it: the
/// findings are those of the `.docx` as uploaded, not of the text edited on the page.
pub fn annotate(
    rules: &RuleSet,
    docx: Vec<u8>,
    req: &AnnotateRequest,
    date: String,
) -> Result<AnnotateAnswer, ApiError> {
    let settings = resolve(rules, "上传的 .docx", &req.settings)?;
    let text = crate::docx::extract_text(&docx).map_err(|e| ApiError {
        status: 422,
        message: format!("无法读取这个文件：{}", e.reason()),
    })?;
    let doc = document("上传的 .docx", text, req.settings.profile);
    let diagnostics = lint(&doc, rules, &settings);
    let options = crate::docx::annotate::AnnotateOptions {
        track_changes: req.track_changes,
        date,
    };
    let annotated =
        crate::docx::annotate::annotate_docx(&docx, &diagnostics, &options).map_err(|e| {
            ApiError {
                status: 422,
                message: format!("无法生成带批注的文件：{e}"),
            }
        })?;
    Ok(AnnotateAnswer {
        bytes: annotated.bytes,
        comments: annotated.comments,
        tracked_fixes: annotated.tracked_fixes,
    })
}

/// Every rule (id, category, severity, title, fixable, and the `gwlint explain` text),
/// the categories, the profiles and the server's limits, for the page to start with.
pub fn rules_info(rules: &RuleSet, max_body_bytes: usize) -> Value {
    let list: Vec<Value> = rules
        .rules()
        .iter()
        .map(|r| {
            json!({
                "id": r.meta.id,
                "category": r.meta.category.as_str(),
                "severity": r.meta.severity.as_str(),
                "title": r.meta.title,
                "fixable": r.meta.fixable,
                "explain": crate::explain::explain(&r.meta),
            })
        })
        .collect();
    json!({
        "rules": list,
        "categories": Category::ALL.map(|c| c.as_str()),
        "profiles": Profile::ALL.map(|p| p.as_str()),
        "max_body_bytes": max_body_bytes,
        // the server writes Word comments on an uploaded .docx (`POST /api/annotate`)
        "annotate": true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> RuleSet {
        RuleSet::builtin().unwrap()
    }

    fn request(text: &str) -> CheckRequest {
        CheckRequest {
            text: text.into(),
            name: PASTED_NAME.into(),
            settings: PageSettings::default(),
        }
    }

    fn rule_ids(v: &Value) -> Vec<String> {
        v["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["rule"].as_str().unwrap().to_string())
            .collect()
    }

    #[test]
    fn check_reports_findings_in_the_cli_json_shape() {
        let v = check(&rules(), request("完成率不低于 95 。\n")).unwrap();
        let d = &v["diagnostics"][0];
        for key in [
            "path", "rule", "category", "severity", "message", "start", "end", "fix",
        ] {
            assert!(d.get(key).is_some(), "missing {key} in {d}");
        }
        assert!(rule_ids(&v).contains(&"percent-sign-missing".to_string()));
        assert_eq!(d["path"], "-");
    }

    #[test]
    fn select_and_ignore_act_like_the_flags() {
        let text = "区政发[2024]3号\n学习贯彻党的XX大精神。\n";
        let mut req = request(text);
        req.settings.select = vec!["placeholder".into()];
        let ids = rule_ids(&check(&rules(), req.clone()).unwrap());
        assert!(!ids.is_empty() && ids.iter().all(|r| r == "template-placeholder"));
        req.settings.select.clear();
        req.settings.ignore = vec!["placeholder".into()];
        let ids = rule_ids(&check(&rules(), req).unwrap());
        assert!(ids.contains(&"doc-number-bracket".to_string()));
        assert!(!ids.contains(&"template-placeholder".to_string()));
    }

    #[test]
    fn an_unknown_selector_is_refused_with_its_name() {
        let mut req = request("正文。\n");
        req.settings.ignore = vec!["no-such-rule".into()];
        let e = check(&rules(), req).unwrap_err();
        assert_eq!(e.status, 400);
        assert!(e.message.contains("no-such-rule"), "{}", e.message);
    }

    #[test]
    fn fix_all_applies_safe_fixes_only() {
        let text = "区政发[2024]3号\n完成率不低于 95 。\n";
        let req = FixRequest {
            text: text.into(),
            name: PASTED_NAME.into(),
            settings: PageSettings::default(),
            target: None,
        };
        let v = fix(&rules(), req).unwrap();
        let fixed = v["text"].as_str().unwrap();
        assert!(fixed.contains("〔2024〕"), "{fixed}");
        // the inserted % is an unsafe fix: not applied by "fix all"
        assert!(!fixed.contains('%'), "{fixed}");
        assert!(v["fixed"].as_u64().unwrap() >= 1);
    }

    #[test]
    fn fix_one_applies_exactly_that_finding_and_refuses_a_vanished_one() {
        let text = "完成率不低于 95 。\n区政发[2024]3号\n";
        let found = check(&rules(), request(text)).unwrap();
        let percent = found["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["rule"] == "percent-sign-missing")
            .unwrap()
            .clone();
        let target = FixTarget {
            rule: "percent-sign-missing".into(),
            start: percent["start"]["offset"].as_u64().unwrap() as usize,
            end: percent["end"]["offset"].as_u64().unwrap() as usize,
        };
        let req = FixRequest {
            text: text.into(),
            name: PASTED_NAME.into(),
            settings: PageSettings::default(),
            target: Some(target.clone()),
        };
        let v = fix(&rules(), req.clone()).unwrap();
        let fixed = v["text"].as_str().unwrap();
        assert!(fixed.contains("95%"), "{fixed}");
        assert!(fixed.contains("[2024]"), "only the chosen fix: {fixed}");
        assert_eq!(v["fixed"], 1);
        let again = FixRequest {
            text: fixed.into(),
            ..req
        };
        assert_eq!(fix(&rules(), again).unwrap_err().status, 409);
    }

    #[test]
    fn decode_reads_gbk_and_refuses_binary_with_a_message() {
        let (gbk, _, _) = encoding_rs::GBK.encode("关于印发工作要点的通知\r\n");
        let v = decode(gbk.into_owned(), false).unwrap();
        assert_eq!(v["text"], "关于印发工作要点的通知\r\n");
        assert_eq!(v["crlf"], true);
        assert_eq!(v["encoding"], "gb18030");
        let e = decode(vec![0, 1, 2, 3, 0], false).unwrap_err();
        assert!(e.message.contains("二进制文件"), "{}", e.message);
        let e = decode(b"not a zip".to_vec(), true).unwrap_err();
        assert!(e.message.contains(".docx"), "{}", e.message);
    }

    #[test]
    fn rules_info_carries_the_explain_text() {
        let rules = rules();
        let v = rules_info(&rules, 10);
        let r = &v["rules"][0];
        let id = r["id"].as_str().unwrap();
        let meta = &rules.get(id).unwrap().meta;
        assert_eq!(r["explain"], crate::explain::explain(meta));
    }
}
