//! The one place loclint runs another program: `git`, and only when the user
//! asks for `--changed-since`.

use std::path::Path;
use std::process::Command;

use crate::error::Error;

/// Root-relative paths changed since `revision`: committed since it, staged,
/// unstaged, and untracked (not ignored) files. Deleted files are included,
/// so a deleted source still selects its copies.
pub fn changed_files(root: &Path, revision: &str) -> Result<Vec<String>, Error> {
    if revision.starts_with('-') {
        return Err(Error::usage(format!("--changed-since: `{revision}` is not a git revision")));
    }
    let verify = run(root, &["rev-parse", "--verify", "--quiet", &format!("{revision}^{{commit}}")])?;
    if !verify.status.success() {
        return Err(Error::usage_with_help(
            format!("--changed-since: git does not know the revision `{revision}`"),
            "fetch it first (e.g. `git fetch origin main`), or give a commit, branch or tag that exists",
        ));
    }
    let mut files = Vec::new();
    for args in [
        &["diff", "--name-only", "--no-renames", "--relative", "-z", revision, "--"][..],
        &["ls-files", "--others", "--exclude-standard", "-z"][..],
    ] {
        let output = run(root, args)?;
        if !output.status.success() {
            return Err(Error::usage(format!(
                "git {} failed: {}",
                args.join(" "),
                String::from_utf8_lossy(&output.stderr).trim()
            )));
        }
        files.extend(
            output
                .stdout
                .split(|byte| *byte == 0)
                .filter(|path| !path.is_empty())
                .map(|path| String::from_utf8_lossy(path).into_owned()),
        );
    }
    files.sort();
    files.dedup();
    Ok(files)
}

fn run(root: &Path, args: &[&str]) -> Result<std::process::Output, Error> {
    Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .output()
        .map_err(|error| Error::usage(format!("--changed-since needs git, which could not run: {error}")))
}
