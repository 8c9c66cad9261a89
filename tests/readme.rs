//! The README's rules table is generated from the registry; this test keeps
//! it in sync. `LOCLINT_BLESS=1 cargo test --test readme` rewrites it.

mod common;

use loclint::RULES;

const START: &str = "<!-- rules:start -->\n";
const END: &str = "<!-- rules:end -->";

fn rules_table() -> String {
    let mut table = String::from("| rule | group | default | what it reports |\n|---|---|---|---|\n");
    for rule in RULES {
        table.push_str(&format!(
            "| [`{name}`](rules/{name}.md) | {} | {} | {} |\n",
            rule.group.as_str(),
            rule.default_severity(),
            rule.summary.replace('|', "\\|"),
            name = rule.name,
        ));
    }
    table
}

#[test]
fn readme_rules_table_matches_the_registry() {
    let path = common::repo_path("README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let start = readme.find(START).expect("README has a rules:start marker") + START.len();
    let end = readme.find(END).expect("README has a rules:end marker");
    let expected = rules_table();
    if readme[start..end] == expected {
        return;
    }
    if std::env::var_os("LOCLINT_BLESS").is_some() {
        let updated = format!("{}{}{}", &readme[..start], expected, &readme[end..]);
        std::fs::write(&path, updated).unwrap();
        return;
    }
    panic!(
        "the README's rules table is out of date; run `LOCLINT_BLESS=1 cargo test --test readme`\nexpected:\n{expected}"
    );
}

/// Every option of `loclint lint --help` is in the README's usage table.
#[test]
fn readme_usage_table_lists_every_lint_option() {
    let readme = std::fs::read_to_string(common::repo_path("README.md")).unwrap();
    let table: Vec<&str> = readme.lines().filter(|line| line.starts_with("| `")).collect();
    let help = common::run(common::Tree::new().loclint().args(["lint", "--help"]));
    let options: Vec<&str> = help
        .stdout
        .lines()
        .map(str::trim_start)
        .filter(|line| line.starts_with('-'))
        .filter_map(|line| line.split([' ', ',']).find(|word| word.starts_with("--")))
        .filter(|option| !matches!(*option, "--help"))
        .collect();
    assert!(options.len() > 20, "{}", help.stdout);
    let missing: Vec<&&str> =
        options.iter().filter(|option| !table.iter().any(|row| row.contains(&format!("`{option}")))).collect();
    assert!(missing.is_empty(), "options of `loclint lint` missing from the README's usage table: {missing:?}");
}
