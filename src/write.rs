//! Every file loclint writes goes through here: a temporary file in the same
//! folder, then a rename, so a reader never sees half a file and an
//! interrupted run leaves the original intact.

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::error::Error;

/// Replaces `path` with `bytes` atomically, keeping an existing file's
/// permissions. A target that is neither a regular file nor a symbolic link
/// (`/dev/null`, `/dev/stdout`, a named pipe) is written to in place: renaming
/// over it would replace the device, for every other program too.
pub fn atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    replace(path, bytes, None).map(|_| ())
}

/// A file written piece by piece, then put in place atomically as `atomic`
/// does: reports and baselines too large to hold in memory.
pub struct Streamed {
    path: PathBuf,
    target: Target,
}

enum Target {
    Temporary(BufWriter<tempfile::NamedTempFile>),
    /// A device or a pipe: written in place (see `atomic`).
    InPlace(BufWriter<std::fs::File>),
}

impl Streamed {
    pub fn create(path: &Path) -> Result<Streamed, Error> {
        let special = std::fs::symlink_metadata(path).ok().is_some_and(|metadata| {
            let kind = metadata.file_type();
            !kind.is_file() && !kind.is_symlink() && !kind.is_dir()
        });
        let target = if special {
            let file = std::fs::OpenOptions::new().write(true).open(path).map_err(|error| Error::io(path, error))?;
            Target::InPlace(BufWriter::new(file))
        } else {
            let folder = match path.parent() {
                Some(parent) if !parent.as_os_str().is_empty() => parent,
                _ => Path::new("."),
            };
            let temporary = temporary_builder().tempfile_in(folder).map_err(|error| {
                Error::write(path, format!("cannot create a temporary file in {}: {error}", folder.display()))
            })?;
            Target::Temporary(BufWriter::with_capacity(1 << 16, temporary))
        };
        Ok(Streamed { path: path.to_path_buf(), target })
    }

    /// Puts the file in place; without this the temporary file is removed
    /// and any earlier file stays.
    pub fn commit(self) -> Result<(), Error> {
        let path = &self.path;
        match self.target {
            Target::InPlace(mut file) => file.flush().map_err(|error| Error::io(path, error)),
            Target::Temporary(file) => {
                let temporary = file.into_inner().map_err(|error| Error::write(path, error.error()))?;
                temporary.as_file().sync_all().map_err(|error| Error::write(path, error))?;
                if let Ok(metadata) = std::fs::metadata(path) {
                    std::fs::set_permissions(temporary.path(), metadata.permissions())
                        .map_err(|error| Error::write(path, error))?;
                }
                temporary.persist(path).map_err(|error| Error::write(path, error.error))?;
                Ok(())
            }
        }
    }
}

impl Write for Streamed {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        match &mut self.target {
            Target::Temporary(file) => file.write(bytes),
            Target::InPlace(file) => file.write(bytes),
        }
    }

    fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        match &mut self.target {
            Target::Temporary(file) => file.write_all(bytes),
            Target::InPlace(file) => file.write_all(bytes),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.target {
            Target::Temporary(file) => file.flush(),
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
