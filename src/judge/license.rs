//! The licence a machine holds: its channel and the evidence that decided it, what that channel
//! allows, the Windows 11 edition its edition corresponds to, and whether it activates Windows
//! 10/11 without buying a licence.
//!
//! This is the one place that reads a channel out of the evidence: the `license.channel` a
//! collector recorded, the raw SoftwareLicensingProduct / `slmgr /dli` Description (read with
//! [`crate::vocab::licence::channel_from_description`], which importers call too), Microsoft's
//! published KMS client keys ([`crate::knowledge::gvlk`]) and the Product ID's OEM marker. It
//! reports every piece of evidence
//! and which one decided, so a reader can see a disagreement. What the channel allows and the
//! edition map are data (`rules/data/licensing.yaml`); prices and "what to buy" are the licensing
//! rule pack's job, not this module's.

use crate::facts::inventory::{Inventory, License, OsFamily};
use crate::knowledge::gvlk::GvlkList;
use crate::vocab::licence::channel_from_description;
use crate::vocab::{Channel, Family};
use serde::{Deserialize, Serialize};

/// `Some(detail)` when a Product ID carries the OEM marker: `xxxxx-OEM-xxxxxxx-xxxxx` (Windows 7
/// and earlier) or a last group ending in `OEM` (`xxxxx-xxxxx-xxxxx-AAOEM`, Windows 8 and later,
/// as on the OEM:DM machine of glpi-agent's test data).
pub fn oem_marker(product_id: &str) -> Option<&'static str> {
    let groups: Vec<&str> = product_id.trim().split('-').collect();
    if groups.len() >= 3 && groups[1].eq_ignore_ascii_case("OEM") {
        return Some("its second group is `OEM`");
    }
    if groups.len() == 4 && groups[3].len() == 5 && groups[3].to_ascii_uppercase().ends_with("OEM")
    {
        return Some("its last group ends in `OEM`");
    }
    None
}

/// Which piece of evidence said something about the channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    /// `license.channel` as the collector recorded it.
    Channel,
    /// `license.description`, the SoftwareLicensingProduct / slmgr Description.
    Description,
    /// The full product key is one of Microsoft's published KMS client keys.
    ProductKey,
    /// The Product ID's OEM marker.
    ProductId,
    /// The last five characters match a published KMS client key.
    PartialKey,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Channel => "channel",
            Source::Description => "description",
            Source::ProductKey => "product-key",
            Source::ProductId => "product-id",
            Source::PartialKey => "partial-key",
        }
    }
}

/// One piece of evidence and what it says.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    pub source: Source,
    pub channel: Channel,
    /// The evidence in words, e.g. "the licence description ends in `OEM_SLP channel`".
    pub detail: String,
}

/// The channel and how it was decided.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChannelFinding {
    pub channel: Channel,
    pub family: Family,
    pub decided_by: Source,
    /// Every piece of evidence, the deciding one first.
    pub evidence: Vec<Evidence>,
    /// True when some evidence points to another family (e.g. a retail channel recorded for a
    /// published KMS client key).
    pub conflict: bool,
}

impl ChannelFinding {
    /// "because the product key is …; it agrees that the licence description reads …".
    pub fn explain(&self) -> String {
        let mut text = format!("because {}", self.evidence[0].detail);
        let (agree, disagree): (Vec<&Evidence>, Vec<&Evidence>) = self.evidence[1..]
            .iter()
            .partition(|e| e.channel.family() == self.family);
        if !agree.is_empty() {
            let parts: Vec<&str> = agree.iter().map(|e| e.detail.as_str()).collect();
            text.push_str(&format!("; it agrees that {}", parts.join(", and that ")));
        }
        if !disagree.is_empty() {
            let parts: Vec<String> = disagree
                .iter()
                .map(|e| format!("{} (which suggests {})", e.detail, e.channel))
                .collect();
            text.push_str(&format!(
                "; but {}: check which is right",
                parts.join(", and ")
            ));
        }
        text
    }
}

/// Gathers the evidence in order of precedence: the recorded channel, the Description, a
/// published KMS client key, the Product ID's OEM marker, and a partial key matching the last
/// group of a published KMS client key. `Err` says why nothing could be told.
pub fn channel_of(
    license: Option<&License>,
    gvlks: &GvlkList,
) -> std::result::Result<ChannelFinding, String> {
    let Some(license) = license else {
        return Err("no licence facts were collected".into());
    };
    let mut evidence = Vec::new();
    let mut unreadable = Vec::new();
    if let Some(recorded) = license.channel.as_deref().filter(|c| !c.trim().is_empty()) {
        match Channel::parse(recorded) {
            Some(channel) => evidence.push(Evidence {
                source: Source::Channel,
                channel,
                detail: format!(
                    "the collector recorded the channel as `{}`",
                    recorded.trim()
                ),
            }),
            None => unreadable.push(format!(
                "the recorded channel `{}` is not one w7plan knows",
                recorded.trim()
            )),
        }
    }
    if let Some(description) = license
        .description
        .as_deref()
        .filter(|d| !d.trim().is_empty())
    {
        match channel_from_description(description) {
            Some(channel) => evidence.push(Evidence {
                source: Source::Description,
                channel,
                detail: format!("the licence description reads `{}`", description.trim()),
            }),
            None => unreadable.push(format!(
                "the licence description `{}` names no channel w7plan knows",
                description.trim()
            )),
        }
    }
    let full_key = license
        .product_key
        .as_deref()
        .filter(|k| !crate::facts::productkey::is_masked(k));
    if let Some(gvlk) = full_key.and_then(|k| gvlks.find(k)) {
        evidence.push(Evidence {
            source: Source::ProductKey,
            channel: Channel::VolumeGvlk,
            detail: format!(
                "the product key is Microsoft's published KMS client key for {}",
                gvlk.edition
            ),
        });
    }
    if let Some(product_id) = license.product_id.as_deref() {
        if let Some(marker) = oem_marker(product_id) {
            evidence.push(Evidence {
                source: Source::ProductId,
                channel: Channel::Oem,
                detail: format!(
                    "the Product ID {} carries the OEM marker: {marker}",
                    product_id.trim()
                ),
            });
        }
    }
    if full_key.is_none() {
        let partial = license.partial_key.clone().or_else(|| {
            license
                .product_key
                .as_deref()
                .and_then(crate::facts::productkey::last_group)
        });
        if let Some(partial) = partial {
            if let [gvlk] = gvlks.find_by_last_group(&partial).as_slice() {
                evidence.push(Evidence {
                    source: Source::PartialKey,
                    channel: Channel::VolumeGvlk,
                    detail: format!(
                        "the last five characters of the key ({}) are those of Microsoft's published KMS client key for {}",
                        partial.trim().to_ascii_uppercase(),
                        gvlk.edition
                    ),
                });
            }
        }
    }
    let Some(first) = evidence.first() else {
        unreadable.insert(
            0,
            "no channel, licence description, published KMS client key or Product ID OEM marker was found".into(),
        );
        return Err(unreadable.join("; "));
    };
    let channel = first.channel;
    let family = channel.family();
    Ok(ChannelFinding {
        channel,
        family,
        decided_by: first.source,
        conflict: evidence.iter().any(|e| e.channel.family() != family),
        evidence,
    })
}

// ---------------------------------------------------------------------------------------------
// Whether the licence activates Windows 10/11
// ---------------------------------------------------------------------------------------------

/// Whether the licence this machine holds activates Windows 10/11 without buying one, or why
/// that cannot be told.
///
/// A licensed Windows 10 or 11 holds a digital licence, and the upgrade from Windows 10 to 11 is
/// free. A Windows 7 or 8 key no longer activates Windows 10/11 (Microsoft closed that path in
/// September 2023), so a Windows 7 machine needs a new licence, unless it already received a
/// Windows 10/11 digital licence during the free offer (which its own evidence cannot show) or its
/// organisation's volume licensing covers it: a volume channel leaves this undecided.
pub fn carries_over(
    inventory: &Inventory,
    channel: Option<&ChannelFinding>,
) -> std::result::Result<bool, String> {
    let Some(os) = inventory.os.as_ref() else {
        return Err("the operating system was not collected".into());
    };
    if matches!(os.family, Some(OsFamily::Linux | OsFamily::Macos)) {
        return Err("the machine is not running Windows".into());
    }
    let major = os
        .version
        .as_deref()
        .and_then(|v| v.trim().split('.').next()?.parse::<u32>().ok());
    match major {
        Some(10..) => {
            let status = inventory
                .license
                .as_ref()
                .and_then(|l| l.status.as_deref())
                .map(|s| s.trim().to_ascii_lowercase());
            match status.as_deref() {
                Some("licensed") => Ok(true),
                Some(other) => Err(format!(
                    "Windows reports the licence as `{other}`, not licensed, so whether it holds a digital licence is unclear"
                )),
                None => Err("the licence status was not collected; a licensed Windows 10/11 holds a digital licence".into()),
            }
        }
        Some(_) => match channel.map(|c| c.family) {
            Some(Family::Volume) => Err(
                "a volume licence: it depends on the organisation's agreement (Software Assurance, or Windows Enterprise E3/E5 subscriptions)"
                    .into(),
            ),
            Some(_) => Ok(false),
            // Nothing known is not "no licence": it may be volume-licensed, or the PC may
            // already hold a Windows 10/11 digital licence.
            None => Err(
                "the licence was not collected (no channel, key or product ID): it could be a volume licence covered by the organisation's agreement, and a PC once upgraded to Windows 10 may already hold a digital licence"
                    .into(),
            ),
        },
        None => Err("the Windows version was not collected".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::Knowledge;

    #[test]
    fn reads_the_channel_from_descriptions() {
        let cases = [
            (
                "Windows Operating System - Windows(R) 7, OEM_SLP channel",
                Channel::OemSlp,
            ),
            (
                "Windows Operating System - Windows(R) 7, VOLUME_KMSCLIENT channel",
                Channel::VolumeGvlk,
            ),
            (
                "Windows(R) Operating System, OEM_DM channel",
                Channel::OemDm,
            ),
            (
                "Windows Operating System - Windows(R) 7, RETAIL channel",
                Channel::Retail,
            ),
            (
                "Windows Operating System - Windows(R) 7, OEM_COA_NSLP channel",
                Channel::OemNonSlp,
            ),
            (
                "Windows Operating System - Windows(R) 7, OEM_COA_SLP channel",
                Channel::OemSlp,
            ),
            (
                "Windows Operating System - Windows(R) 7, VOLUME_MAK channel",
                Channel::VolumeMak,
            ),
            (
                "Windows Operating System - Windows(R) 7, VOLUME_KMS_C channel",
                Channel::VolumeKmsHost,
            ),
            (
                "Windows(R) Operating System, TIMEBASED_EVAL channel",
                Channel::Evaluation,
            ),
            (
                "  windows(r) operating system, retail CHANNEL\r\n",
                Channel::Retail,
            ),
        ];
        for (text, channel) in cases {
            assert_eq!(channel_from_description(text), Some(channel), "{text}");
        }
        assert_eq!(
            channel_from_description("Windows(R) Operating System"),
            None
        );
        assert_eq!(channel_from_description("Windows, MYSTERY channel"), None);
        assert_eq!(channel_from_description(""), None);
    }

    #[test]
    fn oem_markers() {
        assert!(oem_marker("00371-OEM-8992671-00008").is_some());
        assert!(oem_marker("00180-10539-52840-AAOEM").is_some());
        assert!(oem_marker("55041-029-0047897-86624").is_none());
        assert!(oem_marker("00330-80000-00000-AA965").is_none());
    }

    fn license(yaml: &str) -> License {
        crate::yaml::from_str(yaml).unwrap()
    }

    #[test]
    fn precedence_and_provenance() {
        let l = license("{channel: 'OEM:SLP', description: 'Windows Operating System - Windows(R) 7, OEM_SLP channel', product_id: 00371-OEM-8992671-00008}");
        let f = channel_of(Some(&l), Knowledge::embedded().gvlks()).unwrap();
        assert_eq!(f.channel, Channel::OemSlp);
        assert_eq!(f.decided_by, Source::Channel);
        assert_eq!(f.evidence.len(), 3);
        assert!(!f.conflict);
        assert!(f.explain().contains("it agrees that"), "{}", f.explain());

        let gvlk = license("{product_key: fj82h-xt6cr-j8d7p-xqjj2-gpdd4}");
        let f = channel_of(Some(&gvlk), Knowledge::embedded().gvlks()).unwrap();
        assert_eq!(f.channel, Channel::VolumeGvlk);
        assert_eq!(f.decided_by, Source::ProductKey);
        assert!(f.evidence[0].detail.contains("Windows 7 Professional"));

        let clash = license("{channel: Retail, product_key: FJ82H-XT6CR-J8D7P-XQJJ2-GPDD4}");
        let f = channel_of(Some(&clash), Knowledge::embedded().gvlks()).unwrap();
        assert_eq!(f.channel, Channel::Retail);
        assert!(f.conflict);
        assert!(
            f.explain().contains("check which is right"),
            "{}",
            f.explain()
        );

        let partial = license("{partial_key: HVTHH}");
        let f = channel_of(Some(&partial), Knowledge::embedded().gvlks()).unwrap();
        assert_eq!(
            (f.channel, f.decided_by),
            (Channel::VolumeGvlk, Source::PartialKey)
        );

        let oem = license("{product_id: 00371-OEM-8992671-00008, partial_key: GPDD5}");
        assert_eq!(
            channel_of(Some(&oem), Knowledge::embedded().gvlks())
                .unwrap()
                .channel,
            Channel::Oem
        );

        let junk = license("{channel: Mystery, partial_key: ABCDE}");
        let why = channel_of(Some(&junk), Knowledge::embedded().gvlks()).unwrap_err();
        assert!(why.contains("`Mystery` is not one w7plan knows"), "{why}");
        assert!(channel_of(None, Knowledge::embedded().gvlks()).is_err());
    }

    #[test]
    fn editions_map_like_for_like() {
        let data = Knowledge::embedded().licensing().clone();
        let cases = [
            (Some("Starter"), None, Some("Home")),
            (Some("HomeBasic"), None, Some("Home")),
            (Some("Home Premium"), None, Some("Home")),
            (Some("HomePremiumN"), None, Some("Home")),
            (Some("Professional"), None, Some("Pro")),
            (Some("ProfessionalE"), None, Some("Pro")),
            (Some("Ultimate"), None, Some("Pro")),
            (Some("Enterprise"), None, Some("Enterprise")),
            (Some("EnterpriseN"), None, Some("Enterprise")),
            (None, Some("Microsoft Windows 7 Home Premium"), Some("Home")),
            (None, Some("Microsoft Windows 7 Ultimate "), Some("Pro")),
            (Some("Mystery"), Some("Debian GNU/Linux 12"), None),
        ];
        for (edition, name, want) in cases {
            assert_eq!(
                data.windows11_edition(edition, name),
                want,
                "{edition:?} {name:?}"
            );
        }
        assert_eq!(data.rights(Family::Oem).transferable, Some(false));
    }
}
