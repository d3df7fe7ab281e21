//! Reads Lansweeper report exports saved as CSV: one row per Windows asset, as
//! `collectors/lansweeper/w7plan-report.sql` produces it, or as Lansweeper's own built-in reports
//! name their columns (`AssetName`, `Domain`, `OS`, `SP`, `Manufacturer`, `Model`, `SpecVersion`,
//! `ProductKey`, …; see the README, "From Lansweeper").
//!
//! A column is found by the report's alias, by the name a built-in report gives it, or as
//! `table.column` (`tblProcessor.Caption`). A built-in report's bare `Caption`, `Version` or
//! `Name` is told by its content: a processor identifier (`x64 Family 6 Model 42 Stepping 7`),
//! a Windows name, a Windows version (`6.1.7601`); anything else in it is left unread. The table
//! and column names are those of the Lansweeper database (tests/fixtures/lansweeper/README.md
//! cites the schema files read).
//!
//! It does not read XLSX: an Excel workbook is refused with what to do (save it as CSV), naming
//! the file. `tblProcessor.Family` is not read: it is WMI's CIM family code, not the CPUID family.
//! Rows are read by the shared [`csv_table`] reader: a row that cannot be read is an error naming
//! the file and the row, and the other rows still give their machines.

use super::csv_table::{self, date_of, megabytes, processor_id_signature, Header, Row, Table};
use super::values;
use crate::error::{Origin, Result};
use crate::facts::inventory::{
    Arch, BootMode, Chassis, Cpu, Disk, Display, Firmware, GraphicsAdapter, Host, Inventory,
    License, Memory, Os, OsFamily, Source, Storage, Tpm, Volume,
};

/// What `source.collector` says.
pub const COLLECTOR: &str = "Lansweeper";

/// A bare column a built-in report gives whose table is told by the cell's content.
const ANY: &str = "*";

/// The columns w7plan reads, by Lansweeper table and column.
pub const COLUMNS: &[(&str, &str)] = &[
    ("tblAssets", "AssetName"),
    ("tblAssets", "AssetUnique"),
    ("tblAssets", "Lastseen"),
    ("tblAssets", "Processor"),
    ("tblAssets", "Memory"),
    ("tblAssets", "SP"),
    ("tsysOS", "OSname"),
    ("tblAssetCustom", "Manufacturer"),
    ("tblAssetCustom", "Model"),
    ("tblAssetCustom", "Serialnumber"),
    ("tblComputersystem", "SystemType"),
    ("tblBIOS", "SerialNumber"),
    ("tblBIOS", "Manufacturer"),
    ("tblBIOS", "SMBIOSBIOSVersion"),
    ("tblBIOS", "ReleaseDate"),
    ("tblOperatingsystem", "Caption"),
    ("tblOperatingsystem", "Version"),
    ("tblOperatingsystem", "ServicePackMajorVersion"),
    ("tblOperatingsystem", "OSLanguage"),
    ("tblOperatingsystem", "InstallDate"),
    ("tblOperatingsystem", "TotalVisibleMemorySize"),
    ("tblOperatingsystem", "SerialNumber"),
    ("tblProcessor", "Name"),
    ("tblProcessor", "Manufacturer"),
    ("tblProcessor", "Caption"),
    ("tblProcessor", "ProcessorId"),
    ("tblProcessor", "NumberOfCores"),
    ("tblProcessor", "NumberOfLogicalProcessors"),
    ("tblProcessor", "MaxClockSpeed"),
    ("tblPhysicalMemory", "Capacity"),
    ("tblDiskdrives", "Caption"),
    ("tblDiskdrives", "Size"),
    ("tblDiskdrives", "Freespace"),
    ("tblFloppy", "Size"),
    ("tblTPM", "SpecVersion"),
    ("tblTPM", "IsEnabled_InitialValue"),
    ("tblTPM", "IsActivated_InitialValue"),
    ("tblVideoController", "Caption"),
    ("tblVideoController", "DriverVersion"),
    ("tblVideoController", "CurrentHorizontalResolution"),
    ("tblVideoController", "CurrentVerticalResolution"),
    ("tblSerialnumber", "ProductID"),
    ("tblSerialnumber", "ProductKey"),
    ("tblSoftwareUni", "softwareName"),
    ("tblRegistry", "BootMode"),
    ("tblRegistry", "SecureBoot"),
    (ANY, "Caption"),
    (ANY, "Version"),
    (ANY, "Name"),
];

/// Header names without a table: the shipped report's aliases first, then the names
/// Lansweeper's built-in reports give (their views in the schema), then bare column names found
/// in one table only.
const NAMES: &[(&str, &str, &str)] = &[
    // collectors/lansweeper/w7plan-report.sql
    ("AssetName", "tblAssets", "AssetName"),
    ("Lastseen", "tblAssets", "Lastseen"),
    ("Manufacturer", "tblAssetCustom", "Manufacturer"),
    ("Model", "tblAssetCustom", "Model"),
    ("Serialnumber", "tblAssetCustom", "Serialnumber"),
    ("SystemType", "tblComputersystem", "SystemType"),
    ("BIOSSerial", "tblBIOS", "SerialNumber"),
    ("BIOSManufacturer", "tblBIOS", "Manufacturer"),
    ("BIOSVersion", "tblBIOS", "SMBIOSBIOSVersion"),
    ("BIOSDate", "tblBIOS", "ReleaseDate"),
    ("OSCaption", "tblOperatingsystem", "Caption"),
    ("OSVersion", "tblOperatingsystem", "Version"),
    (
        "ServicePack",
        "tblOperatingsystem",
        "ServicePackMajorVersion",
    ),
    ("OSLanguage", "tblOperatingsystem", "OSLanguage"),
    ("OSInstallDate", "tblOperatingsystem", "InstallDate"),
    (
        "VisibleMemoryKB",
        "tblOperatingsystem",
        "TotalVisibleMemorySize",
    ),
    ("OSSerialNumber", "tblOperatingsystem", "SerialNumber"),
    ("ProcessorName", "tblProcessor", "Name"),
    ("ProcessorManufacturer", "tblProcessor", "Manufacturer"),
    ("ProcessorCaption", "tblProcessor", "Caption"),
    ("ProcessorId", "tblProcessor", "ProcessorId"),
    ("Cores", "tblProcessor", "NumberOfCores"),
    (
        "LogicalProcessors",
        "tblProcessor",
        "NumberOfLogicalProcessors",
    ),
    ("MaxClockSpeed", "tblProcessor", "MaxClockSpeed"),
    ("MemoryMB", "tblAssets", "Memory"),
    ("InstalledMemory", "tblPhysicalMemory", "Capacity"),
    ("SystemDrive", "tblDiskdrives", "Caption"),
    ("SystemDriveSize", "tblDiskdrives", "Size"),
    ("SystemDriveFree", "tblDiskdrives", "Freespace"),
    ("DiskSize", "tblFloppy", "Size"),
    ("TPMSpecVersion", "tblTPM", "SpecVersion"),
    ("TPMEnabled", "tblTPM", "IsEnabled_InitialValue"),
    ("TPMActivated", "tblTPM", "IsActivated_InitialValue"),
    ("VideoController", "tblVideoController", "Caption"),
    ("VideoDriverVersion", "tblVideoController", "DriverVersion"),
    (
        "HorizontalResolution",
        "tblVideoController",
        "CurrentHorizontalResolution",
    ),
    (
        "VerticalResolution",
        "tblVideoController",
        "CurrentVerticalResolution",
    ),
    ("ProductID", "tblSerialnumber", "ProductID"),
    ("ProductKey", "tblSerialnumber", "ProductKey"),
    ("Software", "tblSoftwareUni", "softwareName"),
    // Built-in reports (web40rep*/web50rep* views): `tsysOS.OSname As OS`, `tblAssets.SP As SP`,
    // `tblBIOS.SerialNumber As Serial`, the TPM's Yes/No `Enabled` and `Activated`, the CPU
    // report's `CPU` (the name) and `ClockSpeed`.
    ("AssetUnique", "tblAssets", "AssetUnique"),
    ("OS", "tsysOS", "OSname"),
    ("OSname", "tsysOS", "OSname"),
    ("SP", "tblAssets", "SP"),
    ("Serial", "tblBIOS", "SerialNumber"),
    ("Memory", "tblAssets", "Memory"),
    ("Processor", "tblAssets", "Processor"),
    ("CPU", "tblProcessor", "Name"),
    ("ClockSpeed", "tblProcessor", "MaxClockSpeed"),
    ("SpecVersion", "tblTPM", "SpecVersion"),
    ("Enabled", "tblTPM", "IsEnabled_InitialValue"),
    ("Activated", "tblTPM", "IsActivated_InitialValue"),
    ("SMBIOSBIOSVersion", "tblBIOS", "SMBIOSBIOSVersion"),
    ("ReleaseDate", "tblBIOS", "ReleaseDate"),
    (
        "ServicePackMajorVersion",
        "tblOperatingsystem",
        "ServicePackMajorVersion",
    ),
    (
        "TotalVisibleMemorySize",
        "tblOperatingsystem",
        "TotalVisibleMemorySize",
    ),
    ("NumberOfCores", "tblProcessor", "NumberOfCores"),
    (
        "NumberOfLogicalProcessors",
        "tblProcessor",
        "NumberOfLogicalProcessors",
    ),
    ("DriverVersion", "tblVideoController", "DriverVersion"),
    (
        "CurrentHorizontalResolution",
        "tblVideoController",
        "CurrentHorizontalResolution",
    ),
    (
        "CurrentVerticalResolution",
        "tblVideoController",
        "CurrentVerticalResolution",
    ),
    // A custom registry scan report's boot mode and Secure Boot (see the README).
    ("BootMode", "tblRegistry", "BootMode"),
    ("SecureBoot", "tblRegistry", "SecureBoot"),
    ("Caption", ANY, "Caption"),
    ("Version", ANY, "Version"),
    ("Name", ANY, "Name"),
];

fn position(table: &str, column: &str) -> Option<usize> {
    COLUMNS
        .iter()
        .position(|(t, c)| t.eq_ignore_ascii_case(table) && c.eq_ignore_ascii_case(column))
}

/// The column a header cell names, if w7plan reads it.
pub fn column_of(cell: &str) -> Option<usize> {
    let cell = csv_table::clean_cell(cell);
    if let Some((table, column)) = cell.rsplit_once('.') {
        let table = table.rsplit('.').next().unwrap_or(table);
        return position(table, column);
    }
    let (_, table, column) = NAMES
        .iter()
        .find(|(name, _, _)| name.eq_ignore_ascii_case(&cell))?;
    position(table, column)
}

/// The Lansweeper export format, for the shared reader.
pub struct Lansweeper;

impl Table for Lansweeper {
    const NAME: &'static str = "Lansweeper";
    const COLUMNS: csv_table::Columns = COLUMNS;

    fn column_of(cell: &str) -> Option<usize> {
        column_of(cell)
    }

    fn check(header: &Header) -> std::result::Result<(), String> {
        if header.has(0) || header.has(1) {
            Ok(())
        } else {
            Err(
                "expected a Lansweeper header with an `AssetName` column (tblAssets.AssetName, \
                 or AssetUnique), which names the machine"
                    .to_string(),
            )
        }
    }

    fn row_to_inventory(row: &Row<'_>) -> Result<Inventory> {
        row_to_inventory(row)
    }
}

/// Whether `text` begins with a Lansweeper report's header: an asset name column and at least
/// two more columns w7plan reads.
pub fn sniff(text: &str) -> bool {
    let columns: Vec<usize> = csv_table::header_columns::<Lansweeper>(text)
        .flatten()
        .collect();
    columns.iter().any(|&c| c <= 1) && columns.len() >= 3
}

/// The machines of an export, one row at a time ([`csv_table::Rows`]).
pub type Rows<R> = csv_table::Rows<R, Lansweeper>;

/// Every machine of an export held in memory (`assess` and `import`; the fleet streams).
pub fn read_text(text: &str, origin: &Origin) -> Result<Vec<(u64, Result<Inventory>)>> {
    csv_table::read_text::<Lansweeper>(text, origin)
}

/// The one machine of a one-row export; an export of several is refused with what to run.
pub fn single(text: &str, origin: &Origin) -> Result<Inventory> {
    csv_table::single::<Lansweeper>(text, origin)
}

/// Whether bytes are an Excel workbook (a ZIP holding `xl/`): Lansweeper's XLSX export.
pub fn is_xlsx(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") && memchr::memmem::find(bytes, b"xl/").is_some()
}

/// What to do with an XLSX export, for the error naming the file.
pub const XLSX_MESSAGE: &str = "an Excel workbook (XLSX), which w7plan does not read: export the \
     Lansweeper report as CSV instead, or open it in Excel and save it as \"CSV UTF-8\"";

/// One row of the export as an inventory.
fn row_to_inventory(r: &Row<'_>) -> Result<Inventory> {
    let mut notes = Vec::new();
    let name = r
        .text("tblAssets", "AssetName")
        .or_else(|| r.text("tblAssets", "AssetUnique"))
        .ok_or_else(|| {
            csv_table::failed(
                r.origin,
                "tblAssets.AssetName is empty: the row is no machine".to_string(),
            )
        })?;
    let os = os(r)?;
    let windows7 = os.version.as_deref() == Some("6.1");
    let mut inv = Inventory {
        source: Some(Source {
            collector: Some(COLLECTOR.to_string()),
            version: None,
            elevated: None,
        }),
        collected_at: r
            .text("tblAssets", "Lastseen")
            .as_deref()
            .and_then(csv_table::date_time_of),
        host: Some(host(r, name)),
        cpu: cpu(r, &mut notes)?,
        memory: memory(r)?,
        storage: storage(r)?,
        firmware: firmware(r, windows7, &mut notes)?,
        tpm: tpm(r, &mut notes)?,
        license: license(r, &mut notes),
        graphics: graphics(r, &mut notes),
        display: display(r)?,
        software: software(r),
        os: Some(os),
        ..Inventory::default()
    };
    inv.notes = notes;
    Ok(inv)
}

fn host(r: &Row<'_>, name: String) -> Host {
    let manufacturer = r
        .text("tblAssetCustom", "Manufacturer")
        .filter(|v| !values::is_placeholder(v));
    let model = r
        .text("tblAssetCustom", "Model")
        .filter(|v| !values::is_placeholder(v));
    let vm = values::is_virtual_machine(
        manufacturer.as_deref().unwrap_or(""),
        model.as_deref().unwrap_or(""),
    );
    Host {
        // AssetUnique may carry the domain (`CORP\PC01`); the host is the last part.
        name: Some(name.rsplit('\\').next().unwrap_or(&name).to_string()),
        manufacturer,
        model,
        serial: r
            .text("tblBIOS", "SerialNumber")
            .or_else(|| r.text("tblAssetCustom", "Serialnumber"))
            .filter(|v| !values::is_placeholder(v)),
        chassis: vm.then_some(Chassis::Vm),
    }
}

/// `tsysOS.OSname`, Lansweeper's short OS name, as the Windows version it names.
fn version_of_os_name(name: &str) -> Option<&'static str> {
    match name.trim().to_ascii_lowercase().as_str() {
        "win 7" => Some("6.1"),
        "win 8" => Some("6.2"),
        "win 8.1" => Some("6.3"),
        "win 10" | "win 11" => Some("10.0"),
        "win vista" => Some("6.0"),
        "win xp" => Some("5.1"),
        _ => None,
    }
}

fn os(r: &Row<'_>) -> Result<Os> {
    // A built-in report's bare Caption is the OS's when it names Windows.
    let caption = r.text("tblOperatingsystem", "Caption").or_else(|| {
        r.text(ANY, "Caption")
            .filter(|c| c.to_ascii_lowercase().contains("windows"))
    });
    let short = r.text("tsysOS", "OSname");
    let mut os = Os {
        family: (caption.is_some() || short.as_deref().is_some_and(|s| s.starts_with("Win")))
            .then_some(OsFamily::Windows),
        edition: caption.as_deref().and_then(values::edition_from_name),
        name: caption.clone().or_else(|| short.clone()),
        ..Os::default()
    };
    let version = r.text("tblOperatingsystem", "Version").or_else(|| {
        r.text(ANY, "Version").filter(|v| {
            v.split('.').count() >= 2 && v.bytes().all(|b| b == b'.' || b.is_ascii_digit())
        })
    });
    if let Some(version) = version {
        let parts: Vec<&str> = version.split('.').collect();
        if parts.len() >= 2 {
            os.version = Some(format!("{}.{}", parts[0], parts[1]));
            os.build = parts.get(2).and_then(|b| b.parse().ok());
        }
    }
    if os.version.is_none() {
        os.version = short
            .as_deref()
            .and_then(version_of_os_name)
            .map(str::to_string);
    }
    os.service_pack = match r.number_u32("tblOperatingsystem", "ServicePackMajorVersion")? {
        Some(sp) => Some(sp),
        None => r.number_u32("tblAssets", "SP")?,
    };
    os.arch = system_type(r);
    os.language = r
        .number_u32("tblOperatingsystem", "OSLanguage")?
        .and_then(values::language_from_lcid)
        .map(str::to_string);
    os.installed_on = r
        .text("tblOperatingsystem", "InstallDate")
        .as_deref()
        .and_then(date_of);
    Ok(os)
}

/// `Win32_ComputerSystem.SystemType` (`x64-based PC`): the OS's architecture.
fn system_type(r: &Row<'_>) -> Option<Arch> {
    r.text("tblComputersystem", "SystemType")
        .as_deref()
        .and_then(values::arch_from_system_type)
}

fn cpu(r: &Row<'_>, notes: &mut Vec<String>) -> Result<Option<Cpu>> {
    let brand = r
        .text("tblProcessor", "Name")
        .or_else(|| r.text("tblAssets", "Processor"));
    // The identifier from the caption (`x64 Family 6 Model 42 Stepping 7`), or a built-in
    // report's bare Caption or Name holding one.
    let identifier = [
        r.text("tblProcessor", "Caption"),
        r.text(ANY, "Caption"),
        r.text(ANY, "Name"),
    ]
    .into_iter()
    .flatten()
    .map(|c| values::parse_cpu_identifier(&c))
    .find(|(family, _, _)| family.is_some());
    let signature = r
        .text("tblProcessor", "ProcessorId")
        .as_deref()
        .and_then(processor_id_signature);
    if brand.is_none() && identifier.is_none() && signature.is_none() {
        return Ok(None);
    }
    let mut cpu = Cpu {
        vendor: r.text("tblProcessor", "Manufacturer"),
        brand,
        cores: r
            .number_u32("tblProcessor", "NumberOfCores")?
            .filter(|n| *n > 0),
        logical_processors: r
            .number_u32("tblProcessor", "NumberOfLogicalProcessors")?
            .filter(|n| *n > 0),
        max_mhz: r
            .number_u32("tblProcessor", "MaxClockSpeed")?
            .filter(|n| *n > 0),
        // SystemType names the OS's architecture: a 64-bit Windows proves a 64-bit CPU, a
        // 32-bit one says nothing of it.
        arch: system_type(r).filter(|a| *a == Arch::X64),
        ..Cpu::default()
    };
    if let Some((family, model, stepping)) = identifier {
        (cpu.family, cpu.model, cpu.stepping) = (family, model, stepping);
    }
    // The CPUID signature is exact where the caption may be cut short.
    if let Some((family, model, stepping)) = signature {
        (cpu.family, cpu.model, cpu.stepping) = (Some(family), Some(model), Some(stepping));
    }
    if cpu.family.is_none() {
        notes.push(
            "cpu.family: the Lansweeper export names the processor only (add \
             tblProcessor.Caption or ProcessorId to the report, as the shipped report does); \
             its family, model and stepping decide Microsoft's list match"
                .to_string(),
        );
    }
    Ok(Some(cpu))
}

fn memory(r: &Row<'_>) -> Result<Option<Memory>> {
    // The modules' sum (Win32_PhysicalMemory.Capacity, bytes) is what is installed; else the
    // asset's memory, which Lansweeper's own reports give in MB.
    let installed = match r
        .number("tblPhysicalMemory", "Capacity")?
        .filter(|n| *n > 0)
    {
        Some(n) => megabytes(n),
        None => r
            .number("tblAssets", "Memory")?
            .filter(|n| *n > 0)
            .and_then(megabytes),
    };
    let visible = r
        .number("tblOperatingsystem", "TotalVisibleMemorySize")?
        .filter(|n| *n > 0)
        .and_then(|kb| kb.checked_mul(1024));
    Ok((installed.is_some() || visible.is_some()).then(|| Memory {
        installed_bytes: installed,
        visible_bytes: visible,
        ..Memory::default()
    }))
}

fn storage(r: &Row<'_>) -> Result<Option<Storage>> {
    // Win32_LogicalDisk and Win32_DiskDrive sizes are bytes; a value small enough to be
    // megabytes (an admin's own report) is taken as such.
    let size = r.number("tblDiskdrives", "Size")?.and_then(megabytes);
    let free = r.number("tblDiskdrives", "Freespace")?.and_then(megabytes);
    let disk = r.number("tblFloppy", "Size")?.and_then(megabytes);
    if size.is_none() && free.is_none() && disk.is_none() {
        return Ok(None);
    }
    Ok(Some(Storage {
        system_volume: (size.is_some() || free.is_some()).then(|| Volume {
            letter: r
                .text("tblDiskdrives", "Caption")
                .or(Some("C:".to_string())),
            size_bytes: size,
            free_bytes: free,
            ..Volume::default()
        }),
        system_disk: disk.map(|size| Disk {
            size_bytes: Some(size),
            ..Disk::default()
        }),
    }))
}

fn firmware(r: &Row<'_>, windows7: bool, notes: &mut Vec<String>) -> Result<Option<Firmware>> {
    let mut firmware = Firmware {
        vendor: r.text("tblBIOS", "Manufacturer"),
        version: r.text("tblBIOS", "SMBIOSBIOSVersion"),
        date: r
            .text("tblBIOS", "ReleaseDate")
            .as_deref()
            .and_then(date_of),
        ..Firmware::default()
    };
    // A registry-scan report says UEFI when Windows has a SecureBoot\State key, BIOS when it
    // has none; Windows 7 never has it, so its "BIOS" says nothing.
    match r
        .text("tblRegistry", "BootMode")
        .map(|m| m.to_ascii_uppercase())
    {
        Some(mode) if mode == "UEFI" => firmware.boot_mode = Some(BootMode::Uefi),
        Some(mode) if mode == "BIOS" && !windows7 => firmware.boot_mode = Some(BootMode::Bios),
        _ => notes.push(
            "firmware.boot_mode: Lansweeper's scan does not record how Windows booted (UEFI or \
             BIOS) save through a custom registry scan, which cannot tell on Windows 7; bcdedit \
             run as administrator on the machine shows it"
                .to_string(),
        ),
    }
    match r.text("tblRegistry", "SecureBoot") {
        Some(_) if windows7 => notes.push(
            "firmware.secure_boot_enabled: Windows 7 cannot use Secure Boot, so a Lansweeper \
             registry scan of it says nothing of what the hardware can do; the model and \
             firmware decide"
                .to_string(),
        ),
        Some(value) => {
            let value = value.to_ascii_lowercase();
            firmware.secure_boot_enabled = match value.as_str() {
                "on" | "1" | "yes" | "true" => Some(true),
                "off" | "0" | "no" | "false" => Some(false),
                _ => None,
            };
        }
        None => notes.push(
            "firmware.secure_boot_enabled: Lansweeper's scan holds no Secure Boot state save \
             through a custom registry scan, and Windows 7 cannot use Secure Boot; the model and \
             firmware decide"
                .to_string(),
        ),
    }
    Ok((firmware != Firmware::default()).then_some(firmware))
}

fn tpm(r: &Row<'_>, notes: &mut Vec<String>) -> Result<Option<Tpm>> {
    match r.text("tblTPM", "SpecVersion") {
        // "1.2, 2, 3": the first part is the version.
        Some(spec) => Ok(Some(Tpm {
            present: Some(true),
            version: spec
                .split(',')
                .next()
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty()),
            enabled: r.flag("tblTPM", "IsEnabled_InitialValue")?,
            activated: r.flag("tblTPM", "IsActivated_InitialValue")?,
            ..Tpm::default()
        })),
        None => {
            notes.push(
                "tpm.present: the Lansweeper export holds no tblTPM row for this machine (no TPM, \
                 a TPM turned off in the firmware, or a scan without the rights to read it); \
                 tpm.msc on the machine shows it"
                    .to_string(),
            );
            Ok(None)
        }
    }
}

fn license(r: &Row<'_>, notes: &mut Vec<String>) -> Option<License> {
    let mut license = License {
        // Win32_OperatingSystem.SerialNumber is the Product ID, as tblSerialnumber's.
        product_id: r
            .text("tblSerialnumber", "ProductID")
            .or_else(|| r.text("tblOperatingsystem", "SerialNumber")),
        ..License::default()
    };
    if let Some(key) = r.text("tblSerialnumber", "ProductKey") {
        match crate::facts::productkey::last_group(&key) {
            Some(last) => {
                license.partial_key = Some(last);
                license.product_key = Some(key.to_ascii_uppercase());
            }
            None => notes.push(
                "license.product_key: Lansweeper's ProductKey is not a 25-character product key"
                    .to_string(),
            ),
        }
    }
    (license != License::default()).then_some(license)
}

fn graphics(r: &Row<'_>, notes: &mut Vec<String>) -> Option<Vec<GraphicsAdapter>> {
    let name = r.text("tblVideoController", "Caption")?;
    notes.push(
        "graphics.directx: Lansweeper's scan holds the adapter's name, not its DirectX or WDDM \
         level; dxdiag shows them"
            .to_string(),
    );
    Some(vec![GraphicsAdapter {
        name: Some(name),
        driver_version: r.text("tblVideoController", "DriverVersion"),
        ..GraphicsAdapter::default()
    }])
}

fn display(r: &Row<'_>) -> Result<Option<Display>> {
    let width = r.number_u32("tblVideoController", "CurrentHorizontalResolution")?;
    let height = r.number_u32("tblVideoController", "CurrentVerticalResolution")?;
    Ok(
        match (width.filter(|n| *n > 0), height.filter(|n| *n > 0)) {
            (Some(w), Some(h)) => Some(Display {
                width: Some(w),
                height: Some(h),
            }),
            _ => None,
        },
    )
}

/// Programs, one per line, `name<TAB>version<TAB>publisher` (the shipped report's aggregate of
/// tblSoftware and tblSoftwareUni); an export without the column leaves them unknown.
fn software(r: &Row<'_>) -> Option<Vec<crate::facts::inventory::Program>> {
    r.has("tblSoftwareUni", "softwareName").then(|| {
        r.text("tblSoftwareUni", "softwareName")
            .map(|list| csv_table::program_lines(&list, None).collect())
            .unwrap_or_default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_by_alias_table_or_built_in_name() {
        assert_eq!(column_of("AssetName"), Some(0));
        assert_eq!(column_of("[tblAssets].[AssetName]"), Some(0));
        assert_eq!(column_of("dbo.tblAssets.AssetName"), Some(0));
        assert_eq!(column_of("OS"), position("tsysOS", "OSname"));
        assert_eq!(
            column_of("ProcessorCaption"),
            position("tblProcessor", "Caption")
        );
        assert_eq!(column_of("caption"), position(ANY, "Caption"));
        assert_eq!(column_of("Username"), None);
        // Every name maps to a column.
        for (name, table, column) in NAMES {
            assert!(position(table, column).is_some(), "{name}");
        }
    }

    #[test]
    fn sniffs_reports_not_other_csv() {
        assert!(sniff("AssetName,Domain,OS,SP,Lastseen\n"));
        assert!(sniff(
            "\"AssetID\",\"AssetUnique\",\"Domain\",\"OSname\",\"Memory\"\n"
        ));
        assert!(!sniff("\"Host Name\",\"OS Name\",\"OS Version\"\n"));
        // Columns w7plan reads, but none naming the machine.
        assert!(!sniff("OS,SP,Memory,Processor\n"));
    }

    #[test]
    fn xlsx_is_told_by_its_zip_entries() {
        assert!(is_xlsx(
            b"PK\x03\x04\x14\x00\x06\x00....[Content_Types].xml...xl/workbook.xml"
        ));
        assert!(!is_xlsx(b"PK\x03\x04 word/document.xml"));
    }
}
