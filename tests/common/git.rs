//! Temporary git repositories for tests: no system or global configuration,
//! fixed identities and dates, so that commits are known by construction.

use std::path::Path;
use std::process::Command;

pub fn git(dir: &Path, args: &[&str]) -> String {
    let output = Command::new("git")
        .current_dir(dir)
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false"])
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .expect("run git");
    assert!(output.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout).trim().to_string()
}

/// Commits everything in `dir` on the given day; returns the commit id.
pub fn commit_all(dir: &Path, day: &str) -> String {
    commit_all_saying(dir, day, day)
}

/// [`commit_all`] with a commit message.
pub fn commit_all_saying(dir: &Path, day: &str, message: &str) -> String {
    commit_all_at(dir, &format!("{day}T12:00:00Z"), message)
}

/// [`commit_all_saying`] at a time of day (`2024-01-01T18:00:00Z`).
pub fn commit_all_at(dir: &Path, date: &str, message: &str) -> String {
    git(dir, &["add", "-A"]);
    let output = Command::new("git")
        .current_dir(dir)
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false"])
        .args(["commit", "-q", "--allow-empty", "-m", message])
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .output()
        .expect("run git commit");
    assert!(output.status.success(), "git commit: {}", String::from_utf8_lossy(&output.stderr));
    git(dir, &["rev-parse", "HEAD"])
}

pub fn init(dir: &Path) {
    std::fs::create_dir_all(dir).expect("create the repository folder");
    git(dir, &["init", "-q", "-b", "main"]);
}
