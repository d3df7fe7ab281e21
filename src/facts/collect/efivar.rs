//! Interprets the UEFI global variables `SecureBoot` and `SetupMode`, whichever OS read them.
//!
//! This module owns the values' meaning; it is pure and platform-independent. Both variables
//! live in the EFI global variable namespace (`8BE4DF61-93CA-11D2-AA0D-00E098032B8C`) and hold one
//! byte, 1 or 0 (UEFI Specification §3.3, "Globally Defined Variables"). Windows'
//! `GetFirmwareEnvironmentVariableW` returns the bare data; a Linux efivarfs file starts with the
//! variable's 4-byte attributes (Documentation/filesystems/efivarfs.rst). A missing `SecureBoot`
//! variable on a UEFI boot means the firmware does not implement Secure Boot (systemd treats it
//! so: src/boot/efi/secure-boot.c); its presence means it does, whatever its value.

/// `EFI_GLOBAL_VARIABLE` as a registry-format GUID string, as `GetFirmwareEnvironmentVariableW`
/// takes it.
pub const GLOBAL_VARIABLE_GUID: &str = "{8BE4DF61-93CA-11D2-AA0D-00E098032B8C}";

/// The value of a one-byte boolean variable: `Some` for exactly one byte that is 0 or 1.
pub fn bool_value(data: &[u8]) -> Option<bool> {
    match data {
        [1] => Some(true),
        [0] => Some(false),
        _ => None,
    }
}

/// The data of an efivarfs file: the bytes after its 4-byte attributes, `None` if shorter.
pub fn efivarfs_data(file: &[u8]) -> Option<&[u8]> {
    file.get(4..)
}

/// A one-byte boolean variable as an efivarfs file holds it.
pub fn efivarfs_bool(file: &[u8]) -> Option<bool> {
    efivarfs_data(file).and_then(bool_value)
}

/// What reading one variable gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Read {
    /// The variable's data.
    Data(Vec<u8>),
    /// The firmware has no such variable.
    Absent,
    /// It could not be read (no rights, no UEFI boot, an OS without the interface); the text says
    /// why.
    Unreadable(String),
}

/// Secure Boot as the two variables describe it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SecureBoot {
    pub capable: Option<bool>,
    pub enabled: Option<bool>,
    /// `SetupMode` = 1: no Platform Key is enrolled, so Secure Boot cannot be on until the
    /// firmware's keys are restored.
    pub setup_mode: Option<bool>,
    /// Why a value stayed unknown, for notes.
    pub problems: Vec<String>,
}

/// Interprets the two variables read on a UEFI boot.
pub fn secure_boot(secure_boot: &Read, setup_mode: &Read) -> SecureBoot {
    let mut out = SecureBoot::default();
    match secure_boot {
        Read::Data(data) => match bool_value(data) {
            Some(on) => {
                out.capable = Some(true);
                out.enabled = Some(on);
            }
            None => {
                // The variable exists, so the firmware knows Secure Boot; only the state is odd.
                out.capable = Some(true);
                out.problems.push(format!(
                    "SecureBoot holds {} bytes ({:02X?}), not one byte 0 or 1",
                    data.len(),
                    &data[..data.len().min(8)]
                ));
            }
        },
        Read::Absent => {
            out.capable = Some(false);
            out.enabled = Some(false);
        }
        Read::Unreadable(why) => out.problems.push(format!("SecureBoot: {why}")),
    }
    match setup_mode {
        Read::Data(data) => match bool_value(data) {
            Some(setup) => out.setup_mode = Some(setup),
            None => out.problems.push(format!(
                "SetupMode holds {} bytes, not one byte 0 or 1",
                data.len()
            )),
        },
        // Firmware without Secure Boot has no SetupMode either; nothing more to say.
        Read::Absent => {}
        Read::Unreadable(why) => out.problems.push(format!("SetupMode: {why}")),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_byte_values() {
        assert_eq!(bool_value(&[1]), Some(true));
        assert_eq!(bool_value(&[0]), Some(false));
        assert_eq!(bool_value(&[2]), None);
        assert_eq!(bool_value(&[1, 0]), None);
        assert_eq!(bool_value(&[]), None);
    }

    #[test]
    fn efivarfs_files() {
        // Attributes 06 00 00 00 (BOOTSERVICE_ACCESS | RUNTIME_ACCESS), as efivarfs shows
        // SecureBoot, then the value.
        assert_eq!(efivarfs_bool(&[6, 0, 0, 0, 1]), Some(true));
        assert_eq!(efivarfs_bool(&[6, 0, 0, 0, 0]), Some(false));
        assert_eq!(efivarfs_bool(&[6, 0, 0, 0, 2]), None);
        assert_eq!(efivarfs_bool(&[6, 0, 0, 0, 1, 0]), None);
        assert_eq!(efivarfs_bool(&[6, 0, 0]), None);
        assert_eq!(efivarfs_data(&[7, 0, 0, 0]), Some(&[][..]));
    }

    #[test]
    fn interpretation() {
        let on = secure_boot(&Read::Data(vec![1]), &Read::Data(vec![0]));
        assert_eq!(
            (on.capable, on.enabled, on.setup_mode),
            (Some(true), Some(true), Some(false))
        );
        // Capable, off, keys cleared.
        let setup = secure_boot(&Read::Data(vec![0]), &Read::Data(vec![1]));
        assert_eq!(
            (setup.capable, setup.enabled, setup.setup_mode),
            (Some(true), Some(false), Some(true))
        );
        // No variable: the firmware has no Secure Boot.
        let none = secure_boot(&Read::Absent, &Read::Absent);
        assert_eq!((none.capable, none.enabled), (Some(false), Some(false)));
        assert!(none.problems.is_empty());
        // Unreadable: unknown, and why.
        let denied = secure_boot(
            &Read::Unreadable("needs administrator rights".into()),
            &Read::Unreadable("needs administrator rights".into()),
        );
        assert_eq!((denied.capable, denied.enabled), (None, None));
        assert_eq!(denied.problems.len(), 2);
        // Odd data: capable (it exists), state unknown.
        let odd = secure_boot(&Read::Data(vec![9, 9]), &Read::Absent);
        assert_eq!((odd.capable, odd.enabled), (Some(true), None));
        assert!(odd.problems[0].contains("2 bytes"));
    }
}
