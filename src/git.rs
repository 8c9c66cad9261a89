//! The one place loclint runs another program: `git`, and only when the user
//! asks for `--changed-since`.
//!
//! The docs tree is untrusted, and git runs commands named in a repository's
//! configuration (`core.fsmonitor`, filters, external diff). A pull request
//! can plant a folder that looks like a bare repository (`HEAD`, `objects/`,
//! `refs/`, `config`) anywhere in the tree; had git been started in the lint
//! root, it would have used that folder's configuration. So git opens only
//! the repository of the working directory loclint was started in (or the
//! one `GIT_DIR` names), refuses implicit bare repositories, and is then told
//! that repository explicitly for every later call.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::error::Error;

/// Root-relative paths changed since `revision`: committed since it, staged,
/// unstaged, and untracked (not ignored) files. Deleted files are included,
/// so a deleted source still selects its copies.
pub fn changed_files(root: &Path, revision: &str) -> Result<Vec<String>, Error> {
    if revision.starts_with('-') {
        return Err(Error::usage(format!("--changed-since: `{revision}` is not a git revision")));
    }
    let working_dir = std::env::current_dir()
        .map_err(|error| Error::usage(format!("--changed-since: cannot read the working directory: {error}")))?;
    let repository = Repository::of(&working_dir)?;
    repository.contains(root)?;
    let verify = repository.run(root, &["rev-parse", "--verify", "--quiet", &format!("{revision}^{{commit}}")])?;
    if !verify.status.success() {
        let has_commits =
            repository.run(root, &["rev-parse", "--verify", "--quiet", "HEAD^{commit}"])?.status.success();
        if !has_commits {
            return Err(Error::usage_with_help(
                format!(
                    "--changed-since: git does not know the revision `{revision}`: the repository {} has no commits yet",
                    repository.work_tree.display()
                ),
                "commit first, or lint the whole tree without --changed-since",
            ));
        }
        return Err(Error::usage_with_help(
            format!("--changed-since: git does not know the revision `{revision}`"),
            "fetch it first (e.g. `git fetch origin main`), or give a commit, branch or tag that exists",
        ));
    }
    let mut files = Vec::new();
    for args in [
        &["diff", "--name-only", "--no-renames", "--no-ext-diff", "--no-textconv", "--relative", "-z", revision, "--"]
            [..],
        &["ls-files", "--others", "--exclude-standard", "-z"][..],
    ] {
        let output = repository.run(root, args)?;
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

/// The repository of the working directory, named explicitly from here on.
struct Repository {
    git_dir: PathBuf,
    work_tree: PathBuf,
}

impl Repository {
    fn of(working_dir: &Path) -> Result<Repository, Error> {
        let output = git(working_dir, &[], &["rev-parse", "--absolute-git-dir", "--show-toplevel"])?;
        let stdout = String::from_utf8_lossy(&output.stdout);
        let mut lines = stdout.lines();
        match (output.status.success(), lines.next(), lines.next()) {
            (true, Some(git_dir), Some(work_tree)) if !git_dir.is_empty() && !work_tree.is_empty() => {
                Ok(Repository { git_dir: PathBuf::from(git_dir), work_tree: PathBuf::from(work_tree) })
            }
            _ => {
                let stderr = String::from_utf8_lossy(&output.stderr);
                let reason = stderr.lines().find(|line| !line.trim().is_empty()).unwrap_or("").trim();
                let reason = reason.strip_prefix("fatal: ").unwrap_or(reason);
                let message = if reason.is_empty() || reason.starts_with("not a git repository") {
                    format!("--changed-since: not a git repository: {}", working_dir.display())
                } else {
                    format!("--changed-since: git cannot open the repository of {}: {reason}", working_dir.display())
                };
                Err(Error::usage_with_help(
                    message,
                    "run loclint from inside the checked-out repository; git is never started inside the docs tree",
                ))
            }
        }
    }

    /// The lint root must lie in the work tree, or git's paths mean nothing.
    fn contains(&self, root: &Path) -> Result<(), Error> {
        let canonical = |path: &Path| path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
        if canonical(root).starts_with(canonical(&self.work_tree)) {
            return Ok(());
        }
        Err(Error::usage_with_help(
            format!(
                "--changed-since: {} is not inside the git repository of the working directory ({})",
                root.display(),
                self.work_tree.display()
            ),
            "run loclint from inside the repository that holds the docs",
        ))
    }

    fn run(&self, root: &Path, args: &[&str]) -> Result<std::process::Output, Error> {
        let explicit =
            [OsStr::new("--git-dir"), self.git_dir.as_os_str(), OsStr::new("--work-tree"), self.work_tree.as_os_str()];
        git(root, &explicit, args)
    }
}

/// `git` in `dir`, with the settings that keep a repository's configuration
/// from running anything or from being found inside the tree.
fn git(dir: &Path, global: &[&OsStr], args: &[&str]) -> Result<std::process::Output, Error> {
    Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(global)
        .args([
            "--no-pager",
            "-c",
            "safe.bareRepository=explicit",
            "-c",
            "core.fsmonitor=false",
            "-c",
            "core.untrackedCache=false",
        ])
        .args(args)
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("GIT_OPTIONAL_LOCKS", "0")
        .env_remove("GIT_EXTERNAL_DIFF")
        .output()
        .map_err(|error| Error::usage(format!("--changed-since needs git, which could not run: {error}")))
}
