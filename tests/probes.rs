//! The Linux probe on fake `/proc` + `/sys` trees (tests/fixtures/sysfs/<case>/), compared with a
//! golden inventory in each case's `expected.yaml`, and `this_machine()` on the real machine.
//!
//! `UPDATE_GOLDEN=1 cargo test --test probes` rewrites the golden files; review the diff.
//!
//! sysfs names such as `259:2` cannot be checked out on Windows, so the fixtures spell `:` as
//! `%3A` and each test copies its tree into a temporary directory with the real names. The fixture
//! tests therefore run on Unix only (the probe itself only runs on Linux).

#[cfg(unix)]
use std::collections::BTreeMap;
#[cfg(unix)]
use std::path::{Path, PathBuf};
use w7plan::facts::collect;
#[cfg(unix)]
use w7plan::facts::collect::linux;
#[cfg(unix)]
use w7plan::facts::inventory::{Arch, BootMode, Chassis, Media, PartitionStyle};
use w7plan::facts::inventory::{Inventory, OsFamily, SCHEMA};

#[cfg(unix)]
fn case_dir(case: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/sysfs")
        .join(case)
}

#[cfg(unix)]
/// Copies a fixture tree to `to`, turning `%3A` in names back into `:`.
fn materialize(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().into_string().unwrap().replace("%3A", ":");
        let target = to.join(name);
        if entry.file_type().unwrap().is_dir() {
            materialize(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

#[cfg(unix)]
/// Probes a fixture tree and checks the result against its golden file.
fn probe_case(case: &str) -> Inventory {
    let dir = case_dir(case);
    let tree = tempfile::tempdir().unwrap();
    materialize(&dir, tree.path());
    let mut inv = Inventory::default();
    linux::probe(tree.path(), &mut inv);
    let yaml = inv.to_yaml();
    let golden = dir.join("expected.yaml");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&golden, &yaml).expect("write golden file");
    } else {
        let expected = std::fs::read_to_string(&golden)
            .unwrap_or_else(|e| panic!("{}: {e}; run with UPDATE_GOLDEN=1", golden.display()));
        assert_eq!(
            yaml, expected,
            "{case}: probe output differs from expected.yaml"
        );
    }
    inv
}

#[cfg(unix)]
fn features(pairs: &[(&str, bool)]) -> BTreeMap<String, bool> {
    pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
}

#[test]
#[cfg(unix)]
fn uefi_tpm2_kaby_lake_r_laptop() {
    let inv = probe_case("uefi-tpm2-kabylake-r-laptop");
    let cpu = inv.cpu.as_ref().unwrap();
    assert_eq!(cpu.vendor.as_deref(), Some("GenuineIntel"));
    assert_eq!(
        (cpu.family, cpu.model, cpu.stepping),
        (Some(6), Some(142), Some(10))
    );
    assert_eq!((cpu.cores, cpu.logical_processors), (Some(4), Some(8)));
    assert_eq!(cpu.max_mhz, Some(3400));
    assert_eq!(cpu.arch, Some(Arch::X64));
    assert_eq!(
        cpu.features,
        Some(features(&[
            ("cx16", true),
            ("lahf", true),
            ("lm", true),
            ("nx", true),
            ("pae", true),
            ("popcnt", true),
            ("prefetchw", true),
            ("sse2", true),
            ("sse4_2", true),
        ]))
    );
    let fw = inv.firmware.as_ref().unwrap();
    assert_eq!(fw.boot_mode, Some(BootMode::Uefi));
    assert_eq!(
        (fw.secure_boot_capable, fw.secure_boot_enabled),
        (Some(true), Some(true))
    );
    assert_eq!(fw.date.as_deref(), Some("2021-08-19"));
    let tpm = inv.tpm.as_ref().unwrap();
    assert_eq!(
        (tpm.present, tpm.version.as_deref()),
        (Some(true), Some("2.0"))
    );
    let host = inv.host.as_ref().unwrap();
    assert_eq!(host.chassis, Some(Chassis::Laptop));
    assert_eq!(host.serial.as_deref(), Some("5XK2L1S"));
    assert_eq!(inv.memory.as_ref().unwrap().installed_bytes, Some(8 << 30));
    let disk = inv
        .storage
        .as_ref()
        .and_then(|s| s.system_disk.as_ref())
        .unwrap();
    assert_eq!(disk.size_bytes, Some(500_118_192 * 512));
    assert_eq!(disk.partition_style, Some(PartitionStyle::Gpt));
    assert_eq!(disk.media, Some(Media::Ssd));
    assert_eq!(inv.os.as_ref().unwrap().family, Some(OsFamily::Linux));
    // From the raw SMBIOS table and the ACPI table list.
    assert_eq!(fw.uefi_capable, Some(true));
    assert_eq!(fw.smbios_version.as_deref(), Some("3.1"));
    assert_eq!(fw.secure_boot_setup_mode, Some(false));
    assert_eq!(tpm.acpi_table.as_deref(), Some("TPM2"));
    let memory = inv.memory.as_ref().unwrap();
    assert_eq!(memory.slots, Some(2));
    let modules = memory.modules.as_ref().unwrap();
    assert_eq!(modules.len(), 2);
    assert_eq!(modules[0].kind.as_deref(), Some("DDR4"));
    assert_eq!(modules[1].size_bytes, Some(4 << 30));
    let sources = inv.sources.as_ref().unwrap();
    assert!(sources["tpm.acpi_table"].contains("/sys/firmware/acpi/tables"));
    assert!(sources["firmware.uefi_capable"].contains("/sys/firmware/dmi/tables/DMI"));
    // Only the platform-id caveat: everything else was read.
    assert_eq!(inv.notes.len(), 1, "{:#?}", inv.notes);
}

#[test]
#[cfg(unix)]
fn bios_tpm12_core2duo_desktop() {
    let inv = probe_case("bios-tpm12-core2duo-desktop");
    let cpu = inv.cpu.as_ref().unwrap();
    assert_eq!(
        (cpu.family, cpu.model, cpu.stepping),
        (Some(6), Some(23), Some(10))
    );
    let f = cpu.features.as_ref().unwrap();
    assert!(!f["popcnt"] && !f["sse4_2"] && !f["prefetchw"]);
    assert!(f["cx16"] && f["lahf"] && f["nx"] && f["lm"]);
    let fw = inv.firmware.as_ref().unwrap();
    // Linux cannot tell BIOS-only firmware from a CSM boot of UEFI firmware.
    assert_eq!(fw.boot_mode, None);
    assert_eq!(fw.secure_boot_capable, None);
    assert_eq!(fw.date.as_deref(), Some("2009-01-26"));
    assert!(inv
        .notes
        .iter()
        .any(|n| n.starts_with("firmware.boot_mode:")));
    let tpm = inv.tpm.as_ref().unwrap();
    assert_eq!(
        (
            tpm.present,
            tpm.version.as_deref(),
            tpm.enabled,
            tpm.activated
        ),
        (Some(true), Some("1.2"), Some(true), Some(true))
    );
    assert_eq!(tpm.acpi_table.as_deref(), Some("TCPA"));
    // No raw SMBIOS table in this tree: UEFI capability stays unknown, with a note.
    assert_eq!(fw.uefi_capable, None);
    assert!(inv
        .notes
        .iter()
        .any(|n| n.starts_with("firmware.uefi_capable:")));
    assert_eq!(inv.host.as_ref().unwrap().chassis, Some(Chassis::Desktop));
    assert_eq!(inv.memory.as_ref().unwrap().installed_bytes, Some(4 << 30));
    let disk = inv
        .storage
        .as_ref()
        .and_then(|s| s.system_disk.as_ref())
        .unwrap();
    assert_eq!(disk.partition_style, Some(PartitionStyle::Mbr));
    assert_eq!(disk.media, Some(Media::Hdd));
    assert_eq!(disk.model.as_deref(), Some("ST3250310AS"));
}

#[test]
#[cfg(unix)]
fn garbage_gives_notes_not_values() {
    let inv = probe_case("garbage");
    assert_eq!(inv.tpm, None);
    assert_eq!(inv.memory, None);
    assert_eq!(inv.storage, None);
    let host = inv.host.as_ref();
    assert_eq!(host.and_then(|h| h.manufacturer.as_ref()), None);
    assert_eq!(host.and_then(|h| h.serial.as_ref()), None);
    assert_eq!(host.and_then(|h| h.chassis), None);
    let fw = inv.firmware.as_ref().unwrap();
    assert_eq!(fw.boot_mode, Some(BootMode::Uefi));
    assert_eq!(
        (fw.secure_boot_capable, fw.secure_boot_enabled),
        (None, None)
    );
    assert_eq!(fw.date, None);
    let cpu = inv.cpu.as_ref().unwrap();
    assert_eq!(
        (cpu.features.as_ref(), cpu.arch, cpu.max_mhz),
        (None, None, None)
    );
    for field in [
        "cpu:",
        "firmware.secure_boot_enabled:",
        "tpm.present:",
        "host.manufacturer:",
        "host.serial:",
        "host.chassis:",
        "firmware.date:",
        "memory.installed_bytes:",
        "storage.system_disk:",
    ] {
        assert!(
            inv.notes.iter().any(|n| n.starts_with(field)),
            "no note for {field}: {:#?}",
            inv.notes
        );
    }
}

#[test]
#[cfg(unix)]
fn arm64_on_lvm() {
    let inv = probe_case("arm64-lvm");
    let cpu = inv.cpu.as_ref().unwrap();
    assert_eq!(cpu.arch, Some(Arch::Arm64));
    assert_eq!(cpu.vendor.as_deref(), Some("ARM"));
    assert_eq!(cpu.features, Some(features(&[("atomics", true)])));
    let fw = inv.firmware.as_ref().unwrap();
    assert_eq!(
        (fw.secure_boot_capable, fw.secure_boot_enabled),
        (Some(true), Some(false))
    );
    assert_eq!(inv.tpm, None);
    let disk = inv
        .storage
        .as_ref()
        .and_then(|s| s.system_disk.as_ref())
        .unwrap();
    assert_eq!(disk.size_bytes, Some(1_000_215_216 * 512));
    assert_eq!(disk.partition_style, Some(PartitionStyle::Gpt));
}

#[test]
fn a_missing_tree_gives_notes() {
    let dir = tempfile::tempdir().unwrap();
    let mut inv = Inventory::default();
    collect::linux::probe(dir.path(), &mut inv);
    assert_eq!(inv.cpu, None);
    assert_eq!(inv.firmware, None);
    assert!(inv.notes.len() >= 5, "{:#?}", inv.notes);
}

#[test]
fn this_machine_does_not_panic() {
    let inv = collect::this_machine();
    assert_eq!(inv.schema.as_deref(), Some(SCHEMA));
    assert!(inv.collected_at.is_some());
    let source = inv.source.as_ref().unwrap();
    assert_eq!(source.collector.as_deref(), Some("w7plan inspect"));
    if cfg!(target_os = "linux") {
        assert_eq!(
            inv.os.as_ref().and_then(|o| o.family),
            Some(OsFamily::Linux)
        );
    }
    // The YAML round-trips through the parser that reads inventories, whatever this machine
    // holds: every field is one the model knows, and only values no machine can have (which
    // a broken sensor or firmware may report) are set aside, exactly as the validator says.
    let yaml = inv.to_yaml();
    let (again, warnings) =
        Inventory::parse_checked(&yaml, &w7plan::error::Origin("this machine".into())).unwrap();
    assert!(
        warnings
            .iter()
            .all(|w| !w.message.contains("unknown field")),
        "{warnings:#?}"
    );
    let mut expected = inv.clone();
    let set_aside = w7plan::facts::inventory::validate::impossible_values(&mut expected, &yaml);
    assert_eq!(set_aside, warnings);
    assert_eq!(again, expected);
    // Shown with `cargo test --test probes -- --nocapture`.
    println!("{yaml}");
}

/// Every file of every fixture, in turn, replaced by junk bytes, emptied, or turned into a
/// folder: the probe must still return (notes, no panic).
#[test]
#[cfg(unix)]
fn any_file_spoiled_does_not_panic() {
    fn files(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                files(&path, out);
            } else {
                out.push(path);
            }
        }
    }
    let junk: &[u8] = b"\xff\x00\x11\x28\n:::\n-\n0x\n99999999999999999999999\n/ / / -";
    for case in [
        "uefi-tpm2-kabylake-r-laptop",
        "bios-tpm12-core2duo-desktop",
        "arm64-lvm",
    ] {
        let tree = tempfile::tempdir().unwrap();
        materialize(&case_dir(case), tree.path());
        let mut all = Vec::new();
        files(tree.path(), &mut all);
        for file in all {
            let original = std::fs::read(&file).unwrap();
            for spoil in 0..3 {
                match spoil {
                    0 => std::fs::write(&file, junk).unwrap(),
                    1 => std::fs::write(&file, b"").unwrap(),
                    _ => {
                        std::fs::remove_file(&file).unwrap();
                        std::fs::create_dir(&file).unwrap();
                    }
                }
                let mut inv = Inventory::default();
                linux::probe(tree.path(), &mut inv);
                if spoil == 2 {
                    std::fs::remove_dir(&file).unwrap();
                }
                std::fs::write(&file, &original).unwrap();
            }
        }
    }
}

/// Real sysfs links `sys/block/*` and `sys/dev/block/*` into `sys/devices`; the probe follows the
/// links, and without a uevent file it names the device by the link's target.
#[test]
#[cfg(unix)]
fn system_disk_through_sysfs_symlinks() {
    use std::os::unix::fs::symlink;
    let tree = tempfile::tempdir().unwrap();
    let root = tree.path();
    let write = |rel: &str, text: &str| {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    let disk = "sys/devices/pci0000:00/0000:00:17.0/ata1/host0/target0:0:0/0:0:0:0/block/sda";
    write(
        "proc/self/mountinfo",
        "25 1 8:2 / / rw,relatime - ext4 /dev/sda2 rw\n",
    );
    write(&format!("{disk}/dev"), "8:0\n");
    write(&format!("{disk}/size"), "1953525168\n");
    write(&format!("{disk}/queue/rotational"), "1\n");
    write(&format!("{disk}/sda2/partition"), "2\n");
    write("run/udev/data/b8:0", "E:ID_PART_TABLE_TYPE=gpt\n");
    std::fs::create_dir_all(root.join("sys/block")).unwrap();
    std::fs::create_dir_all(root.join("sys/dev/block")).unwrap();
    symlink(root.join(disk), root.join("sys/block/sda")).unwrap();
    symlink(root.join(disk).join("sda2"), root.join("sys/dev/block/8:2")).unwrap();

    let mut inv = Inventory::default();
    linux::probe(root, &mut inv);
    let got = inv.storage.and_then(|s| s.system_disk).unwrap();
    assert_eq!(got.size_bytes, Some(1_953_525_168 * 512));
    assert_eq!(got.partition_style, Some(PartitionStyle::Gpt));
    assert_eq!(got.media, Some(Media::Hdd));
}

/// A legacy (CSM) boot on firmware that supports UEFI: no /sys/firmware/efi, so the boot mode stays
/// unknown, but the raw SMBIOS table (the Kaby Lake laptop's) says the firmware supports UEFI.
#[test]
#[cfg(unix)]
fn legacy_boot_on_uefi_capable_firmware() {
    let tree = tempfile::tempdir().unwrap();
    let tables = "sys/firmware/dmi/tables";
    std::fs::create_dir_all(tree.path().join(tables)).unwrap();
    for name in ["DMI", "smbios_entry_point"] {
        std::fs::copy(
            case_dir("uefi-tpm2-kabylake-r-laptop")
                .join(tables)
                .join(name),
            tree.path().join(tables).join(name),
        )
        .unwrap();
    }
    let mut inv = Inventory::default();
    linux::probe(tree.path(), &mut inv);
    let fw = inv.firmware.as_ref().unwrap();
    assert_eq!(fw.boot_mode, None);
    assert_eq!(fw.uefi_capable, Some(true));
    // Without /sys/class/dmi/id, the table gives the host and BIOS identity too.
    let host = inv.host.as_ref().unwrap();
    assert_eq!(host.model.as_deref(), Some("Latitude 7490"));
    assert_eq!(host.chassis, Some(Chassis::Laptop));
    assert_eq!(fw.date.as_deref(), Some("2021-08-19"));
    assert_eq!(inv.memory.as_ref().unwrap().installed_bytes, Some(8 << 30));
}
