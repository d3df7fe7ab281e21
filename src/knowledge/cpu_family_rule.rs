//! The numbers of Microsoft's Windows 11 CPU family/model block rule
//! (`rules/data/cpu-family-rule.yaml`): which manufacturers it knows, which families and models
//! it blocks, its exceptions and the platform IDs it requires.
//!
//! Only the file's format lives here. Applying the rule to a processor (the branches by
//! manufacturer and architecture, the atomics test, "unknown" for what was not collected) is
//! [`crate::judge::enrich::cpu`].

use crate::error::{Error, Origin, Result};
use crate::vocab::Reference;
use serde::Deserialize;

/// The shipped file's name under `rules/data/`.
pub const FILE_NAME: &str = "cpu-family-rule.yaml";

/// The rule's numbers, with their source.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CpuFamilyRule {
    pub source: Reference,
    pub intel: IntelRule,
    pub amd: AmdRule,
    pub qualcomm: QualcommRule,
}

/// A family and a model, as `GetNativeSystemInfo` gives them (decimal).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FamilyModel {
    pub family: u32,
    pub model: u32,
}

/// A family/model/stepping that passes only with one "Platform Specific Field 1" value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlatformId {
    pub family: u32,
    pub model: u32,
    pub stepping: u32,
    pub platform_id: u32,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IntelRule {
    /// `Win32_Processor.Manufacturer`, compared whole and in any case.
    pub vendor: String,
    /// Families from this one on are blocked at low models.
    pub blocked_from_family: u32,
    /// Models up to and including this one are blocked in those families.
    pub blocked_up_to_model: u32,
    /// Family/models that the low-model block lets through.
    #[serde(default)]
    pub allowed: Vec<FamilyModel>,
    #[serde(default)]
    pub platform_ids: Vec<PlatformId>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AmdRule {
    pub vendor: String,
    /// Families below this one are blocked.
    pub lowest_family: u32,
    /// Family/models blocked although their family is not.
    #[serde(default)]
    pub blocked: Vec<FamilyModel>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QualcommRule {
    pub vendor: String,
}

impl CpuFamilyRule {
    /// Parses the file; a source without a date or an empty manufacturer is an error.
    pub fn parse(text: &str, origin: &Origin) -> Result<CpuFamilyRule> {
        let rule: CpuFamilyRule = super::parse_data(text, origin)?;
        let invalid = |message: &str| Error::DataSyntax {
            origin: origin.clone(),
            location: None,
            message: message.to_string(),
        };
        if rule.source.as_of.is_none() {
            return Err(invalid(
                "the `source` has no as_of date (the day it was read or last changed)",
            ));
        }
        for vendor in [&rule.intel.vendor, &rule.amd.vendor, &rule.qualcomm.vendor] {
            if vendor.trim().is_empty() {
                return Err(invalid("a `vendor` is empty"));
            }
        }
        Ok(rule)
    }

    /// The shipped file.
    pub fn embedded() -> CpuFamilyRule {
        let text = super::embedded_data(FILE_NAME).expect("cpu-family-rule.yaml is shipped");
        // A test loads the shipped files, so this only fires on a broken build.
        CpuFamilyRule::parse(text, &Origin(format!("rules/data/{FILE_NAME} (built in)")))
            .unwrap_or_else(|e| panic!("the built-in CPU family rule is broken: {e}"))
    }
}

impl AmdRule {
    /// The models blocked in `family`, in the file's order.
    pub fn blocked_models(&self, family: u32) -> Vec<u32> {
        self.blocked
            .iter()
            .filter(|b| b.family == family)
            .map(|b| b.model)
            .collect()
    }
}
