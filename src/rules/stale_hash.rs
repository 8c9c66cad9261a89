//! `stale-hash`: the copy was translated from an older version of its source.

use super::{quoted, Emitter, Group, Rule, RuleGroup};
use crate::diagnostic::Severity;

pub static RULE: Rule = Rule {
    name: "stale-hash",
    group: RuleGroup::Metadata,
    severity: Severity::Warning,
    enabled_by_default: true,
    summary: "`ms.openlocfilehash` differs from the SHA-1 of the current source bytes",
    options: &[],
    doc: include_str!("../../rules/stale-hash.md"),
    check,
};

fn check(group: &Group<'_>, out: &mut Emitter<'_>) {
    let Some(key) = group.profile.hash_key else {
        return;
    };
    for (source, copy) in group.pairs() {
        let Some(hash) = copy.meta(key) else {
            continue;
        };
        if !hash.value.trim().eq_ignore_ascii_case(&source.sha1) {
            out.report(
                copy,
                hash.value_span.clone(),
                format!(
                    "copy was translated from another version of the source: `{key}` is {} but the source's SHA-1 is {}",
                    quoted(&hash.value),
                    quoted(&source.sha1)
                ),
            )
            .label("not the current source's hash")
            .help("update the translation from the current source, then set the hash to the source's SHA-1");
        }
    }
}
