//! Applies `loclint-disable` comments and per-path overrides to a group's
//! findings, and reports suppressions that suppressed nothing.

use rustc_hash::FxHashMap as HashMap;

use crate::diagnostic::{Diagnostic, Severity};
use crate::document::suppressions::{self, Suppression, SuppressionKind};
use crate::document::Document;
use crate::error::did_you_mean;
use crate::rules::{self, Emitter};
use crate::settings::Settings;

/// The suppressions of one document, resolved to lines.
struct FileSuppressions<'d> {
    document: &'d Document,
    entries: Vec<Entry>,
}

/// One rule name (or every rule) of one suppression comment.
struct Entry {
    /// `None` = every rule.
    rule: Option<String>,
    name_span: Option<std::ops::Range<usize>>,
    comment_span: std::ops::Range<usize>,
    kind: SuppressionKind,
    /// Lines `[start, end)` covered.
    lines: (usize, usize),
    used: bool,
}

impl<'d> FileSuppressions<'d> {
    fn new(document: &'d Document) -> Self {
        let file = &document.file;
        let comments: Vec<Suppression> = document
            .facts
            .comments
            .iter()
            .filter_map(|span| suppressions::parse(document.text(), span.clone()))
            .collect();
        let mut entries: Vec<Entry> = Vec::new();
        for comment in &comments {
            let start_line = file.position(comment.span.start).line;
            let end_line = file.position(comment.span.end).line;
            let names: Vec<(Option<String>, Option<std::ops::Range<usize>>)> = if comment.rules.is_empty() {
                vec![(None, None)]
            } else {
                comment.rules.iter().map(|(name, span)| (Some(name.clone()), Some(span.clone()))).collect()
            };
            for (rule, name_span) in names {
                match comment.kind {
                    SuppressionKind::Enable => {
                        // Close the latest open `disable` of this rule (or all).
                        for entry in entries.iter_mut().rev() {
                            if entry.kind == SuppressionKind::Disable
                                && entry.lines.1 == usize::MAX
                                && (rule.is_none() || entry.rule == rule)
                            {
                                entry.lines.1 = start_line;
                            }
                        }
                    }
                    kind => {
                        let lines = match kind {
                            SuppressionKind::NextLine => (end_line + 1, end_line + 2),
                            SuppressionKind::File => (0, usize::MAX),
                            _ => (start_line, usize::MAX),
                        };
                        entries.push(Entry {
                            rule,
                            name_span,
                            comment_span: comment.span.clone(),
                            kind,
                            lines,
                            used: false,
                        });
                    }
                }
            }
        }
        FileSuppressions { document, entries }
    }

    /// Whether a suppression covers `diagnostic`; marks it used.
    fn suppresses(&mut self, diagnostic: &Diagnostic) -> bool {
        let line = diagnostic.start().line;
        let mut suppressed = false;
        for entry in &mut self.entries {
            let rule_matches = entry.rule.as_deref().is_none_or(|rule| rule == diagnostic.rule);
            if rule_matches && entry.lines.0 <= line && line < entry.lines.1 {
                entry.used = true;
                suppressed = true;
            }
        }
        suppressed
    }
}

/// Drops suppressed findings and those turned off for their path, adjusts
/// severities from `[[overrides]]`, and adds `unused-suppression` findings.
pub fn apply(settings: &Settings, documents: &[&Document], diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    apply_with(settings, documents, diagnostics, true)
}

/// `apply`, optionally without reporting unused suppressions (for findings
/// checked after their group, whose suppressions were already judged).
pub fn apply_with(
    settings: &Settings,
    documents: &[&Document],
    diagnostics: Vec<Diagnostic>,
    judge_unused: bool,
) -> Vec<Diagnostic> {
    let mut files: Vec<FileSuppressions<'_>> = documents
        .iter()
        .filter(|document| !document.facts.comments.is_empty())
        .map(|document| FileSuppressions::new(document))
        .filter(|file| !file.entries.is_empty())
        .collect();
    let by_path: HashMap<&str, usize> =
        files.iter().enumerate().map(|(index, file)| (file.document.display_path(), index)).collect();
    let mut kept = Vec::with_capacity(diagnostics.len());
    for mut diagnostic in diagnostics {
        if let Some(severity) = settings.override_for(&diagnostic.path, diagnostic.rule) {
            if severity == Severity::Off {
                continue;
            }
            diagnostic.severity = severity;
        }
        if let Some(handoff) = &diagnostic.handoff {
            diagnostic.severity = diagnostic.severity.min(handoff.change.severity_cap());
        }
        let suppressed = diagnostic.location.is_some()
            && by_path.get(diagnostic.path.as_str()).is_some_and(|&index| files[index].suppresses(&diagnostic));
        if !suppressed {
            kept.push(diagnostic);
        }
    }
    let unused_rule =
        settings.rules.iter().find(|(rule, _)| rule.name == "unused-suppression").filter(|_| judge_unused);
    if let Some(&(rule, severity)) = unused_rule {
        let mut emitter = Emitter::new(rule, severity, None, &mut kept).limit(settings.max_findings);
        for file in &files {
            report_unused(settings, file, &mut emitter);
        }
    }
    kept
}

fn report_unused(settings: &Settings, file: &FileSuppressions<'_>, out: &mut Emitter<'_>) {
    let enabled = |name: &str| settings.rules.iter().any(|(rule, _)| rule.name == name);
    for entry in &file.entries {
        if entry.used {
            continue;
        }
        let comment_span = entry.comment_span.clone();
        match &entry.rule {
            Some(name) if rules::find(name).is_none() => {
                let help = did_you_mean(name, rules::RULES.iter().map(|rule| rule.name))
                    .unwrap_or_else(|| "`loclint rules` lists every rule".to_string());
                out.report(
                    file.document,
                    entry.name_span.clone().unwrap_or(comment_span),
                    format!("suppression names unknown rule `{name}`"),
                )
                .label("no such rule")
                .help(help);
            }
            // A rule that did not run this time cannot prove the comment
            // useless, nor can `fragment-broken`, whose links into other
            // files are checked after the group.
            Some(name) if !enabled(name) || name == "fragment-broken" => {}
            Some(name) => {
                out.report(
                    file.document,
                    entry.name_span.clone().unwrap_or(comment_span),
                    format!("suppression of `{name}` suppresses nothing"),
                )
                .label("nothing to suppress")
                .help("remove it from the comment; the problem it silenced is gone");
            }
            // Only a run of every rule proves a suppression of every rule useless.
            None if rules::RULES.iter().any(|rule| rule.enabled_by_default && !enabled(rule.name)) => {}
            None => {
                out.report(file.document, comment_span, "suppression of every rule suppresses nothing")
                    .label("nothing to suppress")
                    .help("remove the comment; the problems it silenced are gone");
            }
        }
    }
}
