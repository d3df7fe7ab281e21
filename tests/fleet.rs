//! Fleet runs end to end: counts agree across index.html, fleet.csv and fleet.json and with
//! per-machine assessment; bad inputs are listed and the rest still assessed; output is
//! deterministic.

use assert_cmd::Command;
use predicates::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;
use w7plan::judge::assess::Assessment;
use w7plan::judge::rules::RuleSet;
use w7plan::vocab::Target;

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

#[test]
fn ten_thousand_machines_and_corrupt_files() {
    let work = tempfile::tempdir().unwrap();
    let inputs = work.path().join("in");
    w7plan::fleet::synthetic::write_fleet(&inputs.join("site-a"), 10_000, 7, false).unwrap();
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
        .stderr(predicate::str::contains(
            "10000 machines assessed, 3 input error(s)",
        ))
        .stderr(predicate::str::contains("corrupt.json"));

    let json = fleet_json(&out);
    let summary = &json["summary"];
    assert_eq!(summary["machines"], 10_000);
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
    assert_eq!(csv_rows, 10_000);
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
    assert_eq!(dashboard.len(), 10_000);
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
    for row in json["rows"].as_array().unwrap().iter().step_by(997) {
        let path = Path::new(row["source"].as_str().unwrap());
        let inventory = w7plan::facts::inventory::Inventory::read(path).unwrap();
        let alone = Assessment::new(
            &inventory,
            &rules,
            &Target::ALL,
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
        10_000
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
    // Two machines with the same host name must not share a report.
    let twin = std::fs::read_to_string(inputs.join("machine-000001.json")).unwrap();
    std::fs::write(inputs.join("twin.json"), twin).unwrap();
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

#[test]
fn the_systeminfo_samples_are_a_fleet() {
    // The real outputs in ../shared/samples/systeminfo, read in place: 19 machines, and the
    // one file that is a list of updates (no machine facts) is skipped.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/samples/systeminfo");
    if !dir.is_dir() {
        println!("skipped: {} does not exist", dir.display());
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("out");
    w7plan()
        .args(["fleet", "--no-machine-reports", "--as-of", AS_OF, "-o"])
        .arg(&out)
        .arg(&dir)
        .assert()
        .code(0);
    let json = fleet_json(&out);
    assert_eq!(json["summary"]["machines"], 19);
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
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/samples");
    if !dir.is_dir() {
        println!("skipped: {} does not exist", dir.display());
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("out");
    w7plan()
        .args(["fleet", "--no-machine-reports", "--as-of", AS_OF, "-o"])
        .arg(&out)
        .arg(&dir)
        .assert()
        .code(0);
    let json = fleet_json(&out);
    assert_eq!(json["summary"]["input_errors"], 0);
    assert_eq!(json["summary"]["machines"], 43);
    let sources: Vec<&str> = json["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["source"].as_str().unwrap())
        .collect();
    for folder in ["/systeminfo/", "/msinfo32/", "/glpi/", "/wmic/", "/reg/"] {
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
    }
    assert!(skipped.iter().any(|s| s["source"]
        .as_str()
        .unwrap()
        .ends_with("inventory.schema.json")));
}
