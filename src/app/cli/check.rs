//! `gwlint check`: resolve what applies to each input, check the inputs in parallel, write
//! fixes or diffs, report problems and findings, and choose the exit code.

use super::*;

/// The rules and config that apply to a group of files (one per config file in effect).
struct Context {
    config: Option<Config>,
    rules: RuleSet,
}

impl Context {
    /// Config settings for `input`, then the command line: `--select` replaces the
    /// config's `select` and `ignore` (per-file ignores still apply), `--ignore` adds.
    fn settings_for(&self, input: &Input, args: &CheckArgs) -> Settings {
        let path = match input {
            Input::File(p) => p.as_path(),
            Input::Stdin => Path::new("-"),
        };
        crate::config::settings_with_overrides(
            self.config.as_ref(),
            path,
            &args.select,
            &args.ignore,
        )
    }

    fn profile(&self) -> Profile {
        self.config
            .as_ref()
            .and_then(|c| c.file.profile)
            .unwrap_or_default()
    }
}

/// Load a config (if any) and the rule set it implies; errors are printed.
fn build_context(config_path: Option<&Path>, args: &CheckArgs) -> Result<Context, i32> {
    let config = match config_path {
        None => None,
        Some(p) => Some(Config::load(p).map_err(|e| report_spec_error(&e))?),
    };
    let dirs: Vec<&Path> = config
        .iter()
        .flat_map(|c| c.rule_dirs.iter().map(PathBuf::as_path))
        .chain(args.rules.rule_dirs.iter().map(PathBuf::as_path))
        .collect();
    let rules = load_rule_dirs(dirs)?;
    if let Some(c) = &config {
        c.validate(&rules).map_err(|e| report_spec_error(&e))?;
    }
    let cli = Settings {
        select: args.select.clone(),
        ignore: args.ignore.clone(),
        ..Settings::default()
    };
    let unknown = cli.unknown_selectors(&rules);
    if !unknown.is_empty() {
        stderr_line!(
            "gwlint：错误：没有这些规则或类别：{}（见 gwlint rules；类别有 {}）",
            rules.describe_unknown(&unknown),
            Category::ALL.map(|c| c.as_str()).join("、")
        );
        return Err(EXIT_ERROR);
    }
    Ok(Context { config, rules })
}

/// The folder a config or ignore file is looked for from.
fn search_start(input: &Input) -> PathBuf {
    match input {
        Input::File(p) => p.clone(),
        Input::Stdin => PathBuf::from("."),
    }
}

/// The result of checking one input.
pub struct Checked {
    /// Position of the input in the command line's expanded list.
    pub index: usize,
    pub input: Input,
    /// The document as it is now (after fixing, when fixes were applied).
    pub doc: Document,
    pub diagnostics: Vec<Diagnostic>,
    /// The text before fixing, when `--fix` / `--diff` changed it.
    pub original: Option<String>,
    /// Where the fixed text differs from `original`.
    pub changes: Vec<fix::Change>,
    /// What the file looked like when read; what stdin held (see [`load::Loaded`]).
    pub snapshot: Option<load::FileSnapshot>,
    pub stdin_bytes: Option<Vec<u8>>,
    /// How the input was read, when the user should know (see [`load::Decoding`]).
    pub notice: Option<String>,
    /// Fixes applied, per rule.
    pub fixed: BTreeMap<String, usize>,
    /// Entries of the file's ignore file that matched a diagnostic.
    pub used_entries: BTreeSet<usize>,
    pub settings: Settings,
    /// Why `--fix` left this input alone although it had fixes (a `.docx`); the
    /// diagnostics are then those of the unfixed text.
    pub refused: Option<String>,
}

impl Checked {
    fn fixes(&self) -> usize {
        self.fixed.values().sum()
    }
}

/// One input with everything needed to check it.
struct Job<'a> {
    index: usize,
    input: &'a Input,
    ctx: &'a Context,
    settings: Settings,
    decoding: load::Decoding,
    ignore: Option<(&'a IgnoreFile, Vec<usize>)>,
}

impl Job<'_> {
    /// Lint with suppressions applied: what the user sees and what --fix fixes.
    fn lint(&self, doc: &Document) -> (Vec<Diagnostic>, BTreeSet<usize>) {
        crate::app::workspace::lint(
            doc,
            &self.ctx.rules,
            &self.settings,
            self.ignore.as_ref().map(|(f, e)| (*f, e.as_slice())),
            None,
        )
    }

    /// `writes`: the fixed text would be written back (`--fix`, not `--diff`).
    fn run(&self, fix_mode: Option<FixMode>, writes: bool) -> Result<Checked, LoadProblem> {
        let loaded = load::load_input(self.input, self.decoding)?;
        let mut doc = loaded.doc;
        doc.profile = self.ctx.profile();
        let mut original = None;
        let mut changes = Vec::new();
        let mut fixed = BTreeMap::new();
        let mut refused = None;
        if let Some(mode) = fix_mode {
            let remake = |text: &str| {
                let mut d = Document::new(doc.path.clone(), text.to_owned(), doc.encoding);
                d.profile = doc.profile;
                d
            };
            let outcome = fix::fix_until_stable(&doc.text, mode, |text| self.lint(&remake(text)).0)
                .map_err(|e| LoadProblem::Error(format!("{}：{e}", doc.path)))?;
            if outcome.text != doc.text && writes && load::fix_refusal(self.input).is_some() {
                refused = load::fix_refusal(self.input);
            } else if outcome.text != doc.text {
                let next = remake(&outcome.text);
                original = Some(std::mem::replace(&mut doc, next).text);
                fixed = outcome.per_rule;
                changes = outcome.changes;
            }
        }
        let (diagnostics, used_entries) = self.lint(&doc);
        Ok(Checked {
            index: self.index,
            input: self.input.clone(),
            doc,
            diagnostics,
            original,
            changes,
            snapshot: loaded.snapshot,
            stdin_bytes: loaded.stdin_bytes,
            notice: loaded.notice,
            fixed,
            used_entries,
            settings: self.settings.clone(),
            refused,
        })
    }
}

/// `gwlint check`: a pipeline of the steps below; a step that fails has printed why and
/// returns the exit code.
pub(super) fn check_command(args: &CheckArgs) -> i32 {
    run_check(args).unwrap_or_else(|code| code)
}

fn run_check(args: &CheckArgs) -> Result<i32, i32> {
    let forced_encoding = forced_encoding(args)?;
    refuse_statistics_format(args)?;
    let (inputs, mut problems) = load::collect_inputs(&args.paths);
    let mut applies = Applies::resolve(&inputs, args)?;
    let jobs = applies.jobs(&inputs, args, forced_encoding);
    if args.show_settings {
        print_out(&applies.describe(&jobs, args));
        return Ok(EXIT_CLEAN);
    }
    // opened before anything is fixed: a report that cannot be written stops gwlint first
    let output_file = open_output_file(args)?;
    let mut checked = check_inputs(&jobs, args, &mut problems);
    let diffs = write_fixes(&jobs, &mut checked, args, &mut problems);
    drop(jobs);
    let had_error = report_problems(&problems, args.quiet);
    if args.add_ignore {
        applies.add_ignores(&checked, args.quiet)?;
        return Ok(if had_error { EXIT_ERROR } else { EXIT_CLEAN });
    }
    if !args.quiet {
        applies.report_stale(&checked);
    }
    if args.diff {
        print_out(&diffs);
        return Ok(if had_error {
            EXIT_ERROR
        } else if diffs.is_empty() || args.exit_zero {
            EXIT_CLEAN
        } else {
            EXIT_DIAGNOSTICS
        });
    }
    let errors = problems
        .iter()
        .filter(|p| matches!(p, LoadProblem::Error(_)))
        .count();
    write_report(&checked, &applies.contexts, args, output_file, errors)?;
    Ok(exit_code(&checked, had_error, args))
}

/// `--encoding NAME`, or an error for a name gwlint does not know.
fn forced_encoding(args: &CheckArgs) -> Result<Option<TextEncoding>, i32> {
    match args
        .encoding
        .as_deref()
        .map(|n| (n, TextEncoding::from_name(n)))
    {
        None => Ok(None),
        Some((_, Some(e))) => Ok(Some(e)),
        Some((name, None)) => {
            stderr_line!("gwlint：错误：不认识的编码「{name}」（可用 utf-8、utf-8-bom、gbk、gb18030、utf-16le、utf-16be）");
            Err(EXIT_ERROR)
        }
    }
}

/// `--statistics` goes with the human, concise, json and jsonl formats only.
fn refuse_statistics_format(args: &CheckArgs) -> Result<(), i32> {
    if args.statistics
        && !matches!(
            args.format,
            Format::Human | Format::Concise | Format::Json | Format::Jsonl
        )
    {
        let name = args
            .format
            .to_possible_value()
            .map_or(String::new(), |v| v.get_name().to_owned());
        stderr_line!(
            "gwlint：错误：--statistics 只能与 --format human、concise、json 或 jsonl 一起用，不能与 {name} 一起用"
        );
        return Err(EXIT_ERROR);
    }
    Ok(())
}

/// What applies to each input of one `gwlint check`: its config and rules (a [`Context`],
/// one per config file in effect) and its ignore file, each loaded once.
struct Applies {
    contexts: Vec<Context>,
    /// Per input: index into `contexts`.
    input_context: Vec<usize>,
    ignore_files: Vec<IgnoreFile>,
    /// Per input: index into `ignore_files`.
    input_ignore: Vec<Option<usize>>,
}

/// Config and ignore-file discovery walks up from each file's folder; folders repeat, so
/// the answers are remembered per folder.
#[derive(Default)]
struct Discovery {
    found_in: HashMap<(PathBuf, bool), Option<PathBuf>>,
}

impl Discovery {
    fn find(&mut self, input: &Input, ignore_file: bool) -> Option<PathBuf> {
        let start = search_start(input);
        let dir = start
            .parent()
            .filter(|_| !start.is_dir())
            .map_or_else(|| start.clone(), Path::to_path_buf);
        self.found_in
            .entry((dir, ignore_file))
            .or_insert_with(|| {
                if ignore_file {
                    IgnoreFile::discover(&start)
                } else {
                    config::discover(&start)
                }
            })
            .clone()
    }

    /// The config file for `input`: none with `--isolated`, `--config`, or the nearest.
    fn config_for(&mut self, input: &Input, args: &CheckArgs) -> Option<PathBuf> {
        if args.isolated {
            None
        } else if let Some(c) = &args.config {
            Some(c.clone())
        } else {
            self.find(input, false)
        }
    }
}

impl Applies {
    fn resolve(inputs: &[Input], args: &CheckArgs) -> Result<Applies, i32> {
        let mut discovery = Discovery::default();
        let mut contexts: Vec<Context> = Vec::new();
        let mut context_of_path: HashMap<Option<PathBuf>, usize> = HashMap::new();
        let mut input_context = Vec::new();
        if inputs.is_empty() {
            // still load the config so that its errors are reported
            let path = discovery
                .config_for(&Input::Stdin, args)
                .filter(|_| args.config.is_some());
            build_context(path.as_deref(), args)?;
        }
        for input in inputs {
            let path = discovery.config_for(input, args);
            let index = match context_of_path.get(&path) {
                Some(&i) => i,
                None => {
                    contexts.push(build_context(path.as_deref(), args)?);
                    context_of_path.insert(path, contexts.len() - 1);
                    contexts.len() - 1
                }
            };
            input_context.push(index);
        }
        let mut ignore_files: Vec<IgnoreFile> = Vec::new();
        let mut ignore_of_path: HashMap<PathBuf, usize> = HashMap::new();
        let mut input_ignore = Vec::new();
        for input in inputs {
            let found = match input {
                Input::File(_) if !args.isolated => discovery.find(input, true),
                _ => None,
            };
            let index = match found {
                None => None,
                Some(path) => match ignore_of_path.get(&path) {
                    Some(&i) => Some(i),
                    None => {
                        let file = IgnoreFile::load(&path).map_err(|e| report_spec_error(&e))?;
                        ignore_files.push(file);
                        ignore_of_path.insert(path, ignore_files.len() - 1);
                        Some(ignore_files.len() - 1)
                    }
                },
            };
            input_ignore.push(index);
        }
        Ok(Applies {
            contexts,
            input_context,
            ignore_files,
            input_ignore,
        })
    }

    /// One job per input, with its settings, decoding and ignore entries.
    fn jobs<'a>(
        &'a self,
        inputs: &'a [Input],
        args: &CheckArgs,
        forced: Option<TextEncoding>,
    ) -> Vec<Job<'a>> {
        inputs
            .iter()
            .enumerate()
            .map(|(i, input)| {
                let ctx = &self.contexts[self.input_context[i]];
                let ignore = self.input_ignore[i].map(|f| {
                    let file = &self.ignore_files[f];
                    let entries = match input {
                        Input::File(p) => file.entries_for(&file.key_for(p)),
                        Input::Stdin => Vec::new(),
                    };
                    (file, entries)
                });
                Job {
                    index: i,
                    input,
                    ctx,
                    settings: ctx.settings_for(input, args),
                    decoding: load::Decoding {
                        forced,
                        fallback: ctx.config.as_ref().and_then(|c| c.encoding),
                    },
                    ignore,
                }
            })
            .collect()
    }

    /// `--show-settings`: what applies to each input.
    fn describe(&self, jobs: &[Job<'_>], args: &CheckArgs) -> String {
        let mut s = String::new();
        for (i, job) in jobs.iter().enumerate() {
            s.push_str(&describe_settings(
                job,
                self.input_ignore[i].map(|f| &self.ignore_files[f]),
                args,
            ));
        }
        s
    }

    /// `--add-ignore`: accept every finding shown, in each input's ignore file.
    fn add_ignores(&mut self, checked: &[Checked], quiet: bool) -> Result<(), i32> {
        add_ignores(
            checked,
            &self.contexts,
            &self.input_context,
            &mut self.ignore_files,
            &self.input_ignore,
            quiet,
        )
    }

    /// Say which ignore entries matched nothing.
    fn report_stale(&self, checked: &[Checked]) {
        report_stale(
            checked,
            &self.contexts,
            &self.input_context,
            &self.ignore_files,
            &self.input_ignore,
        );
    }
}

/// `--output-file`, created before anything is fixed.
fn open_output_file(args: &CheckArgs) -> Result<Option<std::fs::File>, i32> {
    let Some(path) = &args.output_file else {
        return Ok(None);
    };
    match std::fs::File::create(path) {
        Ok(f) => Ok(Some(f)),
        Err(e) => {
            stderr_line!(
                "gwlint：错误：{}：无法写入报告：{}",
                path.display(),
                load::io_message(&e)
            );
            Err(EXIT_ERROR)
        }
    }
}

/// Check (and fix, in memory) every job in parallel; inputs that could not be read become
/// problems.
fn check_inputs(
    jobs: &[Job<'_>],
    args: &CheckArgs,
    problems: &mut Vec<LoadProblem>,
) -> Vec<Checked> {
    if args.unsafe_fixes && !(args.fix || args.diff) && !args.quiet {
        stderr_line!("gwlint：提示：--unsafe-fixes 要与 --fix 或 --diff 一起用才起作用");
    }
    let fix_mode = (args.fix || args.diff).then_some(if args.unsafe_fixes {
        FixMode::SafeAndUnsafe
    } else {
        FixMode::SafeOnly
    });
    // Several files: one file per core, each running its rules in turn. One file: on this
    // thread, so that its rules spread over the cores ([`crate::RuleSet::check`]).
    let run = |job: &Job<'_>| job.run(fix_mode, args.fix && !args.diff);
    let results: Vec<Result<Checked, LoadProblem>> = if jobs.len() > 1 {
        jobs.par_iter().map(run).collect()
    } else {
        jobs.iter().map(run).collect()
    };
    let mut checked = Vec::new();
    for (r, job) in results.into_iter().zip(jobs) {
        match r {
            Ok(c) => {
                problems.extend(c.notice.clone().map(LoadProblem::Skipped));
                checked.push(c);
            }
            Err(p) if args.annotate => problems.push(annotate::escalate(job.input, p)),
            Err(p) => problems.push(p),
        }
    }
    if args.annotate {
        annotate::write_annotated(&checked, args, problems);
    }
    checked
}

/// Write the fixes (`--fix`; with stdin the fixed text goes to stdout) or collect the
/// diffs (`--diff`, returned). A file that could not be written is reported as it is on
/// disk, unfixed.
fn write_fixes(
    jobs: &[Job<'_>],
    checked: &mut [Checked],
    args: &CheckArgs,
    problems: &mut Vec<LoadProblem>,
) -> String {
    let mut diffs = String::new();
    let mut unwritten = Vec::new();
    for (k, c) in checked.iter().enumerate() {
        if args.diff {
            if let Some(old) = &c.original {
                diffs.push_str(&fix::unified_diff(
                    &c.doc.path,
                    old,
                    &c.doc.text,
                    &c.changes,
                ));
            }
            continue;
        }
        if !args.fix {
            continue;
        }
        if let Some(why) = &c.refused {
            problems.push(LoadProblem::Error(why.clone()));
            continue;
        }
        if let Err(why) = write_fixed(c) {
            problems.push(LoadProblem::Error(format!(
                "{}：{why}，未写入任何内容",
                c.doc.path
            )));
            unwritten.push(k);
        }
    }
    for k in unwritten {
        if let Ok(c) = jobs[checked[k].index].run(None, false) {
            checked[k] = c;
        }
    }
    diffs
}

/// Write one input's fixed text: back to its file, or to stdout for stdin.
fn write_fixed(c: &Checked) -> Result<(), String> {
    match &c.input {
        Input::Stdin => fixed_stdin_bytes(c).map(|b| print_bytes(&b)),
        Input::File(path) => match (&c.original, &c.snapshot) {
            (Some(original), Some(snapshot)) => load::write_fixed(
                path,
                snapshot,
                original,
                &c.doc.text,
                c.doc.encoding,
                &c.changes,
            )
            .map_err(|e| e.to_string()),
            _ => Ok(()),
        },
    }
}

/// Print errors and (unless `quiet`) notices on stderr; true when there was an error.
fn report_problems(problems: &[LoadProblem], quiet: bool) -> bool {
    let mut had_error = false;
    for p in problems {
        match p {
            LoadProblem::Error(m) => {
                had_error = true;
                stderr_line!("gwlint：错误：{}", render::escape_controls(m));
            }
            LoadProblem::Skipped(m) => {
                if !quiet {
                    stderr_line!("gwlint：提示：{}", render::escape_controls(m));
                }
            }
        }
    }
    had_error
}

/// Render the findings in `--format` to `--output-file`, else stdout (stderr when stdin's
/// fixed text took stdout). JSON and human reports are written as they are rendered, so a
/// file with a million findings is never held as one report string (see
/// tests/bench/memory.rs). A closed pipe (`gwlint check | head`) is not an error.
fn write_report(
    checked: &[Checked],
    contexts: &[Context],
    args: &CheckArgs,
    output_file: Option<std::fs::File>,
    errors: usize,
) -> Result<(), i32> {
    let reports: Vec<Report<'_>> = checked
        .iter()
        .map(|c| Report {
            doc: &c.doc,
            diagnostics: &c.diagnostics,
        })
        .collect();
    let stdin_fix = args.fix && !args.diff && checked.iter().any(|c| c.input == Input::Stdin);
    let (mut sink, is_terminal): (Box<dyn Write>, bool) = match output_file {
        Some(file) => (Box::new(std::io::BufWriter::new(file)), false),
        None if stdin_fix => {
            let err = std::io::stderr();
            let tty = std::io::IsTerminal::is_terminal(&err);
            (Box::new(err.lock()), tty)
        }
        None => {
            let out = std::io::stdout();
            let tty = std::io::IsTerminal::is_terminal(&out);
            (Box::new(out.lock()), tty)
        }
    };
    let human = render::human::HumanOptions {
        color: args
            .color
            .resolve(is_terminal, std::env::var_os("NO_COLOR").as_deref()),
    };
    let written = if args.statistics {
        let out = match args.format {
            Format::Json => render::statistics::render_json(&reports),
            Format::Jsonl => render::statistics::render_jsonl(&reports),
            _ => render::statistics::render_table(&reports),
        };
        sink.write_all(out.as_bytes())
    } else {
        match args.format {
            Format::Json => render::json::write(&reports, &mut sink),
            Format::Jsonl => render::jsonl::write(&reports, &mut sink),
            Format::Github => render::github::write(&reports, &mut sink),
            Format::Junit => render::junit::write(&reports, &mut sink),
            Format::Human | Format::Concise => {
                write_human_report(checked, &reports, args, human, errors, &mut sink)
            }
            Format::Sarif => render::sarif::write(&reports, &rule_metas(contexts), &mut sink),
        }
    };
    let written = written.and_then(|()| sink.flush());
    drop(sink);
    if let (Err(e), Some(path)) = (written, &args.output_file) {
        stderr_line!(
            "gwlint：错误：{}：无法写入报告：{}",
            path.display(),
            load::io_message(&e)
        );
        return Err(EXIT_ERROR);
    }
    Ok(())
}

/// Every rule of every context, once, by id (for SARIF's rule table).
fn rule_metas(contexts: &[Context]) -> Vec<&RuleMeta> {
    let mut metas: BTreeMap<&str, &RuleMeta> = BTreeMap::new();
    for ctx in contexts {
        for r in ctx.rules.rules() {
            metas.entry(r.meta.id.as_str()).or_insert(&r.meta);
        }
    }
    metas.into_values().collect()
}

/// 2 after an error; 1 when a finding is at or above `--fail-on` (unless `--exit-zero`).
fn exit_code(checked: &[Checked], had_error: bool, args: &CheckArgs) -> i32 {
    if had_error {
        return EXIT_ERROR;
    }
    let threshold = Severity::from_name(&args.fail_on).unwrap_or(Severity::Info);
    let failing = checked
        .iter()
        .flat_map(|c| &c.diagnostics)
        .any(|d| d.severity >= threshold);
    if failing && !args.exit_zero {
        EXIT_DIAGNOSTICS
    } else {
        EXIT_CLEAN
    }
}

fn write_human_report(
    checked: &[Checked],
    reports: &[Report<'_>],
    args: &CheckArgs,
    options: render::human::HumanOptions,
    errors: usize,
    w: &mut dyn Write,
) -> std::io::Result<()> {
    for r in reports {
        if args.format == Format::Concise {
            render::human::render_concise_each(r, options, |s| w.write_all(s.as_bytes()))?;
        } else {
            render::human::render_each(r, options, |s| w.write_all(s.as_bytes()))?;
        }
    }
    // Nothing checked because of errors (a missing file): the errors said it all; never
    // 「未发现问题」.
    if args.quiet || (checked.is_empty() && errors > 0) {
        return Ok(());
    }
    let mut s = String::new();
    let fixed: usize = checked.iter().map(Checked::fixes).sum();
    if fixed > 0 {
        let files = checked.iter().filter(|c| c.fixes() > 0).count();
        s.push_str(&format!(
            "已自动修复 {fixed} 处问题，涉及 {files} 个文件。\n"
        ));
    }
    let total: usize = checked.iter().map(|c| c.diagnostics.len()).sum();
    let fixable = |kind: crate::Applicability| {
        checked
            .iter()
            .flat_map(|c| &c.diagnostics)
            .filter(|d| d.fix.as_ref().is_some_and(|f| f.applicability == kind))
            .count()
    };
    let files = checked.iter().filter(|c| !c.diagnostics.is_empty()).count();
    s.push_str(&render::human::summary(
        total,
        if total == 0 { checked.len() } else { files },
        fixable(crate::Applicability::Safe),
        fixable(crate::Applicability::Unsafe),
    ));
    if errors > 0 {
        s.push_str(&format!(
            "另有 {errors} 处出错，未能检查（见上方的错误）。\n"
        ));
    }
    w.write_all(s.as_bytes())
}

/// `--show-settings`: what applies to one file, as YAML-like text.
fn describe_settings(job: &Job<'_>, ignore: Option<&IgnoreFile>, args: &CheckArgs) -> String {
    let ctx = job.ctx;
    let list = |v: &[String]| format!("[{}]", v.join(", "));
    let config = match &ctx.config {
        Some(c) => c.path.display().to_string(),
        None if args.isolated => "none (--isolated)".into(),
        None => "none (defaults)".into(),
    };
    let encoding = match job.decoding {
        load::Decoding {
            forced: Some(e), ..
        } => e.name().to_string(),
        load::Decoding {
            fallback: Some(e), ..
        } => format!("{} (config; valid UTF-8 is read as UTF-8)", e.name()),
        _ => "detect".to_string(),
    };
    let rule_dirs: Vec<String> = ctx
        .config
        .iter()
        .flat_map(|c| c.rule_dirs.iter())
        .chain(args.rules.rule_dirs.iter())
        .map(|p| p.display().to_string())
        .collect();
    let per_file: Vec<String> = match (&ctx.config, job.input) {
        (Some(c), Input::File(p)) => c
            .matching_ignores(p)
            .iter()
            .map(|m| format!("{} → {}", m.pattern, m.rules.join(", ")))
            .collect(),
        _ => Vec::new(),
    };
    let severity: Vec<String> = job
        .settings
        .severity
        .iter()
        .map(|(k, v)| format!("{k}: {v}"))
        .collect();
    let enabled: Vec<String> = ctx
        .rules
        .rules()
        .iter()
        .filter(|r| job.settings.is_enabled(&r.meta))
        .map(|r| format!("{} ({})", r.meta.id, job.settings.severity_of(&r.meta)))
        .collect();
    let mut s = format!("file: {}\n", job.input.display());
    s.push_str(&format!("config: {config}\n"));
    s.push_str(&format!(
        "ignore_file: {}\n",
        ignore.map_or("none".to_string(), |f| f.path.display().to_string())
    ));
    s.push_str(&format!("profile: {}\n", ctx.profile().as_str()));
    s.push_str(&format!("encoding: {encoding}\n"));
    s.push_str(&format!(
        "select: {}\n",
        if job.settings.select.is_empty() {
            "[all]".to_string()
        } else {
            list(&job.settings.select)
        }
    ));
    s.push_str(&format!("ignore: {}\n", list(&job.settings.ignore)));
    s.push_str(&format!("per_file_ignores_matched: {}\n", list(&per_file)));
    s.push_str(&format!("severity: {{{}}}\n", severity.join(", ")));
    s.push_str(&format!("rules: {}\n", list(&rule_dirs)));
    s.push_str(&format!("enabled_rules: # {}\n", enabled.len()));
    for r in enabled {
        s.push_str(&format!("  - {r}\n"));
    }
    s.push('\n');
    s
}

/// Per ignore file (index into `ignore_files`), the entries that no longer match: for a
/// checked file whose rule ran and found nothing with that hash, or for a file that no
/// longer exists.
fn stale_entries(
    checked: &[Checked],
    contexts: &[Context],
    input_context: &[usize],
    ignore_files: &[IgnoreFile],
    input_ignore: &[Option<usize>],
) -> BTreeMap<usize, BTreeSet<usize>> {
    let mut stale: BTreeMap<usize, BTreeSet<usize>> = BTreeMap::new();
    for c in checked {
        let (Input::File(path), Some(f)) = (&c.input, input_ignore[c.index]) else {
            continue;
        };
        let file = &ignore_files[f];
        let rules = &contexts[input_context[c.index]].rules;
        for e in file.entries_for(&file.key_for(path)) {
            let entry = &file.entries[e];
            let ran = rules
                .get(&entry.rule)
                .is_none_or(|r| c.settings.is_enabled(&r.meta));
            if ran && !c.used_entries.contains(&e) {
                stale.entry(f).or_default().insert(e);
            }
        }
    }
    for (f, file) in ignore_files.iter().enumerate() {
        // one look at the disk per file named, not per entry
        let mut exists: HashMap<&str, bool> = HashMap::new();
        for (e, entry) in file.entries.iter().enumerate() {
            if !*exists
                .entry(&entry.file)
                .or_insert_with(|| file.dir.join(&entry.file).exists())
            {
                stale.entry(f).or_default().insert(e);
            }
        }
    }
    stale
}

/// Where `--add-ignore` records the findings of `path` when no ignore file exists yet:
/// beside the config file in effect; else the current folder if it contains the file;
/// else the file's own folder.
fn new_ignore_path(path: &Path, ctx: &Context) -> PathBuf {
    if let Some(c) = &ctx.config {
        return c.dir.join(suppress::IGNORE_FILE_NAME);
    }
    let abs = config::absolute(path);
    if let Ok(cwd) = std::env::current_dir() {
        if abs.starts_with(&cwd) {
            return PathBuf::from(suppress::IGNORE_FILE_NAME);
        }
    }
    abs.parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
        .join(suppress::IGNORE_FILE_NAME)
}

/// `--add-ignore`: stale entries are dropped, and every remaining diagnostic of the checked
/// files gets an entry; entries of other files stay.
fn add_ignores(
    checked: &[Checked],
    contexts: &[Context],
    input_context: &[usize],
    ignore_files: &mut Vec<IgnoreFile>,
    input_ignore: &[Option<usize>],
    quiet: bool,
) -> Result<(), i32> {
    // ignore file index → (added, removed)
    let mut touched: BTreeMap<usize, (usize, usize)> = BTreeMap::new();
    let stale = stale_entries(checked, contexts, input_context, ignore_files, input_ignore);
    for (&f, indices) in &stale {
        ignore_files[f].remove(indices);
        touched.entry(f).or_default().1 += indices.len();
    }
    let mut new_files: HashMap<PathBuf, usize> = HashMap::new();
    for c in checked {
        let Input::File(path) = &c.input else {
            stderr_line!("gwlint：提示：-：标准输入没有文件名，它的问题不做记录");
            continue;
        };
        let index = match input_ignore[c.index] {
            Some(f) => f,
            None => {
                let target = new_ignore_path(path, &contexts[input_context[c.index]]);
                *new_files.entry(target.clone()).or_insert_with(|| {
                    ignore_files.push(IgnoreFile::new(&target));
                    ignore_files.len() - 1
                })
            }
        };
        let file = &mut ignore_files[index];
        let key = file.key_for(path);
        let added = file.add(
            c.diagnostics
                .iter()
                .map(|d| suppress::entry_for(&c.doc, &key, d)),
        );
        touched.entry(index).or_default().0 += added;
    }
    for (index, (added, removed)) in touched {
        let file = &ignore_files[index];
        if added == 0 && removed == 0 {
            continue;
        }
        let text = file.render();
        // what later runs could not read back is not written
        if text.len() as u64 > load::MAX_SETTINGS_FILE_BYTES {
            stderr_line!(
                "gwlint：错误：{}：忽略文件将有 {} MiB，超过 gwlint 读取的上限 {} MiB，未写入任何内容（请少接受一些问题，例如用 --select）",
                render::escape_controls(&file.path.display().to_string()),
                text.len() >> 20,
                load::MAX_SETTINGS_FILE_BYTES >> 20
            );
            return Err(EXIT_ERROR);
        }
        if let Err(e) = load::write_new_atomic(&file.path, text.as_bytes()) {
            stderr_line!(
                "gwlint：错误：{}：无法写入：{}",
                file.path.display(),
                load::io_message(&e)
            );
            return Err(EXIT_ERROR);
        }
        if !quiet {
            stderr_line!(
                "gwlint：{}：记录了 {added} 条已接受的问题，移除了 {removed} 条过期记录。",
                file.path.display()
            );
        }
    }
    Ok(())
}

/// Warn about ignore-file entries that no longer match.
fn report_stale(
    checked: &[Checked],
    contexts: &[Context],
    input_context: &[usize],
    ignore_files: &[IgnoreFile],
    input_ignore: &[Option<usize>],
) {
    let stale = stale_entries(checked, contexts, input_context, ignore_files, input_ignore);
    for (f, indices) in stale {
        let file = &ignore_files[f];
        for e in indices {
            let entry = &file.entries[e];
            stderr_line!(
                "gwlint：警告：{}:{}：过期的忽略记录：{} [{}]「{}」已经对不上任何问题，请删除它，或重新运行 --add-ignore",
                file.path.display(),
                file.line_of(e),
                entry.file,
                entry.rule,
                entry.text
            );
        }
    }
}

/// The bytes of a fixed stdin text, in its encoding, the input's bytes kept outside the
/// fixes (see [`crate::source::splice`]).
fn fixed_stdin_bytes(c: &Checked) -> Result<Vec<u8>, String> {
    let (original, bytes) = match (&c.original, &c.stdin_bytes) {
        (Some(original), Some(bytes)) => (original, bytes),
        (None, Some(bytes)) => return Ok(bytes.clone()),
        _ => {
            return c
                .doc
                .encoding
                .encode(&c.doc.text)
                .ok_or_else(|| format!("修复后的文本无法用 {} 编码保存", c.doc.encoding))
        }
    };
    let pairs: Vec<_> = c
        .changes
        .iter()
        .map(|ch| (ch.original.clone(), ch.fixed.clone()))
        .collect();
    crate::source::splice(bytes, original, &c.doc.text, c.doc.encoding, &pairs)
        .map_err(|e| e.to_string())
}

fn print_bytes(bytes: &[u8]) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(bytes);
    let _ = out.flush();
}
