//! Regression tests, each named after what broke. Inputs found by the
//! fuzzers (`fuzz/run`) and property tests (tests/properties.rs) go here
//! minimised and inline; a test of a bug not fixed yet is marked
//! `#[ignore = "bug: …"]` and loses the marker with the fix.

mod common;

use common::Tree;

/// A folder outside the lint root, beside the tree, reachable only through
/// a symbolic link inside the tree.
#[cfg(unix)]
struct Outside {
    dir: tempfile::TempDir,
}

#[cfg(unix)]
impl Outside {
    fn new() -> Outside {
        Outside { dir: tempfile::tempdir().expect("create a temporary folder") }
    }

    fn write(&self, relative: &str, text: &str) -> std::path::PathBuf {
        let path = self.dir.path().join(relative);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("create folders");
        std::fs::write(&path, text).expect("write a file outside the root");
        path
    }

    /// Links `tree`'s root-relative `link` to the folder `relative` here.
    fn link_from(&self, tree: &Tree, link: &str, relative: &str) {
        let target = self.dir.path().join(relative);
        let link = tree.root().join(link);
        std::fs::create_dir_all(link.parent().expect("a parent")).expect("create folders");
        std::os::unix::fs::symlink(target, link).expect("create a symbolic link");
    }
}

/// `fragment-broken` resolved `page.md#frag` through a symbolic link to a
/// folder outside the root, read that file, and printed its anchors ("did
/// you mean"): a read outside the root that leaks the outside file's
/// headings into the report. Found while writing SECURITY.md.
#[cfg(unix)]
#[test]
fn fragment_links_are_not_resolved_through_a_symlinked_folder() {
    let outside = Outside::new();
    outside.write("private/secret.md", "# Secret\n\n## Internal codename\n");
    let tree = Tree::new();
    tree.write("en-us/a.md", "# Article\n\nSee [it](private/secret.md#internal-codenam).\n");
    tree.write("ja-jp/a.md", "# 記事\n\n[それ](private/secret.md#internal-codenam)を参照。\n");
    outside.link_from(&tree, "ja-jp/private", "private");
    let run = tree.lint(&[]);
    assert!(
        !run.stdout.contains("internal-codename") && !run.stdout.contains("fragment-broken"),
        "the file outside the root was read:\n{}",
        run.stdout
    );
}

/// Linting one file (what pre-commit does) looked for the article's copies
/// at `<locale>/<same path>` and followed a symbolic link in the folders on
/// the way, reading a file outside the root. The whole-tree walk does not.
#[cfg(unix)]
#[test]
fn copies_of_a_single_file_are_not_read_through_a_symlinked_folder() {
    let outside = Outside::new();
    outside.write("guides/setup.md", "# OUTSIDE\n\n[x](outside.md)\n");
    let tree = Tree::new();
    tree.write("en-us/guides/setup.md", "# Setup\n");
    outside.link_from(&tree, "ja-jp/guides", "guides");
    let run = tree.lint(&["en-us/guides/setup.md"]);
    assert!(!run.stdout.contains("ja-jp/guides/setup.md:"), "a file outside the root was checked:\n{}", run.stdout);
}

/// Worse, `--fix` on one file rewrote the copy found through that link: a
/// write outside the root.
#[cfg(unix)]
#[test]
fn fix_never_writes_through_a_symlinked_folder() {
    let outside = Outside::new();
    let before = "---\nms.contentlocale: ko-KR\n---\n# Setup\n";
    let file = outside.write("guides/setup.md", before);
    let tree = Tree::new();
    tree.write("en-us/guides/setup.md", "# Setup\n");
    outside.link_from(&tree, "ja-jp/guides", "guides");
    tree.lint(&["--fix", "en-us/guides/setup.md"]);
    let after = std::fs::read_to_string(&file).expect("read the outside file");
    assert_eq!(after, before, "--fix changed a file outside the root");
}

/// A `roots` layout whose folder climbs out of the root (`../elsewhere`)
/// made a single-file run read and report files outside the root, while
/// the whole-tree walk ignored them.
#[test]
fn layout_roots_outside_the_root_are_not_read() {
    let tree = Tree::new();
    tree.write(
        "site/loclint.toml",
        "[layout]\nkind = \"roots\"\nroots = { en-us = \"docs\", ja-jp = \"../elsewhere\" }\n",
    );
    tree.write("site/docs/a.md", "# A\n");
    tree.write("elsewhere/a.md", "# OUTSIDE\n\n[x](outside.md)\n");
    let mut command = tree.loclint();
    command.current_dir(tree.root().join("site")).args([
        "lint",
        "--format",
        "concise",
        "--color",
        "never",
        "docs/a.md",
    ]);
    let run = common::run(&mut command);
    assert!(!run.stdout.contains("elsewhere"), "a file outside the root was checked:\n{}", run.stdout);
}

/// `LineIndex::position` at the very end of a non-ASCII text whose length
/// is a multiple of 4096 bytes (its character-count checkpoint size) looked
/// up a checkpoint past the last one, took 0 for it, and subtracted: a
/// panic ("attempt to subtract with overflow") in debug builds and a huge
/// column in release builds. Found by `fuzz/run document` (a 4,078-byte
/// fixture mutant that decoded to 4,096 bytes); minimised by hand to a
/// heading that ends the file.
#[test]
fn position_at_the_end_of_a_text_of_exactly_4096_bytes() {
    let mut bytes = "é\n# ".as_bytes().to_vec();
    bytes.resize(4096, b'a');
    let document = loclint::document::Document::parse(
        std::path::Path::new("ja-jp/a.md"),
        "ja-jp/a.md".into(),
        "ja-jp".into(),
        &bytes,
    );
    let heading = &document.facts.headings[0];
    assert_eq!(heading.span.end, 4096, "the heading ends the file");
    let end = document.file.position(heading.span.end);
    assert_eq!((end.line, end.column), (2, 4094), "the second line holds 4,093 bytes of ASCII");
}

/// The same bug through the binary: `--format json` panicked in a debug
/// build and printed `"end_column": 18446744073709551615` in a release
/// build for a copy of exactly 4,096 bytes whose last heading ends the file.
#[test]
fn json_end_column_of_a_finding_that_ends_a_4096_byte_copy() {
    let tree = Tree::new();
    tree.write("en-us/a.md", "# A\n");
    let mut copy = "é\n### ".as_bytes().to_vec();
    copy.resize(4096, b'a');
    tree.write("ja-jp/a.md", &copy);
    let mut command = tree.loclint();
    command.args(["lint", "--format", "json"]);
    let run = common::run(&mut command);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("a JSON report");
    let finding = &json["diagnostics"][0];
    assert_eq!(finding["rule"], "heading-structure-mismatch");
    assert_eq!((finding["end_line"].as_u64(), finding["end_column"].as_u64()), (Some(2), Some(4094)));
}

/// serde_yaml bounds alias *jumps* (100 × the number of events) and nesting
/// (128), which stops the classic "billion laughs", but not one anchor of n
/// items aliased n times: n² values for 5n bytes. A 30 KB copy took 14 s
/// and 3.7 GB in a release build; 120 KB would take minutes and tens of GB.
/// Found while writing SECURITY.md (resource limits).
#[test]
fn front_matter_with_a_wide_alias_fan_out_is_bounded() {
    // Same shape, three sizes: a small fan-out expands, larger ones are
    // refused by the expansion budget (which counts what aliases expand to,
    // not how many there are) before they cost time or memory.
    for (items, refused) in [(40, false), (6000, true), (60_000, true)] {
        let anchor = vec!["x"; items].join(",");
        let aliases = vec!["*a"; items].join(",");
        let tree = Tree::new();
        tree.write("en-us/a.md", "# A\n");
        tree.write("ja-jp/a.md", format!("---\na: &a [{anchor}]\nb: [{aliases}]\n---\n# A\n"));
        let mut command = tree.loclint();
        command.timeout(std::time::Duration::from_secs(20)).args([
            "lint",
            "--format",
            "concise",
            "--color",
            "never",
            "--select",
            "frontmatter-invalid",
        ]);
        let run = common::run(&mut command);
        let findings: Vec<&str> = run.stdout.lines().filter(|line| line.contains("[frontmatter-invalid]")).collect();
        if refused {
            assert_eq!(run.code, 1, "{}", run.stderr);
            assert_eq!(findings.len(), 1, "{}", run.stdout);
            assert!(findings[0].contains("front matter is not valid YAML: it expands to more than"), "{}", findings[0]);
        } else {
            assert_eq!((run.code, findings.len()), (0, 0), "{}", run.stdout);
        }
    }
}

/// pulldown-cmark hands over inline HTML that spans blockquote lines without
/// their `> ` markers; tag spans measured in that shorter text pointed
/// before the tag's real end, here into the middle of `あ`. Found by
/// `fuzz/run document` (a segment span in a quoted table cell).
#[test]
fn a_segment_tag_across_blockquote_lines_is_measured_in_the_file() {
    let text = "> a <span data-ttu-id=\"ab\n> cd\n> ああ\">x\n";
    let path = std::path::Path::new("ja-jp/a.md");
    let document = loclint::document::Document::parse(path, "ja-jp/a.md".into(), "ja-jp".into(), text.as_bytes());
    let spans = &document.facts.segments.unpaired;
    assert_eq!(spans.len(), 1, "{spans:?}");
    assert_eq!(&text[spans[0].tag_span.clone()], "<span data-ttu-id=\"ab\n> cd\n> ああ\">");
    assert_eq!(&text[spans[0].id_span.clone()], "ab\n> cd\n> ああ");
    assert_eq!(&text[spans[0].content.clone()], "x\n");
}

/// The visual column of byte `at` in `line`: CJK characters (the
/// fixture's kana, kanji and punctuation) take two columns on a terminal,
/// miette's frame characters one.
fn columns_before(line: &str, at: usize) -> usize {
    let wide = |c: char| ('\u{3000}'..='\u{9fff}').contains(&c) || ('\u{ff00}'..='\u{ffef}').contains(&c);
    line[..at].chars().map(|c| if wide(c) { 2 } else { 1 }).sum()
}

/// miette moves a label that starts inside another label of the same line
/// past that one's end: `markdown-broken` marks the whole broken table row,
/// and its "this `|` starts a new cell" was drawn at the end of the row, not
/// under the `|` (and so were the notes in the row). The enclosing label is
/// now shown as a point where it starts; the `|`'s mark must sit under the
/// `|`, counted in terminal columns after Japanese text.
#[test]
fn a_label_inside_a_marked_row_points_at_its_character_after_cjk_text() {
    let fixture = common::repo_path("fixtures/markdown-broken/bad-pipe-in-table-cell");
    let mut command = assert_cmd::Command::cargo_bin("loclint").expect("the loclint binary");
    command.current_dir(&fixture).args(["lint", "--format", "human", "--color", "never"]).env("COLUMNS", "400");
    let run = common::run(&mut command);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    let row = lines.iter().position(|line| line.starts_with(" 19 │ ")).unwrap_or_else(|| panic!("{}", run.stdout));
    let pipe = lines[row].find("転記者ロール |").expect("the row") + "転記者ロール ".len();
    let marks = lines[row + 1];
    let mark = marks.find('┬').unwrap_or_else(|| panic!("no mark under the row:\n{}", run.stdout));
    assert_eq!(columns_before(marks, mark), columns_before(lines[row], pipe), "\n{}", run.stdout);
    // The labels follow the marks from the right: the link's note, then the `|`'s.
    assert!(lines[row + 3].ends_with("╰── this `|` starts a new cell"), "{}", run.stdout);
    // The row's mark is a point at its start; the folded link note stands
    // under the link the dropped cell holds.
    assert!(marks.starts_with("    · ▲ "), "{marks}");
    let link = lines[row].find("posting-roles.md)」").expect("the link");
    let under_link = marks.char_indices().filter(|&(_, c)| c == '─').map(|(at, _)| at).next().expect("the link's mark");
    assert_eq!(columns_before(marks, under_link), columns_before(lines[row], link), "\n{}", run.stdout);
    assert!(run.stdout.contains("╰── renders differently from the source from here to the end of this block"));
    assert!(run.stdout.contains(
        "╰── hence link-target-mismatch: link target `posting-roles.md` of the source is not read as a link where \
         the copy writes it"
    ));
}
