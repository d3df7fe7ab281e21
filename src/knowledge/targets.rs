//! The target list (`rules/data/targets.yaml`): which Windows a machine may be assessed for,
//! their titles, the pack that holds each one's requirements, and their order of preference.
//!
//! This module owns the file's format and the `--target` selection against it. It does not
//! check that packs, routes and software entries name listed targets: [`super::Knowledge::load`]
//! does that once everything is read, and `rules lint` reports it with file:line:column.
//!
//! Invariant: the list is never empty, and its order is the order of preference (the first is
//! the target a plan aims for).

use crate::error::{Error, Origin, Result};
use crate::vocab::{Reference, Target};
use serde::Deserialize;

/// The shipped file's name under `rules/data/`.
pub const FILE_NAME: &str = "targets.yaml";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    targets: Vec<TargetInfo>,
}

/// One target as the file writes it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetInfo {
    pub id: Target,
    /// How reports head the target (`Windows 10 (22H2)`).
    pub title: String,
    /// The `pack:` id of the rule pack that holds the target's requirements.
    pub pack: String,
    /// The public page that defines the target, with the day it was read.
    pub source: Reference,
}

/// The targets, in order of preference.
#[derive(Debug, Clone, PartialEq)]
pub struct Targets {
    list: Vec<TargetInfo>,
}

impl Targets {
    /// Parses a target list; an empty list, a repeated or malformed id, or a source without a
    /// date is an error naming it.
    pub fn parse(text: &str, origin: &Origin) -> Result<Targets> {
        let raw: RawFile = super::parse_data(text, origin)?;
        let invalid = |message: String| Error::DataSyntax {
            origin: origin.clone(),
            location: None,
            message,
        };
        if raw.targets.is_empty() {
            return Err(invalid("`targets` lists no target".into()));
        }
        for (index, info) in raw.targets.iter().enumerate() {
            let id = info.id.id();
            let well_formed = !id.is_empty()
                && id != ALL
                && id
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
            if !well_formed {
                return Err(invalid(format!(
                    "target id `{id}` is not lowercase letters, digits and dashes (nor `{ALL}`)"
                )));
            }
            if raw.targets[..index].iter().any(|t| t.id == info.id) {
                return Err(invalid(format!("target id `{id}` is listed twice")));
            }
            if info.source.as_of.is_none() {
                return Err(invalid(format!(
                    "target `{id}`: its source has no `as_of` (the day it was read)"
                )));
            }
        }
        Ok(Targets { list: raw.targets })
    }

    /// The shipped list.
    pub fn embedded() -> Targets {
        let text = super::embedded_data(FILE_NAME).expect("targets.yaml is shipped");
        // A test loads the shipped files, so this only fires on a broken build.
        Targets::parse(text, &Origin(format!("rules/data/{FILE_NAME} (built in)")))
            .unwrap_or_else(|e| panic!("the built-in target list is broken: {e}"))
    }

    /// Every target, in order of preference.
    pub fn all(&self) -> Vec<Target> {
        self.list.iter().map(|t| t.id).collect()
    }

    pub fn list(&self) -> &[TargetInfo] {
        &self.list
    }

    /// The target a plan aims for: the first of the list.
    pub fn preferred(&self) -> Target {
        self.list[0].id
    }

    pub fn get(&self, target: Target) -> Option<&TargetInfo> {
        self.list.iter().find(|t| t.id == target)
    }

    pub fn contains(&self, target: Target) -> bool {
        self.get(target).is_some()
    }

    /// How reports head a target: its title, or its id when the list does not have it.
    pub fn title(&self, target: Target) -> &str {
        self.get(target).map_or(target.id(), |t| t.title.as_str())
    }

    /// The ids, comma-separated, for messages.
    pub fn ids(&self) -> String {
        self.list
            .iter()
            .map(|t| t.id.id())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// What `--target` names: `all` (every target, in order of preference) or one listed id.
    pub fn select(&self, text: &str) -> Result<Vec<Target>> {
        if text == ALL {
            return Ok(self.all());
        }
        self.list
            .iter()
            .find(|t| t.id.id() == text)
            .map(|t| vec![t.id])
            .ok_or_else(|| Error::UnknownTarget {
                given: text.to_string(),
                known: self.ids(),
            })
    }
}

/// The `--target` word for every target.
pub const ALL: &str = "all";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_list_prefers_windows11_and_selects_by_id() {
        let targets = Targets::embedded();
        assert_eq!(targets.preferred(), Target::new("windows11"));
        assert_eq!(
            targets.select("all").unwrap(),
            vec![Target::new("windows11"), Target::new("windows10")]
        );
        assert_eq!(targets.title(Target::new("windows10")), "Windows 10 (22H2)");
        let error = targets.select("windows12").unwrap_err();
        assert_eq!(
            error.to_string(),
            "unknown target `windows12`; expected one of windows11, windows10, or all"
        );
    }

    #[test]
    fn a_repeated_id_or_an_undated_source_is_refused() {
        let one = "  - {id: a, title: A, pack: a, source: {title: s, url: 'https://example.org', as_of: '2026-01-01'}}\n";
        let twice = format!("targets:\n{one}{one}");
        let error = Targets::parse(&twice, &Origin("t.yaml".into())).unwrap_err();
        assert!(error.to_string().contains("`a` is listed twice"), "{error}");
        let undated = format!("targets:\n{}", one.replace(", as_of: '2026-01-01'", ""));
        let error = Targets::parse(&undated, &Origin("t.yaml".into())).unwrap_err();
        assert!(error.to_string().contains("as_of"), "{error}");
    }
}
