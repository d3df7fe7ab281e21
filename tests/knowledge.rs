//! `--rules DIR` reaches every data file, through the binary as a user runs it: a lifecycle date,
//! a processor list entry, a licence right, the CPU family rule's numbers and the target list
//! changed there change the report, and a file there that w7plan does not read is named on
//! stderr.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

const MACHINE: &str = "home-premium-oem-laptop.yaml";

fn shipped(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("rules/data")
        .join(name);
    std::fs::read_to_string(path).unwrap()
}

/// A rules directory holding `data/<name>` with `text`.
fn rules_dir(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

/// `assess -f json` of the fixture machine, with `--rules` when given; (JSON, stderr).
fn assess(rules: Option<&Path>) -> (serde_json::Value, String) {
    let inventory = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/inventories")
        .join(MACHINE);
    let mut cmd = Command::cargo_bin("w7plan").unwrap();
    cmd.args(["assess", "-f", "json", "--as-of", "2026-12-01"]);
    if let Some(dir) = rules {
        cmd.arg("--rules").arg(dir);
    }
    let out = cmd.arg(inventory).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{stderr}");
    (serde_json::from_slice(&out.stdout).unwrap(), stderr)
}

fn check<'a>(json: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    json["targets"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|t| t["checks"].as_array().unwrap())
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no check {id}"))
}

#[test]
fn a_lifecycle_date_under_rules_moves_the_reports_support() {
    let (before, _) = assess(None);
    assert_eq!(before["os"]["support"]["ended_on"], "2020-01-14");
    assert_eq!(before["os"]["support"]["status"], "ended");

    let text = shipped("lifecycle.yaml");
    let moved = text.replacen("    ends_on: 2020-01-14\n", "    ends_on: 2030-01-14\n", 1);
    assert_ne!(
        moved, text,
        "the shipped file still has Windows 7's end date"
    );
    let dir = rules_dir(&[("data/lifecycle.yaml", &moved)]);
    let (after, stderr) = assess(Some(dir.path()));
    assert_eq!(after["os"]["support"]["ends_on"], "2030-01-14");
    assert_eq!(after["os"]["support"]["status"], "supported");
    assert!(!stderr.contains("not read"), "{stderr}");
}

#[test]
fn a_processor_list_entry_under_rules_changes_the_list_check() {
    let (before, _) = assess(None);
    assert_eq!(check(&before, "win11.cpu-listed")["status"], "fail");

    let text = shipped("win11-processors.yaml");
    let added = text.replacen("intel:\n", "intel:\n  - \"Core(TM) i5-2450M\"\n", 1);
    assert_ne!(added, text);
    let dir = rules_dir(&[("data/win11-processors.yaml", &added)]);
    let (after, _) = assess(Some(dir.path()));
    let listed = check(&after, "win11.cpu-listed");
    assert_eq!(listed["status"], "pass");
    assert!(
        listed["observed"]
            .as_str()
            .unwrap()
            .contains("listed as \"Core(TM) i5-2450M\""),
        "{listed}"
    );
}

#[test]
fn a_licence_right_under_rules_changes_what_the_plan_says_it_allows() {
    let (before, _) = assess(None);
    let channel = &before["plan"]["licence"]["channel"];
    assert_eq!(channel["family"], "oem");
    let shipped_words = "An OEM licence came with this device and stays with it: it cannot be moved to another PC,\n      and passes to a new owner only together with the device.";
    assert!(channel["allows"]
        .as_str()
        .unwrap()
        .starts_with("An OEM licence came with this device"));

    let text = shipped("licensing.yaml");
    let changed = text.replacen(
        shipped_words,
        "A consultant's reading: this OEM licence may move with the company's own hardware refresh.",
        1,
    );
    assert_ne!(
        changed, text,
        "the shipped OEM wording is as this test expects"
    );
    let dir = rules_dir(&[("data/licensing.yaml", &changed)]);
    let (after, _) = assess(Some(dir.path()));
    assert_eq!(
        after["plan"]["licence"]["channel"]["allows"],
        "A consultant's reading: this OEM licence may move with the company's own hardware refresh."
    );
}

#[test]
fn a_file_under_rules_that_is_not_read_is_named() {
    let dir = rules_dir(&[
        ("notes.txt", "not a rule"),
        ("data/lifecyle.yaml", "entries: []\n"),
        ("data/prices.yaml", "prices: []\n"),
    ]);
    let (json, stderr) = assess(Some(dir.path()));
    // The misspelt file changed nothing.
    assert_eq!(json["os"]["support"]["ended_on"], "2020-01-14");
    for unread in ["notes.txt", "lifecyle.yaml"] {
        assert!(
            stderr.lines().any(|l| l.starts_with("warning: ")
                && l.contains(unread)
                && l.contains("not read")),
            "{unread} is not named in:\n{stderr}"
        );
    }
    assert!(!stderr.contains("prices.yaml: not read"), "{stderr}");
}

#[test]
fn the_target_list_under_rules_titles_orders_and_selects_the_targets() {
    let (before, _) = assess(None);
    assert_eq!(before["targets"][0]["target"], "windows11");
    assert_eq!(before["targets"][1]["title"], "Windows 10 (22H2)");

    // Windows 10 first and retitled: the report follows the list's order and titles.
    let text = shipped("targets.yaml");
    let start = text.find("  - id: windows10").unwrap();
    let (head, windows10) = text.split_at(start);
    let windows11_at = head.find("  - id: windows11").unwrap();
    let reordered = format!(
        "{}{}{}",
        &head[..windows11_at],
        windows10.replace("title: Windows 10 (22H2)", "title: Windows 10 for Acme"),
        &head[windows11_at..]
    );
    let dir = rules_dir(&[("data/targets.yaml", &reordered)]);
    let (after, stderr) = assess(Some(dir.path()));
    assert_eq!(after["targets"][0]["target"], "windows10", "{reordered}");
    assert_eq!(after["targets"][0]["title"], "Windows 10 for Acme");
    assert_eq!(after["targets"][1]["target"], "windows11");
    assert!(!stderr.contains("not read"), "{stderr}");

    // `--target` is checked against the list in force.
    let inventory = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/inventories")
        .join(MACHINE);
    let out = Command::cargo_bin("w7plan")
        .unwrap()
        .args(["assess", "-f", "json", "--target", "windows12", "--rules"])
        .arg(dir.path())
        .arg(&inventory)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("unknown target `windows12`; expected one of windows10, windows11, or all"));
}

#[test]
fn the_cpu_family_rule_under_rules_changes_the_processor_check() {
    let (before, _) = assess(None);
    let processor = check(&before, "win11.processor");
    assert_eq!(processor["status"], "fail");
    assert!(processor["observed"]
        .as_str()
        .unwrap()
        .contains("blocked by Microsoft's rule: family 6 or higher with model 95 or lower"));

    // The fixture's Sandy Bridge is family 6 model 42: a rule that blocks models up to 41 only
    // lets it through.
    let text = shipped("cpu-family-rule.yaml");
    let moved = text.replacen("blocked_up_to_model: 95\n", "blocked_up_to_model: 41\n", 1);
    assert_ne!(moved, text, "the shipped rule still blocks up to model 95");
    let dir = rules_dir(&[("data/cpu-family-rule.yaml", &moved)]);
    let (after, stderr) = assess(Some(dir.path()));
    let processor = check(&after, "win11.processor");
    assert_eq!(processor["status"], "pass", "{processor}");
    assert!(processor["observed"]
        .as_str()
        .unwrap()
        .contains("(Sandy Bridge) is not blocked by Microsoft's rule."));
    assert!(!stderr.contains("not read"), "{stderr}");
}
