//! End-to-end runs of the binary: arguments, output and exit codes.

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

#[test]
fn fail_on_sets_exit_code_one_only_when_asked() {
    w7plan()
        .args([
            "assess",
            "-f",
            "json",
            "--as-of",
            AS_OF,
            "--fail-on",
            "blocker",
        ])
        .arg(fixture("ivy-bridge-optiplex.yaml"))
        .assert()
        .code(1);
    w7plan()
        .args(["assess", "-f", "json", "--as-of", AS_OF])
        .arg(fixture("ivy-bridge-optiplex.yaml"))
        .assert()
        .code(0);
    w7plan()
        .args([
            "assess",
            "-f",
            "json",
            "--as-of",
            AS_OF,
            "--fail-on",
            "warning",
        ])
        .arg(fixture("coffee-lake-ready.yaml"))
        .assert()
        .code(0);
    // Unknown is not a finding: a machine with no failures, only unknowns, passes.
    let dir = tempfile::tempdir().unwrap();
    let unknowns = dir.path().join("unknowns.yaml");
    std::fs::write(
        &unknowns,
        "schema: w7plan/inventory/v1\nmemory: {installed_bytes: 8589934592}\n",
    )
    .unwrap();
    w7plan()
        .args([
            "assess",
            "-f",
            "json",
            "--as-of",
            AS_OF,
            "--fail-on",
            "blocker",
        ])
        .arg(&unknowns)
        .assert()
        .code(0);
    // An inferred failure is a finding: the no-admin Coffee Lake shows no TPM, and its listed
    // processor says a firmware TPM is probably there to switch on.
    w7plan()
        .args([
            "assess",
            "-f",
            "json",
            "--as-of",
            AS_OF,
            "--fail-on",
            "blocker",
        ])
        .arg(fixture("no-admin-coffee-lake.yaml"))
        .assert()
        .code(1);
}

#[test]
fn malformed_yaml_names_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.yaml");
    std::fs::write(
        &path,
        "schema: w7plan/inventory/v1\nmemory:\n  installed_bytes: [8\n",
    )
    .unwrap();
    w7plan()
        .args(["assess", "-f", "json"])
        .arg(&path)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!(
            "{}:3:20:",
            path.display()
        )))
        .stderr(predicate::str::contains("not a valid inventory"));
}

#[test]
fn wrong_type_says_what_was_expected() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.yaml");
    std::fs::write(&path, "schema: w7plan/inventory/v1\nos:\n  arch: amd64\n").unwrap();
    w7plan()
        .args(["assess", "-f", "json"])
        .arg(&path)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!("{}:3:", path.display())))
        .stderr(predicate::str::contains(
            "expected one of `x86`, `x64`, `arm64`",
        ));
}

#[test]
fn wrong_schema_is_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v2.json");
    std::fs::write(&path, "{\n  \"schema\": \"w7plan/inventory/v2\"\n}\n").unwrap();
    w7plan()
        .args(["assess", "-f", "json"])
        .arg(&path)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!(
            "{}:2:3: unknown inventory schema `w7plan/inventory/v2`; expected `w7plan/inventory/v1`",
            path.display()
        )));
}

#[test]
fn missing_file_directory_and_junk_are_input_errors() {
    w7plan()
        .args(["assess", "-f", "json", "/nonexistent/pc.yaml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "/nonexistent/pc.yaml: cannot read",
        ));
    let dir = tempfile::tempdir().unwrap();
    w7plan()
        .args(["assess", "-f", "json"])
        .arg(dir.path())
        .assert()
        .code(2)
        // A folder is read as an evidence folder; an empty one holds none.
        .stderr(predicate::str::contains("no recognizable evidence"));
    let junk = dir.path().join("junk.bin");
    std::fs::write(&junk, [0xff, 0xfe, 0x00, 0x41, 0x9c, 0x00]).unwrap();
    w7plan()
        .args(["assess", "-f", "json"])
        .arg(&junk)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("junk.bin"))
        .stderr(predicate::str::contains("panicked").not());
}

#[test]
fn usage_errors_exit_two() {
    w7plan()
        .args(["assess", "--target", "windows12", "-f", "json"])
        .arg(fixture("coffee-lake-ready.yaml"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "invalid value 'windows12' for '--target",
        ))
        .stderr(predicate::str::contains("windows11"));
    w7plan()
        .args(["assess", "--as-of", "27/11/2026", "-f", "json"])
        .arg(fixture("coffee-lake-ready.yaml"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--as-of `27/11/2026` is not a date",
        ));
    w7plan()
        .args(["assess", "--format", "pdf"])
        .arg(fixture("coffee-lake-ready.yaml"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "invalid value 'pdf' for '--format",
        ));
    // The extension of -o is refused as --format is, instead of writing JSON under that name.
    let dir = tempfile::tempdir().unwrap();
    w7plan()
        .args(["assess", "--as-of", "2026-11-27", "-o"])
        .arg(dir.path().join("report.pdf"))
        .arg(fixture("coffee-lake-ready.yaml"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("extension `.pdf`"));
    assert!(!dir.path().join("report.pdf").exists());
    w7plan().args(["assess", "--no-such-flag"]).assert().code(2);
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
fn rules_subcommands() {
    w7plan()
        .args(["rules", "list"])
        .assert()
        .success()
        .stdout(predicate::str::contains("win11.memory"))
        .stdout(predicate::str::contains("win10.instructions"));
    w7plan().args(["rules", "lint"]).assert().success();
    w7plan()
        .args(["rules", "test"])
        .assert()
        .success()
        .stdout(predicate::str::is_match(r"\d+ passed, 0 failed\n$").unwrap());
    w7plan()
        .args(["rules", "explain", "win11.storage"])
        .assert()
        .success()
        .stdout(predicate::str::contains("ps_gib >= 64"))
        .stdout(predicate::str::contains("from rules/windows11.yaml"));
    w7plan()
        .args(["rules", "explain", "win11.nothing"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no rule with id `win11.nothing`"));
}

const STRICT_MEMORY: &str = r#"
pack: strict
checks:
  - id: win11.memory
    target: windows11
    title: At least 16 GB of memory (house policy)
    severity: blocker
    pass: memory.installed_bytes >= 16 * GiB
    required: 16 GB
    manual: Look in Control Panel → System.
    refs: [{title: House policy, url: "https://example.org/policy"}]
    examples:
      - {inventory: {memory: {installed_bytes: 17179869184}}, expect: pass}
      - {inventory: {}, expect: unknown}
"#;

#[test]
fn user_rules_replace_shipped_ones_by_id() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("strict.yaml"), STRICT_MEMORY).unwrap();
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
        .arg(dir.path())
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
    w7plan()
        .args(["rules", "lint", "--rules"])
        .arg(dir.path())
        .assert()
        .success()
        .stderr(predicate::str::contains("warning[replaces-shipped]"));
}

#[test]
fn broken_user_rules_are_reported_with_file_and_id() {
    let dir = tempfile::tempdir().unwrap();
    let broken = STRICT_MEMORY
        .replace(
            "memory.installed_bytes >= 16 * GiB",
            "memory.installed >= (16 * GiB",
        )
        .replace("win11.memory", "house.memory");
    std::fs::write(dir.path().join("broken.yaml"), &broken).unwrap();
    w7plan()
        .args(["assess", "-f", "json", "--rules"])
        .arg(dir.path())
        .arg(fixture("ivy-bridge-optiplex.yaml"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "broken.yaml: rule `house.memory`: `pass` does not compile",
        ));
    let unknown_field = STRICT_MEMORY
        .replace(
            "memory.installed_bytes >= 16 * GiB",
            "memory.installed >= 16 * GiB",
        )
        .replace("win11.memory", "house.memory");
    std::fs::write(dir.path().join("broken.yaml"), &unknown_field).unwrap();
    w7plan()
        .args(["rules", "lint", "--rules"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("error[unknown-field]: "))
        .stderr(predicate::str::contains(
            "reads `memory.installed`, which the inventory schema does not have",
        ));
}

#[test]
fn user_templates_override_the_shipped_ones() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("report.md"),
        "{% for t in targets %}{{ t.target }}={{ t.verdict }}\n{% endfor %}",
    )
    .unwrap();
    w7plan()
        .args(["assess", "-f", "md", "--as-of", AS_OF, "--templates"])
        .arg(dir.path())
        .arg(fixture("coffee-lake-ready.yaml"))
        .assert()
        .success()
        .stdout("windows11=ready\nwindows10=ready\n");
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

#[test]
fn completions_and_help_mention_exit_codes() {
    w7plan()
        .args(["completions", "bash"])
        .assert()
        .success()
        .stdout(predicate::str::contains("w7plan"));
    w7plan()
        .args(["assess", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Exit codes:"));
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

#[test]
fn key_check_exit_codes_and_explanations() {
    w7plan()
        .args(["key", "check", "fj82hxt6crj8d7pxqjj2gpdd4"])
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with(
            "XXXXX-XXXXX-XXXXX-XXXXX-GPDD4: valid\n",
        ))
        .stdout(predicate::str::contains(
            "Published KMS client key (GVLK) for Windows 7 Professional: channel Volume:GVLK",
        ))
        .stdout(predicate::str::contains("FJ82H").not());
    w7plan()
        .args(["key", "check", "NPPR9-FWDCX-D2C8J-H872K-2YT43"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("one N, at character 1"))
        .stdout(predicate::str::contains("Windows 11 Enterprise"));
    w7plan()
        .args(["key", "check", FULL_KEY])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "Not one of Microsoft's published KMS client keys",
        ));
    w7plan()
        .args(["key", "check", "FJ82H-XT6CR-J8D7P-XQJJ2-GPDD0"])
        .assert()
        .code(2)
        .stdout(predicate::str::contains(
            "character 25 (group 5, 5th) is `0`: 0 (zero) and O are never in a product key; it is probably one of D or Q",
        ));
    w7plan()
        .args(["key", "check", "FJ82H-XT6CR-J8D7P-XQJJ2-GPDD4-extra"])
        .assert()
        .code(2)
        .stdout(predicate::str::contains("a product key has 25"));
    // A typo whose look-alike correction is a published key is named as such.
    w7plan()
        .args(["key", "check", "FJ82H-XT6CR-J8D7P-XQJJZ-GPDD4", "--reveal-keys"])
        .assert()
        .code(2)
        .stdout(predicate::str::contains("is `Z`: Z is never in a product key; it is probably a 2"))
        .stdout(predicate::str::contains(
            "it would be Microsoft's published KMS client key for Windows 7 Professional: FJ82H-XT6CR-J8D7P-XQJJ2-GPDD4",
        ));
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
    // Both variants, and a key with N at position 0, from bytes and from whole blobs.
    let cases = [
        (
            "c3aabfa65bba18b8878e89d24ed800",
            "FJ82H-XT6CR-J8D7P-XQJJ2-GPDD4",
        ),
        (
            "7d 29 d9 af 2c 54 91 7d d6 ec d2 33 11 d2 04",
            "33PXH-7Y6KF-2VJC9-XBBR8-HVTHH",
        ),
        (
            "09,07,80,14,74,33,14,aa,32,e4,d5,11,25,15,08",
            "NK2HF-3VG6G-X3YMF-JFT99-HCBRC",
        ),
        (
            "hex:da,0c,30,00,00,00,18,63,67,e0,15,65,be,19,08",
            "NPPR9-FWDCX-D2C8J-H872K-2YT43",
        ),
        (
            "ec0c00000000a8d27b6e89814f6d0900",
            "VK7JG-NPHTM-C97JM-9MPGT-3V66T",
        ),
        (
            "d71000000000288b1b9eaf44f3d708",
            "J4WNC-H9BG3-6XRX4-3XD8K-Y7XRX",
        ),
    ];
    for (hex, key) in cases {
        assert_eq!(
            first_line(&["key", "decode", "--hex", hex]),
            (key.to_string(), 0),
            "{hex}"
        );
    }
    for file in [
        "glpi-win8.DigitalProductId.hex",
        "glpi-win8.DigitalProductId4.hex",
    ] {
        let path = key_fixture(file);
        let blob = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            first_line(&["key", "decode", "--hex", &blob]),
            ("NK2HF-3VG6G-X3YMF-JFT99-HCBRC".to_string(), 0),
            "{file}"
        );
        assert_eq!(
            first_line(&["key", "decode", path.to_str().unwrap()]),
            ("NK2HF-3VG6G-X3YMF-JFT99-HCBRC".to_string(), 0),
            "{file} as a file"
        );
    }
    w7plan()
        .args(["key", "decode"])
        .arg(key_fixture("glpi-win8.DigitalProductId.hex"))
        .assert()
        .stdout(predicate::str::contains(
            "Product ID: 00180-10539-52840-AAOEM (OEM marker",
        ));
    // A .reg export as it comes out of `reg export`: a backslash-continued hex: value.
    let blob = std::fs::read_to_string(key_fixture("glpi-win8.DigitalProductId.hex")).unwrap();
    let reg_value = format!(
        "\"DigitalProductId\"=hex:{}",
        blob.trim().replace(",00,", ",00,\\\n  ")
    );
    assert_eq!(
        first_line(&["key", "decode", "--hex", &reg_value]),
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
fn key_decode_rejects_bad_input() {
    w7plan()
        .args(["key", "decode", "--hex", "c3 zz"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "`z` (character 4) is not a hexadecimal digit",
        ));
    w7plan()
        .args(["key", "decode", "--hex", "ff"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "neither the 15 key bytes nor a whole DigitalProductId",
        ));
    w7plan()
        .args(["key", "decode", "--hex", "ffffffffffffffffffffffffffffff"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("do not encode a product key"));
    // A .reg export of CurrentVersion: the key comes from its DigitalProductId.
    let dir = tempfile::tempdir().unwrap();
    let reg = dir.path().join("cv.reg");
    std::fs::write(
        &reg,
        "Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion]\r\n\
         \"DigitalProductId\"=hex:a4,00,00,00,03,00,00,00,00,00,00,00,00,00,00,00,00,00,00,00,\\\r\n  \
         00,00,00,00,00,00,00,00,00,00,00,00,00,00,00,00,00,00,00,00,00,00,00,00,00,00,00,00,00,00,00,00,\\\r\n  \
         c3,aa,bf,a6,5b,ba,18,b8,87,8e,89,d2,4e,d8,00,00\r\n",
    )
    .unwrap();
    w7plan()
        .args(["key", "decode"])
        .arg(&reg)
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "FJ82H-XT6CR-J8D7P-XQJJ2-GPDD4\n",
        ));
    let empty = dir.path().join("empty.reg");
    std::fs::write(&empty, b"\xff\xfeW\0i\0n\0").unwrap();
    w7plan()
        .args(["key", "decode"])
        .arg(&empty)
        .assert()
        .code(2);
    w7plan().args(["key", "decode"]).assert().code(2);
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
fn import_an_evidence_folder_to_stdout() {
    let out = w7plan()
        .arg("import")
        .arg(evidence(PC01))
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(text.starts_with("schema: w7plan/inventory/v1\n"), "{text}");
    assert!(text.contains("name: PC-01"), "{text}");
    let json = w7plan()
        .args(["import", "-f", "json"])
        .arg(evidence("files/systeminfo-zh-gbk.txt"))
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let json: serde_json::Value = serde_json::from_slice(&json).unwrap();
    assert_eq!(json["os"]["edition"], "Ultimate");
}

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
fn import_a_folder_of_evidence_folders_and_usage_errors() {
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
    w7plan()
        .arg("import")
        .arg(evidence(PC01))
        .arg(evidence(PC02))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("-o DIR"));
    w7plan()
        .args(["import", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Exit codes"));
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
    // A raw tool output is assessed too; an inventory-looking file keeps its own errors.
    w7plan()
        .args(["assess", "-f", "json", "--as-of", AS_OF])
        .arg(evidence("files/systeminfo-ru-cp866.txt"))
        .assert()
        .success()
        .stdout(predicate::str::contains("\"windows11\""));
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.yaml");
    std::fs::write(
        &bad,
        "schema: w7plan/inventory/v1\nmemory: {installed_bytes: lots}\n",
    )
    .unwrap();
    w7plan()
        .args(["assess", "-f", "json"])
        .arg(&bad)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("bad.yaml:2:"));
}
