//! Reading what users feed w7plan, within bounds: a size cap per kind of input, and short,
//! escaped excerpts of bad values for messages.
//!
//! This module does not parse anything; it only makes sure a parser never sees (and a message
//! never repeats) more than a real input could hold. The caps are far above any real inventory or
//! tool output, so only hostile or mistaken inputs meet them.

use crate::error::{Error, Origin, Result};
use std::io::Read;
use std::path::Path;

const MIB: u64 = 1024 * 1024;

/// The kinds of input, each with its cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An inventory (YAML or JSON). A real one, with a thousand programs, is under 1 MiB.
    Inventory,
    /// A raw tool output or an evidence file. A `reg export` of the Uninstall keys of a machine
    /// with many programs is a few MiB of UTF-16.
    ToolOutput,
    /// One line of newline-delimited JSON on `fleet -` 's stdin.
    NdjsonLine,
}

impl Kind {
    /// The most bytes accepted.
    pub fn limit(self) -> u64 {
        match self {
            Kind::Inventory => 32 * MIB,
            Kind::ToolOutput => 64 * MIB,
            Kind::NdjsonLine => 32 * MIB,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Kind::Inventory => "an inventory",
            Kind::ToolOutput => "a tool output",
            Kind::NdjsonLine => "one inventory line",
        }
    }
}

/// The error for an input over its cap.
pub fn too_large(origin: &Origin, kind: Kind) -> Error {
    Error::TooLarge {
        origin: origin.clone(),
        limit_mib: kind.limit() / MIB,
        kind: kind.name(),
    }
}

/// Reads a file, refusing it without reading it all when it is over `kind`'s cap (the first
/// input or tool output read also decides the cap: an input that may be either is read with the
/// larger one).
pub fn read_file(path: &Path, kind: Kind) -> Result<Vec<u8>> {
    let file = std::fs::File::open(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    read_capped(file, &Origin::path(path), kind).map_err(|e| match e {
        Capped::Io(source) => Error::Read {
            path: path.to_path_buf(),
            source,
        },
        Capped::Over => too_large(&Origin::path(path), kind),
    })
}

/// Reads all of `reader` up to `kind`'s cap.
pub fn read_all(reader: impl Read, origin: &Origin, kind: Kind) -> Result<Vec<u8>> {
    read_capped(reader, origin, kind).map_err(|e| match e {
        Capped::Io(source) => Error::ImportFailed {
            origin: origin.clone(),
            message: format!("cannot read: {source}"),
        },
        Capped::Over => too_large(origin, kind),
    })
}

enum Capped {
    Io(std::io::Error),
    Over,
}

fn read_capped(reader: impl Read, _origin: &Origin, kind: Kind) -> Result<Vec<u8>, Capped> {
    let mut bytes = Vec::new();
    reader
        .take(kind.limit() + 1)
        .read_to_end(&mut bytes)
        .map_err(Capped::Io)?;
    if bytes.len() as u64 > kind.limit() {
        return Err(Capped::Over);
    }
    Ok(bytes)
}

/// How many characters of a value a message repeats.
pub const EXCERPT_CHARS: usize = 60;

/// A value as a message may show it: at most [`EXCERPT_CHARS`] characters, control characters
/// (ESC, CR, NUL…) escaped so they cannot act on a terminal, and the length said when cut.
pub fn excerpt(value: &str) -> String {
    let mut out = String::new();
    let mut chars = value.chars();
    for c in chars.by_ref().take(EXCERPT_CHARS) {
        push_escaped(&mut out, c);
    }
    if chars.next().is_some() {
        out.push_str(&format!("… ({} bytes in all)", value.len()));
    }
    out
}

fn push_escaped(out: &mut String, c: char) {
    if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}') {
        out.extend(c.escape_default());
    } else {
        out.push(c);
    }
}

/// A parser's message made safe to print: control characters escaped and every quoted value
/// (`"…"` or `` `…` ``) cut to an excerpt, so a bad gigabyte-long value is not repeated whole.
pub fn tame_message(message: &str) -> String {
    let mut out = String::new();
    let mut rest = message;
    while let Some(start) = rest.find(['"', '`']) {
        let quote = rest[start..].chars().next().expect("found a quote");
        out.push_str(&escape_all(&rest[..=start]));
        let after = &rest[start + 1..];
        match find_closing(after, quote) {
            Some(end) => {
                out.push_str(&excerpt(&after[..end]));
                out.push(quote);
                rest = &after[end + 1..];
            }
            None => {
                out.push_str(&excerpt(after));
                rest = "";
            }
        }
    }
    out.push_str(&escape_all(rest));
    if out.chars().count() > 1000 {
        out = out.chars().take(1000).collect::<String>() + "…";
    }
    out
}

/// The closing quote, skipping `\"` (serde's messages quote strings with Rust's escapes).
fn find_closing(text: &str, quote: char) -> Option<usize> {
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        if escaped {
            escaped = false;
        } else if c == '\\' && quote == '"' {
            escaped = true;
        } else if c == quote {
            return Some(i);
        }
    }
    None
}

fn escape_all(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        push_escaped(&mut out, c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpt_cuts_and_escapes() {
        assert_eq!(excerpt("a\u{1b}[31mb"), "a\\u{1b}[31mb");
        let long = "x".repeat(10_000);
        let e = excerpt(&long);
        assert!(e.len() < 100, "{e}");
        assert!(e.ends_with("(10000 bytes in all)"), "{e}");
    }

    #[test]
    fn tame_message_keeps_the_point_and_cuts_the_value() {
        let value = "y".repeat(5_000);
        let message = format!("invalid type: string \"{value}\", expected u64");
        let tamed = tame_message(&message);
        assert!(tamed.len() < 200, "{tamed}");
        assert!(tamed.ends_with(", expected u64"), "{tamed}");
        assert!(tamed.starts_with("invalid type: string \"yyy"), "{tamed}");
        let tamed = tame_message("unknown variant `\u{1b}]0;pwned\u{7}`, expected one of `x86`");
        assert!(!tamed.contains('\u{1b}'), "{tamed}");
        assert!(tamed.contains("\\u{1b}"), "{tamed}");
    }

    #[test]
    fn over_the_cap_is_refused_without_reading_it_all() {
        let origin = Origin("t".into());
        let endless = std::io::repeat(b'a');
        let err = read_all(endless, &origin, Kind::Inventory).unwrap_err();
        assert_eq!(err.code(), "input-too-large");
        assert!(err.to_string().contains("32 MiB"), "{err}");
    }
}
