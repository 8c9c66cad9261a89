//! Runs the rules over every group, in parallel, and hands each finished
//! group's findings to a [`Sink`] in a fixed order.
//!
//! The order (README, "Output"): groups in article order (their keys sorted),
//! each group's findings by path, line, column, rule and message; then the
//! findings that need the whole tree (`page.md#fragment` links into other
//! articles, unreadable paths, locales without files), in the same order.
//! Groups are checked in parallel, but a finished group waits in a bounded
//! window until every group before it has been handed over, so the output
//! does not depend on `--jobs` and memory is bounded by a few groups, not by
//! the tree or the number of findings.

use std::collections::BTreeMap;
use std::io;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::corpus::{Corpus, Sources};
use crate::diagnostic::{Diagnostic, Severity};
use crate::discover::{self, File, GroupFiles, Selection};
use crate::document::markdown::{Link, LinkKind};
use crate::document::Document;
use crate::error::Error;
use crate::history::{Handoff, HandoffKeys, History};
use crate::rules::fragment_broken::KeptSource;
use crate::rules::{Emitter, Group};
use crate::settings::Settings;

/// Where the engine delivers findings: every report format, the baseline
/// writer and the in-memory [`Report`] implement it.
///
/// The engine calls [`Sink::group`] once per article group in the
/// documented order (see the module docs), then with `article: None` for
/// the findings about the whole tree (one call per path that has some, in
/// path order, and a last one that may be empty), then [`Sink::finish`]
/// once with the totals. A sink formats and forgets: what
/// it is handed is dropped after the call.
pub trait Sink {
    fn group(&mut self, group: &GroupReport<'_>) -> io::Result<()>;
    fn finish(&mut self, summary: &Summary) -> io::Result<()>;

    /// How a format that prints each group apart from the others prints
    /// one; `None` (the default) for a sink that must see the findings.
    /// With a renderer, the engine prints each group on the worker thread
    /// that checked it, where its findings were made and are freed, and
    /// hands the sink only the bytes, through [`Sink::rendered`], in the
    /// order and place where [`Sink::group`] would have had the findings.
    fn renderer(&self) -> Option<Box<dyn Render>> {
        None
    }

    /// A group as this sink's [`Sink::renderer`] printed it.
    fn rendered(&mut self, group: &Rendered) -> io::Result<()> {
        let _ = group;
        Err(io::Error::other("this report prints no group ahead"))
    }
}

/// Prints a group's findings for a [`Sink`], on any thread.
pub trait Render: Send + Sync {
    /// Appends `group`'s findings to `out` as the sink would write them
    /// after some group before: a format that separates its findings
    /// prints the separator before each one, and its sink drops the very
    /// first.
    fn render(&self, group: &GroupReport<'_>, out: &mut Rendered) -> io::Result<()>;
}

/// One group printed by a [`Render`].
#[derive(Debug, Default)]
pub struct Rendered {
    pub bytes: Vec<u8>,
    /// How many findings `bytes` holds.
    pub findings: usize,
}

/// One finished group, as handed to a [`Sink`].
#[derive(Debug, Clone, Copy)]
pub struct GroupReport<'a> {
    /// The article's key (its path without the locale part); `None` for the
    /// last call, the findings about the whole tree.
    pub article: Option<&'a str>,
    /// The group's checked files, root-relative: the source, then the copies
    /// by path. Empty for the whole tree's findings.
    pub files: &'a [String],
    /// Sorted by path, line, column, rule and message.
    pub findings: &'a [Diagnostic],
}

/// The totals of a run, known once every group is done.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub files: usize,
    pub groups: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub elapsed: Duration,
    /// Things the user should know that are not findings (skipped paths…).
    pub notes: Vec<String>,
    /// With a baseline: findings it hid, and its entries that matched nothing.
    pub baseline: Option<BaselineOutcome>,
    /// The sources' git history was read: copies were compared with the
    /// source version they were translated from, where it is known.
    pub history_read: bool,
}

impl Summary {
    pub fn count(&self, severity: Severity) -> usize {
        match severity {
            Severity::Error => self.errors,
            Severity::Warning => self.warnings,
            Severity::Info => self.infos,
            Severity::Off => 0,
        }
    }

    pub fn has_errors(&self) -> bool {
        self.errors > 0
    }

    /// Adds the counts of findings of `other` to these.
    fn add_counts(&mut self, other: &Summary) {
        self.errors += other.errors;
        self.warnings += other.warnings;
        self.infos += other.infos;
    }

    /// Counts `findings` in (or, with `-1`, out of) the totals.
    pub fn tally(&mut self, findings: &[Diagnostic], sign: isize) {
        for finding in findings {
            let count = match finding.severity {
                Severity::Error => &mut self.errors,
                Severity::Warning => &mut self.warnings,
                Severity::Info => &mut self.infos,
                Severity::Off => continue,
            };
            *count = count.saturating_add_signed(sign);
        }
    }
}

/// A whole run kept in memory: for tests, `--fix` and library users that
/// want every finding at once. The CLI streams instead.
#[derive(Debug, Default)]
pub struct Report {
    /// In the sink order (see the module docs).
    pub diagnostics: Vec<Diagnostic>,
    pub files: usize,
    pub groups: usize,
    pub elapsed: Duration,
    pub notes: Vec<String>,
    pub baseline: Option<BaselineOutcome>,
    /// Every file checked, root-relative, in the sink order.
    pub checked: Vec<String>,
    /// See [`Summary::history_read`].
    pub history_read: bool,
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

    /// The totals, as a sink would get them.
    pub fn summary(&self) -> Summary {
        let mut summary = Summary {
            files: self.files,
            groups: self.groups,
            elapsed: self.elapsed,
            notes: self.notes.clone(),
            baseline: self.baseline,
            history_read: self.history_read,
            ..Summary::default()
        };
        summary.tally(&self.diagnostics, 1);
        summary
    }

    /// Hands the whole report to `sink` as one group, then the summary.
    pub fn replay(&self, sink: &mut dyn Sink) -> io::Result<()> {
        sink.group(&GroupReport { article: None, files: &self.checked, findings: &self.diagnostics })?;
        sink.finish(&self.summary())
    }
}

impl Sink for Report {
    fn group(&mut self, group: &GroupReport<'_>) -> io::Result<()> {
        self.diagnostics.extend_from_slice(group.findings);
        self.checked.extend_from_slice(group.files);
        Ok(())
    }

    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        self.files = summary.files;
        self.groups = summary.groups;
        self.elapsed = summary.elapsed;
        self.notes.clone_from(&summary.notes);
        self.baseline = summary.baseline;
        self.history_read = summary.history_read;
        Ok(())
    }
}

/// Lints and keeps every finding in memory (see [`Report`]).
pub fn lint(settings: &Settings) -> Result<Report, Error> {
    let mut report = Report::default();
    lint_into(settings, &mut report)?;
    Ok(report)
}

/// Lints and hands each finished group to `sink` (see [`Sink`] for the
/// calls and the module docs for the order). A sink's write error stops the
/// run and comes back as [`Error::Report`].
pub fn lint_into(settings: &Settings, sink: &mut dyn Sink) -> Result<Summary, Error> {
    let started = Instant::now();
    let selection = Selection::of(settings);
    let targets = discover::targets(settings)?;
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
    // Only the asset-id index reads every source (and only when a rule
    // asks). A run of every group reads them from the groups it checks;
    // any other keeps a list of them before the groups are narrowed.
    let every_group = !nothing_changed && settings.shard.is_none() && targets.iter().any(String::is_empty);
    let sources = (walked && settings.profile.assetid_key.is_some() && !every_group).then(|| {
        let mut sources = Vec::with_capacity(discovery.groups.iter().filter(|group| group.source.is_some()).count());
        sources.extend(discovery.groups.iter().filter_map(|group| group.source.clone()));
        sources
    });
    let mut expected_locales = expected_locales(settings, &discovery.locales);
    // A locale with no file anywhere is one `locale-missing` finding at its
    // folder, not one `missing-translation` per article besides it.
    let locale_missing_reported = settings.rules.iter().any(|(rule, _)| rule.name == "locale-missing");
    if walked && locale_missing_reported {
        expected_locales.retain(|locale| discovery.locales.contains(locale));
    }
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
    // Only `fragment-broken` looks up other files' anchors.
    let linked_groups = if checks_fragments(settings) { &groups[..] } else { &[] };
    let sources = match sources {
        Some(listed) => Sources::Listed(listed),
        None if walked && every_group => Sources::OfGroups(&groups),
        None => Sources::Unknown,
    };
    let corpus = Corpus::new(&selection, sources, linked_groups, settings.profile.assetid_key, settings.max_file_size);
    let (history, history_unavailable) = open_history(settings, &groups);
    let mut unwalked: Vec<String> = discovery.problems.iter().map(|problem| problem.relative.clone()).collect();
    unwalked.sort_unstable();
    let context = GroupContext {
        settings,
        corpus: &corpus,
        expected_locales: &expected_locales,
        unwalked: &unwalked,
        history: history.as_ref(),
        stale_without_history: AtomicBool::new(false),
    };
    // This thread works too (see `in_order`): the pool has one thread fewer.
    let threads = settings
        .jobs
        .filter(|&jobs| jobs > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, std::num::NonZero::get));
    let pool = (threads > 1)
        .then(|| rayon::ThreadPoolBuilder::new().num_threads(threads - 1).build())
        .transpose()
        .map_err(|error| Error::usage(format!("cannot start worker threads: {error}")))?;
    settings.progress.start(groups.len());
    let files = groups.iter().map(|group| usize::from(group.source.is_some()) + group.copies.len()).sum();
    let mut summary = Summary { files, groups: groups.len(), history_read: history.is_some(), ..Summary::default() };
    let window = WINDOW_PER_THREAD * threads;
    let renderer = sink.renderer();
    let check = |index: usize| {
        let (article, files, findings) = check_group(index, &groups[index], &context);
        settings.progress.advance();
        Checked::new(renderer.as_deref(), Some(article), files, findings)
    };
    let deliver = |checked: Checked<'_>| checked.deliver(sink, &mut summary);
    in_order(pool.as_ref(), groups.len(), window, check, deliver).map_err(Error::Report)?;
    settings.progress.finish();
    if let Some(why) = history_unavailable.filter(|_| context.stale_without_history.load(Ordering::Relaxed)) {
        notes.push(format!(
            "no git history ({why}): stale copies are not compared with their source, since the version they were \
             translated from is unknown (`--no-history` compares them with the current source); in CI, check out \
             full history (actions/checkout with `fetch-depth: 0`)"
        ));
    }
    // Which locales exist is known only from a walk of the whole tree, not
    // from the groups of a few files (a README.md belongs to none).
    let found_locales = walked.then_some(&discovery.locales);
    let mut problems = run_problems(settings, &discovery.problems, found_locales);
    sort(&mut problems);
    // A copy's findings are printed ahead only when no finding about the
    // tree is to be merged into them.
    let renderer = renderer.filter(|_| problems.is_empty());
    let mut problems = problems.into_iter().peekable();
    // The whole tree's findings stream too, one copy at a time in path
    // order: a drifted tree has tens of thousands of broken links into
    // other articles, and each finding keeps its excerpt.
    let suspects = FragmentSuspects::take(settings, &corpus, &groups);
    // The groups' temporaries are all freed, and what outlives them (the
    // anchors, the suspects) is made: the pages the workers' arenas keep
    // free go back before the fragment phase, whose own copies, findings
    // and rendering would otherwise come on top of them (see
    // `memory::release_free`).
    crate::memory::release_free();
    let check = |index: usize| {
        let (path, findings) = suspects.check(settings, &corpus, &groups, index);
        (path, Checked::new(renderer.as_deref(), None, Vec::new(), findings))
    };
    let deliver = |(path, checked): (String, Checked<'_>)| {
        let mut findings = match checked {
            Checked::Findings { findings, .. } => findings,
            Checked::Rendered { outcome: Ok(rendered), .. } if rendered.findings == 0 => return Ok(()),
            rendered => return rendered.deliver(sink, &mut summary),
        };
        let mut before = Vec::new();
        while let Some(problem) = problems.next_if(|problem| problem.path <= path) {
            before.push(problem);
        }
        if !before.is_empty() {
            before.append(&mut findings);
            findings = before;
            sort(&mut findings);
        }
        if findings.is_empty() {
            return Ok(());
        }
        summary.tally(&findings, 1);
        sink.group(&GroupReport { article: None, files: &[], findings: &findings })
    };
    in_order(pool.as_ref(), suspects.copies(), window, check, deliver).map_err(Error::Report)?;
    drop(suspects);
    drop(corpus);
    drop(groups);
    let rest: Vec<Diagnostic> = problems.collect();
    summary.tally(&rest, 1);
    sink.group(&GroupReport { article: None, files: &[], findings: &rest }).map_err(Error::Report)?;
    summary.notes = notes;
    summary.elapsed = started.elapsed();
    sink.finish(&summary).map_err(Error::Report)?;
    Ok(summary)
}

/// A checked group's sorted findings on their way to the sink.
enum Checked<'g> {
    /// Detached from the texts of the group (see [`crate::diagnostic::detach`]).
    Findings { article: Option<&'g str>, files: Vec<String>, findings: Vec<Diagnostic> },
    /// Printed by the sink's renderer, and counted.
    Rendered { outcome: io::Result<Rendered>, counts: Summary },
}

impl<'g> Checked<'g> {
    /// On the worker thread: the group printed by `renderer` if there is
    /// one (its findings then freed on the thread that made them, and no
    /// excerpt kept: nothing is shown after the group), else its findings
    /// keeping only the lines they show.
    fn new(
        renderer: Option<&dyn Render>,
        article: Option<&'g str>,
        files: Vec<String>,
        mut findings: Vec<Diagnostic>,
    ) -> Checked<'g> {
        match renderer {
            Some(renderer) => {
                let mut counts = Summary::default();
                counts.tally(&findings, 1);
                let mut rendered = Rendered::default();
                let group = GroupReport { article, files: &files, findings: &findings };
                let outcome = renderer.render(&group, &mut rendered).map(|()| rendered);
                Checked::Rendered { outcome, counts }
            }
            None => {
                crate::diagnostic::detach(&mut findings);
                Checked::Findings { article, files, findings }
            }
        }
    }

    /// On the writing thread: hands the group to `sink` and counts it in.
    fn deliver(self, sink: &mut dyn Sink, summary: &mut Summary) -> io::Result<()> {
        match self {
            Checked::Findings { article, files, findings } => {
                summary.tally(&findings, 1);
                sink.group(&GroupReport { article, files: &files, findings: &findings })
            }
            Checked::Rendered { outcome, counts } => {
                summary.add_counts(&counts);
                sink.rendered(&outcome?)
            }
        }
    }
}

/// Groups under way or finished but not yet written, per worker thread:
/// enough that a slow group does not stall the others, few enough that
/// memory stays bounded by a handful of groups.
const WINDOW_PER_THREAD: usize = 16;

/// Runs `work(0..count)` on `pool` and on the calling thread, and hands the
/// results to `deliver` in index order, on the calling thread, as soon as
/// each one and all before it are done. At most `window` items are under
/// way or waiting: the next one may start when the oldest is delivered. An
/// error from `deliver` stops the work (items under way finish, no new one
/// starts) and is returned. Without a pool the calling thread does every
/// item itself.
///
/// The calling thread works too, instead of sleeping until the next item
/// is done: a run of `--jobs N` uses `N - 1` pool threads and this one.
/// With a pool of `N` and a writer waiting for each item, three threads
/// took turns on two cores (clean-10k: about 1,550 voluntary and as many
/// involuntary context switches, against the floor's 6 and 180).
///
/// Items are claimed in index order, by whichever thread comes first: a
/// task spawned per item that may start claims the oldest unclaimed one,
/// or does nothing if the calling thread took it. Each task never waits:
/// a task that blocked (or looped over items) could be stolen by a pool
/// thread that is itself waiting inside a nested parallel loop, under the
/// very item the writer waits for.
fn in_order<T: Send>(
    pool: Option<&rayon::ThreadPool>,
    count: usize,
    window: usize,
    work: impl Fn(usize) -> T + Sync,
    mut deliver: impl FnMut(T) -> io::Result<()>,
) -> io::Result<()> {
    type Outcome<T> = std::thread::Result<T>;
    let (sender, receiver) = mpsc::channel::<(usize, Outcome<T>)>();
    let window = window.max(1);
    // Items below `open` may start; `next` is the oldest not yet claimed.
    // `open` only grows (but for a stop, to 0), so an item claimed below a
    // value of `open` read a moment before is still within the window.
    let (next, open) = (AtomicUsize::new(0), AtomicUsize::new(count.min(window)));
    let claim = || {
        next.fetch_update(Ordering::AcqRel, Ordering::Acquire, |index| {
            (index < open.load(Ordering::Acquire)).then_some(index + 1)
        })
        .ok()
    };
    let run = |index: usize| std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| work(index)));
    let mut writer = |spawn: &dyn Fn()| -> io::Result<()> {
        (0..count.min(window)).for_each(|_| spawn());
        let mut waiting: BTreeMap<usize, Outcome<T>> = BTreeMap::new();
        for expected in 0..count {
            let outcome = loop {
                if let Some(outcome) = waiting.remove(&expected) {
                    break outcome;
                }
                if let Ok((index, outcome)) = receiver.try_recv() {
                    waiting.insert(index, outcome);
                } else if let Some(index) = claim() {
                    waiting.insert(index, run(index));
                } else {
                    // `expected` is under way on a pool thread (every item
                    // below `open` is claimed), and its task always sends.
                    match receiver.recv() {
                        Ok((index, outcome)) => {
                            waiting.insert(index, outcome);
                        }
                        Err(_) => return Err(io::Error::other("a worker thread stopped")),
                    }
                }
            };
            let delivered = match outcome {
                Ok(result) => deliver(result),
                // A bug, not an input: rethrown as it was.
                Err(panic) => {
                    open.store(0, Ordering::Release);
                    std::panic::resume_unwind(panic)
                }
            };
            if let Err(error) = delivered {
                open.store(0, Ordering::Release);
                return Err(error);
            }
            let opened = (expected + 1 + window).min(count);
            if opened > open.load(Ordering::Relaxed) {
                open.store(opened, Ordering::Release);
                spawn();
            }
        }
        Ok(())
    };
    match pool {
        Some(pool) => pool.in_place_scope(|scope| {
            let (claim, run) = (&claim, &run);
            writer(&|| {
                let sender = sender.clone();
                scope.spawn(move |_| {
                    if let Some(index) = claim() {
                        // The receiver is gone only after an error: nobody wants it.
                        let _ = sender.send((index, run(index)));
                    }
                });
            })
        }),
        None => writer(&|| {}),
    }
}

/// The locales every article should have: the configured ones, else those
/// found.
pub(crate) fn expected_locales(settings: &Settings, found: &std::collections::BTreeSet<String>) -> Vec<String> {
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

/// What every group's check shares.
struct GroupContext<'a> {
    settings: &'a Settings,
    corpus: &'a Corpus<'a>,
    expected_locales: &'a [String],
    /// Paths the walk could not look at, sorted.
    unwalked: &'a [String],
    history: Option<&'a History>,
    /// A copy was stale while history was unavailable: the run says why once.
    stale_without_history: AtomicBool,
}

/// The repository holding the sources, when history is wanted; or why
/// there is none.
fn open_history(settings: &Settings, groups: &[GroupFiles]) -> (Option<History>, Option<String>) {
    if !settings.history.enabled {
        return (None, None);
    }
    // The sources' repository; without a source (only orphan copies were
    // given, as a pre-commit run on one file may), the root's: history may
    // still say where their source went.
    let source_path = groups.iter().find_map(|group| group.source.as_ref()).map(|source| source.path(&settings.root));
    let folder = source_path.as_deref().and_then(std::path::Path::parent).unwrap_or(&settings.root);
    // Copies need their own history only when nothing in them names their
    // handoff (the source at the copy's last commit).
    let copies_too = settings.profile.hash_key.is_none();
    let files = groups.iter().flat_map(|group| {
        let copies = group.copies.iter().filter(move |_| copies_too);
        let source = group.source.as_ref().map(discover::FileEntry::file);
        let tracked = source.into_iter().chain(copies).map(|file| file.path(&settings.root));
        // Copies without a source: history may say the source was deleted
        // or renamed.
        let lost_source = group.source.is_none().then(|| expected_source(settings, group));
        tracked.chain(lost_source)
    });
    let copies = groups.iter().flat_map(|group| &group.copies).map(|file| file.path(&settings.root)).collect();
    match History::open(folder, files, settings.history.max_commits, settings.max_file_size) {
        Ok(history) => {
            (Some(history.with_copies(copies).with_ignored_keywords(&settings.history.ignored_keywords)), None)
        }
        Err(unavailable) => (None, Some(unavailable.0)),
    }
}

/// Where the group's source would be.
fn expected_source(settings: &Settings, group: &GroupFiles) -> std::path::PathBuf {
    settings.root.join(settings.layout.path_for(&group.key, &settings.source_locale, &settings.source_locale))
}

/// Reads and parses each file of the group once, finds each copy's handoff,
/// then runs every enabled rule over the parsed documents. Returns the
/// article key, the checked files and the sorted findings.
fn check_group<'g>(
    index: usize,
    files: &'g GroupFiles,
    context: &GroupContext<'_>,
) -> (&'g str, Vec<String>, Vec<Diagnostic>) {
    let GroupContext { settings, corpus, expected_locales, unwalked, history, .. } = *context;
    let load = |file: File<'_>, hash: bool| {
        Document::load(
            &file.path(&settings.root),
            file.relative().into_owned(),
            file.locale().to_string(),
            settings.max_file_size,
            hash,
        )
    };
    let source = files.source.as_ref().map(|file| load(file.file(), true));
    let copies: Vec<Document> = files.copies.iter().map(|file| load(file, false)).collect();
    let keys = HandoffKeys { hash: settings.profile.hash_key, commit: settings.history.source_commit_key.as_deref() };
    let handoffs: Vec<Handoff> = match (&source, &files.source) {
        (Some(source), Some(source_file)) => {
            let source_path = source_file.path(&settings.root);
            let mut parsed = Vec::new();
            copies
                .iter()
                .zip(&files.copies)
                .map(|(copy, file)| {
                    let copy_path = file.path(&settings.root);
                    History::resolve(history, keys, (source, &source_path), (copy, &copy_path), &mut parsed)
                })
                .collect()
        }
        _ => copies.iter().map(|_| Handoff::Current).collect(),
    };
    let source_fate = match (history, &files.source) {
        (Some(history), None) => history.fate(&expected_source(settings, files), &settings.root),
        _ => None,
    };
    if history.is_none() && handoffs.iter().any(|handoff| matches!(handoff, Handoff::Stale(_))) {
        context.stale_without_history.store(true, Ordering::Relaxed);
    }
    let group = Group {
        // More than 4 billion groups would not fit in memory anyway.
        index: u32::try_from(index).unwrap_or(u32::MAX),
        key: &files.key,
        source: source.as_ref(),
        copies: &copies,
        source_locale: &settings.source_locale,
        expected_locales,
        layout: &settings.layout,
        profile: &settings.profile,
        corpus,
        handoff_keys: keys,
        handoffs: &handoffs,
        source_fate: source_fate.as_ref(),
        compare_stale_with_current: !settings.history.enabled,
        unwalked,
    };
    if checks_fragments(settings) {
        corpus.register(group.index, group.source, group.copies);
    }
    let mut diagnostics = Vec::new();
    for &(rule, severity) in &settings.rules {
        let mut emitter =
            Emitter::new(rule, severity, settings.options(rule.name), &mut diagnostics).limit(settings.max_findings);
        (rule.check)(&group, &mut emitter);
    }
    crate::rules::markdown_broken::fold_consequences(&mut diagnostics);
    let documents: Vec<&Document> = group.documents().collect();
    let mut diagnostics = crate::suppress::apply(settings, &documents, diagnostics);
    // The group's texts are freed once its findings are printed or
    // detached (see `Checked::new`).
    sort(&mut diagnostics);
    let checked = files.files().map(|file| file.relative().into_owned()).collect();
    (&files.key, checked, diagnostics)
}

fn checks_fragments(settings: &Settings) -> bool {
    settings.rules.iter().any(|(rule, _)| rule.name == "fragment-broken")
}

/// The `page.md#fragment` links that `fragment-broken` deferred and that
/// may be broken, now that every parsed article's anchors are registered,
/// grouped by copy and the copies in path order. Only a copy with such a
/// link is read again, to show the finding in it, and its source if the
/// source links to the same page; neither is parsed again unless what
/// was kept of their parse does not do (see [`crate::rules::fragment_broken::KeptGroup`]).
struct FragmentSuspects {
    rule: Option<(&'static crate::rules::Rule, Severity)>,
    /// Sorted by copy, then by place in the copy.
    links: Vec<crate::corpus::PendingFragment>,
    /// Where each copy's run of `links` starts, in the order of the copies'
    /// paths (a run ends where the copy changes): 4 bytes a copy, for tens
    /// of thousands of copies held to the end of the run.
    copies: Vec<u32>,
    /// What was kept of the parse of the suspects' groups.
    kept: crate::corpus::Kept,
}

impl FragmentSuspects {
    fn take(settings: &Settings, corpus: &Corpus<'_>, groups: &[GroupFiles]) -> FragmentSuspects {
        let rule = settings.rules.iter().find(|(rule, _)| rule.name == "fragment-broken").copied();
        if rule.is_none() {
            return FragmentSuspects { rule, links: Vec::new(), copies: Vec::new(), kept: Default::default() };
        }
        let mut links = corpus.take_pending();
        let kept = corpus.take_kept(&links);
        links.sort_unstable_by_key(|link| (link.copy, link.span().start));
        // More than 4 billion waiting links (96 GB of them) would not fit
        // in memory: a run's start always fits in a `u32`.
        let mut copies = Vec::with_capacity(links.chunk_by(|a, b| a.copy == b.copy).count());
        let mut start = 0;
        for run in links.chunk_by(|a, b| a.copy == b.copy) {
            copies.extend(u32::try_from(start).ok());
            start += run.len();
        }
        let path_of =
            |&start: &u32| links.get(start as usize).and_then(|link| copy_entry(groups, link.copy)).map(File::relative);
        copies.sort_by(|a, b| path_of(a).cmp(&path_of(b)));
        FragmentSuspects { rule, links, copies, kept }
    }

    /// The `index`th copy's run of links (see [`FragmentSuspects::copies`]).
    fn links_of(&self, index: usize) -> &[crate::corpus::PendingFragment] {
        let Some(run) = self.copies.get(index).and_then(|&start| self.links.get(start as usize..)) else {
            return &[];
        };
        let copy = run.first().map(|link| link.copy);
        let length = run.iter().take_while(|link| Some(link.copy) == copy).count();
        &run[..length]
    }

    /// How many copies have suspect links.
    fn copies(&self) -> usize {
        self.copies.len()
    }

    /// The `index`th copy's path and its broken links' findings, sorted.
    fn check(
        &self,
        settings: &Settings,
        corpus: &Corpus<'_>,
        groups: &[GroupFiles],
        index: usize,
    ) -> (String, Vec<Diagnostic>) {
        let links = self.links_of(index);
        let (Some((rule, severity)), Some(id)) = (self.rule, links.first().map(|link| link.copy)) else {
            return (String::new(), Vec::new());
        };
        let Some(file) = copy_entry(groups, id) else {
            return (String::new(), Vec::new());
        };
        let load = |file: File<'_>| {
            Document::load(
                &file.path(&settings.root),
                file.relative().into_owned(),
                file.locale().to_string(),
                settings.max_file_size,
                false,
            )
        };
        let source_file = groups.get(id.group as usize).and_then(|group| group.source.as_ref()).map(|file| file.file());
        let (copy, copy_links, source) = match self.without_parsing(settings, id, file, source_file, links) {
            Some(unparsed) => unparsed,
            None => {
                let copy = load(file);
                // A copy changed since it was checked has other links; its
                // next run reports them.
                let copy_links = links
                    .iter()
                    .filter_map(|pending| copy.facts.links.iter().find(|link| link.span == pending.span()).cloned())
                    .collect();
                // A link broken in the source too is the source's defect,
                // not the copy's.
                (copy, copy_links, source_file.map(load))
            }
        };
        let source = source.as_ref().filter(|source| source.is_checked());
        let mut found = Vec::new();
        let mut emitter =
            Emitter::new(rule, severity, settings.options(rule.name), &mut found).limit(settings.max_findings);
        for link in &copy_links {
            crate::rules::fragment_broken::check_page(
                &mut emitter,
                settings.profile.kept_anchor,
                corpus,
                &copy,
                source,
                id,
                link,
            );
        }
        drop(emitter);
        let mut found = crate::suppress::apply_with(settings, &[&copy], found, false);
        sort(&mut found);
        (file.relative().into_owned(), found)
    }
}

impl FragmentSuspects {
    /// The copy `id`, its suspect `links` and its source, read again
    /// without being parsed, with the links taken from the copy's text and
    /// the source's links that matter from what was kept; `None` when they
    /// must be parsed again: nothing or not enough was kept, or a file
    /// changed since.
    fn without_parsing(
        &self,
        settings: &Settings,
        id: crate::corpus::CopyId,
        file: File<'_>,
        source_file: Option<File<'_>>,
        links: &[crate::corpus::PendingFragment],
    ) -> Option<(Document, Vec<Link>, Option<Document>)> {
        let kept = self.kept.get(id.group).filter(|kept| kept.reparse.binary_search(&id.copy).is_err())?;
        let read = |file: File<'_>| {
            Document::load_unparsed(
                &file.path(&settings.root),
                file.relative().into_owned(),
                file.locale().to_string(),
                settings.max_file_size,
            )
        };
        let source = match &kept.source {
            KeptSource::Reparse => return None,
            KeptSource::Absent => None,
            KeptSource::Links(spans) => {
                let mut source = read(source_file?);
                let links = spans
                    .iter()
                    .map(|span| {
                        let span = span.start as usize..span.end as usize;
                        let destination = source.text().get(span.clone())?.into();
                        Some(Link { kind: LinkKind::Inline, destination, span })
                    })
                    .collect::<Option<Vec<Link>>>()?;
                source.facts.links = links;
                Some(source)
            }
        };
        let copy = read(file);
        let copy_links = links
            .iter()
            .map(|pending| {
                let destination = copy.text().get(pending.span())?;
                let (page, fragment) = crate::rules::fragment_broken::fragment_link(destination)?;
                (page.ends_with(".md") && pending.may_be_for(&fragment.to_lowercase())).then(|| Link {
                    kind: LinkKind::Inline,
                    destination: destination.into(),
                    span: pending.span(),
                })
            })
            .collect::<Option<Vec<Link>>>()?;
        Some((copy, copy_links, source))
    }
}

fn copy_entry(groups: &[GroupFiles], id: crate::corpus::CopyId) -> Option<File<'_>> {
    groups.get(id.group as usize).and_then(|group| group.copies.get(id.copy as usize))
}

/// Findings about the tree rather than an article: paths the walk could not
/// read, and requested locales that have no files at all.
fn run_problems(
    settings: &Settings,
    problems: &[discover::WalkProblem],
    found: Option<&std::collections::BTreeSet<String>>,
) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    let severity_of = |name: &str| {
        settings.rules.iter().find(|(rule, _)| rule.name == name).map(|&(rule, severity)| (rule, severity))
    };
    if let Some((rule, severity)) = severity_of("file-unreadable") {
        let mut emitter = Emitter::new(rule, severity, None, &mut diagnostics).limit(settings.max_findings);
        for problem in problems {
            let in_targets = settings.targets.iter().any(|target| {
                target.is_empty() || problem.relative == *target || problem.relative.starts_with(&format!("{target}/"))
            });
            if in_targets {
                emitter
                    .report_path(&problem.relative, None, format!("this path {}", problem.message))
                    .help("fix the file's permissions or type, or exclude it in loclint.toml");
            }
        }
    }
    if let (Some((rule, severity)), Some(found)) = (severity_of("locale-missing"), found) {
        let mut emitter = Emitter::new(rule, severity, None, &mut diagnostics).limit(settings.max_findings);
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
                // A folder of pages none of which `include` takes (an MDX
                // site's `.mdx`) is told so, not sent to check the tag.
                let on_disk = settings.root.join(&folder);
                let has_entries = std::fs::symlink_metadata(&on_disk).is_ok_and(|metadata| metadata.is_dir())
                    && std::fs::read_dir(&on_disk).is_ok_and(|mut entries| entries.next().is_some());
                let help = if has_entries {
                    format!(
                        "`{folder}` has files, but none that `include` takes ({}); for MDX pages, add `**/*.mdx`",
                        settings.include_patterns.join(", ")
                    )
                } else {
                    "check the locale tag and the layout, or remove the locale from `locales`".to_string()
                };
                emitter.report_path(&folder, Some(locale), format!("no files found for locale `{locale}`")).help(help);
            }
        }
    }
    diagnostics
}

/// The order within a group (and within the whole tree's findings): path,
/// line, column, rule, then message; findings equal in all of these keep
/// their order. Positions are computed once per finding, not once per
/// comparison; paths and messages are compared where they are, not copied
/// into a key per finding (two allocations each, on a drifted tree of
/// tens of thousands of findings).
pub fn sort(diagnostics: &mut [Diagnostic]) {
    let starts: Vec<crate::document::lines::Position> = diagnostics.iter().map(Diagnostic::start).collect();
    let mut order: Vec<usize> = (0..diagnostics.len()).collect();
    order.sort_unstable_by(|&a, &b| {
        let (x, y) = (&diagnostics[a], &diagnostics[b]);
        (x.path.as_str(), starts[a], x.rule, x.message.as_str(), a).cmp(&(
            y.path.as_str(),
            starts[b],
            y.rule,
            y.message.as_str(),
            b,
        ))
    });
    // Each finding to its place, one cycle of the permutation at a time:
    // place `j` gets the finding at `order[j]`; a place done points to itself.
    for first in 0..order.len() {
        let mut place = first;
        loop {
            let from = order[place];
            order[place] = place;
            if from == first {
                break;
            }
            diagnostics.swap(place, from);
            place = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::diagnostic::{Location, SourceFile};

    #[test]
    fn in_order_delivers_every_item_once_in_order_within_the_window() {
        // Items finish out of order (later ones sooner), so finished items
        // wait in the window; no item starts before the one a window
        // earlier was delivered. Every window, from one item to more than
        // all of them, and pool size (none: the calling thread alone).
        for threads in [0, 1, 2, 4] {
            let pool =
                (threads > 0).then(|| rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("pool"));
            for window in [1, 2, 3, 5, 8, 32, 100] {
                for count in [0, 1, 7, 64] {
                    let handed = std::sync::atomic::AtomicUsize::new(0);
                    let mut delivered = Vec::new();
                    let work = |index: usize| {
                        assert!(index < handed.load(Ordering::SeqCst) + window, "item {index} started too early");
                        std::thread::sleep(Duration::from_micros((index * 7919 % 13) as u64 * 50));
                        index
                    };
                    in_order(pool.as_ref(), count, window, work, |index| {
                        delivered.push(index);
                        handed.fetch_add(1, Ordering::SeqCst);
                        Ok(())
                    })
                    .expect("no delivery fails");
                    assert_eq!(delivered, (0..count).collect::<Vec<_>>(), "{threads} threads, window {window}");
                }
            }
        }
    }

    #[test]
    fn in_order_stops_at_the_first_failed_delivery() {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().expect("pool");
        let started = std::sync::atomic::AtomicUsize::new(0);
        let mut delivered = Vec::new();
        let result = in_order(
            Some(&pool),
            50,
            4,
            |index| {
                started.fetch_add(1, Ordering::SeqCst);
                index
            },
            |index| {
                delivered.push(index);
                if index == 9 {
                    return Err(io::Error::other("disk full"));
                }
                Ok(())
            },
        );
        assert_eq!(result.map_err(|error| error.to_string()), Err("disk full".to_string()));
        assert_eq!(delivered, (0..10).collect::<Vec<_>>());
        // Those before the failure, and at most a window after it.
        assert!(started.load(Ordering::SeqCst) <= 10 + 4, "{} started", started.load(Ordering::SeqCst));
    }

    #[test]
    fn in_order_rethrows_a_panicking_item() {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().expect("pool");
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            in_order(Some(&pool), 20, 4, |index| assert_ne!(index, 5, "item five"), |()| Ok(()))
        }));
        assert!(result.is_err());
    }

    #[test]
    fn in_order_works_on_the_calling_thread_while_the_pool_is_busy() {
        // The pool's one thread is held until the last item is delivered:
        // the calling thread does every item itself instead of waiting.
        let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build().expect("pool");
        let (release, held) = mpsc::channel::<()>();
        pool.spawn(move || {
            let _ = held.recv();
        });
        let caller = std::thread::current().id();
        let mut delivered = Vec::new();
        in_order(
            Some(&pool),
            40,
            6,
            |index| (index, std::thread::current().id()),
            |(index, thread)| {
                assert_eq!(thread, caller, "item {index} ran on a pool thread");
                delivered.push(index);
                if index == 39 {
                    release.send(()).expect("the held task waits");
                }
                Ok(())
            },
        )
        .expect("no delivery fails");
        assert_eq!(delivered, (0..40).collect::<Vec<_>>());
    }

    #[test]
    fn in_order_without_a_pool_stops_at_a_failed_delivery_and_rethrows_a_panic() {
        let mut delivered = 0;
        let started_at = AtomicUsize::new(0);
        let result = in_order(
            None,
            50,
            4,
            |index| {
                started_at.fetch_add(1, Ordering::Relaxed);
                index
            },
            |index| {
                delivered += 1;
                if index == 9 {
                    Err(io::Error::other("disk full"))
                } else {
                    Ok(())
                }
            },
        );
        assert_eq!(result.map_err(|error| error.to_string()), Err("disk full".to_string()));
        assert_eq!(delivered, 10);
        let started_at = started_at.load(Ordering::Relaxed);
        assert!(started_at <= 10 + 4, "{started_at} started");
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            in_order(None, 20, 4, |index| assert_ne!(index, 5, "item five"), |()| Ok(()))
        }));
        assert!(result.is_err());
    }

    #[test]
    fn sort_orders_by_path_position_rule_and_message_and_keeps_ties_in_order() {
        let text: Arc<str> = Arc::from("# 見出し\nline two\nline three\n");
        let files = [SourceFile::new("b.md".into(), text.clone()), SourceFile::new("a.md".into(), text)];
        let mut findings = Vec::new();
        // Every combination, in a scrambled order, some of them twice (ties
        // told apart by their help).
        for step in 0..96_usize {
            let at = step * 37 % 96;
            let file = &files[at % 2];
            let span = [0..1, 5..6, 14..15][at / 2 % 3].clone();
            findings.push(Diagnostic {
                rule: ["segment-stale", "link-target-mismatch"][at / 6 % 2],
                severity: Severity::Error,
                path: file.name.clone(),
                locale: None,
                message: ["b", "a"][at / 12 % 2].to_string(),
                help: Some(step.to_string()),
                location: Some(Location { file: file.clone(), span, label: None }),
                related: None,
                secondary: Vec::new(),
                fix: None,
                handoff: None,
            });
        }
        let mut expected = findings.clone();
        expected.sort_by_key(|finding| (finding.path.clone(), finding.start(), finding.rule, finding.message.clone()));
        sort(&mut findings);
        let shown = |findings: &[Diagnostic]| -> Vec<String> {
            findings
                .iter()
                .map(|finding| {
                    let start = finding.start();
                    format!(
                        "{} {}:{} {} {} {:?}",
                        finding.path, start.line, start.column, finding.rule, finding.message, finding.help
                    )
                })
                .collect()
        };
        assert_eq!(shown(&findings), shown(&expected));
        assert_eq!(findings.first().map(|finding| finding.path.as_str()), Some("a.md"));
    }
}
