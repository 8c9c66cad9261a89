//! Runs every fixture case under `fixtures/<rule>/<case>/` and snapshots its
//! findings. Cases named `ok-*` must produce no finding at all; `bad-*` cases
//! must produce at least one from their rule.

mod common;

use std::path::{Path, PathBuf};

use loclint::{Request, RULES};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    description: String,
    /// Rules to turn on for this case besides the defaults (for rules that
    /// are off by default).
    #[serde(default)]
    enable: Vec<String>,
}

fn case_dirs(rule: &str) -> Vec<PathBuf> {
    let folder = common::repo_path("fixtures").join(rule);
    let Ok(entries) = std::fs::read_dir(&folder) else {
        return Vec::new();
    };
    let mut dirs: Vec<PathBuf> = entries.flatten().map(|e| e.path()).filter(|p| p.is_dir()).collect();
    dirs.sort();
    dirs
}

fn read_case(dir: &Path) -> Case {
    let path = dir.join("case.yaml");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn run_case(rule: &str, dir: &Path) -> String {
    let case = read_case(dir);
    assert!(!case.description.trim().is_empty(), "{}: empty description", dir.display());
    let mut select: Vec<String> =
        RULES.iter().filter(|rule| rule.enabled_by_default).map(|rule| rule.name.to_string()).collect();
    select.extend(case.enable.iter().cloned());
    select.push(rule.to_string());
    let report = common::lint(&[dir.to_path_buf()], Request { select, ..Request::default() });
    let output = common::concise(&report);
    let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    if name.starts_with("ok-") {
        assert_eq!(output, "", "{rule}/{name} must produce no finding");
    } else if name.starts_with("bad-") {
        assert!(
            report.diagnostics.iter().any(|d| d.rule == rule),
            "{rule}/{name} must produce a `{rule}` finding, got:\n{output}"
        );
    } else {
        panic!("fixture case {} must be named ok-* or bad-*", dir.display());
    }
    output
}

#[test]
fn fixture_cases() {
    let mut failures = Vec::new();
    for rule in RULES {
        for dir in case_dirs(rule.name) {
            let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
            let output = run_case(rule.name, &dir);
            let mut settings = insta::Settings::clone_current();
            settings.set_snapshot_path("snapshots/fixtures");
            settings.set_prepend_module_to_snapshot(false);
            settings.set_description(read_case(&dir).description);
            settings.set_omit_expression(true);
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                settings.bind(|| insta::assert_snapshot!(format!("{}__{}", rule.name, name), output));
            }));
            if result.is_err() {
                failures.push(format!("{}/{}", rule.name, name));
            }
        }
    }
    assert!(failures.is_empty(), "snapshot mismatches: {failures:?}");
}

#[test]
fn every_rule_has_ok_and_bad_cases() {
    let mut missing = Vec::new();
    for rule in RULES {
        let names: Vec<String> =
            case_dirs(rule.name).iter().filter_map(|d| d.file_name()?.to_str().map(String::from)).collect();
        for prefix in ["ok-", "bad-"] {
            if !names.iter().any(|n| n.starts_with(prefix)) {
                missing.push(format!("fixtures/{}/{prefix}*", rule.name));
            }
        }
    }
    assert!(missing.is_empty(), "missing fixture cases: {missing:?}");
}

#[test]
fn fixture_folders_name_rules() {
    let mut unknown = Vec::new();
    for entry in std::fs::read_dir(common::repo_path("fixtures")).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.path().is_dir() && name != "demo" && loclint::rules::find(&name).is_none() {
            unknown.push(name);
        }
    }
    assert!(unknown.is_empty(), "fixture folders that name no rule: {unknown:?}");
}

#[test]
fn no_orphan_snapshots() {
    let dir = common::repo_path("tests/snapshots/fixtures");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return;
    };
    let mut orphans = Vec::new();
    for entry in entries.flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        let Some(stem) = file.strip_suffix(".snap") else {
            continue;
        };
        let Some((rule, case)) = stem.split_once("__") else {
            orphans.push(file);
            continue;
        };
        if !common::repo_path("fixtures").join(rule).join(case).is_dir() {
            orphans.push(file);
        }
    }
    assert!(orphans.is_empty(), "snapshots without a fixture case: {orphans:?}");
}
