//! Writing output files so that a reader never sees half of one, and so that writing never
//! destroys what w7plan does not own.
//!
//! - A file's content goes to a temporary file beside it, which is then renamed over it. Only a
//!   regular file (or nothing) is replaced that way. A character device or a FIFO (`-o
//!   /dev/null`, `-o /dev/stdout`, a named pipe) is opened and written in place: renaming onto
//!   it would replace the system's device node with a file. A symbolic link is followed and its
//!   target written as above; the link stays. Anything else (a directory, a block device, a
//!   socket) is refused.
//! - A directory of many files (a fleet's machine reports) is filled under a hidden temporary
//!   name beside its final place and renamed into place whole. It records the files it holds in
//!   a manifest, and the next run replaces it only when every file in it is one w7plan wrote:
//!   anything else stops the run rather than being deleted. Temporary directories that a killed
//!   run left behind are removed by the next run once no live run holds their lock.
//! - Everything written passes through [`crate::facts::productkey::MaskingWriter`] unless the caller
//!   says product keys are to be revealed ([`Keys::Revealed`]); then the files are created
//!   readable by their owner only (`0600`). Otherwise they get the permissions any other
//!   program's new files get (`0666` less the umask): reports are written to be shared.

use crate::error::{Error, Result};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Whether what is written may show product keys in full.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Keys {
    /// Everything shaped like a product key is masked to its last group.
    #[default]
    Masked,
    /// Written as given (`--reveal-keys`), into files only their owner can read.
    Revealed,
}

impl Keys {
    pub fn revealed(reveal: bool) -> Keys {
        if reveal {
            Keys::Revealed
        } else {
            Keys::Masked
        }
    }

    fn file_mode(self) -> u32 {
        match self {
            Keys::Masked => 0o666,
            Keys::Revealed => 0o600,
        }
    }

    fn dir_mode(self) -> u32 {
        match self {
            Keys::Masked => 0o777,
            Keys::Revealed => 0o700,
        }
    }

    fn apply_bytes(self, bytes: &[u8]) -> std::borrow::Cow<'_, [u8]> {
        match self {
            Keys::Masked => crate::facts::productkey::shaped::masked_bytes(bytes),
            Keys::Revealed => std::borrow::Cow::Borrowed(bytes),
        }
    }

    /// `text` as it may be shown.
    pub fn apply<'t>(self, text: &'t str) -> std::borrow::Cow<'t, str> {
        match self {
            Keys::Masked => crate::facts::productkey::mask_keys_in(text),
            Keys::Revealed => std::borrow::Cow::Borrowed(text),
        }
    }
}

/// Writes a whole file atomically.
pub fn write_atomic(path: &Path, bytes: &[u8], keys: Keys) -> Result<()> {
    write_atomic_with(path, keys, |w| w.write_all(bytes))
}

/// Writes a file through `fill`, which streams into a buffered writer: atomically when `path` is
/// (or will be) a regular file, in place when it is a character device or a FIFO.
pub fn write_atomic_with(
    path: &Path,
    keys: Keys,
    fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    let error = |source| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    match destination(path).map_err(error)? {
        Destination::Stream(file) => {
            let mut writer = std::io::BufWriter::new(file);
            fill_masked(&mut writer, keys, fill).map_err(error)?;
            writer.flush().map_err(error)
        }
        Destination::Replace(path) => {
            let temp = with_mode(&mut tempfile::Builder::new(), keys.file_mode())
                .tempfile_in(parent(&path))
                .map_err(error)?;
            let mut writer = std::io::BufWriter::new(temp);
            fill_masked(&mut writer, keys, fill).map_err(error)?;
            let temp = writer.into_inner().map_err(|e| error(e.into_error()))?;
            temp.persist(&path).map_err(|e| error(e.error))?;
            Ok(())
        }
    }
}

fn fill_masked(
    writer: &mut dyn Write,
    keys: Keys,
    fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    match keys {
        Keys::Revealed => fill(writer),
        Keys::Masked => {
            let mut masking = crate::facts::productkey::MaskingWriter::new(writer);
            fill(&mut masking)?;
            masking.finish().map(drop)
        }
    }
}

/// Where a file's bytes go.
enum Destination {
    /// A regular file, or none yet: replaced through a temporary file.
    Replace(PathBuf),
    /// A character device or FIFO, opened for writing.
    Stream(std::fs::File),
}

/// What writing to `path` means, following symbolic links to what they name.
fn destination(path: &Path) -> std::io::Result<Destination> {
    let metadata = match path.symlink_metadata() {
        Ok(metadata) => metadata,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(Destination::Replace(path.to_path_buf()))
        }
        Err(e) => return Err(e),
    };
    if metadata.file_type().is_symlink() {
        // What the link names decides; a regular file is replaced where it is, so the link
        // stays a link. (`/dev/stdout` names a pipe or a terminal, written in place.)
        let named = std::fs::metadata(path).map_err(|e| {
            std::io::Error::new(
                e.kind(),
                format!("a symbolic link to something that cannot be opened ({e}); not replaced"),
            )
        })?;
        if named.is_file() {
            return Ok(Destination::Replace(std::fs::canonicalize(path)?));
        }
        return by_kind(path, &named);
    }
    if metadata.is_file() {
        return Ok(Destination::Replace(path.to_path_buf()));
    }
    by_kind(path, &metadata)
}

/// A destination that is not a regular file: a character device or FIFO is opened, anything
/// else refused.
fn by_kind(path: &Path, metadata: &std::fs::Metadata) -> std::io::Result<Destination> {
    let kind = metadata.file_type();
    if kind.is_dir() {
        return Err(std::io::Error::other(
            "a directory; name a file (or `-` for standard output)",
        ));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_char_device() || kind.is_fifo() {
            let file = std::fs::OpenOptions::new().write(true).open(path)?;
            return Ok(Destination::Stream(file));
        }
        Err(std::io::Error::other(
            "neither a regular file, a character device nor a FIFO; w7plan does not write there",
        ))
    }
    // Windows has no device nodes in directories: what is neither a file nor a directory is a
    // device such as `NUL`, written in place.
    #[cfg(not(unix))]
    {
        let file = std::fs::OpenOptions::new().write(true).open(path)?;
        Ok(Destination::Stream(file))
    }
}

fn parent(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// Asks for `mode` (less the umask) where the platform has modes.
fn with_mode<'b, 'p, 's>(
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

/// The prefix of a directory being filled, and of an old one on its way out.
const STAGED_PREFIX: &str = ".w7plan-staged-";
const OLD_PREFIX: &str = ".w7plan-old-";
/// Held locked by the run filling a staged directory; removed before it is published.
const LOCK_NAME: &str = ".w7plan-lock";
/// The list of files w7plan wrote into a published directory, one name a line.
pub const MANIFEST_NAME: &str = ".w7plan-written";
/// A staged directory without a lock (left by an older w7plan, or killed before it took the
/// lock) is left alone until it has not changed for this long.
const UNLOCKED_STALE_AFTER: std::time::Duration = std::time::Duration::from_secs(3600);

/// A directory filled under a hidden temporary name beside its final place, so its files can be
/// written directly (one file system operation each, not a temporary file and a rename) and a
/// reader sees either the previous directory whole or the new one whole. Dropped without
/// [`StagedDir::publish`], it is removed.
pub struct StagedDir {
    /// Held for the directory's life: tells other runs this one is alive. Declared first so it
    /// is closed before `temp` removes the directory (Windows cannot delete an open file).
    lock: Option<std::fs::File>,
    temp: tempfile::TempDir,
    target: PathBuf,
    keys: Keys,
}

impl StagedDir {
    /// Starts a directory that will replace `target`. Fails, before anything is written, when
    /// `target` holds files w7plan did not write; removes staged directories killed runs left.
    pub fn new(target: &Path, keys: Keys) -> Result<StagedDir> {
        let error = |source| Error::Write {
            path: target.to_path_buf(),
            source,
        };
        check_owned(target)?;
        remove_stale(parent(target));
        let temp = with_mode(
            tempfile::Builder::new().prefix(STAGED_PREFIX),
            keys.dir_mode(),
        )
        .tempdir_in(parent(target))
        .map_err(error)?;
        // Where locks are not supported the staged directory is cleaned up by age alone.
        let lock = hold_lock(&temp.path().join(LOCK_NAME));
        Ok(StagedDir {
            temp,
            target: target.to_path_buf(),
            keys,
            lock,
        })
    }

    /// Writes one file of the directory.
    pub fn write(&self, name: &str, bytes: &[u8]) -> Result<()> {
        let path = self.temp.path().join(name);
        let error = |source| Error::Write {
            path: self.target.join(name),
            source,
        };
        let mut options = std::fs::OpenOptions::new();
        // Two inputs that name the same report (the same machine in two files of one name) must
        // not overwrite each other's report silently.
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(self.keys.file_mode());
        }
        let mut file = options.open(&path).map_err(error)?;
        file.write_all(&self.keys.apply_bytes(bytes)).map_err(error)
    }

    /// Removes a file this run wrote (a report replaced by another); a missing one is fine.
    pub fn remove(&self, name: &str) -> Result<()> {
        match std::fs::remove_file(self.temp.path().join(name)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::Write {
                path: self.target.join(name),
                source: e,
            }),
            _ => Ok(()),
        }
    }

    /// Puts the directory in its place, with a manifest of its files; the previous one is
    /// removed, once it is checked to hold only files w7plan wrote.
    pub fn publish(mut self) -> Result<()> {
        let error = |source| Error::Write {
            path: self.target.clone(),
            source,
        };
        let mut names: Vec<String> = std::fs::read_dir(self.temp.path())
            .map_err(error)?
            .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
            .filter(|name| name != LOCK_NAME)
            .collect();
        names.sort();
        let mut manifest = String::from(
            "# Files w7plan wrote here; the next run replaces them and refuses to delete others.\n",
        );
        for name in &names {
            manifest.push_str(name);
            manifest.push('\n');
        }
        std::fs::write(self.temp.path().join(MANIFEST_NAME), manifest).map_err(error)?;
        check_owned(&self.target)?;
        drop(self.lock.take());
        let _ = std::fs::remove_file(self.temp.path().join(LOCK_NAME));
        // A directory cannot be renamed over a non-empty one: the old one moves aside first,
        // under a name of its own, and is removed once the new one is in place.
        let old = match self.target.symlink_metadata() {
            Ok(_) => {
                let aside = tempfile::Builder::new()
                    .prefix(OLD_PREFIX)
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

/// Removes a directory w7plan published (a previous run's machine reports that this run does
/// not replace), after checking it holds only files w7plan wrote. Nothing there is fine.
pub fn remove_published(target: &Path) -> Result<()> {
    check_owned(target)?;
    match std::fs::remove_dir_all(target) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::Write {
            path: target.to_path_buf(),
            source: e,
        }),
        _ => Ok(()),
    }
}

/// Fails when `target` exists and holds anything w7plan did not write: a name its manifest does
/// not list, or, in a directory an older w7plan wrote without a manifest, anything not named
/// like a machine report (`<host>-<12 hex digits>.html` or `.md`).
pub fn check_owned(target: &Path) -> Result<()> {
    let error = |source| Error::Write {
        path: target.to_path_buf(),
        source,
    };
    let metadata = match target.symlink_metadata() {
        Ok(metadata) => metadata,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(error(e)),
    };
    if !metadata.is_dir() {
        return Err(error(std::io::Error::other(
            "not a directory w7plan wrote; move it away or choose another output directory",
        )));
    }
    let manifest = std::fs::read_to_string(target.join(MANIFEST_NAME)).ok();
    let listed: Option<std::collections::HashSet<&str>> = manifest.as_deref().map(|text| {
        text.lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .collect()
    });
    let mut foreign = Vec::new();
    for entry in std::fs::read_dir(target).map_err(error)? {
        let entry = entry.map_err(error)?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let is_file = entry.file_type().is_ok_and(|t| t.is_file());
        let ours = name == MANIFEST_NAME
            || (is_file
                && match &listed {
                    Some(listed) => listed.contains(name.as_str()),
                    None => looks_like_report(&name),
                });
        if !ours {
            foreign.push(name);
        }
    }
    if foreign.is_empty() {
        return Ok(());
    }
    foreign.sort();
    let shown: Vec<&str> = foreign.iter().take(5).map(String::as_str).collect();
    let more = if foreign.len() > 5 {
        format!(" and {} more", foreign.len() - 5)
    } else {
        String::new()
    };
    Err(error(std::io::Error::other(format!(
        "holds {} file(s) w7plan did not write ({}{more}); w7plan replaces this directory on \
         every run, so it stops rather than delete them: move them away or choose another \
         output directory",
        foreign.len(),
        shown.join(", ")
    ))))
}

/// Fails when one of `names` exists in `dir` and w7plan did not write it: `dir`'s manifest does
/// not list it, or, without a manifest (an older w7plan's output), `legacy_ours` says no.
pub fn check_files_owned(dir: &Path, names: &[&str], legacy_ours: impl Fn() -> bool) -> Result<()> {
    let present: Vec<&str> = names
        .iter()
        .copied()
        .filter(|name| dir.join(name).symlink_metadata().is_ok())
        .collect();
    if present.is_empty() {
        return Ok(());
    }
    let foreign: Vec<&str> = match std::fs::read_to_string(dir.join(MANIFEST_NAME)) {
        Ok(manifest) => present
            .into_iter()
            .filter(|name| !manifest.lines().any(|line| line == *name))
            .collect(),
        Err(_) if legacy_ours() => Vec::new(),
        Err(_) => present,
    };
    if foreign.is_empty() {
        return Ok(());
    }
    Err(Error::Write {
        path: dir.to_path_buf(),
        source: std::io::Error::other(format!(
            "holds {} that w7plan did not write; it stops rather than replace them: move them \
             away or choose another output directory",
            foreign.join(", ")
        )),
    })
}

/// Records in `dir`'s manifest that w7plan wrote `names` there.
pub fn record_written(dir: &Path, names: &[&str]) -> Result<()> {
    let mut manifest = String::from(
        "# Files w7plan wrote here; the next run replaces them and refuses to replace others.\n",
    );
    for name in names {
        manifest.push_str(name);
        manifest.push('\n');
    }
    write_atomic(&dir.join(MANIFEST_NAME), manifest.as_bytes(), Keys::Masked)
}

/// `<host>-<12 hex digits>.html` or `.md`, the names of the machine reports w7plan writes.
fn looks_like_report(name: &str) -> bool {
    let Some(stem) = name
        .strip_suffix(".html")
        .or_else(|| name.strip_suffix(".md"))
    else {
        return false;
    };
    let Some((host, id)) = stem.rsplit_once('-') else {
        return false;
    };
    id.len() == 12
        && id.bytes().all(|b| b.is_ascii_hexdigit())
        && !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Removes the staged and set-aside directories of runs that were killed: those whose lock no
/// live run holds, and those without a lock that have not changed for an hour.
fn remove_stale(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if !(name.starts_with(STAGED_PREFIX) || name.starts_with(OLD_PREFIX)) {
            continue;
        }
        if !entry.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        let path = entry.path();
        // Taking the lock proves no run holds it (it is let go at once: Windows cannot delete
        // a file held open, and no run ever takes another's staged directory).
        let lock_path = path.join(LOCK_NAME);
        let stale = match lock_path.exists() {
            true => hold_lock(&lock_path).is_some(),
            false => entry
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|modified| modified.elapsed().ok())
                .is_some_and(|age| age > UNLOCKED_STALE_AFTER),
        };
        if stale {
            let _ = std::fs::remove_dir_all(&path);
        }
    }
}

/// Creates (or opens) `path` and takes its lock, without waiting: `None` when a live run
/// holds it (or locks are not available). The lock lasts while the file stays open.
fn hold_lock(path: &Path) -> Option<std::fs::File> {
    #[cfg(unix)]
    {
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(path)
            .ok()?;
        rustix::fs::flock(&file, rustix::fs::FlockOperation::NonBlockingLockExclusive).ok()?;
        Some(file)
    }
    // Windows: a file opened without sharing cannot be opened again until it is closed, which
    // a killed process's files are.
    #[cfg(windows)]
    {
        use std::os::windows::fs::OpenOptionsExt;
        std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .share_mode(0)
            .open(path)
            .ok()
    }
    #[cfg(not(any(unix, windows)))]
    {
        let _ = path;
        None
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
        std::fs::write(target.join("stale-0123456789ab.html"), "old").unwrap();

        let staged = StagedDir::new(&target, Keys::Masked).unwrap();
        staged.write("a.html", b"new").unwrap();
        assert!(
            target.join("stale-0123456789ab.html").exists(),
            "not published yet"
        );
        staged.publish().unwrap();

        assert_eq!(
            std::fs::read_to_string(target.join("a.html")).unwrap(),
            "new"
        );
        assert!(!target.join("stale-0123456789ab.html").exists());
        let names: Vec<_> = std::fs::read_dir(root.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["machines"], "nothing left beside it");
        assert_eq!(
            std::fs::read_to_string(target.join(MANIFEST_NAME))
                .unwrap()
                .lines()
                .filter(|l| !l.starts_with('#'))
                .collect::<Vec<_>>(),
            ["a.html"]
        );
    }

    #[test]
    fn an_abandoned_staged_directory_leaves_nothing() {
        let root = tempfile::tempdir().unwrap();
        let staged = StagedDir::new(&root.path().join("machines"), Keys::Masked).unwrap();
        staged.write("a.html", b"x").unwrap();
        drop(staged);
        assert_eq!(std::fs::read_dir(root.path()).unwrap().count(), 0);
    }

    /// (A FIFO written in place is tested end to end in tests/outputs.rs; the system's devices
    /// are left alone by the tests.)
    #[cfg(unix)]
    #[test]
    fn a_new_file_is_replaced_and_a_directory_refused() {
        let root = tempfile::tempdir().unwrap();
        assert!(matches!(
            destination(&root.path().join("new.json")),
            Ok(Destination::Replace(_))
        ));
        assert!(destination(root.path()).is_err(), "a directory");
    }

    #[cfg(unix)]
    #[test]
    fn files_get_the_modes_of_any_new_file() {
        use std::os::unix::fs::PermissionsExt;
        let root = tempfile::tempdir().unwrap();
        let path = root.path().join("report.html");
        write_atomic(&path, b"x", Keys::Masked).unwrap();
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
