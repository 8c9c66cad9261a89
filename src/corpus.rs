//! The few facts that reach across articles, computed only when a rule
//! asks for them so that a clean run pays nothing for them.

use rustc_hash::{FxHashMap as HashMap, FxHasher};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use rayon::prelude::*;

use crate::discover::{discover, Selection};
use crate::document::{frontmatter, Document};

pub use crate::document::markdown::AnchorSet;

pub struct Corpus<'s> {
    root: PathBuf,
    /// How to find every source file of the tree, when a rule needs them.
    selection: &'s Selection<'s>,
    /// Every source file of the tree: root-relative path and file path.
    sources: OnceLock<Vec<(String, PathBuf)>>,
    assetid_key: Option<&'static str>,
    max_file_size: u64,
    assetids: OnceLock<HashMap<String, String>>,
    anchors: Mutex<HashMap<PathBuf, Option<Arc<AnchorSet>>>>,
    /// Hashed anchors of every document the run parsed, so that links into
    /// another article are checked without parsing it a second time.
    /// Keyed by the hash of the normalized path: 100,000 paths as strings
    /// would cost more memory than their anchors.
    registered: Mutex<HashMap<u64, Box<[u64]>>>,
    /// `page.md#fragment` links, checked once every article is registered.
    pending: Mutex<Vec<PendingFragment>>,
}

/// A copy with `page.md#fragment` links, shared by all of them.
#[derive(Debug)]
pub struct LinkingCopy {
    pub path: PathBuf,
    pub display: String,
    pub locale: String,
}

/// A link from a copy to a fragment of another file. Kept small: a large
/// tree holds hundreds of thousands of them until every article is
/// registered, and only the broken ones need more than this.
#[derive(Debug, Clone)]
pub struct PendingFragment {
    pub copy: Arc<LinkingCopy>,
    /// The link's span in the copy.
    pub span: std::ops::Range<usize>,
    /// The destination as written, `page.md#fragment`.
    destination: Box<str>,
}

impl PendingFragment {
    pub fn new(copy: Arc<LinkingCopy>, span: std::ops::Range<usize>, destination: &str) -> Self {
        PendingFragment { copy, span, destination: destination.into() }
    }

    /// The page as written in the link, for the message.
    pub fn page(&self) -> &str {
        self.destination.split_once('#').map_or(&self.destination, |(page, _)| page)
    }

    pub fn fragment(&self) -> &str {
        self.destination.split_once('#').map_or("", |(_, fragment)| fragment)
    }

    /// The page resolved against the copy's folder.
    pub fn target(&self) -> PathBuf {
        self.copy.path.parent().unwrap_or(Path::new("")).join(self.page())
    }
}

impl<'s> Corpus<'s> {
    /// `sources`: every source file, when the caller already walked the tree;
    /// otherwise they are found on first use.
    pub fn new(
        selection: &'s Selection<'s>,
        sources: Option<Vec<(String, PathBuf)>>,
        assetid_key: Option<&'static str>,
        max_file_size: u64,
    ) -> Self {
        let known = OnceLock::new();
        if let Some(sources) = sources {
            let _ = known.set(sources);
        }
        Corpus {
            root: selection.root.to_path_buf(),
            selection,
            sources: known,
            assetid_key,
            max_file_size,
            assetids: OnceLock::new(),
            anchors: Mutex::new(HashMap::default()),
            registered: Mutex::new(HashMap::default()),
            pending: Mutex::new(Vec::new()),
        }
    }

    /// The source article whose asset id is `id` (case-insensitive), if any.
    pub fn source_with_assetid(&self, id: &str) -> Option<&str> {
        self.assetids.get_or_init(|| self.index_assetids()).get(&id.to_ascii_lowercase()).map(String::as_str)
    }

    fn index_assetids(&self) -> HashMap<String, String> {
        let Some(key) = self.assetid_key else {
            return HashMap::default();
        };
        let sources = self.sources.get_or_init(|| {
            discover(self.selection)
                .groups
                .into_iter()
                .filter_map(|group| group.source)
                .map(|file| (file.relative, file.path))
                .collect()
        });
        sources
            .par_iter()
            .filter_map(|(relative, path)| {
                let head = read_head(path, 64 * 1024)?;
                let (front, _) = frontmatter::parse(&head);
                let id = front.get(key)?.value.to_ascii_lowercase();
                Some((id, relative.clone()))
            })
            .collect::<Vec<_>>()
            .into_iter()
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
        lock(&self.anchors).insert(path, anchors.clone());
        anchors
    }

    /// Records the anchors of a parsed document.
    pub fn register(&self, document: &Document) {
        let mut hashed: Vec<u64> = document.anchors().iter().map(|anchor| hash(anchor)).collect();
        hashed.sort_unstable();
        let key = hash_path(&normalize(&document.path));
        lock(&self.registered).insert(key, hashed.into_boxed_slice());
    }

    /// Whether `target` has the anchor `fragment` (lower-cased); `None` when
    /// the target is not a file inside the root.
    pub fn has_anchor(&self, target: &Path, fragment: &str) -> Option<bool> {
        let target = self.inside_root(target)?;
        if let Some(hashed) = lock(&self.registered).get(&hash_path(&target)) {
            return Some(hashed.binary_search(&hash(fragment)).is_ok());
        }
        self.anchors_of(&target).map(|anchors| anchors.contains(fragment))
    }

    /// Whether an already registered document at `target` has the anchor
    /// `fragment` (lower-cased); false when it is not registered (yet).
    pub fn registered_has(&self, target: &Path, fragment: &str) -> bool {
        let key = hash_path(&normalize(target));
        lock(&self.registered).get(&key).is_some_and(|hashed| hashed.binary_search(&hash(fragment)).is_ok())
    }

    pub fn defer(&self, pending: PendingFragment) {
        lock(&self.pending).push(pending);
    }

    pub fn take_pending(&self) -> Vec<PendingFragment> {
        std::mem::take(&mut *lock(&self.pending))
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

/// A poisoned lock still guards consistent data here: entries are inserted
/// whole, so a panic elsewhere cannot leave one half-written.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn hash(anchor: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = FxHasher::default();
    anchor.hash(&mut hasher);
    hasher.finish()
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
