//! Reads hardware facts from a Linux system's `/proc` and `/sys` into an [`Inventory`].
//!
//! This module owns the Linux sources (cpuinfo, sysfs, efivarfs, the SMBIOS entries the kernel
//! exports, udev's database) and how their content maps onto inventory fields. It does not judge
//! what it reads, and it runs no tools (dmidecode, lsblk, mokutil). Every function takes the root
//! of the tree it reads, so tests point it at a fake one; notes name paths as seen from that root.
//! Nothing here panics on file content: what cannot be read or understood stays `None`, and a note
//! says what and why. It is pure file reading, so it compiles on every platform (and is only called
//! on Linux).

use super::acpi::AcpiTables;
use super::{efivar, smbios};
use crate::facts::inventory::{
    Arch, BootMode, Chassis, Cpu, Disk, Firmware, Host, Inventory, Media, Memory, Os, OsFamily,
    PartitionStyle, Storage, Tpm,
};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::fs;
use std::io::{self, Read};
use std::path::Path;

/// Reads every fact this module knows into `inv`, from the tree at `root` (`/` on a live system).
/// Values read here replace what a generic source (sysinfo) put there before.
pub fn probe(root: &Path, inv: &mut Inventory) {
    inv.os.get_or_insert_with(Os::default).family = Some(OsFamily::Linux);
    cpu(root, inv);
    firmware(root, inv);
    tpm(root, inv);
    dmi(root, inv);
    installed_memory(root, inv);
    smbios_table(root, inv);
    acpi_tables(root, inv);
    system_disk(root, inv);
    drop_empty_sections(inv);
}

/// Sections the probes opened but found nothing for are "not collected", like any absent field.
fn drop_empty_sections(inv: &mut Inventory) {
    fn drop_default<T: Default + PartialEq>(slot: &mut Option<T>) {
        if slot.as_ref().is_some_and(|v| *v == T::default()) {
            *slot = None;
        }
    }
    drop_default(&mut inv.host);
    drop_default(&mut inv.cpu);
    drop_default(&mut inv.firmware);
    drop_default(&mut inv.tpm);
    drop_default(&mut inv.memory);
    drop_default(&mut inv.storage);
}

// ---------------------------------------------------------------------------------------------
// Reading files

/// The most a probe reads from one file. Real sysfs and procfs files are far smaller; the cap keeps
/// a broken or hostile tree from making us read without end.
const MAX_READ: u64 = 1 << 20;

/// Why a file gave nothing usable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unreadable {
    Missing,
    Denied,
    NotText,
    Io(String),
}

impl fmt::Display for Unreadable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unreadable::Missing => f.write_str("not present"),
            Unreadable::Denied => f.write_str("permission denied"),
            Unreadable::NotText => f.write_str("not UTF-8 text"),
            Unreadable::Io(e) => f.write_str(e),
        }
    }
}

fn io_reason(e: io::Error) -> Unreadable {
    match e.kind() {
        io::ErrorKind::NotFound => Unreadable::Missing,
        io::ErrorKind::PermissionDenied => Unreadable::Denied,
        _ => Unreadable::Io(e.to_string()),
    }
}

/// The bytes of `<root>/<rel>`, at most `MAX_READ` of them.
pub fn read_bytes(root: &Path, rel: &str) -> Result<Vec<u8>, Unreadable> {
    let file = fs::File::open(root.join(rel)).map_err(io_reason)?;
    let mut buf = Vec::new();
    file.take(MAX_READ)
        .read_to_end(&mut buf)
        .map_err(io_reason)?;
    Ok(buf)
}

/// The text of `<root>/<rel>`; text that is not UTF-8 is refused rather than guessed at.
pub fn read_text(root: &Path, rel: &str) -> Result<String, Unreadable> {
    String::from_utf8(read_bytes(root, rel)?).map_err(|_| Unreadable::NotText)
}

/// A one-value sysfs attribute, trimmed; `None` when it is empty.
pub fn read_value(root: &Path, rel: &str) -> Result<Option<String>, Unreadable> {
    let text = read_text(root, rel)?;
    let value = text.trim();
    Ok((!value.is_empty()).then(|| value.to_string()))
}

fn exists(root: &Path, rel: &str) -> bool {
    root.join(rel).exists()
}

fn is_dir(root: &Path, rel: &str) -> bool {
    root.join(rel).is_dir()
}

/// The names in a directory, sorted; `Err` when it cannot be listed.
fn list_dir(root: &Path, rel: &str) -> Result<Vec<String>, Unreadable> {
    let mut names: Vec<String> = fs::read_dir(root.join(rel))
        .map_err(io_reason)?
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().into_string().ok())
        .collect();
    names.sort();
    Ok(names)
}

fn note(inv: &mut Inventory, text: String) {
    inv.notes.push(text);
}

// ---------------------------------------------------------------------------------------------
// CPU: /proc/cpuinfo (Documentation/filesystems/proc.rst; flag names from
// arch/x86/include/asm/cpufeatures.h, arm64 feature names from arch/arm64/kernel/cpuinfo.c)

/// What `/proc/cpuinfo` says, before it is mapped onto [`Cpu`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CpuInfo {
    pub vendor_id: Option<String>,
    pub model_name: Option<String>,
    pub family: Option<u32>,
    pub model: Option<u32>,
    pub stepping: Option<u32>,
    /// "cpu cores": cores per package.
    pub cores_per_package: Option<u32>,
    /// Distinct "physical id" values: the number of packages.
    pub packages: usize,
    /// "processor" entries: logical processors.
    pub processors: u32,
    /// The x86 `flags` line of the first processor.
    pub flags: Option<BTreeSet<String>>,
    /// The arm64 `Features` line of the first processor.
    pub arm_features: Option<BTreeSet<String>>,
    pub arm_implementer: Option<u32>,
    pub arm_architecture: Option<u32>,
}

/// Parses `/proc/cpuinfo`. Only the first value of each key counts (all processors of a PC are
/// the same model), except for the processor and package counts.
pub fn parse_cpuinfo(text: &str) -> CpuInfo {
    let mut info = CpuInfo::default();
    let mut packages = BTreeSet::new();
    // A last line without its newline was cut short; its value cannot be trusted.
    let complete = match text.rfind('\n') {
        Some(end) => &text[..end],
        None => "",
    };
    for line in complete.lines() {
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        let key = key.trim();
        let value = value.trim();
        let words = || Some(value.split_whitespace().map(str::to_string).collect());
        match key {
            // 32-bit ARM kernels print "Processor : <name>" too; only numbered entries count.
            "processor" if value.parse::<u32>().is_ok() => info.processors += 1,
            "physical id" => {
                packages.insert(value.to_string());
            }
            "vendor_id" => set_once(&mut info.vendor_id, non_empty(value)),
            "model name" => set_once(&mut info.model_name, non_empty(value)),
            "cpu family" => set_once(&mut info.family, value.parse().ok()),
            "model" => set_once(&mut info.model, value.parse().ok()),
            "stepping" => set_once(&mut info.stepping, value.parse().ok()),
            "cpu cores" => set_once(&mut info.cores_per_package, value.parse().ok()),
            "flags" => set_once(&mut info.flags, words()),
            "Features" => set_once(&mut info.arm_features, words()),
            "CPU implementer" => set_once(&mut info.arm_implementer, parse_int(value)),
            "CPU architecture" => set_once(&mut info.arm_architecture, value.parse().ok()),
            _ => {}
        }
    }
    info.packages = packages.len();
    info
}

fn set_once<T>(slot: &mut Option<T>, value: Option<T>) {
    if slot.is_none() {
        *slot = value;
    }
}

fn non_empty(value: &str) -> Option<String> {
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_string())
}

/// A decimal or `0x` hexadecimal number.
fn parse_int(value: &str) -> Option<u32> {
    match value
        .strip_prefix("0x")
        .or_else(|| value.strip_prefix("0X"))
    {
        Some(hex) => u32::from_str_radix(hex, 16).ok(),
        None => value.parse().ok(),
    }
}

/// The inventory feature names and the Linux x86 flag each is read from.
const X86_FEATURES: [(&str, &str); 9] = [
    ("pae", "pae"),
    ("nx", "nx"),
    ("sse2", "sse2"),
    ("cx16", "cx16"),
    ("lahf", "lahf_lm"),
    ("prefetchw", "3dnowprefetch"),
    ("popcnt", "popcnt"),
    ("sse4_2", "sse4_2"),
    ("lm", "lm"),
];

/// The vendor named by an arm64 "CPU implementer" code (the MIDR implementer field, as the Arm
/// Architecture Reference Manual assigns them).
fn arm_vendor(code: u32) -> Option<&'static str> {
    Some(match code {
        0x41 => "ARM",
        0x42 => "Broadcom",
        0x43 => "Cavium",
        0x46 => "Fujitsu",
        0x48 => "HiSilicon",
        0x4e => "NVIDIA",
        0x51 => "Qualcomm",
        0x61 => "Apple",
        0xc0 => "Ampere",
        _ => return None,
    })
}

/// Maps parsed cpuinfo onto the inventory's CPU, with notes for what it lacks.
pub fn cpu_from_info(info: &CpuInfo) -> (Cpu, Vec<String>) {
    let mut cpu = Cpu {
        vendor: info.vendor_id.clone(),
        brand: info.model_name.clone(),
        family: info.family,
        model: info.model,
        stepping: info.stepping,
        logical_processors: (info.processors > 0).then_some(info.processors),
        cores: info
            .cores_per_package
            .map(|c| c.saturating_mul(info.packages.max(1) as u32)),
        ..Cpu::default()
    };
    let mut notes = Vec::new();
    if let Some(flags) = &info.flags {
        let features = X86_FEATURES
            .iter()
            .map(|(name, flag)| (name.to_string(), flags.contains(*flag)))
            .collect();
        cpu.features = Some(features);
        let long_mode = flags.contains("lm");
        cpu.arch = Some(if long_mode { Arch::X64 } else { Arch::X86 });
        cpu.data_width = Some(if long_mode { 64 } else { 32 });
        let missing: Vec<&str> = [
            ("vendor_id", cpu.vendor.is_none()),
            ("model name", cpu.brand.is_none()),
            ("cpu family", cpu.family.is_none()),
            ("model", cpu.model.is_none()),
            ("stepping", cpu.stepping.is_none()),
        ]
        .into_iter()
        .filter_map(|(key, absent)| absent.then_some(key))
        .collect();
        if !missing.is_empty() {
            notes.push(format!(
                "cpu: /proc/cpuinfo has no usable {}",
                missing.join(", ")
            ));
        }
    } else if info.arm_features.is_some() || info.arm_implementer.is_some() {
        if cpu.vendor.is_none() {
            cpu.vendor = info
                .arm_implementer
                .and_then(arm_vendor)
                .map(str::to_string);
        }
        match info.arm_architecture {
            // arm64 kernels print 8 for every ARMv8 and later core.
            Some(a) if a >= 8 => {
                cpu.arch = Some(Arch::Arm64);
                cpu.data_width = Some(64);
            }
            other => notes.push(format!(
                "cpu.arch: /proc/cpuinfo gives CPU architecture {}, not an ARMv8 (arm64) core",
                other.map_or_else(|| "none".to_string(), |a| a.to_string())
            )),
        }
        if let Some(features) = &info.arm_features {
            // "atomics" is shown when ID_AA64ISAR0_EL1.Atomic >= 2, the same test Microsoft's
            // script makes (arch/arm64/kernel/cpufeature.c).
            let atomics = features.contains("atomics");
            cpu.features = Some(BTreeMap::from([("atomics".to_string(), atomics)]));
        } else {
            notes.push("cpu.features: /proc/cpuinfo has no Features line".to_string());
        }
    } else {
        notes.push(
            "cpu: /proc/cpuinfo has neither an x86 flags line nor an arm64 Features line; \
             architecture and instruction features unknown"
                .to_string(),
        );
    }
    (cpu, notes)
}

/// Fills `cpu` from `/proc/cpuinfo` and the highest clock from cpufreq.
pub fn cpu(root: &Path, inv: &mut Inventory) {
    let text = match read_bytes(root, "proc/cpuinfo") {
        // cpuinfo is ASCII; a stray invalid byte should not hide the lines that are fine.
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(why) => {
            note(inv, format!("cpu: cannot read /proc/cpuinfo: {why}"));
            return;
        }
    };
    let info = parse_cpuinfo(&text);
    let (found, notes) = cpu_from_info(&info);
    inv.notes.extend(notes);

    let cpu = inv.cpu.get_or_insert_with(Cpu::default);
    macro_rules! take {
        ($($field:ident),*) => {
            $( if found.$field.is_some() { cpu.$field = found.$field.clone(); } )*
        };
    }
    take!(
        vendor,
        brand,
        arch,
        family,
        model,
        stepping,
        cores,
        logical_processors,
        data_width,
        features
    );

    // cpuinfo_max_freq is in kHz (Documentation/admin-guide/pm/cpufreq.rst). VMs often have no
    // cpufreq at all; the caller's generic source then keeps its value.
    if let Ok(Some(khz)) = read_value(root, "sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq")
    {
        if let Some(mhz) = khz.parse::<u64>().ok().map(|k| k / 1000).filter(|m| *m > 0) {
            cpu.max_mhz = u32::try_from(mhz).ok();
        }
    }

    if cpu.vendor.as_deref() == Some("GenuineIntel") && cpu.platform_id.is_none() {
        note(
            inv,
            "cpu.platform_id: not read on Linux: how microcode/processor_flags maps to Windows' \
             \"Platform Specific Field 1\" is unconfirmed"
                .to_string(),
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Firmware: boot mode and Secure Boot

/// `EFI_GLOBAL_VARIABLE_GUID`, the namespace of the SecureBoot variable (include/linux/efi.h).
const EFI_GLOBAL_VARIABLE_GUID: &str = "8be4df61-93ca-11d2-aa0d-00e098032b8c";

/// The SecureBoot value in an efivarfs file: 4 bytes of attributes, then the 1-byte value.
/// `None` for any other shape or value.
pub fn parse_secure_boot_var(bytes: &[u8]) -> Option<bool> {
    super::efivar::efivarfs_bool(bytes)
}

/// Fills `firmware.boot_mode` and Secure Boot from `/sys/firmware/efi`.
pub fn firmware(root: &Path, inv: &mut Inventory) {
    // /sys/firmware/efi exists when the kernel was started through EFI
    // (Documentation/ABI/testing/sysfs-firmware-efi).
    if !is_dir(root, "sys/firmware/efi") {
        note(
            inv,
            "firmware.boot_mode: /sys/firmware/efi is absent: Linux was started in BIOS/CSM mode \
             (or without EFI support), but the firmware may still be UEFI-capable; start it in \
             UEFI mode to tell"
                .to_string(),
        );
        note(
            inv,
            "firmware.secure_boot_capable: unknown: Secure Boot can only be read from a UEFI boot"
                .to_string(),
        );
        return;
    }
    let firmware = inv.firmware.get_or_insert_with(Firmware::default);
    firmware.boot_mode = Some(BootMode::Uefi);

    let var = format!("sys/firmware/efi/efivars/SecureBoot-{EFI_GLOBAL_VARIABLE_GUID}");
    // Kernels before efivarfs (and up to 6.0) also had the sysfs interface, holding only the data.
    let legacy = format!("sys/firmware/efi/vars/SecureBoot-{EFI_GLOBAL_VARIABLE_GUID}/data");
    let read = match read_bytes(root, &var) {
        Err(Unreadable::Missing) => match read_bytes(root, &legacy) {
            Ok(data) => Ok(data
                .first()
                .map(|b| vec![0, 0, 0, 0, *b])
                .unwrap_or_default()),
            Err(_) => Err(Unreadable::Missing),
        },
        other => other,
    };
    match read {
        Ok(bytes) => match parse_secure_boot_var(&bytes) {
            Some(enabled) => {
                // The variable's presence means the firmware implements Secure Boot.
                firmware.secure_boot_capable = Some(true);
                firmware.secure_boot_enabled = Some(enabled);
                let setup =
                    format!("sys/firmware/efi/efivars/SetupMode-{EFI_GLOBAL_VARIABLE_GUID}");
                firmware.secure_boot_setup_mode = read_bytes(root, &setup)
                    .ok()
                    .and_then(|b| efivar::efivarfs_bool(&b));
            }
            None => note(
                inv,
                format!(
                    "firmware.secure_boot_enabled: /{var} holds {} bytes that are not a \
                     SecureBoot value",
                    bytes.len()
                ),
            ),
        },
        Err(Unreadable::Missing) => {
            let mounted = list_dir(root, "sys/firmware/efi/efivars").is_ok_and(|n| !n.is_empty());
            if mounted {
                note(
                    inv,
                    "firmware.secure_boot_capable: no SecureBoot variable: the firmware may not \
                     implement Secure Boot"
                        .to_string(),
                );
            } else {
                note(
                    inv,
                    "firmware.secure_boot_capable: efivarfs is not mounted at \
                     /sys/firmware/efi/efivars; mount it to read Secure Boot"
                        .to_string(),
                );
            }
        }
        Err(why) => note(
            inv,
            format!("firmware.secure_boot_enabled: cannot read /{var}: {why}"),
        ),
    }
}

// ---------------------------------------------------------------------------------------------
// TPM: /sys/class/tpm (Documentation/ABI/stable/sysfs-class-tpm)

/// The spec version in a TPM 1.x `caps` file ("TCG version: 1.2").
pub fn parse_tpm_caps(text: &str) -> Option<String> {
    text.lines().find_map(|line| {
        let version = line.trim().strip_prefix("TCG version:")?.trim();
        let (major, minor) = version.split_once('.')?;
        (major.parse::<u8>().is_ok() && minor.parse::<u8>().is_ok()).then(|| version.to_string())
    })
}

/// A TPM 1.x attribute that is `1` or `0`. Kernels before 4.x had it under `device/`.
fn tpm_flag(root: &Path, dev: &str, name: &str) -> Option<bool> {
    [format!("{dev}/{name}"), format!("{dev}/device/{name}")]
        .iter()
        .find_map(|rel| match read_value(root, rel) {
            Ok(Some(v)) if v == "1" => Some(true),
            Ok(Some(v)) if v == "0" => Some(false),
            _ => None,
        })
}

/// Fills `tpm` from `/sys/class/tpm`.
pub fn tpm(root: &Path, inv: &mut Inventory) {
    let devices: Vec<String> = list_dir(root, "sys/class/tpm")
        .unwrap_or_default()
        .into_iter()
        .filter(|n| {
            n.strip_prefix("tpm")
                .is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
        })
        .collect();
    let Some(name) = devices.first() else {
        note(
            inv,
            "tpm.present: /sys/class/tpm lists no TPM: there is none, it is disabled in the \
             firmware, or its driver is not loaded"
                .to_string(),
        );
        return;
    };
    let dev = format!("sys/class/tpm/{name}");
    let tpm = inv.tpm.get_or_insert_with(Tpm::default);
    tpm.present = Some(true);

    let caps = [format!("{dev}/caps"), format!("{dev}/device/caps")]
        .iter()
        .find_map(|rel| read_text(root, rel).ok().and_then(|t| parse_tpm_caps(&t)));
    // tpm_version_major exists since Linux 5.5; TPM 1.x only has `caps` before that.
    tpm.version = match read_value(root, &format!("{dev}/tpm_version_major")) {
        Ok(Some(v)) if v == "2" => Some("2.0".to_string()),
        Ok(Some(v)) if v == "1" => Some(caps.unwrap_or_else(|| "1.2".to_string())),
        _ => caps,
    };
    // Only TPM 1.x devices have these; for 2.0 they stay unknown.
    tpm.enabled = tpm_flag(root, &dev, "enabled");
    tpm.activated = tpm_flag(root, &dev, "active");
    if tpm.version.is_none() {
        note(
            inv,
            format!("tpm.version: /{dev} has neither a readable tpm_version_major nor caps"),
        );
    }
}

// ---------------------------------------------------------------------------------------------
// DMI: /sys/class/dmi/id (the kernel's copy of SMBIOS types 0, 1 and 3; drivers/firmware/dmi-id.c)

/// The chassis an SMBIOS "System Enclosure or Chassis Type" names (DMTF DSP0134, SMBIOS Reference
/// Specification 3.x, §7.4.1, table "System Enclosure or Chassis Types"). Bit 7 is the chassis
/// lock flag, not part of the type. `None` for 2 (Unknown) and for values the spec does not define.
pub fn chassis_from_smbios(code: u32) -> Option<Chassis> {
    Some(match code & 0x7f {
        // Desktop, Low Profile Desktop, Pizza Box, Mini Tower, Tower, All in One, Space-saving,
        // Lunch Box, Sealed-case PC, Mini PC, Stick PC
        3 | 4 | 5 | 6 | 7 | 13 | 15 | 16 | 24 | 35 | 36 => Chassis::Desktop,
        // Portable, Laptop, Notebook, Sub Notebook, Convertible, Detachable
        8 | 9 | 10 | 14 | 31 | 32 => Chassis::Laptop,
        // Hand Held, Tablet
        11 | 30 => Chassis::Tablet,
        // Main Server Chassis, Rack Mount Chassis, Blade
        17 | 23 | 28 => Chassis::Server,
        // Other, Docking Station, expansion/peripheral/RAID chassis, Multi-system, Compact PCI,
        // Advanced TCA, Blade Enclosure, IoT Gateway, Embedded PC
        1 | 12 | 18..=22 | 25..=27 | 29 | 33 | 34 => Chassis::Other,
        _ => return None,
    })
}

/// Whether DMI names a hypervisor's virtual hardware rather than a physical machine.
pub fn is_virtual_machine(sys_vendor: &str, product_name: &str) -> bool {
    const VENDORS: [&str; 9] = [
        "QEMU",
        "VMware",
        "innotek GmbH",
        "Xen",
        "Parallels",
        "Bochs",
        "BHYVE",
        "Amazon EC2",
        "Google",
    ];
    VENDORS.iter().any(|v| sys_vendor.starts_with(v))
        || (sys_vendor == "Microsoft Corporation" && product_name == "Virtual Machine")
        || product_name == "KVM"
        || product_name == "VirtualBox"
}

/// An SMBIOS BIOS release date (`MM/DD/YYYY`, or `MM/DD/YY` before SMBIOS 2.3) as ISO `YYYY-MM-DD`.
/// A two-digit year is 19xx from 96 on and 20xx below, as the kernel's dmi_get_date() reads it
/// (drivers/firmware/dmi_scan.c: no dates before SMBIOS 1.0, 1996).
pub fn iso_date(smbios: &str) -> Option<String> {
    let mut parts = smbios.trim().split('/');
    let (m, d, y) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some()
        || !m
            .bytes()
            .chain(d.bytes())
            .chain(y.bytes())
            .all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let (month, day, year): (u32, u32, u32) = (m.parse().ok()?, d.parse().ok()?, y.parse().ok()?);
    let year = match y.len() {
        2 if year < 96 => 2000 + year,
        2 => 1900 + year,
        4 => year,
        _ => return None,
    };
    ((1..=12).contains(&month) && (1..=31).contains(&day))
        .then(|| format!("{year:04}-{month:02}-{day:02}"))
}

/// Fills `host` (manufacturer, model, serial, chassis) and the firmware's vendor, version and date.
pub fn dmi(root: &Path, inv: &mut Inventory) {
    const DIR: &str = "sys/class/dmi/id";
    if !is_dir(root, DIR) {
        note(
            inv,
            "host, firmware.vendor: /sys/class/dmi/id is absent: the firmware gives no SMBIOS \
             tables to Linux (common in lightweight VMs and on boards without SMBIOS)"
                .to_string(),
        );
        chassis_from_cpu_flags(root, inv);
        return;
    }
    let mut read = |attr: &str, field: &str| -> Option<String> {
        match read_value(root, &format!("{DIR}/{attr}")) {
            Ok(value) => value,
            Err(Unreadable::Missing) => None,
            Err(why) => {
                // The serial (and other identifiers) are mode 0400: root only.
                let hint = if why == Unreadable::Denied {
                    "; run as root"
                } else {
                    ""
                };
                note(
                    inv,
                    format!("{field}: cannot read /{DIR}/{attr}: {why}{hint}"),
                );
                None
            }
        }
    };
    let vendor = read("sys_vendor", "host.manufacturer");
    let product = read("product_name", "host.model");
    let serial = read("product_serial", "host.serial");
    let chassis_type = read("chassis_type", "host.chassis");
    let bios_vendor = read("bios_vendor", "firmware.vendor");
    let bios_version = read("bios_version", "firmware.version");
    let bios_date = read("bios_date", "firmware.date");

    let virtual_machine = is_virtual_machine(
        vendor.as_deref().unwrap_or(""),
        product.as_deref().unwrap_or(""),
    );
    let chassis = if virtual_machine {
        Some(Chassis::Vm)
    } else {
        match chassis_type
            .as_deref()
            .map(|t| (t, t.parse::<u32>().ok().and_then(chassis_from_smbios)))
        {
            Some((_, Some(chassis))) => Some(chassis),
            Some((raw, None)) => {
                note(
                    inv,
                    format!("host.chassis: SMBIOS chassis type `{raw}` is unknown"),
                );
                None
            }
            None => None,
        }
    };
    let date = bios_date.as_deref().and_then(|raw| {
        let iso = iso_date(raw);
        if iso.is_none() {
            note(
                inv,
                format!("firmware.date: `{raw}` is not an SMBIOS MM/DD/YYYY date"),
            );
        }
        iso
    });

    let host = inv.host.get_or_insert_with(Host::default);
    host.manufacturer = vendor.or(host.manufacturer.take());
    host.model = product.or(host.model.take());
    host.serial = serial.or(host.serial.take());
    host.chassis = chassis.or(host.chassis);
    let firmware = inv.firmware.get_or_insert_with(Firmware::default);
    firmware.vendor = bios_vendor.or(firmware.vendor.take());
    firmware.version = bios_version.or(firmware.version.take());
    firmware.date = date.or(firmware.date.take());
    if inv.host.as_ref().is_some_and(|h| h.chassis.is_none()) {
        chassis_from_cpu_flags(root, inv);
    }
}

/// Without DMI, the x86 `hypervisor` flag (CPUID leaf 1, ECX bit 31, which hypervisors set for
/// their guests) still shows a virtual machine.
fn chassis_from_cpu_flags(root: &Path, inv: &mut Inventory) {
    let Ok(bytes) = read_bytes(root, "proc/cpuinfo") else {
        return;
    };
    let info = parse_cpuinfo(&String::from_utf8_lossy(&bytes));
    if info.flags.is_some_and(|f| f.contains("hypervisor")) {
        inv.host.get_or_insert_with(Host::default).chassis = Some(Chassis::Vm);
        note(
            inv,
            "host.chassis: vm, from the CPU's hypervisor flag (no SMBIOS chassis type)".to_string(),
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Installed memory: SMBIOS type 17 (Memory Device) entries, /sys/firmware/dmi/entries
// (Documentation/ABI/testing/sysfs-firmware-dmi-entries)

pub use super::smbios::memory_device_bytes;

/// Fills `memory.installed_bytes` with the sum of all memory devices, as Microsoft's script sums
/// Win32_PhysicalMemory. One unreadable or unknown device leaves the total unknown rather than low.
pub fn installed_memory(root: &Path, inv: &mut Inventory) {
    const DIR: &str = "sys/firmware/dmi/entries";
    let entries: Vec<String> = match list_dir(root, DIR) {
        Ok(names) => names.into_iter().filter(|n| n.starts_with("17-")).collect(),
        Err(Unreadable::Missing) => {
            note(
                inv,
                format!(
                    "memory.installed_bytes: /{DIR} is absent: the kernel exports no SMBIOS tables"
                ),
            );
            return;
        }
        Err(why) => {
            note(
                inv,
                format!("memory.installed_bytes: cannot list /{DIR}: {why}"),
            );
            return;
        }
    };
    if entries.is_empty() {
        note(
            inv,
            format!("memory.installed_bytes: /{DIR} has no memory device (type 17) entries"),
        );
        return;
    }
    let mut total: u64 = 0;
    for entry in &entries {
        let rel = format!("{DIR}/{entry}/raw");
        let bytes = match read_bytes(root, &rel) {
            Ok(bytes) => bytes,
            Err(Unreadable::Denied) => {
                note(
                    inv,
                    "memory.installed_bytes: SMBIOS tables need root; run as root for installed \
                     memory"
                        .to_string(),
                );
                return;
            }
            Err(why) => {
                note(
                    inv,
                    format!("memory.installed_bytes: cannot read /{rel}: {why}"),
                );
                return;
            }
        };
        match memory_device_bytes(&bytes) {
            Ok(n) => total = total.saturating_add(n),
            Err(why) => {
                note(inv, format!("memory.installed_bytes: /{rel}: {why}"));
                return;
            }
        }
    }
    if total == 0 {
        note(
            inv,
            "memory.installed_bytes: SMBIOS lists no installed memory device".to_string(),
        );
        return;
    }
    inv.memory
        .get_or_insert_with(Memory::default)
        .installed_bytes = Some(total);
}

// ---------------------------------------------------------------------------------------------
// The disk holding `/`

/// The mount of `/`, as `/proc/self/mountinfo` lists it (Documentation/filesystems/proc.rst,
/// `/proc/<pid>/mountinfo`: ID, parent ID, major:minor, root, mount point, options, optional
/// fields, `-`, file-system type, source, super options).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RootMount {
    pub major: u32,
    pub minor: u32,
    pub fs_type: String,
    pub source: String,
}

/// The mount of `/`; the last one listed, since a later mount on `/` hides the earlier ones.
pub fn parse_root_mount(mountinfo: &str) -> Option<RootMount> {
    mountinfo
        .lines()
        .rev()
        .filter_map(parse_mount_line)
        .find(|(point, _)| point == "/")
        .map(|(_, m)| m)
}

fn parse_mount_line(line: &str) -> Option<(String, RootMount)> {
    let fields: Vec<&str> = line.split_whitespace().collect();
    let (major, minor) = fields.get(2)?.split_once(':')?;
    let point = fields.get(4)?;
    let dash = fields.iter().skip(6).position(|f| *f == "-")? + 6;
    Some((
        point.to_string(),
        RootMount {
            major: major.parse().ok()?,
            minor: minor.parse().ok()?,
            fs_type: fields.get(dash + 1)?.to_string(),
            source: fields.get(dash + 2)?.to_string(),
        },
    ))
}

/// The partition-table type in a udev database file (`E:KEY=value` property lines, as systemd's
/// sd-device reads them; udev's blkid builtin sets `ID_PART_TABLE_TYPE`).
pub fn parse_udev_part_table(db: &str) -> Option<String> {
    db.lines()
        .find_map(|l| l.strip_prefix("E:ID_PART_TABLE_TYPE="))
        .map(|v| v.trim().to_string())
}

/// How deep device-mapper/md stacks are followed before giving up.
const MAX_STACK: usize = 8;

/// The kernel name of the block device `major:minor` (`DEVNAME` in its uevent file; the link's
/// target name if that is missing).
fn block_name(root: &Path, major: u32, minor: u32) -> Result<String, String> {
    let rel = format!("sys/dev/block/{major}:{minor}");
    if let Ok(uevent) = read_text(root, &format!("{rel}/uevent")) {
        if let Some(name) = uevent.lines().find_map(|l| l.strip_prefix("DEVNAME=")) {
            return Ok(name.trim().to_string());
        }
    }
    fs::canonicalize(root.join(&rel))
        .ok()
        .and_then(|p| p.file_name().and_then(|n| n.to_str()).map(str::to_string))
        .filter(|n| *n != format!("{major}:{minor}"))
        .ok_or_else(|| format!("/{rel} does not name a block device"))
}

/// The kernel name of the device in a mount source such as `/dev/nvme0n1p2` or
/// `/dev/mapper/vg-root` (needed when `/` is on an anonymous device number, as btrfs is).
fn block_name_from_source(root: &Path, source: &str) -> Option<String> {
    let dev = source.strip_prefix("/dev/")?;
    if let Some(mapped) = dev.strip_prefix("mapper/") {
        return list_dir(root, "sys/block").ok()?.into_iter().find(|n| {
            read_value(root, &format!("sys/block/{n}/dm/name"))
                .ok()
                .flatten()
                .as_deref()
                == Some(mapped)
        });
    }
    let name = dev.rsplit('/').next()?;
    (is_dir(root, &format!("sys/block/{name}")) || partition_parent(root, name).is_some())
        .then(|| name.to_string())
}

/// The disk a partition belongs to: the `sys/block/<disk>` entry that has `<name>` inside it.
fn partition_parent(root: &Path, name: &str) -> Option<String> {
    list_dir(root, "sys/block")
        .ok()?
        .into_iter()
        .find(|disk| exists(root, &format!("sys/block/{disk}/{name}/partition")))
}

/// The physical disk under block device `name`: a partition's parent, the single device under a
/// device-mapper or md device (its `slaves/`), or `name` itself. `Err` says why there is none.
fn physical_disk(root: &Path, name: &str, depth: usize) -> Result<(String, bool), String> {
    if depth > MAX_STACK {
        return Err(format!("the block devices under {name} nest too deep"));
    }
    let dir = format!("sys/block/{name}");
    if !is_dir(root, &dir) {
        return match partition_parent(root, name) {
            Some(disk) => physical_disk(root, &disk, depth + 1).map(|(d, _)| (d, true)),
            None => Err(format!("/sys/block has no device {name}")),
        };
    }
    let slaves = list_dir(root, &format!("{dir}/slaves")).unwrap_or_default();
    match slaves.as_slice() {
        [] if name.starts_with("loop") || is_dir(root, &format!("{dir}/loop")) => Err(format!(
            "{name} is a loop device (a file mounted as a disk, as live systems do)"
        )),
        [] if is_dir(root, &format!("{dir}/dm")) || is_dir(root, &format!("{dir}/md")) => Err(
            format!("{name} is a mapped device with no underlying device listed"),
        ),
        [] => Ok((name.to_string(), false)),
        [one] => physical_disk(root, one, depth + 1),
        many => Err(format!(
            "{name} spans {} devices ({}): RAID or a multi-disk volume",
            many.len(),
            many.join(", ")
        )),
    }
}

/// The disk under `/`, and whether `/` is on a partition of it (rather than the whole disk).
fn root_disk(root: &Path) -> Result<(String, bool), String> {
    let mountinfo = read_text(root, "proc/self/mountinfo")
        .map_err(|why| format!("cannot read /proc/self/mountinfo: {why}"))?;
    let mount = parse_root_mount(&mountinfo).ok_or("/proc/self/mountinfo lists no mount of /")?;
    // Major 0 is an anonymous device: overlay, tmpfs, network and container roots, but also
    // btrfs, whose source still names the real device.
    let name = if mount.major == 0 {
        block_name_from_source(root, &mount.source).ok_or_else(|| {
            format!(
                "/ is mounted from `{}` (file system {}), not from a local disk: a container, \
                 a live system's overlay or a network root",
                mount.source, mount.fs_type
            )
        })?
    } else {
        block_name(root, mount.major, mount.minor)?
    };
    physical_disk(root, &name, 0)
}

/// The partition style of `disk`, as udev's blkid probe recorded it.
fn partition_style(root: &Path, disk: &str, on_partition: bool) -> Result<PartitionStyle, String> {
    let devno = match read_value(root, &format!("sys/block/{disk}/dev")) {
        Ok(Some(devno)) => devno,
        _ => return Err(format!("/sys/block/{disk}/dev is unreadable")),
    };
    let db = match read_text(root, &format!("run/udev/data/b{devno}")) {
        Ok(db) => db,
        Err(Unreadable::Missing) => {
            return Err(format!(
                "udev has no data for {disk} (/run/udev/data/b{devno}): udev is not running here"
            ))
        }
        Err(why) => return Err(format!("cannot read /run/udev/data/b{devno}: {why}")),
    };
    match parse_udev_part_table(&db).as_deref() {
        Some("gpt") => Ok(PartitionStyle::Gpt),
        Some("dos") => Ok(PartitionStyle::Mbr),
        Some(other) => Err(format!("{disk} has a `{other}` partition table")),
        None if on_partition => Err(format!("udev found no partition table on {disk}")),
        None => Err(format!(
            "udev found no partition table on {disk}; / is on the whole disk"
        )),
    }
}

/// Fills `storage.system_disk` with the disk that holds `/`.
pub fn system_disk(root: &Path, inv: &mut Inventory) {
    let (disk, on_partition) = match root_disk(root) {
        Ok(found) => found,
        Err(why) => {
            note(inv, format!("storage.system_disk: {why}"));
            return;
        }
    };
    let dir = format!("sys/block/{disk}");
    // `size` counts 512-byte sectors whatever the disk's logical block size
    // (Documentation/ABI/stable/sysfs-block).
    let size_bytes = match read_value(root, &format!("{dir}/size")) {
        Ok(Some(v)) => v.parse::<u64>().ok().and_then(|s| s.checked_mul(512)),
        _ => None,
    };
    if size_bytes.is_none() {
        note(
            inv,
            format!("storage.system_disk.size_bytes: /{dir}/size is not a sector count"),
        );
    }
    // queue/rotational: 1 for spinning media, 0 otherwise (Documentation/ABI/stable/sysfs-block).
    let media = match read_value(root, &format!("{dir}/queue/rotational")) {
        Ok(Some(v)) if v == "0" => Some(Media::Ssd),
        Ok(Some(v)) if v == "1" => Some(Media::Hdd),
        _ => {
            note(
                inv,
                format!("storage.system_disk.media: /{dir}/queue/rotational is not 0 or 1"),
            );
            None
        }
    };
    let model = read_value(root, &format!("{dir}/device/model"))
        .ok()
        .flatten();
    let partition_style = partition_style(root, &disk, on_partition)
        .map_err(|why| note(inv, format!("storage.system_disk.partition_style: {why}")))
        .ok();

    inv.storage.get_or_insert_with(Storage::default).system_disk = Some(Disk {
        size_bytes,
        partition_style,
        media,
        model,
    });
}

// ---------------------------------------------------------------------------------------------
// Rights

/// Whether this process runs with effective user id 0, from `/proc/self/status`'s `Uid:` line
/// (real, effective, saved, file-system ids; Documentation/filesystems/proc.rst).
pub fn is_root(root: &Path) -> Option<bool> {
    let status = read_text(root, "proc/self/status").ok()?;
    let uids = status.lines().find_map(|l| l.strip_prefix("Uid:"))?;
    let effective: u32 = uids.split_whitespace().nth(1)?.parse().ok()?;
    Some(effective == 0)
}

// ---------------------------------------------------------------------------------------------
// The whole SMBIOS table: /sys/firmware/dmi/tables (Documentation/ABI/testing/sysfs-firmware-dmi-tables)

/// Fills what only the raw table shows (whether the firmware supports UEFI, its SMBIOS version,
/// the memory modules and slots), and installed memory if the entries gave none. The table is
/// readable by root only.
pub fn smbios_table(root: &Path, inv: &mut Inventory) {
    const TABLE: &str = "sys/firmware/dmi/tables/DMI";
    let bytes = match read_bytes(root, TABLE) {
        Ok(bytes) => bytes,
        Err(Unreadable::Denied) => {
            note(
                inv,
                format!(
                    "firmware.uefi_capable: /{TABLE} needs root; run as root to read whether the \
                     firmware supports UEFI"
                ),
            );
            return;
        }
        Err(Unreadable::Missing) => {
            note(
                inv,
                format!(
                    "firmware.uefi_capable: /{TABLE} is absent: the kernel exports no SMBIOS table"
                ),
            );
            return;
        }
        Err(why) => {
            note(
                inv,
                format!("firmware.uefi_capable: cannot read /{TABLE}: {why}"),
            );
            return;
        }
    };
    let version = read_bytes(root, "sys/firmware/dmi/tables/smbios_entry_point")
        .ok()
        .and_then(|b| smbios::parse_entry_point(&b));
    let table = smbios::parse_table(&bytes, version);
    super::firmware_facts::apply_smbios(inv, &table, &format!("SMBIOS table (/{TABLE})"));
}

// ---------------------------------------------------------------------------------------------
// ACPI tables: /sys/firmware/acpi/tables (Documentation/ABI/testing/sysfs-firmware-acpi)

/// Fills `tpm.acpi_table` from the list of ACPI tables, which any user may read.
pub fn acpi_tables(root: &Path, inv: &mut Inventory) {
    const DIR: &str = "sys/firmware/acpi/tables";
    let names = match list_dir(root, DIR) {
        Ok(names) => names,
        Err(why) => {
            note(inv, format!("tpm.acpi_table: cannot list /{DIR}: {why}"));
            return;
        }
    };
    super::firmware_facts::apply_acpi(
        inv,
        &AcpiTables::from_sysfs_names(&names),
        &format!("ACPI table list (/{DIR})"),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpuinfo_counts_processors_packages_and_reads_flags() {
        let text = "processor\t: 0\nvendor_id\t: GenuineIntel\ncpu family\t: 6\nmodel\t\t: 142\n\
                    model name\t: Intel(R) Core(TM) i5-8250U CPU @ 1.60GHz\nstepping\t: 10\n\
                    physical id\t: 0\ncpu cores\t: 4\nflags\t\t: fpu pae sse2 lm\n\n\
                    processor\t: 1\nvendor_id\t: GenuineIntel\nphysical id\t: 1\n";
        let info = parse_cpuinfo(text);
        assert_eq!(info.processors, 2);
        assert_eq!(info.packages, 2);
        assert_eq!(
            (info.family, info.model, info.stepping),
            (Some(6), Some(142), Some(10))
        );
        let (cpu, notes) = cpu_from_info(&info);
        assert!(notes.is_empty(), "{notes:?}");
        assert_eq!(cpu.cores, Some(8));
        assert_eq!(cpu.arch, Some(Arch::X64));
        let features = cpu.features.unwrap();
        assert_eq!(features.len(), 9);
        assert!(features["pae"] && features["lm"] && !features["popcnt"]);
    }

    #[test]
    fn arm64_cpuinfo() {
        let text = "processor\t: 0\nBogoMIPS\t: 48.00\nFeatures\t: fp asimd atomics cpuid\n\
                    CPU implementer\t: 0x51\nCPU architecture: 8\nCPU variant\t: 0xd\n";
        let (cpu, notes) = cpu_from_info(&parse_cpuinfo(text));
        assert!(notes.is_empty(), "{notes:?}");
        assert_eq!(cpu.arch, Some(Arch::Arm64));
        assert_eq!(cpu.vendor.as_deref(), Some("Qualcomm"));
        assert_eq!(
            cpu.features,
            Some(BTreeMap::from([("atomics".to_string(), true)]))
        );
    }

    #[test]
    fn secure_boot_variable() {
        assert_eq!(parse_secure_boot_var(&[6, 0, 0, 0, 1]), Some(true));
        assert_eq!(parse_secure_boot_var(&[6, 0, 0, 0, 0]), Some(false));
        assert_eq!(parse_secure_boot_var(&[6, 0, 0, 0, 2]), None);
        assert_eq!(parse_secure_boot_var(&[6, 0, 0, 0, 1, 0]), None);
        assert_eq!(parse_secure_boot_var(&[]), None);
    }

    #[test]
    fn tpm_caps() {
        let caps = "Manufacturer: 0x53544d20\nTCG version: 1.2\nFirmware version: 8.16\n";
        assert_eq!(parse_tpm_caps(caps).as_deref(), Some("1.2"));
        assert_eq!(parse_tpm_caps("TCG version: x.y"), None);
    }

    #[test]
    fn chassis_types() {
        assert_eq!(chassis_from_smbios(3), Some(Chassis::Desktop));
        assert_eq!(
            chassis_from_smbios(0x83),
            Some(Chassis::Desktop),
            "lock bit ignored"
        );
        assert_eq!(chassis_from_smbios(10), Some(Chassis::Laptop));
        assert_eq!(chassis_from_smbios(30), Some(Chassis::Tablet));
        assert_eq!(chassis_from_smbios(23), Some(Chassis::Server));
        assert_eq!(chassis_from_smbios(2), None);
        assert_eq!(chassis_from_smbios(99), None);
    }

    #[test]
    fn bios_dates() {
        assert_eq!(iso_date("08/19/2019").as_deref(), Some("2019-08-19"));
        assert_eq!(iso_date("12/01/99").as_deref(), Some("1999-12-01"));
        assert_eq!(iso_date("01/02/05").as_deref(), Some("2005-01-02"));
        assert_eq!(iso_date("01/02/96").as_deref(), Some("1996-01-02"));
        assert_eq!(iso_date("13/01/2019"), None);
        assert_eq!(iso_date("2019-08-19"), None);
        assert_eq!(iso_date("+1/02/2019"), None);
    }

    /// The SMBIOS table and entry point of the `uefi-tpm2-kabylake-r-laptop` fixture, built here
    /// with the structure builders of `smbios`'s tests: SMBIOS 3.1, the Dell Latitude 7490 that
    /// the fixture's /sys/class/dmi/id describes, firmware that says it supports UEFI, two 4 GiB
    /// DDR4 modules. The committed files must equal what this builds; `UPDATE_GOLDEN=1` rewrites
    /// them.
    #[test]
    fn kaby_lake_fixture_tables_match_their_recipe() {
        use crate::facts::collect::smbios::tests::{bios_with, dimm, structure, system_with};
        let mut chassis = vec![0u8; 0x0d - 4];
        chassis[0x05 - 4] = 10; // Notebook
        let table = [
            // Extension byte 2: BIOS Boot Specification (bit 0) and UEFI (bit 3).
            bios_with(["Dell Inc.", "1.21.0", "08/19/2021"], 0b1001),
            system_with(["Dell Inc.", "Latitude 7490", "", "5XK2L1S"]),
            structure(3, 2, &chassis, &[]),
            dimm(0x40, 4096, 0, 0x1a, "ChannelA-DIMM0"),
            dimm(0x41, 4096, 0, 0x1a, "ChannelB-DIMM0"),
            structure(127, 0xfeff, &[], &[]),
        ]
        .concat();
        // A 24-byte _SM3_ entry point: anchor, checksum, length 18h, version 3.1, docrev 1,
        // revision 1, reserved, max table size, table address (DSP0134 §5.2.2).
        let mut entry = b"_SM3_".to_vec();
        entry.extend_from_slice(&[0, 0x18, 3, 1, 1, 1, 0]);
        entry.extend_from_slice(&(table.len() as u32).to_le_bytes());
        entry.extend_from_slice(&0x000e_0000u64.to_le_bytes());
        let sum = entry.iter().fold(0u8, |a, b| a.wrapping_add(*b));
        entry[5] = 0u8.wrapping_sub(sum);

        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/sysfs/uefi-tpm2-kabylake-r-laptop/sys/firmware/dmi/tables");
        for (name, bytes) in [("DMI", &table), ("smbios_entry_point", &entry)] {
            let path = dir.join(name);
            if std::env::var_os("UPDATE_GOLDEN").is_some() {
                fs::create_dir_all(&dir).unwrap();
                fs::write(&path, bytes).unwrap();
            }
            assert_eq!(&fs::read(&path).unwrap(), bytes, "{}", path.display());
        }
        let parsed = smbios::parse_table(&table, smbios::parse_entry_point(&entry));
        assert_eq!(parsed.version, Some((3, 1)));
        assert!(parsed.problems.is_empty());
    }

    #[test]
    fn root_mount() {
        let text = "22 27 0:21 / /proc rw - proc proc rw\n\
                    27 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw\n\
                    garbage\n";
        let m = parse_root_mount(text).unwrap();
        assert_eq!((m.major, m.minor, m.fs_type.as_str()), (254, 0, "ext4"));
        let btrfs = "30 1 0:35 /@ / rw - btrfs /dev/nvme0n1p2 rw,subvol=/@\n";
        assert_eq!(parse_root_mount(btrfs).unwrap().source, "/dev/nvme0n1p2");
        assert_eq!(parse_root_mount("1 2 3:4 / /\n"), None);
    }

    #[test]
    fn udev_part_table() {
        let db = "S:disk/by-id/x\nE:ID_PART_TABLE_UUID=1\nE:ID_PART_TABLE_TYPE=gpt\n";
        assert_eq!(parse_udev_part_table(db).as_deref(), Some("gpt"));
        assert_eq!(parse_udev_part_table("E:ID_FS_TYPE=ext4\n"), None);
    }
}
