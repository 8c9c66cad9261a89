//! `file-unreadable`: a file that could not be read or is not text.

use super::{Emitter, Group, Rule, RuleGroup};
use crate::diagnostic::Severity;
use crate::document::LoadProblem;

pub static RULE: Rule = Rule {
    name: "file-unreadable",
    group: RuleGroup::File,
    severity: Severity::Error,
    enabled_by_default: true,
    summary: "a file could not be read, is binary, or is over the size limit",
    options: &[],
    doc: include_str!("../../rules/file-unreadable.md"),
    check,
};

fn check(group: &Group<'_>, out: &mut Emitter<'_>) {
    for document in group.documents() {
        let Some(problem) = &document.load_problem else {
            continue;
        };
        match problem {
            LoadProblem::Unreadable(reason) => out
                .report_file(document, format!("cannot read file: {}", crate::discover::lowercase_first(reason)))
                .help("check the file's permissions, or exclude it in loclint.toml"),
            LoadProblem::Binary => out
                .report_file(document, "binary file: it contains NUL bytes, so it is not Markdown")
                .help("rename the file, or exclude it in loclint.toml"),
            LoadProblem::TooLarge { size, limit } => out
                .report_file(document, format!("file is {size} bytes, over the limit of {limit} bytes"))
                .help("raise `max-file-size` in loclint.toml if the file is meant to be this large"),
        };
    }
}
