//! `<!-- loclint-disable … -->` comments.

use std::ops::Range;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SuppressionKind {
    /// `loclint-disable`: from here until a matching `loclint-enable`.
    Disable,
    /// `loclint-enable`: ends a `loclint-disable`.
    Enable,
    /// `loclint-disable-next-line`: the line after the comment.
    NextLine,
    /// `loclint-disable-file`: the whole file.
    File,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    pub kind: SuppressionKind,
    /// Rule names with their spans; empty means every rule.
    pub rules: Vec<(String, Range<usize>)>,
    /// The whole comment.
    pub span: Range<usize>,
}

/// Reads the suppression in an HTML comment at `span` of `text`, if any.
pub fn parse(text: &str, span: Range<usize>) -> Option<Suppression> {
    let comment = &text[span.clone()];
    let inner_start = comment.find("<!--")? + 4;
    let inner_end = comment.rfind("-->").filter(|end| *end >= inner_start)?;
    let inner = &comment[inner_start..inner_end];
    let directive_start = inner.len() - inner.trim_start().len();
    let directive = inner.trim_start();
    let (kind, keyword) = [
        (SuppressionKind::NextLine, "loclint-disable-next-line"),
        (SuppressionKind::File, "loclint-disable-file"),
        (SuppressionKind::Disable, "loclint-disable"),
        (SuppressionKind::Enable, "loclint-enable"),
    ]
    .into_iter()
    .find(|(_, keyword)| {
        directive.strip_prefix(keyword).is_some_and(|rest| rest.is_empty() || rest.starts_with(char::is_whitespace))
    })?;
    let list_offset = span.start + inner_start + directive_start + keyword.len();
    let list = &directive[keyword.len()..];
    let mut rules = Vec::new();
    let mut position = 0;
    for word in list.split(|c: char| c.is_whitespace() || c == ',') {
        let at = list[position..].find(word).map_or(position, |i| position + i);
        position = at + word.len();
        if !word.is_empty() {
            rules.push((word.to_string(), list_offset + at..list_offset + at + word.len()));
        }
    }
    Some(Suppression { kind, rules, span })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_each_form() {
        let text = "<!-- loclint-disable-next-line stale-hash, link-target-mismatch -->";
        let suppression = parse(text, 0..text.len()).unwrap();
        assert_eq!(suppression.kind, SuppressionKind::NextLine);
        let names: Vec<_> = suppression.rules.iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(names, ["stale-hash", "link-target-mismatch"]);
        let (_, span) = &suppression.rules[1];
        assert_eq!(&text[span.clone()], "link-target-mismatch");

        let text = "<!--loclint-disable-->";
        let suppression = parse(text, 0..text.len()).unwrap();
        assert_eq!(suppression.kind, SuppressionKind::Disable);
        assert!(suppression.rules.is_empty());

        let text = "<!-- loclint-disable-file anchor-mismatch -->";
        assert_eq!(parse(text, 0..text.len()).unwrap().kind, SuppressionKind::File);
        let text = "<!-- loclint-enable -->";
        assert_eq!(parse(text, 0..text.len()).unwrap().kind, SuppressionKind::Enable);
    }

    #[test]
    fn other_comments_are_not_suppressions() {
        let text = "<!-- loclint-disabled x --><!-- a note -->";
        assert_eq!(parse(text, 0..27), None);
        assert_eq!(parse(text, 27..text.len()), None);
    }
}
