//! A bounded reader of registry hive files (the `regf` format of Windows NT: SOFTWARE, SYSTEM,
//! NTUSER.DAT), with the replay of the old-format transaction logs (`.LOG1`, `.LOG2`, `.LOG`)
//! that Windows 7 writes.
//!
//! Why by hand: the Rust hive readers are either GPL (`nt-hive`, `nt_hive2`), which this
//! permissive project cannot take, or forensic toolkits (`notatin`, Apache-2.0) whose open-ended
//! dependency requirements (`nom >= 6`, `blake3`, `md5`, `crossterm`, …) bring far more than the
//! few keys w7plan reads. No crate replays the old-format logs of Windows 7. The format is
//! documented (the "Windows registry file format specification" by Maxim Suhanov); this reader
//! follows that document, not any code.
//!
//! What it reads: the base block, hive bins, key nodes (`nk`), subkey lists (`li`, `lf`, `lh`, and
//! `ri` one level deep), value lists, values (`vk`) with their data inline, in a cell or in big
//! data (`db`) segments. It does not read security descriptors, class names or deleted cells, and
//! never writes.
//!
//! Invariants a caller can rely on: the whole file is in memory (read under a cap by the caller)
//! and every offset, count and length read from it is checked before use, so hostile bytes give
//! an error or a missing key, never a panic; no allocation is larger than the file itself; every
//! subkey list cell is visited at most once per listing, so a cycle cannot hang. Only a file that
//! is not a hive at all, or whose root key is unreadable, is an error: a damaged key or value
//! deeper down reads as absent.
#![forbid(unsafe_code)]

use crate::error::{Error, Origin, Result};

/// The most bytes of a hive (or a log) read into memory. Windows 7's SOFTWARE hives are tens to
/// a few hundred MiB.
pub const HIVE_LIMIT: u64 = 1 << 30;

/// The base block's size: cell offsets count from its end.
const BASE: usize = 4096;
/// The most bytes one big-data segment holds.
const SEGMENT: usize = 16344;

const KEY_COMP_NAME: u16 = 0x0020;
const VALUE_COMP_NAME: u16 = 0x0001;

/// One hive file, read and checked.
#[derive(Debug, Clone)]
pub struct Hive {
    data: Vec<u8>,
    /// Where the hive bins end in `data` (the base block's size, clamped to the file).
    end: usize,
    root: u32,
    minor: u32,
    /// What the reader met that a reader of the facts should know (a replayed log, stale facts).
    pub notes: Vec<String>,
}

/// A key of a hive: the offset of its `nk` cell.
#[derive(Debug, Clone, Copy)]
pub struct Key<'h> {
    hive: &'h Hive,
    offset: u32,
}

/// A value, with its data as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Value {
    /// `""` is the key's (Default) value.
    pub name: String,
    /// The registry type: 1 `REG_SZ`, 2 `REG_EXPAND_SZ`, 3 `REG_BINARY`, 4 `REG_DWORD`,
    /// 7 `REG_MULTI_SZ`, 11 `REG_QWORD`, …
    pub kind: u32,
    pub data: Vec<u8>,
}

fn u16_at(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(
        bytes.get(at..at.checked_add(2)?)?.try_into().ok()?,
    ))
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(
        bytes.get(at..at.checked_add(4)?)?.try_into().ok()?,
    ))
}

fn u64_at(bytes: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(
        bytes.get(at..at.checked_add(8)?)?.try_into().ok()?,
    ))
}

/// The XOR-32 checksum of a base block's first 508 bytes.
pub fn checksum(base: &[u8]) -> Option<u32> {
    let head = base.get(..508)?;
    Some(
        head.chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .fold(0, |a, b| a ^ b),
    )
}

/// Whether `bytes` start like a hive (or a transaction log): the `regf` signature.
pub fn is_regf(bytes: &[u8]) -> bool {
    bytes.starts_with(b"regf")
}

/// A name stored as Latin-1 (`compressed`) or UTF-16LE.
fn name_of(bytes: &[u8], compressed: bool) -> String {
    if compressed {
        bytes.iter().map(|&b| char::from(b)).collect()
    } else {
        let units: Vec<u16> = bytes
            .chunks_exact(2)
            .map(|p| u16::from_le_bytes([p[0], p[1]]))
            .collect();
        String::from_utf16_lossy(&units)
    }
}

/// Windows compares key and value names ignoring case.
fn same_name(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b) || a.to_uppercase() == b.to_uppercase()
}

/// Why a base block is dirty, or `None` when it was closed cleanly.
fn dirty_reason(data: &[u8]) -> Option<String> {
    let primary = u32_at(data, 4)?;
    let secondary = u32_at(data, 8)?;
    if primary != secondary {
        return Some(format!(
            "its sequence numbers differ ({primary} and {secondary})"
        ));
    }
    (checksum(data) != u32_at(data, 508)).then(|| "its base block checksum is wrong".to_string())
}

/// Whether a hive file was left dirty (not closed cleanly), so its logs may matter.
pub fn is_dirty(data: &[u8]) -> bool {
    dirty_reason(data).is_some()
}

impl Hive {
    /// Reads a hive file as it is, dirty or not (see [`Hive::open`] for the logs).
    pub fn parse(data: Vec<u8>, origin: &Origin) -> Result<Hive> {
        let invalid = |message: String| Error::HiveInvalid {
            origin: origin.clone(),
            message,
        };
        if !is_regf(&data) {
            return Err(invalid("no `regf` signature: not a registry hive".into()));
        }
        if data.len() < BASE + 32 {
            return Err(invalid(format!(
                "{} bytes: too short for a base block and a hive bin",
                data.len()
            )));
        }
        let major = u32_at(&data, 20).unwrap_or(0);
        let minor = u32_at(&data, 24).unwrap_or(0);
        if major != 1 {
            return Err(invalid(format!(
                "format version {major}.{minor}; only 1.x is known"
            )));
        }
        match u32_at(&data, 28).unwrap_or(u32::MAX) {
            0 => {}
            1 | 2 | 6 => {
                return Err(invalid(
                    "a transaction log, not a hive (give the hive file beside it)".into(),
                ))
            }
            other => return Err(invalid(format!("unknown file type {other}"))),
        }
        let mut notes = Vec::new();
        let size = u32_at(&data, 40).unwrap_or(0) as usize;
        let end = match BASE.checked_add(size) {
            Some(end) if end <= data.len() => end,
            _ => {
                notes.push(format!(
                    "{origin}: the hive is truncated: its base block counts {size} bytes of hive \
                     bins, the file holds {}; keys past the end are missing",
                    data.len() - BASE
                ));
                data.len()
            }
        };
        if &data[BASE..BASE + 4] != b"hbin" {
            return Err(invalid("no hive bin after the base block".into()));
        }
        let root = u32_at(&data, 36).unwrap_or(u32::MAX);
        let hive = Hive {
            data,
            end,
            root,
            minor,
            notes,
        };
        if hive.nk(root).is_none() {
            return Err(invalid(format!(
                "the root key (cell at offset {root:#x}) is not a key node"
            )));
        }
        Ok(hive)
    }

    /// Reads a hive, replaying the first old-format transaction log that applies when it was
    /// not closed cleanly; without one, the hive is read as it is, with a note that its facts may
    /// be stale. `logs` are the files beside it (`SOFTWARE.LOG1`, …) by name, in the order to try.
    pub fn open(primary: Vec<u8>, logs: &[(String, Vec<u8>)], origin: &Origin) -> Result<Hive> {
        let Some(reason) = dirty_reason(&primary) else {
            return Hive::parse(primary, origin);
        };
        let mut tried = Vec::new();
        for (name, log) in logs {
            match replay_old_log(&primary, log) {
                Ok(replayed) => match Hive::parse(replayed, origin) {
                    Ok(mut hive) => {
                        hive.notes.push(format!(
                            "{origin}: the hive was not closed cleanly ({reason}); its \
                             transaction log {name} was replayed"
                        ));
                        return Ok(hive);
                    }
                    Err(e) => tried.push(format!("{name}: {e}")),
                },
                Err(why) => tried.push(format!("{name}: {why}")),
            }
        }
        let mut hive = Hive::parse(primary, origin)?;
        let logs = if tried.is_empty() {
            "no transaction log (.LOG1, .LOG2) beside it".to_string()
        } else {
            format!("no transaction log applies ({})", tried.join("; "))
        };
        hive.notes.push(format!(
            "{origin}: the hive was not closed cleanly ({reason}) and {logs}: it was read as it \
             is, so its facts may be stale"
        ));
        Ok(hive)
    }

    /// When the hive was last written (FILETIME, UTC): when the installation last ran.
    pub fn last_written(&self) -> Option<u64> {
        u64_at(&self.data, 12).filter(|&t| t != 0)
    }

    /// The root key.
    pub fn root(&self) -> Key<'_> {
        Key {
            hive: self,
            offset: self.root,
        }
    }

    /// A key by path from the root, each name compared ignoring case.
    pub fn key(&self, path: &[&str]) -> Option<Key<'_>> {
        path.iter()
            .try_fold(self.root(), |key, name| key.subkey(name))
    }

    /// An allocated cell's data (without its size field).
    fn cell(&self, offset: u32) -> Option<&[u8]> {
        let at = BASE.checked_add(offset as usize)?;
        let size = u32_at(self.data.get(..self.end)?, at)? as i32;
        if size >= 0 {
            return None;
        }
        let len = size.unsigned_abs() as usize;
        if len < 4 {
            return None;
        }
        self.data
            .get(at + 4..at.checked_add(len).filter(|&e| e <= self.end)?)
    }

    /// A key node's cell, when it is one.
    fn nk(&self, offset: u32) -> Option<&[u8]> {
        self.cell(offset)
            .filter(|c| c.len() >= 76 && c.starts_with(b"nk"))
    }
}

impl<'h> Key<'h> {
    fn node(&self) -> &'h [u8] {
        self.hive.nk(self.offset).unwrap_or(&[])
    }

    /// The key's name.
    pub fn name(&self) -> String {
        let node = self.node();
        let flags = u16_at(node, 2).unwrap_or(0);
        let len = u16_at(node, 72).unwrap_or(0) as usize;
        let bytes = node.get(76..76 + len).unwrap_or(&[]);
        name_of(bytes, flags & KEY_COMP_NAME != 0)
    }

    /// The subkeys, in stored order; a damaged list gives what could be read of it.
    pub fn subkeys(&self) -> Vec<Key<'h>> {
        let node = self.node();
        let count = u32_at(node, 20).unwrap_or(0);
        let list = u32_at(node, 28).unwrap_or(u32::MAX);
        let mut found = Vec::new();
        if count == 0 || list == u32::MAX {
            return found;
        }
        let mut seen = std::collections::HashSet::new();
        self.walk_list(list, true, &mut seen, &mut found);
        found
    }

    fn walk_list(
        &self,
        list: u32,
        may_be_root: bool,
        seen: &mut std::collections::HashSet<u32>,
        found: &mut Vec<Key<'h>>,
    ) {
        if !seen.insert(list) {
            return;
        }
        let Some(cell) = self.hive.cell(list) else {
            return;
        };
        let count = u16_at(cell, 2).unwrap_or(0) as usize;
        let (stride, nested) = match cell.get(..2) {
            Some(b"li") => (4, false),
            Some(b"lf" | b"lh") => (8, false),
            Some(b"ri") if may_be_root => (4, true),
            _ => return,
        };
        for i in 0..count {
            let Some(offset) = u32_at(cell, 4 + i * stride) else {
                break;
            };
            if nested {
                self.walk_list(offset, false, seen, found);
            } else if self.hive.nk(offset).is_some() {
                found.push(Key {
                    hive: self.hive,
                    offset,
                });
            }
        }
    }

    /// A direct subkey by name, ignoring case.
    pub fn subkey(&self, name: &str) -> Option<Key<'h>> {
        self.subkeys()
            .into_iter()
            .find(|k| same_name(&k.name(), name))
    }

    /// A key below this one by path.
    pub fn path(&self, path: &[&str]) -> Option<Key<'h>> {
        path.iter().try_fold(*self, |key, name| key.subkey(name))
    }

    /// The values, in stored order; a damaged value is left out.
    pub fn values(&self) -> Vec<Value> {
        let node = self.node();
        let count = u32_at(node, 36).unwrap_or(0) as usize;
        let Some(list) = u32_at(node, 40).and_then(|o| self.hive.cell(o)) else {
            return Vec::new();
        };
        (0..count.min(list.len() / 4))
            .filter_map(|i| u32_at(list, i * 4))
            .filter_map(|offset| self.value_at(offset))
            .collect()
    }

    /// A value by name, ignoring case (`""` is the (Default) value).
    pub fn value(&self, name: &str) -> Option<Value> {
        self.values().into_iter().find(|v| same_name(&v.name, name))
    }

    fn value_at(&self, offset: u32) -> Option<Value> {
        let vk = self.hive.cell(offset).filter(|c| c.starts_with(b"vk"))?;
        let name_len = u16_at(vk, 2)? as usize;
        let size_field = u32_at(vk, 4)?;
        let data_offset = u32_at(vk, 8)?;
        let kind = u32_at(vk, 12)?;
        let flags = u16_at(vk, 16)?;
        let name = name_of(vk.get(20..20 + name_len)?, flags & VALUE_COMP_NAME != 0);
        let size = (size_field & 0x7FFF_FFFF) as usize;
        let data = if size_field & 0x8000_0000 != 0 {
            data_offset.to_le_bytes()[..size.min(4)].to_vec()
        } else if size == 0 {
            Vec::new()
        } else {
            let cell = self.hive.cell(data_offset)?;
            if size > SEGMENT && self.hive.minor > 3 && cell.starts_with(b"db") {
                self.big_data(cell, size)?
            } else {
                cell.get(..size)?.to_vec()
            }
        };
        Some(Value { name, kind, data })
    }

    /// The data of a big-data record: its segments joined, up to `size` bytes.
    fn big_data(&self, db: &[u8], size: usize) -> Option<Vec<u8>> {
        let segments = u16_at(db, 2)? as usize;
        let list = self.hive.cell(u32_at(db, 4)?)?;
        let mut data = Vec::new();
        for i in 0..segments {
            if data.len() >= size {
                break;
            }
            let segment = self.hive.cell(u32_at(list, i * 4)?)?;
            let take = segment.len().min(SEGMENT).min(size - data.len());
            data.extend_from_slice(&segment[..take]);
        }
        (data.len() == size).then_some(data)
    }
}

/// Applies an old-format transaction log (Windows XP to 7) to a dirty primary file: the log's
/// base block, then each 512-byte page its `DIRT` bitmap marks. The log must be valid (its
/// sequence numbers equal, its checksum right) and belong to this state of the hive (the same
/// last-written time); the replayed hive bins must chain. Returns why not otherwise.
pub fn replay_old_log(primary: &[u8], log: &[u8]) -> std::result::Result<Vec<u8>, String> {
    if !is_regf(log) || log.len() < 512 {
        return Err("not a transaction log".into());
    }
    match u32_at(log, 28) {
        Some(1 | 2) => {}
        Some(6) => {
            return Err(
                "a new-format log (Windows 8.1 and later), which Windows 7 does not write".into(),
            )
        }
        _ => return Err("not a transaction log (wrong file type)".into()),
    }
    if u32_at(log, 4) != u32_at(log, 8) {
        return Err("the log itself was not completely written".into());
    }
    if checksum(log) != u32_at(log, 508) {
        return Err("the log's base block checksum is wrong".into());
    }
    let stamp = if checksum(primary) == u32_at(primary, 508) {
        u64_at(primary, 12)
    } else {
        u64_at(primary, BASE + 20)
    };
    if stamp != u64_at(log, 12) {
        return Err("the log belongs to another state of the hive (its time differs)".into());
    }
    let clustering = u32_at(log, 44).unwrap_or(1);
    let sector = 512 * clustering.clamp(1, 8) as usize;
    let size = u32_at(log, 40).unwrap_or(0) as usize;
    if size == 0 || size % 4096 != 0 {
        return Err(format!("hive bins size {size} is not a multiple of 4096"));
    }
    // The hive can grow only by pages the log holds.
    if BASE + size > primary.len().saturating_add(log.len()) {
        return Err("the log's hive size exceeds the hive and the log together".into());
    }
    if log.get(sector..sector + 4) != Some(&b"DIRT"[..]) {
        return Err("no DIRT vector in the log's second sector".into());
    }
    let bitmap_len = size / 4096;
    let bitmap = log
        .get(sector + 4..sector + 4 + bitmap_len)
        .ok_or("the dirty vector is truncated")?;
    let pages_at = (sector + 4 + bitmap_len).div_ceil(sector) * sector;
    let mut out = primary.to_vec();
    out.resize(BASE + size, 0);
    let mut page = 0usize;
    for (byte_index, byte) in bitmap.iter().enumerate() {
        for bit in 0..8 {
            if byte & (1 << bit) == 0 {
                continue;
            }
            let source = pages_at
                .checked_add(page * 512)
                .and_then(|from| log.get(from..from.checked_add(512)?))
                .ok_or("the log holds fewer dirty pages than its bitmap marks")?;
            let to = BASE + (byte_index * 8 + bit) * 512;
            out[to..to + 512].copy_from_slice(source);
            page += 1;
        }
    }
    out[..512].copy_from_slice(&log[..512]);
    let sequence = u32_at(log, 4).unwrap_or(0).to_le_bytes();
    out[4..8].copy_from_slice(&sequence);
    out[8..12].copy_from_slice(&sequence);
    out[28..32].copy_from_slice(&0u32.to_le_bytes());
    let sum = checksum(&out).unwrap_or(0);
    out[508..512].copy_from_slice(&sum.to_le_bytes());
    check_bins(&out)?;
    Ok(out)
}

/// Whether the hive bins chain from the base block to the size it records.
fn check_bins(data: &[u8]) -> std::result::Result<(), String> {
    let end = BASE + u32_at(data, 40).unwrap_or(0) as usize;
    let mut at = BASE;
    while at < end {
        let bin = data.get(at..at + 32).ok_or("a hive bin is truncated")?;
        let size = u32_at(bin, 8).unwrap_or(0) as usize;
        if &bin[..4] != b"hbin"
            || u32_at(bin, 4) != Some((at - BASE) as u32)
            || size == 0
            || size % 4096 != 0
        {
            return Err(format!(
                "the replayed hive bin at offset {:#x} is invalid",
                at - BASE
            ));
        }
        at += size;
    }
    Ok(())
}

/// Every key of the hive, breadth first, at most `limit` of them, each visited once: for tests
/// and fuzzing, which must finish on any bytes.
pub fn walk(hive: &Hive, limit: usize) -> Vec<(String, Vec<Value>)> {
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::from([hive.root]);
    let mut queue = std::collections::VecDeque::from([(String::new(), hive.root())]);
    while let Some((path, key)) = queue.pop_front() {
        for child in key.subkeys() {
            if out.len() + queue.len() + 1 < limit && seen.insert(child.offset) {
                queue.push_back((format!("{path}\\{}", child.name()), child));
            }
        }
        out.push((path, key.values()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::hive_writer::{dirty, dirty_with_log, HiveWriter, ListKind};
    use super::*;

    fn origin() -> Origin {
        Origin("SOFTWARE".into())
    }

    fn sample(lists: ListKind, build: &str) -> Vec<u8> {
        let mut w = HiveWriter::new("SOFTWARE");
        w.lists = lists;
        w.key(r"Microsoft\Windows NT\CurrentVersion")
            .sz("CurrentBuildNumber", build)
            .dword("InstallDate", 1_300_000_000)
            .binary("Big", &vec![7u8; 40_000])
            .qword("Q", 5)
            .raw(
                "",
                1,
                "d\0".encode_utf16().flat_map(u16::to_le_bytes).collect(),
            );
        for name in ["b", "A", "c", "Été"] {
            w.key(&format!(
                r"Microsoft\Windows\CurrentVersion\Uninstall\{name}"
            ))
            .sz("DisplayName", name);
        }
        w.to_bytes()
    }

    #[test]
    fn reads_what_the_writer_wrote_with_every_list_kind() {
        for lists in [ListKind::Lh, ListKind::Lf, ListKind::Li, ListKind::Ri] {
            let hive = Hive::parse(sample(lists, "7601"), &origin()).unwrap();
            assert!(hive.notes.is_empty(), "{:?}", hive.notes);
            let cv = hive
                .key(&["MICROSOFT", "windows nt", "CurrentVersion"])
                .expect("the key");
            assert_eq!(cv.name(), "CurrentVersion");
            let build = cv.value("currentbuildnumber").unwrap();
            assert_eq!((build.kind, build.data.len()), (1, 10));
            assert_eq!(
                cv.value("InstallDate").unwrap().data,
                1_300_000_000u32.to_le_bytes()
            );
            assert_eq!(cv.value("Big").unwrap().data, vec![7u8; 40_000]);
            assert_eq!(cv.value("Q").unwrap().data, 5u64.to_le_bytes());
            assert_eq!(cv.value("").unwrap().kind, 1);
            let uninstall = hive
                .key(&["Microsoft", "Windows", "CurrentVersion", "Uninstall"])
                .unwrap();
            let names: Vec<String> = uninstall.subkeys().iter().map(Key::name).collect();
            assert_eq!(names, ["A", "b", "c", "Été"], "{lists:?}");
            assert!(uninstall.subkey("ÉTÉ").is_some());
            assert_eq!(walk(&hive, 100).len(), 11);
        }
    }

    #[test]
    fn replays_an_old_format_log() {
        let old = sample(ListKind::Lh, "7600");
        let new = sample(ListKind::Lh, "7601");
        let (primary, log) = dirty_with_log(&old, &new);
        let build = |hive: &Hive| {
            let v = hive
                .key(&["Microsoft", "Windows NT", "CurrentVersion"])
                .unwrap()
                .value("CurrentBuildNumber")
                .unwrap();
            String::from_utf16_lossy(
                &v.data
                    .chunks_exact(2)
                    .map(|p| u16::from_le_bytes([p[0], p[1]]))
                    .collect::<Vec<_>>(),
            )
        };
        let hive = Hive::open(
            primary.clone(),
            &[("SOFTWARE.LOG1".into(), log.clone())],
            &origin(),
        )
        .unwrap();
        assert_eq!(build(&hive), "7601\0");
        assert!(
            hive.notes[0].contains("SOFTWARE.LOG1 was replayed"),
            "{:?}",
            hive.notes
        );

        // A log of another time does not apply: the hive is read as it is, with a note.
        let mut stale = log.clone();
        stale[12] ^= 1;
        let hive = Hive::open(
            primary.clone(),
            &[("SOFTWARE.LOG2".into(), stale)],
            &origin(),
        )
        .unwrap();
        assert_eq!(build(&hive), "7600\0");
        assert!(hive.notes[0].contains("may be stale"), "{:?}", hive.notes);

        let hive = Hive::open(dirty(&old), &[], &origin()).unwrap();
        assert!(
            hive.notes[0].contains("no transaction log"),
            "{:?}",
            hive.notes
        );
        let clean = Hive::open(old, &[("x".into(), log)], &origin()).unwrap();
        assert!(clean.notes.is_empty());
    }

    #[test]
    fn hostile_hives_are_errors_or_absent_keys_never_panics() {
        let good = sample(ListKind::Ri, "7601");
        assert_eq!(
            Hive::parse(b"regf".to_vec(), &origin()).unwrap_err().code(),
            "hive-invalid"
        );
        let mut bad_root = good.clone();
        bad_root[36..40].copy_from_slice(&0xFFFF_FF00u32.to_le_bytes());
        assert!(Hive::parse(bad_root, &origin()).is_err());
        // Every byte of the bins set to each of a few values, one at a time: no panic, and the
        // walk ends.
        for at in (4096..good.len()).step_by(7) {
            for byte in [0x00, 0xFF, 0x80] {
                let mut bytes = good.clone();
                bytes[at] = byte;
                if let Ok(hive) = Hive::parse(bytes, &origin()) {
                    let _ = walk(&hive, 1000);
                }
            }
        }
        // A subkey list that points at its own key: listed once, no hang.
        let mut w = HiveWriter::new("x");
        w.key("Loop");
        let mut bytes = w.to_bytes();
        let root = u32::from_le_bytes(bytes[36..40].try_into().unwrap()) as usize;
        let list = u32::from_le_bytes(bytes[4096 + root + 4 + 28..][..4].try_into().unwrap());
        let child = u32::from_le_bytes(bytes[4096 + list as usize + 8..][..4].try_into().unwrap());
        let at = 4096 + child as usize + 4;
        bytes[at + 20..at + 24].copy_from_slice(&1u32.to_le_bytes());
        bytes[at + 28..at + 32].copy_from_slice(&list.to_le_bytes());
        let hive = Hive::parse(bytes, &origin()).unwrap();
        assert_eq!(hive.key(&["Loop", "Loop", "Loop"]).unwrap().name(), "Loop");
        assert_eq!(walk(&hive, 1000).len(), 2);
    }
}
