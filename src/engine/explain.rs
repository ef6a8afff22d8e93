//! What `gwlint explain`, `gwlint rules`, the server's hover and the web page show about
//! rules: their documentation and an aligned table (pure text; the shells print it).

use crate::diagnostic::Category;
use crate::render;
use crate::rules::{RuleMeta, RuleSet};

/// The documentation of a rule, as `gwlint explain` prints it (also the hover text).
pub fn explain(meta: &RuleMeta) -> String {
    let mut s = format!(
        "# {} — {}\n\n类别: {}  默认级别: {}  可自动修复: {}\n\n{}\n",
        meta.id,
        meta.title,
        meta.category,
        meta.severity,
        if meta.fixable { "是" } else { "否" },
        meta.docs.trim_end()
    );
    if !meta.skip_lines.is_empty() {
        let ids: Vec<&str> = meta.skip_lines.iter().map(|k| k.id()).collect();
        s.push_str(&format!(
            "\n不检查这些行（skip_lines，见 gwlint debug structure）：{}\n",
            ids.join(", ")
        ));
    }
    s.push('\n');
    s
}

/// The rules of a category, as `gwlint explain CATEGORY` prints them.
pub fn explain_category(category: Category, set: &RuleSet) -> String {
    let metas: Vec<&RuleMeta> = set
        .rules()
        .iter()
        .map(|r| &r.meta)
        .filter(|m| m.category == category)
        .collect();
    let mut s = format!("# {category} 类（{} 条规则）\n\n", metas.len());
    s.push_str(&rules_table_text(&metas));
    s.push_str(&format!(
        "\n用 gwlint explain 规则编号 查看某条规则的说明；--select {category} 或 --ignore {category} 只运行或不运行这一类。\n"
    ));
    s
}

/// `编号  类别  级别  可修复  标题`, one rule a line, columns aligned by display width
/// (Chinese characters take two columns).
pub fn rules_table_text(metas: &[&RuleMeta]) -> String {
    let rows: Vec<[String; 5]> =
        std::iter::once(["编号", "类别", "级别", "可修复", "标题"].map(String::from))
            .chain(metas.iter().map(|m| {
                [
                    m.id.to_string(),
                    m.category.as_str().to_owned(),
                    render::human::severity_label(m.severity).to_owned(),
                    if m.fixable { "是" } else { "否" }.to_owned(),
                    m.title.to_string(),
                ]
            }))
            .collect();
    let width = |s: &str| unicode_width::UnicodeWidthStr::width(s);
    let widths: Vec<usize> = (0..4)
        .map(|c| rows.iter().map(|r| width(&r[c])).max().unwrap_or(0))
        .collect();
    let mut s = String::new();
    for row in &rows {
        for (c, w) in widths.iter().enumerate() {
            s.push_str(&row[c]);
            s.push_str(&" ".repeat(w - width(&row[c]) + 2));
        }
        s.push_str(&row[4]);
        s.push('\n');
    }
    s
}
