//! Graphics family knowledge: which family an adapter belongs to, by its PCI vendor/device id
//! where the table lists the family's ids, else by its name, and whether its vendor ships
//! DirectX 12 drivers for it, from the sourced table in `rules/data/gpu-families.yaml`.
//!
//! This only recognizes families; it judges nothing. The rules decide what a recognized family
//! means for a target, and label the answer inferred with the family's statement and source.
//! A name that matches no family gives no answer, never a guess.

use crate::error::{Error, Origin, Result};
use crate::vocab::Reference;
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
    #[serde(default)]
    pci: Option<RawPci>,
    #[serde(default)]
    pci_examples: Vec<String>,
    #[serde(default)]
    pci_not_examples: Vec<String>,
    source: Reference,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPci {
    vendor: String,
    source: Reference,
    groups: Vec<RawPciGroup>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPciGroup {
    title: String,
    devices: Vec<String>,
}

/// A family's PCI ids: one vendor, its device ids by generation.
#[derive(Debug, Clone)]
pub struct PciIds {
    /// Four upper-case hex digits.
    pub vendor: String,
    /// (device id, generation title), device ids as four upper-case hex digits.
    pub devices: Vec<(String, String)>,
    pub source: Reference,
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
    pub pci: Option<PciIds>,
    /// `VVVV:DDDD` pairs that must (and must not) be recognized as this family.
    pub pci_examples: Vec<String>,
    pub pci_not_examples: Vec<String>,
}

impl Family {
    pub fn matches(&self, name: &str) -> bool {
        let name = name.trim();
        self.names.iter().any(|r| r.is_match(name))
    }

    /// The generation title of a PCI id in this family's list, if it is there.
    pub fn generation_of(&self, vendor: &str, device: &str) -> Option<&str> {
        let pci = self.pci.as_ref()?;
        if !pci.vendor.eq_ignore_ascii_case(vendor.trim()) {
            return None;
        }
        pci.devices
            .iter()
            .find(|(id, _)| id.eq_ignore_ascii_case(device.trim()))
            .map(|(_, generation)| generation.as_str())
    }
}

/// One adapter as the table reads it: its name and PCI ids, each possibly missing.
#[derive(Debug, Clone, Copy, Default)]
pub struct Adapter<'a> {
    pub name: Option<&'a str>,
    pub vendor_id: Option<&'a str>,
    pub device_id: Option<&'a str>,
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
    /// How the adapter was recognized: `pci` (its device id is in the family's list) | `name`.
    pub matched_by: String,
    /// The adapter's PCI id as `VVVV:DDDD`, when collected.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pci_id: Option<String>,
    /// The generation the PCI id list puts the device in, when recognized by it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub generation: Option<String>,
    /// The source of the PCI id list, when recognized by it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pci_source: Option<Reference>,
}

/// The graphics family table.
#[derive(Debug, Clone)]
pub struct Families {
    families: Vec<Family>,
}

impl Families {
    pub fn parse(text: &str, origin: &Origin) -> Result<Families> {
        let raw: RawTable = crate::knowledge::parse_data(text, origin)?;
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
            let pci = match f.pci {
                None => None,
                Some(raw) => {
                    let hex4 =
                        |id: &str| id.len() == 4 && id.bytes().all(|b| b.is_ascii_hexdigit());
                    let bad = std::iter::once(&raw.vendor)
                        .chain(raw.groups.iter().flat_map(|g| &g.devices))
                        .find(|id| !hex4(id));
                    if let Some(id) = bad {
                        return Err(Error::DataSyntax {
                            origin: origin.clone(),
                            location: None,
                            message: format!(
                                "family `{}`: PCI id `{id}` is not four hex digits",
                                f.id
                            ),
                        });
                    }
                    Some(PciIds {
                        vendor: raw.vendor.to_ascii_uppercase(),
                        devices: raw
                            .groups
                            .iter()
                            .flat_map(|g| {
                                g.devices
                                    .iter()
                                    .map(|d| (d.to_ascii_uppercase(), g.title.clone()))
                            })
                            .collect(),
                        source: raw.source,
                    })
                }
            };
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
                pci,
                pci_examples: f.pci_examples,
                pci_not_examples: f.pci_not_examples,
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

    /// The family whose PCI id list holds this id, with the id's generation.
    pub fn find_pci(&self, vendor: &str, device: &str) -> Option<(&Family, &str)> {
        self.families
            .iter()
            .find_map(|f| f.generation_of(vendor, device).map(|g| (f, g)))
    }

    /// The family of one adapter: by its PCI id first (it does not depend on the driver that
    /// names the adapter), else by its name.
    fn recognize_one(&self, adapter: Adapter<'_>) -> Option<Recognized> {
        let pci_id = match (adapter.vendor_id, adapter.device_id) {
            (Some(v), Some(d)) => {
                Some((v.trim().to_ascii_uppercase(), d.trim().to_ascii_uppercase()))
            }
            _ => None,
        };
        let by_pci = pci_id
            .as_ref()
            .and_then(|(v, d)| self.find_pci(v, d))
            .map(|(f, g)| (f, "pci", Some(g.to_string())));
        let by_name = || {
            adapter
                .name
                .and_then(|n| self.find(n))
                .map(|f| (f, "name", None))
        };
        let (family, matched_by, generation) = by_pci.or_else(by_name)?;
        let pci_text = pci_id.as_ref().map(|(v, d)| format!("{v}:{d}"));
        let name = adapter.name.map(str::trim).filter(|n| !n.is_empty());
        let shown = match (name, matched_by, &pci_text) {
            (Some(n), "pci", Some(id)) => format!("{n} (PCI {id})"),
            (None, _, Some(id)) => format!("The adapter with PCI id {id}"),
            (Some(n), _, _) => n.to_string(),
            (None, _, None) => "The adapter".to_string(),
        };
        Some(Recognized {
            id: family.id.clone(),
            vendor: family.vendor.clone(),
            title: family.title.clone(),
            adapter: shown,
            dx12: family.dx12,
            statement: family.statement.clone(),
            caveat: family.caveat.clone(),
            source: family.source.clone(),
            matched_by: matched_by.to_string(),
            pci_id: pci_text,
            pci_source: (matched_by == "pci")
                .then(|| family.pci.as_ref().map(|p| p.source.clone()))
                .flatten(),
            generation,
        })
    }

    /// The best-recognized adapter among several: a DirectX 12 family without a caveat first,
    /// then one with a caveat, then any recognized one; among equals, one known by its PCI id.
    pub fn recognize_adapters<'a>(
        &self,
        adapters: impl IntoIterator<Item = Adapter<'a>>,
    ) -> Option<Recognized> {
        let mut found: Vec<Recognized> = adapters
            .into_iter()
            .filter_map(|a| self.recognize_one(a))
            .collect();
        found.sort_by_key(|r| (!r.dx12, r.caveat.is_some(), r.matched_by != "pci"));
        found.into_iter().next()
    }

    /// The best-recognized adapter among several names (see [`Families::recognize_adapters`]).
    pub fn recognize<'a>(&self, names: impl IntoIterator<Item = &'a str>) -> Option<Recognized> {
        self.recognize_adapters(names.into_iter().map(|name| Adapter {
            name: Some(name),
            ..Adapter::default()
        }))
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
            for pair in &family.pci_examples {
                let (v, d) = pair.split_once(':').expect("VVVV:DDDD");
                assert_eq!(
                    table.find_pci(v, d).map(|(f, _)| f.id.as_str()),
                    Some(family.id.as_str()),
                    "PCI {pair} should be recognized as {}",
                    family.id
                );
            }
            for pair in &family.pci_not_examples {
                let (v, d) = pair.split_once(':').expect("VVVV:DDDD");
                assert_ne!(
                    table.find_pci(v, d).map(|(f, _)| f.id.as_str()),
                    Some(family.id.as_str()),
                    "PCI {pair} must not be recognized as {}",
                    family.id
                );
            }
            if let Some(pci) = &family.pci {
                assert!(
                    !family.pci_examples.is_empty(),
                    "{} has no PCI examples",
                    family.id
                );
                assert!(pci.source.url.starts_with("https://"), "{}", family.id);
                assert!(
                    pci.source.as_of.is_some(),
                    "{} PCI list has no as_of",
                    family.id
                );
                let mut ids: Vec<&str> = pci.devices.iter().map(|(d, _)| d.as_str()).collect();
                let count = ids.len();
                ids.sort_unstable();
                ids.dedup();
                assert_eq!(ids.len(), count, "{} lists a PCI id twice", family.id);
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

    #[test]
    fn an_adapter_without_its_driver_is_recognized_by_its_pci_id() {
        let table = Families::embedded();
        let found = table
            .recognize_adapters([Adapter {
                name: Some("Standard VGA Graphics Adapter"),
                vendor_id: Some("8086"),
                device_id: Some("5912"),
            }])
            .unwrap();
        assert_eq!(found.id, "intel-gen9");
        assert_eq!(found.matched_by, "pci");
        assert_eq!(found.pci_id.as_deref(), Some("8086:5912"));
        assert_eq!(
            found.adapter,
            "Standard VGA Graphics Adapter (PCI 8086:5912)"
        );
        assert!(found.generation.as_deref().unwrap().contains("Kaby Lake"));
        assert!(found.pci_source.unwrap().url.contains("i915_pciids.h"));
        // Ivy Bridge (HD Graphics 2500) is not in the list: no answer, not a guess.
        assert!(table
            .recognize_adapters([Adapter {
                name: Some("Standard VGA Graphics Adapter"),
                vendor_id: Some("8086"),
                device_id: Some("0152"),
            }])
            .is_none());
        // An id the list lacks falls back to the name.
        let by_name = table
            .recognize_adapters([Adapter {
                name: Some("NVIDIA GeForce GTX 1060 6GB"),
                vendor_id: Some("10DE"),
                device_id: Some("1C03"),
            }])
            .unwrap();
        assert_eq!(
            (by_name.id.as_str(), by_name.matched_by.as_str()),
            ("nvidia-kepler", "name")
        );
    }
}
