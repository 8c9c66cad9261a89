//! Every file loclint writes goes through here: a temporary file in the same
//! folder, then a rename, so a reader never sees half a file and an
//! interrupted run leaves the original intact.

use std::io::Write;
use std::path::Path;

use crate::error::Error;

/// Replaces `path` with `bytes` atomically, keeping an existing file's
/// permissions. A target that is neither a regular file nor a symbolic link
/// (`/dev/null`, `/dev/stdout`, a named pipe) is written to in place: renaming
/// over it would replace the device, for every other program too.
pub fn atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    replace(path, bytes, None).map(|_| ())
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
    if let Ok(metadata) = std::fs::symlink_metadata(path) {
        let kind = metadata.file_type();
        if !kind.is_file() && !kind.is_symlink() && !kind.is_dir() {
            if expected.is_some() {
                // Fixes only ever target regular files.
                return Ok(Replaced::Changed);
            }
            return in_place(path, bytes).map(|()| Replaced::Written);
        }
    }
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut temporary = temporary_builder().tempfile_in(folder).map_err(|error| {
        Error::write(path, format!("cannot create a temporary file in {}: {error}", folder.display()))
    })?;
    temporary.write_all(bytes).map_err(|error| Error::write(path, error))?;
    temporary.as_file().sync_all().map_err(|error| Error::write(path, error))?;
    if let Ok(metadata) = std::fs::metadata(path) {
        std::fs::set_permissions(temporary.path(), metadata.permissions())
            .map_err(|error| Error::write(path, error))?;
    }
    if let Some(expected) = expected {
        if crate::discover::read_no_follow(path).ok().as_deref() != Some(expected) {
            return Ok(Replaced::Changed);
        }
    }
    temporary.persist(path).map_err(|error| Error::write(path, error.error))?;
    Ok(Replaced::Written)
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

fn in_place(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let mut target = std::fs::OpenOptions::new().write(true).open(path).map_err(|error| Error::io(path, error))?;
    target.write_all(bytes).map_err(|error| Error::io(path, error))?;
    target.flush().map_err(|error| Error::io(path, error))
}
