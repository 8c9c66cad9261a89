//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod git;

use std::path::{Path, PathBuf};

use loclint::{Report, Request, Settings};

pub fn repo_path(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

/// Lints `paths` with `request`'s other fields, without git history: the
/// fixtures live inside loclint's own repository, whose history is not
/// theirs (tests/history.rs builds repositories of its own).
pub fn lint(paths: &[PathBuf], mut request: Request) -> Report {
    request.paths = paths.to_vec();
    request.no_history = true;
    let settings = Settings::resolve(&request).unwrap_or_else(|error| panic!("settings for {paths:?}: {error}"));
    loclint::lint(&settings).unwrap_or_else(|error| panic!("lint of {paths:?}: {error}"))
}

/// One colourless line per finding: `path:line:col rule: message`.
pub fn concise(report: &Report) -> String {
    report
        .diagnostics
        .iter()
        .map(|diagnostic| {
            let start = diagnostic.start();
            format!("{}:{}:{} {}: {}\n", diagnostic.path, start.line, start.column, diagnostic.rule, diagnostic.message)
        })
        .collect()
}

// ---------------------------------------------------------------------------
// Temporary docs trees and runs of the `loclint` binary (tests/cli.rs,
// tests/bad_input.rs).

/// A docs tree in a temporary folder, removed when dropped.
pub struct Tree {
    dir: tempfile::TempDir,
}

impl Tree {
    pub fn new() -> Tree {
        Tree { dir: tempfile::tempdir().expect("create a temporary folder") }
    }

    /// The tree's root folder (canonical, so it matches what loclint prints).
    pub fn root(&self) -> PathBuf {
        self.dir.path().canonicalize().expect("canonical temporary folder")
    }

    /// Writes `bytes` to the root-relative path, creating its folders.
    pub fn write(&self, relative: &str, bytes: impl AsRef<[u8]>) -> &Tree {
        let path = self.root().join(relative);
        std::fs::create_dir_all(path.parent().expect("a file has a parent folder")).expect("create folders");
        std::fs::write(&path, bytes).unwrap_or_else(|error| panic!("write {}: {error}", path.display()));
        self
    }

    pub fn read(&self, relative: &str) -> Vec<u8> {
        std::fs::read(self.root().join(relative)).unwrap_or_else(|error| panic!("read {relative}: {error}"))
    }

    /// A clean article in the default layout: `en-us/<path>` and a copy in
    /// each of `locales` (lower-case folder names such as `ja-jp`).
    pub fn article(&self, path: &str, locales: &[&str]) -> &Tree {
        let copies: Vec<(String, String)> =
            locales.iter().map(|locale| (format!("{locale}/{path}"), display_tag(locale))).collect();
        let copies: Vec<(&str, &str)> = copies.iter().map(|(path, tag)| (path.as_str(), tag.as_str())).collect();
        self.article_at(&format!("en-us/{path}"), &copies)
    }

    /// A clean article in any layout: the source at `source` and each copy at
    /// its path with its `ms.contentlocale` tag.
    pub fn article_at(&self, source: &str, copies: &[(&str, &str)]) -> &Tree {
        let name = article_name(source);
        self.write(source, source_md(&name));
        for (path, tag) in copies {
            self.write(path, self.copy_of(source, tag));
        }
        self
    }

    /// A clean copy of the source at `source` (as it is on disk now) for
    /// locale `tag`; tests plant defects in it with `str::replace`.
    pub fn copy_of(&self, source: &str, tag: &str) -> String {
        copy_md(&article_name(source), &self.read(source), tag)
    }

    /// `loclint` with the tree's root as working folder, no `NO_COLOR`, and
    /// a time limit so that a hang fails the test instead of blocking it.
    /// The limit is for hangs and blow-ups, not speed: the unoptimized
    /// binary took 50-65 s for the 100,000-item inputs of tests/bad_input.rs
    /// on a loaded 2-core machine.
    pub fn loclint(&self) -> assert_cmd::Command {
        let mut command = assert_cmd::Command::cargo_bin("loclint").expect("the loclint binary");
        command.current_dir(self.root()).env_remove("NO_COLOR").timeout(std::time::Duration::from_secs(300));
        command
    }

    /// `loclint lint --format concise --color never ARGS` in the root.
    pub fn lint(&self, args: &[&str]) -> Run {
        run(self.loclint().args(["lint", "--format", "concise", "--color", "never"]).args(args))
    }
}

impl Default for Tree {
    fn default() -> Self {
        Tree::new()
    }
}

/// What a run of the binary did.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// stdout with the run time of the summary line replaced by `[time]`.
    pub fn out(&self) -> String {
        mask_time(&self.stdout)
    }

    /// stderr with whitespace and miette's frame characters removed, so that
    /// a message wrapped at any width can be searched for.
    pub fn squashed_stderr(&self) -> String {
        squash(&self.stderr)
    }
}

/// Runs `command` and checks it neither panicked nor was killed.
pub fn run(command: &mut assert_cmd::Command) -> Run {
    let output = command.output().expect("run loclint");
    let stdout = String::from_utf8(output.stdout).expect("stdout is UTF-8");
    let stderr = String::from_utf8(output.stderr).expect("stderr is UTF-8");
    let Some(code) = output.status.code() else {
        panic!("loclint was killed or timed out ({:?})\nstdout:\n{stdout}\nstderr:\n{stderr}", output.status);
    };
    assert!(
        code != 101 && !stderr.contains("panicked"),
        "loclint panicked (exit code {code})\nstdout:\n{stdout}\nstderr:\n{stderr}"
    );
    Run { code, stdout, stderr }
}

/// `… in 0.01s` → `… in [time]`.
pub fn mask_time(text: &str) -> String {
    let time = regex::Regex::new(r"(?m) in \d+\.\d+s$").expect("valid regex");
    time.replace_all(text, " in [time]").into_owned()
}

/// Drops whitespace and miette's frame characters.
pub fn squash(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace() && !matches!(c, '│' | '×')).collect()
}

/// Lower-case hex SHA-1 of `bytes`, as `sha1sum` prints it.
pub fn sha1_hex(bytes: &[u8]) -> String {
    sha1_smol::Sha1::from(bytes).digest().to_string()
}

/// A GUID derived from the article's name, so every article has its own.
pub fn asset_id(name: &str) -> String {
    let hex = sha1_hex(name.as_bytes());
    format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32])
}

/// `ja-jp` → `ja-JP`, the way `ms.contentlocale` writes tags.
pub fn display_tag(locale: &str) -> String {
    match locale.split_once('-') {
        Some((language, region)) => format!("{language}-{}", region.to_ascii_uppercase()),
        None => locale.to_string(),
    }
}

fn article_name(source: &str) -> String {
    Path::new(source).file_stem().and_then(|stem| stem.to_str()).unwrap_or(source).to_string()
}

/// The source-locale article `name` (line numbers matter to the tests):
/// a link to `guide.md` on line 7, headings on lines 5 and 9.
pub fn source_md(name: &str) -> String {
    format!(
        "---\ntitle: Article {name}\nms.assetid: {}\n---\n# Article {name}\n\nSee [the guide](guide.md).\n\n## Setup\n\nRun `setup`.\n",
        asset_id(name)
    )
}

/// A clean copy of `source` (the source's raw bytes) in locale `tag`, e.g.
/// `ja-JP`. Line 3 holds `ms.assetid` (value at column 13), line 4
/// `ms.openlocfilehash` (value at column 21), line 12 the link to `guide.md`
/// (at column 7).
pub fn copy_md(name: &str, source: &[u8], tag: &str) -> String {
    format!(
        concat!(
            "---\n",
            "title: 記事 {name}\n",
            "ms.assetid: {assetid}\n",
            "ms.openlocfilehash: {hash}\n",
            "ms.sourcegitcommit: 0123456789abcdef0123456789abcdef01234567\n",
            "ms.translationtype: HT\n",
            "ms.contentlocale: {tag}\n",
            "ms.lasthandoff: 01/02/2020\n",
            "---\n",
            "# 記事 {name}\n",
            "\n",
            "[ガイド](guide.md)を参照してください。\n",
            "\n",
            "## セットアップ\n",
            "\n",
            "`setup` を実行します。\n",
        ),
        name = name,
        assetid = asset_id(name),
        hash = sha1_hex(source),
        tag = tag,
    )
}
