//! `locale-mismatch`: the locale a copy declares is not the one it is in.

use super::{quoted, requote, Emitter, Group, Rule, RuleGroup};
use crate::diagnostic::Severity;
use crate::locale;

pub static RULE: Rule = Rule {
    name: "locale-mismatch",
    group: RuleGroup::Metadata,
    severity: Severity::Error,
    enabled_by_default: true,
    summary: "`ms.contentlocale` disagrees with the copy's locale",
    options: &[],
    doc: include_str!("../../rules/locale-mismatch.md"),
    check,
};

fn check(group: &Group<'_>, out: &mut Emitter<'_>) {
    let Some(key) = group.profile.locale_key else {
        return;
    };
    for copy in group.checked_copies() {
        let Some(declared) = copy.meta(key) else {
            continue;
        };
        if !locale::same_locale(&copy.locale, declared.value) {
            out.report(
                copy,
                declared.value_span.clone(),
                format!("`{key}` is {} but the copy is in the {} folder", quoted(declared.value), quoted(&copy.locale)),
            )
            .label("wrong locale")
            .help(format!("set `{key}: {}`, or move the copy to the right locale", display_tag(&copy.locale)))
            .fix(
                declared.value_span.clone(),
                requote(&copy.text()[declared.value_span.clone()], &display_tag(&copy.locale)),
            );
        }
    }
}

/// `ja-jp` → `ja-JP`, `zh-hant` → `zh-Hant`: how tags are usually written.
fn display_tag(tag: &str) -> String {
    tag.split('-')
        .enumerate()
        .map(|(index, part)| match (index, part.len()) {
            (0, _) => part.to_ascii_lowercase(),
            (_, 2) => part.to_ascii_uppercase(),
            (_, 4) => {
                let mut chars = part.chars();
                chars.next().map_or_else(String::new, |first| {
                    first.to_ascii_uppercase().to_string() + &chars.as_str().to_ascii_lowercase()
                })
            }
            _ => part.to_string(),
        })
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    #[test]
    fn display_tag() {
        assert_eq!(super::display_tag("ja-jp"), "ja-JP");
        assert_eq!(super::display_tag("zh-hant"), "zh-Hant");
        assert_eq!(super::display_tag("de"), "de");
    }
}
