//! A folder of loose hive files copied off one installation (`SYSTEM`, `SOFTWARE`, perhaps `SAM`,
//! a user's `NTUSER.DAT`, or the whole `System32\config` folder): one machine, as its mounted
//! volume would be.
//!
//! The folder is told by content: it directly holds at least one file that starts with `regf`
//! and is not a transaction log. Which hive each file is comes from the keys it holds, as for a
//! hive given alone; names are not trusted. Subfolders are not read (a copied `config` folder's
//! `RegBack` holds older copies of the same hives). A folder holding two SOFTWARE or two SYSTEM
//! hives holds more than one installation and is refused, naming both: w7plan cannot tell which
//! user hives go with which machine. It reads only; it never writes to the folder.

use super::{kind, read_hive_file, Hives, Installation, Kind, Place};
use crate::error::{Error, Origin, Result};
use std::io::Read as _;
use std::path::{Path, PathBuf};

/// The smallest hive: a base block and one hive bin.
const SMALLEST_HIVE: u64 = 8192;

/// Whether `path` starts as a primary hive file (`regf`, file type 0), from its first 32 bytes.
fn is_primary_hive(path: &Path) -> bool {
    let mut head = [0u8; 32];
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() >= SMALLEST_HIVE)
        && std::fs::File::open(path).is_ok_and(|f| f.take(32).read_exact(&mut head).is_ok())
        && super::hive::is_regf(&head)
        && head[28..32] == [0, 0, 0, 0]
}

/// The primary hive files directly in `dir`, sorted by name. Hidden files and files named as
/// inventories are not opened: a fleet's folder of inventories is walked without a look.
fn hive_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.path())
        .filter(|p| {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().to_ascii_lowercase())
                .unwrap_or_default();
            !name.starts_with('.')
                && ![".yaml", ".yml", ".json"]
                    .iter()
                    .any(|ext| name.ends_with(ext))
        })
        .filter(|p| is_primary_hive(p))
        .collect();
    files.sort();
    files
}

/// Whether `dir` holds loose hive files (see the module header); reads 32 bytes of each file.
pub fn holds_hives(dir: &Path) -> bool {
    !hive_files(dir).is_empty()
}

/// The installation whose hives lie loose in `dir`; `Ok(None)` when it holds none.
pub fn open(dir: &Path) -> Result<Option<Installation>> {
    let files = hive_files(dir);
    if files.is_empty() {
        return Ok(None);
    }
    let origin = Origin::path(dir);
    let mut hives = Hives::default();
    let mut seen: [Option<PathBuf>; 2] = [None, None];
    let mut notes = Vec::new();
    let mut first_error = None;
    for file in files {
        let name = file
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        let hive = match read_hive_file(&file) {
            Ok(hive) => hive,
            Err(e) => {
                notes.push(format!("{name}: not read: {e}"));
                first_error.get_or_insert(e);
                continue;
            }
        };
        let (slot, at) = match kind(&hive) {
            Some(Kind::Software) => (&mut hives.software, 0),
            Some(Kind::System) => (&mut hives.system, 1),
            // `DEFAULT` is the profile of the system's own accounts: nobody's programs.
            Some(Kind::User) if !name.eq_ignore_ascii_case("DEFAULT") => {
                hives.users.push((name, hive));
                continue;
            }
            _ => continue,
        };
        if let Some(earlier) = &seen[at] {
            return Err(Error::ImportFailed {
                origin,
                message: format!(
                    "holds two {} hives ({} and {name}): the hives of more than one \
                     installation; give each machine's hives a folder of its own",
                    ["SOFTWARE", "SYSTEM"][at],
                    earlier
                        .file_name()
                        .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
                ),
            });
        }
        seen[at] = Some(file.clone());
        *slot = Some(hive);
    }
    if hives.software.is_none() && hives.system.is_none() {
        return Err(first_error.unwrap_or(Error::ImportFailed {
            origin,
            message: "registry hives, but neither a SOFTWARE nor a SYSTEM hive among them: not \
                      a Windows installation w7plan can read"
                .into(),
        }));
    }
    if let Some(hive) = hives.software.as_mut().or(hives.system.as_mut()) {
        hive.notes.extend(notes);
    }
    Ok(Some(Installation {
        hives,
        place: Place {
            describe: dir.display().to_string(),
            volume_size: None,
            disk: None,
            ..Place::default()
        },
    }))
}
