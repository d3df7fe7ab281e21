//! Command-line arguments (clap) and the exit-code contract. One file per subcommand.
//!
//! Exit codes: 0 done; 1 findings at or above `--fail-on` (only when asked); 2 usage or input
//! error. Data goes to stdout (or `-o FILE`), messages to stderr.

mod assess;
mod import;
mod inspect;
mod rules;

use clap::{Parser, Subcommand, ValueEnum};
use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

/// What a subcommand asks the process to exit with, besides errors.
pub enum Outcome {
    Done,
    Findings,
}

const EXIT_CODES: &str = "\
Exit codes:
  0  done
  1  findings at or above --fail-on (only when --fail-on is given)
  2  usage error or bad input (unreadable file, malformed inventory, unknown schema or target)";

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
    Inspect(inspect::Args),
    /// Turn evidence folders or raw Windows tool outputs into inventories.
    #[command(after_help = import::AFTER_HELP)]
    Import(import::Args),
    /// Assess an inventory (or this machine) for Windows 11 and Windows 10 and write a report.
    #[command(after_help = EXIT_CODES)]
    Assess(assess::Args),
    /// List, lint, test or explain the rule packs.
    Rules(rules::Args),
    /// Print a shell completion script.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

pub fn main() -> ExitCode {
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
        Command::Rules(args) => rules::run(args),
        Command::Completions { shell } => {
            use clap::CommandFactory;
            clap_complete::generate(shell, &mut Cli::command(), "w7plan", &mut std::io::stdout());
            Ok(Outcome::Done)
        }
    };
    match result {
        Ok(Outcome::Done) => ExitCode::SUCCESS,
        Ok(Outcome::Findings) => ExitCode::from(1),
        Err(error) => {
            eprintln!("error: {error}");
            let mut source = error.source();
            while let Some(cause) = source {
                eprintln!("  caused by: {cause}");
                source = cause.source();
            }
            ExitCode::from(2)
        }
    }
}

/// Writes `text` to `path` (through a temporary file renamed into place, so a reader never sees
/// half a report) or to stdout when there is no path or it is `-`.
pub fn write_output(path: Option<&Path>, text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    match path {
        Some(path) if path != Path::new("-") => {
            let dir = path
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            let write_error = |source| w7plan::Error::Write {
                path: path.to_path_buf(),
                source,
            };
            let mut temp = tempfile::NamedTempFile::new_in(dir).map_err(write_error)?;
            temp.write_all(text.as_bytes()).map_err(write_error)?;
            temp.persist(path).map_err(|e| write_error(e.error))?;
            Ok(())
        }
        _ => {
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
