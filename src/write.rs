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
    if let Ok(metadata) = std::fs::symlink_metadata(path) {
        let kind = metadata.file_type();
        if !kind.is_file() && !kind.is_symlink() && !kind.is_dir() {
            return in_place(path, bytes);
        }
    }
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut temporary = tempfile::Builder::new()
        .prefix(".loclint-")
        .suffix(".tmp")
        .tempfile_in(folder)
        .map_err(|error| Error::io(folder, error))?;
    temporary.write_all(bytes).map_err(|error| Error::io(temporary.path(), error))?;
    temporary.as_file().sync_all().map_err(|error| Error::io(temporary.path(), error))?;
    if let Ok(metadata) = std::fs::metadata(path) {
        std::fs::set_permissions(temporary.path(), metadata.permissions())
            .map_err(|error| Error::io(temporary.path(), error))?;
    }
    temporary.persist(path).map_err(|error| Error::io(path, error.error))?;
    Ok(())
}

fn in_place(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let mut target = std::fs::OpenOptions::new().write(true).open(path).map_err(|error| Error::io(path, error))?;
    target.write_all(bytes).map_err(|error| Error::io(path, error))?;
    target.flush().map_err(|error| Error::io(path, error))
}
