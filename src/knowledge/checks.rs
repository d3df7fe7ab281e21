//! Rule packs: the YAML checks that judge an inventory, how they are loaded, and what a check
//! yields.
//!
//! A pack is data (`rules/*.yaml`): the packs shipped in the binary come first, then the files of
//! any `--rules DIR`, where a check with an id already loaded replaces it. This module owns the
//! pack format and loading; compiling and evaluating the expressions is [`engine`], checking packs
//! for mistakes is [`lint`], and the shape of the facts an expression may name is [`schema`].
//! `rules/software.yaml` is not a pack but the software knowledge base, read by [`software`]; pack
//! loading skips that file name.

pub mod engine;
pub mod lint;
pub mod schema;
pub mod software;

use crate::error::{Error, Origin, Result};
use crate::inventory::Inventory;
use include_dir::{include_dir, Dir};
use serde::{Deserialize, Serialize};
use std::path::Path;

pub use crate::prices::{Price, Prices};
pub use engine::{CheckResult, Evidence, RuleSet, Status};

/// The rule packs shipped in the binary.
static EMBEDDED: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/rules");

/// A plan target: the Windows a machine could move to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Target {
    Windows11,
    Windows10,
}

impl Target {
    pub const ALL: [Target; 2] = [Target::Windows11, Target::Windows10];

    pub fn id(self) -> &'static str {
        match self {
            Target::Windows11 => "windows11",
            Target::Windows10 => "windows10",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Target::Windows11 => "Windows 11",
            Target::Windows10 => "Windows 10 (22H2)",
        }
    }

    /// Parses `windows11`, `windows10` or `all` into the targets it names.
    pub fn parse_selection(text: &str) -> Result<Vec<Target>> {
        match text {
            "all" => Ok(Target::ALL.to_vec()),
            "windows11" => Ok(vec![Target::Windows11]),
            "windows10" => Ok(vec![Target::Windows10]),
            other => Err(Error::UnknownTarget(other.to_string())),
        }
    }
}

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

/// Which part of the assessment a check feeds.
///
/// `readiness` checks are the hardware and OS requirements of a target: their blockers decide
/// its verdict. `licence` checks describe the licensing path (what licence is needed, what it
/// costs); they go to `plan.licence`, never count towards a verdict or `--fail-on`, and may not
/// be blockers.
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

fn yes() -> bool {
    true
}

fn is_true(value: &bool) -> bool {
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

/// A public source a check rests on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reference {
    pub title: String,
    pub url: String,
    /// When the source was read or last changed (ISO date).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<String>,
}

/// A rule test: an inventory fragment and the status the check must give for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    pub inventory: crate::yaml::Value,
    pub expect: Status,
    /// How the status must be reached (`observed` or `inferred`), when the example pins it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<Evidence>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// An answer a check may give from other facts when its own are missing: the inference rules
/// of issue 11 §3, kept as data beside the check they answer, with their sources.
///
/// Inferences are tried in order only when the check's own conditions give `unknown`; the
/// first whose `when` is true gives its `status`, labelled `evidence: inferred` with `basis`
/// and `refs`. An inference never overrides an observed pass or fail.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Inference {
    /// A condition over the facts that were collected; only true applies the inference.
    pub when: String,
    /// `pass`, or `fail` when the inference says what to change (a firmware TPM to switch on).
    pub status: Status,
    /// A template saying, in words, what the answer rests on.
    pub basis: String,
    /// Where the inference's premise comes from.
    pub refs: Vec<Reference>,
    /// The fix to offer when `status: fail`, in place of the check's own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fix: Option<Fix>,
}

/// One condition, or several that must all hold. A list is judged with three-valued logic: any
/// false condition fails the check even when another could not be evaluated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Conditions {
    One(String),
    All(Vec<String>),
}

impl Conditions {
    pub fn as_slice(&self) -> &[String] {
        match self {
            Conditions::One(one) => std::slice::from_ref(one),
            Conditions::All(all) => all,
        }
    }
}

/// A check as written in a pack.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Check {
    pub id: String,
    pub target: Target,
    /// `readiness` (the default) or `licence`.
    #[serde(default, skip_serializing_if = "Section::is_readiness")]
    pub section: Section,
    pub title: String,
    pub severity: Severity,
    /// Whether Windows setup and Microsoft's own checkers (HardwareReadiness.ps1, the
    /// compatibility appraiser) enforce this requirement. A blocker that is documented but not
    /// enforced (`enforced: false`: graphics, display) makes a verdict `not-ready` when it fails,
    /// but missing facts leave it "to confirm by hand" instead of making the verdict `unknown`.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub enforced: bool,
    /// Whether the check applies; false gives `not-applicable`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<String>,
    pub pass: Conditions,
    /// A template saying what was observed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed: Option<String>,
    /// A template saying what is required.
    pub required: String,
    /// What a person can check by hand when the evidence cannot tell.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manual: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fix: Option<Fix>,
    #[serde(default)]
    pub refs: Vec<Reference>,
    /// Answers from other facts when this check's own facts are missing, tried in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub infer: Vec<Inference>,
    #[serde(default)]
    pub examples: Vec<Example>,
}

/// A rule pack file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pack {
    pub pack: String,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    pub checks: Vec<Check>,
}

/// A check together with the file it came from.
#[derive(Debug, Clone)]
pub struct LoadedCheck {
    pub check: Check,
    pub origin: Origin,
}

impl Pack {
    pub fn parse(text: &str, origin: &Origin) -> Result<Pack> {
        crate::yaml::from_str(text).map_err(|e| Error::RuleSyntax {
            origin: origin.clone(),
            location: crate::yaml::location(&e),
            message: crate::yaml::message(&e),
        })
    }
}

/// The shipped packs, as (file name, text), in file-name order.
pub fn embedded_packs() -> Vec<(String, &'static str)> {
    let mut packs: Vec<(String, &'static str)> = EMBEDDED
        .files()
        .filter(|f| is_pack_name(f.path()))
        .filter_map(|f| Some((format!("rules/{}", f.path().display()), f.contents_utf8()?)))
        .collect();
    packs.sort();
    packs
}

/// A shipped data file under `rules/data/`, by name.
pub fn embedded_data(name: &str) -> Option<&'static str> {
    EMBEDDED
        .get_file(format!("data/{name}"))
        .and_then(|f| f.contents_utf8())
}

/// Parses a knowledge data file of `rules/data/` into its model, with a located error.
pub fn parse_data<T: serde::de::DeserializeOwned>(text: &str, origin: &Origin) -> Result<T> {
    crate::yaml::from_str(text).map_err(|e| Error::DataSyntax {
        origin: origin.clone(),
        location: crate::yaml::location(&e),
        message: crate::yaml::message(&e),
    })
}

/// Files in a rules directory that are not check packs: the migration routes and the programs
/// at risk have their own formats (see [`crate::plan`]).
pub const NOT_CHECK_PACKS: [&str; 2] = ["routes.yaml", "software.yaml"];

fn is_pack_name(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml")
    ) && path.parent().is_none_or(|p| p.as_os_str().is_empty())
        && !is_other_rule_file(path)
}

fn is_other_rule_file(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| NOT_CHECK_PACKS.contains(&n))
}

/// A shipped file at the top of `rules/`, by name.
pub fn embedded_rule_file(name: &str) -> Option<&'static str> {
    EMBEDDED.get_file(name).and_then(|f| f.contents_utf8())
}

/// Loads the shipped checks, then those of `user_dir`; a user check replaces a loaded one with the
/// same id, and a new id is added at the end.
pub fn load_checks(user_dir: Option<&Path>) -> Result<Vec<LoadedCheck>> {
    let mut checks: Vec<LoadedCheck> = Vec::new();
    for (name, text) in embedded_packs() {
        add_pack(&mut checks, text, &Origin(name), false)?;
    }
    if let Some(dir) = user_dir {
        for path in user_pack_files(dir)? {
            let text = std::fs::read_to_string(&path).map_err(|source| Error::Read {
                path: path.clone(),
                source,
            })?;
            add_pack(&mut checks, &text, &Origin::path(&path), true)?;
        }
    }
    Ok(checks)
}

/// The pack files of a user directory, sorted so the result does not depend on the file system.
pub fn user_pack_files(dir: &Path) -> Result<Vec<std::path::PathBuf>> {
    let entries = std::fs::read_dir(dir).map_err(|source| Error::Read {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut files: Vec<_> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.is_file()
                && matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml"))
                && !is_other_rule_file(p)
        })
        .collect();
    files.sort();
    Ok(files)
}

fn add_pack(
    checks: &mut Vec<LoadedCheck>,
    text: &str,
    origin: &Origin,
    replaces: bool,
) -> Result<()> {
    let pack = Pack::parse(text, origin)?;
    for check in pack.checks {
        let loaded = LoadedCheck {
            check,
            origin: origin.clone(),
        };
        match checks.iter_mut().find(|c| c.check.id == loaded.check.id) {
            Some(existing) if replaces => *existing = loaded,
            Some(existing) => {
                return Err(Error::RuleInvalid {
                    origin: origin.clone(),
                    id: loaded.check.id,
                    message: format!("the id is already used in {}", existing.origin),
                })
            }
            None => checks.push(loaded),
        }
    }
    Ok(())
}

/// Turns a rule example's inventory fragment into an inventory.
pub fn example_inventory(example: &Example, origin: &Origin) -> Result<Inventory> {
    crate::yaml::from_value(example.inventory.clone()).map_err(|e| Error::RuleInvalid {
        origin: origin.clone(),
        id: String::new(),
        message: format!("example inventory does not fit the inventory schema: {e}"),
    })
}
