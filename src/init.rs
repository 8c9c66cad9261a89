//! `loclint init`: a starter `loclint.toml` detected from the tree.

use std::collections::BTreeSet;
use std::path::Path;

use crate::error::Error;
use crate::locale;

/// The layout found in `root` and the config text that describes it.
pub fn detect(root: &Path) -> Result<String, Error> {
    let names: Vec<String> = std::fs::read_dir(root)
        .map_err(|error| Error::io(root, error))?
        .flatten()
        .filter(|entry| entry.file_type().is_ok_and(|kind| kind.is_dir()))
        .filter_map(|entry| entry.file_name().to_str().map(str::to_string))
        .collect();
    // Pointers to what every loclint has, not to files the user's
    // repository lacks (the README is loclint's, not theirs).
    let mut config = String::from(
        "# loclint configuration, written by `loclint init`.\n\
         # `loclint lint --show-settings` prints what it resolves to, `loclint lint --show-files` what it lints;\n\
         # `loclint rules` lists the rules and `loclint explain RULE` documents one.\n",
    );
    let folder_locales: BTreeSet<String> =
        names.iter().filter(|name| locale::is_locale_tag(name)).map(|name| locale::normalize(name)).collect();
    let suffixed: Vec<(&str, &str)> =
        names.iter().filter_map(|name| name.split_once('.')).filter(|(_, tag)| locale::is_locale_tag(tag)).collect();
    // The folders that hold copies, looked at for the pipeline's keys.
    let (source, locales, layout, copy_folders): (String, BTreeSet<String>, String, Vec<std::path::PathBuf>) =
        if !folder_locales.is_empty() && source_of(&folder_locales).is_none() && has_pages_outside(root) {
            // Starlight's layout: the root locale's pages at the top, each
            // translation in its locale's folder. Its root is English far
            // more often than not, and no folder says otherwise.
            let copy_folders =
                names.iter().filter(|name| locale::is_locale_tag(name)).map(|name| root.join(name)).collect();
            let layout = "# The source's pages are at the root, each translation in its locale's folder\n\
                          # (Starlight's layout); set `source` if the root's pages are not in English.\n\
                          [layout]\nkind = \"template\"\nsource = \"{path}\"\ncopy = \"{locale}/{path}\"\n";
            ("en".to_string(), folder_locales, layout.to_string(), copy_folders)
        } else if !folder_locales.is_empty() {
            let source = source_of(&folder_locales).or_else(|| folder_locales.first().cloned()).unwrap_or_default();
            let copy_folders = names
                .iter()
                .filter(|name| locale::is_locale_tag(name) && locale::normalize(name) != source)
                .map(|name| root.join(name))
                .collect();
            (source, folder_locales, "[layout]\nkind = \"locale-folders\"\n".to_string(), copy_folders)
        } else if let Some((stem, _)) = suffixed.first().filter(|(stem, _)| names.iter().any(|name| name == stem)) {
            let locales = suffixed.iter().filter(|(s, _)| s == stem).map(|(_, tag)| locale::normalize(tag)).collect();
            let copy_folders = suffixed
                .iter()
                .filter(|(s, _)| s == stem)
                .map(|(stem, tag)| root.join(format!("{stem}.{tag}")))
                .collect();
            let layout = format!("[layout]\nkind = \"roots\"\nsource-root = \"{stem}\"\n");
            ("en-us".to_string(), locales, layout, copy_folders)
        } else if root.join("i18n").is_dir() && root.join("docs").is_dir() {
            let tags: Vec<String> = std::fs::read_dir(root.join("i18n"))
                .map_err(|error| Error::io(root.join("i18n"), error))?
                .flatten()
                .filter_map(|entry| entry.file_name().to_str().map(str::to_string))
                .filter(|name| locale::is_locale_tag(name))
                .collect();
            // A folder reached through a link is not read (SECURITY.md).
            let copy_folders = tags
                .iter()
                .map(|tag| format!("i18n/{tag}/docusaurus-plugin-content-docs/current"))
                .filter(|relative| crate::discover::free_of_links(root, relative))
                .map(|relative| root.join(relative))
                .collect();
            let locales = tags.iter().map(|tag| locale::normalize(tag)).collect();
            let layout = "[layout]\nkind = \"template\"\nsource = \"docs/{path}\"\ncopy = \"i18n/{locale}/docusaurus-plugin-content-docs/current/{path}\"\n";
            ("en".to_string(), locales, layout.to_string(), copy_folders)
        } else if let Some(suffixes) = Some(locale_suffixes(root)).filter(|suffixes| !suffixes.is_empty()) {
            // Hugo's translations by file name and mkdocs-static-i18n's
            // suffix mode: `guide.md` beside `guide.fr.md`.
            let layout = "# Each translation beside its source, its locale before the extension\n\
                          # (Hugo, mkdocs-static-i18n); set `source` if the pages without one are not in English.\n\
                          [layout]\nkind = \"template\"\nsource = \"{dir}/{stem}.md\"\ncopy = \"{dir}/{stem}.{locale}.md\"\n";
            ("en".to_string(), suffixes, layout.to_string(), vec![root.to_path_buf()])
        } else {
            return Err(Error::usage_with_help(
            format!("found no locale folders in {}", root.display()),
            "run `loclint init` in the folder that holds en-us/, ja-jp/, … (or docs/ and docs.ja-jp/, a Docusaurus \
             site, or pages beside their translations, `guide.md` and `guide.fr.md`)",
        ));
        };
    let copies: Vec<String> = locales.iter().filter(|tag| **tag != source).map(|tag| format!("\"{tag}\"")).collect();
    config.push_str(&format!("source = \"{source}\"\nlocales = [{}]\n", copies.join(", ")));
    let sample = sample_copies(&copy_folders);
    config.push_str(&format!("profile = \"{}\"\n", sample.profile()));
    if sample.mdx {
        // `.mdx` pages are read as MDX: a line that is one JSX tag is a blank
        // line, and there is no indented code.
        config.push_str("include = [\"**/*.md\", \"**/*.mdx\"]\nexclude = []\n\n");
    } else {
        config.push_str("include = [\"**/*.md\"]\nexclude = []\n\n");
    }
    config.push_str(&layout);
    if sample.default_lang_commit && sample.profile() == "none" {
        // Without it, every copy would be compared with today's source.
        config.push_str("\n[history]\nsource-commit-key = \"default_lang_commit\"\n");
    }
    config.push_str("\n[rules]\n# stale-hash = \"error\"\n# missing-translation = \"warning\"\n");
    Ok(config)
}

/// What `init` learns from a sample of the copies.
struct Sample {
    sampled: usize,
    microsoft: bool,
    adobe: bool,
    /// An `.mdx` page was seen among the folders opened.
    mdx: bool,
    /// The copies name the source commit they were translated from under
    /// Docsy's key (OpenTelemetry's site: `default_lang_commit`).
    default_lang_commit: bool,
}

impl Sample {
    /// The profile whose keys the copies carry: Microsoft's `ms.*` handoff
    /// keys, Adobe's `source-git-commit`, or none (Crowdin and hand-kept
    /// translations carry no handoff keys, and `microsoft-docs` would call
    /// every such copy's metadata missing). A tree without copies yet keeps
    /// the default.
    fn profile(&self) -> &'static str {
        match (self.sampled, self.microsoft, self.adobe) {
            (0, _, _) | (_, true, _) => "microsoft-docs",
            (_, false, true) => "adobe",
            (_, false, false) => "none",
        }
    }
}

/// Looks at the front matter of the first [`SAMPLED_COPIES`] Markdown files
/// found, without following symbolic links.
fn sample_copies(copy_folders: &[std::path::PathBuf]) -> Sample {
    let mut pending: Vec<std::path::PathBuf> = copy_folders.to_vec();
    let (mut sampled, mut visited) = (0, 0);
    let (mut microsoft, mut adobe, mut mdx, mut default_lang_commit) = (false, false, false, false);
    while let Some(folder) = pending.pop() {
        visited += 1;
        if sampled == SAMPLED_COPIES || visited > VISITED_FOLDERS {
            break;
        }
        let Ok(entries) = std::fs::read_dir(&folder) else { continue };
        let mut entries: Vec<_> = entries.flatten().collect();
        entries.sort_by_key(std::fs::DirEntry::file_name);
        for entry in entries {
            let Ok(kind) = entry.file_type() else { continue };
            let path = entry.path();
            mdx |= kind.is_file() && path.extension().is_some_and(|ext| ext == "mdx");
            if kind.is_dir() {
                pending.push(path);
            } else if kind.is_file()
                // MDX pages carry the same front matter: a site of MDX pages
                // alone is sampled too (its profile is not the default's).
                && path.extension().is_some_and(|ext| ext == "md" || ext == "mdx")
                && sampled < SAMPLED_COPIES
            {
                sampled += 1;
                if let Some((head, front)) = crate::corpus::read_front_matter(&path, 64 * 1024) {
                    let has = |key: &str| front.get(&head, key).is_some();
                    microsoft |= has("ms.openlocfilehash") || has("ms.sourcegitcommit");
                    adobe |= has("source-git-commit");
                    default_lang_commit |= has("default_lang_commit");
                }
            }
        }
    }
    Sample { sampled, microsoft, adobe, mdx, default_lang_commit }
}

/// Copies whose front matter `init` reads, and folders it opens to find them.
const SAMPLED_COPIES: usize = 32;
const VISITED_FOLDERS: usize = 256;

/// English when a folder has it (`en-us`, `en`, then another English
/// variant): docs are written in English first far more often than not,
/// and a tree whose folders are `de/`, `en/`, `es/` is not translated
/// from German. `None` without an English folder: the caller picks the
/// root's own pages, or the first folder for the user to correct.
fn source_of(folder_locales: &BTreeSet<String>) -> Option<String> {
    ["en-us", "en"]
        .into_iter()
        .find(|tag| folder_locales.contains(*tag))
        .map(str::to_string)
        .or_else(|| folder_locales.iter().find(|tag| tag.starts_with("en-")).cloned())
}

/// The locales of pages translated beside their source, `guide.fr.md`
/// next to `guide.md`, looked for a few levels down.
fn locale_suffixes(root: &Path) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    walk_folders(vec![(root.to_path_buf(), 0)], 4, |files| {
        let pages: BTreeSet<&str> = files.iter().filter_map(|name| name.strip_suffix(".md")).collect();
        for page in &pages {
            if let Some((stem, tag)) = page.rsplit_once('.') {
                if locale::is_locale_tag(tag) && pages.contains(stem) {
                    found.insert(locale::normalize(tag));
                }
            }
        }
        false
    });
    found
}

/// Whether `root` holds Markdown pages of its own beside its locale
/// folders: a page at its top other than the repository's README and the
/// like, or one in a folder that is not a locale's (looked for a few levels
/// down).
fn has_pages_outside(root: &Path) -> bool {
    let is_page = |name: &str| name.ends_with(".md") || name.ends_with(".mdx");
    let Ok(entries) = std::fs::read_dir(root) else { return false };
    let mut folders = Vec::new();
    for entry in entries.flatten() {
        let Ok(kind) = entry.file_type() else { continue };
        let name = entry.file_name().to_string_lossy().into_owned();
        if kind.is_file() && is_page(&name) && !crate::discover::is_repository_meta_file(&name) {
            return true;
        }
        if kind.is_dir() && !name.starts_with('.') && name != "node_modules" && !locale::is_locale_tag(&name) {
            folders.push((entry.path(), 1));
        }
    }
    walk_folders(folders, 3, |files| files.iter().any(|name| is_page(name)))
}

/// Walks the folders from `start` (each with its depth) down to `max_depth`
/// and through [`VISITED_FOLDERS`] at most, without following symbolic
/// links or entering hidden folders and `node_modules`; `visit` sees each
/// folder's file names and says whether the walk is done (its answer).
fn walk_folders(
    start: Vec<(std::path::PathBuf, usize)>,
    max_depth: usize,
    mut visit: impl FnMut(&[String]) -> bool,
) -> bool {
    let mut pending = start;
    let mut visited = 0;
    while let Some((folder, depth)) = pending.pop() {
        visited += 1;
        if visited > VISITED_FOLDERS {
            break;
        }
        let Ok(entries) = std::fs::read_dir(&folder) else { continue };
        let mut files = Vec::new();
        for entry in entries.flatten() {
            let Ok(kind) = entry.file_type() else { continue };
            let name = entry.file_name().to_string_lossy().into_owned();
            if kind.is_dir() && depth < max_depth && !name.starts_with('.') && name != "node_modules" {
                pending.push((entry.path(), depth + 1));
            } else if kind.is_file() {
                files.push(name);
            }
        }
        if visit(&files) {
            return true;
        }
    }
    false
}

/// A way of the project's that a rule's default would report, and the
/// config lines that allow it.
pub struct Convention {
    /// Lines for the `[rules]` table, a comment saying why first.
    pub rules_lines: String,
    /// What `init` tells the user it found.
    pub summary: String,
}

/// What the copies do on purpose that a rule's default would report, read
/// off a lint of the tree with the starter config at `config_path`: the
/// text of code samples translated as the prose is (Starlight's docs), or
/// only their comments (OpenTelemetry's and Kubernetes' sites), where each
/// such block would otherwise be a warning.
pub fn conventions(root: &Path, config_path: &Path) -> Result<Option<Convention>, Error> {
    let request = crate::Request {
        paths: vec![root.to_path_buf()],
        config: Some(config_path.to_path_buf()),
        select: vec!["code-block-mismatch".into()],
        ..Default::default()
    };
    let settings = crate::Settings::resolve(&request)?;
    let mut tally = CodeTally::default();
    crate::engine::lint_into(&settings, &mut tally)?;
    let (found, option, means) = if tally.translated_code() {
        (
            format!(
                "{} code blocks of {} of the {} copies differ from the source's",
                tally.code_differs,
                tally.copies_with_code_differs.len(),
                tally.copies
            ),
            "translated-code",
            "this project translates the text of its code samples",
        )
    } else if tally.translated_comments() {
        (
            format!(
                "{} code blocks of {} copies differ from the source's only in their comments",
                tally.only_comments,
                tally.copies_with_comments.len()
            ),
            "translated-comments",
            "this project translates comments in code",
        )
    } else {
        return Ok(None);
    };
    Ok(Some(Convention {
        rules_lines: format!("# {found}: {means}.\ncode-block-mismatch = {{ {option} = true }}\n"),
        summary: format!("{found}: set `{option} = true` for code-block-mismatch"),
    }))
}

/// What the code-block findings say, counted: blocks whose comments alone
/// differ from the source's, blocks whose code differs, the copies that
/// hold each, the rule's other findings (blocks missing or added, another
/// language) and the copies linted.
#[derive(Default)]
struct CodeTally {
    only_comments: usize,
    copies_with_comments: BTreeSet<String>,
    code_differs: usize,
    copies_with_code_differs: BTreeSet<String>,
    others: usize,
    copies: usize,
    /// The copies were compared with the source they were translated from:
    /// code that differs is the translators' doing, not the source's change
    /// since.
    history_read: bool,
}

impl CodeTally {
    /// Translated samples are the project's way when half of its copies or
    /// more have blocks whose code differs from the source's they were
    /// translated from (so git history must tell which), three or more
    /// such blocks each on average: that is what translators were asked to
    /// do (Starlight's docs: 58 % of the copies, 6.4 blocks each), not a
    /// slip or an old sample left in a stale copy (Tauri's docs: 46 %, 2.4).
    fn translated_code(&self) -> bool {
        let copies = self.copies_with_code_differs.len();
        self.history_read
            && self.code_differs >= CONVENTION_BLOCKS
            && copies >= CONVENTION_COPIES
            && copies * 2 >= self.copies
            && self.code_differs >= copies * 3
    }

    /// Translated comments are the project's way when many blocks in
    /// several copies differ only there, and they are at least as many as
    /// the rule's other findings: a translator who slipped once is not a
    /// convention, and a drifted tree's changed code is not one either.
    fn translated_comments(&self) -> bool {
        self.only_comments >= CONVENTION_BLOCKS
            && self.copies_with_comments.len() >= CONVENTION_COPIES
            && self.only_comments >= self.code_differs + self.others
    }
}

impl crate::Sink for CodeTally {
    fn group(&mut self, group: &crate::GroupReport<'_>) -> std::io::Result<()> {
        // The files are the source, then its copies.
        self.copies += group.files.len().saturating_sub(1);
        for finding in group.findings {
            if finding.location.as_ref().and_then(|location| location.label.as_deref())
                == Some(crate::rules::ONLY_COMMENTS_DIFFER)
            {
                self.only_comments += 1;
                self.copies_with_comments.insert(finding.path.clone());
            } else if finding.message.contains(crate::rules::CODE_DIFFERS) {
                self.code_differs += 1;
                self.copies_with_code_differs.insert(finding.path.clone());
            } else {
                self.others += 1;
            }
        }
        Ok(())
    }

    fn finish(&mut self, summary: &crate::Summary) -> std::io::Result<()> {
        self.history_read = summary.history_read;
        Ok(())
    }
}

/// At least this many blocks, in at least this many copies, that differ
/// alike make a convention.
const CONVENTION_BLOCKS: usize = 10;
const CONVENTION_COPIES: usize = 3;
