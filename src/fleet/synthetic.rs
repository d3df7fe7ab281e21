//! Realistic synthetic inventories for fleet benchmarks and tests: the hardware of the Windows 7
//! era (Core 2 to Coffee Lake, Zen), the editions it shipped with, what collectors see with and
//! without administrator rights, and 100–300 installed programs each.
//!
//! Deterministic: the same seed and index always give the same machine, so benchmark runs can be
//! compared. Nothing here is a fact about a real machine.

use crate::facts::inventory::*;
use std::collections::BTreeMap;

/// vendor, brand, family, model, stepping, cores, threads, MHz
type CpuRow = (&'static str, &'static str, u32, u32, u32, u32, u32, u32);

const CPUS: &[CpuRow] = &[
    (
        "GenuineIntel",
        "Intel(R) Core(TM)2 Duo CPU     E8400  @ 3.00GHz",
        6,
        23,
        10,
        2,
        2,
        3000,
    ),
    (
        "GenuineIntel",
        "Intel(R) Atom(TM) CPU N270   @ 1.60GHz",
        6,
        28,
        2,
        1,
        2,
        1600,
    ),
    (
        "GenuineIntel",
        "Intel(R) Core(TM) i5-2400 CPU @ 3.10GHz",
        6,
        42,
        7,
        4,
        4,
        3101,
    ),
    (
        "GenuineIntel",
        "Intel(R) Core(TM) i5-3470 CPU @ 3.20GHz",
        6,
        58,
        9,
        4,
        4,
        3201,
    ),
    (
        "GenuineIntel",
        "Intel(R) Core(TM) i7-4770 CPU @ 3.40GHz",
        6,
        60,
        3,
        4,
        8,
        3401,
    ),
    (
        "GenuineIntel",
        "Intel(R) Core(TM) i5-6500 CPU @ 3.20GHz",
        6,
        94,
        3,
        4,
        4,
        3192,
    ),
    (
        "GenuineIntel",
        "Intel(R) Core(TM) i7-7700 CPU @ 3.60GHz",
        6,
        158,
        9,
        4,
        8,
        3601,
    ),
    (
        "GenuineIntel",
        "Intel(R) Core(TM) i5-8250U CPU @ 1.60GHz",
        6,
        142,
        10,
        4,
        8,
        1800,
    ),
    (
        "GenuineIntel",
        "Intel(R) Core(TM) i5-8400 CPU @ 2.80GHz",
        6,
        158,
        10,
        6,
        6,
        2808,
    ),
    (
        "GenuineIntel",
        "Intel(R) Core(TM) i3-8100 CPU @ 3.60GHz",
        6,
        158,
        11,
        4,
        4,
        3600,
    ),
    (
        "GenuineIntel",
        "Intel(R) Core(TM) i5-9500 CPU @ 3.00GHz",
        6,
        158,
        10,
        6,
        6,
        3000,
    ),
    (
        "GenuineIntel",
        "Intel(R) Core(TM) i5-10400 CPU @ 2.90GHz",
        6,
        165,
        3,
        6,
        12,
        2904,
    ),
    (
        "AuthenticAMD",
        "AMD Athlon(tm) II X2 250 Processor",
        16,
        6,
        2,
        2,
        2,
        3000,
    ),
    (
        "AuthenticAMD",
        "AMD Ryzen 7 1700 Eight-Core Processor",
        23,
        1,
        1,
        8,
        16,
        3000,
    ),
    (
        "AuthenticAMD",
        "AMD Ryzen 5 2600 Six-Core Processor",
        23,
        8,
        2,
        6,
        12,
        3400,
    ),
    (
        "AuthenticAMD",
        "AMD Ryzen 5 2400G with Radeon Vega Graphics",
        23,
        17,
        0,
        4,
        8,
        3600,
    ),
    (
        "AuthenticAMD",
        "AMD Ryzen 5 3600 6-Core Processor",
        23,
        113,
        0,
        6,
        12,
        3600,
    ),
];

const VENDORS: &[(&str, &[&str])] = &[
    (
        "Dell Inc.",
        &[
            "OptiPlex 7010",
            "OptiPlex 9020",
            "OptiPlex 3060",
            "Latitude E6430",
            "Precision T1700",
        ],
    ),
    (
        "Hewlett-Packard",
        &[
            "HP Compaq 8200 Elite SFF PC",
            "HP EliteDesk 800 G1 SFF",
            "HP ProBook 450 G5",
        ],
    ),
    (
        "LENOVO",
        &[
            "ThinkCentre M93p",
            "ThinkPad T430",
            "ThinkPad T480",
            "ThinkCentre M720s",
        ],
    ),
    ("ASUSTeK COMPUTER INC.", &["P8H61-M LX", "PRIME B350-PLUS"]),
    ("Acer", &["Veriton X4630G", "Aspire XC-780"]),
];

const EDITIONS: &[(&str, &str)] = &[
    ("Professional", "Microsoft Windows 7 Professional"),
    ("Professional", "Microsoft Windows 7 Professional"),
    ("HomePremium", "Microsoft Windows 7 Home Premium"),
    ("Enterprise", "Microsoft Windows 7 Enterprise"),
    ("Ultimate", "Microsoft Windows 7 Ultimate"),
    ("Starter", "Microsoft Windows 7 Starter"),
];

const PROGRAMS: &[(&str, &str, &str)] = &[
    (
        "Microsoft Office Professional Plus 2010",
        "14.0.7015.1000",
        "Microsoft Corporation",
    ),
    (
        "Microsoft Office Home and Business 2013",
        "15.0.4569.1506",
        "Microsoft Corporation",
    ),
    (
        "Adobe Acrobat Reader DC",
        "19.012.20040",
        "Adobe Systems Incorporated",
    ),
    ("Adobe Flash Player 32 ActiveX", "32.0.0.465", "Adobe"),
    ("Google Chrome", "109.0.5414.120", "Google LLC"),
    ("Mozilla Firefox (x86 en-US)", "115.18.0", "Mozilla"),
    ("Java 8 Update 341", "8.0.3410.10", "Oracle Corporation"),
    ("7-Zip 19.00 (x64)", "19.00", "Igor Pavlov"),
    ("VLC media player", "3.0.18", "VideoLAN"),
    (
        "Microsoft Visual C++ 2010  x86 Redistributable - 10.0.40219",
        "10.0.40219",
        "Microsoft Corporation",
    ),
    (
        "Microsoft Visual C++ 2015-2019 Redistributable (x64) - 14.29.30133",
        "14.29.30133.0",
        "Microsoft Corporation",
    ),
    (
        "Microsoft .NET Framework 4.8",
        "4.8.03761",
        "Microsoft Corporation",
    ),
    ("Sage 50 Accounts", "26.2.67.0", "Sage (UK) Limited"),
    ("QuickBooks Pro 2016", "26.0.4005.2604", "Intuit Inc."),
    ("TeamViewer 12", "12.0.258869", "TeamViewer"),
    ("Skype\u{2122} 7.41", "7.41.101", "Skype Technologies S.A."),
    (
        "Windows Live Essentials",
        "16.4.3528.0331",
        "Microsoft Corporation",
    ),
    (
        "Microsoft Security Essentials",
        "4.10.209.0",
        "Microsoft Corporation",
    ),
    (
        "Intel(R) Graphics Media Accelerator Driver",
        "8.15.10.2869",
        "Intel Corporation",
    ),
    (
        "Realtek High Definition Audio Driver",
        "6.0.1.7541",
        "Realtek Semiconductor Corp.",
    ),
    (
        "NVIDIA Graphics Driver 391.35",
        "391.35",
        "NVIDIA Corporation",
    ),
    ("PDFCreator", "1.7.3", "pdfforge"),
    ("Notepad++ (32-bit x86)", "7.9.5", "Notepad++ Team"),
    ("WinRAR 5.61 (64-bit)", "5.61.0", "win.rar GmbH"),
    ("Dropbox", "121.4.4787", "Dropbox, Inc."),
    ("Citrix Receiver", "4.12.0.18020", "Citrix Systems, Inc."),
];

/// One synthetic machine.
pub fn machine(seed: u64, index: u64) -> Inventory {
    let mut rng = fastrand::Rng::with_seed(seed ^ index.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let (vendor, brand, family, model, stepping, cores, threads, mhz) =
        CPUS[rng.usize(..CPUS.len())];
    let (maker, models) = VENDORS[rng.usize(..VENDORS.len())];
    let (edition, os_name) = EDITIONS[rng.usize(..EDITIONS.len())];
    let x64 = edition != "Starter" && rng.u8(..10) > 1;
    let elevated = rng.u8(..10) > 2;
    let gib: u64 = [1, 2, 3, 4, 4, 6, 8, 8, 16][rng.usize(..9)];
    let volume_gb: u64 = [64, 120, 160, 250, 250, 500, 1000][rng.usize(..7)];
    let mut notes = Vec::new();
    let tpm = if elevated {
        Some(match rng.u8(..4) {
            0 => Tpm {
                present: Some(false),
                ..Tpm::default()
            },
            1 => Tpm {
                present: Some(true),
                version: Some("1.2".into()),
                enabled: Some(true),
                activated: Some(true),
                ..Tpm::default()
            },
            _ => Tpm {
                present: Some(true),
                version: Some("2.0".into()),
                enabled: Some(true),
                activated: Some(true),
                ..Tpm::default()
            },
        })
    } else {
        notes.push(
            "TPM: Win32_Tpm needs administrator rights; run elevated for TPM facts".to_string(),
        );
        None
    };
    let program_count = rng.usize(100..=300);
    let software = (0..program_count)
        .map(|i| {
            let (name, version, publisher) =
                PROGRAMS[(i + rng.usize(..PROGRAMS.len())) % PROGRAMS.len()];
            Program {
                name: Some(if i < PROGRAMS.len() {
                    name.to_string()
                } else {
                    format!("{name} component {i}")
                }),
                version: Some(version.to_string()),
                publisher: Some(publisher.to_string()),
                installed_on: Some(format!(
                    "20{:02}-{:02}-{:02}",
                    rng.u8(10..20),
                    rng.u8(1..13),
                    rng.u8(1..29)
                )),
                arch: Some(if rng.bool() { Arch::X86 } else { Arch::X64 }),
            }
        })
        .collect();
    let features: BTreeMap<String, bool> = if rng.u8(..10) == 0 {
        // Seen from a Linux live USB now and then: features known.
        ["pae", "nx", "sse2", "cx16", "lahf", "popcnt", "sse4_2"]
            .iter()
            .map(|f| (f.to_string(), true))
            .collect()
    } else {
        BTreeMap::new()
    };
    Inventory {
        schema: Some(SCHEMA.to_string()),
        collected_at: Some(format!(
            "2026-11-{:02}T{:02}:{:02}:00Z",
            rng.u8(1..27),
            rng.u8(8..18),
            rng.u8(..60)
        )),
        source: Some(Source {
            collector: Some("collect.cmd".into()),
            version: Some("1".into()),
            elevated: Some(elevated),
        }),
        host: Some(Host {
            name: Some(format!("PC-{index:06}")),
            manufacturer: Some(maker.to_string()),
            model: Some(models[rng.usize(..models.len())].to_string()),
            serial: Some(format!("{:08X}", rng.u32(..))),
            chassis: Some(if rng.u8(..4) == 0 {
                Chassis::Laptop
            } else {
                Chassis::Desktop
            }),
        }),
        os: Some(Os {
            family: Some(OsFamily::Windows),
            name: Some(os_name.to_string()),
            edition: Some(edition.to_string()),
            version: Some("6.1".into()),
            build: Some(7601),
            service_pack: Some(u32::from(rng.u8(..10) > 0)),
            arch: Some(if x64 { Arch::X64 } else { Arch::X86 }),
            language: Some(["en-US", "de-DE", "fr-FR", "es-ES"][rng.usize(..4)].to_string()),
            installed_on: Some(format!(
                "20{:02}-{:02}-{:02}",
                rng.u8(10..19),
                rng.u8(1..13),
                rng.u8(1..29)
            )),
            ..Os::default()
        }),
        cpu: Some(Cpu {
            vendor: Some(vendor.to_string()),
            brand: Some(brand.to_string()),
            family: Some(family),
            model: Some(model),
            stepping: Some(stepping),
            cores: Some(cores),
            logical_processors: Some(threads),
            max_mhz: Some(mhz),
            address_width: Some(if x64 { 64 } else { 32 }),
            data_width: Some(if brand.contains("N270") { 32 } else { 64 }),
            features: (!features.is_empty()).then_some(features),
            ..Cpu::default()
        }),
        memory: Some(if elevated {
            Memory {
                installed_bytes: Some(gib << 30),
                ..Memory::default()
            }
        } else {
            Memory {
                visible_bytes: Some((gib << 30) - (gib << 24)),
                ..Memory::default()
            }
        }),
        storage: Some(Storage {
            system_volume: Some(Volume {
                letter: Some("C:".into()),
                size_bytes: Some(volume_gb * 1_000_000_000),
                free_bytes: Some(volume_gb * 1_000_000_000 / u64::from(rng.u8(2..10))),
                ..Volume::default()
            }),
            system_disk: Some(Disk {
                size_bytes: Some(volume_gb * 1_000_000_000 + 100_000_000),
                partition_style: Some(PartitionStyle::Mbr),
                media: Some(if rng.bool() { Media::Ssd } else { Media::Hdd }),
                ..Disk::default()
            }),
        }),
        firmware: Some(Firmware {
            boot_mode: Some(BootMode::Bios),
            vendor: Some(maker.to_string()),
            version: Some(format!("A{:02}", rng.u8(1..30))),
            ..Firmware::default()
        }),
        tpm,
        graphics: Some(vec![GraphicsAdapter {
            name: Some("Intel(R) HD Graphics".into()),
            driver_version: Some("9.17.10.4459".into()),
            wddm: Some("1.1".into()),
            directx: Some("11.0".into()),
            ..GraphicsAdapter::default()
        }]),
        display: Some(Display {
            width: Some(1920),
            height: Some(1080),
        }),
        license: Some(License {
            partial_key: Some(format!("{:05}", rng.u32(10000..99999))),
            channel: Some(
                ["OEM:SLP", "Retail", "Volume:MAK", "OEM:NONSLP"][rng.usize(..4)].to_string(),
            ),
            status: Some("licensed".into()),
            ..License::default()
        }),
        software: Some(software),
        notes,
        sources: None,
    }
}

/// Writes `count` machines as `machine-NNNNNN.json` (or `.yaml`) into `dir`.
pub fn write_fleet(
    dir: &std::path::Path,
    count: u64,
    seed: u64,
    yaml: bool,
) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    for index in 0..count {
        let inventory = machine(seed, index);
        let (name, text) = if yaml {
            (format!("machine-{index:06}.yaml"), inventory.to_yaml())
        } else {
            (format!("machine-{index:06}.json"), inventory.to_json())
        };
        std::fs::write(dir.join(name), text)?;
    }
    Ok(())
}

/// The same machines as [`write_fleet`] as one Configuration Manager wide CSV export (the
/// columns `collectors/configmgr/w7plan-inventory.sql` names), a row each: the benchmark reads
/// both and compares. Facts the export cannot hold (CPU features, firmware details) are left
/// out, as a real export leaves them.
pub fn write_configmgr_export(
    path: &std::path::Path,
    count: u64,
    seed: u64,
) -> std::io::Result<()> {
    let file = std::io::BufWriter::new(std::fs::File::create(path)?);
    let mut csv = csv::Writer::from_writer(file);
    let columns = [
        "v_R_System.ResourceID",
        "v_R_System.Netbios_Name0",
        "v_GS_WORKSTATION_STATUS.LastHWScan",
        "v_GS_COMPUTER_SYSTEM.Manufacturer0",
        "v_GS_COMPUTER_SYSTEM.Model0",
        "v_GS_PC_BIOS.SerialNumber0",
        "v_GS_PROCESSOR.Name0",
        "v_GS_PROCESSOR.Manufacturer0",
        "v_GS_PROCESSOR.Caption0",
        "v_GS_PROCESSOR.NumberOfCores0",
        "v_GS_PROCESSOR.NumberOfLogicalProcessors0",
        "v_GS_PROCESSOR.MaxClockSpeed0",
        "v_GS_OPERATING_SYSTEM.Caption0",
        "v_GS_OPERATING_SYSTEM.Version0",
        "v_GS_OPERATING_SYSTEM.BuildNumber0",
        "v_GS_OPERATING_SYSTEM.CSDVersion0",
        "v_GS_OPERATING_SYSTEM.OSArchitecture0",
        "v_GS_PHYSICAL_MEMORY.Capacity0",
        "v_GS_LOGICAL_DISK.DeviceID0",
        "v_GS_LOGICAL_DISK.Size0",
        "v_GS_LOGICAL_DISK.FreeSpace0",
        "v_GS_VIDEO_CONTROLLER.Name0",
        "v_GS_ADD_REMOVE_PROGRAMS.DisplayName0",
    ];
    csv.write_record(columns).map_err(std::io::Error::other)?;
    let text = |v: Option<&str>| v.unwrap_or_default().to_string();
    let number = |v: Option<u64>| v.map(|n| n.to_string()).unwrap_or_default();
    let mb = |v: Option<u64>| number(v.map(|b| b >> 20));
    for index in 0..count {
        let m = machine(seed, index);
        let host = m.host.unwrap_or_default();
        let cpu = m.cpu.unwrap_or_default();
        let os = m.os.unwrap_or_default();
        let volume = m.storage.and_then(|s| s.system_volume).unwrap_or_default();
        let caption = match (cpu.family, cpu.model, cpu.stepping) {
            (Some(f), Some(mo), Some(s)) => format!("Intel64 Family {f} Model {mo} Stepping {s}"),
            _ => String::new(),
        };
        let programs: Vec<String> = m
            .software
            .unwrap_or_default()
            .iter()
            .map(|p| {
                format!(
                    "{}\t{}\t{}",
                    text(p.name.as_deref()),
                    text(p.version.as_deref()),
                    text(p.publisher.as_deref())
                )
            })
            .collect();
        let record = [
            (16_777_216 + index).to_string(),
            text(host.name.as_deref()),
            // `2026-11-02T08:15:00Z` as SQL Server writes it: `2026-11-02 08:15:00.000`.
            m.collected_at
                .as_deref()
                .map(|t| format!("{}.000", t.trim_end_matches('Z').replace('T', " ")))
                .unwrap_or_default(),
            text(host.manufacturer.as_deref()),
            text(host.model.as_deref()),
            text(host.serial.as_deref()),
            text(cpu.brand.as_deref()),
            text(cpu.vendor.as_deref()),
            caption,
            number(cpu.cores.map(u64::from)),
            number(cpu.logical_processors.map(u64::from)),
            number(cpu.max_mhz.map(u64::from)),
            text(os.name.as_deref()),
            text(os.version.as_deref()),
            number(os.build.map(u64::from)),
            os.service_pack
                .map(|sp| format!("Service Pack {sp}"))
                .unwrap_or_default(),
            match os.arch {
                Some(Arch::X64) => "64-bit".into(),
                Some(Arch::X86) => "32-bit".into(),
                _ => String::new(),
            },
            mb(m.memory.and_then(|mem| mem.installed_bytes)),
            "C:".to_string(),
            mb(volume.size_bytes),
            mb(volume.free_bytes),
            text(
                m.graphics
                    .as_ref()
                    .and_then(|g| g.first())
                    .and_then(|g| g.name.as_deref()),
            ),
            programs.join("\n"),
        ];
        csv.write_record(&record).map_err(std::io::Error::other)?;
    }
    csv.flush()
}

/// The same machines as [`write_fleet`] as a Configuration Manager per-view export: one CSV per
/// view in `dir` (`v_R_System.csv`, `v_GS_PROCESSOR.csv`, …, the programs last and largest), as
/// `SELECT * FROM <view>` gives them (fewer columns), for the benchmark beside the wide export.
pub fn write_configmgr_views(dir: &std::path::Path, count: u64, seed: u64) -> std::io::Result<()> {
    use std::io::Write as _;
    std::fs::create_dir_all(dir)?;
    let gs = "ResourceID,GroupID,RevisionID,AgentID,TimeStamp";
    let views: [(&str, String); 10] = [
        ("v_R_System", "ResourceID,Netbios_Name0,Client0".into()),
        ("v_GS_WORKSTATION_STATUS", format!("{gs},LastHWScan")),
        (
            "v_GS_COMPUTER_SYSTEM",
            format!("{gs},Manufacturer0,Model0,SystemType0"),
        ),
        (
            "v_GS_PC_BIOS",
            format!("{gs},SerialNumber0,SMBIOSBIOSVersion0"),
        ),
        (
            "v_GS_PROCESSOR",
            format!(
                "{gs},Caption0,DeviceID0,Manufacturer0,MaxClockSpeed0,Name0,NumberOfCores0,\
                 NumberOfLogicalProcessors0"
            ),
        ),
        (
            "v_GS_OPERATING_SYSTEM",
            format!("{gs},BuildNumber0,Caption0,CSDVersion0,OSArchitecture0,Version0"),
        ),
        (
            "v_GS_PHYSICAL_MEMORY",
            format!("{gs},BankLabel0,Capacity0,DeviceLocator0"),
        ),
        (
            "v_GS_LOGICAL_DISK",
            format!("{gs},DeviceID0,DriveType0,FreeSpace0,Size0"),
        ),
        (
            "v_GS_VIDEO_CONTROLLER",
            format!("{gs},DriverVersion0,Name0,CurrentHorizontalResolution0"),
        ),
        (
            "v_GS_ADD_REMOVE_PROGRAMS",
            format!("{gs},DisplayName0,ProdID0,Publisher0,Version0"),
        ),
    ];
    let mut files = Vec::new();
    for (view, header) in &views {
        let mut file =
            std::io::BufWriter::new(std::fs::File::create(dir.join(format!("{view}.csv")))?);
        writeln!(file, "{header}")?;
        files.push(csv::Writer::from_writer(file));
    }
    let text = |v: Option<&str>| v.unwrap_or_default().to_string();
    let number = |v: Option<u64>| v.map(|n| n.to_string()).unwrap_or_default();
    let mb = |v: Option<u64>| number(v.map(|b| b >> 20));
    let err = std::io::Error::other;
    for index in 0..count {
        let m = machine(seed, index);
        let id = (16_777_216 + index).to_string();
        let stamp = m
            .collected_at
            .as_deref()
            .map(|t| format!("{}.000", t.trim_end_matches('Z').replace('T', " ")))
            .unwrap_or_default();
        let gs = |group: u32| {
            vec![
                id.clone(),
                group.to_string(),
                "1".into(),
                "1".into(),
                stamp.clone(),
            ]
        };
        let row = |mut head: Vec<String>, rest: Vec<String>| {
            head.extend(rest);
            head
        };
        let host = m.host.clone().unwrap_or_default();
        let cpu = m.cpu.clone().unwrap_or_default();
        let os = m.os.clone().unwrap_or_default();
        let volume = m
            .storage
            .clone()
            .and_then(|s| s.system_volume)
            .unwrap_or_default();
        let records: Vec<(usize, Vec<String>)> = vec![
            (0, vec![id.clone(), text(host.name.as_deref()), "1".into()]),
            (1, row(gs(1), vec![stamp.clone()])),
            (
                2,
                row(
                    gs(1),
                    vec![
                        text(host.manufacturer.as_deref()),
                        text(host.model.as_deref()),
                        match cpu.arch {
                            Some(Arch::X86) => "X86-based PC".into(),
                            _ => "x64-based PC".into(),
                        },
                    ],
                ),
            ),
            (
                3,
                row(gs(1), vec![text(host.serial.as_deref()), "A01".into()]),
            ),
            (
                4,
                row(
                    gs(1),
                    vec![
                        match (cpu.family, cpu.model, cpu.stepping) {
                            (Some(f), Some(mo), Some(s)) => {
                                format!("Intel64 Family {f} Model {mo} Stepping {s}")
                            }
                            _ => String::new(),
                        },
                        "CPU0".into(),
                        text(cpu.vendor.as_deref()),
                        number(cpu.max_mhz.map(u64::from)),
                        text(cpu.brand.as_deref()),
                        number(cpu.cores.map(u64::from)),
                        number(cpu.logical_processors.map(u64::from)),
                    ],
                ),
            ),
            (
                5,
                row(
                    gs(1),
                    vec![
                        number(os.build.map(u64::from)),
                        text(os.name.as_deref()),
                        os.service_pack
                            .filter(|sp| *sp > 0)
                            .map(|sp| format!("Service Pack {sp}"))
                            .unwrap_or_default(),
                        match os.arch {
                            Some(Arch::X64) => "64-bit".into(),
                            Some(Arch::X86) => "32-bit".into(),
                            _ => String::new(),
                        },
                        text(os.version.as_deref()),
                    ],
                ),
            ),
            (
                6,
                row(
                    gs(1),
                    vec![
                        "BANK 0".into(),
                        mb(m.memory.as_ref().and_then(|mem| mem.installed_bytes)),
                        "DIMM1".into(),
                    ],
                ),
            ),
            (
                7,
                row(
                    gs(1),
                    vec![
                        "C:".into(),
                        "3".into(),
                        mb(volume.free_bytes),
                        mb(volume.size_bytes),
                    ],
                ),
            ),
            (
                8,
                row(
                    gs(1),
                    vec![
                        String::new(),
                        text(
                            m.graphics
                                .as_ref()
                                .and_then(|g| g.first())
                                .and_then(|g| g.name.as_deref()),
                        ),
                        "1920".into(),
                    ],
                ),
            ),
        ];
        for (file, record) in records {
            files[file].write_record(&record).map_err(err)?;
        }
        for (group, program) in m.software.unwrap_or_default().iter().enumerate() {
            files[9]
                .write_record(row(
                    gs(group as u32 + 1),
                    vec![
                        text(program.name.as_deref()),
                        String::new(),
                        text(program.publisher.as_deref()),
                        text(program.version.as_deref()),
                    ],
                ))
                .map_err(err)?;
        }
    }
    for mut file in files {
        file.flush()?;
    }
    Ok(())
}
