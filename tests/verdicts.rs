//! Machines of known Windows 11 status give the right verdict per target, and the
//! HardwareReadiness view gives the result Microsoft's script would on the same facts.

use std::path::Path;
use w7plan::facts::inventory::Inventory;
use w7plan::judge::assess::Assessment;
use w7plan::judge::rules::RuleSet;
use w7plan::knowledge::targets::Targets;
use w7plan::output::report::hwreadiness::HwReadiness;
use w7plan::vocab::Verdict;
use w7plan::vocab::{Status, Target};

fn assess(name: &str) -> (Inventory, Assessment) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/inventories")
        .join(name);
    let inventory = Inventory::read(&path).unwrap_or_else(|e| panic!("{e}"));
    let rules = RuleSet::load(None).unwrap();
    let assessment = Assessment::new(
        &inventory,
        &rules,
        &Targets::embedded().all(),
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

use Verdict::{NotReady, Ready, ReadyToConfirm, Unknown};

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
        ReadyToConfirm,
        ReadyToConfirm,
        "UNDETERMINED",
        "",
    ),
    ("coffee-lake-ready.yaml", Ready, Ready, "CAPABLE", ""),
    (
        "coffee-lake-4gb-windows7.yaml",
        ReadyToConfirm,
        ReadyToConfirm,
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
        ReadyToConfirm,
        ReadyToConfirm,
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
        NotReady,
        ReadyToConfirm,
        "UNDETERMINED",
        "",
    ),
    (
        "small-volume-64gb.yaml",
        NotReady,
        ReadyToConfirm,
        "NOT CAPABLE",
        "Storage, ",
    ),
    (
        "precision-5520-i7-7820hq.yaml",
        ReadyToConfirm,
        ReadyToConfirm,
        "CAPABLE",
        "",
    ),
];

#[test]
fn known_machines_get_the_right_verdicts() {
    let mut wrong = Vec::new();
    for &(name, win11, win10, result, reason) in CASES {
        let (inventory, assessment) = assess(name);
        let got11 = assessment.target(Target::new("windows11")).unwrap().verdict;
        let got10 = assessment.target(Target::new("windows10")).unwrap().verdict;
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
        &Targets::embedded().all(),
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
    // No TPM seen on a listed processor: a firmware TPM to switch on (inferred), whose reason
    // still names the facts that were not observed.
    assert_eq!(tpm.status, Status::Fail);
    assert_eq!(tpm.evidence, Some(w7plan::vocab::Evidence::Inferred));
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

/// The route a careful consultant would pick for each kind of machine (issue 5's cases).
#[test]
fn recommended_routes() {
    let cases = [
        // Ivy Bridge with TPM 1.2: the processor cannot be fixed.
        ("ivy-bridge-optiplex.yaml", "replace"),
        // Kaby Lake R with TPM 2.0: a clean install, once Secure Boot and the rest are confirmed.
        ("kaby-lake-r-thinkpad.yaml", "clean-install"),
        // Core 2 on 32-bit Windows 7: blocked processor; no in-place path from 32-bit anyway.
        ("core2-32bit.yaml", "replace"),
        // Coffee Lake with 4 GB: exactly 4 GiB passes; a clean install.
        ("coffee-lake-4gb-windows7.yaml", "clean-install"),
        ("coffee-lake-ready.yaml", "clean-install"),
        ("zen1-ryzen7-1700.yaml", "replace"),
        ("zen-plus-ryzen5-2600.yaml", "clean-install"),
        ("small-volume-64gb.yaml", "fix-then-install"),
    ];
    for (name, expected) in cases {
        let (_, assessment) = assess(name);
        assert_eq!(
            assessment.plan.route.recommended.as_deref(),
            Some(expected),
            "{name}: {:#?}",
            assessment
                .plan
                .route
                .options
                .iter()
                .map(|o| (&o.id, o.open))
                .collect::<Vec<_>>()
        );
    }
    // 32-bit Windows 7 never gets the in-place route.
    let (_, core2) = assess("core2-32bit.yaml");
    let in_place = core2
        .plan
        .route
        .options
        .iter()
        .find(|o| o.id == "in-place-via-windows10")
        .unwrap();
    assert_eq!(in_place.open, w7plan::judge::rules::route::Open::No);
    // The fixable blockers are fixed in the after-fixes view, the processor is not.
    let (_, small) = assess("small-volume-64gb.yaml");
    assert_eq!(
        small.plan.after_fixes[&Target::new("windows11")],
        Verdict::ReadyToConfirm
    );
    assert!(small.plan.fixes.iter().any(|f| f.check == "win11.storage"));
    let (_, ivy) = assess("ivy-bridge-optiplex.yaml");
    assert_eq!(
        ivy.plan.after_fixes[&Target::new("windows11")],
        Verdict::NotReady
    );
}

/// Costs add up: a route's estimate is the sum of the prices it lists.
#[test]
fn route_costs_add_up() {
    for name in [
        "zen-plus-ryzen5-2600.yaml",
        "ivy-bridge-optiplex.yaml",
        "kaby-lake-r-thinkpad.yaml",
    ] {
        let (_, assessment) = assess(name);
        for option in &assessment.plan.route.options {
            if let Some([low, high]) = option.cost_usd {
                let sum: f64 = option.prices.iter().map(|p| p.usd).sum();
                // The high estimate buys every part; the low one leaves out what may not be
                // needed (later ESU years, a licence that may carry over).
                assert!(
                    low <= high && (high - sum).abs() < 0.005,
                    "{name} {}",
                    option.id
                );
            } else {
                assert!(
                    option.cost_note.is_some(),
                    "{name} {}: no cost and no reason",
                    option.id
                );
            }
        }
    }
    let (_, zen) = assess("zen-plus-ryzen5-2600.yaml");
    let clean = zen
        .plan
        .route
        .options
        .iter()
        .find(|o| o.id == "clean-install")
        .unwrap();
    assert_eq!(
        clean.cost_usd,
        Some([0.0, 139.0]),
        "Home Premium needs up to a Windows 11 Home licence (its licence was not collected)"
    );
}

/// A batch that only counts ([`Detail::Counts`]) reaches the same findings as a full
/// assessment: statuses, verdicts, fixes, the verdict after them, and every route's openness
/// and cost. Checked on every fixture and a few hundred varied synthetic machines.
#[test]
fn counting_reaches_the_same_findings_as_a_full_assessment() {
    use w7plan::vocab::Detail;
    let rules = RuleSet::load(None).unwrap();
    let as_of = jiff::civil::date(2026, 11, 27);
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/inventories");
    let mut inventories: Vec<(String, Inventory)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| (p.display().to_string(), Inventory::read(&p).unwrap()))
        .collect();
    inventories.extend((0..300).map(|i| {
        (
            format!("synthetic {i}"),
            w7plan::fleet::synthetic::machine(11, i),
        )
    }));
    let findings = |a: &Assessment| {
        let checks: Vec<_> = a
            .targets
            .iter()
            .flat_map(|t| &t.checks)
            .chain(&a.plan.licence.checks)
            .map(|c| (c.id.clone(), c.status, c.fix.as_ref().map(|f| f.fixable)))
            .collect();
        let routes: Vec<_> = a
            .plan
            .route
            .options
            .iter()
            .map(|o| (o.id.clone(), o.open, o.cost_usd, o.deadline.clone()))
            .collect();
        let fixes: Vec<_> = a.plan.fixes.iter().map(|f| f.check.clone()).collect();
        let verdicts: Vec<_> = a
            .targets
            .iter()
            .map(|t| (t.target, t.verdict, t.tally))
            .collect();
        (
            checks,
            verdicts,
            a.plan.after_fixes.clone(),
            fixes,
            a.plan.route.recommended.clone(),
            routes,
        )
    };
    for (name, inventory) in &inventories {
        let full = Assessment::new(inventory, &rules, &Targets::embedded().all(), as_of);
        let counted = Assessment::with_detail(
            inventory,
            &rules,
            &Targets::embedded().all(),
            as_of,
            Detail::Counts,
        );
        assert_eq!(findings(&counted), findings(&full), "{name}");
        // What counting leaves out is really left out, so it cannot be shown by mistake.
        assert!(
            counted.timeline.is_empty() && counted.plan.software.is_empty(),
            "{name}"
        );
        assert!(
            counted
                .targets
                .iter()
                .flat_map(|t| &t.checks)
                .all(|c| c.required.is_empty() && c.refs.is_empty()),
            "{name}"
        );
    }
}
