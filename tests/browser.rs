//! The HTML reports in a real browser (Debian's headless Chromium): they load from disk with no
//! console errors, the sections a reader looks for are there, the fleet dashboard's script fills
//! its machine table, and the report prints to PDF. `.ci/run` installs Chromium; elsewhere the
//! test says it was skipped unless `CI` is set, where a missing browser is a failure.

use std::path::{Path, PathBuf};
use std::process::Command;

fn chromium() -> Option<PathBuf> {
    ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.is_file())
}

fn browser_or_skip() -> Option<PathBuf> {
    let found = chromium();
    if found.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install chromium (see .ci/run)"
        );
        eprintln!("skipped: no chromium on this machine");
    }
    found
}

/// Runs headless Chromium on a file; returns (dumped DOM, console lines it logged).
fn load(browser: &Path, page: &Path, profile: &Path, extra: &[&str]) -> (String, Vec<String>) {
    let output = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let console = stderr
        .lines()
        .filter(|l| l.contains("CONSOLE"))
        .map(str::to_string)
        .collect();
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        console,
    )
}

fn w7plan(args: &[&str]) {
    let status = Command::new(env!("CARGO_BIN_EXE_w7plan"))
        .args(args)
        .status()
        .unwrap();
    assert!(
        status.success() || status.code() == Some(3),
        "w7plan {args:?}"
    );
}

#[test]
fn the_machine_report_renders_and_prints() {
    let Some(browser) = browser_or_skip() else {
        return;
    };
    let work = tempfile::tempdir().unwrap();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/inventories");
    for machine in ["kaby-lake-r-thinkpad", "ivy-bridge-optiplex"] {
        let html = work.path().join(format!("{machine}.html"));
        let input = fixtures.join(format!("{machine}.yaml"));
        w7plan(&[
            "assess",
            input.to_str().unwrap(),
            "--as-of",
            "2026-11-27",
            "-o",
            html.to_str().unwrap(),
        ]);
        let (dom, console) = load(
            &browser,
            &html,
            &work.path().join("profile"),
            &["--dump-dom"],
        );
        assert!(
            console.is_empty(),
            "{machine}: console messages: {console:#?}"
        );
        for section in [
            "executive-summary",
            "route",
            "software",
            "licence",
            "timeline",
            "machine",
            "sources",
            "windows11",
        ] {
            assert!(
                dom.contains(&format!("id=\"{section}\"")),
                "{machine}: no #{section} section"
            );
        }
        assert!(dom.contains("Recommended route"), "{machine}");
        let pdf = work.path().join(format!("{machine}.pdf"));
        load(
            &browser,
            &html,
            &work.path().join("profile"),
            &[
                &format!("--print-to-pdf={}", pdf.display()),
                "--no-pdf-header-footer",
            ],
        );
        let bytes = std::fs::read(&pdf).expect("a PDF was printed");
        assert!(
            bytes.starts_with(b"%PDF") && bytes.len() > 10_000,
            "{machine}: {} bytes",
            bytes.len()
        );
    }
}

#[test]
fn the_fleet_dashboard_script_fills_its_table() {
    let Some(browser) = browser_or_skip() else {
        return;
    };
    let work = tempfile::tempdir().unwrap();
    let inputs = work.path().join("in");
    w7plan::fleet::synthetic::write_fleet(&inputs, 30, 5, false).unwrap();
    let out = work.path().join("out");
    w7plan(&[
        "fleet",
        inputs.to_str().unwrap(),
        "--as-of",
        "2026-11-27",
        "--no-machine-reports",
        "-o",
        out.to_str().unwrap(),
    ]);
    let (dom, console) = load(
        &browser,
        &out.join("index.html"),
        &work.path().join("profile"),
        &["--dump-dom"],
    );
    assert!(console.is_empty(), "console messages: {console:#?}");
    assert!(
        dom.contains("showing 30 of 30"),
        "the script ran and counted the rows"
    );
    assert_eq!(
        dom.matches("class=\"pill ").count(),
        60,
        "a verdict pill per machine and target"
    );
}
