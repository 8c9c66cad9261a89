//! Every version of every file under the folders that matter, from one walk
//! of first-parent history: "which commits changed this source since the
//! handoff", "which version has this hash" and "when did this copy last
//! change" are then lookups, not one history walk per file.
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
    /// Newest first.
    by_path: FxHashMap<String, Vec<Version>>,
}

/// The files the index records, and every folder on the way to them: the
/// walk descends only into those folders and allocates nothing for the rest
/// of a large repository.
#[derive(Debug, Default)]
pub struct Wanted {
    files: FxHashSet<String>,
    folders: FxHashSet<String>,
}

impl Wanted {
    pub fn new(paths: impl IntoIterator<Item = String>) -> Wanted {
        let mut wanted = Wanted::default();
        for path in paths {
            let mut folder = path.as_str();
            while let Some((parent, _)) = folder.rsplit_once('/') {
                if !wanted.folders.insert(parent.to_string()) {
                    break;
                }
                folder = parent;
            }
            wanted.files.insert(path);
        }
        wanted
    }
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
                diff(repo, parent_tree, Some(tree), &mut path, wanted, &mut changes);
                for (file, blob) in changes {
                    index.by_path.entry(file).or_default().push(Version { commit: id, time, blob });
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
    out: &mut Vec<(String, Option<ObjectId>)>,
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
            out.push((path.clone(), as_blob(new)));
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
