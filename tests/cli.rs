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
    // Unknown is not a finding: the no-admin machine has no failures, only unknowns.
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
        .code(0);
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
        .stderr(predicate::str::contains("unknown target `windows12`"));
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
        .stderr(predicate::str::contains("unknown format `pdf`"));
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
    w7plan::inventory::Inventory::parse(&pc02, &w7plan::error::Origin("PC-02.yaml".into()))
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
        w7plan()
            .arg("import")
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
