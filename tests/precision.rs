//! The precision check: every fixture case lists, in `expected-findings.tsv`,
//! each finding a reviewer has signed (rule, path, line). A finding that is
//! not listed fails the test, and so does a listed one that is gone, so a
//! false positive cannot creep in unnoticed behind a snapshot update.
//!
//! The demo tree's list is `fixtures/demo/DEFECTS.md`, checked the same way
//! by `tests/demo.rs`.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use loclint::{Request, RULES};

const FILE_NAME: &str = "expected-findings.tsv";

/// `(rule, path, line)` of one finding.
type Finding = (String, String, usize);

fn case_dirs() -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    for rule in std::fs::read_dir(common::repo_path("fixtures")).expect("read fixtures/").flatten() {
        if !rule.path().is_dir() || rule.file_name() == "demo" {
            continue;
        }
        for case in std::fs::read_dir(rule.path()).expect("read a rule's fixtures").flatten() {
            if case.path().is_dir() {
                dirs.push(case.path());
            }
        }
    }
    dirs.sort();
    dirs
}

/// Rows `rule<TAB>path<TAB>line` after a header row; `#` starts a comment.
fn expected(dir: &Path) -> Result<BTreeSet<Finding>, String> {
    let path = dir.join(FILE_NAME);
    let text = std::fs::read_to_string(&path).map_err(|error| format!("{}: {error}", path.display()))?;
    let mut rows = text.lines().filter(|line| !line.trim().is_empty() && !line.starts_with('#'));
    if rows.next() != Some("rule\tpath\tline") {
        return Err(format!("{}: the first row must be `rule<TAB>path<TAB>line`", path.display()));
    }
    rows.map(|row| match row.split('\t').collect::<Vec<_>>()[..] {
        [rule, file, line] => match line.parse() {
            Ok(line) => Ok((rule.to_string(), file.to_string(), line)),
            Err(_) => Err(format!("{}: bad line number in {row:?}", path.display())),
        },
        _ => Err(format!("{}: {row:?} is not three tab-separated cells", path.display())),
    })
    .collect()
}

/// What the fixture test runs: the default rules, the case's `enable` list
/// and the rule the case is filed under.
fn actual(dir: &Path) -> BTreeSet<Finding> {
    let rule = dir.parent().and_then(Path::file_name).and_then(|name| name.to_str()).unwrap_or_default();
    let case = std::fs::read_to_string(dir.join("case.yaml")).unwrap_or_default();
    let case: serde_yaml::Value = serde_yaml::from_str(&case).unwrap_or(serde_yaml::Value::Null);
    let mut select: Vec<String> =
        RULES.iter().filter(|rule| rule.enabled_by_default).map(|rule| rule.name.to_string()).collect();
    if let Some(enable) = case.get("enable").and_then(serde_yaml::Value::as_sequence) {
        select.extend(enable.iter().filter_map(|rule| rule.as_str().map(str::to_string)));
    }
    select.push(rule.to_string());
    let report = common::lint(&[dir.to_path_buf()], Request { select, ..Request::default() });
    report
        .diagnostics
        .iter()
        .map(|diagnostic| (diagnostic.rule.to_string(), diagnostic.path.clone(), diagnostic.start().line))
        .collect()
}

fn describe(findings: &BTreeSet<Finding>) -> String {
    findings.iter().map(|(rule, path, line)| format!("\n    {rule}\t{path}\t{line}")).collect()
}

#[test]
fn every_fixture_finding_is_expected_and_every_expected_one_found() {
    let mut problems = Vec::new();
    for dir in case_dirs() {
        let expected = match expected(&dir) {
            Ok(expected) => expected,
            Err(problem) => {
                problems.push(problem);
                continue;
            }
        };
        let actual = actual(&dir);
        let unexpected: BTreeSet<Finding> = actual.difference(&expected).cloned().collect();
        let missing: BTreeSet<Finding> = expected.difference(&actual).cloned().collect();
        if !unexpected.is_empty() {
            problems.push(format!("{}: findings not in {FILE_NAME}:{}", dir.display(), describe(&unexpected)));
        }
        if !missing.is_empty() {
            problems.push(format!("{}: expected findings not reported:{}", dir.display(), describe(&missing)));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn ok_cases_expect_nothing_and_bad_cases_their_rule() {
    let mut problems = Vec::new();
    for dir in case_dirs() {
        let Ok(expected) = expected(&dir) else {
            continue;
        };
        let rule = dir.parent().and_then(Path::file_name).and_then(|name| name.to_str()).unwrap_or_default();
        let name = dir.file_name().and_then(|name| name.to_str()).unwrap_or_default();
        if name.starts_with("ok-") && !expected.is_empty() {
            problems.push(format!("{}: an ok- case must expect no finding", dir.display()));
        }
        if name.starts_with("bad-") && !expected.iter().any(|(expected_rule, _, _)| expected_rule == rule) {
            problems.push(format!("{}: a bad- case must expect a `{rule}` finding", dir.display()));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
