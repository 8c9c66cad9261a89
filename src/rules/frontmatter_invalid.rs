//! `frontmatter-invalid`: front matter without its closing `---`, or not YAML.

use super::{Emitter, Group, Rule, RuleGroup};
use crate::diagnostic::Severity;
use crate::document::FrontMatterProblem;

pub static RULE: Rule = Rule {
    name: "frontmatter-invalid",
    group: RuleGroup::Metadata,
    severity: Severity::Error,
    enabled_by_default: true,
    summary: "front matter is missing its closing `---` or is not valid YAML",
    options: &[],
    doc: include_str!("../../rules/frontmatter-invalid.md"),
    check,
};

fn check(group: &Group<'_>, out: &mut Emitter<'_>) {
    for document in group.documents() {
        match &document.front_matter.problem {
            Some(FrontMatterProblem::Unclosed { opening }) => {
                out.report(document, opening.clone(), "front matter has no closing `---`")
                    .label("opened here")
                    .help("add a line `---` after the last front matter key");
            }
            Some(FrontMatterProblem::InvalidYaml { message, span }) => {
                out.report(document, span.clone(), format!("front matter is not valid YAML: {message}"))
                    .label("here")
                    .help("fix the YAML; quote values that contain `: `, `#` or start with a quote");
            }
            Some(FrontMatterProblem::NotMapping { span }) => {
                out.report(document, span.clone(), "front matter is not a mapping of keys to values")
                    .label("a list or a single value")
                    .help("write the front matter as `key: value` lines");
            }
            None => {}
        }
    }
}
