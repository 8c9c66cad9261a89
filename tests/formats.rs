//! The CI-gate formats (`sarif`, `github`, `junit`) from the real binary:
//! snapshots, SARIF checked against the official 2.1.0 schema, JUnit parsed
//! back, and GitHub's escaping checked line by line.

mod common;

use common::{asset_id, sha1_hex, Run, Tree};
use serde_json::Value;

/// A tree in the default layout with findings of every severity:
/// - `ja-jp/a.md`: wrong `ms.assetid` (error, with a source counterpart)
///   and an extra link (error);
/// - `ko-kr/a.md`: stale `ms.openlocfilehash` (made `info` by the config,
///   so it must not fail its JUnit case);
/// - `ja-jp/odd,name:100%.md`: a heading one level too deep (warning),
///   in a file whose name needs escaping in every format;
/// - `ja-jp/link.md`: a symbolic link, reported without a position.
fn tree() -> Tree {
    let tree = Tree::new();
    tree.write("loclint.toml", "[rules]\nstale-hash = \"info\"\n");
    tree.article("a.md", &["ja-jp", "ko-kr"]);
    let ja = tree
        .copy_of("en-us/a.md", "ja-JP")
        .replace(&asset_id("a"), "00000000-0000-4000-8000-000000000000")
        .replace("を参照してください。", "を参照してください。[追加](extra.md)");
    tree.write("ja-jp/a.md", ja);
    let stale = tree.copy_of("en-us/a.md", "ko-KR").replace(&sha1_hex(&tree.read("en-us/a.md")), &"f".repeat(40));
    tree.write("ko-kr/a.md", stale);
    tree.article("odd,name:100%.md", &["ja-jp"]);
    let odd = tree.copy_of("en-us/odd,name:100%.md", "ja-JP").replace("## セットアップ", "### セットアップ");
    tree.write("ja-jp/odd,name:100%.md", odd);
    #[cfg(unix)]
    std::os::unix::fs::symlink(tree.root().join("en-us/a.md"), tree.root().join("ja-jp/link.md"))
        .expect("create a symbolic link");
    tree
}

fn lint(tree: &Tree, format: &str) -> Run {
    let run = common::run(tree.loclint().args(["lint", "--format", format, "--color", "never"]));
    assert_eq!(run.code, 1, "errors exit 1\nstdout:\n{}\nstderr:\n{}", run.stdout, run.stderr);
    run
}

// ---------------------------------------------------------------------------
// SARIF

#[test]
fn sarif_is_valid_against_the_official_schema() {
    let tree = tree();
    let sarif: Value = serde_json::from_str(&lint(&tree, "sarif").stdout).expect("SARIF is JSON");
    let schema: Value =
        serde_json::from_str(include_str!("data/sarif-schema-2.1.0.json")).expect("the vendored schema is JSON");
    let validator =
        jsonschema::options().should_validate_formats(true).build(&schema).expect("the SARIF schema compiles");
    let errors: Vec<String> =
        validator.iter_errors(&sarif).map(|error| format!("{}: {error}", error.instance_path)).collect();
    assert!(errors.is_empty(), "SARIF output breaks the 2.1.0 schema:\n{}", errors.join("\n"));

    // The schema does check what we write: a level SARIF does not know fails.
    let mut broken = sarif.clone();
    broken["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!validator.is_valid(&broken), "the validator accepts a result level of `fatal`");
}

#[test]
fn sarif_snapshot() {
    let tree = tree();
    let mut sarif: Value = serde_json::from_str(&lint(&tree, "sarif").stdout).expect("SARIF is JSON");
    // The rule docs change with every doc edit and the version with every
    // release; `sarif_rules_are_the_registry` checks them instead.
    let driver = &mut sarif["runs"][0]["tool"]["driver"];
    driver["version"] = "[version]".into();
    driver["semanticVersion"] = "[version]".into();
    for rule in driver["rules"].as_array_mut().expect("rules") {
        let rule = rule.as_object_mut().expect("a rule is an object");
        rule.remove("help");
        rule.remove("fullDescription");
    }
    insta::assert_snapshot!(serde_json::to_string_pretty(&sarif).expect("serialize"));
}

#[test]
fn sarif_rules_are_the_registry() {
    let tree = tree();
    let sarif: Value = serde_json::from_str(&lint(&tree, "sarif").stdout).expect("SARIF is JSON");
    let run = &sarif["runs"][0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "loclint");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    let rules = driver["rules"].as_array().expect("rules");
    assert_eq!(rules.len(), loclint::RULES.len());
    for (descriptor, rule) in rules.iter().zip(loclint::RULES) {
        assert_eq!(descriptor["id"], rule.name);
        assert_eq!(descriptor["shortDescription"]["text"], rule.summary);
        let help = descriptor["help"]["markdown"].as_str().expect("help markdown");
        assert!(rule.doc.contains(help) && help.starts_with(&format!("# {}", rule.name)), "{}: help", rule.name);
        if rule.doc.contains("## What it does\n") {
            let full = descriptor["fullDescription"]["text"].as_str().expect("fullDescription");
            assert!(!full.is_empty() && rule.doc.contains(full), "{}: fullDescription", rule.name);
        }
        let level = match rule.severity {
            loclint::Severity::Error => "error",
            loclint::Severity::Warning => "warning",
            loclint::Severity::Info => "note",
            loclint::Severity::Off => "none",
        };
        assert_eq!(descriptor["defaultConfiguration"]["level"], level, "{}", rule.name);
        let enabled = descriptor["defaultConfiguration"].get("enabled").cloned();
        assert_eq!(enabled, (!rule.enabled_by_default).then_some(Value::Bool(false)), "{}", rule.name);
    }
    for result in run["results"].as_array().expect("results") {
        let index = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
    }
}

#[test]
fn sarif_locations() {
    let tree = tree();
    let sarif: Value = serde_json::from_str(&lint(&tree, "sarif").stdout).expect("SARIF is JSON");
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    let find = |rule: &str, uri: &str| {
        results
            .iter()
            .find(|result| {
                result["ruleId"] == rule && result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == uri
            })
            .unwrap_or_else(|| panic!("no {rule} result for {uri}"))
    };

    // Line 3, value at column 13 (see common::copy_md), 36 characters long.
    let assetid = find("assetid-mismatch", "ja-jp/a.md");
    assert_eq!(assetid["level"], "error");
    let location = &assetid["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    assert_eq!(
        location["region"],
        serde_json::json!({"startLine": 3, "startColumn": 13, "endLine": 3, "endColumn": 49})
    );
    let related = &assetid["relatedLocations"][0]["physicalLocation"];
    assert_eq!(related["artifactLocation"]["uri"], "en-us/a.md");
    assert_eq!(related["region"]["startLine"], 3);
    let text = assetid["message"]["text"].as_str().expect("message text");
    assert!(text.starts_with("`ms.assetid` is `00000000-0000-4000-8000-000000000000`"), "{text}");
    assert!(text.contains('\n'), "the help follows the message on its own line: {text}");

    // Columns count characters: `[追加](extra.md)` follows 14 characters
    // of Japanese and ASCII, far fewer than its byte offset.
    let link = find("link-target-mismatch", "ja-jp/a.md");
    let region = &link["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["startLine"], 12);
    let line = "[ガイド](guide.md)を参照してください。[追加](extra.md)";
    let column = line.find("extra.md").map(|byte| line[..byte].chars().count() + 1).expect("link in line");
    assert_eq!(region["startColumn"], column);

    assert_eq!(find("stale-hash", "ko-kr/a.md")["level"], "note");
    assert_eq!(find("heading-structure-mismatch", "ja-jp/odd,name%3A100%25.md")["level"], "warning");

    #[cfg(unix)]
    {
        let link = find("file-unreadable", "ja-jp/link.md");
        let location = &link["locations"][0]["physicalLocation"];
        assert!(location.get("region").is_none(), "a finding without a position has no region: {location}");
    }
}

// ---------------------------------------------------------------------------
// GitHub workflow commands

#[test]
fn github_snapshot() {
    let tree = tree();
    insta::assert_snapshot!(lint(&tree, "github").stdout);
}

#[test]
fn github_lines_escape_properties_and_messages() {
    let tree = tree();
    let run = lint(&tree, "github");
    let lines: Vec<&str> = run.stdout.lines().collect();
    let with = |needle: &str| {
        lines.iter().copied().find(|line| line.contains(needle)).unwrap_or_else(|| panic!("no line with {needle}"))
    };

    // `,` `:` and `%` are escaped in the file property; the message keeps
    // `:` and `,` but escapes the newline before the help.
    let heading = with("title=loclint heading-structure-mismatch");
    let (command, message) = heading.split_once("::").and_then(|(_, rest)| rest.split_once("::")).expect("command");
    assert!(heading.starts_with("::warning file=ja-jp/odd%2Cname%3A100%25.md,line="), "{heading}");
    assert!(!command.contains(':') && command.matches(',').count() == 5, "{command}");
    assert!(!message.contains('\n') && message.contains("%0A"), "{message}");

    let assetid = with("title=loclint assetid-mismatch");
    let expected = "::error file=ja-jp/a.md,line=3,col=13,endLine=3,endColumn=49,title=loclint assetid-mismatch::\
                    `ms.assetid` is `00000000-0000-4000-8000-000000000000` but the source's is `";
    assert!(assetid.starts_with(expected), "{assetid}");
    assert!(assetid.contains("`%0A"), "help after an escaped newline: {assetid}");

    assert!(with("title=loclint stale-hash").starts_with("::notice file=ko-kr/a.md,line=4,col=21,"));
    #[cfg(unix)]
    assert!(
        with("title=loclint file-unreadable").starts_with("::error file=ja-jp/link.md,title=loclint file-unreadable::")
    );
    assert_eq!(lines.len(), run.stdout.matches('\n').count(), "one line per finding, nothing else");
}

// ---------------------------------------------------------------------------
// JUnit

#[test]
fn junit_snapshot() {
    let tree = tree();
    insta::assert_snapshot!(lint(&tree, "junit").stdout);
}

#[test]
fn junit_parses_back_with_one_case_per_file() {
    use quick_junit::{NonSuccessKind, TestCaseStatus};

    let tree = tree();
    let junit = quick_junit::Report::deserialize_from_str(&lint(&tree, "junit").stdout).expect("JUnit XML parses");
    assert_eq!(junit.name.as_deref(), Some("loclint"));
    assert_eq!(junit.test_suites.len(), 1);
    let suite = &junit.test_suites[0];
    assert_eq!(suite.name.as_str(), "loclint");
    assert!(junit.timestamp.is_none() && suite.timestamp.is_none(), "no timestamps");

    let names: Vec<&str> = suite.test_cases.iter().map(|case| case.name.as_str()).collect();
    // One case per checked file, passing ones included, article by
    // article, plus the symbolic link the walk reported, last.
    let mut expected =
        vec!["loclint", "en-us/a.md", "ja-jp/a.md", "ko-kr/a.md", "en-us/odd,name:100%.md", "ja-jp/odd,name:100%.md"];
    if cfg!(unix) {
        expected.push("ja-jp/link.md");
    }
    assert_eq!(names, expected);
    // Failing: ja-jp/a.md, ja-jp/odd…, and the link; the summary case, the
    // two sources and ko-kr (info only) pass.
    let failing = if cfg!(unix) { 3 } else { 2 };
    assert_eq!((suite.tests, suite.failures, suite.errors), (expected.len(), failing, 0));
    assert_eq!((junit.tests, junit.failures, junit.errors), (expected.len(), failing, 0));

    let case = |name: &str| suite.test_cases.iter().find(|case| case.name.as_str() == name).expect("case");
    let TestCaseStatus::NonSuccess { kind, message, ty, description, .. } = &case("ja-jp/a.md").status else {
        panic!("ja-jp/a.md fails");
    };
    assert_eq!(*kind, NonSuccessKind::Failure);
    assert_eq!(ty.as_ref().map(|ty| ty.as_str()), Some("assetid-mismatch, link-target-mismatch"));
    assert!(message.as_ref().expect("message").as_str().ends_with("(and 1 more)"));
    let description = description.as_ref().expect("text").as_str();
    assert!(description.starts_with("ja-jp/a.md:3:13: error[assetid-mismatch] `ms.assetid` is"), "{description}");
    assert!(description.contains("\nja-jp/a.md:12:"), "{description}");

    assert_eq!(case("ja-jp/a.md").extra.get("file").map(|file| file.as_str()), Some("ja-jp/a.md"));

    let ko = case("ko-kr/a.md");
    assert!(matches!(ko.status, TestCaseStatus::Success { .. }), "info findings do not fail a case");
    let out = ko.system_out.as_ref().expect("info findings in system-out").as_str();
    assert!(out.starts_with("ko-kr/a.md:4:21: info[stale-hash] "), "{out}");

    let summary = case("loclint");
    assert!(matches!(summary.status, TestCaseStatus::Success { .. }));
    let errors = if cfg!(unix) { 3 } else { 2 };
    assert_eq!(
        summary.system_out.as_ref().expect("counts").as_str(),
        format!("checked 5 files (2 articles): {errors} errors, 1 warning, 1 info")
    );
    let property =
        |name: &str| suite.properties.iter().find(|p| p.name.as_str() == name).map(|p| p.value.as_str().to_string());
    assert_eq!(property("errors"), Some(errors.to_string()));
    assert_eq!(property("infos"), Some("1".to_string()));
}

// ---------------------------------------------------------------------------
// All three

#[test]
fn output_file_gets_the_same_document() {
    let tree = tree();
    for format in ["sarif", "github", "junit"] {
        let stdout = lint(&tree, format).stdout;
        let path = tree.root().join(format!("out.{format}"));
        let run = common::run(tree.loclint().args(["lint", "--quiet", "--format", format, "--output"]).arg(&path));
        assert_eq!(run.code, 1);
        assert_eq!(std::fs::read_to_string(&path).expect("output file"), stdout, "{format}");
    }
}

#[test]
fn a_clean_tree_gives_empty_but_valid_documents() {
    let tree = Tree::new();
    tree.article("a.md", &["ja-jp"]);
    let run = |format: &str| {
        let run = common::run(tree.loclint().args(["lint", "--format", format]));
        assert_eq!(run.code, 0, "{}", run.stderr);
        run.stdout
    };
    assert_eq!(run("github"), "");
    let sarif: Value = serde_json::from_str(&run("sarif")).expect("SARIF is JSON");
    assert_eq!(sarif["runs"][0]["results"], serde_json::json!([]));
    let junit = quick_junit::Report::deserialize_from_str(&run("junit")).expect("JUnit XML parses");
    // The summary case and one passing case per checked file.
    assert_eq!((junit.tests, junit.failures), (3, 0));
}

// ---------------------------------------------------------------------------
// GitLab Code Quality, Azure Pipelines, JSON Lines, reviewdog

#[test]
fn gitlab_is_valid_against_the_code_quality_schema() {
    let tree = tree();
    let report: Value = serde_json::from_str(&lint(&tree, "gitlab").stdout).expect("a JSON array");
    let schema: Value = serde_json::from_str(include_str!("data/gitlab-codequality-schema.json")).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let errors: Vec<String> =
        validator.iter_errors(&report).map(|error| format!("{}: {error}", error.instance_path)).collect();
    assert!(errors.is_empty(), "gitlab output breaks the schema:\n{}", errors.join("\n"));
    let issues = report.as_array().unwrap();
    assert_eq!(issues.len(), 5, "{report:#}");
    let mut fingerprints: Vec<&str> = issues.iter().map(|issue| issue["fingerprint"].as_str().unwrap()).collect();
    fingerprints.sort_unstable();
    fingerprints.dedup();
    assert_eq!(fingerprints.len(), issues.len(), "fingerprints are unique");
    let assetid = issues.iter().find(|issue| issue["check_name"] == "assetid-mismatch").unwrap();
    assert_eq!(assetid["severity"], "major");
    assert_eq!(assetid["location"], serde_json::json!({"path": "ja-jp/a.md", "lines": {"begin": 3, "end": 3}}));
    // The schema does check: an unknown severity fails.
    let mut broken = report.clone();
    broken[0]["severity"] = "fatal".into();
    assert!(!validator.is_valid(&broken));
    // No finding: an empty array.
    let clean = Tree::new();
    clean.article("a.md", &["ja-jp"]);
    let run = common::run(clean.loclint().args(["lint", "--format", "gitlab"]));
    assert_eq!((run.code, run.stdout.as_str()), (0, "[]\n"));
}

/// The whole output of each CI format, as its consumer reads it.
#[test]
fn ci_format_snapshots() {
    let tree = tree();
    for format in ["gitlab", "azure", "json-lines", "rdjson"] {
        let run = lint(&tree, format);
        insta::assert_snapshot!(format!("ci_format_{format}"), run.stdout);
    }
}

#[test]
fn azure_writes_escaped_logging_commands() {
    let tree = tree();
    let run = lint(&tree, "azure");
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 5, "{}", run.stdout);
    assert!(lines.iter().all(|line| line.starts_with("##vso[task.logissue type=")), "{}", run.stdout);
    let odd = lines.iter().find(|line| line.contains("heading-structure-mismatch")).unwrap();
    assert!(
        odd.starts_with(
            "##vso[task.logissue type=warning;sourcepath=ja-jp/odd,name:100%AZP25.md;linenumber=14;columnnumber=1;\
             code=heading-structure-mismatch]heading-structure-mismatch: "
        ),
        "{odd}"
    );
    let stale = lines.iter().find(|line| line.contains("code=stale-hash")).unwrap();
    assert!(stale.starts_with("##vso[task.logissue type=warning;sourcepath=ko-kr/a.md;linenumber=4;"), "{stale}");
}

#[test]
fn json_lines_writes_one_json_diagnostic_per_line() {
    let tree = tree();
    let lines_run = lint(&tree, "json-lines");
    let json_run = lint(&tree, "json");
    let json: Value = serde_json::from_str(&json_run.stdout).unwrap();
    let lines: Vec<Value> = lines_run.stdout.lines().map(|line| serde_json::from_str(line).unwrap()).collect();
    assert_eq!(&lines, json["diagnostics"].as_array().unwrap());
}

#[test]
fn rdjson_has_reviewdogs_shape_and_offers_fixes() {
    let tree = tree();
    let report: Value = serde_json::from_str(&lint(&tree, "rdjson").stdout).expect("one JSON object");
    assert_eq!(report["source"], serde_json::json!({"name": "loclint"}));
    let diagnostics = report["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 5);
    let assetid = diagnostics.iter().find(|d| d["code"]["value"] == "assetid-mismatch").unwrap();
    assert_eq!(assetid["severity"], "ERROR");
    assert_eq!(assetid["location"]["path"], "ja-jp/a.md");
    assert_eq!(assetid["location"]["range"]["start"], serde_json::json!({"line": 3, "column": 13}));
    assert_eq!(
        assetid["suggestions"],
        serde_json::json!([{"range": {"start": {"line": 3, "column": 13}, "end": {"line": 3, "column": 49}}, "text": asset_id("a")}])
    );
    let stale = diagnostics.iter().find(|d| d["code"]["value"] == "stale-hash").unwrap();
    assert_eq!(stale["severity"], "INFO");
    assert!(stale.get("suggestions").is_none(), "{stale}");
}
