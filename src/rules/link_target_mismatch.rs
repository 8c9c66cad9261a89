//! `link-target-mismatch`: the copy links to other targets than its source.

use std::borrow::Cow;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use super::align::{align_in_blocks, block_line, block_of, times, Place};
use super::{has_unseen, is_unseen, quoted, Emitter, Group, Rule, RuleGroup};
use crate::diagnostic::Severity;
use crate::document::markdown::Link;
use crate::document::Document;
use crate::error::did_you_mean;
use crate::locale::{neutralize_url, subtags as locale_subtags};
use crate::profile::{Profile, TargetComparison};

pub static RULE: Rule = Rule {
    name: "link-target-mismatch",
    group: RuleGroup::Structure,
    severity: Severity::Error,
    enabled_by_default: true,
    summary: "the multiset of link, image and include targets differs from the source's",
    options: &[],
    doc: include_str!("../../rules/link-target-mismatch.md"),
    check,
};

fn check<'a>(group: &Group<'a>, out: &mut Emitter<'_>) {
    // Built at the first differing copy of the current source.
    let mut source_keys: Option<SourceKeys<'a>> = None;
    let source_forms = group.source_url_locales();
    for (source, copy) in group.pairs() {
        let locales = group.url_locales(copy);
        let comparison = group.profile.link_targets;
        if same_targets_in_order(source, copy, &locales, comparison, group.profile) {
            continue;
        }
        let page = group.profile.pages_as_folders.then(|| page_address(copy, &locales)).flatten();
        // The copy's pages are in its locale's folder: `/guides/x#…` is
        // `guides/x.md` (or `.mdx`, or the folder's index) there.
        let folder = page.as_ref().and_then(|page| locale_folder(copy, page));
        // Each look-up may parse a page: bounded per copy, for a hostile one.
        let lookups_left = std::cell::Cell::new(MAX_PAGE_LOOKUPS);
        let on_translated_heading = |page: &str, fragment: &str| {
            let Some(left) = lookups_left.get().checked_sub(1) else { return false };
            lookups_left.set(left);
            folder.as_ref().is_some_and(|folder| has_heading_anchor(group.corpus, folder, page, fragment))
        };
        // For the help of a fragment the copy's page lacks: its anchor
        // nearest to the one linked.
        let closest_on_page = |page: &str, fragment: &str| {
            let left = lookups_left.get().checked_sub(1)?;
            lookups_left.set(left);
            closest_anchor(group.corpus, folder.as_deref()?, page, fragment)
        };
        let pages = TranslatedPages { has_anchor: &on_translated_heading, closest: &closest_on_page };
        let copy_targets: Vec<Cow<'a, str>> = on_site(
            copy.facts.links.iter().map(|link| hosted_key(&link.destination, &locales, group.profile)).collect(),
            page.as_deref(),
        );
        // A baseline (the source as the copy's handoff had it) is the
        // copy's own: its keys are built for it alone.
        if let Some(current) = group.today_beside(source) {
            let source_targets: Vec<Cow<'a, str>> = on_site(
                source.facts.links.iter().map(|link| source_key(&link.destination, &locales, group.profile)).collect(),
                page.as_deref(),
            );
            // A copy may follow a change the source made after the handoff
            // (a link fixed in both): what the current source has is not
            // the copy's defect.
            let current_targets: HashSet<Cow<'a, str>> = on_site(
                current.facts.links.iter().map(|link| source_key(&link.destination, &locales, group.profile)).collect(),
                page.as_deref(),
            )
            .into_iter()
            .collect();
            report_differences((source, copy), (&source_targets, &copy_targets), Some(&current_targets), &pages, out);
            continue;
        }
        let keys = source_keys.get_or_insert_with(|| SourceKeys::new(source, &source_forms, group.profile));
        let copy_forms = locales.get(source_forms.len()..).unwrap_or_default();
        let source_targets = on_site(keys.for_copy(copy_forms, &locales, group.profile), page.as_deref());
        report_differences((source, copy), (&source_targets, &copy_targets), None, &pages, out);
    }
}

/// The address of `copy`'s page on a site that serves pages as folders,
/// from its path after its locale's folder: `ja/site/build/checks.md` is at
/// `/site/build/checks/`, an `index.md` or `_index.md` at its folder's
/// address. `None` when no folder of the path is the locale.
fn page_address(copy: &Document, locales: &[&str]) -> Option<String> {
    let path = copy.display_path();
    let mut segments: Vec<&str> = path.split('/').collect();
    let locale_at =
        segments.iter().position(|segment| locales.iter().any(|locale| segment.eq_ignore_ascii_case(locale)))?;
    segments.drain(..=locale_at);
    let file = segments.pop()?;
    let stem = file.rsplit_once('.').map_or(file, |(stem, _)| stem);
    if !matches!(stem, "index" | "_index") {
        segments.push(stem);
    }
    let mut address = String::from("/");
    for segment in segments {
        address.push_str(segment);
        address.push('/');
    }
    Some(address)
}

/// `keys` without the version of a file on GitHub they name
/// ([`unversioned_github_key`]), and as [`site_key`]s on the site where
/// `page` is, when the page has an address.
fn on_site<'k>(keys: Vec<Cow<'k, str>>, page: Option<&str>) -> Vec<Cow<'k, str>> {
    keys.into_iter()
        .map(|key| {
            let key = without_www(without_tool_marks(unversioned_github_key(key)));
            match page {
                Some(page) => site_key(key, page),
                None => key,
            }
        })
        .collect()
}

/// The key of a file on GitHub without the version it names, when that is
/// the default branch or a commit: `…/blob/main/hugo.yaml` and
/// `…/blob/bc94737/hugo.yaml` are one file, the copy pinned where the
/// file moved on since (or where a link checker asked for it). Other
/// branches and tags (`/tree/v2/`) keep their keys.
fn unversioned_github_key(key: Cow<'_, str>) -> Cow<'_, str> {
    let Some(rest) = key.strip_prefix("https://github.com/") else {
        return key;
    };
    let mut parts = rest.splitn(5, '/');
    let (Some(owner), Some(repository), Some(kind), Some(version)) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return key;
    };
    let is_commit = (7..=40).contains(&version.len()) && version.bytes().all(|byte| byte.is_ascii_hexdigit());
    if !matches!(kind, "blob" | "tree" | "raw") || !(is_commit || matches!(version, "main" | "master")) {
        return key;
    }
    let path = parts.next().unwrap_or_default();
    Cow::Owned(format!("https://github.com/{owner}/{repository}/{kind}/{{version}}/{path}"))
}

/// Query parameters that mark a link for the site's tools and name no
/// other page: a link checker's opt-out (`?link-check=no`, the older
/// `?no-link-check`, with the date it was checked by hand,
/// `&last-validated=…`), which a copy adds where its translated anchor
/// fails the checker, and a maintainer's note that a copy's link was
/// patched (`?i18n-patch`). OpenTelemetry's site uses all four. GitHub's
/// `?from_branch=main`, which a link copied from a commit's view carries,
/// names no other page either.
const TOOL_MARKS: [&str; 5] = ["link-check", "no-link-check", "last-validated", "i18n-patch", "from_branch"];

/// The key without its [`TOOL_MARKS`]: `/docs/metrics/?link-check=no#limits`
/// is `/docs/metrics/#limits`.
fn without_tool_marks(key: Cow<'_, str>) -> Cow<'_, str> {
    // A `?` after the `#` is the fragment's.
    let query_end = memchr::memchr(b'#', key.as_bytes()).unwrap_or(key.len());
    let Some(question) = memchr::memchr(b'?', &key.as_bytes()[..query_end]) else {
        return key;
    };
    let is_mark = |parameter: &str| {
        let name = parameter.split_once('=').map_or(parameter, |(name, _)| name);
        TOOL_MARKS.iter().any(|mark| name.eq_ignore_ascii_case(mark))
    };
    let query = &key[question + 1..query_end];
    if !query.split('&').any(is_mark) {
        return key;
    }
    let kept: Vec<&str> = query.split('&').filter(|parameter| !is_mark(parameter)).collect();
    let mut unmarked = String::with_capacity(key.len());
    unmarked.push_str(&key[..question]);
    if !kept.is_empty() {
        unmarked.push('?');
        unmarked.push_str(&kept.join("&"));
    }
    unmarked.push_str(&key[query_end..]);
    Cow::Owned(unmarked)
}

/// The key of a web address without a `www.` before its host name:
/// `https://www.jaegertracing.io/` and `https://jaegertracing.io` are one
/// site (the one redirects to the other), and a copy may link either.
fn without_www(key: Cow<'_, str>) -> Cow<'_, str> {
    for scheme in ["https://", "http://"] {
        let Some(rest) = key.strip_prefix(scheme) else {
            continue;
        };
        let Some(host) = rest.get(..4).filter(|www| www.eq_ignore_ascii_case("www.")).map(|_| &rest[4..]) else {
            return key;
        };
        return Cow::Owned(format!("{scheme}{host}"));
    }
    key
}

/// The key of a site's own page link as the address it names: written
/// relative to `page` (`../install/`) it is resolved against it, and a
/// trailing `/` is dropped (`/docs/install/` and `/docs/install` are one
/// page). Links to files (a segment with an extension, `page.md`,
/// `diagram.png`), to other sites, and anchors of the page itself keep
/// their key: they are compared as written.
fn site_key<'a>(key: Cow<'a, str>, page: &str) -> Cow<'a, str> {
    let cut = memchr::memchr2(b'?', b'#', key.as_bytes()).unwrap_or(key.len());
    let (path, rest) = key.split_at(cut);
    let last = path.trim_end_matches('/').rsplit('/').next().unwrap_or_default();
    let own_page = !path.is_empty()
        && !path.contains(':')
        && !path.starts_with("//")
        && !path.trim_start_matches("/{locale}").contains(['{', '\\', ' '])
        && (matches!(last, "." | "..") || !last.contains('.'));
    if !own_page {
        return key;
    }
    // The page in the copy's language at its own address (`/ja/docs/…`,
    // keyed `/{locale}/docs/…`) is the page the source names at the root.
    let path = path.strip_prefix("/{locale}/").map_or(path, |rest| &path[path.len() - rest.len() - 1..]);
    let mut segments: Vec<&str> = Vec::new();
    let start = if path.starts_with('/') { "" } else { page };
    for segment in start.split('/').chain(path.split('/')) {
        match segment {
            "" | "." => {}
            ".." => {
                // Above the site's root: not a page of this site to resolve.
                if segments.pop().is_none() {
                    return key;
                }
            }
            _ => segments.push(segment),
        }
    }
    let address = format!("/{}{rest}", segments.join("/"));
    if address == key.as_ref() {
        key
    } else {
        Cow::Owned(address)
    }
}

/// The [`hosted_key`]s of the source's links, built once for all its
/// differing copies: a key depends on the copy only through the copy's
/// locale forms (`ja-jp`, `ja`, `jp`), and only where the target names one
/// of them. Exactness: `hosted_key` asks of its locale forms only whether a
/// path segment or a query parameter's value (of the trimmed target) is one
/// of them; each such part that is a form without `/?&=#` is a whole piece
/// of the target split at those characters, so a target none of whose
/// pieces is one of the copy's forms gets the same key with the source's
/// forms alone.
struct SourceKeys<'a> {
    source: &'a Document,
    /// Each link's key with the source's locale forms only.
    keys: Vec<Cow<'a, str>>,
}

impl<'a> SourceKeys<'a> {
    fn new(source: &'a Document, source_forms: &[&str], profile: &Profile) -> Self {
        let keys = source.facts.links.iter().map(|link| source_key(&link.destination, source_forms, profile)).collect();
        SourceKeys { source, keys }
    }

    /// The keys for a copy whose own locale forms are `copy_forms`, with
    /// `locales` its [`Group::url_locales`].
    fn for_copy<'k>(&'k self, copy_forms: &[&str], locales: &[&str], profile: &Profile) -> Vec<Cow<'k, str>> {
        let separators = ['/', '?', '&', '=', '#'];
        let forms_whole = copy_forms.iter().all(|form| !form.contains(separators));
        // Only a piece as long as some form can be one.
        let (shortest, longest) = copy_forms
            .iter()
            .fold((usize::MAX, 0), |(shortest, longest), form| (shortest.min(form.len()), longest.max(form.len())));
        // `split(separators)` byte by byte: the separators are ASCII, which
        // no byte of a longer UTF-8 character is.
        let names_form = |target: &str| {
            let bytes = target.as_bytes();
            let mut start = 0;
            (0..=bytes.len()).any(|end| {
                if end < bytes.len() && !matches!(bytes[end], b'/' | b'?' | b'&' | b'=' | b'#') {
                    return false;
                }
                let piece = &bytes[start..end];
                start = end + 1;
                (shortest..=longest).contains(&piece.len())
                    && copy_forms.iter().any(|form| piece.eq_ignore_ascii_case(form.as_bytes()))
            })
        };
        self.source
            .facts
            .links
            .iter()
            .zip(&self.keys)
            .map(|(link, key)| {
                let names_copy_locale = !forms_whole || names_form(link.destination.trim());
                if names_copy_locale {
                    source_key(&link.destination, locales, profile)
                } else {
                    Cow::Borrowed(key.as_ref())
                }
            })
            .collect()
    }
}

/// Reports the links of `source` and `copy` whose comparison keys (`*_targets`,
/// one per link) do not pair up: a missing one where its counterpart belongs
/// in the copy, an extra one on the occurrence without a counterpart, each
/// with how often the target occurs on both sides when it occurs on both.
/// When `source` is the version the copy was translated from,
/// `current_targets` are today's source's: a target the copy lacks that
/// today's source lacks too, or one the copy adds that today's source has,
/// is a change the copy followed, not reported.
fn report_differences<'d>(
    (source, copy): (&'d Document, &'d Document),
    (source_targets, copy_targets): (&[Cow<str>], &[Cow<str>]),
    current_targets: Option<&HashSet<Cow<str>>>,
    pages: &TranslatedPages<'_>,
    out: &mut Emitter<'_>,
) {
    // Removed from the source since, and not replaced by a target today's
    // source lacks too.
    let followed_removal = |index: usize, place: Place| {
        current_targets.is_some_and(|current| {
            !current.contains(&source_targets[index])
                && match place {
                    Place::ReplacedBy(j) => current.contains(&copy_targets[j]),
                    _ => true,
                }
        })
    };
    let followed_addition =
        |index: usize| current_targets.is_some_and(|current| current.contains(&copy_targets[index]));
    let blocks = |document: &Document| -> Vec<usize> {
        document.facts.links.iter().map(|link| block_of(document, link.span.start)).collect()
    };
    let (source_blocks, copy_blocks) = (blocks(source), blocks(copy));
    let block_count = copy.facts.block_starts.len();
    let same_blocks = block_count == source.facts.block_starts.len();
    let alignment = align_in_blocks(source_targets, copy_targets, &source_blocks, &copy_blocks, same_blocks);
    let (source_counts, copy_counts) = (occurrences(source_targets), occurrences(copy_targets));
    // "3 times here, twice in the source", when both sides have the target.
    let tally = |target: &str| -> Option<String> {
        let here = copy_counts.get(target).copied().unwrap_or(0);
        let there = source_counts.get(target).copied().unwrap_or(0);
        (here > 0 && there > 0).then(|| format!(" ({} here, {} in the source)", times(here), times(there)))
    };
    // The extra links of each block of the copy, a few per block: a
    // missing target is looked for among the extras where it belongs.
    let mut extras_by_block: HashMap<usize, Vec<usize>> = HashMap::default();
    for index in alignment.extra() {
        let extras = extras_by_block.entry(copy_blocks[index]).or_default();
        if extras.len() < MAX_LOOKALIKES {
            extras.push(index);
        }
    }
    // Hints show targets as written, not their comparison keys.
    let written = |document: &'d Document, index: usize| document.facts.links[index].destination.trim();
    let mut replaced_by: HashMap<usize, usize> = HashMap::default();
    // The copy's links reported as a changed form of a source target.
    let mut changed: HashSet<usize> = HashSet::default();
    // The copy's links that stand for the source's as its page in the
    // copy's language: neither side is reported.
    let mut localized: HashSet<usize> = HashSet::default();
    let copy_subtags = locale_subtags(&copy.locale);
    // Many missing links may belong in one block.
    let mut block_lines: HashMap<usize, std::ops::Range<usize>> = HashMap::default();
    let mut bare_url_searches_left = MAX_TEXT_SEARCHES;
    // The copy's link targets written as text, gathered on the first
    // missing link that asks (one pass over the copy, not one a link).
    let mut written_as_text: Option<HashMap<&str, Vec<(usize, usize)>>> = None;
    let (source_urls, copy_urls) = (BareUrls::new(source.text()), BareUrls::new(copy.text()));
    for index in alignment.missing() {
        let link = &source.facts.links[index];
        let target = written(source, index);
        if copy_urls.has(target, &mut bare_url_searches_left) {
            continue;
        }
        let mut place = alignment.place(index, &source_blocks, &copy_blocks, block_count);
        let block = match place {
            Place::After(j) | Place::Before(j) => Some(copy_blocks[j]),
            Place::InBlock(block) => Some(block),
            Place::ReplacedBy(_) | Place::Start => None,
        };
        // The same page linked by its file (`page.md`) or by its address
        // (`page`): every docs site serves both alike.
        let same_page_extra = match place {
            Place::ReplacedBy(j) => Some(j).filter(|&j| same_page(target, written(copy, j))),
            _ => block.and_then(|block| extras_by_block.get(&block)).and_then(|extras| {
                extras.iter().copied().find(|&j| !localized.contains(&j) && same_page(target, written(copy, j)))
            }),
        };
        if let Some(j) = same_page_extra.filter(|&j| copy.facts.links[j].kind == link.kind) {
            localized.insert(j);
            continue;
        }
        // The source's web page in the copy's language, at the fragment its
        // translated heading has there, among the extras where it belongs
        // (the translation put the paragraph's links in another order).
        let localized_extra = block.and_then(|block| extras_by_block.get(&block)).and_then(|extras| {
            extras.iter().copied().find(|&j| {
                !localized.contains(&j)
                    && copy.facts.links[j].kind == link.kind
                    && localized_page_at_another_fragment(target, written(copy, j), &copy_subtags)
            })
        });
        if let Some(j) = localized_extra {
            localized.insert(j);
            continue;
        }
        let lookalike = block
            .and_then(|block| extras_by_block.get(&block))
            .and_then(|extras| extras.iter().copied().find(|&j| did_you_mean(target, [written(copy, j)]).is_some()));
        if let Some(j) = lookalike {
            place = Place::ReplacedBy(j);
        }
        if followed_removal(index, place) {
            continue;
        }
        // `#前提条件` for `#prerequisites`: a same-page link to the same
        // heading, slugged from its translation (Hugo, Docusaurus).
        // Or to another page's heading, by the fragment its translated
        // heading has there: in place of the source's link, or among the
        // copy's extra links of the block where it belongs.
        let to_translated_heading = |j: usize| {
            same_heading_by_fragment(source, target, copy, written(copy, j))
                || (copy.facts.links[j].kind == link.kind
                    && other_page_s_translated_heading(&source_targets[index], &copy_targets[j], pages.has_anchor))
        };
        let by_translated_heading = match place {
            Place::ReplacedBy(j) => Some(j).filter(|&j| to_translated_heading(j)),
            _ => block.and_then(|block| extras_by_block.get(&block)).and_then(|extras| {
                extras.iter().copied().find(|&j| !localized.contains(&j) && to_translated_heading(j))
            }),
        };
        if let Some(j) = by_translated_heading {
            localized.insert(j);
            continue;
        }
        if let Place::ReplacedBy(j) = place {
            if copy.facts.links[j].kind == link.kind
                && (!respelled(&source_targets[index], &copy_targets[j])
                    && is_localized_counterpart(target, written(copy, j), &copy_subtags)
                    || same_web_page_but_a_trailing_slash(target, written(copy, j))
                    || same_web_page_but_a_trailing_slash_by_key(&source_targets[index], &copy_targets[j])
                    || the_site_s_own_address(&source_targets[index], &copy_targets[j]))
            {
                localized.insert(j);
                continue;
            }
            replaced_by.insert(j, index);
        }
        let similar = match place {
            Place::ReplacedBy(replacement) => did_you_mean(target, [written(copy, replacement)]),
            _ => None,
        };
        // Written, but on a line CommonMark reads as HTML: shown as text.
        let in_html_line = match place {
            Place::InBlock(block) => written_in_html_line(copy, block, target),
            _ => None,
        };
        // Written as a link whose Markdown is not read as one (`[text]
        // (target)` shows as text, a cell past the row's last is dropped):
        // reported where it stands (`markdown-broken` says why).
        let as_text = match (&in_html_line, place) {
            (None, Place::ReplacedBy(_)) | (Some(_), _) => None,
            (None, _) => written_as_text
                .get_or_insert_with(|| super::markdown_broken::literal_targets(copy, Vec::new()))
                .get(target)
                .and_then(|places| places.first())
                .map(|&(at, spaces)| at + 2 + spaces..at + 2 + spaces + target.len()),
        };
        let (span, label) = match (in_html_line.clone(), as_text.clone(), place) {
            (Some(span), _, _) => (span, "shown as text, not as a link"),
            (None, Some(span), _) => (span, "written here, but not read as a link"),
            (None, None, Place::ReplacedBy(replacement)) if similar.is_some() => {
                (copy.facts.links[replacement].span.clone(), "probably replaced by this target")
            }
            (None, None, Place::ReplacedBy(replacement)) => {
                (copy.facts.links[replacement].span.clone(), "the copy links here instead")
            }
            (None, None, Place::After(previous)) => {
                (copy.facts.links[previous].span.clone(), "expected after this link")
            }
            (None, None, Place::Before(next)) => (copy.facts.links[next].span.clone(), "expected before this link"),
            (None, None, Place::InBlock(block)) => (
                block_lines.entry(block).or_insert_with(|| block_line(copy, block)).clone(),
                "expected in this block, as in the source",
            ),
            (None, None, Place::Start) => (copy.body_start..copy.body_start, "expected in this copy"),
        };
        // One defect, one finding: a target changed in place (into a
        // lookalike, or into another target of the same kind) is reported
        // once, at the copy's target, and not again as an extra.
        if let (None, Place::ReplacedBy(replacement)) = (&in_html_line, place) {
            let same_kind = copy.facts.links[replacement].kind == link.kind;
            if (similar.is_some() || same_kind) && changed.insert(replacement) {
                // On a site that slugs translated headings, the source's
                // fragment is seldom the copy's page's: point to that page's.
                let help = match same_page_other_fragment(&source_targets[index], &copy_targets[replacement]) {
                    Some((page, fragment)) => match (pages.closest)(page, fragment) {
                        Some(hint) => format!("the copy's page of that address has no such anchor: {hint}"),
                        None => "the copy's page of that address has no such anchor: link the anchor its translated \
                                 heading has there"
                            .to_string(),
                    },
                    None => format!("link to the source's target {} here", quoted(&link.destination)),
                };
                out.report(
                    copy,
                    span,
                    format!(
                        "{} target {} differs from the source's {}{}",
                        link.kind.describe(),
                        quoted(&copy.facts.links[replacement].destination),
                        quoted(&link.destination),
                        tally(&source_targets[index]).unwrap_or_default()
                    ),
                )
                .label("differs from the source's target")
                .help(help)
                .related(source, link.span.clone(), "the source's target");
                continue;
            }
        }
        let help = match similar {
            _ if as_text.is_some() => "its Markdown is not read as a link there (`markdown-broken` says why): \
                                       write the link as the source does"
                .to_string(),
            _ if in_html_line.is_some() => "the line starts with an HTML tag or comment, so CommonMark reads the \
                                            whole line as HTML and its Markdown is not rendered: start the line \
                                            with the text, as the source does"
                .to_string(),
            Some(hint) => format!("the copy has a similar target: {hint}"),
            None => format!("add the {} from the source, or re-translate this passage", link.kind.describe()),
        };
        let what = match (&in_html_line, &as_text) {
            (Some(_), _) => "is written in a line that renders as HTML",
            (None, Some(_)) => "is not read as a link where the copy writes it",
            (None, None) => "is missing",
        };
        out.report(
            copy,
            span,
            format!(
                "{} target {} of the source {what}{}",
                link.kind.describe(),
                quoted(&link.destination),
                tally(&source_targets[index]).unwrap_or_default()
            ),
        )
        .label(label)
        .help(help)
        .related(source, link.span.clone(), "the source's target");
    }
    // Built on the first extra link: most differing copies only miss links.
    let mut spellings: Option<SourceSpellings> = None;
    for index in alignment.extra() {
        let link = &copy.facts.links[index];
        if localized.contains(&index) || changed.contains(&index) || followed_addition(index) {
            continue;
        }
        if spellings.get_or_insert_with(|| SourceSpellings::new(source)).repaired_by(link)
            || source_urls.has(link.destination.trim(), &mut bare_url_searches_left)
        {
            continue;
        }
        let target = copy_targets[index].as_ref();
        let replaced = replaced_by.get(&index).map(|&source_index| written(source, source_index));
        let help = match replaced.and_then(|replaced| did_you_mean(written(copy, index), [replaced])) {
            Some(hint) => format!("the source links to a similar target: {hint}"),
            None if tally(target).is_some() => "remove this occurrence, or link where the source does".to_string(),
            None => "remove it, or link to a target the source links to".to_string(),
        };
        let (message, label) = match tally(target) {
            Some(tally) => (
                format!(
                    "{} target {} occurs more often than in the source{tally}",
                    link.kind.describe(),
                    quoted(&link.destination)
                ),
                "no counterpart in the source",
            ),
            None => (
                format!("{} target {} is not in the source", link.kind.describe(), quoted(&link.destination)),
                "not in the source",
            ),
        };
        out.report(copy, link.span.clone(), message).label(label).help(help);
    }
}

/// What a copy's links are checked against on its locale's other pages.
struct TranslatedPages<'p> {
    /// Whether the copy's page at an address has an anchor.
    has_anchor: &'p dyn Fn(&str, &str) -> bool,
    /// The "did you mean" of a fragment among that page's anchors.
    closest: &'p dyn Fn(&str, &str) -> Option<String>,
}

/// Whether two web addresses differ only in a `/` that ends one's path
/// (`https://host/guide/typescript/` and `…/typescript`): web servers answer
/// both with one page (one redirects to the other), and a reviewer would not
/// ask a translator to change either.
fn same_web_page_but_a_trailing_slash(a: &str, b: &str) -> bool {
    fn split(target: &str) -> (&str, &str) {
        target.split_at(memchr::memchr2(b'?', b'#', target.as_bytes()).unwrap_or(target.len()))
    }
    let ((a_path, a_rest), (b_path, b_rest)) = (split(a), split(b));
    let web = |path: &str| {
        let after_scheme = path.strip_prefix("https://").or_else(|| path.strip_prefix("http://"));
        // A path past the host: the host alone is one page with or without `/`.
        after_scheme.is_some_and(|rest| rest.trim_end_matches('/').contains('/'))
    };
    a_path != b_path
        && a_rest == b_rest
        && web(a_path)
        && web(b_path)
        && a_path.strip_suffix('/').unwrap_or(a_path) == b_path.strip_suffix('/').unwrap_or(b_path)
}

/// [`same_web_page_but_a_trailing_slash`] of two comparison keys (a GitHub
/// file at a commit and at the default branch are one key) that name no
/// language: a key whose locale was set aside (`…/{locale}/azure/`) keeps
/// the address's slash as the profile compares it.
fn same_web_page_but_a_trailing_slash_by_key(source_key: &str, copy_key: &str) -> bool {
    !source_key.contains(LOCALE_SEGMENT)
        && !copy_key.contains(LOCALE_SEGMENT)
        && same_web_page_but_a_trailing_slash(source_key, copy_key)
}

/// Whether the copy's web address, in place of the source's link to a page
/// of the site from its root (`/blog/biome-wins-prettier-challenge`), is
/// that page at the site's own address
/// (`https://biomejs.dev/blog/biome-wins-prettier-challenge`, or with the
/// copy's language in the path): comparison keys, a trailing `/` aside.
fn the_site_s_own_address(source_key: &str, copy_key: &str) -> bool {
    if !source_key.starts_with('/') || source_key.starts_with("//") {
        return false;
    }
    let Some(host) = web_host(copy_key) else { return false };
    let path = &copy_key[host.len()..];
    let path = path.strip_prefix("/{locale}").filter(|rest| rest.starts_with('/')).unwrap_or(path);
    let without_slash = |key: &str| {
        let (page, rest) = key.split_at(memchr::memchr2(b'?', b'#', key.as_bytes()).unwrap_or(key.len()));
        format!("{}{rest}", page.trim_end_matches('/'))
    };
    !path.is_empty() && without_slash(path) == without_slash(source_key)
}

/// The page and the copy's fragment where both keys link one site page
/// (`/guides/x`) at different fragments.
fn same_page_other_fragment<'k>(source_key: &str, copy_key: &'k str) -> Option<(&'k str, &'k str)> {
    let (source_page, source_fragment) = source_key.split_once('#')?;
    let (copy_page, copy_fragment) = copy_key.split_once('#')?;
    (copy_page.starts_with('/') && source_page == copy_page && source_fragment != copy_fragment)
        .then_some((copy_page, copy_fragment))
}

/// Whether the copy's key links the page the source's key links, at
/// another fragment that `has_anchor` finds on the copy's page of that
/// address: `/guides/x#hydratation-des-composants` for the source's
/// `/guides/x#hydrating-components`, where the site slugs each heading
/// from its translation (Starlight, Docusaurus, Hugo). A fragment the
/// copy's page lacks is still reported.
fn other_page_s_translated_heading(source_key: &str, copy_key: &str, has_anchor: &dyn Fn(&str, &str) -> bool) -> bool {
    same_page_other_fragment(source_key, copy_key)
        .is_some_and(|(page, fragment)| !page.contains('?') && !fragment.is_empty() && has_anchor(page, fragment))
}

/// The folder of `copy`'s locale, whose pages `page_address` counts from:
/// the copy's path without as many parts as the address has below it.
fn locale_folder(copy: &Document, page: &str) -> Option<std::path::PathBuf> {
    let file = copy.path.file_name()?.to_str()?;
    let stem = file.rsplit_once('.').map_or(file, |(stem, _)| stem);
    let below = page.split('/').filter(|segment| !segment.is_empty()).count();
    // An index file's address is its folder's: one part fewer below.
    let parts = if matches!(stem, "index" | "_index") { below + 1 } else { below };
    let mut folder = copy.path.clone();
    for _ in 0..parts {
        if !folder.pop() {
            return None;
        }
    }
    Some(folder)
}

/// The page files a site address (`/guides/x`) may be in `folder`:
/// `guides/x.md`, `.mdx`, or its folder's index.
fn page_files(folder: &std::path::Path, page: &str) -> Vec<std::path::PathBuf> {
    let page = page.trim_matches('/');
    let names: Vec<String> = match page {
        "" => vec!["index.md".into(), "index.mdx".into(), "_index.md".into()],
        page => vec![
            format!("{page}.md"),
            format!("{page}.mdx"),
            format!("{page}/index.md"),
            format!("{page}/index.mdx"),
            format!("{page}/_index.md"),
        ],
    };
    names.iter().map(|name| folder.join(name)).collect()
}

/// The "did you mean" of `fragment` among the anchors of the page at the
/// site address `page` in `folder`.
fn closest_anchor(
    corpus: &crate::corpus::Corpus<'_>,
    folder: &std::path::Path,
    page: &str,
    fragment: &str,
) -> Option<String> {
    let fragment = super::fragment_broken::anchor_name(fragment);
    let anchors = page_files(folder, page).iter().find_map(|file| corpus.anchors_of(file))?;
    did_you_mean(&fragment, anchors.iter().map(String::as_str))
}

/// Whether the page at the site address `page` (`/guides/x`) in `folder`
/// has the anchor `fragment`: `guides/x.md`, `.mdx`, or its folder's index.
fn has_heading_anchor(
    corpus: &crate::corpus::Corpus<'_>,
    folder: &std::path::Path,
    page: &str,
    fragment: &str,
) -> bool {
    let fragment = super::fragment_broken::anchor_name(fragment);
    page_files(folder, page).iter().any(|file| corpus.has_anchor(file, &fragment) == Some(true))
}

/// Whether `ours` and `theirs` are same-page fragments (`#…`) naming the
/// heading at the same position of each document.
fn same_heading_by_fragment(source: &Document, theirs: &str, copy: &Document, ours: &str) -> bool {
    let position = |document: &Document, target: &str| {
        let fragment = super::fragment_broken::anchor_name(target.strip_prefix('#')?);
        document.facts.headings.iter().position(|heading| heading.slugs().contains(&fragment))
    };
    // Most replaced fragments are not the copy's anchors (a renamed or
    // broken link): one set look-up spares slugging every heading.
    let is_copy_anchor = || {
        ours.strip_prefix('#')
            .is_some_and(|fragment| copy.anchors().contains(&super::fragment_broken::anchor_name(fragment)))
    };
    theirs != ours
        && theirs.starts_with('#')
        && is_copy_anchor()
        && match (position(source, theirs), position(copy, ours)) {
            (Some(theirs), Some(ours)) => theirs == ours || same_heading_among_its_level(source, theirs, copy, ours),
            _ => false,
        }
}

/// Whether heading `theirs` of the source and heading `ours` of the copy
/// are one heading of one level, counted among the headings of that level
/// from the start or from the end: a copy that lacks a section the source
/// added (or has one the source removed) shifts every later heading's
/// position, not its rank among its level's headings on the side that
/// did not change.
fn same_heading_among_its_level(source: &Document, theirs: usize, copy: &Document, ours: usize) -> bool {
    let (source_headings, copy_headings) = (&source.facts.headings, &copy.facts.headings);
    let level = source_headings[theirs].level;
    if copy_headings[ours].level != level {
        return false;
    }
    let rank = |headings: &[crate::document::markdown::Heading], at: usize| {
        let before = headings[..at].iter().filter(|heading| heading.level == level).count();
        let after = headings[at + 1..].iter().filter(|heading| heading.level == level).count();
        (before, after)
    };
    let ((source_before, source_after), (copy_before, copy_after)) =
        (rank(source_headings, theirs), rank(copy_headings, ours));
    source_before == copy_before || source_after == copy_after
}

/// Whether two targets name the same page of the site, one by its file and
/// the other by its address: `../guide/ssr.md#externals` and
/// `../guide/ssr#externals`. Only links within the site (no scheme) are
/// read so; the rest of the target must be the same.
fn same_page(a: &str, b: &str) -> bool {
    let within_site = |target: &str| {
        let path_end = memchr::memchr3(b'/', b'?', b'#', target.as_bytes()).unwrap_or(target.len());
        !target[..path_end].contains(':')
    };
    a != b && within_site(a) && within_site(b) && page_and_rest(a) == page_and_rest(b)
}

/// The target's path without a `.md` ending, and what follows the path.
fn page_and_rest(target: &str) -> (&str, &str) {
    let split = memchr::memchr2(b'?', b'#', target.as_bytes()).unwrap_or(target.len());
    let (path, rest) = target.split_at(split);
    let page = match path.len().checked_sub(3).filter(|&at| path.is_char_boundary(at)) {
        Some(at) if at > 0 && path[at..].eq_ignore_ascii_case(".md") && !path[..at].ends_with('/') => &path[..at],
        _ => path,
    };
    (page, rest)
}

/// Other pages a copy's links are looked up in for a translated heading's
/// anchor: more than any real page links, and a bound for a hostile one.
const MAX_PAGE_LOOKUPS: usize = 512;

/// Extra links of one block compared with a missing target: enough for any
/// paragraph, and bounded for a hostile one.
const MAX_LOOKALIKES: usize = 16;

/// How often each target occurs.
fn occurrences<'t>(targets: &'t [Cow<str>]) -> HashMap<&'t str, usize> {
    let mut counts: HashMap<&str, usize> = HashMap::with_capacity_and_hasher(targets.len(), Default::default());
    for target in targets {
        *counts.entry(target.as_ref()).or_default() += 1;
    }
    counts
}

/// The form in which the profile's host tells two targets apart, so that
/// targets it serves alike are never reported: locale segments neutralized
/// (`/en-us/` and `/ja-jp/` compare equal) and, for hosts that ignore them
/// (Microsoft Learn), letter case and a trailing `/` of the path.
pub fn comparison_key<'a>(target: &'a str, locales: &[&str], comparison: TargetComparison) -> Cow<'a, str> {
    let neutral = neutralize_url(target.trim(), locales);
    match comparison {
        TargetComparison::Exact => neutral,
        TargetComparison::CaseAndTrailingSlashBlind => {
            let (path, rest) =
                neutral.split_at(memchr::memchr2(b'?', b'#', neutral.as_bytes()).unwrap_or(neutral.len()));
            // Most targets are already lower-case ASCII without a trailing
            // `/`: they are their own key, and building one per link of every
            // differing copy was a million strings on a drifted tree.
            let trailing_slash = path.len() > 1 && path.ends_with('/');
            if !trailing_slash && neutral.bytes().all(|byte| byte.is_ascii() && !byte.is_ascii_uppercase()) {
                return neutral;
            }
            let path = if path.len() > 1 { path.trim_end_matches('/') } else { path };
            let key = format!("{path}{rest}").to_lowercase();
            if key == neutral.as_ref() {
                neutral
            } else {
                Cow::Owned(key)
            }
        }
    }
}

/// Most copies keep every target in the source's order, as written or with
/// only the locale changed; comparing pair by pair first spares counting
/// their links.
fn same_targets_in_order(
    source: &Document,
    copy: &Document,
    locales: &[&str],
    comparison: TargetComparison,
    profile: &Profile,
) -> bool {
    let (ours, theirs) = (&source.facts.links, &copy.facts.links);
    ours.len() == theirs.len()
        && ours.iter().zip(theirs).all(|(a, b)| {
            let (a, b) = (a.destination.trim(), b.destination.trim());
            // Most pairs are equal in place; a localized form the host
            // serves alike needs the keys.
            a == b
                || same_key(a, b, locales, comparison)
                || hosted_key(a, locales, profile) == hosted_key(b, locales, profile)
        })
}

/// A shortcut for comparing the [`comparison_key`]s of `a` and `b`, in
/// place: every copy with localized URLs (`/ja-jp/`) comes here for each
/// link, and building both keys was most of this rule's time on a clean
/// tree. True only where the keys are equal; false also where a language
/// parameter differs (`?lang=ja`), which the keys drop: callers then
/// compare the keys. Targets with non-ASCII bytes (Unicode lower-casing)
/// build the keys.
fn same_key(a: &str, b: &str, locales: &[&str], comparison: TargetComparison) -> bool {
    if !a.is_ascii() || !b.is_ascii() {
        return comparison_key(a, locales, comparison) == comparison_key(b, locales, comparison);
    }
    let blind = comparison == TargetComparison::CaseAndTrailingSlashBlind;
    fn split(target: &str) -> (&str, &str) {
        target.split_at(target.find(['?', '#']).unwrap_or(target.len()))
    }
    let ((path_a, rest_a), (path_b, rest_b)) = (split(a), split(b));
    let same_text = |x: &str, y: &str| if blind { x.eq_ignore_ascii_case(y) } else { x == y };
    if !same_text(rest_a, rest_b) {
        return false;
    }
    // `neutralize_url` replaces locale segments only in a path with a `/`
    // (before a trailing `/` is dropped); the replacement, `{locale}`, may
    // also be written as such.
    let (slashed_a, slashed_b) = (path_a.contains('/'), path_b.contains('/'));
    fn trimmed(path: &str, blind: bool) -> &str {
        if blind && path.len() > 1 {
            path.trim_end_matches('/')
        } else {
            path
        }
    }
    let (mut segments_a, mut segments_b) = (trimmed(path_a, blind).split('/'), trimmed(path_b, blind).split('/'));
    let is_locale = |segment: &str, slashed: bool| {
        (slashed && locales.iter().any(|locale| segment.eq_ignore_ascii_case(locale))) || same_text(segment, "{locale}")
    };
    loop {
        match (segments_a.next(), segments_b.next()) {
            (None, None) => return true,
            (Some(x), Some(y)) => {
                let (locale_x, locale_y) = (is_locale(x, slashed_a), is_locale(y, slashed_b));
                if locale_x != locale_y || (!locale_x && !same_text(x, y)) {
                    return false;
                }
            }
            _ => return false,
        }
    }
}

/// The [`hosted_key`] of a target of the source, without the characters it
/// may carry unseen (`https://aka.ms/calls` and a U+200B pasted with it):
/// they break the source's own link, and a copy that dropped them links
/// where the source meant to. Only the source's are forgiven: a copy that
/// adds one breaks its link, and is reported.
fn source_key<'a>(target: &'a str, locales: &[&str], profile: &Profile) -> Cow<'a, str> {
    if !has_unseen(target) {
        return hosted_key(target, locales, profile);
    }
    let visible: String = target.chars().filter(|&c| !is_unseen(c)).collect();
    Cow::Owned(hosted_key(&visible, locales, profile).into_owned())
}

/// The comparison key of `target` as its host serves it: by host alone
/// where the pipeline swaps media for the locale's own; else
/// `comparison_key` without its locale segments (a pipeline may insert one:
/// `helpx.adobe.com/jp/…` for `helpx.adobe.com/…`, `status.adobe.com/ja`),
/// without `.html` where the host serves a page either way, and with an
/// empty path read as `/` (`https://status.host` is `https://status.host/`).
fn hosted_key<'a>(target: &'a str, locales: &[&str], profile: &Profile) -> Cow<'a, str> {
    // Most targets (pages, anchors) are their own key: found in one pass
    // over their bytes, which spares the steps below for every link of
    // every differing copy and of its source on a drifted tree.
    if is_own_key(target, locales) {
        return Cow::Borrowed(target);
    }
    // Most of the rest are plain web addresses (`https://host/en-us/page`):
    // their key is the address without its locale segments, built in one
    // pass instead of four strings.
    if let Some(key) = plain_web_key(target, locales, profile) {
        return key;
    }
    built_hosted_key(target, locales, profile)
}

/// [`hosted_key`] of a plain web address: `http://` or `https://`, then
/// only lower-case ASCII letters, digits and `-_./:` (nothing to trim or
/// lower-case, no query or fragment, no `{locale}`), no trailing `/`, and
/// no locale in its scheme or host name; `None` for any other target.
/// Exactness, step by step as [`built_hosted_key`] goes: a localized-media
/// host is its own key; `comparison_key` is `neutralize_url`'s form under
/// either comparison (nothing to lower-case, no trailing `/`), each locale
/// segment of the path written `{locale}`; then the last segment, if a
/// locale, goes and leaves its `/`, every other goes with the `/` before
/// it; the host is unchanged, an empty path becomes `/`, and `.html` goes
/// where the host serves a page either way.
fn plain_web_key<'a>(target: &'a str, locales: &[&str], profile: &Profile) -> Option<Cow<'a, str>> {
    let plain = |byte: &u8| matches!(byte, b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'/' | b':');
    if !target.as_bytes().iter().all(plain) || target.ends_with('/') {
        return None;
    }
    let after_scheme = target.strip_prefix("https://").or_else(|| target.strip_prefix("http://"))?;
    let host_end =
        target.len() - after_scheme.len() + memchr::memchr(b'/', after_scheme.as_bytes()).unwrap_or(after_scheme.len());
    let (host, path) = target.split_at(host_end);
    if is_one_of(host, profile.localized_media_hosts) {
        return Some(Cow::Borrowed(host));
    }
    // Only a segment as long as some locale can be one.
    let (shortest, longest) = locales
        .iter()
        .fold((usize::MAX, 0), |(shortest, longest), locale| (shortest.min(locale.len()), longest.max(locale.len())));
    let is_locale = |segment: &str| {
        (shortest..=longest).contains(&segment.len())
            && locales.iter().any(|locale| segment.eq_ignore_ascii_case(locale))
    };
    // `https:`, the empty segment after it and the host name.
    let name = &host[target.len() - after_scheme.len()..];
    if [&target[..target.len() - after_scheme.len() - 2], "", name].into_iter().any(is_locale) {
        return None;
    }
    // The path is empty or starts with `/`: each of its segments follows a
    // `/`, and ends at the next one or at the end.
    let ends = memchr::memchr_iter(b'/', path.as_bytes()).skip(1).chain(std::iter::once(path.len()));
    let segments = || {
        let mut start = 1;
        ends.clone().map(move |end| {
            let segment = &path[start.min(end)..end];
            start = end + 1;
            segment
        })
    };
    let key = if !path.is_empty() && segments().any(is_locale) {
        let mut key = String::with_capacity(target.len());
        key.push_str(host);
        let mut segments = segments().peekable();
        while let Some(segment) = segments.next() {
            if !is_locale(segment) {
                key.push('/');
                key.push_str(segment);
            } else if segments.peek().is_none() {
                key.push('/');
            }
        }
        Cow::Owned(key)
    } else {
        Cow::Borrowed(target)
    };
    let path = &key[host.len()..];
    Some(if path.is_empty() {
        Cow::Owned(format!("{host}/"))
    } else if path.ends_with(".html") && is_one_of(host, profile.html_optional_hosts) {
        match key {
            Cow::Borrowed(key) => Cow::Borrowed(&key[..key.len() - ".html".len()]),
            Cow::Owned(mut key) => {
                key.truncate(key.len() - ".html".len());
                Cow::Owned(key)
            }
        }
    } else {
        key
    })
}

/// Whether `target` is its own [`hosted_key`] under any profile: only
/// lower-case ASCII letters, digits and `-_./#` (nothing to trim or
/// lower-case, no scheme and so no host, no query that could name a
/// locale, no `{locale}`), no trailing `/` in its path and no locale
/// segment there.
fn is_own_key(target: &str, locales: &[&str]) -> bool {
    let bytes = target.as_bytes();
    let plain = |byte: &u8| matches!(byte, b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'/' | b'#');
    if !bytes.iter().all(plain) {
        return false;
    }
    let path = &bytes[..memchr::memchr(b'#', bytes).unwrap_or(bytes.len())];
    if path.len() > 1 && path.ends_with(b"/") {
        return false;
    }
    // As `neutralize_url`: only a path with a `/` has locale segments.
    memchr::memchr(b'/', path).is_none()
        || !path
            .split(|&byte| byte == b'/')
            .any(|segment| locales.iter().any(|locale| segment.eq_ignore_ascii_case(locale.as_bytes())))
}

/// [`hosted_key`] built step by step.
fn built_hosted_key<'a>(target: &'a str, locales: &[&str], profile: &Profile) -> Cow<'a, str> {
    if let Some(host) = web_host(target).filter(|host| is_one_of(host, profile.localized_media_hosts)) {
        return Cow::Borrowed(host);
    }
    let mut key = comparison_key(target, locales, profile.link_targets);
    if key.as_bytes().contains(&b'{') && key.contains(LOCALE_SEGMENT) {
        // A locale appended to a path keeps the slash before it
        // (`status.adobe.com/products/1173/` → `…/products/1173/jp`).
        let path_end = key.find(['?', '#']).unwrap_or(key.len());
        let (path, after) = key.split_at(path_end);
        let path = path.strip_suffix(LOCALE_SEGMENT).filter(|stem| stem.ends_with('/')).unwrap_or(path);
        key =
            Cow::Owned(format!("{path}{after}").replace(&format!("/{LOCALE_SEGMENT}"), "").replace(LOCALE_SEGMENT, ""));
    }
    let Some(host) = web_host(&key) else {
        return key;
    };
    let rest = &key[host.len()..];
    let html_optional = is_one_of(host, profile.html_optional_hosts);
    let path_end = rest.find(['?', '#']).unwrap_or(rest.len());
    let (path, after) = rest.split_at(path_end);
    match (path.is_empty(), html_optional && path.ends_with(".html")) {
        (true, _) => Cow::Owned(format!("{host}/{after}")),
        (false, true) => Cow::Owned(format!("{host}{}{after}", &path[..path.len() - ".html".len()])),
        (false, false) => key,
    }
}

/// Whether the copy's web address `localized`, which stands where the
/// source links to the web address `original`, is that page in the copy's
/// language: it names the copy's language or region (`subtags`) and
/// `original` names neither. Pipelines and translators link the reader's
/// own page where one exists, and its address is rarely the source's with a
/// locale segment swapped (`en.wikipedia.org/wiki/Color_depth` →
/// `ja.wikipedia.org/wiki/色深度`, `go/sso_en` → `go/sso_jp`,
/// `docs.aws.amazon.com/ja_jp/…`, `learn.microsoft.com/ja-jp/entra/…` for a
/// moved `/en-us/azure/…` page). A page in a third language (`/de-de/` in a
/// ja-jp copy) names neither, and is reported.
fn is_localized_counterpart(original: &str, localized: &str, subtags: &[&str]) -> bool {
    let names_locale = |url: &str| {
        url.split(|c: char| !c.is_ascii_alphanumeric())
            .any(|word| subtags.iter().any(|subtag| word.eq_ignore_ascii_case(subtag)))
    };
    web_host(original).is_some() && web_host(localized).is_some() && names_locale(localized) && !names_locale(original)
}

/// Whether the copy's web address is the source's page in the copy's
/// language at another fragment (`…/ja/basics/astro-components/#スロット`
/// for `…/en/basics/astro-components/#slots`): the addresses differ in one
/// path segment, which names the copy's language, and in the fragment,
/// where that page's translated heading has its anchor.
fn localized_page_at_another_fragment(source: &str, copy: &str, subtags: &[&str]) -> bool {
    let (Some((source_page, source_fragment)), Some((copy_page, copy_fragment))) =
        (source.split_once('#'), copy.split_once('#'))
    else {
        return false;
    };
    let (source_segments, copy_segments) = (source_page.split('/'), copy_page.split('/'));
    source_fragment != copy_fragment
        && source_segments.clone().count() == copy_segments.clone().count()
        && source_segments.zip(copy_segments).filter(|(ours, theirs)| ours != theirs).count() == 1
        && is_localized_counterpart(source_page, copy_page, subtags)
}

/// Whether two comparison keys differ only in letter case or a trailing
/// `/`: the source's address respelled, which an exact profile reports, not
/// another page.
fn respelled(a: &str, b: &str) -> bool {
    a.trim_end_matches('/').eq_ignore_ascii_case(b.trim_end_matches('/'))
}

/// What `neutralize_url` writes for a locale segment.
const LOCALE_SEGMENT: &str = "{locale}";

/// `https://host` of a web address.
fn web_host(target: &str) -> Option<&str> {
    let target = target.trim();
    let after_scheme = target.strip_prefix("https://").or_else(|| target.strip_prefix("http://"))?;
    let host_length = after_scheme.find(['/', '?', '#']).unwrap_or(after_scheme.len());
    Some(&target[..target.len() - after_scheme.len() + host_length])
}

/// Whether `host` (`https://video.host`) is one of `hosts` (`video.host`).
fn is_one_of(host: &str, hosts: &[&str]) -> bool {
    // `host` comes from `web_host`: a scheme, then the name.
    let name = host.strip_prefix("https://").or_else(|| host.strip_prefix("http://")).unwrap_or(host);
    hosts.iter().any(|candidate| name.eq_ignore_ascii_case(candidate))
}

/// What the source spells as plain text where a link was meant: each
/// `(X)` and `(X ` (X up to the first space or `)` after a `(`) and what
/// follows each `]: `, gathered in one pass over the source instead of one
/// search of it per extra link of the copy (8,000 extra links made that
/// quadratic).
struct SourceSpellings<'d> {
    text: &'d str,
    targets: HashSet<&'d str>,
    parenthesized: HashSet<(&'d str, u8)>,
    /// Sorted: a prefix is found by binary search.
    definitions: Vec<&'d str>,
    /// Targets with spaces or `)` are searched for in the text itself, as
    /// many as this.
    searches_left: std::cell::Cell<usize>,
}

impl<'d> SourceSpellings<'d> {
    fn new(source: &'d Document) -> SourceSpellings<'d> {
        let text = source.text();
        let bytes = text.as_bytes();
        let mut parenthesized = HashSet::default();
        // Each `(` with the first ` ` or `)` after it. `(` is rare in prose,
        // so memchr finds them faster than a look at every byte (the source
        // is read once per differing copy); the delimiter found last serves
        // every `(` before it, so a run of `(` is not searched quadratically.
        let mut delimiter: Option<usize> = None;
        for open in memchr::memchr_iter(b'(', bytes) {
            if delimiter.is_none_or(|end| end <= open) {
                delimiter = memchr::memchr2(b' ', b')', &bytes[open + 1..]).map(|length| open + 1 + length);
            }
            let Some(end) = delimiter else {
                break;
            };
            // Both ends are ASCII, so both are character boundaries.
            parenthesized.insert((&text[open + 1..end], bytes[end]));
        }
        let mut definitions: Vec<&str> = memchr::memmem::find_iter(bytes, b"]: ")
            .map(|at| {
                let rest = &text[at + 3..];
                &rest[..rest.find(char::is_whitespace).unwrap_or(rest.len())]
            })
            .collect();
        definitions.sort_unstable();
        SourceSpellings {
            text,
            targets: source.facts.links.iter().map(|link| link.destination.trim()).collect(),
            parenthesized,
            definitions,
            searches_left: std::cell::Cell::new(MAX_TEXT_SEARCHES),
        }
    }

    /// Whether the source has this link's Markdown as plain text: a link the
    /// source spelled wrongly (`[Label] (page.md)`, a missing `]`) that the
    /// translator repaired. The copy is right; the source needs the fix.
    fn repaired_by(&self, link: &Link) -> bool {
        let target = link.destination.trim();
        if target.is_empty() || self.targets.contains(target) {
            return false;
        }
        if target.contains(|c: char| c == ')' || c.is_whitespace()) {
            let Some(left) = self.searches_left.get().checked_sub(1) else {
                return false;
            };
            self.searches_left.set(left);
            let text = self.text;
            return text.contains(&format!("({target})"))
                || text.contains(&format!("({target} "))
                || text.contains(&format!("]: {target}"));
        }
        let first_at_or_after = self.definitions.partition_point(|definition| *definition < target);
        self.parenthesized.contains(&(target, b')'))
            || self.parenthesized.contains(&(target, b' '))
            || self.definitions.get(first_at_or_after).is_some_and(|definition| definition.starts_with(target))
    }
}

/// Extra links with a space or `)` in their target checked against the
/// source's text itself (each such check reads the whole source); the same
/// bound for bare URLs looked for per copy.
const MAX_TEXT_SEARCHES: usize = 16;

/// A text in which web addresses are looked for as bare URLs: where each
/// `://` is, found at the first search, so that each search compares at
/// those places instead of building a searcher and scanning the text.
struct BareUrls<'t> {
    text: &'t str,
    schemes: std::cell::OnceCell<Vec<usize>>,
}

impl<'t> BareUrls<'t> {
    fn new(text: &'t str) -> Self {
        BareUrls { text, schemes: std::cell::OnceCell::new() }
    }

    /// Whether the text has the web address `target` as a bare URL, which
    /// DocFX (Markdig's autolinks) turns into a link although CommonMark
    /// reads text: `Go to https://portal.azure.com/` in the source is the
    /// link `[https://portal.azure.com/](https://portal.azure.com/)` of a
    /// copy. As Markdig, a bare URL starts after whitespace, `*`, `_`, `~`
    /// or `(` (not a link's `](` nor a reference definition's `]:`), and
    /// ends before whitespace or punctuation; a trailing `/` does not count.
    /// Each call with a web address spends one of `searches_left`.
    fn has(&self, target: &str, searches_left: &mut usize) -> bool {
        let lower = target.get(..8).unwrap_or(target).to_ascii_lowercase();
        if !(lower.starts_with("https://") || lower.starts_with("http://")) || *searches_left == 0 {
            return false;
        }
        *searches_left -= 1;
        let text = self.text;
        let address = target.trim_end_matches('/');
        let bytes = text.as_bytes();
        let is_bare_url = |at: usize| {
            let before = &bytes[..at];
            // `[label]: https://…` defines a reference: a link only where used.
            if before.trim_ascii_end().ends_with(b"]:") {
                return false;
            }
            let starts = match before.last() {
                None => true,
                Some(b'(') => before.len() < 2 || before[before.len() - 2] != b']',
                Some(&byte) => byte.is_ascii_whitespace() || matches!(byte, b'*' | b'_' | b'~'),
            };
            let rest = &text[at + address.len()..];
            let rest = rest.strip_prefix('/').unwrap_or(rest);
            // Sentence punctuation right after a URL is not part of it.
            let rest = rest.trim_start_matches(['.', ',', ':', ';', '!', '?']);
            let ends = rest.chars().next().is_none_or(|c| {
                c.is_whitespace()
                    || matches!(c, ')' | '*' | '~' | '\'' | '"' | '<' | '>')
                    || (!c.is_ascii() && !c.is_alphanumeric())
            });
            starts && ends
        };
        // Every occurrence of the address has its `://` (the first) at the
        // same distance from its start.
        let Some(scheme_end) = memchr::memmem::find(address.as_bytes(), b"://") else {
            return memchr::memmem::find_iter(bytes, address.as_bytes()).any(is_bare_url);
        };
        let schemes = self.schemes.get_or_init(|| memchr::memmem::find_iter(bytes, b"://").collect());
        let candidates = schemes.iter().filter_map(move |&colon| colon.checked_sub(scheme_end));
        let found = non_overlapping(bytes, address.as_bytes(), candidates).any(is_bare_url);
        found
    }
}

/// The starts of `needle` in `haystack` as `memmem::find_iter` finds them
/// (leftmost first, each search resuming after the previous match), given
/// `candidates`: ascending places that include every start of `needle`.
fn non_overlapping<'h>(
    haystack: &'h [u8],
    needle: &'h [u8],
    candidates: impl Iterator<Item = usize> + 'h,
) -> impl Iterator<Item = usize> + 'h {
    let mut resume_at = 0;
    candidates.filter(move |&at| {
        let found = at >= resume_at && haystack.get(at..).is_some_and(|rest| rest.starts_with(needle));
        if found {
            resume_at = at + needle.len();
        }
        found
    })
}

/// Where the copy writes `target` as a link, `](target)`, in block `block`
/// on a line that starts with an HTML comment or a block-level tag (inside
/// a blockquote too): CommonMark starts an HTML block there, and the whole
/// line is raw HTML, the link's Markdown shown as text. (A line starting
/// with an inline tag, `<span>` in side-by-side copies, is a paragraph.)
fn written_in_html_line(copy: &Document, block: usize, target: &str) -> Option<std::ops::Range<usize>> {
    let text = copy.text();
    let starts = &copy.facts.block_starts;
    let start = *starts.get(block)?;
    let end = starts.get(block + 1).copied().unwrap_or(text.len()).min(text.len());
    let area = text.get(start..end)?;
    let written = format!("]({target}");
    // A block has few `]`: each is a place the link may start.
    let (area, written) = (area.as_bytes(), written.as_bytes());
    let found = non_overlapping(area, written, memchr::memchr_iter(b']', area)).find_map(|at| {
        let at = start + at + 2;
        let line_start = text[..at].rfind('\n').map_or(0, |newline| newline + 1);
        let line = text[line_start..at].trim_start_matches(['>', ' ', '\t']);
        (line.starts_with("<!--") || starts_with_block_tag(line)).then(|| at..at + target.len())
    });
    found
}

/// CommonMark's HTML blocks of type 6: a line starting with one of these
/// tags, opening or closing, is raw HTML whatever follows it.
fn starts_with_block_tag(line: &str) -> bool {
    const BLOCK_TAGS: &[&str] = &[
        "address",
        "article",
        "aside",
        "base",
        "basefont",
        "blockquote",
        "body",
        "caption",
        "center",
        "col",
        "colgroup",
        "dd",
        "details",
        "dialog",
        "dir",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "frame",
        "frameset",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "head",
        "header",
        "hr",
        "html",
        "iframe",
        "legend",
        "li",
        "link",
        "main",
        "menu",
        "menuitem",
        "nav",
        "noframes",
        "ol",
        "optgroup",
        "option",
        "p",
        "param",
        "search",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "title",
        "tr",
        "track",
        "ul",
    ];
    let Some(tag) = line.strip_prefix('<') else { return false };
    let tag = tag.strip_prefix('/').unwrap_or(tag);
    let name_end = tag.find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(tag.len());
    let (name, rest) = tag.split_at(name_end);
    BLOCK_TAGS.iter().any(|block| block.eq_ignore_ascii_case(name))
        && (rest.is_empty() || rest.starts_with([' ', '\t', '>']) || rest.starts_with("/>"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_page_s_links_are_resolved_against_its_address_on_a_site_of_folders() {
        let page = "/site/build/checks/";
        let key = |target: &str| super::site_key(std::borrow::Cow::Borrowed(target), page).into_owned();
        assert_eq!(key("../link-checking/"), "/site/build/link-checking");
        assert_eq!(key("../#build-kinds"), "/site/build#build-kinds");
        assert_eq!(key("/site/build/link-checking/"), "/site/build/link-checking");
        assert_eq!(key("./steps"), "/site/build/checks/steps");
        assert_eq!(key("/{locale}/docs/collector/"), "/docs/collector");
        assert_eq!(key("/docs/collector?tab=go"), "/docs/collector?tab=go");
        // Files, other sites, the page's own anchors and paths above the
        // root keep their keys.
        for kept in
            ["../setup.md", "img/flow.png", "https://example.org/a/", "#steps", "../../../../up/", "{{% param x %}}"]
        {
            assert_eq!(key(kept), kept);
        }
    }

    #[test]
    fn a_file_on_github_is_one_target_at_its_default_branch_or_a_commit() {
        let key = |target: &str| super::unversioned_github_key(std::borrow::Cow::Borrowed(target)).into_owned();
        let pinned = key("https://github.com/acme/site/blob/bc94737/config/site.yaml");
        assert_eq!(pinned, key("https://github.com/acme/site/blob/main/config/site.yaml"));
        assert_eq!(
            pinned,
            key("https://github.com/acme/site/blob/bc947370c1d2e3f4a5b6c7d8e9f0011223344556/config/site.yaml")
        );
        assert_ne!(pinned, key("https://github.com/acme/site/blob/main/config/other.yaml"));
        assert_ne!(pinned, key("https://github.com/acme/other/blob/main/config/site.yaml"));
        for kept in [
            "https://github.com/acme/site/tree/v2/docs",
            "https://github.com/acme/site/issues/12",
            "https://github.com/acme",
        ] {
            assert_eq!(key(kept), kept);
        }
    }

    #[test]
    fn marks_for_the_site_s_tools_are_not_part_of_a_target() {
        let key = |target: &str| super::without_tool_marks(std::borrow::Cow::Borrowed(target)).into_owned();
        assert_eq!(key("/docs/metrics/?link-check=no#limits"), "/docs/metrics/#limits");
        assert_eq!(key("https://example.org?no-link-check"), "https://example.org");
        assert_eq!(
            key("https://example.org/a?tab=go&link-check=no&last-validated=2026-08-02"),
            "https://example.org/a?tab=go"
        );
        assert_eq!(key("services/image/?i18n-patch"), "services/image/");
        assert_eq!(
            key("https://github.com/acme/site/blob/514a684/projects/ci.md?from_branch=main"),
            "https://github.com/acme/site/blob/514a684/projects/ci.md"
        );
        for kept in ["/docs/metrics/?tab=go#limits", "/docs/a#?link-check=no", "https://example.org?checked=no"] {
            assert_eq!(key(kept), kept);
        }
    }

    #[test]
    fn a_trailing_slash_of_a_web_page_s_path_is_one_page() {
        assert!(same_web_page_but_a_trailing_slash("https://host.test/guide/ts/", "https://host.test/guide/ts"));
        assert!(same_web_page_but_a_trailing_slash("http://host.test/a#b", "http://host.test/a/#b"));
        assert!(!same_web_page_but_a_trailing_slash("https://host.test/a/", "https://host.test/a/"));
        assert!(!same_web_page_but_a_trailing_slash("https://host.test/a/", "https://host.test/b"));
        assert!(!same_web_page_but_a_trailing_slash("https://host.test/a?x=1/", "https://host.test/a?x=1"));
        assert!(!same_web_page_but_a_trailing_slash("guide/ts/", "guide/ts"));
        assert!(!same_web_page_but_a_trailing_slash("https://host.test/a//", "https://host.test/a"));
        // Keys compare so too: a commit for the default branch, and a `/`
        // before the fragment.
        let key = |target: &str| unversioned_github_key(Cow::Borrowed(target)).into_owned();
        assert!(same_web_page_but_a_trailing_slash(
            &key("https://github.com/acme/js/tree/e8e3cbd/packages/node/#supported"),
            &key("https://github.com/acme/js/tree/main/packages/node#supported")
        ));
    }

    #[test]
    fn a_host_with_or_without_www_is_one_site() {
        let key = |target: &str| super::without_www(std::borrow::Cow::Borrowed(target)).into_owned();
        assert_eq!(key("https://www.jaegertracing.io/"), "https://jaegertracing.io/");
        assert_eq!(key("http://WWW.example.org/a"), "http://example.org/a");
        for kept in ["https://wwwx.example.org/", "https://docs.example.org/www.", "/www.example/"] {
            assert_eq!(key(kept), kept);
        }
    }

    #[test]
    fn a_page_s_address_is_its_path_after_the_locale_s_folder() {
        let address = |path: &str| {
            let document = Document::parse(Path::new(path), path.into(), "ja".into(), b"# T\n");
            super::page_address(&document, &["en", "ja"])
        };
        assert_eq!(address("content/ja/site/build/checks.md").as_deref(), Some("/site/build/checks/"));
        assert_eq!(address("ja/docs/_index.md").as_deref(), Some("/docs/"));
        assert_eq!(address("ja/blog/2024/post/index.md").as_deref(), Some("/blog/2024/post/"));
        assert_eq!(address("docs/page.md"), None);
    }

    #[test]
    fn a_page_is_the_same_by_its_file_or_its_address() {
        use super::same_page;
        assert!(same_page("./server-options.md#server-host", "./server-options#server-host"));
        assert!(same_page("/guide/ssr#ssr-externals", "/guide/ssr.md#ssr-externals"));
        assert!(same_page("assets", "assets.MD"));
        assert!(!same_page("./server-options#server_host", "./server-options.md#server-host"), "the fragment differs");
        assert!(!same_page("./a.md", "./b"));
        assert!(!same_page("https://example.com/a.md", "https://example.com/a"), "another site's files are its own");
        assert!(!same_page("./.md", "./"), "a file named `.md` is not a page's address");
        assert!(!same_page("a.md", "a.md"), "the same target is no pair");
    }

    use std::path::Path;

    use super::*;

    #[test]
    fn a_page_in_the_copy_s_language_stands_for_the_source_s() {
        let ja = locale_subtags("ja-jp");
        assert_eq!(ja, ["ja", "jp"]);
        assert_eq!(locale_subtags("zh-hant-tw"), ["zh", "hant", "tw"]);
        let counterpart = |original, localized| is_localized_counterpart(original, localized, &ja);
        assert!(counterpart("https://en.wikipedia.org/wiki/Unix_time", "https://ja.wikipedia.org/wiki/UNIX時間"));
        assert!(counterpart("https://www.contoso.com/go/sso_en", "https://www.contoso.com/go/sso_jp"));
        assert!(counterpart("https://docs.example/s3/naming.html", "https://docs.example/ja_jp/s3/naming.html"));
        assert!(counterpart("https://github.com/org/docs.en/commits", "https://github.com/org/docs.ja-JP/commits"));
        // Another language's page, a page naming no language, a relative
        // link, and a source that already names the copy's language.
        assert!(!counterpart("https://learn.contoso.com/en-us/a", "https://learn.contoso.com/de-de/a"));
        assert!(!counterpart("https://contoso.com/a", "https://contoso.com/b"));
        assert!(!counterpart("setup.md", "ja/setup.md"));
        assert!(!counterpart("https://contoso.com/jp/a", "https://contoso.com/jp/b"));
        // `jp` must be a word of its own, not part of one.
        assert!(!counterpart("https://contoso.com/a", "https://contoso.com/jpeg/a"));
    }

    #[test]
    fn a_site_page_at_the_site_s_own_address_is_the_page() {
        assert!(the_site_s_own_address("/blog/wins", "https://biomejs.dev/blog/wins"));
        assert!(the_site_s_own_address("/blog/wins#x", "https://biomejs.dev/{locale}/blog/wins/#x"));
        assert!(!the_site_s_own_address("/blog/wins", "https://biomejs.dev/blog/losses"));
        assert!(!the_site_s_own_address("/blog/wins#x", "https://biomejs.dev/blog/wins#y"));
        assert!(!the_site_s_own_address("blog/wins", "https://biomejs.dev/blog/wins"));
        assert!(!the_site_s_own_address("//cdn.test/a", "https://cdn.test/a"));
        assert!(!the_site_s_own_address("/", "https://biomejs.dev"));
    }

    #[test]
    fn a_localized_web_page_at_its_translated_heading_is_the_source_s_page() {
        let at =
            |locale: &str, fragment: &str| format!("https://docs.astro.build/{locale}/basics/components/#{fragment}");
        let ja = ["ja"];
        assert!(localized_page_at_another_fragment(
            &at("en", "transferring-slots"),
            &at("ja", "スロットの受け渡し"),
            &ja
        ));
        // Not another page, not a page in a third language or without a
        // fragment, and not an address that names no language.
        assert!(!localized_page_at_another_fragment(
            &at("en", "slots"),
            "https://docs.astro.build/ja/basics/layouts/#スロット",
            &ja
        ));
        assert!(!localized_page_at_another_fragment(&at("en", "slots"), &at("de", "slots-1"), &ja));
        assert!(!localized_page_at_another_fragment(
            &at("en", "slots"),
            "https://docs.astro.build/ja/basics/components/",
            &ja
        ));
        assert!(!localized_page_at_another_fragment("https://host.test/a/#x", "https://host.test/a/#y", &ja));
    }

    #[test]
    fn a_source_s_keys_built_once_are_the_keys_built_for_each_copy() {
        let targets = [
            "setup.md#keys",
            " ../en-us/setup.md ",
            "https://learn.contoso.com/en-us/azure/?view=ja-JP#x",
            "https://learn.contoso.com/JA-jp/azure/",
            "https://contoso.com/docs?lang=ja&x=1",
            "https://contoso.com/docs?hl=de=x",
            "https://helpx.adobe.com/jp/a.html",
            "https://status.adobe.com/products/1173/",
            "https://video.tv.adobe.com/v/19463/",
            "de-de/setup.md",
            "https://experienceleague.adobe.com/ja?q=Target&lang=ja#support",
            "{locale}/setup.md",
            "zh-hant-tw/a.md",
        ];
        let text: String = targets.iter().map(|target| format!("[x](<{target}>)\n\n")).collect();
        let source = Document::parse(Path::new("a.md"), "a.md".into(), "en-us".into(), text.as_bytes());
        assert_eq!(source.facts.links.len(), targets.len());
        for &name in crate::profile::NAMES {
            let profile = Profile::named(name).expect("a named profile");
            let keys = SourceKeys::new(&source, &["en-us", "en", "us"], &profile);
            for copy_forms in [&["ja-jp", "ja", "jp"][..], &["de-de", "de"], &["zh-hant-tw", "zh", "tw"], &["a/b"]] {
                let locales: Vec<&str> = ["en-us", "en", "us"].iter().chain(copy_forms).copied().collect();
                let each: Vec<Cow<str>> =
                    source.facts.links.iter().map(|link| hosted_key(&link.destination, &locales, &profile)).collect();
                assert_eq!(keys.for_copy(copy_forms, &locales, &profile), each, "{name} {copy_forms:?}");
            }
        }
    }

    #[test]
    fn adobe_hosts_serve_localized_forms_alike() {
        let adobe = Profile::named("adobe").expect("adobe profile");
        let locales = ["en-us", "ja-jp", "en", "us", "ja", "jp"];
        let key = |target| hosted_key(target, &locales, &adobe).into_owned();
        assert_eq!(
            key("https://video.tv.adobe.com/v/19463/"),
            key("https://video.tv.adobe.com/v/3421733?captions=jpn")
        );
        assert_eq!(
            key("https://experienceleague.adobe.com/docs/analytics/vars/products.html"),
            key("https://experienceleague.adobe.com/ja/docs/analytics/vars/products")
        );
        assert_eq!(key("https://status.adobe.com"), key("https://status.adobe.com/ja"));
        assert_eq!(key("https://status.adobe.com/"), key("https://status.adobe.com/ja"));
        assert_eq!(key("https://status.adobe.com/products/1173/"), key("https://status.adobe.com/jp/products/1173/jp"));
        assert_eq!(
            key("https://experienceleague.adobe.com/?q=Target#support"),
            key("https://experienceleague.adobe.com/ja?q=Target&lang=ja#support")
        );
        // Other hosts keep `.html`, and other pages stay apart.
        assert_ne!(
            key("https://www.adobe.com/eula/third_party/"),
            key("https://www.adobe.com/jp/eula/third_party.html")
        );
        assert_ne!(
            key("https://experienceleague.adobe.com/docs/a.html"),
            key("https://experienceleague.adobe.com/docs/b")
        );
    }

    #[test]
    fn a_target_taken_as_its_own_key_is_the_key_built_step_by_step() {
        let pieces = [
            "",
            "/",
            "a",
            "A",
            "ja-jp",
            "JA-JP",
            "en",
            "jp",
            "{locale}",
            "x.md",
            "X.md",
            "../x.md",
            "?lang=ja",
            "#Frag",
            "#frag",
            "#a/b",
            "https:",
            "https://video.tv.adobe.com",
            "https://experienceleague.adobe.com",
            " ",
            "é",
        ];
        let mut targets = Vec::new();
        for first in pieces {
            for second in pieces {
                for third in ["", "/", "#x", ".html", "/ja-jp"] {
                    targets.push(format!("{first}{second}{third}"));
                    targets.push(format!("{first}/{second}{third}"));
                    targets.push(format!("/{first}/{second}/{third}"));
                }
            }
        }
        let locales = ["en-us", "en", "us", "ja-jp", "ja", "jp"];
        let mut own_keys = 0;
        for name in ["microsoft-docs", "adobe", "none"] {
            let profile = Profile::named(name).expect("profile");
            for target in &targets {
                if is_own_key(target, &locales) {
                    own_keys += 1;
                    assert_eq!(built_hosted_key(target, &locales, &profile), target.as_str(), "{target:?} {name}");
                }
            }
        }
        assert!(own_keys > 1000, "the fast path is taken ({own_keys} times)");
    }

    #[test]
    fn a_plain_web_address_s_key_is_the_key_built_step_by_step() {
        let hosts = [
            "https://learn.contoso.com",
            "http://github.com",
            "https://video.tv.adobe.com",
            "https://experienceleague.adobe.com",
            "https://ja-jp",
            "https://jp:8080",
            "https://",
            "HTTPS://learn.contoso.com",
        ];
        let pieces = [
            "", "/", "ja-jp", "ja", "jp", "en-us", "en", "x", "x.html", "a.md", "ja-jpx", "{locale}", "X", "?q=1",
            "#f", ".html", "a:b",
        ];
        let mut targets = Vec::new();
        for host in hosts {
            for first in pieces {
                for second in pieces {
                    for third in ["", "/", "/ja", "/ja/jp", ".html", "/ja.html"] {
                        targets.push(format!("{host}/{first}/{second}{third}"));
                        targets.push(format!("{host}/{first}{second}{third}"));
                        targets.push(format!("{host}{first}{third}"));
                    }
                }
            }
        }
        let locales = ["en-us", "en", "us", "ja-jp", "ja", "jp"];
        let mut plain = 0;
        for name in crate::profile::NAMES {
            let profile = Profile::named(name).expect("profile");
            for target in &targets {
                if let Some(key) = plain_web_key(target, &locales, &profile) {
                    plain += 1;
                    assert_eq!(key, built_hosted_key(target, &locales, &profile), "{target:?} {name}");
                }
            }
        }
        assert!(plain > 1000, "the fast path is taken ({plain} times)");
    }

    #[test]
    fn parenthesized_spellings_end_at_the_first_space_or_parenthesis() {
        let text = "See (a.md) and ((b.md c) or (d.md\n(e (( f.md)) (g";
        let source = Document::parse(Path::new("a.md"), "a.md".into(), "en-us".into(), text.as_bytes());
        let spellings = SourceSpellings::new(&source);
        // Each `(` with the text up to the first ` ` or `)` after it, as a
        // look at every byte from the end finds them.
        let mut expected = HashSet::default();
        let mut delimiter = None;
        for (index, byte) in text.bytes().enumerate().rev() {
            match byte {
                b' ' | b')' => delimiter = Some(index),
                b'(' => {
                    if let Some(end) = delimiter {
                        expected.insert((&text[index + 1..end], text.as_bytes()[end]));
                    }
                }
                _ => {}
            }
        }
        assert_eq!(spellings.parenthesized, expected);
        assert!(spellings.parenthesized.contains(&("(b.md", b' ')));
        assert!(spellings.parenthesized.contains(&("d.md\n(e", b' ')));
    }

    #[test]
    fn block_tags_start_html_lines_and_inline_tags_do_not() {
        assert!(starts_with_block_tag("<div class=\"note\">[a](b.md)"));
        assert!(starts_with_block_tag("</p>"));
        assert!(starts_with_block_tag("<TABLE>"));
        assert!(!starts_with_block_tag("<span data-ttu-id=\"1\">[a](b.md)</span>"));
        assert!(!starts_with_block_tag("<divider>"));
        assert!(!starts_with_block_tag("<br>"));
        assert!(!starts_with_block_tag("text <div>"));
    }

    #[test]
    fn bare_urls_are_found_where_docfx_links_them() {
        let found = |text: &str, target: &str| BareUrls::new(text).has(target, &mut 16);
        assert!(found("Go to https://portal.contoso.com/\n", "https://portal.contoso.com/"));
        assert!(found("Go to https://portal.contoso.com.", "https://portal.contoso.com/"));
        assert!(found("(see https://a.example/x) and **https://b.example**", "https://b.example"));
        assert!(found("状態ページ https://a.example/x で確認", "https://a.example/x"));
        // Links, definitions, code spans and longer addresses are not bare URLs.
        assert!(!found("[status](https://a.example/x)", "https://a.example/x"));
        assert!(!found("[status]: https://a.example/x\n", "https://a.example/x"));
        assert!(!found("`https://a.example/x`", "https://a.example/x"));
        assert!(!found("at https://a.example/x.html today", "https://a.example/x"));
        assert!(!found("at https://a.example/x/y today", "https://a.example/x"));
        assert!(!found("page.md is https-free", "page.md"));
        assert!(!BareUrls::new("Go to https://a.example/").has("https://a.example/", &mut 0));
        assert!(found("x https://a/https://a x", "https://a/https://a"));
        assert!(found("x https: y", "https://"));
    }

    #[test]
    fn matches_at_candidates_are_memmem_s_matches() {
        let haystacks = ["", "aaaa", "abababab", "](x](x](x", "x](x](x] ](x", "https://a/https://a/https://a"];
        let needles = ["a", "aa", "aba", "](x", "](x](x", "https://a/https://a", "x"];
        for haystack in haystacks {
            for needle in needles {
                let (haystack, needle) = (haystack.as_bytes(), needle.as_bytes());
                let expected: Vec<usize> = memchr::memmem::find_iter(haystack, needle).collect();
                let every_place = non_overlapping(haystack, needle, 0..haystack.len()).collect::<Vec<_>>();
                let first_bytes =
                    non_overlapping(haystack, needle, memchr::memchr_iter(needle[0], haystack)).collect::<Vec<_>>();
                assert_eq!(every_place, expected, "{haystack:?} {needle:?}");
                assert_eq!(first_bytes, expected, "{haystack:?} {needle:?}");
            }
        }
    }

    #[test]
    fn same_key_agrees_with_comparing_the_keys() {
        let pieces = [
            "",
            "/",
            "//",
            "a",
            "A",
            "ja-jp",
            "JA-JP",
            "en-us",
            "{locale}",
            "{LOCALE}",
            "sr-latn-rs",
            "x.md",
            "X.MD",
            "?q=1",
            "?Q=1",
            "#frag",
            "#Frag",
            "é",
            "É",
        ];
        let mut targets = Vec::new();
        for first in pieces {
            for second in pieces {
                for third in ["", "/", "#x", "?view=en-us"] {
                    targets.push(format!("{first}{second}{third}"));
                    targets.push(format!("{first}/{second}{third}"));
                    targets.push(format!("/{first}/{second}/{third}"));
                }
            }
        }
        let locales = ["en-us", "ja-jp"];
        for comparison in [TargetComparison::Exact, TargetComparison::CaseAndTrailingSlashBlind] {
            for a in &targets {
                for b in targets.iter().step_by(7) {
                    // Exact for these targets (no language parameter, which
                    // only the keys drop).
                    let expected = comparison_key(a, &locales, comparison) == comparison_key(b, &locales, comparison);
                    assert_eq!(same_key(a, b, &locales, comparison), expected, "{a:?} {b:?} {comparison:?}");
                    assert_eq!(same_key(b, a, &locales, comparison), expected, "{b:?} {a:?} {comparison:?}");
                }
            }
        }
    }
}
