//! `plan.licence`: the licence a machine holds, what it allows, and the licensing pack's checks.
//!
//! Built from the facts the enrich stage derived and the licensing data; it decides nothing
//! itself (the channel is [`crate::judge::license`]'s finding, prices are the licensing pack's).
//! The full product key is kept only for [`crate::judge::assess::Assessment::shown`].

use crate::facts::inventory::Inventory;
use crate::judge::enrich::Derived;
use crate::judge::license::{ChannelFinding, Evidence};
use crate::knowledge::licensing::LicensingData;
use crate::knowledge::Knowledge;
use crate::vocab::{CheckResult, Family, Reference};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// `plan.licence`: the licence this machine holds, what it allows, and the licensing path.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LicencePlan {
    /// The edition as collected (os.edition).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edition: Option<String>,
    /// The like-for-like Windows 11 edition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub windows11_edition: Option<String>,
    /// Masked (`XXXXX-XXXXX-XXXXX-XXXXX-GPDD4`) unless keys are revealed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_key: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partial_key: Option<String>,
    /// classic (Windows 7 and earlier) | with-n (Windows 8 and later) | invalid
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_form: Option<String>,
    /// The edition whose published KMS client key this is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gvlk: Option<String>,
    /// Windows's licence status as collected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<ChannelView>,
    /// Whether the licence held activates Windows 10/11 without buying one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub carries_over: Option<bool>,
    /// Why a licence fact above is missing, by field name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub unknown: BTreeMap<String, String>,
    /// The licensing pack's checks (`section: licence`), in pack order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<CheckResult>,
    /// The full key, for [`crate::judge::assess::Assessment::shown`] only; never serialized.
    #[serde(skip)]
    pub(crate) full_key: Option<String>,
}

/// `plan.licence.channel`: the channel, how it was decided and what it allows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChannelView {
    pub id: String,
    pub family: Family,
    /// Which evidence decided: channel | description | product-key | product-id | partial-key
    pub decided_by: crate::judge::license::Source,
    /// The decision in words, with any evidence that agrees or disagrees.
    pub how: String,
    pub evidence: Vec<Evidence>,
    pub conflict: bool,
    pub allows: String,
    /// Whether the licence may move to another device; absent when the agreement decides.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transferable: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unconfirmed: Option<String>,
    pub sources: Vec<Reference>,
}

impl ChannelView {
    fn new(finding: &ChannelFinding, licensing: &LicensingData) -> ChannelView {
        let rights = licensing.rights(finding.family);
        ChannelView {
            id: finding.channel.id().to_string(),
            family: finding.family,
            decided_by: finding.decided_by,
            how: finding.explain(),
            evidence: finding.evidence.clone(),
            conflict: finding.conflict,
            allows: rights.allows.trim().to_string(),
            transferable: rights.transferable,
            unconfirmed: rights.unconfirmed.clone(),
            sources: rights.sources.clone(),
        }
    }
}

impl LicencePlan {
    pub fn new(
        inventory: &Inventory,
        derived: &Derived,
        knowledge: &Knowledge,
        checks: Vec<CheckResult>,
    ) -> LicencePlan {
        let license = inventory.license.clone().unwrap_or_default();
        let full_key = license
            .product_key
            .clone()
            .filter(|k| !crate::facts::productkey::is_masked(k));
        let key_form = match (
            derived.license.key_valid,
            derived.license.key_form.as_deref(),
        ) {
            (Some(false), _) => Some("invalid".to_string()),
            (_, form) => form.map(str::to_string),
        };
        let mut unknown = BTreeMap::new();
        for (path, field) in [
            ("license.channel", "channel"),
            ("license.windows11_edition", "windows11_edition"),
            ("license.carries_over", "carries_over"),
        ] {
            if let Some(why) = derived.unknown.get(path) {
                unknown.insert(field.to_string(), why.clone());
            }
        }
        LicencePlan {
            edition: inventory.os.as_ref().and_then(|o| o.edition.clone()),
            windows11_edition: derived.license.windows11_edition.clone(),
            product_key: license
                .product_key
                .as_deref()
                .map(crate::facts::productkey::mask),
            partial_key: license.partial_key.clone().or_else(|| {
                license
                    .product_key
                    .as_deref()
                    .and_then(crate::facts::productkey::last_group)
            }),
            key_form,
            gvlk: derived.license.gvlk_edition.clone(),
            status: license.status.clone(),
            product_id: license.product_id.clone(),
            channel: derived
                .license
                .finding
                .as_ref()
                .map(|finding| ChannelView::new(finding, knowledge.licensing())),
            carries_over: derived.license.carries_over,
            unknown,
            checks,
            full_key,
        }
    }
}
