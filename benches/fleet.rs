//! Fleet throughput and peak memory: synthetic fleets run through the release binary, each run a
//! child process whose peak resident memory is read from `wait4(2)` when it ends (the kernel's
//! own high-water mark for that process, not a figure the binary reports of itself), printed as
//! machines per second and peak MiB per input format, with each format's ratio to the same
//! machines as w7plan inventories (JSON):
//! - w7plan inventories (JSON; YAML at sizes up to 10,000), parse only, summary, and with
//!   machine reports, and how much the rules add on top of reading the input (summary run ÷
//!   parse-only run);
//! - the same machines as one Configuration Manager wide CSV (read a row at a time) and as a
//!   ConfigMgr per-view export (one CSV per view, joined by ResourceID);
//! - a folder of GLPI inventory files, copies of a real sample (`W7PLAN_BENCH_GLPI`, default
//!   `../shared/samples/glpi/glpi-json-computer_1.json`) each with its own host name and serial,
//!   beside the same machines as w7plan inventories.
//!
//! `cargo bench --bench fleet`. Environment:
//! - `W7PLAN_BENCH_SIZES=50000` chooses the sizes (default `10000`, a few minutes on two cores;
//!   each 50,000-machine input takes 1–2 GB of disk while its rows run);
//! - `W7PLAN_BENCH_RUNS=5` repeats each run and keeps the fastest (default 3): on a shared
//!   machine a single run can be a third slower than the next one, and the fastest run is the
//!   one least disturbed; the peak shown is that run's;
//! - `W7PLAN_BENCH_REPORTS=10000` caps the sizes that also write machine reports (default:
//!   10,000; 100,000 machines with reports write about 13 GB);
//! - `W7PLAN_BENCH_BIN=PATH` runs another w7plan binary (an older build kept aside, to compare
//!   before and after a change on the same inputs in one sitting);
//! - `W7PLAN_BENCH_CONFIGMGR=10000` caps the sizes also run as ConfigMgr and GLPI exports
//!   (default: all; 0: none);
//! - `W7PLAN_BENCH_GLPI=FILE` the GLPI inventory (JSON or XML) copied into the GLPI folder.

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

struct Stats {
    seconds: f64,
    per_second: f64,
    /// Peak resident memory of the run's process, MiB.
    peak_mib: f64,
}

/// Runs `command` to its end; its standard error and its peak resident memory in MiB.
#[cfg(unix)]
// The child is reaped by wait4 below, which std's `wait` cannot replace: it drops the usage.
#[allow(clippy::zombie_processes)]
fn run_measured(mut command: Command) -> (String, f64) {
    let mut child = command
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the w7plan binary runs");
    let mut stderr = child.stderr.take().expect("a piped stderr");
    // Read while the child runs, so a full pipe never stalls it.
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        stderr.read_to_string(&mut text).ok();
        text
    });
    let pid = libc::pid_t::try_from(child.id()).expect("a process id");
    let mut status: libc::c_int = 0;
    // SAFETY: `rusage` is plain integers, for which all zeroes is a valid value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `pid` is this process's own child, not yet waited for (std's `Child` is never
    // waited on after this); both pointers are to locals that outlive the call.
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(
        waited,
        pid,
        "wait4 failed: {}",
        std::io::Error::last_os_error()
    );
    let text = reader.join().expect("stderr read");
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "w7plan failed ({status}):\n{text}"
    );
    // Linux gives ru_maxrss in KiB (macOS in bytes).
    let kib = if cfg!(target_os = "macos") {
        usage.ru_maxrss as f64 / 1024.0
    } else {
        usage.ru_maxrss as f64
    };
    (text, kib / 1024.0)
}

/// Elsewhere the binary's own figure (`--stats`) is all there is.
#[cfg(not(unix))]
fn run_measured(mut command: Command) -> (String, f64) {
    let output = command.output().expect("the w7plan binary runs");
    let text = String::from_utf8_lossy(&output.stderr).into_owned();
    let peak = text
        .lines()
        .find(|l| l.starts_with("stats: "))
        .and_then(|l| l.split_whitespace().rev().nth(1)?.parse().ok())
        .unwrap_or(f64::NAN);
    (text, peak)
}

fn run_once(inputs: &Path, out: &Path, extra: &[&str]) -> Stats {
    let bin =
        std::env::var_os("W7PLAN_BENCH_BIN").unwrap_or_else(|| env!("CARGO_BIN_EXE_w7plan").into());
    let mut command = Command::new(bin);
    command
        .args(["fleet", "--as-of", "2026-11-27", "--stats", "-o"])
        .arg(out)
        .args(extra)
        .arg(inputs);
    let (stderr, peak_mib) = run_measured(command);
    let line = stderr
        .lines()
        .find(|l| l.starts_with("stats: "))
        .unwrap_or_else(|| panic!("no stats line in:\n{stderr}"));
    // stats: N inputs in S s, R machines/s, peak memory M MiB
    let words: Vec<&str> = line.split_whitespace().collect();
    Stats {
        seconds: words[4].parse().unwrap(),
        per_second: words[6].parse().unwrap(),
        peak_mib,
    }
}

fn fastest(runs: Vec<Stats>) -> Stats {
    runs.into_iter()
        .min_by(|a, b| a.seconds.total_cmp(&b.seconds))
        .expect("at least one run")
}

/// The fastest of `runs` runs. Each writes to a directory of its own that is removed only once
/// the size is done: ext4 avoids reusing the inodes of files deleted in the last minutes, and a
/// run that follows the deletion of 20,000 reports spends a fifth of its time searching past
/// them, which is the file system's cost, not w7plan's.
fn run_fleet(inputs: &Path, outs: &Path, extra: &[&str], runs: usize) -> Stats {
    fastest(
        (0..runs.max(1))
            .map(|_| {
                let out = tempfile::tempdir_in(outs).expect("an output directory");
                run_once(inputs, &out.keep(), extra)
            })
            .collect(),
    )
}

fn env_number(name: &str) -> Option<u64> {
    std::env::var(name).ok()?.trim().parse().ok()
}

/// `count` copies of a GLPI inventory in `dir`, each its own machine (device id, host name and
/// serial numbered, so the fleet does not merge them into one PC); and the same machines as
/// w7plan inventories (JSON) in `as_inventories`.
/// Either is written at a time (`None` for the other), so the two never take disk together.
fn write_glpi(sample: &Path, dir: Option<&Path>, as_inventories: Option<&Path>, count: u64) {
    let text = std::fs::read_to_string(sample).expect("the GLPI sample reads");
    let json = sample
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let inventory = w7plan::facts::import::import_path(sample).expect("the GLPI sample imports");
    let (name, serial) = inventory
        .host
        .as_ref()
        .map(|h| {
            (
                h.name.clone().unwrap_or_default(),
                h.serial.clone().unwrap_or_default(),
            )
        })
        .unwrap_or_default();
    assert!(
        !name.is_empty() && !serial.is_empty(),
        "the GLPI sample names its host and serial"
    );
    for index in 0..count {
        let (new_name, new_serial) = (format!("GLPI-{index:06}"), format!("BENCH{index:07}"));
        // The host name and serial wherever the file holds them (device id included).
        let copy = text.replace(&serial, &new_serial).replace(&name, &new_name);
        if let Some(dir) = dir {
            std::fs::create_dir_all(dir).expect("a GLPI folder");
            let file = dir.join(format!(
                "pc-{index:06}.{}",
                if json { "json" } else { "xml" }
            ));
            std::fs::write(file, copy).expect("a GLPI file written");
        }
        if let Some(as_inventories) = as_inventories {
            std::fs::create_dir_all(as_inventories).expect("an inventory folder");
            let mut machine = inventory.clone();
            if let Some(host) = machine.host.as_mut() {
                host.name = Some(new_name);
                host.serial = Some(new_serial);
            }
            std::fs::write(
                as_inventories.join(format!("pc-{index:06}.json")),
                machine.to_json(),
            )
            .expect("an inventory written");
        }
    }
}

struct Table {
    rows: Vec<(String, u64, Stats)>,
}

impl Table {
    fn add(&mut self, name: &str, size: u64, stats: Stats) {
        println!(
            "{:<40} {:>9} {:>10.2} {:>12.0} {:>10.1}",
            name, size, stats.seconds, stats.per_second, stats.peak_mib
        );
        self.rows.push((name.to_string(), size, stats));
    }

    fn get(&self, name: &str, size: u64) -> Option<&Stats> {
        self.rows
            .iter()
            .find(|(n, s, _)| n == name && *s == size)
            .map(|(_, _, stats)| stats)
    }
}

const JSON: &str = "json inventories, summary + csv";
const GLPI_AS_JSON: &str = "  same machines as json inventories";

fn main() {
    // `cargo bench` passes `--bench`; a plain run of the harness-less target must still work.
    let sizes: Vec<u64> = std::env::var("W7PLAN_BENCH_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![10_000]);
    let runs = env_number("W7PLAN_BENCH_RUNS").unwrap_or(3) as usize;
    let reports_up_to = env_number("W7PLAN_BENCH_REPORTS").unwrap_or(10_000);
    let engines_up_to = env_number("W7PLAN_BENCH_CONFIGMGR").unwrap_or(u64::MAX);
    let glpi_sample: PathBuf = std::env::var_os("W7PLAN_BENCH_GLPI")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../shared/samples/glpi/glpi-json-computer_1.json")
        });
    let work = tempfile::tempdir().expect("a temporary directory");
    println!("best of {runs} run(s) each; peak = the run's peak resident memory (wait4)");
    println!(
        "{:<40} {:>9} {:>10} {:>12} {:>10}",
        "run", "machines", "seconds", "machines/s", "peak MiB"
    );
    let mut table = Table { rows: Vec::new() };
    for &size in &sizes {
        let json = work.path().join(format!("json-{size}"));
        w7plan::fleet::synthetic::write_fleet(&json, size, 7, false).expect("inputs written");
        let out = work.path().join(format!("out-{size}"));
        std::fs::create_dir_all(&out).expect("an output directory");
        // Parse-only and summary runs alternate, so a slow spell of the machine falls on both
        // sides of the ratio rather than on one.
        let (mut parse, mut summary): (Vec<Stats>, Vec<Stats>) = (Vec::new(), Vec::new());
        for _ in 0..runs.max(1) {
            parse.push(run_fleet(&json, &out, &["--parse-only"], 1));
            summary.push(run_fleet(&json, &out, &["--no-machine-reports"], 1));
        }
        let (parse, summary) = (fastest(parse), fastest(summary));
        let ratio = summary.seconds / parse.seconds;
        table.add("json inventories, parse only", size, parse);
        table.add(JSON, size, summary);
        println!(
            "{:<40} {:>9} ratio summary/parse-only = {ratio:.2}",
            "", size
        );
        if size <= reports_up_to {
            // A 100,000-machine run with reports takes minutes: once is enough there.
            let report_runs = if size > 10_000 { 1 } else { runs };
            let full = run_fleet(&json, &out, &[], report_runs);
            table.add("json inventories, with machine reports", size, full);
        }
        std::fs::remove_dir_all(&json).ok();
        if size <= engines_up_to {
            // The same machines, one export: the file is streamed, so its peak memory should
            // stay near the inventories' although the file holds every machine.
            let export = work.path().join(format!("configmgr-{size}"));
            std::fs::create_dir_all(&export).expect("a directory for the export");
            w7plan::fleet::synthetic::write_configmgr_export(&export.join("export.csv"), size, 7)
                .expect("export written");
            let stats = run_fleet(&export, &out, &["--no-machine-reports"], runs);
            table.add("configmgr wide csv, summary + csv", size, stats);
            std::fs::remove_dir_all(&export).ok();
            // One CSV per view: the small views are held per machine, the programs located.
            let views = work.path().join(format!("configmgr-views-{size}"));
            w7plan::fleet::synthetic::write_configmgr_views(&views, size, 7)
                .expect("views written");
            let stats = run_fleet(&views, &out, &["--no-machine-reports"], runs);
            table.add("configmgr per-view csv, summary + csv", size, stats);
            std::fs::remove_dir_all(&views).ok();
            if glpi_sample.is_file() {
                let glpi = work.path().join(format!("glpi-{size}"));
                let same = work.path().join(format!("glpi-json-{size}"));
                write_glpi(&glpi_sample, Some(&glpi), None, size);
                let stats = run_fleet(&glpi, &out, &["--no-machine-reports"], runs);
                table.add("glpi folder, summary + csv", size, stats);
                std::fs::remove_dir_all(&glpi).ok();
                write_glpi(&glpi_sample, None, Some(&same), size);
                let stats = run_fleet(&same, &out, &["--no-machine-reports"], runs);
                table.add(GLPI_AS_JSON, size, stats);
                std::fs::remove_dir_all(&same).ok();
            } else {
                println!(
                    "(no GLPI rows: {} is not there; W7PLAN_BENCH_GLPI=FILE names a sample)",
                    glpi_sample.display()
                );
            }
        }
        if size <= 10_000 {
            let yaml = work.path().join(format!("yaml-{size}"));
            w7plan::fleet::synthetic::write_fleet(&yaml, size, 7, true).expect("inputs written");
            let stats = run_fleet(&yaml, &out, &["--no-machine-reports"], runs);
            table.add("yaml inventories, summary + csv", size, stats);
            std::fs::remove_dir_all(&yaml).ok();
        }
        std::fs::remove_dir_all(&out).ok();
    }
    // Each export beside the same machines as w7plan inventories.
    println!();
    println!(
        "{:<40} {:>9} {:>12} {:>10} {:>14} {:>10}",
        "", "machines", "machines/s", "peak MiB", "speed vs json", "peak vs json"
    );
    for (name, size, stats) in &table.rows {
        let base = if name.starts_with("glpi") {
            table.get(GLPI_AS_JSON, *size)
        } else {
            table.get(JSON, *size)
        };
        let Some(base) = base else { continue };
        println!(
            "{:<40} {:>9} {:>12.0} {:>10.1} {:>14.2} {:>10.2}",
            name,
            size,
            stats.per_second,
            stats.peak_mib,
            stats.per_second / base.per_second,
            stats.peak_mib / base.peak_mib
        );
    }
}
