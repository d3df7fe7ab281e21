//! Windows 11 processor knowledge: Microsoft's CPU family/model block rule, Microsoft's
//! supported-processor lists, and the two judgements made from them.
//!
//! [`win11_family_rule`] reproduces `CpuFamily.Validate` from Microsoft's HardwareReadiness.ps1
//! (v2, 2021-11-29); [`ProcessorList::find`] looks a CPU brand string up in the lists shipped in
//! `rules/data/win11-processors.yaml`. Neither checks clock speed, core count, address width or
//! instruction features (rules do that), and neither applies the script's i7-7820HQ override,
//! which depends on the machine model: the caller handles it.
//!
//! The two answer different questions and can disagree: the rule says whether Microsoft's check
//! blocks the CPU, the list whether Microsoft names it as supported. Every Intel family-6 model
//! above 95 passes the rule, listed or not, so callers should report both.

use crate::error::{Error, Location, Origin, Result};
use crate::facts::inventory::{Arch, Cpu};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::OnceLock;

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
    fn of(manufacturer: &str) -> RuleVendor {
        let m = manufacturer.trim();
        if m.eq_ignore_ascii_case("GenuineIntel") {
            RuleVendor::Intel
        } else if m.eq_ignore_ascii_case("AuthenticAMD") {
            RuleVendor::Amd
        } else if m.eq_ignore_ascii_case("Qualcomm Technologies Inc") {
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

/// Applies Microsoft's CPU family/model rule (facts §1.5) to what was observed.
///
/// Exactly the script's conditions, including its quirks: Intel families other than 6 are
/// blocked whenever their model is 95 or lower (so Pentium 4 is blocked and so would be any
/// future Intel family that restarts model numbers low), and Intel family 5 passes. Where the
/// script would read something we did not collect, the answer is `Unknown` rather than a guess.
/// When `cpu.arch` is absent it is inferred from the vendor (Intel/AMD: x86/x64; Qualcomm:
/// ARM64). The i7-7820HQ override is not applied here (see the module header).
pub fn win11_family_rule(cpu: &Cpu) -> FamilyRule {
    let Some(manufacturer) = cpu.vendor.as_deref().filter(|v| !v.trim().is_empty()) else {
        return unknown(
            "The processor manufacturer (cpu.vendor) was not collected; Microsoft's rule depends on it."
                .into(),
        );
    };
    let vendor = RuleVendor::of(manufacturer);
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
        (RuleVendor::Intel, Some(Branch::X86)) => intel_rule(cpu),
        (RuleVendor::Amd, Some(Branch::X86)) => amd_rule(cpu),
        (RuleVendor::Qualcomm, Some(Branch::Arm64)) => qualcomm_rule(cpu),
        _ => other_rule(cpu, manufacturer.trim()),
    }
}

fn intel_rule(cpu: &Cpu) -> FamilyRule {
    let Some(family) = cpu.family else {
        return missing("Intel", "family (cpu.family)");
    };
    if family < 6 {
        // The v2 condition starts with `family >= 6`, so older families fall through to valid.
        let what = describe("Intel", family, cpu.model, cpu.stepping, None);
        return valid(format!(
            "{what} is not blocked by Microsoft's rule, which blocks family 6 or higher with model 95 or lower."
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
    if model <= 95 && !(family == 6 && model == 85) {
        return invalid(format!(
            "{what} is blocked by Microsoft's rule: family 6 or higher with model 95 or lower (except family 6 model 85)."
        ));
    }
    if family == 6 && (model == 142 || model == 158) {
        let Some(stepping) = cpu.stepping else {
            return unknown(format!(
                "{what}: Microsoft's rule treats stepping 9 of this model specially, and the stepping (cpu.stepping) was not collected."
            ));
        };
        if stepping == 9 {
            let required = if model == 142 { 16 } else { 8 };
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

fn amd_rule(cpu: &Cpu) -> FamilyRule {
    let Some(family) = cpu.family else {
        return missing("AMD", "family (cpu.family)");
    };
    if family < 23 {
        let what = describe(
            "AMD",
            family,
            cpu.model,
            cpu.stepping,
            amd_name(family, cpu.model),
        );
        return invalid(format!(
            "{what} is blocked by Microsoft's rule: family 22 or lower."
        ));
    }
    if family == 23 {
        let Some(model) = cpu.model else {
            return unknown(
                "AMD family 23 (Zen, Zen+ or Zen 2): Microsoft's rule blocks models 1 and 17 of this family, and the model (cpu.model) was not collected."
                    .into(),
            );
        };
        let what = describe(
            "AMD",
            family,
            Some(model),
            cpu.stepping,
            amd_name(family, Some(model)),
        );
        if model == 1 || model == 17 {
            return invalid(format!(
                "{what} is blocked by Microsoft's rule: family 23 models 1 and 17."
            ));
        }
        return valid(format!("{what} is not blocked by Microsoft's rule."));
    }
    let what = describe(
        "AMD",
        family,
        cpu.model,
        cpu.stepping,
        amd_name(family, cpu.model),
    );
    valid(format!("{what} is not blocked by Microsoft's rule."))
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

fn other_rule(cpu: &Cpu, manufacturer: &str) -> FamilyRule {
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
        "Manufacturer \"{manufacturer}\", {arch}, {family}: Microsoft's rule accepts only GenuineIntel and AuthenticAMD on x86/x64 and Qualcomm Technologies Inc on ARM64."
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

// ---------------------------------------------------------------------------------------------
// The supported-processor lists
// ---------------------------------------------------------------------------------------------

/// Which of Microsoft's lists an entry belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ListVendor {
    Intel,
    Amd,
    Qualcomm,
}

impl ListVendor {
    /// The list for a manufacturer as Windows or Linux reports it (`GenuineIntel`,
    /// `AuthenticAMD`, `Qualcomm Technologies Inc`), or `None` if it names none of the three.
    pub fn from_manufacturer(manufacturer: &str) -> Option<ListVendor> {
        let m = manufacturer.to_ascii_lowercase();
        if m.contains("intel") {
            Some(ListVendor::Intel)
        } else if m.contains("amd") {
            Some(ListVendor::Amd)
        } else if m.contains("qualcomm") {
            Some(ListVendor::Qualcomm)
        } else {
            None
        }
    }
}

/// Where the lists came from, for reports.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListSource {
    pub title: String,
    /// Microsoft's pages the lists were taken from.
    pub urls: Vec<String>,
    /// How the lists were obtained, in one paragraph.
    pub obtained: String,
    /// The date the lists were scraped; anything released later may be missing.
    pub as_of: jiff::civil::Date,
    #[serde(default)]
    pub caveats: Vec<String>,
}

/// The data file as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ListFile {
    source: ListSource,
    intel: Vec<String>,
    amd: Vec<String>,
    qualcomm: Vec<String>,
}

#[derive(Debug)]
struct Entry {
    name: String,
    vendor: ListVendor,
    /// The number of tokens the name normalizes to; more tokens is a more specific match.
    specificity: usize,
}

/// One token sequence that identifies an entry. An entry has one or two: its tokens, and its
/// tokens with hyphenated words joined back (`X1E-80-100` is `x1e80100` in brand strings).
#[derive(Debug)]
struct Pattern {
    entry: usize,
    tokens: Box<[Box<str>]>,
}

/// Microsoft's Windows 11 supported-processor lists, parsed and pre-normalized for lookup.
#[derive(Debug)]
pub struct ProcessorList {
    source: ListSource,
    entries: Vec<Entry>,
    /// Patterns keyed by their last token (nearly always the model number), so a lookup costs
    /// one hash probe per brand token instead of a scan of the whole list.
    by_last: HashMap<Box<str>, Vec<Pattern>>,
}

const EMBEDDED: &str = include_str!("../../../rules/data/win11-processors.yaml");

impl ProcessorList {
    /// Parses a list file in w7plan's format (`rules/data/win11-processors.yaml`).
    pub fn parse(text: &str, origin: &Origin) -> Result<ProcessorList> {
        let file: ListFile = crate::yaml::from_str(text).map_err(|e| Error::DataSyntax {
            origin: origin.clone(),
            location: crate::yaml::location(&e),
            message: strip_position(&e.to_string()),
        })?;
        let mut list = ProcessorList {
            source: file.source,
            entries: Vec::new(),
            by_last: HashMap::new(),
        };
        let lists = [
            (ListVendor::Intel, file.intel),
            (ListVendor::Amd, file.amd),
            (ListVendor::Qualcomm, file.qualcomm),
        ];
        for (vendor, names) in lists {
            for name in names {
                let words = normalize(&name);
                if words.is_empty() {
                    return Err(Error::DataSyntax {
                        origin: origin.clone(),
                        location: find_line(text, &name),
                        message: format!(
                            "processor `{name}` has nothing to match once trademarks and generic words are removed"
                        ),
                    });
                }
                let entry = list.entries.len();
                let tokens: Vec<Box<str>> =
                    words.iter().flatten().map(|t| t.as_str().into()).collect();
                list.entries.push(Entry {
                    name,
                    vendor,
                    specificity: tokens.len(),
                });
                if words.iter().any(|w| w.len() > 1) {
                    let joined: Vec<Box<str>> = words.iter().map(|w| w.concat().into()).collect();
                    list.add(entry, joined);
                }
                list.add(entry, tokens);
            }
        }
        Ok(list)
    }

    fn add(&mut self, entry: usize, tokens: Vec<Box<str>>) {
        let last = tokens.last().expect("patterns are never empty").clone();
        self.by_last.entry(last).or_default().push(Pattern {
            entry,
            tokens: tokens.into_boxed_slice(),
        });
    }

    /// The list shipped with w7plan, parsed on first use.
    pub fn embedded() -> &'static ProcessorList {
        static LIST: OnceLock<ProcessorList> = OnceLock::new();
        LIST.get_or_init(|| {
            let origin = Origin("rules/data/win11-processors.yaml (built in)".into());
            // A test parses the shipped file, so this only fires on a broken build.
            ProcessorList::parse(EMBEDDED, &origin)
                .unwrap_or_else(|e| panic!("the built-in processor list is broken: {e}"))
        })
    }

    /// The list entry matching a CPU brand string, as the list writes it, or `None`.
    ///
    /// Both sides are normalized (case, trademarks, clock speed, "CPU"/"Processor", AMD's
    /// "Six-Core" and "with Radeon … Graphics" suffixes) and split into tokens at spaces and
    /// punctuation; an entry matches when its tokens appear as a contiguous run in the brand's.
    /// Among several matches the entry with the most tokens wins (`Snapdragon (TM) 8cx Gen 3`
    /// over `Snapdragon (TM) 8cx`, `X1E-80-100` over `Snapdragon (R) X`), then the one written
    /// first. Tokens must be equal, so `i5-8400` never matches `i5-8400T` and vice versa. When `vendor` names Intel,
    /// AMD or Qualcomm only that list is searched; otherwise all are.
    pub fn find(&self, vendor: Option<&str>, brand: &str) -> Option<&str> {
        let only = vendor.and_then(ListVendor::from_manufacturer);
        let tokens: Vec<String> = normalize(brand).into_iter().flatten().collect();
        let mut best: Option<usize> = None;
        for (end, token) in tokens.iter().enumerate() {
            let Some(patterns) = self.by_last.get(token.as_str()) else {
                continue;
            };
            for pattern in patterns {
                let n = pattern.tokens.len();
                if n > end + 1 {
                    continue;
                }
                let entry = &self.entries[pattern.entry];
                if only.is_some_and(|v| v != entry.vendor) {
                    continue;
                }
                let run = &tokens[end + 1 - n..=end];
                if !pattern.tokens.iter().zip(run).all(|(a, b)| **a == **b) {
                    continue;
                }
                let better = match best {
                    None => true,
                    Some(b) => {
                        let current = &self.entries[b];
                        entry.specificity > current.specificity
                            || (entry.specificity == current.specificity && pattern.entry < b)
                    }
                };
                if better {
                    best = Some(pattern.entry);
                }
            }
        }
        best.map(|b| self.entries[b].name.as_str())
    }

    /// The names on one vendor's list, in file order.
    pub fn names(&self, vendor: ListVendor) -> impl Iterator<Item = &str> {
        self.entries
            .iter()
            .filter(move |e| e.vendor == vendor)
            .map(|e| e.name.as_str())
    }

    /// Where the lists came from.
    pub fn source(&self) -> &ListSource {
        &self.source
    }

    /// The number of entries on all lists.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// Words that carry no identity: generic nouns and vendor names (the vendor is matched
/// separately, and list names omit it).
const NOISE: &[&str] = &["cpu", "processor", "apu", "intel", "amd"];

/// Splits a brand string or list name into words, each a group of comparable tokens.
///
/// The grouping is kept so list names can also be matched with a hyphenated word joined back
/// into one token. Brand strings carry decorations the lists do not: trademarks, a clock speed
/// after `@`, AMD's "Six-Core"/"16-Cores" and "with Radeon Vega Graphics"/"w/ Radeon 780M",
/// generic words such as "CPU" in the middle of "Celeron(R) CPU G4900". Microsoft's AMD names
/// sometimes carry a series ("Ryzen Embedded R2000 Series R2312") that brand strings lack, so
/// "<word> Series" is dropped too.
fn normalize(text: &str) -> Vec<Vec<String>> {
    let lower = text.to_lowercase();
    let head = lower.split('@').next().unwrap_or_default();
    // A space, not nothing: "Intel(R)Core(TM)i5" must still split into words.
    let cleaned = head
        .replace("(r)", " ")
        .replace("(tm)", " ")
        .replace(['®', '™'], " ");
    let mut words: Vec<&str> = Vec::new();
    for word in cleaned.split_whitespace() {
        if word == "with" || word.starts_with("w/") {
            break;
        }
        if word == "series" {
            words.pop();
            continue;
        }
        if is_core_count(word) {
            continue;
        }
        words.push(word);
    }
    words
        .into_iter()
        .filter_map(|word| {
            let tokens: Vec<String> = word
                .split(|c: char| !(c.is_alphanumeric() || c == '+'))
                .filter(|t| !t.is_empty() && !NOISE.contains(t))
                .map(str::to_owned)
                .collect();
            (!tokens.is_empty()).then_some(tokens)
        })
        .collect()
}

/// AMD's core-count words: "six-core", "16-cores", "twenty-four-core". Intel's own "Core" is a
/// word of its own and never ends a hyphenated word.
fn is_core_count(word: &str) -> bool {
    word.rsplit_once('-')
        .is_some_and(|(count, core)| !count.is_empty() && (core == "core" || core == "cores"))
}

/// serde's messages end in " at line X column Y"; the location is reported separately.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// The first line naming `needle`, for errors found after parsing.
fn find_line(text: &str, needle: &str) -> Option<Location> {
    text.lines().enumerate().find_map(|(i, line)| {
        line.find(needle).map(|at| Location {
            line: i + 1,
            column: line[..at].chars().count() + 1,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flat(text: &str) -> Vec<String> {
        normalize(text).into_iter().flatten().collect()
    }

    #[test]
    fn normalization_drops_decorations() {
        assert_eq!(
            flat("Intel(R) Core(TM) i5-8400 CPU @ 2.80GHz"),
            ["core", "i5", "8400"]
        );
        assert_eq!(
            flat("Intel(R) Celeron(R) CPU G4900 @ 3.10GHz"),
            ["celeron", "g4900"]
        );
        assert_eq!(
            flat("AMD Ryzen 5 2600 Six-Core Processor"),
            ["ryzen", "5", "2600"]
        );
        assert_eq!(
            flat("AMD Ryzen Threadripper PRO 3955WX 16-Cores"),
            ["ryzen", "threadripper", "pro", "3955wx"]
        );
        assert_eq!(
            flat("AMD Ryzen 5 2400G with Radeon Vega Graphics"),
            ["ryzen", "5", "2400g"]
        );
        assert_eq!(
            flat("AMD Ryzen 7 7840HS w/ Radeon 780M Graphics"),
            ["ryzen", "7", "7840hs"]
        );
        assert_eq!(
            flat("Ryzen Embedded R2000 Series R2312"),
            ["ryzen", "embedded", "r2312"]
        );
        assert_eq!(flat("Intel® Core™ i7-8550U"), ["core", "i7", "8550u"]);
        assert_eq!(
            flat("Snapdragon (TM) 7c+ Gen 3"),
            ["snapdragon", "7c+", "gen", "3"]
        );
        assert!(flat("").is_empty());
        assert!(flat("@@@ (R)(TM) - -").is_empty());
    }

    #[test]
    fn hyphenated_names_also_match_joined() {
        let text = "source: {title: t, urls: [], obtained: o, as_of: 2025-01-01}\nintel: []\namd: []\nqualcomm: [X1E-80-100, Snapdragon (R) X]\n";
        let list = ProcessorList::parse(text, &Origin("t".into())).unwrap();
        assert_eq!(
            list.find(
                None,
                "Snapdragon(R) X Elite - X1E80100 - Qualcomm(R) Oryon(TM) CPU"
            ),
            Some("X1E-80-100")
        );
    }

    #[test]
    fn an_entry_with_nothing_to_match_is_a_data_error() {
        let text = "source: {title: t, urls: [], obtained: o, as_of: 2025-01-01}\nintel:\n  - Processor\namd: []\nqualcomm: []\n";
        let err = ProcessorList::parse(text, &Origin("t.yaml".into())).unwrap_err();
        assert_eq!(err.code(), "data-syntax");
        assert!(err.to_string().starts_with("t.yaml:3:5:"), "{err}");
    }

    #[test]
    fn intel_names_follow_stepping_for_kaby_lake_models() {
        assert_eq!(intel_name(6, 158, Some(10)), Some("Coffee Lake"));
        assert_eq!(intel_name(6, 158, Some(9)), Some("Kaby Lake"));
        assert_eq!(intel_name(6, 1000, None), None);
        assert_eq!(intel_name(19, 1, None), None);
    }
}
