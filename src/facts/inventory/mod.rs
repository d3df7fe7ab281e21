//! Inventory v1: what was observed on one machine (DESIGN Appendix A), and how it is read and written.
//!
//! This module owns the serde model and its parsing from YAML or JSON text. It records
//! observations, never conclusions: judging them is the rules' job. Every field is optional and an
//! absent field means "not collected"; `None` is never written out, so a round trip keeps
//! "absent" absent. Field names are a public contract: add fields, never rename one.

pub mod schema;
pub mod validate;

use crate::error::{Error, Location, Origin, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The value of `schema` this version reads and writes.
pub const SCHEMA: &str = "w7plan/inventory/v1";

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Inventory {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collected_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<Host>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub os: Option<Os>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu: Option<Cpu>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory: Option<Memory>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage: Option<Storage>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub firmware: Option<Firmware>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tpm: Option<Tpm>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub graphics: Option<Vec<GraphicsAdapter>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display: Option<Display>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub license: Option<License>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub software: Option<Vec<Program>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Where a probed fact came from, by field path (`tpm.acpi_table`, `firmware.uefi_capable`,
    /// `cpu.features`, …): the API or file and what was read, e.g. "ACPI table list
    /// (EnumSystemFirmwareTables)". Only facts a probe read from a source other than the
    /// collector's usual one are listed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sources: Option<BTreeMap<String, String>>,
}

/// Who observed the facts, with what rights.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Source {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collector: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub elevated: Option<bool>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Chassis {
    Desktop,
    Laptop,
    Tablet,
    Server,
    Vm,
    Other,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Host {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manufacturer: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub serial: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chassis: Option<Chassis>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OsFamily {
    Windows,
    Linux,
    Macos,
}

/// An instruction-set architecture, of the OS (`os.arch`) or of the CPU (`cpu.arch`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Arch {
    X86,
    X64,
    Arm64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Os {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family: Option<OsFamily>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Starter | HomeBasic | HomePremium | Professional | Ultimate | Enterprise (Windows 7), or the
    /// edition name of a newer Windows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edition: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub build: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_pack: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arch: Option<Arch>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// The system locale (the language for non-Unicode programs, which picks the OEM code page),
    /// e.g. `fr-FR`; often not the UI language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub installed_on: Option<String>,
    /// The registered owner Windows was installed for (`RegisteredOwner`), which tells whose PC
    /// an unlabelled disk was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registered_owner: Option<String>,
    /// How many updates (hotfixes) are installed, as the OS counts them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hotfix_count: Option<u32>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Cpu {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vendor: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub brand: Option<String>,
    /// The CPU's own architecture (Win32_Processor.Architecture), as opposed to `os.arch`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arch: Option<Arch>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stepping: Option<u32>,
    /// Intel's "Platform Specific Field 1" registry value, which Microsoft's rule reads for two
    /// Kaby Lake models.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform_id: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cores: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logical_processors: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_mhz: Option<u32>,
    /// The clock measured at boot, as systeminfo shows it (`~2394 Mhz`, from the registry's
    /// `~MHz`). Power saving can lower it (a 2.5 GHz laptop may show ~783), so it is a lower
    /// bound of `max_mhz`, never the maximum itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub boot_mhz: Option<u32>,
    /// As Win32_Processor reports it: the bitness of the running OS.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address_width: Option<u32>,
    /// The CPU's own width.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_width: Option<u32>,
    /// Instruction features by Linux flag-style name (pae, nx, sse2, cx16, lahf, prefetchw,
    /// popcnt, sse4_2, lm, atomics). A feature not in the map was not observed either way.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub features: Option<BTreeMap<String, bool>>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Memory {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub installed_bytes: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visible_bytes: Option<u64>,
    /// How many memory slots the firmware lists (SMBIOS type 17 structures), empty ones included.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slots: Option<u32>,
    /// The installed modules (SMBIOS type 17 structures with a size other than 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modules: Option<Vec<MemoryModule>>,
}

/// One installed memory module.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MemoryModule {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size_bytes: Option<u64>,
    /// The memory technology: DDR2, DDR3, DDR4, LPDDR4, DDR5, …
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// The slot's name as the firmware gives it, e.g. `DIMM A`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slot: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Storage {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system_volume: Option<Volume>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system_disk: Option<Disk>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Volume {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub letter: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mount_point: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size_bytes: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub free_bytes: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PartitionStyle {
    Gpt,
    Mbr,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Media {
    Ssd,
    Hdd,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Disk {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size_bytes: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition_style: Option<PartitionStyle>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media: Option<Media>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BootMode {
    Uefi,
    Bios,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Firmware {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub boot_mode: Option<BootMode>,
    /// Whether the firmware implements Secure Boot. Windows 7 cannot tell (it needs CSM).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secure_boot_capable: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secure_boot_enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vendor: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Whether the firmware says it supports UEFI (SMBIOS BIOS characteristics extension byte 2,
    /// bit 3), whichever mode it booted in: a legacy-booted Windows 7 on UEFI-capable firmware
    /// shows `boot_mode: bios` and `uefi_capable: true`. `false` only from SMBIOS 2.7 on, where
    /// the bit is defined.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uefi_capable: Option<bool>,
    /// The UEFI `SetupMode` variable: `true` when no Platform Key is enrolled, so Secure Boot
    /// cannot be turned on until the firmware's keys are restored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secure_boot_setup_mode: Option<bool>,
    /// The SMBIOS version of the firmware's tables, e.g. "2.7".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub smbios_version: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Tpm {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub present: Option<bool>,
    /// The spec version, "1.2" or "2.0".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activated: Option<bool>,
    /// The ACPI table by which the firmware announces a TPM to the OS: "TPM2" (a TPM 2.0) or
    /// "TCPA" (a TPM 1.2). Seen even where the OS has no driver for the TPM (Windows 7 and a
    /// TPM 2.0); its absence proves nothing (the TPM may be off, or the boot legacy).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acpi_table: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GraphicsAdapter {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub driver_version: Option<String>,
    /// The driver model of the installed driver, e.g. "1.1" (the highest Windows 7 has) or "2.0".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wddm: Option<String>,
    /// The highest DirectX feature level the adapter supports, e.g. "11.0" or "12.1".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub directx: Option<String>,
    /// The PCI vendor id, four upper-case hex digits as in `PCI\VEN_10DE`: 8086 Intel, 1002 AMD,
    /// 10DE NVIDIA.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vendor_id: Option<String>,
    /// The PCI device id, four upper-case hex digits as in `&DEV_1C82`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_id: Option<String>,
    /// The installed driver's date, ISO `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub driver_date: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Display {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height: Option<u32>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct License {
    /// The full key, only where the source held it (DigitalProductId). Masked in every output
    /// unless the user asks to reveal it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_key: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partial_key: Option<String>,
    /// Retail | OEM:SLP | OEM:NONSLP | OEM:DM | Volume:MAK | Volume:GVLK
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_id: Option<String>,
    /// The raw Description of the Windows SoftwareLicensingProduct, as WMI and `slmgr /dli`
    /// print it, e.g. `Windows Operating System - Windows(R) 7, OEM_SLP channel`; w7plan reads
    /// the channel from it when `channel` is absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Program {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub installed_on: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arch: Option<Arch>,
}

/// The text format of an inventory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Yaml,
    Json,
}

impl Format {
    /// JSON when the text starts with `{` (after a BOM or white space), else YAML. YAML would read
    /// JSON too, but serde_json is faster and its messages are clearer.
    pub fn sniff(text: &str) -> Format {
        let text = text.trim_start_matches('\u{feff}').trim_start();
        if text.starts_with('{') {
            Format::Json
        } else {
            Format::Yaml
        }
    }
}

impl Inventory {
    /// Parses an inventory from text, in the format its content shows, and checks its schema.
    /// Unknown fields and impossible values (see [`crate::facts::inventory::validate`]) are set aside, each with a
    /// note naming its line.
    pub fn parse(text: &str, origin: &Origin) -> Result<Inventory> {
        let (mut inventory, warnings) = Self::parse_checked(text, origin)?;
        inventory
            .notes
            .extend(warnings.iter().map(|w| w.at(origin)));
        Ok(inventory)
    }

    /// As [`Inventory::parse`], with what was set aside returned instead of noted, for callers
    /// that report it (or refuse the file, under `--strict`).
    pub fn parse_checked(
        text: &str,
        origin: &Origin,
    ) -> Result<(Inventory, Vec<crate::facts::inventory::validate::Warning>)> {
        let (mut inventory, unknown) = Self::parse_tracked(text, origin)?;
        Self::check_schema(&inventory, text, origin)?;
        let body = text.trim_start_matches('\u{feff}');
        // Looking up lines costs a scan of the text per field: only done when one was found.
        let mut warnings = if unknown.is_empty() {
            Vec::new()
        } else {
            crate::facts::inventory::validate::unknown_fields(unknown, body)
        };
        warnings.extend(crate::facts::inventory::validate::impossible_values(
            &mut inventory,
            body,
        ));
        Ok((inventory, warnings))
    }

    fn check_schema(inventory: &Inventory, text: &str, origin: &Origin) -> Result<()> {
        match inventory.schema.as_deref() {
            Some(SCHEMA) => Ok(()),
            Some(other) => Err(Error::InventorySchema {
                origin: origin.clone(),
                location: find_key_line(text, "schema"),
                found: other.to_string(),
                expected: SCHEMA,
            }),
            None => Err(Error::InventorySchemaMissing {
                origin: origin.clone(),
                expected: SCHEMA,
            }),
        }
    }

    /// Parses an inventory or a fragment of one without requiring `schema` (rule examples and
    /// partial evidence are fragments).
    pub fn parse_unchecked(text: &str, origin: &Origin) -> Result<Inventory> {
        Self::parse_tracked(text, origin).map(|(inventory, _)| inventory)
    }

    /// Parses once, typed, and keeps the path (keys only, no list indexes) of every field the
    /// model does not have, in the order met, at most [`crate::facts::inventory::validate::MAX_UNKNOWN`] of them.
    fn parse_tracked(text: &str, origin: &Origin) -> Result<(Inventory, Vec<Vec<String>>)> {
        let body = text.trim_start_matches('\u{feff}');
        let mut unknown = Vec::new();
        let mut note = |path: serde_ignored::Path| {
            if unknown.len() < crate::facts::inventory::validate::MAX_UNKNOWN {
                let mut keys = Vec::new();
                keys_of(&path, &mut keys);
                // A key written twice is one field (the generic reading kept one).
                if !unknown.contains(&keys) {
                    unknown.push(keys);
                }
            }
        };
        let inventory = match Format::sniff(body) {
            Format::Json => {
                let mut json = serde_json::Deserializer::from_str(body);
                serde_ignored::deserialize(&mut json, &mut note)
                    .and_then(|inventory| json.end().map(|()| inventory))
            }
            .map_err(|e| Error::InventorySyntax {
                origin: origin.clone(),
                location: (e.line() > 0).then(|| Location {
                    line: e.line(),
                    column: e.column(),
                }),
                message: crate::input::tame_message(&crate::yaml::strip_position(&e.to_string())),
            }),
            Format::Yaml => {
                if body.trim().is_empty() {
                    return Err(Error::InventorySyntax {
                        origin: origin.clone(),
                        location: None,
                        message: "the file is empty".into(),
                    });
                }
                crate::yaml::check(body, crate::yaml::Aliases::Refuse).map_err(|refusal| {
                    Error::InventorySyntax {
                        origin: origin.clone(),
                        location: Some(refusal.location),
                        message: refusal.message,
                    }
                })?;
                crate::yaml::from_str_tracked(body, &mut note).map_err(|e| Error::InventorySyntax {
                    origin: origin.clone(),
                    location: crate::yaml::location(&e),
                    message: crate::yaml::message(&e),
                })
            }
        }?;
        Ok((inventory, unknown))
    }

    /// Reads and parses an inventory file.
    pub fn read(path: &std::path::Path) -> Result<Inventory> {
        let bytes = crate::input::read_file(path, crate::input::Kind::Inventory)?;
        let text = String::from_utf8(bytes).map_err(|e| Error::Read {
            path: path.to_path_buf(),
            source: std::io::Error::new(std::io::ErrorKind::InvalidData, e.utf8_error()),
        })?;
        Inventory::parse(&text, &Origin::path(path))
    }

    pub fn to_yaml(&self) -> String {
        crate::yaml::to_string(self).expect("an inventory always serializes")
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("an inventory always serializes")
    }

    /// The host name, or a placeholder for reports.
    pub fn host_name(&self) -> &str {
        self.host
            .as_ref()
            .and_then(|h| h.name.as_deref())
            .unwrap_or("unnamed machine")
    }
}

/// The keys along a path serde_ignored reports, without list indexes (`graphics.0.wdm` is
/// `graphics.wdm`, as warnings name it).
fn keys_of(path: &serde_ignored::Path, keys: &mut Vec<String>) {
    use serde_ignored::Path;
    match path {
        Path::Root => {}
        Path::Map { parent, key } => {
            keys_of(parent, keys);
            keys.push(key.clone());
        }
        Path::Seq { parent, .. }
        | Path::Some { parent }
        | Path::NewtypeStruct { parent }
        | Path::NewtypeVariant { parent } => keys_of(parent, keys),
    }
}

/// The line on which a top-level `key` is written, for errors found after parsing.
fn find_key_line(text: &str, key: &str) -> Option<Location> {
    text.lines().enumerate().find_map(|(i, line)| {
        let trimmed = line
            .trim_start_matches('\u{feff}')
            .trim_start_matches(['{', ' ']);
        let column = line.len() - trimmed.len() + 1;
        let rest = trimmed.strip_prefix('"').unwrap_or(trimmed);
        rest.strip_prefix(key)
            .filter(|r| r.starts_with(':') || r.starts_with("\":"))
            .map(|_| Location {
                line: i + 1,
                column,
            })
    })
}

/// A byte count as whole GiB the way PowerShell's `[math]::Round` shows it (ties to even), as
/// HardwareReadiness.ps1 reports memory and disk sizes: the one rounding the `ps_gib` filter
/// and the script's result shape share.
pub fn powershell_gib(bytes: f64) -> i64 {
    (bytes / (1u64 << 30) as f64).round_ties_even() as i64
}

/// The parts of a dotted version as inventories record them (`6.1.7601`, `2.0`, a file version
/// with commas), as numbers; `None` when it is not one.
pub fn parse_version(text: &str) -> Option<Vec<u64>> {
    let parts: Option<Vec<u64>> = text
        .trim()
        .split(['.', ','])
        .map(|p| p.trim().parse().ok())
        .collect();
    parts.filter(|p| !p.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origin() -> Origin {
        Origin("t.yaml".into())
    }

    #[test]
    fn yaml_error_has_line_and_column() {
        let err = Inventory::parse(
            "schema: w7plan/inventory/v1\nmemory:\n  installed_bytes: lots\n",
            &origin(),
        )
        .unwrap_err();
        let text = err.to_string();
        assert!(text.starts_with("t.yaml:3:"), "{text}");
        assert!(text.contains("installed_bytes"), "{text}");
        assert_eq!(err.code(), "inventory-syntax");
    }

    #[test]
    fn json_error_has_line_and_column() {
        let err = Inventory::parse(
            "{\"schema\": \"w7plan/inventory/v1\",\n \"os\": {\"arch\": \"x65\"}}",
            &origin(),
        )
        .unwrap_err();
        let text = err.to_string();
        assert!(text.starts_with("t.yaml:2:"), "{text}");
        assert!(text.contains("x86"), "names what was expected: {text}");
    }

    #[test]
    fn wrong_schema_points_at_its_line() {
        let err = Inventory::parse("# c\nschema: w7plan/inventory/v9\n", &origin()).unwrap_err();
        assert_eq!(err.code(), "inventory-schema");
        assert!(err.to_string().starts_with("t.yaml:2:1:"), "{err}");
    }

    #[test]
    fn missing_schema_is_an_error_but_fragments_parse() {
        let err = Inventory::parse("memory: {installed_bytes: 1}\n", &origin()).unwrap_err();
        assert_eq!(err.code(), "inventory-schema-missing");
        assert!(Inventory::parse_unchecked("memory: {installed_bytes: 1}\n", &origin()).is_ok());
    }

    #[test]
    fn absent_stays_absent_in_a_round_trip() {
        let text = "schema: w7plan/inventory/v1\nfirmware:\n  boot_mode: bios\n";
        let inv = Inventory::parse(text, &origin()).unwrap();
        assert_eq!(inv.to_yaml(), text);
        let again = Inventory::parse(&inv.to_json(), &origin()).unwrap();
        assert_eq!(again, inv);
    }

    #[test]
    fn bom_and_empty_input() {
        let inv =
            Inventory::parse("\u{feff}{\"schema\":\"w7plan/inventory/v1\"}", &origin()).unwrap();
        assert_eq!(inv.schema.as_deref(), Some(SCHEMA));
        assert_eq!(
            Inventory::parse("", &origin()).unwrap_err().code(),
            "inventory-syntax"
        );
    }
}
