//! Finding files and grouping each source with its localized copies.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use globset::GlobSet;
use regex::Regex;

use crate::error::Error;
use crate::locale;

/// How a tree maps files to (locale, article).
#[derive(Debug, Clone)]
pub enum Layout {
    /// `ROOT/[prefix/]<locale>/<path>`.
    LocaleFolders,
    /// One folder per locale, relative to the root.
    Roots(BTreeMap<String, String>),
    Template {
        source: Template,
        copy: Template,
    },
}

/// A path template such as `i18n/{locale}/docs/{path}` or
/// `{dir}/{stem}.{locale}.md`.
#[derive(Debug, Clone)]
pub struct Template {
    pub text: String,
    pattern: Regex,
}

impl Template {
    pub fn new(text: &str) -> Result<Template, String> {
        let mut pattern = String::from("^");
        let mut rest = text;
        let mut seen = BTreeSet::new();
        while let Some(open) = rest.find('{') {
            pattern.push_str(&regex::escape(&rest[..open]));
            let close = rest[open..].find('}').ok_or_else(|| format!("unclosed `{{` in template `{text}`"))? + open;
            let name = &rest[open + 1..close];
            if !seen.insert(name.to_string()) {
                return Err(format!("`{{{name}}}` appears twice in template `{text}`"));
            }
            rest = &rest[close + 1..];
            match name {
                "locale" => pattern.push_str(r"(?P<locale>[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,4}){0,2})"),
                "path" => pattern.push_str(r"(?P<path>.+)"),
                "stem" => pattern.push_str(r"(?P<stem>[^/]+?)"),
                "dir" => match rest.strip_prefix('/') {
                    Some(after) => {
                        pattern.push_str(r"(?:(?P<dir>.+)/)?");
                        rest = after;
                    }
                    None => pattern.push_str(r"(?P<dir>.*)"),
                },
                other => {
                    return Err(format!(
                        "unknown placeholder `{{{other}}}` in template `{text}`; use {{locale}}, {{path}}, {{dir}} or {{stem}}"
                    ))
                }
            }
        }
        pattern.push_str(&regex::escape(rest));
        pattern.push('$');
        let pattern = Regex::new(&pattern).map_err(|error| error.to_string())?;
        Ok(Template { text: text.to_string(), pattern })
    }

    fn has_locale(&self) -> bool {
        self.text.contains("{locale}")
    }

    /// The article key (`dir`, `stem`, `path` captures) and locale of `path`.
    fn matches(&self, path: &str) -> Option<(Option<String>, String)> {
        let captures = self.pattern.captures(path)?;
        let locale = captures.name("locale").map(|m| m.as_str().to_string());
        let key = ["dir", "stem", "path"]
            .iter()
            .map(|name| captures.name(name).map_or("", |m| m.as_str()))
            .collect::<Vec<_>>()
            .join(KEY_SEPARATOR);
        Some((locale, key))
    }

    fn fill(&self, key: &str, locale: &str) -> String {
        let mut parts = key.split(KEY_SEPARATOR);
        let (dir, stem, path) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""), parts.next().unwrap_or(""));
        let dir_filled = if dir.is_empty() {
            self.text.replace("{dir}/", "").replace("{dir}", "")
        } else {
            self.text.replace("{dir}", dir)
        };
        dir_filled.replace("{stem}", stem).replace("{path}", path).replace("{locale}", locale)
    }
}

const KEY_SEPARATOR: &str = "\u{1f}";

/// A repository's own files at the top of a locale's root (`README.md`,
/// `CONTRIBUTING.md` …): where each locale is a repository of its own, these
/// describe that repository and are not translations of each other.
pub(crate) fn is_repository_meta_file(rest: &str) -> bool {
    // Compared without `-` and `_`: repositories spell them `CODE_OF_CONDUCT.md`,
    // `code-of-conduct.md`, `LICENSE-CODE.md`, `third-party-notices.md`,
    // and the licences of a repository's dependencies, generated in each
    // locale's repository (`licensing-information.md`, Office's docs).
    const META_STEMS: [&str; 12] = [
        "readme",
        "contributing",
        "codeofconduct",
        "security",
        "support",
        "changelog",
        "license",
        "licensecode",
        "thirdpartynotices",
        "licensinginformation",
        "pullrequesttemplate",
        "issuetemplate",
    ];
    let Some(stem) = rest.strip_suffix(".md").or_else(|| rest.strip_suffix(".MD")) else {
        return false;
    };
    if stem.contains('/') || stem.len() > 32 {
        return false;
    }
    let squeezed: String = stem.chars().filter(|c| !matches!(c, '-' | '_')).collect();
    META_STEMS.iter().any(|meta| squeezed.eq_ignore_ascii_case(meta))
}

impl Layout {
    /// The locale and article key of a root-relative path, or `None` for a
    /// file that belongs to no locale.
    pub fn classify(&self, relative: &str, source_locale: &str) -> Option<(String, String)> {
        self.classify_in(relative, source_locale).map(|(locale, key)| (locale.into_owned(), key))
    }

    /// [`Layout::classify`], the locale borrowed from `relative` when it is
    /// a folder's name already in lower case (the walk asks it of every
    /// file).
    fn classify_in<'r>(&self, relative: &'r str, source_locale: &str) -> Option<(Cow<'r, str>, String)> {
        match self {
            Layout::LocaleFolders => {
                // The first folder named as a locale; the file's own name
                // (after the last `/`) is never one.
                let folders = &relative[..relative.rfind('/')?];
                let mut start = 0;
                let folder = folders.split('/').find(|name| {
                    let found = locale::is_locale_tag(name);
                    if !found {
                        start += name.len() + 1;
                    }
                    found
                })?;
                let end = start + folder.len();
                let key = [&relative[..start], LOCALE_SLOT, &relative[end..]].concat();
                let locale = if folder.bytes().any(|b| b.is_ascii_uppercase()) {
                    Cow::Owned(locale::normalize(folder))
                } else {
                    Cow::Borrowed(folder)
                };
                Some((locale, key))
            }
            Layout::Roots(roots) => roots
                .iter()
                .filter_map(|(locale, root)| {
                    let rest = relative.strip_prefix(root.as_str())?.strip_prefix('/')?;
                    Some((root.len(), locale.clone(), rest.to_string()))
                })
                .max_by_key(|(length, _, _)| *length)
                .filter(|(_, _, rest)| !is_repository_meta_file(rest))
                .map(|(_, locale, rest)| (Cow::Owned(locale), rest)),
            Layout::Template { source, copy } => {
                if let Some((Some(locale), key)) = copy.matches(relative) {
                    if locale::is_locale_tag(&locale) && !locale.eq_ignore_ascii_case(source_locale) {
                        return Some((Cow::Owned(locale::normalize(&locale)), key));
                    }
                }
                let (locale, key) = source.matches(relative)?;
                let locale = locale.map_or_else(|| source_locale.to_string(), |l| locale::normalize(&l));
                Some((Cow::Owned(locale), key))
            }
        }
    }

    /// Root-relative path where the `locale` copy of article `key` lives.
    pub fn path_for(&self, key: &str, locale: &str, source_locale: &str) -> String {
        match self {
            Layout::LocaleFolders => key.replacen("{locale}", locale, 1),
            Layout::Roots(roots) => match roots.get(locale) {
                Some(root) => format!("{root}/{key}"),
                None => format!("<{locale} root>/{key}"),
            },
            Layout::Template { source, copy } => {
                if locale == source_locale && !source.has_locale() {
                    source.fill(key, locale)
                } else {
                    copy.fill(key, locale)
                }
            }
        }
    }
}

/// A source found under the root, held on its own (the sources' list of
/// the asset-id index): its discovery's `Names` and its indexes there. A
/// group's copies are a [`Copies`], 8 bytes each.
#[derive(Clone)]
pub struct FileEntry {
    names: Arc<Names>,
    slot: Slot,
}

/// A file's texts among its discovery's `Names`: the article key, shared
/// with the group, or the file's own path when the key does not give it
/// (the locale's names say which), and the locale's names.
#[derive(Debug, Clone, Copy)]
struct Slot {
    /// The key's or the path's index among [`Names::ends`].
    text: u32,
    /// The index of the locale's names among [`Names::locales`].
    locale: u32,
}

/// A file of a group, borrowed from its discovery's `Names`.
#[derive(Clone, Copy)]
pub struct File<'n> {
    names: &'n Names,
    slot: Slot,
}

/// A group's copies. Kept small: a large tree holds 100,000 of them for
/// the whole run, 8 bytes each in one list of their `Names` (an `Arc` in
/// every file was half of it: 0.7 MB on a 100,000-file tree; a list per
/// group, 0.25 MB more in 10,000 allocations and their headers).
#[derive(Clone)]
pub struct Copies {
    names: Arc<Names>,
    /// The group's run of [`Names::slots`].
    start: u32,
    len: u32,
}

impl Copies {
    pub fn len(&self) -> usize {
        self.slots().len()
    }

    pub fn is_empty(&self) -> bool {
        self.slots().is_empty()
    }

    pub fn get(&self, index: usize) -> Option<File<'_>> {
        self.slots().get(index).map(|&slot| File { names: &self.names, slot })
    }

    pub fn iter(&self) -> CopiesIter<'_> {
        CopiesIter { names: &self.names, slots: self.slots().iter() }
    }

    fn slots(&self) -> &[Slot] {
        let start = self.start as usize;
        self.names.slots.get(start..start + self.len as usize).unwrap_or_default()
    }
}

impl<'c> IntoIterator for &'c Copies {
    type Item = File<'c>;
    type IntoIter = CopiesIter<'c>;

    fn into_iter(self) -> CopiesIter<'c> {
        self.iter()
    }
}

/// The files of a [`Copies`], in order.
#[derive(Clone)]
pub struct CopiesIter<'c> {
    names: &'c Names,
    slots: std::slice::Iter<'c, Slot>,
}

impl<'c> Iterator for CopiesIter<'c> {
    type Item = File<'c>;

    fn next(&mut self) -> Option<File<'c>> {
        self.slots.next().map(|&slot| File { names: self.names, slot })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.slots.size_hint()
    }
}

impl ExactSizeIterator for CopiesIter<'_> {}

impl DoubleEndedIterator for CopiesIter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.slots.next_back().map(|&slot| File { names: self.names, slot })
    }
}

impl std::fmt::Debug for Copies {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.debug_list().entries(self.iter()).finish()
    }
}

/// The texts of one discovery's files, shared by all of them: every
/// article key and every path a key does not give, one after the other in
/// one string, and each locale's names. Made once the walk has grouped the
/// files, on the calling thread: an `Arc<str>` per key (fat, so 16 bytes
/// in every file, and an allocation each) held 3 MB for the keys and the
/// file list of a 100,000-file tree.
#[derive(Default)]
struct Names {
    text: String,
    /// Where each key or path ends in `text`.
    ends: Vec<u32>,
    locales: Vec<LocaleNames>,
    /// Every group's copies, group after group (see [`Copies`]).
    slots: Vec<Slot>,
}

impl Names {
    fn text(&self, index: u32) -> &str {
        let index = index as usize;
        let start = index.checked_sub(1).and_then(|before| self.ends.get(before)).map_or(0, |&end| end as usize);
        let end = self.ends.get(index).map_or(start, |&end| end as usize);
        self.text.get(start..end).unwrap_or("")
    }

    /// Appends `text` and returns its index; `None` past 4 GB of text.
    fn push(&mut self, text: &str) -> Option<u32> {
        let index = u32::try_from(self.ends.len()).ok()?;
        let end = u32::try_from(self.text.len() + text.len()).ok()?;
        self.text.push_str(text);
        self.ends.push(end);
        Some(index)
    }
}

/// A locale's folder as spelled in the tree (`ja-JP`) and its tag (`ja-jp`).
#[derive(Debug, Clone, PartialEq, Eq)]
struct LocaleNames {
    folder: Box<str>,
    tag: Box<str>,
    /// The files holding these names keep their own path, not the key.
    spelled: bool,
}

const LOCALE_SLOT: &str = "{locale}";

/// `text.find(LOCALE_SLOT)`, by memchr for its `{`: every look-up of a
/// link's target into another article asks it of a few files of the
/// group, and a substring searcher set up for each cost more than the
/// search.
fn find_locale_slot(text: &str) -> Option<usize> {
    memchr::memchr_iter(b'{', text.as_bytes()).find(|&at| text[at..].starts_with(LOCALE_SLOT))
}

impl<'n> File<'n> {
    fn text(self) -> &'n str {
        self.names.text(self.slot.text)
    }

    fn locale_names(self) -> &'n LocaleNames {
        // Every index was given by the `Names` it points into.
        &self.names.locales[self.slot.locale as usize]
    }

    /// Root-relative, `/`-separated.
    pub fn relative(self) -> Cow<'n, str> {
        let names = self.locale_names();
        if names.spelled {
            Cow::Borrowed(self.text())
        } else {
            let text = self.text();
            Cow::Owned(match find_locale_slot(text) {
                Some(at) => [&text[..at], &names.folder, &text[at + LOCALE_SLOT.len()..]].concat(),
                None => text.to_string(),
            })
        }
    }

    /// Whether [`File::relative`] is `relative`, without building it.
    pub fn is_at(self, relative: &str) -> bool {
        let (text, names) = (self.text(), self.locale_names());
        if names.spelled {
            return text == relative;
        }
        let Some(at) = find_locale_slot(text) else {
            return text == relative;
        };
        let (before, after) = (&text[..at], &text[at + LOCALE_SLOT.len()..]);
        relative
            .strip_prefix(before)
            .and_then(|rest| rest.strip_prefix(&*names.folder))
            .is_some_and(|rest| rest == after)
    }

    /// Lower-cased locale tag.
    pub fn locale(self) -> &'n str {
        &self.locale_names().tag
    }

    pub fn path(self, root: &Path) -> PathBuf {
        root.join(&*self.relative())
    }
}

impl std::fmt::Debug for File<'_> {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.debug_struct("File").field("relative", &self.relative()).field("locale", &self.locale()).finish()
    }
}

impl PartialEq for File<'_> {
    fn eq(&self, other: &File<'_>) -> bool {
        self.relative() == other.relative() && self.locale() == other.locale()
    }
}

impl Eq for File<'_> {}

impl FileEntry {
    pub fn file(&self) -> File<'_> {
        File { names: &self.names, slot: self.slot }
    }

    /// Root-relative, `/`-separated.
    pub fn relative(&self) -> Cow<'_, str> {
        self.file().relative()
    }

    /// Whether [`FileEntry::relative`] is `relative`, without building it.
    pub fn is_at(&self, relative: &str) -> bool {
        self.file().is_at(relative)
    }

    /// Lower-cased locale tag.
    pub fn locale(&self) -> &str {
        self.file().locale()
    }

    pub fn path(&self, root: &Path) -> PathBuf {
        self.file().path(root)
    }
}

impl std::fmt::Debug for FileEntry {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.debug_struct("FileEntry").field("relative", &self.relative()).field("locale", &self.locale()).finish()
    }
}

impl PartialEq for FileEntry {
    fn eq(&self, other: &FileEntry) -> bool {
        self.relative() == other.relative() && self.locale() == other.locale()
    }
}

impl Eq for FileEntry {}

/// An article key: its text among its discovery's `Names`.
#[derive(Clone)]
pub struct Key {
    names: Arc<Names>,
    text: u32,
}

impl std::ops::Deref for Key {
    type Target = str;

    fn deref(&self) -> &str {
        self.names.text(self.text)
    }
}

impl std::fmt::Debug for Key {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&**self, formatter)
    }
}

/// A file as the walk finds it, before the files are grouped and their
/// [`Names`] made: its own path when its group's key does not give it,
/// and its locale's names (their index in the walk's pool).
#[derive(Debug)]
struct FoundFile {
    own: Option<Box<str>>,
    locale: u32,
}

impl FoundFile {
    fn new(key: &str, relative: &str, locale: &str, pool: &mut LocaleNamesPool) -> FoundFile {
        // The folder where the key has `{locale}`; the path is derived from
        // it only when that gives back exactly this path (the key with its
        // first `{locale}` replaced by the folder, compared piece by piece).
        let folder = find_locale_slot(key).and_then(|at| {
            let folder = relative.get(at..)?.split('/').next()?;
            let filled = relative.get(..at) == key.get(..at)
                && relative.get(at + folder.len()..) == key.get(at + LOCALE_SLOT.len()..);
            filled.then_some(folder)
        });
        match folder {
            Some(folder) => FoundFile { own: None, locale: pool.get(folder, locale, false) },
            None => FoundFile { locale: pool.get("", locale, true), own: Some(relative.into()) },
        }
    }

    /// Root-relative, as [`File::relative`] will give it.
    fn relative(&self, key: &str, pool: &LocaleNamesPool) -> String {
        match (&self.own, pool.0.get(self.locale as usize)) {
            (Some(own), _) => own.to_string(),
            (None, Some(names)) => key.replacen(LOCALE_SLOT, &names.folder, 1),
            (None, None) => key.to_string(),
        }
    }

    /// Orders two files of the group of `key` as the walk finds them: by
    /// path, component by component (`Path`'s order). Two files whose path
    /// is the key with their locale's folder in it differ only in that
    /// folder, which ends at a `/` or the end in both: their order is the
    /// folders' bytes, but for an empty, `.` or `..` folder, which `Path`
    /// skips or orders apart (the walk gives none).
    fn walk_order(&self, other: &FoundFile, key: &str, pool: &LocaleNamesPool) -> std::cmp::Ordering {
        let plain = |names: &LocaleNames| !matches!(&*names.folder, "" | "." | "..");
        match (&self.own, &other.own, pool.0.get(self.locale as usize), pool.0.get(other.locale as usize)) {
            (None, None, Some(mine), Some(theirs)) if plain(mine) && plain(theirs) => mine.folder.cmp(&theirs.folder),
            _ => Path::new(&self.relative(key, pool)).cmp(Path::new(&other.relative(key, pool))),
        }
    }
}

/// One [`LocaleNames`] per locale folder, known by its index.
#[derive(Default)]
struct LocaleNamesPool(Vec<LocaleNames>);

impl LocaleNamesPool {
    fn get(&mut self, folder: &str, tag: &str, spelled: bool) -> u32 {
        let same = |names: &LocaleNames| *names.folder == *folder && *names.tag == *tag && names.spelled == spelled;
        let index = self.0.iter().position(same).unwrap_or_else(|| {
            self.0.push(LocaleNames { folder: folder.into(), tag: tag.into(), spelled });
            self.0.len() - 1
        });
        // A tree has a few dozen locale folders.
        u32::try_from(index).unwrap_or(u32::MAX)
    }
}

/// The groups of the found files, sorted by key, with the [`Names`] they
/// share: the texts are counted first, so that the one string is
/// allocated once at its length.
fn with_names(
    pool: LocaleNamesPool,
    found: BTreeMap<Box<str>, (Option<FoundFile>, Vec<FoundFile>)>,
) -> Vec<GroupFiles> {
    type Group = (Option<FoundFile>, Vec<FoundFile>);
    #[allow(clippy::borrowed_box)] // what iterating the map gives
    fn texts<'f>((key, (source, copies)): (&'f Box<str>, &'f Group)) -> impl Iterator<Item = &'f str> {
        std::iter::once(&**key).chain(source.iter().chain(copies).filter_map(|file| file.own.as_deref()))
    }
    let (length, count) =
        found.iter().flat_map(texts).fold((0, 0), |(length, count), text| (length + text.len(), count + 1));
    let copies = found.values().map(|(_, copies)| copies.len()).sum();
    let mut names = Names {
        text: String::with_capacity(length),
        ends: Vec::with_capacity(count),
        locales: pool.0,
        slots: Vec::with_capacity(copies),
    };
    let mut indexes = Vec::with_capacity(count);
    for text in found.iter().flat_map(texts) {
        // Past 4 GB of paths the walk's own lists would not fit in memory.
        indexes.push(names.push(text).unwrap_or(u32::MAX));
    }
    let mut indexes = indexes.into_iter();
    let mut next = move || indexes.next().unwrap_or(u32::MAX);
    // Past 4 billion copies the walk's own lists would not fit in memory.
    let as_u32 = |count: usize| u32::try_from(count).unwrap_or(u32::MAX);
    let groups: Vec<(u32, Option<Slot>, u32)> = found
        .into_iter()
        .map(|(_, (source, copies))| {
            let key = next();
            let mut slot =
                |file: FoundFile| Slot { text: if file.own.is_some() { next() } else { key }, locale: file.locale };
            let source = source.map(&mut slot);
            let start = as_u32(names.slots.len());
            names.slots.extend(copies.into_iter().map(&mut slot));
            (key, source, start)
        })
        .collect();
    let names = Arc::new(names);
    let ends = groups.iter().skip(1).map(|&(_, _, start)| start).chain([as_u32(names.slots.len())]);
    groups
        .iter()
        .zip(ends)
        .map(|(&(key, source, start), end)| {
            let source = source.map(|slot| FileEntry { names: names.clone(), slot });
            let copies = Copies { names: names.clone(), start, len: end.saturating_sub(start) };
            GroupFiles { key: Key { names: names.clone(), text: key }, source, copies }
        })
        .collect()
}

/// One article: its source and its copies, as paths.
#[derive(Debug, Clone)]
pub struct GroupFiles {
    pub key: Key,
    pub source: Option<FileEntry>,
    pub copies: Copies,
}

impl GroupFiles {
    /// The source, if any, then the copies.
    pub fn files(&self) -> impl Iterator<Item = File<'_>> {
        self.source.as_ref().map(FileEntry::file).into_iter().chain(&self.copies)
    }
}

/// Something the walk could not look at.
#[derive(Debug, Clone)]
pub struct WalkProblem {
    pub relative: String,
    pub message: String,
}

pub struct Discovery {
    pub groups: Vec<GroupFiles>,
    pub locales: BTreeSet<String>,
    pub problems: Vec<WalkProblem>,
}

pub struct Selection<'a> {
    pub root: &'a Path,
    pub layout: &'a Layout,
    pub source_locale: &'a str,
    pub include: &'a GlobSet,
    pub exclude: &'a GlobSet,
    /// Only copies in these locales are checked; all when empty.
    pub locales: &'a [String],
    /// Skip what `.gitignore` and `.ignore` files inside the root exclude.
    pub ignore_files: bool,
}

impl<'a> Selection<'a> {
    /// What a run of `settings` selects.
    pub fn of(settings: &'a crate::settings::Settings) -> Selection<'a> {
        Selection {
            root: &settings.root,
            layout: &settings.layout,
            source_locale: &settings.source_locale,
            include: &settings.include,
            exclude: &settings.exclude,
            locales: &settings.locales,
            ignore_files: settings.ignore_files,
        }
    }
}

/// Why a path whose name is not valid UTF-8 is not checked: paths are
/// matched, grouped and reported as text.
const NOT_UTF8: &str = "has a name that is not valid UTF-8; loclint cannot check it";

/// Walks the root (never following symbolic links, skipping hidden files
/// and folders and, unless `--no-ignore`, what `.gitignore` and `.ignore`
/// files exclude) and groups every selected file by article.
pub fn discover(selection: &Selection<'_>) -> Discovery {
    // Files are grouped as the walk finds them, each keeping only its
    // compact `FoundFile`: holding every path of a 100,000-file tree until
    // the walk ended was the run's memory peak. The walk's order is restored
    // afterwards, per group and for the problems, so it does not depend on
    // the threads.
    let found = std::sync::Mutex::new(Found::default());
    walk(selection.root, selection.ignore_files, &|entry| {
        let (path, kind) = match entry {
            Ok(found) => found,
            Err(problem) => {
                if let Ok(mut found) = found.lock() {
                    found.problems.push((None, problem));
                }
                return;
            }
        };
        let relative = relative_in(selection.root, &path);
        let selected = selection.include.is_match(&*relative) && !selection.exclude.is_match(&*relative);
        let message = if selected
            && kind != EntryKind::Link
            && matches!(relative, Cow::Owned(_))
            && path.strip_prefix(selection.root).is_ok_and(|below| below.to_str().is_none())
        {
            // Looked up under its lossy name, it would be "no such file".
            Some(NOT_UTF8)
        } else {
            match kind {
                EntryKind::Link if selected => Some("is a symbolic link; loclint does not follow links"),
                // FIFOs, sockets and devices could block a read forever.
                EntryKind::Other if selected => Some("is not a regular file"),
                EntryKind::Folder if selected => Some("is a directory, not a Markdown file"),
                _ => None,
            }
        };
        if let Some(message) = message {
            if let Ok(mut found) = found.lock() {
                let relative = relative.into_owned();
                found.problems.push((Some(path), WalkProblem { relative, message: message.into() }));
            }
            return;
        }
        if kind != EntryKind::File || !selected {
            return;
        }
        let Some((locale, key)) = selection.layout.classify_in(&relative, selection.source_locale) else {
            return;
        };
        let is_source = locale == selection.source_locale;
        let checked = is_source || selection.locales.is_empty() || selection.locales.iter().any(|l| *l == locale);
        let Ok(mut found) = found.lock() else {
            return;
        };
        let found = &mut *found;
        if !found.locales.contains(&*locale) {
            found.locales.insert(locale.to_string());
        }
        if !checked {
            return;
        }
        let file = FoundFile::new(&key, &relative, &locale, &mut found.names);
        // Room for a copy in every locale seen so far: the copies' list is
        // allocated once, at about its final length, instead of growing by
        // doubling, which left a freed block behind in the walk's arenas
        // for every group.
        let locales = found.locales.len().saturating_sub(1);
        match found.groups.get_mut(key.as_str()) {
            Some((_, copies)) if !is_source => copies.push(file),
            Some((source, _)) => {
                let names = &found.names;
                if source.as_ref().is_none_or(|kept| kept.walk_order(&file, &key, names).is_lt()) {
                    // Two sources of one article (a template matching
                    // both): the last in the walk's order, as for a copy.
                    *source = Some(file);
                }
            }
            None => {
                let mut copies = Vec::with_capacity(locales);
                let source = if is_source {
                    Some(file)
                } else {
                    copies.push(file);
                    None
                };
                found.groups.insert(key.into_boxed_str(), (source, copies));
            }
        }
    });
    let found = found.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
    let mut lists = found.groups;
    for (key, (_, copies)) in &mut lists {
        // The walk's order: path by path, component by component.
        copies.sort_by(|a, b| a.walk_order(b, key, &found.names));
    }
    // The keys and lists are held for the whole run, but the walk made
    // them on its own threads among the paths and nodes it freed:
    // scattered over glibc's arenas of those threads (which the workers
    // take over), they kept about 4 MB of freed memory resident on a
    // 100,000-file tree. Made again here, on this thread, they lie
    // together, and the walk's arenas are left with nothing that outlives
    // it.
    let groups = with_names(found.names, lists);
    // What the walk freed is given back (see `memory::release_free`).
    crate::memory::release_free();
    let mut problems = found.problems;
    problems.sort_by(|a, b| match (a, b) {
        ((Some(a), _), (Some(b), _)) => a.cmp(b),
        ((None, a), (None, b)) => a.relative.cmp(&b.relative),
        ((Some(_), _), (None, _)) => std::cmp::Ordering::Less,
        ((None, _), (Some(_), _)) => std::cmp::Ordering::Greater,
    });
    Discovery { groups, locales: found.locales, problems: problems.into_iter().map(|(_, problem)| problem).collect() }
}

/// What [`discover`]'s walk has grouped so far.
#[derive(Default)]
struct Found {
    /// Each article's source and copies, in no set order.
    groups: BTreeMap<Box<str>, (Option<FoundFile>, Vec<FoundFile>)>,
    locales: BTreeSet<String>,
    names: LocaleNamesPool,
    /// The path of the entry a problem is about, `None` for the walk's own
    /// errors (sorted after the others, by their relative path).
    problems: Vec<(Option<PathBuf>, WalkProblem)>,
}

/// What the walk found at a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EntryKind {
    File,
    Folder,
    /// Never followed, wherever it points.
    Link,
    /// A FIFO, socket or device.
    Other,
}

/// The `ignore` crate's walk of `root` with discovery's options (see
/// [`walk`]); public for the benchmark that times the bare walk.
pub fn walk_builder(root: &Path, ignore_files: bool) -> ignore::WalkBuilder {
    let mut builder = ignore::WalkBuilder::new(root);
    builder
        .follow_links(false)
        .hidden(true)
        .require_git(false)
        .parents(false)
        .git_global(false)
        .git_ignore(ignore_files)
        .git_exclude(ignore_files)
        .ignore(ignore_files);
    builder
}

/// Hands every entry under `root` but the root itself to `visit`, from the
/// walk's threads in no set order (the caller sorts what it keeps): the `ignore`
/// crate's parallel walk, as ruff and rumdl use, skipping hidden files and
/// folders and, with `ignore_files`, what git's rules ignore (`.gitignore`
/// and `.ignore` files, `.git/info/exclude`), whether or not the root is in
/// a git repository. Only ignore files inside the root count: those of the
/// folders above it and the user's global excludes file are not the tree's,
/// and would make the same tree lint differently on another machine or when
/// checked out elsewhere. Symbolic links are reported, never followed.
fn walk(root: &Path, ignore_files: bool, visit: &(dyn Fn(Result<(PathBuf, EntryKind), WalkProblem>) + Sync)) {
    walk_builder(root, ignore_files).build_parallel().run(|| {
        Box::new(move |entry| {
            let item = match entry {
                Ok(entry) if entry.depth() == 0 => return ignore::WalkState::Continue,
                Ok(entry) => {
                    let kind = match entry.file_type() {
                        Some(kind) if kind.is_symlink() => EntryKind::Link,
                        Some(kind) if kind.is_dir() => EntryKind::Folder,
                        Some(kind) if kind.is_file() => EntryKind::File,
                        _ => EntryKind::Other,
                    };
                    Ok((entry.into_path(), kind))
                }
                Err(error) => match walk_problem(root, &error, None) {
                    Some(problem) => Err(problem),
                    None => return ignore::WalkState::Continue,
                },
            };
            visit(item);
            ignore::WalkState::Continue
        })
    });
    // The text on standard input, for a file not saved yet.
    if let Some(stands_for) = missing_stand_in().filter(|path| path.starts_with(root)) {
        visit(Ok((stands_for.to_path_buf(), EntryKind::File)));
    }
}

/// A walk error as a problem of the path it is about. Errors in an ignore
/// file's patterns are not: git skips such lines too.
fn walk_problem(root: &Path, error: &ignore::Error, path: Option<&Path>) -> Option<WalkProblem> {
    match error {
        ignore::Error::WithPath { path, err } => walk_problem(root, err, Some(path)),
        ignore::Error::WithDepth { err, .. } => walk_problem(root, err, path),
        ignore::Error::Io(io) => Some(WalkProblem {
            relative: path.map_or_else(String::new, |path| relative_path(root, path)),
            // Not `io.to_string()`: the ignore crate's message names the
            // absolute path, which the finding already gives root-relative.
            message: format!("cannot be read: {}", io.kind()),
        }),
        ignore::Error::Loop { child, .. } => {
            Some(WalkProblem { relative: relative_path(root, child), message: "is a folder loop".into() })
        }
        _ => None,
    }
}

/// The groups of the given root-relative files, found without walking the
/// tree: a pre-commit run on one file must not pay for the whole tree. Only
/// for layouts whose locales can be listed cheaply; `None` otherwise.
pub fn discover_files(selection: &Selection<'_>, targets: &[String]) -> Option<Discovery> {
    if targets.is_empty() || targets.iter().any(|target| target.is_empty() || selection.root.join(target).is_dir()) {
        return None;
    }
    let mut groups: BTreeMap<Box<str>, (Option<FoundFile>, Vec<FoundFile>)> = BTreeMap::new();
    let mut locales = BTreeSet::new();
    let mut problems = Vec::new();
    let mut names = LocaleNamesPool::default();
    for target in targets {
        let Some((_, key)) = selection.layout.classify(target, selection.source_locale) else {
            continue;
        };
        if groups.contains_key(key.as_str()) {
            continue;
        }
        let candidates: Vec<String> = match selection.layout {
            Layout::LocaleFolders => {
                let prefix = &key[..key.find("{locale}")?];
                let entries = std::fs::read_dir(selection.root.join(prefix)).ok()?;
                entries
                    .flatten()
                    .filter(|entry| entry.file_type().is_ok_and(|kind| kind.is_dir()))
                    .filter_map(|entry| entry.file_name().to_str().map(str::to_string))
                    .filter(|name| locale::is_locale_tag(name))
                    .collect()
            }
            Layout::Roots(roots) => roots.keys().cloned().collect(),
            Layout::Template { .. } => return None,
        };
        let (mut source, mut copies) = (None, Vec::new());
        for folder_locale in candidates {
            let locale = locale::normalize(&folder_locale);
            let relative = match selection.layout {
                Layout::LocaleFolders => key.replacen("{locale}", &folder_locale, 1),
                _ => selection.layout.path_for(&key, &locale, selection.source_locale),
            };
            let path = selection.root.join(&relative);
            let Ok(metadata) = metadata_of(&path) else {
                continue;
            };
            if !free_of_links(selection.root, relative.rsplit_once('/').map_or("", |(folder, _)| folder)) {
                // The walk would not enter a linked folder either.
                continue;
            }
            if !selection.include.is_match(&relative) || selection.exclude.is_match(&relative) {
                continue;
            }
            locales.insert(locale.clone());
            if metadata.file_type().is_symlink() {
                problems.push(WalkProblem {
                    relative,
                    message: "is a symbolic link; loclint does not follow links".into(),
                });
                continue;
            }
            if !metadata.is_file() {
                let message =
                    if metadata.is_dir() { "is a directory, not a Markdown file" } else { "is not a regular file" };
                problems.push(WalkProblem { relative, message: message.into() });
                continue;
            }
            let is_source = locale == selection.source_locale;
            if !is_source && !selection.locales.is_empty() && !selection.locales.contains(&locale) {
                continue;
            }
            let file = FoundFile::new(&key, &relative, &locale, &mut names);
            if is_source {
                source = Some(file);
            } else {
                copies.push(file);
            }
        }
        copies.sort_by_cached_key(|file| file.relative(&key, &names));
        groups.insert(key.into_boxed_str(), (source, copies));
    }
    Some(Discovery { groups: with_names(names, groups), locales, problems })
}

/// The groups a run of `settings` checks, found as the engine finds them
/// (changed files, targets, shard), without reading any file.
pub fn plan(settings: &crate::settings::Settings) -> Result<Vec<GroupFiles>, Error> {
    let selection = Selection::of(settings);
    let targets = targets(settings)?;
    if settings.changed_since.is_some() && targets.is_empty() {
        return Ok(Vec::new());
    }
    let discovery = discover_files(&selection, &targets).unwrap_or_else(|| discover(&selection));
    let (mut groups, _) = select_groups(discovery.groups, &targets, &selection);
    if let Some((index, count)) = settings.shard {
        groups = shard(groups, index, count);
    }
    Ok(groups)
}

/// The root-relative paths a run checks: the given ones or, with
/// `--changed-since`, the files changed since that revision inside them.
pub fn targets(settings: &crate::settings::Settings) -> Result<Vec<String>, Error> {
    let Some(revision) = &settings.changed_since else {
        return Ok(settings.targets.clone());
    };
    let changed = crate::git::changed_files(&settings.root, revision)?;
    Ok(changed
        .into_iter()
        .filter(|path| {
            settings
                .targets
                .iter()
                .any(|target| target.is_empty() || path == target || path.starts_with(&format!("{target}/")))
        })
        .collect())
}

/// Keeps the groups touched by `targets` (root-relative paths; `""` is the
/// whole root): groups with a file at or under a target, and groups whose
/// article a target file names even when that file no longer exists (a
/// deleted source still selects its copies). Returns the selected groups and
/// the target files that belong to no article.
pub fn select_groups(
    groups: Vec<GroupFiles>,
    targets: &[String],
    selection: &Selection<'_>,
) -> (Vec<GroupFiles>, Vec<String>) {
    if targets.iter().any(String::is_empty) {
        return (groups, Vec::new());
    }
    let mut keys = BTreeSet::new();
    let mut outside = Vec::new();
    for target in targets {
        let selected = selection.include.is_match(target) && !selection.exclude.is_match(target);
        match selection.layout.classify(target, selection.source_locale) {
            Some((_, key)) if selected => {
                keys.insert(key);
            }
            Some(_) => {}
            None if selected && !selection.root.join(target).is_dir() => outside.push(target.clone()),
            None => {}
        }
    }
    let touches = |file: File<'_>| {
        targets.iter().any(|target| {
            let relative = file.relative();
            *relative == **target || relative.strip_prefix(target.as_str()).is_some_and(|rest| rest.starts_with('/'))
        })
    };
    let groups = groups.into_iter().filter(|group| keys.contains(&*group.key) || group.files().any(touches)).collect();
    (groups, outside)
}

/// Keeps shard `index` (0-based) of `count`: a group's shard depends only on
/// its article key, so shards stay stable as the tree grows.
pub fn shard(groups: Vec<GroupFiles>, index: usize, count: usize) -> Vec<GroupFiles> {
    groups
        .into_iter()
        .filter(|group| {
            let digest = <sha1::Sha1 as sha1::Digest>::digest(group.key.as_bytes());
            let value = u64::from_be_bytes([
                digest[0], digest[1], digest[2], digest[3], digest[4], digest[5], digest[6], digest[7],
            ]);
            value % count as u64 == index as u64
        })
        .collect()
}

/// True when `relative` (root-relative) passes through no symbolic link:
/// loclint never reads or writes through a link, wherever it points.
pub fn free_of_links(root: &Path, relative: &str) -> bool {
    let mut path = root.to_path_buf();
    relative.split('/').filter(|part| !part.is_empty()).all(|part| {
        path.push(part);
        std::fs::symlink_metadata(&path).map_or(true, |metadata| !metadata.file_type().is_symlink())
    })
}

/// A tree's root, opened once, for asking of many paths under it whether
/// they pass through a symbolic link ([`free_of_links`], the answer
/// following the same rules).
///
/// On Linux the root is held open (`O_PATH`) and each path is opened under
/// it by one `openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS)`, which the
/// kernel refuses with `ELOOP` when any component is a link: one call, not a
/// `statx` per folder of the path, and no window between the checks of two
/// folders. Where the kernel or a seccomp filter refuses `openat2`
/// (`ENOSYS`, `EPERM`), and for any answer but "opened" or "a link on the
/// way" (a missing file, a `..` that leaves the root, …), the folders are
/// checked one by one as [`free_of_links`] does.
pub struct TreeRoot {
    path: PathBuf,
    #[cfg(target_os = "linux")]
    opened: std::sync::OnceLock<Option<rustix::fd::OwnedFd>>,
}

/// Set once `openat2` was refused as unsupported or forbidden: every later
/// check goes folder by folder without asking again.
#[cfg(target_os = "linux")]
static OPENAT2_REFUSED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

impl TreeRoot {
    pub fn new(path: PathBuf) -> TreeRoot {
        TreeRoot {
            path,
            #[cfg(target_os = "linux")]
            opened: std::sync::OnceLock::new(),
        }
    }

    /// [`free_of_links`] of `relative` under this root.
    pub fn free_of_links(&self, relative: &str) -> bool {
        #[cfg(target_os = "linux")]
        if let Some(free) = self.free_of_links_in_one_call(relative) {
            return free;
        }
        free_of_links(&self.path, relative)
    }

    /// The answer of one `openat2`, or `None` when it does not settle it.
    #[cfg(target_os = "linux")]
    fn free_of_links_in_one_call(&self, relative: &str) -> Option<bool> {
        use rustix::fs::{Mode, OFlags, ResolveFlags};
        use std::sync::atomic::Ordering;
        if OPENAT2_REFUSED.load(Ordering::Relaxed) {
            return None;
        }
        let root = self
            .opened
            .get_or_init(|| {
                rustix::fs::open(&self.path, OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC, Mode::empty()).ok()
            })
            .as_ref()?;
        // `O_PATH` opens without reading (no permission needed, a FIFO does
        // not block); without `O_NOFOLLOW` a link as the last component is
        // refused too, as `free_of_links` refuses it.
        let opened = rustix::fs::openat2(
            root,
            relative,
            OFlags::PATH | OFlags::CLOEXEC,
            Mode::empty(),
            ResolveFlags::BENEATH | ResolveFlags::NO_SYMLINKS,
        );
        match opened {
            Ok(_) => Some(true),
            Err(rustix::io::Errno::LOOP) => Some(false),
            Err(rustix::io::Errno::NOSYS | rustix::io::Errno::PERM) => {
                OPENAT2_REFUSED.store(true, Ordering::Relaxed);
                None
            }
            Err(_) => None,
        }
    }
}

/// Opens a file of the tree for reading without following a symbolic link
/// in its last component (`O_NOFOLLOW`) and without blocking on a FIFO
/// (`O_NONBLOCK`): the walk saw a regular file, but the tree can change
/// before the file is opened, and a file swapped for a link to
/// `/etc/passwd` must not be read through. Anything but a regular file or
/// a folder is refused once open.
pub fn open_no_follow(path: &Path) -> std::io::Result<std::fs::File> {
    open_no_follow_with_metadata(path).map(|(file, _)| file)
}

/// [`open_no_follow`] and the open file's metadata, looked up once.
pub fn open_no_follow_with_metadata(path: &Path) -> std::io::Result<(std::fs::File, std::fs::Metadata)> {
    if let Some((stands_for, temporary)) = STAND_IN.get() {
        if path == stands_for {
            let file = std::fs::File::open(temporary)?;
            let metadata = file.metadata()?;
            return Ok((file, metadata));
        }
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(|error| {
        let is_link = std::fs::symlink_metadata(path).is_ok_and(|metadata| metadata.file_type().is_symlink());
        if is_link {
            std::io::Error::other("is a symbolic link")
        } else {
            error
        }
    })?;
    let metadata = file.metadata()?;
    let kind = metadata.file_type();
    if !kind.is_file() && !kind.is_dir() {
        return Err(std::io::Error::other("is not a regular file"));
    }
    Ok((file, metadata))
}

/// `(file of the tree, temporary file)`: see [`stand_in`].
static STAND_IN: std::sync::OnceLock<(PathBuf, PathBuf)> = std::sync::OnceLock::new();

/// Makes every later read of `stands_for` (an absolute path whose folder is
/// canonical) read `temporary` instead: `loclint lint -` lints the text an
/// editor holds, in the place of the file on disk, which need not exist (a
/// new, unsaved file). Set once, by the binary, before the run; the library
/// never sets it.
pub fn stand_in(stands_for: PathBuf, temporary: PathBuf) {
    let _ = STAND_IN.set((stands_for, temporary));
}

/// The file a stand-in replaces, when it does not exist on disk.
fn missing_stand_in() -> Option<&'static Path> {
    STAND_IN.get().map(|(stands_for, _)| stands_for.as_path()).filter(|path| std::fs::symlink_metadata(path).is_err())
}

/// `path` made absolute and canonical; the file a stand-in replaces counts
/// as existing.
pub fn canonical(path: &Path) -> std::io::Result<PathBuf> {
    path.canonicalize().or_else(|error| {
        let folder = path.parent().filter(|folder| !folder.as_os_str().is_empty()).unwrap_or(Path::new("."));
        match (missing_stand_in(), folder.canonicalize(), path.file_name()) {
            (Some(stands_for), Ok(folder), Some(name)) if folder.join(name) == stands_for => Ok(folder.join(name)),
            _ => Err(error),
        }
    })
}

/// The metadata of a path of the tree, not following a link; the file a
/// stand-in replaces has its temporary file's.
fn metadata_of(path: &Path) -> std::io::Result<std::fs::Metadata> {
    std::fs::symlink_metadata(path).or_else(|error| match STAND_IN.get() {
        Some((stands_for, temporary)) if path == stands_for => std::fs::symlink_metadata(temporary),
        _ => Err(error),
    })
}

/// The whole of a file, opened as `open_no_follow` does.
pub fn read_no_follow(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    open_no_follow(path)?.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// `Permission denied` → `permission denied`, for messages.
pub fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A relative path with `/` separators.
pub fn relative_path_of(relative: &Path) -> String {
    relative_path(Path::new(""), relative)
}

/// [`relative_path`], borrowed from `path` when that is `root`, a `/` and a
/// UTF-8 rest whose components are written as `relative_path` joins them
/// (none empty or `.`): what the walk gives for nearly every entry.
fn relative_in<'p>(root: &Path, path: &'p Path) -> Cow<'p, str> {
    let borrowed = path
        .as_os_str()
        .as_encoded_bytes()
        .strip_prefix(root.as_os_str().as_encoded_bytes())
        .and_then(|rest| rest.strip_prefix(b"/"))
        .and_then(|rest| std::str::from_utf8(rest).ok())
        .filter(|rest| !rest.split('/').any(|component| matches!(component, "" | ".")));
    match borrowed {
        Some(rest) => Cow::Borrowed(rest),
        None => Cow::Owned(relative_path(root, path)),
    }
}

pub fn relative_path(root: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(root).unwrap_or(path);
    relative.components().map(|component| component.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

/// Builds the glob set of `patterns`.
pub fn glob_set(patterns: &[String], what: &str) -> Result<GlobSet, Error> {
    let mut builder = globset::GlobSetBuilder::new();
    for pattern in patterns {
        let glob = glob(pattern).map_err(|problem| match problem.help {
            Some(help) => Error::usage_with_help(format!("invalid {what} glob `{pattern}`: {}", problem.message), help),
            None => Error::usage(format!("invalid {what} glob `{pattern}`: {}", problem.message)),
        })?;
        builder.add(glob);
    }
    builder.build().map_err(|error| Error::usage(format!("invalid {what} globs: {error}")))
}

/// Why a glob is refused, and what to do instead.
#[derive(Debug)]
pub struct GlobProblem {
    pub message: String,
    pub help: Option<&'static str>,
}

/// One glob of `include`, `exclude` or `[[overrides]] paths`, as loclint
/// matches it: relative to the root, `*` not crossing a `/`.
pub fn glob(pattern: &str) -> Result<globset::Glob, GlobProblem> {
    // Paths are matched relative to the root and never contain `..`: such a
    // glob would match nothing, silently.
    if pattern.split(['/', '\\']).any(|part| part == "..") {
        return Err(GlobProblem {
            message: "`..` cannot match, globs are relative to the lint root".into(),
            help: Some("lint the folder that holds the files, or move loclint.toml up to a folder above them"),
        });
    }
    globset::GlobBuilder::new(pattern)
        .literal_separator(true)
        .build()
        .map_err(|error| GlobProblem { message: error.kind().to_string(), help: None })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_locale_slot_is_found_where_a_substring_search_finds_it() {
        for text in [
            "{locale}/a.md",
            "docs/{locale}/a.md",
            "docs/{locale}/{locale}/a.md",
            "{a}/{loc}/{locale",
            "{{locale}/a.md",
            "{lo{locale}}",
            "é{locale}ü/a.md",
            "no slot",
            "",
            "{",
        ] {
            assert_eq!(find_locale_slot(text), text.find(LOCALE_SLOT), "{text:?}");
        }
    }

    #[test]
    fn the_walks_relative_path_is_relative_path_borrowed_or_not() {
        let cases = [
            ("/r", "/r/a/b.md"),
            ("/r", "/r/a//b.md"),
            ("/r", "/r/a/./b.md"),
            ("/r", "/r/./a.md"),
            ("/r", "/r/a/../b.md"),
            ("/r", "/r/a/"),
            ("/r/", "/r/a.md"),
            ("/r/.", "/r/./a.md"),
            ("r", "r/a.md"),
            (".", "./a.md"),
            ("/r", "/rs/a.md"),
            ("/r", "/r"),
            ("/r", "/other/a.md"),
        ];
        for (root, path) in cases {
            let (root, path) = (Path::new(root), Path::new(path));
            assert_eq!(relative_in(root, path), relative_path(root, path), "{root:?} {path:?}");
        }
        assert!(matches!(relative_in(Path::new("/r"), Path::new("/r/a/b.md")), Cow::Borrowed("a/b.md")));
    }

    #[test]
    fn files_of_a_group_are_ordered_as_their_paths() {
        let keys =
            ["{locale}/a/b.md", "docs/{locale}/b.md", "docs/x{locale}/b.md", "{locale}", "a/{locale}/{locale}/b.md"];
        let folders = ["de", "de-de", "de-DE", "de_de", "de.x", "-x", "", ".", "..", "zz", "a/b", "DE"];
        for key in keys {
            let mut pool = LocaleNamesPool::default();
            let files: Vec<FoundFile> = folders
                .iter()
                .map(|folder| {
                    let relative = key.replacen(LOCALE_SLOT, folder, 1);
                    FoundFile::new(key, &relative, &folder.to_lowercase(), &mut pool)
                })
                .collect();
            for a in &files {
                for b in &files {
                    let (path_a, path_b) = (a.relative(key, &pool), b.relative(key, &pool));
                    let expected = Path::new(&path_a).cmp(Path::new(&path_b));
                    assert_eq!(a.walk_order(b, key, &pool), expected, "{path_a:?} {path_b:?}");
                }
            }
        }
    }

    #[test]
    fn locale_folders() {
        let layout = Layout::LocaleFolders;
        assert_eq!(
            layout.classify("ja-JP/partner/a.md", "en-us"),
            Some(("ja-jp".into(), "{locale}/partner/a.md".into()))
        );
        assert_eq!(
            layout.classify("articles/en-us/a.md", "en-us"),
            Some(("en-us".into(), "articles/{locale}/a.md".into()))
        );
        assert_eq!(layout.classify("README.md", "en-us"), None);
        // The file's own name is never the locale; the first locale folder is.
        assert_eq!(layout.classify("docs/ja-jp.md", "en-us"), None);
        assert_eq!(layout.classify("ja-jp", "en-us"), None);
        assert_eq!(layout.classify("a//De/de/x.md", "en-us"), Some(("de".into(), "a//{locale}/de/x.md".into())));
        assert_eq!(layout.classify("a/de/", "en-us"), Some(("de".into(), "a/{locale}/".into())));
        assert_eq!(layout.classify("/de/x.md", "en-us"), Some(("de".into(), "/{locale}/x.md".into())));
        assert_eq!(layout.path_for("articles/{locale}/a.md", "de", "en-us"), "articles/de/a.md");
    }

    #[test]
    fn separate_roots() {
        let layout = Layout::Roots(BTreeMap::from([
            ("en-us".to_string(), "docs".to_string()),
            ("ja-jp".to_string(), "docs.ja-jp".to_string()),
        ]));
        assert_eq!(layout.classify("docs.ja-jp/a/b.md", "en-us"), Some(("ja-jp".into(), "a/b.md".into())));
        assert_eq!(layout.classify("docs/a/b.md", "en-us"), Some(("en-us".into(), "a/b.md".into())));
        assert_eq!(layout.classify("other/a.md", "en-us"), None);
        assert_eq!(layout.path_for("a/b.md", "ja-jp", "en-us"), "docs.ja-jp/a/b.md");
    }

    #[test]
    fn docusaurus_template() {
        let layout = Layout::Template {
            source: Template::new("docs/{path}").unwrap(),
            copy: Template::new("i18n/{locale}/docusaurus-plugin-content-docs/current/{path}").unwrap(),
        };
        let (locale, key) = layout.classify("i18n/ja/docusaurus-plugin-content-docs/current/intro/a.md", "en").unwrap();
        assert_eq!(locale, "ja");
        let (source_locale, source_key) = layout.classify("docs/intro/a.md", "en").unwrap();
        assert_eq!((source_locale.as_str(), &source_key), ("en", &key));
        assert_eq!(layout.path_for(&key, "fr", "en"), "i18n/fr/docusaurus-plugin-content-docs/current/intro/a.md");
        assert_eq!(layout.path_for(&key, "en", "en"), "docs/intro/a.md");
    }

    #[test]
    fn hugo_suffix_template() {
        let layout = Layout::Template {
            source: Template::new("content/{dir}/{stem}.md").unwrap(),
            copy: Template::new("content/{dir}/{stem}.{locale}.md").unwrap(),
        };
        let (locale, key) = layout.classify("content/posts/hello.ja.md", "en").unwrap();
        assert_eq!(locale, "ja");
        assert_eq!(layout.classify("content/posts/hello.md", "en").unwrap(), ("en".into(), key.clone()));
        assert_eq!(layout.classify("content/top.de.md", "en").unwrap().0, "de");
        assert_eq!(layout.classify("content/my.notes.md", "en").unwrap().0, "en");
        assert_eq!(layout.path_for(&key, "de", "en"), "content/posts/hello.de.md");
    }

    #[test]
    fn a_file_path_is_derived_from_the_key_only_when_that_gives_it_back() {
        let mut pool = LocaleNamesPool::default();
        let mut found = BTreeMap::new();
        let mut group = |key: &str, relative: &str, locale: &str| {
            let file = FoundFile::new(key, relative, locale, &mut pool);
            found.entry(Box::from(key)).or_insert_with(|| (None, Vec::new())).1.push(file);
        };
        group("{locale}/guides/a.md", "ja-JP/guides/a.md", "ja-jp");
        // A folder literally named `{locale}` before the locale folder.
        group("x{locale}/{locale}/a.md", "x{locale}/ja-jp/a.md", "ja-jp");
        // Keys of the other layouts have no `{locale}`.
        group("intro\u{1f}a\u{1f}", "i18n/ja/intro/a.md", "ja");
        group("{locale}/guides/a.md", "ja-JP/guides/a.md", "ja-jp");
        let groups = with_names(pool, found);
        let keys: Vec<&str> = groups.iter().map(|group| &*group.key).collect();
        assert_eq!(keys, ["intro\u{1f}a\u{1f}", "x{locale}/{locale}/a.md", "{locale}/guides/a.md"]);
        let copy = |group: usize, index: usize| groups[group].copies.get(index).unwrap();
        let [other, spelled, derived] = [copy(0, 0), copy(1, 0), copy(2, 0)];
        assert_eq!((derived.relative().as_ref(), derived.locale()), ("ja-JP/guides/a.md", "ja-jp"));
        assert!(!derived.locale_names().spelled && derived.slot.text == groups[2].key.text);
        assert_eq!(std::mem::size_of::<Slot>(), 8);
        assert_eq!(spelled.relative(), "x{locale}/ja-jp/a.md");
        assert!(spelled.is_at("x{locale}/ja-jp/a.md") && !spelled.is_at("xja-jp/ja-jp/a.md"));
        assert!(spelled.locale_names().spelled && spelled.slot.text != groups[1].key.text);
        assert!(derived.is_at("ja-JP/guides/a.md"));
        assert!(!derived.is_at("ja-jp/guides/a.md") && !derived.is_at("ja-JP/guides/a.m") && !derived.is_at(""));
        assert_eq!(other.relative(), "i18n/ja/intro/a.md");
        assert!(other.is_at("i18n/ja/intro/a.md") && !other.is_at("intro\u{1f}a\u{1f}"));
        // Files of one locale folder share its names; every text is stored
        // once: three keys and the two paths no key gives.
        let sibling = copy(2, 1);
        assert_eq!((sibling.slot.locale, sibling.slot.text), (derived.slot.locale, derived.slot.text));
        assert_eq!(derived.names.ends.len(), 5);
    }

    #[test]
    fn the_root_held_open_finds_the_links_the_folder_by_folder_check_finds() {
        let root = tempfile::tempdir().expect("a temporary folder");
        let root = root.path();
        std::fs::create_dir_all(root.join("real/deeper")).expect("folders");
        std::fs::write(root.join("real/a.md"), "# A\n").expect("a file");
        std::fs::write(root.join("real/deeper/c.md"), "# C\n").expect("a file");
        std::os::unix::fs::symlink(root.join("real"), root.join("linked")).expect("a linked folder");
        std::os::unix::fs::symlink("a.md", root.join("real/b.md")).expect("a linked file");
        std::os::unix::fs::symlink("/etc", root.join("real/outside")).expect("a link out of the tree");
        let tree = TreeRoot::new(root.to_path_buf());
        let cases = [
            ("real/a.md", true),
            ("real/deeper/c.md", true),
            ("real", true),
            ("", true),
            ("real/missing.md", true),
            ("missing/a.md", true),
            ("real/a.md/x", true),
            ("real/../real/a.md", true),
            ("../x", true),
            ("real/../../x", true),
            ("linked", false),
            ("linked/a.md", false),
            ("linked/deeper/c.md", false),
            ("linked/missing.md", false),
            ("real/b.md", false),
            ("real/outside/passwd", false),
            ("real/../linked/a.md", false),
            ("real/deeper/../../linked/a.md", false),
        ];
        for (relative, free) in cases {
            assert_eq!(free_of_links(root, relative), free, "folder by folder: {relative:?}");
            assert_eq!(tree.free_of_links(relative), free, "root held open: {relative:?}");
        }
        // Where the kernel has `openat2`, the links are refused by the one
        // call itself, not by the fallback.
        #[cfg(target_os = "linux")]
        if tree.free_of_links_in_one_call("real/a.md").is_some() {
            for (relative, free) in cases.iter().filter(|(_, free)| !free) {
                assert_eq!(tree.free_of_links_in_one_call(relative), Some(*free), "{relative:?}");
            }
            // An escape is not the one call's to answer: the caller's
            // lexical check (`Corpus::inside_root`) keeps paths in the root.
            assert_eq!(tree.free_of_links_in_one_call("../x"), None);
        }
    }

    #[test]
    fn bad_templates() {
        assert!(Template::new("{lang}/{path}").unwrap_err().contains("unknown placeholder"));
        assert!(Template::new("{path").unwrap_err().contains("unclosed"));
    }
}
