//! `loclint status` on temporary git repositories whose counts are known by
//! construction: which copy was translated from which source version, which
//! copy is missing, orphaned or broken, and what the tree held each month.

mod common;

use common::git::{commit_all, init};
use common::{asset_id, copy_md, run, source_md, Run, Tree};
use serde_json::Value;

const LOCALES: [&str; 3] = ["fr-fr", "ja-jp", "ko-kr"];

/// Twenty-eight words of new body text: a `large` change.
const NEW_PARAGRAPH: &str = "\nThis section explains in detail how the export schedule interacts with \
                             billing cycles, regional holidays, retention limits and the quotas that apply \
                             to every workspace in the organization.\n";

fn tag(locale: &str) -> String {
    common::display_tag(locale)
}

/// Version 2 of `name`'s source, changed as `class` says.
fn changed(name: &str, class: &str) -> String {
    let v1 = source_md(name);
    match class {
        "whitespace" => v1.replace("Run `setup`.", "Run  `setup`.\n"),
        "front-matter" => v1.replace("---\n# Article", "ms.date: 02/10/2024\n---\n# Article"),
        "small" => v1.replace("Run `setup`.", "Run `setup` now."),
        "large" => format!("{v1}{NEW_PARAGRAPH}"),
        other => panic!("no change class {other}"),
    }
}

fn with_priority(source: &str, priority: &str) -> String {
    source.replacen("---\n# Article", &format!("ms.localizationpriority: {priority}\n---\n# Article"), 1)
}

/// The tree, committed in three months:
/// - 2024-01-10: six articles; ja-jp has all six copies, ko-kr `fresh` and
///   `large`, fr-fr `fresh`.
/// - 2024-02-10: four sources change, one per change class.
/// - 2024-03-10: fr-fr translates `large` again, ko-kr gets an orphan, and
///   ko-kr's `fresh` copy a wrong `ms.contentlocale` (an error finding).
fn three_months() -> Tree {
    let tree = Tree::new();
    init(&tree.root());
    let names = ["fresh", "whitespace", "front-matter", "small", "large", "onlyja"];
    let v1 = |name: &str| {
        let source = source_md(name);
        if name == "onlyja" {
            with_priority(&source, "high")
        } else {
            source
        }
    };
    for name in names {
        tree.write(&format!("en-us/{name}.md"), v1(name));
        tree.write(&format!("ja-jp/{name}.md"), copy_md(name, v1(name).as_bytes(), &tag("ja-jp")));
    }
    for name in ["fresh", "large"] {
        tree.write(&format!("ko-kr/{name}.md"), copy_md(name, v1(name).as_bytes(), &tag("ko-kr")));
    }
    tree.write("fr-fr/fresh.md", copy_md("fresh", v1("fresh").as_bytes(), &tag("fr-fr")));
    commit_all(&tree.root(), "2024-01-10");
    for class in ["whitespace", "front-matter", "small", "large"] {
        tree.write(&format!("en-us/{class}.md"), changed(class, class));
    }
    commit_all(&tree.root(), "2024-02-10");
    tree.write("fr-fr/large.md", copy_md("large", changed("large", "large").as_bytes(), &tag("fr-fr")));
    tree.write("ko-kr/gone.md", copy_md("gone", source_md("gone").as_bytes(), &tag("ko-kr")));
    tree.write("ko-kr/fresh.md", copy_md("fresh", v1("fresh").as_bytes(), "fr-FR"));
    commit_all(&tree.root(), "2024-03-10");
    tree
}

fn status(tree: &Tree, args: &[&str]) -> Run {
    run(tree.loclint().env_remove("LOCLINT_NO_HISTORY").env_remove("CI").arg("status").args(args))
}

fn status_json(tree: &Tree, args: &[&str]) -> Value {
    let run = status(tree, &[&["--format", "json"], args].concat());
    assert_eq!(run.code, 0, "{}", run.stderr);
    serde_json::from_str(&run.stdout).unwrap_or_else(|error| panic!("{error}: {}", run.stdout))
}

fn counts(json: &Value, locale: &str) -> [u64; 6] {
    let locale = &json["locales"][locale];
    ["fresh", "stale", "missing", "orphaned", "with_errors", "unknown"]
        .map(|name| locale[name].as_u64().unwrap_or_else(|| panic!("{name} in {locale}")))
}

#[test]
fn every_locale_counts_what_the_history_made_of_it() {
    let tree = three_months();
    let json = status_json(&tree, &[]);
    assert_eq!(json["version"], 1);
    assert_eq!(json["articles"], 6);
    // fresh, stale, missing, orphaned, with_errors, unknown
    assert_eq!(counts(&json, "ja-jp"), [2, 4, 0, 0, 0, 0]);
    assert_eq!(counts(&json, "ko-kr"), [1, 1, 4, 1, 1, 0]);
    assert_eq!(counts(&json, "fr-fr"), [2, 0, 4, 0, 0, 0]);
    assert_eq!(
        json["locales"]["ja-jp"]["stale_by_class"],
        serde_json::json!({"whitespace": 1, "front_matter": 1, "small": 1, "large": 1, "unclassified": 0})
    );
    assert_eq!(json["locales"]["ko-kr"]["stale_by_class"]["large"], 1);
    // Every stale copy was translated on 2024-01-10; its source changed once,
    // on 2024-02-10.
    assert_eq!(
        json["locales"]["ja-jp"]["staleness"],
        serde_json::json!({"median_days": 31, "oldest_days": 31, "median_commits": 1, "oldest_commits": 1})
    );
    assert_eq!(json["locales"]["fr-fr"]["staleness"]["median_days"], Value::Null);
}

#[test]
fn the_current_share_counts_source_words_of_fresh_copies() {
    let tree = three_months();
    let json = status_json(&tree, &[]);
    // Bodies: 10 words each, `small` 11, `large` 10 + 28.
    assert_eq!(json["source_words"], 89);
    assert_eq!(json["locales"]["ja-jp"]["current_words"], 20);
    assert_eq!(json["locales"]["ja-jp"]["current_share"], 22.4);
    assert_eq!(json["locales"]["ko-kr"]["current_share"], 11.2);
    assert_eq!(json["locales"]["fr-fr"]["current_words"], 48);
    assert_eq!(json["locales"]["fr-fr"]["current_share"], 53.9);
}

#[test]
fn the_queue_puts_priority_first_then_pending_words_times_lagging_locales() {
    let tree = three_months();
    let json = status_json(&tree, &[]);
    let queue = json["queue"].as_array().expect("queue");
    let order: Vec<&str> = queue.iter().map(|article| article["path"].as_str().unwrap()).collect();
    assert_eq!(
        order,
        [
            "en-us/onlyja.md",
            "en-us/large.md",
            "en-us/small.md",
            "en-us/front-matter.md",
            "en-us/whitespace.md",
            "en-us/fresh.md",
            "en-us/gone.md"
        ]
    );
    let onlyja = &queue[0];
    assert_eq!(onlyja["priority"], "high");
    assert_eq!(onlyja["lagging"], 2);
    assert_eq!(onlyja["pending_words"], 10);
    assert_eq!(onlyja["score"], 20);
    assert_eq!(
        onlyja["copies"]["ko-kr"],
        serde_json::json!({"state": "missing", "path": null, "errors": 0, "change": null, "commits_behind": null, "days_behind": null, "changed_words": null, "diff": null})
    );
    // The new paragraph's 28 words, in two locales.
    assert_eq!([&queue[1]["source_words"], &queue[1]["pending_words"], &queue[1]["score"]], [38, 28, 56]);
    let large = &queue[1]["copies"];
    assert_eq!(large["ja-jp"]["state"], "stale");
    assert_eq!(large["ja-jp"]["change"], "large");
    assert_eq!(large["ja-jp"]["commits_behind"], 1);
    assert!(large["ja-jp"]["diff"].as_str().unwrap().contains("+This section explains in detail"));
    assert_eq!(large["fr-fr"]["state"], "fresh");
    assert_eq!(queue[6]["copies"]["ko-kr"]["state"], "orphaned");
    assert_eq!(queue[5]["copies"]["ko-kr"]["errors"], 1);
}

#[test]
fn a_configured_priority_key_ranks_the_queue() {
    let tree = three_months();
    tree.write("en-us/fresh.md", with_priority(&source_md("fresh"), "LOW").replace("ms.localizationpriority", "rank"));
    tree.write("en-us/small.md", changed("small", "small").replacen("---\n# Article", "rank: high\n---\n# Article", 1));
    tree.write("loclint.toml", "[status]\npriority-key = \"rank\"\n");
    let json = status_json(&tree, &["--trend-months", "0"]);
    assert_eq!(json["queue"][0]["path"], "en-us/small.md");
    assert_eq!(json["queue"][0]["priority"], "high");
    assert_eq!(json["queue"][6]["path"], "en-us/fresh.md");
    assert_eq!(json["trend"], Value::Null);
    // The option wins over the config.
    let json = status_json(&tree, &["--trend-months", "0", "--priority-key", "ms.localizationpriority"]);
    assert_eq!(json["queue"][0]["path"], "en-us/onlyja.md");
}

#[test]
fn the_trend_has_the_first_commit_of_each_month_with_its_counts() {
    let tree = three_months();
    let json = status_json(&tree, &[]);
    let points = json["trend"]["points"].as_array().expect("trend points");
    let dates: Vec<&str> = points.iter().map(|point| point["date"].as_str().unwrap()).collect();
    assert_eq!(dates, ["2024-01-10", "2024-02-10", "2024-03-10"]);
    let at = |index: usize, locale: &str| {
        let counts = &points[index]["locales"][locale];
        (counts["stale"].as_u64().unwrap(), counts["missing"].as_u64().unwrap())
    };
    // (stale, missing)
    assert_eq!([at(0, "ja-jp"), at(0, "ko-kr"), at(0, "fr-fr")], [(0, 0), (0, 4), (0, 5)]);
    assert_eq!([at(1, "ja-jp"), at(1, "ko-kr"), at(1, "fr-fr")], [(4, 0), (1, 4), (0, 5)]);
    assert_eq!([at(2, "ja-jp"), at(2, "ko-kr"), at(2, "fr-fr")], [(4, 0), (1, 4), (0, 4)]);
    // The last point is HEAD, and agrees with the current counts.
    let head = common::git::git(&tree.root(), &["rev-parse", "HEAD"]);
    assert_eq!(points[2]["commit"], head.as_str());
    for locale in LOCALES {
        assert_eq!(points[2]["locales"][locale]["stale"], json["locales"][locale]["stale"], "{locale}");
        assert_eq!(points[2]["locales"][locale]["missing"], json["locales"][locale]["missing"], "{locale}");
    }
    // Given one article, the points count that article only, as lint selects it.
    let json = status_json(&tree, &["en-us/large.md"]);
    let points = json["trend"]["points"].as_array().expect("trend points");
    let at = |index: usize, locale: &str| {
        let counts = &points[index]["locales"][locale];
        (counts["stale"].as_u64().unwrap(), counts["missing"].as_u64().unwrap())
    };
    assert_eq!([at(0, "ja-jp"), at(0, "ko-kr"), at(0, "fr-fr")], [(0, 0), (0, 0), (0, 1)]);
    assert_eq!([at(1, "ja-jp"), at(1, "ko-kr"), at(1, "fr-fr")], [(1, 0), (1, 0), (0, 1)]);
    assert_eq!([at(2, "ja-jp"), at(2, "ko-kr"), at(2, "fr-fr")], [(1, 0), (1, 0), (0, 0)]);
    assert_eq!(json["articles"], 1);
    // Two months back from HEAD: February and March only.
    let json = status_json(&tree, &["--trend-months", "2"]);
    let dates: Vec<&str> =
        json["trend"]["points"].as_array().unwrap().iter().map(|point| point["date"].as_str().unwrap()).collect();
    assert_eq!(dates, ["2024-02-10", "2024-03-10"]);
}

#[test]
fn the_trend_of_copies_without_metadata_follows_when_they_last_changed() {
    let tree = Tree::new();
    init(&tree.root());
    tree.write("loclint.toml", "profile = \"none\"\n");
    let plain = |title: &str, body: &str| format!("---\ntitle: {title}\n---\n# {title}\n\n{body}\n");
    tree.write("en-us/a.md", plain("A", "One."));
    tree.write("ja-jp/a.md", plain("A", "一。"));
    commit_all(&tree.root(), "2024-05-02");
    tree.write("en-us/a.md", plain("A", "One and two."));
    commit_all(&tree.root(), "2024-06-02");
    tree.write("ja-jp/a.md", plain("A", "一と二。"));
    commit_all(&tree.root(), "2024-07-02");
    let json = status_json(&tree, &[]);
    let stale: Vec<u64> = json["trend"]["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|point| point["locales"]["ja-jp"]["stale"].as_u64().unwrap())
        .collect();
    assert_eq!(stale, [0, 1, 0]);
    assert_eq!(counts(&json, "ja-jp"), [1, 0, 0, 0, 0, 0]);
}

#[test]
fn without_history_there_is_no_trend_and_stale_copies_are_unclassified() {
    let tree = three_months();
    let json = status_json(&tree, &["--no-history"]);
    assert_eq!(json["trend"], Value::Null);
    assert_eq!(counts(&json, "ja-jp"), [2, 4, 0, 0, 0, 0]);
    assert_eq!(json["locales"]["ja-jp"]["stale_by_class"]["unclassified"], 4);
    assert_eq!(json["locales"]["ja-jp"]["staleness"]["median_days"], Value::Null);
}

#[test]
fn the_json_validates_against_the_committed_schema() {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(common::repo_path("status.schema.json")).expect("status.schema.json"),
    )
    .expect("the schema is JSON");
    let validator = jsonschema::options().should_validate_formats(true).build(&schema).expect("the schema compiles");
    let tree = three_months();
    for args in [&[][..], &["--no-history"][..]] {
        let json = status_json(&tree, args);
        let errors: Vec<String> =
            validator.iter_errors(&json).map(|error| format!("{error} at {}", error.instance_path)).collect();
        assert!(errors.is_empty(), "{errors:#?}");
    }
    // The schema is strict: an unknown field or a missing count fails.
    let mut json = status_json(&tree, &["--no-history"]);
    json["locales"]["ja-jp"].as_object_mut().unwrap().remove("fresh");
    assert!(!validator.is_valid(&json));
}

#[test]
fn the_table_fits_80_columns_and_names_the_most_urgent_articles() {
    let tree = three_months();
    let table = status(&tree, &["--color", "never"]);
    assert_eq!(table.code, 0, "{}", table.stderr);
    for line in table.stdout.lines() {
        assert!(line.chars().count() <= 80, "wider than 80 columns: {line:?}");
    }
    insta::assert_snapshot!(table.stdout);
    let colored = status(&tree, &["--color", "always"]);
    assert!(colored.stdout.contains("\x1b[31m"), "{}", colored.stdout);
    let plain = run(tree.loclint().env_remove("LOCLINT_NO_HISTORY").env("NO_COLOR", "1").args(["status"]));
    assert!(!plain.stdout.contains('\x1b'), "{}", plain.stdout);
}

#[test]
fn fail_under_gates_on_the_lowest_current_share() {
    let tree = three_months();
    let gate = status(&tree, &["--fail-under", "50", "--trend-months", "0"]);
    assert_eq!(gate.code, 1, "{}", gate.stderr);
    assert_eq!(gate.stderr, "error: current share below 50% in ja-jp, ko-kr\n");
    let pass = status(&tree, &["--fail-under", "10%", "--trend-months", "0"]);
    assert_eq!(pass.code, 0, "{}", pass.stderr);
    let bad = status(&tree, &["--fail-under", "150"]);
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    let failing = status(&tree, &["no-such-folder"]);
    assert_eq!(failing.code, 2, "{}", failing.stderr);
}

#[test]
fn the_page_escapes_file_names_diffs_and_front_matter_from_the_tree() {
    let tree = Tree::new();
    init(&tree.root());
    let name = "x<script>alert(1)<!--";
    let hostile = format!(
        "---\ntitle: T\nms.assetid: {}\nms.localizationpriority: \"<img src=x onerror=alert(3)>\"\n---\n# T\n\nText.\n",
        asset_id(name)
    );
    tree.write(&format!("en-us/{name}.md"), &hostile);
    tree.write(&format!("ja-jp/{name}.md"), copy_md(name, hostile.as_bytes(), "ja-JP"));
    commit_all(&tree.root(), "2024-01-10");
    tree.write(&format!("en-us/{name}.md"), hostile.replace("Text.", "Text.\n\n</script><script>alert(2)</script>"));
    commit_all(&tree.root(), "2024-02-10");
    let run = status(&tree, &["--html", "page.html", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = String::from_utf8(tree.read("page.html")).expect("UTF-8 page");
    // Only the page's own two scripts: the data block and the code.
    assert_eq!(page.matches("<script").count(), 2, "{page}");
    assert_eq!(page.matches("</script>").count(), 2, "{page}");
    assert!(!page.contains("<img"), "{page}");
    assert!(!page.contains("<!--"), "{page}");
    assert!(!page.contains("http://") && !page.contains("https://"), "no network: {page}");
    // The data block holds the tree's text intact once decoded.
    let opening = "<script id=\"data\" type=\"application/json\">";
    let start = page.find(opening).unwrap() + opening.len();
    let end = start + page[start..].find("</script>").unwrap();
    let data: Value = serde_json::from_str(&page[start..end]).expect("the data block is JSON");
    assert_eq!(data["rows"][0]["path"], format!("en-us/{name}.md"));
    assert_eq!(data["rows"][0]["priority"], "<img src=x onerror=alert(3)>");
    assert!(data["diffs"][0].as_str().unwrap().contains("+</script><script>alert(2)</script>"));
    assert_eq!(data["rows"][0]["copies"][0]["href"], "ja-jp/x%3Cscript%3Ealert%281%29%3C%21--.md");
}

/// `loclint ARGS` under a pseudo-terminal (util-linux `script`), in `dir`;
/// what the terminal showed.
fn on_terminal(dir: &std::path::Path, args: &str, ci: bool) -> String {
    let binary = assert_cmd::cargo::cargo_bin("loclint");
    let mut command = std::process::Command::new("script");
    command
        .current_dir(dir)
        .args(["-qec", &format!("{} {args} >/dev/null", binary.display()), "/dev/null"])
        .env_remove("CI")
        .env("LOCLINT_NO_HISTORY", "true");
    if ci {
        command.env("CI", "true");
    }
    let output = command.output().expect("run script (util-linux)");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn a_progress_bar_shows_on_a_terminal_for_large_trees_only() {
    let tree = Tree::new();
    for index in 0..250 {
        tree.article(&format!("a{index}.md"), &["ja-jp"]);
    }
    let root = tree.root();
    for command in ["lint --format concise", "status --trend-months 0"] {
        let shown = on_terminal(&root, command, false);
        assert!(shown.contains("checking 1/250 articles ["), "{command}: {shown:?}");
        // Cleared once the groups are checked: the report starts on a clean line.
        assert!(shown.ends_with("\r\u{1b}[2K"), "{command}: {shown:?}");
        assert!(!on_terminal(&root, command, true).contains("checking"), "{command} in CI");
        assert!(!on_terminal(&root, &format!("{command} --quiet"), false).contains("checking"), "{command} --quiet");
    }
    let piped = status(&tree, &["--trend-months", "0"]);
    assert!(!piped.stderr.contains("checking"), "{}", piped.stderr);
    // A small tree finishes before a bar would help.
    let small = Tree::new();
    small.article("a.md", &["ja-jp"]);
    assert!(!on_terminal(&small.root(), "lint", false).contains("checking"));
}
