//! `assetid-mismatch`: the copy's asset id differs from its source's.

use super::{line_ending_at, quoted, requote, Emitter, Group, Rule, RuleGroup};
use crate::diagnostic::Severity;

pub static RULE: Rule = Rule {
    name: "assetid-mismatch",
    group: RuleGroup::Metadata,
    severity: Severity::Error,
    enabled_by_default: true,
    summary: "`ms.assetid` differs from the source's, or is missing while the source has one",
    options: &[],
    doc: include_str!("../../rules/assetid-mismatch.md"),
    check,
};

fn check(group: &Group<'_>, out: &mut Emitter<'_>) {
    let Some(key) = group.profile.assetid_key else {
        return;
    };
    // The id names the article, not a version of its text: a copy takes
    // today's id even when it was translated from an older source.
    for (source, copy) in group.current_pairs() {
        // A source whose id is blank (`ms.assetid:`) has none to compare.
        let Some(expected) = source.meta(key).filter(|expected| !expected.value.trim().is_empty()) else {
            continue;
        };
        if copy.front_matter.problem.is_some() {
            continue;
        }
        match copy.meta(key) {
            None => {
                let span = if copy.front_matter.present { 0..3 } else { 0..0 };
                let diagnostic = out
                    .report(copy, span, format!("`{key}` is missing; the source's is {}", quoted(expected.value)))
                    .help(format!("add `{key}: {}` to the front matter", expected.value))
                    .related(source, expected.value_span.clone(), "the source's id");
                if copy.front_matter.present {
                    // Insert the key right after the opening `---` line.
                    let ending = line_ending_at(copy.text(), 0);
                    let at = copy.front_matter.yaml_span.start;
                    diagnostic.fix(at..at, format!("{key}: {}{ending}", expected.value));
                }
            }
            Some(actual) if actual.value.is_empty() => {
                let shape = value_shape(copy.text(), actual.value_span.clone());
                let span =
                    if actual.value_span.is_empty() { actual.key_span.clone() } else { actual.value_span.clone() };
                out.report(
                    copy,
                    span,
                    format!("`{key}` is {shape}, but the source's is the single id {}", quoted(expected.value)),
                )
                .label(format!("{shape} here"))
                .help(format!("write one value, as the source does: `{key}: {}`", expected.value))
                .related(source, expected.value_span.clone(), "the source's id");
            }
            Some(actual) if !actual.value.eq_ignore_ascii_case(expected.value) => {
                let owner =
                    group.corpus.source_with_assetid(actual.value).filter(|owner| *owner != source.display_path());
                let help = match owner {
                    Some(owner) => {
                        format!("this id belongs to {}: the copy was probably renamed or misplaced", quoted(owner))
                    }
                    None => format!("set it to the source's id, {}", quoted(expected.value)),
                };
                out.report(
                    copy,
                    actual.value_span.clone(),
                    format!("`{key}` is {} but the source's is {}", quoted(actual.value), quoted(expected.value)),
                )
                .label("differs from the source")
                .help(help)
                .related(source, expected.value_span.clone(), "the source's id");
                // An id that names another article means the copy may be
                // misplaced: rewriting it would hide that, so no fix then.
                if owner.is_none() {
                    let replacement = requote(&copy.text()[actual.value_span.clone()], expected.value);
                    out.last().fix(actual.value_span.clone(), replacement);
                }
            }
            Some(_) => {}
        }
    }
}

/// What a front matter value with no scalar text is: `a list`, `a map`, or
/// `empty`. The entry keeps no text for nested values, so the value as
/// written on the key's line, or the line after it, tells.
fn value_shape(text: &str, value_span: std::ops::Range<usize>) -> &'static str {
    let on_line = text.get(value_span.clone()).unwrap_or_default().trim();
    match on_line.chars().next() {
        Some('[') => return "a list",
        Some('{') => return "a map",
        Some(_) => return "empty",
        None => {}
    }
    let next_line = text
        .get(value_span.end..)
        .and_then(|rest| rest.split_once('\n'))
        .and_then(|(_, after)| after.lines().find(|line| !line.trim().is_empty()))
        .unwrap_or_default();
    let indented = next_line.starts_with([' ', '\t']);
    match next_line.trim_start() {
        item if item.starts_with("- ") || item == "-" => "a list",
        entry if indented && entry.contains(':') => "a map",
        _ => "empty",
    }
}
