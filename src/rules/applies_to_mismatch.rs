//! `applies-to-mismatch`: the "Applies to" list differs from the source's.

use std::collections::HashSet;

use super::{count, quoted, Emitter, Group, Rule, RuleGroup};
use crate::diagnostic::Severity;
use crate::document::text::plain_text;

pub static RULE: Rule = Rule {
    name: "applies-to-mismatch",
    group: RuleGroup::Structure,
    severity: Severity::Warning,
    enabled_by_default: true,
    summary: "the \"Applies to\" list differs from the source's (item count; in sxs copies, each item)",
    options: &[],
    doc: include_str!("../../rules/applies-to-mismatch.md"),
    check,
};

fn check(group: &Group<'_>, out: &mut Emitter<'_>) {
    for (source, copy) in group.pairs() {
        match (&source.facts.applies_to, &copy.facts.applies_to) {
            (None, None) => {}
            (Some(expected), None) => {
                out.report(
                    copy,
                    copy.body_start..copy.body_start,
                    format!(
                        "copy has no \"Applies to\" list; the source's has {}",
                        count(expected.items.len(), "item")
                    ),
                )
                .help("translate the source's \"Applies to\" label and list")
                .related(source, expected.label_span.clone(), "the source's list");
            }
            (None, Some(actual)) => {
                out.report(copy, actual.label_span.clone(), "copy has an \"Applies to\" list but the source has none")
                    .label("not in the source")
                    .help("remove the list, or re-translate the article from the current source");
            }
            (Some(expected), Some(actual)) => {
                let expected_items: Vec<String> = expected.items.iter().map(|item| plain_text(&item.text)).collect();
                let sxs = !actual.items.is_empty() && actual.items.iter().all(|item| item.source_text.is_some());
                let mut item_findings = 0;
                if sxs {
                    let actual_items: Vec<String> = actual
                        .items
                        .iter()
                        .map(|item| plain_text(item.source_text.as_deref().unwrap_or_default()))
                        .collect();
                    // Sets, not lists: a list can have 100,000 items.
                    let expected_set: HashSet<&String> = expected_items.iter().collect();
                    let actual_set: HashSet<&String> = actual_items.iter().collect();
                    for (item, text) in actual.items.iter().zip(&actual_items) {
                        if !expected_set.contains(text) {
                            item_findings += 1;
                            out.report(
                                copy,
                                item.span.clone(),
                                format!("\"Applies to\" item {} is not in the source", quoted(text)),
                            )
                            .label("not in the source's list")
                            .help("remove the item, or re-translate the list from the current source");
                        }
                    }
                    for (item, text) in expected.items.iter().zip(&expected_items) {
                        if !actual_set.contains(text) {
                            item_findings += 1;
                            let span = actual.items.last().map_or(actual.label_span.clone(), |last| last.span.clone());
                            out.report(
                                copy,
                                span,
                                format!("\"Applies to\" item {} of the source is missing", quoted(text)),
                            )
                            .label("list ends here")
                            .help("translate the missing item")
                            .related(source, item.span.clone(), "the source's item");
                        }
                    }
                }
                if item_findings == 0 && expected.items.len() != actual.items.len() {
                    out.report(
                        copy,
                        actual.label_span.clone(),
                        format!(
                            "\"Applies to\" list has {} but the source's has {}",
                            count(actual.items.len(), "item"),
                            expected.items.len()
                        ),
                    )
                    .label("this list")
                    .help("make the copy list the same products as the source")
                    .related(source, expected.label_span.clone(), "the source's list");
                }
            }
        }
    }
}
