//! Reads registry exports (`.reg` files from regedit or `reg export`, in the UTF-16LE
//! `Windows Registry Editor Version 5.00` form or the ANSI `REGEDIT4` form) and `reg query`
//! output into a [`RegFile`], and maps the keys w7plan knows onto the inventory.
//!
//! [`parse`] is a faithful reader of the file: every key and value with its type, `"x"=-`
//! deletions, `@` defaults, hex data wrapped over lines with `\`, escaped `\\` and `\"`, and string
//! values that span lines (regedit writes a value's line breaks as they are). It skips what it
//! cannot read rather than failing. [`to_inventory`] knows the meaning: `Windows NT\CurrentVersion`
//! (OS, product ID, the product key decoded from `DigitalProductId`), the Uninstall keys (programs
//! as Add/Remove Programs lists them), `CentralProcessor\0`, `SecureBoot\State` and
//! `Control\PEFirmwareType`.

use super::text;
use crate::error::{Error, Origin, Result};
use crate::facts::inventory::{Arch, Cpu, Firmware, Inventory, License, Os, OsFamily, Program};

/// A registry export or query result: its keys in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegFile {
    pub keys: Vec<RegKey>,
}

/// One key and the values written under it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegKey {
    /// The full path as written, e.g. `HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows NT\CurrentVersion`.
    pub path: String,
    pub values: Vec<RegEntry>,
}

/// One value; the name `""` is the key's (Default) value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegEntry {
    pub name: String,
    pub value: RegValue,
}

/// A value's data, by type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegValue {
    Sz(String),
    ExpandSz(String),
    MultiSz(Vec<String>),
    Dword(u32),
    Qword(u64),
    Binary(Vec<u8>),
    /// Any other type (`hex(N):`), with its raw bytes.
    Other {
        kind: u32,
        bytes: Vec<u8>,
    },
    /// `"name"=-`: the export deletes this value.
    Delete,
}

impl RegValue {
    /// The text of a string value (`REG_SZ` or `REG_EXPAND_SZ`).
    pub fn as_str(&self) -> Option<&str> {
        match self {
            RegValue::Sz(s) | RegValue::ExpandSz(s) => Some(s),
            _ => None,
        }
    }

    /// A `REG_DWORD`, or a string holding a decimal number.
    pub fn as_u32(&self) -> Option<u32> {
        match self {
            RegValue::Dword(n) => Some(*n),
            RegValue::Qword(n) => u32::try_from(*n).ok(),
            RegValue::Sz(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    /// The bytes of a binary value.
    pub fn as_bytes(&self) -> Option<&[u8]> {
        match self {
            RegValue::Binary(b) => Some(b),
            RegValue::Other { bytes, .. } => Some(bytes),
            _ => None,
        }
    }
}

impl RegFile {
    /// A value by key path suffix and value name, both case-insensitive. The suffix matches
    /// whole path components, and `HKLM\…` matches `HKEY_LOCAL_MACHINE\…` (and so on for the other
    /// roots). The name `""` is the (Default) value. The last key with that path wins, as in an
    /// import.
    pub fn value(&self, key_suffix: &str, name: &str) -> Option<&RegValue> {
        self.keys
            .iter()
            .rev()
            .filter(|k| path_ends_with(&k.path, key_suffix))
            .find_map(|k| {
                k.values
                    .iter()
                    .rev()
                    .find(|e| e.name.eq_ignore_ascii_case(name))
                    .map(|e| &e.value)
            })
    }

    /// The keys whose path ends with `key_suffix` (whole components, any root spelling).
    pub fn keys_ending_with<'a>(&'a self, key_suffix: &'a str) -> impl Iterator<Item = &'a RegKey> {
        self.keys
            .iter()
            .filter(move |k| path_ends_with(&k.path, key_suffix))
    }
}

impl RegKey {
    /// A value of this key by case-insensitive name.
    pub fn get(&self, name: &str) -> Option<&RegValue> {
        self.values
            .iter()
            .rev()
            .find(|e| e.name.eq_ignore_ascii_case(name))
            .map(|e| &e.value)
    }

    /// A string value, trimmed and with runs of white space squashed; `None` when empty.
    pub(crate) fn text(&self, name: &str) -> Option<String> {
        self.get(name)
            .and_then(RegValue::as_str)
            .map(|s| text::squash(s.trim_end_matches('\0')))
            .filter(|s| !s.is_empty())
    }
}

/// `HKLM\x` and `HKEY_LOCAL_MACHINE\x` alike, upper-cased, without surrounding backslashes.
fn normalize_path(path: &str) -> String {
    let upper = path.trim().trim_matches('\\').to_uppercase();
    let (root, rest) = upper.split_once('\\').unwrap_or((&upper, ""));
    let root = match root {
        "HKLM" => "HKEY_LOCAL_MACHINE",
        "HKCU" => "HKEY_CURRENT_USER",
        "HKCR" => "HKEY_CLASSES_ROOT",
        "HKU" => "HKEY_USERS",
        "HKCC" => "HKEY_CURRENT_CONFIG",
        other => other,
    };
    if rest.is_empty() {
        root.to_string()
    } else {
        format!("{root}\\{rest}")
    }
}

fn path_ends_with(path: &str, suffix: &str) -> bool {
    let path = normalize_path(path);
    let suffix = normalize_path(suffix);
    if suffix.is_empty() {
        return false;
    }
    path == suffix
        || path
            .strip_suffix(&suffix)
            .is_some_and(|head| head.ends_with('\\'))
}

/// Whether the text is a registry export or `reg query` output.
pub fn sniff(text: &str) -> Option<super::Format> {
    let text = text.trim_start_matches('\u{feff}').trim_start();
    if text.starts_with("Windows Registry Editor Version") || text.starts_with("REGEDIT4") {
        return Some(super::Format::RegExport);
    }
    let first = text::lines(text).find(|l| !l.trim().is_empty())?;
    let is_root = first.starts_with("HKEY_") || first.starts_with("HKLM\\");
    let has_value = text::lines(text).any(|l| query_value(l).is_some());
    (is_root && has_value).then_some(super::Format::RegQuery)
}

/// Parses a `.reg` export or `reg query` output from its bytes (any encoding).
pub fn parse(bytes: &[u8], origin: &Origin) -> Result<RegFile> {
    parse_text(&text::decode(bytes).text, origin)
}

/// Parses a `.reg` export or `reg query` output already decoded.
pub fn parse_text(text: &str, origin: &Origin) -> Result<RegFile> {
    let body = text.trim_start_matches('\u{feff}').trim_start();
    if let Some(rest) = body.strip_prefix("Windows Registry Editor Version") {
        return Ok(parse_export(skip_line(rest), false));
    }
    if let Some(rest) = body.strip_prefix("REGEDIT4") {
        return Ok(parse_export(skip_line(rest), true));
    }
    if sniff(text) == Some(super::Format::RegQuery) {
        return Ok(parse_query(text));
    }
    Err(match super::tool_error(text) {
        Some(message) => Error::ImportFailed {
            origin: origin.clone(),
            message: format!("not a registry export: {message}"),
        },
        None => Error::ImportUnrecognized {
            origin: origin.clone(),
        },
    })
}

fn skip_line(s: &str) -> &str {
    s.find('\n').map_or("", |i| &s[i + 1..])
}

fn parse_export(mut rest: &str, ansi: bool) -> RegFile {
    let mut file = RegFile::default();
    // Values after a `[-key]` deletion belong to no key.
    let mut in_key = false;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '\0');
        let Some(first) = rest.chars().next() else {
            break;
        };
        match first {
            '[' => {
                let line = rest.find('\n').map_or(rest, |i| &rest[..i]);
                rest = skip_line(rest);
                let path = line.trim_end();
                let path = path.strip_prefix('[').unwrap_or(path);
                let path = path.strip_suffix(']').unwrap_or(path);
                if path.starts_with('-') || path.trim().is_empty() {
                    in_key = false;
                } else {
                    file.keys.push(RegKey {
                        path: path.to_string(),
                        values: Vec::new(),
                    });
                    in_key = true;
                }
            }
            '"' | '@' => {
                let (entry, after) = parse_entry(rest, ansi);
                rest = after;
                if let (Some(entry), true) = (entry, in_key) {
                    if let Some(key) = file.keys.last_mut() {
                        key.values.push(entry);
                    }
                }
            }
            _ => rest = skip_line(rest),
        }
    }
    file
}

/// One `name=data` entry; returns it (if readable) and the text after it.
fn parse_entry(s: &str, ansi: bool) -> (Option<RegEntry>, &str) {
    let (name, after_name) = if let Some(r) = s.strip_prefix('@') {
        (String::new(), r)
    } else {
        match quoted(&s[1..], false) {
            Some((name, r)) => (name, r),
            None => return (None, skip_line(s)),
        }
    };
    let after_name = after_name.trim_start_matches([' ', '\t']);
    let Some(data) = after_name.strip_prefix('=') else {
        return (None, skip_line(s));
    };
    let data = data.trim_start_matches([' ', '\t']);
    if let Some(r) = data.strip_prefix('"') {
        return match quoted(r, true) {
            Some((value, after)) => (
                Some(RegEntry {
                    name,
                    value: RegValue::Sz(value),
                }),
                skip_line(after),
            ),
            None => (None, skip_line(data)),
        };
    }
    if data.starts_with('-') {
        return (
            Some(RegEntry {
                name,
                value: RegValue::Delete,
            }),
            skip_line(data),
        );
    }
    let lower_head: String = data
        .chars()
        .take(12)
        .collect::<String>()
        .to_ascii_lowercase();
    if lower_head.starts_with("dword:") {
        let line = data.find('\n').map_or(data, |i| &data[..i]);
        let hex = line[6..].trim();
        let value = u32::from_str_radix(hex, 16).ok().map(RegValue::Dword);
        return (value.map(|value| RegEntry { name, value }), skip_line(data));
    }
    if lower_head.starts_with("hex") {
        let (kind, after_kind) = match data[3..].strip_prefix('(') {
            Some(r) => match r.split_once(')') {
                Some((n, r)) => (u32::from_str_radix(n.trim(), 16).ok(), r),
                None => (None, r),
            },
            None => (Some(3), &data[3..]),
        };
        let (bytes, after) = hex_data(after_kind.strip_prefix(':').unwrap_or(""));
        let after = if after_kind.starts_with(':') {
            after
        } else {
            skip_line(data)
        };
        let value = match (kind, bytes) {
            (Some(kind), Some(bytes)) => Some(typed_value(kind, bytes, ansi)),
            _ => None,
        };
        return (value.map(|value| RegEntry { name, value }), after);
    }
    (None, skip_line(data))
}

/// A quoted string after its opening quote, with `\\` and `\"` escapes. `multiline`: a value
/// string ends at a quote followed by the end of its line (so line breaks inside it are kept); a
/// name ends at the first unescaped quote. Falls back to the end of the line if unterminated.
fn quoted(s: &str, multiline: bool) -> Option<(String, &str)> {
    let mut out = String::new();
    let mut chars = s.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some((_, e @ ('\\' | '"'))) => out.push(e),
                Some((_, other)) => {
                    out.push('\\');
                    out.push(other);
                }
                None => out.push('\\'),
            },
            '"' => {
                let after = &s[i + 1..];
                let line_rest = after.find('\n').map_or(after, |n| &after[..n]);
                if !multiline || line_rest.trim().is_empty() {
                    return Some((out, after));
                }
                out.push('"');
            }
            _ => out.push(c),
        }
    }
    // Unterminated: the rest of the first line.
    let line = s.find('\n').map_or(s, |n| &s[..n]);
    let line = line.trim_end_matches('\r');
    Some((line.replace("\\\\", "\\"), skip_line(s)))
}

/// Comma-separated hex bytes, continued on the next line after a trailing `\`.
fn hex_data(s: &str) -> (Option<Vec<u8>>, &str) {
    let mut bytes = Vec::new();
    let mut ok = true;
    let mut rest = s;
    loop {
        let (line, after) = match rest.find('\n') {
            Some(i) => (&rest[..i], &rest[i + 1..]),
            None => (rest, ""),
        };
        let line = line.trim_end_matches(['\r', ' ', '\t']);
        let (content, continues) = match line.strip_suffix('\\') {
            Some(c) => (c, true),
            None => (line, false),
        };
        for token in content.split(',') {
            let token = token.trim();
            if token.is_empty() {
                continue;
            }
            match u8::from_str_radix(token, 16) {
                Ok(b) if token.len() <= 2 => bytes.push(b),
                _ => ok = false,
            }
        }
        rest = after;
        if !continues || rest.is_empty() {
            break;
        }
    }
    (ok.then_some(bytes), rest)
}

fn utf16_string(bytes: &[u8]) -> String {
    let units: Vec<u16> = bytes
        .chunks_exact(2)
        .map(|p| u16::from_le_bytes([p[0], p[1]]))
        .collect();
    String::from_utf16_lossy(&units)
}

/// A value's data by its registry type (`ansi`: strings are in the ANSI code page, as REGEDIT4
/// writes them, rather than UTF-16LE); the offline hive reader maps its values with it too.
pub(crate) fn typed_value(kind: u32, bytes: Vec<u8>, ansi: bool) -> RegValue {
    let string = |bytes: &[u8]| -> String {
        let text = if ansi {
            text::Encoding::Windows1252.decode(bytes)
        } else {
            utf16_string(bytes)
        };
        text.split('\0').next().unwrap_or("").to_string()
    };
    match kind {
        1 => RegValue::Sz(string(&bytes)),
        2 => RegValue::ExpandSz(string(&bytes)),
        3 => RegValue::Binary(bytes),
        4 if bytes.len() == 4 => {
            RegValue::Dword(u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]))
        }
        7 => {
            let text = if ansi {
                text::Encoding::Windows1252.decode(&bytes)
            } else {
                utf16_string(&bytes)
            };
            let mut items: Vec<String> = text.split('\0').map(str::to_string).collect();
            while items.last().is_some_and(String::is_empty) {
                items.pop();
            }
            RegValue::MultiSz(items)
        }
        0xb if bytes.len() == 8 => {
            let mut b = [0u8; 8];
            b.copy_from_slice(&bytes);
            RegValue::Qword(u64::from_le_bytes(b))
        }
        kind => RegValue::Other { kind, bytes },
    }
}

/// The names `reg query` gives the (Default) value, by UI language.
const DEFAULT_NAMES: &[&str] = &[
    "(default)",
    "(standard)",
    "(par défaut)",
    "(predeterminado)",
    "(predefinito)",
    "(padrão)",
    "(standaard)",
    "(domyślna)",
    "(по умолчанию)",
    "(výchozí)",
    "(predvolené)",
    "(implicit)",
    "(默认)",
];

const QUERY_TYPES: &[(&str, u32)] = &[
    ("REG_SZ", 1),
    ("REG_EXPAND_SZ", 2),
    ("REG_BINARY", 3),
    ("REG_DWORD", 4),
    ("REG_DWORD_BIG_ENDIAN", 5),
    ("REG_LINK", 6),
    ("REG_MULTI_SZ", 7),
    ("REG_RESOURCE_LIST", 8),
    ("REG_FULL_RESOURCE_DESCRIPTOR", 9),
    ("REG_RESOURCE_REQUIREMENTS_LIST", 10),
    ("REG_QWORD", 11),
    ("REG_NONE", 0),
];

/// One `    Name    REG_TYPE    data` line (four-space separated; tabs on XP).
fn query_value(line: &str) -> Option<(String, u32, String)> {
    if !line.starts_with([' ', '\t']) {
        return None;
    }
    let body = line.trim_start_matches([' ', '\t']);
    let (name, kind, data) = if line.contains('\t') {
        let mut parts = body.splitn(3, '\t');
        let name = parts.next()?;
        let kind = parts.next()?.trim();
        (name, kind, parts.next().unwrap_or(""))
    } else {
        let mut found = None;
        for (i, _) in body.match_indices("    REG_") {
            let after = &body[i + 4..];
            let end = after.find("    ").unwrap_or(after.len());
            if QUERY_TYPES.iter().any(|(t, _)| *t == &after[..end]) {
                found = Some((
                    &body[..i],
                    &after[..end],
                    after.get(end + 4..).unwrap_or(""),
                ));
                break;
            }
        }
        // A value with an empty name starts with the type itself.
        match found {
            Some(f) => f,
            None => {
                let end = body.find("    ").unwrap_or(body.len());
                let kind = &body[..end];
                QUERY_TYPES.iter().find(|(t, _)| *t == kind)?;
                ("", kind, body.get(end + 4..).unwrap_or(""))
            }
        }
    };
    let code = QUERY_TYPES.iter().find(|(t, _)| *t == kind)?.1;
    Some((name.trim().to_string(), code, data.to_string()))
}

fn parse_query(text: &str) -> RegFile {
    let mut file = RegFile::default();
    for line in text::lines(text) {
        if line.starts_with("HKEY_") || line.starts_with("HKLM\\") {
            file.keys.push(RegKey {
                path: line.trim().to_string(),
                values: Vec::new(),
            });
            continue;
        }
        let Some((name, kind, data)) = query_value(line) else {
            continue;
        };
        let Some(key) = file.keys.last_mut() else {
            continue;
        };
        let name = if DEFAULT_NAMES.contains(&name.to_lowercase().as_str()) {
            String::new()
        } else {
            name
        };
        let number = |d: &str| {
            let d = d.trim();
            let hex = d.strip_prefix("0x").or_else(|| d.strip_prefix("0X"))?;
            u64::from_str_radix(hex, 16).ok()
        };
        let hex_bytes = |d: &str| -> Option<Vec<u8>> {
            let d = d.trim();
            if d.len() % 2 != 0 || !d.is_ascii() {
                return None;
            }
            (0..d.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(&d[i..i + 2], 16).ok())
                .collect()
        };
        let value = match kind {
            1 => Some(RegValue::Sz(data)),
            2 => Some(RegValue::ExpandSz(data)),
            7 => Some(RegValue::MultiSz(
                data.split("\\0")
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect(),
            )),
            4 => number(&data)
                .and_then(|n| u32::try_from(n).ok())
                .map(RegValue::Dword),
            11 => number(&data).map(RegValue::Qword),
            3 => hex_bytes(&data).map(RegValue::Binary),
            kind => hex_bytes(&data).map(|bytes| RegValue::Other { kind, bytes }),
        };
        if let Some(value) = value {
            key.values.push(RegEntry { name, value });
        }
    }
    file
}

const CURRENT_VERSION: &str = r"Microsoft\Windows NT\CurrentVersion";
const PROCESSOR: &str = r"HARDWARE\DESCRIPTION\System\CentralProcessor\0";
const SECURE_BOOT: &str = r"Control\SecureBoot\State";
const UNINSTALL: &str = r"Microsoft\Windows\CurrentVersion\Uninstall";

/// Maps the keys w7plan knows onto an inventory fragment.
pub fn to_inventory(files: &[&RegFile]) -> Inventory {
    to_inventory_with(files, None)
}

/// As [`to_inventory`]; `native_arch` is the OS architecture where another source told it: the
/// programs of the native (not `WOW6432Node`) HKLM Uninstall key get it.
pub fn to_inventory_with(files: &[&RegFile], native_arch: Option<Arch>) -> Inventory {
    let mut inv = Inventory::default();
    let mut notes = Vec::new();

    if let Some(cv) = find_key(files, CURRENT_VERSION) {
        current_version(cv, &mut inv, &mut notes);
    }

    if let Some(p) = find_key(files, PROCESSOR) {
        // `~MHz` is the clock measured at boot, lowered by power saving: not the maximum.
        let mut cpu = Cpu {
            brand: p.text("ProcessorNameString"),
            vendor: p.text("VendorIdentifier"),
            platform_id: p
                .get("Platform Specific Field 1")
                .and_then(RegValue::as_u32),
            ..Cpu::default()
        };
        if let Some(identifier) = p.text("Identifier") {
            let (family, model, stepping) = super::values::parse_cpu_identifier(&identifier);
            cpu.family = family;
            cpu.model = model;
            cpu.stepping = stepping;
        }
        inv.cpu = Some(cpu);
    }

    let mut firmware = Firmware::default();
    for file in files {
        if let Some(value) = file.value(SECURE_BOOT, "UEFISecureBootEnabled") {
            match value.as_u32() {
                // 1 = on, 0 = supported but off (facts §6.1); either way the firmware has it.
                Some(v @ (0 | 1)) => {
                    firmware.secure_boot_enabled = Some(v == 1);
                    firmware.secure_boot_capable = Some(true);
                }
                _ => notes.push(
                    "firmware.secure_boot_enabled: UEFISecureBootEnabled is neither 0 nor 1"
                        .to_string(),
                ),
            }
        }
        if let Some(value) = file.value(r"Control", "PEFirmwareType") {
            match value.as_u32() {
                Some(1) => firmware.boot_mode = Some(crate::facts::inventory::BootMode::Bios),
                Some(2) => firmware.boot_mode = Some(crate::facts::inventory::BootMode::Uefi),
                _ => notes.push(
                    "firmware.boot_mode: PEFirmwareType is neither 1 (BIOS) nor 2 (UEFI)"
                        .to_string(),
                ),
            }
        }
    }
    if firmware != Firmware::default() {
        inv.firmware = Some(firmware);
    }

    let mut programs = Vec::new();
    let mut saw_uninstall = false;
    for file in files {
        for key in &file.keys {
            let Some((parent, child)) = key.path.rsplit_once('\\') else {
                continue;
            };
            if !path_ends_with(parent, UNINSTALL) {
                if path_ends_with(&key.path, UNINSTALL) {
                    saw_uninstall = true;
                }
                continue;
            }
            saw_uninstall = true;
            let upper = key.path.to_ascii_uppercase();
            let arch = if upper.contains("\\WOW6432NODE\\") {
                Some(Arch::X86)
            } else if upper.starts_with("HKEY_LOCAL_MACHINE") || upper.starts_with("HKLM") {
                native_arch
            } else {
                None
            };
            if let Some(program) = program(key, child, arch) {
                programs.push(program);
            }
        }
    }
    if saw_uninstall {
        sort_programs(&mut programs);
        inv.software = Some(programs);
    }
    inv.notes = notes;
    inv
}

/// The last key ending with `suffix` across the files.
fn find_key<'a>(files: &[&'a RegFile], suffix: &str) -> Option<&'a RegKey> {
    files.iter().rev().find_map(|f| {
        f.keys
            .iter()
            .rev()
            .find(|k| path_ends_with(&k.path, suffix))
    })
}

fn current_version(cv: &RegKey, inv: &mut Inventory, notes: &mut Vec<String>) {
    let mut os = Os {
        family: Some(OsFamily::Windows),
        ..Os::default()
    };
    os.build = cv
        .get("CurrentBuildNumber")
        .or_else(|| cv.get("CurrentBuild"))
        .and_then(RegValue::as_u32);
    os.name = cv
        .text("ProductName")
        .map(|n| super::values::product_name(&n, os.build));
    os.edition = cv.text("EditionID");
    os.registered_owner = cv.text("RegisteredOwner");
    os.version = match (
        cv.get("CurrentMajorVersionNumber")
            .and_then(RegValue::as_u32),
        cv.get("CurrentMinorVersionNumber")
            .and_then(RegValue::as_u32),
    ) {
        (Some(major), Some(minor)) => Some(format!("{major}.{minor}")),
        _ => cv.text("CurrentVersion"),
    };
    // The export holds the whole key: no CSDVersion means no service pack.
    os.service_pack = match cv.text("CSDVersion") {
        Some(csd) => super::values::parse_service_pack(&csd),
        None => Some(0),
    };
    os.installed_on = cv
        .get("InstallDate")
        .and_then(RegValue::as_u32)
        .filter(|s| *s > 0)
        .and_then(|s| jiff::Timestamp::from_second(i64::from(s)).ok())
        .map(|t| t.strftime("%Y-%m-%d").to_string());
    inv.os = Some(os);

    let mut license = License {
        product_id: cv.text("ProductId"),
        ..License::default()
    };
    let blobs = ["DigitalProductId", "DigitalProductId4"];
    let mut decoded = None;
    for name in blobs {
        let Some(blob) = cv.get(name).and_then(RegValue::as_bytes) else {
            continue;
        };
        match crate::facts::productkey::decode_digital_product_id(blob) {
            Ok(Some(key)) => {
                decoded = Some(key);
                break;
            }
            Ok(None) => {}
            Err(e) => notes.push(format!("license.product_key: {name}: {e}")),
        }
    }
    match decoded {
        Some(key) => {
            license.partial_key = key.rsplit('-').next().map(str::to_string);
            license.product_key = Some(key);
        }
        None if blobs.iter().any(|n| cv.get(n).is_some()) => notes.push(
            "license.product_key: DigitalProductId holds no key (Windows keeps none there for \
             some licences, volume licences among them)"
                .to_string(),
        ),
        None => {}
    }
    if license != License::default() {
        inv.license = Some(license);
    }
}

/// Programs in the order every importer lists them (by name, then version and width), each
/// once.
pub(crate) fn sort_programs(programs: &mut Vec<Program>) {
    programs.sort_by_cached_key(|p: &Program| {
        (
            p.name.as_deref().unwrap_or("").to_lowercase(),
            p.version.clone(),
            p.arch.map(|a| a as u8),
        )
    });
    programs.dedup();
}

/// A program as Add/Remove Programs shows it, or `None` for what it hides: system components,
/// entries with a parent (patches and sub-components), updates, and entries without a name or a
/// way to uninstall.
fn program(key: &RegKey, subkey: &str, arch: Option<Arch>) -> Option<Program> {
    program_of(key, subkey, arch, true)
}

/// As [`program`]; `uninstall_known` is false where the listing left out the values that tell
/// whether an entry can be uninstalled (`UninstallString`, `WindowsInstaller`: a PowerShell
/// `Select-Object` of a few values), and then an entry is not hidden for lacking them.
pub(crate) fn program_of(
    key: &RegKey,
    subkey: &str,
    arch: Option<Arch>,
    uninstall_known: bool,
) -> Option<Program> {
    let name = key.text("DisplayName")?;
    if key.get("SystemComponent").and_then(RegValue::as_u32) == Some(1) {
        return None;
    }
    if key.get("ParentKeyName").is_some() {
        return None;
    }
    if let Some(release) = key.text("ReleaseType") {
        let release = release.to_ascii_lowercase();
        if [
            "update",
            "hotfix",
            "security update",
            "service pack",
            "update rollup",
        ]
        .contains(&release.as_str())
        {
            return None;
        }
    }
    let kb_subkey = subkey
        .get(..2)
        .is_some_and(|p| p.eq_ignore_ascii_case("KB"))
        && subkey
            .get(2..)
            .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()));
    if kb_subkey && name.contains("(KB") {
        return None;
    }
    let msi = key.get("WindowsInstaller").and_then(RegValue::as_u32) == Some(1);
    if uninstall_known && key.get("UninstallString").is_none() && !msi {
        return None;
    }
    Some(Program {
        name: Some(name),
        version: key.text("DisplayVersion"),
        publisher: key.text("Publisher"),
        installed_on: key
            .text("InstallDate")
            .and_then(|d| super::wmic::yyyymmdd(&d)),
        arch,
    })
}

/// The `DigitalProductId` and `DigitalProductId4` values of a `.reg` export (or `reg query`
/// output) of `Microsoft\Windows NT\CurrentVersion`, by value name.
pub fn digital_product_ids_from_reg(
    bytes: &[u8],
    origin: &crate::error::Origin,
) -> Result<Vec<(String, Vec<u8>)>, crate::Error> {
    let file = parse(bytes, origin)?;
    let found: Vec<(String, Vec<u8>)> = ["DigitalProductId", "DigitalProductId4"]
        .iter()
        .filter_map(
            |name| match file.value("Microsoft\\Windows NT\\CurrentVersion", name) {
                Some(RegValue::Binary(blob)) => Some((name.to_string(), blob.clone())),
                _ => None,
            },
        )
        .collect();
    if found.is_empty() {
        // Not "no key stored": that answer is for a value whose key bytes are zero.
        return Err(crate::Error::ImportFailed {
            origin: origin.clone(),
            message: "no DigitalProductId value in this export; export the key that holds it: \
                      reg export \"HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\" \
                      currentversion.reg"
                .into(),
        });
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origin() -> Origin {
        Origin("t.reg".into())
    }

    #[test]
    fn export_value_forms() {
        let text = "Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\T]\r\n@=\"def\"\r\n\"S\"=\"a \\\"q\\\" C:\\\\x\\\\\"\r\n\"D\"=dword:0000000f\r\n\"B\"=hex:01,02,\\\r\n  03\r\n\"E\"=hex(2):25,00,41,00,25,00,00,00\r\n\"M\"=hex(7):61,00,00,00,62,00,00,00,00,00\r\n\"Q\"=hex(b):01,00,00,00,00,00,00,00\r\n\"N\"=hex(9):ff\r\n\"X\"=-\r\n\"L\"=\"line one\r\nline two\"\r\n\"After\"=\"ok\"\r\n\r\n[-HKEY_LOCAL_MACHINE\\SOFTWARE\\Gone]\r\n\"Z\"=\"ignored\"\r\n";
        let file = parse_text(text, &origin()).unwrap();
        assert_eq!(file.keys.len(), 1);
        let v = |n| file.value("HKLM\\SOFTWARE\\T", n).cloned();
        assert_eq!(v(""), Some(RegValue::Sz("def".into())));
        assert_eq!(v("s"), Some(RegValue::Sz("a \"q\" C:\\x\\".into())));
        assert_eq!(v("D"), Some(RegValue::Dword(15)));
        assert_eq!(v("B"), Some(RegValue::Binary(vec![1, 2, 3])));
        assert_eq!(v("E"), Some(RegValue::ExpandSz("%A%".into())));
        assert_eq!(
            v("M"),
            Some(RegValue::MultiSz(vec!["a".into(), "b".into()]))
        );
        assert_eq!(v("Q"), Some(RegValue::Qword(1)));
        assert_eq!(
            v("N"),
            Some(RegValue::Other {
                kind: 9,
                bytes: vec![0xff]
            })
        );
        assert_eq!(v("X"), Some(RegValue::Delete));
        assert_eq!(v("L"), Some(RegValue::Sz("line one\r\nline two".into())));
        assert_eq!(v("After"), Some(RegValue::Sz("ok".into())));
        assert_eq!(
            file.value("T", "S").and_then(RegValue::as_str),
            Some("a \"q\" C:\\x\\")
        );
        assert_eq!(file.value("SOFTWARE\\XT", "S"), None);
    }

    #[test]
    fn regedit4_is_ansi() {
        let text = "REGEDIT4\r\n\r\n[HKEY_CURRENT_USER\\T]\r\n\"E\"=hex(2):25,41,25,00\r\n";
        let file = parse_text(text, &origin()).unwrap();
        assert_eq!(
            file.value("HKCU\\T", "E"),
            Some(&RegValue::ExpandSz("%A%".into()))
        );
    }

    #[test]
    fn reg_query_output() {
        let text = "\r\nHKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\SecureBoot\\State\r\n    UEFISecureBootEnabled    REG_DWORD    0x1\r\n    (Default)    REG_SZ    x y\r\n    Platform Specific Field 1    REG_DWORD    0x10\r\n    Blob    REG_BINARY    01AB\r\n    Multi    REG_MULTI_SZ    a\\0b\r\n    Empty    REG_SZ    \r\n\r\n";
        assert_eq!(sniff(text), Some(super::super::Format::RegQuery));
        let file = parse_text(text, &origin()).unwrap();
        let v = |n| file.value(r"Control\SecureBoot\State", n).cloned();
        assert_eq!(v("UEFISecureBootEnabled"), Some(RegValue::Dword(1)));
        assert_eq!(v(""), Some(RegValue::Sz("x y".into())));
        assert_eq!(v("Platform Specific Field 1"), Some(RegValue::Dword(16)));
        assert_eq!(v("Blob"), Some(RegValue::Binary(vec![1, 0xab])));
        assert_eq!(
            v("Multi"),
            Some(RegValue::MultiSz(vec!["a".into(), "b".into()]))
        );
        assert_eq!(v("Empty"), Some(RegValue::Sz(String::new())));
        let err = parse_text(
            "ERROR: The system was unable to find the specified registry key or value.\r\n",
            &origin(),
        )
        .unwrap_err();
        assert_eq!(err.code(), "import-failed");
    }

    #[test]
    fn uninstall_filtering() {
        let text = "Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall]\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\App]\r\n\"DisplayName\"=\"App\"\r\n\"UninstallString\"=\"x\"\r\n\"InstallDate\"=\"20130201\"\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\Sys]\r\n\"DisplayName\"=\"Sys\"\r\n\"UninstallString\"=\"x\"\r\n\"SystemComponent\"=dword:00000001\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\KB123456]\r\n\"DisplayName\"=\"Update for X (KB123456)\"\r\n\"UninstallString\"=\"x\"\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\Patch]\r\n\"DisplayName\"=\"Patch\"\r\n\"UninstallString\"=\"x\"\r\n\"ParentKeyName\"=\"App\"\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\NoName]\r\n\"UninstallString\"=\"x\"\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\App\\Sub]\r\n\"DisplayName\"=\"Nested\"\r\n";
        let file = parse_text(text, &origin()).unwrap();
        let inv = to_inventory_with(&[&file], Some(Arch::X64));
        let software = inv.software.unwrap();
        assert_eq!(software.len(), 1, "{software:?}");
        assert_eq!(software[0].name.as_deref(), Some("App"));
        assert_eq!(software[0].installed_on.as_deref(), Some("2013-02-01"));
        assert_eq!(software[0].arch, Some(Arch::X64));
    }
}
