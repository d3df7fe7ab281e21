//! Partition tables: MBR (with the extended partition's chain of EBRs) and GPT, read only.
//!
//! Written by hand: reading them is a few fixed-size records, while the `gpt` crate wants a
//! writable device and brings `uuid` with random generation (a new Windows import to vet), and
//! `mbrman` brings bincode, bitvec and serde for one sector. This module only finds where the
//! partitions are; what they hold is told by their first sector, not their type codes.
//! Invariant: every count is capped and every partition is checked against the disk's length.

use std::io;

use super::io::SharedDisk;

const SECTOR: u64 = 512;
/// A GPT may list at most this many entries here (the usual is 128).
const MAX_GPT_ENTRIES: u32 = 1024;
/// Logical partitions followed in an MBR's extended partition at most.
const MAX_LOGICAL: usize = 128;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    Mbr,
    Gpt,
}

/// Where a partition is and what its table says it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Partition {
    /// 1-based, as Windows' disk tools number them: the table's slot (MBR logical ones from 5).
    pub number: u32,
    pub offset: u64,
    pub size: u64,
    pub kind: PartitionType,
    /// The GPT partition name, when there is one.
    pub name: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartitionType {
    Mbr(u8),
    Gpt([u8; 16]),
}

/// GPT type GUIDs, as stored (the first three fields little-endian).
pub const GPT_BASIC_DATA: [u8; 16] = guid(0xEBD0A0A2, 0xB9E5, 0x4433, 0x87C0_68B6_B726_99C7);
pub const GPT_EFI_SYSTEM: [u8; 16] = guid(0xC12A7328, 0xF81F, 0x11D2, 0xBA4B_00A0_C93E_C93B);
pub const GPT_MS_RESERVED: [u8; 16] = guid(0xE3C9E316, 0x0B5C, 0x4DB8, 0x817D_F92D_F002_15AE);
pub const GPT_MS_RECOVERY: [u8; 16] = guid(0xDE94BBA4, 0x06D1, 0x4D40, 0xA16A_BFD5_0179_D6AC);

const fn guid(a: u32, b: u16, c: u16, d: u64) -> [u8; 16] {
    let a = a.to_le_bytes();
    let b = b.to_le_bytes();
    let c = c.to_le_bytes();
    let d = d.to_be_bytes();
    [
        a[0], a[1], a[2], a[3], b[0], b[1], c[0], c[1], d[0], d[1], d[2], d[3], d[4], d[5], d[6],
        d[7],
    ]
}

impl PartitionType {
    /// What the table calls it, for messages.
    pub fn label(&self) -> String {
        match *self {
            PartitionType::Mbr(0x07) => "NTFS (type 07)".into(),
            PartitionType::Mbr(0x27) => "recovery (type 27)".into(),
            PartitionType::Mbr(0xEF) => "EFI system (type EF)".into(),
            PartitionType::Mbr(t) => format!("type {t:02X}"),
            PartitionType::Gpt(GPT_BASIC_DATA) => "basic data".into(),
            PartitionType::Gpt(GPT_EFI_SYSTEM) => "EFI system".into(),
            PartitionType::Gpt(GPT_MS_RESERVED) => "Microsoft reserved".into(),
            PartitionType::Gpt(GPT_MS_RECOVERY) => "Windows recovery".into(),
            PartitionType::Gpt(g) => format!("type {}", guid_text(&g)),
        }
    }

    pub fn is_efi_system(&self) -> bool {
        matches!(
            self,
            PartitionType::Mbr(0xEF) | PartitionType::Gpt(GPT_EFI_SYSTEM)
        )
    }
}

/// `XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX`, as Windows writes GUIDs.
pub fn guid_text(g: &[u8; 16]) -> String {
    let a = u32::from_le_bytes([g[0], g[1], g[2], g[3]]);
    let b = u16::from_le_bytes([g[4], g[5]]);
    let c = u16::from_le_bytes([g[6], g[7]]);
    let tail: String = g[10..].iter().map(|x| format!("{x:02X}")).collect();
    format!("{a:08X}-{b:04X}-{c:04X}-{:02X}{:02X}-{tail}", g[8], g[9])
}

fn le32(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(b[at..at + 4].try_into().expect("4 bytes"))
}
fn le64(b: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(b[at..at + 8].try_into().expect("8 bytes"))
}

fn bad(message: impl Into<String>) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message.into())
}

/// Whether a sector ends with the boot signature `55 AA`.
pub fn has_boot_signature(sector: &[u8]) -> bool {
    sector.len() >= 512 && sector[510] == 0x55 && sector[511] == 0xAA
}

/// The MBR's four slots: (type, first LBA, sectors), empty slots left out.
pub fn mbr_slots(sector: &[u8]) -> Vec<(usize, u8, u32, u32)> {
    (0..4)
        .map(|i| {
            let e = &sector[446 + i * 16..446 + (i + 1) * 16];
            (i, e[4], le32(e, 8), le32(e, 12))
        })
        .filter(|&(_, ty, _, count)| ty != 0 && count != 0)
        .collect()
}

/// Whether sector 0 carries a plausible MBR partition table (signature, boot flags 00 or 80,
/// at least one slot used).
pub fn looks_like_mbr(sector: &[u8]) -> bool {
    has_boot_signature(sector)
        && (0..4).all(|i| matches!(sector[446 + i * 16], 0x00 | 0x80))
        && !mbr_slots(sector).is_empty()
}

/// Reads the disk's partition table. `Ok(None)`: sector 0 holds no partition table.
pub fn read(disk: &SharedDisk) -> io::Result<Option<(Scheme, Vec<Partition>)>> {
    let mbr = disk.read_exact_at(0, SECTOR as usize)?;
    if !looks_like_mbr(&mbr) {
        return Ok(None);
    }
    if mbr_slots(&mbr).iter().any(|&(_, ty, _, _)| ty == 0xEE) {
        return read_gpt(disk).map(|p| Some((Scheme::Gpt, p)));
    }
    read_mbr(disk, &mbr).map(|p| Some((Scheme::Mbr, p)))
}

fn checked(disk: &SharedDisk, number: u32, first: u64, count: u64) -> io::Result<(u64, u64)> {
    let offset = first.checked_mul(SECTOR);
    let size = count.checked_mul(SECTOR);
    match (offset, size) {
        (Some(o), Some(s)) if o.checked_add(s).is_some_and(|end| end <= disk.len()) => Ok((o, s)),
        _ => Err(bad(format!(
            "partition {number} lies past the end of the disk ({} bytes): the image is truncated",
            disk.len()
        ))),
    }
}

fn read_mbr(disk: &SharedDisk, mbr: &[u8]) -> io::Result<Vec<Partition>> {
    let mut out = Vec::new();
    for (slot, ty, first, count) in mbr_slots(mbr) {
        if matches!(ty, 0x05 | 0x0F | 0x85) {
            read_logical(disk, u64::from(first), u64::from(count), &mut out)?;
            continue;
        }
        let number = slot as u32 + 1;
        let (offset, size) = checked(disk, number, first.into(), count.into())?;
        out.push(Partition {
            number,
            offset,
            size,
            kind: PartitionType::Mbr(ty),
            name: None,
        });
    }
    out.sort_by_key(|p| p.number);
    Ok(out)
}

/// Follows the chain of EBRs in an extended partition: each holds one logical partition
/// (relative to itself) and a link to the next EBR (relative to the extended partition).
fn read_logical(
    disk: &SharedDisk,
    ext_first: u64,
    ext_count: u64,
    out: &mut Vec<Partition>,
) -> io::Result<()> {
    let mut next = 0u64;
    let mut seen = Vec::new();
    for n in 0..MAX_LOGICAL {
        if seen.contains(&next) || next >= ext_count {
            return Err(bad(
                "the extended partition's chain of EBRs loops or leaves it",
            ));
        }
        seen.push(next);
        let ebr_lba = ext_first + next;
        let ebr = disk.read_exact_at(ebr_lba * SECTOR, SECTOR as usize)?;
        if !has_boot_signature(&ebr) {
            if n == 0 {
                return Ok(()); // an empty extended partition
            }
            return Err(bad(format!("no EBR at sector {ebr_lba}")));
        }
        let e = &ebr[446..462];
        let (ty, first, count) = (e[4], u64::from(le32(e, 8)), u64::from(le32(e, 12)));
        if ty != 0 && count != 0 {
            let number = 5 + n as u32;
            let (offset, size) = checked(disk, number, ebr_lba + first, count)?;
            out.push(Partition {
                number,
                offset,
                size,
                kind: PartitionType::Mbr(ty),
                name: None,
            });
        }
        let link = &ebr[462..478];
        let link_first = u64::from(le32(link, 8));
        if link[4] == 0 || link_first == 0 {
            return Ok(());
        }
        next = link_first;
    }
    Err(bad(format!("more than {MAX_LOGICAL} logical partitions")))
}

/// Reads the GPT at LBA 1, or its backup at the disk's last sector when the first is damaged.
fn read_gpt(disk: &SharedDisk) -> io::Result<Vec<Partition>> {
    let last = disk.len() / SECTOR;
    match read_gpt_at(disk, 1) {
        Ok(p) => Ok(p),
        Err(primary) if last > 2 => read_gpt_at(disk, last - 1).map_err(|_| primary),
        Err(primary) => Err(primary),
    }
}

fn read_gpt_at(disk: &SharedDisk, lba: u64) -> io::Result<Vec<Partition>> {
    let h = disk.read_exact_at(lba * SECTOR, SECTOR as usize)?;
    if &h[..8] != b"EFI PART" {
        return Err(bad("a protective MBR but no GPT header (`EFI PART`)"));
    }
    let header_size = le32(&h, 12) as usize;
    if !(92..=512).contains(&header_size) {
        return Err(bad(format!("GPT header size {header_size} is invalid")));
    }
    let mut zeroed = h[..header_size].to_vec();
    zeroed[16..20].fill(0);
    if crc32(&zeroed) != le32(&h, 16) {
        return Err(bad("the GPT header's CRC is wrong: damaged"));
    }
    let entries_lba = le64(&h, 72);
    let count = le32(&h, 80);
    let entry_size = le32(&h, 84);
    if count > MAX_GPT_ENTRIES || !(128..=1024).contains(&entry_size) || entry_size % 8 != 0 {
        return Err(bad(format!(
            "GPT lists {count} entries of {entry_size} bytes; not a table w7plan reads"
        )));
    }
    let table_len = count as usize * entry_size as usize;
    let table_at = entries_lba
        .checked_mul(SECTOR)
        .filter(|at| {
            at.checked_add(table_len as u64)
                .is_some_and(|e| e <= disk.len())
        })
        .ok_or_else(|| bad("the GPT's entry array lies past the end of the disk"))?;
    let table = disk.read_exact_at(table_at, table_len)?;
    if crc32(&table) != le32(&h, 88) {
        return Err(bad("the GPT entry array's CRC is wrong: damaged"));
    }
    let mut out = Vec::new();
    for (i, e) in table.chunks_exact(entry_size as usize).enumerate() {
        let ty: [u8; 16] = e[..16].try_into().expect("16 bytes");
        if ty == [0; 16] {
            continue;
        }
        let (first, last) = (le64(e, 32), le64(e, 40));
        let number = i as u32 + 1;
        if last < first {
            return Err(bad(format!("GPT partition {number} ends before it starts")));
        }
        let (offset, size) = checked(disk, number, first, last - first + 1)?;
        let name: Vec<u16> = e[56..128]
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .take_while(|&c| c != 0)
            .collect();
        let name = String::from_utf16_lossy(&name);
        out.push(Partition {
            number,
            offset,
            size,
            kind: PartitionType::Gpt(ty),
            name: (!name.is_empty()).then_some(name),
        });
    }
    Ok(out)
}

/// CRC-32 (IEEE 802.3, reflected), as the GPT uses.
pub fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// Builds an MBR sector with up to four `(type, first LBA, sectors)` slots (tests, fuzz seeds).
pub fn mbr_bytes(slots: &[(u8, u32, u32)]) -> [u8; 512] {
    let mut s = [0u8; 512];
    for (i, &(ty, first, count)) in slots.iter().take(4).enumerate() {
        let e = &mut s[446 + i * 16..446 + (i + 1) * 16];
        e[4] = ty;
        e[8..12].copy_from_slice(&first.to_le_bytes());
        e[12..16].copy_from_slice(&count.to_le_bytes());
    }
    s[510] = 0x55;
    s[511] = 0xAA;
    s
}

/// Builds the first 34 sectors of a GPT disk of `sectors` sectors: protective MBR, header,
/// 128-entry array (tests, fuzz seeds). Each part is `(type, first LBA, last LBA, name)`.
pub fn gpt_bytes(sectors: u64, parts: &[([u8; 16], u64, u64, &str)]) -> Vec<u8> {
    let mut out = mbr_bytes(&[(0xEE, 1, (sectors - 1).min(u32::MAX.into()) as u32)]).to_vec();
    let mut table = vec![0u8; 128 * 128];
    for (i, (ty, first, last, name)) in parts.iter().enumerate() {
        let e = &mut table[i * 128..(i + 1) * 128];
        e[..16].copy_from_slice(ty);
        e[16] = i as u8 + 1; // a unique GUID, unique enough
        e[32..40].copy_from_slice(&first.to_le_bytes());
        e[40..48].copy_from_slice(&last.to_le_bytes());
        for (j, c) in name.encode_utf16().take(36).enumerate() {
            e[56 + j * 2..58 + j * 2].copy_from_slice(&c.to_le_bytes());
        }
    }
    let mut h = [0u8; 512];
    h[..8].copy_from_slice(b"EFI PART");
    h[8..12].copy_from_slice(&0x0001_0000u32.to_le_bytes());
    h[12..16].copy_from_slice(&92u32.to_le_bytes());
    h[24..32].copy_from_slice(&1u64.to_le_bytes());
    h[32..40].copy_from_slice(&(sectors - 1).to_le_bytes());
    h[40..48].copy_from_slice(&34u64.to_le_bytes());
    h[48..56].copy_from_slice(&(sectors - 34).to_le_bytes());
    h[72..80].copy_from_slice(&2u64.to_le_bytes());
    h[80..84].copy_from_slice(&128u32.to_le_bytes());
    h[84..88].copy_from_slice(&128u32.to_le_bytes());
    h[88..92].copy_from_slice(&crc32(&table).to_le_bytes());
    let sum = crc32(&h[..92]);
    h[16..20].copy_from_slice(&sum.to_le_bytes());
    out.extend_from_slice(&h);
    out.extend_from_slice(&table);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn disk(mut head: Vec<u8>, len: usize) -> SharedDisk {
        head.resize(len, 0);
        SharedDisk::new(Box::new(Cursor::new(head)), len as u64)
    }

    #[test]
    fn crc32_matches_the_standard_check_value() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
    }

    #[test]
    fn guids_read_as_windows_writes_them() {
        assert_eq!(
            guid_text(&GPT_BASIC_DATA),
            "EBD0A0A2-B9E5-4433-87C0-68B6B72699C7"
        );
    }

    #[test]
    fn an_mbr_with_an_extended_partition_lists_primaries_then_logicals() {
        let mut bytes = mbr_bytes(&[(0x07, 2048, 2048), (0x05, 8192, 8192)]).to_vec();
        bytes.resize(8192 * 512 + 1024, 0);
        // First EBR: a logical at +63 for 100 sectors, next EBR at +4096.
        let mut ebr = mbr_bytes(&[(0x07, 63, 100), (0x05, 4096, 200)]);
        bytes[8192 * 512..8193 * 512].copy_from_slice(&ebr);
        ebr = mbr_bytes(&[(0x0B, 63, 100)]);
        bytes.resize((8192 + 4096) * 512 + 512, 0);
        bytes[(8192 + 4096) * 512..(8192 + 4097) * 512].copy_from_slice(&ebr);
        let (scheme, parts) = read(&disk(bytes, 16384 * 512)).unwrap().unwrap();
        assert_eq!(scheme, Scheme::Mbr);
        let got: Vec<_> = parts
            .iter()
            .map(|p| (p.number, p.offset / 512, p.size / 512, p.kind.label()))
            .collect();
        assert_eq!(
            got,
            vec![
                (1, 2048, 2048, "NTFS (type 07)".to_string()),
                (5, 8192 + 63, 100, "NTFS (type 07)".to_string()),
                (6, 8192 + 4096 + 63, 100, "type 0B".to_string()),
            ]
        );
    }

    #[test]
    fn an_ebr_chain_that_loops_is_an_error() {
        let mut bytes = mbr_bytes(&[(0x0F, 100, 1000)]).to_vec();
        bytes.resize(2048 * 512, 0);
        // Two EBRs whose links both point at the second one.
        let e1 = mbr_bytes(&[(0x07, 1, 10), (0x05, 50, 10)]);
        let e2 = mbr_bytes(&[(0x07, 1, 10), (0x05, 50, 10)]);
        bytes[100 * 512..101 * 512].copy_from_slice(&e1);
        bytes[150 * 512..151 * 512].copy_from_slice(&e2);
        assert!(read(&disk(bytes, 2048 * 512)).is_err());
    }

    #[test]
    fn a_gpt_lists_its_partitions_with_names() {
        let bytes = gpt_bytes(
            4096,
            &[
                (GPT_EFI_SYSTEM, 34, 233, "EFI system partition"),
                (GPT_BASIC_DATA, 2048, 4062, "Basic data partition"),
            ],
        );
        let (scheme, parts) = read(&disk(bytes, 4096 * 512)).unwrap().unwrap();
        assert_eq!(scheme, Scheme::Gpt);
        assert_eq!(parts.len(), 2);
        assert_eq!(
            (parts[0].number, parts[0].offset, parts[0].size),
            (1, 34 * 512, 200 * 512)
        );
        assert!(parts[0].kind.is_efi_system());
        assert_eq!(parts[1].kind.label(), "basic data");
        assert_eq!(parts[1].name.as_deref(), Some("Basic data partition"));
    }

    #[test]
    fn a_damaged_gpt_or_a_partition_past_the_end_is_an_error() {
        let mut bytes = gpt_bytes(4096, &[(GPT_BASIC_DATA, 2048, 4062, "x")]);
        bytes[512 + 40] ^= 1;
        assert!(read(&disk(bytes, 4096 * 512)).is_err());
        let bytes = gpt_bytes(4096, &[(GPT_BASIC_DATA, 2048, 9999, "x")]);
        assert!(read(&disk(bytes, 4096 * 512)).is_err());
        let bytes = mbr_bytes(&[(0x07, 2048, u32::MAX)]).to_vec();
        assert!(read(&disk(bytes, 4096 * 512)).is_err());
    }

    #[test]
    fn no_signature_means_no_table() {
        assert_eq!(read(&disk(vec![0u8; 512], 4096)).unwrap(), None);
    }
}
