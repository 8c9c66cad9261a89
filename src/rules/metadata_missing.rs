//! `metadata-missing`: a key the localization profile requires is absent.

use super::{Emitter, Group, Rule, RuleGroup};
use crate::diagnostic::Severity;

pub static RULE: Rule = Rule {
    name: "metadata-missing",
    group: RuleGroup::Metadata,
    severity: Severity::Warning,
    enabled_by_default: true,
    summary: "a front matter key the profile requires is absent from a copy",
    options: &[],
    doc: include_str!("../../rules/metadata-missing.md"),
    check,
};

fn check(group: &Group<'_>, out: &mut Emitter<'_>) {
    let source_has_front_matter = group.checked_source().is_some_and(|source| source.front_matter.present);
    for copy in group.checked_copies() {
        // Include files often have no front matter in any locale.
        if (!copy.front_matter.present && !source_has_front_matter) || copy.front_matter.problem.is_some() {
            continue;
        }
        let missing: Vec<String> = group
            .profile
            .required_keys
            .iter()
            .filter(|key| copy.meta(key).is_none())
            .map(|key| format!("`{key}`"))
            .collect();
        if missing.is_empty() {
            continue;
        }
        let span = if copy.front_matter.present { 0..3 } else { 0..0 };
        let noun = if missing.len() == 1 { "key" } else { "keys" };
        out.report(copy, span, format!("front matter lacks the {} {noun} {}", group.profile.name, missing.join(", ")))
            .label("in this front matter")
            .help("re-run the localization handoff for this file, or add the keys it writes");
    }
}
