//! Reads `Get-ComputerInfo` output: its default list view (`Get-ComputerInfo > info.txt`, which
//! Windows PowerShell 5.1 writes as UTF-16; long values wrap onto indented lines, arrays are cut
//! to four items as `{a, b, c, d...}`, enums are names and dates are in the user's format) and
//! `Get-ComputerInfo | ConvertTo-Json` (enums as numbers; dates as `\/Date(ms)\/` from 5.1, ISO
//! 8601 from PowerShell 7).
//!
//! Get-ComputerInfo "was introduced in Windows PowerShell 5.1"
//! (<https://learn.microsoft.com/powershell/module/microsoft.powershell.management/get-computerinfo>);
//! Windows 7 SP1 gets 5.1 by installing WMF 5.1: Microsoft's "Install and configure WMF 5.1"
//! lists packages for Windows 7 SP1 x64 and x86 (KB3191566, needing .NET Framework 4.5.2)
//! (<https://learn.microsoft.com/powershell/scripting/windows-powershell/wmf/setup/install-configure>,
//! read 2026-12-05 in the MicrosoftDocs/PowerShell-Docs sources).
//!
//! Its `Os*`, `Cs*` and `Bios*` properties are `Win32_OperatingSystem`, `Win32_ComputerSystem`
//! and `Win32_BIOS` with a prefix (`OsTotalVisibleMemorySize`, `CsModel`, and 5.1's misspelt
//! `BiosSeralNumber`), so they become wmic records and go through the wmic mapping;
//! `CsProcessors` becomes `Win32_Processor` records and `OsHotFixes` `Win32_QuickFixEngineering`
//! ones. What is its own is read here: the registry's `Windows*` values (edition ID, owner),
//! `BiosFirmwareType` (the boot mode; Windows 7 lacks the API, so it is empty there) and the
//! installed memory. The `HyperV*` and `DeviceGuard*` properties have no place in inventory v1
//! and are not read. Nothing here is judged.

use super::{cim, parse_json, record, value_text};
use crate::error::{Error, Origin, Result};
use crate::facts::import::text;
use crate::facts::import::values;
use crate::facts::import::wmic::{self, Class, Output, Record, Status};
use crate::facts::inventory::{BootMode, Inventory, License};
use serde_json::Value;

/// The tool, as provenance names it.
pub const COLLECTOR: &str = "Get-ComputerInfo";

/// Properties that only Get-ComputerInfo prints; two of them tell its output.
const KNOWN: &[&str] = &[
    "WindowsProductName",
    "WindowsEditionId",
    "WindowsBuildLabEx",
    "WindowsInstallationType",
    "BiosSMBIOSBIOSVersion",
    "BiosFirmwareType",
    "BiosSeralNumber",
    "CsManufacturer",
    "CsModel",
    "CsName",
    "CsProcessors",
    "OsName",
    "OsArchitecture",
    "OsTotalVisibleMemorySize",
    "OsBuildNumber",
    "OsOperatingSystemSKU",
];

/// Whether `text` is Get-ComputerInfo's list view: it begins with a `Name : value` line and
/// names at least two of its properties.
pub fn sniff_list(text: &str) -> bool {
    let mut lines = text::lines(text).filter(|l| !l.trim().is_empty());
    if lines.next().is_none_or(|l| property_line(l).is_none()) {
        return false;
    }
    text::lines(text)
        .filter_map(property_line)
        .filter(|(key, _)| KNOWN.contains(key))
        .take(2)
        .count()
        == 2
}

/// Whether `text` is Get-ComputerInfo's JSON: an object with at least two of its properties.
pub fn sniff_json(text: &str) -> bool {
    text.trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with('{')
        && KNOWN
            .iter()
            .filter(|k| super::has_key(text, k))
            .take(2)
            .count()
            == 2
}

/// A `Name : value` line of the list view (the name at the line's start, padded to the colon).
fn property_line(line: &str) -> Option<(&str, &str)> {
    let (key, value) = line.split_once(':')?;
    let name = key.trim_end();
    let valid = !name.is_empty()
        && name.len() <= 80
        && !line.starts_with(char::is_whitespace)
        && name.starts_with(|c: char| c.is_ascii_uppercase())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    valid.then(|| (name, value.strip_prefix(' ').unwrap_or(value)))
}

/// The properties as printed, by name.
struct Properties {
    values: Vec<(String, Value)>,
    /// From the list view: enums are names, dates the user's format, arrays `{a, b...}` text.
    list: bool,
}

impl Properties {
    fn get(&self, name: &str) -> Option<&Value> {
        self.values
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
            .filter(|v| !v.is_null() && v.as_str().is_none_or(|s| !s.trim().is_empty()))
    }

    fn text(&self, name: &str) -> Option<String> {
        self.get(name)
            .and_then(value_text)
            .map(|s| text::squash(&s))
    }
}

/// Reads the list view; a line that is neither `Name : value` nor an indented continuation is
/// an error naming it.
pub fn import_list(text: &str, origin: &Origin) -> Result<Inventory> {
    let mut values: Vec<(String, Value)> = Vec::new();
    for (n, line) in text::lines(text).enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        if line.starts_with(char::is_whitespace) {
            if let Some((_, Value::String(value))) = values.last_mut() {
                // Wrapped at the column: the break may fall inside a word, so nothing is added.
                value.push_str(line.trim_start());
                continue;
            }
        } else if let Some((key, value)) = property_line(line) {
            values.push((key.to_string(), Value::String(value.to_string())));
            continue;
        }
        return Err(Error::ImportFailed {
            origin: origin.clone(),
            message: format!(
                "Get-ComputerInfo list view: line {} is neither `Name : value` nor a \
                 continuation: `{}`",
                n + 1,
                crate::input::excerpt(line.trim())
            ),
        });
    }
    for (_, value) in &mut values {
        if let Value::String(s) = value {
            *s = s.trim().to_string();
        }
    }
    Ok(to_inventory(&Properties { values, list: true }))
}

/// Reads `ConvertTo-Json` output; a file that is not JSON (a truncated one) is an error naming
/// the line.
pub fn import_json(text: &str, origin: &Origin) -> Result<Inventory> {
    let Value::Object(object) = parse_json(text, "Get-ComputerInfo", origin)? else {
        return Err(Error::ImportFailed {
            origin: origin.clone(),
            message: "Get-ComputerInfo JSON is not one object".to_string(),
        });
    };
    Ok(to_inventory(&Properties {
        values: object.into_iter().collect(),
        list: false,
    }))
}

fn to_inventory(p: &Properties) -> Inventory {
    let mut notes = Vec::new();
    let outputs: Vec<Output> = [
        (Class::OperatingSystem, vec![os_record(p)]),
        (Class::ComputerSystem, vec![computer_system_record(p)]),
        (Class::Bios, vec![bios_record(p)]),
        (Class::Processor, processors(p)),
        (Class::QuickFixEngineering, hotfixes(p, &mut notes)),
    ]
    .into_iter()
    .filter(|(_, records)| records.iter().any(|r| !r.0.is_empty()))
    .map(|(class, records)| Output {
        class: Some(class),
        status: Status::Records,
        records,
    })
    .collect();
    let mut inv = wmic::to_inventory(&outputs, None);
    windows(&mut inv, p);
    firmware_type(&mut inv, p, &mut notes);
    installed_memory(&mut inv, p);
    inv.notes.extend(notes);
    inv
}

/// The properties under `prefix` as the class's own, renamed by `rename` (`None` leaves one
/// out); dates of the list view are turned into CIM datetimes.
fn class_record(p: &Properties, prefix: &str, rename: impl Fn(&str) -> Option<&str>) -> Record {
    let offset = p
        .get("OsCurrentTimeZone")
        .and_then(value_text)
        .and_then(|v| v.trim().parse::<i32>().ok());
    let mut record = Record::default();
    for (key, value) in &p.values {
        let Some(name) = key
            .strip_prefix(prefix)
            .filter(|rest| rest.starts_with(|c: char| c.is_ascii_uppercase()))
        else {
            continue;
        };
        let Some(name) = rename(name) else { continue };
        let Some(mut text) = value_text(value) else {
            continue;
        };
        if p.list && DATES.contains(&key.as_str()) {
            let Some(cim) = display_date_as_cim(&text, offset) else {
                continue;
            };
            text = cim;
        }
        record.0.push((name.to_string(), text));
    }
    record
}

/// The date properties, printed in the user's format in the list view.
const DATES: &[&str] = &[
    "OsInstallDate",
    "OsLocalDateTime",
    "OsLastBootUpTime",
    "BiosReleaseDate",
];

/// `Win32_OperatingSystem`, from the `Os*` properties.
fn os_record(p: &Properties) -> Record {
    class_record(p, "Os", |name| match name {
        "Name" => Some("Caption"),
        "Architecture" => Some("OSArchitecture"),
        "DataExecutionPreventionAvailable" => Some("DataExecutionPrevention_Available"),
        "HotFixes" | "Uptime" | "Language" => None,
        other => Some(other),
    })
}

/// `Win32_ComputerSystem`, from the `Cs*` properties; the list view names `PCSystemType`.
fn computer_system_record(p: &Properties) -> Record {
    let mut record = class_record(p, "Cs", |name| match name {
        "Processors"
        | "NetworkAdapters"
        | "PhyicallyInstalledMemory"
        | "PhysicallyInstalledMemory" => None,
        other => Some(other),
    });
    for (key, value) in &mut record.0 {
        if key.eq_ignore_ascii_case("PCSystemType") {
            if let Some(code) = pc_system_type_code(value) {
                *value = code.to_string();
            }
        }
    }
    record
}

/// The `PCSystemType` enum's names as the list view prints them.
fn pc_system_type_code(name: &str) -> Option<u32> {
    let names = [
        "Unspecified",
        "Desktop",
        "Mobile",
        "Workstation",
        "EnterpriseServer",
        "SOHOServer",
        "AppliancePC",
        "PerformanceServer",
        "Slate",
    ];
    names
        .iter()
        .position(|n| n.eq_ignore_ascii_case(name.trim()))
        .and_then(|i| u32::try_from(i).ok())
}

/// `Win32_BIOS`, from the `Bios*` properties (5.1 spells the serial `BiosSeralNumber`).
fn bios_record(p: &Properties) -> Record {
    class_record(p, "Bios", |name| match name {
        "SeralNumber" => Some("SerialNumber"),
        "FirmwareType" => None,
        other => Some(other),
    })
}

/// `Win32_Processor` records from `CsProcessors`: whole objects in JSON, names only in the list
/// view (where a fifth processor on would be cut off, which no PC has).
fn processors(p: &Properties) -> Vec<Record> {
    match p.get("CsProcessors") {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_object)
            .map(|o| record(o, |k| Some(k.to_string())))
            .collect(),
        Some(Value::String(list)) => list_items(list)
            .0
            .into_iter()
            .map(|name| Record(vec![("Name".to_string(), name)]))
            .collect(),
        _ => Vec::new(),
    }
}

/// `Win32_QuickFixEngineering` records from `OsHotFixes`. The list view shows the first four
/// only, so a cut list gives no count.
fn hotfixes(p: &Properties, notes: &mut Vec<String>) -> Vec<Record> {
    match p.get("OsHotFixes") {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_object)
            .map(|o| record(o, |k| Some(k.to_string())))
            .collect(),
        Some(Value::String(list)) => {
            let (ids, cut) = list_items(list);
            if cut {
                notes.push(
                    "os.hotfix_count: Get-ComputerInfo's list view shows only the first \
                     hotfixes; use `Get-HotFix` or the JSON form for the count"
                        .to_string(),
                );
                return Vec::new();
            }
            ids.into_iter()
                .map(|id| Record(vec![("HotFixID".to_string(), id)]))
                .collect()
        }
        _ => Vec::new(),
    }
}

/// The items of a list view array, `{a, b, c...}`, and whether it was cut (`...`).
fn list_items(list: &str) -> (Vec<String>, bool) {
    let inner = list.trim().trim_start_matches('{').trim_end_matches('}');
    let (inner, cut) = match inner.strip_suffix("...") {
        Some(rest) => (rest, true),
        None => (inner, false),
    };
    let items = inner
        .split(", ")
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    (items, cut)
}

/// What the registry's `Windows*` values and the OS's culture names add: the edition ID, the
/// name where the OS gave none, the registered owner, the language, the system locale and the
/// product ID.
fn windows(inv: &mut Inventory, p: &Properties) {
    let edition = p.text("WindowsEditionId");
    let product = p.text("WindowsProductName");
    let owner = p.text("WindowsRegisteredOwner");
    let language = p
        .text("OsLanguage")
        .filter(|l| l.contains('-'))
        .map(|l| values::normalize_locale(&l));
    let locale = p
        .text("OsLocale")
        .filter(|l| l.contains('-'))
        .map(|l| values::normalize_locale(&l));
    if [&edition, &product, &owner, &language, &locale]
        .iter()
        .any(|v| v.is_some())
    {
        let os = inv.os.get_or_insert_with(Default::default);
        os.edition = os.edition.take().or(edition);
        // The registry's name stays "Windows 10" on Windows 11: the OS's own caption goes first.
        os.name = os
            .name
            .take()
            .or_else(|| product.map(|n| values::product_name(&n, os.build)));
        os.registered_owner = os.registered_owner.take().or(owner);
        os.locale = os.locale.take().or(locale);
        // `OsLanguage` is the language Windows was installed in, as `OSLanguage`'s code is; the
        // wmic mapping could only guess it from the first of `OsMuiLanguages`.
        os.language = language.or(os.language.take());
    }
    if let Some(id) = p.text("WindowsProductId") {
        let license = inv.license.get_or_insert_with(License::default);
        license.product_id = license.product_id.take().or(Some(id));
    }
}

/// `BiosFirmwareType`: how Windows booted (`Uefi`/`Bios` in the list view, 2/1 in JSON).
fn firmware_type(inv: &mut Inventory, p: &Properties, notes: &mut Vec<String>) {
    let Some(value) = p.text("BiosFirmwareType") else {
        return;
    };
    let mode = match value.to_ascii_lowercase().as_str() {
        "uefi" | "2" => BootMode::Uefi,
        "bios" | "1" => BootMode::Bios,
        _ => {
            notes.push(format!(
                "firmware.boot_mode: BiosFirmwareType is `{value}`, neither Bios nor Uefi"
            ));
            return;
        }
    };
    inv.firmware.get_or_insert_with(Default::default).boot_mode = Some(mode);
}

/// `CsPhysicallyInstalledMemory` (5.1: `CsPhyicallyInstalledMemory`), in KiB: the modules'
/// sum as the firmware reports it.
fn installed_memory(inv: &mut Inventory, p: &Properties) {
    let kib = p
        .text("CsPhysicallyInstalledMemory")
        .or_else(|| p.text("CsPhyicallyInstalledMemory"))
        .and_then(|v| v.parse::<u64>().ok())
        .filter(|k| *k > 0);
    if let Some(bytes) = kib.and_then(|k| k.checked_mul(1024)) {
        let memory = inv.memory.get_or_insert_with(Default::default);
        memory.installed_bytes = memory.installed_bytes.or(Some(bytes));
    }
}

/// A date and time as the list view prints it in the user's format (`10/3/2019 7:40:59 PM`,
/// `03.10.2019 19:40:59`), as a CIM datetime with the OS's offset from UTC where known.
fn display_date_as_cim(s: &str, offset_minutes: Option<i32>) -> Option<String> {
    let date = text::regional_date(s.split_whitespace().next()?, s)?;
    let mut parts = date.split('-').map(|p| p.parse::<u32>().ok());
    let (year, month, day) = (parts.next()??, parts.next()??, parts.next()??);
    let time = s.split_whitespace().nth(1).and_then(|t| {
        let mut hms = t.split(':').map(|p| p.parse::<u32>().ok());
        let (mut h, m, sec) = (
            hms.next()??,
            hms.next()??,
            hms.next().flatten().unwrap_or(0),
        );
        let upper = s.to_ascii_uppercase();
        if upper.ends_with("PM") && h < 12 {
            h += 12;
        } else if upper.ends_with("AM") && h == 12 {
            h = 0;
        }
        (h < 24 && m < 60 && sec < 60).then_some((h, m, sec))
    });
    Some(cim((year, month, day), time, offset_minutes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_view_dates_take_the_os_offset() {
        assert_eq!(
            display_date_as_cim("10/10/2019 7:30:52 PM", Some(-420)).as_deref(),
            Some("20191010193052.000000-420")
        );
        assert_eq!(
            display_date_as_cim("03.10.2019 00:05:01", None).as_deref(),
            Some("20191003000501.000000")
        );
        assert_eq!(
            display_date_as_cim("8/14/2019 12:00:00 AM", Some(0)).as_deref(),
            Some("20190814000000.000000+000")
        );
        assert_eq!(display_date_as_cim("soon", None), None);
    }

    #[test]
    fn list_items_and_cuts() {
        assert_eq!(
            list_items("{KB1, KB2, KB3, KB4...}"),
            (
                vec!["KB1".into(), "KB2".into(), "KB3".into(), "KB4".into()],
                true
            )
        );
        assert_eq!(
            list_items("{Intel(R) Core(TM) i5}"),
            (vec!["Intel(R) Core(TM) i5".into()], false)
        );
        assert_eq!(pc_system_type_code("Mobile"), Some(2));
        assert_eq!(pc_system_type_code("Nonsense"), None);
    }

    #[test]
    fn sniffs() {
        assert!(sniff_list(
            "\r\n\r\nOsName      : Windows 7\r\nCsModel     : X\r\n"
        ));
        assert!(!sniff_list("Host Name:   PC\r\nOS Name:   Windows 7\r\n"));
        assert!(!sniff_list("  OsName : a\r\nCsModel : b\r\n"));
        assert!(sniff_json("{\"OsName\": \"a\", \"CsModel\": \"b\"}"));
        assert!(!sniff_json("{\"OsName\": \"a\"}"));
    }
}
