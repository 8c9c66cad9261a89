//! SARIF 2.1.0 for code scanning (GitHub, Azure DevOps, IDE viewers).
//!
//! One run; `tool.driver.rules` lists every rule of the registry so that a
//! result's `ruleIndex` points into it. Columns count Unicode scalar values
//! (SPEC §6), so the run declares `columnKind: unicodeCodePoints` instead of
//! SARIF's default of UTF-16 code units. Paths are root-relative URIs under
//! `%SRCROOT%`. A rule's safe fix becomes the result's `fixes`. Nothing in
//! the log depends on the clock or the machine.

use std::io::{self, Write};

use serde_sarif::sarif;

use super::rebase;
use crate::diagnostic::{Diagnostic, Location, Severity};
use crate::document::lines::Position;
use crate::engine::{GroupReport, Sink, Summary};
use crate::rules::{Rule, RULES};

/// Where the schema of the log lives; SARIF viewers use it to recognise it.
const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// The base every artifact URI is relative to: the lint root.
const SRCROOT: &str = "%SRCROOT%";

const RESULTS: &str = "results";

/// Writes the log's opening (tool and rules) first, each group's results as
/// they come, and the rest of the log at the end.
pub(super) struct Sarif<'a> {
    base: String,
    out: &'a mut dyn Write,
    /// The whole log with no result, cut around its results.
    log: Option<(String, super::JsonArray)>,
}

impl<'a> Sarif<'a> {
    pub(super) fn new(base: String, out: &'a mut dyn Write) -> Self {
        Sarif { base, out, log: None }
    }

    fn results(&mut self) -> io::Result<&mut super::JsonArray> {
        if self.log.is_none() {
            let run = sarif::Run::builder()
                .tool(tool())
                .column_kind(serde_json::json!("unicodeCodePoints"))
                .results(Vec::<sarif::Result>::new())
                .build();
            let log =
                sarif::Sarif::builder().schema(SCHEMA_URI).version(serde_json::json!("2.1.0")).runs(vec![run]).build();
            let log = serde_json::to_string_pretty(&log)?;
            let results = super::JsonArray::start(self.out, &log, RESULTS)?;
            self.log = Some((log, results));
        }
        self.log.as_mut().map(|(_, results)| results).ok_or_else(|| io::Error::other("the SARIF log is not open"))
    }
}

impl Sink for Sarif<'_> {
    fn group(&mut self, group: &GroupReport<'_>) -> io::Result<()> {
        self.results()?;
        let Sarif { base, out, log: Some((_, results)) } = self else {
            return Ok(());
        };
        for diagnostic in group.findings {
            results.push(*out, &result(base, diagnostic))?;
        }
        Ok(())
    }

    fn finish(&mut self, _: &Summary) -> io::Result<()> {
        self.results()?;
        if let Some((log, results)) = &self.log {
            results.finish(self.out, log, RESULTS)?;
        }
        writeln!(self.out)
    }
}

fn tool() -> sarif::Tool {
    let version = env!("CARGO_PKG_VERSION");
    let driver = sarif::ToolComponent::builder()
        .name("loclint")
        .version(version)
        .semantic_version(version)
        .rules(RULES.iter().map(|rule| descriptor(rule)).collect::<Vec<_>>())
        .build();
    sarif::Tool::builder().driver(driver).build()
}

/// A rule's metadata: its name as id, summary, documentation as help, and
/// default severity (a rule that is off by default is `enabled: false`).
fn descriptor(rule: &Rule) -> sarif::ReportingDescriptor {
    let mut configuration =
        sarif::ReportingConfiguration::builder().level(serde_json::json!(level(rule.severity))).build();
    if !rule.enabled_by_default {
        configuration.enabled = Some(false);
    }
    let doc = strip_front_matter(rule.doc).trim();
    let mut descriptor = sarif::ReportingDescriptor::builder()
        .id(rule.name)
        .short_description(message_string(rule.summary))
        .help(sarif::MultiformatMessageString::builder().text(doc).markdown(doc).build())
        .default_configuration(configuration)
        .properties(sarif::PropertyBag::builder().tags(vec![rule.group.as_str().to_string()]).build())
        .build();
    descriptor.full_description = what_it_does(doc).map(message_string);
    descriptor
}

fn result(base: &str, diagnostic: &Diagnostic) -> sarif::Result {
    let path = rebase(base, &diagnostic.path);
    let mut text = diagnostic.message.clone();
    if let Some(help) = &diagnostic.help {
        text.push('\n');
        text.push_str(help);
    }
    let primary = match &diagnostic.location {
        Some(location) => physical_location(&path, location),
        None => sarif::PhysicalLocation::builder().artifact_location(artifact(&path)).build(),
    };
    let mut result = sarif::Result::builder()
        .rule_id(diagnostic.rule)
        .level(result_level(diagnostic.severity))
        .message(sarif::Message::builder().text(text).build())
        .locations(vec![sarif::Location::builder().physical_location(primary).build()])
        .build();
    result.rule_index = RULES.iter().position(|rule| rule.name == diagnostic.rule).map(|index| index as i64);
    let related = related_locations(base, diagnostic);
    if !related.is_empty() {
        result.related_locations = Some(related);
    }
    result.fixes = fix(&path, diagnostic).map(|fix| vec![fix]);
    if let Some(handoff) = diagnostic.handoff.as_deref().and_then(|handoff| serde_json::to_value(handoff).ok()) {
        let properties = std::collections::BTreeMap::from([("handoff".to_string(), handoff)]);
        result.properties = Some(sarif::PropertyBag::builder().additional_properties(properties).build());
    }
    result
}

/// The rule's safe fix (what `--fix` applies) as replacements in the
/// finding's file; an insertion deletes an empty region.
fn fix(path: &str, diagnostic: &Diagnostic) -> Option<sarif::Fix> {
    let (fix, location) = (diagnostic.fix.as_ref()?, diagnostic.location.as_ref()?);
    let replacements: Vec<sarif::Replacement> = fix
        .edits
        .iter()
        .map(|edit| {
            let (start, end) = (location.file.position(edit.span.start), location.file.position(edit.span.end));
            let region = region(start, end);
            let content = sarif::ArtifactContent::builder().text(edit.replacement.as_str()).build();
            sarif::Replacement::builder().deleted_region(region).inserted_content(content).build()
        })
        .collect();
    if replacements.is_empty() {
        return None;
    }
    let change = sarif::ArtifactChange::builder().artifact_location(artifact(path)).replacements(replacements).build();
    Some(
        sarif::Fix::builder()
            .description(sarif::Message::builder().text("safe fix, applied by `loclint lint --fix`").build())
            .artifact_changes(vec![change])
            .build(),
    )
}

/// The source-locale counterpart first, then the other places in the copy
/// that explain the finding, numbered from 1 as SARIF asks.
fn related_locations(base: &str, diagnostic: &Diagnostic) -> Vec<sarif::Location> {
    let mut related = Vec::new();
    if let Some(source) = &diagnostic.related {
        let text = source.0.label.clone().unwrap_or_else(|| "the source's counterpart".to_string());
        related.push((physical_location(&rebase(base, &source.0.file.name), &source.0), text));
    }
    if let Some(location) = &diagnostic.location {
        for (span, label) in &diagnostic.secondary {
            let place = Location { file: location.file.clone(), span: span.clone(), label: None };
            related.push((physical_location(&rebase(base, &diagnostic.path), &place), label.clone()));
        }
    }
    related
        .into_iter()
        .enumerate()
        .map(|(index, (physical, text))| {
            sarif::Location::builder()
                .id(index as i64 + 1)
                .physical_location(physical)
                .message(sarif::Message::builder().text(text).build())
                .build()
        })
        .collect()
}

fn region(start: Position, end: Position) -> sarif::Region {
    sarif::Region::builder()
        .start_line(start.line as i64)
        .start_column(start.column as i64)
        .end_line(end.line as i64)
        .end_column(end.column as i64)
        .build()
}

fn physical_location(path: &str, location: &Location) -> sarif::PhysicalLocation {
    let (start, end) = super::annotated_range(location);
    let region = region(start, end);
    sarif::PhysicalLocation::builder().artifact_location(artifact(path)).region(region).build()
}

fn artifact(path: &str) -> sarif::ArtifactLocation {
    sarif::ArtifactLocation::builder().uri(uri(path)).uri_base_id(SRCROOT).build()
}

fn message_string(text: &str) -> sarif::MultiformatMessageString {
    sarif::MultiformatMessageString::builder().text(text).build()
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
        Severity::Off => "none",
    }
}

fn result_level(severity: Severity) -> sarif::ResultLevel {
    match severity {
        Severity::Error => sarif::ResultLevel::Error,
        Severity::Warning => sarif::ResultLevel::Warning,
        Severity::Info => sarif::ResultLevel::Note,
        Severity::Off => sarif::ResultLevel::None,
    }
}

/// A root-relative path as a relative URI reference (RFC 3986): every byte
/// outside the unreserved set, the sub-delimiters, `@` and `/` is
/// percent-encoded, so spaces, `#`, `?`, `%` and non-ASCII names survive,
/// and a `:` cannot be read as a scheme.
fn uri(path: &str) -> String {
    let mut uri = String::with_capacity(path.len());
    for &byte in path.as_bytes() {
        let keep = byte.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=@/".contains(&byte);
        if keep {
            uri.push(char::from(byte));
        } else {
            uri.push_str(&format!("%{byte:02X}"));
        }
    }
    uri
}

/// The "What it does" section of a rule doc, the rule's full description.
fn what_it_does(doc: &str) -> Option<&str> {
    let start = doc.find("## What it does\n")? + "## What it does\n".len();
    let section = &doc[start..];
    let end = section.find("\n## ").unwrap_or(section.len());
    Some(section[..end].trim()).filter(|text| !text.is_empty())
}

/// Rule docs open with front matter for tooling; the help shows the prose.
fn strip_front_matter(doc: &str) -> &str {
    doc.strip_prefix("---\n").and_then(|rest| rest.find("\n---\n").map(|end| &rest[end + 5..])).unwrap_or(doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_encodes_what_a_uri_reference_cannot_hold() {
        assert_eq!(uri("ja-jp/a b/c#1?.md"), "ja-jp/a%20b/c%231%3F.md");
        assert_eq!(uri("ja-jp/x:y%.md"), "ja-jp/x%3Ay%25.md");
        assert_eq!(uri("ja-jp/記事.md"), "ja-jp/%E8%A8%98%E4%BA%8B.md");
    }

    #[test]
    fn front_matter_is_dropped_from_rule_docs() {
        assert_eq!(strip_front_matter("---\nname: x\n---\n# x\n"), "# x\n");
        assert_eq!(strip_front_matter("# x\n"), "# x\n");
    }

    #[test]
    fn full_description_is_the_what_it_does_section() {
        let doc = "# x\n\n## What it does\n\nChecks x.\nTwice.\n\n## Why it matters\n\nBecause.\n";
        assert_eq!(what_it_does(doc), Some("Checks x.\nTwice."));
        assert_eq!(what_it_does("# x\n\nTODO\n"), None);
    }
}
