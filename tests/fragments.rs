//! `fragment-broken` across files: a link into another article is decided
//! from the anchors of documents already parsed, later when its target has
//! not been parsed yet, or at once by parsing a target outside the run. All
//! three must give the same findings.

mod common;

use common::Tree;

/// `ja-jp/m.md` links into `a.md` (checked before it with one job) and
/// `z.md` (checked after it), each once to an anchor that exists and once
/// to one that does not.
fn tree() -> Tree {
    let tree = Tree::new();
    for name in ["a", "m", "z"] {
        tree.write(&format!("en-us/{name}.md"), format!("# Article {name}\n\n## Present {name}\n"));
    }
    tree.write("ja-jp/a.md", "# 記事 a\n\n## Present a\n");
    tree.write("ja-jp/z.md", "# 記事 z\n\n<a name=\"present-z\"></a>\n## 存在 z\n");
    tree.write(
        "ja-jp/m.md",
        concat!(
            "# 記事 m\n\n## Present m\n\n",
            "[a](a.md#present-a) と [a](a.md#absent-a)。\n",
            "[z](z.md#present-z) と [z](z.md#absent-z)。\n",
            "[m](#absent-m) と [m](m.md#absent-m)。\n",
        ),
    );
    tree
}

fn fragment_findings(run: &common::Run) -> Vec<&str> {
    run.stdout.lines().filter(|line| line.contains("fragment-broken")).collect()
}

const EXPECTED: [&str; 4] = [
    "ja-jp/m.md:5:27: error[fragment-broken] fragment `#absent-a` does not exist in `a.md`",
    "ja-jp/m.md:6:27: error[fragment-broken] fragment `#absent-z` does not exist in `z.md`",
    "ja-jp/m.md:7:5: error[fragment-broken] fragment `#absent-m` does not exist in this copy",
    "ja-jp/m.md:7:22: error[fragment-broken] fragment `#absent-m` does not exist in `m.md`",
];

#[test]
fn links_into_articles_checked_before_and_after_give_the_same_findings() {
    let tree = tree();
    // Broken links into other articles of the run come last (README,
    // "Output"), whichever article was checked first.
    let mut expected = EXPECTED[2..].to_vec();
    expected.extend(&EXPECTED[..2]);
    for jobs in ["1", "2", "8"] {
        let run = tree.lint(&["--jobs", jobs]);
        assert_eq!(fragment_findings(&run), expected, "--jobs {jobs}\n{}", run.stdout);
    }
}

#[test]
fn a_single_file_run_parses_the_targets_outside_it() {
    let tree = tree();
    let run = tree.lint(&["ja-jp/m.md"]);
    assert_eq!(fragment_findings(&run), EXPECTED, "{}", run.stdout);
}

#[test]
fn a_broken_link_found_after_every_group_is_shown_with_its_suggestion() {
    let tree = tree();
    tree.write("ja-jp/m.md", "# 記事 m\n\n[z](z.md#present-zz)\n");
    let run = run_json(&tree);
    assert!(run.contains("\"message\": \"fragment `#present-zz` does not exist in `z.md`\""), "{run}");
    assert!(run.contains("did you mean `present-z`?"), "{run}");
}

fn run_json(tree: &Tree) -> String {
    let output = tree.loclint().args(["lint", "--jobs", "1", "--format", "json"]).output().expect("run loclint");
    String::from_utf8(output.stdout).expect("UTF-8")
}

#[test]
fn a_link_broken_in_the_source_too_is_not_blamed_on_the_copy() {
    let tree = tree();
    // The source has the copy's links to `#absent-a` (a target checked
    // before it) and `#absent-z` (checked after it), broken there as well.
    tree.write("en-us/m.md", "# Article m\n\n## Present m\n\n[a](a.md#absent-a) [z](z.md#absent-z) [m](#absent-m)\n");
    for jobs in ["1", "2"] {
        let run = tree.lint(&["--jobs", jobs]);
        assert_eq!(
            fragment_findings(&run),
            [EXPECTED[3]],
            "--jobs {jobs}: only m.md#absent-m, which the source does not link to, is the copy's\n{}",
            run.stdout
        );
    }
}
