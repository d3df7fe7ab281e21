//! Maps the registry hives of an installation that is not running onto an inventory, each fact
//! recorded in `Inventory::sources` as coming from that installation.
//!
//! The keys a `reg export` also shows (`Windows NT\CurrentVersion`, the Uninstall keys of both
//! views and of each user) are turned into a [`RegFile`] as `reg export` would write them and
//! mapped by [`crate::facts::import::reg`], so product name, edition, build, service pack, ProductId, the
//! product key (masked in every output unless `--reveal-keys`) and programs read the same
//! whichever way the registry was read. What only the SYSTEM hive holds (control set, computer
//! name, processor, system maker and BIOS, enumerated devices) is mapped here, with the shared
//! value parsers. This module does not find or read files ([`super`] does) and judges nothing;
//! what cannot be known from a disk (memory, Secure Boot, the TPM's current state) is left
//! absent with a note saying why.

use super::hive::{Hive, Key};
use crate::facts::import::reg::{self, RegEntry, RegFile, RegKey, RegValue};
use crate::facts::import::{text, values};
use crate::facts::inventory::{
    Arch, BootMode, Cpu, Firmware, GraphicsAdapter, Host, Inventory, Source, Storage, Tpm, Volume,
};

/// The hives of one installation.
#[derive(Debug, Default)]
pub struct Hives {
    pub software: Option<Hive>,
    pub system: Option<Hive>,
    /// Each user's NTUSER.DAT, by profile folder name (or file name).
    pub users: Vec<(String, Hive)>,
}

/// What is known about where the hives came from.
#[derive(Debug, Clone, Default)]
pub struct Place {
    /// The volume or file, as [`super::VolumeFiles::describe`] says it.
    pub describe: String,
    pub volume_size: Option<u64>,
    /// The disk the volume is on, when a disk image showed it (size and partition style).
    pub disk: Option<crate::facts::inventory::Disk>,
    /// How the installation boots, when a BCD store on its disk showed it.
    pub boot: Option<BootSeen>,
    /// What finding the installation met that its inventory should say (an unreadable BCD).
    pub notes: Vec<String>,
}

/// The boot mode a BCD store shows, and where and why (for `Inventory::sources`).
#[derive(Debug, Clone)]
pub struct BootSeen {
    pub mode: BootMode,
    /// `the BCD store at disk.img, partition 1 (EFI system): \EFI\Microsoft\Boot\BCD (the
    /// Windows Boot Loader's path \Windows\system32\winload.efi)`.
    pub from: String,
}

const CURRENT_VERSION: [&str; 3] = ["Microsoft", "Windows NT", "CurrentVersion"];
const UNINSTALL: [&str; 4] = ["Microsoft", "Windows", "CurrentVersion", "Uninstall"];
/// The Display class of device setup classes.
const DISPLAY_CLASS: &str = "{4d36e968-e325-11ce-bfc1-08002be10318}";

/// A hive key as `reg export` writes it: its values typed as the importer types them.
fn reg_key(key: &Key<'_>, path: String) -> RegKey {
    RegKey {
        path,
        values: key
            .values()
            .into_iter()
            .map(|v| RegEntry {
                name: v.name,
                value: reg::typed_value(v.kind, v.data, false),
            })
            .collect(),
    }
}

/// The key and its direct subkeys, under `root` (`HKEY_LOCAL_MACHINE\SOFTWARE\…`).
fn with_children(key: &Key<'_>, root: &str, keys: &mut Vec<RegKey>) {
    keys.push(reg_key(key, root.to_string()));
    for child in key.subkeys() {
        keys.push(reg_key(&child, format!("{root}\\{}", child.name())));
    }
}

/// The registry keys the `.reg` importer maps, read from the hives.
fn as_reg_file(hives: &Hives) -> RegFile {
    let mut keys = Vec::new();
    if let Some(software) = &hives.software {
        let hklm = r"HKEY_LOCAL_MACHINE\SOFTWARE";
        if let Some(cv) = software.key(&CURRENT_VERSION) {
            keys.push(reg_key(
                &cv,
                format!("{hklm}\\{}", CURRENT_VERSION.join("\\")),
            ));
        }
        if let Some(u) = software.key(&UNINSTALL) {
            with_children(&u, &format!("{hklm}\\{}", UNINSTALL.join("\\")), &mut keys);
        }
        let wow: Vec<&str> = std::iter::once("Wow6432Node").chain(UNINSTALL).collect();
        if let Some(u) = software.key(&wow) {
            with_children(&u, &format!("{hklm}\\{}", wow.join("\\")), &mut keys);
        }
    }
    for (user, hive) in &hives.users {
        let path: Vec<&str> = std::iter::once("Software").chain(UNINSTALL).collect();
        if let Some(u) = hive.key(&path) {
            with_children(
                &u,
                &format!(r"HKEY_USERS\{user}\{}", path.join("\\")),
                &mut keys,
            );
        }
    }
    RegFile { keys }
}

/// The `DigitalProductId` and `DigitalProductId4` values of the SOFTWARE hive, by name.
pub fn digital_product_ids(hives: &Hives) -> Vec<(String, Vec<u8>)> {
    let Some(cv) = hives
        .software
        .as_ref()
        .and_then(|h| h.key(&CURRENT_VERSION))
    else {
        return Vec::new();
    };
    ["DigitalProductId", "DigitalProductId4"]
        .iter()
        .filter_map(|name| {
            let value = cv.value(name)?;
            (!value.data.is_empty()).then(|| (name.to_string(), value.data))
        })
        .collect()
}

fn record(inv: &mut Inventory, field: &str, from: String) {
    inv.sources
        .get_or_insert_with(Default::default)
        .insert(field.to_string(), from);
}

/// The inventory of an installation from its hives.
pub fn inventory(hives: &Hives, place: &Place) -> Inventory {
    let system = hives.system.as_ref().map(SystemFacts::read);
    let native_arch = system.as_ref().and_then(|s| s.arch);
    let file = as_reg_file(hives);
    let mut inv = reg::to_inventory_with(&[&file], native_arch);
    let from = |what: &str| format!("offline installation at {}: {what}", place.describe);

    if inv.os.is_some() {
        record(
            &mut inv,
            "os",
            from(r"SOFTWARE hive, Microsoft\Windows NT\CurrentVersion"),
        );
    }
    if inv.license.is_some() {
        record(
            &mut inv,
            "license",
            from(
                r"SOFTWARE hive, Microsoft\Windows NT\CurrentVersion (ProductId, DigitalProductId)",
            ),
        );
    }
    if inv.software.is_some() {
        record(
            &mut inv,
            "software",
            from(
                "Uninstall keys of the SOFTWARE hive (64-bit and Wow6432Node views) and of each \
                 user's NTUSER.DAT",
            ),
        );
    }
    if hives.software.is_none() {
        inv.notes.push(
            "os: no SOFTWARE hive, so the edition, build, licence and programs are unknown"
                .to_string(),
        );
    }
    match system {
        Some(system) => system.apply(&mut inv, &from),
        None => inv.notes.push(
            "host, cpu: no SYSTEM hive, so the computer name, processor and devices are unknown"
                .to_string(),
        ),
    }
    if let Some(size) = place.volume_size {
        inv.storage
            .get_or_insert_with(Storage::default)
            .system_volume = Some(Volume {
            size_bytes: Some(size),
            ..Volume::default()
        });
        record(
            &mut inv,
            "storage.system_volume.size_bytes",
            from("the volume's size"),
        );
    }
    if let Some(disk) = &place.disk {
        inv.storage.get_or_insert_with(Storage::default).system_disk = Some(disk.clone());
        record(
            &mut inv,
            "storage.system_disk",
            from("the disk image's size and partition table"),
        );
    }
    if let Some(boot) = &place.boot {
        inv.firmware.get_or_insert_with(Firmware::default).boot_mode = Some(boot.mode);
        record(&mut inv, "firmware.boot_mode", boot.from.clone());
    }
    inv.notes.extend(place.notes.iter().cloned());
    for (field, why) in [
        (
            "memory",
            "the installed memory is not recorded on the disk; it is read from the running PC",
        ),
        (
            "firmware.secure_boot_enabled",
            "Secure Boot is a state of the firmware, not of the disk",
        ),
        (
            "tpm.enabled",
            "the TPM's current state is kept by the PC, not on the disk",
        ),
    ] {
        inv.notes.push(format!(
            "{field}: unknown for an installation that is not running: {why}"
        ));
    }
    inv.collected_at = [&hives.software, &hives.system]
        .into_iter()
        .flatten()
        .filter_map(Hive::last_written)
        .max()
        .and_then(filetime_iso);
    inv.source = Some(Source {
        collector: Some("w7plan offline".to_string()),
        version: Some(env!("CARGO_PKG_VERSION").to_string()),
        elevated: None,
    });
    for hive in [&hives.software, &hives.system]
        .into_iter()
        .flatten()
        .chain(hives.users.iter().map(|(_, h)| h))
    {
        inv.notes.extend(hive.notes.iter().cloned());
    }
    crate::facts::import::finish_inventory(inv)
}

/// A FILETIME as ISO UTC, `YYYY-MM-DDTHH:MM:SSZ`.
fn filetime_iso(filetime: u64) -> Option<String> {
    let seconds = i64::try_from(filetime / 10_000_000).ok()? - 11_644_473_600;
    (seconds > 0)
        .then(|| jiff::Timestamp::from_second(seconds).ok())
        .flatten()
        .map(|t| t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string())
}

/// What the SYSTEM hive tells.
#[derive(Debug, Default)]
struct SystemFacts {
    control_set: Option<String>,
    arch: Option<Arch>,
    cpu: Option<Cpu>,
    host: Host,
    firmware: Firmware,
    tpm2: bool,
    graphics: Vec<GraphicsAdapter>,
    notes: Vec<String>,
}

impl SystemFacts {
    fn read(hive: &Hive) -> SystemFacts {
        let mut facts = SystemFacts::default();
        let current = hive
            .key(&["Select"])
            .and_then(|k| k.value("Current"))
            .and_then(|v| reg::typed_value(v.kind, v.data, false).as_u32());
        let name = match current {
            Some(n) => format!("ControlSet{n:03}"),
            None => {
                facts.notes.push(
                    "host: the SYSTEM hive has no Select\\Current; ControlSet001 was read".into(),
                );
                "ControlSet001".to_string()
            }
        };
        let Some(set) = hive.key(&[&name]) else {
            facts.notes.push(format!(
                "host, cpu: the SYSTEM hive has no {name}, the control set Windows last used"
            ));
            return facts;
        };
        facts.environment(&set);
        facts.host.name = set
            .path(&["Control", "ComputerName", "ComputerName"])
            .map(|k| reg_key(&k, String::new()))
            .and_then(|k| k.text("ComputerName"));
        facts.system_information(&set);
        facts.devices(&set);
        facts.control_set = Some(name);
        facts
    }

    /// `Session Manager\Environment`: the system's processor variables.
    fn environment(&mut self, set: &Key<'_>) {
        let Some(env) = set
            .path(&["Control", "Session Manager", "Environment"])
            .map(|k| reg_key(&k, String::new()))
        else {
            return;
        };
        self.arch = env.text("PROCESSOR_ARCHITECTURE").and_then(|a| {
            match a.to_ascii_uppercase().as_str() {
                "AMD64" => Some(Arch::X64),
                "X86" => Some(Arch::X86),
                "ARM64" => Some(Arch::Arm64),
                _ => None,
            }
        });
        let mut cpu = Cpu {
            logical_processors: env.get("NUMBER_OF_PROCESSORS").and_then(RegValue::as_u32),
            // A 64-bit Windows runs only on a 64-bit processor; a 32-bit one says nothing.
            arch: self.arch.filter(|a| *a != Arch::X86),
            ..Cpu::default()
        };
        // "Intel64 Family 6 Model 58 Stepping 9, GenuineIntel"
        if let Some(identifier) = env.text("PROCESSOR_IDENTIFIER") {
            let (signature, vendor) = identifier
                .split_once(',')
                .map_or((identifier.as_str(), None), |(s, v)| (s, Some(v.trim())));
            let (family, model, stepping) = values::parse_cpu_identifier(signature);
            cpu.family = family;
            cpu.model = model;
            cpu.stepping = stepping;
            cpu.vendor = vendor.filter(|v| !v.is_empty()).map(str::to_string);
        }
        if cpu != Cpu::default() {
            self.cpu = Some(cpu);
        }
    }

    /// `Control\SystemInformation`: the maker, model and BIOS Windows read at its last boot.
    fn system_information(&mut self, set: &Key<'_>) {
        let Some(info) = set
            .path(&["Control", "SystemInformation"])
            .map(|k| reg_key(&k, String::new()))
        else {
            return;
        };
        let real = |v: Option<String>| v.filter(|v| !values::is_placeholder(v));
        self.host.manufacturer = real(info.text("SystemManufacturer"));
        self.host.model = real(info.text("SystemProductName"));
        self.firmware.version = info.text("BIOSVersion");
        // "05/14/2013"
        self.firmware.date = info.text("BIOSReleaseDate").and_then(|d| {
            let parts: Vec<u32> = d.split('/').filter_map(|p| p.trim().parse().ok()).collect();
            match parts.as_slice() {
                [m, d, y] => text::iso_date(*y, *m, *d),
                _ => None,
            }
        });
    }

    /// Devices the PC once enumerated: a TPM 2.0 (`ACPI\MSFT0101`) and the display adapters on
    /// PCI, with their drivers from the Class key.
    fn devices(&mut self, set: &Key<'_>) {
        let Some(enumerated) = set.subkey("Enum") else {
            return;
        };
        self.tpm2 = enumerated.path(&["ACPI", "MSFT0101"]).is_some();
        let Some(pci) = enumerated.subkey("PCI") else {
            return;
        };
        for device in pci.subkeys() {
            let id = device.name();
            for instance in device.subkeys() {
                let key = reg_key(&instance, String::new());
                let class_guid = key.text("ClassGUID").unwrap_or_default();
                let display = class_guid.eq_ignore_ascii_case(DISPLAY_CLASS)
                    || key
                        .text("Class")
                        .is_some_and(|c| c.eq_ignore_ascii_case("Display"));
                if !display {
                    continue;
                }
                let (vendor_id, device_id) =
                    crate::facts::import::wmic::pci_ids(&format!("PCI\\{id}"));
                // "@oem12.inf,%nvidia_dev.1c82%;NVIDIA GeForce GTX 1050 Ti"
                let name = key
                    .text("DeviceDesc")
                    .map(|d| d.rsplit(';').next().unwrap_or(&d).trim().to_string())
                    .filter(|d| !d.is_empty());
                let driver = key.text("Driver").and_then(|d| {
                    let parts: Vec<&str> = d.split('\\').collect();
                    set.path(&["Control", "Class"])?
                        .path(&parts)
                        .map(|k| reg_key(&k, String::new()))
                });
                let adapter = GraphicsAdapter {
                    name,
                    vendor_id,
                    device_id,
                    driver_version: driver.as_ref().and_then(|k| k.text("DriverVersion")),
                    // "6-21-2006"
                    driver_date: driver
                        .as_ref()
                        .and_then(|k| k.text("DriverDate"))
                        .and_then(|d| {
                            let parts: Vec<u32> =
                                d.split('-').filter_map(|p| p.trim().parse().ok()).collect();
                            match parts.as_slice() {
                                [m, d, y] => text::iso_date(*y, *m, *d),
                                _ => None,
                            }
                        }),
                    ..GraphicsAdapter::default()
                };
                let same = |a: &GraphicsAdapter| {
                    a.vendor_id == adapter.vendor_id && a.device_id == adapter.device_id
                };
                if !self.graphics.iter().any(same) {
                    self.graphics.push(adapter);
                }
            }
        }
    }

    fn apply(self, inv: &mut Inventory, from: &dyn Fn(&str) -> String) {
        let set = self.control_set.as_deref().unwrap_or("ControlSet001");
        if let Some(arch) = self.arch {
            let os = inv.os.get_or_insert_with(Default::default);
            os.arch = Some(arch);
            os.family
                .get_or_insert(crate::facts::inventory::OsFamily::Windows);
            record(
                inv,
                "os.arch",
                from(&format!(
                    r"SYSTEM hive, {set}\Control\Session Manager\Environment PROCESSOR_ARCHITECTURE"
                )),
            );
        }
        if let Some(cpu) = self.cpu {
            inv.cpu = Some(cpu);
            record(
                inv,
                "cpu",
                from(&format!(
                    r"SYSTEM hive, {set}\Control\Session Manager\Environment (PROCESSOR_IDENTIFIER, NUMBER_OF_PROCESSORS)"
                )),
            );
        }
        if self.host.name.is_some() {
            record(
                inv,
                "host.name",
                from(&format!(
                    r"SYSTEM hive, {set}\Control\ComputerName\ComputerName"
                )),
            );
        }
        if self.host.manufacturer.is_some() || self.host.model.is_some() {
            record(
                inv,
                "host.model",
                from(&format!(r"SYSTEM hive, {set}\Control\SystemInformation")),
            );
        }
        if self.host != Host::default() {
            inv.host = Some(self.host);
        }
        if self.firmware != Firmware::default() {
            record(
                inv,
                "firmware.version",
                from(&format!(r"SYSTEM hive, {set}\Control\SystemInformation")),
            );
            inv.firmware = Some(self.firmware);
        }
        if self.tpm2 {
            inv.tpm = Some(Tpm {
                present: Some(true),
                version: Some("2.0".to_string()),
                ..Tpm::default()
            });
            record(
                inv,
                "tpm",
                from(&format!(
                    r"SYSTEM hive, {set}\Enum\ACPI\MSFT0101: the PC once enumerated a TPM 2.0"
                )),
            );
        }
        if !self.graphics.is_empty() {
            inv.graphics = Some(self.graphics);
            record(
                inv,
                "graphics",
                from(&format!(
                    r"SYSTEM hive, {set}\Enum\PCI (display class devices)"
                )),
            );
        }
        inv.notes.extend(self.notes);
    }
}

#[cfg(test)]
mod tests {
    use super::super::hive_writer::windows7_system;
    use super::*;
    use crate::error::Origin;

    fn hives(system: super::super::hive_writer::HiveWriter) -> Hives {
        Hives {
            system: Some(Hive::parse(system.to_bytes(), &Origin("SYSTEM".into())).unwrap()),
            ..Hives::default()
        }
    }

    #[test]
    fn a_tpm_2_enumerated_once_is_recorded_and_its_state_left_unknown() {
        let mut system = windows7_system();
        system
            .key(r"ControlSet001\Enum\ACPI\MSFT0101\1")
            .sz("DeviceDesc", "Trusted Platform Module 2.0");
        let inv = inventory(&hives(system), &Place::default());
        let tpm = inv.tpm.unwrap();
        assert_eq!(
            (tpm.present, tpm.version.as_deref(), tpm.enabled),
            (Some(true), Some("2.0"), None)
        );
        assert!(inv.sources.unwrap()["tpm"].contains("MSFT0101"));
        assert!(inv
            .notes
            .iter()
            .any(|n| n.starts_with("tpm.enabled: unknown")));
        assert!(inv.notes.iter().any(|n| n.contains("no SOFTWARE hive")));
    }

    #[test]
    fn the_current_control_set_is_the_one_select_names() {
        let mut system = windows7_system();
        system.key("Select").dword("Current", 2);
        let inv = inventory(&hives(system), &Place::default());
        assert_eq!(inv.host.unwrap().name.as_deref(), Some("OLD-NAME"));
        // Set 2 holds no processor variables: none are taken from set 1.
        assert_eq!(inv.cpu, None);
    }

    #[test]
    fn a_32_bit_installation_says_nothing_of_the_processor_width() {
        let mut system = windows7_system();
        system
            .key(r"ControlSet001\Control\Session Manager\Environment")
            .sz("PROCESSOR_ARCHITECTURE", "x86")
            .sz(
                "PROCESSOR_IDENTIFIER",
                "x86 Family 15 Model 4 Stepping 1, GenuineIntel",
            );
        let inv = inventory(&hives(system), &Place::default());
        let cpu = inv.cpu.unwrap();
        assert_eq!(
            (cpu.family, cpu.model, cpu.stepping),
            (Some(15), Some(4), Some(1))
        );
        assert_eq!(cpu.arch, None);
        assert_eq!(inv.os.unwrap().arch, Some(Arch::X86));
    }
}
