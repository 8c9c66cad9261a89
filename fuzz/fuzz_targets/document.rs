//! Arbitrary bytes through `Document::parse`; every fact's span must lie on
//! character boundaries of the decoded text and map to a position.
#![no_main]

use std::ops::Range;
use std::path::Path;

use libfuzzer_sys::fuzz_target;
use loclint::document::{suppressions, Document, FrontMatterProblem};

fuzz_target!(|bytes: &[u8]| {
    let document = Document::parse(Path::new("ja-jp/article.md"), "ja-jp/article.md".into(), "ja-jp".into(), bytes);
    let spans = Spans { document: &document };
    let front = &document.front_matter;
    spans.check("front matter", &front.yaml_span);
    for entry in front.entries(document.text()) {
        spans.check("front matter key", &entry.key_span);
        spans.check("front matter value", &entry.value_span);
        std::hint::black_box((&entry.key, &entry.value));
    }
    match &front.problem {
        Some(FrontMatterProblem::Unclosed { opening }) => spans.check("unclosed front matter", opening),
        Some(FrontMatterProblem::InvalidYaml { span, message }) => {
            spans.check("invalid yaml", span);
            std::hint::black_box(message);
        }
        Some(FrontMatterProblem::NotMapping { span }) => spans.check("front matter not a mapping", span),
        None => {}
    }
    assert!(document.body_start <= document.text().len(), "body start past the end");
    assert!(document.text().is_char_boundary(document.body_start), "body start inside a character");
    let facts = &document.facts;
    for link in &facts.links {
        spans.check("link", &link.span);
        std::hint::black_box((link.kind.describe(), &link.destination));
    }
    for anchor in &facts.anchors {
        spans.check("anchor", &anchor.span);
    }
    for heading in &facts.headings {
        spans.check("heading", &heading.span);
        std::hint::black_box((heading.level, &heading.text));
    }
    for block in &facts.code_blocks {
        spans.check("code block", &block.span);
        std::hint::black_box((&block.info, &block.content));
    }
    if let Some(applies) = &facts.applies_to {
        spans.check("applies-to label", &applies.label_span);
        for item in &applies.items {
            spans.check("applies-to item", &item.span);
            std::hint::black_box((&item.text, &item.source_text));
        }
    }
    let segments = &facts.segments;
    for pair in &segments.pairs {
        std::hint::black_box(pair.number());
        for span in [&pair.translated, &pair.lookup] {
            spans.check("segment tag", &span.tag_span);
            spans.check("segment id", &span.id_span);
            spans.check("segment content", &span.content);
        }
    }
    for span in &segments.unpaired {
        spans.check("unpaired segment tag", &span.tag_span);
        spans.check("unpaired segment id", &span.id_span);
        spans.check("unpaired segment content", &span.content);
    }
    for comment in &facts.comments {
        spans.check("comment", comment);
        if let Some(suppression) = suppressions::parse(document.text(), comment.clone()) {
            spans.check("suppression", &suppression.span);
            for (_, span) in &suppression.rules {
                spans.check("suppressed rule", span);
            }
        }
    }
});

struct Spans<'a> {
    document: &'a Document,
}

impl Spans<'_> {
    /// Panics (a finding) when `span` is reversed, past the end of the text
    /// or not on character boundaries, or when its positions are not ordered.
    fn check(&self, what: &str, span: &Range<usize>) {
        let text = self.document.text();
        assert!(span.start <= span.end, "{what} span {span:?} is reversed");
        assert!(span.end <= text.len(), "{what} span {span:?} ends past the text ({} bytes)", text.len());
        // Slicing panics on a span that is not on character boundaries.
        std::hint::black_box(&text[span.clone()]);
        let start = self.document.file.position(span.start);
        let end = self.document.file.position(span.end);
        assert!(start <= end, "{what} span {span:?}: start {start:?} after end {end:?}");
    }
}
