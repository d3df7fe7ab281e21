//! Reads the JSON line Microsoft's HardwareReadiness.ps1 prints (`returnCode`, `returnResult`,
//! `returnReason`, `logging`), possibly saved with a UTF-8 BOM, and maps what its `logging` tells
//! onto the inventory.
//!
//! The script logs sizes in whole GiB (`OSDiskSize=79GB`, `System_Memory=4GB`, rounded by
//! PowerShell's `-as [int]`). They are recorded as exactly that many GiB, with a note saying they
//! are rounded: that keeps the script's own storage and memory verdicts (the rules round the same
//! way) while no reader mistakes them for measured bytes. `SecureBoot: Capable` means
//! `Confirm-SecureBootUEFI` answered, which it does only on a UEFI boot, so it also records the
//! boot mode; `Not capable` is recorded as not capable, as the script judges it.

use crate::error::{Error, Origin, Result};
use crate::facts::inventory::{
    BootMode, Cpu, Firmware, Host, Inventory, Memory, Storage, Tpm, Volume,
};

const GIB: u64 = 1 << 30;

/// One `Check: detail. STATUS` entry of `logging`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogItem {
    pub check: String,
    pub detail: String,
    /// PASS, FAIL or UNDETERMINED, where the entry has one.
    pub status: Option<String>,
}

/// The script's result.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Readiness {
    pub return_code: Option<i64>,
    pub return_result: Option<String>,
    pub return_reason: Option<String>,
    pub items: Vec<LogItem>,
}

/// Whether the text is the script's JSON.
pub fn sniff(text: &str) -> bool {
    parse(text).is_ok()
}

/// Reads the JSON; `Err` holds why it is not the script's output.
pub fn parse(text: &str) -> std::result::Result<Readiness, String> {
    let text = text.trim_start_matches('\u{feff}').trim();
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let object = value
        .as_object()
        .ok_or_else(|| "the JSON is not an object".to_string())?;
    if !["returnCode", "returnResult", "logging"]
        .iter()
        .any(|k| object.contains_key(*k))
    {
        return Err("the JSON has none of returnCode, returnResult, logging".to_string());
    }
    let string = |key: &str| match object.get(key) {
        Some(serde_json::Value::String(s)) => Some(s.clone()),
        Some(serde_json::Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    Ok(Readiness {
        return_code: string("returnCode").and_then(|s| s.trim().parse().ok()),
        return_result: string("returnResult"),
        return_reason: string("returnReason"),
        items: string("logging").map(|l| log_items(&l)).unwrap_or_default(),
    })
}

/// Splits `logging` at `; ` outside the processor's `{…}` blob.
fn log_items(logging: &str) -> Vec<LogItem> {
    let mut items = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    let bytes = logging.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'{' => depth += 1,
            b'}' => depth -= 1,
            b';' if depth <= 0 => {
                items.push(&logging[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    items.push(&logging[start..]);
    items
        .into_iter()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|entry| {
            let (check, rest) = entry.split_once(": ").unwrap_or(("", entry));
            let (detail, status) = match rest.rsplit_once(". ") {
                Some((d, s)) if ["PASS", "FAIL", "UNDETERMINED"].contains(&s.trim()) => {
                    (d, Some(s.trim().to_string()))
                }
                _ => (rest, None),
            };
            LogItem {
                check: check.trim().to_string(),
                detail: detail.trim().to_string(),
                status,
            }
        })
        .collect()
}

/// The number before `GB` in `OSDiskSize=79GB`.
fn whole_gib(detail: &str, key: &str) -> Option<u64> {
    let value = detail.strip_prefix(key)?.strip_prefix('=')?;
    value.trim().strip_suffix("GB")?.trim().parse().ok()
}

/// Maps the script's findings onto an inventory fragment.
pub fn import(text: &str, origin: &Origin) -> Result<Inventory> {
    let readiness = parse(text).map_err(|message| Error::ImportFailed {
        origin: origin.clone(),
        message: format!("not HardwareReadiness.ps1 output: {message}"),
    })?;
    let mut inv = Inventory::default();
    let mut notes = Vec::new();
    let mut rounded = Vec::new();
    for item in &readiness.items {
        match item.check.as_str() {
            "Storage" => {
                if let Some(gib) = whole_gib(&item.detail, "OSDiskSize") {
                    inv.storage = Some(Storage {
                        system_volume: Some(Volume {
                            size_bytes: gib.checked_mul(GIB),
                            ..Volume::default()
                        }),
                        ..Storage::default()
                    });
                    rounded.push(format!("the system volume ({gib} GB)"));
                }
            }
            "Memory" => {
                if let Some(gib) = whole_gib(&item.detail, "System_Memory") {
                    inv.memory = Some(Memory {
                        installed_bytes: gib.checked_mul(GIB),
                        ..Memory::default()
                    });
                    rounded.push(format!("installed memory ({gib} GB)"));
                }
            }
            "TPM" => {
                if let Some(version) = item.detail.strip_prefix("TPMVersion=") {
                    let version = version.trim();
                    inv.tpm = Some(if version.eq_ignore_ascii_case("false") {
                        Tpm {
                            present: Some(false),
                            ..Tpm::default()
                        }
                    } else {
                        let major = version.split(',').next().unwrap_or("").trim();
                        Tpm {
                            present: Some(true),
                            version: (!major.is_empty() && major.as_bytes()[0].is_ascii_digit())
                                .then(|| major.to_string()),
                            ..Tpm::default()
                        }
                    });
                }
            }
            "Processor" => inv.cpu = processor(&item.detail),
            "SecureBoot" => {
                let detail = item.detail.to_ascii_lowercase();
                if detail == "capable" {
                    inv.firmware = Some(Firmware {
                        boot_mode: Some(BootMode::Uefi),
                        secure_boot_capable: Some(true),
                        ..Firmware::default()
                    });
                } else if detail == "not capable" {
                    inv.firmware = Some(Firmware {
                        secure_boot_capable: Some(false),
                        ..Firmware::default()
                    });
                    notes.push(
                        "firmware.secure_boot_capable: HardwareReadiness.ps1 found Secure Boot not \
                         supported on this boot (a legacy BIOS/CSM boot or firmware without \
                         Secure Boot); recorded as not capable, as the script judges it"
                            .to_string(),
                    );
                }
            }
            check if check.starts_with("i7-7820hq") => {
                inv.host = Some(Host {
                    model: Some(item.detail.clone()).filter(|m| !m.is_empty()),
                    ..Host::default()
                });
            }
            _ if item.status.as_deref() == Some("UNDETERMINED") || item.check.is_empty() => {
                notes.push(format!(
                    "HardwareReadiness.ps1 could not tell: {}{}",
                    if item.check.is_empty() {
                        ""
                    } else {
                        &item.check
                    },
                    if item.detail.is_empty() {
                        String::new()
                    } else {
                        format!(" {}", item.detail)
                    }
                ));
            }
            _ => {}
        }
    }
    if !rounded.is_empty() {
        notes.push(format!(
            "HardwareReadiness.ps1 logs sizes in whole GiB: {} recorded as exactly that, which \
             keeps the script's verdicts but is not the measured size",
            rounded.join(" and ")
        ));
    }
    if let Some(result) = &readiness.return_result {
        let reason = readiness
            .return_reason
            .as_deref()
            .map(|r| r.trim().trim_end_matches(',').trim())
            .filter(|r| !r.is_empty());
        notes.push(format!(
            "HardwareReadiness.ps1 result: {result}{}",
            reason.map(|r| format!(" ({r})")).unwrap_or_default()
        ));
    }
    inv.notes = notes;
    Ok(inv)
}

/// The processor blob: `{AddressWidth=64; MaxClockSpeed=2000; NumberOfLogicalCores=2;
/// Manufacturer=AuthenticAMD; Caption=AMD64 Family 23 Model 1 Stepping 2; }`.
fn processor(detail: &str) -> Option<Cpu> {
    let open = detail.find('{')?;
    let close = detail.rfind('}')?;
    let body = detail.get(open + 1..close)?;
    let mut cpu = Cpu::default();
    for pair in body.split(';') {
        let Some((key, value)) = pair.split_once('=') else {
            continue;
        };
        let value = value.trim();
        match key.trim() {
            "AddressWidth" => cpu.address_width = value.parse().ok(),
            "MaxClockSpeed" => cpu.max_mhz = value.parse().ok(),
            "NumberOfLogicalCores" => cpu.logical_processors = value.parse().ok(),
            "Manufacturer" => cpu.vendor = Some(value.to_string()).filter(|v| !v.is_empty()),
            "Caption" => {
                let (family, model, stepping) = super::values::parse_cpu_identifier(value);
                cpu.family = family;
                cpu.model = model;
                cpu.stepping = stepping;
            }
            _ => {}
        }
    }
    (cpu != Cpu::default()).then_some(cpu)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "\u{feff}{\"returnCode\":1,\"returnReason\":\"Processor, \",\"logging\":\"Storage: OSDiskSize=79GB. PASS; Memory: System_Memory=4GB. PASS; TPM: TPMVersion=2.0, 0, 1.16. PASS; Processor: {AddressWidth=64; MaxClockSpeed=2000; NumberOfLogicalCores=2; Manufacturer=AuthenticAMD; Caption=AMD64 Family 23 Model 1 Stepping 2; }. FAIL; SecureBoot: Capable. PASS; \",\"returnResult\":\"NOT CAPABLE\"}";

    #[test]
    fn the_documented_example() {
        assert!(sniff(SAMPLE));
        let inv = import(SAMPLE, &Origin("t.json".into())).unwrap();
        assert_eq!(
            inv.storage.unwrap().system_volume.unwrap().size_bytes,
            Some(79 * GIB)
        );
        assert_eq!(inv.memory.unwrap().installed_bytes, Some(4 * GIB));
        let tpm = inv.tpm.unwrap();
        assert_eq!(
            (tpm.present, tpm.version.as_deref()),
            (Some(true), Some("2.0"))
        );
        let cpu = inv.cpu.unwrap();
        assert_eq!(
            (cpu.family, cpu.model, cpu.stepping),
            (Some(23), Some(1), Some(2))
        );
        assert_eq!(cpu.vendor.as_deref(), Some("AuthenticAMD"));
        assert_eq!(cpu.logical_processors, Some(2));
        let fw = inv.firmware.unwrap();
        assert_eq!(
            (fw.boot_mode, fw.secure_boot_capable),
            (Some(BootMode::Uefi), Some(true))
        );
        assert!(inv
            .notes
            .iter()
            .any(|n| n.contains("NOT CAPABLE (Processor)")));
        assert!(!sniff("{\"schema\": \"w7plan/inventory/v1\"}"));
    }
}
