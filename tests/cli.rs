//! End-to-end runs of the binary that need logic: JSON read back, files written, loops over
//! formats, the live machine. Plain invocations with fixed output are cases in tests/cmd (run
//! by tests/cli_cases.rs).

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::PathBuf;

const AS_OF: &str = "2026-11-27";

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/inventories")
        .join(name)
}

fn w7plan() -> Command {
    let mut cmd = Command::cargo_bin("w7plan").unwrap();
    cmd.env_remove("NO_COLOR");
    cmd
}

#[test]
fn assess_writes_json_and_exits_zero() {
    let out = w7plan()
        .args(["assess", "--format", "json", "--as-of", AS_OF])
        .arg(fixture("ivy-bridge-optiplex.yaml"))
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let json: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(json["schema"], "w7plan/assessment/v1");
    assert_eq!(json["as_of"], AS_OF);
    assert_eq!(json["targets"][0]["target"], "windows11");
    assert_eq!(json["targets"][0]["verdict"], "not-ready");
}

/// A folder is read as an evidence folder; an empty one (which git cannot hold, so not a case
/// in tests/cmd) holds none.
#[test]
fn an_empty_folder_is_an_input_error() {
    let dir = tempfile::tempdir().unwrap();
    w7plan()
        .args(["assess", "-f", "json"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no recognizable evidence"));
}

/// The extension of -o is refused as --format is, instead of writing JSON under that name.
#[test]
fn an_unknown_output_extension_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    w7plan()
        .args(["assess", "--as-of", "2026-11-27", "-o"])
        .arg(dir.path().join("report.pdf"))
        .arg(fixture("coffee-lake-ready.yaml"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("extension `.pdf`"));
    assert!(!dir.path().join("report.pdf").exists());
}

#[test]
fn reads_an_inventory_from_stdin() {
    let text = std::fs::read_to_string(fixture("coffee-lake-ready.yaml")).unwrap();
    w7plan()
        .args(["assess", "-", "-f", "hwreadiness", "--as-of", AS_OF])
        .write_stdin(text)
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "{\"returnCode\":0,\"returnResult\":\"CAPABLE\"",
        ));
}

#[test]
fn target_selects_checks() {
    let out = w7plan()
        .args([
            "assess",
            "-f",
            "json",
            "--target",
            "windows10",
            "--as-of",
            AS_OF,
        ])
        .arg(fixture("coffee-lake-ready.yaml"))
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let targets = json["targets"].as_array().unwrap();
    assert_eq!(targets.len(), 1);
    assert_eq!(targets[0]["target"], "windows10");
}

#[test]
fn output_file_format_follows_the_extension() {
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("report.html");
    w7plan()
        .args(["assess", "--as-of", AS_OF, "-o"])
        .arg(&html)
        .arg(fixture("kaby-lake-r-thinkpad.yaml"))
        .assert()
        .success()
        .stdout(predicate::str::is_empty());
    let text = std::fs::read_to_string(&html).unwrap();
    assert!(text.starts_with("<!DOCTYPE html>"));
    assert!(text.contains("id=\"w7plan-assessment\""));
}

#[test]
fn product_keys_are_masked_unless_revealed() {
    let key = "FJ82H-XT6CR-J8D7P-XQJJ2-GPDD4";
    for format in ["table", "json", "yaml", "md", "html", "hwreadiness"] {
        let out = w7plan()
            .args(["assess", "-f", format, "--as-of", AS_OF])
            .arg(fixture("ivy-bridge-optiplex.yaml"))
            .output()
            .unwrap();
        assert!(out.status.success(), "{format}");
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(!text.contains(key), "{format} shows the full key");
        assert!(
            !text.contains("XQJJ2"),
            "{format} shows part of the masked key"
        );
    }
    let out = w7plan()
        .args(["assess", "-f", "html", "--reveal-keys", "--as-of", AS_OF])
        .arg(fixture("ivy-bridge-optiplex.yaml"))
        .output()
        .unwrap();
    assert!(String::from_utf8(out.stdout).unwrap().contains(key));
}

#[test]
fn user_rules_replace_shipped_ones_by_id() {
    // `rules lint` on the same folder warns of the replacement (tests/cmd).
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/cmd/inputs/strict-rules");
    let out = w7plan()
        .args([
            "assess",
            "-f",
            "json",
            "--target",
            "windows11",
            "--as-of",
            AS_OF,
            "--rules",
        ])
        .arg(&dir)
        .arg(fixture("ivy-bridge-optiplex.yaml"))
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let memory = json["targets"][0]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "win11.memory")
        .unwrap()
        .clone();
    assert_eq!(memory["status"], "fail");
    assert_eq!(memory["title"], "At least 16 GB of memory (house policy)");
}

#[test]
fn inspect_gives_an_inventory_assess_can_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("me.json");
    w7plan()
        .args(["inspect", "-o"])
        .arg(&path)
        .assert()
        .success();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.trim_start().starts_with('{'),
        "json from the .json extension"
    );
    w7plan()
        .args(["assess", "-f", "json", "--as-of", AS_OF])
        .arg(&path)
        .assert()
        .success();
}

/// The made-up full key of the home-premium-oem-laptop fixture.
const FULL_KEY: &str = "H7X4M-QBYPC-T8RKJ-2WFD9-VG6J3";

/// Every way the key, or enough of it to matter, could leak: the whole key with and without
/// dashes, its four-group prefix, and each group but the last (which Windows itself shows).
fn leaks(text: &str) -> Vec<String> {
    let groups: Vec<&str> = FULL_KEY.split('-').collect();
    let mut needles = vec![
        FULL_KEY.to_string(),
        FULL_KEY.replace('-', ""),
        groups[..4].join("-"),
        groups[..4].concat(),
    ];
    needles.extend(groups[..4].iter().map(|g| g.to_string()));
    needles
        .into_iter()
        .filter(|n| text.to_uppercase().contains(n))
        .collect()
}

#[test]
fn a_full_key_appears_in_no_format_unless_revealed() {
    for format in ["table", "json", "yaml", "md", "html", "hwreadiness"] {
        let out = w7plan()
            .args(["assess", "-f", format, "--as-of", AS_OF])
            .arg(fixture("home-premium-oem-laptop.yaml"))
            .output()
            .unwrap();
        assert!(out.status.success(), "{format}");
        let text = String::from_utf8(out.stdout).unwrap();
        assert_eq!(leaks(&text), Vec::<String>::new(), "{format} leaks the key");
        if format != "hwreadiness" {
            assert!(
                text.contains("XXXXX-XXXXX-XXXXX-XXXXX-VG6J3"),
                "{format} shows the masked key"
            );
        }
    }
    for format in ["table", "json", "yaml", "md", "html"] {
        let out = w7plan()
            .args(["assess", "-f", format, "--reveal-keys", "--as-of", AS_OF])
            .arg(fixture("home-premium-oem-laptop.yaml"))
            .output()
            .unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(
            text.contains(FULL_KEY),
            "{format} --reveal-keys shows the key"
        );
    }
    // A written report, too.
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("r.html");
    w7plan()
        .args(["assess", "--as-of", AS_OF, "-o"])
        .arg(&html)
        .arg(fixture("home-premium-oem-laptop.yaml"))
        .assert()
        .success();
    assert!(leaks(&std::fs::read_to_string(&html).unwrap()).is_empty());
}

fn key_fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/productkey")
        .join(name)
}

#[test]
fn key_decode_prints_the_key_first() {
    let first_line = |args: &[&str]| -> (String, i32) {
        let out = w7plan().args(args).output().unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        (
            text.lines().next().unwrap_or_default().to_string(),
            out.status.code().unwrap(),
        )
    };
    // The key bytes alone, and the files as arguments, are cases in tests/cmd (key-decode-*);
    // here, whole blobs as a GLPI export holds them, passed as text.
    for file in [
        "glpi-win8.DigitalProductId.hex",
        "glpi-win8.DigitalProductId4.hex",
    ] {
        let blob = std::fs::read_to_string(key_fixture(file)).unwrap();
        assert_eq!(
            first_line(&["key", "decode", "--reveal-keys", "--hex", &blob]),
            ("NK2HF-3VG6G-X3YMF-JFT99-HCBRC".to_string(), 0),
            "{file}"
        );
        // Without --reveal-keys the key is masked, as in every output.
        assert_eq!(
            first_line(&["key", "decode", "--hex", &blob]),
            ("XXXXX-XXXXX-XXXXX-XXXXX-HCBRC".to_string(), 0),
            "{file}"
        );
    }
    // A .reg export as it comes out of `reg export`: a backslash-continued hex: value.
    let blob = std::fs::read_to_string(key_fixture("glpi-win8.DigitalProductId.hex")).unwrap();
    let reg_value = format!(
        "\"DigitalProductId\"=hex:{}",
        blob.trim().replace(",00,", ",00,\\\n  ")
    );
    assert_eq!(
        first_line(&["key", "decode", "--reveal-keys", "--hex", &reg_value]),
        ("NK2HF-3VG6G-X3YMF-JFT99-HCBRC".to_string(), 0)
    );
    // Volume-licensed Windows 7 keeps no key: a clear message, exit 0.
    w7plan()
        .args(["key", "decode", "--hex", "-"])
        .write_stdin(
            std::fs::read_to_string(key_fixture("glpi-win7-volume.DigitalProductId.hex")).unwrap(),
        )
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with("no key stored"));
}

#[test]
fn licence_checks_never_change_verdicts_or_fail_on() {
    // Ready Windows 11 hardware still running Windows 7 with an OEM licence: the licensing path
    // fails (a licence must be bought), yet no readiness check fails.
    let text = std::fs::read_to_string(fixture("coffee-lake-ready.yaml"))
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with("os:") && !l.starts_with("license:"))
        .collect::<Vec<_>>()
        .join("\n")
        + "\nos: {family: windows, name: Microsoft Windows 7 Professional, edition: Professional, version: \"6.1\", build: 7601, service_pack: 1, arch: x64}\n\
           license: {description: \"Windows Operating System - Windows(R) 7, OEM_SLP channel\"}\n";
    let out = w7plan()
        .args([
            "assess",
            "-",
            "-f",
            "json",
            "--as-of",
            AS_OF,
            "--fail-on",
            "warning",
        ])
        .write_stdin(text)
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let licence = json["plan"]["licence"]["checks"].as_array().unwrap();
    let pro = licence
        .iter()
        .find(|c| c["id"] == "licence.windows11-pro")
        .unwrap();
    assert_eq!(pro["status"], "fail");
    assert_eq!(pro["prices"][0]["usd"], 199.99);
    for target in json["targets"].as_array().unwrap() {
        assert!(target["checks"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| !c["id"].as_str().unwrap().starts_with("licence.")));
    }
    assert_eq!(
        out.status.code(),
        Some(0),
        "licence failures are not findings"
    );
}

fn evidence(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/evidence")
        .join(path)
}

const PC01: &str = "elevated/PC-01-20261120-0914";
const PC02: &str = "non-elevated/PC-02-20261120-1002";

#[test]
fn import_masks_product_keys_unless_revealed() {
    let key = "FJ82H-XT6CR-J8D7P-XQJJ2-GPDD4";
    let out = w7plan()
        .arg("import")
        .arg(evidence(PC01))
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "the product key is written masked",
        ))
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(!text.contains(key), "{text}");
    assert!(
        text.contains("product_key: XXXXX-XXXXX-XXXXX-XXXXX-GPDD4"),
        "{text}"
    );
    assert!(text.contains("partial_key: GPDD4"), "{text}");
    // The masked inventory still tells the channel from what is left.
    let work = tempfile::tempdir().unwrap();
    let path = work.path().join("pc-01.yaml");
    std::fs::write(&path, &text).unwrap();
    w7plan()
        .args(["assess", "-f", "json", "--as-of", AS_OF])
        .arg(&path)
        .assert()
        .success()
        .stdout(predicate::str::contains("\"id\": \"Volume:GVLK\""))
        .stdout(predicate::str::contains("\"source\": \"partial-key\""));
    let revealed = w7plan()
        .args(["import", "--reveal-keys"])
        .arg(evidence(PC01))
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert!(String::from_utf8(revealed).unwrap().contains(key));
}

#[test]
fn import_several_with_one_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let junk = dir.path().join("junk.txt");
    std::fs::write(&junk, "nothing a Windows tool printed\n").unwrap();
    let out = dir.path().join("out");
    w7plan()
        .arg("import")
        .arg(evidence(PC01))
        .arg(&junk)
        .arg(evidence(PC02))
        .arg(evidence("files/systeminfo-cs-cp852.txt"))
        // The same machine twice gets two names.
        .arg(evidence("files/systeminfo-de-cp850.csv"))
        .arg(evidence("files/systeminfo-de-cp850.csv"))
        .arg("-o")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "junk.txt: not a recognized tool output",
        ))
        .stderr(predicate::str::contains(
            "1 of 6 inputs could not be imported",
        ))
        .stderr(predicate::str::contains("panicked").not());
    let mut written: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    written.sort();
    assert_eq!(
        written,
        [
            "NB-UCETNI.yaml",
            "OLI7-PC-2.yaml",
            "OLI7-PC.yaml",
            "PC-01.yaml",
            "PC-02.yaml"
        ]
    );
    let pc02 = std::fs::read_to_string(out.join("PC-02.yaml")).unwrap();
    w7plan::facts::inventory::Inventory::parse(&pc02, &w7plan::error::Origin("PC-02.yaml".into()))
        .unwrap();
}

#[test]
fn import_a_folder_of_evidence_folders() {
    let out = tempfile::tempdir().unwrap();
    w7plan()
        .arg("import")
        .arg(evidence("elevated"))
        .arg(evidence("non-elevated"))
        .arg("-o")
        .arg(out.path())
        .arg("-f")
        .arg("json")
        .assert()
        .success();
    assert!(out.path().join("PC-01.json").is_file());
    assert!(out.path().join("PC-02.json").is_file());
}

#[test]
fn assess_an_evidence_folder_as_its_inventory() {
    for folder in [PC01, PC02] {
        let dir = tempfile::tempdir().unwrap();
        let inventory = dir.path().join("inventory.yaml");
        // With the key whole, as the folder has it: a masked key tells less (see
        // import_masks_product_keys_unless_revealed).
        w7plan()
            .args(["import", "--reveal-keys"])
            .arg(evidence(folder))
            .arg("-o")
            .arg(&inventory)
            .assert()
            .success();
        let assess = |input: &std::path::Path| {
            let out = w7plan()
                .args(["assess", "-f", "json", "--as-of", AS_OF])
                .arg(input)
                .assert()
                .success()
                .get_output()
                .stdout
                .clone();
            serde_json::from_slice::<serde_json::Value>(&out).unwrap()
        };
        let from_folder = assess(&evidence(folder));
        let from_inventory = assess(&inventory);
        assert_eq!(from_folder, from_inventory, "{folder}");
        assert!(from_folder["targets"][0]["verdict"].is_string());
    }
    // A raw tool output is assessed too, and an inventory-looking file keeps its own errors:
    // tests/cmd/assess-raw-systeminfo.toml and assess-bad-value.toml.
}
