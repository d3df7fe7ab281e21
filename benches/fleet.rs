//! Fleet throughput: synthetic fleets of 10,000 and 100,000 machines run through the release
//! binary, reporting machines per second, peak memory, and how much the rules add on top of
//! reading the input (full summary run ÷ parse-only run).
//!
//! `cargo bench --bench fleet`. Set `W7PLAN_BENCH_SIZES=10000` to run fewer sizes. The inputs
//! are written to a temporary directory once per size (about 40 KB a machine).

use std::path::Path;
use std::process::Command;

struct Stats {
    seconds: f64,
    per_second: f64,
    peak: String,
}

fn run_fleet(inputs: &Path, out: &Path, extra: &[&str]) -> Stats {
    let output = Command::new(env!("CARGO_BIN_EXE_w7plan"))
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

fn main() {
    // `cargo bench` passes `--bench`; a plain run of the harness-less target must still work.
    let sizes: Vec<u64> = std::env::var("W7PLAN_BENCH_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![10_000, 100_000]);
    let work = tempfile::tempdir().expect("a temporary directory");
    println!(
        "{:<34} {:>9} {:>10} {:>12} {:>12}",
        "run", "machines", "seconds", "machines/s", "peak memory"
    );
    for &size in &sizes {
        let json = work.path().join(format!("json-{size}"));
        w7plan::fleet::synthetic::write_fleet(&json, size, 7, false).expect("inputs written");
        let out = work.path().join("out");
        let parse = run_fleet(&json, &out, &["--parse-only"]);
        let summary = run_fleet(&json, &out, &["--no-machine-reports"]);
        let report = |name: &str, s: &Stats| {
            println!(
                "{:<34} {:>9} {:>10.2} {:>12.0} {:>12}",
                name, size, s.seconds, s.per_second, s.peak
            );
        };
        report("json, parse only", &parse);
        report("json, summary + csv", &summary);
        if size <= 10_000 {
            let full = run_fleet(&json, &out, &[]);
            report("json, with machine reports", &full);
        }
        println!(
            "{:<34} {:>9} ratio full/parse-only = {:.2}",
            "",
            size,
            summary.seconds / parse.seconds
        );
        std::fs::remove_dir_all(&json).ok();
        if size <= 10_000 {
            let yaml = work.path().join(format!("yaml-{size}"));
            w7plan::fleet::synthetic::write_fleet(&yaml, size, 7, true).expect("inputs written");
            report(
                "yaml, summary + csv",
                &run_fleet(&yaml, &out, &["--no-machine-reports"]),
            );
            std::fs::remove_dir_all(&yaml).ok();
        }
    }
}
