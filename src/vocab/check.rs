//! The words a check's answer is given in: its section, severity, status and evidence, the fix
//! it offers, how much of it to work out, and the result itself.
//!
//! These are shared by the rule packs (knowledge), the engine and assessment (judgement) and the
//! reports (output), so they sit below all of them. Nothing here evaluates anything.

use super::price::Price;
use super::reference::Reference;
use super::target::Target;
use serde::{Deserialize, Serialize};

/// How much of a result to work out. A report needs every text; a batch that only counts needs
/// the statuses, the fixes and the route, and rendering the texts is most of an evaluation's
/// cost.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Detail {
    /// Everything a report shows.
    #[default]
    Full,
    /// Statuses, severities, fixes with their prices, verdicts and routes with their costs. The
    /// texts (observed, required, reasons, manual steps, a route's why and steps), references,
    /// the support timeline and the programs at risk are left empty.
    Counts,
}

/// Which part of the assessment a check feeds.
///
/// `readiness` checks are the hardware and OS requirements of a target: their blockers decide
/// its verdict. `licence` checks describe the licensing path (what licence is needed, what it
/// costs); they go to `plan.licence`, never count towards a verdict or `--fail-on`, and may not
/// be blockers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Section {
    #[default]
    Readiness,
    Licence,
}

impl Section {
    pub fn as_str(self) -> &'static str {
        match self {
            Section::Readiness => "readiness",
            Section::Licence => "licence",
        }
    }

    pub fn is_readiness(&self) -> bool {
        *self == Section::Readiness
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Blocker,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Blocker => "blocker",
        }
    }
}

/// What to do about a failed check.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fix {
    pub action: String,
    /// minutes | hours | days | replacement: how much work it is, not how long it waits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effort: Option<String>,
    /// An estimate in US dollars, low and high; only where a sourced price backs it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost_usd: Option<[u32; 2]>,
    /// Ids of entries in the price table (`rules/data/prices.yaml`) that price this fix; one id
    /// or a list of alternatives.
    #[serde(
        default,
        deserialize_with = "one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub price: Vec<String>,
    /// What the priced amount leaves out, where it covers only part of the fix (shown beside any
    /// cost the fix adds to).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost_note: Option<String>,
    /// True when the fix changes settings or parts of this machine; false when it means a new one.
    #[serde(default = "yes")]
    pub fixable: bool,
    /// Conditions (one expression or a list, all of which must hold) that, when true on a
    /// machine that failed the check, make the fix count as fixable there whatever `fixable`
    /// says (a 32-bit Windows on a capable 64-bit processor fails the processor check, yet a
    /// 64-bit install fixes it). When they cannot be told, the fix counts as fixable once the
    /// missing facts are confirmed: see `fixable_if_confirmed`.
    #[serde(
        default,
        deserialize_with = "one_or_many",
        serialize_with = "one_or_many_out",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub fixable_when: Vec<String>,
    /// Set by the engine, never written in a rule: `fixable_when` could not be told on this
    /// machine, for the reason given. The fix then counts as fixable if the missing facts turn
    /// out well, so the verdict after fixes is unknown rather than not ready.
    #[serde(default, skip_deserializing, skip_serializing_if = "Option::is_none")]
    pub fixable_if_confirmed: Option<String>,
}

/// Writes a one-element list as the single string it was most likely written as.
fn one_or_many_out<S: serde::Serializer>(
    items: &[String],
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    match items {
        [one] => s.serialize_str(one),
        many => many.serialize(s),
    }
}

pub(crate) fn yes() -> bool {
    true
}

pub(crate) fn is_true(value: &bool) -> bool {
    *value
}

fn one_or_many<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> std::result::Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    Ok(match OneOrMany::deserialize(d)? {
        OneOrMany::One(one) => vec![one],
        OneOrMany::Many(many) => many,
    })
}

/// The outcome of one check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Pass,
    Fail,
    Unknown,
    NotApplicable,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::Unknown => "unknown",
            Status::NotApplicable => "not-applicable",
        }
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a pass or fail was reached: from the facts the machine reported, or from other facts by
/// one of the check's inference rules (then `basis` and `refs` say what it rests on).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Evidence {
    Observed,
    Inferred,
}

impl Evidence {
    pub fn as_str(self) -> &'static str {
        match self {
            Evidence::Observed => "observed",
            Evidence::Inferred => "inferred",
        }
    }
}

/// A check's result for one machine: the assessment contract's `checks[]` entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckResult {
    pub id: String,
    pub target: Target,
    #[serde(default, skip_serializing_if = "Section::is_readiness")]
    pub section: Section,
    pub status: Status,
    /// `observed` or `inferred` for a pass or fail; absent for unknown and not-applicable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<Evidence>,
    /// What an inferred answer rests on, in words (its sources lead `refs`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis: Option<String>,
    pub severity: Severity,
    /// False for a documented requirement that neither Windows setup nor Microsoft's checkers
    /// enforce: missing facts then leave it to confirm by hand, not the verdict unknown.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub enforced: bool,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed: Option<String>,
    pub required: String,
    /// Why the status is `unknown` or `not-applicable`, or which condition failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// What to check by hand; given when the status is `unknown` or was inferred.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manual: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fix: Option<Fix>,
    /// The price-table entries the fix names, resolved; given with the fix.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub prices: Vec<Price>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refs: Vec<Reference>,
}
