//! Output formats: jsonl, SARIF 2.1.0 (validated against the official schema committed in
//! tests/schemas/, see its README), GitHub workflow commands, JUnit XML; --statistics and
//! --exit-zero.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn gwlint_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gwlint"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .unwrap()
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

const DIRTY: &str = "关于开展劳动竟赛的通知\n各基层工会:\n职工入会率不低于 80，全面贯彻党的XX大精神。\n太极工发[2018] 7号\n请于2023年2月30日前报名。\n";
/// The project's clean example document (tests/fixtures.rs keeps it free of findings).
fn clean_draft() -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/documents/clean-draft.txt"),
    )
    .unwrap()
}

fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("稿件")).unwrap();
    std::fs::write(dir.path().join("稿件/通知 草稿.txt"), DIRTY).unwrap();
    std::fs::write(dir.path().join("clean.txt"), clean_draft()).unwrap();
    dir
}

/// The one `pattern` of the published schema that is not a valid regex (a stray `]` in the
/// `language` property's BCP-47 pattern, a known erratum that JSON-schema validators refuse
/// to compile). gwlint never writes `language`; the in-memory copy drops that keyword and
/// the committed file stays byte-for-byte as published.
const BROKEN_PATTERN: &str = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$";

fn drop_broken_pattern(v: &mut Value) -> usize {
    match v {
        Value::Object(map) => {
            let mut n = 0;
            if map.get("pattern").and_then(Value::as_str) == Some(BROKEN_PATTERN) {
                map.remove("pattern");
                n += 1;
            }
            n + map.values_mut().map(drop_broken_pattern).sum::<usize>()
        }
        Value::Array(items) => items.iter_mut().map(drop_broken_pattern).sum(),
        _ => 0,
    }
}

fn sarif_validator() -> jsonschema::Validator {
    let schema_path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schemas/sarif-schema-2.1.0.json");
    let mut schema: Value =
        serde_json::from_str(&std::fs::read_to_string(schema_path).unwrap()).unwrap();
    assert_eq!(
        schema["title"],
        "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    );
    assert_eq!(drop_broken_pattern(&mut schema), 2, "the known erratum");
    // formats (uri, uri-reference, date-time) are checked in our output too
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap()
}

fn schema_errors(validator: &jsonschema::Validator, log: &Value) -> Vec<String> {
    validator
        .iter_errors(log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

#[test]
fn sarif_is_valid_against_the_official_schema() {
    let dir = project();
    let validator = sarif_validator();
    let o = gwlint_in(dir.path(), &["check", "--format", "sarif", "."]);
    assert_eq!(o.status.code(), Some(1));
    let log: Value = serde_json::from_str(&out(&o)).unwrap();
    let errors = schema_errors(&validator, &log);
    assert!(errors.is_empty(), "{}", errors.join("\n"));

    let run = &log["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "gwlint");
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let results = run["results"].as_array().unwrap();
    assert!(results.len() >= 4);
    let typo = results
        .iter()
        .find(|r| r["ruleId"] == "common-typo")
        .unwrap();
    let loc = &typo["locations"][0]["physicalLocation"];
    assert_eq!(
        loc["artifactLocation"]["uri"],
        "%E7%A8%BF%E4%BB%B6/%E9%80%9A%E7%9F%A5%20%E8%8D%89%E7%A8%BF.txt"
    );
    assert_eq!(
        (
            loc["region"]["startLine"].as_u64(),
            loc["region"]["startColumn"].as_u64()
        ),
        (Some(1), Some(7))
    );
    assert_eq!(loc["region"]["endColumn"], 9);
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let index = typo["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(rules[index]["id"], "common-typo");
    assert!(rules[index]["help"]["markdown"]
        .as_str()
        .unwrap()
        .contains("## 检查内容"));
    let bracket = results
        .iter()
        .find(|r| r["ruleId"] == "doc-number-bracket")
        .unwrap();
    assert_eq!(
        bracket["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"],
        "〔2018〕"
    );
    assert_eq!(
        typo["partialFingerprints"]["gwlintContextHash/v1"]
            .as_str()
            .unwrap()
            .len(),
        16
    );

    // a clean run is valid too
    let o = gwlint_in(dir.path(), &["check", "--format", "sarif", "clean.txt"]);
    assert_eq!(o.status.code(), Some(0));
    let clean: Value = serde_json::from_str(&out(&o)).unwrap();
    assert!(schema_errors(&validator, &clean).is_empty());
    assert_eq!(clean["runs"][0]["results"].as_array().unwrap().len(), 0);

    // and the validator does reject a broken log (the check is not vacuous)
    let mut broken = log.clone();
    broken["runs"][0]["results"][0]["level"] = Value::from("fatal");
    assert!(!schema_errors(&validator, &broken).is_empty());
    let mut broken = log;
    broken["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        Value::from(0);
    assert!(!schema_errors(&validator, &broken).is_empty());
}

#[test]
fn jsonl_is_one_contract_object_per_line() {
    let dir = project();
    let json: Value = serde_json::from_str(&out(&gwlint_in(
        dir.path(),
        &["check", "--format", "json", "."],
    )))
    .unwrap();
    let jsonl = out(&gwlint_in(dir.path(), &["check", "--format", "jsonl", "."]));
    let lines: Vec<Value> = jsonl
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(&lines, json.as_array().unwrap());
    assert!(lines.len() >= 4);
}

#[test]
fn github_workflow_commands() {
    let dir = project();
    let o = gwlint_in(dir.path(), &["check", "--format", "github", "."]);
    let text = out(&o);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines.len() >= 4, "{text}");
    assert!(lines.iter().all(|l| l.starts_with("::")), "{text}");
    assert!(
        lines.contains(&"::warning file=稿件/通知 草稿.txt,line=1,endLine=1,col=7,endColumn=9,title=gwlint common-typo::疑似错别字：「竟赛」应为「竞赛」 [common-typo]"),
        "{text}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("::error file=稿件/通知 草稿.txt,line=5,")),
        "{text}"
    );
}

#[test]
fn junit_xml_has_a_failure_per_diagnostic() {
    let dir = project();
    let o = gwlint_in(dir.path(), &["check", "--format", "junit", "."]);
    let xml = out(&o);
    let json: Value = serde_json::from_str(&out(&gwlint_in(
        dir.path(),
        &["check", "--format", "json", "."],
    )))
    .unwrap();
    let n = json.as_array().unwrap().len();
    assert!(
        xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites "),
        "{xml}"
    );
    assert_eq!(xml.matches("<failure ").count(), n);
    assert!(
        xml.contains(&format!("tests=\"{}\" failures=\"{n}\"", n + 1)),
        "{xml}"
    );
    assert!(
        xml.contains("<testcase name=\"gwlint\" classname=\"./clean.txt\""),
        "{xml}"
    );
    // balanced elements, nothing unescaped inside attribute values
    for tag in ["testsuites", "testsuite", "failure"] {
        assert_eq!(
            xml.matches(&format!("<{tag} ")).count(),
            xml.matches(&format!("</{tag}>")).count(),
            "{tag}"
        );
    }
    for line in xml.lines().skip(1) {
        let inner = line.trim();
        assert!(inner.starts_with('<') && inner.ends_with('>'), "{line}");
        assert_eq!(inner.matches('"').count() % 2, 0, "{line}");
    }
}

#[test]
fn statistics_and_exit_zero() {
    let dir = project();
    let o = gwlint_in(dir.path(), &["check", "--statistics", "."]);
    assert_eq!(o.status.code(), Some(1));
    let table = out(&o);
    let typo_line = table.lines().find(|l| l.contains("common-typo")).unwrap();
    assert!(typo_line.trim_start().starts_with("1 "), "{table}");
    assert!(
        table
            .lines()
            .any(|l| l.contains("doc-number-bracket") && l.ends_with("[*]")),
        "{table}"
    );
    let o = gwlint_in(
        dir.path(),
        &["check", "--statistics", "--format", "json", "."],
    );
    let rows: Value = serde_json::from_str(&out(&o)).unwrap();
    let total: u64 = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["count"].as_u64().unwrap())
        .sum();
    let json: Value = serde_json::from_str(&out(&gwlint_in(
        dir.path(),
        &["check", "--format", "json", "."],
    )))
    .unwrap();
    assert_eq!(total as usize, json.as_array().unwrap().len());

    let o = gwlint_in(dir.path(), &["check", "--exit-zero", "."]);
    assert_eq!(o.status.code(), Some(0));
    assert!(out(&o).contains("common-typo"));
    // --exit-zero does not hide errors
    let o = gwlint_in(dir.path(), &["check", "--exit-zero", "missing.txt"]);
    assert_eq!(o.status.code(), Some(2));
}
