//! `encoding-invalid`: a file that is not clean UTF-8.

use super::{Emitter, Group, Rule, RuleGroup};
use crate::diagnostic::Severity;
use crate::document::EncodingProblem;

pub static RULE: Rule = Rule {
    name: "encoding-invalid",
    group: RuleGroup::File,
    severity: Severity::Warning,
    enabled_by_default: true,
    summary: "a file is not valid UTF-8 (it is still checked, decoded lossily)",
    options: &[],
    doc: include_str!("../../rules/encoding-invalid.md"),
    check,
};

fn check(group: &Group<'_>, out: &mut Emitter<'_>) {
    for document in group.documents() {
        match document.encoding_problem {
            Some(EncodingProblem::InvalidUtf8 { offset }) => {
                // Everything before the first bad byte is valid UTF-8, so it
                // sits at the same place in the decoded text (less the BOM).
                let bom = if document.bom { 3 } else { 0 };
                let at = offset.saturating_sub(bom).min(document.text().len());
                out.report(
                    document,
                    at..at + '\u{FFFD}'.len_utf8(),
                    format!("file is not valid UTF-8: invalid byte at offset {offset}"),
                )
                .label("invalid byte")
                .help("save the file as UTF-8");
            }
            Some(EncodingProblem::Utf16) => {
                out.report_file(document, "file is UTF-16, not UTF-8")
                    .help("save the file as UTF-8; docs pipelines expect it");
            }
            None => {}
        }
    }
}
