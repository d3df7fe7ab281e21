//! No input makes an importer panic: every fixture, cut at many lengths, with bytes flipped (a
//! fixed seed, so failures reproduce), empty, all 0xFF, and as odd-length UTF-16, goes through
//! every importer (the msinfo32, GLPI, ConfigMgr, Lansweeper, Open-AudIT and PowerShell readers included). The cargo-fuzz targets in fuzz/
//! explore further; this runs in `cargo test`.

use std::path::{Path, PathBuf};
use w7plan::error::Origin;
use w7plan::facts::import::{
    self, bcdedit, configmgr, evidence, glpi, hwreadiness, lansweeper, msinfo32, openaudit,
    powershell, reg, systeminfo, text, wmic,
};

fn fixture_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut stack = vec![
        fixtures.join("evidence"),
        fixtures.join("msinfo32"),
        fixtures.join("glpi"),
        fixtures.join("ocs"),
        fixtures.join("configmgr"),
        fixtures.join("lansweeper"),
        fixtures.join("openaudit"),
        fixtures.join("powershell"),
        fixtures.join("wmic"),
    ];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_none_or(|e| e != "py" && e != "md") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// Every importer, on the same bytes.
fn all_importers(bytes: &[u8]) {
    let origin = Origin("fuzz".into());
    if let Ok(fragment) = import::import_bytes(bytes, &origin) {
        import::finish_single(fragment);
    }
    let decoded = text::decode(bytes).text;
    let _ = text::decode_with(bytes, Some("zh-cn"));
    let _ = text::decode_with(bytes, Some("ru"));
    let _ = systeminfo::import(&decoded);
    let outputs = [
        wmic::parse(&decoded),
        wmic::parse_as(&decoded, Some(wmic::Class::Tpm)),
    ];
    let _ = wmic::to_inventory(&outputs, Some(true));
    let _ = wmic::to_inventory(&outputs, None);
    if let Ok(file) = reg::parse(bytes, &origin) {
        let _ = reg::to_inventory(&[&file]);
    }
    let _ = bcdedit::import(&decoded);
    let _ = hwreadiness::import(&decoded, &origin);
    let report = msinfo32::parse_report(&decoded);
    let _ = msinfo32::to_inventory(&report);
    if let Ok(report) = msinfo32::parse_nfo(&decoded, &origin) {
        let _ = msinfo32::to_inventory(&report);
    }
    for (tree, xml) in [
        (glpi::from_xml(&decoded, &origin), true),
        (glpi::from_json(&decoded, &origin), false),
    ] {
        if let Ok(tree) = tree {
            let _ = glpi::to_inventory(&tree, xml, &origin);
        }
    }
    if let Ok(rows) = configmgr::Rows::new(bytes, &origin) {
        rows.for_each(drop);
    }
    let _ = configmgr::read_text(&decoded, &origin);
    if let Ok(rows) = lansweeper::Rows::new(bytes, &origin) {
        rows.for_each(drop);
    }
    let _ = lansweeper::read_text(&decoded, &origin);
    let _ = lansweeper::sniff(&decoded);
    let _ = openaudit::import(&decoded, &origin);
    let _ = powershell::computerinfo::sniff_list(&decoded);
    let _ = powershell::computerinfo::import_list(&decoded, &origin);
    let _ = powershell::computerinfo::import_json(&decoded, &origin);
    let _ = powershell::cim::import(&decoded, &origin);
    let _ = powershell::uninstall::import(&decoded, &origin);
    let _ = evidence::parse_manifest(&decoded);
    let _ = evidence::started_at(&decoded);
    let _ = text::regional_date(&decoded, &decoded);
    let _ = text::cim_datetime(&decoded);
}

/// A small xorshift generator: the same flips on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn mutated_fixtures_never_panic() {
    let files = fixture_files();
    assert!(files.len() > 40);
    // The files are shared out between threads: this is the suite's longest test. Each file
    // has its own random sequence, so what a file is fed does not depend on the scheduling.
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    let files: Vec<(usize, &PathBuf)> = files.iter().enumerate().collect();
    std::thread::scope(|scope| {
        for share in files.chunks(files.len().div_ceil(workers)) {
            scope.spawn(move || {
                for (index, path) in share {
                    mutate_and_import(path, *index as u64);
                }
            });
        }
    });
    for special in [
        Vec::new(),
        vec![0xff; 1024],
        vec![0; 1024],
        b"\xff\xfe\x00".to_vec(),
        b"\xfe\xff\xd8\x00".to_vec(),
        b"\xef\xbb\xbf".to_vec(),
        b"\xff\xfe\x00\xd8\x00\xd8".to_vec(),
        "Windows Registry Editor Version 5.00\r\n[A]\r\n\"x\"=hex("
            .as_bytes()
            .to_vec(),
        "REGEDIT4\n[A]\n\"x\"=\"unterminated\n\"y\"=dword:zz\n@=hex(ffffffffff):1,2\n"
            .as_bytes()
            .to_vec(),
        "Host Name:   \u{4e3b}\n OS\u{a0}:\u{a0}"
            .as_bytes()
            .to_vec(),
        "{\"logging\": \"}}}{{{; : . ; Processor: {=; }. PASS\"}"
            .as_bytes()
            .to_vec(),
        "\"a\",\"b\n\"c".as_bytes().to_vec(),
        "A  B\nxx\n".as_bytes().to_vec(),
    ] {
        all_importers(&special);
    }
}

/// Every cut of the file's start and 24 random damages of it, through every importer.
fn mutate_and_import(path: &Path, index: u64) {
    let bytes = std::fs::read(path).unwrap();
    let mut rng = Rng((0x5eed_1234_abcd_0001 ^ index.wrapping_mul(0x9e37_79b9_7f4a_7c15)) | 1);
    // Cut at every N bytes (N keeps each file to about 40 cuts), and at every odd length in the
    // first bytes, where the BOM and headers are.
    let step = (bytes.len() / 40).max(1);
    for end in (0..bytes.len()).step_by(step).chain(0..bytes.len().min(48)) {
        all_importers(&bytes[..end]);
    }
    for _ in 0..24 {
        let mut mutated = bytes.clone();
        for _ in 0..(1 + rng.next() % 8) {
            if mutated.is_empty() {
                break;
            }
            let at = (rng.next() as usize) % mutated.len();
            mutated[at] = match rng.next() % 4 {
                0 => 0,
                1 => 0xff,
                2 => mutated[at] ^ (1 << (rng.next() % 8)),
                _ => rng.next() as u8,
            };
        }
        all_importers(&mutated);
    }
    // Odd-length UTF-16 (a byte lost at the end) and without its BOM.
    if bytes.starts_with(b"\xff\xfe") && bytes.len() > 3 {
        all_importers(&bytes[..bytes.len() - 1]);
        all_importers(&bytes[2..bytes.len() - 1]);
    }
}

#[test]
fn damaged_evidence_folders_never_panic() {
    let source = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/evidence/elevated/PC-01-20261120-0914");
    let names: Vec<PathBuf> = std::fs::read_dir(&source)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    let mut rng = Rng(42);
    for damaged in &names {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("PC-01-20261120-0914");
        std::fs::create_dir(&folder).unwrap();
        for path in &names {
            let mut bytes = std::fs::read(path).unwrap();
            if path == damaged {
                let cut = (rng.next() as usize) % bytes.len().max(1);
                bytes.truncate(cut);
                if let Some(b) = bytes.get_mut(cut / 2) {
                    *b ^= 0x5a;
                }
            }
            std::fs::write(folder.join(path.file_name().unwrap()), bytes).unwrap();
        }
        let _ = import::import_evidence_dir(&folder);
    }
}
