//! Date consistency: one type per rule. All of them read [`crate::document::Structure`]: the
//! 成文日期 of each contained document, the 印发日期 of the 版记, the 发文字号's year, the
//! year a title names, and every date mention with its role. `{suggestion}` in the messages
//! carries what the date was compared with.

use crate::diagnostic::{Applicability, Edit, Findings, Fix};
use crate::document::dates::{self, DateForm, DateRole, WEEKDAY_NAMES};
use crate::document::structure::{DateMention, DateRange};
use crate::document::{Document, Structure};
use crate::rules::{Check, RuleMeta};
use serde::Deserialize;

fn text<'a>(doc: &'a Document, d: &DateMention) -> &'a str {
    doc.text.get(d.span.clone()).unwrap_or("")
}

fn report(doc: &Document, meta: &RuleMeta, d: &DateMention, sugg: &str, out: &mut Findings) {
    out.push(meta.diagnostic(d.span.clone(), text(doc, d), Some(sugg), None));
}

fn no_params(value: &serde_yaml::Value) -> Result<(), String> {
    if value.is_null() {
        Ok(())
    } else {
        Err("this rule takes no params".into())
    }
}

/// `signing-after-issue`: the 成文日期 is later than the 印发日期 of the 版记.
pub struct SigningAfterIssue;

pub fn build_signing_after_issue(v: &serde_yaml::Value) -> Result<Box<dyn Check>, String> {
    no_params(v).map(|()| Box::new(SigningAfterIssue) as Box<dyn Check>)
}

impl Check for SigningAfterIssue {
    fn check(&self, doc: &Document, meta: &RuleMeta, out: &mut Findings) {
        let st = doc.structure();
        let (Some(sign), Some(issue)) = (st.signing_date(), st.issue_date()) else {
            return;
        };
        if let (Some(s), Some(i)) = (sign.days(), issue.days()) {
            if s > i {
                report(
                    doc,
                    meta,
                    sign,
                    &format!("印发日期{}", issue.describe()),
                    out,
                );
            }
        }
    }
}

/// `doc-number-year-mismatch`: the year in the 发文字号 is not the year of the 成文日期.
pub struct DocNumberYear;

pub fn build_doc_number_year(v: &serde_yaml::Value) -> Result<Box<dyn Check>, String> {
    no_params(v).map(|()| Box::new(DocNumberYear) as Box<dyn Check>)
}

impl Check for DocNumberYear {
    fn check(&self, doc: &Document, meta: &RuleMeta, out: &mut Findings) {
        let st = doc.structure();
        let (Some(sign), Some(number)) = (st.signing_date(), &st.header.doc_number) else {
            return;
        };
        if sign.year.is_some_and(|y| y != number.year) {
            let written = doc.text.get(number.year_span.clone()).unwrap_or("");
            report(doc, meta, sign, &format!("发文字号年份{written}"), out);
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PlanParams {
    /// The earliest month of year N−1 in which a plan for year N may be signed (10 = October).
    earliest_month_of_previous_year: u32,
}

/// `plan-year-mismatch`: a plan for year N signed before the autumn of N−1 or after N.
pub struct PlanYear {
    earliest_month: u32,
}

pub fn build_plan_year(v: &serde_yaml::Value) -> Result<Box<dyn Check>, String> {
    let p: PlanParams = if v.is_null() {
        PlanParams {
            earliest_month_of_previous_year: 10,
        }
    } else {
        serde_yaml::from_value(v.clone()).map_err(|e| format!("invalid params: {e}"))?
    };
    if !(1..=12).contains(&p.earliest_month_of_previous_year) {
        return Err("params.earliest_month_of_previous_year must be 1–12".into());
    }
    Ok(Box::new(PlanYear {
        earliest_month: p.earliest_month_of_previous_year,
    }))
}

impl Check for PlanYear {
    fn check(&self, doc: &Document, meta: &RuleMeta, out: &mut Findings) {
        let st = doc.structure();
        for (plan, sign) in signed_with(&st, |g| g.plan_year) {
            let Some(y) = sign.year else { continue };
            let early = plan - 1;
            let plausible = y == plan || (y == early && sign.month >= self.earliest_month);
            if !plausible {
                let sugg = format!(
                    "标题中的{plan}年（应在{early}年{}月至{plan}年之间）",
                    self.earliest_month
                );
                report(doc, meta, sign, &sugg, out);
            }
        }
    }
}

/// Each contained document's year of some kind paired with its 成文日期.
fn signed_with<'s>(
    st: &'s Structure,
    year: impl Fn(&crate::document::parts::Segment) -> Option<i32> + 's,
) -> impl Iterator<Item = (i32, &'s DateMention)> + 's {
    st.segments
        .iter()
        .filter_map(move |g| Some((year(g)?, g.signing_date.and_then(|i| st.dates.get(i))?)))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SummaryParams {
    /// The earliest month of year N in which a summary of year N may be signed.
    earliest_month: u32,
}

/// `summary-year-mismatch`: a summary of year N signed before the year was mostly over, or
/// more than a year after it.
pub struct SummaryYear {
    earliest_month: u32,
}

pub fn build_summary_year(v: &serde_yaml::Value) -> Result<Box<dyn Check>, String> {
    let p: SummaryParams = if v.is_null() {
        SummaryParams { earliest_month: 6 }
    } else {
        serde_yaml::from_value(v.clone()).map_err(|e| format!("invalid params: {e}"))?
    };
    if !(1..=12).contains(&p.earliest_month) {
        return Err("params.earliest_month must be 1–12".into());
    }
    Ok(Box::new(SummaryYear {
        earliest_month: p.earliest_month,
    }))
}

impl Check for SummaryYear {
    fn check(&self, doc: &Document, meta: &RuleMeta, out: &mut Findings) {
        let st = doc.structure();
        for (year, sign) in signed_with(&st, |g| g.summary_year) {
            let Some(y) = sign.year else { continue };
            let plausible = (y == year && sign.month >= self.earliest_month) || y == year + 1;
            if !plausible {
                let sugg = format!(
                    "标题总结的是{year}年（应在{year}年{}月至{}年之间）",
                    self.earliest_month,
                    year + 1
                );
                report(doc, meta, sign, &sugg, out);
            }
        }
    }
}

/// `invalid-date`: a date that does not exist (6月31日, 2月30日, 13月).
pub struct InvalidDate;

pub fn build_invalid_date(v: &serde_yaml::Value) -> Result<Box<dyn Check>, String> {
    no_params(v).map(|()| Box::new(InvalidDate) as Box<dyn Check>)
}

impl Check for InvalidDate {
    fn check(&self, doc: &Document, meta: &RuleMeta, out: &mut Findings) {
        let st = doc.structure();
        for d in &st.dates {
            if !dates::is_valid(d.year, d.month, d.day) {
                let sugg = if (1..=12).contains(&d.month) {
                    format!("{}月没有{}日", d.month, d.day.unwrap_or(0))
                } else {
                    format!("没有{}月", d.month)
                };
                report(doc, meta, d, &sugg, out);
            }
        }
    }
}

/// `weekday-mismatch` (a date with its year) and `weekday-mismatch-assumed-year` (a date
/// without one, checked against the year the document is dated in).
pub struct Weekday {
    assumed_year: bool,
}

pub fn build_weekday(v: &serde_yaml::Value) -> Result<Box<dyn Check>, String> {
    no_params(v).map(|()| {
        Box::new(Weekday {
            assumed_year: false,
        }) as Box<dyn Check>
    })
}

pub fn build_weekday_assumed_year(v: &serde_yaml::Value) -> Result<Box<dyn Check>, String> {
    no_params(v).map(|()| Box::new(Weekday { assumed_year: true }) as Box<dyn Check>)
}

impl Check for Weekday {
    fn offers_fixes(&self) -> bool {
        true
    }

    fn check(&self, doc: &Document, meta: &RuleMeta, out: &mut Findings) {
        let st = doc.structure();
        let doc_year = st.document_year();
        for d in &st.dates {
            let (Some(day), Some((stated, wspan))) = (d.day, &d.weekday) else {
                continue;
            };
            let year = match (d.year, self.assumed_year) {
                (Some(y), false) => y,
                (None, true) => match doc_year {
                    // a date early in the next year, in a document dated late in its year
                    Some(y) if matches_next_year(&st, y, d, *stated) => continue,
                    Some(y) => y,
                    None => continue,
                },
                _ => continue,
            };
            if !dates::is_valid(Some(year), d.month, Some(day)) {
                continue;
            }
            let actual = dates::weekday(year, d.month, day);
            if actual == *stated {
                continue;
            }
            let name = WEEKDAY_NAMES[actual as usize % 7];
            let sugg = if self.assumed_year {
                format!("按文件年份{year}年，{}月{day}日是星期{name}", d.month)
            } else {
                format!("{}是星期{name}", d.describe())
            };
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

/// Whether a month-day date without a year more likely falls in the year after the
/// document's: the document is dated in the last quarter, the date in the first, and the
/// stated weekday fits the next year.
fn matches_next_year(st: &Structure, year: i32, d: &DateMention, stated: u32) -> bool {
    let late = st.signing_date().is_some_and(|s| s.month >= 10);
    let (Some(day), true) = (d.day, d.month <= 3) else {
        return false;
    };
    late && dates::is_valid(Some(year + 1), d.month, Some(day))
        && dates::weekday(year + 1, d.month, day) == stated
}

/// `reversed-date-range`: the end of a range before its start.
pub struct ReversedRange;

pub fn build_reversed_range(v: &serde_yaml::Value) -> Result<Box<dyn Check>, String> {
    no_params(v).map(|()| Box::new(ReversedRange) as Box<dyn Check>)
}

impl Check for ReversedRange {
    fn check(&self, doc: &Document, meta: &RuleMeta, out: &mut Findings) {
        let st = doc.structure();
        for r in &st.ranges {
            let (span, sugg) = match r {
                DateRange::Dates(a, b) => {
                    let (Some(a), Some(b)) = (st.dates.get(*a), st.dates.get(*b)) else {
                        continue;
                    };
                    let (Some(ya), Some(yb)) = (a.year, b.year) else {
                        continue;
                    };
                    let ka = (ya, a.month, a.day.unwrap_or(0));
                    let kb = (yb, b.month, b.day.unwrap_or(0));
                    if kb >= ka {
                        continue;
                    }
                    (
                        a.span.start..b.span.end,
                        format!("{}早于{}", b.describe(), a.describe()),
                    )
                }
                DateRange::Months(y, a, b, span) => {
                    if b >= a {
                        continue;
                    }
                    (span.clone(), format!("{y}年{b}月早于{a}月"))
                }
                DateRange::Years(a, b, span) => {
                    if b >= a {
                        continue;
                    }
                    (span.clone(), format!("{b}年早于{a}年"))
                }
            };
            let matched = doc.text.get(span.clone()).unwrap_or("");
            out.push(meta.diagnostic(span, matched, Some(&sugg), None));
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NonstandardParams {
    /// Which roles are checked.
    roles: Vec<String>,
}

/// `nonstandard-signing-date`: a 成文日期 or 印发日期 written with Chinese numerals, zero
/// padding, dots or dashes (GB/T 9704-2012, for documents signed from 2012-07-01 on).
pub struct Nonstandard {
    roles: Vec<String>,
}

pub fn build_nonstandard(v: &serde_yaml::Value) -> Result<Box<dyn Check>, String> {
    let roles = if v.is_null() {
        vec!["成文".into(), "印发".into()]
    } else {
        let p: NonstandardParams =
            serde_yaml::from_value(v.clone()).map_err(|e| format!("invalid params: {e}"))?;
        p.roles
    };
    Ok(Box::new(Nonstandard { roles }))
}

impl Check for Nonstandard {
    fn offers_fixes(&self) -> bool {
        true
    }

    fn check(&self, doc: &Document, meta: &RuleMeta, out: &mut Findings) {
        let st = doc.structure();
        // GB/T 9704-2012 took effect on 2012-07-01; before it, GB/T 9704-1999 prescribed
        // Chinese numerals for the 成文日期
        let in_force = dates::days_from_civil(2012, 7, 1);
        for d in &st.dates {
            if !matches!(d.role, DateRole::Signing | DateRole::Issue)
                || !self.roles.iter().any(|r| r == d.role.as_str())
            {
                continue;
            }
            let bad = match d.form {
                DateForm::Chinese | DateForm::Dotted | DateForm::Dashed => true,
                DateForm::Arabic => d.zero_padded,
                DateForm::MonthDay => false,
            };
            if !bad || d.days().is_none_or(|days| days < in_force) {
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
            out.push(meta.diagnostic(d.span.clone(), text(doc, d), Some(&canonical), Some(fix)));
        }
    }
}

/// `deadline-before-signing`: a deadline the document sets (「请于4月3日前报送」) that falls
/// before the document's own 成文日期.
pub struct DeadlineBeforeSigning;

pub fn build_deadline_before_signing(v: &serde_yaml::Value) -> Result<Box<dyn Check>, String> {
    no_params(v).map(|()| Box::new(DeadlineBeforeSigning) as Box<dyn Check>)
}

impl Check for DeadlineBeforeSigning {
    fn check(&self, doc: &Document, meta: &RuleMeta, out: &mut Findings) {
        let st = doc.structure();
        for d in st.dates.iter().filter(|d| d.role == DateRole::Deadline) {
            let Some(sign) = st
                .segments
                .get(d.segment)
                .and_then(|g| g.signing_date)
                .and_then(|i| st.dates.get(i))
            else {
                continue;
            };
            let (Some(sign_days), Some(day), Some(sy)) = (sign.days(), d.day, sign.year) else {
                continue;
            };
            // a deadline without a year is in the year of signing
            let year = d.year.unwrap_or(sy);
            if !dates::is_valid(Some(year), d.month, Some(day)) {
                continue;
            }
            if dates::days_from_civil(year, d.month, day) < sign_days {
                let sugg = format!("成文日期{}", sign.describe());
                report(doc, meta, d, &sugg, out);
            }
        }
    }
}
