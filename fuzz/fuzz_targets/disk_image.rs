//! Disk images on any bytes: container (VHD, VHDX, VMDK, raw) → partition table → NTFS → the
//! files w7plan reads, and the BCD store (FAT on the EFI system partition, or NTFS `\Boot\BCD`)
//! → the boot mode. Errors are fine; panics, hangs and huge allocations are findings.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::io::Cursor;
use std::path::Path;
use w7plan::facts::import::offline::{self, disk};

/// Panics inside the `ntfs` and `fatfs` crates are caught by w7plan and become errors
/// (src/facts/import/offline/disk/ntfs.rs: ntfs 0.4 has unchecked slicing on damaged index
/// entries; disk/fat.rs: fatfs 0.3 does unchecked arithmetic on boot-sector fields); any other
/// panic is a finding, as libFuzzer's own hook would make it.
fn tolerate_reader_crate_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            let in_reader = info.location().is_some_and(|l| {
                let file = l.file().replace('\\', "/");
                file.contains("/ntfs-0.") || file.contains("/fatfs-0.")
            });
            if !in_reader {
                eprintln!("{info}");
                std::process::abort();
            }
        }));
    });
}

fuzz_target!(|data: &[u8]| {
    tolerate_reader_crate_panics();
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
