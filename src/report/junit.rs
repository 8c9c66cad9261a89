//! JUnit XML for CI test views: one suite `loclint`, one test case per file
//! with findings, and a passing `loclint` case that carries the counts.
//!
//! The report holds only the findings, not the list of checked files, so
//! clean files have no case of their own. A file's error and warning
//! findings fail its case; its info findings go to the case's system-out.
//! JUnit consumers (Jenkins, GitLab) read one `<failure>` per case, so a
//! file's findings share one failure: `type` lists their rules, `message`
//! is the first finding's, and the text has one entry per finding.
//! No timestamps; every time is 0 so the output is reproducible.

use std::io::{self, Write};
use std::time::Duration;

use quick_junit::{NonSuccessKind, Property, TestCase, TestCaseStatus, TestSuite};

use crate::diagnostic::{Diagnostic, Severity};
use crate::engine::Report;

const NAME: &str = "loclint";

pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let mut suite = TestSuite::new(NAME);
    suite.set_time(Duration::ZERO);
    suite.add_properties([
        Property::new("files", report.files.to_string()),
        Property::new("groups", report.groups.to_string()),
        Property::new("errors", report.count(Severity::Error).to_string()),
        Property::new("warnings", report.count(Severity::Warning).to_string()),
        Property::new("infos", report.count(Severity::Info).to_string()),
    ]);
    suite.add_test_case(summary_case(report));
    // One case per checked file (passing when it has no finding), plus one
    // for each path with findings that was not a checked file (e.g. a
    // symbolic link the walk reported).
    let mut paths: Vec<&str> = report.checked.iter().map(String::as_str).collect();
    paths.extend(report.diagnostics.iter().map(|diagnostic| diagnostic.path.as_str()));
    paths.sort_unstable();
    paths.dedup();
    for path in paths {
        let start = report.diagnostics.partition_point(|diagnostic| diagnostic.path.as_str() < path);
        let end = report.diagnostics.partition_point(|diagnostic| diagnostic.path.as_str() <= path);
        let shown = super::escape_line(&super::rebase(&report.base, path)).into_owned();
        suite.add_test_case(file_case(&shown, &report.diagnostics[start..end]));
    }
    let mut junit = quick_junit::Report::new(NAME);
    junit.set_time(Duration::ZERO);
    junit.add_test_suite(suite);
    junit.serialize(out).map_err(|error| io::Error::other(error.to_string()))
}

fn summary_case(report: &Report) -> TestCase {
    let mut case = TestCase::new(NAME, TestCaseStatus::success());
    case.set_classname(NAME).set_time(Duration::ZERO).set_system_out(format!(
        "checked {} ({}): {}, {}, {}",
        counted(report.files, "file"),
        counted(report.groups, "article"),
        counted(report.count(Severity::Error), "error"),
        counted(report.count(Severity::Warning), "warning"),
        counted(report.count(Severity::Info), "info")
    ));
    case
}

/// `1 file`, `2 files`.
fn counted(count: usize, noun: &str) -> String {
    format!("{count} {noun}{}", if count == 1 { "" } else { "s" })
}

/// The case of one file; `findings` all have its path.
fn file_case(path: &str, findings: &[Diagnostic]) -> TestCase {
    let (failing, infos): (Vec<&Diagnostic>, Vec<&Diagnostic>) =
        findings.iter().partition(|finding| finding.severity >= Severity::Warning);
    let status = match failing.as_slice() {
        [] => TestCaseStatus::success(),
        [first, rest @ ..] => {
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
            let mut rules: Vec<&str> = Vec::new();
            for finding in &failing {
                if !rules.contains(&finding.rule) {
                    rules.push(finding.rule);
                }
            }
            let message = match rest.len() {
                0 => super::escape_line(&first.message).into_owned(),
                more => format!("{} (and {more} more)", super::escape_line(&first.message)),
            };
            status.set_type(rules.join(", ")).set_message(message).set_description(entries(&failing));
            status
        }
    };
    let mut case = TestCase::new(path, status);
    case.set_classname(NAME).set_time(Duration::ZERO);
    // GitLab, CircleCI and pytest's own reports use `file` to link a case.
    case.extra.insert("file".into(), path.into());
    if !infos.is_empty() {
        case.set_system_out(entries(&infos));
    }
    case
}

/// `path:line:col: severity[rule] message`, then the help on its own line;
/// entries are separated by a blank line.
fn entries(findings: &[&Diagnostic]) -> String {
    let entries: Vec<String> = findings
        .iter()
        .map(|finding| {
            let start = finding.start();
            let mut entry = format!(
                "{}:{}:{}: {}[{}] {}",
                super::escape_line(&finding.path),
                start.line,
                start.column,
                finding.severity,
                finding.rule,
                super::escape_line(&finding.message)
            );
            if let Some(help) = &finding.help {
                entry.push('\n');
                entry.push_str(&super::escape_line(help));
            }
            entry
        })
        .collect();
    entries.join("\n\n")
}
