//! Fleet runs end to end: counts agree across index.html, fleet.csv and fleet.json and with
//! per-machine assessment; bad inputs are listed and the rest still assessed; output is
//! deterministic.

use assert_cmd::Command;
use predicates::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;
use w7plan::judge::assess::Assessment;
use w7plan::judge::rules::RuleSet;
use w7plan::knowledge::targets::Targets;

const AS_OF: &str = "2026-11-27";

fn w7plan() -> Command {
    Command::cargo_bin("w7plan").unwrap()
}

fn fleet_json(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("fleet.json")).unwrap()).unwrap()
}

/// The machine table data embedded in index.html.
fn dashboard_rows(dir: &Path) -> Vec<serde_json::Value> {
    let html = std::fs::read_to_string(dir.join("index.html")).unwrap();
    let start = html.find("id=\"w7plan-fleet\">").unwrap() + "id=\"w7plan-fleet\">".len();
    let end = start + html[start..].find("</script>").unwrap();
    let table: serde_json::Value = serde_json::from_str(&html[start..end]).unwrap();
    table["rows"].as_array().unwrap().clone()
}

/// The reports in a machines/ directory (not its hidden manifest).
fn reports_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    names.sort();
    names
}

/// The full size, as a fleet at a site is: about two minutes in a debug build, so it runs in
/// release where CI asks for it (`cargo test --release --test fleet -- --ignored`, see `.ci/run`).
#[test]
#[ignore = "ten thousand machines: run in release by .ci/run"]
fn ten_thousand_machines_and_corrupt_files() {
    check_a_fleet_with_corrupt_files(10_000);
}

/// The same assertions on a fleet small enough for every `cargo test`.
#[test]
fn three_hundred_machines_and_corrupt_files() {
    check_a_fleet_with_corrupt_files(300);
}

fn check_a_fleet_with_corrupt_files(machines: usize) {
    let work = tempfile::tempdir().unwrap();
    let inputs = work.path().join("in");
    w7plan::fleet::synthetic::write_fleet(&inputs.join("site-a"), machines as u64, 7, false)
        .unwrap();
    std::fs::write(
        inputs.join("corrupt.json"),
        "{\"schema\": \"w7plan/inventory/v1\", \"memory\": ",
    )
    .unwrap();
    std::fs::write(inputs.join("wrong-schema.yaml"), "schema: something/else\n").unwrap();
    std::fs::write(inputs.join("binary.json"), [0xff, 0x00, 0xfe, 0x12]).unwrap();
    std::fs::write(inputs.join("notes.txt"), "not an inventory, not picked up").unwrap();
    let out = work.path().join("out");
    w7plan()
        .args(["fleet", "--no-machine-reports", "--as-of", AS_OF, "-o"])
        .arg(&out)
        .arg(&inputs)
        .assert()
        .code(3)
        .stderr(predicate::str::contains(format!(
            "{machines} machines assessed, 3 input error(s)",
        )))
        .stderr(predicate::str::contains("corrupt.json"));

    let json = fleet_json(&out);
    let summary = &json["summary"];
    assert_eq!(summary["machines"], machines);
    assert_eq!(summary["input_errors"], 3);
    let errors: Vec<&str> = json["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["source"].as_str().unwrap())
        .collect();
    assert!(errors.iter().any(|s| s.ends_with("corrupt.json")));
    assert!(errors.iter().any(|s| s.ends_with("wrong-schema.yaml")));
    assert!(errors.iter().any(|s| s.ends_with("binary.json")));

    // Verdict counts: summary = fleet.json rows = fleet.csv = the dashboard's rows.
    let mut from_rows: BTreeMap<(String, String), usize> = BTreeMap::new();
    for row in json["rows"].as_array().unwrap() {
        for (target, verdict) in row["verdicts"].as_object().unwrap() {
            *from_rows
                .entry((target.clone(), verdict.as_str().unwrap().to_string()))
                .or_default() += 1;
        }
    }
    for target in ["windows11", "windows10"] {
        let counts = &summary["verdicts"][target];
        for (key, verdict) in [
            ("ready", "ready"),
            ("not_ready", "not-ready"),
            ("unknown", "unknown"),
        ] {
            let expected = counts[key].as_u64().unwrap() as usize;
            assert_eq!(
                from_rows
                    .get(&(target.to_string(), verdict.to_string()))
                    .copied()
                    .unwrap_or(0),
                expected,
                "{target} {verdict}"
            );
        }
    }
    let mut csv = csv::Reader::from_path(out.join("fleet.csv")).unwrap();
    let headers = csv.headers().unwrap().clone();
    let column = headers
        .iter()
        .position(|h| h == "verdict_windows11")
        .unwrap();
    let mut csv_counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut csv_rows = 0;
    for record in csv.records() {
        let record = record.unwrap();
        *csv_counts.entry(record[column].to_string()).or_default() += 1;
        csv_rows += 1;
    }
    assert_eq!(csv_rows, machines);
    assert_eq!(
        csv_counts.get("ready").copied().unwrap_or(0),
        summary["verdicts"]["windows11"]["ready"].as_u64().unwrap() as usize
    );
    assert_eq!(
        csv_counts.get("not-ready").copied().unwrap_or(0),
        summary["verdicts"]["windows11"]["not_ready"]
            .as_u64()
            .unwrap() as usize
    );
    let dashboard = dashboard_rows(&out);
    assert_eq!(dashboard.len(), machines);
    assert_eq!(dashboard, *json["rows"].as_array().unwrap());
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(html.contains(&format!(
        "<b>{}</b>not ready",
        summary["verdicts"]["windows11"]["not_ready"]
    )));
    assert!(
        html.contains("corrupt.json"),
        "the dashboard lists the bad inputs"
    );

    // A sample of machines agrees with assessing each one alone.
    let rules = RuleSet::load(None).unwrap();
    for row in json["rows"]
        .as_array()
        .unwrap()
        .iter()
        .step_by((machines / 10).clamp(1, 997))
    {
        let path = Path::new(row["source"].as_str().unwrap());
        let inventory = w7plan::facts::inventory::Inventory::read(path).unwrap();
        let alone = Assessment::new(
            &inventory,
            &rules,
            &Targets::embedded().all(),
            jiff::civil::date(2026, 11, 27),
        );
        for target in &alone.targets {
            assert_eq!(
                row["verdicts"][target.target.id()],
                target.verdict.as_str(),
                "{}",
                path.display()
            );
        }
        let failing: Vec<String> = alone
            .targets
            .iter()
            .flat_map(|t| &t.checks)
            .filter(|c| c.status == w7plan::vocab::Status::Fail)
            .map(|c| c.id.clone())
            .collect();
        let mut from_fleet: Vec<String> = row["failing"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect();
        let mut alone_sorted = failing.clone();
        from_fleet.sort();
        alone_sorted.sort();
        assert_eq!(from_fleet, alone_sorted, "{}", path.display());
        // The route and its cost too, though this run wrote no reports.
        let plan = &alone.plan.route;
        assert_eq!(
            row["route"].as_str(),
            plan.recommended.as_deref(),
            "{}",
            path.display()
        );
        let recommended = plan.recommended_option();
        assert_eq!(
            row["route_open"],
            serde_json::to_value(recommended.map(|o| o.open)).unwrap(),
            "{}",
            path.display()
        );
        let cost = recommended.and_then(|o| o.cost_usd);
        assert_eq!(
            row["cost_usd"],
            serde_json::to_value(cost).unwrap(),
            "{}",
            path.display()
        );
    }
    // Every machine has a route, counted in the summary; the estimated total adds the rows up.
    let routes = summary["routes"].as_object().unwrap();
    assert_eq!(
        routes.values().map(|v| v.as_u64().unwrap()).sum::<u64>(),
        machines as u64
    );
    let rows = json["rows"].as_array().unwrap();
    for (route, count) in summary["routes_to_confirm"].as_object().unwrap() {
        let to_confirm = rows
            .iter()
            .filter(|r| r["route"] == **route && r["route_open"] == "if-unknowns-pass")
            .count();
        assert_eq!(count.as_u64().unwrap() as usize, to_confirm, "{route}");
        assert!(to_confirm <= routes[route].as_u64().unwrap() as usize);
    }
    let low: f64 = rows.iter().filter_map(|r| r["cost_usd"][0].as_f64()).sum();
    let estimated = summary["estimated_cost_usd"][0].as_f64().unwrap();
    assert!((low - estimated).abs() < 0.01, "{low} vs {estimated}");
    assert_eq!(
        summary["cost_not_estimated"].as_u64().unwrap() as usize,
        rows.iter().filter(|r| r["cost_usd"].is_null()).count()
    );
}

#[test]
fn reports_are_written_with_unique_names_and_output_is_deterministic() {
    let work = tempfile::tempdir().unwrap();
    let inputs = work.path().join("in");
    w7plan::fleet::synthetic::write_fleet(&inputs, 20, 3, false).unwrap();
    // Two machines with the same host name (and serial numbers of their own) must not share a
    // report.
    let twin = std::fs::read_to_string(inputs.join("machine-000001.json")).unwrap();
    let serial = serde_json::from_str::<serde_json::Value>(&twin).unwrap()["host"]["serial"]
        .as_str()
        .unwrap()
        .to_string();
    std::fs::write(inputs.join("twin.json"), twin.replace(&serial, "TWIN0001")).unwrap();
    let run = |out: &Path| {
        w7plan()
            .args(["fleet", "--as-of", AS_OF, "-o"])
            .arg(out)
            .arg(&inputs)
            .assert()
            .success();
    };
    let first = work.path().join("first");
    let second = work.path().join("second");
    run(&first);
    run(&second);
    for name in ["fleet.json", "fleet.csv", "index.html"] {
        let a = std::fs::read_to_string(first.join(name)).unwrap();
        let b = std::fs::read_to_string(second.join(name)).unwrap();
        assert_eq!(a, b, "{name} differs between runs");
    }
    let reports = reports_in(&first.join("machines"));
    assert_eq!(
        reports.len(),
        42,
        "an html and an md report for each of 21 machines"
    );
    let json = fleet_json(&first);
    let twins: Vec<&serde_json::Value> = json["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["host"] == "PC-000001")
        .collect();
    assert_eq!(twins.len(), 2);
    assert_ne!(twins[0]["report"], twins[1]["report"]);
    for row in json["rows"].as_array().unwrap() {
        assert!(first.join(row["report"].as_str().unwrap()).is_file());
    }
    // Every machine has a route, the summary counts them, and the CSV says the same.
    let routes = json["summary"]["routes"].as_object().unwrap();
    assert_eq!(
        routes.values().map(|v| v.as_u64().unwrap()).sum::<u64>(),
        21
    );
    let mut csv = csv::Reader::from_path(first.join("fleet.csv")).unwrap();
    let column = csv
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "route")
        .unwrap();
    let from_csv: Vec<String> = csv
        .records()
        .map(|r| r.unwrap()[column].to_string())
        .collect();
    let from_json: Vec<String> = json["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["route"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(from_csv, from_json);

    // A later run over fewer machines replaces the reports whole: none of the old ones linger,
    // and nothing is left beside them.
    std::fs::remove_file(inputs.join("twin.json")).unwrap();
    run(&first);
    assert_eq!(reports_in(&first.join("machines")).len(), 40);
    assert_eq!(
        reports_in(&first),
        ["fleet.csv", "fleet.json", "index.html", "machines"]
    );
}

#[test]
fn reads_ndjson_from_stdin() {
    let work = tempfile::tempdir().unwrap();
    let mut ndjson = String::new();
    for index in 0..5 {
        ndjson.push_str(
            &serde_json::to_string(&w7plan::fleet::synthetic::machine(1, index)).unwrap(),
        );
        ndjson.push('\n');
    }
    ndjson.push_str("{\"schema\": \"nope\"}\n\n");
    let out = work.path().join("out");
    w7plan()
        .args(["fleet", "-", "--no-machine-reports", "--as-of", AS_OF, "-o"])
        .arg(&out)
        .write_stdin(ndjson)
        .assert()
        .code(3)
        .stderr(predicate::str::contains("<stdin>:6"));
    let json = fleet_json(&out);
    assert_eq!(json["summary"]["machines"], 5);
    assert_eq!(json["rows"][0]["source"], "<stdin>:1");
}

#[test]
fn fail_on_and_clean_exit() {
    let work = tempfile::tempdir().unwrap();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/inventories");
    let out = work.path().join("out");
    w7plan()
        .args(["fleet", "--no-machine-reports", "--as-of", AS_OF, "-o"])
        .arg(&out)
        .arg(fixtures.join("coffee-lake-ready.yaml"))
        .assert()
        .code(0);
    w7plan()
        .args([
            "fleet",
            "--no-machine-reports",
            "--fail-on",
            "blocker",
            "--as-of",
            AS_OF,
            "-o",
        ])
        .arg(&out)
        .arg(fixtures.join("coffee-lake-ready.yaml"))
        .arg(fixtures.join("ivy-bridge-optiplex.yaml"))
        .assert()
        .code(1);
    w7plan()
        .args(["fleet", "--as-of", AS_OF, "-o"])
        .arg(&out)
        .arg("/nonexistent/dir")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("/nonexistent/dir"))
        .stderr(predicate::str::contains(
            "no machine assessed: none of the 1 input(s) could be read",
        ));
}

#[test]
fn the_dashboard_escapes_machine_text() {
    let work = tempfile::tempdir().unwrap();
    let inputs = work.path().join("in");
    std::fs::create_dir_all(&inputs).unwrap();
    std::fs::write(
        inputs.join("evil.yaml"),
        "schema: w7plan/inventory/v1\nhost: {name: \"</script><script>alert(1)</script>\", model: \"<b>&\"}\n",
    )
    .unwrap();
    let out = work.path().join("out");
    w7plan()
        .args(["fleet", "--as-of", AS_OF, "-o"])
        .arg(&out)
        .arg(&inputs)
        .assert()
        .success();
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(!html.contains("<script>alert"));
    assert_eq!(
        dashboard_rows(&out)[0]["host"],
        "</script><script>alert(1)</script>"
    );
}

/// `ready-to-confirm` is counted, written to the CSV and the dashboard, and is no failure for
/// `--fail-on`; a requirement's bar shows its unknowns instead of leaving them out.
#[test]
fn ready_to_confirm_and_unknowns_are_shown() {
    let work = tempfile::tempdir().unwrap();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/inventories");
    let out = work.path().join("out");
    // Nothing known but the memory: unknown everywhere, which is no failure either.
    let unknowns = work.path().join("unknowns.yaml");
    std::fs::write(
        &unknowns,
        "schema: w7plan/inventory/v1\nhost: {name: BARE}\nmemory: {installed_bytes: 8589934592}\n",
    )
    .unwrap();
    w7plan()
        .args([
            "fleet",
            "--no-machine-reports",
            "--fail-on",
            "blocker",
            "--target",
            "windows11",
            "--as-of",
            AS_OF,
            "-o",
        ])
        .arg(&out)
        .arg(fixtures.join("coffee-lake-ready.yaml"))
        .arg(fixtures.join("kaby-lake-r-thinkpad.yaml"))
        .arg(&unknowns)
        .assert()
        .code(0);
    let json = fleet_json(&out);
    let counts = &json["summary"]["verdicts"]["windows11"];
    assert_eq!(counts["ready"], 1, "{counts}");
    assert_eq!(counts["ready_to_confirm"], 1, "{counts}");
    assert_eq!(counts["unknown"], 1, "{counts}");
    let csv = std::fs::read_to_string(out.join("fleet.csv")).unwrap();
    assert!(csv.contains(",ready-to-confirm,"), "{csv}");
    // A check some machine could not answer.
    let graphics = json["summary"]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["unknown"].as_u64().unwrap() > 0)
        .expect("a check with unknowns")
        .clone();
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(html.contains("ready — to confirm"));
    // Every check's bar has a segment for its unknowns, sized by their share.
    let shares = graphics["shares"].as_array().unwrap();
    let unknown_share = shares[2].as_f64().unwrap();
    assert!(unknown_share > 0.0);
    assert_eq!(
        unknown_share,
        graphics["unknown"].as_f64().unwrap()
            / (graphics["pass"].as_f64().unwrap()
                + graphics["fail"].as_f64().unwrap()
                + graphics["unknown"].as_f64().unwrap())
    );
    assert!(
        html.contains("class=\"unknown\" style=\"width:"),
        "no unknown segment"
    );
}

fn evidence_file(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/evidence")
        .join(name)
}

#[test]
fn raw_tool_outputs_are_assessed_and_other_files_listed_as_skipped() {
    let work = tempfile::tempdir().unwrap();
    let inputs = work.path().join("in");
    // One PC's loose outputs in a folder of their own, merged as `import` merges them ...
    let pc = inputs.join("PC-01");
    std::fs::create_dir_all(&pc).unwrap();
    std::fs::copy(
        evidence_file("files/systeminfo-it-utf8.txt"),
        pc.join("systeminfo.txt"),
    )
    .unwrap();
    std::fs::copy(
        evidence_file("files/wmic-os-fr-list.txt"),
        pc.join("os.txt"),
    )
    .unwrap();
    // ... raw outputs loose in the walked folder, one machine each ...
    for name in [
        "systeminfo-ru-cp866.txt",
        "systeminfo-de-cp850.csv",
        "hwreadiness-bom.json",
    ] {
        std::fs::copy(evidence_file(&format!("files/{name}")), inputs.join(name)).unwrap();
    }
    // ... an inventory, and files that hold nothing w7plan reads.
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/inventories/core2-32bit.yaml"),
        inputs.join("core2.yaml"),
    )
    .unwrap();
    std::fs::write(
        inputs.join("README.txt"),
        "Collected by the help desk, March\n",
    )
    .unwrap();
    std::fs::write(inputs.join("export.json"), "{\"rows\": []}").unwrap();
    std::fs::write(inputs.join("photo.jpg"), [0xff, 0xd8, 0xff, 0xe0, 0, 0x10]).unwrap();
    std::fs::write(
        inputs.join("nic.txt"),
        "\r\nAdapterType=Ethernet 802.3\r\nMACAddress=00:11:22:33:44:55\r\n\r\n",
    )
    .unwrap();
    std::fs::write(inputs.join(".DS_Store"), [0u8, 0, 0, 1]).unwrap();
    let out = work.path().join("out");
    w7plan()
        .args(["fleet", "--no-machine-reports", "--as-of", AS_OF, "-o"])
        .arg(&out)
        .arg(&inputs)
        .assert()
        .code(0)
        .stderr(predicate::str::contains(
            "5 machines assessed, 0 input error(s), 4 file(s) skipped",
        ))
        .stderr(predicate::str::contains("README.txt: text that is neither"));
    let json = fleet_json(&out);
    assert_eq!(json["summary"]["machines"], 5);
    assert_eq!(json["summary"]["skipped"], 4);
    let sources: Vec<String> = json["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["source"]
                .as_str()
                .unwrap()
                .rsplit('/')
                .next()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(
        sources,
        [
            "PC-01",
            "core2.yaml",
            "hwreadiness-bom.json",
            "systeminfo-de-cp850.csv",
            "systeminfo-ru-cp866.txt"
        ]
    );
    // The folder's two outputs are one machine (one row, named by the folder), as `assess`
    // and `import` read it.
    let pc_row = &json["rows"][0];
    assert_eq!(pc_row["host"], "NETBOOK", "{pc_row}");
    let assessed = w7plan()
        .args(["assess", "--format", "json", "--as-of", AS_OF])
        .arg(&pc)
        .output()
        .unwrap();
    let assessed: serde_json::Value = serde_json::from_slice(&assessed.stdout).unwrap();
    assert_eq!(assessed["os"]["name"], pc_row["os"], "{assessed}");
    let skipped: BTreeMap<String, String> = json["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["source"]
                    .as_str()
                    .unwrap()
                    .rsplit('/')
                    .next()
                    .unwrap()
                    .to_string(),
                s["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        skipped.keys().collect::<Vec<_>>(),
        ["README.txt", "export.json", "nic.txt", "photo.jpg"]
    );
    assert!(skipped["export.json"].contains("no `schema` key"));
    assert!(skipped["nic.txt"].contains("wmic output of a class w7plan does not read"));
    assert!(skipped["photo.jpg"].contains("not text"));
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(html.contains("4 files skipped"));
    assert!(html.contains("<code>") && html.contains("README.txt</code>"));
}

#[test]
fn a_run_that_assesses_nothing_exits_2_and_says_why() {
    let work = tempfile::tempdir().unwrap();
    let empty = work.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let out = work.path().join("out");
    w7plan()
        .args(["fleet", "--as-of", AS_OF, "-o"])
        .arg(&out)
        .arg(&empty)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "no machine assessed: the inputs hold nothing to read",
        ));
    std::fs::write(empty.join("notes.md"), "# Site B\n").unwrap();
    w7plan()
        .args(["fleet", "--as-of", AS_OF, "-o"])
        .arg(&out)
        .arg(&empty)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("none of the 1 file(s) found"))
        .stderr(predicate::str::contains("skipped: "));
    // A file named on the command line must be read: not skipped, an input error.
    w7plan()
        .args(["fleet", "--as-of", AS_OF, "-o"])
        .arg(&out)
        .arg(empty.join("notes.md"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("input error: "));
}

/// `fleet.json` of a fleet run (exit 0) over `../shared/samples/SUBDIR`, read in place; `None`
/// (with a note) where the samples are not there.
fn fleet_of_samples(subdir: &str) -> Option<serde_json::Value> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/samples")
        .join(subdir);
    if !dir.is_dir() {
        println!("skipped: {} does not exist", dir.display());
        return None;
    }
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("out");
    w7plan()
        .args(["fleet", "--no-machine-reports", "--as-of", AS_OF, "-o"])
        .arg(&out)
        .arg(&dir)
        .assert()
        .code(0);
    Some(fleet_json(&out))
}

#[test]
fn the_systeminfo_samples_are_a_fleet() {
    // The real outputs in ../shared/samples/systeminfo, read in place: 19 outputs of 17
    // machines (one PC's systeminfo from cmd and from PowerShell, and WIN7SP1X64's A and B
    // outputs, are one machine each by host name), and the one file that is a list of updates
    // (no machine facts) is skipped.
    let Some(json) = fleet_of_samples("systeminfo") else {
        return;
    };
    assert_eq!(json["summary"]["machines"], 17);
    assert_eq!(json["summary"]["merged_machines"], 2);
    assert_eq!(json["summary"]["merged_inputs"], 4);
    assert_eq!(json["summary"]["input_errors"], 0);
    assert_eq!(json["summary"]["skipped"], 1);
    assert!(json["skipped"][0]["source"]
        .as_str()
        .unwrap()
        .ends_with("_updates.txt"));
    assert!(json["rows"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["host"].is_string() && r["os"].is_string()));
}

#[test]
fn every_sample_folder_is_a_fleet() {
    // Done-when of issue 12 §1: every file under ../shared/samples that holds machine facts is
    // assessed; each other file is listed as skipped with its reason; none is unreadable.
    let Some(json) = fleet_of_samples("") else {
        return;
    };
    assert_eq!(json["summary"]["input_errors"], 0);
    // 51 inputs of 45 machines: the same PC in several files (two GLPI exports of one serial,
    // three msinfo32 formats of one server, two pairs of systeminfo outputs, Get-ComputerInfo
    // and Get-CimInstance of one serial) is merged.
    assert_eq!(json["summary"]["machines"], 45);
    assert_eq!(json["summary"]["merged_inputs"], 11);
    let sources: Vec<&str> = json["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["source"].as_str().unwrap())
        .collect();
    for folder in [
        "/systeminfo/",
        "/msinfo32/",
        "/glpi/",
        "/wmic/",
        "/reg/",
        "/powershell/",
    ] {
        assert!(sources.iter().any(|s| s.contains(folder)), "{folder}");
    }
    let skipped = json["skipped"].as_array().unwrap();
    assert_eq!(
        skipped.len(),
        json["summary"]["skipped"].as_u64().unwrap() as usize
    );
    for s in skipped {
        let source = s["source"].as_str().unwrap();
        assert!(!s["reason"].as_str().unwrap().is_empty(), "{source}");
        assert!(
            !source.contains("/msinfo32/") && !source.ends_with(".xml"),
            "{source} holds machine facts"
        );
        for facts in [
            "Get-ComputerInfo",
            "Get-CimInstance",
            "RegistrySoftware",
            "Win32_Volume",
            "wmic_product",
            "CIM_LogicalDevice",
            "PhysicalMemoryArray",
        ] {
            assert!(!source.contains(facts), "{source} holds machine facts");
        }
        // Free text is plain text, not a wmic table of an unknown class.
        if source.ends_with("LICENSE-glpi-inventory-format.txt") {
            let reason = s["reason"].as_str().unwrap();
            assert!(reason.starts_with("text that is neither"), "{reason}");
        }
    }
    assert!(skipped.iter().any(|s| s["source"]
        .as_str()
        .unwrap()
        .ends_with("inventory.schema.json")));
}

/// Writes a minimal inventory collected on `date` (or with no date) by `collector`.
fn dated_inventory(dir: &Path, file: &str, host: &str, date: Option<&str>) -> std::path::PathBuf {
    let path = dir.join(file);
    let collected = date.map_or(String::new(), |d| format!("collected_at: {d}\n"));
    std::fs::write(
        &path,
        format!(
            "schema: w7plan/inventory/v1\n{collected}source: {{collector: GLPI Agent, version: 1.7}}\n\
             host: {{name: {host}}}\nmemory: {{installed_bytes: 8589934592}}\n"
        ),
    )
    .unwrap();
    path
}

#[test]
fn provenance_and_stale_data_are_shown() {
    let work = tempfile::tempdir().unwrap();
    let fresh = dated_inventory(
        work.path(),
        "fresh.yaml",
        "FRESH",
        Some("2026-11-20T09:14:00Z"),
    );
    // 181 days before the as-of date: one over the default of 180.
    let stale = dated_inventory(work.path(), "stale.yaml", "STALE", Some("2026-05-30"));
    let undated = dated_inventory(work.path(), "undated.yaml", "UNDATED", None);
    let run = |out: &Path, extra: &[&str]| {
        w7plan()
            .args(["fleet", "--no-machine-reports", "--as-of", AS_OF, "-o"])
            .arg(out)
            .args(extra)
            .args([&fresh, &stale, &undated])
            .assert()
            .success();
    };
    let out = work.path().join("out");
    run(&out, &[]);
    let json = fleet_json(&out);
    assert_eq!(json["summary"]["stale"], 1);
    assert_eq!(json["summary"]["date_unknown"], 1);
    assert_eq!(json["summary"]["stale_after_days"], 180);
    let mut csv = csv::Reader::from_path(out.join("fleet.csv")).unwrap();
    let headers: Vec<String> = csv.headers().unwrap().iter().map(String::from).collect();
    // New columns come after every existing one: scripts read columns by position.
    let report = headers.iter().position(|h| h == "source").unwrap();
    assert_eq!(
        headers[report + 1..],
        [
            "collector",
            "collector_version",
            "collected_at",
            "data_age_days",
            "freshness",
            "source_count"
        ]
    );
    let rows: BTreeMap<String, Vec<String>> = csv
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[0].to_string(), r.iter().map(String::from).collect())
        })
        .collect();
    let tail = |host: &str| rows[host][report + 1..].to_vec();
    assert_eq!(
        tail("FRESH"),
        [
            "GLPI Agent",
            "1.7",
            "2026-11-20T09:14:00Z",
            "7",
            "fresh",
            "1"
        ]
    );
    assert_eq!(
        tail("STALE"),
        ["GLPI Agent", "1.7", "2026-05-30", "181", "stale", "1"]
    );
    assert_eq!(
        tail("UNDATED"),
        ["GLPI Agent", "1.7", "", "", "date-unknown", "1"]
    );
    // The whole CSV, pinned: the route and cost columns come from the rules and prices.
    insta::assert_snapshot!(
        "fleet-csv-provenance",
        std::fs::read_to_string(out.join("fleet.csv"))
            .unwrap()
            .replace(&*work.path().to_string_lossy(), "[WORK]")
    );
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(html.contains("1 machine with stale data"), "no stale count");
    assert!(html.contains("1 machine with no collection date"));
    let table = dashboard_rows(&out);
    let stale_row = table.iter().find(|r| r["host"] == "STALE").unwrap();
    assert_eq!(stale_row["freshness"], "stale");
    assert_eq!(stale_row["age_days"], 181);
    assert_eq!(stale_row["collector"], "GLPI Agent");

    // A longer threshold makes the same machine fresh.
    let out = work.path().join("out-365");
    run(&out, &["--stale-after", "365"]);
    let json = fleet_json(&out);
    assert_eq!(json["summary"]["stale"], 0);
    assert!(std::fs::read_to_string(out.join("index.html"))
        .unwrap()
        .contains("No machine with stale data"));
}

#[test]
fn one_pc_seen_by_two_sources_is_one_machine() {
    let work = tempfile::tempdir().unwrap();
    let inputs = work.path().join("in");
    std::fs::create_dir(&inputs).unwrap();
    let write = |name: &str, text: &str| {
        std::fs::write(
            inputs.join(name),
            format!("schema: w7plan/inventory/v1\n{text}"),
        )
        .unwrap()
    };
    // The same PC by serial: the newer input's CPU, the older one's memory (it alone has it).
    write(
        "glpi-pc7.yaml",
        "collected_at: 2026-11-20T10:00:00Z\nsource: {collector: GLPI Agent, version: '1.7'}\n\
         host: {name: PC-7, serial: CZC1234ABC}\ncpu: {brand: Newer CPU name}\n",
    );
    write(
        "sccm-pc7.yaml",
        "collected_at: 2025-01-02\nsource: {collector: ConfigMgr}\n\
         host: {name: pc-7, serial: ' czc1234abc '}\ncpu: {brand: Older CPU name}\n\
         memory: {installed_bytes: 4294967296}\n",
    );
    // The same PC by host name, as WMI (NetBIOS, upper case) and w7plan's exe give it; the
    // exe's serial is a placeholder, so the name decides.
    write(
        "wmi-vm.yaml",
        "collected_at: 2026-10-01\nhost: {name: VM}\nos: {name: Microsoft Windows 7 Professional}\n",
    );
    write(
        "exe-vm.yaml",
        "collected_at: 2026-11-01\nhost: {name: vm, serial: '0'}\n",
    );
    // Two PCs whose firmware holds the same placeholder serial stay two.
    write(
        "oem-a.yaml",
        "host: {name: OEM-A, serial: To be filled by O.E.M.}\n",
    );
    write(
        "oem-b.yaml",
        "host: {name: OEM-B, serial: To be filled by O.E.M.}\n",
    );
    // A PC that took an old name, with a serial of its own, is another machine.
    write("new-pc7.yaml", "host: {name: PC-7, serial: 5CG9999XYZ}\n");
    let out = work.path().join("out");
    w7plan()
        .args(["fleet", "--as-of", AS_OF, "-o"])
        .arg(&out)
        .arg(&inputs)
        .assert()
        .success();
    let json = fleet_json(&out);
    assert_eq!(json["summary"]["machines"], 5, "{:#}", json["rows"]);
    assert_eq!(json["summary"]["merged_machines"], 2);
    assert_eq!(json["summary"]["merged_inputs"], 4);
    let rows = json["rows"].as_array().unwrap();
    let pc7 = rows
        .iter()
        .find(|r| r["serial"] == "CZC1234ABC")
        .expect("the merged PC-7");
    assert_eq!(pc7["source_count"], 2);
    assert_eq!(
        pc7["collector"], "GLPI Agent",
        "the newest input's provenance"
    );
    assert_eq!(pc7["collected_at"], "2026-11-20T10:00:00Z");
    assert!(pc7["merged_sources"][0]
        .as_str()
        .unwrap()
        .ends_with("glpi-pc7.yaml"));
    let vm: Vec<_> = rows
        .iter()
        .filter(|r| r["host"].as_str().unwrap().eq_ignore_ascii_case("vm"))
        .collect();
    assert_eq!(vm.len(), 1);
    assert_eq!(vm[0]["host"], "vm", "the newer input's host name");
    assert_eq!(vm[0]["os"], "Microsoft Windows 7 Professional");
    assert_eq!(
        rows.iter()
            .filter(|r| r["serial"] == "To be filled by O.E.M.")
            .count(),
        2
    );
    // The merged machine's report holds the facts of both inputs and says it was merged.
    let report = std::fs::read_to_string(
        out.join("machines").join(
            pc7["report"]
                .as_str()
                .unwrap()
                .trim_start_matches("machines/")
                .replace(".html", ".md"),
        ),
    )
    .unwrap();
    assert!(report.contains("Newer CPU name"), "{report}");
    assert!(!report.contains("Older CPU name"));
    assert!(report.contains("seen by 2 inputs"));
    assert!(
        report.contains("4 GiB") || report.contains("4.0 GiB") || report.contains("4 GB"),
        "{report}"
    );
    // Only the merged machines' reports remain: one html and one md each.
    assert_eq!(reports_in(&out.join("machines")).len(), 10);
    // The counts agree with the rows, the CSV says from how many sources, and the dashboard
    // how many were merged.
    let tally: u64 = json["summary"]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            ["pass", "fail", "unknown", "not_applicable"]
                .iter()
                .map(|k| c[k].as_u64().unwrap())
                .sum::<u64>()
        })
        .max()
        .unwrap();
    assert_eq!(tally, 5);
    let mut csv = csv::Reader::from_path(out.join("fleet.csv")).unwrap();
    assert_eq!(
        csv.headers().unwrap().iter().next_back(),
        Some("source_count")
    );
    let counts: Vec<String> = csv
        .records()
        .map(|r| r.unwrap().iter().next_back().unwrap().to_string())
        .collect();
    assert_eq!(counts.iter().filter(|c| *c == "2").count(), 2);
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(html.contains("2 machines seen by more than one input, merged from 4 inputs"));
}

#[test]
fn a_synthetic_configmgr_export_holds_the_same_machines() {
    // What the benchmark compares: the same machines as inventories and as one export.
    let work = tempfile::tempdir().unwrap();
    let export = work.path().join("cm");
    std::fs::create_dir_all(&export).unwrap();
    w7plan::fleet::synthetic::write_configmgr_export(&export.join("export.csv"), 50, 7).unwrap();
    let out = work.path().join("out");
    w7plan()
        .args(["fleet", "--no-machine-reports", "--as-of", AS_OF, "-o"])
        .arg(&out)
        .arg(&export)
        .assert()
        .code(0);
    let json = fleet_json(&out);
    assert_eq!(json["summary"]["machines"], 50);
    let first = w7plan::fleet::synthetic::machine(7, 0);
    let row = json["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["host"] == "PC-000000")
        .unwrap()
        .clone();
    assert_eq!(
        row["serial"].as_str(),
        first.host.unwrap().serial.as_deref()
    );
    assert_eq!(row["collector"], "Microsoft Configuration Manager");
}
