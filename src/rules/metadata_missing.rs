//! `metadata-missing`: a key the localization profile requires is absent.

use super::{quoted, Emitter, Group, Rule, RuleGroup};
use crate::diagnostic::Severity;
use crate::document::Document;

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
        let missing: Vec<&str> = group
            .profile
            .required_keys
            .iter()
            .copied()
            .filter(|key| copy.meta(key).is_none() && !has_former_name(group, copy, key))
            .filter(|key| !omitted_by_pipeline(group, copy, key))
            .collect();
        if missing.is_empty() {
            continue;
        }
        let span = if copy.front_matter.present { 0..3 } else { 0..0 };
        let noun = if missing.len() == 1 { "key" } else { "keys" };
        let listed: Vec<String> = missing.iter().map(|key| format!("`{key}`")).collect();
        let diagnostic = out
            .report(copy, span, format!("front matter lacks the {} {noun} {}", group.profile.name, listed.join(", ")))
            .label("in this front matter");
        let optional_only = missing.iter().all(|key| group.profile.optional_in_handoff.contains(key));
        let example = missing.iter().find_map(|key| {
            let peer = group.checked_copies().find(|peer| peer.meta(key).is_some())?;
            Some((key, peer.meta(key)?.value, peer.display_path()))
        });
        match example {
            Some((key, value, peer)) if optional_only => diagnostic.help(format!(
                "the other copies of this article carry it (`{key}: {value}` in {}): add it as the pipeline wrote it for this copy's handoff",
                quoted(peer)
            )),
            _ => diagnostic.help("re-run the localization handoff for this file, or add the keys it writes"),
        };
    }
}

/// Whether `copy` carries `key` under a name the pipeline gave it before.
fn has_former_name(group: &Group<'_>, copy: &Document, key: &str) -> bool {
    group.profile.former_names.iter().any(|&(current, former)| current == key && copy.meta(former).is_some())
}

/// A key the pipeline writes only in some handoffs (`ms.lasthandoff`) that
/// no copy of the article has, in a copy the pipeline wrote (it has the
/// pipeline's other keys): the whole handoff went without it, and no
/// translator can supply it.
fn omitted_by_pipeline(group: &Group<'_>, copy: &Document, key: &str) -> bool {
    let optional = group.profile.optional_in_handoff;
    let written_by_pipeline =
        group.profile.required_keys.iter().any(|other| !optional.contains(other) && copy.meta(other).is_some());
    optional.contains(&key) && written_by_pipeline && group.checked_copies().all(|peer| peer.meta(key).is_none())
}
