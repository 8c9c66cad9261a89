//! Every version of every file under the folders that matter, from one walk
//! of first-parent history: "which commits changed this source since the
//! handoff", "which version has this hash" and "when did this copy last
//! change" are then lookups, not one history walk per file.
//!
//! Trees are compared by hand rather than with gix's tree diff: that one
//! needs gix's `blob-diff` feature, which brings in attribute and filter
//! machinery that can run programs. Comparing entry ids and descending only
//! into subtrees whose ids differ is all this needs.

use gix::ObjectId;
use rustc_hash::FxHashMap;

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

impl VersionIndex {
    /// Walks first-parent history from `head`, at most `max_commits`
    /// commits, recording changes under `prefixes` (repository paths; `""`
    /// is the whole tree). A commit that cannot be read ends the walk: the
    /// index then knows the history up to it.
    pub fn build(repo: &gix::Repository, head: Option<ObjectId>, prefixes: &[String], max_commits: usize) -> Self {
        let mut index = VersionIndex::default();
        let mut next = head;
        let mut walked = 0;
        while let Some(id) = next {
            if walked == max_commits {
                break;
            }
            walked += 1;
            let Ok(commit) = repo.find_commit(id) else { break };
            let time = commit.time().map(|time| time.seconds).unwrap_or(0);
            let parent = commit.parent_ids().next().map(|id| id.detach());
            let Ok(tree) = commit.tree() else { break };
            let parent_tree = parent.and_then(|parent| repo.find_commit(parent).ok()?.tree().ok());
            for prefix in prefixes {
                let new = subtree(&tree, prefix);
                let old = parent_tree.as_ref().and_then(|tree| subtree(tree, prefix));
                if new != old {
                    let mut changes = Vec::new();
                    diff(repo, old, new, prefix, &mut changes);
                    for (path, blob) in changes {
                        index.by_path.entry(path).or_default().push(Version { commit: id, time, blob });
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
}

fn subtree(tree: &gix::Tree<'_>, prefix: &str) -> Option<ObjectId> {
    if prefix.is_empty() {
        return Some(tree.id);
    }
    let entry = tree.lookup_entry_by_path(prefix).ok()??;
    entry.mode().is_tree().then(|| entry.object_id())
}

/// Entries of a tree: name, whether it is a tree, id. Submodules are left
/// out: they are not files of this repository.
fn entries(repo: &gix::Repository, tree: Option<ObjectId>) -> Vec<(String, bool, ObjectId)> {
    let Some(tree) = tree.and_then(|id| repo.find_tree(id).ok()) else {
        return Vec::new();
    };
    let Ok(decoded) = tree.decode() else {
        return Vec::new();
    };
    decoded
        .entries
        .iter()
        .filter(|entry| entry.mode.is_tree() || entry.mode.is_blob())
        .map(|entry| (entry.filename.to_string(), entry.mode.is_tree(), entry.oid.to_owned()))
        .collect()
}

/// Files that differ between two trees, with their new blob (`None`:
/// deleted). Identical subtrees are skipped by id.
fn diff(
    repo: &gix::Repository,
    old: Option<ObjectId>,
    new: Option<ObjectId>,
    path: &str,
    out: &mut Vec<(String, Option<ObjectId>)>,
) {
    let old_entries = entries(repo, old);
    let new_entries = entries(repo, new);
    let join = |name: &str| if path.is_empty() { name.to_string() } else { format!("{path}/{name}") };
    let mut before: FxHashMap<&str, (bool, ObjectId)> =
        old_entries.iter().map(|(name, is_tree, id)| (name.as_str(), (*is_tree, *id))).collect();
    for (name, is_tree, id) in &new_entries {
        let previous = before.remove(name.as_str());
        if previous.is_some_and(|(was_tree, old_id)| was_tree == *is_tree && old_id == *id) {
            continue;
        }
        let child = join(name);
        match (previous, *is_tree) {
            (Some((true, old_id)), true) => diff(repo, Some(old_id), Some(*id), &child, out),
            (previous, true) => {
                if previous.is_some() {
                    out.push((child.clone(), None));
                }
                diff(repo, None, Some(*id), &child, out);
            }
            (Some((true, old_id)), false) => {
                diff(repo, Some(old_id), None, &child, out);
                out.push((child, Some(*id)));
            }
            (_, false) => out.push((child, Some(*id))),
        }
    }
    for (name, (was_tree, id)) in before {
        let child = join(name);
        if was_tree {
            diff(repo, Some(id), None, &child, out);
        } else {
            out.push((child, None));
        }
    }
}
