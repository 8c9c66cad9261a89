//! Every file loclint writes goes through here: a temporary file in the same
//! folder, then a rename, so a reader never sees half a file and an
//! interrupted run leaves the original intact.
//!
//! Errors name the file the user asked for, never the temporary file, and
//! say "write".

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::discover::lowercase_first;
use crate::error::Error;

/// Replaces `path` with `bytes` atomically, keeping an existing file's
/// permissions. A symbolic link is written through (see [`through_links`]).
/// A target that is neither a regular file nor a symbolic link
/// (`/dev/null`, `/dev/stdout`, a named pipe) is written to in place: renaming
/// over it would replace the device, for every other program too.
pub fn atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    replace(path, bytes, None).map(|_| ())
}

/// A file written piece by piece, then put in place atomically as `atomic`
/// does: reports and baselines too large to hold in memory.
pub struct Streamed {
    /// The file as the user named it, for messages.
    path: PathBuf,
    target: Target,
}

enum Target {
    /// Written through the `File`, not the `NamedTempFile`, whose errors
    /// would name the temporary file.
    Temporary { file: BufWriter<std::fs::File>, temporary: tempfile::TempPath, destination: PathBuf },
    /// A device or a pipe: written in place (see `atomic`).
    InPlace(BufWriter<std::fs::File>),
}

impl Streamed {
    pub fn create(path: &Path) -> Result<Streamed, Error> {
        let destination = through_links(path);
        let kind = std::fs::symlink_metadata(&destination).ok().map(|metadata| metadata.file_type());
        if kind.is_some_and(|kind| kind.is_dir()) {
            return Err(Error::write(path, "is a folder"));
        }
        let target = if kind.is_some_and(|kind| !kind.is_file() && !kind.is_symlink()) {
            let file = std::fs::OpenOptions::new()
                .write(true)
                .open(&destination)
                .map_err(|error| Error::write(path, error))?;
            Target::InPlace(BufWriter::new(file))
        } else {
            let (file, temporary) = temporary_in(path, &destination)?.into_parts();
            Target::Temporary { file: BufWriter::with_capacity(1 << 16, file), temporary, destination }
        };
        Ok(Streamed { path: path.to_path_buf(), target })
    }

    /// Puts the file in place; without this the temporary file is removed
    /// and any earlier file stays.
    pub fn commit(self) -> Result<(), Error> {
        let path = &self.path;
        match self.target {
            Target::InPlace(mut file) => file.flush().map_err(|error| Error::write(path, error)),
            Target::Temporary { file, temporary, destination } => {
                let file = file.into_inner().map_err(|error| Error::write(path, error.error()))?;
                file.sync_all().map_err(|error| Error::write(path, error))?;
                if let Ok(metadata) = std::fs::metadata(&destination) {
                    file.set_permissions(metadata.permissions()).map_err(|error| Error::write(path, error))?;
                }
                temporary.persist(&destination).map_err(|error| Error::write(path, error.error))?;
                Ok(())
            }
        }
    }
}

impl Write for Streamed {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        match &mut self.target {
            Target::Temporary { file, .. } => file.write(bytes),
            Target::InPlace(file) => file.write(bytes),
        }
    }

    fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        match &mut self.target {
            Target::Temporary { file, .. } => file.write_all(bytes),
            Target::InPlace(file) => file.write_all(bytes),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.target {
            Target::Temporary { file, .. } => file.flush(),
            Target::InPlace(file) => file.flush(),
        }
    }
}

/// Whether `replace_unchanged` wrote the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Replaced {
    Written,
    /// The file no longer held the expected text: someone edited it while
    /// loclint ran. It was left alone.
    Changed,
}

/// Replaces `path` with `bytes` as `atomic` does, but only if it still holds
/// `expected`, checked right before the rename (after the new text is on
/// disk), so that an edit made while loclint ran is not overwritten.
pub fn replace_unchanged(path: &Path, bytes: &[u8], expected: &[u8]) -> Result<Replaced, Error> {
    replace(path, bytes, Some(expected))
}

fn replace(path: &Path, bytes: &[u8], expected: Option<&[u8]>) -> Result<Replaced, Error> {
    // Fixes (`expected`) write files of the tree, which never go through a
    // link; every other write is to a path the user gave.
    let destination = if expected.is_some() { path.to_path_buf() } else { through_links(path) };
    if let Ok(metadata) = std::fs::symlink_metadata(&destination) {
        let kind = metadata.file_type();
        if kind.is_dir() {
            return Err(Error::write(path, "is a folder"));
        }
        if !kind.is_file() && !kind.is_symlink() {
            if expected.is_some() {
                // Fixes only ever target regular files.
                return Ok(Replaced::Changed);
            }
            return in_place(path, &destination, bytes).map(|()| Replaced::Written);
        }
    }
    let (mut file, temporary) = temporary_in(path, &destination)?.into_parts();
    file.write_all(bytes).map_err(|error| Error::write(path, error))?;
    file.sync_all().map_err(|error| Error::write(path, error))?;
    if let Ok(metadata) = std::fs::metadata(&destination) {
        file.set_permissions(metadata.permissions()).map_err(|error| Error::write(path, error))?;
    }
    if let Some(expected) = expected {
        if crate::discover::read_no_follow(path).ok().as_deref() != Some(expected) {
            return Ok(Replaced::Changed);
        }
    }
    temporary.persist(&destination).map_err(|error| Error::write(path, error.error))?;
    Ok(Replaced::Written)
}

/// Where a path the user gave for loclint to write (`--output`,
/// `--write-baseline`, `status --html`, `init`'s `loclint.toml`) leads: a
/// symbolic link is written through, as the shell's `>` and editors do,
/// so that the link stays a link and its target gets the text. This is
/// safe because the path is the user's own argument, not something found in
/// the linted tree (the tree is untrusted: fixes never go through a link,
/// see `replace_unchanged`). A dangling link creates its target; a chain of
/// links is followed, at most 40 deep as the kernel does.
pub fn through_links(path: &Path) -> PathBuf {
    let mut current = path.to_path_buf();
    for _ in 0..40 {
        let Ok(target) = std::fs::read_link(&current) else {
            break;
        };
        current = match current.parent() {
            Some(folder) => folder.join(target),
            None => target,
        };
    }
    current
}

/// A new temporary file beside `destination`; `path` names it in errors.
fn temporary_in(path: &Path, destination: &Path) -> Result<tempfile::NamedTempFile, Error> {
    let folder = match destination.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    temporary_builder().tempfile_in(folder).map_err(|error| {
        // tempfile ends its message with ` at path "<temporary file>"`, a
        // name that means nothing to the user (and it keeps the cause private).
        let message = error.to_string();
        let cause = message.rsplit_once(" at path \"").map_or(message.as_str(), |(cause, _)| cause);
        Error::write(path, format!("cannot create a file in {}: {}", folder.display(), lowercase_first(cause)))
    })
}

/// A new file is created with 0666, which the kernel narrows by the
/// process's umask, as for any other program's new file. (tempfile's own
/// default, 0600, made reports, baselines and `loclint.toml` unreadable to
/// the rest of a team.) An existing target's permissions are copied after.
fn temporary_builder() -> tempfile::Builder<'static, 'static> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(".loclint-").suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    builder
}

fn in_place(path: &Path, destination: &Path, bytes: &[u8]) -> Result<(), Error> {
    let mut target =
        std::fs::OpenOptions::new().write(true).open(destination).map_err(|error| Error::write(path, error))?;
    target.write_all(bytes).map_err(|error| Error::write(path, error))?;
    target.flush().map_err(|error| Error::write(path, error))
}
