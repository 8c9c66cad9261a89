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
    for (source, copy) in group.pairs() {
        let Some(expected) = source.meta(key) else {
            continue;
        };
        if copy.front_matter.problem.is_some() {
            continue;
        }
        match copy.meta(key) {
            None => {
                let span = if copy.front_matter.present { 0..3 } else { 0..0 };
                let diagnostic = out
                    .report(copy, span, format!("`{key}` is missing; the source's is {}", quoted(&expected.value)))
                    .help(format!("add `{key}: {}` to the front matter", expected.value))
                    .related(source, expected.value_span.clone(), "the source's id");
                if copy.front_matter.present {
                    // Insert the key right after the opening `---` line.
                    let ending = line_ending_at(copy.text(), 0);
                    let at = copy.front_matter.yaml_span.start;
                    diagnostic.fix(at..at, format!("{key}: {}{ending}", expected.value));
                }
            }
            Some(actual) if !actual.value.eq_ignore_ascii_case(&expected.value) => {
                let owner =
                    group.corpus.source_with_assetid(&actual.value).filter(|owner| *owner != source.display_path());
                let help = match owner {
                    Some(owner) => {
                        format!("this id belongs to {}: the copy was probably renamed or misplaced", quoted(owner))
                    }
                    None => format!("set it to the source's id, {}", quoted(&expected.value)),
                };
                out.report(
                    copy,
                    actual.value_span.clone(),
                    format!("`{key}` is {} but the source's is {}", quoted(&actual.value), quoted(&expected.value)),
                )
                .label("differs from the source")
                .help(help)
                .related(source, expected.value_span.clone(), "the source's id");
                // An id that names another article means the copy may be
                // misplaced: rewriting it would hide that, so no fix then.
                if owner.is_none() {
                    let replacement = requote(&copy.text()[actual.value_span.clone()], &expected.value);
                    out.last().fix(actual.value_span.clone(), replacement);
                }
            }
            Some(_) => {}
        }
    }
}
