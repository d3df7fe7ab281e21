//! Programs at risk: the shipped knowledge base loads and is sourced, the matcher gives the
//! expected entries for real Uninstall DisplayNames (and none for near misses), components are
//! detected from the edition and architecture only, and findings follow the target.

use w7plan::error::Origin;
use w7plan::facts::inventory::{Arch, Inventory, Os, OsFamily, Program};
use w7plan::judge::plan::software::{programs_at_risk, SoftwareFinding};
use w7plan::judge::rules::lint::{lint, Level};
use w7plan::knowledge::software::{Detection, KnowledgeBase, Status};
use w7plan::knowledge::targets::Targets;
use w7plan::vocab::{Severity, Target};

fn program(name: &str, version: Option<&str>) -> Program {
    Program {
        name: Some(name.to_string()),
        version: version.map(str::to_string),
        ..Program::default()
    }
}

fn windows7(edition: Option<&str>, arch: Option<Arch>) -> Os {
    Os {
        family: Some(OsFamily::Windows),
        name: edition.map(|e| format!("Microsoft Windows 7 {e}")),
        edition: edition.map(str::to_string),
        version: Some("6.1".into()),
        build: Some(7601),
        arch,
        ..Os::default()
    }
}

fn machine(os: Option<Os>, programs: Vec<Program>) -> Inventory {
    Inventory {
        os,
        software: Some(programs),
        ..Inventory::default()
    }
}

fn ids(findings: &[SoftwareFinding]) -> Vec<&str> {
    findings.iter().map(|f| f.id.as_str()).collect()
}

/// What one installed program gives on a target, with no OS facts (so no component findings).
fn matched(name: &str, version: Option<&str>, target: Target) -> Vec<String> {
    let inventory = machine(None, vec![program(name, version)]);
    let mut ids: Vec<String> = programs_at_risk(KnowledgeBase::embedded(), &inventory, target)
        .into_iter()
        .map(|f| f.id)
        .collect();
    ids.sort();
    ids
}

#[test]
fn the_shipped_knowledge_loads_with_the_entries_shipped() {
    let kb = KnowledgeBase::embedded();
    assert_eq!(
        kb.len(),
        56,
        "55 confirmed entries of the knowledge base's 63, plus Media Center in use"
    );
    let count = |f: fn(&Detection) -> bool| kb.entries().iter().filter(|e| f(&e.detection)).count();
    assert_eq!(count(|d| matches!(d, Detection::Program(_))), 25);
    assert_eq!(count(|d| matches!(d, Detection::Component(_))), 4);
    assert_eq!(count(|d| matches!(d, Detection::Undetectable { .. })), 27);
    // The text parses the same way on its own.
    let again = KnowledgeBase::parse(
        KnowledgeBase::embedded_text(),
        &Origin("rules/software.yaml".into()),
    )
    .unwrap();
    assert_eq!(again.len(), kb.len());
}

#[test]
fn no_shipped_entry_is_unconfirmed() {
    let kb = KnowledgeBase::embedded();
    for entry in kb.entries() {
        assert_ne!(entry.status, Status::Unconfirmed, "{}", entry.id);
    }
    assert!(!KnowledgeBase::embedded_text().contains("status: UNCONFIRMED"));
    for id in [
        "win7-windows-dvd-maker",
        "win11-snipping-tool-replaced",
        "adobe-reader-acrobat-9-or-older",
        "adobe-reader-acrobat-x",
        "adobe-acrobat-2015-classic",
        "adobe-acrobat-2017-classic",
        "adobe-acrobat-2020-classic",
        "cisco-vpn-client-legacy",
    ] {
        assert!(kb.get(id).is_none(), "{id} is a lead, not a finding");
    }
}

#[test]
fn every_entry_cites_a_source_and_a_date() {
    for entry in KnowledgeBase::embedded().entries() {
        assert!(
            entry.source.starts_with("https://"),
            "{}: {}",
            entry.id,
            entry.source
        );
        for url in &entry.also {
            assert!(url.starts_with("http"), "{}: {url}", entry.id);
        }
        assert!(
            entry.as_of.parse::<jiff::civil::Date>().is_ok(),
            "{}: {}",
            entry.id,
            entry.as_of
        );
        assert!(
            !entry.summary.is_empty() && !entry.action.is_empty(),
            "{}",
            entry.id
        );
        // Sub-claims the knowledge marks UNCONFIRMED stay out of what a finding says.
        for text in [&entry.summary, &entry.action] {
            assert!(!text.contains("UNCONFIRMED"), "{}: {text}", entry.id);
        }
    }
}

/// Real DisplayNames (and versions) from Windows 7 Uninstall lists, and the entries they give on
/// Windows 11.
const GOLDEN: &[(&str, Option<&str>, &[&str])] = &[
    // Office: every version by its suite or app name; Microsoft 365 and Office parts are not Office
    (
        "Microsoft Office Professional Plus 2010",
        Some("14.0.7015.1000"),
        &["office-2010"],
    ),
    (
        "Microsoft Office Home and Business 2013",
        Some("15.0.4569.1506"),
        &["office-2013"],
    ),
    (
        "Microsoft Office Standard 2007",
        Some("12.0.6612.1000"),
        &["office-2007"],
    ),
    (
        "Microsoft Office Professional Edition 2003",
        Some("11.0.8173.0"),
        &["office-2003"],
    ),
    (
        "Microsoft Office Professional Plus 2016",
        Some("16.0.4266.1001"),
        &["office-2016"],
    ),
    (
        "Microsoft Office Professional Plus 2019 - en-us",
        Some("16.0.10827.20181"),
        &["office-2019"],
    ),
    (
        "Microsoft Visio Standard 2010",
        Some("14.0.7015.1000"),
        &["office-2010"],
    ),
    ("Microsoft Outlook 2007", None, &["office-2007"]),
    (
        "Microsoft Office 365 ProPlus - en-us",
        Some("16.0.11929.20838"),
        &[],
    ),
    (
        "Microsoft 365 Apps for enterprise - en-us",
        Some("16.0.14332.20345"),
        &[],
    ),
    (
        "Microsoft Office 2010 Primary Interop Assemblies",
        Some("14.0.4763.1000"),
        &[],
    ),
    (
        "Microsoft Office Access database engine 2010 (English)",
        Some("14.0.7015.1000"),
        &[],
    ),
    ("Microsoft Office 2007 Service Pack 3 (SP3)", None, &[]),
    (
        "Microsoft Visual Studio 2010 Tools for Office Runtime (x64)",
        Some("10.0.50903"),
        &[],
    ),
    (
        "Microsoft Office File Validation Add-In",
        Some("14.0.5130.5003"),
        &[],
    ),
    (
        "Update for Microsoft Office 2010 (KB2553347) 32-Bit Edition",
        None,
        &[],
    ),
    // Lync and Skype for Business, and consumer Skype
    (
        "Microsoft Lync 2010",
        Some("4.0.7577.4446"),
        &["lync-skype-for-business-client"],
    ),
    (
        "Skype for Business Basic 2016 - en-us",
        None,
        &["lync-skype-for-business-client"],
    ),
    (
        "Skype\u{2122} 7.41",
        Some("7.41.101"),
        &["skype-consumer-classic"],
    ),
    (
        "Skype version 8.96",
        Some("8.96"),
        &["skype-consumer-classic"],
    ),
    ("Skype Click to Call", Some("8.5.0.9167"), &[]),
    // Java: the runtime and the JDK by version; the updater is not Java
    ("Java 8 Update 341", Some("8.0.3410.10"), &["java-se-8"]),
    (
        "Java 8 Update 341 (64-bit)",
        Some("8.0.3410.10"),
        &["java-se-8"],
    ),
    (
        "Java(TM) SE Development Kit 8 Update 341 (64-bit)",
        Some("8.0.3410.10"),
        &["java-se-8"],
    ),
    ("Java 7 Update 80", Some("7.0.800"), &["java-se-7"]),
    (
        "Java(TM) 6 Update 45",
        Some("6.0.450"),
        &["java-se-6-or-older"],
    ),
    (
        "J2SE Runtime Environment 5.0 Update 22",
        Some("1.5.0.220"),
        &["java-se-6-or-older"],
    ),
    ("Java Auto Updater", Some("2.8.341.10"), &[]),
    ("Java 17.0.2 (64-bit)", Some("17.0.2.0"), &[]),
    // Plug-ins and media runtimes
    (
        "Adobe Flash Player 32 ActiveX",
        Some("32.0.0.465"),
        &["adobe-flash-player"],
    ),
    (
        "Adobe Flash Player 32 NPAPI",
        Some("32.0.0.465"),
        &["adobe-flash-player"],
    ),
    (
        "Microsoft Silverlight",
        Some("5.1.50918.0"),
        &["microsoft-silverlight"],
    ),
    (
        "QuickTime 7",
        Some("7.79.80.95"),
        &["apple-quicktime-windows"],
    ),
    ("Apple Software Update", Some("2.6.3.1"), &[]),
    // Adobe Reader: XI is confirmed; DC (continuous, supported) and 9 (UNCONFIRMED) give nothing
    (
        "Adobe Reader XI (11.0.23)",
        Some("11.0.23"),
        &["adobe-reader-acrobat-xi"],
    ),
    ("Adobe Acrobat Reader DC", Some("19.012.20040"), &[]),
    ("Adobe Reader 9.5.5", Some("9.5.5"), &[]),
    // Windows 7-era Microsoft programs
    (
        "Windows Live Essentials",
        Some("16.4.3528.0331"),
        &["win7-windows-live-essentials"],
    ),
    (
        "Windows Live Mail",
        Some("16.4.3528.0331"),
        &[
            "mail-calendar-people-retired",
            "win7-windows-live-essentials",
        ],
    ),
    (
        "Windows Live ID Sign-in Assistant",
        Some("7.250.4311.0"),
        &[],
    ),
    (
        "Microsoft Security Essentials",
        Some("4.10.209.0"),
        &["win7-microsoft-security-essentials"],
    ),
    (
        "Windows XP Mode",
        Some("1.3.7600.16422"),
        &["win7-windows-xp-mode-virtual-pc"],
    ),
    (
        "Microsoft .NET Framework 1.1",
        Some("1.1.4322"),
        &["dotnet-framework-1.1"],
    ),
    ("Microsoft .NET Framework 4.8", Some("4.8.03761"), &[]),
    // Security and network software
    (
        "ESET NOD32 Antivirus",
        Some("6.0.316.0"),
        &["antivirus-eset", "antivirus-third-party"],
    ),
    ("Sophos Home", Some("4.2.1"), &["antivirus-third-party"]),
    (
        "Norton Security",
        Some("22.20.5.39"),
        &["antivirus-third-party"],
    ),
    (
        "Kaspersky Internet Security",
        Some("21.3.10.391"),
        &["antivirus-third-party"],
    ),
    (
        "Cisco AnyConnect Secure Mobility Client",
        Some("4.10.05095"),
        &["vpn-clients"],
    ),
    (
        "Cisco Systems VPN Client 5.0.07.0440",
        Some("5.0.7"),
        &["vpn-clients"],
    ),
    ("FortiClient", Some("6.0.10.0297"), &["vpn-clients"]),
    ("TrueCrypt", Some("7.1a"), &["third-party-disk-encryption"]),
    // Everyday programs that are fine
    ("Google Chrome", Some("109.0.5414.120"), &[]),
    ("Mozilla Firefox (x86 en-US)", Some("115.18.0"), &[]),
    ("7-Zip 19.00 (x64)", Some("19.00"), &[]),
    ("VLC media player", Some("3.0.18"), &[]),
    (
        "Microsoft Visual C++ 2010  x86 Redistributable - 10.0.40219",
        Some("10.0.40219"),
        &[],
    ),
    ("Citrix Receiver", Some("4.12.0.18020"), &[]),
    ("TeamViewer 12", Some("12.0.258869"), &[]),
];

#[test]
fn golden_display_names() {
    let mut wrong = Vec::new();
    for (name, version, expected) in GOLDEN {
        let got = matched(name, *version, Target::new("windows11"));
        if got != *expected {
            wrong.push(format!("{name:?}: expected {expected:?}, got {got:?}"));
        }
    }
    assert!(wrong.is_empty(), "\n{}", wrong.join("\n"));
}

#[test]
fn findings_follow_the_target() {
    // Sophos Home's own end-of-support notice is about Windows 10 only.
    assert_eq!(
        matched("Sophos Home", Some("4.2.1"), Target::new("windows10")),
        ["antivirus-sophos-home", "antivirus-third-party"]
    );
    assert_eq!(
        matched("Sophos Home", Some("4.2.1"), Target::new("windows11")),
        ["antivirus-third-party"]
    );
}

#[test]
fn one_finding_per_entry_listing_every_program() {
    let inventory = machine(
        None,
        vec![
            program("Adobe Flash Player 32 ActiveX", Some("32.0.0.465")),
            program("Google Chrome", Some("109.0.5414.120")),
            program("Adobe Flash Player 32 NPAPI", Some("32.0.0.465")),
            // The same program listed again (64-bit and 32-bit Uninstall keys)
            program("Adobe Flash Player 32 ActiveX", Some("32.0.0.465")),
        ],
    );
    let findings = programs_at_risk(
        KnowledgeBase::embedded(),
        &inventory,
        Target::new("windows11"),
    );
    assert_eq!(findings.len(), 1);
    let flash = &findings[0];
    assert_eq!(flash.program, "Adobe Flash Player 32 ActiveX");
    assert_eq!(flash.version.as_deref(), Some("32.0.0.465"));
    let others: Vec<&str> = flash
        .other_programs
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(others, ["Adobe Flash Player 32 NPAPI"]);
    assert_eq!(flash.severity, Severity::Blocker);
    assert_eq!(flash.status, Status::ConfirmedSecondary);
    assert!(flash.source.starts_with("https://www.adobe.com/"));
}

#[test]
fn components_from_edition_and_architecture_only() {
    let components = |os: Os, target| {
        programs_at_risk(
            KnowledgeBase::embedded(),
            &machine(Some(os), vec![]),
            target,
        )
        .into_iter()
        .map(|f| f.id)
        .collect::<Vec<_>>()
    };
    // Media Center ships in Home Premium, Professional, Ultimate and Enterprise.
    assert_eq!(
        components(
            windows7(Some("Professional"), Some(Arch::X64)),
            Target::new("windows11")
        ),
        ["win7-windows-media-center"]
    );
    assert_eq!(
        components(
            windows7(Some("Enterprise"), Some(Arch::X64)),
            Target::new("windows10")
        ),
        ["win7-windows-media-center"]
    );
    assert!(components(
        windows7(Some("HomeBasic"), Some(Arch::X64)),
        Target::new("windows11")
    )
    .is_empty());
    // N editions come without the media features; the knowledge does not say, so no guess.
    assert!(components(
        windows7(Some("ProfessionalN"), Some(Arch::X64)),
        Target::new("windows11")
    )
    .is_empty());
    // 32-bit Windows 7 can run 16-bit programs and has 32-bit drivers; on both targets.
    for target in Targets::embedded().all() {
        assert_eq!(
            components(windows7(Some("HomePremium"), Some(Arch::X86)), target),
            [
                "drivers-32bit-to-64bit",
                "win7-ntvdm-16bit-apps",
                "win7-windows-media-center"
            ]
        );
        assert_eq!(
            components(windows7(Some("Starter"), Some(Arch::X86)), target),
            ["drivers-32bit-to-64bit", "win7-ntvdm-16bit-apps"]
        );
    }
    // What the inventory does not show gives nothing: no architecture, no edition, not Windows 7.
    assert!(components(windows7(Some("Starter"), None), Target::new("windows11")).is_empty());
    assert_eq!(
        components(windows7(None, Some(Arch::X86)), Target::new("windows11")),
        ["drivers-32bit-to-64bit", "win7-ntvdm-16bit-apps"]
    );
    let windows10 = Os {
        version: Some("10.0".into()),
        name: Some("Microsoft Windows 10 Pro".into()),
        ..windows7(Some("Professional"), Some(Arch::X86))
    };
    assert!(components(windows10, Target::new("windows11")).is_empty());
    assert!(components(Os::default(), Target::new("windows11")).is_empty());
    // The edition may come from the name alone.
    let by_name = Os {
        edition: None,
        name: Some("Microsoft Windows 7 Ultimate".into()),
        ..windows7(None, Some(Arch::X64))
    };
    let findings = programs_at_risk(
        KnowledgeBase::embedded(),
        &machine(Some(by_name), vec![]),
        Target::new("windows11"),
    );
    assert_eq!(ids(&findings), ["win7-windows-media-center"]);
    assert_eq!(findings[0].program, "Windows Media Center");
    assert_eq!(
        findings[0].evidence,
        "Windows 7 (os.version 6.1); os.name: Microsoft Windows 7 Ultimate"
    );
}

#[test]
fn sorted_by_severity_then_id() {
    let inventory = machine(
        Some(windows7(Some("Professional"), Some(Arch::X86))),
        vec![
            program("Java 8 Update 341", Some("8.0.3410.10")),
            program(
                "Microsoft Office Professional Plus 2010",
                Some("14.0.7015.1000"),
            ),
            program("Adobe Flash Player 32 ActiveX", Some("32.0.0.465")),
            program("Microsoft Silverlight", Some("5.1.50918.0")),
        ],
    );
    let findings = programs_at_risk(
        KnowledgeBase::embedded(),
        &inventory,
        Target::new("windows11"),
    );
    assert_eq!(
        ids(&findings),
        [
            "adobe-flash-player",
            "drivers-32bit-to-64bit",
            "win7-ntvdm-16bit-apps",
            "microsoft-silverlight",
            "office-2010",
            "java-se-8",
            "win7-windows-media-center",
        ]
    );
}

const TEST_KNOWLEDGE: &str = r#"knowledge: software
entries:
  - id: office-2010-by-version
    match:
      name: '^Microsoft Office\b.*\b2010\b'
      exclude: 'starter'
      version: '^14\.'
    affects: windows11
    kind: end-of-life
    severity: warning
    summary: Office 2010 is out of support.
    action: Replace it.
    source: https://learn.microsoft.com/lifecycle/products/microsoft-office-2010
    as_of: "2026-11-27"
    status: confirmed
  - id: a-lead
    match:
      name: 'Silverlight'
    affects: both
    kind: end-of-life
    severity: warning
    summary: A lead.
    action: Check it.
    source: https://example.com/
    as_of: "2026-11-27"
    status: UNCONFIRMED
"#;

#[test]
fn version_exclusion_target_and_status_with_an_explicit_knowledge_base() {
    let kb = KnowledgeBase::parse(TEST_KNOWLEDGE, &Origin("test.yaml".into())).unwrap();
    let run = |name: &str, version: Option<&str>, target| {
        let inventory = machine(None, vec![program(name, version)]);
        programs_at_risk(&kb, &inventory, target)
            .into_iter()
            .map(|f| f.id)
            .collect::<Vec<_>>()
    };
    let office = "Microsoft Office Professional Plus 2010";
    assert_eq!(
        run(office, Some("14.0.7015.1000"), Target::new("windows11")),
        ["office-2010-by-version"]
    );
    assert!(run(office, Some("15.0.4569.1506"), Target::new("windows11")).is_empty());
    assert!(
        run(office, None, Target::new("windows11")).is_empty(),
        "without a version the evidence does not show it"
    );
    assert!(run(
        "Microsoft Office Starter 2010",
        Some("14.0.1"),
        Target::new("windows11")
    )
    .is_empty());
    assert!(run(office, Some("14.0.7015.1000"), Target::new("windows10")).is_empty());
    assert!(
        run(
            "Microsoft Silverlight",
            Some("5.1"),
            Target::new("windows11")
        )
        .is_empty(),
        "an UNCONFIRMED entry never becomes a finding"
    );
}

#[test]
fn a_realistic_windows7_office_pc() {
    let inventory = machine(
        Some(windows7(Some("Professional"), Some(Arch::X64))),
        [
            (
                "Microsoft Office Professional Plus 2010",
                Some("14.0.7015.1000"),
            ),
            (
                "Microsoft Office 2010 Primary Interop Assemblies",
                Some("14.0.4763.1000"),
            ),
            ("Adobe Reader XI (11.0.23)", Some("11.0.23")),
            ("Adobe Flash Player 32 ActiveX", Some("32.0.0.465")),
            ("Adobe Flash Player 32 NPAPI", Some("32.0.0.465")),
            ("Java 8 Update 341", Some("8.0.3410.10")),
            ("Java Auto Updater", Some("2.8.341.10")),
            ("Microsoft Security Essentials", Some("4.10.209.0")),
            ("Windows Live Essentials", Some("16.4.3528.0331")),
            ("Google Chrome", Some("109.0.5414.120")),
            (
                "Cisco AnyConnect Secure Mobility Client",
                Some("4.10.05095"),
            ),
        ]
        .into_iter()
        .map(|(n, v)| program(n, v))
        .collect(),
    );
    let findings = programs_at_risk(
        KnowledgeBase::embedded(),
        &inventory,
        Target::new("windows11"),
    );
    insta::assert_yaml_snapshot!("windows7-office-pc", findings);
}

#[test]
fn lint_checks_a_users_knowledge_file() {
    let dir = tempfile::tempdir().unwrap();
    let broken = TEST_KNOWLEDGE.replace(
        r"'^Microsoft Office\b.*\b2010\b'",
        "'^Microsoft Office (2010'",
    );
    std::fs::write(dir.path().join("software.yaml"), broken).unwrap();
    let findings = lint(Some(dir.path()));
    let text: Vec<String> = findings.iter().map(|f| f.to_string()).collect();
    let errors: Vec<&String> = findings
        .iter()
        .zip(&text)
        .filter(|(f, _)| f.level == Level::Error)
        .map(|(_, t)| t)
        .collect();
    assert_eq!(errors.len(), 2, "{text:#?}");
    assert!(
        errors[0].contains("error[bad-regex]: ")
            && errors[0].contains(
                "software.yaml:5:7: office-2010-by-version: `match.name` does not compile"
            ),
        "{}",
        errors[0]
    );
    assert!(errors[1].contains("error[unconfirmed]: "), "{}", errors[1]);
    // A knowledge file among the user's rule packs is read as knowledge, not as a pack: loading
    // the rules fails on its bad pattern, not on its format.
    let err = w7plan::judge::rules::RuleSet::load(Some(dir.path()))
        .err()
        .expect("the bad pattern is refused");
    assert_eq!(err.code(), "knowledge-invalid");
    let err = KnowledgeBase::load(Some(dir.path())).unwrap_err();
    assert_eq!(err.code(), "knowledge-invalid");
}

#[test]
fn a_users_knowledge_file_adds_and_replaces_entries() {
    let dir = tempfile::tempdir().unwrap();
    // One new entry, and one that replaces a shipped id.
    let text = TEST_KNOWLEDGE
        .replace("  - id: a-lead", "  - id: microsoft-silverlight")
        .replace("status: UNCONFIRMED", "status: confirmed")
        .replace("summary: A lead.", "summary: Our own wording.");
    std::fs::write(dir.path().join("software.yaml"), text).unwrap();
    let kb = KnowledgeBase::load(Some(dir.path())).unwrap();
    assert_eq!(kb.len(), KnowledgeBase::embedded().len() + 1);
    assert_eq!(
        kb.get("microsoft-silverlight").unwrap().summary,
        "Our own wording."
    );
    let warnings: Vec<String> = lint(Some(dir.path()))
        .iter()
        .filter(|f| f.level == Level::Warning)
        .map(|f| f.to_string())
        .collect();
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    assert!(
        warnings[0].contains("warning[replaces-shipped]"),
        "{}",
        warnings[0]
    );
}

#[test]
fn replaces_must_name_another_entry() {
    let text = KnowledgeBase::embedded_text().replace(
        "replaces: win7-windows-media-center",
        "replaces: no-such-entry",
    );
    let (_, problems) = w7plan::knowledge::software::check(&text);
    assert!(
        problems
            .iter()
            .any(|p| p.code == "bad-ref" && p.message.contains("no-such-entry")),
        "{problems:?}"
    );
    let (_, problems) = w7plan::knowledge::software::check(KnowledgeBase::embedded_text());
    assert!(problems.is_empty(), "{problems:?}");
}
