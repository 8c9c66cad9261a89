//! The terminal view of a [`Status`]: two tables per locale and the most
//! urgent articles, within 80 columns.

use std::fmt::Write as _;

use super::{priority_rank, CopyState, Status};
use crate::diagnostic::ChangeClass;
use crate::report::escape_line;

/// Articles the terminal lists; the JSON and the page have them all.
const QUEUE_SHOWN: usize = 10;
const WIDTH: usize = 80;

const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const YELLOW: &str = "\x1b[33m";
const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

pub fn render(status: &Status, color: bool) -> String {
    let paint =
        |text: String, code: &str| if color && !code.is_empty() { format!("{code}{text}{RESET}") } else { text };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} in {}, source {}",
        paint(
            format!(
                "{} ({})",
                crate::rules::count(status.articles, "article"),
                crate::rules::count(usize::try_from(status.source_words).unwrap_or(usize::MAX), "source word")
            ),
            BOLD
        ),
        crate::rules::count(status.locales.len(), "locale"),
        escape_line(&status.source_locale)
    );
    if status.locales.is_empty() {
        return out;
    }
    let name_width = status.locales.keys().map(|name| name.chars().count()).max().unwrap_or(6).clamp(6, 12);
    let name = |locale: &str| truncate(&escape_line(locale), name_width);
    out.push('\n');
    let _ = writeln!(
        out,
        "{:<name_width$} {:>6} {:>6} {:>8} {:>9} {:>7} {:>8} {:>8}",
        "locale", "fresh", "stale", "missing", "orphaned", "errors", "unknown", "current"
    );
    for (locale, counts) in &status.locales {
        let warn = |count: usize, code: &'static str| if count > 0 { code } else { "" };
        let share_color = match counts.current_share {
            share if share >= 90.0 => GREEN,
            share if share >= 50.0 => YELLOW,
            _ => RED,
        };
        let _ = writeln!(
            out,
            "{:<name_width$} {:>6} {} {} {:>9} {} {:>8} {}",
            name(locale),
            counts.fresh,
            paint(format!("{:>6}", counts.stale), warn(counts.stale, YELLOW)),
            paint(format!("{:>8}", counts.missing), warn(counts.missing, YELLOW)),
            counts.orphaned,
            paint(format!("{:>7}", counts.with_errors), warn(counts.with_errors, RED)),
            counts.unknown,
            paint(format!("{:>7.1}%", counts.current_share), share_color),
        );
    }
    if status.locales.values().any(|counts| counts.stale > 0) {
        out.push('\n');
        let _ = writeln!(
            out,
            "{:<name_width$} {:>10} {:>12} {:>6} {:>6} {:>6} {:>9} {:>9}",
            "stale", "whitespace", "front-matter", "small", "large", "other", "median", "oldest"
        );
        for (locale, counts) in status.locales.iter().filter(|(_, counts)| counts.stale > 0) {
            let class = counts.stale_by_class;
            let behind = |days: Option<i64>, commits: Option<usize>| match (days, commits) {
                (None, None) => "-".to_string(),
                (days, commits) => format!(
                    "{}d/{}c",
                    days.map_or("?".to_string(), |days| days.to_string()),
                    commits.map_or("?".to_string(), |commits| commits.to_string())
                ),
            };
            let _ = writeln!(
                out,
                "{:<name_width$} {:>10} {:>12} {:>6} {:>6} {:>6} {:>9} {:>9}",
                name(locale),
                class.whitespace,
                class.front_matter,
                class.small,
                class.large,
                class.unclassified,
                behind(counts.staleness.median_days, counts.staleness.median_commits),
                behind(counts.staleness.oldest_days, counts.staleness.oldest_commits),
            );
        }
        let _ = writeln!(out, "(behind by d: days from handoff to last source change, c: source commits)");
    }
    let urgent: Vec<_> = status.queue.iter().filter(|article| article.lagging > 0).collect();
    if !urgent.is_empty() {
        out.push('\n');
        let _ = writeln!(
            out,
            "{}",
            paint(format!("Most urgent of {}:", crate::rules::count(urgent.len(), "lagging article")), BOLD)
        );
        for article in urgent.iter().take(QUEUE_SHOWN) {
            let marker = match priority_rank(article.priority.as_deref()) {
                0 => "!",
                2 => "-",
                _ => " ",
            };
            let lagging: Vec<String> = article
                .copies
                .iter()
                .filter_map(|(locale, copy)| {
                    let what = match copy.state {
                        CopyState::Missing => "missing".to_string(),
                        CopyState::Unknown => "unknown".to_string(),
                        CopyState::Stale => match (copy.change, copy.commits_behind) {
                            (Some(change), Some(commits)) if commits > 0 => {
                                format!("{} {commits} c", class_name(change))
                            }
                            (Some(change), _) => class_name(change).to_string(),
                            (None, _) => "stale".to_string(),
                        },
                        CopyState::Fresh | CopyState::Orphaned => return None,
                    };
                    Some(format!("{} {what}", escape_line(locale)))
                })
                .collect();
            let line = format!("{marker} {}  {}", escape_line(&article.path), lagging.join(", "));
            let _ = writeln!(out, "{}", truncate(&line, WIDTH));
        }
        if urgent.len() > QUEUE_SHOWN {
            let _ = writeln!(out, "  … {} more (--format json or --html FILE for all)", urgent.len() - QUEUE_SHOWN);
        }
    }
    out
}

pub fn class_name(change: ChangeClass) -> &'static str {
    match change {
        ChangeClass::Whitespace => "whitespace",
        ChangeClass::FrontMatter => "front-matter",
        ChangeClass::Small => "small",
        ChangeClass::Large => "large",
    }
}

/// `text` cut to `width` characters, with `…` when cut.
fn truncate(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(width.saturating_sub(1)).collect();
    cut.push('…');
    cut
}
