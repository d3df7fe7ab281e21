//! Imports the real Windows outputs in ../shared/samples in place (they are not copied into the
//! repository) and checks what each Windows 7 file must give. The Windows 10/11, XP and other
//! files must import or be refused cleanly, never panic. Skipped with a message when the samples
//! folder is absent.

use std::path::{Path, PathBuf};
use w7plan::error::Origin;
use w7plan::facts::import::{self, text::Encoding};
use w7plan::facts::inventory::{Arch, Inventory};

fn samples() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/samples");
    if dir.is_dir() {
        Some(dir)
    } else {
        println!("skipped: {} does not exist", dir.display());
        None
    }
}

fn read(dir: &Path, name: &str) -> Option<Vec<u8>> {
    match std::fs::read(dir.join(name)) {
        Ok(bytes) => Some(bytes),
        Err(e) => {
            println!("skipped {name}: {e}");
            None
        }
    }
}

fn import(dir: &Path, name: &str) -> Option<Inventory> {
    let bytes = read(dir, name)?;
    let fragment = import::import_bytes(&bytes, &Origin(name.to_string()))
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    Some(import::finish_single(fragment))
}

/// What a systeminfo file must give.
struct Systeminfo {
    file: &'static str,
    host: &'static str,
    edition: &'static str,
    build: u32,
    service_pack: u32,
    arch: Arch,
    visible_mb: u64,
    hotfixes: u32,
    /// How many the list shows when Windows 7 cut it at 245.
    truncated_at: Option<u32>,
    cpu: (u32, u32, u32),
}

const WINDOWS_7_SYSTEMINFO: &[Systeminfo] = &[
    Systeminfo {
        file: "systeminfo/wesng__7_sp1_x64_enterprise_en-us_A_systeminfo.txt",
        host: "WIN7SP1X64",
        edition: "Enterprise",
        build: 7601,
        service_pack: 1,
        arch: Arch::X64,
        visible_mb: 4095,
        hotfixes: 219,
        truncated_at: None,
        cpu: (6, 78, 3),
    },
    Systeminfo {
        file: "systeminfo/wesng__7_sp1_x64_enterprise_en-us_B_systeminfo.txt",
        host: "WIN7SP1X64",
        edition: "Enterprise",
        build: 7601,
        service_pack: 1,
        arch: Arch::X64,
        visible_mb: 4095,
        hotfixes: 271,
        truncated_at: Some(245),
        cpu: (6, 78, 3),
    },
    Systeminfo {
        file: "systeminfo/wesng__7_sp1_x64_enterprise_fr_systeminfo_cmd.txt",
        host: "WIN-IDKKFN87EL8",
        edition: "EnterpriseN",
        build: 7601,
        service_pack: 1,
        arch: Arch::X64,
        visible_mb: 2047,
        hotfixes: 73,
        truncated_at: None,
        cpu: (6, 158, 9),
    },
    Systeminfo {
        file: "systeminfo/wesng__7_sp1_x64_enterprise_fr_systeminfo_powershell.txt",
        host: "WIN-IDKKFN87EL8",
        edition: "EnterpriseN",
        build: 7601,
        service_pack: 1,
        arch: Arch::X64,
        visible_mb: 2047,
        hotfixes: 93,
        truncated_at: None,
        cpu: (6, 158, 9),
    },
    Systeminfo {
        file: "systeminfo/wesng__7_sp1_x64_ultimaten_de_systeminfo.txt",
        host: "OLI7-PC",
        edition: "UltimateN",
        build: 7601,
        service_pack: 1,
        arch: Arch::X64,
        visible_mb: 16155,
        hotfixes: 263,
        truncated_at: Some(245),
        cpu: (6, 42, 7),
    },
    Systeminfo {
        file: "systeminfo/wesng__7_sp1_x86_enterprise_en-us_systeminfo.txt",
        host: "WIN7SP1X86",
        edition: "Enterprise",
        build: 7601,
        service_pack: 1,
        arch: Arch::X86,
        visible_mb: 1023,
        hotfixes: 2,
        truncated_at: None,
        cpu: (6, 78, 3),
    },
    Systeminfo {
        file: "systeminfo/gilmotta__win7_pro_sp1_x64_en-us_FO_CSV_systeminfo.csv",
        host: "FDSLTRD2015",
        edition: "Professional",
        build: 7601,
        service_pack: 1,
        arch: Arch::X64,
        visible_mb: 15998,
        hotfixes: 223,
        truncated_at: None,
        cpu: (6, 60, 3),
    },
];

#[test]
fn windows_7_systeminfo() {
    let Some(dir) = samples() else { return };
    for expected in WINDOWS_7_SYSTEMINFO {
        let Some(inv) = import(&dir, expected.file) else {
            continue;
        };
        let what = expected.file;
        let os = inv.os.as_ref().unwrap();
        assert_eq!(
            inv.host.as_ref().unwrap().name.as_deref(),
            Some(expected.host),
            "{what}"
        );
        assert_eq!(os.edition.as_deref(), Some(expected.edition), "{what}");
        assert_eq!(os.build, Some(expected.build), "{what}");
        assert_eq!(os.service_pack, Some(expected.service_pack), "{what}");
        assert_eq!(os.version.as_deref(), Some("6.1"), "{what}");
        assert_eq!(os.arch, Some(expected.arch), "{what}");
        assert_eq!(os.hotfix_count, Some(expected.hotfixes), "{what}");
        assert_eq!(
            inv.memory.as_ref().unwrap().visible_bytes,
            Some(expected.visible_mb << 20),
            "{what}"
        );
        let cpu = inv.cpu.as_ref().unwrap();
        assert_eq!(
            (cpu.family, cpu.model, cpu.stepping),
            (
                Some(expected.cpu.0),
                Some(expected.cpu.1),
                Some(expected.cpu.2)
            ),
            "{what}"
        );
        assert_eq!(cpu.vendor.as_deref(), Some("GenuineIntel"), "{what}");
        let truncation = inv
            .notes
            .iter()
            .find(|n| n.contains("hotfix list is incomplete"));
        match expected.truncated_at {
            Some(listed) => {
                let note = truncation.unwrap_or_else(|| panic!("{what}: no truncation note"));
                assert!(
                    note.contains(&format!("lists {listed} of the {}", expected.hotfixes)),
                    "{what}: {note}"
                );
            }
            None => assert!(truncation.is_none(), "{what}: {truncation:?}"),
        }
    }
}

#[test]
fn windows_7_systeminfo_details() {
    let Some(dir) = samples() else { return };
    if let Some(bytes) = read(
        &dir,
        "systeminfo/wesng__7_sp1_x64_enterprise_fr_systeminfo_cmd.txt",
    ) {
        assert_eq!(import::text::decode(&bytes).encoding, Encoding::Cp850);
    }
    if let Some(inv) = import(
        &dir,
        "systeminfo/wesng__7_sp1_x64_enterprise_fr_systeminfo_cmd.txt",
    ) {
        let os = inv.os.unwrap();
        assert_eq!(os.name.as_deref(), Some("Microsoft Windows 7 Entreprise N"));
        assert_eq!(os.installed_on.as_deref(), Some("2019-04-29"));
        assert_eq!(
            (os.language.as_deref(), os.locale.as_deref()),
            (Some("fr"), Some("fr"))
        );
        assert_eq!(inv.firmware.unwrap().date.as_deref(), Some("2018-04-13"));
    }
    if let Some(inv) = import(
        &dir,
        "systeminfo/wesng__7_sp1_x64_enterprise_en-us_A_systeminfo.txt",
    ) {
        let os = inv.os.unwrap();
        assert_eq!(os.installed_on.as_deref(), Some("2014-04-25"));
        assert_eq!(os.locale.as_deref(), Some("en-US"));
        assert_eq!(
            inv.license.unwrap().product_id.as_deref(),
            Some("00392-918-5000002-85041")
        );
    }
    if let Some(inv) = import(
        &dir,
        "systeminfo/gilmotta__win7_pro_sp1_x64_en-us_FO_CSV_systeminfo.csv",
    ) {
        assert_eq!(
            inv.license.unwrap().product_id.as_deref(),
            Some("00371-OEM-8992671-00437")
        );
        assert_eq!(inv.host.unwrap().model.as_deref(), Some("20BG0014US"));
    }
}

#[test]
fn windows_7_wmic_and_registry() {
    let Some(dir) = samples() else { return };
    if let Some(inv) = import(&dir, "wmic/glpi-agent__7-Win32_Processor.wmi") {
        let cpu = inv.cpu.unwrap();
        assert_eq!(
            cpu.brand.as_deref(),
            Some("Intel(R) Core(TM) i5-2300 CPU @ 2.80GHz")
        );
        assert_eq!(
            (cpu.family, cpu.model, cpu.stepping),
            (Some(6), Some(42), Some(7))
        );
        assert_eq!((cpu.cores, cpu.logical_processors), (Some(4), Some(4)));
        assert_eq!(cpu.max_mhz, Some(2801));
        assert_eq!((cpu.address_width, cpu.data_width), (Some(32), Some(64)));
        assert_eq!(cpu.arch, Some(Arch::X64));
    }
    if let Some(inv) = import(&dir, "wmic/glpi-agent__7-Win32_PhysicalMemory.wmi") {
        assert_eq!(inv.memory.unwrap().installed_bytes, Some(4 << 30));
    }
    // Named x64 SP1 by its repository, the content is Windows 7 Professionnel RTM, 32-bit.
    if let Some(inv) = import(
        &dir,
        "wmic/glpi-agent__win7-sp1-x64-Win32_OperatingSystem.wmi",
    ) {
        let os = inv.os.as_ref().unwrap();
        assert_eq!(
            os.name.as_deref(),
            Some("Microsoft Windows 7 Professionnel")
        );
        assert_eq!(os.edition.as_deref(), Some("Professional"));
        assert_eq!((os.build, os.service_pack), (Some(7600), Some(0)));
        assert_eq!(os.arch, Some(Arch::X86), "OSArchitecture=32 bits");
        assert_eq!(os.language.as_deref(), Some("fr-FR"));
        assert_eq!(os.installed_on.as_deref(), Some("2013-08-13"));
        assert_eq!(inv.host.unwrap().name.as_deref(), Some("LUBIANKA"));
        assert_eq!(inv.memory.unwrap().visible_bytes, Some(2096696 * 1024));
        assert_eq!(inv.collected_at.as_deref(), Some("2013-08-22T18:44:47Z"));
        assert_eq!(inv.cpu.unwrap().features.unwrap().get("nx"), Some(&true));
    }
    if let Some(inv) = import(&dir, "wmic/glpi-agent__win7-sp1-x64-Win32_LogicalDisk.wmi") {
        let volume = inv.storage.unwrap().system_volume.unwrap();
        assert_eq!(volume.letter.as_deref(), Some("C:"));
        assert_eq!(volume.size_bytes, Some(64317550592));
        assert_eq!(volume.free_bytes, Some(38306471936));
    }
    if let Some(inv) = import(&dir, "wmic/glpi-agent__win7-sp1-x64-Win32_DiskDrive.wmi") {
        let disk = inv.storage.unwrap().system_disk.unwrap();
        assert_eq!(disk.size_bytes, Some(107372805120));
        assert_eq!(disk.model.as_deref(), Some("VBOX HARDDISK ATA Device"));
    }
    if let Some(inv) = import(
        &dir,
        "wmic/wesng__7_sp1_x64_enterprise_en-us_20190305_qfe.txt",
    ) {
        assert_eq!(
            inv.os.unwrap().hotfix_count,
            Some(276),
            "the full list, table form"
        );
    }
    if let Some(inv) = import(&dir, "reg/glpi-agent__7-CentralProcessor.reg") {
        let cpu = inv.cpu.unwrap();
        assert_eq!(
            cpu.brand.as_deref(),
            Some("Intel(R) Core(TM) i5-2300 CPU @ 2.80GHz")
        );
        assert_eq!(cpu.vendor.as_deref(), Some("GenuineIntel"));
        assert_eq!(
            (cpu.family, cpu.model, cpu.stepping),
            (Some(6), Some(42), Some(7))
        );
    }
}

#[test]
fn other_windows_outputs_import_or_are_refused_cleanly() {
    let Some(dir) = samples() else { return };
    // Later Windows' systeminfo: the same importer, the builds they name.
    for (file, build) in [
        (
            "systeminfo/wesng__10_1803_x86_enterprise_nl_systeminfo.txt",
            17134,
        ),
        (
            "systeminfo/wesng__10_1809_x64_enterprise_zh-cn_systeminfo.txt",
            17763,
        ),
        (
            "systeminfo/vaclaviklluk__win10_1709_ent_x64_sk_systeminfo10.txt",
            16299,
        ),
        (
            "systeminfo/wesng__11_24H2_x64_enterprise_systeminfo.txt",
            26100,
        ),
        (
            "systeminfo/wesng__srv_2008r2_sp1_x64_standard_en-us_systeminfo.txt",
            7601,
        ),
    ] {
        if let Some(inv) = import(&dir, file) {
            assert_eq!(inv.os.unwrap().build, Some(build), "{file}");
        }
    }
    // 7839 MB with a CP852 NBSP between the digits.
    if let Some(inv) = import(
        &dir,
        "systeminfo/vaclaviklluk__win10_1709_ent_x64_sk_systeminfo10.txt",
    ) {
        assert_eq!(inv.memory.unwrap().visible_bytes, Some(7839 << 20));
    }
    // Every file: an inventory or a typed error, never a panic.
    let mut stack = vec![dir.clone()];
    let mut seen = 0;
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let bytes = std::fs::read(&path).unwrap();
            let origin = Origin::path(&path);
            match import::import_bytes(&bytes, &origin) {
                Ok(fragment) => {
                    import::finish_single(fragment);
                }
                Err(e) => assert!(
                    ["import-unrecognized", "import-failed", "import-not-used"].contains(&e.code()),
                    "{}: {e}",
                    path.display()
                ),
            }
            seen += 1;
        }
    }
    assert!(seen >= 60, "only {seen} sample files");
}

/// What a msinfo32 export in the samples must give: host, build, edition, installed memory
/// (GiB), boot mode, Secure Boot, the processor's name and the system volume's size.
#[allow(clippy::type_complexity)]
const MSINFO32: &[(
    &str,
    &str,
    u32,
    Option<&str>,
    u64,
    Option<w7plan::facts::inventory::BootMode>,
    Option<bool>,
    &str,
    u64,
)] = {
    use w7plan::facts::inventory::BootMode::{Bios, Uefi};
    &[
        (
            "msinfo32/aws-g2__srv2012r2_msinfo32.nfo",
            "WIN-5BRNFRHGI65",
            9600,
            None,
            15,
            Some(Bios),
            Some(false),
            "Intel(R) Xeon(R) CPU E5-2670 0 @ 2.60GHz",
            31_843_151_872,
        ),
        (
            "msinfo32/aws-g2__srv2012r2_msinfo32_report_original_utf16.txt",
            "WIN-5BRNFRHGI65",
            9600,
            None,
            15,
            Some(Bios),
            Some(false),
            "Intel(R) Xeon(R) CPU E5-2670 0 @ 2.60GHz",
            31_843_151_872,
        ),
        (
            "msinfo32/aws-g2__srv2012r2_msinfo32_report_dos2unix_utf8.txt",
            "WIN-5BRNFRHGI65",
            9600,
            None,
            15,
            Some(Bios),
            Some(false),
            "Intel(R) Xeon(R) CPU E5-2670 0 @ 2.60GHz",
            31_843_151_872,
        ),
        (
            "msinfo32/everglowzh__win10_1903_pro_zh-CN_msinfo32_report.txt",
            "DESKTOP-UE730FE",
            18362,
            Some("Professional"),
            32,
            Some(Uefi),
            Some(false),
            "Intel(R) Core(TM) i7-7820HK CPU @ 2.90GHz",
            511_871_078_400,
        ),
        (
            "msinfo32/jack2932__win10_22H2_pro_ru-RU_msinfo32_report.txt",
            "XIZES",
            19045,
            Some("Professional"),
            16,
            Some(Bios),
            Some(false),
            "AMD Ryzen 5 3400G with Radeon Vega Graphics",
            255_497_252_864,
        ),
        (
            "msinfo32/muteelitez__win11_22H2_home_en-US_msinfo32_report.txt",
            "STILLSNITRO5",
            22621,
            Some("Core"),
            16,
            Some(Uefi),
            Some(true),
            "11th Gen Intel(R) Core(TM) i9-11900H @ 2.50GHz",
            1_022_844_989_440,
        ),
        (
            "msinfo32/napeta192__win11_home_pl-PL_msinfo32_report.txt",
            "DESKTOP-EVTAHLA",
            22623,
            Some("Core"),
            8,
            Some(Uefi),
            Some(false),
            "Intel(R) Core(TM) i5-10400F CPU @ 2.90GHz",
            254_805_012_480,
        ),
        (
            "msinfo32/spktrx__win10_1903_home_en-SG_msinfo32_report.txt",
            "MJÖLNIR",
            18362,
            Some("Core"),
            16,
            Some(Bios),
            Some(false),
            "Intel(R) Core(TM) i5-6600K CPU @ 3.50GHz",
            254_983_692_288,
        ),
    ]
};

#[test]
fn msinfo32_exports() {
    let Some(dir) = samples() else { return };
    for &(file, host, build, edition, gib, boot, secure_boot, brand, volume) in MSINFO32 {
        let Some(inv) = import(&dir, file) else {
            continue;
        };
        assert_eq!(
            inv.source.as_ref().and_then(|s| s.collector.as_deref()),
            Some("msinfo32"),
            "{file}"
        );
        let os = inv.os.as_ref().unwrap();
        assert_eq!(os.build, Some(build), "{file}");
        assert_eq!(os.edition.as_deref(), edition, "{file}");
        assert_eq!(os.arch, Some(Arch::X64), "{file}");
        let firmware = inv.firmware.as_ref().unwrap();
        assert_eq!(firmware.boot_mode, boot, "{file}");
        assert_eq!(firmware.secure_boot_enabled, secure_boot, "{file}");
        let size = inv
            .storage
            .as_ref()
            .and_then(|s| s.system_volume.as_ref())
            .and_then(|v| v.size_bytes);
        assert_eq!(size, Some(volume), "{file}");
        assert!(
            inv.graphics.as_ref().is_some_and(|g| !g.is_empty()),
            "{file}"
        );
        assert_eq!(
            inv.host.as_ref().and_then(|h| h.name.as_deref()),
            Some(host),
            "{file}"
        );
        let installed = inv.memory.as_ref().and_then(|m| m.installed_bytes);
        assert_eq!(installed.map(|b| b >> 30), Some(gib), "{file}");
        assert_eq!(
            inv.cpu.as_ref().and_then(|c| c.brand.as_deref()),
            Some(brand),
            "{file}"
        );
    }
}

/// The golden test of the GLPI reader on the format's own real sample (glpi-project/
/// inventory_format tests/data/2.xml, a FusionInventory Agent 2.3.19 inventory of a Windows 8.1
/// HP EliteBook 2540p): the CPU's family/model/stepping, memory, disk, edition and programs.
#[test]
fn glpi_xml_sample() {
    let Some(dir) = samples() else { return };
    let Some(inv) = import(&dir, "glpi/glpi-xml-2.xml") else {
        return;
    };
    let source = inv.source.as_ref().unwrap();
    assert_eq!(source.collector.as_deref(), Some("FusionInventory-Agent"));
    assert_eq!(source.version.as_deref(), Some("2.3.19"));
    let cpu = inv.cpu.as_ref().unwrap();
    assert_eq!(
        (cpu.family, cpu.model, cpu.stepping),
        (Some(6), Some(37), Some(5))
    );
    assert_eq!(
        cpu.brand.as_deref(),
        Some("Intel(R) Core(TM) i5 CPU M 540 @ 2.53GHz")
    );
    assert_eq!((cpu.cores, cpu.logical_processors), (Some(2), Some(4)));
    assert_eq!(cpu.max_mhz, Some(2530));
    let memory = inv.memory.as_ref().unwrap();
    // Two 2048 MB modules; Windows sees 3887 MB.
    assert_eq!(memory.installed_bytes, Some(4096 << 20));
    assert_eq!(memory.visible_bytes, Some(3887 << 20));
    let storage = inv.storage.as_ref().unwrap();
    let disk = storage.system_disk.as_ref().unwrap();
    assert_eq!(disk.size_bytes, Some(250_059 << 20));
    assert_eq!(disk.model.as_deref(), Some("Hitachi HTS725025A9A364"));
    let volume = storage.system_volume.as_ref().unwrap();
    assert_eq!(volume.letter.as_deref(), Some("C:"));
    assert_eq!(volume.size_bytes, Some(115_123 << 20));
    assert_eq!(volume.free_bytes, Some(71_954 << 20));
    let os = inv.os.as_ref().unwrap();
    assert_eq!(
        os.name.as_deref(),
        Some("Microsoft Windows 8.1 Professionnel")
    );
    assert_eq!(os.edition.as_deref(), Some("Professional"));
    assert_eq!((os.version.as_deref(), os.build), (Some("6.3"), Some(9600)));
    assert_eq!(os.arch, Some(Arch::X64));
    let host = inv.host.as_ref().unwrap();
    assert_eq!(host.name.as_deref(), Some("pc-arg-23"));
    assert_eq!(host.model.as_deref(), Some("HP EliteBook 2540p"));
    let license = inv.license.as_ref().unwrap();
    assert_eq!(
        license.product_id.as_deref(),
        Some("00259-40825-10721-AAOEM")
    );
    // The sample's WINPRODKEY is a placeholder, not a key: left out, with a note.
    assert_eq!(license.product_key, None);
    let software = inv.software.as_ref().unwrap();
    assert_eq!(software.len(), 8);
    assert_eq!(software[0].name.as_deref(), Some("CCleaner"));
    assert_eq!(software[0].version.as_deref(), Some("5.09"));
    assert_eq!(software[0].publisher.as_deref(), Some("Piriform"));
    assert!(software.iter().any(|p| p.name.as_deref()
        == Some("Microsoft Office Famille et Petite Entreprise 2010")
        && p.version.as_deref() == Some("14.0.7015.1000")));
    let graphics = inv.graphics.as_ref().unwrap();
    assert_eq!(graphics[0].name.as_deref(), Some("Intel(R) HD Graphics"));
}

fn collector(inv: &Inventory) -> Option<&str> {
    inv.source.as_ref().and_then(|s| s.collector.as_deref())
}

#[test]
fn powershell_get_computerinfo_samples() {
    let Some(dir) = samples() else { return };
    // Windows PowerShell 5.1's list view, UTF-16, wrapped values, enums as names.
    if let Some(inv) = import(
        &dir,
        "powershell/positivedeltas__win10_1903_education_Get-ComputerInfo_FL_utf16.txt",
    ) {
        assert_eq!(collector(&inv), Some("Get-ComputerInfo"));
        let host = inv.host.as_ref().unwrap();
        assert_eq!(host.name.as_deref(), Some("DESKTOP-FEN9DP7"));
        // BiosSeralNumber (sic), wrapped onto a second line.
        assert_eq!(
            host.serial.as_deref(),
            Some("VMware-56 4d 90 1e 0c cc 04 79-ad 29 7b 3d c5 ad 99 8b")
        );
        let os = inv.os.as_ref().unwrap();
        assert_eq!(os.edition.as_deref(), Some("Education"));
        assert_eq!((os.build, os.arch), (Some(18362), Some(Arch::X64)));
        assert_eq!(os.installed_on.as_deref(), Some("2019-10-03"));
        // 7:30:52 PM at UTC-7 (OsCurrentTimeZone -420).
        assert_eq!(inv.collected_at.as_deref(), Some("2019-10-11T02:30:52Z"));
        assert_eq!(
            inv.memory.as_ref().unwrap().visible_bytes,
            Some(2_146_287_616)
        );
        assert_eq!(
            inv.cpu.as_ref().unwrap().brand.as_deref(),
            Some("Intel(R) Core(TM) i5-8250U CPU @ 1.60GHz")
        );
        let firmware = inv.firmware.as_ref().unwrap();
        assert_eq!(
            firmware.boot_mode,
            Some(w7plan::facts::inventory::BootMode::Uefi)
        );
        assert_eq!(firmware.date.as_deref(), Some("2019-08-14"));
    }
    // PowerShell 7's ConvertTo-Json: enums as numbers, ISO dates, processors as objects.
    if let Some(inv) = import(
        &dir,
        "powershell/uvwild__win11_24H2_pro_Get-ComputerInfo_ConvertTo-Json.json",
    ) {
        assert_eq!(collector(&inv), Some("Get-ComputerInfo"));
        let os = inv.os.as_ref().unwrap();
        // The OS's caption, not the registry's "Windows 10 Pro".
        assert_eq!(os.name.as_deref(), Some("Microsoft Windows 11 Pro"));
        assert_eq!((os.build, os.hotfix_count), (Some(26100), Some(3)));
        let cpu = inv.cpu.as_ref().unwrap();
        assert_eq!(
            (cpu.family, cpu.model, cpu.stepping, cpu.cores),
            (Some(25), Some(117), Some(2), Some(8))
        );
        assert_eq!(inv.memory.as_ref().unwrap().installed_bytes, Some(32 << 30));
        assert_eq!(
            inv.host.as_ref().unwrap().serial.as_deref(),
            Some("5201816C24290080")
        );
        assert_eq!(inv.collected_at.as_deref(), Some("2024-12-22T06:14:35Z"));
    }
}

#[test]
fn powershell_ciminstance_and_uninstall_samples() {
    let Some(dir) = samples() else { return };
    if let Some(inv) = import(
        &dir,
        "powershell/uvwild__win11_24H2_Get-CimInstance_HardwareInformation.json",
    ) {
        assert_eq!(collector(&inv), Some("Get-CimInstance"));
        let host = inv.host.as_ref().unwrap();
        assert_eq!(host.model.as_deref(), Some("AX8Pro"));
        assert_eq!(inv.memory.as_ref().unwrap().installed_bytes, Some(32 << 30));
        let cpu = inv.cpu.as_ref().unwrap();
        assert_eq!(
            (cpu.family, cpu.model, cpu.stepping),
            (Some(25), Some(117), Some(2))
        );
        let graphics = inv.graphics.as_ref().unwrap();
        assert_eq!(graphics[0].vendor_id.as_deref(), Some("1002"));
        assert_eq!(graphics[0].driver_date.as_deref(), Some("2024-08-27"));
    }
    if let Some(inv) = import(
        &dir,
        "powershell/uvwild__win11_24H2_RegistrySoftware_uninstall.json",
    ) {
        assert_eq!(collector(&inv), Some("Get-ItemProperty (Uninstall keys)"));
        let software = inv.software.as_ref().unwrap();
        // 127 entries, each with a DisplayName; a few listed twice.
        assert!(software.len() > 100, "{}", software.len());
        assert!(software
            .iter()
            .any(|p| p.name.as_deref() == Some("Steinberg SpectraLayers 11")
                && p.version.as_deref() == Some("11.0.40.395")
                && p.installed_on.as_deref() == Some("2024-10-29")));
        assert_eq!(inv.os, None);
    }
}

#[test]
fn wmic_volume_and_product_samples() {
    let Some(dir) = samples() else { return };
    if let Some(inv) = import(&dir, "wmic/glpi-agent__win7-sp1-x64-Win32_Volume.wmi") {
        let volume = inv.storage.unwrap().system_volume.unwrap();
        assert_eq!(volume.letter.as_deref(), Some("C:"));
        assert_eq!(
            (volume.size_bytes, volume.free_bytes),
            (Some(107_267_223_552), Some(78_688_149_504))
        );
    }
    if let Some(inv) = import(
        &dir,
        "wmic/logancave__win11_23H2_home_wmic_product_get_name_version_utf16.txt",
    ) {
        let software = inv.software.unwrap();
        assert!(software.len() > 40, "{}", software.len());
        assert!(software
            .iter()
            .any(|p| p.name.as_deref() == Some("AMD Ryzen Balanced Driver")
                && p.version.as_deref() == Some("8.0.0.13")));
    }
    // `wmic path CIM_LogicalDevice`: every device of a Windows 7 PC, split by its class.
    if let Some(inv) = import(&dir, "wmic/glpi-agent__7-CIM_LogicalDevice.wmi") {
        let cpu = inv.cpu.as_ref().unwrap();
        assert_eq!(
            (cpu.family, cpu.model, cpu.stepping),
            (Some(6), Some(42), Some(7))
        );
        let storage = inv.storage.as_ref().unwrap();
        assert_eq!(
            storage.system_disk.as_ref().unwrap().model.as_deref(),
            Some("ST31000524AS")
        );
        assert_eq!(
            inv.graphics.as_ref().unwrap()[0].name.as_deref(),
            Some("NVIDIA GeForce 9600 GT")
        );
    }
    if let Some(inv) = import(&dir, "wmic/glpi-agent__7-Win32_PhysicalMemoryArray.wmi") {
        assert_eq!(inv.memory.unwrap().slots, Some(4));
    }
    // A licence text is not a wmic table of an unknown class.
    if let Some(bytes) = read(&dir, "glpi/LICENSE-glpi-inventory-format.txt") {
        let error = import::import_bytes(&bytes, &Origin("LICENSE".into())).unwrap_err();
        assert_eq!(error.code(), "import-unrecognized", "{error}");
    }
}
