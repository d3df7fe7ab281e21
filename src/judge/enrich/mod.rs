//! Derives the facts rules need from an inventory and the loaded [`crate::knowledge::Knowledge`]
//! (processor lists, graphics families, lifecycle, licensing, published KMS client keys), which
//! every caller passes in.
//!
//! Rules read these under `derived.` next to the inventory's own fields. A derived fact that
//! cannot be established is left out (so a rule reading it gives `unknown`) and its reason is put
//! in `derived.unknown`, keyed by the fact's path, for the report to show. This stage judges
//! nothing: it answers questions such as "is this CPU on Microsoft's list", and rules decide what
//! that means for a target. Facts about dates (support status) are derived as of the assessment
//! date it is given.

pub mod cpu;

use crate::facts::inventory::{Arch, BootMode, Inventory};
use crate::facts::productkey::KeyForm;
use crate::judge::license::ChannelFinding;
use crate::knowledge::cpu_family_rule::CpuFamilyRule;
use crate::knowledge::lifecycle::Support;
use crate::knowledge::Knowledge;
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Facts derived for one machine.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Derived {
    pub cpu: DerivedCpu,
    pub firmware: DerivedFirmware,
    pub graphics: DerivedGraphics,
    pub tpm: DerivedTpm,
    pub license: DerivedLicense,
    pub os: DerivedOs,
    /// Each product of the lifecycle data as of the assessment date, keyed by its id with `_`
    /// for `-` (e.g. `windows10_esu_consumer`), so expressions can name it.
    pub lifecycle: LifecycleTable,
    /// Why a derived fact is missing, keyed by its path below `derived.`
    /// (e.g. `cpu.win11_family_ok`).
    pub unknown: BTreeMap<String, String>,
}

/// The licence, as rules read it. The full findings (evidence, sources) are kept for the
/// assessment but not shown to expressions.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct DerivedLicense {
    /// Retail | OEM:SLP | OEM:NONSLP | OEM:DM | OEM | Volume:MAK | Volume:GVLK | Volume:KMS-host |
    /// Evaluation
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    /// retail | oem | volume | evaluation
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel_family: Option<String>,
    /// Which evidence decided the channel: channel | description | product-key | product-id |
    /// partial-key
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel_source: Option<String>,
    /// Whether some evidence points to another channel family.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel_conflict: Option<bool>,
    /// Whether the full product key has a key's form (absent when no full key was collected).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_valid: Option<bool>,
    /// classic (no N, Windows 7 and earlier) | with-n (Windows 8 and later)
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_form: Option<String>,
    /// Whether the full key is one of Microsoft's published KMS client keys.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gvlk: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gvlk_edition: Option<String>,
    /// The Windows 11 edition like this one: Home | Pro | Enterprise | Education.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub windows11_edition: Option<String>,
    /// Whether the licence held activates Windows 10/11 without buying one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub carries_over: Option<bool>,
    #[serde(skip)]
    pub finding: Option<ChannelFinding>,
}

/// The current OS's support as of the assessment date.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct DerivedOs {
    /// Whether the machine already runs Windows 11 (by name, or Windows 10.0 with a build of
    /// 22000 or later); false when that is not seen.
    pub windows11: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub support: Option<DerivedSupport>,
    #[serde(skip)]
    pub support_full: Option<Support>,
}

/// A product's support, as rules read it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DerivedSupport {
    pub product: String,
    /// supported | ended | upcoming
    pub status: String,
    /// The last day covered (Pacific time), whether or not it has passed.
    pub ends_on: String,
    /// Days still covered after the assessment date; absent once ended.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub days_remaining: Option<i64>,
}

impl DerivedSupport {
    fn of(support: &Support) -> DerivedSupport {
        DerivedSupport {
            product: support.product.clone(),
            status: support.status.as_str().to_string(),
            ends_on: support
                .ends_on
                .or(support.ended_on)
                .map(|d| d.to_string())
                .unwrap_or_default(),
            days_remaining: support.days_remaining,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct DerivedCpu {
    /// Whether Microsoft's family/model rule (HardwareReadiness.ps1) lets this CPU through.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub win11_family_ok: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub win11_family_reason: Option<String>,
    /// Whether the brand string is on Microsoft's Windows 11 supported-processor lists.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub win11_listed: Option<bool>,
    /// The list entry the brand matched.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub win11_list_entry: Option<String>,
    /// The i7-7820HQ exception Microsoft's script grants on two device models.
    pub win11_override: bool,
    /// The width of the running OS as `Win32_Processor.AddressWidth` gives it (32 or 64):
    /// `cpu.address_width` when collected, else worked out from `os.arch`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address_width: Option<u32>,
    /// Whether the processor itself is 64-bit, whatever the OS: true when something proves it
    /// (its own width, a 64-bit OS, long mode, Microsoft's list or a family/model that only
    /// 64-bit generations have), false when it is observed to be 32-bit, absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_64bit: Option<bool>,
    /// What `is_64bit` rests on, in words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_64bit_basis: Option<String>,
    /// The observed instruction features plus those any 64-bit x86 processor has (PAE and SSE2
    /// are part of x86-64). An observed `false` is kept.
    pub features: BTreeMap<String, bool>,
}

/// The graphics levels as collected; the rules hold the levels each target needs.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct DerivedGraphics {
    /// Each adapter's DirectX level and WDDM driver model, as dotted versions (`12.1`, `2.7`);
    /// a level that was not collected, or does not read as a version, is left out. Absent when
    /// no adapter was collected.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub adapters: Option<Vec<AdapterLevels>>,
    /// True when every adapter's two levels were read, so an adapter that meets no level is a
    /// finding, not a gap; absent (with its reason) otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub all_read: Option<bool>,
    /// True when, moreover, the levels are the hardware's last word: not read through Windows 7
    /// or older, whose drivers stop at WDDM 1.1 and DirectX 11 whatever the hardware can do;
    /// absent (with its reason) otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub levels_final: Option<bool>,
    /// The graphics family an adapter's name belongs to (`rules/data/gpu-families.yaml`): the
    /// premise of an inferred answer when the driver cannot show DirectX 12 / WDDM 2.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub family: Option<crate::knowledge::gpu_families::Recognized>,
    /// The name of an Intel adapter, which on a processor from Microsoft's list is that
    /// processor's own graphics (or an Intel card).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub intel_adapter: Option<String>,
}

/// One adapter's levels, as `derived.graphics.adapters` lists them.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct AdapterLevels {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub directx: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wddm: Option<String>,
}

/// The instruction features the rules ask about, by inventory name.
pub const CPU_FEATURES: [&str; 10] = [
    "pae",
    "nx",
    "sse2",
    "cx16",
    "lahf",
    "prefetchw",
    "popcnt",
    "sse4_2",
    "lm",
    "atomics",
];

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct DerivedFirmware {
    /// Whether the firmware can do Secure Boot: stated by the collector, implied by Secure Boot
    /// being on, or (false) by firmware whose SMBIOS tables say it does not support UEFI.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secure_boot_capable: Option<bool>,
    /// What `secure_boot_capable` was read from: `firmware` (the Secure Boot variables or the
    /// OS's own report) | `smbios` (no UEFI support, from the BIOS characteristics).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secure_boot_capable_from: Option<String>,
}

/// The TPM, as the checks read it.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct DerivedTpm {
    /// The TPM's specification version: the OS's reading (`tpm.version`, from Win32_Tpm or
    /// sysfs) when there is one, else the version the firmware's ACPI table announces (`TPM2`
    /// is the table of a TPM 2.0, `TCPA` that of a TPM 1.2). The firmware's table is seen
    /// even where the OS shows no TPM, as on Windows 7 with a TPM 2.0.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Where `version` came from: `os` | `acpi`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version_from: Option<String>,
}

/// The processor and device models that HardwareReadiness.ps1 lets through whatever the other
/// checks say (facts §1.4 item 6).
const OVERRIDE_CPU: &str = "i7-7820hq cpu @ 2.90ghz";
const OVERRIDE_MODELS: [&str; 2] = ["surface studio 2", "precision 5520"];

/// Every product's support as of a date, keyed as `derived.lifecycle` shows it. It depends on
/// the date alone and a batch assesses every machine as of one date, so the last table made is
/// shared, together with its template value, instead of being made and converted for every
/// machine.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LifecycleTable {
    pub products: Arc<BTreeMap<String, DerivedSupport>>,
    /// The same as a template value; serializing it into a context shares it.
    value: minijinja::Value,
}

impl Serialize for LifecycleTable {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if minijinja::value::serializing_for_value() {
            self.value.serialize(serializer)
        } else {
            self.products.serialize(serializer)
        }
    }
}

fn lifecycle_table(knowledge: &Knowledge, as_of: jiff::civil::Date) -> LifecycleTable {
    type Last = Option<(u64, jiff::civil::Date, LifecycleTable)>;
    static LAST: std::sync::Mutex<Last> = std::sync::Mutex::new(None);
    let mut last = LAST.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some((id, date, table)) = last.as_ref() {
        if *id == knowledge.id() && *date == as_of {
            return table.clone();
        }
    }
    let data = knowledge.lifecycle();
    let products: BTreeMap<String, DerivedSupport> = data
        .entries()
        .iter()
        .map(|entry| {
            let support = data.support(entry, as_of, false);
            (entry.id.replace('-', "_"), DerivedSupport::of(&support))
        })
        .collect();
    let table = LifecycleTable {
        value: minijinja::Value::from_serialize(&products),
        products: Arc::new(products),
    };
    *last = Some((knowledge.id(), as_of, table.clone()));
    table
}

impl Derived {
    /// Derives every fact from the data in `knowledge`; dates are judged as of `as_of`.
    pub fn from_inventory(
        inventory: &Inventory,
        knowledge: &Knowledge,
        as_of: jiff::civil::Date,
    ) -> Derived {
        let mut derived = Derived::for_readiness(inventory, knowledge);
        derived.derive_license(inventory, knowledge);
        derived.derive_support(inventory, knowledge, as_of);
        derived
    }

    /// The facts the hardware readiness checks read: processor, firmware, instruction features,
    /// graphics.
    fn for_readiness(inventory: &Inventory, knowledge: &Knowledge) -> Derived {
        let mut derived = Derived::default();
        derived.derive_cpu(inventory, knowledge);
        derived.derive_width(inventory, knowledge);
        derived.derive_firmware(inventory);
        derived.derive_tpm(inventory);
        derived.derive_features(inventory);
        derived.derive_graphics(inventory, knowledge);
        derived
    }

    fn derive_license(&mut self, inventory: &Inventory, knowledge: &Knowledge) {
        let license = inventory.license.as_ref();
        match crate::judge::license::channel_of(license, knowledge.gvlks()) {
            Ok(finding) => {
                self.license.channel = Some(finding.channel.id().to_string());
                self.license.channel_family = Some(finding.family.as_str().to_string());
                self.license.channel_source = Some(finding.decided_by.as_str().to_string());
                self.license.channel_conflict = Some(finding.conflict);
                self.license.finding = Some(finding);
            }
            Err(why) => {
                self.unknown.insert("license.channel".into(), why);
            }
        }
        let full_key = license
            .and_then(|l| l.product_key.as_deref())
            .filter(|k| !crate::facts::productkey::is_masked(k));
        if let Some(key) = full_key {
            let check = crate::facts::productkey::check(key);
            self.license.key_valid = Some(check.is_valid());
            self.license.key_form = check.form.map(|f| {
                match f {
                    KeyForm::Classic => "classic",
                    KeyForm::WithN { .. } => "with-n",
                }
                .to_string()
            });
            let gvlk = knowledge.gvlks().find(key);
            self.license.gvlk = Some(gvlk.is_some());
            self.license.gvlk_edition = gvlk.map(|g| g.edition.clone());
        }
        let os = inventory.os.as_ref();
        let gvlk_edition = full_key
            .and_then(|k| knowledge.gvlks().find(k))
            .and_then(|g| g.windows7_edition.as_deref());
        let edition = os.and_then(|o| o.edition.as_deref()).or(gvlk_edition);
        match knowledge
            .licensing()
            .windows11_edition(edition, os.and_then(|o| o.name.as_deref()))
        {
            Some(target) => self.license.windows11_edition = Some(target.to_string()),
            None => {
                let why = match edition.or(os.and_then(|o| o.name.as_deref())) {
                    Some(what) => format!(
                        "w7plan does not know which Windows 11 edition corresponds to `{what}`"
                    ),
                    None => "the Windows edition was not collected".to_string(),
                };
                self.unknown.insert("license.windows11_edition".into(), why);
            }
        }
        match crate::judge::license::carries_over(inventory, self.license.finding.as_ref()) {
            Ok(yes) => self.license.carries_over = Some(yes),
            Err(why) => {
                self.unknown.insert("license.carries_over".into(), why);
            }
        }
    }

    fn derive_support(
        &mut self,
        inventory: &Inventory,
        knowledge: &Knowledge,
        as_of: jiff::civil::Date,
    ) {
        self.os.windows11 = inventory.os.as_ref().is_some_and(|os| {
            let windows = !matches!(
                os.family,
                Some(
                    crate::facts::inventory::OsFamily::Linux
                        | crate::facts::inventory::OsFamily::Macos
                )
            );
            let named = os
                .name
                .as_deref()
                .is_some_and(|n| n.to_ascii_lowercase().contains("windows 11"));
            let ten = os
                .version
                .as_deref()
                .map(str::trim)
                .is_some_and(|v| v == "10.0" || v.starts_with("10.0."));
            windows && (named || (ten && os.build.is_some_and(|b| b >= 22000)))
        });
        let data = knowledge.lifecycle();
        match data.current(inventory.os.as_ref(), as_of) {
            Ok(support) => {
                self.os.support = Some(DerivedSupport::of(&support));
                self.os.support_full = Some(support);
            }
            Err(why) => {
                self.unknown.insert("os.support".into(), why);
            }
        }
        self.lifecycle = lifecycle_table(knowledge, as_of);
    }

    fn derive_cpu(&mut self, inventory: &Inventory, knowledge: &Knowledge) {
        let Some(cpu) = &inventory.cpu else {
            self.unknown.insert(
                "cpu.win11_family_ok".into(),
                "no processor facts were collected".into(),
            );
            self.unknown.insert(
                "cpu.win11_listed".into(),
                "no processor facts were collected".into(),
            );
            return;
        };
        match cpu::win11_family_rule(cpu, knowledge.cpu_family_rule()) {
            cpu::FamilyRule::Valid { reason } => {
                self.cpu.win11_family_ok = Some(true);
                self.cpu.win11_family_reason = Some(reason);
            }
            cpu::FamilyRule::Invalid { reason } => {
                self.cpu.win11_family_ok = Some(false);
                self.cpu.win11_family_reason = Some(reason);
            }
            cpu::FamilyRule::Unknown { reason } => {
                self.unknown.insert("cpu.win11_family_ok".into(), reason);
            }
        }
        match cpu
            .brand
            .as_deref()
            .map(str::trim)
            .filter(|b| !b.is_empty())
        {
            Some(brand) => {
                let entry = knowledge.processors().find(cpu.vendor.as_deref(), brand);
                self.cpu.win11_listed = Some(entry.is_some());
                self.cpu.win11_list_entry = entry.map(str::to_string);
            }
            None => {
                self.unknown.insert(
                    "cpu.win11_listed".into(),
                    "the processor's name (brand string) was not collected".into(),
                );
            }
        }
        let model = inventory.host.as_ref().and_then(|h| h.model.as_deref());
        self.cpu.win11_override = cpu
            .brand
            .as_deref()
            .is_some_and(|b| b.to_lowercase().contains(OVERRIDE_CPU))
            && model.is_some_and(|m| OVERRIDE_MODELS.contains(&m.trim().to_lowercase().as_str()));
        if self.cpu.win11_override {
            // Microsoft added this processor on these devices in August 2021, after its rule.
            self.cpu.win11_family_ok = Some(true);
            self.cpu.win11_family_reason =
                Some("Microsoft's script accepts the i7-7820HQ on the Surface Studio 2 and Precision 5520".into());
            self.unknown.remove("cpu.win11_family_ok");
        }
    }

    /// The OS width and the processor's own width. `Win32_Processor.AddressWidth` is the OS
    /// width, so a 32-bit Windows on a 64-bit processor reports 32: that is a reason to install
    /// 64-bit Windows, never by itself a reason to replace the processor.
    fn derive_width(&mut self, inventory: &Inventory, knowledge: &Knowledge) {
        let cpu = inventory.cpu.as_ref();
        let os_arch = inventory.os.as_ref().and_then(|o| o.arch);
        self.cpu.address_width = cpu.and_then(|c| c.address_width).or(match os_arch {
            Some(Arch::X64 | Arch::Arm64) => Some(64),
            Some(Arch::X86) => Some(32),
            None => None,
        });
        if self.cpu.address_width.is_none() {
            self.unknown.insert(
                "cpu.address_width".into(),
                "neither the processor's AddressWidth nor the OS architecture was collected".into(),
            );
        }
        let (answer, basis) = processor_width(inventory, &self.cpu, knowledge.cpu_family_rule());
        self.cpu.is_64bit = answer;
        match answer {
            Some(_) => self.cpu.is_64bit_basis = Some(basis),
            None => {
                self.unknown.insert("cpu.is_64bit".into(), basis);
            }
        }
    }

    fn derive_firmware(&mut self, inventory: &Inventory) {
        let firmware = inventory.firmware.as_ref();
        let capable = firmware.and_then(|f| f.secure_boot_capable);
        let enabled = firmware.and_then(|f| f.secure_boot_enabled);
        self.firmware.secure_boot_capable = match (capable, enabled) {
            (Some(c), _) => Some(c),
            (None, Some(true)) => Some(true),
            _ => None,
        };
        if self.firmware.secure_boot_capable.is_some() {
            self.firmware.secure_boot_capable_from = Some("firmware".into());
        } else if no_uefi(firmware) {
            // Secure Boot is a part of UEFI: firmware without UEFI has none.
            self.firmware.secure_boot_capable = Some(false);
            self.firmware.secure_boot_capable_from = Some("smbios".into());
        }
        if self.firmware.secure_boot_capable.is_none() {
            let windows7 = inventory
                .os
                .as_ref()
                .and_then(|o| o.version.as_deref())
                .is_some_and(|v| v == "6.1");
            let bios = firmware.and_then(|f| f.boot_mode) == Some(BootMode::Bios);
            let uefi = firmware.and_then(|f| f.uefi_capable) == Some(true);
            let why = if uefi && (windows7 || bios) {
                "the firmware supports UEFI (its SMBIOS tables say so), but a legacy BIOS/CSM boot (as Windows 7 needs) cannot tell whether it has Secure Boot"
            } else if windows7 || bios {
                "a system booted in legacy BIOS/CSM mode (as Windows 7 needs) cannot tell whether the firmware supports Secure Boot"
            } else {
                "whether the firmware supports Secure Boot was not collected"
            };
            self.unknown
                .insert("firmware.secure_boot_capable".into(), why.into());
        }
    }

    fn derive_tpm(&mut self, inventory: &Inventory) {
        let tpm = inventory.tpm.as_ref();
        let os = tpm
            .and_then(|t| t.version.as_deref())
            .map(|v| (v.to_string(), "os"));
        // The table signatures of the TCG ACPI specification: `TPM2` for a TPM 2.0, `TCPA`
        // for a TPM 1.2 (the probes record nothing else).
        let acpi = tpm.and_then(|t| t.acpi_table.as_deref()).and_then(|table| {
            match table.trim().to_ascii_uppercase().as_str() {
                "TPM2" => Some(("2.0".to_string(), "acpi")),
                "TCPA" => Some(("1.2".to_string(), "acpi")),
                _ => None,
            }
        });
        if let Some((version, from)) = os.or(acpi) {
            self.tpm.version = Some(version);
            self.tpm.version_from = Some(from.into());
        }
    }

    fn derive_features(&mut self, inventory: &Inventory) {
        let cpu = inventory.cpu.as_ref();
        let mut features = cpu.and_then(|c| c.features.clone()).unwrap_or_default();
        let x86_64 = cpu.is_some_and(|c| c.data_width == Some(64) || c.arch == Some(Arch::X64))
            || inventory.os.as_ref().and_then(|o| o.arch) == Some(Arch::X64)
            || features.get("lm") == Some(&true);
        if x86_64 {
            for implied in ["pae", "sse2", "lm"] {
                features.entry(implied.to_string()).or_insert(true);
            }
        }
        for name in CPU_FEATURES {
            if !features.contains_key(name) {
                self.unknown.insert(
                    format!("cpu.features.{name}"),
                    format!("{} not collected (Windows 7's own tools do not list processor instruction features)", feature_title(name)),
                );
            }
        }
        self.cpu.features = features;
    }

    fn derive_graphics(&mut self, inventory: &Inventory, knowledge: &Knowledge) {
        let adapters = inventory.graphics.as_deref().unwrap_or_default();
        self.graphics.family =
            knowledge
                .gpu_families()
                .recognize_adapters(adapters.iter().map(|a| {
                    crate::knowledge::gpu_families::Adapter {
                        name: a.name.as_deref(),
                        vendor_id: a.vendor_id.as_deref(),
                        device_id: a.device_id.as_deref(),
                    }
                }));
        // An Intel adapter by its name, or by Intel's PCI vendor id (8086) when its driver is
        // missing and the name says nothing.
        self.graphics.intel_adapter = adapters.iter().find_map(|a| {
            let name = a.name.as_deref().map(str::trim).filter(|n| !n.is_empty());
            if name.is_some_and(|n| n.to_ascii_lowercase().starts_with("intel")) {
                return name.map(str::to_string);
            }
            let intel = a.vendor_id.as_deref().map(str::trim) == Some("8086");
            intel.then(|| {
                let id = format!("PCI 8086:{}", a.device_id.as_deref().unwrap_or("?"));
                match name {
                    Some(n) => format!("{n} ({id})"),
                    None => format!("The adapter with {id}"),
                }
            })
        });
        if adapters.is_empty() {
            let why = "no graphics adapter facts were collected";
            for path in ["adapters", "all_read", "levels_final"] {
                self.unknown.insert(format!("graphics.{path}"), why.into());
            }
            return;
        }
        // Only a level that reads as a version is kept: one that does not is as good as unread.
        let level = |v: &Option<String>| {
            v.as_deref()
                .and_then(crate::facts::inventory::parse_version)
                .map(|parts| {
                    parts
                        .iter()
                        .map(u64::to_string)
                        .collect::<Vec<_>>()
                        .join(".")
                })
        };
        self.graphics.adapters = Some(
            adapters
                .iter()
                .map(|a| AdapterLevels {
                    directx: level(&a.directx),
                    wddm: level(&a.wddm),
                })
                .collect(),
        );
        let all_read = adapters
            .iter()
            .all(|a| level(&a.directx).is_some() && level(&a.wddm).is_some());
        let windows7_or_older = inventory
            .os
            .as_ref()
            .and_then(|o| o.version.as_deref())
            .and_then(crate::facts::inventory::parse_version)
            .is_some_and(|v| v[0] < 10);
        let not_read =
            "the DirectX level or driver model of the graphics adapter was not collected";
        if all_read {
            self.graphics.all_read = Some(true);
        } else {
            self.unknown
                .insert("graphics.all_read".into(), not_read.into());
        }
        if windows7_or_older {
            self.unknown.insert(
                "graphics.levels_final".into(),
                "Windows 7's drivers stop at WDDM 1.1 and DirectX 11, so they cannot show whether the graphics supports DirectX 12".into(),
            );
        } else if all_read {
            self.graphics.levels_final = Some(true);
        } else {
            self.unknown
                .insert("graphics.levels_final".into(), not_read.into());
        }
    }
}

/// Whether firmware that booted legacy (or in an unknown mode) says it cannot do UEFI. The
/// SMBIOS bit "UEFI is supported" is defined from SMBIOS 2.7 on; a clear bit in older tables
/// means nothing, and a UEFI boot proves the opposite.
fn no_uefi(firmware: Option<&crate::facts::inventory::Firmware>) -> bool {
    let Some(f) = firmware else { return false };
    let smbios_27 = match f.smbios_version.as_deref() {
        // The probes set `false` only from 2.7 on; a hand-written inventory may omit the version.
        None => true,
        Some(v) => crate::facts::inventory::parse_version(v)
            .is_some_and(|v| v.as_slice() >= [2, 7].as_slice()),
    };
    f.uefi_capable == Some(false) && smbios_27 && f.boot_mode != Some(BootMode::Uefi)
}

/// Whether the processor is 64-bit, and why (or why that cannot be told).
///
/// Observed facts come first: the CPU's own width (`Win32_Processor.DataWidth`) or
/// architecture, long mode, or a 64-bit OS running on it. Failing those, Microsoft's lists of
/// Windows 11 processors name 64-bit processors only (Windows 11 is 64-bit only), and the
/// family/model rule lets through only Intel family 6 models above 95 (Skylake and later) and
/// AMD Zen and later (with the shipped numbers of `rule`), all x86-64 generations. The rule's
/// Intel family 5 quirk proves nothing.
fn processor_width(
    inventory: &Inventory,
    derived: &DerivedCpu,
    rule: &CpuFamilyRule,
) -> (Option<bool>, String) {
    let os_64bit = matches!(
        inventory.os.as_ref().and_then(|o| o.arch),
        Some(Arch::X64 | Arch::Arm64)
    );
    let Some(cpu) = inventory.cpu.as_ref() else {
        return if os_64bit {
            (
                Some(true),
                "it runs a 64-bit Windows, which needs a 64-bit processor (observed)".into(),
            )
        } else {
            (None, "no processor facts were collected".into())
        };
    };
    let long_mode = cpu.features.as_ref().and_then(|f| f.get("lm")).copied();
    if let Some(width) = cpu.data_width {
        return (
            Some(width == 64),
            format!("the processor reports a data width of {width} bits (observed)"),
        );
    }
    if matches!(cpu.arch, Some(Arch::X64 | Arch::Arm64)) {
        return (
            Some(true),
            "the processor reports a 64-bit architecture (observed)".into(),
        );
    }
    if let Some(lm) = long_mode {
        let has = if lm { "has" } else { "lacks" };
        return (
            Some(lm),
            format!("the processor {has} 64-bit long mode (observed)"),
        );
    }
    if os_64bit {
        return (
            Some(true),
            "it runs a 64-bit Windows, which needs a 64-bit processor (observed)".into(),
        );
    }
    if derived.win11_listed == Some(true) {
        return (
            Some(true),
            "it is on Microsoft's Windows 11 processor lists, which name 64-bit processors only (inferred)".into(),
        );
    }
    let vendor = cpu.vendor.as_deref().map(str::trim).unwrap_or_default();
    let (intel, amd) = (&rule.intel, &rule.amd);
    let generation = match (vendor, cpu.family, cpu.model) {
        (v, Some(family), Some(model))
            if v.eq_ignore_ascii_case(intel.vendor.trim())
                && family == intel.blocked_from_family
                && model > intel.blocked_up_to_model =>
        {
            Some(format!(
                "Intel family {family} model {model} (Skylake or later)"
            ))
        }
        (v, Some(family), _)
            if v.eq_ignore_ascii_case(amd.vendor.trim()) && family >= amd.lowest_family =>
        {
            Some(format!("AMD family {family} (Zen or later)"))
        }
        _ => None,
    };
    match generation {
        Some(what) => (
            Some(true),
            format!("{what} is an x86-64 generation (inferred from family and model)"),
        ),
        None => (
            None,
            "nothing collected proves whether the processor is 64-bit (its DataWidth, long mode, or a family/model of a 64-bit generation)".into(),
        ),
    }
}

fn feature_title(name: &str) -> &str {
    match name {
        "pae" => "PAE",
        "nx" => "NX (Execute Disable)",
        "sse2" => "SSE2",
        "cx16" => "CMPXCHG16B",
        "lahf" => "LAHF/SAHF",
        "prefetchw" => "PrefetchW",
        "popcnt" => "POPCNT",
        "sse4_2" => "SSE4.2",
        "lm" => "64-bit long mode",
        "atomics" => "ARMv8.1 atomics",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::inventory::{Cpu, Os};

    fn width(cpu: Option<Cpu>, arch: Option<Arch>) -> (Option<u32>, Option<bool>) {
        let inventory = Inventory {
            cpu,
            os: Some(Os {
                arch,
                ..Os::default()
            }),
            ..Inventory::default()
        };
        let derived = Derived::for_readiness(&inventory, &Knowledge::embedded());
        (derived.cpu.address_width, derived.cpu.is_64bit)
    }

    fn intel(model: u32) -> Cpu {
        Cpu {
            vendor: Some("GenuineIntel".into()),
            family: Some(6),
            model: Some(model),
            ..Cpu::default()
        }
    }

    #[test]
    fn the_os_width_and_the_processor_width_are_told_apart() {
        // A Kaby Lake on 32-bit Windows: AddressWidth follows the OS, the CPU is x86-64.
        assert_eq!(
            width(Some(intel(158)), Some(Arch::X86)),
            (Some(32), Some(true))
        );
        // Ivy Bridge on 32-bit Windows: nothing collected proves its width.
        assert_eq!(width(Some(intel(58)), Some(Arch::X86)), (Some(32), None));
        // Observed facts win over the family, either way.
        let atom = Cpu {
            data_width: Some(32),
            ..intel(158)
        };
        assert_eq!(width(Some(atom), Some(Arch::X86)), (Some(32), Some(false)));
        let no_long_mode = Cpu {
            features: Some([("lm".to_string(), false)].into()),
            ..intel(58)
        };
        assert_eq!(width(Some(no_long_mode), None), (None, Some(false)));
        // A 64-bit Windows proves a 64-bit processor, even with no processor facts.
        assert_eq!(width(None, Some(Arch::X64)), (Some(64), Some(true)));
        // The collected AddressWidth is kept as it is.
        let reported = Cpu {
            address_width: Some(64),
            ..intel(58)
        };
        assert_eq!(width(Some(reported), Some(Arch::X86)).0, Some(64));
        // Intel family 5 passes Microsoft's rule but proves nothing about 64 bits.
        let pentium = Cpu {
            family: Some(5),
            ..intel(8)
        };
        assert_eq!(width(Some(pentium), Some(Arch::X86)).1, None);
    }
}
