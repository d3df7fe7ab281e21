//! The verdict rule (DESIGN Appendix B) and a target's result: its checks, their tally and the
//! verdict they give.
//!
//! Over blocker readiness checks only, a fail beats an unknown beats a pass, as Microsoft's
//! script ranks them; only an enforced check's unknown makes the verdict `unknown`, and an
//! inferred pass or a documented-only unknown makes `ready` into `ready-to-confirm`. The words
//! of a verdict are [`crate::vocab::Verdict`]; this module owns how one is reached, for the
//! assessment and for the plan's verdict after fixes alike.

use crate::vocab::{CheckResult, Evidence as HowKnown, Severity, Status, Target, Verdict};
use serde::{Deserialize, Serialize};

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
