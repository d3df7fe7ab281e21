//! The importers of other tools' and engines' exports (msinfo32; GLPI), on fixtures written in
//! each format (their README cites the format) and on bad input: what each must read, and a clear
//! error naming the file and the place for what it cannot.

use std::path::{Path, PathBuf};
use w7plan::error::Origin;
use w7plan::import;
use w7plan::inventory::{Arch, Inventory};

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
