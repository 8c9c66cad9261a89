//! The one place loclint reads git history. A copy is translated from one
//! version of its source ("the handoff"); this module finds that version, so
//! that rules compare a copy with what it was translated from and staleness
//! can say what changed in the source since.
//!
//! Git objects are read in-process with gix: no `git` process runs, and no
//! hook, filter or fsmonitor setting of any repository is ever executed. Only
//! a repository reached through a `.git` entry is opened (git never lets a
//! tree's content contain one), so a bare-repository-shaped folder planted in
//! a pull request is never taken for history; system, global and environment
//! configuration are not read.

mod index;

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use gix::ObjectId;

pub use index::Version;
use index::{VersionIndex, Wanted};

use crate::document::{Document, SourceHashes};

/// How far back the version index reads first-parent history by default.
pub const DEFAULT_MAX_COMMITS: usize = 20_000;

/// Lunaria's default `ignoredKeywords`: a commit whose message has one
/// needs no translation, so it neither dates a copy's translation nor makes
/// a copy stale (Astro's docs and every Lunaria project mark commits so).
pub const LUNARIA_IGNORED_KEYWORDS: [&str; 6] =
    ["lunaria-ignore", "typo", "en-only", "broken link", "i18nReady", "i18nIgnore"];

/// What a run knows about each copy's handoff, computed before the rules
/// run (same order as the group's copies).
#[derive(Debug)]
pub enum Handoff {
    /// Nothing says the copy is behind its source.
    Current,
    /// The copy was translated from another version of its source.
    Stale(Stale),
    /// Its front matter names a source commit, but history cannot say
    /// whether that is the current source: why.
    Unknown(String),
}

impl Handoff {
    /// The source version a stale copy was translated from, when known.
    pub fn found(&self) -> Option<&Found> {
        match self {
            Handoff::Stale(Stale { found: Some(found), .. }) => Some(found),
            _ => None,
        }
    }
}

#[derive(Debug)]
pub struct Stale {
    /// The source version it was translated from, when history has it.
    pub found: Option<Box<Found>>,
    /// Why history could not give that version (said on the finding).
    pub unknown: Option<String>,
}

/// The source version a copy was translated from.
#[derive(Debug)]
pub struct Found {
    /// That version, parsed like any source; shared by the copies of the
    /// group translated from it.
    pub source: Arc<Document>,
    /// Full hex id of the source commit of the handoff.
    pub commit: String,
    /// Commit time of the handoff commit (seconds since the epoch).
    pub time: i64,
    pub how: FoundBy,
    /// How far the source moved since, when the index reaches back to it.
    pub behind: Option<Behind>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FoundBy {
    /// The copy's source-commit key named the commit.
    SourceCommit,
    /// The copy's hash matched a version in the source's history.
    HashSearch,
    /// No metadata: the source as it was when the copy last changed.
    CopyCommit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Behind {
    /// Commits (first-parent) that changed the source since the handoff.
    pub commits: usize,
    /// Commit time of the newest of them.
    pub last_change: Option<i64>,
}

/// What became of a file that no longer exists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fate {
    /// Full hex id of the commit of the last event: the rename to the name
    /// it has now, or the deletion.
    pub commit: String,
    pub time: i64,
    pub outcome: Outcome,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// It exists under this name now (`/`-separated, relative to the lint
    /// root when under it).
    Renamed(String),
    /// It was deleted; `renamed`: the last name it had, when renamed first.
    Deleted { renamed: Option<String> },
}

/// Why there is no history for this run: said once, in the run's notes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unavailable(pub String);

pub struct History {
    repo: gix::ThreadSafeRepository,
    /// The work tree, canonical: files map to repository paths from it.
    workdir: PathBuf,
    head: Option<ObjectId>,
    max_commits: usize,
    /// Versions larger than this are not read (the run's file size limit).
    max_file_size: u64,
    /// The files whose history the index records (repository paths).
    wanted: Wanted,
    index: OnceLock<VersionIndex>,
    /// What became of each tracked file history shows deleted, by
    /// repository path; computed once, for all of them.
    fates: OnceLock<rustc_hash::FxHashMap<String, Fate>>,
    /// The copies of the run (canonical paths): when neither a copy nor its
    /// source carries handoff metadata, the copy's last change dates its
    /// handoff.
    copies: Vec<PathBuf>,
    /// The copies' histories, one per repository holding copies (this one
    /// or others, as in the `roots` layout); opened on first use.
    copy_histories: OnceLock<Vec<History>>,
    /// Commit message words that mark a commit as needing no translation,
    /// lower-cased.
    ignored_keywords: Vec<String>,
}

impl std::fmt::Debug for History {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("History").field("workdir", &self.workdir).field("head", &self.head).finish()
    }
}

impl History {
    /// Opens the repository whose work tree holds `folder` (the nearest
    /// ancestor with a `.git` entry). `files` are the files whose history
    /// matters (the sources, and copies without metadata), given under a
    /// canonical root.
    pub fn open(
        folder: &Path,
        files: impl IntoIterator<Item = PathBuf>,
        max_commits: usize,
        max_file_size: u64,
    ) -> Result<History, Unavailable> {
        let start = existing_ancestor(folder)
            .and_then(|path| path.canonicalize().ok())
            .ok_or_else(|| Unavailable("the source folder does not exist".into()))?;
        let workdir = start
            .ancestors()
            .find(|dir| dir.join(".git").exists())
            .ok_or_else(|| Unavailable("the sources are not in a git repository".into()))?
            .to_path_buf();
        let options = gix::open::Options::isolated().open_path_as_is(true);
        let repo = gix::ThreadSafeRepository::open_opts(workdir.join(".git"), options).map_err(|error| {
            Unavailable(format!("cannot open the git repository at {}: {error}", workdir.display()))
        })?;
        let local = repo.to_thread_local();
        if local.is_shallow().unwrap_or(false) {
            return Err(Unavailable("the source repository is a shallow clone".into()));
        }
        let head = local.head_id().ok().map(|id| id.detach());
        let wanted = Wanted::new(files.into_iter().filter_map(|file| repo_path_in(&workdir, &file)));
        Ok(History {
            repo,
            workdir,
            head,
            max_commits,
            max_file_size,
            wanted,
            index: OnceLock::new(),
            fates: OnceLock::new(),
            copies: Vec::new(),
            copy_histories: OnceLock::new(),
            ignored_keywords: Vec::new(),
        })
    }

    /// The copies of the run, for pairs whose handoff only the copy's last
    /// change can date.
    pub fn with_copies(mut self, copies: Vec<PathBuf>) -> History {
        self.copies = copies;
        self
    }

    /// Commit message words that mark a commit as needing no translation
    /// (see [`History::translates`]).
    pub fn with_ignored_keywords(mut self, keywords: &[String]) -> History {
        self.ignored_keywords = keywords.iter().map(|keyword| keyword.to_lowercase()).collect();
        self
    }

    /// Whether `commit` counts as a change of `path` for translation, as
    /// Lunaria reads commit messages: not when the subject has one of the
    /// ignored keywords (`[i18nIgnore]`, `typo`), the message names other files only
    /// (`@lunaria-track:a.md;b.md`), or names this one to ignore
    /// (`@lunaria-ignore:…`).
    fn translates(&self, repo: &gix::Repository, commit: ObjectId, path: &str) -> bool {
        /// A message is read this far: directives sit in the first lines.
        const MESSAGE_READ: usize = 16 * 1024;
        let Ok(found) = repo.find_commit(commit) else { return true };
        let Ok(message) = found.message_raw() else { return true };
        let message = String::from_utf8_lossy(&message[..message.len().min(MESSAGE_READ)]).to_lowercase();
        // The subject only, as Lunaria reads it: a squashed merge lists its
        // commits in the body (`* typo`), and one small fix among them does
        // not make the whole change untranslatable.
        let subject = message.lines().next().unwrap_or_default();
        if self.ignored_keywords.iter().any(|keyword| subject.contains(keyword.as_str())) {
            return false;
        }
        let path = path.to_lowercase();
        let listed = |directive: &str| -> Option<bool> {
            let line = message.lines().find_map(|line| line.trim().strip_prefix(directive))?;
            Some(line.split(';').any(|listed| listed.trim() == path))
        };
        listed("@lunaria-ignore:") != Some(true) && listed("@lunaria-track:") != Some(false)
    }

    /// Whether every change of the source since its version `handoff` (a
    /// blob) needs no translation ([`History::translates`]): the changes
    /// since are the versions newer than the newest with that blob. A copy
    /// dated by its commit is then as current as the source's text requires.
    pub fn only_untranslated_changes_since(&self, source_path: &str, handoff: ObjectId) -> bool {
        let repo = self.thread_local();
        let versions = self.index().versions(source_path);
        let Some(at) = versions.iter().position(|version| version.blob == Some(handoff)) else {
            return false;
        };
        at > 0 && versions[..at].iter().all(|version| !self.translates(&repo, version.commit, source_path))
    }

    /// The repository path of a file in the work tree, `/`-separated. The
    /// file is named under the canonical lint root, and the walk follows no
    /// link, so no system call is needed.
    pub fn repo_path(&self, file: &Path) -> Option<String> {
        repo_path_in(&self.workdir, file)
    }

    /// The version a copy was translated from, given what its front matter
    /// says: the source commit, the source hash, or both.
    pub fn find(&self, source_path: &str, commit: Option<&str>, hash: Option<&str>) -> Result<Located, String> {
        let repo = self.thread_local();
        let mut at_commit = None;
        if let Some(commit) = commit {
            match self.blob_at_named(&repo, commit, source_path) {
                Ok(located) if hash.is_none_or(|hash| SourceHashes::of(&located.bytes).matches(hash)) => {
                    return Ok(located)
                }
                Ok(_) => at_commit = Some(format!("the source at `{}` does not have the copy's hash", short(commit))),
                Err(why) => at_commit = Some(why),
            }
        }
        let Some(hash) = hash else {
            return Err(at_commit.unwrap_or_else(|| "the copy names no source commit".into()));
        };
        self.search(&repo, source_path, hash).ok_or_else(|| {
            let searched = self.index().versions(source_path).len();
            let versions = crate::rules::count(searched, "version");
            match at_commit {
                Some(problem) => format!("{problem}, and none of the {versions} of the source in history has it"),
                None => format!("none of the {versions} of the source in history has the copy's hash"),
            }
        })
    }

    /// Copies without handoff metadata: the source as it was at the last
    /// commit that changed the copy (what Lunaria does). `None` when the
    /// copy has no history (never committed).
    pub fn at_copy_commit(&self, source_path: &str, copy_path: &str) -> Option<Result<Located, String>> {
        let repo = self.thread_local();
        // Read within the size limit, as every version is.
        let source_body = |version: &Version| {
            let (_, bytes) = self.blob_at_any_name(&repo, version.commit, source_path).ok()?;
            Some(body_without_line_endings(&bytes))
        };
        let last = self.last_translated(copy_path, source_body)?;
        // The branch's commit, when the source is there under a name known.
        let made = self.made_on_branch(&repo, last, copy_path);
        let last = if self.blob_at_any_name(&repo, made.commit, source_path).is_ok() { &made } else { last };
        Some(self.blob_at_any_name(&repo, last.commit, source_path).map(|(blob, bytes)| Located {
            commit: last.commit,
            time: last.time,
            blob,
            bytes,
            how: FoundBy::CopyCommit,
        }))
    }

    /// Pairs without metadata in either file (a table of contents the
    /// pipeline does not track): the source as it was when the copy last
    /// changed, by date, since the copy may be in another repository.
    ///
    /// `None` when the copy has no history; an error when the source's
    /// history starts after the copy's last change (a source repository
    /// re-created or forked since), so that no version is known to be the
    /// one the copy was made from.
    pub fn at_copy_date(&self, source_path: &str, copy_file: &Path) -> Option<Result<Located, String>> {
        let source_body = |version: &Version| {
            let blob = self.version_at(source_path, version.time)?.blob?;
            self.body_of(&self.thread_local(), blob)
        };
        let histories = self.copy_histories.get_or_init(|| self.open_copy_histories());
        let changed = histories.iter().find_map(|history| {
            let path = history.repo_path(copy_file)?;
            let version = history.last_translated(&path, source_body)?;
            Some(history.made_on_branch(&history.thread_local(), version, &path).time)
        })?;
        let Some(version) = self.version_at(source_path, changed) else {
            let first = self.index().versions(source_path).last().map(|version| version.time)?;
            return Some(Err(format!(
                "the source's history starts on {}, after the copy's last change on {}",
                day(first),
                day(changed)
            )));
        };
        let blob = version.blob?;
        let repo = self.thread_local();
        if !self.within_size_limit(&repo, blob) {
            return None;
        }
        let bytes = repo.find_blob(blob).ok()?.data.clone();
        Some(Ok(Located { commit: version.commit, time: version.time, blob, bytes, how: FoundBy::CopyCommit }))
    }

    /// Pairs without metadata in either file, when the copy's last commit
    /// also changed copies that name their source commit under `key`, all
    /// the same one: the pipeline commits a handoff's files together, so
    /// that commit is this file's handoff too (a table of contents
    /// committed days after the source changed again is not compared with
    /// that later source). `None` when no such sibling says, or the source
    /// has no such commit: the copy is then dated by its last change.
    pub fn at_siblings_handoff(&self, source_path: &str, copy_file: &Path, key: &str) -> Option<Located> {
        let histories = self.copy_histories.get_or_init(|| self.open_copy_histories());
        let commit = histories.iter().find_map(|history| {
            let copy_path = history.repo_path(copy_file)?;
            history.siblings_source_commit(&copy_path, key)
        })?;
        self.find(source_path, Some(&commit), None).ok()
    }

    /// The source commit that the other copies changed by the last commit
    /// of `copy_path` name under `key`, when the first few that name one
    /// agree.
    fn siblings_source_commit(&self, copy_path: &str, key: &str) -> Option<String> {
        /// Enough to see that a handoff's files agree; a commit that
        /// changed thousands of files is not read through.
        const SIBLINGS_READ: usize = 16;
        const CHANGES_LISTED: usize = 256;
        let last = self.index().versions(copy_path).first()?;
        let repo = self.thread_local();
        let mut named = index::changed_by(&repo, last.commit, CHANGES_LISTED)
            .into_iter()
            .filter(|(path, _)| path != copy_path && path.ends_with(".md"))
            .take(SIBLINGS_READ)
            .filter(|(_, blob)| self.within_size_limit(&repo, *blob))
            .filter_map(|(_, blob)| front_matter_value(&repo.find_blob(blob).ok()?.data, key));
        let first = named.next()?;
        named.all(|other| other == first).then_some(first)
    }

    /// Said of a copy whose handoff history cannot tell, when the copy
    /// changed after the source repository's newest commit: the source it
    /// was translated from may be newer than any this repository has (a
    /// public mirror that lags the repository the pipeline translates).
    fn copy_newer_than_repository(&self, copy_file: &Path) -> Option<String> {
        let changed = self.copy_last_change(copy_file)?;
        let newest = self.thread_local().find_commit(self.head?).ok()?.time().ok()?.seconds;
        (changed > newest).then(|| {
            format!(
                "the copy last changed on {}, after the source repository's newest commit ({}): it may come from \
                 a newer source than this repository has",
                day(changed),
                day(newest)
            )
        })
    }

    /// Commit time of the last change of a copy, in whichever repository
    /// holds it.
    fn copy_last_change(&self, copy_file: &Path) -> Option<i64> {
        let histories = self.copy_histories.get_or_init(|| self.open_copy_histories());
        histories.iter().find_map(|history| {
            let path = history.repo_path(copy_file)?;
            history.index().versions(&path).first().map(|version| version.time)
        })
    }

    /// The copy's last change of its text, for a copy that does not say
    /// which version it was translated from: its newest version, or the
    /// oldest of the versions before it that only renamed the copy, changed
    /// its front matter or line endings, or patched it (see [`patched`]),
    /// when the source's text
    /// (`source_body`, at a version of the copy) differs between the two.
    /// Such commits are the site's upkeep (a key added to every page, a
    /// locale's folder renamed), not a translation of the newer source.
    /// Where the source's text did not change, the newest version is as
    /// good and keeps the front matter the pipeline synchronized. Reads at
    /// most a few versions back; `None` when history never changed the copy.
    fn last_translated(&self, copy_path: &str, source_body: impl Fn(&Version) -> Option<Vec<u8>>) -> Option<&Version> {
        /// Upkeep commits in a row are few; a long run of them is not read
        /// through.
        const UPKEEP_READ: usize = 8;
        let repo = self.thread_local();
        let versions = self.index().versions(copy_path);
        let newest = versions.first()?;
        let mut translated = newest;
        for (newer, older) in versions.iter().zip(versions.iter().skip(1)).take(UPKEEP_READ) {
            let (Some(newer_blob), Some(older_blob)) = (newer.blob, older.blob) else {
                break;
            };
            let upkeep = newer_blob == older_blob
                || !self.translates(&repo, newer.commit, copy_path)
                || match (self.body_of(&repo, newer_blob), self.body_of(&repo, older_blob)) {
                    (Some(newer_body), Some(older_body)) => {
                        newer_body == older_body
                            || patched(&older_body, &newer_body, || Some((source_body(older)?, source_body(newer)?)))
                    }
                    _ => false,
                };
            if !upkeep {
                break;
            }
            translated = older;
        }
        if std::ptr::eq(translated, newest) {
            return Some(newest);
        }
        // Back only to a version whose source is known, and was another text.
        match (source_body(newest), source_body(translated)) {
            (Some(today), Some(then)) if today != then => Some(translated),
            _ => Some(newest),
        }
    }

    /// The commit that gave `path` the blob of `version`, when `version` is
    /// a merge that brought that blob from a branch: a copy translated on a
    /// branch (`dev-ja`, a pull request's) and merged later changed, in
    /// first-parent history, at the merge, whose tree has every source
    /// change the main line made meanwhile; the translator saw the source
    /// of the branch's commit. `version` itself when it is no merge, or its
    /// blob is no parent's but the main line's or the merge's own.
    fn made_on_branch(&self, repo: &gix::Repository, version: &Version, path: &str) -> Version {
        /// Commits read back along branches, in all.
        const BRANCH_READ: usize = 512;
        let blob_at = |commit: ObjectId| -> Option<ObjectId> {
            let tree = repo.find_commit(commit).ok()?.tree().ok()?;
            Some(tree.lookup_entry_by_path(path).ok()??.object_id())
        };
        let parents = |commit: ObjectId| -> Vec<ObjectId> {
            repo.find_commit(commit)
                .map(|commit| commit.parent_ids().map(|id| id.detach()).collect())
                .unwrap_or_default()
        };
        let Some(blob) = version.blob else { return *version };
        let mut made = version.commit;
        // Down each merge that brought the blob (a fork's pull request merged
        // into `dev-de`, merged into main), then back along that branch to
        // the commit that changed it.
        for _ in 0..BRANCH_READ {
            let parents = parents(made);
            match parents.first() {
                Some(&first) if blob_at(first) == Some(blob) => made = first,
                _ => match parents.iter().skip(1).copied().find(|&parent| blob_at(parent) == Some(blob)) {
                    Some(merged) => made = merged,
                    None => break,
                },
            }
        }
        if made == version.commit {
            return *version;
        }
        let time =
            repo.find_commit(made).ok().and_then(|commit| commit.time().ok()).map_or(version.time, |time| time.seconds);
        Version { commit: made, time, blob: Some(blob) }
    }

    /// A version's [`body_without_line_endings`], when within the size limit.
    fn body_of(&self, repo: &gix::Repository, blob: ObjectId) -> Option<Vec<u8>> {
        if !self.within_size_limit(repo, blob) {
            return None;
        }
        Some(body_without_line_endings(&repo.find_blob(blob).ok()?.data))
    }

    /// One history per repository holding copies, each indexing only its
    /// copies; a repository that cannot be opened (none, shallow) is left
    /// out, and its copies keep today's comparison.
    fn open_copy_histories(&self) -> Vec<History> {
        /// More repositories than locales would be a strange tree.
        const MAX_REPOSITORIES: usize = 256;
        let mut by_workdir: Vec<(PathBuf, Vec<PathBuf>)> = Vec::new();
        for copy in &self.copies {
            let Some(workdir) = copy.ancestors().skip(1).find(|dir| dir.join(".git").exists()) else { continue };
            match by_workdir.iter().position(|(known, _)| known == workdir) {
                Some(at) => by_workdir[at].1.push(copy.clone()),
                None if by_workdir.len() < MAX_REPOSITORIES => {
                    by_workdir.push((workdir.to_path_buf(), vec![copy.clone()]))
                }
                None => {}
            }
        }
        by_workdir
            .into_iter()
            .filter_map(|(workdir, files)| History::open(&workdir, files, self.max_commits, self.max_file_size).ok())
            .map(|history| History { ignored_keywords: self.ignored_keywords.clone(), ..history })
            .collect()
    }

    /// How many commits changed the source since the version `blob`.
    pub fn behind(&self, source_path: &str, blob: ObjectId) -> Option<Behind> {
        let versions = self.index().versions(source_path);
        let position = versions.iter().position(|version| version.blob == Some(blob))?;
        Some(Behind { commits: position, last_change: versions.first().filter(|_| position > 0).map(|v| v.time) })
    }

    /// The last change of `path` at or before `time` (commit time), from
    /// the version index: the state of the file at a past point, for
    /// `loclint status`'s trend.
    pub fn version_at(&self, path: &str, time: i64) -> Option<Version> {
        self.index().versions(path).iter().find(|version| version.time <= time).copied()
    }

    /// The repository as this module opened it (isolated configuration,
    /// through a `.git` entry), for readers of past trees.
    pub fn repository(&self) -> gix::Repository {
        self.thread_local()
    }

    pub fn head(&self) -> Option<ObjectId> {
        self.head
    }

    /// The work tree, canonical.
    pub fn workdir(&self) -> &Path {
        &self.workdir
    }

    /// Versions over the run's file size limit are not read.
    pub fn max_file_size(&self) -> u64 {
        self.max_file_size
    }

    /// First-parent commits read back from HEAD.
    pub fn max_commits(&self) -> usize {
        self.max_commits
    }

    /// When history shows `file` deleted by its last change: that commit,
    /// or, when it was renamed (and perhaps renamed again), the name it
    /// has now or the commit that deleted it under a later name. Names are
    /// relative to `root` (the lint root) when under it.
    pub fn fate(&self, file: &Path, root: &Path) -> Option<Fate> {
        let path = self.repo_path(file)?;
        let mut fate = self.fates.get_or_init(|| self.follow_lost_files()).get(&path)?.clone();
        let shown = |renamed: &mut String| {
            if let Ok(relative) = self.workdir.join(&*renamed).strip_prefix(root) {
                *renamed = slash_path(relative);
            }
        };
        match &mut fate.outcome {
            Outcome::Renamed(name) | Outcome::Deleted { renamed: Some(name) } => shown(name),
            Outcome::Deleted { renamed: None } => {}
        }
        Some(fate)
    }

    /// Every tracked file whose last change deleted it, followed through
    /// renames to the name it has at `HEAD` or to its deletion. A rename
    /// target that no longer exists is followed with one more walk over
    /// all such targets at once, a few renames deep.
    fn follow_lost_files(&self) -> rustc_hash::FxHashMap<String, Fate> {
        /// Renames in a row followed before giving up on the chain.
        const MAX_RENAMES: usize = 4;
        let repo = self.thread_local();
        let head_tree = self.head.and_then(|head| repo.find_commit(head).ok()?.tree().ok());
        let exists_now = |path: &str| {
            head_tree.as_ref().is_some_and(|tree| tree.lookup_entry_by_path(path).ok().flatten().is_some())
        };
        let mut fates = rustc_hash::FxHashMap::default();
        // Lost file → the name it was last renamed to, not yet followed.
        let mut pending: Vec<(String, String)> = Vec::new();
        let index = self.index();
        for (path, versions) in index.files() {
            let Some(last) = versions.first().filter(|version| version.blob.is_none()) else { continue };
            let commit = last.commit.to_string();
            let outcome = match index.renamed_to(path) {
                Some(renamed) if exists_now(renamed) => Outcome::Renamed(renamed.to_string()),
                Some(renamed) => {
                    pending.push((path.to_string(), renamed.to_string()));
                    Outcome::Deleted { renamed: Some(renamed.to_string()) }
                }
                None => Outcome::Deleted { renamed: None },
            };
            fates.insert(path.to_string(), Fate { commit, time: last.time, outcome });
        }
        for _ in 0..MAX_RENAMES {
            if pending.is_empty() {
                break;
            }
            let wanted = Wanted::new(pending.iter().map(|(_, renamed)| renamed.clone()));
            let later = VersionIndex::build(&repo, self.head, &wanted, self.max_commits);
            let mut next = Vec::new();
            for (lost, renamed) in pending {
                // Outside the walk: what the first rename said stands.
                let Some(last) = later.versions(&renamed).first().filter(|version| version.blob.is_none()) else {
                    continue;
                };
                let outcome = match later.renamed_to(&renamed) {
                    Some(again) if exists_now(again) => Outcome::Renamed(again.to_string()),
                    Some(again) => {
                        next.push((lost.clone(), again.to_string()));
                        Outcome::Deleted { renamed: Some(again.to_string()) }
                    }
                    None => Outcome::Deleted { renamed: Some(renamed) },
                };
                fates.insert(lost, Fate { commit: last.commit.to_string(), time: last.time, outcome });
            }
            pending = next;
        }
        fates
    }

    fn index(&self) -> &VersionIndex {
        self.index.get_or_init(|| {
            let repo = self.thread_local();
            VersionIndex::build(&repo, self.head, &self.wanted, self.max_commits)
        })
    }

    fn thread_local(&self) -> gix::Repository {
        let mut repo = self.repo.to_thread_local();
        repo.object_cache_size_if_unset(4 * 1024 * 1024);
        repo
    }

    fn search(&self, repo: &gix::Repository, source_path: &str, hash: &str) -> Option<Located> {
        for version in self.index().versions(source_path) {
            let Some(blob) = version.blob else { continue };
            if !self.within_size_limit(repo, blob) {
                continue;
            }
            let Ok(object) = repo.find_blob(blob) else { continue };
            if SourceHashes::of(&object.data).matches(hash) {
                return Some(Located {
                    commit: version.commit,
                    time: version.time,
                    blob,
                    bytes: object.data.clone(),
                    how: FoundBy::HashSearch,
                });
            }
        }
        None
    }

    fn blob_at_named(&self, repo: &gix::Repository, commit: &str, path: &str) -> Result<Located, String> {
        let id = ObjectId::from_hex(commit.trim().as_bytes())
            .map_err(|_| format!("the source commit `{}` is not a full commit id", commit.trim()))?;
        let time = repo
            .find_commit(id)
            .map_err(|_| format!("the source repository has no commit `{}`", short(commit)))?
            .time()
            .map(|time| time.seconds)
            .unwrap_or(0);
        let (blob, bytes) = self.blob_at_any_name(repo, id, path)?;
        Ok(Located { commit: id, time, blob, bytes, how: FoundBy::SourceCommit })
    }

    /// The file at `commit` under its name then or, when it was renamed
    /// since, under one of its former names.
    fn blob_at_any_name(
        &self,
        repo: &gix::Repository,
        commit: ObjectId,
        path: &str,
    ) -> Result<(ObjectId, Vec<u8>), String> {
        let first = match self.blob_at(repo, commit, path) {
            Ok(found) => return Ok(found),
            Err(why) => why,
        };
        self.index().former_names(path).iter().find_map(|former| self.blob_at(repo, commit, former).ok()).ok_or(first)
    }

    /// Read before the object is: a version in history is untrusted input
    /// like any file of the tree.
    fn within_size_limit(&self, repo: &gix::Repository, blob: ObjectId) -> bool {
        repo.find_header(blob).is_ok_and(|header| header.size() <= self.max_file_size)
    }

    fn blob_at(&self, repo: &gix::Repository, commit: ObjectId, path: &str) -> Result<(ObjectId, Vec<u8>), String> {
        let missing = || format!("the source commit `{}` has no file `{path}`", short(&commit.to_string()));
        let tree = repo
            .find_commit(commit)
            .and_then(|commit| commit.tree())
            .map_err(|error| format!("cannot read commit `{}`: {error}", short(&commit.to_string())))?;
        let entry = tree.lookup_entry_by_path(path).map_err(|_| missing())?.ok_or_else(missing)?;
        if !entry.mode().is_blob() {
            return Err(missing());
        }
        let id = entry.object_id();
        if !self.within_size_limit(repo, id) {
            return Err(format!("`{path}` at `{}` is over the file size limit", short(&commit.to_string())));
        }
        let blob = repo.find_blob(id).map_err(|error| format!("cannot read `{path}`: {error}"))?;
        Ok((id, blob.data.clone()))
    }
}

/// A source version found in history, before it is parsed.
#[derive(Debug)]
pub struct Located {
    pub commit: ObjectId,
    pub time: i64,
    pub blob: ObjectId,
    pub bytes: Vec<u8>,
    pub how: FoundBy,
}

/// The value of the top-level key `key` in the YAML front matter at the
/// start of `text` (`key: value`, quotes aside), read line by line: enough
/// for the flat keys a pipeline stamps.
fn front_matter_value(text: &[u8], key: &str) -> Option<String> {
    let text = std::str::from_utf8(text).ok()?;
    let mut lines = text.strip_prefix('\u{feff}').unwrap_or(text).lines();
    if lines.next()?.trim_end() != "---" {
        return None;
    }
    lines.take_while(|line| line.trim_end() != "---").find_map(|line| {
        let value = line.strip_prefix(key)?.strip_prefix(':')?.trim();
        let value = value.trim_matches(|c| c == '"' || c == '\'');
        (!value.is_empty()).then(|| value.to_string())
    })
}

/// A commit time as its day, `2024-06-01`.
fn day(time: i64) -> String {
    gix::date::Time::new(time, 0).format_or_unix(gix::date::time::format::SHORT)
}

/// The first seven characters of a commit id, as git shows them.
pub fn short(commit: &str) -> &str {
    let commit = commit.trim();
    commit.get(..7).unwrap_or(commit)
}

fn repo_path_in(workdir: &Path, file: &Path) -> Option<String> {
    Some(slash_path(file.strip_prefix(workdir).ok()?)).filter(|path| !path.is_empty())
}

fn existing_ancestor(path: &Path) -> Option<&Path> {
    path.ancestors().find(|dir| dir.exists())
}

fn slash_path(path: &Path) -> String {
    path.components().filter_map(|part| part.as_os_str().to_str()).collect::<Vec<_>>().join("/")
}

/// What front matter names the handoff, per the profile and the config.
#[derive(Debug, Clone, Copy, Default)]
pub struct HandoffKeys<'a> {
    /// SHA-1 of the source that was translated (`ms.openlocfilehash`).
    pub hash: Option<&'a str>,
    /// Commit of the source that was translated (`ms.sourcegitcommit`,
    /// MDN's `l10n.sourceCommit`).
    pub commit: Option<&'a str>,
}

impl History {
    /// Decides whether `copy` is behind `source` and, if history allows,
    /// which source version it was translated from. `source_file` and
    /// `copy_file` are where the two are on disk; `parsed` holds the
    /// versions of this source already parsed for the group's other copies
    /// (most locales of an article share a handoff).
    pub fn resolve(
        history: Option<&History>,
        keys: HandoffKeys<'_>,
        source: (&Document, &Path),
        copy: (&Document, &Path),
        parsed: &mut Vec<(ObjectId, Arc<Document>)>,
    ) -> Handoff {
        let ((source, source_file), (copy, copy_file)) = (source, copy);
        if !source.is_checked() || !copy.is_checked() {
            return Handoff::Current;
        }
        let value = |key: Option<&str>| {
            key.and_then(|key| copy.meta_path(key))
                .map(|entry| entry.value.trim().to_string())
                .filter(|value| !value.is_empty())
        };
        let (hash, commit) = (value(keys.hash), value(keys.commit));
        let (hash, commit) = (hash.as_deref(), commit.as_deref());
        if hash.is_some_and(|hash| source.hashes.matches(hash)) {
            return Handoff::Current;
        }
        let located = match (history, history.and_then(|history| history.repo_path(source_file))) {
            (Some(history), Some(source_path)) => {
                let located = match (hash, commit) {
                    (None, None) if keys.hash.is_none() => {
                        let copy_path = history.repo_path(copy_file);
                        match copy_path.and_then(|copy_path| history.at_copy_commit(&source_path, &copy_path)) {
                            Some(located) => located,
                            // Never committed: a new translation of today's source.
                            None => return Handoff::Current,
                        }
                    }
                    // A copy without handoff metadata whose source has it:
                    // metadata-missing says so.
                    (None, None) if keys.hash.is_some_and(|key| source.meta(key).is_some()) => return Handoff::Current,
                    // Neither carries it: a file the pipeline does not
                    // track (a table of contents), dated by the copies
                    // committed with it, else by its last change.
                    (None, None) => match keys
                        .commit
                        .and_then(|key| history.at_siblings_handoff(&source_path, copy_file, key))
                        .map(Ok)
                        .or_else(|| history.at_copy_date(&source_path, copy_file))
                    {
                        Some(located) => located,
                        None => return Handoff::Current,
                    },
                    (hash, commit) => history.find(&source_path, commit, hash),
                };
                located.map(|located| (history, source_path, located))
            }
            _ if hash.is_some() => return Handoff::Stale(Stale { found: None, unknown: None }),
            _ => return Handoff::Current,
        };
        match located {
            Ok((history, source_path, located)) => {
                if hash.is_none() && SourceHashes::of(&located.bytes).raw() == source.hashes.raw() {
                    return Handoff::Current;
                }
                // Dated by the copy's commit, and every change of the source
                // since was marked as needing no translation.
                if located.how == FoundBy::CopyCommit
                    && history.only_untranslated_changes_since(&source_path, located.blob)
                {
                    return Handoff::Current;
                }
                let version = match parsed.iter().find(|(blob, _)| *blob == located.blob) {
                    Some((_, version)) => version.clone(),
                    None => {
                        let display = format!("{}@{}", source.display_path(), short(&located.commit.to_string()));
                        let version =
                            Arc::new(Document::parse(source_file, display, source.locale.clone(), &located.bytes));
                        parsed.push((located.blob, version.clone()));
                        version
                    }
                };
                let behind = history.behind(&source_path, located.blob);
                Handoff::Stale(Stale {
                    found: Some(Box::new(Found {
                        source: version,
                        commit: located.commit.to_string(),
                        time: located.time,
                        how: located.how,
                        behind,
                    })),
                    unknown: None,
                })
            }
            // With a hash that differs, the copy is stale for sure; without
            // one, nothing says so.
            Err(why) if hash.is_some() => Handoff::Stale(Stale { found: None, unknown: Some(why) }),
            Err(why) => match history.and_then(|history| history.copy_newer_than_repository(copy_file)) {
                Some(newer) => Handoff::Unknown(format!("{why}; {newer}")),
                None => Handoff::Unknown(why),
            },
        }
    }
}

/// A file's text after its front matter, with `\r\n` read as `\n`: what a
/// translator changes, as opposed to the site's upkeep.
/// Whether a copy's change from `older` to `newer` is a patch, not a
/// translation: it changed under a quarter of the lines by which its source
/// moved between the two versions (`sources`, then and now). A maintainer's
/// commit that bumps a version, mends a link or re-indents a sample in
/// every locale, often with the source in the same commit, leaves a copy
/// translated from a source hundreds of lines older: dated by that commit,
/// every change since its translation was read as the translator's error
/// (biome's site: 190 of 271 errors). A translation of the source's change
/// changes about as many lines as the change itself.
fn patched(older: &[u8], newer: &[u8], sources: impl FnOnce() -> Option<(Vec<u8>, Vec<u8>)>) -> bool {
    let edited = lines_changed(older, newer);
    // Few lines of the copy changed when any did; the sources are read only then.
    edited > 0 && sources().is_some_and(|(then, now)| edited.saturating_mul(4) < lines_changed(&then, &now))
}

/// Lines of `a` not in `b` plus lines of `b` not in `a`, as multisets.
fn lines_changed(a: &[u8], b: &[u8]) -> usize {
    let mut counts: rustc_hash::FxHashMap<&[u8], isize> = rustc_hash::FxHashMap::default();
    for line in a.split(|&byte| byte == b'\n') {
        *counts.entry(line).or_default() += 1;
    }
    for line in b.split(|&byte| byte == b'\n') {
        *counts.entry(line).or_default() -= 1;
    }
    counts.values().map(|count| count.unsigned_abs()).sum()
}

fn body_without_line_endings(bytes: &[u8]) -> Vec<u8> {
    let body = match std::str::from_utf8(bytes) {
        Ok(text) => &bytes[crate::document::frontmatter::parse(text).1..],
        Err(_) => bytes,
    };
    let mut unified = Vec::with_capacity(body.len());
    let mut rest = body;
    while let Some(at) = memchr::memmem::find(rest, b"\r\n") {
        unified.extend_from_slice(&rest[..at]);
        unified.push(b'\n');
        rest = &rest[at + 2..];
    }
    unified.extend_from_slice(rest);
    unified
}
