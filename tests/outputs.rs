//! What w7plan writes can neither destroy what it does not own nor leak or inject: `-o` onto
//! devices, FIFOs and symlinks, fleet output directories that hold inputs or others' files,
//! stale staged directories, product keys in any field of any output or error, spreadsheet
//! formulas, terminal escape sequences, Markdown and HTML in values, and fleet inputs named more
//! than once (issue 14, sections 2 to 5).

use assert_cmd::Command;
use std::path::{Path, PathBuf};

const AS_OF: &str = "2026-11-27";
/// Shaped like a product key, not one of Microsoft's published ones.
const KEY: &str = "BCDFG-HJKMP-QRTVW-XY234-6789B";
const KEY_BARE: &str = "BCDFGHJKMPQRTVWXY2346987B";
const KEY_MASKED: &str = "XXXXX-XXXXX-XXXXX-XXXXX-6789B";

fn w7plan() -> Command {
    let mut cmd = Command::cargo_bin("w7plan").unwrap();
    cmd.env_remove("NO_COLOR");
    cmd
}

/// Runs a command that must succeed and returns what it printed.
fn stdout_of(cmd: &mut Command) -> String {
    String::from_utf8(cmd.assert().success().get_output().stdout.clone()).unwrap()
}

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/inventories")
        .join(name)
}

fn read(path: &Path) -> String {
    String::from_utf8_lossy(&std::fs::read(path).unwrap()).into_owned()
}

/// An inventory whose free-text fields all hold a full product key.
fn keyed_inventory(host: &str) -> String {
    format!(
        "schema: w7plan/inventory/v1\n\
         host: {{name: {host}, serial: \"{KEY}\", model: \"{KEY_BARE}\"}}\n\
         os: {{family: windows, name: \"Microsoft Windows 7 Professional {KEY}\", edition: Professional, version: \"6.1\", build: 7601, arch: x64}}\n\
         cpu: {{brand: \"Intel(R) Core(TM) i5-3470 CPU @ 3.20GHz\"}}\n\
         memory: {{installed_bytes: 8589934592}}\n\
         license:\n  product_key: {KEY}\n  partial_key: {KEY}\n  product_id: \"{KEY}\"\n  \
         description: \"Windows(R) 7, OEM_SLP channel, key {KEY}\"\n  channel: \"{KEY}\"\n\
         notes: [\"PartialProductKey={KEY}\", \"bare {KEY_BARE}\"]\n"
    )
}

fn assert_no_key(text: &str, what: &str) {
    assert!(!text.contains(KEY), "{what} shows the key:\n{text}");
    assert!(
        !text.contains(KEY_BARE),
        "{what} shows the key without dashes"
    );
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(status.success());
}

#[cfg(unix)]
fn is_fifo(path: &Path) -> bool {
    use std::os::unix::fs::FileTypeExt;
    path.symlink_metadata().unwrap().file_type().is_fifo()
}

/// Reads a FIFO to its end on another thread (opening a FIFO for writing waits for a reader).
#[cfg(unix)]
fn drain(path: &Path) -> std::thread::JoinHandle<Vec<u8>> {
    let path = path.to_path_buf();
    std::thread::spawn(move || std::fs::read(path).unwrap())
}

// ---- 2. Outputs never destroy what they do not own ----

#[cfg(unix)]
#[test]
fn assess_and_import_write_into_a_fifo_and_leave_it_a_fifo() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe");
    mkfifo(&fifo);

    let reader = drain(&fifo);
    w7plan()
        .args(["assess", "-f", "json", "--as-of", AS_OF, "-o"])
        .arg(&fifo)
        .arg(fixture("ivy-bridge-optiplex.yaml"))
        .assert()
        .success();
    // Before joining: a replaced FIFO never gets its writer.
    assert!(is_fifo(&fifo), "assess -o replaced the FIFO");
    let json: serde_json::Value = serde_json::from_slice(&reader.join().unwrap()).unwrap();
    assert_eq!(json["schema"], "w7plan/assessment/v1");

    let reader = drain(&fifo);
    w7plan()
        .args(["import", "-o"])
        .arg(&fifo)
        .arg(
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/evidence/elevated/PC-01-20261120-0914"),
        )
        .assert()
        .success();
    assert!(is_fifo(&fifo), "import -o replaced the FIFO");
    assert!(String::from_utf8(reader.join().unwrap())
        .unwrap()
        .contains("schema: w7plan/inventory/v1"));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[cfg(unix)]
#[test]
fn a_symlink_is_followed_and_kept() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("real.json");
    std::fs::write(&target, "old").unwrap();
    let link = dir.path().join("link.json");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    w7plan()
        .args(["assess", "--as-of", AS_OF, "-o"])
        .arg(&link)
        .arg(fixture("ivy-bridge-optiplex.yaml"))
        .assert()
        .success();
    assert!(link.symlink_metadata().unwrap().file_type().is_symlink());
    assert!(read(&target).contains("w7plan/assessment/v1"));

    // A link to a FIFO writes into the FIFO.
    let fifo = dir.path().join("pipe");
    mkfifo(&fifo);
    let to_fifo = dir.path().join("to-fifo.json");
    std::os::unix::fs::symlink(&fifo, &to_fifo).unwrap();
    let reader = drain(&fifo);
    w7plan()
        .args(["assess", "--as-of", AS_OF, "-o"])
        .arg(&to_fifo)
        .arg(fixture("ivy-bridge-optiplex.yaml"))
        .assert()
        .success();
    assert!(is_fifo(&fifo));
    assert!(!reader.join().unwrap().is_empty());
    assert!(to_fifo.symlink_metadata().unwrap().file_type().is_symlink());

    // A dangling link is refused, not replaced.
    let dangling = dir.path().join("dangling.json");
    std::os::unix::fs::symlink(dir.path().join("nowhere/x.json"), &dangling).unwrap();
    w7plan()
        .args(["assess", "--as-of", AS_OF, "-o"])
        .arg(&dangling)
        .arg(fixture("ivy-bridge-optiplex.yaml"))
        .assert()
        .code(2);
    assert!(dangling
        .symlink_metadata()
        .unwrap()
        .file_type()
        .is_symlink());
}

#[test]
fn a_directory_is_refused_and_dash_is_stdout() {
    let dir = tempfile::tempdir().unwrap();
    w7plan()
        .args(["assess", "-f", "json", "--as-of", AS_OF, "-o"])
        .arg(dir.path())
        .arg(fixture("ivy-bridge-optiplex.yaml"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("a directory; name a file"));
    let out = w7plan()
        .args(["assess", "-f", "json", "--as-of", AS_OF, "-o", "-"])
        .arg(fixture("ivy-bridge-optiplex.yaml"))
        .current_dir(dir.path())
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert!(String::from_utf8(out)
        .unwrap()
        .contains("w7plan/assessment/v1"));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

fn synthetic(dir: &Path, count: u64) {
    w7plan::fleet::synthetic::write_fleet(dir, count, 11, false).unwrap();
}

#[test]
fn fleet_refuses_an_output_directory_that_holds_its_inputs() {
    let work = tempfile::tempdir().unwrap();
    let site = work.path().join("site");
    synthetic(&site.join("machines"), 3);
    let before: Vec<_> = std::fs::read_dir(site.join("machines"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    w7plan()
        .args(["fleet", "--as-of", AS_OF, "-o"])
        .arg(&site)
        .arg(&site)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("holds the input"));
    w7plan()
        .args(["fleet", "--as-of", AS_OF, "-o"])
        .arg(&site)
        .arg(site.join("machines"))
        .assert()
        .code(2);
    let after: Vec<_> = std::fs::read_dir(site.join("machines"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(before, after, "the inputs are untouched");
    assert!(!site.join("index.html").exists());

    // An output directory inside the inputs is fine, and is not read back as input.
    let out = site.join("report");
    for _ in 0..2 {
        w7plan()
            .args(["fleet", "--as-of", AS_OF, "-o"])
            .arg(&out)
            .arg(&site)
            .assert()
            .success();
    }
    let json: serde_json::Value = serde_json::from_str(&read(&out.join("fleet.json"))).unwrap();
    assert_eq!(json["summary"]["machines"], 3);
    assert_eq!(json["summary"]["input_errors"], 0);
}

#[test]
fn fleet_deletes_only_the_reports_it_wrote() {
    let work = tempfile::tempdir().unwrap();
    let inputs = work.path().join("in");
    synthetic(&inputs, 2);
    let out = work.path().join("out");
    let run = |extra: &[&str]| {
        w7plan()
            .args(["fleet", "--as-of", AS_OF, "-o"])
            .arg(&out)
            .args(extra)
            .arg(&inputs)
            .assert()
    };
    run(&[]).success();
    let machines = out.join("machines");
    assert_eq!(
        std::fs::read_dir(&machines).unwrap().count(),
        5,
        "two machines' html and md, and the manifest"
    );

    // Someone else's file in machines/ stops the next run; nothing is deleted.
    std::fs::write(machines.join("notes.txt"), "mine").unwrap();
    run(&[])
        .code(2)
        .stderr(predicates::str::contains("notes.txt"));
    run(&["--no-machine-reports"]).code(2);
    assert_eq!(read(&machines.join("notes.txt")), "mine");
    assert_eq!(std::fs::read_dir(&machines).unwrap().count(), 6);

    // Without it, the run replaces its own reports; without reports, it removes them, as the
    // README says (machines/ holds this run's reports only).
    std::fs::remove_file(machines.join("notes.txt")).unwrap();
    run(&[]).success();
    assert_eq!(std::fs::read_dir(&machines).unwrap().count(), 5);
    run(&["--no-machine-reports"]).success();
    assert!(!machines.exists());
}

#[test]
fn fleet_replaces_only_the_top_level_files_it_wrote() {
    let work = tempfile::tempdir().unwrap();
    let inputs = work.path().join("in");
    synthetic(&inputs, 1);
    let documents = work.path().join("documents");
    std::fs::create_dir(&documents).unwrap();
    std::fs::write(documents.join("index.html"), "my home page").unwrap();
    let run = |out: &Path| {
        w7plan()
            .args(["fleet", "--as-of", AS_OF, "-o"])
            .arg(out)
            .arg(&inputs)
            .assert()
    };
    run(&documents)
        .code(2)
        .stderr(predicates::str::contains("index.html"));
    assert_eq!(read(&documents.join("index.html")), "my home page");
    assert!(!documents.join("fleet.json").exists());

    // A run's own output is replaced by the next, with or without its manifest (older w7plan).
    let out = work.path().join("out");
    run(&out).success();
    run(&out).success();
    std::fs::remove_file(out.join(".w7plan-written")).unwrap();
    std::fs::remove_file(out.join("machines/.w7plan-written")).unwrap();
    run(&out).success();
}

#[cfg(unix)]
#[test]
fn stale_staged_directories_are_removed_and_live_ones_kept() {
    let work = tempfile::tempdir().unwrap();
    let inputs = work.path().join("in");
    synthetic(&inputs, 1);
    let out = work.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    // Killed: its lock file is there and nobody holds it.
    let killed = out.join(".w7plan-staged-killed");
    std::fs::create_dir(&killed).unwrap();
    std::fs::write(killed.join(".w7plan-lock"), "").unwrap();
    std::fs::write(killed.join("big-0123456789ab.html"), "x".repeat(10_000)).unwrap();
    // Alive: another run holds its lock.
    let alive = out.join(".w7plan-staged-alive");
    std::fs::create_dir(&alive).unwrap();
    let lock = std::fs::File::create(alive.join(".w7plan-lock")).unwrap();
    rustix::fs::flock(&lock, rustix::fs::FlockOperation::NonBlockingLockExclusive).unwrap();
    // Just made, without a lock yet: too young to tell.
    let young = out.join(".w7plan-staged-young");
    std::fs::create_dir(&young).unwrap();

    w7plan()
        .args(["fleet", "--as-of", AS_OF, "-o"])
        .arg(&out)
        .arg(&inputs)
        .assert()
        .success();
    assert!(!killed.exists(), "a killed run's directory is removed");
    assert!(alive.exists(), "a live run's directory is kept");
    assert!(young.exists());
    drop(lock);
}

// ---- 3. Product keys never leak ----

#[test]
fn a_key_in_any_field_is_masked_in_every_assess_format() {
    let dir = tempfile::tempdir().unwrap();
    let inventory = dir.path().join("pc.yaml");
    std::fs::write(&inventory, keyed_inventory("PC-01")).unwrap();
    for format in ["json", "yaml", "md", "html", "table", "hwreadiness"] {
        let text = stdout_of(
            w7plan()
                .args(["assess", "--color", "never", "-f", format, "--as-of", AS_OF])
                .arg(&inventory),
        );
        assert_no_key(&text, format);
        if format != "hwreadiness" {
            assert!(text.contains(KEY_MASKED), "{format} shows the masked key");
        }
    }
    // Files too, and with --reveal-keys the key is there, in a file only its owner reads.
    let masked = dir.path().join("masked.html");
    let revealed = dir.path().join("revealed.json");
    w7plan()
        .args(["assess", "--as-of", AS_OF, "-o"])
        .arg(&masked)
        .arg(&inventory)
        .assert()
        .success();
    assert_no_key(&read(&masked), "the HTML file");
    w7plan()
        .args(["assess", "--reveal-keys", "--as-of", AS_OF, "-o"])
        .arg(&revealed)
        .arg(&inventory)
        .assert()
        .success();
    assert!(read(&revealed).contains(KEY));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| p.metadata().unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&revealed), 0o600, "revealed keys: owner only");
        assert_ne!(mode(&masked) & 0o044, 0, "masked reports stay shareable");
        // An existing file given --reveal-keys is made private too.
        w7plan()
            .args(["assess", "--reveal-keys", "--as-of", AS_OF, "-o"])
            .arg(&masked)
            .arg(&inventory)
            .assert()
            .success();
        assert_eq!(mode(&masked), 0o600);
    }
}

#[test]
fn a_key_in_a_parse_error_is_masked_on_stderr_and_in_the_fleet() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("in");
    std::fs::create_dir(&inputs).unwrap();
    let bad = inputs.join("bad.yaml");
    std::fs::write(
        &bad,
        format!("schema: w7plan/inventory/v1\nlicense: {KEY}\n"),
    )
    .unwrap();
    let out = w7plan()
        .args(["assess", "-f", "json", "--as-of", AS_OF])
        .arg(&bad)
        .assert()
        .code(2)
        .get_output()
        .clone();
    assert_no_key(&String::from_utf8_lossy(&out.stderr), "stderr of assess");

    std::fs::write(inputs.join("pc.yaml"), keyed_inventory("PC-01")).unwrap();
    let report = dir.path().join("report");
    for reveal in [false, true] {
        let mut cmd = w7plan();
        cmd.args(["fleet", "--as-of", AS_OF, "-o"]).arg(&report);
        if reveal {
            cmd.arg("--reveal-keys");
        }
        let out = cmd.arg(&inputs).assert().code(3).get_output().clone();
        assert_no_key(&String::from_utf8_lossy(&out.stderr), "stderr of fleet");
        let json: serde_json::Value =
            serde_json::from_str(&read(&report.join("fleet.json"))).unwrap();
        let error = json["errors"][0]["error"].as_str().unwrap();
        assert!(error.contains(KEY_MASKED), "{error}");
        assert_no_key(error, "fleet.json's errors");
        if !reveal {
            for name in ["fleet.json", "fleet.csv", "index.html"] {
                assert_no_key(&read(&report.join(name)), name);
            }
            for entry in std::fs::read_dir(report.join("machines")).unwrap() {
                let path = entry.unwrap().path();
                assert_no_key(&read(&path), &path.display().to_string());
            }
        }
    }
    // With --reveal-keys the machine reports show it, and only their owner can read them.
    let report_file = std::fs::read_dir(report.join("machines"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "html"))
        .unwrap();
    assert!(read(&report_file).contains(KEY));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| p.metadata().unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&report_file), 0o600);
        assert_eq!(mode(&report.join("fleet.json")), 0o600);
        assert_eq!(mode(&report.join("machines")), 0o700);
    }
}

#[test]
fn a_host_named_like_a_key_gives_masked_file_names_that_links_still_reach() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("in");
    std::fs::create_dir(&inputs).unwrap();
    std::fs::write(inputs.join("pc.yaml"), keyed_inventory(KEY)).unwrap();
    let out = dir.path().join("out");
    w7plan()
        .args(["fleet", "--as-of", AS_OF, "-o"])
        .arg(&out)
        .arg(&inputs)
        .assert()
        .success();
    for entry in std::fs::read_dir(out.join("machines")).unwrap() {
        assert_no_key(
            &entry.unwrap().file_name().to_string_lossy(),
            "a report's file name",
        );
    }
    let json: serde_json::Value = serde_json::from_str(&read(&out.join("fleet.json"))).unwrap();
    let report = json["rows"][0]["report"].as_str().unwrap();
    assert!(out.join(report).is_file(), "{report} is linked but missing");

    // import names its files after the host: wmic's computer name here.
    let wmic = dir.path().join("wmic-computersystem.txt");
    std::fs::write(
        &wmic,
        format!(
            "\r\n\r\nManufacturer=Dell Inc.\r\nModel=OptiPlex 7010\r\nName={KEY}\r\n\
             NumberOfLogicalProcessors=4\r\nNumberOfProcessors=1\r\nPCSystemType=1\r\n\
             SystemType=x64-based PC\r\nTotalPhysicalMemory=8475631616\r\n\r\n"
        ),
    )
    .unwrap();
    let imported = dir.path().join("imported");
    let stderr = w7plan()
        .args(["import", "-o"])
        .arg(&imported)
        .arg(&wmic)
        .arg(
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/evidence/elevated/PC-01-20261120-0914"),
        )
        .assert()
        .success()
        .get_output()
        .stderr
        .clone();
    assert_no_key(&String::from_utf8_lossy(&stderr), "import's messages");
    for entry in std::fs::read_dir(&imported).unwrap() {
        assert_no_key(
            &entry.unwrap().file_name().to_string_lossy(),
            "an imported file's name",
        );
    }
}

#[test]
fn a_full_key_in_wmic_partial_product_key_is_masked_through_import() {
    let dir = tempfile::tempdir().unwrap();
    let wmic = dir.path().join("wmic-licensing.txt");
    std::fs::write(
        &wmic,
        format!(
            "\r\n\r\nApplicationID=55c92734-d682-4d71-983e-d6ec3f16059f\r\n\
             Description=Windows Operating System - Windows(R) 7, OEM_SLP channel\r\n\
             LicenseStatus=1\r\nName=Windows(R) 7, Professional edition\r\n\
             PartialProductKey={KEY}\r\n\r\n"
        ),
    )
    .unwrap();
    let out = w7plan()
        .arg("import")
        .arg(&wmic)
        .assert()
        .success()
        .get_output()
        .clone();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_no_key(&text, "import's inventory");
    assert!(text.contains("6789B"), "the last group is kept:\n{text}");
    let file = dir.path().join("pc.yaml");
    w7plan()
        .args(["import", "--reveal-keys", "-o"])
        .arg(&file)
        .arg(&wmic)
        .assert()
        .success();
    assert!(read(&file).contains(KEY));
}

// ---- 4. Output injection ----

fn hostile_inventory(host: &str, cpu: &str) -> String {
    format!(
        "{{\"schema\": \"w7plan/inventory/v1\", \"host\": {{\"name\": {}, \"manufacturer\": \"+cmd|' /C calc'!A0\", \"model\": \"@SUM(1+1)*cmd|' /C calc'!A0\", \"serial\": \"-2+3\"}}, \"os\": {{\"family\": \"windows\", \"name\": \"=1+1\", \"version\": \"6.1\"}}, \"cpu\": {{\"brand\": {}}}, \"memory\": {{\"installed_bytes\": 1024}}}}",
        serde_json::to_string(host).unwrap(),
        serde_json::to_string(cpu).unwrap()
    )
}

#[test]
fn fleet_csv_cells_cannot_start_a_formula() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("in");
    std::fs::create_dir(&inputs).unwrap();
    std::fs::write(
        inputs.join("=HYPERLINK(x).json"),
        hostile_inventory("=HYPERLINK(\"http://evil.example\",\"click\")", "cpu"),
    )
    .unwrap();
    let out = dir.path().join("out");
    w7plan()
        .args(["fleet", "--as-of", AS_OF, "-o"])
        .arg(&out)
        .arg(&inputs)
        .assert()
        .success();
    let mut csv = csv::Reader::from_path(out.join("fleet.csv")).unwrap();
    let headers = csv.headers().unwrap().clone();
    let record = csv.records().next().unwrap().unwrap();
    for (name, cell) in headers.iter().zip(record.iter()) {
        assert!(
            !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
            "{name} starts a formula: {cell}"
        );
    }
    let cell = |name: &str| record[headers.iter().position(|h| h == name).unwrap()].to_string();
    assert_eq!(
        cell("host"),
        "'=HYPERLINK(\"http://evil.example\",\"click\")"
    );
    assert_eq!(cell("manufacturer"), "'+cmd|' /C calc'!A0");
    assert_eq!(cell("serial"), "'-2+3");
    assert_eq!(cell("os"), "'=1+1");
    assert!(cell("source").starts_with('\'') || !cell("source").starts_with('='));
    // The JSON keeps the values as they are.
    let json: serde_json::Value = serde_json::from_str(&read(&out.join("fleet.json"))).unwrap();
    assert_eq!(json["rows"][0]["serial"], "-2+3");
}

#[test]
fn the_terminal_table_shows_control_characters_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let inventory = dir.path().join("pc.json");
    std::fs::write(
        &inventory,
        hostile_inventory(
            "PC\u{1b}[2J\u{1b}]0;owned\u{7}",
            "Intel\u{1b}[31m FAKE READY\u{1b}[0m\r\u{9b}1A",
        ),
    )
    .unwrap();
    for color in ["never", "always"] {
        let text = stdout_of(
            w7plan()
                .args(["assess", "-f", "table", "--color", color, "--as-of", AS_OF])
                .arg(&inventory),
        );
        for bad in [
            "\u{1b}[2J",
            "\u{1b}]0;",
            "\u{7}",
            "\u{1b}[31m FAKE",
            "\r",
            "\u{9b}",
        ] {
            assert!(
                !text.contains(bad),
                "--color {color}: {bad:?} reached the terminal"
            );
        }
        assert!(text.contains("PC\\e[2J\\e]0;owned\\u{7}"), "{text}");
        if color == "never" {
            assert!(!text.contains('\u{1b}'));
        }
    }
}

#[test]
fn markdown_values_cannot_inject_markup_or_links() {
    let dir = tempfile::tempdir().unwrap();
    let inventory = dir.path().join("pc.json");
    std::fs::write(
        &inventory,
        hostile_inventory(
            "PC-01\n# Owned\n```\n<script>alert(1)</script>",
            "[click](javascript:alert(1)) <img src=x onerror=alert(1)>",
        ),
    )
    .unwrap();
    // A rule pack that cites a javascript: link.
    let rules = dir.path().join("rules");
    std::fs::create_dir(&rules).unwrap();
    std::fs::write(
        rules.join("house.yaml"),
        "pack: house\nchecks:\n  - id: house.memory\n    target: windows11\n    title: Memory\n    \
         severity: warning\n    pass: memory.installed_bytes >= 8 * GiB\n    observed: \"{{ cpu.brand }}\"\n    \
         required: 8 GB\n    refs: [{title: Evil, url: \"javascript:alert(1)\", as_of: \"2026-01-01\"}]\n    \
         examples:\n      - {inventory: {memory: {installed_bytes: 8589934592}}, expect: pass}\n",
    )
    .unwrap();
    let md = stdout_of(
        w7plan()
            .args(["assess", "-f", "md", "--as-of", AS_OF, "--rules"])
            .arg(&rules)
            .arg(&inventory),
    );
    // Every `<` from a value is escaped (`\<`), so no tag opens; the template itself has none.
    assert!(
        !md.match_indices('<')
            .any(|(at, _)| !md[..at].ends_with('\\')),
        "raw HTML in the Markdown:\n{md}"
    );
    assert!(md.contains("\\<script\\>"), "{md}");
    // A link needs an unescaped `]`: the value's is escaped, and the rule's link goes nowhere.
    assert!(!md.replace("\\]", "").contains("](javascript:"), "{md}");
    assert!(
        !md.lines()
            .any(|l| l.starts_with("# Owned") || l.starts_with("```")),
        "a line break in a value started a heading or a fence:\n{md}"
    );
    assert!(md.contains("[Evil](#)"), "{md}");
    let html = stdout_of(
        w7plan()
            .args(["assess", "-f", "html", "--as-of", AS_OF, "--rules"])
            .arg(&rules)
            .arg(&inventory),
    );
    assert!(
        !html.contains("href=\"javascript:"),
        "HTML keeps only web links"
    );
}

// ---- 5. Fleet counts and identity ----

#[test]
fn a_machine_named_many_ways_is_counted_once() {
    let work = tempfile::tempdir().unwrap();
    let ov = work.path().join("ov");
    synthetic(&ov.join("site-a"), 2);
    let out = work.path().join("out");
    w7plan()
        .current_dir(work.path())
        .args(["fleet", "--no-machine-reports", "--as-of", AS_OF, "-o"])
        .arg(&out)
        .args(["ov", "ov/site-a", "./ov"])
        .assert()
        .success();
    let json: serde_json::Value = serde_json::from_str(&read(&out.join("fleet.json"))).unwrap();
    assert_eq!(json["summary"]["machines"], 2);

    let one = std::fs::read_dir(ov.join("site-a"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .next()
        .unwrap();
    let mut cmd = w7plan();
    cmd.args(["fleet", "--no-machine-reports", "--as-of", AS_OF, "-o"])
        .arg(&out);
    for _ in 0..10_000 {
        cmd.arg(&one);
    }
    cmd.assert().success();
    let json: serde_json::Value = serde_json::from_str(&read(&out.join("fleet.json"))).unwrap();
    assert_eq!(json["summary"]["machines"], 1);
    assert_eq!(json["rows"].as_array().unwrap().len(), 1);
}

#[test]
fn report_names_do_not_depend_on_how_the_path_was_typed() {
    let work = tempfile::tempdir().unwrap();
    synthetic(&work.path().join("fleet1"), 3);
    let names = |input: &str, out: &str| {
        w7plan()
            .current_dir(work.path())
            .args(["fleet", "--as-of", AS_OF, "-o", out, input])
            .assert()
            .success();
        let json: serde_json::Value =
            serde_json::from_str(&read(&work.path().join(out).join("fleet.json"))).unwrap();
        json["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| (r["id"].clone(), r["report"].clone()))
            .collect::<Vec<_>>()
    };
    let plain = names("fleet1", "a");
    assert_eq!(plain.len(), 3);
    assert_eq!(plain, names("./fleet1", "b"));
    // Moved elsewhere, the machines keep their names.
    std::fs::rename(work.path().join("fleet1"), work.path().join("moved")).unwrap();
    assert_eq!(plain, names("moved/", "c"));
}

#[cfg(unix)]
#[test]
fn error_messages_show_control_characters_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("in");
    std::fs::create_dir(&inputs).unwrap();
    std::fs::write(
        inputs.join("\u{1b}[2J\u{1b}]0;x\u{7}.yaml"),
        "schema: nope\n",
    )
    .unwrap();
    let stderr = fleet_stderr_with_a_good_machine(&inputs, &dir.path().join("out"));
    assert!(
        !stderr.contains('\u{1b}') && !stderr.contains('\u{7}'),
        "{stderr:?}"
    );
    assert!(stderr.contains("\\e[2J"), "{stderr}");
}

/// The terminal table is laid out from a copy of the assessment with every string escaped; the
/// copy must come back for every shipped fixture (else only the finished text is escaped).
#[test]
fn every_fixture_assessment_survives_terminal_escaping() {
    let rules = w7plan::judge::rules::RuleSet::load(None).unwrap();
    let targets = w7plan::knowledge::targets::Targets::embedded().all();
    let as_of: jiff::civil::Date = AS_OF.parse().unwrap();
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/inventories");
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let inventory = w7plan::facts::import::read_path(&path).unwrap();
        let assessment =
            w7plan::judge::assess::Assessment::new(&inventory, &rules, &targets, as_of);
        let safe = w7plan::output::report::escape::terminal_assessment(
            &assessment,
            w7plan::output::files::Keys::Revealed,
        )
        .expect("comes back");
        // All the table shows is serialized (the unserialized full key it never shows).
        assert_eq!(
            serde_json::to_value(&safe).unwrap(),
            serde_json::to_value(&assessment).unwrap(),
            "{}",
            path.display()
        );
    }
}

/// A skipped file's name reaches the terminal escaped, like every other printed value, and an
/// input error names its file once (the error text already starts with file:line:column).
#[cfg(unix)]
#[test]
fn skipped_names_are_escaped_and_errors_name_their_file_once() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("in");
    std::fs::create_dir(&inputs).unwrap();
    std::fs::write(inputs.join("\u{1b}[2Jnotes.txt"), "shopping list\n").unwrap();
    std::fs::write(inputs.join("bad.yaml"), "schema: nope\n").unwrap();
    let stderr = fleet_stderr_with_a_good_machine(&inputs, &dir.path().join("out"));
    assert!(!stderr.contains('\u{1b}'), "{stderr:?}");
    let skipped = stderr.lines().find(|l| l.contains("skipped:")).unwrap();
    assert!(skipped.contains("\\e[2Jnotes.txt"), "{skipped}");
    let error = stderr.lines().find(|l| l.contains("input error:")).unwrap();
    assert_eq!(error.matches("bad.yaml").count(), 1, "{error}");
}

/// Runs `fleet` over `inputs` after adding one good machine to it (so a bad input makes the run
/// "some inputs unreadable", exit 3, not "nothing assessed", exit 2) and returns its stderr.
#[cfg(unix)]
fn fleet_stderr_with_a_good_machine(inputs: &Path, out: &Path) -> String {
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/inventories/coffee-lake-ready.yaml"),
        inputs.join("good.yaml"),
    )
    .unwrap();
    let stderr = w7plan()
        .args(["fleet", "--no-machine-reports", "--as-of", AS_OF, "-o"])
        .arg(out)
        .arg(inputs)
        .assert()
        .code(3)
        .get_output()
        .stderr
        .clone();
    String::from_utf8(stderr).unwrap()
}
