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
