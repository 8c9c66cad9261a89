//! The `loclint` command line: subcommands, exit codes, formats, filters,
//! paths and layouts, run as a user runs them, on trees built in temporary
//! folders.

mod common;

use common::{asset_id, sha1_hex, Run, Tree};
use loclint::RULES;

/// An asset id that belongs to no article.
const OTHER_ID: &str = "99999999-9999-4999-8999-999999999999";
/// A source hash that matches no source.
const OLD_HASH: &str = "0000000000000000000000000000000000000000";

/// Writes the copy at `path` of `source` with `ms.assetid` set to [`OTHER_ID`].
fn plant_wrong_assetid(tree: &Tree, source: &str, path: &str, tag: &str) {
    let name = stem(source);
    tree.write(path, tree.copy_of(source, tag).replace(&asset_id(&name), OTHER_ID));
}

/// Writes the copy at `path` of `source` with a stale `ms.openlocfilehash`.
fn plant_stale_hash(tree: &Tree, source: &str, path: &str, tag: &str) {
    let hash = sha1_hex(&tree.read(source));
    tree.write(path, tree.copy_of(source, tag).replace(&hash, OLD_HASH));
}

/// The concise line [`plant_wrong_assetid`] produces.
fn assetid_line(path: &str, source: &str) -> String {
    format!(
        "{path}:3:13: error[assetid-mismatch] [*] `ms.assetid` is `{OTHER_ID}` but the source's is `{}`",
        asset_id(&stem(source))
    )
}

/// The concise line [`plant_stale_hash`] produces.
fn stale_line(tree: &Tree, path: &str, source: &str) -> String {
    format!(
        "{path}:4:21: warning[stale-hash] copy was translated from another version of the source: \
         `ms.openlocfilehash` is `{OLD_HASH}` but the source's SHA-1 is `{}`",
        sha1_hex(&tree.read(source))
    )
}

fn stem(path: &str) -> String {
    std::path::Path::new(path).file_stem().unwrap().to_str().unwrap().to_string()
}

/// Findings (one per line) followed by the summary line and, when some
/// findings are marked fixable (`[*]`), the line that counts them.
fn report(findings: &[String], summary: &str) -> String {
    let mut out: String = findings.iter().map(|line| format!("{line}\n")).collect();
    out.push_str(summary);
    out.push('\n');
    out.push_str(&fixable_line(findings));
    out
}

/// "[*] N fixable with `--fix`" for the findings marked fixable, if any.
fn fixable_line(findings: &[String]) -> String {
    match findings.iter().filter(|line| line.contains("] [*] ")).count() {
        0 => String::new(),
        count => format!("[*] {count} fixable with `--fix`\n"),
    }
}

fn assert_run(run: &Run, code: i32, stdout: &str) {
    assert_eq!(run.out(), stdout, "stdout (stderr: {})", run.stderr);
    assert_eq!(run.code, code, "exit code (stdout: {}, stderr: {})", run.stdout, run.stderr);
}

/// A run that failed before linting: exit 2, nothing on stdout, and each
/// of `expected` in stderr (compared without whitespace, so wrapping at
/// any width does not matter).
fn assert_failure(run: &Run, expected: &[&str]) {
    assert_eq!(run.code, 2, "exit code (stdout: {}, stderr: {})", run.stdout, run.stderr);
    assert_eq!(run.stdout, "", "stdout of a failed run");
    for text in expected {
        assert!(run.squashed_stderr().contains(&common::squash(text)), "stderr lacks {text:?}:\n{}", run.stderr);
    }
}

/// `en-us/a.md` with clean copies in `ja-jp` and `ko-kr`.
fn clean_tree() -> Tree {
    let tree = Tree::new();
    tree.article("a.md", &["ja-jp", "ko-kr"]);
    tree
}

// ---------------------------------------------------------------------------
// `loclint rules` and `loclint explain`

#[test]
fn rules_lists_every_rule_with_its_group_and_default_severity() {
    let run = common::run(Tree::new().loclint().arg("rules"));
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), RULES.len(), "one line per rule:\n{}", run.stdout);
    for (line, rule) in lines.iter().zip(RULES) {
        let words: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(words[..3], [rule.name, rule.group.as_str(), rule.default_severity().as_str()], "{line}");
        let summary = if loclint::fix::is_fixable(rule) {
            assert_eq!(words[3], "[*]", "{line}");
            &words[4..]
        } else {
            &words[3..]
        };
        assert_eq!(summary.join(" "), rule.summary.split_whitespace().collect::<Vec<_>>().join(" "), "{line}");
    }
    let line_of = |name: &str| lines.iter().find(|line| line.starts_with(&format!("{name} "))).copied();
    let words_of = |name: &str| line_of(name).map(|line| line.split_whitespace().take(4).collect::<Vec<_>>());
    assert_eq!(words_of("stale-hash"), Some(vec!["stale-hash", "metadata", "warning", "the"]));
    // `[*]`: `--fix` fixes some of its findings, as the report marks them.
    assert_eq!(words_of("assetid-mismatch"), Some(vec!["assetid-mismatch", "metadata", "error", "[*]"]));
    assert_eq!(words_of("missing-translation"), Some(vec!["missing-translation", "corpus", "off", "a"]));
}

#[test]
fn explain_prints_the_rule_doc_without_its_front_matter() {
    let run = common::run(Tree::new().loclint().args(["explain", "stale-hash"]));
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc = loclint::rules::find("stale-hash").unwrap().doc;
    assert_eq!(run.stdout, without_front_matter(doc));
    assert!(!run.stdout.starts_with("---"), "front matter was printed:\n{}", run.stdout);
    assert!(!run.stdout.contains("\nseverity: warning\n"), "front matter was printed:\n{}", run.stdout);
    assert!(run.stdout.starts_with("# stale-hash\n"), "{}", run.stdout);
}

/// `explain` shows the example's findings as `lint --format concise` prints
/// them: the tree written from its own output and linted gives exactly its
/// `diagnostics` block (fixable marker included).
#[test]
fn explain_shows_the_example_findings_in_the_concise_format_lint_prints() {
    use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};
    for rule in ["locale-mismatch", "heading-structure-mismatch"] {
        let run = common::run(Tree::new().loclint().args(["explain", rule]));
        assert_eq!(run.code, 0, "{}", run.stderr);
        // Each fenced block: its info string and its text.
        let mut blocks: Vec<(String, String)> = Vec::new();
        for event in Parser::new(&run.stdout) {
            match event {
                Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                    blocks.push((info.to_string(), String::new()))
                }
                Event::Text(text) => {
                    if let Some((_, content)) = blocks.last_mut() {
                        content.push_str(&text);
                    }
                }
                Event::End(TagEnd::CodeBlock) => blocks.push((String::new(), String::new())),
                _ => {}
            }
        }
        let tree = Tree::new();
        let mut shown = None;
        for (info, content) in &blocks {
            if let Some((_, title)) = info.split_once("title=\"") {
                tree.write(title.trim_end_matches('"'), content);
            } else if info == "diagnostics" {
                shown = Some(content.clone());
            }
        }
        let shown = shown.expect("a diagnostics block");
        let lint = tree.lint(&["--quiet", "--select", rule]);
        assert_eq!(lint.stdout, shown, "{rule}: {}", lint.stderr);
        assert!(shown.contains(&format!("[{rule}] ")), "{shown}");
    }
}

fn without_front_matter(doc: &str) -> &str {
    let Some(rest) = doc.strip_prefix("---\n") else {
        return doc;
    };
    let end = rest.find("\n---\n").expect("rule doc front matter is closed");
    rest[end + "\n---\n".len()..].trim_start_matches('\n')
}

#[test]
fn explain_of_an_unknown_rule_exits_2_with_a_hint() {
    let run = common::run(Tree::new().loclint().args(["explain", "stale-hsh"]));
    assert_failure(&run, &["unknown rule `stale-hsh`", "did you mean `stale-hash`?"]);
}

// ---------------------------------------------------------------------------
// Exit codes

#[test]
fn clean_tree_exits_0() {
    let tree = clean_tree();
    let run = tree.lint(&[]);
    assert_run(&run, 0, "No problems found in 3 files (1 article) in [time]\n");
    assert_eq!(run.stderr, "");
}

#[test]
fn an_error_finding_exits_1() {
    let tree = clean_tree();
    plant_wrong_assetid(&tree, "en-us/a.md", "ja-jp/a.md", "ja-JP");
    let run = tree.lint(&[]);
    let expected =
        report(&[assetid_line("ja-jp/a.md", "en-us/a.md")], "Found 1 error in 3 files (1 article) in [time]");
    assert_run(&run, 1, &expected);
}

#[test]
fn only_warnings_exit_0() {
    let tree = clean_tree();
    plant_stale_hash(&tree, "en-us/a.md", "ko-kr/a.md", "ko-KR");
    let run = tree.lint(&[]);
    let expected =
        report(&[stale_line(&tree, "ko-kr/a.md", "en-us/a.md")], "Found 1 warning in 3 files (1 article) in [time]");
    assert_run(&run, 0, &expected);
}

#[test]
fn a_warning_raised_to_error_in_the_config_exits_1() {
    let tree = clean_tree();
    plant_stale_hash(&tree, "en-us/a.md", "ko-kr/a.md", "ko-KR");
    tree.write("loclint.toml", "[rules]\nstale-hash = \"error\"\n");
    let run = tree.lint(&[]);
    let line = stale_line(&tree, "ko-kr/a.md", "en-us/a.md").replace("warning[", "error[");
    assert_run(&run, 1, &report(&[line], "Found 1 error in 3 files (1 article) in [time]"));
}

#[test]
fn unknown_select_rule_exits_2_with_a_hint() {
    let run = clean_tree().lint(&["--select", "stale-hsh"]);
    assert_failure(&run, &["unknown rule `stale-hsh` in --select", "did you mean `stale-hash`?"]);
}

#[test]
fn unknown_ignore_rule_exits_2_with_a_hint() {
    let run = clean_tree().lint(&["--ignore", "assetid-mismatch,link-target"]);
    assert_failure(&run, &["unknown rule `link-target` in --ignore", "did you mean `link-target-mismatch`?"]);
}

#[test]
fn bad_format_exits_2() {
    let tree = clean_tree();
    let run = common::run(tree.loclint().args(["lint", "--format", "xml"]));
    assert_failure(&run, &["invalid value 'xml' for '--format <FORMAT>'"]);
}

#[test]
fn a_path_that_does_not_exist_exits_2() {
    let run = clean_tree().lint(&["no-such-folder"]);
    assert_failure(&run, &["no such file or folder: no-such-folder"]);
}

#[test]
fn config_with_an_unknown_key_exits_2_with_the_line_and_a_hint() {
    let tree = clean_tree();
    tree.write("loclint.toml", "locales = [\"ja-jp\"]\nsourse = \"en-us\"\n");
    let run = tree.lint(&[]);
    assert_failure(&run, &["loclint.toml", "unknown field `sourse`", "did you mean `source`?"]);
    // The labelled snippet: the offending line, underlined.
    assert!(run.stderr.contains("loclint.toml:2:1]"), "{}", run.stderr);
    assert!(run.stderr.contains(" 2 │ sourse = \"en-us\"\n"), "{}", run.stderr);
    assert!(run.stderr.contains("   · ───┬──\n"), "{}", run.stderr);
}

#[test]
fn config_with_a_toml_syntax_error_exits_2_with_the_line() {
    let tree = clean_tree();
    tree.write("loclint.toml", "locales = [\"ja-jp\"]\nsource = \"en-us\n");
    let run = tree.lint(&[]);
    assert_failure(&run, &["invalid configuration in", "loclint.toml"]);
    assert!(run.stderr.contains("loclint.toml:2:"), "{}", run.stderr);
    assert!(run.stderr.contains(" 2 │ source = \"en-us\n"), "{}", run.stderr);
}

/// A switch given anything but `true` or `false` is an error on its line,
/// not a value silently read as the default.
#[test]
fn a_rule_switch_that_is_not_a_boolean_exits_2_with_the_line() {
    let tree = clean_tree();
    tree.write("loclint.toml", "[rules]\ncode-block-mismatch = { translated-comments = \"yes\" }\n");
    let run = tree.lint(&[]);
    assert_eq!((run.code, run.stdout.as_str()), (2, ""));
    assert!(
        run.stderr
            .contains("option `translated-comments` of rule `code-block-mismatch` must be `true` or `false`\n   ╭─[",),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("loclint.toml:2:23]"), "{}", run.stderr);
}

/// A bad glob is shown on its line of `loclint.toml`, as other config
/// errors are, whichever key holds it.
#[test]
fn config_with_a_bad_glob_exits_2_with_the_file_and_line() {
    let tree = clean_tree();
    tree.write("loclint.toml", "locales = [\"ja-jp\"]\nexclude = [\"drafts/**\", \"notes/[x\"]\n");
    let run = tree.lint(&[]);
    let config = tree.root().join("loclint.toml").display().to_string();
    assert_eq!((run.code, run.stdout.as_str()), (2, ""));
    assert_eq!(
        run.stderr,
        format!(
            "config\n\n  × invalid configuration in {config}: invalid glob `notes/[x` in exclude: unclosed character \
             class; missing ']'\n   ╭─[{config}:2:25]\n 1 │ locales = [\"ja-jp\"]\n 2 │ exclude = [\"drafts/**\", \
             \"notes/[x\"]\n   ·                         ─────┬────\n   ·                              ╰── this glob\n   \
             ╰────\n"
        )
    );
    tree.write(
        "loclint.toml",
        "include = [\"**/*.md\"]\n\n[[overrides]]\npaths = [\n  \"../legacy/**\",\n]\nrules = {}\n",
    );
    let run = tree.lint(&[]);
    assert_eq!((run.code, run.stdout.as_str()), (2, ""));
    assert_eq!(
        run.stderr,
        format!(
            "config\n\n  × invalid configuration in {config}: invalid glob `../legacy/**` in [[overrides]] paths: `..` \
             cannot match, globs are relative to the lint root\n   ╭─[{config}:5:3]\n 4 │ paths = [\n 5 │   \
             \"../legacy/**\",\n   ·   ───────┬──────\n   ·          ╰── this glob\n 6 │ ]\n   ╰────\n  help: lint the \
             folder that holds the files, or move loclint.toml up to a folder above them\n"
        )
    );
}

#[test]
fn config_with_an_unknown_rule_exits_2_with_a_hint() {
    let tree = clean_tree();
    tree.write("loclint.toml", "[rules]\nstale-hsh = \"error\"\n");
    let run = tree.lint(&[]);
    assert_failure(&run, &["unknown rule `stale-hsh`", "not a rule", "did you mean `stale-hash`?"]);
    assert!(run.stderr.contains(" 2 │ stale-hsh = \"error\"\n"), "{}", run.stderr);
}

#[test]
fn config_with_a_bad_severity_exits_2_with_a_hint() {
    let tree = clean_tree();
    tree.write("loclint.toml", "[rules]\nstale-hash = \"eror\"\n");
    let run = tree.lint(&[]);
    assert_failure(&run, &["unknown severity `eror` for rule `stale-hash`", "did you mean `error`?"]);
    assert!(run.stderr.contains(" 2 │ stale-hash = \"eror\"\n"), "{}", run.stderr);
}

// ---------------------------------------------------------------------------
// Formats and output

/// A tree with one error (with a source counterpart) and one warning
/// (without one).
fn error_and_warning_tree() -> Tree {
    let tree = clean_tree();
    plant_wrong_assetid(&tree, "en-us/a.md", "ja-jp/a.md", "ja-JP");
    plant_stale_hash(&tree, "en-us/a.md", "ko-kr/a.md", "ko-KR");
    tree
}

#[test]
fn json_report_has_the_shape_of_the_spec() {
    let tree = error_and_warning_tree();
    let run = common::run(tree.loclint().args(["lint", "--format", "json"]));
    assert_eq!(run.code, 1, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("stdout is one JSON object");
    let keys = |value: &serde_json::Value| value.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    let sorted = |names: &[&str]| {
        let mut names: Vec<String> = names.iter().map(|name| name.to_string()).collect();
        names.sort();
        names
    };
    assert_eq!(keys(&json), sorted(&["version", "tool", "summary", "diagnostics"]));
    assert_eq!(json["version"], 1);
    assert_eq!(json["tool"], serde_json::json!({"name": "loclint", "version": env!("CARGO_PKG_VERSION")}));
    assert_eq!(json["summary"], serde_json::json!({"files": 3, "groups": 1, "errors": 1, "warnings": 1, "infos": 0}));
    let diagnostics = json["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 2, "{}", run.stdout);
    let fields = [
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
        "fix",
    ];
    for diagnostic in diagnostics {
        assert_eq!(keys(diagnostic), sorted(&fields), "{diagnostic}");
        assert!(diagnostic["help"].is_string(), "{diagnostic}");
    }
    let source_id = asset_id("a");
    let mut assetid = diagnostics[0].clone();
    assetid.as_object_mut().unwrap().remove("help");
    assert_eq!(
        assetid,
        serde_json::json!({
            "rule": "assetid-mismatch", "severity": "error",
            "path": "ja-jp/a.md", "locale": "ja-jp",
            "line": 3, "column": 13, "end_line": 3, "end_column": 13 + OTHER_ID.len(),
            "message": format!("`ms.assetid` is `{OTHER_ID}` but the source's is `{source_id}`"),
            "source": {"path": "en-us/a.md", "line": 3, "column": 13},
            // Added to SPEC §6's fields (SPEC allows additions): the safe fix.
            "fix": {
                "applicability": "safe", "message": "applied by `loclint lint --fix`",
                "edits": [{"line": 3, "column": 13, "end_line": 3, "end_column": 13 + OTHER_ID.len(), "content": source_id}],
            },
        })
    );
    let stale = &diagnostics[1];
    assert!(stale["fix"].is_null(), "{stale}");
    assert_eq!(
        (&stale["rule"], &stale["severity"], &stale["path"], &stale["locale"]),
        (&"stale-hash".into(), &"warning".into(), &"ko-kr/a.md".into(), &"ko-kr".into())
    );
    assert_eq!((&stale["line"], &stale["column"]), (&4.into(), &21.into()));
    assert!(stale["source"].is_null(), "{stale}");
}

#[test]
fn output_writes_the_report_to_the_file_and_the_summary_to_stdout() {
    let tree = error_and_warning_tree();
    let report_path = tree.root().join("report.txt");
    let run = tree.lint(&["--output", report_path.to_str().unwrap()]);
    assert_run(&run, 1, "Found 1 error and 1 warning in 3 files (1 article) in [time]\n[*] 1 fixable with `--fix`\n");
    let written = String::from_utf8(std::fs::read(&report_path).unwrap()).unwrap();
    let expected = [assetid_line("ja-jp/a.md", "en-us/a.md"), stale_line(&tree, "ko-kr/a.md", "en-us/a.md")];
    assert_eq!(written, format!("{}\n{}\n", expected[0], expected[1]));

    let json_path = tree.root().join("report.json");
    let run = common::run(tree.loclint().args(["lint", "--format", "json", "--output", json_path.to_str().unwrap()]));
    assert_run(&run, 1, "Found 1 error and 1 warning in 3 files (1 article) in [time]\n[*] 1 fixable with `--fix`\n");
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&json_path).unwrap()).unwrap();
    assert_eq!(json["summary"]["errors"], 1);
}

/// `--output /dev/null` once replaced the device with a regular file (the
/// atomic rename), breaking every later reader of /dev/null on the machine.
/// A named pipe stands in for the device so a regression cannot do that.
#[cfg(unix)]
#[test]
fn output_to_a_named_pipe_writes_into_the_pipe_and_keeps_it() {
    use std::os::unix::fs::FileTypeExt;
    let tree = error_and_warning_tree();
    let pipe = tree.root().join("report.pipe");
    let made = std::process::Command::new("mkfifo").arg(&pipe).status().unwrap();
    assert!(made.success(), "mkfifo failed");
    // Opening a pipe for reading blocks until a writer opens it, so the reader
    // runs beside loclint; if loclint renamed over the pipe, the reader would
    // never return, hence no join before the file-type check.
    let reader = {
        let pipe = pipe.clone();
        std::thread::spawn(move || std::fs::read_to_string(pipe).unwrap())
    };
    let run = tree.lint(&["--quiet", "--output", pipe.to_str().unwrap()]);
    assert_run(&run, 1, "");
    assert!(std::fs::symlink_metadata(&pipe).unwrap().file_type().is_fifo(), "the pipe was replaced");
    let expected = [assetid_line("ja-jp/a.md", "en-us/a.md"), stale_line(&tree, "ko-kr/a.md", "en-us/a.md")];
    assert_eq!(reader.join().unwrap(), format!("{}\n{}\n", expected[0], expected[1]));
}

/// `--output` failures say "write" and name the file the user gave, never
/// the temporary file loclint writes first; they come before the run.
#[test]
fn output_errors_say_write_and_name_the_given_file() {
    let tree = error_and_warning_tree();
    let run = tree.lint(&["--output", "missing/report.txt"]);
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (
            2,
            "",
            "  × cannot write missing/report.txt: cannot create a file in missing: no such file or directory (os error \
             2)\n"
        )
    );
    std::fs::create_dir(tree.root().join("reports")).unwrap();
    for option in ["--output", "--write-baseline"] {
        let run = tree.lint(&[option, "reports"]);
        assert_eq!(
            (run.code, run.stdout.as_str(), run.stderr.as_str()),
            (2, "", "  × cannot write reports: is a folder\n")
        );
    }
    #[cfg(target_os = "linux")]
    {
        let run = tree.lint(&["--output", "/dev/full"]);
        assert_eq!(
            (run.code, run.stdout.as_str(), run.stderr.as_str()),
            (2, "", "  × cannot write /dev/full: No space left on device (os error 28)\n")
        );
    }
}

/// `--output` and `--write-baseline` are the user's own arguments: a
/// symbolic link there is written through, as the shell's `>` does; the
/// link stays a link.
#[cfg(unix)]
#[test]
fn an_output_path_that_is_a_symbolic_link_is_written_through() {
    let tree = error_and_warning_tree();
    std::fs::create_dir(tree.root().join("reports")).unwrap();
    std::os::unix::fs::symlink("reports/today.txt", tree.root().join("latest.txt")).unwrap();
    std::os::unix::fs::symlink("reports/baseline.json", tree.root().join("baseline.json")).unwrap();
    let run = tree.lint(&["--quiet", "--output", "latest.txt"]);
    assert_run(&run, 1, "");
    let run = tree.lint(&["--write-baseline", "baseline.json"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, "wrote 2 findings to the baseline baseline.json\n"));
    for (link, target) in [("latest.txt", "reports/today.txt"), ("baseline.json", "reports/baseline.json")] {
        let metadata = std::fs::symlink_metadata(tree.root().join(link)).unwrap();
        assert!(metadata.file_type().is_symlink(), "{link} was replaced");
        assert!(tree.root().join(target).is_file(), "{target} was not written");
    }
    let expected = [assetid_line("ja-jp/a.md", "en-us/a.md"), stale_line(&tree, "ko-kr/a.md", "en-us/a.md")];
    assert_eq!(
        String::from_utf8(tree.read("reports/today.txt")).unwrap(),
        format!("{}\n{}\n", expected[0], expected[1])
    );
    // Written through the link, the baseline hides what it recorded.
    let run = tree.lint(&["--baseline", "baseline.json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(any_time(&run.stdout), "No problems found in 3 files (1 article) in [time]; the baseline hid 2\n");
    // One of its findings fixed: "1 of its findings is fixed".
    tree.write("ja-jp/a.md", tree.copy_of("en-us/a.md", "ja-JP"));
    let run = tree.lint(&["--baseline", "baseline.json"]);
    assert_eq!(
        any_time(&run.stdout),
        "No problems found in 3 files (1 article) in [time]; the baseline hid 1 and 1 of its findings is fixed \
         (rewrite it with --write-baseline to shrink it)\n"
    );
}

/// The run time masked wherever it is on a line.
fn any_time(text: &str) -> String {
    regex::Regex::new(r" in \d+\.\d+s").unwrap().replace_all(text, " in [time]").into_owned()
}

/// A run with nothing to lint fails (exit 2) and leaves no report that
/// would read as a clean tree: none on stdout, no file for --output.
#[test]
fn a_run_with_nothing_to_lint_writes_no_report() {
    let tree = clean_tree();
    tree.write("rules/a.md", "# A rule\n");
    for format in ["json", "sarif", "junit", "gitlab"] {
        let run = common::run(tree.loclint().args(["lint", "rules", "--format", format]));
        assert_failure(&run, &["no files to lint: no Markdown file under rules is in a locale folder"]);
        let run = common::run(tree.loclint().args(["lint", "rules", "--format", format, "--output", "report"]));
        assert_failure(&run, &["no files to lint: no Markdown file under rules is in a locale folder"]);
        assert!(!tree.root().join("report").exists(), "{format}: a report was written");
    }
}

/// JUnit names its cases and writes their findings with the paths every
/// other format shows: from the working folder (here a locale folder).
#[test]
fn junit_cases_and_their_findings_show_the_same_paths_as_the_other_formats() {
    let tree = error_and_warning_tree();
    let from_ja = |format: &str| {
        common::run(tree.loclint().current_dir(tree.root().join("ja-jp")).args(["lint", "--format", format, "a.md"]))
    };
    let concise = from_ja("concise");
    let lines = [assetid_line("../ja-jp/a.md", "en-us/a.md"), stale_line(&tree, "../ko-kr/a.md", "en-us/a.md")];
    assert_run(&concise, 1, &report(&lines, "Found 1 error and 1 warning in 3 files (1 article) in [time]"));
    // The same lines, without the fixable marker, XML-escaped.
    let [assetid, stale] = lines.map(|line| line.replace("[*] ", "").replace('\'', "&apos;"));
    let source_id = asset_id("a");
    // The stale-hash help as the JSON report gives it.
    let json: serde_json::Value = serde_json::from_str(&from_ja("json").stdout).unwrap();
    let stale_help = json["diagnostics"][1]["help"].as_str().unwrap().to_string();
    let run = from_ja("junit");
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="loclint" tests="4" skipped="0" failures="2" errors="0" time="0.000">
    <testsuite name="loclint" tests="4" skipped="0" errors="0" failures="2" time="0.000">
        <properties>
            <property name="files" value="3"/>
            <property name="groups" value="1"/>
            <property name="errors" value="1"/>
            <property name="warnings" value="1"/>
            <property name="infos" value="0"/>
        </properties>
        <testcase name="loclint" classname="loclint" time="0.000">
            <system-out>checked 3 files (1 article): 1 error, 1 warning, 0 infos</system-out>
        </testcase>
        <testcase name="../en-us/a.md" classname="loclint" time="0.000" file="../en-us/a.md"/>
        <testcase name="../ja-jp/a.md" classname="loclint" time="0.000" file="../ja-jp/a.md">
            <failure message="`ms.assetid` is `{OTHER_ID}` but the source&apos;s is `{source_id}`" type="assetid-mismatch">{assetid}
set it to the source&apos;s id, `{source_id}`</failure>
        </testcase>
        <testcase name="../ko-kr/a.md" classname="loclint" time="0.000" file="../ko-kr/a.md">
            <failure message="{stale_message}" type="stale-hash">{stale}
{stale_help}</failure>
        </testcase>
    </testsuite>
</testsuites>
"#,
            stale_message = stale.split_once("[stale-hash] ").unwrap().1,
            stale_help = stale_help.replace('\'', "&apos;"),
        )
    );
}

/// The findings cap says "1 more … finding" and "at most 1 is", not "1
/// more … findings" and "at most 1 are".
#[test]
fn the_findings_cap_message_counts_in_the_singular_and_the_plural() {
    let tree = clean_tree();
    let copy = tree.copy_of("en-us/a.md", "ja-JP");
    tree.write("ja-jp/a.md", format!("{copy}\n[w](x1.md) [x](x2.md) [y](x3.md) [z](x4.md)\n"));
    let lint = |cap: usize| {
        tree.write("loclint.toml", format!("max-findings = {cap}\n"));
        let run = tree.lint(&["--select", "link-target-mismatch"]);
        assert_eq!(run.code, 1, "{}", run.stderr);
        run.stdout.lines().filter(|line| line.contains("not shown")).map(str::to_string).collect::<Vec<_>>()
    };
    let message = |more: &str, at_most: &str| {
        format!(
            "ja-jp/a.md:18:{}: error[link-target-mismatch] {more} in this file, not shown: at most {at_most} \
             reported per rule and file",
            if at_most == "1 is" { 16 } else { 38 }
        )
    };
    assert_eq!(lint(1), [message("3 more `link-target-mismatch` findings", "1 is")]);
    assert_eq!(lint(3), [message("1 more `link-target-mismatch` finding", "3 are")]);
}

#[test]
fn quiet_prints_no_summary() {
    let tree = error_and_warning_tree();
    let run = tree.lint(&["--quiet"]);
    let expected =
        format!("{}\n{}\n", assetid_line("ja-jp/a.md", "en-us/a.md"), stale_line(&tree, "ko-kr/a.md", "en-us/a.md"));
    assert_run(&run, 1, &expected);

    let run = clean_tree().lint(&["-q"]);
    assert_run(&run, 0, "");

    let report_path = tree.root().join("report.txt");
    let run = tree.lint(&["--quiet", "--output", report_path.to_str().unwrap()]);
    assert_run(&run, 1, "");
    assert_eq!(String::from_utf8(std::fs::read(&report_path).unwrap()).unwrap(), expected);
}

fn human(tree: &Tree, args: &[&str], no_color: bool) -> Run {
    let mut command = tree.loclint();
    command.args(["lint", "--format", "human"]).args(args);
    if no_color {
        command.env("NO_COLOR", "1");
    }
    common::run(&mut command)
}

/// On a narrow terminal or a pipe, the human report breaks lines at spaces
/// only: a GUID (or a path) stays whole, so a reader or a script can find it.
#[test]
fn the_human_report_never_splits_an_id_or_a_path_across_lines() {
    let tree = error_and_warning_tree();
    let run = common::run(tree.loclint().env("COLUMNS", "40").args([
        "lint",
        "--format",
        "human",
        "--color",
        "never",
        "--select",
        "assetid-mismatch",
        "ja-jp/a.md",
    ]));
    assert_eq!(run.code, 1, "{}", run.stderr);
    let source_id = asset_id("a");
    assert_eq!(
        common::mask_time(&run.stdout),
        format!(
            "assetid-mismatch [*]

  × `ms.assetid` is
  │ `{OTHER_ID}`
  │ but the source's is
  │ `{source_id}`
   ╭─[ja-jp/a.md:3:13]
 2 │ title: 記事 a
 3 │ ms.assetid: {OTHER_ID}
   ·             ──────────────────┬─────────────────
   ·                               ╰── differs from the source
 4 │ ms.openlocfilehash: {hash}
   ╰────
  help: set it to the source's id,
        `{source_id}`

Advice: \n  ☞ in the source en-us/a.md
   ╭─[en-us/a.md:3:13]
 2 │ title: Article a
 3 │ ms.assetid: {source_id}
   ·             ──────────────────┬─────────────────
   ·                               ╰── the source's id
 4 │ ---
   ╰────

Found 1 error in 3 files (1 article) in [time]
[*] 1 fixable with `--fix`
",
            hash = sha1_hex(&tree.read("en-us/a.md"))
        )
    );
}

#[test]
fn colour_follows_no_color_and_the_color_option() {
    let tree = error_and_warning_tree();
    for (args, no_color, coloured) in [
        (&[][..], true, false),
        (&["--color", "auto"][..], true, false),
        (&["--color", "never"][..], false, false),
        (&["--color", "always"][..], false, true),
    ] {
        let run = human(&tree, args, no_color);
        assert_eq!(run.code, 1, "{args:?}: {}", run.stderr);
        assert!(run.stdout.contains("assetid-mismatch"), "{args:?}: {}", run.stdout);
        assert!(run.stdout.contains("ja-jp/a.md:3:13"), "{args:?}: {}", run.stdout);
        assert_eq!(run.stdout.contains('\x1b'), coloured, "{args:?} NO_COLOR={no_color}:\n{}", run.stdout);
        assert!(!run.stderr.contains('\x1b'), "{args:?}: {}", run.stderr);
    }
    // A report written to a file is never coloured.
    let report_path = tree.root().join("report.txt");
    let run = human(&tree, &["--color", "always", "--output", report_path.to_str().unwrap()], false);
    assert_run(&run, 1, "Found 1 error and 1 warning in 3 files (1 article) in [time]\n[*] 1 fixable with `--fix`\n");
    let written = String::from_utf8(std::fs::read(&report_path).unwrap()).unwrap();
    assert!(written.contains("ja-jp/a.md:3:13"), "{written}");
    assert!(!written.contains('\x1b'), "{written}");
}

// ---------------------------------------------------------------------------
// Choosing rules and locales

#[test]
fn select_runs_only_the_given_rules() {
    let tree = error_and_warning_tree();
    let stale = stale_line(&tree, "ko-kr/a.md", "en-us/a.md");
    let run = tree.lint(&["--select", "stale-hash"]);
    assert_run(&run, 0, &report(std::slice::from_ref(&stale), "Found 1 warning in 3 files (1 article) in [time]"));

    let both = [assetid_line("ja-jp/a.md", "en-us/a.md"), stale];
    let summary = "Found 1 error and 1 warning in 3 files (1 article) in [time]";
    let run = tree.lint(&["--select", "stale-hash,assetid-mismatch"]);
    assert_run(&run, 1, &report(&both, summary));
    let run = tree.lint(&["--select", "stale-hash", "--select", "assetid-mismatch"]);
    assert_run(&run, 1, &report(&both, summary));

    let run = tree.lint(&["--select", "link-target-mismatch"]);
    assert_run(&run, 0, "No problems found in 3 files (1 article) in [time]\n");
}

#[test]
fn ignore_skips_the_given_rules() {
    let tree = error_and_warning_tree();
    let run = tree.lint(&["--ignore", "stale-hash"]);
    let summary = "Found 1 error in 3 files (1 article) in [time]";
    assert_run(&run, 1, &report(&[assetid_line("ja-jp/a.md", "en-us/a.md")], summary));

    let run = tree.lint(&["--ignore", "assetid-mismatch"]);
    let summary = "Found 1 warning in 3 files (1 article) in [time]";
    assert_run(&run, 0, &report(&[stale_line(&tree, "ko-kr/a.md", "en-us/a.md")], summary));

    let run = tree.lint(&["--ignore", "assetid-mismatch,stale-hash"]);
    assert_run(&run, 0, "No problems found in 3 files (1 article) in [time]\n");
}

#[test]
fn locale_checks_only_the_copies_in_that_locale() {
    let tree = Tree::new();
    tree.article("a.md", &["ja-jp", "ko-kr"]);
    plant_wrong_assetid(&tree, "en-us/a.md", "ja-jp/a.md", "ja-JP");
    plant_wrong_assetid(&tree, "en-us/a.md", "ko-kr/a.md", "ko-KR");
    let run = tree.lint(&["--locale", "ko-kr"]);
    let summary = "Found 1 error in 2 files (1 article) in [time]";
    assert_run(&run, 1, &report(&[assetid_line("ko-kr/a.md", "en-us/a.md")], summary));

    let run = tree.lint(&["--locale", "KO-KR"]);
    assert_run(&run, 1, &report(&[assetid_line("ko-kr/a.md", "en-us/a.md")], summary));

    let run = tree.lint(&["--locale", "ko-kr", "--locale", "ja-jp"]);
    let both = [assetid_line("ja-jp/a.md", "en-us/a.md"), assetid_line("ko-kr/a.md", "en-us/a.md")];
    assert_run(&run, 1, &report(&both, "Found 2 errors in 3 files (1 article) in [time]"));
}

#[test]
fn source_changes_the_source_locale() {
    // The articles were written in French; en-us holds a translation.
    let tree = Tree::new();
    tree.article_at("fr-fr/a.md", &[("en-us/a.md", "en-US"), ("ja-jp/a.md", "ja-JP")]);
    let run = tree.lint(&["--source", "fr-fr"]);
    assert_run(&run, 0, "No problems found in 3 files (1 article) in [time]\n");

    plant_wrong_assetid(&tree, "fr-fr/a.md", "en-us/a.md", "en-US");
    let run = tree.lint(&["--source", "FR-FR"]);
    let summary = "Found 1 error in 3 files (1 article) in [time]";
    assert_run(&run, 1, &report(&[assetid_line("en-us/a.md", "fr-fr/a.md")], summary));

    // With the default source, en-us is the source and fr-fr a copy that
    // lacks every localization key.
    let run = tree.lint(&["--select", "metadata-missing"]);
    let missing = "fr-fr/a.md:1:1: warning[metadata-missing] front matter lacks the microsoft-docs keys \
                   `ms.openlocfilehash`, `ms.sourcegitcommit`, `ms.translationtype`, `ms.contentlocale`, \
                   `ms.lasthandoff`"
        .to_string();
    assert_run(&run, 0, &report(&[missing], "Found 1 warning in 3 files (1 article) in [time]"));
}

// ---------------------------------------------------------------------------
// Paths: single files and folders

/// Articles `a` and `b`, each with a defect in both copies.
fn two_broken_articles() -> Tree {
    let tree = Tree::new();
    for name in ["a.md", "b.md"] {
        tree.article(name, &["ja-jp", "ko-kr"]);
        let source = format!("en-us/{name}");
        plant_wrong_assetid(&tree, &source, &format!("ja-jp/{name}"), "ja-JP");
        plant_stale_hash(&tree, &source, &format!("ko-kr/{name}"), "ko-KR");
    }
    tree
}

fn article_a_findings(tree: &Tree) -> String {
    report(
        &[assetid_line("ja-jp/a.md", "en-us/a.md"), stale_line(tree, "ko-kr/a.md", "en-us/a.md")],
        "Found 1 error and 1 warning in 3 files (1 article) in [time]",
    )
}

#[test]
fn a_copy_file_lints_its_whole_article_group() {
    let tree = two_broken_articles();
    // The stale-hash finding is in the sibling ko-kr copy; nothing of b.md.
    let run = tree.lint(&["ja-jp/a.md"]);
    assert_run(&run, 1, &article_a_findings(&tree));
    // The same from another working folder, with an absolute path.
    let absolute = tree.root().join("ko-kr/a.md");
    let run = common::run(
        tree.loclint()
            .current_dir(std::env::temp_dir())
            .args(["lint", "--format", "concise", "--color", "never"])
            .arg(&absolute),
    );
    // Paths are shown from the working folder.
    let shown = |prefix: &str| {
        article_a_findings(&tree)
            .lines()
            .map(|line| {
                if line.starts_with("Found") || line.starts_with("[*]") {
                    format!("{line}\n")
                } else {
                    format!("{prefix}/{line}\n")
                }
            })
            .collect::<String>()
    };
    let temp = std::env::temp_dir().canonicalize().unwrap();
    let root = tree.root().canonicalize().unwrap();
    let expected = match root.strip_prefix(&temp) {
        Ok(below) => shown(&below.to_string_lossy()),
        Err(_) => shown(&root.to_string_lossy()),
    };
    assert_run(&run, 1, &expected);
    // And from inside the locale folder, as pre-commit in a subfolder would.
    let run = common::run(
        tree.loclint().current_dir(tree.root().join("ja-jp")).args(["lint", "--format", "concise", "a.md"]),
    );
    assert_run(&run, 1, &shown(".."));
}

#[test]
fn several_files_lint_each_of_their_groups_as_pre_commit_passes_them() {
    let tree = two_broken_articles();
    tree.article("c.md", &["ja-jp"]);
    plant_wrong_assetid(&tree, "en-us/c.md", "ja-jp/c.md", "ja-JP");
    tree.write("README.md", "# Docs\n");
    let run = tree.lint(&["ko-kr/b.md", "en-us/c.md", "README.md"]);
    let lines = [
        assetid_line("ja-jp/b.md", "en-us/b.md"),
        stale_line(&tree, "ko-kr/b.md", "en-us/b.md"),
        assetid_line("ja-jp/c.md", "en-us/c.md"),
    ];
    assert_run(&run, 1, &report(&lines, "Found 2 errors and 1 warning in 5 files (2 articles) in [time]"));
    assert_eq!(
        run.stderr,
        "note: README.md belongs to no article in the layout; not checked\n\
         note: no git history (the sources are not in a git repository): stale copies are not compared with their \
         source, since the version they were translated from is unknown (`--no-history` compares them with the \
         current source); in CI, check out full history (actions/checkout with `fetch-depth: 0`)\n"
    );
}

#[test]
fn a_lone_file_outside_every_article_is_skipped_with_a_note() {
    let tree = two_broken_articles();
    tree.write("README.md", "# Docs\n");
    let run = tree.lint(&["README.md"]);
    assert_run(&run, 0, "No problems found in 0 files (0 articles) in [time]\n");
    assert_eq!(
        run.stderr,
        "note: README.md belongs to no article in the layout; not checked\n\
         warning: no files to lint: README.md belongs to no article\n"
    );
}

#[test]
fn a_source_file_lints_its_whole_article_group() {
    let tree = two_broken_articles();
    let run = tree.lint(&["en-us/a.md"]);
    assert_run(&run, 1, &article_a_findings(&tree));
}

#[test]
fn a_locale_folder_lints_the_articles_in_it() {
    let tree = Tree::new();
    tree.article("a.md", &["ja-jp", "ko-kr"]);
    tree.article("guide/b.md", &["ja-jp", "ko-kr"]);
    tree.article("c.md", &["ko-kr"]);
    plant_wrong_assetid(&tree, "en-us/a.md", "ja-jp/a.md", "ja-JP");
    plant_wrong_assetid(&tree, "en-us/guide/b.md", "ja-jp/guide/b.md", "ja-JP");
    plant_wrong_assetid(&tree, "en-us/c.md", "ko-kr/c.md", "ko-KR");
    let a = assetid_line("ja-jp/a.md", "en-us/a.md");
    let b = assetid_line("ja-jp/guide/b.md", "en-us/guide/b.md");

    let run = tree.lint(&["ja-jp"]);
    let summary = "Found 2 errors in 6 files (2 articles) in [time]";
    assert_run(&run, 1, &report(&[a, b], summary));
}

#[test]
fn a_folder_inside_a_locale_folder_lints_the_articles_in_it() {
    let tree = Tree::new();
    tree.article("a.md", &["ja-jp"]);
    tree.article("guide/b.md", &["ja-jp"]);
    plant_wrong_assetid(&tree, "en-us/a.md", "ja-jp/a.md", "ja-JP");
    plant_wrong_assetid(&tree, "en-us/guide/b.md", "ja-jp/guide/b.md", "ja-JP");
    let expected = report(
        &[assetid_line("ja-jp/guide/b.md", "en-us/guide/b.md")],
        "Found 1 error in 2 files (1 article) in [time]",
    );
    let run = tree.lint(&["ja-jp/guide"]);
    assert_run(&run, 1, &expected);
    // The same when run there without a path, shown from there.
    let run =
        common::run(tree.loclint().current_dir(tree.root().join("ja-jp/guide")).args(["lint", "--format", "concise"]));
    let shown = report(
        &[format!("../../{}", assetid_line("ja-jp/guide/b.md", "en-us/guide/b.md"))],
        "Found 1 error in 2 files (1 article) in [time]",
    );
    assert_run(&run, 1, &shown);
}

#[test]
fn jobs_do_not_change_the_output() {
    let tree = Tree::new();
    let locales = ["de-de", "ja-jp", "ko-kr", "zh-tw"];
    for index in 0..24 {
        let name = format!("topic/article-{index:02}.md");
        tree.article(&name, &locales);
        let source = format!("en-us/{name}");
        let locale = locales[index % locales.len()];
        let path = format!("{locale}/{name}");
        let tag = common::display_tag(locale);
        match index % 3 {
            0 => plant_wrong_assetid(&tree, &source, &path, &tag),
            1 => plant_stale_hash(&tree, &source, &path, &tag),
            _ => {
                let copy = tree.copy_of(&source, &tag).replace("(guide.md)", "(other.md)");
                tree.write(&path, copy);
            }
        }
    }
    let one = tree.lint(&["--jobs", "1"]);
    let two = tree.lint(&["--jobs", "2"]);
    assert_eq!(one.code, 1, "{}", one.stderr);
    assert_eq!(two.code, 1, "{}", two.stderr);
    assert_eq!(one.out(), two.out());
    let eight = tree.lint(&["--jobs", "8", "--quiet"]);
    assert_eq!(
        eight.stdout,
        two.stdout
            .lines()
            .filter(|line| !line.starts_with("Found") && !line.starts_with("[*]"))
            .fold(String::new(), |out, line| out + line + "\n")
    );
    insta::assert_snapshot!(one.out());
}

#[test]
fn jobs_must_be_at_least_1() {
    let run = clean_tree().lint(&["--jobs", "0"]);
    assert_failure(&run, &["--jobs"]);
}

// ---------------------------------------------------------------------------
// Layouts and configuration files

/// `docs/a.md` with a clean copy `docs.ja-jp/a.md` and a broken copy
/// `docs.ko-kr/a.md`, plus `docs/b.md` with a clean copy.
fn separate_roots_tree() -> Tree {
    let tree = Tree::new();
    tree.article_at("docs/a.md", &[("docs.ja-jp/a.md", "ja-JP"), ("docs.ko-kr/a.md", "ko-KR")]);
    tree.article_at("docs/b.md", &[("docs.ja-jp/b.md", "ja-JP")]);
    tree
}

fn assert_separate_roots(tree: &Tree) {
    let run = tree.lint(&[]);
    assert_run(&run, 0, "No problems found in 5 files (2 articles) in [time]\n");
    plant_wrong_assetid(tree, "docs/a.md", "docs.ko-kr/a.md", "ko-KR");
    let run = tree.lint(&[]);
    let summary = "Found 1 error in 5 files (2 articles) in [time]";
    assert_run(&run, 1, &report(&[assetid_line("docs.ko-kr/a.md", "docs/a.md")], summary));
}

#[test]
fn roots_layout_with_a_source_root() {
    let tree = separate_roots_tree();
    tree.write("loclint.toml", "[layout]\nkind = \"roots\"\nsource-root = \"docs\"\n");
    assert_separate_roots(&tree);
}

#[test]
fn roots_layout_with_a_table_of_roots() {
    let tree = separate_roots_tree();
    tree.write(
        "loclint.toml",
        "[layout]\nkind = \"roots\"\n\n[layout.roots]\nen-us = \"docs\"\nja-jp = \"docs.ja-jp\"\nko-kr = \"docs.ko-kr/\"\n",
    );
    assert_separate_roots(&tree);
}

#[test]
fn roots_layout_leaves_each_repository_s_own_readme_alone() {
    // Where each locale is a repository (NuGet docs and its ja-JP copy),
    // the READMEs at the top of the roots describe each repository; they are
    // not a source and its translation.
    let tree = separate_roots_tree();
    tree.write(
        "loclint.toml",
        "[layout]\nkind = \"roots\"\n\n[layout.roots]\nen-us = \"docs\"\nja-jp = \"docs.ja-jp\"\nko-kr = \"docs.ko-kr\"\n",
    );
    tree.write(
        "docs/README.md",
        "# Contoso docs\n\nSee [how to contribute](CONTRIBUTING.md).\n\n## Build\n\nRun the build.\n",
    );
    tree.write("docs/CONTRIBUTING.md", "# Contributing\n\nOpen a pull request.\n");
    tree.write("docs.ja-jp/README.md", "# Contoso ドキュメント\n\nこのリポジトリは日本語版の公開用です。\n");
    // Spelled differently in each repository (an Adobe pair): still the
    // repositories' own code of conduct, each linking its own language's.
    tree.write("docs/CODE_OF_CONDUCT.md", "# Code of conduct\n\nRead [the covenant](https://example.org/covenant/).\n");
    tree.write(
        "docs.ja-jp/code-of-conduct.md",
        "# 行動規範\n\n[規約](https://example.org/ja/covenant/)をお読みください。\n",
    );
    // A pull request template that only the copies' repository has (Bot
    // Framework docs' ja-JP repository): no orphan.
    tree.write("docs.ja-jp/PULL_REQUEST_TEMPLATE.md", "## 変更の概要\n\n- [ ] ビルドを確認しました\n");
    // The licences of each repository's dependencies, generated apart in
    // each (Office Scripts docs): they list other packages, not a
    // translation's defects.
    tree.write(
        "docs/licensing-information.md",
        "# Licenses\n\n- [json5](https://github.com/json5/json5/contributors)\n",
    );
    tree.write("docs.ja-jp/licensing-information.md", "# Licenses\n\n- [ajv](https://github.com/ajv-validator/ajv)\n");
    let run = tree.lint(&[]);
    assert_run(&run, 0, "No problems found in 5 files (2 articles) in [time]\n");
}

#[test]
fn docusaurus_template_layout() {
    let tree = Tree::new();
    let copy = |locale: &str, path: &str| format!("i18n/{locale}/docusaurus-plugin-content-docs/current/{path}");
    tree.article_at("docs/intro.md", &[(&copy("ja", "intro.md"), "ja"), (&copy("fr", "intro.md"), "fr")]);
    tree.article_at("docs/guides/setup.md", &[(&copy("ja", "guides/setup.md"), "ja")]);
    tree.write(
        "loclint.toml",
        "[layout]\nkind = \"template\"\nsource = \"docs/{path}\"\n\
         copy = \"i18n/{locale}/docusaurus-plugin-content-docs/current/{path}\"\n",
    );
    let run = tree.lint(&[]);
    assert_run(&run, 0, "No problems found in 5 files (2 articles) in [time]\n");

    let broken = copy("ja", "guides/setup.md");
    plant_wrong_assetid(&tree, "docs/guides/setup.md", &broken, "ja");
    let run = tree.lint(&[]);
    let summary = "Found 1 error in 5 files (2 articles) in [time]";
    assert_run(&run, 1, &report(&[assetid_line(&broken, "docs/guides/setup.md")], summary));
}

#[test]
fn hugo_suffix_template_layout() {
    let tree = Tree::new();
    tree.article_at(
        "content/posts/hello.md",
        &[("content/posts/hello.ja.md", "ja"), ("content/posts/hello.de.md", "de")],
    );
    tree.article_at("content/about.md", &[("content/about.ja.md", "ja")]);
    tree.write(
        "loclint.toml",
        "[layout]\nkind = \"template\"\nsource = \"content/{dir}/{stem}.md\"\ncopy = \"content/{dir}/{stem}.{locale}.md\"\n",
    );
    let run = tree.lint(&[]);
    assert_run(&run, 0, "No problems found in 5 files (2 articles) in [time]\n");

    plant_wrong_assetid(&tree, "content/posts/hello.md", "content/posts/hello.de.md", "de");
    let run = tree.lint(&[]);
    let summary = "Found 1 error in 5 files (2 articles) in [time]";
    assert_run(&run, 1, &report(&[assetid_line("content/posts/hello.de.md", "content/posts/hello.md")], summary));
}

#[test]
fn a_config_in_a_parent_folder_is_found() {
    let tree = error_and_warning_tree();
    tree.write("loclint.toml", "[rules]\nassetid-mismatch = \"off\"\n");
    let summary = "Found 1 warning in 3 files (1 article) in [time]";
    let expected = report(&[stale_line(&tree, "ko-kr/a.md", "en-us/a.md")], summary);
    // Run from a locale folder: the root is where loclint.toml is.
    let run = common::run(
        tree.loclint().current_dir(tree.root().join("ja-jp")).args(["lint", "--format", "concise", "--color", "never"]),
    );
    let shown = report(&[format!("../{}", stale_line(&tree, "ko-kr/a.md", "en-us/a.md"))], summary);
    assert_run(&run, 0, &shown);
    // A locale folder given as the path finds it too.
    let run = tree.lint(&["ko-kr"]);
    assert_run(&run, 0, &expected);
}

#[test]
fn config_option_uses_that_file() {
    let tree = error_and_warning_tree();
    // The nearest loclint.toml would turn stale-hash off; --config wins.
    tree.write("loclint.toml", "[rules]\nstale-hash = \"off\"\n");
    tree.write("strict.toml", "[rules]\nstale-hash = \"error\"\nassetid-mismatch = \"warning\"\n");
    let lines = [
        assetid_line("ja-jp/a.md", "en-us/a.md").replace("error[", "warning["),
        stale_line(&tree, "ko-kr/a.md", "en-us/a.md").replace("warning[", "error["),
    ];
    let expected = report(&lines, "Found 1 error and 1 warning in 3 files (1 article) in [time]");
    let run = tree.lint(&["--config", "strict.toml"]);
    assert_run(&run, 1, &expected);
    let run = tree.lint(&["--config", "strict.toml", "ja-jp/a.md"]);
    assert_run(&run, 1, &expected);

    let run = tree.lint(&["--config", "missing.toml"]);
    assert_failure(&run, &["missing.toml"]);
}

#[test]
fn config_option_with_a_file_in_another_folder_lints_the_given_paths() {
    let tree = error_and_warning_tree();
    tree.write("ci/strict.toml", "[rules]\nstale-hash = \"error\"\nassetid-mismatch = \"warning\"\n");
    let lines = [
        assetid_line("ja-jp/a.md", "en-us/a.md").replace("error[", "warning["),
        stale_line(&tree, "ko-kr/a.md", "en-us/a.md").replace("warning[", "error["),
    ];
    let expected = report(&lines, "Found 1 error and 1 warning in 3 files (1 article) in [time]");
    let run = tree.lint(&["--config", "ci/strict.toml"]);
    assert_run(&run, 1, &expected);
    let run = tree.lint(&["--config", "ci/strict.toml", "."]);
    assert_run(&run, 1, &expected);
}

// ---------------------------------------------------------------------------
// A gate that does not lie: nothing to lint, ignored files, lone files

#[test]
fn a_folder_with_nothing_to_lint_fails_instead_of_passing_green() {
    let tree = clean_tree();
    tree.write("rules/a.md", "# A rule\n");
    let run = tree.lint(&["rules"]);
    assert_failure(
        &run,
        &[
            "no files to lint: no Markdown file under rules is in a locale folder (en-us/, ja-jp/, …)",
            "help: give the folder that holds the locale folders, or describe the tree in loclint.toml ([layout], \
             include); `loclint lint --show-files` lists what would be linted",
        ],
    );
}

#[test]
fn gitignored_and_hidden_folders_are_not_linted() {
    let tree = clean_tree();
    let stray = tree.copy_of("en-us/a.md", "ja-JP");
    tree.write("build/ja-jp/b.md", &stray);
    tree.write(".cache/ja-jp/c.md", &stray);
    tree.write("ja-jp/.drafts/d.md", &stray);
    tree.write(".gitignore", "build/\n");
    let run = tree.lint(&[]);
    assert_run(&run, 0, "No problems found in 3 files (1 article) in [time]\n");
    assert_eq!(run.stderr, "");
    // Without the .gitignore, the build folder is linted (and orphaned).
    std::fs::remove_file(tree.root().join(".gitignore")).unwrap();
    let run = tree.lint(&["--select", "orphan-translation"]);
    let line =
        "build/ja-jp/b.md:1:1: warning[orphan-translation] copy has no source: `build/en-us/b.md` does not exist";
    assert_run(&run, 0, &report(&[line.to_string()], "Found 1 warning in 4 files (2 articles) in [time]"));
}

/// Only the tree's own ignore files count: not those of the folders above
/// the root, nor the user's global git excludes (the same tree must lint
/// the same everywhere). `--no-ignore` lints what they exclude too, so that
/// a pull request cannot hide copies from the gate with a `.gitignore`.
#[test]
fn only_ignore_files_inside_the_root_count_and_no_ignore_lints_past_them() {
    let tree = Tree::new();
    tree.article_at("docs/en-us/a.md", &[("docs/ja-jp/a.md", "ja-JP")]);
    let stray = tree.copy_of("docs/en-us/a.md", "ja-JP");
    tree.write("docs/build/ja-jp/b.md", &stray);
    tree.write("docs/drafts/ja-jp/c.md", &stray);
    tree.write(".gitignore", "build/\n");
    tree.write("home/.config/git/ignore", "drafts/\n");
    let lint = |args: &[&str]| {
        common::run(
            tree.loclint()
                .current_dir(tree.root().join("docs"))
                .env("HOME", tree.root().join("home"))
                .env("XDG_CONFIG_HOME", tree.root().join("home/.config"))
                .args(["lint", "--format", "concise", "--select", "orphan-translation"])
                .args(args),
        )
    };
    let orphans = [
        "build/ja-jp/b.md:1:1: warning[orphan-translation] copy has no source: `build/en-us/b.md` does not exist"
            .to_string(),
        "drafts/ja-jp/c.md:1:1: warning[orphan-translation] copy has no source: `drafts/en-us/c.md` does not exist"
            .to_string(),
    ];
    let both = report(&orphans, "Found 2 warnings in 4 files (3 articles) in [time]");
    assert_run(&lint(&[]), 0, &both);
    // The root's own .gitignore is honoured, unless --no-ignore.
    tree.write("docs/.gitignore", "build/\ndrafts/\n");
    assert_run(&lint(&[]), 0, "No problems found in 2 files (1 article) in [time]\n");
    assert_run(&lint(&["--no-ignore"]), 0, &both);
    let run = lint(&["--no-ignore", "--show-settings"]);
    assert!(run.stdout.contains("\nignore-files = false\n"), "{}", run.stdout);
}

#[test]
fn a_file_of_no_article_reports_no_missing_locale_and_warns() {
    let tree = clean_tree();
    tree.write("README.md", "# Docs\n");
    tree.write("loclint.toml", "locales = [\"ja-jp\", \"ko-kr\", \"fr-fr\"]\n");
    let run = tree.lint(&["README.md"]);
    assert_run(&run, 0, "No problems found in 0 files (0 articles) in [time]\n");
    assert_eq!(
        run.stderr,
        "note: README.md belongs to no article in the layout; not checked\n\
         warning: no files to lint: README.md belongs to no article\n"
    );
    // The whole tree does miss a locale.
    let run = tree.lint(&[]);
    let line = "fr-fr:1:1: warning[locale-missing] no files found for locale `fr-fr`".to_string();
    assert_run(&run, 0, &report(&[line], "Found 1 warning in 3 files (1 article) in [time]"));
}

#[test]
fn changed_since_outside_a_git_repository_says_so() {
    let tree = clean_tree();
    let run = tree.lint(&["--changed-since", "HEAD"]);
    assert_failure(&run, &[&format!("--changed-since: not a git repository: {}", tree.root().display())]);
    let init = std::process::Command::new("git").args(["init", "-q"]).current_dir(tree.root()).status().unwrap();
    assert!(init.success());
    let run = tree.lint(&["--changed-since", "HEAD"]);
    assert_failure(
        &run,
        &[
            &format!(
                "--changed-since: git does not know the revision `HEAD`: the repository {} has no commits yet",
                tree.root().display()
            ),
            "commit first, or lint the whole tree without --changed-since",
        ],
    );
}

// ---------------------------------------------------------------------------
// Exit codes users of other linters expect

#[test]
fn exit_zero_reports_and_passes() {
    let tree = error_and_warning_tree();
    let failing = tree.lint(&[]);
    assert_eq!(failing.code, 1);
    let run = tree.lint(&["--exit-zero"]);
    assert_run(&run, 0, &failing.out());
    // A run that fails still exits 2.
    let run = tree.lint(&["--exit-zero", "--select", "stale-hsh"]);
    assert_failure(&run, &["unknown rule `stale-hsh` in --select"]);
}

#[test]
fn fail_on_sets_the_lowest_failing_severity() {
    let tree = clean_tree();
    plant_stale_hash(&tree, "en-us/a.md", "ko-kr/a.md", "ko-KR");
    let expected =
        report(&[stale_line(&tree, "ko-kr/a.md", "en-us/a.md")], "Found 1 warning in 3 files (1 article) in [time]");
    assert_run(&tree.lint(&[]), 0, &expected);
    assert_run(&tree.lint(&["--fail-on", "error"]), 0, &expected);
    assert_run(&tree.lint(&["--fail-on", "warning"]), 1, &expected);
    assert_run(&tree.lint(&["--fail-on", "info"]), 1, &expected);
    let run = tree.lint(&["--fail-on", "warning", "--exit-zero"]);
    assert_failure(&run, &["the argument '--fail-on <SEVERITY>' cannot be used with '--exit-zero'"]);
}

// ---------------------------------------------------------------------------
// Rule selection by group and ALL

/// Every rule of a group, in registry order.
fn rules_of(group: &str) -> Vec<&'static str> {
    RULES.iter().filter(|rule| rule.group.as_str() == group).map(|rule| rule.name).collect()
}

fn enabled(args: &[&str]) -> Result<Vec<&'static str>, String> {
    let tree = clean_tree();
    let request = loclint::Request {
        paths: vec![tree.root()],
        select: args.iter().filter_map(|arg| arg.strip_prefix("select=")).map(str::to_string).collect(),
        ignore: args.iter().filter_map(|arg| arg.strip_prefix("ignore=")).map(str::to_string).collect(),
        ..loclint::Request::default()
    };
    loclint::Settings::resolve(&request)
        .map(|settings| settings.rules.iter().map(|(rule, _)| rule.name).collect())
        .map_err(|error| error.to_string())
}

#[test]
fn select_and_ignore_take_groups_and_all_and_the_narrower_entry_wins() {
    assert_eq!(enabled(&["select=segments"]).unwrap(), rules_of("segments"));
    let mut segments_but_gap = rules_of("segments");
    segments_but_gap.retain(|name| *name != "segment-gap");
    assert_eq!(enabled(&["select=segments", "ignore=segment-gap"]).unwrap(), segments_but_gap);
    // The narrower --select beats the broader --ignore.
    assert_eq!(enabled(&["select=segment-gap", "ignore=segments"]).unwrap(), ["segment-gap"]);
    // ALL is every rule, the ones off by default too.
    let all: Vec<&str> = RULES.iter().map(|rule| rule.name).collect();
    assert_eq!(enabled(&["select=ALL"]).unwrap(), all);
    let mut all_but_metadata = all.clone();
    all_but_metadata.retain(|name| !rules_of("metadata").contains(name));
    assert_eq!(enabled(&["select=ALL", "ignore=metadata"]).unwrap(), all_but_metadata);
    let defaults: Vec<&str> = RULES.iter().filter(|rule| rule.enabled_by_default).map(|rule| rule.name).collect();
    let mut defaults_but_corpus = defaults.clone();
    defaults_but_corpus.retain(|name| !rules_of("corpus").contains(name));
    assert_eq!(enabled(&["ignore=corpus"]).unwrap(), defaults_but_corpus);
    assert_eq!(enabled(&["ignore=ALL"]).unwrap(), Vec::<&str>::new());
}

#[test]
fn show_settings_prints_the_rules_a_group_selection_resolves_to() {
    let run = clean_tree().lint(&["--select", "segments", "--ignore", "segment-gap", "--show-settings"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rules: String = run
        .stdout
        .lines()
        .skip_while(|line| *line != "[rules]")
        .take_while(|line| !line.is_empty())
        .map(|line| format!("{line}\n"))
        .collect();
    assert_eq!(
        rules,
        "[rules]\n\
         segment-unpaired     = \"error\"\n\
         segment-duplicate    = \"error\"\n\
         segment-prefix-mixed = \"warning\"\n\
         segment-set-mismatch = \"warning\"\n\
         segment-stale        = \"warning\"\n\
         segment-empty        = \"warning\"\n\
         segment-untranslated = \"info\"\n\
         # off: file-unreadable, encoding-invalid, frontmatter-invalid, assetid-mismatch, locale-mismatch, stale-hash, \
         metadata-missing, link-target-mismatch, anchor-mismatch, fragment-broken, code-block-mismatch, \
         applies-to-mismatch, heading-structure-mismatch, markdown-broken, segment-gap, orphan-translation, \
         missing-translation, locale-missing, unused-suppression\n"
    );
}

#[test]
fn the_same_entry_in_select_and_ignore_is_a_contradiction() {
    for (select, ignore, both) in [
        ("stale-hash", "stale-hash", "stale-hash"),
        ("segments", "segments,stale-hash", "segments"),
        ("ALL", "ALL", "ALL"),
    ] {
        let run = clean_tree().lint(&["--select", select, "--ignore", ignore]);
        assert_failure(
            &run,
            &[
                &format!("`{both}` is in both --select and --ignore"),
                "drop it from one of them; an --ignore entry beats a broader --select entry (a group or ALL) and \
                 loses to a narrower one",
            ],
        );
    }
}

#[test]
fn an_unknown_group_gets_a_hint() {
    let run = clean_tree().lint(&["--select", "segment"]);
    assert_failure(&run, &["unknown rule `segment` in --select", "did you mean `segments`?"]);
    let run = clean_tree().lint(&["--ignore", "all"]);
    assert_failure(&run, &["unknown rule `all` in --ignore", "did you mean `ALL`?"]);
}

// ---------------------------------------------------------------------------
// What a run would do: --statistics, --show-settings, --show-files

#[test]
fn statistics_count_findings_by_rule_and_by_locale() {
    let tree = error_and_warning_tree();
    plant_stale_hash(&tree, "en-us/a.md", "ja-jp/a.md", "ja-JP");
    tree.write("ja-jp/a.md", String::from_utf8(tree.read("ja-jp/a.md")).unwrap().replace(&asset_id("a"), OTHER_ID));
    tree.write("loclint.toml", "locales = [\"ja-jp\", \"ko-kr\", \"fr-fr\"]\n");
    let run = tree.lint(&["--statistics"]);
    assert_run(
        &run,
        1,
        "Findings by rule:\n\
         \x20 2  stale-hash        2 warnings\n\
         \x20 1  assetid-mismatch  1 error, [*] 1 fixable\n\
         \x20 1  locale-missing    1 warning\n\
         Findings by locale:\n\
         \x20 2  ja-jp  1 error, 1 warning\n\
         \x20 1  fr-fr  1 warning\n\
         \x20 1  ko-kr  1 warning\n\
         Found 1 error and 3 warnings in 3 files (1 article) in [time]\n\
         [*] 1 fixable with `--fix`\n",
    );
    let run = common::run(tree.loclint().args(["lint", "--statistics", "--format", "json"]));
    assert_eq!(run.code, 1, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("one JSON object");
    assert_eq!(
        json["rules"][1],
        serde_json::json!({"rule": "assetid-mismatch", "count": 1, "errors": 1, "warnings": 0, "infos": 0, "fixable": 1})
    );
    assert_eq!(
        json["locales"][0],
        serde_json::json!({"locale": "ja-jp", "count": 2, "errors": 1, "warnings": 1, "infos": 0, "fixable": 1})
    );
}

#[test]
fn show_settings_prints_the_resolved_settings() {
    let tree = clean_tree();
    tree.write(
        "loclint.toml",
        "locales = [\"ja-jp\"]\nexclude = [\"drafts/**\"]\n[rules]\nstale-hash = \"error\"\nmissing-translation = \"warning\"\n\
         [[overrides]]\npaths = [\"ja-jp/legacy/**\"]\nrules = { assetid-mismatch = \"warning\" }\n",
    );
    let run =
        tree.lint(&["--show-settings", "--select", "metadata,missing-translation", "--ignore", "metadata-missing"]);
    let root = tree.root().display().to_string();
    assert_run(
        &run,
        0,
        &format!(
            "root = \"{root}\"\n\
             config = \"{root}/loclint.toml\"\n\
             source = \"en-us\"\n\
             locales = [\"ja-jp\"]\n\
             expected-locales = [\"ja-jp\"]\n\
             layout = {{ kind = \"locale-folders\" }}\n\
             include = [\"**/*.md\"]\n\
             exclude = [\"drafts/**\"]\n\
             ignore-files = true\n\
             profile = \"microsoft-docs\"\n\
             max-file-size = 16777216\n\
             max-findings = 100\n\
             jobs = \"auto\"\n\
             targets = [\"\"]\n\
             changed-since = none\n\
             shard = none\n\
             history = {{ enabled = true, max-commits = 20000, source-commit-key = \"ms.sourcegitcommit\", ignored-keywords = [\"lunaria-ignore\", \"typo\", \"en-only\", \"broken link\", \"i18nReady\", \"i18nIgnore\"] }}\n\
             \n\
             [rules]\n\
             frontmatter-invalid = \"error\"\n\
             assetid-mismatch    = \"error\"\n\
             locale-mismatch     = \"error\"\n\
             stale-hash          = \"error\"\n\
             missing-translation = \"warning\"\n\
             # off: file-unreadable, encoding-invalid, metadata-missing, link-target-mismatch, \
             anchor-mismatch, fragment-broken, code-block-mismatch, applies-to-mismatch, heading-structure-mismatch, \
             markdown-broken, segment-unpaired, segment-duplicate, segment-gap, segment-prefix-mixed, \
             segment-set-mismatch, segment-stale, segment-empty, segment-untranslated, orphan-translation, \
             locale-missing, unused-suppression\n\
             \n\
             [[overrides]]\n\
             paths = [\"ja-jp/legacy/**\"]\n\
             rules.assetid-mismatch = \"warning\"\n"
        ),
    );
}

#[test]
fn show_files_lists_each_file_with_its_locale_and_article() {
    let tree = two_broken_articles();
    tree.write("README.md", "# Docs\n");
    let run = tree.lint(&["--show-files"]);
    assert_run(
        &run,
        0,
        "en-us/a.md  en-us  en-us/a.md\n\
         ja-jp/a.md  ja-jp  en-us/a.md\n\
         ko-kr/a.md  ko-kr  en-us/a.md\n\
         en-us/b.md  en-us  en-us/b.md\n\
         ja-jp/b.md  ja-jp  en-us/b.md\n\
         ko-kr/b.md  ko-kr  en-us/b.md\n\
         6 files (2 articles)\n",
    );
    // From a locale folder, narrowed to one article.
    let run = common::run(tree.loclint().current_dir(tree.root().join("ja-jp")).args(["lint", "--show-files", "b.md"]));
    assert_run(
        &run,
        0,
        "../en-us/b.md  en-us  ../en-us/b.md\n../ja-jp/b.md  ja-jp  ../en-us/b.md\n../ko-kr/b.md  ko-kr  ../en-us/b.md\n\
         3 files (1 article)\n",
    );
}

#[test]
fn rules_as_json_for_tooling() {
    let run = common::run(Tree::new().loclint().args(["rules", "--format", "json"]));
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("a JSON array");
    let rules = json.as_array().unwrap();
    assert_eq!(rules.len(), RULES.len());
    for (value, rule) in rules.iter().zip(RULES) {
        assert_eq!(
            value,
            &serde_json::json!({
                "name": rule.name,
                "group": rule.group.as_str(),
                "severity": rule.severity.as_str(),
                "enabled_by_default": rule.enabled_by_default,
                "summary": rule.summary,
                "options": rule.options,
                "fixable": loclint::fix::is_fixable(rule),
            })
        );
    }
    let stale = rules.iter().find(|rule| rule["name"] == "missing-translation").unwrap();
    assert_eq!((stale["group"].as_str(), stale["enabled_by_default"].as_bool()), (Some("corpus"), Some(false)));
    let fixable: Vec<&str> =
        rules.iter().filter(|rule| rule["fixable"] == true).map(|rule| rule["name"].as_str().unwrap()).collect();
    assert_eq!(fixable, ["assetid-mismatch", "locale-mismatch"]);
}

// ---------------------------------------------------------------------------
// Editors: `lint -` with --stdin-filename

#[test]
fn stdin_text_is_linted_in_the_place_of_the_named_file() {
    let tree = error_and_warning_tree();
    // The buffer has the right asset id; the file on disk does not.
    let buffer = tree.copy_of("en-us/a.md", "ja-JP").replace("(guide.md)", "(other.md)");
    let run = common::run(
        tree.loclint().args(["lint", "--format", "concise", "-", "--stdin-filename", "ja-jp/a.md"]).write_stdin(buffer),
    );
    let lines =
        ["ja-jp/a.md:12:7: error[link-target-mismatch] link target `other.md` differs from the source's `guide.md`"
            .to_string()];
    // Only the buffer's findings: not the stale hash of ko-kr/a.md.
    assert_run(&run, 1, &report(&lines, "Found 1 error in 3 files (1 article) in [time]"));
    let run = common::run(tree.loclint().args(["lint", "-"]).write_stdin("x"));
    assert_failure(&run, &["`-` reads standard input, which needs --stdin-filename"]);
    let run = common::run(tree.loclint().args(["lint", "-", "--stdin-filename", "fr-fr/a.md"]).write_stdin("x"));
    assert_failure(&run, &["no such file or folder: fr-fr/a.md"]);
    let run = common::run(tree.loclint().args(["lint", "--stdin-filename", "ja-jp/a.md"]).write_stdin("x"));
    assert_failure(&run, &["--stdin-filename names the text read from standard input; give `-` as the only path"]);
}

/// An editor's new, unsaved copy: the file is not on disk, the text on
/// standard input is paired by its name and compared with its source.
#[test]
fn stdin_text_of_a_file_not_on_disk_is_compared_with_its_source() {
    let tree = error_and_warning_tree();
    tree.article("b.md", &[]);
    let lint_b = |buffer: String| {
        common::run(
            tree.loclint()
                .args(["lint", "--format", "concise", "--no-history", "-", "--stdin-filename", "ja-jp/b.md"])
                .write_stdin(buffer),
        )
    };
    let clean = tree.copy_of("en-us/b.md", "ja-JP");
    assert_run(&lint_b(clean.clone()), 0, "No problems found in 2 files (1 article) in [time]\n");
    let run = lint_b(clean.replace("(guide.md)", "(other.md)"));
    let lines =
        ["ja-jp/b.md:12:7: error[link-target-mismatch] link target `other.md` differs from the source's `guide.md`"
            .to_string()];
    assert_run(&run, 1, &report(&lines, "Found 1 error in 2 files (1 article) in [time]"));
    assert!(!tree.root().join("ja-jp/b.md").exists(), "nothing is written");
}

/// `lint - --fix`, as `ruff check --fix -`: the fixed text on stdout (for
/// the editor's buffer), the report of what is left on stderr, and no file
/// written.
#[test]
fn stdin_fix_prints_the_fixed_text_and_writes_no_file() {
    let tree = error_and_warning_tree();
    let on_disk = tree.read("ja-jp/a.md");
    let clean = tree.copy_of("en-us/a.md", "ja-JP");
    let buffer = clean.replace(&asset_id("a"), OTHER_ID);
    let run = common::run(
        tree.loclint()
            .args(["lint", "--no-history", "--fix", "-", "--stdin-filename", "ja-jp/a.md"])
            .write_stdin(buffer.clone()),
    );
    assert_eq!((run.code, run.stdout.as_str()), (0, clean.as_str()), "{}", run.stderr);
    assert_eq!(
        common::mask_time(&run.stderr),
        "Fixed 1 finding in 1 file\nNo problems found in 3 files (1 article) in [time]\n"
    );
    assert_eq!(tree.read("ja-jp/a.md"), on_disk, "the file on disk is not written");
    // With --output, stdout still holds only the text.
    let run = common::run(
        tree.loclint()
            .args(["lint", "--no-history", "--fix", "--output", "report.txt", "-", "--stdin-filename", "ja-jp/a.md"])
            .write_stdin(buffer.clone()),
    );
    assert_eq!((run.code, run.stdout.as_str()), (0, clean.as_str()), "{}", run.stderr);
    assert_eq!(
        common::mask_time(&run.stderr),
        "Fixed 1 finding in 1 file\nNo problems found in 3 files (1 article) in [time]\n"
    );
    assert_eq!(tree.read("report.txt"), b"");
    let run = common::run(
        tree.loclint()
            .args(["lint", "--fix", "--statistics", "-", "--stdin-filename", "ja-jp/a.md"])
            .write_stdin(buffer.clone()),
    );
    assert_failure(&run, &["--statistics cannot be used with `lint - --fix`: stdout holds the fixed text"]);
    // Nothing to fix: the text comes back as it was; what is left is reported.
    let broken = clean.replace("(guide.md)", "(other.md)");
    let run = common::run(
        tree.loclint()
            .args(["lint", "--no-history", "--fix", "-", "--stdin-filename", "ja-jp/a.md"])
            .write_stdin(broken.clone()),
    );
    assert_eq!((run.code, run.stdout.as_str()), (1, broken.as_str()), "{}", run.stderr);
    assert_eq!(
        common::mask_time(&run.stderr),
        "ja-jp/a.md:12:7: error[link-target-mismatch] link target `other.md` differs from the source's `guide.md`\n\
         Found 1 error in 3 files (1 article) in [time]\n"
    );
}

// ---------------------------------------------------------------------------
// Completions, man page, config schema

#[test]
fn generate_prints_completions_and_a_man_page() {
    let run = common::run(Tree::new().loclint().args(["generate", "completions", "bash"]));
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("complete -F _loclint"), "{}", run.stdout);
    assert!(run.stdout.contains("--stdin-filename"), "{}", run.stdout);
    let run = common::run(Tree::new().loclint().args(["generate", "completions", "fish"]));
    assert!(run.stdout.contains("complete -c loclint"), "{}", run.stdout);
    let run = common::run(Tree::new().loclint().args(["generate", "man"]));
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.starts_with(".ie \\n(.g .ds Aq \\(aq\n.el .ds Aq '\n.TH loclint 1"), "{}", run.stdout);
    assert!(run.stdout.contains("Keeps localized documentation consistent with its source"), "{}", run.stdout);
    let run = common::run(Tree::new().loclint().args(["generate", "schema"]));
    assert_eq!(run.stdout, loclint::config::json_schema());
}

#[test]
fn generated_completions_and_man_page_are_exact() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let run = common::run(Tree::new().loclint().args(["generate", "completions", shell]));
        assert_eq!(run.code, 0, "{}", run.stderr);
        insta::assert_snapshot!(format!("completions_{shell}"), run.stdout);
    }
    let run = common::run(Tree::new().loclint().args(["generate", "man"]));
    assert_eq!(run.code, 0, "{}", run.stderr);
    insta::assert_snapshot!("man_page", run.stdout.replace(env!("CARGO_PKG_VERSION"), "[version]"));

    // The main page refers to loclint-lint(1) and the others: --out-dir writes them.
    let dir = tempfile::tempdir().expect("a temporary folder");
    let run = common::run(Tree::new().loclint().args(["generate", "man", "--out-dir"]).arg(dir.path()));
    assert_eq!((run.code, run.stdout.as_str(), run.stderr.as_str()), (0, "", ""));
    let mut pages: Vec<String> = std::fs::read_dir(dir.path())
        .expect("list the pages")
        .map(|entry| entry.expect("a page").file_name().to_string_lossy().into_owned())
        .collect();
    pages.sort();
    assert_eq!(
        pages,
        [
            "loclint-explain.1",
            "loclint-generate-completions.1",
            "loclint-generate-man.1",
            "loclint-generate-schema.1",
            "loclint-generate.1",
            "loclint-init.1",
            "loclint-lint.1",
            "loclint-rules.1",
            "loclint-status.1",
            "loclint.1"
        ]
    );
    let main_page = std::fs::read_to_string(dir.path().join("loclint.1")).expect("loclint.1");
    assert_eq!(main_page.replace(env!("CARGO_PKG_VERSION"), "[version]"), run_man_stdout());
    let lint_page = std::fs::read_to_string(dir.path().join("loclint-lint.1")).expect("loclint-lint.1");
    insta::assert_snapshot!("man_page_lint", lint_page.replace(env!("CARGO_PKG_VERSION"), "[version]"));
}

fn run_man_stdout() -> String {
    let run = common::run(Tree::new().loclint().args(["generate", "man"]));
    run.stdout.replace(env!("CARGO_PKG_VERSION"), "[version]")
}

// ---------------------------------------------------------------------------
// Fixability shown

#[test]
fn fixable_findings_are_marked_and_counted_and_fix_reports_on_stdout() {
    let tree = error_and_warning_tree();
    // The human report marks the rule as ruff does: `assetid-mismatch [*]`.
    let run = human(&tree, &["--color", "never"], true);
    assert!(run.stdout.contains("assetid-mismatch [*]"), "{}", run.stdout);
    assert!(!run.stdout.contains("stale-hash [*]"), "{}", run.stdout);
    assert!(run.stdout.ends_with("[*] 1 fixable with `--fix`\n"), "{}", run.stdout);
    // --fix says what it fixed with the summary, on stdout.
    let run = tree.lint(&["--fix"]);
    let stale = stale_line(&tree, "ko-kr/a.md", "en-us/a.md");
    assert_run(
        &run,
        0,
        &format!("{stale}\nFixed 1 finding in 1 file\nFound 1 warning in 3 files (1 article) in [time]\n"),
    );
}

/// On a terminal without `$COLUMNS`, the human report takes the terminal's
/// width: run under a pseudo-terminal of 60 and of 200 columns (`script`
/// from util-linux allocates it; `stty` sets its size).
#[cfg(target_os = "linux")]
#[test]
fn the_human_report_takes_the_width_of_the_terminal() {
    let tree = clean_tree();
    plant_wrong_assetid(&tree, "en-us/a.md", "ja-jp/a.md", "ja-JP");
    let binary = assert_cmd::cargo::cargo_bin("loclint");
    let at_width = |columns: u16| -> Vec<String> {
        let inner = format!("stty rows 40 cols {columns}; {} lint --color never ja-jp/a.md", binary.display());
        let output = std::process::Command::new("script")
            .args(["-qec", &inner, "/dev/null"])
            .current_dir(tree.root())
            .env_remove("COLUMNS")
            .output()
            .expect("run script (util-linux) to get a pseudo-terminal");
        let text = String::from_utf8_lossy(&output.stdout).replace('\r', "");
        // The finding's header: from its `×` to the file's `╭─[`.
        let lines: Vec<String> = text
            .lines()
            .skip_while(|line| !line.contains("× "))
            .take_while(|line| !line.contains("╭─["))
            .map(str::to_string)
            .collect();
        assert!(!lines.is_empty(), "no finding in the terminal's output:\n{text}");
        lines
    };
    let (copy_id, source_id) = (OTHER_ID, asset_id("a"));
    assert_eq!(at_width(200), [format!("  × `ms.assetid` is `{copy_id}` but the source's is `{source_id}`")]);
    let narrow = at_width(60);
    assert!(narrow.len() > 1, "{narrow:#?}");
    assert!(narrow.iter().all(|line| line.chars().count() <= 60), "{narrow:#?}");
    assert!(narrow.iter().any(|line| line.contains(&source_id)), "the id is not split: {narrow:#?}");
}

/// The JSON report of a `bad-*` fixture, which has findings (exit 1).
fn fixture_json(relative: &str) -> serde_json::Value {
    let fixture = common::repo_path(relative);
    let run = common::run(
        assert_cmd::Command::cargo_bin("loclint")
            .expect("the loclint binary")
            .args(["lint", "--format", "json"])
            .arg(&fixture),
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    serde_json::from_str(&run.stdout).expect("a JSON report")
}

/// Machine translation breaks a segment in ways the page hides; the help
/// names the cause found in the file, not a generic repair.
#[test]
fn a_broken_segment_is_told_what_broke_it() {
    let json = fixture_json("fixtures/segment-unpaired/bad-closing-tag-escaped-or-comment-unclosed");
    let helps: Vec<(i64, &str)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|diagnostic| (diagnostic["line"].as_i64().unwrap(), diagnostic["help"].as_str().unwrap()))
        .collect();
    assert_eq!(
        helps,
        [
            (13, "remove the `\\` before `</span>`: it makes the closing tag text"),
            (
                17,
                "the translation opens a comment (`<!--`) that its own text does not end with `-->`: the comment runs \
                 on over the lookup span after it; end the comment with `-->`"
            ),
        ]
    );
}

/// On a site that slugs translated headings, a fragment the copy's page
/// lacks is pointed to that page's anchors, not to the source's English
/// fragment (which the copy's page lacks too).
#[test]
fn a_fragment_another_translated_page_lacks_is_pointed_to_that_page_s_anchors() {
    let json = fixture_json("fixtures/link-target-mismatch/bad-another-page-s-fragment-its-translated-page-lacks");
    assert_eq!(json["diagnostics"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        json["diagnostics"][0]["help"],
        "the copy's page of that address has no such anchor: did you mean `directives-client`?"
    );
}

/// A locale folder whose pages `include` does not take (an MDX site's
/// `.mdx`) is said to be so, instead of sending the user to check the tag.
#[test]
fn a_locale_folder_of_pages_include_leaves_out_is_told_so() {
    let tree = Tree::new();
    tree.write("loclint.toml", "profile = \"none\"\nsource = \"en\"\nlocales = [\"ja\", \"ko\"]\n");
    tree.write("en/a.md", "# A\n");
    tree.write("ja/a.mdx", "# A\n");
    let run = common::run(tree.loclint().args(["lint", "--format", "json", "."]));
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let helps: Vec<(&str, &str)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|diagnostic| (diagnostic["path"].as_str().unwrap(), diagnostic["help"].as_str().unwrap()))
        .collect();
    assert_eq!(
        helps,
        [
            ("ja", "`ja` has files, but none that `include` takes (**/*.md); for MDX pages, add `**/*.mdx`"),
            ("ko", "check the locale tag and the layout, or remove the locale from `locales`"),
        ]
    );
}
