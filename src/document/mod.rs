//! One read and one parse per file: the facts every rule works from.

pub mod applies_to;
pub mod frontmatter;
pub mod html;
pub mod lines;
pub mod markdown;
pub mod segments;
pub mod suppressions;
pub mod text;

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use sha1::Digest;

use crate::diagnostic::SourceFile;
pub use frontmatter::{Entry, FrontMatter, FrontMatterProblem};
pub use markdown::{AnchorSet, Facts};

/// Files larger than this are not parsed (see SECURITY.md); configurable.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 16 * 1024 * 1024;

/// Why a file could not be checked at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadProblem {
    Unreadable(String),
    Binary,
    TooLarge { size: u64, limit: u64 },
}

/// A text that is not clean UTF-8; it is still checked, decoded lossily.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EncodingProblem {
    /// Invalid UTF-8 at this byte offset of the file.
    InvalidUtf8 { offset: usize },
    /// The file is UTF-16 (it starts with a UTF-16 byte order mark).
    Utf16,
}

#[derive(Debug)]
pub struct Document {
    pub path: PathBuf,
    /// Lower-cased locale tag of the copy (or of the source).
    pub locale: String,
    /// The text, BOM removed.
    text: Arc<str>,
    /// The text with its display name and line index, shared with every
    /// diagnostic about this file.
    pub file: Arc<SourceFile>,
    pub bom: bool,
    /// The SHA-1 forms a pipeline may have recorded for this file; empty
    /// when the document was loaded without hashing (copies: only a
    /// source's hash is ever compared).
    pub hashes: SourceHashes,
    pub load_problem: Option<LoadProblem>,
    pub encoding_problem: Option<EncodingProblem>,
    pub front_matter: FrontMatter,
    pub body_start: usize,
    pub facts: Facts,
    /// Several rules and the anchor registry ask for the same set.
    anchor_set: OnceLock<AnchorSet>,
}

impl Document {
    /// Reads and parses `path`. Never fails: a file that cannot be read or is
    /// not text comes back empty with its `load_problem` set.
    pub fn load(path: &Path, display: String, locale: String, max_size: u64, hash: bool) -> Document {
        with_read_buffer(|buffer| match read_limited(path, max_size, buffer) {
            Ok(()) => Document::parse_with(path, display, locale, buffer, hash),
            Err(problem) => Document::unchecked(path, display, locale, problem),
        })
    }

    /// Reads `path` as [`Document::load`] does, without parsing it: the
    /// facts stay empty. For a second look at a file whose facts the caller
    /// kept from its parse (a finding shows the text, its lines and path).
    pub fn load_unparsed(path: &Path, display: String, locale: String, max_size: u64) -> Document {
        with_read_buffer(|buffer| match read_limited(path, max_size, buffer) {
            Ok(()) if looks_binary(buffer) => Document::unchecked(path, display, locale, LoadProblem::Binary),
            Ok(()) => {
                let Decoded { text, bom, problem: encoding_problem, undecoded: _ } = decode(buffer);
                Document::unparsed(path, display, locale, (text, bom, encoding_problem))
            }
            Err(problem) => Document::unchecked(path, display, locale, problem),
        })
    }

    /// A readable document's text, not parsed yet: no hashes, front matter
    /// or facts.
    fn unparsed(
        path: &Path,
        display: String,
        locale: String,
        (text, bom, encoding_problem): (Arc<str>, bool, Option<EncodingProblem>),
    ) -> Document {
        Document {
            path: path.to_path_buf(),
            locale,
            file: SourceFile::new(display, text.clone()),
            text,
            bom,
            hashes: SourceHashes::default(),
            load_problem: None,
            encoding_problem,
            front_matter: FrontMatter::default(),
            body_start: 0,
            facts: Facts::default(),
            anchor_set: OnceLock::new(),
        }
    }

    /// Parses `bytes` and hashes them.
    pub fn parse(path: &Path, display: String, locale: String, bytes: &[u8]) -> Document {
        Document::parse_with(path, display, locale, bytes, true)
    }

    /// Parses `bytes`, hashing them if `hash`: valid UTF-8 is copied once,
    /// into the document's shared text.
    pub fn parse_with(path: &Path, display: String, locale: String, bytes: &[u8], hash: bool) -> Document {
        if looks_binary(bytes) {
            let mut document = Document::unchecked(path, display, locale, LoadProblem::Binary);
            if hash {
                document.hashes = SourceHashes::of(bytes);
            }
            return document;
        }
        let Decoded { text, bom, problem: encoding_problem, undecoded } = decode(bytes);
        // The hash is of the file's bytes: the text itself when it is
        // clean UTF-8 without a BOM (no copy), else the bytes as read.
        let hashes = match undecoded {
            _ if !hash => SourceHashes::default(),
            Some(bytes) => SourceHashes::of_owned(Arc::from(bytes)),
            None if bom => SourceHashes::of_owned(Arc::from([UTF8_BOM, text.as_bytes()].concat())),
            None => SourceHashes::of_owned(Arc::<[u8]>::from(text.clone())),
        };
        let (front_matter, body_start) = frontmatter::parse(&text);
        let syntax = match path.extension().is_some_and(|extension| extension.eq_ignore_ascii_case("mdx")) {
            true => markdown::Syntax::Mdx,
            false => markdown::Syntax::CommonMark,
        };
        let facts = markdown::extract_as(&text, body_start, front_matter.yaml_span.clone(), syntax);
        Document {
            hashes,
            front_matter,
            body_start,
            facts,
            ..Document::unparsed(path, display, locale, (text, bom, encoding_problem))
        }
    }

    fn unchecked(path: &Path, display: String, locale: String, problem: LoadProblem) -> Document {
        Document {
            path: path.to_path_buf(),
            locale,
            file: SourceFile::new(display, Arc::from("")),
            text: Arc::from(""),
            bom: false,
            hashes: SourceHashes::default(),
            load_problem: Some(problem),
            encoding_problem: None,
            front_matter: FrontMatter::default(),
            body_start: 0,
            facts: Facts::default(),
            anchor_set: OnceLock::new(),
        }
    }

    /// The anchors a reader can link to in this document, computed once.
    pub fn anchors(&self) -> &AnchorSet {
        self.anchor_set.get_or_init(|| self.facts.anchor_set())
    }

    /// Path relative to the lint root with `/` separators.
    pub fn display_path(&self) -> &str {
        &self.file.name
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// The front matter value of `key`, if present.
    pub fn meta(&self, key: &str) -> Option<Entry<'_>> {
        self.front_matter.get(&self.text, key)
    }

    /// Like [`Document::meta`], and a dotted key one level deep reads a
    /// nested mapping, as MDN writes its source commit:
    /// `l10n:` then `  sourceCommit: …` for `l10n.sourceCommit`.
    pub fn meta_path<'a>(&'a self, key: &'a str) -> Option<Entry<'a>> {
        if let Some(entry) = self.meta(key) {
            return Some(entry);
        }
        let (parent, child) = key.split_once('.')?;
        let parent = self.meta(parent)?;
        let text = self.text();
        let mut offset = text.get(parent.key_span.end..)?.find('\n')? + parent.key_span.end + 1;
        while offset < self.front_matter.yaml_span.end {
            let line_end = text[offset..].find('\n').map_or(text.len(), |end| offset + end);
            let line = text[offset..line_end].trim_end_matches('\r');
            let indented = line.starts_with([' ', '\t']);
            if !indented && !line.trim().is_empty() {
                return None;
            }
            if let Some((name, value)) = line.trim_start().split_once(':') {
                if name.trim() == child {
                    let value_start = offset + line.len() - value.trim_start().len();
                    let raw = value.trim();
                    return Some(Entry {
                        key,
                        value: raw.trim_matches(['"', '\'']),
                        key_span: parent.key_span.clone(),
                        value_span: value_start..value_start + raw.len(),
                    });
                }
            }
            offset = line_end + 1;
        }
        None
    }

    /// Whether the file was read and parsed.
    pub fn is_checked(&self) -> bool {
        self.load_problem.is_none()
    }
}

/// The SHA-1 forms a localization pipeline may record for a source
/// (`ms.openlocfilehash`): of its raw bytes, as `sha1sum` prints it, or of
/// its bytes with line endings converted as the pipeline's checkout had
/// them: every line ending CRLF (a Windows checkout of an LF file), or every
/// one LF (a CRLF file checked out with LF). Pipelines differ; the CRLF form
/// is verified on public repositories.
///
/// Each form is computed when first asked for: a source whose copies carry
/// no hash is never hashed, and the converted forms only when the raw one
/// does not match (hashing was 4 % of a clean tree's lint).
#[derive(Debug, Clone, Default)]
pub struct SourceHashes {
    /// The bytes hashed; `None` when loaded without hashing.
    bytes: Option<Arc<[u8]>>,
    raw: OnceLock<String>,
    /// The CRLF and LF forms.
    converted: OnceLock<(String, String)>,
    /// The raw, CRLF and LF forms in SHA-256, for copies whose hash has 64
    /// hex digits (Dynamics 365 docs' handoffs write some so).
    sha256: OnceLock<[String; 3]>,
}

impl SourceHashes {
    pub fn of(bytes: &[u8]) -> SourceHashes {
        SourceHashes::of_owned(Arc::from(bytes))
    }

    pub fn of_owned(bytes: Arc<[u8]>) -> SourceHashes {
        SourceHashes { bytes: Some(bytes), raw: OnceLock::new(), converted: OnceLock::new(), sha256: OnceLock::new() }
    }

    /// Of the raw bytes, lower-case hex; empty when loaded without hashing.
    pub fn raw(&self) -> &str {
        match &self.bytes {
            Some(bytes) => self.raw.get_or_init(|| sha1_hex(bytes)),
            None => "",
        }
    }

    /// With every line ending CRLF, lower-case hex; equal to `raw` when the
    /// file has no bare `\n`.
    pub fn crlf(&self) -> &str {
        &self.converted().0
    }

    /// With every line ending LF, lower-case hex; equal to `raw` when the
    /// file has no `\r\n`.
    pub fn lf(&self) -> &str {
        &self.converted().1
    }

    fn converted(&self) -> &(String, String) {
        self.converted.get_or_init(|| match &self.bytes {
            Some(bytes) => converted_hashes(bytes, self.raw()),
            None => (String::new(), String::new()),
        })
    }

    /// Whether `hash` (as written in a copy, any case) is one of the forms.
    pub fn matches(&self, hash: &str) -> bool {
        let hash = hash.trim();
        // SHA-1 forms have 40 hex digits, SHA-256 ones 64: anything else
        // matches none, and costs no hashing.
        match (&self.bytes, hash.len()) {
            (Some(_), 40) => {
                hash.eq_ignore_ascii_case(self.raw())
                    || hash.eq_ignore_ascii_case(self.crlf())
                    || hash.eq_ignore_ascii_case(self.lf())
            }
            (Some(_), 64) => self.sha256().iter().any(|form| hash.eq_ignore_ascii_case(form)),
            _ => false,
        }
    }

    /// The raw form in the algorithm `hash` was written with (SHA-256 for
    /// 64 hex digits, else SHA-1), and that algorithm's name: what a copy
    /// holding `hash` should hold instead.
    pub fn raw_like(&self, hash: &str) -> (&str, &'static str) {
        if hash.trim().len() == 64 && self.bytes.is_some() {
            (&self.sha256()[0], "SHA-256")
        } else {
            (self.raw(), "SHA-1")
        }
    }

    fn sha256(&self) -> &[String; 3] {
        self.sha256.get_or_init(|| {
            let bytes = self.bytes.as_deref().unwrap_or_default();
            let mut raw = sha2::Sha256::default();
            sha2::Digest::update(&mut raw, bytes);
            let (mut crlf, mut lf) = (sha2::Sha256::default(), sha2::Sha256::default());
            for_each_line_ending_form(
                bytes,
                |piece| sha2::Digest::update(&mut crlf, piece),
                |piece| sha2::Digest::update(&mut lf, piece),
            );
            [raw, crlf, lf].map(|hasher| hex(&sha2::Digest::finalize(hasher)))
        })
    }
}

/// The SHA-1 of `bytes` in lower-case hex.
pub(crate) fn sha1_hex(bytes: &[u8]) -> String {
    hex(&sha1::Sha1::digest(bytes))
}

/// Lower-case hex, as copies write their hashes.
pub(crate) fn hex(digest: &[u8]) -> String {
    use std::fmt::Write;
    digest.iter().fold(String::with_capacity(digest.len() * 2), |mut hex, byte| {
        let _ = write!(hex, "{byte:02x}");
        hex
    })
}

/// The CRLF and LF forms of `bytes`, whose raw form is `raw`. A form the
/// bytes already have is the raw hash, not hashed again: most sources have
/// no `\r` at all, so their LF form is the raw one (on a drifted tree no
/// copy's hash matches and every form of every source is asked for).
fn converted_hashes(bytes: &[u8], raw: &str) -> (String, String) {
    let (mut crlf, mut lf) = (sha1::Sha1::new(), sha1::Sha1::new());
    let (any_bare, any_crlf) = if memchr::memchr(b'\r', bytes).is_none() {
        for_each_line_ending_form(bytes, |piece| crlf.update(piece), |_| {})
    } else {
        for_each_line_ending_form(bytes, |piece| crlf.update(piece), |piece| lf.update(piece))
    };
    let crlf = if any_bare { hex(&crlf.finalize()) } else { raw.to_string() };
    let lf = if any_crlf { hex(&lf.finalize()) } else { raw.to_string() };
    (crlf, lf)
}

/// Feeds `bytes` with every line ending CRLF to `crlf` and with every one
/// LF to `lf`, piece by piece, without copying the file; returns whether it
/// had a bare `\n` and whether it had a `\r\n`.
fn for_each_line_ending_form(bytes: &[u8], mut crlf: impl FnMut(&[u8]), mut lf: impl FnMut(&[u8])) -> (bool, bool) {
    let (mut crlf_start, mut lf_start) = (0, 0);
    let (mut any_bare, mut any_crlf) = (false, false);
    for newline in memchr::memchr_iter(b'\n', bytes) {
        if newline > 0 && bytes[newline - 1] == b'\r' {
            lf(&bytes[lf_start..newline - 1]);
            lf_start = newline;
            any_crlf = true;
        } else {
            crlf(&bytes[crlf_start..newline]);
            crlf(b"\r");
            crlf_start = newline;
            any_bare = true;
        }
    }
    crlf(&bytes[crlf_start..]);
    lf(&bytes[lf_start..]);
    (any_bare, any_crlf)
}

/// Lends `body` this thread's read buffer. Each file read into a buffer of
/// its own cost an allocation of its size (13 KB on average, past the
/// allocator's thread cache: about 4,000 instructions each); a worker reads
/// one file after another into the same buffer instead. A buffer grown past
/// `READ_BUFFER_KEPT` by a large file is dropped after it, so what a worker
/// keeps does not grow with the largest file of the tree.
fn with_read_buffer<T>(body: impl FnOnce(&mut Vec<u8>) -> T) -> T {
    const READ_BUFFER_KEPT: usize = 256 * 1024;
    thread_local! {
        static READ_BUFFER: std::cell::Cell<Vec<u8>> = const { std::cell::Cell::new(Vec::new()) };
    }
    // Taken out of the cell and put back, not borrowed: a nested call (none
    // today) would get an empty buffer of its own instead of a panic.
    let mut buffer = READ_BUFFER.take();
    let result = body(&mut buffer);
    if buffer.capacity() <= READ_BUFFER_KEPT {
        READ_BUFFER.set(buffer);
    }
    result
}

/// Reads `path` into `bytes`, at most `max_size` bytes.
///
/// `bytes` is overwritten, not cleared first: a buffer lent from file to
/// file keeps the length it had as room already initialized, so a file no
/// longer than the previous one is read without zeroing the buffer again.
///
/// One `read` of the size `fstat` gave plus one byte reads the usual file
/// whole and finds its end in the same call: a read that stops short of the
/// extra byte at exactly that size met the end of the file. (Through
/// `take(..).read_to_end`, std has no size hint and reads 8 KiB, then
/// twice as much each time, then once more for the end: four reads for a
/// 20 KB file.) A file that grew since `fstat` fills the extra byte and is
/// read on in growing steps, never to more than `max_size + 1` bytes, so
/// the limit bounds memory even then.
fn read_limited(path: &Path, max_size: u64, bytes: &mut Vec<u8>) -> Result<(), LoadProblem> {
    let (mut file, metadata) = crate::discover::open_no_follow_with_metadata(path)
        .map_err(|error| LoadProblem::Unreadable(error.to_string()))?;
    if metadata.is_dir() {
        return Err(LoadProblem::Unreadable("is a directory".into()));
    }
    let size = metadata.len();
    if size > max_size {
        return Err(LoadProblem::TooLarge { size, limit: max_size });
    }
    read_bounded(&mut file, size, max_size, bytes)
}

/// The reading half of [`read_limited`]: `reader` holds a file whose size
/// was `size` (at most `max_size`) when it was opened.
fn read_bounded(
    reader: &mut impl std::io::Read,
    size: u64,
    max_size: u64,
    bytes: &mut Vec<u8>,
) -> Result<(), LoadProblem> {
    let limit = max_size.saturating_add(1);
    let mut end = size.saturating_add(1).min(limit);
    let mut filled = 0;
    loop {
        let want = usize::try_from(end).unwrap_or(usize::MAX);
        if bytes.len() < want {
            bytes.resize(want, 0);
        }
        let read = loop {
            match reader.read(&mut bytes[filled..want]) {
                Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
                read => break read,
            }
        };
        let read = read.map_err(|error| LoadProblem::Unreadable(error.to_string()))?;
        if read == 0 {
            break;
        }
        filled += read;
        if filled < want {
            // Short of the byte past `size`, at `size`: the end of the file.
            if filled as u64 == size {
                break;
            }
            continue;
        }
        if end >= limit {
            break;
        }
        // The file grew since it was opened.
        end = end.saturating_mul(2).max(end.saturating_add(8192)).min(limit);
    }
    bytes.truncate(filled);
    if filled as u64 > max_size {
        return Err(LoadProblem::TooLarge { size: filled as u64, limit: max_size });
    }
    Ok(())
}

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

fn is_utf16(bytes: &[u8]) -> bool {
    bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") || utf16_without_bom(bytes).is_some()
}

/// UTF-16 saved without a byte order mark: in mostly-ASCII text every other
/// byte is NUL. `Some(true)` for little-endian.
fn utf16_without_bom(bytes: &[u8]) -> Option<bool> {
    let sample = &bytes[..bytes.len().min(512) & !1];
    // Most files: no NUL at all, so not UTF-16 (found by memchr, before
    // counting NULs byte by byte).
    if sample.len() < 4 || memchr::memchr(0, sample).is_none() {
        return None;
    }
    let zero_at = |parity: usize| sample.iter().skip(parity).step_by(2).filter(|&&b| b == 0).count();
    let half = sample.len() / 2;
    let (even, odd) = (zero_at(0), zero_at(1));
    if odd * 10 >= half * 9 && even == 0 {
        Some(true)
    } else if even * 10 >= half * 9 && odd == 0 {
        Some(false)
    } else {
        None
    }
}

/// NUL bytes do not occur in text; UTF-16 text is handled separately.
fn looks_binary(bytes: &[u8]) -> bool {
    // memchr's search, not `contains`: every file's first 8 KiB come here.
    !is_utf16(bytes) && memchr::memchr(0, &bytes[..bytes.len().min(8192)]).is_some()
}

/// A file's text, and its bytes as read when the text is not them.
struct Decoded {
    text: Arc<str>,
    bom: bool,
    problem: Option<EncodingProblem>,
    /// The bytes read, when decoding changed more than a BOM.
    undecoded: Option<Vec<u8>>,
}

fn decode(bytes: &[u8]) -> Decoded {
    let bom = bytes.starts_with(UTF8_BOM);
    // simdutf8 checks valid text several times faster than the standard
    // library (whose check was 5 % of a clean tree's lint); valid text is
    // copied into its shared buffer once. UTF-16 and invalid text go the
    // slow way, which says where the text breaks and keeps the bytes.
    if !is_utf16(bytes) {
        if let Ok(text) = simdutf8::basic::from_utf8(&bytes[if bom { UTF8_BOM.len() } else { 0 }..]) {
            return Decoded { text: Arc::from(text), bom, problem: None, undecoded: None };
        }
    }
    decode_slowly(bytes.to_vec())
}

/// UTF-16 or invalid UTF-8.
fn decode_slowly(mut bytes: Vec<u8>) -> Decoded {
    if is_utf16(&bytes) {
        let has_bom = bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF");
        let little_endian =
            if has_bom { bytes.starts_with(b"\xFF\xFE") } else { utf16_without_bom(&bytes).unwrap_or(true) };
        let units: Vec<u16> = bytes[if has_bom { 2 } else { 0 }..]
            .chunks(2)
            .map(|pair| {
                let pair = [pair[0], pair.get(1).copied().unwrap_or(0)];
                if little_endian {
                    u16::from_le_bytes(pair)
                } else {
                    u16::from_be_bytes(pair)
                }
            })
            .collect();
        let text = Arc::from(String::from_utf16_lossy(&units));
        return Decoded { text, bom: has_bom, problem: Some(EncodingProblem::Utf16), undecoded: Some(bytes) };
    }
    let bom = bytes.starts_with(UTF8_BOM);
    if bom {
        bytes.drain(..UTF8_BOM.len());
    }
    match String::from_utf8(bytes) {
        Ok(text) => Decoded { text: Arc::from(text), bom, problem: None, undecoded: None },
        Err(error) => {
            let offset = error.utf8_error().valid_up_to() + if bom { UTF8_BOM.len() } else { 0 };
            let text = Arc::from(String::from_utf8_lossy(error.as_bytes()));
            let mut undecoded = error.into_bytes();
            if bom {
                undecoded.splice(0..0, UTF8_BOM.iter().copied());
            }
            Decoded { text, bom, problem: Some(EncodingProblem::InvalidUtf8 { offset }), undecoded: Some(undecoded) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Document {
        Document::parse(Path::new("x.md"), "x.md".into(), "ja-jp".into(), text.as_bytes())
    }

    #[test]
    fn no_size_limit_reads_the_whole_file() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let path = dir.path().join("page.md");
        std::fs::write(&path, "# Title\n\nBody.\n").expect("write the page");
        let mut bytes = Vec::new();
        read_limited(&path, u64::MAX, &mut bytes).expect("read the page");
        assert_eq!(bytes, b"# Title\n\nBody.\n");
    }

    #[test]
    fn the_size_limit_refuses_a_larger_file_and_reads_one_of_exactly_the_limit() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let (empty, exact) = (dir.path().join("empty.md"), dir.path().join("exact.md"));
        std::fs::write(&empty, "").expect("write");
        std::fs::write(&exact, "0123456789").expect("write");
        let mut bytes = b"stale bytes of an earlier, longer file".to_vec();
        read_limited(&empty, 0, &mut bytes).expect("an empty file is within any limit");
        assert_eq!(bytes, b"");
        read_limited(&exact, 10, &mut bytes).expect("a file of exactly the limit");
        assert_eq!(bytes, b"0123456789");
        assert!(matches!(read_limited(&exact, 9, &mut bytes), Err(LoadProblem::TooLarge { size: 10, limit: 9 })));
    }

    /// A reader that hands out at most `step` bytes a call and counts its
    /// calls and the bytes it handed out.
    struct Counted<'a> {
        rest: &'a [u8],
        step: usize,
        calls: usize,
        handed: usize,
    }

    impl std::io::Read for Counted<'_> {
        fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
            self.calls += 1;
            let count = buffer.len().min(self.step).min(self.rest.len());
            buffer[..count].copy_from_slice(&self.rest[..count]);
            self.rest = &self.rest[count..];
            self.handed += count;
            Ok(count)
        }
    }

    fn counted(text: &[u8], step: usize) -> Counted<'_> {
        Counted { rest: text, step, calls: 0, handed: 0 }
    }

    #[test]
    fn a_file_of_the_size_it_was_opened_with_takes_one_read() {
        let text = "word ".repeat(4_000);
        let mut reader = counted(text.as_bytes(), usize::MAX);
        let mut bytes = Vec::new();
        read_bounded(&mut reader, text.len() as u64, 1 << 20, &mut bytes).expect("read");
        assert_eq!((bytes.as_slice(), reader.calls), (text.as_bytes(), 1));
        // Short reads, and a file that shrank since it was opened: read to its end.
        let mut reader = counted(text.as_bytes(), 1000);
        read_bounded(&mut reader, text.len() as u64 + 500, 1 << 20, &mut bytes).expect("read");
        assert_eq!((bytes.as_slice(), reader.calls), (text.as_bytes(), 21));
    }

    #[test]
    fn a_file_that_grew_since_it_was_opened_is_read_to_the_limit_and_no_further() {
        let text = "word ".repeat(10_000);
        let mut bytes = Vec::new();
        let mut reader = counted(text.as_bytes(), usize::MAX);
        read_bounded(&mut reader, 10, 1 << 20, &mut bytes).expect("within the limit");
        assert_eq!(bytes, text.as_bytes());
        for step in [7, usize::MAX] {
            let mut reader = counted(text.as_bytes(), step);
            let refused = read_bounded(&mut reader, 10, 30_000, &mut bytes);
            assert!(matches!(refused, Err(LoadProblem::TooLarge { size: 30_001, limit: 30_000 })), "{refused:?}");
            assert_eq!(reader.handed, 30_001, "one byte past the limit is read, no more");
            assert!(bytes.len() <= 30_001);
        }
    }

    #[test]
    fn a_file_read_after_a_longer_one_is_only_itself_and_a_large_buffer_is_not_kept() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let (long, short, huge) = (dir.path().join("long.md"), dir.path().join("short.md"), dir.path().join("huge.md"));
        std::fs::write(&long, "# Long title\n\nA longer body than the next file has.\n").expect("write");
        std::fs::write(&short, "# T\n").expect("write");
        std::fs::write(&huge, "# Huge\n\n".to_string() + &"word ".repeat(100_000)).expect("write");
        let load = |path: &Path| Document::load(path, "x.md".into(), "ja-jp".into(), u64::MAX, true);
        assert_eq!(load(&long).text(), "# Long title\n\nA longer body than the next file has.\n");
        let document = load(&short);
        assert_eq!(document.text(), "# T\n");
        assert_eq!(document.hashes.raw(), sha1_hex(b"# T\n"));
        assert!(with_read_buffer(|buffer| buffer.capacity()) > 0, "a small file's buffer is kept for the next");
        assert_eq!(load(&huge).text().len(), 8 + 500_000);
        assert!(with_read_buffer(|buffer| buffer.capacity()) <= 256 * 1024, "a huge file's buffer is dropped");
        assert!(load(&huge).hashes.raw() != document.hashes.raw());
    }

    #[test]
    fn hash_is_over_raw_bytes_including_bom() {
        let bytes = b"\xEF\xBB\xBF# T\n";
        let document = Document::parse(Path::new("x.md"), "x.md".into(), "en-us".into(), bytes);
        assert!(document.bom);
        assert_eq!(document.text(), "# T\n");
        assert_eq!(document.hashes.raw(), sha1_smol::Sha1::from(&bytes[..]).digest().to_string());
    }

    #[test]
    fn a_fence_followed_by_a_tab_closes_its_code_block() {
        let document = parse("# T\n\n```text\t\nAUTH\n```\t\n\nBetween.\n\n```text\nOK\n```\n");
        let blocks: Vec<&str> = document.facts.code_blocks.iter().map(|block| block.content.as_str()).collect();
        assert_eq!(blocks, ["AUTH\n", "OK\n"]);
        // Spans are those of the file as written.
        assert_eq!(&document.text()[document.facts.code_blocks[0].span.clone()], "```text\t\nAUTH\n```\t");
    }

    #[test]
    fn nested_keys_are_read_one_level_deep() {
        let document = parse("---\ntitle: T\nl10n:\n  sourceCommit: \"abc123\"\n  other: x\nnext: y\n---\n# T\n");
        let entry = document.meta_path("l10n.sourceCommit").expect("nested value");
        assert_eq!(entry.value, "abc123");
        assert_eq!(&document.text()[entry.value_span], "\"abc123\"");
        assert_eq!(document.meta_path("next").map(|entry| entry.value), Some("y"));
        assert!(document.meta_path("l10n.missing").is_none());
        assert!(document.meta_path("title.sub").is_none());
    }

    #[test]
    fn crlf_hash_converts_bare_line_feeds_only() {
        let hashes = SourceHashes::of(b"a\nb\r\nc\n");
        assert_eq!(hashes.crlf(), sha1_smol::Sha1::from(&b"a\r\nb\r\nc\r\n"[..]).digest().to_string());
        assert!(hashes.matches(&hashes.raw().to_uppercase()));
        assert!(hashes.matches(&format!(" {} ", hashes.crlf())));
        assert!(hashes.matches(hashes.lf()));
        assert!(!hashes.matches("0000"));
        assert_eq!(hashes.lf(), sha1_smol::Sha1::from(&b"a\nb\nc\n"[..]).digest().to_string());
        let unchanged = SourceHashes::of(b"a\r\nb");
        assert_eq!(unchanged.raw(), unchanged.crlf());
        let unchanged = SourceHashes::of(b"a\nb");
        assert_eq!(unchanged.raw(), unchanged.lf());
        assert!(!SourceHashes::default().matches(""));
        assert!(!SourceHashes::default().matches(&"0".repeat(40)));
        assert_eq!(SourceHashes::default().raw(), "");
    }

    #[test]
    fn sha_256_hashes_match_in_every_line_ending_form() {
        // `sha256sum` of the three forms of the same file.
        let hashes = SourceHashes::of(b"a\nb\r\nc\n");
        assert!(hashes.matches("9ef64e85d76db00b992a0f7ab85faedcacf674093f862a1aca05b2e40ac40ae8"));
        assert!(hashes.matches("A21249681E0CE22432BA07BA61791651DFFB68E3779D3BD3C1B0348035F23328"));
        assert!(hashes.matches(" 880553fca8fcea94e325ee2cfb48e5a985cc797f39a14cc6d3cedecfeb2ae4d2 "));
        assert!(!hashes.matches(&"0".repeat(64)));
        assert_eq!(
            hashes.raw_like("a21249681e0ce22432ba07ba61791651dffb68e3779d3bd3c1b0348035f23328"),
            ("9ef64e85d76db00b992a0f7ab85faedcacf674093f862a1aca05b2e40ac40ae8", "SHA-256")
        );
        assert_eq!(hashes.raw_like("0000"), (hashes.raw(), "SHA-1"));
        assert!(!SourceHashes::default().matches(&"0".repeat(64)));
    }

    #[test]
    fn invalid_utf8_is_decoded_lossily_and_reported() {
        let document = Document::parse(Path::new("x.md"), "x.md".into(), "en-us".into(), b"# A\xFFB\n");
        assert_eq!(document.encoding_problem, Some(EncodingProblem::InvalidUtf8 { offset: 3 }));
        assert_eq!(document.facts.headings[0].text, "A\u{FFFD}B");
    }

    #[test]
    fn utf16_without_a_bom_is_recognised() {
        let bytes: Vec<u8> = "# Title\n".encode_utf16().flat_map(u16::to_le_bytes).collect();
        let document = Document::parse(Path::new("x.md"), "x.md".into(), "en-us".into(), &bytes);
        assert_eq!(document.encoding_problem, Some(EncodingProblem::Utf16));
        assert_eq!(document.facts.headings[0].text, "Title");
    }

    #[test]
    fn binary_files_are_not_parsed() {
        let document = Document::parse(Path::new("x.md"), "x.md".into(), "en-us".into(), b"\x89PNG\0\0");
        assert_eq!(document.load_problem, Some(LoadProblem::Binary));
    }

    #[test]
    fn facts_of_an_sxs_copy_come_from_the_translated_side() {
        let text = concat!(
            "---\ntitle: T\n---\n",
            "# <a name=\"intro\"></a><span data-ttu-id=\"abcde-101\">はじめに</span><span class=\"sxs-lookup\"><span data-stu-id=\"abcde-101\">Intro</span></span>\n\n",
            "<span data-ttu-id=\"abcde-102\">[顧客](a.md)を見る</span><span class=\"sxs-lookup\"><span data-stu-id=\"abcde-102\">See [customers](a.md)</span></span>\n\n",
            "**<span data-ttu-id=\"abcde-103\">適用対象</span><span class=\"sxs-lookup\"><span data-stu-id=\"abcde-103\">Applies to</span></span>**\n\n",
            "-  <span data-ttu-id=\"abcde-104\">製品</span><span class=\"sxs-lookup\"><span data-stu-id=\"abcde-104\">Product</span></span>\n",
            "-  Cloud\n",
        );
        let document = parse(text);
        let facts = &document.facts;
        assert_eq!(facts.headings.len(), 1);
        assert_eq!(facts.headings[0].text, "はじめに");
        assert_eq!(facts.anchors[0].name, "intro");
        let links: Vec<_> = facts.links.iter().map(|l| l.destination.as_str()).collect();
        assert_eq!(links, ["a.md"]);
        assert_eq!(&text[facts.links[0].span.clone()], "a.md");
        assert_eq!(facts.segments.pairs.len(), 4);
        assert!(facts.segments.unpaired.is_empty());
        let applies = facts.applies_to.as_ref().unwrap();
        let items: Vec<_> = applies.items.iter().map(|i| (i.text.as_str(), i.source_text.as_deref())).collect();
        assert_eq!(items, [("製品", Some("Product")), ("Cloud", None)]);
    }

    #[test]
    fn links_of_every_kind() {
        let text = concat!(
            "[a](a.md) ![i](img.png) <https://x.test/> [r][ref] [[Label] text](nested.md)\n\n",
            "[!INCLUDE[note](../includes/note.md)]\n\n",
            "<a href=\"h.md\">h</a> <img src=\"s.png\"/>\n\n",
            "```\n[not](a-link.md)\n```\n\n",
            "[ref]: r.md\n",
        );
        let document = parse(text);
        let links: Vec<_> = document.facts.links.iter().map(|l| (l.kind, l.destination.as_str())).collect();
        use markdown::LinkKind::*;
        assert_eq!(
            links,
            [
                (Inline, "a.md"),
                (Image, "img.png"),
                (Autolink, "https://x.test/"),
                (Reference, "r.md"),
                (Inline, "nested.md"),
                (Include, "../includes/note.md"),
                (Html, "h.md"),
                (Html, "s.png"),
            ]
        );
        assert_eq!(document.facts.code_blocks.len(), 1);
        assert_eq!(document.facts.code_blocks[0].content, "[not](a-link.md)\n");
    }

    #[test]
    fn heading_attribute_anchor() {
        let document = parse("## Setup {#set-up}\n");
        assert_eq!(document.facts.anchors[0].name, "set-up");
        assert_eq!(document.facts.headings[0].text, "Setup");
        assert_eq!(&document.text()[document.facts.anchors[0].span.clone()], "set-up");
    }

    #[test]
    fn heading_keeps_character_references_as_written_for_the_slug() {
        let document = parse("## The &ltfiles /&gt; element\n\n## Plain `code` heading\n");
        let [entity, plain] = &document.facts.headings[..] else {
            panic!("two headings expected: {:?}", document.facts.headings);
        };
        assert_eq!(entity.text, "The &ltfiles /> element");
        assert_eq!(entity.raw_text.as_deref(), Some("The &ltfiles /&gt; element"));
        assert!(document.anchors().contains("the-ltfiles-gt-element"));
        assert!(document.anchors().contains("the-ltfiles--element"));
        assert_eq!(plain.raw_text, None);
    }

    #[test]
    fn segments_in_front_matter_values() {
        let text = "---\ntitle: \"<span data-ttu-id=\\\"abcde-101\\\">題</span><span class=\\\"sxs-lookup\\\"><span data-stu-id=\\\"abcde-101\\\">Title</span></span>\"\n---\n";
        let document = parse(text);
        assert!(document.front_matter.problem.is_none(), "{:?}", document.front_matter.problem);
        assert_eq!(document.facts.segments.pairs.len(), 1);
        assert_eq!(document.facts.segments.pairs[0].number(), Some(101));
    }
}
