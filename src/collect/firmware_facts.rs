//! Puts what the firmware tables say (a parsed SMBIOS table, the ACPI table list) into an
//! [`Inventory`], the same way whichever probe read them (Linux from sysfs, Windows through
//! `GetSystemFirmwareTable`), and records each fact's source in `sources`.
//!
//! The facts only the tables have (UEFI support, the SMBIOS version, memory modules, the TPM's
//! ACPI table) are always set; the host's and BIOS's identity only fill what the platform's usual
//! source left empty.

use super::acpi::AcpiTables;
use super::smbios;
use crate::inventory::{Firmware, Host, Inventory, Memory, MemoryModule, Tpm};

fn note(inv: &mut Inventory, text: String) {
    inv.notes.push(text);
}

/// Records where a field's value came from.
pub fn source(inv: &mut Inventory, field: &str, from: &str) {
    inv.sources
        .get_or_insert_with(Default::default)
        .insert(field.to_string(), from.to_string());
}

/// Puts what an SMBIOS table says into the inventory: the facts only the table has always, the
/// host and BIOS identity only where no other source gave them.
pub fn apply_smbios(inv: &mut Inventory, table: &smbios::Smbios, from: &str) {
    for problem in &table.problems {
        note(inv, format!("firmware.uefi_capable: {from}: {problem}"));
    }
    let firmware = inv.firmware.get_or_insert_with(Firmware::default);
    firmware.smbios_version = table
        .version
        .map(|(major, minor)| format!("{major}.{minor}"));
    if let Some(bios) = &table.bios {
        firmware.uefi_capable = bios.uefi_supported;
        firmware.vendor = firmware.vendor.take().or_else(|| bios.vendor.clone());
        firmware.version = firmware.version.take().or_else(|| bios.version.clone());
        if firmware.date.is_none() {
            firmware.date = bios
                .release_date
                .as_deref()
                .and_then(super::linux::iso_date);
        }
    }
    let uefi_known = firmware.uefi_capable.is_some();
    if uefi_known {
        source(
            inv,
            "firmware.uefi_capable",
            &format!("{from}, BIOS characteristics"),
        );
    } else {
        note(
            inv,
            "firmware.uefi_capable: the SMBIOS table does not say whether the firmware supports \
             UEFI (no BIOS structure, or SMBIOS before 2.7 with the bit clear)"
                .to_string(),
        );
    }
    if let Some(system) = &table.system {
        let host = inv.host.get_or_insert_with(Host::default);
        host.manufacturer = host
            .manufacturer
            .take()
            .or_else(|| system.manufacturer.clone());
        host.model = host.model.take().or_else(|| system.product.clone());
        host.serial = host.serial.take().or_else(|| system.serial.clone());
    }
    if let Some(code) = table.chassis_type {
        let host = inv.host.get_or_insert_with(Host::default);
        host.chassis = host
            .chassis
            .or_else(|| super::linux::chassis_from_smbios(u32::from(code)));
    }
    if !table.memory_devices.is_empty() {
        let memory = inv.memory.get_or_insert_with(Memory::default);
        memory.slots = u32::try_from(table.memory_devices.len()).ok();
        let modules: Vec<MemoryModule> = table
            .memory_devices
            .iter()
            .filter(|d| d.size != Ok(0))
            .map(|d| MemoryModule {
                size_bytes: d.size.ok(),
                kind: d.type_name().map(str::to_string),
                slot: d.locator.clone(),
            })
            .collect();
        memory.modules = Some(modules);
        if memory.installed_bytes.is_none() {
            if let Ok(total) = table.installed_bytes().map_err(|why| {
                inv.notes
                    .push(format!("memory.installed_bytes: {from}: {why}"));
            }) {
                let memory = inv.memory.get_or_insert_with(Memory::default);
                memory.installed_bytes = Some(total).filter(|t| *t > 0);
            }
        }
        source(inv, "memory.modules", &format!("{from}, memory devices"));
    }
}

/// Records the TPM table the firmware publishes, if any.
pub fn apply_acpi(inv: &mut Inventory, tables: &AcpiTables, from: &str) {
    if let Some(table) = tables.tpm() {
        inv.tpm.get_or_insert_with(Tpm::default).acpi_table = Some(table.signature().to_string());
        source(inv, "tpm.acpi_table", from);
    }
}
