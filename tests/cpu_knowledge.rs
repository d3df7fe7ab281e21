//! The Windows 11 processor knowledge: the shipped list, Microsoft's family/model rule at its
//! boundaries, and brand-string matching against the real data.

use std::collections::BTreeMap;
use w7plan::error::Origin;
use w7plan::facts::inventory::{Arch, Cpu};
use w7plan::judge::enrich::cpu::{win11_family_rule, FamilyRule};
use w7plan::knowledge::cpu_family_rule::CpuFamilyRule;
use w7plan::knowledge::processors::{ListVendor, ProcessorList};

/// The shipped lists, parsed once for all tests.
fn shipped() -> &'static ProcessorList {
    static LIST: std::sync::OnceLock<ProcessorList> = std::sync::OnceLock::new();
    LIST.get_or_init(ProcessorList::parse_embedded)
}

const INTEL: &str = "GenuineIntel";
const AMD: &str = "AuthenticAMD";
const QUALCOMM: &str = "Qualcomm Technologies Inc";

fn x86(vendor: &str, family: u32, model: u32, stepping: u32) -> Cpu {
    Cpu {
        vendor: Some(vendor.into()),
        arch: Some(Arch::X64),
        family: Some(family),
        model: Some(model),
        stepping: Some(stepping),
        ..Cpu::default()
    }
}

fn with_platform(mut cpu: Cpu, platform_id: u32) -> Cpu {
    cpu.platform_id = Some(platform_id);
    cpu
}

fn arm(vendor: &str, atomics: Option<bool>) -> Cpu {
    Cpu {
        vendor: Some(vendor.into()),
        arch: Some(Arch::Arm64),
        family: Some(8),
        features: atomics.map(|a| BTreeMap::from([("atomics".to_string(), a)])),
        ..Cpu::default()
    }
}

#[track_caller]
fn assert_rule(cpu: &Cpu, expected: Option<bool>) -> FamilyRule {
    let rule = win11_family_rule(cpu, &CpuFamilyRule::embedded());
    assert_eq!(rule.status(), expected, "{cpu:?} -> {rule:?}");
    assert!(!rule.reason().is_empty());
    rule
}

// --- the shipped data --------------------------------------------------------------------------

#[test]
fn embedded_list_parses_with_the_expected_counts() {
    let list = shipped();
    assert_eq!(list.names(ListVendor::Intel).count(), 1059);
    assert_eq!(list.names(ListVendor::Amd).count(), 397);
    assert_eq!(list.names(ListVendor::Qualcomm).count(), 24);
    assert_eq!(list.len(), 1480);
    assert!(!list.is_empty());
    let source = list.source();
    assert_eq!(source.as_of.to_string(), "2025-10-06");
    assert!(source
        .urls
        .iter()
        .any(|u| u.ends_with("windows-11-supported-intel-processors")));
    assert!(source
        .urls
        .iter()
        .any(|u| u.ends_with("windows-11-24h2-supported-amd-processors")));
    assert!(source
        .obtained
        .contains("35f8630e4880cc83597bde797d87aa3a23c7597e"));
    assert!(!source.caveats.is_empty());
}

#[test]
fn every_entry_finds_itself() {
    // Each name, read as if it were a brand string, must come back as itself: nothing in the
    // data is unreachable or shadowed by a longer entry. The one exception is the duplicate
    // "Core(TM) 3-100U with IPU", which normalizes to the same tokens as "Core(TM) 3-100U".
    let list = shipped();
    for vendor in [ListVendor::Intel, ListVendor::Amd, ListVendor::Qualcomm] {
        for name in list.names(vendor) {
            let found = list.find(None, name);
            if name == "Core(TM) 3-100U with IPU" {
                assert_eq!(found, Some("Core(TM) 3-100U"));
            } else {
                assert_eq!(found, Some(name), "{vendor:?}");
            }
        }
    }
}

#[test]
fn malformed_data_is_a_located_data_syntax_error() {
    let origin = Origin("bad.yaml".into());
    let text = "source:\n  title: t\n  urls: []\n  obtained: o\n  as_of: 2025-10-06\nintel:\n  - Core(TM) i5-8400\n  - [oops\namd: []\nqualcomm: []\n";
    let err = ProcessorList::parse(text, &origin).unwrap_err();
    assert_eq!(err.code(), "data-syntax");
    match &err {
        w7plan::Error::DataSyntax { location, .. } => {
            let location = location.expect("a YAML error carries its position");
            assert_eq!(location.line, 8, "{location}");
        }
        other => panic!("{other:?}"),
    }
    assert!(err.to_string().starts_with("bad.yaml:"), "{err}");

    let wrong_type = "source:\n  title: t\n  urls: []\n  obtained: o\n  as_of: yesterday\nintel: []\namd: []\nqualcomm: []\n";
    let err = ProcessorList::parse(wrong_type, &origin).unwrap_err();
    assert_eq!(err.code(), "data-syntax");
    assert!(err.to_string().starts_with("bad.yaml:5:"), "{err}");

    let missing_list = "source: {title: t, urls: [], obtained: o, as_of: 2025-10-06}\nintel: []\n";
    assert_eq!(
        ProcessorList::parse(missing_list, &origin)
            .unwrap_err()
            .code(),
        "data-syntax"
    );
}

// --- the family/model rule: Intel ----------------------------------------------------------------

#[test]
fn intel_model_95_and_below_is_blocked() {
    let rule = assert_rule(&x86(INTEL, 6, 95, 9), Some(false));
    assert!(rule.reason().contains("model 95"), "{}", rule.reason());
    let ivy = assert_rule(&x86(INTEL, 6, 58, 9), Some(false));
    assert!(ivy.reason().contains("Ivy Bridge"), "{}", ivy.reason());
    assert_rule(&x86(INTEL, 6, 94, 3), Some(false)); // Skylake
    assert_rule(&x86(INTEL, 6, 23, 10), Some(false)); // Core 2
    assert_rule(&x86(INTEL, 6, 28, 2), Some(false)); // Atom N270
}

#[test]
fn intel_skylake_x_is_exempt_and_96_up_pass() {
    assert_rule(&x86(INTEL, 6, 85, 4), Some(true));
    assert_rule(&x86(INTEL, 6, 96, 0), Some(true));
    assert_rule(&x86(INTEL, 6, 165, 5), Some(true)); // Comet Lake
    assert_rule(&x86(INTEL, 6, 151, 2), Some(true)); // Alder Lake
}

#[test]
fn intel_other_families_follow_the_v2_condition() {
    // Pentium 4: v2 blocks any family >= 6 with model <= 95, not only family 6.
    let p4 = assert_rule(&x86(INTEL, 15, 4, 1), Some(false));
    assert!(p4.reason().contains("family 15"), "{}", p4.reason());
    // Model 85 is exempt only in family 6.
    assert_rule(&x86(INTEL, 15, 85, 1), Some(false));
    // Family 5 is below the rule's reach, so it passes (the script's behaviour).
    assert_rule(&x86(INTEL, 5, 2, 1), Some(true));
}

#[test]
fn intel_kaby_lake_stepping_9_needs_the_platform_id() {
    assert_rule(&with_platform(x86(INTEL, 6, 142, 9), 16), Some(true));
    let blocked = assert_rule(&with_platform(x86(INTEL, 6, 142, 9), 8), Some(false));
    assert!(
        blocked.reason().contains("platform ID 8"),
        "{}",
        blocked.reason()
    );
    let unknown = assert_rule(&x86(INTEL, 6, 142, 9), None);
    assert!(
        unknown.reason().contains("Platform Specific Field 1")
            && unknown
                .reason()
                .contains(r"HKLM\HARDWARE\DESCRIPTION\System\CentralProcessor\0"),
        "{}",
        unknown.reason()
    );
    assert_rule(&x86(INTEL, 6, 142, 10), Some(true)); // Kaby Lake R / Coffee Lake: no check
    assert_rule(&with_platform(x86(INTEL, 6, 158, 9), 8), Some(true));
    assert_rule(&with_platform(x86(INTEL, 6, 158, 9), 2), Some(false));
    assert_rule(&x86(INTEL, 6, 158, 9), None);
    assert_rule(&x86(INTEL, 6, 158, 10), Some(true)); // Coffee Lake
}

#[test]
fn intel_missing_inputs_are_unknown_and_named() {
    let mut cpu = x86(INTEL, 6, 58, 9);
    cpu.family = None;
    let rule = assert_rule(&cpu, None);
    assert!(rule.reason().contains("family"), "{}", rule.reason());

    let mut cpu = x86(INTEL, 6, 58, 9);
    cpu.model = None;
    assert!(assert_rule(&cpu, None).reason().contains("model"));

    // Stepping matters only for models 142 and 158.
    let mut cpu = x86(INTEL, 6, 158, 9);
    cpu.stepping = None;
    assert!(assert_rule(&cpu, None).reason().contains("stepping"));
    let mut cpu = x86(INTEL, 6, 58, 9);
    cpu.stepping = None;
    assert_rule(&cpu, Some(false));
}

// --- the family/model rule: AMD --------------------------------------------------------------

#[test]
fn amd_boundaries() {
    let bulldozer = assert_rule(&x86(AMD, 22, 0, 1), Some(false));
    assert!(
        bulldozer.reason().contains("family 22"),
        "{}",
        bulldozer.reason()
    );
    assert_rule(&x86(AMD, 21, 2, 0), Some(false));
    let zen = assert_rule(&x86(AMD, 23, 1, 1), Some(false));
    assert!(zen.reason().contains("Summit Ridge"), "{}", zen.reason());
    assert_rule(&x86(AMD, 23, 17, 0), Some(false)); // Raven Ridge
    assert_rule(&x86(AMD, 23, 8, 2), Some(true)); // Pinnacle Ridge
    assert_rule(&x86(AMD, 23, 24, 1), Some(true)); // Picasso
    assert_rule(&x86(AMD, 23, 113, 0), Some(true)); // Matisse
    assert_rule(&x86(AMD, 25, 33, 0), Some(true)); // Zen 3
    assert_rule(&x86(AMD, 26, 68, 0), Some(true)); // Zen 5
}

#[test]
fn amd_needs_the_model_only_in_family_23() {
    let mut cpu = x86(AMD, 23, 1, 1);
    cpu.model = None;
    assert!(assert_rule(&cpu, None).reason().contains("model"));
    let mut cpu = x86(AMD, 25, 33, 0);
    cpu.model = None;
    assert_rule(&cpu, Some(true));
    let mut cpu = x86(AMD, 16, 4, 0);
    cpu.model = None;
    assert_rule(&cpu, Some(false));
}

// --- the family/model rule: ARM64 and others ------------------------------------------------------

#[test]
fn qualcomm_arm64_needs_v81_atomics() {
    assert_rule(&arm(QUALCOMM, Some(true)), Some(true));
    assert_rule(&arm(QUALCOMM, Some(false)), Some(false));
    assert!(assert_rule(&arm(QUALCOMM, None), None)
        .reason()
        .contains("atomics"));
    // The vendor comparison ignores case, as the script's does.
    assert_rule(&arm("QUALCOMM TECHNOLOGIES INC", Some(true)), Some(true));
    // Other ARM64 makers are not accepted, atomics or not.
    assert_rule(&arm("Apple", Some(true)), Some(false));
}

#[test]
fn architecture_is_inferred_from_the_vendor_when_absent() {
    let mut intel = x86(INTEL, 6, 158, 10);
    intel.arch = None;
    assert_rule(&intel, Some(true));
    let mut qc = arm(QUALCOMM, Some(true));
    qc.arch = None;
    assert_rule(&qc, Some(true));
    // An Intel vendor on an ARM64 architecture fits neither branch.
    let mut odd = x86(INTEL, 6, 158, 10);
    odd.arch = Some(Arch::Arm64);
    assert_rule(&odd, Some(false));
}

#[test]
fn other_vendors_are_invalid_and_named() {
    let via = assert_rule(&x86("CentaurHauls", 6, 15, 8), Some(false));
    assert!(
        via.reason().contains("CentaurHauls") && via.reason().contains("family 6"),
        "{}",
        via.reason()
    );
    assert_rule(&x86("HygonGenuine", 24, 0, 1), Some(false));
    let mut no_family = x86("CentaurHauls", 6, 15, 8);
    no_family.family = None;
    no_family.arch = None;
    assert_rule(&no_family, Some(false));
}

#[test]
fn missing_vendor_is_unknown() {
    let mut cpu = x86(INTEL, 6, 158, 10);
    cpu.vendor = None;
    assert!(assert_rule(&cpu, None).reason().contains("vendor"));
    assert_rule(&Cpu::default(), None);
}

#[test]
fn family_rule_serializes_with_its_status() {
    let json = serde_json::to_value(win11_family_rule(
        &x86(AMD, 23, 17, 0),
        &CpuFamilyRule::embedded(),
    ))
    .unwrap();
    assert_eq!(json["status"], "invalid");
    assert!(json["reason"].as_str().unwrap().contains("model 17"));
}

// --- brand matching ----------------------------------------------------------------------------

#[track_caller]
fn assert_find(vendor: Option<&str>, brand: &str, expected: Option<&str>) {
    assert_eq!(shipped().find(vendor, brand), expected, "{brand}");
}

#[test]
fn amd_model_suffixes_are_told_apart() {
    assert_find(
        Some(AMD),
        "AMD Ryzen 5 2600 Six-Core Processor",
        Some("Ryzen 5 2600"),
    );
    assert_find(
        Some(AMD),
        "AMD Ryzen 5 2600X Six-Core Processor",
        Some("Ryzen 5 2600X"),
    );
    assert_find(
        Some(AMD),
        "AMD Ryzen 7 PRO 2700 Eight-Core Processor",
        Some("Ryzen 7 PRO 2700"),
    );
    assert_find(
        Some(AMD),
        "AMD Ryzen 7 PRO 2700X Eight-Core Processor",
        Some("Ryzen 7 PRO 2700X"),
    );
    assert_find(
        Some(AMD),
        "AMD Ryzen 7 2700 Eight-Core Processor",
        Some("Ryzen 7 2700"),
    );
    assert_find(
        Some(AMD),
        "AMD Ryzen Threadripper PRO 3955WX 16-Cores",
        Some("Ryzen Threadripper PRO 3955WX"),
    );
    assert_find(
        Some(AMD),
        "AMD EPYC 7302 16-Core Processor",
        Some("EPYC 7302"),
    );
    assert_find(Some(AMD), "AMD Ryzen Z1 Extreme", Some("Ryzen Z1 Extreme"));
    assert_find(Some(AMD), "AMD Ryzen Z1", Some("Ryzen Z1"));
}

#[test]
fn amd_graphics_suffixes_are_ignored() {
    assert_find(
        Some(AMD),
        "AMD Ryzen 7 5800H with Radeon Graphics",
        Some("Ryzen 7 5800H"),
    );
    assert_find(
        Some(AMD),
        "AMD Ryzen 7 7840HS w/ Radeon 780M Graphics",
        Some("Ryzen 7 7840HS"),
    );
    assert_find(
        Some(AMD),
        "AMD Ryzen 5 PRO 3500U w/ Radeon Vega Mobile Gfx",
        Some("Ryzen 5 PRO 3500U"),
    );
    assert_find(
        Some(AMD),
        "AMD Athlon Silver 3050U with Radeon Graphics",
        Some("Athlon Silver 3050U"),
    );
    assert_find(Some(AMD), "AMD 3020e with Radeon Graphics", Some("3020e"));
    assert_find(
        Some(AMD),
        "AMD Ryzen Embedded R2312 with Radeon Graphics",
        Some("Ryzen Embedded R2000 Series R2312"),
    );
}

#[test]
fn amd_not_listed() {
    // Zen 1 (Summit Ridge) and Raven Ridge APUs are not on Microsoft's lists (and are blocked
    // by the family rule); the list has no Ryzen 1000 or 2x00G/U entries at all.
    assert_find(Some(AMD), "AMD Ryzen 7 1700 Eight-Core Processor", None);
    assert_find(Some(AMD), "AMD Ryzen 5 1600 Six-Core Processor", None);
    assert_find(
        Some(AMD),
        "AMD Ryzen 5 2400G with Radeon Vega Graphics",
        None,
    );
    assert_find(
        Some(AMD),
        "AMD Ryzen 7 2700U with Radeon Vega Mobile Gfx",
        None,
    );
    assert_find(Some(AMD), "AMD FX(tm)-8350 Eight-Core Processor", None);
    // Newer than the scrape: Ryzen AI 300 and Ryzen 9000 are missing (25H2 series-level pages).
    assert_find(Some(AMD), "AMD Ryzen AI 9 HX 370 w/ Radeon 890M", None);
    assert_find(Some(AMD), "AMD Ryzen 7 9800X3D 8-Core Processor", None);
}

#[test]
fn intel_listed() {
    assert_find(
        Some(INTEL),
        "Intel(R) Core(TM) i5-8400 CPU @ 2.80GHz",
        Some("Core(TM) i5-8400"),
    );
    assert_find(
        Some(INTEL),
        "Intel(R) Core(TM) i5-8400T CPU @ 1.70GHz",
        Some("Core(TM) i5-8400T"),
    );
    assert_find(
        Some(INTEL),
        "Intel(R) Celeron(R) CPU G4900 @ 3.10GHz",
        Some("Celeron(R) G4900"),
    );
    assert_find(
        Some(INTEL),
        "Intel(R) Core(TM) i7-8550U CPU @ 1.80GHz",
        Some("Core(TM) i7-8550U"),
    );
    assert_find(
        Some(INTEL),
        "Intel(R) Core(TM) Ultra 7 258V",
        Some("Core(TM) Ultra 7-258V"),
    );
    assert_find(
        Some(INTEL),
        "Intel(R) Xeon(R) E-2124 CPU @ 3.30GHz",
        Some("Xeon(R) E-2124"),
    );
    assert_find(
        Some(INTEL),
        "Intel(R) Xeon(R) E-2124G CPU @ 3.40GHz",
        Some("Xeon(R) E-2124G"),
    );
    assert_find(
        Some(INTEL),
        "Intel(R) Xeon(R) W-2175 CPU @ 2.50GHz",
        Some("Xeon(R) W-2175"),
    );
    assert_find(
        Some(INTEL),
        "Intel(R) Core(TM) i7-7820HQ CPU @ 2.90GHz",
        Some("Core(TM) i7-7820HQ"),
    );
    assert_find(
        Some(INTEL),
        "Intel(R) Core(TM) i7-7820X CPU @ 3.60GHz",
        Some("Core(TM) i7-7820X"),
    );
    assert_find(
        Some(INTEL),
        "12th Gen Intel(R) Core(TM) i7-1265U",
        Some("Core(TM) i7-1265U"),
    );
    assert_find(
        Some(INTEL),
        "11th Gen Intel(R) Core(TM) i5-1135G7 @ 2.40GHz",
        Some("Core(TM) i5-1135G7"),
    );
    assert_find(
        Some(INTEL),
        "Intel(R) Core(TM) m3-8100Y CPU @ 1.10GHz",
        Some("Core(TM) m3-8100Y"),
    );
    assert_find(
        Some(INTEL),
        "Intel(R) Core(TM) 3 100U",
        Some("Core(TM) 3-100U"),
    );
    assert_find(Some(INTEL), "Intel(R) N100", Some("Processor N100"));
    assert_find(
        Some(INTEL),
        "Intel(R) Core(TM) i3-N305",
        Some("Core(TM) i3-N305"),
    );
    assert_find(
        Some(INTEL),
        "Intel(R) Pentium(R) Gold 6405U CPU @ 2.40GHz",
        Some("Pentium(R) Gold 6405U"),
    );
    assert_find(
        Some(INTEL),
        "Intel® Core™ i5-8400 CPU @ 2.80GHz",
        Some("Core(TM) i5-8400"),
    );
    assert_find(
        Some(INTEL),
        "INTEL(R) CORE(TM) I5-8400 CPU @ 2.80GHZ",
        Some("Core(TM) i5-8400"),
    );
}

#[test]
fn intel_not_listed() {
    assert_find(Some(INTEL), "Intel(R) Core(TM) i5-3470 CPU @ 3.20GHz", None);
    assert_find(Some(INTEL), "Intel(R) Core(TM) i7-4770 CPU @ 3.40GHz", None);
    assert_find(Some(INTEL), "Intel(R) Core(TM) i5-6500 CPU @ 3.20GHz", None);
    assert_find(
        Some(INTEL),
        "Intel(R) Core(TM) i7-7700K CPU @ 4.20GHz",
        None,
    );
    assert_find(
        Some(INTEL),
        "Intel(R) Core(TM) i7-7600U CPU @ 2.80GHz",
        None,
    );
    assert_find(
        Some(INTEL),
        "Intel(R) Core(TM)2 Duo CPU E8400 @ 3.00GHz",
        None,
    );
    assert_find(Some(INTEL), "Intel(R) Atom(TM) CPU N270 @ 1.60GHz", None);
    assert_find(Some(INTEL), "Intel(R) Core(TM) i7 CPU 920 @ 2.67GHz", None);
    assert_find(Some(INTEL), "Intel(R) Pentium(R) CPU G4560 @ 3.50GHz", None);
    // A prefix of a listed name is not that name.
    assert_find(Some(INTEL), "Intel(R) Core(TM) i5-840", None);
}

#[test]
fn qualcomm_brands() {
    assert_find(
        Some(QUALCOMM),
        "Snapdragon (TM) 8cx @ 2.84 GHz",
        Some("Snapdragon (TM) 8cx"),
    );
    assert_find(
        Some(QUALCOMM),
        "Snapdragon(TM) 8cx Gen 2 @ 3.15 GHz",
        Some("Snapdragon (TM) 8cx Gen 2"),
    );
    assert_find(
        Some(QUALCOMM),
        "Snapdragon (TM) 7c+ Gen 3 @ 2.55 GHz",
        Some("Snapdragon (TM) 7c+ Gen 3"),
    );
    assert_find(
        Some(QUALCOMM),
        "Microsoft SQ1 @ 3.0 GHz",
        Some("Microsoft SQ1"),
    );
    assert_find(
        Some(QUALCOMM),
        "Snapdragon(R) X Elite - X1E80100 - Qualcomm(R) Oryon(TM) CPU",
        Some("X1E-80-100"),
    );
    assert_find(
        Some(QUALCOMM),
        "Snapdragon(R) X 10-core X1P64100 @ 3.40 GHz",
        Some("X1P-64-100"),
    );
    assert_find(Some(QUALCOMM), "Qualcomm Snapdragon 835", None);
}

#[test]
fn vendor_restricts_the_search_only_when_recognized() {
    assert_find(Some(INTEL), "AMD Ryzen 5 2600 Six-Core Processor", None);
    assert_find(
        None,
        "AMD Ryzen 5 2600 Six-Core Processor",
        Some("Ryzen 5 2600"),
    );
    assert_find(
        Some("SomethingElse"),
        "AMD Ryzen 5 2600 Six-Core Processor",
        Some("Ryzen 5 2600"),
    );
    assert_find(
        Some("Qualcomm"),
        "Snapdragon (TM) 8cx @ 2.84 GHz",
        Some("Snapdragon (TM) 8cx"),
    );
}

#[test]
fn odd_brand_strings_never_panic() {
    let list = shipped();
    let long = "Intel(R) Core(TM) i5-8400 ".repeat(10_000);
    for brand in [
        "",
        " ",
        "@",
        "-",
        "(R)(TM)®™",
        "with",
        "w/",
        "Series",
        "Six-Core",
        "-core",
        "Ünïcödé Çore™ i5‐8400 ✓ 𝔽𝕠𝕠",
        "\u{0}\u{feff}\t\n",
        "İ", // lowercases to two chars
        long.as_str(),
    ] {
        let _ = list.find(None, brand);
        let _ = list.find(Some(INTEL), brand);
    }
    assert_eq!(list.find(Some(INTEL), &long), Some("Core(TM) i5-8400"));
}

/// What the lookup benchmark (benches/assess.rs) looks up: four listed processors and one that
/// is not (a Core 2, which falls through every entry).
#[test]
fn benchmark_brands_are_found_or_not_as_expected() {
    let list = shipped();
    for (vendor, brand, entry) in [
        (
            INTEL,
            "Intel(R) Core(TM) i5-8400 CPU @ 2.80GHz",
            Some("Core(TM) i5-8400"),
        ),
        (
            AMD,
            "AMD Ryzen 5 2600 Six-Core Processor",
            Some("Ryzen 5 2600"),
        ),
        (INTEL, "Intel(R) Core(TM)2 Duo CPU E8400 @ 3.00GHz", None),
        (
            INTEL,
            "12th Gen Intel(R) Core(TM) i7-1265U",
            Some("Core(TM) i7-1265U"),
        ),
        (
            AMD,
            "AMD Ryzen 7 5800H with Radeon Graphics",
            Some("Ryzen 7 5800H"),
        ),
    ] {
        assert_eq!(list.find(Some(vendor), brand), entry, "{brand}");
    }
}
