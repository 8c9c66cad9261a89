//! `segment-untranslated`: a segment whose translation is its source text.

use super::{Emitter, Group, Rule, RuleGroup};
use crate::diagnostic::Severity;
use crate::document::text::plain_text;
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
    for copy in group.checked_copies() {
        if locale::language(&copy.locale) == source_language {
            continue;
        }
        for pair in &copy.facts.segments.pairs {
            // Comparing the raw halves first keeps this rule from parsing
            // every segment of every copy.
            let raw = copy.text()[pair.translated.content.clone()].trim();
            if raw != copy.text()[pair.lookup.content.clone()].trim() {
                continue;
            }
            let translated = plain_text(raw);
            if !reads_as_prose(&translated) || allowed.contains(&translated.to_lowercase()) {
                continue;
            }
            out.report(
                copy,
                pair.translated.content.clone(),
                format!("segment `{}` is not translated: \"{translated}\"", pair.translated.id),
            )
            .label("same as the source text")
            .help("translate it, or add the text to `allow` in [rules.segment-untranslated] if it must stay as is");
        }
    }
}

/// Product names ("Partner Center for Microsoft Cloud"), numbers and code
/// stay untranslated on purpose; sentences have several lower-case words.
fn reads_as_prose(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    let looks_like_code = words
        .iter()
        .any(|word| word.starts_with('-') || word.contains(['/', '\\', '=', '_', '{', '}', '(', ')', '<', '>', '$']));
    if looks_like_code {
        return false;
    }
    let lowercase_words = words
        .iter()
        .filter(|word| {
            word.chars().next().is_some_and(char::is_lowercase)
                && word.chars().all(|c| c.is_alphabetic() || c == '\'' || c == ',' || c == '.')
        })
        .count();
    words.len() >= 3 && lowercase_words >= 2
}

#[cfg(test)]
mod tests {
    #[test]
    fn prose_and_names() {
        assert!(super::reads_as_prose("Add a new customer"));
        assert!(!super::reads_as_prose("Partner Center for Microsoft Cloud Germany"));
        assert!(!super::reads_as_prose("Azure"));
        assert!(!super::reads_as_prose("dotnet build --configuration Release"));
    }
}
