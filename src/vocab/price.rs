//! One estimated price with its source, as a fix or a route shows it.
//!
//! The table of prices and its loading are [`crate::knowledge::prices`]; this is only the entry
//! every stage passes around.

use super::reference::Reference;
use serde::{Deserialize, Serialize};

/// One price, as shown next to a fix.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Price {
    pub id: String,
    pub item: String,
    pub usd: f64,
    /// What one price buys: a licence, a device, an account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per: Option<String>,
    pub confidence: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub source: Reference,
    /// Always true: every price is an estimate.
    #[serde(default = "yes")]
    pub estimate: bool,
}

fn yes() -> bool {
    true
}
