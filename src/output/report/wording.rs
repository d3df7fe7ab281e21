//! The words reports use for a verdict, read from `templates/wording.yaml` (or the one in
//! `--templates DIR`), so the Markdown and HTML reports and the terminal table name a verdict
//! alike.
//!
//! It only words; which verdict a machine gets is the assessment's business. Every verdict must
//! have its words: a file that leaves one out is refused when the renderer is made.

use crate::error::{Error, Origin, Result};
use crate::vocab::Verdict;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// The file's name, in `templates/` and in `--templates DIR`.
pub const FILE_NAME: &str = "wording.yaml";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Wording {
    /// By verdict id (`ready`, `ready-to-confirm`, `not-ready`, `unknown`).
    pub verdicts: BTreeMap<String, VerdictWords>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VerdictWords {
    /// The verdict's name, capitalized as at the start of a sentence.
    pub label: String,
    /// What to do, where a short report follows the name with it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub todo: Option<String>,
    /// One sentence on what the verdict means.
    pub note: String,
}

impl Wording {
    /// `dir/wording.yaml` when there is one, else the shipped file.
    pub fn load(dir: Option<&Path>, embedded: &str) -> Result<Wording> {
        let user = dir.map(|d| d.join(FILE_NAME)).filter(|p| p.is_file());
        let (text, origin) = match user {
            Some(path) => (
                std::fs::read_to_string(&path).map_err(|source| Error::Read {
                    path: path.clone(),
                    source,
                })?,
                Origin::path(&path),
            ),
            None => (
                embedded.to_string(),
                Origin(format!("templates/{FILE_NAME} (built in)")),
            ),
        };
        let wording: Wording = crate::yaml::from_str(&text).map_err(|e| Error::DataSyntax {
            origin: origin.clone(),
            location: crate::yaml::location(&e),
            message: crate::yaml::message(&e),
        })?;
        for verdict in Verdict::ALL {
            if !wording.verdicts.contains_key(verdict.as_str()) {
                return Err(Error::DataSyntax {
                    origin,
                    location: None,
                    message: format!("no words for the verdict `{}`", verdict.as_str()),
                });
            }
        }
        Ok(wording)
    }

    /// The verdict's name, e.g. "Ready — to confirm".
    pub fn label(&self, verdict: Verdict) -> &str {
        self.verdicts
            .get(verdict.as_str())
            .map_or(verdict.as_str(), |w| w.label.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHIPPED: &str = include_str!("../../../templates/wording.yaml");

    #[test]
    fn the_shipped_file_words_every_verdict() {
        let wording = Wording::load(None, SHIPPED).unwrap();
        assert_eq!(wording.label(Verdict::ReadyToConfirm), "Ready — to confirm");
        assert!(Verdict::ALL
            .iter()
            .all(|v| !wording.verdicts[v.as_str()].note.is_empty()));
    }

    #[test]
    fn a_file_that_leaves_a_verdict_out_is_refused() {
        let text = "verdicts:\n  ready: {label: Ready, note: n}\n";
        let error = Wording::load(None, text).unwrap_err();
        assert!(error.to_string().contains("ready-to-confirm"), "{error}");
    }
}
