//! Reads `bcdedit /enum {current}` output: the Windows loader's path says how Windows booted.
//!
//! `\Windows\system32\winload.efi` is a UEFI boot and `winload.exe` a legacy BIOS (CSM) boot. The
//! labels (`path`, `chemin`, `Pfad`…) and section titles are localized, so only the path value
//! counts. bcdedit needs administrator rights; without them its output is an error message, which
//! this module does not recognize (the caller notes it).

use super::text;
use crate::facts::inventory::{BootMode, Firmware, Inventory};

/// Whether the text is bcdedit output: a section title underlined with dashes and an
/// `identifier {…}` line, or a Windows loader path.
pub fn sniff(text: &str) -> bool {
    let mut underline = false;
    let mut braces = false;
    for line in text::lines(text) {
        let t = line.trim();
        if t.len() >= 5 && t.bytes().all(|b| b == b'-') {
            underline = true;
        }
        let mut words = t.split_whitespace();
        if let (Some(_), Some(second)) = (words.next(), words.next()) {
            if second.starts_with('{') && second.ends_with('}') {
                braces = true;
            }
        }
    }
    (underline && braces) || loader(text).is_some()
}

/// The loader path in the section of the running Windows (`{current}`), else the first loader.
fn loader(text: &str) -> Option<BootMode> {
    let sections: Vec<Vec<&str>> = text::lines(text)
        .collect::<Vec<_>>()
        .split(|l| l.trim().is_empty())
        .map(<[&str]>::to_vec)
        .filter(|s| !s.is_empty())
        .collect();
    let mode_of = |section: &[&str]| {
        section.iter().find_map(|line| {
            line.split_whitespace().find_map(|word| {
                let lower = word.to_ascii_lowercase();
                if lower.ends_with("winload.efi") {
                    Some(BootMode::Uefi)
                } else if lower.ends_with("winload.exe") {
                    Some(BootMode::Bios)
                } else {
                    None
                }
            })
        })
    };
    sections
        .iter()
        .filter(|s| s.iter().any(|l| l.contains("{current}")))
        .find_map(|s| mode_of(s))
        .or_else(|| sections.iter().find_map(|s| mode_of(s)))
}

/// The boot mode the loader path shows.
pub fn import(text: &str) -> Inventory {
    let mut inv = Inventory::default();
    match loader(text) {
        Some(mode) => {
            inv.firmware = Some(Firmware {
                boot_mode: Some(mode),
                ..Firmware::default()
            })
        }
        None => inv
            .notes
            .push("bcdedit shows no Windows loader path (winload.exe or winload.efi)".to_string()),
    }
    inv
}

#[cfg(test)]
mod tests {
    use super::*;

    const BIOS: &str = "\r\nWindows Boot Loader\r\n-------------------\r\nidentifier              {current}\r\ndevice                  partition=C:\r\npath                    \\Windows\\system32\\winload.exe\r\ndescription             Windows 7\r\nlocale                  en-US\r\n";

    #[test]
    fn loader_path_tells_the_mode() {
        assert!(sniff(BIOS));
        assert_eq!(
            import(BIOS).firmware.unwrap().boot_mode,
            Some(BootMode::Bios)
        );
        let uefi = BIOS
            .replace("winload.exe", "winload.efi")
            .replace("Windows Boot Loader", "Chargeur de démarrage Windows")
            .replace("path    ", "chemin  ");
        assert_eq!(
            import(&uefi).firmware.unwrap().boot_mode,
            Some(BootMode::Uefi)
        );
        assert!(!sniff(
            "The boot configuration data store could not be opened.\r\nAccess is denied.\r\n"
        ));
    }
}
