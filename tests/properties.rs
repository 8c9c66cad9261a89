//! Properties that must hold for any input (SPEC §7): no panic on arbitrary
//! bytes, the same findings whatever the thread count, and `--fix` leaves
//! nothing to fix.
//!
//! Case counts stay modest so that the suite stays fast; `PROPTEST_CASES`
//! raises them for a longer hunt.

mod common;

use std::ops::Range;
use std::path::Path;

use common::{asset_id, concise, copy_md, display_tag, lint, sha1_hex, source_md, Tree};
use loclint::document::Document;
use loclint::Request;
use proptest::prelude::*;

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|cases| cases.parse().ok()).unwrap_or(cases),
        // A failure prints its minimal input; it becomes a named test in
        // tests/regressions.rs rather than a file beside this one.
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

// ---------------------------------------------------------------------------
// No panic on arbitrary bytes.

/// Pieces of the real format, so that random documents reach the parser's
/// corners (front matter, segments, anchors, code fences, "Applies to")
/// far more often than uniform bytes would.
const PIECES: &[&str] = &[
    "---\n",
    "---\r\n",
    "...\n",
    "\n",
    "\r\n",
    "\r",
    "title: T\n",
    "ms.assetid: 11111111-2222-3333-4444-555555555555\n",
    "ms.contentlocale: ja-JP\r\n",
    "title: \"<span data-ttu-id=\\\"abcde-101\\\">題</span>\"\n",
    "a: &a [x, x]\nb: [*a, *a]\n",
    "key: [unclosed\n",
    "  - item\n",
    "# ",
    "## ",
    "###### ",
    " {#anchor}",
    "<a name=\"intro\"></a>",
    "<a id='x'>",
    "<span data-ttu-id=\"abcde-101\">",
    "<span data-ttu-id=\"abcde-1x\">",
    "<span data-ttu-id=\"12345-102\">",
    "<span class=\"sxs-lookup\">",
    "<span data-stu-id=\"abcde-101\">",
    "<span>",
    "</span>",
    "</span></span>",
    "**Applies to**\n\n",
    "**適用対象**\n\n",
    "- ",
    "-  ",
    "1. ",
    "> ",
    "    ",
    "\t",
    "[link](a.md)",
    "[frag](#intro)",
    "[other](b.md#setup)",
    "[[Label] text](nested.md)",
    "![image](img.png)",
    "[ref][r]",
    "[r]: r.md\n",
    "<https://x.test/en-us/a>",
    "<a href=\"h.md\">",
    "<img src=\"s.png\"/>",
    "[!INCLUDE[note](../includes/note.md)]",
    "```",
    "```yaml\n",
    "~~~\n",
    "<!-- loclint-disable-next-line segment-gap -->",
    "<!-- loclint-disable -->",
    "<!-- loclint-enable -->",
    "<!--",
    "-->",
    "| a | b |\n|---|---|\n",
    "顧客",
    "é",
    "\u{FEFF}",
    "\u{200B}",
    "\\",
    "\"",
    "`",
    "text ",
];

fn markdownish() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        4 => prop::sample::select(PIECES).prop_map(|piece| piece.as_bytes().to_vec()),
        1 => prop::collection::vec(any::<u8>(), 0..8),
    ];
    (any::<bool>(), prop::collection::vec(piece, 0..64)).prop_map(|(bom, pieces)| {
        let mut bytes = if bom { b"\xEF\xBB\xBF".to_vec() } else { Vec::new() };
        bytes.extend(pieces.concat());
        bytes
    })
}

fn arbitrary_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![prop::collection::vec(any::<u8>(), 0..2048), markdownish()]
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn parsing_never_panics_and_every_span_is_on_character_boundaries(bytes in arbitrary_bytes()) {
        let document = Document::parse(Path::new("ja-jp/a.md"), "ja-jp/a.md".into(), "ja-jp".into(), &bytes);
        for (what, span) in spans(&document) {
            let text = document.text();
            prop_assert!(span.start <= span.end && text.get(span.clone()).is_some(), "{what} span {span:?} of {} bytes", text.len());
            prop_assert!(document.file.position(span.start) <= document.file.position(span.end));
        }
    }
}

/// Every span of every fact of `document`.
fn spans(document: &Document) -> Vec<(&'static str, Range<usize>)> {
    let front = &document.front_matter;
    let facts = &document.facts;
    let mut spans = vec![("front matter", front.yaml_span.clone()), ("body", document.body_start..document.body_start)];
    spans.extend(
        front.entries(document.text()).flat_map(|e| [("key", e.key_span.clone()), ("value", e.value_span.clone())]),
    );
    spans.extend(facts.links.iter().map(|link| ("link", link.span.clone())));
    spans.extend(facts.anchors.iter().map(|anchor| ("anchor", anchor.span.clone())));
    spans.extend(facts.headings.iter().map(|heading| ("heading", heading.span.clone())));
    spans.extend(facts.code_blocks.iter().map(|block| ("code block", block.span.clone())));
    spans.extend(facts.comments.iter().map(|comment| ("comment", comment.clone())));
    if let Some(applies) = &facts.applies_to {
        spans.push(("applies-to label", applies.label_span.clone()));
        spans.extend(applies.items.iter().map(|item| ("applies-to item", item.span.clone())));
    }
    let segment_spans = facts.segments.pairs.iter().flat_map(|pair| [&pair.translated, &pair.lookup]);
    for span in segment_spans.chain(&facts.segments.unpaired) {
        spans.extend([("segment tag", span.tag_span.clone()), ("segment id", span.id_span.clone())]);
        spans.push(("segment content", span.content.clone()));
    }
    spans
}

proptest! {
    #![proptest_config(config(64))]

    #[test]
    fn linting_a_copy_of_arbitrary_bytes_never_panics(bytes in arbitrary_bytes(), with_source in any::<bool>()) {
        let tree = Tree::new();
        if with_source {
            tree.write("en-us/a.md", source_md("a"));
        }
        tree.write("ja-jp/a.md", &bytes);
        tree.article("b.md", &["ja-jp"]);
        let report = lint(&[tree.root()], Request::default());
        // The clean article beside it is still checked, and has no finding.
        prop_assert!(report.groups >= 2, "{}", concise(&report));
        prop_assert!(!concise(&report).contains("/b.md:"), "{}", concise(&report));
    }
}

// ---------------------------------------------------------------------------
// The same findings whatever the thread count.

const LOCALES: [&str; 3] = ["ja-jp", "ko-kr", "de-de"];

/// One way to break a copy (or its article).
#[derive(Debug, Clone, Copy)]
enum Defect {
    WrongAssetId,
    WrongLocale,
    StaleHash,
    LostLink,
    ExtraLink,
    HeadingLevel,
    UnclosedFrontMatter,
    MissingKey,
    ExtraCodeBlock,
    ExtraAnchor,
    BrokenFragment,
    InvalidUtf8,
    Binary,
    NoCopy,
    Orphan,
}

const DEFECTS: [Defect; 15] = [
    Defect::WrongAssetId,
    Defect::WrongLocale,
    Defect::StaleHash,
    Defect::LostLink,
    Defect::ExtraLink,
    Defect::HeadingLevel,
    Defect::UnclosedFrontMatter,
    Defect::MissingKey,
    Defect::ExtraCodeBlock,
    Defect::ExtraAnchor,
    Defect::BrokenFragment,
    Defect::InvalidUtf8,
    Defect::Binary,
    Defect::NoCopy,
    Defect::Orphan,
];

/// Per article: `(locale index, defect)` pairs planted in its copies.
fn defects() -> impl Strategy<Value = Vec<Vec<(usize, Defect)>>> {
    let planted = (0..LOCALES.len(), prop::sample::select(&DEFECTS[..]));
    prop::collection::vec(prop::collection::vec(planted, 0..4), 2..10)
}

/// Writes one article per entry of `defects`, each with a copy in every
/// locale, and plants the defects.
fn planted_tree(defects: &[Vec<(usize, Defect)>]) -> Tree {
    let tree = Tree::new();
    for (index, planted) in defects.iter().enumerate() {
        let name = format!("article-{index}");
        let path = format!("folder-{}/{name}.md", index % 3);
        let source = source_md(&name);
        tree.write(&format!("en-us/{path}"), &source);
        for (locale_index, locale) in LOCALES.iter().enumerate() {
            let mut copy = copy_md(&name, source.as_bytes(), &display_tag(locale)).into_bytes();
            let mut write = true;
            for &(_, defect) in planted.iter().filter(|(at, _)| *at == locale_index) {
                match defect {
                    Defect::NoCopy => write = false,
                    Defect::Orphan => {
                        tree.write(&format!("{locale}/orphans/{name}.md"), &copy);
                    }
                    _ => copy = plant(copy, defect),
                }
            }
            if write {
                tree.write(&format!("{locale}/{path}"), &copy);
            }
        }
    }
    tree
}

fn plant(copy: Vec<u8>, defect: Defect) -> Vec<u8> {
    let text = String::from_utf8_lossy(&copy).into_owned();
    let replace = |from: &str, to: &str| text.replacen(from, to, 1).into_bytes();
    let set = |key: &str, value: &str| {
        let line = regex::Regex::new(&format!("(?m)^{}: .*$", regex::escape(key))).expect("valid regex");
        line.replace(&text, format!("{key}: {value}")).into_owned().into_bytes()
    };
    match defect {
        Defect::WrongAssetId => set("ms.assetid", &asset_id("another article")),
        Defect::WrongLocale => set("ms.contentlocale", "fr-FR"),
        Defect::StaleHash => set("ms.openlocfilehash", &sha1_hex(b"an older source")),
        Defect::LostLink => replace("[ガイド](guide.md)", "ガイド"),
        Defect::ExtraLink => replace("を参照してください。", "を参照してください。[追加](extra.md)"),
        Defect::HeadingLevel => replace("## セットアップ", "### セットアップ"),
        Defect::UnclosedFrontMatter => replace("---\n# ", "# "),
        Defect::MissingKey => replace("ms.translationtype: HT\n", ""),
        Defect::ExtraCodeBlock => replace("## セットアップ\n", "## セットアップ\n\n```\nextra\n```\n"),
        Defect::ExtraAnchor => replace("## セットアップ", "## <a name=\"extra\"></a>セットアップ"),
        Defect::BrokenFragment => replace("(guide.md)", "(#nowhere)"),
        Defect::InvalidUtf8 => [copy.as_slice(), b"\n\xFF\xFE broken\n"].concat(),
        Defect::Binary => b"\x89PNG\r\n\x1a\n\0\0\0".to_vec(),
        Defect::NoCopy | Defect::Orphan => copy,
    }
}

proptest! {
    #![proptest_config(config(32))]

    #[test]
    fn findings_are_the_same_whatever_the_thread_count(defects in defects()) {
        let tree = planted_tree(&defects);
        let serial = concise(&lint(&[tree.root()], Request { jobs: Some(1), ..Request::default() }));
        let parallel = concise(&lint(&[tree.root()], Request { jobs: Some(4), ..Request::default() }));
        prop_assert_eq!(&serial, &parallel);
        // A missing copy is found only by `missing-translation`, off by
        // default, and hides the other defects of that copy.
        let planted = defects
            .iter()
            .filter(|planted| {
                let missing = |locale| planted.iter().any(|&(at, defect)| at == locale && matches!(defect, Defect::NoCopy));
                planted.iter().any(|&(at, defect)| matches!(defect, Defect::Orphan) || !missing(at))
            })
            .count();
        prop_assert!(planted == 0 || !serial.is_empty(), "defects planted in {planted} articles, none found");
    }
}

// ---------------------------------------------------------------------------
// A file fixed with `--fix` has nothing left to fix.

/// A wrong value for a front matter key, as hand edits and pipelines write
/// them: another GUID or tag, any case, quoted or not, or arbitrary text.
fn wrong_value(valid: &'static str) -> impl Strategy<Value = String> {
    let quoted = |value: String, quote: u8| match quote {
        0 => value,
        1 => format!("\"{value}\""),
        _ => format!("'{value}'"),
    };
    (prop_oneof![3 => valid, 1 => "[ -~]{0,24}"], 0u8..3).prop_map(move |(value, quote)| quoted(value, quote))
}

#[derive(Debug, Clone)]
struct FixableCopy {
    assetid: Option<String>,
    locale: Option<String>,
    bom: bool,
    /// Line ending of each line, CRLF when true (cycled).
    crlf: Vec<bool>,
}

fn fixable_copy() -> impl Strategy<Value = FixableCopy> {
    let guid = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";
    (
        prop::option::of(wrong_value(guid)),
        prop::option::of(wrong_value("[a-zA-Z]{2}(-[a-zA-Z]{2,4})?")),
        any::<bool>(),
        prop::collection::vec(any::<bool>(), 1..24),
    )
        .prop_map(|(assetid, locale, bom, crlf)| FixableCopy { assetid, locale, bom, crlf })
}

/// The copy of `name` in `locale` with the wrong values, line endings and
/// BOM of `spec`.
fn fixable_bytes(name: &str, source: &str, locale: &str, spec: &FixableCopy) -> Vec<u8> {
    let mut text = copy_md(name, source.as_bytes(), &display_tag(locale));
    if let Some(value) = &spec.assetid {
        text = text.replacen(&format!("ms.assetid: {}", asset_id(name)), &format!("ms.assetid: {value}"), 1);
    }
    if let Some(value) = &spec.locale {
        text = text.replacen(
            &format!("ms.contentlocale: {}", display_tag(locale)),
            &format!("ms.contentlocale: {value}"),
            1,
        );
    }
    let mut bytes = if spec.bom { b"\xEF\xBB\xBF".to_vec() } else { Vec::new() };
    for (line, crlf) in text.split_inclusive('\n').zip(spec.crlf.iter().cycle()) {
        match line.strip_suffix('\n') {
            Some(content) if *crlf => bytes.extend_from_slice(format!("{content}\r\n").as_bytes()),
            _ => bytes.extend_from_slice(line.as_bytes()),
        }
    }
    bytes
}

proptest! {
    #![proptest_config(config(64))]

    #[test]
    fn a_fixed_tree_has_nothing_left_to_fix(copies in prop::collection::vec(fixable_copy(), LOCALES.len())) {
        let tree = Tree::new();
        let source = source_md("a");
        tree.write("en-us/a.md", &source);
        let mut written = Vec::new();
        for (locale, spec) in LOCALES.iter().zip(&copies) {
            let bytes = fixable_bytes("a", &source, locale, spec);
            tree.write(&format!("{locale}/a.md"), &bytes);
            written.push((format!("{locale}/a.md"), bytes));
        }
        let fix = tree.lint(&["--fix"]);
        prop_assert!(fix.code != 2, "--fix failed: {}", fix.stderr);
        for (path, before) in &written {
            let after = tree.read(path);
            prop_assert_eq!(after.starts_with(b"\xEF\xBB\xBF"), before.starts_with(b"\xEF\xBB\xBF"), "BOM of {}", path);
            prop_assert_eq!(crlf_count(&after), crlf_count(before), "line endings of {}", path);
        }
        let again = tree.lint(&["--fix"]);
        prop_assert_eq!(again.stderr.as_str(), "", "a second --fix still fixed something\n{}", again.stdout);
        let diff = tree.lint(&["--diff"]);
        prop_assert_eq!(diff.stdout.as_str(), "", "--diff still shows fixes");
        prop_assert_eq!(sha1_hex(&tree.read("en-us/a.md")), sha1_hex(source.as_bytes()), "the source was changed");
    }
}

fn crlf_count(bytes: &[u8]) -> usize {
    bytes.windows(2).filter(|pair| pair == b"\r\n").count()
}
