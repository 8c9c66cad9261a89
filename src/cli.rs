//! Command-line arguments, resolved once into a [`loclint::Request`].

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use loclint::report::Format;

#[derive(Debug, Parser)]
#[command(
    name = "loclint",
    version,
    propagate_version = true,
    about = "Keeps localized documentation consistent with its source"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint roots, folders or single files (a file lints its whole article group)
    Lint(Box<LintArgs>),
    /// List every rule: name, group, default severity, `[*]` if fixable, summary
    Rules {
        /// `text` (aligned columns) or `json` (for tooling)
        #[arg(long, value_enum, default_value_t = RulesFormat::Text)]
        format: RulesFormat,
    },
    /// Print a rule's full documentation
    Explain {
        /// Rule name, e.g. stale-hash
        rule: String,
    },
    /// How far behind each locale is and which articles need work first
    Status(Box<StatusArgs>),
    /// Print shell completions, the man page or the JSON schema of loclint.toml
    #[command(subcommand)]
    Generate(Generate),
    /// Write a starter loclint.toml detected from the tree
    Init {
        /// The folder to describe [default: the current folder]
        folder: Option<PathBuf>,
        /// Replace an existing loclint.toml
        #[arg(long)]
        force: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum Generate {
    /// Shell completions, e.g. `loclint generate completions bash > /etc/bash_completion.d/loclint`
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// The man page (roff), e.g. `loclint generate man > loclint.1`; with
    /// --out-dir, every page (loclint.1, loclint-lint.1 …) into that folder
    Man {
        /// Write loclint.1 and a page per command (loclint-lint.1 …) here
        #[arg(long, value_name = "DIR")]
        out_dir: Option<std::path::PathBuf>,
    },
    /// The JSON schema of loclint.toml (also committed as loclint.schema.json)
    Schema,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct LintArgs {
    /// Roots, folders or files to lint [default: the current folder]; `-`
    /// reads one file's text from standard input (with --stdin-filename)
    pub paths: Vec<PathBuf>,
    /// Use this config file instead of the nearest loclint.toml
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Source locale [default: en-us, or `source` in loclint.toml]
    #[arg(long, value_name = "LOCALE")]
    pub source: Option<String>,
    /// Only check copies in this locale (repeatable)
    #[arg(long = "locale", value_name = "LOCALE")]
    pub locales: Vec<String>,
    /// Output format [default: human on a terminal, concise otherwise]
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Write the report to FILE; the terminal keeps the summary
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Only run these rules, groups (`segments`) or `ALL` (comma-separated)
    #[arg(long, value_delimiter = ',', value_name = "RULE,...")]
    pub select: Vec<String>,
    /// Do not run these rules, groups or `ALL` (comma-separated); beats a
    /// broader --select entry
    #[arg(long, value_delimiter = ',', value_name = "RULE,...")]
    pub ignore: Vec<String>,
    /// Worker threads [default: one per core]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
    /// Lint only the articles with files changed since this git revision
    /// (committed, staged, unstaged or untracked)
    #[arg(long, value_name = "REF")]
    pub changed_since: Option<String>,
    /// Lint only shard K of N (1-based), for CI matrices; every article is in exactly one shard
    #[arg(long, value_name = "K/N", value_parser = parse_shard)]
    pub shard: Option<(usize, usize)>,
    /// Do not read git history: judge every copy against the current source
    #[arg(long, env = "LOCLINT_NO_HISTORY")]
    pub no_history: bool,
    /// Also lint what `.gitignore` and `.ignore` files exclude (hidden files
    /// and folders are still skipped)
    #[arg(long)]
    pub no_ignore: bool,
    /// Print each stale copy's whole source diff since its handoff (the
    /// human report shows the first lines)
    #[arg(long)]
    pub show_source_diff: bool,
    /// Hide the findings recorded in this baseline file
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record the current findings in FILE (then exit 0)
    #[arg(long, value_name = "FILE", conflicts_with_all = ["fix", "diff"])]
    pub write_baseline: Option<PathBuf>,
    /// Apply safe fixes, then report what is left
    #[arg(long)]
    pub fix: bool,
    /// Print the safe fixes as a unified diff without writing them
    #[arg(long, conflicts_with = "fix")]
    pub diff: bool,
    /// Print findings only, no summary
    #[arg(long, short)]
    pub quiet: bool,
    /// Exit 0 even when there are findings (a run that fails still exits 2)
    #[arg(long, conflicts_with = "fail_on")]
    pub exit_zero: bool,
    /// Exit 1 when a finding has this severity or a higher one [default: error]
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<FailOn>,
    /// Print counts of findings by rule and by locale instead of the findings
    #[arg(long)]
    pub statistics: bool,
    /// Print the resolved settings (root, config, layout, rules…) and exit
    #[arg(long, conflicts_with_all = ["show_files", "fix", "diff", "write_baseline"])]
    pub show_settings: bool,
    /// Print the files that would be linted, with each file's locale and
    /// article, and exit
    #[arg(long, conflicts_with_all = ["fix", "diff", "write_baseline"])]
    pub show_files: bool,
    /// The path of the text read from standard input (`lint -`): the file
    /// it replaces (it need not exist); only its findings are reported. With
    /// --fix, the fixed text goes to stdout and the report to stderr
    #[arg(long, value_name = "PATH", conflicts_with_all = ["diff", "write_baseline"])]
    pub stdin_filename: Option<PathBuf>,
    /// Colour the human report
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Roots, folders or files [default: the current folder]
    pub paths: Vec<PathBuf>,
    /// Use this config file instead of the nearest loclint.toml
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Source locale [default: en-us, or `source` in loclint.toml]
    #[arg(long, value_name = "LOCALE")]
    pub source: Option<String>,
    /// Only these locales (repeatable)
    #[arg(long = "locale", value_name = "LOCALE")]
    pub locales: Vec<String>,
    /// Output format on stdout
    #[arg(long, value_enum, default_value_t = StatusFormat::Table)]
    pub format: StatusFormat,
    /// Also write the dashboard, one self-contained HTML page, to FILE
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    /// Exit 1 when a locale's share of current source words is below PERCENT
    #[arg(long, value_name = "PERCENT", value_parser = parse_percent)]
    pub fail_under: Option<f64>,
    /// Months of trend from git history [default: 12, or `trend-months` in [status]; 0: none]
    #[arg(long, value_name = "N")]
    pub trend_months: Option<usize>,
    /// Front matter key of the source's priority [default: ms.localizationpriority]
    #[arg(long, value_name = "KEY")]
    pub priority_key: Option<String>,
    /// Worker threads [default: one per core]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
    /// Do not read git history: judge every copy against the current source
    #[arg(long, env = "LOCLINT_NO_HISTORY")]
    pub no_history: bool,
    /// Also count what `.gitignore` and `.ignore` files exclude
    #[arg(long)]
    pub no_ignore: bool,
    /// No progress bar
    #[arg(long, short)]
    pub quiet: bool,
    /// Colour the table
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatusFormat {
    Table,
    Json,
}

impl StatusArgs {
    pub fn request(&self) -> loclint::Request {
        loclint::Request {
            paths: self.paths.clone(),
            config: self.config.clone(),
            source: self.source.clone(),
            locales: self.locales.clone(),
            jobs: self.jobs.map(usize::from),
            no_history: self.no_history,
            no_ignore: self.no_ignore,
            ..loclint::Request::default()
        }
    }
}

/// The lowest severity that fails the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
}

impl FailOn {
    pub fn severity(self) -> loclint::Severity {
        match self {
            FailOn::Error => loclint::Severity::Error,
            FailOn::Warning => loclint::Severity::Warning,
            FailOn::Info => loclint::Severity::Info,
        }
    }
}

fn parse_percent(text: &str) -> Result<f64, String> {
    match text.trim().trim_end_matches('%').parse::<f64>() {
        Ok(value) if (0.0..=100.0).contains(&value) => Ok(value),
        _ => Err(format!("expected a percentage from 0 to 100, not `{text}`")),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl LintArgs {
    pub fn request(&self) -> loclint::Request {
        loclint::Request {
            // `-` is the --stdin-filename file, read from standard input.
            paths: self
                .paths
                .iter()
                .map(|path| match &self.stdin_filename {
                    Some(named) if path.as_os_str() == "-" => named.clone(),
                    _ => path.clone(),
                })
                .collect(),
            config: self.config.clone(),
            source: self.source.clone(),
            locales: self.locales.clone(),
            select: self.select.clone(),
            ignore: self.ignore.clone(),
            jobs: self.jobs.map(usize::from),
            changed_since: self.changed_since.clone(),
            shard: self.shard,
            no_history: self.no_history,
            no_ignore: self.no_ignore,
        }
    }
}

fn parse_shard(text: &str) -> Result<(usize, usize), String> {
    let parsed = text.split_once('/').and_then(|(k, n)| Some((k.trim().parse().ok()?, n.trim().parse().ok()?)));
    match parsed {
        Some((k, n)) if k >= 1 && k <= n => Ok((k, n)),
        _ => Err(format!("expected K/N with 1 <= K <= N, e.g. 2/4, not `{text}`")),
    }
}
