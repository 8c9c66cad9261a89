//! Recognising locale tags in folder names, file names and URLs.

use std::borrow::Cow;

/// ISO 639-1 language codes: a folder named with one of these, alone or
/// followed by a region or script subtag, is a locale folder. A fixed list
/// keeps folders such as `js` or `ui` from being taken for locales.
const LANGUAGES: &[&str] = &[
    "af", "am", "ar", "as", "az", "be", "bg", "bn", "bs", "ca", "cs", "cy", "da", "de", "el", "en", "es", "et", "eu",
    "fa", "fi", "fil", "fr", "ga", "gd", "gl", "gu", "ha", "he", "hi", "hr", "hu", "hy", "id", "ig", "is", "it", "ja",
    "ka", "kk", "km", "kn", "ko", "kok", "ky", "lb", "lo", "lt", "lv", "mi", "mk", "ml", "mn", "mr", "ms", "mt", "nb",
    "ne", "nl", "nn", "no", "or", "pa", "pl", "ps", "pt", "qu", "ro", "ru", "rw", "sd", "si", "sk", "sl", "sq", "sr",
    "sv", "sw", "ta", "te", "tg", "th", "ti", "tk", "tn", "tr", "tt", "ug", "uk", "ur", "uz", "vi", "wo", "xh", "yo",
    "zh", "zu",
];

/// True for tags such as `en-us`, `ja-JP`, `zh-hant`, `pt-br`, `de`,
/// `sr-latn-rs` (case-insensitive).
pub fn is_locale_tag(name: &str) -> bool {
    let mut parts = name.split('-');
    let language = parts.next().unwrap_or("");
    if !(2..=3).contains(&language.len()) || !is_known_language(language) {
        return false;
    }
    parts.enumerate().all(|(index, part)| {
        let letters = part.bytes().all(|b| b.is_ascii_alphabetic());
        let digits = part.bytes().all(|b| b.is_ascii_digit());
        index < 2 && ((letters && (part.len() == 2 || part.len() == 4)) || (digits && part.len() == 3))
    })
}

/// Whether `language` (2 or 3 bytes, any case) is in [`LANGUAGES`]: a
/// binary search of the sorted, lower-case list for its lower case, where
/// a scan compared it with each (every folder of every link target's path
/// is asked).
fn is_known_language(language: &str) -> bool {
    let mut lower = [0u8; 3];
    let Some(lower) = lower.get_mut(..language.len()) else {
        return false;
    };
    lower.copy_from_slice(language.as_bytes());
    lower.make_ascii_lowercase();
    LANGUAGES.binary_search_by(|known| known.as_bytes().cmp(lower)).is_ok()
}

/// The canonical form used for comparisons: lower case.
pub fn normalize(tag: &str) -> String {
    tag.to_ascii_lowercase()
}

/// The language subtag: `ja` for `ja-jp`.
pub fn language(tag: &str) -> &str {
    tag.split('-').next().unwrap_or(tag)
}

/// The language, script and region subtags of `locale` (`ja`, `jp` of
/// `ja-jp`; `zh`, `hant`, `tw` of `zh-hant-tw`).
pub fn subtags(locale: &str) -> Vec<&str> {
    locale
        .split(['-', '_'])
        .filter(|subtag| (2..=4).contains(&subtag.len()) && subtag.bytes().all(|b| b.is_ascii_alphabetic()))
        .collect()
}

/// True when a copy in folder locale `folder` may declare `declared`, e.g.
/// `ja-jp`/`ja-JP`, or a language-only folder `ja` with `ja-JP`.
pub fn same_locale(folder: &str, declared: &str) -> bool {
    let folder = normalize(folder);
    let declared = normalize(declared);
    folder == declared
        || (!folder.contains('-') && language(&declared) == folder)
        || chinese_script(&folder).is_some_and(|script| chinese_script(&declared) == Some(script))
}

/// Chinese locales name a script (`zh-hant`) or a region (`zh-tw`); both
/// name the same copies.
fn chinese_script(tag: &str) -> Option<&'static str> {
    match tag {
        "zh-hant" | "zh-tw" | "zh-hk" | "zh-mo" | "zh-hant-tw" | "zh-hant-hk" => Some("hant"),
        "zh-hans" | "zh-cn" | "zh-sg" | "zh-hans-cn" | "zh-hans-sg" => Some("hans"),
        _ => None,
    }
}

/// Replaces path segments of `url` that are one of `locales` with
/// `{locale}` and drops a language query parameter (`lang=`, `hl=`) naming
/// one, so `/en-us/azure/` in a source and `/ja-jp/azure/` in a copy compare
/// equal, and so do `…/overview.html` and `…/overview.html?lang=ja`.
/// `locales` holds every form a run's locales take in URLs (see
/// `Group::url_locales`).
pub fn neutralize_url<'a>(url: &'a str, locales: &[&str]) -> Cow<'a, str> {
    // Bytes, not chars: every target of every differing copy comes here,
    // and the separators are ASCII.
    let path = match memchr::memchr2(b'?', b'#', url.as_bytes()) {
        Some(cut) => &url[..cut],
        None => url,
    };
    // Only a segment as long as some locale can be one.
    let lengths = locales.iter().map(|locale| locale.len());
    let (shortest, longest) = (lengths.clone().min().unwrap_or(0), lengths.max().unwrap_or(0));
    let is_locale = |segment: &str| {
        (shortest..=longest).contains(&segment.len())
            && locales.iter().any(|locale| segment.eq_ignore_ascii_case(locale))
    };
    let segments = || path_segments(path);
    let rest = &url[path.len()..];
    let (query, fragment) = match rest.strip_prefix('?') {
        Some(after) => after.split_at(after.find('#').unwrap_or(after.len())),
        None => ("", rest),
    };
    // `lang=ja` (Experience League), `hl=ja` (Google), `profile.language=ja`.
    let is_locale_parameter = |parameter: &str| {
        parameter.split_once('=').is_some_and(|(name, value)| {
            let name = name.rsplit('.').next().unwrap_or(name);
            matches!(name, "lang" | "hl" | "language" | "locale") && is_locale(value)
        })
    };
    let localized_path = memchr::memchr(b'/', path.as_bytes()).is_some() && segments().any(is_locale);
    let localized_query = !query.is_empty() && query.split('&').any(is_locale_parameter);
    // Most targets name no locale: borrow them rather than copy every link.
    if !localized_path && !localized_query {
        return Cow::Borrowed(url);
    }
    let mut out = String::with_capacity(url.len() + 8);
    if localized_path {
        for (index, segment) in segments().enumerate() {
            if index > 0 {
                out.push('/');
            }
            out.push_str(if is_locale(segment) { "{locale}" } else { segment });
        }
    } else {
        out.push_str(path);
    }
    if localized_query {
        let mut separator = '?';
        for parameter in query.split('&').filter(|parameter| !parameter.is_empty() && !is_locale_parameter(parameter)) {
            out.push(separator);
            out.push_str(parameter);
            separator = '&';
        }
        out.push_str(fragment);
    } else {
        out.push_str(rest);
    }
    Cow::Owned(out)
}

/// `path.split('/')`, cut at the slashes memchr finds.
fn path_segments(path: &str) -> impl Iterator<Item = &str> {
    let ends = memchr::memchr_iter(b'/', path.as_bytes()).chain(std::iter::once(path.len()));
    let mut start = 0;
    ends.map(move |end| {
        let segment = &path[start..end];
        start = end + 1;
        segment
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_languages_are_found_as_a_case_insensitive_scan_finds_them() {
        assert!(LANGUAGES.windows(2).all(|pair| pair[0] < pair[1]), "sorted, once each");
        assert!(LANGUAGES.iter().all(|known| *known == known.to_ascii_lowercase()));
        let mut names: Vec<String> = LANGUAGES.iter().map(|known| known.to_string()).collect();
        names.extend(LANGUAGES.iter().map(|known| known.to_ascii_uppercase()));
        names.extend(
            ["De", "fIL", "KoK", "zz", "a", "", "abcd", "é", "dé", "\u{212A}k", "en ", "e\u{0}"].map(String::from),
        );
        for name in
            names.iter().chain(LANGUAGES.iter().map(|known| &known[..1]).map(String::from).collect::<Vec<_>>().iter())
        {
            let scanned = LANGUAGES.iter().any(|known| known.eq_ignore_ascii_case(name));
            assert_eq!(is_known_language(name), scanned, "{name:?}");
        }
    }

    #[test]
    fn recognises_locale_folders() {
        for tag in ["en-us", "ja-JP", "zh-hant", "pt-br", "de", "sr-latn-rs", "es-419"] {
            assert!(is_locale_tag(tag), "{tag}");
        }
        for name in ["js", "ui", "images", "en-", "en-us-x-y-z", "includes", "docs"] {
            assert!(!is_locale_tag(name), "{name}");
        }
    }

    #[test]
    fn the_allocation_free_check_agrees_with_lower_casing_first() {
        fn lowered(name: &str) -> bool {
            let lower = name.to_ascii_lowercase();
            let mut parts = lower.split('-');
            let language = parts.next().unwrap_or("");
            let rest: Vec<&str> = parts.collect();
            LANGUAGES.contains(&language)
                && rest.len() <= 2
                && rest.iter().all(|part| {
                    let letters = part.bytes().all(|b| b.is_ascii_alphabetic());
                    let digits = part.bytes().all(|b| b.is_ascii_digit());
                    (letters && (part.len() == 2 || part.len() == 4)) || (digits && part.len() == 3)
                })
        }
        let names = "- en EN En-Us fil FIL-ph kok-IN e eng en- -en en--us en-us- en-u1 en-419 en-4190 en-latn-us \
                     en-latn-us-x zh-HANT-tw zh-hant-419 ja-jp-jp ja_jp ja.jp ja-j ja-jpn jä-jp ja-jé \u{212a}o ko-kr \
                     tlh sr-Latn";
        for name in names.split_whitespace().chain([""]) {
            assert_eq!(is_locale_tag(name), lowered(name), "{name:?}");
        }
    }

    #[test]
    fn neutralizes_locale_segments_only() {
        let locales = ["en-us", "ja-jp"];
        assert_eq!(
            neutralize_url("https://learn.test/ja-JP/azure/x?view=en-us#en-us", &locales),
            "https://learn.test/{locale}/azure/x?view=en-us#en-us"
        );
        assert_eq!(neutralize_url("/en-us/a/", &locales), "/{locale}/a/");
        assert_eq!(neutralize_url("german/en-usx.md", &locales), "german/en-usx.md");
        assert_eq!(neutralize_url("ja-jp", &locales), "ja-jp");
        assert_eq!(neutralize_url("a//JA-jp/", &locales), "a//{locale}/");
        assert_eq!(neutralize_url("ja-jp/x#/en-us/", &locales), "{locale}/x#/en-us/");
        assert_eq!(neutralize_url("/en-us", &[]), "/en-us");
    }

    #[test]
    fn neutralizes_language_subtags_and_lang_parameters() {
        // Adobe's pipeline: `/en/` for `/ja/`, a `lang=` parameter added.
        let locales = ["en-us", "ja-jp", "en", "ja", "us", "jp"];
        let same =
            |source: &str, copy: &str| assert_eq!(neutralize_url(source, &locales), neutralize_url(copy, &locales));
        same("https://league.test/en/docs/a", "https://league.test/ja/docs/a");
        same("https://league.test/docs/a.html", "https://league.test/docs/a.html?lang=ja");
        same("https://league.test/docs/a.html?lang=en#top", "https://league.test/docs/a.html?lang=ja#top");
        same("https://support.test/answer/9?hl=en", "https://support.test/answer/9?hl=ja");
        same("https://community.test/t5/c", "https://community.test/t5/c?profile.language=ja");
        assert_eq!(neutralize_url("x.html?a=1&lang=ja&b=2", &locales), "x.html?a=1&b=2");
        assert_eq!(neutralize_url("x.html?lang=fr", &locales), "x.html?lang=fr");
        assert_eq!(neutralize_url("x.html?lang-x=ja", &locales), "x.html?lang-x=ja");
        // An inserted country folder is left to the rule's key.
        assert_eq!(neutralize_url("https://helpx.test/jp/a.html", &locales), "https://helpx.test/{locale}/a.html");
    }

    #[test]
    fn folder_and_declared_locale() {
        assert!(same_locale("ja-jp", "ja-JP"));
        assert!(same_locale("ja", "ja-JP"));
        assert!(!same_locale("ja-jp", "ko-KR"));
        assert!(same_locale("zh-hant", "zh-TW"));
        assert!(same_locale("zh-cn", "zh-Hans"));
        assert!(!same_locale("zh-hant", "zh-CN"));
    }
}
