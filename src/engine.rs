//! Runs the rules over every group, in parallel, and sorts the findings.

use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::corpus::Corpus;
use crate::diagnostic::{Diagnostic, Severity};
use crate::discover::{self, GroupFiles, Selection};
use crate::document::Document;
use crate::error::Error;
use crate::rules::{Emitter, Group};
use crate::settings::Settings;

/// The outcome of a lint run.
#[derive(Debug)]
pub struct Report {
    /// Sorted by path, line, column, rule.
    pub diagnostics: Vec<Diagnostic>,
    pub files: usize,
    pub groups: usize,
    pub elapsed: Duration,
    /// Things the user should know that are not findings (skipped paths…).
    pub notes: Vec<String>,
    /// With a baseline: findings it hid, and its entries that matched nothing.
    pub baseline: Option<BaselineOutcome>,
    /// The lint root as seen from where paths are shown (the binary sets the
    /// working folder; `""` keeps root-relative paths); reporters prefix
    /// paths with it.
    pub base: String,
    /// Every file checked, root-relative (JUnit has one test case each).
    pub checked: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BaselineOutcome {
    pub hidden: usize,
    pub fixed: usize,
}

impl Report {
    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == severity).count()
    }

    pub fn has_errors(&self) -> bool {
        self.count(Severity::Error) > 0
    }
}

pub fn lint(settings: &Settings) -> Result<Report, Error> {
    let started = Instant::now();
    let selection = Selection {
        root: &settings.root,
        layout: &settings.layout,
        source_locale: &settings.source_locale,
        include: &settings.include,
        exclude: &settings.exclude,
        locales: &settings.locales,
    };
    let mut targets = settings.targets.clone();
    if let Some(revision) = &settings.changed_since {
        let changed = crate::git::changed_files(&settings.root, revision)?;
        // Only the changes inside the given paths count.
        targets = changed
            .into_iter()
            .filter(|path| {
                targets
                    .iter()
                    .any(|target| target.is_empty() || path == target || path.starts_with(&format!("{target}/")))
            })
            .collect();
    }
    let nothing_changed = settings.changed_since.is_some() && targets.is_empty();
    let (discovery, walked) = match discover::discover_files(&selection, &targets) {
        Some(discovery) => (discovery, false),
        None => (discover::discover(&selection), true),
    };
    // A misspelt --source makes every copy an orphan and passes quietly;
    // a tree with copies but no file in the source locale is a usage error.
    if walked && !discovery.groups.is_empty() && !discovery.locales.contains(&settings.source_locale) {
        let found: Vec<&str> = discovery.locales.iter().map(String::as_str).collect();
        return Err(Error::usage_with_help(
            format!(
                "no file of the source locale `{}` under {} (locales found: {})",
                settings.source_locale,
                settings.root.display(),
                found.join(", ")
            ),
            "check --source, or `source` in loclint.toml",
        ));
    }
    let sources = walked.then(|| {
        discovery
            .groups
            .iter()
            .filter_map(|group| group.source.as_ref())
            .map(|file| (file.relative.clone(), file.path.clone()))
            .collect()
    });
    let corpus = Corpus::new(&selection, sources, settings.profile.assetid_key, settings.max_file_size);
    let expected_locales = expected_locales(settings, &discovery.locales);
    let mut notes = Vec::new();
    let (mut groups, outside) = if nothing_changed {
        (Vec::new(), Vec::new())
    } else {
        discover::select_groups(discovery.groups, &targets, &selection)
    };
    for path in outside {
        notes.push(format!("{path} belongs to no article in the layout; not checked"));
    }
    if let Some((index, count)) = settings.shard {
        groups = discover::shard(groups, index, count);
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(settings.jobs.unwrap_or(0))
        .build()
        .map_err(|error| Error::usage(format!("cannot start worker threads: {error}")))?;
    let mut diagnostics: Vec<Diagnostic> = pool.install(|| {
        groups.par_iter().flat_map_iter(|group| check_group(group, settings, &corpus, &expected_locales)).collect()
    });
    diagnostics.extend(pool.install(|| resolve_fragments(settings, &corpus)));
    diagnostics.extend(run_problems(settings, &discovery.problems, &discovery.locales));
    sort(&mut diagnostics);
    Ok(Report {
        diagnostics,
        files: groups.iter().map(|g| g.copies.len() + usize::from(g.source.is_some())).sum(),
        groups: groups.len(),
        elapsed: started.elapsed(),
        notes,
        baseline: None,
        base: String::new(),
        checked: groups
            .iter()
            .flat_map(|group| group.source.iter().chain(&group.copies))
            .map(|file| file.relative.clone())
            .collect(),
    })
}

fn expected_locales(settings: &Settings, found: &std::collections::BTreeSet<String>) -> Vec<String> {
    let mut locales: Vec<String> = if !settings.expected_locales.is_empty() {
        settings.expected_locales.clone()
    } else if !settings.locales.is_empty() {
        settings.locales.clone()
    } else {
        found.iter().cloned().collect()
    };
    if !settings.locales.is_empty() {
        locales.retain(|locale| settings.locales.contains(locale));
    }
    locales.retain(|locale| *locale != settings.source_locale);
    locales
}

/// Reads and parses each file of the group once, then runs every enabled
/// rule over the parsed documents.
fn check_group(
    files: &GroupFiles,
    settings: &Settings,
    corpus: &Corpus,
    expected_locales: &[String],
) -> Vec<Diagnostic> {
    let load = |file: &discover::FileEntry, hash: bool| {
        Document::load(&file.path, file.relative.clone(), file.locale.clone(), settings.max_file_size, hash)
    };
    let source = files.source.as_ref().map(|file| load(file, true));
    let copies: Vec<Document> = files.copies.iter().map(|file| load(file, false)).collect();
    let group = Group {
        key: &files.key,
        source: source.as_ref(),
        copies: &copies,
        source_locale: &settings.source_locale,
        expected_locales,
        layout: &settings.layout,
        profile: &settings.profile,
        corpus,
    };
    if settings.rules.iter().any(|(rule, _)| rule.name == "fragment-broken") {
        for document in group.documents().filter(|document| document.is_checked()) {
            corpus.register(document);
        }
    }
    let mut diagnostics = Vec::new();
    for &(rule, severity) in &settings.rules {
        let mut emitter = Emitter::new(rule, severity, settings.options(rule.name), &mut diagnostics);
        (rule.check)(&group, &mut emitter);
    }
    let documents: Vec<&Document> = group.documents().collect();
    let mut diagnostics = crate::suppress::apply(settings, &documents, diagnostics);
    // The group's texts are freed when it returns; its findings keep the
    // lines they show.
    crate::diagnostic::detach(&mut diagnostics);
    diagnostics
}

/// Checks the `page.md#fragment` links that `fragment-broken` deferred,
/// now that every parsed article's anchors are registered. Only a copy with
/// a broken fragment is read again, to show the finding in its text.
fn resolve_fragments(settings: &Settings, corpus: &Corpus<'_>) -> Vec<Diagnostic> {
    let Some(&(rule, severity)) = settings.rules.iter().find(|(rule, _)| rule.name == "fragment-broken") else {
        return Vec::new();
    };
    let mut broken: Vec<crate::corpus::PendingFragment> = corpus
        .take_pending()
        .into_par_iter()
        .filter(|pending| corpus.has_anchor(&pending.target(), &pending.fragment().to_lowercase()) == Some(false))
        .collect();
    broken.sort_by(|a, b| (&a.copy.display, a.span.start).cmp(&(&b.copy.display, b.span.start)));
    let mut diagnostics = Vec::new();
    for links in broken.chunk_by(|a, b| a.copy.display == b.copy.display) {
        let first = &links[0].copy;
        let copy =
            Document::load(&first.path, first.display.clone(), first.locale.clone(), settings.max_file_size, false);
        let mut found = Vec::new();
        let mut emitter = Emitter::new(rule, severity, settings.options(rule.name), &mut found);
        for link in links {
            let anchors = corpus.anchors_of(&link.target()).unwrap_or_default();
            let name = format!("`{}`", link.page());
            crate::rules::fragment_broken::report(
                &mut emitter,
                &copy,
                link.span.clone(),
                link.fragment(),
                &name,
                &anchors,
            );
        }
        let mut found = crate::suppress::apply_with(settings, &[&copy], found, false);
        crate::diagnostic::detach(&mut found);
        diagnostics.extend(found);
    }
    diagnostics
}

/// Findings about the tree rather than an article: paths the walk could not
/// read, and requested locales that have no files at all.
fn run_problems(
    settings: &Settings,
    problems: &[discover::WalkProblem],
    found: &std::collections::BTreeSet<String>,
) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    let severity_of = |name: &str| {
        settings.rules.iter().find(|(rule, _)| rule.name == name).map(|&(rule, severity)| (rule, severity))
    };
    if let Some((rule, severity)) = severity_of("file-unreadable") {
        let mut emitter = Emitter::new(rule, severity, None, &mut diagnostics);
        for problem in problems {
            let in_targets = settings.targets.iter().any(|target| {
                target.is_empty() || problem.relative == *target || problem.relative.starts_with(&format!("{target}/"))
            });
            if in_targets {
                emitter
                    .report_path(&problem.relative, None, format!("`{}` {}", problem.relative, problem.message))
                    .help("fix the file's permissions or type, or exclude it in loclint.toml");
            }
        }
    }
    if let Some((rule, severity)) = severity_of("locale-missing") {
        let mut emitter = Emitter::new(rule, severity, None, &mut diagnostics);
        // The locales this run asked for: --locale narrows the configured ones.
        let wanted: std::collections::BTreeSet<&String> = if settings.locales.is_empty() {
            settings.expected_locales.iter().collect()
        } else {
            settings.locales.iter().collect()
        };
        for locale in wanted {
            if !found.contains(locale) && *locale != settings.source_locale {
                let folder = settings.layout.path_for("{locale}", locale, &settings.source_locale);
                let folder = folder.trim_end_matches("/{locale}").to_string();
                emitter
                    .report_path(&folder, Some(locale), format!("no files found for locale `{locale}`"))
                    .help("check the locale tag and the layout, or remove the locale from `locales`");
            }
        }
    }
    diagnostics
}

/// SPEC §6 order: path, line, column, rule (then message). Positions are
/// computed once per finding, not once per comparison.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by_cached_key(|diagnostic| {
        let start = diagnostic.start();
        (diagnostic.path.clone(), start, diagnostic.rule, diagnostic.message.clone())
    });
}
