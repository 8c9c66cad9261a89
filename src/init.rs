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
    let (source, locales, layout) = if !folder_locales.is_empty() {
        let source = if folder_locales.contains("en-us") { "en-us".to_string() } else { first(&folder_locales) };
        (source, folder_locales, "[layout]\nkind = \"locale-folders\"\n".to_string())
    } else if let Some((stem, _)) = suffixed.first().filter(|(stem, _)| names.iter().any(|name| name == stem)) {
        let locales = suffixed.iter().filter(|(s, _)| s == stem).map(|(_, tag)| locale::normalize(tag)).collect();
        ("en-us".to_string(), locales, format!("[layout]\nkind = \"roots\"\nsource-root = \"{stem}\"\n"))
    } else if root.join("i18n").is_dir() && root.join("docs").is_dir() {
        let locales = std::fs::read_dir(root.join("i18n"))
            .map_err(|error| Error::io(root.join("i18n"), error))?
            .flatten()
            .filter_map(|entry| entry.file_name().to_str().map(str::to_string))
            .filter(|name| locale::is_locale_tag(name))
            .map(|name| locale::normalize(&name))
            .collect();
        let layout = "[layout]\nkind = \"template\"\nsource = \"docs/{path}\"\ncopy = \"i18n/{locale}/docusaurus-plugin-content-docs/current/{path}\"\n";
        ("en".to_string(), locales, layout.to_string())
    } else {
        return Err(Error::usage_with_help(
            format!("found no locale folders in {}", root.display()),
            "run `loclint init` in the folder that holds en-us/, ja-jp/, … (or docs/ and docs.ja-jp/, or a Docusaurus site)",
        ));
    };
    let copies: Vec<String> = locales.iter().filter(|tag| **tag != source).map(|tag| format!("\"{tag}\"")).collect();
    config.push_str(&format!("source = \"{source}\"\nlocales = [{}]\n", copies.join(", ")));
    config.push_str("profile = \"microsoft-docs\"\ninclude = [\"**/*.md\"]\nexclude = []\n\n");
    config.push_str(&layout);
    config.push_str("\n[rules]\n# stale-hash = \"error\"\n# missing-translation = \"warning\"\n");
    Ok(config)
}

fn first(set: &BTreeSet<String>) -> String {
    set.iter().next().cloned().unwrap_or_default()
}
