//! Text normalisations shared by the document model and the rules.

/// The anchor a docs site derives from a heading's text: lower-case,
/// punctuation dropped, whitespace to hyphens (SPEC §1).
pub fn slug(heading: &str) -> String {
    let heading = heading.trim();
    let mut slug = String::with_capacity(heading.len());
    for c in heading.chars() {
        // ASCII first: most characters of most headings.
        if c.is_ascii() {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                slug.push(c.to_ascii_lowercase());
            } else if c.is_whitespace() {
                slug.push('-');
            }
        } else if is_caseless_letter(c) {
            slug.push(c);
        } else if let Some(lower) = common_letter_lowercase(c) {
            slug.push(lower);
        } else if c.is_whitespace() {
            slug.push('-');
        } else if c.is_alphanumeric() {
            slug.extend(c.to_lowercase());
        }
    }
    slug
}

/// Kana, CJK ideographs and Hangul syllables: letters without case, most of
/// a CJK heading. `slug` keeps them as they are without consulting the
/// Unicode tables (a test checks that the tables agree).
fn is_caseless_letter(c: char) -> bool {
    matches!(
        c,
        '\u{3041}'..='\u{3096}' | '\u{30A1}'..='\u{30FA}' | '\u{30FC}' | '\u{4E00}'..='\u{9FFF}' | '\u{AC00}'..='\u{D7A3}'
    )
}

/// The lower case of a letter of Latin-1 or of basic Cyrillic (the
/// non-ASCII letters of most European headings), found by arithmetic
/// instead of the Unicode tables, which cost a few hundred instructions a
/// character; `None` for any other character (a test checks the tables
/// agree).
fn common_letter_lowercase(c: char) -> Option<char> {
    let code = u32::from(c);
    let lower = match code {
        0xC0..=0xDE if code != 0xD7 => code + 0x20,
        0xDF..=0xFF if code != 0xF7 => code,
        0x400..=0x40F => code + 0x50,
        0x410..=0x42F => code + 0x20,
        0x430..=0x45F => code,
        _ => return None,
    };
    char::from_u32(lower)
}

/// Every anchor a docs pipeline may have derived from a heading, the usual
/// one first: the slug of the text as readers see it; the same with
/// non-ASCII spaces dropped instead of hyphenated (Learn's pipeline wrote
/// `activityfor` for `activity\u{202f}for`); and the slug of the text with
/// character references as written, `raw` (`&lt;files /&gt;` gives
/// `ltfiles-gt`: the pipeline slugs them undecoded). When unsure which the
/// host uses, both are accepted.
pub fn slug_variants(shown: &str, raw: Option<&str>) -> Vec<String> {
    let mut slugs = vec![slug(shown)];
    if !shown.is_ascii() && shown.chars().any(|c| !c.is_ascii() && c.is_whitespace()) {
        let ascii_spaced: String = shown.chars().filter(|c| c.is_ascii() || !c.is_whitespace()).collect();
        slugs.push(slug(&ascii_spaced));
    }
    if let Some(raw) = raw {
        slugs.push(slug(raw));
    }
    // `## Assign [!INCLUDE[product](../includes/product.md)] roles`: the
    // pipeline's anchor keeps the include's label but not the word `!INCLUDE`.
    if let Some(at) = find_ascii_case_insensitive(shown, "[!include") {
        let without_keyword = format!("{}{}", &shown[..at], &shown[at + "[!include".len()..]);
        slugs.push(slug(&without_keyword));
    }
    // Other generators, for headings with punctuation: MkDocs collapses
    // the hyphens a dropped `/` leaves (`a / b` gives `a-b`, not `a--b`),
    // and VitePress turns each run of punctuation into one hyphen
    // (`` `index.html` `` gives `index-html`).
    let usual = &slugs[0];
    if usual.contains("--") || usual.starts_with('-') || usual.ends_with('-') {
        let collapsed = collapse_hyphens(usual);
        if !slugs.contains(&collapsed) {
            slugs.push(collapsed);
        }
    }
    // Most headings are words parted by single spaces, which VitePress
    // slugs as the usual slug: not made again to be found equal.
    if !vitepress_slug_is_usual(shown) && shown.chars().any(is_vitepress_separator) {
        let vitepress = vitepress_slug(shown);
        if !slugs.contains(&vitepress) {
            slugs.push(vitepress);
        }
    }
    slugs.dedup();
    slugs
}

/// Runs of hyphens as one, none at the ends.
fn collapse_hyphens(slug: &str) -> String {
    slug.split('-').filter(|part| !part.is_empty()).collect::<Vec<_>>().join("-")
}

/// What VitePress's slugify (`@mdit-vue/shared`) turns into a hyphen:
/// whitespace and ASCII punctuation, and curly quotes.
fn is_vitepress_separator(c: char) -> bool {
    c.is_whitespace() || c.is_ascii_punctuation() || matches!(c, '“' | '”' | '‘' | '’')
}

/// Whether [`vitepress_slug`] of `heading` is its [`slug`], known without
/// making either: words of letters that both keep (ASCII letters and
/// digits, caseless letters, the common letters whose lower case `slug`
/// finds by arithmetic) parted by single spaces, not led by a digit (to
/// which VitePress adds `_`). Each drops the spaces at the ends and turns
/// each one between words into a hyphen, and lower-cases the letters alike.
fn vitepress_slug_is_usual(heading: &str) -> bool {
    let words = heading.trim_matches(' ');
    if words.starts_with(|c: char| c.is_ascii_digit()) || words.contains("  ") {
        return false;
    }
    words
        .chars()
        .all(|c| c == ' ' || c.is_ascii_alphanumeric() || is_caseless_letter(c) || common_letter_lowercase(c).is_some())
}

/// The anchor VitePress gives a heading: each run of separators one
/// hyphen, none at the ends, `_` before a leading digit, lower case.
/// (VitePress also strips accents after Unicode decomposition; headings
/// with accents keep them here, and so match one slug fewer.)
fn vitepress_slug(heading: &str) -> String {
    let mut slug = String::with_capacity(heading.len());
    let mut pending_hyphen = false;
    for c in heading.chars().filter(|c| !c.is_control()) {
        if is_vitepress_separator(c) {
            pending_hyphen = !slug.is_empty();
            continue;
        }
        if pending_hyphen {
            slug.push('-');
            pending_hyphen = false;
        }
        slug.extend(c.to_lowercase());
    }
    if slug.starts_with(|c: char| c.is_ascii_digit()) {
        slug.insert(0, '_');
    }
    slug
}

fn find_ascii_case_insensitive(text: &str, needle: &str) -> Option<usize> {
    let (bytes, needle) = (text.as_bytes(), needle.as_bytes());
    let first = *needle.first()?;
    // Candidates found by memchr when the first byte has no other case
    // (`[` of `[!include`): most headings have none.
    if !first.is_ascii_alphabetic() {
        return memchr::memchr_iter(first, bytes)
            .find(|&at| bytes.get(at..at + needle.len()).is_some_and(|window| window.eq_ignore_ascii_case(needle)));
    }
    bytes.windows(needle.len()).position(|window| window.eq_ignore_ascii_case(needle))
}

/// Collapses runs of whitespace to one space and trims the ends.
pub fn fold_whitespace(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !folded.is_empty() {
            folded.push(' ');
        }
        folded.push_str(word);
    }
    folded
}

/// The plain text of a segment's span content. A segment is inline text, so
/// the indentation it carries from the HTML table or list around it (the
/// pipeline keeps the source's line breaks inside the span) is not an
/// indented code block: lines are parsed without their leading whitespace.
///
/// A reference link (`[AliasInfo Class][aliasinfo]`, `[text][]`, `[UTF-8]`)
/// counts as its text, as in the source: its definition is at the end of
/// the file, outside the span.
pub fn segment_plain_text(content: &str) -> String {
    let mut plain = String::with_capacity(content.len());
    push_plain_text(&dedented(content), &mut plain, References::OutsideTheText);
    fold_whitespace(&plain)
}

/// The plain text that segments' lookups are looked for in: `plain_text`
/// with `[text][label]`, `[text][]` and `[text]` read as links even where no
/// definition matches, as `segment_plain_text` must read them, so that
/// both sides agree (a source's undefined `[port][/path]` is not text on
/// one side and a link on the other).
pub fn plain_text_for_segments(markdown: &str) -> String {
    let mut plain = String::with_capacity(markdown.len());
    push_plain_text(markdown, &mut plain, References::OutsideTheText);
    fold_whitespace(&plain)
}

/// Whether reference links may be defined outside the text parsed.
#[derive(Clone, Copy)]
enum References {
    InTheText,
    OutsideTheText,
}

/// `text` with each line's leading whitespace removed, for text that is
/// inline although indented (the lines of an HTML block or of a span).
fn dedented(text: &str) -> std::borrow::Cow<'_, str> {
    if text.starts_with([' ', '\t']) || text.contains("\n ") || text.contains("\n\t") {
        let lines: Vec<&str> = text.lines().map(str::trim_start).collect();
        std::borrow::Cow::Owned(lines.join("\n"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// The text a reader sees in a Markdown fragment: inline syntax and HTML
/// tags removed, the text of HTML blocks kept (a `<p>…</p>` note, lines
/// after a `<br/>` that opens a block), whitespace folded. Segment source
/// texts and source documents are compared in this form.
pub fn plain_text(markdown: &str) -> String {
    let mut plain = String::with_capacity(markdown.len());
    push_plain_text(markdown, &mut plain, References::InTheText);
    fold_whitespace(&plain)
}

fn push_plain_text(markdown: &str, plain: &mut String, references: References) {
    use pulldown_cmark::{BrokenLink, CowStr, Event, Parser, Tag, TagEnd};
    let mut html_block: Option<String> = None;
    // Every form, `[text][label]`, `[text][]` and `[text]`: both sides of a
    // comparison are read so, so a bracketed word (`[0|1]`) that no
    // definition matches loses its brackets on both.
    let defined_elsewhere = |_: BrokenLink<'_>| match references {
        References::OutsideTheText => Some((CowStr::Borrowed(""), CowStr::Borrowed(""))),
        References::InTheText => None,
    };
    let parser = Parser::new_with_broken_link_callback(
        markdown,
        pulldown_cmark::Options::ENABLE_TABLES,
        Some(defined_elsewhere),
    );
    let (mut row_start, mut cell_end) = (0, 0);
    for (event, range) in parser.into_offset_iter() {
        match event {
            Event::Start(Tag::TableRow | Tag::TableHead) => row_start = range.start,
            Event::End(TagEnd::TableCell) => {
                cell_end = range.end;
                plain.push(' ');
            }
            // A row with more cells than the header loses the rest from the
            // page, yet the pipeline segments all of it (a `|` in a code
            // span splits a cell: `((0x|0X)[0-9A-F]*)`): the row's text is
            // read once more as a paragraph, where the code span is whole.
            Event::End(TagEnd::TableRow | TagEnd::TableHead) => {
                let row = markdown.get(row_start..range.end).unwrap_or("").trim_end();
                let dropped = markdown.get(cell_end..range.end).unwrap_or("");
                if !dropped.trim_start().trim_start_matches('|').trim().is_empty() && !row.contains('\n') {
                    push_plain_text(row.trim_start().trim_start_matches('|'), plain, references);
                }
                plain.push(' ');
            }
            Event::Start(Tag::HtmlBlock) => html_block = Some(String::new()),
            Event::Html(html) => {
                if let Some(block) = html_block.as_mut() {
                    block.push_str(&html);
                }
            }
            Event::End(TagEnd::HtmlBlock) => {
                let block = html_block.take().unwrap_or_default();
                // Dedented: an indented `<td>` line is not a code block
                // once its tags are gone.
                let text = without_tags(&block);
                let text = dedented(&text);
                // Markdown between the tags renders as text on the page
                // only in part, but the pipeline segments it as Markdown.
                // Each pass removes at least one tag, so this ends.
                if text.len() < block.len() {
                    push_plain_text(&text, plain, references);
                } else {
                    plain.push_str(&text);
                }
                plain.push(' ');
            }
            Event::Text(text) | Event::Code(text) => plain.push_str(&text),
            Event::SoftBreak | Event::HardBreak => plain.push(' '),
            // Block ends separate words; inline ends (links, emphasis) do not.
            Event::End(
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::BlockQuote(_) | TagEnd::CodeBlock,
            ) => plain.push(' '),
            _ => {}
        }
    }
}

/// `html` without its tags and comments; a `<` that opens no tag stays.
fn without_tags(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        let after = &rest[open..];
        let opens_tag = after[1..].starts_with(|c: char| c.is_ascii_alphabetic() || matches!(c, '/' | '!' | '?'));
        let end = if !opens_tag {
            None
        } else if after.starts_with("<!--") {
            after.find("-->").map(|at| at + 3)
        } else {
            after.find('>').map(|at| at + 1)
        };
        match end {
            Some(end) => {
                // Tags separate words as block ends do.
                text.push(' ');
                rest = &after[end..];
            }
            None => {
                text.push('<');
                rest = &after[1..];
            }
        }
    }
    text.push_str(rest);
    text
}

/// Lower-cased label text without emphasis markers and a trailing colon, so
/// `**Applies to:**` and `Applies To` compare equal.
pub fn label_key(text: &str) -> String {
    let stripped: String = text.chars().filter(|c| !matches!(c, '*' | '_')).collect();
    let trimmed = stripped.trim().trim_end_matches([':', '：']).trim();
    fold_whitespace(trimmed).to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caseless_letters_are_kept_as_the_unicode_tables_would() {
        let ranges = [
            '\u{3041}'..='\u{3096}',
            '\u{30A1}'..='\u{30FA}',
            '\u{30FC}'..='\u{30FC}',
            '\u{4E00}'..='\u{9FFF}',
            '\u{AC00}'..='\u{D7A3}',
        ];
        for c in ranges.into_iter().flatten() {
            assert!(is_caseless_letter(c));
            assert!(!c.is_whitespace() && c.is_alphanumeric(), "{c:?}");
            assert!(c.to_lowercase().eq([c]), "{c:?}");
        }
        for c in ['\u{3040}', '\u{3097}', '\u{30A0}', '\u{30FB}', '\u{30FD}', '\u{3000}', 'A', '\u{FF21}'] {
            assert!(!is_caseless_letter(c), "{c:?}");
        }
        assert_eq!(slug("ＡＢＣ 見出し・テスト"), "ａｂｃ-見出しテスト");
    }

    #[test]
    fn common_letters_are_lowercased_as_the_unicode_tables_would() {
        let mut fast = 0;
        for c in ('\u{80}'..='\u{2FF}').chain('\u{370}'..='\u{52F}') {
            match common_letter_lowercase(c) {
                Some(lower) => {
                    fast += 1;
                    assert!(!c.is_whitespace() && c.is_alphanumeric(), "{c:?}");
                    assert!(c.to_lowercase().eq([lower]), "{c:?}");
                }
                None => assert!(!matches!(u32::from(c), 0xC0..=0xFF | 0x400..=0x45F) || matches!(c, '×' | '÷')),
            }
        }
        assert_eq!(fast, 0x40 - 2 + 0x60);
        assert_eq!(slug("Über Straße ÀÉÎ Привет Ёлка"), "über-straße-àéî-привет-ёлка");
    }

    #[test]
    fn slug_matches_the_pipeline() {
        assert_eq!(
            slug("Resources for working with your customers on the Partner Center"),
            "resources-for-working-with-your-customers-on-the-partner-center"
        );
        assert_eq!(slug("What's new? (2024)"), "whats-new-2024");
        assert_eq!(slug("Set up_the-thing"), "set-up_the-thing");
    }

    #[test]
    fn slug_variants_cover_mkdocs_and_vitepress() {
        assert_eq!(
            super::slug_variants("Dev Containers / VS Code Port Forwarding", None),
            ["dev-containers--vs-code-port-forwarding", "dev-containers-vs-code-port-forwarding"]
        );
        assert_eq!(
            super::slug_variants("index.html and Project Root", None),
            ["indexhtml-and-project-root", "index-html-and-project-root"]
        );
        assert_eq!(super::slug_variants("Node_modules, 2024", None), ["node_modules-2024", "node-modules-2024"]);
        assert_eq!(super::slug_variants("2.0 “Quoted”", None), ["20-quoted", "_2-0-quoted"]);
        // Plain headings have one slug, and pay for no other.
        assert_eq!(super::slug_variants("Install the app", None), ["install-the-app"]);
        assert_eq!(super::slug_variants("アプリのインストール", None), ["アプリのインストール"]);
    }

    #[test]
    fn vitepress_slug_is_known_usual_only_where_it_is() {
        let headings = [
            "Install the app",
            "  Install  the app ",
            " Install the app  ",
            "2024 release",
            "Release 2024",
            "Über Straße ÀÉÎ Привет Ёлка",
            "アプリのインストール",
            "アプリの インストール",
            "ＡＢＣ 見出し",
            "Set up_the-thing",
            "What's new",
            "Tab\there",
            "Narrow\u{202f}space",
            "Ideographic\u{3000}space",
            "ǅemal Σίσυφος İstanbul",
            "×÷ signs",
            "",
            " ",
            "a",
            "9",
        ];
        let mut usual = 0;
        for heading in headings {
            if vitepress_slug_is_usual(heading) {
                usual += 1;
                assert_eq!(vitepress_slug(heading), slug(heading), "{heading:?}");
            }
        }
        assert_eq!(usual, 9);
        // Every character the fast answer accepts, alone and between words.
        for c in ('\u{0}'..='\u{52F}').chain('\u{3000}'..='\u{30FF}').chain(['\u{4E00}', '\u{9FFF}', '\u{AC00}']) {
            for heading in [format!("{c}"), format!("Word {c}x word"), format!("{c}{c} {c}")] {
                if vitepress_slug_is_usual(&heading) {
                    assert_eq!(vitepress_slug(&heading), slug(&heading), "{heading:?}");
                }
            }
        }
    }

    #[test]
    fn slug_variants_cover_raw_references_and_narrow_spaces() {
        assert_eq!(slug_variants("Add a task", None), ["add-a-task"]);
        assert_eq!(
            slug_variants("Suspicious activity\u{202f}for cloud\u{202f}region", None),
            ["suspicious-activity-for-cloud-region", "suspicious-activityfor-cloudregion"]
        );
        assert_eq!(slug_variants("&ltfiles />", Some("&ltfiles /&gt;")), ["ltfiles-", "ltfiles-gt", "ltfiles"]);
    }

    #[test]
    fn plain_text_drops_syntax_and_html() {
        assert_eq!(
            plain_text("See **your** [customer list](x.md), and `code`<br/>\nnow"),
            "See your customer list, and code now"
        );
        assert_eq!(plain_text("| a | b |\n|---|---|\n| c | d |"), "a b c d");
    }

    #[test]
    fn plain_text_keeps_the_cells_a_row_loses_beyond_the_header() {
        // The page drops the third and fourth cells; the file, and so the
        // pipeline's segments, have them, with the code span whole.
        let overflowing = "|Name|Value|\n|:--|:--|\n|Mask | Matches `(0x|0X)[0-9]*`, as in 0x1F. |\n";
        assert_eq!(plain_text(overflowing), "Name Value Mask Matches `(0x Mask | Matches (0x|0X)[0-9]*, as in 0x1F. |");
        assert_eq!(plain_text("|a|b|\n|--|--|\n|c|d|\n"), "a b c d");
    }

    #[test]
    fn plain_text_keeps_the_text_of_html_blocks() {
        assert_eq!(plain_text("<p class=\"note\">Back up the ledger first.</p>\n"), "Back up the ledger first.");
        // A line that opens with a tag starts an HTML block that runs to the
        // next blank line: its Markdown is still read as Markdown.
        assert_eq!(
            plain_text("Intro.\n\n<br/>\nThe old names are *not* dropped.\n\nAfter."),
            "Intro. The old names are not dropped. After."
        );
        assert_eq!(plain_text("<!-- hidden -->\n<div>\nshown\n</div>\n"), "shown");
        assert_eq!(plain_text("<div>a < b</div>\n"), "a < b");
    }

    #[test]
    fn finds_a_needle_in_any_ascii_case() {
        for (text, needle, at) in [
            ("Assign [!INCLUDE[p](x.md)] roles", "[!include", Some(7)),
            ("[a] [!Include", "[!include", Some(4)),
            ("[!includ", "[!include", None),
            ("", "[!include", None),
            ("abc ABC", "bc", Some(1)),
            ("x", "", None),
        ] {
            assert_eq!(find_ascii_case_insensitive(text, needle), at, "{text:?} {needle:?}");
        }
    }

    #[test]
    fn label_key_ignores_emphasis_and_colon() {
        assert_eq!(label_key("**Applies to:**"), "applies to");
        assert_eq!(label_key(" Applies  To "), "applies to");
        assert_eq!(label_key("適用対象："), "適用対象");
    }
}
