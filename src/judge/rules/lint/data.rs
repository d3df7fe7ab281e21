//! Lint of the files that are not check packs: the data files under `rules/data/` and the
//! migration routes (`routes.yaml`), shipped and in `--rules DIR`.
//!
//! Each data file is read through its own module's parser, as the engine reads it today; this is
//! the one place to repoint when the data files share one loader. What the routes may name
//! (price ids, deadline ids, check ids) is collected here from the same reading.

use super::expr::Scope;
use super::{Finding, Level, LintCode, Source};
use crate::error::Origin;
use crate::knowledge::prices::Prices;
use std::collections::BTreeSet;
use std::path::Path;

/// The data files under `rules/data/`, each with the parser its module reads it with.
type Parser = fn(&str, &Origin) -> crate::Result<()>;

const DATA_FILES: &[(&str, Parser)] = &[
    ("lifecycle.yaml", |t, o| {
        crate::knowledge::lifecycle::Lifecycle::parse(t, o).map(drop)
    }),
    ("licensing.yaml", |t, o| {
        crate::knowledge::licensing::LicensingData::parse(t, o).map(drop)
    }),
    ("prices.yaml", |t, o| Prices::parse(t, o).map(drop)),
    ("gvlk.yaml", |t, o| {
        crate::knowledge::gvlk::GvlkList::parse(t, o).map(drop)
    }),
    ("win11-processors.yaml", |t, o| {
        crate::knowledge::processors::ProcessorList::parse(t, o).map(drop)
    }),
    ("gpu-families.yaml", |t, o| {
        crate::knowledge::gpu_families::Families::parse(t, o).map(drop)
    }),
    ("cpu-family-rule.yaml", |t, o| {
        crate::knowledge::cpu_family_rule::CpuFamilyRule::parse(t, o).map(drop)
    }),
    ("targets.yaml", |t, o| {
        crate::knowledge::targets::Targets::parse(t, o).map(drop)
    }),
];

/// What the packs and routes may refer to, as the data files define it.
pub(crate) struct Known {
    /// The shipped price table with the user's laid over it (as the engine loads it).
    pub prices: Prices,
    /// Lifecycle entry ids, the deadlines a route may name.
    pub deadlines: BTreeSet<String>,
}

/// Lints every data file, shipped and the user's, and returns what they define.
pub(crate) fn lint_data(user_dir: Option<&Path>, findings: &mut Vec<Finding>) -> Known {
    let mut deadlines = BTreeSet::new();
    let mut price_ids = BTreeSet::new();
    let mut lifecycles = Vec::new();
    for (name, parse) in DATA_FILES {
        let mut sources = Vec::new();
        if let Some(text) = crate::knowledge::embedded_data(name) {
            sources.push((
                Origin(format!("rules/data/{name}")),
                text.to_string(),
                false,
            ));
        }
        if let Some(path) = user_dir.map(|d| d.join("data").join(name)) {
            if path.is_file() {
                match std::fs::read_to_string(&path) {
                    Ok(text) => sources.push((Origin::path(&path), text, true)),
                    Err(e) => findings.push(super::read_failed(Origin::path(&path), e)),
                }
            }
        }
        for (origin, text, user) in sources {
            let Some(source) = Source::new(origin, text, user, LintCode::DataSyntax, findings)
            else {
                continue;
            };
            if let Err(e) = parse(&source.text, &source.origin) {
                let mut finding = super::syntax_finding(&source.origin, &e, LintCode::DataSyntax);
                if finding.location.is_none() {
                    finding.location = Some(locate_message(&source.text, &finding.message));
                }
                findings.push(finding);
                continue;
            }
            match *name {
                "lifecycle.yaml" => {
                    if let Ok(file) = crate::yaml::from_str::<RawLifecycle>(&source.text) {
                        deadlines.extend(file.entries.iter().map(|e| e.id.clone()));
                        lifecycles.push((source, file));
                    }
                }
                "prices.yaml" => {
                    if let Ok(table) = Prices::parse(&source.text, &source.origin) {
                        price_ids.extend(table.prices.iter().map(|p| p.id.clone()));
                    }
                }
                _ => {}
            }
        }
    }
    // A lifecycle entry's years are bought by price id.
    for (source, file) in &lifecycles {
        for (i, entry) in file.entries.iter().enumerate() {
            let named = entry
                .price
                .iter()
                .map(|id| (format!("entries.{i}.price"), id))
                .chain(entry.stages.iter().enumerate().filter_map(|(j, stage)| {
                    stage
                        .price
                        .as_ref()
                        .map(|id| (format!("entries.{i}.stages.{j}.price"), id))
                }));
            for (path, id) in named {
                if !price_ids.contains(id) {
                    findings.push(source.finding(
                        Level::Error,
                        LintCode::UnknownPrice,
                        source.at(&path),
                        Some(&entry.id),
                        format!("names price `{id}`, which the price table does not have"),
                    ));
                }
            }
        }
    }
    let prices = match Prices::load(user_dir) {
        Ok(prices) => prices,
        // Reported above, where the file was read.
        Err(_) => Prices::load(None).unwrap_or_default(),
    };
    Known { prices, deadlines }
}

/// The ids a lifecycle file defines and the prices it names: read loosely, beside the real
/// parser, so lint does not depend on the model's private fields.
#[derive(serde::Deserialize)]
struct RawLifecycle {
    entries: Vec<RawEntry>,
}

#[derive(serde::Deserialize)]
struct RawEntry {
    id: String,
    #[serde(default)]
    price: Option<String>,
    #[serde(default)]
    stages: Vec<RawStage>,
}

#[derive(serde::Deserialize)]
struct RawStage {
    #[serde(default)]
    price: Option<String>,
}

/// A data file's own checks name what is wrong in backquotes (`` `x` is listed twice``): the
/// first place that value is written, or the start of the file when the message names nothing
/// that is written in it.
pub(crate) fn locate_message(text: &str, message: &str) -> crate::error::Location {
    message
        .split('`')
        .nth(1)
        .filter(|quoted| !quoted.is_empty())
        .and_then(|quoted| text.find(quoted))
        .map_or(crate::error::Location { line: 1, column: 1 }, |byte| {
            super::location_of(text, byte)
        })
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RouteFile {
    routes: Vec<crate::knowledge::routes::RouteRule>,
}

/// The deadline that names the machine's own OS rather than a lifecycle entry.
const CURRENT_OS: &str = "current-os";

/// Lints the shipped `routes.yaml` and the user's: each route's expression and texts over the
/// route context, and the prices, deadlines and check ids it names.
pub(crate) fn lint_routes(
    user_dir: Option<&Path>,
    known: &Known,
    check_ids: &BTreeSet<String>,
    env: &minijinja::Environment<'static>,
    knowledge: &crate::knowledge::Knowledge,
    types: &super::types::FactTypes,
    findings: &mut Vec<Finding>,
) {
    let mut sources = Vec::new();
    if let Some(text) = crate::knowledge::embedded_rule_file("routes.yaml") {
        sources.push((Origin("rules/routes.yaml".into()), text.to_string(), false));
    }
    if let Some(path) = user_dir.map(|d| d.join("routes.yaml")) {
        if path.is_file() {
            match std::fs::read_to_string(&path) {
                Ok(text) => sources.push((Origin::path(&path), text, true)),
                Err(e) => findings.push(super::read_failed(Origin::path(&path), e)),
            }
        }
    }
    let verdicts: Vec<&str> = crate::vocab::Verdict::ALL
        .iter()
        .map(|v| v.as_str())
        .collect();
    let targets: Vec<&str> = knowledge.targets().all().iter().map(|t| t.id()).collect();
    let scope = Scope::routes(env, &verdicts, &targets, check_ids, knowledge, types);
    let mut shipped_ids = BTreeSet::new();
    for (origin, text, user) in sources {
        let Some(source) = Source::new(origin, text, user, LintCode::DataSyntax, findings) else {
            continue;
        };
        let file: RouteFile = match crate::knowledge::parse_data(&source.text, &source.origin) {
            Ok(file) => file,
            Err(e) => {
                let mut finding = super::syntax_finding(&source.origin, &e, LintCode::DataSyntax);
                if finding.location.is_none() {
                    finding.location = Some(locate_message(&source.text, &finding.message));
                }
                findings.push(finding);
                continue;
            }
        };
        let mut ids = BTreeSet::new();
        for (index, route) in file.routes.iter().enumerate() {
            let base = format!("routes.{index}");
            let mut report = |level, code, path: &str, snippet: Option<&str>, message| {
                let at = if path.is_empty() {
                    source.at(&base)
                } else {
                    source.at_snippet(&format!("{base}.{path}"), snippet)
                };
                findings.push(source.finding(level, code, at, Some(&route.id), message));
            };
            if !ids.insert(route.id.clone()) {
                report(
                    Level::Error,
                    LintCode::DuplicateId,
                    "id",
                    None,
                    "the id is already used by an earlier route of this file".into(),
                );
            } else if source.user && shipped_ids.contains(&route.id) {
                report(
                    Level::Warning,
                    LintCode::ReplacesShipped,
                    "id",
                    None,
                    "replaces the shipped route from rules/routes.yaml".into(),
                );
            }
            if !knowledge.targets().contains(route.target) {
                report(
                    Level::Error,
                    LintCode::UnknownValue,
                    "target",
                    None,
                    format!(
                        "`target: {}` is not a target of rules/data/targets.yaml ({})",
                        route.target,
                        knowledge.targets().ids()
                    ),
                );
            }
            super::lint_expression(env, &scope, "eligible", &route.eligible, &mut report);
            super::lint_template(env, &scope, "why", &route.why, &mut report);
            for (i, step) in route.steps.iter().enumerate() {
                super::lint_template(env, &scope, &format!("steps.{i}"), step, &mut report);
            }
            for (i, id) in route.prices.iter().enumerate() {
                if known.prices.get(id).is_none() {
                    report(
                        Level::Error,
                        LintCode::UnknownPrice,
                        &format!("prices.{i}"),
                        None,
                        format!("names price `{id}`, which the price table (rules/data/prices.yaml) does not have"),
                    );
                }
            }
            if let Some(deadline) = &route.deadline {
                if deadline != CURRENT_OS && !known.deadlines.contains(deadline) {
                    report(
                        Level::Error,
                        LintCode::UnknownDeadline,
                        "deadline",
                        None,
                        format!(
                            "`deadline: {deadline}` is neither `{CURRENT_OS}` nor an entry of \
                             rules/data/lifecycle.yaml"
                        ),
                    );
                }
            }
            for (i, reference) in route.refs.iter().enumerate() {
                if !(reference.url.starts_with("https://") || reference.url.starts_with("http://"))
                {
                    report(
                        Level::Error,
                        LintCode::BadRef,
                        &format!("refs.{i}.url"),
                        None,
                        format!("`{}` is not a web address", reference.url),
                    );
                }
            }
        }
        if !source.user {
            shipped_ids.extend(ids);
        }
    }
}

/// Each target of the target list in force (the user's `data/targets.yaml`, else the shipped
/// one) names, under `pack`, a rule pack that is loaded.
pub(crate) fn lint_target_packs(
    user_dir: Option<&Path>,
    pack_ids: &BTreeSet<String>,
    findings: &mut Vec<Finding>,
) {
    use crate::knowledge::targets::{Targets, FILE_NAME};
    let user = user_dir
        .map(|d| d.join("data").join(FILE_NAME))
        .filter(|p| p.is_file())
        .and_then(|p| Some((Origin::path(&p), std::fs::read_to_string(&p).ok()?, true)));
    let (origin, text, user) = user.unwrap_or_else(|| {
        let text = crate::knowledge::embedded_data(FILE_NAME).unwrap_or_default();
        (
            Origin(format!("rules/data/{FILE_NAME}")),
            text.to_string(),
            false,
        )
    });
    // A file that does not parse is reported with the other data files.
    let Ok(targets) = Targets::parse(&text, &origin) else {
        return;
    };
    let mut ignored = Vec::new();
    let Some(source) = Source::new(origin, text, user, LintCode::DataSyntax, &mut ignored) else {
        return;
    };
    for (index, target) in targets.list().iter().enumerate() {
        if !pack_ids.contains(&target.pack) {
            findings.push(source.finding(
                Level::Error,
                LintCode::UnknownValue,
                source.at(&format!("targets.{index}.pack")),
                Some(target.id.id()),
                format!("`pack: {}` names no loaded rule pack", target.pack),
            ));
        }
    }
}
