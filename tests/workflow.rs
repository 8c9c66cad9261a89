//! Where users run loclint: suppressions, per-path overrides, changed-only
//! runs and shards.

mod common;

use std::path::Path;
use std::process::Command;

use loclint::Request;

const SOURCE: &str = "---\ntitle: Ledger setup\nms.assetid: 11111111-2222-3333-4444-555555555555\n---\n# Set up the ledger\n\nOpen [the settings](settings.md).\n\nSee [billing](billing.md).\n";

fn copy(locale: &str, assetid: &str, body: &str) -> String {
    let hash = sha1_smol::Sha1::from(SOURCE.as_bytes()).digest().to_string();
    format!(
        "---\ntitle: T\nms.assetid: {assetid}\nms.openlocfilehash: {hash}\nms.sourcegitcommit: 0123456789abcdef0123456789abcdef01234567\nms.translationtype: HT\nms.contentlocale: {locale}\nms.lasthandoff: 06/14/2017\n---\n{body}"
    )
}

const GOOD_ID: &str = "11111111-2222-3333-4444-555555555555";
const BAD_ID: &str = "99999999-2222-3333-4444-555555555555";

fn write(root: &Path, relative: &str, text: &str) {
    let path = root.join(relative);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn lint_root(root: &Path, request: Request) -> String {
    common::concise(&common::lint(&[root.to_path_buf()], request))
}

#[test]
fn suppression_next_line_hides_only_that_line() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "en-us/a.md", SOURCE);
    let body =
        "# 設定\n\n<!-- loclint-disable-next-line link-target-mismatch -->\n[設定](other.md)\n\n[請求](billing2.md)\n";
    write(dir.path(), "ja-jp/a.md", &copy("ja-JP", GOOD_ID, body));
    let output = lint_root(dir.path(), Request::default());
    // The copy's other.md stands where the source links to settings.md: both
    // findings are on the suppressed line.
    assert_eq!(
        output,
        "ja-jp/a.md:15:6 link-target-mismatch: link target `billing2.md` differs from the source's `billing.md`\n"
    );
}

#[test]
fn suppression_file_and_range_forms() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "en-us/a.md", SOURCE);
    let body = "<!-- loclint-disable-file assetid-mismatch -->\n# 設定\n\n<!-- loclint-disable link-target-mismatch -->\n[設定](x.md)\n<!-- loclint-enable link-target-mismatch -->\n\n[請求](y.md)\n";
    write(dir.path(), "ja-jp/a.md", &copy("ja-JP", BAD_ID, body));
    let output = lint_root(dir.path(), Request::default());
    // The assetid finding is gone (file form) and x.md is suppressed (range);
    // y.md after `loclint-enable` is reported as the change of billing.md
    // it is; settings.md, replaced by x.md, is inside the range.
    assert_eq!(
        output,
        "ja-jp/a.md:17:6 link-target-mismatch: link target `y.md` differs from the source's `billing.md`\n"
    );
}

#[test]
fn unused_and_unknown_suppressions_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "en-us/a.md", SOURCE);
    let body = "# 設定\n\n<!-- loclint-disable-next-line stale-hash anchor-mismatch stale-hsh -->\n[設定](settings.md)\n\n[請求](billing.md)\n";
    write(dir.path(), "ja-jp/a.md", &copy("ja-JP", GOOD_ID, body));
    let output = lint_root(dir.path(), Request::default());
    assert_eq!(
        output,
        "ja-jp/a.md:12:32 unused-suppression: suppression of `stale-hash` suppresses nothing\n\
         ja-jp/a.md:12:43 unused-suppression: suppression of `anchor-mismatch` suppresses nothing\n\
         ja-jp/a.md:12:59 unused-suppression: suppression names unknown rule `stale-hsh`\n"
    );
    let report = common::lint(&[dir.path().to_path_buf()], Request::default());
    let unknown = report.diagnostics.iter().find(|d| d.message.contains("stale-hsh")).unwrap();
    assert_eq!(unknown.help.as_deref(), Some("did you mean `stale-hash`?"));
}

#[test]
fn per_path_overrides_change_severity() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "en-us/a.md", SOURCE);
    let body = "# 設定\n\n[設定](settings.md)\n\n[請求](billing.md)\n";
    write(dir.path(), "ja-jp/a.md", &copy("ja-JP", BAD_ID, body));
    write(dir.path(), "ko-kr/a.md", &copy("ko-KR", BAD_ID, body));
    write(
        dir.path(),
        "loclint.toml",
        "[[overrides]]\npaths = [\"ja-jp/**\"]\nrules = { assetid-mismatch = \"off\" }\n\n[[overrides]]\npaths = [\"ko-kr/**\"]\nrules = { assetid-mismatch = \"info\" }\n",
    );
    let report = common::lint(&[dir.path().to_path_buf()], Request::default());
    let found: Vec<(String, &str)> =
        report.diagnostics.iter().map(|d| (format!("{}:{}", d.path, d.rule), d.severity.as_str())).collect();
    assert_eq!(found, [("ko-kr/a.md:assetid-mismatch".to_string(), "info")]);
}

fn git(root: &Path, args: &[&str]) {
    let status = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["-c", "user.email=t@example.com", "-c", "user.name=t", "-c", "commit.gpgsign=false"])
        .args(args)
        .status()
        .unwrap();
    assert!(status.success(), "git {args:?}");
}

fn article_tree(root: &Path, names: &[&str]) {
    for name in names {
        write(root, &format!("en-us/{name}.md"), SOURCE);
        let body = "# 設定\n\n[設定](settings.md)\n\n[請求](billing.md)\n";
        write(root, &format!("ja-jp/{name}.md"), &copy("ja-JP", BAD_ID, body));
    }
}

#[test]
fn changed_since_lints_only_touched_articles() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    article_tree(root, &["a", "b", "c", "d"]);
    git(root, &["init", "-q"]);
    git(root, &["add", "-A"]);
    git(root, &["commit", "-qm", "base"]);
    // committed change to b's copy, uncommitted change to c's source,
    // a deleted source d (its copy must still be checked: now an orphan).
    std::fs::write(root.join("ja-jp/b.md"), copy("ja-JP", BAD_ID, "# x\n")).unwrap();
    git(root, &["commit", "-qam", "change b"]);
    std::fs::write(root.join("en-us/c.md"), format!("{SOURCE}\nMore.\n")).unwrap();
    std::fs::remove_file(root.join("en-us/d.md")).unwrap();
    // git is only ever asked about the repository of the working directory.
    let output = changed_since(root, "HEAD~1", &["--select", "assetid-mismatch,orphan-translation"]);
    assert_eq!(
        common::mask_time(&String::from_utf8(output.stdout).unwrap()),
        "ja-jp/b.md:3:13: error[assetid-mismatch] [*] `ms.assetid` is `99999999-2222-3333-4444-555555555555` but the source's is `11111111-2222-3333-4444-555555555555`\n\
         ja-jp/c.md:3:13: error[assetid-mismatch] [*] `ms.assetid` is `99999999-2222-3333-4444-555555555555` but the source's is `11111111-2222-3333-4444-555555555555`\n\
         ja-jp/d.md:1:1: warning[orphan-translation] copy has no source: `en-us/d.md` does not exist\n\
         Found 2 errors and 1 warning in 5 files (3 articles) in [time]\n\
         [*] 2 fixable with `--fix`\n"
    );
}

/// `loclint lint --format concise --changed-since REVISION ARGS` run in `dir`.
fn changed_since(dir: &Path, revision: &str, args: &[&str]) -> std::process::Output {
    let mut command = assert_cmd::Command::cargo_bin("loclint").unwrap();
    command
        .current_dir(dir)
        .args(["lint", "--format", "concise", "--color", "never", "--changed-since", revision])
        .args(args)
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap()
}

#[test]
fn changed_since_an_unknown_revision_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    article_tree(dir.path(), &["a"]);
    git(dir.path(), &["init", "-q"]);
    let output = changed_since(dir.path(), "no-such-branch", &[]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = common::squash(&String::from_utf8(output.stderr).unwrap());
    assert!(stderr.contains("--changed-since:gitdoesnotknowtherevision`no-such-branch`"), "{stderr}");
}

#[test]
fn changed_since_outside_a_repository_says_so() {
    let dir = tempfile::tempdir().unwrap();
    article_tree(dir.path(), &["a"]);
    let output = changed_since(dir.path(), "HEAD", &[]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = common::squash(&String::from_utf8(output.stderr).unwrap());
    assert!(stderr.contains("--changed-since:notagitrepository:"), "{stderr}");
    assert!(!stderr.contains("doesnotknow"), "{stderr}");
}

#[test]
fn shards_partition_the_groups() {
    let dir = tempfile::tempdir().unwrap();
    let names: Vec<String> = (0..40).map(|i| format!("article-{i}")).collect();
    article_tree(dir.path(), &names.iter().map(String::as_str).collect::<Vec<_>>());
    let paths_of = |shard: Option<(usize, usize)>| -> Vec<String> {
        let report = common::lint(
            &[dir.path().to_path_buf()],
            Request { shard, select: vec!["assetid-mismatch".into()], ..Request::default() },
        );
        report.diagnostics.iter().map(|d| d.path.clone()).collect()
    };
    let all = paths_of(None);
    assert_eq!(all.len(), 40);
    let mut union: Vec<String> = Vec::new();
    for k in 1..=3 {
        let shard = paths_of(Some((k, 3)));
        assert!(!shard.is_empty(), "shard {k}/3 is empty");
        assert_eq!(shard, paths_of(Some((k, 3))), "shard {k}/3 is not deterministic");
        union.extend(shard);
    }
    union.sort();
    let mut expected = all.clone();
    expected.sort();
    assert_eq!(union, expected, "every group exactly once across shards");
}

#[test]
fn ci_formats_give_paths_from_the_working_folder() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("docs");
    write(&root, "en-us/a.md", SOURCE);
    let body = "# 設定\n\n[設定](settings.md)\n\n[請求](billing.md)\n";
    write(&root, "ja-jp/a.md", &copy("ja-JP", BAD_ID, body));
    let output = assert_cmd::Command::cargo_bin("loclint")
        .unwrap()
        .current_dir(dir.path())
        .args(["lint", "docs", "--format", "github"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.starts_with("::error file=docs/ja-jp/a.md,line=3,col=13,"), "{stdout}");
    let output = assert_cmd::Command::cargo_bin("loclint")
        .unwrap()
        .current_dir(dir.path())
        .args(["lint", "docs", "--format", "concise"])
        .output()
        .unwrap();
    // Every format shows paths from the working folder; run in the root,
    // they are root-relative.
    assert!(String::from_utf8_lossy(&output.stdout).starts_with("docs/ja-jp/a.md:3:13: error[assetid-mismatch]"));
    let output = assert_cmd::Command::cargo_bin("loclint")
        .unwrap()
        .current_dir(&root)
        .args(["lint", "--format", "json"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["diagnostics"][0]["path"], "ja-jp/a.md");
    assert_eq!(json["diagnostics"][0]["source"]["path"], "en-us/a.md");
}
