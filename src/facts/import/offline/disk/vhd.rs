//! The legacy VHD format (Virtual PC, Hyper-V generation 1, Windows 7's own VHD boot): a fixed
//! disk is the raw bytes plus a 512-byte footer; a dynamic one maps 2 MiB blocks through a block
//! allocation table (BAT).
//!
//! Written by hand: the one VHD crate found (vhd-core 0.1) reads the whole container into memory
//! before parsing, which a 40 GB fixed VHD forbids; the format is a footer, a header and a table.
//! A differencing disk (a child of a parent image) is read through its chain: each block the
//! child lacks, and each sector its block bitmap does not mark, comes from the parent, found by
//! the child's parent locators (the relative path, then the absolute one, then the parent's
//! name, each looked for in the child's folder) and checked to be the parent the child was made
//! from (its unique id). With no such parent the child is refused, naming the parent it needs.
//! Invariant: every size and offset is checked against the container's length before use, and
//! the BAT is the only allocation, bounded by that length.

use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use super::io::ReadSeek;

/// `conectix`: the footer's cookie (at the container's end; a dynamic disk repeats it at 0).
pub const FOOTER_COOKIE: &[u8; 8] = b"conectix";
const DYNAMIC_COOKIE: &[u8; 8] = b"cxsparse";
const SECTOR: u64 = 512;
const UNALLOCATED: u32 = 0xFFFF_FFFF;
/// A BAT larger than this (16 M blocks, 32 TiB of 2 MiB blocks) is not a Windows 7 disk.
const MAX_BAT_ENTRIES: u32 = 1 << 24;
/// Parents followed at most from one child (Hyper-V checkpoints chain a few).
const MAX_CHAIN: usize = 16;
/// A parent locator's path is at most this long (Windows paths: 32767 UTF-16 units).
const MAX_LOCATOR: u32 = 65536;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Fixed,
    Dynamic,
    Differencing,
}

/// The footer's fields this reader uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Footer {
    pub kind: Kind,
    pub data_offset: u64,
    pub current_size: u64,
    /// The image's unique id, which its children name as their parent's.
    pub unique_id: [u8; 16],
}

fn be32(b: &[u8], at: usize) -> u32 {
    u32::from_be_bytes(b[at..at + 4].try_into().expect("4 bytes"))
}
fn be64(b: &[u8], at: usize) -> u64 {
    u64::from_be_bytes(b[at..at + 8].try_into().expect("8 bytes"))
}

/// One's complement of the byte sum, the checksum field itself counted as zero.
fn checksum(block: &[u8], field: usize) -> u32 {
    let sum = block
        .iter()
        .enumerate()
        .filter(|(i, _)| !(field..field + 4).contains(i))
        .fold(0u32, |s, (_, &b)| s.wrapping_add(u32::from(b)));
    !sum
}

fn bad(message: impl Into<String>) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message.into())
}

/// Parses a 512-byte footer.
pub fn parse_footer(b: &[u8]) -> io::Result<Footer> {
    if b.len() < 512 || &b[..8] != FOOTER_COOKIE {
        return Err(bad("not a VHD footer (no `conectix` cookie)"));
    }
    if checksum(&b[..512], 64) != be32(b, 64) {
        return Err(bad(
            "the VHD footer's checksum is wrong: the footer is damaged",
        ));
    }
    let kind = match be32(b, 60) {
        2 => Kind::Fixed,
        3 => Kind::Dynamic,
        4 => Kind::Differencing,
        other => return Err(bad(format!("unknown VHD disk type {other}"))),
    };
    Ok(Footer {
        kind,
        data_offset: be64(b, 16),
        current_size: be64(b, 48),
        unique_id: b[68..84].try_into().expect("16 bytes"),
    })
}

/// A VHD as the virtual disk it holds.
pub struct Vhd {
    inner: Box<dyn ReadSeek>,
    size: u64,
    pos: u64,
    map: Map,
    unique_id: [u8; 16],
}

enum Map {
    Fixed,
    Dynamic {
        block_size: u64,
        bitmap_bytes: u64,
        bat: Vec<u32>,
        /// A differencing disk's parent, which holds what the child does not.
        parent: Option<Box<Vhd>>,
    },
}

/// Where a run of virtual bytes lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// At this offset in the container.
    Here(u64),
    /// In the parent (a differencing disk), at the same virtual offset.
    Parent,
    /// Nowhere: zeros.
    Zeros,
}

impl Vhd {
    /// Opens a VHD whose container is `len` bytes long; reads the footer and, for a dynamic
    /// disk, its header and BAT, nothing else. A differencing disk is refused: its parent is
    /// found from its path ([`Vhd::open_at`]).
    pub fn open(inner: Box<dyn ReadSeek>, len: u64) -> io::Result<Vhd> {
        Vhd::open_chain(inner, len, None, 0)
    }

    /// [`Vhd::open`] for the VHD at `path` (its container's bytes in `inner`): a differencing
    /// disk's parent is looked for beside it and opened too.
    pub fn open_at(inner: Box<dyn ReadSeek>, len: u64, path: &Path) -> io::Result<Vhd> {
        Vhd::open_chain(inner, len, Some(path), 0)
    }

    fn open_chain(
        mut inner: Box<dyn ReadSeek>,
        len: u64,
        path: Option<&Path>,
        depth: usize,
    ) -> io::Result<Vhd> {
        if len < SECTOR {
            return Err(bad("too short for a VHD"));
        }
        let mut raw = [0u8; 512];
        inner.seek(SeekFrom::Start(len - SECTOR))?;
        inner.read_exact(&mut raw)?;
        let footer = parse_footer(&raw)?;
        let map = match footer.kind {
            Kind::Fixed => {
                if footer.current_size > len - SECTOR {
                    return Err(bad(format!(
                        "the fixed VHD says it holds {} bytes but only {} are there: truncated",
                        footer.current_size,
                        len - SECTOR
                    )));
                }
                Map::Fixed
            }
            Kind::Dynamic | Kind::Differencing => {
                read_dynamic(&mut inner, len, &footer, path, depth)?
            }
        };
        Ok(Vhd {
            inner,
            size: footer.current_size,
            pos: 0,
            map,
            unique_id: footer.unique_id,
        })
    }

    pub fn size(&self) -> u64 {
        self.size
    }

    /// Where virtual byte `at` lives, and how many bytes from there on live alike. In a
    /// differencing disk an allocated block's bitmap says, sector by sector, whether the child
    /// or the parent holds it (read from the container: one bitmap sector).
    pub fn locate(&mut self, at: u64) -> io::Result<(Source, u64)> {
        let Map::Dynamic {
            block_size,
            bitmap_bytes,
            bat,
            parent,
        } = &self.map
        else {
            return Ok((Source::Here(at), self.size - at));
        };
        let (block_size, bitmap_bytes) = (*block_size, *bitmap_bytes);
        let block = at / block_size;
        let within = at % block_size;
        let run = block_size - within;
        let entry = usize::try_from(block)
            .ok()
            .and_then(|b| bat.get(b))
            .copied()
            .unwrap_or(UNALLOCATED);
        let absent = if parent.is_some() {
            Source::Parent
        } else {
            Source::Zeros
        };
        if entry == UNALLOCATED {
            return Ok((absent, run));
        }
        let block_start = u64::from(entry) * SECTOR;
        let here = Source::Here(block_start + bitmap_bytes + within);
        if parent.is_none() {
            return Ok((here, run));
        }
        // The bitmap bits of this sector and those after it in the block: one sector of the
        // bitmap covers 4096 sectors, far more than a run needs.
        let sector = within / SECTOR;
        let byte = sector / 8;
        let mut bits = [0u8; 512];
        let bitmap_sector = byte / SECTOR;
        self.inner
            .seek(SeekFrom::Start(block_start + bitmap_sector * SECTOR))?;
        self.inner.read_exact(&mut bits).map_err(truncated)?;
        let is_set = |s: u64| {
            let b = (s / 8 - bitmap_sector * SECTOR) as usize;
            bits.get(b).map(|&v| v & (0x80 >> (s % 8)) != 0)
        };
        let first = is_set(sector).unwrap_or(false);
        let mut end = sector + 1;
        while end < block_size / SECTOR && is_set(end) == Some(first) {
            end += 1;
        }
        let run = (end * SECTOR - within).min(run);
        Ok((if first { here } else { absent }, run))
    }
}

fn truncated(e: io::Error) -> io::Error {
    if e.kind() == io::ErrorKind::UnexpectedEof {
        bad("a VHD block lies past the end of the file: truncated")
    } else {
        e
    }
}

const W2RU: u32 = u32::from_be_bytes(*b"W2ru");
const W2KU: u32 = u32::from_be_bytes(*b"W2ku");

/// The places a differencing disk's parent may be, in the order they are tried: each Windows
/// path its locators hold (relative to the child's folder, then absolute), and each of their
/// file names and the header's parent name in the child's folder.
fn parent_candidates(
    inner: &mut Box<dyn ReadSeek>,
    len: u64,
    header: &[u8],
    child: &Path,
) -> io::Result<(String, Vec<PathBuf>)> {
    let folder = child.parent().unwrap_or(Path::new("."));
    let utf16 = |bytes: &[u8], big: bool| {
        let units: Vec<u16> = bytes
            .chunks_exact(2)
            .map(|c| {
                if big {
                    u16::from_be_bytes([c[0], c[1]])
                } else {
                    u16::from_le_bytes([c[0], c[1]])
                }
            })
            .take_while(|&u| u != 0)
            .collect();
        String::from_utf16_lossy(&units)
    };
    let name = utf16(&header[64..576], true);
    let mut paths: Vec<String> = Vec::new();
    for code in [W2RU, W2KU] {
        for i in 0..8 {
            let e = &header[576 + i * 24..576 + (i + 1) * 24];
            let (length, offset) = (be32(e, 8), be64(e, 16));
            if be32(e, 0) != code || length == 0 || length > MAX_LOCATOR {
                continue;
            }
            if offset
                .checked_add(u64::from(length))
                .is_none_or(|end| end > len)
            {
                continue;
            }
            let mut raw = vec![0u8; length as usize];
            inner.seek(SeekFrom::Start(offset))?;
            inner.read_exact(&mut raw)?;
            paths.push(utf16(&raw, false));
        }
    }
    let windows = |p: &str| -> PathBuf { p.split(['\\', '/']).collect::<PathBuf>() };
    let mut candidates = Vec::new();
    for p in &paths {
        let relative = p.trim_start_matches(".\\").trim_start_matches("./");
        let is_absolute = p.starts_with('\\') || p.get(1..3) == Some(":\\");
        if !is_absolute {
            candidates.push(folder.join(windows(relative)));
        } else if cfg!(windows) {
            candidates.push(PathBuf::from(p));
        }
    }
    for file in paths.iter().map(String::as_str).chain([name.as_str()]) {
        if let Some(last) = file.rsplit(['\\', '/']).next().filter(|n| !n.is_empty()) {
            candidates.push(folder.join(last));
        }
    }
    let wanted = paths.first().cloned().unwrap_or(name);
    Ok((wanted, candidates))
}

/// The parent of the differencing disk at `child`: the first candidate that is a VHD whose
/// unique id is the one the child names.
fn open_parent(
    inner: &mut Box<dyn ReadSeek>,
    len: u64,
    header: &[u8],
    child: Option<&Path>,
    depth: usize,
) -> io::Result<Vhd> {
    let Some(child) = child else {
        return Err(bad(
            "a differencing VHD (a child of another image) read without its path, so its \
             parent cannot be looked for",
        ));
    };
    if depth >= MAX_CHAIN {
        return Err(bad(format!(
            "a chain of more than {MAX_CHAIN} differencing VHDs (a loop?)"
        )));
    }
    let (wanted, candidates) = parent_candidates(inner, len, header, child)?;
    let parent_id: [u8; 16] = header[40..56].try_into().expect("16 bytes");
    let mut mismatch = None;
    for candidate in candidates {
        if !candidate.is_file() || candidate == child {
            continue;
        }
        let file = std::fs::File::open(&candidate)?;
        let len = file.metadata()?.len();
        let parent = Vhd::open_chain(Box::new(file), len, Some(&candidate), depth + 1)
            .map_err(|e| bad(format!("its parent {}: {e}", candidate.display())))?;
        if parent.unique_id == parent_id {
            return Ok(parent);
        }
        mismatch = Some(candidate);
    }
    Err(bad(match mismatch {
        Some(found) => format!(
            "a differencing VHD whose parent {wanted} is not beside it: {} is not the image \
             it was made from (its unique id differs)",
            found.display()
        ),
        None => format!(
            "a differencing VHD whose parent {wanted} is not beside it: put the parent in the \
             same folder, or merge the child into it first"
        ),
    }))
}

fn read_dynamic(
    inner: &mut Box<dyn ReadSeek>,
    len: u64,
    footer: &Footer,
    path: Option<&Path>,
    depth: usize,
) -> io::Result<Map> {
    let header_end = footer.data_offset.checked_add(1024);
    if header_end.is_none_or(|end| end > len) {
        return Err(bad("the dynamic VHD's header lies past the end: truncated"));
    }
    let mut h = vec![0u8; 1024];
    inner.seek(SeekFrom::Start(footer.data_offset))?;
    inner.read_exact(&mut h)?;
    if &h[..8] != DYNAMIC_COOKIE {
        return Err(bad("the dynamic VHD's header has no `cxsparse` cookie"));
    }
    if checksum(&h, 36) != be32(&h, 36) {
        return Err(bad("the dynamic VHD's header checksum is wrong: damaged"));
    }
    let table_offset = be64(&h, 16);
    let entries = be32(&h, 28);
    let block_size = u64::from(be32(&h, 32));
    if !block_size.is_power_of_two() || !(SECTOR..=(256 << 20)).contains(&block_size) {
        return Err(bad(format!(
            "the dynamic VHD's block size {block_size} is invalid"
        )));
    }
    if entries > MAX_BAT_ENTRIES {
        return Err(bad(format!(
            "the dynamic VHD claims {entries} blocks; too many"
        )));
    }
    let needed = footer.current_size.div_ceil(block_size);
    if u64::from(entries) < needed {
        return Err(bad(format!(
            "the dynamic VHD's table has {entries} blocks but its size needs {needed}"
        )));
    }
    // Only the entries that cover the disk's size matter.
    let used = needed as usize;
    let table_bytes = used as u64 * 4;
    if table_offset
        .checked_add(table_bytes)
        .is_none_or(|end| end > len)
    {
        return Err(bad(
            "the dynamic VHD's block table lies past the end: truncated",
        ));
    }
    let mut raw = vec![0u8; used * 4];
    inner.seek(SeekFrom::Start(table_offset))?;
    inner.read_exact(&mut raw)?;
    let bat = raw
        .chunks_exact(4)
        .map(|c| u32::from_be_bytes(c.try_into().expect("4 bytes")))
        .collect();
    // One bit per sector, rounded up to whole sectors.
    let bitmap_bytes = (block_size / SECTOR).div_ceil(8).div_ceil(SECTOR) * SECTOR;
    let parent = match footer.kind {
        Kind::Differencing => Some(Box::new(open_parent(inner, len, &h, path, depth)?)),
        _ => None,
    };
    Ok(Map::Dynamic {
        block_size,
        bitmap_bytes,
        bat,
        parent,
    })
}

impl Read for Vhd {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.pos >= self.size || buf.is_empty() {
            return Ok(0);
        }
        let (at, run) = self.locate(self.pos)?;
        let n = (buf.len() as u64).min(run).min(self.size - self.pos) as usize;
        match at {
            Source::Zeros => buf[..n].fill(0),
            Source::Here(offset) => {
                self.inner.seek(SeekFrom::Start(offset))?;
                self.inner.read_exact(&mut buf[..n]).map_err(truncated)?;
            }
            Source::Parent => {
                let Map::Dynamic {
                    parent: Some(parent),
                    ..
                } = &mut self.map
                else {
                    return Err(bad("a VHD without a parent deferred to one"));
                };
                // A parent smaller than its child reads as zeros past its end.
                buf[..n].fill(0);
                parent.seek(SeekFrom::Start(self.pos))?;
                let mut done = 0;
                while done < n {
                    match parent.read(&mut buf[done..n])? {
                        0 => break,
                        k => done += k,
                    }
                }
            }
        }
        self.pos += n as u64;
        Ok(n)
    }
}

impl Seek for Vhd {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let new = match to {
            SeekFrom::Start(n) => Some(n),
            SeekFrom::Current(d) => self.pos.checked_add_signed(d),
            SeekFrom::End(d) => self.size.checked_add_signed(d),
        };
        self.pos = new.ok_or_else(|| {
            io::Error::new(io::ErrorKind::InvalidInput, "seek before the disk's start")
        })?;
        Ok(self.pos)
    }
}

/// Builds a footer (for tests and fuzz seeds).
pub fn footer_bytes(kind: Kind, data_offset: u64, size: u64) -> [u8; 512] {
    let mut f = [0u8; 512];
    f[..8].copy_from_slice(FOOTER_COOKIE);
    f[8..12].copy_from_slice(&2u32.to_be_bytes());
    f[12..16].copy_from_slice(&0x0001_0000u32.to_be_bytes());
    f[16..24].copy_from_slice(&data_offset.to_be_bytes());
    f[40..48].copy_from_slice(&size.to_be_bytes());
    f[48..56].copy_from_slice(&size.to_be_bytes());
    let ty: u32 = match kind {
        Kind::Fixed => 2,
        Kind::Dynamic => 3,
        Kind::Differencing => 4,
    };
    f[60..64].copy_from_slice(&ty.to_be_bytes());
    let sum = checksum(&f, 64);
    f[64..68].copy_from_slice(&sum.to_be_bytes());
    f
}

/// Builds a whole dynamic VHD in memory (for tests and fuzz seeds): `blocks[i]` is `Some(data)`
/// for an allocated block.
pub fn dynamic_bytes(block_size: u32, blocks: &[Option<&[u8]>]) -> Vec<u8> {
    let size = u64::from(block_size) * blocks.len() as u64;
    let footer = footer_bytes(Kind::Dynamic, 512, size);
    let mut out = footer.to_vec();
    let mut h = vec![0u8; 1024];
    h[..8].copy_from_slice(DYNAMIC_COOKIE);
    h[8..16].copy_from_slice(&u64::MAX.to_be_bytes());
    h[16..24].copy_from_slice(&1536u64.to_be_bytes());
    h[24..28].copy_from_slice(&0x0001_0000u32.to_be_bytes());
    h[28..32].copy_from_slice(&(blocks.len() as u32).to_be_bytes());
    h[32..36].copy_from_slice(&block_size.to_be_bytes());
    let sum = checksum(&h, 36);
    h[36..40].copy_from_slice(&sum.to_be_bytes());
    out.extend_from_slice(&h);
    let table_len = (blocks.len() * 4).div_ceil(512) * 512;
    let data_start = 1536 + table_len;
    let bitmap = (u64::from(block_size) / SECTOR)
        .div_ceil(8)
        .div_ceil(SECTOR)
        * SECTOR;
    let mut table = vec![0xFFu8; table_len];
    let mut data = Vec::new();
    for (i, block) in blocks.iter().enumerate() {
        if let Some(bytes) = block {
            let sector = (data_start + data.len()) as u64 / SECTOR;
            table[i * 4..i * 4 + 4].copy_from_slice(&(sector as u32).to_be_bytes());
            data.extend(std::iter::repeat_n(0xFFu8, bitmap as usize));
            let mut b = bytes.to_vec();
            b.resize(block_size as usize, 0);
            data.extend_from_slice(&b);
        }
    }
    out.extend_from_slice(&table);
    out.extend_from_slice(&data);
    out.extend_from_slice(&footer);
    out
}

/// Builds a differencing VHD in memory (for tests and fuzz seeds): `size` bytes of disk in
/// blocks of `block_size`, `blocks` the allocated ones as (block number, the sectors the child
/// holds, the block's data), the parent named by its unique id and by `parent_path`, a
/// relative Windows path (`.\parent.vhd`) in a `W2ru` locator.
pub fn differencing_bytes(
    size: u64,
    block_size: u32,
    blocks: &[(usize, &[u64], &[u8])],
    parent_id: [u8; 16],
    parent_path: &str,
) -> Vec<u8> {
    let entries = size.div_ceil(u64::from(block_size)) as usize;
    let footer = footer_bytes(Kind::Differencing, 512, size);
    let mut out = footer.to_vec();
    let locator: Vec<u8> = parent_path
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    let locator_sectors = (locator.len() as u64).div_ceil(SECTOR).max(1);
    let table_offset = 1536 + locator_sectors * SECTOR;
    let mut h = vec![0u8; 1024];
    h[..8].copy_from_slice(DYNAMIC_COOKIE);
    h[8..16].copy_from_slice(&u64::MAX.to_be_bytes());
    h[16..24].copy_from_slice(&table_offset.to_be_bytes());
    h[24..28].copy_from_slice(&0x0001_0000u32.to_be_bytes());
    h[28..32].copy_from_slice(&(entries as u32).to_be_bytes());
    h[32..36].copy_from_slice(&block_size.to_be_bytes());
    h[40..56].copy_from_slice(&parent_id);
    let name = parent_path
        .rsplit(['\\', '/'])
        .next()
        .unwrap_or(parent_path);
    for (i, unit) in name.encode_utf16().take(256).enumerate() {
        h[64 + i * 2..66 + i * 2].copy_from_slice(&unit.to_be_bytes());
    }
    h[576..580].copy_from_slice(b"W2ru");
    h[580..584].copy_from_slice(&((locator_sectors * SECTOR) as u32).to_be_bytes());
    h[584..588].copy_from_slice(&(locator.len() as u32).to_be_bytes());
    h[592..600].copy_from_slice(&1536u64.to_be_bytes());
    let sum = checksum(&h, 36);
    h[36..40].copy_from_slice(&sum.to_be_bytes());
    out.extend_from_slice(&h);
    let mut locator_area = locator;
    locator_area.resize((locator_sectors * SECTOR) as usize, 0);
    out.extend_from_slice(&locator_area);
    let table_len = (entries * 4).div_ceil(512) * 512;
    let data_start = table_offset as usize + table_len;
    let bitmap = (u64::from(block_size) / SECTOR)
        .div_ceil(8)
        .div_ceil(SECTOR)
        * SECTOR;
    let mut table = vec![0xFFu8; table_len];
    let mut data = Vec::new();
    for (i, sectors, bytes) in blocks {
        let sector = (data_start + data.len()) as u64 / SECTOR;
        table[i * 4..i * 4 + 4].copy_from_slice(&(sector as u32).to_be_bytes());
        let mut bits = vec![0u8; bitmap as usize];
        for s in *sectors {
            bits[(s / 8) as usize] |= 0x80 >> (s % 8);
        }
        data.extend_from_slice(&bits);
        let mut b = bytes.to_vec();
        b.resize(block_size as usize, 0);
        data.extend_from_slice(&b);
    }
    out.extend_from_slice(&table);
    out.extend_from_slice(&data);
    out.extend_from_slice(&footer);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn open(bytes: Vec<u8>) -> io::Result<Vhd> {
        let len = bytes.len() as u64;
        Vhd::open(Box::new(Cursor::new(bytes)), len)
    }

    #[test]
    fn a_dynamic_disk_maps_blocks_through_its_table_and_reads_holes_as_zeros() {
        let bytes = dynamic_bytes(4096, &[None, Some(b"second block"), None]);
        let mut vhd = open(bytes).unwrap();
        assert_eq!(vhd.size(), 3 * 4096);
        // Golden mapping: block 1 starts after footer copy, header, one table sector and its
        // one-sector bitmap.
        assert_eq!(vhd.locate(0).unwrap(), (Source::Zeros, 4096));
        assert_eq!(
            vhd.locate(4096 + 3).unwrap(),
            (Source::Here(2048 + 512 + 3), 4093)
        );
        let mut all = Vec::new();
        vhd.read_to_end(&mut all).unwrap();
        assert_eq!(all.len(), 3 * 4096);
        assert!(all[..4096].iter().all(|&b| b == 0));
        assert_eq!(&all[4096..4096 + 12], b"second block");
    }

    #[test]
    fn a_fixed_disk_is_its_bytes_before_the_footer() {
        let mut bytes = vec![0xABu8; 1024];
        bytes.extend_from_slice(&footer_bytes(Kind::Fixed, u64::MAX, 1024));
        let mut vhd = open(bytes).unwrap();
        assert_eq!(vhd.locate(100).unwrap(), (Source::Here(100), 924));
        let mut all = Vec::new();
        vhd.read_to_end(&mut all).unwrap();
        assert_eq!(all, vec![0xAB; 1024]);
    }

    #[test]
    fn a_differencing_disk_reads_through_its_parent() {
        let dir = tempfile::tempdir().unwrap();
        let parent = dynamic_bytes(4096, &[Some(&[b'P'; 4096]), Some(&[b'Q'; 4096]), None]);
        std::fs::write(dir.path().join("base.vhd"), &parent).unwrap();
        // Block 0: the child holds sectors 1 and 2 only; block 1 is the parent's; block 2 is
        // the parent's hole.
        let child = differencing_bytes(
            3 * 4096,
            4096,
            &[(0, &[1, 2], &[b'C'; 4096])],
            [0; 16],
            r".\base.vhd",
        );
        let child_path = dir.path().join("child.vhd");
        std::fs::write(&child_path, &child).unwrap();
        let len = child.len() as u64;
        let open_child = || {
            Vhd::open_at(
                Box::new(std::fs::File::open(&child_path).unwrap()),
                len,
                &child_path,
            )
        };
        let mut vhd = open_child().unwrap();
        let mut all = Vec::new();
        vhd.read_to_end(&mut all).unwrap();
        assert_eq!(all.len(), 3 * 4096);
        assert!(all[..512].iter().all(|&b| b == b'P'));
        assert!(all[512..1536].iter().all(|&b| b == b'C'));
        assert!(all[1536..4096].iter().all(|&b| b == b'P'));
        assert!(all[4096..8192].iter().all(|&b| b == b'Q'));
        assert!(all[8192..].iter().all(|&b| b == 0));

        // Without its path, or without its parent, or beside another image, it is refused,
        // naming the parent.
        assert!(open(child.clone()).is_err());
        let mut other = dynamic_bytes(4096, &[None, None, None]);
        let n = other.len();
        for footer in [0, n - 512] {
            other[footer + 68] = 1;
            let sum = checksum(&other[footer..footer + 512], 64);
            other[footer + 64..footer + 68].copy_from_slice(&sum.to_be_bytes());
        }
        std::fs::write(dir.path().join("base.vhd"), &other).unwrap();
        let e = open_child().err().unwrap().to_string();
        assert!(e.contains("base.vhd") && e.contains("unique id"), "{e}");
        std::fs::remove_file(dir.path().join("base.vhd")).unwrap();
        let e = open_child().err().unwrap().to_string();
        assert!(
            e.contains(r".\base.vhd") && e.contains("not beside it"),
            "{e}"
        );
    }

    #[test]
    fn damage_is_an_error() {
        let good = dynamic_bytes(4096, &[Some(b"x")]);
        // A flipped footer byte breaks the checksum.
        let mut bad_sum = good.clone();
        let n = bad_sum.len();
        bad_sum[n - 512 + 50] ^= 1;
        assert!(open(bad_sum).is_err());
        // A fixed disk that claims more than it holds.
        let mut short = vec![0u8; 512];
        short.extend_from_slice(&footer_bytes(Kind::Fixed, u64::MAX, 1 << 40));
        assert!(open(short).is_err());
        // A file cut short has lost its footer.
        assert!(open(good[..good.len() - 700].to_vec()).is_err());
        assert!(open(vec![0u8; 100]).is_err());
    }
}
