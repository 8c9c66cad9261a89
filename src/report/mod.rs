//! Reporters: they format findings and nothing else.

mod concise;
mod human;
mod json;

use std::io::{self, Write};

use crate::engine::Report;

pub use human::summary;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Concise,
    Json,
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
    }
}
