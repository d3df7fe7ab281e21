//! Puts the assessment of one machine together: enrich its facts, evaluate the checks, reach
//! each target's verdict and build the plan.
//!
//! This owns the shape of the result that JSON/YAML consumers read: the targets' checks, the
//! current OS's support, the support timeline of the options, the plan and the notes. The verdict
//! rule is [`crate::judge::verdict`], evaluating checks is [`crate::judge::rules`], what to do is
//! [`crate::judge::plan`]; nothing here renders. The product key it holds is masked unless
//! [`Assessment::shown`] reveals it.

use crate::facts::inventory::Inventory;
use crate::judge::enrich::Derived;
use crate::judge::plan::licence::LicencePlan;
use crate::judge::plan::{Plan, When};
use crate::judge::rules::RuleSet;
use crate::judge::verdict::{Tally, TargetResult};
use crate::knowledge::lifecycle::Support;
use crate::vocab::{
    CheckResult, Detail, Evidence as HowKnown, Section, Severity, Status, Target, Verdict,
};
use serde::{Deserialize, Serialize};

/// The value of `schema` in an assessment.
pub const SCHEMA: &str = "w7plan/assessment/v1";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HostSummary {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub serial: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manufacturer: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OsSummary {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edition: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arch: Option<crate::facts::inventory::Arch>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub build: Option<u32>,
    /// The current OS's support as of the assessment date.
    pub support: OsSupport,
}

/// `os.support`: the lifecycle of the running OS, or `status: unknown` with the reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum OsSupport {
    Known(Box<Support>),
    Unknown {
        status: UnknownStatus,
        reason: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum UnknownStatus {
    Unknown,
}

impl OsSupport {
    pub fn known(&self) -> Option<&Support> {
        match self {
            OsSupport::Known(support) => Some(support),
            OsSupport::Unknown { .. } => None,
        }
    }
}

/// The assessment of one machine.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assessment {
    pub schema: String,
    pub as_of: String,
    pub host: HostSummary,
    pub os: OsSummary,
    pub targets: Vec<TargetResult>,
    /// Support as of the assessment date of each option a Windows 7 machine could move to.
    pub timeline: Vec<Support>,
    pub plan: Plan,
    /// What the collector could not see, carried over from the inventory.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// The facts the enrich stage derived for this assessment, for outputs that show them (the
    /// HardwareReadiness.ps1 shape reads the i7-7820HQ exception). Not part of the JSON/YAML
    /// contract: never serialized, and empty when an assessment is read back.
    #[serde(skip)]
    pub derived: std::sync::Arc<Derived>,
}

impl Assessment {
    /// Evaluates the rules for `targets` against one inventory as of a date.
    pub fn new(
        inventory: &Inventory,
        rules: &RuleSet,
        targets: &[Target],
        as_of: jiff::civil::Date,
    ) -> Assessment {
        Assessment::with_detail(inventory, rules, targets, as_of, Detail::Full)
    }

    /// The same, worked out to `detail`: [`Detail::Counts`] for batches that only count.
    pub fn with_detail(
        inventory: &Inventory,
        rules: &RuleSet,
        targets: &[Target],
        as_of: jiff::civil::Date,
        detail: Detail,
    ) -> Assessment {
        let derived =
            std::sync::Arc::new(Derived::from_inventory(inventory, rules.knowledge(), as_of));
        let context = rules.context(inventory, &derived, as_of);
        let (results, licence_checks): (Vec<CheckResult>, Vec<CheckResult>) = rules
            .evaluate_with(&context, targets, detail)
            .into_iter()
            .partition(|r| r.section == Section::Readiness);
        let mut results = results;
        let targets: Vec<TargetResult> = targets
            .iter()
            .map(|&target| {
                let (checks, rest): (Vec<CheckResult>, Vec<CheckResult>) =
                    std::mem::take(&mut results)
                        .into_iter()
                        .partition(|r| r.target == target);
                results = rest;
                let mut tally = Tally::default();
                for c in &checks {
                    if c.evidence == Some(HowKnown::Inferred) {
                        tally.inferred += 1;
                    }
                    match c.status {
                        Status::Pass => tally.pass += 1,
                        Status::Fail => tally.fail += 1,
                        Status::Unknown => tally.unknown += 1,
                        Status::NotApplicable => tally.not_applicable += 1,
                    }
                }
                TargetResult {
                    target,
                    title: rules.knowledge().targets().title(target).to_string(),
                    verdict: Verdict::of(&checks),
                    tally,
                    checks,
                }
            })
            .collect();
        let host = inventory.host.clone().unwrap_or_default();
        let os = inventory.os.clone().unwrap_or_default();
        let plan = Plan::new(
            rules,
            &context,
            inventory,
            &targets,
            LicencePlan::new(inventory, &derived, rules.knowledge(), licence_checks),
            detail,
            When {
                as_of,
                current_os: derived.os.support_full.as_ref(),
            },
        );
        Assessment {
            schema: SCHEMA.to_string(),
            as_of: as_of.to_string(),
            host: HostSummary {
                name: host.name,
                serial: host.serial,
                manufacturer: host.manufacturer,
                model: host.model,
            },
            os: OsSummary {
                name: os.name,
                edition: os.edition,
                arch: os.arch,
                build: os.build,
                support: match &derived.os.support_full {
                    Some(support) => OsSupport::Known(Box::new(support.clone())),
                    None => OsSupport::Unknown {
                        status: UnknownStatus::Unknown,
                        reason: derived
                            .unknown
                            .get("os.support")
                            .cloned()
                            .unwrap_or_default(),
                    },
                },
            },
            targets,
            timeline: match detail {
                Detail::Full => rules.knowledge().lifecycle().options(as_of, rules.prices()),
                Detail::Counts => Vec::new(),
            },
            plan,
            notes: inventory.notes.clone(),
            derived,
        }
    }

    /// The assessment as it may be shown: the product key masked unless `reveal_keys`.
    pub fn shown(&self, reveal_keys: bool) -> std::borrow::Cow<'_, Assessment> {
        match (&self.plan.licence.full_key, reveal_keys) {
            (Some(full), true) => {
                let mut shown = self.clone();
                shown.plan.licence.product_key = Some(full.clone());
                std::borrow::Cow::Owned(shown)
            }
            _ => std::borrow::Cow::Borrowed(self),
        }
    }

    pub fn target(&self, target: Target) -> Option<&TargetResult> {
        self.targets.iter().find(|t| t.target == target)
    }

    /// Whether any readiness check failed at or above `level`: what `--fail-on` asks. Licence
    /// checks are plan information, not findings.
    pub fn has_failures_at(&self, level: Severity) -> bool {
        self.targets
            .iter()
            .flat_map(|t| &t.checks)
            .any(|c| c.status == Status::Fail && c.severity >= level)
    }
}
