//! The output is identical whatever the thread count (SPEC §6): the real
//! binary's reports with `--jobs 1`, `2`, `4` and `8`, byte for byte, in
//! every format, on the demo and on a generated tree with planted defects;
//! and the findings come in the order the README's "Output" section states.

mod common;

use common::{asset_id, copy_md, display_tag, repo_path, run, sha1_hex, source_md, Tree};

/// `loclint lint --format json --jobs N` in `root`; the report with any
/// timing field removed (it has none today).
fn json_report(root: &std::path::Path, jobs: &str) -> String {
    let mut command = assert_cmd::Command::cargo_bin("loclint").expect("the loclint binary");
    command
        .current_dir(root)
        .args(["lint", "--format", "json", "--color", "never", "--jobs", jobs])
        .timeout(std::time::Duration::from_secs(120));
    let output = run(&mut command);
    assert!(output.code == 0 || output.code == 1, "exit code {}: {}", output.code, output.stderr);
    without_timing(&output.stdout)
}

/// Drops `"elapsed…": …`, `"time…": …` and `"duration…": …` members, should
/// the report ever gain them.
fn without_timing(json: &str) -> String {
    let timing = regex::Regex::new(r#""(elapsed|time|duration)[a-z_]*"\s*:\s*[0-9.]+\s*,?"#).expect("valid regex");
    timing.replace_all(json, "").into_owned()
}

fn assert_same_whatever_the_jobs(root: &std::path::Path) -> String {
    let serial = json_report(root, "1");
    let parallel = json_report(root, "4");
    if serial != parallel {
        let first = serial.bytes().zip(parallel.bytes()).position(|(a, b)| a != b).unwrap_or(serial.len());
        let context =
            |text: &str| text.get(first.saturating_sub(200)..(first + 200).min(text.len())).map(str::to_string);
        panic!(
            "--jobs 1 and --jobs 4 differ at byte {first}\n--jobs 1: …{:?}…\n--jobs 4: …{:?}…",
            context(&serial),
            context(&parallel)
        );
    }
    serial
}

#[test]
fn the_demo_reports_the_same_with_one_or_four_threads() {
    let demo = repo_path("fixtures/demo");
    let report = assert_same_whatever_the_jobs(&demo);
    let json: serde_json::Value = serde_json::from_str(&report).expect("the report is JSON");
    let count = json["diagnostics"].as_array().map_or(0, Vec::len);
    assert!(count > 0, "the demo has planted defects: {report}");
}

const LOCALES: [&str; 3] = ["ja-jp", "ko-kr", "de-de"];

/// 200 articles in `en-us` with copies in three more locales; every seventh
/// copy or so carries a defect, chosen by the article's and locale's index.
fn generated_tree() -> Tree {
    let tree = Tree::new();
    for index in 0..200 {
        let name = format!("article-{index:03}");
        let path = format!("area-{}/topic-{}/{name}.md", index % 5, index % 7);
        let source = source_md(&name);
        tree.write(&format!("en-us/{path}"), &source);
        for (locale_index, locale) in LOCALES.iter().enumerate() {
            let copy = copy_md(&name, source.as_bytes(), &display_tag(locale));
            let copy = match (index * 3 + locale_index) % 23 {
                0 => copy.replace(&asset_id(&name), &asset_id("article-000")),
                1 => copy.replace(&format!("ms.contentlocale: {}", display_tag(locale)), "ms.contentlocale: fr-FR"),
                2 => copy.replace(&sha1_hex(source.as_bytes()), &sha1_hex(b"older")),
                3 => copy.replace("[ガイド](guide.md)", "ガイド"),
                4 => copy.replace("## セットアップ", "### セットアップ"),
                5 => copy.replace("---\n# ", "# "),
                6 => copy.replace("## セットアップ\n", "## セットアップ\n\n```\nextra\n```\n"),
                7 => copy.replace("(guide.md)", "(#nowhere)"),
                8 => copy.replace("ms.translationtype: HT\n", ""),
                9 => continue,
                // A broken link into another article: decided after every
                // group, so it comes last.
                11 => copy.replace(
                    "[ガイド](guide.md)",
                    "[ガイド](guide.md) [記事](../../area-0/topic-0/article-000.md#nowhere)",
                ),
                10 => {
                    tree.write(&format!("{locale}/retired/{name}.md"), &copy);
                    copy
                }
                _ => copy,
            };
            tree.write(&format!("{locale}/{path}"), copy);
        }
    }
    tree
}

#[test]
fn a_generated_tree_reports_the_same_with_one_or_four_threads() {
    let tree = generated_tree();
    let report = assert_same_whatever_the_jobs(&tree.root());
    let json: serde_json::Value = serde_json::from_str(&report).expect("the report is JSON");
    let groups = json["summary"]["groups"].as_u64().expect("a group count");
    assert!(groups > 200, "200 articles and the orphans, not {groups}");
    let rules: std::collections::BTreeSet<&str> =
        json["diagnostics"].as_array().expect("diagnostics").iter().filter_map(|d| d["rule"].as_str()).collect();
    for rule in ["assetid-mismatch", "locale-mismatch", "stale-hash", "link-target-mismatch", "orphan-translation"] {
        assert!(rules.contains(rule), "no {rule} finding among {rules:?}");
    }
}

/// `loclint lint --format FORMAT --jobs N --quiet` in `root`, stdout.
fn report(root: &std::path::Path, format: &str, jobs: &str) -> String {
    let mut command = assert_cmd::Command::cargo_bin("loclint").expect("the loclint binary");
    command
        .current_dir(root)
        .args(["lint", "--quiet", "--color", "never", "--format", format, "--jobs", jobs])
        .env("COLUMNS", "100")
        .timeout(std::time::Duration::from_secs(120));
    let output = run(&mut command);
    assert_eq!(output.code, 1, "{format}, --jobs {jobs}: {}", output.stderr);
    output.stdout
}

#[test]
fn every_format_streams_the_same_bytes_with_one_two_or_eight_threads() {
    let tree = generated_tree();
    for format in ["human", "concise", "json", "sarif", "github", "junit", "gitlab", "azure", "json-lines", "rdjson"] {
        let serial = report(&tree.root(), format, "1");
        assert!(serial.len() > 1000, "{format}: a report with findings, not {serial:?}");
        for jobs in ["2", "8"] {
            let parallel = report(&tree.root(), format, jobs);
            if parallel != serial {
                let first = serial.bytes().zip(parallel.bytes()).position(|(a, b)| a != b).unwrap_or(serial.len());
                let at =
                    |text: &str| text.get(first.saturating_sub(100)..(first + 100).min(text.len())).map(String::from);
                panic!(
                    "{format}: --jobs 1 and --jobs {jobs} differ at byte {first}: {:?} / {:?}",
                    at(&serial),
                    at(&parallel)
                );
            }
        }
    }
}

/// The order of README "Output": article by article (the path without its
/// locale folder), each article's findings by path, line, column, rule and
/// message; the findings that need the whole tree (here the broken links
/// into another article) last, in the same order.
#[test]
fn findings_come_article_by_article_and_whole_tree_findings_last() {
    let tree = generated_tree();
    let json: serde_json::Value = serde_json::from_str(&report(&tree.root(), "json", "2")).expect("JSON");
    type Key = (bool, String, String, u64, u64, String, String);
    let keys: Vec<Key> = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|diagnostic| {
            let text = |field: &str| diagnostic[field].as_str().expect(field).to_string();
            let number = |field: &str| diagnostic[field].as_u64().expect(field);
            let path = text("path");
            let message = text("message");
            let whole_tree = text("rule") == "fragment-broken" && message.contains("does not exist in `");
            let article = path.split_once('/').map_or(path.clone(), |(_, rest)| rest.to_string());
            (whole_tree, article, path, number("line"), number("column"), text("rule"), message)
        })
        .collect();
    let mut expected = keys.clone();
    expected.sort_by(|a, b| {
        // The whole tree's findings are not grouped by article.
        let article = |key: &Key| if key.0 { String::new() } else { key.1.clone() };
        (a.0, article(a), &a.2, a.3, a.4, &a.5, &a.6).cmp(&(b.0, article(b), &b.2, b.3, b.4, &b.5, &b.6))
    });
    assert!(keys == expected, "findings out of order:\n{keys:#?}");
    let tail = keys.iter().filter(|key| key.0).count();
    assert!(tail >= 5, "broken links into another article were planted, {tail} found");
    // Articles interleave locales: a copy's findings follow its source's
    // article, not its locale folder.
    let locales: Vec<&str> = keys.iter().map(|key| key.2.split('/').next().unwrap_or("")).collect();
    assert!(locales.windows(2).any(|pair| pair[0] > pair[1]), "not sorted by path alone");
}

/// The JSON report's findings are printed on the worker threads that found
/// them (`Sink::renderer`); the same findings handed to the sink whole, as
/// a report kept in memory is (`Sink::group`), print the same bytes.
#[test]
fn json_printed_by_the_workers_is_the_json_of_the_findings() {
    let tree = generated_tree();
    let request = loclint::Request { paths: vec![tree.root()], no_history: true, ..Default::default() };
    let settings = loclint::Settings::resolve(&request).expect("settings");
    let style = loclint::report::Style { color: false, width: 100, full_source_diffs: false };
    let mut streamed = Vec::new();
    {
        let mut sink = loclint::report::sink(loclint::report::Format::Json, style, "", &mut streamed);
        assert!(sink.renderer().is_some(), "the JSON report prints its groups ahead");
        loclint::lint_into(&settings, &mut *sink).expect("lint");
    }
    let report = loclint::lint(&settings).expect("lint");
    assert!(report.diagnostics.len() > 20, "a tree with findings: {}", report.diagnostics.len());
    let mut whole = Vec::new();
    loclint::report::write(loclint::report::Format::Json, &report, style, &mut whole).expect("write");
    let (streamed, whole) = (String::from_utf8(streamed).expect("UTF-8"), String::from_utf8(whole).expect("UTF-8"));
    assert_eq!(streamed, whole);
}
