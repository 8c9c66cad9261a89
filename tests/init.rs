//! `loclint init` writes a starter config that describes the tree.

use std::path::Path;

use assert_cmd::Command;

fn touch(root: &Path, relative: &str) {
    let path = root.join(relative);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, "# T\n").unwrap();
}

fn init(root: &Path, args: &[&str]) -> (i32, String) {
    let output = Command::cargo_bin("loclint").unwrap().current_dir(root).arg("init").args(args).output().unwrap();
    (output.status.code().unwrap_or(-1), String::from_utf8_lossy(&output.stderr).into_owned())
}

#[test]
fn locale_folders() {
    let dir = tempfile::tempdir().unwrap();
    for path in ["en-us/a.md", "ja-jp/a.md", "ko-KR/a.md"] {
        touch(dir.path(), path);
    }
    assert_eq!(init(dir.path(), &[]), (0, "wrote ./loclint.toml\n".to_string()));
    let config = std::fs::read_to_string(dir.path().join("loclint.toml")).unwrap();
    // It points at commands every loclint has, not at a README the user's
    // repository lacks.
    assert_eq!(
        config,
        "# loclint configuration, written by `loclint init`.\n\
         # `loclint lint --show-settings` prints what it resolves to, `loclint lint --show-files` what it lints;\n\
         # `loclint rules` lists the rules and `loclint explain RULE` documents one.\n\
         source = \"en-us\"\nlocales = [\"ja-jp\", \"ko-kr\"]\nprofile = \"microsoft-docs\"\ninclude = [\"**/*.md\"]\n\
         exclude = []\n\n[layout]\nkind = \"locale-folders\"\n\n[rules]\n# stale-hash = \"error\"\n\
         # missing-translation = \"warning\"\n"
    );
    // It is a valid config: lint runs with it.
    let lint =
        Command::cargo_bin("loclint").unwrap().current_dir(dir.path()).args(["lint", "--quiet"]).output().unwrap();
    assert_eq!(lint.status.code(), Some(0), "{}", String::from_utf8_lossy(&lint.stderr));
    assert_eq!(String::from_utf8_lossy(&lint.stderr), "");
}

#[test]
fn separate_roots_and_docusaurus() {
    let dir = tempfile::tempdir().unwrap();
    for path in ["docs/a.md", "docs.ja-jp/a.md", "docs.de-de/a.md"] {
        touch(dir.path(), path);
    }
    assert_eq!(init(dir.path(), &[]).0, 0);
    let config = std::fs::read_to_string(dir.path().join("loclint.toml")).unwrap();
    assert!(config.contains("locales = [\"de-de\", \"ja-jp\"]"), "{config}");
    assert!(config.contains("kind = \"roots\"\nsource-root = \"docs\"\n"), "{config}");

    let site = tempfile::tempdir().unwrap();
    for path in ["docs/intro.md", "i18n/ja/docusaurus-plugin-content-docs/current/intro.md"] {
        touch(site.path(), path);
    }
    assert_eq!(init(site.path(), &[]).0, 0);
    let config = std::fs::read_to_string(site.path().join("loclint.toml")).unwrap();
    assert!(config.contains("source = \"en\"\nlocales = [\"ja\"]\n"), "{config}");
    assert!(config.contains("copy = \"i18n/{locale}/docusaurus-plugin-content-docs/current/{path}\""), "{config}");
}

#[test]
fn refuses_to_overwrite_and_to_guess() {
    let dir = tempfile::tempdir().unwrap();
    touch(dir.path(), "en-us/a.md");
    std::fs::write(dir.path().join("loclint.toml"), "source = \"fr-fr\"\n").unwrap();
    let (code, stderr) = init(dir.path(), &[]);
    assert_eq!(code, 2);
    assert!(stderr.contains("./loclint.toml already exists") && stderr.contains("pass --force"), "{stderr}");
    assert_eq!(std::fs::read_to_string(dir.path().join("loclint.toml")).unwrap(), "source = \"fr-fr\"\n");
    assert_eq!(init(dir.path(), &["--force"]).0, 0);

    let empty = tempfile::tempdir().unwrap();
    touch(empty.path(), "notes/a.md");
    let (code, stderr) = init(empty.path(), &[]);
    assert_eq!(code, 2);
    assert!(stderr.contains("found no locale folders in ."), "{stderr}");
    assert!(!empty.path().join("loclint.toml").exists());
}
