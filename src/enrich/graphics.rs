//! Graphics family knowledge: which adapter a name belongs to, and whether its vendor ships
//! DirectX 12 drivers for it, from the sourced table in `rules/data/gpu-families.yaml`.
//!
//! This only recognizes families; it judges nothing. The rules decide what a recognized family
//! means for a target, and label the answer inferred with the family's statement and source.
//! A name that matches no family gives no answer, never a guess.

use crate::error::{Error, Origin, Result};
use crate::rules::Reference;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

const EMBEDDED: &str = include_str!("../../rules/data/gpu-families.yaml");

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTable {
    #[allow(dead_code)]
    as_of: String,
    families: Vec<RawFamily>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFamily {
    id: String,
    vendor: String,
    title: String,
    dx12: bool,
    statement: String,
    #[serde(default)]
    caveat: Option<String>,
    names: Vec<String>,
    #[serde(default)]
    examples: Vec<String>,
    #[serde(default)]
    not_examples: Vec<String>,
    source: Reference,
}

/// One graphics family of the table.
#[derive(Debug, Clone)]
pub struct Family {
    pub id: String,
    /// intel | amd | nvidia
    pub vendor: String,
    pub title: String,
    pub dx12: bool,
    pub statement: String,
    pub caveat: Option<String>,
    pub source: Reference,
    names: Vec<regex::Regex>,
    pub examples: Vec<String>,
    pub not_examples: Vec<String>,
}

impl Family {
    pub fn matches(&self, name: &str) -> bool {
        let name = name.trim();
        self.names.iter().any(|r| r.is_match(name))
    }
}

/// The family an adapter was recognized as, as rules read it under
/// `derived.graphics.family`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Recognized {
    pub id: String,
    pub vendor: String,
    pub title: String,
    /// The adapter's name as collected.
    pub adapter: String,
    pub dx12: bool,
    pub statement: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub caveat: Option<String>,
    pub source: Reference,
}

/// The graphics family table.
#[derive(Debug, Clone)]
pub struct Families {
    families: Vec<Family>,
}

impl Families {
    pub fn parse(text: &str, origin: &Origin) -> Result<Families> {
        let raw: RawTable = crate::rules::parse_data(text, origin)?;
        let mut families = Vec::new();
        for f in raw.families {
            let names = f
                .names
                .iter()
                .map(|pattern| {
                    regex::RegexBuilder::new(pattern)
                        .case_insensitive(true)
                        .build()
                        .map_err(|e| Error::DataSyntax {
                            origin: origin.clone(),
                            location: None,
                            message: format!("family `{}`: pattern `{pattern}`: {e}", f.id),
                        })
                })
                .collect::<Result<Vec<_>>>()?;
            families.push(Family {
                id: f.id,
                vendor: f.vendor,
                title: f.title,
                dx12: f.dx12,
                statement: f.statement,
                caveat: f.caveat,
                source: f.source,
                names,
                examples: f.examples,
                not_examples: f.not_examples,
            });
        }
        Ok(Families { families })
    }

    /// The table shipped with w7plan, parsed on first use.
    pub fn embedded() -> &'static Families {
        static TABLE: OnceLock<Families> = OnceLock::new();
        TABLE.get_or_init(|| {
            let origin = Origin("rules/data/gpu-families.yaml (built in)".into());
            // A test parses the shipped file, so this only fires on a broken build.
            Families::parse(EMBEDDED, &origin)
                .unwrap_or_else(|e| panic!("the built-in graphics family table is broken: {e}"))
        })
    }

    pub fn families(&self) -> &[Family] {
        &self.families
    }

    /// The first family (in table order) whose names match `name`.
    pub fn find(&self, name: &str) -> Option<&Family> {
        self.families.iter().find(|f| f.matches(name))
    }

    /// The best-recognized adapter among several: a DirectX 12 family without a caveat first,
    /// then one with a caveat, then any recognized one.
    pub fn recognize<'a>(&self, names: impl IntoIterator<Item = &'a str>) -> Option<Recognized> {
        let mut found: Vec<(&Family, &str)> = names
            .into_iter()
            .filter_map(|n| self.find(n).map(|f| (f, n)))
            .collect();
        found.sort_by_key(|(f, _)| (!f.dx12, f.caveat.is_some()));
        found.first().map(|(f, name)| Recognized {
            id: f.id.clone(),
            vendor: f.vendor.clone(),
            title: f.title.clone(),
            adapter: name.trim().to_string(),
            dx12: f.dx12,
            statement: f.statement.clone(),
            caveat: f.caveat.clone(),
            source: f.source.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_family_matches_its_examples_and_not_the_others() {
        let table = Families::embedded();
        assert!(!table.families().is_empty());
        for family in table.families() {
            assert!(!family.examples.is_empty(), "{} has no examples", family.id);
            for name in &family.examples {
                assert_eq!(
                    table.find(name).map(|f| f.id.as_str()),
                    Some(family.id.as_str()),
                    "`{name}` should be recognized as {}",
                    family.id
                );
            }
            for name in &family.not_examples {
                assert_ne!(
                    table.find(name).map(|f| f.id.as_str()),
                    Some(family.id.as_str()),
                    "`{name}` must not be recognized as {}",
                    family.id
                );
            }
            assert!(family.source.url.starts_with("https://"), "{}", family.id);
            assert!(family.source.as_of.is_some(), "{} has no as_of", family.id);
        }
    }

    #[test]
    fn a_sure_family_beats_one_with_a_caveat() {
        let found = Families::embedded()
            .recognize(["NVIDIA GeForce GT 730", "Intel(R) UHD Graphics 630"])
            .unwrap();
        assert_eq!(found.id, "intel-gen9");
        assert_eq!(found.adapter, "Intel(R) UHD Graphics 630");
        assert!(Families::embedded()
            .recognize(["Intel(R) HD Graphics 4600", "Standard VGA Graphics Adapter"])
            .is_none());
    }
}
