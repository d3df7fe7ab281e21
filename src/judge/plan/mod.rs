//! The migration plan: routes, fixes, the verdict after fixes, and programs at risk.
//!
//! Built from an assessment's check results, never from the inventory directly: the plan says
//! what to do about what the checks found. Routes are data ([`route`]); this module owns the
//! rules that are not policy: which failures count as fixable and what the verdict would be once
//! they are fixed.

pub mod route;
pub mod software;

use crate::assess::{TargetResult, Verdict};
use crate::prices::Price;
use crate::rules::{CheckResult, Severity, Status, Target};
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
/// are fixable only if unseen facts turn out well), nothing else changes.
pub fn after_fixes(targets: &[TargetResult]) -> BTreeMap<Target, Verdict> {
    targets
        .iter()
        .map(|t| {
            let judged = t.checks.iter().map(|c| {
                let mut judged = crate::assess::Judged::of(c);
                let fixed = after_fix(c);
                if fixed != c.status {
                    // A fix made on this machine is seen to work; one that works only if unseen
                    // facts turn out well leaves the check unknown, with no evidence either way.
                    judged.status = fixed;
                    judged.evidence =
                        (fixed == Status::Pass).then_some(crate::rules::Evidence::Observed);
                }
                judged
            });
            (t.target, Verdict::from_judged(judged))
        })
        .collect()
}

/// The fixes for the failures that can be fixed on this machine, blockers first, Windows 11's
/// before Windows 10's, each check once.
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
    steps.sort_by_key(|s| (std::cmp::Reverse(s.severity), s.target));
    steps
}

/// What the Windows 11 licence adds to a route, from the licensing pack's check for it: nothing
/// when it passes, its price when it fails, and "up to" the dearest licence its fix names when
/// whether the current licence carries over is unknown (no licence facts is not no licence).
pub fn licence_cost(
    rules: &crate::rules::RuleSet,
    check: Option<&CheckResult>,
) -> route::LicenceCost {
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
