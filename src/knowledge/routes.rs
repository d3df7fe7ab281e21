//! The migration routes as written in `rules/routes.yaml`: the ways off Windows 7, their ranks,
//! eligibility expressions, prices and deadlines.
//!
//! Only the file's format lives here; compiling the expressions and judging a machine's routes is
//! [`crate::judge::rules::route`].

use crate::error::{Error, Origin, Result};
use crate::vocab::{Reference, Target};
use serde::{Deserialize, Serialize};
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A way to a supported Windows 11: one of these is recommended.
    Route,
    /// A way to buy time or keep hardware in use; listed with its end date, never recommended.
    Stopgap,
}

/// What a route's cost includes besides its own prices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Include {
    /// The prices of the machine's fixable failures.
    Fixes,
    /// The licence for the target, when the current one does not carry over.
    Licence,
}

/// A route as written in `routes.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RouteRule {
    pub id: String,
    pub kind: Kind,
    pub target: Target,
    pub rank: u32,
    pub title: String,
    pub eligible: String,
    pub why: String,
    #[serde(default)]
    pub steps: Vec<String>,
    #[serde(default)]
    pub include: Vec<Include>,
    #[serde(default)]
    pub prices: Vec<String>,
    /// Why a route with nothing to price has no cost estimate.
    #[serde(default)]
    pub cost_note: Option<String>,
    /// A lifecycle entry id (`rules/data/lifecycle.yaml`) whose end is this route's deadline;
    /// once it has passed the route is closed. `current-os` names the machine's own OS, whose
    /// end is shown but closes nothing (the next version of it is the way on).
    #[serde(default)]
    pub deadline: Option<String>,
    #[serde(default)]
    pub refs: Vec<Reference>,
    /// Listed only on machines it is for (`eligible` not false): a route that describes where
    /// the machine already is, or a stopgap for one OS, means nothing elsewhere. Once its
    /// deadline has passed it is still listed, closed, on the machines it is for.
    #[serde(default)]
    pub only_when_open: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RouteFile {
    routes: Vec<RouteRule>,
}

/// The routes of one `routes.yaml`, with a located error.
pub fn parse(text: &str, origin: &Origin) -> Result<Vec<RouteRule>> {
    let file: RouteFile = crate::knowledge::parse_data(text, origin)?;
    Ok(file.routes)
}

/// The shipped routes, with any in `user_dir/routes.yaml` replacing them by id or added at the
/// end.
pub fn load(user_dir: Option<&Path>) -> Result<Vec<RouteRule>> {
    let shipped = super::embedded_rule_file("routes.yaml").expect("routes.yaml is shipped");
    let mut rules = parse(shipped, &Origin("rules/routes.yaml".into()))?;
    let Some(path) = user_dir
        .map(|d| d.join("routes.yaml"))
        .filter(|p| p.is_file())
    else {
        return Ok(rules);
    };
    let text = std::fs::read_to_string(&path).map_err(|source| Error::Read {
        path: path.clone(),
        source,
    })?;
    for rule in parse(&text, &Origin::path(&path))? {
        match rules.iter_mut().find(|r| r.id == rule.id) {
            Some(existing) => *existing = rule,
            None => rules.push(rule),
        }
    }
    Ok(rules)
}
