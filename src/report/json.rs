//! The JSON object of SPEC §6.

use std::io::{self, Write};

use serde::Serialize;

use crate::diagnostic::{Diagnostic, HandoffReport, Severity};
use crate::engine::{self, GroupReport, Render, Rendered, Sink};

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
            let diagnostic = json_diagnostic(base, diagnostic);
            array.push_with(*out, |buffer, depth| diagnostic.write_pretty(buffer, depth))?;
        }
        Ok(())
    }

    fn renderer(&self) -> Option<Box<dyn Render>> {
        // The array's indentation, as the document around it sets it.
        let document = Self::document(None).ok()?;
        let indent = super::JsonArray::start(&mut io::sink(), &document, DIAGNOSTICS).ok()?.element_indent();
        Some(Box::new(JsonRender { base: self.base.clone(), indent }))
    }

    fn rendered(&mut self, group: &Rendered) -> io::Result<()> {
        self.array()?;
        let Json { out, array: Some(array), .. } = self else {
            return Ok(());
        };
        array.push_rendered(*out, group)
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

/// Prints the findings of a group as [`Json`] does, on a worker thread.
struct JsonRender {
    base: String,
    indent: super::ElementIndent,
}

impl Render for JsonRender {
    fn render(&self, group: &GroupReport<'_>, out: &mut Rendered) -> io::Result<()> {
        for diagnostic in group.findings {
            let diagnostic = json_diagnostic(&self.base, diagnostic);
            self.indent.element(&mut out.bytes, |buffer, depth| diagnostic.write_pretty(buffer, depth))?;
            out.findings += 1;
        }
        Ok(())
    }
}

impl JsonDiagnostic<'_> {
    /// This diagnostic as serde_json's pretty printer prints it `depth`
    /// levels deep (`JsonArray::push`), byte for byte. Most findings have
    /// neither a fix nor a handoff, and most of their strings nothing to
    /// escape: those are written here, a string copied whole once a pass
    /// over it finds nothing to escape, where serde_json looks each byte up
    /// on its own (7 instructions a byte, most of the JSON report's time on
    /// a drifted tree). Anything else is left to serde_json.
    fn write_pretty(&self, out: &mut Vec<u8>, depth: usize) -> io::Result<()> {
        if self.handoff.is_some() || self.fix.is_some() {
            let mut serializer = serde_json::Serializer::with_formatter(out, super::pretty_at_depth(depth)?);
            return Ok(self.serialize(&mut serializer)?);
        }
        let indent = |out: &mut Vec<u8>, depth: usize| out.extend(std::iter::repeat_n(b' ', 2 * depth));
        let mut first = true;
        let mut key = |out: &mut Vec<u8>, name: &str, depth: usize| {
            out.extend_from_slice(if std::mem::take(&mut first) { b"{\n" } else { b",\n" });
            indent(out, depth);
            out.push(b'"');
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(b"\": ");
        };
        let inner = depth + 1;
        key(out, "rule", inner);
        write_json_str(out, self.rule)?;
        key(out, "severity", inner);
        write_json_str(out, self.severity.as_str())?;
        key(out, "path", inner);
        write_rebased(out, &self.path)?;
        key(out, "locale", inner);
        write_optional_str(out, self.locale)?;
        for (name, number) in
            [("line", self.line), ("column", self.column), ("end_line", self.end_line), ("end_column", self.end_column)]
        {
            key(out, name, inner);
            write_number(out, number);
        }
        key(out, "message", inner);
        write_json_str(out, self.message)?;
        key(out, "help", inner);
        write_optional_str(out, self.help)?;
        key(out, "source", inner);
        match &self.source {
            Some(source) => {
                out.extend_from_slice(b"{\n");
                indent(out, inner + 1);
                out.extend_from_slice(b"\"path\": ");
                write_rebased(out, &source.path)?;
                out.extend_from_slice(b",\n");
                indent(out, inner + 1);
                out.extend_from_slice(b"\"line\": ");
                write_number(out, source.line);
                out.extend_from_slice(b",\n");
                indent(out, inner + 1);
                out.extend_from_slice(b"\"column\": ");
                write_number(out, source.column);
                out.push(b'\n');
                indent(out, inner);
                out.push(b'}');
            }
            None => out.extend_from_slice(b"null"),
        }
        key(out, "fix", inner);
        out.extend_from_slice(b"null\n");
        indent(out, depth);
        out.push(b'}');
        Ok(())
    }
}

/// `text` as a JSON string: as it is between quotes when it has nothing
/// to escape (no control character, `"` or `\\`, which is all serde_json
/// escapes), else as serde_json writes it.
fn write_json_str(out: &mut Vec<u8>, text: &str) -> io::Result<()> {
    if is_plain(text) {
        out.push(b'"');
        out.extend_from_slice(text.as_bytes());
        out.push(b'"');
        Ok(())
    } else {
        Ok(serde_json::to_writer(out, text)?)
    }
}

/// Whether `text` needs no escaping in a JSON string. Chunks looked at
/// whole, without stopping at the first byte: the compiler turns that into
/// a few vector instructions a chunk.
fn is_plain(text: &str) -> bool {
    text.as_bytes()
        .chunks(32)
        .all(|chunk| chunk.iter().fold(true, |plain, &byte| plain & (byte >= 0x20) & (byte != b'"') & (byte != b'\\')))
}

/// `number` in decimal, as `write!` and serde_json print it, without the
/// formatting machinery (four numbers a finding).
fn write_number(out: &mut Vec<u8>, mut number: usize) {
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    loop {
        start -= 1;
        digits[start] = b'0' + (number % 10) as u8;
        number /= 10;
        if number == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[start..]);
}

fn write_optional_str(out: &mut Vec<u8>, text: Option<&str>) -> io::Result<()> {
    match text {
        Some(text) => write_json_str(out, text),
        None => {
            out.extend_from_slice(b"null");
            Ok(())
        }
    }
}

/// A [`super::Rebased`] path as its `Serialize` writes it: escaping is
/// character by character, so the base and the path are escaped apart.
fn write_rebased(out: &mut Vec<u8>, rebased: &super::Rebased<'_>) -> io::Result<()> {
    if rebased.base.is_empty() {
        return write_json_str(out, rebased.path);
    }
    let base = rebased.base.trim_end_matches('/');
    if is_plain(base) && is_plain(rebased.path) {
        // The joined path without building it: nothing to escape in either.
        out.push(b'"');
        out.extend_from_slice(base.as_bytes());
        out.push(b'/');
        out.extend_from_slice(rebased.path.as_bytes());
        out.push(b'"');
        return Ok(());
    }
    write_json_str(out, &format!("{base}/{}", rebased.path))
}

pub(super) fn json_diagnostic<'d>(base: &'d str, diagnostic: &'d Diagnostic) -> JsonDiagnostic<'d> {
    let (start, end) = diagnostic.range();
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

#[cfg(test)]
mod tests {
    use super::*;

    /// What `JsonArray::push` printed before `write_pretty`: serde_json's
    /// pretty printer at `depth`.
    fn by_serde(diagnostic: &JsonDiagnostic<'_>, depth: usize) -> String {
        let mut out = Vec::new();
        let mut serializer =
            serde_json::Serializer::with_formatter(&mut out, super::super::pretty_at_depth(depth).unwrap());
        diagnostic.serialize(&mut serializer).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn findings_are_written_as_serde_json_prints_them() {
        let texts =
            ["", "plain", "日本語 — ü", "quote \" and \\ back", "line\nbreak\ttab\u{1}\u{1f}\u{7f}", "\u{2028}"];
        let fix = JsonFix {
            applicability: "safe",
            message: "applied",
            edits: vec![JsonEdit { line: 1, column: 2, end_line: 3, end_column: 4, content: "x\n".into() }],
        };
        let mut fix = Some(fix);
        for (index, text) in texts.iter().enumerate() {
            for base in ["", "docs", "docs/", "a\"b"] {
                for depth in [0, 2] {
                    let with_fix = index == 3 && depth == 2;
                    let diagnostic = JsonDiagnostic {
                        rule: "link-target-mismatch",
                        severity: [Severity::Error, Severity::Warning, Severity::Info][index % 3],
                        path: super::super::Rebased { base, path: text },
                        locale: (index % 2 == 0).then_some(*text),
                        line: index,
                        column: 10 + index,
                        end_line: 100 * index,
                        end_column: 12_345,
                        message: text,
                        help: (index % 3 != 0).then_some(*text),
                        source: (index % 2 == 1).then_some(SourceLocation {
                            path: super::super::Rebased { base, path: text },
                            line: 7,
                            column: 8,
                        }),
                        handoff: None,
                        fix: if with_fix { fix.take() } else { None },
                    };
                    let mut out = Vec::new();
                    diagnostic.write_pretty(&mut out, depth).unwrap();
                    assert_eq!(
                        String::from_utf8(out).unwrap(),
                        by_serde(&diagnostic, depth),
                        "{text:?} {base:?} {depth}"
                    );
                }
            }
        }
        assert!(fix.is_none(), "a finding with a fix was written too");
    }

    #[test]
    fn numbers_are_written_as_write_prints_them() {
        for number in [0, 1, 9, 10, 99, 100, 12_345, 1 << 32, usize::MAX - 1, usize::MAX] {
            let mut out = Vec::new();
            write_number(&mut out, number);
            assert_eq!(String::from_utf8(out).unwrap(), number.to_string());
        }
    }
}
