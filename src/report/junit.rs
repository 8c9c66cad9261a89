//! JUnit XML for CI test views: one suite `loclint`, one test case per
//! checked file (passing when it has no finding), and a passing `loclint`
//! case that carries the counts.
//!
//! A file's error and warning findings fail its case; its info findings go
//! to the case's system-out. JUnit consumers (Jenkins, GitLab) read one
//! `<failure>` per case, so a file's findings share one failure: `type`
//! lists their rules, `message` is the first finding's, and the text has one
//! entry per finding. Cases come in the report order (article by article,
//! each group's files by path); the findings about the whole tree come last
//! in cases of their own, so a copy with a broken link into another article
//! has a second case for it. No timestamps; every time is 0 so the output
//! is reproducible.
//!
//! The counts are attributes of the opening tags, known only at the end, so
//! the cases wait in an anonymous temporary file, not in memory.

use std::fs::File;
use std::io::{self, BufWriter, Seek, Write};
use std::time::Duration;

use quick_junit::{NonSuccessKind, Property, TestCase, TestCaseStatus, TestSuite};

use crate::diagnostic::{Diagnostic, Severity};
use crate::engine::{GroupReport, Sink, Summary};

const NAME: &str = "loclint";
/// Where the suite's cases end in quick-junit's output (4-space indents).
const SUITE_END: &str = "\n    </testsuite>";
/// Where a case starts: inside `<testsuites>` and `<testsuite>`.
const CASE_START: &str = "\n        <testcase";

pub(super) struct Junit<'a> {
    base: String,
    out: &'a mut dyn Write,
    /// The file cases written so far.
    cases: Option<BufWriter<File>>,
    count: usize,
    failures: usize,
}

impl<'a> Junit<'a> {
    pub(super) fn new(base: String, out: &'a mut dyn Write) -> Self {
        Junit { base, out, cases: None, count: 0, failures: 0 }
    }

    fn write_case(&mut self, case: TestCase) -> io::Result<()> {
        if matches!(case.status, TestCaseStatus::NonSuccess { .. }) {
            self.failures += 1;
        }
        self.count += 1;
        let mut suite = TestSuite::new(NAME);
        suite.add_test_case(case);
        let xml = serialized(suite)?;
        let (Some(start), Some(end)) = (xml.find(CASE_START), xml.rfind(SUITE_END)) else {
            return Err(io::Error::other("unexpected JUnit case layout"));
        };
        if self.cases.is_none() {
            self.cases = Some(BufWriter::new(tempfile::tempfile()?));
        }
        match &mut self.cases {
            Some(cases) => cases.write_all(&xml.as_bytes()[start..end]),
            None => Ok(()),
        }
    }
}

impl Sink for Junit<'_> {
    fn group(&mut self, group: &GroupReport<'_>) -> io::Result<()> {
        // One case per checked file, plus one for each path with findings
        // that was not a checked file (e.g. a symbolic link the walk
        // reported).
        let findings = group.findings;
        let mut paths: Vec<&str> = group.files.iter().map(String::as_str).collect();
        paths.extend(findings.iter().map(|diagnostic| diagnostic.path.as_str()));
        paths.sort_unstable();
        paths.dedup();
        for path in paths {
            let start = findings.partition_point(|diagnostic| diagnostic.path.as_str() < path);
            let end = findings.partition_point(|diagnostic| diagnostic.path.as_str() <= path);
            let shown = super::escape_line(&super::rebase(&self.base, path)).into_owned();
            self.write_case(file_case(&shown, &self.base, &findings[start..end]))?;
        }
        Ok(())
    }

    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        let mut suite = TestSuite::new(NAME);
        suite.set_time(Duration::ZERO);
        suite.add_properties([
            Property::new("files", summary.files.to_string()),
            Property::new("groups", summary.groups.to_string()),
            Property::new("errors", summary.errors.to_string()),
            Property::new("warnings", summary.warnings.to_string()),
            Property::new("infos", summary.infos.to_string()),
        ]);
        suite.add_test_case(summary_case(summary));
        suite.tests += self.count;
        suite.failures += self.failures;
        let xml = serialized(suite)?;
        let end = xml.rfind(SUITE_END).ok_or_else(|| io::Error::other("unexpected JUnit suite layout"))?;
        self.out.write_all(&xml.as_bytes()[..end])?;
        if let Some(cases) = self.cases.take() {
            let mut cases = cases.into_inner().map_err(io::IntoInnerError::into_error)?;
            cases.rewind()?;
            io::copy(&mut cases, self.out)?;
        }
        self.out.write_all(&xml.as_bytes()[end..])
    }
}

/// The whole document of one suite.
fn serialized(suite: TestSuite) -> io::Result<String> {
    let mut junit = quick_junit::Report::new(NAME);
    junit.set_time(Duration::ZERO);
    junit.add_test_suite(suite);
    junit.to_string().map_err(|error| io::Error::other(error.to_string()))
}

fn summary_case(summary: &Summary) -> TestCase {
    let mut case = TestCase::new(NAME, TestCaseStatus::success());
    case.set_classname(NAME).set_time(Duration::ZERO).set_system_out(format!(
        "checked {} ({}): {}, {}, {}",
        counted(summary.files, "file"),
        counted(summary.groups, "article"),
        counted(summary.errors, "error"),
        counted(summary.warnings, "warning"),
        counted(summary.infos, "info")
    ));
    case
}

/// `1 file`, `2 files`.
fn counted(count: usize, noun: &str) -> String {
    format!("{count} {noun}{}", if count == 1 { "" } else { "s" })
}

/// The case of one file, named `path` as shown; `findings` all have its path.
fn file_case(path: &str, base: &str, findings: &[Diagnostic]) -> TestCase {
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
            status.set_type(rules.join(", ")).set_message(message).set_description(entries(base, &failing));
            status
        }
    };
    let mut case = TestCase::new(path, status);
    case.set_classname(NAME).set_time(Duration::ZERO);
    // GitLab, CircleCI and pytest's own reports use `file` to link a case.
    case.extra.insert("file".into(), path.into());
    if !infos.is_empty() {
        case.set_system_out(entries(base, &infos));
    }
    case
}

/// `path:line:col: severity[rule] message`, then the help on its own line;
/// entries are separated by a blank line. Paths are shown as in the case's
/// name and in the other formats: from `base`.
fn entries(base: &str, findings: &[&Diagnostic]) -> String {
    let entries: Vec<String> = findings
        .iter()
        .map(|finding| {
            let start = finding.start();
            let mut entry = format!(
                "{}:{}:{}: {}[{}] {}",
                super::escape_line(&super::rebase(base, &finding.path)),
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
