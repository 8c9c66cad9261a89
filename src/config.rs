//! `loclint.toml`: read, checked against the schema and the rule registry,
//! with every error pointing at its line.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use crate::diagnostic::{Severity, SourceFile};
use crate::error::{did_you_mean, ConfigError, Error};
use crate::rules;

pub const FILE_NAME: &str = "loclint.toml";

#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(title = "loclint.toml", description = "Configuration of loclint, the localized-documentation linter")]
pub struct Config {
    /// Source locale, `en-us` by default.
    pub source: Option<String>,
    /// Locales to check (and to expect copies in); all found when empty.
    #[serde(default)]
    pub locales: Vec<String>,
    /// Front matter keys of the localization pipeline (`microsoft-docs` by default).
    #[serde(default)]
    #[schemars(schema_with = "profile_schema")]
    pub profile: Option<Spanned<String>>,
    /// Globs of the files to lint, relative to the root (`**/*.md` by default).
    pub include: Option<Vec<String>>,
    /// Globs of the files not to lint.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Files larger than this many bytes are reported, not read.
    pub max_file_size: Option<u64>,
    /// Findings of one rule reported in one file (0: no limit).
    pub max_findings: Option<usize>,
    /// How files map to locales and articles.
    #[serde(default)]
    pub layout: LayoutConfig,
    /// Rule severities (`"error"`, `"warning"`, `"info"`, `"off"`) and options.
    #[serde(default)]
    #[schemars(schema_with = "rules_schema")]
    pub rules: BTreeMap<Spanned<String>, Spanned<toml::Value>>,
    /// Per-path rule severities: `[[overrides]] paths = [...] rules = {...}`.
    #[serde(default)]
    pub overrides: Vec<OverrideConfig>,
    /// Where the version each copy was translated from is looked up.
    #[serde(default)]
    pub history: HistoryConfig,
    /// What `loclint status` ranks by and how far back its trend goes.
    #[serde(default)]
    pub status: StatusConfig,
}

/// `[status]`: what `loclint status` ranks by and how far back its trend goes.
#[derive(Debug, Default, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct StatusConfig {
    /// Front matter key of the source's priority (`ms.localizationpriority`).
    pub priority_key: Option<String>,
    /// Months of trend (0: none).
    pub trend_months: Option<usize>,
}

/// `[history]`: how loclint finds the source version each copy was
/// translated from.
#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct HistoryConfig {
    /// Read git history (default: yes, when the source is in a repository).
    pub enabled: Option<bool>,
    /// First-parent commits read back from HEAD.
    pub max_commits: Option<usize>,
    /// Front matter key naming the source commit a copy was translated from
    /// (MDN: `l10n.sourceCommit`); the profile's key by default.
    pub source_commit_key: Option<String>,
    /// Words that mark a commit as needing no translation in its subject (Lunaria's
    /// `ignoredKeywords`), where copies without handoff metadata are dated
    /// by their commits; Lunaria's defaults when unset.
    pub ignored_keywords: Option<Vec<String>>,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct OverrideConfig {
    /// Globs relative to the lint root.
    pub paths: Vec<String>,
    /// Severities of rules for the matching paths.
    #[schemars(schema_with = "override_rules_schema")]
    pub rules: BTreeMap<Spanned<String>, Spanned<toml::Value>>,
}

#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", rename_all_fields = "kebab-case", tag = "kind")]
pub enum LayoutConfig {
    /// `ROOT/<locale>/<path>`.
    #[default]
    LocaleFolders,
    /// One folder per locale: `roots = { en-us = "docs", ja-jp = "docs.ja-jp" }`,
    /// or `source-root = "docs"` to take every sibling `docs.<locale>`.
    Roots {
        #[serde(default)]
        roots: BTreeMap<String, String>,
        source_root: Option<String>,
    },
    /// Path templates with `{locale}`, `{path}`, `{dir}`, `{stem}`.
    Template { source: String, copy: String },
}

/// The JSON schema of `loclint.toml` (draft 2020-12), generated from
/// [`Config`] and the rule registry: what `loclint.schema.json` holds.
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(Config);
    serde_json::to_string_pretty(&schema).map(|text| text + "\n").unwrap_or_default()
}

const SEVERITIES: [&str; 4] = ["error", "warning", "info", "off"];

fn schema_of(value: serde_json::Value) -> schemars::Schema {
    match value {
        serde_json::Value::Object(map) => schemars::Schema::from(map),
        _ => schemars::Schema::default(),
    }
}

fn profile_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schema_of(serde_json::json!({ "type": "string", "enum": crate::profile::NAMES }))
}

/// Rule options that are switches (`code-block-mismatch`'s).
const BOOLEAN_OPTIONS: &[&str] = &["translated-comments", "translated-code"];

/// One property per rule: a severity, or a table of its severity and options.
fn rules_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    let severity = serde_json::json!({ "type": "string", "enum": SEVERITIES });
    let properties: serde_json::Map<String, serde_json::Value> = rules::RULES
        .iter()
        .map(|rule| {
            let mut options = serde_json::Map::new();
            options.insert("severity".into(), severity.clone());
            for option in rule.options {
                let schema = if BOOLEAN_OPTIONS.contains(option) {
                    serde_json::json!({ "type": "boolean" })
                } else {
                    serde_json::json!({})
                };
                options.insert((*option).to_string(), schema);
            }
            let table = serde_json::json!({ "type": "object", "properties": options, "additionalProperties": false });
            let value = serde_json::json!({ "description": rule.summary, "anyOf": [severity, table] });
            (rule.name.to_string(), value)
        })
        .collect();
    schema_of(serde_json::json!({ "type": "object", "properties": properties, "additionalProperties": false }))
}

/// `[[overrides]]` set severities only.
fn override_rules_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    let severity = serde_json::json!({ "type": "string", "enum": SEVERITIES });
    let table = serde_json::json!({
        "type": "object", "properties": { "severity": severity }, "additionalProperties": false
    });
    let either = serde_json::json!({ "anyOf": [severity, table] });
    let properties: serde_json::Map<String, serde_json::Value> =
        rules::RULES.iter().map(|rule| (rule.name.to_string(), either.clone())).collect();
    schema_of(serde_json::json!({ "type": "object", "properties": properties, "additionalProperties": false }))
}

/// Per-rule configuration after validation.
#[derive(Debug, Clone, Default)]
pub struct RuleConfig {
    pub severity: Option<Severity>,
    pub options: toml::Table,
}

/// The nearest `loclint.toml` in `start` or a parent folder.
pub fn find(start: &Path) -> Option<PathBuf> {
    start.ancestors().map(|folder| folder.join(FILE_NAME)).find(|candidate| candidate.is_file())
}

pub struct Loaded {
    pub config: Config,
    pub rules: BTreeMap<&'static str, RuleConfig>,
    /// `(paths, severities)` of each `[[overrides]]` table, in order.
    pub overrides: Vec<(Vec<String>, BTreeMap<&'static str, Severity>)>,
}

pub fn load(path: &Path) -> Result<Loaded, Error> {
    let text = std::fs::read_to_string(path).map_err(|error| Error::io(path, error))?;
    parse(&path.display().to_string(), &text)
}

pub fn parse(name: &str, text: &str) -> Result<Loaded, Error> {
    let file = SourceFile::new(name.to_string(), Arc::from(text));
    let config: Config = toml::from_str(text).map_err(|error| from_toml_error(&file, &error))?;
    let mut rules = BTreeMap::new();
    for (name, value) in &config.rules {
        let rule = known_rule(&file, name)?;
        rules.insert(rule.name, rule_config(&file, rule, value)?);
    }
    let mut overrides = Vec::new();
    for table in &config.overrides {
        let mut severities = BTreeMap::new();
        for (name, value) in &table.rules {
            let rule = known_rule(&file, name)?;
            let config = rule_config(&file, rule, value)?;
            if !config.options.is_empty() {
                return Err(config_error(
                    &file,
                    value.span(),
                    format!("[[overrides]] can set only the severity of `{}`", rule.name),
                    "options are set in [rules] only",
                    None,
                ));
            }
            if let Some(severity) = config.severity {
                severities.insert(rule.name, severity);
            }
        }
        overrides.push((table.paths.clone(), severities));
    }
    check_globs(&file, text)?;
    if let Some(profile) = &config.profile {
        if crate::profile::Profile::named(profile.get_ref()).is_none() {
            return Err(config_error(
                &file,
                profile.span(),
                format!("unknown profile `{}`", profile.get_ref()),
                "not a profile",
                did_you_mean(profile.get_ref(), crate::profile::NAMES.iter().copied()),
            ));
        }
    }
    Ok(Loaded { config, rules, overrides })
}

/// Where the globs of `loclint.toml` are, to point at a bad one.
#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct GlobSpans {
    #[serde(default)]
    include: Vec<Spanned<String>>,
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
    #[serde(default)]
    overrides: Vec<OverrideGlobSpans>,
}

#[derive(Deserialize)]
struct OverrideGlobSpans {
    #[serde(default)]
    paths: Vec<Spanned<String>>,
}

/// Every glob must compile; a bad one is shown on its line, as other
/// config errors are (the settings compile them later, without the text).
fn check_globs(file: &Arc<SourceFile>, text: &str) -> Result<(), Error> {
    // The text already parsed as a `Config`, so this parses too.
    let Ok(spans) = toml::from_str::<GlobSpans>(text) else {
        return Ok(());
    };
    let keyed = spans
        .include
        .iter()
        .map(|glob| ("include", glob))
        .chain(spans.exclude.iter().map(|glob| ("exclude", glob)))
        .chain(spans.overrides.iter().flat_map(|table| table.paths.iter().map(|glob| ("[[overrides]] paths", glob))));
    for (key, pattern) in keyed {
        if let Err(problem) = crate::discover::glob(pattern.get_ref()) {
            return Err(config_error(
                file,
                pattern.span(),
                format!("invalid glob `{}` in {key}: {}", pattern.get_ref(), problem.message),
                "this glob",
                problem.help.map(str::to_string),
            ));
        }
    }
    Ok(())
}

fn known_rule(file: &Arc<SourceFile>, name: &Spanned<String>) -> Result<&'static rules::Rule, Error> {
    rules::find(name.get_ref()).ok_or_else(|| {
        config_error(
            file,
            name.span(),
            format!("unknown rule `{}`", name.get_ref()),
            "not a rule",
            did_you_mean(name.get_ref(), rules::RULES.iter().map(|rule| rule.name)),
        )
    })
}

fn rule_config(file: &Arc<SourceFile>, rule: &rules::Rule, value: &Spanned<toml::Value>) -> Result<RuleConfig, Error> {
    let severity_of = |text: &str, span: Range<usize>| {
        Severity::parse(text).ok_or_else(|| {
            config_error(
                file,
                span,
                format!("unknown severity `{text}` for rule `{}`", rule.name),
                "expected `error`, `warning`, `info` or `off`",
                did_you_mean(text, ["error", "warning", "info", "off"]),
            )
        })
    };
    match value.get_ref() {
        toml::Value::String(text) => {
            Ok(RuleConfig { severity: Some(severity_of(text, value.span())?), options: toml::Table::new() })
        }
        toml::Value::Table(table) => {
            let mut options = table.clone();
            let severity = match options.remove("severity") {
                Some(toml::Value::String(text)) => Some(severity_of(&text, value.span())?),
                Some(_) => {
                    return Err(config_error(
                        file,
                        value.span(),
                        format!("`severity` of rule `{}` must be a string", rule.name),
                        "expected `error`, `warning`, `info` or `off`",
                        None,
                    ))
                }
                None => None,
            };
            if let Some(unknown) = options.keys().find(|key| !rule.options.contains(&key.as_str())) {
                let help = did_you_mean(unknown, rule.options.iter().copied()).or_else(|| {
                    Some(if rule.options.is_empty() {
                        format!("rule `{}` takes no options besides `severity`", rule.name)
                    } else {
                        format!("options of `{}`: severity, {}", rule.name, rule.options.join(", "))
                    })
                });
                return Err(config_error(
                    file,
                    value.span(),
                    format!("unknown option `{unknown}` for rule `{}`", rule.name),
                    "in this table",
                    help,
                ));
            }
            if let Some(name) = options
                .iter()
                .find(|(name, value)| BOOLEAN_OPTIONS.contains(&name.as_str()) && !value.is_bool())
                .map(|(name, _)| name)
            {
                return Err(config_error(
                    file,
                    value.span(),
                    format!("option `{name}` of rule `{}` must be `true` or `false`", rule.name),
                    "in this table",
                    None,
                ));
            }
            Ok(RuleConfig { severity, options })
        }
        _ => Err(config_error(
            file,
            value.span(),
            format!("rule `{}` must be set to a severity or a table", rule.name),
            "expected e.g. \"warning\" or { severity = \"warning\" }",
            None,
        )),
    }
}

fn config_error(
    file: &Arc<SourceFile>,
    span: Range<usize>,
    message: String,
    label: &str,
    help: Option<String>,
) -> Error {
    Error::Config(Box::new(ConfigError { file: file.clone(), span, message, label: label.to_string(), help }))
}

fn from_toml_error(file: &Arc<SourceFile>, error: &toml::de::Error) -> Error {
    let message = error.message().trim().to_string();
    let span = error.span().unwrap_or(0..0);
    let help = unknown_field_hint(&message);
    let first_line = message.lines().next().unwrap_or("").to_string();
    config_error(file, span, first_line, "here", help)
}

/// serde reports "unknown field `x`, expected one of `a`, `b`"; turn the
/// candidates into a "did you mean" hint.
fn unknown_field_hint(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `").or_else(|| message.strip_prefix("unknown variant `"))?;
    let (name, expected) = rest.split_once('`')?;
    let candidates: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    did_you_mean(name, candidates.iter().copied())
        .or_else(|| (!candidates.is_empty()).then(|| format!("expected one of: {}", candidates.join(", "))))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error_of(text: &str) -> ConfigError {
        match parse("loclint.toml", text) {
            Err(Error::Config(error)) => *error,
            Err(other) => panic!("unexpected error {other}"),
            Ok(_) => panic!("expected an error"),
        }
    }

    #[test]
    fn unknown_key_suggests_the_right_one() {
        let error = error_of("sourse = \"en-us\"\n");
        assert_eq!(error.message, "unknown field `sourse`, expected one of `source`, `locales`, `profile`, `include`, `exclude`, `max-file-size`, `max-findings`, `layout`, `rules`, `overrides`, `history`, `status`");
        assert_eq!(error.help.as_deref(), Some("did you mean `source`?"));
        assert_eq!(error.span, 0..6);
    }

    #[test]
    fn unknown_rule_suggests_the_right_one() {
        let text = "[rules]\nstale-hsh = \"error\"\n";
        let error = error_of(text);
        assert_eq!(error.message, "unknown rule `stale-hsh`");
        assert_eq!(error.help.as_deref(), Some("did you mean `stale-hash`?"));
        assert_eq!(&text[error.span.clone()], "stale-hsh");
    }

    #[test]
    fn rule_severity_and_options() {
        let loaded =
            parse("x", "[rules]\nstale-hash = \"error\"\nmissing-translation = { severity = \"warning\" }\n").unwrap();
        assert_eq!(loaded.rules["stale-hash"].severity, Some(Severity::Error));
        assert_eq!(loaded.rules["missing-translation"].severity, Some(Severity::Warning));
        let error = error_of("[rules]\nstale-hash = \"eror\"\n");
        assert_eq!(error.message, "unknown severity `eror` for rule `stale-hash`");
        assert_eq!(error.help.as_deref(), Some("did you mean `error`?"));
    }

    #[test]
    fn layouts() {
        let loaded =
            parse("x", "[layout]\nkind = \"template\"\nsource = \"docs/{path}\"\ncopy = \"i18n/{locale}/{path}\"\n")
                .unwrap();
        assert!(matches!(loaded.config.layout, LayoutConfig::Template { .. }));
        let error = error_of("[layout]\nkind = \"folders\"\n");
        assert!(error.message.starts_with("unknown variant `folders`"), "{}", error.message);
    }
}
