//! Combines check results into the assessment of one machine (DESIGN Appendix B).
//!
//! This owns the verdict rule — over blocker readiness checks only, a fail beats an unknown
//! beats a pass, as Microsoft's script ranks them, where only an enforced check's unknown makes
//! the verdict `unknown` and an inferred pass or a documented-only unknown makes `ready` into
//! `ready-to-confirm` — and the shape of the result that JSON/YAML
//! consumers read: the targets' checks, the current OS's support, the support timeline of the
//! options, and the licence plan (licence facts and the licensing pack's checks, which never
//! count towards a verdict). It does not evaluate checks (that is [`crate::rules`]) nor render
//! anything. The product key it holds is masked unless [`Assessment::shown`] reveals it.

use crate::enrich::Derived;
use crate::inventory::Inventory;
use crate::license::{ChannelFinding, Evidence, Family, LicensingData};
use crate::lifecycle::{Lifecycle, Support};
use crate::rules::{
    CheckResult, Detail, Evidence as HowKnown, Reference, RuleSet, Section, Severity, Status,
    Target,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The value of `schema` in an assessment.
pub const SCHEMA: &str = "w7plan/assessment/v1";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Every blocker passes, on facts the machine reported.
    Ready,
    /// Every enforced blocker passes, some only by inference, or a documented-only blocker
    /// could not be seen: ready once those are confirmed by hand.
    ReadyToConfirm,
    NotReady,
    /// A blocker that Windows setup or Microsoft's checkers enforce has neither facts nor a
    /// basis for inference.
    Unknown,
}

/// What the verdict rule reads of one check result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Judged {
    pub severity: Severity,
    pub status: Status,
    pub evidence: Option<HowKnown>,
    pub enforced: bool,
}

impl Judged {
    pub fn of(check: &CheckResult) -> Judged {
        Judged {
            severity: check.severity,
            status: check.status,
            evidence: check.evidence,
            enforced: check.enforced,
        }
    }

    /// Whether this blocker leaves something to confirm by hand: passed only by inference, or
    /// a documented-only requirement whose facts are missing.
    pub fn to_confirm(&self) -> bool {
        self.severity == Severity::Blocker
            && match self.status {
                Status::Pass => self.evidence == Some(HowKnown::Inferred),
                Status::Unknown => !self.enforced,
                Status::Fail | Status::NotApplicable => false,
            }
    }
}

impl Verdict {
    pub const ALL: [Verdict; 4] = [
        Verdict::Ready,
        Verdict::ReadyToConfirm,
        Verdict::NotReady,
        Verdict::Unknown,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Ready => "ready",
            Verdict::ReadyToConfirm => "ready-to-confirm",
            Verdict::NotReady => "not-ready",
            Verdict::Unknown => "unknown",
        }
    }

    /// The verdict in words, for people.
    pub fn words(self) -> &'static str {
        match self {
            Verdict::Ready => "ready",
            Verdict::ReadyToConfirm => "ready — to confirm",
            Verdict::NotReady => "not ready",
            Verdict::Unknown => "unknown",
        }
    }

    /// The verdict of a set of check results: blockers only; a fail (observed or inferred)
    /// beats an enforced unknown, which beats anything left to confirm, which beats a pass.
    pub fn of(checks: &[CheckResult]) -> Verdict {
        Verdict::from_judged(checks.iter().map(Judged::of))
    }

    /// The same rule over what it reads of each check.
    pub fn from_judged(checks: impl IntoIterator<Item = Judged>) -> Verdict {
        let mut verdict = Verdict::Ready;
        for check in checks {
            if check.severity != Severity::Blocker {
                continue;
            }
            match check.status {
                Status::Fail => return Verdict::NotReady,
                Status::Unknown if check.enforced => verdict = Verdict::Unknown,
                _ if check.to_confirm() && verdict == Verdict::Ready => {
                    verdict = Verdict::ReadyToConfirm
                }
                _ => {}
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

/// The day a plan is made for and the machine's own OS support on it: route deadlines and
/// costs are judged against them.
struct When<'a> {
    as_of: jiff::civil::Date,
    current_os: Option<&'a crate::lifecycle::Support>,
}

/// `plan`: what to do: the route, the fixes, the verdict after them, and the licence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    pub route: crate::plan::route::RoutePlan,
    /// The verdict per target if every fixable failure were fixed.
    pub after_fixes: BTreeMap<Target, Verdict>,
    /// The failures that can be fixed on this machine, with what to do.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fixes: Vec<crate::plan::FixStep>,
    pub licence: LicencePlan,
    /// Installed programs and Windows 7 features at risk on the first target assessed.
    #[serde(default)]
    pub software: Vec<crate::plan::software::SoftwareFinding>,
}

impl Plan {
    /// Judges the routes over the check results and the licence.
    fn new(
        rules: &RuleSet,
        context: &crate::rules::engine::Context,
        inventory: &Inventory,
        targets: &[TargetResult],
        licence: LicencePlan,
        detail: Detail,
        when: When<'_>,
    ) -> Plan {
        let When { as_of, current_os } = when;
        use minijinja::Value;
        let after_fixes = crate::plan::after_fixes(targets);
        let fixes = crate::plan::fixes(targets);
        let verdicts: BTreeMap<Target, Verdict> =
            targets.iter().map(|t| (t.target, t.verdict)).collect();
        let checks: BTreeMap<&str, Status> = targets
            .iter()
            .flat_map(|t| &t.checks)
            .chain(&licence.checks)
            .map(|c| (c.id.as_str(), c.status))
            .collect();
        let mut licence_facts = BTreeMap::new();
        if let Some(carries) = licence.carries_over {
            licence_facts.insert("carries_over", carries);
        }
        let route_context = context.with([
            ("verdict", Value::from_serialize(&verdicts)),
            ("after_fixes", Value::from_serialize(&after_fixes)),
            ("check", Value::from_serialize(&checks)),
            ("licence", Value::from_serialize(&licence_facts)),
        ]);
        let windows11_licence = licence
            .checks
            .iter()
            .find(|c| c.target == Target::Windows11 && c.status != Status::NotApplicable);
        let licence_price = crate::plan::licence_cost(rules, windows11_licence);
        let windows11_fixes = fixes.iter().filter(|f| f.target == Target::Windows11);
        let facts = crate::plan::route::Facts {
            context: &route_context,
            fix_prices: windows11_fixes
                .clone()
                .flat_map(|f| f.prices.first().cloned())
                .collect(),
            unpriced_fixes: windows11_fixes
                .filter(|f| f.prices.is_empty() && !costs_nothing(targets, f))
                .map(|f| f.title.clone())
                .collect(),
            licence_price,
            licence_note: windows11_licence
                .filter(|c| matches!(c.status, Status::Fail | Status::Unknown))
                .and_then(|c| rules.find(&c.id))
                .and_then(|loaded| loaded.check.fix.as_ref())
                .and_then(|f| f.cost_note.clone()),
            lifecycle: Lifecycle::embedded(),
            as_of,
            current_os,
            detail,
        };
        let software = targets
            .first()
            .filter(|_| detail == Detail::Full)
            .map(|t| {
                crate::plan::software::programs_at_risk_with(rules.software(), inventory, t.target)
            })
            .unwrap_or_default();
        Plan {
            route: rules.routes().plan(&facts, rules.prices()),
            after_fixes,
            fixes,
            licence,
            software,
        }
    }
}

/// Whether a fix is a setting to change that costs nothing (`cost_usd: [0, 0]`, e.g. switching
/// on a firmware TPM), so a route's estimate need not leave it out.
fn costs_nothing(targets: &[TargetResult], step: &crate::plan::FixStep) -> bool {
    targets
        .iter()
        .flat_map(|t| &t.checks)
        .filter(|c| c.id == step.check)
        .any(|c| c.fix.as_ref().is_some_and(|f| f.cost_usd == Some([0, 0])))
}

/// `plan.licence`: the licence this machine holds, what it allows, and the licensing path.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LicencePlan {
    /// The edition as collected (os.edition).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edition: Option<String>,
    /// The like-for-like Windows 11 edition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub windows11_edition: Option<String>,
    /// Masked (`XXXXX-XXXXX-XXXXX-XXXXX-GPDD4`) unless keys are revealed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_key: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partial_key: Option<String>,
    /// classic (Windows 7 and earlier) | with-n (Windows 8 and later) | invalid
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_form: Option<String>,
    /// The edition whose published KMS client key this is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gvlk: Option<String>,
    /// Windows's licence status as collected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<ChannelView>,
    /// Whether the licence held activates Windows 10/11 without buying one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub carries_over: Option<bool>,
    /// Why a licence fact above is missing, by field name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub unknown: BTreeMap<String, String>,
    /// The licensing pack's checks (`section: licence`), in pack order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<CheckResult>,
    /// The full key, for [`Assessment::shown`] only; never serialized.
    #[serde(skip)]
    full_key: Option<String>,
}

/// `plan.licence.channel`: the channel, how it was decided and what it allows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChannelView {
    pub id: String,
    pub family: Family,
    /// Which evidence decided: channel | description | product-key | product-id | partial-key
    pub decided_by: crate::license::Source,
    /// The decision in words, with any evidence that agrees or disagrees.
    pub how: String,
    pub evidence: Vec<Evidence>,
    pub conflict: bool,
    pub allows: String,
    /// Whether the licence may move to another device; absent when the agreement decides.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transferable: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unconfirmed: Option<String>,
    pub sources: Vec<Reference>,
}

impl ChannelView {
    fn new(finding: &ChannelFinding) -> ChannelView {
        let rights = LicensingData::embedded().rights(finding.family);
        ChannelView {
            id: finding.channel.id().to_string(),
            family: finding.family,
            decided_by: finding.decided_by,
            how: finding.explain(),
            evidence: finding.evidence.clone(),
            conflict: finding.conflict,
            allows: rights.allows.trim().to_string(),
            transferable: rights.transferable,
            unconfirmed: rights.unconfirmed.clone(),
            sources: rights.sources.clone(),
        }
    }
}

impl LicencePlan {
    fn new(inventory: &Inventory, derived: &Derived, checks: Vec<CheckResult>) -> LicencePlan {
        let license = inventory.license.clone().unwrap_or_default();
        let full_key = license
            .product_key
            .clone()
            .filter(|k| !crate::productkey::is_masked(k));
        let key_form = match (
            derived.license.key_valid,
            derived.license.key_form.as_deref(),
        ) {
            (Some(false), _) => Some("invalid".to_string()),
            (_, form) => form.map(str::to_string),
        };
        let mut unknown = BTreeMap::new();
        for (path, field) in [
            ("license.channel", "channel"),
            ("license.windows11_edition", "windows11_edition"),
            ("license.carries_over", "carries_over"),
        ] {
            if let Some(why) = derived.unknown.get(path) {
                unknown.insert(field.to_string(), why.clone());
            }
        }
        LicencePlan {
            edition: inventory.os.as_ref().and_then(|o| o.edition.clone()),
            windows11_edition: derived.license.windows11_edition.clone(),
            product_key: license.product_key.as_deref().map(crate::productkey::mask),
            partial_key: license.partial_key.clone().or_else(|| {
                license
                    .product_key
                    .as_deref()
                    .and_then(crate::productkey::last_group)
            }),
            key_form,
            gvlk: derived.license.gvlk_edition.clone(),
            status: license.status.clone(),
            product_id: license.product_id.clone(),
            channel: derived.license.finding.as_ref().map(ChannelView::new),
            carries_over: derived.license.carries_over,
            unknown,
            checks,
            full_key,
        }
    }
}

/// Counts of check statuses, for summaries.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    pub pass: usize,
    pub fail: usize,
    pub unknown: usize,
    pub not_applicable: usize,
    /// Of the passes and fails, how many were inferred rather than observed.
    #[serde(default)]
    pub inferred: usize,
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
    /// The blockers behind a `ready-to-confirm` or `unknown` verdict, in pack order: those to
    /// confirm by hand (inferred passes, documented-only requirements not seen) and the
    /// enforced ones with no answer. Each carries its `manual` text: the one thing to do.
    pub fn to_confirm(&self) -> Vec<&CheckResult> {
        self.checks
            .iter()
            .filter(|c| {
                c.severity == Severity::Blocker
                    && (Judged::of(c).to_confirm() || c.status == Status::Unknown)
            })
            .collect()
    }

    /// Failed checks first (blockers before warnings), then unknown ones, then the rest, each in
    /// pack order: the order a reader should take them in.
    pub fn checks_by_urgency(&self) -> Vec<&CheckResult> {
        self.urgency_order()
            .into_iter()
            .map(|index| &self.checks[index])
            .collect()
    }

    /// The same order as indices into `checks`.
    pub fn urgency_order(&self) -> Vec<usize> {
        let rank = |index: &usize| {
            let c = &self.checks[*index];
            let status = match c.status {
                Status::Fail => 0,
                Status::Unknown => 1,
                Status::Pass => 2,
                Status::NotApplicable => 3,
            };
            (status, std::cmp::Reverse(c.severity))
        };
        let mut order: Vec<usize> = (0..self.checks.len()).collect();
        order.sort_by_key(rank);
        order
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
        let derived = Derived::from_inventory(inventory, as_of);
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
                    title: target.title().to_string(),
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
            LicencePlan::new(inventory, &derived, licence_checks),
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
                Detail::Full => Lifecycle::embedded().options(as_of, rules.prices()),
                Detail::Counts => Vec::new(),
            },
            plan,
            notes: inventory.notes.clone(),
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
