//! One Windows 7 installation, five ways: a mounted folder, and the same files on an NTFS volume
//! inside a raw disk (MBR and GPT), a VHD (fixed and dynamic), a VHDX and a VMDK (sparse and
//! flat). Each must give the same inventory: only where the facts came from may differ. The
//! hives are the project's own (`hive_writer`); the images are built at test time by mkntfs,
//! ntfs-3g, sfdisk/sgdisk and qemu-img (tests/support/images.rs), so this skips where those tools
//! are missing unless `W7PLAN_REQUIRE_DISK_TOOLS=1`.

mod support;

use assert_cmd::Command;
use std::path::{Path, PathBuf};
use support::images::{self, Table, VmFormat};
use w7plan::facts::import::offline::hive_writer::{self, SAMPLE_KEY};
use w7plan::facts::inventory::{BootMode, Inventory, PartitionStyle};

fn windows_entries() -> Vec<images::Entry> {
    hive_writer::windows7_files()
        .iter()
        .map(|(path, bytes)| images::entry(path, bytes))
        .collect()
}

/// The inventory with every trace of where it was read from taken out: the facts alone.
fn facts_only(mut inventory: Inventory) -> serde_json::Value {
    inventory.sources = None;
    inventory.notes.clear();
    let mut value = serde_json::to_value(&inventory).unwrap();
    let object = value.as_object_mut().unwrap();
    object.remove("source");
    // The volume's size and the disk's layout are facts of the image, which a folder does not
    // have, and so are the boot mode and Secure Boot state inferred from that layout.
    object.remove("storage");
    if let Some(firmware) = object.get_mut("firmware").and_then(|f| f.as_object_mut()) {
        firmware.remove("boot_mode");
        firmware.remove("secure_boot_enabled");
    }
    value
}

/// The check result with this id, wherever the assessment holds it.
fn find_check<'a>(value: &'a serde_json::Value, id: &str) -> Option<&'a serde_json::Value> {
    match value {
        serde_json::Value::Object(map) => {
            if map.get("id").and_then(|v| v.as_str()) == Some(id) && map.contains_key("status") {
                return Some(value);
            }
            map.values().find_map(|v| find_check(v, id))
        }
        serde_json::Value::Array(items) => items.iter().find_map(|v| find_check(v, id)),
        _ => None,
    }
}

/// What `w7plan ARGS PATH` prints, which must succeed.
fn w7plan_stdout(args: &[&str], path: &Path) -> String {
    let out = Command::cargo_bin("w7plan")
        .unwrap()
        .args(args)
        .arg(path)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out).unwrap()
}

fn import(path: &Path) -> Inventory {
    w7plan::facts::import::import_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The images of the sample installation, each with its name.
fn images_of_the_installation(dir: &Path) -> Vec<(String, PathBuf)> {
    let windows = images::ntfs_volume(&dir.join("windows.img"), 24 << 20, &windows_entries());
    let reserved = images::ntfs_volume(
        &dir.join("reserved.img"),
        8 << 20,
        &images::system_reserved_files(),
    );
    let mbr = images::raw_disk(
        &dir.join("disk-mbr.img"),
        Table::Mbr,
        &[&reserved, &windows],
    );
    let gpt = images::raw_disk(&dir.join("disk-gpt.dd"), Table::Gpt, &[&windows]);
    let mut made = vec![
        ("bare NTFS partition".to_string(), windows.clone()),
        ("raw MBR disk".to_string(), mbr.clone()),
        ("raw GPT disk".to_string(), gpt),
    ];
    for (format, name) in [
        (VmFormat::VhdFixed, "fixed.vhd"),
        (VmFormat::VhdDynamic, "dynamic.vhd"),
        (VmFormat::Vhdx, "disk.vhdx"),
        (VmFormat::VmdkSparse, "sparse.vmdk"),
        (VmFormat::VmdkFlat, "flat.vmdk"),
    ] {
        made.push((
            format!("{format:?}"),
            images::convert(&mbr, format, &dir.join(name)),
        ));
    }
    made
}

#[test]
fn the_same_installation_in_every_image_format_gives_the_same_inventory() {
    if !images::disk_tools() {
        return;
    }
    let folder = tempfile::tempdir().unwrap();
    hive_writer::write_tree(folder.path(), &hive_writer::windows7_files()).unwrap();
    let from_folder = import(folder.path());
    assert_eq!(
        from_folder
            .license
            .as_ref()
            .and_then(|l| l.product_key.as_deref()),
        Some(SAMPLE_KEY)
    );
    let expected = facts_only(from_folder);

    let dir = tempfile::tempdir().unwrap();
    for (name, image) in images_of_the_installation(dir.path()) {
        let inventory = import(&image);
        let sources = serde_json::to_string(&inventory.sources).unwrap();
        let file_name = image.file_name().unwrap().to_string_lossy().to_string();
        assert!(
            sources.contains(&file_name),
            "{name}: the facts do not say they came from {file_name}: {sources}"
        );
        // The disk's own layout is the image's to show: a folder or a bare volume has none.
        let style = inventory
            .storage
            .as_ref()
            .and_then(|s| s.system_disk.as_ref())
            .and_then(|d| d.partition_style);
        let expected_style = match name.as_str() {
            "bare NTFS partition" => None,
            "raw GPT disk" => Some(PartitionStyle::Gpt),
            _ => Some(PartitionStyle::Mbr),
        };
        assert_eq!(style, expected_style, "{name}");
        let boot_mode = inventory.firmware.as_ref().and_then(|f| f.boot_mode);
        let expected_boot = expected_style.map(|style| match style {
            PartitionStyle::Gpt => BootMode::Uefi,
            PartitionStyle::Mbr => BootMode::Bios,
        });
        assert_eq!(
            boot_mode, expected_boot,
            "{name}: boot mode inferred from the disk"
        );
        assert_eq!(facts_only(inventory), expected, "{name}");
    }
}

#[test]
fn assess_and_key_decode_read_a_vhdx() {
    if !images::disk_tools() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let windows = images::ntfs_volume(
        &dir.path().join("windows.img"),
        24 << 20,
        &windows_entries(),
    );
    let raw = images::raw_disk(&dir.path().join("disk.img"), Table::Mbr, &[&windows]);
    let vhdx = images::convert(&raw, VmFormat::Vhdx, &dir.path().join("pc.vhdx"));

    let json = w7plan_stdout(
        &["assess", "--format", "json", "--as-of", "2026-12-01"],
        &vhdx,
    );
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    // The image's MBR answers the UEFI/GPT check, which a folder leaves unknown.
    let status = find_check(&json, "win11.uefi-gpt")
        .and_then(|c| c["status"].as_str())
        .map(str::to_string);
    assert_eq!(status.as_deref(), Some("fail"), "win11.uefi-gpt");

    let report = w7plan_stdout(
        &["assess", "--format", "html", "--as-of", "2026-12-01"],
        &vhdx,
    );
    for shown in ["PC-OFFICE-07", "Windows 7 Professional", "7601"] {
        assert!(report.contains(shown), "{shown} is not in the report");
    }
    assert!(
        !report.contains(SAMPLE_KEY),
        "the key is shown unmasked in the report"
    );

    let masked = w7plan_stdout(&["key", "decode"], &vhdx);
    assert!(!masked.contains(SAMPLE_KEY), "{masked}");
    assert!(masked.contains(&SAMPLE_KEY[24..]), "{masked}");

    let revealed = w7plan_stdout(&["key", "decode", "--reveal-keys"], &vhdx);
    assert!(revealed.contains(SAMPLE_KEY));
}

#[test]
fn a_disk_without_windows_is_a_clear_error() {
    if !images::disk_tools() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let empty = images::ntfs_volume(
        &dir.path().join("data.img"),
        8 << 20,
        &[images::entry("Documents/notes.txt", b"nothing to see")],
    );
    let raw = images::raw_disk(&dir.path().join("data-disk.img"), Table::Mbr, &[&empty]);
    let out = Command::cargo_bin("w7plan")
        .unwrap()
        .args(["import"])
        .arg(&raw)
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    let stderr = String::from_utf8(out).unwrap();
    assert!(stderr.contains("data-disk.img"), "{stderr}");
}

/// The boot mode and where the inventory says it came from.
fn boot_mode_and_source(inventory: &Inventory) -> (Option<BootMode>, String) {
    (
        inventory.firmware.as_ref().and_then(|f| f.boot_mode),
        inventory
            .sources
            .as_ref()
            .and_then(|s| s.get("firmware.boot_mode"))
            .cloned()
            .unwrap_or_default(),
    )
}

fn inferred(inventory: &Inventory) -> bool {
    inventory
        .notes
        .iter()
        .any(|n| n.starts_with("firmware.boot_mode: inferred"))
}

#[test]
fn the_boot_mode_is_read_from_the_bcd_store() {
    if !images::disk_tools() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let windows = images::ntfs_volume(
        &dir.path().join("windows.img"),
        24 << 20,
        &windows_entries(),
    );
    let bcd = |mode| hive_writer::windows7_bcd(mode).to_bytes();

    // UEFI: a FAT32 EFI system partition holding \EFI\Microsoft\Boot\BCD, in a raw disk and
    // in a VHDX made from it.
    let esp = images::fat_volume(
        &dir.path().join("esp.img"),
        36 << 20,
        &[
            images::entry("EFI/Microsoft/Boot/BCD", &bcd(BootMode::Uefi)),
            images::entry("EFI/Microsoft/Boot/bootmgfw.efi", b"MZ"),
        ],
    );
    let gpt = images::gpt_disk_with_esp(&dir.path().join("uefi.img"), &esp, &[&windows]);
    let vhdx = images::convert(&gpt, VmFormat::Vhdx, &dir.path().join("uefi.vhdx"));
    for image in [&gpt, &vhdx] {
        let inventory = import(image);
        let (mode, source) = boot_mode_and_source(&inventory);
        assert_eq!(mode, Some(BootMode::Uefi), "{}", image.display());
        assert!(
            source.contains(r"\EFI\Microsoft\Boot\BCD") && source.contains("winload.efi"),
            "{source}"
        );
        assert!(!inferred(&inventory), "{:?}", inventory.notes);
    }

    // BIOS: an MBR disk whose "System Reserved" partition holds \Boot\BCD.
    let reserved = images::ntfs_volume(
        &dir.path().join("reserved.img"),
        8 << 20,
        &[images::entry("Boot/BCD", &bcd(BootMode::Bios))],
    );
    let mbr = images::raw_disk(
        &dir.path().join("bios.img"),
        Table::Mbr,
        &[&reserved, &windows],
    );
    let inventory = import(&mbr);
    let (mode, source) = boot_mode_and_source(&inventory);
    assert_eq!(mode, Some(BootMode::Bios));
    assert!(
        source.contains("partition 1 (NTFS)") && source.contains("winload.exe"),
        "{source}"
    );
    assert!(!inferred(&inventory), "{:?}", inventory.notes);

    // No BCD on the ESP: the layout's inference, labelled as one. A BCD that is not a hive is
    // noted, and the layout decides too.
    let empty_esp = images::fat_volume(
        &dir.path().join("empty-esp.img"),
        4 << 20,
        &[images::entry("EFI/Boot/bootx64.efi", b"MZ")],
    );
    let no_bcd = images::gpt_disk_with_esp(&dir.path().join("no-bcd.img"), &empty_esp, &[&windows]);
    let inventory = import(&no_bcd);
    assert_eq!(boot_mode_and_source(&inventory).0, Some(BootMode::Uefi));
    assert!(inferred(&inventory), "{:?}", inventory.notes);

    let bad_esp = images::fat_volume(
        &dir.path().join("bad-esp.img"),
        4 << 20,
        &[images::entry(
            "EFI/Microsoft/Boot/BCD",
            b"not a hive at all",
        )],
    );
    let bad = images::gpt_disk_with_esp(&dir.path().join("bad-bcd.img"), &bad_esp, &[&windows]);
    let inventory = import(&bad);
    assert_eq!(boot_mode_and_source(&inventory).0, Some(BootMode::Uefi));
    assert!(inferred(&inventory), "{:?}", inventory.notes);
    assert!(
        inventory
            .notes
            .iter()
            .any(|n| n.contains("BCD") && n.contains("cannot be read")),
        "{:?}",
        inventory.notes
    );
}

/// An EFI system partition with a damaged boot sector (zero or huge geometry, which `fatfs`
/// divides and multiplies by unchecked) gives the layout's inference and a note, never a crash.
#[test]
fn a_damaged_esp_is_a_note_not_a_crash() {
    if !images::disk_tools() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let windows = images::ntfs_volume(
        &dir.path().join("windows.img"),
        24 << 20,
        &windows_entries(),
    );
    let esp = images::fat_volume(
        &dir.path().join("esp.img"),
        4 << 20,
        &[images::entry(
            "EFI/Microsoft/Boot/BCD",
            &hive_writer::windows7_bcd(BootMode::Uefi).to_bytes(),
        )],
    );
    let good = std::fs::read(&esp).unwrap();
    // (offset, bytes): sectors per cluster, reserved sectors, FAT count, sectors per FAT, total
    // sectors, root entries.
    let damage: [(usize, &[u8]); 7] = [
        (13, &[0]),
        (13, &[128]),
        (14, &[0, 0]),
        (16, &[0]),
        (22, &[0xFF, 0xFF]),
        (32, &[0xFF, 0xFF, 0xFF, 0xFF]),
        (17, &[0xFF, 0xFF]),
    ];
    for (i, (at, bytes)) in damage.iter().enumerate() {
        let mut bad = good.clone();
        bad[*at..*at + bytes.len()].copy_from_slice(bytes);
        let esp = dir.path().join(format!("esp-{i}.img"));
        std::fs::write(&esp, &bad).unwrap();
        let disk =
            images::gpt_disk_with_esp(&dir.path().join(format!("disk-{i}.img")), &esp, &[&windows]);
        let inventory =
            w7plan::facts::import::import_path(&disk).unwrap_or_else(|e| panic!("damage {i}: {e}"));
        let (mode, source) = boot_mode_and_source(&inventory);
        assert_eq!(mode, Some(BootMode::Uefi), "damage {i}");
        // Either the damage still left the store readable, or the layout decided.
        assert!(
            source.contains("BCD") || inferred(&inventory),
            "damage {i}: {source} {:?}",
            inventory.notes
        );
    }
}

/// A differencing VHD (a checkpoint's child) beside its parent reads as the whole disk; without
/// the parent it is refused, naming it.
#[test]
fn a_differencing_vhd_is_read_through_its_parent() {
    if !images::disk_tools() {
        return;
    }
    use w7plan::facts::import::offline::disk::vhd;
    let dir = tempfile::tempdir().unwrap();
    let windows = images::ntfs_volume(
        &dir.path().join("windows.img"),
        24 << 20,
        &windows_entries(),
    );
    let raw = images::raw_disk(&dir.path().join("disk.img"), Table::Mbr, &[&windows]);
    let parent = images::convert(&raw, VmFormat::VhdDynamic, &dir.path().join("base.vhd"));
    let bytes = std::fs::read(&parent).unwrap();
    let footer = vhd::parse_footer(&bytes[bytes.len() - 512..]).unwrap();
    // A child that changed nothing yet: every block is the parent's.
    let child = dir.path().join("checkpoint.vhd");
    std::fs::write(
        &child,
        vhd::differencing_bytes(
            footer.current_size,
            2 << 20,
            &[],
            footer.unique_id,
            r".\base.vhd",
        ),
    )
    .unwrap();
    let from_child = import(&child);
    let sources = serde_json::to_string(&from_child.sources).unwrap();
    assert!(sources.contains("checkpoint.vhd"), "{sources}");
    assert_eq!(facts_only(from_child), facts_only(import(&parent)));

    std::fs::rename(&parent, dir.path().join("elsewhere.vhd")).unwrap();
    let error = w7plan::facts::import::import_path(&child)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains(r".\base.vhd") && error.contains("not beside it"),
        "{error}"
    );
}
