//! Everything a run needs, resolved and validated once before any work.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use globset::GlobSet;

use crate::config::{self, LayoutConfig, RuleConfig};
use crate::diagnostic::Severity;
use crate::discover::{self, Layout, Template};
use crate::document::DEFAULT_MAX_FILE_SIZE;
use crate::error::{did_you_mean, Error};
use crate::locale;
use crate::profile::Profile;
use crate::rules::{self, Rule};

/// What a caller asks for, before validation (the CLI fills this in).
#[derive(Debug, Clone, Default)]
pub struct Request {
    pub paths: Vec<PathBuf>,
    pub config: Option<PathBuf>,
    pub source: Option<String>,
    pub locales: Vec<String>,
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    pub jobs: Option<usize>,
    /// Lint only the articles touched since this git revision.
    pub changed_since: Option<String>,
    /// `(k, n)`: lint only the k-th (1-based) of n shards of the articles.
    pub shard: Option<(usize, usize)>,
    /// Do not read git history (`--no-history`).
    pub no_history: bool,
    /// Lint what `.gitignore` and `.ignore` files exclude (`--no-ignore`).
    pub no_ignore: bool,
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub root: PathBuf,
    pub config_path: Option<PathBuf>,
    pub source_locale: String,
    /// Locales to check; every locale found when empty.
    pub locales: Vec<String>,
    /// Locales every article is expected in (`missing-translation`).
    pub expected_locales: Vec<String>,
    pub layout: Layout,
    pub include: GlobSet,
    pub exclude: GlobSet,
    /// The globs of `include` and `exclude`, as written (`--show-settings`).
    pub include_patterns: Vec<String>,
    pub exclude_patterns: Vec<String>,
    /// Whether the walk skips what `.gitignore` and `.ignore` files inside
    /// the root exclude (not with `--no-ignore`).
    pub ignore_files: bool,
    pub profile: Profile,
    pub max_file_size: u64,
    /// Findings of one rule reported in one file (0: no limit).
    pub max_findings: usize,
    /// Enabled rules with their effective severity, in registry order.
    pub rules: Vec<(&'static Rule, Severity)>,
    pub rule_options: BTreeMap<&'static str, toml::Table>,
    /// `[[overrides]]`: severities for paths matching the globs.
    pub overrides: Vec<(GlobSet, BTreeMap<&'static str, Severity>)>,
    /// The globs of each `[[overrides]]` table, as written.
    pub override_patterns: Vec<Vec<String>>,
    /// Root-relative targets; `""` is the whole root.
    pub targets: Vec<String>,
    pub jobs: Option<usize>,
    pub changed_since: Option<String>,
    /// `(index, count)`, 0-based index.
    pub shard: Option<(usize, usize)>,
    pub history: HistorySettings,
    /// Told of each checked group (the binary's progress bar).
    pub progress: crate::progress::ProgressHandle,
}

/// Where handoffs are looked up (see `src/history/`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistorySettings {
    pub enabled: bool,
    pub max_commits: usize,
    /// Front matter key naming the source commit of a copy's handoff.
    pub source_commit_key: Option<String>,
    /// Commit message words that mark a commit as needing no translation.
    pub ignored_keywords: Vec<String>,
}

impl Settings {
    pub fn resolve(request: &Request) -> Result<Settings, Error> {
        let cwd = std::env::current_dir().map_err(|error| Error::io(".", error))?;
        let paths: Vec<PathBuf> = if request.paths.is_empty() {
            vec![cwd.clone()]
        } else {
            request.paths.iter().map(|path| cwd.join(path)).collect()
        };
        for (given, path) in request.paths.iter().zip(&paths) {
            if std::fs::symlink_metadata(path).is_err() && discover::canonical(path).is_err() {
                return Err(Error::usage(format!("no such file or folder: {}", given.display())));
            }
        }
        let first = &paths[0];
        let search_from = if first.is_dir() { first.clone() } else { parent(first) };
        let infer_from = paths.clone();
        let config_path = match &request.config {
            Some(path) => Some(cwd.join(path)),
            None => config::find(&search_from),
        };
        let loaded = match &config_path {
            Some(path) => Some(config::load(path)?),
            None => None,
        };
        let (config, rule_config, override_config) = match loaded {
            Some(loaded) => (loaded.config, loaded.rules, loaded.overrides),
            None => (config::Config::default(), BTreeMap::new(), Vec::new()),
        };
        let override_patterns: Vec<Vec<String>> = override_config.iter().map(|(paths, _)| paths.clone()).collect();
        let overrides = override_config
            .into_iter()
            .map(|(paths, severities)| Ok((discover::glob_set(&paths, "overrides")?, severities)))
            .collect::<Result<Vec<_>, Error>>()?;
        let source_locale =
            locale::normalize(request.source.as_deref().or(config.source.as_deref()).unwrap_or("en-us"));
        // A config found beside the tree marks its root; one named with
        // --config may live anywhere (e.g. ci/strict.toml), so the root then
        // comes from the paths, as without a config.
        let root = match (&config_path, &request.config) {
            (Some(path), None) => parent(path),
            _ => infer_root(&infer_from, &source_locale)?,
        };
        let root = root.canonicalize().map_err(|error| Error::io(&root, error))?;
        let targets = paths.iter().map(|path| target(&root, path)).collect::<Result<Vec<_>, _>>()?;
        let layout = layout(&config.layout, &root, &source_locale)?;
        let include_patterns = config.include.clone().unwrap_or_else(|| vec!["**/*.md".to_string()]);
        let profile = config.profile.as_ref().and_then(|name| Profile::named(name.get_ref())).unwrap_or_default();
        let locales: Vec<String> = if request.locales.is_empty() {
            config.locales.iter().map(|l| locale::normalize(l)).collect()
        } else {
            request.locales.iter().map(|l| locale::normalize(l)).collect()
        };
        let history = HistorySettings {
            enabled: !request.no_history && config.history.enabled.unwrap_or(true),
            max_commits: config.history.max_commits.unwrap_or(crate::history::DEFAULT_MAX_COMMITS),
            source_commit_key: config.history.source_commit_key.clone().or(profile.commit_key.map(str::to_string)),
            ignored_keywords: config.history.ignored_keywords.clone().unwrap_or_else(|| {
                crate::history::LUNARIA_IGNORED_KEYWORDS.iter().map(|keyword| keyword.to_string()).collect()
            }),
        };
        Ok(Settings {
            root,
            config_path,
            expected_locales: config.locales.iter().map(|l| locale::normalize(l)).collect(),
            locales,
            source_locale,
            layout,
            include: discover::glob_set(&include_patterns, "include")?,
            exclude: discover::glob_set(&config.exclude, "exclude")?,
            include_patterns,
            exclude_patterns: config.exclude.clone(),
            ignore_files: !request.no_ignore,
            profile,
            max_file_size: config.max_file_size.unwrap_or(DEFAULT_MAX_FILE_SIZE),
            max_findings: config.max_findings.unwrap_or(crate::rules::DEFAULT_MAX_FINDINGS),
            rules: enabled_rules(&rule_config, &request.select, &request.ignore)?,
            overrides,
            override_patterns,
            rule_options: rule_config.into_iter().map(|(name, config)| (name, config.options)).collect(),
            targets,
            jobs: request.jobs,
            changed_since: request.changed_since.clone(),
            history,
            progress: Default::default(),
            shard: match request.shard {
                Some((k, n)) if n == 0 || k == 0 || k > n => {
                    return Err(Error::usage(format!("--shard {k}/{n}: expected K/N with 1 <= K <= N")))
                }
                Some((k, n)) => Some((k - 1, n)),
                None => None,
            },
        })
    }

    pub fn options(&self, rule: &str) -> Option<&toml::Table> {
        self.rule_options.get(rule)
    }

    /// The severity the last matching `[[overrides]]` table sets for `rule`
    /// at `path`, if any.
    pub fn override_for(&self, path: &str, rule: &str) -> Option<Severity> {
        self.overrides
            .iter()
            .rev()
            .find_map(|(globs, severities)| severities.get(rule).filter(|_| globs.is_match(path)).copied())
    }
}

fn parent(path: &Path) -> PathBuf {
    path.parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// Without a config file the root is the folder given, or, for a file or a
/// locale folder, the folder that holds its locale folder: the first path
/// that tells wins (pre-commit may pass a README.md before the copies).
fn infer_root(paths: &[PathBuf], source_locale: &str) -> Result<PathBuf, Error> {
    let mut first_error = None;
    for path in paths {
        match infer_root_of(path, source_locale) {
            Ok(root) => return Ok(root),
            Err(error) => {
                first_error.get_or_insert(error);
            }
        }
    }
    // Files outside every locale folder (a README.md pre-commit passes on
    // its own) are skipped with a note rather than failing the run.
    match paths.first() {
        Some(first) if paths.iter().all(|path| path.is_file()) => Ok(parent(first)),
        _ => Err(first_error.unwrap_or_else(|| Error::usage("no path to lint"))),
    }
}

fn infer_root_of(path: &Path, source_locale: &str) -> Result<PathBuf, Error> {
    let is_locale_dir = |dir: &Path| {
        dir.file_name()
            .and_then(|name| name.to_str())
            .is_some_and(|name| locale::is_locale_tag(name) || name.eq_ignore_ascii_case(source_locale))
    };
    let holds_locale_folders = |dir: &Path| {
        std::fs::read_dir(dir)
            .is_ok_and(|entries| entries.flatten().any(|entry| entry.path().is_dir() && is_locale_dir(&entry.path())))
    };
    if path.is_dir() && (holds_locale_folders(path) || !path.ancestors().any(is_locale_dir)) {
        return Ok(path.to_path_buf());
    }
    let start = if path.is_dir() { path } else { path.parent().unwrap_or(path) };
    start.ancestors().find(|dir| is_locale_dir(dir)).map(parent).ok_or_else(|| {
        Error::usage_with_help(
            format!("{} is not in a locale folder", path.display()),
            "give the folder that holds the locale folders (en-us/, ja-jp/, …), or add a loclint.toml with a [layout]",
        )
    })
}

fn target(root: &Path, path: &Path) -> Result<String, Error> {
    let canonical = discover::canonical(path).map_err(|error| Error::io(path, error))?;
    match canonical.strip_prefix(root) {
        Ok(relative) => Ok(discover::relative_path(Path::new(""), relative)),
        Err(_) => Err(Error::usage_with_help(
            format!("{} is outside the lint root {}", path.display(), root.display()),
            "lint paths inside the folder that holds loclint.toml (or the locale folders)",
        )),
    }
}

fn layout(config: &LayoutConfig, root: &Path, source_locale: &str) -> Result<Layout, Error> {
    Ok(match config {
        LayoutConfig::LocaleFolders => Layout::LocaleFolders,
        LayoutConfig::Roots { roots, source_root } => {
            let mut map: BTreeMap<String, String> = roots
                .iter()
                .map(|(locale, folder)| (locale::normalize(locale), folder.trim_end_matches('/').to_string()))
                .collect();
            if let Some(source_root) = source_root {
                let source_root = source_root.trim_end_matches('/').to_string();
                let prefix = format!("{source_root}.");
                let entries = std::fs::read_dir(root).map_err(|error| Error::io(root, error))?;
                for entry in entries.flatten() {
                    let name = entry.file_name().to_string_lossy().into_owned();
                    if let Some(tag) = name.strip_prefix(&prefix) {
                        if locale::is_locale_tag(tag) {
                            map.entry(locale::normalize(tag)).or_insert(name);
                        }
                    }
                }
                map.insert(source_locale.to_string(), source_root);
            }
            if let Some((locale, folder)) = map.iter().find(|(_, folder)| !stays_inside(folder)) {
                return Err(Error::usage(format!(
                    "[layout] roots: the folder `{folder}` of `{locale}` must be a relative path inside the lint root"
                )));
            }
            if !map.contains_key(source_locale) {
                return Err(Error::usage(format!(
                    "[layout] roots has no folder for the source locale `{source_locale}`"
                )));
            }
            Layout::Roots(map)
        }
        LayoutConfig::Template { source, copy } if !stays_inside(source) || !stays_inside(copy) => {
            return Err(Error::usage("[layout] templates must be relative paths inside the lint root (no `..`)"))
        }
        LayoutConfig::Template { source, copy } => Layout::Template {
            source: Template::new(source).map_err(|message| Error::usage(format!("[layout] source: {message}")))?,
            copy: Template::new(copy).map_err(|message| Error::usage(format!("[layout] copy: {message}")))?,
        },
    })
}

/// A relative path without `..`: loclint never reads outside the root.
fn stays_inside(folder: &str) -> bool {
    let path = Path::new(folder);
    !path.is_absolute() && path.components().all(|part| matches!(part, std::path::Component::Normal(_)))
}

/// A `--select` or `--ignore` entry: a rule, a rule group (`segments`) or
/// `ALL`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Selector {
    All,
    Group(rules::RuleGroup),
    Rule(&'static str),
}

impl Selector {
    fn parse(name: &str, option: &str) -> Result<Selector, Error> {
        if name == "ALL" {
            return Ok(Selector::All);
        }
        if let Some(group) = rules::RuleGroup::ALL.iter().find(|group| group.as_str() == name) {
            return Ok(Selector::Group(*group));
        }
        rules::find(name).map(|rule| Selector::Rule(rule.name)).ok_or_else(|| {
            let groups = rules::RuleGroup::ALL.iter().map(|group| group.as_str());
            let candidates = rules::RULES.iter().map(|rule| rule.name).chain(groups).chain(["ALL"]);
            Error::Usage {
                message: format!("unknown rule `{name}` in {option}"),
                help: did_you_mean(name, candidates)
                    .or_else(|| name.eq_ignore_ascii_case("ALL").then(|| "did you mean `ALL`?".to_string()))
                    .or_else(|| {
                    Some("give a rule, a group (file, metadata, structure, segments, corpus) or ALL; `loclint rules` lists every rule".into())
                }),
            }
        })
    }

    /// How narrowly the selector names a rule: ruff's rule, the more
    /// specific of a matching `--select` and `--ignore` wins.
    fn specificity(self) -> u8 {
        match self {
            Selector::All => 0,
            Selector::Group(_) => 1,
            Selector::Rule(_) => 2,
        }
    }

    fn matches(self, rule: &Rule) -> bool {
        match self {
            Selector::All => true,
            Selector::Group(group) => rule.group == group,
            Selector::Rule(name) => name == rule.name,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Selector::All => "ALL",
            Selector::Group(group) => group.as_str(),
            Selector::Rule(name) => name,
        }
    }
}

/// The rules a run enables, with their severities. Without `--select`, the
/// configured (or default) set; with it, exactly the rules it names. A rule
/// both selected and ignored follows the more specific of the two
/// (`--select segments --ignore segment-gap` runs every segment rule but
/// `segment-gap`); the same entry in both is a contradiction, reported
/// rather than resolved.
fn enabled_rules(
    config: &BTreeMap<&'static str, RuleConfig>,
    select: &[String],
    ignore: &[String],
) -> Result<Vec<(&'static Rule, Severity)>, Error> {
    let parse = |names: &[String], option: &str| -> Result<Vec<Selector>, Error> {
        names.iter().map(|name| Selector::parse(name, option)).collect()
    };
    let selected = parse(select, "--select")?;
    let ignored = parse(ignore, "--ignore")?;
    if let Some(both) = selected.iter().find(|selector| ignored.contains(selector)) {
        return Err(Error::usage_with_help(
            format!("`{}` is in both --select and --ignore", both.name()),
            "drop it from one of them; an --ignore entry beats a broader --select entry (a group or ALL) and loses to a narrower one",
        ));
    }
    let best = |selectors: &[Selector], rule: &Rule| {
        selectors.iter().filter(|selector| selector.matches(rule)).map(|selector| selector.specificity()).max()
    };
    Ok(rules::RULES
        .iter()
        .filter_map(|rule| {
            let configured = config.get(rule.name).and_then(|c| c.severity);
            let ignored_at = best(&ignored, rule);
            let severity = match best(&selected, rule) {
                Some(selected_at) if ignored_at.is_none_or(|ignored_at| selected_at > ignored_at) => {
                    configured.filter(|s| *s != Severity::Off).unwrap_or(rule.severity)
                }
                _ if !selected.is_empty() || ignored_at.is_some() => Severity::Off,
                _ => configured.unwrap_or(rule.default_severity()),
            };
            (severity != Severity::Off).then_some((*rule, severity))
        })
        .collect())
}
