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

/// `loclint ARGS --help`, as printed.
fn help(args: &[&str]) -> String {
    let run = common::run(common::Tree::new().loclint().args(args).arg("--help"));
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.stdout
}

/// The long options of a `--help` text, but `--help` and `--version`.
fn long_options(help: &str) -> Vec<String> {
    help.lines()
        .map(str::trim_start)
        .filter(|line| line.starts_with('-'))
        .filter_map(|line| line.split([' ', ',', '=']).find(|word| word.starts_with("--")))
        .filter(|option| !matches!(*option, "--help" | "--version"))
        .map(str::to_string)
        .collect()
}

/// The subcommands a `--help` text lists, but `help`.
fn subcommands(help: &str) -> Vec<String> {
    help.split_once("Commands:\n")
        .map(|(_, rest)| {
            rest.lines()
                .take_while(|line| line.starts_with("  "))
                .filter_map(|line| line.split_whitespace().next())
                .filter(|name| *name != "help")
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// Every long option clap knows, of every subcommand, is in the README's
/// usage tables: `lint`'s in its table, another command's in a row that
/// starts with the command (`` | `status --html FILE` ``).
#[test]
fn readme_usage_tables_list_every_option_of_every_command() {
    let readme = std::fs::read_to_string(common::repo_path("README.md")).unwrap();
    let commands = subcommands(&help(&[]));
    assert!(commands.len() >= 6, "{commands:?}");
    // Each row of a usage table, with the command it documents.
    let rows: Vec<(&str, &str)> = readme
        .lines()
        .filter(|line| line.starts_with("| `"))
        .map(|row| {
            let command = commands.iter().find(|command| row.starts_with(&format!("| `{command} ")));
            (command.map_or("lint", String::as_str), row)
        })
        .collect();
    let mut missing = Vec::new();
    let mut checked = 0;
    let mut pending: Vec<Vec<String>> = commands.iter().map(|command| vec![command.clone()]).collect();
    while let Some(command) = pending.pop() {
        let args: Vec<&str> = command.iter().map(String::as_str).collect();
        let text = help(&args);
        pending.extend(subcommands(&text).into_iter().map(|sub| [command.clone(), vec![sub]].concat()));
        for option in long_options(&text) {
            checked += 1;
            let listed = rows.iter().any(|(documented, row)| {
                *documented == command[0]
                    && (row.contains(&format!("`{option}")) || row.contains(&format!(" {option}")))
            });
            if !listed {
                missing.push(format!("{} {option}", command.join(" ")));
            }
        }
    }
    assert!(checked > 30, "only {checked} options found");
    assert!(missing.is_empty(), "options missing from the README's usage tables: {missing:?}");
}
