//! One NTFS volume inside an image, as [`VolumeFiles`]: finds files by path through the
//! directory indexes and reads their data, using the `ntfs` crate.
//!
//! It reads no more than the path's directories and the file asked for. What it will not read it
//! names: NTFS-compressed and EFS-encrypted files are typed errors, never returned as the raw
//! (compressed or encrypted) bytes. Every operation runs under a read budget, so damaged
//! metadata that loops ends in an error, and every call into `ntfs` is guarded against panics
//! ([`super::guard`]): a damaged image must be an error, not a crash.

use std::io::Read;

use ntfs::indexes::NtfsFileNameIndex;
use ntfs::structured_values::{NtfsFileAttributeFlags, NtfsFileNamespace};
use ntfs::{Ntfs, NtfsAttributeFlags, NtfsFile};

use super::guard;
use super::io::Window;
use crate::error::{Error, Origin, Result};
use crate::facts::import::offline::volume::VolumeFiles;

/// The OEM id at byte 3 of an NTFS boot sector.
pub const NTFS_OEM: &[u8; 8] = b"NTFS    ";
/// The OEM id BitLocker writes at byte 3 of the volumes it encrypts.
pub const BITLOCKER_OEM: &[u8; 8] = b"-FVE-FS-";

/// Reading a path's directories may take this much besides the file itself.
const METADATA_BUDGET: u64 = 256 << 20;
/// Directory entries listed at most (Windows' largest folders hold tens of thousands).
const MAX_ENTRIES: usize = 1_000_000;
/// Path segments followed at most.
const MAX_DEPTH: usize = 64;

/// What a volume's first sector says it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BootSector {
    Ntfs,
    BitLocker,
    Other,
}

pub fn boot_sector_kind(sector: &[u8]) -> BootSector {
    match sector.get(3..11) {
        Some(id) if id == NTFS_OEM => BootSector::Ntfs,
        Some(id) if id == BITLOCKER_OEM => BootSector::BitLocker,
        _ => BootSector::Other,
    }
}

/// An NTFS file system, ready to answer path questions.
pub struct NtfsVolume {
    fs: Window,
    ntfs: Ntfs,
    describe: String,
}

impl NtfsVolume {
    /// Reads the boot sector and the `$UpCase` table (for case-insensitive names).
    pub fn open(mut fs: Window, describe: String) -> Result<Self> {
        let origin = Origin(describe.clone());
        fs.set_budget(METADATA_BUDGET);
        let ntfs = guarded(&origin, || {
            let mut ntfs = Ntfs::new(&mut fs).map_err(|e| damaged(&origin, e))?;
            ntfs.read_upcase_table(&mut fs)
                .map_err(|e| damaged(&origin, e))?;
            Ok(ntfs)
        })?;
        Ok(NtfsVolume { fs, ntfs, describe })
    }

    fn origin(&self) -> Origin {
        Origin(self.describe.clone())
    }
}

/// Runs `f`, turning a panic inside the NTFS reader into an error ([`guard`]).
fn guarded<T>(origin: &Origin, f: impl FnOnce() -> Result<T>) -> Result<T> {
    guard::guarded(f).unwrap_or_else(|panic| {
        Err(damaged(
            origin,
            format!("the NTFS reader stopped on damaged metadata ({panic})"),
        ))
    })
}

fn damaged(origin: &Origin, e: impl std::fmt::Display) -> Error {
    Error::DiskImage {
        origin: origin.clone(),
        message: format!("cannot read the NTFS file system: {e}"),
    }
}

/// The file at `path`, `None` when a segment is missing (or a non-directory is walked into).
fn lookup<'n>(
    ntfs: &'n Ntfs,
    fs: &mut Window,
    path: &[&str],
    origin: &Origin,
) -> Result<Option<NtfsFile<'n>>> {
    if path.len() > MAX_DEPTH {
        return Ok(None);
    }
    let mut file = ntfs.root_directory(fs).map_err(|e| damaged(origin, e))?;
    for segment in path {
        if !file.is_directory() || segment.is_empty() {
            return Ok(None);
        }
        let next = {
            let index = file.directory_index(fs).map_err(|e| damaged(origin, e))?;
            let mut finder = index.finder();
            match NtfsFileNameIndex::find(&mut finder, ntfs, fs, segment) {
                None => return Ok(None),
                Some(entry) => {
                    let entry = entry.map_err(|e| damaged(origin, e))?;
                    entry.to_file(ntfs, fs).map_err(|e| damaged(origin, e))?
                }
            }
        };
        file = next;
    }
    Ok(Some(file))
}

impl VolumeFiles for NtfsVolume {
    fn read(&mut self, path: &[&str], limit: u64) -> Result<Option<Vec<u8>>> {
        let origin = self.origin();
        guarded(&origin, || self.read_unguarded(path, limit))
    }

    fn list(&mut self, path: &[&str]) -> Result<Option<Vec<String>>> {
        let origin = self.origin();
        guarded(&origin, || self.list_unguarded(path))
    }

    fn describe(&self) -> String {
        self.describe.clone()
    }

    fn volume_size(&self) -> Option<u64> {
        Some(self.ntfs.size())
    }
}

impl NtfsVolume {
    fn read_unguarded(&mut self, path: &[&str], limit: u64) -> Result<Option<Vec<u8>>> {
        let origin = self.origin();
        let shown = path.join("\\");
        self.fs
            .set_budget(METADATA_BUDGET.saturating_add(limit.saturating_mul(2)));
        let Self { fs, ntfs, .. } = self;
        let Some(file) = lookup(ntfs, fs, path, &origin)? else {
            return Ok(None);
        };
        if file.is_directory() {
            return Ok(None);
        }
        let flags = file
            .info()
            .map_err(|e| damaged(&origin, e))?
            .file_attributes();
        refuse_unreadable(
            &origin,
            &shown,
            flags.contains(NtfsFileAttributeFlags::COMPRESSED),
            flags.contains(NtfsFileAttributeFlags::ENCRYPTED),
        )?;
        let Some(item) = file.data(fs, "") else {
            return Ok(Some(Vec::new()));
        };
        let item = item.map_err(|e| damaged(&origin, e))?;
        let attribute = item.to_attribute().map_err(|e| damaged(&origin, e))?;
        let attr_flags = attribute.flags();
        refuse_unreadable(
            &origin,
            &shown,
            attr_flags.contains(NtfsAttributeFlags::COMPRESSED),
            attr_flags.contains(NtfsAttributeFlags::ENCRYPTED),
        )?;
        let value = attribute.value(fs).map_err(|e| damaged(&origin, e))?;
        let len = value.len();
        if len > limit {
            return Err(Error::TooLarge {
                origin: Origin(format!("{origin}: {shown}")),
                limit_mib: limit.div_ceil(1 << 20),
                kind: "the file w7plan reads there",
            });
        }
        let mut bytes = vec![0u8; len as usize];
        value
            .attach(fs)
            .read_exact(&mut bytes)
            .map_err(|e| damaged(&origin, format!("{shown}: {e}")))?;
        Ok(Some(bytes))
    }

    fn list_unguarded(&mut self, path: &[&str]) -> Result<Option<Vec<String>>> {
        let origin = self.origin();
        self.fs.set_budget(METADATA_BUDGET);
        let Self { fs, ntfs, .. } = self;
        let Some(dir) = lookup(ntfs, fs, path, &origin)? else {
            return Ok(None);
        };
        if !dir.is_directory() {
            return Ok(None);
        }
        let index = dir.directory_index(fs).map_err(|e| damaged(&origin, e))?;
        let mut entries = index.entries();
        let mut names = Vec::new();
        while let Some(entry) = entries.next(fs) {
            let entry = entry.map_err(|e| damaged(&origin, e))?;
            // Records below 16 are the file system's own ($MFT, $Bitmap, the root's "." …).
            if entry.file_reference().file_record_number() < 16 {
                continue;
            }
            let Some(key) = entry.key() else { continue };
            let key = key.map_err(|e| damaged(&origin, e))?;
            // An 8.3 alias (PROGRA~1) repeats a long name listed beside it.
            if key.namespace() == NtfsFileNamespace::Dos {
                continue;
            }
            names.push(key.name().to_string_lossy());
            if names.len() > MAX_ENTRIES {
                return Err(damaged(
                    &origin,
                    format!("a directory with more than {MAX_ENTRIES} entries"),
                ));
            }
        }
        names.sort_by_key(|n| n.to_lowercase());
        names.dedup();
        Ok(Some(names))
    }
}

fn refuse_unreadable(origin: &Origin, path: &str, compressed: bool, encrypted: bool) -> Result<()> {
    if encrypted {
        return Err(Error::NtfsEncrypted {
            origin: origin.clone(),
            path: path.to_string(),
        });
    }
    if compressed {
        return Err(Error::NtfsCompressed {
            origin: origin.clone(),
            path: path.to_string(),
        });
    }
    Ok(())
}
