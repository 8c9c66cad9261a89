//! reviewdog's Diagnostic Format (rdjson): `{"source", "diagnostics": [...]}`
//! with each finding's range, severity, rule as code, and its safe fix as
//! a suggestion reviewdog can offer in a pull request.

use std::io::{self, Write};

use serde::Serialize;

use crate::diagnostic::{Diagnostic, Severity};
use crate::document::lines::Position;
use crate::engine::{GroupReport, Sink, Summary};

#[derive(Serialize)]
struct Document {
    source: Source,
    diagnostics: [(); 0],
}

#[derive(Serialize)]
struct Source {
    name: &'static str,
}

#[derive(Serialize)]
struct RdDiagnostic<'a> {
    message: String,
    location: RdLocation,
    severity: &'static str,
    code: Code<'a>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suggestions: Vec<Suggestion>,
}

#[derive(Serialize)]
struct RdLocation {
    path: String,
    range: Range,
}

#[derive(Serialize)]
struct Range {
    start: Point,
    end: Point,
}

#[derive(Serialize)]
struct Point {
    line: usize,
    column: usize,
}

#[derive(Serialize)]
struct Code<'a> {
    value: &'a str,
}

#[derive(Serialize)]
struct Suggestion {
    range: Range,
    text: String,
}

const DIAGNOSTICS: &str = "diagnostics";

pub(super) struct Rdjson<'a> {
    base: String,
    out: &'a mut dyn Write,
    array: Option<super::JsonArray>,
}

impl<'a> Rdjson<'a> {
    pub(super) fn new(base: String, out: &'a mut dyn Write) -> Self {
        Rdjson { base, out, array: None }
    }

    fn document() -> io::Result<String> {
        Ok(serde_json::to_string_pretty(&Document { source: Source { name: "loclint" }, diagnostics: [] })?)
    }

    fn open(&mut self) -> io::Result<()> {
        if self.array.is_none() {
            self.array = Some(super::JsonArray::start(self.out, &Self::document()?, DIAGNOSTICS)?);
        }
        Ok(())
    }
}

impl Sink for Rdjson<'_> {
    fn group(&mut self, group: &GroupReport<'_>) -> io::Result<()> {
        self.open()?;
        let Rdjson { base, out, array: Some(array) } = self else {
            return Ok(());
        };
        for diagnostic in group.findings {
            array.push(*out, &rd_diagnostic(base, diagnostic))?;
        }
        Ok(())
    }

    fn finish(&mut self, _: &Summary) -> io::Result<()> {
        self.open()?;
        if let Some(array) = &self.array {
            array.finish(self.out, &Self::document()?, DIAGNOSTICS)?;
        }
        writeln!(self.out)
    }
}

fn point(position: Position) -> Point {
    Point { line: position.line, column: position.column }
}

fn rd_diagnostic<'d>(base: &str, diagnostic: &'d Diagnostic) -> RdDiagnostic<'d> {
    let mut message = diagnostic.message.clone();
    if let Some(help) = &diagnostic.help {
        message.push('\n');
        message.push_str(help);
    }
    let suggestions = match (&diagnostic.fix, &diagnostic.location) {
        (Some(fix), Some(location)) => fix
            .edits
            .iter()
            .map(|edit| Suggestion {
                range: Range {
                    start: point(location.file.position(edit.span.start)),
                    end: point(location.file.position(edit.span.end)),
                },
                text: edit.replacement.clone(),
            })
            .collect(),
        _ => Vec::new(),
    };
    RdDiagnostic {
        message,
        location: RdLocation {
            path: super::rebase(base, &diagnostic.path),
            range: Range { start: point(diagnostic.start()), end: point(diagnostic.end()) },
        },
        severity: match diagnostic.severity {
            Severity::Error => "ERROR",
            Severity::Warning => "WARNING",
            Severity::Info | Severity::Off => "INFO",
        },
        code: Code { value: diagnostic.rule },
        suggestions,
    }
}
