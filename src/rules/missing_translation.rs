//! `missing-translation`: a source with no copy in an expected locale.

use super::{quoted, Emitter, Group, Rule, RuleGroup};
use crate::diagnostic::Severity;

pub static RULE: Rule = Rule {
    name: "missing-translation",
    group: RuleGroup::Corpus,
    severity: Severity::Warning,
    enabled_by_default: false,
    summary: "a source file has no copy in a configured locale",
    options: &[],
    doc: include_str!("../../rules/missing-translation.md"),
    check,
};

fn check(group: &Group<'_>, out: &mut Emitter<'_>) {
    let Some(source) = group.source else {
        return;
    };
    for locale in group.expected_locales {
        let path = group.path_in(locale);
        // A copy in a folder the walk could not list may well exist.
        if group.copies.iter().any(|copy| copy.locale == *locale) || group.is_unwalked(&path) {
            continue;
        }
        out.report_file(source, format!("article has no {} copy: {} does not exist", quoted(locale), quoted(&path)))
            .help("hand the article off for translation, or remove the locale from `locales`");
    }
}
