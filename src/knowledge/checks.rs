//! Rule packs: the YAML checks that judge an inventory, and how they are loaded.
//!
//! A pack is data (`rules/*.yaml`): the packs shipped in the binary come first, then the files of
//! any `--rules DIR`, where a check with an id already loaded replaces it. This module owns the
//! pack format and loading; compiling and evaluating the expressions is
//! [`crate::judge::rules::engine`], checking packs for mistakes is [`crate::judge::rules::lint`],
//! and what a check yields is [`crate::vocab::check`]. `rules/software.yaml` and
//! `rules/routes.yaml` are not packs ([`super::software`], [`super::routes`]); pack loading skips
//! those file names.

use crate::error::{Error, Origin, Result};
use crate::facts::inventory::Inventory;
use serde::{Deserialize, Serialize};
use std::path::Path;

use super::EMBEDDED;
use crate::vocab::{Evidence, Fix, Reference, Section, Severity, Status, Target};

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
    #[serde(
        default = "crate::vocab::check::yes",
        skip_serializing_if = "crate::vocab::check::is_true"
    )]
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
    /// Named text fragments, written once for several checks: a check's text takes one in with
    /// `{% include "name" %}`. [`Pack::parse`] puts each in place, so the engine, the lint and
    /// `rules show` all see the whole text.
    #[serde(default)]
    pub texts: std::collections::BTreeMap<String, String>,
    pub checks: Vec<Check>,
}

/// A check together with the file it came from.
#[derive(Debug, Clone)]
pub struct LoadedCheck {
    pub check: Check,
    pub origin: Origin,
}

impl Pack {
    /// Parses a pack and puts its named `texts` in place in every check's texts.
    pub fn parse(text: &str, origin: &Origin) -> Result<Pack> {
        let mut pack: Pack = crate::yaml::from_str(text).map_err(|e| Error::RuleSyntax {
            origin: origin.clone(),
            location: crate::yaml::location(&e),
            message: crate::yaml::message(&e),
        })?;
        let texts = std::mem::take(&mut pack.texts);
        for check in &mut pack.checks {
            let id = check.id.clone();
            let expand = |source: &mut String| -> Result<()> {
                *source = include_texts(source, &texts).map_err(|name| Error::RuleInvalid {
                    origin: origin.clone(),
                    id: id.clone(),
                    message: format!(
                        "`{{% include \"{name}\" %}}` names no text of the pack's `texts`"
                    ),
                })?;
                Ok(())
            };
            for source in check
                .observed
                .iter_mut()
                .chain(std::iter::once(&mut check.required))
                .chain(check.manual.iter_mut())
            {
                expand(source)?;
            }
            let fixes = check
                .fix
                .iter_mut()
                .chain(check.infer.iter_mut().flat_map(|i| i.fix.iter_mut()));
            for fix in fixes {
                expand(&mut fix.action)?;
                for source in fix.effort.iter_mut().chain(fix.cost_note.iter_mut()) {
                    expand(source)?;
                }
            }
            for inference in &mut check.infer {
                expand(&mut inference.basis)?;
            }
        }
        pack.texts = texts;
        Ok(pack)
    }
}

/// `source` with every `{% include "name" %}` of a pack text replaced by that text, which is
/// what minijinja's include would render; the name of an unknown text is the error.
fn include_texts(
    source: &str,
    texts: &std::collections::BTreeMap<String, String>,
) -> std::result::Result<String, String> {
    const OPEN: &str = "{% include \"";
    const CLOSE: &str = "\" %}";
    let mut out = String::with_capacity(source.len());
    let mut rest = source;
    while let Some(start) = rest.find(OPEN) {
        let after = &rest[start + OPEN.len()..];
        let Some(end) = after.find(CLOSE) else { break };
        let name = &after[..end];
        let text = texts.get(name).ok_or_else(|| name.to_string())?;
        out.push_str(&rest[..start]);
        out.push_str(text);
        rest = &after[end + CLOSE.len()..];
    }
    out.push_str(rest);
    Ok(out)
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

/// Files in a rules directory that are not check packs: the migration routes and the programs
/// at risk have their own formats (see [`crate::judge::plan`]).
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pack_text_is_put_in_place_and_an_unknown_one_refused() {
        let pack = "pack: p\ntexts:\n  os: \"{{ os.name }}\"\nchecks:\n  - id: p.a\n    target: windows11\n    title: t\n    severity: info\n    pass: \"true\"\n    observed: '{% include \"os\" %}, seen'\n    required: r\n";
        let parsed = Pack::parse(pack, &Origin("p.yaml".into())).unwrap();
        assert_eq!(
            parsed.checks[0].observed.as_deref(),
            Some("{{ os.name }}, seen")
        );
        let wrong = pack.replace("include \"os\"", "include \"oss\"");
        let error = Pack::parse(&wrong, &Origin("p.yaml".into())).unwrap_err();
        assert!(error.to_string().contains("oss"), "{error}");
    }
}
