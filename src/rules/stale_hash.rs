//! `stale-hash`: the copy was translated from an older version of its source.
//! With history, one finding per stale copy says which version, how far
//! behind it is, and what the source changed since (the diff).

use std::ops::Range;

use similar::{ChangeTag, DiffOp, TextDiff};

use super::{count, quoted, Emitter, Group, Rule, RuleGroup};
use crate::diagnostic::{ChangeClass, HandoffReport, Severity};
use crate::document::Document;
use crate::history::{short, Found, Handoff};

pub static RULE: Rule = Rule {
    name: "stale-hash",
    group: RuleGroup::Metadata,
    severity: Severity::Warning,
    enabled_by_default: true,
    summary: "the copy was translated from an older version of its source: `ms.openlocfilehash` differs from the hash of the current source bytes, or the recorded commit or history says so",
    options: &["small-change", "diff-lines"],
    doc: include_str!("../../rules/stale-hash.md"),
    check,
};

/// Words changed in the source up to which a stale copy is a `small` change.
const DEFAULT_SMALL_CHANGE: usize = 20;
/// Diff lines the human report shows per stale copy.
const DEFAULT_DIFF_LINES: usize = 12;
/// Sources larger than this are not diffed word by word: a diff's cost grows
/// with the product of the sizes, and history is untrusted input too.
const MAX_DIFF_BYTES: usize = 512 * 1024;

fn check(group: &Group<'_>, out: &mut Emitter<'_>) {
    let Some(source) = group.checked_source() else {
        return;
    };
    let option = |name: &str, default: usize| {
        out.options()
            .and_then(|options| options.get(name))
            .and_then(toml::Value::as_integer)
            .and_then(|value| usize::try_from(value).ok())
            .unwrap_or(default)
    };
    let small_change = option("small-change", DEFAULT_SMALL_CHANGE);
    let diff_lines = option("diff-lines", DEFAULT_DIFF_LINES);
    // Copies of one handoff share its version, and so its report.
    let mut reports: Vec<(*const Document, HandoffReport)> = Vec::new();
    let same = |seen: *const Document, report: &HandoffReport, found: &Found| {
        std::ptr::eq(seen, std::sync::Arc::as_ptr(&found.source)) && report.commit == found.commit
    };
    for copy in group.checked_copies() {
        let span = key_span(group, copy);
        match group.handoff(copy) {
            Handoff::Current => {}
            Handoff::Unknown(why) => {
                let finding = out
                    .report(copy, span, format!("cannot tell whether the copy is current: {why}"))
                    .label("source commit of the handoff")
                    .help(
                        "fetch the full history of the source repository the copy was translated from, or correct the \
                         source commit; until then its links, headings and code are not compared with the source, \
                         since the version it was translated from is unknown",
                    );
                finding.severity = finding.severity.min(Severity::Info);
            }
            Handoff::Stale(stale) => match &stale.found {
                Some(found) => {
                    let report = match reports.iter().find(|(seen, report)| same(*seen, report, found)) {
                        Some((_, report)) => report.clone(),
                        None => {
                            let report = handoff_report(found, source, small_change, diff_lines);
                            reports.push((std::sync::Arc::as_ptr(&found.source), report.clone()));
                            report
                        }
                    };
                    let update = "update the translation from the current source (the change is in the report's \
                                  diff; `--show-source-diff` prints it all)";
                    // A pipeline without a hash key (Crowdin, hand-kept
                    // copies) has nothing to set once the text is updated.
                    let help = match group.handoff_keys.hash {
                        Some(key) => {
                            let hash = copy.meta(key).map(|entry| entry.value).unwrap_or_default();
                            format!("{update}, then set `{key}` to {}", quoted(source.hashes.raw_like(hash).0))
                        }
                        None => update.to_string(),
                    };
                    let message = found_message(found, &report);
                    out.report(copy, span, message)
                        .label(format!("translated from `{}`", short(&found.commit)))
                        .help(help)
                        .handoff = Some(Box::new(report));
                }
                None => {
                    let key = group.handoff_keys.hash.unwrap_or("the handoff hash");
                    let hash = copy.meta(key).map(|entry| entry.value).unwrap_or_default();
                    let why = stale.unknown.as_deref().map(|why| format!("; history: {why}")).unwrap_or_default();
                    let (expected, algorithm) = source.hashes.raw_like(hash);
                    out.report(
                        copy,
                        span,
                        format!(
                            "copy was translated from another version of the source: `{key}` is {} but the source's {algorithm} is {}{why}",
                            quoted(hash),
                            quoted(expected)
                        ),
                    )
                    .label("not the current source's hash")
                    .help(if group.compare_stale_with_current {
                        format!("update the translation from the current source, then set the hash to the source's {algorithm}")
                    } else {
                        format!(
                            "update the translation from the current source, then set the hash to the source's {algorithm}; \
                             until then its links, headings and code are not compared with the source, since the \
                             version it was translated from is unknown"
                        )
                    });
                }
            },
        }
    }
}

/// The value of the key that names the handoff (hash, else commit), or the
/// file's start for copies without metadata.
fn key_span(group: &Group<'_>, copy: &Document) -> Range<usize> {
    [group.handoff_keys.hash, group.handoff_keys.commit]
        .into_iter()
        .flatten()
        .find_map(|key| copy.meta_path(key))
        .map_or(0..0, |entry| entry.value_span)
}

fn found_message(found: &Found, report: &HandoffReport) -> String {
    let version = format!("`{}` of {}", short(&found.commit), report.date);
    let mut message = match (report.commits_behind, report.days_behind) {
        (Some(commits), Some(days)) if commits > 0 => format!(
            "copy is {} behind its source: translated from {version}; the source last changed {}",
            count(commits, "commit"),
            match days {
                0 => "later the same day".to_string(),
                days => format!("{} later", count(usize::try_from(days).unwrap_or(0), "day")),
            }
        ),
        _ => format!("copy was translated from an older source: {version}"),
    };
    let pending = match report.change {
        ChangeClass::Whitespace => "only whitespace changed since".to_string(),
        ChangeClass::FrontMatter => "only the front matter changed since".to_string(),
        _ if report.summary.is_empty() => format!("{} changed since", count(report.changed_words, "word")),
        _ => format!("{} changed since: {}", count(report.changed_words, "word"), report.summary),
    };
    message.push_str(" (");
    message.push_str(&pending);
    message.push(')');
    message
}

fn handoff_report(found: &Found, source: &Document, small_change: usize, shown_lines: usize) -> HandoffReport {
    let (old, new) = (found.source.text(), source.text());
    let too_large = old.len() > MAX_DIFF_BYTES || new.len() > MAX_DIFF_BYTES;
    let diff = if too_large {
        format!("(not diffed: the source is over {} KiB)\n", MAX_DIFF_BYTES / 1024)
    } else {
        let old_name = format!("a/{}", found.source.display_path());
        let new_name = format!("b/{}", source.display_path());
        TextDiff::from_lines(old, new).unified_diff().context_radius(3).header(&old_name, &new_name).to_string()
    };
    let changed_words = if too_large { usize::MAX } else { changed_words(old, new) };
    let change = if squeeze(old) == squeeze(new) {
        ChangeClass::Whitespace
    } else if squeeze(body(&found.source)) == squeeze(body(source)) {
        ChangeClass::FrontMatter
    } else if changed_words <= small_change {
        ChangeClass::Small
    } else {
        ChangeClass::Large
    };
    HandoffReport {
        commit: found.commit.clone(),
        date: gix::date::Time::new(found.time, 0).format_or_unix(gix::date::time::format::SHORT),
        commits_behind: found.behind.map(|behind| behind.commits),
        days_behind: found.behind.and_then(|behind| behind.last_change).map(|last| (last - found.time).max(0) / 86_400),
        change,
        changed_words: if too_large { 0 } else { changed_words },
        summary: structural_summary(&found.source, source),
        diff,
        shown_lines,
    }
}

/// The text without any whitespace.
fn squeeze(text: &str) -> String {
    text.split_whitespace().collect()
}

fn body(document: &Document) -> &str {
    document.text().get(document.body_start..).unwrap_or_default()
}

/// Words removed plus words added, counted inside changed lines only (a
/// word diff of the whole file would cost the product of the sizes).
fn changed_words(old: &str, new: &str) -> usize {
    let lines = TextDiff::from_lines(old, new);
    let mut changed = 0;
    for op in lines.ops() {
        if matches!(op, DiffOp::Equal { .. }) {
            continue;
        }
        let removed: String = lines.old_slices()[op.old_range()].concat();
        let added: String = lines.new_slices()[op.new_range()].concat();
        let words = TextDiff::from_words(removed.as_str(), added.as_str());
        changed += words
            .iter_all_changes()
            .filter(|change| change.tag() != ChangeTag::Equal && !change.value().trim().is_empty())
            .count();
    }
    changed
}

/// "2 links added, 1 heading removed": what a translator will have to add
/// or remove, from the facts of both versions.
fn structural_summary(old: &Document, new: &Document) -> String {
    let links = |document: &Document| document.facts.links.iter().map(|link| link.destination.to_string()).collect();
    let headings = |document: &Document| document.facts.headings.iter().map(|heading| heading.text.clone()).collect();
    let code = |document: &Document| document.facts.code_blocks.iter().map(|block| block.content.clone()).collect();
    let mut parts = Vec::new();
    for (noun, before, after) in [
        ("link", links(old), links(new)),
        ("heading", headings(old), headings(new)),
        ("code block", code(old), code(new)),
    ] {
        let (added, removed) = multiset_difference(before, after);
        if added > 0 {
            parts.push(format!("{} added", count(added, noun)));
        }
        if removed > 0 {
            parts.push(format!("{} removed", count(removed, noun)));
        }
    }
    parts.join(", ")
}

/// Items only in `after` and only in `before`, counting repeats.
fn multiset_difference(mut before: Vec<String>, mut after: Vec<String>) -> (usize, usize) {
    before.sort_unstable();
    after.sort_unstable();
    let (mut i, mut j, mut added, mut removed) = (0, 0, 0, 0);
    while i < before.len() && j < after.len() {
        match before[i].cmp(&after[j]) {
            std::cmp::Ordering::Less => {
                removed += 1;
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                added += 1;
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                i += 1;
                j += 1;
            }
        }
    }
    (added + after.len() - j, removed + before.len() - i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multiset_difference_counts_repeats() {
        let strings = |items: &[&str]| items.iter().map(|item| item.to_string()).collect();
        assert_eq!(multiset_difference(strings(&["a", "a", "b"]), strings(&["a", "c", "c"])), (2, 2));
        assert_eq!(multiset_difference(strings(&[]), strings(&["x"])), (1, 0));
    }

    #[test]
    fn changed_words_counts_only_the_words_that_changed() {
        assert_eq!(changed_words("one two three\nfour\n", "one two three\nfour\n"), 0);
        assert_eq!(changed_words("Open the menu now.\nKeep.\n", "Open the panel now.\nKeep.\n"), 2);
        assert_eq!(changed_words("a\n", "a\nb c\n"), 2);
    }
}
