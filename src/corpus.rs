//! The few facts that reach across articles, computed only when a rule
//! asks for them so that a clean run pays nothing for them.

use rustc_hash::{FxHashMap as HashMap, FxHasher};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use crate::discover::{discover, FileEntry, GroupFiles, Selection};
use crate::document::{frontmatter, Document, FrontMatter};
use crate::rules::fragment_broken::{KeptGroup, KeptSource};

pub use crate::document::markdown::AnchorSet;

pub struct Corpus<'s> {
    root: PathBuf,
    /// The root held open, for checking link targets for symbolic links.
    tree: crate::discover::TreeRoot,
    /// How to find every source file of the tree, when a rule needs them.
    selection: &'s Selection<'s>,
    /// The groups this run checks and registers (none when no rule looks
    /// up anchors): a registered file is known by its place among their
    /// files, source first.
    groups: &'s [GroupFiles],
    /// The indexes of `groups`, sorted by article key.
    by_key: Box<[u32]>,
    /// Every source file of the tree.
    sources: Sources<'s>,
    /// [`Sources::Unknown`]'s, once a rule asked for them.
    found_sources: OnceLock<Vec<FileEntry>>,
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
    /// What deciding the pending links needs from their groups' parse, for
    /// the groups that have some.
    kept: Mutex<Kept>,
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
/// values).
struct Registry {
    /// The index of each group's first file among the files this run
    /// checks, and their count last.
    first_file: Box<[u32]>,
    /// For each group, its run of [`Registry::hashes`]: a group registers
    /// its documents at once, so their hashes lie together, the anchors
    /// shared by its documents first (in a drifted tree, the source's
    /// anchors that every copy keeps, stored once instead of once per
    /// document: 40 % of the hashes), then each document's own, in the
    /// order of its files. The run's length is the shared part's.
    groups: Box<[Run]>,
    /// For each file this run checks, the length of its document's own
    /// part of its group's run, with [`Run::WITH_SHARED`] when the
    /// document has the shared anchors too and [`Run::PARTIAL`] when some
    /// of its anchors are not kept; [`Registry::NOT_YET`] until it
    /// is registered. Indexed by file, and where the part starts follows
    /// from the files before it in the group: 2 bytes a file (a start and a
    /// length each were 6, a key and a run 18).
    lengths: Box<[u16]>,
    /// Each document's anchor hashes, sorted.
    hashes: AnchorHashes,
}

/// A group's run of [`Registry::hashes`]. Packed to 8 bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(C, packed(2))]
struct Run {
    start: u32,
    length: u16,
    /// How many fingerprints of the anchors its documents left out
    /// ([`Run::PARTIAL`]) end the run, two to a word, sorted.
    prints: u16,
}

impl Run {
    const WITH_SHARED: u16 = 1 << 15;
    /// The document's part lacks the anchors that only it has in its group
    /// and that it does not write out (the slugs of its translated
    /// headings: 80 % of a drifted tree's hashes, and no link of the
    /// tree's other pages names them): only their fingerprints are kept,
    /// and a fragment not found in its part whose fingerprint is among its
    /// group's is looked up by parsing the file (see [`Has::Maybe`]).
    const PARTIAL: u16 = 1 << 14;
    /// The longest part a document or group may have: a document with more
    /// anchors of its own is looked up by parsing it, as a file outside the
    /// run. One less than fits, so that no length is [`Registry::NOT_YET`].
    const LONGEST: usize = (Self::PARTIAL - 2) as usize;
    const EMPTY: Run = Run { start: 0, length: 0, prints: 0 };
}

/// A length of [`Registry::lengths`] without its flag: the number of
/// hashes the document has in its group's run (none before it registers).
fn own_length(length: u16) -> u32 {
    if length == Registry::NOT_YET {
        0
    } else {
        u32::from(length & !(Run::WITH_SHARED | Run::PARTIAL))
    }
}

/// Whether a registered document has an anchor, as far as its part of the
/// registry tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Has {
    Yes,
    No,
    /// Not among the anchors kept, and the document left out one with the
    /// same fingerprint ([`Run::PARTIAL`]): only its file can tell.
    Maybe,
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
    /// Hashes per chunk: twice the longest part (see [`Run::LONGEST`]), and
    /// a group's run never straddles two chunks.
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
    const NOT_YET: u16 = u16::MAX;

    /// Whether the file `file` (its index among the files this run checks)
    /// has the anchor hashed `anchor`, and its group's index; `None` when
    /// it is not registered.
    fn has_in_group(&self, file: u32, anchor: u32) -> Option<(Has, u32)> {
        let length = *self.lengths.get(file as usize)?;
        if length == Self::NOT_YET {
            return None;
        }
        let group = self.first_file.partition_point(|&first| first <= file).checked_sub(1)?;
        let first = *self.first_file.get(group)?;
        let shared = *self.groups.get(group)?;
        // The document's part follows the shared one and those of the
        // group's files before it (a group has a few dozen files at most).
        let before: u32 =
            self.lengths.get(first as usize..file as usize)?.iter().map(|&length| own_length(length)).sum();
        let start = shared.start.checked_add(u32::from(shared.length))?.checked_add(before)?;
        let own = self.hashes.get(start, own_length(length))?;
        let mut found = own.binary_search(&anchor).is_ok();
        if !found && length & Run::WITH_SHARED != 0 {
            found = self.hashes.get(shared.start, u32::from(shared.length))?.binary_search(&anchor).is_ok();
        }
        let has = if found {
            Has::Yes
        } else if length & Run::PARTIAL == 0 {
            Has::No
        } else {
            // The fingerprints follow every document's part.
            let end = *self.first_file.get(group + 1)?;
            let parts: u32 =
                self.lengths.get(first as usize..end as usize)?.iter().map(|&length| own_length(length)).sum();
            let prints = shared.start.checked_add(u32::from(shared.length))?.checked_add(parts)?;
            let words = self.hashes.get(prints, u32::from(shared.prints).div_ceil(2))?;
            if has_print(words, usize::from(shared.prints), fingerprint(anchor)) {
                Has::Maybe
            } else {
                Has::No
            }
        };
        Some((has, u32::try_from(group).ok()?))
    }

    /// [`Registry::has_in_group`] without the group; `None` also when only
    /// the file can tell ([`Has::Maybe`]).
    fn has_at(&self, file: u32, anchor: u32) -> Option<bool> {
        match self.has_in_group(file, anchor)?.0 {
            Has::Yes => Some(true),
            Has::No => Some(false),
            Has::Maybe => None,
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

    /// Whether the link's fragment (lower-cased) may be `lower`: their
    /// hashes are equal.
    pub fn may_be_for(&self, lower: &str) -> bool {
        self.fragment == hash_anchor(lower)
    }
}

/// What was kept of the parse of the groups with waiting links (see
/// `KeptGroup`), as records of `u32`s in one list. On a drifted tree most
/// groups have waiting links until the groups they link to are checked: a
/// hash map of `KeptGroup`s cost about 50 bytes a group and an
/// allocation for the source's spans, made on the workers' threads among
/// their groups' temporaries; a record here is a few words, and stays one
/// until the end of the run, where [`Kept::get`] decodes a group's record
/// when one of its copies is checked again.
#[derive(Default)]
pub struct Kept {
    /// Each group's index and where its record starts in `words`, in the
    /// order kept (a group is kept once: it is checked once), and once
    /// taken ([`Kept::take`]) in the order of the groups.
    groups: Vec<(u32, u32)>,
    /// The records, one after the other: how many copies are parsed again
    /// and their indexes, then the source's part: [`Kept::ABSENT`],
    /// [`Kept::REPARSE`], or the count of its link spans followed by each
    /// span's start and end.
    words: Vec<u32>,
}

impl Kept {
    const ABSENT: u32 = u32::MAX;
    const REPARSE: u32 = u32::MAX - 1;

    /// Appends `group`'s record; nothing when it does not fit in `u32`s
    /// (the group's copies are then parsed again, as for any group with
    /// nothing kept).
    fn push(&mut self, group: u32, kept: &KeptGroup) {
        let Ok(start) = u32::try_from(self.words.len()) else {
            return;
        };
        let (Ok(reparse), Some(source)) = (u32::try_from(kept.reparse.len()), Self::source_word(&kept.source)) else {
            return;
        };
        self.words.push(reparse);
        self.words.extend_from_slice(&kept.reparse);
        self.words.push(source);
        if let KeptSource::Links(spans) = &kept.source {
            self.words.extend(spans.iter().flat_map(|span| [span.start, span.end]));
        }
        self.groups.push((group, start));
    }

    /// The word that opens the source's part of a record; `None` past
    /// [`Kept::REPARSE`] spans.
    fn source_word(source: &KeptSource) -> Option<u32> {
        match source {
            KeptSource::Absent => Some(Self::ABSENT),
            KeptSource::Reparse => Some(Self::REPARSE),
            KeptSource::Links(spans) => u32::try_from(spans.len()).ok().filter(|&count| count < Self::REPARSE),
        }
    }

    /// The record starting at `start`, and where the next one starts.
    fn record(&self, start: u32) -> Option<(KeptGroup, usize)> {
        let start = start as usize;
        let reparse = *self.words.get(start)? as usize;
        let indexes = self.words.get(start + 1..start + 1 + reparse)?;
        let at = start + 1 + reparse;
        let (source, end) = match *self.words.get(at)? {
            Self::ABSENT => (KeptSource::Absent, at + 1),
            Self::REPARSE => (KeptSource::Reparse, at + 1),
            count => {
                let words = self.words.get(at + 1..at + 1 + 2 * count as usize)?;
                let spans = words.chunks_exact(2).map(|pair| pair[0]..pair[1]).collect();
                (KeptSource::Links(spans), at + 1 + 2 * count as usize)
            }
        };
        Some((KeptGroup { reparse: indexes.into(), source }, end))
    }

    /// Drops the records of the groups without a waiting link, moving the
    /// others down in place, and leaves room for a quarter more.
    fn keep_only_waiting(&mut self, links: &[PendingFragment]) {
        if self.groups.is_empty() {
            return;
        }
        // One bit per group up to the last kept: a few kilobytes, where
        // the links are hundreds of thousands.
        let last = self.groups.iter().map(|&(group, _)| group as usize).max().unwrap_or(0);
        let mut waiting = vec![0u64; last / 64 + 1];
        for link in links {
            if let Some(bits) = waiting.get_mut(link.copy.group as usize / 64) {
                *bits |= 1 << (link.copy.group % 64);
            }
        }
        let is_waiting =
            |group: u32| waiting.get(group as usize / 64).is_some_and(|bits| bits & (1 << (group % 64)) != 0);
        let mut filled = 0;
        let mut kept_groups = 0;
        for index in 0..self.groups.len() {
            let (group, start) = self.groups[index];
            let Some(end) = self.record(start).map(|(_, end)| end) else {
                continue;
            };
            if !is_waiting(group) {
                continue;
            }
            // Records lie in the order of `groups`: this one starts at or
            // after `filled`.
            self.words.copy_within(start as usize..end, filled);
            self.groups[kept_groups] = (group, filled as u32);
            kept_groups += 1;
            filled += end - start as usize;
        }
        self.groups.truncate(kept_groups);
        self.words.truncate(filled);
        self.groups.shrink_to(kept_groups + kept_groups / 4);
        self.words.shrink_to(filled + filled / 4);
    }

    /// The records of the groups of `links` only, to be looked up by group.
    fn take(mut self, links: &[PendingFragment]) -> Kept {
        self.keep_only_waiting(links);
        // From here on nothing is pruned, which relies on the records'
        // order: the groups can be sorted for `get`.
        self.groups.sort_unstable_by_key(|&(group, _)| group);
        self.groups.shrink_to_fit();
        self.words.shrink_to_fit();
        self
    }

    /// The record of `group`, decoded, if it was kept and taken.
    pub fn get(&self, group: u32) -> Option<KeptGroup> {
        let at = self.groups.binary_search_by_key(&group, |&(group, _)| group).ok()?;
        Some(self.record(self.groups.get(at)?.1)?.0)
    }
}

/// Every source file of the tree, as the caller has them.
pub enum Sources<'s> {
    /// Not known yet: the tree is walked for them on first use.
    Unknown,
    /// The sources of these groups, which are all the tree's: borrowed,
    /// not copied (a 100,000-file tree has 10,000 of them).
    OfGroups(&'s [GroupFiles]),
    Listed(Vec<FileEntry>),
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
    /// otherwise they are found on first use. `checked`: the groups this
    /// run checks and registers, in the order of their indexes (none when
    /// no rule looks up anchors).
    pub fn new(
        selection: &'s Selection<'s>,
        sources: Sources<'s>,
        checked: &'s [GroupFiles],
        assetid_key: Option<&'static str>,
        max_file_size: u64,
    ) -> Self {
        let root = selection.root.to_path_buf();
        // More than 4 billion files would not fit in memory anyway: the
        // registry is left empty and every target parsed.
        let (checked, first_file) = match files_before_each(checked) {
            Some(first_file) => (checked, first_file),
            None => (&checked[..0], vec![0]),
        };
        let files = first_file.last().map_or(0, |&files| files as usize);
        let mut by_key: Vec<u32> = (0..checked.len() as u32).collect();
        by_key.sort_by(|&a, &b| checked[a as usize].key.cmp(&checked[b as usize].key));
        Corpus {
            tree: crate::discover::TreeRoot::new(root.clone()),
            root,
            selection,
            groups: checked,
            by_key: by_key.into_boxed_slice(),
            sources,
            found_sources: OnceLock::new(),
            assetid_key,
            max_file_size,
            assetids: OnceLock::new(),
            anchors: Mutex::new(HashMap::default()),
            registry: Mutex::new(Registry {
                first_file: first_file.into_boxed_slice(),
                groups: vec![Run::EMPTY; checked.len()].into_boxed_slice(),
                lengths: vec![Registry::NOT_YET; files].into_boxed_slice(),
                hashes: AnchorHashes::default(),
            }),
            pending: Mutex::new(Pending { links: Vec::new(), compact_at: Pending::FIRST_COMPACTION }),
            kept: Mutex::new(Kept::default()),
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
        let sources: Box<dyn Iterator<Item = &FileEntry>> = match &self.sources {
            Sources::OfGroups(groups) => Box::new(groups.iter().filter_map(|group| group.source.as_ref())),
            Sources::Listed(sources) => Box::new(sources.iter()),
            Sources::Unknown => Box::new(
                self.found_sources
                    .get_or_init(|| {
                        discover(self.selection).groups.into_iter().filter_map(|group| group.source).collect()
                    })
                    .iter(),
            ),
        };
        // Sequential: this runs inside a group's check, and a pool thread
        // waiting for a nested parallel loop may take up another group's
        // check, which would wait for this very index on the same thread.
        sources
            .filter_map(|file| {
                let relative = file.relative();
                let (head, front) = read_front_matter(&self.root.join(&*relative), 64 * 1024)?;
                let id = front.get(&head, key)?.value.trim().to_ascii_lowercase();
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
        self.anchors_inside(self.inside_root(path)?)
    }

    /// [`Corpus::anchors_of`] a path [`Corpus::inside_root`] gave.
    fn anchors_inside(&self, path: PathBuf) -> Option<Arc<AnchorSet>> {
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

    /// Records the anchors of the parsed documents of the group `group`: its
    /// source (`None` when it has no source file) and its copies, as given
    /// to [`Corpus::new`].
    pub fn register(&self, group: u32, source: Option<&Document>, copies: &[Document]) {
        let Some(files) = self.groups.get(group as usize) else {
            return;
        };
        if files.source.is_some() != source.is_some() || files.copies.len() != copies.len() {
            return;
        }
        let documents = source.into_iter().chain(copies).enumerate().filter(|(_, document)| document.is_checked());
        let mut hashed: Vec<(usize, Vec<u32>)> = documents
            .clone()
            .map(|(position, document)| {
                let mut hashed: Vec<u32> = document.anchors().iter().map(|anchor| hash_anchor(anchor)).collect();
                hashed.sort_unstable();
                hashed.dedup();
                (position, hashed)
            })
            .collect();
        // A copy's anchors that no other document of the group has and that
        // it does not write out are not kept (see [`Run::PARTIAL`]).
        let mut everyone: Vec<u32> = hashed.iter().flat_map(|(_, hashed)| hashed.iter().copied()).collect();
        everyone.sort_unstable();
        let alone = |anchor: &u32| {
            let first = everyone.partition_point(|other| other < anchor);
            everyone.get(first + 1) != Some(anchor)
        };
        let mut partial = Vec::new();
        let mut prints: Vec<u16> = Vec::new();
        let (mut written, mut lower) = (Vec::new(), String::new());
        for ((position, hashed), (_, document)) in hashed.iter_mut().zip(documents) {
            if source.is_some() && *position == 0 {
                continue;
            }
            // Lower-cased as `AnchorSet` has them, an ASCII name in place.
            written.clear();
            written.extend(document.facts.anchors.iter().map(|anchor| {
                if anchor.name.is_ascii() {
                    lower.clear();
                    lower.push_str(&anchor.name);
                    lower.make_ascii_lowercase();
                    hash_anchor(&lower)
                } else {
                    hash_anchor(&anchor.name.to_lowercase())
                }
            }));
            written.sort_unstable();
            let before = prints.len();
            hashed.retain(|&anchor| {
                let kept = !alone(&anchor) || written.binary_search(&anchor).is_ok();
                if !kept {
                    prints.push(fingerprint(anchor));
                }
                kept
            });
            if prints.len() > before {
                partial.push(*position);
            }
        }
        prints.sort_unstable();
        prints.dedup();
        if prints.len() > Run::LONGEST {
            return;
        }
        // The anchors every document with anchors has: a copy keeps its
        // source's explicit anchors, and adds its translated headings' own.
        let mut with_anchors = hashed.iter().map(|(_, hashed)| hashed).filter(|hashed| !hashed.is_empty());
        let mut shared = with_anchors.next().cloned().unwrap_or_default();
        for hashed in with_anchors {
            shared.retain(|anchor| hashed.binary_search(anchor).is_ok());
        }
        // Past 16,382 anchors (shared, a document's own, or left out), 65,536 in the
        // group (a chunk), or 4 billion in all: links into the document are
        // answered by parsing it (`anchors_of`), as for a file outside the
        // run.
        let shared = if shared.len() <= Run::LONGEST { shared } else { Vec::new() };
        let mut run = shared.clone();
        let mut lengths = Vec::with_capacity(hashed.len());
        for (position, mut hashed) in hashed {
            let with_shared = !hashed.is_empty() && !shared.is_empty();
            if with_shared {
                hashed.retain(|anchor| shared.binary_search(anchor).is_err());
            }
            if hashed.len() > Run::LONGEST {
                continue;
            }
            let mut length = hashed.len() as u16;
            if with_shared {
                length |= Run::WITH_SHARED;
            }
            if partial.contains(&position) {
                length |= Run::PARTIAL;
            }
            lengths.push((position, length));
            run.extend_from_slice(&hashed);
        }
        run.extend(
            prints.chunks(2).map(|pair| u32::from(pair[0]) | u32::from(pair.get(1).copied().unwrap_or(u16::MAX)) << 16),
        );
        let mut registry = lock(&self.registry);
        let Some(&first) = registry.first_file.get(group as usize) else {
            return;
        };
        let Some(start) = registry.hashes.push(&run) else {
            return;
        };
        if let Some(slot) = registry.groups.get_mut(group as usize) {
            *slot = Run { start, length: shared.len() as u16, prints: prints.len() as u16 };
        }
        for (position, length) in lengths {
            if let Some(slot) = (first as usize).checked_add(position).and_then(|file| registry.lengths.get_mut(file)) {
                *slot = length;
            }
        }
    }

    /// The index among the files this run checks of the file at `path`
    /// (normalized), if it is one.
    fn file_at(&self, path: &Path) -> Option<u32> {
        if self.groups.is_empty() {
            return None;
        }
        let relative = relative_to(&self.root, path)?;
        let (_, key) = self.selection.layout.classify(relative, self.selection.source_locale)?;
        let registry = lock(&self.registry);
        let first_with_key = self.by_key.partition_point(|&group| *self.groups[group as usize].key < *key);
        self.by_key[first_with_key..].iter().take_while(|&&group| *self.groups[group as usize].key == *key).find_map(
            |&group| {
                let files = &self.groups[group as usize];
                let position = files.files().position(|file| file.is_at(relative))?;
                registry.first_file.get(group as usize)?.checked_add(u32::try_from(position).ok()?)
            },
        )
    }

    /// Whether `target` has the anchor `fragment` (lower-cased); `None` when
    /// the target is not a file inside the root.
    pub fn has_anchor(&self, target: &Path, fragment: &str) -> Option<bool> {
        let target = self.inside_root(target)?;
        let file = self.file_at(&target);
        self.has_anchor_inside(target, file, fragment)
    }

    /// [`Corpus::has_anchor`] of a path [`Corpus::inside_root`] gave, which
    /// is the checked file `file` if any: a target outside the run is
    /// neither checked nor looked up twice.
    fn has_anchor_inside(&self, target: PathBuf, file: Option<u32>, fragment: &str) -> Option<bool> {
        let registered = file.and_then(|file| lock(&self.registry).has_at(file, hash_anchor(fragment)));
        if let Some(found) = registered {
            return Some(found);
        }
        self.anchors_inside(target).map(|anchors| anchors.contains(fragment))
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
        let anchor = hash_anchor(fragment);
        // Only files this run checks are waited for.
        let waits_for = self.file_at(&target);
        if let Some(file) = waits_for {
            let known = lock(&self.registry).has_in_group(file, anchor);
            match known {
                Some((Has::Yes, _)) => return FragmentLookup::Found,
                Some((has, group)) if group == id.group || self.settled.load(Ordering::Acquire) => {
                    let found = match has {
                        Has::Maybe => self
                            .inside_root(&target)
                            .and_then(|inside| self.anchors_inside(inside))
                            .is_none_or(|anchors| anchors.contains(fragment)),
                        _ => false,
                    };
                    return if found { FragmentLookup::Found } else { FragmentLookup::Missing(target) };
                }
                _ => {}
            }
        }
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
                    drop(registry);
                    lock(&self.kept).keep_only_waiting(&waiting.links);
                }
                waiting.links.push(pending);
                return FragmentLookup::Later;
            }
        }
        // `target` is normalized already: the file it is, if checked, is
        // `waits_for`.
        match self.inside_root(&target).and_then(|inside| self.has_anchor_inside(inside, waits_for, fragment)) {
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
        let mut pending = std::mem::take(&mut lock(&self.pending).links);
        let registry = lock(&self.registry);
        pending.retain(|link| registry.has_at(link.target, link.fragment) != Some(true));
        // The list had room for a quarter more than it held when last
        // compacted, and most of what it held found its anchor: it is kept
        // to the end of the run at its length (shrunk in place).
        pending.shrink_to_fit();
        pending
    }

    /// Keeps what deciding the pending links of the group `group` needs
    /// (see `KeptGroup`).
    pub fn keep(&self, group: u32, kept: KeptGroup) {
        lock(&self.kept).push(group, &kept);
    }

    /// What was kept for the groups of `links` (see [`Corpus::keep`]); the
    /// rest is dropped.
    pub fn take_kept(&self, links: &[PendingFragment]) -> Kept {
        std::mem::take(&mut *lock(&self.kept)).take(links)
    }

    /// `path` without `.`/`..`, if it stays inside the root. Lexical, so a
    /// symbolic link is never followed out of the tree.
    fn inside_root(&self, path: &Path) -> Option<PathBuf> {
        let path = normalize(path);
        let relative = path.strip_prefix(&self.root).ok()?;
        let relative = crate::discover::relative_path_of(relative);
        self.tree.free_of_links(&relative).then_some(path)
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

/// The fingerprint of a hashed anchor that a document leaves out of the
/// registry (see [`Run::PARTIAL`]): a fragment whose fingerprint is not
/// among its group's is not among those anchors, and only the others (one
/// in 65,536 fragments against each left-out anchor) parse the document.
fn fingerprint(anchor: u32) -> u16 {
    anchor as u16
}

/// Whether `count` sorted fingerprints, two to a word of `words` (the
/// first in the low half), hold `print`.
fn has_print(words: &[u32], count: usize, print: u16) -> bool {
    let at = |index: usize| words.get(index / 2).map(|&word| (word >> (16 * (index % 2))) as u16);
    let (mut low, mut high) = (0, count);
    while low < high {
        let middle = low + (high - low) / 2;
        if at(middle) < Some(print) {
            low = middle + 1;
        } else {
            high = middle;
        }
    }
    low < count && at(low) == Some(print)
}

/// The high half of the hash: FxHash mixes its high bits best.
fn hash_anchor(anchor: &str) -> u32 {
    use std::hash::{Hash, Hasher};
    let mut hasher = FxHasher::default();
    anchor.hash(&mut hasher);
    (hasher.finish() >> 32) as u32
}

/// The index of each group's first file (source first, then copies) among
/// all of theirs, and their count last; `None` past `u32::MAX` files.
fn files_before_each(groups: &[GroupFiles]) -> Option<Vec<u32>> {
    let mut first_file = Vec::with_capacity(groups.len() + 1);
    let mut files = 0u32;
    first_file.push(files);
    for group in groups {
        let count = u32::try_from(usize::from(group.source.is_some()) + group.copies.len()).ok()?;
        files = files.checked_add(count)?;
        first_file.push(files);
    }
    Some(first_file)
}

/// `path` (normalized) relative to `root`, as text. A normalized path
/// under the root is the root's text, a separator and the rest, which is
/// what [`Path::strip_prefix`] gives, compared a component at a time; any
/// other path goes that way.
fn relative_to<'p>(root: &Path, path: &'p Path) -> Option<&'p str> {
    let by_text = path
        .to_str()
        .zip(root.to_str())
        .and_then(|(path, root)| path.strip_prefix(root)?.strip_prefix(std::path::MAIN_SEPARATOR));
    match by_text {
        Some(relative) => Some(relative),
        None => path.strip_prefix(root).ok()?.to_str(),
    }
}

/// Removes `.` and resolves `..` without touching the file system.
fn normalize(path: &Path) -> PathBuf {
    // An absolute Unix path in text, a part between slashes at a time: the
    // components below give the same, with a `PathBuf` grown a push at a
    // time (each link into another article is normalized).
    if cfg!(unix) {
        if let Some(text) = path.to_str().filter(|text| text.starts_with('/')) {
            let mut normal = String::with_capacity(text.len());
            for part in text.split('/') {
                match part {
                    "" | "." => {}
                    ".." => normal.truncate(normal.rfind('/').unwrap_or(0)),
                    part => {
                        normal.push('/');
                        normal.push_str(part);
                    }
                }
            }
            if normal.is_empty() {
                normal.push('/');
            }
            return PathBuf::from(normal);
        }
    }
    normalize_by_components(path)
}

fn normalize_by_components(path: &Path) -> PathBuf {
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

/// The first `limit` bytes of the file at `path` (lossily decoded, BOM
/// removed), or fewer when its front matter closes sooner, with that front
/// matter parsed. A source's front matter closes within its first few KiB:
/// the asset-id index read every source whole (a clean tree's sources are
/// 13 KB on average). The file is opened as the documents are, without
/// following a symbolic link swapped in since the walk.
pub(crate) fn read_front_matter(path: &Path, limit: u64) -> Option<(String, FrontMatter)> {
    use std::io::Read;
    let mut file = crate::discover::open_no_follow(path).ok()?;
    let first = FRONT_MATTER_READ.min(limit);
    // Room for the first read and the byte that tells it ended the file:
    // from an empty `Vec`, `read_to_end` reads 32 bytes, then twice as many
    // each time (eight reads for 4 KiB).
    let mut bytes = Vec::with_capacity(first as usize + 1);
    (&mut file).take(first).read_to_end(&mut bytes).ok()?;
    if bytes.len() as u64 == first {
        let head = decode_head(&bytes);
        let (front, body_start) = frontmatter::parse(&head);
        // The closing line and its line break lie before the cut (a `\r`
        // there could be half a `\r\n`), so the front matter and every
        // byte before it read as they would from the whole file (a
        // character cut in two is replaced after them).
        if body_start > 0 && body_start < head.len() {
            return Some((head, front));
        }
        file.take(limit - first).read_to_end(&mut bytes).ok()?;
    }
    let head = decode_head(&bytes);
    let (front, _) = frontmatter::parse(&head);
    Some((head, front))
}

/// Bytes read by [`read_front_matter`] first.
const FRONT_MATTER_READ: u64 = 4096;

fn decode_head(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    String::from_utf8_lossy(bytes).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn write_tree(root: &Path, texts: &[(&str, impl AsRef<str>)]) {
        for (relative, text) in texts {
            let path = root.join(relative);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text.as_ref()).unwrap();
        }
    }

    /// What a [`Selection`] of a tree's Markdown in locale folders, en-us
    /// the source, borrows.
    struct SelectionParts {
        root: std::path::PathBuf,
        include: globset::GlobSet,
        exclude: globset::GlobSet,
        layout: crate::discover::Layout,
    }

    impl SelectionParts {
        fn of(root: &Path) -> Self {
            SelectionParts {
                root: root.canonicalize().unwrap(),
                include: crate::discover::glob_set(&["**/*.md".to_string()], "include").unwrap(),
                exclude: crate::discover::glob_set(&[], "exclude").unwrap(),
                layout: crate::discover::Layout::LocaleFolders,
            }
        }

        fn selection(&self) -> Selection<'_> {
            Selection {
                root: &self.root,
                layout: &self.layout,
                source_locale: "en-us",
                include: &self.include,
                exclude: &self.exclude,
                locales: &[],
                ignore_files: false,
            }
        }
    }

    #[test]
    fn a_group_shares_its_common_anchors_and_each_document_keeps_exactly_its_own() {
        let tree = tempfile::tempdir().unwrap();
        let texts = [
            ("en-us/guide.md", "# Guide\n\n## Setup\n\n## <a name=\"keys\"></a>Keys\n"),
            ("de-de/guide.md", "# <a name=\"guide\"></a>Anleitung\n\n## <a name=\"setup\"></a>Einrichtung\n"),
            ("ja-jp/guide.md", "# <a name=\"guide\"></a>ガイド\n\n## <a name=\"setup\"></a>設定\n\n## Keys\n"),
            ("ko-kr/guide.md", "No heading at all.\n"),
            ("en-us/other.md", "# Other\n"),
        ];
        write_tree(tree.path(), &texts);
        let parts = SelectionParts::of(tree.path());
        let (selection, root) = (parts.selection(), &parts.root);
        let groups = discover(&selection).groups;
        let corpus = Corpus::new(&selection, Sources::Unknown, &groups, None, 1 << 20);
        let load = |file: crate::discover::File<'_>| {
            Document::load(&file.path(root), file.relative().into_owned(), file.locale().into(), 1 << 20, false)
        };
        let mut everywhere = Vec::new();
        for (index, group) in groups.iter().enumerate() {
            let source = group.source.as_ref().map(|file| load(file.file()));
            let copies: Vec<Document> = group.copies.iter().map(load).collect();
            corpus.register(index as u32, source.as_ref(), &copies);
            everywhere.extend(source.into_iter().chain(copies));
        }
        let anchors: BTreeSet<String> =
            everywhere.iter().flat_map(|document| document.anchors().iter().cloned()).collect();
        assert!(anchors.contains("setup") && anchors.contains("keys") && anchors.contains("設定"));
        for document in &everywhere {
            for anchor in &anchors {
                assert_eq!(
                    corpus.has_anchor(&document.path, anchor),
                    Some(document.anchors().contains(anchor)),
                    "{} #{anchor}",
                    document.display_path()
                );
            }
        }
        // `guide` and `setup` are stored once for the three documents of
        // `guide.md` with anchors, `keys` once for each of two, and the
        // translated headings' slugs not at all (13 hashes without sharing,
        // 9 without leaving those out); the lone `other.md` shares its
        // whole set.
        {
            let registry = lock(&corpus.registry);
            assert_eq!(registry.groups.iter().map(|run| run.length).collect::<Vec<_>>(), [2, 1]);
            // Four fingerprints in two words.
            assert_eq!(registry.hashes.filled, 2 + 1 + 1 + 2 + 1);
            let ja = 2;
            assert_eq!(registry.has_in_group(ja, hash_anchor("設定")), Some((Has::Maybe, 0)));
            assert_eq!(registry.has_in_group(ja, hash_anchor("keys")), Some((Has::Yes, 0)));
            let unlike = (0..).map(|n| format!("nope{n}")).find(|name| {
                let print = fingerprint(hash_anchor(name));
                ["anleitung", "einrichtung", "ガイド", "設定"]
                    .iter()
                    .all(|left| fingerprint(hash_anchor(left)) != print)
            });
            assert_eq!(registry.has_in_group(ja, hash_anchor(&unlike.unwrap())), Some((Has::No, 0)));
            let partial: Vec<bool> = registry.lengths.iter().map(|&length| length & Run::PARTIAL != 0).collect();
            assert_eq!(partial, [false, true, true, false, false], "en-us, de-de, ja-jp, ko-kr, other.md");
        }
        // A link into a page whose left-out anchors may hold the fragment
        // is decided by the page's file: at once from its own group and
        // once every group is registered, and waits otherwise, as a
        // missing fragment does.
        let copy = everywhere.iter().find(|document| document.display_path() == "de-de/guide.md").unwrap();
        let look_up = |group: u32, fragment: &str| {
            let id = CopyId { group, copy: 0 };
            match corpus.look_up(copy, id, 0..1, "../ja-jp/guide.md", fragment) {
                FragmentLookup::Found => "found",
                FragmentLookup::Missing(_) => "missing",
                FragmentLookup::Later => "later",
            }
        };
        let fragments = ["設定", "ガイド", "keys", "setup", "nope"];
        let answers = |group| fragments.map(|fragment| look_up(group, fragment));
        assert_eq!(answers(0), ["found", "found", "found", "found", "missing"]);
        assert_eq!(answers(1), ["later", "later", "found", "found", "later"]);
        assert_eq!(corpus.take_pending().len(), 3);
        assert_eq!(answers(1), ["found", "found", "found", "found", "missing"]);
    }

    #[test]
    fn paths_are_normalized_and_made_relative_as_by_their_components() {
        let paths = [
            "/root/de-de/billing/../x.md",
            "/root/de-de/./billing//a.md/",
            "/root/../../..",
            "/..",
            "/",
            "//root///de-de/x.md",
            "/root/de-de/.../x.md",
            "/root/de-de/a/../../../outside/x.md",
            "/root/de-de/a/..",
            "/root/./de-de/.hidden/x.md",
            "/root/ja-jp/ガイド/../設定.md",
            "/rootless/x.md",
            "/root",
            "relative/../x.md",
            "./x.md",
            "",
        ];
        for text in paths {
            let path = Path::new(text);
            let normal = normalize(path);
            assert_eq!(normal.as_os_str(), normalize_by_components(path).as_os_str(), "{text:?}");
            for root in ["/root", "/", "/root/de-de", "relative"] {
                let root = Path::new(root);
                let expected = normal.strip_prefix(root).ok().and_then(Path::to_str);
                assert_eq!(relative_to(root, &normal), expected, "{text:?} under {root:?}");
            }
        }
    }

    #[test]
    fn front_matter_read_in_part_agrees_with_the_whole_head() {
        // Front matter closing everywhere around the first read's cut, with
        // each line ending, a character cut in two, a BOM, none at all.
        let dir = tempfile::tempdir().expect("temporary folder");
        let path = dir.path().join("page.md");
        let cut = FRONT_MATTER_READ as usize;
        let mut cases = 0;
        for ending in ["\n", "\r\n", "\r"] {
            for bom in ["", "\u{FEFF}"] {
                for filler in (cut - 40..cut + 8).chain([10, 5000]) {
                    for tail in ["", "é", "# T\n", "body\n"] {
                        let start = format!("{bom}---{ending}ms.assetid: ID-{filler}{ending}note: ");
                        let pad = "é".repeat(filler.saturating_sub(start.len()) / 2);
                        let text = format!("{start}{pad}{ending}---{ending}{tail}");
                        std::fs::write(&path, &text).expect("write the page");
                        let (head, front) = read_front_matter(&path, 64 * 1024).expect("read");
                        let whole = read_head_whole(&path, 64 * 1024);
                        let (whole_front, _) = frontmatter::parse(&whole);
                        let entries = |front: &FrontMatter, text: &str| -> Vec<(String, String)> {
                            front.entries(text).map(|entry| (entry.key.into(), entry.value.into())).collect()
                        };
                        assert_eq!(entries(&front, &head), entries(&whole_front, &whole), "{text:?}");
                        assert_eq!(front.problem, whole_front.problem, "{text:?}");
                        cases += 1;
                    }
                }
            }
        }
        for text in ["no front matter\n", "---\nunclosed: yes\n", &format!("---\n{}", "x: y\n".repeat(2000))] {
            std::fs::write(&path, text).expect("write the page");
            let (head, front) = read_front_matter(&path, 64 * 1024).expect("read");
            let whole = read_head_whole(&path, 64 * 1024);
            assert_eq!(head, whole);
            assert_eq!(front.problem, frontmatter::parse(&whole).0.problem);
        }
        assert!(cases > 500);
    }

    #[test]
    fn the_assetid_index_answers_the_first_source_in_sorted_order_and_skips_links() {
        let tree = tempfile::tempdir().unwrap();
        let long_front = format!("---\nnote: {}\nms.assetid: LONG\n---\n", "x".repeat(6000));
        let texts = [
            ("en-us/b/twin.md", "---\nms.assetid: Twin\n---\n# B\n".to_string()),
            ("en-us/a/twin.md", "---\nms.assetid: twin\n---\n# A\n".to_string()),
            ("en-us/c.md", "---\nms.assetid:   Spaced  \n---\n".to_string()),
            ("en-us/blank.md", "---\nms.assetid:\n---\n".to_string()),
            ("en-us/none.md", "# No front matter\n".to_string()),
            ("en-us/long.md", long_front),
            ("en-us/bom.md", "\u{FEFF}---\nms.assetid: BOM\n---\n".to_string()),
            ("de-de/c.md", "---\nms.assetid: COPY-ONLY\n---\n".to_string()),
            ("outside.md", "---\nms.assetid: OUTSIDE\n---\n".to_string()),
        ];
        write_tree(tree.path(), &texts);
        let parts = SelectionParts::of(tree.path());
        let (selection, root) = (parts.selection(), &parts.root);
        let groups = discover(&selection).groups;
        let answers = |corpus: &Corpus<'_>| -> Vec<Option<String>> {
            ["TWIN", " twin ", "spaced", "long", "bom", "copy-only", "outside", "", "nothing"]
                .iter()
                .map(|id| corpus.source_with_assetid(id).map(str::to_string))
                .collect()
        };
        let expected: Vec<Option<String>> = [
            Some("en-us/a/twin.md"),
            Some("en-us/a/twin.md"),
            Some("en-us/c.md"),
            Some("en-us/long.md"),
            Some("en-us/bom.md"),
            None,
            None,
            None,
            None,
        ]
        .iter()
        .map(|answer| answer.map(str::to_string))
        .collect();
        let of_groups = Corpus::new(&selection, Sources::OfGroups(&groups), &groups, Some("ms.assetid"), 1 << 20);
        assert_eq!(answers(&of_groups), expected);
        let unknown = Corpus::new(&selection, Sources::Unknown, &[], Some("ms.assetid"), 1 << 20);
        assert_eq!(answers(&unknown), expected);
        #[cfg(unix)]
        {
            // A source swapped for a link after the walk is not read through.
            let twin = root.join("en-us/a/twin.md");
            std::fs::remove_file(&twin).unwrap();
            std::os::unix::fs::symlink(root.join("outside.md"), &twin).unwrap();
            let swapped = Corpus::new(&selection, Sources::OfGroups(&groups), &groups, Some("ms.assetid"), 1 << 20);
            assert_eq!(swapped.source_with_assetid("twin"), Some("en-us/b/twin.md"));
            assert_eq!(swapped.source_with_assetid("outside"), None);
        }
    }

    /// How the index read a source before `read_front_matter`.
    fn read_head_whole(path: &Path, limit: u64) -> String {
        use std::io::Read;
        let mut bytes = Vec::new();
        std::fs::File::open(path).expect("open").take(limit).read_to_end(&mut bytes).expect("read");
        decode_head(&bytes)
    }

    #[test]
    fn kept_records_come_back_as_kept_and_only_for_groups_still_waiting() {
        let waiting_in = |groups: &[u32]| -> Vec<PendingFragment> {
            groups
                .iter()
                .map(|&group| PendingFragment {
                    target: 0,
                    fragment: 0,
                    copy: CopyId { group, copy: 0 },
                    start: 0,
                    end: 1,
                })
                .collect()
        };
        let records = [
            (3, KeptGroup { reparse: Box::new([]), source: KeptSource::Links(Box::new([4..9, 20..31])) }),
            (1, KeptGroup { reparse: Box::new([0, 2]), source: KeptSource::Absent }),
            (200, KeptGroup { reparse: Box::new([]), source: KeptSource::Reparse }),
            (7, KeptGroup { reparse: Box::new([5]), source: KeptSource::Links(Box::new([0..1, 3..4])) }),
            (64, KeptGroup { reparse: Box::new([]), source: KeptSource::Absent }),
        ];
        let mut kept = Kept::default();
        for (group, record) in &records {
            kept.push(*group, record);
        }
        // Pruned while the run goes on: the records after a dropped one
        // move down and stay whole.
        kept.keep_only_waiting(&waiting_in(&[7, 200, 3, 64, 64]));
        assert_eq!(kept.groups.iter().map(|&(group, _)| group).collect::<Vec<_>>(), [3, 200, 7, 64]);
        kept.push(9, &KeptGroup { reparse: Box::new([1]), source: KeptSource::Absent });
        let taken = kept.take(&waiting_in(&[64, 9, 3, 7, 5]));
        let mut expected: HashMap<u32, KeptGroup> =
            records.into_iter().filter(|(group, _)| [3, 7, 64].contains(group)).collect();
        expected.insert(9, KeptGroup { reparse: Box::new([1]), source: KeptSource::Absent });
        // Looked up by group, in any order: only the groups still waiting
        // have a record, each its own.
        for group in (0..=256).rev().chain([u32::MAX]) {
            assert_eq!(taken.get(group), expected.get(&group).cloned(), "group {group}");
        }
    }

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
        // One run per group, a length per file.
        assert_eq!(std::mem::size_of::<Run>(), 8);
    }

    #[test]
    fn fingerprints_two_to_a_word_are_found_exactly() {
        for count in 0..9usize {
            let prints: Vec<u16> = (0..count as u16).map(|n| n * 3 + 1).collect();
            let words: Vec<u32> = prints
                .chunks(2)
                .map(|pair| u32::from(pair[0]) | u32::from(pair.get(1).copied().unwrap_or(u16::MAX)) << 16)
                .collect();
            for print in 0..30 {
                assert_eq!(has_print(&words, count, print), prints.contains(&print), "{count} {print}");
            }
            // The filler of an odd count is not a fingerprint.
            assert!(!has_print(&words, count, u16::MAX));
        }
    }
}
