//! Licence channels and the families they belong to, and the words Windows uses for them.
//!
//! Importers read a channel out of a Description with [`channel_from_description`]; deciding a
//! machine's channel from all its evidence is [`crate::judge::license`]'s job.

use serde::{Deserialize, Serialize};

/// A licence channel. The ids are those of WMI's `ProductKeyChannel` where it has one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Channel {
    Retail,
    OemSlp,
    OemNonSlp,
    OemDm,
    /// OEM, but the evidence (a Product ID) does not say which kind.
    Oem,
    VolumeMak,
    VolumeGvlk,
    /// A KMS host key (Description `VOLUME_KMS_C channel`); w7plan's name, not Microsoft's.
    VolumeKmsHost,
    /// `TIMEBASED_EVAL channel`.
    Evaluation,
}

/// The three ways a licence is sold, plus evaluation copies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Family {
    Retail,
    Oem,
    Volume,
    Evaluation,
}

impl Family {
    pub fn as_str(self) -> &'static str {
        match self {
            Family::Retail => "retail",
            Family::Oem => "oem",
            Family::Volume => "volume",
            Family::Evaluation => "evaluation",
        }
    }
}

impl Channel {
    pub fn id(self) -> &'static str {
        match self {
            Channel::Retail => "Retail",
            Channel::OemSlp => "OEM:SLP",
            Channel::OemNonSlp => "OEM:NONSLP",
            Channel::OemDm => "OEM:DM",
            Channel::Oem => "OEM",
            Channel::VolumeMak => "Volume:MAK",
            Channel::VolumeGvlk => "Volume:GVLK",
            Channel::VolumeKmsHost => "Volume:KMS-host",
            Channel::Evaluation => "Evaluation",
        }
    }

    pub fn family(self) -> Family {
        match self {
            Channel::Retail => Family::Retail,
            Channel::OemSlp | Channel::OemNonSlp | Channel::OemDm | Channel::Oem => Family::Oem,
            Channel::VolumeMak | Channel::VolumeGvlk | Channel::VolumeKmsHost => Family::Volume,
            Channel::Evaluation => Family::Evaluation,
        }
    }

    /// A recorded channel: the ids above in any case, `OEM:COA` for a COA sticker key, and the
    /// Description tokens.
    pub fn parse(text: &str) -> Option<Channel> {
        let t = text.trim().to_ascii_uppercase().replace([' ', '-'], "_");
        Some(match t.as_str() {
            "RETAIL" => Channel::Retail,
            "OEM:SLP" | "OEM_SLP" | "OEM_COA_SLP" => Channel::OemSlp,
            "OEM:NONSLP" | "OEM:COA" | "OEM_COA_NSLP" | "OEM_NONSLP" => Channel::OemNonSlp,
            "OEM:DM" | "OEM_DM" => Channel::OemDm,
            "OEM" => Channel::Oem,
            "VOLUME:MAK" | "VOLUME_MAK" => Channel::VolumeMak,
            "VOLUME:GVLK" | "VOLUME_KMSCLIENT" | "VOLUME_GVLK" => Channel::VolumeGvlk,
            "VOLUME:KMS_HOST" | "VOLUME_KMS_C" | "VOLUME:CSVLK" => Channel::VolumeKmsHost,
            "EVALUATION" | "TIMEBASED_EVAL" => Channel::Evaluation,
            _ => return None,
        })
    }
}

impl std::fmt::Display for Channel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

impl Serialize for Channel {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}

impl<'de> Deserialize<'de> for Channel {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Channel::parse(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown licence channel `{text}`")))
    }
}

/// The channel a SoftwareLicensingProduct / `slmgr /dli` Description names: the token between
/// its last comma and ` channel`, as in `Windows Operating System - Windows(R) 7, OEM_SLP
/// channel` or `Windows(R) Operating System, OEM_DM channel`. Known tokens: RETAIL, OEM_DM,
/// OEM_SLP, OEM_COA_SLP, OEM_COA_NSLP, VOLUME_MAK, VOLUME_KMSCLIENT, VOLUME_KMS_C (a KMS host)
/// and TIMEBASED_EVAL.
pub fn channel_from_description(description: &str) -> Option<Channel> {
    let text = description.trim();
    let lower = text.to_ascii_lowercase();
    let end = lower.rfind(" channel")?;
    let before = &text[..end];
    let token = before.rsplit(',').next()?.trim();
    Channel::parse(token)
}
