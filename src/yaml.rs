//! All YAML reading and writing goes through here.
//!
//! serde_yaml is deprecated upstream; keeping every call behind this module makes a swap to a
//! maintained fork a one-line change. It does not know what it parses: callers map the error
//! into their own typed error with [`location`].

use crate::error::Location;
use serde::{de::DeserializeOwned, Serialize};

mod positions;
pub use positions::Positions;

pub use serde_yaml::Error;
pub use serde_yaml::Value;

/// Parses trusted-ish YAML (rule packs, knowledge data: the user's own files), refusing first
/// what [`check`] refuses with aliases allowed; inventories are checked with aliases refused.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, Error> {
    refuse_unbounded(text)?;
    serde_yaml::from_str(text)
}

/// As [`from_str`], telling `on_ignored` the path of every field `T` does not have (found while
/// parsing, so the text is read once).
pub fn from_str_tracked<T: DeserializeOwned>(
    text: &str,
    on_ignored: impl FnMut(serde_ignored::Path),
) -> Result<T, Error> {
    refuse_unbounded(text)?;
    serde_ignored::deserialize(serde_yaml::Deserializer::from_str(text), on_ignored)
}

/// What [`check`] refuses (aliases allowed), as a parse error.
fn refuse_unbounded(text: &str) -> Result<(), Error> {
    check(text, Aliases::Allow).map_err(|refusal| {
        <Error as serde::de::Error>::custom(format!(
            "line {}: {}",
            refusal.location.line, refusal.message
        ))
    })
}

pub fn from_value<T: DeserializeOwned>(value: Value) -> Result<T, Error> {
    serde_yaml::from_value(value)
}

pub fn to_string<T: Serialize + ?Sized>(value: &T) -> Result<String, Error> {
    serde_yaml::to_string(value)
}

/// The 1-based position of a YAML error, where serde_yaml knows it.
pub fn location(error: &Error) -> Option<Location> {
    error.location().map(|l| Location {
        line: l.line(),
        column: l.column(),
    })
}

/// The error's message without serde_yaml's trailing " at line X column Y": callers report the
/// location in their own format.
/// Values quoted in it are cut to a short, escaped excerpt ([`crate::input::tame_message`]).
pub fn message(error: &Error) -> String {
    crate::input::tame_message(&strip_position(&error.to_string()))
}

/// serde's messages end in " at line X column Y"; the location is reported separately.
pub fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// How deep flow collections (`[…]`, `{…}`) may nest. An inventory nests four levels at most and a
/// rule example a few more; libyaml's scanner takes time in the square of the flow depth, so a
/// 200 KB line of `[` took over a minute before this bound.
pub const MAX_FLOW_DEPTH: usize = 64;

/// Why a text was refused before parsing, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub location: Location,
    pub message: String,
}

/// What [`check`] lets through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Aliases {
    /// Anchors (`&name`) are refused: an inventory never needs them, and aliases to a large
    /// anchored value expand to gigabytes (a 1 MB file took 6.5 GB).
    Refuse,
    /// Rule packs may share text between checks with anchors (the shipped licensing pack does);
    /// they are the user's own files, and serde_yaml bounds alias repetition.
    Allow,
}

/// Refuses, before any parsing, what would make the YAML parser use unbounded time or memory:
/// flow collections nested deeper than [`MAX_FLOW_DEPTH`] and, for untrusted text, anchors.
///
/// A light scanner, not a YAML parser: it knows quoted scalars, comments, block scalars and where
/// a node may start, which is all these two checks need. It errs on the side of letting text
/// through; the parser then reports whatever else is wrong.
pub fn check(text: &str, aliases: Aliases) -> Result<(), Refusal> {
    let mut depth = 0usize;
    // Inside a quoted scalar: its quote character (quoted scalars may span lines).
    let mut quote: Option<char> = None;
    // The indentation of the line that opened a block scalar (`|` or `>`): deeper lines are text.
    let mut block_scalar: Option<usize> = None;
    for (index, line) in text.split('\n').enumerate() {
        let indent = line.len() - line.trim_start_matches(' ').len();
        if let Some(parent) = block_scalar {
            if line.trim().is_empty() || indent > parent {
                continue;
            }
            block_scalar = None;
        }
        let at = |byte: usize| Location {
            line: index + 1,
            column: line[..byte].chars().count() + 1,
        };
        // Whether a node may start here: at the start of a line, after an indicator.
        let mut node_start = quote.is_none();
        let mut previous = ' ';
        let mut escaped = false;
        let mut in_tag = false;
        for (byte, c) in line.char_indices() {
            if let Some(q) = quote {
                if q == '"' && !escaped && c == '\\' {
                    escaped = true;
                    continue;
                }
                if c == q && !escaped {
                    quote = None;
                    node_start = false;
                }
                escaped = false;
                previous = c;
                continue;
            }
            if in_tag {
                // A tag (`!!str`) comes before its node, which starts after it.
                in_tag = c != ' ' && c != '\t';
                previous = c;
                continue;
            }
            match c {
                '#' if previous == ' ' || previous == '\t' || byte == 0 => break,
                ' ' | '\t' => {}
                '"' | '\'' if node_start => quote = Some(c),
                '[' | '{' if node_start || depth > 0 => {
                    depth += 1;
                    if depth > MAX_FLOW_DEPTH {
                        return Err(Refusal {
                            location: at(byte),
                            message: format!(
                                "collections nested more than {MAX_FLOW_DEPTH} deep; an \
                                 inventory needs a handful"
                            ),
                        });
                    }
                    node_start = true;
                }
                ']' | '}' if depth > 0 => {
                    depth -= 1;
                    node_start = false;
                }
                ',' if depth > 0 => node_start = true,
                '&' if node_start && aliases == Aliases::Refuse => {
                    return Err(Refusal {
                        location: at(byte),
                        message: "YAML anchors and aliases (`&name`, `*name`) are not accepted \
                                  in an inventory; write each value out"
                            .into(),
                    });
                }
                '-' | '?' | ':' if node_start || c == ':' => {
                    // `- `, `? ` and `: ` are indicators; elsewhere these are text.
                    let next = line[byte + 1..].chars().next();
                    if next.is_none_or(|n| n == ' ' || n == '\t' || (depth > 0 && n == ',')) {
                        node_start = true;
                    } else if c != ':' {
                        node_start = false;
                    }
                }
                '|' | '>' if node_start && depth == 0 => {
                    // A block scalar: its text is on the following, deeper lines.
                    block_scalar = Some(indent);
                    break;
                }
                '!' if node_start => in_tag = true,
                _ => node_start = false,
            }
            previous = c;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(text: &str) -> Option<Refusal> {
        check(text, Aliases::Refuse).err()
    }

    #[test]
    fn anchors_are_refused_where_a_node_starts() {
        for text in [
            "a: &x [1]\nb: *x\n",
            "- &x 1\n",
            "&x a: 1\n",
            "a: [1, &x 2]\n",
            "a: {b: &x 1}\n",
            "a: !!str &x v\n",
            "a:\n  - b: 1\n    c: &big \"v\"\n",
        ] {
            let r = refused(text).unwrap_or_else(|| panic!("{text:?} passed"));
            assert!(r.message.contains("anchors"), "{r:?}");
        }
        let r = refused("x: 1\nlist:\n  - &big v\n").unwrap();
        assert_eq!((r.location.line, r.location.column), (3, 5));
        assert!(check("a: &x 1\nb: *x\n", Aliases::Allow).is_ok());
    }

    #[test]
    fn ampersands_in_text_are_not_anchors() {
        for text in [
            "name: AT&T Tools\n",
            "name: Tom & Jerry\n",
            "name: \"&x\"\n",
            "name: '&x'\n",
            "name: \"a \\\" &x\"\n",
            "notes:\n  - |\n    &x at the start of a line of text\n    * and a star\n  - next\n",
            "notes: >-\n  & folded\n",
            "name: x # &comment\n",
            "# &comment\nname: x\n",
            "name: \"multi\n  &line\"\n",
            "url: http://a/&b\n",
        ] {
            assert_eq!(refused(text), None, "{text:?}");
        }
    }

    #[test]
    fn deep_flow_nesting_is_refused_before_parsing() {
        let deep = format!("host: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
        let started = std::time::Instant::now();
        let r = refused(&deep).unwrap();
        assert!(started.elapsed().as_millis() < 500);
        assert!(r.message.contains("nested"), "{r:?}");
        assert_eq!(r.location.line, 1);
        let deep = format!("host: {}\n", "{a: ".repeat(1000));
        assert!(refused(&deep).is_some());
        let fine = format!(
            "a: {}1{}\n",
            "[".repeat(MAX_FLOW_DEPTH),
            "]".repeat(MAX_FLOW_DEPTH)
        );
        assert_eq!(refused(&fine), None);
        // Brackets in plain text are not collections.
        assert_eq!(refused(&format!("a: x{}\n", "[".repeat(1000))), None);
    }
}
