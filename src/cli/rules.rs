//! `w7plan rules list | lint | test | explain ID`.

use super::Outcome;
use anyhow::bail;
use std::path::PathBuf;
use w7plan::judge::rules::lint::{lint, Level};

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
    /// Extra rule packs, as for `assess --rules`.
    #[arg(long, global = true)]
    rules: Option<PathBuf>,
}

#[derive(clap::Subcommand)]
enum Command {
    /// One line per check: id, target, section (readiness or licence), severity, title.
    List,
    /// Find mistakes in the packs, routes.yaml and data/ before they run: syntax, duplicate ids,
    /// missing sources, unknown fields, filters and ids, type slips; each at file:line:column.
    Lint,
    /// Run every check's examples.
    Test,
    /// Show one check in full: what it tests, its conditions, sources and examples.
    Explain { id: String },
}

pub fn run(args: Args) -> anyhow::Result<Outcome> {
    match args.command {
        Command::List => {
            let rules = super::load_rules(args.rules.as_deref())?;
            let mut out = String::new();
            for loaded in rules.checks() {
                let c = &loaded.check;
                out.push_str(&format!(
                    "{:<32} {:<10} {:<10} {:<8} {}\n",
                    c.id,
                    c.target,
                    c.section.as_str(),
                    c.severity.as_str(),
                    c.title
                ));
            }
            super::write_output(None, &out, w7plan::output::files::Keys::Revealed)?;
            Ok(Outcome::Done)
        }
        Command::Lint => {
            let findings = lint(args.rules.as_deref());
            let errors = findings.iter().filter(|f| f.level == Level::Error).count();
            for finding in &findings {
                eprintln!("{finding}");
            }
            if errors > 0 {
                bail!("{errors} error(s) in the rule packs");
            }
            eprintln!("rules: no errors, {} warning(s)", findings.len());
            Ok(Outcome::Done)
        }
        Command::Test => {
            let rules = super::load_rules(args.rules.as_deref())?;
            let outcomes = rules.run_examples();
            let mut failed = 0;
            let mut out = String::new();
            for outcome in &outcomes {
                if outcome.passed() {
                    continue;
                }
                failed += 1;
                let got = match &outcome.got {
                    Ok(r) => format!("got {} ({})", r.status, r.reason.as_deref().unwrap_or("")),
                    Err(e) => format!("could not run: {e}"),
                };
                out.push_str(&format!(
                    "FAIL {} example {} ({}): expected {}, {got}\n",
                    outcome.id,
                    outcome.index + 1,
                    outcome.origin,
                    outcome.expected
                ));
            }
            out.push_str(&format!(
                "{} passed, {failed} failed\n",
                outcomes.len() - failed
            ));
            super::write_output(None, &out, w7plan::output::files::Keys::Revealed)?;
            if failed > 0 {
                bail!("{failed} rule example(s) failed");
            }
            Ok(Outcome::Done)
        }
        Command::Explain { id } => {
            let rules = super::load_rules(args.rules.as_deref())?;
            let Some(loaded) = rules.find(&id) else {
                return Err(w7plan::Error::UnknownRule(id).into());
            };
            let mut text = format!(
                "# {} ({})\n# from {}\n",
                loaded.check.id, loaded.check.title, loaded.origin
            );
            text.push_str(&w7plan::yaml::to_string(&loaded.check)?);
            super::write_output(None, &text, w7plan::output::files::Keys::Revealed)?;
            Ok(Outcome::Done)
        }
    }
}
