//! `unused-suppression`: a `loclint-disable` comment that suppresses nothing.
//!
//! Whether a suppression was used is known only after every other rule ran,
//! so the engine reports this (see `suppress.rs`); the group check is empty.

use super::{Emitter, Group, Rule, RuleGroup};
use crate::diagnostic::Severity;

pub static RULE: Rule = Rule {
    name: "unused-suppression",
    group: RuleGroup::File,
    severity: Severity::Warning,
    enabled_by_default: true,
    summary: "a `loclint-disable` comment suppresses nothing, or names an unknown rule",
    options: &[],
    doc: include_str!("../../rules/unused-suppression.md"),
    check,
};

fn check(_group: &Group<'_>, _out: &mut Emitter<'_>) {}
