//! Reads `wmic` output, in `/format:list` form (`Key=Value` records separated by blank lines,
//! values HTML-escaped by the XSL) or in the default table form (columns aligned under their
//! header; Wine prints this even when asked for a list), and maps the classes w7plan uses onto the
//! inventory.
//!
//! [`parse`] only splits records and tells the class from the property names (and a few value
//! shapes); [`to_inventory`] interprets one or more outputs together, because some facts need two
//! classes (the system volume is the `Win32_LogicalDisk` whose `DeviceID` is
//! `Win32_OperatingSystem.SystemDrive`; the partition style is that of the disk holding the boot
//! partition). Values are localized (`64 bits`, `Mémoire physique`), so only their shapes count.
//!
//! A class that answered "No Instance(s) Available." is evidence only where the query had the
//! rights to see instances: `Win32_Tpm` needs administrator rights, so an empty answer says "no
//! TPM" only when the run was elevated.

use super::text::{self, squash};
use super::values;
use super::Hotfixes;
use crate::facts::inventory::{
    Cpu, Disk, Display, Firmware, GraphicsAdapter, Host, Inventory, License, Media, Memory, Os,
    OsFamily, PartitionStyle, Program, Storage, Tpm, Volume,
};
use std::collections::BTreeMap;

/// The WMI classes w7plan reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Class {
    OperatingSystem,
    ComputerSystem,
    Bios,
    BaseBoard,
    Processor,
    PhysicalMemory,
    DiskDrive,
    LogicalDisk,
    DiskPartition,
    VideoController,
    Tpm,
    /// `Win32_PnPEntity where Service='TPM'`: the TPM's device entry, which any user may read.
    TpmDevice,
    SoftwareLicensingProduct,
    QuickFixEngineering,
    /// `Win32_Volume`: every volume, with or without a drive letter.
    Volume,
    /// `Win32_Product`: the programs Windows Installer installed (`wmic product`).
    Product,
    /// `Win32_PhysicalMemoryArray`: the memory slots the firmware lists.
    PhysicalMemoryArray,
}

impl Class {
    /// The class of a WMI class name (`Win32_BIOS`, `win32_processor`), as PowerShell's
    /// `Get-CimInstance` output names it; `None` for a class w7plan does not read.
    pub fn from_wmi_name(name: &str) -> Option<Class> {
        let name = name.trim().to_ascii_lowercase();
        Some(match name.strip_prefix("win32_").unwrap_or(&name) {
            "operatingsystem" => Class::OperatingSystem,
            "computersystem" => Class::ComputerSystem,
            "bios" => Class::Bios,
            "baseboard" => Class::BaseBoard,
            "processor" => Class::Processor,
            "physicalmemory" => Class::PhysicalMemory,
            "diskdrive" => Class::DiskDrive,
            "logicaldisk" => Class::LogicalDisk,
            "diskpartition" => Class::DiskPartition,
            "videocontroller" => Class::VideoController,
            "tpm" => Class::Tpm,
            "softwarelicensingproduct" => Class::SoftwareLicensingProduct,
            "quickfixengineering" => Class::QuickFixEngineering,
            "volume" => Class::Volume,
            "product" => Class::Product,
            "physicalmemoryarray" => Class::PhysicalMemoryArray,
            _ => return None,
        })
    }
}

/// Properties that name a class (weight 2) or point to it (weight 1).
const SIGNATURES: &[(Class, &[&str], &[&str])] = &[
    (
        Class::OperatingSystem,
        &[
            "BuildNumber",
            "OSArchitecture",
            "CSDVersion",
            "ServicePackMajorVersion",
            "TotalVisibleMemorySize",
            "SystemDrive",
            "OSLanguage",
            "OperatingSystemSKU",
            "DataExecutionPrevention_Available",
            "MUILanguages",
            "LastBootUpTime",
            "LocalDateTime",
            "FreePhysicalMemory",
        ],
        &["Caption", "Version", "InstallDate", "SerialNumber"],
    ),
    (
        Class::ComputerSystem,
        &[
            "TotalPhysicalMemory",
            "PCSystemType",
            "PartOfDomain",
            "SystemType",
            "Workgroup",
            "UserName",
            "NumberOfProcessors",
            "Domain",
        ],
        &["Model", "Manufacturer", "Name", "NumberOfLogicalProcessors"],
    ),
    (
        Class::Bios,
        &[
            "SMBIOSBIOSVersion",
            "ReleaseDate",
            "BIOSVersion",
            "SMBIOSMajorVersion",
            "SMBIOSPresent",
        ],
        &["SerialNumber", "Manufacturer", "Version"],
    ),
    (
        Class::BaseBoard,
        &["Product", "HostingBoard", "HotSwappable"],
        &["SerialNumber", "Manufacturer", "Version"],
    ),
    (
        Class::Processor,
        &[
            "NumberOfCores",
            "MaxClockSpeed",
            "AddressWidth",
            "DataWidth",
            "ProcessorId",
            "L2CacheSize",
            "CurrentClockSpeed",
            "Level",
        ],
        &[
            "Name",
            "Manufacturer",
            "Revision",
            "Architecture",
            "NumberOfLogicalProcessors",
        ],
    ),
    (
        Class::PhysicalMemory,
        &[
            "Capacity",
            "BankLabel",
            "DeviceLocator",
            "MemoryType",
            "FormFactor",
            "ConfiguredClockSpeed",
        ],
        &["Speed", "PartNumber"],
    ),
    (
        Class::DiskDrive,
        &[
            "InterfaceType",
            "BytesPerSector",
            "Partitions",
            "TotalSectors",
            "FirmwareRevision",
            "MediaLoaded",
        ],
        &["Model", "Index", "MediaType", "Size"],
    ),
    (
        Class::LogicalDisk,
        &[
            "FreeSpace",
            "DriveType",
            "FileSystem",
            "VolumeName",
            "VolumeSerialNumber",
        ],
        &["DeviceID", "Size", "MediaType"],
    ),
    (
        Class::DiskPartition,
        &[
            "DiskIndex",
            "BootPartition",
            "PrimaryPartition",
            "StartingOffset",
            "Bootable",
        ],
        &["Type", "Index", "Size"],
    ),
    (
        Class::VideoController,
        &[
            "DriverVersion",
            "CurrentHorizontalResolution",
            "CurrentVerticalResolution",
            "AdapterRAM",
            "VideoProcessor",
            "AdapterCompatibility",
            "VideoModeDescription",
        ],
        &["Name"],
    ),
    (
        Class::Tpm,
        &[
            "SpecVersion",
            "IsEnabled_InitialValue",
            "IsActivated_InitialValue",
            "IsOwned_InitialValue",
            "ManufacturerVersion",
            "ManufacturerId",
        ],
        &[],
    ),
    // Name/DeviceID/Status say nothing alone; the DeviceID's value names it (value_hint).
    (Class::TpmDevice, &[], &["Name", "DeviceID", "Status"]),
    (
        Class::SoftwareLicensingProduct,
        &[
            "PartialProductKey",
            "LicenseStatus",
            "ApplicationID",
            "LicenseFamily",
            "ProductKeyID",
            "GracePeriodRemaining",
        ],
        &["Description"],
    ),
    (
        Class::QuickFixEngineering,
        &[
            "HotFixID",
            "InstalledOn",
            "FixComments",
            "ServicePackInEffect",
            "InstalledBy",
        ],
        &[],
    ),
    (
        Class::Volume,
        &[
            "DriveLetter",
            "Capacity",
            "BootVolume",
            "SystemVolume",
            "BlockSize",
            "Automount",
            "PageFilePresent",
        ],
        &["FreeSpace", "FileSystem", "Label", "DeviceID"],
    ),
    (
        Class::Product,
        &[
            "IdentifyingNumber",
            "PackageCache",
            "InstallLocation",
            "LocalPackage",
            "PackageCode",
            "InstallSource",
            "Vendor",
        ],
        &["Name", "Version", "InstallDate"],
    ),
    (
        Class::PhysicalMemoryArray,
        &["MemoryDevices", "MaxCapacity", "MemoryErrorCorrection"],
        &["Use", "Location"],
    ),
];

/// One instance: its properties in the order printed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Record(pub Vec<(String, String)>);

impl Record {
    /// A property's value, by case-insensitive name; `None` when absent or empty.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    }

    fn number(&self, name: &str) -> Option<u64> {
        self.get(name).and_then(|v| v.trim().parse().ok())
    }

    fn number32(&self, name: &str) -> Option<u32> {
        self.number(name).and_then(|n| u32::try_from(n).ok())
    }

    fn boolean(&self, name: &str) -> Option<bool> {
        match self.get(name)?.to_ascii_uppercase().as_str() {
            "TRUE" => Some(true),
            "FALSE" => Some(false),
            _ => None,
        }
    }

    fn text(&self, name: &str) -> Option<String> {
        self.get(name).map(squash).filter(|v| !v.is_empty())
    }
}

/// What a wmic output held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// Instances (possibly none parsed, if the text was only a header).
    Records,
    /// "No Instance(s) Available." (in any language).
    NoInstances,
    /// An error message instead of output (invalid namespace, access denied, Wine's
    /// "Invalid query"…).
    Error(String),
    /// Nothing wmic-like.
    Unrecognized,
}

/// One wmic output, split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    pub class: Option<Class>,
    pub status: Status,
    pub records: Vec<Record>,
}

/// Whether the text is wmic output, and in which form.
pub fn sniff(text: &str) -> Option<super::Format> {
    let output = parse(text);
    if output.status != Status::Records || output.records.is_empty() {
        return None;
    }
    let keys: Vec<&str> = output.records[0]
        .0
        .iter()
        .map(|(k, _)| k.as_str())
        .collect();
    // WMI property names are CamelCase; a manifest or INI file's keys are not.
    let camel = keys
        .iter()
        .filter(|k| k.starts_with(|c: char| c.is_ascii_uppercase()))
        .count();
    if camel * 2 < keys.len() || keys.is_empty() {
        return None;
    }
    Some(if is_list(text) {
        super::Format::WmicList
    } else {
        super::Format::WmicTable
    })
}

fn is_property_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && s.len() <= 64
}

fn key_value(line: &str) -> Option<(&str, &str)> {
    // `Description = Invalid namespace` (an error message) has spaces around its `=`; a
    // property line never does.
    let (key, value) = line.split_once('=')?;
    is_property_name(key).then_some((key, value))
}

fn is_list(text: &str) -> bool {
    text::lines(text).any(|l| key_value(l.trim_start()).is_some())
}

/// A listing of a superclass (`wmic path CIM_LogicalDevice get /format:list`) holds instances of
/// many classes, each naming its own in `CreationClassName`: the classes w7plan reads, split into
/// one output each. `None` unless the records name at least two classes, one of them read.
pub fn split_by_instance_class(output: &Output) -> Option<Vec<Output>> {
    let names: BTreeMap<String, Vec<&Record>> =
        output.records.iter().fold(BTreeMap::new(), |mut by, r| {
            if let Some(name) = r.get("CreationClassName") {
                by.entry(name.to_ascii_lowercase()).or_default().push(r);
            }
            by
        });
    if names.len() < 2 {
        return None;
    }
    let mut by_class: BTreeMap<Class, Vec<Record>> = BTreeMap::new();
    for (name, records) in names {
        if let Some(class) = Class::from_wmi_name(&name) {
            by_class
                .entry(class)
                .or_default()
                .extend(records.into_iter().cloned());
        }
    }
    (!by_class.is_empty()).then(|| {
        by_class
            .into_iter()
            .map(|(class, records)| Output {
                class: Some(class),
                status: Status::Records,
                records,
            })
            .collect()
    })
}

/// Splits a wmic output; the class is told from its content.
pub fn parse(text: &str) -> Output {
    parse_as(text, None)
}

/// Splits a wmic output; `hint` is the class the command asked for, used when the properties
/// alone do not tell.
pub fn parse_as(text: &str, hint: Option<Class>) -> Output {
    let nonblank: Vec<&str> = text::lines(text)
        .map(str::trim_end)
        .filter(|l| !l.trim().is_empty())
        .collect();
    let records = if is_list(text) {
        parse_list(text)
    } else if is_table(&nonblank) {
        parse_table(&nonblank)
    } else {
        Vec::new()
    };
    let status = if !records.is_empty() {
        Status::Records
    } else if nonblank.is_empty() {
        Status::Error("the output is empty".to_string())
    } else if is_no_instances(&nonblank.join(" ")) {
        Status::NoInstances
    } else if let Some(message) = super::tool_error(text) {
        Status::Error(message)
    } else {
        Status::Unrecognized
    };
    let class = classify(&records).or(hint);
    Output {
        class,
        status,
        records,
    }
}

fn is_no_instances(text: &str) -> bool {
    let lower = text.to_lowercase();
    [
        "no instance(s) available",
        "no instances available",
        "aucune instance",
        "keine instanz",
        "no hay instancias",
        "nessuna istanza",
        "nenhuma instância",
        "geen exemplaren",
        "brak dostępnych wystąpień",
        "нет доступных экземпляров",
        "žádné instance",
        "没有可用的范例",
    ]
    .iter()
    .any(|p| lower.contains(p))
}

fn parse_list(text: &str) -> Vec<Record> {
    let mut records = Vec::new();
    let mut current = Record::default();
    for line in text::lines(text) {
        let line = line.trim_start_matches('\u{feff}');
        if line.trim().is_empty() {
            if !current.0.is_empty() {
                records.push(std::mem::take(&mut current));
            }
            continue;
        }
        if let Some((key, value)) = key_value(line.trim_start()) {
            current.0.push((
                key.to_string(),
                text::html_unescape(value.trim_end()).into_owned(),
            ));
        }
    }
    if !current.0.is_empty() {
        records.push(current);
    }
    records
}

fn is_table_header(line: &str) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    !words.is_empty()
        && words.iter().all(|w| is_property_name(w))
        && words
            .iter()
            .any(|w| w.starts_with(|c: char| c.is_ascii_uppercase()))
}

/// Whether the lines are a wmic table: a header of property names, each column padded to at
/// least two spaces past its widest cell, and rows whose cells start under their header word. Free
/// text (a licence's `MIT License` over its paragraphs) is not: its words are one space apart and
/// its lines run across the would-be columns. A one-column table's header must be a property
/// w7plan knows, since a lone capitalized word says nothing.
fn is_table(lines: &[&str]) -> bool {
    let Some(header) = lines.first() else {
        return false;
    };
    if !is_table_header(header) || lines.len() < 2 {
        return false;
    }
    let header = header.trim_start_matches('\u{feff}');
    let starts = column_starts(header);
    if starts.len() == 1 {
        let name = header.trim();
        return SIGNATURES.iter().any(|(_, strong, weak)| {
            strong
                .iter()
                .chain(weak.iter())
                .any(|p| p.eq_ignore_ascii_case(name))
        });
    }
    let chars: Vec<char> = header.chars().collect();
    let padded = starts[1..]
        .iter()
        .all(|&start| start >= 2 && chars[start - 1] == ' ' && chars[start - 2] == ' ');
    // wmic pads by console cells, so a row holding wide (CJK) characters lines up by width.
    let aligned = |row: &str, start: usize| {
        let by_chars = row.chars().nth(start - 1).is_none_or(char::is_whitespace);
        let (before, _) = text::split_at_width(row, start);
        by_chars || before.chars().last().is_none_or(char::is_whitespace)
    };
    padded
        && lines[1..]
            .iter()
            .all(|row| starts[1..].iter().all(|&start| aligned(row, start)))
}

/// Where each word of a table header starts, in characters.
fn column_starts(header: &str) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut previous_blank = true;
    for (i, c) in header.chars().enumerate() {
        if !c.is_whitespace() && previous_blank {
            starts.push(i);
        }
        previous_blank = c.is_whitespace();
    }
    starts
}

/// Table form: the header's words start the columns; each row is cut at those columns.
fn parse_table(lines: &[&str]) -> Vec<Record> {
    let Some(header) = lines.first() else {
        return Vec::new();
    };
    let header: Vec<char> = header.chars().collect();
    let mut columns: Vec<(usize, String)> = Vec::new();
    let mut i = 0;
    while i < header.len() {
        if header[i].is_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        while i < header.len() && !header[i].is_whitespace() {
            i += 1;
        }
        columns.push((start, header[start..i].iter().collect()));
    }
    lines[1..]
        .iter()
        .map(|row| {
            let chars: Vec<char> = row.chars().collect();
            Record(
                columns
                    .iter()
                    .enumerate()
                    .map(|(n, (start, name))| {
                        let end = columns.get(n + 1).map_or(chars.len(), |(s, _)| *s);
                        let lo = (*start).min(chars.len());
                        let hi = end.min(chars.len()).max(lo);
                        let cell: String = chars[lo..hi].iter().collect();
                        (name.clone(), cell.trim().to_string())
                    })
                    .collect(),
            )
        })
        .collect()
}

/// Properties of look-alike classes that rule a class out (`Win32_Volume` has `FreeSpace` and
/// `DriveType` too, but also `DriveLetter` and `Capacity`).
const NOT_THESE: &[(Class, &[&str])] = &[
    (Class::LogicalDisk, &["DriveLetter", "Capacity"]),
    (
        Class::PhysicalMemory,
        &["DriveLetter", "FileSystem", "MaxCapacity"],
    ),
    (Class::BaseBoard, &["MaxCapacity", "MemoryDevices"]),
    // `Win32_EncryptableVolume` (BitLocker) has `DriveLetter` but no size.
    (
        Class::Volume,
        &["ProtectionStatus", "EncryptionMethod", "ConversionStatus"],
    ),
];

/// The class whose properties the records have most of; at least one property (or value) must
/// name it, so a class w7plan does not read is not taken for one it does.
fn classify(records: &[Record]) -> Option<Class> {
    let first = records.first()?;
    let mut best: Option<(u32, Class)> = None;
    for (class, strong, weak) in SIGNATURES {
        let excluded = NOT_THESE
            .iter()
            .any(|(c, keys)| c == class && keys.iter().any(|k| first.get(k).is_some()));
        if excluded {
            continue;
        }
        let mut score = 0u32;
        let mut named = false;
        for (key, _) in &first.0 {
            if strong.iter().any(|s| s.eq_ignore_ascii_case(key)) {
                score += 2;
                named = true;
            } else if weak.iter().any(|s| s.eq_ignore_ascii_case(key)) {
                score += 1;
            }
        }
        let hint = value_hint(*class, first);
        named |= hint > 0;
        score += hint;
        if named && best.is_none_or(|(s, _)| score > s) {
            best = Some((score, *class));
        }
    }
    best.map(|(_, c)| c).or_else(|| {
        // `wmic product get name,version`: the two properties alone name no class, but no
        // other class w7plan reads is asked for by them alone.
        let mut keys: Vec<String> = first
            .0
            .iter()
            .map(|(k, _)| k.to_ascii_lowercase())
            .collect();
        keys.sort();
        (keys == ["name", "version"]).then_some(Class::Product)
    })
}

/// A few values name their class: `DeviceID` is `C:` for a volume, `\\.\PHYSICALDRIVE0` for a
/// disk, `CPU0` for a processor, `Disk #0, Partition #1` for a partition.
fn value_hint(class: Class, record: &Record) -> u32 {
    let Some(id) = record.get("DeviceID") else {
        return 0;
    };
    let upper = id.to_ascii_uppercase();
    let matches = match class {
        Class::LogicalDisk => upper.len() == 2 && upper.ends_with(':'),
        Class::DiskDrive => upper.contains("PHYSICALDRIVE"),
        Class::Processor => upper.starts_with("CPU"),
        Class::DiskPartition => upper.starts_with("DISK #"),
        // The ACPI ids of a TPM 1.2 (PNP0C31) and a TPM 2.0 (MSFT0101).
        Class::TpmDevice => {
            upper.starts_with("ACPI\\") && (upper.contains("PNP0C31") || upper.contains("MSFT0101"))
        }
        _ => false,
    };
    if matches {
        3
    } else {
        0
    }
}

/// The Windows product in `SoftwareLicensingProduct` (the Office products have other IDs).
pub const WINDOWS_APPLICATION_ID: &str = "55c92734-d682-4d71-983e-d6ec3f16059f";

/// The licence channel in a `SoftwareLicensingProduct.Description` such as
/// "Windows Operating System - Windows(R) 7, OEM_SLP channel": the token between the last comma
/// and " channel", in the inventory's words (Retail, OEM:SLP, OEM:NONSLP, OEM:DM, Volume:MAK,
/// Volume:GVLK). `None` for a channel outside that list (e.g. TIMEBASED_EVAL).
pub fn channel_from_description(description: &str) -> Option<&'static str> {
    // The licence module owns the token → channel mapping; the inventory stores its id.
    crate::vocab::licence::channel_from_description(description).map(crate::vocab::Channel::id)
}

/// `SoftwareLicensingProduct.LicenseStatus` in words.
pub fn license_status(code: u32) -> Option<&'static str> {
    Some(match code {
        0 => "unlicensed",
        1 => "licensed",
        2 => "oob-grace",
        3 => "oot-grace",
        4 => "non-genuine-grace",
        5 => "notification",
        6 => "extended-grace",
        _ => return None,
    })
}

/// The hotfixes of a `Win32_QuickFixEngineering` output.
pub fn hotfixes(output: &Output) -> Option<Hotfixes> {
    (output.class == Some(Class::QuickFixEngineering) && output.status == Status::Records).then(
        || Hotfixes {
            reported: None,
            listed: output
                .records
                .iter()
                .filter_map(|r| r.get("HotFixID"))
                .map(str::to_string)
                .collect(),
        },
    )
}

/// Maps the outputs (one per class, as collect.cmd writes them) onto one inventory fragment.
/// `elevated` says whether the queries ran as administrator, where known.
pub fn to_inventory(outputs: &[Output], elevated: Option<bool>) -> Inventory {
    let found = Found::new(outputs, elevated);
    let mut notes: Vec<String> = Vec::new();
    let (graphics, display) = graphics(&found);
    let mut inv = Inventory {
        collected_at: collected_at(&found),
        host: host(&found),
        os: os(&found),
        cpu: cpu(&found),
        memory: memory(&found, &mut notes),
        firmware: firmware(&found),
        storage: storage(&found, &mut notes),
        graphics,
        display,
        ..Inventory::default()
    };
    inv.tpm = tpm(&found, &mut notes);
    inv.license = license(&found, &mut notes);
    inv.software = software(&found);
    inv.notes = notes;
    inv
}

/// The records of each class that answered, and the status of each class that answered none.
struct Found<'a> {
    by_class: BTreeMap<Class, Vec<&'a Record>>,
    empty: BTreeMap<Class, &'a Status>,
    elevated: Option<bool>,
}

impl<'a> Found<'a> {
    fn new(outputs: &'a [Output], elevated: Option<bool>) -> Found<'a> {
        let mut by_class: BTreeMap<Class, Vec<&Record>> = BTreeMap::new();
        let mut empty: BTreeMap<Class, &Status> = BTreeMap::new();
        for output in outputs {
            let Some(class) = output.class else { continue };
            match output.status {
                Status::Records => by_class
                    .entry(class)
                    .or_default()
                    .extend(output.records.iter()),
                ref status => {
                    empty.insert(class, status);
                }
            }
        }
        Found {
            by_class,
            empty,
            elevated,
        }
    }

    fn first(&self, class: Class) -> Option<&'a Record> {
        self.by_class.get(&class).and_then(|r| r.first().copied())
    }

    fn all(&self, class: Class) -> Vec<&'a Record> {
        self.by_class.get(&class).cloned().unwrap_or_default()
    }
}

/// When the data was collected, from the OS's clock.
fn collected_at(found: &Found<'_>) -> Option<String> {
    found
        .first(Class::OperatingSystem)?
        .get("LocalDateTime")
        .and_then(text::cim_datetime)
        .and_then(|t| t.utc)
}

fn host(found: &Found<'_>) -> Option<Host> {
    let cs = found.first(Class::ComputerSystem);
    let bios = found.first(Class::Bios);
    let board = found.first(Class::BaseBoard);
    let mut host = Host::default();
    if let Some(cs) = cs {
        host.name = cs.text("Name");
        host.manufacturer = cs
            .text("Manufacturer")
            .filter(|v| !values::is_placeholder(v));
        host.model = cs.text("Model").filter(|v| !values::is_placeholder(v));
        host.chassis = cs
            .number32("PCSystemType")
            .and_then(values::chassis_from_pc_system_type);
    }
    if let Some(os) = found.first(Class::OperatingSystem) {
        host.name = host.name.or_else(|| os.text("CSName"));
    }
    if let Some(board) = board {
        // A self-built PC names its maker only on the board.
        host.manufacturer = host.manufacturer.or_else(|| {
            board
                .text("Manufacturer")
                .filter(|v| !values::is_placeholder(v))
        });
        host.model = host
            .model
            .or_else(|| board.text("Product").filter(|v| !values::is_placeholder(v)));
    }
    host.serial = bios
        .and_then(|b| b.text("SerialNumber"))
        .or_else(|| board.and_then(|b| b.text("SerialNumber")))
        .filter(|v| !values::is_placeholder(v));
    (host != Host::default()).then_some(host)
}

/// The OS, its width from the computer system when the OS does not give it, and the number of
/// updates installed.
fn os(found: &Found<'_>) -> Option<Os> {
    let mut os = found.first(Class::OperatingSystem).map(|r| {
        let mut os = Os {
            family: Some(OsFamily::Windows),
            name: r.text("Caption"),
            ..Os::default()
        };
        os.edition = r
            .number32("OperatingSystemSKU")
            .and_then(values::edition_from_sku)
            .map(str::to_string)
            .or_else(|| os.name.as_deref().and_then(values::edition_from_name));
        if let Some(version) = r.get("Version") {
            let mut parts = version.split('.');
            if let (Some(major), Some(minor)) = (parts.next(), parts.next()) {
                os.version = Some(format!("{major}.{minor}"));
            }
            os.build = parts.next().and_then(|b| b.parse().ok());
        }
        os.build = r.number32("BuildNumber").or(os.build);
        os.service_pack = r.number32("ServicePackMajorVersion").or_else(|| {
            r.0.iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("CSDVersion"))
                .map(|(_, v)| values::parse_service_pack(v).unwrap_or(0))
        });
        os.arch = r
            .get("OSArchitecture")
            .and_then(values::arch_from_os_architecture);
        os.language = r
            .number32("OSLanguage")
            .and_then(values::language_from_lcid)
            .map(str::to_string)
            .or_else(|| {
                r.get("MUILanguages").and_then(|v| {
                    v.trim_matches(['{', '}'])
                        .split(',')
                        .next()
                        .map(|l| l.trim().trim_matches('"').to_string())
                        .filter(|l| !l.is_empty())
                })
            });
        os.installed_on = r
            .get("InstallDate")
            .and_then(text::cim_datetime)
            .map(|t| t.date);
        os
    });
    if os.as_ref().is_none_or(|os| os.arch.is_none()) {
        let cs = found.first(Class::ComputerSystem);
        if let Some(arch) = cs
            .and_then(|cs| cs.get("SystemType"))
            .and_then(values::arch_from_system_type)
        {
            os.get_or_insert_with(Os::default).arch = Some(arch);
        }
    }
    let qfe = found.all(Class::QuickFixEngineering);
    if !qfe.is_empty() {
        let count = qfe.iter().filter(|r| r.get("HotFixID").is_some()).count();
        os.get_or_insert_with(Os::default).hotfix_count = u32::try_from(count).ok();
    }
    os
}

/// The processor, with the instruction features the OS's settings prove.
fn cpu(found: &Found<'_>) -> Option<Cpu> {
    let mut cpu = Cpu::default();
    if let Some(r) = found.first(Class::OperatingSystem) {
        let mut features = BTreeMap::new();
        // DEP available means the CPU has NX (and Windows uses it); FALSE may only mean NX is
        // switched off in the firmware, so it says nothing.
        if r.boolean("DataExecutionPrevention_Available") == Some(true) {
            features.insert("nx".to_string(), true);
        }
        if r.boolean("PAEEnabled") == Some(true) {
            features.insert("pae".to_string(), true);
        }
        if !features.is_empty() {
            cpu.features = Some(features);
        }
    }
    let processors = found.all(Class::Processor);
    if let Some(p) = processors.first() {
        cpu.brand = p.text("Name");
        cpu.vendor = p.text("Manufacturer");
        cpu.family = p.number32("Level");
        if let (Some(family), Some(revision)) = (cpu.family, p.number32("Revision")) {
            if let Some((model, stepping)) = values::model_stepping_from_revision(family, revision)
            {
                cpu.model = Some(model);
                cpu.stepping = Some(stepping);
            }
        }
        if let Some(caption) = p.get("Caption").or_else(|| p.get("Description")) {
            let (family, model, stepping) = values::parse_cpu_identifier(caption);
            cpu.family = cpu.family.or(family);
            cpu.model = cpu.model.or(model);
            cpu.stepping = cpu.stepping.or(stepping);
        }
        let sum = |name: &str| -> Option<u32> {
            processors
                .iter()
                .map(|r| r.number32(name))
                .sum::<Option<u32>>()
                .filter(|n| *n > 0)
        };
        cpu.cores = sum("NumberOfCores");
        cpu.logical_processors = sum("NumberOfLogicalProcessors");
        cpu.max_mhz = p.number32("MaxClockSpeed").filter(|m| *m > 0);
        cpu.address_width = p.number32("AddressWidth");
        cpu.data_width = p.number32("DataWidth");
        cpu.arch = p
            .number32("Architecture")
            .and_then(values::arch_from_processor_architecture);
    }
    if cpu.logical_processors.is_none() {
        cpu.logical_processors = found
            .first(Class::ComputerSystem)
            .and_then(|c| c.number32("NumberOfLogicalProcessors"));
    }
    (cpu != Cpu::default()).then_some(cpu)
}

/// The memory Windows can use, the installed modules' sum, and the slots.
fn memory(found: &Found<'_>, notes: &mut Vec<String>) -> Option<Memory> {
    let mut memory = Memory::default();
    if let Some(r) = found.first(Class::OperatingSystem) {
        memory.visible_bytes = r
            .number("TotalVisibleMemorySize")
            .and_then(|kib| kib.checked_mul(1024));
    }
    if let Some(cs) = found.first(Class::ComputerSystem) {
        // Bytes, where Win32_OperatingSystem rounds to KiB: both are what Windows can use.
        memory.visible_bytes = cs.number("TotalPhysicalMemory").or(memory.visible_bytes);
    }
    // The slots of the system memory arrays (`Use` 3; a video or flash array is not RAM).
    memory.slots = found
        .all(Class::PhysicalMemoryArray)
        .iter()
        .filter(|a| a.number32("Use").is_none_or(|u| u == 3))
        .map(|a| a.number32("MemoryDevices"))
        .sum::<Option<u32>>()
        .filter(|n| *n > 0);
    let modules = found.all(Class::PhysicalMemory);
    if !modules.is_empty() {
        let capacities: Option<Vec<u64>> = modules.iter().map(|m| m.number("Capacity")).collect();
        match capacities {
            Some(c) => memory.installed_bytes = c.into_iter().try_fold(0u64, u64::checked_add),
            None => notes.push(
                "Win32_PhysicalMemory: a module has no readable Capacity; installed memory is \
                 not summed"
                    .to_string(),
            ),
        }
    }
    (memory != Memory::default()).then_some(memory)
}

fn firmware(found: &Found<'_>) -> Option<Firmware> {
    let b = found.first(Class::Bios)?;
    Some(Firmware {
        vendor: b
            .text("Manufacturer")
            .filter(|v| !values::is_placeholder(v)),
        version: b.text("SMBIOSBIOSVersion").or_else(|| {
            b.text("BIOSVersion")
                .map(|v| v.trim_matches(['{', '}', '"']).to_string())
        }),
        date: b
            .get("ReleaseDate")
            .and_then(text::cim_datetime)
            .map(|t| t.date),
        ..Firmware::default()
    })
}

/// The system volume (the OS's system drive) and the system disk (the one holding the boot
/// partition).
fn storage(found: &Found<'_>, notes: &mut Vec<String>) -> Option<Storage> {
    let mut storage = Storage::default();
    let system_drive = found
        .first(Class::OperatingSystem)
        .and_then(|r| r.text("SystemDrive"));
    let volumes = found.all(Class::LogicalDisk);
    if !volumes.is_empty() {
        let letter = system_drive.clone().unwrap_or_else(|| "C:".to_string());
        if system_drive.is_none() {
            notes.push(
                "storage.system_volume: Win32_OperatingSystem.SystemDrive was not collected; C: \
                 is taken as the system drive"
                    .to_string(),
            );
        }
        match volumes.iter().find(|v| {
            v.get("DeviceID")
                .is_some_and(|d| d.eq_ignore_ascii_case(&letter))
        }) {
            Some(v) => {
                storage.system_volume = Some(Volume {
                    letter: Some(letter.to_ascii_uppercase()),
                    size_bytes: v.number("Size"),
                    free_bytes: v.number("FreeSpace"),
                    ..Volume::default()
                })
            }
            None => notes.push(format!(
                "storage.system_volume: Win32_LogicalDisk lists no {letter}"
            )),
        }
    }
    if storage.system_volume.is_none() {
        storage.system_volume = system_volume(found, system_drive.as_deref(), notes);
    }
    let disks = found.all(Class::DiskDrive);
    let partitions = found.all(Class::DiskPartition);
    let boot_disk = partitions
        .iter()
        .find(|p| p.boolean("BootPartition") == Some(true))
        .and_then(|p| p.number32("DiskIndex"));
    let system_index = boot_disk.or_else(|| {
        let fixed: Vec<&&Record> = disks
            .iter()
            .filter(|d| {
                d.get("MediaType")
                    .is_none_or(|m| m.to_ascii_lowercase().contains("fixed"))
            })
            .collect();
        match fixed.as_slice() {
            [only] => only.number32("Index"),
            [] if disks.is_empty() && !partitions.is_empty() => Some(0),
            [] => None,
            _ => {
                notes.push(
                    "storage.system_disk: several disks and no boot partition; disk 0 is taken \
                     as the system disk"
                        .to_string(),
                );
                Some(0)
            }
        }
    });
    if let Some(index) = system_index {
        let mut disk = Disk::default();
        if let Some(d) = disks.iter().find(|d| d.number32("Index") == Some(index)) {
            disk.size_bytes = d.number("Size");
            disk.model = d.text("Model");
            // Windows 7's WMI does not say SSD or HDD; a model that says SSD is one.
            if disk.model.as_deref().is_some_and(|m| {
                m.to_ascii_uppercase()
                    .split_whitespace()
                    .any(|w| w == "SSD")
            }) {
                disk.media = Some(Media::Ssd);
            }
        }
        let on_disk: Vec<&&Record> = partitions
            .iter()
            .filter(|p| p.number32("DiskIndex") == Some(index))
            .collect();
        if !on_disk.is_empty() {
            let gpt = on_disk.iter().any(|p| {
                p.get("Type")
                    .is_some_and(|t| t.trim_start().starts_with("GPT"))
            });
            disk.partition_style = Some(if gpt {
                PartitionStyle::Gpt
            } else {
                PartitionStyle::Mbr
            });
        }
        if disk != Disk::default() {
            storage.system_disk = Some(disk);
        }
    }
    (storage != Storage::default()).then_some(storage)
}

/// The system volume from `Win32_Volume`: the one with the OS's system drive letter, else the
/// one Windows booted from (`BootVolume`; WMI's `SystemVolume` is the partition holding the boot
/// files, e.g. "System Reserved", which is not it).
fn system_volume(
    found: &Found<'_>,
    system_drive: Option<&str>,
    notes: &mut Vec<String>,
) -> Option<Volume> {
    let volumes = found.all(Class::Volume);
    if volumes.is_empty() {
        return None;
    }
    let by_letter = |letter: &str| {
        volumes.iter().find(|v| {
            v.get("DriveLetter")
                .is_some_and(|d| d.eq_ignore_ascii_case(letter))
        })
    };
    let chosen = system_drive
        .and_then(by_letter)
        .or_else(|| {
            volumes
                .iter()
                .find(|v| v.boolean("BootVolume") == Some(true))
        })
        .or_else(|| {
            let c = by_letter("C:");
            if c.is_some() {
                notes.push(
                    "storage.system_volume: neither the system drive nor the boot volume was \
                     collected; C: is taken as the system drive"
                        .to_string(),
                );
            }
            c
        });
    let Some(v) = chosen else {
        notes.push("storage.system_volume: Win32_Volume lists no system volume".to_string());
        return None;
    };
    Some(Volume {
        letter: v.text("DriveLetter").map(|l| l.to_ascii_uppercase()),
        size_bytes: v.number("Capacity"),
        free_bytes: v.number("FreeSpace"),
        ..Volume::default()
    })
}

/// The programs `Win32_Product` lists (Windows Installer's only, so the list is partial), sorted
/// by name as the registry's list is.
fn software(found: &Found<'_>) -> Option<Vec<Program>> {
    let products = found.all(Class::Product);
    if products.is_empty() {
        return None;
    }
    let mut programs: Vec<Program> = products
        .iter()
        .filter_map(|r| {
            Some(Program {
                name: Some(r.text("Name")?),
                version: r.text("Version"),
                publisher: r.text("Vendor"),
                installed_on: r.get("InstallDate").and_then(yyyymmdd),
                arch: None,
            })
        })
        .collect();
    super::reg::sort_programs(&mut programs);
    Some(programs)
}

/// A `yyyyMMdd` date (Windows Installer's and the uninstall keys' `InstallDate`) as ISO.
pub(crate) fn yyyymmdd(d: &str) -> Option<String> {
    let d = d.trim();
    if d.len() != 8 || !d.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n = |r: std::ops::Range<usize>| d[r].parse::<u32>().ok();
    text::iso_date(n(0..4)?, n(4..6)?, n(6..8)?)
}

/// The graphics adapters (remote-desktop and mirror drivers left out) and the display of the
/// first with a resolution.
fn graphics(found: &Found<'_>) -> (Option<Vec<GraphicsAdapter>>, Option<Display>) {
    let adapters: Vec<&Record> = found
        .all(Class::VideoController)
        .into_iter()
        .filter(|r| {
            r.get("Name").is_some_and(|n| {
                !["RDPDD", "RDP Encoder", "Mirror Driver"]
                    .iter()
                    .any(|m| n.contains(m))
            })
        })
        .collect();
    if adapters.is_empty() {
        return (None, None);
    }
    let graphics: Vec<GraphicsAdapter> = adapters
        .iter()
        .map(|r| {
            let (vendor_id, device_id) = r.get("PNPDeviceID").map(pci_ids).unwrap_or_default();
            GraphicsAdapter {
                name: r.text("Name"),
                driver_version: r.text("DriverVersion"),
                vendor_id,
                device_id,
                driver_date: r
                    .get("DriverDate")
                    .and_then(text::cim_datetime)
                    .map(|t| t.date),
                ..GraphicsAdapter::default()
            }
        })
        .collect();
    let display = adapters.iter().find_map(|r| {
        match (
            r.number32("CurrentHorizontalResolution"),
            r.number32("CurrentVerticalResolution"),
        ) {
            (Some(w), Some(h)) if w > 0 && h > 0 => Some(Display {
                width: Some(w),
                height: Some(h),
            }),
            _ => None,
        }
    });
    (Some(graphics), display)
}

/// The TPM from Win32_Tpm, else from its device entry; what an empty answer means depends on
/// whether the query ran as administrator.
fn tpm(found: &Found<'_>, notes: &mut Vec<String>) -> Option<Tpm> {
    if let Some(t) = found.first(Class::Tpm) {
        return Some(Tpm {
            present: Some(true),
            version: t
                .get("SpecVersion")
                .and_then(|v| v.split(',').next())
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty()),
            enabled: t.boolean("IsEnabled_InitialValue"),
            activated: t.boolean("IsActivated_InitialValue"),
            ..Tpm::default()
        });
    }
    if let Some(device) = found.first(Class::TpmDevice) {
        // Without administrator rights Win32_Tpm answers nothing, but the device entry shows
        // the TPM exists, and its name or ACPI id its version (as WhyNotWin11 reads it).
        let id = device
            .get("DeviceID")
            .unwrap_or_default()
            .to_ascii_uppercase();
        let version = device
            .get("Name")
            .and_then(|name| {
                regex::Regex::new(r"\b(\d+\.\d+)\b")
                    .ok()?
                    .captures(name)
                    .map(|c| c[1].to_string())
            })
            .or_else(|| id.contains("MSFT0101").then(|| "2.0".to_string()))
            .or_else(|| id.contains("PNP0C31").then(|| "1.2".to_string()));
        notes.push(
            "tpm: read from the TPM's device entry (Win32_PnPEntity); Win32_Tpm, run as \
             administrator, also tells whether it is activated"
                .to_string(),
        );
        // The device's Status says whether its driver runs, not whether the TPM is enabled
        // and activated: those stay unknown.
        return Some(Tpm {
            present: Some(true),
            version,
            ..Tpm::default()
        });
    }
    if matches!(
        found.empty.get(&Class::TpmDevice),
        Some(Status::NoInstances)
    ) {
        notes.push(
            "tpm: Windows shows no TPM device (Win32_PnPEntity): there is none, it is \
             switched off in the firmware, or Windows 7 has no driver for it"
                .to_string(),
        );
    }
    let elevated = found.elevated;
    match (found.empty.get(&Class::Tpm), elevated) {
        (Some(Status::NoInstances), Some(true)) => {
            notes.push(
                "tpm: Win32_Tpm has no instance although the query ran as administrator: no \
                 TPM, or it is disabled in the firmware"
                    .to_string(),
            );
            return Some(Tpm {
                present: Some(false),
                ..Tpm::default()
            });
        }
        (Some(Status::NoInstances), _) => notes.push(
            "tpm: Win32_Tpm needs administrator rights; run elevated for TPM facts".to_string(),
        ),
        (Some(Status::Error(message)), _) => notes.push(format!(
            "tpm: the Win32_Tpm query failed ({message}); the TPM is unknown{}",
            if elevated == Some(true) {
                ""
            } else {
                " (it needs administrator rights)"
            }
        )),
        _ => {}
    }
    None
}

/// The licence: the product id from the OS, the rest from the Windows licensing product.
fn license(found: &Found<'_>, notes: &mut Vec<String>) -> Option<License> {
    let mut license = found
        .first(Class::OperatingSystem)
        .and_then(|r| r.text("SerialNumber"))
        .map(|serial| License {
            product_id: Some(serial),
            ..License::default()
        });
    if let Some(product) = windows_license(&found.all(Class::SoftwareLicensingProduct)) {
        let license = license.get_or_insert_with(License::default);
        license.description = product.text("Description");
        license.channel = license
            .description
            .as_deref()
            .and_then(channel_from_description)
            .map(str::to_string);
        license.partial_key = product.text("PartialProductKey");
        license.status = product
            .number32("LicenseStatus")
            .and_then(license_status)
            .map(str::to_string);
        if license.channel.is_none() {
            if let Some(d) = &license.description {
                notes.push(format!(
                    "license.channel: the licence description `{d}` names no known channel"
                ));
            }
        }
    } else {
        match found.empty.get(&Class::SoftwareLicensingProduct) {
            Some(Status::Error(message)) => notes.push(format!(
                "license: the SoftwareLicensingProduct query failed ({message})"
            )),
            Some(Status::NoInstances) => notes.push(
                "license: SoftwareLicensingProduct lists no Windows licence with a key installed"
                    .to_string(),
            ),
            _ => {}
        }
    }
    license
}

/// The Windows licence among the licensing products: the Windows application ID with a key
/// installed, the licensed one first.
fn windows_license<'a>(products: &[&'a Record]) -> Option<&'a Record> {
    let windows: Vec<&Record> = products
        .iter()
        .copied()
        .filter(|p| p.get("PartialProductKey").is_some())
        .filter(|p| match p.get("ApplicationID") {
            Some(id) => id
                .trim_matches(['{', '}'])
                .eq_ignore_ascii_case(WINDOWS_APPLICATION_ID),
            None => {
                let text = format!(
                    "{} {}",
                    p.get("Name").unwrap_or(""),
                    p.get("Description").unwrap_or("")
                );
                text.contains("Windows") && !text.contains("Office")
            }
        })
        .collect();
    windows
        .iter()
        .find(|p| p.number32("LicenseStatus") == Some(1))
        .or(windows.first())
        .copied()
}

/// The PCI vendor and device ids of a Plug and Play device id such as
/// `PCI\VEN_8086&DEV_0152&SUBSYS_...`, as four upper-case hex digits each; none for a device
/// not on PCI (a remote-desktop or mirror driver's `ROOT\...`).
pub(crate) fn pci_ids(pnp: &str) -> (Option<String>, Option<String>) {
    let mut parts = pnp.trim().split('\\');
    if !parts
        .next()
        .is_some_and(|bus| bus.eq_ignore_ascii_case("PCI"))
    {
        return (None, None);
    }
    let Some(ids) = parts.next() else {
        return (None, None);
    };
    let field = |prefix: &str| {
        ids.split('&').find_map(|part| {
            let (key, value) = part.split_once('_')?;
            (key.eq_ignore_ascii_case(prefix)
                && value.len() == 4
                && value.bytes().all(|b| b.is_ascii_hexdigit()))
            .then(|| value.to_ascii_uppercase())
        })
    };
    (field("VEN"), field("DEV"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::inventory::Arch;

    #[test]
    fn list_records_and_classes() {
        let text = "\r\n\r\nAddressWidth=64\r\nArchitecture=9\r\nCaption=Intel64 Family 6 Model 58 Stepping 9\r\nDataWidth=64\r\nLevel=6\r\nManufacturer=GenuineIntel\r\nMaxClockSpeed=3201\r\nName=Intel(R) Core(TM) i5-3470 CPU @ 3.20GHz\r\nNumberOfCores=4\r\nNumberOfLogicalProcessors=4\r\nRevision=14857\r\n\r\n\r\n";
        let out = parse(text);
        assert_eq!(out.class, Some(Class::Processor));
        assert_eq!(out.records.len(), 1);
        let inv = to_inventory(&[out], None);
        let cpu = inv.cpu.unwrap();
        assert_eq!(
            (cpu.family, cpu.model, cpu.stepping),
            (Some(6), Some(58), Some(9))
        );
        assert_eq!(cpu.arch, Some(Arch::X64));
        assert_eq!(
            cpu.brand.as_deref(),
            Some("Intel(R) Core(TM) i5-3470 CPU @ 3.20GHz")
        );
        assert_eq!(sniff(text), Some(super::super::Format::WmicList));
    }

    #[test]
    fn table_form_as_wine_prints_it() {
        let text = "Description      HotFixID   InstalledOn  \r\nUpdate           KB2849697  5/22/2015    \r\nSecurity Update  KB4467107  11/14/2018   \r\n";
        let out = parse(text);
        assert_eq!(out.class, Some(Class::QuickFixEngineering));
        assert_eq!(out.records[1].get("Description"), Some("Security Update"));
        assert_eq!(out.records[1].get("HotFixID"), Some("KB4467107"));
        assert_eq!(hotfixes(&out).unwrap().listed.len(), 2);
        assert_eq!(sniff(text), Some(super::super::Format::WmicTable));
    }

    #[test]
    fn pci_ids_are_read_from_the_plug_and_play_id() {
        assert_eq!(
            pci_ids("PCI\\VEN_8086&DEV_3E92&SUBSYS_085A1028&REV_00\\3&11583659&0&10"),
            (Some("8086".into()), Some("3E92".into()))
        );
        assert_eq!(
            pci_ids("pci\\ven_10de&dev_1c82&subsys_00000000"),
            (Some("10DE".into()), Some("1C82".into()))
        );
        assert_eq!(pci_ids("ROOT\\DISPLAY\\0000"), (None, None));
        assert_eq!(pci_ids("PCI\\VEN_80&DEV_XYZW"), (None, None));
        assert_eq!(pci_ids(""), (None, None));
    }

    #[test]
    fn a_video_controller_gives_its_pci_ids_and_driver_date() {
        let inv = to_inventory(&[parse(
            "AdapterCompatibility=(Standard display types)\r\nDriverDate=20060621000000.000000-000\r\n\
             DriverVersion=6.1.7600.16385\r\nName=Standard VGA Graphics Adapter\r\n\
             PNPDeviceID=PCI\\VEN_8086&amp;DEV_5912&amp;SUBSYS_86941043&amp;REV_04\\3&amp;11583659&amp;0&amp;10\r\n\
             VideoProcessor=\r\n",
        )], None);
        let adapter = &inv.graphics.unwrap()[0];
        assert_eq!(
            adapter.name.as_deref(),
            Some("Standard VGA Graphics Adapter")
        );
        assert_eq!(adapter.vendor_id.as_deref(), Some("8086"));
        assert_eq!(adapter.device_id.as_deref(), Some("5912"));
        assert_eq!(adapter.driver_date.as_deref(), Some("2006-06-21"));
    }

    #[test]
    fn tables_need_wmic_alignment() {
        // Free text whose first line looks like two property names.
        let licence =
            "MIT License\r\n\r\nCopyright (c) 2019 Someone\r\nPermission is hereby granted\r\n";
        assert_eq!(parse(licence).status, Status::Unrecognized);
        assert_eq!(sniff(licence), None);
        assert_eq!(sniff("README\r\nThis folder holds samples.\r\n"), None);
        // A lone column is a table when its header is a property w7plan knows.
        let qfe = parse("HotFixID   \r\nKB2849697  \r\nKB4467107  \r\n");
        assert_eq!(qfe.class, Some(Class::QuickFixEngineering));
        // Rows holding wide characters line up by console cells.
        let product = parse(
            "Name              Version   \r\n\u{4e2d}\u{6587}\u{8f93}\u{5165}\u{6cd5}        1.0       \r\nAltServer         1.6.1     \r\n",
        );
        assert_eq!(product.class, Some(Class::Product));
        assert_eq!(product.records.len(), 2);
        let inv = to_inventory(&[product], None);
        assert_eq!(inv.software.unwrap()[0].name.as_deref(), Some("AltServer"));
    }

    #[test]
    fn a_superclass_listing_is_split_by_each_instance_class() {
        let text = "CreationClassName=Win32_Processor\r\nDeviceID=CPU0\r\nLevel=6\r\n\
                    Name=Intel(R) Core(TM) i5-2300 CPU @ 2.80GHz\r\nRevision=10759\r\n\r\n\
                    CreationClassName=Win32_PnPEntity\r\nDeviceID=ROOT\\1\r\nName=Thing\r\n\r\n\
                    CreationClassName=Win32_LogicalDisk\r\nDeviceID=C:\r\nFreeSpace=10\r\nSize=20\r\n";
        let outputs = split_by_instance_class(&parse(text)).unwrap();
        let classes: Vec<_> = outputs.iter().map(|o| o.class).collect();
        assert_eq!(classes, [Some(Class::Processor), Some(Class::LogicalDisk)]);
        let inv = to_inventory(&outputs, None);
        assert_eq!(inv.cpu.unwrap().model, Some(42));
        // One class only, or none w7plan reads: no split.
        assert_eq!(
            split_by_instance_class(&parse("CreationClassName=Win32_Processor\r\nLevel=6\r\n")),
            None
        );
        assert_eq!(
            split_by_instance_class(&parse(
                "CreationClassName=Win32_Bus\r\n\r\nCreationClassName=Win32_USBHub\r\n"
            )),
            None
        );
    }

    #[test]
    fn memory_slots_from_the_memory_array() {
        let array = parse(
            "Caption=Bloc de m\u{e9}moire physique\r\nMaxCapacity=33554432\r\nMemoryDevices=4\r\n\
             MemoryErrorCorrection=3\r\nUse=3\r\n",
        );
        assert_eq!(array.class, Some(Class::PhysicalMemoryArray));
        let memory = to_inventory(&[array], None).memory.unwrap();
        assert_eq!((memory.slots, memory.installed_bytes), (Some(4), None));
    }

    #[test]
    fn volumes_and_their_look_alikes() {
        let bitlocker = parse(
            "ConversionStatus=1\r\nDeviceID=\\\\?\\Volume{603e}\\\r\nDriveLetter=C:\r\n\
             EncryptionMethod=4\r\nProtectionStatus=1\r\n",
        );
        assert_eq!(bitlocker.class, None);
        let volumes = parse(
            "BootVolume=FALSE\r\nCapacity=104853504\r\nDriveLetter=\r\nFreeSpace=75341824\r\n\
             SystemVolume=TRUE\r\n\r\nBootVolume=TRUE\r\nCapacity=1000\r\nDriveLetter=D:\r\n\
             FreeSpace=400\r\nSystemVolume=FALSE\r\n",
        );
        assert_eq!(volumes.class, Some(Class::Volume));
        // Windows on D:, booted from it: the boot volume, not the one with the boot files.
        let volume = to_inventory(&[volumes], None)
            .storage
            .unwrap()
            .system_volume
            .unwrap();
        assert_eq!(
            (
                volume.letter.as_deref(),
                volume.size_bytes,
                volume.free_bytes
            ),
            (Some("D:"), Some(1000), Some(400))
        );
    }

    #[test]
    fn html_escapes_and_errors() {
        let out = parse("PNPDeviceID=SCSI\\DISK&amp;VEN_MSFT\r\nIndex=0\r\nInterfaceType=SCSI\r\n");
        assert_eq!(
            out.records[0].get("PNPDeviceID"),
            Some("SCSI\\DISK&VEN_MSFT")
        );
        assert_eq!(out.class, Some(Class::DiskDrive));
        assert_eq!(
            parse("No Instance(s) Available.\r\n").status,
            Status::NoInstances
        );
        assert!(matches!(
            parse("Node - PC\r\nERROR:\r\nDescription = Invalid namespace\r\n").status,
            Status::Error(_)
        ));
        assert!(matches!(
            parse("Error: Invalid query\r\n").status,
            Status::Error(_)
        ));
        assert_eq!(sniff("collector=collect.cmd\r\nversion=1\r\n"), None);
    }

    #[test]
    fn the_tpm_device_entry_shows_a_tpm_without_elevation() {
        let denied = parse_as("No Instance(s) Available.\r\n", Some(Class::Tpm));
        // What collect.cmd's Win32_PnPEntity query prints for a TPM 2.0 (ACPI id MSFT0101).
        let device = parse(
            "\r\r\nDeviceID=ACPI\\MSFT0101\\1\r\r\nName=Trusted Platform Module 2.0\r\r\nStatus=OK\r\r\n",
        );
        assert_eq!(device.class, Some(Class::TpmDevice));
        let inv = to_inventory(&[denied.clone(), device], Some(false));
        let tpm = inv.tpm.unwrap();
        assert_eq!(tpm.present, Some(true));
        assert_eq!(tpm.version.as_deref(), Some("2.0"));
        // A TPM 1.2 whose name has no number: the ACPI id tells it.
        let old = parse_as(
            "DeviceID=ACPI\\PNP0C31\\1\r\nName=Trusted Platform Module\r\nStatus=OK\r\n",
            Some(Class::TpmDevice),
        );
        let inv = to_inventory(&[denied.clone(), old], Some(false));
        assert_eq!(inv.tpm.unwrap().version.as_deref(), Some("1.2"));
        // No device entry is not "no TPM": a firmware TPM may be off. Only a note.
        let none = parse_as("No Instance(s) Available.\r\n", Some(Class::TpmDevice));
        let inv = to_inventory(&[denied, none], Some(false));
        assert_eq!(inv.tpm, None);
        assert!(
            inv.notes.iter().any(|n| n.contains("no TPM device")),
            "{:?}",
            inv.notes
        );
    }

    #[test]
    fn tpm_absence_needs_elevation() {
        let none = parse_as("No Instance(s) Available.\r\n", Some(Class::Tpm));
        let inv = to_inventory(std::slice::from_ref(&none), Some(false));
        assert_eq!(inv.tpm, None);
        assert!(inv.notes[0].contains("administrator"));
        let inv = to_inventory(&[none], Some(true));
        assert_eq!(inv.tpm.unwrap().present, Some(false));
    }

    #[test]
    fn channels() {
        let c = channel_from_description;
        assert_eq!(
            c("Windows Operating System - Windows(R) 7, OEM_SLP channel"),
            Some("OEM:SLP")
        );
        assert_eq!(c("Windows(R) 7, RETAIL channel"), Some("Retail"));
        assert_eq!(c("Windows(R) 7, OEM_COA_NSLP channel"), Some("OEM:NONSLP"));
        assert_eq!(c("Windows(R) 7, OEM_COA_SLP channel"), Some("OEM:SLP"));
        assert_eq!(c("Windows(R) 7, OEM_DM channel"), Some("OEM:DM"));
        assert_eq!(c("Windows(R) 7, VOLUME_MAK channel"), Some("Volume:MAK"));
        assert_eq!(
            c("Windows Operating System - Windows(R) 7, VOLUME_KMSCLIENT channel"),
            Some("Volume:GVLK")
        );
        assert_eq!(c("Office 14, RETAIL"), None);
        assert_eq!(
            c("Windows(R) 7, TIMEBASED_EVAL channel"),
            Some("Evaluation")
        );
        assert_eq!(license_status(1), Some("licensed"));
        assert_eq!(license_status(7), None);
    }
}
