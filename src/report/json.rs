//! The JSON object of SPEC §6.

use std::io::{self, Write};

use serde::Serialize;

use crate::diagnostic::{HandoffReport, Severity};
use crate::engine::Report;

#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    tool: Tool,
    summary: Summary,
    diagnostics: Vec<JsonDiagnostic<'a>>,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Summary {
    files: usize,
    groups: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    rule: &'a str,
    severity: Severity,
    path: String,
    locale: Option<&'a str>,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    message: &'a str,
    help: Option<&'a str>,
    source: Option<SourceLocation>,
    /// Only on a stale copy's `stale-hash` finding found in history.
    #[serde(skip_serializing_if = "Option::is_none")]
    handoff: Option<&'a HandoffReport>,
}

#[derive(Serialize)]
struct SourceLocation {
    path: String,
    line: usize,
    column: usize,
}

pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let json = JsonReport {
        version: 1,
        tool: Tool { name: "loclint", version: env!("CARGO_PKG_VERSION") },
        summary: Summary {
            files: report.files,
            groups: report.groups,
            errors: report.count(Severity::Error),
            warnings: report.count(Severity::Warning),
            infos: report.count(Severity::Info),
        },
        diagnostics: report
            .diagnostics
            .iter()
            .map(|diagnostic| {
                let (start, end) = (diagnostic.start(), diagnostic.end());
                JsonDiagnostic {
                    rule: diagnostic.rule,
                    severity: diagnostic.severity,
                    path: super::rebase(&report.base, &diagnostic.path),
                    locale: diagnostic.locale.as_deref(),
                    line: start.line,
                    column: start.column,
                    end_line: end.line,
                    end_column: end.column,
                    message: &diagnostic.message,
                    help: diagnostic.help.as_deref(),
                    source: diagnostic.related.as_ref().map(|related| {
                        let position = related.0.start();
                        SourceLocation {
                            path: super::rebase(&report.base, &related.0.file.name),
                            line: position.line,
                            column: position.column,
                        }
                    }),
                    handoff: diagnostic.handoff.as_deref(),
                }
            })
            .collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &json)?;
    writeln!(out)
}
