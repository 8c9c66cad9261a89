//! The rule registry. A rule is metadata plus one pure function from a
//! group's facts to findings.

use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use crate::corpus::Corpus;
use crate::diagnostic::{Diagnostic, Location, Related, Severity, SourceFile};
use crate::discover::Layout;
use crate::document::Document;
use crate::history::Handoff;
use crate::profile::Profile;

pub(crate) mod align;
mod anchor_mismatch;
mod applies_to_mismatch;
mod assetid_mismatch;
mod code_block_mismatch;
pub(crate) use code_block_mismatch::{CODE_DIFFERS, ONLY_COMMENTS_DIFFER};
mod encoding_invalid;
mod file_unreadable;
pub(crate) mod fragment_broken;
mod frontmatter_invalid;
mod heading_structure_mismatch;
mod link_target_mismatch;
mod locale_mismatch;
mod locale_missing;
pub(crate) mod markdown_broken;
mod metadata_missing;
mod missing_translation;
mod orphan_translation;
mod segment_duplicate;
mod segment_empty;
mod segment_gap;
mod segment_prefix_mixed;
mod segment_set_mismatch;
mod segment_stale;
mod segment_unpaired;
mod segment_untranslated;
mod stale_hash;
mod substrings;
mod unused_suppression;

/// Every rule, in the order `loclint rules` lists them.
pub static RULES: &[&Rule] = &[
    &file_unreadable::RULE,
    &encoding_invalid::RULE,
    &frontmatter_invalid::RULE,
    &assetid_mismatch::RULE,
    &locale_mismatch::RULE,
    &stale_hash::RULE,
    &metadata_missing::RULE,
    &link_target_mismatch::RULE,
    &anchor_mismatch::RULE,
    &fragment_broken::RULE,
    &code_block_mismatch::RULE,
    &applies_to_mismatch::RULE,
    &heading_structure_mismatch::RULE,
    &markdown_broken::RULE,
    &segment_unpaired::RULE,
    &segment_duplicate::RULE,
    &segment_gap::RULE,
    &segment_prefix_mixed::RULE,
    &segment_set_mismatch::RULE,
    &segment_stale::RULE,
    &segment_empty::RULE,
    &segment_untranslated::RULE,
    &orphan_translation::RULE,
    &missing_translation::RULE,
    &locale_missing::RULE,
    &unused_suppression::RULE,
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleGroup {
    File,
    Metadata,
    Structure,
    Segments,
    Corpus,
}

impl RuleGroup {
    /// Every group, in the order `loclint rules` lists them.
    pub const ALL: [RuleGroup; 5] =
        [RuleGroup::File, RuleGroup::Metadata, RuleGroup::Structure, RuleGroup::Segments, RuleGroup::Corpus];

    pub fn as_str(self) -> &'static str {
        match self {
            RuleGroup::File => "file",
            RuleGroup::Metadata => "metadata",
            RuleGroup::Structure => "structure",
            RuleGroup::Segments => "segments",
            RuleGroup::Corpus => "corpus",
        }
    }
}

pub struct Rule {
    pub name: &'static str,
    pub group: RuleGroup,
    /// Severity when enabled.
    pub severity: Severity,
    pub enabled_by_default: bool,
    pub summary: &'static str,
    /// Option keys accepted in `[rules.<name>]` besides `severity`.
    pub options: &'static [&'static str],
    /// The rule's documentation, `rules/<name>.md`.
    pub doc: &'static str,
    pub check: fn(&Group<'_>, &mut Emitter<'_>),
}

impl Rule {
    pub fn default_severity(&self) -> Severity {
        if self.enabled_by_default {
            self.severity
        } else {
            Severity::Off
        }
    }
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name)
    }
}

pub fn find(name: &str) -> Option<&'static Rule> {
    RULES.iter().copied().find(|rule| rule.name == name)
}

/// What a rule sees: one article's documents and the few corpus-wide facts.
pub struct Group<'a> {
    /// The group's place among the groups of the run, for findings decided
    /// after every group is checked.
    pub index: u32,
    pub key: &'a str,
    pub source: Option<&'a Document>,
    pub copies: &'a [Document],
    pub source_locale: &'a str,
    /// Locales every article is expected in.
    pub expected_locales: &'a [String],
    pub layout: &'a Layout,
    pub profile: &'a Profile,
    pub corpus: &'a Corpus<'a>,
    /// The front matter keys that name a copy's handoff.
    pub handoff_keys: crate::history::HandoffKeys<'a>,
    /// What history says of each copy's handoff, in the order of `copies`.
    pub handoffs: &'a [Handoff],
    /// Whether a stale copy whose handoff version history cannot give is
    /// compared with the current source anyway: only when history is turned
    /// off (`--no-history`). Otherwise such a copy's differences from the
    /// source would be mostly the source's own changes since the handoff.
    pub compare_stale_with_current: bool,
    /// For a group without a source: the commit that deleted or renamed it,
    /// when history has it.
    pub source_fate: Option<&'a crate::history::Fate>,
    /// Root-relative paths the walk could not look at (an unreadable
    /// folder, a link, a name that is not UTF-8), sorted: reported as
    /// `file-unreadable`, and what they may hide is not "missing".
    pub unwalked: &'a [String],
}

impl<'a> Group<'a> {
    /// The source and every copy.
    pub fn documents(&self) -> impl Iterator<Item = &'a Document> {
        self.source.into_iter().chain(self.copies)
    }

    /// Copies that were read and parsed.
    pub fn checked_copies(&self) -> impl Iterator<Item = &'a Document> {
        self.copies.iter().filter(|copy| copy.is_checked())
    }

    /// The source, if it exists and was parsed.
    pub fn checked_source(&self) -> Option<&'a Document> {
        self.source.filter(|source| source.is_checked())
    }

    /// Pairs of (source, copy) for rules that compare the two. The source
    /// is the one the copy was translated from when history has it (a stale
    /// copy is judged against its handoff, not against the source's changes
    /// since), else the current source. A stale copy whose handoff version
    /// is unknown is left out (`stale-hash` says so), unless history is off.
    pub fn pairs(&self) -> impl Iterator<Item = (&'a Document, &'a Document)> + '_ {
        self.checked_source().into_iter().flat_map(move |source| {
            self.checked_copies().filter_map(move |copy| match self.baseline(copy) {
                Some(baseline) => Some((baseline, copy)),
                None if self.handoff_unknown(copy) && !self.compare_stale_with_current => None,
                None => Some((source, copy)),
            })
        })
    }

    /// A copy known to be stale (its hash is not the source's) whose
    /// handoff version history cannot give, or one history cannot date.
    pub fn handoff_unknown(&self, copy: &Document) -> bool {
        match self.handoff(copy) {
            Handoff::Stale(stale) => stale.found.is_none(),
            Handoff::Unknown(_) => true,
            Handoff::Current => false,
        }
    }

    /// Pairs of (current source, copy), for what must equal today's source
    /// whatever the handoff: the article's identity (`ms.assetid`).
    pub fn current_pairs(&self) -> impl Iterator<Item = (&'a Document, &'a Document)> + '_ {
        self.checked_source().into_iter().flat_map(move |source| self.checked_copies().map(move |copy| (source, copy)))
    }

    /// Today's source, when `version` is not it but the older version a
    /// copy was translated from (see [`Group::pairs`]): what that copy
    /// shares with today's source followed the source's changes since,
    /// though its handoff pin did not move.
    pub fn today_beside(&self, version: &Document) -> Option<&'a Document> {
        self.checked_source().filter(|current| !std::ptr::eq(*current, version))
    }

    /// The source version `copy` was translated from, when history found
    /// one other than the current source.
    pub fn baseline(&self, copy: &Document) -> Option<&'a Document> {
        self.handoff(copy).found().map(|found| &*found.source)
    }

    /// What history says of `copy`'s handoff.
    pub fn handoff(&self, copy: &Document) -> &'a Handoff {
        const CURRENT: &Handoff = &Handoff::Current;
        self.copies
            .iter()
            .position(|candidate| std::ptr::eq(candidate, copy))
            .and_then(|index| self.handoffs.get(index))
            .unwrap_or(CURRENT)
    }

    /// Where a copy of this article in `locale` would be.
    pub fn path_in(&self, locale: &str) -> String {
        self.layout.path_for(self.key, locale, self.source_locale)
    }

    /// Whether the walk could not look at `path` or a folder above it, so
    /// that the file may be there: such a path is already reported
    /// (`file-unreadable`) and must not be called missing too.
    pub fn is_unwalked(&self, path: &str) -> bool {
        is_at_or_below(self.unwalked, path)
    }

    /// Every form the source's and this copy's locales take in URLs: the
    /// tags, and their two-letter language and region subtags.
    pub fn url_locales(&self, copy: &'a Document) -> Vec<&'a str> {
        let mut forms = Vec::with_capacity(6);
        for locale in [self.source_locale, copy.locale.as_str()] {
            push_url_forms(&mut forms, locale);
        }
        forms
    }

    /// The forms the source's locale alone takes in URLs (the first ones of
    /// [`Group::url_locales`]).
    pub fn source_url_locales(&self) -> Vec<&'a str> {
        let mut forms = Vec::with_capacity(3);
        push_url_forms(&mut forms, self.source_locale);
        forms
    }
}

/// `locale` and, for a tag with subtags, its two-letter ones: `en` of
/// `en-us` (`/en/docs/…`) and `jp` of `ja-jp` (`helpx.adobe.com/jp/…`), as
/// hosts write them.
fn push_url_forms<'a>(forms: &mut Vec<&'a str>, locale: &'a str) {
    forms.push(locale);
    if locale.contains('-') {
        forms.extend(crate::locale::subtags(locale).into_iter().filter(|subtag| subtag.len() == 2));
    }
}

/// Whether `path` is one of the sorted `paths` or lies in a folder among
/// them (`""` is the root).
fn is_at_or_below(paths: &[String], path: &str) -> bool {
    let listed = |prefix: &str| paths.binary_search_by(|listed| listed.as_str().cmp(prefix)).is_ok();
    listed("") || path.match_indices('/').any(|(at, _)| listed(&path[..at])) || listed(path)
}

/// Collects one rule's findings for one group, at most `limit` per file:
/// one hostile file can hold millions of findings (a link repeated over
/// 15 MB), and each would cost memory and report space. What is left out
/// is counted and reported as one finding per file when the emitter is
/// dropped.
pub struct Emitter<'a> {
    rule: &'static str,
    severity: Severity,
    options: Option<&'a toml::Table>,
    out: &'a mut Vec<Diagnostic>,
    limit: usize,
    /// Findings so far per file, and what was left out of each.
    per_file: Vec<FileCount>,
    /// Where a finding past the limit is written (and then discarded), so
    /// that rules can amend it like any other.
    discarded: Diagnostic,
    /// The finding `report*` returned last was discarded.
    last_discarded: bool,
}

/// Findings of one rule in one file, with what a finding over the limit
/// needs for the summary.
struct FileCount {
    path: String,
    kept: usize,
    left_out: usize,
    /// The first finding left out: the summary is shown at its place.
    first_left_out: Option<Diagnostic>,
    /// The highest severity among those left out.
    severity: Option<Severity>,
}

/// Findings of one rule in one file, by default (`max-findings`).
pub const DEFAULT_MAX_FINDINGS: usize = 100;

impl<'a> Emitter<'a> {
    pub fn new(
        rule: &'static Rule,
        severity: Severity,
        options: Option<&'a toml::Table>,
        out: &'a mut Vec<Diagnostic>,
    ) -> Self {
        Emitter {
            rule: rule.name,
            severity,
            options,
            out,
            limit: DEFAULT_MAX_FINDINGS,
            per_file: Vec::new(),
            discarded: Diagnostic {
                rule: rule.name,
                severity,
                path: String::new(),
                locale: None,
                message: String::new(),
                help: None,
                location: None,
                related: None,
                secondary: Vec::new(),
                fix: None,
                handoff: None,
            },
            last_discarded: false,
        }
    }

    /// At most `limit` findings per file (0: no limit).
    pub fn limit(mut self, limit: usize) -> Self {
        self.limit = if limit == 0 { usize::MAX } else { limit };
        self
    }

    /// The rule's options from `[rules.<name>]`.
    pub fn options(&self) -> Option<&'a toml::Table> {
        self.options
    }

    /// Reports a finding at `span` of `document`.
    pub fn report(&mut self, document: &Document, span: Range<usize>, message: impl Into<String>) -> &mut Diagnostic {
        self.push(document.display_path(), Some(&document.locale), Some(&document.file), span, message.into())
    }

    /// The finding reported last, to add to it after a decision.
    ///
    /// Call only after `report*`; on an empty emitter this reports an
    /// internal finding instead of panicking.
    pub fn last(&mut self) -> &mut Diagnostic {
        if self.last_discarded {
            return &mut self.discarded;
        }
        if self.out.is_empty() {
            return self.push("", None, None, 0..0, "internal: no finding to amend".into());
        }
        let last = self.out.len() - 1;
        &mut self.out[last]
    }

    /// Reports a finding about a whole file, shown at its first line.
    pub fn report_file(&mut self, document: &Document, message: impl Into<String>) -> &mut Diagnostic {
        let has_text = !document.text().is_empty();
        let file = has_text.then_some(&document.file);
        self.push(document.display_path(), Some(&document.locale), file, 0..0, message.into())
    }

    /// Reports a finding about a path that has no document (e.g. a walk error).
    pub fn report_path(&mut self, path: &str, locale: Option<&str>, message: impl Into<String>) -> &mut Diagnostic {
        self.push(path, locale, None, 0..0, message.into())
    }

    fn push(
        &mut self,
        path: &str,
        locale: Option<&str>,
        file: Option<&Arc<SourceFile>>,
        span: Range<usize>,
        message: String,
    ) -> &mut Diagnostic {
        self.settle_discarded();
        let diagnostic = Diagnostic {
            rule: self.rule,
            severity: self.severity,
            path: path.to_string(),
            locale: locale.map(str::to_string),
            message,
            help: None,
            location: file.map(|file| Location { file: file.clone(), span, label: None }),
            related: None,
            secondary: Vec::new(),
            fix: None,
            handoff: None,
        };
        let index = match self.per_file.iter().position(|count| count.path == path) {
            Some(index) => index,
            None => {
                self.per_file.push(FileCount {
                    path: path.to_string(),
                    kept: 0,
                    left_out: 0,
                    first_left_out: None,
                    severity: None,
                });
                self.per_file.len() - 1
            }
        };
        let count = &mut self.per_file[index];
        if count.kept >= self.limit {
            count.left_out += 1;
            if count.first_left_out.is_none() {
                count.first_left_out = Some(diagnostic.clone());
            }
            self.last_discarded = true;
            self.discarded = diagnostic;
            return &mut self.discarded;
        }
        count.kept += 1;
        self.last_discarded = false;
        self.out.push(diagnostic);
        let last = self.out.len() - 1;
        &mut self.out[last]
    }

    /// Folds the severity of the finding discarded last (final only once the
    /// rule has amended it) into its file's count.
    fn settle_discarded(&mut self) {
        if self.last_discarded {
            let discarded = &self.discarded;
            if let Some(count) = self.per_file.iter_mut().find(|count| count.path == discarded.path) {
                count.severity = count.severity.max(Some(discarded.severity));
            }
        }
        self.last_discarded = false;
    }
}

impl Drop for Emitter<'_> {
    /// One finding per file for what the limit left out.
    fn drop(&mut self) {
        self.settle_discarded();
        for count in std::mem::take(&mut self.per_file) {
            let Some(mut summary) = count.first_left_out else {
                continue;
            };
            summary.severity = count.severity.unwrap_or(summary.severity);
            summary.message = format!(
                "{} more `{}` {} in this file, not shown: at most {} reported per rule and file",
                count.left_out,
                self.rule,
                if count.left_out == 1 { "finding" } else { "findings" },
                if self.limit == 1 { "1 is".to_string() } else { format!("{} are", self.limit) }
            );
            summary.help = Some("fix the findings shown first, or raise `max-findings` in loclint.toml".into());
            summary.fix = None;
            summary.secondary.clear();
            summary.related = None;
            if let Some(location) = &mut summary.location {
                location.label = Some("the first finding not shown".into());
            }
            self.out.push(summary);
        }
    }
}

impl Diagnostic {
    pub fn help(&mut self, help: impl Into<String>) -> &mut Self {
        self.help = Some(help.into());
        self
    }

    pub fn label(&mut self, label: impl Into<String>) -> &mut Self {
        if let Some(location) = &mut self.location {
            location.label = Some(label.into());
        }
        self
    }

    /// Attaches a safe fix: replace `span` of the finding's file.
    pub fn fix(&mut self, span: Range<usize>, replacement: impl Into<String>) -> &mut Self {
        self.fix = Some(crate::diagnostic::Fix {
            edits: vec![crate::diagnostic::Edit { span, replacement: replacement.into() }],
        });
        self
    }

    /// Labels another place of the same file.
    pub fn also(&mut self, span: Range<usize>, label: impl Into<String>) -> &mut Self {
        self.secondary.push((span, label.into()));
        self
    }

    /// Lowers the severity to at most `ceiling` (e.g. a finding that cannot be
    /// confirmed against a peer copy).
    pub fn at_most(&mut self, ceiling: Severity) -> &mut Self {
        self.severity = self.severity.min(ceiling);
        self
    }

    /// Shows `span` of the source file beside the finding.
    pub fn related(&mut self, source: &Document, span: Range<usize>, label: impl Into<String>) -> &mut Self {
        self.related = Some(Related(Location { file: source.file.clone(), span, label: Some(label.into()) }));
        self
    }
}

/// Backticks around a value for messages.
pub fn quoted(value: &str) -> String {
    if !has_unseen(value) {
        return format!("`{value}`");
    }
    // Shown as escapes: two targets that differ by one of them must not
    // read alike, and a direction control must not reorder the terminal.
    let mut quoted = String::with_capacity(value.len() + 16);
    quoted.push('`');
    for c in value.chars() {
        if is_unseen(c) {
            quoted.push_str(&format!("\\u{{{:04x}}}", u32::from(c)));
        } else {
            quoted.push(c);
        }
    }
    quoted.push('`');
    quoted
}

/// Characters that take no room where text is shown: zero-width space,
/// non-joiner and joiner, word joiner, byte order mark, and the marks and
/// controls of text direction.
pub fn is_unseen(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

/// Whether `text` has an [`is_unseen`] character.
pub fn has_unseen(text: &str) -> bool {
    // Each is three bytes in UTF-8, led by 0xE2 or 0xEF: most text has
    // neither byte and is not decoded.
    memchr::memchr2(0xE2, 0xEF, text.as_bytes()).is_some() && text.contains(is_unseen)
}

/// The file name of a display path, for short mentions.
pub fn file_name(path: &str) -> &str {
    Path::new(path).file_name().and_then(|name| name.to_str()).unwrap_or(path)
}

/// The handoff a copy came from: its source-hash value, when the profile has one.
pub fn handoff_key(group: &Group<'_>, copy: &Document) -> Option<String> {
    let key = group.profile.hash_key?;
    copy.meta(key).map(|entry| entry.value.trim().to_ascii_lowercase())
}

/// Segment numbers of a copy's translated spans (paired or not),
/// ascending, each once.
pub fn sorted_segment_numbers(copy: &Document) -> Vec<u32> {
    let segments = &copy.facts.segments;
    let spans = segments.pairs.iter().map(|pair| &pair.translated).chain(segments.unpaired.iter());
    let mut numbers: Vec<u32> = spans.filter_map(|span| span.number).collect();
    // Pairs come in document order, mostly ascending already.
    if !numbers.is_sorted() {
        numbers.sort_unstable();
    }
    numbers.dedup();
    numbers
}

/// The numbers that segments merged by the pipeline stand for: where a
/// translation joins sentences, their segments become one with a paragraph
/// id (`08bdf-p103` between `08bdf-122` and `08bdf-125` holds 123 and 124).
/// A merge stands for the numbers between the numbered segments around it,
/// at most `MAX_MERGED` of them (ids are untrusted). Some of those may be
/// numbers the pipeline gave no segment at all (image alt text), so they
/// explain this copy's gaps but are never numbers this copy adds. Ascending.
pub fn merged_segment_numbers(copy: &Document) -> Vec<u32> {
    const MAX_MERGED: u32 = 64;
    let text = copy.text();
    let is_merged = |span: &crate::document::segments::SegmentSpan| {
        span.number.is_none()
            && span.id(text).split_once('-').is_some_and(|(_, number)| {
                number
                    .strip_prefix('p')
                    .is_some_and(|digits| !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
            })
    };
    let mut covered = Vec::new();
    let (mut previous, mut merge_since) = (None, false);
    for pair in &copy.facts.segments.pairs {
        match pair.translated.number {
            Some(number) => {
                if let (true, Some(before)) = (merge_since, previous) {
                    if number > before && number - before - 1 <= MAX_MERGED {
                        covered.extend(before + 1..number);
                    }
                }
                previous = Some(number);
                merge_since = false;
            }
            None => merge_since |= is_merged(&pair.translated),
        }
    }
    covered.sort_unstable();
    covered.dedup();
    covered
}

/// `104, 107–109`: numbers with runs folded.
pub fn number_ranges(numbers: &std::collections::BTreeSet<u32>) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut iter = numbers.iter().copied().peekable();
    while let Some(start) = iter.next() {
        let mut end = start;
        while let Some(next) = end.checked_add(1).filter(|next| iter.peek() == Some(next)) {
            end = next;
            iter.next();
        }
        parts.push(if start == end { start.to_string() } else { format!("{start}–{end}") });
    }
    parts.join(", ")
}

/// `value` written with the same quotes as `raw` (a YAML scalar as written).
pub fn requote(raw: &str, value: &str) -> String {
    match raw.chars().next() {
        Some(quote @ ('"' | '\'')) => format!("{quote}{value}{quote}"),
        _ => value.to_string(),
    }
}

/// The line ending of the line that starts at `offset` (`\r\n` or `\n`).
pub fn line_ending_at(text: &str, offset: usize) -> &'static str {
    match text.get(offset..).and_then(|rest| rest.find('\n')) {
        Some(newline) if newline > 0 && text.as_bytes()[offset + newline - 1] == b'\r' => "\r\n",
        _ => "\n",
    }
}

/// `1 heading`, `3 headings`.
pub fn count(number: usize, noun: &str) -> String {
    if number == 1 {
        format!("{number} {noun}")
    } else {
        format!("{number} {noun}s")
    }
}

#[cfg(test)]
mod tests {
    use super::{is_at_or_below, quoted};

    #[test]
    fn quoted_values_show_the_characters_that_take_no_room() {
        assert_eq!(quoted("https://aka.ms/calls"), "`https://aka.ms/calls`");
        assert_eq!(quoted("https://aka.ms/calls\u{200B}"), "`https://aka.ms/calls\\u{200b}`");
        assert_eq!(quoted("abc\u{202E}fed"), "`abc\\u{202e}fed`");
        assert_eq!(quoted("\u{FEFF}ページ"), "`\\u{feff}ページ`");
    }

    #[test]
    fn a_path_is_unwalked_at_or_below_a_listed_path_only() {
        let paths: Vec<String> = ["ja-jp/guides", "ko-kr/a.md"].map(String::from).to_vec();
        assert!(is_at_or_below(&paths, "ja-jp/guides/setup.md"));
        assert!(is_at_or_below(&paths, "ja-jp/guides/deep/setup.md"));
        assert!(is_at_or_below(&paths, "ko-kr/a.md"));
        assert!(!is_at_or_below(&paths, "ja-jp/guides-old/setup.md"), "a sibling with the same prefix");
        assert!(!is_at_or_below(&paths, "ja-jp/setup.md"));
        assert!(!is_at_or_below(&paths, "ko-kr/a.md.bak"));
        assert!(!is_at_or_below(&[], "ja-jp/a.md"));
        assert!(is_at_or_below(&[String::new()], "ja-jp/a.md"), "the root itself");
    }
}
