//! The ways loclint is installed without Rust (issue 13) name the same
//! version, the same hook and the same platforms: the PyPI package, the
//! `language: python` pre-commit hook repository, the release workflow, the
//! installers and the GitHub Action. Building and running them is
//! `tests/wheel/run`, `tests/install/run` and `tests/pre-commit/run`, from
//! `.ci/run`; these checks keep the files in step.

mod common;

use std::collections::BTreeSet;

use regex::Regex;

const VERSION: &str = env!("CARGO_PKG_VERSION");

fn read(relative: &str) -> String {
    let path = common::repo_path(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("read {}: {error}", path.display()))
}

fn toml_file(relative: &str) -> toml::Table {
    read(relative).parse().unwrap_or_else(|error| panic!("{relative}: {error}"))
}

fn yaml_file(relative: &str) -> serde_yaml::Value {
    serde_yaml::from_str(&read(relative)).unwrap_or_else(|error| panic!("{relative}: {error}"))
}

#[test]
fn pypi_package_is_the_binary_built_by_maturin() {
    let pyproject = toml_file("pyproject.toml");
    assert_eq!(pyproject["build-system"]["build-backend"].as_str(), Some("maturin"));
    assert_eq!(pyproject["project"]["name"].as_str(), Some(env!("CARGO_PKG_NAME")));
    assert_eq!(pyproject["tool"]["maturin"]["bindings"].as_str(), Some("bin"));
    // The version comes from Cargo.toml, never written twice.
    let dynamic = pyproject["project"]["dynamic"].as_array().expect("project.dynamic");
    assert!(dynamic.iter().any(|field| field.as_str() == Some("version")), "version is not dynamic: {dynamic:?}");
    assert!(pyproject["project"].get("version").is_none());
}

#[test]
fn pre_commit_mirror_pins_this_version_exactly() {
    let pyproject = toml_file("pre-commit-mirror/pyproject.toml");
    let dependencies: Vec<&str> = pyproject["project"]["dependencies"]
        .as_array()
        .expect("project.dependencies")
        .iter()
        .filter_map(toml::Value::as_str)
        .collect();
    assert_eq!(dependencies, [format!("loclint=={VERSION}")]);
    assert_eq!(pyproject["project"]["version"].as_str(), Some(VERSION));
}

#[test]
fn both_pre_commit_hooks_differ_only_in_language() {
    let without_language = |relative: &str| {
        let mut hooks = yaml_file(relative);
        let hooks = hooks.as_sequence_mut().unwrap_or_else(|| panic!("{relative} is not a list of hooks"));
        assert_eq!(hooks.len(), 1, "{relative}: one hook");
        let hook = hooks[0].as_mapping_mut().expect("a hook is a mapping");
        let language = hook.remove("language").and_then(|value| value.as_str().map(String::from));
        (language, hook.clone())
    };
    let (rust_language, rust_hook) = without_language(".pre-commit-hooks.yaml");
    let (python_language, python_hook) = without_language("pre-commit-mirror/.pre-commit-hooks.yaml");
    assert_eq!(rust_language.as_deref(), Some("rust"));
    assert_eq!(python_language.as_deref(), Some("python"));
    assert_eq!(rust_hook, python_hook);
}

/// Every target triple a `target=…` or `$Target = '…'` line names.
fn targets_named_in(relative: &str) -> BTreeSet<String> {
    let pattern = Regex::new(r"(?:\btarget=|\$Target = ')([a-z0-9_]+-[a-z0-9_-]+)").unwrap();
    pattern.captures_iter(&read(relative)).map(|capture| capture[1].to_string()).collect()
}

#[test]
fn every_archive_an_installer_or_the_action_fetches_is_released() {
    let workflow = yaml_file(".github/workflows/release.yml");
    let matrix = workflow["jobs"]["build"]["strategy"]["matrix"]["include"]
        .as_sequence()
        .expect("release.yml: jobs.build.strategy.matrix.include");
    let archived: BTreeSet<String> = matrix
        .iter()
        .filter(|entry| entry["archive"].as_bool() == Some(true))
        .map(|entry| entry["target"].as_str().expect("a matrix entry has a target").to_string())
        .collect();
    assert_eq!(archived.len(), 5, "Linux, macOS x86_64 and arm64, Windows: {archived:?}");

    let fetched: BTreeSet<String> = ["install.sh", "install.ps1", ".github/action/install-loclint.sh"]
        .into_iter()
        .flat_map(targets_named_in)
        .collect();
    assert_eq!(fetched, archived);
}
