//! The Windows a machine could move to: the targets every stage names.
//!
//! Only the ids, titles and the `--target` selection live here; what each target requires is
//! in the rule packs.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};

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
