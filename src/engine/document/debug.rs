//! `gwlint debug structure`: a plain-text dump of what the structure parser saw — header
//! elements, contained documents with their parts, the outline tree and every date with its
//! role — so a user can see why something was or was not flagged. Line numbers are 1-based.

use super::Document;
use super::Part;
use std::fmt::Write;

fn shorten(s: &str, max: usize) -> String {
    let s = s.trim().replace('\n', "⏎");
    let s = s.as_str();
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        format!("{}…", s.chars().take(max).collect::<String>())
    }
}

fn part_line(out: &mut String, doc: &Document, label: &str, part: &Part) {
    let _ = writeln!(
        out,
        "  {label:<8} L{:<4} {}",
        part.line + 1,
        shorten(doc.text.get(part.span.clone()).unwrap_or(""), 40)
    );
}

/// 「（通知, plan year 2025）」「（附件2）」: the segment's kind and years.
fn describe_segment(g: &super::parts::Segment) -> String {
    let mut bits = Vec::new();
    if let Some(n) = g.attachment {
        bits.push(if n == 0 {
            "附件".to_owned()
        } else {
            format!("附件{n}")
        });
    }
    if let Some(t) = &g.doc_type {
        bits.push(t.clone());
    }
    if let Some(y) = g.plan_year {
        bits.push(format!("plan year {y}"));
    }
    if let Some(y) = g.summary_year {
        bits.push(format!("summary year {y}"));
    }
    if bits.is_empty() {
        String::new()
    } else {
        format!(" ({})", bits.join(", "))
    }
}

/// The layout labels, one line per run of lines with the same label (prose and blank
/// lines are not listed).
fn layout(out: &mut String, doc: &Document, st: &super::Structure) {
    use super::layout::LineKind;
    let _ = writeln!(out, "layout:");
    let mut i = 0;
    while i < st.kinds.len() {
        let kind = st.kinds[i];
        let mut j = i + 1;
        while j < st.kinds.len()
            && (st.kinds[j] == kind
                || (st.kinds[j] == LineKind::Blank
                    && st.kinds.get(j + 1) == Some(&kind)
                    && kind.is_tabular()))
        {
            j += 1;
        }
        if !matches!(kind, LineKind::Prose | LineKind::Blank | LineKind::Heading) {
            let first = st
                .lines
                .get(i)
                .map_or("", |l| doc.text.get(l.range()).unwrap_or(""));
            let range = if j - i > 1 {
                format!("L{}–L{}", i + 1, j)
            } else {
                format!("L{}", i + 1)
            };
            let _ = writeln!(
                out,
                "  {range:<10} {:<10} {}",
                kind.id(),
                shorten(first, 24)
            );
        }
        i = j;
    }
}

/// What the engine sees in `doc` (`gwlint debug structure`): header parts, table of
/// contents, layout labels, contained documents, outline, enumerations, dates.
pub fn render(doc: &Document) -> String {
    let st = doc.structure();
    let mut out = String::new();
    header(&mut out, doc, &st);
    toc(&mut out, doc, &st);
    layout(&mut out, doc, &st);
    segments(&mut out, doc, &st);
    outline(&mut out, doc, &st);
    enumerations(&mut out, doc, &st);
    dates(&mut out, doc, &st);
    unrecognised(&mut out, &st);
    out
}

/// 版头 and 版记 parts: agency mark, document number, signer, issue line, drafter.
fn header(out: &mut String, doc: &Document, st: &super::Structure) {
    let h = &st.header;
    let _ = writeln!(out, "header:");
    if let Some(p) = &h.agency_mark {
        part_line(out, doc, "发文机关标志", p);
    }
    if let Some(n) = &h.doc_number {
        let _ = writeln!(
            out,
            "  {:<8} L{:<4} {} (机关代字 {}, 年份 {}, 序号 {})",
            "发文字号",
            n.part.line + 1,
            doc.text.get(n.part.span.clone()).unwrap_or(""),
            n.code,
            n.year,
            n.number
        );
    }
    if let Some(p) = &h.signer {
        part_line(out, doc, "签发人", p);
    }
    if let Some(p) = &h.issue_line {
        part_line(out, doc, "印发", p);
    }
    if let Some(p) = &h.drafter {
        part_line(out, doc, "拟稿/校对", p);
    }
}

/// The table of contents and its entries.
fn toc(out: &mut String, doc: &Document, st: &super::Structure) {
    if let Some(toc) = &st.toc {
        let _ = writeln!(
            out,
            "toc: L{}{}",
            toc.start_line + 1,
            if toc.heading.is_some() {
                ""
            } else {
                " (no 目录 line)"
            }
        );
        for e in &toc.entries {
            let _ = writeln!(
                out,
                "  L{:<4} p.{:<4} {}",
                e.part.line + 1,
                e.page
                    .as_ref()
                    .map_or(String::from("-"), |p| p.0.to_string()),
                doc.text.get(e.title_span.clone()).unwrap_or("")
            );
        }
    }
}

/// The contained documents and their parts.
fn segments(out: &mut String, doc: &Document, st: &super::Structure) {
    let _ = writeln!(out, "documents:");
    for (k, g) in st.segments.iter().enumerate() {
        let _ = writeln!(
            out,
            "  [{k}] L{}–L{}{}",
            g.lines.start + 1,
            g.lines.end,
            describe_segment(g)
        );
        let parts = [
            ("标题", &g.title),
            ("主送", &g.addressee),
            ("导语", &g.preamble),
            ("附件说明", &g.attachment_note),
            ("署名", &g.signature),
            ("附注", &g.annotation),
        ];
        for (label, p) in parts {
            if let Some(p) = p {
                out.push_str("  ");
                part_line(out, doc, label, p);
            }
        }
        if let Some(d) = g.signing_date.and_then(|i| st.dates.get(i)) {
            let _ = writeln!(
                out,
                "    {:<8} L{:<4} {}",
                "成文日期",
                d.line + 1,
                d.describe()
            );
        }
        if g.title.is_some() {
            let _ = writeln!(
                out,
                "    正文 {} lines, {} headings",
                g.body_lines,
                g.headings.len()
            );
        }
    }
}

/// The outline headings, indented by depth.
fn outline(out: &mut String, doc: &Document, st: &super::Structure) {
    let _ = writeln!(out, "outline:");
    let mut depth = vec![0usize; st.headings.len()];
    let mut last_segment = usize::MAX;
    for (i, hd) in st.headings.iter().enumerate() {
        if hd.segment() != last_segment {
            let _ = writeln!(out, "  [{}]", hd.segment());
            last_segment = hd.segment();
        }
        depth[i] = hd
            .parent()
            .map_or(0, |p| depth.get(p).copied().unwrap_or(0) + 1);
        let text = doc
            .text
            .get(hd.marker_span().end..hd.line_span().end)
            .unwrap_or("");
        let _ = writeln!(
            out,
            "  {:indent$}L{:<4} {} (level {}, no. {}, delimiter {:?}) {}",
            "",
            hd.line() + 1,
            doc.text.get(hd.marker_span()).unwrap_or(""),
            hd.level(),
            hd.number,
            hd.delimiter(),
            shorten(text, 16),
            indent = 2 * depth[i]
        );
    }
}

/// Inline enumerations and markers glued to a sentence end.
fn enumerations(out: &mut String, doc: &Document, st: &super::Structure) {
    if !st.inline_items.is_empty() {
        let _ = writeln!(out, "inline enumerations:");
        for it in &st.inline_items {
            let _ = writeln!(
                out,
                "  L{:<4} {} (no. {})",
                it.line + 1,
                doc.text.get(it.span.clone()).unwrap_or(""),
                it.number
            );
        }
    }
    if !st.glued.is_empty() {
        let _ = writeln!(out, "markers after a sentence end:");
        for g in &st.glued {
            let _ = writeln!(
                out,
                "  L{:<4} {} (no. {})",
                g.line() + 1,
                doc.text.get(g.marker_span()).unwrap_or(""),
                g.number
            );
        }
    }
}

/// The dates and date ranges.
fn dates(out: &mut String, doc: &Document, st: &super::Structure) {
    let _ = writeln!(out, "dates:");
    for d in &st.dates {
        let weekday = d.weekday.as_ref().map_or(String::new(), |(w, _)| {
            format!(" 星期{}", super::dates::WEEKDAY_NAMES[*w as usize % 7])
        });
        let _ = writeln!(
            out,
            "  L{:<4} {:<16} {} ({}{}{}) [{}]",
            d.line + 1,
            doc.text.get(d.span.clone()).unwrap_or(""),
            d.role.as_str(),
            d.form.as_str(),
            if d.zero_padded { ", zero-padded" } else { "" },
            weekday,
            d.describe()
        );
    }
    for r in &st.ranges {
        match r {
            super::structure::DateRange::Dates(a, b) => {
                if let (Some(a), Some(b)) = (st.dates.get(*a), st.dates.get(*b)) {
                    let _ = writeln!(
                        out,
                        "  range L{}: {} 至 {}",
                        a.line + 1,
                        a.describe(),
                        b.describe()
                    );
                }
            }
            super::structure::DateRange::Years(a, b, _) => {
                let _ = writeln!(out, "  range: {a}—{b}年");
            }
            super::structure::DateRange::Months(y, a, b, _) => {
                let _ = writeln!(out, "  range: {y}年{a}月—{b}月");
            }
        }
    }
}

/// Lines the structure pass could not place.
fn unrecognised(out: &mut String, st: &super::Structure) {
    if !st.unrecognised.is_empty() {
        let _ = writeln!(out, "not recognised:");
        for (line, note) in &st.unrecognised {
            let _ = writeln!(out, "  L{:<4} {note}", line + 1);
        }
    }
}
