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
        if !folder_locales.is_empty() {
            let source = source_of(&folder_locales);
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
        } else {
            return Err(Error::usage_with_help(
            format!("found no locale folders in {}", root.display()),
            "run `loclint init` in the folder that holds en-us/, ja-jp/, … (or docs/ and docs.ja-jp/, or a Docusaurus site)",
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
/// from German. Else the first folder, for the user to correct.
fn source_of(folder_locales: &BTreeSet<String>) -> String {
    ["en-us", "en"]
        .into_iter()
        .find(|tag| folder_locales.contains(*tag))
        .map(str::to_string)
        .or_else(|| folder_locales.iter().find(|tag| tag.starts_with("en-")).cloned())
        .or_else(|| folder_locales.first().cloned())
        .unwrap_or_default()
}
