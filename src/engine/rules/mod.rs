//! Rules: loading rule files into a [`RuleSet`], and running them over a [`Document`].
//!
//! Every rule is a YAML file (`rules/<category>/<id>.yaml`). Its `kind` says what runs it:
//! `pattern` and `substitution` are generic engines in `kinds/`; `builtin` rules are
//! implemented in `builtin/`, registered in exactly one table (`builtin::build`).
//! Nothing here does I/O except [`RuleSet::load_dir`], which the CLI and the server call.

pub mod builtin;
mod incremental;
pub mod kinds;
pub mod spec;

pub use incremental::LineLocalMemo;

use crate::diagnostic::{Category, Diagnostic, Findings, Fix, RuleId, Severity};
use crate::document::layout::LineKind;
use crate::document::Document;
use spec::{Example, Kind, RuleFile, SpecError};
use std::collections::BTreeMap;
use std::ops::Range;

/// What people see of a rule: `gwlint rules`, `gwlint explain`, hover.
#[derive(Debug, Clone)]
pub struct RuleMeta {
    pub id: RuleId,
    pub title: String,
    pub category: Category,
    pub severity: Severity,
    pub kind: Kind,
    pub message: String,
    pub docs: String,
    pub examples: Vec<Example>,
    pub fixable: bool,
    /// Where the rule came from: `rules/…` for built-in rules, a path for user rules.
    pub origin: String,
    /// Lines with these layout labels are not reported on (`skip_lines`).
    pub skip_lines: Vec<LineKind>,
}

impl RuleMeta {
    /// Build a diagnostic with this rule's message template filled in.
    pub fn diagnostic(
        &self,
        span: Range<usize>,
        matched: &str,
        suggestion: Option<&str>,
        fix: Option<Fix>,
    ) -> Diagnostic {
        let message = fill_message(&self.message, matched, suggestion.unwrap_or(""));
        Diagnostic {
            rule: self.id.clone(),
            category: self.category,
            severity: self.severity,
            message: message.into(),
            span,
            fix,
        }
    }
}

/// Replace `{match}` and `{suggestion}` in a message template. Long matches are shortened.
/// One pass over the template (run for every finding): a placeholder's value is inserted
/// as it is, never searched for placeholders itself.
pub fn fill_message(template: &str, matched: &str, suggestion: &str) -> String {
    let matched = matched.trim();
    let mut out = String::with_capacity(template.len() + matched.len() + suggestion.len());
    let mut rest = template;
    while let Some(at) = rest.find('{') {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        if let Some(after) = tail.strip_prefix("{match}") {
            push_shortened(&mut out, matched, 24);
            rest = after;
        } else if let Some(after) = tail.strip_prefix("{suggestion}") {
            out.push_str(suggestion);
            rest = after;
        } else {
            out.push('{');
            rest = &tail[1..];
        }
    }
    out.push_str(rest);
    out
}

/// `text` with line breaks shown as ⏎, cut after `max_chars` characters (then ending in …).
fn push_shortened(out: &mut String, text: &str, max_chars: usize) {
    let mut chars = text.chars();
    for c in chars.by_ref().take(max_chars) {
        out.push(if c == '\n' { '⏎' } else { c });
    }
    if chars.next().is_some() {
        out.push('…');
    }
}

/// The logic of one rule. Implementations never panic on input and never do I/O.
pub trait Check: Send + Sync {
    fn check(&self, doc: &Document, meta: &RuleMeta, out: &mut Findings);

    /// Whether the rule reads [`Document::structure`]. Such rules run first, so the
    /// structure of a huge document can be released before the text rules run.
    fn reads_structure(&self) -> bool {
        true
    }

    /// Whether the rule is line-local: its findings on a line depend only on that line's
    /// text and the document's path, and each lies (with its fix) inside its line. Checking
    /// a run of whole lines alone then finds exactly the findings of those lines, moved by
    /// the run's offset, and a re-check after an edit checks only the lines it touched
    /// ([`LineLocalMemo`]). `tests/props.rs` holds every rule that says so to it.
    fn is_line_local(&self) -> bool {
        false
    }

    /// Join `set`, one pass over each line shared by several rules for their patterns
    /// (`kinds/line_set.rs`); the built-in rule set asks each of its rules once, before any
    /// check. A rule that searches no patterns ignores it.
    fn join_line_set(&mut self, _set: &std::sync::Arc<kinds::line_set::SharedLineSet>) {}

    /// Whether the rule's findings can carry a fix (shown as 可自动修复 by `gwlint rules`
    /// and `explain`). Derived from the code that builds the fixes, not declared beside it;
    /// `tests/rules.rs` checks it against the examples.
    fn offers_fixes(&self) -> bool {
        false
    }
}

pub struct Rule {
    pub meta: RuleMeta,
    pub check: Box<dyn Check>,
}

/// All loaded rules, in id order.
#[derive(Default)]
pub struct RuleSet {
    rules: Vec<Rule>,
    /// Changes whenever a rule is added or replaced, so that a [`LineLocalMemo`] made with
    /// other rules is not reused.
    version: u64,
    /// The pass over the lines the built-in pattern rules share (`kinds/line_set.rs`).
    line_set: Option<std::sync::Arc<kinds::line_set::SharedLineSet>>,
}

/// The next [`RuleSet::version`].
fn next_rule_set_version() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// The rule files shipped inside the binary.
static BUILTIN_RULES: include_dir::Dir<'_> = include_dir::include_dir!("$CARGO_MANIFEST_DIR/rules");

/// A file of a rule folder, as text: rule YAML or a data file it refers to.
pub(crate) struct RuleSource<'a> {
    /// Path shown in errors.
    pub(crate) display: String,
    /// Path relative to the folder root, with `/` separators.
    pub(crate) relative: String,
    pub(crate) text: &'a str,
    /// Whether its regexes may be compiled when a check first needs them: the built-in
    /// rules, which the tests compile. A user's rule is compiled as it loads, so that an
    /// error in it shows then.
    pub(crate) compile_on_first_use: bool,
}

impl RuleSet {
    /// The rules shipped with gwlint.
    pub fn builtin() -> Result<RuleSet, SpecError> {
        RuleSet::embedded(true)
    }

    /// The rules shipped with gwlint, their regexes compiled when first needed or now.
    fn embedded(compile_on_first_use: bool) -> Result<RuleSet, SpecError> {
        let mut set = RuleSet::embedded_alone(compile_on_first_use)?;
        set.share_line_scans();
        Ok(set)
    }

    /// [`RuleSet::embedded`] without the shared line scan: each rule searches alone.
    fn embedded_alone(compile_on_first_use: bool) -> Result<RuleSet, SpecError> {
        let mut files = Vec::new();
        collect_embedded(&BUILTIN_RULES, &mut files);
        let sources: Vec<RuleSource<'_>> = files
            .iter()
            .map(|(rel, text)| RuleSource {
                display: format!("rules/{rel}"),
                relative: rel.clone(),
                text,
                compile_on_first_use,
            })
            .collect();
        let mut set = RuleSet::default();
        set.add_sources(&sources)?;
        Ok(set)
    }

    /// Give the rules one shared pass over the lines for their patterns
    /// (`kinds/line_set.rs`): the built-in rules, whose patterns are known to suit it; a
    /// user's rules search alone.
    fn share_line_scans(&mut self) {
        let shared = kinds::line_set::SharedLineSet::new();
        for rule in &mut self.rules {
            rule.check.join_line_set(&shared);
        }
        self.line_set = Some(shared);
    }

    /// Parse and add one rule from YAML text (used by tests and the folder loaders).
    pub fn add_yaml(&mut self, display: &str, text: &str) -> Result<(), SpecError> {
        let src = RuleSource {
            display: display.to_owned(),
            relative: display.to_owned(),
            text,
            compile_on_first_use: false,
        };
        self.add_sources(std::slice::from_ref(&src))
    }

    pub(crate) fn add_sources(&mut self, sources: &[RuleSource<'_>]) -> Result<(), SpecError> {
        let data: BTreeMap<&str, &RuleSource<'_>> =
            sources.iter().map(|s| (s.relative.as_str(), s)).collect();
        // compiling (YAML, regexes, word lists) is most of gwlint's start-up: spread over
        // the cores; the first error in file order is the one reported, as before
        use rayon::prelude::*;
        let compiled: Vec<(&RuleSource<'_>, Result<Rule, SpecError>)> = sources
            .par_iter()
            .filter(|src| src.relative.ends_with(".yaml") || src.relative.ends_with(".yml"))
            .map(|src| (src, compile_rule(src, &data)))
            .collect();
        for (src, rule) in compiled {
            let rule = rule?;
            if let Some(existing) = self.rules.iter().find(|r| r.meta.id == rule.meta.id) {
                let pos = spec::locate(src.text, "id", Some(&rule.meta.id));
                return Err(SpecError::at(
                    &src.display,
                    src.text,
                    pos,
                    format!(
                        "规则编号「{}」重复（{} 里已经有了）",
                        rule.meta.id, existing.meta.origin
                    ),
                ));
            }
            self.rules.push(rule);
        }
        self.rules.sort_by(|a, b| a.meta.id.cmp(&b.meta.id));
        self.version = next_rule_set_version();
        Ok(())
    }

    /// Add a rule made in Rust (embedders and tests); keeps the id order. An existing
    /// rule with the same id is replaced.
    pub fn insert(&mut self, rule: Rule) {
        self.rules.retain(|r| r.meta.id != rule.meta.id);
        self.rules.push(rule);
        self.rules.sort_by(|a, b| a.meta.id.cmp(&b.meta.id));
        self.version = next_rule_set_version();
    }

    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.meta.id == id)
    }

    pub fn len(&self) -> usize {
        self.rules.len()
    }

    /// The rule id or category closest to a name that is neither ("did you mean"): the
    /// nearest by edit distance, within a third of the name's length (at least 1, at most
    /// 3); else one that contains the name or is contained in it (one starting with the
    /// name first, then the closest in length).
    pub fn closest_selector(&self, name: &str) -> Option<&str> {
        let candidates = self
            .rules
            .iter()
            .map(|r| r.meta.id.as_str())
            .chain(Category::ALL.iter().map(|c| c.as_str()));
        let limit = (name.chars().count() / 3).clamp(1, 3);
        let mut best: Option<(usize, &str)> = None;
        let mut containing: Option<((bool, usize), &str)> = None;
        for c in candidates {
            let d = edit_distance(name, c);
            if d <= limit && best.is_none_or(|(b, _)| d < b) {
                best = Some((d, c));
            }
            if name.len() >= 3 && (c.contains(name) || name.contains(c)) {
                let rank = (!c.starts_with(name), c.len().abs_diff(name.len()));
                if containing.is_none_or(|(r, _)| rank < r) {
                    containing = Some((rank, c));
                }
            }
        }
        best.map(|(_, c)| c).or(containing.map(|(_, c)| c))
    }

    /// Names that are neither a rule nor a category, each with its closest match when
    /// there is one: 「typoo（是不是想用「typo」？）、foo」.
    pub fn describe_unknown(&self, names: &[&str]) -> String {
        names
            .iter()
            .map(|n| match self.closest_selector(n) {
                Some(c) => format!("{n}（是不是想用「{c}」？）"),
                None => (*n).to_owned(),
            })
            .collect::<Vec<_>>()
            .join("、")
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// Run the enabled rules over a document. Diagnostics are sorted by position, then rule.
    /// A rule that panics is skipped and the others still run; see
    /// [`RuleSet::check_noting_crashes`] to learn which rules did.
    pub fn check(&self, doc: &Document, settings: &Settings) -> Vec<Diagnostic> {
        self.check_noting_crashes(doc, settings).0
    }

    /// [`RuleSet::check`], plus the ids of the rules that panicked (their findings are
    /// dropped). The shells tell the user ([`crash_notice`]); the engine prints nothing.
    pub fn check_noting_crashes(
        &self,
        doc: &Document,
        settings: &Settings,
    ) -> (Vec<Diagnostic>, Vec<RuleId>) {
        self.check_remembering(doc, settings, None)
    }

    /// [`RuleSet::check_noting_crashes`] of a text checked before: with `memo` (kept from
    /// the last check of this document), the line-local rules check only the lines changed
    /// since, and the memo is updated. The result is the same as without it.
    pub fn check_remembering(
        &self,
        doc: &Document,
        settings: &Settings,
        memo: Option<&mut LineLocalMemo>,
    ) -> (Vec<Diagnostic>, Vec<RuleId>) {
        // Markdown masks depend on fences lines apart: no line is checked alone there
        let mut memo = memo.filter(|_| !crate::suppress::is_markdown(&doc.path));
        // a re-check runs the line-local rules on the edited lines apart; the few rules left
        // for the whole text search it alone, cheaper than one pass of the shared set
        let rechecking = memo
            .as_deref()
            .is_some_and(|m| m.rechecks(self.version, settings, doc));
        if let Some(set) = self.line_set.as_ref().filter(|_| rechecking) {
            set.search_alone_in(doc);
        }
        let enabled = self.rules.iter().filter(|r| settings.is_enabled(&r.meta));
        let (line_local, enabled): (Vec<&Rule>, Vec<&Rule>) =
            enabled.partition(|r| memo.is_some() && r.check.is_line_local());
        // On a pool thread the caller already spreads its own work over the cores (the CLI
        // checks several files at once): nesting the rules inside that cost CPU and gained
        // nothing, so they run one after another there.
        let spread = rayon::current_num_threads() > 1 && rayon::current_thread_index().is_none();
        let size = doc.text.len();
        // A small document too: its rules compile their regexes as they first need them
        // (`kinds/lazy_regex.rs`), and that work spreads with them.
        let joined = spread && size <= RELEASE_STRUCTURE_ABOVE;
        // structure readers apart from the text rules: the first group waits for the parse,
        // the second need not. A rule that skips some kinds of line reads the structure only
        // to drop findings afterwards: beside the parse it runs with the text rules, else
        // before the structure of a huge document is released.
        let (structural, text_only): (Vec<&Rule>, Vec<&Rule>) = enabled
            .iter()
            .partition(|r| r.check.reads_structure() || (!joined && !r.meta.skip_lines.is_empty()));
        // the line-local rules (only with a memo), on the lines changed since its check
        let version = self.version;
        let mut line_local_pass = |out: &mut Findings| match memo.as_deref_mut() {
            Some(memo) => {
                incremental::check_line_local(&line_local, doc, settings, version, memo, out)
            }
            None => Vec::new(),
        };
        let mut out = Findings::new();
        let mut crashed = Vec::new();
        if joined {
            // An editor waits on one document, or one large file is checked: one core parses
            // the structure and then runs the rules that read it, the others run the text
            // rules meanwhile, and whoever is done first helps the other group.
            let ((s_out, s_crashed), (t_out, t_crashed)) = rayon::join(
                || {
                    doc.structure();
                    run_in_parallel(&structural, doc, settings)
                },
                || {
                    let mut part = Findings::new();
                    let mut part_crashed = line_local_pass(&mut part);
                    let (t_out, t_crashed) = run_in_parallel(&text_only, doc, settings);
                    part.append(t_out);
                    part_crashed.extend(t_crashed);
                    (part, part_crashed)
                },
            );
            out.append(s_out);
            out.append(t_out);
            crashed.extend(s_crashed);
            crashed.extend(t_crashed);
            drop_skipped_lines(doc, &enabled, &line_local, &mut out);
        } else {
            // structure readers first; a huge document's structure (a third of the memory
            // of a 200 MB file) is then dropped before the text rules add their findings
            for rule in structural {
                crashed.extend(run_rule(rule, doc, settings, &mut out));
            }
            crashed.extend(line_local_pass(&mut out));
            drop_skipped_lines(doc, &enabled, &line_local, &mut out);
            if size > RELEASE_STRUCTURE_ABOVE {
                doc.release_structure();
            }
            if size > RELEASE_STRUCTURE_ABOVE && spread {
                // a huge document: its text rules (most of the time) spread over the cores
                let (part, part_crashed) = run_in_parallel(&text_only, doc, settings);
                out.append(part);
                crashed.extend(part_crashed);
            } else {
                for rule in text_only {
                    crashed.extend(run_rule(rule, doc, settings, &mut out));
                }
            }
        }
        crashed.sort();
        let mut out = out.into_vec();
        // unstable: sorts in place (a stable sort's buffer was a tenth of the peak memory on
        // a finding-dense file); the key is total up to the message, so the order is fixed
        out.sort_unstable_by(|a, b| {
            (a.span.start, a.span.end, &a.rule, &a.message).cmp(&(
                b.span.start,
                b.span.end,
                &b.rule,
                &b.message,
            ))
        });
        // one finding per span and rule; and two rules that propose the same edit of the
        // same span (a list typo that the homophone check also finds) are one finding
        out.dedup_by(|a, b| a.span == b.span && (a.rule == b.rule || same_edits(a, b)));
        drop_nested_same_corrections(&doc.text, &mut out);
        if !doc.masked.is_empty() {
            out.retain(|d| !touches_masked(doc, d));
        }
        (out, crashed)
    }
}

/// Run `rules` on `doc` spread over the cores: their findings, and the ids of the rules
/// that crashed.
fn run_in_parallel(
    rules: &[&Rule],
    doc: &Document,
    settings: &Settings,
) -> (Findings, Vec<RuleId>) {
    use rayon::prelude::*;
    let parts: Vec<(Findings, Option<RuleId>)> = rules
        .par_iter()
        .map(|rule| {
            let mut part = Findings::new();
            let crash = run_rule(rule, doc, settings, &mut part);
            (part, crash)
        })
        .collect();
    let mut out = Findings::new();
    let mut crashed = Vec::new();
    for (part, crash) in parts {
        out.append(part);
        crashed.extend(crash);
    }
    (out, crashed)
}

/// What the shells print when rule `rule` panicked on the document at `path`.
pub fn crash_notice(rule: &str, path: &str) -> String {
    format!("gwlint：内部错误：规则 `{rule}` 在 {path} 上崩溃，它的结果已略去")
}

/// How many following diagnostics a finding is compared with for nesting.
const NESTING_WINDOW: usize = 8;

/// Drop a finding that lies inside another finding of the same category when the outer
/// finding's correction already makes the inner one's (隐患排插 → 隐患排查 from the typo
/// list and 排插 → 排查 from the homophone check): one defect, reported once, by the
/// finding that shows more context. Linear: each finding is compared with a few after it.
fn drop_nested_same_corrections(text: &str, out: &mut Vec<Diagnostic>) {
    let mut drop = vec![false; out.len()];
    for i in 0..out.len() {
        for j in i + 1..out.len().min(i + 1 + NESTING_WINDOW) {
            if out[j].span.start >= out[i].span.end {
                break;
            }
            let (a, b) = (&out[i], &out[j]);
            if a.category != b.category {
                continue;
            }
            if corrects_inside(text, a, b) {
                drop[j] = true;
            } else if corrects_inside(text, b, a) {
                drop[i] = true;
            }
        }
    }
    let mut k = 0;
    out.retain(|_| {
        k += 1;
        !drop[k - 1]
    });
}

/// `outer` spans `inner` and its single replacement equals the text around `inner` with
/// `inner`'s replacement in the middle.
fn corrects_inside(text: &str, outer: &Diagnostic, inner: &Diagnostic) -> bool {
    let single = |d: &Diagnostic| match d.fix.as_ref().map(|f| f.edits.as_slice()) {
        Some([e]) if e.range == d.span => Some(e.replacement.to_string()),
        _ => None,
    };
    let (Some(o), Some(n)) = (single(outer), single(inner)) else {
        return false;
    };
    let (os, is) = (&outer.span, &inner.span);
    if !(os.start <= is.start && is.end <= os.end) || os == is {
        return false;
    }
    match (text.get(os.start..is.start), text.get(is.end..os.end)) {
        (Some(head), Some(tail)) => o == format!("{head}{n}{tail}"),
        _ => false,
    }
}

/// Both diagnostics carry a fix and the fixes make the same edits.
fn same_edits(a: &Diagnostic, b: &Diagnostic) -> bool {
    match (&a.fix, &b.fix) {
        (Some(x), Some(y)) => x.edits == y.edits,
        _ => false,
    }
}

/// A finding whose span or fix touches text that is not prose (Markdown code, link
/// targets, HTML, front matter: [`Document::masked`]); it is dropped whole.
fn touches_masked(doc: &Document, d: &Diagnostic) -> bool {
    use crate::markdown::touches;
    touches(&doc.masked, &d.span)
        || d.fix
            .iter()
            .flat_map(|f| &f.edits)
            .any(|e| touches(&doc.masked, &e.range))
}

/// Larger documents run the rules that read the structure first, one after another,
/// release the structure, and only then run the text rules (in parallel): the structure
/// of a 200 MB file is a third of its memory, and its findings pile up on top of it.
const RELEASE_STRUCTURE_ABOVE: usize = 64 * 1024 * 1024;

/// Run one rule, appending its findings to `out` with the configured severity. A panic
/// drops only that rule's findings and returns its id.
fn run_rule(
    rule: &Rule,
    doc: &Document,
    settings: &Settings,
    out: &mut Findings,
) -> Option<RuleId> {
    // Rules push straight into `out` (no per-rule Vec to copy over on the sequential path:
    // with a million findings that copy was a third of the peak memory).
    let start = out.len();
    let ran = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        rule.check.check(doc, &rule.meta, out);
    }));
    if ran.is_err() {
        out.truncate(start);
        return Some(rule.meta.id.clone());
    }
    let severity = settings.severity_of(&rule.meta);
    for d in out.since(start) {
        d.severity = severity;
    }
    None
}

/// Drop the findings of rules with `skip_lines` that lie on lines of those kinds. Run once,
/// after the rules: the structure is parsed by then (and not yet released), and findings
/// kept from an earlier check are judged by the current structure.
fn drop_skipped_lines(doc: &Document, rules: &[&Rule], more: &[&Rule], out: &mut Findings) {
    let skipping: Vec<(&RuleId, &[LineKind])> = rules
        .iter()
        .chain(more)
        .filter(|r| !r.meta.skip_lines.is_empty())
        .map(|r| (&r.meta.id, r.meta.skip_lines.as_slice()))
        .collect();
    if skipping.is_empty() {
        return;
    }
    let st = doc.structure();
    out.retain_since(0, |d| {
        skipping
            .iter()
            .find(|(id, _)| **id == d.rule)
            .is_none_or(|(_, kinds)| !kinds.contains(&st.kind(doc.lines.line_of(d.span.start))))
    });
}

fn collect_embedded(
    dir: &'static include_dir::Dir<'static>,
    out: &mut Vec<(String, &'static str)>,
) {
    for file in dir.files() {
        if let Some(text) = file.contents_utf8() {
            out.push((file.path().to_string_lossy().replace('\\', "/"), text));
        }
    }
    for sub in dir.dirs() {
        collect_embedded(sub, out);
    }
}

/// A data file named by a rule (`swap_file`, `terms_file`), looked up beside the rule.
fn data_file<'a>(
    src: &RuleSource<'_>,
    data: &BTreeMap<&str, &'a RuleSource<'a>>,
    name: &str,
    key: &str,
    at: &dyn Fn(&str, Option<&str>, String) -> SpecError,
) -> Result<&'a RuleSource<'a>, SpecError> {
    let dir = src.relative.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
    let rel = if dir.is_empty() {
        name.to_owned()
    } else {
        format!("{dir}/{name}")
    };
    data.get(rel.as_str()).copied().ok_or_else(|| {
        at(
            key,
            Some(name),
            format!("规则旁边找不到 {key} 指定的文件「{name}」"),
        )
    })
}

/// The checks of a rule file that need no compiling: its id (the file name, kebab-case,
/// not a selector's name), the fields its kind accepts, its examples and fix.
fn validate_rule_file(
    file: &RuleFile,
    src: &RuleSource<'_>,
    at: &dyn Fn(&str, Option<&str>, String) -> SpecError,
) -> Result<(), SpecError> {
    let stem = src
        .relative
        .rsplit('/')
        .next()
        .unwrap_or("")
        .trim_end_matches(".yaml")
        .trim_end_matches(".yml");
    if stem != file.id && src.relative != src.display {
        return Err(at(
            "id",
            Some(&file.id),
            format!("规则编号「{}」必须与文件名「{stem}」相同", file.id),
        ));
    }
    if !is_kebab_id(&file.id) {
        return Err(at(
            "id",
            Some(&file.id),
            format!(
                "规则编号「{}」只能用小写英文字母、数字和连字符（如 my-rule）",
                file.id
            ),
        ));
    }
    // `all` and the category names are selectors of their own (`--select typo`); only a
    // rule of that very category may share its name (`toc-mismatch`)
    let named_category = Category::from_name(&file.id);
    if file.id == "all" || named_category.is_some_and(|c| c != file.category) {
        return Err(at(
            "id",
            Some(&file.id),
            format!(
                "rule id `{}` is reserved: `all` and the category names select groups of rules",
                file.id
            ),
        ));
    }
    if let Some(key) = file.foreign_keys().first() {
        return Err(at(
            key,
            None,
            format!(
                "「{key}」不是 {} 类规则的字段",
                format!("{:?}", file.kind).to_lowercase()
            ),
        ));
    }
    for ex in &file.examples {
        if ex.bad.is_some() == ex.good.is_some() {
            return Err(at(
                "examples",
                None,
                "每个示例要有 bad 或 good 之一（不能都有，也不能都没有）".into(),
            ));
        }
        if ex.good.is_some() && (ex.fixed.is_some() || ex.span.is_some() || ex.message.is_some()) {
            return Err(at(
                "fixed",
                None,
                "fixed、span、message 只能写在 bad 示例里".into(),
            ));
        }
    }
    if let Some(fix) = file.fix.as_ref().filter(|_| file.kind == Kind::Pattern) {
        if fix.replace.is_some() == fix.transform.is_some() {
            return Err(at(
                "fix",
                None,
                "a fix needs exactly one of `replace` or `transform`".into(),
            ));
        }
    }
    Ok(())
}

/// The check of a rule: compiled from its kind's fields and data files.
fn build_check(
    file: &RuleFile,
    src: &RuleSource<'_>,
    data: &BTreeMap<&str, &RuleSource<'_>>,
    at: &dyn Fn(&str, Option<&str>, String) -> SpecError,
) -> Result<Box<dyn Check>, SpecError> {
    let check: Box<dyn Check> = match file.kind {
        Kind::Pattern => Box::new(
            kinds::pattern::PatternCheck::compile(file, src.compile_on_first_use)
                .map_err(|(key, needle, msg)| at(key, needle.as_deref(), msg))?,
        ),
        Kind::Substitution => {
            let mut pairs: Vec<(String, String)> =
                file.swap.clone().unwrap_or_default().into_iter().collect();
            if let Some(name) = &file.swap_file {
                let data_src = data_file(src, data, name, "swap_file", at)?;
                pairs.extend(kinds::substitution::parse_swap_file(data_src.text).map_err(
                    |(line, msg)| SpecError::at(&data_src.display, data_src.text, (line, 1), msg),
                )?);
            }
            if pairs.is_empty() {
                return Err(at(
                    "kind",
                    None,
                    "a substitution rule needs `swap` or `swap_file`".into(),
                ));
            }
            Box::new(
                kinds::substitution::SubstitutionCheck::new(pairs, file.fix.clone())
                    .map_err(|m| at("swap", None, m))?,
            )
        }
        Kind::Builtin => {
            let params = file.params.clone().unwrap_or(serde_yaml::Value::Null);
            builtin::build(&file.id, &params).map_err(|m| at("params", None, m))?
        }
        Kind::Dated => {
            let (Some(name), Some(wrong_when)) = (&file.terms_file, file.wrong_when) else {
                return Err(at(
                    "kind",
                    None,
                    "a dated rule needs `terms_file` and `wrong_when`".into(),
                ));
            };
            let data_src = data_file(src, data, name, "terms_file", at)?;
            let terms = kinds::dated::parse_terms_file(data_src.text).map_err(|(line, msg)| {
                SpecError::at(&data_src.display, data_src.text, (line, 1), msg)
            })?;
            Box::new(
                kinds::dated::DatedCheck::new(terms, wrong_when, file.fix.clone())
                    .map_err(|m| at("terms_file", Some(name), m))?,
            )
        }
    };
    Ok(check)
}

/// The line labels a rule's findings are dropped on (`skip_lines`).
fn skip_lines(
    file: &RuleFile,
    at: &dyn Fn(&str, Option<&str>, String) -> SpecError,
) -> Result<Vec<LineKind>, SpecError> {
    let mut skip_lines = Vec::new();
    for id in file.skip_lines.iter().flatten() {
        match LineKind::from_id(id) {
            Some(k) => skip_lines.push(k),
            None => {
                return Err(at(
                    "skip_lines",
                    Some(id),
                    format!(
                        "不认识的行标签「{id}」（可用：{}）",
                        LineKind::ALL
                            .iter()
                            .map(|k| k.id())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ))
            }
        }
    }
    Ok(skip_lines)
}

fn compile_rule(
    src: &RuleSource<'_>,
    data: &BTreeMap<&str, &RuleSource<'_>>,
) -> Result<Rule, SpecError> {
    let at = |key: &str, needle: Option<&str>, message: String| {
        SpecError::at(
            &src.display,
            src.text,
            spec::locate(src.text, key, needle),
            message,
        )
    };
    let file: RuleFile = spec::from_yaml_guarded(&src.display, src.text)?;
    validate_rule_file(&file, src, &at)?;
    let check = build_check(&file, src, data, &at)?;
    let skip_lines = skip_lines(&file, &at)?;
    let fixable = file.fix.is_some() || file.kind == Kind::Substitution || check.offers_fixes();
    Ok(Rule {
        meta: RuleMeta {
            id: file.id.into(),
            title: file.title,
            category: file.category,
            severity: file.severity,
            kind: file.kind,
            message: file.message,
            docs: file.docs,
            examples: file.examples,
            fixable,
            origin: src.display.clone(),
            skip_lines,
        },
        check,
    })
}

fn is_kebab_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !id.starts_with('-')
        && !id.ends_with('-')
}

/// Which rules run, and at what severity. Selectors are rule ids or category names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    pub severity: BTreeMap<String, Severity>,
}

impl Settings {
    fn matches(selector: &str, meta: &RuleMeta) -> bool {
        selector == "all" || selector == meta.id || selector == meta.category.as_str()
    }

    pub fn is_enabled(&self, meta: &RuleMeta) -> bool {
        (self.select.is_empty() || self.select.iter().any(|s| Self::matches(s, meta)))
            && !self.ignore.iter().any(|s| Self::matches(s, meta))
    }

    pub fn severity_of(&self, meta: &RuleMeta) -> Severity {
        self.severity
            .get(meta.id.as_str())
            .or_else(|| self.severity.get(meta.category.as_str()))
            .copied()
            .unwrap_or(meta.severity)
    }

    /// Selectors that name neither a rule nor a category in `rules`.
    pub fn unknown_selectors<'a>(&'a self, rules: &RuleSet) -> Vec<&'a str> {
        self.select
            .iter()
            .chain(&self.ignore)
            .chain(self.severity.keys())
            .map(String::as_str)
            .filter(|s| *s != "all" && Category::from_name(s).is_none() && rules.get(s).is_none())
            .collect()
    }
}

/// Levenshtein distance in characters (names are short: quadratic is fine).
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = diagonal + usize::from(ca != *cb);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The built-in rules compile their regexes when a check first needs them; this
    /// compiles every one of them now, as a user's rule is compiled when it loads.
    #[test]
    fn every_builtin_regex_compiles() {
        match RuleSet::embedded(false) {
            Ok(set) => assert_eq!(set.len(), RuleSet::builtin().map_or(0, |b| b.len())),
            Err(e) => panic!("{e}"),
        }
    }

    proptest::proptest! {
        /// The shared line scan changes nothing: the built-in rules find the same with it as
        /// each searching alone, on texts made of what their patterns look for.
        #[test]
        fn the_shared_line_scan_finds_what_each_rule_finds_alone(
            pieces in proptest::collection::vec(proptest::sample::select(vec![
                "统一", "思想", "的", "及", "工作", ",", ";", ":", "!", "?", "(", ")", "（",
                "）", "：", "，", "。", "、", "“", "\"", "《", "》", "〔", "〕", "[", "]",
                " ", "\u{3000}", "\t", "\r\n", "\n", "\r", "2024", "年", "3", "月", "日",
                "%", "百分", "点", "一、", "（二）", "1.", "第", "条", "-", "—", "～", "~",
                "X", "×", "客服", "下载", "VIP", "a", "号", "文", "附件", ".",
            ]), 0..50)
        ) {
            static SETS: std::sync::LazyLock<(RuleSet, RuleSet)> = std::sync::LazyLock::new(|| {
                (RuleSet::builtin().unwrap(), RuleSet::embedded_alone(true).unwrap())
            });
            let (shared, alone) = &*SETS;
            let text: String = pieces.concat();
            let doc = Document::from_text("a.txt", text.clone());
            let settings = Settings::default();
            let with = shared.check(&doc, &settings);
            let without = alone.check(&Document::from_text("a.txt", text), &settings);
            proptest::prop_assert_eq!(with, without);
        }
    }

    /// Where many pattern rules fire, in both views and with CRLF line breaks, the shared
    /// scan finds what each rule finds alone (the proptest above, on a text known to hold
    /// findings of several pattern rules).
    #[test]
    fn the_shared_line_scan_keeps_the_findings_of_many_pattern_rules() {
        let text = "关于做好2024年春耕工作的通知\r\n各单位:\r\n 一、加强领导,落实责任 \r\n\
                    (二)资金到位率达到95\r\n联系电话:12345678  客服热线:4001234567\r\n\
                    本文档来源于网络,下载后可编辑。\r\n完成率提高了3个百分点,即80%~90\r\n";
        let shared = RuleSet::builtin().unwrap();
        let alone = RuleSet::embedded_alone(true).unwrap();
        let settings = Settings::default();
        let with = shared.check(&Document::from_text("a.txt", text), &settings);
        let without = alone.check(&Document::from_text("a.txt", text), &settings);
        assert_eq!(with, without);
        let pattern_rules: std::collections::BTreeSet<&str> = with
            .iter()
            .filter(|d| {
                let id = d.rule.as_str();
                alone.get(id).is_some_and(|r| r.meta.kind == Kind::Pattern)
            })
            .map(|d| d.rule.as_str())
            .collect();
        assert!(pattern_rules.len() >= 5, "{pattern_rules:?}");
    }

    /// The set of the built-in patterns builds, in both views (if it did not, the rules
    /// would search alone: the same findings, but the shared pass lost).
    #[test]
    fn the_builtin_patterns_share_one_line_scan() {
        let set = RuleSet::builtin().unwrap();
        let shared = set.line_set.as_ref().unwrap();
        let doc = Document::from_text("a.txt", "一、标题,正文\n");
        for view in [spec::View::Original, spec::View::Normalized] {
            assert!(shared.hits(&doc, view).is_some(), "{view:?}");
        }
    }

    /// A regex that does not compile is an error when a user's rule loads, reported on
    /// the rule's own text (a context regex is compiled wrapped in an anchor).
    #[test]
    fn a_user_rule_with_a_bad_regex_fails_to_load() {
        let rule = |field: &str| {
            format!(
                "id: bad-regex\ntitle: t\ncategory: other\nseverity: warning\nkind: pattern\n\
                 message: m\npatterns: ['甲']\n{field}\ndocs: d\nexamples: []\n"
            )
        };
        for field in [
            "exceptions: ['(乙']",
            "preceded_by: '(乙'",
            "not_followed_by: '丙{2,1}'",
        ] {
            let err = RuleSet::default().add_yaml("bad.yaml", &rule(field));
            let Err(err) = err else {
                panic!("{field} loaded");
            };
            assert!(err.to_string().contains("invalid regex"), "{field}: {err}");
        }
    }

    #[test]
    fn message_templates_are_filled_once() {
        assert_eq!(
            fill_message("「{match}」→「{suggestion}」", " 截止 ", "截至"),
            "「截止」→「截至」"
        );
        // a value is never searched for placeholders; other braces stay
        assert_eq!(
            fill_message("{match}：{suggestion} {x}", "{suggestion}", "乙"),
            "{suggestion}：乙 {x}"
        );
        // long matches are cut after 24 characters, line breaks shown as ⏎
        let long = format!("甲\n{}", "乙".repeat(30));
        let filled = fill_message("「{match}」", &long, "");
        assert_eq!(filled, format!("「甲⏎{}…」", "乙".repeat(22)));
        assert_eq!(
            fill_message("「{match}」", &"丙".repeat(24), ""),
            format!("「{}」", "丙".repeat(24))
        );
    }
}
