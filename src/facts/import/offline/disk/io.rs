//! The byte sources the disk layers read through: one virtual disk shared by its partitions, a
//! window onto one partition, and a reader that counts what is read (for tests and benchmarks).
//!
//! Nothing here knows a format. Every layer reads through `Read + Seek`, so a 40 GB VM disk costs
//! only the blocks that are asked for; a window's read budget turns a damaged file system that
//! would read forever (a cycle in its structures) into an error.

use std::io::{self, Read, Seek, SeekFrom};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// Any byte source a virtual disk can be read from.
pub trait ReadSeek: Read + Seek + Send {}
impl<T: Read + Seek + Send> ReadSeek for T {}

/// A virtual disk: the bytes a VM or a computer sees, whatever container holds them.
pub type Disk = Box<dyn ReadSeek>;

/// One virtual disk, shared by the windows onto its partitions.
#[derive(Clone)]
pub struct SharedDisk {
    disk: Arc<Mutex<Disk>>,
    len: u64,
}

impl SharedDisk {
    pub fn new(disk: Disk, len: u64) -> Self {
        SharedDisk {
            disk: Arc::new(Mutex::new(disk)),
            len,
        }
    }

    pub fn len(&self) -> u64 {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Reads up to `buf.len()` bytes at `offset`; fewer only at the disk's end.
    pub fn read_at(&self, offset: u64, buf: &mut [u8]) -> io::Result<usize> {
        if offset >= self.len {
            return Ok(0);
        }
        let want = buf
            .len()
            .min(usize::try_from(self.len - offset).unwrap_or(usize::MAX));
        let mut disk = self
            .disk
            .lock()
            .map_err(|_| io::Error::other("disk reader poisoned by an earlier panic"))?;
        disk.seek(SeekFrom::Start(offset))?;
        let mut done = 0;
        while done < want {
            match disk.read(&mut buf[done..want]) {
                Ok(0) => break,
                Ok(n) => done += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(done)
    }

    /// Exactly `len` bytes at `offset`, or an error naming what was cut short.
    pub fn read_exact_at(&self, offset: u64, len: usize) -> io::Result<Vec<u8>> {
        let mut buf = vec![0u8; len];
        let n = self.read_at(offset, &mut buf)?;
        if n < len {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                format!("the disk ends before byte {}", offset + len as u64),
            ));
        }
        Ok(buf)
    }
}

/// The bytes `[start, start + len)` of a disk, e.g. one partition, as its own `Read + Seek`.
pub struct Window {
    disk: SharedDisk,
    start: u64,
    len: u64,
    pos: u64,
    /// Bytes this window may still read before it refuses (see [`Window::set_budget`]).
    budget: u64,
}

impl Window {
    /// A window onto `disk`, clipped to the disk's end.
    pub fn new(disk: SharedDisk, start: u64, len: u64) -> Self {
        let start = start.min(disk.len());
        let len = len.min(disk.len() - start);
        Window {
            disk,
            start,
            len,
            pos: 0,
            budget: u64::MAX,
        }
    }

    pub fn len(&self) -> u64 {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Allows `bytes` more to be read; past that every read fails. Callers set it before each
    /// operation from what the operation can need, so a loop in damaged metadata ends.
    pub fn set_budget(&mut self, bytes: u64) {
        self.budget = bytes;
    }
}

impl Read for Window {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.pos >= self.len || buf.is_empty() {
            return Ok(0);
        }
        let want = buf
            .len()
            .min(usize::try_from(self.len - self.pos).unwrap_or(usize::MAX));
        if want as u64 > self.budget {
            return Err(io::Error::other(
                "read far more than the file system should need: its structures look damaged \
                 (a loop)",
            ));
        }
        let n = self.disk.read_at(self.start + self.pos, &mut buf[..want])?;
        self.budget -= n as u64;
        self.pos += n as u64;
        Ok(n)
    }
}

impl Seek for Window {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let new = match to {
            SeekFrom::Start(n) => Some(n),
            SeekFrom::Current(d) => self.pos.checked_add_signed(d),
            SeekFrom::End(d) => self.len.checked_add_signed(d),
        };
        match new {
            Some(n) => {
                self.pos = n;
                Ok(n)
            }
            None => Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "seek before the start of the volume",
            )),
        }
    }
}

/// What a [`Counting`] reader has read so far; clones share the counts.
#[derive(Clone, Default, Debug)]
pub struct ReadCount {
    bytes: Arc<AtomicU64>,
    calls: Arc<AtomicU64>,
}

impl ReadCount {
    pub fn bytes(&self) -> u64 {
        self.bytes.load(Ordering::Relaxed)
    }
    pub fn calls(&self) -> u64 {
        self.calls.load(Ordering::Relaxed)
    }
}

/// Passes reads through and counts them: shows how little of an image a question reads.
pub struct Counting<R> {
    inner: R,
    count: ReadCount,
}

impl<R> Counting<R> {
    pub fn new(inner: R) -> (Self, ReadCount) {
        let count = ReadCount::default();
        (
            Counting {
                inner,
                count: count.clone(),
            },
            count,
        )
    }
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.bytes.fetch_add(n as u64, Ordering::Relaxed);
        self.count.calls.fetch_add(1, Ordering::Relaxed);
        Ok(n)
    }
}

impl<R: Seek> Seek for Counting<R> {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        self.inner.seek(to)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn disk(bytes: Vec<u8>) -> SharedDisk {
        let len = bytes.len() as u64;
        SharedDisk::new(Box::new(Cursor::new(bytes)), len)
    }

    #[test]
    fn a_window_reads_only_its_range_and_stops_at_the_disk_end() {
        let d = disk((0u8..100).collect());
        let mut w = Window::new(d.clone(), 90, 50);
        assert_eq!(w.len(), 10);
        let mut all = Vec::new();
        w.read_to_end(&mut all).unwrap();
        assert_eq!(all, (90u8..100).collect::<Vec<_>>());
        assert!(w.seek(SeekFrom::Current(-11)).is_err());
        w.seek(SeekFrom::Start(1_000)).unwrap();
        assert_eq!(w.read(&mut [0u8; 4]).unwrap(), 0);
    }

    #[test]
    fn a_spent_budget_is_an_error() {
        let mut w = Window::new(disk(vec![7; 64]), 0, 64);
        w.set_budget(10);
        let mut buf = [0u8; 8];
        w.read_exact(&mut buf).unwrap();
        assert!(w.read_exact(&mut buf).is_err());
    }
}
