//! One line per finding: `path:line:col: severity[rule] message`.

use std::io::{self, Write};

use crate::engine::Report;

pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    for diagnostic in &report.diagnostics {
        let start = diagnostic.start();
        writeln!(
            out,
            "{}:{}:{}: {}[{}] {}",
            super::rebase(&report.base, &diagnostic.path),
            start.line,
            start.column,
            diagnostic.severity,
            diagnostic.rule,
            diagnostic.message
        )?;
    }
    Ok(())
}
