//! Support lifecycles: which Windows product a machine runs, and whether it and each option it
//! could move to is still supported on a given day, from `rules/data/lifecycle.yaml`.
//!
//! An end date is the last day covered, in US Pacific time, inclusive: on it a product is still
//! supported, the day after it has ended. The assessment date is taken as that calendar day;
//! this module does not convert time zones. It judges nothing about hardware or licences.

use crate::error::{Origin, Result};
use crate::facts::inventory::{Os, OsFamily};
use crate::vocab::Reference;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// One product (or Extended Security Updates programme) as the data file describes it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub id: String,
    pub product: String,
    pub editions: String,
    pub starts_on: Date,
    #[serde(default)]
    pub mainstream_ends_on: Option<Date>,
    /// The last day of security updates (Pacific time), inclusive.
    pub ends_on: Date,
    /// The id of the product's Extended Security Updates entry, if it has one.
    #[serde(default)]
    pub esu: Option<String>,
    #[serde(default)]
    pub stages: Vec<Stage>,
    #[serde(default)]
    pub extension: Option<Extension>,
    /// Whether a Windows 7 machine could move to it: shown in every timeline.
    #[serde(default)]
    pub option: bool,
    /// The price-table entry that buys it (Extended Security Updates).
    #[serde(default)]
    pub price: Option<String>,
    #[serde(default = "yes")]
    pub confirmed: bool,
    #[serde(default)]
    pub note: Option<String>,
    pub confidence: String,
    pub source: Reference,
}

fn yes() -> bool {
    true
}

/// A paid year of an Extended Security Updates programme.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stage {
    pub name: String,
    pub ends_on: Date,
    /// The price-table entry of this year, for a programme sold a year at a time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price: Option<String>,
}

/// What it costs, as of a day, to be covered to the end of one paid year of a programme sold
/// cumulatively: every year up to that one is bought, the ones already past included.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cover {
    /// The last day covered.
    pub until: Date,
    pub cost_usd: f64,
    /// The years paid for, by name (the past ones included).
    pub years: Vec<String>,
}

/// The cover an entry sells from `as_of`: one [`Cover`] per year that has not ended, with the
/// prices of all the years bought. Empty when the entry's years carry no price; `Err` names a
/// year whose price the table lacks.
pub fn cover(
    entry: &Entry,
    as_of: Date,
    prices: &crate::knowledge::prices::Prices,
) -> std::result::Result<(Vec<Cover>, Vec<crate::vocab::Price>), String> {
    let mut bought: Vec<crate::vocab::Price> = Vec::new();
    let mut years: Vec<String> = Vec::new();
    let mut covers = Vec::new();
    if entry.stages.iter().all(|s| s.price.is_none()) {
        return Ok((covers, bought));
    }
    for stage in &entry.stages {
        let id = stage
            .price
            .as_deref()
            .ok_or_else(|| format!("no price for {} of {}", stage.name, entry.product))?;
        let price = prices
            .get(id)
            .ok_or_else(|| format!("no price for `{id}`"))?;
        bought.push(price.clone());
        years.push(stage.name.clone());
        if stage.ends_on >= as_of {
            covers.push(Cover {
                until: stage.ends_on,
                cost_usd: bought.iter().map(|p| p.usd).sum(),
                years: years.clone(),
            });
        }
    }
    let last = covers.last().map_or(0, |c| c.years.len());
    bought.truncate(last);
    Ok((covers, bought))
}

/// A later end that has been reported but is not confirmed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Extension {
    pub ends_on: Date,
    pub confirmed: bool,
    pub note: String,
    pub source: Reference,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    entries: Vec<Entry>,
}

/// Where a product stands on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Released, and the day is on or before its last day.
    Supported,
    /// The day is after its last day.
    Ended,
    /// Not released yet on that day.
    Upcoming,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Supported => "supported",
            Status::Ended => "ended",
            Status::Upcoming => "upcoming",
        }
    }
}

/// A product's support as of a day: the assessment's `os.support` and each `timeline` entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Support {
    pub id: String,
    pub product: String,
    pub editions: String,
    pub status: Status,
    pub starts_on: Date,
    /// The last day covered, when that is today or later.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ends_on: Option<Date>,
    /// The last day covered, when it has passed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended_on: Option<Date>,
    /// Days after the assessment date that are still covered: 0 on the last day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days_remaining: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mainstream_ends_on: Option<Date>,
    /// Paid years of an Extended Security Updates programme, each with its own status.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stages: Vec<StageSupport>,
    /// A later end that has been reported but is not confirmed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extension: Option<Extension>,
    /// The product's Extended Security Updates, for the current OS.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub esu: Option<Box<Support>>,
    /// False when the end date is not confirmed from a Microsoft source.
    pub confirmed: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// What it costs, when it is bought (the price-table entry the data names); absent once
    /// it has ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price: Option<crate::vocab::Price>,
    /// For a programme sold a year at a time: what it costs from the assessment date to be
    /// covered to the end of each year still to come.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cover: Vec<Cover>,
    pub source: Reference,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StageSupport {
    pub name: String,
    pub status: Status,
    pub ends_on: Date,
}

/// Where `as_of` falls between `starts_on` and the inclusive `ends_on`.
pub fn status_on(starts_on: Date, ends_on: Date, as_of: Date) -> Status {
    if as_of < starts_on {
        Status::Upcoming
    } else if as_of <= ends_on {
        Status::Supported
    } else {
        Status::Ended
    }
}

/// The lifecycle data shipped with w7plan.
#[derive(Debug, Clone)]
pub struct Lifecycle {
    entries: Vec<Entry>,
}

impl Lifecycle {
    pub fn parse(text: &str, origin: &Origin) -> Result<Lifecycle> {
        let file: File = crate::knowledge::parse_data(text, origin)?;
        let invalid = |message: String| crate::Error::DataSyntax {
            origin: origin.clone(),
            location: None,
            message,
        };
        for entry in &file.entries {
            if entry.ends_on < entry.starts_on {
                return Err(invalid(format!("`{}` ends before it starts", entry.id)));
            }
            if let Some(esu) = &entry.esu {
                if !file.entries.iter().any(|e| &e.id == esu) {
                    return Err(invalid(format!(
                        "`{}` names ESU entry `{esu}`, which is not in the file",
                        entry.id
                    )));
                }
            }
            if file.entries.iter().filter(|e| e.id == entry.id).count() > 1 {
                return Err(invalid(format!("`{}` is listed twice", entry.id)));
            }
        }
        Ok(Lifecycle {
            entries: file.entries,
        })
    }

    /// The data shipped with w7plan, parsed on first use.
    pub fn embedded() -> &'static Lifecycle {
        static DATA: OnceLock<Lifecycle> = OnceLock::new();
        DATA.get_or_init(|| {
            let text = crate::knowledge::embedded_data("lifecycle.yaml")
                .expect("rules/data/lifecycle.yaml is embedded");
            // A test parses the shipped file, so this only fires on a broken build.
            Lifecycle::parse(text, &Origin("rules/data/lifecycle.yaml (built in)".into()))
                .unwrap_or_else(|e| panic!("the built-in lifecycle data is broken: {e}"))
        })
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    pub fn get(&self, id: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.id == id)
    }

    /// An entry's support on `as_of`, with its ESU when `with_esu`.
    pub fn support(&self, entry: &Entry, as_of: Date, with_esu: bool) -> Support {
        let status = status_on(entry.starts_on, entry.ends_on, as_of);
        let (ends_on, ended_on, days_remaining) = match status {
            Status::Ended => (None, Some(entry.ends_on), None),
            _ => (
                Some(entry.ends_on),
                None,
                Some(i64::from((entry.ends_on - as_of).get_days())),
            ),
        };
        let esu = entry
            .esu
            .as_deref()
            .filter(|_| with_esu)
            .and_then(|id| self.get(id))
            .map(|e| Box::new(self.support(e, as_of, false)));
        Support {
            id: entry.id.clone(),
            product: entry.product.clone(),
            editions: entry.editions.clone(),
            status,
            starts_on: entry.starts_on,
            ends_on,
            ended_on,
            days_remaining,
            mainstream_ends_on: entry.mainstream_ends_on,
            stages: entry
                .stages
                .iter()
                .scan(entry.starts_on, |starts_on, s| {
                    let stage = StageSupport {
                        name: s.name.clone(),
                        status: status_on(*starts_on, s.ends_on, as_of),
                        ends_on: s.ends_on,
                    };
                    *starts_on = s.ends_on.tomorrow().unwrap_or(s.ends_on);
                    Some(stage)
                })
                .collect(),
            extension: entry.extension.clone(),
            esu,
            confirmed: entry.confirmed,
            note: entry.note.clone(),
            price: None,
            cover: Vec::new(),
            source: entry.source.clone(),
        }
    }

    /// The current OS's support on `as_of`, or why it cannot be told.
    pub fn current(&self, os: Option<&Os>, as_of: Date) -> std::result::Result<Support, String> {
        let id = current_product(os)?;
        let entry = self
            .get(id)
            .ok_or_else(|| format!("the lifecycle data has no entry `{id}`"))?;
        Ok(self.support(entry, as_of, true))
    }

    /// The options a Windows 7 machine could move to, in the data file's order, priced from
    /// `prices` where the data names a price (and the option has not ended), with the
    /// cumulative cost of each year still to come where its years are priced.
    pub fn options(&self, as_of: Date, prices: &crate::knowledge::prices::Prices) -> Vec<Support> {
        self.entries
            .iter()
            .filter(|e| e.option)
            .map(|e| {
                let support = self.support(e, as_of, false);
                let ended = support.status == Status::Ended;
                let (cover, bought) = cover(e, as_of, prices).unwrap_or_default();
                let price = if !bought.is_empty() || ended {
                    None
                } else {
                    e.price.as_deref().and_then(|id| prices.get(id)).cloned()
                };
                Support {
                    price,
                    cover,
                    ..support
                }
            })
            .collect()
    }
}

/// The lifecycle entry of a Windows 11 general-availability version.
fn windows11_entry(version: &str, enterprise: bool) -> &'static str {
    match (version, enterprise) {
        ("21h2", false) => "windows11-21h2-home-pro",
        ("21h2", true) => "windows11-21h2-enterprise-education",
        ("22h2", false) => "windows11-22h2-home-pro",
        ("22h2", true) => "windows11-22h2-enterprise-education",
        ("23h2", false) => "windows11-23h2-home-pro",
        ("23h2", true) => "windows11-23h2-enterprise-education",
        ("24h2", false) => "windows11-24h2-home-pro",
        ("24h2", true) => "windows11-24h2-enterprise-education",
        ("25h2", false) => "windows11-25h2-home-pro",
        ("25h2", true) => "windows11-25h2-enterprise-education",
        (_, false) => "windows11-26h2-home-pro",
        (_, true) => "windows11-26h2-enterprise-education",
    }
}

/// Which lifecycle entry the inventory's OS is, or why that cannot be told.
///
/// Windows 7 is told apart by version 6.1 and its service pack (or build 7600/7601), the embedded
/// variants by name. Windows 10 is taken as its final version, 22H2, whose end (2025-10-14) is
/// also the last day of any Windows 10 outside LTSC. Windows 11 versions are told by build:
/// 26100 is 24H2 (Microsoft's LTSC 2024 documentation names it); 22000, 22621, 22631, 26200
/// and 26300 (21H2 to 26H2) come from third-party tables of Microsoft's release information
/// (e.g. NVDA's version table, WindowsOSBuild); other builds are left unknown.
pub fn current_product(os: Option<&Os>) -> std::result::Result<&'static str, String> {
    let Some(os) = os else {
        return Err("the operating system was not collected".into());
    };
    if matches!(os.family, Some(OsFamily::Linux | OsFamily::Macos)) {
        return Err("the machine is not running Windows".into());
    }
    let name = os.name.as_deref().unwrap_or_default().to_ascii_lowercase();
    let edition = os
        .edition
        .as_deref()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let version = os.version.as_deref().map(str::trim);
    let named = |n: &str| name.contains(n);
    let windows7 = version == Some("6.1") || named("windows 7");
    if windows7 || named("embedded standard 7") || named("posready 7") {
        if named("posready") {
            return Ok("windows-embedded-posready-7");
        }
        if named("embedded standard") {
            return Ok("windows-embedded-standard-7");
        }
        let rtm =
            os.service_pack == Some(0) || (os.service_pack.is_none() && os.build == Some(7600));
        return Ok(if rtm { "windows7-rtm" } else { "windows7" });
    }
    let ten = version.is_some_and(|v| v == "10.0" || v.starts_with("10.0."));
    if !(ten || named("windows 10") || named("windows 11")) {
        return Err(match os.name.as_deref().or(version) {
            Some(what) => format!("w7plan's lifecycle data does not cover `{what}`"),
            None => "neither the name nor the version of the operating system was collected".into(),
        });
    }
    let enterprise = ["enterprise", "education"]
        .iter()
        .any(|e| name.contains(e) || edition.contains(e));
    if named("ltsc") || named("ltsb") {
        let iot = named("iot");
        // The release is in the name, or else in the build: Microsoft's LTSC pages name 26100
        // for LTSC 2024, 19044 for LTSC 2021 and 17763 for LTSC 2019.
        let build = os.build;
        let (y2024, y2021, y2019) = (
            named("2024") || build == Some(26100),
            named("2021") || build == Some(19044),
            named("2019") || build == Some(17763),
        );
        return match (y2024, y2021, y2019, iot) {
            (true, _, _, false) => Ok("windows11-ltsc-2024"),
            (true, _, _, true) => Ok("windows11-iot-ltsc-2024"),
            (_, true, _, false) => Ok("windows10-ltsc-2021"),
            (_, true, _, true) => Ok("windows10-iot-ltsc-2021"),
            (_, _, true, false) => Ok("windows10-ltsc-2019"),
            (_, _, true, true) => Ok("windows10-iot-ltsc-2019"),
            _ => Err(format!(
                "w7plan's lifecycle data does not cover `{}`",
                os.name.as_deref().unwrap_or("this LTSC/LTSB release")
            )),
        };
    }
    let eleven = named("windows 11") || os.build.is_some_and(|b| b >= 22000);
    if eleven {
        let version = match os.build {
            Some(22000) => Some("21h2"),
            Some(22621) => Some("22h2"),
            Some(22631) => Some("23h2"),
            Some(26100) => Some("24h2"),
            Some(26200) => Some("25h2"),
            Some(26300) => Some("26h2"),
            _ => None,
        };
        return match (version, os.build) {
            (Some(version), _) => Ok(windows11_entry(version, enterprise)),
            (None, Some(build)) => Err(format!(
                "w7plan's lifecycle data does not know which Windows 11 version build {build} is"
            )),
            (None, _) => Err("the Windows 11 build was not collected, so its version and support end are unknown".into()),
        };
    }
    Ok(if enterprise {
        "windows10-enterprise-education"
    } else {
        "windows10-home-pro"
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn os(name: &str, version: &str, build: u32, sp: Option<u32>) -> Os {
        Os {
            family: Some(OsFamily::Windows),
            name: Some(name.into()),
            version: Some(version.into()),
            build: Some(build),
            service_pack: sp,
            ..Os::default()
        }
    }

    #[test]
    fn the_shipped_data_parses() {
        let data = Lifecycle::embedded();
        assert!(data.entries().len() >= 20);
        let prices = crate::knowledge::prices::Prices::embedded();
        let options = data.options(date(2026, 10, 13), prices);
        assert!(options.len() >= 10);
        for entry in data.entries() {
            if let Some(id) = &entry.price {
                assert!(prices.get(id).is_some(), "{}: no price `{id}`", entry.id);
            }
        }
        let esu = options
            .iter()
            .find(|o| o.id == "windows10-esu-consumer")
            .unwrap();
        assert_eq!(esu.price.as_ref().unwrap().usd, 30.0);
    }

    #[test]
    fn the_end_day_is_still_supported() {
        let data = Lifecycle::embedded();
        let w7 = data.get("windows7").unwrap();
        let last = data.support(w7, date(2020, 1, 14), true);
        assert_eq!(last.status, Status::Supported);
        assert_eq!(last.days_remaining, Some(0));
        assert_eq!(last.ends_on, Some(date(2020, 1, 14)));
        let after = data.support(w7, date(2020, 1, 15), true);
        assert_eq!(after.status, Status::Ended);
        assert_eq!(after.ended_on, Some(date(2020, 1, 14)));
        assert_eq!(after.days_remaining, None);
        let esu = after.esu.unwrap();
        assert_eq!(esu.status, Status::Supported);
        assert_eq!(esu.stages[0].status, Status::Supported);
        assert_eq!(esu.stages[1].status, Status::Upcoming);
        assert_eq!(esu.days_remaining, Some(1091));
        let before = data.support(w7, date(2011, 2, 21), false);
        assert_eq!(before.status, Status::Upcoming);
    }

    #[test]
    fn tells_the_current_product() {
        let cases = [
            (
                os("Microsoft Windows 7 Professional", "6.1", 7601, Some(1)),
                "windows7",
            ),
            (
                os("Microsoft Windows 7 Professional", "6.1", 7600, None),
                "windows7-rtm",
            ),
            (
                os("Microsoft Windows 7 Ultimate", "6.1", 7600, Some(0)),
                "windows7-rtm",
            ),
            (
                os("Windows Embedded Standard 7", "6.1", 7601, Some(1)),
                "windows-embedded-standard-7",
            ),
            (
                os("Microsoft Windows 10 Pro", "10.0", 19045, None),
                "windows10-home-pro",
            ),
            (
                os("Microsoft Windows 10 Enterprise", "10.0", 19045, None),
                "windows10-enterprise-education",
            ),
            (
                os(
                    "Microsoft Windows 10 Enterprise LTSC 2021",
                    "10.0",
                    19044,
                    None,
                ),
                "windows10-ltsc-2021",
            ),
            (
                os("Microsoft Windows 11 Pro", "10.0", 26100, None),
                "windows11-24h2-home-pro",
            ),
            (
                os("Microsoft Windows 11 Enterprise", "10.0", 26100, None),
                "windows11-24h2-enterprise-education",
            ),
            (
                os(
                    "Microsoft Windows 11 IoT Enterprise LTSC 2024",
                    "10.0",
                    26100,
                    None,
                ),
                "windows11-iot-ltsc-2024",
            ),
        ];
        for (os, id) in cases {
            assert_eq!(current_product(Some(&os)), Ok(id), "{:?}", os.name);
        }
        assert!(current_product(None).is_err());
        let w11_23h2 = os("Microsoft Windows 11 Pro", "10.0", 22631, None);
        assert_eq!(
            current_product(Some(&w11_23h2)),
            Ok("windows11-23h2-home-pro")
        );
        let w11_unknown = os("Microsoft Windows 11 Pro", "10.0", 27000, None);
        assert!(current_product(Some(&w11_unknown))
            .unwrap_err()
            .contains("27000"));
        let ltsc = os("Microsoft Windows 11 Enterprise LTSC", "10.0", 26100, None);
        assert_eq!(current_product(Some(&ltsc)), Ok("windows11-ltsc-2024"));
        let linux = Os {
            family: Some(OsFamily::Linux),
            ..Os::default()
        };
        assert!(current_product(Some(&linux)).is_err());
        let xp = os("Microsoft Windows XP Professional", "5.1", 2600, Some(3));
        assert!(current_product(Some(&xp))
            .unwrap_err()
            .contains("Windows XP"));
    }
}
