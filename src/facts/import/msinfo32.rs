//! Reads System Information (`msinfo32`) exports: the text report (File → Export, or
//! `msinfo32 /report FILE`) and the `.nfo` XML (File → Save, or `msinfo32 /nfo FILE`).
//!
//! Both are UTF-16LE with a byte order mark as Windows writes them ([`super::text::decode`]
//! reads them, and copies converted to UTF-8). The report is a header (`System Information
//! report written at: MM/DD/YY hh:mm:ss`, `System Name: NAME`), then `[Category]` lines, each
//! followed by a column-header row and `Item<TAB>Value<TAB>` rows; a row of empty cells or a
//! blank line ends one device's record. The `.nfo` holds the same categories as nested
//! `<Category name="…">` elements whose `<Data>` children hold `<Item>` and `<Value>` (CDATA);
//! its `<Metadata><CreationUTC>` is the time of the export in UTC. Real exports of both forms are
//! in `../shared/samples/msinfo32/` (described in `../shared/samples/FORMATS.md` §2.4).
//!
//! Everything is localized in the UI language: category names, item labels and many values. The
//! System Summary's rows are found by label (English and the languages of the real samples:
//! Chinese, Russian, Polish) and checked by the shape of their value; the storage and display
//! records are found by content (a drive letter, `(N bytes)` sizes, `W x H` resolutions), which
//! no translation changes. What msinfo32 never shows (CPU family/model/stepping, TPM, licence,
//! installed programs) stays absent, so the rules say `unknown` and what to check.

use super::text::{self, squash};
use super::values;
use crate::error::{Error, Origin, Result};
use crate::facts::inventory::{
    Arch, BootMode, Cpu, Disk, Display, Firmware, GraphicsAdapter, Host, Inventory, Memory, Os,
    OsFamily, Storage, Volume,
};

/// One category: its name as exported and its records, each a list of (item, value) rows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Category {
    pub name: String,
    pub records: Vec<Vec<(String, String)>>,
}

/// A parsed export, either form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// `YYYY-MM-DDThh:mm:ss` (with `Z` when the export said UTC).
    pub written_at: Option<String>,
    /// The header's `System Name:` (text report only).
    pub system_name: Option<String>,
    pub categories: Vec<Category>,
}

/// Whether `text` is a msinfo32 text report: a header line ending in `MM/DD/YY hh:mm:ss`, a
/// `Name: value` line, then a `[Category]` line and a tab-separated header row.
pub fn sniff_report(text: &str) -> bool {
    let mut lines = text::lines(text).map(str::trim).filter(|l| !l.is_empty());
    let (Some(first), Some(second), Some(third), Some(fourth)) =
        (lines.next(), lines.next(), lines.next(), lines.next())
    else {
        return false;
    };
    header_time(first).is_some()
        && second.contains(':')
        && third.starts_with('[')
        && third.ends_with(']')
        && fourth.contains('\t')
}

/// Whether `text` is a msinfo32 `.nfo` document.
pub fn sniff_nfo(text: &str) -> bool {
    let head: String = text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .chars()
        .take(400)
        .collect();
    head.starts_with('<') && head.contains("<MsInfo")
}

/// `MM/DD/YY hh:mm:ss` at the end of a header line, as ISO date and time. msinfo32 writes the
/// header's time in this order in every language of the samples (`04/24/25` in Russian).
fn header_time(line: &str) -> Option<String> {
    let tail: String = line
        .chars()
        .rev()
        .take(17)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let b = tail.as_bytes();
    if b.len() != 17 || b[2] != b'/' || b[5] != b'/' || b[8] != b' ' || b[11] != b':' {
        return None;
    }
    let n = |range: std::ops::Range<usize>| tail.get(range)?.parse::<u32>().ok();
    let (month, day, year) = (n(0..2)?, n(3..5)?, n(6..8)?);
    let (h, m, s) = (n(9..11)?, n(12..14)?, n(15..17)?);
    let date = text::iso_date(2000 + year, month, day)?;
    (h < 24 && m < 60 && s < 60).then(|| format!("{date}T{h:02}:{m:02}:{s:02}"))
}

/// Parses a text report.
pub fn parse_report(text: &str) -> Report {
    let mut report = Report::default();
    let mut current: Option<Category> = None;
    let mut record: Vec<(String, String)> = Vec::new();
    // The first tab row after a category line is its column header ("Item Value").
    let mut header_pending = false;
    let mut before_categories = 0usize;
    for line in text::lines(text) {
        let trimmed = line.trim();
        if trimmed.starts_with('[') && trimmed.ends_with(']') && !line.contains('\t') {
            if let Some(mut category) = current.take() {
                push_record(&mut category, &mut record);
                report.categories.push(category);
            }
            current = Some(Category {
                name: trimmed[1..trimmed.len() - 1].trim().to_string(),
                records: Vec::new(),
            });
            header_pending = true;
            continue;
        }
        let Some(category) = current.as_mut() else {
            if !trimmed.is_empty() {
                before_categories += 1;
                match before_categories {
                    1 => report.written_at = header_time(trimmed),
                    2 => {
                        report.system_name = trimmed
                            .split_once(':')
                            .map(|(_, v)| squash(v))
                            .filter(|v| !v.is_empty())
                    }
                    _ => {}
                }
            }
            continue;
        };
        let cells: Vec<&str> = line.split('\t').collect();
        if cells.iter().all(|c| c.trim().is_empty()) {
            push_record(category, &mut record);
            continue;
        }
        if header_pending {
            header_pending = false;
            continue;
        }
        let item = squash(cells[0]);
        let value = squash(cells.get(1).copied().unwrap_or(""));
        add_row(category, &mut record, item, value);
    }
    if let Some(mut category) = current.take() {
        push_record(&mut category, &mut record);
        report.categories.push(category);
    }
    report
}

/// Adds a row to the record being read; the record's first item coming again starts the next
/// device's record (the `.nfo` has no separator rows, and the text report not always).
fn add_row(
    category: &mut Category,
    record: &mut Vec<(String, String)>,
    item: String,
    value: String,
) {
    if item.is_empty() && value.is_empty() {
        push_record(category, record);
        return;
    }
    if record.first().is_some_and(|(first, _)| *first == item) {
        push_record(category, record);
    }
    record.push((item, value));
}

fn push_record(category: &mut Category, record: &mut Vec<(String, String)>) {
    if !record.is_empty() {
        category.records.push(std::mem::take(record));
    }
}

/// Parses a `.nfo` document.
pub fn parse_nfo(text: &str, origin: &Origin) -> Result<Report> {
    let options = super::xml_options();
    let doc = roxmltree::Document::parse_with_options(text.trim_start_matches('\u{feff}'), options)
        .map_err(|e| Error::ImportFailed {
            origin: origin.clone(),
            message: format!("msinfo32 .nfo that is not well-formed XML: {e}"),
        })?;
    let root = doc.root_element();
    if !root.has_tag_name("MsInfo") {
        return Err(Error::ImportFailed {
            origin: origin.clone(),
            message: format!(
                "expected the <MsInfo> element of a msinfo32 .nfo, found <{}>",
                root.tag_name().name()
            ),
        });
    }
    let mut report = Report {
        written_at: root
            .descendants()
            .find(|n| n.has_tag_name("CreationUTC"))
            .and_then(|n| n.text())
            .and_then(|t| header_time(t.trim()))
            .map(|t| format!("{t}Z")),
        ..Report::default()
    };
    for node in root.descendants().filter(|n| n.has_tag_name("Category")) {
        let mut category = Category {
            name: node.attribute("name").unwrap_or("").trim().to_string(),
            records: Vec::new(),
        };
        let mut record = Vec::new();
        for data in node.children().filter(|n| n.has_tag_name("Data")) {
            let mut cells = data.children().filter(|n| n.is_element()).map(|n| {
                squash(
                    &n.descendants()
                        .filter(|t| t.is_text())
                        .filter_map(|t| t.text())
                        .collect::<String>(),
                )
            });
            let item = cells.next().unwrap_or_default();
            let value = cells.next().unwrap_or_default();
            add_row(&mut category, &mut record, item, value);
        }
        push_record(&mut category, &mut record);
        report.categories.push(category);
    }
    Ok(report)
}

/// The System Summary rows w7plan reads, by their label in each language of the samples.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Row {
    OsName,
    Version,
    SystemName,
    Manufacturer,
    Model,
    SystemType,
    Processor,
    Bios,
    BiosMode,
    SecureBoot,
    WindowsDirectory,
    InstalledMemory,
    TotalMemory,
}

const LABELS: &[(&str, Row)] = &[
    ("os name", Row::OsName),
    ("操作系统名称", Row::OsName),
    ("имя ос", Row::OsName),
    ("nazwa systemu operacyjnego", Row::OsName),
    ("version", Row::Version),
    ("版本", Row::Version),
    ("версия", Row::Version),
    ("wersja", Row::Version),
    ("system name", Row::SystemName),
    ("系统名称", Row::SystemName),
    ("имя системы", Row::SystemName),
    ("nazwa systemu", Row::SystemName),
    ("system manufacturer", Row::Manufacturer),
    ("系统制造商", Row::Manufacturer),
    ("изготовитель", Row::Manufacturer),
    ("producent systemu", Row::Manufacturer),
    ("system model", Row::Model),
    ("系统型号", Row::Model),
    ("модель", Row::Model),
    ("model systemu", Row::Model),
    ("system type", Row::SystemType),
    ("系统类型", Row::SystemType),
    ("тип", Row::SystemType),
    ("typ systemu", Row::SystemType),
    ("processor", Row::Processor),
    ("处理器", Row::Processor),
    ("процессор", Row::Processor),
    ("procesor", Row::Processor),
    ("bios version/date", Row::Bios),
    ("bios 版本/日期", Row::Bios),
    ("версия bios", Row::Bios),
    ("wersja/data systemu bios", Row::Bios),
    ("bios mode", Row::BiosMode),
    ("bios 模式", Row::BiosMode),
    ("режим bios", Row::BiosMode),
    ("tryb systemu bios", Row::BiosMode),
    ("secure boot state", Row::SecureBoot),
    ("安全启动状态", Row::SecureBoot),
    ("состояние безопасной загрузки", Row::SecureBoot),
    ("stan bezpiecznego rozruchu", Row::SecureBoot),
    ("windows directory", Row::WindowsDirectory),
    ("windows 目录", Row::WindowsDirectory),
    ("папка windows", Row::WindowsDirectory),
    ("katalog systemu windows", Row::WindowsDirectory),
    ("installed physical memory (ram)", Row::InstalledMemory),
    ("已安装的物理内存(ram)", Row::InstalledMemory),
    (
        "установленная оперативная память (ram)",
        Row::InstalledMemory,
    ),
    ("zainstalowana pamięć fizyczna (ram)", Row::InstalledMemory),
    ("total physical memory", Row::TotalMemory),
    ("总的物理内存", Row::TotalMemory),
    ("полный объем физической памяти", Row::TotalMemory),
    ("całkowita pamięć fizyczna", Row::TotalMemory),
];

/// Secure Boot State values as the samples show them: English, Chinese, Russian, Polish.
const SECURE_BOOT_ON: &[&str] = &["on", "打开", "вкл.", "włączone"];
const SECURE_BOOT_OFF: &[&str] = &["off", "关闭", "откл.", "wyłączone"];
const SECURE_BOOT_UNSUPPORTED: &[&str] = &["unsupported", "不支持", "не поддерживается"];
/// BIOS Mode values for a legacy boot (English, Russian as in the samples).
const BIOS_MODE_LEGACY: &[&str] = &["legacy", "устаревший"];

/// The inventory fields an export shows.
pub fn to_inventory(report: &Report) -> Inventory {
    let mut inv = Inventory::default();
    let mut notes = Vec::new();
    let summary = report.categories.first().and_then(|c| c.records.first());
    let rows: &[(String, String)] = summary.map(Vec::as_slice).unwrap_or(&[]);
    let row = |wanted: Row| -> Option<&str> {
        rows.iter()
            .find(|(item, value)| {
                let label = item.trim().to_lowercase();
                !value.is_empty()
                    && LABELS
                        .iter()
                        .any(|(l, r)| *r == wanted && *l == label.as_str())
            })
            .map(|(_, v)| v.as_str())
            .filter(|v| !is_not_available(v))
    };
    if rows.is_empty() {
        notes.push("the export has no System Summary rows".to_string());
    }

    let mut os = Os {
        family: Some(OsFamily::Windows),
        ..Os::default()
    };
    os.name = row(Row::OsName).map(str::to_string);
    os.edition = os.name.as_deref().and_then(values::edition_from_name);
    if let Some(version) = row(Row::Version) {
        // `6.1.7601 Service Pack 1 Build 7601`, `10.0.19045 Сборка 19045`.
        let head = version.split_whitespace().next().unwrap_or("");
        let parts: Vec<&str> = head.split('.').collect();
        if parts.len() >= 3 && parts.iter().all(|p| p.parse::<u32>().is_ok()) {
            os.version = Some(format!("{}.{}", parts[0], parts[1]));
            os.build = parts[2].parse().ok();
            os.service_pack = Some(match version.find("Service Pack") {
                Some(i) => text::first_number(&version[i..])
                    .and_then(|n| u32::try_from(n).ok())
                    .unwrap_or(0),
                None => 0,
            });
        }
    }
    if os.build.is_none() {
        notes.push("the OS Version row was not recognized".to_string());
    }
    os.arch = row(Row::SystemType).and_then(arch_of_system_type);
    inv.os = Some(os);

    inv.host = Some(Host {
        name: row(Row::SystemName)
            .map(str::to_string)
            .or_else(|| report.system_name.clone()),
        manufacturer: row(Row::Manufacturer)
            .filter(|v| !values::is_placeholder(v))
            .map(str::to_string),
        model: row(Row::Model)
            .filter(|v| !values::is_placeholder(v))
            .map(str::to_string),
        ..Host::default()
    });

    if let Some(processor) = row(Row::Processor) {
        inv.cpu = Some(cpu_of(processor));
        notes.push(
            "cpu.family: msinfo32 shows the processor's name only; its family, model and \
             stepping (wmic cpu get Caption, or the registry's CentralProcessor\\0 Identifier) \
             decide Microsoft's list match"
                .to_string(),
        );
    }

    let installed = row(Row::InstalledMemory).and_then(size_in_bytes);
    let visible = row(Row::TotalMemory).and_then(size_in_bytes);
    if installed.is_some() || visible.is_some() {
        inv.memory = Some(Memory {
            installed_bytes: installed,
            visible_bytes: visible,
            ..Memory::default()
        });
    }

    let mut firmware = Firmware::default();
    if let Some(bios) = row(Row::Bios) {
        let (version, date) = match bios.rsplit_once([',', '，']) {
            Some((v, d)) => (v.trim().to_string(), unambiguous_date(d)),
            None => (bios.to_string(), None),
        };
        firmware.version = Some(version).filter(|v| !v.is_empty());
        firmware.date = date;
    }
    match row(Row::BiosMode).map(str::to_lowercase) {
        Some(mode) if mode.contains("uefi") => firmware.boot_mode = Some(BootMode::Uefi),
        Some(mode) if BIOS_MODE_LEGACY.contains(&mode.as_str()) => {
            firmware.boot_mode = Some(BootMode::Bios)
        }
        Some(mode) => notes.push(format!(
            "firmware.boot_mode: BIOS Mode `{mode}` not recognized"
        )),
        None => notes.push(
            "firmware.boot_mode: the report has no BIOS Mode row; `bcdedit` run as \
             administrator shows how Windows booted"
                .to_string(),
        ),
    }
    match row(Row::SecureBoot).map(str::to_lowercase) {
        Some(state) if SECURE_BOOT_ON.contains(&state.as_str()) => {
            firmware.secure_boot_capable = Some(true);
            firmware.secure_boot_enabled = Some(true);
        }
        Some(state) if SECURE_BOOT_OFF.contains(&state.as_str()) => {
            firmware.secure_boot_enabled = Some(false);
        }
        Some(state) if SECURE_BOOT_UNSUPPORTED.contains(&state.as_str()) => {
            firmware.secure_boot_capable = Some(false);
            firmware.secure_boot_enabled = Some(false);
        }
        Some(state) => notes.push(format!(
            "firmware.secure_boot_enabled: Secure Boot State `{state}` not recognized"
        )),
        None => {}
    }
    if firmware != Firmware::default() {
        inv.firmware = Some(firmware);
    }

    let system_letter = row(Row::WindowsDirectory)
        .and_then(|d| d.get(..2))
        .filter(|d| d.ends_with(':'))
        .unwrap_or("C:")
        .to_ascii_uppercase();
    inv.storage = storage_of(report, &system_letter, &mut notes);

    let (graphics, display) = graphics_of(report);
    if !graphics.is_empty() {
        inv.graphics = Some(graphics);
    }
    inv.display = display;
    inv.collected_at = report.written_at.clone();
    inv.notes = notes;
    inv
}

fn is_not_available(value: &str) -> bool {
    let lower = value.to_lowercase();
    ["not available", "没有资料", "недоступно", "niedostępne"].contains(&lower.as_str())
}

/// The OS architecture from System Type, localized around the `x64`/`x86`/`ARM64` token:
/// `x64-based PC`, `基于 x64 的电脑`, `Компьютер на базе x64`.
fn arch_of_system_type(value: &str) -> Option<Arch> {
    values::arch_from_system_type(value).or_else(|| {
        let lower = value.to_lowercase();
        let words: Vec<&str> = lower.split(|c: char| !c.is_ascii_alphanumeric()).collect();
        if words.contains(&"arm64") {
            Some(Arch::Arm64)
        } else if words.contains(&"x64") {
            Some(Arch::X64)
        } else if words.contains(&"x86") {
            Some(Arch::X86)
        } else {
            None
        }
    })
}

/// `Intel(R) Core(TM) i5-2400 CPU @ 3.10GHz, 3101 Mhz, 4 Core(s), 4 Logical Processor(s)`: the
/// name, the clock, the cores and the logical processors, in that order in every language
/// (the Chinese export separates them with full-width commas).
fn cpu_of(value: &str) -> Cpu {
    let parts: Vec<&str> = value.split([',', '，']).map(str::trim).collect();
    let number = |i: usize| {
        parts
            .get(i)
            .and_then(|p| text::first_number(p))
            .and_then(|n| u32::try_from(n).ok())
    };
    let brand = parts
        .first()
        .map(|b| b.to_string())
        .filter(|b| !b.is_empty());
    let lower = brand.as_deref().unwrap_or("").to_lowercase();
    let vendor = if lower.contains("intel") {
        Some("GenuineIntel".to_string())
    } else if lower.contains("amd") {
        Some("AuthenticAMD".to_string())
    } else {
        None
    };
    Cpu {
        vendor,
        brand,
        cores: if parts.len() >= 4 { number(2) } else { None },
        logical_processors: if parts.len() >= 4 { number(3) } else { None },
        ..Cpu::default()
    }
}

/// `16.0 GB`, `16,0 ГБ`, `8,00 GB`, `512 MB`: msinfo32's binary units, in bytes.
fn size_in_bytes(value: &str) -> Option<u64> {
    let value = value.trim();
    let end = value
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))
        .unwrap_or(value.len());
    let number: f64 = value[..end].replace(',', ".").parse().ok()?;
    let unit = value[end..].trim().to_lowercase();
    let scale: u64 = match unit.chars().next()? {
        't' | 'т' => 1 << 40,
        'g' | 'г' => 1 << 30,
        'm' | 'м' => 1 << 20,
        'k' | 'к' => 1 << 10,
        _ => return None,
    };
    (number.is_finite() && number >= 0.0).then(|| (number * scale as f64).round() as u64)
}

/// The exact byte count msinfo32 writes after a size: `952.60 GB (1,022,844,989,440 bytes)`.
fn exact_bytes(value: &str) -> Option<u64> {
    let open = value.rfind('(')?;
    let inner = &value[open + 1..];
    inner
        .starts_with(|c: char| c.is_ascii_digit())
        .then(|| text::grouped_number(inner))
        .flatten()
}

/// A date that reads one way only (a day over 12, or year first): `2019/1/18`, `13.11.2019`.
/// `02/06/2022` is February or June depending on the locale, which the export does not say.
fn unambiguous_date(value: &str) -> Option<String> {
    let numbers: Vec<u32> = value
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .filter_map(|p| p.parse().ok())
        .collect();
    match numbers[..] {
        [y, m, d] if y > 31 => text::iso_date(y, m, d),
        [a, b, y] if y > 31 && (a > 12 || b > 12) => {
            let (d, m) = if a > 12 { (a, b) } else { (b, a) };
            text::iso_date(y, m, d)
        }
        _ => None,
    }
}

/// The system volume (the drive record whose letter is the Windows directory's) and, where the
/// export lists a single disk, that disk.
fn storage_of(report: &Report, letter: &str, notes: &mut Vec<String>) -> Option<Storage> {
    let is_drive = |record: &Vec<(String, String)>| {
        record.first().is_some_and(|(_, v)| {
            v.len() == 2 && v.ends_with(':') && v.starts_with(|c: char| c.is_ascii_alphabetic())
        })
    };
    let is_system = |record: &&Vec<(String, String)>| {
        record
            .first()
            .is_some_and(|(_, v)| v.eq_ignore_ascii_case(letter))
    };
    // Drives, not CD-ROM (whose records also start with a letter): the one listing the system
    // drive.
    let drives_at = report.categories.iter().position(|c| {
        !c.records.is_empty()
            && c.records.iter().all(is_drive)
            && c.records.iter().any(|r| is_system(&r))
    });
    let Some(drives_at) = drives_at else {
        notes.push(format!(
            "storage.system_volume: the export lists no drive {letter}"
        ));
        return None;
    };
    let system = report.categories[drives_at].records.iter().find(is_system);
    let mut storage = Storage::default();
    if let Some(record) = system {
        // Size comes before Free Space, whatever the language calls them.
        let mut sizes = record.iter().filter_map(|(_, v)| exact_bytes(v));
        storage.system_volume = Some(Volume {
            letter: Some(letter.to_string()),
            size_bytes: sizes.next(),
            free_bytes: sizes.next(),
            ..Volume::default()
        });
    } else {
        notes.push(format!(
            "storage.system_volume: the export lists no drive {letter}"
        ));
    }
    // The Disks category follows Drives under Storage.
    if let Some(disks) = report.categories.get(drives_at + 1) {
        match disks.records.as_slice() {
            [disk] => {
                storage.system_disk = Some(Disk {
                    size_bytes: disk.iter().find_map(|(_, v)| exact_bytes(v)),
                    model: disk
                        .iter()
                        .find(|(item, _)| item == "Model")
                        .map(|(_, v)| v.clone())
                        .filter(|v| !v.is_empty()),
                    ..Disk::default()
                })
            }
            [] => {}
            more => notes.push(format!(
                "storage.system_disk: the export lists {} disks and does not say which holds \
                 Windows",
                more.len()
            )),
        }
    }
    Some(storage).filter(|s| *s != Storage::default())
}

/// Display adapters (the category after Sound Device: `Display`, `显示`, `Дисплей`, `Ekran`):
/// each record's first value is the adapter's name; a four-part dotted number is its driver
/// version; a `W x H …` value its current resolution.
fn graphics_of(report: &Report) -> (Vec<GraphicsAdapter>, Option<Display>) {
    const NAMES: &[&str] = &["display", "显示", "дисплей", "ekran"];
    let Some(category) = report
        .categories
        .iter()
        .find(|c| NAMES.contains(&c.name.to_lowercase().as_str()))
    else {
        return (Vec::new(), None);
    };
    let mut adapters = Vec::new();
    let mut display = None;
    for record in &category.records {
        let name = record
            .first()
            .map(|(_, v)| v.clone())
            .filter(|v| !v.is_empty());
        let driver_version = record
            .iter()
            .map(|(_, v)| v)
            .find(|v| {
                let parts: Vec<&str> = v.split('.').collect();
                parts.len() == 4 && parts.iter().all(|p| p.parse::<u32>().is_ok())
            })
            .cloned();
        if display.is_none() {
            display = record.iter().find_map(|(_, v)| resolution(v));
        }
        if name.is_some() {
            adapters.push(GraphicsAdapter {
                name,
                driver_version,
                ..GraphicsAdapter::default()
            });
        }
    }
    (adapters, display)
}

/// `1920 x 1080 x 60 hertz` as width and height.
fn resolution(value: &str) -> Option<Display> {
    let mut parts = value.split(" x ");
    let width: u32 = parts.next()?.trim().parse().ok()?;
    let height: u32 = parts.next()?.trim().parse().ok()?;
    parts.next()?;
    (width > 0 && height > 0).then_some(Display {
        width: Some(width),
        height: Some(height),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values() {
        assert_eq!(
            header_time("System Information report written at: 02/17/23 10:13:42").as_deref(),
            Some("2023-02-17T10:13:42")
        );
        assert_eq!(header_time("02/30/23 10:13:42"), None);
        assert_eq!(size_in_bytes("16,0 ГБ"), Some(16 << 30));
        assert_eq!(size_in_bytes("8.00 GB"), Some(8 << 30));
        assert_eq!(size_in_bytes("Not Available"), None);
        assert_eq!(
            exact_bytes("952.60 GB (1,022,844,989,440 bytes)"),
            Some(1_022_844_989_440)
        );
        assert_eq!(exact_bytes("(1,048,576) bytes"), Some(1_048_576));
        assert_eq!(unambiguous_date("2019/1/18").as_deref(), Some("2019-01-18"));
        assert_eq!(
            unambiguous_date("Ср 13.11.2019").as_deref(),
            Some("2019-11-13")
        );
        assert_eq!(unambiguous_date("02/06/2022"), None);
        assert_eq!(arch_of_system_type("基于 x64 的电脑"), Some(Arch::X64));
        assert_eq!(
            arch_of_system_type("Компьютер на базе x64"),
            Some(Arch::X64)
        );
        let cpu =
            cpu_of("Intel(R) Core(TM) i7-7820HK CPU @ 2.90GHz，2901 Mhz，4 个内核，8 个逻辑处理器");
        assert_eq!(
            cpu.brand.as_deref(),
            Some("Intel(R) Core(TM) i7-7820HK CPU @ 2.90GHz")
        );
        assert_eq!((cpu.cores, cpu.logical_processors), (Some(4), Some(8)));
        assert_eq!(
            resolution("1920 x 1080 x 143 hertz"),
            Some(Display {
                width: Some(1920),
                height: Some(1080)
            })
        );
    }
}
