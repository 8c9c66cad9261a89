//! Inputs that are not well-formed Markdown files: each gives a clear
//! diagnostic for that file, never a panic or a hang, and the rest of the
//! tree is still checked.
//!
//! Every tree holds a clean article `a`, an article `b` whose ja-jp copy has
//! a wrong asset id (the finding that proves the rest was checked), and the
//! source `en-us/x.md` of the bad file under test, `ja-jp/x.md`.

mod common;

use common::{asset_id, sha1_hex, Run, Tree};

/// An asset id that belongs to no article.
const OTHER_ID: &str = "99999999-9999-4999-8999-999999999999";

fn tree() -> Tree {
    let tree = Tree::new();
    tree.article("a.md", &["ja-jp", "ko-kr"]);
    tree.article("b.md", &["ja-jp"]);
    tree.write("ja-jp/b.md", tree.copy_of("en-us/b.md", "ja-JP").replace(&asset_id("b"), OTHER_ID));
    tree.write("en-us/x.md", common::source_md("x"));
    tree
}

/// The finding planted in `ja-jp/b.md`.
fn planted() -> String {
    format!(
        "ja-jp/b.md:3:13: error[assetid-mismatch] [*] `ms.assetid` is `{OTHER_ID}` but the source's is `{}`",
        asset_id("b")
    )
}

/// The clean copy of `x` that the bad inputs are made from.
fn x_copy(tree: &Tree) -> String {
    tree.copy_of("en-us/x.md", "ja-JP")
}

/// `loclint lint` over the whole tree, in concise form.
fn lint(tree: &Tree) -> Run {
    tree.lint(&[])
}

/// Exact stdout: the findings (in loclint's order: article by article, each
/// by path, the whole tree's findings last) and the summary; exit code 1 (the planted error is always there).
fn assert_output(run: &Run, findings: &[String], summary: &str) {
    let mut expected: String = findings.iter().map(|line| format!("{line}\n")).collect();
    expected.push_str(summary);
    expected.push('\n');
    let fixable = findings.iter().filter(|line| line.contains("] [*] ")).count();
    if fixable > 0 {
        expected.push_str(&format!("[*] {fixable} fixable with `--fix`\n"));
    }
    assert_eq!(run.out(), expected, "stderr: {}", run.stderr);
    assert_eq!(run.code, 1, "exit code; stderr: {}", run.stderr);
}

/// `text` with every line ending `\r\n`.
fn crlf(text: &str) -> String {
    text.replace('\n', "\r\n")
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

fn with_bom(text: &str) -> Vec<u8> {
    [BOM, text.as_bytes()].concat()
}

#[test]
fn clean_tree_gives_only_the_planted_finding() {
    let tree = tree();
    tree.write("ja-jp/x.md", x_copy(&tree));
    assert_output(&lint(&tree), &[planted()], "Found 1 error in 7 files (3 articles) in [time]");
}

#[test]
fn invalid_yaml_front_matter_is_reported_at_its_line_and_the_body_is_still_checked() {
    let tree = tree();
    let copy = x_copy(&tree)
        .replace("ms.sourcegitcommit: 0123", "ms.sourcegitcommit: abc: 0123")
        .replace("(guide.md)", "(other.md)");
    tree.write("ja-jp/x.md", copy);
    assert_output(
        &lint(&tree),
        &[
            planted(),
            "ja-jp/x.md:5:24: error[frontmatter-invalid] front matter is not valid YAML: \
             mapping values are not allowed in this context"
                .into(),
            "ja-jp/x.md:12:7: error[link-target-mismatch] link target `other.md` differs from the source's `guide.md`"
                .into(),
        ],
        "Found 3 errors in 7 files (3 articles) in [time]",
    );
}

#[test]
fn a_tab_in_front_matter_is_reported_at_its_line() {
    let tree = tree();
    tree.write("ja-jp/x.md", x_copy(&tree).replace("ms.translationtype: HT", "\tms.translationtype: HT"));
    assert_output(
        &lint(&tree),
        &[
            planted(),
            "ja-jp/x.md:6:1: error[frontmatter-invalid] front matter is not valid YAML: \
             found a tab character that violates indentation"
                .into(),
        ],
        "Found 2 errors in 7 files (3 articles) in [time]",
    );
}

#[test]
fn invalid_yaml_in_a_source_is_reported_on_the_source() {
    let tree = tree();
    tree.write("ja-jp/x.md", x_copy(&tree));
    // The copy's hash is of the good source; break the source after that.
    let source = String::from_utf8(tree.read("en-us/x.md")).unwrap().replace("title: Article x", "title: Article: x");
    tree.write("en-us/x.md", &source);
    assert_output(
        &lint(&tree),
        &[
            planted(),
            "en-us/x.md:2:15: error[frontmatter-invalid] front matter is not valid YAML: \
             mapping values are not allowed in this context"
                .into(),
            format!(
                "ja-jp/x.md:4:21: warning[stale-hash] copy was translated from another version of the source: \
                 `ms.openlocfilehash` is `{}` but the source's SHA-1 is `{}`",
                sha1_hex(common::source_md("x").as_bytes()),
                sha1_hex(source.as_bytes())
            ),
        ],
        "Found 2 errors and 1 warning in 7 files (3 articles) in [time]",
    );
}

#[test]
fn front_matter_without_its_closing_line_is_reported_and_the_rest_still_checked() {
    let tree = tree();
    let copy = x_copy(&tree).replacen("---\n# ", "# ", 1).replace("(guide.md)", "(other.md)");
    tree.write("ja-jp/x.md", copy);
    assert_output(
        &lint(&tree),
        &[
            planted(),
            "ja-jp/x.md:1:1: error[frontmatter-invalid] front matter has no closing `---`".into(),
            "ja-jp/x.md:11:7: error[link-target-mismatch] link target `other.md` differs from the source's `guide.md`"
                .into(),
        ],
        "Found 3 errors in 7 files (3 articles) in [time]",
    );
}

#[test]
fn invalid_utf8_is_reported_at_the_bad_byte() {
    let tree = tree();
    let copy = x_copy(&tree).replace("を参照してください。", "を参照 \u{0}してください。");
    // `\u{0}` marks where the bad bytes go (a lone continuation byte and 0xFF).
    let bytes = copy.replace('\u{0}', "").into_bytes();
    let at = copy.find('\u{0}').unwrap();
    let bytes = [&bytes[..at], b"\x80\xFF", &bytes[at..]].concat();
    tree.write("ja-jp/x.md", &bytes);
    // Line 12 is `[ガイド](guide.md)を参照 …`: the bad byte is its 20th character.
    assert_output(
        &lint(&tree),
        &[
            planted(),
            format!("ja-jp/x.md:12:20: warning[encoding-invalid] file is not valid UTF-8: invalid byte at offset {at}"),
        ],
        "Found 1 error and 1 warning in 7 files (3 articles) in [time]",
    );
}

#[test]
fn bom_and_crlf_give_no_false_findings() {
    let tree = tree();
    tree.write("en-us/x.md", with_bom(&crlf(&common::source_md("x"))));
    tree.write("ja-jp/x.md", with_bom(&crlf(&x_copy(&tree))));
    let copy = String::from_utf8(tree.read("ja-jp/x.md")).unwrap();
    assert!(copy.contains(&sha1_hex(&tree.read("en-us/x.md"))), "the copy's hash is over the source's raw bytes");
    assert_output(&lint(&tree), &[planted()], "Found 1 error in 7 files (3 articles) in [time]");
}

#[test]
fn mixed_line_endings_give_no_false_findings() {
    // The pipeline writes CRLF on front matter lines and LF elsewhere.
    let tree = tree();
    let copy = x_copy(&tree);
    let body = copy.find("# ").unwrap();
    tree.write("ja-jp/x.md", format!("{}{}", crlf(&copy[..body]), &copy[body..]));
    assert_output(&lint(&tree), &[planted()], "Found 1 error in 7 files (3 articles) in [time]");
}

#[test]
fn cr_only_line_endings_give_no_false_findings() {
    // Old Mac files end lines with a lone CR; the front matter was one long
    // first line, so every key looked missing.
    let tree = tree();
    tree.write("en-us/x.md", common::source_md("x").replace('\n', "\r"));
    tree.write("ja-jp/x.md", x_copy(&tree).replace('\n', "\r"));
    assert_output(&lint(&tree), &[planted()], "Found 1 error in 7 files (3 articles) in [time]");
}

#[test]
fn bom_and_crlf_keep_positions_right() {
    let tree = tree();
    tree.write("en-us/x.md", with_bom(&crlf(&common::source_md("x"))));
    let copy = x_copy(&tree).replace(&asset_id("x"), OTHER_ID).replace("(guide.md)", "(other.md)");
    tree.write("ja-jp/x.md", with_bom(&crlf(&copy)));
    let run = lint(&tree);
    assert_output(
        &run,
        &[
            planted(),
            format!(
                "ja-jp/x.md:3:13: error[assetid-mismatch] [*] `ms.assetid` is `{OTHER_ID}` but the source's is `{}`",
                asset_id("x")
            ),
            "ja-jp/x.md:12:7: error[link-target-mismatch] link target `other.md` differs from the source's `guide.md`"
                .into(),
        ],
        "Found 3 errors in 7 files (3 articles) in [time]",
    );
    // JSON: the span ends where the value ends, and the source's position
    // does not count its BOM or CRs.
    let json = common::run(tree.loclint().args(["lint", "--format", "json", "--select", "assetid-mismatch"]));
    let report: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let finding = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|finding| finding["path"] == "ja-jp/x.md")
        .cloned()
        .unwrap_or_else(|| panic!("no finding for ja-jp/x.md in {}", json.stdout));
    let end_column = 13 + OTHER_ID.len();
    assert_eq!(
        (&finding["line"], &finding["column"], &finding["end_line"], &finding["end_column"]),
        (&3.into(), &13.into(), &3.into(), &end_column.into()),
        "{finding}"
    );
    assert_eq!(finding["source"], serde_json::json!({"path": "en-us/x.md", "line": 3, "column": 13}));
}

#[test]
fn a_binary_file_is_reported_not_parsed() {
    let tree = tree();
    tree.write("ja-jp/x.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01");
    assert_output(
        &lint(&tree),
        &[
            planted(),
            "ja-jp/x.md:1:1: error[file-unreadable] binary file: it contains NUL bytes, so it is not Markdown".into(),
        ],
        "Found 2 errors in 7 files (3 articles) in [time]",
    );
}

#[test]
fn a_utf16_file_is_reported_and_still_checked() {
    let tree = tree();
    let copy = x_copy(&tree);
    let bytes: Vec<u8> = [0xFF, 0xFE].into_iter().chain(copy.encode_utf16().flat_map(u16::to_le_bytes)).collect();
    tree.write("ja-jp/x.md", bytes);
    assert_output(
        &lint(&tree),
        &[planted(), "ja-jp/x.md:1:1: warning[encoding-invalid] file is UTF-16, not UTF-8".into()],
        "Found 1 error and 1 warning in 7 files (3 articles) in [time]",
    );
}

#[test]
fn an_empty_copy_is_reported_as_missing_everything() {
    let tree = tree();
    tree.write("ja-jp/x.md", "");
    assert_output(
        &lint(&tree),
        &[
            planted(),
            format!("ja-jp/x.md:1:1: error[assetid-mismatch] `ms.assetid` is missing; the source's is `{}`", asset_id("x")),
            "ja-jp/x.md:1:1: warning[heading-structure-mismatch] copy has 0 headings but the source has 2: the source's headings 1–2 have no counterpart".into(),
            "ja-jp/x.md:1:1: error[link-target-mismatch] link target `guide.md` of the source is missing".into(),
            "ja-jp/x.md:1:1: warning[metadata-missing] front matter lacks the microsoft-docs keys `ms.openlocfilehash`, \
             `ms.sourcegitcommit`, `ms.translationtype`, `ms.contentlocale`, `ms.lasthandoff`"
                .into(),
        ],
        "Found 3 errors and 2 warnings in 7 files (3 articles) in [time]",
    );
}

#[test]
fn a_file_over_the_size_limit_is_reported_not_read() {
    let tree = tree();
    tree.write("ja-jp/x.md", x_copy(&tree) + &"padding line\n".repeat(200));
    tree.write("loclint.toml", "max-file-size = 2000\n");
    let size = tree.read("ja-jp/x.md").len();
    assert!(size > 2000 && tree.read("en-us/x.md").len() < 2000);
    assert_output(
        &lint(&tree),
        &[
            planted(),
            format!("ja-jp/x.md:1:1: error[file-unreadable] file is {size} bytes, over the limit of 2000 bytes"),
        ],
        "Found 2 errors in 7 files (3 articles) in [time]",
    );
}

#[cfg(unix)]
#[test]
fn an_unreadable_file_is_reported() {
    use std::os::unix::fs::PermissionsExt;
    let tree = tree();
    tree.write("ja-jp/x.md", x_copy(&tree));
    let path = tree.root().join("ja-jp/x.md");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    let run = lint(&tree);
    let readable_anyway = std::fs::File::open(&path).is_ok();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    assert!(run.code == 0 || run.code == 1, "exit code {}: {}", run.code, run.stderr);
    assert!(run.stdout.lines().any(|line| line == planted()), "{}", run.stdout);
    if readable_anyway {
        eprintln!(
            "note: running as root, where mode 000 does not block reads; not checking the file-unreadable finding"
        );
        return;
    }
    assert_output(
        &run,
        &[planted(), "ja-jp/x.md:1:1: error[file-unreadable] cannot read file: permission denied (os error 13)".into()],
        "Found 2 errors in 7 files (3 articles) in [time]",
    );
}

#[cfg(unix)]
#[test]
fn a_fifo_is_reported_without_blocking() {
    let tree = tree();
    let status = std::process::Command::new("mkfifo").arg(tree.root().join("ja-jp/x.md")).status().expect("run mkfifo");
    assert!(status.success(), "mkfifo failed");
    // `Tree::loclint` sets a time limit: a read of the FIFO would block forever.
    assert_output(
        &lint(&tree),
        &[planted(), "ja-jp/x.md:1:1: error[file-unreadable] this path is not a regular file".into()],
        "Found 2 errors in 6 files (3 articles) in [time]",
    );
}

#[test]
fn a_directory_named_like_a_markdown_file_is_reported() {
    let tree = tree();
    std::fs::create_dir(tree.root().join("ja-jp/x.md")).unwrap();
    assert_output(
        &lint(&tree),
        &[planted(), "ja-jp/x.md:1:1: error[file-unreadable] this path is a directory, not a Markdown file".into()],
        "Found 2 errors in 6 files (3 articles) in [time]",
    );
}

#[cfg(unix)]
#[test]
fn symbolic_links_are_reported_not_followed() {
    let tree = tree();
    let root = tree.root();
    // A link to the source, one out of the tree, one to itself, and a
    // folder link that loops back to the root.
    std::os::unix::fs::symlink("../en-us/x.md", root.join("ja-jp/x.md")).unwrap();
    std::os::unix::fs::symlink("/etc/hostname", root.join("ja-jp/y.md")).unwrap();
    std::os::unix::fs::symlink("z.md", root.join("ja-jp/z.md")).unwrap();
    std::os::unix::fs::symlink("..", root.join("ja-jp/loop")).unwrap();
    let link = |name: &str| {
        format!("ja-jp/{name}:1:1: error[file-unreadable] this path is a symbolic link; loclint does not follow links")
    };
    assert_output(
        &lint(&tree),
        &[planted(), link("x.md"), link("y.md"), link("z.md")],
        "Found 4 errors in 6 files (3 articles) in [time]",
    );
}

#[test]
fn a_missing_locale_folder_is_reported_and_the_rest_still_checked() {
    let tree = tree();
    tree.write("ja-jp/x.md", x_copy(&tree));
    let missing = "fr-fr:1:1: warning[locale-missing] no files found for locale `fr-fr`".to_string();
    let run = tree.lint(&["--locale", "fr-fr", "--locale", "ja-jp"]);
    assert_output(&run, &[planted(), missing.clone()], "Found 1 error and 1 warning in 6 files (3 articles) in [time]");

    // Only fr-fr: the sources are still read, and the run does not fail.
    let run = tree.lint(&["--locale", "fr-fr"]);
    assert_eq!(run.out(), format!("{missing}\nFound 1 warning in 3 files (3 articles) in [time]\n"));
    assert_eq!(run.code, 0, "{}", run.stderr);

    // The same from `locales` in loclint.toml.
    tree.write("loclint.toml", "locales = [\"ja-jp\", \"fr-fr\"]\n");
    let run = lint(&tree);
    assert_output(&run, &[planted(), missing], "Found 1 error and 1 warning in 6 files (3 articles) in [time]");
}

#[cfg(unix)]
#[test]
fn an_unreadable_folder_is_reported() {
    use std::os::unix::fs::PermissionsExt;
    let tree = tree();
    tree.write("ja-jp/x.md", x_copy(&tree));
    tree.write("ja-jp/sub/c.md", x_copy(&tree));
    let folder = tree.root().join("ja-jp/sub");
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o000)).unwrap();
    let run = lint(&tree);
    let readable_anyway = std::fs::read_dir(&folder).is_ok();
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert!(run.code == 0 || run.code == 1, "exit code {}: {}", run.code, run.stderr);
    assert!(run.stdout.lines().any(|line| line == planted()), "{}", run.stdout);
    if readable_anyway {
        eprintln!(
            "note: running as root, where mode 000 does not block reads; not checking the file-unreadable finding"
        );
        return;
    }
    let line =
        run.stdout.lines().find(|line| line.starts_with("ja-jp/sub:")).unwrap_or_else(|| panic!("{}", run.stdout));
    let message = line.strip_prefix("ja-jp/sub:1:1: error[file-unreadable] ").unwrap_or_else(|| panic!("{line}"));
    assert!(message.contains("`ja-jp/sub`"), "{message}");
    assert!(message.contains("permission denied (os error 13)"), "{message}");
}

/// What the walk could not look at may hide a copy: it is reported once
/// (`file-unreadable`), never also as a missing copy. A linked copy shows
/// it as root too, where mode 000 does not hide a folder.
#[cfg(unix)]
#[test]
fn a_copy_the_walk_cannot_look_at_is_not_also_missing() {
    use std::os::unix::fs::PermissionsExt;
    let tree = tree();
    std::os::unix::fs::symlink("../en-us/x.md", tree.root().join("ja-jp/x.md")).unwrap();
    tree.write("en-us/sub/c.md", common::source_md("c"));
    tree.write("ko-kr/sub/c.md", tree.copy_of("en-us/sub/c.md", "ko-KR"));
    tree.write("ja-jp/sub/c.md", tree.copy_of("en-us/sub/c.md", "ja-JP"));
    let folder = tree.root().join("ja-jp/sub");
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o000)).unwrap();
    let run = tree.lint(&["--select", "file-unreadable,missing-translation,orphan-translation,assetid-mismatch"]);
    let hidden = std::fs::read_dir(&folder).is_err();
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o755)).unwrap();
    // Article by article, then the walk's problems.
    let mut findings = vec![
        "en-us/b.md:1:1: warning[missing-translation] article has no `ko-kr` copy: `ko-kr/b.md` does not exist".into(),
        planted(),
        "en-us/x.md:1:1: warning[missing-translation] article has no `ko-kr` copy: `ko-kr/x.md` does not exist".into(),
        "ja-jp/x.md:1:1: error[file-unreadable] this path is a symbolic link; loclint does not follow links".into(),
    ];
    if hidden {
        // Before `ja-jp/x.md`: the walk's problems are sorted by path.
        findings.insert(3, "ja-jp/sub:1:1: error[file-unreadable] this path cannot be read: permission denied".into());
    } else {
        eprintln!("note: running as root, where mode 000 does not hide a folder; checking the linked copy only");
    }
    let shown = run.out().replace(&tree.root().display().to_string(), "[root]");
    let mut lines: Vec<&str> = shown.lines().collect();
    assert_eq!(lines.pop(), Some("[*] 1 fixable with `--fix`"), "{shown}");
    let summary = lines.pop().unwrap_or_default().to_string();
    assert_eq!(lines, findings, "stderr: {}", run.stderr);
    let expected = if hidden { "Found 3 errors and 2 warnings" } else { "Found 2 errors and 2 warnings" };
    assert!(summary.starts_with(expected), "{summary}");
}

/// A name that is not valid UTF-8 (a Latin-1 `é`, a stray byte) cannot be
/// matched, grouped or reported as text: it is reported as such, never
/// looked up under its lossy name ("no such file"), and its article is
/// neither missing nor orphaned because of it.
#[cfg(target_os = "linux")]
#[test]
fn names_that_are_not_utf8_are_reported_as_such() {
    use std::os::unix::ffi::OsStrExt;
    let tree = tree();
    tree.write("ja-jp/x.md", x_copy(&tree));
    tree.write("ko-kr/x.md", tree.copy_of("en-us/x.md", "ko-KR"));
    tree.write("ko-kr/b.md", tree.copy_of("en-us/b.md", "ko-KR"));
    let root = tree.root();
    let at = |folder: &str, name: &[u8]| root.join(folder).join(std::ffi::OsStr::from_bytes(name));
    std::fs::write(at("en-us", b"caf\xe9.md"), common::source_md("cafe")).unwrap();
    std::fs::write(at("ja-jp", b"caf\xe9.md"), common::source_md("cafe")).unwrap();
    std::fs::create_dir(at("ko-kr", b"\xff")).unwrap();
    std::fs::write(at("ko-kr", b"\xff").join("a.md"), "# a\n").unwrap();
    let run = tree.lint(&["--select", "file-unreadable,missing-translation,orphan-translation,assetid-mismatch"]);
    let unreadable = |path: &str| {
        format!(
            "{path}:1:1: error[file-unreadable] this path has a name that is not valid UTF-8; loclint cannot check it"
        )
    };
    assert_output(
        &run,
        &[
            planted(),
            unreadable("en-us/caf\u{fffd}.md"),
            unreadable("ja-jp/caf\u{fffd}.md"),
            unreadable("ko-kr/\u{fffd}/a.md"),
        ],
        "Found 4 errors in 9 files (3 articles) in [time]",
    );
}

#[test]
fn unclosed_segment_spans_are_reported() {
    let tree = tree();
    let copy = x_copy(&tree).replace(
        "`setup` を実行します。",
        "<span data-ttu-id=\"abcde-101\">`setup` を実行します。\n\n<span class=\"sxs-lookup\"><span data-stu-id=\"abcde-101\">Run",
    );
    tree.write("ja-jp/x.md", copy);
    // Line 16 opens a segment and never closes it; line 18's lookup span is
    // cut off after its text.
    assert_output(
        &lint(&tree),
        &[
            planted(),
            "ja-jp/x.md:16:1: error[segment-unpaired] segment span `abcde-101` is not closed".into(),
            "ja-jp/x.md:18:26: error[segment-unpaired] segment span `abcde-101` is not closed".into(),
        ],
        "Found 3 errors in 7 files (3 articles) in [time]",
    );
}

#[test]
fn a_yaml_alias_bomb_is_rejected_quickly() {
    // Nine levels of nine aliases would build 9^9 strings; the expansion
    // budget (proportional to the front matter's size) stops it at the alias
    // that overflows it, with or without a tab before the aliases (a tab hid
    // them from the alias counter this budget replaced).
    for separator in [", ", ",\t"] {
        let tree = tree();
        let mut bomb =
            String::from("a: &a [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n");
        for (name, previous) in
            ["b", "c", "d", "e", "f", "g", "h", "i"].iter().zip(["a", "b", "c", "d", "e", "f", "g", "h"])
        {
            let items = vec![format!("*{previous}"); 9].join(separator);
            bomb.push_str(&format!("{name}: &{name} [{items}]\n"));
        }
        let copy = x_copy(&tree).replacen("---\n# ", &format!("{bomb}---\n# "), 1);
        tree.write("ja-jp/x.md", copy);
        assert_output(
            &lint(&tree),
            &[
                planted(),
                "ja-jp/x.md:9:4: error[frontmatter-invalid] front matter is not valid YAML: it expands to more than 12700 values and characters (YAML aliases `*name` repeat what they name); loclint stops there".into(),
            ],
            "Found 2 errors in 7 files (3 articles) in [time]",
        );
    }
}

#[test]
fn front_matter_that_is_not_a_mapping_is_reported() {
    let tree = tree();
    tree.write(
        "ja-jp/x.md",
        "---\n- ms.assetid\n- ms.contentlocale\n---\n# 記事 x\n\n[ガイド](guide.md)\n\n## セットアップ\n",
    );
    assert_output(
        &lint(&tree),
        &[
            planted(),
            "ja-jp/x.md:2:1: error[frontmatter-invalid] front matter is not a mapping of keys to values".into(),
        ],
        "Found 2 errors in 7 files (3 articles) in [time]",
    );
}

#[test]
fn a_huge_line_is_checked_quickly() {
    let tree = tree();
    let line = "長い行 ".repeat(1_000_000);
    tree.write("ja-jp/x.md", x_copy(&tree).replace("`setup` を実行します。", &line));
    assert_output(&lint(&tree), &[planted()], "Found 1 error in 7 files (3 articles) in [time]");
}

#[test]
fn many_findings_on_one_long_line_are_reported_quickly() {
    let tree = tree();
    let spans = "<span data-ttu-id=\"abcde-101\">".repeat(40_000);
    tree.write("ja-jp/x.md", x_copy(&tree).replace("`setup` を実行します。", &spans));
    let run = lint(&tree);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stdout.lines().any(|line| line == planted()), "the planted finding is missing");
    // No timing assertion here (the run helper's 60 s limit catches a hang);
    // quadratic work on long lines was fixed by keeping a lookup depth
    // counter and character checkpoints, see `document::lines`.
}

#[test]
fn a_line_of_unclosed_link_targets_is_read_once() {
    // Each `](` without its `)` was read to the end of the file, once by
    // markdown-broken and once by link-target-mismatch for the link the
    // copy lacks: quadratic in the line.
    let tree = tree();
    let line = "](".repeat(50_000);
    tree.write("ja-jp/x.md", x_copy(&tree).replace("`setup` を実行します。", &line));
    let run = lint(&tree);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stdout.lines().any(|line| line == planted()), "the planted finding is missing:\n{}", run.stdout);
}

/// `git ARGS` in `dir` (a test's own setup, never loclint's).
fn git(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.email=t@example.com", "-c", "user.name=t", "-c", "commit.gpgsign=false"])
        .args(args)
        .output()
        .expect("run git")
}

/// Plants a folder shaped like a bare repository at `relative`, whose
/// configuration runs a command that creates `marker`.
fn plant_bare_repository(tree: &Tree, relative: &str, marker: &std::path::Path) {
    tree.write(&format!("{relative}/HEAD"), "ref: refs/heads/main\n");
    tree.write(&format!("{relative}/objects/info/.keep"), "");
    tree.write(&format!("{relative}/refs/heads/.keep"), "");
    let command = format!("touch {}", marker.display());
    tree.write(
        &format!("{relative}/config"),
        format!(
            "[core]\n\trepositoryformatversion = 0\n\tbare = true\n\tfsmonitor = \"{command}\"\n\
             [diff]\n\texternal = \"{command}\"\n[alias]\n\trev-parse = \"!{command}\"\n"
        ),
    );
}

#[cfg(unix)]
#[test]
fn changed_since_never_uses_a_repository_planted_in_the_tree() {
    let tree = Tree::new();
    tree.article("docs/a.md", &["ja-jp"]);
    // The checkout itself is a real repository; the lint root `docs` is made
    // to look like a bare repository whose configuration runs a command.
    assert!(git(&tree.root(), &["init", "-q"]).status.success());
    assert!(git(&tree.root(), &["add", "-A"]).status.success());
    assert!(git(&tree.root(), &["commit", "-qm", "base"]).status.success());
    let outside = tempfile::tempdir().unwrap();
    let marker = outside.path().join("ran");
    // A new, untracked article whose copy has a wrong asset id.
    tree.write("docs/en-us/new.md", common::source_md("new"));
    tree.write("docs/ja-jp/new.md", tree.copy_of("docs/en-us/new.md", "ja-JP").replace(&asset_id("new"), OTHER_ID));
    plant_bare_repository(&tree, "docs", &marker);
    // Proof that the planted configuration is live: git started in `docs`
    // without loclint's settings runs the command.
    let probe = outside.path().join("probe");
    plant_bare_repository(&tree, "probe", &probe);
    let _ = git(&tree.root().join("probe"), &["--work-tree=.", "status"]);
    assert!(probe.exists(), "the planted fsmonitor should run under plain git");

    for dir in [tree.root(), tree.root().join("docs")] {
        let run = common::run(tree.loclint().current_dir(&dir).args([
            "lint",
            "--format",
            "concise",
            "--changed-since",
            "HEAD",
            tree.root().join("docs").to_str().unwrap(),
        ]));
        assert!(!marker.exists(), "a command from the planted configuration ran (from {})", dir.display());
        if dir == tree.root() {
            // The real repository answered: the new, untracked article is linted.
            assert_eq!(run.code, 1, "{run:?}");
            assert!(run.stdout.starts_with("docs/ja-jp/new.md:3:13: error[assetid-mismatch]"), "{run:?}");
        } else {
            // Started inside the planted folder: refused, not used.
            assert_eq!(run.code, 2, "{run:?}");
            assert!(run.squashed_stderr().contains("cannotusebarerepository"), "{run:?}");
        }
    }
}

/// A copy whose only two segments are numbered `first` and `last`.
fn two_segments(tree: &Tree, first: u32, last: u32) -> String {
    let span = |n: u32| {
        format!("<span data-ttu-id=\"abcde-{n}\">訳</span><span class=\"sxs-lookup\"><span data-stu-id=\"abcde-{n}\">Text</span></span>")
    };
    x_copy(tree).replace("`setup` を実行します。", &format!("{} {}", span(first), span(last)))
}

#[test]
fn a_segment_gap_of_any_width_is_one_range() {
    // One gap per missing number made `-0` … `-4294967295` abort on
    // allocation; a gap is now its two neighbours, whatever its width.
    for last in [2, 1_000, 1_000_000, u32::MAX] {
        let tree = tree();
        tree.write("ja-jp/x.md", two_segments(&tree, 0, last));
        let missing = if last == 2 { "segment 1".to_string() } else { format!("segments 1–{}", last - 1) };
        let run = lint(&tree);
        assert_eq!(run.code, 1, "{run:?}");
        let gaps: Vec<&str> = run.stdout.lines().filter(|line| line.contains("[segment-gap]")).collect();
        assert_eq!(gaps.len(), 1, "{run:?}");
        assert!(gaps[0].ends_with(&format!("info[segment-gap] {missing} missing between 0 and {last}")), "{}", gaps[0]);
    }
}

/// Findings per rule in `ja-jp/x.md`, and the summary lines' messages.
fn findings_in_x(run: &Run) -> (std::collections::BTreeMap<String, usize>, Vec<String>) {
    let mut per_rule = std::collections::BTreeMap::new();
    let mut summaries = Vec::new();
    for line in run.stdout.lines().filter(|line| line.starts_with("ja-jp/x.md:")) {
        let rule = line.split('[').nth(1).and_then(|rest| rest.split(']').next()).unwrap_or("").to_string();
        if line.contains("findings in this file, not shown") {
            summaries.push(line.split("] ").nth(1).unwrap_or("").to_string());
        }
        *per_rule.entry(rule).or_insert(0) += 1;
    }
    (per_rule, summaries)
}

#[test]
fn findings_are_capped_per_rule_and_file_with_one_summary() {
    // A copy of one broken in-page link repeated: 3.8 million findings at
    // 15 MB before the cap. Same shape, growing sizes: the count of findings
    // stops at the cap plus one summary that counts the rest.
    for (links, config, cap) in [(40, "", 100), (150, "", 100), (20_000, "", 100), (150, "max-findings = 7\n", 7)] {
        let tree = tree();
        if !config.is_empty() {
            tree.write("loclint.toml", config);
        }
        let body = "[x](#no-such-heading) ".repeat(links);
        tree.write("ja-jp/x.md", x_copy(&tree).replace("`setup` を実行します。", &body));
        let run = lint(&tree);
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert!(run.stdout.lines().any(|line| line == planted()), "the planted finding is missing");
        let (per_rule, summaries) = findings_in_x(&run);
        assert_eq!(per_rule.get("fragment-broken"), Some(&(links.min(cap) + usize::from(links > cap))), "{per_rule:?}");
        assert!(per_rule.values().all(|&count| count <= cap + 1), "{per_rule:?}");
        if links > cap {
            let expected = format!(
                "{} more `fragment-broken` findings in this file, not shown: at most {cap} are reported per rule and file",
                links - cap
            );
            assert!(summaries.contains(&expected), "{summaries:?}");
        } else {
            assert!(summaries.is_empty(), "{summaries:?}");
        }
    }
}

#[cfg(unix)]
#[test]
fn workflow_commands_in_values_and_file_names_stay_inside_their_line() {
    // A front matter value and a file name with line breaks, carriage
    // returns and terminal escapes, each followed by a workflow command.
    for repeats in [1, 40] {
        let tree = tree();
        let injection = "\\n::error file=README.md,line=1::pwned\\r::warning::again\\u001b[2J".repeat(repeats);
        let copy = x_copy(&tree).replace("ms.contentlocale: ja-JP", &format!("ms.contentlocale: \"ja-JP{injection}\""));
        tree.write("ja-jp/x.md", copy);
        let name = "n\n::error::name\r::warning::x\u{1b}[2J.md".repeat(repeats.min(3));
        tree.write(&format!("ja-jp/{name}"), "# orphan\n");
        for format in ["concise", "human", "github", "junit"] {
            let run = common::run(tree.loclint().args(["lint", "--color", "never", "--format", format]));
            assert_eq!(run.code, 1, "{format}: {}", run.stderr);
            let lines: Vec<&str> = run.stdout.split(['\n', '\r']).collect();
            assert!(!run.stdout.contains('\u{1b}'), "{format}: a raw escape character was printed");
            if format == "github" {
                // One annotation per finding, each on its own line.
                let annotations = lines.iter().filter(|line| line.starts_with("::")).count();
                assert_eq!(
                    annotations,
                    lines.iter().filter(|line| !line.is_empty()).count(),
                    "{format}:\n{}",
                    run.stdout
                );
            } else {
                assert!(lines.iter().all(|line| !line.trim_start().starts_with("::")), "{format}:\n{}", run.stdout);
            }
            assert!(
                run.stdout.contains("pwned") && run.stdout.contains("name"),
                "{format}: the values are still shown"
            );
        }
    }
}

/// What loclint prints on stderr (run notes, run failures) quotes paths from
/// the command line and the tree too: a CI job that passes a pull request's
/// changed files (`loclint lint $(git diff --name-only …)`) hands loclint
/// names the pull request chose.
#[cfg(unix)]
#[test]
fn notes_and_run_failures_on_stderr_stay_inside_their_line() {
    let assert_contained = |run: &Run, what: &str| {
        assert!(!run.stderr.contains('\u{1b}'), "{what}: a raw escape character was printed:\n{}", run.stderr);
        let lines: Vec<&str> = run.stderr.split(['\n', '\r']).collect();
        assert!(lines.iter().all(|line| !line.trim_start().starts_with("::")), "{what}:\n{}", run.stderr);
        assert!(run.stderr.contains("pwned"), "{what}: the name is still shown:\n{}", run.stderr);
    };
    for repeats in [1, 3] {
        let tree = tree();
        let name = "n\n::error file=README.md,line=1::pwned\r::warning::x\u{1b}[2J".repeat(repeats) + ".md";
        // A file that belongs to no article: a run note names it.
        tree.write(&name, "# not in a locale folder\n");
        let run = tree.lint(&[&name]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(run.stderr.contains("belongs to no article"), "{}", run.stderr);
        assert_contained(&run, "note");
        // A path outside the root: a run failure names it.
        let outside = format!("../{name}");
        let run = tree.lint(&[&outside]);
        assert_eq!(run.code, 2, "{}", run.stderr);
        assert_contained(&run, "failure");
    }
}

/// `--fix` rewrites the value on a fixed line and nothing else of it: a
/// trailing YAML comment stays.
#[test]
fn fix_keeps_a_trailing_comment_on_the_fixed_line() {
    let tree = tree();
    let wrong = format!("ms.assetid: {OTHER_ID} # id from the vendor's template");
    tree.write("ja-jp/x.md", x_copy(&tree).replace(&format!("ms.assetid: {}", asset_id("x")), &wrong));
    assert!(String::from_utf8(tree.read("ja-jp/x.md")).unwrap().contains(&wrong), "the planted line");
    let run = tree.lint(&["--fix"]);
    // Both wrong ids (x's and the planted one in ja-jp/b.md) are fixed,
    // and said so with the summary.
    assert_eq!(
        (run.code, run.out().as_str(), run.stderr.as_str()),
        (0, "Fixed 2 findings in 2 files\nNo problems found in 7 files (3 articles) in [time]\n", "")
    );
    let fixed = String::from_utf8(tree.read("ja-jp/x.md")).unwrap();
    let line = fixed.lines().find(|line| line.starts_with("ms.assetid:")).unwrap_or_default();
    assert_eq!(line, format!("ms.assetid: {} # id from the vendor's template", asset_id("x")));
}

/// `count` articles whose ja-jp copies have a wrong asset id (a safe fix),
/// planned for `--fix`.
fn planned_fixes(count: usize) -> (Tree, Vec<loclint::fix::FixedFile>) {
    let tree = Tree::new();
    for index in 0..count {
        tree.article(&format!("f{index}.md"), &["ja-jp"]);
        let copy =
            tree.copy_of(&format!("en-us/f{index}.md"), "ja-JP").replace(&asset_id(&format!("f{index}")), OTHER_ID);
        tree.write(&format!("ja-jp/f{index}.md"), copy);
    }
    let report = common::lint(&[tree.root()], loclint::Request::default());
    let planned = loclint::fix::plan(&tree.root(), &report.diagnostics);
    assert_eq!(planned.len(), count);
    (tree, planned)
}

#[test]
fn fix_leaves_a_file_edited_during_the_run_alone() {
    use loclint::fix::Outcome;
    // Every third file is appended to after the fixes were planned, as an
    // editor or a second run would; all of them were overwritten before.
    for count in [1, 12, 90] {
        let (tree, planned) = planned_fixes(count);
        let edited: Vec<bool> = (0..count).map(|index| index % 3 == 0).collect();
        for (file, &edit) in planned.iter().zip(&edited) {
            if edit {
                let mut text = std::fs::read_to_string(&file.path).unwrap();
                text.push_str("\nA concurrent edit.\n");
                std::fs::write(&file.path, text).unwrap();
            }
        }
        let outcomes = loclint::fix::apply(&planned);
        for ((file, &edit), outcome) in planned.iter().zip(&edited).zip(&outcomes) {
            let text = std::fs::read_to_string(&file.path).unwrap();
            if edit {
                assert_eq!(*outcome, Outcome::Changed, "{}", file.display);
                assert!(text.ends_with("A concurrent edit.\n") && text.contains(OTHER_ID), "{}", file.display);
            } else {
                assert_eq!(*outcome, Outcome::Written, "{}", file.display);
                assert_eq!(text, file.after);
            }
        }
        assert!(tree.root().read_dir().unwrap().all(|entry| !entry
            .unwrap()
            .file_name()
            .to_string_lossy()
            .ends_with(".tmp")));
    }
}

#[test]
fn fix_reports_a_file_it_cannot_write_and_writes_the_others() {
    use loclint::fix::Outcome;
    for count in [2, 10, 40] {
        let (_tree, planned) = planned_fixes(count);
        // The first file cannot be replaced: a folder now stands in its place
        // (an unwritable folder does not stop root, which runs these tests).
        std::fs::remove_file(&planned[0].path).unwrap();
        std::fs::create_dir(&planned[0].path).unwrap();
        std::fs::write(planned[0].path.join("keep"), "").unwrap();
        let outcomes = loclint::fix::apply(&planned);
        assert!(matches!(&outcomes[0], Outcome::Changed | Outcome::Failed(_)), "{:?}", outcomes[0]);
        if let Outcome::Failed(message) = &outcomes[0] {
            assert!(message.starts_with("cannot write "), "{message}");
        }
        assert!(planned[0].path.join("keep").exists());
        for (file, outcome) in planned.iter().zip(&outcomes).skip(1) {
            assert_eq!(*outcome, Outcome::Written, "{}", file.display);
            assert_eq!(std::fs::read_to_string(&file.path).unwrap(), file.after);
        }
    }
}

#[cfg(unix)]
#[test]
fn fix_write_failures_say_write_and_the_run_carries_on() {
    use std::os::unix::fs::PermissionsExt;
    let tree = Tree::new();
    for locale in ["ja-jp", "ko-kr"] {
        tree.article("a.md", &[locale]);
        tree.write(
            &format!("{locale}/a.md"),
            tree.copy_of("en-us/a.md", &common::display_tag(locale)).replace(&asset_id("a"), OTHER_ID),
        );
    }
    let folder = tree.root().join("ja-jp");
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o555)).unwrap();
    let blocked = std::fs::File::create(folder.join("probe")).is_err();
    let run = common::run(tree.loclint().args(["lint", "--format", "concise", "--fix"]));
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o755)).unwrap();
    if !blocked {
        eprintln!("note: running as root, where mode 555 does not block writes; not checking the failure");
        return;
    }
    assert!(run.stderr.contains("error: cannot write ") && run.stderr.contains("ja-jp/a.md"), "{}", run.stderr);
    assert!(!run.stderr.contains("cannot read"), "{}", run.stderr);
    assert!(run.stderr.contains("fixed 1 finding in 1 file"), "{}", run.stderr);
    assert!(!String::from_utf8(tree.read("ko-kr/a.md")).unwrap().contains(OTHER_ID));
    assert_eq!(run.code, 1, "the unfixed finding remains");
}

#[cfg(unix)]
#[test]
fn files_are_opened_without_following_a_link_swapped_in_after_the_walk() {
    // The walk saw regular files; by the time a file is opened it may be a
    // link to a file outside the tree, or a FIFO that would block the open.
    let outside = tempfile::tempdir().unwrap();
    for size in [10, 100_000] {
        let secret = outside.path().join(format!("secret-{size}"));
        std::fs::write(&secret, "s".repeat(size)).unwrap();
        let tree = tree();
        let link = tree.root().join("ja-jp/x.md");
        std::os::unix::fs::symlink(&secret, &link).unwrap();
        let error = loclint::discover::open_no_follow(&link).unwrap_err();
        assert_eq!(error.to_string(), "is a symbolic link");
        assert!(loclint::discover::read_no_follow(&link).is_err());
        let fifo = tree.root().join("ja-jp/y.md");
        assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
        let error = loclint::discover::open_no_follow(&fifo).unwrap_err();
        assert_eq!(error.to_string(), "is not a regular file");
        assert_eq!(
            loclint::discover::read_no_follow(&tree.root().join("en-us/x.md")).unwrap(),
            tree.read("en-us/x.md")
        );
    }
}

#[cfg(unix)]
#[test]
fn new_reports_baselines_and_configs_get_the_usual_permissions() {
    use std::os::unix::fs::PermissionsExt;
    // They were 0600 whatever the umask: unreadable to the rest of a team.
    let tree = tree();
    tree.write("usual", "");
    let mode = |relative: &str| std::fs::metadata(tree.root().join(relative)).unwrap().permissions().mode() & 0o777;
    let usual = mode("usual");
    common::run(tree.loclint().args(["lint", "--format", "json", "--output", "report.json"]));
    common::run(tree.loclint().args(["lint", "--write-baseline", "baseline.json"]));
    common::run(tree.loclint().args(["init", "."]));
    for written in ["report.json", "baseline.json", "loclint.toml"] {
        assert!(tree.root().join(written).exists(), "{written} was not written");
        assert_eq!(mode(written), usual, "{written}");
    }
}

/// Findings of `rule` in `run`'s output for `path`, and whether one of them
/// is the summary of findings left out.
fn count_of(run: &Run, path: &str, rule: &str) -> (usize, bool) {
    let lines: Vec<&str> = run
        .stdout
        .lines()
        .filter(|line| line.starts_with(&format!("{path}:")) && line.contains(&format!("[{rule}]")))
        .collect();
    (lines.len(), lines.iter().any(|line| line.contains("findings in this file, not shown")))
}

/// What the cap leaves of `n` findings: all of them, or 100 and a summary.
fn capped(n: usize) -> (usize, bool) {
    if n > 100 {
        (101, true)
    } else {
        (n, false)
    }
}

#[test]
fn many_links_and_anchors_that_differ_are_compared_in_linear_time() {
    // Every link and anchor of the copy differs from the source's: each
    // extra link used to search the whole source, and each extra anchor to
    // be compared with every anchor of the source (8,000 took 23 s).
    for n in [3, 150, 8_000] {
        let tree = tree();
        let items = |prefix: &str| -> String {
            (0..n).map(|i| format!("[l](p-{prefix}-{i}.md) <a name=\"{prefix}-anchor-{i}\"></a>\n\n")).collect()
        };
        tree.write("en-us/x.md", format!("{}{}", common::source_md("x"), items("src")));
        let copy = tree.copy_of("en-us/x.md", "ja-JP");
        tree.write("ja-jp/x.md", format!("{copy}\n{}", items("copy")));
        let run = lint(&tree);
        assert_eq!(run.code, 1, "{}", run.stderr);
        // Each link's target changed into a lookalike: one finding per
        // link. Missing and extra: two findings per anchor.
        assert_eq!(count_of(&run, "ja-jp/x.md", "link-target-mismatch"), capped(n), "{n}");
        assert_eq!(count_of(&run, "ja-jp/x.md", "anchor-mismatch"), capped(2 * n), "{n}");
    }
}

#[test]
fn long_link_targets_are_not_compared_character_by_character() {
    // "did you mean" compares two targets in the product of their lengths:
    // four 20 KB targets took 6 s. Same shape, growing targets.
    for length in [10, 400, 20_000] {
        let tree = tree();
        let links = |letter: char| -> String {
            (0..4).map(|i| format!("[l{i}](https://x.test/{i}{})\n\n", letter.to_string().repeat(length))).collect()
        };
        tree.write("en-us/x.md", format!("{}{}", common::source_md("x"), links('a')));
        let copy = tree.copy_of("en-us/x.md", "ja-JP");
        tree.write("ja-jp/x.md", format!("{copy}\n{}", links('b')));
        let run = lint(&tree);
        assert_eq!(run.code, 1, "{}", run.stderr);
        // Each target of the copy stands where the source's was: one
        // changed target, one finding, lookalike or not.
        assert_eq!(count_of(&run, "ja-jp/x.md", "link-target-mismatch"), (4, false), "{length}");
    }
}

/// A segment of a copy whose lookup text is `text`.
fn segment(number: usize, text: &str) -> String {
    format!("<span data-ttu-id=\"abcde-{number}\">訳</span><span class=\"sxs-lookup\"><span data-stu-id=\"abcde-{number}\">{text}</span></span>\n\n")
}

#[test]
fn segment_stale_looks_up_many_segments_in_a_large_source_once() {
    // 20,000 segments searched one by one in a 2 MB source took 35 s.
    // The small size is searched directly, the others through the index.
    for (segments, filler) in [(5, 10), (500, 5_000), (5_000, 50_000)] {
        let tree = tree();
        let kept: String = (0..segments).map(|i| format!("Sentence number {i} is kept.\n\n")).collect();
        let source = format!("{}{kept}{}\n", common::source_md("x"), "Filler text. ".repeat(filler));
        tree.write("en-us/x.md", &source);
        // Translated from an older source: every other sentence has changed since.
        let body: String = (0..segments)
            .map(|i| {
                segment(
                    i + 101,
                    &if i % 2 == 0 {
                        format!("Sentence number {i} is kept.")
                    } else {
                        format!("Sentence {i} was removed.")
                    },
                )
            })
            .collect();
        let copy = tree.copy_of("en-us/x.md", "ja-JP").replace(&common::sha1_hex(source.as_bytes()), &"0".repeat(40));
        tree.write("ja-jp/x.md", format!("{copy}\n{body}"));
        // History off: one finding per outdated segment (without history
        // they would be one finding for the copy).
        let run = tree.lint(&["--no-history"]);
        assert!(run.code == 1, "{}", run.stderr);
        assert_eq!(count_of(&run, "ja-jp/x.md", "segment-stale"), capped(segments / 2), "{segments}");
    }
}

#[test]
fn long_applies_to_lists_are_compared_as_sets() {
    // 100,000 items took over 10 s, each looked up in the other list.
    for items in [3, 1_000, 100_000] {
        let tree = tree();
        let list = |prefix: &str| -> String { (0..items).map(|i| format!("- {prefix} product {i}\n")).collect() };
        tree.write("en-us/x.md", format!("{}\n**Applies to**\n\n{}\n", common::source_md("x"), list("Contoso")));
        let copy = tree.copy_of("en-us/x.md", "ja-JP");
        let sxs: String = (0..items)
            .map(|i| format!("- <span data-ttu-id=\"abcde-{}\">製品</span><span class=\"sxs-lookup\"><span data-stu-id=\"abcde-{}\">Fabrikam product {i}</span></span>\n", i + 200, i + 200))
            .collect();
        let label = "**<span data-ttu-id=\"abcde-199\">適用対象</span><span class=\"sxs-lookup\"><span data-stu-id=\"abcde-199\">Applies to</span></span>**";
        tree.write("ja-jp/x.md", format!("{copy}\n{label}\n\n{sxs}\n"));
        let run = lint(&tree);
        assert_eq!(run.code, 1, "{}", run.stderr);
        // Each item is not in the source, and each of the source's is missing.
        assert_eq!(count_of(&run, "ja-jp/x.md", "applies-to-mismatch"), capped(2 * items), "{items}");
    }
}

#[test]
fn many_open_brackets_in_front_matter_are_refused_before_parsing() {
    // 100,000 `[` took 10.5 s in the YAML parser.
    for brackets in [129, 10_000, 100_000] {
        let tree = tree();
        let copy = x_copy(&tree).replacen("---\n# ", &format!("tags: {}\n---\n# ", "[".repeat(brackets)), 1);
        tree.write("ja-jp/x.md", copy);
        let run = lint(&tree);
        assert_eq!(run.code, 1, "{}", run.stderr);
        let invalid: Vec<&str> = run.stdout.lines().filter(|line| line.contains("[frontmatter-invalid]")).collect();
        assert_eq!(invalid.len(), 1, "{brackets}: {}", run.stdout);
        assert!(
            invalid[0].ends_with("front matter is not valid YAML: brackets nest deeper than 128 levels"),
            "{}",
            invalid[0]
        );
    }
}

#[test]
fn an_include_glob_that_climbs_out_of_the_root_is_a_config_error() {
    for pattern in ["../docs/**/*.md", "a/../../b.md", ".."] {
        let tree = tree();
        tree.write("loclint.toml", format!("include = [\"{pattern}\"]\n"));
        let run = lint(&tree);
        assert_eq!(run.code, 2, "{pattern}: {run:?}");
        assert!(run.squashed_stderr().contains(&format!("invalidglob`{pattern}`ininclude:`..`cannotmatch")), "{run:?}");
    }
}
