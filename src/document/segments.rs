//! Side-by-side segments: `<span data-ttu-id="PPPPP-NNN">translation</span>`
//! followed by `<span class="sxs-lookup"><span data-stu-id="PPPPP-NNN">source
//! text</span></span>` (SPEC §1).

use std::ops::Range;

use super::html::Tag;

/// Which half of a segment a span is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Side {
    /// `data-ttu-id`: the translated text.
    Translated,
    /// `data-stu-id` inside `sxs-lookup`: the source text at translation time.
    Lookup,
}

/// One `data-ttu-id` or `data-stu-id` span. The id is not copied out of
/// the text (side-by-side copies have a span per sentence, and two small
/// strings each were a measurable share of parsing): read it with
/// [`SegmentSpan::id`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SegmentSpan {
    pub side: Side,
    /// The 5-hex prefix, when the id has the `PPPPP-NNN` shape.
    pub prefix: Option<Prefix>,
    pub number: Option<u32>,
    /// The opening tag.
    pub tag_span: Range<usize>,
    /// The id attribute's value: the id as written, e.g. `13291-104`.
    pub id_span: Range<usize>,
    /// Text between the opening tag and its `</span>` (to the end of the
    /// enclosing block when unclosed).
    pub content: Range<usize>,
    pub closed: bool,
}

impl SegmentSpan {
    /// The id as written, e.g. `13291-104`; `text` is the document's text.
    pub fn id<'t>(&self, text: &'t str) -> &'t str {
        text.get(self.id_span.clone()).unwrap_or("")
    }
}

/// The lower-cased 5-hex prefix of a segment id (`13291` of `13291-104`),
/// kept inline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Prefix([u8; 5]);

impl Prefix {
    fn parse(prefix: &str) -> Option<Prefix> {
        Prefix::of(prefix.as_bytes().try_into().ok()?)
    }

    fn of(bytes: &[u8; 5]) -> Option<Prefix> {
        bytes.iter().all(u8::is_ascii_hexdigit).then(|| Prefix(bytes.map(|b| b.to_ascii_lowercase())))
    }

    pub fn as_str(&self) -> &str {
        // Only ASCII hex digits are ever stored.
        std::str::from_utf8(&self.0).unwrap_or("")
    }
}

impl std::fmt::Display for Prefix {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str(self.as_str())
    }
}

/// A translated span with the lookup span that follows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    pub translated: SegmentSpan,
    pub lookup: SegmentSpan,
}

impl Segment {
    pub fn number(&self) -> Option<u32> {
        self.translated.number
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Segments {
    /// Well-formed pairs in document order.
    pub pairs: Vec<Segment>,
    /// Spans without a partner of the same id right beside them.
    pub unpaired: Vec<SegmentSpan>,
}

impl Segments {
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty() && self.unpaired.is_empty()
    }
}

#[derive(Debug, Clone, Copy)]
enum Open {
    Segment(usize),
    Lookup,
    Other,
}

/// Follows `<span>` nesting across the HTML tags of one document, in order.
#[derive(Debug, Default)]
pub struct SegmentTracker {
    stack: Vec<Open>,
    spans: Vec<SegmentSpan>,
    /// How many entries of `stack` are lookup spans: asked on every
    /// Markdown event, so it must not scan the stack.
    lookup_depth: usize,
    /// Spans to make room for at the first one (see `for_text`).
    expected_spans: usize,
}

impl SegmentTracker {
    /// A tracker for a text of `length` bytes: a text with segments has
    /// about one span per 128 bytes, so room for that many is made at its
    /// first span instead of growing the list six or seven times.
    pub fn for_text(length: usize) -> SegmentTracker {
        SegmentTracker { expected_spans: length / 128, ..SegmentTracker::default() }
    }

    /// True while inside an `sxs-lookup` span: content there is the source's
    /// text at translation time, not a fact of the copy.
    pub fn in_lookup(&self) -> bool {
        self.lookup_depth > 0
    }

    fn is_lookup_entry(&self, open: &Open) -> bool {
        match open {
            Open::Lookup => true,
            Open::Segment(index) => self.spans[*index].side == Side::Lookup,
            Open::Other => false,
        }
    }

    /// Feeds a comment at `offset`. A comment that opens in a lookup span's
    /// text (the source's `<!-- TODO … -->`, cut by the pipeline where a
    /// sentence ends) holds the `</span>`s the pipeline wrote before the
    /// source's `-->`: they still end the lookup span, in every locale
    /// alike, and the page shows none of it.
    pub fn comment(&mut self, fragment: &str, offset: usize) {
        for at in memchr::memmem::find_iter(fragment.as_bytes(), b"</span>") {
            if !self.in_lookup() {
                break;
            }
            self.close(offset + at);
        }
    }

    /// Feeds one tag whose span is absolute in the document.
    pub fn tag(&mut self, tag: &Tag<'_>, offset: usize) {
        if !tag.is("span") || tag.self_closing {
            return;
        }
        if tag.closing {
            self.close(offset + tag.span.start);
            return;
        }
        let tag_span = offset + tag.span.start..offset + tag.span.end;
        let side_and_id = tag
            .attribute("data-ttu-id")
            .map(|id| (Side::Translated, id))
            .or_else(|| tag.attribute("data-stu-id").map(|id| (Side::Lookup, id)));
        match side_and_id {
            Some((side, id)) => {
                let id_span = offset + id.value_span.start..offset + id.value_span.end;
                self.open_segment(side, id.value, tag_span, id_span);
            }
            None if tag
                .attribute("class")
                .is_some_and(|class| class.value.split_whitespace().any(|c| c == "sxs-lookup")) =>
            {
                self.open(Open::Lookup)
            }
            None => self.open(Open::Other),
        }
    }

    /// Feeds `fragment`, an inline HTML fragment at `offset`, when it is
    /// exactly one of the tags side-by-side copies are made of (`</span>`,
    /// `<span class="sxs-lookup">`, `<span data-ttu-id="…">`,
    /// `<span data-stu-id="…">`) or another closing tag, and says whether
    /// it was. These are nearly all the inline HTML of a side-by-side copy:
    /// recognised whole, they skip the general tag parser and attribute
    /// lookups ([`SegmentTracker::tag`] reads them alike). Anything else,
    /// however close, returns `false` and goes through the parser.
    pub fn exact_tag(&mut self, fragment: &str, offset: usize) -> bool {
        // The byte after `<span data-` tells the two segment tags apart, and
        // `<span c` the lookup tag: each fragment is compared with the one
        // tag it can be, not with all three in turn.
        if fragment == "</span>" {
            self.close(offset);
            return true;
        }
        if let Some(name) = fragment.strip_prefix("</").and_then(|rest| rest.strip_suffix('>')) {
            let bytes = name.as_bytes();
            let is_name = bytes.first().is_some_and(u8::is_ascii_alphabetic)
                && bytes.iter().all(|&byte| byte.is_ascii_alphanumeric() || byte == b'-');
            if is_name && name.eq_ignore_ascii_case("span") {
                self.close(offset);
            }
            return is_name;
        }
        let (prefix, side) = match fragment.as_bytes().get(TAG_KIND_AT) {
            Some(b't') => (TRANSLATED_TAG_START, Side::Translated),
            Some(b's') => (LOOKUP_TAG_START, Side::Lookup),
            _ => {
                if fragment == LOOKUP_TAG {
                    self.open(Open::Lookup);
                    return true;
                }
                return false;
            }
        };
        let Some(id) = fragment.strip_prefix(prefix).and_then(|rest| rest.strip_suffix("\">")) else {
            return false;
        };
        // The value ends at the first quote: one inside is another tag. (A
        // loop, not memchr: ids are a dozen bytes.)
        if id.bytes().any(|byte| byte == b'"') {
            return false;
        }
        let id_start = offset + prefix.len();
        self.open_segment(side, id, offset..offset + fragment.len(), id_start..id_start + id.len());
        true
    }

    fn open_segment(&mut self, side: Side, id: &str, tag_span: Range<usize>, id_span: Range<usize>) {
        let (prefix, number) = split_id(id);
        let open_end = tag_span.end;
        if self.spans.capacity() == 0 {
            self.spans.reserve(self.expected_spans);
        }
        self.spans.push(SegmentSpan {
            side,
            prefix,
            number,
            tag_span,
            id_span,
            content: open_end..open_end,
            closed: false,
        });
        self.open(Open::Segment(self.spans.len() - 1));
    }

    fn open(&mut self, open: Open) {
        if self.is_lookup_entry(&open) {
            self.lookup_depth += 1;
        }
        self.stack.push(open);
    }

    /// A `</span>` starting at `at`.
    fn close(&mut self, at: usize) {
        if let Some(Open::Segment(index)) = self.pop() {
            let span = &mut self.spans[index];
            span.content.end = at;
            span.closed = true;
        }
    }

    fn pop(&mut self) -> Option<Open> {
        let open = self.stack.pop()?;
        if self.is_lookup_entry(&open) {
            self.lookup_depth -= 1;
        }
        Some(open)
    }

    /// Ends a Markdown block: inline HTML cannot continue past it, so spans
    /// still open are unclosed and end here.
    pub fn end_block(&mut self, offset: usize) {
        while let Some(open) = self.pop() {
            if let Open::Segment(index) = open {
                self.spans[index].content.end = offset.max(self.spans[index].content.start);
            }
        }
    }

    /// `text` is the document's text, which the spans point into.
    pub fn finish(mut self, end: usize, text: &str) -> Segments {
        self.end_block(end);
        pair(self.spans, text)
    }
}

const LOOKUP_TAG: &str = "<span class=\"sxs-lookup\">";
const TRANSLATED_TAG_START: &str = "<span data-ttu-id=\"";
const LOOKUP_TAG_START: &str = "<span data-stu-id=\"";
/// Where `TRANSLATED_TAG_START` has `t` and `LOOKUP_TAG_START` `s`.
const TAG_KIND_AT: usize = "<span data-".len();

fn split_id(id: &str) -> (Option<Prefix>, Option<u32>) {
    // The usual shape first, `PPPPP-NNN`: a `-` sixth and none before it
    // is the first `-`, as the search below would find it.
    if let Some((head, [b'-', ..])) = id.as_bytes().split_first_chunk::<5>() {
        if !head.contains(&b'-') {
            return (Prefix::of(head), parse_number(&id[6..]));
        }
    }
    // The first `-`, found bytewise: ids are a dozen bytes.
    let Some(dash) = id.bytes().position(|byte| byte == b'-') else {
        return (None, None);
    };
    (Prefix::parse(&id[..dash]), parse_number(&id[dash + 1..]))
}

/// `digits` as `str::parse::<u32>` reads it (an optional `+`, then ASCII
/// digits, without overflow), with a loop for the usual few digits.
fn parse_number(digits: &str) -> Option<u32> {
    let bytes = digits.as_bytes();
    let bytes = bytes.strip_prefix(b"+").unwrap_or(bytes);
    if bytes.is_empty() || bytes.len() > 9 {
        return digits.parse().ok();
    }
    bytes.iter().try_fold(0u32, |number, &byte| byte.is_ascii_digit().then(|| number * 10 + u32::from(byte - b'0')))
}

/// A translated span pairs with the lookup span that comes next when both
/// are closed and carry the same id; everything else is unpaired.
fn pair(spans: Vec<SegmentSpan>, text: &str) -> Segments {
    // At most one pair per two spans: the vector never grows.
    let mut segments = Segments { pairs: Vec::with_capacity(spans.len() / 2), unpaired: Vec::new() };
    let mut spans = spans.into_iter().peekable();
    while let Some(span) = spans.next() {
        let pairs_with_next = span.side == Side::Translated
            && span.closed
            && spans
                .peek()
                .is_some_and(|next| next.side == Side::Lookup && next.closed && next.id(text) == span.id(text));
        match spans.next_if(|_| pairs_with_next) {
            Some(lookup) => segments.pairs.push(Segment { translated: span, lookup }),
            None => segments.unpaired.push(span),
        }
    }
    segments
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_with_its_dash_sixth_splits_as_by_the_first_dash() {
        let searched = |id: &str| match id.find('-') {
            Some(dash) => (Prefix::parse(&id[..dash]), id[dash + 1..].parse::<u32>().ok()),
            None => (None, None),
        };
        for id in [
            "13291-104",
            "ABCDE-7",
            "abcde-",
            "1329-104",
            "132911-104",
            "-1329-104",
            "13-91-104",
            "13291--104",
            "13291-+104",
            "13291-1-4",
            "g3291-104",
            "13291-4294967295",
            "13291-4294967296",
            "é3291-104",
            "1329é-1",
            "13291-é",
            "13291",
            "",
            "-",
        ] {
            assert_eq!(split_id(id), searched(id), "{id:?}");
        }
    }
    use crate::document::html::tags;

    fn track(text: &str) -> Segments {
        let mut tracker = SegmentTracker::default();
        for tag in tags(text) {
            tracker.tag(&tag, 0);
        }
        tracker.finish(text.len(), text)
    }

    /// Every inline fragment fed as `Walker::html` feeds it: whole tags
    /// first, the parser for the rest.
    fn track_fragments(fragments: &[&str]) -> (Segments, String) {
        let text: String = fragments.concat();
        let mut tracker = SegmentTracker::default();
        let mut offset = 0;
        for fragment in fragments {
            if !tracker.exact_tag(fragment, offset) {
                for tag in tags(fragment) {
                    tracker.tag(&tag, offset);
                }
            }
            offset += fragment.len();
        }
        (tracker.finish(text.len(), &text), text)
    }

    #[test]
    fn whole_tags_are_read_as_the_parser_reads_them() {
        let cases: [&[&str]; 5] = [
            &[
                "<span data-ttu-id=\"13291-104\">",
                "顧客",
                "</span>",
                "<span class=\"sxs-lookup\">",
                "<span data-stu-id=\"13291-104\">",
                "Customers",
                "</span>",
                "</span>",
            ],
            &["<span data-ttu-id=\"\">", "x", "</SPAN>", "</a>", "<span data-stu-id=\"a\"b\">", "y", "</span >"],
            &[
                "<span data-ttu-id=\"ABCDE-+7\">",
                "<span class=\"sxs-lookup other\">",
                "</span>",
                "</1>",
                "</>",
                "</span>",
            ],
            &["<span data-ttu-id=\"abcde-101\" >", "z", "</span>", "<span data-stu-id='abcde-101'>", "w", "</span>"],
            &["<span data-ttu-id=\"abcde-101\"/>", "<SPAN data-ttu-id=\"abcde-102\">", "v", "</span-x>", "</span>"],
        ];
        for fragments in cases {
            let (fast, text) = track_fragments(fragments);
            assert_eq!(fast, track(&text), "{fragments:?}");
        }
    }

    #[test]
    fn numbers_are_read_as_the_standard_parser_reads_them() {
        for digits in ["", "+", "-1", "+7", "007", "104", "4294967295", "4294967296", "99999999999", "1a", "١٢", " 1"]
        {
            assert_eq!(parse_number(digits), digits.parse::<u32>().ok(), "{digits:?}");
        }
    }

    #[test]
    fn pairs_translation_with_its_lookup() {
        let text = r#"<span data-ttu-id="13291-104">顧客</span><span class="sxs-lookup"><span data-stu-id="13291-104">Customers</span></span>"#;
        let segments = track(text);
        assert_eq!(segments.unpaired, vec![]);
        let pair = &segments.pairs[0];
        assert_eq!(&text[pair.translated.content.clone()], "顧客");
        assert_eq!(&text[pair.lookup.content.clone()], "Customers");
        assert_eq!(pair.number(), Some(104));
        assert_eq!(pair.translated.prefix.map(|prefix| prefix.to_string()).as_deref(), Some("13291"));
    }

    #[test]
    fn mismatched_ids_and_unclosed_spans_are_unpaired() {
        let text = r#"<span data-ttu-id="13291-104">a</span><span class="sxs-lookup"><span data-stu-id="13291-105">b</span></span><span data-ttu-id="13291-106">c"#;
        let segments = track(text);
        assert!(segments.pairs.is_empty());
        let ids: Vec<_> = segments.unpaired.iter().map(|s| s.id(text)).collect();
        assert_eq!(ids, ["13291-104", "13291-105", "13291-106"]);
        assert!(!segments.unpaired[2].closed);
    }
}
