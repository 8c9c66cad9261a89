//! One line per finding: `path:line:col: severity[rule] message`.

use std::io::{self, Write};

use crate::engine::Report;

pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    for diagnostic in &report.diagnostics {
        let start = diagnostic.start();
        let path = super::rebase(&report.base, &diagnostic.path);
        // A line that starts with `::` is a workflow command to GitHub.
        let lead = if path.starts_with("::") { "./" } else { "" };
        writeln!(
            out,
            "{lead}{}:{}:{}: {}[{}] {}",
            super::escape_line(&path),
            start.line,
            start.column,
            diagnostic.severity,
            diagnostic.rule,
            super::escape_line(&diagnostic.message)
        )?;
    }
    Ok(())
}
