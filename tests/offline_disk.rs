//! Windows volumes inside disk images, end to end: fixtures built at test time by mkntfs,
//! ntfs-3g, sfdisk/sgdisk and qemu-img (tests/support/images.rs), read back through
//! `w7plan::facts::import::offline::disk`. Skips where the tools are missing, unless
//! `W7PLAN_REQUIRE_DISK_TOOLS=1`.

mod support;

use std::fs;
use std::path::{Path, PathBuf};

use support::images::{self, Entry, Table, VmFormat};
use w7plan::facts::import::offline::disk::{self, io::Counting, Content, ImageFormat};

const SOFTWARE: [&str; 4] = ["Windows", "System32", "config", "SOFTWARE"];

fn bytes_of(files: &[Entry], path: &str) -> Vec<u8> {
    files.iter().find(|f| f.path == path).unwrap().bytes.clone()
}

/// The two volumes of a Windows 7 disk: "System Reserved" (boot files) and the Windows one.
fn volumes(dir: &Path) -> (PathBuf, PathBuf) {
    let reserved = images::ntfs_volume(
        &dir.join("reserved.img"),
        8 << 20,
        &images::system_reserved_files(),
    );
    let windows = images::ntfs_volume(&dir.join("windows.img"), 24 << 20, &images::windows_files());
    (reserved, windows)
}

/// What every image of the installation must give back.
fn assert_windows_files(image: &Path, expect_format: ImageFormat, expect_partition: Option<u32>) {
    let files = images::windows_files();
    let opened = disk::open(image).unwrap_or_else(|e| panic!("{}: {e}", image.display()));
    assert_eq!(opened.format, expect_format, "{}", image.display());
    let mut volume =
        disk::find_windows_volume(image).unwrap_or_else(|e| panic!("{}: {e}", image.display()));
    let name = image.file_name().unwrap().to_string_lossy();
    let describe = volume.describe();
    match expect_partition {
        Some(n) => assert_eq!(describe, format!("{name}, partition {n} (NTFS)")),
        None => assert_eq!(describe, format!("{name} (NTFS)")),
    }
    let size = volume.volume_size().unwrap();
    assert!(
        (20 << 20..=24 << 20).contains(&size),
        "{describe}: volume size {size}"
    );

    let software = volume.read(&SOFTWARE, 1 << 20).unwrap().unwrap();
    assert_eq!(
        software,
        bytes_of(&files, "Windows/System32/config/SOFTWARE"),
        "{describe}"
    );
    // Names are matched case-insensitively, as Windows does.
    let ntuser = volume
        .read(&["users", "ALICE", "ntuser.dat"], 1 << 20)
        .unwrap()
        .unwrap();
    assert_eq!(
        ntuser,
        bytes_of(&files, "Users/Alice/NTUSER.DAT"),
        "{describe}"
    );
    assert_eq!(
        volume.list(&["Users"]).unwrap().unwrap(),
        ["Alice", "Bob"],
        "{describe}"
    );
    assert_eq!(
        volume
            .list(&["Windows", "System32", "config"])
            .unwrap()
            .unwrap(),
        ["SOFTWARE", "SYSTEM"]
    );
    let root = volume.list(&[]).unwrap().unwrap();
    assert!(root.contains(&"Windows".to_string()) && !root.iter().any(|n| n.starts_with('$')));
    // Missing things are None, not errors; so is reading a folder or listing a file.
    assert_eq!(volume.read(&["Windows", "nope"], 10).unwrap(), None);
    assert_eq!(volume.read(&["Nope", "SOFTWARE"], 10).unwrap(), None);
    assert_eq!(volume.list(&["Users", "Carol"]).unwrap(), None);
    assert_eq!(volume.read(&["Users"], 10).unwrap(), None);
    assert_eq!(volume.list(&["Users", "Bob", "NTUSER.DAT"]).unwrap(), None);
    // A file over the caller's limit is refused before it is read.
    let err = volume.read(&SOFTWARE, 1000).unwrap_err();
    assert_eq!(err.code(), "input-too-large", "{err}");
}

#[test]
fn every_image_format_gives_the_same_windows_files() {
    if !images::disk_tools() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let (reserved, windows) = volumes(dir);
    let mbr = images::raw_disk(
        &dir.join("disk-mbr.img"),
        Table::Mbr,
        &[&reserved, &windows],
    );
    let gpt = images::raw_disk(&dir.join("disk-gpt.dd"), Table::Gpt, &[&reserved, &windows]);

    assert_windows_files(&windows, ImageFormat::Raw, None);
    assert_windows_files(&mbr, ImageFormat::Raw, Some(2));
    assert_windows_files(&gpt, ImageFormat::Raw, Some(3));

    let layout = disk::open(&gpt).unwrap();
    assert!(layout.has_efi_system_partition());
    let kinds: Vec<_> = layout.slots.iter().map(|s| s.describe.clone()).collect();
    assert_eq!(
        kinds,
        [
            "disk-gpt.dd, partition 1 (EFI system)",
            "disk-gpt.dd, partition 2 (NTFS)",
            "disk-gpt.dd, partition 3 (NTFS)"
        ]
    );
    assert!(!disk::open(&mbr).unwrap().has_efi_system_partition());
    assert_eq!(disk::open_image(&mbr).unwrap().len(), 2);

    for (format, expect) in [
        (VmFormat::VhdFixed, ImageFormat::VhdFixed),
        (VmFormat::VhdDynamic, ImageFormat::VhdDynamic),
        (VmFormat::Vhdx, ImageFormat::Vhdx),
        (VmFormat::VmdkSparse, ImageFormat::VmdkSparse),
        (VmFormat::VmdkFlat, ImageFormat::VmdkDescriptor),
    ] {
        // The names say nothing of the format: content decides.
        let name = format!("{format:?}.disk");
        let image = images::convert(&mbr, format, &dir.join(&name));
        assert_windows_files(&image, expect, Some(2));
        let image = images::convert(&gpt, format, &dir.join(format!("gpt-{name}")));
        assert_windows_files(&image, expect, Some(3));
    }
}

/// Golden block mapping of each container: a raw disk with data and holes, converted by
/// qemu-img, reads back byte for byte through the container reader.
#[test]
fn every_container_maps_its_blocks_back_to_the_raw_disk() {
    if !images::disk_tools() {
        return;
    }
    use std::io::Read;
    let tmp = tempfile::tempdir().unwrap();
    let raw_path = tmp.path().join("raw.img");
    // 12 MiB: data at the start, a hole, data across a 2 MiB block boundary, a hole, the end.
    let mut raw = vec![0u8; 12 << 20];
    for (at, len) in [
        (0usize, 70_000usize),
        ((2 << 20) - 5_000, 10_000),
        ((12 << 20) - 512, 512),
    ] {
        raw[at..at + len].copy_from_slice(&images::pattern(&format!("at {at}"), len));
    }
    fs::write(&raw_path, &raw).unwrap();
    for format in images::VM_FORMATS {
        let image = images::convert(
            &raw_path,
            format,
            &tmp.path().join(format!("{format:?}.vmdisk")),
        );
        let (_, mut disk, size) = disk::open_virtual_disk(&image).unwrap();
        assert_eq!(size, raw.len() as u64, "{format:?}");
        let mut got = Vec::new();
        disk.read_to_end(&mut got).unwrap();
        assert!(got == raw, "{format:?} reads back different bytes");
    }
}

#[test]
fn bitlocker_volumes_are_named_not_misread() {
    if !images::disk_tools() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let (reserved, windows) = volumes(dir);
    // BitLocker writes `-FVE-FS-` where NTFS has its OEM id; the rest is ciphertext.
    let mut locked = fs::read(&windows).unwrap();
    locked[3..11].copy_from_slice(b"-FVE-FS-");
    for b in &mut locked[512..] {
        *b ^= 0x5A;
    }
    let locked_path = dir.join("locked.img");
    fs::write(&locked_path, &locked).unwrap();

    let err = disk::open_image(&locked_path).err().unwrap();
    assert_eq!(err.code(), "volume-bitlocker", "{err}");
    assert!(err.to_string().contains("BitLocker"), "{err}");

    // Windows 7's usual BitLocker layout: System Reserved in clear, C: locked.
    let disk_path = images::raw_disk(
        &dir.join("disk.img"),
        Table::Mbr,
        &[&reserved, &locked_path],
    );
    let image = disk::open(&disk_path).unwrap();
    assert!(matches!(image.slots[1].content, Content::BitLocker));
    let err = disk::find_windows_volume(&disk_path).err().unwrap();
    assert_eq!(err.code(), "volume-bitlocker", "{err}");
    assert!(err.to_string().contains("disk.img, partition 2"), "{err}");
}

#[test]
fn ntfs_compressed_hives_are_named_not_misread() {
    if !images::disk_tools() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let mut files = images::windows_files();
    files[0].compressed = true;
    let volume = images::ntfs_volume(&tmp.path().join("compressed.img"), 24 << 20, &files);
    let mut volume = disk::find_windows_volume(&volume).unwrap();
    let err = volume.read(&SOFTWARE, 1 << 20).unwrap_err();
    assert_eq!(err.code(), "ntfs-file-compressed", "{err}");
    assert!(
        err.to_string()
            .contains(r"Windows\System32\config\SOFTWARE"),
        "{err}"
    );
    // Files in other folders are stored plainly and read as usual.
    let other = volume
        .read(&["Users", "Alice", "NTUSER.DAT"], 1 << 20)
        .unwrap();
    assert!(other.is_some());
}

#[test]
fn efs_encrypted_hives_are_named_not_misread() {
    if !images::disk_tools() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let volume = images::ntfs_volume(
        &tmp.path().join("efs.img"),
        24 << 20,
        &images::windows_files(),
    );
    assert_eq!(
        images::set_file_attribute_flags(&volume, "NTUSER.DAT", 0x4000),
        2
    );
    let mut volume = disk::find_windows_volume(&volume).unwrap();
    let err = volume
        .read(&["Users", "Alice", "NTUSER.DAT"], 1 << 20)
        .unwrap_err();
    assert_eq!(err.code(), "ntfs-file-encrypted", "{err}");
    assert!(volume.read(&SOFTWARE, 1 << 20).unwrap().is_some());
}

#[test]
fn truncated_and_garbage_images_are_errors() {
    if !images::disk_tools() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let (reserved, windows) = volumes(dir);
    let mbr = images::raw_disk(&dir.join("disk.img"), Table::Mbr, &[&reserved, &windows]);
    let mut images_to_cut = vec![mbr.clone()];
    for format in [
        VmFormat::VhdFixed,
        VmFormat::VhdDynamic,
        VmFormat::Vhdx,
        VmFormat::VmdkSparse,
    ] {
        images_to_cut.push(images::convert(
            &mbr,
            format,
            &dir.join(format!("{format:?}")),
        ));
    }
    for image in images_to_cut {
        let bytes = fs::read(&image).unwrap();
        for keep in [
            100,
            600,
            5_000,
            bytes.len() / 3,
            bytes.len() / 2,
            bytes.len() - 1,
        ] {
            let cut = dir.join("cut");
            fs::write(&cut, &bytes[..keep]).unwrap();
            // Either it fails cleanly, or (cut past the hives) it still reads them right.
            if let Ok(mut v) = disk::find_windows_volume(&cut) {
                if let Ok(Some(got)) = v.read(&SOFTWARE, 1 << 20) {
                    assert_eq!(got.len(), 300_000, "{} cut at {keep}", image.display());
                }
            }
        }
    }
    // A VMDK descriptor whose extent is missing, or is a device: refused, not read.
    for extent in ["missing-flat.vmdk", "/dev/zero"] {
        let descriptor = dir.join("odd.vmdk");
        fs::write(
            &descriptor,
            format!(
                "# Disk DescriptorFile\nversion=1\nCID=fffffffe\nparentCID=ffffffff\n\
                 createType=\"monolithicFlat\"\n\nRW 65536 FLAT \"{extent}\" 0\n"
            ),
        )
        .unwrap();
        let err = disk::open_image(&descriptor).err().unwrap();
        assert_eq!(err.code(), "disk-image-invalid", "{extent}: {err}");
    }
    let garbage = dir.join("garbage.img");
    fs::write(&garbage, images::pattern("garbage", 1 << 20)).unwrap();
    assert_eq!(
        disk::open_image(&garbage).err().unwrap().code(),
        "disk-image-invalid"
    );
}

#[test]
fn a_40_gib_vhdx_is_read_lazily() {
    if !images::disk_tools() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let files = images::windows_files();
    let vhdx = images::big_vhdx(tmp.path(), &files);
    // Sparse: only the blocks written are in the file.
    let on_disk = fs::metadata(&vhdx).unwrap().len();
    assert!(on_disk < 1 << 30, "the VHDX's size is {on_disk}");

    let (counting, count) = Counting::new(fs::File::open(&vhdx).unwrap());
    let start = std::time::Instant::now();
    let image = disk::open_source(&vhdx, Box::new(counting)).unwrap();
    assert_eq!(image.disk_size, 40 << 30);
    let mut volume = image
        .into_volumes(&w7plan::error::Origin::path(&vhdx))
        .unwrap()
        .remove(0);
    assert!(disk::holds_windows(volume.as_mut()).unwrap());
    let software = volume.read(&SOFTWARE, 64 << 20).unwrap().unwrap();
    assert_eq!(
        software,
        bytes_of(&files, "Windows/System32/config/SOFTWARE")
    );
    let users = volume.list(&["Users"]).unwrap().unwrap();
    assert_eq!(users, ["Alice", "Bob"]);
    let elapsed = start.elapsed();
    let read = count.bytes();
    eprintln!(
        "40 GiB VHDX: read {read} bytes in {} calls, {elapsed:?}",
        count.calls()
    );
    // The BAT of a 40 GiB VHDX with 32 MiB blocks, the headers, $MFT records, the $UpCase table,
    // a few index blocks and the 300 kB file: a few MB, 1/4000 of the disk.
    assert!(read < 12 << 20, "read {read} bytes of a 40 GiB disk");
    assert!(elapsed.as_secs() < 20, "took {elapsed:?}");
}

/// Writes the fuzz seeds (fuzz/seeds/disk_image, fuzz/seeds/ntfs) when
/// `W7PLAN_WRITE_FUZZ_SEEDS=1`: small images made by the library's own table builders and by
/// mkntfs, so no seed is a blob of unknown origin.
#[test]
fn write_fuzz_seeds() {
    if std::env::var_os("W7PLAN_WRITE_FUZZ_SEEDS").is_none_or(|v| v != "1") {
        return;
    }
    assert!(images::disk_tools(), "the seeds need the disk tools");
    use w7plan::facts::import::offline::disk::partition::{self, GPT_BASIC_DATA, GPT_EFI_SYSTEM};
    use w7plan::facts::import::offline::disk::vhd;
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds");
    let tmp = tempfile::tempdir().unwrap();

    // A tiny NTFS volume with a Windows-like tree.
    let files = [
        images::entry(
            "Windows/System32/config/SOFTWARE",
            &images::pattern("regf", 2000),
        ),
        images::entry("Users/Alice/NTUSER.DAT", &images::pattern("regf", 100)),
    ];
    let ntfs = fs::read(images::ntfs_volume(
        &tmp.path().join("seed.img"),
        2 << 20,
        &files,
    ))
    .unwrap();
    let boot = &ntfs[..512];

    // disk_image: tables and containers around an NTFS boot sector.
    let dir = root.join("disk_image");
    fs::create_dir_all(&dir).unwrap();
    let with_volume_at = |mut head: Vec<u8>, lba: usize, len: usize| {
        head.resize(len, 0);
        head[lba * 512..lba * 512 + 512].copy_from_slice(boot);
        head
    };
    let mbr = with_volume_at(partition::mbr_bytes(&[(0x07, 8, 56)]).to_vec(), 8, 64 * 512);
    fs::write(dir.join("mbr.img"), &mbr).unwrap();
    let mut ebr = partition::mbr_bytes(&[(0x07, 8, 8), (0x05, 16, 48)]).to_vec();
    ebr.resize(64 * 512, 0);
    ebr[16 * 512..17 * 512].copy_from_slice(&partition::mbr_bytes(&[(0x07, 2, 8), (0x05, 16, 16)]));
    ebr[32 * 512..33 * 512].copy_from_slice(&partition::mbr_bytes(&[(0x07, 2, 8)]));
    ebr[18 * 512..19 * 512].copy_from_slice(boot);
    fs::write(dir.join("mbr-extended.img"), &ebr).unwrap();
    let gpt = partition::gpt_bytes(
        128,
        &[
            (GPT_EFI_SYSTEM, 34, 39, "EFI system partition"),
            (GPT_BASIC_DATA, 40, 94, "Basic data partition"),
        ],
    );
    fs::write(dir.join("gpt.img"), with_volume_at(gpt, 40, 128 * 512)).unwrap();
    fs::write(dir.join("bare-ntfs.img"), boot).unwrap();
    let mut locked = boot.to_vec();
    locked[3..11].copy_from_slice(b"-FVE-FS-");
    fs::write(dir.join("bitlocker.img"), &locked).unwrap();
    fs::write(
        dir.join("vhd-dynamic.vhd"),
        vhd::dynamic_bytes(4096, &[None, Some(&mbr[..4096]), None]),
    )
    .unwrap();
    let mut fixed = mbr.clone();
    fixed.extend_from_slice(&vhd::footer_bytes(
        vhd::Kind::Fixed,
        u64::MAX,
        mbr.len() as u64,
    ));
    fs::write(dir.join("vhd-fixed.vhd"), &fixed).unwrap();
    let mbr_path = tmp.path().join("mbr.raw");
    fs::write(&mbr_path, &mbr).unwrap();
    let vmdk = images::convert(&mbr_path, VmFormat::VmdkSparse, &tmp.path().join("s.vmdk"));
    fs::write(dir.join("vmdk-sparse.vmdk"), fs::read(vmdk).unwrap()).unwrap();

    // ntfs: the volume as sparse chunks of its sectors that are neither all zeros nor all 0xFF
    // (mkntfs fills $LogFile, which is never read, with 0xFF: half of a small volume).
    let dir = root.join("ntfs");
    fs::create_dir_all(&dir).unwrap();
    let blank = |at: usize| {
        let s = &ntfs[at..at + 512];
        s.iter().all(|&b| b == 0) || s.iter().all(|&b| b == 0xFF)
    };
    let mut seed = (ntfs.len() as u32).to_le_bytes().to_vec();
    let mut at = 0;
    while at < ntfs.len() {
        if blank(at) {
            at += 512;
            continue;
        }
        let mut end = at + 512;
        while end < ntfs.len() && end - at < 32 * 1024 && !blank(end) {
            end += 512;
        }
        seed.extend_from_slice(&(at as u32).to_le_bytes());
        seed.extend_from_slice(&((end - at) as u16).to_le_bytes());
        seed.extend_from_slice(&ntfs[at..end]);
        at = end;
    }
    assert!(
        seed.len() < 256 * 1024,
        "the ntfs seed is {} bytes",
        seed.len()
    );
    fs::write(dir.join("windows-tree.bin"), &seed).unwrap();
}

/// Writes fuzz/seeds/disk_image/gpt-esp.img when `W7PLAN_WRITE_FUZZ_SEEDS=1`: a GPT disk whose
/// EFI system partition (FAT12, by mkfs.vfat) holds a Windows 7 BCD store from the project's
/// hive writer, so the fuzzer starts inside the FAT reader and the BCD mapping.
#[test]
fn write_fuzz_seed_with_an_esp() {
    if std::env::var_os("W7PLAN_WRITE_FUZZ_SEEDS").is_none_or(|v| v != "1") {
        return;
    }
    assert!(images::disk_tools(), "the seeds need the disk tools");
    use w7plan::facts::import::offline::disk::partition::{self, GPT_BASIC_DATA, GPT_EFI_SYSTEM};
    use w7plan::facts::import::offline::hive_writer;
    use w7plan::facts::inventory::BootMode;
    let tmp = tempfile::tempdir().unwrap();
    let bcd = hive_writer::windows7_bcd(BootMode::Uefi).to_bytes();
    let esp = fs::read(images::fat_volume(
        &tmp.path().join("esp.img"),
        160 << 10,
        &[images::entry("EFI/Microsoft/Boot/BCD", &bcd)],
    ))
    .unwrap();
    let esp_sectors = esp.len() / 512;
    let first = 34;
    let last = first + esp_sectors - 1;
    let total = last + 1 + 8 + 33;
    let mut disk = partition::gpt_bytes(
        total as u64,
        &[
            (
                GPT_EFI_SYSTEM,
                first as u64,
                last as u64,
                "EFI system partition",
            ),
            (
                GPT_BASIC_DATA,
                last as u64 + 1,
                last as u64 + 8,
                "Basic data partition",
            ),
        ],
    );
    disk.resize(total * 512, 0);
    disk[first * 512..(last + 1) * 512].copy_from_slice(&esp);
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds/disk_image");
    fs::write(root.join("gpt-esp.img"), &disk).unwrap();
    // The seed reaches the store: it reads as a UEFI boot.
    let mut image = disk::open(&root.join("gpt-esp.img")).unwrap();
    let seen = w7plan::facts::import::offline::boot_seen(&image.boot_stores(), &mut Vec::new());
    assert_eq!(seen.map(|s| s.mode), Some(BootMode::Uefi));
}
