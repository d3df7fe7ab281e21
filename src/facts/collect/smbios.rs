//! Reads the SMBIOS structure table: the machine's maker and model (type 1), the BIOS vendor,
//! version, date and whether the firmware says it supports UEFI (type 0), the chassis type
//! (type 3) and the memory devices (type 17).
//!
//! This module owns the byte format only, as DMTF DSP0134 (SMBIOS Reference Specification 3.x)
//! lays it out; it is pure and platform-independent. Two sources hand it the same table: Windows'
//! `GetSystemFirmwareTable('RSMB')` (the table behind an 8-byte `RawSMBIOSData` header, Vista and
//! later) and Linux's `/sys/firmware/dmi/tables/DMI` (the bare table, with the version in
//! `smbios_entry_point`). It never panics: a structure that runs past the end stops the walk with a
//! problem recorded, and what was read before it is kept.

/// The SMBIOS version, major and minor.
pub type Version = (u8, u8);

/// What the table says, as far as it could be read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Smbios {
    /// From the RSMB header or the entry point; `None` for a bare table read without either.
    pub version: Option<Version>,
    pub bios: Option<Bios>,
    pub system: Option<System>,
    /// The raw chassis type byte of the first type 3 structure (lock bit included).
    pub chassis_type: Option<u8>,
    /// Every Memory Device structure, empty slots included.
    pub memory_devices: Vec<MemoryDevice>,
    /// Why the walk stopped early or a structure was skipped, for notes.
    pub problems: Vec<String>,
}

/// Type 0, BIOS Information.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Bios {
    pub vendor: Option<String>,
    pub version: Option<String>,
    /// As written: `MM/DD/YYYY` (or `MM/DD/YY` before SMBIOS 2.3).
    pub release_date: Option<String>,
    /// BIOS Characteristics Extension Byte 2, bit 3 "UEFI Specification is supported" (SMBIOS
    /// 2.7 and later). `Some(false)` only when the table is 2.7 or later and the bit is clear; the
    /// bit was reserved before, so a clear bit on an older or unversioned table says nothing.
    pub uefi_supported: Option<bool>,
    /// Extension Byte 2, bit 4 "SMBIOS table describes a virtual machine"; same rule.
    pub virtual_machine: Option<bool>,
}

/// Type 1, System Information.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct System {
    pub manufacturer: Option<String>,
    pub product: Option<String>,
    pub version: Option<String>,
    pub serial: Option<String>,
}

/// Type 17, Memory Device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemoryDevice {
    /// Installed bytes, 0 for an empty slot; `Err` when the structure does not say.
    pub size: Result<u64, &'static str>,
    /// The Memory Type byte at 12h (DSP0134 §7.18.2), when the structure has it.
    pub memory_type: Option<u8>,
    /// The Device Locator string, e.g. `DIMM A`.
    pub locator: Option<String>,
}

impl MemoryDevice {
    /// The memory type's name, for the types a PC of the Windows 7 era or later can have.
    pub fn type_name(&self) -> Option<&'static str> {
        self.memory_type.and_then(memory_type_name)
    }
}

/// The name of an SMBIOS Memory Type (DSP0134 §7.18.2, "Memory Device — Type"). `None` for
/// 01h Other, 02h Unknown and values this table does not list.
pub fn memory_type_name(code: u8) -> Option<&'static str> {
    Some(match code {
        0x03 => "DRAM",
        0x0F => "SDRAM",
        0x11 => "RDRAM",
        0x12 => "DDR",
        0x13 => "DDR2",
        0x14 => "DDR2 FB-DIMM",
        0x18 => "DDR3",
        0x19 => "FBD2",
        0x1A => "DDR4",
        0x1B => "LPDDR",
        0x1C => "LPDDR2",
        0x1D => "LPDDR3",
        0x1E => "LPDDR4",
        0x20 => "HBM",
        0x21 => "HBM2",
        0x22 => "DDR5",
        0x23 => "LPDDR5",
        _ => return None,
    })
}

/// Why an RSMB buffer could not be read at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RsmbError {
    /// Fewer than the 8 bytes of the `RawSMBIOSData` header.
    NoHeader,
}

impl std::fmt::Display for RsmbError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RsmbError::NoHeader => f.write_str("shorter than the 8-byte RawSMBIOSData header"),
        }
    }
}

/// Reads what `GetSystemFirmwareTable('RSMB', 0, …)` returns: the `RawSMBIOSData` header
/// (Used20CallingMethod, SMBIOSMajorVersion, SMBIOSMinorVersion, DmiRevision: one byte each;
/// Length: a little-endian DWORD) and then `Length` bytes of structure table (Microsoft's
/// GetSystemFirmwareTable documentation). A `Length` beyond the buffer is cut to the buffer, with
/// a problem recorded.
pub fn parse_rsmb(bytes: &[u8]) -> Result<Smbios, RsmbError> {
    let header = bytes.get(..8).ok_or(RsmbError::NoHeader)?;
    let version = (header[1], header[2]);
    let declared = u32::from_le_bytes([header[4], header[5], header[6], header[7]]) as usize;
    let body = &bytes[8..];
    let table = body.get(..declared).unwrap_or(body);
    let mut smbios = parse_table(table, Some(version).filter(|v| *v != (0, 0)));
    if declared > body.len() {
        smbios.problems.insert(
            0,
            format!(
                "the header declares {declared} bytes of table but only {} follow",
                body.len()
            ),
        );
    }
    Ok(smbios)
}

/// The SMBIOS version in an entry point structure (Linux's
/// `/sys/firmware/dmi/tables/smbios_entry_point`): `_SM_` (2.1) has the major and minor version at
/// offsets 6 and 7, `_SM3_` (3.0) at 7 and 8 (DSP0134 §5.2). `None` for anything else.
pub fn parse_entry_point(bytes: &[u8]) -> Option<Version> {
    if bytes.starts_with(b"_SM3_") {
        Some((*bytes.get(7)?, *bytes.get(8)?))
    } else if bytes.starts_with(b"_SM_") {
        Some((*bytes.get(6)?, *bytes.get(7)?))
    } else {
        None
    }
}

/// Walks a bare structure table. Each structure is a 4-byte header (type, length of the
/// formatted area, handle), the rest of the formatted area, then a set of NUL-terminated strings
/// closed by one more NUL (two NULs when there are no strings) (DSP0134 §6.1.2, §6.1.3). Type 127
/// ends the table.
pub fn parse_table(table: &[u8], version: Option<Version>) -> Smbios {
    let mut smbios = Smbios {
        version,
        ..Smbios::default()
    };
    let mut pos = 0usize;
    while pos < table.len() {
        let rest = &table[pos..];
        if rest.len() < 4 {
            smbios.problems.push(format!(
                "{} stray bytes at offset {pos} where a structure header should be",
                rest.len()
            ));
            break;
        }
        let (kind, length) = (rest[0], usize::from(rest[1]));
        if length < 4 {
            smbios.problems.push(format!(
                "the type {kind} structure at offset {pos} declares a length of {length}, \
                 shorter than its header"
            ));
            break;
        }
        let Some(formatted) = rest.get(..length) else {
            smbios.problems.push(format!(
                "the type {kind} structure at offset {pos} runs past the end of the table"
            ));
            break;
        };
        let Some(strings_len) = string_set_len(&rest[length..]) else {
            smbios.problems.push(format!(
                "the strings of the type {kind} structure at offset {pos} are not terminated"
            ));
            break;
        };
        let strings = Strings(&rest[length..length + strings_len]);
        read_structure(&mut smbios, formatted, &strings);
        if kind == 127 {
            break;
        }
        pos += length + strings_len;
    }
    smbios
}

/// The length of a string set including its closing NUL(s), or `None` if it is not closed.
fn string_set_len(area: &[u8]) -> Option<usize> {
    // No strings: two NULs. Otherwise strings end at the first double NUL.
    area.windows(2).position(|w| w == [0, 0]).map(|i| i + 2)
}

/// The strings that follow one structure; SMBIOS numbers them from 1, 0 meaning "none".
struct Strings<'a>(&'a [u8]);

impl Strings<'_> {
    fn get(&self, index: u8) -> Option<String> {
        if index == 0 {
            return None;
        }
        let raw = self.0.split(|b| *b == 0).nth(usize::from(index) - 1)?;
        // The spec says ASCII; firmware writes what it likes, so bad bytes are replaced, not
        // trusted, and control characters are dropped.
        let text: String = String::from_utf8_lossy(raw)
            .chars()
            .filter(|c| !c.is_control())
            .collect();
        let text = text.trim();
        (!text.is_empty()).then(|| text.to_string())
    }
}

/// One formatted area (header included) and its strings.
fn read_structure(smbios: &mut Smbios, f: &[u8], strings: &Strings) {
    let byte = |offset: usize| f.get(offset).copied();
    let string = |offset: usize| byte(offset).and_then(|i| strings.get(i));
    let at_least_2_7 = smbios.version.is_some_and(|v| v >= (2, 7));
    match f[0] {
        0 if smbios.bios.is_none() => {
            // Extension byte 2 is at 13h, so the structure must be at least 14h long.
            let ext2 = byte(0x13);
            let flag = |bit: u8| match ext2 {
                Some(b) if b & (1 << bit) != 0 => Some(true),
                Some(_) if at_least_2_7 => Some(false),
                _ => None,
            };
            smbios.bios = Some(Bios {
                vendor: string(0x04),
                version: string(0x05),
                release_date: string(0x08),
                uefi_supported: flag(3),
                virtual_machine: flag(4),
            });
        }
        1 if smbios.system.is_none() => {
            smbios.system = Some(System {
                manufacturer: string(0x04),
                product: string(0x05),
                version: string(0x06),
                serial: string(0x07),
            });
        }
        3 if smbios.chassis_type.is_none() => smbios.chassis_type = byte(0x05),
        17 => smbios.memory_devices.push(MemoryDevice {
            size: memory_device_bytes(f),
            memory_type: byte(0x12),
            locator: string(0x10),
        }),
        _ => {}
    }
}

/// The bytes one SMBIOS Memory Device (type 17) formatted area says are installed: 0 for an empty
/// slot. Layout per DSP0134 §7.18: Size is a WORD at 0Ch (0 = no device, FFFFh = unknown, bit 15
/// set = KB units else MB, 7FFFh = see Extended Size); Extended Size is a DWORD at 1Ch in MB
/// (bits 0-30). Linux's `/sys/firmware/dmi/entries/17-*/raw` files hold the same bytes.
pub fn memory_device_bytes(raw: &[u8]) -> Result<u64, &'static str> {
    const KIB: u64 = 1024;
    const MIB: u64 = 1024 * 1024;
    let declared = usize::from(*raw.get(1).ok_or("truncated")?);
    if raw.first() != Some(&17) {
        return Err("not a Memory Device (type 17) structure");
    }
    // Size exists from SMBIOS 2.1 (structure length 15h); the formatted structure must fit in
    // the buffer.
    if declared < 0x15 || raw.len() < declared {
        return Err("truncated");
    }
    let size = u16::from_le_bytes([raw[0x0c], raw[0x0d]]);
    match size {
        0 => Ok(0),
        0xffff => Err("size unknown"),
        0x7fff => {
            if declared < 0x20 {
                return Err("Extended Size missing");
            }
            let ext = u32::from_le_bytes([raw[0x1c], raw[0x1d], raw[0x1e], raw[0x1f]]);
            Ok(u64::from(ext & 0x7fff_ffff) * MIB)
        }
        s if s & 0x8000 != 0 => Ok(u64::from(s & 0x7fff) * KIB),
        s => Ok(u64::from(s) * MIB),
    }
}

impl Smbios {
    /// The sum of all memory devices; `Err` names the first device whose size is unknown (one
    /// unknown device leaves the total unknown rather than low) or says there is none.
    pub fn installed_bytes(&self) -> Result<u64, String> {
        if self.memory_devices.is_empty() {
            return Err("the SMBIOS table has no memory device (type 17) structures".into());
        }
        let mut total: u64 = 0;
        for (i, device) in self.memory_devices.iter().enumerate() {
            match device.size {
                Ok(n) => total = total.saturating_add(n),
                Err(why) => {
                    return Err(format!(
                        "memory device {} ({}): {why}",
                        i + 1,
                        device.locator.as_deref().unwrap_or("no locator")
                    ))
                }
            }
        }
        Ok(total)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Builds one structure: `formatted` is the area after the 4-byte header, `strings` its
    /// string set (an empty list gives the two-NUL terminator).
    pub(crate) fn structure(kind: u8, handle: u16, formatted: &[u8], strings: &[&str]) -> Vec<u8> {
        let mut out = vec![kind, (4 + formatted.len()) as u8];
        out.extend_from_slice(&handle.to_le_bytes());
        out.extend_from_slice(formatted);
        if strings.is_empty() {
            out.extend_from_slice(&[0, 0]);
        } else {
            for s in strings {
                out.extend_from_slice(s.as_bytes());
                out.push(0);
            }
            out.push(0);
        }
        out
    }

    /// A type 0 area of length 18h (SMBIOS 2.7+): vendor 1, version 2, date 3, characteristics,
    /// extension bytes 1 and 2.
    pub(crate) fn bios(ext2: u8) -> Vec<u8> {
        bios_with(["LENOVO", "N1EET87W (1.60 )", "08/19/2021"], ext2)
    }

    pub(crate) fn bios_with(strings: [&str; 3], ext2: u8) -> Vec<u8> {
        let mut f = vec![0u8; 0x18 - 4];
        f[0] = 1; // vendor, at 04h
        f[0x05 - 4] = 2; // version
        f[0x08 - 4] = 3; // release date
        f[0x12 - 4] = 0x01; // ext byte 1: ACPI supported
        f[0x13 - 4] = ext2;
        structure(0, 0, &f, &strings)
    }

    pub(crate) fn system() -> Vec<u8> {
        system_with(["LENOVO", "20L6S01V00", "ThinkPad T480", "5XK2L1S"])
    }

    /// Type 1 of SMBIOS 2.4+, 1Bh long: manufacturer, product, version, serial. An empty string
    /// gets index 0 ("none"), as SMBIOS has no empty strings.
    pub(crate) fn system_with(strings: [&str; 4]) -> Vec<u8> {
        let mut f = vec![0u8; 0x1b - 4];
        let mut set = Vec::new();
        for (i, text) in strings.iter().enumerate() {
            if !text.is_empty() {
                set.push(*text);
                f[i] = set.len() as u8;
            }
        }
        structure(1, 1, &f, &set)
    }

    /// A type 17 area of length 28h with size word `size`, extended size `ext`, memory type
    /// `kind` and locator string 1.
    pub(crate) fn dimm(handle: u16, size: u16, ext: u32, kind: u8, locator: &str) -> Vec<u8> {
        let mut f = vec![0u8; 0x28 - 4];
        f[0x0c - 4..0x0e - 4].copy_from_slice(&size.to_le_bytes());
        f[0x10 - 4] = 1;
        f[0x12 - 4] = kind;
        f[0x1c - 4..0x20 - 4].copy_from_slice(&ext.to_le_bytes());
        structure(17, handle, &f, &[locator])
    }

    /// The structures of a whole table: BIOS (UEFI supported), system, a laptop chassis, one
    /// 8 GiB DDR4 module, an empty slot, and the end marker.
    pub(crate) fn laptop_structures() -> Vec<Vec<u8>> {
        let mut chassis = vec![0u8; 0x0d - 4];
        chassis[0x05 - 4] = 10; // Notebook
        vec![
            bios(0b0000_1101), // BBS, targeted content, UEFI
            system(),
            structure(3, 2, &chassis, &[]),
            dimm(0x40, 8192, 0, 0x1a, "ChannelA-DIMM0"),
            dimm(0x41, 0, 0, 0x02, "ChannelB-DIMM0"),
            structure(127, 0xfeff, &[], &[]),
        ]
    }

    pub(crate) fn laptop_table() -> Vec<u8> {
        laptop_structures().concat()
    }

    #[test]
    fn a_whole_table() {
        let s = parse_table(&laptop_table(), Some((3, 0)));
        assert!(s.problems.is_empty(), "{:?}", s.problems);
        let bios = s.bios.as_ref().unwrap();
        assert_eq!(bios.vendor.as_deref(), Some("LENOVO"));
        assert_eq!(bios.version.as_deref(), Some("N1EET87W (1.60 )"));
        assert_eq!(bios.release_date.as_deref(), Some("08/19/2021"));
        assert_eq!(bios.uefi_supported, Some(true));
        assert_eq!(bios.virtual_machine, Some(false));
        let sys = s.system.as_ref().unwrap();
        assert_eq!(sys.manufacturer.as_deref(), Some("LENOVO"));
        assert_eq!(sys.product.as_deref(), Some("20L6S01V00"));
        assert_eq!(sys.version.as_deref(), Some("ThinkPad T480"));
        assert_eq!(sys.serial.as_deref(), Some("5XK2L1S"));
        assert_eq!(s.chassis_type, Some(10));
        assert_eq!(s.memory_devices.len(), 2);
        assert_eq!(s.memory_devices[0].type_name(), Some("DDR4"));
        assert_eq!(
            s.memory_devices[0].locator.as_deref(),
            Some("ChannelA-DIMM0")
        );
        assert_eq!(s.memory_devices[1].size, Ok(0));
        assert_eq!(s.memory_devices[1].type_name(), None);
        assert_eq!(s.installed_bytes(), Ok(8 << 30));
    }

    #[test]
    fn rsmb_header_gives_the_version() {
        let table = laptop_table();
        let mut rsmb = vec![0, 2, 8, 0];
        rsmb.extend_from_slice(&(table.len() as u32).to_le_bytes());
        rsmb.extend_from_slice(&table);
        let s = parse_rsmb(&rsmb).unwrap();
        assert_eq!(s.version, Some((2, 8)));
        assert_eq!(s, parse_table(&table, Some((2, 8))));
        assert_eq!(parse_rsmb(&rsmb[..7]), Err(RsmbError::NoHeader));
        // A header that claims more than follows: cut, read, and said.
        let short = &rsmb[..rsmb.len() - 10];
        let s = parse_rsmb(short).unwrap();
        assert!(s.problems[0].contains("declares"), "{:?}", s.problems);
        assert_eq!(s.bios.unwrap().vendor.as_deref(), Some("LENOVO"));
    }

    #[test]
    fn uefi_bit_depends_on_the_version() {
        let table = [bios(0), structure(127, 1, &[], &[])].concat();
        // 2.7 and later: a clear bit means no UEFI.
        let s = parse_table(&table, Some((2, 7)));
        assert_eq!(s.bios.unwrap().uefi_supported, Some(false));
        // Before 2.7 or unversioned: the bit was reserved, so clear says nothing.
        let s = parse_table(&table, Some((2, 6)));
        assert_eq!(s.bios.unwrap().uefi_supported, None);
        let s = parse_table(&table, None);
        assert_eq!(s.bios.unwrap().uefi_supported, None);
        // Set is set whatever the version.
        let table = [bios(1 << 3), structure(127, 1, &[], &[])].concat();
        assert_eq!(
            parse_table(&table, None).bios.unwrap().uefi_supported,
            Some(true)
        );
        // A type 0 structure too short for extension byte 2 (SMBIOS 2.0's 12h bytes).
        let mut short = vec![0u8; 0x12 - 4];
        short[0] = 1;
        let table = structure(0, 0, &short, &["Award Software"]);
        let b = parse_table(&table, Some((3, 0))).bios.unwrap();
        assert_eq!(
            (b.vendor.as_deref(), b.uefi_supported),
            (Some("Award Software"), None)
        );
    }

    #[test]
    fn entry_points() {
        let mut sm3 = b"_SM3_".to_vec();
        sm3.extend_from_slice(&[0, 0x18, 3, 2, 0]);
        assert_eq!(parse_entry_point(&sm3), Some((3, 2)));
        let mut sm = b"_SM_".to_vec();
        sm.extend_from_slice(&[0, 0x1f, 2, 7]);
        assert_eq!(parse_entry_point(&sm), Some((2, 7)));
        assert_eq!(parse_entry_point(b"_SM3_"), None);
        assert_eq!(parse_entry_point(b"_DMI_xxxxxx"), None);
    }

    #[test]
    fn strings_are_cleaned_and_indexed_from_one() {
        let mut f = vec![0u8; 0x1b - 4];
        f[0] = 2; // manufacturer: string 2
        f[1] = 9; // product: a string that does not exist
        let t = structure(1, 0, &f, &["ignored", "  Dell\tInc.\u{7} ", "x"]);
        let sys = parse_table(&t, None).system.unwrap();
        assert_eq!(sys.manufacturer.as_deref(), Some("DellInc."));
        assert_eq!(sys.product, None);
        assert_eq!(sys.serial, None);
        // Invalid UTF-8 is replaced, not a failure.
        let t = structure(1, 0, &f, &["a", "HP\u{0}"]);
        assert!(parse_table(&t, None).system.is_some());
        let mut bad = structure(1, 0, &f, &["a", "b"]);
        let at = bad.len() - 3;
        bad[at] = 0xff;
        assert_eq!(
            parse_table(&bad, None)
                .system
                .unwrap()
                .manufacturer
                .as_deref(),
            Some("\u{fffd}")
        );
    }

    #[test]
    fn memory_device_sizes() {
        let area = |size: u16, ext: Option<u32>| {
            let len = if ext.is_some() { 0x28 } else { 0x1b };
            let mut raw = vec![0u8; len];
            raw[0] = 17;
            raw[1] = len as u8;
            raw[0x0c..0x0e].copy_from_slice(&size.to_le_bytes());
            if let Some(ext) = ext {
                raw[0x1c..0x20].copy_from_slice(&ext.to_le_bytes());
            }
            raw
        };
        assert_eq!(memory_device_bytes(&area(4096, None)), Ok(4 << 30));
        assert_eq!(
            memory_device_bytes(&area(0x8000 | 512, None)),
            Ok(512 << 10)
        );
        assert_eq!(memory_device_bytes(&area(0, None)), Ok(0));
        assert_eq!(
            memory_device_bytes(&area(0x7fff, Some(65536))),
            Ok(64 << 30)
        );
        assert!(memory_device_bytes(&area(0x7fff, None)).is_err());
        assert!(memory_device_bytes(&area(0xffff, None)).is_err());
        assert!(memory_device_bytes(&[17, 0x1b, 0]).is_err());
        assert!(memory_device_bytes(&[]).is_err());
        // An unknown size leaves the total unknown, naming the device.
        let t = [
            dimm(1, 4096, 0, 0x18, "DIMM0"),
            dimm(2, 0xffff, 0, 0x18, "DIMM1"),
        ]
        .concat();
        let err = parse_table(&t, None).installed_bytes().unwrap_err();
        assert!(
            err.contains("DIMM1") && err.contains("size unknown"),
            "{err}"
        );
    }

    #[test]
    fn hostile_tables_stop_with_a_problem() {
        let good = laptop_table();
        let boundaries: Vec<usize> = laptop_structures()
            .iter()
            .scan(0, |end, s| {
                *end += s.len();
                Some(*end)
            })
            .collect();
        // Every prefix: never a panic; a cut inside a structure says so, a cut between two
        // structures is a shorter table.
        for end in 1..good.len() {
            let s = parse_table(&good[..end], Some((3, 0)));
            assert_eq!(
                s.problems.is_empty(),
                boundaries.contains(&end),
                "cut at {end}: {:?}",
                s.problems
            );
        }
        // A length below the header size would loop or underflow a naive walker.
        let s = parse_table(&[0, 2, 0, 0, 0, 0], None);
        assert!(s.problems[0].contains("shorter than its header"));
        // A length past the end.
        let s = parse_table(&[1, 0xff, 0, 0, 0, 0], None);
        assert!(s.problems[0].contains("past the end"));
        // Strings never terminated.
        let s = parse_table(&[1, 4, 0, 0, b'A', 0, b'B'], None);
        assert!(s.problems[0].contains("not terminated"));
        // Every single byte flipped to 0xff in turn: still no panic.
        for i in 0..good.len() {
            let mut bad = good.clone();
            bad[i] = 0xff;
            let _ = parse_table(&bad, None);
            let _ = parse_rsmb(&bad);
        }
        // Only the first type 0 and type 1 count; the end marker stops the walk.
        let t = [bios(8), bios(0), structure(127, 9, &[], &[]), system()].concat();
        let s = parse_table(&t, None);
        assert_eq!(s.bios.unwrap().uefi_supported, Some(true));
        assert_eq!(s.system, None);
    }
}
