//! Failures of the run itself (exit code 2), kept apart from findings.

use std::fmt;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use miette::{LabeledSpan, SourceCode};

use crate::diagnostic::SourceFile;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    Config(Box<ConfigError>),
    #[error("cannot read {path}: {message}")]
    Io { path: PathBuf, message: String },
    #[error("cannot write {path}: {message}")]
    Write { path: PathBuf, message: String },
    #[error("{message}")]
    Usage { message: String, help: Option<String> },
    /// A report sink failed to write (a closed pipe, a full disk).
    #[error("cannot write the report: {0}")]
    Report(std::io::Error),
}

impl Error {
    pub fn usage(message: impl Into<String>) -> Error {
        Error::Usage { message: message.into(), help: None }
    }

    pub fn usage_with_help(message: impl Into<String>, help: impl Into<String>) -> Error {
        Error::Usage { message: message.into(), help: Some(help.into()) }
    }

    pub fn io(path: impl Into<PathBuf>, error: impl fmt::Display) -> Error {
        Error::Io { path: path.into(), message: error.to_string() }
    }

    pub fn write(path: impl Into<PathBuf>, error: impl fmt::Display) -> Error {
        Error::Write { path: path.into(), message: error.to_string() }
    }
}

impl miette::Diagnostic for Error {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        match self {
            Error::Config(error) => error.code(),
            _ => None,
        }
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        match self {
            Error::Config(error) => error.help(),
            Error::Usage { help: Some(help), .. } => Some(Box::new(help)),
            _ => None,
        }
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        match self {
            Error::Config(error) => error.source_code(),
            _ => None,
        }
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        match self {
            Error::Config(error) => error.labels(),
            _ => None,
        }
    }
}

/// A problem in `loclint.toml`, shown with the offending line.
#[derive(Debug)]
pub struct ConfigError {
    pub file: Arc<SourceFile>,
    pub span: Range<usize>,
    pub message: String,
    pub label: String,
    pub help: Option<String>,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid configuration in {}: {}", self.file.name, self.message)
    }
}

impl std::error::Error for ConfigError {}

impl miette::Diagnostic for ConfigError {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new("config"))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help.as_ref().map(|help| Box::new(help) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&*self.file)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(LabeledSpan::new_primary_with_span(Some(self.label.clone()), self.span.clone()))))
    }
}

/// Bytes of the longest name `did_you_mean` compares.
pub const MAX_SUGGESTED_LEN: usize = 512;

/// "did you mean `x`?" for a misspelt name among `candidates`.
///
/// Jaro-Winkler costs the product of the two lengths; names longer than
/// `MAX_SUGGESTED_LEN` characters (a 20 KB link target) are not misspellings
/// anyone retypes, and are not compared.
pub fn did_you_mean<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    if name.len() > MAX_SUGGESTED_LEN {
        return None;
    }
    candidates
        .into_iter()
        .filter(|candidate| candidate.len() <= MAX_SUGGESTED_LEN)
        .map(|candidate| (strsim::jaro_winkler(name, candidate), candidate))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| format!("did you mean `{candidate}`?"))
}
