//! Command-line arguments (clap) and the exit-code contract. One file per subcommand.
//!
//! Exit codes: 0 done; 1 findings at or above `--fail-on` (only when asked); 2 usage or input
//! error. Data goes to stdout (or `-o FILE`), messages to stderr.

mod assess;
mod double_click;
mod fleet;
mod import;
mod inspect;
mod key;
mod rules;

use clap::{Parser, Subcommand, ValueEnum};
use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

/// What a subcommand asks the process to exit with, besides errors.
pub enum Outcome {
    Done,
    Findings,
    /// A batch finished, but some inputs could not be read.
    InputErrors,
    /// The input was read but is not valid (`key check` of a malformed key); the output said why.
    Invalid,
}

/// Every exit code, for `w7plan --help`; each subcommand's help names only its own.
const EXIT_CODES: &str = "\
Exit codes:
  0  done, whatever the verdict
  1  assess, fleet: a check failed at or above --fail-on (only when --fail-on is given)
  2  usage error or bad input, named with file:line where there is one; for key check, a
     key of invalid form; for import, any input that could not be imported; for fleet, no
     machine assessed (and why)
  3  fleet: finished, but some inputs could not be read (they are listed; the rest were assessed)";

const ASSESS_EXIT_CODES: &str = "\
Exit codes:
  0  done, whatever the verdict
  1  a readiness check failed at or above --fail-on (only when --fail-on is given; unknown and
     ready-to-confirm are not failures; an inferred fail is)
  2  usage error or bad input (unreadable file, malformed inventory named with file:line, unknown
     schema)";

const FLEET_EXIT_CODES: &str = "\
Exit codes:
  0  done, whatever the verdicts
  1  a machine has a check failing at or above --fail-on (only when --fail-on is given)
  2  usage error, the outputs could not be written, or no machine was assessed (an empty folder,
     only unreadable inputs, or only files w7plan does not read; the message says which)
  3  finished, but some inputs could not be read (they are listed on stderr, in fleet.json and on
     the dashboard; every other machine was assessed)";

const KEY_EXIT_CODES: &str = "\
Exit codes:
  0  key check: the key's form is valid; key decode: decoded, or the value stores no key
     (volume-licensed Windows 7 and 8.1 leave it all zero)
  2  usage error or bad input; key check: the key's form is invalid; key decode: not hex, bytes
     that hold no key, or a .reg export without DigitalProductId";

const PLAIN_EXIT_CODES: &str = "\
Exit codes:
  0  done
  2  usage error or bad input";

#[derive(Parser)]
#[command(
    name = "w7plan",
    version,
    about = "Plans the way off Windows 7: can this PC run Windows 11 or 10, and what would it take?",
    after_help = EXIT_CODES
)]
struct Cli {
    /// When to colour terminal output (NO_COLOR is respected).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    color: ColorChoice,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Subcommand)]
enum Command {
    /// Collect this machine's facts into an inventory (YAML or JSON).
    #[command(after_help = PLAIN_EXIT_CODES)]
    Inspect(inspect::Args),
    /// Turn evidence folders, raw Windows tool outputs or offline Windows installations (a
    /// mounted volume, its hive files) into inventories.
    #[command(after_help = import::AFTER_HELP)]
    Import(import::Args),
    /// Assess an inventory (or this machine) for Windows 11 and Windows 10 and write a report.
    #[command(after_help = ASSESS_EXIT_CODES)]
    Assess(assess::Args),
    /// Assess many machines: a dashboard, a CSV, a JSON summary and per-machine reports.
    #[command(after_help = FLEET_EXIT_CODES)]
    Fleet(fleet::Args),
    /// List, lint, test or explain the rule packs.
    #[command(
        after_help = "Exit codes:\n  0  done\n  2  usage error, errors in the rule packs (lint), or failing examples (test)"
    )]
    Rules(rules::Args),
    /// Write synthetic inventories for trying out and benchmarking `fleet`.
    #[command(hide = true)]
    Synthetic {
        /// How many machines.
        count: u64,
        /// The directory to write them to.
        #[arg(long, short = 'o')]
        output: std::path::PathBuf,
        /// Write YAML instead of JSON.
        #[arg(long)]
        yaml: bool,
        #[arg(long, default_value_t = 7)]
        seed: u64,
    },
    /// Check a product key's form or decode one from the registry.
    #[command(after_help = KEY_EXIT_CODES)]
    Key(key::Args),
    /// Print a shell completion script.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

pub fn main() -> ExitCode {
    // Double-clicked in Explorer (Windows only): no arguments, a console of its own.
    if double_click::started_by_double_click() {
        return double_click::run();
    }
    let cli = Cli::parse();
    let color = match cli.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    };
    let result = match cli.command {
        Command::Inspect(args) => inspect::run(args),
        Command::Import(args) => import::run(args),
        Command::Assess(args) => assess::run(args, color),
        Command::Fleet(args) => fleet::run(args),
        Command::Rules(args) => rules::run(args),
        Command::Synthetic {
            count,
            output,
            yaml,
            seed,
        } => w7plan::fleet::synthetic::write_fleet(&output, count, seed, yaml)
            .map(|_| Outcome::Done)
            .map_err(|e| anyhow::anyhow!("{}: {e}", output.display())),
        Command::Key(args) => key::run(args),
        Command::Completions { shell } => {
            clap_complete::generate(
                shell,
                &mut completion_command(),
                "w7plan",
                &mut std::io::stdout(),
            );
            Ok(Outcome::Done)
        }
    };
    match result {
        Ok(Outcome::Done) => ExitCode::SUCCESS,
        Ok(Outcome::Findings) => ExitCode::from(1),
        Ok(Outcome::InputErrors) => ExitCode::from(3),
        Ok(Outcome::Invalid) => ExitCode::from(2),
        Err(error) => {
            // An error may quote the bad value, which may be a product key or hold escape
            // sequences: errors are masked and escaped whatever --reveal-keys says.
            let message = error.to_string();
            eprintln!(
                "error: {}",
                w7plan::output::report::escape::for_stderr(&message)
            );
            let mut source = error.source();
            while let Some(cause) = source {
                // The library's messages already end with their cause; say it once.
                let cause_text = cause.to_string();
                if !message.contains(&cause_text) {
                    eprintln!(
                        "  caused by: {}",
                        w7plan::output::report::escape::for_stderr(&cause_text)
                    );
                }
                source = cause.source();
            }
            ExitCode::from(2)
        }
    }
}

/// The command line as completions offer it: clap_complete lists hidden subcommands, so the
/// hidden ones (`synthetic`) are left out here.
fn completion_command() -> clap::Command {
    use clap::CommandFactory;
    let full = Cli::command();
    let visible: Vec<clap::Command> = full
        .get_subcommands()
        .filter(|s| !s.is_hide_set())
        .cloned()
        .collect();
    clap::Command::new("w7plan")
        .version(env!("CARGO_PKG_VERSION"))
        .about(full.get_about().cloned().unwrap_or_default())
        .args(full.get_arguments().cloned())
        .subcommands(visible)
}

/// The options `assess` and `fleet` share: what to judge for, as of when, with which rules and
/// templates, and when to exit with findings.
#[derive(clap::Args)]
pub struct Judging {
    /// Which Windows to assess for: an id of rules/data/targets.yaml, or all.
    #[arg(long, default_value = w7plan::knowledge::targets::ALL, value_parser = TargetWord)]
    target: String,
    /// Judge support dates as of this day (YYYY-MM-DD); default today. Makes reports reproducible.
    #[arg(long)]
    as_of: Option<String>,
    /// Extra rule packs: a check with a shipped id replaces it.
    #[arg(long)]
    rules: Option<std::path::PathBuf>,
    /// Templates that override the shipped ones (report.md, report.html, fleet.html).
    #[arg(long)]
    templates: Option<std::path::PathBuf>,
    /// Show product keys in full (they are masked otherwise).
    #[arg(long)]
    reveal_keys: bool,
    /// Exit with 1 when a check fails at or above this severity.
    #[arg(long, value_enum)]
    fail_on: Option<FailOn>,
    /// Refuse an inventory with unknown fields (typos) or impossible values instead of warning
    /// and ignoring them.
    #[arg(long)]
    strict: bool,
}

/// `--target`'s value: any word, checked once the rules are loaded (a `--rules DIR` may list
/// other targets), while help and completions offer the shipped ids.
#[derive(Clone)]
struct TargetWord;

impl clap::builder::TypedValueParser for TargetWord {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<String, clap::Error> {
        clap::builder::StringValueParser::new().parse_ref(cmd, arg, value)
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        let shipped = w7plan::knowledge::targets::Targets::embedded().all();
        Some(Box::new(
            std::iter::once(w7plan::knowledge::targets::ALL)
                .chain(shipped.into_iter().map(|t| t.id()))
                .map(clap::builder::PossibleValue::new),
        ))
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum FailOn {
    Blocker,
    Warning,
}

/// What the shared options load.
pub struct Loaded {
    pub targets: Vec<w7plan::vocab::Target>,
    pub as_of: jiff::civil::Date,
    pub rules: w7plan::judge::rules::RuleSet,
    pub renderer: w7plan::output::report::Renderer,
}

/// Loads the rules with `--rules DIR` over the shipped ones, and warns on stderr about each file
/// under DIR the loader did not read, by name, so a misplaced or misspelt file is not silently
/// without effect.
pub fn load_rules(dir: Option<&Path>) -> anyhow::Result<w7plan::judge::rules::RuleSet> {
    let rules = w7plan::judge::rules::RuleSet::load(dir)?;
    for path in rules.knowledge().ignored() {
        eprintln!(
            "warning: {}: not read; --rules reads rule packs (*.yaml at its top), routes.yaml, \
             software.yaml and data/{{{}}}",
            path.display(),
            w7plan::knowledge::DATA_FILES.join(",")
        );
    }
    Ok(rules)
}

impl Judging {
    pub fn load(&self) -> anyhow::Result<Loaded> {
        let rules = load_rules(self.rules.as_deref())?;
        Ok(Loaded {
            // Checked against the list the rules were loaded with, so a `--rules DIR` that adds
            // a target can select it.
            targets: rules.knowledge().targets().select(&self.target)?,
            as_of: assess::parse_as_of(self.as_of.as_deref())?,
            rules,
            renderer: w7plan::output::report::Renderer::new(self.templates.clone())?,
        })
    }

    pub fn fail_on(&self) -> Option<w7plan::vocab::Severity> {
        self.fail_on.map(|level| match level {
            FailOn::Warning => w7plan::vocab::Severity::Warning,
            FailOn::Blocker => w7plan::vocab::Severity::Blocker,
        })
    }
}

/// Writes `text` to `path` or to stdout when there is no path or it is `-`. A file is replaced
/// through a temporary file renamed into place (so a reader never sees half a report); a device
/// or FIFO is written in place (see [`w7plan::output`]). Product keys are masked unless `keys`
/// says they are revealed, which also makes a new file readable by its owner only.
pub fn write_output(
    path: Option<&Path>,
    text: &str,
    keys: w7plan::output::files::Keys,
) -> anyhow::Result<()> {
    use std::io::Write;
    match path {
        Some(path) if path != Path::new("-") => Ok(w7plan::output::files::write_atomic(
            path,
            text.as_bytes(),
            keys,
        )?),
        _ => {
            let text = keys.apply(text);
            let mut stdout = std::io::stdout().lock();
            match stdout
                .write_all(text.as_bytes())
                .and_then(|_| stdout.flush())
            {
                // A closed pipe (`| head`) is the reader's choice, not an error.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                other => other.map_err(Into::into),
            }
        }
    }
}
