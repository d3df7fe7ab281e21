//! Imports what Windows' own tools printed (systeminfo, wmic, `reg export`/`reg query`, bcdedit,
//! Microsoft's HardwareReadiness.ps1, System Information's msinfo32 exports, PowerShell's
//! Get-ComputerInfo, Get-CimInstance and Uninstall-key listings) and what inventory
//! engines export (GLPI Agent / FusionInventory, OCS Inventory NG, Microsoft Configuration
//! Manager CSV, wide or one file per view, Lansweeper report CSV, Open-AudIT's audit XML) into
//! inventories, one per machine. Engine exports with a machine per row ([`TableExport`]) are
//! streamed by the fleet.
//!
//! Each importer is a pure function from bytes to a [`Fragment`]: the inventory fields its tool
//! showed, plus notes on what it could not read. None of them panics or fails on content: an
//! unreadable value stays `None` with a note, and only input that is not the tool's output at all
//! is an error. Formats are told by content, never by file name ([`sniff`]); encodings by
//! [`text::decode`]. [`import_evidence_dir`] reads a whole evidence folder written by
//! `collectors/windows7/collect.cmd` and merges its fragments by provenance (see [`evidence`]).
//! [`offline`] reads a Windows installation that is not running: a mounted volume, its hive
//! files, or a disk image holding it.
//!
//! This module does not judge facts (rules do) and does not read the live machine (`collect`
//! does).

pub mod bcdedit;
pub mod configmgr;
pub mod csv_table;
pub mod evidence;
pub mod glpi;
pub mod hwreadiness;
pub mod lansweeper;
pub mod msinfo32;
pub mod offline;
pub mod openaudit;
pub mod powershell;
pub mod reg;
pub mod systeminfo;
pub mod text;
pub mod values;
pub mod wmic;

pub use evidence::import_evidence_dir;

use crate::error::{Error, Origin, Result};
use crate::facts::inventory::validate::Warning;
use crate::facts::inventory::{Inventory, Source, SCHEMA};
use std::path::Path;

/// The tool outputs this module reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `systeminfo` default or `/FO LIST` text.
    SysteminfoList,
    /// `systeminfo /FO CSV`.
    SysteminfoCsv,
    /// `wmic … get … /format:list`: `Key=Value` records.
    WmicList,
    /// `wmic … get …` in its default table form (Wine ignores `/format:list`).
    WmicTable,
    /// A regedit/`reg export` file (`Windows Registry Editor Version 5.00` or `REGEDIT4`).
    RegExport,
    /// `reg query` output.
    RegQuery,
    /// `bcdedit /enum` output.
    Bcdedit,
    /// Microsoft's HardwareReadiness.ps1 JSON line.
    HwReadiness,
    /// A System Information (`msinfo32`) text report.
    Msinfo32Report,
    /// A System Information (`msinfo32`) `.nfo` XML file.
    Msinfo32Nfo,
    /// A GLPI Agent / FusionInventory inventory in XML (`<REQUEST><CONTENT>`).
    GlpiXml,
    /// The same in JSON (`{"content": …, "deviceid": …}`).
    GlpiJson,
    /// Microsoft Configuration Manager hardware inventory as one wide CSV, one row per machine
    /// ([`configmgr`]).
    ConfigMgrCsv,
    /// A Lansweeper report exported as CSV, one row per asset ([`lansweeper`]).
    LansweeperCsv,
    /// One view of a ConfigMgr per-view export met alone ([`configmgr::views`]): read with the
    /// folder holding its `v_R_System` file, never by itself.
    ConfigMgrView,
    /// An Open-AudIT audit (`<system><sys>`, written by `audit_windows.vbs`; [`openaudit`]).
    OpenAuditXml,
    /// `Get-ComputerInfo`'s list view ([`powershell::computerinfo`]).
    ComputerInfoList,
    /// `Get-ComputerInfo | ConvertTo-Json`.
    ComputerInfoJson,
    /// `Get-CimInstance` results as JSON ([`powershell::cim`]).
    CimJson,
    /// The Uninstall keys listed by `Get-ItemProperty`, as JSON ([`powershell::uninstall`]).
    UninstallJson,
}

impl Format {
    /// The tool, as provenance names it.
    pub fn tool(self) -> &'static str {
        match self {
            Format::SysteminfoList | Format::SysteminfoCsv => "systeminfo",
            Format::WmicList | Format::WmicTable => "wmic",
            Format::RegExport => "reg export",
            Format::RegQuery => "reg query",
            Format::Bcdedit => "bcdedit",
            Format::HwReadiness => "HardwareReadiness.ps1",
            Format::Msinfo32Report | Format::Msinfo32Nfo => "msinfo32",
            // The file names the agent and its version (`versionclient`), which the inventory's
            // source keeps; this is the fallback.
            Format::GlpiXml | Format::GlpiJson => "GLPI inventory",
            Format::ConfigMgrCsv | Format::ConfigMgrView => configmgr::COLLECTOR,
            Format::LansweeperCsv => lansweeper::COLLECTOR,
            Format::OpenAuditXml => openaudit::COLLECTOR,
            Format::ComputerInfoList | Format::ComputerInfoJson => {
                powershell::computerinfo::COLLECTOR
            }
            Format::CimJson => powershell::cim::COLLECTOR,
            Format::UninstallJson => powershell::uninstall::COLLECTOR,
        }
    }
}

/// What one tool output showed.
#[derive(Debug, Clone, PartialEq)]
pub struct Fragment {
    pub format: Format,
    /// The fields observed (no `schema`, `source` or `collected_at` unless the output held them),
    /// with notes on what could not be read.
    pub inventory: Inventory,
    /// The hotfix list where the output had one (systeminfo, `wmic qfe`).
    pub hotfixes: Option<Hotfixes>,
}

/// Installed updates as a tool listed them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Hotfixes {
    /// The count the tool printed in its header, where it printed one (systeminfo's
    /// "271 Hotfix(s) Installed." even when it lists only 245).
    pub reported: Option<u32>,
    /// The IDs as listed, in order (duplicates kept).
    pub listed: Vec<String>,
}

/// Which format `text` is in, by its content.
pub fn sniff(text: &str) -> Option<Format> {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        if glpi::sniff_json(trimmed) {
            return Some(Format::GlpiJson);
        }
        if powershell::cim::sniff(trimmed) {
            return Some(Format::CimJson);
        }
        if powershell::computerinfo::sniff_json(trimmed) {
            return Some(Format::ComputerInfoJson);
        }
        if powershell::uninstall::sniff(trimmed) {
            return Some(Format::UninstallJson);
        }
        if trimmed.starts_with('{') {
            return hwreadiness::sniff(trimmed).then_some(Format::HwReadiness);
        }
    }
    if trimmed.starts_with('<') {
        if glpi::sniff_xml(trimmed) {
            return Some(Format::GlpiXml);
        }
        if openaudit::sniff(trimmed) {
            return Some(Format::OpenAuditXml);
        }
        return msinfo32::sniff_nfo(trimmed).then_some(Format::Msinfo32Nfo);
    }
    if msinfo32::sniff_report(text) {
        return Some(Format::Msinfo32Report);
    }
    if let Some(export) = TableExport::sniff(trimmed) {
        return Some(export.format());
    }
    if configmgr::views::sniff(trimmed).is_some() {
        return Some(Format::ConfigMgrView);
    }
    if powershell::computerinfo::sniff_list(text) {
        return Some(Format::ComputerInfoList);
    }
    if let Some(format) = reg::sniff(trimmed) {
        return Some(format);
    }
    if let Some(format) = systeminfo::sniff(text) {
        return Some(format);
    }
    if bcdedit::sniff(text) {
        return Some(Format::Bcdedit);
    }
    wmic::sniff(text)
}

/// Imports one tool output from its bytes.
pub fn import_bytes(bytes: &[u8], origin: &Origin) -> Result<Fragment> {
    import_bytes_with(bytes, origin, None)
}

/// As [`import_bytes`], with the machine's system locale when another file told it (it picks the
/// code page of 8-bit text).
pub fn import_bytes_with(bytes: &[u8], origin: &Origin, locale: Option<&str>) -> Result<Fragment> {
    if lansweeper::is_xlsx(bytes) {
        return Err(Error::ImportNotUsed {
            origin: origin.clone(),
            message: lansweeper::XLSX_MESSAGE.to_string(),
        });
    }
    let decoded = text::decode_with(bytes, locale);
    let format = sniff(&decoded.text).ok_or_else(|| unrecognized(&decoded.text, origin))?;
    import_text(&decoded.text, format, origin)
}

/// Imports decoded text known to be in `format`.
pub fn import_text(text: &str, format: Format, origin: &Origin) -> Result<Fragment> {
    match format {
        Format::SysteminfoList | Format::SysteminfoCsv => Ok(systeminfo::import(text)),
        Format::WmicList | Format::WmicTable => {
            let output = wmic::parse(text);
            if let Some(outputs) = wmic::split_by_instance_class(&output) {
                return Ok(Fragment {
                    format,
                    inventory: wmic::to_inventory(&outputs, None),
                    hotfixes: outputs.iter().find_map(wmic::hotfixes),
                });
            }
            if output.class.is_none() {
                let properties: Vec<String> = output
                    .records
                    .first()
                    .map(|r| {
                        r.0.iter()
                            .take(8)
                            .map(|(k, _)| crate::input::excerpt(k))
                            .collect()
                    })
                    .unwrap_or_default();
                return Err(Error::ImportNotUsed {
                    origin: origin.clone(),
                    message: format!(
                        "wmic output of a class w7plan does not read (properties {})",
                        properties.join(", ")
                    ),
                });
            }
            let hotfixes = wmic::hotfixes(&output);
            Ok(Fragment {
                format,
                inventory: wmic::to_inventory(&[output], None),
                hotfixes,
            })
        }
        Format::RegExport | Format::RegQuery => {
            let file = reg::parse_text(text, origin)?;
            Ok(Fragment {
                format,
                inventory: reg::to_inventory(&[&file]),
                hotfixes: None,
            })
        }
        Format::Bcdedit => Ok(Fragment {
            format,
            inventory: bcdedit::import(text),
            hotfixes: None,
        }),
        Format::HwReadiness => Ok(Fragment {
            format,
            inventory: hwreadiness::import(text, origin)?,
            hotfixes: None,
        }),
        Format::Msinfo32Report => Ok(Fragment {
            format,
            inventory: msinfo32::to_inventory(&msinfo32::parse_report(text)),
            hotfixes: None,
        }),
        Format::GlpiXml => Ok(Fragment {
            format,
            inventory: glpi::to_inventory(&glpi::from_xml(text, origin)?, true, origin)?,
            hotfixes: None,
        }),
        Format::GlpiJson => Ok(Fragment {
            format,
            inventory: glpi::to_inventory(&glpi::from_json(text, origin)?, false, origin)?,
            hotfixes: None,
        }),
        // One machine only: a fleet streams a many-machine export row by row instead.
        Format::ConfigMgrCsv => Ok(Fragment {
            format,
            inventory: configmgr::single(text, origin)?,
            hotfixes: None,
        }),
        Format::LansweeperCsv => Ok(Fragment {
            format,
            inventory: lansweeper::single(text, origin)?,
            hotfixes: None,
        }),
        Format::ConfigMgrView => Err(Error::ImportNotUsed {
            origin: origin.clone(),
            message: format!(
                "one view ({}) of a ConfigMgr per-view export: w7plan reads the views together, \
                 as a folder that also holds v_R_System's file",
                configmgr::views::sniff(text).map_or("?", configmgr::views::View::name)
            ),
        }),
        Format::OpenAuditXml => Ok(Fragment {
            format,
            inventory: openaudit::import(text, origin)?,
            hotfixes: None,
        }),
        Format::ComputerInfoList => Ok(Fragment {
            format,
            inventory: powershell::computerinfo::import_list(text, origin)?,
            hotfixes: None,
        }),
        Format::ComputerInfoJson => Ok(Fragment {
            format,
            inventory: powershell::computerinfo::import_json(text, origin)?,
            hotfixes: None,
        }),
        Format::CimJson => Ok(Fragment {
            format,
            inventory: powershell::cim::import(text, origin)?,
            hotfixes: None,
        }),
        Format::UninstallJson => Ok(Fragment {
            format,
            inventory: powershell::uninstall::import(text, origin)?,
            hotfixes: None,
        }),
        Format::Msinfo32Nfo => Ok(Fragment {
            format,
            inventory: msinfo32::to_inventory(&msinfo32::parse_nfo(text, origin)?),
            hotfixes: None,
        }),
    }
}

/// An engine export with one machine per row, which a fleet reads a row at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableExport {
    ConfigMgr,
    Lansweeper,
}

/// A table export's machines, each with its row number (the header is row 1).
pub type ExportRows<'a> = Box<dyn Iterator<Item = (u64, Result<Inventory>)> + 'a>;

impl TableExport {
    /// Which table export `text` begins with, by its header.
    pub fn sniff(text: &str) -> Option<TableExport> {
        if configmgr::sniff(text) {
            Some(TableExport::ConfigMgr)
        } else if lansweeper::sniff(text) {
            Some(TableExport::Lansweeper)
        } else {
            None
        }
    }

    pub fn format(self) -> Format {
        match self {
            TableExport::ConfigMgr => Format::ConfigMgrCsv,
            TableExport::Lansweeper => Format::LansweeperCsv,
        }
    }

    /// The machines of an export streamed from `input` (UTF-8).
    pub fn rows<'a, R: std::io::Read + 'a>(
        self,
        input: R,
        origin: &Origin,
    ) -> Result<ExportRows<'a>> {
        Ok(match self {
            TableExport::ConfigMgr => Box::new(configmgr::Rows::new(input, origin)?),
            TableExport::Lansweeper => Box::new(lansweeper::Rows::new(input, origin)?),
        })
    }
}

/// The error for text no importer recognizes; a tool's own error message, where the text is one,
/// is named.
fn unrecognized(text: &str, origin: &Origin) -> Error {
    match tool_error(text) {
        Some(message) => Error::ImportFailed {
            origin: origin.clone(),
            message: format!("the file holds an error message, not tool output: {message}"),
        },
        None => Error::ImportUnrecognized {
            origin: origin.clone(),
        },
    }
}

/// The message of a Windows tool's error output (`ERROR: …`, wmic's `Description = …`,
/// `No Instance(s) Available.`, cmd's "is not recognized"), on one line; `None` for anything else.
pub fn tool_error(text: &str) -> Option<String> {
    let lines: Vec<&str> = text::lines(text)
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    if lines.is_empty() || lines.len() > 6 {
        return None;
    }
    let joined = lines.join(" ");
    let lower = joined.to_lowercase();
    let markers = [
        "error:",
        "error -",
        "erreur",
        "fehler",
        "errore",
        "ошибка",
        "错误",
        "chyba",
        "błąd",
        "eroare",
        "instance(s)",
        "no instances",
        "aucune instance",
        "keine instanz",
        "description =",
        "access is denied",
        "accès refusé",
        "zugriff verweigert",
        "invalid query",
        "invalid namespace",
        "invalid class",
        "alias not found",
        "not recognized as an internal or external command",
        "n'est pas reconnu",
        "nicht als interner oder externer befehl",
        "could not be opened",
    ];
    markers.iter().any(|m| lower.contains(m)).then(|| {
        let shown: String = joined.chars().take(300).collect();
        // Escaped: the text is someone else's and may hold terminal escape sequences.
        shown
            .chars()
            .flat_map(|c| -> Vec<char> {
                if c.is_control() {
                    c.escape_default().collect()
                } else {
                    vec![c]
                }
            })
            .collect()
    })
}

/// A full inventory from one raw tool output file: the fragment with the schema and its
/// provenance.
pub fn import_file(path: &Path) -> Result<Fragment> {
    let bytes = crate::input::read_file(path, crate::input::Kind::ToolOutput)?;
    import_bytes(&bytes, &Origin::path(path))
}

/// An inventory from an evidence folder, an offline Windows installation (a mounted volume or a
/// hive file, see [`crate::facts::import::offline`]) or one raw tool output file.
pub fn import_path(path: &Path) -> Result<Inventory> {
    if let Some(installation) = crate::facts::import::offline::open(path)? {
        return Ok(installation.inventory());
    }
    if path.is_dir() {
        if configmgr::views::looks_like_views(path) {
            return configmgr::views::single(path).map(finish_inventory);
        }
        return import_evidence_dir(path);
    }
    let fragment = import_file(path)?;
    Ok(finish_single(fragment))
}

/// What `assess` and `fleet` read from a path: an evidence folder, an offline Windows
/// installation, an inventory file, or a raw tool output.
pub fn read_path(path: &Path) -> Result<Inventory> {
    let (mut inventory, warnings) = read_path_checked(path)?;
    let origin = Origin::path(path);
    inventory
        .notes
        .extend(warnings.iter().map(|w| w.at(&origin)));
    Ok(inventory)
}

/// As [`read_path`], with what an inventory file held that w7plan set aside returned instead of
/// noted.
pub fn read_path_checked(path: &Path) -> Result<(Inventory, Vec<Warning>)> {
    // An inventory file is read with no extra look (a fleet may list thousands).
    if path.is_dir() || !named_as_inventory(path) {
        if let Some(installation) = crate::facts::import::offline::open(path)? {
            return Ok((installation.inventory(), Vec::new()));
        }
    }
    if path.is_dir() {
        if configmgr::views::looks_like_views(path) {
            return Ok((
                finish_inventory(configmgr::views::single(path)?),
                Vec::new(),
            ));
        }
        return Ok((import_evidence_dir(path)?, Vec::new()));
    }
    // The larger cap of the two kinds the file may be; an inventory's own is checked once it is
    // known to be one.
    let bytes = crate::input::read_file(path, crate::input::Kind::ToolOutput)?;
    inventory_from_bytes_checked(&bytes, &Origin::path(path))
}

/// A file named as an inventory (`.yaml`, `.yml`, `.json`).
fn named_as_inventory(path: &Path) -> bool {
    matches!(
        path.extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref(),
        Some("yaml" | "yml" | "json")
    )
}

/// What a file met while walking a folder turned out to be.
#[derive(Debug)]
pub enum Found {
    /// An inventory, or a tool output read into one, with what an inventory file held that
    /// w7plan set aside (unknown fields, impossible values).
    Machine(Box<Inventory>, Vec<Warning>),
    /// Not machine facts w7plan reads; the reason, for the list of skipped files.
    Skipped(String),
}

/// Above this size a walked file is sniffed from its start before it is read whole: a folder of
/// exports may also hold archives or disk images, which must not be read into memory to learn
/// that they are not tool output.
const SNIFF_WHOLE_BELOW: u64 = 4 << 20;
const SNIFF_PREFIX: usize = 64 << 10;

/// Reads a file found while walking a folder. Unlike [`read_path`], a file that is neither an
/// inventory nor a tool output w7plan reads is not an error but [`Found::Skipped`] with the
/// reason; a file that declares itself an inventory, or is recognized as a tool output, and then
/// fails to read is still an error. A file named `.yaml`/`.yml`/`.json` that is not text stays an
/// error, as the inventory it was named for.
pub fn read_found(path: &Path) -> Result<Found> {
    let read_error = |source| Error::Read {
        path: path.to_path_buf(),
        source,
    };
    let origin = Origin::path(path);
    let inventory_name = named_as_inventory(path);
    // Inventories are the fleet's hot path: they are read whole at once, with no extra look.
    if !inventory_name {
        // A registry hive (SOFTWARE, SYSTEM, NTUSER.DAT) is a machine; a log or a SAM is not.
        match crate::facts::import::offline::open(path) {
            Ok(Some(installation)) => {
                return Ok(Found::Machine(
                    Box::new(installation.inventory()),
                    Vec::new(),
                ))
            }
            Ok(None) => {}
            Err(Error::ImportNotUsed { message, .. }) => return Ok(Found::Skipped(message)),
            Err(error) => return Err(error),
        }
        let size = std::fs::metadata(path).map_err(read_error)?.len();
        if size >= SNIFF_WHOLE_BELOW {
            use std::io::Read as _;
            let mut prefix = Vec::with_capacity(SNIFF_PREFIX);
            std::fs::File::open(path)
                .and_then(|f| f.take(SNIFF_PREFIX as u64).read_to_end(&mut prefix))
                .map_err(read_error)?;
            if lansweeper::is_xlsx(&prefix) {
                return Ok(Found::Skipped(lansweeper::XLSX_MESSAGE.to_string()));
            }
            let text = text::decode(&prefix).text;
            if !looks_like_inventory(&text) && sniff(&text).is_none() {
                return Ok(Found::Skipped(skip_reason(&text)));
            }
        }
    }
    let bytes = crate::input::read_file(path, crate::input::Kind::ToolOutput)?;
    let inventory = match std::str::from_utf8(&bytes) {
        Ok(text) => looks_like_inventory(text),
        // PowerShell 5's `>` writes inventories as UTF-16 with a byte-order mark.
        Err(_) => {
            (bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF"))
                && looks_like_inventory(&text::decode(&bytes).text)
        }
    };
    if inventory {
        let (inventory, warnings) = inventory_from_bytes_checked(&bytes, &origin)?;
        return Ok(Found::Machine(Box::new(inventory), warnings));
    }
    match import_bytes(&bytes, &origin) {
        Ok(fragment) => Ok(Found::Machine(
            Box::new(finish_single(fragment)),
            Vec::new(),
        )),
        Err(Error::ImportNotUsed { message, .. }) => Ok(Found::Skipped(message)),
        // A file named as an inventory that is not even text stays an error, as before.
        Err(Error::ImportUnrecognized { .. })
            if !inventory_name || std::str::from_utf8(&bytes).is_ok_and(|t| !t.contains('\0')) =>
        {
            Ok(Found::Skipped(skip_reason(&text::decode(&bytes).text)))
        }
        Err(error) => Err(error),
    }
}

/// Why a walked file was not read, from what it holds.
fn skip_reason(text: &str) -> String {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.is_empty() {
        return "empty".to_string();
    }
    if text.contains('\0') || text.chars().filter(|c| *c == '\u{fffd}').count() > 8 {
        return "not text, nor a format w7plan reads".to_string();
    }
    let what = if trimmed.starts_with('{') || trimmed.starts_with('[') {
        "JSON with no `schema` key: not a w7plan inventory, nor a tool output w7plan reads"
    } else if trimmed.starts_with('<') {
        "XML or HTML that is not an export w7plan reads"
    } else {
        "text that is neither an inventory (no `schema:` key) nor a tool output w7plan reads"
    };
    let first: String = text::lines(trimmed)
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("")
        .chars()
        .filter(|c| !c.is_control())
        .take(60)
        .collect();
    format!("{what} (it begins `{first}`)")
}

/// An inventory (YAML or JSON), or else a raw tool output the importers recognize. A file that
/// looks like an inventory keeps the inventory's own error messages.
pub fn inventory_from_bytes(bytes: &[u8], origin: &Origin) -> Result<Inventory> {
    let (mut inventory, warnings) = inventory_from_bytes_checked(bytes, origin)?;
    inventory
        .notes
        .extend(warnings.iter().map(|w| w.at(origin)));
    Ok(inventory)
}

/// As [`inventory_from_bytes`], with the inventory's unknown fields and impossible values
/// returned instead of noted (a tool output has none).
pub fn inventory_from_bytes_checked(
    bytes: &[u8],
    origin: &Origin,
) -> Result<(Inventory, Vec<Warning>)> {
    if let Ok(text) = std::str::from_utf8(bytes) {
        if looks_like_inventory(text) {
            if text.len() as u64 > crate::input::Kind::Inventory.limit() {
                return Err(crate::input::too_large(
                    origin,
                    crate::input::Kind::Inventory,
                ));
            }
            return Inventory::parse_checked(text, origin);
        }
    }
    // PowerShell 5's `>` writes UTF-16 with a byte-order mark: an inventory saved that way is
    // still an inventory.
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        let decoded = text::decode(bytes);
        if looks_like_inventory(&decoded.text) {
            return Inventory::parse_checked(&decoded.text, origin);
        }
    }
    match import_bytes(bytes, origin) {
        Ok(fragment) => Ok((finish_single(fragment), Vec::new())),
        // Text that is not a known tool output may still be an inventory with a mistake in it
        // (no `schema:`), whose parser says what is wrong; bytes that are not text cannot be.
        Err(error @ Error::ImportUnrecognized { .. }) => match std::str::from_utf8(bytes) {
            Ok(text) if !text.contains('\0') => Inventory::parse_checked(text, origin),
            Ok(_) => Err(error),
            Err(utf8) => Err(not_utf8(bytes, &utf8, origin)),
        },
        Err(error) => Err(error),
    }
}

/// Bytes that are neither a tool output nor UTF-8: say where the encoding breaks, since an
/// inventory saved in another encoding is the likely cause.
fn not_utf8(bytes: &[u8], error: &std::str::Utf8Error, origin: &Origin) -> Error {
    let at = error.valid_up_to();
    let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
    Error::ImportFailed {
        origin: origin.clone(),
        message: format!(
            "not a recognized tool output, and not UTF-8 text either: byte 0x{:02X} on line {line} \
             (offset {at}) is not valid UTF-8; save an inventory as UTF-8 or as UTF-16 with a \
             byte-order mark",
            bytes[at]
        ),
    }
}

/// Whether text declares itself an inventory: a top-level `schema:` key in YAML or JSON.
fn looks_like_inventory(text: &str) -> bool {
    text.trim_start_matches('\u{feff}').lines().any(|line| {
        let line = line.trim_start_matches(['{', ' ', '\t']);
        line.starts_with("schema:") || line.starts_with("\"schema\"")
    })
}

/// Turns a lone fragment into an inventory: the schema, the tool as the collector, and the
/// derivations every import gets ([`evidence::derive`]).
pub fn finish_single(fragment: Fragment) -> Inventory {
    let mut inventory = fragment.inventory;
    inventory.schema = Some(SCHEMA.to_string());
    let source = inventory.source.unwrap_or_default();
    inventory.source = Some(Source {
        // An engine's export names the engine itself (GLPI's `versionclient`).
        collector: source
            .collector
            .or_else(|| Some(fragment.format.tool().to_string())),
        ..source
    });
    evidence::derive(&mut inventory);
    inventory
}

/// Finishes an inventory an engine export gave whole (a ConfigMgr row): the schema and the
/// derivations every import gets; its source already names the engine.
pub fn finish_inventory(mut inventory: Inventory) -> Inventory {
    inventory.schema = Some(SCHEMA.to_string());
    evidence::derive(&mut inventory);
    inventory
}

/// An importer's refusal of its input, naming the file (and where in it) and why.
pub(crate) fn failed(origin: &Origin, message: String) -> Error {
    Error::ImportFailed {
        origin: origin.clone(),
        message,
    }
}

/// How every importer parses XML: no DTD (so no entity expansion), and a node cap far above any
/// one machine's inventory.
pub(crate) fn xml_options<'input>() -> roxmltree::ParsingOptions<'input> {
    roxmltree::ParsingOptions {
        allow_dtd: false,
        nodes_limit: 4_000_000,
        ..roxmltree::ParsingOptions::default()
    }
}
