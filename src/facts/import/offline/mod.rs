//! Windows installations that are not running: a disk from a dead PC mounted as a folder, or the
//! registry hive files themselves. [`open`] tells whether a path is one and reads its hives
//! (SOFTWARE, SYSTEM, each user's NTUSER.DAT, with their transaction logs when a hive was left
//! dirty) into an [`Installation`], which gives an inventory and the product key blobs.
//!
//! Inputs are told by content, never by file name: a folder is a Windows volume when it holds
//! `Windows/System32/config/SOFTWARE` in any letter case ([`folder`]); a file is a hive when it
//! starts with `regf`, and which hive by the keys it holds; a folder that directly holds hive
//! files is one installation's hives ([`loose`]). Disk images (raw, VHD, VHDX, VMDK) are
//! the job of [`disk`], which gives a [`VolumeFiles`] like a folder does. This module reads and maps; it judges nothing, and it never writes to
//! the installation.

pub mod bcd;
pub mod disk;
pub mod facts;
pub mod folder;
pub mod hive;
#[doc(hidden)]
pub mod hive_writer;
pub mod loose;
pub mod volume;

pub use facts::{BootSeen, Hives, Place};
pub use volume::VolumeFiles;

use crate::error::{Error, Origin, Result};
use crate::facts::inventory::Inventory;
use hive::{Hive, HIVE_LIMIT};
use std::io::Read as _;
use std::path::Path;

/// The hives of one installation and where they were found.
#[derive(Debug)]
pub struct Installation {
    pub hives: Hives,
    pub place: Place,
}

impl Installation {
    /// The inventory of the installation.
    pub fn inventory(&self) -> Inventory {
        facts::inventory(&self.hives, &self.place)
    }

    /// The `DigitalProductId`/`DigitalProductId4` values that hold its product key.
    pub fn digital_product_ids(&self) -> Result<Vec<(String, Vec<u8>)>> {
        let origin = Origin(self.place.describe.clone());
        if self.hives.software.is_none() {
            return Err(Error::ImportFailed {
                origin,
                message: "no SOFTWARE hive, which holds the product key (in \
                          Microsoft\\Windows NT\\CurrentVersion)"
                    .into(),
            });
        }
        let found = facts::digital_product_ids(&self.hives);
        if found.is_empty() {
            return Err(Error::ImportFailed {
                origin,
                message: "the SOFTWARE hive has no DigitalProductId value in \
                          Microsoft\\Windows NT\\CurrentVersion"
                    .into(),
            });
        }
        Ok(found)
    }
}

/// Whether a folder is a mounted Windows volume (one machine, never walked into).
pub fn is_windows_volume(dir: &Path) -> bool {
    folder::FolderVolume::find(dir).is_some()
}

/// Whether a folder is one installation: a mounted Windows volume, or loose hive files copied
/// off one ([`loose`]). Either is one machine, never walked into.
pub fn is_installation_folder(dir: &Path) -> bool {
    is_windows_volume(dir) || loose::holds_hives(dir)
}

/// The installation at `path`, when it is one of the inputs this module reads; `Ok(None)` for
/// anything else (an evidence folder, a tool output, an inventory), which the caller reads as it
/// always did. A hive that holds no facts (SAM, BCD) or a transaction log alone is
/// [`Error::ImportNotUsed`]; a damaged hive is [`Error::HiveInvalid`].
pub fn open(path: &Path) -> Result<Option<Installation>> {
    if path.is_dir() {
        return match folder::FolderVolume::find(path) {
            Some(mut volume) => from_volume(&mut volume).map(Some),
            None => loose::open(path),
        };
    }
    // One read of each end serves both tests: a hive's signature at the start, and a disk
    // image's at either end. The caller's own read reports an unreadable file.
    let Ok(file) = std::fs::File::open(path) else {
        return Ok(None);
    };
    let mut file: disk::io::Disk = Box::new(file);
    let Ok((head, tail, len)) = disk::head_and_tail(&mut file) else {
        return Ok(None);
    };
    if hive::is_regf(&head) {
        return hive_file(path).map(Some);
    }

    // A raw disk or partition image (.img, .dd) or a VM disk (VHD, VHDX, VMDK): `disk` finds the
    // Windows volume in it, which is then read exactly as a folder is.
    if disk::looks_like_image_ends(&head, &tail, len) {
        let mut found = disk::find_windows_installation(path)?;
        let mut installation = from_volume(found.volume.as_mut())?;
        installation.place.disk = found.disk;
        installation.place.boot = boot_seen(&found.boot_stores, &mut installation.place.notes);
        return Ok(Some(installation));
    }
    Ok(None)
}

/// The boot mode the first telling BCD store shows; a store that cannot be read, or tells
/// nothing, is noted (the boot mode is then inferred from the disk's layout, and says so).
pub fn boot_seen(stores: &[disk::BootStore], notes: &mut Vec<String>) -> Option<BootSeen> {
    for store in stores {
        let read = store
            .bytes
            .as_ref()
            .map_err(ToString::to_string)
            .and_then(|bytes| {
                Hive::open(bytes.clone(), &[], &Origin(store.describe.clone()))
                    .map_err(|e| e.to_string())
            });
        match read.map(|hive| bcd::boot_mode(&hive)) {
            Ok(Some(verdict)) => {
                return Some(BootSeen {
                    mode: verdict.mode,
                    from: format!("the BCD store at {} ({})", store.describe, verdict.because),
                })
            }
            Ok(None) => notes.push(format!(
                "firmware.boot_mode: the BCD store at {} names no Windows Boot Loader path \
                 (winload.efi or winload.exe)",
                store.describe
            )),
            Err(e) => notes.push(format!(
                "firmware.boot_mode: the BCD store at {} cannot be read: {e}",
                store.describe
            )),
        }
    }
    None
}

/// Reads the installation on a volume: its SOFTWARE and SYSTEM hives (a damaged one is an
/// error, and a volume with neither is not an installation) and each user's NTUSER.DAT (a
/// damaged one is a note). The disk-image side calls this with its own [`VolumeFiles`].
pub fn from_volume(volume: &mut dyn VolumeFiles) -> Result<Installation> {
    let describe = volume.describe();
    let config = ["Windows", "System32", "config"];
    let mut hives = Hives {
        software: read_hive(volume, &config, "SOFTWARE", &describe)?,
        system: read_hive(volume, &config, "SYSTEM", &describe)?,
        users: Vec::new(),
    };
    if hives.software.is_none() && hives.system.is_none() {
        return Err(Error::ImportFailed {
            origin: Origin(describe),
            message: "no SOFTWARE or SYSTEM hive in Windows\\System32\\config: not a Windows \
                      installation w7plan can read"
                .into(),
        });
    }
    let mut notes = Vec::new();
    for user in volume.list(&["Users"])?.unwrap_or_default() {
        // The template profile and the shared folders are nobody's programs.
        if ["Default", "Default User", "Public", "All Users"]
            .iter()
            .any(|n| n.eq_ignore_ascii_case(&user))
        {
            continue;
        }
        match read_hive(volume, &["Users", &user], "NTUSER.DAT", &describe) {
            Ok(Some(hive)) => hives.users.push((user, hive)),
            Ok(None) => {}
            Err(e) => notes.push(format!("software: {user}'s programs are missing: {e}")),
        }
    }
    // Kept with a hive's own notes, which the inventory carries (one of the two is there).
    if let Some(hive) = hives.software.as_mut().or(hives.system.as_mut()) {
        hive.notes.extend(notes);
    }
    Ok(Installation {
        hives,
        place: Place {
            describe,
            volume_size: volume.volume_size(),
            disk: None,
            ..Place::default()
        },
    })
}

/// One hive of a volume with its logs, read only when the hive is dirty.
fn read_hive(
    volume: &mut dyn VolumeFiles,
    dir: &[&str],
    name: &str,
    describe: &str,
) -> Result<Option<Hive>> {
    let path = |file: &str| -> Vec<String> {
        dir.iter()
            .map(|s| s.to_string())
            .chain([file.to_string()])
            .collect()
    };
    let primary_path = path(name);
    let segments: Vec<&str> = primary_path.iter().map(String::as_str).collect();
    let Some(primary) = volume.read(&segments, HIVE_LIMIT)? else {
        return Ok(None);
    };
    let origin = Origin(format!("{describe}: {}", primary_path.join("\\")));
    let mut logs = Vec::new();
    if hive::is_dirty(&primary) {
        for extension in ["LOG1", "LOG2", "LOG"] {
            let log_name = format!("{name}.{extension}");
            let log_path = path(&log_name);
            let segments: Vec<&str> = log_path.iter().map(String::as_str).collect();
            if let Some(bytes) = volume.read(&segments, HIVE_LIMIT)? {
                logs.push((log_name, bytes));
            }
        }
    }
    Hive::open(primary, &logs, &origin).map(Some)
}

/// A hive file given alone, told by what it holds; its logs are the files beside it named
/// `<name>.LOG1`, `.LOG2` or `.LOG` (any case).
fn hive_file(path: &Path) -> Result<Installation> {
    let origin = Origin::path(path);
    let hive = read_hive_file(path)?;
    let mut hives = Hives::default();
    match kind(&hive) {
        Some(Kind::Software) => hives.software = Some(hive),
        Some(Kind::System) => hives.system = Some(hive),
        Some(Kind::User) => {
            let name = path
                .file_name()
                .map_or_else(|| "user".into(), |n| n.to_string_lossy().into_owned());
            hives.users.push((name, hive));
        }
        None => {
            return Err(Error::ImportNotUsed {
                origin,
                message: "a registry hive, but neither SOFTWARE, SYSTEM nor a user's NTUSER.DAT \
                          (SAM, SECURITY, BCD and others hold no facts w7plan reads)"
                    .into(),
            })
        }
    }
    Ok(Installation {
        hives,
        place: Place {
            describe: path.display().to_string(),
            volume_size: None,
            disk: None,
            ..Place::default()
        },
    })
}

/// A hive file with the logs beside it replayed when it is dirty; a transaction log given as
/// the hive is [`Error::ImportNotUsed`].
fn read_hive_file(path: &Path) -> Result<Hive> {
    let origin = Origin::path(path);
    let primary = read_capped(path)?;
    if primary.len() >= 32 && primary[28..32] != [0, 0, 0, 0] {
        return Err(Error::ImportNotUsed {
            origin,
            message: "a registry transaction log; it is read with the hive beside it".into(),
        });
    }
    let mut logs = Vec::new();
    if hive::is_dirty(&primary) {
        if let (Some(dir), Some(name)) = (path.parent(), path.file_name().and_then(|n| n.to_str()))
        {
            let dir = if dir.as_os_str().is_empty() {
                Path::new(".")
            } else {
                dir
            };
            let mut siblings: Vec<(usize, std::path::PathBuf, String)> = std::fs::read_dir(dir)
                .map(|entries| {
                    entries
                        .flatten()
                        .filter_map(|e| {
                            let file = e.file_name().to_str()?.to_string();
                            let rank = ["LOG1", "LOG2", "LOG"].iter().position(|ext| {
                                file.eq_ignore_ascii_case(&format!("{name}.{ext}"))
                            })?;
                            Some((rank, e.path(), file))
                        })
                        .collect()
                })
                .unwrap_or_default();
            siblings.sort();
            for (_, log_path, file) in siblings {
                logs.push((file, read_capped(&log_path)?));
            }
        }
    }
    Hive::open(primary, &logs, &origin)
}

fn read_capped(path: &Path) -> Result<Vec<u8>> {
    let read_error = |source| Error::Read {
        path: path.to_path_buf(),
        source,
    };
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(HIVE_LIMIT + 1).read_to_end(&mut bytes))
        .map_err(read_error)?;
    if bytes.len() as u64 > HIVE_LIMIT {
        return Err(Error::TooLarge {
            origin: Origin::path(path),
            limit_mib: HIVE_LIMIT >> 20,
            kind: "a registry hive",
        });
    }
    Ok(bytes)
}

/// Which hive a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Software,
    System,
    User,
}

fn kind(hive: &Hive) -> Option<Kind> {
    let root = hive.root();
    if root
        .path(&["Microsoft", "Windows NT", "CurrentVersion"])
        .is_some()
    {
        return Some(Kind::Software);
    }
    if root.subkey("Select").is_some() {
        return Some(Kind::System);
    }
    let software = root.subkey("Software")?;
    (root.subkey("Control Panel").is_some()
        || root.subkey("Environment").is_some()
        || software.subkey("Microsoft").is_some())
    .then_some(Kind::User)
}

/// The inventory of a hive given as bytes, for fuzzing the reader, the log replay and the
/// mapping together: a second `regf` after the base block starts a transaction log for it.
#[doc(hidden)]
pub fn inventory_of_hive_bytes(bytes: &[u8]) -> Result<Inventory> {
    let origin = Origin("hive".into());
    let split = bytes
        .get(4096..)
        .and_then(|rest| rest.windows(4).position(|w| w == b"regf"))
        .map(|at| at + 4096);
    let (primary, logs) = match split {
        Some(at) => (
            &bytes[..at],
            vec![("LOG1".to_string(), bytes[at..].to_vec())],
        ),
        None => (bytes, Vec::new()),
    };
    let hive = Hive::open(primary.to_vec(), &logs, &origin)?;
    let mut hives = Hives::default();
    match kind(&hive) {
        Some(Kind::System) => hives.system = Some(hive),
        Some(Kind::User) => hives.users.push(("user".into(), hive)),
        _ => hives.software = Some(hive),
    }
    Ok(facts::inventory(
        &hives,
        &Place {
            describe: "hive".into(),
            volume_size: None,
            disk: None,
            ..Place::default()
        },
    ))
}
