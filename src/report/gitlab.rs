//! GitLab Code Quality: a JSON array of issues, each with a description,
//! a check name (the rule), a fingerprint that identifies it across runs,
//! a severity and a location (path and lines).

use std::io::{self, Write};

use serde::Serialize;

use crate::diagnostic::{Diagnostic, Severity};
use crate::engine::{GroupReport, Sink, Summary};

#[derive(Serialize)]
struct Issue<'a> {
    description: String,
    check_name: &'a str,
    fingerprint: String,
    severity: &'static str,
    location: Location,
}

#[derive(Serialize)]
struct Location {
    path: String,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: usize,
    end: usize,
}

pub(super) struct Gitlab<'a> {
    base: String,
    out: &'a mut dyn Write,
    written: usize,
}

impl<'a> Gitlab<'a> {
    pub(super) fn new(base: String, out: &'a mut dyn Write) -> Self {
        Gitlab { base, out, written: 0 }
    }
}

impl Sink for Gitlab<'_> {
    fn group(&mut self, group: &GroupReport<'_>) -> io::Result<()> {
        for diagnostic in group.findings {
            self.out.write_all(if self.written == 0 { b"[\n  " } else { b",\n  " })?;
            serde_json::to_writer(&mut *self.out, &issue(&self.base, diagnostic))?;
            self.written += 1;
        }
        Ok(())
    }

    fn finish(&mut self, _: &Summary) -> io::Result<()> {
        self.out.write_all(if self.written == 0 { b"[]\n" } else { b"\n]\n" })
    }
}

fn issue<'d>(base: &str, diagnostic: &'d Diagnostic) -> Issue<'d> {
    let (start, end) = (diagnostic.start(), diagnostic.end());
    let path = super::rebase(base, &diagnostic.path);
    let mut description = format!("{}: {}", diagnostic.rule, diagnostic.message);
    if let Some(help) = &diagnostic.help {
        description.push_str(&format!(" ({help})"));
    }
    // The same finding keeps its fingerprint when lines move above it.
    let identity = format!("{}\u{1f}{path}\u{1f}{}", diagnostic.rule, diagnostic.message);
    Issue {
        description,
        check_name: diagnostic.rule,
        fingerprint: crate::document::sha1_hex(identity.as_bytes()),
        severity: match diagnostic.severity {
            Severity::Error => "major",
            Severity::Warning => "minor",
            Severity::Info | Severity::Off => "info",
        },
        location: Location { path, lines: Lines { begin: start.line, end: end.line.max(start.line) } },
    }
}
