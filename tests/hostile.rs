//! The hostile-input catalogue (tests/hostile/cases.txt): inputs an attacker or a confused user
//! feeds w7plan, each with the exit code and message it must give, within a time limit, without
//! a panic and without a raw control character on stderr. Large inputs are generated here at run
//! time rather than committed.

use assert_cmd::Command;
use std::path::{Path, PathBuf};
use std::time::Duration;

fn hostile_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/hostile")
}

/// Writes the inputs too large to commit, or that must be made on the machine (links).
fn generate(dir: &Path) {
    let header = "schema: w7plan/inventory/v1\nhost: {name: BOMB}\n";
    // 1 MiB anchored once, then aliased 1,000 times: 1 GiB if expanded.
    let mut bomb = format!("{header}notes:\n  - &big \"{}\"\n", "x".repeat(1 << 20));
    for _ in 0..1000 {
        bomb.push_str("  - *big\n");
    }
    std::fs::write(dir.join("alias-bomb.yaml"), bomb).unwrap();
    std::fs::write(
        dir.join("deep-flow.yaml"),
        format!("host: {}{}\n", "[".repeat(100_000), "]".repeat(100_000)),
    )
    .unwrap();
    std::fs::write(
        dir.join("deep-map.yaml"),
        format!("host: {}1{}\n", "{a: ".repeat(100_000), "}".repeat(100_000)),
    )
    .unwrap();
    // A sparse gigabyte: refused after reading the cap, not the whole file.
    let huge = std::fs::File::create(dir.join("huge.yaml")).unwrap();
    huge.set_len(1 << 30).unwrap();
    let mut big = String::from(header);
    big.push_str("notes:\n");
    while big.len() <= 33 << 20 {
        big.push_str("  - a note of the kind a long inventory might hold, repeated\n");
    }
    std::fs::write(dir.join("huge-inventory.yaml"), big).unwrap();
    std::fs::write(
        dir.join("long-value.yaml"),
        format!(
            "{header}memory:\n  installed_bytes: \"{}\"\n",
            "9".repeat(5_000_000)
        ),
    )
    .unwrap();
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(
            "schema: w7plan/inventory/v1\r\nhost:\r\n  name: UTF16-PC\r\n"
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        )
        .collect();
    std::fs::write(dir.join("utf16.yaml"), utf16).unwrap();
    std::fs::write(
        dir.join("latin1.yaml"),
        b"schema: w7plan/inventory/v1\nhost: {name: caf\xE9}\n",
    )
    .unwrap();
    let linked = dir.join("linked");
    std::fs::create_dir_all(&linked).unwrap();
    std::fs::copy(
        hostile_dir().join("inputs/ok/coffee-lake-ready.yaml"),
        linked.join("real.yaml"),
    )
    .unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(dir.join("gone.yaml"), linked.join("dangling.yaml")).unwrap();
}

struct Case {
    name: String,
    args: Vec<String>,
    exit: i32,
    fragment: String,
}

fn cases(generated: &Path) -> Vec<Case> {
    let text = std::fs::read_to_string(hostile_dir().join("cases.txt")).unwrap();
    let inputs = hostile_dir().join("inputs");
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|line| {
            let fields: Vec<&str> = line.splitn(4, '|').map(str::trim).collect();
            assert_eq!(fields.len(), 4, "a case has four fields: {line}");
            let substitute = |a: &str| {
                a.replace("{in}", &inputs.display().to_string())
                    .replace("{tpl}", &hostile_dir().display().to_string())
                    .replace("{gen}", &generated.display().to_string())
            };
            Case {
                name: fields[0].to_string(),
                args: fields[1].split_whitespace().map(substitute).collect(),
                exit: fields[2].parse().expect("an exit code"),
                fragment: fields[3].to_string(),
            }
        })
        .collect()
}

#[test]
fn every_hostile_input_gives_its_answer() {
    let generated = tempfile::tempdir().unwrap();
    generate(generated.path());
    let mut failures = Vec::new();
    let all = cases(generated.path());
    assert!(all.len() >= 25, "the catalogue lost cases");
    for case in &all {
        let output = Command::cargo_bin("w7plan")
            .unwrap()
            .args(&case.args)
            .env("NO_COLOR", "1")
            .timeout(Duration::from_secs(60))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        let stdout = String::from_utf8_lossy(&output.stdout);
        let mut problems = Vec::new();
        if output.status.code() != Some(case.exit) {
            problems.push(format!(
                "exit {:?}, expected {}",
                output.status.code(),
                case.exit
            ));
        }
        if !stderr.contains(&case.fragment) && !stdout.contains(&case.fragment) {
            problems.push(format!("no `{}` in the output", case.fragment));
        }
        if stderr.contains("panicked") {
            problems.push("panicked".into());
        }
        if stderr.contains(['\u{1b}', '\u{7}']) {
            problems.push("a raw control character on stderr".into());
        }
        if stderr.len() > 64 * 1024 {
            problems.push(format!("{} bytes on stderr", stderr.len()));
        }
        if !problems.is_empty() {
            failures.push(format!(
                "{}: {}\n  stderr: {}",
                case.name,
                problems.join("; "),
                stderr.chars().take(600).collect::<String>()
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
    // import wrote the reserved name under another one, twice without clobbering.
    let imported = generated.path().join("imported");
    assert!(imported.join("CON_.yaml").exists());
    assert!(imported.join("CON_-2.yaml").exists());
    assert!(!imported.join("CON.yaml").exists());
}

fn w7plan() -> Command {
    let mut cmd = Command::cargo_bin("w7plan").unwrap();
    cmd.env("NO_COLOR", "1").timeout(Duration::from_secs(60));
    cmd
}

fn check_status(assessment: &serde_json::Value, id: &str) -> String {
    assessment["targets"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|t| t["checks"].as_array().unwrap())
        .find(|c| c["id"] == id)
        .map(|c| c["status"].as_str().unwrap().to_string())
        .unwrap_or_else(|| panic!("no check {id}"))
}

#[test]
fn impossible_values_never_pass_a_check() {
    for (file, check) in [
        ("cpu-family-max.yaml", "win11.processor"),
        ("memory-max.yaml", "win11.memory"),
    ] {
        let output = w7plan()
            .args(["assess", "-f", "json", "--as-of", "2026-11-27"])
            .arg(hostile_dir().join("inputs").join(file))
            .output()
            .unwrap();
        assert!(output.status.success(), "{file}");
        let assessment: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(check_status(&assessment, check), "unknown", "{file}");
        let text = String::from_utf8_lossy(&output.stdout);
        assert!(
            !text.contains("17179869184"),
            "{file}: u64::MAX bytes shown as GB"
        );
        // The report says what was set aside, for whoever reads it without the terminal.
        assert!(
            assessment["notes"]
                .as_array()
                .unwrap()
                .iter()
                .any(|n| n.as_str().unwrap().contains("is not possible")),
            "{file}: {}",
            assessment["notes"]
        );
    }
}

#[test]
fn an_overlong_ndjson_line_is_one_input_error_and_the_rest_are_read() {
    let inventory =
        std::fs::read_to_string(hostile_dir().join("inputs/ok/coffee-lake-ready.yaml")).unwrap();
    let value: serde_json::Value = serde_yaml_value(&inventory);
    let line = serde_json::to_string(&value).unwrap();
    let mut stdin = format!("{line}\n");
    stdin.push_str(&format!("{{\"notes\": [\"{}\"]}}\n", "x".repeat(33 << 20)));
    stdin.push_str(&format!("{line}\n"));
    let out = tempfile::tempdir().unwrap();
    w7plan()
        .args([
            "fleet",
            "-",
            "--no-machine-reports",
            "--as-of",
            "2026-11-27",
            "-o",
        ])
        .arg(out.path())
        .write_stdin(stdin)
        .assert()
        .code(3)
        .stderr(predicates::str::contains(
            "2 machines assessed, 1 input error(s)",
        ))
        .stderr(predicates::str::contains("<stdin>:2: larger than 32 MiB"));
}

fn serde_yaml_value(text: &str) -> serde_json::Value {
    // The inventory reader itself, so the line is what w7plan writes.
    let inventory =
        w7plan::facts::inventory::Inventory::parse(text, &w7plan::error::Origin("t".into()))
            .unwrap();
    serde_json::from_str(&inventory.to_json()).unwrap()
}

#[test]
fn completions_offer_values_and_hide_the_hidden_command() {
    for shell in ["bash", "zsh", "fish"] {
        let output = w7plan().args(["completions", shell]).output().unwrap();
        let script = String::from_utf8_lossy(&output.stdout);
        assert!(
            !script.contains("synthetic"),
            "{shell} offers the hidden command"
        );
        assert!(
            script.contains("windows11"),
            "{shell} does not offer --target's values"
        );
        assert!(
            script.contains("hwreadiness"),
            "{shell} does not offer --format's values"
        );
    }
}

#[test]
fn each_command_names_its_own_exit_codes() {
    let help = |args: &[&str]| {
        let output = w7plan().args(args).arg("--help").output().unwrap();
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let assess = help(&["assess"]);
    assert!(assess.contains("Exit codes:") && assess.contains("--fail-on"));
    assert!(!assess.contains("  3  "), "assess never exits 3:\n{assess}");
    let fleet = help(&["fleet"]);
    assert!(fleet.contains("  3  finished, but some inputs"), "{fleet}");
    let key = help(&["key"]);
    assert!(
        key.contains("DigitalProductId") && !key.contains("--fail-on"),
        "{key}"
    );
    let import = help(&["import"]);
    assert!(!import.contains("  1  "), "{import}");
    // The README has one table, each code once.
    let readme =
        std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("README.md"))
            .unwrap();
    let section = &readme[readme.find("### Exit codes").unwrap()..];
    let section = &section[..section.find("\n## ").unwrap()];
    for code in 0..=3 {
        let rows = section
            .lines()
            .filter(|l| l.starts_with(&format!("| {code} |")))
            .count();
        assert_eq!(rows, 1, "README: exit code {code} has {rows} rows");
    }
}

#[test]
fn a_dangling_link_in_an_evidence_folder_is_noted() {
    let dir = tempfile::tempdir().unwrap();
    let evidence = dir.path().join("PC-01-20261120-0914");
    std::fs::create_dir(&evidence).unwrap();
    std::fs::copy(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/evidence/files/systeminfo-it-utf8.txt"),
        evidence.join("systeminfo.txt"),
    )
    .unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(dir.path().join("gone"), evidence.join("wmic-cpu.txt")).unwrap();
    let output = w7plan().arg("import").arg(&evidence).output().unwrap();
    assert!(output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stdout)
            .contains("wmic-cpu.txt: a symbolic link to a missing file"),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
}
