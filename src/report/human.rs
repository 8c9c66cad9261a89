//! miette reports with snippets of the copy and of the source.

use std::io::{self, Write};

use miette::{GraphicalReportHandler, GraphicalTheme};

use super::Style;
use crate::diagnostic::Severity;
use crate::engine::Report;

pub fn write(report: &Report, style: Style, out: &mut dyn Write) -> io::Result<()> {
    let theme = if style.color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
    let handler =
        GraphicalReportHandler::new_themed(theme).with_width(style.width).with_links(false).with_context_lines(1);
    for diagnostic in &report.diagnostics {
        let mut rendered = String::new();
        handler.render_report(&mut rendered, diagnostic).map_err(|error| io::Error::other(error.to_string()))?;
        writeln!(out, "{rendered}")?;
    }
    Ok(())
}

/// "Found 2 errors and 1 warning in 12 files (4 articles) in 0.03s".
pub fn summary(report: &Report) -> String {
    let counts: Vec<String> = [(Severity::Error, "error"), (Severity::Warning, "warning"), (Severity::Info, "info")]
        .into_iter()
        .filter_map(|(severity, noun)| {
            let count = report.count(severity);
            (count > 0).then(|| format!("{count} {noun}{}", if count == 1 { "" } else { "s" }))
        })
        .collect();
    let found = match counts.len() {
        0 => "No problems found".to_string(),
        1 => format!("Found {}", counts[0]),
        _ => format!("Found {} and {}", counts[..counts.len() - 1].join(", "), counts[counts.len() - 1]),
    };
    let baseline = match report.baseline {
        Some(outcome) if outcome.fixed > 0 => format!(
            "; the baseline hid {} and {} of its findings are fixed (rewrite it with --write-baseline to shrink it)",
            outcome.hidden, outcome.fixed
        ),
        Some(outcome) => format!("; the baseline hid {}", outcome.hidden),
        None => String::new(),
    };
    format!(
        "{found} in {} file{} ({} article{}) in {:.2}s{baseline}",
        report.files,
        if report.files == 1 { "" } else { "s" },
        report.groups,
        if report.groups == 1 { "" } else { "s" },
        report.elapsed.as_secs_f64()
    )
}
