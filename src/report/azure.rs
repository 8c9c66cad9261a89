//! Azure Pipelines logging commands: one issue per finding,
//! `##vso[task.logissue type=error;sourcepath=PATH;linenumber=L;columnnumber=C;code=RULE]MESSAGE`.
//!
//! The agent reads `%AZP25` for `%`, `%0D` and `%0A` for line breaks, and in
//! property values `%3B` for `;` and `%5D` for `]`, which would end the value
//! or the command. Azure has no info level: info findings are warnings.

use std::io::{self, Write};

use crate::diagnostic::Severity;
use crate::engine::{GroupReport, Sink, Summary};

pub(super) struct Azure<'a> {
    pub(super) base: String,
    pub(super) out: &'a mut dyn Write,
}

impl Sink for Azure<'_> {
    fn group(&mut self, group: &GroupReport<'_>) -> io::Result<()> {
        for diagnostic in group.findings {
            let kind = if diagnostic.severity == Severity::Error { "error" } else { "warning" };
            let start = diagnostic.start();
            let path = super::rebase(&self.base, &diagnostic.path);
            let mut message = format!("{}: {}", diagnostic.rule, diagnostic.message);
            if let Some(help) = &diagnostic.help {
                message.push_str(&format!(" ({help})"));
            }
            writeln!(
                self.out,
                "##vso[task.logissue type={kind};sourcepath={};linenumber={};columnnumber={};code={}]{}",
                escape_property(&path),
                start.line,
                start.column,
                escape_property(diagnostic.rule),
                escape_data(&message)
            )?;
        }
        Ok(())
    }

    fn finish(&mut self, _: &Summary) -> io::Result<()> {
        Ok(())
    }
}

/// The message after `]`.
fn escape_data(text: &str) -> String {
    text.replace('%', "%AZP25").replace('\r', "%0D").replace('\n', "%0A")
}

/// A `key=value` property: also `;` and `]`.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(';', "%3B").replace(']', "%5D")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_follow_the_agent() {
        assert_eq!(escape_data("50% done\r\n##vso[task.complete]"), "50%AZP25 done%0D%0A##vso[task.complete]");
        assert_eq!(escape_property("a;b]c%\n"), "a%3Bb%5Dc%AZP25%0A");
    }
}
