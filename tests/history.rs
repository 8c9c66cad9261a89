//! Handoffs from git history: temporary repositories whose source has
//! several versions and whose copies were translated from different ones.
//! Every expectation is known by construction (which version each copy was
//! made from, which defect was planted where).

mod common;

use common::git::{commit_all, commit_all_at, commit_all_saying, git, init};
use common::{run, sha1_hex, Run, Tree};
use serde_json::Value;

/// Three versions of one article. v2 adds a link and a heading; v3 changes
/// one word of the body.
const V1: &str = "---\ntitle: Export reports\n---\n# Export reports\n\nOpen [Billing](billing.md) and select **Export**.\n\n## Schedule\n\nChoose a day.\n";
const V2: &str = "---\ntitle: Export reports\n---\n# Export reports\n\nOpen [Billing](billing.md) and select **Export**. See [the limits](limits.md).\n\n## Schedule\n\nChoose a day.\n\n## Formats\n\nPick CSV.\n";
const V3: &str = "---\ntitle: Export reports\n---\n# Export reports\n\nOpen [Billing](billing.md) and select **Export**. See [the limits](limits.md).\n\n## Schedule\n\nChoose a weekday.\n\n## Formats\n\nPick CSV.\n";

/// A faithful Japanese copy of `source` (same links, headings and code),
/// with handoff metadata: `hash` and `commit`. Line 11 holds the first link,
/// line 13 the `## スケジュール` heading.
fn copy_of(source: &str, hash: &str, commit: &str, tag: &str) -> String {
    let mut text = format!(
        "---\ntitle: レポートのエクスポート\nms.openlocfilehash: {hash}\nms.sourcegitcommit: {commit}\nms.translationtype: HT\nms.contentlocale: {tag}\nms.lasthandoff: 01/02/2024\n---\n"
    );
    text.push_str("# レポートのエクスポート\n\n[課金](billing.md)を開き、**エクスポート**を選択します。");
    if source.contains("limits.md") {
        text.push_str("[制限](limits.md)を参照してください。");
    }
    text.push_str("\n\n## スケジュール\n\n日を選びます。\n");
    if source.contains("## Formats") {
        text.push_str("\n## 形式\n\nCSV を選びます。\n");
    }
    text
}

/// SHA-1 of `text` with every line ending converted to CRLF.
fn crlf_hash(text: &str) -> String {
    sha1_hex(text.replace('\n', "\r\n").as_bytes())
}

/// The source's three versions committed in `repo` at `source` (a path in
/// the tree); returns the three commit ids.
fn source_history(tree: &Tree, repo: &str, source: &str) -> [String; 3] {
    let dir = tree.root().join(repo);
    let mut commits = Vec::new();
    for (text, day) in [(V1, "2024-01-01"), (V2, "2024-02-01"), (V3, "2024-03-10")] {
        tree.write(&format!("{repo}/{source}"), text);
        commits.push(commit_all(&dir, day));
    }
    [commits[0].clone(), commits[1].clone(), commits[2].clone()]
}

fn json_lint(tree: &Tree, args: &[&str]) -> (Run, Value) {
    let run = run(tree.loclint().env_remove("LOCLINT_NO_HISTORY").args(["lint", "--format", "json"]).args(args));
    let json = serde_json::from_str(&run.stdout).unwrap_or_else(|error| panic!("{error}: {}", run.stdout));
    (run, json)
}

/// `rule path:line message` for every finding.
fn findings(json: &Value) -> Vec<String> {
    json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            format!(
                "{} {}:{} {}",
                d["rule"].as_str().unwrap(),
                d["path"].as_str().unwrap(),
                d["line"],
                d["message"].as_str().unwrap()
            )
        })
        .collect()
}

fn short(commit: &str) -> &str {
    &commit[..7]
}

/// A tree of two repositories, `en/` (sources in `en/docs`) and `ja/`
/// (copies in `ja/docs`), with the roots layout that pairs them.
fn source_and_copy_repositories() -> Tree {
    let tree = Tree::new();
    init(&tree.root().join("en"));
    init(&tree.root().join("ja"));
    tree.write("loclint.toml", "[layout]\nkind = \"roots\"\nroots = { en-us = \"en/docs\", ja-jp = \"ja/docs\" }\n");
    tree
}

/// One repository whose source `en-us/export.md` was `handed_off` (the
/// copies' handoff, 2024-01-01) and is `today` since 2024-02-01; returns
/// the handoff commit.
fn handed_off_then_changed(handed_off: &str, today: &str) -> (Tree, String) {
    let tree = Tree::new();
    init(&tree.root());
    tree.write("en-us/export.md", handed_off);
    let handoff = commit_all(&tree.root(), "2024-01-01");
    tree.write("en-us/export.md", today);
    commit_all(&tree.root(), "2024-02-01");
    (tree, handoff)
}

/// One repository: en-us/ and the copies side by side.
fn one_repository() -> (Tree, [String; 3]) {
    let tree = Tree::new();
    init(&tree.root());
    let commits = source_history(&tree, ".", "en-us/export.md");
    (tree, commits)
}

#[test]
fn a_faithful_stale_copy_gets_one_finding_with_the_change_since_its_handoff() {
    let (tree, [c1, _, _]) = one_repository();
    tree.write("ja-jp/export.md", copy_of(V1, &sha1_hex(V1.as_bytes()), &c1, "ja-JP"));
    let (run, json) = json_lint(&tree, &[]);
    assert_eq!(
        findings(&json),
        [format!(
            "stale-hash ja-jp/export.md:3 copy is 2 commits behind its source: translated from `{}` of 2024-01-01; \
             the source last changed 69 days later (9 words changed since: 1 link added, 1 heading added)",
            short(&c1)
        )]
    );
    let finding = &json["diagnostics"][0];
    assert_eq!(finding["severity"], "warning");
    let handoff = &finding["handoff"];
    assert_eq!(handoff["commit"], c1.as_str());
    assert_eq!(handoff["date"], "2024-01-01");
    assert_eq!(handoff["commits_behind"], 2);
    assert_eq!(handoff["days_behind"], 69);
    assert_eq!(handoff["change"], "small");
    let diff = handoff["diff"].as_str().expect("a diff");
    assert!(diff.starts_with(&format!("--- a/en-us/export.md@{}\n+++ b/en-us/export.md\n", short(&c1))), "{diff}");
    assert!(diff.contains("\n-Open [Billing](billing.md) and select **Export**.\n+Open [Billing](billing.md) and select **Export**. See [the limits](limits.md).\n"), "{diff}");
    assert!(diff.contains("\n-Choose a day.\n+Choose a weekday.\n"), "{diff}");
    assert!(diff.contains("\n+## Formats\n"), "{diff}");
    assert_eq!(run.code, 0, "a warning does not fail the run");
    assert_eq!(run.stderr, "");
}

#[test]
fn without_history_the_same_copy_is_judged_against_the_current_source() {
    let (tree, [c1, _, _]) = one_repository();
    tree.write("ja-jp/export.md", copy_of(V1, &sha1_hex(V1.as_bytes()), &c1, "ja-JP"));
    let (run, json) = json_lint(&tree, &["--no-history"]);
    let rules: Vec<&str> =
        json["diagnostics"].as_array().unwrap().iter().map(|d| d["rule"].as_str().unwrap()).collect();
    assert!(rules.contains(&"link-target-mismatch"), "{rules:?}");
    assert!(rules.contains(&"stale-hash"), "{rules:?}");
    assert_eq!(run.code, 1);
}

#[test]
fn a_defect_planted_in_a_stale_copy_is_still_found_on_its_line() {
    let (tree, [c1, _, _]) = one_repository();
    let faithful = copy_of(V1, &sha1_hex(V1.as_bytes()), &c1, "ja-JP");
    // The translation points its only link elsewhere, and changed a
    // heading's level.
    let broken =
        faithful.replace("[課金](billing.md)", "[課金](billing-old.md)").replace("## スケジュール", "### スケジュール");
    tree.write("ja-jp/export.md", broken);
    let (run, json) = json_lint(&tree, &[]);
    let found = findings(&json);
    let rules: Vec<(&str, i64)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["rule"].as_str().unwrap(), d["line"].as_i64().unwrap()))
        .collect();
    assert!(
        found.contains(
            &"link-target-mismatch ja-jp/export.md:11 link target `billing-old.md` differs from the source's `billing.md`"
                .to_string()
        ),
        "{found:#?}"
    );
    assert!(rules.contains(&("heading-structure-mismatch", 13)), "{found:#?}");
    assert!(rules.contains(&("stale-hash", 3)), "{found:#?}");
    // Nothing about what the source added since the handoff.
    assert!(!found.iter().any(|line| line.contains("limits.md")), "{found:#?}");
    let link = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| {
            d["rule"] == "link-target-mismatch" && d["message"].as_str().unwrap().contains("differs from the source's")
        })
        .expect("the changed target is reported");
    assert_eq!(link["source"]["path"], format!("en-us/export.md@{}", short(&c1)));
    assert_eq!(run.code, 1);
}

/// OpenTelemetry's copies fix a link the source fixed after the handoff,
/// without a new handoff: the copy follows today's source there, and only
/// a target neither version has is its defect.
#[test]
fn a_link_the_source_changed_after_the_handoff_may_be_followed_by_the_copy() {
    let (tree, handoff) = handed_off_then_changed(V1, &V1.replace("(billing.md)", "(payments.md)"));
    let faithful = copy_of(V1, &sha1_hex(V1.as_bytes()), &handoff, "ja-JP");
    tree.write("ja-jp/export.md", faithful.replace("(billing.md)", "(payments.md)"));
    let (_, json) = json_lint(&tree, &[]);
    let found = findings(&json);
    assert!(!found.iter().any(|line| line.starts_with("link-target-mismatch")), "{found:#?}");
    assert!(found.iter().any(|line| line.starts_with("stale-hash ja-jp/export.md:3")), "{found:#?}");
    // A target neither version has is still the copy's.
    tree.write("ja-jp/export.md", faithful.replace("(billing.md)", "(billing-old.md)"));
    let (_, json) = json_lint(&tree, &[]);
    assert!(
        findings(&json).contains(
            &"link-target-mismatch ja-jp/export.md:11 link target `billing-old.md` differs from the source's `billing.md`"
                .to_string()
        ),
        "{:#?}",
        findings(&json)
    );
}

/// An include's `#fragment` names an anchor of the page that includes it
/// (OpenTelemetry's `_includes`): broken in the include itself, in the
/// version the copy was translated from, it is inherited, even when
/// today's source no longer has the link.
#[test]
fn a_fragment_broken_in_the_handoff_version_is_inherited() {
    let linked = V1.replace("Choose a day.", "Choose a day. See [the options](#options).");
    let (tree, handoff) = handed_off_then_changed(&linked, V1);
    let faithful = copy_of(V1, &sha1_hex(linked.as_bytes()), &handoff, "ja-JP");
    tree.write(
        "ja-jp/export.md",
        faithful.replace("日を選びます。", "日を選びます。[オプション](#options)を参照してください。"),
    );
    let (_, json) = json_lint(&tree, &[]);
    let found = findings(&json);
    assert!(!found.iter().any(|line| line.starts_with("fragment-broken")), "{found:#?}");
    // A fragment the handoff version does not link is the copy's.
    tree.write(
        "ja-jp/export.md",
        faithful.replace("日を選びます。", "日を選びます。[オプション](#optionen)を参照してください。"),
    );
    let (_, json) = json_lint(&tree, &[]);
    let found = findings(&json);
    assert!(
        found
            .iter()
            .any(|line| line.starts_with("fragment-broken ja-jp/export.md:15 fragment `#optionen` does not exist")),
        "{found:#?}"
    );
}

/// A copy pinned at its handoff whose headings are today's source's (a
/// heading the source added since, translated without moving the pin)
/// followed the source: no heading finding. One whose headings are
/// neither version's is still compared with its handoff.
#[test]
fn a_copy_with_today_s_headings_followed_the_source_since_its_handoff() {
    let (tree, handoff) = handed_off_then_changed(V1, V2);
    let followed = copy_of(V2, &sha1_hex(V1.as_bytes()), &handoff, "ja-JP");
    tree.write("ja-jp/export.md", &followed);
    let rules = ["--select", "heading-structure-mismatch,link-target-mismatch"];
    let (_, json) = json_lint(&tree, &rules);
    assert_eq!(findings(&json), Vec::<String>::new());
    tree.write("ja-jp/export.md", followed.replace("## 形式", "### 形式"));
    let (_, json) = json_lint(&tree, &rules);
    assert_eq!(
        findings(&json),
        ["heading-structure-mismatch ja-jp/export.md:17 copy has 3 headings but the source has 2: heading 3 is not in the source"]
    );
}

/// A copy pinned at its handoff whose code block is the one today's source
/// has followed the source's change since; a block neither version has is
/// the copy's.
#[test]
fn a_copy_with_today_s_code_block_followed_the_source_since_its_handoff() {
    let with_code = |command: &str| format!("{V1}\n```bash\nexport-reports {command}\n```\n");
    let (tree, handoff) = handed_off_then_changed(&with_code("--daily"), &with_code("--weekly"));
    let copy = |command: &str| {
        let text = copy_of(V1, &sha1_hex(with_code("--daily").as_bytes()), &handoff, "ja-JP");
        format!("{text}\n```bash\nexport-reports {command}\n```\n")
    };
    let rules = ["--select", "code-block-mismatch"];
    tree.write("ja-jp/export.md", copy("--weekly"));
    let (_, json) = json_lint(&tree, &rules);
    assert_eq!(findings(&json), Vec::<String>::new());
    tree.write("ja-jp/export.md", copy("--monthly"));
    let (_, json) = json_lint(&tree, &rules);
    assert_eq!(
        findings(&json),
        ["code-block-mismatch ja-jp/export.md:17 code block differs from the source's, first at its line 1"]
    );
}

/// A copy pinned at its handoff whose anchor is today's source's (renamed
/// since) followed the source's change; an anchor neither version has is
/// the copy's.
#[test]
fn a_copy_with_today_s_anchor_followed_the_source_since_its_handoff() {
    let with_anchor = |name: &str| V1.replace("## Schedule", &format!("## Schedule {{#{name}}}"));
    let (tree, handoff) = handed_off_then_changed(&with_anchor("export-day"), &with_anchor("export-weekday"));
    let copy = |name: &str| {
        copy_of(V1, &sha1_hex(with_anchor("export-day").as_bytes()), &handoff, "ja-JP")
            .replace("## スケジュール", &format!("## スケジュール {{#{name}}}"))
    };
    let rules = ["--select", "anchor-mismatch"];
    tree.write("ja-jp/export.md", copy("export-weekday"));
    let (_, json) = json_lint(&tree, &rules);
    assert_eq!(findings(&json), Vec::<String>::new());
    tree.write("ja-jp/export.md", copy("zeitplan"));
    let (_, json) = json_lint(&tree, &rules);
    assert_eq!(findings(&json), ["anchor-mismatch ja-jp/export.md:13 anchor `zeitplan` is not in the source"]);
}

#[test]
fn a_renamed_anchor_and_a_changed_code_block_in_a_stale_copy_are_found_on_their_lines() {
    let tree = Tree::new();
    init(&tree.root());
    let v1 = "---\ntitle: Install\n---\n# Install\n\n<a name=\"setup\"></a>\n## Setup\n\n```sh\nledger init\n```\n";
    let v2 = format!("{v1}\nThen run `ledger check`.\n\n```sh\nledger check\n```\n");
    tree.write("en-us/install.md", v1);
    let c1 = commit_all(&tree.root(), "2024-01-01");
    tree.write("en-us/install.md", &v2);
    commit_all(&tree.root(), "2024-02-01");
    let copy = format!(
        "---\ntitle: インストール\nms.openlocfilehash: {}\nms.sourcegitcommit: {c1}\nms.translationtype: HT\nms.contentlocale: ja-JP\nms.lasthandoff: 01/02/2024\n---\n# インストール\n\n<a name=\"set-up\"></a>\n## セットアップ\n\n```sh\nledger init --force\n```\n",
        sha1_hex(v1.as_bytes())
    );
    tree.write("ja-jp/install.md", copy);
    let (_, json) = json_lint(&tree, &[]);
    let found: Vec<(String, i64)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["rule"].as_str().unwrap().to_string(), d["line"].as_i64().unwrap()))
        .collect();
    assert!(found.contains(&("anchor-mismatch".to_string(), 11)), "{:#?}", findings(&json));
    assert!(found.contains(&("code-block-mismatch".to_string(), 14)), "{:#?}", findings(&json));
    assert!(found.contains(&("stale-hash".to_string(), 3)), "{:#?}", findings(&json));
    // The code block the source added since the handoff is not a finding.
    let code_findings = found.iter().filter(|(rule, _)| rule == "code-block-mismatch").count();
    assert_eq!(code_findings, 1, "{:#?}", findings(&json));
}

#[test]
fn a_stale_copy_still_takes_the_current_source_s_asset_id() {
    let (tree, [_, _, c3]) = one_repository();
    tree.write(
        "ja-jp/export.md",
        copy_of(V3, &sha1_hex(V3.as_bytes()), &c3, "ja-JP").replace(
            "title: レポートのエクスポート\n",
            "title: レポートのエクスポート\nms.assetid: 11111111-2222-3333-4444-555555555555\n",
        ),
    );
    let v4 = V3.replace(
        "title: Export reports\n",
        "title: Export reports\nms.assetid: 66666666-7777-8888-9999-000000000000\n",
    );
    tree.write("en-us/export.md", &v4);
    commit_all(&tree.root(), "2024-04-01");
    let (_, json) = json_lint(&tree, &["--select", "assetid-mismatch"]);
    let found = findings(&json);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].starts_with("assetid-mismatch ja-jp/export.md:3 "), "{found:#?}");
    assert!(found[0].contains("66666666-7777-8888-9999-000000000000"), "{found:#?}");
}

#[test]
fn the_change_since_the_handoff_sets_the_severity() {
    let (tree, [c1, _, c3]) = one_repository();
    tree.write("ja-jp/export.md", copy_of(V1, &sha1_hex(V1.as_bytes()), &c1, "ja-JP"));
    // v4 differs from v3 only in its front matter and in whitespace.
    let v4 = V3
        .replace("title: Export reports", "title: Export reports\nms.date: 04/01/2024")
        .replace("Pick CSV.", "Pick  CSV.");
    tree.write("en-us/export.md", &v4);
    tree.write("ko-kr/export.md", copy_of(V3, &sha1_hex(V3.as_bytes()), &c3, "ko-KR"));
    commit_all(&tree.root(), "2024-04-01");
    tree.write("loclint.toml", "[rules]\nstale-hash = { severity = \"error\", small-change = 5 }\n");
    let (run, json) = json_lint(&tree, &["--select", "stale-hash"]);
    let severities: Vec<(String, String, String)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let path = d["path"].as_str().unwrap().to_string();
            (path, d["severity"].as_str().unwrap().to_string(), d["handoff"]["change"].as_str().unwrap().to_string())
        })
        .collect();
    assert_eq!(
        severities,
        [
            ("ja-jp/export.md".to_string(), "error".to_string(), "large".to_string()),
            ("ko-kr/export.md".to_string(), "info".to_string(), "front-matter".to_string()),
        ]
    );
    assert!(findings(&json)[1].ends_with("(only the front matter changed since)"), "{:#?}", findings(&json));
    assert_eq!(run.code, 1);
}

#[test]
fn the_human_report_shows_the_first_lines_of_the_diff_and_all_on_request() {
    let (tree, [c1, _, _]) = one_repository();
    tree.write("ja-jp/export.md", copy_of(V1, &sha1_hex(V1.as_bytes()), &c1, "ja-JP"));
    tree.write("loclint.toml", "[rules]\nstale-hash = { diff-lines = 4 }\n");
    let human = |extra: &[&str]| {
        run(tree
            .loclint()
            .env_remove("LOCLINT_NO_HISTORY")
            .args(["lint", "--format", "human", "--color", "never", "--select", "stale-hash"])
            .args(extra))
        .stdout
    };
    let short_report = human(&[]);
    let expected = format!(
        "  source changes since the handoff:\n    --- a/en-us/export.md@{}\n    +++ b/en-us/export.md\n    @@ -3,8 +3,12 @@\n     ---\n    … 13 more lines (--show-source-diff prints them)\n",
        short(&c1)
    );
    assert!(short_report.contains(&expected), "{short_report}");
    let full_report = human(&["--show-source-diff"]);
    assert!(full_report.contains("    +Choose a weekday.\n"), "{full_report}");
    assert!(!full_report.contains("more lines"), "{full_report}");
}

#[test]
fn crlf_hashes_are_recognised_with_and_without_history() {
    let (tree, [_, c2, c3]) = one_repository();
    // A fresh copy whose pipeline hashed the source with CRLF line endings.
    tree.write("ja-jp/export.md", copy_of(V3, &crlf_hash(V3), &c3, "ja-JP"));
    // A copy of v2, hashed the same way: found in history by its commit.
    tree.write("ko-kr/export.md", copy_of(V2, &crlf_hash(V2), &c2, "ko-KR"));
    let (_, json) = json_lint(&tree, &[]);
    assert_eq!(
        findings(&json),
        [format!(
            "stale-hash ko-kr/export.md:3 copy is 1 commit behind its source: translated from `{}` of 2024-02-01; \
             the source last changed 38 days later (2 words changed since)",
            short(&c2)
        )]
    );
    assert_eq!(json["diagnostics"][0]["handoff"]["change"], "small");
    let (_, json) = json_lint(&tree, &["--no-history", "--select", "stale-hash"]);
    let found = findings(&json);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].starts_with("stale-hash ko-kr/export.md:3 copy was translated from another version"),
        "{found:#?}"
    );
}

#[test]
fn an_unknown_commit_is_searched_by_hash_and_a_hash_no_version_has_is_said() {
    let (tree, [_, _, _]) = one_repository();
    let unknown = "0123456789abcdef0123456789abcdef01234567";
    tree.write("ja-jp/export.md", copy_of(V1, &sha1_hex(V1.as_bytes()), unknown, "ja-JP"));
    tree.write("ko-kr/export.md", copy_of(V1, &sha1_hex(b"never a version"), unknown, "ko-KR"));
    let (_, json) = json_lint(&tree, &["--select", "stale-hash"]);
    let found = findings(&json);
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(
        found[0].starts_with("stale-hash ja-jp/export.md:3 copy is 2 commits behind its source: translated from"),
        "{found:#?}"
    );
    assert_eq!(
        found[1],
        format!(
            "stale-hash ko-kr/export.md:3 copy was translated from another version of the source: `ms.openlocfilehash` \
             is `{}` but the source's SHA-1 is `{}`; history: the source repository has no commit `0123456`, and none \
             of the 3 versions of the source in history has it",
            sha1_hex(b"never a version"),
            sha1_hex(V3.as_bytes())
        )
    );
}

#[test]
fn source_and_copies_in_two_repositories() {
    let tree = source_and_copy_repositories();
    let [c1, _, _] = source_history(&tree, "en", "docs/export.md");
    tree.write("ja/docs/export.md", copy_of(V1, &sha1_hex(V1.as_bytes()), &c1, "ja-JP"));
    commit_all(&tree.root().join("ja"), "2024-04-01");
    let (_, json) = json_lint(&tree, &[]);
    let found = findings(&json);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].starts_with(&format!(
            "stale-hash ja/docs/export.md:3 copy is 2 commits behind its source: translated from `{}`",
            short(&c1)
        )),
        "{found:#?}"
    );
}

#[test]
fn a_shallow_clone_says_so_once_and_does_not_compare_stale_copies_with_today_s_source() {
    // The copies were translated from V1; the source is V3 now, with a link
    // and a heading more. A shallow clone has neither V1 nor the commits:
    // those differences are the source's change, not the copies' defects.
    let (origin, [c1, _, _]) = one_repository();
    origin.write("ja-jp/export.md", copy_of(V1, &sha1_hex(V1.as_bytes()), &c1, "ja-JP"));
    origin.write("ko-kr/export.md", copy_of(V1, &sha1_hex(V1.as_bytes()), &c1, "ko-KR"));
    commit_all(&origin.root(), "2024-04-01");
    let clone = Tree::new();
    let url = format!("file://{}", origin.root().display());
    git(&clone.root(), &["clone", "-q", "--depth", "1", &url, "shallow"]);
    let lint = |extra: &[&str]| {
        run(clone
            .loclint()
            .env_remove("LOCLINT_NO_HISTORY")
            .current_dir(clone.root().join("shallow"))
            .args(["lint", "--format", "concise"])
            .args(extra))
    };
    let shallow = lint(&[]);
    let rules = |stdout: &str| -> Vec<String> {
        stdout.lines().filter_map(|line| Some(line.split_once('[')?.1.split_once(']')?.0.to_string())).collect()
    };
    assert_eq!(rules(&shallow.stdout), ["stale-hash", "stale-hash"], "{}", shallow.stdout);
    assert_eq!(
        shallow.stderr,
        "note: no git history (the source repository is a shallow clone): stale copies are not compared with their \
         source, since the version they were translated from is unknown (`--no-history` compares them with the \
         current source); in CI, check out full history (actions/checkout with `fetch-depth: 0`)\n"
    );

    // History turned off on purpose: every difference from today's source.
    let compared = lint(&["--no-history"]);
    assert_eq!(
        rules(&compared.stdout),
        [
            "stale-hash",
            "link-target-mismatch",
            "heading-structure-mismatch",
            "stale-hash",
            "link-target-mismatch",
            "heading-structure-mismatch"
        ],
        "{}",
        compared.stdout
    );
}

#[test]
fn without_metadata_the_source_at_the_copy_s_last_commit_is_the_handoff() {
    let tree = Tree::new();
    init(&tree.root());
    tree.write("loclint.toml", "profile = \"none\"\n");
    tree.write("en-us/export.md", V1);
    tree.write(
        "ja-jp/export.md",
        "# レポートのエクスポート\n\n[課金](billing.md)を開きます。\n\n## スケジュール\n\n日を選びます。\n",
    );
    tree.write("ko-kr/export.md", "# 보고서 내보내기\n\n[청구](billing.md)를 엽니다.\n\n## 일정\n\n날을 고릅니다.\n");
    let c1 = commit_all(&tree.root(), "2024-01-01");
    tree.write("en-us/export.md", V2);
    commit_all(&tree.root(), "2024-02-01");
    // Korean was updated with the source; Japanese was not.
    tree.write("ko-kr/export.md", "# 보고서 내보내기\n\n[청구](billing.md)를 엽니다. [제한](limits.md)\n\n## 일정\n\n날을 고릅니다.\n\n## 형식\n\nCSV.\n");
    commit_all(&tree.root(), "2024-02-02");
    let (_, json) = json_lint(&tree, &[]);
    assert_eq!(
        findings(&json),
        [format!(
            "stale-hash ja-jp/export.md:1 copy is 1 commit behind its source: translated from `{}` of 2024-01-01; \
             the source last changed 31 days later (7 words changed since: 1 link added, 1 heading added)",
            short(&c1)
        )]
    );
    assert_eq!(json["diagnostics"][0]["handoff"]["commit"], c1.as_str());
    // No hash key in this pipeline: nothing to set once the text is updated.
    assert_eq!(
        json["diagnostics"][0]["help"],
        "update the translation from the current source (the change is in the report's diff; `--show-source-diff` \
         prints it all)"
    );
}

/// A Japanese translation of [`V1`]'s body.
const JA_V1_BODY: &str =
    "# レポートのエクスポート\n\n[課金](billing.md)を開きます。\n\n## スケジュール\n\n日を選びます。\n";

/// A repository of a site whose copies carry no handoff metadata (profile
/// `none`), with [`V1`] as its uncommitted source.
fn site_without_metadata() -> Tree {
    let tree = Tree::new();
    init(&tree.root());
    tree.write("loclint.toml", "profile = \"none\"\n");
    tree.write("en-us/export.md", V1);
    tree
}

#[test]
fn a_site_s_upkeep_of_a_copy_does_not_move_its_handoff() {
    let tree = site_without_metadata();
    let body = JA_V1_BODY;
    tree.write("ja/export.md", format!("---\ntitle: エクスポート\n---\n{body}"));
    let c1 = commit_all(&tree.root(), "2024-01-01");
    tree.write("en-us/export.md", V2);
    commit_all(&tree.root(), "2024-02-01");
    // A key added to every page, the locale's folder renamed, and the line
    // endings converted: none of them translates anything.
    tree.write("ja/export.md", format!("---\ntitle: エクスポート\nexclude_search: true\n---\n{body}"));
    commit_all(&tree.root(), "2024-03-01");
    git(&tree.root(), &["mv", "ja", "ja-jp"]);
    commit_all(&tree.root(), "2024-03-02");
    tree.write(
        "ja-jp/export.md",
        format!("---\ntitle: エクスポート\nexclude_search: true\n---\n{body}").replace('\n', "\r\n"),
    );
    commit_all(&tree.root(), "2024-03-03");
    let (_, json) = json_lint(&tree, &[]);
    assert_eq!(
        findings(&json),
        [format!(
            "stale-hash ja-jp/export.md:1 copy is 1 commit behind its source: translated from `{}` of 2024-01-01; \
             the source last changed 31 days later (7 words changed since: 1 link added, 1 heading added)",
            short(&c1)
        )]
    );
    // A body translated again moves it.
    tree.write("ja-jp/export.md", format!("---\ntitle: エクスポート\n---\n{body}\n## 形式\n\nCSV.\n"));
    commit_all(&tree.root(), "2024-04-01");
    let (_, json) = json_lint(&tree, &[]);
    assert_eq!(
        findings(&json),
        ["link-target-mismatch ja-jp/export.md:6 link target `limits.md` of the source is missing"],
    );
}

#[test]
fn a_copy_translated_on_a_branch_is_dated_by_the_branch_s_commit_not_the_merge() {
    let tree = site_without_metadata();
    tree.write("ja/export.md", JA_V1_BODY);
    commit_all(&tree.root(), "2024-01-01");
    // The translator branches off, and the source changes on main meanwhile.
    git(&tree.root(), &["checkout", "-q", "-b", "dev-ja"]);
    tree.write("ja/export.md", JA_V1_BODY.replace("日を選びます。", "日付を選びます。"));
    let translated = commit_all(&tree.root(), "2024-01-15");
    git(&tree.root(), &["checkout", "-q", "main"]);
    tree.write("en-us/export.md", V2);
    commit_all(&tree.root(), "2024-02-01");
    git(&tree.root(), &["merge", "-q", "--no-ff", "-m", "Merge branch 'dev-ja'", "dev-ja"]);
    // In first-parent history the copy changed at the merge, whose source
    // is V2; the translator saw V1.
    let (_, json) = json_lint(&tree, &[]);
    assert_eq!(
        findings(&json),
        [format!(
            "stale-hash ja/export.md:1 copy is 1 commit behind its source: translated from `{}` of 2024-01-15; \
             the source last changed 17 days later (7 words changed since: 1 link added, 1 heading added)",
            short(&translated)
        )]
    );
}

#[test]
fn a_maintainer_s_patch_of_every_locale_does_not_date_a_stale_copy() {
    let tree = site_without_metadata();
    tree.write("ja/export.md", JA_V1_BODY);
    let translated = commit_all(&tree.root(), "2024-01-01");
    // The source grows by a section nobody translates ...
    let grown = format!("{V2}\n## Limits\n\nA report holds a year.\n\nOlder rows are archived.\n\nArchives are kept for [a decade](archive.md).\n");
    tree.write("en-us/export.md", &grown);
    commit_all(&tree.root(), "2024-02-01");
    // ... then one commit moves a linked page in the source and every copy.
    tree.write("en-us/export.md", grown.replace("(billing.md)", "(billing/index.md)"));
    tree.write("ja/export.md", JA_V1_BODY.replace("(billing.md)", "(billing/index.md)"));
    commit_all_saying(&tree.root(), "2024-03-01", "Move the billing page");
    // The copy is a translation of V1, patched: stale, and its moved link
    // followed the source.
    let (_, json) = json_lint(&tree, &[]);
    assert_eq!(
        findings(&json),
        [format!(
            "stale-hash ja/export.md:1 copy is 2 commits behind its source: translated from `{}` of 2024-01-01; \
             the source last changed 60 days later (26 words changed since: 3 links added, 1 link removed, 2 headings added)",
            short(&translated)
        )]
    );
    // A commit that translates the source's change as well dates it.
    tree.write(
        "ja/export.md",
        format!("{}\n## 形式\n\nCSV。\n\n## 制限\n\nレポートは一年分です。\n\n古い行はアーカイブされます。\n\nアーカイブは[十年](archive.md)保存されます。\n",
            JA_V1_BODY.replace("(billing.md)を開きます。", "(billing/index.md)を開きます。[制限](limits.md)")),
    );
    commit_all(&tree.root(), "2024-04-01");
    let (_, json) = json_lint(&tree, &[]);
    assert_eq!(findings(&json), Vec::<String>::new());
}

#[test]
fn a_source_changed_hours_after_the_handoff_changed_later_the_same_day() {
    let tree = site_without_metadata();
    tree.write("ja/export.md", JA_V1_BODY);
    let translated = commit_all_at(&tree.root(), "2024-01-01T09:00:00Z", "Translate");
    tree.write("en-us/export.md", V2);
    commit_all_at(&tree.root(), "2024-01-01T18:00:00Z", "Document the limits");
    let (_, json) = json_lint(&tree, &[]);
    assert_eq!(
        findings(&json),
        [format!(
            "stale-hash ja/export.md:1 copy is 1 commit behind its source: translated from `{}` of 2024-01-01; \
             the source last changed later the same day (7 words changed since: 1 link added, 1 heading added)",
            short(&translated)
        )]
    );
}

#[test]
fn commits_marked_as_needing_no_translation_neither_date_a_copy_nor_make_it_stale() {
    let tree = site_without_metadata();
    let body = JA_V1_BODY;
    tree.write("ja/export.md", body);
    commit_all(&tree.root(), "2024-01-01");
    // A typo fixed in the source: Lunaria's keyword says no copy needs it.
    tree.write("en-us/export.md", V1.replace("Choose a day.", "Choose a day!"));
    commit_all_saying(&tree.root(), "2024-01-10", "Fix a typo [i18nIgnore]");
    let (_, json) = json_lint(&tree, &[]);
    assert_eq!(findings(&json), Vec::<String>::new());
    // A real change of the source, then a commit that reworded every copy
    // and names the files it translates (`@lunaria-track`):
    // the Japanese copy is not among them, so its translation stays dated
    // by its own commit, before the change.
    tree.write("en-us/export.md", V2);
    // A squashed merge whose body lists a typo fix among its commits is
    // still a change to translate: keywords count in the subject only.
    let change =
        commit_all_saying(&tree.root(), "2024-02-01", "Document the limits (#12)\n\n* Add the limits\n\n* typo");
    tree.write("ja/export.md", body.replace("日を選びます。", "日付を選びます。"));
    commit_all_saying(&tree.root(), "2024-02-02", "Reword every page\n\n@lunaria-track:en-us/export.md");
    let (_, json) = json_lint(&tree, &[]);
    let found = findings(&json);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].starts_with("stale-hash ja/export.md:1 copy is 2 commits behind its source: translated from "),
        "{found:#?}"
    );
    assert_ne!(json["diagnostics"][0]["handoff"]["commit"], change.as_str());
}

#[test]
fn a_copy_whose_front_matter_followed_the_source_s_is_current() {
    let tree = site_without_metadata();
    let body = JA_V1_BODY;
    tree.write("ja-jp/export.md", format!("---\ntitle: エクスポート\n---\n{body}"));
    commit_all(&tree.root(), "2024-01-01");
    // The source's front matter changes, and the pipeline carries the
    // change into the copy: the copy's text still matches the source's.
    tree.write(
        "en-us/export.md",
        V1.replace("title: Export reports\n", "title: Export reports\nsidebar_position: 3\n"),
    );
    commit_all(&tree.root(), "2024-02-01");
    tree.write("ja-jp/export.md", format!("---\ntitle: エクスポート\nsidebar_position: 3\n---\n{body}"));
    commit_all(&tree.root(), "2024-02-02");
    let (_, json) = json_lint(&tree, &[]);
    assert_eq!(findings(&json), Vec::<String>::new());
}

#[test]
fn a_configured_source_commit_key_names_the_handoff_mdn_style() {
    let tree = Tree::new();
    init(&tree.root());
    tree.write("loclint.toml", "profile = \"none\"\n\n[history]\nsource-commit-key = \"l10n.sourceCommit\"\n");
    let [c1, _, _] = source_history(&tree, ".", "en-us/export.md");
    let copy = format!(
        "---\ntitle: レポートのエクスポート\nl10n:\n  sourceCommit: {c1}\n---\n# レポートのエクスポート\n\n[課金](billing.md)を開きます。\n\n## スケジュール\n\n日を選びます。\n"
    );
    tree.write("ja-jp/export.md", copy);
    commit_all(&tree.root(), "2024-04-01");
    let (_, json) = json_lint(&tree, &[]);
    let found = findings(&json);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].starts_with(&format!(
            "stale-hash ja-jp/export.md:4 copy is 2 commits behind its source: translated from `{}`",
            short(&c1)
        )),
        "{found:#?}"
    );
    assert_eq!(json["diagnostics"][0]["column"], 17);
}

#[test]
fn a_version_in_history_over_the_size_limit_is_not_read() {
    let tree = Tree::new();
    init(&tree.root());
    let large = format!("{V1}\n{}\n", "Padding text. ".repeat(200));
    tree.write("en-us/export.md", &large);
    let c0 = commit_all(&tree.root(), "2024-01-01");
    tree.write("en-us/export.md", V1);
    commit_all(&tree.root(), "2024-02-01");
    tree.write("ja-jp/export.md", copy_of(V1, &sha1_hex(large.as_bytes()), &c0, "ja-JP"));
    tree.write("loclint.toml", "max-file-size = 1024\n");
    let (_, json) = json_lint(&tree, &["--select", "stale-hash"]);
    let found = findings(&json);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].ends_with(&format!(
            "; history: `en-us/export.md` at `{}` is over the file size limit, and none of the 2 versions of the source in history has it",
            short(&c0)
        )),
        "{found:#?}"
    );
}

#[test]
fn a_bare_repository_shaped_folder_in_the_tree_is_never_read_as_history() {
    let (planted, _) = one_repository();
    // Turn the work tree into a bare-looking folder: HEAD, objects/, refs/
    // at the top of the lint root, no `.git` entry.
    let git_dir = planted.root().join(".git");
    for entry in ["HEAD", "objects", "refs", "config"] {
        std::fs::rename(git_dir.join(entry), planted.root().join(entry)).expect("move");
    }
    std::fs::remove_dir_all(&git_dir).expect("remove .git");
    planted.write(
        "ja-jp/export.md",
        copy_of(V1, &sha1_hex(V1.as_bytes()), "0123456789abcdef0123456789abcdef01234567", "ja-JP"),
    );
    let run = run(planted.loclint().env_remove("LOCLINT_NO_HISTORY").args([
        "lint",
        "--format",
        "concise",
        "--select",
        "stale-hash",
        "en-us",
        "ja-jp",
    ]));
    assert!(run.stdout.contains("copy was translated from another version of the source"), "{}", run.stdout);
    assert!(run.stderr.contains("the sources are not in a git repository"), "{}", run.stderr);
}

/// The source was renamed since the handoff: first as is, then edited. The
/// copies name it by its new name; history still finds what they were
/// translated from, by the commit they name (where the file had its old
/// name) and by hash.
#[test]
fn a_source_renamed_since_the_handoff_is_followed() {
    let tree = Tree::new();
    init(&tree.root());
    tree.write("en-us/export-reports.md", V1);
    let c1 = commit_all(&tree.root(), "2024-01-01");
    tree.write("en-us/export-reports.md", V2);
    commit_all(&tree.root(), "2024-02-01");
    git(&tree.root(), &["mv", "en-us/export-reports.md", "en-us/export.md"]);
    commit_all(&tree.root(), "2024-02-15");
    tree.write("en-us/export.md", V3);
    commit_all(&tree.root(), "2024-03-10");
    let hash = sha1_hex(V1.as_bytes());
    tree.write("ja-jp/export.md", copy_of(V1, &hash, &c1, "ja-JP"));
    let unknown_commit = "0123456789abcdef0123456789abcdef01234567";
    tree.write("ko-kr/export.md", copy_of(V1, &hash, unknown_commit, "ko-KR"));
    let (_, json) = json_lint(&tree, &["--select", "stale-hash"]);
    let behind = |path: &str| {
        format!(
            "stale-hash {path}:3 copy is 3 commits behind its source: translated from `{}` of 2024-01-01; \
             the source last changed 69 days later (9 words changed since: 1 link added, 1 heading added)",
            short(&c1)
        )
    };
    let found = findings(&json);
    assert_eq!(found.len(), 2, "{found:#?}");
    assert_eq!(found[0], behind("ja-jp/export.md"));
    assert!(found[1].starts_with(&behind("ko-kr/export.md")), "{found:#?}");
    assert_eq!(json["diagnostics"][0]["handoff"]["commit"], c1.as_str());
    assert_eq!(json["diagnostics"][1]["handoff"]["commit"], c1.as_str());
}

/// Renamed and edited in one commit: the deleted file most like the added
/// one is its former name.
#[test]
fn a_source_renamed_and_edited_in_one_commit_is_followed_by_similarity() {
    let tree = Tree::new();
    init(&tree.root());
    tree.write("en-us/export-reports.md", V1);
    let c1 = commit_all(&tree.root(), "2024-01-01");
    // Another article deleted in the same commit: less like the new file.
    tree.write("en-us/retired.md", "---\ntitle: Retired\n---\n# Retired\n\nThis page moved.\n");
    commit_all(&tree.root(), "2024-01-05");
    std::fs::remove_file(tree.root().join("en-us/export-reports.md")).expect("delete the old name");
    std::fs::remove_file(tree.root().join("en-us/retired.md")).expect("delete the retired article");
    tree.write("en-us/export.md", V2);
    commit_all(&tree.root(), "2024-02-01");
    tree.write("ja-jp/export.md", copy_of(V1, &sha1_hex(V1.as_bytes()), &c1, "ja-JP"));
    let (_, json) = json_lint(&tree, &["--select", "stale-hash"]);
    assert_eq!(
        findings(&json),
        [format!(
            "stale-hash ja-jp/export.md:3 copy is 1 commit behind its source: translated from `{}` of 2024-01-01; \
             the source last changed 31 days later (7 words changed since: 1 link added, 1 heading added)",
            short(&c1)
        )]
    );
}

/// A side-by-side copy handed off before the source reworded a sentence,
/// which then lost a segment of its own: the lost segment is found on its
/// line; the sentence the source reworded since is not a stale segment of
/// this copy (its translation matches the handoff).
#[test]
fn a_lost_segment_in_a_stale_side_by_side_copy_is_found_on_its_line() {
    let tree = Tree::new();
    init(&tree.root());
    let v1 = "---\ntitle: Close a period\n---\n# Close a period\n\nWhen a month ends, close its period. Closed periods stay readable.\n\nCheck every bank feed first.\n";
    let v2 = v1.replace("Check every bank feed first.", "Reconcile every bank feed before you close.");
    tree.write("en-us/close.md", v1);
    let c1 = commit_all(&tree.root(), "2024-01-01");
    tree.write("en-us/close.md", &v2);
    commit_all(&tree.root(), "2024-02-01");
    let span = |id: u32, text: &str, source: &str| {
        format!(
            "<span data-ttu-id=\"a1b2c-{id}\">{text}</span><span class=\"sxs-lookup\"><span data-stu-id=\"a1b2c-{id}\">{source}</span></span>"
        )
    };
    let copy = format!(
        "---\ntitle: 期間を締める\nms.openlocfilehash: {}\nms.sourcegitcommit: {c1}\nms.translationtype: HT\nms.contentlocale: ja-JP\nms.lasthandoff: 01/02/2024\n---\n# {}\n\n{}\n\n{}\n",
        sha1_hex(v1.as_bytes()),
        span(101, "期間を締める", "Close a period"),
        // Segment 103, "Closed periods stay readable.", was lost here.
        span(102, "月が終わったら、その期間を締めます。", "When a month ends, close its period."),
        span(104, "最初にすべての銀行フィードを確認します。", "Check every bank feed first."),
    );
    tree.write("ja-jp/close.md", copy);
    let (_, json) = json_lint(&tree, &[]);
    let found: Vec<(String, i64)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["rule"].as_str().unwrap().to_string(), d["line"].as_i64().unwrap()))
        .collect();
    assert!(found.contains(&("segment-gap".to_string(), 13)), "{:#?}", findings(&json));
    assert!(found.contains(&("stale-hash".to_string(), 3)), "{:#?}", findings(&json));
    assert!(!found.iter().any(|(rule, _)| rule == "segment-stale"), "{:#?}", findings(&json));
}

#[test]
fn the_segments_of_a_front_matter_the_pipeline_broke_are_not_outdated_text() {
    let tree = Tree::new();
    init(&tree.root());
    let v1 = "---\ntitle: Close a period\nno-loc: ['Ledger']\n---\n# Close a period\n\nWhen a month ends, close its period.\n\nCheck every bank feed first.\n";
    let v2 = v1.replace("Check every bank feed first.", "Reconcile every bank feed before you close.");
    tree.write("en-us/close.md", v1);
    let c1 = commit_all(&tree.root(), "2024-01-01");
    let span = |id: u32, text: &str, source: &str| {
        format!(
            "<span data-ttu-id=\"a1b2c-{id}\">{text}</span><span class=\"sxs-lookup\"><span data-stu-id=\"a1b2c-{id}\">{source}</span></span>"
        )
    };
    // The pipeline segmented the keys as prose, re-serialized (`"…"`, a
    // list for the flow sequence): not YAML any more, and not the source's
    // text as written. Its keys lost, the copy is dated by its commit.
    let copy = format!(
        "---\n{}\n- {}\n---\n# {}\n\n{}\n\n{}\n",
        span(100, "タイトル: \"期間を締める\"", "title: \"Close a period\" no-loc:"),
        span(101, "\"Ledger\"", "\"Ledger\""),
        span(102, "期間を締める", "Close a period"),
        span(103, "月が終わったら、その期間を締めます。", "When a month ends, close its period."),
        // Edited by hand: the handoff version never had this text.
        span(104, "最初にすべての銀行フィードを確認します。", "Check each bank feed first."),
    );
    tree.write("ja-jp/close.md", copy);
    commit_all(&tree.root(), "2024-01-15");
    tree.write("en-us/close.md", &v2);
    commit_all(&tree.root(), "2024-02-01");
    let (_, json) = json_lint(&tree, &[]);
    let stale: Vec<String> =
        findings(&json).into_iter().filter(|finding| finding.starts_with("segment-stale")).collect();
    assert_eq!(
        stale,
        [format!(
            "segment-stale ja-jp/close.md:9 source text of segment `a1b2c-104` is not in the source it was \
             translated from ({}): \"Check each bank feed first.\"",
            short(&c1)
        )]
    );
    assert!(findings(&json).iter().any(|finding| finding.starts_with("frontmatter-invalid ja-jp/close.md")));
}

/// A copy whose source is gone: history says whether the source was deleted
/// (delete the copy) or renamed (move it), and when.
#[test]
fn an_orphan_copy_is_told_whether_its_source_was_deleted_or_renamed() {
    let tree = Tree::new();
    init(&tree.root());
    tree.write("en-us/export-reports.md", V1);
    tree.write("en-us/retired.md", "---\ntitle: Retired\n---\n# Retired\n\nThis feature is gone.\n");
    let c1 = commit_all(&tree.root(), "2024-01-01");
    let hash = sha1_hex(V1.as_bytes());
    tree.write("ja-jp/export-reports.md", copy_of(V1, &hash, &c1, "ja-JP"));
    tree.write("ja-jp/retired.md", "---\ntitle: 廃止\n---\n# 廃止\n\nこの機能はなくなりました。\n");
    commit_all(&tree.root(), "2024-01-02");
    git(&tree.root(), &["mv", "en-us/export-reports.md", "en-us/export.md"]);
    std::fs::remove_file(tree.root().join("en-us/retired.md")).expect("delete the retired article");
    let c3 = commit_all(&tree.root(), "2024-02-01");
    let (run, json) = json_lint(&tree, &["--select", "orphan-translation"]);
    assert_eq!(
        findings(&json),
        [
            format!(
                "orphan-translation ja-jp/export-reports.md:1 copy has no source: `en-us/export-reports.md` was \
                 renamed to `en-us/export.md` in `{}` on 2024-02-01",
                short(&c3)
            ),
            format!(
                "orphan-translation ja-jp/retired.md:1 copy has no source: `en-us/retired.md` was deleted in `{}` on \
                 2024-02-01",
                short(&c3)
            ),
        ]
    );
    let helps: Vec<&str> =
        json["diagnostics"].as_array().unwrap().iter().map(|d| d["help"].as_str().unwrap()).collect();
    assert_eq!(
        helps,
        ["move the copy to match `en-us/export.md`", "delete the copy: its article was removed from the source"]
    );
    assert_eq!(run.code, 0, "orphans are warnings");
    // Given only the orphan (a pre-commit run on the file a commit touched),
    // history is read all the same: no group has a source to find it by.
    let (_, json) = json_lint(&tree, &["--select", "orphan-translation", "ja-jp/retired.md"]);
    assert_eq!(
        findings(&json),
        [format!(
            "orphan-translation ja-jp/retired.md:1 copy has no source: `en-us/retired.md` was deleted in `{}` on \
             2024-02-01",
            short(&c3)
        )]
    );
}

/// A copy left behind by a deleted source is reported as an orphan only:
/// its links are not judged without the source that tells a link the copy
/// broke from one it inherited. Without history nothing says the source
/// ever existed, and the copy's links are checked as they stand.
#[test]
fn a_leftover_copy_of_a_deleted_source_is_an_orphan_only() {
    let tree = Tree::new();
    init(&tree.root());
    let source = "---\ntitle: Retired\n---\n# Retired\n\nSee [the steps](#old-steps).\n\n## Old steps\n\nGone.\n";
    tree.write("en-us/retired.md", source);
    tree.write("en-us/index.md", "---\ntitle: Home\n---\n# Home\n");
    commit_all(&tree.root(), "2024-01-01");
    tree.write(
        "ja-jp/retired.md",
        "---\ntitle: 廃止\n---\n# 廃止\n\n[手順](#old-steps)を参照。\n\n## 古い手順\n\nなし。\n",
    );
    commit_all(&tree.root(), "2024-01-02");
    std::fs::remove_file(tree.root().join("en-us/retired.md")).expect("delete the retired article");
    let deleted = commit_all(&tree.root(), "2024-02-01");
    let rules = ["--select", "fragment-broken,orphan-translation"];
    let (_, json) = json_lint(&tree, &rules);
    assert_eq!(
        findings(&json),
        [format!(
            "orphan-translation ja-jp/retired.md:1 copy has no source: `en-us/retired.md` was deleted in `{}` on \
             2024-02-01",
            short(&deleted)
        )]
    );
    let (_, json) = json_lint(&tree, &[&rules[..], &["--no-history"]].concat());
    assert_eq!(
        findings(&json),
        [
            "orphan-translation ja-jp/retired.md:1 copy has no source: `en-us/retired.md` does not exist",
            "fragment-broken ja-jp/retired.md:6 fragment `#old-steps` does not exist in this copy",
        ]
    );
}

/// Renamed, then renamed again or deleted under the new name: the copy is
/// told the name its source has now, or that it is gone.
#[test]
fn an_orphan_copy_follows_its_source_through_later_renames() {
    let tree = Tree::new();
    init(&tree.root());
    let other = "---\ntitle: Budgets\n---\n# Budgets\n\nSet a budget per team.\n\nReview it monthly.\n";
    tree.write("en-us/export-reports.md", V1);
    tree.write("en-us/budgets.md", other);
    tree.write("ja-jp/export-reports.md", "---\ntitle: エクスポート\n---\n# エクスポート\n");
    tree.write("ja-jp/budgets.md", "---\ntitle: 予算\n---\n# 予算\n");
    commit_all(&tree.root(), "2024-01-01");
    git(&tree.root(), &["mv", "en-us/export-reports.md", "en-us/exports.md"]);
    git(&tree.root(), &["mv", "en-us/budgets.md", "en-us/team-budgets.md"]);
    commit_all(&tree.root(), "2024-02-01");
    git(&tree.root(), &["mv", "en-us/exports.md", "en-us/export.md"]);
    std::fs::remove_file(tree.root().join("en-us/team-budgets.md")).expect("delete the renamed article");
    let last = commit_all(&tree.root(), "2024-03-01");
    let (_, json) = json_lint(&tree, &["--select", "orphan-translation"]);
    assert_eq!(
        findings(&json),
        [
            format!(
                "orphan-translation ja-jp/budgets.md:1 copy has no source: `en-us/budgets.md` was renamed to \
                 `en-us/team-budgets.md`, which was deleted in `{}` on 2024-03-01",
                short(&last)
            ),
            format!(
                "orphan-translation ja-jp/export-reports.md:1 copy has no source: `en-us/export-reports.md` was \
                 renamed to `en-us/export.md` in `{}` on 2024-03-01",
                short(&last)
            ),
        ]
    );
}

/// A table of contents has no handoff metadata in the source or the copy,
/// and here the copy lives in its own repository: the source as it was when
/// the copy last changed is its handoff, so the entries the source added
/// since are one staleness finding, not one error per entry.
#[test]
fn a_copy_older_than_the_source_s_whole_history_is_not_compared_with_it() {
    // The English repository was re-created (a fork, a migration) after the
    // Japanese table of contents last changed: no version of the source is
    // known to be the one it was made from.
    let tree = source_and_copy_repositories();
    tree.write("ja/docs/TOC.md", "# [エクスポート](export.md)\n# [予算](budget.md)\n");
    commit_all(&tree.root().join("ja"), "2024-01-15");
    tree.write("en/docs/TOC.md", "# [Export](export.md)\n# [Limits](limits.md)\n## [Quotas](quotas.md)\n");
    commit_all(&tree.root().join("en"), "2024-06-01");
    let (_, json) = json_lint(&tree, &[]);
    assert_eq!(
        findings(&json),
        ["stale-hash ja/docs/TOC.md:1 cannot tell whether the copy is current: the source's history starts on \
          2024-06-01, after the copy's last change on 2024-01-15"]
    );
}

#[test]
fn without_its_handoff_a_stale_copy_s_outdated_segments_are_one_info() {
    // A side-by-side copy of an older handoff, outside any repository: its
    // lookup text "Choose a day." is the source's old text.
    let tree = Tree::new();
    tree.write("en-us/export.md", V3);
    let copy = "---\ntitle: Export\nms.openlocfilehash: 0000000000000000000000000000000000000000\n---\n\
                # <a name=\"export-reports\"></a><span data-ttu-id=\"1a2b3-101\">エクスポート</span><span class=\"sxs-lookup\"><span data-stu-id=\"1a2b3-101\">Export reports</span></span>\n\n\
                <span data-ttu-id=\"1a2b3-102\">日を選びます。</span><span class=\"sxs-lookup\"><span data-stu-id=\"1a2b3-102\">Choose a day.</span></span>\n";
    tree.write("ja-jp/export.md", copy);
    let select = ["--select", "segment-stale,stale-hash"];
    let (_, json) = json_lint(&tree, &select);
    let severities: Vec<(String, String)> = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| (d["rule"].as_str().unwrap_or("").to_string(), d["severity"].as_str().unwrap_or("").to_string()))
        .collect();
    let pair = |rule: &str, severity: &str| (rule.to_string(), severity.to_string());
    assert_eq!(severities, [pair("stale-hash", "warning"), pair("segment-stale", "info")]);
    assert_eq!(
        json["diagnostics"][1]["message"],
        "1 segment was translated from text the source no longer has: `1a2b3-102` \"Choose a day.\""
    );
    // History off on purpose: the outdated segment is a warning of its own.
    let (_, json) = json_lint(&tree, &["--no-history", "--select", "segment-stale"]);
    assert_eq!(json["diagnostics"][0]["severity"], "warning", "{json:#}");
}

#[test]
fn a_file_without_metadata_on_either_side_is_dated_by_the_copy_s_last_change() {
    let tree = source_and_copy_repositories();
    let toc_v1 = "# [Export](export.md)\n# [Budgets](budgets.md)\n";
    let toc_v2 = "# [Export](export.md)\n# [Budgets](budgets.md)\n# [Limits](limits.md)\n## [Quotas](quotas.md)\n";
    tree.write("en/docs/TOC.md", toc_v1);
    let c1 = commit_all(&tree.root().join("en"), "2024-01-01");
    tree.write("ja/docs/TOC.md", "# [エクスポート](export.md)\n# [予算](budget.md)\n");
    commit_all(&tree.root().join("ja"), "2024-01-15");
    tree.write("en/docs/TOC.md", toc_v2);
    commit_all(&tree.root().join("en"), "2024-02-01");
    let (_, json) = json_lint(&tree, &[]);
    assert_eq!(
        findings(&json),
        [
            format!(
                "stale-hash ja/docs/TOC.md:1 copy is 1 commit behind its source: translated from `{}` of 2024-01-01; \
                 the source last changed 31 days later (4 words changed since: 2 links added, 2 headings added)",
                short(&c1)
            ),
            // The translation's own mistake is still found.
            "link-target-mismatch ja/docs/TOC.md:2 link target `budget.md` differs from the source's `budgets.md`"
                .to_string(),
        ]
    );
}

#[test]
fn a_copy_newer_than_the_source_repository_says_so_and_is_not_compared_with_it() {
    // A public mirror of the source that lags the repository the pipeline
    // translates: the copy names a commit the mirror does not have yet, and
    // was committed after the mirror's newest commit.
    let tree = Tree::new();
    init(&tree.root().join("en"));
    init(&tree.root().join("ko"));
    source_history(&tree, "en", "help/export.md");
    let copy = "---\ntitle: 보고서 내보내기\nsource-git-commit: 0123456789abcdef0123456789abcdef01234567\nworkflow-type: tm+mt\n---\n\
                # 보고서 내보내기\n\n[청구](billing.md)를 열고 [새 한도](new-limits.md)를 확인합니다.\n";
    tree.write("ko/help/export.md", copy);
    commit_all(&tree.root().join("ko"), "2024-05-01");
    tree.write(
        "loclint.toml",
        "profile = \"adobe\"\n[layout]\nkind = \"roots\"\nroots = { en-us = \"en/help\", ko-kr = \"ko/help\" }\n",
    );
    let (_, json) = json_lint(&tree, &[]);
    assert_eq!(
        findings(&json),
        ["stale-hash ko/help/export.md:3 cannot tell whether the copy is current: the source repository has no \
          commit `0123456`; the copy last changed on 2024-05-01, after the source repository's newest commit \
          (2024-03-10): it may come from a newer source than this repository has"]
    );
    assert_eq!(json["diagnostics"][0]["severity"], "info");
    assert_eq!(
        json["diagnostics"][0]["help"],
        "fetch the full history of the source repository the copy was translated from, or correct the source commit; \
         until then its links, headings and code are not compared with the source, since the version it was \
         translated from is unknown"
    );
}

/// A restructuring commit moves every article to another folder and edits
/// each (a front matter key added, trailing spaces cleaned up): each orphan
/// copy is told where its source went, not only the first few compared
/// before the similarity budget runs out.
#[test]
fn every_article_of_a_restructured_tree_is_followed_to_its_new_folder() {
    const ARTICLES: usize = 60;
    let article = |n: usize, cleaned: bool| {
        let end = if cleaned { "" } else { "  " };
        let mut text = format!("---\ntitle: Topic {n}\n");
        if cleaned {
            text.push_str("ms.service: ledger\n");
        }
        text.push_str(&format!("---\n# Topic {n}{end}\n\n"));
        for line in 0..6 {
            text.push_str(&format!("Step {line} of topic {n} explains one setting of the ledger.{end}\n"));
        }
        text
    };
    let tree = Tree::new();
    init(&tree.root());
    for n in 0..ARTICLES {
        tree.write(&format!("en-us/framework/topic-{n}.md"), article(n, false));
        tree.write(
            &format!("ja-jp/framework/topic-{n}.md"),
            format!("---\ntitle: トピック {n}\n---\n# トピック {n}\n"),
        );
    }
    commit_all(&tree.root(), "2024-01-01");
    for n in 0..ARTICLES {
        std::fs::remove_file(tree.root().join(format!("en-us/framework/topic-{n}.md"))).expect("move the article");
        tree.write(&format!("en-us/desktop/topic-{n}.md"), article(n, true));
    }
    let moved = commit_all(&tree.root(), "2024-02-01");
    let (_, json) = json_lint(&tree, &["--select", "orphan-translation"]);
    let found = findings(&json);
    let expected: Vec<String> = (0..ARTICLES)
        .map(|n| {
            format!(
                "orphan-translation ja-jp/framework/topic-{n}.md:1 copy has no source: `en-us/framework/topic-{n}.md` \
                 was renamed to `en-us/desktop/topic-{n}.md` in `{}` on 2024-02-01",
                short(&moved)
            )
        })
        .collect();
    let (mut found_sorted, mut expected_sorted) = (found.clone(), expected);
    found_sorted.sort();
    expected_sorted.sort();
    assert_eq!(found_sorted, expected_sorted);
}

/// A table of contents carries no handoff metadata, and the pipeline
/// commits it with the handoff's articles, days after the source changed
/// again: it is dated by the source commit those articles name, not by the
/// day it was committed.
#[test]
fn a_file_without_metadata_takes_the_handoff_of_the_copies_committed_with_it() {
    let tree = source_and_copy_repositories();
    tree.write("en/docs/TOC.md", "# [Export](export.md)\n# [Limits](limits.md)\n");
    tree.write("en/docs/export.md", V1);
    let c1 = commit_all(&tree.root().join("en"), "2024-01-01");
    tree.write("en/docs/TOC.md", "# [Export](export.md)\n# [Limits](limits.md)\n# [Quotas](quotas.md)\n");
    let c2 = commit_all(&tree.root().join("en"), "2024-02-01");
    tree.write("ja/docs/TOC.md", "# [エクスポート](export.md)\n# [制限](limits.md)\n");
    tree.write("ja/docs/export.md", copy_of(V1, &sha1_hex(V1.as_bytes()), &c1, "ja-JP"));
    commit_all(&tree.root().join("ja"), "2024-02-05");
    let (_, json) = json_lint(&tree, &[]);
    let found = findings(&json);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].starts_with(&format!(
            "stale-hash ja/docs/TOC.md:1 copy is 1 commit behind its source: translated from `{}` of 2024-01-01",
            short(&c1)
        )),
        "{found:#?} (not dated {})",
        short(&c2)
    );
}
