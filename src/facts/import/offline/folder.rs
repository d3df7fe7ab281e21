//! A Windows volume that the operating system already mounted: a folder such as `E:\` or
//! `/mnt/win7` whose tree holds `Windows/System32/config/SOFTWARE` in any letter case.
//!
//! It only finds files by name, ignoring case as Windows does, and reads them within a cap; it
//! neither parses them nor writes anything. Its size is unknown: the folder may be any folder.

use super::volume::VolumeFiles;
use crate::error::{Error, Origin, Result};
use std::io::Read as _;
use std::path::{Path, PathBuf};

/// The file that makes a folder a Windows volume.
const MARKER: [&str; 4] = ["Windows", "System32", "config", "SOFTWARE"];

/// A mounted Windows volume.
#[derive(Debug, Clone)]
pub struct FolderVolume {
    root: PathBuf,
}

impl FolderVolume {
    /// The volume at `root` when it holds `Windows/System32/config/SOFTWARE` (any case) as a
    /// file; `None` for any other folder.
    pub fn find(root: &Path) -> Option<FolderVolume> {
        let volume = FolderVolume {
            root: root.to_path_buf(),
        };
        volume
            .resolve(&MARKER)
            .filter(|p| p.is_file())
            .map(|_| volume)
    }

    /// The real path of `segments` below the root, each matched ignoring case (an exact match
    /// first, so a case-sensitive file system with two spellings picks the one asked for).
    fn resolve(&self, segments: &[&str]) -> Option<PathBuf> {
        let mut here = self.root.clone();
        for segment in segments {
            let exact = here.join(segment);
            if std::fs::symlink_metadata(&exact).is_ok() {
                here = exact;
                continue;
            }
            let wanted = segment.to_uppercase();
            let found = std::fs::read_dir(&here).ok()?.flatten().find(|entry| {
                entry
                    .file_name()
                    .to_str()
                    .is_some_and(|name| name.to_uppercase() == wanted)
            })?;
            here = found.path();
        }
        Some(here)
    }
}

impl VolumeFiles for FolderVolume {
    fn read(&mut self, path: &[&str], limit: u64) -> Result<Option<Vec<u8>>> {
        let Some(real) = self.resolve(path) else {
            return Ok(None);
        };
        if !real.is_file() {
            return Ok(None);
        }
        let read_error = |source| Error::Read {
            path: real.clone(),
            source,
        };
        let file = std::fs::File::open(&real).map_err(read_error)?;
        let mut bytes = Vec::new();
        file.take(limit.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(read_error)?;
        if bytes.len() as u64 > limit {
            return Err(Error::TooLarge {
                origin: Origin::path(&real),
                limit_mib: limit >> 20,
                kind: "a registry hive",
            });
        }
        Ok(Some(bytes))
    }

    fn list(&mut self, path: &[&str]) -> Result<Option<Vec<String>>> {
        let Some(real) = self.resolve(path).filter(|p| p.is_dir()) else {
            return Ok(None);
        };
        let entries = std::fs::read_dir(&real).map_err(|source| Error::Read {
            path: real.clone(),
            source,
        })?;
        let mut names: Vec<String> = entries
            .flatten()
            .filter_map(|e| e.file_name().to_str().map(str::to_string))
            .collect();
        names.sort();
        Ok(Some(names))
    }

    fn describe(&self) -> String {
        self.root.display().to_string()
    }

    fn volume_size(&self) -> Option<u64> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_volume_in_any_letter_case() {
        let dir = tempfile::tempdir().unwrap();
        assert!(FolderVolume::find(dir.path()).is_none());
        let config = dir.path().join("WINDOWS").join("system32").join("Config");
        std::fs::create_dir_all(&config).unwrap();
        std::fs::write(config.join("software"), b"regf").unwrap();
        let mut volume = FolderVolume::find(dir.path()).expect("a volume");
        assert_eq!(
            volume.read(&MARKER, 16).unwrap().as_deref(),
            Some(&b"regf"[..])
        );
        assert_eq!(volume.read(&["Windows", "nothing"], 16).unwrap(), None);
        assert_eq!(
            volume.read(&MARKER, 2).unwrap_err().code(),
            "input-too-large"
        );
        assert_eq!(
            volume.list(&["windows", "SYSTEM32"]).unwrap(),
            Some(vec!["Config".to_string()])
        );
    }
}
