//! The NTFS reader on damaged file systems. The input is a sparse image, so a small input can
//! describe a whole (if tiny) NTFS volume: a little-endian u32 image size (capped at 4 MiB),
//! then chunks of (u32 offset, u16 length, bytes) laid on zeros. Seeds are real mkntfs volumes
//! with a Windows-like tree (tests/offline_disk.rs writes them).
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::io::Cursor;
use std::path::Path;
use w7plan::facts::import::offline::disk;

const MAX_SIZE: usize = 4 << 20;

fn expand(data: &[u8]) -> Option<Vec<u8>> {
    let size = u32::from_le_bytes(data.get(..4)?.try_into().ok()?) as usize;
    let mut image = vec![0u8; size.min(MAX_SIZE)];
    let mut rest = &data[4..];
    while rest.len() >= 6 {
        let offset = u32::from_le_bytes(rest[..4].try_into().ok()?) as usize;
        let len = u16::from_le_bytes(rest[4..6].try_into().ok()?) as usize;
        let bytes = &rest[6..(6 + len).min(rest.len())];
        rest = &rest[6 + bytes.len()..];
        let end = offset.saturating_add(bytes.len()).min(image.len());
        if offset < end {
            image[offset..end].copy_from_slice(&bytes[..end - offset]);
        }
    }
    Some(image)
}

// Panics raised while w7plan's guarded NTFS calls run are caught there and become errors (src/
// facts/import/offline/disk/ntfs.rs), and its panic hook keeps quiet for them; any other panic
// reaches libFuzzer's hook, which aborts: a finding.
fuzz_target!(|data: &[u8]| {
    let Some(image) = expand(data) else { return };
    let Ok(mut volume) =
        disk::find_windows_volume_in(Path::new("fuzz.img"), Box::new(Cursor::new(image)))
    else {
        return;
    };
    let _ = volume.list(&["Users"]);
    let _ = volume.list(&["Users", "Alice"]);
    let _ = volume.read(&["Users", "Alice", "NTUSER.DAT"], 1 << 20);
    let _ = volume.read(&["Windows", "System32", "config", "SOFTWARE"], 1 << 20);
});
