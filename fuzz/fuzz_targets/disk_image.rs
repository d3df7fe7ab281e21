//! Disk images on any bytes: container (VHD, VHDX, VMDK, raw) → partition table → NTFS → the
//! files w7plan reads, and the BCD store (FAT on the EFI system partition, or NTFS `\Boot\BCD`)
//! → the boot mode. Errors are fine; panics, hangs and huge allocations are findings.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::io::Cursor;
use std::path::Path;
use w7plan::facts::import::offline::{self, disk};

// Panics raised while w7plan's guarded NTFS and FAT calls run are caught there and become
// errors (src/facts/import/offline/disk/guard.rs), and its panic hook keeps quiet for them; any
// other panic reaches libFuzzer's hook, which aborts: a finding.
fuzz_target!(|data: &[u8]| {
    let source = Box::new(Cursor::new(data.to_vec()));
    // No such file exists: a VMDK descriptor's extents are then missing, an error.
    let Ok(mut image) = disk::open_source(Path::new("/nonexistent/fuzz.img"), source) else {
        return;
    };
    let _ = image.has_efi_system_partition();
    let _ = offline::boot_seen(&image.boot_stores(), &mut Vec::new());
    let origin = w7plan::error::Origin("fuzz".into());
    if let Ok(volumes) = image.into_volumes(&origin) {
        for mut v in volumes {
            let _ = v.list(&[]);
            let _ = v.list(&["Users"]);
            let _ = v.read(&["Windows", "System32", "config", "SOFTWARE"], 1 << 20);
        }
    }
});
