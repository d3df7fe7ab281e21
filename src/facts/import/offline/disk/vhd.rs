//! The legacy VHD format (Virtual PC, Hyper-V generation 1, Windows 7's own VHD boot): a fixed
//! disk is the raw bytes plus a 512-byte footer; a dynamic one maps 2 MiB blocks through a block
//! allocation table (BAT).
//!
//! Written by hand: the one VHD crate found (vhd-core 0.1) reads the whole container into memory
//! before parsing, which a 40 GB fixed VHD forbids; the format is a footer, a header and a table.
//! Differencing disks (a child of a parent image) are refused, not read as if whole.
//! Invariant: every size and offset is checked against the container's length before use, and
//! the BAT is the only allocation, bounded by that length.

use std::io::{self, Read, Seek, SeekFrom};

use super::io::ReadSeek;

/// `conectix`: the footer's cookie (at the container's end; a dynamic disk repeats it at 0).
pub const FOOTER_COOKIE: &[u8; 8] = b"conectix";
const DYNAMIC_COOKIE: &[u8; 8] = b"cxsparse";
const SECTOR: u64 = 512;
const UNALLOCATED: u32 = 0xFFFF_FFFF;
/// A BAT larger than this (16 M blocks, 32 TiB of 2 MiB blocks) is not a Windows 7 disk.
const MAX_BAT_ENTRIES: u32 = 1 << 24;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Fixed,
    Dynamic,
}

/// The footer's fields this reader uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Footer {
    pub kind: Kind,
    pub data_offset: u64,
    pub current_size: u64,
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
    let kind =
        match be32(b, 60) {
            2 => Kind::Fixed,
            3 => Kind::Dynamic,
            4 => return Err(bad(
                "a differencing VHD (a child of another image): merge it into its parent first, \
                 or give w7plan the parent",
            )),
            other => return Err(bad(format!("unknown VHD disk type {other}"))),
        };
    Ok(Footer {
        kind,
        data_offset: be64(b, 16),
        current_size: be64(b, 48),
    })
}

/// A VHD as the virtual disk it holds.
pub struct Vhd {
    inner: Box<dyn ReadSeek>,
    size: u64,
    pos: u64,
    map: Map,
}

enum Map {
    Fixed,
    Dynamic {
        block_size: u64,
        bitmap_bytes: u64,
        bat: Vec<u32>,
    },
}

impl Vhd {
    /// Opens a VHD whose container is `len` bytes long; reads the footer and, for a dynamic
    /// disk, its header and BAT, nothing else.
    pub fn open(mut inner: Box<dyn ReadSeek>, len: u64) -> io::Result<Vhd> {
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
            Kind::Dynamic => read_dynamic(&mut inner, len, &footer)?,
        };
        Ok(Vhd {
            inner,
            size: footer.current_size,
            pos: 0,
            map,
        })
    }

    pub fn size(&self) -> u64 {
        self.size
    }

    /// Where virtual byte `at` lives in the container (`None`: an unallocated block, zeros),
    /// and how many bytes from there on are contiguous.
    pub fn locate(&self, at: u64) -> io::Result<(Option<u64>, u64)> {
        match &self.map {
            Map::Fixed => Ok((Some(at), self.size - at)),
            Map::Dynamic {
                block_size,
                bitmap_bytes,
                bat,
            } => {
                let block = at / block_size;
                let within = at % block_size;
                let run = block_size - within;
                let entry = usize::try_from(block)
                    .ok()
                    .and_then(|b| bat.get(b))
                    .copied()
                    .unwrap_or(UNALLOCATED);
                if entry == UNALLOCATED {
                    return Ok((None, run));
                }
                let start = u64::from(entry) * SECTOR + bitmap_bytes + within;
                Ok((Some(start), run))
            }
        }
    }
}

fn read_dynamic(inner: &mut Box<dyn ReadSeek>, len: u64, footer: &Footer) -> io::Result<Map> {
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
    Ok(Map::Dynamic {
        block_size,
        bitmap_bytes,
        bat,
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
            None => buf[..n].fill(0),
            Some(offset) => {
                self.inner.seek(SeekFrom::Start(offset))?;
                self.inner.read_exact(&mut buf[..n]).map_err(|e| {
                    if e.kind() == io::ErrorKind::UnexpectedEof {
                        bad("a VHD block lies past the end of the file: truncated")
                    } else {
                        e
                    }
                })?;
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
        assert_eq!(vhd.locate(0).unwrap(), (None, 4096));
        assert_eq!(vhd.locate(4096 + 3).unwrap(), (Some(2048 + 512 + 3), 4093));
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
        assert_eq!(vhd.locate(100).unwrap(), (Some(100), 924));
        let mut all = Vec::new();
        vhd.read_to_end(&mut all).unwrap();
        assert_eq!(all, vec![0xAB; 1024]);
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
