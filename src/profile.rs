//! Which front matter keys a localization pipeline writes (SPEC §5).

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    pub name: &'static str,
    /// GUID of the article, equal in source and copies.
    pub assetid_key: Option<&'static str>,
    /// SHA-1 of the source bytes the copy was translated from.
    pub hash_key: Option<&'static str>,
    /// Locale the copy declares.
    pub locale_key: Option<&'static str>,
    /// Keys every localized copy must carry.
    pub required_keys: &'static [&'static str],
}

pub const NAMES: &[&str] = &["microsoft-docs", "adobe", "none"];

impl Profile {
    pub fn named(name: &str) -> Option<Profile> {
        Some(match name {
            "microsoft-docs" => Profile {
                name: "microsoft-docs",
                assetid_key: Some("ms.assetid"),
                hash_key: Some("ms.openlocfilehash"),
                locale_key: Some("ms.contentlocale"),
                required_keys: &[
                    "ms.openlocfilehash",
                    "ms.sourcegitcommit",
                    "ms.translationtype",
                    "ms.contentlocale",
                    "ms.lasthandoff",
                ],
            },
            "adobe" => Profile {
                name: "adobe",
                assetid_key: None,
                hash_key: None,
                locale_key: None,
                required_keys: &["source-git-commit", "workflow-type"],
            },
            "none" => Profile { name: "none", assetid_key: None, hash_key: None, locale_key: None, required_keys: &[] },
            _ => return None,
        })
    }
}

impl Default for Profile {
    fn default() -> Self {
        // "microsoft-docs" is in the match above.
        Profile::named("microsoft-docs").unwrap_or(Profile {
            name: "none",
            assetid_key: None,
            hash_key: None,
            locale_key: None,
            required_keys: &[],
        })
    }
}
