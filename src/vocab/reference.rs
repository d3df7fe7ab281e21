//! A public source: what every price, lifecycle date, licence right and check cites.

use serde::{Deserialize, Serialize};

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
