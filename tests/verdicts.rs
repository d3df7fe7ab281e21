//! Machines of known Windows 11 status give the right verdict per target, and the
//! HardwareReadiness view gives the result Microsoft's script would on the same facts.

use std::path::Path;
use w7plan::assess::{Assessment, Verdict};
use w7plan::inventory::Inventory;
use w7plan::report::hwreadiness::HwReadiness;
use w7plan::rules::{RuleSet, Status, Target};

fn assess(name: &str) -> (Inventory, Assessment) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/inventories")
        .join(name);
    let inventory = Inventory::read(&path).unwrap_or_else(|e| panic!("{e}"));
    let rules = RuleSet::load(None).unwrap();
    let assessment = Assessment::new(
        &inventory,
        &rules,
        &Target::ALL,
        jiff::civil::date(2026, 11, 27),
    );
    (inventory, assessment)
}

fn status(assessment: &Assessment, id: &str) -> Status {
    assessment
        .targets
        .iter()
        .flat_map(|t| &t.checks)
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("no check {id}"))
        .status
}

use Verdict::{NotReady, Ready, Unknown};

/// fixture, Windows 11 verdict, Windows 10 verdict, HardwareReadiness returnResult, returnReason.
const CASES: &[(&str, Verdict, Verdict, &str, &str)] = &[
    (
        "ivy-bridge-optiplex.yaml",
        NotReady,
        Unknown,
        "NOT CAPABLE",
        "TPM, Processor, ",
    ),
    (
        "haswell-desktop.yaml",
        NotReady,
        Unknown,
        "NOT CAPABLE",
        "TPM, Processor, ",
    ),
    (
        "kaby-lake-r-thinkpad.yaml",
        Unknown,
        Unknown,
        "UNDETERMINED",
        "",
    ),
    ("coffee-lake-ready.yaml", Ready, Ready, "CAPABLE", ""),
    (
        "coffee-lake-4gb-windows7.yaml",
        Unknown,
        Unknown,
        "UNDETERMINED",
        "",
    ),
    (
        "zen1-ryzen7-1700.yaml",
        NotReady,
        Unknown,
        "NOT CAPABLE",
        "Processor, ",
    ),
    (
        "zen-plus-ryzen5-2600.yaml",
        Unknown,
        Unknown,
        "UNDETERMINED",
        "",
    ),
    (
        "raven-ridge-ryzen5-2400g.yaml",
        NotReady,
        Unknown,
        "NOT CAPABLE",
        "Processor, ",
    ),
    (
        "core2-32bit.yaml",
        NotReady,
        Unknown,
        "NOT CAPABLE",
        "TPM, Processor, ",
    ),
    (
        "atom-netbook.yaml",
        NotReady,
        Unknown,
        "NOT CAPABLE",
        "Memory, Processor, ",
    ),
    (
        "no-admin-coffee-lake.yaml",
        Unknown,
        Unknown,
        "UNDETERMINED",
        "",
    ),
    (
        "small-volume-64gb.yaml",
        NotReady,
        Unknown,
        "NOT CAPABLE",
        "Storage, ",
    ),
    (
        "precision-5520-i7-7820hq.yaml",
        Unknown,
        Unknown,
        "CAPABLE",
        "",
    ),
];

#[test]
fn known_machines_get_the_right_verdicts() {
    let mut wrong = Vec::new();
    for &(name, win11, win10, result, reason) in CASES {
        let (inventory, assessment) = assess(name);
        let got11 = assessment.target(Target::Windows11).unwrap().verdict;
        let got10 = assessment.target(Target::Windows10).unwrap().verdict;
        let hw = HwReadiness::new(&assessment, &inventory);
        if (
            got11,
            got10,
            hw.return_result.as_str(),
            hw.return_reason.as_str(),
        ) != (win11, win10, result, reason)
        {
            wrong.push(format!(
                "{name}: got win11 {got11}, win10 {got10}, {} / {:?}; expected {win11}, {win10}, {result} / {reason:?}",
                hw.return_result, hw.return_reason
            ));
        }
    }
    assert!(wrong.is_empty(), "\n{}", wrong.join("\n"));
}

#[test]
fn missing_facts_never_give_not_ready() {
    let empty = Inventory::default();
    let rules = RuleSet::load(None).unwrap();
    let assessment = Assessment::new(
        &empty,
        &rules,
        &Target::ALL,
        jiff::civil::date(2026, 11, 27),
    );
    for target in &assessment.targets {
        assert_eq!(target.verdict, Verdict::Unknown, "{}", target.target);
        for check in &target.checks {
            assert_ne!(
                check.status,
                Status::Fail,
                "{} failed on no evidence",
                check.id
            );
            assert_ne!(
                check.status,
                Status::Pass,
                "{} passed on no evidence",
                check.id
            );
        }
    }
    let hw = HwReadiness::new(&assessment, &empty);
    assert_eq!(hw.return_result, "UNDETERMINED");
}

#[test]
fn the_reasons_name_what_failed() {
    let (_, ivy) = assess("ivy-bridge-optiplex.yaml");
    assert_eq!(status(&ivy, "win11.processor"), Status::Fail);
    assert_eq!(status(&ivy, "win11.tpm"), Status::Fail);
    assert_eq!(status(&ivy, "win11.memory"), Status::Pass);
    assert_eq!(status(&ivy, "win11.uefi-gpt"), Status::Fail);
    let processor = ivy.targets[0]
        .checks
        .iter()
        .find(|c| c.id == "win11.processor")
        .unwrap();
    assert!(
        processor.observed.as_deref().unwrap().contains("model 58"),
        "{:?}",
        processor.observed
    );

    let (_, no_admin) = assess("no-admin-coffee-lake.yaml");
    let tpm = no_admin.targets[0]
        .checks
        .iter()
        .find(|c| c.id == "win11.tpm")
        .unwrap();
    assert_eq!(tpm.status, Status::Unknown);
    assert!(
        tpm.reason.as_deref().unwrap().contains("tpm"),
        "{:?}",
        tpm.reason
    );
    assert!(tpm.manual.as_deref().unwrap().contains("tpm.msc"));
    assert_eq!(
        status(&no_admin, "win11.memory"),
        Status::Pass,
        "visible memory of 7.9 GB is enough"
    );

    let (_, core2) = assess("core2-32bit.yaml");
    assert_eq!(status(&core2, "win11.os-64bit"), Status::Fail);
    assert_eq!(
        status(&core2, "win10.x64-instructions"),
        Status::NotApplicable
    );
    assert_eq!(status(&core2, "win10.memory"), Status::Pass);
}

#[test]
fn hwreadiness_logging_follows_the_script_format() {
    let (inventory, assessment) = assess("ivy-bridge-optiplex.yaml");
    let hw = HwReadiness::new(&assessment, &inventory);
    assert_eq!(hw.return_code, 1);
    assert_eq!(
        hw.logging,
        "Storage: OSDiskSize=233GB. PASS; Memory: System_Memory=8GB. PASS; TPM: TPMVersion=1.2. FAIL; \
         Processor: {AddressWidth=64; MaxClockSpeed=3201; NumberOfLogicalCores=4; Manufacturer=GenuineIntel; \
         Caption=Intel64 Family 6 Model 58 Stepping 9; }. FAIL; SecureBoot: Undetermined. UNDETERMINED; "
    );
    let (inventory, assessment) = assess("precision-5520-i7-7820hq.yaml");
    let hw = HwReadiness::new(&assessment, &inventory);
    assert_eq!(hw.return_code, 0, "the i7-7820HQ exception forces CAPABLE");
    assert!(
        hw.logging
            .ends_with("i7-7820hq CPU: Precision 5520. PASS; "),
        "{}",
        hw.logging
    );
}
