//! The PowerShell readers (Get-ComputerInfo's list view and JSON, Get-CimInstance JSON, the
//! Uninstall keys as JSON) and the wmic classes added with them (Win32_Volume, Win32_Product),
//! on fixtures written in each shape (tests/fixtures/powershell/README.md cites them): what each
//! must read, the facts it leaves unknown, and a clear error or skip for bad input.

use std::path::{Path, PathBuf};
use w7plan::facts::import::{self, Found};
use w7plan::facts::inventory::{Arch, BootMode, Inventory};

fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(path)
}

fn import_fixture(path: &str) -> Inventory {
    import::import_path(&fixture(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn collector(inv: &Inventory) -> Option<&str> {
    inv.source.as_ref().and_then(|s| s.collector.as_deref())
}

/// The facts every form of Get-ComputerInfo gives for the Windows 7 PC of the fixtures.
fn assert_windows_7_pc(inv: &Inventory, file: &str) {
    assert_eq!(collector(inv), Some("Get-ComputerInfo"), "{file}");
    assert_eq!(
        inv.collected_at.as_deref(),
        Some("2026-11-20T09:14:05Z"),
        "{file}"
    );
    let host = inv.host.as_ref().unwrap();
    assert_eq!(host.name.as_deref(), Some("ACCT-PC21"));
    assert_eq!(host.model.as_deref(), Some("OptiPlex 7010"));
    // Windows PowerShell 5.1 spells it BiosSeralNumber.
    assert_eq!(host.serial.as_deref(), Some("7XK2M5J"), "{file}");
    let os = inv.os.as_ref().unwrap();
    assert_eq!(os.edition.as_deref(), Some("Professional"));
    assert_eq!(
        (os.version.as_deref(), os.build, os.service_pack, os.arch),
        (Some("6.1"), Some(7601), Some(1), Some(Arch::X64)),
        "{file}"
    );
    assert_eq!(os.installed_on.as_deref(), Some("2013-03-14"), "{file}");
    assert_eq!(os.language.as_deref(), Some("de-DE"));
    assert_eq!(os.locale.as_deref(), Some("de-DE"));
    let memory = inv.memory.as_ref().unwrap();
    assert_eq!(memory.visible_bytes, Some(8_476_545_024));
    assert_eq!(memory.installed_bytes, Some(8 << 30), "{file}");
    let cpu = inv.cpu.as_ref().unwrap();
    assert_eq!(
        cpu.brand.as_deref(),
        Some("Intel(R) Core(TM) i5-3470 CPU @ 3.20GHz")
    );
    let firmware = inv.firmware.as_ref().unwrap();
    assert_eq!(firmware.version.as_deref(), Some("A29"));
    assert_eq!(firmware.date.as_deref(), Some("2018-06-05"), "{file}");
    assert_eq!(
        inv.license.as_ref().unwrap().product_id.as_deref(),
        Some("00371-OEM-8992671-00524")
    );
    // Get-ComputerInfo has no TPM, disk or graphics: unknown, not absent.
    assert_eq!(inv.tpm, None);
    assert_eq!(inv.storage, None);
    assert_eq!(inv.graphics, None);
}

#[test]
fn get_computerinfo_list_view_utf16() {
    let file = "powershell/win7-computerinfo-list.txt";
    let inv = import_fixture(file);
    assert_windows_7_pc(&inv, file);
    // The list view names processors only, cuts the hotfix list, and Windows 7 has no
    // firmware-type API: those stay unknown, the cut list with a note.
    assert_eq!(inv.cpu.as_ref().unwrap().family, None);
    assert_eq!(inv.os.as_ref().unwrap().hotfix_count, None);
    assert!(inv.notes.iter().any(|n| n.contains("os.hotfix_count")));
    assert_eq!(inv.firmware.as_ref().unwrap().boot_mode, None);
    insta::assert_snapshot!("computerinfo-list", inv.to_yaml());
}

#[test]
fn get_computerinfo_json_of_windows_powershell_5_1() {
    let file = "powershell/win7-computerinfo.json";
    let inv = import_fixture(file);
    assert_windows_7_pc(&inv, file);
    let cpu = inv.cpu.as_ref().unwrap();
    assert_eq!(
        (cpu.family, cpu.model, cpu.stepping, cpu.cores),
        (Some(6), Some(58), Some(9), Some(4))
    );
    assert_eq!(inv.os.as_ref().unwrap().hotfix_count, Some(3));
    assert_eq!(
        inv.firmware.as_ref().unwrap().boot_mode,
        Some(BootMode::Bios)
    );
    insta::assert_snapshot!("computerinfo-json", inv.to_yaml());
}

#[test]
fn get_ciminstance_json_goes_through_the_wmic_mapping() {
    let inv = import_fixture("powershell/win7-cim.json");
    assert_eq!(collector(&inv), Some("Get-CimInstance"));
    assert_eq!(inv.collected_at.as_deref(), Some("2026-11-20T09:14:05Z"));
    let os = inv.os.as_ref().unwrap();
    assert_eq!(os.language.as_deref(), Some("de-DE"));
    assert_eq!(os.build, Some(7601));
    assert_eq!(inv.memory.as_ref().unwrap().installed_bytes, Some(8 << 30));
    let volume = inv
        .storage
        .as_ref()
        .unwrap()
        .system_volume
        .as_ref()
        .unwrap();
    assert_eq!(volume.free_bytes, Some(212_418_101_248));
    let cpu = inv.cpu.as_ref().unwrap();
    assert_eq!(
        (cpu.family, cpu.model, cpu.stepping),
        (Some(6), Some(58), Some(9))
    );
    insta::assert_snapshot!("cim-json", inv.to_yaml());
}

#[test]
fn uninstall_keys_as_json_are_filtered_as_the_registry_is() {
    let inv = import_fixture("powershell/win7-uninstall.json");
    assert_eq!(collector(&inv), Some("Get-ItemProperty (Uninstall keys)"));
    let names: Vec<&str> = inv
        .software
        .as_ref()
        .unwrap()
        .iter()
        .filter_map(|p| p.name.as_deref())
        .collect();
    // System components, updates, entries with no uninstaller (where the listing says) and
    // entries with no name are what Add/Remove Programs hides.
    assert_eq!(
        names,
        [
            "7-Zip 9.20 (x64 edition)",
            "Microsoft Office Professional Plus 2010"
        ]
    );
    let office = &inv.software.as_ref().unwrap()[1];
    assert_eq!(office.arch, Some(Arch::X86));
    assert_eq!(office.installed_on.as_deref(), Some("2013-04-02"));
    // Only software: every other section stays unknown.
    assert_eq!((&inv.os, &inv.cpu, &inv.host), (&None, &None, &None));
}

#[test]
fn uninstall_keys_of_a_few_selected_values_keep_every_named_program() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("software.json");
    std::fs::write(
        &path,
        r#"[{"DisplayName":"Foo","DisplayVersion":"1.0","Publisher":null,"InstallDate":"20240101"},
            {"DisplayName":"Bar","DisplayVersion":null,"Publisher":"Acme","InstallDate":null}]"#,
    )
    .unwrap();
    let inv = import::import_path(&path).unwrap();
    assert_eq!(inv.software.as_ref().unwrap().len(), 2);
    assert!(
        inv.notes.iter().any(|n| n.contains("PSPath")),
        "{:?}",
        inv.notes
    );
}

#[test]
fn wmic_volume_and_product_lists() {
    let inv = import_fixture("wmic/win7-Win32_Volume-list.txt");
    assert_eq!(collector(&inv), Some("wmic"));
    // The boot volume, not "System Reserved" (WMI's SystemVolume).
    let volume = inv
        .storage
        .as_ref()
        .unwrap()
        .system_volume
        .as_ref()
        .unwrap();
    assert_eq!(volume.letter.as_deref(), Some("C:"));
    assert_eq!(
        (volume.size_bytes, volume.free_bytes),
        (Some(499_860_172_800), Some(212_418_101_248))
    );
    let inv = import_fixture("wmic/win7-product-get-name-version.txt");
    let software = inv.software.as_ref().unwrap();
    assert_eq!(software.len(), 4);
    assert!(software.iter().any(|p| p.name.as_deref()
        == Some("DATEV Arbeitsplatz 12.0 Änderungen")
        && p.version.as_deref() == Some("12.0.1234")));
}

#[test]
fn free_text_is_not_a_wmic_table() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("LICENSE.txt");
    std::fs::write(
        &path,
        "MIT License\n\nCopyright (c) 2019 Someone\n\nPermission is hereby granted, free of \
         charge, to any person obtaining a copy\nof this software and associated documentation \
         files (the \"Software\"), to deal\n",
    )
    .unwrap();
    match import::read_found(&path).unwrap() {
        Found::Skipped(reason) => {
            assert!(reason.starts_with("text that is neither"), "{reason}");
            assert!(reason.contains("MIT License"), "{reason}");
        }
        Found::Machine(..) => panic!("a licence read as a machine"),
    }
    // A one-word first line over text is no wmic table either.
    std::fs::write(&path, "README\nThis folder holds samples.\n").unwrap();
    assert!(matches!(
        import::read_found(&path).unwrap(),
        Found::Skipped(_)
    ));
}

#[test]
fn bad_input_is_an_error_naming_the_file_and_line_or_is_skipped() {
    let error = import::import_path(&fixture("powershell/bad/computerinfo-garbled.txt"))
        .unwrap_err()
        .to_string();
    assert!(error.contains("computerinfo-garbled.txt"), "{error}");
    assert!(error.contains("line 9"), "{error}");
    assert!(error.contains("-- more --"), "{error}");

    let error = import::import_path(&fixture("powershell/bad/computerinfo-truncated.json"))
        .unwrap_err()
        .to_string();
    assert!(error.contains("computerinfo-truncated.json"), "{error}");
    assert!(
        error.contains("Get-ComputerInfo JSON that cannot be read at line"),
        "{error}"
    );

    let path = fixture("powershell/bad/cim-other-classes.json");
    match import::read_found(&path).unwrap() {
        Found::Skipped(reason) => assert!(
            reason.contains("Win32_NetworkAdapter, Win32_Printer"),
            "{reason}"
        ),
        Found::Machine(..) => panic!("no class w7plan reads, yet a machine"),
    }
}

#[test]
fn a_fleet_reads_every_powershell_fixture() {
    for file in [
        "powershell/win7-computerinfo-list.txt",
        "powershell/win7-computerinfo.json",
        "powershell/win7-cim.json",
        "powershell/win7-uninstall.json",
        "wmic/win7-Win32_Volume-list.txt",
        "wmic/win7-product-get-name-version.txt",
    ] {
        assert!(
            matches!(
                import::read_found(&fixture(file)).unwrap(),
                Found::Machine(..)
            ),
            "{file}"
        );
    }
}
