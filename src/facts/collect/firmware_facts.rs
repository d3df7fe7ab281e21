//! Puts what the firmware tables say (a parsed SMBIOS table, the ACPI table list) into an
//! [`Inventory`], the same way whichever probe read them (Linux from sysfs, Windows through
//! `GetSystemFirmwareTable`), and records each fact's source in `sources`.
//!
//! The facts only the tables have (UEFI support, the SMBIOS version, memory modules, the TPM's
//! ACPI table) are always set; the host's and BIOS's identity only fill what the platform's usual
//! source left empty.

use super::acpi::AcpiTables;
use super::smbios;
use crate::facts::inventory::{Chassis, Firmware, Host, Inventory, Memory, MemoryModule, Tpm};

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
    // A hypervisor's virtual hardware is a VM whatever chassis type it claims.
    let virtual_machine = table.bios.as_ref().and_then(|b| b.virtual_machine) == Some(true)
        || table.system.as_ref().is_some_and(|s| {
            super::linux::is_virtual_machine(
                s.manufacturer.as_deref().unwrap_or(""),
                s.product.as_deref().unwrap_or(""),
            )
        });
    let chassis = if virtual_machine {
        Some(Chassis::Vm)
    } else {
        table
            .chassis_type
            .and_then(|code| super::linux::chassis_from_smbios(u32::from(code)))
    };
    if chassis.is_some() {
        let host = inv.host.get_or_insert_with(Host::default);
        host.chassis = host.chassis.or(chassis);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::inventory::BootMode;

    /// What Windows' GetSystemFirmwareTable('RSMB') returns for the Kaby Lake laptop fixture: its
    /// committed DMI table (see `linux::tests::kaby_lake_fixture_tables_match_their_recipe`)
    /// behind an 8-byte RawSMBIOSData header for SMBIOS 3.1.
    fn kaby_lake_rsmb() -> Vec<u8> {
        let table = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/sysfs/uefi-tpm2-kabylake-r-laptop/sys/firmware/dmi/tables/DMI"
        ))
        .unwrap();
        let mut rsmb = vec![0, 3, 1, 0];
        rsmb.extend_from_slice(&(table.len() as u32).to_le_bytes());
        rsmb.extend(table);
        rsmb
    }

    #[test]
    fn a_legacy_booted_windows_7_sees_uefi_firmware_and_a_tpm_2() {
        // What the registry probe of a Windows 7 on this laptop would have found: a BIOS boot,
        // no TPM (no driver for a 2.0), no host identity.
        let mut inv = Inventory {
            firmware: Some(Firmware {
                boot_mode: Some(BootMode::Bios),
                ..Firmware::default()
            }),
            ..Inventory::default()
        };
        let table = smbios::parse_rsmb(&kaby_lake_rsmb()).unwrap();
        apply_smbios(&mut inv, &table, "RSMB");
        let acpi: Vec<u8> = ["FACP", "APIC", "TPM2"].concat().into_bytes();
        let (tables, problems) = AcpiTables::from_enum_buffer(&acpi);
        assert!(problems.is_empty());
        apply_acpi(&mut inv, &tables, "EnumSystemFirmwareTables");

        let fw = inv.firmware.as_ref().unwrap();
        assert_eq!(fw.boot_mode, Some(BootMode::Bios));
        assert_eq!(fw.uefi_capable, Some(true));
        assert_eq!(fw.smbios_version.as_deref(), Some("3.1"));
        assert_eq!(fw.vendor.as_deref(), Some("Dell Inc."));
        assert_eq!(fw.date.as_deref(), Some("2021-08-19"));
        let host = inv.host.as_ref().unwrap();
        assert_eq!(host.model.as_deref(), Some("Latitude 7490"));
        assert_eq!(host.chassis, Some(Chassis::Laptop));
        let tpm = inv.tpm.as_ref().unwrap();
        assert_eq!(
            (
                tpm.acpi_table.as_deref(),
                tpm.present,
                tpm.version.as_deref()
            ),
            (Some("TPM2"), None, None),
            "the table is recorded as what it is; judging it is the rules' job"
        );
        let memory = inv.memory.as_ref().unwrap();
        assert_eq!(memory.installed_bytes, Some(8 << 30));
        let sources = inv.sources.as_ref().unwrap();
        assert_eq!(sources["tpm.acpi_table"], "EnumSystemFirmwareTables");
        assert!(sources["firmware.uefi_capable"].starts_with("RSMB"));
        assert!(inv.notes.is_empty(), "{:?}", inv.notes);
    }

    #[test]
    fn identity_fills_only_what_is_missing_and_vms_are_vms() {
        let mut inv = Inventory {
            host: Some(Host {
                manufacturer: Some("From the registry".into()),
                ..Host::default()
            }),
            ..Inventory::default()
        };
        let table = smbios::parse_rsmb(&kaby_lake_rsmb()).unwrap();
        apply_smbios(&mut inv, &table, "RSMB");
        let host = inv.host.as_ref().unwrap();
        assert_eq!(host.manufacturer.as_deref(), Some("From the registry"));
        assert_eq!(host.serial.as_deref(), Some("5XK2L1S"));

        // A QEMU guest: SMBIOS 2.8 type 0 with the "virtual machine" bit and a type 1 naming
        // QEMU, chassis type 1 (Other).
        use smbios::tests::{bios_with, structure, system_with};
        let mut chassis = vec![0u8; 0x0d - 4];
        chassis[0x05 - 4] = 1;
        let t = [
            bios_with(["SeaBIOS", "1.16.2", "04/01/2014"], 1 << 4),
            system_with(["QEMU", "Standard PC (Q35 + ICH9, 2009)", "pc-q35-8.2", ""]),
            structure(3, 3, &chassis, &[]),
        ]
        .concat();
        let mut vm = Inventory::default();
        apply_smbios(&mut vm, &smbios::parse_table(&t, Some((2, 8))), "RSMB");
        assert_eq!(vm.host.as_ref().unwrap().chassis, Some(Chassis::Vm));
        assert_eq!(vm.firmware.as_ref().unwrap().uefi_capable, Some(false));
    }
}
