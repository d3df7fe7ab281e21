// src/offline/volume.rs
//! A read-only view of the files on a Windows volume, wherever it lives: a mounted folder, or an
//! NTFS file system inside a disk image.
use crate::error::Result;

/// Files of one Windows volume. Paths are segments from the volume root, compared
/// case-insensitively (Windows file names), e.g. `["Windows", "System32", "config", "SOFTWARE"]`.
pub trait VolumeFiles {
    /// The file's bytes, `Ok(None)` when it does not exist. A file larger than `limit` bytes is an
    /// error, never a huge allocation.
    fn read(&mut self, path: &[&str], limit: u64) -> Result<Option<Vec<u8>>>;
    /// The names in a directory, `Ok(None)` when it does not exist.
    fn list(&mut self, path: &[&str]) -> Result<Option<Vec<String>>>;
    /// Where these files are, for provenance and messages (e.g. `E:\`, `disk.vhdx, partition 2 (NTFS)`).
    fn describe(&self) -> String;
    /// The volume's size in bytes when known (from the image), for the inventory's storage facts.
    fn volume_size(&self) -> Option<u64>;
}
