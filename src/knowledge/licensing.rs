//! What each licence channel family allows and which Windows 11 edition each Windows edition
//! corresponds to, from `rules/data/licensing.yaml`, with their sources.
//!
//! Only the data and its lookups live here; deciding a machine's channel and whether its
//! licence carries over is [`crate::judge::license`].

use crate::error::{Origin, Result};
use crate::vocab::{Family, Reference};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// What one family of channels allows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rights {
    pub family: Family,
    pub channels: Vec<String>,
    pub allows: String,
    /// Whether the licence may move to another device; `None`: the agreement says.
    pub transferable: Option<bool>,
    pub confidence: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unconfirmed: Option<String>,
    pub sources: Vec<Reference>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Editions {
    /// Inventory edition (EditionID spelling) → Windows 11 edition.
    pub map: BTreeMap<String, String>,
    pub confidence: String,
    pub sources: Vec<Reference>,
}

/// `rules/data/licensing.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LicensingData {
    pub families: Vec<Rights>,
    pub editions: Editions,
}

impl LicensingData {
    pub fn parse(text: &str, origin: &Origin) -> Result<LicensingData> {
        let data: LicensingData = crate::knowledge::parse_data(text, origin)?;
        for family in [
            Family::Retail,
            Family::Oem,
            Family::Volume,
            Family::Evaluation,
        ] {
            if !data.families.iter().any(|f| f.family == family) {
                return Err(crate::Error::DataSyntax {
                    origin: origin.clone(),
                    location: None,
                    message: format!("no entry for the {} family", family.as_str()),
                });
            }
        }
        Ok(data)
    }

    pub fn embedded() -> &'static LicensingData {
        static DATA: OnceLock<LicensingData> = OnceLock::new();
        DATA.get_or_init(|| {
            let text = crate::knowledge::embedded_data("licensing.yaml")
                .expect("rules/data/licensing.yaml is embedded");
            // A test parses the shipped file, so this only fires on a broken build.
            LicensingData::parse(text, &Origin("rules/data/licensing.yaml (built in)".into()))
                .unwrap_or_else(|e| panic!("the built-in licensing data is broken: {e}"))
        })
    }

    pub fn rights(&self, family: Family) -> &Rights {
        self.families
            .iter()
            .find(|f| f.family == family)
            .expect("parse checks every family is present")
    }

    /// The Windows 11 edition for an inventory edition (`Professional`, `HomePremium`, `Home
    /// Premium`, `ProfessionalN`…) or, failing that, an OS name (`Microsoft Windows 7 Ultimate`).
    /// N, KN and E variants map as their base edition.
    pub fn windows11_edition(&self, edition: Option<&str>, name: Option<&str>) -> Option<&str> {
        let squash = |s: &str| -> String {
            s.chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .collect::<String>()
                .to_ascii_lowercase()
        };
        let lookup = |text: &str| -> Option<&str> {
            let key = squash(text);
            let base = ["kn", "n", "e"]
                .iter()
                .find_map(|suffix| key.strip_suffix(suffix).filter(|b| self.known(b)))
                .unwrap_or(&key)
                .to_string();
            self.editions
                .map
                .iter()
                .find(|(k, _)| squash(k) == base)
                .map(|(_, v)| v.as_str())
        };
        if let Some(found) = edition.and_then(lookup) {
            return Some(found);
        }
        // An OS name: its last words are the edition ("Microsoft Windows 7 Home Premium").
        let name = name?;
        let words: Vec<&str> = name.split_whitespace().collect();
        (1..=2.min(words.len()))
            .rev()
            .find_map(|n| lookup(&words[words.len() - n..].join(" ")))
    }

    fn known(&self, squashed: &str) -> bool {
        self.editions.map.keys().any(|k| {
            k.chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .collect::<String>()
                .eq_ignore_ascii_case(squashed)
        })
    }
}
