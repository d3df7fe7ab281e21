//! Reads Microsoft Configuration Manager (ConfigMgr, SCCM, MECM) hardware inventory exported as
//! one wide CSV: one row per machine, the documented inventory views joined by `ResourceID`, as
//! `collectors/configmgr/w7plan-inventory.sql` produces it (see the README, "From Configuration
//! Manager").
//!
//! A column is named `<view>.<column>` (`v_GS_PROCESSOR.Name0`, the shipped query's aliases) or,
//! where the column name occurs in one view only, by its bare name (`Netbios_Name0`,
//! `NumberOfCores0`): what an admin's own query that keeps the views' column names gives. The
//! views mirror the WMI classes the client inventories (`v_GS_PROCESSOR` is `Win32_Processor`,
//! `v_GS_OPERATING_SYSTEM` is `Win32_OperatingSystem`, …), so a column means what Microsoft's
//! class documentation says of its property; the fixture's README cites the pages.
//!
//! The file is read a row at a time ([`Rows`], the shared [`csv_table`] reader): an export of
//! 50,000 machines is never held whole. A row that cannot be read (too few cells, a number that is not one) is an error naming
//! the file and the row; the other rows still give their machines. A column the export lacks is
//! a fact ConfigMgr did not give: it stays unknown with a note naming the column.

pub mod views;

use super::csv_table::{self, date_of, megabytes, processor_id_signature, Header, Row, Table};
use super::failed;
use super::values;
use crate::error::{Origin, Result};
use crate::facts::inventory::{
    BootMode, Cpu, Disk, Firmware, GraphicsAdapter, Host, Inventory, License, Memory, Os, OsFamily,
    Source, Storage, Tpm, Volume,
};

/// What `source.collector` says.
pub const COLLECTOR: &str = "Microsoft Configuration Manager";

/// The columns w7plan reads, by view and column as ConfigMgr names them.
pub const COLUMNS: &[(&str, &str)] = &[
    ("v_R_System", "ResourceID"),
    ("v_R_System", "Netbios_Name0"),
    ("v_GS_WORKSTATION_STATUS", "LastHWScan"),
    ("v_GS_COMPUTER_SYSTEM", "Manufacturer0"),
    ("v_GS_COMPUTER_SYSTEM", "Model0"),
    ("v_GS_COMPUTER_SYSTEM", "SystemType0"),
    ("v_GS_PC_BIOS", "SerialNumber0"),
    ("v_GS_PC_BIOS", "Manufacturer0"),
    ("v_GS_PC_BIOS", "SMBIOSBIOSVersion0"),
    ("v_GS_PC_BIOS", "ReleaseDate0"),
    ("v_GS_PROCESSOR", "Name0"),
    ("v_GS_PROCESSOR", "Manufacturer0"),
    ("v_GS_PROCESSOR", "Caption0"),
    ("v_GS_PROCESSOR", "ProcessorId0"),
    ("v_GS_PROCESSOR", "NumberOfCores0"),
    ("v_GS_PROCESSOR", "NumberOfLogicalProcessors0"),
    ("v_GS_PROCESSOR", "MaxClockSpeed0"),
    ("v_GS_OPERATING_SYSTEM", "Caption0"),
    ("v_GS_OPERATING_SYSTEM", "Version0"),
    ("v_GS_OPERATING_SYSTEM", "BuildNumber0"),
    ("v_GS_OPERATING_SYSTEM", "CSDVersion0"),
    ("v_GS_OPERATING_SYSTEM", "OSArchitecture0"),
    ("v_GS_OPERATING_SYSTEM", "OSLanguage0"),
    ("v_GS_OPERATING_SYSTEM", "InstallDate0"),
    ("v_GS_OPERATING_SYSTEM", "TotalVisibleMemorySize0"),
    ("v_GS_OPERATING_SYSTEM", "SerialNumber0"),
    ("v_GS_X86_PC_MEMORY", "TotalPhysicalMemory0"),
    ("v_GS_PHYSICAL_MEMORY", "Capacity0"),
    ("v_GS_LOGICAL_DISK", "DeviceID0"),
    ("v_GS_LOGICAL_DISK", "Size0"),
    ("v_GS_LOGICAL_DISK", "FreeSpace0"),
    ("v_GS_TPM", "SpecVersion0"),
    ("v_GS_TPM", "IsEnabled_InitialValue0"),
    ("v_GS_TPM", "IsActivated_InitialValue0"),
    ("v_GS_FIRMWARE", "UEFI0"),
    ("v_GS_FIRMWARE", "SecureBoot0"),
    ("v_GS_VIDEO_CONTROLLER", "Name0"),
    ("v_GS_VIDEO_CONTROLLER", "DriverVersion0"),
    ("v_GS_VIDEO_CONTROLLER", "CurrentHorizontalResolution0"),
    ("v_GS_VIDEO_CONTROLLER", "CurrentVerticalResolution0"),
    ("v_GS_ADD_REMOVE_PROGRAMS", "DisplayName0"),
    ("v_GS_ADD_REMOVE_PROGRAMS_64", "DisplayName0"),
    // Added with the per-view export; never resolved from a bare name, so a wide query's bare
    // `Size0` keeps meaning v_GS_LOGICAL_DISK's as before.
    ("v_GS_DISK", "Model0"),
    ("v_GS_DISK", "Size0"),
];

/// The canonical `view.column` a header cell names.
fn column_of(cell: &str) -> Option<usize> {
    let cell = csv_table::clean_cell(cell);
    if let Some((view, column)) = cell.rsplit_once('.') {
        return COLUMNS
            .iter()
            .position(|(v, c)| v.eq_ignore_ascii_case(view) && c.eq_ignore_ascii_case(column));
    }
    let mut found = COLUMNS
        .iter()
        .enumerate()
        .filter(|(_, (v, c))| *v != "v_GS_DISK" && c.eq_ignore_ascii_case(&cell));
    match (found.next(), found.next()) {
        (Some((i, _)), None) => Some(i),
        _ => None,
    }
}

/// The ConfigMgr export format, for the shared reader.
pub struct ConfigMgr;

impl Table for ConfigMgr {
    const NAME: &'static str = "ConfigMgr";
    const COLUMNS: csv_table::Columns = COLUMNS;

    fn column_of(cell: &str) -> Option<usize> {
        column_of(cell)
    }

    fn check(header: &Header) -> std::result::Result<(), String> {
        if header.has(0) {
            Ok(())
        } else {
            Err("expected a ConfigMgr header with a `ResourceID` column \
                 (v_R_System.ResourceID), which joins the views"
                .to_string())
        }
    }

    fn row_to_inventory(row: &Row<'_>) -> Result<Inventory> {
        row_to_inventory(row)
    }
}

/// Whether `text` begins with a ConfigMgr export's header: at least three columns w7plan reads
/// (one without `ResourceID` is then refused with that reason, not left unrecognized).
pub fn sniff(text: &str) -> bool {
    // One view's own file (`SELECT * FROM v_GS_PROCESSOR`) names columns of that view alone: it
    // is part of a per-view export ([`views`]), not a wide one.
    csv_table::sniff::<ConfigMgr>(text, 3)
        && views::View::of_header(&csv_table::header_cells(text)).is_none()
}

/// The machines of an export, one row at a time ([`csv_table::Rows`]).
pub type Rows<R> = csv_table::Rows<R, ConfigMgr>;

/// One row of the export as an inventory.
fn row_to_inventory(r: &Row<'_>) -> Result<Inventory> {
    let origin = r.origin;
    let mut inv = Inventory::default();
    let mut notes = Vec::new();
    let resource = r.text("v_R_System", "ResourceID").ok_or_else(|| {
        failed(
            origin,
            "v_R_System.ResourceID is empty: the row is no machine".to_string(),
        )
    })?;
    inv.source = Some(Source {
        collector: Some(COLLECTOR.to_string()),
        version: None,
        elevated: None,
    });
    inv.collected_at = r
        .text("v_GS_WORKSTATION_STATUS", "LastHWScan")
        .as_deref()
        .and_then(csv_table::date_time_of);

    // Host.
    let manufacturer = r
        .text("v_GS_COMPUTER_SYSTEM", "Manufacturer0")
        .filter(|v| !values::is_placeholder(v));
    let model = r
        .text("v_GS_COMPUTER_SYSTEM", "Model0")
        .filter(|v| !values::is_placeholder(v));
    let vm = values::is_virtual_machine(
        manufacturer.as_deref().unwrap_or(""),
        model.as_deref().unwrap_or(""),
    );
    inv.host = Some(Host {
        name: r
            .text("v_R_System", "Netbios_Name0")
            .or_else(|| Some(format!("ResourceID {resource}"))),
        manufacturer,
        model,
        serial: r
            .text("v_GS_PC_BIOS", "SerialNumber0")
            .filter(|v| !values::is_placeholder(v)),
        chassis: vm.then_some(crate::facts::inventory::Chassis::Vm),
    });

    // Operating system.
    let caption = r.text("v_GS_OPERATING_SYSTEM", "Caption0");
    let mut os = Os {
        family: caption
            .as_deref()
            .filter(|c| c.to_lowercase().contains("windows"))
            .map(|_| OsFamily::Windows),
        edition: caption.as_deref().and_then(values::edition_from_name),
        name: caption,
        ..Os::default()
    };
    if let Some(version) = r.text("v_GS_OPERATING_SYSTEM", "Version0") {
        let parts: Vec<&str> = version.split('.').collect();
        if parts.len() >= 2 {
            os.version = Some(format!("{}.{}", parts[0], parts[1]));
            os.build = parts.get(2).and_then(|b| b.parse().ok());
        }
    }
    if let Some(build) = r.number_u32("v_GS_OPERATING_SYSTEM", "BuildNumber0")? {
        os.build = Some(build);
    }
    if r.has("v_GS_OPERATING_SYSTEM", "CSDVersion0") && os.name.is_some() {
        // Windows leaves CSDVersion empty when no service pack is installed.
        os.service_pack = Some(
            r.text("v_GS_OPERATING_SYSTEM", "CSDVersion0")
                .as_deref()
                .and_then(values::parse_service_pack)
                .unwrap_or(0),
        );
    }
    os.arch = r
        .text("v_GS_OPERATING_SYSTEM", "OSArchitecture0")
        .as_deref()
        .and_then(values::arch_from_os_architecture);
    os.language = r
        .number_u32("v_GS_OPERATING_SYSTEM", "OSLanguage0")?
        .and_then(values::language_from_lcid)
        .map(str::to_string);
    os.installed_on = r
        .text("v_GS_OPERATING_SYSTEM", "InstallDate0")
        .as_deref()
        .and_then(date_of);
    let windows7 = os.version.as_deref() == Some("6.1");
    inv.os = Some(os);

    // Processor.
    let brand = r.text("v_GS_PROCESSOR", "Name0");
    if brand.is_some() || r.text("v_GS_PROCESSOR", "Caption0").is_some() {
        let mut cpu = Cpu {
            vendor: r.text("v_GS_PROCESSOR", "Manufacturer0"),
            brand,
            cores: r
                .number_u32("v_GS_PROCESSOR", "NumberOfCores0")?
                .filter(|n| *n > 0),
            logical_processors: r
                .number_u32("v_GS_PROCESSOR", "NumberOfLogicalProcessors0")?
                .filter(|n| *n > 0),
            max_mhz: r
                .number_u32("v_GS_PROCESSOR", "MaxClockSpeed0")?
                .filter(|n| *n > 0),
            ..Cpu::default()
        };
        cpu.arch = r
            .text("v_GS_COMPUTER_SYSTEM", "SystemType0")
            .as_deref()
            .and_then(values::arch_from_system_type);
        if let Some(caption) = r.text("v_GS_PROCESSOR", "Caption0") {
            let (family, model, stepping) = values::parse_cpu_identifier(&caption);
            (cpu.family, cpu.model, cpu.stepping) = (family, model, stepping);
        }
        if let Some((family, model, stepping)) = r
            .text("v_GS_PROCESSOR", "ProcessorId0")
            .as_deref()
            .and_then(processor_id_signature)
        {
            (cpu.family, cpu.model, cpu.stepping) = (Some(family), Some(model), Some(stepping));
        }
        if cpu.family.is_none() {
            notes.push(
                "cpu.family: the ConfigMgr export names the processor only (add \
                 v_GS_PROCESSOR.Caption0 or ProcessorId0 to the query, or run wmic cpu get \
                 Caption on the machine); its family, model and stepping decide Microsoft's \
                 list match"
                    .to_string(),
            );
        }
        inv.cpu = Some(cpu);
    }

    // Memory: the modules' sum (MB) is what is installed; Windows' visible memory is in KB.
    let installed = r
        .number("v_GS_PHYSICAL_MEMORY", "Capacity0")?
        .filter(|n| *n > 0)
        .and_then(megabytes)
        .or(r
            .number("v_GS_X86_PC_MEMORY", "TotalPhysicalMemory0")?
            .filter(|n| *n > 0)
            .and_then(|kb| kb.checked_mul(1024)));
    let visible = r
        .number("v_GS_OPERATING_SYSTEM", "TotalVisibleMemorySize0")?
        .filter(|n| *n > 0)
        .and_then(|kb| kb.checked_mul(1024));
    if installed.is_some() || visible.is_some() {
        inv.memory = Some(Memory {
            installed_bytes: installed,
            visible_bytes: visible,
            ..Memory::default()
        });
    }

    // The system volume (the query picks the drive C:); ConfigMgr stores its sizes in MB.
    let size = r.number("v_GS_LOGICAL_DISK", "Size0")?.and_then(megabytes);
    let free = r
        .number("v_GS_LOGICAL_DISK", "FreeSpace0")?
        .and_then(megabytes);
    // The system disk (a per-view export picks `Index0` 0 of v_GS_DISK, Win32_DiskDrive).
    let disk = Disk {
        size_bytes: r.number("v_GS_DISK", "Size0")?.and_then(megabytes),
        model: r.text("v_GS_DISK", "Model0"),
        ..Disk::default()
    };
    if size.is_some() || free.is_some() || disk != Disk::default() {
        inv.storage = Some(Storage {
            system_volume: (size.is_some() || free.is_some()).then(|| Volume {
                letter: r
                    .text("v_GS_LOGICAL_DISK", "DeviceID0")
                    .or(Some("C:".to_string())),
                size_bytes: size,
                free_bytes: free,
                ..Volume::default()
            }),
            system_disk: (disk != Disk::default()).then_some(disk),
        });
    }

    // Firmware: the boot mode the client saw; Secure Boot is not trusted on Windows 7, which
    // cannot use it (../shared/facts/inventory-engines.md, finding 1).
    let mut firmware = Firmware {
        vendor: r.text("v_GS_PC_BIOS", "Manufacturer0"),
        version: r.text("v_GS_PC_BIOS", "SMBIOSBIOSVersion0"),
        date: r
            .text("v_GS_PC_BIOS", "ReleaseDate0")
            .as_deref()
            .and_then(date_of),
        ..Firmware::default()
    };
    match r.flag("v_GS_FIRMWARE", "UEFI0")? {
        Some(uefi) => {
            firmware.boot_mode = Some(if uefi { BootMode::Uefi } else { BootMode::Bios });
        }
        None => notes.push(
            "firmware.boot_mode: the ConfigMgr export holds no v_GS_FIRMWARE.UEFI0 for this \
             machine; bcdedit run as administrator shows how Windows booted"
                .to_string(),
        ),
    }
    match r.flag("v_GS_FIRMWARE", "SecureBoot0")? {
        Some(_) if windows7 => notes.push(
            "firmware.secure_boot_enabled: Windows 7 cannot use Secure Boot, so ConfigMgr's \
             SecureBoot0 says nothing of what the hardware can do; the model and firmware \
             decide"
                .to_string(),
        ),
        Some(on) => firmware.secure_boot_enabled = Some(on),
        None => {}
    }
    if firmware != Firmware::default() {
        inv.firmware = Some(firmware);
    }

    // TPM: a machine with no v_GS_TPM row has no TPM the client saw, or the class is not
    // inventoried; either way it stays unknown.
    match r.text("v_GS_TPM", "SpecVersion0") {
        Some(spec) => {
            let version = spec.split(',').next().map(|v| v.trim().to_string());
            inv.tpm = Some(Tpm {
                present: Some(true),
                version: version.filter(|v| !v.is_empty()),
                enabled: r.flag("v_GS_TPM", "IsEnabled_InitialValue0")?,
                activated: r.flag("v_GS_TPM", "IsActivated_InitialValue0")?,
                ..Tpm::default()
            });
        }
        None => notes.push(
            "tpm.present: the ConfigMgr export holds no v_GS_TPM row for this machine (no TPM, \
             a TPM turned off in the firmware, or the TPM class not inventoried); tpm.msc on \
             the machine shows it"
                .to_string(),
        ),
    }

    // Licence: Win32_OperatingSystem.SerialNumber is the Product ID.
    if let Some(product_id) = r.text("v_GS_OPERATING_SYSTEM", "SerialNumber0") {
        inv.license = Some(License {
            product_id: Some(product_id),
            ..License::default()
        });
    }

    // Graphics: the query picks the adapter driving a display.
    if let Some(name) = r.text("v_GS_VIDEO_CONTROLLER", "Name0") {
        inv.graphics = Some(vec![GraphicsAdapter {
            name: Some(name),
            driver_version: r.text("v_GS_VIDEO_CONTROLLER", "DriverVersion0"),
            ..GraphicsAdapter::default()
        }]);
        notes.push(
            "graphics.directx: ConfigMgr's hardware inventory holds the adapter's name, not its \
             DirectX or WDDM level; dxdiag shows them"
                .to_string(),
        );
    }
    let width = r.number_u32("v_GS_VIDEO_CONTROLLER", "CurrentHorizontalResolution0")?;
    let height = r.number_u32("v_GS_VIDEO_CONTROLLER", "CurrentVerticalResolution0")?;
    if let (Some(w), Some(h)) = (width.filter(|n| *n > 0), height.filter(|n| *n > 0)) {
        inv.display = Some(crate::facts::inventory::Display {
            width: Some(w),
            height: Some(h),
        });
    }

    // Programs: one per line, `DisplayName0<TAB>Version0<TAB>Publisher0` (the shipped query's
    // aggregate of the 32-bit and 64-bit views).
    let mut programs = Vec::new();
    let mut listed = false;
    for (view, arch) in [
        (
            "v_GS_ADD_REMOVE_PROGRAMS",
            crate::facts::inventory::Arch::X86,
        ),
        (
            "v_GS_ADD_REMOVE_PROGRAMS_64",
            crate::facts::inventory::Arch::X64,
        ),
    ] {
        listed |= r.has(view, "DisplayName0");
        let Some(list) = r.text(view, "DisplayName0") else {
            continue;
        };
        // A 32-bit program on 32-bit Windows is listed in the first view too.
        programs.extend(csv_table::program_lines(&list, Some(arch)));
    }
    if listed {
        inv.software = Some(programs);
    }

    inv.notes = notes;
    Ok(inv)
}

/// Every machine of an export held in memory (`assess` and `import` of a one-machine file; the
/// fleet streams with [`Rows`]).
pub fn read_text(text: &str, origin: &Origin) -> Result<Vec<(u64, Result<Inventory>)>> {
    csv_table::read_text::<ConfigMgr>(text, origin)
}

/// The one machine of a one-row export; an export of several is refused with what to run.
pub fn single(text: &str, origin: &Origin) -> Result<Inventory> {
    csv_table::single::<ConfigMgr>(text, origin)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_by_view_or_bare_name() {
        assert_eq!(column_of("v_GS_PROCESSOR.Name0"), Some(10));
        assert_eq!(column_of("[v_gs_processor].[name0]"), Some(10));
        assert_eq!(column_of("ResourceID"), Some(0));
        assert_eq!(column_of("NumberOfCores0"), Some(14));
        // In several views: ambiguous bare.
        assert_eq!(column_of("Name0"), None);
        assert_eq!(column_of("Caption0"), None);
    }

    #[test]
    fn a_huge_row_is_refused_not_gathered() {
        // A header, then an unclosed quote running on past the row limit.
        let mut text = b"v_R_System.ResourceID,Netbios_Name0,NumberOfCores0\n1,\"".to_vec();
        text.resize(
            text.len() + (csv_table::ROW_LIMIT as usize) + (1 << 20),
            b'x',
        );
        let rows: Vec<_> = Rows::new(&text[..], &Origin("big.csv".into()))
            .unwrap()
            .collect();
        assert_eq!(rows.len(), 1);
        let error = rows[0].1.as_ref().unwrap_err().to_string();
        assert!(
            error.contains("big.csv, row 2") && error.contains("MiB"),
            "{error}"
        );
    }
}
