//! The `loclint` binary: arguments → settings → lint → report → exit code.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::unreachable, clippy::todo)
)]

mod cli;
mod progress_bar;

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;
use loclint::baseline::Baseline;
use loclint::fix;
use loclint::report::{self, Format, Style};
use loclint::{Error, Settings, Summary, RULES};

use cli::{Cli, ColorChoice, Command, LintArgs, StatusArgs, StatusFormat};

/// Exit codes of SPEC §3.
mod exit {
    pub const CLEAN: u8 = 0;
    pub const FINDINGS: u8 = 1;
    pub const FAILURE: u8 = 2;
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            let code = if error.use_stderr() { exit::FAILURE } else { exit::CLEAN };
            return ExitCode::from(code);
        }
    };
    let result = match cli.command {
        Command::Lint(args) => lint(&args),
        Command::Status(args) => status(&args),
        Command::Rules => print_rules().map(|_| exit::CLEAN),
        Command::Explain { rule } => explain(&rule),
        Command::Init { folder, force } => init(folder.as_deref(), force),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(error) => {
            eprint!("{}", render_error(&error));
            ExitCode::from(exit::FAILURE)
        }
    }
}

fn lint(args: &LintArgs) -> Result<u8, Error> {
    let mut settings = Settings::resolve(&args.request())?;
    settings.progress = progress_bar::for_run(args.quiet);
    // Read the baseline before any work, so a bad one fails fast.
    let baseline = args.baseline.as_deref().map(Baseline::load).transpose()?;
    if args.fix || args.diff {
        // Fixes need every fixable finding of a file at once: this run
        // keeps the findings in memory; the report below is a fresh run.
        let report = loclint::lint(&settings)?;
        let planned = fix::plan(&settings.root, &report.diagnostics);
        drop(report);
        if args.diff {
            print!("{}", fix::diff(&planned));
            return Ok(if planned.is_empty() { exit::CLEAN } else { exit::FINDINGS });
        }
        let outcomes = fix::apply(&planned);
        let (mut fixes, mut written) = (0, 0);
        for (file, outcome) in planned.iter().zip(&outcomes) {
            match outcome {
                fix::Outcome::Written => {
                    fixes += file.fixes;
                    written += 1;
                }
                fix::Outcome::Changed => {
                    eprintln!("note: {} changed while loclint ran; not fixed", report::escape_line(&file.display))
                }
                fix::Outcome::Failed(message) => {
                    eprintln!("error: {}; not fixed", report::escape_line(message))
                }
            }
        }
        if written > 0 {
            eprintln!("fixed {fixes} finding{} in {written} file{}", plural(fixes), plural(written));
        }
    }
    if let Some(path) = &args.write_baseline {
        let mut writer = loclint::baseline::Writer::new(loclint::write::Streamed::create(path)?);
        loclint::lint_into(&settings, &mut writer).map_err(|error| on_output(error, path))?;
        let (count, file) = writer.into_inner();
        file.commit()?;
        let shown = path.display().to_string();
        eprintln!("wrote {count} finding{} to the baseline {}", plural(count), report::escape_line(&shown));
        return Ok(exit::CLEAN);
    }
    let stdout = io::stdout();
    let on_terminal = stdout.is_terminal();
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => on_terminal && std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty()),
    };
    let format = args.format.unwrap_or(if on_terminal { Format::Human } else { Format::Concise });
    let style = Style { color, width: terminal_width(), full_source_diffs: args.show_source_diff };
    // Paths are shown from the working folder, so that terminals, editors
    // and CI annotations find the files.
    let base = std::env::current_dir()
        .ok()
        .and_then(|cwd| cwd.canonicalize().ok())
        .map(|cwd| shown_root(&cwd, &settings.root))
        .unwrap_or_default();
    let summary = match &args.output {
        Some(path) => {
            let mut file = loclint::write::Streamed::create(path)?;
            let summary = {
                let mut sink = report::sink(format, Style { color: false, ..style }, &base, &mut file);
                run(&settings, baseline.as_ref(), &mut *sink).map_err(|error| on_output(error, path))?
            };
            file.commit()?;
            print_notes(&summary);
            if !args.quiet {
                println!("{}", report::summary(&summary));
            }
            summary
        }
        None => {
            // Buffered (the standard output's own buffer flushes every
            // line); a closed pipe (`loclint lint | head`) is not a failure
            // of the run: the rest of the report is dropped.
            let mut out = Unpiped { out: io::BufWriter::with_capacity(1 << 16, stdout.lock()), closed: false };
            let summary = {
                let mut sink = report::sink(format, style, &base, &mut out);
                run(&settings, baseline.as_ref(), &mut *sink).map_err(|error| on_output(error, "<stdout>"))?
            };
            // Notes go to stderr; what is written so far goes first.
            out.flush().map_err(|error| Error::io("<stdout>", error))?;
            print_notes(&summary);
            if !args.quiet && matches!(format, Format::Human | Format::Concise) {
                writeln!(out, "{}", report::summary(&summary)).map_err(|error| Error::io("<stdout>", error))?;
            }
            out.flush().map_err(|error| Error::io("<stdout>", error))?;
            summary
        }
    };
    Ok(if summary.has_errors() { exit::FINDINGS } else { exit::CLEAN })
}

/// Lints into `sink`, through the baseline's filter when there is one; the
/// summary as the report shows it.
fn run(settings: &Settings, baseline: Option<&Baseline>, sink: &mut dyn loclint::Sink) -> Result<Summary, Error> {
    match baseline {
        Some(baseline) => {
            let mut filter = baseline.filter(sink);
            let summary = loclint::lint_into(settings, &mut filter)?;
            Ok(filter.adjusted(&summary))
        }
        None => loclint::lint_into(settings, sink),
    }
}

fn print_notes(summary: &Summary) {
    for note in &summary.notes {
        // Notes name paths from the tree and the command line.
        eprintln!("note: {}", report::escape_line(note));
    }
}

/// A report that could not be written names where it went.
fn on_output(error: Error, path: impl AsRef<std::path::Path>) -> Error {
    match error {
        Error::Report(error) => Error::io(path.as_ref(), error),
        other => other,
    }
}

/// The standard output, where a closed pipe swallows the rest.
struct Unpiped<W: Write> {
    out: W,
    closed: bool,
}

impl<W: Write> Unpiped<W> {
    fn closed(&mut self, result: io::Result<()>) -> io::Result<()> {
        match result {
            Err(error) if error.kind() == io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(())
            }
            other => other,
        }
    }
}

impl<W: Write> Write for Unpiped<W> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.write_all(bytes).map(|()| bytes.len())
    }

    fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        if self.closed {
            return Ok(());
        }
        let result = self.out.write_all(bytes);
        self.closed(result)
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.closed {
            return Ok(());
        }
        let result = self.out.flush();
        self.closed(result)
    }
}

fn status(args: &StatusArgs) -> Result<u8, Error> {
    use loclint::status::{self, StatusOptions};
    let mut settings = Settings::resolve(&args.request())?;
    settings.progress = progress_bar::for_run(args.quiet);
    let configured = match &settings.config_path {
        Some(path) => loclint::config::load(path)?.config.status,
        None => loclint::config::StatusConfig::default(),
    };
    let options = StatusOptions {
        priority_key: args
            .priority_key
            .clone()
            .or(configured.priority_key)
            .unwrap_or_else(|| status::DEFAULT_PRIORITY_KEY.to_string()),
        trend_months: args.trend_months.or(configured.trend_months).unwrap_or(status::trend::DEFAULT_MONTHS),
    };
    let status = status::collect(&settings, &options)?;
    if let Some(path) = &args.html {
        let folder = match path.parent().filter(|parent| !parent.as_os_str().is_empty()) {
            Some(parent) => parent.canonicalize().map_err(|error| Error::io(parent, error))?,
            None => {
                std::env::current_dir().and_then(|cwd| cwd.canonicalize()).map_err(|error| Error::io(".", error))?
            }
        };
        let title = settings
            .root
            .file_name()
            .map_or_else(|| settings.root.display().to_string(), |name| name.to_string_lossy().into_owned());
        let page = status::html::render(&status, &title, &status::html::link_base(&folder, &settings.root));
        loclint::write::atomic(path, page.as_bytes())?;
    }
    let stdout = io::stdout();
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => stdout.is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty()),
    };
    let text = match args.format {
        StatusFormat::Table => status::table::render(&status, color),
        StatusFormat::Json => {
            let mut json = serde_json::to_string_pretty(&status).map_err(|error| Error::usage(error.to_string()))?;
            json.push('\n');
            json
        }
    };
    let mut out = stdout.lock();
    if let Err(error) = out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        if error.kind() != io::ErrorKind::BrokenPipe {
            return Err(Error::io("<stdout>", error));
        }
    }
    if let Some(percent) = args.fail_under {
        let below = status.below(percent);
        if !below.is_empty() {
            eprintln!(
                "error: current share below {percent}% in {}",
                below.iter().map(|locale| report::escape_line(locale).into_owned()).collect::<Vec<_>>().join(", ")
            );
            return Ok(exit::FINDINGS);
        }
    }
    Ok(exit::CLEAN)
}

/// Run failures are rendered unwrapped (the terminal wraps), without colour
/// unless stderr is a terminal that wants it.
fn render_error(error: &Error) -> String {
    let color = io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty());
    let theme = if color { miette::GraphicalTheme::unicode() } else { miette::GraphicalTheme::unicode_nocolor() };
    let mut rendered = String::new();
    let handler = miette::GraphicalReportHandler::new_themed(theme).with_width(usize::MAX / 4).with_links(false);
    if handler.render_report(&mut rendered, &Escaped(error)).is_err() {
        rendered = format!("error: {}\n", report::escape_line(&error.to_string()));
    }
    rendered
}

/// A run failure with its texts escaped as the reports escape them: its
/// message, help and labels can quote file names and values from the tree
/// (a path on the command line, a rule name in `loclint.toml`), and a line
/// break there must not start a workflow command in a CI log. The snippet of
/// `loclint.toml` is masked by the file itself.
#[derive(Debug)]
struct Escaped<'a>(&'a Error);

impl std::fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&report::escape_line(&self.0.to_string()))
    }
}

impl std::error::Error for Escaped<'_> {}

impl miette::Diagnostic for Escaped<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        miette::Diagnostic::code(self.0).map(|code| Box::new(report::escape_line(&code.to_string()).into_owned()) as _)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        miette::Diagnostic::help(self.0).map(|help| Box::new(report::escape_line(&help.to_string()).into_owned()) as _)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        miette::Diagnostic::source_code(self.0)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        let labels = miette::Diagnostic::labels(self.0)?;
        Some(Box::new(labels.map(|label| {
            let text = label.label().map(|text| report::escape_line(text).into_owned());
            if label.primary() {
                miette::LabeledSpan::new_primary_with_span(text, *label.inner())
            } else {
                miette::LabeledSpan::new_with_span(text, *label.inner())
            }
        })))
    }
}

/// The lint root as a path from `cwd`: `docs`, `../..`, `""` for the same
/// folder, or the absolute root when neither holds the other.
fn shown_root(cwd: &std::path::Path, root: &std::path::Path) -> String {
    if let Ok(below) = root.strip_prefix(cwd) {
        return loclint::discover::relative_path_of(below);
    }
    match cwd.strip_prefix(root) {
        Ok(above) => vec![".."; above.components().count()].join("/"),
        Err(_) => root.display().to_string(),
    }
}

fn plural(count: usize) -> &'static str {
    if count == 1 {
        ""
    } else {
        "s"
    }
}

fn terminal_width() -> usize {
    std::env::var("COLUMNS").ok().and_then(|columns| columns.parse().ok()).unwrap_or(100)
}

fn print_rules() -> Result<(), Error> {
    let mut out = io::stdout().lock();
    let name_width = RULES.iter().map(|rule| rule.name.len()).max().unwrap_or(0);
    for rule in RULES {
        let _ = writeln!(
            out,
            "{:<name_width$}  {:<9}  {:<7}  {}",
            rule.name,
            rule.group.as_str(),
            rule.default_severity().as_str(),
            rule.summary
        );
    }
    Ok(())
}

fn init(folder: Option<&std::path::Path>, force: bool) -> Result<u8, Error> {
    let folder = folder.unwrap_or(std::path::Path::new("."));
    let path = folder.join(loclint::config::FILE_NAME);
    if path.exists() && !force {
        return Err(Error::usage_with_help(format!("{} already exists", path.display()), "pass --force to replace it"));
    }
    let config = loclint::init::detect(folder)?;
    // Prove the starter config loads before writing it.
    loclint::config::parse(&path.display().to_string(), &config)?;
    loclint::write::atomic(&path, config.as_bytes())?;
    eprintln!("wrote {}", path.display());
    Ok(exit::CLEAN)
}

fn explain(name: &str) -> Result<u8, Error> {
    let rule = loclint::rules::find(name).ok_or_else(|| Error::Usage {
        message: format!("unknown rule `{name}`"),
        help: loclint::error::did_you_mean(name, RULES.iter().map(|rule| rule.name))
            .or_else(|| Some("`loclint rules` lists every rule".into())),
    })?;
    print!("{}", strip_front_matter(rule.doc));
    Ok(exit::CLEAN)
}

/// Rule docs open with front matter for tooling; readers need the prose.
fn strip_front_matter(doc: &str) -> &str {
    doc.strip_prefix("---\n")
        .and_then(|rest| rest.find("\n---\n").map(|end| rest[end + 5..].trim_start_matches('\n')))
        .unwrap_or(doc)
}
