//! Microsoft's published KMS client keys (GVLKs), from `rules/data/gvlk.yaml`, and looking a key
//! up in them.
//!
//! A GVLK is public and identical on every KMS client of an edition, so a match says the channel
//! (Volume:GVLK) and the edition with certainty. A match on the last group alone (all that
//! `slmgr /dli` and WMI show) is strong but not certain evidence, and callers must say so.

use crate::error::{Origin, Result};
use crate::vocab::Reference;
use serde::Deserialize;
use std::sync::OnceLock;

/// One published key.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Gvlk {
    pub key: String,
    /// Microsoft's name for the row, e.g. "Windows 7 Professional".
    pub edition: String,
    /// The Windows 7 edition family as the inventory names it (Professional, Enterprise).
    #[serde(default)]
    pub windows7_edition: Option<String>,
}

/// The shipped list.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GvlkList {
    pub source: GvlkSource,
    #[serde(default)]
    pub caveats: Vec<String>,
    pub keys: Vec<Gvlk>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GvlkSource {
    pub title: String,
    pub url: String,
    #[serde(default)]
    pub git: Option<String>,
    pub as_of: String,
}

impl GvlkSource {
    pub fn reference(&self) -> Reference {
        Reference {
            title: self.title.clone(),
            url: self.url.clone(),
            as_of: Some(self.as_of.clone()),
        }
    }
}

const EMBEDDED_NAME: &str = "gvlk.yaml";

impl GvlkList {
    pub fn parse(text: &str, origin: &Origin) -> Result<GvlkList> {
        let list: GvlkList = crate::knowledge::parse_data(text, origin)?;
        for gvlk in &list.keys {
            if !crate::facts::productkey::check(&gvlk.key).is_valid() {
                return Err(crate::Error::DataSyntax {
                    origin: origin.clone(),
                    location: None,
                    message: format!("`{}` is not a well-formed product key", gvlk.key),
                });
            }
        }
        Ok(list)
    }

    /// The list shipped with w7plan, parsed on first use.
    pub fn embedded() -> &'static GvlkList {
        static LIST: OnceLock<GvlkList> = OnceLock::new();
        LIST.get_or_init(|| {
            let text = crate::knowledge::embedded_data(EMBEDDED_NAME)
                .expect("rules/data/gvlk.yaml is embedded");
            // A test parses the shipped file, so this only fires on a broken build.
            GvlkList::parse(text, &Origin("rules/data/gvlk.yaml (built in)".into()))
                .unwrap_or_else(|e| panic!("the built-in GVLK list is broken: {e}"))
        })
    }

    /// The published key equal to `key` (any case, dashes optional).
    pub fn find(&self, key: &str) -> Option<&Gvlk> {
        let wanted = crate::facts::productkey::check(key).normalized?;
        self.keys.iter().find(|g| g.key == wanted)
    }

    /// The published keys whose last group is `partial` (the five characters Windows shows).
    pub fn find_by_last_group(&self, partial: &str) -> Vec<&Gvlk> {
        let partial = partial.trim().to_ascii_uppercase();
        if partial.len() != 5 {
            return Vec::new();
        }
        let suffix = format!("-{partial}");
        self.keys
            .iter()
            .filter(|g| g.key.ends_with(&suffix))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_list_parses_and_matches() {
        let list = GvlkList::embedded();
        assert_eq!(list.keys.len(), 29);
        let pro = list.find("fj82hxt6crj8d7pxqjj2gpdd4").unwrap();
        assert_eq!(pro.edition, "Windows 7 Professional");
        assert_eq!(pro.windows7_edition.as_deref(), Some("Professional"));
        assert_eq!(
            list.find("NPPR9-FWDCX-D2C8J-H872K-2YT43").unwrap().edition,
            "Windows 11 Enterprise / Windows 10 Enterprise"
        );
        assert!(list.find("VK7JG-NPHTM-C97JM-9MPGT-3V66T").is_none());
        assert!(list.find("garbage").is_none());
        let by_tail = list.find_by_last_group("hvthh");
        assert_eq!(by_tail.len(), 1);
        assert_eq!(by_tail[0].edition, "Windows 7 Enterprise");
        assert!(list.find_by_last_group("GPDD").is_empty());
    }

    #[test]
    fn last_groups_are_unique() {
        let list = GvlkList::embedded();
        for g in &list.keys {
            let tail = &g.key[24..];
            assert_eq!(list.find_by_last_group(tail).len(), 1, "{tail}");
        }
    }
}
