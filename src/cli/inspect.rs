//! `w7plan inspect`: this machine's facts as an inventory.

use super::Outcome;
use anyhow::Context as _;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// Write the inventory here instead of stdout.
    #[arg(long, short = 'o')]
    output: Option<PathBuf>,
    /// yaml or json. Default: from the -o file's extension, else yaml.
    #[arg(long, short = 'f', value_parser = ["yaml", "json"])]
    format: Option<String>,
}

pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let inventory = w7plan::facts::collect::this_machine();
    let json = match args.format.as_deref() {
        Some(format) => format == "json",
        None => args
            .output
            .as_deref()
            .and_then(|p| p.extension())
            .is_some_and(|e| e.eq_ignore_ascii_case("json")),
    };
    let text = if json {
        inventory.to_json() + "\n"
    } else {
        inventory.to_yaml()
    };
    super::write_output(args.output.as_deref(), &text, Default::default())
        .context("cannot write the inventory")?;
    Ok(Outcome::Done)
}
