//! Date consistency: `signing-after-issue`, `doc-number-year-mismatch`, `plan-year-mismatch`,
//! `invalid-date`, `weekday-mismatch`, `reversed-date-range`, `nonstandard-signing-date`.
//!
//! All of them read [`crate::document::Structure`]: the 成文日期 of each contained document,
//! the 印发日期 of the 版记, the 发文字号's year, the plan year of a title, and every date
//! mention. `{suggestion}` in the messages carries what the date was compared with.

use crate::diagnostic::{Applicability, Edit, Findings, Fix};
use crate::document::dates::{self, DateForm, DateRole, WEEKDAY_NAMES};
use crate::document::structure::{DateMention, DateRange};
use crate::document::Document;
use crate::rules::{Check, RuleMeta};
use serde::Deserialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Which {
    SigningAfterIssue,
    DocNumberYear,
    PlanYear,
    InvalidDate,
    Weekday,
    ReversedRange,
    Nonstandard,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Params {
    /// plan-year-mismatch: the earliest month of year N−1 in which a plan for year N may be
    /// signed (10 = October).
    #[serde(default = "default_earliest_month")]
    earliest_month_of_previous_year: u32,
    /// nonstandard-signing-date: which roles are checked.
    #[serde(default = "default_roles")]
    roles: Vec<String>,
}

fn default_earliest_month() -> u32 {
    10
}

fn default_roles() -> Vec<String> {
    vec!["成文".into(), "印发".into()]
}

impl Default for Params {
    fn default() -> Params {
        Params {
            earliest_month_of_previous_year: default_earliest_month(),
            roles: default_roles(),
        }
    }
}

pub struct DateCheck {
    which: Which,
    params: Params,
}

fn build(which: Which, value: &serde_yaml::Value) -> Result<Box<dyn Check>, String> {
    let params: Params = super::params(value)?;
    if !(1..=12).contains(&params.earliest_month_of_previous_year) {
        return Err("params.earliest_month_of_previous_year must be 1–12".into());
    }
    Ok(Box::new(DateCheck { which, params }))
}

pub fn build_signing_after_issue(v: &serde_yaml::Value) -> Result<Box<dyn Check>, String> {
    build(Which::SigningAfterIssue, v)
}
pub fn build_doc_number_year(v: &serde_yaml::Value) -> Result<Box<dyn Check>, String> {
    build(Which::DocNumberYear, v)
}
pub fn build_plan_year(v: &serde_yaml::Value) -> Result<Box<dyn Check>, String> {
    build(Which::PlanYear, v)
}
pub fn build_invalid_date(v: &serde_yaml::Value) -> Result<Box<dyn Check>, String> {
    build(Which::InvalidDate, v)
}
pub fn build_weekday(v: &serde_yaml::Value) -> Result<Box<dyn Check>, String> {
    build(Which::Weekday, v)
}
pub fn build_reversed_range(v: &serde_yaml::Value) -> Result<Box<dyn Check>, String> {
    build(Which::ReversedRange, v)
}
pub fn build_nonstandard(v: &serde_yaml::Value) -> Result<Box<dyn Check>, String> {
    build(Which::Nonstandard, v)
}

fn text<'a>(doc: &'a Document, d: &DateMention) -> &'a str {
    doc.text.get(d.span.clone()).unwrap_or("")
}

impl Check for DateCheck {
    fn check(&self, doc: &Document, meta: &RuleMeta, out: &mut Findings) {
        let st = doc.structure();
        match self.which {
            Which::SigningAfterIssue => {
                let (Some(sign), Some(issue)) = (st.signing_date(), st.issue_date()) else {
                    return;
                };
                if let (Some(s), Some(i)) = (sign.days(), issue.days()) {
                    if s > i {
                        let sugg = format!("印发日期{}", issue.describe());
                        out.push(meta.diagnostic(
                            sign.span.clone(),
                            text(doc, sign),
                            Some(&sugg),
                            None,
                        ));
                    }
                }
            }
            Which::DocNumberYear => {
                let (Some(sign), Some(number)) = (st.signing_date(), &st.header.doc_number) else {
                    return;
                };
                if sign.year.is_some_and(|y| y != number.year) {
                    let written = doc.text.get(number.year_span.clone()).unwrap_or("");
                    let sugg = format!("发文字号年份{written}");
                    out.push(meta.diagnostic(
                        sign.span.clone(),
                        text(doc, sign),
                        Some(&sugg),
                        None,
                    ));
                }
            }
            Which::PlanYear => {
                for g in &st.segments {
                    let (Some(plan), Some(sign)) =
                        (g.plan_year, g.signing_date.and_then(|i| st.dates.get(i)))
                    else {
                        continue;
                    };
                    let Some(y) = sign.year else { continue };
                    let early = plan - 1;
                    let plausible = y == plan
                        || (y == early
                            && sign.month >= self.params.earliest_month_of_previous_year);
                    if !plausible {
                        let sugg = format!(
                            "标题中的{plan}年（应在{early}年{}月至{plan}年之间）",
                            self.params.earliest_month_of_previous_year
                        );
                        out.push(meta.diagnostic(
                            sign.span.clone(),
                            text(doc, sign),
                            Some(&sugg),
                            None,
                        ));
                    }
                }
            }
            Which::InvalidDate => {
                for d in &st.dates {
                    if !dates::is_valid(d.year, d.month, d.day) {
                        let sugg = if (1..=12).contains(&d.month) {
                            format!("{}月没有{}日", d.month, d.day.unwrap_or(0))
                        } else {
                            format!("没有{}月", d.month)
                        };
                        out.push(meta.diagnostic(d.span.clone(), text(doc, d), Some(&sugg), None));
                    }
                }
            }
            Which::Weekday => {
                for d in &st.dates {
                    let (Some(y), Some(day), Some((stated, wspan))) = (d.year, d.day, &d.weekday)
                    else {
                        continue;
                    };
                    if !dates::is_valid(Some(y), d.month, Some(day)) {
                        continue;
                    }
                    let actual = dates::weekday(y, d.month, day);
                    if actual != *stated {
                        let name = WEEKDAY_NAMES[actual as usize % 7];
                        let sugg = format!("{}是星期{name}", d.describe());
                        let written = doc.text.get(wspan.clone()).unwrap_or("");
                        let stated_name = WEEKDAY_NAMES[*stated as usize % 7];
                        let fix = written.rfind(stated_name).map(|at| Fix {
                            applicability: Applicability::Unsafe,
                            message: format!("改为星期{name}").into(),
                            edits: vec![Edit {
                                range: wspan.start + at..wspan.start + at + stated_name.len(),
                                replacement: name.to_owned().into(),
                            }],
                        });
                        let span = d.span.start..wspan.end;
                        let matched = doc.text.get(span.clone()).unwrap_or("");
                        out.push(meta.diagnostic(span, matched, Some(&sugg), fix));
                    }
                }
            }
            Which::ReversedRange => {
                for r in &st.ranges {
                    match r {
                        DateRange::Dates(a, b) => {
                            let (Some(a), Some(b)) = (st.dates.get(*a), st.dates.get(*b)) else {
                                continue;
                            };
                            let (Some(ya), Some(yb)) = (a.year, b.year) else {
                                continue;
                            };
                            let ka = (ya, a.month, a.day.unwrap_or(0));
                            let kb = (yb, b.month, b.day.unwrap_or(0));
                            if kb < ka {
                                let span = a.span.start..b.span.end;
                                let sugg = format!("{}早于{}", b.describe(), a.describe());
                                let matched = doc.text.get(span.clone()).unwrap_or("");
                                out.push(meta.diagnostic(span, matched, Some(&sugg), None));
                            }
                        }
                        DateRange::Months(y, a, b, span) => {
                            if b < a {
                                let sugg = format!("{y}年{b}月早于{a}月");
                                let matched = doc.text.get(span.clone()).unwrap_or("");
                                out.push(meta.diagnostic(span.clone(), matched, Some(&sugg), None));
                            }
                        }
                        DateRange::Years(a, b, span) => {
                            if b < a {
                                let sugg = format!("{b}年早于{a}年");
                                let matched = doc.text.get(span.clone()).unwrap_or("");
                                out.push(meta.diagnostic(span.clone(), matched, Some(&sugg), None));
                            }
                        }
                    }
                }
            }
            Which::Nonstandard => {
                for d in &st.dates {
                    if !matches!(d.role, DateRole::Signing | DateRole::Issue)
                        || !self.params.roles.iter().any(|r| r == d.role.as_str())
                    {
                        continue;
                    }
                    let bad = match d.form {
                        DateForm::Chinese | DateForm::Dotted | DateForm::Dashed => true,
                        DateForm::Arabic => d.zero_padded,
                        DateForm::MonthDay => false,
                    };
                    if !bad || d.day.is_none() || d.year.is_none() {
                        continue;
                    }
                    // GB/T 9704-2012 took effect on 2012-07-01; before it, GB/T 9704-1999
                    // prescribed Chinese numerals for the 成文日期
                    if d.days()
                        .is_some_and(|days| days < dates::days_from_civil(2012, 7, 1))
                    {
                        continue;
                    }
                    let canonical = d.describe();
                    let fix = Fix {
                        applicability: Applicability::Unsafe,
                        message: format!("改为「{canonical}」").into(),
                        edits: vec![Edit {
                            range: d.span.clone(),
                            replacement: canonical.clone().into(),
                        }],
                    };
                    out.push(meta.diagnostic(
                        d.span.clone(),
                        text(doc, d),
                        Some(&canonical),
                        Some(fix),
                    ));
                }
            }
        }
    }
}
