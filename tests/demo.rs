//! The bundled demo tree, `fixtures/demo/`: a small help center with one
//! planted defect per rule, listed in `fixtures/demo/DEFECTS.md`. These tests
//! keep the tree, its defect list, the library and the binary in agreement.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use loclint::report::{Format, Style};
use loclint::{Report, Request};
use serde_json::Value;

fn demo_root() -> PathBuf {
    common::repo_path("fixtures/demo")
}

fn demo_report() -> Report {
    common::lint(&[demo_root()], Request::default())
}

/// One planted defect: a row of the table in `DEFECTS.md`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Planted {
    path: String,
    line: usize,
    rule: String,
}

/// Rows of the form ``| `rule` | `path` | line | what |``.
fn planted_defects() -> Vec<Planted> {
    let text = std::fs::read_to_string(demo_root().join("DEFECTS.md")).expect("read fixtures/demo/DEFECTS.md");
    let rows: Vec<Planted> = text
        .lines()
        .filter(|line| line.starts_with("| `"))
        .map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            let unquote = |cell: &str| cell.trim_matches('`').to_string();
            Planted {
                rule: unquote(cells[1]),
                path: unquote(cells[2]),
                line: cells[3].parse().unwrap_or_else(|_| panic!("DEFECTS.md: bad line number in {line:?}")),
            }
        })
        .collect();
    assert!(rows.len() >= 12, "DEFECTS.md lists only {} defects", rows.len());
    rows
}

fn loclint() -> Command {
    let mut command = Command::cargo_bin("loclint").expect("the loclint binary");
    // Run inside the demo so that paths are shown root-relative, as in
    // DEFECTS.md (from elsewhere they are shown from the working folder).
    command.current_dir(demo_root()).env_remove("NO_COLOR").env_remove("COLUMNS");
    command
}

/// Runs `loclint lint <args> --format json` and parses its output.
fn lint_json(args: &[&str], expected_code: i32) -> Value {
    let output = loclint().arg("lint").args(args).args(["--format", "json"]).output().expect("run loclint");
    let stdout = String::from_utf8(output.stdout).expect("JSON output is UTF-8");
    assert_eq!(
        output.status.code(),
        Some(expected_code),
        "exit code of loclint lint {args:?}\nstdout:\n{stdout}\nstderr:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_str(&stdout).unwrap_or_else(|error| panic!("loclint lint {args:?} printed invalid JSON: {error}"))
}

#[test]
fn demo_findings() {
    let report = demo_report();
    insta::assert_snapshot!("demo_findings", common::concise(&report));

    let found: BTreeSet<Planted> = report
        .diagnostics
        .iter()
        .map(|d| Planted { path: d.path.clone(), line: d.start().line, rule: d.rule.to_string() })
        .collect();
    let planted: BTreeSet<Planted> = planted_defects().into_iter().collect();
    let unlisted: Vec<_> = found.difference(&planted).collect();
    let not_found: Vec<_> = planted.difference(&found).collect();
    assert!(unlisted.is_empty(), "findings that DEFECTS.md does not list: {unlisted:#?}");
    assert!(not_found.is_empty(), "defects of DEFECTS.md that loclint does not report: {not_found:#?}");

    // README and DEFECTS.md promise a planted defect for every rule.
    let planted_rules: BTreeSet<&str> = planted.iter().map(|defect| defect.rule.as_str()).collect();
    let every_rule: BTreeSet<&str> = loclint::rules::RULES.iter().map(|rule| rule.name).collect();
    let without_defect: Vec<_> = every_rule.difference(&planted_rules).collect();
    assert!(without_defect.is_empty(), "rules without a planted defect in the demo: {without_defect:?}");
    assert_eq!((report.files, report.groups), (52, 14), "files and articles of the demo");
}

#[test]
fn assetid_help_names_the_article_the_id_belongs_to() {
    let report = demo_report();
    let finding =
        report.diagnostics.iter().find(|d| d.rule == "assetid-mismatch").expect("an assetid-mismatch finding");
    assert_eq!(
        finding.help.as_deref(),
        Some("this id belongs to `en-us/invoices/create-an-invoice.md`: the copy was probably renamed or misplaced")
    );
}

#[test]
fn missing_translation_is_off_without_the_demo_config() {
    // The article without a Korean copy, with its Japanese and German copies,
    // and an article with all three (a locale without any file would be
    // `locale-missing`'s finding instead).
    let dir = tempfile::tempdir().expect("a temporary folder");
    copy_from_demo(dir.path(), &["en-us", "ja-jp", "de-de"], &["reports/aging-report.md"]);
    copy_from_demo(dir.path(), &["en-us", "ja-jp", "ko-kr", "de-de"], &["get-started/overview.md"]);
    let report = common::lint(&[dir.path().to_path_buf()], Request::default());
    let missing = |report: &Report| -> Vec<(String, &str)> {
        let corpus_rules = ["missing-translation", "locale-missing"];
        report.diagnostics.iter().filter(|d| corpus_rules.contains(&d.rule)).map(|d| (d.path.clone(), d.rule)).collect()
    };
    assert_eq!(missing(&report), [], "no finding without a config");

    std::fs::copy(demo_root().join("loclint.toml"), dir.path().join("loclint.toml")).expect("copy loclint.toml");
    let report = common::lint(&[dir.path().to_path_buf()], Request::default());
    assert_eq!(
        missing(&report),
        [("en-us/reports/aging-report.md".to_string(), "missing-translation"), ("fr-fr".to_string(), "locale-missing")]
    );
}

/// Copies `articles` of each of `locales` from the demo into `dir`.
fn copy_from_demo(dir: &Path, locales: &[&str], articles: &[&str]) {
    for locale in locales {
        for article in articles {
            let relative = format!("{locale}/{article}");
            let target = dir.join(&relative);
            std::fs::create_dir_all(target.parent().expect("a parent folder")).expect("create folders");
            std::fs::copy(demo_root().join(&relative), &target).unwrap_or_else(|e| panic!("copy {relative}: {e}"));
        }
    }
}

#[test]
fn binary_reports_the_demo_and_exits_1() {
    let output = loclint().args(["lint", "."]).output().expect("run loclint");
    let stdout = String::from_utf8(output.stdout).expect("UTF-8 output");
    assert_eq!(output.status.code(), Some(1), "stdout:\n{stdout}");
    // Not a terminal: the concise format, one line per finding, then the summary.
    let lines: Vec<&str> = stdout.lines().collect();
    let (fixable, lines) = lines.split_last().expect("a fixable line");
    assert_eq!(*fixable, "[*] 1 fixable with `--fix`", "stdout:\n{stdout}");
    let (summary, findings) = lines.split_last().expect("a summary line");
    assert_eq!(findings.len(), 27, "stdout:\n{stdout}");
    assert!(
        findings.contains(&"ja-jp/invoices/send-reminders.md:6:13: error[assetid-mismatch] `ms.assetid` is `C47E8B12-95A3-4E6F-8D01-3B2F6A9C4E70` but the source's is `8B2F4D60-1C7E-4A95-9F38-E6D05A2B7C19`"),
        "stdout:\n{stdout}"
    );
    assert!(
        summary.starts_with("Found 9 errors, 17 warnings and 1 info in 52 files (14 articles) in "),
        "summary line: {summary}"
    );
}

#[test]
fn json_output_has_the_spec_shape() {
    let json = lint_json(&["."], 1);
    let object = json.as_object().expect("a JSON object");
    let keys: BTreeSet<&str> = object.keys().map(String::as_str).collect();
    assert_eq!(keys, BTreeSet::from(["version", "tool", "summary", "diagnostics"]));
    assert_eq!(json["version"], 1);
    assert_eq!(json["tool"]["name"], "loclint");
    assert_eq!(json["tool"]["version"], env!("CARGO_PKG_VERSION"));

    let diagnostics = json["diagnostics"].as_array().expect("diagnostics is an array");
    let count = |severity: &str| diagnostics.iter().filter(|d| d["severity"] == severity).count();
    let summary = &json["summary"];
    assert_eq!(summary["files"], 52);
    assert_eq!(summary["groups"], 14);
    assert_eq!(summary["errors"], count("error"));
    assert_eq!(summary["warnings"], count("warning"));
    assert_eq!(summary["infos"], count("info"));
    assert_eq!(count("error") + count("warning") + count("info"), diagnostics.len());

    let expected_keys = BTreeSet::from([
        "rule",
        "severity",
        "path",
        "locale",
        "line",
        "column",
        "end_line",
        "end_column",
        "message",
        "help",
        "source",
        // Added to SPEC §6's fields: the safe fix, or null.
        "fix",
    ]);
    for diagnostic in diagnostics {
        let keys: BTreeSet<&str> =
            diagnostic.as_object().expect("a diagnostic object").keys().map(String::as_str).collect();
        assert_eq!(keys, expected_keys, "{diagnostic:#}");
        assert!(diagnostic["rule"].is_string() && diagnostic["message"].is_string(), "{diagnostic:#}");
        assert!(
            ["error", "warning", "info"].contains(&diagnostic["severity"].as_str().unwrap_or("")),
            "{diagnostic:#}"
        );
        let path = diagnostic["path"].as_str().expect("path is a string");
        let locale = diagnostic["locale"].as_str().expect("every demo finding is in a locale folder");
        if diagnostic["rule"] == "locale-missing" {
            // Reported at the folder the locale's files would be in.
            assert_eq!(path, locale, "{diagnostic:#}");
            assert!(!demo_root().join(path).exists(), "{path} exists");
        } else {
            assert!(demo_root().join(path).is_file(), "{path} is not a file of the demo");
            assert!(path.starts_with(&format!("{locale}/")), "locale {locale} of {path}");
        }
        assert!(diagnostic["help"].is_string(), "every demo finding has a help line: {diagnostic:#}");
        let position = |key: &str| diagnostic[key].as_u64().unwrap_or_else(|| panic!("{key} of {diagnostic:#}"));
        assert!(position("line") >= 1 && position("column") >= 1, "{diagnostic:#}");
        assert!(
            (position("end_line"), position("end_column")) >= (position("line"), position("column")),
            "{diagnostic:#}"
        );
        match &diagnostic["source"] {
            Value::Null => {}
            Value::Object(source) => {
                let keys: BTreeSet<&str> = source.keys().map(String::as_str).collect();
                assert_eq!(keys, BTreeSet::from(["path", "line", "column"]), "{diagnostic:#}");
                let source_path = source["path"].as_str().expect("source path");
                assert!(source_path.starts_with("en-us/"), "{diagnostic:#}");
                assert!(source["line"].as_u64() >= Some(1) && source["column"].as_u64() >= Some(1), "{diagnostic:#}");
            }
            other => panic!("source must be null or an object, got {other}"),
        }
    }

    // The binary and the library agree finding for finding.
    let from_json: Vec<String> = diagnostics
        .iter()
        .map(|d| {
            format!("{}:{}:{} {}: {}\n", str(&d["path"]), d["line"], d["column"], str(&d["rule"]), str(&d["message"]))
        })
        .collect();
    assert_eq!(from_json.concat(), common::concise(&demo_report()));
}

fn str(value: &Value) -> &str {
    value.as_str().unwrap_or_default()
}

#[test]
fn json_is_the_same_with_one_or_two_jobs() {
    let one = lint_json(&[".", "--jobs", "1"], 1);
    let two = lint_json(&[".", "--jobs", "2"], 1);
    assert_eq!(one, two);
}

#[test]
fn clean_articles_exit_0() {
    // Two article groups of the demo that link to each other's fragments,
    // every copy included.
    let dir = tempfile::tempdir().expect("a temporary folder");
    copy_from_demo(
        dir.path(),
        &["en-us", "ja-jp", "ko-kr", "de-de"],
        &["invoices/create-an-invoice.md", "get-started/connect-your-bank.md"],
    );
    let output = loclint().arg("lint").arg(dir.path()).output().expect("run loclint");
    let stdout = String::from_utf8(output.stdout).expect("UTF-8 output");
    assert_eq!(output.status.code(), Some(0), "stdout:\n{stdout}");
    assert!(stdout.starts_with("No problems found in 8 files (2 articles)"), "stdout:\n{stdout}");
}

#[test]
fn one_copy_lints_its_article_group() {
    let json = lint_json(&["ja-jp/invoices/send-reminders.md"], 1);
    assert_eq!(json["summary"]["files"], 4, "the source and its three copies");
    assert_eq!(json["summary"]["groups"], 1);
    let findings: Vec<(&str, &str)> = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| (str(&d["path"]), str(&d["rule"])))
        .collect();
    assert_eq!(
        findings,
        [
            ("de-de/invoices/send-reminders.md", "link-target-mismatch"),
            // Without a walk of the tree, an empty locale is not told from
            // a missing copy: fr-fr has no file at all.
            ("en-us/invoices/send-reminders.md", "missing-translation"),
            ("ja-jp/invoices/send-reminders.md", "assetid-mismatch"),
            ("ko-kr/invoices/send-reminders.md", "heading-structure-mismatch"),
        ]
    );
}

/// The human report of the demo's findings that `keep` selects, without
/// colour at a fixed width.
fn human(keep: impl Fn(&loclint::Diagnostic) -> bool) -> String {
    let mut report = demo_report();
    report.diagnostics.retain(|d| keep(d));
    assert!(!report.diagnostics.is_empty(), "no finding selected");
    let mut buffer = Vec::new();
    loclint::report::write(
        Format::Human,
        &report,
        Style { color: false, width: 100, full_source_diffs: false },
        &mut buffer,
    )
    .expect("write the human report");
    String::from_utf8(buffer).expect("UTF-8 report")
}

#[test]
fn human_report_of_an_assetid_mismatch_shows_the_source_id() {
    insta::assert_snapshot!("demo_human_assetid_mismatch", human(|d| d.rule == "assetid-mismatch"));
}

#[test]
fn human_report_of_a_missing_and_an_extra_link_target() {
    insta::assert_snapshot!("demo_human_link_target_mismatch", human(|d| d.rule == "link-target-mismatch"));
}

#[test]
fn human_report_of_a_translated_code_block() {
    insta::assert_snapshot!("demo_human_code_block_mismatch", human(|d| d.rule == "code-block-mismatch"));
}

#[test]
fn human_report_names_the_path_of_a_finding_without_a_snippet() {
    // A binary copy and an empty locale have no line to show: the path leads
    // the message instead.
    insta::assert_snapshot!(
        "demo_human_without_snippet",
        human(|d| ["file-unreadable", "locale-missing"].contains(&d.rule))
    );
}
