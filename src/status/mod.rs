//! `loclint status`: how far behind each locale is, and which articles need
//! work first.
//!
//! The state of every copy comes from a lint run (the engine's findings:
//! `stale-hash` carries the handoff and its change class, error findings
//! mark broken copies); what the findings do not say (copies that are
//! missing or have no source, source word counts, priorities) comes from
//! the same discovery the lint run uses. The model is what every output
//! shows: the terminal table, the JSON (`status.schema.json`) and the HTML
//! dashboard.

pub mod html;
pub mod table;
pub mod trend;

use std::collections::{BTreeMap, HashMap};
use std::io::Read;

use serde::Serialize;

use crate::diagnostic::{ChangeClass, HandoffReport, Severity};
use crate::discover::{self, FileEntry, GroupFiles, Selection};
use crate::document::frontmatter;
use crate::error::Error;
use crate::settings::Settings;

/// Version of the JSON shape; bumped only when a field changes meaning or
/// goes away (new fields may appear).
pub const FORMAT_VERSION: u32 = 1;

/// Front matter key of an article's localization priority in Microsoft docs.
pub const DEFAULT_PRIORITY_KEY: &str = "ms.localizationpriority";

const STALE_HASH: &str = "stale-hash";

/// The `stale-hash` finding of a copy whose handoff history could not tell.
const UNKNOWN_PREFIX: &str = "cannot tell whether the copy is current";

#[derive(Debug, Clone)]
pub struct StatusOptions {
    /// Front matter key of the source that ranks articles (`high`, `medium`, `low`).
    pub priority_key: String,
    /// Months of trend, one point per month (0: no trend).
    pub trend_months: usize,
}

impl Default for StatusOptions {
    fn default() -> Self {
        StatusOptions { priority_key: DEFAULT_PRIORITY_KEY.to_string(), trend_months: trend::DEFAULT_MONTHS }
    }
}

/// Everything `loclint status` shows. Field names are part of the JSON
/// contract (`status.schema.json`).
#[derive(Debug, Clone, Serialize)]
pub struct Status {
    pub version: u32,
    pub source_locale: String,
    /// Articles with a source file.
    pub articles: usize,
    /// Words of every source article.
    pub source_words: u64,
    /// Per locale, by tag.
    pub locales: BTreeMap<String, LocaleStatus>,
    /// Every article, most urgent first.
    pub queue: Vec<ArticleStatus>,
    /// Stale and missing copies per locale at past points; `null` without
    /// git history.
    pub trend: Option<trend::Trend>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct LocaleStatus {
    /// Copies translated from the current source.
    pub fresh: usize,
    /// Copies translated from an older source.
    pub stale: usize,
    /// Articles with no copy in this locale.
    pub missing: usize,
    /// Copies whose source no longer exists.
    pub orphaned: usize,
    /// Copies with at least one error-severity finding.
    pub with_errors: usize,
    /// Copies whose handoff history could not tell (counted as not current).
    pub unknown: usize,
    pub stale_by_class: StaleByClass,
    /// Source words of the articles whose copy is fresh.
    pub current_words: u64,
    /// `current_words` as a percentage of every source word, one decimal.
    pub current_share: f64,
    pub staleness: Staleness,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct StaleByClass {
    pub whitespace: usize,
    pub front_matter: usize,
    pub small: usize,
    pub large: usize,
    /// Stale by the hash, with no history to say how.
    pub unclassified: usize,
}

/// How far behind the stale copies are, over those whose history is known.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Staleness {
    pub median_days: Option<i64>,
    pub oldest_days: Option<i64>,
    pub median_commits: Option<usize>,
    pub oldest_commits: Option<usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ArticleStatus {
    /// The source's root-relative path (where it would be, for orphans).
    pub path: String,
    pub source_words: u64,
    /// The source's priority value, as written.
    pub priority: Option<String>,
    /// Locales whose copy is stale, missing or unknown.
    pub lagging: usize,
    /// Source words still to translate in the most lagging copy: the
    /// changed words of a stale copy, every word for a missing one.
    pub pending_words: u64,
    /// `pending_words × lagging`: the order of the queue, after priority.
    pub score: u64,
    /// Per locale, by tag.
    pub copies: BTreeMap<String, CopyStatus>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CopyState {
    Fresh,
    Stale,
    Missing,
    Orphaned,
    Unknown,
}

#[derive(Debug, Clone, Serialize)]
pub struct CopyStatus {
    pub state: CopyState,
    /// Root-relative path of the copy; `null` when missing.
    pub path: Option<String>,
    /// Error-severity findings in the copy.
    pub errors: usize,
    /// For a stale copy translated from a version history has.
    pub change: Option<ChangeClass>,
    pub commits_behind: Option<usize>,
    pub days_behind: Option<i64>,
    pub changed_words: Option<usize>,
    /// Unified diff of the source since the copy's handoff.
    pub diff: Option<String>,
}

impl Status {
    /// Locales whose current share is below `percent`.
    pub fn below(&self, percent: f64) -> Vec<&str> {
        self.locales
            .iter()
            .filter(|(_, locale)| locale.current_share < percent)
            .map(|(name, _)| name.as_str())
            .collect()
    }
}

/// Lints the tree, then builds its status. History is read as `lint` reads
/// it; `stale-hash` runs whatever the configuration says, since staleness
/// is what status is about.
pub fn collect(settings: &Settings, options: &StatusOptions) -> Result<Status, Error> {
    let mut settings = settings.clone();
    if !settings.rules.iter().any(|(rule, _)| rule.name == STALE_HASH) {
        if let Some(rule) = crate::rules::find(STALE_HASH) {
            settings.rules.push((rule, rule.severity));
        }
    }
    let mut findings = FindingsByPath::default();
    crate::engine::lint_into(&settings, &mut findings)?;
    let groups = discover_groups(&settings);
    let found: std::collections::BTreeSet<String> =
        groups.iter().flat_map(|group| group.copies.iter().map(|copy| copy.locale().to_string())).collect();
    let expected = crate::engine::expected_locales(&settings, &found);
    let mut status = build(&settings, options, &groups, &expected, &findings.by_path);
    if options.trend_months > 0 && settings.history.enabled {
        let whole_root = settings.targets.iter().any(String::is_empty);
        let articles = (!whole_root).then(|| groups.iter().map(|group| group.key.to_string()).collect());
        status.trend = trend::collect(&settings, &expected, options.trend_months, articles);
    }
    Ok(status)
}

/// The groups `lint` checks (same selection of paths).
fn discover_groups(settings: &Settings) -> Vec<GroupFiles> {
    let selection = Selection::of(settings);
    let discovery = match discover::discover_files(&selection, &settings.targets) {
        Some(discovery) => discovery,
        None => discover::discover(&selection),
    };
    discover::select_groups(discovery.groups, &settings.targets, &selection).0
}

/// What the findings say about one copy.
#[derive(Default)]
struct Findings {
    errors: usize,
    handoff: Option<HandoffReport>,
    stale: bool,
    unknown: bool,
}

/// Keeps, of the streamed findings, only what status needs per file: a
/// large tree's findings are never all in memory.
#[derive(Default)]
struct FindingsByPath {
    by_path: HashMap<String, Findings>,
}

impl crate::engine::Sink for FindingsByPath {
    fn group(&mut self, group: &crate::engine::GroupReport<'_>) -> std::io::Result<()> {
        for diagnostic in group.findings {
            let is_error = diagnostic.severity == Severity::Error;
            if !is_error && diagnostic.rule != STALE_HASH {
                continue;
            }
            let findings = self.by_path.entry(diagnostic.path.clone()).or_default();
            if is_error {
                findings.errors += 1;
            }
            if diagnostic.rule == STALE_HASH {
                if diagnostic.message.starts_with(UNKNOWN_PREFIX) {
                    findings.unknown = true;
                } else {
                    findings.stale = true;
                    if findings.handoff.is_none() {
                        findings.handoff = diagnostic.handoff.as_deref().cloned();
                    }
                }
            }
        }
        Ok(())
    }

    fn finish(&mut self, _summary: &crate::engine::Summary) -> std::io::Result<()> {
        Ok(())
    }
}

fn build(
    settings: &Settings,
    options: &StatusOptions,
    groups: &[GroupFiles],
    expected: &[String],
    by_path: &HashMap<String, Findings>,
) -> Status {
    let mut locales: BTreeMap<String, LocaleStatus> =
        expected.iter().map(|locale| (locale.clone(), LocaleStatus::default())).collect();
    let mut staleness: BTreeMap<String, (Vec<i64>, Vec<usize>)> = BTreeMap::new();
    let mut queue = Vec::with_capacity(groups.len());
    let (mut articles, mut source_words) = (0, 0u64);
    for group in groups {
        let source = group.source.as_ref().map(|file| read_source(settings, file, &options.priority_key));
        let words = source.as_ref().map_or(0, |source| source.words);
        let mut copies = BTreeMap::new();
        for copy in &group.copies {
            let relative = copy.relative().into_owned();
            let findings = by_path.get(relative.as_str());
            let errors = findings.map_or(0, |findings| findings.errors);
            let handoff = findings.and_then(|findings| findings.handoff.as_ref());
            let state = match findings {
                _ if source.is_none() => CopyState::Orphaned,
                Some(findings) if findings.stale => CopyState::Stale,
                Some(findings) if findings.unknown => CopyState::Unknown,
                _ => CopyState::Fresh,
            };
            let locale = locales.entry(copy.locale().to_string()).or_default();
            match state {
                CopyState::Fresh => {
                    locale.fresh += 1;
                    locale.current_words += words;
                }
                CopyState::Stale => {
                    locale.stale += 1;
                    let class = &mut locale.stale_by_class;
                    match handoff.map(|handoff| handoff.change) {
                        Some(ChangeClass::Whitespace) => class.whitespace += 1,
                        Some(ChangeClass::FrontMatter) => class.front_matter += 1,
                        Some(ChangeClass::Small) => class.small += 1,
                        Some(ChangeClass::Large) => class.large += 1,
                        None => class.unclassified += 1,
                    }
                    let (days, commits) = staleness.entry(copy.locale().to_string()).or_default();
                    days.extend(handoff.and_then(|handoff| handoff.days_behind));
                    commits.extend(handoff.and_then(|handoff| handoff.commits_behind));
                }
                CopyState::Orphaned => locale.orphaned += 1,
                CopyState::Unknown => locale.unknown += 1,
                CopyState::Missing => {}
            }
            if errors > 0 {
                locale.with_errors += 1;
            }
            copies.insert(
                copy.locale().to_string(),
                CopyStatus {
                    state,
                    path: Some(relative),
                    errors,
                    change: handoff.map(|handoff| handoff.change),
                    commits_behind: handoff.and_then(|handoff| handoff.commits_behind),
                    days_behind: handoff.and_then(|handoff| handoff.days_behind),
                    changed_words: handoff.map(|handoff| handoff.changed_words),
                    diff: handoff.map(|handoff| handoff.diff.clone()),
                },
            );
        }
        if source.is_some() {
            articles += 1;
            source_words += words;
            for locale in expected {
                if copies.contains_key(locale) {
                    continue;
                }
                if let Some(status) = locales.get_mut(locale) {
                    status.missing += 1;
                }
                copies.insert(
                    locale.clone(),
                    CopyStatus {
                        state: CopyState::Missing,
                        path: None,
                        errors: 0,
                        change: None,
                        commits_behind: None,
                        days_behind: None,
                        changed_words: None,
                        diff: None,
                    },
                );
            }
        }
        let lagging = copies
            .values()
            .filter(|copy| matches!(copy.state, CopyState::Stale | CopyState::Missing | CopyState::Unknown))
            .count();
        let pending_words = copies
            .values()
            .map(|copy| match copy.state {
                CopyState::Missing => words,
                // A stale copy without history: all of it may have changed.
                CopyState::Stale => copy.changed_words.map_or(words, |changed| changed as u64),
                _ => 0,
            })
            .max()
            .unwrap_or(0);
        let path = match &group.source {
            Some(file) => file.relative().into_owned(),
            None => settings.layout.path_for(&group.key, &settings.source_locale, &settings.source_locale),
        };
        queue.push(ArticleStatus {
            path,
            source_words: words,
            priority: source.and_then(|source| source.priority),
            lagging,
            pending_words,
            score: pending_words.saturating_mul(lagging as u64),
            copies,
        });
    }
    for (name, locale) in &mut locales {
        locale.current_share = share(locale.current_words, source_words);
        if let Some((days, commits)) = staleness.get_mut(name) {
            locale.staleness = Staleness {
                median_days: median(days),
                oldest_days: days.iter().copied().max(),
                median_commits: median(commits),
                oldest_commits: commits.iter().copied().max(),
            };
        }
    }
    queue.sort_by(|a, b| {
        priority_rank(a.priority.as_deref())
            .cmp(&priority_rank(b.priority.as_deref()))
            .then(b.score.cmp(&a.score))
            .then(b.lagging.cmp(&a.lagging))
            .then_with(|| a.path.cmp(&b.path))
    });
    Status {
        version: FORMAT_VERSION,
        source_locale: settings.source_locale.clone(),
        articles,
        source_words,
        locales,
        queue,
        trend: None,
    }
}

/// Percentage with one decimal; a tree without source words is all current.
fn share(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        return 100.0;
    }
    ((part as f64) * 1000.0 / (whole as f64)).floor() / 10.0
}

/// The lower median, so that it is always one of the values.
fn median<T: Ord + Copy>(values: &mut [T]) -> Option<T> {
    values.sort_unstable();
    values.get(values.len().saturating_sub(1) / 2).copied()
}

/// `high` (Microsoft's `Priority` too) first, then unranked and `medium`,
/// then `low`; case does not matter.
pub fn priority_rank(priority: Option<&str>) -> u8 {
    match priority.map(|value| value.trim().to_ascii_lowercase()).as_deref() {
        Some("high" | "priority" | "p0" | "p1") => 0,
        Some("low" | "p3" | "p4") => 2,
        _ => 1,
    }
}

struct SourceFacts {
    words: u64,
    priority: Option<String>,
}

/// Word count and priority of a source: a plain read of the file (its
/// findings come from the lint run). An unreadable source counts no words.
fn read_source(settings: &Settings, file: &FileEntry, priority_key: &str) -> SourceFacts {
    let path = file.path(&settings.root);
    let mut bytes = Vec::new();
    let read = discover::open_no_follow(&path)
        .and_then(|opened| opened.take(settings.max_file_size.saturating_add(1)).read_to_end(&mut bytes));
    if read.is_err() || bytes.len() as u64 > settings.max_file_size {
        return SourceFacts { words: 0, priority: None };
    }
    let text = String::from_utf8_lossy(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes)).into_owned();
    let (front, body_start) = frontmatter::parse(&text);
    let words = text.get(body_start..).unwrap_or_default().split_whitespace().count() as u64;
    let priority =
        front.get(&text, priority_key).map(|entry| entry.value.trim().to_string()).filter(|value| !value.is_empty());
    SourceFacts { words, priority }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_is_the_lower_middle_value() {
        assert_eq!(median(&mut [5, 1, 3]), Some(3));
        assert_eq!(median(&mut [4, 1, 3, 2]), Some(2));
        assert_eq!(median::<i64>(&mut []), None);
    }

    #[test]
    fn share_rounds_down_to_one_decimal() {
        assert_eq!(share(2, 3), 66.6);
        assert_eq!(share(0, 0), 100.0);
        assert_eq!(share(5, 5), 100.0);
    }

    #[test]
    fn priority_ranks_high_first_and_low_last() {
        assert_eq!(priority_rank(Some("High")), 0);
        assert_eq!(priority_rank(Some("Priority")), 0);
        assert_eq!(priority_rank(None), 1);
        assert_eq!(priority_rank(Some("medium")), 1);
        assert_eq!(priority_rank(Some(" low ")), 2);
    }
}
