//! Reads one file from a FAT file system (FAT12/16/32) inside a disk image: the EFI system
//! partition, whose `\EFI\Microsoft\Boot\BCD` says how Windows boots.
//!
//! It reads only: `fatfs` 0.3 asks for `Read + Write + Seek` (it would set the volume's dirty
//! flag when writing), so the partition is lent through [`ReadOnly`], whose every write fails;
//! nothing here writes, so nothing is ever attempted. Names are matched ignoring case, as FAT does.
//! Damaged metadata is an error, never a hang or a crash: every read runs under the window's
//! budget (a loop in a cluster chain ends) and under [`super::guard`], since `fatfs` does
//! unchecked arithmetic on boot-sector fields (an overflow panics in debug builds).

use std::io::{self, Read, Seek, SeekFrom, Write};

use super::guard;
use super::io::Window;
use crate::error::{Error, Origin, Result};

/// Finding a path's directories may read this much besides the file itself.
const METADATA_BUDGET: u64 = 64 << 20;
/// Directory entries looked at, at most, in one folder.
const MAX_ENTRIES: usize = 100_000;

/// A window that refuses writes.
struct ReadOnly(Window);

impl Read for ReadOnly {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.0.read(buf)
    }
}

impl Seek for ReadOnly {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        self.0.seek(to)
    }
}

impl Write for ReadOnly {
    fn write(&mut self, _: &[u8]) -> io::Result<usize> {
        Err(io::Error::new(
            io::ErrorKind::PermissionDenied,
            "disk images are read, never written",
        ))
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Whether a volume's first sector is a FAT boot sector: the jump, 512-byte-multiple sectors
/// and a FAT file system type string (`FAT12`/`FAT16` at 54, `FAT32` at 82).
pub fn looks_like_fat(sector: &[u8]) -> bool {
    let Some(head) = sector.get(..90) else {
        return false;
    };
    let bytes_per_sector = u16::from_le_bytes([head[11], head[12]]);
    matches!(head[0], 0xEB | 0xE9)
        && matches!(bytes_per_sector, 512 | 1024 | 2048 | 4096)
        && (head[54..57] == *b"FAT" || head[82..87] == *b"FAT32")
}

/// The file at `path` (segments from the root, any case) on the FAT volume in `window`;
/// `Ok(None)` when it is not there. A file larger than `limit` is an error.
pub fn read_file(
    mut window: Window,
    path: &[&str],
    limit: u64,
    describe: &str,
) -> Result<Option<Vec<u8>>> {
    let origin = Origin(describe.to_string());
    let damaged = |e: &dyn std::fmt::Display| Error::DiskImage {
        origin: origin.clone(),
        message: format!("the FAT file system is damaged: {e}"),
    };
    window.set_budget(METADATA_BUDGET.saturating_add(limit));
    guard::guarded(|| {
        let fs = fatfs::FileSystem::new(ReadOnly(window), fatfs::FsOptions::new())
            .map_err(|e| damaged(&e))?;
        let Some((file_name, dirs)) = path.split_last() else {
            return Ok(None);
        };
        let mut dir = fs.root_dir();
        for segment in dirs {
            match find(&dir, segment, true).map_err(|e| damaged(&e))? {
                Some(entry) => dir = entry.to_dir(),
                None => return Ok(None),
            }
        }
        let Some(entry) = find(&dir, file_name, false).map_err(|e| damaged(&e))? else {
            return Ok(None);
        };
        if entry.len() > limit {
            return Err(Error::TooLarge {
                origin: origin.clone(),
                limit_mib: limit >> 20,
                kind: "a BCD store",
            });
        }
        let mut bytes = Vec::new();
        entry
            .to_file()
            .take(limit.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(|e| damaged(&e))?;
        if bytes.len() as u64 > limit {
            return Err(Error::TooLarge {
                origin: origin.clone(),
                limit_mib: limit >> 20,
                kind: "a BCD store",
            });
        }
        Ok(Some(bytes))
    })
    .unwrap_or_else(|panic| {
        Err(damaged(&format!(
            "the FAT reader stopped on damaged metadata ({panic})"
        )))
    })
}

type Dir<'a> = fatfs::Dir<'a, ReadOnly>;
type Entry<'a> = fatfs::DirEntry<'a, ReadOnly>;

/// The entry named `name` (long or short name, any case) in `dir`, a folder when `folder`.
fn find<'a>(dir: &Dir<'a>, name: &str, folder: bool) -> io::Result<Option<Entry<'a>>> {
    for entry in dir.iter().take(MAX_ENTRIES) {
        let entry = entry?;
        let named = entry.file_name().eq_ignore_ascii_case(name)
            || entry.short_file_name().eq_ignore_ascii_case(name);
        if named && entry.is_dir() == folder {
            return Ok(Some(entry));
        }
    }
    Ok(None)
}
