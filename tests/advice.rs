//! Wrong advice that was given and must not come back (issue 11 §1): each test is named after
//! the case, runs on a real input or a small inventory, and checks the route and figures a
//! careful consultant would give.

use std::path::Path;
use w7plan::facts::inventory::Inventory;
use w7plan::judge::assess::Assessment;
use w7plan::judge::rules::route::{Open, RouteOption};
use w7plan::judge::rules::RuleSet;
use w7plan::knowledge::targets::Targets;
use w7plan::vocab::Target;
use w7plan::vocab::Verdict;

fn rules() -> &'static RuleSet {
    static RULES: std::sync::OnceLock<RuleSet> = std::sync::OnceLock::new();
    RULES.get_or_init(|| RuleSet::load(None).unwrap())
}

fn date(text: &str) -> jiff::civil::Date {
    text.parse().unwrap()
}

fn assess_on(inventory: &Inventory, as_of: &str) -> Assessment {
    Assessment::new(inventory, rules(), &Targets::embedded().all(), date(as_of))
}

fn inventory(yaml: &str) -> Inventory {
    Inventory::parse(yaml, &w7plan::error::Origin("test".into())).unwrap_or_else(|e| panic!("{e}"))
}

fn sample(relative: &str) -> Inventory {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/samples")
        .join(relative);
    w7plan::facts::import::read_path(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn fixture(name: &str) -> Inventory {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/inventories")
        .join(name);
    Inventory::read(&path).unwrap_or_else(|e| panic!("{e}"))
}

fn markdown(assessment: &Assessment, inventory: &Inventory) -> String {
    use w7plan::output::report::{Format, RenderOptions, Renderer};
    Renderer::new(None)
        .unwrap()
        .render(
            Format::Markdown,
            assessment,
            inventory,
            RenderOptions::default(),
        )
        .unwrap()
}

fn option<'a>(assessment: &'a Assessment, id: &str) -> &'a RouteOption {
    assessment
        .plan
        .route
        .options
        .iter()
        .find(|o| o.id == id)
        .unwrap_or_else(|| panic!("no route {id}"))
}

fn routes(assessment: &Assessment) -> Vec<(String, Open)> {
    assessment
        .plan
        .route
        .options
        .iter()
        .map(|o| (o.id.clone(), o.open))
        .collect()
}

/// A capable Coffee Lake PC with everything Windows 11 needs, running 32-bit Windows 7.
const COFFEE_LAKE_32BIT: &str = r#"
schema: w7plan/inventory/v1
os: {family: windows, name: Microsoft Windows 7 Professional, edition: Professional, version: "6.1", build: 7601, service_pack: 1, arch: x86}
cpu: {vendor: GenuineIntel, brand: Intel(R) Core(TM) i5-8400 CPU @ 2.80GHz, family: 6, model: 158, stepping: 10, logical_processors: 6, max_mhz: 2808, address_width: 32, features: {popcnt: true, sse4_2: true}}
memory: {installed_bytes: 8589934592}
storage: {system_volume: {letter: "C:", size_bytes: 255953203200}}
firmware: {secure_boot_capable: true}
tpm: {present: true, version: "2.0"}
graphics: [{name: Intel(R) UHD Graphics 630, wddm: "2.7", directx: "12.1"}]
"#;

/// Issue 11 §1: a 32-bit Windows on a 64-bit-capable processor was told "Replace the PC",
/// although the processor check itself said the CPU was not blocked.
#[test]
fn thirty_two_bit_windows_on_a_capable_cpu_is_not_told_to_replace_the_pc() {
    // The real systeminfo output (Kaby Lake, 32-bit Windows, clock and core count not shown).
    let nl = sample("systeminfo/wesng__10_1803_x86_enterprise_nl_systeminfo.txt");
    let a = assess_on(&nl, "2026-12-05");
    assert_ne!(
        a.plan.after_fixes[&Target::new("windows11")],
        Verdict::NotReady
    );
    assert_eq!(option(&a, "replace").open, Open::No, "{:?}", routes(&a));
    assert_eq!(
        a.plan.route.recommended.as_deref(),
        Some("fix-then-install"),
        "{:?}",
        routes(&a)
    );
    let fix = a
        .plan
        .fixes
        .iter()
        .find(|f| f.check == "win11.processor")
        .expect("the processor's fix is listed");
    assert!(fix.action.contains("64-bit Windows 11"), "{}", fix.action);
    assert!(!fix.action.contains("replace the PC"), "{}", fix.action);
    assert!(
        fix.if_confirmed.is_some(),
        "the clock and core count are still to confirm"
    );

    // An inventory with every fact: fixing the OS width makes it ready, the route is open.
    let a = assess_on(&inventory(COFFEE_LAKE_32BIT), "2026-12-05");
    let processor = a.targets[0]
        .checks
        .iter()
        .find(|c| c.id == "win11.processor")
        .unwrap();
    assert_eq!(
        processor.status,
        w7plan::vocab::Status::Fail,
        "Microsoft's script fails AddressWidth 32, and so does the check"
    );
    assert_eq!(
        a.plan.after_fixes[&Target::new("windows11")],
        Verdict::Ready
    );
    assert_eq!(
        a.plan.route.recommended.as_deref(),
        Some("fix-then-install")
    );
    assert_eq!(option(&a, "fix-then-install").open, Open::Yes);
    assert_eq!(option(&a, "replace").open, Open::No);
}

/// AddressWidth is the OS width: when the inventory lacks it, it follows `os.arch`; and when
/// nothing proves the processor's own width, that is unknown, never a reason to buy a PC.
#[test]
fn thirty_two_bit_windows_with_an_unproven_processor_width_is_unknown_not_replace() {
    let no_width = COFFEE_LAKE_32BIT.replace("address_width: 32, ", "");
    let a = assess_on(&inventory(&no_width), "2026-12-05");
    assert_eq!(
        a.plan.after_fixes[&Target::new("windows11")],
        Verdict::Ready
    );
    assert_eq!(option(&a, "replace").open, Open::No);

    // Intel family 5 passes Microsoft's rule but proves nothing about 64 bits.
    let pentium = COFFEE_LAKE_32BIT
        .replace("brand: Intel(R) Core(TM) i5-8400 CPU @ 2.80GHz, ", "")
        .replace(
            "family: 6, model: 158, stepping: 10",
            "family: 5, model: 8, stepping: 0",
        );
    let a = assess_on(&inventory(&pentium), "2026-12-05");
    assert_eq!(
        a.plan.after_fixes[&Target::new("windows11")],
        Verdict::Unknown
    );
    assert_eq!(option(&a, "replace").open, Open::No, "{:?}", routes(&a));

    // A processor observed to be 32-bit cannot take 64-bit Windows: that one is replaced.
    let atom =
        COFFEE_LAKE_32BIT.replace("address_width: 32, ", "address_width: 32, data_width: 32, ");
    let a = assess_on(&inventory(&atom), "2026-12-05");
    assert_eq!(
        a.plan.after_fixes[&Target::new("windows11")],
        Verdict::NotReady
    );
    assert_eq!(a.plan.route.recommended.as_deref(), Some("replace"));

    // A blocked processor on 32-bit Windows is still replaced (the Core 2 fixture).
    let a = assess_on(&fixture("core2-32bit.yaml"), "2026-12-05");
    assert_eq!(a.plan.route.recommended.as_deref(), Some("replace"));
}

/// A Kaby Lake R ThinkPad on Windows 7 whose Windows 10 verdict hangs on unknown checks, and a
/// Windows 10 machine that is ready: the stopgaps are judged on both.
fn stopgap(fixture_name: &str, as_of: &str, id: &str) -> RouteOption {
    option(&assess_on(&fixture(fixture_name), as_of), id).clone()
}

/// Issue 11 §1: the Windows 10 ESU stopgap showed "$61 … until 2028-10-10" at every date.
/// Its years are bought cumulatively ($61, $122, $244), so the cost depends on the date.
#[test]
fn windows10_esu_costs_follow_the_date() {
    let esu = stopgap("kaby-lake-r-thinkpad.yaml", "2026-12-05", "windows10-esu");
    let cover: Vec<(String, f64)> = esu
        .cover
        .iter()
        .map(|c| (c.until.to_string(), c.cost_usd))
        .collect();
    assert_eq!(
        cover,
        [
            ("2027-10-12".to_string(), 183.0),
            ("2028-10-10".to_string(), 427.0)
        ]
    );
    assert_eq!(esu.cost_usd, Some([183.0, 427.0]));
    let note = esu.cost_note.as_deref().unwrap();
    assert!(note.contains("to 2027-10-12: $183"), "{note}");
    assert!(note.contains("to 2028-10-10: $427"), "{note}");
    // On its first day all three years are ahead.
    let esu = stopgap("kaby-lake-r-thinkpad.yaml", "2025-10-15", "windows10-esu");
    assert_eq!(esu.cost_usd, Some([61.0, 427.0]));
    assert_eq!(esu.cover.len(), 3);
}

/// Issue 11 §1: stopgaps stayed open after they ended; one ending within a year says so.
#[test]
fn stopgaps_past_their_end_are_closed() {
    let esu = stopgap("coffee-lake-ready.yaml", "2028-10-11", "windows10-esu");
    assert_eq!(esu.open, Open::No);
    assert!(esu.cost_usd.is_none());
    assert!(esu.deadline_note.unwrap().contains("ended on 2028-10-10"));
    let iot = stopgap(
        "coffee-lake-ready.yaml",
        "2032-01-14",
        "windows10-iot-ltsc-2021",
    );
    assert_eq!(iot.open, Open::No);
    // Windows 10 Enterprise LTSC 2021 ends on 2027-01-12: its row says so as of 2026-12-05.
    let ltsc = stopgap(
        "coffee-lake-ready.yaml",
        "2026-12-05",
        "windows10-ltsc-2021",
    );
    assert_eq!(ltsc.open, Open::Yes);
    let note = ltsc.deadline_note.expect("ends within a year");
    assert!(
        note.contains("2027-01-12") && note.contains("38 days"),
        "{note}"
    );
    // The IoT edition runs to 2032: nothing to say yet.
    let iot = stopgap(
        "coffee-lake-ready.yaml",
        "2026-12-05",
        "windows10-iot-ltsc-2021",
    );
    assert!(iot.deadline_note.is_none());
}

/// Route costs and openness change exactly at each lifecycle date: the last day covered is
/// still open, the day after is not; a year's end moves the cost on the day after.
#[test]
fn route_costs_and_openness_change_exactly_at_each_lifecycle_date() {
    // (stopgap, last day, the day after, cost on the last day, cost the day after)
    type Case = (
        &'static str,
        &'static str,
        &'static str,
        Option<[f64; 2]>,
        Option<[f64; 2]>,
    );
    let cases: [Case; 7] = [
        (
            "windows10-esu",
            "2026-10-13",
            "2026-10-14",
            Some([61.0, 427.0]),
            Some([183.0, 427.0]),
        ),
        (
            "windows10-esu",
            "2027-10-12",
            "2027-10-13",
            Some([183.0, 427.0]),
            Some([427.0, 427.0]),
        ),
        (
            "windows10-esu",
            "2028-10-10",
            "2028-10-11",
            Some([427.0, 427.0]),
            None,
        ),
        (
            "windows10-ltsc-2021",
            "2027-01-12",
            "2027-01-13",
            None,
            None,
        ),
        (
            "windows10-iot-ltsc-2021",
            "2032-01-13",
            "2032-01-14",
            None,
            None,
        ),
        (
            "windows10-esu",
            "2025-10-15",
            "2025-10-16",
            Some([61.0, 427.0]),
            Some([61.0, 427.0]),
        ),
        ("windows7-0patch", "2027-01-31", "2027-02-01", None, None),
    ];
    for (id, last, after, cost_last, cost_after) in cases {
        // 0patch is for Windows 7; the rest are judged on a PC ready for Windows 10.
        let machine = if id == "windows7-0patch" {
            "coffee-lake-4gb-windows7.yaml"
        } else {
            "coffee-lake-ready.yaml"
        };
        let on = stopgap(machine, last, id);
        let next = stopgap(machine, after, id);
        assert_eq!(on.cost_usd, cost_last, "{id} on {last}");
        assert_eq!(next.cost_usd, cost_after, "{id} on {after}");
        let ends = on.deadline.as_deref().unwrap();
        let closes = ends == last;
        assert_eq!(on.open, Open::Yes, "{id} is open on {last}");
        assert_eq!(
            next.open,
            if closes { Open::No } else { Open::Yes },
            "{id} on {after}"
        );
    }
    // "Less than a year left" starts exactly one year before the last day.
    let year_before = stopgap(
        "coffee-lake-ready.yaml",
        "2031-01-13",
        "windows10-iot-ltsc-2021",
    );
    assert!(year_before.deadline_note.is_none());
    let inside = stopgap(
        "coffee-lake-ready.yaml",
        "2031-01-14",
        "windows10-iot-ltsc-2021",
    );
    assert!(inside.deadline_note.unwrap().contains("364 days"));
}

/// Issue 11 §1: with nothing known about the licence, the plan said it did not carry over and
/// priced a full one. Unknown is unknown: the route costs "up to" the licence.
#[test]
fn no_licence_facts_is_not_no_licence() {
    let home_premium = COFFEE_LAKE_32BIT
        .replace(
            "Windows 7 Professional, edition: Professional",
            "Windows 7 Home Premium, edition: HomePremium",
        )
        .replace("arch: x86", "arch: x64")
        .replace("address_width: 32", "address_width: 64");
    let a = assess_on(&inventory(&home_premium), "2026-12-05");
    assert_eq!(a.plan.licence.carries_over, None);
    assert!(a.plan.licence.unknown.contains_key("carries_over"));
    let licence = a
        .plan
        .licence
        .checks
        .iter()
        .find(|c| c.id == "licence.windows11-home")
        .unwrap();
    assert_eq!(licence.status, w7plan::vocab::Status::Unknown);
    assert_eq!(a.plan.route.recommended.as_deref(), Some("clean-install"));
    let clean = option(&a, "clean-install");
    assert_eq!(
        clean.cost_usd,
        Some([0.0, 139.0]),
        "up to a Windows 11 Home licence"
    );
    let note = clean.cost_note.as_deref().unwrap();
    assert!(
        note.contains("only if the current one does not carry over"),
        "{note}"
    );
    let md = markdown(&a, &inventory(&home_premium));
    assert!(md.contains("up to $139"), "{md}");

    // A known OEM licence of Windows 7 does not carry over: the full price stands.
    let oem = format!("{home_premium}license: {{channel: \"OEM:SLP\"}}\n");
    let a = assess_on(&inventory(&oem), "2026-12-05");
    assert_eq!(a.plan.licence.carries_over, Some(false));
    assert_eq!(option(&a, "clean-install").cost_usd, Some([139.0, 139.0]));
}

/// Issue 11 §1: a PC already on Windows 11 (here 24H2 LTSC, from its systeminfo) was told to
/// clean-install Windows 11. It needs no migration; the plan says where it stands.
#[test]
fn a_pc_already_on_windows11_needs_no_migration() {
    let ltsc = sample("systeminfo/wesng__11_24H2_x64_enterprise_systeminfo.txt");
    let a = assess_on(&ltsc, "2026-12-05");
    assert_eq!(
        a.os.support.known().map(|s| s.id.as_str()),
        Some("windows11-ltsc-2024"),
        "LTSC on build 26100 is LTSC 2024"
    );
    assert_eq!(
        a.plan.route.recommended.as_deref(),
        Some("already-windows11")
    );
    for id in [
        "clean-install",
        "in-place-via-windows10",
        "fix-then-install",
        "replace",
        "windows10-esu",
    ] {
        assert_eq!(option(&a, id).open, Open::No, "{id}: {:?}", routes(&a));
    }
    let stay = option(&a, "already-windows11");
    assert_eq!(stay.deadline.as_deref(), Some("2029-10-09"));
    assert!(stay.why.contains("nothing to migrate"), "{}", stay.why);
    assert!(stay.why.contains("2029-10-09"), "{}", stay.why);

    // A Windows 11 version past its end: still no migration, but move to a supported version.
    let old = sample("systeminfo/wesng__11_22H2_x64_home-single-language_systeminfo.txt");
    let a = assess_on(&old, "2026-12-05");
    assert_eq!(
        a.plan.route.recommended.as_deref(),
        Some("already-windows11")
    );
    let stay = option(&a, "already-windows11");
    assert!(stay
        .deadline_note
        .as_deref()
        .unwrap()
        .contains("ended on 2024-10-08"));
    assert!(
        stay.why.contains("install the current Windows 11 version"),
        "{}",
        stay.why
    );
    assert_eq!(option(&a, "clean-install").open, Open::No);
}

/// Issue 11 §1: Windows Media Center was a blocker on every Home Premium, Professional,
/// Ultimate and Enterprise PC. It is part of those editions whether used or not: only evidence
/// of use (TV-tuner or Media Center software) makes it more than a note.
#[test]
fn windows_media_center_is_a_note_unless_it_is_used() {
    use w7plan::vocab::Severity;
    let media_center = |a: &Assessment| {
        a.plan
            .software
            .iter()
            .filter(|f| f.id.starts_with("win7-windows-media-center"))
            .map(|f| (f.id.clone(), f.severity))
            .collect::<Vec<_>>()
    };
    let a = assess_on(&fixture("core2-32bit.yaml"), "2026-12-05");
    assert_eq!(
        media_center(&a),
        [("win7-windows-media-center".to_string(), Severity::Info)]
    );
    let tuner = format!(
        "{}software:\n  - {{name: Hauppauge WinTV 8, version: 8.0.36049}}\n",
        std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/inventories/core2-32bit.yaml")
        )
        .unwrap()
    );
    let a = assess_on(&inventory(&tuner), "2026-12-05");
    assert_eq!(
        media_center(&a),
        [(
            "win7-windows-media-center-in-use".to_string(),
            Severity::Blocker
        )]
    );
    let finding = a
        .plan
        .software
        .iter()
        .find(|f| f.id.ends_with("in-use"))
        .unwrap();
    assert!(
        finding.evidence.contains("Hauppauge WinTV 8"),
        "{}",
        finding.evidence
    );
}

/// Issue 11 §5: third-party patches for Windows 7 (0patch) are a labelled stopgap with their
/// end, never recommended, and never offered to a PC that is not on Windows 7.
#[test]
fn windows7_0patch_is_a_labelled_stopgap_that_ends_soon() {
    let a = assess_on(&fixture("coffee-lake-4gb-windows7.yaml"), "2026-12-05");
    let patch = option(&a, "windows7-0patch");
    assert_eq!(patch.kind, w7plan::knowledge::routes::Kind::Stopgap);
    assert_eq!(patch.open, Open::Yes);
    assert!(patch.title.contains("third-party"), "{}", patch.title);
    assert!(patch.deadline_note.as_deref().unwrap().contains("57 days"));
    assert!(patch.cost_usd.is_none() && patch.cost_note.is_some());
    assert_ne!(a.plan.route.recommended.as_deref(), Some("windows7-0patch"));
    // Not listed at all on a machine that does not run Windows 7.
    let ten = assess_on(&fixture("coffee-lake-ready.yaml"), "2026-12-05");
    assert!(ten
        .plan
        .route
        .options
        .iter()
        .all(|o| o.id != "windows7-0patch"));
}

/// Issue 11 §5: every reference the shipped rules cite says when it was read.
#[test]
fn every_shipped_reference_has_an_as_of() {
    let rules = rules();
    let mut missing = Vec::new();
    for loaded in rules.checks() {
        for r in &loaded.check.refs {
            if r.as_of.is_none() {
                missing.push(format!("{}: {}", loaded.check.id, r.url));
            }
        }
    }
    for route in rules.routes().rules() {
        for r in &route.refs {
            if r.as_of.is_none() {
                missing.push(format!("route {}: {}", route.id, r.url));
            }
        }
    }
    for price in &rules.prices().prices {
        if price.source.as_of.is_none() {
            missing.push(format!("price {}", price.id));
        }
    }
    for entry in w7plan::knowledge::lifecycle::Lifecycle::embedded().entries() {
        let extension = entry.extension.as_ref().map(|e| &e.source);
        for source in std::iter::once(&entry.source).chain(extension) {
            if source.as_of.is_none() {
                missing.push(format!("lifecycle {}", entry.id));
            }
        }
    }
    assert!(missing.is_empty(), "references without as_of: {missing:#?}");
}

/// Unknown fix conditions count as "fixable once confirmed" only where a rule means it: a TPM
/// 1.2 whose on/off state was not read is still not a fix (switching it on gives 1.2).
#[test]
fn a_tpm_1_2_is_not_made_fixable_by_a_missing_fact() {
    let tpm12 = COFFEE_LAKE_32BIT
        .replace("arch: x86", "arch: x64")
        .replace("address_width: 32", "address_width: 64")
        .replace(
            "tpm: {present: true, version: \"2.0\"}",
            "tpm: {present: true, version: \"1.2\"}",
        );
    let a = assess_on(&inventory(&tpm12), "2026-12-05");
    let tpm = a.targets[0]
        .checks
        .iter()
        .find(|c| c.id == "win11.tpm")
        .unwrap();
    let fix = tpm.fix.as_ref().unwrap();
    assert!(
        !fix.fixable && fix.fixable_if_confirmed.is_none(),
        "{fix:?}"
    );
    assert_eq!(
        a.plan.after_fixes[&Target::new("windows11")],
        Verdict::NotReady
    );
}
