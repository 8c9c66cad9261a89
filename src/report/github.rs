//! GitHub Actions workflow commands: one annotation per finding,
//! `::error file=PATH,line=L,col=C,endLine=L2,endColumn=C2,title=loclint RULE::MESSAGE`.
//!
//! GitHub reads `%`, CR and LF escaped in the message, and also `:` and `,`
//! in property values, where they would end the value.

use std::io::{self, Write};

use crate::diagnostic::Severity;
use crate::engine::{GroupReport, Sink, Summary};

pub(super) struct Github<'a> {
    pub(super) base: String,
    pub(super) out: &'a mut dyn Write,
}

impl Sink for Github<'_> {
    fn group(&mut self, group: &GroupReport<'_>) -> io::Result<()> {
        for diagnostic in group.findings {
            write_command(&self.base, diagnostic, self.out)?;
        }
        Ok(())
    }

    fn finish(&mut self, _: &Summary) -> io::Result<()> {
        Ok(())
    }
}

fn write_command(base: &str, diagnostic: &crate::Diagnostic, out: &mut dyn Write) -> io::Result<()> {
    let command = match diagnostic.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Off => "notice",
    };
    let mut properties = vec![("file", super::rebase(base, &diagnostic.path))];
    if let Some(location) = &diagnostic.location {
        let (start, end) = super::annotated_range(location);
        properties.extend([
            ("line", start.line.to_string()),
            ("col", start.column.to_string()),
            ("endLine", end.line.to_string()),
            ("endColumn", end.column.to_string()),
        ]);
    }
    properties.push(("title", format!("loclint {}", diagnostic.rule)));
    let properties: Vec<String> = properties
        .iter()
        .map(|(key, value)| format!("{key}={}", escape_property(&super::escape_line(value))))
        .collect();
    // The message and the help are one line each; the break between
    // them is loclint's own.
    let mut message = super::escape_line(&diagnostic.message).into_owned();
    if let Some(help) = &diagnostic.help {
        message.push('\n');
        message.push_str(&super::escape_line(help));
    }
    writeln!(out, "::{command} {}::{}", properties.join(","), escape_data(&message))
}

/// The message after `::`.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// A `key=value` property: also `:` and `,`.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_follow_the_runner() {
        assert_eq!(escape_data("50% done\r\nnext: a, b"), "50%25 done%0D%0Anext: a, b");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }
}
