//! The few facts that reach across articles, computed only when a rule
//! asks for them so that a clean run pays nothing for them.

use rustc_hash::{FxHashMap as HashMap, FxHasher};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use crate::discover::{discover, FileEntry, Selection};
use crate::document::{frontmatter, Document};

pub use crate::document::markdown::AnchorSet;

pub struct Corpus<'s> {
    root: PathBuf,
    /// How to find every source file of the tree, when a rule needs them.
    selection: &'s Selection<'s>,
    /// Every source file of the tree.
    sources: OnceLock<Vec<FileEntry>>,
    assetid_key: Option<&'static str>,
    max_file_size: u64,
    assetids: OnceLock<HashMap<String, String>>,
    /// Anchor names of files parsed for a link: targets outside the run, and
    /// targets of broken links (for the suggestion).
    anchors: Mutex<HashMap<PathBuf, Option<Arc<AnchorSet>>>>,
    /// Anchors of every document the run parsed, so that links into another
    /// article are checked without parsing it a second time.
    registry: Mutex<Registry>,
    /// `page.md#fragment` links into files not registered yet, checked once
    /// every article is.
    pending: Mutex<Pending>,
    /// Set once the pending links are taken: from then on every lookup
    /// answers at once.
    settled: AtomicBool,
}

/// Hashed anchors of every parsed document, in one buffer: a large tree
/// registers 100,000 documents with about ten anchors each.
///
/// Anchors are 32-bit hashes: a link counts as resolved when its fragment's
/// hash is among its target's, so a broken fragment goes unreported with a
/// chance of about one in 400 million per link (ten anchors against 2^32
/// values). Paths are 64-bit hashes of the normalized path.
struct Registry {
    /// Path key of every file this run checks, sorted: two arrays instead of
    /// a hash map by key, 18 bytes a file instead of 33 on a 100,000-file
    /// tree. Filled before the run, so they never grow.
    keys: Box<[u64]>,
    /// For each of `keys`, its document's run, [`Registry::NOT_YET`] until
    /// it is registered.
    runs: Box<[Run]>,
    /// Documents registered under a key not in `keys` (none in a run whose
    /// documents are read from the files it checks).
    others: HashMap<u64, Run>,
    /// Each document's anchor hashes, sorted.
    hashes: AnchorHashes,
    /// The run of `hashes` appended last.
    last: (u32, u16),
}

/// A registered document's run of [`Registry::hashes`] and its group's
/// index. Packed to 10 bytes: a large tree holds one per file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(C, packed(2))]
struct Run {
    start: u32,
    group: u32,
    length: u16,
}

/// The registry's anchor hashes, in chunks of [`AnchorHashes::CHUNK`]
/// allocated once each: one `Vec` grown by doubling held up to twice its
/// content, and both its old and its new buffer while it grew (4.5 MB for
/// 3 MB of hashes on a 100,000-file tree). A chunk is zeroed memory, of
/// which only the pages written count, so a small run costs little.
#[derive(Default)]
struct AnchorHashes {
    chunks: Vec<Box<[u32]>>,
    /// Hashes written into the last chunk.
    filled: usize,
}

impl AnchorHashes {
    /// Hashes per chunk: the longest run one document may register (one
    /// with more anchors is looked up by parsing it, as a file outside the
    /// run), and a run never straddles two chunks.
    const CHUNK: usize = 1 << 16;

    /// The run of `length` hashes at `start`.
    fn get(&self, start: u32, length: u32) -> Option<&[u32]> {
        if length == 0 {
            return Some(&[]);
        }
        let (chunk, offset) = (start as usize / Self::CHUNK, start as usize % Self::CHUNK);
        self.chunks.get(chunk)?.get(offset..offset + length as usize)
    }

    /// Appends `run` and returns where it starts; `None` when it is longer
    /// than a chunk or the positions would pass `u32::MAX`.
    fn push(&mut self, run: &[u32]) -> Option<u32> {
        if run.is_empty() {
            return Some(0);
        }
        if run.len() > Self::CHUNK {
            return None;
        }
        if self.chunks.is_empty() || self.filled + run.len() > Self::CHUNK {
            // The new chunk's last position must fit too.
            u32::try_from((self.chunks.len() + 1) * Self::CHUNK - 1).ok()?;
            self.chunks.push(vec![0; Self::CHUNK].into_boxed_slice());
            self.filled = 0;
        }
        let start = u32::try_from((self.chunks.len() - 1) * Self::CHUNK + self.filled).ok()?;
        let chunk = self.chunks.last_mut()?;
        chunk.get_mut(self.filled..self.filled + run.len())?.copy_from_slice(run);
        self.filled += run.len();
        Some(start)
    }
}

impl Registry {
    const NOT_YET: Run = Run { start: u32::MAX, group: u32::MAX, length: 0 };

    /// Whether the document at `key` has the anchor hashed `anchor`; `None`
    /// when it is not registered.
    fn has(&self, key: u64, anchor: u32) -> Option<bool> {
        self.has_in_group(key, anchor).map(|(found, _)| found)
    }

    /// [`Registry::has`], and the index of the document's group.
    fn has_in_group(&self, key: u64, anchor: u32) -> Option<(bool, u32)> {
        Self::look_in(&self.hashes, self.run(key)?, anchor)
    }

    /// [`Registry::has`] for the file `keys[index]`.
    fn has_at(&self, index: u32, anchor: u32) -> Option<bool> {
        Self::look_in(&self.hashes, self.runs.get(index as usize)?, anchor).map(|(found, _)| found)
    }

    fn look_in(hashes: &AnchorHashes, run: &Run, anchor: u32) -> Option<(bool, u32)> {
        let run = Some(*run).filter(|run| *run != Self::NOT_YET)?;
        let hashed = hashes.get(run.start, u32::from(run.length))?;
        Some((hashed.binary_search(&anchor).is_ok(), run.group))
    }

    /// The index of `key` among the files this run checks.
    fn index_of(&self, key: u64) -> Option<u32> {
        self.keys.binary_search(&key).ok().and_then(|index| u32::try_from(index).ok())
    }

    /// Whether the file at `key` is one this run checks (and so registers).
    fn expects(&self, key: u64) -> bool {
        self.run(key).is_some()
    }

    fn run(&self, key: u64) -> Option<&Run> {
        match self.keys.binary_search(&key) {
            Ok(index) => self.runs.get(index),
            Err(_) => self.others.get(&key),
        }
    }

    fn set(&mut self, key: u64, run: Run) {
        match self.keys.binary_search(&key) {
            Ok(index) => {
                if let Some(slot) = self.runs.get_mut(index) {
                    *slot = run;
                }
            }
            Err(_) => {
                self.others.insert(key, run);
            }
        }
    }
}

/// The `page.md#fragment` links waiting for their target. A large tree
/// defers hundreds of thousands, and most targets turn up with the anchor
/// a few groups later: the list is rid of those whenever it has grown by a
/// quarter, and grows to exactly that length, never by doubling.
struct Pending {
    links: Vec<PendingFragment>,
    /// Length at which the list is next compacted.
    compact_at: usize,
}

impl Pending {
    const FIRST_COMPACTION: usize = 4096;
}

/// Where a copy is in the run: its group's index among the checked groups
/// and its index among the group's copies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CopyId {
    pub group: u32,
    pub copy: u32,
}

/// A link from a copy to a fragment of a file not registered yet. Kept to
/// 24 bytes: a large tree holds hundreds of thousands of them, and the copy
/// is read again only for the few that turn out broken.
#[derive(Debug, Clone, Copy)]
pub struct PendingFragment {
    /// The target's index among the registry's keys.
    target: u32,
    fragment: u32,
    pub copy: CopyId,
    start: u32,
    end: u32,
}

impl PendingFragment {
    /// The link's span in the copy.
    pub fn span(&self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// What is known of a `page.md#fragment` link while its copy is checked.
pub enum FragmentLookup {
    /// The fragment exists, or the target is not a file inside the root.
    Found,
    /// The target exists and lacks the fragment.
    Missing(PathBuf),
    /// The target is not registered yet; decided after every group.
    Later,
}

impl<'s> Corpus<'s> {
    /// `sources`: every source file, when the caller already walked the tree;
    /// otherwise they are found on first use. `checked`: the root-relative
    /// files this run checks and registers (none when no rule looks up
    /// anchors).
    pub fn new(
        selection: &'s Selection<'s>,
        sources: Option<Vec<FileEntry>>,
        checked: impl Iterator<Item = impl AsRef<str>>,
        assetid_key: Option<&'static str>,
        max_file_size: u64,
    ) -> Self {
        let known = OnceLock::new();
        if let Some(sources) = sources {
            let _ = known.set(sources);
        }
        let root = selection.root.to_path_buf();
        let mut keys: Vec<u64> = checked.map(|relative| hash_path(&normalize(&root.join(relative.as_ref())))).collect();
        keys.sort_unstable();
        keys.dedup();
        let runs = vec![Registry::NOT_YET; keys.len()].into_boxed_slice();
        Corpus {
            root,
            selection,
            sources: known,
            assetid_key,
            max_file_size,
            assetids: OnceLock::new(),
            anchors: Mutex::new(HashMap::default()),
            registry: Mutex::new(Registry {
                keys: keys.into_boxed_slice(),
                runs,
                others: HashMap::default(),
                hashes: AnchorHashes::default(),
                last: (0, 0),
            }),
            pending: Mutex::new(Pending { links: Vec::new(), compact_at: Pending::FIRST_COMPACTION }),
            settled: AtomicBool::new(false),
        }
    }

    /// The source article whose asset id is `id` (case-insensitive), if any.
    pub fn source_with_assetid(&self, id: &str) -> Option<&str> {
        self.assetids.get_or_init(|| self.index_assetids()).get(&id.trim().to_ascii_lowercase()).map(String::as_str)
    }

    fn index_assetids(&self) -> HashMap<String, String> {
        let Some(key) = self.assetid_key else {
            return HashMap::default();
        };
        let sources = self
            .sources
            .get_or_init(|| discover(self.selection).groups.into_iter().filter_map(|group| group.source).collect());
        // Sequential: this runs inside a group's check, and a pool thread
        // waiting for a nested parallel loop may take up another group's
        // check, which would wait for this very index on the same thread.
        sources
            .iter()
            .filter_map(|file| {
                let relative = file.relative();
                let head = read_head(&self.root.join(&*relative), 64 * 1024)?;
                let (front, _) = frontmatter::parse(&head);
                let id = front.get(key)?.value.trim().to_ascii_lowercase();
                // A blank id (`ms.assetid:`) names no article.
                (!id.is_empty()).then(|| (id, relative.into_owned()))
            })
            .fold(HashMap::default(), |mut index, (id, relative)| {
                // Keep the first path in sorted order, so the answer is stable.
                index
                    .entry(id)
                    .and_modify(|existing: &mut String| {
                        if relative < *existing {
                            *existing = relative.clone();
                        }
                    })
                    .or_insert(relative);
                index
            })
    }

    /// Anchors of the Markdown file at `path` (explicit anchors, heading
    /// attributes and heading slugs), or `None` when it does not exist, is
    /// not a regular file, or lies outside the root.
    pub fn anchors_of(&self, path: &Path) -> Option<Arc<AnchorSet>> {
        let path = self.inside_root(path)?;
        if let Some(cached) = lock(&self.anchors).get(&path) {
            return cached.clone();
        }
        let is_file = std::fs::symlink_metadata(&path).is_ok_and(|metadata| metadata.is_file());
        let anchors = is_file.then(|| {
            let document = Document::load(&path, String::new(), String::new(), self.max_file_size, false);
            Arc::new(document.facts.anchor_set())
        });
        let mut cache = lock(&self.anchors);
        // Bounded: on a large tree every broken link into another article
        // asks for its target, and the cache must not grow with the tree.
        if cache.len() >= ANCHOR_CACHE_LIMIT {
            cache.clear();
        }
        cache.insert(path, anchors.clone());
        anchors
    }

    /// Records the anchors of a parsed document of the group `group`.
    pub fn register(&self, document: &Document, group: u32) {
        let mut hashed: Vec<u32> = document.anchors().iter().map(|anchor| hash_anchor(anchor)).collect();
        hashed.sort_unstable();
        hashed.dedup();
        let key = hash_path(&normalize(&document.path));
        let mut registry = lock(&self.registry);
        // The copies of one handoff have the same anchors (the pipeline
        // keeps the source's): a document registered right after one with
        // the same set shares its run.
        let (last_start, last_length) = registry.last;
        let last = registry.hashes.get(last_start, u32::from(last_length));
        if last == Some(hashed.as_slice()) && !hashed.is_empty() {
            registry.set(key, Run { start: last_start, group, length: last_length });
            return;
        }
        let Ok(length) = u16::try_from(hashed.len()) else {
            // Past 65,535 anchors in one document: links into it are
            // answered by parsing it (`anchors_of`), as for a file outside
            // the run.
            return;
        };
        let Some(start) = registry.hashes.push(&hashed) else {
            // Past 4 billion anchors: the same.
            return;
        };
        registry.set(key, Run { start, group, length });
        registry.last = (start, length);
    }

    /// Whether `target` has the anchor `fragment` (lower-cased); `None` when
    /// the target is not a file inside the root.
    pub fn has_anchor(&self, target: &Path, fragment: &str) -> Option<bool> {
        let target = self.inside_root(target)?;
        if let Some(found) = lock(&self.registry).has(hash_path(&target), hash_anchor(fragment)) {
            return Some(found);
        }
        self.anchors_of(&target).map(|anchors| anchors.contains(fragment))
    }

    /// Looks up `page#fragment` (`fragment` lower-cased) linked from the copy
    /// `id` at `span`. A target this run checks but has not registered yet
    /// waits (see [`Corpus::take_pending`]), and so does a missing fragment
    /// of another group's file: whether that group was done first depends on
    /// the threads, and the report's order must not. Any other target
    /// answers now.
    pub fn look_up(
        &self,
        copy: &Document,
        id: CopyId,
        span: std::ops::Range<usize>,
        page: &str,
        fragment: &str,
    ) -> FragmentLookup {
        let target = normalize(&copy.path.parent().unwrap_or(Path::new("")).join(page));
        let key = hash_path(&target);
        let anchor = hash_anchor(fragment);
        let waits_for = {
            let registry = lock(&self.registry);
            let expected = match registry.has_in_group(key, anchor) {
                Some((true, _)) => return FragmentLookup::Found,
                Some((false, group)) if group == id.group || self.settled.load(Ordering::Acquire) => {
                    return FragmentLookup::Missing(target)
                }
                Some((false, _)) => true,
                None => registry.expects(key),
            };
            // Only files this run checks are expected (a document registered
            // from elsewhere is never waited for).
            registry.index_of(key).filter(|_| expected)
        };
        if let Some(index) = waits_for.filter(|_| !self.settled.load(Ordering::Acquire)) {
            if let (Ok(start), Ok(end)) = (u32::try_from(span.start), u32::try_from(span.end)) {
                let pending = PendingFragment { target: index, fragment: anchor, copy: id, start, end };
                let mut waiting = lock(&self.pending);
                if waiting.links.len() >= waiting.compact_at {
                    // Most waiting links found their anchor since: only the
                    // rest, and those whose target is still to come, stay.
                    let registry = lock(&self.registry);
                    waiting.links.retain(|link| registry.has_at(link.target, link.fragment) != Some(true));
                    let room = (waiting.links.len() / 4).max(Pending::FIRST_COMPACTION);
                    waiting.compact_at = waiting.links.len() + room;
                    waiting.links.reserve_exact(room);
                }
                waiting.links.push(pending);
                return FragmentLookup::Later;
            }
        }
        match self.has_anchor(&target, fragment) {
            Some(false) => FragmentLookup::Missing(target),
            _ => FragmentLookup::Found,
        }
    }

    /// The links that waited for their target and may be broken: those whose
    /// target lacks the fragment, and those whose target was never
    /// registered (it could not be read). The caller reads their copies
    /// again and decides with [`Corpus::look_up`], which from then on
    /// answers at once.
    pub fn take_pending(&self) -> Vec<PendingFragment> {
        self.settled.store(true, Ordering::Release);
        let pending = std::mem::take(&mut lock(&self.pending).links);
        let registry = lock(&self.registry);
        pending.into_iter().filter(|link| registry.has_at(link.target, link.fragment) != Some(true)).collect()
    }

    /// `path` without `.`/`..`, if it stays inside the root. Lexical, so a
    /// symbolic link is never followed out of the tree.
    fn inside_root(&self, path: &Path) -> Option<PathBuf> {
        let path = normalize(path);
        let relative = path.strip_prefix(&self.root).ok()?;
        let relative = crate::discover::relative_path_of(relative);
        crate::discover::free_of_links(&self.root, &relative).then_some(path)
    }
}

/// Files whose anchor names [`Corpus::anchors_of`] keeps: the targets
/// of a run's broken links repeat within a locale and an area, seldom
/// across the whole tree.
const ANCHOR_CACHE_LIMIT: usize = 256;

/// A poisoned lock still guards consistent data here: entries are inserted
/// whole, so a panic elsewhere cannot leave one half-written.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The high half of the hash: FxHash mixes its high bits best.
fn hash_anchor(anchor: &str) -> u32 {
    use std::hash::{Hash, Hasher};
    let mut hasher = FxHasher::default();
    anchor.hash(&mut hasher);
    (hasher.finish() >> 32) as u32
}

fn hash_path(path: &Path) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = FxHasher::default();
    path.hash(&mut hasher);
    hasher.finish()
}

/// Removes `.` and resolves `..` without touching the file system.
fn normalize(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut normal = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                normal.pop();
            }
            other => normal.push(other.as_os_str()),
        }
    }
    normal
}

fn read_head(path: &Path, limit: u64) -> Option<String> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path).ok()?.take(limit).read_to_end(&mut bytes).ok()?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    Some(String::from_utf8_lossy(bytes).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchor_runs_never_straddle_two_chunks() {
        let mut hashes = AnchorHashes::default();
        let first: Vec<u32> = (0..AnchorHashes::CHUNK as u32 - 2).collect();
        assert_eq!(hashes.push(&first), Some(0));
        // Three hashes do not fit in the two places left: a new chunk.
        let start = hashes.push(&[7, 8, 9]);
        assert_eq!(start, Some(AnchorHashes::CHUNK as u32));
        assert_eq!(hashes.get(AnchorHashes::CHUNK as u32, 3), Some(&[7, 8, 9][..]));
        assert_eq!(hashes.get(0, 2), Some(&[0, 1][..]));
        assert_eq!(hashes.chunks.len(), 2);
        // An empty run takes no room; a run longer than a chunk is refused.
        assert_eq!(hashes.push(&[]), Some(0));
        assert_eq!(hashes.get(0, 0), Some(&[][..]));
        assert_eq!(hashes.push(&vec![1; AnchorHashes::CHUNK + 1]), None);
        assert_eq!(hashes.get(3 * AnchorHashes::CHUNK as u32, 1), None);
        // One run per file of the tree.
        assert_eq!(std::mem::size_of::<Run>(), 10);
    }
}
