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
//! The file is read a row at a time ([`Rows`]): an export of 50,000 machines is never held
//! whole. A row that cannot be read (too few cells, a number that is not one) is an error naming
//! the file and the row; the other rows still give their machines. A column the export lacks is
//! a fact ConfigMgr did not give: it stays unknown with a note naming the column.

pub mod views;

use super::values;
use crate::error::{Error, Origin, Result};
use crate::facts::inventory::{
    BootMode, Cpu, Disk, Firmware, GraphicsAdapter, Host, Inventory, License, Memory, Os, OsFamily,
    Program, Source, Storage, Tpm, Volume,
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

/// The canonical `view.column` a header cell names, if w7plan reads it.
fn column_of(cell: &str) -> Option<usize> {
    let cell = cell
        .trim()
        .trim_start_matches('\u{feff}')
        .trim_matches(['[', ']']);
    if let Some((view, column)) = cell.rsplit_once('.') {
        let view = view.trim_matches(['[', ']']);
        let column = column.trim_matches(['[', ']']);
        return COLUMNS
            .iter()
            .position(|(v, c)| v.eq_ignore_ascii_case(view) && c.eq_ignore_ascii_case(column));
    }
    let mut found = COLUMNS
        .iter()
        .enumerate()
        .filter(|(_, (v, c))| *v != "v_GS_DISK" && c.eq_ignore_ascii_case(cell));
    match (found.next(), found.next()) {
        (Some((i, _)), None) => Some(i),
        _ => None,
    }
}

/// Whether `text` begins with a ConfigMgr export's header: at least three columns w7plan reads
/// (one without `ResourceID` is then refused with that reason, not left unrecognized).
pub fn sniff(text: &str) -> bool {
    let Some(first) = super::text::lines(text.trim_start_matches('\u{feff}')).next() else {
        return false;
    };
    let names: Vec<String> = split_header(first).collect();
    // One view's own file (`SELECT * FROM v_GS_PROCESSOR`) names columns of that view alone: it
    // is part of a per-view export ([`views`]), not a wide one.
    names.iter().filter_map(|c| column_of(c)).count() >= 3
        && views::View::of_header(&names).is_none()
}

/// A header line's cells, with CSV quotes removed (a header has no embedded line breaks).
fn split_header(line: &str) -> impl Iterator<Item = String> + '_ {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(line.as_bytes());
    let record = reader.records().next().and_then(|r| r.ok());
    record
        .map(|r| r.iter().map(str::to_string).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
}

/// Where each column w7plan reads is in the file.
#[derive(Debug, Clone)]
pub struct Header {
    /// By index into [`COLUMNS`]: the cell index in a row.
    at: Vec<Option<usize>>,
    width: usize,
}

impl Header {
    /// The header of a record joined from per-view files ([`views`]): cell `i` holds
    /// `COLUMNS[i]`, for the columns whose view the export has (`present`); the others are
    /// absent, as a column left out of a wide export is.
    pub(crate) fn joined(present: impl Fn(usize) -> bool) -> Header {
        Header {
            at: (0..COLUMNS.len())
                .map(|i| present(i).then_some(i))
                .collect(),
            width: COLUMNS.len(),
        }
    }

    fn new(record: &csv::StringRecord, origin: &Origin) -> Result<Header> {
        let mut at = vec![None; COLUMNS.len()];
        for (cell_index, cell) in record.iter().enumerate() {
            if let Some(column) = column_of(cell) {
                at[column].get_or_insert(cell_index);
            }
        }
        if at[0].is_none() {
            return Err(Error::ImportFailed {
                origin: origin.clone(),
                message: "row 1: expected a ConfigMgr header with a `ResourceID` column \
                          (v_R_System.ResourceID), which joins the views"
                    .to_string(),
            });
        }
        Ok(Header {
            at,
            width: record.len(),
        })
    }
}

/// The machines of an export, one row at a time. Each item is the row's number in the file (the
/// header is row 1) and its machine, or the error that row met.
pub struct Rows<R: std::io::Read> {
    reader: csv::Reader<RowBudget<R>>,
    /// Bytes read since the current row began (shared with the reader's [`RowBudget`]).
    used: std::sync::Arc<std::sync::atomic::AtomicU64>,
    header: Header,
    origin: Origin,
    record: csv::StringRecord,
    done: bool,
}

impl<R: std::io::Read> Rows<R> {
    /// Reads the header; an export with no `ResourceID` column is an error.
    pub fn new(input: R, origin: &Origin) -> Result<Rows<R>> {
        let used = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(RowBudget {
                inner: input,
                used: std::sync::Arc::clone(&used),
            });
        let mut first = csv::StringRecord::new();
        let read = reader
            .read_record(&mut first)
            .map_err(|e| Error::ImportFailed {
                origin: origin.clone(),
                message: format!("row 1: the ConfigMgr header cannot be read: {e}"),
            })?;
        if !read {
            return Err(Error::ImportFailed {
                origin: origin.clone(),
                message: "empty: expected a ConfigMgr export's header row".to_string(),
            });
        }
        if let Some(cell) = first.get(0) {
            let trimmed = cell.trim_start_matches('\u{feff}').to_string();
            let mut cells: Vec<String> = first.iter().map(str::to_string).collect();
            cells[0] = trimmed;
            first = csv::StringRecord::from(cells);
        }
        used.store(0, std::sync::atomic::Ordering::Relaxed);
        Ok(Rows {
            header: Header::new(&first, origin)?,
            reader,
            used,
            origin: origin.clone(),
            record: csv::StringRecord::new(),
            done: false,
        })
    }
}

impl<R: std::io::Read> Iterator for Rows<R> {
    type Item = (u64, Result<Inventory>);

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if self.done {
                return None;
            }
            // Rows count records as a spreadsheet shows them, the header being row 1; a cell
            // may hold line breaks (the program lists), so a row is not a line.
            let row = self.reader.position().record() + 1;
            self.used.store(0, std::sync::atomic::Ordering::Relaxed);
            match self.reader.read_record(&mut self.record) {
                Ok(false) => {
                    self.done = true;
                    return None;
                }
                Ok(true) => {
                    // A blank line between rows is no machine.
                    if self.record.iter().all(|c| c.trim().is_empty()) {
                        continue;
                    }
                    let origin = Origin(format!("{}, row {row}", self.origin));
                    return Some((row, row_to_inventory(&self.header, &self.record, &origin)));
                }
                Err(e) => {
                    // Bad UTF-8 spoils one row; an I/O error ends the file. The rows before it
                    // stand.
                    self.done = !matches!(e.kind(), csv::ErrorKind::Utf8 { .. });
                    let row = e.position().map_or(row, |p| p.record() + 1);
                    return Some((
                        row,
                        Err(Error::ImportFailed {
                            origin: Origin(format!("{}, row {row}", self.origin)),
                            message: format!("cannot be read: {e}"),
                        }),
                    ));
                }
            }
        }
    }
}

/// The most one row may take: an inventory's own cap, as a row is one machine. A row past it
/// (a hostile or broken file with no line ends, an unclosed quote) ends the read with an error
/// instead of being gathered whole into memory.
const ROW_LIMIT: u64 = 32 << 20;

/// The file under the CSV reader, refusing to read on once the current row has taken
/// [`ROW_LIMIT`] bytes (counted by the reader's buffer fills, so a little over at most).
pub struct RowBudget<R> {
    inner: R,
    used: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

impl<R> RowBudget<R> {
    /// The file under a reader, and the count to reset to 0 at each row's start.
    pub(crate) fn new(inner: R) -> (RowBudget<R>, std::sync::Arc<std::sync::atomic::AtomicU64>) {
        let used = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
        (
            RowBudget {
                inner,
                used: std::sync::Arc::clone(&used),
            },
            used,
        )
    }
}

/// A per-view file is read again at a machine's rows ([`views`]).
impl<R: std::io::Seek> std::io::Seek for RowBudget<R> {
    fn seek(&mut self, to: std::io::SeekFrom) -> std::io::Result<u64> {
        self.inner.seek(to)
    }
}

impl<R: std::io::Read> std::io::Read for RowBudget<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        use std::sync::atomic::Ordering;
        if self.used.load(Ordering::Relaxed) > ROW_LIMIT {
            return Err(std::io::Error::other(format!(
                "a row over {} MiB: not one machine's inventory",
                ROW_LIMIT >> 20
            )));
        }
        let n = self.inner.read(buf)?;
        self.used.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

fn failed(origin: &Origin, message: String) -> Error {
    Error::ImportFailed {
        origin: origin.clone(),
        message,
    }
}

/// One row's cells by column.
struct Row<'a> {
    header: &'a Header,
    record: &'a csv::StringRecord,
    origin: &'a Origin,
}

impl Row<'_> {
    fn index(view: &str, column: &str) -> usize {
        let at = COLUMNS.iter().position(|(v, c)| *v == view && *c == column);
        // Every name the mapping asks for is in COLUMNS; the fixtures exercise each one.
        debug_assert!(at.is_some(), "{view}.{column} is not in COLUMNS");
        at.unwrap_or(0)
    }

    /// The cell's text; empty and SQL's `NULL` are absent.
    fn text(&self, view: &str, column: &str) -> Option<String> {
        let at = self.header.at[Self::index(view, column)]?;
        let value = self.record.get(at)?.trim();
        (!value.is_empty() && !value.eq_ignore_ascii_case("null")).then(|| value.to_string())
    }

    /// A whole number; text that is not one is an error naming the column.
    fn number(&self, view: &str, column: &str) -> Result<Option<u64>> {
        match self.text(view, column) {
            None => Ok(None),
            Some(value) => value
                // SQL Server exports may write whole numbers of a decimal column as `4096.0`.
                .strip_suffix(".0")
                .unwrap_or(&value)
                .parse()
                .map(Some)
                .map_err(|_| {
                    failed(
                        self.origin,
                        format!(
                            "{view}.{column}: expected a whole number, found `{}`",
                            crate::input::excerpt(&value)
                        ),
                    )
                }),
        }
    }

    fn number_u32(&self, view: &str, column: &str) -> Result<Option<u32>> {
        match self.number(view, column)? {
            Some(n) => u32::try_from(n).map(Some).map_err(|_| {
                failed(
                    self.origin,
                    format!("{view}.{column}: {n} is too large for what it counts"),
                )
            }),
            None => Ok(None),
        }
    }

    /// A boolean written as 1/0 or True/False.
    fn flag(&self, view: &str, column: &str) -> Result<Option<bool>> {
        match self.text(view, column).map(|v| v.to_ascii_lowercase()) {
            None => Ok(None),
            Some(v) if v == "1" || v == "true" => Ok(Some(true)),
            Some(v) if v == "0" || v == "false" => Ok(Some(false)),
            Some(v) => Err(failed(
                self.origin,
                format!(
                    "{view}.{column}: expected 1 or 0 (True or False), found `{}`",
                    crate::input::excerpt(&v)
                ),
            )),
        }
    }
}

/// The megabytes ConfigMgr stores a size in, as bytes; a value too large to be megabytes of a
/// PC's memory or disk (over 16 TiB) is taken as bytes already, as a custom query may give it.
fn megabytes(n: u64) -> Option<u64> {
    if n > 16 << 20 {
        Some(n)
    } else {
        n.checked_mul(1 << 20)
    }
}

/// A date as SQL Server exports it (`2011-03-14 09:12:00.000`) or a WMI datetime, as ISO.
fn date_of(value: &str) -> Option<String> {
    let head = value.get(..10)?;
    let b = head.as_bytes();
    if b[4] == b'-' && b[7] == b'-' {
        let numbers: Vec<u32> = head.split('-').filter_map(|p| p.parse().ok()).collect();
        if let [y, m, d] = numbers[..] {
            return super::text::iso_date(y, m, d);
        }
    }
    if b.iter().take(8).all(u8::is_ascii_digit) {
        let y = value.get(..4)?.parse().ok()?;
        let m = value.get(4..6)?.parse().ok()?;
        let d = value.get(6..8)?.parse().ok()?;
        return super::text::iso_date(y, m, d);
    }
    None
}

/// The CPUID signature (EAX of leaf 1) in `Win32_Processor.ProcessorId`: the 16 hex digits are
/// EDX then EAX (`BFEBFBFF000206A7`), so the last eight are the signature.
fn processor_id_signature(id: &str) -> Option<(u32, u32, u32)> {
    let id = id.trim();
    if id.len() != 16 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let eax = u32::from_str_radix(&id[8..], 16).ok()?;
    let bytes = eax.to_le_bytes();
    super::glpi::cpuid_signature(&format!(
        "{:02X} {:02X} {:02X} {:02X}",
        bytes[0], bytes[1], bytes[2], bytes[3]
    ))
}

/// One row of the export as an inventory.
pub fn row_to_inventory(
    header: &Header,
    record: &csv::StringRecord,
    origin: &Origin,
) -> Result<Inventory> {
    if record.len() < header.width {
        return Err(failed(
            origin,
            format!(
                "expected {} cells as in the header, found {}: a truncated row",
                header.width,
                record.len()
            ),
        ));
    }
    let r = Row {
        header,
        record,
        origin,
    };
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
        .and_then(|d| {
            let day = date_of(d)?;
            // `2026-11-02 08:15:00.000` keeps its time of day.
            Some(match d.get(11..19) {
                Some(time) if time.as_bytes().get(2) == Some(&b':') => format!("{day}T{time}"),
                _ => day,
            })
        });

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
    if header.at[Row::index("v_GS_OPERATING_SYSTEM", "CSDVersion0")].is_some() && os.name.is_some()
    {
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
        listed |= header.at[Row::index(view, "DisplayName0")].is_some();
        let Some(list) = r.text(view, "DisplayName0") else {
            continue;
        };
        for line in list.lines() {
            let mut parts = line.split('\t').map(str::trim);
            let Some(name) = parts.next().filter(|n| !n.is_empty()) else {
                continue;
            };
            let mut next = || parts.next().filter(|v| !v.is_empty()).map(str::to_string);
            programs.push(Program {
                name: Some(name.to_string()),
                version: next(),
                publisher: next(),
                installed_on: None,
                // A 32-bit program on 32-bit Windows is listed in the first view too.
                arch: Some(arch),
            });
        }
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
    Ok(Rows::new(text.as_bytes(), origin)?.collect())
}

/// The one machine of a one-row export; an export of several is refused with what to run.
pub fn single(text: &str, origin: &Origin) -> Result<Inventory> {
    let rows = read_text(text, origin)?;
    match rows.len() {
        0 => Err(failed(
            origin,
            "a ConfigMgr export with a header and no machine rows".to_string(),
        )),
        1 => rows
            .into_iter()
            .map(|(_, r)| r)
            .next()
            .unwrap_or_else(|| Err(failed(origin, "no machine rows".to_string()))),
        n => Err(failed(
            origin,
            format!(
                "a ConfigMgr export of {n} machines: `w7plan fleet {origin} -o DIR` assesses \
                 each of them; `assess` takes one machine"
            ),
        )),
    }
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
    fn processor_ids() {
        // Sandy Bridge i5-2400 (family 6, model 42, stepping 7) and Haswell (6/60/3).
        assert_eq!(processor_id_signature("BFEBFBFF000206A7"), Some((6, 42, 7)));
        assert_eq!(processor_id_signature("BFEBFBFF000306C3"), Some((6, 60, 3)));
        assert_eq!(processor_id_signature("xyz"), None);
    }

    #[test]
    fn a_huge_row_is_refused_not_gathered() {
        // A header, then an unclosed quote running on past the row limit.
        let mut text = b"v_R_System.ResourceID,Netbios_Name0,NumberOfCores0\n1,\"".to_vec();
        text.resize(text.len() + (ROW_LIMIT as usize) + (1 << 20), b'x');
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

    #[test]
    fn dates() {
        assert_eq!(
            date_of("2011-03-14 09:12:00.000").as_deref(),
            Some("2011-03-14")
        );
        assert_eq!(
            date_of("20110314091200.000000+060").as_deref(),
            Some("2011-03-14")
        );
        assert_eq!(date_of("14/03/2011"), None);
    }
}
