//! Reporters: they format findings and nothing else.

mod concise;
mod github;
mod human;
mod json;
mod junit;
mod sarif;

use std::io::{self, Write};

use crate::engine::Report;

pub use human::summary;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Concise,
    Json,
    // SARIF 2.1.0, for code scanning.
    Sarif,
    // GitHub Actions workflow commands (annotations).
    Github,
    // JUnit XML, one test case per file with findings.
    Junit,
}

#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
    /// Width the human report wraps at.
    pub width: usize,
}

pub fn write(format: Format, report: &Report, style: Style, out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Human => human::write(report, style, out),
        Format::Concise => concise::write(report, out),
        Format::Json => json::write(report, out),
        Format::Sarif => sarif::write(report, out),
        Format::Github => github::write(report, out),
        Format::Junit => junit::write(report, out),
    }
}
