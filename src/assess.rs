//! Combines check results into the assessment of one machine (DESIGN Appendix B).
//!
//! This owns the verdict rule — over blocker checks only, a fail beats an unknown beats a pass,
//! as Microsoft's script ranks them — and the shape of the result that JSON/YAML consumers read.
//! It does not evaluate checks (that is [`crate::rules`]) nor render anything.

use crate::inventory::Inventory;
use crate::rules::{CheckResult, RuleSet, Severity, Status, Target};
use serde::{Deserialize, Serialize};

/// The value of `schema` in an assessment.
pub const SCHEMA: &str = "w7plan/assessment/v1";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    Ready,
    NotReady,
    Unknown,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Ready => "ready",
            Verdict::NotReady => "not-ready",
            Verdict::Unknown => "unknown",
        }
    }

    /// The verdict of a set of check results: blockers only, fail > unknown > pass.
    pub fn of(checks: &[CheckResult]) -> Verdict {
        Verdict::from_statuses(checks.iter().map(|c| (c.severity, c.status)))
    }

    /// The same rule over bare (severity, status) pairs.
    pub fn from_statuses(checks: impl IntoIterator<Item = (Severity, Status)>) -> Verdict {
        let mut verdict = Verdict::Ready;
        for (severity, status) in checks {
            if severity != Severity::Blocker {
                continue;
            }
            match status {
                Status::Fail => return Verdict::NotReady,
                Status::Unknown => verdict = Verdict::Unknown,
                Status::Pass | Status::NotApplicable => {}
            }
        }
        verdict
    }
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

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
    pub arch: Option<crate::inventory::Arch>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub build: Option<u32>,
}

/// Counts of check statuses, for summaries.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    pub pass: usize,
    pub fail: usize,
    pub unknown: usize,
    pub not_applicable: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TargetResult {
    pub target: Target,
    pub title: String,
    pub verdict: Verdict,
    pub tally: Tally,
    pub checks: Vec<CheckResult>,
}

impl TargetResult {
    /// Failed checks first (blockers before warnings), then unknown ones, then the rest, each in
    /// pack order: the order a reader should take them in.
    pub fn checks_by_urgency(&self) -> Vec<&CheckResult> {
        let rank = |c: &CheckResult| {
            let status = match c.status {
                Status::Fail => 0,
                Status::Unknown => 1,
                Status::Pass => 2,
                Status::NotApplicable => 3,
            };
            (status, std::cmp::Reverse(c.severity))
        };
        let mut checks: Vec<&CheckResult> = self.checks.iter().collect();
        checks.sort_by_key(|c| rank(c));
        checks
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
    /// What the collector could not see, carried over from the inventory.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

impl Assessment {
    /// Evaluates the rules for `targets` against one inventory as of a date.
    pub fn new(
        inventory: &Inventory,
        rules: &RuleSet,
        targets: &[Target],
        as_of: jiff::civil::Date,
    ) -> Assessment {
        let derived = crate::enrich::Derived::from_inventory(inventory);
        let context = rules.context(inventory, &derived, as_of);
        let results = rules.evaluate(&context, targets);
        let targets = targets
            .iter()
            .map(|&target| {
                let checks: Vec<CheckResult> = results
                    .iter()
                    .filter(|r| r.target == target)
                    .cloned()
                    .collect();
                let mut tally = Tally::default();
                for c in &checks {
                    match c.status {
                        Status::Pass => tally.pass += 1,
                        Status::Fail => tally.fail += 1,
                        Status::Unknown => tally.unknown += 1,
                        Status::NotApplicable => tally.not_applicable += 1,
                    }
                }
                TargetResult {
                    target,
                    title: target.title().to_string(),
                    verdict: Verdict::of(&checks),
                    tally,
                    checks,
                }
            })
            .collect();
        let host = inventory.host.clone().unwrap_or_default();
        let os = inventory.os.clone().unwrap_or_default();
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
            },
            targets,
            notes: inventory.notes.clone(),
        }
    }

    pub fn target(&self, target: Target) -> Option<&TargetResult> {
        self.targets.iter().find(|t| t.target == target)
    }

    /// Whether any check failed at or above `level`: what `--fail-on` asks.
    pub fn has_failures_at(&self, level: Severity) -> bool {
        self.targets
            .iter()
            .flat_map(|t| &t.checks)
            .any(|c| c.status == Status::Fail && c.severity >= level)
    }
}
