//! One line per finding: `path:line:col: severity[rule] message`, with
//! `[*] ` before the message of a finding `--fix` can fix (as ruff marks them).

use std::io::{self, Write};

use crate::engine::{GroupReport, Sink, Summary};

pub(super) struct Concise<'a> {
    pub(super) base: String,
    pub(super) out: &'a mut dyn Write,
}

impl Sink for Concise<'_> {
    fn group(&mut self, group: &GroupReport<'_>) -> io::Result<()> {
        for diagnostic in group.findings {
            write_line(&self.base, diagnostic, self.out)?;
        }
        Ok(())
    }

    fn finish(&mut self, _: &Summary) -> io::Result<()> {
        Ok(())
    }
}

fn write_line(base: &str, diagnostic: &crate::Diagnostic, out: &mut dyn Write) -> io::Result<()> {
    let start = diagnostic.start();
    let path = super::rebase(base, &diagnostic.path);
    // A line that starts with `::` is a workflow command to GitHub.
    let lead = if path.starts_with("::") { "./" } else { "" };
    writeln!(
        out,
        "{lead}{}:{}:{}: {}[{}] {}{}",
        super::escape_line(&path),
        start.line,
        start.column,
        diagnostic.severity,
        diagnostic.rule,
        super::fixable_marker(diagnostic),
        super::escape_line(&diagnostic.message)
    )
}
