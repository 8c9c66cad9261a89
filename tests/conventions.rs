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

/// A rule is marked fixable (`loclint rules`, `[*]`) exactly when its
/// fixtures have a finding with a fix.
#[test]
fn the_fixable_flag_of_each_rule_is_what_its_findings_carry() {
    let all_rules: Vec<String> = RULES.iter().map(|rule| rule.name.to_string()).collect();
    let mut fixed = std::collections::BTreeSet::new();
    for case in all_fixture_cases() {
        let report =
            common::lint(std::slice::from_ref(&case), Request { select: all_rules.clone(), ..Request::default() });
        fixed.extend(report.diagnostics.iter().filter(|diagnostic| diagnostic.fix.is_some()).map(|d| d.rule));
    }
    let marked: std::collections::BTreeSet<&str> =
        RULES.iter().filter(|rule| loclint::fix::is_fixable(rule)).map(|rule| rule.name).collect();
    assert_eq!(fixed, marked, "rules with fixes in their fixtures vs rules marked `fixable`");
}

/// `loclint.schema.json` (for editors and SchemaStore) is generated from
/// the config types and the rule registry; `LOCLINT_BLESS=1 cargo test
/// --test conventions` rewrites it.
#[test]
fn the_committed_config_schema_is_the_generated_one() {
    let path = common::repo_path("loclint.schema.json");
    let generated = loclint::config::json_schema();
    if std::env::var_os("LOCLINT_BLESS").is_some_and(|value| !value.is_empty() && value != "0") {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "loclint.schema.json is out of date (run `LOCLINT_BLESS=1 cargo test --test conventions` to rewrite it)"
    );
}

/// The schema accepts the configs loclint accepts and rejects what it rejects.
#[test]
fn the_config_schema_agrees_with_the_config_parser() {
    let schema: serde_json::Value = serde_json::from_str(&loclint::config::json_schema()).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("a valid JSON schema");
    let demo = std::fs::read_to_string(common::repo_path("fixtures/demo/loclint.toml")).unwrap();
    let good = [
        demo.as_str(),
        "source = \"en\"\nlocales = [\"ja\"]\nprofile = \"adobe\"\n[layout]\nkind = \"template\"\nsource = \"docs/{path}\"\ncopy = \"i18n/{locale}/{path}\"\n",
        "[layout]\nkind = \"roots\"\nsource-root = \"docs\"\n[history]\nenabled = false\n",
        "[rules]\nstale-hash = \"error\"\nmissing-translation = { severity = \"warning\" }\n[[overrides]]\npaths = [\"a/**\"]\nrules = { stale-hash = \"off\" }\n",
    ];
    let bad = [
        "sourse = \"en-us\"\n",
        "profile = \"microsoft\"\n",
        "[rules]\nstale-hsh = \"error\"\n",
        "[rules]\nstale-hash = \"eror\"\n",
        "[rules]\nstale-hash = { severity = \"error\", colour = 1 }\n",
        "[layout]\nkind = \"folders\"\n",
        "[[overrides]]\npaths = [\"a/**\"]\nrules = { stale-hash = { severity = \"off\", colour = 1 } }\n",
    ];
    for text in good {
        assert!(loclint::config::parse("loclint.toml", text).is_ok(), "the parser rejects {text:?}");
        let json = serde_json::to_value(toml::from_str::<toml::Value>(text).unwrap()).unwrap();
        let errors: Vec<String> = validator.iter_errors(&json).map(|error| error.to_string()).collect();
        assert!(errors.is_empty(), "the schema rejects {text:?}: {errors:?}");
    }
    for text in bad {
        assert!(loclint::config::parse("loclint.toml", text).is_err(), "the parser accepts {text:?}");
        let json = serde_json::to_value(toml::from_str::<toml::Value>(text).unwrap()).unwrap();
        assert!(!validator.is_valid(&json), "the schema accepts {text:?}");
    }
}
