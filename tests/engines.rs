//! The importers of other tools' and engines' exports (msinfo32; GLPI), on fixtures written in
//! each format (their README cites the format) and on bad input: what each must read, and a clear
//! error naming the file and the place for what it cannot.

use std::path::{Path, PathBuf};
use w7plan::error::Origin;
use w7plan::facts::import;
use w7plan::facts::inventory::{Arch, Inventory};

fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(path)
}

fn import_fixture(path: &str) -> Inventory {
    import::import_path(&fixture(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn msinfo32_report_and_nfo_of_a_windows_7_pc() {
    for (file, collected_at) in [
        ("msinfo32/win7-pro-sp1-x64-en.txt", "2026-11-20T09:14:05"),
        ("msinfo32/win7-pro-sp1-x64-en.nfo", "2026-11-20T14:14:05Z"),
    ] {
        let inv = import_fixture(file);
        assert_eq!(inv.collected_at.as_deref(), Some(collected_at), "{file}");
        assert_eq!(
            inv.source.as_ref().and_then(|s| s.collector.as_deref()),
            Some("msinfo32")
        );
        let host = inv.host.as_ref().unwrap();
        assert_eq!(host.name.as_deref(), Some("ACCT-PC07"), "{file}");
        assert_eq!(host.manufacturer.as_deref(), Some("Dell Inc."));
        assert_eq!(host.model.as_deref(), Some("OptiPlex 7010"));
        let os = inv.os.as_ref().unwrap();
        assert_eq!(os.edition.as_deref(), Some("Professional"), "{file}");
        assert_eq!(
            (os.version.as_deref(), os.build, os.service_pack, os.arch),
            (Some("6.1"), Some(7601), Some(1), Some(Arch::X64)),
            "{file}"
        );
        let cpu = inv.cpu.as_ref().unwrap();
        assert_eq!(
            cpu.brand.as_deref(),
            Some("Intel(R) Core(TM) i5-3470 CPU @ 3.20GHz")
        );
        assert_eq!((cpu.cores, cpu.logical_processors), (Some(4), Some(4)));
        // msinfo32 shows no family/model/stepping: unknown, and the notes say where to look.
        assert_eq!((cpu.family, cpu.model, cpu.stepping), (None, None, None));
        assert!(inv.notes.iter().any(|n| n.starts_with("cpu.family:")));
        let memory = inv.memory.as_ref().unwrap();
        assert_eq!(memory.installed_bytes, Some(8 << 30), "{file}");
        let storage = inv.storage.as_ref().unwrap();
        let volume = storage.system_volume.as_ref().unwrap();
        assert_eq!(volume.letter.as_deref(), Some("C:"));
        assert_eq!(volume.size_bytes, Some(249_954_414_592), "{file}");
        assert_eq!(volume.free_bytes, Some(151_474_696_192), "{file}");
        let disk = storage.system_disk.as_ref().unwrap();
        assert_eq!(disk.size_bytes, Some(250_056_737_280), "{file}");
        assert_eq!(disk.model.as_deref(), Some("ST250DM000-1BD141 ATA Device"));
        // No BIOS Mode row on Windows 7: the boot mode stays unknown, with a note.
        let firmware = inv.firmware.as_ref().unwrap();
        assert_eq!(firmware.boot_mode, None, "{file}");
        assert!(inv
            .notes
            .iter()
            .any(|n| n.starts_with("firmware.boot_mode:")));
        assert_eq!(firmware.version.as_deref(), Some("Dell Inc. A29"));
        assert_eq!(firmware.date.as_deref(), Some("2018-06-13"));
        let graphics = inv.graphics.as_ref().unwrap();
        assert_eq!(graphics.len(), 1, "{file}");
        assert_eq!(
            graphics[0].name.as_deref(),
            Some("Intel(R) HD Graphics 2500")
        );
        assert_eq!(graphics[0].driver_version.as_deref(), Some("9.17.10.4459"));
        let display = inv.display.as_ref().unwrap();
        assert_eq!((display.width, display.height), (Some(1680), Some(1050)));
        assert!(inv.tpm.is_none() && inv.license.is_none() && inv.software.is_none());
    }
}

#[test]
fn msinfo32_bad_input_is_a_clear_error() {
    let bytes = std::fs::read(fixture("msinfo32/win7-pro-sp1-x64-en.nfo")).unwrap();
    // Cut inside an element: not well-formed, and the error names the file and the place.
    let cut = &bytes[..(bytes.len() / 2) & !1];
    let error = import::import_bytes(cut, &Origin("cut.nfo".into())).unwrap_err();
    let message = error.to_string();
    assert_eq!(error.code(), "import-failed");
    assert!(message.starts_with("cut.nfo: msinfo32 .nfo"), "{message}");
    assert!(message.contains(':'), "{message}");
    // Another root element under the MsInfo marker is refused by name.
    let other = "<?xml version=\"1.0\"?><!-- <MsInfo> --><Inventory/>";
    let error = import::import_bytes(other.as_bytes(), &Origin("other.nfo".into())).unwrap_err();
    assert!(error.to_string().contains("found <Inventory>"), "{error}");
    // A report cut after its header still imports what it has, and says what it lacks.
    let report = std::fs::read(fixture("msinfo32/win7-pro-sp1-x64-en.txt")).unwrap();
    let head = &report[..1200];
    let fragment = import::import_bytes(head, &Origin("head.txt".into())).unwrap();
    assert_eq!(
        fragment.inventory.host.and_then(|h| h.name).as_deref(),
        Some("ACCT-PC07")
    );
}

#[test]
fn glpi_xml_and_json_of_a_windows_7_pc() {
    for (file, engine, version) in [
        ("glpi/win7-pro-x64.xml", "FusionInventory-Agent", "2.4.2"),
        ("glpi/win7-pro-x64.json", "GLPI-Agent", "1.4"),
    ] {
        let inv = import_fixture(file);
        let source = inv.source.as_ref().unwrap();
        assert_eq!(source.collector.as_deref(), Some(engine), "{file}");
        assert_eq!(source.version.as_deref(), Some(version), "{file}");
        assert_eq!(inv.collected_at.as_deref(), Some("2026-11-18T10:42:17"));
        let host = inv.host.as_ref().unwrap();
        assert_eq!(host.name.as_deref(), Some("ACCT-PC12"));
        assert_eq!(host.model.as_deref(), Some("OptiPlex 790"));
        assert_eq!(host.serial.as_deref(), Some("7XK2L5J"));
        assert_eq!(
            host.chassis,
            Some(w7plan::facts::inventory::Chassis::Desktop)
        );
        let os = inv.os.as_ref().unwrap();
        assert_eq!(os.edition.as_deref(), Some("Professional"), "{file}");
        assert_eq!(
            (os.version.as_deref(), os.build, os.service_pack, os.arch),
            (Some("6.1"), Some(7601), Some(1), Some(Arch::X64)),
            "{file}"
        );
        assert_eq!(os.language.as_deref(), Some("en-US"));
        assert_eq!(os.installed_on.as_deref(), Some("2012-04-02"));
        let cpu = inv.cpu.as_ref().unwrap();
        assert_eq!(
            (cpu.family, cpu.model, cpu.stepping),
            (Some(6), Some(42), Some(7)),
            "{file}"
        );
        assert_eq!(cpu.vendor.as_deref(), Some("GenuineIntel"));
        assert_eq!((cpu.cores, cpu.logical_processors), (Some(4), Some(4)));
        assert_eq!(cpu.max_mhz, Some(3100));
        let memory = inv.memory.as_ref().unwrap();
        assert_eq!(memory.installed_bytes, Some(4 << 30), "{file}");
        assert_eq!(memory.visible_bytes, Some(4004 << 20));
        let storage = inv.storage.as_ref().unwrap();
        let volume = storage.system_volume.as_ref().unwrap();
        assert_eq!(
            (
                volume.letter.as_deref(),
                volume.size_bytes,
                volume.free_bytes
            ),
            (Some("C:"), Some(238_371 << 20), Some(118_421 << 20)),
            "{file}"
        );
        assert_eq!(
            storage.system_disk.as_ref().unwrap().size_bytes,
            Some(250_056 << 20)
        );
        let firmware = inv.firmware.as_ref().unwrap();
        assert_eq!(firmware.version.as_deref(), Some("A11"));
        assert_eq!(firmware.date.as_deref(), Some("2012-03-14"), "{file}");
        // Never collected by the engine: unknown, with the reason, never a guess.
        assert_eq!(firmware.boot_mode, None);
        assert_eq!(firmware.secure_boot_enabled, None);
        assert!(inv.tpm.is_none());
        assert!(inv.notes.iter().any(|n| n.starts_with("tpm.present:")));
        assert!(inv
            .notes
            .iter()
            .any(|n| n.starts_with("firmware.boot_mode:")));
        let license = inv.license.as_ref().unwrap();
        assert_eq!(
            license.product_id.as_deref(),
            Some("00371-OEM-8992671-00524")
        );
        assert_eq!(license.partial_key.as_deref(), Some("GPDD4"));
        let software = inv.software.as_ref().unwrap();
        let names: Vec<_> = software
            .iter()
            .map(|p| p.name.as_deref().unwrap())
            .collect();
        assert_eq!(
            names,
            [
                "Microsoft Office Professional Plus 2010",
                "Sage 50 Accounts"
            ]
        );
        assert_eq!(software[0].version.as_deref(), Some("14.0.7015.1000"));
        assert_eq!(
            software[0].installed_on.as_deref(),
            Some("2016-03-21"),
            "{file}"
        );
        assert_eq!(software[0].arch, Some(Arch::X86));
        let graphics = inv.graphics.as_ref().unwrap();
        assert_eq!(
            graphics[0].name.as_deref(),
            Some("Intel(R) HD Graphics 2000")
        );
        let display = inv.display.as_ref().unwrap();
        assert_eq!((display.width, display.height), (Some(1680), Some(1050)));
    }
}

#[test]
fn glpi_product_key_is_masked_unless_revealed() {
    let path = fixture("glpi/win7-pro-x64.xml");
    let out = assert_cmd::Command::cargo_bin("w7plan")
        .unwrap()
        .arg("import")
        .arg(&path)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("XXXXX-XXXXX-XXXXX-XXXXX-GPDD4"), "{text}");
    assert!(!text.contains("FJ82H"), "{text}");
    let out = assert_cmd::Command::cargo_bin("w7plan")
        .unwrap()
        .args(["import", "--reveal-keys"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(String::from_utf8(out.stdout)
        .unwrap()
        .contains("FJ82H-XT6CR-J8D7P-XQJJ2-GPDD4"));
    // The assessment of it masks it too.
    let out = assert_cmd::Command::cargo_bin("w7plan")
        .unwrap()
        .args(["assess", "--format", "json", "--as-of", "2026-11-27"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&out.stdout).contains("FJ82H"));
}

#[test]
fn glpi_bad_input_names_the_file_and_element() {
    let xml = std::fs::read_to_string(fixture("glpi/win7-pro-x64.xml")).unwrap();
    let json = std::fs::read_to_string(fixture("glpi/win7-pro-x64.json")).unwrap();
    let error = |text: &str, name: &str| {
        import::import_bytes(text.as_bytes(), &Origin(name.into()))
            .unwrap_err()
            .to_string()
    };
    // Truncated.
    let cut = error(&xml[..xml.len() / 2], "cut.xml");
    assert!(
        cut.starts_with("cut.xml: GLPI XML that is not well-formed"),
        "{cut}"
    );
    let cut = error(&json[..json.len() / 2], "cut.json");
    assert!(
        cut.starts_with("cut.json: GLPI JSON that cannot be read at line"),
        "{cut}"
    );
    // Wrong types.
    let bad = error(
        &xml.replace("<FAMILYNUMBER>6<", "<FAMILYNUMBER>six<"),
        "bad.xml",
    );
    assert_eq!(
        bad,
        "bad.xml: <CONTENT/CPUS[0]/FAMILYNUMBER>: expected a whole number, found \"six\""
    );
    let bad = error(
        &json.replace("\"stepping\": 7", "\"stepping\": -7"),
        "bad.json",
    );
    assert_eq!(
        bad,
        "bad.json: `content.cpus[0].stepping`: expected a whole number, found -7"
    );
    let bad = error(
        &json.replace("\"memories\": [", "\"memories\": [\"DIMM0\", "),
        "bad.json",
    );
    assert!(
        bad.contains("`content.memories[0]`: expected a section"),
        "{bad}"
    );
    let bad = error(
        &json.replace("\"hardware\": {", "\"hardware\": [], \"x\": {"),
        "bad.json",
    );
    assert!(
        bad.contains("`content.hardware`: expected one section"),
        "{bad}"
    );
    // Not an inventory at all under the right root.
    let none = error(
        "<?xml version=\"1.0\"?>\n<REQUEST><CONTENT></CONTENT></REQUEST>",
        "e.xml",
    );
    assert!(none.contains("<CONTENT>"), "{none}");
}

#[test]
fn a_bad_glpi_file_does_not_stop_the_fleet() {
    let work = tempfile::tempdir().unwrap();
    let inputs = work.path().join("glpi");
    std::fs::create_dir_all(&inputs).unwrap();
    std::fs::copy(fixture("glpi/win7-pro-x64.xml"), inputs.join("a.xml")).unwrap();
    std::fs::copy(fixture("glpi/win7-pro-x64.json"), inputs.join("b.json")).unwrap();
    let xml = std::fs::read_to_string(fixture("glpi/win7-pro-x64.xml")).unwrap();
    std::fs::write(inputs.join("c.xml"), &xml[..xml.len() / 3]).unwrap();
    let out = work.path().join("out");
    assert_cmd::Command::cargo_bin("w7plan")
        .unwrap()
        .args([
            "fleet",
            "--no-machine-reports",
            "--as-of",
            "2026-11-27",
            "-o",
        ])
        .arg(&out)
        .arg(&inputs)
        .assert()
        .code(3)
        // a.xml and b.json are one PC (the same serial number): one machine, merged.
        .stderr(predicates::str::contains(
            "1 machine assessed, 1 input error(s)",
        ))
        .stderr(predicates::str::contains(
            "c.xml: GLPI XML that is not well-formed",
        ));
}

#[test]
fn ocs_inventory_xml_of_a_windows_7_pc() {
    let inv = import_fixture("ocs/win7-pro-x64.xml");
    let source = inv.source.as_ref().unwrap();
    assert_eq!(source.collector.as_deref(), Some("OCS-NG_WINDOWS_AGENT"));
    assert_eq!(source.version.as_deref(), Some("2.1.0.3"));
    assert_eq!(inv.collected_at.as_deref(), Some("2026-11-19T16:05:33"));
    let host = inv.host.as_ref().unwrap();
    assert_eq!(host.name.as_deref(), Some("RECEPTION-01"));
    assert_eq!(
        host.model.as_deref(),
        Some("HP Compaq dc7900 Small Form Factor")
    );
    let os = inv.os.as_ref().unwrap();
    assert_eq!(os.edition.as_deref(), Some("Professional"));
    assert_eq!(
        (os.version.as_deref(), os.build, os.service_pack, os.arch),
        (Some("6.1"), Some(7601), Some(1), Some(Arch::X64))
    );
    // The processor by name only: no family/model/stepping, and a note saying where to look.
    let cpu = inv.cpu.as_ref().unwrap();
    assert_eq!(
        cpu.brand.as_deref(),
        Some("Intel(R) Core(TM)2 Duo CPU     E8400  @ 3.00GHz")
    );
    assert_eq!(cpu.vendor.as_deref(), Some("GenuineIntel"));
    assert_eq!((cpu.family, cpu.model, cpu.stepping), (None, None, None));
    assert!(inv.notes.iter().any(|n| n.starts_with("cpu.family:")));
    let memory = inv.memory.as_ref().unwrap();
    assert_eq!(memory.installed_bytes, Some(4 << 30));
    assert_eq!(memory.visible_bytes, Some(4029 << 20));
    let storage = inv.storage.as_ref().unwrap();
    let volume = storage.system_volume.as_ref().unwrap();
    assert_eq!(
        (
            volume.letter.as_deref(),
            volume.size_bytes,
            volume.free_bytes
        ),
        (Some("C:"), Some(152_525 << 20), Some(61_204 << 20))
    );
    assert_eq!(
        storage.system_disk.as_ref().unwrap().size_bytes,
        Some(152_625 << 20)
    );
    assert_eq!(
        inv.firmware.as_ref().unwrap().date.as_deref(),
        Some("2010-05-26")
    );
    assert!(inv.tpm.is_none());
    assert!(inv.notes.iter().any(|n| n.starts_with("tpm.present:")));
    let license = inv.license.as_ref().unwrap();
    assert_eq!(license.partial_key.as_deref(), Some("GPDD4"));
    let software = inv.software.as_ref().unwrap();
    assert_eq!(software.len(), 2);
    assert_eq!(software[0].arch, Some(Arch::X86));
    assert_eq!(software[0].installed_on.as_deref(), Some("2018-02-14"));
    assert_eq!(software[1].arch, Some(Arch::X64));
    let display = inv.display.as_ref().unwrap();
    assert_eq!((display.width, display.height), (Some(1280), Some(1024)));
}

fn configmgr_rows(path: &str) -> Vec<(u64, w7plan::error::Result<Inventory>)> {
    let text = std::fs::read_to_string(fixture(path)).unwrap();
    import::configmgr::read_text(&text, &Origin(path.into())).unwrap()
}

#[test]
fn configmgr_export_of_three_machines() {
    let rows = configmgr_rows("configmgr/fleet-export.csv");
    // A cell holds the program list with its line breaks: rows are records, not lines.
    assert_eq!(
        rows.iter().map(|(row, _)| *row).collect::<Vec<_>>(),
        [2, 3, 4]
    );
    let machines: Vec<Inventory> = rows
        .into_iter()
        .map(|(row, r)| import::finish_inventory(r.unwrap_or_else(|e| panic!("row {row}: {e}"))))
        .collect();

    // The Windows 7 PC, with Caption and ProcessorId: the exact CPU signature.
    let win7 = &machines[0];
    assert_eq!(
        win7.source.as_ref().and_then(|s| s.collector.as_deref()),
        Some("Microsoft Configuration Manager")
    );
    assert_eq!(win7.collected_at.as_deref(), Some("2026-11-02T08:15:00"));
    let host = win7.host.as_ref().unwrap();
    assert_eq!(
        (
            host.name.as_deref(),
            host.manufacturer.as_deref(),
            host.model.as_deref(),
            host.serial.as_deref()
        ),
        (
            Some("ACCT-PC01"),
            Some("Dell Inc."),
            Some("OptiPlex 790"),
            Some("7XK2Q5J")
        )
    );
    let os = win7.os.as_ref().unwrap();
    assert_eq!(
        (
            os.name.as_deref(),
            os.edition.as_deref(),
            os.version.as_deref(),
            os.build,
            os.service_pack,
            os.arch,
            os.language.as_deref(),
            os.installed_on.as_deref()
        ),
        (
            Some("Microsoft Windows 7 Professional"),
            Some("Professional"),
            Some("6.1"),
            Some(7601),
            Some(1),
            Some(Arch::X64),
            Some("en-US"),
            Some("2012-03-14")
        )
    );
    let cpu = win7.cpu.as_ref().unwrap();
    assert_eq!(
        cpu.brand.as_deref(),
        Some("Intel(R) Core(TM) i5-2400 CPU @ 3.10GHz")
    );
    assert_eq!(
        (cpu.family, cpu.model, cpu.stepping),
        (Some(6), Some(42), Some(7))
    );
    assert_eq!(
        (cpu.cores, cpu.logical_processors, cpu.max_mhz),
        (Some(4), Some(4), Some(3101))
    );
    let memory = win7.memory.as_ref().unwrap();
    // Capacity0 is in MB, TotalVisibleMemorySize0 in KB.
    assert_eq!(memory.installed_bytes, Some(8 << 30));
    assert_eq!(memory.visible_bytes, Some(8_283_336 * 1024));
    let volume = win7
        .storage
        .as_ref()
        .and_then(|s| s.system_volume.as_ref())
        .unwrap();
    assert_eq!(
        (
            volume.letter.as_deref(),
            volume.size_bytes,
            volume.free_bytes
        ),
        (Some("C:"), Some(238_371 << 20), Some(120_410 << 20))
    );
    let firmware = win7.firmware.as_ref().unwrap();
    assert_eq!(
        firmware.boot_mode,
        Some(w7plan::facts::inventory::BootMode::Bios)
    );
    assert_eq!(
        (firmware.version.as_deref(), firmware.date.as_deref()),
        (Some("A18"), Some("2014-05-09"))
    );
    // Windows 7 cannot use Secure Boot: its SecureBoot0 is not taken as the hardware's answer.
    assert_eq!(firmware.secure_boot_capable, None);
    assert!(win7
        .notes
        .iter()
        .any(|n| n.starts_with("firmware.secure_boot_enabled:")));
    let tpm = win7.tpm.as_ref().unwrap();
    assert_eq!(
        (
            tpm.present,
            tpm.version.as_deref(),
            tpm.enabled,
            tpm.activated
        ),
        (Some(true), Some("1.2"), Some(true), Some(false))
    );
    assert_eq!(
        win7.license.as_ref().and_then(|l| l.product_id.as_deref()),
        Some("00371-OEM-8992671-00524")
    );
    let graphics = win7.graphics.as_ref().unwrap();
    assert_eq!(graphics[0].name.as_deref(), Some("Intel(R) HD Graphics"));
    let display = win7.display.as_ref().unwrap();
    assert_eq!((display.width, display.height), (Some(1920), Some(1080)));
    let software = win7.software.as_ref().unwrap();
    let listed: Vec<(&str, Option<&str>, Option<Arch>)> = software
        .iter()
        .map(|p| (p.name.as_deref().unwrap(), p.version.as_deref(), p.arch))
        .collect();
    assert_eq!(
        listed,
        [
            (
                "Adobe Reader XI (11.0.23)",
                Some("11.0.23"),
                Some(Arch::X86)
            ),
            (
                "Microsoft Office Professional Plus 2010",
                Some("14.0.7015.1000"),
                Some(Arch::X86)
            ),
            ("7-Zip 16.04 (x64)", Some("16.04"), Some(Arch::X64)),
        ]
    );

    // The Windows 10 laptop: TPM 2.0, UEFI with Secure Boot on.
    let w10 = &machines[1];
    let cpu = w10.cpu.as_ref().unwrap();
    assert_eq!(
        (cpu.family, cpu.model, cpu.stepping, cpu.logical_processors),
        (Some(6), Some(142), Some(10), Some(8))
    );
    let firmware = w10.firmware.as_ref().unwrap();
    assert_eq!(
        (firmware.boot_mode, firmware.secure_boot_enabled),
        (Some(w7plan::facts::inventory::BootMode::Uefi), Some(true))
    );
    assert_eq!(
        w10.tpm.as_ref().and_then(|t| t.version.as_deref()),
        Some("2.0")
    );
    assert_eq!(w10.os.as_ref().and_then(|o| o.service_pack), Some(0));
    assert_eq!(
        w10.os.as_ref().and_then(|o| o.language.as_deref()),
        Some("de-DE")
    );

    // The 32-bit Windows 7 PC with no TPM or firmware row and no CPU signature: unknown, each
    // with a note saying why and what to check — never a failure.
    let old = &machines[2];
    let cpu = old.cpu.as_ref().unwrap();
    assert_eq!((cpu.family, cpu.model, cpu.stepping), (None, None, None));
    assert_eq!(old.os.as_ref().and_then(|o| o.arch), Some(Arch::X86));
    assert!(old.tpm.is_none());
    assert_eq!(old.firmware.as_ref().and_then(|f| f.boot_mode), None);
    for field in ["cpu.family:", "tpm.present:", "firmware.boot_mode:"] {
        assert!(
            old.notes.iter().any(|n| n.starts_with(field)),
            "{field} {:?}",
            old.notes
        );
    }
    assert_eq!(old.software.as_ref().map(Vec::len), Some(1));
}

#[test]
fn configmgr_query_names_only_columns_the_reader_takes() {
    let sql = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("collectors/configmgr/w7plan-inventory.sql"),
    )
    .unwrap();
    let aliases: Vec<&str> = sql
        .split("AS [")
        .skip(1)
        .filter_map(|rest| rest.split(']').next())
        .collect();
    let known: Vec<String> = import::configmgr::COLUMNS
        .iter()
        .map(|(v, c)| format!("{v}.{c}"))
        .collect();
    assert_eq!(aliases, known, "the query's columns, in the reader's order");
    // And the fixture has exactly the query's header.
    let header = std::fs::read_to_string(fixture("configmgr/fleet-export.csv")).unwrap();
    assert_eq!(header.lines().next().unwrap(), aliases.join(","));
}

#[test]
fn configmgr_one_machine_for_assess_and_bare_column_names() {
    let inv = import_fixture("configmgr/win7-one-machine.csv");
    assert_eq!(
        inv.host.as_ref().and_then(|h| h.name.as_deref()),
        Some("ACCT-PC01")
    );
    // Bare names where the column is in one view only; a few columns are enough, the rest
    // unknown with notes.
    let inv = import_fixture("configmgr/few-columns.csv");
    assert_eq!(inv.cpu.as_ref().and_then(|c| c.cores), Some(4));
    assert_eq!(
        inv.os.as_ref().and_then(|o| o.version.as_deref()),
        Some("6.1")
    );
    assert!(inv.memory.is_none() && inv.tpm.is_none() && inv.software.is_none());
    assert!(inv.notes.iter().any(|n| n.starts_with("tpm.present:")));
    // `assess` takes one machine: a many-machine export says what to run instead.
    let error = import::import_path(&fixture("configmgr/fleet-export.csv"))
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("fleet-export.csv")
            && error.contains("3 machines")
            && error.contains("w7plan fleet"),
        "{error}"
    );
}

#[test]
fn configmgr_bad_rows_name_the_file_and_row() {
    let rows = configmgr_rows("configmgr/bad/wrong-types.csv");
    assert_eq!(rows.len(), 3);
    assert!(rows[0].1.is_ok() && rows[2].1.is_ok());
    let error = rows[1].1.as_ref().unwrap_err().to_string();
    assert!(
        error.contains("wrong-types.csv, row 3")
            && error.contains("v_GS_PROCESSOR.NumberOfCores0")
            && error.contains("`four`"),
        "{error}"
    );

    let rows = configmgr_rows("configmgr/bad/truncated.csv");
    assert_eq!(rows.len(), 3);
    let error = rows[2].1.as_ref().unwrap_err().to_string();
    assert!(
        error.contains("truncated.csv, row 4") && error.contains("truncated row"),
        "{error}"
    );

    let text = std::fs::read_to_string(fixture("configmgr/bad/no-resourceid.csv")).unwrap();
    let error = import::configmgr::read_text(&text, &Origin("no-resourceid.csv".into()))
        .err()
        .unwrap()
        .to_string();
    assert!(
        error.contains("no-resourceid.csv") && error.contains("ResourceID"),
        "{error}"
    );
    // A header and no machine.
    let error = import::configmgr::single(
        "v_R_System.ResourceID,Netbios_Name0,NumberOfCores0\n",
        &Origin("empty.csv".into()),
    )
    .unwrap_err()
    .to_string();
    assert!(error.contains("no machine rows"), "{error}");
}

#[test]
fn configmgr_export_in_a_fleet_gives_a_machine_per_row() {
    let work = tempfile::tempdir().unwrap();
    let inputs = work.path().join("cm");
    std::fs::create_dir_all(&inputs).unwrap();
    std::fs::copy(
        fixture("configmgr/fleet-export.csv"),
        inputs.join("export.csv"),
    )
    .unwrap();
    std::fs::copy(
        fixture("configmgr/bad/wrong-types.csv"),
        inputs.join("wrong.csv"),
    )
    .unwrap();
    let out = work.path().join("out");
    assert_cmd::Command::cargo_bin("w7plan")
        .unwrap()
        .args([
            "fleet",
            "--no-machine-reports",
            "--as-of",
            "2026-11-27",
            "-o",
        ])
        .arg(&out)
        .arg(&inputs)
        .assert()
        .code(3)
        .stderr(predicates::str::contains(
            "5 machines assessed, 1 input error(s)",
        ))
        .stderr(predicates::str::contains(
            "wrong.csv, row 3: v_GS_PROCESSOR.NumberOfCores0: expected a whole number",
        ));
    let csv = std::fs::read_to_string(out.join("fleet.csv")).unwrap();
    for host in ["ACCT-PC01", "LAB-W10-03", "FRONTDESK-02", "PC-A", "PC-C"] {
        assert!(csv.contains(host), "{host}\n{csv}");
    }
    assert!(csv.contains("export.csv, row 4"), "{csv}");
    // Saved as UTF-16 with a byte-order mark (PowerShell's Export-Csv -Encoding Unicode) or as
    // UTF-8 with one (SSMS), the export reads the same.
    let utf16 = work.path().join("utf16");
    std::fs::create_dir_all(&utf16).unwrap();
    let text = std::fs::read_to_string(fixture("configmgr/fleet-export.csv")).unwrap();
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    std::fs::write(utf16.join("export-utf16.csv"), bytes).unwrap();
    std::fs::write(utf16.join("export-bom.csv"), format!("\u{feff}{text}")).unwrap();
    let out3 = work.path().join("out3");
    assert_cmd::Command::cargo_bin("w7plan")
        .unwrap()
        .args(["fleet", "--no-machine-reports", "-o"])
        .arg(&out3)
        .arg(&utf16)
        .assert()
        .code(0)
        // The two copies hold the same three PCs: each is one machine seen by two inputs.
        .stderr(predicates::str::contains(
            "3 machines assessed, 0 input error(s)",
        ));
    let csv3 = std::fs::read_to_string(out3.join("fleet.csv")).unwrap();
    assert_eq!(csv3.matches("FRONTDESK-02").count(), 1, "{csv3}");
    assert_eq!(csv3.matches(",2\n").count(), 3, "{csv3}");
    // The same file named on the command line is streamed too.
    assert_cmd::Command::cargo_bin("w7plan")
        .unwrap()
        .args(["fleet", "--no-machine-reports", "-o"])
        .arg(work.path().join("out2"))
        .arg(inputs.join("export.csv"))
        .assert()
        .code(0)
        .stderr(predicates::str::contains("3 machines assessed"));
}

#[test]
fn open_audit_xml_of_a_windows_7_pc() {
    let inv = import_fixture("openaudit/ACCT-PC12-20261118143012.xml");
    let source = inv.source.as_ref().unwrap();
    assert_eq!(source.collector.as_deref(), Some("Open-AudIT"));
    assert_eq!(source.version.as_deref(), Some("4.3.1"));
    // The audit's start, from the file name the auditor gives it.
    assert_eq!(inv.collected_at.as_deref(), Some("2026-11-18T14:30:12"));
    let host = inv.host.as_ref().unwrap();
    assert_eq!(host.name.as_deref(), Some("ACCT-PC12"));
    assert_eq!(host.serial.as_deref(), Some("7GQ2KX1"));
    let os = inv.os.as_ref().unwrap();
    assert_eq!(os.edition.as_deref(), Some("Professional"));
    assert_eq!(
        (os.build, os.service_pack, os.arch),
        (Some(7601), Some(1), Some(Arch::X64))
    );
    let cpu = inv.cpu.as_ref().unwrap();
    assert_eq!(
        cpu.brand.as_deref(),
        Some("Intel(R) Core(TM) i5-3470 CPU @ 3.20GHz")
    );
    assert_eq!((cpu.cores, cpu.max_mhz), (Some(4), Some(3200)));
    assert_eq!(cpu.family, None, "the audit names the CPU only");
    assert_eq!(inv.memory.as_ref().unwrap().installed_bytes, Some(8 << 30));
    let graphics = &inv.graphics.as_ref().unwrap()[0];
    assert_eq!(
        (graphics.vendor_id.as_deref(), graphics.device_id.as_deref()),
        (Some("8086"), Some("0152"))
    );
    let license = inv.license.as_ref().unwrap();
    assert_eq!(license.partial_key.as_deref(), Some("GPDD4"));
    let software = inv.software.as_ref().unwrap();
    assert_eq!(software.len(), 2, "updates are not programs");
    assert_eq!(
        software[1].name.as_deref(),
        Some("Sage 50 Accounts & Payroll")
    );
    // What the audit never collects is unknown with the reason, never a failure.
    for field in [
        "tpm.present",
        "firmware.boot_mode",
        "graphics.directx",
        "cpu.family",
    ] {
        assert!(
            inv.notes.iter().any(|n| n.starts_with(field)),
            "{field}: {:?}",
            inv.notes
        );
    }
    insta::assert_snapshot!("openaudit-ACCT-PC12", inv.to_yaml());
}

#[test]
fn bad_open_audit_files_name_the_file_and_the_element() {
    let error = |name: &str| {
        import::import_path(&fixture(&format!("openaudit/bad/{name}")))
            .unwrap_err()
            .to_string()
    };
    let truncated = error("truncated-20261118143012.xml");
    assert!(
        truncated.contains("truncated-20261118143012.xml"),
        "{truncated}"
    );
    assert!(truncated.contains("not well-formed"), "{truncated}");
    assert!(
        truncated.contains("inside <system><bios><item>"),
        "{truncated}"
    );
    let wrong = error("wrong-type-20261118143012.xml");
    assert!(
        wrong.contains("<processor><item><core_count>: expected a whole number, found \"four\""),
        "{wrong}"
    );
    let origin = Origin("x.xml".into());
    let not_sys = import::import_bytes(
        b"<?xml version=\"1.0\"?>\n<system>\n<sys></sys></system>",
        &origin,
    );
    assert!(
        not_sys.is_ok(),
        "an empty audit is a machine with nothing known"
    );

    // In a fleet, the bad files are listed and the good audit still assessed.
    let work = tempfile::tempdir().unwrap();
    let inputs = work.path().join("audits");
    std::fs::create_dir_all(&inputs).unwrap();
    for name in [
        "ACCT-PC12-20261118143012.xml",
        "bad/truncated-20261118143012.xml",
        "bad/wrong-type-20261118143012.xml",
    ] {
        let file = Path::new(name).file_name().unwrap();
        std::fs::copy(fixture(&format!("openaudit/{name}")), inputs.join(file)).unwrap();
    }
    let out = work.path().join("out");
    assert_cmd::Command::cargo_bin("w7plan")
        .unwrap()
        .args([
            "fleet",
            "--no-machine-reports",
            "--as-of",
            "2026-11-27",
            "-o",
        ])
        .arg(&out)
        .arg(&inputs)
        .assert()
        .code(3)
        .stderr(predicates::str::contains(
            "1 machine assessed, 2 input error(s)",
        ))
        .stderr(predicates::str::contains("truncated-20261118143012.xml"));
    let csv = std::fs::read_to_string(out.join("fleet.csv")).unwrap();
    assert!(csv.contains("ACCT-PC12"), "{csv}");
    assert!(
        csv.contains(",Open-AudIT,4.3.1,2026-11-18T14:30:12,9,fresh,"),
        "{csv}"
    );
    assert!(!csv.contains("XQJJ2"), "the key is masked");
}

fn lansweeper_rows(path: &str) -> Vec<(u64, w7plan::error::Result<Inventory>)> {
    let text = std::fs::read_to_string(fixture(path)).unwrap();
    import::lansweeper::read_text(&text, &Origin(path.into())).unwrap()
}

#[test]
fn lansweeper_export_of_three_machines() {
    let rows = lansweeper_rows("lansweeper/fleet-export.csv");
    // The program lists hold line breaks: rows are records, not lines.
    assert_eq!(
        rows.iter().map(|(row, _)| *row).collect::<Vec<_>>(),
        [2, 3, 4]
    );
    let machines: Vec<Inventory> = rows
        .into_iter()
        .map(|(row, r)| import::finish_inventory(r.unwrap_or_else(|e| panic!("row {row}: {e}"))))
        .collect();

    // The Windows 7 PC known by its processor caption: family, model and stepping.
    let win7 = &machines[0];
    assert_eq!(
        win7.source.as_ref().and_then(|s| s.collector.as_deref()),
        Some("Lansweeper")
    );
    assert_eq!(win7.collected_at.as_deref(), Some("2026-11-02T08:15:00"));
    let host = win7.host.as_ref().unwrap();
    assert_eq!(
        (
            host.name.as_deref(),
            host.manufacturer.as_deref(),
            host.model.as_deref(),
            host.serial.as_deref()
        ),
        (
            Some("ACCT-PC01"),
            Some("Dell Inc."),
            Some("OptiPlex 790"),
            Some("7XK2Q5J")
        )
    );
    let os = win7.os.as_ref().unwrap();
    assert_eq!(
        (
            os.edition.as_deref(),
            os.version.as_deref(),
            os.build,
            os.service_pack,
            os.language.as_deref(),
            os.installed_on.as_deref()
        ),
        (
            Some("Professional"),
            Some("6.1"),
            Some(7601),
            Some(1),
            Some("en-US"),
            Some("2012-03-14")
        )
    );
    let cpu = win7.cpu.as_ref().unwrap();
    assert_eq!(
        (cpu.family, cpu.model, cpu.stepping, cpu.cores, cpu.arch),
        (Some(6), Some(42), Some(7), Some(4), Some(Arch::X64))
    );
    let memory = win7.memory.as_ref().unwrap();
    assert_eq!(memory.installed_bytes, Some(8 << 30));
    assert_eq!(memory.visible_bytes, Some(8283336 * 1024));
    let storage = win7.storage.as_ref().unwrap();
    let volume = storage.system_volume.as_ref().unwrap();
    assert_eq!(
        (volume.letter.as_deref(), volume.size_bytes),
        (Some("C:"), Some(249951743488))
    );
    assert_eq!(
        storage.system_disk.as_ref().unwrap().size_bytes,
        Some(250059350016)
    );
    let tpm = win7.tpm.as_ref().unwrap();
    assert_eq!(
        (tpm.version.as_deref(), tpm.enabled, tpm.activated),
        (Some("1.2"), Some(true), Some(false))
    );
    let firmware = win7.firmware.as_ref().unwrap();
    assert_eq!(
        (firmware.version.as_deref(), firmware.date.as_deref()),
        (Some("A18"), Some("2014-05-09"))
    );
    // What Lansweeper never collects on Windows 7 stays unknown with the reason.
    assert_eq!(firmware.boot_mode, None);
    assert_eq!(firmware.secure_boot_enabled, None);
    for field in [
        "firmware.boot_mode",
        "firmware.secure_boot_enabled",
        "graphics.directx",
    ] {
        assert!(
            win7.notes.iter().any(|n| n.starts_with(field)),
            "{field}: {:?}",
            win7.notes
        );
    }
    assert_eq!(
        win7.license.as_ref().unwrap().product_id.as_deref(),
        Some("00371-OEM-8992671-00524")
    );
    let software = win7.software.as_ref().unwrap();
    assert_eq!(software.len(), 2);
    assert_eq!(
        software[1].publisher.as_deref(),
        Some("Microsoft Corporation")
    );
    insta::assert_snapshot!("lansweeper-ACCT-PC01", win7.to_yaml());

    // The Windows 10 PC: its ProcessorId is the exact signature; its key is masked downstream.
    let w10 = &machines[1];
    let cpu = w10.cpu.as_ref().unwrap();
    assert_eq!(
        (cpu.family, cpu.model, cpu.stepping),
        (Some(6), Some(142), Some(10))
    );
    assert_eq!(w10.tpm.as_ref().unwrap().version.as_deref(), Some("2.0"));
    assert_eq!(
        w10.license.as_ref().unwrap().partial_key.as_deref(),
        Some("2YT43")
    );

    // The 32-bit Windows 7 PC known by name only: matched by name, the notes say so; no TPM
    // row is unknown, never a failure; an empty program cell is a list with none.
    let old = &machines[2];
    let cpu = old.cpu.as_ref().unwrap();
    assert_eq!(cpu.family, None);
    // A 32-bit Windows says nothing of the CPU's architecture.
    assert_eq!(cpu.arch, None);
    assert_eq!(old.os.as_ref().unwrap().arch, Some(Arch::X86));
    assert_eq!(old.memory.as_ref().unwrap().installed_bytes, Some(3 << 30));
    assert!(old.tpm.is_none());
    for field in ["cpu.family", "tpm.present"] {
        assert!(
            old.notes.iter().any(|n| n.starts_with(field)),
            "{field} {:?}",
            old.notes
        );
    }
    assert_eq!(old.software.as_ref().map(Vec::len), Some(0));
}

#[test]
fn lansweeper_report_names_only_columns_the_reader_takes() {
    let sql = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("collectors/lansweeper/w7plan-report.sql"),
    )
    .unwrap();
    let select = sql
        .split("*/")
        .nth(1)
        .and_then(|body| body.split("\nFrom tblAssets").next())
        .unwrap();
    let aliases: Vec<&str> = select
        .lines()
        .filter_map(|line| line.trim_end().trim_end_matches(',').rsplit_once(" As "))
        .map(|(_, alias)| alias)
        .collect();
    assert_eq!(aliases.len(), 39, "{aliases:?}");
    for alias in &aliases {
        assert!(
            import::lansweeper::column_of(alias).is_some(),
            "{alias} is not a column the reader takes"
        );
    }
    let header = std::fs::read_to_string(fixture("lansweeper/fleet-export.csv")).unwrap();
    assert_eq!(header.lines().next().unwrap(), aliases.join(","));
}

#[test]
fn lansweeper_built_in_reports_by_their_own_column_names() {
    // "OS: Overview": the bare Caption is the OS's; OSname and SP are Lansweeper's own.
    let rows = lansweeper_rows("lansweeper/builtin-os-overview.csv");
    assert_eq!(rows.len(), 2);
    let home = rows[1].1.as_ref().unwrap();
    let os = home.os.as_ref().unwrap();
    assert_eq!(
        (
            os.edition.as_deref(),
            os.version.as_deref(),
            os.service_pack
        ),
        (Some("HomePremium"), Some("6.1"), Some(0))
    );
    assert!(home.cpu.is_none() && home.tpm.is_none());
    assert_eq!(home.collected_at.as_deref(), Some("2026-10-30T17:45:00"));

    // "TPM": the spec version and Yes/No states.
    let inv = import_fixture("lansweeper/builtin-tpm.csv");
    let tpm = inv.tpm.as_ref().unwrap();
    assert_eq!(
        (tpm.version.as_deref(), tpm.enabled, tpm.activated),
        (Some("1.2"), Some(true), Some(false))
    );
    assert_eq!(
        inv.os.as_ref().and_then(|o| o.version.as_deref()),
        Some("6.1")
    );

    // "CPU info": `Name` holds the processor caption, `CPU` the name.
    let inv = import_fixture("lansweeper/builtin-cpu.csv");
    let cpu = inv.cpu.as_ref().unwrap();
    assert_eq!(
        (cpu.family, cpu.model, cpu.stepping, cpu.max_mhz),
        (Some(6), Some(42), Some(7), Some(3101))
    );
    assert_eq!(
        cpu.brand.as_deref(),
        Some("Intel Core i5-2400 CPU @ 3.10GHz")
    );
}

#[test]
fn lansweeper_one_machine_for_assess_and_many_for_fleet() {
    let inv = import_fixture("lansweeper/win7-one-machine.csv");
    assert_eq!(
        inv.host.as_ref().and_then(|h| h.name.as_deref()),
        Some("ACCT-PC01")
    );
    let error = import::import_path(&fixture("lansweeper/fleet-export.csv"))
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("fleet-export.csv")
            && error.contains("Lansweeper export of 3 machines")
            && error.contains("w7plan fleet"),
        "{error}"
    );
}

#[test]
fn lansweeper_bad_input_names_the_file_and_row() {
    let rows = lansweeper_rows("lansweeper/bad/wrong-types.csv");
    assert_eq!(rows.len(), 3);
    assert!(rows[0].1.is_ok() && rows[2].1.is_ok());
    let error = rows[1].1.as_ref().unwrap_err().to_string();
    assert!(
        error.contains("wrong-types.csv, row 3")
            && error.contains("tblProcessor.NumberOfCores")
            && error.contains("`four`"),
        "{error}"
    );

    let rows = lansweeper_rows("lansweeper/bad/truncated.csv");
    assert_eq!(rows.len(), 3);
    assert!(rows[0].1.is_ok() && rows[1].1.is_ok());
    let error = rows[2].1.as_ref().unwrap_err().to_string();
    assert!(
        error.contains("truncated.csv, row 4") && error.contains("truncated row"),
        "{error}"
    );

    let text = std::fs::read_to_string(fixture("lansweeper/bad/no-assetname.csv")).unwrap();
    let error = import::lansweeper::read_text(&text, &Origin("no-assetname.csv".into()))
        .err()
        .unwrap()
        .to_string();
    assert!(
        error.contains("no-assetname.csv: row 1") && error.contains("AssetName"),
        "{error}"
    );

    // A workbook is refused by name, saying what to do.
    let error = import::import_path(&fixture("lansweeper/bad/report.xlsx"))
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("report.xlsx") && error.contains("XLSX") && error.contains("CSV"),
        "{error}"
    );
}

#[test]
fn lansweeper_export_in_a_fleet_gives_a_machine_per_row() {
    let work = tempfile::tempdir().unwrap();
    let inputs = work.path().join("ls");
    std::fs::create_dir_all(&inputs).unwrap();
    for (from, to) in [
        ("lansweeper/fleet-export.csv", "export.csv"),
        ("lansweeper/bad/wrong-types.csv", "wrong.csv"),
        ("lansweeper/bad/report.xlsx", "report.xlsx"),
    ] {
        std::fs::copy(fixture(from), inputs.join(to)).unwrap();
    }
    let out = work.path().join("out");
    assert_cmd::Command::cargo_bin("w7plan")
        .unwrap()
        .args([
            "fleet",
            "--no-machine-reports",
            "--as-of",
            "2026-11-27",
            "-o",
        ])
        .arg(&out)
        .arg(&inputs)
        .assert()
        .code(3)
        .stderr(predicates::str::contains(
            "5 machines assessed, 1 input error(s)",
        ))
        .stderr(predicates::str::contains(
            "wrong.csv, row 3: tblProcessor.NumberOfCores: expected a whole number",
        ));
    let csv = std::fs::read_to_string(out.join("fleet.csv")).unwrap();
    for host in ["ACCT-PC01", "LAB-W10-03", "FRONTDESK-02", "PC-A", "PC-C"] {
        assert!(csv.contains(host), "{host}\n{csv}");
    }
    assert!(csv.contains("Lansweeper"), "{csv}");
    // The workbook is listed as skipped, with what to do.
    let json = std::fs::read_to_string(out.join("fleet.json")).unwrap();
    assert!(
        json.contains("report.xlsx") && json.contains("XLSX"),
        "{json}"
    );
}

/// Every item of a ConfigMgr per-view export: its machines (finished as a fleet finishes them)
/// and the errors met, as text.
fn configmgr_views(dir: &Path) -> (Vec<(u64, Inventory)>, Vec<String>) {
    use import::configmgr::views::{Export, Item};
    let (mut machines, mut errors) = (Vec::new(), Vec::new());
    for item in Export::open(dir).unwrap().items() {
        match item {
            Item::Machine {
                resource,
                inventory,
            } => machines.push((resource, import::finish_inventory(*inventory))),
            Item::Error(error) => errors.push(error.to_string()),
        }
    }
    (machines, errors)
}

#[test]
fn configmgr_views_give_the_wide_exports_machines() {
    let (machines, errors) = configmgr_views(&fixture("configmgr/views"));
    assert!(errors.is_empty(), "{errors:?}");
    // One machine per v_R_System row, in its order.
    assert_eq!(
        machines.iter().map(|(r, _)| *r).collect::<Vec<_>>(),
        [16777220, 16777301, 16777355, 16777400]
    );
    // The three machines of the wide export are the same machines, fact for fact.
    let wide = configmgr_rows("configmgr/fleet-export.csv");
    for ((_, from_views), (row, from_wide)) in machines.iter().zip(wide) {
        let from_wide = import::finish_inventory(from_wide.unwrap());
        assert_eq!(
            from_views.to_yaml(),
            from_wide.to_yaml(),
            "row {row} of the wide export"
        );
    }
    // Two sockets listed CPU1 first: CPU0 names it, the cores and threads are summed; six
    // memory modules summed.
    let ws = &machines[3].1;
    let cpu = ws.cpu.as_ref().unwrap();
    assert_eq!(
        (
            cpu.family,
            cpu.model,
            cpu.stepping,
            cpu.cores,
            cpu.logical_processors
        ),
        (Some(6), Some(44), Some(2), Some(12), Some(24))
    );
    assert_eq!(
        ws.memory.as_ref().and_then(|m| m.installed_bytes),
        Some((6 * 4096) << 20)
    );
    // Drive C: although D: is listed first; disk 0 although disk 1 is listed first.
    let frontdesk = &machines[2].1;
    let storage = frontdesk.storage.as_ref().unwrap();
    let volume = storage.system_volume.as_ref().unwrap();
    assert_eq!(volume.size_bytes, Some(152525 << 20));
    let disk = ws.storage.as_ref().unwrap().system_disk.as_ref().unwrap();
    assert_eq!(disk.model.as_deref(), Some("WDC WD5003ABYX-01WERA0"));
    // The Dell's programs: its rows of the 32-bit view are not together in the file.
    let names: Vec<&str> = machines[0]
        .1
        .software
        .iter()
        .flatten()
        .filter_map(|p| p.name.as_deref())
        .collect();
    assert_eq!(
        names,
        [
            "Adobe Reader XI (11.0.23)",
            "Microsoft Office Professional Plus 2010",
            "7-Zip 16.04 (x64)"
        ]
    );
    insta::assert_yaml_snapshot!(
        "configmgr_views",
        machines.iter().map(|(_, m)| m).collect::<Vec<_>>()
    );
}

#[test]
fn configmgr_views_missing_leave_their_facts_unknown_with_the_reason() {
    let work = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(fixture("configmgr/views")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if ["TPM", "FIRMWARE", "PROCESSOR", "_64"]
            .iter()
            .all(|v| !name.contains(v))
        {
            // Any file name: the header tells the view.
            std::fs::copy(&path, work.path().join(format!("export-{name}.txt"))).unwrap();
        }
    }
    let (machines, errors) = configmgr_views(work.path());
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(machines.len(), 4);
    let hp = &machines[1].1;
    assert!(hp.cpu.is_none() && hp.tpm.is_none());
    for note in [
        "cpu: view v_GS_PROCESSOR not in the export",
        "tpm.present: view v_GS_TPM not in the export",
        "firmware.boot_mode: view v_GS_FIRMWARE not in the export",
        "software: view v_GS_ADD_REMOVE_PROGRAMS_64 not in the export: 64-bit programs are not listed",
    ] {
        assert!(hp.notes.iter().any(|n| n == note), "{note}\n{:#?}", hp.notes);
    }
    // The mapping's own note for an empty cell is replaced, not repeated.
    assert_eq!(
        hp.notes
            .iter()
            .filter(|n| n.starts_with("tpm.present:"))
            .count(),
        1
    );
    // The 32-bit view alone still lists programs.
    assert_eq!(machines[0].1.software.as_ref().map(Vec::len), Some(2));
}

#[test]
fn configmgr_views_bad_rows_name_the_file_and_row() {
    let (machines, errors) = configmgr_views(&fixture("configmgr/views-bad"));
    let has = |parts: &[&str]| {
        assert!(
            errors.iter().any(|e| parts.iter().all(|p| e.contains(p))),
            "{parts:?} in\n{errors:#?}"
        )
    };
    has(&["systems.csv, row 5", "ResourceID 101 is listed twice"]);
    has(&["processors.csv, row 3", "NumberOfCores0", "`four`"]);
    has(&[
        "processors.csv, row 4",
        "ResourceID 999 is not in v_R_System",
    ]);
    has(&[
        "processors.csv, row 5",
        "ResourceID: expected a whole number, found `PC-C`",
    ]);
    has(&["processors.csv, row 6", "truncated row"]);
    has(&["disks.csv", "no `ResourceID` column"]);
    has(&["programs.csv, row 3", "`abc`"]);
    // A cell the mapping refuses names the view's file and row, and that machine only fails.
    has(&["os.csv, row 4 (ResourceID 103)", "OSLanguage0", "`English`"]);
    assert_eq!(errors.len(), 8, "{errors:#?}");
    let names: Vec<&str> = machines
        .iter()
        .filter_map(|(_, m)| m.host.as_ref()?.name.as_deref())
        .collect();
    assert_eq!(names, ["PC-A", "PC-B"]);
    assert_eq!(
        machines[0].1.software.as_ref().map(Vec::len),
        Some(1),
        "PC-A's program"
    );
}

#[test]
fn configmgr_views_folder_in_import_assess_and_fleet() {
    // `import` and `assess` take one machine: a folder of four says what to run instead.
    let error = import::import_path(&fixture("configmgr/views"))
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("4 machines") && error.contains("w7plan fleet"),
        "{error}"
    );
    let work = tempfile::tempdir().unwrap();
    let one = work.path().join("one-pc");
    std::fs::create_dir_all(&one).unwrap();
    for entry in std::fs::read_dir(fixture("configmgr/views")).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let mut lines = text.split_inclusive('\n');
        let kept: String = lines
            .next()
            .into_iter()
            .chain(lines.filter(|l| l.starts_with("16777355,")))
            .collect();
        std::fs::write(one.join(path.file_name().unwrap()), kept).unwrap();
    }
    let inv = import_fixture_path(&one);
    assert_eq!(
        inv.host.as_ref().and_then(|h| h.name.as_deref()),
        Some("FRONTDESK-02")
    );
    assert_cmd::Command::cargo_bin("w7plan")
        .unwrap()
        .args(["assess", "--as-of", "2026-11-27", "-f", "json"])
        .arg(&one)
        .assert()
        .stdout(predicates::str::contains("FRONTDESK-02"));

    // In a fleet walk: one machine per ResourceID, the folder's files never read one by one; a
    // view file without its v_R_System is listed as skipped with the reason.
    let inputs = work.path().join("inputs");
    copy_dir(&fixture("configmgr/views"), &inputs.join("site-a"));
    let lone = inputs.join("lone");
    std::fs::create_dir_all(&lone).unwrap();
    std::fs::copy(
        fixture("configmgr/views/v_GS_PROCESSOR.csv"),
        lone.join("cpus.csv"),
    )
    .unwrap();
    let out = work.path().join("out");
    assert_cmd::Command::cargo_bin("w7plan")
        .unwrap()
        .args([
            "fleet",
            "--no-machine-reports",
            "--as-of",
            "2026-11-27",
            "-o",
        ])
        .arg(&out)
        .arg(&inputs)
        .assert()
        .code(0)
        .stderr(predicates::str::contains(
            "4 machines assessed, 0 input error(s)",
        ))
        .stderr(predicates::str::contains(
            "one view (v_GS_PROCESSOR) of a ConfigMgr per-view export",
        ));
    let csv = std::fs::read_to_string(out.join("fleet.csv")).unwrap();
    for host in ["ACCT-PC01", "LAB-W10-03", "FRONTDESK-02", "ENG-WS-04"] {
        assert_eq!(csv.matches(host).count(), 1, "{host}\n{csv}");
    }
    assert!(csv.contains("site-a, ResourceID 16777400"), "{csv}");
}

fn import_fixture_path(path: &Path) -> Inventory {
    import::import_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, to.join(path.file_name().unwrap())).unwrap();
    }
}

#[test]
fn configmgr_views_query_selects_only_views_the_reader_takes() {
    use import::configmgr::views::View;
    let sql = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("collectors/configmgr/w7plan-views.sql"),
    )
    .unwrap();
    let selected: Vec<&str> = sql
        .lines()
        .filter(|l| !l.trim_start().starts_with("--"))
        .flat_map(|l| l.split("FROM ").skip(1))
        .filter_map(|rest| rest.split_whitespace().next())
        .map(|v| v.trim_end_matches(';'))
        .collect();
    let names: Vec<&str> = View::ALL.iter().map(|v| v.name()).collect();
    assert_eq!(
        selected, names,
        "one SELECT per view, in the reader's order"
    );
}
