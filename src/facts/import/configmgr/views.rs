//! Reads a Configuration Manager export made of one CSV per reporting view (`SELECT * FROM
//! v_GS_PROCESSOR` saved from SSMS, any file name) in one folder: the rows of every view are
//! joined by `ResourceID` into one machine per `v_R_System` row, and each machine goes through
//! the wide export's own mapping ([`super::row_to_inventory`]) as a record joined here.
//!
//! It does not map a column to a fact (the wide reader does, once for both forms), nor read the
//! files of other folders. A file is told by its header ([`View::of_header`]), never by its name,
//! except `v_GS_ADD_REMOVE_PROGRAMS_64`, whose columns are those of the 32-bit view: a program
//! file whose name holds `64` is the 64-bit one.
//!
//! Memory: the views of one or a few rows per machine are indexed by `ResourceID`, holding only
//! the cells w7plan reads, packed into one buffer per machine ([`Held`]: a few hundred bytes);
//! the program views, the large ones (a hundred rows or more per machine), are never held: a
//! first pass keeps where each machine's rows are in the file ([`Segments`], a few dozen bytes a
//! machine when the rows come grouped, as the shipped query orders them), and each machine's rows
//! are read again from there when it is built. A file that is not UTF-8 (SSMS's UTF-16) is
//! decoded whole first, as the wide reader does.
//!
//! A view the folder lacks leaves its facts unknown with the note "view X not in the export". A
//! bad row (no or a non-numeric `ResourceID`, one not in `v_R_System`, too few cells, a number
//! that is not one) is an error naming the file and row, and the rest is read; a file with no
//! `ResourceID` column is an error naming the file.

use super::super::csv_table::{self, failed, split_header, Header, RowBudget};
use super::{ConfigMgr, COLUMNS};
use crate::error::{Error, Origin, Result};
use crate::facts::inventory::Inventory;
use std::collections::HashMap;
use std::io::{Read, Seek};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// The documented views w7plan reads from a per-view export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum View {
    System,
    WorkstationStatus,
    ComputerSystem,
    PcBios,
    Processor,
    OperatingSystem,
    X86PcMemory,
    PhysicalMemory,
    LogicalDisk,
    Disk,
    Tpm,
    Firmware,
    VideoController,
    AddRemovePrograms,
    AddRemovePrograms64,
}

impl View {
    pub const ALL: [View; 15] = [
        View::System,
        View::WorkstationStatus,
        View::ComputerSystem,
        View::PcBios,
        View::Processor,
        View::OperatingSystem,
        View::X86PcMemory,
        View::PhysicalMemory,
        View::LogicalDisk,
        View::Disk,
        View::Tpm,
        View::Firmware,
        View::VideoController,
        View::AddRemovePrograms,
        View::AddRemovePrograms64,
    ];

    /// The view's name, as `COLUMNS` and ConfigMgr spell it.
    pub fn name(self) -> &'static str {
        match self {
            View::System => "v_R_System",
            View::WorkstationStatus => "v_GS_WORKSTATION_STATUS",
            View::ComputerSystem => "v_GS_COMPUTER_SYSTEM",
            View::PcBios => "v_GS_PC_BIOS",
            View::Processor => "v_GS_PROCESSOR",
            View::OperatingSystem => "v_GS_OPERATING_SYSTEM",
            View::X86PcMemory => "v_GS_X86_PC_MEMORY",
            View::PhysicalMemory => "v_GS_PHYSICAL_MEMORY",
            View::LogicalDisk => "v_GS_LOGICAL_DISK",
            View::Disk => "v_GS_DISK",
            View::Tpm => "v_GS_TPM",
            View::Firmware => "v_GS_FIRMWARE",
            View::VideoController => "v_GS_VIDEO_CONTROLLER",
            View::AddRemovePrograms => "v_GS_ADD_REMOVE_PROGRAMS",
            View::AddRemovePrograms64 => "v_GS_ADD_REMOVE_PROGRAMS_64",
        }
    }

    /// Columns of this view's class that no other view here has: any one tells the file. From
    /// the classes' documented properties (WMI name + `0`; the fixtures' README cites them).
    fn own_columns(self) -> &'static [&'static str] {
        match self {
            View::System => &[
                "Netbios_Name0",
                "Client0",
                "Resource_Domain_OR_Workgr0",
                "SMS_Unique_Identifier0",
            ],
            View::WorkstationStatus => &["LastHWScan"],
            View::ComputerSystem => &["SystemType0", "Domain0", "DomainRole0"],
            View::PcBios => &["SMBIOSBIOSVersion0", "BIOSVersion0", "ReleaseDate0"],
            View::Processor => &[
                "NumberOfCores0",
                "NumberOfLogicalProcessors0",
                "MaxClockSpeed0",
                "ProcessorId0",
                "CPUKey0",
            ],
            View::OperatingSystem => &[
                "CSDVersion0",
                "OSArchitecture0",
                "OSLanguage0",
                "TotalVisibleMemorySize0",
                "LastBootUpTime0",
            ],
            View::X86PcMemory => &["TotalPageFileSpace0", "TotalVirtualMemory0"],
            View::PhysicalMemory => &["Capacity0", "BankLabel0", "DeviceLocator0"],
            View::LogicalDisk => &["FreeSpace0", "DriveType0", "FileSystem0", "VolumeName0"],
            View::Disk => &["InterfaceType0", "Partitions0", "Index0"],
            View::Tpm => &[
                "SpecVersion0",
                "IsEnabled_InitialValue0",
                "IsActivated_InitialValue0",
            ],
            View::Firmware => &["UEFI0", "SecureBoot0"],
            View::VideoController => &[
                "CurrentHorizontalResolution0",
                "VideoProcessor0",
                "AdapterRAM0",
                "DriverVersion0",
            ],
            View::AddRemovePrograms => &["DisplayName0", "ProdID0"],
            // Told apart from the 32-bit view by the file's name only.
            View::AddRemovePrograms64 => &[],
        }
    }

    /// The view a file's header is the whole of (`SELECT * FROM view`, or some of its columns
    /// with `ResourceID`): columns of exactly one view. A header naming several views' columns
    /// is a wide export's; one without `ResourceID` is no view file.
    pub fn of_header(cells: &[String]) -> Option<View> {
        Self::classify(cells, true)
    }

    /// As [`View::of_header`]; without `need_resource`, a header lacking `ResourceID` still
    /// tells its view: within a per-view export such a file is an error naming it, not a file
    /// of something else.
    fn classify(cells: &[String], need_resource: bool) -> Option<View> {
        let names: Vec<String> = cells.iter().map(|c| bare(c).to_ascii_lowercase()).collect();
        if need_resource && !names.iter().any(|n| n == "resourceid") {
            return None;
        }
        let has = |column: &str| names.iter().any(|n| n.eq_ignore_ascii_case(column));
        let mut matched = View::ALL
            .into_iter()
            .filter(|view| view.own_columns().iter().any(|c| has(c)));
        let view = match (matched.next(), matched.next()) {
            (Some(view), None) => view,
            (Some(_), Some(_)) => return None,
            // Win32_ComputerSystem has a TotalPhysicalMemory too, but the view's other columns
            // tell it; alone, the column is the memory view's.
            (None, _) => has("TotalPhysicalMemory0").then_some(View::X86PcMemory)?,
        };
        // A view's own rows carry `GroupID` (`SELECT *`); without it the header may be a wide
        // export of few columns (`ResourceID, Netbios_Name0, BuildNumber0`), which is one when
        // a column the wide mapping reads belongs to another view.
        if has("GroupID") {
            return Some(view);
        }
        let foreign = cells.iter().filter_map(|c| super::column_of(c)).any(|i| {
            let (v, c) = COLUMNS[i];
            v != view.name() && c != "ResourceID"
        });
        (!foreign).then_some(view)
    }

    /// The facts the view gives and the note left for them when the folder lacks it.
    fn missing_note(self) -> &'static str {
        match self {
            View::System => "host.name",
            View::WorkstationStatus => "collected_at",
            View::ComputerSystem => "host.model",
            View::PcBios => "host.serial",
            View::Processor => "cpu",
            View::OperatingSystem => "os",
            View::X86PcMemory | View::PhysicalMemory => "memory.installed_bytes",
            View::LogicalDisk => "storage.system_volume",
            View::Disk => "storage.system_disk",
            View::Tpm => "tpm.present",
            View::Firmware => "firmware.boot_mode",
            View::VideoController => "graphics",
            View::AddRemovePrograms | View::AddRemovePrograms64 => "software",
        }
    }

    /// One row per machine (the first is kept), or several that are summed, picked or listed.
    fn is_program_list(self) -> bool {
        matches!(self, View::AddRemovePrograms | View::AddRemovePrograms64)
    }
}

/// A header cell's column name without brackets, a byte-order mark or a `view.` prefix.
fn bare(cell: &str) -> &str {
    let cell = cell
        .trim()
        .trim_start_matches('\u{feff}')
        .trim_matches(['[', ']', '"']);
    cell.rsplit_once('.')
        .map_or(cell, |(_, c)| c)
        .trim_matches(['[', ']'])
}

/// Whether `dir` is a per-view export: a folder of a few files (a walk meets folders of
/// thousands of inventories, which are not opened to learn that they are not one), one of them
/// `v_R_System`'s.
pub fn looks_like_views(dir: &Path) -> bool {
    const MOST_FILES: usize = 64;
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    let files: Vec<PathBuf> = entries
        .take(MOST_FILES + 1)
        .flatten()
        .map(|e| e.path())
        .collect();
    files.len() <= MOST_FILES
        && files
            .iter()
            .any(|f| f.is_file() && view_of_file(f, true) == Some(View::System))
}

/// The view a file holds, from its header (and, for the 64-bit programs, its name); `strict`
/// asks for a `ResourceID` column too.
fn view_of_file(path: &Path, strict: bool) -> Option<View> {
    let mut prefix = Vec::with_capacity(8 << 10);
    std::fs::File::open(path)
        .and_then(|f| f.take(8 << 10).read_to_end(&mut prefix))
        .ok()?;
    let text = crate::facts::import::text::decode(&prefix).text;
    let view = if strict {
        sniff(&text)?
    } else {
        let first =
            crate::facts::import::text::lines(text.trim_start_matches('\u{feff}')).next()?;
        let cells: Vec<String> = split_header(first);
        View::classify(&cells, false)?
    };
    match view {
        View::AddRemovePrograms if named_64(path) => Some(View::AddRemovePrograms64),
        view => Some(view),
    }
}

/// The view a text's header line is the whole of (see [`View::of_header`]).
pub fn sniff(text: &str) -> Option<View> {
    let first = crate::facts::import::text::lines(text.trim_start_matches('\u{feff}')).next()?;
    let cells: Vec<String> = split_header(first);
    View::of_header(&cells)
}

/// The one machine of a per-view export (`assess` and `import`); an export of several is refused
/// with what to run, and the first error its rows met is the answer.
pub fn single(dir: &Path) -> Result<Inventory> {
    let export = Export::open(dir)?;
    let origin = Origin::path(dir);
    match export.machines() {
        0 => Err(failed(
            &origin,
            "a ConfigMgr per-view export whose v_R_System lists no machine".into(),
        )),
        1 => match export.items().next() {
            Some(Item::Machine { inventory, .. }) => Ok(*inventory),
            Some(Item::Error(error)) => Err(error),
            None => Err(failed(&origin, "no machine".into())),
        },
        n => Err(failed(
            &origin,
            format!(
                "a ConfigMgr per-view export of {n} machines: `w7plan fleet {origin} -o DIR` \
                 assesses each of them; `assess` takes one machine"
            ),
        )),
    }
}

fn named_64(path: &Path) -> bool {
    path.file_stem()
        .is_some_and(|s| s.to_string_lossy().contains("64"))
}

/// One machine's cells from the indexed views, packed in one buffer: entries of a tag byte (an
/// index into `COLUMNS`, or [`ROW_TAG`] + view for the row a view's cells came from), a
/// little-endian `u32` length and the bytes.
#[derive(Default)]
struct Held(Vec<u8>);

/// Tags at and above this say which row of a view gave the machine's cells (its number, as
/// text), so an error in a cell names the file's row.
const ROW_TAG: u8 = 128;
/// A processor's `DeviceID0` (the first processor names the CPU) and a disk's `Index0`.
const DEVICE_TAG: u8 = 127;

impl Held {
    fn entries(&self) -> impl Iterator<Item = (u8, &str)> {
        let mut at = 0;
        std::iter::from_fn(move || {
            let tag = *self.0.get(at)?;
            let len = u32::from_le_bytes(self.0.get(at + 1..at + 5)?.try_into().ok()?) as usize;
            let text = std::str::from_utf8(self.0.get(at + 5..at + 5 + len)?).ok()?;
            at += 5 + len;
            Some((tag, text))
        })
    }

    fn get(&self, tag: u8) -> Option<&str> {
        self.entries().find(|(t, _)| *t == tag).map(|(_, v)| v)
    }

    fn set(&mut self, tag: u8, value: &str) {
        if self.get(tag).is_some() {
            let kept: Vec<(u8, String)> = self
                .entries()
                .filter(|(t, _)| *t != tag)
                .map(|(t, v)| (t, v.to_string()))
                .collect();
            self.0.clear();
            for (t, v) in kept {
                self.push(t, &v);
            }
        }
        self.push(tag, value);
    }

    fn push(&mut self, tag: u8, value: &str) {
        // A cell is far below 4 GiB: a row is capped at ROW_LIMIT.
        let len = u32::try_from(value.len()).unwrap_or(u32::MAX);
        self.0.push(tag);
        self.0.extend_from_slice(&len.to_le_bytes());
        self.0.extend_from_slice(&value.as_bytes()[..len as usize]);
    }
}

/// Where one machine's rows are in a program file: runs of consecutive rows.
type Segments = Vec<(csv::Position, u32)>;

trait ReadSeek: Read + Seek + Send {}
impl<T: Read + Seek + Send> ReadSeek for T {}
type Reader = csv::Reader<RowBudget<Box<dyn ReadSeek>>>;

/// A row read by [`ViewFile::next_row`].
struct Next {
    row: u64,
    start: csv::Position,
    resource: Result<u64>,
}

/// One view file, open for reading.
struct ViewFile {
    view: View,
    path: PathBuf,
    origin: Origin,
    reader: Reader,
    used: Arc<AtomicU64>,
    width: usize,
    /// The file ended (or met an error that ends it).
    done: bool,
    /// The cell holding `ResourceID`.
    resource: usize,
    /// Cell index by column name (lower case).
    cells: HashMap<String, usize>,
}

impl ViewFile {
    fn open(view: View, path: &Path) -> Result<ViewFile> {
        let origin = Origin::path(path);
        let read_error = |source| Error::Read {
            path: path.to_path_buf(),
            source,
        };
        let mut prefix = Vec::with_capacity(8 << 10);
        std::fs::File::open(path)
            .and_then(|f| f.take(8 << 10).read_to_end(&mut prefix))
            .map_err(read_error)?;
        let utf8 = !(prefix.starts_with(b"\xFF\xFE") || prefix.starts_with(b"\xFE\xFF"))
            && match std::str::from_utf8(&prefix) {
                Ok(_) => true,
                Err(e) => e.error_len().is_none(),
            };
        let input: Box<dyn ReadSeek> = if utf8 {
            Box::new(std::fs::File::open(path).map_err(read_error)?)
        } else {
            // Held whole, decoded: SSMS saves UTF-16 when asked for Unicode.
            let bytes = crate::input::read_file(path, crate::input::Kind::ToolOutput)?;
            let text = crate::facts::import::text::decode(&bytes).text;
            Box::new(std::io::Cursor::new(text.into_bytes()))
        };
        let (budget, used) = RowBudget::new(input);
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(budget);
        let mut header = csv::StringRecord::new();
        match reader.read_record(&mut header) {
            Ok(true) => {}
            Ok(false) => return Err(failed(&origin, "empty: expected a header row".into())),
            Err(e) => {
                return Err(failed(
                    &origin,
                    format!("row 1: the header cannot be read: {e}"),
                ))
            }
        }
        let cells: HashMap<String, usize> = header
            .iter()
            .enumerate()
            .map(|(i, c)| (bare(c).to_ascii_lowercase(), i))
            .collect();
        let resource = *cells.get("resourceid").ok_or_else(|| {
            failed(
                &origin,
                format!(
                    "row 1: {} has no `ResourceID` column, which joins the views; export the \
                     view whole (SELECT * FROM {})",
                    view.name(),
                    view.name()
                ),
            )
        })?;
        Ok(ViewFile {
            view,
            path: path.to_path_buf(),
            origin,
            width: header.len(),
            done: false,
            reader,
            used,
            resource,
            cells,
        })
    }

    fn cell(&self, column: &str) -> Option<usize> {
        self.cells.get(&column.to_ascii_lowercase()).copied()
    }

    /// The next row: its number (the header is row 1), where it starts, and its `ResourceID`
    /// or the error the row met; `None` at the end.
    fn next_row(&mut self, record: &mut csv::StringRecord) -> Option<Next> {
        loop {
            if self.done {
                return None;
            }
            let start = self.reader.position().clone();
            let row = start.record() + 1;
            self.used.store(0, Ordering::Relaxed);
            match self.reader.read_record(record) {
                Ok(false) => {
                    self.done = true;
                    return None;
                }
                Ok(true) if record.iter().all(|c| c.trim().is_empty()) => continue,
                Ok(true) => {
                    let resource = self.resource_of(record, row);
                    return Some(Next {
                        row,
                        start,
                        resource,
                    });
                }
                Err(e) => {
                    let row = e.position().map_or(row, |p| p.record() + 1);
                    // An I/O error or a row past the limit ends the file (the rows before it
                    // stand); bad UTF-8 spoils one row.
                    self.done = !matches!(e.kind(), csv::ErrorKind::Utf8 { .. });
                    let resource = Err(self.row_error(row, format!("cannot be read: {e}")));
                    return Some(Next {
                        row,
                        start,
                        resource,
                    });
                }
            }
        }
    }

    fn resource_of(&self, record: &csv::StringRecord, row: u64) -> Result<u64> {
        if record.len() < self.width {
            return Err(self.row_error(
                row,
                format!(
                    "expected {} cells as in the header, found {}: a truncated row",
                    self.width,
                    record.len()
                ),
            ));
        }
        let text = record.get(self.resource).unwrap_or("").trim();
        text.parse().map_err(|_| {
            self.row_error(
                row,
                if text.is_empty() {
                    "ResourceID is empty: the row belongs to no machine".to_string()
                } else {
                    format!(
                        "ResourceID: expected a whole number, found `{}`",
                        crate::input::excerpt(text)
                    )
                },
            )
        })
    }

    fn row_error(&self, row: u64, message: String) -> Error {
        failed(&Origin(format!("{}, row {row}", self.origin)), message)
    }

    fn text<'r>(&self, record: &'r csv::StringRecord, column: &str) -> Option<&'r str> {
        let value = record.get(self.cell(column)?)?.trim();
        (!value.is_empty() && !value.eq_ignore_ascii_case("null")).then_some(value)
    }
}

/// A program view's file, indexed by machine.
struct Programs {
    file: ViewFile,
    at: HashMap<u64, Segments>,
}

/// A per-view export, its small views indexed and its program views located (see the module's
/// header for what is held).
pub struct Export {
    origin: Origin,
    /// The machines in `v_R_System`'s order.
    order: Vec<u64>,
    held: HashMap<u64, Held>,
    /// The file each view came from, for errors naming it.
    files: Vec<(View, PathBuf)>,
    programs: Vec<Programs>,
    /// What could not be read while indexing: reported before the machines.
    problems: Vec<Error>,
    /// The folder's files that are no view w7plan reads, for the caller to read as it would any
    /// other file.
    pub others: Vec<PathBuf>,
}

/// What reading an export gives, in order: errors met, and machines.
pub enum Item {
    Machine {
        resource: u64,
        inventory: Box<Inventory>,
    },
    Error(Error),
}

impl Export {
    /// Reads the folder's views; an error only when the folder cannot be listed or holds no
    /// readable `v_R_System` file.
    pub fn open(dir: &Path) -> Result<Export> {
        let origin = Origin::path(dir);
        let entries = std::fs::read_dir(dir).map_err(|source| Error::Read {
            path: dir.to_path_buf(),
            source,
        })?;
        let mut paths: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                p.is_file()
                    && !p
                        .file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
            })
            .collect();
        paths.sort();
        let mut export = Export {
            origin: origin.clone(),
            order: Vec::new(),
            held: HashMap::new(),
            files: Vec::new(),
            programs: Vec::new(),
            problems: Vec::new(),
            others: Vec::new(),
        };
        let mut views: Vec<(View, PathBuf)> = Vec::new();
        for path in paths {
            match view_of_file(&path, false) {
                Some(view) => views.push((view, path)),
                None => export.others.push(path),
            }
        }
        // v_R_System first: it says which machines there are.
        views.sort_by_key(|(view, _)| *view);
        let mut opened = Vec::new();
        for (view, path) in views {
            match ViewFile::open(view, &path) {
                Ok(file) => opened.push(file),
                Err(error) => export.problems.push(error),
            }
        }
        if !opened.iter().any(|f| f.view == View::System) {
            return Err(failed(
                &origin,
                "a ConfigMgr per-view export needs v_R_System's file (SELECT ResourceID, \
                 Netbios_Name0 FROM v_R_System), which names the machines"
                    .into(),
            ));
        }
        for mut file in opened {
            export.files.push((file.view, file.path.clone()));
            if file.view.is_program_list() {
                let at = export.locate(&mut file);
                export.programs.push(Programs { file, at });
            } else {
                export.index(&mut file);
            }
        }
        for held in export.held.values_mut() {
            held.0.shrink_to_fit();
        }
        Ok(export)
    }

    /// Whether the folder had a file of `view`.
    fn has(&self, view: View) -> bool {
        self.files.iter().any(|(v, _)| *v == view)
    }

    /// The number of machines (`v_R_System` rows).
    pub fn machines(&self) -> usize {
        self.order.len()
    }

    /// Reads a small view's rows into the machines' held cells.
    fn index(&mut self, file: &mut ViewFile) {
        let view = file.view;
        // The COLUMNS this view gives, by tag and cell.
        let wanted: Vec<(u8, usize)> = COLUMNS
            .iter()
            .enumerate()
            .filter(|(_, (v, _))| *v == view.name())
            .filter_map(|(i, (_, c))| Some((u8::try_from(i).ok()?, file.cell(c)?)))
            .collect();
        let tag_of = |column: &str| {
            COLUMNS
                .iter()
                .position(|(v, c)| *v == view.name() && *c == column)
                .and_then(|i| u8::try_from(i).ok())
        };
        let mut record = csv::StringRecord::new();
        let mut first_row: HashMap<u64, u64> = HashMap::new();
        while let Some(Next { row, resource, .. }) = file.next_row(&mut record) {
            let resource = match resource {
                Ok(resource) => resource,
                Err(error) => {
                    self.problems.push(error);
                    continue;
                }
            };
            if view == View::System {
                if let Some(first) = first_row.get(&resource) {
                    self.problems.push(file.row_error(
                        row,
                        format!("ResourceID {resource} is listed twice (first in row {first})"),
                    ));
                    continue;
                }
                first_row.insert(resource, row);
                self.order.push(resource);
                self.held.insert(resource, Held::default());
            }
            let Some(held) = self.held.get_mut(&resource) else {
                self.problems.push(file.row_error(
                    row,
                    format!(
                        "ResourceID {resource} is not in v_R_System: a row of no machine the \
                         export lists"
                    ),
                ));
                continue;
            };
            if !pick(view, held, file, &record) {
                continue;
            }
            for &(tag, cell) in &wanted {
                if summed(view, COLUMNS[tag as usize].1) {
                    continue;
                }
                match record.get(cell) {
                    Some(value) => held.set(tag, value),
                    None => held.set(tag, ""),
                }
            }
            held.set(ROW_TAG + view as u8, &row.to_string());
        }
        // Sums over every row of the machine (processors' cores, memory modules).
        if view == View::Processor || view == View::PhysicalMemory {
            self.sum(file, tag_of);
        }
    }

    /// Sums a view's counted columns over each machine's rows (a second pass over the file).
    fn sum(&mut self, file: &mut ViewFile, tag_of: impl Fn(&str) -> Option<u8>) {
        let columns: Vec<(&str, u8, usize)> =
            ["NumberOfCores0", "NumberOfLogicalProcessors0", "Capacity0"]
                .into_iter()
                .filter(|c| summed(file.view, c))
                .filter_map(|c| Some((c, tag_of(c)?, file.cell(c)?)))
                .collect();
        if columns.is_empty() || file.reader.seek(csv::Position::new()).is_err() {
            return;
        }
        let mut record = csv::StringRecord::new();
        // The header again.
        file.done = false;
        let _ = file.reader.read_record(&mut record);
        let mut totals: HashMap<(u64, u8), u64> = HashMap::new();
        while let Some(Next { row, resource, .. }) = file.next_row(&mut record) {
            // Rows in error were reported by the first pass.
            let Ok(resource) = resource else { continue };
            if !self.held.contains_key(&resource) {
                continue;
            }
            for &(column, tag, cell) in &columns {
                let text = record.get(cell).unwrap_or("").trim();
                if text.is_empty() || text.eq_ignore_ascii_case("null") {
                    continue;
                }
                match text.strip_suffix(".0").unwrap_or(text).parse::<u64>() {
                    Ok(n) => {
                        let total = totals.entry((resource, tag)).or_default();
                        *total = total.saturating_add(n);
                    }
                    Err(_) => self.problems.push(file.row_error(
                        row,
                        format!(
                            "{}.{column}: expected a whole number, found `{}`",
                            file.view.name(),
                            crate::input::excerpt(text)
                        ),
                    )),
                }
            }
        }
        for ((resource, tag), total) in totals {
            if let Some(held) = self.held.get_mut(&resource) {
                held.set(tag, &total.to_string());
            }
        }
    }

    /// Where each machine's rows are in a program file; bad rows are reported here, once.
    fn locate(&mut self, file: &mut ViewFile) -> HashMap<u64, Segments> {
        let mut at: HashMap<u64, Segments> = HashMap::new();
        let mut record = csv::StringRecord::new();
        // The machine, the start of its current run of rows, their count and the last row.
        let mut run: Option<(u64, csv::Position, u32, u64)> = None;
        while let Some(Next {
            row,
            start,
            resource,
        }) = file.next_row(&mut record)
        {
            let resource = match resource {
                Ok(r) if self.held.contains_key(&r) => r,
                Ok(r) => {
                    self.problems.push(file.row_error(
                        row,
                        format!(
                            "ResourceID {r} is not in v_R_System: a row of no machine the export \
                             lists"
                        ),
                    ));
                    flush(&mut at, run.take());
                    continue;
                }
                Err(error) => {
                    self.problems.push(error);
                    flush(&mut at, run.take());
                    continue;
                }
            };
            match &mut run {
                // The next row of the same machine, with nothing skipped between.
                Some((r, _, count, last)) if *r == resource && *last + 1 == row => {
                    *count += 1;
                    *last = row;
                }
                _ => {
                    flush(&mut at, run.take());
                    run = Some((resource, start, 1, row));
                }
            }
        }
        flush(&mut at, run);
        at
    }

    /// The errors met while reading the views, then one item per machine.
    pub fn items(mut self) -> Items {
        Items {
            queue: self.problems.drain(..).map(Item::Error).collect(),
            next: 0,
            export: self,
        }
    }

    /// One machine: its held cells, its programs read from their files, through the mapping.
    fn build(&mut self, resource: u64, errors: &mut Vec<Error>) -> Result<Inventory> {
        let held = self.held.remove(&resource).unwrap_or_default();
        let mut cells = vec![String::new(); COLUMNS.len()];
        let mut rows: Vec<(View, u64)> = Vec::new();
        for (tag, value) in held.entries() {
            if tag >= ROW_TAG {
                if let (Some(view), Ok(row)) =
                    (View::ALL.get((tag - ROW_TAG) as usize), value.parse())
                {
                    rows.push((*view, row));
                }
            } else if let Some(cell) = cells.get_mut(tag as usize) {
                *cell = value.to_string();
            }
        }
        cells[0] = resource.to_string();
        for programs in &mut self.programs {
            let view = programs.file.view;
            let Some(tag) = COLUMNS
                .iter()
                .position(|(v, c)| *v == view.name() && *c == "DisplayName0")
            else {
                continue;
            };
            cells[tag] = program_lines(programs, resource, errors);
        }
        let present: Vec<bool> = COLUMNS
            .iter()
            .map(|(v, _)| {
                View::ALL
                    .iter()
                    .any(|view| view.name() == *v && self.has(*view))
            })
            .collect();
        let header = Header::joined::<ConfigMgr>(|i| present[i]);
        let origin = Origin(format!("{}, ResourceID {resource}", self.origin));
        let record = csv::StringRecord::from(cells);
        let mut inventory = csv_table::inventory_of::<ConfigMgr>(&header, &record, &origin)
            .map_err(|e| {
                match e {
                    // The mapping names the view and column: say which file and row held it.
                    Error::ImportFailed { message, .. } => {
                        let view = message.split_once('.').map(|(v, _)| v);
                        let from = rows.iter().find(|(v, _)| Some(v.name()) == view).and_then(
                            |(v, row)| {
                                let path = self.files.iter().find(|(f, _)| f == v)?.1.clone();
                                Some(format!("{}, row {row}", path.display()))
                            },
                        );
                        failed(
                            &Origin(match from {
                                Some(from) => format!("{from} (ResourceID {resource})"),
                                None => origin.0.clone(),
                            }),
                            message,
                        )
                    }
                    other => other,
                }
            })?;
        self.note_missing(&mut inventory);
        Ok(inventory)
    }

    /// Unknown, with the reason, for the facts of each view the folder lacks.
    fn note_missing(&self, inventory: &mut Inventory) {
        let mut missing: Vec<View> = View::ALL.into_iter().filter(|v| !self.has(*v)).collect();
        // Either memory view gives the installed memory; either program view lists programs.
        if self.has(View::X86PcMemory) || self.has(View::PhysicalMemory) {
            missing.retain(|v| !matches!(v, View::X86PcMemory | View::PhysicalMemory));
        } else {
            missing.retain(|v| *v != View::X86PcMemory);
        }
        for view in missing {
            let fact = view.missing_note();
            // The mapping's own note for an empty cell says less than this.
            inventory
                .notes
                .retain(|n| !n.starts_with(&format!("{fact}:")));
            let also = match view {
                View::PhysicalMemory => " (nor v_GS_X86_PC_MEMORY)",
                View::AddRemovePrograms64 if self.has(View::AddRemovePrograms) => {
                    ": 64-bit programs are not listed"
                }
                View::AddRemovePrograms64 => " (nor v_GS_ADD_REMOVE_PROGRAMS)",
                View::AddRemovePrograms if self.has(View::AddRemovePrograms64) => {
                    ": 32-bit programs are not listed"
                }
                View::AddRemovePrograms => continue,
                _ => "",
            };
            let text = if also.starts_with(':') {
                format!("{fact}: view {} not in the export{also}", view.name())
            } else {
                format!("{fact}: view {}{also} not in the export", view.name())
            };
            inventory.notes.push(text);
        }
    }
}

/// Ends a run of rows into the machine's segments.
fn flush(at: &mut HashMap<u64, Segments>, run: Option<(u64, csv::Position, u32, u64)>) {
    if let Some((resource, start, count, _)) = run {
        at.entry(resource).or_default().push((start, count));
    }
}

/// Whether a view's column is summed over the machine's rows rather than taken from one.
fn summed(view: View, column: &str) -> bool {
    match view {
        View::Processor => matches!(column, "NumberOfCores0" | "NumberOfLogicalProcessors0"),
        View::PhysicalMemory => column == "Capacity0",
        _ => false,
    }
}

/// Whether this row gives the machine's cells for its view: the first row of a one-row view,
/// the first processor (by `DeviceID0`), drive C:, disk 0, the adapter driving a display.
fn pick(view: View, held: &mut Held, file: &ViewFile, record: &csv::StringRecord) -> bool {
    let seen = held.get(ROW_TAG + view as u8).is_some();
    match view {
        View::Processor => {
            let device = file.text(record, "DeviceID0").unwrap_or("");
            let first = !seen || held.get(DEVICE_TAG).is_some_and(|d| device < d);
            if first {
                held.set(DEVICE_TAG, device);
            }
            first
        }
        View::LogicalDisk => {
            !seen
                && file
                    .text(record, "DeviceID0")
                    .is_some_and(|d| d.eq_ignore_ascii_case("C:"))
        }
        View::Disk => {
            !seen
                && file
                    .text(record, "Index0")
                    .is_none_or(|i| i.strip_suffix(".0").unwrap_or(i) == "0")
        }
        View::VideoController => {
            let shows = |text: Option<&str>| {
                text.and_then(|t| t.parse::<u64>().ok())
                    .is_some_and(|n| n > 0)
            };
            let tag = COLUMNS
                .iter()
                .position(|(v, c)| *v == view.name() && *c == "CurrentHorizontalResolution0")
                .and_then(|i| u8::try_from(i).ok())
                .unwrap_or(0);
            !seen
                || (!shows(held.get(tag))
                    && shows(file.text(record, "CurrentHorizontalResolution0")))
        }
        _ => !seen,
    }
}

/// A machine's programs as the wide export lists them: `name<TAB>version<TAB>publisher` a line.
fn program_lines(programs: &mut Programs, resource: u64, errors: &mut Vec<Error>) -> String {
    let mut lines = String::new();
    let Some(segments) = programs.at.remove(&resource) else {
        return lines;
    };
    let file = &mut programs.file;
    let mut record = csv::StringRecord::new();
    for (start, count) in segments {
        if let Err(e) = file.reader.seek(start) {
            errors.push(failed(&file.origin, format!("cannot be read again: {e}")));
            return lines;
        }
        file.done = false;
        for _ in 0..count {
            let Some(Next { resource, .. }) = file.next_row(&mut record) else {
                break;
            };
            if let Err(error) = resource {
                errors.push(error);
                continue;
            }
            let Some(name) = file.text(&record, "DisplayName0") else {
                continue;
            };
            let version = file.text(&record, "Version0").unwrap_or("");
            let publisher = file.text(&record, "Publisher0").unwrap_or("");
            // A tab or line break inside a name would split it: the list is tab-separated.
            let clean = |s: &str| s.replace(['\t', '\r', '\n'], " ");
            lines.push_str(&format!(
                "{}\t{}\t{}\n",
                clean(name),
                clean(version),
                clean(publisher)
            ));
        }
    }
    lines
}

/// The export's items: first the errors met while indexing, then a machine (or its error) per
/// `v_R_System` row, each after the errors its program rows met.
pub struct Items {
    export: Export,
    queue: std::collections::VecDeque<Item>,
    next: usize,
}

impl Iterator for Items {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        loop {
            if let Some(item) = self.queue.pop_front() {
                return Some(item);
            }
            let resource = *self.export.order.get(self.next)?;
            self.next += 1;
            let mut errors = Vec::new();
            let built = self.export.build(resource, &mut errors);
            self.queue.extend(errors.into_iter().map(Item::Error));
            self.queue.push_back(match built {
                Ok(inventory) => Item::Machine {
                    resource,
                    inventory: Box::new(inventory),
                },
                Err(error) => Item::Error(error),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(header: &str) -> Option<View> {
        View::of_header(&split_header(header))
    }

    #[test]
    fn views_by_header_and_wide_exports_apart() {
        let gs = "ResourceID,GroupID,RevisionID,AgentID,TimeStamp";
        assert_eq!(
            view(&format!("{gs},DeviceID0,Name0,NumberOfCores0,Version0")),
            Some(View::Processor)
        );
        assert_eq!(
            view(&format!("{gs},BIOSVersion0,BuildNumber0,SerialNumber0")),
            Some(View::PcBios)
        );
        assert_eq!(
            view("\u{feff}ResourceID,Netbios_Name0,Client0"),
            Some(View::System)
        );
        assert_eq!(
            view("ResourceID,GroupID,DisplayName0,Version0,Publisher0"),
            Some(View::AddRemovePrograms)
        );
        // Wide exports: columns of several views, or a view's column beside another's.
        assert_eq!(
            view("v_R_System.ResourceID,Netbios_Name0,BuildNumber0"),
            None
        );
        assert_eq!(view("ResourceID,Netbios_Name0,NumberOfCores0"), None);
        // No ResourceID: no view's file.
        assert_eq!(view("Netbios_Name0,Client0"), None);
    }
}
