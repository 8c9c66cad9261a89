//! `stale-hash`: the copy was translated from an older version of its source.

use super::{quoted, Emitter, Group, Rule, RuleGroup};
use crate::diagnostic::Severity;
use crate::document::Document;

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
        if !is_hash_of(source, &hash.value) {
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

/// Whether `value` (an `ms.openlocfilehash`) is the SHA-1 of `source`, as
/// stored or as the pipeline's checkout had it.
pub fn is_hash_of(source: &Document, value: &str) -> bool {
    let value = value.trim();
    value.eq_ignore_ascii_case(&source.sha1) || other_line_endings_hash_to(source, value)
}

/// Whether the source with its line endings converted (LF to CRLF, or CRLF
/// to LF) hashes to `value`. The pipeline hashes its own checkout of the
/// source, and on Windows that has CRLF line endings where the repository
/// has LF: such a copy is current. Computed only for a hash that differs.
fn other_line_endings_hash_to(source: &Document, value: &str) -> bool {
    if source.encoding_problem.is_some() {
        return false;
    }
    let text = source.text();
    let lf = text.replace("\r\n", "\n");
    let converted = if lf.len() == text.len() { lf.replace('\n', "\r\n") } else { lf };
    let mut hasher = sha1_smol::Sha1::new();
    if source.bom {
        hasher.update("\u{feff}".as_bytes());
    }
    hasher.update(converted.as_bytes());
    hasher.digest().to_string().eq_ignore_ascii_case(value)
}
