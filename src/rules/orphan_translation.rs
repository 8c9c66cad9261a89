//! `orphan-translation`: a copy whose source file does not exist.

use super::{quoted, Emitter, Group, Rule, RuleGroup};
use crate::diagnostic::Severity;
use crate::history::{short, Outcome};

pub static RULE: Rule = Rule {
    name: "orphan-translation",
    group: RuleGroup::Corpus,
    severity: Severity::Warning,
    enabled_by_default: true,
    summary: "a localized copy whose source file does not exist",
    options: &[],
    doc: include_str!("../../rules/orphan-translation.md"),
    check,
};

fn check(group: &Group<'_>, out: &mut Emitter<'_>) {
    let expected = group.path_in(group.source_locale);
    // A source in a folder the walk could not list may well exist.
    if group.source.is_some() || group.is_unwalked(&expected) {
        return;
    }
    // History says what became of the source, when it has it.
    let (message, fate_help) = match group.source_fate {
        Some(fate) => {
            let when = format!(
                "`{}` on {}",
                short(&fate.commit),
                gix::date::Time::new(fate.time, 0).format_or_unix(gix::date::time::format::SHORT)
            );
            match &fate.outcome {
                Outcome::Renamed(renamed) => (
                    format!("copy has no source: {} was renamed to {} in {when}", quoted(&expected), quoted(renamed)),
                    Some(format!("move the copy to match {}", quoted(renamed))),
                ),
                Outcome::Deleted { renamed: Some(renamed) } => (
                    format!(
                        "copy has no source: {} was renamed to {}, which was deleted in {when}",
                        quoted(&expected),
                        quoted(renamed)
                    ),
                    Some("delete the copy: its article was removed from the source".to_string()),
                ),
                Outcome::Deleted { renamed: None } => (
                    format!("copy has no source: {} was deleted in {when}", quoted(&expected)),
                    Some("delete the copy: its article was removed from the source".to_string()),
                ),
            }
        }
        None => (format!("copy has no source: {} does not exist", quoted(&expected)), None),
    };
    for copy in group.copies {
        // The copy's asset id may name the source under its new name.
        let renamed = group
            .profile
            .assetid_key
            .and_then(|key| copy.meta(key))
            .and_then(|id| group.corpus.source_with_assetid(id.value));
        let help = match (renamed, &fate_help) {
            (Some(source), _) => {
                format!("its `ms.assetid` is the id of {}: move the copy to match that source", quoted(source))
            }
            (None, Some(help)) => help.clone(),
            (None, None) => {
                "delete the copy if the article was removed, or move it to match the renamed source".to_string()
            }
        };
        out.report_file(copy, message.clone()).help(help);
    }
}
