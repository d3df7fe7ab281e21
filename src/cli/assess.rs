//! `w7plan assess [PATH]`: one machine's inventory in, a report out.

use super::Outcome;
use anyhow::Context as _;
use std::io::IsTerminal;
use std::path::PathBuf;
use w7plan::error::Origin;
use w7plan::facts::inventory::Inventory;
use w7plan::judge::assess::Assessment;
use w7plan::output::report::{Format, RenderOptions};

#[derive(clap::Args)]
pub struct Args {
    /// An inventory file (YAML or JSON), an evidence folder, a raw tool output, a mounted Windows
    /// volume or a registry hive file, or `-` for stdin. Without it, this machine is collected.
    path: Option<PathBuf>,
    /// The report's format (hwreadiness: Microsoft's HardwareReadiness.ps1 JSON). Default: from
    /// the -o file's extension, else table on a terminal and json otherwise.
    #[arg(long, short = 'f', value_enum)]
    format: Option<FormatChoice>,
    /// Write the report here instead of stdout.
    #[arg(long, short = 'o')]
    output: Option<PathBuf>,
    #[command(flatten)]
    judging: super::Judging,
}

/// The formats, as clap offers them (and shells complete them).
#[derive(Clone, Copy, clap::ValueEnum)]
enum FormatChoice {
    Table,
    Json,
    #[value(alias = "yml")]
    Yaml,
    #[value(alias = "markdown")]
    Md,
    #[value(alias = "htm")]
    Html,
    Hwreadiness,
}

impl From<FormatChoice> for Format {
    fn from(choice: FormatChoice) -> Format {
        match choice {
            FormatChoice::Table => Format::Table,
            FormatChoice::Json => Format::Json,
            FormatChoice::Yaml => Format::Yaml,
            FormatChoice::Md => Format::Markdown,
            FormatChoice::Html => Format::Html,
            FormatChoice::Hwreadiness => Format::HwReadiness,
        }
    }
}

pub fn run(args: Args, color: bool) -> anyhow::Result<Outcome> {
    let format = match (args.format, args.output.as_deref()) {
        (Some(choice), _) => Format::from(choice),
        // `-o report.pdf` would otherwise get JSON under a name that promises something else.
        (None, Some(path)) if path != std::path::Path::new("-") && path.extension().is_some() => {
            Format::from_extension(path).with_context(|| {
                format!(
                    "{}: cannot tell the format from the extension `.{}`; use .json, .yaml, .md, \
                     .html or .txt (a table), or give --format ({})",
                    path.display(),
                    path.extension().unwrap_or_default().to_string_lossy(),
                    Format::NAMES.join(", ")
                )
            })?
        }
        _ => {
            if std::io::stdout().is_terminal() {
                Format::Table
            } else {
                Format::Json
            }
        }
    };
    let super::Loaded {
        mut targets,
        as_of,
        rules,
        renderer,
    } = args.judging.load()?;
    let hwreadiness = w7plan::output::report::hwreadiness::TARGET;
    if format == Format::HwReadiness && !targets.contains(&hwreadiness) {
        targets.insert(0, hwreadiness);
    }
    let inventory = read_inventory(args.path.as_deref(), args.judging.strict)?;

    let assessment = Assessment::new(&inventory, &rules, &targets, as_of);
    let options = RenderOptions {
        reveal_keys: args.judging.reveal_keys,
        color: color && args.output.is_none() && format == Format::Table,
    };
    let text = renderer.render(format, &assessment, &inventory, options)?;
    super::write_output(
        args.output.as_deref(),
        &text,
        w7plan::output::files::Keys::revealed(args.judging.reveal_keys),
    )?;

    Ok(match args.judging.fail_on() {
        Some(level) if assessment.has_failures_at(level) => Outcome::Findings,
        _ => Outcome::Done,
    })
}

/// `--as-of` or today.
pub fn parse_as_of(text: Option<&str>) -> anyhow::Result<jiff::civil::Date> {
    match text {
        Some(text) => text
            .parse::<jiff::civil::Date>()
            .with_context(|| format!("--as-of `{text}` is not a date; expected YYYY-MM-DD")),
        None => Ok(jiff::Zoned::now().date()),
    }
}

fn read_inventory(path: Option<&std::path::Path>, strict: bool) -> anyhow::Result<Inventory> {
    let (origin, (mut inventory, warnings)) = match path {
        None => return Ok(w7plan::facts::collect::this_machine()),
        Some(p) if p == std::path::Path::new("-") => {
            let origin = Origin("<stdin>".into());
            let bytes = w7plan::input::read_all(
                std::io::stdin().lock(),
                &origin,
                w7plan::input::Kind::ToolOutput,
            )?;
            let read = w7plan::facts::import::inventory_from_bytes_checked(&bytes, &origin)?;
            (origin, read)
        }
        Some(p) => (
            Origin::path(p),
            w7plan::facts::import::read_path_checked(p)?,
        ),
    };
    let lines: Vec<String> = warnings.iter().map(|w| w.at(&origin)).collect();
    if strict && !lines.is_empty() {
        anyhow::bail!(
            "--strict: the inventory holds what w7plan cannot use:\n  {}",
            lines.join("\n  ")
        );
    }
    for line in &lines {
        eprintln!("warning: {line}");
    }
    // The report says it too: whoever reads it did not see the terminal.
    inventory.notes.extend(lines);
    Ok(inventory)
}
