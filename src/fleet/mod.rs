//! Assessing many machines in one run: inputs are walked and assessed in parallel, each machine
//! is reduced to a small summary row, and the run writes a dashboard, a CSV, a JSON summary and,
//! optionally, one report per machine.
//!
//! Memory holds the rows and the per-check counters, never the machines: an inventory is dropped
//! as soon as its row (and report) exist. A bad input becomes an [`InputError`] in the result;
//! it never stops the run. Outputs are deterministic (rows sorted by source) and written
//! atomically.
//!
//! A fleet run is a pipeline, not a stage: it reads facts (importers), judges them (assessment)
//! and writes outputs (reports, its own dashboard and CSV), so it sits on top of all three
//! layers, beside the binary's commands, and nothing below imports it. Its own outputs live here
//! rather than in [`crate::output`] because they are made of the rows only a fleet run builds.

mod identity;
mod outputs;
pub mod synthetic;

use crate::error::{Error, Origin, Result};
use crate::facts::import::{ExportRows, Found, TableExport};
use crate::facts::inventory::Inventory;
use crate::judge::assess::Assessment;
use crate::judge::rules::route::Open;
use crate::judge::rules::RuleSet;
use crate::output::report::{Format, RenderOptions, Renderer};
use crate::vocab::Verdict;
use crate::vocab::{CheckResult, Detail, Section, Severity, Status, Target};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The value of `schema` in `fleet.json`.
pub const SCHEMA: &str = "w7plan/fleet/v1";

/// Where machines come from.
#[derive(Debug, Clone)]
pub enum Input {
    /// An inventory file, an evidence folder, or a directory walked for them.
    Path(PathBuf),
    /// Newline-delimited JSON inventories on standard input.
    Stdin,
}

/// How a run behaves.
#[derive(Debug, Clone)]
pub struct Options {
    pub targets: Vec<Target>,
    pub as_of: jiff::civil::Date,
    /// Write `machines/<host>-<id>.html` and `.md`.
    pub machine_reports: bool,
    pub reveal_keys: bool,
    /// Read and parse every input but assess nothing: the baseline the benchmark compares with.
    pub parse_only: bool,
    /// An inventory with unknown fields or impossible values is an input error, not a machine
    /// whose notes say what was set aside.
    pub strict: bool,
    /// Facts collected more than this many days before `as_of` are flagged stale.
    pub stale_after_days: u32,
}

/// The default of [`Options::stale_after_days`]: half a year. An inventory that old may
/// describe a PC whose memory, disk or owner has since changed, or that has left the network.
pub const STALE_AFTER_DAYS: u32 = 180;

/// How old a machine's facts are on the day of the assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Freshness {
    /// Collected at most `stale_after_days` before `as_of` (or after it).
    Fresh,
    /// Collected more than `stale_after_days` before `as_of`.
    Stale,
    /// The input gives no collection date w7plan can read: not judged stale.
    DateUnknown,
}

impl Freshness {
    pub fn as_str(self) -> &'static str {
        match self {
            Freshness::Fresh => "fresh",
            Freshness::Stale => "stale",
            Freshness::DateUnknown => "date-unknown",
        }
    }
}

/// Where a machine's facts came from: the inventory's `source` and `collected_at`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Provenance {
    /// The collector or inventory engine, as the inventory names it (`collect.cmd`, `GLPI
    /// Agent`, `Microsoft Configuration Manager`, …).
    pub collector: Option<String>,
    pub collector_version: Option<String>,
    /// As the inventory gives it (ISO 8601, a date or a date and time).
    pub collected_at: Option<String>,
}

impl Provenance {
    fn of(inventory: &Inventory) -> Provenance {
        let source = inventory.source.as_ref();
        Provenance {
            collector: source.and_then(|s| s.collector.clone()),
            collector_version: source.and_then(|s| s.version.clone()),
            collected_at: inventory.collected_at.clone(),
        }
    }

    /// The day of collection, from the date the text starts with (`2026-11-20`,
    /// `2026-11-20T09:14:00Z`, `2026-11-20 09:14:00+01:00`): the calendar day where it was
    /// collected, which is all a count of days needs.
    fn date(&self) -> Option<jiff::civil::Date> {
        let text = self.collected_at.as_deref()?.trim();
        text.get(..10)?.parse().ok()
    }

    /// Days from collection to `as_of`, and whether that is stale.
    fn age(&self, as_of: jiff::civil::Date, stale_after_days: u32) -> (Option<i32>, Freshness) {
        let Some(date) = self.date() else {
            return (None, Freshness::DateUnknown);
        };
        let days = (as_of - date).get_days();
        let freshness = if i64::from(days) > i64::from(stale_after_days) {
            Freshness::Stale
        } else {
            Freshness::Fresh
        };
        (Some(days), freshness)
    }
}

/// One machine's line in the dashboard, the CSV and `fleet.json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    /// A short id derived from the source, stable across runs; names the machine's reports.
    pub id: String,
    pub source: String,
    pub host: Option<String>,
    pub serial: Option<String>,
    pub manufacturer: Option<String>,
    pub model: Option<String>,
    pub os: Option<String>,
    pub verdicts: indexmap::IndexMap<Target, Verdict>,
    /// Failed check ids, blockers first (shared with the rules: a fleet holds each id once).
    pub failing: Vec<Arc<str>>,
    pub unknown: usize,
    /// The machine's HTML report, relative to the output directory.
    pub report: Option<String>,
    /// The recommended route and its estimated cost (low, high; US dollars), as the machine's
    /// own assessment gives them.
    pub route: Option<String>,
    /// `yes`, or `if-unknowns-pass` when the route is open only once the checks that could not
    /// be seen are confirmed by hand (most machines assessed from Windows 7 evidence).
    pub route_open: Option<Open>,
    pub cost_usd: Option<[f64; 2]>,
    /// Where the facts came from (of the newest input, for a machine merged from several).
    #[serde(flatten)]
    pub provenance: Provenance,
    /// Whole days from collection to `as_of` (negative when collected after it).
    pub age_days: Option<i32>,
    pub freshness: Freshness,
    /// How many inputs held this machine (more than 1 when two sources saw the same PC: see
    /// [`identity`]), and, then, their sources, newest collection first.
    pub source_count: usize,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub merged_sources: Vec<String>,
    /// The input's own name (part of the id) and how to read it again: for merging.
    #[serde(skip)]
    pub(crate) input_name: String,
    #[serde(skip)]
    pub(crate) reload: Reload,
    /// The serial number and host name that tell this machine apart ([`identity::Key`]).
    #[serde(skip)]
    pub(crate) key: identity::Key,
}

/// An input that could not be assessed, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InputError {
    pub source: String,
    pub error: String,
}

impl InputError {
    /// A parse error may quote the bad value, which may be a product key: errors go to the
    /// dashboard a client reads, so they are masked whatever `--reveal-keys` says.
    fn new(source: String, error: String) -> InputError {
        let mask = |text: String| crate::facts::productkey::mask_keys_in(&text).into_owned();
        InputError {
            source: mask(source),
            error: mask(error),
        }
    }
}

/// A file found while walking a folder that holds no machine facts w7plan reads, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Skipped {
    pub source: String,
    pub reason: String,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct VerdictCounts {
    pub ready: usize,
    /// Ready once the inferred or documented-only requirements are confirmed by hand.
    pub ready_to_confirm: usize,
    pub not_ready: usize,
    pub unknown: usize,
}

/// How one check fared across the fleet.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckTally {
    pub id: String,
    pub title: String,
    pub target: Target,
    pub severity: Severity,
    pub pass: usize,
    pub fail: usize,
    pub unknown: usize,
    pub not_applicable: usize,
    /// Share of the machines where the check applied and could be judged that pass it.
    pub pass_rate: Option<f64>,
    /// Shares of the machines where the check applied that pass, fail and could not be
    /// judged (they add up to 1), so a bar can show the unknowns instead of leaving them out.
    pub shares: Option<[f64; 3]>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    pub schema: &'static str,
    pub as_of: String,
    pub generator: String,
    pub machines: usize,
    pub input_errors: usize,
    /// Files met while walking that are neither inventories nor tool outputs w7plan reads.
    pub skipped: usize,
    pub verdicts: indexmap::IndexMap<Target, VerdictCounts>,
    /// Machines with a failed check at blocker or at warning level (for `--fail-on`).
    pub failing_blocker: usize,
    pub failing_warning: usize,
    pub checks: Vec<CheckTally>,
    /// Blocker checks that fail most, most first.
    pub top_blockers: Vec<CheckTally>,
    /// Machines by recommended route.
    pub routes: BTreeMap<String, usize>,
    /// Of those, the machines whose route is open only once their unknown checks are confirmed.
    pub routes_to_confirm: BTreeMap<String, usize>,
    /// The sum of the machines' estimated costs, and how many machines have no estimate.
    pub estimated_cost_usd: [f64; 2],
    pub cost_not_estimated: usize,
    /// Machines whose facts were collected more than `stale_after_days` before `as_of`, and
    /// machines whose inputs give no collection date.
    pub stale_after_days: u32,
    pub stale: usize,
    pub date_unknown: usize,
    /// Machines seen by more than one input (merged into one row each), and how many inputs
    /// they were merged from.
    pub merged_machines: usize,
    pub merged_inputs: usize,
}

/// The outcome of a run.
#[derive(Debug, Clone, Serialize)]
pub struct Fleet {
    pub summary: Summary,
    pub rows: Vec<Row>,
    pub errors: Vec<InputError>,
    pub skipped: Vec<Skipped>,
}

/// One unit of work.
enum Unit {
    /// A file named on the command line: what it holds must be read.
    File(PathBuf),
    /// A file met while walking: read if it is an inventory or a tool output, else listed as
    /// skipped ([`crate::facts::import::read_found`]).
    Found(PathBuf),
    Evidence(PathBuf),
    Line {
        number: usize,
        text: String,
    },
    /// One machine of a many-machine export (a ConfigMgr or Lansweeper CSV, or a ConfigMgr
    /// per-view export whose `row` is the ResourceID), read by the walk a machine at a time so
    /// the export is never held whole.
    Row {
        /// `FILE, row N`.
        source: String,
        /// `FILE:N`, the input's own name for the machine's id.
        name: String,
        /// The export and the row's number in it, to read the row again ([`identity`]).
        export: Arc<Path>,
        row: u64,
        inventory: Box<Inventory>,
    },
}

impl Unit {
    fn source(&self) -> String {
        match self {
            Unit::File(path) | Unit::Found(path) | Unit::Evidence(path) => {
                path.display().to_string()
            }
            Unit::Line { number, .. } => format!("<stdin>:{number}"),
            Unit::Row { source, .. } => source.clone(),
        }
    }

    /// The input's own name, without the folders it was found in: part of the machine's id.
    fn name(&self) -> String {
        match self {
            Unit::File(path) | Unit::Found(path) | Unit::Evidence(path) => {
                path.file_name().map_or_else(
                    || path.display().to_string(),
                    |n| n.to_string_lossy().into(),
                )
            }
            Unit::Line { number, .. } => format!("<stdin>:{number}"),
            Unit::Row { name, .. } => name.clone(),
        }
    }

    /// How to read the unit's machine again, once the whole fleet shows another input holds
    /// the same machine.
    fn reload(&self) -> Reload {
        match self {
            Unit::File(path) => Reload::File(path.clone()),
            Unit::Found(path) => Reload::Found(path.clone()),
            Unit::Evidence(path) => Reload::Evidence(path.clone()),
            // Standard input cannot be read twice, and its lines are not held.
            Unit::Line { .. } => Reload::None,
            Unit::Row { export, row, .. } => Reload::Row(Arc::clone(export), *row),
        }
    }
}

/// How a machine's input can be read again (see [`Unit::reload`]).
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) enum Reload {
    File(PathBuf),
    Found(PathBuf),
    Evidence(PathBuf),
    Row(Arc<Path>, u64),
    #[default]
    None,
}

/// Per-worker partial results, merged at the end.
#[derive(Default)]
struct Partial {
    rows: Vec<Row>,
    errors: Vec<InputError>,
    skipped: Vec<Skipped>,
    /// [pass, fail, unknown, not-applicable] per check, by check index.
    counts: Vec<[usize; 4]>,
}

impl Partial {
    fn merge(mut self, other: Partial) -> Partial {
        self.rows.extend(other.rows);
        self.errors.extend(other.errors);
        self.skipped.extend(other.skipped);
        if self.counts.len() < other.counts.len() {
            self.counts.resize(other.counts.len(), [0; 4]);
        }
        for (mine, theirs) in self.counts.iter_mut().zip(other.counts) {
            for (m, t) in mine.iter_mut().zip(theirs) {
                *m += t;
            }
        }
        self
    }
}

/// Assesses every machine the inputs name and writes the outputs into `out_dir`.
/// `progress` is called once per input handled.
pub fn run(
    inputs: &[Input],
    out_dir: &Path,
    rules: &RuleSet,
    renderer: &Renderer,
    options: &Options,
    progress: &(dyn Fn() + Sync),
) -> Result<Fleet> {
    let out_real = refuse_inputs_inside(inputs, out_dir)?;
    outputs::check_owned(out_dir)?;
    std::fs::create_dir_all(out_dir).map_err(|source| Error::Write {
        path: out_dir.to_path_buf(),
        source,
    })?;
    let keys = crate::output::files::Keys::revealed(options.reveal_keys);
    let machines_dir = out_dir.join("machines");
    let machines = if options.machine_reports {
        Some(crate::output::files::StagedDir::new(&machines_dir, keys)?)
    } else {
        // Checked now, removed once this run's files are written (see below).
        crate::output::files::check_owned(&machines_dir)?;
        None
    };
    // Each check's index in the rules (for the counters) and its id shared by every row.
    let check_index: CheckIndex = rules
        .checks()
        .iter()
        .enumerate()
        .map(|(index, c)| (c.check.id.as_str(), (index, Arc::from(c.check.id.as_str()))))
        .collect();
    let (sender, receiver) = std::sync::mpsc::sync_channel::<Unit>(1024);
    let producer_inputs = inputs.to_vec();
    let producer = std::thread::spawn(move || produce(&producer_inputs, out_real, &sender));

    let partial = receiver
        .into_iter()
        .par_bridge()
        .fold(Partial::default, |mut partial, unit| {
            let source = unit.source();
            match assess_unit(
                unit,
                &check_index,
                &source,
                machines.as_ref(),
                rules,
                renderer,
                options,
            ) {
                Ok(Handled::Assessed(row, statuses)) => {
                    if partial.counts.len() < rules.checks().len() {
                        partial.counts.resize(rules.checks().len(), [0; 4]);
                    }
                    for (index, status) in statuses {
                        partial.counts[index][status_slot(status)] += 1;
                    }
                    partial.rows.push(row);
                }
                Ok(Handled::Parsed) => {}
                Ok(Handled::Skipped(reason)) => partial.skipped.push(Skipped { source, reason }),
                Err(error) => partial
                    .errors
                    .push(InputError::new(source, error.to_string())),
            }
            progress();
            partial
        })
        .reduce(Partial::default, Partial::merge);
    let walk_errors = producer.join().unwrap_or_default();

    let Partial {
        mut rows,
        mut errors,
        mut skipped,
        mut counts,
    } = partial;
    errors.extend(walk_errors);
    if !options.parse_only {
        let context = Context {
            check_index: &check_index,
            machines: machines.as_ref(),
            rules,
            renderer,
            options,
        };
        identity::merge_same_machines(&mut rows, &mut counts, &context)?;
    }
    rows.sort_by(|a, b| source_order(&a.source).cmp(&source_order(&b.source)));
    errors.sort_by(|a, b| source_order(&a.source).cmp(&source_order(&b.source)));
    skipped.sort_by(|a, b| a.source.cmp(&b.source));
    if let Some(machines) = machines {
        machines.publish()?;
    }
    let mut summary = summarize(&rows, &errors, &counts, rules, options);
    summary.skipped = skipped.len();
    let fleet = Fleet {
        summary,
        rows,
        errors,
        skipped,
    };
    outputs::write_all(
        &fleet,
        out_dir,
        renderer,
        options,
        rules.knowledge().targets(),
    )?;
    if !options.machine_reports {
        // The dashboard no longer links to a previous run's reports: machines/ holds this run's
        // reports or nothing, as the README says.
        crate::output::files::remove_published(&machines_dir)?;
    }
    Ok(fleet)
}

/// The order of inputs in the outputs: by name, and the rows of one export (`FILE, row N`) by
/// their number, so row 10 comes after row 9, not after row 1. A tuple key: a total order
/// whatever the names hold.
fn source_order(source: &str) -> (&str, u64, &str) {
    // A per-view export's machines (`DIR, ResourceID N`) by their ResourceID.
    match source
        .rsplit_once(", row ")
        .or_else(|| source.rsplit_once(", ResourceID "))
    {
        Some((file, row)) => match row.parse() {
            Ok(row) => (file, row, source),
            Err(_) => (source, 0, source),
        },
        None => (source, 0, source),
    }
}

fn status_slot(status: Status) -> usize {
    match status {
        Status::Pass => 0,
        Status::Fail => 1,
        Status::Unknown => 2,
        Status::NotApplicable => 3,
    }
}

/// Walks the inputs and sends every unit once; returns the inputs that could not be walked.
///
/// A machine is counted once however often it is named: `fleet ov ov/site-a ./ov` names the
/// files of `ov/site-a` three times, and a file given twice is still one machine. Units are told
/// apart by their canonical path. The output directory (`out_real`, canonical), when it lies
/// under an input directory, is not walked: its `fleet.json` is not an inventory.
fn produce(
    inputs: &[Input],
    out_real: Option<PathBuf>,
    sender: &std::sync::mpsc::SyncSender<Unit>,
) -> Vec<InputError> {
    let mut errors = Vec::new();
    let mut seen: std::collections::HashSet<PathBuf> = std::collections::HashSet::new();
    // A path that cannot be resolved is passed on as it is: reading it reports why.
    let real = |path: &Path| std::fs::canonicalize(path).unwrap_or_else(|_| path.into());
    for input in inputs {
        match input {
            Input::Stdin => {
                if !produce_lines(std::io::stdin().lock(), sender, &mut errors) {
                    return errors;
                }
            }
            Input::Path(path) if path.is_dir() && !is_one_machine(path) => {
                // The walk follows no link below its root, so what it finds resolves to the
                // root's canonical path joined with the rest (one lookup, not one per file).
                let root = real(path);
                let real_below =
                    |found: &Path| root.join(found.strip_prefix(path).unwrap_or(found));
                let walker = walkdir::WalkDir::new(path)
                    .sort_by_file_name()
                    .into_iter()
                    .filter_entry(|e| {
                        !(e.file_type().is_dir()
                            && e.depth() > 0
                            && (is_hidden(e.path())
                                || out_real.as_deref() == Some(&*real_below(e.path()))))
                    });
                let mut skip_below: Option<PathBuf> = None;
                for entry in walker {
                    let entry = match entry {
                        Ok(entry) => entry,
                        Err(e) => {
                            errors.push(InputError::new(
                                e.path().unwrap_or(path).display().to_string(),
                                format!("cannot read: {e}"),
                            ));
                            continue;
                        }
                    };
                    let here = entry.path();
                    if skip_below.as_deref().is_some_and(|s| here.starts_with(s)) {
                        continue;
                    }
                    if entry.file_type().is_dir()
                        && !is_one_machine(here)
                        && crate::facts::import::configmgr::views::looks_like_views(here)
                    {
                        // A ConfigMgr per-view export: one machine per ResourceID, its files
                        // read together, never one by one.
                        skip_below = Some(here.to_path_buf());
                        if seen.insert(real_below(here)) && !send_views(here, sender, &mut errors) {
                            return errors;
                        }
                        continue;
                    }
                    let unit = if entry.file_type().is_dir() && is_one_machine(here) {
                        skip_below = Some(here.to_path_buf());
                        Unit::Evidence(here.to_path_buf())
                    } else if entry.file_type().is_file()
                        // Hidden files (.DS_Store, editor swap files) are not listed as skipped;
                        // a hidden inventory is still read, as it always was.
                        && (!is_hidden(here) || is_inventory_name(here))
                    {
                        Unit::Found(here.to_path_buf())
                    } else if entry.file_type().is_symlink() && is_inventory_name(here) {
                        // The walk does not follow links (a loop would never end), so a linked
                        // inventory is followed here, and a dangling one reported, not skipped.
                        match std::fs::metadata(here) {
                            Ok(meta) if meta.is_file() => Unit::File(here.to_path_buf()),
                            Ok(_) => continue,
                            Err(e) => {
                                errors.push(InputError::new(
                                    here.display().to_string(),
                                    format!(
                                        "a symbolic link whose target cannot be read ({e}): {}",
                                        std::fs::read_link(here)
                                            .map(|t| t.display().to_string())
                                            .unwrap_or_else(|_| "unknown target".into())
                                    ),
                                ));
                                continue;
                            }
                        }
                    } else {
                        continue;
                    };
                    if !seen.insert(real_below(here)) {
                        continue;
                    }
                    if !send_unit(unit, sender, &mut errors) {
                        return errors;
                    }
                }
            }
            Input::Path(path) => {
                if !seen.insert(real(path)) {
                    continue;
                }
                let unit = if path.is_dir() {
                    Unit::Evidence(path.clone())
                } else {
                    Unit::File(path.clone())
                };
                if !send_unit(unit, sender, &mut errors) {
                    return errors;
                }
            }
        }
    }
    errors
}

/// Sends a unit; a file that is a many-machine export (a ConfigMgr or Lansweeper CSV) is read
/// here a row at a time and each machine sent as its own unit, a row that cannot be read
/// becoming an input error naming the file and row. Returns false when the workers have stopped.
fn send_unit(
    unit: Unit,
    sender: &std::sync::mpsc::SyncSender<Unit>,
    errors: &mut Vec<InputError>,
) -> bool {
    let path = match &unit {
        Unit::File(path) | Unit::Found(path) if !is_inventory_name(path) => path.clone(),
        _ => return sender.send(unit).is_ok(),
    };
    let Some((export, text_whole)) = table_export(&path) else {
        return sender.send(unit).is_ok();
    };
    let origin = Origin::path(&path);
    let file = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into(),
    );
    let rows = match export_rows(&path, export, text_whole, &origin) {
        Ok(rows) => rows,
        Err(error) => {
            errors.push(InputError::new(origin.0, error.to_string()));
            return true;
        }
    };
    let export: Arc<Path> = Arc::from(path.as_path());
    for (row, read) in rows {
        let source = format!("{}, row {row}", origin.0);
        match read {
            Ok(inventory) => {
                let unit = Unit::Row {
                    source,
                    name: format!("{file}:{row}"),
                    export: Arc::clone(&export),
                    row,
                    inventory: Box::new(crate::facts::import::finish_inventory(inventory)),
                };
                if sender.send(unit).is_err() {
                    return false;
                }
            }
            Err(error) => errors.push(InputError::new(source, error.to_string())),
        }
    }
    true
}

/// Sends the machines of a ConfigMgr per-view export, one per `v_R_System` row, each with the
/// ResourceID as its number; a bad row of any view becomes an input error naming its file and
/// row. The folder's other files are sent as any walked file. Returns false when the workers
/// have stopped.
fn send_views(
    dir: &Path,
    sender: &std::sync::mpsc::SyncSender<Unit>,
    errors: &mut Vec<InputError>,
) -> bool {
    use crate::facts::import::configmgr::views::{Export, Item};
    let mut export = match Export::open(dir) {
        Ok(export) => export,
        Err(error) => {
            errors.push(InputError::new(
                dir.display().to_string(),
                error.to_string(),
            ));
            return true;
        }
    };
    let others = std::mem::take(&mut export.others);
    let folder = dir
        .file_name()
        .map_or_else(|| dir.display().to_string(), |n| n.to_string_lossy().into());
    let path: Arc<Path> = Arc::from(dir);
    for item in export.items() {
        match item {
            Item::Machine {
                resource,
                inventory,
            } => {
                let unit = Unit::Row {
                    source: format!("{}, ResourceID {resource}", dir.display()),
                    name: format!("{folder}:{resource}"),
                    export: Arc::clone(&path),
                    row: resource,
                    inventory: Box::new(crate::facts::import::finish_inventory(*inventory)),
                };
                if sender.send(unit).is_err() {
                    return false;
                }
            }
            Item::Error(error) => {
                let source = match &error {
                    Error::ImportFailed { origin, .. } => origin.0.clone(),
                    _ => dir.display().to_string(),
                };
                errors.push(InputError::new(source, error.to_string()));
            }
        }
    }
    others
        .into_iter()
        .all(|other| sender.send(Unit::Found(other)).is_ok())
}

/// The machines of a table export (ConfigMgr, Lansweeper), a row at a time: `text_whole` is
/// what [`table_export`] decoded, `None` for UTF-8 (streamed from the file).
fn export_rows(
    path: &Path,
    export: TableExport,
    text_whole: Option<String>,
    origin: &Origin,
) -> Result<ExportRows<'static>> {
    Ok(match text_whole {
        None => {
            let file = std::fs::File::open(path).map_err(|source| Error::Read {
                path: path.to_path_buf(),
                source,
            })?;
            export.rows(std::io::BufReader::new(file), origin)?
        }
        Some(text) => Box::new(
            export
                .rows(text.as_bytes(), origin)?
                .collect::<Vec<_>>()
                .into_iter(),
        ),
    })
}

/// Whether a file is a table export (one machine per row), from its start, and which:
/// `Some((export, None))` for UTF-8 (streamed), `Some((export, Some(text)))` for another
/// encoding, decoded whole; `None` for anything else.
fn table_export(path: &Path) -> Option<(TableExport, Option<String>)> {
    use std::io::Read as _;
    let mut prefix = Vec::with_capacity(8 << 10);
    std::fs::File::open(path)
        .and_then(|f| f.take(8 << 10).read_to_end(&mut prefix))
        .ok()?;
    let decoded = crate::facts::import::text::decode(&prefix);
    let export = TableExport::sniff(&decoded.text)?;
    // UTF-8 up to the prefix's end (a character may be cut there); UTF-16 has a byte-order mark.
    let utf8 = !(prefix.starts_with(b"\xFF\xFE") || prefix.starts_with(b"\xFE\xFF"))
        && match std::str::from_utf8(&prefix) {
            Ok(_) => true,
            Err(e) => e.error_len().is_none(),
        };
    if utf8 {
        return Some((export, None));
    }
    let bytes = crate::input::read_file(path, crate::input::Kind::ToolOutput).ok()?;
    Some((
        export,
        Some(crate::facts::import::text::decode(&bytes).text),
    ))
}

/// Refuses an output directory that holds any of the inputs: its `machines/` is replaced by
/// each run, and `fleet site -o site` would delete the inventories in `site/machines/`.
/// Returns the output directory's canonical path when it exists.
fn refuse_inputs_inside(inputs: &[Input], out_dir: &Path) -> Result<Option<PathBuf>> {
    let Ok(out_real) = std::fs::canonicalize(out_dir) else {
        return Ok(None);
    };
    for input in inputs {
        let Input::Path(path) = input else { continue };
        let Ok(real) = std::fs::canonicalize(path) else {
            continue;
        };
        if real.starts_with(&out_real) {
            return Err(Error::Write {
                path: out_dir.to_path_buf(),
                source: std::io::Error::other(format!(
                    "it holds the input {}; the fleet's outputs (machines/ is replaced by each \
                     run) must go to a directory outside the inputs",
                    path.display()
                )),
            });
        }
    }
    Ok(Some(out_real))
}

/// Sends each non-blank line of newline-delimited JSON; a line over the cap is an input error
/// (read past, never held whole). Returns false when the workers have stopped.
fn produce_lines(
    mut reader: impl std::io::BufRead,
    sender: &std::sync::mpsc::SyncSender<Unit>,
    errors: &mut Vec<InputError>,
) -> bool {
    use std::io::{BufRead as _, Read as _};
    let limit = crate::input::Kind::NdjsonLine.limit();
    let mut buffer = Vec::new();
    for number in 1.. {
        buffer.clear();
        let read = (&mut reader).take(limit + 1).read_until(b'\n', &mut buffer);
        let source = format!("<stdin>:{number}");
        match read {
            Ok(0) => return true,
            Ok(_) if buffer.len() as u64 > limit && buffer.last() != Some(&b'\n') => {
                let error = crate::input::too_large(
                    &Origin(source.clone()),
                    crate::input::Kind::NdjsonLine,
                );
                errors.push(InputError::new(source, error.to_string()));
                // Skip the rest of the line, a buffer at a time.
                loop {
                    match reader.fill_buf() {
                        Ok([]) => return true,
                        Ok(chunk) => match memchr::memchr(b'\n', chunk) {
                            Some(at) => {
                                reader.consume(at + 1);
                                break;
                            }
                            None => {
                                let n = chunk.len();
                                reader.consume(n);
                            }
                        },
                        Err(_) => return true,
                    }
                }
            }
            Ok(_) => match String::from_utf8(std::mem::take(&mut buffer)) {
                Ok(text) if text.trim().is_empty() => {}
                Ok(text) => {
                    if sender.send(Unit::Line { number, text }).is_err() {
                        return false;
                    }
                }
                Err(_) => errors.push(InputError::new(
                    source,
                    "not UTF-8 text; each line must be one JSON inventory".into(),
                )),
            },
            Err(e) => {
                errors.push(InputError::new(source, format!("cannot read: {e}")));
                return true;
            }
        }
    }
    true
}

fn is_hidden(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with('.'))
}

/// A folder that is one machine, never walked into: evidence written by `collect.cmd` (it holds
/// the collector's manifest), a mounted Windows volume (its thousands of files are one
/// installation), or the loose hive files copied off one (SYSTEM beside SOFTWARE is one PC).
fn is_one_machine(path: &Path) -> bool {
    crate::facts::import::evidence::looks_like_evidence(path)
        || crate::facts::import::offline::is_installation_folder(path)
}

fn is_inventory_name(path: &Path) -> bool {
    matches!(
        path.extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref(),
        Some("yaml" | "yml" | "json")
    )
}

/// Reads one unit into an inventory, or the reason it holds none; what an inventory held that
/// w7plan set aside (unknown fields, impossible values) becomes notes, or under `strict` an error.
fn load(unit: Unit, strict: bool) -> Result<Found> {
    let (origin, read) = match unit {
        Unit::File(path) | Unit::Evidence(path) => (
            Origin::path(&path),
            crate::facts::import::read_path_checked(&path),
        ),
        Unit::Found(path) => match crate::facts::import::read_found(&path)? {
            Found::Machine(inventory, warnings) => {
                (Origin::path(&path), Ok((*inventory, warnings)))
            }
            skipped @ Found::Skipped(_) => return Ok(skipped),
        },
        Unit::Line { number, text } => {
            let origin = Origin(format!("<stdin>:{number}"));
            let read = Inventory::parse_checked(&text, &origin);
            (origin, read)
        }
        Unit::Row { inventory, .. } => return Ok(Found::Machine(inventory, Vec::new())),
    };
    let (mut inventory, warnings) = read?;
    let lines = warnings.iter().map(|w| w.at(&origin));
    if strict && !warnings.is_empty() {
        return Err(Error::InventorySyntax {
            origin: origin.clone(),
            location: warnings[0].location,
            message: format!(
                "--strict: {}",
                warnings
                    .iter()
                    .map(|w| w.message.as_str())
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
        });
    }
    inventory.notes.extend(lines);
    Ok(Found::Machine(Box::new(inventory), Vec::new()))
}

/// What became of one unit.
// Lives only from a unit's assessment to its fold into the partial results; boxing the row
// would add an allocation per machine on the fleet's hot path.
#[allow(clippy::large_enum_variant)]
enum Handled {
    Assessed(Row, Vec<(usize, Status)>),
    /// Read and parsed only (`parse_only`).
    Parsed,
    Skipped(String),
}
type CheckIndex<'r> = HashMap<&'r str, (usize, Arc<str>)>;

/// What assessing a machine needs besides the machine.
pub(crate) struct Context<'a> {
    check_index: &'a CheckIndex<'a>,
    machines: Option<&'a crate::output::files::StagedDir>,
    rules: &'a RuleSet,
    renderer: &'a Renderer,
    options: &'a Options,
}

/// Reads one unit and assesses its machine ([`assess_machine`]).
fn assess_unit(
    unit: Unit,
    check_index: &CheckIndex<'_>,
    source: &str,
    machines: Option<&crate::output::files::StagedDir>,
    rules: &RuleSet,
    renderer: &Renderer,
    options: &Options,
) -> Result<Handled> {
    let name = unit.name();
    let reload = unit.reload();
    let inventory = match load(unit, options.strict)? {
        Found::Machine(inventory, _) => inventory,
        Found::Skipped(reason) => return Ok(Handled::Skipped(reason)),
    };
    if options.parse_only {
        return Ok(Handled::Parsed);
    }
    let context = Context {
        check_index,
        machines,
        rules,
        renderer,
        options,
    };
    let (mut row, statuses) = assess_machine(&inventory, &name, source, &context)?;
    if row.key.is_some() {
        row.reload = reload;
    }
    Ok(Handled::Assessed(row, statuses))
}

/// Assesses one machine the way `assess` does (so the fleet's counts agree with it) and reduces
/// it to its row, the status of each readiness check by index into the rules, and its reports.
/// Without reports, only what the row and the counts need is worked out ([`Detail::Counts`]).
fn assess_machine(
    inventory: &Inventory,
    name: &str,
    source: &str,
    context: &Context<'_>,
) -> Result<(Row, Vec<(usize, Status)>)> {
    let Context {
        check_index,
        machines,
        rules,
        renderer,
        options,
    } = *context;
    let detail = if machines.is_some() {
        Detail::Full
    } else {
        Detail::Counts
    };
    let assessment =
        Assessment::with_detail(inventory, rules, &options.targets, options.as_of, detail);
    // Licensing findings belong to the plan, not to readiness: like a single assessment, the
    // fleet's verdicts, failing lists and tallies count readiness checks only.
    let checks = assessment.targets.iter().flat_map(|t| &t.checks);
    let statuses: Vec<(usize, Status)> = checks
        .clone()
        .filter_map(|c| Some((check_index.get(c.id.as_str())?.0, c.status)))
        .collect();
    let mut failed: Vec<&CheckResult> = checks.filter(|c| c.status == Status::Fail).collect();
    failed.sort_by_key(|c| std::cmp::Reverse(c.severity));
    let plan = &assessment.plan.route;
    let recommended = plan.recommended_option();
    let host = assessment.host.clone();
    let id = machine_id(&host, name);
    let provenance = Provenance::of(inventory);
    let (age_days, freshness) = provenance.age(options.as_of, options.stale_after_days);
    let mut row = Row {
        id,
        source: source.to_string(),
        host: host.name,
        serial: host.serial,
        manufacturer: host.manufacturer,
        model: host.model,
        os: assessment.os.name.clone(),
        verdicts: assessment
            .targets
            .iter()
            .map(|t| (t.target, t.verdict))
            .collect(),
        failing: failed
            .iter()
            .filter_map(|c| check_index.get(c.id.as_str()).map(|(_, id)| Arc::clone(id)))
            .collect(),
        unknown: statuses
            .iter()
            .filter(|(_, s)| *s == Status::Unknown)
            .count(),
        report: None,
        route: plan.recommended.clone(),
        route_open: recommended.map(|o| o.open),
        cost_usd: recommended.and_then(|o| o.cost_usd),
        provenance,
        age_days,
        freshness,
        source_count: 1,
        merged_sources: Vec::new(),
        input_name: name.to_string(),
        reload: Reload::None,
        key: identity::Key::of(inventory),
    };
    if let Some(machines) = machines {
        // A file name is shown everywhere (links, listings): a host named like a key is masked
        // in it whatever --reveal-keys says, so the links the outputs mask still lead somewhere.
        let host = crate::facts::productkey::mask_keys_in(row.host.as_deref().unwrap_or("machine"));
        let stem = format!("{}-{}", file_safe(&host), row.id);
        let render = RenderOptions {
            reveal_keys: options.reveal_keys,
            color: false,
        };
        let texts = renderer.render_templates(
            &[Format::Html, Format::Markdown],
            &assessment,
            inventory,
            render,
        )?;
        for (text, extension) in texts.iter().zip(["html", "md"]) {
            machines.write(&format!("{stem}.{extension}"), text.as_bytes())?;
        }
        row.report = Some(format!("machines/{stem}.html"));
    }
    Ok((row, statuses))
}

/// 12 hex digits of the FNV-1a hash of what names the machine (host name, serial number,
/// manufacturer, model) and of the input's own name (`PC-01.yaml`, or the evidence folder
/// `PC-01-20261120-0914`), not of the path as typed: `fleet1` and `./fleet1`, or the folder
/// moved elsewhere, give every report the same name, and two collections of one machine still
/// get two. Stable across runs and platforms.
fn machine_id(host: &crate::judge::assess::HostSummary, input_name: &str) -> String {
    use std::hash::Hasher;
    let mut hasher = fnv::FnvHasher::default();
    for part in [
        host.name.as_deref(),
        host.serial.as_deref(),
        host.manufacturer.as_deref(),
        host.model.as_deref(),
        Some(input_name),
    ] {
        // Each part is followed by a byte no text holds, so parts cannot run into each other.
        hasher.write(part.unwrap_or_default().as_bytes());
        hasher.write_u8(0xff);
    }
    format!("{:012x}", hasher.finish() & 0xffff_ffff_ffff)
}

/// A host name made safe for a file name on every platform.
fn file_safe(name: &str) -> String {
    let safe: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .take(40)
        .collect();
    if safe.is_empty() {
        "machine".into()
    } else {
        safe
    }
}

fn summarize(
    rows: &[Row],
    errors: &[InputError],
    counts: &[[usize; 4]],
    rules: &RuleSet,
    options: &Options,
) -> Summary {
    let mut verdicts: indexmap::IndexMap<Target, VerdictCounts> = options
        .targets
        .iter()
        .map(|&t| (t, VerdictCounts::default()))
        .collect();
    for row in rows {
        for (target, verdict) in &row.verdicts {
            let counts = verdicts.entry(*target).or_default();
            match verdict {
                Verdict::Ready => counts.ready += 1,
                Verdict::ReadyToConfirm => counts.ready_to_confirm += 1,
                Verdict::NotReady => counts.not_ready += 1,
                Verdict::Unknown => counts.unknown += 1,
            }
        }
    }
    let severity_of: BTreeMap<&str, Severity> = rules
        .checks()
        .iter()
        .map(|c| (c.check.id.as_str(), c.check.severity))
        .collect();
    let failing_at = |level: Severity| {
        rows.iter()
            .filter(|r| {
                r.failing
                    .iter()
                    .any(|id| severity_of.get(&**id).is_some_and(|s| *s >= level))
            })
            .count()
    };
    let checks: Vec<CheckTally> = rules
        .checks()
        .iter()
        .enumerate()
        .filter(|(_, loaded)| {
            options.targets.contains(&loaded.check.target)
                && loaded.check.section == Section::Readiness
        })
        .map(|(index, loaded)| {
            let [pass, fail, unknown, not_applicable] =
                counts.get(index).copied().unwrap_or([0; 4]);
            let judged = pass + fail;
            CheckTally {
                id: loaded.check.id.clone(),
                title: loaded.check.title.clone(),
                target: loaded.check.target,
                severity: loaded.check.severity,
                pass,
                fail,
                unknown,
                not_applicable,
                pass_rate: (judged > 0).then(|| pass as f64 / judged as f64),
                shares: (judged + unknown > 0).then(|| {
                    let applied = (judged + unknown) as f64;
                    [
                        pass as f64 / applied,
                        fail as f64 / applied,
                        unknown as f64 / applied,
                    ]
                }),
            }
        })
        .collect();
    let mut top_blockers: Vec<CheckTally> = checks
        .iter()
        .filter(|c| c.severity == Severity::Blocker && c.fail > 0)
        .cloned()
        .collect();
    top_blockers.sort_by(|a, b| b.fail.cmp(&a.fail).then_with(|| a.id.cmp(&b.id)));
    top_blockers.truncate(5);
    let mut routes: BTreeMap<String, usize> = BTreeMap::new();
    let mut routes_to_confirm: BTreeMap<String, usize> = BTreeMap::new();
    let mut estimated_cost_usd = [0.0, 0.0];
    let mut cost_not_estimated = 0;
    for row in rows {
        if let Some(route) = &row.route {
            *routes.entry(route.clone()).or_default() += 1;
            if row.route_open == Some(Open::IfUnknownsPass) {
                *routes_to_confirm.entry(route.clone()).or_default() += 1;
            }
        }
        match row.cost_usd {
            Some([low, high]) => {
                estimated_cost_usd[0] += low;
                estimated_cost_usd[1] += high;
            }
            None => cost_not_estimated += 1,
        }
    }
    let freshness = |f: Freshness| rows.iter().filter(|r| r.freshness == f).count();
    // Whole cents: a sum of many prices in floating point would print as 2938.8599999999997.
    let estimated_cost_usd = estimated_cost_usd.map(|usd| (usd * 100.0).round() / 100.0);
    Summary {
        routes,
        routes_to_confirm,
        estimated_cost_usd,
        cost_not_estimated,
        schema: SCHEMA,
        as_of: options.as_of.to_string(),
        generator: format!("w7plan {}", env!("CARGO_PKG_VERSION")),
        machines: rows.len(),
        input_errors: errors.len(),
        // The walk's skipped files are counted by `run`, which holds them.
        skipped: 0,
        verdicts,
        failing_blocker: failing_at(Severity::Blocker),
        failing_warning: failing_at(Severity::Warning),
        checks,
        top_blockers,
        stale_after_days: options.stale_after_days,
        stale: freshness(Freshness::Stale),
        date_unknown: freshness(Freshness::DateUnknown),
        merged_machines: rows.iter().filter(|r| r.source_count > 1).count(),
        merged_inputs: rows
            .iter()
            .filter(|r| r.source_count > 1)
            .map(|r| r.source_count)
            .sum(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_of_an_export_sort_by_number() {
        let mut sources = vec![
            "cm/export.csv, row 10",
            "cm/export.csv, row 9",
            "cm/a.yaml",
            "cm/export.csv, row 2",
            "cm/export.csv, row x",
            "cm/z.yaml",
        ];
        sources.sort_by(|a, b| source_order(a).cmp(&source_order(b)));
        assert_eq!(
            sources,
            [
                "cm/a.yaml",
                "cm/export.csv, row 2",
                "cm/export.csv, row 9",
                "cm/export.csv, row 10",
                "cm/export.csv, row x",
                "cm/z.yaml",
            ]
        );
    }

    #[test]
    fn ids_are_stable_and_names_safe() {
        let host = |name: &str| crate::judge::assess::HostSummary {
            name: Some(name.into()),
            serial: None,
            manufacturer: None,
            model: None,
        };
        assert_eq!(
            machine_id(&host("PC-01"), "a.json"),
            machine_id(&host("PC-01"), "a.json")
        );
        assert_ne!(
            machine_id(&host("PC-01"), "a.json"),
            machine_id(&host("PC-02"), "a.json")
        );
        assert_ne!(
            machine_id(&host("PC-01"), "a.json"),
            machine_id(&host("PC-01"), "b.json")
        );
        assert_eq!(machine_id(&host("x"), "x").len(), 12);
        assert_eq!(file_safe("PC 01/..\\x"), "PC_01____x");
        assert_eq!(file_safe(""), "machine");
    }
}
