//! Reads an evidence folder written by `collectors/windows7/collect.cmd` (a `manifest.txt` and
//! the raw outputs of systeminfo, wmic, reg and bcdedit) into one inventory, merging the sources
//! by provenance.
//!
//! Precedence, per inventory section (the first source that has a field gives it; later ones only
//! fill what is still absent):
//!
//! | section | order | why |
//! |---|---|---|
//! | os | registry, wmic, systeminfo | the registry holds the edition ID and build as Windows keeps them; systeminfo only the localized name |
//! | cpu | wmic, registry, systeminfo | wmic and the registry give the brand string; systeminfo only `Family 6 Model 58` |
//! | memory | wmic, systeminfo | `Win32_PhysicalMemory` is installed memory; systeminfo's total is what Windows can use |
//! | firmware | bcdedit, registry, wmic, systeminfo | the loader path is how Windows booted; the BIOS facts come from WMI |
//! | host, storage, tpm, graphics, display | wmic, systeminfo | only WMI has them (systeminfo has the host) |
//! | license | wmic, registry, systeminfo | `SoftwareLicensingProduct` is the installed licence; the registry has the key |
//! | software | registry | the Uninstall keys |
//!
//! A file that is missing, unreadable or holds an error message gives a note naming it, never an
//! abort; only a folder with no readable tool output at all is an error.

use super::wmic::{self, Class};
use super::{reg, systeminfo, text, Fragment};
use crate::error::{Error, Origin, Result};
use crate::facts::inventory::{Arch, BootMode, Chassis, Inventory, PartitionStyle, Source, SCHEMA};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What collect.cmd's manifest says about the run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Manifest {
    pub collector: Option<String>,
    pub version: Option<String>,
    pub computername: Option<String>,
    /// `%DATE% %TIME%` as cmd printed it (locale-dependent).
    pub started: Option<String>,
    pub elevated: Option<bool>,
    pub files: Vec<ManifestFile>,
}

/// One `file=NAME|exit=N|command=…` line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ManifestFile {
    pub name: String,
    pub exit: Option<i64>,
    pub command: Option<String>,
}

/// Reads a manifest's text; unknown lines are ignored.
pub fn parse_manifest(text: &str) -> Manifest {
    let mut manifest = Manifest::default();
    for line in text::lines(text) {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix("file=") {
            let mut parts = rest.split('|');
            let name = parts.next().unwrap_or("").trim().to_string();
            let mut file = ManifestFile {
                name,
                ..ManifestFile::default()
            };
            for part in parts {
                if let Some(exit) = part.strip_prefix("exit=") {
                    file.exit = exit.trim().parse().ok();
                } else if let Some(command) = part.strip_prefix("command=") {
                    file.command = Some(command.trim().to_string());
                }
            }
            if !file.name.is_empty() {
                manifest.files.push(file);
            }
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        let value = Some(value.trim().to_string()).filter(|v| !v.is_empty());
        match key.trim() {
            "collector" => manifest.collector = value,
            "version" => manifest.version = value,
            "computername" => manifest.computername = value,
            "started" => manifest.started = value,
            "elevated" => {
                manifest.elevated = match value.as_deref().map(str::to_ascii_lowercase).as_deref() {
                    Some("yes" | "true" | "1") => Some(true),
                    Some("no" | "false" | "0") => Some(false),
                    _ => None,
                }
            }
            _ => {}
        }
    }
    manifest
}

/// What collect.cmd writes, and what each file should hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    Systeminfo,
    Wmic(Class),
    Reg,
    Bcdedit,
}

const EXPECTED: &[(&str, Expect)] = &[
    ("systeminfo.txt", Expect::Systeminfo),
    ("systeminfo.csv", Expect::Systeminfo),
    ("wmic-os.txt", Expect::Wmic(Class::OperatingSystem)),
    (
        "wmic-computersystem.txt",
        Expect::Wmic(Class::ComputerSystem),
    ),
    ("wmic-bios.txt", Expect::Wmic(Class::Bios)),
    ("wmic-baseboard.txt", Expect::Wmic(Class::BaseBoard)),
    ("wmic-cpu.txt", Expect::Wmic(Class::Processor)),
    ("wmic-memorychip.txt", Expect::Wmic(Class::PhysicalMemory)),
    ("wmic-diskdrive.txt", Expect::Wmic(Class::DiskDrive)),
    ("wmic-logicaldisk.txt", Expect::Wmic(Class::LogicalDisk)),
    ("wmic-partition.txt", Expect::Wmic(Class::DiskPartition)),
    (
        "wmic-videocontroller.txt",
        Expect::Wmic(Class::VideoController),
    ),
    ("wmic-tpm.txt", Expect::Wmic(Class::Tpm)),
    ("wmic-tpm-pnp.txt", Expect::Wmic(Class::TpmDevice)),
    (
        "wmic-licensing.txt",
        Expect::Wmic(Class::SoftwareLicensingProduct),
    ),
    ("wmic-qfe.txt", Expect::Wmic(Class::QuickFixEngineering)),
    ("reg-currentversion.reg", Expect::Reg),
    ("reg-uninstall-hklm.reg", Expect::Reg),
    ("reg-uninstall-wow64.reg", Expect::Reg),
    ("reg-uninstall-hkcu.reg", Expect::Reg),
    ("reg-cpu0.reg", Expect::Reg),
    ("reg-secureboot.txt", Expect::Reg),
    ("reg-firmwaretype.txt", Expect::Reg),
    ("bcdedit.txt", Expect::Bcdedit),
];

/// The collected sources of one folder, before merging.
#[derive(Default)]
struct Sources {
    systeminfo: Vec<(String, Fragment)>,
    wmic: Vec<wmic::Output>,
    reg: Vec<(String, reg::RegFile)>,
    bcdedit: Vec<(String, Inventory)>,
    other: Vec<(String, Fragment)>,
    notes: Vec<String>,
}

impl Sources {
    fn recognized(&self) -> bool {
        !self.systeminfo.is_empty()
            || self.wmic.iter().any(|o| o.status == wmic::Status::Records)
            || !self.reg.is_empty()
            || !self.bcdedit.is_empty()
            || !self.other.is_empty()
    }
}

/// Whether a folder holds evidence: a manifest or any file collect.cmd writes.
pub fn looks_like_evidence(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries.flatten().any(|e| {
            let name = e.file_name().to_string_lossy().to_lowercase();
            name == "manifest.txt" || EXPECTED.iter().any(|(n, _)| *n == name)
        })
    })
}

/// One inventory from an evidence folder.
pub fn import_evidence_dir(dir: &Path) -> Result<Inventory> {
    let entries = std::fs::read_dir(dir).map_err(|source| Error::Read {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut files: BTreeMap<String, PathBuf> = BTreeMap::new();
    let mut sources = Sources::default();
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_file() {
            files.insert(entry.file_name().to_string_lossy().to_lowercase(), path);
        } else if path.is_symlink() && !path.exists() {
            sources.notes.push(format!(
                "{}: a symbolic link to a missing file; not read",
                entry.file_name().to_string_lossy()
            ));
        }
    }

    let manifest = match files.remove("manifest.txt") {
        Some(path) => match crate::input::read_file(&path, crate::input::Kind::ToolOutput) {
            Ok(bytes) => Some(parse_manifest(&text::decode(&bytes).text)),
            Err(e) => {
                sources
                    .notes
                    .push(format!("manifest.txt: cannot read: {e}"));
                None
            }
        },
        None => None,
    };
    if manifest.is_none() {
        sources.notes.push(
            "manifest.txt: missing; whether the collector ran as administrator is unknown"
                .to_string(),
        );
    }
    let manifest = manifest.unwrap_or_default();
    let exit_of = |name: &str| {
        manifest
            .files
            .iter()
            .find(|f| f.name.eq_ignore_ascii_case(name))
            .and_then(|f| f.exit)
    };

    // The system locale picks the code page of the 8-bit files (systeminfo, bcdedit, reg query).
    let locale = files
        .get("systeminfo.txt")
        .and_then(|p| crate::input::read_file(p, crate::input::Kind::ToolOutput).ok())
        .and_then(|bytes| match text::decode(&bytes).encoding {
            text::Encoding::Utf16Le | text::Encoding::Utf16Be | text::Encoding::Utf8 => None,
            _ => text::find_locale_tag(&bytes),
        });

    for (name, _) in EXPECTED {
        if !files.contains_key(*name) {
            sources
                .notes
                .push(format!("{name}: missing from the evidence folder"));
        }
    }

    for (name, path) in &files {
        let expect = EXPECTED.iter().find(|(n, _)| n == name).map(|(_, e)| *e);
        let bytes = match crate::input::read_file(path, crate::input::Kind::ToolOutput) {
            Ok(b) => b,
            Err(e) => {
                sources.notes.push(format!("{name}: {e}"));
                continue;
            }
        };
        let decoded = text::decode_with(&bytes, locale.as_deref());
        read_one(name, expect, &decoded.text, exit_of(name), &mut sources);
    }

    if !sources.recognized() {
        return Err(Error::EvidenceEmpty {
            path: dir.to_path_buf(),
        });
    }
    let mut inventory = merge(sources, &manifest);
    if inventory.collected_at.is_none() {
        inventory.collected_at = manifest
            .started
            .as_deref()
            .and_then(started_at)
            .or_else(|| folder_time(dir));
    }
    derive(&mut inventory);
    Ok(inventory)
}

fn failure(name: &str, text: &str, exit: Option<i64>, what: &str) -> String {
    let exit = match exit {
        Some(code) if code != 0 => format!(" (exit code {code})"),
        _ => String::new(),
    };
    let content = super::tool_error(text)
        .or_else(|| {
            text::lines(text)
                .map(str::trim)
                .find(|l| !l.is_empty())
                .map(|l| l.chars().take(120).collect())
        })
        .map(|m| format!(": {m}"))
        .unwrap_or_else(|| ": the file is empty".to_string());
    format!("{name}: not {what}{exit}{content}")
}

fn read_one(name: &str, expect: Option<Expect>, text: &str, exit: Option<i64>, s: &mut Sources) {
    let origin = Origin(name.to_string());
    match expect {
        Some(Expect::Systeminfo) => match systeminfo::sniff(text) {
            Some(_) => s
                .systeminfo
                .push((name.to_string(), systeminfo::import(text))),
            None => s.notes.push(failure(name, text, exit, "systeminfo output")),
        },
        Some(Expect::Wmic(class)) => {
            let output = wmic::parse_as(text, Some(class));
            match &output.status {
                wmic::Status::Records => {}
                // Absence and errors of the TPM and licensing queries are judged with the rights
                // the run had (wmic::to_inventory notes them).
                wmic::Status::NoInstances | wmic::Status::Error(_)
                    if matches!(
                        class,
                        Class::Tpm | Class::TpmDevice | Class::SoftwareLicensingProduct
                    ) => {}
                wmic::Status::NoInstances => s
                    .notes
                    .push(format!("{name}: wmic found no instance of {class:?}")),
                _ => s.notes.push(failure(name, text, exit, "wmic output")),
            }
            s.wmic.push(output);
        }
        Some(Expect::Reg) => match reg::parse_text(text, &origin) {
            Ok(file) => s.reg.push((name.to_string(), file)),
            Err(_) => s.notes.push(failure(
                name,
                text,
                exit,
                "registry data (the key or value may not exist on this machine)",
            )),
        },
        Some(Expect::Bcdedit) => {
            if super::bcdedit::sniff(text) {
                s.bcdedit
                    .push((name.to_string(), super::bcdedit::import(text)));
            } else {
                s.notes.push(failure(
                    name,
                    text,
                    exit,
                    "bcdedit output (it needs administrator rights)",
                ));
            }
        }
        None => match super::sniff(text) {
            Some(format) => match super::import_text(text, format, &origin) {
                Ok(fragment) => s.other.push((name.to_string(), fragment)),
                Err(e) => s.notes.push(format!("{name}: {e}")),
            },
            None => s
                .notes
                .push(format!("{name}: ignored; not a tool output w7plan reads")),
        },
    }
}

/// Fills every field of `dst` that is absent with the one in `src` (recursively; lists are
/// taken whole).
fn fill(dst: &mut serde_json::Value, src: &serde_json::Value) {
    use serde_json::Value;
    match (dst, src) {
        (Value::Object(d), Value::Object(s)) => {
            for (key, value) in s {
                match d.get_mut(key) {
                    Some(existing) => fill(existing, value),
                    None => {
                        d.insert(key.clone(), value.clone());
                    }
                }
            }
        }
        (d @ Value::Null, s) => *d = s.clone(),
        _ => {}
    }
}

/// One machine's inventories from several inputs merged into one by the rule the evidence
/// folder's sources follow: the first that has a field gives it, the later ones only fill what
/// is still absent (lists are taken whole). The caller orders them (the fleet: newest
/// collection first). Notes are left to the caller.
pub fn merge_in_order(inventories: &[&Inventory]) -> Inventory {
    let mut merged = serde_json::Value::Object(serde_json::Map::new());
    for inventory in inventories {
        fill(&mut merged, &to_value(inventory));
    }
    serde_json::from_value(merged).unwrap_or_else(|_| {
        // Every part is an inventory serialized, so it reads back; the first stands if not.
        inventories
            .first()
            .map(|i| Inventory {
                notes: Vec::new(),
                ..(*i).clone()
            })
            .unwrap_or_default()
    })
}

fn to_value(inventory: &Inventory) -> serde_json::Value {
    let mut without_notes = inventory.clone();
    without_notes.notes.clear();
    serde_json::to_value(&without_notes).unwrap_or(serde_json::Value::Null)
}

/// Which sources give a section, in precedence order.
fn order(section: &str) -> &'static [&'static str] {
    match section {
        "os" => &["reg", "wmic", "systeminfo", "other", "manifest"],
        "cpu" => &["wmic", "reg", "systeminfo", "other"],
        "memory" => &["wmic", "systeminfo", "other"],
        "firmware" => &["bcdedit", "reg", "wmic", "systeminfo", "other"],
        "license" => &["wmic", "reg", "systeminfo", "other"],
        "software" => &["reg", "other"],
        "host" => &["wmic", "systeminfo", "manifest", "reg", "other"],
        _ => &["wmic", "reg", "systeminfo", "bcdedit", "other", "manifest"],
    }
}

fn merge(sources: Sources, manifest: &Manifest) -> Inventory {
    let mut notes = sources.notes;
    let mut by_source: BTreeMap<&str, Vec<serde_json::Value>> = BTreeMap::new();

    // systeminfo: the list form first, the CSV filling in.
    let mut sorted = sources.systeminfo;
    sorted.sort_by_key(|(name, _)| name.ends_with(".csv"));
    let mut native_arch: Option<Arch> = None;
    // Each source's notes are kept, prefixed with where they came from, and its fragment joins
    // the others of its kind for the merge below.
    let mut record = |kind: &'static str, label: &str, inventory: &Inventory| {
        notes.extend(inventory.notes.iter().map(|n| format!("{label}: {n}")));
        by_source.entry(kind).or_default().push(to_value(inventory));
    };
    for (name, fragment) in &sorted {
        native_arch = native_arch.or(fragment.inventory.os.as_ref().and_then(|o| o.arch));
        record("systeminfo", name, &fragment.inventory);
    }

    let wmic = wmic::to_inventory(&sources.wmic, manifest.elevated);
    native_arch = wmic.os.as_ref().and_then(|o| o.arch).or(native_arch);
    record("wmic", "wmic", &wmic);

    if !sources.reg.is_empty() {
        let files: Vec<&reg::RegFile> = sources.reg.iter().map(|(_, f)| f).collect();
        let reg = reg::to_inventory_with(&files, native_arch);
        record("reg", "registry", &reg);
    }
    for (name, inv) in &sources.bcdedit {
        record("bcdedit", name, inv);
    }
    for (name, fragment) in &sources.other {
        record("other", name, &fragment.inventory);
    }
    if let Some(name) = &manifest.computername {
        by_source
            .entry("manifest")
            .or_default()
            .push(serde_json::json!({"host": {"name": name}}));
    }

    let mut merged = serde_json::Value::Object(serde_json::Map::new());
    let sections: Vec<String> = by_source
        .values()
        .flatten()
        .filter_map(|v| v.as_object())
        .flat_map(|o| o.keys().cloned())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    for section in &sections {
        for source in order(section) {
            for value in by_source.get(source).into_iter().flatten() {
                if let Some(part) = value.get(section) {
                    let slot = merged
                        .as_object_mut()
                        .map(|m| m.entry(section.clone()).or_insert(serde_json::Value::Null));
                    if let Some(slot) = slot {
                        fill(slot, part);
                    }
                }
            }
        }
    }
    let mut inventory: Inventory = match serde_json::from_value(merged) {
        Ok(inv) => inv,
        Err(e) => {
            notes.push(format!("merging the sources failed: {e}"));
            Inventory::default()
        }
    };
    inventory.schema = Some(SCHEMA.to_string());
    inventory.source = Some(Source {
        collector: Some(
            manifest
                .collector
                .clone()
                .unwrap_or_else(|| "collect.cmd".to_string()),
        ),
        version: manifest.version.clone(),
        elevated: manifest.elevated,
    });
    cross_check(&by_source, &mut notes);
    let merged = serde_json::to_value(&inventory).unwrap_or(serde_json::Value::Null);
    notes.retain(|note| !is_moot(note, &merged));
    notes.dedup();
    inventory.notes = notes;
    inventory
}

/// Whether a note about a field (`file: cpu.max_mhz: …`) no longer applies because another
/// source gave that field.
fn is_moot(note: &str, merged: &serde_json::Value) -> bool {
    note.split(": ").take(2).any(|part| {
        part.contains('.')
            && part
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b == b'.' || b == b'_')
            && merged
                .pointer(&format!("/{}", part.replace('.', "/")))
                .is_some_and(|v| !v.is_null())
    })
}

/// Notes where two sources disagree on a fact that matters.
fn cross_check(by_source: &BTreeMap<&str, Vec<serde_json::Value>>, notes: &mut Vec<String>) {
    let pick = |source: &str, pointer: &str| -> Option<serde_json::Value> {
        by_source
            .get(source)?
            .iter()
            .find_map(|v| v.pointer(pointer).cloned())
    };
    if let (Some(from_key), Some(installed)) = (
        pick("reg", "/license/partial_key"),
        pick("wmic", "/license/partial_key"),
    ) {
        if from_key != installed {
            notes.push(format!(
                "license: the key in DigitalProductId ends {from_key} but the installed licence's \
                 key ends {installed} (the key was changed after installation)"
            ));
        }
    }
}

/// `%DATE% %TIME%` as cmd prints it in several locales (`Tue 05/14/2013  9:30:12.34`,
/// `14.05.2013  9:30:12,34`, `14/05/2013 9:30:12,34`, `2013-05-14 9:30:12.34`) as local ISO
/// `YYYY-MM-DDTHH:MM:SS`; `None` when the day and month cannot be told apart.
pub fn started_at(started: &str) -> Option<String> {
    let words: Vec<&str> = started.split_whitespace().collect();
    let weekday = words
        .first()
        .is_some_and(|w| w.chars().all(char::is_alphabetic) && !w.is_empty());
    let date = words.iter().find(|w| {
        w.chars().filter(|c| c.is_ascii_digit()).count() >= 6
            && w.contains(['/', '.', '-'])
            && !w.contains(':')
    })?;
    let time = words.iter().find(|w| w.contains(':'))?;
    let numbers: Vec<u32> = date
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .filter_map(|p| p.parse().ok())
        .collect();
    let (year, month, day) = match numbers.as_slice() {
        [y, m, d] if *y > 31 => (*y, *m, *d),
        [a, b, y] if *y > 31 => {
            if *a > 12 {
                (*y, *b, *a)
            } else if *b > 12 || (weekday && date.contains('/')) {
                (*y, *a, *b)
            } else if date.contains('.') || date.contains('-') {
                (*y, *b, *a)
            } else if a == b {
                (*y, *a, *b)
            } else {
                return None;
            }
        }
        _ => return None,
    };
    let date = text::iso_date(year, month, day)?;
    let clock: Vec<u32> = time
        .split([':', '.', ','])
        .take(3)
        .map(|p| p.trim().parse().ok())
        .collect::<Option<_>>()?;
    match clock.as_slice() {
        [h, m, s] if *h < 24 && *m < 60 && *s < 61 => Some(format!("{date}T{h:02}:{m:02}:{s:02}")),
        _ => None,
    }
}

/// The time in a `<COMPUTERNAME>-<yyyymmdd-hhmm>` folder name, as local ISO.
fn folder_time(dir: &Path) -> Option<String> {
    let name = dir.file_name()?.to_str()?;
    let (rest, hhmm) = name.rsplit_once('-')?;
    let (_, ymd) = rest.rsplit_once('-')?;
    if ymd.len() != 8
        || hhmm.len() != 4
        || !format!("{ymd}{hhmm}").bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let n = |s: &str| s.parse::<u32>().ok();
    let date = text::iso_date(n(&ymd[..4])?, n(&ymd[4..6])?, n(&ymd[6..])?)?;
    let (h, m) = (n(&hhmm[..2])?, n(&hhmm[2..])?);
    (h < 24 && m < 60).then(|| format!("{date}T{h:02}:{m:02}:00"))
}

/// What every imported inventory gets from its own facts:
/// - a guest of a known hypervisor is `chassis: vm`;
/// - a legacy BIOS boot has Secure Boot off (it needs UEFI);
/// - Windows boots UEFI only from GPT and BIOS only from MBR, so the system disk's style gives
///   the boot mode where nothing else told it (with a note);
/// - `cpu.address_width` is the OS's bitness, as Win32_Processor reports it;
/// - the edition, from the OS name, where only the name was seen.
pub fn derive(inv: &mut Inventory) {
    if let Some(host) = inv.host.as_mut() {
        if super::values::is_virtual_machine(
            host.manufacturer.as_deref().unwrap_or(""),
            host.model.as_deref().unwrap_or(""),
        ) {
            host.chassis = Some(Chassis::Vm);
        }
    }
    let style = inv
        .storage
        .as_ref()
        .and_then(|s| s.system_disk.as_ref())
        .and_then(|d| d.partition_style);
    let has_os = inv.os.is_some();
    let firmware_known = inv.firmware.as_ref().is_some_and(|f| f.boot_mode.is_some());
    if !firmware_known && has_os {
        if let Some(style) = style {
            let mode = match style {
                PartitionStyle::Gpt => BootMode::Uefi,
                PartitionStyle::Mbr => BootMode::Bios,
            };
            inv.firmware.get_or_insert_with(Default::default).boot_mode = Some(mode);
            inv.notes.push(format!(
                "firmware.boot_mode: inferred from the {} system disk (Windows boots UEFI only \
                 from GPT, BIOS only from MBR); bcdedit, run as administrator, would show it",
                match style {
                    PartitionStyle::Gpt => "GPT",
                    PartitionStyle::Mbr => "MBR",
                }
            ));
        }
    }
    if let Some(firmware) = inv.firmware.as_mut() {
        if firmware.boot_mode == Some(BootMode::Bios) && firmware.secure_boot_enabled.is_none() {
            firmware.secure_boot_enabled = Some(false);
        }
    }
    if let Some(arch) = inv.os.as_ref().and_then(|os| os.arch) {
        if let Some(cpu) = inv.cpu.as_mut() {
            cpu.address_width = cpu.address_width.or(Some(match arch {
                Arch::X86 => 32,
                Arch::X64 | Arch::Arm64 => 64,
            }));
        }
    }
    if let Some(os) = inv.os.as_mut() {
        if os.edition.is_none() {
            os.edition = os
                .name
                .as_deref()
                .and_then(super::values::edition_from_name);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifests() {
        let m = parse_manifest(
            "w7plan-evidence 1\r\ncollector=collect.cmd\r\nversion=1\r\ncomputername=PC-01\r\nstarted=Tue 05/14/2013  9:30:12.34\r\nelevated=no\r\nfile=systeminfo.txt|exit=0|command=systeminfo /FO LIST\r\nfile=wmic-tpm.txt|exit=-2147217394|command=wmic /namespace:\\\\root\\cimv2\\security\\microsofttpm path Win32_Tpm get * /format:list\r\n",
        );
        assert_eq!(m.elevated, Some(false));
        assert_eq!(m.computername.as_deref(), Some("PC-01"));
        assert_eq!(m.files.len(), 2);
        assert_eq!(m.files[1].exit, Some(-2147217394));
        assert!(m.files[1].command.as_deref().unwrap().contains("Win32_Tpm"));
    }

    #[test]
    fn start_times() {
        assert_eq!(
            started_at("Tue 05/14/2013  9:30:12.34").as_deref(),
            Some("2013-05-14T09:30:12")
        );
        assert_eq!(
            started_at("14.05.2013  9:30:12,34").as_deref(),
            Some("2013-05-14T09:30:12")
        );
        assert_eq!(
            started_at("2013-05-14 17:30:12.34").as_deref(),
            Some("2013-05-14T17:30:12")
        );
        assert_eq!(started_at("05/04/2013 9:30:12,34"), None);
        assert_eq!(started_at("garbage"), None);
        assert_eq!(
            folder_time(Path::new("/x/PC-01-20261120-0914")).as_deref(),
            Some("2026-11-20T09:14:00")
        );
        assert_eq!(folder_time(Path::new("/x/PC-01")), None);
    }
}
