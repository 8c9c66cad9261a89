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
    /// Commit of the source the copy was translated from.
    pub commit_key: Option<&'static str>,
    /// Keys every localized copy must carry.
    pub required_keys: &'static [&'static str],
    /// Keys the pipeline writes in some handoffs and not in others: absent
    /// from every copy of an article, they are not missing.
    pub optional_in_handoff: &'static [&'static str],
    /// Earlier names of required keys, `(key, former name)`: a copy from the
    /// pipeline's earlier years carries the key under its former name.
    pub former_names: &'static [(&'static str, &'static str)],
    /// How the host tells two link targets apart.
    pub link_targets: TargetComparison,
    /// Hosts whose media the pipeline swaps for the locale's own (a dubbed
    /// or captioned video has its own id): their targets are compared by
    /// host alone.
    pub localized_media_hosts: &'static [&'static str],
    /// Hosts that serve `page.html` and `page` alike (the pipeline rewrites
    /// the old form into the new one).
    pub html_optional_hosts: &'static [&'static str],
    /// How a copy keeps a source heading's anchor that its translated text
    /// would lose.
    pub kept_anchor: KeptAnchor,
    /// Whether the site serves each page as a folder (`docs/setup.md` at
    /// `/docs/setup/`, as Hugo, Docusaurus and VitePress can), so that a link
    /// written relative to the page's address (`../install/`) and one
    /// written from the site's root (`/docs/install`) name one page.
    pub pages_as_folders: bool,
}

/// The markup a pipeline keeps a heading's anchor with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeptAnchor {
    /// `<a name="…"></a>` before the translated text (Microsoft Learn).
    NamedAnchor,
    /// An id attribute at the heading's end, `{#…}` (Adobe Experience League).
    HeadingId,
}

/// How a host compares link targets (paths and URLs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetComparison {
    /// Byte for byte.
    Exact,
    /// Letter case and a trailing `/` ignored, as Microsoft Learn serves
    /// `Package-References.md` and `package-references.md` alike.
    CaseAndTrailingSlashBlind,
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
                commit_key: Some("ms.sourcegitcommit"),
                required_keys: &[
                    "ms.openlocfilehash",
                    "ms.sourcegitcommit",
                    "ms.translationtype",
                    "ms.contentlocale",
                    "ms.lasthandoff",
                ],
                optional_in_handoff: &["ms.lasthandoff"],
                former_names: &[],
                link_targets: TargetComparison::CaseAndTrailingSlashBlind,
                localized_media_hosts: &[],
                html_optional_hosts: &[],
                kept_anchor: KeptAnchor::NamedAnchor,
                pages_as_folders: false,
            },
            "adobe" => Profile {
                name: "adobe",
                assetid_key: None,
                hash_key: None,
                locale_key: None,
                commit_key: Some("source-git-commit"),
                required_keys: &["source-git-commit", "workflow-type"],
                optional_in_handoff: &[],
                // Experience League's copies of 2020 and before say
                // `translation-type: tm+mt`.
                former_names: &[("workflow-type", "translation-type")],
                link_targets: TargetComparison::Exact,
                localized_media_hosts: &["video.tv.adobe.com"],
                html_optional_hosts: &["experienceleague.adobe.com"],
                kept_anchor: KeptAnchor::HeadingId,
                pages_as_folders: false,
            },
            "none" => NONE,
            _ => return None,
        })
    }
}

/// A pipeline without localization metadata.
const NONE: Profile = Profile {
    name: "none",
    assetid_key: None,
    hash_key: None,
    locale_key: None,
    commit_key: None,
    required_keys: &[],
    optional_in_handoff: &[],
    former_names: &[],
    link_targets: TargetComparison::Exact,
    localized_media_hosts: &[],
    html_optional_hosts: &[],
    // Docusaurus, Hugo, MkDocs and VitePress read a heading's `{#id}`.
    kept_anchor: KeptAnchor::HeadingId,
    pages_as_folders: true,
};

impl Default for Profile {
    fn default() -> Self {
        // "microsoft-docs" is in the match above.
        Profile::named("microsoft-docs").unwrap_or(NONE)
    }
}
