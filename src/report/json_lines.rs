//! JSON Lines: one compact JSON object per finding, the diagnostic of the
//! `json` format, for tools that read a stream line by line.

use std::io::{self, Write};

use crate::engine::{GroupReport, Sink, Summary};

pub(super) struct JsonLines<'a> {
    pub(super) base: String,
    pub(super) out: &'a mut dyn Write,
}

impl Sink for JsonLines<'_> {
    fn group(&mut self, group: &GroupReport<'_>) -> io::Result<()> {
        for diagnostic in group.findings {
            serde_json::to_writer(&mut *self.out, &super::json::json_diagnostic(&self.base, diagnostic))?;
            self.out.write_all(b"\n")?;
        }
        Ok(())
    }

    fn finish(&mut self, _: &Summary) -> io::Result<()> {
        Ok(())
    }
}
