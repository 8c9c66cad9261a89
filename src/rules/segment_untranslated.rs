//! `segment-untranslated`: a segment whose translation is its source text.

use rustc_hash::FxHashMap as HashMap;

use super::{Emitter, Group, Rule, RuleGroup};
use crate::diagnostic::Severity;
use crate::document::segments::Segment;
use crate::document::text::plain_text;
use crate::document::Document;
use crate::locale;

pub static RULE: Rule = Rule {
    name: "segment-untranslated",
    group: RuleGroup::Segments,
    severity: Severity::Info,
    enabled_by_default: true,
    summary: "a segment's translated text is identical to its source text",
    options: &["allow"],
    doc: include_str!("../../rules/segment-untranslated.md"),
    check,
};

fn check(group: &Group<'_>, out: &mut Emitter<'_>) {
    let allowed: Vec<String> = out
        .options()
        .and_then(|options| options.get("allow"))
        .and_then(toml::Value::as_array)
        .map(|values| values.iter().filter_map(|v| v.as_str()).map(str::to_lowercase).collect())
        .unwrap_or_default();
    let source_language = locale::language(group.source_locale);
    let kept = kept_by_language(group, source_language);
    for copy in group.checked_copies() {
        let language = locale::language(&copy.locale);
        if language == source_language {
            continue;
        }
        for pair in &copy.facts.segments.pairs {
            let Some(raw) = untranslated(copy, pair) else {
                continue;
            };
            let translated = plain_text(raw);
            if allowed.contains(&translated.to_lowercase()) || kept_elsewhere(&kept, raw, language) {
                continue;
            }
            let in_table = in_table_row(copy.text(), pair.translated.content.start);
            if !reads_as_prose(&translated) || (in_table && !reads_as_sentence(&translated)) {
                continue;
            }
            out.report(
                copy,
                pair.translated.content.clone(),
                format!("segment `{}` is not translated: \"{translated}\"", pair.translated.id(copy.text())),
            )
            .label("same as the source text")
            .help("translate it, or add the text to `allow` in [rules.segment-untranslated] if it must stay as is");
        }
    }
}

/// The segment's text when its translation is its source text.
fn untranslated<'d>(copy: &'d Document, pair: &Segment) -> Option<&'d str> {
    // Comparing the raw halves first keeps this rule from parsing every
    // segment of every copy.
    let raw = copy.text()[pair.translated.content.clone()].trim();
    (raw == copy.text()[pair.lookup.content.clone()].trim()).then_some(raw)
}

/// For each untranslated segment text of the group, the languages whose
/// copies keep it as is.
fn kept_by_language<'a>(group: &Group<'a>, source_language: &str) -> HashMap<&'a str, Vec<&'a str>> {
    let mut kept: HashMap<&str, Vec<&str>> = HashMap::default();
    for copy in group.checked_copies() {
        let language = locale::language(&copy.locale);
        if language == source_language {
            continue;
        }
        for pair in &copy.facts.segments.pairs {
            if let Some(raw) = untranslated(copy, pair) {
                let languages = kept.entry(raw).or_default();
                if !languages.contains(&language) {
                    languages.push(language);
                }
            }
        }
    }
    kept
}

/// Translators of two or more other languages kept this text as is: a
/// deliberate literal (a product or plan name, a value), not an oversight.
fn kept_elsewhere(kept: &HashMap<&str, Vec<&str>>, raw: &str, language: &str) -> bool {
    kept.get(raw).is_some_and(|languages| languages.iter().filter(|other| **other != language).count() >= 2)
}

/// Whether the line holding `offset` is a table row: its cells hold values
/// (names, options, commands) more often than sentences.
fn in_table_row(text: &str, offset: usize) -> bool {
    let start = text[..offset].rfind('\n').map_or(0, |at| at + 1);
    let end = text[offset..].find('\n').map_or(text.len(), |at| offset + at);
    let line = text[start..end].trim();
    // Rows need no outer pipes: `name | type | required`.
    line.starts_with('|') || line.ends_with('|') || line.contains(" | ")
}

/// Product names ("Partner Center for Microsoft Cloud"), numbers and code
/// stay untranslated on purpose; sentences have several lower-case words.
fn reads_as_prose(text: &str) -> bool {
    if has_guid(text) {
        return false;
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    // A word of punctuation alone (`help or ?`) is an alias or an operator:
    // English prose never sets `?` apart.
    let looks_like_code = words.iter().any(|word| {
        word.starts_with('-')
            || word.contains(['/', '\\', '=', '_', '{', '}', '(', ')', '<', '>', '$'])
            || word.chars().all(|c| c.is_ascii_punctuation() && !matches!(c, '&' | '-'))
    });
    // A short text with a kebab-case word is a command or an option
    // (`nuget trusted-signers list`), not a phrase.
    let names_a_command = words.len() <= 4 && words.iter().any(|word| is_kebab_case(word));
    if looks_like_code || names_a_command || is_list_of_single_words(text) {
        return false;
    }
    let lowercase_words = words
        .iter()
        .filter(|word| {
            word.chars().next().is_some_and(char::is_lowercase)
                && word.chars().all(|c| c.is_alphabetic() || c == '\'' || c == ',' || c == '.')
        })
        .count();
    let capitalized_words = words.iter().filter(|word| word.chars().next().is_some_and(char::is_uppercase)).count();
    // "Dynamics 365 for Finance and Operations": a name's words are
    // capitalized but for a few joining words.
    let titled = capitalized_words > lowercase_words;
    words.len() >= 3 && lowercase_words >= 2 && !titled
}

/// A table cell reads as a sentence when it ends like one, or is long.
fn reads_as_sentence(text: &str) -> bool {
    text.trim_end().ends_with(['.', '!', ':']) || text.split_whitespace().count() >= 6
}

/// `config, help, install, list`: a list of values.
fn is_list_of_single_words(text: &str) -> bool {
    let items: Vec<&str> = text.split(',').map(str::trim).collect();
    items.len() >= 2 && items.iter().all(|item| !item.is_empty() && !item.contains(char::is_whitespace))
}

fn is_kebab_case(word: &str) -> bool {
    let parts: Vec<&str> = word.split('-').collect();
    parts.len() >= 2
        && parts
            .iter()
            .all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()))
}

/// Whether `text` holds a GUID (`8-4-4-4-12` hex digits): an id, never
/// translated.
fn has_guid(text: &str) -> bool {
    text.split(|c: char| !(c.is_ascii_hexdigit() || c == '-')).any(|token| {
        let groups: Vec<usize> = token.split('-').map(str::len).collect();
        groups == [8, 4, 4, 4, 12]
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn prose_and_names() {
        assert!(super::reads_as_prose("Add a new customer"));
        assert!(!super::reads_as_prose("Partner Center for Microsoft Cloud Germany"));
        assert!(!super::reads_as_prose("Azure"));
        assert!(!super::reads_as_prose("dotnet build --configuration Release"));
        assert!(!super::reads_as_prose("Dynamics 365 for Finance and Operations"));
        assert!(!super::reads_as_prose("nuget trusted-signers list"));
        assert!(!super::reads_as_prose("config, help, install, list, restore"));
        assert!(!super::reads_as_prose("the tenant id is 8f3c2a1e-4b5d-4c6e-9f7a-0b1c2d3e4f5a now"));
        assert!(super::reads_as_prose("Open the billing page and select the invoice"));
        assert!(!super::reads_as_prose("help or ?"));
    }

    #[test]
    fn table_rows() {
        let text = "Intro line\n| help or ? | All |\nafter";
        assert!(super::in_table_row(text, text.find("help").unwrap_or(0)));
        assert!(!super::in_table_row(text, 0));
        let bare = "name | type | notes\n--- | --- | ---\ntags | array of strings | optional";
        assert!(super::in_table_row(bare, bare.find("array").unwrap_or(0)));
        assert!(!super::reads_as_sentence("help or ?"));
        assert!(super::reads_as_sentence("Displays help for the command."));
    }
}
