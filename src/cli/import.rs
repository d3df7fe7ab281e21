//! `w7plan import PATH…`: evidence folders and raw Windows tool outputs in, inventories out.

use super::Outcome;
use anyhow::{bail, Context as _};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use w7plan::facts::inventory::Inventory;

pub const AFTER_HELP: &str = "\
An input is an evidence folder written by collectors/windows7/collect.cmd, a folder of such
folders, a Windows installation that is not running (a mounted Windows volume such as E:\\ or
/mnt/win7, or its registry hive files SOFTWARE, SYSTEM, NTUSER.DAT), or one raw tool output:
systeminfo (text or /FO CSV, any language and encoding), wmic (/format:list or table), a .reg
export or `reg query` output, bcdedit /enum, the JSON of Microsoft's HardwareReadiness.ps1, a
System Information (msinfo32) text report or .nfo, or a GLPI Agent / FusionInventory inventory
(XML or JSON). The format is told by content, not by file name.

A product key decoded from the registry is written masked (XXXXX-XXXXX-XXXXX-XXXXX-GPDD4, the
last group also as partial_key, which is enough to tell a published KMS client key); --reveal-keys
writes it whole, for backing it up. Keep such a file private.

One input: the inventory goes to stdout or -o FILE. Several: -o DIR gets one <host>.yaml (or
.json) per machine. An input that cannot be imported is reported on stderr with its reason and the
others still go on.

Exit codes:
  0  every input was imported
  2  usage error, or at least one input could not be imported (the others were still written)";

#[derive(clap::Args)]
pub struct Args {
    /// Evidence folders, mounted Windows volumes, registry hive files or raw tool output files.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Where to write: a file (one input) or a directory (one inventory per machine; created if
    /// missing). Default: stdout, for one input.
    #[arg(long, short = 'o')]
    output: Option<PathBuf>,
    /// yaml or json. Default: from the -o file's extension, else yaml.
    #[arg(long, short = 'f', value_parser = ["yaml", "json"])]
    format: Option<String>,
    /// Write product keys in full instead of masked.
    #[arg(long)]
    reveal_keys: bool,
}

pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let inputs = expand(&args.paths);
    let json = match args.format.as_deref() {
        Some(format) => format == "json",
        None => args
            .output
            .as_deref()
            .filter(|p| !p.is_dir())
            .and_then(|p| p.extension())
            .is_some_and(|e| e.eq_ignore_ascii_case("json")),
    };
    let render = |inventory: &Inventory| {
        if json {
            inventory.to_json() + "\n"
        } else {
            inventory.to_yaml()
        }
    };
    let to_dir = match (&args.output, inputs.len()) {
        (Some(out), 1) => out.is_dir() || ends_with_separator(out),
        (Some(_), _) => true,
        (None, 1) => false,
        (None, _) => bail!(
            "{} inputs give {} inventories; name a directory for them with -o DIR",
            inputs.len(),
            inputs.len()
        ),
    };

    let mut failed = 0usize;
    let mut used_names = BTreeSet::new();
    if to_dir {
        if let Some(dir) = &args.output {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("{}: cannot create the directory", dir.display()))?;
        }
    }
    for input in &inputs {
        let inventory = match w7plan::facts::import::import_path(input) {
            Ok(inventory) => inventory,
            Err(error) => {
                failed += 1;
                eprintln!(
                    "error: {}",
                    w7plan::output::report::escape::for_stderr(&error.to_string())
                );
                continue;
            }
        };
        let masked = w7plan::facts::productkey::redact(&inventory, args.reveal_keys);
        if matches!(masked, std::borrow::Cow::Owned(_)) {
            eprintln!(
                "note: {}: the product key is written masked; --reveal-keys writes it whole",
                input.display()
            );
        }
        let text = render(&masked);
        let target = match (&args.output, to_dir) {
            (Some(dir), true) => {
                let name = unique_name(&inventory, input, json, &mut used_names);
                Some(dir.join(name))
            }
            (output, _) => output.clone(),
        };
        match super::write_output(
            target.as_deref(),
            &text,
            w7plan::output::files::Keys::revealed(args.reveal_keys),
        ) {
            Ok(()) => {
                if let (Some(path), true) = (&target, to_dir) {
                    eprintln!(
                        "wrote {} ({})",
                        w7plan::output::report::escape::for_stderr(&path.display().to_string()),
                        w7plan::output::report::escape::for_stderr(&input.display().to_string())
                    );
                }
            }
            Err(error) => {
                failed += 1;
                eprintln!(
                    "error: {}",
                    w7plan::output::report::escape::for_stderr(&format!("{error:#}"))
                );
            }
        }
    }
    if failed > 0 {
        bail!(
            "{failed} of {} input{} could not be imported",
            inputs.len(),
            if inputs.len() == 1 { "" } else { "s" }
        );
    }
    Ok(Outcome::Done)
}

fn ends_with_separator(path: &Path) -> bool {
    path.as_os_str()
        .to_string_lossy()
        .ends_with(std::path::MAIN_SEPARATOR)
        || path.as_os_str().to_string_lossy().ends_with('/')
}

/// A folder that holds evidence folders (and no evidence itself) stands for each of them.
fn expand(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut inputs = Vec::new();
    for path in paths {
        if path.is_dir()
            && !w7plan::facts::import::evidence::looks_like_evidence(path)
            && !w7plan::facts::import::offline::is_installation_folder(path)
        {
            let mut children: Vec<PathBuf> = std::fs::read_dir(path)
                .map(|entries| {
                    entries
                        .flatten()
                        .map(|e| e.path())
                        .filter(|p| {
                            p.is_dir() && w7plan::facts::import::evidence::looks_like_evidence(p)
                        })
                        .collect()
                })
                .unwrap_or_default();
            if !children.is_empty() {
                children.sort();
                inputs.extend(children);
                continue;
            }
        }
        inputs.push(path.clone());
    }
    inputs
}

/// `<host>.yaml`, made safe for a file name and unique within this run.
fn unique_name(
    inventory: &Inventory,
    input: &Path,
    json: bool,
    used: &mut BTreeSet<String>,
) -> String {
    let host = inventory
        .host
        .as_ref()
        .and_then(|h| h.name.clone())
        .or_else(|| input.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "machine".to_string());
    // File names are shown in listings and messages: never a key in them.
    let host = w7plan::facts::productkey::mask_keys_in(&host);
    let safe: String = host
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let safe = safe.trim_matches('.').to_string();
    let stem = if safe.is_empty() {
        "machine".to_string()
    } else if is_reserved_on_windows(&safe) {
        // `CON.yaml` is the console on Windows, whatever its extension: a file of that name
        // cannot be created there, and copying the folder to a Windows PC would fail.
        format!("{safe}_")
    } else {
        safe
    };
    let extension = if json { "json" } else { "yaml" };
    let mut name = format!("{stem}.{extension}");
    let mut n = 2;
    while !used.insert(name.to_lowercase()) {
        name = format!("{stem}-{n}.{extension}");
        n += 1;
    }
    name
}

/// Device names Windows reserves in every folder, with any extension (CON, PRN, AUX, NUL, COM0–9,
/// LPT0–9, and COM/LPT with a superscript digit).
fn is_reserved_on_windows(stem: &str) -> bool {
    let base = stem
        .split('.')
        .next()
        .unwrap_or(stem)
        .trim_end()
        .to_ascii_uppercase();
    if matches!(
        base.as_str(),
        "CON" | "PRN" | "AUX" | "NUL" | "CONIN$" | "CONOUT$"
    ) {
        return true;
    }
    let Some(digit) = base
        .strip_prefix("COM")
        .or_else(|| base.strip_prefix("LPT"))
    else {
        return false;
    };
    let mut chars = digit.chars();
    matches!(
        (chars.next(), chars.next()),
        (Some('0'..='9' | '¹' | '²' | '³'), None)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_windows_names_are_never_written() {
        for name in ["CON", "con", "Nul", "COM1", "lpt9", "AUX.old", "COM²"] {
            assert!(is_reserved_on_windows(name), "{name}");
        }
        for name in ["CONSOLE", "COM10", "PC-01", "NULL", "LPT", "machine"] {
            assert!(!is_reserved_on_windows(name), "{name}");
        }
        let inventory = Inventory {
            host: Some(w7plan::facts::inventory::Host {
                name: Some("con".into()),
                ..Default::default()
            }),
            ..Default::default()
        };
        let name = unique_name(&inventory, Path::new("x"), false, &mut BTreeSet::new());
        assert_eq!(name, "con_.yaml");
    }
}
