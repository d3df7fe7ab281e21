//! Support status flips on the right day: every end date in rules/data/lifecycle.yaml is the
//! last day covered, so with `--as-of` on that day the product is supported (0 days left) and on
//! the next day it has ended. Judged in process, as `assess -f json --as-of` does; the table
//! test runs the binary, as a user would.

use assert_cmd::Command;
use std::path::PathBuf;
use std::sync::OnceLock;
use w7plan::facts::inventory::Inventory;
use w7plan::judge::assess::Assessment;
use w7plan::judge::rules::RuleSet;
use w7plan::knowledge::targets::Targets;
use w7plan::output::report::{Format, RenderOptions, Renderer};

fn assess(fixture: &str, as_of: &str) -> serde_json::Value {
    // The rules and templates load once for the dozens of dates here: starting the binary for
    // each took most of this file's time. The JSON is what `assess -f json` writes.
    static LOADED: OnceLock<(RuleSet, Renderer)> = OnceLock::new();
    let (rules, renderer) =
        LOADED.get_or_init(|| (RuleSet::load(None).unwrap(), Renderer::new(None).unwrap()));
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/inventories")
        .join(fixture);
    let inventory = Inventory::read(&path).unwrap();
    let as_of: jiff::civil::Date = as_of.parse().unwrap();
    let assessment = Assessment::new(&inventory, rules, &Targets::embedded().all(), as_of);
    let json = renderer
        .render(
            Format::Json,
            &assessment,
            &inventory,
            RenderOptions::default(),
        )
        .unwrap();
    serde_json::from_str(&json).unwrap()
}

fn next_day(date: &str) -> String {
    date.parse::<jiff::civil::Date>()
        .unwrap()
        .tomorrow()
        .unwrap()
        .to_string()
}

fn entry<'a>(json: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    json["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == id)
        .unwrap_or_else(|| panic!("no timeline entry {id}"))
}

/// (timeline id, last day)
const OPTIONS: &[(&str, &str)] = &[
    ("windows10-home-pro", "2025-10-14"),
    ("windows10-enterprise-education", "2025-10-14"),
    ("windows10-esu-consumer", "2026-10-13"),
    ("windows10-esu-commercial", "2028-10-10"),
    ("windows11-24h2-home-pro", "2026-10-13"),
    ("windows11-24h2-enterprise-education", "2027-10-12"),
    ("windows11-25h2-home-pro", "2027-10-12"),
    ("windows11-25h2-enterprise-education", "2028-10-10"),
    ("windows10-ltsc-2021", "2027-01-12"),
    ("windows10-iot-ltsc-2021", "2032-01-13"),
    ("windows10-ltsc-2019", "2029-01-09"),
    ("windows11-ltsc-2024", "2029-10-09"),
    ("windows11-iot-ltsc-2024", "2034-10-10"),
];

#[test]
fn every_option_flips_the_day_after_its_last_day() {
    for &(id, last) in OPTIONS {
        let on = assess("ivy-bridge-optiplex.yaml", last);
        let e = entry(&on, id);
        assert_eq!(e["status"], "supported", "{id} on {last}");
        assert_eq!(e["ends_on"], last, "{id} on {last}");
        assert_eq!(e["days_remaining"], 0, "{id} on {last}");
        let after = next_day(last);
        let off = assess("ivy-bridge-optiplex.yaml", &after);
        let e = entry(&off, id);
        assert_eq!(e["status"], "ended", "{id} on {after}");
        assert_eq!(e["ended_on"], last, "{id} on {after}");
        assert!(e.get("days_remaining").is_none(), "{id} on {after}");
    }
}

#[test]
fn the_current_os_and_its_esu_flip_too() {
    let support = |fixture: &str, as_of: &str| assess(fixture, as_of)["os"]["support"].clone();
    let s = support("ivy-bridge-optiplex.yaml", "2020-01-14");
    assert_eq!(
        (s["id"].as_str(), s["status"].as_str()),
        (Some("windows7"), Some("supported"))
    );
    assert_eq!(s["days_remaining"], 0);
    let s = support("ivy-bridge-optiplex.yaml", "2020-01-15");
    assert_eq!(s["status"], "ended");
    assert_eq!(s["ended_on"], "2020-01-14");
    assert_eq!(s["esu"]["status"], "supported");
    assert_eq!(
        support("ivy-bridge-optiplex.yaml", "2023-01-10")["esu"]["status"],
        "supported"
    );
    assert_eq!(
        support("ivy-bridge-optiplex.yaml", "2023-01-11")["esu"]["status"],
        "ended"
    );
    // A Windows 10 22H2 machine.
    let s = support("coffee-lake-ready.yaml", "2025-10-14");
    assert_eq!(
        (s["id"].as_str(), s["status"].as_str()),
        (Some("windows10-home-pro"), Some("supported"))
    );
    assert_eq!(
        support("coffee-lake-ready.yaml", "2025-10-15")["status"],
        "ended"
    );
}

#[test]
fn esu_years_and_unconfirmed_dates_are_marked() {
    let json = assess("ivy-bridge-optiplex.yaml", "2026-10-14");
    let commercial = entry(&json, "windows10-esu-commercial");
    assert_eq!(commercial["confirmed"], false);
    assert_eq!(commercial["stages"][0]["status"], "ended");
    assert_eq!(commercial["stages"][1]["status"], "supported");
    // Year 1 has ended: being covered now means buying years 1 and 2 (issue 11).
    assert!(commercial["price"].is_null());
    assert_eq!(commercial["cover"][0]["until"], "2027-10-12");
    assert_eq!(commercial["cover"][0]["cost_usd"], 183.0);
    assert_eq!(commercial["cover"][1]["cost_usd"], 427.0);
    let consumer = entry(&json, "windows10-esu-consumer");
    assert_eq!(consumer["status"], "ended");
    assert_eq!(consumer["extension"]["ends_on"], "2027-10-12");
    assert_eq!(consumer["extension"]["confirmed"], false);
    assert_eq!(entry(&json, "windows11-ltsc-2024")["confirmed"], false);
    assert_eq!(entry(&json, "windows10-ltsc-2021")["confirmed"], true);
}

#[test]
fn the_table_says_already_ended_and_days_left() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/inventories/ivy-bridge-optiplex.yaml");
    let out = Command::cargo_bin("w7plan")
        .unwrap()
        .args(["assess", "-f", "table", "--as-of", "2026-10-13"])
        .arg(path)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("This machine: Windows 7 (Service Pack 1), ended on 2020-01-14"),
        "{text}"
    );
    assert!(text.contains("last day today"), "{text}");
    assert!(text.contains("364 days left"), "{text}");
}
