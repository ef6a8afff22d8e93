//! `--statistics`: how many diagnostics each rule raised, most frequent first.

use super::Report;
use crate::diagnostic::{Applicability, Category};
use std::collections::BTreeMap;

/// One row: a rule, its category, how often it fired, how many of those have a safe fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleCount {
    pub rule: String,
    pub category: Category,
    pub count: usize,
    pub fixable: usize,
}

pub fn count(reports: &[Report<'_>]) -> Vec<RuleCount> {
    let mut by_rule: BTreeMap<&str, RuleCount> = BTreeMap::new();
    for d in reports.iter().flat_map(|r| r.diagnostics) {
        let row = by_rule.entry(&d.rule).or_insert_with(|| RuleCount {
            rule: d.rule.to_string(),
            category: d.category,
            count: 0,
            fixable: 0,
        });
        row.count += 1;
        if d.fix
            .as_ref()
            .is_some_and(|f| f.applicability == Applicability::Safe)
        {
            row.fixable += 1;
        }
    }
    let mut rows: Vec<RuleCount> = by_rule.into_values().collect();
    rows.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.rule.cmp(&b.rule)));
    rows
}

/// `  COUNT  RULE  CATEGORY  [*]` (the marker when some are fixable with `--fix`).
pub fn render_table(reports: &[Report<'_>]) -> String {
    let rows = count(reports);
    let width = rows.iter().map(|r| r.rule.len()).max().unwrap_or(4).max(4);
    let mut s = String::new();
    for r in &rows {
        let marker = if r.fixable > 0 { "[*]" } else { "   " };
        s.push_str(&format!(
            "{:>6}  {:<width$}  {:<16}  {marker}\n",
            r.count,
            r.rule,
            r.category.as_str()
        ));
    }
    let total: usize = rows.iter().map(|r| r.count).sum();
    s.push_str(&format!("{total:>6}  共计\n"));
    s
}

/// The same objects as [`render_json`], one per line.
pub fn render_jsonl(reports: &[Report<'_>]) -> String {
    count(reports)
        .into_iter()
        .map(|r| {
            serde_json::json!({
                "rule": r.rule, "category": r.category.as_str(),
                "count": r.count, "fixable": r.fixable,
            })
            .to_string()
                + "\n"
        })
        .collect()
}

/// `[{"rule","category","count","fixable"}]`.
pub fn render_json(reports: &[Report<'_>]) -> String {
    let rows: Vec<serde_json::Value> = count(reports)
        .into_iter()
        .map(|r| {
            serde_json::json!({
                "rule": r.rule, "category": r.category.as_str(),
                "count": r.count, "fixable": r.fixable,
            })
        })
        .collect();
    serde_json::to_string_pretty(&rows).unwrap_or_else(|_| "[]".into()) + "\n"
}
