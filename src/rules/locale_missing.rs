//! `locale-missing`: a configured or requested locale has no files at all.
//!
//! The engine reports this once per run (it is about the tree, not about an
//! article), so the per-group check does nothing.

use super::{Emitter, Group, Rule, RuleGroup};
use crate::diagnostic::Severity;

pub static RULE: Rule = Rule {
    name: "locale-missing",
    group: RuleGroup::Corpus,
    severity: Severity::Warning,
    enabled_by_default: true,
    summary: "a locale given in `locales` or `--locale` has no files in the tree",
    options: &[],
    doc: include_str!("../../rules/locale-missing.md"),
    check,
};

fn check(_group: &Group<'_>, _out: &mut Emitter<'_>) {}
