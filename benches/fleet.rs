//! Fleet throughput: synthetic fleets of 10,000 and 100,000 machines run through the release
//! binary, with and without machine reports, reporting machines per second, peak memory, and
//! how much the rules add on top of reading the input (summary run ÷ parse-only run); and, at
//! the sizes up to `W7PLAN_BENCH_CONFIGMGR` (default 100,000), the same machines as one
//! Configuration Manager wide CSV, read a row at a time, beside them as w7plan inventories.
//!
//! `cargo bench --bench fleet`. Environment:
//! - `W7PLAN_BENCH_SIZES=10000` runs fewer sizes (default `10000,100000`);
//! - `W7PLAN_BENCH_RUNS=5` repeats each run and keeps the fastest (default 3): on a shared
//!   machine a single run can be a third slower than the next one, and the fastest run is the
//!   one least disturbed;
//! - `W7PLAN_BENCH_REPORTS=10000` caps the sizes that also write machine reports (default: all;
//!   100,000 machines with reports write about 13 GB);
//! - `W7PLAN_BENCH_BIN=PATH` runs another w7plan binary (an older build kept aside, to compare
//!   before and after a change on the same inputs in one sitting);
//! - `W7PLAN_BENCH_CONFIGMGR=10000` caps the sizes also run as a ConfigMgr export (0: none).
//!
//! The inputs are written to a temporary directory once per size (about 40 KB a machine).

use std::path::Path;
use std::process::Command;

struct Stats {
    seconds: f64,
    per_second: f64,
    peak: String,
}

fn run_once(inputs: &Path, out: &Path, extra: &[&str]) -> Stats {
    let bin =
        std::env::var_os("W7PLAN_BENCH_BIN").unwrap_or_else(|| env!("CARGO_BIN_EXE_w7plan").into());
    let output = Command::new(bin)
        .args(["fleet", "--as-of", "2026-11-27", "--stats", "-o"])
        .arg(out)
        .args(extra)
        .arg(inputs)
        .output()
        .expect("the w7plan binary runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let line = stderr
        .lines()
        .find(|l| l.starts_with("stats: "))
        .unwrap_or_else(|| panic!("no stats line in:\n{stderr}"));
    // stats: N inputs in S s, R machines/s, peak memory M MiB
    let words: Vec<&str> = line.split_whitespace().collect();
    Stats {
        seconds: words[4].parse().unwrap(),
        per_second: words[6].parse().unwrap(),
        peak: words[words.len() - 2..].join(" "),
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

fn main() {
    // `cargo bench` passes `--bench`; a plain run of the harness-less target must still work.
    let sizes: Vec<u64> = std::env::var("W7PLAN_BENCH_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![10_000, 100_000]);
    let runs = env_number("W7PLAN_BENCH_RUNS").unwrap_or(3) as usize;
    let reports_up_to = env_number("W7PLAN_BENCH_REPORTS").unwrap_or(u64::MAX);
    let configmgr_up_to = env_number("W7PLAN_BENCH_CONFIGMGR").unwrap_or(100_000);
    let work = tempfile::tempdir().expect("a temporary directory");
    println!("best of {runs} run(s) each");
    println!(
        "{:<34} {:>9} {:>10} {:>12} {:>12}",
        "run", "machines", "seconds", "machines/s", "peak memory"
    );
    let report = |name: &str, size: u64, s: &Stats| {
        println!(
            "{:<34} {:>9} {:>10.2} {:>12.0} {:>12}",
            name, size, s.seconds, s.per_second, s.peak
        );
    };
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
        report("json, parse only", size, &parse);
        report("json, summary + csv", size, &summary);
        println!(
            "{:<34} {:>9} ratio summary/parse-only = {:.2}",
            "",
            size,
            summary.seconds / parse.seconds
        );
        if size <= reports_up_to {
            // A 100,000-machine run with reports takes minutes: once is enough there.
            let report_runs = if size > 10_000 { 1 } else { runs };
            let full = run_fleet(&json, &out, &[], report_runs);
            report("json, with machine reports", size, &full);
        }
        std::fs::remove_dir_all(&json).ok();
        if size <= configmgr_up_to {
            // The same machines, one export: the file is streamed, so its peak memory should
            // stay near the inventories' although the file holds every machine.
            let export = work.path().join(format!("configmgr-{size}"));
            std::fs::create_dir_all(&export).expect("a directory for the export");
            w7plan::fleet::synthetic::write_configmgr_export(&export.join("export.csv"), size, 7)
                .expect("export written");
            report(
                "configmgr csv, summary + csv",
                size,
                &run_fleet(&export, &out, &["--no-machine-reports"], runs),
            );
            std::fs::remove_dir_all(&export).ok();
        }
        if size <= 10_000 {
            let yaml = work.path().join(format!("yaml-{size}"));
            w7plan::fleet::synthetic::write_fleet(&yaml, size, 7, true).expect("inputs written");
            report(
                "yaml, summary + csv",
                size,
                &run_fleet(&yaml, &out, &["--no-machine-reports"], runs),
            );
            std::fs::remove_dir_all(&yaml).ok();
        }
        std::fs::remove_dir_all(&out).ok();
    }
}
