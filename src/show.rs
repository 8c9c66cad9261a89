//! What `lint` prints instead of findings: `--show-settings`,
//! `--show-files`, `--statistics`; and `rules --format json`.

use std::fmt::Write as _;

use loclint::discover::Layout;
use loclint::report::Format;
use loclint::{Error, Settings, RULES};

use crate::tap::{Counts, Statistics};

/// The resolved settings, one `key = value` line each (TOML values), then
/// the enabled rules with their severities.
pub fn settings(settings: &Settings) -> String {
    let string = |text: &str| toml::Value::String(text.to_string()).to_string();
    let list = |items: &[String]| format!("[{}]", items.iter().map(|item| string(item)).collect::<Vec<_>>().join(", "));
    let mut out = String::new();
    let mut line = |key: &str, value: String| {
        let _ = writeln!(out, "{key} = {value}");
    };
    line("root", string(&settings.root.display().to_string()));
    line(
        "config",
        settings.config_path.as_ref().map_or_else(|| "none".into(), |path| string(&path.display().to_string())),
    );
    line("source", string(&settings.source_locale));
    line("locales", list(&settings.locales));
    line("expected-locales", list(&settings.expected_locales));
    line("layout", layout(&settings.layout));
    line("include", list(&settings.include_patterns));
    line("exclude", list(&settings.exclude_patterns));
    line("ignore-files", settings.ignore_files.to_string());
    line("profile", string(settings.profile.name));
    line("max-file-size", settings.max_file_size.to_string());
    line("max-findings", settings.max_findings.to_string());
    line("jobs", settings.jobs.map_or_else(|| string("auto"), |jobs| jobs.to_string()));
    line("targets", list(&settings.targets));
    line("changed-since", settings.changed_since.as_deref().map_or_else(|| "none".into(), string));
    line(
        "shard",
        settings.shard.map_or_else(|| "none".into(), |(index, count)| string(&format!("{}/{count}", index + 1))),
    );
    let history = &settings.history;
    line(
        "history",
        format!(
            "{{ enabled = {}, max-commits = {}, source-commit-key = {}, ignored-keywords = [{}] }}",
            history.enabled,
            history.max_commits,
            history.source_commit_key.as_deref().map_or_else(|| "none".into(), string),
            history.ignored_keywords.iter().map(|keyword| string(keyword)).collect::<Vec<_>>().join(", ")
        ),
    );
    out.push_str("\n[rules]\n");
    let width = settings.rules.iter().map(|(rule, _)| rule.name.len()).max().unwrap_or(0);
    for (rule, severity) in &settings.rules {
        let _ = writeln!(out, "{:<width$} = {}", rule.name, string(severity.as_str()));
    }
    let disabled: Vec<String> = RULES
        .iter()
        .filter(|rule| !settings.rules.iter().any(|(enabled, _)| enabled.name == rule.name))
        .map(|rule| rule.name.to_string())
        .collect();
    let _ = writeln!(out, "# off: {}", if disabled.is_empty() { "none".to_string() } else { disabled.join(", ") });
    for (paths, (_, severities)) in settings.override_patterns.iter().zip(&settings.overrides) {
        let _ = writeln!(out, "\n[[overrides]]\npaths = {}", list(paths));
        for (rule, severity) in severities {
            let _ = writeln!(out, "rules.{rule} = {}", string(severity.as_str()));
        }
    }
    out
}

fn layout(layout: &Layout) -> String {
    let string = |text: &str| toml::Value::String(text.to_string()).to_string();
    match layout {
        Layout::LocaleFolders => "{ kind = \"locale-folders\" }".to_string(),
        Layout::Roots(roots) => {
            let roots: Vec<String> =
                roots.iter().map(|(locale, folder)| format!("{} = {}", string(locale), string(folder))).collect();
            format!("{{ kind = \"roots\", roots = {{ {} }} }}", roots.join(", "))
        }
        Layout::Template { source, copy } => {
            format!("{{ kind = \"template\", source = {}, copy = {} }}", string(&source.text), string(&copy.text))
        }
    }
}

/// Every file a run would check, one a line: its path (from the working
/// folder), its locale, and its article (the source's path).
pub fn files(settings: &Settings, base: &str) -> Result<String, Error> {
    let groups = loclint::discover::plan(settings)?;
    let mut rows = Vec::new();
    for group in &groups {
        let article = settings.layout.path_for(&group.key, &settings.source_locale, &settings.source_locale);
        for file in group.files() {
            rows.push((rebase(base, &file.relative()), file.locale().to_string(), rebase(base, &article)));
        }
    }
    let path_width = rows.iter().map(|(path, _, _)| path.chars().count()).max().unwrap_or(0);
    let locale_width = rows.iter().map(|(_, locale, _)| locale.len()).max().unwrap_or(0);
    let mut out = String::new();
    for (path, locale, article) in &rows {
        let path = loclint::report::escape_line(path);
        let article = loclint::report::escape_line(article);
        let padding = path_width.saturating_sub(path.chars().count());
        let _ = writeln!(out, "{path}{:padding$}  {locale:<locale_width$}  {article}", "");
    }
    let articles = groups.len();
    let _ = writeln!(
        out,
        "{} file{} ({articles} article{})",
        rows.len(),
        if rows.len() == 1 { "" } else { "s" },
        if articles == 1 { "" } else { "s" }
    );
    Ok(out)
}

fn rebase(base: &str, path: &str) -> String {
    if base.is_empty() {
        path.to_string()
    } else {
        format!("{}/{path}", base.trim_end_matches('/'))
    }
}

fn describe(counts: &Counts) -> String {
    let parts: Vec<String> = [(counts.errors, "error"), (counts.warnings, "warning"), (counts.infos, "info")]
        .into_iter()
        .filter(|(count, _)| *count > 0)
        .map(|(count, noun)| format!("{count} {noun}{}", if count == 1 { "" } else { "s" }))
        .collect();
    parts.join(", ")
}

#[derive(serde::Serialize)]
struct RuleRow<'a> {
    rule: &'a str,
    #[serde(flatten)]
    counts: &'a Counts,
}

#[derive(serde::Serialize)]
struct LocaleRow<'a> {
    locale: Option<&'a str>,
    #[serde(flatten)]
    counts: &'a Counts,
}

/// `--statistics`: findings counted by rule (most first) and by locale (the
/// one-screen summary of a localization team), as text or JSON.
pub fn statistics(statistics: &Statistics, format: Format) -> String {
    let mut rules: Vec<(&str, &Counts)> = statistics.by_rule.iter().map(|(rule, counts)| (*rule, counts)).collect();
    rules.sort_by(|a, b| b.1.count.cmp(&a.1.count).then(a.0.cmp(b.0)));
    let mut locales: Vec<(Option<&str>, &Counts)> =
        statistics.by_locale.iter().map(|(locale, counts)| (locale.as_deref(), counts)).collect();
    locales.sort_by(|a, b| b.1.count.cmp(&a.1.count).then(a.0.cmp(&b.0)));
    if format == Format::Json {
        let json = serde_json::json!({
            "rules": rules.iter().map(|(rule, counts)| RuleRow { rule, counts }).collect::<Vec<_>>(),
            "locales": locales.iter().map(|(locale, counts)| LocaleRow { locale: *locale, counts }).collect::<Vec<_>>(),
        });
        return serde_json::to_string_pretty(&json).map(|text| text + "\n").unwrap_or_default();
    }
    let total: usize = rules.iter().map(|(_, counts)| counts.count).sum();
    let count_width = total.to_string().len();
    let mut out = String::new();
    let rule_width = rules.iter().map(|(rule, _)| rule.len()).max().unwrap_or(0);
    out.push_str("Findings by rule:\n");
    for (rule, counts) in &rules {
        let fixable = if counts.fixable > 0 { format!(", [*] {} fixable", counts.fixable) } else { String::new() };
        let _ = writeln!(out, "  {:>count_width$}  {rule:<rule_width$}  {}{fixable}", counts.count, describe(counts));
    }
    let locale_width = locales.iter().map(|(locale, _)| locale.map_or(11, str::len)).max().unwrap_or(0);
    out.push_str("Findings by locale:\n");
    for (locale, counts) in &locales {
        let locale = loclint::report::escape_line(locale.unwrap_or("(no locale)"));
        let _ = writeln!(out, "  {:>count_width$}  {locale:<locale_width$}  {}", counts.count, describe(counts));
    }
    out
}

#[derive(serde::Serialize)]
struct RuleJson {
    name: &'static str,
    group: &'static str,
    /// The severity when enabled.
    severity: &'static str,
    enabled_by_default: bool,
    summary: &'static str,
    options: &'static [&'static str],
    /// Some of its findings can be fixed with `--fix`.
    fixable: bool,
}

/// `loclint rules --format json`: an array, one object per rule.
pub fn rules_json() -> String {
    let rules: Vec<RuleJson> = RULES
        .iter()
        .map(|rule| RuleJson {
            name: rule.name,
            group: rule.group.as_str(),
            severity: rule.severity.as_str(),
            enabled_by_default: rule.enabled_by_default,
            summary: rule.summary,
            options: rule.options,
            fixable: loclint::fix::is_fixable(rule),
        })
        .collect();
    serde_json::to_string_pretty(&rules).unwrap_or_default()
}
