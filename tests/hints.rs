//! Every hint is one a reviewer would accept: it follows the source rather
//! than telling a translator to diverge from it, and never asks for what no
//! translator can do (re-running a handoff for a key the pipeline omits).

mod common;

use loclint::Request;

/// `(rule, path, line, help)` of every finding of a fixture case.
fn hints(case: &str) -> Vec<(String, String, usize, String)> {
    let report = common::lint(&[common::repo_path(&format!("fixtures/{case}"))], Request::default());
    report
        .diagnostics
        .iter()
        .map(|d| (d.rule.to_string(), d.path.clone(), d.start().line, d.help.clone().unwrap_or_default()))
        .collect()
}

fn help_of(case: &str, rule: &str) -> String {
    let found = hints(case);
    let helps: Vec<&String> = found.iter().filter(|(r, ..)| r == rule).map(|(.., help)| help).collect();
    assert_eq!(helps.len(), 1, "{case}: one `{rule}` finding expected, got {found:?}");
    helps[0].clone()
}

#[test]
fn a_lost_heading_anchor_is_restored_as_the_source_has_it() {
    let help = help_of("fragment-broken/bad-fragment-in-same-copy", "fragment-broken");
    assert_eq!(
        help,
        "the source's heading \"Before you start\" gives this anchor: keep it on the translated heading, \
         `<a name=\"before-you-start\"></a>`, as the localization pipeline does"
    );
}

#[test]
fn under_the_adobe_profile_a_lost_anchor_is_kept_by_a_heading_id() {
    let help = help_of("fragment-broken/bad-adobe-heading-id-lost-in-translation", "fragment-broken");
    assert_eq!(
        help,
        "the source's heading \"Two-sided test\" gives this anchor from its words, which the translation changes: \
         give it an id, `{#two-sided-test}`, which the pipeline keeps in every language (or add it to the translated \
         heading)"
    );
}

#[test]
fn a_fragment_unlike_the_source_is_pointed_back_to_the_source() {
    let help = help_of("fragment-broken/bad-fragment-unlike-source", "fragment-broken");
    assert_eq!(help, "the source links to a similar fragment: did you mean `before-you-begin`?");
}

#[test]
fn an_optional_handoff_key_is_copied_from_a_peer_not_re_run() {
    let help = help_of("metadata-missing/bad-lasthandoff-missing-beside-peer", "metadata-missing");
    assert_eq!(
        help,
        "the other copies of this article carry it (`ms.lasthandoff: 04/02/2024` in `ja-jp/setup/close-year.md`): \
         add it as the pipeline wrote it for this copy's handoff"
    );
    assert!(!help.contains("re-run"), "{help}");
}

#[test]
fn an_asset_id_list_is_told_to_become_the_source_id() {
    let found = hints("assetid-mismatch/bad-id-as-list-or-map");
    let expected = "write one value, as the source does: `ms.assetid: 5C1E7A2B-94D3-4F6E-A8B0-3D2C71E9F604`";
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(
        found.iter().all(|(rule, _, line, help)| rule == "assetid-mismatch" && *line == 4 && help == expected),
        "{found:?}"
    );
}

/// A gap whose source text is still in the copy lost its spans, not its
/// passage: "restore the deleted passage" would send the translator looking
/// for text that is there.
#[test]
fn a_gap_whose_text_is_still_there_is_not_called_deleted() {
    let help = help_of("segment-gap/bad-gap-spans-lost-text-kept", "segment-gap");
    assert_eq!(
        help,
        "the zh-tw copies of the same handoff have them, and the source text of segment 106 is still in this copy \
         without its spans: put its translated and lookup spans back around it"
    );
    let help = help_of("segment-gap/bad-gap-one-copy", "segment-gap");
    assert_eq!(help, "the zh-tw copies of the same handoff have them: restore the deleted passage from the handoff");
}

#[test]
fn a_blank_asset_id_does_not_send_an_orphan_to_a_source_with_a_blank_id() {
    // Project Operations docs: `ms.assetid:` left blank in sources and
    // `ms.assetid: ''` in copies. A blank id names no article.
    let help = help_of("orphan-translation/bad-blank-ids-name-no-source", "orphan-translation");
    assert_eq!(help, "delete the copy if the article was removed, or move it to match the renamed source");
}
