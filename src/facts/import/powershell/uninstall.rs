//! Reads the installed programs PowerShell lists from the Uninstall keys and saves as JSON:
//! `Get-ItemProperty HKLM:\Software\Microsoft\Windows\CurrentVersion\Uninstall\* |
//! Select-Object DisplayName, DisplayVersion, Publisher, InstallDate | ConvertTo-Json` (the
//! selection may be any; `Get-ItemProperty` alone adds `PSPath`, `PSChildName`,
//! `UninstallString` and the rest).
//!
//! Each entry becomes a registry key with its values and is filtered by
//! [`crate::facts::import::reg`]'s rule for what Add/Remove Programs shows, so a program counts
//! the same whether the registry was exported or listed by PowerShell. It is one machine's
//! software and nothing else: every other section stays unknown, and an evidence folder merges it
//! with the machine's other files.

use super::parse_json;
use crate::error::{Error, Origin, Result};
use crate::facts::import::reg::{self, RegEntry, RegKey, RegValue};
use crate::facts::inventory::{Arch, Inventory};
use serde_json::{Map, Value};

/// The tool, as provenance names it.
pub const COLLECTOR: &str = "Get-ItemProperty (Uninstall keys)";

/// Whether `text` is a JSON listing of Uninstall keys: `DisplayName` with another of their
/// values.
pub fn sniff(text: &str) -> bool {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    (trimmed.starts_with('[') || trimmed.starts_with('{'))
        && super::has_key(text, "DisplayName")
        && [
            "DisplayVersion",
            "Publisher",
            "UninstallString",
            "InstallDate",
        ]
        .iter()
        .any(|k| super::has_key(text, k))
}

/// Reads the listing; JSON that cannot be read is an error naming the line.
pub fn import(text: &str, origin: &Origin) -> Result<Inventory> {
    let value = parse_json(text, "Uninstall keys", origin)?;
    let entries: Vec<&Map<String, Value>> = match &value {
        Value::Array(items) => items.iter().filter_map(Value::as_object).collect(),
        Value::Object(object) => vec![object],
        _ => Vec::new(),
    };
    if !entries.iter().any(|e| e.contains_key("DisplayName")) {
        return Err(Error::ImportNotUsed {
            origin: origin.clone(),
            message: "JSON with no Uninstall key entry (`DisplayName`) in it".to_string(),
        });
    }
    let mut notes = Vec::new();
    // JSON leaves out the values a key does not have, so whether the listing selected the
    // uninstall values is told by any entry having one.
    let uninstall_known = entries
        .iter()
        .any(|e| e.contains_key("UninstallString") || e.contains_key("WindowsInstaller"));
    let mut programs: Vec<_> = entries
        .iter()
        .enumerate()
        .filter_map(|(n, entry)| {
            let (key, subkey) = key_of(entry, n);
            reg::program_of(&key, &subkey, arch_of(&key.path), uninstall_known)
        })
        .collect();
    reg::sort_programs(&mut programs);
    if !entries.iter().any(|e| e.contains_key("PSPath")) {
        notes.push(
            "software: the listing does not say which registry view each program came from \
             (no PSPath); its width is unknown"
                .to_string(),
        );
    }
    Ok(Inventory {
        software: Some(programs),
        notes,
        ..Inventory::default()
    })
}

/// The entry as the registry key it was read from: its path from `PSPath` where listed, its name
/// from `PSChildName` (else its place in the list).
fn key_of(entry: &Map<String, Value>, n: usize) -> (RegKey, String) {
    let subkey = entry
        .get("PSChildName")
        .and_then(Value::as_str)
        .map_or_else(|| format!("entry {}", n + 1), str::to_string);
    let path = entry
        .get("PSPath")
        .and_then(Value::as_str)
        // `Microsoft.PowerShell.Core\Registry::HKEY_LOCAL_MACHINE\SOFTWARE\…`
        .map(|p| p.rsplit_once("::").map_or(p, |(_, path)| path).to_string())
        .unwrap_or_else(|| {
            format!(
                "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\{subkey}"
            )
        });
    let values = entry
        .iter()
        .filter(|(name, _)| !name.starts_with("PS"))
        .filter_map(|(name, value)| {
            let value = match value {
                Value::String(s) => RegValue::Sz(s.clone()),
                Value::Number(n) => match n.as_u64() {
                    Some(v) => match u32::try_from(v) {
                        Ok(v) => RegValue::Dword(v),
                        Err(_) => RegValue::Qword(v),
                    },
                    None => return None,
                },
                _ => return None,
            };
            Some(RegEntry {
                name: name.clone(),
                value,
            })
        })
        .collect();
    (RegKey { path, values }, subkey)
}

/// A 32-bit program on 64-bit Windows is listed under `WOW6432Node`; otherwise the width is not
/// told by the listing.
fn arch_of(path: &str) -> Option<Arch> {
    path.to_ascii_uppercase()
        .contains("\\WOW6432NODE\\")
        .then_some(Arch::X86)
}
