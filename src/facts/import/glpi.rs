//! Reads the GLPI inventory format: what GLPI Agent and FusionInventory Agent write with
//! `--local` (one file per machine, XML or, with `--json`, JSON), and what a GLPI server keeps
//! under `files/_inventories`; and OCS Inventory NG's agent XML, the format GLPI's descends from
//! (the same `<REQUEST><CONTENT>` with `HARDWARE`, `BIOS`, `DRIVES`, `MEMORIES`, `STORAGES`,
//! `SOFTWARES`, `VIDEOS`; per its DTD, OCSInventory-NG/OCSInventory-Server
//! `dtd/inventory_request.dtd`, the OS is in `HARDWARE/OSNAME`, `OSVERSION`, `OSCOMMENTS` and the
//! processor only named, in `HARDWARE/PROCESSORT`).
//!
//! The format is public: the JSON schema of glpi-project/inventory_format (MIT; a copy and real
//! samples are in `../shared/samples/glpi/`). JSON has lower-case keys under `content`
//! (`{"action": "inventory", "deviceid": …, "content": {"cpus": […], …}}`); the older XML has
//! the same names in upper case under `<REQUEST><CONTENT>`, a repeated element standing for a
//! list item. Both are read into one JSON tree ([`from_xml`] lowers the tag names) and mapped
//! once ([`to_inventory`]).
//!
//! What the agent collects and what it never does is in `../shared/facts/inventory-engines.md`:
//! it carries the CPU's family number, model and stepping and its CPUID signature (`cpus.id`),
//! memory, disks and volumes, BIOS and system maker/model, the OS name, version, service pack
//! and architecture, the Product ID and key, installed programs and video adapters. It collects
//! no TPM on Windows and no boot mode, and its Secure Boot field is not filled by the Windows
//! agent, so those stay unknown with a note saying so, never `fail`.
//!
//! A value of the wrong type (a family number that is not a number) is an error naming the file
//! and the element; an empty element is an absent value.

use super::failed;
use super::values;
use crate::error::{Error, Origin, Result};
use crate::facts::inventory::{
    Arch, Chassis, Cpu, Disk, Display, Firmware, GraphicsAdapter, Host, Inventory, License, Memory,
    Os, OsFamily, Program, Source, Storage, Volume,
};
use serde_json::{Map, Value};

/// Whether `text` is a GLPI inventory in XML: a `<REQUEST>` root holding `<CONTENT>`.
pub fn sniff_xml(text: &str) -> bool {
    let head: String = text
        .trim_start_matches('\u{feff}')
        .chars()
        .take(600)
        .collect();
    head.contains("<REQUEST>") && text.contains("<CONTENT>")
}

/// Whether `text` is a GLPI inventory in JSON: an object with `content` and a `deviceid` string
/// (the two members the schema requires; the schema itself has `deviceid` as an object).
pub fn sniff_json(text: &str) -> bool {
    text.trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with('{')
        && text.contains("\"content\"")
        && text.match_indices("\"deviceid\"").any(|(at, key)| {
            let rest = text[at + key.len()..].trim_start();
            rest.strip_prefix(':')
                .is_some_and(|value| value.trim_start().starts_with('"'))
        })
}

/// Deepest element nesting read from XML: the format nests four or five levels; more is not an
/// inventory, and the recursion must not follow a hostile file down.
const MAX_DEPTH: usize = 32;

/// The JSON tree of a GLPI XML document: element names lower-cased, a repeated element a list,
/// a leaf its text.
pub fn from_xml(text: &str, origin: &Origin) -> Result<Value> {
    let options = super::xml_options();
    let doc = roxmltree::Document::parse_with_options(text.trim_start_matches('\u{feff}'), options)
        .map_err(|e| failed(origin, format!("GLPI XML that is not well-formed: {e}")))?;
    let root = doc.root_element();
    if !root.has_tag_name("REQUEST") {
        return Err(failed(
            origin,
            format!(
                "expected the <REQUEST> element of a GLPI inventory, found <{}>",
                root.tag_name().name()
            ),
        ));
    }
    element(root, 0, origin)
}

fn element(node: roxmltree::Node<'_, '_>, depth: usize, origin: &Origin) -> Result<Value> {
    if depth > MAX_DEPTH {
        return Err(failed(
            origin,
            format!(
                "<{}> is nested more than {MAX_DEPTH} levels deep: not a GLPI inventory",
                node.tag_name().name()
            ),
        ));
    }
    let children: Vec<_> = node.children().filter(|n| n.is_element()).collect();
    if children.is_empty() {
        let text: String = node
            .children()
            .filter(|n| n.is_text())
            .filter_map(|n| n.text())
            .collect();
        return Ok(Value::String(text.trim().to_string()));
    }
    let mut map = Map::new();
    for child in children {
        let key = child.tag_name().name().to_ascii_lowercase();
        let value = element(child, depth + 1, origin)?;
        match map.get_mut(&key) {
            Some(Value::Array(items)) if LISTS.contains(&key.as_str()) => items.push(value),
            Some(existing) => {
                let first = existing.take();
                *existing = Value::Array(vec![first, value]);
            }
            None if LISTS.contains(&key.as_str()) => {
                map.insert(key, Value::Array(vec![value]));
            }
            None => {
                map.insert(key, value);
            }
        }
    }
    Ok(Value::Object(map))
}

/// The sections that are lists in the schema, even when the XML has one element.
const LISTS: &[&str] = &[
    "cpus",
    "memories",
    "storages",
    "drives",
    "videos",
    "softwares",
    "licenseinfos",
];

/// Reads a GLPI JSON document.
pub fn from_json(text: &str, origin: &Origin) -> Result<Value> {
    serde_json::from_str(text.trim_start_matches('\u{feff}')).map_err(|e| {
        failed(
            origin,
            format!(
                "GLPI JSON that cannot be read at line {}, column {}: {e}",
                e.line(),
                e.column()
            ),
        )
    })
}

/// Reads values out of the tree, naming the element of a value of the wrong type.
struct Reader<'a> {
    origin: &'a Origin,
    /// XML names its elements in upper case; the messages use the file's own spelling.
    xml: bool,
}

impl Reader<'_> {
    fn name(&self, path: &str) -> String {
        if self.xml {
            format!("<{}>", path.to_ascii_uppercase().replace('.', "/"))
        } else {
            format!("`{path}`")
        }
    }

    fn wrong(&self, path: &str, expected: &str, found: &Value) -> Error {
        let shown: String = found.to_string().chars().take(60).collect();
        failed(
            self.origin,
            format!("{}: expected {expected}, found {shown}", self.name(path)),
        )
    }

    /// A text value; numbers are taken as their text; an empty text is absent.
    fn text(&self, value: &Value, key: &str, path: &str) -> Result<Option<String>> {
        match value.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.trim().to_string()).filter(|s| !s.is_empty())),
            Some(Value::Number(n)) => Ok(Some(n.to_string())),
            Some(Value::Bool(b)) => Ok(Some(b.to_string())),
            Some(other) => Err(self.wrong(&format!("{path}.{key}"), "text", other)),
        }
    }

    /// A whole number, written as a number or as text of digits (the schema has both:
    /// `familynumber` is text, `stepping` a number).
    fn number(&self, value: &Value, key: &str, path: &str) -> Result<Option<u64>> {
        match value.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Number(n)) => match n.as_u64() {
                Some(n) => Ok(Some(n)),
                None => Err(self.wrong(&format!("{path}.{key}"), "a whole number", &value[key])),
            },
            Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
            Some(Value::String(s)) => {
                s.trim().parse().map(Some).map_err(|_| {
                    self.wrong(&format!("{path}.{key}"), "a whole number", &value[key])
                })
            }
            Some(other) => Err(self.wrong(&format!("{path}.{key}"), "a whole number", other)),
        }
    }

    fn number_u32(&self, value: &Value, key: &str, path: &str) -> Result<Option<u32>> {
        match self.number(value, key, path)? {
            Some(n) => u32::try_from(n)
                .map(Some)
                .map_err(|_| self.wrong(&format!("{path}.{key}"), "a smaller number", &value[key])),
            None => Ok(None),
        }
    }

    /// A section that is one object (`hardware`, `bios`, `operatingsystem`).
    fn object<'v>(&self, value: &'v Value, key: &str, path: &str) -> Result<Option<&'v Value>> {
        match value.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(v @ Value::Object(_)) => Ok(Some(v)),
            // An empty XML element.
            Some(Value::String(s)) if s.is_empty() => Ok(None),
            Some(Value::Array(items)) => Err(self.wrong(
                &format!("{path}.{key}"),
                "one section",
                &Value::String(format!("{} of them", items.len())),
            )),
            Some(other) => Err(self.wrong(&format!("{path}.{key}"), "a section", other)),
        }
    }

    /// A section that is a list of objects (`cpus`, `softwares`).
    fn list<'v>(&self, value: &'v Value, key: &str, path: &str) -> Result<Vec<&'v Value>> {
        match value.get(key) {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .filter(|(_, item)| !matches!(item, Value::String(s) if s.is_empty()))
                .map(|(i, item)| match item {
                    Value::Object(_) => Ok(item),
                    other => Err(self.wrong(&format!("{path}.{key}[{i}]"), "a section", other)),
                })
                .collect(),
            Some(v @ Value::Object(_)) => Ok(vec![v]),
            Some(Value::String(s)) if s.is_empty() => Ok(Vec::new()),
            Some(other) => Err(self.wrong(&format!("{path}.{key}"), "a list", other)),
        }
    }
}

/// Maps a GLPI inventory tree (from either form) to an inventory.
pub fn to_inventory(doc: &Value, xml: bool, origin: &Origin) -> Result<Inventory> {
    let r = Reader { origin, xml };
    let content_key = "content";
    let Some(content) = r.object(doc, content_key, "")? else {
        return Err(failed(
            origin,
            format!("{} is missing: not a GLPI inventory", r.name(content_key)),
        ));
    };
    let c = "content";
    let mut inv = Inventory::default();
    let mut notes = Vec::new();

    let hardware = r.object(content, "hardware", c)?;
    let bios = r.object(content, "bios", c)?;
    let osec = r.object(content, "operatingsystem", c)?;
    let hw = |key: &str| -> Result<Option<String>> {
        match hardware {
            Some(h) => r.text(h, key, "content.hardware"),
            None => Ok(None),
        }
    };
    let bi = |key: &str| -> Result<Option<String>> {
        match bios {
            Some(b) => r.text(b, key, "content.bios"),
            None => Ok(None),
        }
    };
    let os_text = |key: &str| -> Result<Option<String>> {
        match osec {
            Some(o) => r.text(o, key, "content.operatingsystem"),
            None => Ok(None),
        }
    };

    // The engine and its version: `FusionInventory-Agent_v2.3.19`, `GLPI-Agent_v1.4`.
    let client = r.text(content, "versionclient", c)?;
    let (collector, version) = match client.as_deref().and_then(|v| v.split_once("_v")) {
        Some((engine, version)) => (engine.to_string(), Some(version.to_string())),
        // No VERSIONCLIENT: an OPERATINGSYSTEM section is GLPI's (OCS has none).
        None => (
            client.unwrap_or_else(|| {
                if content.get("operatingsystem").is_some() {
                    "GLPI inventory".to_string()
                } else {
                    "GLPI or OCS Inventory NG inventory".to_string()
                }
            }),
            None,
        ),
    };
    inv.source = Some(Source {
        collector: Some(collector),
        version,
        elevated: None,
    });
    if let Some(log) = r.object(content, "accesslog", c)? {
        inv.collected_at = r
            .text(log, "logdate", "content.accesslog")?
            .map(|d| d.replacen(' ', "T", 1));
    }

    // Host.
    let vm = hw("vmsystem")?.filter(|v| !v.eq_ignore_ascii_case("physical"));
    let chassis = match (vm.is_some(), hw("chassis_type")?.map(|c| c.to_lowercase())) {
        (true, _) => Some(Chassis::Vm),
        (false, Some(c)) => chassis_of(&c),
        (false, None) => None,
    };
    inv.host = Some(Host {
        name: hw("name")?,
        manufacturer: bi("smanufacturer")?.filter(|v| !values::is_placeholder(v)),
        model: bi("smodel")?.filter(|v| !values::is_placeholder(v)),
        serial: bi("ssn")?.filter(|v| !values::is_placeholder(v)),
        chassis,
    });

    // Operating system.
    let kernel = os_text("kernel_name")?.unwrap_or_default().to_lowercase();
    let full_name = os_text("full_name")?.or(hw("osname")?);
    let windows = kernel == "mswin32"
        || full_name
            .as_deref()
            .is_some_and(|n| n.to_lowercase().contains("windows"));
    let mut os = Os {
        family: if windows {
            Some(OsFamily::Windows)
        } else if kernel == "linux" {
            Some(OsFamily::Linux)
        } else {
            None
        },
        name: full_name,
        ..Os::default()
    };
    os.edition = os.name.as_deref().and_then(values::edition_from_name);
    if windows {
        let kernel_version = os_text("kernel_version")?.or(hw("osversion")?);
        if let Some(v) = kernel_version {
            let parts: Vec<&str> = v.split('.').collect();
            if parts.len() >= 3 {
                os.version = Some(format!("{}.{}", parts[0], parts[1]));
                os.build = parts[2].parse().ok();
            }
        }
        // OCS has the service pack as HARDWARE/OSCOMMENTS ("Service Pack 1").
        let service_pack = match osec.and_then(|o| o.get("service_pack")) {
            Some(_) => Some(os_text("service_pack")?),
            None => hardware
                .and_then(|h| h.get("oscomments"))
                .map(|_| hw("oscomments"))
                .transpose()?,
        };
        // Present but empty is no service pack; absent is unknown.
        os.service_pack = service_pack.map(|sp| match sp {
            None => 0,
            Some(sp) => values::parse_service_pack(&sp)
                .or_else(|| super::text::first_number(&sp).and_then(|n| n.try_into().ok()))
                .unwrap_or(0),
        });
        os.language = match r.number_u32(
            hardware.unwrap_or(&Value::Null),
            "winlang",
            "content.hardware",
        )? {
            Some(lcid) => values::language_from_lcid(lcid).map(str::to_string),
            None => None,
        };
    }
    os.arch = os_text("arch")?
        .or(hw("arch")?)
        .as_deref()
        .and_then(arch_of);
    os.installed_on = os_text("install_date")?
        .and_then(|d| d.get(..10).map(str::to_string))
        .filter(|d| d.as_bytes().get(4) == Some(&b'-'));
    inv.os = Some(os);

    // Processor: the first package gives the identity, all of them the counts.
    let cpus = r.list(content, "cpus", c)?;
    if let Some(first) = cpus.first() {
        let path = "content.cpus[0]";
        let mut cpu = Cpu {
            // OCS Inventory's agent names the processor in TYPE.
            brand: r
                .text(first, "name", path)?
                .or(r.text(first, "type", path)?),
            vendor: r.text(first, "manufacturer", path)?.map(|m| vendor_of(&m)),
            family: r.number_u32(first, "familynumber", path)?,
            model: r.number_u32(first, "model", path)?,
            stepping: r.number_u32(first, "stepping", path)?,
            ..Cpu::default()
        };
        let mut cores = 0u32;
        let mut threads = 0u32;
        for (i, package) in cpus.iter().enumerate() {
            let path = format!("content.cpus[{i}]");
            cores = cores.saturating_add(r.number_u32(package, "core", &path)?.unwrap_or(0));
            threads = threads.saturating_add(r.number_u32(package, "thread", &path)?.unwrap_or(0));
        }
        cpu.cores = Some(cores).filter(|n| *n > 0);
        // THREAD is SMBIOS's thread count of the package in some agent versions and threads per
        // core in others (glpi-agent Win32/CPU.pm falls back to NumberOfLogicalProcessors /
        // NumberOfCores). The larger of the cores and THREAD is a lower bound of the logical
        // processors under either reading, which is what the "2 or more" rule needs.
        cpu.logical_processors = Some(cores.max(threads)).filter(|n| *n > 0);
        // SPEED is SMBIOS's processor speed or Win32_Processor.MaxClockSpeed (the same source).
        cpu.max_mhz = r.number_u32(first, "speed", path)?.filter(|mhz| *mhz > 0);
        // The CPUID signature gives family, model and stepping where the agent did not write them
        // out, and checks them where it did.
        if let Some(signature) = r
            .text(first, "id", path)?
            .as_deref()
            .and_then(cpuid_signature)
        {
            match (cpu.family, cpu.model, cpu.stepping) {
                (None, None, None) => {
                    (cpu.family, cpu.model, cpu.stepping) =
                        (Some(signature.0), Some(signature.1), Some(signature.2));
                }
                (f, m, s)
                    if (f, m, s) != (Some(signature.0), Some(signature.1), Some(signature.2)) =>
                {
                    notes.push(format!(
                        "cpu.family: the agent's family/model/stepping ({}/{}/{}) differ from \
                         its CPUID signature ({}/{}/{}); the signature is what Windows checks",
                        show(f),
                        show(m),
                        show(s),
                        signature.0,
                        signature.1,
                        signature.2
                    ));
                    (cpu.family, cpu.model, cpu.stepping) =
                        (Some(signature.0), Some(signature.1), Some(signature.2));
                }
                _ => {}
            }
        }
        inv.cpu = Some(cpu);
    } else if let Some(name) = hw("processort")? {
        // OCS Inventory NG's HARDWARE section: the processor's name only.
        inv.cpu = Some(Cpu {
            vendor: Some(vendor_of(&name))
                .filter(|v| v.starts_with("Genuine") || v.starts_with("Authentic")),
            brand: Some(name),
            ..Cpu::default()
        });
    }
    if inv
        .cpu
        .as_ref()
        .is_some_and(|c| c.brand.is_some() && c.family.is_none())
    {
        notes.push(
            "cpu.family: the inventory names the processor only; its family, model and stepping \
             (wmic cpu get Caption on the machine) decide Microsoft's list match"
                .to_string(),
        );
    }

    // Memory: the modules' sum is what is installed; `hardware.memory` what Windows sees (MB).
    let mut installed_mb = 0u64;
    for (i, module) in r.list(content, "memories", c)?.iter().enumerate() {
        installed_mb = installed_mb.saturating_add(
            r.number(module, "capacity", &format!("content.memories[{i}]"))?
                .unwrap_or(0),
        );
    }
    let visible_mb = r.number(
        hardware.unwrap_or(&Value::Null),
        "memory",
        "content.hardware",
    )?;
    if installed_mb > 0 || visible_mb.is_some() {
        inv.memory = Some(Memory {
            installed_bytes: Some(installed_mb)
                .filter(|n| *n > 0)
                .and_then(|mb| mb.checked_mul(1 << 20)),
            visible_bytes: visible_mb.and_then(|mb| mb.checked_mul(1 << 20)),
            ..Memory::default()
        });
    }

    inv.storage = storage_of(&r, content, &mut notes)?;

    // Firmware: the BIOS version and date; the agent records no boot mode.
    let firmware = Firmware {
        vendor: bi("bmanufacturer")?,
        version: bi("bversion")?,
        date: bi("bdate")?.as_deref().and_then(bios_date),
        ..Firmware::default()
    };
    if firmware != Firmware::default() {
        inv.firmware = Some(firmware);
    }
    if windows {
        notes.push(
            "firmware.boot_mode: GLPI Agent records neither how Windows booted (UEFI or BIOS) \
             nor, on Windows, Secure Boot; `bcdedit` run as administrator shows the boot mode"
                .to_string(),
        );
        notes.push(
            "tpm.present: GLPI Agent collects no TPM on Windows; tpm.msc on the machine shows it"
                .to_string(),
        );
    }

    // Licence.
    let product_id = hw("winprodid")?;
    let key = hw("winprodkey")?;
    let mut license = License {
        product_id,
        ..License::default()
    };
    if let Some(key) = key {
        match crate::facts::productkey::last_group(&key) {
            Some(last) => {
                license.partial_key = Some(last);
                license.product_key = Some(key.to_ascii_uppercase());
            }
            None => notes.push(
                "license.product_key: the agent's WINPRODKEY is not a 25-character product key"
                    .to_string(),
            ),
        }
    }
    if license != License::default() {
        inv.license = Some(license);
    }

    // Programs.
    let softwares = r.list(content, "softwares", c)?;
    if !softwares.is_empty() {
        let mut programs = Vec::with_capacity(softwares.len());
        for (i, item) in softwares.iter().enumerate() {
            let path = format!("content.softwares[{i}]");
            let Some(name) = r.text(item, "name", &path)? else {
                continue;
            };
            let installed = match r.text(item, "install_date", &path)? {
                Some(d) => Some(d),
                None => r.text(item, "installdate", &path)?,
            };
            programs.push(Program {
                name: Some(name),
                version: r.text(item, "version", &path)?,
                publisher: r.text(item, "publisher", &path)?,
                installed_on: installed.as_deref().and_then(bios_date),
                arch: match r.text(item, "arch", &path)? {
                    Some(arch) => arch_of(&arch),
                    // OCS Inventory NG: BITSWIDTH 32 or 64.
                    None => match r.number(item, "bitswidth", &path)? {
                        Some(64) => Some(Arch::X64),
                        Some(32) => Some(Arch::X86),
                        _ => None,
                    },
                },
            });
        }
        inv.software = Some(programs);
    }

    // Video adapters, and the first resolution the agent saw.
    let videos = r.list(content, "videos", c)?;
    let mut adapters = Vec::new();
    for (i, video) in videos.iter().enumerate() {
        let path = format!("content.videos[{i}]");
        let name = r.text(video, "name", &path)?;
        if inv.display.is_none() {
            inv.display = r
                .text(video, "resolution", &path)?
                .and_then(|v| resolution(&v));
        }
        if name.is_some() {
            adapters.push(GraphicsAdapter {
                name,
                ..GraphicsAdapter::default()
            });
        }
    }
    if !adapters.is_empty() {
        inv.graphics = Some(adapters);
        notes.push(
            "graphics.directx: GLPI Agent records the adapter's name only, not its DirectX or \
             WDDM level; dxdiag shows them"
                .to_string(),
        );
    }
    inv.notes = notes;
    Ok(inv)
}

fn show(n: Option<u32>) -> String {
    n.map_or_else(|| "?".to_string(), |n| n.to_string())
}

fn chassis_of(value: &str) -> Option<Chassis> {
    Some(match value {
        "notebook" | "laptop" | "portable" | "sub notebook" | "convertible" | "detachable" => {
            Chassis::Laptop
        }
        "desktop"
        | "low profile desktop"
        | "mini tower"
        | "tower"
        | "all in one"
        | "space-saving"
        | "mini pc"
        | "lunch box"
        | "pizza box" => Chassis::Desktop,
        "tablet" => Chassis::Tablet,
        "rack mount chassis" | "main server chassis" | "multi-system chassis" | "blade" => {
            Chassis::Server
        }
        _ => return None,
    })
}

fn vendor_of(manufacturer: &str) -> String {
    let lower = manufacturer.to_lowercase();
    if lower.contains("intel") {
        "GenuineIntel".to_string()
    } else if lower.contains("amd") || lower.contains("advanced micro") {
        "AuthenticAMD".to_string()
    } else {
        manufacturer.to_string()
    }
}

/// `64-bit`, `32-bit`, `x86_64`, `i386`, `i586`, `amd64`, `arm64`.
fn arch_of(value: &str) -> Option<Arch> {
    let lower = value.trim().to_lowercase();
    match lower.as_str() {
        "x86_64" | "amd64" | "x64" => Some(Arch::X64),
        "x86" | "i386" | "i486" | "i586" | "i686" => Some(Arch::X86),
        "arm64" | "aarch64" => Some(Arch::Arm64),
        // OCS Inventory NG: `x86 64 bit`.
        _ if lower.contains("64 bit") => Some(Arch::X64),
        _ if lower.contains("32 bit") => Some(Arch::X86),
        _ => values::arch_from_os_architecture(&lower),
    }
}

/// Family, model and stepping from the CPUID signature the agent writes as the bytes of EAX and
/// EDX of leaf 1 (`55 06 02 00 FF FB EB BF`): Intel's and AMD's documented rule, the extended
/// family added for family 15 and the extended model for families 6 and 15 (and AMD's 15 and
/// later).
pub fn cpuid_signature(id: &str) -> Option<(u32, u32, u32)> {
    let bytes: Vec<u8> = id
        .split_whitespace()
        .take(4)
        .map(|b| u8::from_str_radix(b, 16))
        .collect::<std::result::Result<_, _>>()
        .ok()?;
    let eax = u32::from_le_bytes(bytes.try_into().ok()?);
    if eax == 0 {
        return None;
    }
    Some(crate::facts::cpuid::signature(eax))
}

/// A date that reads one way only: ISO `2016-02-06`, or a day over 12 (`18/04/2017`,
/// `08/24/2010`). `11/09/2015` is left out: the order depends on the machine's locale.
fn bios_date(value: &str) -> Option<String> {
    let numbers: Vec<u32> = value
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .take(3)
        .filter_map(|p| p.parse().ok())
        .collect();
    match numbers[..] {
        [y, m, d] if y > 31 => super::text::iso_date(y, m, d),
        [a, b, y] if y > 31 && (a > 12 || b > 12) => {
            let (d, m) = if a > 12 { (a, b) } else { (b, a) };
            super::text::iso_date(y, m, d)
        }
        _ => None,
    }
}

/// The system volume (the drive marked `systemdrive`, else `C:`) and, where the agent lists a
/// single fixed disk, that disk. Sizes are in MB.
fn storage_of(r: &Reader<'_>, content: &Value, notes: &mut Vec<String>) -> Result<Option<Storage>> {
    let c = "content";
    let drives = r.list(content, "drives", c)?;
    let mut system = None;
    let mut c_drive = None;
    for (i, drive) in drives.iter().enumerate() {
        let path = format!("content.drives[{i}]");
        // `C:`, or `C:/` as OCS Inventory may write it.
        let letter = r
            .text(drive, "letter", &path)?
            .map(|l| l.trim_end_matches(['/', '\\']).to_string());
        let flagged = matches!(
            r.text(drive, "systemdrive", &path)?.as_deref(),
            Some("1" | "true")
        );
        if flagged {
            system = Some((i, *drive, letter.clone()));
        }
        if letter
            .as_deref()
            .is_some_and(|l| l.eq_ignore_ascii_case("C:"))
        {
            c_drive = Some((i, *drive, letter));
        }
    }
    let mut storage = Storage::default();
    if let Some((i, drive, letter)) = system.or(c_drive) {
        let path = format!("content.drives[{i}]");
        let mb = |key: &str| -> Result<Option<u64>> {
            Ok(r.number(drive, key, &path)?
                .and_then(|n| n.checked_mul(1 << 20)))
        };
        storage.system_volume = Some(Volume {
            letter,
            size_bytes: mb("total")?,
            free_bytes: mb("free")?,
            ..Volume::default()
        });
    }
    let disks = r.list(content, "storages", c)?;
    let mut fixed = Vec::new();
    for (i, disk) in disks.iter().enumerate() {
        let path = format!("content.storages[{i}]");
        let size = r.number(disk, "disksize", &path)?;
        let kind = r
            .text(disk, "type", &path)?
            .unwrap_or_default()
            .to_lowercase();
        if size.is_some_and(|s| s > 0) && !kind.contains("removable") && !kind.contains("cd") {
            fixed.push((size, r.text(disk, "model", &path)?));
        }
    }
    match fixed.as_slice() {
        [(size, model)] => {
            storage.system_disk = Some(Disk {
                size_bytes: size.and_then(|mb| mb.checked_mul(1 << 20)),
                model: model.clone(),
                ..Disk::default()
            })
        }
        [] => {}
        more => notes.push(format!(
            "storage.system_disk: the agent lists {} disks and does not say which holds Windows",
            more.len()
        )),
    }
    Ok(Some(storage).filter(|s| *s != Storage::default()))
}

/// `1280x1024` as width and height.
fn resolution(value: &str) -> Option<Display> {
    let (w, h) = value.split_once(['x', 'X'])?;
    let width: u32 = w.trim().parse().ok()?;
    let height: u32 = h.trim().parse().ok()?;
    (width > 0 && height > 0).then_some(Display {
        width: Some(width),
        height: Some(height),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpuid_signatures() {
        // Arrandale i5 M 540 (the glpi XML sample) and Skylake i5-6200U (the JSON sample).
        assert_eq!(cpuid_signature("55 06 02 00 FF FB EB BF"), Some((6, 37, 5)));
        assert_eq!(cpuid_signature("E3 06 04 00 FF FB EB BF"), Some((6, 78, 3)));
        // AMD family 23 (0x8F00F11 → base family 15 + extended 8).
        assert_eq!(cpuid_signature("11 0F 80 00 FF FB 8B 17"), Some((23, 1, 1)));
        assert_eq!(cpuid_signature("zz"), None);
        assert_eq!(cpuid_signature("00 00 00 00"), None);
    }

    #[test]
    fn sniffs() {
        assert!(sniff_json(r#"{"content": {}, "deviceid" : "pc-1"}"#));
        assert!(!sniff_json(
            r#"{"properties": {"content": {}, "deviceid": {"type": "string"}}}"#
        ));
        assert!(sniff_xml("<?xml version=\"1.0\"?>\n<REQUEST>\n<CONTENT>"));
        assert!(!sniff_xml("<MsInfo><CONTENT>"));
    }

    #[test]
    fn dates_and_arches() {
        assert_eq!(bios_date("08/24/2010").as_deref(), Some("2010-08-24"));
        assert_eq!(bios_date("2016-02-06").as_deref(), Some("2016-02-06"));
        assert_eq!(bios_date("11/09/2015"), None);
        assert_eq!(arch_of("64-bit"), Some(Arch::X64));
        assert_eq!(arch_of("x86_64"), Some(Arch::X64));
        assert_eq!(arch_of("i586"), Some(Arch::X86));
        assert_eq!(arch_of("x86 64 bit"), Some(Arch::X64));
    }
}
