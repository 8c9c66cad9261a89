//! `loclint init` writes a starter config that describes the tree.

use std::path::Path;

use assert_cmd::Command;

mod common;

fn touch(root: &Path, relative: &str) {
    let path = root.join(relative);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, "# T\n").unwrap();
}

fn write_file(root: &Path, relative: &str, text: &str) {
    let path = root.join(relative);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// The concise report of `loclint lint` in `root`, with its config.
fn lint_concise(root: &Path) -> String {
    let lint = Command::cargo_bin("loclint")
        .unwrap()
        .current_dir(root)
        .args(["lint", "--format", "concise", "--quiet"])
        .output()
        .unwrap();
    String::from_utf8_lossy(&lint.stdout).into_owned()
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
         source = \"en-us\"\nlocales = [\"ja-jp\", \"ko-kr\"]\nprofile = \"none\"\ninclude = [\"**/*.md\"]\n\
         exclude = []\n\n[layout]\nkind = \"locale-folders\"\n\n[rules]\n# stale-hash = \"error\"\n\
         # missing-translation = \"warning\"\n"
    );
    // It is a valid config: lint runs with it.
    let lint =
        Command::cargo_bin("loclint").unwrap().current_dir(dir.path()).args(["lint", "--quiet"]).output().unwrap();
    assert_eq!(lint.status.code(), Some(0), "{}", String::from_utf8_lossy(&lint.stderr));
    assert_eq!(String::from_utf8_lossy(&lint.stderr), "");
}

/// MkDocs sites keep each language under its two-letter code (FastAPI's
/// `docs/de/`, `docs/en/`, `docs/es/`): English is the source even when
/// another folder sorts first.
#[test]
fn the_source_is_english_even_when_another_locale_sorts_first() {
    let dir = tempfile::tempdir().unwrap();
    for path in ["de/docs/a.md", "en/docs/a.md", "en/docs/b.md", "es/docs/a.md", "zh-hant/docs/a.md"] {
        touch(dir.path(), path);
    }
    assert_eq!(init(dir.path(), &[]).0, 0);
    let config = std::fs::read_to_string(dir.path().join("loclint.toml")).unwrap();
    assert!(config.contains("source = \"en\"\nlocales = [\"de\", \"es\", \"zh-hant\"]\n"), "{config}");
}

/// Next.js sites (nodejs.org) mix `.md` and `.mdx` pages: the starter
/// config includes the MDX ones, which loclint reads as MDX.
#[test]
fn mdx_pages_are_included_in_the_config() {
    let dir = tempfile::tempdir().unwrap();
    for path in ["en/about/index.mdx", "en/blog/post.md", "ja/about/index.mdx", "ja/blog/post.md"] {
        touch(dir.path(), path);
    }
    assert_eq!(init(dir.path(), &[]).0, 0);
    let config = std::fs::read_to_string(dir.path().join("loclint.toml")).unwrap();
    assert!(config.contains("profile = \"none\"\ninclude = [\"**/*.md\", \"**/*.mdx\"]\n"), "{config}");
    // Without MDX pages, Markdown only.
    let dir = tempfile::tempdir().unwrap();
    for path in ["en/blog/post.md", "ja/blog/post.md"] {
        touch(dir.path(), path);
    }
    assert_eq!(init(dir.path(), &[]).0, 0);
    assert!(std::fs::read_to_string(dir.path().join("loclint.toml")).unwrap().contains("include = [\"**/*.md\"]\n"));
    // A site of MDX pages alone (Starlight) is sampled from them: no
    // Microsoft keys, so not Microsoft's profile.
    let dir = tempfile::tempdir().unwrap();
    for path in ["en/guides/routing.mdx", "fr/guides/routing.mdx"] {
        touch(dir.path(), path);
    }
    assert_eq!(init(dir.path(), &[]).0, 0);
    let config = std::fs::read_to_string(dir.path().join("loclint.toml")).unwrap();
    assert!(config.contains("profile = \"none\"\n"), "{config}");
}

/// Docsy sites (OpenTelemetry's) name the English commit a copy was
/// translated from as `default_lang_commit`: the starter config reads it,
/// so that copies are compared with that version of their source.
#[test]
fn docsy_s_source_commit_key_is_the_history_s() {
    let dir = tempfile::tempdir().unwrap();
    touch(dir.path(), "en/docs/a.md");
    let copy = dir.path().join("ja/docs/a.md");
    std::fs::create_dir_all(copy.parent().unwrap()).unwrap();
    std::fs::write(&copy, "---\ntitle: A\ndefault_lang_commit: 9d540b6\n---\n# T\n").unwrap();
    assert_eq!(init(dir.path(), &[]).0, 0);
    let config = std::fs::read_to_string(dir.path().join("loclint.toml")).unwrap();
    assert!(
        config
            .contains("kind = \"locale-folders\"\n\n[history]\nsource-commit-key = \"default_lang_commit\"\n\n[rules]"),
        "{config}"
    );
    let lint = Command::cargo_bin("loclint")
        .unwrap()
        .current_dir(dir.path())
        .args(["lint", "--show-settings"])
        .output()
        .unwrap();
    assert_eq!(lint.status.code(), Some(0), "{}", String::from_utf8_lossy(&lint.stderr));
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

#[test]
fn the_profile_is_the_one_whose_keys_the_copies_carry() {
    let profile_of = |copy_head: &str| -> String {
        let dir = tempfile::tempdir().unwrap();
        touch(dir.path(), "en-us/a.md");
        for path in ["ja-jp/a.md", "ja-jp/guide/b.md"] {
            let file = dir.path().join(path);
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(file, format!("---\ntitle: T\n{copy_head}---\n# T\n")).unwrap();
        }
        assert_eq!(init(dir.path(), &[]).0, 0);
        let config = std::fs::read_to_string(dir.path().join("loclint.toml")).unwrap();
        config.lines().find(|line| line.starts_with("profile = ")).unwrap_or_default().to_string()
    };
    assert_eq!(profile_of("ms.openlocfilehash: 0a1b\nms.sourcegitcommit: 2c3d\n"), "profile = \"microsoft-docs\"");
    assert_eq!(profile_of("source-git-commit: 2c3d\nworkflow-type: Human\n"), "profile = \"adobe\"");
    // Crowdin and hand-kept copies carry no handoff keys: with
    // microsoft-docs every copy's metadata would be "missing".
    assert_eq!(profile_of(""), "profile = \"none\"");

    // No copies yet: the default.
    let dir = tempfile::tempdir().unwrap();
    touch(dir.path(), "en-us/a.md");
    std::fs::create_dir_all(dir.path().join("ja-jp")).unwrap();
    assert_eq!(init(dir.path(), &[]).0, 0);
    let config = std::fs::read_to_string(dir.path().join("loclint.toml")).unwrap();
    assert!(config.contains("profile = \"microsoft-docs\"\n"), "{config}");
}

#[test]
fn a_translated_docusaurus_site_is_told_to_keep_heading_ids() {
    // A Crowdin-style copy: no handoff keys, an explicit heading id
    // translated along with its heading, and a heading whose anchor came
    // from its words.
    let site = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| write_file(site.path(), path, text);
    write(
        "docs/setup.md",
        "---\ntitle: Set up\n---\n# Set up the resolver\n\nSee [the arguments](#command-line) and [the ports](#open-ports).\n\n\
         ## Command-line arguments {#command-line}\n\nRun it with `--help`.\n\n## Open ports\n\nOpen port 53.\n",
    );
    write(
        "i18n/da/docusaurus-plugin-content-docs/current/setup.md",
        "---\ntitle: Opsætning\n---\n# Opsæt resolveren\n\nSe [argumenterne](#command-line) og [portene](#open-ports).\n\n\
         ## Kommandolinjeargumenter {#kommandolinje}\n\nKør det med `--help`.\n\n## Åbne porte\n\nÅbn port 53.\n",
    );
    assert_eq!(init(site.path(), &[]).0, 0);
    let output = Command::cargo_bin("loclint")
        .unwrap()
        .current_dir(site.path())
        .args(["lint", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", String::from_utf8_lossy(&output.stderr));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let findings: Vec<String> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| format!("{} {}:{} {} | {}", d["rule"], d["line"], d["column"], d["message"], d["help"]))
        .collect();
    assert_eq!(
        findings,
        [
            r#""fragment-broken" 6:19 "fragment `#command-line` does not exist in this copy" | "the source's heading has the id `{#command-line}`: keep it, untranslated, on the translated heading""#,
            r#""fragment-broken" 6:47 "fragment `#open-ports` does not exist in this copy" | "the source's heading \"Open ports\" gives this anchor from its words, which the translation changes: give it an id, `{#open-ports}`, which the pipeline keeps in every language (or add it to the translated heading)""#,
            r#""anchor-mismatch" 8:1 "anchor `command-line` of the source is missing" | "end the heading with `{#command-line}`, as the source does""#,
            r#""anchor-mismatch" 8:30 "anchor `kommandolinje` is not in the source" | "did you mean `command-line`?""#,
        ],
    );
}

/// A page with `blocks` Python samples, each a comment and a call; the
/// copy's comments are `comment`'s.
fn page_with_commented_samples(blocks: usize, comment: &str) -> String {
    let mut page = String::from("# Sampling\n");
    for block in 1..=blocks {
        page.push_str(&format!("\nStep {block}.\n\n```python\n# {comment} {block}\nsampler.record({block})\n```\n"));
    }
    page
}

/// OpenTelemetry's site translates the comments in its code samples: `init`
/// sees that the copies' blocks differ from the source's in their comments
/// alone, throughout, and allows it, so that the first lint does not call
/// each of those blocks a problem.
#[test]
fn a_project_that_translates_comments_in_code_is_configured_so() {
    let dir = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| write_file(dir.path(), path, text);
    write("en/sampling.md", &page_with_commented_samples(4, "Record the sample"));
    for (locale, comment) in
        [("es", "Registra la muestra"), ("fr", "Enregistre l'échantillon"), ("pt", "Registra a amostra")]
    {
        write(&format!("{locale}/sampling.md"), &page_with_commented_samples(4, comment));
    }
    let (code, message) = init(dir.path(), &[]);
    assert_eq!(
        (code, message.as_str()),
        (
            0,
            "wrote ./loclint.toml (12 code blocks of 3 copies differ from the source's only in their comments: \
             set `translated-comments = true` for code-block-mismatch)\n"
        )
    );
    let config = std::fs::read_to_string(dir.path().join("loclint.toml")).unwrap();
    assert!(
        config.ends_with(
            "\n[rules]\n# 12 code blocks of 3 copies differ from the source's only in their comments: \
             this project translates comments in code.\ncode-block-mismatch = { translated-comments = true }\n\
             # stale-hash = \"error\"\n# missing-translation = \"warning\"\n"
        ),
        "{config}"
    );
    let lint =
        Command::cargo_bin("loclint").unwrap().current_dir(dir.path()).args(["lint", "--quiet"]).output().unwrap();
    assert_eq!(lint.status.code(), Some(0), "{}", String::from_utf8_lossy(&lint.stderr));

    // One translator's comments are not the project's way: the default
    // stays, and lint reports them.
    write("fr/sampling.md", &page_with_commented_samples(4, "Record the sample"));
    write("pt/sampling.md", &page_with_commented_samples(4, "Record the sample"));
    assert_eq!(init(dir.path(), &["--force"]), (0, "wrote ./loclint.toml\n".to_string()));
    let config = std::fs::read_to_string(dir.path().join("loclint.toml")).unwrap();
    assert!(!config.contains("translated-comments"), "{config}");
    assert_eq!(lint_concise(dir.path()).lines().filter(|line| line.contains("comments differ")).count(), 4);
}

/// Where the copies' code itself differs more often than only their
/// comments do (a tree drifted from its source), comments are not taken for
/// a convention.
#[test]
fn changed_code_outweighs_translated_comments() {
    let dir = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| write_file(dir.path(), path, text);
    write("en/sampling.md", &page_with_commented_samples(4, "Record the sample"));
    for locale in ["de", "es", "fr", "it", "pt"] {
        let translated = page_with_commented_samples(4, "Kommentar");
        // Every copy's blocks 1 and 2 keep their comment but call another
        // method; 3 and 4 differ in the comment alone.
        let drifted = translated
            .replacen("# Kommentar 1", "# Record the sample 1", 1)
            .replacen("# Kommentar 2", "# Record the sample 2", 1)
            .replacen("sampler.record(1)", "sampler.add(1)", 1)
            .replacen("sampler.record(2)", "sampler.add(2)", 1);
        // Two blocks more whose code differs in each copy.
        write(&format!("{locale}/sampling.md"), &format!("{drifted}\n```python\nsampler.flush()\n```\n"));
    }
    assert_eq!(init(dir.path(), &[]), (0, "wrote ./loclint.toml\n".to_string()));
}

/// Starlight keeps the root locale's pages at the top of
/// `src/content/docs/` and each translation in its locale's folder, with no
/// `en/` folder: the source is the root's pages, not the first locale
/// folder.
#[test]
fn a_starlight_site_s_pages_at_the_root_are_the_source() {
    let dir = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| write_file(dir.path(), path, text);
    write("index.mdx", "---\ntitle: Home\n---\n\nStart with [routing](/guides/routing/).\n");
    write("guides/routing.mdx", "---\ntitle: Routing\n---\n\n## Pages\n\nEvery file is a page.\n");
    write("de/index.mdx", "---\ntitle: Start\n---\n\nBeginne mit dem [Routing](/de/guides/routing/).\n");
    write("de/guides/routing.mdx", "---\ntitle: Routing\n---\n\n## Seiten\n\nJede Datei ist eine Seite.\n");
    write(
        "ja/guides/routing.mdx",
        "---\ntitle: ルーティング\n---\n\n## ページ\n\n### ファイル\n\nすべてのファイルがページです。\n",
    );
    assert_eq!(init(dir.path(), &[]), (0, "wrote ./loclint.toml\n".to_string()));
    let config = std::fs::read_to_string(dir.path().join("loclint.toml")).unwrap();
    assert!(
        config.contains(
            "source = \"en\"\nlocales = [\"de\", \"ja\"]\nprofile = \"none\"\ninclude = [\"**/*.md\", \"**/*.mdx\"]\n\
             exclude = []\n\n# The source's pages are at the root, each translation in its locale's folder\n\
             # (Starlight's layout); set `source` if the root's pages are not in English.\n\
             [layout]\nkind = \"template\"\nsource = \"{path}\"\ncopy = \"{locale}/{path}\"\n"
        ),
        "{config}"
    );
    // Pages and copies pair up: the Japanese copy's extra heading is found
    // against the root's page, and the German copies are clean.
    assert_eq!(
        lint_concise(dir.path()),
        "ja/guides/routing.mdx:7:1: warning[heading-structure-mismatch] copy has 2 headings but the source has 1: \
         heading 2 is not in the source\n"
    );

    // Locale folders and a README beside them, but no page of the root's
    // own: the first folder stays the guess.
    let dir = tempfile::tempdir().unwrap();
    for path in ["README.md", "de/a.md", "fr/a.md"] {
        touch(dir.path(), path);
    }
    assert_eq!(init(dir.path(), &[]).0, 0);
    let config = std::fs::read_to_string(dir.path().join("loclint.toml")).unwrap();
    assert!(
        config.contains("source = \"de\"\nlocales = [\"fr\"]\n") && config.contains("kind = \"locale-folders\""),
        "{config}"
    );
}

/// Starlight's translators translate the text of the code samples (an
/// example's Markdown, a name in a config): `init` sees most copies'
/// samples differ and compares the blocks, not their lines.
#[test]
fn a_project_that_translates_its_samples_is_configured_so() {
    let dir = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| write_file(dir.path(), path, text);
    let page = |greeting: &str| {
        (1..=4)
            .map(|step| format!("Step {step}.\n\n```md\n# {greeting} {step}\n\nSee the guide.\n```\n\n"))
            .collect::<String>()
    };
    write("en/example.md", &page("Hello"));
    write("en/other.md", "No samples here.\n");
    for (locale, greeting) in [("de", "Hallo"), ("fr", "Bonjour"), ("it", "Ciao")] {
        write(&format!("{locale}/example.md"), &page(greeting).replace("See the guide.", "Voir le guide."));
        write(&format!("{locale}/other.md"), "Pas d'exemple.\n");
    }
    // Without history, samples that differ may be the source's change
    // since the handoff: no convention is read from them.
    assert_eq!(init(dir.path(), &[]), (0, "wrote ./loclint.toml\n".to_string()));
    // With it, each copy is compared with the source it was translated from.
    common::git::init(dir.path());
    common::git::commit_all(dir.path(), "2024-03-01");
    let (code, message) = init(dir.path(), &["--force"]);
    assert_eq!(
        (code, message.as_str()),
        (
            0,
            "wrote ./loclint.toml (12 code blocks of 3 of the 6 copies differ from the source's: \
             set `translated-code = true` for code-block-mismatch)\n"
        )
    );
    let config = std::fs::read_to_string(dir.path().join("loclint.toml")).unwrap();
    assert!(
        config.contains(
            "\n[rules]\n# 12 code blocks of 3 of the 6 copies differ from the source's: \
             this project translates the text of its code samples.\ncode-block-mismatch = { translated-code = true }\n"
        ),
        "{config}"
    );
    let lint =
        Command::cargo_bin("loclint").unwrap().current_dir(dir.path()).args(["lint", "--quiet"]).output().unwrap();
    assert_eq!(lint.status.code(), Some(0), "{}", String::from_utf8_lossy(&lint.stderr));

    // Two copies of six whose samples differ are not the project's way:
    // their old or changed samples stay findings.
    write("it/example.md", &page("Hello"));
    common::git::commit_all(dir.path(), "2024-03-02");
    assert_eq!(init(dir.path(), &["--force"]), (0, "wrote ./loclint.toml\n".to_string()));
    assert_eq!(lint_concise(dir.path()).lines().filter(|line| line.contains("code block differs")).count(), 8);
}

/// Hugo's translations by file name (and mkdocs-static-i18n's suffix mode)
/// keep `guide.fr.md` beside `guide.md`: a template layout pairs them.
#[test]
fn pages_translated_beside_their_source_get_a_suffix_template() {
    let dir = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| write_file(dir.path(), path, text);
    write("_index.md", "# Home\n\nRead the [guide](posts/guide/).\n");
    write("_index.fr.md", "# Accueil\n\nLisez le [guide](posts/guide/).\n");
    write("posts/guide.md", "# Guide\n\n## Install\n\nRun it.\n");
    write("posts/guide.fr.md", "# Guide\n\nLancez-le.\n");
    write("posts/guide.pt-br.md", "# Guia\n\n## Instalar\n\nExecute.\n");
    write("posts/notes.v1.md", "# Notes\n");
    assert_eq!(init(dir.path(), &[]), (0, "wrote ./loclint.toml\n".to_string()));
    let config = std::fs::read_to_string(dir.path().join("loclint.toml")).unwrap();
    assert!(
        config.contains(
            "source = \"en\"\nlocales = [\"fr\", \"pt-br\"]\nprofile = \"none\"\ninclude = [\"**/*.md\"]\nexclude = []\n\n\
             # Each translation beside its source, its locale before the extension\n\
             # (Hugo, mkdocs-static-i18n); set `source` if the pages without one are not in English.\n\
             [layout]\nkind = \"template\"\nsource = \"{dir}/{stem}.md\"\ncopy = \"{dir}/{stem}.{locale}.md\"\n"
        ),
        "{config}"
    );
    assert_eq!(
        lint_concise(dir.path()),
        "posts/guide.fr.md:3:1: warning[heading-structure-mismatch] copy has 1 heading but the source has 2: \
         the source's heading 2 (##) has no counterpart\n"
    );
}
