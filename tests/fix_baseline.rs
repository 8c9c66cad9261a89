//! `--fix`, `--diff` and baselines, through the real binary.

use std::path::Path;

use assert_cmd::Command;

const SOURCE: &str = "---\ntitle: Ledger setup\nms.assetid: 11111111-2222-3333-4444-555555555555\n---\n# Set up the ledger\n\nOpen [the settings](settings.md).\n";

fn hash() -> String {
    sha1_smol::Sha1::from(SOURCE.as_bytes()).digest().to_string()
}

fn write(root: &Path, relative: &str, bytes: &[u8]) {
    let path = root.join(relative);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

fn loclint(root: &Path, args: &[&str]) -> (i32, String, String) {
    let output = Command::cargo_bin("loclint")
        .unwrap()
        .current_dir(root)
        .args(["lint", "--format", "concise", "--color", "never"])
        .args(args)
        .output()
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// A copy with a BOM, CRLF front matter lines (as the pipeline writes them),
/// LF body lines, a wrong asset id and a wrong locale.
fn broken_crlf_copy() -> Vec<u8> {
    let text = format!(
        "\u{FEFF}---\r\ntitle: \"設定\"\r\nms.assetid: 99999999-2222-3333-4444-555555555555\r\nms.openlocfilehash: {}\r\nms.sourcegitcommit: 0123456789abcdef0123456789abcdef01234567\r\nms.translationtype: HT\r\nms.contentlocale: \"ko-KR\"\r\nms.lasthandoff: 06/14/2017\r\n---\n# 台帳の設定\n\n[設定](settings.md)を開きます。\n",
        hash()
    );
    text.into_bytes()
}

#[test]
fn fix_keeps_bom_and_line_endings_and_converges() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "en-us/a.md", SOURCE.as_bytes());
    write(root, "ja-jp/a.md", &broken_crlf_copy());
    let untouched = root.join("en-us/a.md");
    let mtime_before = std::fs::metadata(&untouched).unwrap().modified().unwrap();

    let (code, stdout, stderr) = loclint(root, &["--fix"]);
    assert_eq!(stderr, "");
    assert_eq!(
        stdout,
        "Fixed 2 findings in 1 file\nNo problems found in 2 files (1 article) in 0.00s\n"
            .replace("0.00s", &stdout[stdout.len() - 6..stdout.len() - 1])
    );
    assert_eq!(code, 0);

    let fixed = std::fs::read(root.join("ja-jp/a.md")).unwrap();
    let expected = String::from_utf8(broken_crlf_copy())
        .unwrap()
        .replace("99999999-2222", "11111111-2222")
        .replace("\"ko-KR\"", "\"ja-JP\"");
    assert_eq!(String::from_utf8(fixed).unwrap(), expected, "only the two values change; BOM, CRLF and quotes stay");
    assert_eq!(
        std::fs::metadata(&untouched).unwrap().modified().unwrap(),
        mtime_before,
        "the source was not rewritten"
    );

    let (code, stdout, stderr) = loclint(root, &["--fix"]);
    assert_eq!((code, stderr.as_str()), (0, ""), "a second run finds nothing to fix");
    assert!(stdout.starts_with("No problems found"), "{stdout}");
    let leftovers: Vec<_> = std::fs::read_dir(root.join("ja-jp"))
        .unwrap()
        .flatten()
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(leftovers, ["a.md"], "no temporary files left behind");
}

#[test]
fn fix_inserts_a_missing_asset_id_after_the_opening_line() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "en-us/a.md", SOURCE.as_bytes());
    let copy = format!(
        "---\r\ntitle: T\r\nms.openlocfilehash: {}\r\nms.sourcegitcommit: 0123456789abcdef0123456789abcdef01234567\r\nms.translationtype: HT\r\nms.contentlocale: ja-JP\r\nms.lasthandoff: 06/14/2017\r\n---\n# 台帳\n\n[設定](settings.md)\n",
        hash()
    );
    write(root, "ja-jp/a.md", copy.as_bytes());
    let (code, stdout, stderr) = loclint(root, &["--fix"]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert!(stdout.starts_with("Fixed 1 finding in 1 file\nNo problems found in 2 files (1 article) in "), "{stdout}");
    let fixed = std::fs::read_to_string(root.join("ja-jp/a.md")).unwrap();
    assert_eq!(fixed, copy.replacen("---\r\n", "---\r\nms.assetid: 11111111-2222-3333-4444-555555555555\r\n", 1));
}

#[test]
fn diff_prints_the_fixes_without_writing() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "en-us/a.md", SOURCE.as_bytes());
    write(root, "ja-jp/a.md", &broken_crlf_copy());
    let (code, stdout, _) = loclint(root, &["--diff"]);
    assert_eq!(code, 1);
    assert!(stdout.starts_with("--- a/ja-jp/a.md\n+++ b/ja-jp/a.md\n@@"), "{stdout}");
    assert!(stdout.contains("-ms.assetid: 99999999-2222-3333-4444-555555555555\r\n"), "{stdout}");
    assert!(stdout.contains("+ms.assetid: 11111111-2222-3333-4444-555555555555\r\n"), "{stdout}");
    assert!(stdout.contains("+ms.contentlocale: \"ja-JP\"\r\n"), "{stdout}");
    assert_eq!(std::fs::read(root.join("ja-jp/a.md")).unwrap(), broken_crlf_copy(), "--diff writes nothing");
}

fn copy_with(body: &str) -> String {
    format!(
        "---\ntitle: T\nms.assetid: 11111111-2222-3333-4444-555555555555\nms.openlocfilehash: {}\nms.sourcegitcommit: 0123456789abcdef0123456789abcdef01234567\nms.translationtype: HT\nms.contentlocale: ja-JP\nms.lasthandoff: 06/14/2017\n---\n{body}",
        hash()
    )
}

#[test]
fn baseline_round_trip_survives_shifted_lines() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "en-us/a.md", SOURCE.as_bytes());
    write(root, "ja-jp/a.md", copy_with("# 台帳\n\n[設定](legacy-options.md)\n").as_bytes());
    let (code, stdout, _) = loclint(root, &[]);
    assert_eq!(code, 1, "{stdout}");

    let (code, _, stderr) = loclint(root, &["--write-baseline", "baseline.json"]);
    assert_eq!((code, stderr.as_str()), (0, "wrote 1 finding to the baseline baseline.json\n"));
    let baseline: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root.join("baseline.json")).unwrap()).unwrap();
    assert_eq!(baseline["version"], 1);
    assert_eq!(baseline["findings"].as_array().unwrap().len(), 1);

    // Lines move: the same findings stay hidden.
    write(
        root,
        "ja-jp/a.md",
        copy_with("# 台帳\n\n新しい段落。\n\nもう一つ。\n\n[設定](legacy-options.md)\n").as_bytes(),
    );
    let (code, stdout, _) = loclint(root, &["--baseline", "baseline.json"]);
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.starts_with("No problems found"), "{stdout}");
    assert!(stdout.ends_with("; the baseline hid 1\n"), "{stdout}");

    // A new problem shows; a fixed one is counted so the baseline can shrink.
    write(root, "ja-jp/a.md", copy_with("# 台帳\n\n[設定](settings.md)\n\n[新規](new.md)\n").as_bytes());
    let (code, stdout, _) = loclint(root, &["--baseline", "baseline.json"]);
    assert_eq!(code, 1);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines[0], "ja-jp/a.md:14:6: error[link-target-mismatch] link target `new.md` is not in the source");
    assert!(
        lines[1].ends_with(
            "; the baseline hid 0 and 1 of its findings is fixed (rewrite it with --write-baseline to shrink it)"
        ),
        "{stdout}"
    );
}

#[test]
fn a_baseline_that_is_not_json_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "en-us/a.md", SOURCE.as_bytes());
    write(root, "baseline.json", b"{\"version\": 1, \"findings\": [\n  {\"path\": 3}\n");
    let (code, stdout, stderr) = loclint(root, &["--baseline", "baseline.json"]);
    assert_eq!(code, 2);
    assert_eq!(stdout, "");
    assert!(stderr.contains("baseline baseline.json is not a loclint baseline: invalid type: integer `3`, expected a string at line 2 column 12"), "{stderr}");
    assert!(stderr.contains("write a new one with `loclint lint --write-baseline FILE`"), "{stderr}");
}
