//! `fragment-broken`: a `#fragment` link points at an anchor that does not exist.

use super::{quoted, Emitter, Group, Rule, RuleGroup};
use std::path::Path;

use crate::corpus::{CopyId, Corpus, FragmentLookup};
use crate::diagnostic::Severity;
use crate::document::markdown::{AnchorKind, Link, LinkKind};
use crate::document::Document;
use crate::error::did_you_mean;
use crate::profile::KeptAnchor;

pub static RULE: Rule = Rule {
    name: "fragment-broken",
    group: RuleGroup::Structure,
    severity: Severity::Error,
    enabled_by_default: true,
    summary: "a link `#frag` or `page.md#frag` points at an anchor missing from the copy it resolves to",
    options: &[],
    doc: include_str!("../../rules/fragment-broken.md"),
    check,
};

fn check(group: &Group<'_>, out: &mut Emitter<'_>) {
    // Copies whose source history shows renamed or deleted are leftovers:
    // `orphan-translation` asks to move or delete them, and without their
    // source nothing tells a link the copy broke from one it inherited.
    if group.source.is_none() && group.source_fate.is_some() {
        return;
    }
    let source = group.checked_source();
    let mut deferring: Vec<(u32, &Document, Vec<&Link>)> = Vec::new();
    for (index, copy) in group.copies.iter().enumerate().filter(|(_, copy)| copy.is_checked()) {
        let id = CopyId { group: group.index, copy: u32::try_from(index).unwrap_or(u32::MAX) };
        let mut deferred = Vec::new();
        for link in &copy.facts.links {
            let Some((page, fragment)) = fragment_link(&link.destination) else {
                continue;
            };
            if page.is_empty() {
                // An include's own `#fragment` is an anchor of the page that
                // includes it; without a source linking the same, nothing
                // says which page that is.
                if source.is_none() && is_include_file(copy) {
                    continue;
                }
                let anchors = copy.anchors();
                // Broken in the version the copy was translated from counts
                // as inherited too: today's source may have dropped the link.
                let lower = anchor_name(fragment);
                let inherited = || {
                    broken_in_source(group.corpus, source, &link.destination)
                        || source.is_some_and(|source| pipeline_slugged_otherwise(source, copy, &lower))
                        || group
                            .baseline(copy)
                            .is_some_and(|baseline| broken_in_source(group.corpus, Some(baseline), &link.destination))
                };
                if !has_own_anchor(group.corpus, copy, &lower) && !inherited() {
                    let closest = |lower: &str| did_you_mean(lower, anchors.iter().map(String::as_str));
                    let place = (link.span.clone(), (page, fragment), "this copy");
                    report(out, group.profile.kept_anchor, copy, source, place, closest);
                }
                continue;
            }
            // Another file: answered from the anchors of the documents
            // already parsed; a target not parsed yet is decided once every
            // group is (see the engine), so that no file is parsed twice.
            if page.ends_with(".md") && check_page(out, group.profile.kept_anchor, group.corpus, copy, source, id, link)
            {
                deferred.push(link);
            }
        }
        if !deferred.is_empty() {
            deferring.push((id.copy, copy, deferred));
        }
    }
    if !deferring.is_empty() {
        group.corpus.keep(group.index, KeptGroup::new(source, &deferring));
    }
}

/// What the check of a group's deferred links needs from the parse of its
/// documents, kept so that neither a copy nor its source is parsed again
/// when the links are decided at the end of the run: there each file is
/// only read again, for its text (the findings show it).
///
/// A deferred link's page and fragment are its text at its span: a copy
/// where that is not so, or with a suppression comment, is parsed again
/// (`reparse`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptGroup {
    /// Indexes of the copies whose deferred links are decided with a parse
    /// of the copy again, sorted.
    pub reparse: Box<[u32]>,
    pub source: KeptSource,
}

/// The source's part in deciding a group's deferred links.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeptSource {
    /// The group has no source, its source could not be checked, or none
    /// of its links matters: the links are decided as without a source.
    Absent,
    /// The spans of the source's links that can matter: those with a `#`
    /// whose page is one of the deferred links' pages (`broken_in_source`
    /// and the help look at no other), each written as its destination.
    Links(Box<[std::ops::Range<u32>]>),
    /// One of those links is not written as its destination: the source is
    /// parsed again.
    Reparse,
}

impl KeptGroup {
    /// `deferring`: each copy (its index in the group) with deferred links,
    /// and those links.
    pub fn new(source: Option<&Document>, deferring: &[(u32, &Document, Vec<&Link>)]) -> KeptGroup {
        let reparse = deferring
            .iter()
            .filter(|(_, copy, links)| !links_kept_whole(copy, links))
            .map(|&(index, _, _)| index)
            .collect();
        let page_of = |destination: &str| -> Option<String> {
            let (page, _) = destination.split_once('#')?;
            Some(page.trim_start().to_ascii_lowercase())
        };
        let pages: Vec<String> = deferring
            .iter()
            .flat_map(|(_, _, links)| links.iter().filter_map(|link| page_of(&link.destination)))
            .collect();
        let source = match source {
            None => KeptSource::Absent,
            Some(source) => source
                .facts
                .links
                .iter()
                .filter(|link| page_of(&link.destination).is_some_and(|page| pages.contains(&page)))
                .map(|link| {
                    let written = source.text().get(link.span.clone()) == Some(link.destination.as_str());
                    let span = u32::try_from(link.span.start).ok()?..u32::try_from(link.span.end).ok()?;
                    written.then_some(span)
                })
                .collect::<Option<Box<[_]>>>()
                .map_or(KeptSource::Reparse, |spans| {
                    if spans.is_empty() {
                        KeptSource::Absent
                    } else {
                        KeptSource::Links(spans)
                    }
                }),
        };
        KeptGroup { reparse, source }
    }
}

/// Whether the deferred `links` of `copy` can be decided from its text
/// alone: each is written as its destination at its span and is the first
/// link there, and no comment of the copy is a suppression.
fn links_kept_whole(copy: &Document, links: &[&Link]) -> bool {
    let written = links.iter().all(|link| copy.text().get(link.span.clone()) == Some(link.destination.as_str()));
    let mut spans: Vec<(usize, usize)> = copy.facts.links.iter().map(|link| (link.span.start, link.span.end)).collect();
    spans.sort_unstable();
    let spans_unique = spans.windows(2).all(|pair| pair[0] != pair[1]);
    let suppressions = copy
        .facts
        .comments
        .iter()
        .any(|span| crate::document::suppressions::parse(copy.text(), span.clone()).is_some());
    written && spans_unique && !suppressions
}

/// `(page, fragment)` of a link to a fragment this rule checks: relative
/// (or in-page) and with a non-empty fragment.
pub fn fragment_link(destination: &str) -> Option<(&str, &str)> {
    let (page, fragment) = destination.split_once('#')?;
    let checked = !fragment.is_empty()
        && !is_tab_fragment(fragment)
        && !page.contains("://")
        && !page.starts_with("mailto:")
        && !page.starts_with('/');
    checked.then_some((page, fragment))
}

/// The anchor `fragment` names, as a browser reads it: percent-decoded
/// (`l%C3%AElot` is `lîlot`) and lower-cased.
pub fn anchor_name(fragment: &str) -> String {
    if fragment.contains('%') {
        if let Ok(decoded) = percent_encoding::percent_decode_str(fragment).decode_utf8() {
            return decoded.to_lowercase();
        }
    }
    fragment.to_lowercase()
}

/// DocFX tabbed content: a heading `# [.NET CLI](#tab/dotnet)` opens a tab
/// (`#tab/<id>`, optionally `#tab/<id>/<condition>`), it is not a link to an
/// anchor.
fn is_tab_fragment(fragment: &str) -> bool {
    fragment.get(..4).is_some_and(|head| head.eq_ignore_ascii_case("tab/"))
}

/// Whether `document` is a file other pages include: DocFX keeps them in
/// folders named `includes`.
fn is_include_file(document: &Document) -> bool {
    Path::new(document.display_path())
        .parent()
        .is_some_and(|folder| folder.components().any(|part| part.as_os_str().eq_ignore_ascii_case("includes")))
}

/// Whether the page of `document` has the anchor `lower` (lower-cased): in
/// the document itself or in a Markdown file it includes, whose headings
/// DocFX renders into the page (`[!INCLUDE [setup](includes/setup.md)]`).
/// An include is read only when the document lacks the anchor, and only
/// the first [`MAX_INCLUDES_READ`] of them.
fn has_own_anchor(corpus: &Corpus<'_>, document: &Document, lower: &str) -> bool {
    document.anchors().contains(lower)
        || document
            .facts
            .links
            .iter()
            .filter(|link| link.kind == LinkKind::Include && link.destination.trim().ends_with(".md"))
            .take(MAX_INCLUDES_READ)
            .any(|include| {
                let target = document.path.parent().unwrap_or(Path::new("")).join(include.destination.trim());
                corpus.has_anchor(&target, lower) == Some(true)
            })
}

/// Includes of one page looked into for a missing anchor: more than any
/// article has, and few enough that a hostile page of thousands of includes
/// and broken fragments cannot make every fragment read every include.
const MAX_INCLUDES_READ: usize = 16;

/// Whether the source has the same link and it is broken there too. The
/// copy inherited the defect: the source's authors fix it, and a translator
/// told to change it would only make the copy diverge from its source.
fn broken_in_source(corpus: &Corpus<'_>, source: Option<&Document>, destination: &str) -> bool {
    let Some(source) = source else {
        return false;
    };
    let Some((page, fragment)) = fragment_link(destination) else {
        return false;
    };
    let destination = destination.trim();
    if !source.facts.links.iter().any(|link| link.destination.trim().eq_ignore_ascii_case(destination)) {
        return false;
    }
    let fragment = anchor_name(fragment);
    if page.is_empty() {
        return !has_own_anchor(corpus, source, &fragment);
    }
    let target = source.path.parent().unwrap_or(Path::new("")).join(page);
    corpus.has_anchor(&target, &fragment) == Some(false)
}

/// Whether the source's anchor `lower` is one of several a pipeline may
/// derive from a source heading, and the copy's pipeline anchor (`<a
/// name>`) for it is another of them: the pipeline slugged the heading
/// otherwise than the source's author assumed (`Product\u{a0}recommendation`
/// hyphenated where the link dropped the space), so the host breaks the
/// source's link too, and the copy only inherited it.
fn pipeline_slugged_otherwise(source: &Document, copy: &Document, lower: &str) -> bool {
    let written: Vec<String> = copy
        .facts
        .anchors
        .iter()
        .filter(|anchor| matches!(anchor.kind, AnchorKind::HtmlName | AnchorKind::HtmlId))
        .map(|anchor| anchor.name.to_lowercase())
        .collect();
    !written.is_empty()
        && source.facts.headings.iter().any(|heading| {
            let slugs = heading.slugs();
            slugs.iter().any(|slug| slug == lower) && slugs.iter().any(|slug| slug != lower && written.contains(slug))
        })
}

/// Checks `link` (`page.md#fragment`) of `copy` into another file,
/// reporting it when the target is known to lack the fragment and the
/// source's same link is not broken too. True when the link waits for its
/// target (see [`Corpus::look_up`]).
pub fn check_page(
    out: &mut Emitter<'_>,
    kept_anchor: KeptAnchor,
    corpus: &Corpus<'_>,
    copy: &Document,
    source: Option<&Document>,
    id: CopyId,
    link: &Link,
) -> bool {
    let (span, destination) = (link.span.clone(), link.destination.as_str());
    let Some((page, fragment)) = fragment_link(destination) else {
        return false;
    };
    let lookup = corpus.look_up(copy, id, span.clone(), page, &anchor_name(fragment));
    if let FragmentLookup::Missing(target) = lookup {
        if !broken_in_source(corpus, source, destination) {
            // Only a broken link whose source has no like fragment pays for
            // its target's anchor names (a parse of the target), for the
            // suggestion.
            let closest = |lower: &str| {
                let anchors = corpus.anchors_of(&target)?;
                did_you_mean(lower, anchors.iter().map(String::as_str))
            };
            report(out, kept_anchor, copy, source, (span, (page, fragment), &format!("`{page}`")), closest);
        }
        return false;
    }
    matches!(lookup, FragmentLookup::Later)
}

/// Reports `page#fragment` missing from `target_name`; `closest` gives
/// the target's anchor nearest to a fragment, if one is near. The hint follows the source: a translator keeps the source's
/// fragment and adds the anchor the pipeline would have kept; a fragment
/// unlike the source's is pointed back to the source's; only a link the
/// source does not have is offered the target's closest anchor.
fn report(
    out: &mut Emitter<'_>,
    kept_anchor: KeptAnchor,
    copy: &Document,
    source: Option<&Document>,
    (span, (page, fragment), target_name): (std::ops::Range<usize>, (&str, &str), &str),
    closest: impl FnOnce(&str) -> Option<String>,
) {
    let lower = anchor_name(fragment);
    let source_fragments: Vec<String> = source
        .map(|source| {
            source
                .facts
                .links
                .iter()
                .filter_map(|link| fragment_link(&link.destination))
                .filter(|(their_page, _)| their_page.eq_ignore_ascii_case(page))
                .map(|(_, their_fragment)| anchor_name(their_fragment))
                .collect()
        })
        .unwrap_or_default();
    let diagnostic = out
        .report(copy, span, format!("fragment {} does not exist in {target_name}", quoted(&format!("#{fragment}"))))
        .label("no such anchor");
    if source_fragments.contains(&lower) {
        let heading = source.zip(page.is_empty().then_some(())).and_then(|(source, ())| {
            let position = source.facts.headings.iter().position(|heading| heading.slugs().contains(&lower))?;
            Some((&source.facts.headings[position], copy.facts.headings.get(position)))
        });
        match heading {
            Some((source_heading, copy_heading)) => {
                diagnostic.help(match kept_anchor {
                    KeptAnchor::NamedAnchor => format!(
                        "the source's heading \"{}\" gives this anchor: keep it on the translated heading, `<a name=\"{lower}\"></a>`, as the localization pipeline does",
                        source_heading.text
                    ),
                    KeptAnchor::HeadingId => format!(
                        "the source's heading \"{}\" gives this anchor from its words, which the translation changes: give it an id, `{{#{lower}}}`, which the pipeline keeps in every language (or add it to the translated heading)",
                        source_heading.text
                    ),
                });
                if let Some(copy_heading) = copy_heading {
                    diagnostic.also(copy_heading.span.clone(), "probably the translated heading");
                }
            }
            None if same_page_heading_id(source, page, &lower) => {
                diagnostic.help(format!(
                    "the source's heading has the id `{{#{lower}}}`: keep it, untranslated, on the translated heading"
                ));
            }
            None if same_page_anchor_of_kind(source, page, &lower, AnchorKind::ElementId) => {
                diagnostic.help(format!(
                    "the source's element has `id=\"{lower}\"`: keep it, untranslated, on the copy's element"
                ));
            }
            None => {
                diagnostic.help(match kept_anchor {
                    KeptAnchor::NamedAnchor => format!(
                        "the source links to the same fragment: add `<a name=\"{lower}\"></a>` where the source's target has this anchor, as the localization pipeline does"
                    ),
                    KeptAnchor::HeadingId => format!(
                        "the source links to the same fragment: give the heading that has this anchor in the source's target an id, `{{#{lower}}}`, which the pipeline keeps in every language"
                    ),
                });
            }
        }
    } else if let Some(hint) = did_you_mean(&lower, source_fragments.iter().map(String::as_str)) {
        diagnostic.help(format!("the source links to a similar fragment: {hint}"));
    } else if let Some(hint) = closest(&lower) {
        diagnostic.help(hint);
    } else {
        diagnostic.help("link to an anchor that exists in the target, or add the anchor there");
    }
}

/// Whether the fragment of a link within the page names a `{#id}` the
/// source gives one of its headings.
fn same_page_heading_id(source: Option<&Document>, page: &str, lower: &str) -> bool {
    same_page_anchor_of_kind(source, page, lower, AnchorKind::HeadingAttribute)
}

/// Whether the source's own anchor `lower` (a same-page link) is written
/// as `kind`.
fn same_page_anchor_of_kind(source: Option<&Document>, page: &str, lower: &str, kind: AnchorKind) -> bool {
    page.is_empty()
        && source.is_some_and(|source| {
            source.facts.anchors.iter().any(|anchor| anchor.kind == kind && anchor.name.eq_ignore_ascii_case(lower))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Document {
        Document::parse(Path::new("a.md"), "a.md".into(), "de-de".into(), text.as_bytes())
    }

    fn deferred<'d>(document: &'d Document, pages: &[&str]) -> Vec<&'d Link> {
        let deferred =
            |link: &&Link| link.destination.split_once('#').is_some_and(|(page, _)| pages.contains(&page.trim()));
        document.facts.links.iter().filter(deferred).collect()
    }

    #[test]
    fn a_copy_is_parsed_again_only_when_its_text_does_not_give_its_deferred_links() {
        let written = parse("See [setup](b.md#setup) and [keys](c.md#keys).\n");
        let html = parse("<a href=\" b.md#setup \">setup</a>\n");
        let reference = parse("See [setup][s].\n\n[s]: b.md#setup\n");
        let suppressed = parse("<!-- loclint-disable-next-line fragment-broken -->\nSee [setup](b.md#setup).\n");
        let commented = parse("<!-- a translator's note -->\nSee [setup](b.md#setup).\n");
        let copies = [&written, &html, &reference, &suppressed, &commented];
        let deferring: Vec<(u32, &Document, Vec<&Link>)> =
            copies.iter().enumerate().map(|(index, copy)| (index as u32, *copy, deferred(copy, &["b.md"]))).collect();
        assert!(deferring.iter().all(|(_, _, links)| links.len() == 1));
        let kept = KeptGroup::new(None, &deferring);
        assert_eq!(*kept.reparse, [1, 2, 3]);
        assert_eq!(kept.source, KeptSource::Absent);
    }

    #[test]
    fn a_source_keeps_exactly_its_links_to_the_deferred_pages() {
        let copy = parse("See [setup](B.md#setup).\n");
        let deferring = vec![(0, &copy, deferred(&copy, &["B.md"]))];
        let text = "[a](b.md#one) [b](c.md#two) [c]( B.MD#three ) [d](b.md) [e](x/b.md#four) [f](b.md#five)\n";
        let source = parse(text);
        let KeptSource::Links(spans) = KeptGroup::new(Some(&source), &deferring).source else {
            panic!("the source's links are written as their destinations");
        };
        let kept: Vec<&str> = spans.iter().map(|span| &text[span.start as usize..span.end as usize]).collect();
        assert_eq!(kept, ["b.md#one", "B.MD#three", "b.md#five"]);
        // What the rule reads of the source is the same from those links alone.
        let mut rebuilt = Document::load_unparsed(Path::new("/nonexistent"), "a.md".into(), "en-us".into(), 1 << 20);
        rebuilt.facts.links = kept
            .iter()
            .map(|destination| Link { kind: LinkKind::Inline, destination: (*destination).into(), span: 0..0 })
            .collect();
        let fragments = |source: &Document| -> Vec<String> {
            source
                .facts
                .links
                .iter()
                .filter_map(|link| fragment_link(&link.destination))
                .filter(|(page, _)| page.eq_ignore_ascii_case("B.md"))
                .map(|(_, fragment)| fragment.to_string())
                .collect()
        };
        assert_eq!(fragments(&rebuilt), fragments(&source));
        // A source link to such a page written otherwise than as its
        // destination: the source is parsed again.
        let reference = parse("[a][r]\n\n[r]: b.md#one\n");
        assert_eq!(KeptGroup::new(Some(&reference), &deferring).source, KeptSource::Reparse);
        // No link to those pages: decided as without a source.
        let other = parse("[a](c.md#one)\n");
        assert_eq!(KeptGroup::new(Some(&other), &deferring).source, KeptSource::Absent);
    }
}
