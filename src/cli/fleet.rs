//! `w7plan fleet PATH… -o DIR`: many machines, one dashboard.

use super::Outcome;
use anyhow::Context as _;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Instant;
use w7plan::fleet::{Input, Options};
use w7plan::vocab::Severity;

#[derive(clap::Args)]
pub struct Args {
    /// Inventory files, evidence folders, raw tool outputs, mounted Windows volumes (one machine
    /// each, not walked), registry hive files, directories of them (walked), or `-` for
    /// newline-delimited JSON inventories on stdin.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// The directory for index.html, fleet.csv, fleet.json and machines/.
    #[arg(long, short = 'o')]
    output: PathBuf,
    #[command(flatten)]
    judging: super::Judging,
    /// Skip the per-machine reports (machines/*.html and .md).
    #[arg(long)]
    no_machine_reports: bool,
    /// Worker threads, 1 or more (default: one per core). More than 4 per core gains nothing and
    /// is lowered to that, with a note.
    #[arg(long, short = 'j', value_parser = clap::value_parser!(u16).range(1..))]
    jobs: Option<u16>,
    /// Flag a machine's facts as stale when they were collected more than DAYS before --as-of
    /// (dashboard marker, fleet.csv `freshness`). Default: half a year, long enough that an
    /// inventory refreshed every few months still counts, short enough to catch PCs whose
    /// memory, disk or owner may have changed since, or that have left the network. A
    /// machine whose input gives no collection date is "date unknown", never stale.
    #[arg(long, value_name = "DAYS", default_value_t = w7plan::fleet::STALE_AFTER_DAYS)]
    stale_after: u32,
    /// Print machines per second and peak memory on stderr when done.
    #[arg(long)]
    stats: bool,
    /// Only read and parse the inputs (a benchmark baseline); writes empty outputs.
    #[arg(long, hide = true)]
    parse_only: bool,
}

/// The most worker threads per core: the work is CPU-bound, so beyond the cores threads only
/// help a run whose inputs are on slow storage; 10,000 threads stalled a 60-machine fleet.
const MAX_JOBS_PER_CORE: usize = 4;

pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let super::Loaded {
        targets,
        as_of,
        rules,
        renderer,
    } = args.judging.load()?;
    if let Some(jobs) = args.jobs {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let most = cores * MAX_JOBS_PER_CORE;
        let jobs = usize::from(jobs);
        if jobs > most {
            eprintln!(
                "note: --jobs {jobs} lowered to {most} ({MAX_JOBS_PER_CORE} per core on {cores} \
                 core(s)); more threads only wait on each other"
            );
        }
        rayon::ThreadPoolBuilder::new()
            .num_threads(jobs.min(most))
            .build_global()
            .context("cannot start the worker threads")?;
    }
    let inputs: Vec<Input> = args
        .paths
        .iter()
        .map(|p| {
            if p.as_os_str() == "-" {
                Input::Stdin
            } else {
                Input::Path(p.clone())
            }
        })
        .collect();
    let options = Options {
        targets,
        as_of,
        machine_reports: !args.no_machine_reports && !args.parse_only,
        reveal_keys: args.judging.reveal_keys,
        parse_only: args.parse_only,
        strict: args.judging.strict,
        stale_after_days: args.stale_after,
    };
    let bar = if std::io::stderr().is_terminal() {
        let bar = ProgressBar::new_spinner();
        bar.set_style(
            ProgressStyle::with_template("{spinner} {pos} machines  {per_sec}  {elapsed}")
                .expect("the template is valid"),
        );
        bar
    } else {
        ProgressBar::hidden()
    };
    let started = Instant::now();
    let fleet = w7plan::fleet::run(&inputs, &args.output, &rules, &renderer, &options, &|| {
        bar.inc(1)
    })?;
    bar.finish_and_clear();
    let elapsed = started.elapsed();

    let s = &fleet.summary;
    let skipped = match s.skipped {
        0 => String::new(),
        n => format!(", {n} file(s) skipped"),
    };
    eprintln!(
        "{} machine{} assessed, {} input error(s){skipped}; wrote {}",
        s.machines,
        if s.machines == 1 { "" } else { "s" },
        s.input_errors,
        args.output.join("index.html").display()
    );
    use w7plan::output::report::escape::for_stderr;
    for error in &fleet.errors {
        // Most errors already begin with the file they are about (file:line:column).
        if error.error.starts_with(&error.source) {
            eprintln!("  input error: {}", for_stderr(&error.error));
        } else {
            eprintln!(
                "  input error: {}: {}",
                for_stderr(&error.source),
                for_stderr(&error.error)
            );
        }
    }
    for skip in &fleet.skipped {
        // A file name is the client's text too: escaped like everything printed.
        eprintln!(
            "  skipped: {}: {}",
            for_stderr(&skip.source),
            for_stderr(&skip.reason)
        );
    }
    if args.stats {
        let handled = s.machines + s.input_errors;
        let parsed = if args.parse_only {
            bar.position() as usize
        } else {
            handled
        };
        eprintln!(
            "stats: {parsed} inputs in {:.3} s, {:.0} machines/s, peak memory {}",
            elapsed.as_secs_f64(),
            parsed as f64 / elapsed.as_secs_f64().max(1e-9),
            peak_memory().unwrap_or_else(|| "unknown".into())
        );
    }
    if s.machines == 0 && !args.parse_only {
        anyhow::bail!("{}", nothing_assessed(s.input_errors, s.skipped));
    }
    if !fleet.errors.is_empty() {
        return Ok(Outcome::InputErrors);
    }
    let failing = match args.judging.fail_on() {
        Some(Severity::Blocker) => s.failing_blocker,
        Some(_) => s.failing_warning,
        None => 0,
    };
    Ok(if failing > 0 {
        Outcome::Findings
    } else {
        Outcome::Done
    })
}

/// Why a run assessed no machine, for the error that ends it.
fn nothing_assessed(errors: usize, skipped: usize) -> String {
    let why = match (errors, skipped) {
        (0, 0) => {
            "the inputs hold nothing to read (hidden files and folders are skipped)".to_string()
        }
        (0, _) => format!(
            "none of the {skipped} file(s) found is an inventory, an evidence folder or a tool \
             output w7plan reads (each is listed above with the reason)"
        ),
        (_, 0) => format!("none of the {errors} input(s) could be read (listed above)"),
        _ => format!(
            "{errors} input(s) could not be read and {skipped} file(s) hold nothing w7plan reads \
             (listed above)"
        ),
    };
    format!("no machine assessed: {why}")
}

/// The process's peak resident memory, where the OS tells it (Linux).
fn peak_memory() -> Option<String> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(format!("{:.1} MiB", kib as f64 / 1024.0))
}
