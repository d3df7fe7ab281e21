//! Reads the XML audit Open-AudIT's Windows auditor (`audit_windows.vbs`, which runs on
//! Windows 7) writes with `create_file=y`: one `<system>` document per machine, named
//! `HOSTNAME-YYYYMMDDHHMMSS.xml` after the moment the audit started.
//!
//! The element names come from the structure of the audits Opmantek publishes as examples
//! (Opmantek/open-audit `other/example_devices/laptop.xml`, a Windows 7 Ultimate laptop) and of
//! the auditor that writes them; nothing of Open-AudIT (AGPL-3.0) is copied: the fixtures in
//! `tests/fixtures/openaudit/` are written for w7plan. Sections read: `sys` (host, OS name,
//! version and bitness, script version), `windows` (build, service pack), `bios`, `processor`
//! (name, cores, speed), `memory` (module sizes, MB), `motherboard` (memory slots), `disk` and
//! `partition` (sizes in MB), `video` (model and PCI VEN/DEV ids), `software` and
//! `software_key` (the decoded Windows key, masked in every output like any other key).
//!
//! What the audit never records stays unknown with a note saying so, never `fail`: the CPU's
//! family, model and stepping (the name alone decides Microsoft's list match), TPM, boot mode
//! and Secure Boot, the system disk's partition style, and the graphics' DirectX/WDDM level.
//! Malformed XML is an error naming the file, the position and the element left open; a number
//! that is not one is an error naming the element; an empty element is an absent value.

use super::failed;
use crate::error::{Origin, Result};
use crate::facts::inventory::{
    Arch, Chassis, Cpu, Disk, Firmware, GraphicsAdapter, Host, Inventory, License, Memory,
    MemoryModule, Os, OsFamily, Program, Source, Storage, Volume,
};
use roxmltree::Node;

/// The engine, as the inventory's `source.collector` names it.
pub const COLLECTOR: &str = "Open-AudIT";

/// Whether `text` is an Open-AudIT audit: a `<system>` root whose first child is `<sys>`.
pub fn sniff(text: &str) -> bool {
    let head: String = text
        .trim_start_matches('\u{feff}')
        .chars()
        .take(400)
        .collect();
    let Some(at) = head.find("<system>") else {
        return false;
    };
    head[at + "<system>".len()..]
        .trim_start()
        .starts_with("<sys>")
}

/// One machine's inventory from an audit's text; `origin` names the file, whose name holds the
/// time of the audit.
pub fn import(text: &str, origin: &Origin) -> Result<Inventory> {
    let options = super::xml_options();
    let text = text.trim_start_matches('\u{feff}');
    let doc = roxmltree::Document::parse_with_options(text, options).map_err(|e| {
        let open = open_elements(text);
        let inside = if open.is_empty() {
            String::new()
        } else {
            format!(" (inside <{}>)", open.join("><"))
        };
        failed(
            origin,
            format!("Open-AudIT XML that is not well-formed: {e}{inside}"),
        )
    })?;
    let root = doc.root_element();
    if !root.has_tag_name("system") {
        return Err(failed(
            origin,
            format!(
                "expected the <system> element of an Open-AudIT audit, found <{}>",
                root.tag_name().name()
            ),
        ));
    }
    let Some(sys) = child(root, "sys") else {
        return Err(failed(
            origin,
            "<system> has no <sys> section: not an Open-AudIT audit".to_string(),
        ));
    };
    let r = Reader { origin };
    let mut inv = Inventory::default();
    let mut notes = Vec::new();
    inv.source = Some(Source {
        collector: Some(COLLECTOR.to_string()),
        version: text_of(sys, "script_version"),
        elevated: None,
    });
    inv.collected_at = audit_time(&origin.0);
    inv.host = host(sys);
    inv.os = os(&r, root, sys)?;
    inv.cpu = cpu(&r, root, &mut notes)?;
    inv.memory = memory(&r, root)?;
    inv.storage = storage(&r, root, &mut notes)?;
    inv.firmware = firmware(root);
    inv.graphics = graphics(root, &mut notes);
    inv.license = license(root, inv.os.as_ref(), &mut notes);
    inv.software = software(root);
    notes.push(
        "firmware.boot_mode: Open-AudIT's audit records neither how Windows booted (UEFI or BIOS) \
         nor Secure Boot; `bcdedit` run as administrator shows the boot mode"
            .to_string(),
    );
    notes.push(
        "tpm.present: Open-AudIT's audit collects no TPM; tpm.msc on the machine shows it"
            .to_string(),
    );
    inv.notes = notes;
    Ok(inv)
}

/// Reads numbers, naming the element of a bad one.
struct Reader<'o> {
    origin: &'o Origin,
}

impl Reader<'_> {
    fn number(&self, node: Node<'_, '_>, name: &str, path: &str) -> Result<Option<u64>> {
        let Some(text) = text_of(node, name) else {
            return Ok(None);
        };
        // The auditor writes sizes as whole numbers; a decimal point is tolerated (`2266.0`).
        let whole = text.split_once('.').map_or(text.as_str(), |(w, _)| w);
        whole.parse().map(Some).map_err(|_| {
            failed(
                self.origin,
                format!(
                    "<{path}><{name}>: expected a whole number, found {:?}",
                    crate::input::excerpt(&text)
                ),
            )
        })
    }

    fn number_u32(&self, node: Node<'_, '_>, name: &str, path: &str) -> Result<Option<u32>> {
        match self.number(node, name, path)? {
            Some(n) => u32::try_from(n)
                .map(Some)
                .map_err(|_| failed(self.origin, format!("<{path}><{name}>: {n} is too large"))),
            None => Ok(None),
        }
    }
}

fn child<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    node.children().find(|n| n.has_tag_name(name))
}

/// The `<item>`s of a section (`<video><item>…</item></video>`).
fn items<'a, 'i>(root: Node<'a, 'i>, section: &str) -> impl Iterator<Item = Node<'a, 'i>> {
    child(root, section)
        .into_iter()
        .flat_map(|s| s.children().filter(|n| n.has_tag_name("item")))
}

/// A leaf's text, trimmed (CDATA included); `None` when empty or absent.
fn text_of(node: Node<'_, '_>, name: &str) -> Option<String> {
    let leaf = child(node, name)?;
    let text: String = leaf
        .children()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect();
    Some(text.trim().to_string()).filter(|t| !t.is_empty())
}

fn host(sys: Node<'_, '_>) -> Option<Host> {
    let host = Host {
        name: text_of(sys, "hostname").or_else(|| text_of(sys, "name")),
        manufacturer: text_of(sys, "manufacturer"),
        model: text_of(sys, "model"),
        serial: text_of(sys, "serial"),
        chassis: text_of(sys, "form_factor").and_then(|f| chassis_of(&f)),
    };
    (host != Host::default()).then_some(host)
}

/// The auditor's `form_factor`, from the enclosure's chassis types.
fn chassis_of(value: &str) -> Option<Chassis> {
    match value.trim().to_ascii_lowercase().as_str() {
        "notebook" | "laptop" | "portable" | "sub notebook" | "convertible" | "detachable" => {
            Some(Chassis::Laptop)
        }
        "desktop"
        | "low profile desktop"
        | "mini tower"
        | "tower"
        | "all in one"
        | "space-saving"
        | "lunch box"
        | "pizza box" => Some(Chassis::Desktop),
        "tablet" => Some(Chassis::Tablet),
        "virtual" => Some(Chassis::Vm),
        _ => None,
    }
}

fn os(r: &Reader<'_>, root: Node<'_, '_>, sys: Node<'_, '_>) -> Result<Option<Os>> {
    let windows = items(root, "windows").next();
    let version = text_of(sys, "os_version");
    let build = match windows.map(|w| r.number_u32(w, "build_number", "windows><item")) {
        Some(build) => build?,
        None => None,
    }
    .or_else(|| version.as_deref()?.rsplit('.').next()?.parse().ok());
    let service_pack = match windows.map(|w| r.number_u32(w, "service_pack", "windows><item")) {
        Some(sp) => sp?,
        None => None,
    };
    let is_windows = text_of(sys, "os_group").is_some_and(|g| g.eq_ignore_ascii_case("windows"))
        || text_of(sys, "os_name").is_some_and(|n| n.contains("Windows"));
    let os = Os {
        family: is_windows.then_some(OsFamily::Windows),
        name: text_of(sys, "os_name"),
        version,
        build,
        service_pack,
        arch: match r.number(sys, "os_bit", "sys")? {
            Some(64) => Some(Arch::X64),
            Some(32) => Some(Arch::X86),
            _ => None,
        },
        installed_on: text_of(sys, "os_installation_date").filter(|d| d.len() == 10),
        ..Os::default()
    };
    Ok((os != Os::default()).then_some(os))
}

fn cpu(r: &Reader<'_>, root: Node<'_, '_>, notes: &mut Vec<String>) -> Result<Option<Cpu>> {
    let Some(item) = items(root, "processor").next() else {
        return Ok(None);
    };
    let path = "processor><item";
    let cpu = Cpu {
        vendor: text_of(item, "manufacturer"),
        brand: text_of(item, "description"),
        arch: text_of(item, "architecture").and_then(|a| match a.to_ascii_lowercase().as_str() {
            "x64" | "amd64" | "x86_64" => Some(Arch::X64),
            "x86" | "i386" | "i686" => Some(Arch::X86),
            _ => None,
        }),
        cores: r.number_u32(item, "core_count", path)?,
        logical_processors: r.number_u32(item, "logical_count", path)?,
        max_mhz: r.number_u32(item, "speed", path)?,
        ..Cpu::default()
    };
    if cpu.brand.is_some() {
        notes.push(
            "cpu.family: Open-AudIT records the processor's name only; its family, model and \
             stepping (wmic cpu get Caption on the machine) decide Microsoft's list match"
                .to_string(),
        );
    }
    Ok((cpu != Cpu::default()).then_some(cpu))
}

fn memory(r: &Reader<'_>, root: Node<'_, '_>) -> Result<Option<Memory>> {
    let mut modules = Vec::new();
    for item in items(root, "memory") {
        let Some(mb) = r.number(item, "size", "memory><item")? else {
            continue;
        };
        if mb == 0 {
            continue;
        }
        modules.push(MemoryModule {
            size_bytes: mb.checked_mul(1 << 20),
            // `DDR-2` as the auditor spells the module's technology.
            kind: text_of(item, "detail")
                .map(|d| d.replace('-', ""))
                .filter(|d| d.starts_with("DDR") || d.starts_with("LPDDR")),
            slot: text_of(item, "bank"),
        });
    }
    let slots = match items(root, "motherboard").next() {
        Some(board) => r.number_u32(board, "memory_slot_count", "motherboard><item")?,
        None => None,
    };
    if modules.is_empty() && slots.is_none() {
        return Ok(None);
    }
    let installed: Option<u64> = (!modules.is_empty()).then(|| {
        modules
            .iter()
            .filter_map(|m| m.size_bytes)
            .fold(0u64, u64::saturating_add)
    });
    Ok(Some(Memory {
        installed_bytes: installed,
        slots,
        modules: (!modules.is_empty()).then_some(modules),
        ..Memory::default()
    }))
}

/// The system volume (`C:`) and the disk it is on, sizes in MB.
fn storage(r: &Reader<'_>, root: Node<'_, '_>, notes: &mut Vec<String>) -> Result<Option<Storage>> {
    let system = items(root, "partition")
        .find(|p| text_of(*p, "mount_point").is_some_and(|m| m.eq_ignore_ascii_case("C:")));
    let Some(partition) = system else {
        return Ok(None);
    };
    let path = "partition><item";
    let bytes = |mb: Option<u64>| mb.and_then(|mb| mb.checked_mul(1 << 20));
    let volume = Volume {
        letter: Some("C:".to_string()),
        size_bytes: bytes(r.number(partition, "size", path)?),
        free_bytes: bytes(r.number(partition, "free", path)?),
        ..Volume::default()
    };
    let index = text_of(partition, "hard_drive_index");
    let mut disk = None;
    for item in items(root, "disk") {
        if index.is_some() && text_of(item, "hard_drive_index") == index {
            disk = Some(Disk {
                size_bytes: bytes(r.number(item, "size", "disk><item")?),
                ..Disk::default()
            });
        }
    }
    notes.push(
        "storage.system_disk.partition_style: Open-AudIT's audit does not record whether the \
         disk is GPT or MBR; Disk Management on the machine shows it"
            .to_string(),
    );
    Ok(Some(Storage {
        system_volume: Some(volume),
        system_disk: disk,
    }))
}

fn firmware(root: Node<'_, '_>) -> Option<Firmware> {
    let bios = items(root, "bios").next()?;
    let firmware = Firmware {
        vendor: text_of(bios, "manufacturer"),
        // SMBIOSBIOSVersion is the version the maker prints; `version` is the ACPI OEM id.
        version: text_of(bios, "smversion").or_else(|| text_of(bios, "version")),
        ..Firmware::default()
    };
    (firmware != Firmware::default()).then_some(firmware)
}

fn graphics(root: Node<'_, '_>, notes: &mut Vec<String>) -> Option<Vec<GraphicsAdapter>> {
    let adapters: Vec<GraphicsAdapter> = items(root, "video")
        .filter_map(|item| {
            let name = text_of(item, "model")?;
            let (vendor_id, device_id) = text_of(item, "device")
                .map(|d| super::wmic::pci_ids(&d))
                .unwrap_or_default();
            Some(GraphicsAdapter {
                name: Some(name),
                vendor_id,
                device_id,
                ..GraphicsAdapter::default()
            })
        })
        .collect();
    if adapters.is_empty() {
        return None;
    }
    notes.push(
        "graphics.directx: Open-AudIT records the adapter's name and PCI id only, not its \
         DirectX or WDDM level; dxdiag shows them"
            .to_string(),
    );
    Some(adapters)
}

/// The Windows key the auditor decoded: the `software_key` item named like the OS (else the
/// first that names Windows).
fn license(root: Node<'_, '_>, os: Option<&Os>, notes: &mut Vec<String>) -> Option<License> {
    let os_name = os.and_then(|o| o.name.as_deref());
    let keys: Vec<(Option<String>, Option<String>)> = items(root, "software_key")
        .map(|item| (text_of(item, "name"), text_of(item, "string")))
        .collect();
    let (_, key) = keys
        .iter()
        .find(|(name, _)| name.is_some() && name.as_deref() == os_name)
        .or_else(|| {
            keys.iter()
                .find(|(name, _)| name.as_deref().is_some_and(|n| n.contains("Windows")))
        })?;
    let key = key.as_deref()?;
    match crate::facts::productkey::last_group(key) {
        Some(last) => Some(License {
            product_key: Some(key.to_ascii_uppercase()),
            partial_key: Some(last),
            ..License::default()
        }),
        None => {
            notes.push(
                "license.product_key: the audit's software_key is not a 25-character product key"
                    .to_string(),
            );
            None
        }
    }
}

/// Installed programs; the updates the auditor lists beside them (`<type>update</type>`) are not
/// programs.
fn software(root: Node<'_, '_>) -> Option<Vec<Program>> {
    let programs: Vec<Program> = items(root, "software")
        .filter(|item| !text_of(*item, "type").is_some_and(|t| t.eq_ignore_ascii_case("update")))
        .filter_map(|item| {
            Some(Program {
                name: Some(text_of(item, "name")?),
                version: text_of(item, "version"),
                publisher: text_of(item, "publisher"),
                installed_on: text_of(item, "install_date").and_then(|d| compact_date(&d)),
                arch: None,
            })
        })
        .collect();
    (!programs.is_empty()).then_some(programs)
}

/// `20150618` as `2015-06-18`.
fn compact_date(value: &str) -> Option<String> {
    if value.len() != 8 || !value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n = |s: &str| s.parse::<u32>().ok();
    super::text::iso_date(n(&value[..4])?, n(&value[4..6])?, n(&value[6..])?)
}

/// The audit's start, local time, from the file name the auditor gives it:
/// `HOSTNAME-YYYYMMDDHHMMSS.xml` (or with a two-digit year).
fn audit_time(origin: &str) -> Option<String> {
    let name = origin.rsplit(['/', '\\']).next()?;
    let stem = name
        .strip_suffix(".xml")
        .or_else(|| name.strip_suffix(".XML"))?;
    let (_, stamp) = stem.rsplit_once('-')?;
    if !stamp.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let stamp = match stamp.len() {
        14 => stamp.to_string(),
        12 => format!("20{stamp}"),
        _ => return None,
    };
    let n = |range: std::ops::Range<usize>| stamp[range].parse::<u32>().ok();
    let date = super::text::iso_date(n(0..4)?, n(4..6)?, n(6..8)?)?;
    let (h, m, s) = (n(8..10)?, n(10..12)?, n(12..14)?);
    (h < 24 && m < 60 && s < 61).then(|| format!("{date}T{h:02}:{m:02}:{s:02}"))
}

/// The elements still open where the text ends, outermost first: what a truncated file was
/// in the middle of. A rough scan (tags, comments, CDATA), for the error message only.
fn open_elements(text: &str) -> Vec<String> {
    let mut open: Vec<&str> = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find('<') {
        rest = &rest[at + 1..];
        let skip_to = |rest: &str, end: &str| rest.find(end).map(|i| i + end.len());
        let consumed = if rest.starts_with("!--") {
            skip_to(rest, "-->")
        } else if rest.starts_with("![CDATA[") {
            skip_to(rest, "]]>")
        } else if rest.starts_with('?') || rest.starts_with('!') {
            skip_to(rest, ">")
        } else {
            match rest.find('>') {
                Some(end) => {
                    let tag = &rest[..end];
                    if let Some(name) = tag.strip_prefix('/') {
                        if open.last() == Some(&name.trim()) {
                            open.pop();
                        }
                    } else if !tag.ends_with('/') {
                        let name = tag.split_whitespace().next().unwrap_or(tag);
                        open.push(name);
                    }
                    Some(end + 1)
                }
                None => None,
            }
        };
        match consumed {
            Some(n) => rest = &rest[n..],
            None => break,
        }
    }
    // The innermost few say where; the whole chain of a hostile file is not needed.
    let from = open.len().saturating_sub(4);
    open[from..]
        .iter()
        .map(|s| crate::input::excerpt(s))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_and_times() {
        assert!(sniff(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<system>\n\t<sys>\n"
        ));
        assert!(!sniff("<REQUEST><CONTENT>"));
        assert!(!sniff("<system><other/></system>"));
        assert_eq!(
            audit_time("audits/PC-01-20261120091405.xml").as_deref(),
            Some("2026-11-20T09:14:05")
        );
        assert_eq!(
            audit_time("C:\\a\\PC-01-261120091405.xml").as_deref(),
            Some("2026-11-20T09:14:05")
        );
        assert_eq!(audit_time("laptop.xml"), None);
        assert_eq!(compact_date("20150618").as_deref(), Some("2015-06-18"));
    }

    #[test]
    fn open_elements_of_a_truncated_file() {
        assert_eq!(
            open_elements("<?xml?><system><sys><name>a</name></sys><software><item><name>Zo"),
            ["system", "software", "item", "name"]
        );
        assert_eq!(
            open_elements("<system><!-- <x> --><![CDATA[<y>]]>"),
            ["system"]
        );
    }
}
