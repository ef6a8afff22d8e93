//! `kind: dated` — terms that are wrong for the document's date (`era` rules).
//!
//! A terms file beside the rule lists `term<TAB>date<TAB>replacement<TAB>context[<TAB>note]`
//! rows. With `wrong_when: on-or-after` a term is reported in a document dated on or after
//! its date (a superseded slogan, a renamed agency, 新冠肺炎 after 2022-12-26); with
//! `wrong_when: before` in a document dated before it (the 精神 of a plenum not yet held).
//! The document's date comes from [`document_date`], the one place that reads it.

use super::literal_set::LiteralSet;
use crate::diagnostic::{Edit, Findings, Fix};
use crate::document::dates::days_from_civil;
use crate::document::{Document, Structure};
use crate::rules::spec::FixSpec;
use crate::rules::{Check, RuleMeta};
use regex::Regex;
use serde::Deserialize;
use std::ops::{ControlFlow, Range};
use std::sync::LazyLock;

/// When a dated term is wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum WrongWhen {
    /// In a document dated on or after the term's date (superseded, renamed).
    OnOrAfter,
    /// In a document dated before the term's date (an event not yet held).
    Before,
}

/// Where a term counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TermContext {
    /// Anywhere (an agency's name), except right after 原 / 前 (「原国土资源局」).
    Any,
    /// Only as current guidance: 学习 / 贯彻 / 落实 … before it in its sentence, or
    /// 为指导 after it (「深入学习贯彻党的十九大精神」).
    Guidance,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatedTerm {
    pub term: String,
    /// Days since 1970-01-01.
    pub day: i64,
    pub year: i32,
    /// 「2022年10月23日」
    pub date_text: String,
    pub replacement: Option<String>,
    pub context: TermContext,
    pub note: Option<String>,
}

/// The document's date as far as its text says: a window of days (since 1970-01-01) and
/// what it was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocDate {
    pub earliest: i64,
    pub latest: i64,
    pub source: String,
}

/// When the document was written. THE one function the era rules read the date through:
/// the main document's 成文日期 (signing date); and the year its title names — a plan for
/// 2025 is written from October 2024 to the end of 2025, a 2024 summary from June 2024 to
/// June 2025. When both are known and disagree, the window covers both, so a rule only
/// reports what is wrong for every date the document could have.
pub fn document_date(doc: &Document) -> Option<DocDate> {
    let structure = doc.structure();
    let signed = structure
        .signing_date()
        .and_then(|d| Some((d.days()?, format!("成文日期{}", d.describe()))));
    let titled = title_year_window(doc, &structure);
    match (signed, titled) {
        (Some((day, text)), Some(t)) if (t.earliest..=t.latest).contains(&day) => Some(DocDate {
            earliest: day,
            latest: day,
            source: text,
        }),
        (Some((day, text)), Some(t)) => Some(DocDate {
            earliest: day.min(t.earliest),
            latest: day.max(t.latest),
            source: format!("{text}、{}", t.source),
        }),
        (Some((day, text)), None) => Some(DocDate {
            earliest: day,
            latest: day,
            source: text,
        }),
        (None, titled) => titled,
    }
}

static SUMMARY_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    crate::document::static_regex(r"(?P<y>(?:19|20)\d{2})\s*年(?:度)?[^《》]{0,30}总结")
});

/// The window of a plan's or summary's title year (main document only).
fn title_year_window(doc: &Document, structure: &Structure) -> Option<DocDate> {
    let segment = structure.segments.get(structure.main_segment()?)?;
    if let Some(y) = segment.plan_year {
        return Some(DocDate {
            earliest: days_from_civil(y - 1, 10, 1),
            latest: days_from_civil(y, 12, 31),
            source: format!("标题年份{y}年"),
        });
    }
    let title = doc.text.get(segment.title.as_ref()?.span.clone())?;
    let y: i32 = SUMMARY_YEAR
        .captures(title)?
        .name("y")?
        .as_str()
        .parse()
        .ok()?;
    Some(DocDate {
        earliest: days_from_civil(y, 6, 1),
        latest: days_from_civil(y + 1, 6, 30),
        source: format!("总结年份{y}年"),
    })
}

/// Parse a terms file: `term<TAB>YYYY-MM-DD<TAB>replacement or -<TAB>any|guidance[<TAB>note]`;
/// `#` starts a comment line. Errors carry the 1-based line number.
pub fn parse_terms_file(text: &str) -> Result<Vec<DatedTerm>, (usize, String)> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').map(str::trim).collect();
        let err = |m: &str| (i + 1, m.to_owned());
        if cols.len() < 4 || cols[0].is_empty() {
            return Err(err(
                "expected `term<TAB>YYYY-MM-DD<TAB>replacement or -<TAB>any|guidance[<TAB>note]`",
            ));
        }
        let (day, year, date_text) = parse_day(cols[1])
            .ok_or_else(|| err(&format!("`{}` is not a date YYYY-MM-DD", cols[1])))?;
        let context = match cols[3] {
            "any" => TermContext::Any,
            "guidance" => TermContext::Guidance,
            other => {
                return Err(err(&format!(
                    "context `{other}` is not `any` or `guidance`"
                )))
            }
        };
        out.push(DatedTerm {
            term: cols[0].to_owned(),
            day,
            year,
            date_text,
            replacement: Some(cols[2])
                .filter(|r| !r.is_empty() && *r != "-")
                .map(Into::into),
            context,
            note: cols
                .get(4)
                .filter(|n| !n.is_empty())
                .map(|n| (*n).to_owned()),
        });
    }
    Ok(out)
}

fn parse_day(text: &str) -> Option<(i64, i32, String)> {
    let mut parts = text.split('-');
    let y: i32 = parts.next()?.parse().ok()?;
    let m: u32 = parts.next()?.parse().ok()?;
    let d: u32 = parts.next()?.parse().ok()?;
    if parts.next().is_some() || !crate::document::dates::is_valid(Some(y), m, Some(d)) {
        return None;
    }
    Some((days_from_civil(y, m, d), y, format!("{y}年{m}月{d}日")))
}

pub struct DatedCheck {
    /// The terms, found as the substitution rules find their wrong forms.
    matcher: LiteralSet,
    terms: Vec<DatedTerm>,
    wrong_when: WrongWhen,
    fix: Option<FixSpec>,
}

impl DatedCheck {
    pub fn new(
        terms: Vec<DatedTerm>,
        wrong_when: WrongWhen,
        fix: Option<FixSpec>,
    ) -> Result<DatedCheck, String> {
        if terms.is_empty() {
            return Err("the terms file lists no terms".into());
        }
        let matcher = LiteralSet::new(terms.iter().map(|t| t.term.as_str()))?;
        Ok(DatedCheck {
            matcher,
            terms,
            wrong_when,
            fix,
        })
    }

    fn is_wrong_on(&self, term: &DatedTerm, date: &DocDate) -> bool {
        match self.wrong_when {
            WrongWhen::OnOrAfter => date.earliest >= term.day,
            WrongWhen::Before => date.latest < term.day,
        }
    }

    fn explain(&self, term: &DatedTerm, date: &DocDate) -> String {
        let what = match (self.wrong_when, &term.replacement) {
            (WrongWhen::OnOrAfter, Some(r)) => format!("自{}起应为「{r}」", term.date_text),
            (WrongWhen::OnOrAfter, None) => format!("自{}起已不再适用", term.date_text),
            (WrongWhen::Before, _) => format!("要到{}才有", term.date_text),
        };
        let note = term
            .note
            .as_deref()
            .map(|n| format!("（{n}）"))
            .unwrap_or_default();
        format!("{what}{note}；本文日期按{}", date.source)
    }
}

impl Check for DatedCheck {
    fn check(&self, doc: &Document, meta: &RuleMeta, out: &mut Findings) {
        let mut date: Option<Option<DocDate>> = None;
        self.matcher.try_for_each_match(&doc.text, |m| {
            let Some(date) = date.get_or_insert_with(|| document_date(doc)) else {
                return ControlFlow::Break(());
            };
            let term = &self.terms[m.pattern().as_usize()];
            let span = m.start()..m.end();
            if !self.is_wrong_on(term, date) || !counts_here(&doc.text, &span, term) {
                return ControlFlow::Continue(());
            }
            // a fix only where the rule file asks for one and the row has a replacement
            let fix = self
                .fix
                .as_ref()
                .zip(term.replacement.as_ref())
                .map(|(spec, r)| Fix {
                    applicability: spec.applicability,
                    message: format!("改为「{r}」").into(),
                    edits: vec![Edit {
                        range: span.clone(),
                        replacement: r.clone().into(),
                    }],
                });
            let explanation = self.explain(term, date);
            out.push(meta.diagnostic(span.clone(), &term.term, Some(&explanation), fix));
            ControlFlow::Continue(())
        });
    }
}

/// How far the sentence around a term is looked at, each side (bytes): keeps the work per
/// match bounded on a huge one-line document.
const SENTENCE_REACH: usize = 360;

/// The sentence around `span` (from the previous 。！？； or line break to the next), at
/// most [`SENTENCE_REACH`] bytes each side.
fn sentence_around(text: &str, span: &Range<usize>) -> Range<usize> {
    let is_end = |c: char| matches!(c, '。' | '！' | '？' | '；' | '\n');
    let mut from = span.start.saturating_sub(SENTENCE_REACH);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let mut to = (span.end + SENTENCE_REACH).min(text.len());
    while !text.is_char_boundary(to) {
        to -= 1;
    }
    let start = text[from..span.start]
        .char_indices()
        .rev()
        .find(|(_, c)| is_end(*c))
        .map_or(from, |(i, c)| from + i + c.len_utf8());
    let end = text[span.end..to]
        .char_indices()
        .find(|(_, c)| is_end(*c))
        .map_or(to, |(i, _)| span.end + i);
    start..end
}

static GUIDANCE_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    crate::document::static_regex(r"学习|贯彻|落实|领会|宣传|宣讲|践行|指导|指引|引领|精神为")
});
static GUIDANCE_AFTER: LazyLock<Regex> =
    LazyLock::new(|| crate::document::static_regex(r"^[^，。；]{0,12}为(?:指导|指引|统领)"));
static FORMER: LazyLock<Regex> =
    LazyLock::new(|| crate::document::static_regex(r"(?:原|前)\p{Han}{0,5}$"));
static OTHER_BODY: LazyLock<Regex> = LazyLock::new(|| {
    crate::document::static_regex(
        r"(?:工会|共青团|团|妇女|妇联|残联|科协|侨联|文联|作协|工商联|青联|学联|民革|民盟|民建|民进|农工党|致公党|九三学社|台盟)第?$",
    )
});
static YEAR: LazyLock<Regex> =
    LazyLock::new(|| crate::document::static_regex(r"(?:19|20)\d{2}(?:\s*年)"));

/// Whether the term at `span` is used the way its row says it is wrong: not in a cited
/// title 《…》, not as the former name (原…), not told as history (a year before the
/// term's date in the same sentence), and as guidance where the row asks for it.
fn counts_here(text: &str, span: &Range<usize>, term: &DatedTerm) -> bool {
    let sentence = sentence_around(text, span);
    let before = &text[sentence.start..span.start];
    let after = &text[span.end..sentence.end];
    if before.rfind('《') > before.rfind('》') {
        return false; // inside a cited title
    }
    if FORMER.is_match(before) {
        return false; // 原国土资源局, 原县安监局: the former name, said as such
    }
    if OTHER_BODY.is_match(before) {
        return false; // 中国工会十八大精神: another organisation's congress
    }
    let term_year = term.year;
    let told_as_history = YEAR.find_iter(&text[sentence.clone()]).any(|m| {
        m.as_str()
            .get(..4)
            .and_then(|y| y.parse::<i32>().ok())
            .is_some_and(|y| y < term_year)
    });
    if told_as_history {
        return false;
    }
    match term.context {
        TermContext::Any => !crate::rules::kinds::substitution::inside_longer_word(text, span),
        TermContext::Guidance => GUIDANCE_BEFORE.is_match(before) || GUIDANCE_AFTER.is_match(after),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_file_rows_and_errors() {
        let rows = parse_terms_file(
            "# 注释\n新冠肺炎\t2022-12-26\t新冠病毒感染\tany\t国家卫生健康委公告\n十九大精神\t2022-10-23\t-\tguidance\n",
        )
        .unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].replacement.as_deref(), Some("新冠病毒感染"));
        assert_eq!(rows[0].date_text, "2022年12月26日");
        assert_eq!(rows[1].replacement, None);
        assert_eq!(rows[1].context, TermContext::Guidance);
        assert_eq!(
            parse_terms_file("甲\t2022-02-30\t乙\tany").unwrap_err().0,
            1
        );
        assert_eq!(
            parse_terms_file("\n甲\t2022-02-01\t乙\tsometimes")
                .unwrap_err()
                .0,
            2
        );
        assert!(parse_terms_file("甲\t2022-02-01").is_err());
    }

    #[test]
    fn document_date_from_signing_date_and_title_year() {
        let signed = Document::from_text(
            "t.txt",
            "关于做好防汛工作的通知\n\n各单位：\n　　请做好准备。\n\n石门县水利局\n2024年5月6日\n",
        );
        let d = document_date(&signed).unwrap();
        assert_eq!(d.earliest, days_from_civil(2024, 5, 6));
        assert_eq!(d.earliest, d.latest);
        let plan = Document::from_text("t.txt", "石门县水利局2025年工作计划\n\n一、总体要求\n");
        let d = document_date(&plan).unwrap();
        assert_eq!(
            (d.earliest, d.latest),
            (days_from_civil(2024, 10, 1), days_from_civil(2025, 12, 31))
        );
        let summary = Document::from_text(
            "t.txt",
            "石门县水利局2024年度工作总结\n\n一、主要成效\n\n石门县水利局\n2024年1月15日\n",
        );
        let d = document_date(&summary).unwrap();
        assert_eq!(
            (d.earliest, d.latest),
            (days_from_civil(2024, 1, 15), days_from_civil(2025, 6, 30)),
            "a signing date that contradicts the title widens the window"
        );
        assert_eq!(
            document_date(&Document::from_text("t.txt", "没有日期的一段话。")),
            None
        );
    }

    #[test]
    fn history_titles_and_former_names_do_not_count() {
        let term = |context| DatedTerm {
            term: "十九大精神".into(),
            day: days_from_civil(2022, 10, 23),
            year: 2022,
            date_text: String::new(),
            replacement: None,
            context,
            note: None,
        };
        let at = |text: &str, context| {
            let start = text.find("十九大精神").unwrap();
            counts_here(text, &(start..start + "十九大精神".len()), &term(context))
        };
        assert!(at(
            "深入学习贯彻党的十九大精神，推动发展。",
            TermContext::Guidance
        ));
        assert!(!at(
            "2018年，深入学习贯彻党的十九大精神。",
            TermContext::Guidance
        ));
        assert!(!at(
            "印发《关于学习党的十九大精神的通知》",
            TermContext::Guidance
        ));
        assert!(!at("党的十九大精神内涵丰富。", TermContext::Guidance));
        assert!(at("以党的十九大精神为指导。", TermContext::Guidance));
        assert!(!at("学习贯彻中国工会十九大精神。", TermContext::Guidance));
    }
}
