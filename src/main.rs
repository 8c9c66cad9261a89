//! The `loclint` binary: arguments → settings → lint → report → exit code.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::unreachable, clippy::todo)
)]

mod cli;
mod progress_bar;
mod show;
mod tap;

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use clap::{CommandFactory, Parser};
use loclint::baseline::Baseline;
use loclint::fix;
use loclint::report::{self, Format, Style};
use loclint::{Error, Settings, Severity, Summary, RULES};

use cli::{Cli, ColorChoice, Command, FailOn, Generate, LintArgs, RulesFormat, StatusArgs, StatusFormat};

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
        Command::Rules { format } => print_rules(format).map(|_| exit::CLEAN),
        Command::Explain { rule } => explain(&rule),
        Command::Init { folder, force } => init(folder.as_deref(), force),
        Command::Generate(what) => generate(&what),
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
    // Kept until the run ends: the file the text from standard input is read from.
    let stand_in = stdin_stand_in(args)?;
    let mut settings = Settings::resolve(&args.request())?;
    if args.show_settings {
        print!("{}", show::settings(&settings));
        return Ok(exit::CLEAN);
    }
    // Paths are shown from the working folder, so that terminals, editors
    // and CI annotations find the files.
    let base = shown_base(&settings);
    if args.show_files {
        print!("{}", show::files(&settings, &base)?);
        return Ok(exit::CLEAN);
    }
    settings.progress = progress_bar::for_run(args.quiet);
    // An editor shows the findings of its buffer, not of the other files.
    let only = stand_in.is_some().then(|| settings.targets.clone());
    // Read the baseline before any work, so a bad one fails fast.
    let baseline = args.baseline.as_deref().map(Baseline::load).transpose()?;
    // Findings fixed and files written by --fix, reported with the summary.
    let mut fixed = (0, 0);
    // `lint - --fix` (ruff's convention): the fixed text goes to stdout, for
    // the editor to put in its buffer; no file is written, and the report of
    // what is left goes to stderr.
    if stand_in.is_some() && args.fix && args.statistics {
        return Err(Error::usage("--statistics cannot be used with `lint - --fix`: stdout holds the fixed text"));
    }
    let fixed_stdin = match &stand_in {
        Some(temporary) if args.fix => {
            let report = loclint::lint(&settings)?;
            let planned = fix::plan(&settings.root, &report.diagnostics);
            drop(report);
            let mine = planned.iter().find(|file| settings.targets.first() == Some(&file.display));
            let text = match mine {
                Some(file) => {
                    fixed = (file.fixes, 1);
                    // The report below lints the fixed text.
                    std::fs::write(temporary.path(), &file.after)
                        .map_err(|error| Error::write("<temporary file>", error))?;
                    file.after.clone().into_bytes()
                }
                None => std::fs::read(temporary.path()).map_err(|error| Error::io("<stdin>", error))?,
            };
            Some(text)
        }
        _ => None,
    };
    if let Some(text) = &fixed_stdin {
        let mut out = io::stdout().lock();
        out.write_all(text).and_then(|()| out.flush()).map_err(|error| Error::write("<stdout>", error))?;
    }
    if (args.fix || args.diff) && fixed_stdin.is_none() {
        // Fixes need every fixable finding of a file at once: this run
        // keeps the fixable findings in memory; the report below is a fresh
        // run.
        let mut fixable = Fixable::default();
        loclint::lint_into(&settings, &mut fixable)?;
        let planned = fix::plan(&settings.root, &fixable.0);
        drop(fixable);
        if args.diff {
            print!("{}", fix::diff(&planned));
            let failing = !planned.is_empty() && !args.exit_zero;
            return Ok(if failing { exit::FINDINGS } else { exit::CLEAN });
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
        fixed = (fixes, written);
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
    let on_terminal = stdout.is_terminal() && fixed_stdin.is_none();
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => on_terminal && std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty()),
    };
    let format = args.format.unwrap_or(if on_terminal { Format::Human } else { Format::Concise });
    let style = Style { color, width: terminal_width(), full_source_diffs: args.show_source_diff };
    if args.statistics {
        let mut nothing = tap::Nothing;
        let mut tap = tap::Tap::new(&mut nothing, only, true);
        let summary = run(&settings, baseline.as_ref(), &mut tap)?;
        let summary = tap.adjusted(&summary);
        let nothing_found = found_something(args, &settings, &summary)?;
        print_notes(&summary, nothing_found);
        let statistics = tap.statistics.take().unwrap_or_default();
        let mut text = show::statistics(&statistics, format);
        if !args.quiet && format != Format::Json {
            text.push_str(&summary_lines(&summary, fixed, tap.fixable));
            text.push('\n');
        }
        let mut out = stdout.lock();
        if let Err(error) = out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
            if error.kind() != io::ErrorKind::BrokenPipe {
                return Err(Error::write("<stdout>", error));
            }
        }
        return Ok(exit_code(args, &summary));
    }
    let summary = match &args.output {
        Some(path) => {
            let mut file = loclint::write::Streamed::create(path)?;
            let (summary, fixable) = {
                let mut sink = report::sink(format, Style { color: false, ..style }, &base, &mut file);
                let mut tap = tap::Tap::new(&mut *sink, only, false);
                let summary = run(&settings, baseline.as_ref(), &mut tap).map_err(|error| on_output(error, path))?;
                (tap.adjusted(&summary), tap.fixable)
            };
            // A run with nothing to lint fails before the report is put in
            // place: an empty report would read as a clean tree.
            let nothing_found = found_something(args, &settings, &summary)?;
            file.commit()?;
            print_notes(&summary, nothing_found);
            if !args.quiet && fixed_stdin.is_some() {
                // stdout holds the fixed text.
                eprintln!("{}", summary_lines(&summary, fixed, fixable));
            } else if !args.quiet {
                println!("{}", summary_lines(&summary, fixed, fixable));
            }
            summary
        }
        None => {
            // Buffered (the standard output's own buffer flushes every
            // line); a closed pipe (`loclint lint | head`) is not a failure
            // of the run: the rest of the report is dropped. The buffer holds
            // a whole report without findings (SARIF's frame, with every
            // rule's documentation, is about 200 KB), so that the report of
            // a run with nothing to lint can be dropped unwritten.
            let target: Box<dyn Write> =
                if fixed_stdin.is_some() { Box::new(io::stderr().lock()) } else { Box::new(stdout.lock()) };
            let mut out = Unpiped { out: io::BufWriter::with_capacity(1 << 20, target), closed: false };
            let (summary, fixable) = {
                let mut sink = report::sink(format, style, &base, &mut out);
                let mut tap = tap::Tap::new(&mut *sink, only, false);
                let summary =
                    run(&settings, baseline.as_ref(), &mut tap).map_err(|error| on_output(error, "<stdout>"))?;
                (tap.adjusted(&summary), tap.fixable)
            };
            // A run with nothing to lint wrote no finding, so its report is
            // still in the buffer: dropped, it never reads as a clean tree.
            let nothing_found = match found_something(args, &settings, &summary) {
                Ok(nothing_found) => nothing_found,
                Err(error) => {
                    let _ = out.out.into_parts();
                    return Err(error);
                }
            };
            // Notes go to stderr; what is written so far goes first.
            out.flush().map_err(|error| Error::write("<stdout>", error))?;
            print_notes(&summary, nothing_found);
            if !args.quiet && matches!(format, Format::Human | Format::Concise) {
                writeln!(out, "{}", summary_lines(&summary, fixed, fixable))
                    .map_err(|error| Error::write("<stdout>", error))?;
            }
            out.flush().map_err(|error| Error::write("<stdout>", error))?;
            summary
        }
    };
    Ok(exit_code(args, &summary))
}

/// 1 when a finding reaches the --fail-on severity (error by default),
/// unless --exit-zero.
fn exit_code(args: &LintArgs, summary: &Summary) -> u8 {
    let threshold = args.fail_on.unwrap_or(FailOn::Error).severity();
    let reached: usize = [Severity::Error, Severity::Warning, Severity::Info]
        .into_iter()
        .filter(|severity| *severity >= threshold)
        .map(|severity| summary.count(severity))
        .sum();
    let failing = !args.exit_zero && reached > 0;
    if failing {
        exit::FINDINGS
    } else {
        exit::CLEAN
    }
}

/// Keeps only the findings `--fix` can fix: on a large tree the others
/// need not fit in memory.
#[derive(Default)]
struct Fixable(Vec<loclint::Diagnostic>);

impl loclint::Sink for Fixable {
    fn group(&mut self, group: &loclint::GroupReport<'_>) -> io::Result<()> {
        self.0.extend(group.findings.iter().filter(|diagnostic| diagnostic.fix.is_some()).cloned());
        Ok(())
    }

    fn finish(&mut self, _: &Summary) -> io::Result<()> {
        Ok(())
    }
}

/// The summary line; before it, what `--fix` fixed; after it, how many
/// findings `--fix` can fix (ruff's "[*] N fixable with the `--fix` option").
fn summary_lines(summary: &Summary, (fixes, files): (usize, usize), fixable: usize) -> String {
    let mut lines = String::new();
    if fixes > 0 {
        lines.push_str(&format!("Fixed {fixes} finding{} in {files} file{}\n", plural(fixes), plural(files)));
    }
    lines.push_str(&report::summary(summary));
    if fixable > 0 {
        lines.push_str(&format!("\n[*] {fixable} fixable with `--fix`"));
    }
    lines
}

/// Where the lint root is seen from: paths are shown from the working
/// folder, so that terminals, editors and CI annotations find the files.
fn shown_base(settings: &Settings) -> String {
    std::env::current_dir()
        .ok()
        .and_then(|cwd| cwd.canonicalize().ok())
        .map(|cwd| shown_root(&cwd, &settings.root))
        .unwrap_or_default()
}

/// A run that found nothing to lint. ruff warns "No Python files found" and
/// exits 0; but a docs gate pointed at the wrong folder would then pass
/// green, so a folder with nothing to lint fails the run (exit 2). Files
/// given one by one (pre-commit passing a README.md) and runs narrowed by
/// --changed-since or --shard may rightly select nothing: a warning, exit 0.
fn found_something(args: &LintArgs, settings: &Settings, summary: &Summary) -> Result<Option<String>, Error> {
    if summary.files > 0 || summary.errors + summary.warnings + summary.infos > 0 {
        return Ok(None);
    }
    let given: Vec<String> = if args.paths.is_empty() {
        vec![".".to_string()]
    } else {
        args.paths.iter().map(|path| path.display().to_string()).collect()
    };
    if let Some(revision) = &settings.changed_since {
        return Ok(Some(format!("no files to lint: no article under {} changed since `{revision}`", given.join(", "))));
    }
    if let Some((index, count)) = settings.shard {
        return Ok(Some(format!("no files to lint: shard {}/{count} holds no article", index + 1)));
    }
    let only_files = settings.targets.iter().all(|target| !target.is_empty() && settings.root.join(target).is_file());
    if only_files {
        let verb = if given.len() == 1 { "belongs" } else { "belong" };
        return Ok(Some(format!("no files to lint: {} {verb} to no article", given.join(", "))));
    }
    let what = match &settings.layout {
        loclint::discover::Layout::LocaleFolders => "in a locale folder (en-us/, ja-jp/, …)",
        loclint::discover::Layout::Roots(_) => "in a locale root of the [layout]",
        loclint::discover::Layout::Template { .. } => "that the [layout] templates match",
    };
    Err(Error::usage_with_help(
        format!("no files to lint: no Markdown file under {} is {what}", given.join(", ")),
        "give the folder that holds the locale folders, or describe the tree in loclint.toml ([layout], include); \
         `loclint lint --show-files` lists what would be linted",
    ))
}

/// For `lint -`: standard input, written to a temporary file that stands in
/// for the --stdin-filename file while the run reads the tree.
fn stdin_stand_in(args: &LintArgs) -> Result<Option<tempfile::NamedTempFile>, Error> {
    let dash = args.paths.iter().any(|path| path.as_os_str() == "-");
    let Some(target) = &args.stdin_filename else {
        if dash {
            return Err(Error::usage_with_help(
                "`-` reads standard input, which needs --stdin-filename",
                "name the file the text belongs to, e.g. `loclint lint - --stdin-filename ja-jp/a.md`",
            ));
        }
        return Ok(None);
    };
    if !dash || args.paths.len() != 1 {
        return Err(Error::usage_with_help(
            "--stdin-filename names the text read from standard input; give `-` as the only path",
            "e.g. `loclint lint - --stdin-filename ja-jp/a.md`",
        ));
    }
    let mut text = Vec::new();
    io::Read::read_to_end(&mut io::stdin().lock(), &mut text).map_err(|error| Error::io("<stdin>", error))?;
    let mut temporary = tempfile::NamedTempFile::new().map_err(|error| Error::write("<temporary file>", error))?;
    temporary.write_all(&text).map_err(|error| Error::write(temporary.path(), error))?;
    let absolute = std::env::current_dir().map_err(|error| Error::io(".", error))?.join(target);
    let stands_for = match (absolute.parent().and_then(|folder| folder.canonicalize().ok()), absolute.file_name()) {
        (Some(folder), Some(name)) => folder.join(name),
        _ => return Err(Error::usage(format!("no such file or folder: {}", target.display()))),
    };
    loclint::discover::stand_in(stands_for, temporary.path().to_path_buf());
    Ok(Some(temporary))
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

/// The run's notes and the warning that it found nothing to lint, if so.
fn print_notes(summary: &Summary, nothing_found: Option<String>) {
    for note in &summary.notes {
        // Notes name paths from the tree and the command line.
        eprintln!("note: {}", report::escape_line(note));
    }
    if let Some(warning) = nothing_found {
        eprintln!("warning: {}", report::escape_line(&warning));
    }
}

/// A report that could not be written names where it went.
fn on_output(error: Error, path: impl AsRef<std::path::Path>) -> Error {
    match error {
        Error::Report(error) => Error::write(path.as_ref(), error),
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
            return Err(Error::write("<stdout>", error));
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

/// `$COLUMNS`, else the width of the terminal on stdout, else 100 (a pipe).
fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|columns| columns.parse().ok())
        .or_else(|| terminal_size::terminal_size().map(|(terminal_size::Width(width), _)| usize::from(width)))
        .unwrap_or(100)
}

fn print_rules(format: RulesFormat) -> Result<(), Error> {
    let mut out = io::stdout().lock();
    if format == RulesFormat::Json {
        let _ = writeln!(out, "{}", show::rules_json());
        return Ok(());
    }
    let name_width = RULES.iter().map(|rule| rule.name.len()).max().unwrap_or(0);
    for rule in RULES {
        // `[*]`: `--fix` can fix some of its findings, as the report marks them.
        let _ = writeln!(
            out,
            "{:<name_width$}  {:<9}  {:<7}  {:<3}  {}",
            rule.name,
            rule.group.as_str(),
            rule.default_severity().as_str(),
            if fix::is_fixable(rule) { "[*]" } else { "" },
            rule.summary
        );
    }
    Ok(())
}

fn generate(what: &Generate) -> Result<u8, Error> {
    let mut out = io::stdout().lock();
    let written = match what {
        Generate::Completions { shell } => {
            clap_complete::generate(*shell, &mut Cli::command(), "loclint", &mut out);
            Ok(())
        }
        // Without the `help` command, which has no page (as generate_to does).
        Generate::Man { out_dir: None } => {
            clap_mangen::Man::new(Cli::command().disable_help_subcommand(true)).render(&mut out)
        }
        // The main page names loclint-lint(1) and the others: this writes them all.
        Generate::Man { out_dir: Some(dir) } => {
            return clap_mangen::generate_to(Cli::command(), dir)
                .map(|()| exit::CLEAN)
                .map_err(|error| Error::write(dir, error));
        }
        Generate::Schema => out.write_all(loclint::config::json_schema().as_bytes()),
    };
    written.and_then(|()| out.flush()).map_err(|error| Error::write("<stdout>", error))?;
    Ok(exit::CLEAN)
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
    // The conventions are read off a lint with the starter config; one that
    // cannot run (no source file yet) leaves the starter as it is.
    match loclint::init::conventions(folder, &path) {
        Ok(Some(convention)) => {
            let config = config.replacen("\n[rules]\n", &format!("\n[rules]\n{}", convention.rules_lines), 1);
            loclint::config::parse(&path.display().to_string(), &config)?;
            loclint::write::atomic(&path, config.as_bytes())?;
            eprintln!("wrote {} ({})", path.display(), convention.summary);
        }
        Ok(None) => eprintln!("wrote {}", path.display()),
        Err(error) => eprintln!("wrote {} (conventions not read: {error})", path.display()),
    }
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
