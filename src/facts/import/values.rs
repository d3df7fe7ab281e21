//! Value parsers shared by every Windows source: the importers here and the live Windows probe
//! (`collect::windows`), so that a CPU identifier, a service pack or an edition reads the same
//! whichever tool printed it.
//!
//! These are total functions over strings and numbers: they answer `None` for what they do not
//! recognize and never panic. They know nothing about file formats.

use crate::facts::inventory::{Arch, Chassis};

/// Family, model and stepping from a CPU identifier such as
/// "Intel64 Family 6 Model 158 Stepping 10" (registry `Identifier`, `Win32_Processor.Caption`, a
/// systeminfo processor line; decimal). ARM identifiers ("ARMv8 (64-bit) Family 8 Model D0C
/// Revision 1") give their hexadecimal model no meaning here, so only the family counts.
pub fn parse_cpu_identifier(identifier: &str) -> (Option<u32>, Option<u32>, Option<u32>) {
    let words: Vec<&str> = identifier.split_whitespace().collect();
    let after = |key: &str| {
        words
            .iter()
            .position(|w| *w == key)
            .and_then(|i| words.get(i + 1))
            .and_then(|v| v.parse::<u32>().ok())
    };
    let x86 = words.contains(&"Stepping");
    (
        after("Family"),
        if x86 { after("Model") } else { None },
        after("Stepping"),
    )
}

/// Model and stepping from `Win32_Processor.Revision` (`wProcessorRevision`): for family 6 and
/// later the high byte is the model and the low byte the stepping.
pub fn model_stepping_from_revision(family: u32, revision: u32) -> Option<(u32, u32)> {
    (family >= 6 && revision <= 0xFFFF).then_some((revision >> 8, revision & 0xFF))
}

/// The number in a `CSDVersion` such as "Service Pack 1".
pub fn parse_service_pack(csd_version: &str) -> Option<u32> {
    csd_version
        .trim()
        .strip_prefix("Service Pack")
        .and_then(|n| n.trim().parse().ok())
}

/// `ProductName` as the user knows it. Windows 11 kept "Windows 10" in `ProductName`; build 22000
/// is the first Windows 11 release.
pub fn product_name(registry_name: &str, build: Option<u32>) -> String {
    match (registry_name.strip_prefix("Windows 10"), build) {
        (Some(rest), Some(b)) if b >= 22000 => format!("Windows 11{rest}"),
        _ => registry_name.to_string(),
    }
}

/// The OS architecture systeminfo's `System Type` names: `x64-based PC`, `X86-based PC`,
/// `ARM64-based PC` (not localized).
pub fn arch_from_system_type(value: &str) -> Option<Arch> {
    let lower = value.trim().to_ascii_lowercase();
    let head = lower.split("-based").next()?;
    match head.trim() {
        "x64" | "amd64" => Some(Arch::X64),
        "x86" => Some(Arch::X86),
        "arm64" => Some(Arch::Arm64),
        _ => None,
    }
}

/// `Win32_OperatingSystem.OSArchitecture`, localized: `64-bit`, `64 bits`, `64 Bit`, `64 位`,
/// `32-разрядная`, `ARM 64-bit Processor`.
pub fn arch_from_os_architecture(value: &str) -> Option<Arch> {
    let lower = value.to_lowercase();
    if lower.contains("arm") {
        return Some(Arch::Arm64);
    }
    match crate::facts::import::text::first_number(&lower)? {
        64 => Some(Arch::X64),
        32 => Some(Arch::X86),
        _ => None,
    }
}

/// `Win32_Processor.Architecture`: 0 x86, 9 x64, 12 ARM64 (5 ARM and 6 Itanium have no place
/// here).
pub fn arch_from_processor_architecture(code: u32) -> Option<Arch> {
    match code {
        0 => Some(Arch::X86),
        9 => Some(Arch::X64),
        12 => Some(Arch::Arm64),
        _ => None,
    }
}

/// The edition ID (as the registry's `EditionID` spells it) of an `OperatingSystemSKU`
/// (the `PRODUCT_*` constants of `GetProductInfo`): the Windows 7 ones and the common later ones.
pub fn edition_from_sku(sku: u32) -> Option<&'static str> {
    Some(match sku {
        0x01 => "Ultimate",
        0x02 => "HomeBasic",
        0x03 => "HomePremium",
        0x04 => "Enterprise",
        0x05 => "HomeBasicN",
        0x06 => "Business",
        0x0B => "Starter",
        0x10 => "BusinessN",
        0x1A => "HomePremiumN",
        0x1B => "EnterpriseN",
        0x1C => "UltimateN",
        0x2F => "StarterN",
        0x30 => "Professional",
        0x31 => "ProfessionalN",
        0x42 => "StarterE",
        0x43 => "HomeBasicE",
        0x44 => "HomePremiumE",
        0x45 => "ProfessionalE",
        0x46 => "EnterpriseE",
        0x47 => "UltimateE",
        0x62 => "CoreN",
        0x64 => "CoreSingleLanguage",
        0x65 => "Core",
        0x79 => "Education",
        0x7A => "EducationN",
        0x7D => "EnterpriseS",
        0x7E => "EnterpriseSN",
        0xA1 => "ProfessionalWorkstation",
        _ => return None,
    })
}

/// The edition ID of an OS name as systeminfo or `Win32_OperatingSystem.Caption` print it, in
/// the UI language: "Microsoft Windows 7 Professional", "Windows 7 Entreprise N",
/// "Windows 7 Профессиональная", "Windows 7 专业版", "Windows 10 Pro", "Windows 8.1 Professionnel".
pub fn edition_from_name(name: &str) -> Option<String> {
    let name = crate::facts::import::text::squash(name);
    let lower = name.to_lowercase();
    let (version, rest) = [
        "windows 7",
        "windows 8.1",
        "windows 8",
        "windows 10",
        "windows 11",
    ]
    .into_iter()
    .find_map(|v| lower.find(v).map(|i| (v, lower[i + v.len()..].trim())))?;
    // A trailing N, E or KN marks the European and Korean variants.
    let (base, suffix) = match rest.rsplit_once(' ') {
        Some((base, s)) if matches!(s, "n" | "e" | "k" | "kn") => (base.trim(), s.to_uppercase()),
        _ => (rest, String::new()),
    };
    let seven: &[(&str, &str)] = &[
        ("starter", "Starter"),
        ("édition starter", "Starter"),
        ("home basic", "HomeBasic"),
        ("familiale basique", "HomeBasic"),
        ("édition familiale basique", "HomeBasic"),
        ("home premium", "HomePremium"),
        ("familiale premium", "HomePremium"),
        ("édition familiale premium", "HomePremium"),
        ("professional", "Professional"),
        ("professionnel", "Professional"),
        ("profesional", "Professional"),
        ("ultimate", "Ultimate"),
        ("intégrale", "Ultimate"),
        ("enterprise", "Enterprise"),
        ("entreprise", "Enterprise"),
        ("начальная", "Starter"),
        ("домашняя базовая", "HomeBasic"),
        ("домашняя расширенная", "HomePremium"),
        ("профессиональная", "Professional"),
        ("максимальная", "Ultimate"),
        ("корпоративная", "Enterprise"),
        ("简易版", "Starter"),
        ("家庭普通版", "HomeBasic"),
        ("家庭高级版", "HomePremium"),
        ("专业版", "Professional"),
        ("旗舰版", "Ultimate"),
        ("企业版", "Enterprise"),
    ];
    let later: &[(&str, &str)] = &[
        ("home", "Core"),
        ("home single language", "CoreSingleLanguage"),
        ("pro", "Professional"),
        ("pro for workstations", "ProfessionalWorkstation"),
        ("pro education", "ProfessionalEducation"),
        ("education", "Education"),
        ("enterprise", "Enterprise"),
        ("enterprise ltsc", "EnterpriseS"),
        ("enterprise ltsb", "EnterpriseS"),
        ("专业版", "Professional"),
        ("企业版", "Enterprise"),
        ("企业版 ltsc", "EnterpriseS"),
        ("家庭版", "Core"),
        // French, as GLPI's sample machine names Windows 8.1 Pro.
        ("professionnel", "Professional"),
        ("entreprise", "Enterprise"),
        ("famille", "Core"),
    ];
    let table = if version == "windows 7" { seven } else { later };
    table
        .iter()
        .find(|(words, _)| *words == base)
        .map(|(_, id)| format!("{id}{suffix}"))
}

/// A virtual machine, told by the maker and model the hypervisor gives its guests.
pub fn is_virtual_machine(manufacturer: &str, model: &str) -> bool {
    let m = format!("{manufacturer} {model}").to_lowercase();
    [
        "vmware",
        "virtualbox",
        "innotek",
        "virtual machine",
        "qemu",
        "kvm",
        "bochs",
        "parallels",
        "xen",
        "hvm domu",
    ]
    .iter()
    .any(|needle| m.contains(needle))
}

/// Values that firmware makers leave in place of a real maker, model or serial number.
pub fn is_placeholder(value: &str) -> bool {
    let lower = value.trim().to_ascii_lowercase();
    lower.is_empty()
        || [
            "to be filled by o.e.m.",
            "default string",
            "system serial number",
            "system manufacturer",
            "system product name",
            "not specified",
            "not applicable",
            "none",
            "0",
            "oem",
            "o.e.m.",
        ]
        .contains(&lower.as_str())
}

/// `Win32_ComputerSystem.PCSystemType`: 1 desktop, 2 mobile, 3 workstation, 4/5/7 servers,
/// 8 slate (Windows 8 and later).
pub fn chassis_from_pc_system_type(code: u32) -> Option<Chassis> {
    match code {
        1 | 3 => Some(Chassis::Desktop),
        2 => Some(Chassis::Laptop),
        4 | 5 | 7 => Some(Chassis::Server),
        8 => Some(Chassis::Tablet),
        6 => Some(Chassis::Other),
        _ => None,
    }
}

/// A Windows language ID (`Win32_OperatingSystem.OSLanguage`) as a BCP 47 tag, for the languages
/// Windows 7 shipped in.
pub fn language_from_lcid(lcid: u32) -> Option<&'static str> {
    Some(match lcid {
        1025 => "ar-SA",
        1026 => "bg-BG",
        1028 => "zh-TW",
        1029 => "cs-CZ",
        1030 => "da-DK",
        1031 => "de-DE",
        1032 => "el-GR",
        1033 => "en-US",
        1035 => "fi-FI",
        1036 => "fr-FR",
        1037 => "he-IL",
        1038 => "hu-HU",
        1040 => "it-IT",
        1041 => "ja-JP",
        1042 => "ko-KR",
        1043 => "nl-NL",
        1044 => "nb-NO",
        1045 => "pl-PL",
        1046 => "pt-BR",
        1048 => "ro-RO",
        1049 => "ru-RU",
        1050 => "hr-HR",
        1051 => "sk-SK",
        1053 => "sv-SE",
        1054 => "th-TH",
        1055 => "tr-TR",
        1058 => "uk-UA",
        1060 => "sl-SI",
        1061 => "et-EE",
        1062 => "lv-LV",
        1063 => "lt-LT",
        2052 => "zh-CN",
        2057 => "en-GB",
        2070 => "pt-PT",
        2074 => "sr-Latn-CS",
        3076 => "zh-HK",
        3082 => "es-ES",
        _ => return None,
    })
}

/// A locale as systeminfo prints it (`en-us`, `zh-cn`, `fr`) in BCP 47 case: `en-US`, `zh-CN`.
pub fn normalize_locale(tag: &str) -> String {
    let mut parts = tag.trim().split(['-', '_']);
    let mut out = parts.next().unwrap_or("").to_ascii_lowercase();
    for part in parts {
        out.push('-');
        if part.len() == 4 {
            let mut chars = part.chars();
            if let Some(first) = chars.next() {
                out.push(first.to_ascii_uppercase());
                out.push_str(&chars.as_str().to_ascii_lowercase());
            }
        } else {
            out.push_str(&part.to_ascii_uppercase());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_identifiers() {
        assert_eq!(
            parse_cpu_identifier("Intel64 Family 6 Model 158 Stepping 10"),
            (Some(6), Some(158), Some(10))
        );
        assert_eq!(
            parse_cpu_identifier("[01]: x64 Family 6 Model 42 Stepping 7 GenuineIntel ~2496 Mhz"),
            (Some(6), Some(42), Some(7))
        );
        assert_eq!(
            parse_cpu_identifier("ARMv8 (64-bit) Family 8 Model D0C Revision 1"),
            (Some(8), None, None)
        );
        assert_eq!(parse_cpu_identifier(""), (None, None, None));
        assert_eq!(model_stepping_from_revision(6, 10759), Some((42, 7)));
        assert_eq!(model_stepping_from_revision(5, 10759), None);
    }

    #[test]
    fn editions() {
        let e = |s| edition_from_name(s);
        assert_eq!(
            e("Microsoft Windows 7 Professional ").as_deref(),
            Some("Professional")
        );
        assert_eq!(
            e("Microsoft Windows\u{a0}7 Entreprise N ").as_deref(),
            Some("EnterpriseN")
        );
        assert_eq!(
            e("Microsoft Windows 7 Ultimate N").as_deref(),
            Some("UltimateN")
        );
        assert_eq!(
            e("Microsoft Windows 7 Home Premium").as_deref(),
            Some("HomePremium")
        );
        assert_eq!(
            e("Microsoft Windows 7 Профессиональная").as_deref(),
            Some("Professional")
        );
        assert_eq!(e("Microsoft Windows 7 旗舰版").as_deref(), Some("Ultimate"));
        assert_eq!(
            e("Microsoft Windows 10 企业版 LTSC").as_deref(),
            Some("EnterpriseS")
        );
        assert_eq!(
            e("Microsoft Windows 11 Pro").as_deref(),
            Some("Professional")
        );
        assert_eq!(e("Microsoft Windows Server 2008 R2 Standard"), None);
        assert_eq!(edition_from_sku(48), Some("Professional"));
        assert_eq!(edition_from_sku(4), Some("Enterprise"));
    }

    #[test]
    fn arches() {
        assert_eq!(arch_from_system_type("X86-based PC"), Some(Arch::X86));
        assert_eq!(arch_from_system_type("x64-based PC"), Some(Arch::X64));
        assert_eq!(arch_from_os_architecture("64 bits"), Some(Arch::X64));
        assert_eq!(arch_from_os_architecture("32-bit"), Some(Arch::X86));
        assert_eq!(arch_from_os_architecture("64 位"), Some(Arch::X64));
        assert_eq!(
            arch_from_os_architecture("ARM 64-bit Processor"),
            Some(Arch::Arm64)
        );
        assert_eq!(arch_from_os_architecture(""), None);
    }

    #[test]
    fn locales_and_machines() {
        assert_eq!(normalize_locale("zh-cn"), "zh-CN");
        assert_eq!(normalize_locale("sr-latn-cs"), "sr-Latn-CS");
        assert_eq!(normalize_locale("fr"), "fr");
        assert!(is_virtual_machine(
            "VMware, Inc.",
            "VMware Virtual Platform"
        ));
        assert!(is_virtual_machine(
            "Microsoft Corporation",
            "Virtual Machine"
        ));
        assert!(!is_virtual_machine("LENOVO", "20BG0014US"));
        assert_eq!(language_from_lcid(1036), Some("fr-FR"));
    }
}
