//! The trend: stale and missing copies per locale at past points of the
//! first-parent history (the first commit of each of the last months, and
//! HEAD), read from the trees of those commits in-process.
//!
//! A copy is judged at a past commit as `lint` judges it now, from what the
//! tree held then: its handoff hash against the source's hashes, else the
//! source at its named source commit against the source then, else (no
//! metadata) the source when the copy last changed against the source then.
//! Blobs are read once each, whatever the number of points, and only those
//! of files in the layout.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use gix::ObjectId;
use serde::Serialize;

use crate::document::{frontmatter, Document, SourceHashes};
use crate::history::History;
use crate::settings::Settings;

/// Months of trend by default.
pub const DEFAULT_MONTHS: usize = 12;

#[derive(Debug, Clone, Serialize)]
pub struct Trend {
    /// Oldest first; the last point is HEAD.
    pub points: Vec<TrendPoint>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TrendPoint {
    /// Full commit id.
    pub commit: String,
    /// Commit date, `YYYY-MM-DD` (UTC).
    pub date: String,
    /// Per expected locale, by tag.
    pub locales: BTreeMap<String, TrendCounts>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct TrendCounts {
    pub stale: usize,
    pub missing: usize,
}

/// The trend of the repository holding the lint root, or `None` when the
/// root is not in one (or it is a shallow clone: its past is not there).
/// `articles`: the keys of the articles the run checks when it was given
/// paths inside the root (`None`: the whole root); the points count those
/// and every file under a given folder, as `lint` selects them.
pub fn collect(
    settings: &Settings,
    expected: &[String],
    months: usize,
    articles: Option<std::collections::HashSet<String>>,
) -> Option<Trend> {
    let history =
        History::open(&settings.root, std::iter::empty(), settings.history.max_commits, settings.max_file_size).ok()?;
    let prefix = crate::discover::relative_path(history.workdir(), &settings.root);
    let repo = history.repository();
    let samples = samples(&repo, history.head()?, history.max_commits(), months);
    let mut reader = Reader::new(settings, &repo, history.max_file_size());
    reader.articles = articles;
    // Copies without handoff metadata are judged by when they last changed:
    // the version index of every file the points hold answers that.
    let index = settings.profile.hash_key.is_none().then(|| {
        let mut files = std::collections::BTreeSet::new();
        for sample in &samples {
            files.extend(reader.list(sample.commit, &prefix).into_iter().map(|file| file.repo_path));
        }
        let files = files.into_iter().map(|file| history.workdir().join(file));
        History::open(&settings.root, files, settings.history.max_commits, settings.max_file_size).ok()
    });
    let index = index.flatten();
    // One point's listing at a time: a large tree's twelve listings would
    // not all fit in memory comfortably.
    let points = samples
        .iter()
        .map(|sample| {
            let files = reader.list(sample.commit, &prefix);
            TrendPoint {
                commit: sample.commit.to_string(),
                date: day(sample.time),
                locales: reader.counts(&files, expected, index.as_ref(), sample.time),
            }
        })
        .collect();
    Some(Trend { points })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Sample {
    commit: ObjectId,
    time: i64,
}

/// The first commit of each of the last `months` calendar months (the
/// month of HEAD and those before it), then HEAD; oldest first. Months
/// without a commit have no point.
fn samples(repo: &gix::Repository, head: ObjectId, max_commits: usize, months: usize) -> Vec<Sample> {
    let mut firsts: BTreeMap<i64, Sample> = BTreeMap::new();
    let mut newest: Option<Sample> = None;
    let mut next = Some(head);
    let mut walked = 0;
    while let Some(id) = next {
        if walked == max_commits {
            break;
        }
        walked += 1;
        let Ok(commit) = repo.find_commit(id) else { break };
        let time = commit.time().map(|time| time.seconds).unwrap_or(0);
        let sample = Sample { commit: id, time };
        let head_month = month_index(newest.get_or_insert(sample).time);
        let month = month_index(time);
        if month + (months as i64) <= head_month {
            break;
        }
        // Walking back, the oldest commit of a month is seen last.
        firsts.insert(month, sample);
        next = commit.parent_ids().next().map(|parent| parent.detach());
    }
    let mut samples: Vec<Sample> = firsts.into_values().collect();
    samples.sort_by_key(|sample| sample.time);
    if let Some(head) = newest.filter(|head| !samples.contains(head)) {
        samples.push(head);
    }
    samples
}

/// A file of the layout in a past tree.
struct Listed {
    /// Root-relative.
    relative: String,
    repo_path: String,
    key: String,
    locale: String,
    blob: ObjectId,
}

/// What a copy's front matter says of its handoff.
#[derive(Clone, Default)]
struct HandoffMeta {
    hash: Option<String>,
    commit: Option<String>,
}

struct Reader<'a> {
    settings: &'a Settings,
    repo: &'a gix::Repository,
    max_file_size: u64,
    source_hashes: HashMap<ObjectId, Option<SourceHashes>>,
    copy_meta: HashMap<ObjectId, HandoffMeta>,
    /// The source's blob at a named commit.
    named: HashMap<(String, String), Option<ObjectId>>,
    /// See [`collect`].
    articles: Option<std::collections::HashSet<String>>,
}

impl<'a> Reader<'a> {
    fn new(settings: &'a Settings, repo: &'a gix::Repository, max_file_size: u64) -> Reader<'a> {
        Reader {
            settings,
            repo,
            max_file_size,
            source_hashes: HashMap::new(),
            copy_meta: HashMap::new(),
            named: HashMap::new(),
            articles: None,
        }
    }

    /// Whether the run's paths select the file at `relative`, of article `key`.
    fn selects(&self, relative: &str, key: &str) -> bool {
        let Some(articles) = &self.articles else { return true };
        articles.contains(key)
            || self
                .settings
                .targets
                .iter()
                .any(|target| relative.strip_prefix(target.as_str()).is_some_and(|rest| rest.starts_with('/')))
    }

    /// The files of the layout in the tree of `commit`, under the root's
    /// folder `prefix` (repository path, `""` for the top).
    fn list(&self, commit: ObjectId, prefix: &str) -> Vec<Listed> {
        let Ok(tree) = self.repo.find_commit(commit).and_then(|commit| commit.tree()) else {
            return Vec::new();
        };
        let start = if prefix.is_empty() {
            Some(tree.id)
        } else {
            tree.lookup_entry_by_path(prefix)
                .ok()
                .flatten()
                .filter(|entry| entry.mode().is_tree())
                .map(|entry| entry.object_id())
        };
        let mut out = Vec::new();
        if let Some(start) = start {
            let mut path = String::new();
            self.walk(start, &mut path, prefix, &mut out);
        }
        out
    }

    fn walk(&self, tree: ObjectId, path: &mut String, prefix: &str, out: &mut Vec<Listed>) {
        let Ok(tree) = self.repo.find_tree(tree) else { return };
        let Ok(decoded) = tree.decode() else { return };
        let entries: Vec<(String, bool, ObjectId)> = decoded
            .entries
            .iter()
            .filter(|entry| entry.mode.is_tree() || entry.mode.is_blob())
            .map(|entry| {
                (String::from_utf8_lossy(entry.filename).into_owned(), entry.mode.is_tree(), entry.oid.to_owned())
            })
            .collect();
        drop(decoded);
        drop(tree);
        let selection = crate::discover::Selection::of(self.settings);
        let base = path.len();
        for (name, is_tree, id) in entries {
            if base > 0 {
                path.push('/');
            }
            path.push_str(&name);
            if is_tree {
                self.walk(id, path, prefix, out);
            } else if selection.include.is_match(path.as_str()) && !selection.exclude.is_match(path.as_str()) {
                if let Some((locale, key)) = selection.layout.classify(path, selection.source_locale) {
                    let wanted = (locale == selection.source_locale
                        || selection.locales.is_empty()
                        || selection.locales.contains(&locale))
                        && self.selects(path, &key);
                    if wanted {
                        let repo_path =
                            if prefix.is_empty() { path.clone() } else { format!("{prefix}/{}", path.as_str()) };
                        out.push(Listed { relative: path.clone(), repo_path, key, locale, blob: id });
                    }
                }
            }
            path.truncate(base);
        }
    }

    fn counts(
        &mut self,
        files: &[Listed],
        expected: &[String],
        index: Option<&History>,
        time: i64,
    ) -> BTreeMap<String, TrendCounts> {
        let mut counts: BTreeMap<String, TrendCounts> =
            expected.iter().map(|locale| (locale.clone(), TrendCounts::default())).collect();
        let mut groups: BTreeMap<&str, (Option<&Listed>, Vec<&Listed>)> = BTreeMap::new();
        for file in files {
            let group = groups.entry(file.key.as_str()).or_default();
            if file.locale == self.settings.source_locale {
                group.0 = Some(file);
            } else {
                group.1.push(file);
            }
        }
        for (source, copies) in groups.values() {
            let Some(source) = source else { continue };
            for locale in expected {
                if !copies.iter().any(|copy| copy.locale == *locale) {
                    counts.entry(locale.clone()).or_default().missing += 1;
                }
            }
            for copy in copies {
                if !counts.contains_key(&copy.locale) {
                    continue;
                }
                if self.is_stale(source, copy, index, time) {
                    counts.entry(copy.locale.clone()).or_default().stale += 1;
                }
            }
        }
        counts
    }

    fn is_stale(&mut self, source: &Listed, copy: &Listed, index: Option<&History>, time: i64) -> bool {
        let meta = self.meta(copy);
        if let Some(hash) = &meta.hash {
            return match self.hashes(source.blob) {
                Some(hashes) => !hashes.matches(hash),
                None => false,
            };
        }
        if let Some(commit) = &meta.commit {
            return self.blob_at_named(commit, &source.repo_path).is_some_and(|then| then != source.blob);
        }
        if self.settings.profile.hash_key.is_some() {
            // The profile has metadata and the copy none: metadata-missing's.
            return false;
        }
        let Some(index) = index else { return false };
        // The source as it was when the copy last changed, against the
        // source at the point.
        let Some(copy_change) = index.version_at(&copy.repo_path, time).map(|version| version.time) else {
            return false;
        };
        let source_then = index.version_at(&source.repo_path, copy_change).and_then(|version| version.blob);
        source_then.is_some_and(|then| then != source.blob)
    }

    fn meta(&mut self, copy: &Listed) -> HandoffMeta {
        if let Some(meta) = self.copy_meta.get(&copy.blob) {
            return meta.clone();
        }
        let meta = self
            .read(copy.blob)
            .map(|bytes| {
                let text = String::from_utf8_lossy(&bytes);
                let (_, body_start) = frontmatter::parse(text.trim_start_matches('\u{feff}'));
                let front = text.get(..body_start + (text.len() - text.trim_start_matches('\u{feff}').len()));
                let document = Document::parse(
                    Path::new(&copy.relative),
                    copy.relative.clone(),
                    copy.locale.clone(),
                    front.unwrap_or_default().as_bytes(),
                );
                let value = |key: Option<&str>| {
                    key.and_then(|key| document.meta_path(key))
                        .map(|entry| entry.value.trim().to_string())
                        .filter(|value| !value.is_empty())
                };
                HandoffMeta {
                    hash: value(self.settings.profile.hash_key),
                    commit: value(self.settings.history.source_commit_key.as_deref()),
                }
            })
            .unwrap_or_default();
        self.copy_meta.insert(copy.blob, meta.clone());
        meta
    }

    fn hashes(&mut self, blob: ObjectId) -> Option<&SourceHashes> {
        if !self.source_hashes.contains_key(&blob) {
            let hashes = self.read(blob).map(|bytes| SourceHashes::of(&bytes));
            self.source_hashes.insert(blob, hashes);
        }
        self.source_hashes.get(&blob).and_then(Option::as_ref)
    }

    fn blob_at_named(&mut self, commit: &str, path: &str) -> Option<ObjectId> {
        let key = (commit.to_string(), path.to_string());
        if let Some(found) = self.named.get(&key) {
            return *found;
        }
        let found = ObjectId::from_hex(commit.trim().as_bytes())
            .ok()
            .and_then(|id| self.repo.find_commit(id).ok())
            .and_then(|commit| commit.tree().ok())
            .and_then(|tree| tree.lookup_entry_by_path(path).ok().flatten())
            .filter(|entry| entry.mode().is_blob())
            .map(|entry| entry.object_id());
        // None: `lint` says the handoff is unknown; the trend counts the
        // copy current.
        self.named.insert(key, found);
        found
    }

    /// A blob's bytes, unless it is over the size limit (checked on its
    /// header first: history is untrusted input like the tree).
    fn read(&self, blob: ObjectId) -> Option<Vec<u8>> {
        let header = self.repo.find_header(blob).ok()?;
        if header.size() > self.max_file_size {
            return None;
        }
        Some(self.repo.find_blob(blob).ok()?.data.clone())
    }
}

/// Months since year 0 of a commit time (UTC).
fn month_index(time: i64) -> i64 {
    let (year, month, _) = civil(time);
    year * 12 + i64::from(month) - 1
}

fn day(time: i64) -> String {
    let (year, month, day) = civil(time);
    format!("{year:04}-{month:02}-{day:02}")
}

/// Year, month and day (UTC) of seconds since the epoch (Howard Hinnant's
/// `civil_from_days`).
fn civil(time: i64) -> (i64, u32, u32) {
    let days = time.div_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates_match_known_days() {
        assert_eq!(civil(0), (1970, 1, 1));
        assert_eq!(day(1_709_164_800), "2024-02-29");
        assert_eq!(day(1_735_689_599), "2024-12-31");
        assert_eq!(month_index(1_735_689_600) - month_index(1_735_689_599), 1);
    }
}
