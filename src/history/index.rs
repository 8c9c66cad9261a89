//! Every version of every file under the folders that matter, from one walk
//! of first-parent history: "which commits changed this source since the
//! handoff", "which version has this hash" and "when did this copy last
//! change" are then lookups, not one history walk per file.
//!
//! A file renamed in history is followed: where a wanted file appears, the
//! file the same commit deleted with the same content (or, failing that, the
//! most similar one) is taken as its former name, and its older versions
//! count as the wanted file's.
//!
//! Trees are compared by hand rather than with gix's tree diff: that one
//! needs gix's `blob-diff` feature, which brings in attribute and filter
//! machinery that can run programs. Comparing entry ids and descending only
//! into subtrees whose ids differ, and only towards the files the run
//! checks, is all this needs.

use gix::ObjectId;
use rustc_hash::{FxHashMap, FxHashSet};

/// One change of a file: the state after `commit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Version {
    pub commit: ObjectId,
    /// Commit time, seconds since the epoch.
    pub time: i64,
    /// The file's blob after the commit; `None` when the commit deleted it.
    pub blob: Option<ObjectId>,
}

#[derive(Debug, Default)]
pub struct VersionIndex {
    /// Newest first, keyed by the name the run knows the file by.
    by_path: FxHashMap<String, Vec<Version>>,
    /// Earlier names of a file, most recent first.
    former_names: FxHashMap<String, Vec<String>>,
    /// A wanted file deleted by the newest change to it: the file the same
    /// commit added in its place, if any (a rename).
    renamed_to: FxHashMap<String, String>,
}

/// Pairs of (added, deleted) files whose contents are compared when no
/// deleted file has an added one's exact content: bounds the cost of a
/// commit that moves a large folder and edits every file.
const SIMILARITY_BUDGET: usize = 2_000;

/// Pairs of files with the same name compared per commit, before the
/// budget above: one per file the run follows, within reason.
const NAME_MATCH_BUDGET: usize = 20_000;

/// Files larger than this are never compared for similarity.
const SIMILARITY_MAX_BYTES: usize = 1024 * 1024;

/// The files the index records, and every folder on the way to them: the
/// walk descends only into those folders and allocates nothing for the rest
/// of a large repository.
#[derive(Debug, Default, Clone)]
pub struct Wanted {
    files: FxHashSet<String>,
    folders: FxHashSet<String>,
    /// A former name met in history → the name the run knows the file by.
    renamed: FxHashMap<String, String>,
}

impl Wanted {
    pub fn new(paths: impl IntoIterator<Item = String>) -> Wanted {
        let mut wanted = Wanted::default();
        for path in paths {
            wanted.add(path);
        }
        wanted
    }

    fn add(&mut self, path: String) {
        let mut folder = path.as_str();
        while let Some((parent, _)) = folder.rsplit_once('/') {
            if !self.folders.insert(parent.to_string()) {
                break;
            }
            folder = parent;
        }
        self.files.insert(path);
    }

    /// The name the run knows a wanted file by.
    fn tracked<'a>(&'a self, path: &'a str) -> &'a str {
        self.renamed.get(path).map_or(path, String::as_str)
    }
}

/// One wanted file that differs between a commit and its parent.
struct Change {
    path: String,
    old: Option<ObjectId>,
    new: Option<ObjectId>,
}

impl VersionIndex {
    /// Walks first-parent history from `head`, at most `max_commits`
    /// commits, recording the changes of the `wanted` files. A commit that
    /// cannot be read ends the walk: the index then knows the history up to
    /// it.
    pub fn build(repo: &gix::Repository, head: Option<ObjectId>, wanted: &Wanted, max_commits: usize) -> Self {
        let mut index = VersionIndex::default();
        if wanted.files.is_empty() {
            return index;
        }
        let mut wanted = wanted.clone();
        let mut next = head.and_then(|id| Some((id, repo.find_commit(id).ok()?.tree_id().ok()?.detach())));
        let mut walked = 0;
        let mut path = String::new();
        while let Some((id, tree)) = next {
            if walked == max_commits {
                break;
            }
            walked += 1;
            let Ok(commit) = repo.find_commit(id) else { break };
            let time = commit.time().map(|time| time.seconds).unwrap_or(0);
            let parent = commit
                .parent_ids()
                .next()
                .and_then(|parent| Some((parent.detach(), repo.find_commit(parent).ok()?.tree_id().ok()?.detach())));
            let parent_tree = parent.map(|(_, tree)| tree);
            if parent_tree != Some(tree) {
                let mut changes = Vec::new();
                path.clear();
                diff(repo, parent_tree, Some(tree), &mut path, &wanted, &mut changes);
                // A file with no parent version may have been renamed here.
                let added: Vec<(String, ObjectId)> = match parent_tree {
                    Some(_) => changes
                        .iter()
                        .filter(|change| change.old.is_none())
                        .filter_map(|change| Some((wanted.tracked(&change.path).to_string(), change.new?)))
                        .collect(),
                    None => Vec::new(),
                };
                // The newest change of a file that no longer exists may be
                // a rename: to the file the same commit added like it.
                let gone: Vec<(String, ObjectId)> = changes
                    .iter()
                    .filter(|change| change.new.is_none() && !index.by_path.contains_key(&change.path))
                    .filter_map(|change| Some((change.path.clone(), change.old?)))
                    .collect();
                if !gone.is_empty() {
                    index.renamed_to.extend(renames(repo, Some(tree), parent_tree, &gone));
                }
                for change in changes {
                    let tracked = wanted.tracked(&change.path).to_string();
                    index.by_path.entry(tracked).or_default().push(Version { commit: id, time, blob: change.new });
                }
                if let (false, Some(parent_tree)) = (added.is_empty(), parent_tree) {
                    for (tracked, former) in renames(repo, Some(parent_tree), Some(tree), &added) {
                        index.former_names.entry(tracked.clone()).or_default().push(former.clone());
                        wanted.add(former.clone());
                        wanted.renamed.insert(former, tracked);
                    }
                }
            }
            next = parent;
        }
        index
    }

    /// Versions of `path`, newest first; empty when history never changed it
    /// within the walk.
    pub fn versions(&self, path: &str) -> &[Version] {
        self.by_path.get(path).map_or(&[], Vec::as_slice)
    }

    /// The names `path` had before renames met in the walk, most recent
    /// first.
    pub fn former_names(&self, path: &str) -> &[String] {
        self.former_names.get(path).map_or(&[], Vec::as_slice)
    }

    /// Every recorded file with its versions, newest first.
    pub fn files(&self) -> impl Iterator<Item = (&str, &[Version])> {
        self.by_path.iter().map(|(path, versions)| (path.as_str(), versions.as_slice()))
    }

    /// The file that replaced `path` when its last change deleted it.
    pub fn renamed_to(&self, path: &str) -> Option<&str> {
        self.renamed_to.get(path).map(String::as_str)
    }
}

/// The wanted files that differ between two trees, with their new blob
/// (`None`: deleted). `path` is the folder of both trees; identical subtrees
/// are skipped by id and unwanted ones never read.
fn diff(
    repo: &gix::Repository,
    old: Option<ObjectId>,
    new: Option<ObjectId>,
    path: &mut String,
    wanted: &Wanted,
    out: &mut Vec<Change>,
) {
    let (old_tree, new_tree) = (tree(repo, old), tree(repo, new));
    let (old_decoded, new_decoded) = (decode(&old_tree), decode(&new_tree));
    let (old_entries, new_entries) = (entries(old_decoded.as_ref()), entries(new_decoded.as_ref()));
    let mut before: FxHashMap<&[u8], (bool, ObjectId)> =
        old_entries.iter().map(|(name, is_tree, id)| (*name, (*is_tree, *id))).collect();
    let base = path.len();
    let mut visit = |path: &mut String, name: &[u8], old: Option<(bool, ObjectId)>, new: Option<(bool, ObjectId)>| {
        if old == new {
            return;
        }
        if base > 0 {
            path.push('/');
        }
        path.push_str(&String::from_utf8_lossy(name));
        let as_tree = |entry: Option<(bool, ObjectId)>| entry.filter(|(is_tree, _)| *is_tree).map(|(_, id)| id);
        let as_blob = |entry: Option<(bool, ObjectId)>| entry.filter(|(is_tree, _)| !*is_tree).map(|(_, id)| id);
        if wanted.folders.contains(path.as_str()) && (as_tree(old).is_some() || as_tree(new).is_some()) {
            diff(repo, as_tree(old), as_tree(new), path, wanted, out);
        }
        if wanted.files.contains(path.as_str()) && as_blob(old) != as_blob(new) {
            out.push(Change { path: path.clone(), old: as_blob(old), new: as_blob(new) });
        }
        path.truncate(base);
    };
    for (name, is_tree, id) in &new_entries {
        let old = before.remove(name);
        visit(path, name, old, Some((*is_tree, *id)));
    }
    for (name, old) in before {
        visit(path, name, Some(old), None);
    }
}

/// For files that `new` has and `old` lacks (name, blob), the file of `old`
/// that `new` lacks each corresponds to: the one with the same content, else
/// the most similar one with the same extension, if at least half their
/// text is shared (whole lines, weighted by length), and no file on the
/// side of `new` is more like it. Called with a commit's parent as `old`, it finds what
/// each added file was renamed from; with the trees swapped, what each
/// deleted file was renamed to.
fn renames(
    repo: &gix::Repository,
    old: Option<ObjectId>,
    new: Option<ObjectId>,
    added: &[(String, ObjectId)],
) -> Vec<(String, String)> {
    let mut deleted = Vec::new();
    deleted_files(repo, old, new, &mut String::new(), &mut deleted);
    if deleted.is_empty() {
        return Vec::new();
    }
    let mut taken = vec![false; deleted.len()];
    let mut found = Vec::new();
    let mut unmatched = Vec::new();
    let mut by_blob: FxHashMap<ObjectId, Vec<usize>> = FxHashMap::default();
    for (at, (_, id)) in deleted.iter().enumerate().rev() {
        by_blob.entry(*id).or_default().push(at);
    }
    for (tracked, blob) in added {
        match by_blob.get_mut(blob).and_then(Vec::pop) {
            Some(at) => {
                taken[at] = true;
                found.push((tracked.clone(), deleted[at].0.clone()));
            }
            None => unmatched.push((tracked, *blob)),
        }
    }
    if unmatched.is_empty() {
        return found;
    }
    // The files on the same side as the unmatched ones: a file on the other
    // side goes to the one most like it, as git pairs them, not to
    // whichever file the run happens to track.
    let mut rivals = Vec::new();
    deleted_files(repo, new, old, &mut String::new(), &mut rivals);
    let mut lines = LineCounts::new(repo);
    let mut compare = |a: ObjectId, b: ObjectId, budget: &mut usize| -> Option<f64> {
        *budget = budget.checked_sub(1)?;
        lines.similarity(a, b)
    };
    // Git's first guess (diffcore-rename's basename matching): a file moved
    // to another folder keeps its name. Where that name is unique on both
    // sides, the pair is compared alone, so that a commit that moves
    // thousands of files (a docs tree restructured) does not spend the
    // budget below on its first few. Per name: how many files on each
    // side, and where the last deleted one is.
    let mut by_name: FxHashMap<&str, (usize, usize, usize)> = FxHashMap::default();
    for (at, (path, _)) in deleted.iter().enumerate() {
        let entry = by_name.entry(file_name(path)).or_default();
        entry.0 += 1;
        entry.2 = at;
    }
    for (path, _) in &rivals {
        by_name.entry(file_name(path)).or_default().1 += 1;
    }
    let mut name_budget = NAME_MATCH_BUDGET;
    let mut still_unmatched = Vec::new();
    for (tracked, blob) in unmatched {
        let at = match by_name.get(file_name(tracked)) {
            Some(&(1, 1, at)) => Some(at),
            _ => None,
        };
        match at.filter(|&at| !taken[at]) {
            Some(at) if compare(blob, deleted[at].1, &mut name_budget).is_some_and(|similar| similar >= 0.5) => {
                taken[at] = true;
                found.push((tracked.clone(), deleted[at].0.clone()));
            }
            _ => still_unmatched.push((tracked, blob)),
        }
    }
    let mut budget = SIMILARITY_BUDGET;
    let mut score = |a: ObjectId, b: ObjectId| compare(a, b, &mut budget);
    for (tracked, blob) in still_unmatched {
        let mut best: Option<(usize, f64)> = None;
        for (at, (path, id)) in deleted.iter().enumerate() {
            if taken[at] || extension(path) != extension(tracked) {
                continue;
            }
            let Some(similar) = score(blob, *id) else { break };
            if similar >= 0.5 && best.is_none_or(|(_, best)| similar > best) {
                best = Some((at, similar));
            }
        }
        let Some((at, similar)) = best else { continue };
        let (path, id) = &deleted[at];
        let claimed = rivals.iter().any(|(rival, rival_blob)| {
            *rival_blob != blob
                && extension(rival) == extension(path)
                // Out of budget: not sure, so not a rename.
                && score(*rival_blob, *id).is_none_or(|rival_similar| rival_similar > similar)
        });
        if !claimed {
            taken[at] = true;
            found.push((tracked.clone(), path.clone()));
        }
    }
    found
}

fn extension(path: &str) -> Option<&str> {
    file_name(path).rsplit_once('.').map(|(_, extension)| extension)
}

fn file_name(path: &str) -> &str {
    path.rsplit_once('/').map_or(path, |(_, name)| name)
}

/// Line counts of the blobs compared for renames in one commit, kept for
/// the next comparison of the same blob within a byte budget: a commit of
/// thousands of large files can make the walk neither read nor hold
/// gigabytes.
struct LineCounts<'r> {
    repo: &'r gix::Repository,
    kept: FxHashMap<ObjectId, Option<FxHashMap<Vec<u8>, usize>>>,
    kept_bytes: u64,
    read_bytes: u64,
}

impl<'r> LineCounts<'r> {
    /// Blob bytes read per commit.
    const READ: u64 = 256 * 1024 * 1024;
    /// Blob bytes whose line counts are kept at once (they take about
    /// twice as much memory); past it, what was kept is dropped.
    const KEPT: u64 = 32 * 1024 * 1024;

    fn new(repo: &'r gix::Repository) -> Self {
        LineCounts { repo, kept: FxHashMap::default(), kept_bytes: 0, read_bytes: 0 }
    }

    /// The similarity of two blobs; `None` when one is unreadable or too
    /// large, or the budget is spent.
    fn similarity(&mut self, a: ObjectId, b: ObjectId) -> Option<f64> {
        // A blob too large to compare is not read: it costs nothing.
        let size = |id: ObjectId| match self.repo.find_header(id) {
            Ok(header) if header.size() <= SIMILARITY_MAX_BYTES as u64 => header.size(),
            _ => 0,
        };
        let new: Vec<(ObjectId, u64)> =
            [a, b].into_iter().filter(|id| !self.kept.contains_key(id)).map(|id| (id, size(id))).collect();
        let bytes: u64 = new.iter().map(|(_, size)| size).sum();
        self.read_bytes = self.read_bytes.checked_add(bytes).filter(|read| *read <= Self::READ)?;
        if self.kept_bytes + bytes > Self::KEPT {
            self.kept.clear();
            self.kept_bytes = 0;
        }
        for (id, size) in new {
            self.kept.insert(id, line_counts(self.repo, id));
            self.kept_bytes += size;
        }
        Some(similarity(self.kept.get(&a)?.as_ref()?, self.kept.get(&b)?.as_ref()?))
    }
}

/// How often each line occurs in a blob, without its trailing whitespace
/// (and line ending); `None` for a blob too large to compare or
/// unreadable.
fn line_counts(repo: &gix::Repository, blob: ObjectId) -> Option<FxHashMap<Vec<u8>, usize>> {
    if repo.find_header(blob).ok()?.size() > SIMILARITY_MAX_BYTES as u64 {
        return None;
    }
    let data = repo.find_blob(blob).ok()?.data.clone();
    let mut counts = FxHashMap::default();
    for line in data.split(|byte| *byte == b'\n') {
        // Trailing whitespace aside: a restructuring commit often cleans it
        // up in the files it moves.
        let line = line.trim_ascii_end();
        *counts.entry(line.to_vec()).or_insert(0) += 1;
    }
    Some(counts)
}

/// Shared bytes over all bytes, counted by whole lines (a Dice
/// coefficient on line multisets, each line weighted by its length):
/// blank lines and short template lines weigh little, as in git's
/// similarity.
fn similarity(a: &FxHashMap<Vec<u8>, usize>, b: &FxHashMap<Vec<u8>, usize>) -> f64 {
    let weight = |line: &Vec<u8>, count: usize| (line.len() + 1) * count;
    let total: usize = a.iter().chain(b).map(|(line, count)| weight(line, *count)).sum();
    if total == 0 {
        return 0.0;
    }
    let shared: usize =
        a.iter().map(|(line, count)| weight(line, (*count).min(b.get(line).copied().unwrap_or(0)))).sum();
    (2 * shared) as f64 / total as f64
}

/// The first `limit` files the commit `commit` added or changed against
/// its first parent, with their blobs.
pub fn changed_by(repo: &gix::Repository, commit: ObjectId, limit: usize) -> Vec<(String, ObjectId)> {
    let Ok(commit) = repo.find_commit(commit) else {
        return Vec::new();
    };
    let tree = commit.tree_id().ok().map(|id| id.detach());
    let parent =
        commit.parent_ids().next().and_then(|parent| Some(repo.find_commit(parent).ok()?.tree_id().ok()?.detach()));
    let mut changed = Vec::new();
    files_not_in(repo, tree, parent, &mut String::new(), &mut changed, Some(limit));
    changed
}

/// Every file of `old` that `new` does not have at the same path, with its
/// blob; subtrees with equal ids are skipped.
fn deleted_files(
    repo: &gix::Repository,
    old: Option<ObjectId>,
    new: Option<ObjectId>,
    path: &mut String,
    out: &mut Vec<(String, ObjectId)>,
) {
    files_not_in(repo, old, new, path, out, None);
}

/// The files of `old` that `new` lacks at the same path; with a `changed`
/// limit, also those `new` has there with other content, up to that many
/// files in all.
fn files_not_in(
    repo: &gix::Repository,
    old: Option<ObjectId>,
    new: Option<ObjectId>,
    path: &mut String,
    out: &mut Vec<(String, ObjectId)>,
    changed: Option<usize>,
) {
    let (old_tree, new_tree) = (tree(repo, old), tree(repo, new));
    let (old_decoded, new_decoded) = (decode(&old_tree), decode(&new_tree));
    let after: FxHashMap<&[u8], (bool, ObjectId)> =
        entries(new_decoded.as_ref()).into_iter().map(|(name, is_tree, id)| (name, (is_tree, id))).collect();
    let base = path.len();
    for (name, is_tree, id) in entries(old_decoded.as_ref()) {
        if changed.is_some_and(|limit| out.len() >= limit) {
            return;
        }
        let now = after.get(name).copied();
        if now == Some((is_tree, id)) {
            continue;
        }
        if base > 0 {
            path.push('/');
        }
        path.push_str(&String::from_utf8_lossy(name));
        if is_tree {
            let new_subtree = now.filter(|(is_tree, _)| *is_tree).map(|(_, id)| id);
            files_not_in(repo, Some(id), new_subtree, path, out, changed);
        } else if changed.is_some() || now.is_none_or(|(is_tree, _)| is_tree) {
            out.push((path.clone(), id));
        }
        path.truncate(base);
    }
}

fn tree(repo: &gix::Repository, id: Option<ObjectId>) -> Option<gix::Tree<'_>> {
    repo.find_tree(id?).ok()
}

/// A tree's files and folders: name, whether a folder, id. Submodules are
/// left out: they are not files of this repository.
fn entries<'a>(decoded: Option<&gix::objs::TreeRef<'a>>) -> Vec<(&'a [u8], bool, ObjectId)> {
    let Some(decoded) = decoded else {
        return Vec::new();
    };
    decoded
        .entries
        .iter()
        .filter(|entry| entry.mode.is_tree() || entry.mode.is_blob())
        .map(|entry| (entry.filename.as_ref(), entry.mode.is_tree(), entry.oid.to_owned()))
        .collect()
}

fn decode<'a>(tree: &'a Option<gix::Tree<'_>>) -> Option<gix::objs::TreeRef<'a>> {
    tree.as_ref()?.decode().ok()
}
