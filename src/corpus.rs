//! The few facts that reach across articles, computed only when a rule
//! asks for them so that a clean run pays nothing for them.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use rayon::prelude::*;

use crate::discover::{discover, Selection};
use crate::document::markdown::Facts;
use crate::document::{frontmatter, text, Document};

pub type AnchorSet = HashSet<String>;

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
            anchors: Mutex::new(HashMap::new()),
        }
    }

    /// The source article whose asset id is `id` (case-insensitive), if any.
    pub fn source_with_assetid(&self, id: &str) -> Option<&str> {
        self.assetids.get_or_init(|| self.index_assetids()).get(&id.to_ascii_lowercase()).map(String::as_str)
    }

    fn index_assetids(&self) -> HashMap<String, String> {
        let Some(key) = self.assetid_key else {
            return HashMap::new();
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
            .fold(HashMap::new(), |mut index, (id, relative)| {
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
    /// attributes and heading slugs), or `None` when it does not exist or
    /// lies outside the root.
    pub fn anchors_of(&self, path: &Path) -> Option<Arc<AnchorSet>> {
        let path = path.canonicalize().ok()?;
        if !path.starts_with(&self.root) {
            return None;
        }
        if let Some(cached) = self.lock().get(&path) {
            return cached.clone();
        }
        let anchors = path.is_file().then(|| {
            let document = Document::load(&path, String::new(), String::new(), self.max_file_size, false);
            Arc::new(anchors(&document.facts))
        });
        self.lock().insert(path, anchors.clone());
        anchors
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<PathBuf, Option<Arc<AnchorSet>>>> {
        // A panic while holding the lock cannot leave the cache inconsistent
        // (entries are inserted whole), so a poisoned lock is still usable.
        self.anchors.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// The anchors a reader can link to in a document.
pub fn anchors(facts: &Facts) -> AnchorSet {
    facts
        .anchors
        .iter()
        .map(|anchor| anchor.name.to_lowercase())
        .chain(facts.headings.iter().map(|heading| text::slug(&heading.text)))
        .collect()
}

fn read_head(path: &Path, limit: u64) -> Option<String> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path).ok()?.take(limit).read_to_end(&mut bytes).ok()?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    Some(String::from_utf8_lossy(bytes).into_owned())
}
