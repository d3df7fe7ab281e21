//! Migration routes (`rules/routes.yaml`): which ways off Windows 7 are open for a machine, in
//! what order, what each costs and by when it must happen.
//!
//! A route is judged after the checks, over the inventory plus the verdicts, the verdicts after
//! fixes, every check's status and whether the licence carries over. This module owns the route
//! format, its evaluation and the recommendation rule (the lowest-ranked open `route`); it does
//! not decide what a check means. Costs are added only from sourced prices: a part without one
//! makes the whole cost "not estimated" and says which part.

use crate::error::{Error, Origin, Result};
use crate::judge::rules::engine::Context;
use crate::knowledge::prices::Prices;
use crate::knowledge::routes::{Include, Kind, RouteRule};
use crate::vocab::Price;
use crate::vocab::{Detail, Reference};
use minijinja::{Environment, UndefinedBehavior};
use serde::{Deserialize, Serialize};

/// Whether a route is open for this machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Open {
    Yes,
    /// Open if the checks that could not be seen turn out well.
    IfUnknownsPass,
    No,
}

impl Open {
    /// The name JSON and YAML use.
    pub fn as_str(self) -> &'static str {
        match self {
            Open::Yes => "yes",
            Open::IfUnknownsPass => "if-unknowns-pass",
            Open::No => "no",
        }
    }
}

/// One route as judged for a machine: `plan.route.options[]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RouteOption {
    pub id: String,
    pub kind: Kind,
    pub title: String,
    pub open: Open,
    pub rank: u32,
    pub why: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<String>,
    /// Low and high estimate in US dollars, when every part has a sourced price.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost_usd: Option<[f64; 2]>,
    /// What the estimate leaves out, or why there is none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost_note: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub prices: Vec<Price>,
    /// The last day this option keeps the machine supported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<String>,
    /// Said when the deadline has passed (the option is then closed) or is less than a year
    /// after the assessment date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline_note: Option<String>,
    /// For an option sold a year at a time, cumulatively (Extended Security Updates): what it
    /// costs from the assessment date to be covered to each end still to come.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cover: Vec<crate::knowledge::lifecycle::Cover>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refs: Vec<Reference>,
}

/// `plan.route`: the recommended route and every option, open ones first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoutePlan {
    /// One of clean-install, in-place-via-windows10, fix-then-install, replace; absent when
    /// nothing can be said (no hardware facts at all).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recommended: Option<String>,
    pub options: Vec<RouteOption>,
}

impl RoutePlan {
    /// The option [`RoutePlan::recommended`] names.
    pub fn recommended_option(&self) -> Option<&RouteOption> {
        let id = self.recommended.as_ref()?;
        self.options.iter().find(|o| &o.id == id)
    }
}

/// What the licence adds to a route's cost.
#[derive(Debug, Clone, PartialEq)]
pub enum LicenceCost {
    /// The current licence carries over: nothing to buy.
    Covered,
    /// It does not: this licence is bought.
    Buy(Price),
    /// Whether it carries over is not known (the reason): the route costs up to this licence
    /// more, never assumed to need it.
    UpTo(Price, String),
    /// It must be bought, or may be, and has no sourced price: why.
    Unpriced(String),
}

/// What the routes are judged on, besides the inventory context.
pub struct Facts<'a> {
    pub context: &'a Context,
    /// Prices of the fixes this machine needs (fixable failures), or the titles of fixes with
    /// no sourced price.
    pub fix_prices: Vec<Price>,
    pub unpriced_fixes: Vec<String>,
    /// The licence to buy for Windows 11 when the current one does not carry over.
    pub licence_price: LicenceCost,
    /// What the licence price leaves out (the licence check's `fix.cost_note`).
    pub licence_note: Option<String>,
    /// The lifecycle data a route's `deadline` names, and the assessment date it is judged on.
    pub lifecycle: &'a crate::knowledge::lifecycle::Lifecycle,
    pub as_of: jiff::civil::Date,
    /// The machine's own OS's support, for a route whose deadline is `current-os`.
    pub current_os: Option<&'a crate::knowledge::lifecycle::Support>,
    /// With [`Detail::Counts`], a route's why, steps and references are left empty.
    pub detail: Detail,
}

type Conditions<'env> = Vec<minijinja::Expression<'env, 'static>>;

self_cell::self_cell!(
    /// Each route's `eligible` expression, compiled once.
    struct Compiled {
        owner: Environment<'static>,
        #[not_covariant]
        dependent: Conditions,
    }
);

/// The routes, loaded and ready to judge machines.
pub struct Routes {
    rules: Vec<RouteRule>,
    compiled: Compiled,
    texts: Environment<'static>,
}

impl Routes {
    /// Compiles the routes of the loaded knowledge.
    pub fn new(rules: Vec<RouteRule>) -> Result<Routes> {
        let invalid = |id: &str, what: &str, e: minijinja::Error| Error::RuleInvalid {
            origin: Origin("routes".into()),
            id: id.to_string(),
            message: format!("`{what}` does not compile: {e}"),
        };
        let mut texts = crate::judge::rules::engine::new_environment(UndefinedBehavior::Chainable);
        for rule in &rules {
            texts
                .add_template_owned(format!("{}#why", rule.id), rule.why.clone())
                .map_err(|e| invalid(&rule.id, "why", e))?;
            for (index, step) in rule.steps.iter().enumerate() {
                texts
                    .add_template_owned(format!("{}#step{index}", rule.id), step.clone())
                    .map_err(|e| invalid(&rule.id, "steps", e))?;
            }
        }
        let compiled = Compiled::try_new(
            crate::judge::rules::engine::new_environment(UndefinedBehavior::Strict),
            |env| {
                rules
                    .iter()
                    .map(|rule| {
                        env.compile_expression_owned(rule.eligible.clone())
                            .map_err(|e| invalid(&rule.id, "eligible", e))
                    })
                    .collect::<Result<Vec<_>>>()
            },
        )?;
        Ok(Routes {
            rules,
            compiled,
            texts,
        })
    }

    pub fn rules(&self) -> &[RouteRule] {
        &self.rules
    }

    /// The top-level names the routes read, so a machine's context carries them.
    pub fn roots(&self) -> Vec<String> {
        let mut roots: Vec<String> = self.compiled.with_dependent(|_, conditions| {
            conditions
                .iter()
                .flat_map(|c| c.undeclared_variables(false))
                .collect()
        });
        for (_, template) in self.texts.templates() {
            roots.extend(template.undeclared_variables(false));
        }
        roots
    }

    /// Judges every route for one machine and picks the recommended one.
    pub fn plan(&self, facts: &Facts<'_>, prices: &Prices) -> RoutePlan {
        let mut options: Vec<RouteOption> = self.compiled.with_dependent(|_, conditions| {
            self.rules
                .iter()
                .zip(conditions)
                .filter(|(rule, eligible)| {
                    // Judged on the machine alone: a date that closes the route keeps it listed.
                    !(rule.only_when_open && facts.context.judge(eligible) == Ok(false))
                })
                .map(|(rule, eligible)| self.judge(rule, eligible, facts, prices))
                .collect()
        });
        let order = |o: &RouteOption| {
            let open = match o.open {
                Open::Yes => 0,
                Open::IfUnknownsPass => 1,
                Open::No => 2,
            };
            (o.kind == Kind::Stopgap, open, o.rank)
        };
        options.sort_by_key(order);
        let recommended = options
            .iter()
            .find(|o| o.kind == Kind::Route && o.open != Open::No)
            .map(|o| o.id.clone());
        RoutePlan {
            recommended,
            options,
        }
    }

    fn judge(
        &self,
        rule: &RouteRule,
        eligible: &minijinja::Expression<'_, '_>,
        facts: &Facts<'_>,
        prices: &Prices,
    ) -> RouteOption {
        let mut open = match facts.context.judge(eligible) {
            Ok(true) => Open::Yes,
            Ok(false) => Open::No,
            Err(_) => Open::IfUnknownsPass,
        };
        let current_os = rule.deadline.as_deref() == Some("current-os");
        let deadline = rule
            .deadline
            .as_deref()
            .filter(|_| !current_os)
            .and_then(|id| facts.lifecycle.get(id));
        let year_on = facts
            .as_of
            .checked_add(jiff::Span::new().years(1))
            .unwrap_or(jiff::civil::Date::MAX);
        let own_end = facts
            .current_os
            .filter(|_| current_os)
            .and_then(|s| s.ends_on.or(s.ended_on));
        let own_note = own_end.and_then(|ends_on| {
            if facts.as_of > ends_on {
                Some(format!(
                    "this version's updates ended on {ends_on}: move to a supported version now"
                ))
            } else {
                (ends_on < year_on).then(|| {
                    let days = (ends_on - facts.as_of).get_days();
                    format!("this version's updates end on {ends_on}, in {days} days: move to the next version before then")
                })
            }
        });
        let deadline_note = deadline.and_then(|entry| {
            let ends_on = entry.ends_on;
            if facts.as_of > ends_on {
                // Nothing can be bought or installed for support that has ended.
                open = Open::No;
                return Some(format!("ended on {ends_on}: no longer available"));
            }
            (ends_on < year_on).then(|| {
                let days = (ends_on - facts.as_of).get_days();
                format!("ends on {ends_on}, in {days} days: less than a year of updates left")
            })
        });
        let full = facts.detail == Detail::Full;
        let render = |name: String| {
            self.texts
                .get_template(&name)
                .ok()
                .and_then(|t| facts.context.render(&t))
        };
        let steps = (0..rule.steps.len())
            .filter(|_| full)
            .filter_map(|index| render(format!("{}#step{index}", rule.id)))
            .collect();
        let mut parts: Vec<Price> = Vec::new();
        let mut missing: Vec<String> = Vec::new();
        let mut cover = Vec::new();
        if let Some(entry) = deadline {
            match crate::knowledge::lifecycle::cover(entry, facts.as_of, prices) {
                Ok((covers, bought)) => {
                    parts.extend(bought);
                    cover = covers;
                }
                Err(why) => missing.push(why),
            }
        }
        for id in &rule.prices {
            match prices.get(id) {
                Some(price) => parts.push(price.clone()),
                None => missing.push(format!("no price for `{id}`")),
            }
        }
        if rule.include.contains(&Include::Fixes) {
            parts.extend(facts.fix_prices.iter().cloned());
            missing.extend(
                facts
                    .unpriced_fixes
                    .iter()
                    .map(|f| format!("no sourced price for: {f}")),
            );
        }
        // Parts that may not be needed: they count towards the high estimate only.
        let mut maybe = 0.0;
        let mut maybe_note = None;
        if rule.include.contains(&Include::Licence) {
            match &facts.licence_price {
                LicenceCost::Covered => {}
                LicenceCost::Buy(price) => parts.push(price.clone()),
                LicenceCost::UpTo(price, why) => {
                    maybe += price.usd;
                    maybe_note = Some(format!(
                        "the licence ({}, {}) only if the current one does not carry over: {why}",
                        price.item,
                        usd(price.usd)
                    ));
                    parts.push(price.clone());
                }
                LicenceCost::Unpriced(why) => missing.push(why.clone()),
            }
        }
        let total: f64 = parts.iter().fold(0.0, |sum, p| sum + p.usd);
        let sold_by_year = deadline.is_some_and(|e| e.stages.iter().any(|s| s.price.is_some()));
        let priced = !rule.prices.is_empty() || !rule.include.is_empty() || sold_by_year;
        let mut notes: Vec<String> = rule.cost_note.iter().cloned().collect();
        if !cover.is_empty() {
            let ends: Vec<String> = cover
                .iter()
                .map(|c| format!("to {}: {}", c.until, usd(c.cost_usd)))
                .collect();
            notes.push(format!(
                "from {}, covered {} (years are bought cumulatively: joining late pays the years already past)",
                facts.as_of,
                ends.join(", ")
            ));
        }
        if rule.include.contains(&Include::Licence) {
            notes.extend(maybe_note);
            notes.extend(facts.licence_note.iter().cloned());
        }
        let note = (!notes.is_empty()).then(|| notes.join("; "));
        let (cost_usd, cost_note) = if !priced {
            (None, note)
        } else if sold_by_year && missing.is_empty() && cover.is_empty() {
            (
                None,
                Some("not sold any more: every year has ended".to_string()),
            )
        } else if missing.is_empty() {
            // A programme sold by the year costs at least the cover to its nearest end.
            let later_years = match (cover.first(), cover.last()) {
                (Some(first), Some(last)) => last.cost_usd - first.cost_usd,
                _ => 0.0,
            };
            let low = total - later_years - maybe;
            (Some([low, total]), note)
        } else {
            (None, Some(format!("not estimated: {}", missing.join("; "))))
        };
        RouteOption {
            id: rule.id.clone(),
            kind: rule.kind,
            title: rule.title.clone(),
            open,
            rank: rule.rank,
            why: if full {
                render(format!("{}#why", rule.id)).unwrap_or_else(|| rule.why.clone())
            } else {
                String::new()
            },
            steps,
            cost_usd,
            cost_note,
            prices: parts,
            deadline: deadline
                .map(|e| e.ends_on)
                .or(own_end)
                .map(|d| d.to_string()),
            deadline_note: deadline_note.or(own_note),
            cover,
            refs: if full { rule.refs.clone() } else { Vec::new() },
        }
    }
}

/// Dollars as reports write them: whole dollars without cents.
fn usd(amount: f64) -> String {
    if amount.fract() == 0.0 {
        format!("${amount:.0}")
    } else {
        format!("${amount:.2}")
    }
}

#[cfg(test)]
mod tests {
    use super::Open;

    #[test]
    fn open_names_are_the_serialized_ones() {
        for open in [Open::Yes, Open::IfUnknownsPass, Open::No] {
            assert_eq!(serde_json::to_value(open).unwrap(), open.as_str());
        }
    }
}
