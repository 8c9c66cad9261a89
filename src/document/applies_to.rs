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
    // Every paragraph is asked; counting the bytes a label key keeps turns
    // away the long ones without allocating.
    let labels = labels();
    let kept = text.bytes().filter(|byte| !matches!(byte, b'*' | b'_' | b':') && !byte.is_ascii_whitespace()).count();
    if kept == 0 || kept > labels.longest + FULLWIDTH_COLON.len() {
        return false;
    }
    labels.keys.contains(&label_key(text))
}

const FULLWIDTH_COLON: &str = "：";

struct Labels {
    keys: HashSet<String>,
    /// Bytes of the longest key, spaces excluded.
    longest: usize,
}

fn labels() -> &'static Labels {
    static LABELS: OnceLock<Labels> = OnceLock::new();
    LABELS.get_or_init(|| {
        // The table is compiled in; `label_table_parses` below proves it parses.
        let table: BTreeMap<String, Vec<String>> = toml::from_str(LABELS_TOML).unwrap_or_default();
        let keys: HashSet<String> = table.values().flatten().map(|label| label_key(label)).collect();
        let longest = keys.iter().map(|key| key.bytes().filter(|byte| !byte.is_ascii_whitespace()).count()).max();
        Labels { keys, longest: longest.unwrap_or(0) }
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
