//! What a Boot Configuration Data store (a registry hive: `Objects\{id}\Elements\{type}\Element`)
//! says about how Windows boots: the path of the Windows Boot Loader, `winload.efi` for UEFI and
//! `winload.exe` for a legacy BIOS, as `bcdedit` shows it (see [`crate::facts::import::bcdedit`]);
//! failing a loader path, the boot manager's, `\EFI\Microsoft\Boot\bootmgfw.efi` for UEFI.
//!
//! It reads a parsed [`Hive`] only; finding the store (on the EFI system partition or the system
//! partition's `\Boot\BCD`) is the business of [`super::disk`], and recording the fact that of
//! [`super::facts`].

use super::hive::{Hive, Key};
use crate::facts::inventory::BootMode;

/// The boot manager's well-known object.
const BOOTMGR: &str = "{9dea862c-5cdd-4e70-acc1-f32b344d4795}";
/// `BcdLibraryString_ApplicationPath`.
const APPLICATION_PATH: &str = "12000002";
/// `BcdBootMgrObject_DefaultObject`.
const DEFAULT_OBJECT: &str = "23000003";
/// The object type of a Windows Boot Loader (a boot application that loads an OS).
const WINDOWS_LOADER: u32 = 0x1020_0003;

/// How the store says Windows boots, and the path that says it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub mode: BootMode,
    /// `the Windows Boot Loader's path \Windows\system32\winload.efi`.
    pub because: String,
}

fn text(key: &Key<'_>, element: &str) -> Option<String> {
    let value = key
        .path(&["Elements", element])?
        .value("Element")
        .filter(|v| matches!(v.kind, 1 | 2))?;
    let units: Vec<u16> = value
        .data
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .take_while(|&u| u != 0)
        .collect();
    Some(String::from_utf16_lossy(&units))
}

fn object_type(key: &Key<'_>) -> Option<u32> {
    let value = key.path(&["Description"])?.value("Type")?;
    Some(u32::from_le_bytes(value.data.get(..4)?.try_into().ok()?))
}

fn loader_mode(path: &str) -> Option<BootMode> {
    let lower = path.to_ascii_lowercase();
    if lower.ends_with("winload.efi") {
        Some(BootMode::Uefi)
    } else if lower.ends_with("winload.exe") {
        Some(BootMode::Bios)
    } else {
        None
    }
}

/// The boot mode the store shows: the path of the boot manager's default loader, else of any
/// Windows Boot Loader, else the boot manager's own path; `None` when none tells.
pub fn boot_mode(hive: &Hive) -> Option<Verdict> {
    let objects = hive.key(&["Objects"])?;
    let all = objects.subkeys();
    let by_id = |id: &str| {
        all.iter()
            .find(|k| k.name().eq_ignore_ascii_case(id))
            .copied()
    };
    let bootmgr = by_id(BOOTMGR);
    let default = bootmgr
        .and_then(|b| text(&b, DEFAULT_OBJECT))
        .and_then(|id| by_id(id.trim()));
    let loaders = default.into_iter().chain(
        all.iter()
            .filter(|k| object_type(k) == Some(WINDOWS_LOADER))
            .copied(),
    );
    for loader in loaders {
        if let Some(path) = text(&loader, APPLICATION_PATH) {
            if let Some(mode) = loader_mode(&path) {
                return Some(Verdict {
                    mode,
                    because: format!("the Windows Boot Loader's path {path}"),
                });
            }
        }
    }
    let path = text(&bootmgr?, APPLICATION_PATH)?;
    path.to_ascii_lowercase()
        .ends_with(".efi")
        .then(|| Verdict {
            mode: BootMode::Uefi,
            because: format!("the Windows Boot Manager's path {path}"),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Origin;
    use crate::facts::import::offline::hive_writer::{windows7_bcd, HiveWriter};

    fn read(w: &HiveWriter) -> Hive {
        Hive::open(w.to_bytes(), &[], &Origin("BCD".into())).unwrap()
    }

    #[test]
    fn the_loader_path_tells_the_boot_mode() {
        let uefi = boot_mode(&read(&windows7_bcd(BootMode::Uefi))).unwrap();
        assert_eq!(uefi.mode, BootMode::Uefi);
        assert!(uefi.because.ends_with(r"\Windows\system32\winload.efi"));
        let bios = boot_mode(&read(&windows7_bcd(BootMode::Bios))).unwrap();
        assert_eq!(bios.mode, BootMode::Bios);

        // The boot manager's path alone: UEFI when it is an EFI application.
        let mut only_bootmgr = HiveWriter::new("BCD");
        only_bootmgr
            .key(&format!(r"Objects\{BOOTMGR}\Elements\{APPLICATION_PATH}"))
            .sz("Element", r"\EFI\Microsoft\Boot\bootmgfw.efi");
        let verdict = boot_mode(&read(&only_bootmgr)).unwrap();
        assert_eq!(verdict.mode, BootMode::Uefi);
        assert!(verdict.because.contains("Boot Manager"));

        // A store with no paths tells nothing.
        let mut empty = HiveWriter::new("BCD");
        empty.key(r"Objects\{00000000-0000-0000-0000-000000000000}\Description");
        assert_eq!(boot_mode(&read(&empty)), None);
    }
}
