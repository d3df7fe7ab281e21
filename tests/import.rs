//! Golden tests of the importers on the project's own fixtures (tests/fixtures/evidence, written
//! by its make.py in the real formats and encodings): each raw tool output alone, and whole
//! evidence folders merged by provenance.

use std::path::{Path, PathBuf};
use w7plan::facts::import;
use w7plan::facts::inventory::{Arch, BootMode, PartitionStyle};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/evidence")
}

fn elevated() -> PathBuf {
    fixtures().join("elevated/PC-01-20261120-0914")
}

fn non_elevated() -> PathBuf {
    fixtures().join("non-elevated/PC-02-20261120-1002")
}

#[test]
fn each_raw_output_alone() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(fixtures().join("files"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(files.len() >= 15, "{files:?}");
    for file in files {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let inventory = import::import_path(&file).unwrap_or_else(|e| panic!("{name}: {e}"));
        insta::assert_snapshot!(name, inventory.to_yaml());
    }
}

#[test]
fn each_file_of_the_elevated_folder_alone() {
    // Every tool output of a folder imports on its own too (the manifest is not one).
    for entry in std::fs::read_dir(elevated()).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let result = import::import_file(&path);
        match name.as_str() {
            "manifest.txt" => assert!(result.is_err()),
            // The registry key does not exist on a BIOS machine: reg query printed an error.
            "reg-secureboot.txt" | "reg-firmwaretype.txt" => {
                assert_eq!(result.unwrap_err().code(), "import-failed", "{name}")
            }
            _ => {
                let fragment = result.unwrap_or_else(|e| panic!("{name}: {e}"));
                assert_ne!(
                    fragment.inventory,
                    w7plan::facts::inventory::Inventory::default(),
                    "{name} gave nothing"
                );
            }
        }
    }
}

#[test]
fn elevated_evidence_folder() {
    let inventory = import::import_evidence_dir(&elevated()).unwrap();
    insta::assert_snapshot!("PC-01-elevated", inventory.to_yaml());
    // The provenance rules, spelled out.
    let os = inventory.os.as_ref().unwrap();
    assert_eq!(
        os.name.as_deref(),
        Some("Windows 7 Professional"),
        "registry first"
    );
    assert_eq!(
        os.hotfix_count,
        Some(225),
        "wmic qfe over systeminfo's header"
    );
    let cpu = inventory.cpu.as_ref().unwrap();
    assert_eq!(cpu.max_mhz, Some(3201), "wmic MaxClockSpeed");
    assert_eq!(
        cpu.brand.as_deref(),
        Some("Intel(R) Core(TM) i5-3470 CPU @ 3.20GHz")
    );
    let memory = inventory.memory.as_ref().unwrap();
    assert_eq!(
        memory.installed_bytes,
        Some(8 << 30),
        "Win32_PhysicalMemory"
    );
    assert_eq!(
        memory.visible_bytes,
        Some(8475631616),
        "TotalPhysicalMemory"
    );
    let firmware = inventory.firmware.as_ref().unwrap();
    assert_eq!(firmware.boot_mode, Some(BootMode::Bios), "bcdedit");
    assert_eq!(inventory.tpm.as_ref().unwrap().present, Some(true));
    let license = inventory.license.as_ref().unwrap();
    assert_eq!(license.channel.as_deref(), Some("Volume:GVLK"));
    assert_eq!(
        license.product_key.as_deref(),
        Some("FJ82H-XT6CR-J8D7P-XQJJ2-GPDD4")
    );
    let software = inventory.software.as_ref().unwrap();
    assert_eq!(software.len(), 5, "{software:?}");
    assert!(software
        .iter()
        .any(|p| p.arch == Some(Arch::X86) && p.name.as_deref().unwrap().contains("Office")));
    assert_eq!(
        inventory.collected_at.as_deref(),
        Some("2026-11-20T14:14:05Z")
    );
    assert_eq!(
        inventory.source.as_ref().unwrap().elevated,
        Some(true),
        "from the manifest"
    );
}

#[test]
fn non_elevated_evidence_folder() {
    let inventory = import::import_evidence_dir(&non_elevated()).unwrap();
    insta::assert_snapshot!("PC-02-non-elevated", inventory.to_yaml());
    assert_eq!(inventory.tpm, None, "no rights, so no answer either way");
    let notes = inventory.notes.join("\n");
    for expected in [
        "Win32_Tpm needs administrator rights",
        "wmic-licensing.txt: missing",
        "bcdedit.txt: not bcdedit output",
        "reg-uninstall-wow64.reg:",
        "firmware.boot_mode: inferred from the MBR system disk",
    ] {
        assert!(
            notes.contains(expected),
            "no note `{expected}` in:\n{notes}"
        );
    }
    let os = inventory.os.as_ref().unwrap();
    assert_eq!(
        (os.arch, os.language.as_deref()),
        (Some(Arch::X86), Some("fr-FR"))
    );
    let host = inventory.host.as_ref().unwrap();
    assert_eq!(
        host.model.as_deref(),
        Some("P5QL-E"),
        "the board, not a placeholder"
    );
    assert_eq!(
        inventory
            .storage
            .unwrap()
            .system_disk
            .unwrap()
            .partition_style,
        Some(PartitionStyle::Mbr)
    );
}

#[test]
fn a_bad_file_is_a_note_and_an_empty_folder_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("PC-09-20261120-1200");
    std::fs::create_dir(&folder).unwrap();
    let err = import::import_evidence_dir(&folder).unwrap_err();
    assert_eq!(err.code(), "evidence-empty");
    assert!(err.to_string().contains("PC-09-20261120-1200"), "{err}");

    for entry in std::fs::read_dir(elevated()).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, folder.join(path.file_name().unwrap())).unwrap();
    }
    std::fs::write(folder.join("wmic-cpu.txt"), b"\xff\xfe\x00\xd8garbage").unwrap();
    std::fs::remove_file(folder.join("systeminfo.txt")).unwrap();
    std::fs::write(
        folder.join("notes-by-hand.txt"),
        "bought 2013, RAM upgraded",
    )
    .unwrap();
    let inventory = import::import_evidence_dir(&folder).unwrap();
    let notes = inventory.notes.join("\n");
    assert!(notes.contains("wmic-cpu.txt: not wmic output"), "{notes}");
    assert!(notes.contains("systeminfo.txt: missing"), "{notes}");
    assert!(notes.contains("notes-by-hand.txt: ignored"), "{notes}");
    // The registry's CentralProcessor key still gives the CPU.
    assert_eq!(
        inventory.cpu.unwrap().brand.as_deref(),
        Some("Intel(R) Core(TM) i5-3470 CPU @ 3.20GHz")
    );
    // The folder name gives the time when nothing better does.
    std::fs::remove_file(folder.join("wmic-os.txt")).unwrap();
    let inventory = import::import_evidence_dir(&folder).unwrap();
    assert_eq!(
        inventory.collected_at.as_deref(),
        Some("2026-11-20T09:14:03")
    );
}
