//! `w7plan key check KEY` and `w7plan key decode --hex HEX | FILE`: a product key's form, and the
//! key a registry blob holds.
//!
//! Both mask the key like every other output unless `--reveal-keys`: `decode` exists to recover
//! the key (to back it up, as key-finder tools do), but its output is as likely to be pasted into
//! a ticket or a report as any other, so showing the key in full is the user's explicit choice.
//! The first line of stdout is the key (masked or full), details follow.

use super::Outcome;
use anyhow::Context as _;
use std::io::Read;
use std::path::PathBuf;
use w7plan::facts::productkey::{self, KeyForm};
use w7plan::judge::license::oem_marker;
use w7plan::knowledge::gvlk::GvlkList;
use w7plan::output::files::Keys;
use w7plan::vocab::Channel;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Subcommand)]
enum Command {
    /// Check a product key's form, explain typos, and recognise Microsoft's published KMS client
    /// keys. Exit 0 when the form is valid, 2 when it is not.
    Check {
        /// The key, with or without dashes, in any case.
        key: String,
        /// Show the key (and suggested corrections) in full; it is masked otherwise.
        #[arg(long)]
        reveal_keys: bool,
    },
    /// Decode the product key of a DigitalProductId or DigitalProductId4 value and print it on
    /// the first line of stdout, masked unless --reveal-keys. Exit 0 when decoded (or when the value holds no key), 2 on bad
    /// input.
    #[command(group(clap::ArgGroup::new("input").required(true).args(["hex", "file"])))]
    Decode {
        /// The value's bytes as hex: the 15 key bytes or the whole value; spaces, commas, `hex:`
        /// prefixes and `\` line continuations are allowed. `-` reads them from stdin.
        #[arg(long, value_name = "HEX", conflicts_with = "file")]
        hex: Option<String>,
        /// A `reg export` of HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion (.reg), a text
        /// file holding the hex, a Windows installation that is not running (a mounted Windows
        /// volume), or its SOFTWARE hive file.
        file: Option<PathBuf>,
        /// Print the key in full; it is masked otherwise, as in every output.
        #[arg(long)]
        reveal_keys: bool,
    },
}

pub fn run(args: Args) -> anyhow::Result<Outcome> {
    match args.command {
        Command::Check { key, reveal_keys } => check(&key, reveal_keys),
        Command::Decode {
            hex,
            file,
            reveal_keys,
        } => decode(hex.as_deref(), file.as_deref(), reveal_keys),
    }
}

fn check(key: &str, reveal: bool) -> anyhow::Result<Outcome> {
    let result = productkey::check(key);
    let shown = |k: &str| {
        if reveal {
            k.to_string()
        } else {
            productkey::mask(k)
        }
    };
    let mut out = String::new();
    let name = result
        .normalized
        .as_deref()
        .map_or_else(|| "The key".to_string(), shown);
    if result.is_valid() {
        out.push_str(&format!("{name}: valid\n"));
        if let Some(form) = result.form {
            out.push_str(&format!("Form: {}\n", form.describe()));
        }
        match result.key().and_then(|k| GvlkList::embedded().find(k)) {
            Some(gvlk) => out.push_str(&format!(
                "Published KMS client key (GVLK) for {}: channel {}; it activates only against an organisation's KMS host or Active Directory\n",
                gvlk.edition,
                Channel::VolumeGvlk
            )),
            None => out.push_str(
                "Not one of Microsoft's published KMS client keys. A valid form does not mean Microsoft issued the key: only activation can tell.\n",
            ),
        }
        super::write_output(None, &out, Keys::revealed(reveal))?;
        return Ok(Outcome::Done);
    }
    out.push_str(&format!("{name}: not a valid product key\n"));
    for line in problem_lines(&result.problems) {
        out.push_str(&format!("- {line}\n"));
    }
    let corrections = result.corrections(64);
    let gvlks: Vec<(String, &str)> = corrections
        .iter()
        .filter_map(|c| Some((c.clone(), GvlkList::embedded().find(c)?.edition.as_str())))
        .collect();
    if let Some((key, edition)) = gvlks.first() {
        out.push_str(&format!(
            "With those corrections it would be Microsoft's published KMS client key for {edition}{}.\n",
            if reveal { format!(": {key}") } else { String::new() }
        ));
    } else if !corrections.is_empty() {
        if reveal {
            out.push_str("Possible corrections:\n");
            for c in &corrections {
                out.push_str(&format!("  {c}\n"));
            }
        } else {
            out.push_str(&format!(
                "{} possible correction(s); add --reveal-keys to see them.\n",
                corrections.len()
            ));
        }
    }
    super::write_output(None, &out, Keys::revealed(reveal))?;
    Ok(Outcome::Invalid)
}

/// One line per distinct problem: the same character wrong in several places is said once,
/// with its positions (`…-AAAAA` gave the same line five times).
fn problem_lines(problems: &[productkey::check::Problem]) -> Vec<String> {
    /// The wrong character and what is said about it, where it has a position.
    type Same = Option<(char, String)>;
    let mut lines: Vec<(Same, Vec<usize>, String)> = Vec::new();
    for problem in problems {
        let same = match (problem.position, problem.found) {
            (Some(position), Some(found)) => problem
                .message
                .split_once("`: ")
                .map(|(_, why)| (found, why.to_string(), position)),
            _ => None,
        };
        match same {
            Some((found, why, position)) => {
                match lines
                    .iter_mut()
                    .find(|(key, _, _)| key.as_ref() == Some(&(found, why.clone())))
                {
                    Some((_, positions, _)) => positions.push(position),
                    None => {
                        lines.push((Some((found, why)), vec![position], problem.message.clone()))
                    }
                }
            }
            None => lines.push((None, Vec::new(), problem.message.clone())),
        }
    }
    lines
        .into_iter()
        .map(|(key, positions, message)| match key {
            Some((found, why)) if positions.len() > 1 => {
                let numbers: Vec<String> = positions.iter().map(usize::to_string).collect();
                let (last, rest) = numbers.split_last().expect("two or more");
                format!(
                    "characters {} and {last} are `{found}`: {why}",
                    rest.join(", ")
                )
            }
            _ => message,
        })
        .collect()
}

fn decode(
    hex: Option<&str>,
    file: Option<&std::path::Path>,
    reveal: bool,
) -> anyhow::Result<Outcome> {
    let keys = Keys::revealed(reveal);
    let installation = match file {
        Some(path) => w7plan::facts::import::offline::open(path)?,
        None => None,
    };
    let blobs: Vec<(String, Vec<u8>)> = match (hex, file) {
        (None, Some(_)) if installation.is_some() => installation
            .as_ref()
            .map(|i| i.digital_product_ids())
            .transpose()?
            .unwrap_or_default(),
        (Some("-"), _) => {
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .context("cannot read the hex from stdin")?;
            vec![(
                "--hex".into(),
                productkey::hex::parse(&text).map_err(w7plan::Error::from)?,
            )]
        }
        (Some(text), _) => vec![(
            "--hex".into(),
            productkey::hex::parse(text).map_err(w7plan::Error::from)?,
        )],
        (None, Some(path)) => {
            let bytes = std::fs::read(path).map_err(|source| w7plan::Error::Read {
                path: path.to_path_buf(),
                source,
            })?;
            if is_reg_export(path, &bytes) {
                w7plan::facts::import::reg::digital_product_ids_from_reg(
                    &bytes,
                    &w7plan::error::Origin::path(path),
                )?
            } else {
                let text = String::from_utf8_lossy(&bytes);
                let parsed = productkey::hex::parse(&text)
                    .map_err(w7plan::Error::from)
                    .with_context(|| format!("{}: not a .reg export nor hex", path.display()))?;
                vec![(path.display().to_string(), parsed)]
            }
        }
        (None, None) => anyhow::bail!("give --hex HEX or a FILE"),
    };
    let mut decoded = Vec::new();
    for (name, bytes) in &blobs {
        let d = productkey::decode_any(bytes).map_err(|e| {
            anyhow::anyhow!("{name} ({} bytes): {}", bytes.len(), w7plan::Error::from(e))
        })?;
        decoded.push((name, d));
    }
    let mut out = String::new();
    match decoded.iter().find_map(|(_, d)| d.key.as_deref()) {
        Some(key) => out.push_str(&format!("{key}\n")),
        None => out.push_str(
            "no key stored: the key bytes are all zero, as volume-licensed Windows 7 and 8.1 leave them (read the partial key with `slmgr /dli` instead)\n",
        ),
    }
    for (name, d) in &decoded {
        if blobs.len() > 1 {
            out.push_str(&format!("{name}:\n"));
        }
        out.push_str(&format!("Source: {}\n", d.kind.describe()));
        let form = d.key.as_deref().and_then(|k| productkey::check(k).form);
        if let Some(key) = &d.key {
            if let Some(form) = form {
                out.push_str(&format!("Form: {}\n", form.describe()));
            }
            match GvlkList::embedded().find(key) {
                Some(g) => out.push_str(&format!(
                    "Published KMS client key (GVLK) for {}: channel {}\n",
                    g.edition,
                    Channel::VolumeGvlk
                )),
                None => out.push_str("Not one of Microsoft's published KMS client keys\n"),
            }
        }
        if let Some(id) = &d.product_id {
            match oem_marker(id) {
                Some(marker) => out.push_str(&format!(
                    "Product ID: {id} (OEM marker: {marker}; channel {})\n",
                    Channel::Oem
                )),
                None => out.push_str(&format!("Product ID: {id}\n")),
            }
        }
        if matches!(form, Some(KeyForm::WithN { .. })) {
            out.push_str("Note: since Windows 10 1703 the installed key may be a default edition key rather than the OEM key in the firmware (WMI SoftwareLicensingService.OA3xOriginalProductKey holds that one).\n");
        }
    }
    if let Some(installation) = &installation {
        out.push_str(&format!("Installation: {}\n", installation.place.describe));
    }
    if keys != Keys::Revealed && decoded.iter().any(|(_, d)| d.key.is_some()) {
        out.push_str("The key is masked; --reveal-keys prints it in full.\n");
    }
    super::write_output(None, &out, keys)?;
    Ok(Outcome::Done)
}

/// A `reg export` file: named `.reg`, or starting with a UTF-16 BOM or the export header.
fn is_reg_export(path: &std::path::Path, bytes: &[u8]) -> bool {
    let named = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("reg"));
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(64)]);
    let text = text.trim_start_matches('\u{feff}');
    named
        || bytes.starts_with(&[0xff, 0xfe])
        || text.starts_with("Windows Registry Editor")
        || text.starts_with("REGEDIT4")
}
