//! `code-block-mismatch`: the copy's code blocks differ from the source's.

use super::{count, quoted, Emitter, Group, Rule, RuleGroup};
use crate::diagnostic::Severity;
use crate::document::markdown::CodeBlock;

pub static RULE: Rule = Rule {
    name: "code-block-mismatch",
    group: RuleGroup::Structure,
    severity: Severity::Warning,
    enabled_by_default: true,
    summary: "code blocks differ from the source's in number, language or content",
    options: &[],
    doc: include_str!("../../rules/code-block-mismatch.md"),
    check,
};

fn check(group: &Group<'_>, out: &mut Emitter<'_>) {
    for (source, copy) in group.pairs() {
        let (ours, theirs) = (&copy.facts.code_blocks, &source.facts.code_blocks);
        if ours.len() != theirs.len() {
            let span = ours.first().map_or(copy.body_start..copy.body_start, |block| first_line(copy.text(), block));
            let mut diagnostic = out.report(
                copy,
                span,
                format!("copy has {} but the source has {}", count(ours.len(), "code block"), theirs.len()),
            );
            let label = if ours.is_empty() { "the copy has no code block" } else { "first code block" };
            diagnostic = diagnostic.label(label).help("copy the code blocks from the source unchanged");
            if let Some(block) = theirs.first() {
                diagnostic.related(source, first_line(source.text(), block), "the source's first code block");
            }
            continue;
        }
        for (block, source_block) in ours.iter().zip(theirs) {
            if block.info != source_block.info {
                out.report(
                    copy,
                    first_line(copy.text(), block),
                    format!(
                        "code block language is {} but the source's is {}",
                        quoted(&block.info),
                        quoted(&source_block.info)
                    ),
                )
                .label("differs from the source")
                .help("use the source's info string")
                .related(source, first_line(source.text(), source_block), "the source's block");
            } else if let Some(line) = first_difference(&block.content, &source_block.content) {
                out.report(
                    copy,
                    first_line(copy.text(), block),
                    format!("code block differs from the source's, first at its line {line}"),
                )
                .label("differs from the source")
                .help("copy the code from the source; translate only comments your style guide allows")
                .related(source, first_line(source.text(), source_block), "the source's block");
            }
        }
    }
}

/// 1-based line of the first difference, ignoring trailing whitespace and
/// line endings.
fn first_difference(ours: &str, theirs: &str) -> Option<usize> {
    let mut ours = ours.lines().map(str::trim_end);
    let mut theirs = theirs.lines().map(str::trim_end);
    let mut line = 1;
    loop {
        match (ours.next(), theirs.next()) {
            (None, None) => return None,
            (a, b) if a == b => line += 1,
            _ => return Some(line),
        }
    }
}

fn first_line(text: &str, block: &CodeBlock) -> std::ops::Range<usize> {
    let raw = &text[block.span.clone()];
    let end = raw.find(['\r', '\n']).unwrap_or(raw.len());
    block.span.start..block.span.start + end
}

#[cfg(test)]
mod tests {
    #[test]
    fn first_difference_ignores_line_endings() {
        assert_eq!(super::first_difference("a\r\nb\n", "a\nb"), None);
        assert_eq!(super::first_difference("a\nc\n", "a\nb\n"), Some(2));
        assert_eq!(super::first_difference("a\n", "a\nb\n"), Some(2));
    }
}
