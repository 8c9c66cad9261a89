//! loclint: checks every localized copy of a documentation tree against
//! its source-locale original.
//!
//! Data flows one way: files → [`document::Document`] facts → rule findings
//! → sorted [`Diagnostic`]s → a reporter. The library never prints.
#![warn(clippy::print_stdout, clippy::print_stderr)]
// Input must never panic loclint (SECURITY.md); tests may unwrap freely.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::unreachable, clippy::todo)
)]

pub mod baseline;
pub mod config;
pub mod corpus;
pub mod diagnostic;
pub mod discover;
pub mod document;
pub mod engine;
pub mod error;
pub mod fix;
pub mod git;
pub mod history;
pub mod init;
pub mod locale;
pub mod memory;
pub mod profile;
pub mod progress;
pub mod report;
pub mod rules;
pub mod settings;
pub mod status;
pub mod suppress;
pub mod write;

pub use diagnostic::{Diagnostic, Severity};
pub use engine::{lint, lint_into, GroupReport, Render, Rendered, Report, Sink, Summary};
pub use error::Error;
pub use rules::RULES;
pub use settings::{Request, Settings};
