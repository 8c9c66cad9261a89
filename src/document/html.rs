//! Tags inside HTML fragments that pulldown-cmark hands us as `Html` and
//! `InlineHtml` events.
//!
//! Why hand-written: we only need the tags of a fragment with the byte span
//! of each attribute value. HTML parsers (html5ever, tl) build a whole DOM,
//! repair markup and drop source offsets, which is the opposite of what a
//! linter pointing at exact bytes needs.

use std::ops::Range;

use smallvec::SmallVec;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag<'a> {
    /// Tag name as written, e.g. `span`, `A`, `img`; compare with `is`.
    pub name: &'a str,
    pub closing: bool,
    pub self_closing: bool,
    /// Span of the whole tag, `<` to `>`, relative to the scanned fragment.
    pub span: Range<usize>,
    /// Inline for the usual one or two attributes: tags are the most
    /// numerous facts of a side-by-side copy.
    pub attributes: SmallVec<[Attribute<'a>; 2]>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribute<'a> {
    /// Attribute name as written; `Tag::attribute` ignores case.
    pub name: &'a str,
    pub value: &'a str,
    /// Span of the value without its quotes.
    pub value_span: Range<usize>,
}

impl<'a> Tag<'a> {
    pub fn attribute(&self, name: &str) -> Option<&Attribute<'a>> {
        self.attributes.iter().find(|a| a.name.eq_ignore_ascii_case(name))
    }

    /// Whether this is a `name` tag (ASCII case-insensitive).
    pub fn is(&self, name: &str) -> bool {
        self.name.eq_ignore_ascii_case(name)
    }
}

/// Every well-formed tag in `fragment`, in order. Comments and malformed
/// tags are skipped. Quotes may be escaped as `\"`, as happens when a
/// segment span sits inside a quoted YAML front matter value.
pub fn tags(fragment: &str) -> impl Iterator<Item = Tag<'_>> {
    let mut position = 0;
    std::iter::from_fn(move || loop {
        let start = position + memchr::memchr(b'<', fragment.as_bytes().get(position..)?)?;
        position = start + 1;
        if fragment[start..].starts_with("<!--") {
            position = fragment[start..].find("-->").map_or(fragment.len(), |end| start + end + 3);
            continue;
        }
        if let Some(tag) = parse_tag(fragment, start) {
            position = tag.span.end;
            return Some(tag);
        }
    })
}

fn parse_tag(text: &str, start: usize) -> Option<Tag<'_>> {
    let bytes = text.as_bytes();
    let mut i = start + 1;
    let closing = bytes.get(i) == Some(&b'/');
    if closing {
        i += 1;
    }
    let name_start = i;
    while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'-') {
        i += 1;
    }
    if i == name_start || !bytes[name_start].is_ascii_alphabetic() {
        return None;
    }
    let name = &text[name_start..i];
    let mut attributes = SmallVec::new();
    loop {
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        match bytes.get(i)? {
            b'>' => return Some(Tag { name, closing, self_closing: false, span: start..i + 1, attributes }),
            b'/' if bytes.get(i + 1) == Some(&b'>') => {
                return Some(Tag { name, closing, self_closing: true, span: start..i + 2, attributes })
            }
            b'<' => return None,
            _ => {}
        }
        let attr_start = i;
        while i < bytes.len() && !matches!(bytes[i], b'=' | b'>' | b'/' | b'<') && !bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if i == attr_start {
            return None;
        }
        let attr_name = &text[attr_start..i];
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if bytes.get(i) != Some(&b'=') {
            attributes.push(Attribute { name: attr_name, value: "", value_span: i..i });
            continue;
        }
        i += 1;
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let escaped = bytes.get(i) == Some(&b'\\') && matches!(bytes.get(i + 1), Some(b'"' | b'\''));
        if escaped {
            i += 1;
        }
        let (value_start, value_end, next) = match bytes.get(i)? {
            quote @ (b'"' | b'\'') => {
                let value_start = i + 1;
                let closing_quote: &[u8] = if escaped { &[b'\\', *quote] } else { std::slice::from_ref(quote) };
                // A plain quote is one byte: memchr, not a substring search
                // set up for every attribute of every tag.
                let length = if escaped {
                    find_bytes(&bytes[value_start..], closing_quote)?
                } else {
                    memchr::memchr(*quote, &bytes[value_start..])?
                };
                let value_end = value_start + length;
                (value_start, value_end, value_end + closing_quote.len())
            }
            _ => {
                let value_start = i;
                while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'>' {
                    i += 1;
                }
                (value_start, i, i)
            }
        };
        attributes.push(Attribute {
            name: attr_name,
            value: &text[value_start..value_end],
            value_span: value_start..value_end,
        });
        i = next;
    }
}

fn find_bytes(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(haystack, needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_segment_span_attributes() {
        let text = r#"<span data-ttu-id="13291-104">x</span>"#;
        let found: Vec<_> = tags(text).collect();
        assert_eq!(found.len(), 2);
        let id = found[0].attribute("data-ttu-id").unwrap();
        assert_eq!(id.value, "13291-104");
        assert_eq!(&text[id.value_span.clone()], "13291-104");
        assert!(found[1].closing);
    }

    #[test]
    fn reads_escaped_quotes_from_yaml_strings() {
        let text = r#"title: "<span data-ttu-id=\"abcde-101\">T</span>""#;
        let tag = tags(text).next().unwrap();
        assert_eq!(tag.attribute("data-ttu-id").unwrap().value, "abcde-101");
    }

    #[test]
    fn skips_comments_and_broken_tags() {
        let text = "<!-- <a name=\"x\"> --> a < b <a name='y'/> <img src=z.png>";
        let found: Vec<_> = tags(text).collect();
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].attribute("name").unwrap().value, "y");
        assert!(found[0].self_closing);
        assert_eq!(found[1].attribute("src").unwrap().value, "z.png");
    }

    #[test]
    fn unterminated_tag_is_not_a_tag() {
        assert_eq!(tags("<span data-ttu-id=\"1").count(), 0);
    }
}
