//! The rest of the bad-input matrix of issue 6 (the first part is in
//! bad_input.rs): each case sits in a tree with a planted finding in another
//! article, which must still be reported.

use std::path::Path;

use assert_cmd::Command;

const SOURCE: &str =
    "---\ntitle: Setup\nms.assetid: 11111111-2222-3333-4444-555555555555\n---\n# Setup\n\n[Guide](guide.md)\n";
const PLANTED: &str = "ja-jp/planted.md:2:13: error[assetid-mismatch] [*] `ms.assetid` is `99999999-2222-3333-4444-555555555555` but the source's is `11111111-2222-3333-4444-555555555555`";

fn copy_of(source: &str, assetid: &str, body: &str) -> String {
    let hash = sha1_smol::Sha1::from(source.as_bytes()).digest().to_string();
    format!(
        "---\ntitle: T\nms.assetid: {assetid}\nms.openlocfilehash: {hash}\nms.sourcegitcommit: 0123456789abcdef0123456789abcdef01234567\nms.translationtype: HT\nms.contentlocale: ja-JP\nms.lasthandoff: 06/14/2017\n---\n{body}"
    )
}

fn write(root: &Path, relative: &str, bytes: impl AsRef<[u8]>) {
    let path = root.join(relative);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// A tree with one article whose copy has a wrong asset id.
fn tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "en-us/planted.md", SOURCE);
    let body = "# 設定\n\n[ガイド](guide.md)\n";
    let planted = copy_of(SOURCE, "99999999-2222-3333-4444-555555555555", body).replacen("title: T\n", "", 1);
    write(dir.path(), "ja-jp/planted.md", planted);
    dir
}

fn lint(root: &Path, args: &[&str]) -> (i32, String, String) {
    let output = Command::cargo_bin("loclint")
        .unwrap()
        .current_dir(root)
        .args(["lint", "--format", "concise", "--color", "never"])
        .args(args)
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    (output.status.code().unwrap_or(-1), String::from_utf8_lossy(&output.stdout).into_owned(), stderr)
}

fn findings(stdout: &str) -> Vec<&str> {
    stdout
        .lines()
        .filter(|line| !line.starts_with("Found") && !line.starts_with("No problems") && !line.starts_with("[*] "))
        .collect()
}

#[test]
fn front_matter_only() {
    let dir = tree();
    let source = "---\ntitle: Only\nms.assetid: 22222222-2222-3333-4444-555555555555\n---\n";
    write(dir.path(), "en-us/only.md", source);
    write(dir.path(), "ja-jp/only.md", copy_of(source, "22222222-2222-3333-4444-555555555555", ""));
    let (code, stdout, _) = lint(dir.path(), &[]);
    assert_eq!((code, findings(&stdout)), (1, vec![PLANTED]));
}

#[test]
fn deeply_nested_lists_and_blockquotes() {
    let dir = tree();
    let mut deep = String::new();
    for depth in 0..5_000 {
        deep.push_str(&"  ".repeat(depth.min(200)));
        deep.push_str("- item\n");
    }
    deep.push_str(&">".repeat(50_000));
    deep.push_str(" quote\n");
    write(dir.path(), "en-us/deep.md", format!("# Deep\n\n{deep}"));
    write(dir.path(), "ja-jp/deep.md", format!("# 深い\n\n{deep}"));
    let (code, stdout, _) = lint(dir.path(), &["--ignore", "metadata-missing"]);
    assert_eq!((code, findings(&stdout)), (1, vec![PLANTED]));
}

#[test]
fn overlapping_and_unclosed_segment_spans() {
    let dir = tree();
    let body = "<span data-ttu-id=\"abcde-101\"><span data-ttu-id=\"abcde-102\">a</span>b</span>\
                <span class=\"sxs-lookup\"><span data-stu-id=\"abcde-102\">A</span>\n\n\
                <span class=\"sxs-lookup\"><span data-stu-id=\"abcde-101\">B</span></span></span></span>\n\n\
                <span data-ttu-id=\"abcde-103\">never closed\n";
    write(dir.path(), "en-us/spans.md", "A\n\nB\n");
    write(dir.path(), "ja-jp/spans.md", body);
    let (code, stdout, _) = lint(dir.path(), &[]);
    assert_eq!(code, 1);
    let lines = findings(&stdout);
    assert!(lines.contains(&PLANTED), "{stdout}");
    assert!(lines.iter().any(|line| line.contains("segment span `abcde-103` is not closed")), "{stdout}");
}

#[test]
fn paths_with_spaces_and_non_ascii_characters() {
    let dir = tree();
    write(dir.path(), "en-us/my guide/über setup.md", SOURCE);
    let body = "# 設定\n\n[ガイド](other.md)\n";
    write(dir.path(), "ja-jp/my guide/über setup.md", copy_of(SOURCE, "11111111-2222-3333-4444-555555555555", body));
    let (code, stdout, _) = lint(dir.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(
        findings(&stdout),
        vec![
            "ja-jp/my guide/über setup.md:12:7: error[link-target-mismatch] link target `other.md` differs from the source's `guide.md`",
            PLANTED,
        ]
    );
    // The same file given as a path (what pre-commit passes), twice.
    let (code, stdout, _) = lint(dir.path(), &["ja-jp/my guide/über setup.md", "ja-jp/my guide/über setup.md"]);
    assert_eq!(code, 1);
    assert_eq!(findings(&stdout).len(), 1, "one article, checked once: {stdout}");
    assert!(stdout.contains("in 2 files (1 article)"), "{stdout}");
}

#[test]
fn a_100_mb_file_is_reported_without_being_read() {
    let dir = tree();
    write(dir.path(), "en-us/huge.md", "# Huge\n");
    let huge = dir.path().join("ja-jp/huge.md");
    // A sparse file: 100 MB on paper, nothing on disk.
    std::fs::File::create(&huge).unwrap().set_len(100 * 1024 * 1024).unwrap();
    let (code, stdout, _) = lint(dir.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(
        findings(&stdout),
        vec![
            "ja-jp/huge.md:1:1: error[file-unreadable] file is 104857600 bytes, over the limit of 16777216 bytes",
            PLANTED,
        ]
    );
}
