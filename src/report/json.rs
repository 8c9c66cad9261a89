//! The JSON object of SPEC §6.

use std::io::{self, Write};

use serde::Serialize;

use crate::diagnostic::{Diagnostic, HandoffReport, Severity};
use crate::engine::{self, GroupReport, Sink};

/// The document around the diagnostics. The summary comes after them: it
/// is known only once every group is written.
#[derive(Serialize)]
struct JsonReport {
    version: u32,
    tool: Tool,
    diagnostics: [(); 0],
    summary: Option<Summary>,
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
pub(super) struct JsonDiagnostic<'a> {
    rule: &'a str,
    severity: Severity,
    path: super::Rebased<'a>,
    locale: Option<&'a str>,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    message: &'a str,
    help: Option<&'a str>,
    source: Option<SourceLocation<'a>>,
    /// Only on a stale copy's `stale-hash` finding found in history.
    #[serde(skip_serializing_if = "Option::is_none")]
    handoff: Option<&'a HandoffReport>,
    /// The safe fix `--fix` applies; `null` when there is none.
    fix: Option<JsonFix>,
}

/// A fix as ruff's JSON writes one: its applicability, a message, and the
/// edits in the finding's file (1-based positions, end exclusive).
#[derive(Serialize)]
struct JsonFix {
    applicability: &'static str,
    message: &'static str,
    edits: Vec<JsonEdit>,
}

#[derive(Serialize)]
struct JsonEdit {
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    content: String,
}

#[derive(Serialize)]
struct SourceLocation<'a> {
    path: super::Rebased<'a>,
    line: usize,
    column: usize,
}

const DIAGNOSTICS: &str = "diagnostics";

pub(super) struct Json<'a> {
    base: String,
    out: &'a mut dyn Write,
    array: Option<super::JsonArray>,
}

impl<'a> Json<'a> {
    pub(super) fn new(base: String, out: &'a mut dyn Write) -> Self {
        Json { base, out, array: None }
    }

    fn document(summary: Option<Summary>) -> io::Result<String> {
        let json = JsonReport {
            version: 1,
            tool: Tool { name: "loclint", version: env!("CARGO_PKG_VERSION") },
            diagnostics: [],
            summary,
        };
        Ok(serde_json::to_string_pretty(&json)?)
    }

    fn array(&mut self) -> io::Result<&mut super::JsonArray> {
        if self.array.is_none() {
            self.array = Some(super::JsonArray::start(self.out, &Self::document(None)?, DIAGNOSTICS)?);
        }
        self.array.as_mut().ok_or_else(|| io::Error::other("the diagnostics array is not open"))
    }
}

impl Sink for Json<'_> {
    fn group(&mut self, group: &GroupReport<'_>) -> io::Result<()> {
        self.array()?;
        let Json { base, out, array: Some(array) } = self else {
            return Ok(());
        };
        for diagnostic in group.findings {
            array.push(*out, &json_diagnostic(base, diagnostic))?;
        }
        Ok(())
    }

    fn finish(&mut self, summary: &engine::Summary) -> io::Result<()> {
        self.array()?;
        let document = Self::document(Some(Summary {
            files: summary.files,
            groups: summary.groups,
            errors: summary.errors,
            warnings: summary.warnings,
            infos: summary.infos,
        }))?;
        if let Some(array) = &self.array {
            array.finish(self.out, &document, DIAGNOSTICS)?;
        }
        writeln!(self.out)
    }
}

pub(super) fn json_diagnostic<'d>(base: &'d str, diagnostic: &'d Diagnostic) -> JsonDiagnostic<'d> {
    let (start, end) = (diagnostic.start(), diagnostic.end());
    JsonDiagnostic {
        rule: diagnostic.rule,
        severity: diagnostic.severity,
        path: super::Rebased { base, path: &diagnostic.path },
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
                path: super::Rebased { base, path: &related.0.file.name },
                line: position.line,
                column: position.column,
            }
        }),
        handoff: diagnostic.handoff.as_deref(),
        fix: json_fix(diagnostic),
    }
}

fn json_fix(diagnostic: &Diagnostic) -> Option<JsonFix> {
    let (fix, location) = (diagnostic.fix.as_ref()?, diagnostic.location.as_ref()?);
    let edits = fix
        .edits
        .iter()
        .map(|edit| {
            let (start, end) = (location.file.position(edit.span.start), location.file.position(edit.span.end));
            JsonEdit {
                line: start.line,
                column: start.column,
                end_line: end.line,
                end_column: end.column,
                content: edit.replacement.clone(),
            }
        })
        .collect();
    Some(JsonFix { applicability: "safe", message: "applied by `loclint lint --fix`", edits })
}
