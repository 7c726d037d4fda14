//! File handling of backups and restores: refusing to overwrite, sidecar names, fsync of
//! files and directories, and temporary files removed unless kept.

use super::{BackupError, Res, io};
use std::path::{Path, PathBuf};

pub(super) fn refuse_existing(path: &Path, force: bool, what: &str) -> Res<()> {
    if !force && path.exists() {
        return Err(BackupError::Refused(format!(
            "the {what} {} already exists; pass --force to replace it",
            path.display()
        )));
    }
    Ok(())
}

/// `path` with `suffix` added to its file name.
pub(super) fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

pub(super) fn sync_file(path: &Path) -> Res<()> {
    std::fs::File::open(path)
        .and_then(|f| f.sync_all())
        .map_err(io(format!("cannot flush {} to disk", path.display())))
}

/// Flushes the directory holding `path`, so that a rename into it survives a crash.
pub(super) fn sync_dir(path: &Path) -> Res<()> {
    #[cfg(unix)]
    {
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        std::fs::File::open(dir)
            .and_then(|f| f.sync_all())
            .map_err(io(format!("cannot flush the folder {}", dir.display())))?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// A temporary file beside a target, removed (with SQLite's journal) unless disarmed.
pub(super) struct TempFile(pub(super) PathBuf);

impl TempFile {
    pub(super) fn beside(target: &Path) -> Res<TempFile> {
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .ok_or_else(|| {
                BackupError::Refused(format!("{} is not a file name", target.display()))
            })?;
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let tmp = target.with_file_name(format!(".{name}.tmp-{}-{nanos}", std::process::id()));
        if let Some(dir) = tmp.parent()
            && !dir.as_os_str().is_empty()
            && !dir.is_dir()
        {
            return Err(BackupError::Refused(format!(
                "the folder {} does not exist",
                dir.display()
            )));
        }
        Ok(TempFile(tmp))
    }

    pub(super) fn disarm(mut self) {
        self.0 = PathBuf::new();
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if !self.0.as_os_str().is_empty() {
            let _ = std::fs::remove_file(&self.0);
            let _ = std::fs::remove_file(sidecar(&self.0, "-journal"));
        }
    }
}
