//! Finds mistakes in rule packs before they reach a machine: files that do not parse, duplicate
//! ids, checks without sources or examples, expressions and templates that do not compile, and
//! facts the inventory schema does not have. It also checks the software knowledge base
//! (`software.yaml`, shipped and in `--rules DIR`): every entry cites a source URL and an `as_of`
//! date, its patterns compile, ids are unique, and no `UNCONFIRMED` entry is shipped.
//!
//! Lint reads the pack texts itself rather than a loaded [`super::RuleSet`], so it can report
//! every problem in one run instead of stopping at the first.

use crate::error::{Location, Origin};
use crate::facts::inventory::schema;
use crate::knowledge::checks::{Check, Pack};
use crate::knowledge::prices::Prices;
use crate::knowledge::software::{self, KnowledgeBase};
use crate::vocab::{Section, Severity, Status};
use minijinja::UndefinedBehavior;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Warning,
    Error,
}

/// One problem found, with a stable code.
#[derive(Debug, Clone)]
pub struct Finding {
    pub level: Level,
    pub code: &'static str,
    pub origin: Origin,
    pub id: Option<String>,
    pub message: String,
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let level = match self.level {
            Level::Warning => "warning",
            Level::Error => "error",
        };
        write!(f, "{level}[{}]: {}", self.code, self.origin)?;
        if let Some(id) = &self.id {
            write!(f, ": {id}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Lints the shipped packs and those in `user_dir`.
pub fn lint(user_dir: Option<&Path>) -> Vec<Finding> {
    let mut sources: Vec<(Origin, String, bool)> = crate::knowledge::checks::embedded_packs()
        .into_iter()
        .map(|(name, text)| (Origin(name), text.to_string(), false))
        .collect();
    let mut findings = Vec::new();
    if let Some(dir) = user_dir {
        match crate::knowledge::checks::user_pack_files(dir) {
            Ok(files) => {
                for path in files {
                    match std::fs::read_to_string(&path) {
                        Ok(text) => sources.push((Origin::path(&path), text, true)),
                        Err(e) => findings.push(Finding {
                            level: Level::Error,
                            code: "read-failed",
                            origin: Origin::path(&path),
                            id: None,
                            message: e.to_string(),
                        }),
                    }
                }
            }
            Err(e) => findings.push(Finding {
                level: Level::Error,
                code: "read-failed",
                origin: Origin::path(dir),
                id: None,
                message: e.to_string(),
            }),
        }
    }
    let prices = match Prices::load(user_dir) {
        Ok(prices) => prices,
        Err(e) => {
            findings.push(Finding {
                level: Level::Error,
                code: e.code(),
                origin: Origin("data/prices.yaml".into()),
                id: None,
                message: e.to_string(),
            });
            Prices::embedded().clone()
        }
    };
    let mut seen: BTreeMap<String, (Origin, bool)> = BTreeMap::new();
    for (origin, text, user) in &sources {
        let pack = match Pack::parse(text, origin) {
            Ok(pack) => pack,
            Err(e) => {
                findings.push(Finding {
                    level: Level::Error,
                    code: "rule-syntax",
                    origin: origin.clone(),
                    id: None,
                    message: e.to_string(),
                });
                continue;
            }
        };
        for check in &pack.checks {
            let mut report = |level, code, message: String| {
                findings.push(Finding {
                    level,
                    code,
                    origin: origin.clone(),
                    id: Some(check.id.clone()),
                    message,
                })
            };
            match seen.get(&check.id) {
                Some((first, first_user)) if *user && !first_user => report(
                    Level::Warning,
                    "replaces-shipped",
                    format!("replaces the shipped check from {first}"),
                ),
                Some((first, _)) => report(
                    Level::Error,
                    "duplicate-id",
                    format!("the id is also used in {first}"),
                ),
                None => {}
            }
            seen.insert(check.id.clone(), (origin.clone(), *user));
            lint_check(check, &prices, &mut report);
        }
    }

    let shipped_text = KnowledgeBase::embedded_text();
    let shipped_origin = Origin(format!("rules/{}", software::FILE_NAME));
    let shipped_ids = lint_knowledge(&shipped_origin, shipped_text, None, &mut findings);
    if let Some(dir) = user_dir {
        let path = dir.join(software::FILE_NAME);
        if path.is_file() {
            match std::fs::read_to_string(&path) {
                Ok(text) => {
                    lint_knowledge(
                        &Origin::path(&path),
                        &text,
                        Some(&shipped_ids),
                        &mut findings,
                    );
                }
                Err(e) => findings.push(Finding {
                    level: Level::Error,
                    code: "read-failed",
                    origin: Origin::path(&path),
                    id: None,
                    message: e.to_string(),
                }),
            }
        }
    }
    findings
}

/// Lints a software knowledge file and returns the ids of its entries. With `shipped`, it is a
/// user's file, whose entries may replace shipped ones (a warning, as for checks).
fn lint_knowledge(
    origin: &Origin,
    text: &str,
    shipped: Option<&BTreeSet<String>>,
    findings: &mut Vec<Finding>,
) -> BTreeSet<String> {
    let located = |location: Option<Location>| match location {
        Some(l) => Origin(format!("{origin}:{l}")),
        None => origin.clone(),
    };
    let (entries, problems) = software::check(text);
    let clean = problems.is_empty();
    for problem in problems {
        findings.push(Finding {
            level: Level::Error,
            code: problem.code,
            origin: located(problem.location),
            id: problem.id,
            message: problem.message,
        });
    }
    if clean {
        // Each pattern compiled alone; together they must also fit the set's size limits.
        if let Err(e) = KnowledgeBase::parse(text, origin) {
            findings.push(Finding {
                level: Level::Error,
                code: e.code(),
                origin: origin.clone(),
                id: None,
                message: e.to_string(),
            });
        }
    }
    if let Some(shipped) = shipped {
        for entry in entries.iter().filter(|e| shipped.contains(&e.id)) {
            findings.push(Finding {
                level: Level::Warning,
                code: "replaces-shipped",
                origin: origin.clone(),
                id: Some(entry.id.clone()),
                message: format!(
                    "replaces the shipped entry from rules/{}",
                    software::FILE_NAME
                ),
            });
        }
    }
    entries.into_iter().map(|e| e.id).collect()
}

fn lint_check(
    check: &Check,
    prices: &Prices,
    report: &mut impl FnMut(Level, &'static str, String),
) {
    let valid_id = check.id.split('.').count() >= 2
        && check.id.split('.').all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        });
    if !valid_id {
        report(
            Level::Error,
            "bad-id",
            "ids are dotted lowercase words, e.g. `win11.memory`".into(),
        );
    }
    if check.title.trim().is_empty() {
        report(Level::Error, "missing-field", "`title` is empty".into());
    }
    if check.required.trim().is_empty() {
        report(Level::Error, "missing-field", "`required` is empty".into());
    }
    if check.refs.is_empty() {
        report(
            Level::Error,
            "missing-source",
            "no `refs`: every check cites the public source of its threshold".into(),
        );
    }
    for reference in &check.refs {
        if !(reference.url.starts_with("https://") || reference.url.starts_with("http://")) {
            report(
                Level::Error,
                "bad-ref",
                format!("`{}` is not a web address", reference.url),
            );
        }
    }
    if check.section == Section::Licence && check.severity == Severity::Blocker {
        report(
            Level::Error,
            "licence-blocker",
            "a `section: licence` check cannot be a blocker: licensing never decides a hardware verdict".into(),
        );
    }
    for id in check.fix.iter().flat_map(|f| &f.price) {
        if prices.get(id).is_none() {
            report(
                Level::Error,
                "unknown-price",
                format!("the fix names price `{id}`, which the price table (rules/data/prices.yaml) does not have"),
            );
        }
    }
    if check.manual.is_none() {
        report(
            Level::Warning,
            "missing-manual",
            "no `manual`: say what to check by hand when the evidence cannot tell".into(),
        );
    }

    for (index, inference) in check.infer.iter().enumerate() {
        let n = index + 1;
        if !matches!(inference.status, Status::Pass | Status::Fail) {
            report(
                Level::Error,
                "bad-inference",
                format!(
                    "inference {n} gives `{}`: an inference answers pass or fail",
                    inference.status
                ),
            );
        }
        if inference.refs.is_empty() {
            report(
                Level::Error,
                "missing-source",
                format!(
                    "inference {n} has no `refs`: every inference cites what its premise rests on"
                ),
            );
        }
        if inference.basis.trim().is_empty() {
            report(
                Level::Error,
                "missing-field",
                format!("inference {n} has an empty `basis`"),
            );
        }
    }
    if !check.infer.is_empty()
        && !check
            .examples
            .iter()
            .any(|e| e.evidence == Some(crate::vocab::Evidence::Inferred))
    {
        report(
            Level::Error,
            "no-inference-example",
            "the check infers answers but no example expects `evidence: inferred`".into(),
        );
    }

    let env = super::engine::new_environment(UndefinedBehavior::Strict);
    let expressions = check
        .when
        .iter()
        .map(|w| ("when", w))
        .chain(check.pass.as_slice().iter().map(|p| ("pass", p)))
        .chain(check.infer.iter().map(|i| ("infer.when", &i.when)))
        .chain(
            check
                .fix
                .iter()
                .flat_map(|f| &f.fixable_when)
                .map(|w| ("fix.fixable_when", w)),
        );
    for (what, source) in expressions {
        match env.compile_expression(source) {
            Ok(expr) => report_unknown_fields(what, expr.undeclared_variables(true), report),
            Err(e) => report(
                Level::Error,
                "expression",
                format!("`{what}` does not compile: {e}"),
            ),
        }
    }
    let texts = [
        ("observed", check.observed.as_ref()),
        ("required", Some(&check.required)),
        ("manual", check.manual.as_ref()),
    ]
    .into_iter()
    .chain(check.infer.iter().map(|i| ("infer.basis", Some(&i.basis))));
    for (what, source) in texts {
        let Some(source) = source else { continue };
        match env.template_from_str(source) {
            Ok(template) => {
                report_unknown_fields(what, template.undeclared_variables(true), report)
            }
            Err(e) => report(
                Level::Error,
                "template",
                format!("`{what}` does not compile: {e}"),
            ),
        }
    }

    if check.examples.is_empty() {
        report(
            Level::Error,
            "no-examples",
            "no `examples`: each check pins its behaviour with examples".into(),
        );
    } else if !check.examples.iter().any(|e| {
        // A check whose `when` turns missing evidence into "does not apply" shows that with
        // an empty inventory instead.
        e.expect == Status::Unknown
            || (check.when.is_some()
                && e.expect == Status::NotApplicable
                && e.inventory.as_mapping().is_some_and(|m| m.is_empty()))
    }) {
        report(
            Level::Warning,
            "no-unknown-example",
            "no example expects `unknown`: show what missing evidence gives".into(),
        );
    }
    for (index, example) in check.examples.iter().enumerate() {
        if let Err(e) =
            crate::yaml::from_value::<crate::facts::inventory::Inventory>(example.inventory.clone())
        {
            report(
                Level::Error,
                "bad-example",
                format!(
                    "example {} does not fit the inventory schema: {e}",
                    index + 1
                ),
            );
        }
    }
}

/// Reports every fact `what` reads that is neither an engine global nor in the inventory schema.
fn report_unknown_fields(
    what: &str,
    paths: std::collections::HashSet<String>,
    report: &mut impl FnMut(Level, &'static str, String),
) {
    let mut paths: Vec<String> = paths.into_iter().collect();
    paths.sort();
    for path in paths {
        if !super::engine::GLOBALS.contains(&path.as_str()) && !schema::is_known(&path) {
            report(
                Level::Error,
                "unknown-field",
                format!("`{what}` reads `{path}`, which the inventory schema does not have"),
            );
        }
    }
}
