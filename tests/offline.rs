//! Windows installations that are not running: a folder laid out as a Windows 7 volume, the hive
//! files alone, dirty hives with and without their logs, and hostile hives. Every hive is written
//! by the project's own hive writer (`w7plan::facts::import::offline::hive_writer`), never taken from a machine.

use assert_cmd::Command;
use std::path::Path;
use w7plan::facts::import::offline::hive_writer::{self, SAMPLE_KEY};

fn w7plan() -> Command {
    Command::cargo_bin("w7plan").unwrap()
}

/// The sample Windows 7 volume in a temporary folder, in mixed letter case as a copied or
/// case-sensitive mount may show it.
fn volume() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let files: Vec<(String, Vec<u8>)> = hive_writer::windows7_files()
        .into_iter()
        .map(|(path, bytes)| (path.replace("System32/config", "system32/CONFIG"), bytes))
        .collect();
    hive_writer::write_tree(dir.path(), &files).unwrap();
    dir
}

fn stdout(cmd: &mut Command) -> String {
    let out = cmd.assert().success().get_output().stdout.clone();
    String::from_utf8(out).unwrap()
}

fn import(path: &Path) -> w7plan::facts::inventory::Inventory {
    w7plan::facts::import::import_path(path).unwrap()
}

#[test]
fn a_windows_7_volume_imports_with_its_facts_and_their_sources() {
    let dir = volume();
    let inventory = import(dir.path());
    let mut shown = inventory.clone();
    // The temporary folder's name changes from run to run.
    let place = dir.path().display().to_string();
    for from in shown.sources.iter_mut().flat_map(|s| s.values_mut()) {
        *from = from.replace(&place, "<volume>");
    }
    shown.notes = shown
        .notes
        .iter()
        .map(|n| n.replace(&place, "<volume>"))
        .collect();
    insta::assert_snapshot!(
        "offline-windows7-volume",
        w7plan::facts::productkey::redact(&shown, false).to_yaml()
    );
    let license = inventory.license.unwrap();
    assert_eq!(license.product_key.as_deref(), Some(SAMPLE_KEY));
}

#[test]
fn assess_reports_the_installation() {
    let dir = volume();
    let html = stdout(
        w7plan()
            .args(["assess", "--format", "html", "--as-of", "2026-12-01"])
            .arg(dir.path()),
    );
    for shown in [
        "PC-OFFICE-07",
        "Windows 7 Professional",
        "7601",
        "Service Pack 1",
        "x64",
        "family 6, model 58, stepping 9",
        "Microsoft Security Essentials",
    ] {
        assert!(html.contains(shown), "{shown} is not in the report");
    }
    assert!(!html.contains(SAMPLE_KEY), "the key is masked");
    let json = stdout(
        w7plan()
            .args(["assess", "--format", "json", "--as-of", "2026-12-01"])
            .arg(dir.path()),
    );
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(report["os"]["edition"], "Professional");
    assert_eq!(report["os"]["build"], 7601);
    assert_eq!(report["os"]["arch"], "x64");
    assert_eq!(report["host"]["name"], "PC-OFFICE-07");
    assert_eq!(report["plan"]["licence"]["channel"]["family"], "oem");
}

#[test]
fn key_decode_prints_the_key_masked_or_in_full() {
    let dir = volume();
    let masked = stdout(w7plan().args(["key", "decode"]).arg(dir.path()));
    assert!(
        masked.starts_with("XXXXX-XXXXX-XXXXX-XXXXX-6789B\n"),
        "{masked}"
    );
    assert!(masked.contains("--reveal-keys"), "{masked}");
    assert!(masked.contains("OEM marker"), "{masked}");
    let full = stdout(
        w7plan()
            .args(["key", "decode", "--reveal-keys"])
            .arg(dir.path()),
    );
    assert!(full.starts_with(&format!("{SAMPLE_KEY}\n")), "{full}");
    // The SOFTWARE hive alone gives the same key.
    let software = dir.path().join("Windows/system32/CONFIG/SOFTWARE");
    let alone = stdout(
        w7plan()
            .args(["key", "decode", "--reveal-keys"])
            .arg(&software),
    );
    assert!(alone.starts_with(&format!("{SAMPLE_KEY}\n")), "{alone}");
}

#[test]
fn hive_files_alone_are_told_by_content() {
    let dir = tempfile::tempdir().unwrap();
    // Names that say nothing: the content tells which hive each is.
    let files = [
        ("a.bin", hive_writer::windows7_software(true).to_bytes()),
        ("b.bin", hive_writer::windows7_system().to_bytes()),
        ("c.bin", hive_writer::windows7_user().to_bytes()),
    ];
    for (name, bytes) in &files {
        std::fs::write(dir.path().join(name), bytes).unwrap();
    }
    let software = import(&dir.path().join("a.bin"));
    assert_eq!(software.os.as_ref().unwrap().build, Some(7601));
    let system = import(&dir.path().join("b.bin"));
    assert_eq!(system.host.unwrap().name.as_deref(), Some("PC-OFFICE-07"));
    let user = import(&dir.path().join("c.bin"));
    assert_eq!(
        user.software.unwrap()[0].name.as_deref(),
        Some("Example Sync")
    );
    // A hive with none of their keys is read but not used.
    let mut other = hive_writer::HiveWriter::new("SAM");
    other.key(r"SAM\Domains\Account");
    std::fs::write(dir.path().join("d.bin"), other.to_bytes()).unwrap();
    let error = w7plan::facts::import::import_path(&dir.path().join("d.bin")).unwrap_err();
    assert_eq!(error.code(), "import-not-used");
}

#[test]
fn a_dirty_hive_is_replayed_from_its_log_or_noted_as_stale() {
    let old = hive_writer::windows7_software(false).to_bytes();
    let new = hive_writer::windows7_software(true).to_bytes();
    let (primary, log) = hive_writer::dirty_with_log(&old, &new);

    let dir = volume();
    let config = dir.path().join("Windows/system32/CONFIG");
    std::fs::write(config.join("SOFTWARE"), &primary).unwrap();
    std::fs::write(config.join("SOFTWARE.LOG1"), &log).unwrap();
    let replayed = import(dir.path());
    let os = replayed.os.as_ref().unwrap();
    assert_eq!((os.build, os.service_pack), (Some(7601), Some(1)));
    assert!(
        replayed
            .notes
            .iter()
            .any(|n| n.contains("SOFTWARE.LOG1 was replayed")),
        "{:?}",
        replayed.notes
    );

    std::fs::remove_file(config.join("SOFTWARE.LOG1")).unwrap();
    let stale = import(dir.path());
    let os = stale.os.as_ref().unwrap();
    assert_eq!((os.build, os.service_pack), (Some(7600), Some(0)));
    assert!(
        stale.notes.iter().any(|n| n.contains("may be stale")),
        "{:?}",
        stale.notes
    );
}

#[test]
fn hostile_hives_exit_2_without_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let good = hive_writer::windows7_software(true).to_bytes();
    let mut cases: Vec<(&str, Vec<u8>)> = vec![
        ("truncated", good[..4200].to_vec()),
        ("header-only", b"regf".to_vec()),
    ];
    let mut bad_root = good.clone();
    bad_root[36..40].copy_from_slice(&0x7FFF_FFF0u32.to_le_bytes());
    cases.push(("bad-root", bad_root));
    let mut huge_bins = good.clone();
    huge_bins[40..44].copy_from_slice(&u32::MAX.to_le_bytes());
    huge_bins[4096..4100].copy_from_slice(b"xxxx");
    cases.push(("no-bin", huge_bins));
    for (name, bytes) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let out = w7plan()
            .arg("assess")
            .arg(&path)
            .timeout(std::time::Duration::from_secs(30))
            .assert()
            .code(2)
            .get_output()
            .clone();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
        assert!(stderr.contains("registry hive"), "{name}: {stderr}");
    }
}

#[test]
fn a_fleet_reads_a_windows_volume_as_one_machine() {
    let root = tempfile::tempdir().unwrap();
    let files: Vec<(String, Vec<u8>)> = hive_writer::windows7_files()
        .into_iter()
        .map(|(path, bytes)| (format!("disks/pc07/{path}"), bytes))
        .collect();
    hive_writer::write_tree(root.path(), &files).unwrap();
    let out = root.path().join("out");
    w7plan()
        .args(["fleet", "--as-of", "2026-12-01", "-o"])
        .arg(&out)
        .arg(root.path().join("disks"))
        .assert()
        .success();
    let reports: Vec<String> = std::fs::read_dir(out.join("machines"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".html"))
        .collect();
    assert_eq!(reports.len(), 1, "{reports:?}");
    assert!(reports[0].starts_with("PC-OFFICE-07"), "{reports:?}");
}

/// One PC's hives copied off its disk into a folder, under names that say nothing of what they
/// are (plus a SAM, which holds no facts, and a log that must not count as a hive).
fn loose_hives(dir: &Path, host: &str) {
    let mut system = hive_writer::windows7_system();
    system
        .key(r"ControlSet001\Control\ComputerName\ComputerName")
        .sz("ComputerName", host);
    let mut sam = hive_writer::HiveWriter::new("SAM");
    sam.key(r"SAM\Domains\Account");
    let files = [
        ("system.hiv", system.to_bytes()),
        (
            "software.hiv",
            hive_writer::windows7_software(true).to_bytes(),
        ),
        ("SAM", sam.to_bytes()),
        ("jane-NTUSER.DAT", hive_writer::windows7_user().to_bytes()),
    ];
    std::fs::create_dir_all(dir).unwrap();
    for (name, bytes) in files {
        std::fs::write(dir.join(name), bytes).unwrap();
    }
}

#[test]
fn a_folder_of_loose_hives_is_one_machine() {
    let root = tempfile::tempdir().unwrap();
    loose_hives(&root.path().join("pc07"), "PC-OFFICE-07");
    loose_hives(&root.path().join("pc08"), "PC-OFFICE-08");

    // `import` of the folder: the facts of all its hives in one inventory.
    let inventory = import(&root.path().join("pc07"));
    assert_eq!(
        inventory.host.as_ref().unwrap().name.as_deref(),
        Some("PC-OFFICE-07")
    );
    assert_eq!(inventory.os.as_ref().unwrap().build, Some(7601));
    assert!(
        inventory
            .software
            .as_ref()
            .unwrap()
            .iter()
            .any(|p| p.name.as_deref() == Some("Example Sync")),
        "{:?}",
        inventory.software
    );

    // A fleet over the parent: one machine per folder, whichever folder is named.
    for input in [root.path().to_path_buf(), root.path().join("pc07")] {
        let out = tempfile::tempdir().unwrap();
        w7plan()
            .args(["fleet", "--as-of", "2026-12-01", "-o"])
            .arg(out.path())
            .arg(&input)
            .assert()
            .success();
        let fleet: serde_json::Value =
            serde_json::from_slice(&std::fs::read(out.path().join("fleet.json")).unwrap()).unwrap();
        let mut hosts: Vec<&str> = fleet["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["host"].as_str().unwrap())
            .collect();
        hosts.sort();
        let expected: &[&str] = if input == root.path() {
            &["PC-OFFICE-07", "PC-OFFICE-08"]
        } else {
            &["PC-OFFICE-07"]
        };
        assert_eq!(hosts, expected, "{fleet:#}");
    }

    // Two SOFTWARE hives in one folder are two installations: refused, naming both.
    std::fs::write(
        root.path().join("pc07/other-software"),
        hive_writer::windows7_software(false).to_bytes(),
    )
    .unwrap();
    let error = w7plan::facts::import::import_path(&root.path().join("pc07")).unwrap_err();
    let message = error.to_string();
    assert!(
        message.contains("other-software") && message.contains("software.hiv"),
        "{message}"
    );
}

/// The fuzz target's seeds (fuzz/seeds/hive) are the writer's sample hives: a clean SOFTWARE, a
/// SYSTEM, a user's hive and a dirty SOFTWARE followed by its log. Each must still read;
/// `W7PLAN_WRITE_SEEDS=1` rewrites them after a change to the writer.
#[test]
fn the_fuzz_seeds_are_the_writers_hives() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds/hive");
    let old = hive_writer::windows7_software(false).to_bytes();
    let (primary, log) =
        hive_writer::dirty_with_log(&old, &hive_writer::windows7_software(true).to_bytes());
    let seeds = [
        (
            "software.hive",
            hive_writer::windows7_software(true).to_bytes(),
        ),
        ("system.hive", hive_writer::windows7_system().to_bytes()),
        ("ntuser.hive", hive_writer::windows7_user().to_bytes()),
        ("software-dirty-with-log.hive", [primary, log].concat()),
    ];
    if std::env::var_os("W7PLAN_WRITE_SEEDS").is_some() {
        std::fs::create_dir_all(&dir).unwrap();
        for (name, bytes) in &seeds {
            std::fs::write(dir.join(name), bytes).unwrap();
        }
    }
    for (name, bytes) in &seeds {
        let committed = std::fs::read(dir.join(name)).unwrap();
        assert_eq!(
            &committed, bytes,
            "{name} is stale: run with W7PLAN_WRITE_SEEDS=1"
        );
        let inventory =
            w7plan::facts::import::offline::inventory_of_hive_bytes(&committed).unwrap();
        assert!(inventory.os.is_some() || inventory.host.is_some() || inventory.software.is_some());
    }
    let dirty = w7plan::facts::import::offline::inventory_of_hive_bytes(&seeds[3].1).unwrap();
    assert_eq!(dirty.os.unwrap().build, Some(7601), "the log was replayed");
}

#[test]
fn any_volume_gives_the_same_inventory_as_the_folder() {
    let dir = volume();
    let from_folder = import(dir.path());
    let mut memory = hive_writer::MemoryVolume::new(
        "disk.vhdx, partition 2 (NTFS)",
        hive_writer::windows7_files(),
        Some(128_849_018_880),
    );
    let from_image = w7plan::facts::import::offline::from_volume(&mut memory)
        .unwrap()
        .inventory();
    let size = from_image
        .storage
        .as_ref()
        .and_then(|s| s.system_volume.as_ref())
        .and_then(|v| v.size_bytes);
    assert_eq!(size, Some(128_849_018_880));
    let comparable = |inventory: &w7plan::facts::inventory::Inventory| {
        let mut inventory = inventory.clone();
        inventory.sources = None;
        inventory.storage = None;
        inventory.notes.clear();
        inventory
    };
    assert_eq!(comparable(&from_image), comparable(&from_folder));
    assert!(from_image.sources.unwrap()["os"].contains("disk.vhdx, partition 2 (NTFS)"));

    // A volume with neither hive is not an installation.
    let mut empty = hive_writer::MemoryVolume::new("empty", Vec::new(), None);
    let error = w7plan::facts::import::offline::from_volume(&mut empty).unwrap_err();
    assert_eq!(error.code(), "import-failed");
}
