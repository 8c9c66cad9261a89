//! Recognising the "Applies to" label in any locale.

use std::collections::BTreeMap;

use rustc_hash::FxHashSet as HashSet;
use std::sync::OnceLock;

use super::text::label_key;

/// The label table shipped as declarative rule data.
pub const LABELS_TOML: &str = include_str!("../../rules/applies-to-labels.toml");

/// True when `text` is the "Applies to" label in English or any language of
/// `rules/applies-to-labels.toml`.
pub fn is_applies_to_label(text: &str) -> bool {
    // Every paragraph is asked; labels are short, so most answer here
    // without allocating.
    if text.is_empty() || text.len() > 96 {
        return false;
    }
    let key = label_key(text);
    !key.is_empty() && labels().contains(&key)
}

fn labels() -> &'static HashSet<String> {
    static LABELS: OnceLock<HashSet<String>> = OnceLock::new();
    LABELS.get_or_init(|| {
        // The table is compiled in; `label_table_parses` below proves it parses.
        let table: BTreeMap<String, Vec<String>> = toml::from_str(LABELS_TOML).unwrap_or_default();
        table.values().flatten().map(|label| label_key(label)).collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_table_parses_and_covers_the_required_languages() {
        let table: BTreeMap<String, Vec<String>> = toml::from_str(LABELS_TOML).unwrap();
        for language in [
            "ja", "zh-hans", "zh-hant", "ko", "ru", "de", "fr", "es", "it", "pt-br", "pt-pt", "nl", "pl", "sv", "tr",
            "cs", "hu",
        ] {
            assert!(table.contains_key(language), "no label for {language}");
        }
    }

    #[test]
    fn recognises_labels() {
        assert!(is_applies_to_label("**Applies to**"));
        assert!(is_applies_to_label("Applies To:"));
        assert!(is_applies_to_label("適用対象"));
        assert!(is_applies_to_label("Относится к:"));
        assert!(!is_applies_to_label("Partner Center"));
        assert!(!is_applies_to_label(""));
    }
}
