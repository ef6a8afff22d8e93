//! What applies to one document in the server, the way `gwlint check` decides it: the
//! nearest `gwlint.yaml` ([`crate::config`]), the nearest `.gwlint-ignore.yaml`
//! ([`crate::suppress`]), and the rule set (built-in rules + the config's `rules:` folders +
//! the client's `extraRuleFolders`). Client settings act like command-line flags: a
//! non-empty `select` replaces the config's `select` and `ignore`, `ignore` adds, severities
//! override.
//!
//! Everything is cached (per folder, per config file, per list of rule folders) and the
//! caches are dropped when a watched config, ignore or rule file changes. A broken config
//! or ignore file is reported once and then treated as absent.

use crate::config::{self, Config};
use crate::document::Profile;
use crate::rules::spec::SpecError;
use crate::rules::{RuleSet, Settings};
use crate::suppress::IgnoreFile;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

/// The resolved inputs of one lint.
pub struct Resolved {
    /// Key of the rule set in [`Project::rule_set`].
    pub rule_dirs: Vec<PathBuf>,
    pub settings: Settings,
    pub profile: Profile,
    pub ignore: Option<(Rc<IgnoreFile>, Vec<usize>)>,
}

/// Caches of config files, ignore files and rule sets.
pub struct Project {
    base_rules: fn() -> Result<RuleSet, SpecError>,
    /// Folder of a document → the config file in effect there.
    config_of_dir: HashMap<PathBuf, Option<PathBuf>>,
    /// Config file → loaded config (`None` when it failed to load; reported once).
    configs: HashMap<PathBuf, Option<Rc<Config>>>,
    /// Folder of a document → the ignore file in effect there.
    ignore_of_dir: HashMap<PathBuf, Option<Rc<IgnoreFile>>>,
    /// Rule folders → rule set (the folders that failed to load are left out).
    rule_sets: HashMap<Vec<PathBuf>, RuleSet>,
    /// Problems to show the user (drained by the server).
    pub problems: Vec<String>,
}

impl Project {
    pub fn new(base_rules: fn() -> Result<RuleSet, SpecError>) -> Project {
        Project {
            base_rules,
            config_of_dir: HashMap::new(),
            configs: HashMap::new(),
            ignore_of_dir: HashMap::new(),
            rule_sets: HashMap::new(),
            problems: Vec::new(),
        }
    }

    /// Forget config and ignore files (one of them changed).
    pub fn forget_configs(&mut self) {
        self.config_of_dir.clear();
        self.configs.clear();
        self.ignore_of_dir.clear();
    }

    /// Forget rule sets (a rule file or the folder list changed).
    pub fn forget_rules(&mut self) {
        self.rule_sets.clear();
    }

    /// Every rule folder in use (client folders and those of loaded configs).
    pub fn rule_folders(&self) -> impl Iterator<Item = &PathBuf> {
        self.rule_sets.keys().flatten()
    }

    /// The rule set for these folders, built on first use.
    pub fn rule_set(&mut self, dirs: &[PathBuf]) -> &RuleSet {
        if !self.rule_sets.contains_key(dirs) {
            let set = self.build_rule_set(dirs);
            self.rule_sets.insert(dirs.to_vec(), set);
        }
        // Just inserted when missing; an empty set is never reached.
        self.rule_sets.entry(dirs.to_vec()).or_default()
    }

    /// A rule set already built (for hover after a lint).
    pub fn built_rule_set(&self, dirs: &[PathBuf]) -> Option<&RuleSet> {
        self.rule_sets.get(dirs)
    }

    /// The base rules plus every folder that loads; a folder with a broken rule file is
    /// left out and reported.
    fn build_rule_set(&mut self, dirs: &[PathBuf]) -> RuleSet {
        let mut good = Vec::new();
        for dir in dirs {
            let mut probe = RuleSet::default();
            match probe.load_dir(dir) {
                Ok(()) => good.push(dir),
                Err(e) => self.problems.push(spec_error_text(&e)),
            }
        }
        match (self.base_rules)() {
            Ok(mut set) => {
                for dir in &good {
                    if let Err(e) = set.load_dir(dir) {
                        self.problems.push(spec_error_text(&e));
                        return (self.base_rules)().unwrap_or_default();
                    }
                }
                set
            }
            Err(e) => {
                self.problems.push(spec_error_text(&e));
                RuleSet::default()
            }
        }
    }

    /// What applies to the document at `path` (`None`: not a file, e.g. `untitled:`).
    pub fn resolve(
        &mut self,
        path: Option<&Path>,
        client: &Settings,
        client_dirs: &[PathBuf],
    ) -> Resolved {
        let Some(path) = path else {
            return Resolved {
                rule_dirs: client_dirs.to_vec(),
                settings: client.clone(),
                profile: Profile::Auto,
                ignore: None,
            };
        };
        let dir = config::absolute(path)
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let config = self.config_for(&dir);
        let mut rule_dirs: Vec<PathBuf> = config
            .iter()
            .flat_map(|c| c.rule_dirs.iter().cloned())
            .collect();
        rule_dirs.extend(client_dirs.iter().cloned());
        if let Some(c) = &config {
            let first_use = !self.rule_sets.contains_key(&rule_dirs);
            let rules = self.rule_set(&rule_dirs);
            if first_use {
                if let Err(e) = c.validate(rules) {
                    self.problems.push(spec_error_text(&e));
                }
            }
        }
        let mut settings = crate::config::settings_with_overrides(
            config.as_deref(),
            path,
            &client.select,
            &client.ignore,
        );
        settings
            .severity
            .extend(client.severity.iter().map(|(k, v)| (k.clone(), *v)));
        let ignore = self.ignore_for(&dir).map(|file| {
            let entries = file.entries_for(&file.key_for(path));
            (file, entries)
        });
        Resolved {
            rule_dirs,
            settings,
            profile: config.and_then(|c| c.file.profile).unwrap_or_default(),
            ignore,
        }
    }

    fn config_for(&mut self, dir: &Path) -> Option<Rc<Config>> {
        let found = self
            .config_of_dir
            .entry(dir.to_path_buf())
            .or_insert_with(|| config::discover(dir))
            .clone()?;
        if !self.configs.contains_key(&found) {
            let loaded = match Config::load(&found) {
                Ok(c) => Some(Rc::new(c)),
                Err(e) => {
                    self.problems.push(spec_error_text(&e));
                    None
                }
            };
            self.configs.insert(found.clone(), loaded);
        }
        self.configs.get(&found).cloned().flatten()
    }

    fn ignore_for(&mut self, dir: &Path) -> Option<Rc<IgnoreFile>> {
        if let Some(known) = self.ignore_of_dir.get(dir) {
            return known.clone();
        }
        let loaded = IgnoreFile::discover(dir).and_then(|p| match IgnoreFile::load(&p) {
            Ok(f) => Some(Rc::new(f)),
            Err(e) => {
                self.problems.push(spec_error_text(&e));
                None
            }
        });
        self.ignore_of_dir.insert(dir.to_path_buf(), loaded.clone());
        loaded
    }
}

pub fn spec_error_text(e: &SpecError) -> String {
    format!("gwlint：{}:{}:{}：{}", e.path, e.line, e.column, e.message)
}
