//! Microsoft's Windows 11 CPU family/model block rule, as HardwareReadiness.ps1 applies it.
//!
//! [`win11_family_rule`] reproduces `CpuFamily.Validate` from Microsoft's HardwareReadiness.ps1
//! (v2, 2021-11-29): the mechanism is here, its numbers (manufacturers, blocked families and
//! models, exceptions, platform IDs) are data, `rules/data/cpu-family-rule.yaml`
//! ([`CpuFamilyRule`]); looking a brand string up in Microsoft's supported-processor lists is
//! [`crate::knowledge::processors::ProcessorList::find`]. Neither checks clock speed, core count, address width or
//! instruction features (rules do that), and neither applies the script's i7-7820HQ override,
//! which depends on the machine model: the caller handles it.
//!
//! The two answer different questions and can disagree: the rule says whether Microsoft's check
//! blocks the CPU, the list whether Microsoft names it as supported. Every Intel family-6 model
//! above 95 passes the rule, listed or not, so callers should report both.

use crate::facts::inventory::{Arch, Cpu};
use crate::knowledge::cpu_family_rule::{AmdRule, CpuFamilyRule, IntelRule, PlatformId};
use serde::Serialize;

// ---------------------------------------------------------------------------------------------
// The family/model rule
// ---------------------------------------------------------------------------------------------

/// Microsoft's CPU family/model block rule, as HardwareReadiness.ps1 (v2, 2021-11-29) implements it.
///
/// `Valid` means "not blocked by the rule", which is weaker than "on Microsoft's list".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "lowercase")]
pub enum FamilyRule {
    Valid {
        reason: String,
    },
    Invalid {
        reason: String,
    },
    /// An input the rule needs was not collected; the reason names it.
    Unknown {
        reason: String,
    },
}

impl FamilyRule {
    /// `Some(true)` for valid, `Some(false)` for invalid, `None` when it could not be decided.
    pub fn status(&self) -> Option<bool> {
        match self {
            FamilyRule::Valid { .. } => Some(true),
            FamilyRule::Invalid { .. } => Some(false),
            FamilyRule::Unknown { .. } => None,
        }
    }

    /// A short sentence for a person, naming the numbers the decision rests on.
    pub fn reason(&self) -> &str {
        match self {
            FamilyRule::Valid { reason }
            | FamilyRule::Invalid { reason }
            | FamilyRule::Unknown { reason } => reason,
        }
    }
}

fn valid(reason: String) -> FamilyRule {
    FamilyRule::Valid { reason }
}

fn invalid(reason: String) -> FamilyRule {
    FamilyRule::Invalid { reason }
}

fn unknown(reason: String) -> FamilyRule {
    FamilyRule::Unknown { reason }
}

/// The manufacturers the script's rule knows, compared as it does (whole string, any case).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RuleVendor {
    Intel,
    Amd,
    Qualcomm,
    Other,
}

impl RuleVendor {
    fn of(manufacturer: &str, rule: &CpuFamilyRule) -> RuleVendor {
        let m = manufacturer.trim();
        if m.eq_ignore_ascii_case(rule.intel.vendor.trim()) {
            RuleVendor::Intel
        } else if m.eq_ignore_ascii_case(rule.amd.vendor.trim()) {
            RuleVendor::Amd
        } else if m.eq_ignore_ascii_case(rule.qualcomm.vendor.trim()) {
            RuleVendor::Qualcomm
        } else {
            RuleVendor::Other
        }
    }
}

/// The script's two architecture branches: 0 (x86) and 9 (x64) share one, 12 (ARM64) has its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Branch {
    X86,
    Arm64,
}

/// Applies Microsoft's CPU family/model rule (facts §1.5), with the numbers of `rule`, to what
/// was observed.
///
/// Exactly the script's conditions, including its quirks (with the shipped numbers): Intel
/// families other than 6 are blocked whenever their model is 95 or lower (so Pentium 4 is
/// blocked and so would be any future Intel family that restarts model numbers low), and Intel
/// family 5 passes. Where the
/// script would read something we did not collect, the answer is `Unknown` rather than a guess.
/// When `cpu.arch` is absent it is inferred from the vendor (Intel/AMD: x86/x64; Qualcomm:
/// ARM64). The i7-7820HQ override is not applied here (see the module header).
pub fn win11_family_rule(cpu: &Cpu, rule: &CpuFamilyRule) -> FamilyRule {
    let Some(manufacturer) = cpu.vendor.as_deref().filter(|v| !v.trim().is_empty()) else {
        return unknown(
            "The processor manufacturer (cpu.vendor) was not collected; Microsoft's rule depends on it."
                .into(),
        );
    };
    let vendor = RuleVendor::of(manufacturer, rule);
    let branch = match cpu.arch {
        Some(Arch::X86 | Arch::X64) => Some(Branch::X86),
        Some(Arch::Arm64) => Some(Branch::Arm64),
        None => match vendor {
            RuleVendor::Intel | RuleVendor::Amd => Some(Branch::X86),
            RuleVendor::Qualcomm => Some(Branch::Arm64),
            RuleVendor::Other => None,
        },
    };
    match (vendor, branch) {
        (RuleVendor::Intel, Some(Branch::X86)) => intel_rule(cpu, &rule.intel),
        (RuleVendor::Amd, Some(Branch::X86)) => amd_rule(cpu, &rule.amd),
        (RuleVendor::Qualcomm, Some(Branch::Arm64)) => qualcomm_rule(cpu),
        _ => other_rule(cpu, manufacturer.trim(), rule),
    }
}

fn intel_rule(cpu: &Cpu, rule: &IntelRule) -> FamilyRule {
    let (from_family, up_to_model) = (rule.blocked_from_family, rule.blocked_up_to_model);
    let Some(family) = cpu.family else {
        return missing("Intel", "family (cpu.family)");
    };
    if family < from_family {
        // The v2 condition starts with `family >= 6`, so older families fall through to valid.
        let what = describe("Intel", family, cpu.model, cpu.stepping, None);
        return valid(format!(
            "{what} is not blocked by Microsoft's rule, which blocks family {from_family} or higher with model {up_to_model} or lower."
        ));
    }
    let Some(model) = cpu.model else {
        return missing(&format!("Intel family {family}"), "model (cpu.model)");
    };
    let what = describe(
        "Intel",
        family,
        Some(model),
        cpu.stepping,
        intel_name(family, model, cpu.stepping),
    );
    let allowed = rule
        .allowed
        .iter()
        .any(|a| a.family == family && a.model == model);
    if model <= up_to_model && !allowed {
        let except = match rule.allowed.as_slice() {
            [] => String::new(),
            list => format!(
                " (except {})",
                and_list(
                    list.iter()
                        .map(|a| format!("family {} model {}", a.family, a.model))
                )
            ),
        };
        return invalid(format!(
            "{what} is blocked by Microsoft's rule: family {from_family} or higher with model {up_to_model} or lower{except}."
        ));
    }
    let special: Vec<&PlatformId> = rule
        .platform_ids
        .iter()
        .filter(|p| p.family == family && p.model == model)
        .collect();
    if let Some(first) = special.first() {
        let Some(stepping) = cpu.stepping else {
            return unknown(format!(
                "{what}: Microsoft's rule treats stepping {} of this model specially, and the stepping (cpu.stepping) was not collected.",
                first.stepping
            ));
        };
        if let Some(special) = special.iter().find(|p| p.stepping == stepping) {
            let required = special.platform_id;
            return match cpu.platform_id {
                Some(p) if p == required => valid(format!(
                    "{what} with platform ID {p} passes Microsoft's rule, which requires platform ID {required} for this model and stepping."
                )),
                Some(p) => invalid(format!(
                    "{what} with platform ID {p} is blocked by Microsoft's rule, which accepts this model and stepping only with platform ID {required}."
                )),
                None => unknown(format!(
                    "{what} passes Microsoft's rule only with platform ID {required}, and the platform ID was not collected; check the registry value \"Platform Specific Field 1\" under HKLM\\HARDWARE\\DESCRIPTION\\System\\CentralProcessor\\0."
                )),
            };
        }
    }
    valid(format!("{what} is not blocked by Microsoft's rule."))
}

fn amd_rule(cpu: &Cpu, rule: &AmdRule) -> FamilyRule {
    let Some(family) = cpu.family else {
        return missing("AMD", "family (cpu.family)");
    };
    let what =
        |model: Option<u32>| describe("AMD", family, model, cpu.stepping, amd_name(family, model));
    if family < rule.lowest_family {
        return invalid(format!(
            "{} is blocked by Microsoft's rule: family {} or lower.",
            what(cpu.model),
            rule.lowest_family.saturating_sub(1)
        ));
    }
    let blocked = rule.blocked_models(family);
    if !blocked.is_empty() {
        let models = match blocked.as_slice() {
            [one] => format!("model {one}"),
            many => format!("models {}", and_list(many.iter().map(u32::to_string))),
        };
        let Some(model) = cpu.model else {
            let family_name = describe("AMD", family, None, None, amd_name(family, None));
            return unknown(format!(
                "{family_name}: Microsoft's rule blocks {models} of this family, and the model (cpu.model) was not collected."
            ));
        };
        if blocked.contains(&model) {
            return invalid(format!(
                "{} is blocked by Microsoft's rule: family {family} {models}.",
                what(Some(model))
            ));
        }
    }
    valid(format!(
        "{} is not blocked by Microsoft's rule.",
        what(cpu.model)
    ))
}

/// "a", "a and b", "a, b and c".
fn and_list(items: impl Iterator<Item = String>) -> String {
    let items: Vec<String> = items.collect();
    match items.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

fn qualcomm_rule(cpu: &Cpu) -> FamilyRule {
    match cpu.features.as_ref().and_then(|f| f.get("atomics")) {
        Some(true) => valid(
            "Qualcomm ARM64 processor with ARMv8.1 atomic instructions, as Microsoft's rule requires."
                .into(),
        ),
        Some(false) => invalid(
            "Qualcomm ARM64 processor without ARMv8.1 atomic instructions, which Microsoft's rule requires."
                .into(),
        ),
        None => unknown(
            "Microsoft's rule requires ARMv8.1 atomic instructions on Qualcomm ARM64 processors, and whether this one has them (cpu.features.atomics) was not collected."
                .into(),
        ),
    }
}

fn other_rule(cpu: &Cpu, manufacturer: &str, rule: &CpuFamilyRule) -> FamilyRule {
    let arch = match cpu.arch {
        Some(Arch::X86) => "x86",
        Some(Arch::X64) => "x64",
        Some(Arch::Arm64) => "ARM64",
        None => "unknown architecture",
    };
    let family = cpu.family.map_or_else(
        || "family not collected".to_string(),
        |f| format!("family {f}"),
    );
    invalid(format!(
        "Manufacturer \"{manufacturer}\", {arch}, {family}: Microsoft's rule accepts only {} and {} on x86/x64 and {} on ARM64.",
        rule.intel.vendor.trim(),
        rule.amd.vendor.trim(),
        rule.qualcomm.vendor.trim()
    ))
}

fn missing(subject: &str, field: &str) -> FamilyRule {
    unknown(format!(
        "{subject} processor: the {field} was not collected; Microsoft's rule depends on it."
    ))
}

/// "Intel family 6 model 58 stepping 9 (Ivy Bridge)".
fn describe(
    vendor: &str,
    family: u32,
    model: Option<u32>,
    stepping: Option<u32>,
    name: Option<&str>,
) -> String {
    let mut s = format!("{vendor} family {family}");
    if let Some(m) = model {
        s.push_str(&format!(" model {m}"));
    }
    if let Some(st) = stepping {
        s.push_str(&format!(" stepping {st}"));
    }
    if let Some(n) = name {
        s.push_str(&format!(" ({n})"));
    }
    s
}

/// Intel microarchitecture names by family/model (decimal), from Linux `intel-family.h`.
/// Only models we are sure of; anything else is reported by number alone.
fn intel_name(family: u32, model: u32, stepping: Option<u32>) -> Option<&'static str> {
    match family {
        15 => return Some("NetBurst: Pentium 4, Pentium D, Celeron D"),
        6 => {}
        _ => return None,
    }
    Some(match model {
        14 => "Yonah: Core Solo/Duo",
        15 | 22 => "Merom: Core 2",
        23 => "Penryn: Core 2",
        29 => "Dunnington: Core 2 Xeon",
        26 | 30 | 31 | 46 => "Nehalem",
        37 | 44 | 47 => "Westmere",
        42 => "Sandy Bridge",
        45 => "Sandy Bridge-E",
        58 => "Ivy Bridge",
        62 => "Ivy Bridge-E",
        60 | 69 | 70 => "Haswell",
        63 => "Haswell-E",
        61 | 71 => "Broadwell",
        79 => "Broadwell-E",
        86 => "Broadwell-DE",
        78 | 94 => "Skylake",
        85 => "Skylake-X, Cascade Lake or Cooper Lake",
        // Linux notes which stepping of model 142/158 carries which name.
        142 => match stepping {
            Some(9) => "Kaby Lake or Amber Lake, mobile",
            Some(10) => "Kaby Lake R or Coffee Lake, mobile",
            Some(11 | 12) => "Whiskey Lake or Comet Lake, mobile",
            _ => "Kaby Lake, Amber Lake, Coffee Lake, Whiskey Lake or Comet Lake, mobile",
        },
        158 => match stepping {
            Some(9) => "Kaby Lake",
            Some(10..=13) => "Coffee Lake",
            _ => "Kaby Lake or Coffee Lake",
        },
        165 | 166 => "Comet Lake",
        102 => "Cannon Lake",
        106 | 108 | 125 | 126 | 157 => "Ice Lake",
        167 => "Rocket Lake",
        140 | 141 => "Tiger Lake",
        138 => "Lakefield",
        143 => "Sapphire Rapids",
        207 => "Emerald Rapids",
        173 | 174 => "Granite Rapids",
        151 | 154 => "Alder Lake",
        183 | 186 | 191 => "Raptor Lake",
        170 | 172 => "Meteor Lake",
        181 | 197 | 198 => "Arrow Lake",
        189 => "Lunar Lake",
        204 => "Panther Lake",
        28 | 38 => "Atom Bonnell: Diamondville, Pineview, Silverthorne",
        39 | 53 | 54 => "Atom Saltwell: Cedarview",
        55 | 74 | 77 => "Atom Silvermont: Bay Trail, Avoton",
        76 | 90 => "Atom Airmont: Cherry Trail, Braswell",
        92 => "Goldmont: Apollo Lake",
        95 => "Goldmont: Denverton",
        122 => "Goldmont Plus: Gemini Lake",
        134 | 150 | 156 => "Tremont: Jacobsville, Elkhart Lake, Jasper Lake",
        190 => "Gracemont: Alder Lake-N",
        87 => "Xeon Phi Knights Landing",
        133 => "Xeon Phi Knights Mill",
        _ => return None,
    })
}

/// AMD names by family (decimal) and, for family 23, by model.
fn amd_name(family: u32, model: Option<u32>) -> Option<&'static str> {
    Some(match family {
        6 => "K7: Athlon, Athlon XP, Duron",
        15 => "K8: Athlon 64, Opteron, Sempron",
        16 => "K10: Phenom, Athlon II",
        17 => "Griffin: Turion X2 Ultra",
        18 => "Llano",
        20 => "Bobcat",
        21 => "Bulldozer family: FX, A-series",
        22 => "Jaguar or Puma",
        23 => match model {
            Some(1) => "Summit Ridge, Zen",
            Some(8) => "Pinnacle Ridge, Zen+",
            Some(17) => "Raven Ridge, Zen",
            Some(24) => "Picasso, Zen+",
            Some(49) => "Rome or Castle Peak, Zen 2",
            Some(96) => "Renoir, Zen 2",
            Some(104) => "Lucienne, Zen 2",
            Some(113) => "Matisse, Zen 2",
            Some(144) => "Van Gogh, Zen 2",
            Some(160) => "Mendocino, Zen 2",
            _ => "Zen, Zen+ or Zen 2",
        },
        25 => "Zen 3 or Zen 4",
        26 => "Zen 5",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intel_names_follow_stepping_for_kaby_lake_models() {
        assert_eq!(intel_name(6, 158, Some(10)), Some("Coffee Lake"));
        assert_eq!(intel_name(6, 158, Some(9)), Some("Kaby Lake"));
        assert_eq!(intel_name(6, 1000, None), None);
        assert_eq!(intel_name(19, 1, None), None);
    }
}
