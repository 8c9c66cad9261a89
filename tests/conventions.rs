//! Conventions enforced by tests rather than by review.

mod common;

use std::path::PathBuf;

use loclint::{Request, RULES};

fn all_fixture_cases() -> Vec<PathBuf> {
    let mut cases = Vec::new();
    for rule in std::fs::read_dir(common::repo_path("fixtures")).unwrap().flatten() {
        if !rule.path().is_dir() || rule.file_name() == "demo" {
            continue;
        }
        for case in std::fs::read_dir(rule.path()).unwrap().flatten() {
            if case.path().is_dir() {
                cases.push(case.path());
            }
        }
    }
    cases.sort();
    cases
}

#[test]
fn rule_names_are_kebab_case_and_each_has_its_own_file() {
    for rule in RULES {
        assert!(
            rule.name.chars().all(|c| c.is_ascii_lowercase() || c == '-') && !rule.name.starts_with('-'),
            "rule name `{}` is not kebab-case",
            rule.name
        );
        let file = common::repo_path("src/rules").join(format!("{}.rs", rule.name.replace('-', "_")));
        assert!(file.is_file(), "rule `{}` has no file {}", rule.name, file.display());
        assert!(!rule.summary.ends_with('.'), "summary of `{}` ends with a period", rule.name);
    }
}

#[test]
fn messages_start_lowercase_and_do_not_end_with_a_period() {
    let all_rules: Vec<String> = RULES.iter().map(|rule| rule.name.to_string()).collect();
    let mut problems = Vec::new();
    for case in all_fixture_cases() {
        let report =
            common::lint(std::slice::from_ref(&case), Request { select: all_rules.clone(), ..Request::default() });
        for diagnostic in &report.diagnostics {
            let message = &diagnostic.message;
            let first = message.chars().next().unwrap_or(' ');
            if first.is_uppercase() || message.ends_with('.') || message.trim() != message {
                problems.push(format!("{}: [{}] {message}", case.display(), diagnostic.rule));
            }
            if let Some(help) = &diagnostic.help {
                if help.ends_with('.') {
                    problems.push(format!("{}: [{}] help ends with a period: {help}", case.display(), diagnostic.rule));
                }
            }
        }
    }
    assert!(problems.is_empty(), "messages that break the style:\n{}", problems.join("\n"));
}
