//! Writing output files so that a reader never sees half of one: a file's content goes to a
//! temporary file beside it, which is then renamed over it; a directory of many files (a
//! fleet's machine reports) is filled under a temporary name and renamed into place whole.
//!
//! Files get the permissions any other program's new files get (`0666` less the umask), not the
//! owner-only ones of a temporary file: reports are written to be shared.

use crate::error::{Error, Result};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes a whole file atomically.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    write_atomic_with(path, |w| w.write_all(bytes))
}

/// Writes a file atomically through `fill`, which streams into a buffered writer.
pub fn write_atomic_with(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    let error = |source| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    let temp = shared(&mut tempfile::Builder::new(), 0o666)
        .tempfile_in(parent(path))
        .map_err(error)?;
    let mut writer = std::io::BufWriter::new(temp);
    fill(&mut writer).map_err(error)?;
    let temp = writer.into_inner().map_err(|e| error(e.into_error()))?;
    temp.persist(path).map_err(|e| error(e.error))?;
    Ok(())
}

fn parent(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// Asks for `mode` (less the umask) where the platform has modes.
fn shared<'b, 'p, 's>(
    builder: &'b mut tempfile::Builder<'p, 's>,
    mode: u32,
) -> &'b mut tempfile::Builder<'p, 's> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(mode))
    }
    #[cfg(not(unix))]
    {
        let _ = mode;
        builder
    }
}

/// A directory filled under a hidden temporary name beside its final place, so its files can be
/// written directly (one file system operation each, not a temporary file and a rename) and a
/// reader sees either the previous directory whole or the new one whole. Dropped without
/// [`StagedDir::publish`], it is removed.
pub struct StagedDir {
    temp: tempfile::TempDir,
    target: PathBuf,
}

impl StagedDir {
    /// Starts a directory that will replace `target`.
    pub fn new(target: &Path) -> Result<StagedDir> {
        let temp = shared(tempfile::Builder::new().prefix(".w7plan-staged-"), 0o777)
            .tempdir_in(parent(target))
            .map_err(|source| Error::Write {
                path: target.to_path_buf(),
                source,
            })?;
        Ok(StagedDir {
            temp,
            target: target.to_path_buf(),
        })
    }

    /// Writes one file of the directory.
    pub fn write(&self, name: &str, bytes: &[u8]) -> Result<()> {
        let path = self.temp.path().join(name);
        std::fs::write(&path, bytes).map_err(|source| Error::Write {
            path: self.target.join(name),
            source,
        })
    }

    /// Puts the directory in its place; whatever was there before is removed.
    pub fn publish(self) -> Result<()> {
        let error = |source| Error::Write {
            path: self.target.clone(),
            source,
        };
        // A directory cannot be renamed over a non-empty one: the old one moves aside first,
        // under a name of its own, and is removed once the new one is in place.
        let old = match self.target.symlink_metadata() {
            Ok(_) => {
                let aside = tempfile::Builder::new()
                    .prefix(".w7plan-old-")
                    .tempdir_in(parent(&self.target))
                    .map_err(error)?;
                let old = aside.path().join("old");
                std::fs::rename(&self.target, &old).map_err(error)?;
                Some(aside)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(error(e)),
        };
        let staged = self.temp.keep();
        if let Err(e) = std::fs::rename(&staged, &self.target) {
            let _ = std::fs::remove_dir_all(&staged);
            return Err(error(e));
        }
        // Dropping the aside directory removes the old one with it.
        drop(old);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_staged_directory_replaces_the_old_one_whole() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("machines");
        std::fs::create_dir(&target).unwrap();
        std::fs::write(target.join("stale.html"), "old").unwrap();

        let staged = StagedDir::new(&target).unwrap();
        staged.write("a.html", b"new").unwrap();
        assert!(target.join("stale.html").exists(), "not published yet");
        staged.publish().unwrap();

        assert_eq!(
            std::fs::read_to_string(target.join("a.html")).unwrap(),
            "new"
        );
        assert!(!target.join("stale.html").exists());
        let names: Vec<_> = std::fs::read_dir(root.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["machines"], "nothing left beside it");
    }

    #[test]
    fn an_abandoned_staged_directory_leaves_nothing() {
        let root = tempfile::tempdir().unwrap();
        let staged = StagedDir::new(&root.path().join("machines")).unwrap();
        staged.write("a.html", b"x").unwrap();
        drop(staged);
        assert_eq!(std::fs::read_dir(root.path()).unwrap().count(), 0);
    }

    #[cfg(unix)]
    #[test]
    fn files_get_the_modes_of_any_new_file() {
        use std::os::unix::fs::PermissionsExt;
        let root = tempfile::tempdir().unwrap();
        let path = root.path().join("report.html");
        write_atomic(&path, b"x").unwrap();
        let plain = root.path().join("plain");
        std::fs::write(&plain, b"x").unwrap();
        let mode = |p: &Path| p.metadata().unwrap().permissions().mode() & 0o777;
        assert_eq!(
            mode(&path),
            mode(&plain),
            "as std::fs::write under the same umask"
        );
    }
}
