//! The migration plan: the route, the fixes, the verdict after fixes, the licence and the
//! programs at risk.
//!
//! Built from the targets' check results, never from the inventory directly: the plan says what
//! to do about what the checks found. Routes are data judged by
//! [`crate::judge::rules::route`]; this module owns the rules that are not policy: which
//! failures count as fixable, what the verdict would be once they are fixed, and what the
//! Windows 11 licence adds to a route.

pub mod licence;
pub mod software;

use crate::facts::inventory::Inventory;
use crate::judge::rules::engine::Context;
use crate::judge::rules::route::{self, RoutePlan};
use crate::judge::rules::RuleSet;
use crate::judge::verdict::{Judged, TargetResult};
use crate::knowledge::lifecycle::Support;
use crate::vocab::{CheckResult, Detail, Evidence, Price, Severity, Status, Target, Verdict};
use indexmap::IndexMap;
use licence::LicencePlan;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One fix the plan includes: a failed check whose fix can be made on this machine.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FixStep {
    pub check: String,
    pub target: Target,
    pub severity: Severity,
    pub title: String,
    pub action: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effort: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub prices: Vec<Price>,
    /// Set when the fix works only if facts that could not be seen turn out well: which.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub if_confirmed: Option<String>,
}

fn fixable(check: &CheckResult) -> bool {
    after_fix(check) != check.status
}

/// A check's status once its fix is made: a fixable failure passes; one that is fixable only
/// if facts that could not be seen turn out well (a 32-bit Windows on a processor whose width
/// is not known) is unknown, never a reason to replace the PC; anything else stays as it is.
fn after_fix(check: &CheckResult) -> Status {
    match (check.status, &check.fix) {
        (Status::Fail, Some(fix)) if fix.fixable => Status::Pass,
        (Status::Fail, Some(fix)) if fix.fixable_if_confirmed.is_some() => Status::Unknown,
        (status, _) => status,
    }
}

/// The verdict of each target if every fixable failure were fixed (the before/after view of
/// Microsoft's MAP Toolkit): fixable failed blockers count as passed (or unknown, when they
/// are fixable only if unseen facts turn out well), nothing else changes. In the targets' order.
pub fn after_fixes(targets: &[TargetResult]) -> IndexMap<Target, Verdict> {
    targets
        .iter()
        .map(|t| {
            let judged = t.checks.iter().map(|c| {
                let mut judged = Judged::of(c);
                let fixed = after_fix(c);
                if fixed != c.status {
                    // A fix made on this machine is seen to work; one that works only if unseen
                    // facts turn out well leaves the check unknown, with no evidence either way.
                    judged.status = fixed;
                    judged.evidence = (fixed == Status::Pass).then_some(Evidence::Observed);
                }
                judged
            });
            (t.target, Verdict::from_judged(judged))
        })
        .collect()
}

/// The fixes for the failures that can be fixed on this machine, blockers first, then in the
/// targets' order (the order of preference: Windows 11's before Windows 10's), each check once.
pub fn fixes(targets: &[TargetResult]) -> Vec<FixStep> {
    let mut steps: Vec<FixStep> = targets
        .iter()
        .flat_map(|t| t.checks.iter())
        .filter(|c| fixable(c))
        .filter_map(|c| {
            let fix = c.fix.as_ref()?;
            Some(FixStep {
                check: c.id.clone(),
                target: c.target,
                severity: c.severity,
                title: c.title.clone(),
                action: fix.action.clone(),
                effort: fix.effort.clone(),
                prices: c.prices.clone(),
                if_confirmed: fix.fixable_if_confirmed.clone(),
            })
        })
        .collect();
    // Stable: within a severity the steps keep the targets' order, then the packs'.
    steps.sort_by_key(|s| std::cmp::Reverse(s.severity));
    steps
}

/// What the Windows 11 licence adds to a route, from the licensing pack's check for it: nothing
/// when it passes, its price when it fails, and "up to" the dearest licence its fix names when
/// whether the current licence carries over is unknown (no licence facts is not no licence).
pub fn licence_cost(rules: &RuleSet, check: Option<&CheckResult>) -> route::LicenceCost {
    use route::LicenceCost;
    let Some(check) = check else {
        return LicenceCost::Unpriced(
            "whether the current licence covers Windows 11 is not known".to_string(),
        );
    };
    match check.status {
        Status::Pass => LicenceCost::Covered,
        Status::Fail => match check.prices.first() {
            Some(price) => LicenceCost::Buy(price.clone()),
            None => LicenceCost::Unpriced(
                "no sourced price for the licence this edition needs".to_string(),
            ),
        },
        Status::Unknown | Status::NotApplicable => {
            let dearest = rules
                .find(&check.id)
                .and_then(|loaded| loaded.check.fix.as_ref())
                .into_iter()
                .flat_map(|f| &f.price)
                .filter_map(|id| rules.prices().get(id))
                .max_by(|a, b| a.usd.total_cmp(&b.usd));
            let why = check.reason.clone().unwrap_or_else(|| {
                "whether the current licence covers Windows 11 is not known".to_string()
            });
            match dearest {
                Some(price) => LicenceCost::UpTo(price.clone(), why),
                None => LicenceCost::Unpriced(why),
            }
        }
    }
}

/// The day a plan is made for and the machine's own OS support on it: route deadlines and
/// costs are judged against them.
pub struct When<'a> {
    pub as_of: jiff::civil::Date,
    pub current_os: Option<&'a Support>,
}

/// `plan`: what to do: the route, the fixes, the verdict after them, and the licence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    pub route: RoutePlan,
    /// The verdict per target if every fixable failure were fixed, in the targets' order.
    pub after_fixes: IndexMap<Target, Verdict>,
    /// The failures that can be fixed on this machine, with what to do.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fixes: Vec<FixStep>,
    pub licence: LicencePlan,
    /// Installed programs and Windows 7 features at risk on the first target assessed.
    #[serde(default)]
    pub software: Vec<software::SoftwareFinding>,
}

impl Plan {
    /// Judges the routes over the check results and the licence.
    pub fn new(
        rules: &RuleSet,
        context: &Context,
        inventory: &Inventory,
        targets: &[TargetResult],
        licence: LicencePlan,
        detail: Detail,
        when: When<'_>,
    ) -> Plan {
        let When { as_of, current_os } = when;
        use minijinja::Value;
        let after_fixes = after_fixes(targets);
        let fixes = fixes(targets);
        let verdicts: IndexMap<Target, Verdict> =
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
        // The routes are ways to the preferred target: its licence and its fixes price them.
        let preferred = rules.knowledge().targets().preferred();
        let preferred_licence = licence
            .checks
            .iter()
            .find(|c| c.target == preferred && c.status != Status::NotApplicable);
        let licence_price = licence_cost(rules, preferred_licence);
        let preferred_fixes = fixes.iter().filter(|f| f.target == preferred);
        let facts = route::Facts {
            context: &route_context,
            fix_prices: preferred_fixes
                .clone()
                .flat_map(|f| f.prices.first().cloned())
                .collect(),
            unpriced_fixes: preferred_fixes
                .filter(|f| f.prices.is_empty() && !costs_nothing(targets, f))
                .map(|f| f.title.clone())
                .collect(),
            licence_price,
            licence_note: preferred_licence
                .filter(|c| matches!(c.status, Status::Fail | Status::Unknown))
                .and_then(|c| rules.find(&c.id))
                .and_then(|loaded| loaded.check.fix.as_ref())
                .and_then(|f| f.cost_note.clone()),
            lifecycle: rules.knowledge().lifecycle(),
            as_of,
            current_os,
            detail,
        };
        let software = targets
            .first()
            .filter(|_| detail == Detail::Full)
            .map(|t| software::programs_at_risk(rules.software(), inventory, t.target))
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
fn costs_nothing(targets: &[TargetResult], step: &FixStep) -> bool {
    targets
        .iter()
        .flat_map(|t| &t.checks)
        .filter(|c| c.id == step.check)
        .any(|c| c.fix.as_ref().is_some_and(|f| f.cost_usd == Some([0, 0])))
}
